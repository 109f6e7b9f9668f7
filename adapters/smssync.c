/*
 * smssync: the Ushahidi SMSSync adapter, an Android phone that forwards
 * the SMS its SIM receives as a form POST (from, message, message_id,
 * sent_to, secret, sent_timestamp in seconds or milliseconds, device_id).
 * The only credential is the shared `secret` field, compared in constant
 * time; the app expects {"payload":{"success":true,"error":null}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"
#include "adapters/form.h"
#include "adapters/phone.h"
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

	memset(m, 0, sizeof(*m));

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
	if (text_copy(m->text, sizeof(m->text), text, strlen(text),
		INBOUND_MAX_TEXT, err, errlen) == -1)
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
