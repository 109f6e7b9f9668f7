/*
 * smssync: the Ushahidi SMSSync adapter, an Android phone that forwards
 * the SMS its SIM receives as a form POST (from, message, message_id,
 * sent_to, secret, sent_timestamp in seconds or milliseconds, device_id).
 * The only credential is the shared `secret` field, compared in constant
 * time; the app expects {"payload":{"success":true,"error":null}}.  It
 * cannot be called to send: replies ride in that answer (task "send"),
 * and the rest waits for the phone's polls (adapters/smssync.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "adapters/form.h"
#include "adapters/send.h"
#include "adapters/smssync.h"
#include "adapters/text.h"
#include "lib/phone.h"

#define SMSSYNC_CONTENT_TYPE "application/x-www-form-urlencoded"
/* timestamps above this are milliseconds (this is 5138 AD in seconds) */
#define SMSSYNC_MS_THRESHOLD 100000000000LL

static int
smssync_verify(const struct channel *ch, const struct webhook_request *req,
    char *err, size_t errlen)
{
	struct form f = {.npairs = 0, .buf = NULL};
	const char *secret;
	int rc = 403;

	if (form_parse(&f, req->body, req->body_len, err, errlen) == -1)
		return 400;
	if ((secret = form_get(&f, "secret")) == NULL || *secret == '\0') {
		snprintf(err, errlen, "missing secret");
		rc = 401;
		goto fail;
	}
	if (ch->secret == NULL || *ch->secret == '\0' ||
	    !adapter_equal_secret(secret, ch->secret)) {
		snprintf(err, errlen, "secret does not match");
		goto fail;
	}
	rc = 0;
fail:
	form_free(&f);
	return rc;
}

/* sent_timestamp: Unix seconds or milliseconds; 0 when absent. */
static int
smssync_timestamp(const char *s, time_t *out)
{
	long long n;
	char *end;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (*s < '0' || *s > '9' || strlen(s) > 16)
		return -1;
	n = strtoll(s, &end, 10);
	if (*end != '\0')
		return -1;
	if (n >= SMSSYNC_MS_THRESHOLD)
		n /= 1000;
	*out = (time_t)n;
	return 0;
}

static int
smssync_parse(const struct channel *ch, const struct webhook_request *req,
    struct inbound_batch *out, char *err, size_t errlen)
{
	struct inbound_message *m = &out->messages[0];
	struct form f = {.npairs = 0, .buf = NULL};
	const char *from, *text, *id;
	size_t n;
	int rc = 400;

	inbound_clear(m);

	(void)ch;
	if (form_parse(&f, req->body, req->body_len, err, errlen) == -1)
		return 400;
	if ((id = form_get(&f, "message_id")) == NULL ||
	    (n = strlen(id)) == 0 || n >= sizeof(m->id)) {
		snprintf(err, errlen, "message_id is missing or too long");
		goto fail;
	}
	if (adapter_token(m->id, sizeof(m->id), id, n) != 0) {
		snprintf(err, errlen, "message_id is malformed");
		goto fail;
	}
	if ((from = form_get(&f, "from")) == NULL) {
		snprintf(err, errlen, "from is missing");
		goto fail;
	}
	if (phone_normalize(from, m->sender, sizeof(m->sender)) == -1) {
		snprintf(err, errlen, "from is not a phone number");
		goto fail;
	}
	if ((text = form_get(&f, "message")) == NULL) {
		snprintf(err, errlen, "message is missing");
		goto fail;
	}
	if (text_dup(&m->text, text, strlen(text), INBOUND_MAX_TEXT, err,
		errlen) == -1)
		goto fail;
	if (smssync_timestamp(form_get(&f, "sent_timestamp"), &m->sent_at) ==
	    -1) {
		snprintf(err, errlen, "sent_timestamp is not a number");
		goto fail;
	}
	m->type = INBOUND_TEXT;
	out->nmessages = 1;
	rc = 0;
fail:
	if (rc != 0)
		inbound_wipe(m); /* and its text, if any */
	form_free(&f);
	return rc;
}

static int
smssync_sign(const struct channel *ch, const struct simulated_message *msg,
    struct signed_request *out, char *err, size_t errlen)
{
	char stamp[32];
	struct kv pairs[7];

	memset(out, 0, sizeof(*out));
	if (ch->secret == NULL || msg->from == NULL || msg->text == NULL ||
	    msg->id == NULL) {
		snprintf(err, errlen, "channel or message is incomplete");
		return -1;
	}
	snprintf(stamp, sizeof(stamp), "%lld", (long long)msg->now * 1000);
	pairs[0] = (struct kv){"from", msg->from};
	pairs[1] = (struct kv){"message", msg->text};
	pairs[2] = (struct kv){"message_id", msg->id};
	pairs[3] = (struct kv){"sent_to", ch->from != NULL ? ch->from : ""};
	pairs[4] = (struct kv){"secret", ch->secret};
	pairs[5] = (struct kv){"sent_timestamp", stamp};
	pairs[6] = (struct kv){"device_id", "1"};
	if ((out->body = form_encode(pairs, 7, &out->body_len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    SMSSYNC_CONTENT_TYPE);
	return 0;
}

const struct adapter smssync_adapter = {
    .provider = PROVIDER_SMSSYNC,
    .name = "smssync",
    .content_type = SMSSYNC_CONTENT_TYPE,
    .verify = smssync_verify,
    .parse = smssync_parse,
    .sign = smssync_sign,
    .ack_body = "{\"payload\":{\"success\":true,\"error\":null}}",
    .ack_content_type = "application/json",
};

/*
 * Sending: SMSSync has no API to call; it sends what the answer to its
 * own request asks for.  An answer with replies adds task "send", the
 * channel's secret (the app checks it) and one {"to","message","uuid"}
 * for each reply, the uuid random (the app reports back by uuid).
 */

static int
smssync_build(const struct channel *ch, const struct outbound_message *msg,
    struct http_request *out, char *err, size_t errlen)
{
	(void)ch;
	(void)msg;
	memset(out, 0, sizeof(*out));
	snprintf(
	    err, errlen, "SMSSync sends only in answer to the app's requests");
	return -1;
}

static void
smssync_parse_answer(const struct channel *ch, long status,
    const char *retry_after, const char *body, size_t len,
    struct send_result *out)
{
	(void)ch;
	(void)retry_after;
	(void)body;
	(void)len;
	memset(out, 0, sizeof(*out));
	out->outcome = SEND_PERMANENT;
	snprintf(out->error, sizeof(out->error),
	    "SMSSync has no send API (HTTP %ld)", status);
}

void
smssync_new_uuid(char out[SMSSYNC_UUID_SIZE])
{
	unsigned char b[16];
	char hex[33];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	adapter_hex(b, sizeof(b), hex);
	snprintf(out, SMSSYNC_UUID_SIZE, "%.8s-%.4s-%.4s-%.4s-%.12s", hex,
	    hex + 8, hex + 12, hex + 16, hex + 20);
}

static char *
smssync_inline_answer(const struct channel *ch,
    const struct inline_reply *replies, size_t n, const char **content_type)
{
	char uuid[SMSSYNC_UUID_SIZE];
	json_t *messages, *m;
	size_t i, len;

	*content_type = smssync_adapter.ack_content_type;
	if (n == 0)
		return strdup(smssync_adapter.ack_body);
	if ((messages = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		smssync_new_uuid(uuid);
		m = json_pack("{s:s, s:s, s:s}", "to",
		    replies[i].to != NULL ? replies[i].to : "", "message",
		    replies[i].text != NULL ? replies[i].text : "", "uuid",
		    uuid);
		if (json_array_append_new(messages, m) != 0) {
			json_decref(messages);
			return NULL;
		}
	}
	return adapter_json_dump(
	    json_pack("{s:{s:b, s:n, s:s, s:s, s:o}}", "payload", "success", 1,
		"error", "task", "send", "secret",
		ch->secret != NULL ? ch->secret : "", "messages", messages),
	    JSON_COMPACT, &len);
}

const struct sender smssync_sender = {
    .provider = PROVIDER_SMSSYNC,
    .build = smssync_build,
    .parse = smssync_parse_answer,
    .inline_answer = smssync_inline_answer,
};

/* --- polling (adapters/smssync.h) --------------------------------------- */

enum smssync_task
smssync_task_of(const struct webhook_request *req)
{
	const char *task = webhook_query(req, "task");
	int get = strcmp(req->method, "GET") == 0;

	if (task == NULL)
		return get ? SMSSYNC_BAD_TASK : SMSSYNC_NOT_A_TASK;
	if (strcmp(task, "send") == 0 && get)
		return SMSSYNC_SEND;
	if (strcmp(task, "sent") == 0 && !get)
		return SMSSYNC_SENT;
	if (strcmp(task, "result") == 0)
		return get ? SMSSYNC_QUEUED : SMSSYNC_RESULT;
	return SMSSYNC_BAD_TASK;
}

int
smssync_task_auth(const struct channel *ch, const struct webhook_request *req)
{
	const char *secret = webhook_query(req, "secret");

	if (secret == NULL || *secret == '\0')
		return 401;
	return ch->secret != NULL && *ch->secret != '\0' &&
		adapter_equal_secret(secret, ch->secret)
	    ? 0
	    : 403;
}

char *
smssync_send_answer(
    const struct channel *ch, const struct smssync_out *out, size_t n)
{
	json_t *messages = json_array(), *m;
	size_t i, len;

	if (messages == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		m = json_pack("{s:s, s:s, s:s}", "to", out[i].to, "message",
		    out[i].message, "uuid", out[i].uuid);
		if (m == NULL || json_array_append_new(messages, m) != 0) {
			json_decref(messages);
			return NULL;
		}
	}
	return adapter_json_dump(
	    json_pack("{s:{s:s, s:s, s:o}}", "payload", "task", "send",
		"secret", ch->secret != NULL ? ch->secret : "", "messages",
		messages),
	    JSON_COMPACT, &len);
}

char *
smssync_uuids_answer(const char (*uuids)[SMSSYNC_UUID_SIZE], size_t n)
{
	json_t *a = json_array();
	size_t i, len;

	if (a == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (json_array_append_new(a, json_string(uuids[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return adapter_json_dump(
	    json_pack("{s:o}", "message_uuids", a), JSON_COMPACT, &len);
}

/* A uuid as the hotline makes them: 36 of hex digits and dashes. */
static int
valid_uuid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f') || s[i] == '-'))
			return 0;
	return i == SMSSYNC_UUID_SIZE - 1;
}

/* The array named key of a JSON body, or NULL. */
static json_t *
body_array(const char *body, size_t len, const char *key, json_t **root)
{
	json_t *a;

	*root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (*root == NULL || !json_is_object(*root) ||
	    !json_is_array(a = json_object_get(*root, key))) {
		json_decref(*root);
		*root = NULL;
		return NULL;
	}
	return a;
}

int
smssync_queued(
    const char *body, size_t len, char (*uuids)[SMSSYNC_UUID_SIZE], size_t max)
{
	json_t *root, *a = body_array(body, len, "queued_messages", &root);
	const char *u;
	size_t i;
	int n = 0;

	if (a == NULL)
		return -1;
	for (i = 0; i < json_array_size(a) && (size_t)n < max; i++)
		if ((u = json_string_value(json_array_get(a, i))) != NULL &&
		    valid_uuid(u))
			snprintf(uuids[n++], SMSSYNC_UUID_SIZE, "%s", u);
	json_decref(root);
	return n;
}

/*
 * An Android result code: 0 or -1 (Activity.RESULT_OK) is success, a
 * positive one an error; as a number or a string.
 */
static int
result_ok(json_t *v, int *known)
{
	long long code;

	*known = 1;
	if (json_is_integer(v))
		code = json_integer_value(v);
	else if (json_is_string(v) && *json_string_value(v) != '\0')
		code = strtoll(json_string_value(v), NULL, 10);
	else {
		*known = 0;
		return 0;
	}
	return code == 0 || code == -1;
}

int
smssync_results(
    const char *body, size_t len, struct smssync_result *out, size_t max)
{
	json_t *root, *a = body_array(body, len, "message_result", &root), *r;
	const char *u;
	size_t i;
	int n = 0, known;

	if (a == NULL)
		return -1;
	for (i = 0; i < json_array_size(a) && (size_t)n < max; i++) {
		r = json_array_get(a, i);
		if (!json_is_object(r) ||
		    (u = json_string_value(json_object_get(r, "uuid"))) ==
			NULL ||
		    !valid_uuid(u))
			continue;
		snprintf(out[n].uuid, sizeof out[n].uuid, "%s", u);
		out[n].sent =
		    result_ok(json_object_get(r, "sent_result_code"), &known) &&
		    known;
		/* the app's own name for it, and the protocol's */
		out[n].delivered = result_ok(
		    json_object_get(r, "delivered_result_code") != NULL
			? json_object_get(r, "delivered_result_code")
			: json_object_get(r, "delivery_result_code"),
		    &known);
		if (!known)
			out[n].delivered = -1;
		n++;
	}
	json_decref(root);
	return n;
}
