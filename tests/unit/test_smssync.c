/*
 * test_smssync: the SMSSync adapter against its fixture: the shared
 * secret (missing, wrong, tampered body), the parser (seconds and
 * milliseconds, missing fields, malformed forms, text limits, invalid
 * UTF-8, phone forms) and sign() round trips; and the polling protocol:
 * which task a request is, its secret, the answers, and the bodies the
 * phone posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "adapters/smssync.h"

/* defined in adapters/smssync.c */
extern const struct adapter smssync_adapter;

#define SECRET	 FIXTURE_SMSSYNC_SECRET
#define URL	 FIXTURE_SMSSYNC_URL
#define REPORTER FIXTURE_REPORTER
#define BAD_UTF8 "from=081234567890&message_id=1&message=%C0%AF"
#define SMS_BODY FIXTURE_SMS_TEXT
#define FORM	 "application/x-www-form-urlencoded"

static struct channel
make_channel(const char *secret)
{
	struct channel ch = fixture_channel(PROVIDER_SMSSYNC);

	ch.secret = (char *)secret;
	return ch;
}

static void
make_req(struct testlib_request *q, const char *body, size_t len)
{
	testlib_request(q, "POST", URL, FORM, body, len, FIXTURE_NOW + 100);
}

static int
verify(const char *secret, const char *body, size_t len)
{
	struct channel ch = make_channel(secret);
	struct testlib_request q;

	make_req(&q, body, len);
	return testlib_verify(&smssync_adapter, &ch, &q.r);
}

static int
parse(const char *body, size_t len, struct inbound_batch **out, char *err,
    size_t errlen)
{
	struct channel ch = make_channel(SECRET);
	struct testlib_request q;

	make_req(&q, body, len);
	return testlib_parse(&smssync_adapter, &ch, &q.r, out, err, errlen);
}

static int
parse_str(const char *body, struct inbound_batch **out)
{
	return parse(body, strlen(body), out, NULL, 0);
}

static void
test_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "b7e0c6a2-3f14-4d8e-9a51-6c2f0d8e7b34",
	    .sender = REPORTER,
	    .text = SMS_BODY,
	    .sent_at = 1795314600}; /* from milliseconds */
	struct inbound_batch *b;
	char *body;
	size_t len;

	(void)state;
	body = testlib_read_fixture("smssync_inbound.form", &len);
	assert_int_equal(verify(SECRET, body, len), 0);
	assert_int_equal(parse(body, len, &b, NULL, 0), 0);
	testlib_assert_one_message(b, &want);
	inbound_batch_free(b);
	free(body);
}

static void
test_secret(void **state)
{
	/* bodies, verified with the channel's secret */
	static const struct {
		const char *body;
		int want;
	} cases[] = {
	    {"from=%2B6281234567890&message=hi&message_id=1", 401},
	    {"from=%2B6281234567890&message=hi&message_id=1&secret=", 401},
	    {"from=%2B6281234567890&message=hi&message_id=1&secret=wrong", 403},
	    /* the secret is compared decoded */
	    {"secret=smssync%2Dshared%2Dsecret%2Dfor%2Dtests", 0},
	    /* malformed */
	    {"secret=" SECRET "&message=%zz", 400},
	    {"secret=" SECRET "&message=a%00", 400},
	};
	static const char *const wrong[] = {
	    "smssync-shared-secret-for-test",
	    "smssync-shared-secret-for-testsx",
	    "Smssync-shared-secret-for-tests",
	    /* a channel without a secret accepts nothing */
	    NULL,
	    "",
	};
	char *body;
	size_t len, i;

	(void)state;
	body = testlib_read_fixture("smssync_inbound.form", &len);
	for (i = 0; i < TESTLIB_COUNT(wrong); i++)
		if (verify(wrong[i], body, len) != 403)
			fail_msg("secret %zu accepted", i);
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		if (verify(SECRET, cases[i].body, strlen(cases[i].body)) !=
		    cases[i].want)
			fail_msg("case %zu: not %d", i, cases[i].want);
	free(body);
}

static void
test_tampered(void **state)
{
	char *body, *p;
	size_t len;

	(void)state;
	body = testlib_read_fixture("smssync_inbound.form", &len);
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
	static const struct {
		const char *stamp;
		time_t want;
	} good[] = {
	    {"&sent_timestamp=1795314600", 1795314600},
	    {"", 0},
	    {"&sent_timestamp=", 0},
	};
	static const char *const bad[] = {
	    "from=081234567890&message=x&message_id=1&sent_timestamp=-5",
	    "from=081234567890&message=x&message_id=1&sent_timestamp=12abc",
	    "from=081234567890&message=x&message_id=1&"
	    "sent_timestamp=99999999999999999999",
	};
	struct inbound_batch *b;
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(good); i++) {
		snprintf(body, sizeof(body),
		    "from=081234567890&message=x&message_id=1%s",
		    good[i].stamp);
		assert_int_equal(parse_str(body, &b), 0);
		assert_int_equal(b->messages[0].sent_at, good[i].want);
		inbound_batch_free(b);
	}
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_missing_fields(void **state)
{
	static const char *const bad[] = {
	    "message=x&message_id=1",
	    "from=081234567890&message_id=1",
	    "from=081234567890&message=x",
	    "from=081234567890&message=x&message_id=",
	    "from=081234567890&message=x&message_id=a+b",
	    "",
	};
	/* an empty message is still a message */
	static const char *const good[] = {
	    "from=081234567890&message=&message_id=1",
	};

	(void)state;
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
	testlib_parse_each(parse_str, good, TESTLIB_COUNT(good), 0);
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
	/* an operator's alphanumeric sender is not a citizen */
	static const char *const bad[] = {
	    "from=TELKOMSEL&message=x&message_id=1",
	    "from=0812&message=x&message_id=1",
	};
	struct inbound_batch *b;
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(forms); i++) {
		snprintf(body, sizeof(body), "from=%s&message=x&message_id=1",
		    forms[i]);
		assert_int_equal(parse_str(body, &b), 0);
		assert_string_equal(b->messages[0].sender, REPORTER);
		inbound_batch_free(b);
	}
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
	    "from=081234567890&message=%G1&message_id=1",
	    "from=081234567890&message=a%00&message_id=1",
	    "from=081234567890&message=a%&message_id=1",
	};

	(void)state;
	testlib_parse_each(parse_str, bad, TESTLIB_COUNT(bad), 400);
}

static void
test_text(void **state)
{
	static const struct testlib_char chars[] = {
	    {"a", "a"},
	    {"%C3%A9", "\xc3\xa9"},
	    {"%E2%80%94", "\xe2\x80\x94"},
	    {"%F0%9F%99%8F", "\xf0\x9f\x99\x8f"},
	};
	const char *head = "from=081234567890&message_id=1&message=";
	struct inbound_batch *b;
	char err[256], *s;
	size_t i;

	(void)state;
	/* 65,536 characters of 1 to 4 bytes are taken whole; one more is not */
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		s = testlib_repeat(head, chars[i].sent, INBOUND_MAX_TEXT, "");
		assert_int_equal(parse(s, strlen(s), &b, err, sizeof(err)), 0);
		testlib_assert_repeated(
		    b->messages[0].text, chars[i].kept, INBOUND_MAX_TEXT);
		inbound_batch_free(b);
		free(s);
		s = testlib_repeat(
		    head, chars[i].sent, INBOUND_MAX_TEXT + 1, "");
		assert_int_equal(
		    parse(s, strlen(s), &b, err, sizeof(err)), 400);
		assert_string_equal(
		    err, "text is longer than 65536 characters");
		inbound_batch_free(b);
		free(s);
	}

	assert_int_equal(parse_str("from=081234567890&message_id=1&message="
				   "caf%C3%A9+%F0%9F%99%8F",
			     &b),
	    0);
	assert_string_equal(
	    b->messages[0].text, "caf\xc3\xa9 \xf0\x9f\x99\x8f");
	inbound_batch_free(b);
	assert_int_equal(
	    parse(BAD_UTF8, strlen(BAD_UTF8), &b, err, sizeof(err)), 400);
	assert_string_equal(err, "text is not valid UTF-8");
	inbound_batch_free(b);
}

static void
test_sign_round_trip(void **state)
{
	struct channel ch = make_channel(SECRET);
	struct simulated_message msg = {REPORTER,
	    "Pungli 50rb & \"uang rokok\" = 100% + caf\xc3\xa9", "3f2a9c1e-sim",
	    1795314600};
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "3f2a9c1e-sim",
	    .sender = REPORTER,
	    .text = msg.text,
	    .sent_at = 1795314600};
	struct signed_request sr;
	struct testlib_request q;

	(void)state;
	ch.from = "+6281100006666";
	testlib_round_trip(&smssync_adapter, &ch, &msg, URL, &want, &sr, &q);
	assert_string_equal(sr.header_name[0], "");
	assert_non_null(strstr(sr.body, "sent_to=%2B6281100006666"));
	assert_non_null(strstr(sr.body, "sent_timestamp=1795314600000"));
	/* another channel's secret */
	ch.secret = "another-secret";
	assert_int_equal(testlib_verify(&smssync_adapter, &ch, &q.r), 403);
	signed_request_free(&sr);

	ch.secret = NULL;
	testlib_sign_fails(&smssync_adapter, &ch, &msg);
}

/* A request with these query arguments (NULL-terminated pairs). */
static enum smssync_task
task_of(const char *method, const char *task)
{
	struct webhook_request req;
	struct kv kv[1] = {{"task", task}};

	memset(&req, 0, sizeof req);
	req.method = method;
	req.query = kv;
	req.nquery = task != NULL;
	return smssync_task_of(&req);
}

static void
test_poll_tasks(void **state)
{
	static const struct {
		const char *method, *task;
		enum smssync_task want;
	} cases[] = {
	    {"GET", "send", SMSSYNC_SEND},
	    {"POST", "sent", SMSSYNC_SENT},
	    {"GET", "result", SMSSYNC_QUEUED},
	    {"POST", "result", SMSSYNC_RESULT},
	    {"POST", NULL, SMSSYNC_NOT_A_TASK}, /* a received SMS */
	    {"GET", NULL, SMSSYNC_BAD_TASK},
	    {"POST", "send", SMSSYNC_BAD_TASK},
	    {"GET", "sent", SMSSYNC_BAD_TASK},
	    {"GET", "SEND", SMSSYNC_BAD_TASK},
	    {"GET", "", SMSSYNC_BAD_TASK},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(
		    task_of(cases[i].method, cases[i].task), cases[i].want);
}

static void
test_poll_secret(void **state)
{
	static const struct {
		const char *secret;
		int want;
	} cases[] = {
	    {SECRET, 0},
	    {NULL, 401},
	    {"", 401},
	    {"wrong", 403},
	    {SECRET "x", 403},
	};
	struct channel ch = make_channel(SECRET), none = make_channel("");
	struct webhook_request req;
	struct kv kv[2];
	size_t i;

	(void)state;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.query = kv;
	kv[0].key = "task";
	kv[0].value = "send";
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		kv[1].key = "secret";
		kv[1].value = cases[i].secret;
		req.nquery = cases[i].secret != NULL ? 2 : 1;
		assert_int_equal(smssync_task_auth(&ch, &req), cases[i].want);
	}
	/* a channel without a secret takes no poll */
	kv[1].value = "";
	req.nquery = 2;
	assert_int_equal(smssync_task_auth(&none, &req), 401);
	kv[1].value = "anything";
	assert_int_equal(smssync_task_auth(&none, &req), 403);
}

static void
test_poll_answers(void **state)
{
	struct channel ch = make_channel(SECRET);
	struct smssync_out out[2] = {
	    {"+6281100000105", "Laporan baru \"KDR-ABC234\"", "u1"},
	    {"+6281100000106", "kedua", "u2"},
	};
	char uuids[2][SMSSYNC_UUID_SIZE] = {"a", "b"}, *body;

	(void)state;
	body = smssync_send_answer(&ch, out, 2);
	assert_non_null(body);
	assert_string_equal(body,
	    "{\"payload\":{\"task\":\"send\",\"secret\":\"" SECRET
	    "\",\"messages\":[{\"to\":\"+6281100000105\",\"message\":"
	    "\"Laporan baru \\\"KDR-ABC234\\\"\",\"uuid\":\"u1\"},"
	    "{\"to\":\"+6281100000106\",\"message\":\"kedua\",\"uuid\":"
	    "\"u2\"}]}}");
	free(body);
	body = smssync_send_answer(&ch, out, 0);
	assert_string_equal(body,
	    "{\"payload\":{\"task\":\"send\",\"secret\":\"" SECRET
	    "\",\"messages\":[]}}");
	free(body);
	body = smssync_uuids_answer((const char(*)[SMSSYNC_UUID_SIZE])uuids, 2);
	assert_string_equal(body, "{\"message_uuids\":[\"a\",\"b\"]}");
	free(body);
	body = smssync_uuids_answer((const char(*)[SMSSYNC_UUID_SIZE])uuids, 0);
	assert_string_equal(body, "{\"message_uuids\":[]}");
	free(body);
}

#define U1 "0f8fad5b-d9cb-469f-a165-70867728950e"
#define U2 "7c9e6679-7425-40de-944b-e07fc1f90ae7"

static void
test_poll_bodies(void **state)
{
	char uuids[4][SMSSYNC_UUID_SIZE], fresh[SMSSYNC_UUID_SIZE];
	struct smssync_result r[4];
	const char *sent =
	    "{\"queued_messages\":[\"" U1 "\", 7, \"not-a-uuid\", "
	    "\"" U2 "\"]}";
	const char *results =
	    "{\"message_result\":["
	    "{\"uuid\":\"" U1 "\",\"sent_result_code\":-1,"
	    "\"delivered_result_code\":-1},"
	    "{\"uuid\":\"" U2 "\",\"sent_result_code\":0},"
	    "{\"uuid\":\"" U1 "\",\"sent_result_code\":\"1\","
	    "\"sent_result_message\":\"RESULT_ERROR_GENERIC_FAILURE\"},"
	    "{\"uuid\":\"" U2 "\",\"sent_result_code\":-1,"
	    "\"delivered_result_code\":2},"
	    "{\"sent_result_code\":-1}]}";

	(void)state;
	assert_int_equal(smssync_queued(sent, strlen(sent), uuids, 4), 2);
	assert_string_equal(uuids[0], U1);
	assert_string_equal(uuids[1], U2);
	assert_int_equal(smssync_queued(sent, strlen(sent), uuids, 1), 1);
	assert_int_equal(smssync_queued("{}", 2, uuids, 4), -1);
	assert_int_equal(smssync_queued("[1]", 3, uuids, 4), -1);
	assert_int_equal(
	    smssync_queued("{\"queued_messages\":\"x\"}", 24, uuids, 4), -1);

	assert_int_equal(smssync_results(results, strlen(results), r, 4), 4);
	assert_string_equal(r[0].uuid, U1);
	assert_int_equal(r[0].sent, 1);
	assert_int_equal(r[0].delivered, 1);
	assert_int_equal(r[1].sent, 1);
	assert_int_equal(r[1].delivered, -1); /* not known yet */
	assert_int_equal(r[2].sent, 0);	      /* failed to send */
	assert_int_equal(r[3].sent, 1);
	assert_int_equal(r[3].delivered, 0); /* not delivered */
	assert_int_equal(
	    smssync_results("{\"message_result\":{}}", 21, r, 4), -1);
	assert_int_equal(smssync_results("not json", 8, r, 4), -1);

	/* the uuids handed out are version 4 and each new */
	smssync_new_uuid(uuids[0]);
	smssync_new_uuid(fresh);
	assert_int_equal(strlen(fresh), 36);
	assert_int_equal(fresh[14], '4');
	assert_string_not_equal(uuids[0], fresh);
	{
		static const char one[] = "{\"queued_messages\":[\"00000000-"
					  "0000-4000-8000-000000000000\"]}";

		assert_int_equal(
		    smssync_queued(one, sizeof one - 1, uuids, 4), 1);
	}
}

static void
test_adapter(void **state)
{
	(void)state;
	testlib_assert_adapter(&smssync_adapter, PROVIDER_SMSSYNC, "smssync",
	    FORM, "{\"payload\":{\"success\":true,\"error\":null}}",
	    "application/json");
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
	    cmocka_unit_test(test_poll_tasks),
	    cmocka_unit_test(test_poll_secret),
	    cmocka_unit_test(test_poll_answers),
	    cmocka_unit_test(test_poll_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
