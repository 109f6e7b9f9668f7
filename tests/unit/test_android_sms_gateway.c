/*
 * test_android_sms_gateway: unit tests of the SMS Gateway for Android
 * (capcom6) adapter: the signed fixture, the five-minute timestamp window,
 * tampered and missing headers, every event type, malformed bodies and
 * sign() round trips.  Run from the repository root.
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

extern const struct adapter android_sms_gateway_adapter;

#define KEY    "asg-signing-key-for-tests"
#define TS     "1795314600"
#define TS_NUM 1795314600
#define SIG    "71192ab0d68a64f4bc14991fffbb95981e621f6c8923166cc5e8709e83ef1ac9"
#define SENDER "+6281234567890"

static struct channel
asg_channel(void)
{
	struct channel c;

	memset(&c, 0, sizeof(c));
	c.name = "sms";
	c.provider = PROVIDER_ANDROID_SMS_GATEWAY;
	c.signing_key = KEY;
	return c;
}

static char *
load(const char *name, size_t *len)
{
	char path[256];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 0);
	rewind(f);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* verify body with the headers given (NULL: left out) at now. */
static int
check(const char *body, size_t len, const char *ts, const char *sig, time_t now)
{
	struct channel c = asg_channel();
	struct webhook_request r;
	struct kv h[2];
	char err[256] = "";
	size_t n = 0;
	int rc;

	if (ts != NULL)
		h[n++] = (struct kv){"X-Timestamp", ts};
	if (sig != NULL)
		h[n++] = (struct kv){"x-signature", sig};
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.body = body;
	r.body_len = len;
	r.headers = h;
	r.nheaders = n;
	r.now = now;
	rc = android_sms_gateway_adapter.verify(&c, &r, err, sizeof(err));
	if (rc != 0) {
		assert_true(err[0] != '\0');
		assert_null(strstr(err, KEY));
	}
	return rc;
}

static int
parse_len(const char *body, size_t len, struct inbound_batch **outp)
{
	struct channel c = asg_channel();
	struct inbound_batch *out;
	struct webhook_request r;
	char err[256] = "";
	int rc;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.body = body;
	r.body_len = len;
	r.now = TS_NUM;
	assert_non_null(out = calloc(1, sizeof(*out)));
	rc = android_sms_gateway_adapter.parse(&c, &r, out, err, sizeof(err));
	if (rc != 0) {
		assert_int_equal(rc, 400);
		assert_true(err[0] != '\0');
		assert_null(strstr(err, "6281234567890"));
		assert_null(strstr(err, "PUNGLI"));
		assert_int_equal(out->nmessages + out->nstatuses, 0);
	}
	*outp = out;
	return rc;
}

static int
parse(const char *body, struct inbound_batch **outp)
{
	return parse_len(body, strlen(body), outp);
}

static void
test_fixture_window(void **state)
{
	size_t len;
	char *body = load("android_sms_gateway_received.json", &len);

	(void)state;
	assert_int_equal(check(body, len, TS, SIG, TS_NUM + 10), 0);
	assert_int_equal(check(body, len, TS, SIG, TS_NUM), 0);
	assert_int_equal(check(body, len, TS, SIG, TS_NUM + 300), 0);
	assert_int_equal(check(body, len, TS, SIG, TS_NUM - 300), 0);
	assert_int_equal(check(body, len, TS, SIG, TS_NUM + 301), 403);
	assert_int_equal(check(body, len, TS, SIG, TS_NUM - 301), 403);
	assert_int_equal(check(body, len, TS, SIG, 0), 403);
	free(body);
}

static void
test_tampered(void **state)
{
	char sig[80];
	size_t len;
	char *body = load("android_sms_gateway_received.json", &len);
	struct channel c = asg_channel();
	struct kv h[2] = {{"X-Timestamp", TS}, {"X-Signature", SIG}};
	struct webhook_request r = {.body = body,
	    .body_len = len,
	    .headers = h,
	    .nheaders = 2,
	    .now = TS_NUM + 10};
	char err[128];

	(void)state;
	/* one byte of the body, the body cut short */
	body[40] ^= 0x20;
	assert_int_equal(check(body, len, TS, SIG, TS_NUM + 10), 403);
	body[40] ^= 0x20;
	assert_int_equal(check(body, len - 1, TS, SIG, TS_NUM + 10), 403);
	/* the timestamp is signed too */
	assert_int_equal(check(body, len, "1795314601", SIG, TS_NUM + 10), 403);
	/* one hex digit of the signature */
	snprintf(sig, sizeof(sig), "%s", SIG);
	sig[0] = '8';
	assert_int_equal(check(body, len, TS, sig, TS_NUM + 10), 403);
	/* malformed signature and timestamp headers */
	assert_int_equal(check(body, len, TS, "", TS_NUM + 10), 403);
	assert_int_equal(check(body, len, TS, "71192ab0", TS_NUM + 10), 403);
	snprintf(sig, sizeof(sig), "sha256=%s", SIG);
	assert_int_equal(check(body, len, TS, sig, TS_NUM + 10), 403);
	assert_int_equal(check(body, len, "", SIG, TS_NUM + 10), 403);
	assert_int_equal(check(body, len, "-1", SIG, TS_NUM + 10), 403);
	assert_int_equal(
	    check(body, len, " 1795314600", SIG, TS_NUM + 10), 403);
	assert_int_equal(
	    check(body, len, "1795314600.0", SIG, TS_NUM + 10), 403);
	assert_int_equal(
	    check(body, len, "99999999999999999999", SIG, TS_NUM + 10), 403);
	/* missing headers */
	assert_int_equal(check(body, len, NULL, SIG, TS_NUM + 10), 401);
	assert_int_equal(check(body, len, TS, NULL, TS_NUM + 10), 401);
	assert_int_equal(check(body, len, NULL, NULL, TS_NUM + 10), 401);
	/* the wrong key, no key */
	c.signing_key = "asg-signing-key-for-test";
	assert_int_equal(
	    android_sms_gateway_adapter.verify(&c, &r, err, sizeof(err)), 403);
	c.signing_key = NULL;
	assert_int_equal(
	    android_sms_gateway_adapter.verify(&c, &r, err, sizeof(err)), 403);
	free(body);
}

static void
test_received_fixture(void **state)
{
	struct inbound_batch *b;
	const struct inbound_message *m;
	size_t len;
	char *body = load("android_sms_gateway_received.json", &len);

	(void)state;
	assert_int_equal(parse_len(body, len, &b), 0);
	assert_int_equal(b->nmessages, 1);
	assert_int_equal(b->nstatuses, 0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_TEXT);
	assert_string_equal(m->id, "Ey6ECgOkVVFjz3CL48B8C");
	assert_string_equal(m->sender, SENDER);
	assert_string_equal(m->user_id, "");
	assert_string_equal(m->text,
	    "PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "
	    "surat pengantar KTP");
	assert_int_equal(m->sent_at, 1795314600);
	free(b);
	free(body);
}

#define RECEIVED(id, extra)                                                    \
	"{\"deviceId\":\"d1\",\"event\":\"sms:received\"" id                   \
	",\"payload\":{\"messageId\":\"c0ffee\",\"message\":\"YA\","           \
	"\"phoneNumber\":\"081234567890\",\"simNumber\":null" extra "}}"

static void
test_received_variants(void **state)
{
	struct inbound_batch *b;

	(void)state;
	/* no event id: payload.messageId; local number form */
	assert_int_equal(parse(RECEIVED("", ""), &b), 0);
	assert_string_equal(b->messages[0].id, "c0ffee");
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].text, "YA");
	assert_int_equal(b->messages[0].sent_at, 0);
	free(b);
	/* receivedAt forms */
	assert_int_equal(parse(RECEIVED(",\"id\":\"e1\"",
				   ",\"receivedAt\":\"2026-11-22T02:30:00Z\""),
			     &b),
	    0);
	assert_string_equal(b->messages[0].id, "e1");
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	assert_int_equal(parse(RECEIVED("",
				   ",\"receivedAt\":"
				   "\"2026-11-22T09:30:05+0700\""),
			     &b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 1795314605);
	free(b);
	assert_int_equal(parse(RECEIVED("",
				   ",\"receivedAt\":"
				   "\"2026-11-21T21:30:00.5-05:00\""),
			     &b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	/* a form we do not know is no time, not an error */
	assert_int_equal(
	    parse(RECEIVED("", ",\"receivedAt\":\"22/11/2026 09:30\""), &b), 0);
	assert_int_equal(b->messages[0].sent_at, 0);
	free(b);
	assert_int_equal(
	    parse(RECEIVED("", ",\"receivedAt\":\"2026-11-22T09:30:00\""), &b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 0);
	free(b);
	/* but not a number */
	assert_int_equal(
	    parse(RECEIVED("", ",\"receivedAt\":1795314600"), &b), 400);
	free(b);
	/* bad ids */
	assert_int_equal(parse(RECEIVED(",\"id\":\"\"", ""), &b), 400);
	free(b);
	assert_int_equal(parse(RECEIVED(",\"id\":7", ""), &b), 400);
	free(b);
	assert_int_equal(parse(RECEIVED(",\"id\":\"a b\"", ""), &b), 400);
	free(b);
}

static void
test_statuses(void **state)
{
	static const struct {
		const char *event, *status, *at;
	} cases[] = {
	    {"sms:sent", "sent", "sentAt"},
	    {"sms:delivered", "delivered", "deliveredAt"},
	    {"sms:failed", "failed", "failedAt"},
	};
	struct inbound_batch *b;
	char body[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body),
		    "{\"deviceId\":\"d1\",\"event\":\"%s\",\"id\":\"e9\","
		    "\"payload\":{\"messageId\":\"out-42\",\"phoneNumber\":"
		    "\"+6285777000111\",\"%s\":\"2026-11-22T09:30:00.000+07:"
		    "00\","
		    "\"reason\":\"RESULT_ERROR_GENERIC_FAILURE\"},"
		    "\"webhookId\":\"w\"}",
		    cases[i].event, cases[i].at);
		assert_int_equal(parse(body, &b), 0);
		assert_int_equal(b->nmessages, 0);
		assert_int_equal(b->nstatuses, 1);
		assert_string_equal(b->statuses[0].id, "out-42");
		assert_string_equal(b->statuses[0].status, cases[i].status);
		assert_int_equal(b->statuses[0].at, 1795314600);
		assert_int_equal(b->statuses[0].error_code, 0);
		free(b);
		/* without the message id */
		snprintf(body, sizeof(body),
		    "{\"event\":\"%s\",\"payload\":{\"phoneNumber\":\"x\"}}",
		    cases[i].event);
		assert_int_equal(parse(body, &b), 400);
		free(b);
	}
	assert_int_equal(
	    parse("{\"deviceId\":\"d1\",\"event\":\"system:ping\",\"id\":\"e\","
		  "\"payload\":{\"health\":{}},\"webhookId\":\"w\"}",
		&b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	free(b);
	assert_int_equal(parse("{\"event\":\"system:ping\"}", &b), 0);
	free(b);
}

static void
test_malformed(void **state)
{
	static const char *const bodies[] = {
	    "",
	    "{",
	    "[]",
	    "null",
	    "{}",
	    "{\"event\":7,\"payload\":{}}",
	    "{\"event\":\"mms:received\",\"payload\":{}}",
	    "{\"event\":\"sms:received\"}",
	    "{\"event\":\"sms:received\",\"payload\":[]}",
	    "{\"event\":\"sms:received\",\"event\":\"sms:received\","
	    "\"payload\":{}}",
	    /* no sender, a sender that is no number, no text */
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"message\":\"x\"}}",
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"message\":\"x\",\"phoneNumber\":\"TELKOMSEL\"}}",
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\"}}",
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\",\"message\":[]}}",
	    /* text that is not UTF-8 */
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\",\"message\":\"\xff\"}}",
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\",\"message\":\"\\ud800\"}}",
	};
	struct inbound_batch *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse(bodies[i], &b), 400);
		free(b);
	}
}

static int
parse_text_of(size_t n, struct inbound_batch **b)
{
	static const char head[] =
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\",\"message\":\"";
	char *body = malloc(sizeof(head) + n + 8);
	int rc;

	assert_non_null(body);
	memcpy(body, head, sizeof(head) - 1);
	memset(body + sizeof(head) - 1, 'x', n);
	memcpy(body + sizeof(head) - 1 + n, "\"}}", 4);
	rc = parse(body, b);
	free(body);
	return rc;
}

static void
test_text_limit(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_text_of(INBOUND_MAX_TEXT, &b), 0);
	assert_int_equal(strlen(b->messages[0].text), INBOUND_MAX_TEXT);
	free(b);
	assert_int_equal(parse_text_of(INBOUND_MAX_TEXT + 1, &b), 400);
	free(b);
}

static void
test_sign_round_trip(void **state)
{
	struct channel c = asg_channel();
	struct simulated_message msg = {"+62 812-3456-7890",
	    "Pungli parkir \"liar\" di Jl. Dhoho \xe2\x80\x94 Rp5.000", "sim-1",
	    1795314600};
	struct signed_request sr;
	struct inbound_batch *b;
	char err[128];

	(void)state;
	assert_int_equal(
	    android_sms_gateway_adapter.sign(&c, &msg, &sr, err, sizeof(err)),
	    0);
	assert_string_equal(sr.content_type, "application/json");
	assert_string_equal(sr.header_name[0], "X-Timestamp");
	assert_string_equal(sr.header_value[0], TS);
	assert_string_equal(sr.header_name[1], "X-Signature");
	assert_int_equal(strlen(sr.header_value[1]), 64);
	assert_int_equal(check(sr.body, sr.body_len, sr.header_value[0],
			     sr.header_value[1], msg.now),
	    0);
	assert_int_equal(check(sr.body, sr.body_len, sr.header_value[0],
			     sr.header_value[1], msg.now + 301),
	    403);
	assert_int_equal(parse_len(sr.body, sr.body_len, &b), 0);
	assert_int_equal(b->nmessages, 1);
	assert_string_equal(b->messages[0].id, "sim-1");
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].text, msg.text);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	signed_request_free(&sr);

	msg.id = NULL;
	assert_int_equal(
	    android_sms_gateway_adapter.sign(&c, &msg, &sr, err, sizeof(err)),
	    0);
	assert_int_equal(parse_len(sr.body, sr.body_len, &b), 0);
	assert_true(b->messages[0].id[0] != '\0');
	free(b);
	signed_request_free(&sr);

	msg.from = "budi";
	assert_int_equal(
	    android_sms_gateway_adapter.sign(&c, &msg, &sr, err, sizeof(err)),
	    -1);
	assert_null(sr.body);
	msg.from = SENDER;
	c.signing_key = "";
	assert_int_equal(
	    android_sms_gateway_adapter.sign(&c, &msg, &sr, err, sizeof(err)),
	    -1);
}

static void
test_adapter_fields(void **state)
{
	(void)state;
	assert_int_equal(
	    android_sms_gateway_adapter.provider, PROVIDER_ANDROID_SMS_GATEWAY);
	assert_string_equal(
	    android_sms_gateway_adapter.name, "android_sms_gateway");
	assert_string_equal(
	    android_sms_gateway_adapter.content_type, "application/json");
	assert_string_equal(android_sms_gateway_adapter.ack_body, "");
	assert_ptr_equal(adapter_for(PROVIDER_ANDROID_SMS_GATEWAY),
	    &android_sms_gateway_adapter);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture_window),
	    cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_received_fixture),
	    cmocka_unit_test(test_received_variants),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_text_limit),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_adapter_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
