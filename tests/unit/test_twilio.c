/*
 * test_twilio: the Twilio adapter against the signed fixtures, tampered
 * requests, the published twilio-node test vectors (port variants, a URL
 * signed byte for byte, repeated fields), the parser (text, WhatsApp,
 * media, location, button reply, status callback, malformed input) and
 * sign() round trips.  Also the shared helpers of adapters/adapter.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/adapter.h"

/* defined in adapters/twilio.c and adapters/smssync.c */
extern const struct adapter twilio_adapter;
extern const struct adapter smssync_adapter;

#define SMS_URL "https://lapor.pemkot.example/hooks/twilio/sms"
#define SMS_SIG "NwaeQfqPjgvrfF1f54AXYhu5WDQ="
#define WA_URL	"https://lapor.pemkot.example/hooks/twilio/whatsapp"
#define WA_SIG	"n6D/L/QibecLSdh4Q19lEkQ4RFw="
#define TOKEN	"a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define ACCOUNT "AC9a8b7c6d5e4f30211203a4b5c6d7e8f9"
#define SMS_BODY                                                               \
	"PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "     \
	"surat pengantar KTP"
#define REPORTER "+6281234567890"

/* The twilio-node validation.spec.js vectors. */
#define VEC_TOKEN "12345"
#define VEC_URL	  "https://mycompany.com/myapp.php?foo=1&bar=2"
#define VEC_BODY                                                               \
	"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&"         \
	"From=%2B14158675309&To=%2B18005551212"

/* Read a file under the repository root into a malloc'd buffer. */
static char *
read_fixture(const char *path, size_t *lenp)
{
	FILE *fp;
	char *buf;
	long n = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		fail_msg("out of memory");
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		fail_msg("cannot read %s", path);
	buf[n] = '\0';
	fclose(fp);
	*lenp = (size_t)n;
	return buf;
}

static struct channel
make_channel(const char *url, const char *token, const char *account)
{
	struct channel ch;

	memset(&ch, 0, sizeof(ch));
	ch.name = "twilio-sms";
	ch.provider = PROVIDER_TWILIO;
	ch.webhook_url = (char *)url;
	ch.auth_token = (char *)token;
	ch.account_sid = (char *)account;
	ch.from = "+6281100002222";
	return ch;
}

/* A POST of body to url, with X-Twilio-Signature: sig when not NULL. */
struct req {
	struct kv headers[2];
	struct webhook_request r;
};

static void
make_req(struct req *q, const char *url, const char *body, size_t len,
    const char *sig)
{
	memset(q, 0, sizeof(*q));
	q->headers[0] =
	    (struct kv){"Content-Type", "application/x-www-form-urlencoded"};
	q->headers[1] = (struct kv){"X-Twilio-Signature", sig};
	q->r.method = "POST";
	q->r.url = url;
	q->r.content_type = "application/x-www-form-urlencoded";
	q->r.body = body;
	q->r.body_len = len;
	q->r.headers = q->headers;
	q->r.nheaders = sig != NULL ? 2 : 1;
	q->r.now = 1795314600;
}

static int
verify(const struct channel *ch, const char *url, const char *body, size_t len,
    const char *sig)
{
	struct req q;
	char err[256] = "";
	int rc;

	make_req(&q, url, body, len, sig);
	rc = twilio_adapter.verify(ch, &q.r, err, sizeof(err));
	if (rc != 0) {
		assert_true(err[0] != '\0');
		assert_null(strstr(err, "6281234567890"));
		assert_null(strstr(err, "PUNGLI"));
		assert_null(strstr(err, TOKEN));
	}
	return rc;
}

static int
verify_vec(const char *url, const char *body, const char *sig)
{
	struct channel ch = make_channel(url, VEC_TOKEN, NULL);

	return verify(&ch, url, body, strlen(body), sig);
}

/* Parse body; the batch is malloc'd (it is over a megabyte). */
static int
parse(const char *body, size_t len, struct inbound_batch **out, char *err,
    size_t errlen)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct req q;
	int rc;

	make_req(&q, SMS_URL, body, len, NULL);
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		fail_msg("out of memory");
	err[0] = '\0';
	rc = twilio_adapter.parse(&ch, &q.r, *out, err, errlen);
	if (rc != 0) {
		assert_int_equal(rc, 400);
		assert_true(err[0] != '\0');
		assert_null(strstr(err, "6281234567890"));
	}
	return rc;
}

static int
parse_str(const char *body, struct inbound_batch **out)
{
	char err[256];

	return parse(body, strlen(body), out, err, sizeof(err));
}

static void
test_sms_fixture(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct inbound_batch *b;
	struct inbound_message *m;
	char err[256], *body;
	size_t len;

	(void)state;
	body = read_fixture("tests/fixtures/twilio_inbound.form", &len);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 0);
	assert_int_equal(parse(body, len, &b, err, sizeof(err)), 0);
	assert_int_equal(b->nmessages, 1);
	assert_int_equal(b->nstatuses, 0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_TEXT);
	assert_string_equal(m->id, "SM7f3a1c9e2b4d4e6f8a0b1c2d3e4f5a6b");
	assert_string_equal(m->sender, REPORTER);
	assert_string_equal(m->user_id, "");
	assert_string_equal(m->profile_name, "");
	assert_string_equal(m->text, SMS_BODY);
	assert_int_equal(m->has_location, 0);
	free(b);
	free(body);
}

static void
test_whatsapp_fixture(void **state)
{
	struct channel ch = make_channel(WA_URL, TOKEN, ACCOUNT);
	struct inbound_batch *b;
	struct inbound_message *m;
	char err[256], *body;
	size_t len;

	(void)state;
	body =
	    read_fixture("tests/fixtures/twilio_whatsapp_inbound.form", &len);
	assert_int_equal(verify(&ch, WA_URL, body, len, WA_SIG), 0);
	/* the signature binds the URL: the SMS URL does not verify */
	assert_int_equal(verify(&ch, SMS_URL, body, len, WA_SIG), 403);
	assert_int_equal(parse(body, len, &b, err, sizeof(err)), 0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_TEXT);
	assert_string_equal(m->id, "SM0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7");
	assert_string_equal(m->sender, REPORTER);
	assert_string_equal(m->profile_name, "Budi Santoso");
	assert_string_equal(m->text, SMS_BODY);
	free(b);
	free(body);
}

static void
test_header_case(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct req q;
	char err[256], *body;
	size_t len;

	(void)state;
	body = read_fixture("tests/fixtures/twilio_inbound.form", &len);
	make_req(&q, SMS_URL, body, len, SMS_SIG);
	q.headers[1].key = "x-twilio-signature";
	assert_int_equal(twilio_adapter.verify(&ch, &q.r, err, sizeof(err)), 0);
	q.headers[1].key = "X-TWILIO-SIGNATURE";
	assert_int_equal(twilio_adapter.verify(&ch, &q.r, err, sizeof(err)), 0);
	free(body);
}

static void
test_tampered(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	char *body, *p, *copy;
	size_t len, rlen;
	const char *removed = "&ApiVersion=2010-04-01";

	(void)state;
	body = read_fixture("tests/fixtures/twilio_inbound.form", &len);
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

	/* the URL changed */
	assert_int_equal(verify(&ch, SMS_URL "?x=1", body, len, SMS_SIG), 403);
	assert_int_equal(
	    verify(&ch, "http://lapor.pemkot.example/hooks/twilio/sms", body,
		len, SMS_SIG),
	    403);
	assert_int_equal(verify(&ch, SMS_URL "/", body, len, SMS_SIG), 403);
	assert_int_equal(verify(&ch, "https://lapor.pemkot.example/hooks/sms",
			     body, len, SMS_SIG),
	    403);
	/* as in twilio-node, a URL received with a port is also tried without
	 */
	assert_int_equal(
	    verify(&ch, "https://lapor.pemkot.example:8443/hooks/twilio/sms",
		body, len, SMS_SIG),
	    0);

	/* the signature changed, truncated, or doubled */
	assert_int_equal(
	    verify(&ch, SMS_URL, body, len, "NwaeQfqPjgvrfF1f54AXYhu5WDR="),
	    403);
	assert_int_equal(
	    verify(&ch, SMS_URL, body, len, "NwaeQfqPjgvrfF1f54AXYhu5WDQ"),
	    403);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG SMS_SIG), 403);
	assert_int_equal(verify(&ch, SMS_URL, body, len, WA_SIG), 403);

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
	body = read_fixture("tests/fixtures/twilio_inbound.form", &len);
	assert_int_equal(verify(&ch, SMS_URL, body, len, NULL), 401);
	assert_int_equal(verify(&ch, SMS_URL, body, len, ""), 401);
	free(body);
}

static void
test_wrong_credentials(void **state)
{
	struct channel ch;
	char *body;
	size_t len;

	(void)state;
	body = read_fixture("tests/fixtures/twilio_inbound.form", &len);
	ch = make_channel(SMS_URL, "a1b2c3d4e5f60718293a4b5c6d7e8f91", ACCOUNT);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 403);
	ch = make_channel(SMS_URL, NULL, ACCOUNT);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 403);
	ch = make_channel(SMS_URL, "", ACCOUNT);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 403);
	/* correctly signed, but for another account */
	ch = make_channel(SMS_URL, TOKEN, "AC00000000000000000000000000000000");
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 403);
	/* no account configured: the signature alone decides */
	ch = make_channel(SMS_URL, TOKEN, NULL);
	assert_int_equal(verify(&ch, SMS_URL, body, len, SMS_SIG), 0);
	free(body);
}

static void
test_vectors(void **state)
{
	const char *u443 = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
	const char *u80 = "http://mycompany.com/myapp.php?foo=1&bar=2";
	const char *u80p = "http://mycompany.com:80/myapp.php?foo=1&bar=2";
	const char *u1234 = "http://mycompany.com:1234/myapp.php?foo=1&bar=2";

	(void)state;
	assert_int_equal(
	    verify_vec(VEC_URL, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), 0);
	/* signed without the port, received with it: port stripped */
	assert_int_equal(
	    verify_vec(u443, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), 0);
	/* signed with :443, received without: default port added */
	assert_int_equal(
	    verify_vec(VEC_URL, VEC_BODY, "kvajT1Ptam85bY51eRf/AJRuM3w="), 0);
	assert_int_equal(
	    verify_vec(u443, VEC_BODY, "kvajT1Ptam85bY51eRf/AJRuM3w="), 0);
	/* http with :80 */
	assert_int_equal(
	    verify_vec(u80, VEC_BODY, "0ZXoZLH/DfblKGATFgpif+LLRf4="), 0);
	assert_int_equal(
	    verify_vec(u80p, VEC_BODY, "0ZXoZLH/DfblKGATFgpif+LLRf4="), 0);
	/* a non-default port must be as signed */
	assert_int_equal(
	    verify_vec(u1234, VEC_BODY, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="), 0);
	assert_int_equal(
	    verify_vec(u80, VEC_BODY, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="), 403);
	/* the https vector does not verify over http */
	assert_int_equal(
	    verify_vec(u80, VEC_BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), 403);
	/* the raw query is signed byte for byte, never re-encoded */
	assert_int_equal(verify_vec(VEC_URL "&Body=It%27s+amazing", VEC_BODY,
			     "TfZzewPq8wqrGlMfyAud8+/IvJ0="),
	    0);
	assert_int_equal(verify_vec(VEC_URL "&Body=It's+amazing", VEC_BODY,
			     "TfZzewPq8wqrGlMfyAud8+/IvJ0="),
	    403);
	assert_int_equal(verify_vec(VEC_URL "&Body=It's+amazing", VEC_BODY,
			     "dsq4Ehbj6cs+KdTkpF5sSSplOWw="),
	    0);
	/* a repeated name: each value, sorted */
	assert_int_equal(verify_vec(VEC_URL,
			     "MessagingBinding.Address=%2B1415xxxxxxx&"
			     "MessagingBinding.Address=%2B1325xxxxxxx",
			     "83O6e2vORAoJHUNzJjDWN1jz+BA="),
	    0);
	/* no parameters: the URL alone */
	assert_int_equal(
	    verify_vec("https://mycompany.com/myapp.php?bodySHA256="
		       "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a"
		       "80c7cf19632632f96e6620",
		"", "y77kIzt2vzLz71DgmJGsen2scGs="),
	    0);
	/* the fragment (connection overrides) is not signed */
	assert_int_equal(verify_vec(VEC_URL "#rc=2&rp=all", VEC_BODY,
			     "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
	    0);
	/* field order on the wire does not matter */
	assert_int_equal(
	    verify_vec(VEC_URL,
		"To=%2B18005551212&From=%2B14158675309&Digits=1234&"
		"Caller=%2B14158675309&CallSid=CA1234567890ABCDE",
		"RSOYDt4T1cUTdK1PDd93/VVr8B8="),
	    0);
}

static void
test_get_request(void **state)
{
	struct channel ch = make_channel(VEC_URL, VEC_TOKEN, NULL);
	struct req q;
	char err[256];

	(void)state;
	make_req(&q,
	    "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a"
	    "2dfe9416e41502b283a80c7cf19632632f96e6620",
	    "", 0, "y77kIzt2vzLz71DgmJGsen2scGs=");
	q.r.method = "GET";
	assert_int_equal(twilio_adapter.verify(&ch, &q.r, err, sizeof(err)), 0);
}

static void
test_malformed_form(void **state)
{
	struct channel ch = make_channel(SMS_URL, TOKEN, ACCOUNT);
	struct inbound_batch *b;
	static const char *bad[] = {
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%zz",
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%2",
	    "MessageSid=SM1&From=%2B6281234567890&Body=a%00b",
	    "MessageSid=SM1%00&From=%2B6281234567890&Body=a",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    verify(&ch, SMS_URL, bad[i], strlen(bad[i]), SMS_SIG), 400);
		assert_int_equal(parse_str(bad[i], &b), 400);
		free(b);
	}
}

static void
test_missing_fields(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_str("From=%2B6281234567890&Body=halo", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("MessageSid=&From=%2B6281234567890&Body=x", &b), 400);
	free(b);
	assert_int_equal(parse_str("MessageSid=SM1&Body=halo", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("MessageSid=SM1&From=garbage&Body=x", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("MessageSid=SM+1&From=%2B6281234567890", &b), 400);
	free(b);
	assert_int_equal(parse_str("", &b), 400);
	free(b);
	/* no Body: an empty text */
	assert_int_equal(
	    parse_str("MessageSid=SM1&From=%2B6281234567890", &b), 0);
	assert_string_equal(b->messages[0].text, "");
	free(b);
}

static char *
body_with_text(const char *unit, size_t count)
{
	const char *head = "MessageSid=SM1&From=081234567890&Body=";
	size_t ul = strlen(unit), hl = strlen(head), i;
	char *s = malloc(hl + ul * count + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	for (i = 0; i < count; i++)
		memcpy(s + hl + i * ul, unit, ul);
	s[hl + ul * count] = '\0';
	return s;
}

static void
test_text_limits(void **state)
{
	struct inbound_batch *b;
	char err[256], *s;

	(void)state;
	s = body_with_text("a", INBOUND_MAX_TEXT);
	assert_int_equal(parse_str(s, &b), 0);
	assert_int_equal(strlen(b->messages[0].text), INBOUND_MAX_TEXT);
	assert_string_equal(b->messages[0].sender, REPORTER);
	free(b);
	free(s);

	s = body_with_text("a", INBOUND_MAX_TEXT + 1);
	assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is longer than 4096 characters");
	free(b);
	free(s);

	/* 4096 four-byte characters fit */
	s = body_with_text("%F0%9F%99%8F", INBOUND_MAX_TEXT);
	assert_int_equal(parse_str(s, &b), 0);
	assert_int_equal(strlen(b->messages[0].text), 4 * INBOUND_MAX_TEXT);
	free(b);
	free(s);

	s = body_with_text("%F0%9F%99%8F", INBOUND_MAX_TEXT + 1);
	assert_int_equal(parse_str(s, &b), 400);
	free(b);
	free(s);
}

static void
test_invalid_utf8(void **state)
{
	struct inbound_batch *b;
	char err[256];
	const char *s = "MessageSid=SM1&From=%2B6281234567890&Body=ab%C3%28";

	(void)state;
	assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is not valid UTF-8");
	free(b);
	s = "MessageSid=SM1&From=%2B6281234567890&Body=%ED%A0%80";
	assert_int_equal(parse_str(s, &b), 400);
	free(b);
	s = "MessageSid=SM1&From=%2B6281234567890&Body=x&ProfileName=%FF";
	assert_int_equal(parse_str(s, &b), 400);
	free(b);
}

static void
test_media(void **state)
{
	struct inbound_batch *b;
	struct inbound_message *m;

	(void)state;
	assert_int_equal(
	    parse_str("MessageSid=MM1&From=whatsapp%3A%2B62812345"
		      "67890&NumMedia=1&Body=foto+kuitansi&"
		      "MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010"
		      "-04-01%2FAccounts%2FAC1%2FMessages%2FMM1%2F"
		      "Media%2FME1&MediaContentType0=image%2Fjpeg",
		&b),
	    0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_MEDIA);
	assert_string_equal(m->sender, REPORTER);
	assert_string_equal(m->text, "foto kuitansi");
	assert_string_equal(m->media_id,
	    "https://api.twilio.com/2010-04-01/"
	    "Accounts/AC1/Messages/MM1/Media/ME1");
	assert_string_equal(m->media_type, "image/jpeg");
	free(b);
	/* NumMedia without the URL */
	assert_int_equal(
	    parse_str("MessageSid=MM1&From=081234567890&NumMedia=1", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("MessageSid=MM1&From=081234567890&NumMedia=x", &b), 400);
	free(b);
}

static void
test_location(void **state)
{
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
	assert_int_equal(m->type, INBOUND_LOCATION);
	assert_int_equal(m->has_location, 1);
	assert_true(m->latitude > -7.81 && m->latitude < -7.80);
	assert_true(m->longitude > 111.99 && m->longitude < 112.0);
	assert_string_equal(m->text,
	    "Kantor Kelurahan Bandar Lor\n"
	    "Jl. Bandar Lor, Kota Kediri");
	free(b);
	assert_int_equal(parse_str("MessageSid=SM1&From=081234567890&Latitude="
				   "-7.8&Longitude=111.9",
			     &b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_LOCATION);
	assert_string_equal(b->messages[0].text, "");
	free(b);
	assert_int_equal(parse_str("MessageSid=SM1&From=081234567890&Latitude="
				   "91&Longitude=111.9",
			     &b),
	    400);
	free(b);
	assert_int_equal(parse_str("MessageSid=SM1&From=081234567890&Latitude="
				   "-7.8",
			     &b),
	    400);
	free(b);
	assert_int_equal(parse_str("MessageSid=SM1&From=081234567890&Latitude="
				   "nan&Longitude=1",
			     &b),
	    400);
	free(b);
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
	free(b);
}

static void
test_status_callback(void **state)
{
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
	free(b);
	assert_int_equal(
	    parse_str("MessageSid=SMabc&MessageStatus=delivered", &b), 0);
	assert_string_equal(b->statuses[0].status, "delivered");
	assert_int_equal(b->statuses[0].error_code, 0);
	free(b);
	assert_int_equal(parse_str("MessageStatus=delivered", &b), 400);
	free(b);
	assert_int_equal(parse_str("MessageSid=SMabc&MessageStatus="
				   "averyveryverylongstatus",
			     &b),
	    400);
	free(b);
	assert_int_equal(parse_str("MessageSid=SMabc&MessageStatus=failed&"
				   "ErrorCode=x1",
			     &b),
	    400);
	free(b);
}

static void
round_trip(
    const char *url, const char *chfrom, const char *from, const char *text)
{
	struct channel ch = make_channel(url, TOKEN, ACCOUNT);
	struct simulated_message msg = {
	    from, text, "SMsimulated0001", 1795314600};
	struct signed_request sr;
	struct inbound_batch *b;
	struct req q;
	char err[256];

	ch.from = (char *)chfrom;
	assert_int_equal(
	    twilio_adapter.sign(&ch, &msg, &sr, err, sizeof(err)), 0);
	assert_string_equal(sr.content_type, twilio_adapter.content_type);
	assert_string_equal(sr.header_name[0], "X-Twilio-Signature");
	assert_int_equal(strlen(sr.header_value[0]), 28);
	assert_string_equal(sr.header_name[1], "");
	assert_int_equal(strlen(sr.body), sr.body_len);

	make_req(&q, url, sr.body, sr.body_len, sr.header_value[0]);
	assert_int_equal(twilio_adapter.verify(&ch, &q.r, err, sizeof(err)), 0);
	b = calloc(1, sizeof(*b));
	assert_non_null(b);
	assert_int_equal(
	    twilio_adapter.parse(&ch, &q.r, b, err, sizeof(err)), 0);
	assert_int_equal(b->nmessages, 1);
	assert_string_equal(b->messages[0].id, "SMsimulated0001");
	assert_string_equal(b->messages[0].sender, from);
	assert_string_equal(b->messages[0].text, text);
	/* and the signature covers the body */
	sr.body[sr.body_len - 1] ^= 1;
	assert_int_equal(
	    twilio_adapter.verify(&ch, &q.r, err, sizeof(err)), 403);
	free(b);
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
	struct signed_request sr;
	char err[256];

	(void)state;
	assert_int_equal(
	    twilio_adapter.sign(&ch, &msg, &sr, err, sizeof(err)), -1);
	assert_null(sr.body);
	signed_request_free(&sr);
}

static void
test_adapter_table(void **state)
{
	(void)state;
	assert_ptr_equal(adapter_for(PROVIDER_TWILIO), &twilio_adapter);
	assert_ptr_equal(adapter_for(PROVIDER_SMSSYNC), &smssync_adapter);
	assert_int_equal(adapter_for(PROVIDER_WHATSAPP_CLOUD)->provider,
	    PROVIDER_WHATSAPP_CLOUD);
	assert_int_equal(adapter_for(PROVIDER_ANDROID_SMS_GATEWAY)->provider,
	    PROVIDER_ANDROID_SMS_GATEWAY);
	assert_string_equal(twilio_adapter.name, "twilio");
	assert_string_equal(
	    twilio_adapter.content_type, "application/x-www-form-urlencoded");
	assert_string_equal(twilio_adapter.ack_body,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
	assert_string_equal(twilio_adapter.ack_content_type, "text/xml");
}

static void
test_helpers(void **state)
{
	const struct kv h[] = {
	    {"Content-Type", "text/plain"}, {"X-Twilio-Signature", "abc"}};
	const struct kv qa[] = {{"hub.mode", "subscribe"}, {"Hub.Mode", "x"}};
	struct webhook_request r;
	unsigned char mac[32];
	char hex[65], b64[45];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.headers = h;
	r.nheaders = 2;
	r.query = qa;
	r.nquery = 2;
	assert_string_equal(webhook_header(&r, "x-twilio-signature"), "abc");
	assert_string_equal(webhook_header(&r, "CONTENT-TYPE"), "text/plain");
	assert_null(webhook_header(&r, "X-Twilio"));
	assert_string_equal(webhook_query(&r, "hub.mode"), "subscribe");
	assert_string_equal(webhook_query(&r, "Hub.Mode"), "x");
	assert_null(webhook_query(&r, "hub.challenge"));

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
