/*
 * twilio: the Twilio Programmable Messaging adapter (SMS and WhatsApp).
 * Verifies X-Twilio-Signature (base64 HMAC-SHA1 under the auth token of
 * the public URL followed by every decoded POST field, sorted by name),
 * trying the URL as received, then without its port or with the scheme's
 * default port, as twilio-node does; then checks the AccountSid.  Parses
 * an inbound message (text, media, location, button reply) or a status
 * callback, and builds signed webhooks for `hotline simulate`.  Its sender
 * (at the end) builds Messages API requests, reads their answers, and
 * writes inline replies as TwiML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "adapters/adapter.h"
#include "adapters/form.h"
#include "adapters/send.h"
#include "adapters/text.h"
#include "lib/phone.h"

#define TWILIO_HEADER	    "X-Twilio-Signature"
#define TWILIO_SIG_SIZE	    29 /* base64 of 20 bytes + NUL */
#define TWILIO_API_VERSION  "2010-04-01"
#define TWILIO_COORD_MAX    64
#define TWILIO_CONTENT_TYPE "application/x-www-form-urlencoded"

static int
twilio_pair_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

/*
 * base64(HMAC-SHA1(token, url[0..urllen) + name1 value1 name2 value2 ...))
 * with the pairs sorted by name (then value), into sig.
 */
static int
twilio_signature(const char *token, const char *url, size_t urllen,
    const struct kv *pairs, size_t n, char sig[TWILIO_SIG_SIZE])
{
	struct kv sorted[FORM_MAX_PAIRS];
	unsigned char mac[20];
	size_t i, len = urllen, kl, vl;
	char *msg = NULL, *w;
	int rc = -1;

	if (n > FORM_MAX_PAIRS)
		goto fail;
	memcpy(sorted, pairs, n * sizeof(*pairs));
	qsort(sorted, n, sizeof(*sorted), twilio_pair_cmp);
	for (i = 0; i < n; i++)
		len += strlen(sorted[i].key) + strlen(sorted[i].value);
	if ((msg = malloc(len + 1)) == NULL)
		goto fail;
	memcpy(msg, url, urllen);
	w = msg + urllen;
	for (i = 0; i < n; i++) {
		kl = strlen(sorted[i].key);
		vl = strlen(sorted[i].value);
		memcpy(w, sorted[i].key, kl);
		memcpy(w + kl, sorted[i].value, vl);
		w += kl + vl;
	}
	if (adapter_hmac_sha1(token, strlen(token), msg, len, mac) == -1 ||
	    adapter_base64(mac, sizeof(mac), sig, TWILIO_SIG_SIZE) == -1)
		goto fail;
	rc = 0;
fail:
	if (msg != NULL) /* the sender's number and text are in it */
		sodium_memzero(msg, len);
	free(msg);
	return rc;
}

/*
 * The other spelling of url's port: without it when it has one, with the
 * scheme's default (":443", ":80") when it has none.  Writes a malloc'd
 * string to *alt, or NULL when there is no other spelling.
 */
static int
twilio_url_alternative(const char *url, size_t urllen, char **alt)
{
	const char *host, *end, *colon = NULL, *p;
	const char *port = NULL;
	size_t plen;

	*alt = NULL;
	if (urllen >= 8 && strncmp(url, "https://", 8) == 0) {
		host = url + 8;
		port = ":443";
	} else if (urllen >= 7 && strncmp(url, "http://", 7) == 0) {
		host = url + 7;
		port = ":80";
	} else
		return 0;
	for (end = host; end < url + urllen && strchr("/?#", *end) == NULL;
	     end++)
		;
	for (p = host; p < end; p++) {
		if (*p == '@')
			colon = NULL, host = p + 1;
		else if (*p == ']')
			colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	plen = strlen(port);
	if ((*alt = malloc(urllen + plen + 1)) == NULL)
		return -1;
	if (colon != NULL) {
		/* strip ":port" */
		memcpy(*alt, url, (size_t)(colon - url));
		memcpy(*alt + (colon - url), end, (size_t)(url + urllen - end));
		(*alt)[urllen - (size_t)(end - colon)] = '\0';
	} else {
		memcpy(*alt, url, (size_t)(end - url));
		memcpy(*alt + (end - url), port, plen);
		memcpy(*alt + (end - url) + plen, end,
		    (size_t)(url + urllen - end));
		(*alt)[urllen + plen] = '\0';
	}
	return 0;
}

static int
twilio_verify(const struct channel *ch, const struct webhook_request *req,
    char *err, size_t errlen)
{
	struct form f = {.npairs = 0, .buf = NULL};
	char want[TWILIO_SIG_SIZE], *alt = NULL;
	const char *sig, *account;
	size_t urllen, n;
	int rc = 403, ok = 0;

	if ((sig = webhook_header(req, TWILIO_HEADER)) == NULL ||
	    *sig == '\0') {
		snprintf(err, errlen, "missing " TWILIO_HEADER " header");
		return 401;
	}
	if (ch->auth_token == NULL || *ch->auth_token == '\0' ||
	    req->url == NULL) {
		snprintf(err, errlen, "channel has no auth_token or URL");
		return 403;
	}
	if (form_parse(&f, req->body, req->body_len, err, errlen) == -1) {
		rc = 400;
		goto fail;
	}
	/* a GET webhook carries its fields in the (signed) URL only */
	n = req->method != NULL && strcmp(req->method, "GET") == 0 ? 0
								   : f.npairs;
	/* the fragment is never sent nor signed */
	urllen = strcspn(req->url, "#");
	if (twilio_signature(
		ch->auth_token, req->url, urllen, f.pairs, n, want) == -1)
		goto internal;
	ok = adapter_equal_secret(sig, want);
	if (twilio_url_alternative(req->url, urllen, &alt) == -1)
		goto internal;
	if (alt != NULL) {
		if (twilio_signature(ch->auth_token, alt, strlen(alt), f.pairs,
			n, want) == -1)
			goto internal;
		ok |= adapter_equal_secret(sig, want);
	}
	if (!ok) {
		snprintf(err, errlen, TWILIO_HEADER " does not match");
		goto fail;
	}
	if (ch->account_sid != NULL && *ch->account_sid != '\0') {
		account = form_get(&f, "AccountSid");
		if (!adapter_equal_secret(account, ch->account_sid)) {
			snprintf(err, errlen,
			    "AccountSid does not match the channel");
			goto fail;
		}
	}
	rc = 0;
	goto fail;
internal:
	snprintf(err, errlen, "cannot compute the signature");
	rc = 403;
fail:
	free(alt);
	form_free(&f);
	return rc;
}

/* A provider id: 1..INBOUND_ID_MAX-1 printable ASCII bytes, no space. */
static int
twilio_copy_id(char *dst, size_t dstlen, const char *s)
{
	return adapter_token(dst, dstlen, s, s != NULL ? strlen(s) : 0);
}

/* A field that must fit dst as is (media URL, MIME type, status). */
static int
twilio_copy_field(char *dst, size_t dstlen, const char *s, char *err,
    size_t errlen, const char *what)
{
	if (s == NULL ||
	    text_copy(dst, dstlen, s, strlen(s), dstlen, err, errlen) == -1) {
		snprintf(err, errlen, "%s is malformed or too long", what);
		return -1;
	}
	return 0;
}

static int
twilio_parse_number(const char *s, double min, double max, double *out)
{
	char *end;
	double d;

	if (s == NULL || *s == '\0' || strlen(s) > TWILIO_COORD_MAX)
		return -1;
	d = strtod(s, &end);
	if (*end != '\0' || !(d >= min && d <= max))
		return -1;
	*out = d;
	return 0;
}

static int
twilio_parse_status(const struct form *f, const struct webhook_request *req,
    struct inbound_batch *out, char *err, size_t errlen)
{
	struct inbound_status *st = &out->statuses[0];
	const char *code;
	char *end;
	long n;

	memset(st, 0, sizeof(*st));

	if (twilio_copy_id(st->id, sizeof(st->id), form_get(f, "MessageSid")) ==
	    -1) {
		snprintf(err, errlen, "MessageSid is missing or malformed");
		return 400;
	}
	if (twilio_copy_field(st->status, sizeof(st->status),
		form_get(f, "MessageStatus"), err, errlen,
		"MessageStatus") == -1)
		return 400;
	if ((code = form_get(f, "ErrorCode")) != NULL && *code != '\0') {
		n = strtol(code, &end, 10);
		if (*end != '\0' || n < 0 || n > 999999) {
			snprintf(err, errlen, "ErrorCode is not a number");
			return 400;
		}
		st->error_code = (int)n;
	}
	st->at = req->now;
	out->nstatuses = 1;
	return 0;
}

/* Location text: the label and the address, one a line. */
static int
twilio_location_text(
    struct inbound_message *m, const struct form *f, char *err, size_t errlen)
{
	const char *label = form_get(f, "Label"),
		   *addr = form_get(f, "Address");
	const char *body = form_get(f, "Body");
	size_t ll, al, len;
	char *buf;
	int rc;

	if ((label == NULL || *label == '\0') &&
	    (addr == NULL || *addr == '\0'))
		return text_dup(&m->text, body ? body : "",
		    body ? strlen(body) : 0, INBOUND_MAX_TEXT, err, errlen);
	ll = label ? strlen(label) : 0;
	al = addr ? strlen(addr) : 0;
	if ((buf = malloc(ll + al + 2)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = 0;
	if (ll > 0) {
		memcpy(buf, label, ll);
		len = ll;
	}
	if (ll > 0 && al > 0)
		buf[len++] = '\n';
	if (al > 0) {
		memcpy(buf + len, addr, al);
		len += al;
	}
	rc = text_dup(&m->text, buf, len, INBOUND_MAX_TEXT, err, errlen);
	sodium_memzero(buf, len);
	free(buf);
	return rc;
}

static int
twilio_parse_message(
    const struct form *f, struct inbound_batch *out, char *err, size_t errlen)
{
	struct inbound_message *m = &out->messages[0];
	const char *from, *body, *v, *lat, *lon;
	char plus[INBOUND_ADDR_MAX];
	long nmedia = 0;
	char *end;

	inbound_clear(m);

	if (twilio_copy_id(m->id, sizeof(m->id), form_get(f, "MessageSid")) ==
	    -1) {
		snprintf(err, errlen, "MessageSid is missing or malformed");
		return 400;
	}
	if ((from = form_get(f, "From")) == NULL) {
		snprintf(err, errlen, "From is missing");
		return 400;
	}
	if (phone_normalize(from, m->sender, sizeof(m->sender)) == -1) {
		/* WhatsApp: WaId is the same number, digits only */
		v = form_get(f, "WaId");
		if (v == NULL || strlen(v) + 2 > sizeof(plus)) {
			snprintf(err, errlen, "From is not a phone number");
			return 400;
		}
		snprintf(plus, sizeof(plus), "+%s", v);
		if (phone_normalize(plus, m->sender, sizeof(m->sender)) == -1) {
			snprintf(err, errlen, "From is not a phone number");
			return 400;
		}
	}
	if ((v = form_get(f, "ExternalUserId")) != NULL && *v != '\0') {
		if (strncmp(v, "whatsapp:", 9) == 0)
			v += 9;
		if (twilio_copy_id(m->user_id, sizeof(m->user_id), v) == -1) {
			snprintf(err, errlen, "ExternalUserId is malformed");
			return 400;
		}
	}
	if ((v = form_get(f, "ProfileName")) != NULL &&
	    text_copy(m->profile_name, sizeof(m->profile_name), v, strlen(v),
		sizeof(m->profile_name) - 1, err, errlen) == -1) {
		snprintf(err, errlen, "ProfileName is not valid or too long");
		return 400;
	}

	body = form_get(f, "Body");
	lat = form_get(f, "Latitude");
	lon = form_get(f, "Longitude");
	if ((v = form_get(f, "NumMedia")) != NULL && *v != '\0') {
		nmedia = strtol(v, &end, 10);
		if (*end != '\0' || nmedia < 0 || nmedia > 100) {
			snprintf(err, errlen, "NumMedia is not a number");
			return 400;
		}
	}
	if (lat != NULL || lon != NULL) {
		m->type = INBOUND_LOCATION;
		if (twilio_parse_number(lat, -90, 90, &m->latitude) == -1 ||
		    twilio_parse_number(lon, -180, 180, &m->longitude) == -1) {
			snprintf(err, errlen, "location is malformed");
			return 400;
		}
		m->has_location = 1;
		if (twilio_location_text(m, f, err, errlen) == -1)
			return 400;
		goto done;
	}
	if (nmedia > 0) {
		m->type = INBOUND_MEDIA;
		if ((v = form_get(f, "MediaUrl0")) == NULL) {
			snprintf(err, errlen, "MediaUrl0 is missing");
			return 400;
		}
		if (twilio_copy_field(m->media_id, sizeof(m->media_id), v, err,
			errlen, "MediaUrl0") == -1)
			return 400;
		if ((v = form_get(f, "MediaContentType0")) != NULL &&
		    twilio_copy_field(m->media_type, sizeof(m->media_type), v,
			err, errlen, "MediaContentType0") == -1)
			return 400;
	} else if ((v = form_get(f, "ButtonText")) != NULL && *v != '\0') {
		m->type = INBOUND_REPLY;
		body = v;
	} else
		m->type = INBOUND_TEXT;
	if (body == NULL)
		body = "";
	if (text_dup(&m->text, body, strlen(body), INBOUND_MAX_TEXT, err,
		errlen) == -1)
		return 400;
done:
	m->sent_at = 0;
	out->nmessages = 1;
	return 0;
}

static int
twilio_parse(const struct channel *ch, const struct webhook_request *req,
    struct inbound_batch *out, char *err, size_t errlen)
{
	struct form f = {.npairs = 0, .buf = NULL};
	int rc;

	(void)ch;
	if (form_parse(&f, req->body, req->body_len, err, errlen) == -1)
		return 400;
	if (form_get(&f, "MessageStatus") != NULL &&
	    form_get(&f, "Body") == NULL)
		rc = twilio_parse_status(&f, req, out, err, errlen);
	else if ((rc = twilio_parse_message(&f, out, err, errlen)) != 0)
		inbound_wipe(&out->messages[0]); /* and its text, if any */
	form_free(&f);
	return rc;
}

static int
twilio_sign(const struct channel *ch, const struct simulated_message *msg,
    struct signed_request *out, char *err, size_t errlen)
{
	char from[INBOUND_ADDR_MAX], sig[TWILIO_SIG_SIZE];
	const char *to;
	struct kv pairs[10];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (ch->auth_token == NULL || ch->webhook_url == NULL ||
	    msg->from == NULL || msg->text == NULL || msg->id == NULL) {
		snprintf(err, errlen, "channel or message is incomplete");
		return -1;
	}
	to = ch->from != NULL ? ch->from : "";
	/* a WhatsApp channel addresses both ends as whatsapp:+E164 */
	snprintf(from, sizeof(from), "%s%s",
	    strncmp(to, "whatsapp:", 9) == 0 ? "whatsapp:" : "", msg->from);
	pairs[n++] = (struct kv){"ToCountry", "ID"};
	pairs[n++] = (struct kv){"SmsMessageSid", msg->id};
	pairs[n++] = (struct kv){"NumMedia", "0"};
	pairs[n++] = (struct kv){"SmsStatus", "received"};
	pairs[n++] = (struct kv){"Body", msg->text};
	pairs[n++] = (struct kv){"To", to};
	pairs[n++] = (struct kv){"MessageSid", msg->id};
	pairs[n++] = (struct kv){
	    "AccountSid", ch->account_sid != NULL ? ch->account_sid : ""};
	pairs[n++] = (struct kv){"From", from};
	pairs[n++] = (struct kv){"ApiVersion", TWILIO_API_VERSION};
	if (twilio_signature(ch->auth_token, ch->webhook_url,
		strlen(ch->webhook_url), pairs, n, sig) == -1) {
		snprintf(err, errlen, "cannot compute the signature");
		return -1;
	}
	if ((out->body = form_encode(pairs, n, &out->body_len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    TWILIO_CONTENT_TYPE);
	adapter_sign_header(out, 0, TWILIO_HEADER, sig);
	return 0;
}

const struct adapter twilio_adapter = {
    .provider = PROVIDER_TWILIO,
    .name = "twilio",
    .content_type = TWILIO_CONTENT_TYPE,
    .verify = twilio_verify,
    .parse = twilio_parse,
    .sign = twilio_sign,
    .ack_body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
    .ack_content_type = "text/xml",
};

/*
 * Sending: POST {api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json
 * as a form, HTTP Basic AccountSid:AuthToken.  A WhatsApp channel (its
 * from is "whatsapp:+…") addresses the recipient as "whatsapp:+…" too.
 * A template name that is a Content SID (HX…) is sent as ContentSid and
 * ContentVariables {"1": …, "2": …}; the text goes as Body otherwise.
 */

#define TWILIO_API_BASE	  "https://api.twilio.com"
#define TWILIO_WA_PREFIX  "whatsapp:"
#define TWILIO_MAX_PARAMS 16

/* "HX" + 32 hex digits: a Content API template. */
static int
twilio_content_sid(const char *s)
{
	return s != NULL && strncmp(s, "HX", 2) == 0 && strlen(s) == 34 &&
	    strspn(s + 2, "0123456789abcdefABCDEF") == 32;
}

/* ContentVariables: {"1": params[0], ...} as a malloc'd JSON string. */
static char *
twilio_content_variables(const struct outbound_message *msg)
{
	json_t *vars = json_object();
	char key[24];
	size_t i, len;

	if (vars == NULL || msg->ntemplate_params > TWILIO_MAX_PARAMS)
		goto fail;
	for (i = 0; i < msg->ntemplate_params; i++) {
		snprintf(key, sizeof(key), "%zu", i + 1);
		if (msg->template_params[i] == NULL ||
		    json_object_set_new(
			vars, key, json_string(msg->template_params[i])) != 0)
			goto fail;
	}
	return adapter_json_dump(vars, JSON_COMPACT, &len);
fail:
	json_decref(vars);
	return NULL;
}

static int
twilio_build(const struct channel *ch, const struct outbound_message *msg,
    struct http_request *out, char *err, size_t errlen)
{
	char to[INBOUND_ADDR_MAX], *vars = NULL;
	struct kv pairs[5];
	size_t n = 0;
	int wa;

	memset(out, 0, sizeof(*out));
	if (ch->auth_token == NULL || ch->auth_token[0] == '\0' ||
	    ch->from == NULL || ch->from[0] == '\0' ||
	    !send_path_segment(ch->account_sid)) {
		snprintf(err, errlen,
		    "channel has no account_sid, auth_token or from");
		goto fail;
	}
	wa = strncmp(ch->from, TWILIO_WA_PREFIX, strlen(TWILIO_WA_PREFIX)) == 0;
	if (!send_e164(msg->to)) {
		snprintf(err, errlen, "recipient is not an E.164 number");
		goto fail;
	}
	snprintf(to, sizeof(to), "%s%s", wa ? TWILIO_WA_PREFIX : "", msg->to);
	if (send_url(out, ch->api_base, TWILIO_API_BASE, err, errlen,
		"/" TWILIO_API_VERSION "/Accounts/%s/Messages.json",
		ch->account_sid) != 0)
		goto fail;
	if (send_userpwd(out, ch->account_sid, ch->auth_token) != 0) {
		snprintf(err, errlen, "auth_token is malformed or too long");
		goto fail;
	}
	(void)send_header(out, "Accept", "", "application/json");
	pairs[n++] = (struct kv){"To", to};
	pairs[n++] = (struct kv){"From", ch->from};
	if (twilio_content_sid(msg->template_name)) {
		if ((vars = twilio_content_variables(msg)) == NULL) {
			snprintf(err, errlen, "cannot build the template");
			goto fail;
		}
		pairs[n++] = (struct kv){"ContentSid", msg->template_name};
		pairs[n++] = (struct kv){"ContentVariables", vars};
	} else if (msg->text == NULL || msg->text[0] == '\0') {
		snprintf(err, errlen, "message has no text");
		goto fail;
	} else
		pairs[n++] = (struct kv){"Body", msg->text};
	if (msg->status_callback != NULL && msg->status_callback[0] != '\0')
		pairs[n++] =
		    (struct kv){"StatusCallback", msg->status_callback};
	if ((out->body = form_encode(pairs, n, &out->body_len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    TWILIO_CONTENT_TYPE);
	free(vars);
	return 0;
fail:
	free(vars);
	http_request_free(out);
	return -1;
}

static void
twilio_parse_answer(const struct channel *ch, long status,
    const char *retry_after, const char *body, size_t len,
    struct send_result *out)
{
	json_t *root = send_json_answer(body, len);
	int code;

	(void)ch;
	code = send_json_int(root, "code");
	/* 20429: Too Many Requests, not processed */
	send_conclude(out, "Twilio", status, retry_after,
	    json_string_value(json_object_get(root, "sid")), code,
	    code == 20429);
	json_decref(root);
}

/* XML character data: & < > " ' escaped, characters XML 1.0 forbids dropped */
static void
twilio_xml_escape(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		default:
			if ((unsigned char)*s >= ' ' || *s == '\t' ||
			    *s == '\n' || *s == '\r')
				fputc(*s, fp);
		}
	}
}

/*
 * TwiML: one <Message> a reply.  Inline replies go to the webhook's
 * sender, Twilio's default, so reply.to is not written.
 */
static char *
twilio_inline_answer(const struct channel *ch,
    const struct inline_reply *replies, size_t n, const char **content_type)
{
	char *buf = NULL;
	size_t len, i;
	FILE *fp;

	(void)ch;
	*content_type = twilio_adapter.ack_content_type;
	if (n == 0)
		return strdup(twilio_adapter.ack_body);
	if ((fp = open_memstream(&buf, &len)) == NULL)
		return NULL;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>", fp);
	for (i = 0; i < n; i++) {
		fputs("<Message>", fp);
		twilio_xml_escape(
		    fp, replies[i].text != NULL ? replies[i].text : "");
		fputs("</Message>", fp);
	}
	fputs("</Response>", fp);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Twilio keeps every inbound message with its sender's number: DELETE
 * /2010-04-01/Accounts/{sid}/Messages/{MessageSid}.json removes it, and
 * its media with it.  A message still being received cannot be deleted
 * yet (an error the dispatcher retries).
 */
static int
twilio_forget(const struct channel *ch, const char *provider_id,
    struct http_request *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (ch->auth_token == NULL || ch->auth_token[0] == '\0' ||
	    !send_path_segment(ch->account_sid) ||
	    !send_path_segment(provider_id)) {
		snprintf(
		    err, errlen, "no account_sid, auth_token or message id");
		goto fail;
	}
	if (send_url(out, ch->api_base, TWILIO_API_BASE, err, errlen,
		"/" TWILIO_API_VERSION "/Accounts/%s/Messages/%s.json",
		ch->account_sid, provider_id) != 0)
		goto fail;
	if (send_userpwd(out, ch->account_sid, ch->auth_token) != 0) {
		snprintf(err, errlen, "auth_token is malformed or too long");
		goto fail;
	}
	(void)send_header(out, "Accept", "", "application/json");
	snprintf(out->method, sizeof(out->method), "DELETE");
	return 0;
fail:
	http_request_free(out);
	return -1;
}

const struct sender twilio_sender = {
    .provider = PROVIDER_TWILIO,
    .build = twilio_build,
    .parse = twilio_parse_answer,
    .inline_answer = twilio_inline_answer,
    .forget = twilio_forget,
};
