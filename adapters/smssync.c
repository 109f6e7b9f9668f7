/*
 * smssync: the Ushahidi SMSSync adapter, an Android phone that forwards
 * the SMS its SIM receives as a form POST (from, message, message_id,
 * sent_to, secret, sent_timestamp in seconds or milliseconds, device_id).
 * The only credential is the shared `secret` field, compared in constant
 * time; the app expects {"payload":{"success":true,"error":null}}.  It
 * cannot be called to send: replies ride in that answer (task "send").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "adapters/form.h"
#include "adapters/phone.h"
#include "adapters/send.h"
#include "adapters/text.h"

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

#define SMSSYNC_UUID_SIZE 37

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

/* A random version 4 UUID. */
static void
smssync_uuid(char out[SMSSYNC_UUID_SIZE])
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
		smssync_uuid(uuid);
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
