/*
 * whatsapp_cloud: the Meta WhatsApp Cloud API adapter.  It owns the GET
 * verification handshake (hub.mode / hub.verify_token / hub.challenge),
 * the X-Hub-Signature-256 check (hex HMAC-SHA256 of the raw body under the
 * app secret), the parse of a notification (every entry, change, message
 * and status) into normalised inbound events, and the signed body that
 * `hotline simulate` sends.  Changes for another phone_number_id than the
 * channel's, changes of other fields and message types we cannot use
 * (reaction, sticker, system, unsupported, ...) are skipped, not refused:
 * Meta would otherwise retry them for days.  Its sender (at the end)
 * builds messages API requests, text or template, and classifies Meta's
 * answers by their error code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "adapters/send.h"
#include "adapters/text.h"
#include "lib/phone.h"

#define WA_SIG_HEADER	 "X-Hub-Signature-256"
#define WA_SIG_PREFIX	 "sha256="
#define WA_SIG_LEN	 (7 + 64) /* prefix + hex of 32 bytes */
#define WA_CHALLENGE_MAX 64
/* Meta's challenge is a number; we echo nothing but a short token. */
#define WA_CHALLENGE_CHARS                                                     \
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_."
/* A timestamp above this is in milliseconds (year 5138 in seconds). */
#define WA_MS_THRESHOLD 100000000000LL

struct wa_parse {
	const struct channel *channel;
	struct inbound_batch *out;
	char *err;
	size_t errlen;
};

static int
wa_fail(struct wa_parse *p, const char *msg)
{
	snprintf(p->err, p->errlen, "%s", msg);
	return 400;
}

/* "sha256=" + lowercase hex HMAC-SHA256(app secret, body), Meta's form. */
static int
wa_signature(
    const char *secret, const char *body, size_t len, char out[WA_SIG_LEN + 1])
{
	memcpy(out, WA_SIG_PREFIX, strlen(WA_SIG_PREFIX));
	return adapter_hmac_sha256_hex(
	    secret, body, len, out + strlen(WA_SIG_PREFIX));
}

int
whatsapp_cloud_handshake(const struct channel *c,
    const struct webhook_request *req, char *challenge, size_t len)
{
	const char *mode, *token, *ch;
	size_t n;

	if (len > 0)
		challenge[0] = '\0';
	mode = webhook_query(req, "hub.mode");
	token = webhook_query(req, "hub.verify_token");
	ch = webhook_query(req, "hub.challenge");
	if (mode == NULL || token == NULL || ch == NULL)
		return 400;
	if (c->verify_token == NULL || c->verify_token[0] == '\0' ||
	    !adapter_equal_secret(token, c->verify_token))
		return 403;
	if (strcmp(mode, "subscribe") != 0)
		return 403;
	n = strlen(ch);
	if (n == 0 || n > WA_CHALLENGE_MAX || n >= len)
		return 400;
	if (strspn(ch, WA_CHALLENGE_CHARS) != n)
		return 400;
	memcpy(challenge, ch, n + 1);
	return 0;
}

static int
wa_verify(const struct channel *c, const struct webhook_request *req, char *err,
    size_t errlen)
{
	char want[WA_SIG_LEN + 1];
	const char *sig;

	sig = webhook_header(req, WA_SIG_HEADER);
	if (sig == NULL) {
		snprintf(err, errlen, "missing %s header", WA_SIG_HEADER);
		return 401;
	}
	if (c->app_secret == NULL || c->app_secret[0] == '\0') {
		snprintf(err, errlen, "channel has no app secret");
		return 403;
	}
	if (strncmp(sig, WA_SIG_PREFIX, strlen(WA_SIG_PREFIX)) != 0 ||
	    strlen(sig) != WA_SIG_LEN) {
		snprintf(err, errlen, "malformed %s header", WA_SIG_HEADER);
		return 403;
	}
	if (wa_signature(c->app_secret, req->body, req->body_len, want) != 0) {
		snprintf(err, errlen, "cannot compute the signature");
		return 403;
	}
	return adapter_signature_matches(
	    sig, want, sizeof(want), WA_SIG_HEADER, err, errlen);
}

/* A printable ASCII token (message, media or user id) that fits in dst. */
static int
wa_token(char *dst, size_t dstlen, const json_t *v)
{
	if (!json_is_string(v))
		return -1;
	return adapter_token(
	    dst, dstlen, json_string_value(v), json_string_length(v));
}

/*
 * The message's text, onto the heap (m->text): optional UTF-8 (absent is
 * ""); anything but a string is an error.
 */
static int
wa_text(struct wa_parse *p, struct inbound_message *m, const json_t *v)
{
	if (v != NULL && !json_is_string(v))
		return wa_fail(p, "message text is not a string");
	if (text_dup(&m->text, v != NULL ? json_string_value(v) : "",
		v != NULL ? json_string_length(v) : 0, INBOUND_MAX_TEXT, p->err,
		p->errlen) != 0)
		return 400;
	return 0;
}

/* Unix seconds as a string (Meta's form) or a number; ms are accepted. */
static int
wa_timestamp(const json_t *v, time_t *out)
{
	const char *s;
	char *end;
	long long t;

	*out = 0;
	if (v == NULL)
		return 0;
	if (json_is_integer(v)) {
		t = json_integer_value(v);
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		if (s[0] < '0' || s[0] > '9' || json_string_length(v) > 18)
			return -1;
		t = strtoll(s, &end, 10);
		if (*end != '\0')
			return -1;
	} else {
		return -1;
	}
	if (t < 0)
		return -1;
	if (t > WA_MS_THRESHOLD)
		t /= 1000;
	*out = (time_t)t;
	return 0;
}

static int
wa_sender(struct wa_parse *p, const json_t *msg, const json_t *contacts,
    struct inbound_message *m)
{
	const json_t *from, *uid, *contact, *v;
	char plus[INBOUND_ADDR_MAX + 1];
	const char *f;
	size_t i, ncontacts;

	from = json_object_get(msg, "from");
	uid = json_object_get(msg, "from_user_id");
	if ((from != NULL && !json_is_string(from)) ||
	    (uid != NULL && !json_is_string(uid)))
		return wa_fail(p, "message sender is not a string");
	f = from != NULL ? json_string_value(from) : "";
	if (f[0] != '\0') {
		if (strlen(f) >= sizeof(plus) - 1)
			return wa_fail(
			    p, "message sender is not a phone number");
		snprintf(plus, sizeof(plus), "+%s", f);
		if (phone_normalize(plus, m->sender, sizeof(m->sender)) != 0)
			return wa_fail(
			    p, "message sender is not a phone number");
	}
	if (uid != NULL && json_string_length(uid) > 0 &&
	    wa_token(m->user_id, sizeof(m->user_id), uid) != 0)
		return wa_fail(p, "message user id is malformed");

	/* The profile belongs to the contact whose wa_id or user_id matches. */
	ncontacts = json_is_array(contacts) ? json_array_size(contacts) : 0;
	contact = NULL;
	for (i = 0; i < ncontacts && contact == NULL; i++) {
		const json_t *c = json_array_get(contacts, i);
		const char *wa = json_string_value(json_object_get(c, "wa_id"));
		const char *cu =
		    json_string_value(json_object_get(c, "user_id"));

		if (f[0] != '\0' && wa != NULL && strcmp(wa, f) == 0)
			contact = c;
		else if (m->user_id[0] != '\0' && cu != NULL &&
		    strcmp(cu, m->user_id) == 0)
			contact = c;
	}
	/* BSUID without from_user_id: the lone contact is the sender. */
	if (contact == NULL && f[0] == '\0' && m->user_id[0] == '\0' &&
	    ncontacts == 1)
		contact = json_array_get(contacts, 0);
	if (contact != NULL) {
		v = json_object_get(contact, "user_id");
		if (m->user_id[0] == '\0' && json_is_string(v) &&
		    json_string_length(v) > 0 &&
		    wa_token(m->user_id, sizeof(m->user_id), v) != 0)
			return wa_fail(p, "contact user id is malformed");
		v = json_object_get(
		    json_object_get(contact, "profile"), "name");
		if (v != NULL &&
		    (!json_is_string(v) ||
			text_copy(m->profile_name, sizeof(m->profile_name),
			    json_string_value(v), json_string_length(v),
			    sizeof(m->profile_name) - 1, p->err,
			    p->errlen) != 0))
			return wa_fail(p, "profile name is malformed");
	}
	if (m->sender[0] == '\0' && m->user_id[0] == '\0')
		return wa_fail(p, "message has neither a sender nor a user id");
	return 0;
}

static int
wa_location(struct wa_parse *p, const json_t *loc, struct inbound_message *m)
{
	const json_t *lat, *lon, *name, *addr;
	const char *ns, *as;
	char *buf;
	size_t nl, al;
	int rc;

	lat = json_object_get(loc, "latitude");
	lon = json_object_get(loc, "longitude");
	if (!json_is_number(lat) || !json_is_number(lon))
		return wa_fail(p, "location has no numeric coordinates");
	m->latitude = json_number_value(lat);
	m->longitude = json_number_value(lon);
	if (m->latitude < -90 || m->latitude > 90 || m->longitude < -180 ||
	    m->longitude > 180)
		return wa_fail(p, "location coordinates are out of range");
	m->has_location = 1;
	name = json_object_get(loc, "name");
	addr = json_object_get(loc, "address");
	if ((name != NULL && !json_is_string(name)) ||
	    (addr != NULL && !json_is_string(addr)))
		return wa_fail(p, "location name or address is not a string");
	ns = name != NULL ? json_string_value(name) : "";
	as = addr != NULL ? json_string_value(addr) : "";
	nl = name != NULL ? json_string_length(name) : 0;
	al = addr != NULL ? json_string_length(addr) : 0;
	if ((buf = malloc(nl + al + 2)) == NULL)
		return wa_fail(p, "out of memory");
	memcpy(buf, ns, nl);
	if (nl > 0 && al > 0)
		buf[nl++] = '\n';
	memcpy(buf + nl, as, al);
	rc = 0;
	if (text_dup(&m->label, buf, nl + al, INBOUND_MAX_TEXT, p->err,
		p->errlen) != 0 ||
	    text_dup(&m->text, "", 0, INBOUND_MAX_TEXT, p->err, p->errlen) != 0)
		rc = 400;
	sodium_memzero(buf, nl + al);
	free(buf);
	return rc;
}

static int
wa_media(struct wa_parse *p, const json_t *media, struct inbound_message *m)
{
	const json_t *id, *mime;

	id = json_object_get(media, "id");
	if (id == NULL)
		id = json_object_get(media, "url");
	if (wa_token(m->media_id, sizeof(m->media_id), id) != 0)
		return wa_fail(p, "media has no valid id");
	mime = json_object_get(media, "mime_type");
	/* "audio/ogg; codecs=opus": not a token, only valid short text. */
	if (mime != NULL &&
	    (!json_is_string(mime) ||
		text_copy(m->media_type, sizeof(m->media_type),
		    json_string_value(mime), json_string_length(mime),
		    sizeof(m->media_type) - 1, p->err, p->errlen) != 0))
		return wa_fail(p, "media type is malformed");
	return wa_text(p, m, json_object_get(media, "caption"));
}

/* Fill m's type and content; 1 when the type is skipped. */
static int
wa_content(struct wa_parse *p, const json_t *msg, const char *type,
    struct inbound_message *m)
{
	static const char *const media[] = {
	    "image", "video", "document", "audio"};
	const json_t *o, *reply;
	const char *itype;
	size_t i;

	o = json_object_get(msg, type);
	if (strcmp(type, "text") == 0) {
		if (!json_is_object(o) ||
		    !json_is_string(json_object_get(o, "body")))
			return wa_fail(p, "text message has no body");
		m->type = INBOUND_TEXT;
		return wa_text(p, m, json_object_get(o, "body"));
	}
	if (strcmp(type, "location") == 0) {
		if (!json_is_object(o))
			return wa_fail(p, "location message has no location");
		m->type = INBOUND_LOCATION;
		return wa_location(p, o, m);
	}
	for (i = 0; i < sizeof(media) / sizeof(media[0]); i++) {
		if (strcmp(type, media[i]) != 0)
			continue;
		if (!json_is_object(o))
			return wa_fail(p, "media message has no media object");
		m->type = INBOUND_MEDIA;
		return wa_media(p, o, m);
	}
	if (strcmp(type, "button") == 0) {
		if (!json_is_object(o) ||
		    !json_is_string(json_object_get(o, "text")))
			return wa_fail(p, "button message has no text");
		m->type = INBOUND_REPLY;
		return wa_text(p, m, json_object_get(o, "text"));
	}
	if (strcmp(type, "interactive") == 0) {
		if (!json_is_object(o) ||
		    (itype = json_string_value(json_object_get(o, "type"))) ==
			NULL)
			return wa_fail(p, "interactive message has no type");
		if (strcmp(itype, "button_reply") != 0 &&
		    strcmp(itype, "list_reply") != 0)
			return 1;
		reply = json_object_get(o, itype);
		if (!json_is_object(reply) ||
		    !json_is_string(json_object_get(reply, "title")))
			return wa_fail(p, "interactive reply has no title");
		m->type = INBOUND_REPLY;
		return wa_text(p, m, json_object_get(reply, "title"));
	}
	return 1;
}

static int
wa_message(struct wa_parse *p, const json_t *msg, const json_t *contacts)
{
	struct inbound_batch *out = p->out;
	struct inbound_message *m;
	const char *type;
	int rc;

	if (!json_is_object(msg))
		return wa_fail(p, "message is not an object");
	type = json_string_value(json_object_get(msg, "type"));
	if (type == NULL)
		return wa_fail(p, "message has no type");
	if (out->nmessages + out->nstatuses >= INBOUND_MAX_EVENTS)
		return wa_fail(p, "too many events in one request");
	m = &out->messages[out->nmessages];
	inbound_clear(m);
	if (wa_token(m->id, sizeof(m->id), json_object_get(msg, "id")) != 0)
		rc = wa_fail(p, "message has no valid id");
	else if (wa_timestamp(json_object_get(msg, "timestamp"), &m->sent_at) !=
	    0)
		rc = wa_fail(p, "message timestamp is malformed");
	else if ((rc = wa_content(p, msg, type, m)) == 1) {
		inbound_wipe(m); /* skipped: the entry is free again */
		return 0;
	} else if (rc == 0)
		rc = wa_sender(p, msg, contacts, m);
	if (rc != 0) {
		inbound_wipe(m); /* the message being filled, its text */
		return rc;
	}
	out->nmessages++;
	return 0;
}

static int
wa_status(struct wa_parse *p, const json_t *st)
{
	struct inbound_batch *out = p->out;
	struct inbound_status *s;
	const json_t *errors, *code;

	if (!json_is_object(st))
		return wa_fail(p, "status is not an object");
	if (out->nmessages + out->nstatuses >= INBOUND_MAX_EVENTS)
		return wa_fail(p, "too many events in one request");
	s = &out->statuses[out->nstatuses];
	memset(s, 0, sizeof(*s));
	if (wa_token(s->id, sizeof(s->id), json_object_get(st, "id")) != 0)
		return wa_fail(p, "status has no valid id");
	if (wa_token(s->status, sizeof(s->status),
		json_object_get(st, "status")) != 0)
		return wa_fail(p, "status has no valid status");
	if (wa_timestamp(json_object_get(st, "timestamp"), &s->at) != 0)
		return wa_fail(p, "status timestamp is malformed");
	errors = json_object_get(st, "errors");
	if (errors != NULL && !json_is_array(errors))
		return wa_fail(p, "status errors is not an array");
	code = json_object_get(json_array_get(errors, 0), "code");
	if (code != NULL) {
		if (!json_is_integer(code) || json_integer_value(code) < 0 ||
		    json_integer_value(code) > 0x7fffffff)
			return wa_fail(p, "status error code is malformed");
		s->error_code = (int)json_integer_value(code);
	}
	out->nstatuses++;
	return 0;
}

static int
wa_change(struct wa_parse *p, const json_t *change)
{
	const json_t *value, *msgs, *sts, *contacts, *pnid;
	const char *field;
	size_t i;
	int rc;

	if (!json_is_object(change))
		return wa_fail(p, "change is not an object");
	field = json_string_value(json_object_get(change, "field"));
	if (field == NULL)
		return wa_fail(p, "change has no field");
	if (strcmp(field, "messages") != 0)
		return 0;
	value = json_object_get(change, "value");
	if (!json_is_object(value))
		return wa_fail(p, "change has no value object");
	pnid = json_object_get(
	    json_object_get(value, "metadata"), "phone_number_id");
	if (pnid != NULL && !json_is_string(pnid))
		return wa_fail(p, "phone_number_id is not a string");
	/* Another number of the same app: not ours, acknowledge and skip. */
	if (p->channel->phone_number_id != NULL &&
	    p->channel->phone_number_id[0] != '\0' &&
	    (pnid == NULL ||
		strcmp(json_string_value(pnid), p->channel->phone_number_id) !=
		    0))
		return 0;
	msgs = json_object_get(value, "messages");
	sts = json_object_get(value, "statuses");
	contacts = json_object_get(value, "contacts");
	if ((msgs != NULL && !json_is_array(msgs)) ||
	    (sts != NULL && !json_is_array(sts)) ||
	    (contacts != NULL && !json_is_array(contacts)))
		return wa_fail(p,
		    "messages, statuses or contacts is not "
		    "an array");
	for (i = 0; i < json_array_size(msgs); i++)
		if ((rc = wa_message(p, json_array_get(msgs, i), contacts)) !=
		    0)
			return rc;
	for (i = 0; i < json_array_size(sts); i++)
		if ((rc = wa_status(p, json_array_get(sts, i))) != 0)
			return rc;
	return 0;
}

static int
wa_parse(const struct channel *c, const struct webhook_request *req,
    struct inbound_batch *out, char *err, size_t errlen)
{
	struct wa_parse p = {c, out, err, errlen};
	const json_t *entry, *e, *changes;
	const char *object;
	json_t *root;
	size_t i, j;
	int rc;

	if ((root = adapter_json_body(req, err, errlen)) == NULL)
		return 400;
	if (!json_is_object(root)) {
		rc = wa_fail(&p, "body is not a JSON object");
		goto fail;
	}
	object = json_string_value(json_object_get(root, "object"));
	if (object == NULL ||
	    strcmp(object, "whatsapp_business_account") != 0) {
		rc = wa_fail(&p, "object is not whatsapp_business_account");
		goto fail;
	}
	entry = json_object_get(root, "entry");
	if (!json_is_array(entry)) {
		rc = wa_fail(&p, "body has no entry array");
		goto fail;
	}
	for (i = 0; i < json_array_size(entry); i++) {
		e = json_array_get(entry, i);
		changes = json_object_get(e, "changes");
		if (!json_is_array(changes)) {
			rc = wa_fail(&p, "entry has no changes array");
			goto fail;
		}
		for (j = 0; j < json_array_size(changes); j++)
			if ((rc = wa_change(&p, json_array_get(changes, j))) !=
			    0)
				goto fail;
	}
	json_decref(root);
	return 0;
fail:
	/* Wipe what was copied: the messages and their texts. */
	for (i = 0; i < out->nmessages; i++)
		inbound_wipe(&out->messages[i]);
	out->nmessages = out->nstatuses = 0;
	json_decref(root);
	return rc;
}

static int
wa_sign(const struct channel *c, const struct simulated_message *msg,
    struct signed_request *out, char *err, size_t errlen)
{
	char e164[PHONE_E164_MAX], ts[32], id[64], sig[WA_SIG_LEN + 1];
	const char *pnid, *mid;

	memset(out, 0, sizeof(*out));
	if (c->app_secret == NULL || c->app_secret[0] == '\0') {
		snprintf(err, errlen, "channel has no app secret");
		goto fail;
	}
	if (msg->from == NULL ||
	    phone_normalize(msg->from, e164, sizeof(e164)) != 0) {
		snprintf(err, errlen, "sender is not a phone number");
		goto fail;
	}
	snprintf(ts, sizeof(ts), "%lld", (long long)msg->now);
	snprintf(id, sizeof(id), "wamid.simulated.%lld", (long long)msg->now);
	mid = msg->id != NULL ? msg->id : id;
	pnid = c->phone_number_id != NULL ? c->phone_number_id : "0";
	if (adapter_sign_json(out,
		json_pack("{s:s, s:[{s:s, s:[{s:{s:s, s:{s:s, s:s}, "
			  "s:[{s:{s:s}, s:s}], "
			  "s:[{s:s, s:s, s:s, s:s, s:{s:s}}]}, s:s}]}]}",
		    "object", "whatsapp_business_account", "entry", "id", "0",
		    "changes", "value", "messaging_product", "whatsapp",
		    "metadata", "display_phone_number", "", "phone_number_id",
		    pnid, "contacts", "profile", "name", "", "wa_id", e164 + 1,
		    "messages", "from", e164 + 1, "id", mid, "timestamp", ts,
		    "type", "text", "text", "body",
		    msg->text != NULL ? msg->text : "", "field", "messages"),
		JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH, err,
		errlen) != 0)
		goto fail;
	if (wa_signature(c->app_secret, out->body, out->body_len, sig) != 0) {
		snprintf(err, errlen, "cannot compute the signature");
		goto fail;
	}
	adapter_sign_header(out, 0, WA_SIG_HEADER, sig);
	return 0;
fail:
	signed_request_free(out);
	return -1;
}

const struct adapter whatsapp_cloud_adapter = {
    .provider = PROVIDER_WHATSAPP_CLOUD,
    .name = "whatsapp_cloud",
    .content_type = "application/json",
    .verify = wa_verify,
    .parse = wa_parse,
    .sign = wa_sign,
    .ack_body = "",
    .ack_content_type = "text/plain",
};

/*
 * Sending: POST {api_base}/{phone_number_id}/messages with the system
 * user's token as a Bearer token; a text message, or a template (body
 * parameters, Indonesian) when the 24-hour window is closed.
 */

#define WA_API_BASE	  "https://graph.facebook.com/v25.0"
#define WA_LANGUAGE	  "id"
#define WA_TEMPLATE_MAX	  512
#define WA_TEMPLATE_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
/* A BSUID: "user.…", "CC.…" (letters, digits, . _ -), up to 256 bytes. */
#define WA_BSUID_CHARS                                                         \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/*
 * The recipient as the Cloud API wants it: an E.164 number without its
 * '+', or a BSUID as is.  NULL when to is neither.
 */
static const char *
wa_recipient(const char *to)
{
	size_t n;

	if (to == NULL || *to == '\0')
		return NULL;
	if (*to == '+')
		return send_e164(to) ? to + 1 : NULL;
	n = strlen(to);
	return n < INBOUND_ADDR_MAX && strspn(to, WA_BSUID_CHARS) == n ? to
								       : NULL;
}

/* The template object: name, language, the body's text parameters. */
static json_t *
wa_template(const struct outbound_message *msg)
{
	json_t *tpl, *params, *p;
	size_t i, n = strlen(msg->template_name);

	if (n == 0 || n > WA_TEMPLATE_MAX ||
	    strspn(msg->template_name, WA_TEMPLATE_CHARS) != n)
		return NULL;
	tpl = json_pack("{s:s, s:{s:s}}", "name", msg->template_name,
	    "language", "code", WA_LANGUAGE);
	if (tpl == NULL || msg->ntemplate_params == 0)
		return tpl;
	if ((params = json_array()) == NULL)
		goto fail;
	for (i = 0; i < msg->ntemplate_params; i++) {
		p = json_pack("{s:s, s:s}", "type", "text", "text",
		    msg->template_params[i] != NULL ? msg->template_params[i]
						    : "");
		if (json_array_append_new(params, p) != 0) {
			json_decref(params);
			goto fail;
		}
	}
	if (json_object_set_new(tpl, "components",
		json_pack(
		    "[{s:s, s:o}]", "type", "body", "parameters", params)) == 0)
		return tpl;
fail:
	json_decref(tpl);
	return NULL;
}

static int
wa_build(const struct channel *c, const struct outbound_message *msg,
    struct http_request *out, char *err, size_t errlen)
{
	const char *to;
	json_t *root, *tpl;

	memset(out, 0, sizeof(*out));
	if (c->access_token == NULL || c->access_token[0] == '\0') {
		snprintf(err, errlen, "channel has no access_token");
		goto fail;
	}
	if (!send_path_segment(c->phone_number_id)) {
		snprintf(err, errlen, "channel has no usable phone_number_id");
		goto fail;
	}
	if ((to = wa_recipient(msg->to)) == NULL) {
		snprintf(err, errlen, "recipient is not a number or a BSUID");
		goto fail;
	}
	if (send_url(out, c->api_base, WA_API_BASE, err, errlen, "/%s/messages",
		c->phone_number_id) != 0)
		goto fail;
	if (send_header(out, "Authorization", "Bearer ", c->access_token) !=
	    0) {
		snprintf(err, errlen, "access_token is malformed or too long");
		goto fail;
	}
	if (msg->template_name != NULL) {
		if ((tpl = wa_template(msg)) == NULL) {
			snprintf(err, errlen, "cannot build the template");
			goto fail;
		}
		root =
		    json_pack("{s:s, s:s, s:s, s:s, s:o}", "messaging_product",
			"whatsapp", "recipient_type", "individual", "to", to,
			"type", "template", "template", tpl);
	} else if (msg->text == NULL || msg->text[0] == '\0') {
		snprintf(err, errlen, "message has no text");
		goto fail;
	} else
		root = json_pack("{s:s, s:s, s:s, s:s, s:{s:b, s:s}}",
		    "messaging_product", "whatsapp", "recipient_type",
		    "individual", "to", to, "type", "text", "text",
		    "preview_url", 0, "body", msg->text);
	if (send_json_body(out, root, err, errlen) != 0)
		goto fail;
	return 0;
fail:
	http_request_free(out);
	return -1;
}

/*
 * Error codes that ask for a retry whatever the HTTP status: API rate
 * limits (4, 80007), throughput (130429), the pair rate limit (131056),
 * register rate limit (133016) and the generic 131000 ("retry once"; the
 * dispatcher's max_attempts bounds it).
 */
static int
wa_code_retries(int code)
{
	static const int codes[] = {4, 80007, 130429, 131000, 131056, 133016};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (code == codes[i])
			return 1;
	return 0;
}

/* The pair rate limit allows about one message in 6 s to one user. */
#define WA_PAIR_LIMIT_MS 6000

static void
wa_parse_answer(const struct channel *c, long status, const char *retry_after,
    const char *body, size_t len, struct send_result *out)
{
	json_t *root = send_json_answer(body, len);
	const char *id;
	int code;

	(void)c;
	id = json_string_value(json_object_get(
	    json_array_get(json_object_get(root, "messages"), 0), "id"));
	code = send_json_int(json_object_get(root, "error"), "code");
	send_conclude(out, "WhatsApp", status, retry_after, id, code,
	    wa_code_retries(code));
	if (code == 131056 && out->retry_after_ms < WA_PAIR_LIMIT_MS)
		out->retry_after_ms = WA_PAIR_LIMIT_MS;
	json_decref(root);
}

const struct sender whatsapp_cloud_sender = {
    .provider = PROVIDER_WHATSAPP_CLOUD,
    .build = wa_build,
    .parse = wa_parse_answer,
    .inline_answer = NULL,
};
