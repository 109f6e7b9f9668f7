/*
 * test_smssync: the SMSSync adapter against its fixture: the shared
 * secret (missing, wrong, tampered body), the parser (seconds and
 * milliseconds, missing fields, malformed forms, text limits, invalid
 * UTF-8, phone forms) and sign() round trips.
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

/* defined in adapters/smssync.c */
extern const struct adapter smssync_adapter;

#define SECRET	 "smssync-shared-secret-for-tests"
#define URL	 "https://lapor.pemkot.example/hooks/smssync"
#define REPORTER "+6281234567890"
#define BAD_UTF8 "from=081234567890&message_id=1&message=%C0%AF"
#define SMS_BODY                                                               \
	"PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "     \
	"surat pengantar KTP"

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
make_channel(const char *secret)
{
	struct channel ch;

	memset(&ch, 0, sizeof(ch));
	ch.name = "sms";
	ch.provider = PROVIDER_SMSSYNC;
	ch.webhook_url = URL;
	ch.secret = (char *)secret;
	return ch;
}

static struct webhook_request
make_req(const char *body, size_t len)
{
	struct webhook_request r;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.url = URL;
	r.content_type = "application/x-www-form-urlencoded";
	r.body = body;
	r.body_len = len;
	r.now = 1795314700;
	return r;
}

static int
verify(const char *secret, const char *body, size_t len)
{
	struct channel ch = make_channel(secret);
	struct webhook_request r = make_req(body, len);
	char err[256] = "";
	int rc;

	rc = smssync_adapter.verify(&ch, &r, err, sizeof(err));
	if (rc != 0) {
		assert_true(err[0] != '\0');
		assert_null(strstr(err, "shared-secret"));
		assert_null(strstr(err, "6281234567890"));
	}
	return rc;
}

static int
parse(const char *body, size_t len, struct inbound_batch **out, char *err,
    size_t errlen)
{
	struct channel ch = make_channel(SECRET);
	struct webhook_request r = make_req(body, len);
	int rc;

	if ((*out = calloc(1, sizeof(**out))) == NULL)
		fail_msg("out of memory");
	err[0] = '\0';
	rc = smssync_adapter.parse(&ch, &r, *out, err, errlen);
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
test_fixture(void **state)
{
	struct inbound_batch *b;
	struct inbound_message *m;
	char err[256], *body;
	size_t len;

	(void)state;
	body = read_fixture("tests/fixtures/smssync_inbound.form", &len);
	assert_int_equal(verify(SECRET, body, len), 0);
	assert_int_equal(parse(body, len, &b, err, sizeof(err)), 0);
	assert_int_equal(b->nmessages, 1);
	assert_int_equal(b->nstatuses, 0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_TEXT);
	assert_string_equal(m->id, "b7e0c6a2-3f14-4d8e-9a51-6c2f0d8e7b34");
	assert_string_equal(m->sender, REPORTER);
	assert_string_equal(m->text, SMS_BODY);
	assert_int_equal(m->sent_at, 1795314600); /* from milliseconds */
	free(b);
	free(body);
}

static void
test_secret(void **state)
{
	char *body;
	size_t len;
	const char *s;

	(void)state;
	body = read_fixture("tests/fixtures/smssync_inbound.form", &len);
	assert_int_equal(
	    verify("smssync-shared-secret-for-test", body, len), 403);
	assert_int_equal(
	    verify("smssync-shared-secret-for-testsx", body, len), 403);
	assert_int_equal(
	    verify("Smssync-shared-secret-for-tests", body, len), 403);
	/* a channel without a secret accepts nothing */
	assert_int_equal(verify(NULL, body, len), 403);
	assert_int_equal(verify("", body, len), 403);

	s = "from=%2B6281234567890&message=hi&message_id=1";
	assert_int_equal(verify(SECRET, s, strlen(s)), 401);
	s = "from=%2B6281234567890&message=hi&message_id=1&secret=";
	assert_int_equal(verify(SECRET, s, strlen(s)), 401);
	s = "from=%2B6281234567890&message=hi&message_id=1&secret=wrong";
	assert_int_equal(verify(SECRET, s, strlen(s)), 403);
	/* the secret is compared decoded */
	s = "secret=smssync%2Dshared%2Dsecret%2Dfor%2Dtests";
	assert_int_equal(verify(SECRET, s, strlen(s)), 0);
	/* malformed */
	s = "secret=" SECRET "&message=%zz";
	assert_int_equal(verify(SECRET, s, strlen(s)), 400);
	s = "secret=" SECRET "&message=a%00";
	assert_int_equal(verify(SECRET, s, strlen(s)), 400);
	free(body);
}

static void
test_tampered(void **state)
{
	char *body, *p;
	size_t len;

	(void)state;
	body = read_fixture("tests/fixtures/smssync_inbound.form", &len);
	/* one byte of the secret changed */
	p = strstr(body, "secret=smssync");
	assert_non_null(p);
	p[7] = 'S';
	assert_int_equal(verify(SECRET, body, len), 403);
	/* the secret truncated by one byte */
	p[7] = 's';
	p = strstr(body, "&sent_timestamp");
	assert_non_null(p);
	assert_int_equal(verify(SECRET, body, (size_t)(p - body)), 0);
	assert_int_equal(verify(SECRET, body, (size_t)(p - body) - 1), 403);
	free(body);
}

static void
test_timestamps(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_str("from=081234567890&message=x&message_id=1&"
				   "sent_timestamp=1795314600",
			     &b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	assert_int_equal(
	    parse_str("from=081234567890&message=x&message_id=1", &b), 0);
	assert_int_equal(b->messages[0].sent_at, 0);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message=x&message_id=1&"
				   "sent_timestamp=",
			     &b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 0);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message=x&message_id=1&"
				   "sent_timestamp=-5",
			     &b),
	    400);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message=x&message_id=1&"
				   "sent_timestamp=12abc",
			     &b),
	    400);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message=x&message_id=1&"
				   "sent_timestamp=99999999999999999999",
			     &b),
	    400);
	free(b);
}

static void
test_missing_fields(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_str("message=x&message_id=1", &b), 400);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message_id=1", &b), 400);
	free(b);
	assert_int_equal(parse_str("from=081234567890&message=x", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("from=081234567890&message=x&message_id=", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("from=081234567890&message=x&message_id=a+b", &b), 400);
	free(b);
	assert_int_equal(parse_str("", &b), 400);
	free(b);
	/* an empty message is still a message */
	assert_int_equal(
	    parse_str("from=081234567890&message=&message_id=1", &b), 0);
	free(b);
}

static void
test_phone_forms(void **state)
{
	static const char *forms[] = {
	    "081234567890",
	    "%2B6281234567890",
	    "6281234567890",
	    "006281234567890",
	    "%2B62+812-3456-7890",
	};
	struct inbound_batch *b;
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(body, sizeof(body), "from=%s&message=x&message_id=1",
		    forms[i]);
		assert_int_equal(parse_str(body, &b), 0);
		assert_string_equal(b->messages[0].sender, REPORTER);
		free(b);
	}
	/* an operator's alphanumeric sender is not a citizen */
	assert_int_equal(
	    parse_str("from=TELKOMSEL&message=x&message_id=1", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("from=0812&message=x&message_id=1", &b), 400);
	free(b);
}

static void
test_malformed(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(
	    parse_str("from=081234567890&message=%G1&message_id=1", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("from=081234567890&message=a%00&message_id=1", &b), 400);
	free(b);
	assert_int_equal(
	    parse_str("from=081234567890&message=a%&message_id=1", &b), 400);
	free(b);
}

static void
test_text(void **state)
{
	const char *head = "from=081234567890&message_id=1&message=";
	struct inbound_batch *b;
	char err[256], *s;
	size_t hl = strlen(head);

	(void)state;
	s = malloc(hl + INBOUND_MAX_TEXT + 2);
	assert_non_null(s);
	memcpy(s, head, hl);
	memset(s + hl, 'a', INBOUND_MAX_TEXT + 1);
	s[hl + INBOUND_MAX_TEXT] = '\0';
	assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 0);
	free(b);
	s[hl + INBOUND_MAX_TEXT] = 'a';
	s[hl + INBOUND_MAX_TEXT + 1] = '\0';
	assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is longer than 4096 characters");
	free(b);
	free(s);

	assert_int_equal(parse_str("from=081234567890&message_id=1&message="
				   "caf%C3%A9+%F0%9F%99%8F",
			     &b),
	    0);
	assert_string_equal(
	    b->messages[0].text, "caf\xc3\xa9 \xf0\x9f\x99\x8f");
	free(b);
	assert_int_equal(
	    parse(BAD_UTF8, strlen(BAD_UTF8), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is not valid UTF-8");
	free(b);
}

static void
test_sign_round_trip(void **state)
{
	struct channel ch = make_channel(SECRET);
	struct simulated_message msg = {REPORTER,
	    "Pungli 50rb & \"uang rokok\" = 100% + caf\xc3\xa9", "3f2a9c1e-sim",
	    1795314600};
	struct signed_request sr;
	struct webhook_request r;
	struct inbound_batch *b;
	char err[256];

	(void)state;
	ch.from = "+6281100006666";
	assert_int_equal(
	    smssync_adapter.sign(&ch, &msg, &sr, err, sizeof(err)), 0);
	assert_string_equal(
	    sr.content_type, "application/x-www-form-urlencoded");
	assert_string_equal(sr.header_name[0], "");
	assert_int_equal(strlen(sr.body), sr.body_len);
	assert_non_null(strstr(sr.body, "sent_to=%2B6281100006666"));
	assert_non_null(strstr(sr.body, "sent_timestamp=1795314600000"));

	r = make_req(sr.body, sr.body_len);
	assert_int_equal(smssync_adapter.verify(&ch, &r, err, sizeof(err)), 0);
	b = calloc(1, sizeof(*b));
	assert_non_null(b);
	assert_int_equal(
	    smssync_adapter.parse(&ch, &r, b, err, sizeof(err)), 0);
	assert_string_equal(b->messages[0].id, "3f2a9c1e-sim");
	assert_string_equal(b->messages[0].sender, REPORTER);
	assert_string_equal(b->messages[0].text, msg.text);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	/* another channel's secret */
	ch.secret = "another-secret";
	assert_int_equal(
	    smssync_adapter.verify(&ch, &r, err, sizeof(err)), 403);
	signed_request_free(&sr);

	ch.secret = NULL;
	assert_int_equal(
	    smssync_adapter.sign(&ch, &msg, &sr, err, sizeof(err)), -1);
	signed_request_free(&sr);
}

static void
test_adapter(void **state)
{
	(void)state;
	assert_ptr_equal(adapter_for(PROVIDER_SMSSYNC), &smssync_adapter);
	assert_string_equal(smssync_adapter.name, "smssync");
	assert_string_equal(
	    smssync_adapter.content_type, "application/x-www-form-urlencoded");
	assert_string_equal(smssync_adapter.ack_body,
	    "{\"payload\":{\"success\":true,\"error\":null}}");
	assert_string_equal(
	    smssync_adapter.ack_content_type, "application/json");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture),
	    cmocka_unit_test(test_secret),
	    cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_timestamps),
	    cmocka_unit_test(test_missing_fields),
	    cmocka_unit_test(test_phone_forms),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_adapter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
