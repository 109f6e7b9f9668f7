/*
 * android_sms_gateway: the adapter for SMS Gateway for Android (capcom6), an
 * app that turns an Android phone with a local SIM into an SMS gateway.  It
 * owns the X-Signature check (hex HMAC-SHA256 under the signing key of the
 * raw body followed by the X-Timestamp string, the timestamp within five
 * minutes of now), the parse of one webhook event (sms:received into a
 * message; sms:sent, sms:delivered and sms:failed into a status;
 * system:ping into nothing) and the signed body `hotline simulate` sends.
 *
 * The received message's id is the event's top-level id, which the app
 * keeps across retries; payload.messageId is only a fallback, because the
 * app derives it from the content and two identical texts ("YA" twice)
 * would share it.
 *
 * Its sender (at the end) builds the app's send API request (cloud or
 * local server) and reads the answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "adapters/send.h"
#include "adapters/text.h"
#include "lib/phone.h"

#define ASG_SIG_HEADER "X-Signature"
#define ASG_TS_HEADER  "X-Timestamp"
#define ASG_MAX_SKEW   300 /* seconds either side of now */
#define ASG_TS_DIGITS  12  /* enough until the year 33658 */
#define ASG_SIG_LEN    64  /* hex of 32 bytes */
/* What a message id may hold (base62 event ids, hex, UUIDs). */
#define ASG_ID_CHARS                                                           \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:"

struct asg_parse {
	struct inbound_batch *out;
	char *err;
	size_t errlen;
};

static int
asg_fail(struct asg_parse *p, const char *msg)
{
	snprintf(p->err, p->errlen, "%s", msg);
	return 400;
}

/* Lowercase hex HMAC-SHA256(key, body || ts), the app's signature. */
static int
asg_signature(const char *key, const char *body, size_t len, const char *ts,
    char out[ASG_SIG_LEN + 1])
{
	size_t tslen = strlen(ts);
	char *msg;
	int rc;

	if ((msg = malloc(len + tslen + 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(msg, body, len);
	memcpy(msg + len, ts, tslen);
	rc = adapter_hmac_sha256_hex(key, msg, len + tslen, out);
	sodium_memzero(msg, len + tslen);
	free(msg);
	return rc;
}

/* Unix seconds, digits only; -1 when malformed. */
static long long
asg_unix_seconds(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > ASG_TS_DIGITS)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return strtoll(s, NULL, 10);
}

static int
asg_verify(const struct channel *c, const struct webhook_request *req,
    char *err, size_t errlen)
{
	char want[ASG_SIG_LEN + 1];
	const char *sig, *ts;
	long long t, skew;

	sig = webhook_header(req, ASG_SIG_HEADER);
	ts = webhook_header(req, ASG_TS_HEADER);
	if (sig == NULL || ts == NULL) {
		snprintf(err, errlen, "missing %s or %s header", ASG_SIG_HEADER,
		    ASG_TS_HEADER);
		return 401;
	}
	if (c->signing_key == NULL || c->signing_key[0] == '\0') {
		snprintf(err, errlen, "channel has no signing key");
		return 403;
	}
	if ((t = asg_unix_seconds(ts)) < 0) {
		snprintf(err, errlen, "malformed %s header", ASG_TS_HEADER);
		return 403;
	}
	skew = (long long)req->now - t;
	if (skew > ASG_MAX_SKEW || skew < -ASG_MAX_SKEW) {
		snprintf(err, errlen, "stale %s header", ASG_TS_HEADER);
		return 403;
	}
	if (strlen(sig) != ASG_SIG_LEN) {
		snprintf(err, errlen, "malformed %s header", ASG_SIG_HEADER);
		return 403;
	}
	if (asg_signature(c->signing_key, req->body, req->body_len, ts, want) !=
	    0) {
		snprintf(err, errlen, "cannot compute the signature");
		return 403;
	}
	return adapter_signature_matches(
	    sig, want, sizeof(want), ASG_SIG_HEADER, err, errlen);
}

/*
 * ISO 8601 with an offset, as the app writes it
 * ("2026-11-22T09:30:00.000+07:00").  Absent or in another form: 0, the
 * time is informative only and not worth refusing a report for.
 */
static int
asg_time(const json_t *v, time_t *out)
{
	struct tm tm, tz;
	const char *q;
	long off = 0;

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	memset(&tm, 0, sizeof(tm));
	q = strptime(json_string_value(v), "%Y-%m-%dT%H:%M:%S", &tm);
	if (q == NULL)
		return 0;
	if (*q == '.')
		for (q++; *q >= '0' && *q <= '9'; q++)
			;
	if (q[0] == 'Z' && q[1] == '\0') {
		off = 0;
	} else {
		memset(&tz, 0, sizeof(tz));
		if ((*q != '+' && *q != '-') ||
		    (q = strptime(q, "%z", &tz)) == NULL || *q != '\0')
			return 0;
		off = tz.tm_gmtoff;
	}
	*out = timegm(&tm) - off;
	return 0;
}

/* An id of ASG_ID_CHARS that fits in dst. */
static int
asg_id(char *dst, size_t dstlen, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n;

	if (s == NULL)
		return -1;
	n = json_string_length(v);
	if (n == 0 || n >= dstlen || strspn(s, ASG_ID_CHARS) != n)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

static int
asg_received(struct asg_parse *p, const json_t *root, const json_t *payload)
{
	struct inbound_message *m = &p->out->messages[0];
	const json_t *id, *phone, *text;

	inbound_clear(m);
	m->type = INBOUND_TEXT;
	id = json_object_get(root, "id");
	if (id == NULL || json_is_null(id))
		id = json_object_get(payload, "messageId");
	if (asg_id(m->id, sizeof(m->id), id) != 0)
		return asg_fail(p, "message has no valid id");
	phone = json_object_get(payload, "phoneNumber");
	if (!json_is_string(phone) || json_string_length(phone) == 0)
		return asg_fail(p, "message has no sender");
	/*
	 * An operator's or a brand's SMS (sender "TELKOMSEL") is no
	 * citizen's report: acknowledged and skipped, or the phone would
	 * send it again for days.
	 */
	if (phone_normalize(
		json_string_value(phone), m->sender, sizeof(m->sender)) != 0) {
		inbound_wipe(m);
		return 0;
	}
	text = json_object_get(payload, "message");
	if (!json_is_string(text))
		return asg_fail(p, "message has no text");
	if (text_dup(&m->text, json_string_value(text),
		json_string_length(text), INBOUND_MAX_TEXT, p->err,
		p->errlen) != 0)
		return 400;
	if (asg_time(json_object_get(payload, "receivedAt"), &m->sent_at) != 0)
		return asg_fail(p, "receivedAt is not a string");
	p->out->nmessages = 1;
	return 0;
}

static int
asg_status(struct asg_parse *p, const json_t *payload, const char *status,
    const char *atkey)
{
	struct inbound_status *s = &p->out->statuses[0];

	memset(s, 0, sizeof(*s));
	if (asg_id(s->id, sizeof(s->id),
		json_object_get(payload, "messageId")) != 0)
		return asg_fail(p, "status has no valid message id");
	snprintf(s->status, sizeof(s->status), "%s", status);
	if (asg_time(json_object_get(payload, atkey), &s->at) != 0)
		return asg_fail(p, "status time is not a string");
	p->out->nstatuses = 1;
	return 0;
}

static int
asg_parse(const struct channel *c, const struct webhook_request *req,
    struct inbound_batch *out, char *err, size_t errlen)
{
	static const struct {
		const char *event, *status, *atkey;
	} statuses[] = {
	    {"sms:sent", "sent", "sentAt"},
	    {"sms:delivered", "delivered", "deliveredAt"},
	    {"sms:failed", "failed", "failedAt"},
	};
	struct asg_parse p = {out, err, errlen};
	const json_t *payload;
	const char *event;
	json_t *root;
	size_t i;
	int rc;

	(void)c;
	if ((root = adapter_json_body(req, err, errlen)) == NULL)
		return 400;
	if (!json_is_object(root)) {
		rc = asg_fail(&p, "body is not a JSON object");
		goto fail;
	}
	event = json_string_value(json_object_get(root, "event"));
	if (event == NULL) {
		rc = asg_fail(&p, "body has no event");
		goto fail;
	}
	if (strcmp(event, "system:ping") == 0) {
		json_decref(root);
		return 0;
	}
	payload = json_object_get(root, "payload");
	if (!json_is_object(payload)) {
		rc = asg_fail(&p, "body has no payload object");
		goto fail;
	}
	rc = -1;
	if (strcmp(event, "sms:received") == 0)
		rc = asg_received(&p, root, payload);
	for (i = 0; rc == -1 && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(event, statuses[i].event) == 0)
			rc = asg_status(
			    &p, payload, statuses[i].status, statuses[i].atkey);
	if (rc == -1)
		rc = asg_fail(&p, "unknown event");
	if (rc != 0)
		goto fail;
	json_decref(root);
	return 0;
fail:
	inbound_wipe(&out->messages[0]); /* and its text, if any */
	out->nmessages = out->nstatuses = 0;
	json_decref(root);
	return rc;
}

static int
asg_sign(const struct channel *c, const struct simulated_message *msg,
    struct signed_request *out, char *err, size_t errlen)
{
	char e164[PHONE_E164_MAX], ts[32], iso[32], id[64];
	char sig[ASG_SIG_LEN + 1];
	const char *mid;
	struct tm tm;

	memset(out, 0, sizeof(*out));
	if (c->signing_key == NULL || c->signing_key[0] == '\0') {
		snprintf(err, errlen, "channel has no signing key");
		goto fail;
	}
	if (msg->from == NULL ||
	    phone_normalize(msg->from, e164, sizeof(e164)) != 0) {
		snprintf(err, errlen, "sender is not a phone number");
		goto fail;
	}
	if (gmtime_r(&msg->now, &tm) == NULL ||
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S.000+00:00", &tm) ==
		0) {
		snprintf(err, errlen, "time is out of range");
		goto fail;
	}
	snprintf(ts, sizeof(ts), "%lld", (long long)msg->now);
	snprintf(id, sizeof(id), "simulated-%lld", (long long)msg->now);
	mid = msg->id != NULL ? msg->id : id;
	if (adapter_sign_json(out,
		json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:i, s:s}, s:s}",
		    "deviceId", "simulated", "event", "sms:received", "id", mid,
		    "payload", "messageId", mid, "message",
		    msg->text != NULL ? msg->text : "", "phoneNumber", e164,
		    "simNumber", 1, "receivedAt", iso, "webhookId",
		    "simulated"),
		JSON_COMPACT, err, errlen) != 0)
		goto fail;
	if (asg_signature(c->signing_key, out->body, out->body_len, ts, sig) !=
	    0) {
		snprintf(err, errlen, "cannot compute the signature");
		goto fail;
	}
	adapter_sign_header(out, 0, ASG_TS_HEADER, ts);
	adapter_sign_header(out, 1, ASG_SIG_HEADER, sig);
	return 0;
fail:
	signed_request_free(out);
	return -1;
}

const struct adapter android_sms_gateway_adapter = {
    .provider = PROVIDER_ANDROID_SMS_GATEWAY,
    .name = "android_sms_gateway",
    .content_type = "application/json",
    .verify = asg_verify,
    .parse = asg_parse,
    .sign = asg_sign,
    .ack_body = "",
    .ack_content_type = "text/plain",
};

/*
 * Sending: POST {api_base}/message, HTTP Basic username:password, the
 * body {"textMessage":{"text":…},"phoneNumbers":["+62…"],
 * "withDeliveryReport":true}.  The base must be configured: the phone's
 * own local server (http://DEVICE:8080) or a private server.  There is no
 * default: the vendor's cloud relay (https://api.sms-gate.app/3rdparty/v1)
 * keeps every message the phone receives, with its sender, and whoever
 * holds the credentials can list them; it is used only when named.  The answer
 * (202) is the message's state,
 * {"id":…,"state":"Pending",…}; that id comes back as payload.messageId
 * in the sms:sent, sms:delivered and sms:failed webhooks.
 */

static int
asg_build(const struct channel *c, const struct outbound_message *msg,
    struct http_request *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (c->username == NULL || c->password == NULL) {
		snprintf(err, errlen, "channel has no username or password");
		goto fail;
	}
	if (!send_e164(msg->to)) {
		snprintf(err, errlen, "recipient is not an E.164 number");
		goto fail;
	}
	if (msg->text == NULL || msg->text[0] == '\0') {
		snprintf(err, errlen, "message has no text");
		goto fail;
	}
	if (c->api_base == NULL || c->api_base[0] == '\0') {
		snprintf(err, errlen,
		    "channel has no api_base (the phone's local server)");
		goto fail;
	}
	if (send_url(out, c->api_base, NULL, err, errlen, "/message") != 0)
		goto fail;
	if (send_userpwd(out, c->username, c->password) != 0) {
		snprintf(err, errlen, "username or password is malformed");
		goto fail;
	}
	if (send_json_body(out,
		json_pack("{s:{s:s}, s:[s], s:b}", "textMessage", "text",
		    msg->text, "phoneNumbers", msg->to, "withDeliveryReport",
		    1),
		err, errlen) != 0)
		goto fail;
	return 0;
fail:
	http_request_free(out);
	return -1;
}

static void
asg_parse_answer(const struct channel *c, long status, const char *retry_after,
    const char *body, size_t len, struct send_result *out)
{
	json_t *root = send_json_answer(body, len);

	(void)c;
	send_conclude(out, "SMS gateway", status, retry_after,
	    json_string_value(json_object_get(root, "id")), 0, 0);
	json_decref(root);
}

const struct sender android_sms_gateway_sender = {
    .provider = PROVIDER_ANDROID_SMS_GATEWAY,
    .build = asg_build,
    .parse = asg_parse_answer,
    .inline_answer = NULL,
};
