/*
 * test_twilio: the Twilio adapter against the signed fixtures, tampered
 * requests, the published twilio-node test vectors (port variants, a URL
 * signed byte for byte, repeated fields), the parser (text, WhatsApp,
 * media, location, button reply, status callback, malformed input) and
 * sign() round trips.  Also the shared helpers of adapters/adapter.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

/* defined in adapters/twilio.c and adapters/smssync.c */
extern const struct adapter twilio_adapter;
extern const struct adapter smssync_adapter;

#define SMS_URL	 FIXTURE_TWILIO_SMS_URL
#define SMS_SIG	 FIXTURE_TWILIO_SMS_SIG
#define WA_URL	 FIXTURE_TWILIO_WA_URL
#define WA_SIG	 FIXTURE_TWILIO_WA_SIG
#define TOKEN	 FIXTURE_TWILIO_TOKEN
#define ACCOUNT	 FIXTURE_TWILIO_ACCOUNT
#define SMS_BODY FIXTURE_SMS_TEXT
#define REPORTER FIXTURE_REPORTER
#define FORM	 "application/x-www-form-urlencoded"

/* The twilio-node validation.spec.js vectors. */
#define VEC_TOKEN "12345"
#define VEC_URL	  "https://mycompany.com/myapp.php?foo=1&bar=2"
#define VEC_BODY                                                               \
	"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&"         \
	"From=%2B14158675309&To=%2B18005551212"

static struct channel
make_channel(const char *url, const char *token, const char *account)
{
	struct channel ch = fixture_channel(PROVIDER_TWILIO);

	ch.webhook_url = (char *)url;
	ch.auth_token = (char *)token;
	ch.account_sid = (char *)account;
	return ch;
}

/* A POST of body to url, with X-Twilio-Signature: sig when not NULL. */
static void
make_req(struct testlib_request *q, const char *url, const char *body,
    size_t len, const char *sig)
{
	testlib_request(q, "POST", url, FORM, body, len, FIXTURE_NOW);
	testlib_header(q, "Content-Type", FORM);
	testlib_header(q, "X-Twilio-Signature", sig);
}

static int
verify(const struct channel *ch, const char *url, const char *body, size_t len,
    const char *sig)
{
	struct testlib_request q;

	make_req(&q, url, body, len, sig);
	return testlib_verify(&twilio_adapter, ch, &q.r);
}

/* Parse body into a batch of inbound_batch_new(). */
static int
parse(const char *body, size_t len, struct inbound_batch **out, char *err,
    size_t errlen)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct testlib_request q;

	make_req(&q, SMS_URL, body, len, NULL);
	return testlib_parse(&twilio_adapter, &ch, &q.r, out, err, errlen);
}

static int
parse_str(const char *body, struct inbound_batch **out)
{
	return parse(body, strlen(body), out, NULL, 0);
}

/*
 * A signed fixture: it verifies at url (and not at other_url: the
 * signature binds the URL) and holds the one message want.
 */
static void
expect_fixture(const char *name, const char *url, const char *other_url,
    const char *sig, const struct testlib_message *want)
{
	struct channel ch = make_channel(url, TOKEN, ACCOUNT);
	struct inbound_batch *b;
	char *body;
	size_t len;

	body = testlib_read_fixture(name, &len);
	assert_int_equal(verify(&ch, url, body, len, sig), 0);
	assert_int_equal(verify(&ch, other_url, body, len, sig), 403);
	assert_int_equal(parse(body, len, &b, NULL, 0), 0);
	testlib_assert_one_message(b, want);
	inbound_batch_free(b);
	free(body);
}

static void
test_sms_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "SM7f3a1c9e2b4d4e6f8a0b1c2d3e4f5a6b",
	    .sender = REPORTER,
	    .user_id = "",
	    .profile_name = "",
	    .text = SMS_BODY};

	(void)state;
	expect_fixture("twilio_inbound.form", SMS_URL, WA_URL, SMS_SIG, &want);
}

static void
test_whatsapp_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "SM0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7",
	    .sender = REPORTER,
	    .profile_name = "Budi Santoso",
	    .text = SMS_BODY};

	(void)state;
	expect_fixture(
	    "twilio_whatsapp_inbound.form", WA_URL, SMS_URL, WA_SIG, &want);
}

static void
test_header_case(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct testlib_request q;
	char *body;
	size_t len;

	(void)state;
	body = testlib_read_fixture("twilio_inbound.form", &len);
	make_req(&q, SMS_URL, body, len, SMS_SIG);
	q.headers[1].key = "x-twilio-signature";
	assert_int_equal(testlib_verify(&twilio_adapter, &ch, &q.r), 0);
	q.headers[1].key = "X-TWILIO-SIGNATURE";
	assert_int_equal(testlib_verify(&twilio_adapter, &ch, &q.r), 0);
	free(body);
}

static void
test_tampered(void **state)
{
	/* the fixture's body, received at another URL or signature */
	static const struct {
		const char *url, *sig;
		int want;
	} cases[] = {
	    /* the URL changed */
	    {SMS_URL "?x=1", SMS_SIG, 403},
	    {"http://lapor.pemkot.example/hooks/twilio/sms", SMS_SIG, 403},
	    {SMS_URL "/", SMS_SIG, 403},
	    {"https://lapor.pemkot.example/hooks/sms", SMS_SIG, 403},
	    /* as in twilio-node, a URL received with a port is also tried
	     * without */
	    {"https://lapor.pemkot.example:8443/hooks/twilio/sms", SMS_SIG, 0},
	    /* the signature changed, truncated, or doubled */
	    {SMS_URL, "NwaeQfqPjgvrfF1f54AXYhu5WDR=", 403},
	    {SMS_URL, "NwaeQfqPjgvrfF1f54AXYhu5WDQ", 403},
	    {SMS_URL, SMS_SIG SMS_SIG, 403},
	    {SMS_URL, WA_SIG, 403},
	};
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	char *body, *p, *copy;
	size_t len, rlen, i;
	const char *removed = "&ApiVersion=2010-04-01";

	(void)state;
	body = testlib_read_fixture("twilio_inbound.form", &len);
	copy = malloc(len + 1);
	assert_non_null(copy);

	/* one byte of Body changed */
	memcpy(copy, body, len + 1);
	p = strstr(copy, "Bandar");
	assert_non_null(p);
	p[1] = 'u';
	assert_int_equal(verify(&ch, SMS_URL, copy, len, SMS_SIG), 403);

	/* the sender changed */
	memcpy(copy, body, len + 1);
	p = strstr(copy, "From=%2B6281234567890");
	assert_non_null(p);
	p[strlen("From=%2B628123456789")] = '1';
	assert_int_equal(verify(&ch, SMS_URL, copy, len, SMS_SIG), 403);

	/* a param removed */
	memcpy(copy, body, len + 1);
	p = strstr(copy, removed);
	assert_non_null(p);
	rlen = strlen(removed);
	memmove(p, p + rlen, strlen(p + rlen) + 1);
	assert_int_equal(verify(&ch, SMS_URL, copy, len - rlen, SMS_SIG), 403);

	/* a param added */
	memcpy(copy, body, len + 1);
	assert_int_equal(verify(&ch, SMS_URL, "x=1", 3, SMS_SIG), 403);

	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		if (verify(&ch, cases[i].url, body, len, cases[i].sig) !=
		    cases[i].want)
			fail_msg("case %zu: not %d", i, cases[i].want);

	/* a body truncated by one byte */
	assert_int_equal(verify(&ch, SMS_URL, body, len - 1, SMS_SIG), 403);
	free(copy);
	free(body);
}

static void
test_missing_signature(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	char *body;
	size_t len;

	(void)state;
	body = testlib_read_fixture("twilio_inbound.form", &len);
	assert_int_equal(verify(&ch, SMS_URL, body, len, NULL), 401);
	assert_int_equal(verify(&ch, SMS_URL, body, len, ""), 401);
	free(body);
}

static void
test_wrong_credentials(void **state)
{
	static const struct {
		const char *token, *account;
		int want;
	} cases[] = {
	    {"a1b2c3d4e5f60718293a4b5c6d7e8f91", ACCOUNT, 403},
	    {NULL, ACCOUNT, 403},
	    {"", ACCOUNT, 403},
	    /* correctly signed, but for another account */
	    {TOKEN, "AC00000000000000000000000000000000", 403},
	    /* no account configured: the signature alone decides */
	    {TOKEN, NULL, 0},
	};
	struct channel ch;
	char *body;
	size_t len, i;

	(void)state;
	body = testlib_read_fixture("twilio_inbound.form", &len);
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		ch = make_channel(SMS_URL, cases[i].token, cases[i].account);
		if (verify(&ch, SMS_URL, body, len, SMS_SIG) != cases[i].want)
			fail_msg("case %zu: not %d", i, cases[i].want);
	}
	free(body);
}

static void
test_vectors(void **state)
{
#define U443  "https://mycompany.com:443/myapp.php?foo=1&bar=2"
#define U80   "http://mycompany.com/myapp.php?foo=1&bar=2"
#define U80P  "http://mycompany.com:80/myapp.php?foo=1&bar=2"
#define U1234 "http://mycompany.com:1234/myapp.php?foo=1&bar=2"
	static const struct {
		const char *url, *body, *sig;
		int want;
	} vectors[] = {
	    {VEC_URL, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", 0},
	    /* signed without the port, received with it: port stripped */
	    {U443, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", 0},
	    /* signed with :443, received without: default port added */
	    {VEC_URL, VEC_BODY, "kvajT1Ptam85bY51eRf/AJRuM3w=", 0},
	    {U443, VEC_BODY, "kvajT1Ptam85bY51eRf/AJRuM3w=", 0},
	    /* http with :80 */
	    {U80, VEC_BODY, "0ZXoZLH/DfblKGATFgpif+LLRf4=", 0},
	    {U80P, VEC_BODY, "0ZXoZLH/DfblKGATFgpif+LLRf4=", 0},
	    /* a non-default port must be as signed */
	    {U1234, VEC_BODY, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", 0},
	    {U80, VEC_BODY, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", 403},
	    /* the https vector does not verify over http */
	    {U80, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", 403},
	    /* the raw query is signed byte for byte, never re-encoded */
	    {VEC_URL "&Body=It%27s+amazing", VEC_BODY,
		"TfZzewPq8wqrGlMfyAud8+/IvJ0=", 0},
	    {VEC_URL "&Body=It's+amazing", VEC_BODY,
		"TfZzewPq8wqrGlMfyAud8+/IvJ0=", 403},
	    {VEC_URL "&Body=It's+amazing", VEC_BODY,
		"dsq4Ehbj6cs+KdTkpF5sSSplOWw=", 0},
	    /* a repeated name: each value, sorted */
	    {VEC_URL,
		"MessagingBinding.Address=%2B1415xxxxxxx&"
		"MessagingBinding.Address=%2B1325xxxxxxx",
		"83O6e2vORAoJHUNzJjDWN1jz+BA=", 0},
	    /* no parameters: the URL alone */
	    {"https://mycompany.com/myapp.php?bodySHA256="
	     "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a"
	     "80c7cf19632632f96e6620",
		"", "y77kIzt2vzLz71DgmJGsen2scGs=", 0},
	    /* the fragment (connection overrides) is not signed */
	    {VEC_URL "#rc=2&rp=all", VEC_BODY,
		"RSOYDt4T1cUTdK1PDd93/VVr8B8=", 0},
	    /* field order on the wire does not matter */
	    {VEC_URL,
		"To=%2B18005551212&From=%2B14158675309&Digits=1234&"
		"Caller=%2B14158675309&CallSid=CA1234567890ABCDE",
		"RSOYDt4T1cUTdK1PDd93/VVr8B8=", 0},
	};
#undef U443
#undef U80
#undef U80P
#undef U1234
	struct channel ch;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(vectors); i++) {
		ch = make_channel(vectors[i].url, VEC_TOKEN, NULL);
		if (verify(&ch, vectors[i].url, vectors[i].body,
			strlen(vectors[i].body),
			vectors[i].sig) != vectors[i].want)
			fail_msg("vector %zu: not %d", i, vectors[i].want);
	}
}

static void
test_get_request(void **state)
{
	struct channel ch = make_channel(VEC_URL, VEC_TOKEN, NULL);
	struct testlib_request q;

	(void)state;
	make_req(&q,
	    "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a"
	    "2dfe9416e41502b283a80c7cf19632632f96e6620",
	    "", 0, "y77kIzt2vzLz71DgmJGsen2scGs=");
	q.r.method = "GET";
	assert_int_equal(testlib_verify(&twilio_adapter, &ch, &q.r), 0);
}

static void
test_malformed_form(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	static const char *const bad[] = {
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%zz",
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%2",
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%00b",
	    "MessageSid=SM1%00&From=%2B6281234567890&Body=a",
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(bad); i++)
		assert_int_equal(
		    verify(&ch, SMS_URL, bad[i], strlen(bad[i]), SMS_SIG), 400);
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_missing_fields(void **state)
{
	static const char *const bad[] = {
	    "From=%2B6281234567890&Body=halo",
	    "MessageSid=&From=%2B6281234567890&Body=x",
	    "MessageSid=SM1&Body=halo",
	    "MessageSid=SM1&From=garbage&Body=x",
	    "MessageSid=SM+1&From=%2B6281234567890",
	    "",
	};
	struct inbound_batch *b;

	(void)state;
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
	/* no Body: an empty text */
	assert_int_equal(
	    parse_str("MessageSid=SM1&From=%2B6281234567890", &b), 0);
	assert_string_equal(b->messages[0].text, "");
	inbound_batch_free(b);
}

static char *
body_with_text(const char *unit, size_t count)
{
	return testlib_repeat(
	    "MessageSid=SM1&From=081234567890&Body=", unit, count, "");
}

/* 65,536 characters of 1 to 4 bytes, form-encoded, are taken whole. */
static void
test_text_limits(void **state)
{
	static const struct testlib_char chars[] = {
	    {"a", "a"},
	    {"+", " "},
	    {"%C3%A9", "\xc3\xa9"},
	    {"%E2%80%94", "\xe2\x80\x94"},
	    {"%F0%9F%99%8F", "\xf0\x9f\x99\x8f"},
	};
	struct inbound_batch *b;
	char err[256], *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		s = body_with_text(chars[i].sent, INBOUND_MAX_TEXT);
		assert_int_equal(parse_str(s, &b), 0);
		testlib_assert_repeated(
		    b->messages[0].text, chars[i].kept, INBOUND_MAX_TEXT);
		assert_string_equal(b->messages[0].sender, REPORTER);
		inbound_batch_free(b);
		free(s);

		s = body_with_text(chars[i].sent, INBOUND_MAX_TEXT + 1);
		assert_int_equal(
		    parse(s, strlen(s), &b, err, sizeof(err)), 400);
		assert_string_equal(
		    err, "text is longer than 65536 characters");
		inbound_batch_free(b);
		free(s);
	}
}

static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
	    "MessageSid=SM1&From=%2B6281234567890&Body=%ED%A0%80",
	    "MessageSid=SM1&From=%2B6281234567890&Body=x&ProfileName=%FF",
	};
	struct inbound_batch *b;
	char err[256];
	const char *s = "MessageSid=SM1&From=%2B6281234567890&Body=ab%C3%28";

	(void)state;
	assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is not valid UTF-8");
	inbound_batch_free(b);
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_media(void **state)
{
	/* NumMedia without the URL, or not a number */
	static const char *const bad[] = {
	    "MessageSid=MM1&From=081234567890&NumMedia=1",
	    "MessageSid=MM1&From=081234567890&NumMedia=x",
	};
	const struct testlib_message want = {.type = INBOUND_MEDIA,
	    .sender = REPORTER,
	    .text = "foto kuitansi",
	    .media_id = "https://api.twilio.com/2010-04-01/"
			"Accounts/AC1/Messages/MM1/Media/ME1",
	    .media_type = "image/jpeg"};
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(
	    parse_str("MessageSid=MM1&From=whatsapp%3A%2B62812345"
		      "67890&NumMedia=1&Body=foto+kuitansi&"
		      "MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010"
		      "-04-01%2FAccounts%2FAC1%2FMessages%2FMM1%2F"
		      "Media%2FME1&MediaContentType0=image%2Fjpeg",
		&b),
	    0);
	testlib_assert_one_message(b, &want);
	inbound_batch_free(b);
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_location(void **state)
{
	static const char *const bad[] = {
	    "MessageSid=SM1&From=081234567890&Latitude=91&Longitude=111.9",
	    "MessageSid=SM1&From=081234567890&Latitude=-7.8",
	    "MessageSid=SM1&From=081234567890&Latitude=nan&Longitude=1",
	};
	const struct testlib_message want = {.type = INBOUND_LOCATION,
	    .text = "Kantor Kelurahan Bandar Lor\n"
		    "Jl. Bandar Lor, Kota Kediri",
	    .has_location = 1};
	struct inbound_batch *b;
	struct inbound_message *m;

	(void)state;
	assert_int_equal(parse_str("MessageSid=SM1&From=whatsapp%3A%2B628123456"
				   "7890&Latitude=-7.8089&Longitude=111.9934&"
				   "Label=Kantor+Kelurahan+Bandar+Lor&Address="
				   "Jl.+Bandar+Lor%2C+Kota+Kediri&Body=",
			     &b),
	    0);
	m = &b->messages[0];
	testlib_assert_message(m, &want);
	assert_true(m->latitude > -7.81 && m->latitude < -7.80);
	assert_true(m->longitude > 111.99 && m->longitude < 112.0);
	inbound_batch_free(b);
	assert_int_equal(parse_str("MessageSid=SM1&From=081234567890&Latitude="
				   "-7.8&Longitude=111.9",
			     &b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_LOCATION);
	assert_string_equal(b->messages[0].text, "");
	inbound_batch_free(b);
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_button_reply(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(
	    parse_str("MessageSid=SM1&From=whatsapp%3A%2B628123456"
		      "7890&Body=Ya&ButtonText=Ya&ButtonPayload=yes",
		&b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_REPLY);
	assert_string_equal(b->messages[0].text, "Ya");
	inbound_batch_free(b);
}

static void
test_status_callback(void **state)
{
	static const char *const bad[] = {
	    "MessageStatus=delivered",
	    "MessageSid=SMabc&MessageStatus=averyveryverylongstatus",
	    "MessageSid=SMabc&MessageStatus=failed&ErrorCode=x1",
	};
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_str("ErrorCode=30003&MessageSid=SMabc&"
				   "MessageStatus=undelivered&SmsStatus="
				   "undelivered&To=%2B6285777000111&From="
				   "%2B14155238886&AccountSid=" ACCOUNT,
			     &b),
	    0);
	assert_int_equal(b->nmessages, 0);
	assert_int_equal(b->nstatuses, 1);
	assert_string_equal(b->statuses[0].id, "SMabc");
	assert_string_equal(b->statuses[0].status, "undelivered");
	assert_int_equal(b->statuses[0].error_code, 30003);
	assert_int_equal(b->statuses[0].at, 1795314600);
	inbound_batch_free(b);
	assert_int_equal(
	    parse_str("MessageSid=SMabc&MessageStatus=delivered", &b), 0);
	assert_string_equal(b->statuses[0].status, "delivered");
	assert_int_equal(b->statuses[0].error_code, 0);
	inbound_batch_free(b);
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
round_trip(
    const char *url, const char *chfrom, const char *from, const char *text)
{
	struct channel ch = make_channel(url, TOKEN, ACCOUNT);
	struct simulated_message msg = {
	    from, text, "SMsimulated0001", FIXTURE_NOW};
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "SMsimulated0001",
	    .sender = from,
	    .text = text};
	struct signed_request sr;
	struct testlib_request q;

	ch.from = (char *)chfrom;
	testlib_round_trip(&twilio_adapter, &ch, &msg, url, &want, &sr, &q);
	assert_string_equal(sr.header_name[0], "X-Twilio-Signature");
	assert_int_equal(strlen(sr.header_value[0]), 28);
	assert_string_equal(sr.header_name[1], "");
	/* and the signature covers the body */
	sr.body[sr.body_len - 1] ^= 1;
	assert_int_equal(testlib_verify(&twilio_adapter, &ch, &q.r), 403);
	signed_request_free(&sr);
	assert_null(sr.body);
	signed_request_free(&sr);
}

static void
test_sign_round_trip(void **state)
{
	(void)state;
	round_trip(SMS_URL, "+6281100002222", REPORTER, SMS_BODY);
	round_trip(WA_URL, "whatsapp:+14155238886", REPORTER,
	    "Pungli 50rb & \"uang rokok\" = 100% + biaya, caf\xc3\xa9 "
	    "\xf0\x9f\x99\x8f~*'()!");
	round_trip("https://lapor.pemkot.example:8443/hooks/twilio/sms?k=a%20b",
	    "+6281100002222", "+14155550100", "");
}

static void
test_sign_errors(void **state)
{
	struct channel ch = make_channel(NULL, TOKEN, ACCOUNT);
	struct simulated_message msg = {REPORTER, "x", "SM1", 0};

	(void)state;
	testlib_sign_fails(&twilio_adapter, &ch, &msg);
}

static void
test_adapter_table(void **state)
{
	(void)state;
	assert_ptr_equal(adapter_for(PROVIDER_SMSSYNC), &smssync_adapter);
	assert_int_equal(adapter_for(PROVIDER_WHATSAPP_CLOUD)->provider,
	    PROVIDER_WHATSAPP_CLOUD);
	assert_int_equal(adapter_for(PROVIDER_ANDROID_SMS_GATEWAY)->provider,
	    PROVIDER_ANDROID_SMS_GATEWAY);
	testlib_assert_adapter(&twilio_adapter, PROVIDER_TWILIO, "twilio", FORM,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
	    "text/xml");
}

static void
test_helpers(void **state)
{
	struct testlib_request q;
	unsigned char mac[32];
	char hex[65], b64[45];

	(void)state;
	testlib_request(&q, NULL, NULL, NULL, NULL, 0, 0);
	testlib_header(&q, "Content-Type", "text/plain");
	testlib_header(&q, "X-Twilio-Signature", "abc");
	testlib_query(&q, "hub.mode", "subscribe");
	testlib_query(&q, "Hub.Mode", "x");
	assert_string_equal(webhook_header(&q.r, "x-twilio-signature"), "abc");
	assert_string_equal(webhook_header(&q.r, "CONTENT-TYPE"), "text/plain");
	assert_null(webhook_header(&q.r, "X-Twilio"));
	assert_string_equal(webhook_query(&q.r, "hub.mode"), "subscribe");
	assert_string_equal(webhook_query(&q.r, "Hub.Mode"), "x");
	assert_null(webhook_query(&q.r, "hub.challenge"));

	assert_int_equal(adapter_equal_secret("abc", "abc"), 1);
	assert_int_equal(adapter_equal_secret("", ""), 1);
	assert_int_equal(adapter_equal_secret("abc", "abd"), 0);
	assert_int_equal(adapter_equal_secret("abc", "abcd"), 0);
	assert_int_equal(adapter_equal_secret(NULL, "abc"), 0);
	assert_int_equal(adapter_equal_secret("abc", NULL), 0);

	/* RFC 4231 test case 2 */
	assert_int_equal(adapter_hmac_sha256("Jefe", 4,
			     "what do ya want for nothing?", 28, mac),
	    0);
	adapter_hex(mac, 32, hex);
	assert_string_equal(hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2"
	    "739839dec58b964ec3843");
	/* RFC 2202 test case 2 */
	assert_int_equal(adapter_hmac_sha1("Jefe", 4,
			     "what do ya want for nothing?", 28, mac),
	    0);
	adapter_hex(mac, 20, hex);
	assert_string_equal(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	assert_int_equal(
	    adapter_base64((const unsigned char *)"foob", 4, b64, sizeof(b64)),
	    0);
	assert_string_equal(b64, "Zm9vYg==");
	assert_int_equal(
	    adapter_base64((const unsigned char *)"foob", 4, b64, 8), -1);
	assert_int_equal(adapter_base64(mac, 0, b64, 1), 0);
	assert_string_equal(b64, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sms_fixture),
	    cmocka_unit_test(test_whatsapp_fixture),
	    cmocka_unit_test(test_header_case),
	    cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_missing_signature),
	    cmocka_unit_test(test_wrong_credentials),
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_get_request),
	    cmocka_unit_test(test_malformed_form),
	    cmocka_unit_test(test_missing_fields),
	    cmocka_unit_test(test_text_limits),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_media),
	    cmocka_unit_test(test_location),
	    cmocka_unit_test(test_button_reply),
	    cmocka_unit_test(test_status_callback),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_sign_errors),
	    cmocka_unit_test(test_adapter_table),
	    cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
