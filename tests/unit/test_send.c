/*
 * test_send: the outbound half of every adapter (adapters/send.h).  The
 * exact requests each sender builds (URL, headers, credentials; JSON and
 * form bodies read back with jansson and form_parse, never compared as
 * strings), WhatsApp templates and the '+' it strips, the whatsapp:
 * prefix of a Twilio WhatsApp channel, missing or malformed credentials;
 * every outcome class of each provider's answer from realistic bodies;
 * Retry-After in seconds and as an HTTP-date; the inline answers (TwiML
 * and its escaping, SMSSync's task=send).  No error may quote a number, a
 * text or a credential.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "adapters/form.h"
#include "adapters/send.h"
#include "tests/unit/testlib.h"

#define REPORTER   FIXTURE_REPORTER
#define TEXT	   FIXTURE_SMS_TEXT
#define WA_TOKEN   "EAAGtokenForTestsOnly0123456789"
#define WA_URL	   "https://graph.facebook.com/v25.0/" FIXTURE_WA_PHONE_ID
#define TW_URL	   "https://api.twilio.com/2010-04-01/Accounts/"
#define TW_HX	   "HXb5b62575e6e4ff6129ad7c8efe1f983e"
#define ASG_USER   "DP4VDN"
#define ASG_PASS   "qrbwcqfz-password-for-tests"
#define ASG_BASE   "http://192.168.1.20:8080"
#define ASG_URL	   ASG_BASE "/message"
#define FORM	   "application/x-www-form-urlencoded"
#define RECEIPT	   "KDR-7Q4M-29XF"
#define CALLBACK   "https://lapor.pemkot.example/webhook/twilio/status"
#define TWIML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

/* Credentials of these tests that no error may quote either. */
static const char *const secrets[] = {WA_TOKEN, ASG_PASS, RECEIPT, TEXT};

static void
assert_clean(const char *err)
{
	size_t i;

	testlib_assert_clean_error(err);
	for (i = 0; i < TESTLIB_COUNT(secrets); i++)
		if (strstr(err, secrets[i]) != NULL)
			fail_msg("error quotes %s: %s", secrets[i], err);
}

static struct channel
make_channel(enum provider p)
{
	struct channel c = fixture_channel(p);

	if (p == PROVIDER_WHATSAPP_CLOUD)
		c.access_token = WA_TOKEN;
	if (p == PROVIDER_ANDROID_SMS_GATEWAY) {
		c.api_base = ASG_BASE; /* the phone's local server */
		c.username = ASG_USER;
		c.password = ASG_PASS;
	}
	return c;
}

static struct outbound_message
text_message(const char *to)
{
	struct outbound_message m;

	memset(&m, 0, sizeof(m));
	m.to = to;
	m.text = TEXT;
	return m;
}

/* Build msg for c into r; it must succeed. */
static void
build_ok(const struct channel *c, const struct outbound_message *msg,
    struct http_request *r)
{
	char err[128] = "";

	if (sender_for(c->provider)->build(c, msg, r, err, sizeof(err)) != 0)
		fail_msg("build failed: %s", err);
	assert_non_null(r->body);
	assert_int_equal(strlen(r->body), r->body_len);
}

/* Build must fail with a clean error holding want, and leave no body. */
static void
build_fails(const struct channel *c, const struct outbound_message *msg,
    const char *want)
{
	struct http_request r;
	char err[128] = "";

	memset(&r, 0x5a, sizeof(r));
	assert_int_equal(
	    sender_for(c->provider)->build(c, msg, &r, err, sizeof(err)), -1);
	assert_null(r.body);
	assert_string_equal(r.url, "");
	assert_string_equal(r.userpwd, "");
	assert_clean(err);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
}

static json_t *
body_json(const struct http_request *r)
{
	json_error_t jerr;
	json_t *root;

	assert_string_equal(r->content_type, "application/json");
	root = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		fail_msg("body is not JSON: %s", jerr.text);
	return root;
}

static const char *
jstr(const json_t *root, const char *path)
{
	char key[64];
	const char *dot;
	const json_t *v = root;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(key))
				     : json_object_get(v, key);
		path = dot + 1;
	}
	v = json_is_array(v) ? json_array_get(v, (size_t)atoi(path))
			     : json_object_get(v, path);
	if (!json_is_string(v))
		fail_msg("%s is not a string", path);
	return json_string_value(v);
}

/* The headers of r that are set, in order, joined by "|". */
static void
assert_headers(const struct http_request *r, const char *want)
{
	char got[SEND_MAX_HEADERS * 520] = "";
	size_t i;

	for (i = 0; i < SEND_MAX_HEADERS; i++) {
		if (r->headers[i][0] == '\0')
			continue;
		if (got[0] != '\0')
			strcat(got, "|");
		strcat(got, r->headers[i]);
	}
	assert_string_equal(got, want);
}

/* WhatsApp Cloud API: build. */

static void
test_wa_text(void **state)
{
	struct channel c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	struct outbound_message m = text_message(REPORTER);
	struct http_request r;
	json_t *j;

	(void)state;
	build_ok(&c, &m, &r);
	assert_string_equal(r.url, WA_URL "/messages");
	assert_headers(&r, "Authorization: Bearer " WA_TOKEN);
	assert_string_equal(r.userpwd, "");
	j = body_json(&r);
	assert_int_equal(json_object_size(j), 5);
	assert_string_equal(jstr(j, "messaging_product"), "whatsapp");
	assert_string_equal(jstr(j, "recipient_type"), "individual");
	assert_string_equal(jstr(j, "to"), FIXTURE_REPORTER_DIGITS);
	assert_string_equal(jstr(j, "type"), "text");
	assert_string_equal(jstr(j, "text.body"), TEXT);
	assert_true(json_is_false(
	    json_object_get(json_object_get(j, "text"), "preview_url")));
	json_decref(j);
	http_request_free(&r);
	assert_null(r.body);
	http_request_free(NULL);

	/* a BSUID goes as is; api_base replaces the default, '/' trimmed */
	c.api_base = "http://127.0.0.1:8099/v25.0/";
	m.to = "ID.1234567890123456";
	build_ok(&c, &m, &r);
	assert_string_equal(r.url,
	    "http://127.0.0.1:8099/v25.0/" FIXTURE_WA_PHONE_ID "/messages");
	j = body_json(&r);
	assert_string_equal(jstr(j, "to"), "ID.1234567890123456");
	json_decref(j);
	http_request_free(&r);

	/* Unicode survives */
	m.text = "Laporan diterima \xF0\x9F\x99\x8F \"kode\" & <b>";
	build_ok(&c, &m, &r);
	j = body_json(&r);
	assert_string_equal(jstr(j, "text.body"), m.text);
	json_decref(j);
	http_request_free(&r);
}

static void
test_wa_template(void **state)
{
	struct channel c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	const char *params[] = {RECEIPT, "Dinas Kependudukan"};
	struct outbound_message m = text_message(REPORTER);
	struct http_request r;
	json_t *j, *p;

	(void)state;
	m.template_name = "laporan_diterima";
	m.template_params = params;
	m.ntemplate_params = 2;
	build_ok(&c, &m, &r);
	assert_string_equal(r.url, WA_URL "/messages");
	j = body_json(&r);
	assert_string_equal(jstr(j, "to"), FIXTURE_REPORTER_DIGITS);
	assert_string_equal(jstr(j, "type"), "template");
	assert_null(json_object_get(j, "text"));
	assert_string_equal(jstr(j, "template.name"), "laporan_diterima");
	assert_string_equal(jstr(j, "template.language.code"), "id");
	assert_string_equal(jstr(j, "template.components.0.type"), "body");
	p = json_object_get(
	    json_array_get(
		json_object_get(json_object_get(j, "template"), "components"),
		0),
	    "parameters");
	assert_int_equal(json_array_size(p), 2);
	assert_string_equal(jstr(p, "0.type"), "text");
	assert_string_equal(jstr(p, "0.text"), RECEIPT);
	assert_string_equal(jstr(p, "1.text"), "Dinas Kependudukan");
	json_decref(j);
	http_request_free(&r);

	/* no parameters: no components */
	m.ntemplate_params = 0;
	m.text = NULL;
	build_ok(&c, &m, &r);
	j = body_json(&r);
	assert_null(
	    json_object_get(json_object_get(j, "template"), "components"));
	json_decref(j);
	http_request_free(&r);

	m.template_name = "Laporan Diterima";
	build_fails(&c, &m, "template");
	m.template_name = "";
	build_fails(&c, &m, "template");
}

static void
test_wa_build_errors(void **state)
{
	struct channel c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	struct outbound_message m = text_message(REPORTER);
	const char *bad_to[] = {"", "+62 812", "+6281234567890123456", "+",
	    "62/../1", "user id", "08123\r\n4567"};
	size_t i;

	(void)state;
	c.access_token = NULL;
	build_fails(&c, &m, "access_token");
	c.access_token = "";
	build_fails(&c, &m, "access_token");
	c.access_token = "EAAG\r\nX-Evil: 1";
	build_fails(&c, &m, "access_token");
	c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	c.phone_number_id = NULL;
	build_fails(&c, &m, "phone_number_id");
	c.phone_number_id = "1155/../me";
	build_fails(&c, &m, "phone_number_id");
	c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	for (i = 0; i < TESTLIB_COUNT(bad_to); i++) {
		m.to = bad_to[i];
		build_fails(&c, &m, "recipient");
	}
	m.to = NULL;
	build_fails(&c, &m, "recipient");
	m = text_message(REPORTER);
	m.text = "";
	build_fails(&c, &m, "text");
	m.text = NULL;
	build_fails(&c, &m, "text");
	m.text = "\xC0\xAF invalid UTF-8";
	build_fails(&c, &m, "message");
}

/* Answers: a table of (provider, status, Retry-After, body) -> result. */

struct answer {
	enum provider provider;
	long status;
	const char *retry_after;
	const char *body;
	enum send_outcome outcome;
	int code;
	const char *id;	   /* on SEND_OK */
	long retry_min_ms; /* at least, and no more than retry_max_ms */
	long retry_max_ms;
};

#define WA_ERROR(code, http_type)                                              \
	"{\"error\":{\"message\":\"(#" #code ") Message failed to send to "    \
	"+6281234567890\",\"type\":\"" http_type "\",\"code\":" #code          \
	",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":"     \
	"\"Recipient 6281234567890: PUNGLI di kantor\"},"                      \
	"\"fbtrace_id\":\"AbCdEfGhIjKlMnOp\"}}"
#define WA_OK                                                                  \
	"{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"        \
	"\"6281234567890\",\"wa_id\":\"6281234567890\"}],\"messages\":[{"      \
	"\"id\":\"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1\"}]}"
#define TW_ERROR(code, status)                                                 \
	"{\"code\":" #code ",\"message\":\"The 'To' number +6281234567890 "    \
	"is not a valid phone number.\",\"more_info\":"                        \
	"\"https://www.twilio.com/docs/errors/" #code "\",\"status\":" #status \
	"}"
#define TW_OK                                                                  \
	"{\"account_sid\":\"" FIXTURE_TWILIO_ACCOUNT "\",\"api_version\":"     \
	"\"2010-04-01\",\"body\":\"PUNGLI\",\"direction\":\"outbound-api\","   \
	"\"error_code\":null,\"error_message\":null,\"from\":"                 \
	"\"+6281100002222\",\"num_segments\":\"1\",\"sid\":"                   \
	"\"SM1f0e8ae6ade43cb3c0ce4525424e404f\",\"status\":\"queued\","        \
	"\"to\":\"+6281234567890\"}"
#define ASG_OK                                                                 \
	"{\"id\":\"PyDmBQZZXYmyxMwED8Fzy\",\"deviceId\":"                      \
	"\"yVULogr4Y1ksRfnos1Dsw\",\"state\":\"Pending\",\"isHashed\":false,"  \
	"\"isEncrypted\":false,\"recipients\":[{\"phoneNumber\":"              \
	"\"+6281234567890\",\"state\":\"Pending\"}]}"
#define HTML_500 "<html><body><h1>502 Bad Gateway</h1></body></html>"

static const struct answer answers[] = {
    /* WhatsApp Cloud API */
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL, WA_OK, SEND_OK, 0,
	"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1", 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL,
	"{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":"
	"\"wamid.X1\",\"message_status\":\"accepted\"}]}",
	SEND_OK, 0, "wamid.X1", 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(131047, "OAuthException"),
	SEND_PERMANENT, 131047, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(131026, "OAuthException"),
	SEND_PERMANENT, 131026, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(100, "OAuthException"),
	SEND_PERMANENT, 100, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 401, NULL, WA_ERROR(190, "OAuthException"),
	SEND_PERMANENT, 190, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(130429, "OAuthException"),
	SEND_RETRY, 130429, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(4, "OAuthException"),
	SEND_RETRY, 4, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(80007, "OAuthException"),
	SEND_RETRY, 80007, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(133016, "OAuthException"),
	SEND_RETRY, 133016, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 500, NULL, WA_ERROR(131000, "OAuthException"),
	SEND_RETRY, 131000, NULL, 0, 0},
    /* the pair rate limit waits 6 s at least */
    {PROVIDER_WHATSAPP_CLOUD, 400, NULL, WA_ERROR(131056, "OAuthException"),
	SEND_RETRY, 131056, NULL, 6000, 6000},
    {PROVIDER_WHATSAPP_CLOUD, 400, "20", WA_ERROR(131056, "OAuthException"),
	SEND_RETRY, 131056, NULL, 20000, 20000},
    {PROVIDER_WHATSAPP_CLOUD, 429, "7", WA_ERROR(130429, "OAuthException"),
	SEND_RETRY, 130429, NULL, 7000, 7000},
    {PROVIDER_WHATSAPP_CLOUD, 429, NULL, "", SEND_RETRY, 0, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 500, NULL, "", SEND_RETRY, 0, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 503, "120", HTML_500, SEND_RETRY, 0, NULL, 120000,
	120000},
    {PROVIDER_WHATSAPP_CLOUD, 0, NULL, NULL, SEND_RETRY, 0, NULL, 0, 0},
    /* accepted but no id: refuse to guess, do not send twice */
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL, "", SEND_PERMANENT, 0, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL, "OK", SEND_PERMANENT, 0, NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL, "{\"messages\":[]}", SEND_PERMANENT, 0,
	NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 200, NULL,
	"{\"messages\":[{\"id\":\"wamid with spaces\"}]}", SEND_PERMANENT, 0,
	NULL, 0, 0},
    {PROVIDER_WHATSAPP_CLOUD, 404, NULL, "garbage{", SEND_PERMANENT, 0, NULL, 0,
	0},
    {PROVIDER_WHATSAPP_CLOUD, 302, NULL, "", SEND_PERMANENT, 0, NULL, 0, 0},
    /* Twilio */
    {PROVIDER_TWILIO, 201, NULL, TW_OK, SEND_OK, 0,
	"SM1f0e8ae6ade43cb3c0ce4525424e404f", 0, 0},
    {PROVIDER_TWILIO, 400, NULL, TW_ERROR(21211, 400), SEND_PERMANENT, 21211,
	NULL, 0, 0},
    {PROVIDER_TWILIO, 400, NULL, TW_ERROR(21610, 400), SEND_PERMANENT, 21610,
	NULL, 0, 0},
    {PROVIDER_TWILIO, 401, NULL, TW_ERROR(20003, 401), SEND_PERMANENT, 20003,
	NULL, 0, 0},
    {PROVIDER_TWILIO, 429, NULL, TW_ERROR(20429, 429), SEND_RETRY, 20429, NULL,
	0, 0},
    {PROVIDER_TWILIO, 429, "3", TW_ERROR(20429, 429), SEND_RETRY, 20429, NULL,
	3000, 3000},
    {PROVIDER_TWILIO, 400, NULL, TW_ERROR(20429, 400), SEND_RETRY, 20429, NULL,
	0, 0},
    {PROVIDER_TWILIO, 500, NULL, TW_ERROR(20500, 500), SEND_RETRY, 20500, NULL,
	0, 0},
    {PROVIDER_TWILIO, 503, NULL, "", SEND_RETRY, 0, NULL, 0, 0},
    {PROVIDER_TWILIO, 502, NULL, HTML_500, SEND_RETRY, 0, NULL, 0, 0},
    {PROVIDER_TWILIO, 201, NULL, "", SEND_PERMANENT, 0, NULL, 0, 0},
    {PROVIDER_TWILIO, 201, NULL, "[1,2]", SEND_PERMANENT, 0, NULL, 0, 0},
    {PROVIDER_TWILIO, 404, NULL, "not json", SEND_PERMANENT, 0, NULL, 0, 0},
    /* SMS Gateway for Android */
    {PROVIDER_ANDROID_SMS_GATEWAY, 202, NULL, ASG_OK, SEND_OK, 0,
	"PyDmBQZZXYmyxMwED8Fzy", 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 201, NULL, ASG_OK, SEND_OK, 0,
	"PyDmBQZZXYmyxMwED8Fzy", 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 200, NULL, ASG_OK, SEND_OK, 0,
	"PyDmBQZZXYmyxMwED8Fzy", 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 400, NULL,
	"{\"message\":\"invalid phone number +6281234567890\"}", SEND_PERMANENT,
	0, NULL, 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 401, NULL, "{\"message\":\"Unauthorized\"}",
	SEND_PERMANENT, 0, NULL, 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 429, "60", "", SEND_RETRY, 0, NULL, 60000,
	60000},
    {PROVIDER_ANDROID_SMS_GATEWAY, 500, NULL,
	"{\"message\":\"internal server error\"}", SEND_RETRY, 0, NULL, 0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 502, "soon", HTML_500, SEND_RETRY, 0, NULL,
	0, 0},
    {PROVIDER_ANDROID_SMS_GATEWAY, 202, NULL, "{\"state\":\"Pending\"}",
	SEND_PERMANENT, 0, NULL, 0, 0},
    /* SMSSync has no API: nothing it answers can mean sent */
    {PROVIDER_SMSSYNC, 200, NULL, "{}", SEND_PERMANENT, 0, NULL, 0, 0},
};

static void
test_answers(void **state)
{
	const struct answer *a;
	struct send_result res;
	struct channel c;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(answers); i++) {
		a = &answers[i];
		c = make_channel(a->provider);
		memset(&res, 0x5a, sizeof(res));
		sender_for(a->provider)
		    ->parse(&c, a->status, a->retry_after, a->body,
			a->body != NULL ? strlen(a->body) : 0, &res);
		if (res.outcome != a->outcome)
			fail_msg("answer %zu: outcome %d, want %d (%s)", i,
			    (int)res.outcome, (int)a->outcome, res.error);
		assert_int_equal(res.error_code, a->code);
		if (a->outcome == SEND_OK) {
			assert_string_equal(res.provider_id, a->id);
			assert_string_equal(res.error, "");
		} else {
			assert_string_equal(res.provider_id, "");
			assert_clean(res.error);
		}
		if (res.retry_after_ms < a->retry_min_ms ||
		    res.retry_after_ms > a->retry_max_ms)
			fail_msg("answer %zu: retry after %ld ms", i,
			    res.retry_after_ms);
	}
}

/* The error names the provider, its code and the HTTP status. */
static void
test_answer_errors(void **state)
{
	struct channel c = make_channel(PROVIDER_WHATSAPP_CLOUD);
	const char *body = WA_ERROR(131047, "OAuthException");
	struct send_result res;

	(void)state;
	sender_for(PROVIDER_WHATSAPP_CLOUD)
	    ->parse(&c, 400, NULL, body, strlen(body), &res);
	assert_string_equal(res.error, "WhatsApp error 131047 (HTTP 400)");
	c = make_channel(PROVIDER_TWILIO);
	sender_for(PROVIDER_TWILIO)->parse(&c, 503, NULL, "", 0, &res);
	assert_string_equal(res.error, "Twilio answered HTTP 503");
	sender_for(PROVIDER_TWILIO)->parse(&c, 0, NULL, NULL, 0, &res);
	assert_string_equal(res.error, "Twilio did not answer");
}

/* Twilio: build and TwiML. */

static struct http_request
twilio_build(
    const struct channel *c, const struct outbound_message *m, struct form *f)
{
	struct http_request r;
	char err[128];

	build_ok(c, m, &r);
	assert_string_equal(r.content_type, FORM);
	if (form_parse(f, r.body, r.body_len, err, sizeof(err)) != 0)
		fail_msg("body is not a form: %s", err);
	return r;
}

static void
test_twilio_sms(void **state)
{
	struct channel c = make_channel(PROVIDER_TWILIO);
	struct outbound_message m = text_message(REPORTER);
	struct http_request r;
	struct form f;

	(void)state;
	m.status_callback = CALLBACK;
	r = twilio_build(&c, &m, &f);
	assert_string_equal(
	    r.url, TW_URL FIXTURE_TWILIO_ACCOUNT "/Messages.json");
	assert_string_equal(
	    r.userpwd, FIXTURE_TWILIO_ACCOUNT ":" FIXTURE_TWILIO_TOKEN);
	assert_headers(&r, "Accept: application/json");
	assert_int_equal(f.npairs, 4);
	assert_string_equal(form_get(&f, "To"), REPORTER);
	assert_string_equal(form_get(&f, "From"), FIXTURE_TWILIO_FROM);
	assert_string_equal(form_get(&f, "Body"), TEXT);
	assert_string_equal(form_get(&f, "StatusCallback"), CALLBACK);
	form_free(&f);
	http_request_free(&r);

	/* no callback: no field; api_base for the fake provider */
	m.status_callback = NULL;
	c.api_base = "http://127.0.0.1:8099";
	r = twilio_build(&c, &m, &f);
	assert_string_equal(r.url,
	    "http://127.0.0.1:8099/2010-04-01/Accounts/" FIXTURE_TWILIO_ACCOUNT
	    "/Messages.json");
	assert_int_equal(f.npairs, 3);
	assert_null(form_get(&f, "StatusCallback"));
	form_free(&f);
	http_request_free(&r);
}

static void
test_twilio_whatsapp(void **state)
{
	struct channel c = make_channel(PROVIDER_TWILIO);
	const char *params[] = {RECEIPT};
	struct outbound_message m = text_message(REPORTER);
	struct http_request r;
	struct form f;
	json_t *vars;

	(void)state;
	c.from = "whatsapp:+14155238886";
	r = twilio_build(&c, &m, &f);
	assert_string_equal(form_get(&f, "To"), "whatsapp:" REPORTER);
	assert_string_equal(form_get(&f, "From"), "whatsapp:+14155238886");
	assert_string_equal(form_get(&f, "Body"), TEXT);
	form_free(&f);
	http_request_free(&r);

	/* a Content SID template: ContentSid and ContentVariables, no Body */
	m.template_name = TW_HX;
	m.template_params = params;
	m.ntemplate_params = 1;
	r = twilio_build(&c, &m, &f);
	assert_string_equal(form_get(&f, "ContentSid"), TW_HX);
	assert_null(form_get(&f, "Body"));
	vars = json_loads(form_get(&f, "ContentVariables"), 0, NULL);
	assert_non_null(vars);
	assert_int_equal(json_object_size(vars), 1);
	assert_string_equal(jstr(vars, "1"), RECEIPT);
	json_decref(vars);
	form_free(&f);
	http_request_free(&r);

	/* a WhatsApp template name means nothing to Twilio: the text goes */
	m.template_name = "laporan_diterima";
	r = twilio_build(&c, &m, &f);
	assert_null(form_get(&f, "ContentSid"));
	assert_string_equal(form_get(&f, "Body"), TEXT);
	form_free(&f);
	http_request_free(&r);
}

static void
test_twilio_build_errors(void **state)
{
	struct channel c;
	struct outbound_message m = text_message(REPORTER);

	(void)state;
	c = make_channel(PROVIDER_TWILIO);
	c.account_sid = NULL;
	build_fails(&c, &m, "account_sid");
	c.account_sid = "AC/../../x";
	build_fails(&c, &m, "account_sid");
	c = make_channel(PROVIDER_TWILIO);
	c.auth_token = "";
	build_fails(&c, &m, "auth_token");
	c = make_channel(PROVIDER_TWILIO);
	c.auth_token = "tok\nen";
	build_fails(&c, &m, "auth_token");
	c = make_channel(PROVIDER_TWILIO);
	c.from = NULL;
	build_fails(&c, &m, "from");
	c = make_channel(PROVIDER_TWILIO);
	m.to = "081234567890";
	build_fails(&c, &m, "recipient");
	m.to = "whatsapp:+6281234567890";
	build_fails(&c, &m, "recipient");
	m.to = REPORTER;
	m.text = NULL;
	build_fails(&c, &m, "text");
}

static char *
inline_answer(const struct channel *c, const struct inline_reply *replies,
    size_t n, const char *want_type)
{
	const char *type = NULL;
	char *body;

	body = sender_for(c->provider)->inline_answer(c, replies, n, &type);
	assert_non_null(body);
	assert_non_null(type);
	assert_string_equal(type, want_type);
	return body;
}

static void
test_twiml(void **state)
{
	struct channel c = make_channel(PROVIDER_TWILIO);
	const struct inline_reply replies[] = {
	    {REPORTER, "Laporan diterima. Kode: " RECEIPT},
	    {REPORTER,
		"Tom & Jerry <b>\"kutip\" 'satu'</b>\x01\x1f\tok\n"
		"\xF0\x9F\x99\x8F"},
	};
	char *body;

	(void)state;
	body = inline_answer(&c, replies, 0, "text/xml");
	assert_string_equal(body, TWIML_HEAD "<Response/>");
	free(body);
	body = inline_answer(&c, replies, 2, "text/xml");
	assert_string_equal(body,
	    TWIML_HEAD "<Response><Message>Laporan diterima. Kode: " RECEIPT
		       "</Message><Message>Tom &amp; Jerry &lt;b&gt;&quot;"
		       "kutip&quot; &apos;satu&apos;&lt;/b&gt;\tok\n"
		       "\xF0\x9F\x99\x8F</Message></Response>");
	free(body);
}

/* SMS Gateway for Android. */

static void
test_asg(void **state)
{
	struct channel c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct outbound_message m = text_message(REPORTER);
	struct http_request r;
	json_t *j, *numbers;

	(void)state;
	build_ok(&c, &m, &r);
	assert_string_equal(r.url, ASG_URL);
	assert_string_equal(r.userpwd, ASG_USER ":" ASG_PASS);
	assert_headers(&r, "");
	j = body_json(&r);
	assert_int_equal(json_object_size(j), 3);
	assert_string_equal(jstr(j, "textMessage.text"), TEXT);
	numbers = json_object_get(j, "phoneNumbers");
	assert_int_equal(json_array_size(numbers), 1);
	assert_string_equal(jstr(numbers, "0"), REPORTER);
	assert_true(json_is_true(json_object_get(j, "withDeliveryReport")));
	json_decref(j);
	http_request_free(&r);

	/* a private server, named; without a base nothing is sent (no
	 * default: the vendor's cloud relay keeps every message) */
	c.api_base = "https://sms.kedirikota.go.id/3rdparty/v1/";
	build_ok(&c, &m, &r);
	assert_string_equal(
	    r.url, "https://sms.kedirikota.go.id/3rdparty/v1/message");
	http_request_free(&r);
	c.api_base = NULL;
	build_fails(&c, &m, "api_base");
	c.api_base = "";
	build_fails(&c, &m, "api_base");

	c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	c.username = NULL;
	build_fails(&c, &m, "username");
	c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	c.password = NULL;
	build_fails(&c, &m, "password");
	c.password = "";
	build_fails(&c, &m, "password");
	c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	c.username = "user:x";
	build_fails(&c, &m, "username");
	c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	c.api_base = testlib_repeat("http://", "a", 1100, "");
	build_fails(&c, &m, "api_base");
	free(c.api_base);
	c = make_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	m.to = "6281234567890";
	build_fails(&c, &m, "recipient");
	m = text_message(REPORTER);
	m.text = "";
	build_fails(&c, &m, "text");
	assert_null(sender_for(PROVIDER_ANDROID_SMS_GATEWAY)->inline_answer);
	assert_null(sender_for(PROVIDER_WHATSAPP_CLOUD)->inline_answer);
}

/* SMSSync. */

static void
test_smssync(void **state)
{
	struct channel c = make_channel(PROVIDER_SMSSYNC);
	struct outbound_message m = text_message(REPORTER);
	const struct inline_reply replies[] = {
	    {REPORTER, "Laporan diterima. Kode: " RECEIPT},
	    {"+6285600001111", "Laporan baru untuk Dinas: KDR-0042"},
	};
	json_t *j, *p, *msgs;
	char *body;
	size_t i;

	(void)state;
	build_fails(&c, &m, "SMSSync");

	body = inline_answer(&c, replies, 0, "application/json");
	assert_string_equal(
	    body, "{\"payload\":{\"success\":true,\"error\":null}}");
	free(body);

	body = inline_answer(&c, replies, 2, "application/json");
	j = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(j);
	p = json_object_get(j, "payload");
	assert_true(json_is_true(json_object_get(p, "success")));
	assert_true(json_is_null(json_object_get(p, "error")));
	assert_string_equal(jstr(p, "task"), "send");
	assert_string_equal(jstr(p, "secret"), FIXTURE_SMSSYNC_SECRET);
	msgs = json_object_get(p, "messages");
	assert_int_equal(json_array_size(msgs), 2);
	for (i = 0; i < 2; i++) {
		const json_t *e = json_array_get(msgs, i);

		assert_int_equal(json_object_size(e), 3);
		assert_string_equal(jstr(e, "to"), replies[i].to);
		assert_string_equal(jstr(e, "message"), replies[i].text);
		assert_int_equal(strlen(jstr(e, "uuid")), 36);
		assert_int_equal(jstr(e, "uuid")[14], '4');
	}
	assert_string_not_equal(jstr(msgs, "0.uuid"), jstr(msgs, "1.uuid"));
	json_decref(j);
	free(body);
}

/* The shared pieces. */

static void
test_registry(void **state)
{
	const enum provider all[] = {PROVIDER_WHATSAPP_CLOUD, PROVIDER_TWILIO,
	    PROVIDER_ANDROID_SMS_GATEWAY, PROVIDER_SMSSYNC};
	const struct sender *s;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(all); i++) {
		s = sender_for(all[i]);
		assert_non_null(s);
		assert_int_equal(s->provider, all[i]);
		assert_non_null(s->build);
		assert_non_null(s->parse);
	}
	assert_null(sender_for((enum provider)99));
}

static void
test_outcome_of(void **state)
{
	const struct {
		long status;
		enum send_outcome want;
	} cases[] = {
	    {200, SEND_OK},
	    {201, SEND_OK},
	    {202, SEND_OK},
	    {204, SEND_OK},
	    {0, SEND_RETRY},
	    {408, SEND_RETRY},
	    {429, SEND_RETRY},
	    {500, SEND_RETRY},
	    {502, SEND_RETRY},
	    {503, SEND_RETRY},
	    {504, SEND_RETRY},
	    {100, SEND_PERMANENT},
	    {301, SEND_PERMANENT},
	    {400, SEND_PERMANENT},
	    {401, SEND_PERMANENT},
	    {403, SEND_PERMANENT},
	    {404, SEND_PERMANENT},
	    {413, SEND_PERMANENT},
	    {600, SEND_PERMANENT},
	    {-1, SEND_PERMANENT},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		if (send_outcome_of(cases[i].status) != cases[i].want)
			fail_msg("HTTP %ld", cases[i].status);
}

static void
test_retry_after(void **state)
{
	/* Thu, 01 Jan 2026 00:00:00 GMT */
	const time_t now = 1767225600;

	(void)state;
	assert_int_equal(send_retry_after_ms(NULL, now), 0);
	assert_int_equal(send_retry_after_ms("", now), 0);
	assert_int_equal(send_retry_after_ms("0", now), 0);
	assert_int_equal(send_retry_after_ms("1", now), 1000);
	assert_int_equal(send_retry_after_ms("120", now), 120000);
	assert_int_equal(send_retry_after_ms("86400", now), 86400000);
	assert_int_equal(
	    send_retry_after_ms("86401", now), SEND_RETRY_AFTER_MAX_MS);
	assert_int_equal(send_retry_after_ms("99999999999999999999999", now),
	    SEND_RETRY_AFTER_MAX_MS);
	assert_int_equal(send_retry_after_ms("-5", now), 0);
	assert_int_equal(send_retry_after_ms("12s", now), 0);
	/* as servers send it: "Retry-After: 12", whitespace around */
	assert_int_equal(send_retry_after_ms(" 12", now), 12000);
	assert_int_equal(send_retry_after_ms(" 3600", now), 3600000);
	assert_int_equal(send_retry_after_ms("\t3600 \t", now), 3600000);
	assert_int_equal(send_retry_after_ms("   ", now), 0);
	assert_int_equal(send_retry_after_ms("1 2", now), 0);
	assert_int_equal(
	    send_retry_after_ms(" Thu, 01 Jan 2026 00:01:30 GMT ", now), 90000);
	/* the obsolete forms a recipient must accept (RFC 9110 5.6.7) */
	assert_int_equal(
	    send_retry_after_ms("Thursday, 01-Jan-26 00:01:30 GMT", now),
	    90000);
	assert_int_equal(
	    send_retry_after_ms("Thu Jan  1 00:01:30 2026", now), 90000);
	assert_int_equal(send_retry_after_ms("1.5", now), 0);
	assert_int_equal(
	    send_retry_after_ms("Thu, 01 Jan 2026 00:01:30 GMT", now), 90000);
	assert_int_equal(
	    send_retry_after_ms("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
	assert_int_equal(
	    send_retry_after_ms("Thu, 01 Jan 2026 00:00:00 GMT", now), 0);
	assert_int_equal(
	    send_retry_after_ms("Fri, 01 Jan 2027 00:00:00 GMT", now),
	    SEND_RETRY_AFTER_MAX_MS);
	assert_int_equal(
	    send_retry_after_ms("Thu, 01 Jan 2026 00:01:30 GMT junk", now), 0);
	assert_int_equal(send_retry_after_ms("tomorrow", now), 0);
}

static void
test_request_pieces(void **state)
{
	struct http_request r;
	char err[128] = "", *big;
	size_t i;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (i = 0; i < SEND_MAX_HEADERS; i++)
		assert_int_equal(send_header(&r, "X-N", "", "v"), 0);
	assert_int_equal(send_header(&r, "X-N", "", "v"), -1);
	memset(&r, 0, sizeof(r));
	big = testlib_repeat("", "t", 600, "");
	assert_int_equal(send_header(&r, "Authorization", "Bearer ", big), -1);
	assert_string_equal(r.headers[0], "");
	assert_int_equal(send_userpwd(&r, "user", big), -1);
	assert_string_equal(r.userpwd, "");
	assert_int_equal(
	    send_url(&r, big, "x", err, sizeof(err), "/%s", big), -1);
	assert_string_equal(r.url, "");
	assert_clean(err);
	free(big);
	assert_int_equal(send_url(&r, NULL, "https://x.example//", err,
			     sizeof(err), "/a/%d", 7),
	    0);
	assert_string_equal(r.url, "https://x.example/a/7");
	assert_true(send_path_segment("115522334455667"));
	assert_true(send_path_segment(FIXTURE_TWILIO_ACCOUNT));
	assert_false(send_path_segment(""));
	assert_false(send_path_segment(NULL));
	assert_false(send_path_segment("a/b"));
	assert_false(send_path_segment("a?b"));
	assert_false(send_path_segment("a%2fb"));
	assert_true(send_e164(REPORTER));
	assert_false(send_e164("+62812345678901234"));
	assert_false(send_e164("+62 812"));
	assert_false(send_e164(FIXTURE_REPORTER_DIGITS));
	assert_false(send_e164(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wa_text),
	    cmocka_unit_test(test_wa_template),
	    cmocka_unit_test(test_wa_build_errors),
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_answer_errors),
	    cmocka_unit_test(test_twilio_sms),
	    cmocka_unit_test(test_twilio_whatsapp),
	    cmocka_unit_test(test_twilio_build_errors),
	    cmocka_unit_test(test_twiml),
	    cmocka_unit_test(test_asg),
	    cmocka_unit_test(test_smssync),
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_outcome_of),
	    cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_request_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
