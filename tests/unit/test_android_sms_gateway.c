/*
 * test_android_sms_gateway: unit tests of the SMS Gateway for Android
 * (capcom6) adapter: the signed fixture, the five-minute timestamp window,
 * tampered and missing headers, every event type, malformed bodies and
 * sign() round trips.  Run from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

extern const struct adapter android_sms_gateway_adapter;

#define KEY    FIXTURE_ASG_KEY
#define TS     FIXTURE_ASG_TS
#define TS_NUM FIXTURE_NOW
#define SIG    FIXTURE_ASG_SIG
#define SENDER FIXTURE_REPORTER

/* A POST of body with the headers given (NULL: left out) at now. */
static void
post(struct testlib_request *q, const char *body, size_t len, const char *ts,
    const char *sig, time_t now)
{
	testlib_request(q, "POST", NULL, NULL, body, len, now);
	testlib_header(q, "X-Timestamp", ts);
	testlib_header(q, "x-signature", sig);
}

/* verify body with the headers given (NULL: left out) at now. */
static int
check(const char *body, size_t len, const char *ts, const char *sig, time_t now)
{
	struct channel c = fixture_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct testlib_request q;

	post(&q, body, len, ts, sig, now);
	return testlib_verify(&android_sms_gateway_adapter, &c, &q.r);
}

static int
parse_len(const char *body, size_t len, struct inbound_batch **outp)
{
	struct channel c = fixture_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct testlib_request q;

	post(&q, body, len, NULL, NULL, TS_NUM);
	return testlib_parse(
	    &android_sms_gateway_adapter, &c, &q.r, outp, NULL, 0);
}

static int
parse(const char *body, struct inbound_batch **outp)
{
	return parse_len(body, strlen(body), outp);
}

static void
test_fixture_window(void **state)
{
	static const struct {
		time_t now;
		int want;
	} cases[] = {
	    {TS_NUM + 10, 0},
	    {TS_NUM, 0},
	    {TS_NUM + 300, 0},
	    {TS_NUM - 300, 0},
	    {TS_NUM + 301, 403},
	    {TS_NUM - 301, 403},
	    {0, 403},
	};
	size_t len, i;
	char *body =
	    testlib_read_fixture("android_sms_gateway_received.json", &len);

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		if (check(body, len, TS, SIG, cases[i].now) != cases[i].want)
			fail_msg("case %zu: not %d", i, cases[i].want);
	free(body);
}

static void
test_tampered(void **state)
{
	/* the fixture's body with these headers */
	static const struct {
		const char *ts, *sig;
		int want;
	} headers[] = {
	    /* the timestamp is signed too */
	    {"1795314601", SIG, 403},
	    /* malformed signature and timestamp headers */
	    {TS, "", 403},
	    {TS, "71192ab0", 403},
	    {TS, "sha256=" SIG, 403},
	    {"", SIG, 403},
	    {"-1", SIG, 403},
	    {" 1795314600", SIG, 403},
	    {"1795314600.0", SIG, 403},
	    {"99999999999999999999", SIG, 403},
	    /* missing headers */
	    {NULL, SIG, 401},
	    {TS, NULL, 401},
	    {NULL, NULL, 401},
	};
	char sig[80];
	size_t len, i;
	char *body =
	    testlib_read_fixture("android_sms_gateway_received.json", &len);
	struct channel c = fixture_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct testlib_request q;

	(void)state;
	/* one byte of the body, the body cut short */
	body[40] ^= 0x20;
	assert_int_equal(check(body, len, TS, SIG, TS_NUM + 10), 403);
	body[40] ^= 0x20;
	assert_int_equal(check(body, len - 1, TS, SIG, TS_NUM + 10), 403);
	/* one hex digit of the signature */
	snprintf(sig, sizeof(sig), "%s", SIG);
	sig[0] = '8';
	assert_int_equal(check(body, len, TS, sig, TS_NUM + 10), 403);
	for (i = 0; i < TESTLIB_COUNT(headers); i++)
		if (check(body, len, headers[i].ts, headers[i].sig,
			TS_NUM + 10) != headers[i].want)
			fail_msg("case %zu: not %d", i, headers[i].want);
	/* the wrong key, no key */
	post(&q, body, len, TS, SIG, TS_NUM + 10);
	c.signing_key = "asg-signing-key-for-test";
	assert_int_equal(
	    testlib_verify(&android_sms_gateway_adapter, &c, &q.r), 403);
	c.signing_key = NULL;
	assert_int_equal(
	    testlib_verify(&android_sms_gateway_adapter, &c, &q.r), 403);
	free(body);
}

static void
test_received_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "Ey6ECgOkVVFjz3CL48B8C",
	    .sender = SENDER,
	    .user_id = "",
	    .text = FIXTURE_SMS_TEXT,
	    .sent_at = 1795314600};
	struct inbound_batch *b;
	size_t len;
	char *body =
	    testlib_read_fixture("android_sms_gateway_received.json", &len);

	(void)state;
	assert_int_equal(parse_len(body, len, &b), 0);
	testlib_assert_one_message(b, &want);
	inbound_batch_free(b);
	free(body);
}

#define RECEIVED(id, extra)                                                    \
	"{\"deviceId\":\"d1\",\"event\":\"sms:received\"" id                   \
	",\"payload\":{\"messageId\":\"c0ffee\",\"message\":\"YA\","           \
	"\"phoneNumber\":\"081234567890\",\"simNumber\":null" extra "}}"

static void
test_received_variants(void **state)
{
	/* receivedAt forms, and the time they give */
	static const struct {
		const char *body;
		time_t sent_at;
	} times[] = {
	    {RECEIVED(
		 ",\"id\":\"e1\"", ",\"receivedAt\":\"2026-11-22T02:30:00Z\""),
		1795314600},
	    {RECEIVED("", ",\"receivedAt\":\"2026-11-22T09:30:05+0700\""),
		1795314605},
	    {RECEIVED("", ",\"receivedAt\":\"2026-11-21T21:30:00.5-05:00\""),
		1795314600},
	    /* a form we do not know is no time, not an error */
	    {RECEIVED("", ",\"receivedAt\":\"22/11/2026 09:30\""), 0},
	    {RECEIVED("", ",\"receivedAt\":\"2026-11-22T09:30:00\""), 0},
	};
	static const char *const bad[] = {
	    /* but not a number */
	    RECEIVED("", ",\"receivedAt\":1795314600"),
	    /* bad ids */
	    RECEIVED(",\"id\":\"\"", ""),
	    RECEIVED(",\"id\":7", ""),
	    RECEIVED(",\"id\":\"a b\"", ""),
	};
	struct inbound_batch *b;
	size_t i;

	(void)state;
	/* no event id: payload.messageId; local number form */
	assert_int_equal(parse(RECEIVED("", ""), &b), 0);
	assert_string_equal(b->messages[0].id, "c0ffee");
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].text, "YA");
	assert_int_equal(b->messages[0].sent_at, 0);
	inbound_batch_free(b);
	for (i = 0; i < TESTLIB_COUNT(times); i++) {
		assert_int_equal(parse(times[i].body, &b), 0);
		assert_int_equal(b->messages[0].sent_at, times[i].sent_at);
		if (i == 0)
			assert_string_equal(b->messages[0].id, "e1");
		inbound_batch_free(b);
	}
	testlib_parse_each(parse, bad, TESTLIB_COUNT(bad), 400);
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
		inbound_batch_free(b);
		/* without the message id */
		snprintf(body, sizeof(body),
		    "{\"event\":\"%s\",\"payload\":{\"phoneNumber\":\"x\"}}",
		    cases[i].event);
		assert_int_equal(parse(body, &b), 400);
		inbound_batch_free(b);
	}
	assert_int_equal(
	    parse("{\"deviceId\":\"d1\",\"event\":\"system:ping\",\"id\":\"e\","
		  "\"payload\":{\"health\":{}},\"webhookId\":\"w\"}",
		&b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	inbound_batch_free(b);
	assert_int_equal(parse("{\"event\":\"system:ping\"}", &b), 0);
	inbound_batch_free(b);
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
	    /* no sender, no text */
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"message\":\"x\"}}",
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
	(void)state;
	testlib_parse_each(parse, bodies, TESTLIB_COUNT(bodies), 400);
}

/* An operator's SMS ("TELKOMSEL") is acknowledged and skipped. */
static void
test_alphanumeric_sender_skipped(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(
	    parse("{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
		  "\"message\":\"Paket internet 10GB\",\"phoneNumber\":"
		  "\"TELKOMSEL\"}}",
		&b),
	    0);
	assert_int_equal(b->nmessages, 0);
	assert_int_equal(b->nstatuses, 0);
	inbound_batch_free(b);
	/* no sender at all is a malformed event, not an operator's SMS */
	assert_int_equal(
	    parse("{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
		  "\"message\":\"pungli 50rb\",\"phoneNumber\":\"\"}}",
		&b),
	    400);
	inbound_batch_free(b);
}

/* An SMS whose text is n copies of unit (as JSON writes it). */
static int
parse_text_of(const char *unit, size_t n, struct inbound_batch **b)
{
	char *body = testlib_repeat(
	    "{\"event\":\"sms:received\",\"id\":\"e\",\"payload\":{"
	    "\"phoneNumber\":\"081234567890\",\"message\":\"",
	    unit, n, "\"}}");
	int rc = parse(body, b);

	free(body);
	return rc;
}

/* 65,536 characters of 1 to 4 bytes are taken whole; one more is not. */
static void
test_text_limit(void **state)
{
	static const struct testlib_char chars[] = {
	    {"x", "x"},
	    {"\xc3\xa9", "\xc3\xa9"},
	    {"\\u00e9", "\xc3\xa9"},
	    {"\xe2\x80\x94", "\xe2\x80\x94"},
	    {"\xf0\x9f\x99\x8f", "\xf0\x9f\x99\x8f"},
	    {"\\ud83d\\ude4f", "\xf0\x9f\x99\x8f"},
	};
	struct inbound_batch *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		assert_int_equal(
		    parse_text_of(chars[i].sent, INBOUND_MAX_TEXT, &b), 0);
		testlib_assert_repeated(
		    b->messages[0].text, chars[i].kept, INBOUND_MAX_TEXT);
		inbound_batch_free(b);
		assert_int_equal(
		    parse_text_of(chars[i].sent, INBOUND_MAX_TEXT + 1, &b),
		    400);
		inbound_batch_free(b);
	}
}

static void
test_sign_round_trip(void **state)
{
	struct channel c = fixture_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct simulated_message msg = {"+62 812-3456-7890",
	    "Pungli parkir \"liar\" di Jl. Dhoho \xe2\x80\x94 Rp5.000", "sim-1",
	    1795314600};
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "sim-1",
	    .sender = SENDER,
	    .text = msg.text,
	    .sent_at = 1795314600};
	struct signed_request sr;
	struct testlib_request q;
	struct inbound_batch *b;

	(void)state;
	testlib_round_trip(
	    &android_sms_gateway_adapter, &c, &msg, NULL, &want, &sr, &q);
	assert_string_equal(sr.header_name[0], "X-Timestamp");
	assert_string_equal(sr.header_value[0], TS);
	assert_string_equal(sr.header_name[1], "X-Signature");
	assert_int_equal(strlen(sr.header_value[1]), 64);
	q.r.now = msg.now + 301;
	assert_int_equal(
	    testlib_verify(&android_sms_gateway_adapter, &c, &q.r), 403);
	signed_request_free(&sr);

	msg.id = NULL;
	testlib_sign(&android_sms_gateway_adapter, &c, &msg, &sr);
	assert_int_equal(parse_len(sr.body, sr.body_len, &b), 0);
	assert_true(b->messages[0].id[0] != '\0');
	inbound_batch_free(b);
	signed_request_free(&sr);

	msg.from = "budi";
	testlib_sign_fails(&android_sms_gateway_adapter, &c, &msg);
	msg.from = SENDER;
	c.signing_key = "";
	testlib_sign_fails(&android_sms_gateway_adapter, &c, &msg);
}

static void
test_adapter_fields(void **state)
{
	(void)state;
	testlib_assert_adapter(&android_sms_gateway_adapter,
	    PROVIDER_ANDROID_SMS_GATEWAY, "android_sms_gateway",
	    "application/json", "", "text/plain");
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
	    cmocka_unit_test(test_alphanumeric_sender_skipped),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_adapter_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
