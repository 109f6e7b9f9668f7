/*
 * test_whatsapp_cloud: unit tests of the Meta WhatsApp Cloud API adapter:
 * the five signed fixtures (signature and parsed fields), tampered and
 * malformed signatures, malformed and oddly shaped bodies, batches, BSUID
 * senders, text limits and UTF-8, the GET handshake and sign() round
 * trips.  Run from the repository root (fixtures in tests/fixtures/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

extern const struct adapter whatsapp_cloud_adapter;

#define APP_SECRET    FIXTURE_WA_APP_SECRET
#define PHONE_ID      FIXTURE_WA_PHONE_ID
#define SENDER	      FIXTURE_REPORTER
#define SENDER_DIGITS FIXTURE_REPORTER_DIGITS

static const struct {
	const char *file, *sig;
} fixtures[] = {
    {"whatsapp_text.json", FIXTURE_WA_TEXT_SIG},
    {"whatsapp_location.json",
	"sha256=9072816cb163dd2131137b9e94586ffb7329"
	"e18a32107b2b2d41868f9b46e58c"},
    {"whatsapp_image.json",
	"sha256=c10a0e1f3b1989ff7f38cf2e28e818a29c613b9"
	"178de51cee7afbdaa12b621ed"},
    {"whatsapp_status.json",
	"sha256=057a5d2e62d83e14a55b56c1039d2d7f06bb44"
	"dd9b8065775d0049dae4af7488"},
    {"whatsapp_status_failed.json",
	"sha256=b8fbc9567933aa6faf6ef8dd6efa41f"
	"6817f34e85a4fb20f73b59eb4838e49a6"},
};

static struct channel
test_channel(void)
{
	return fixture_channel(PROVIDER_WHATSAPP_CLOUD);
}

/* A POST with body and, when sig is not NULL, the header name: sig. */
static void
post(struct testlib_request *q, const char *body, size_t len, const char *name,
    const char *sig)
{
	testlib_request(q, "POST", FIXTURE_WA_URL, "application/json", body,
	    len, FIXTURE_NOW);
	testlib_header(q, name, sig);
}

static int
verify_with(const char *body, size_t len, const char *name, const char *sig)
{
	struct channel c = test_channel();
	struct testlib_request q;

	post(&q, body, len, name, sig);
	return testlib_verify(&whatsapp_cloud_adapter, &c, &q.r);
}

/* Parse body into a fresh batch; the caller frees it. */
static int
parse_body(const struct channel *c, const char *body, size_t len,
    struct inbound_batch **outp)
{
	struct testlib_request q;

	post(&q, body, len, NULL, NULL);
	return testlib_parse(&whatsapp_cloud_adapter, c, &q.r, outp, NULL, 0);
}

static int
parse_str(const char *body, struct inbound_batch **outp)
{
	struct channel c = test_channel();

	return parse_body(&c, body, strlen(body), outp);
}

static int
parse_fixture(const char *name, struct inbound_batch **outp)
{
	struct channel c = test_channel();
	size_t len;
	char *body = testlib_read_fixture(name, &len);
	int rc = parse_body(&c, body, len, outp);

	free(body);
	return rc;
}

/* The usual envelope around the messages (and contacts) given. */
static char *
envelope(const char *contacts, const char *messages)
{
	static const char fmt[] =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":"
	    "\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{"
	    "\"messaging_product\":\"whatsapp\",\"metadata\":{"
	    "\"phone_number_id\":\"" PHONE_ID "\"},\"contacts\":%s,"
	    "\"messages\":%s}}]}]}";
	size_t n = sizeof(fmt) + strlen(contacts) + strlen(messages);
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, fmt, contacts, messages);
	return s;
}

#define CONTACT                                                                \
	"[{\"profile\":{\"name\":\"Budi Santoso\"},\"wa_id\":\"" SENDER_DIGITS \
	"\"}]"

/* Parse the envelope around contacts and messages (JSON arrays). */
static int
parse_envelope(
    const char *contacts, const char *messages, struct inbound_batch **outp)
{
	char *body = envelope(contacts, messages);
	int rc = parse_str(body, outp);

	free(body);
	return rc;
}

/* Parse one message object in the usual envelope. */
static int
parse_message(const char *message, struct inbound_batch **outp)
{
	char msgs[20000];

	snprintf(msgs, sizeof(msgs), "[%s]", message);
	return parse_envelope(CONTACT, msgs, outp);
}

static void
test_fixtures_verify(void **state)
{
	size_t i, len;
	char *body;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		body = testlib_read_fixture(fixtures[i].file, &len);
		assert_int_equal(verify_with(body, len, "X-Hub-Signature-256",
				     fixtures[i].sig),
		    0);
		/* header names are case-insensitive */
		assert_int_equal(verify_with(body, len, "x-hub-signature-256",
				     fixtures[i].sig),
		    0);
		/* one byte changed */
		body[len / 2] ^= 0x01;
		assert_int_equal(verify_with(body, len, "X-Hub-Signature-256",
				     fixtures[i].sig),
		    403);
		body[len / 2] ^= 0x01;
		/* one byte more or fewer */
		assert_int_equal(verify_with(body, len - 1,
				     "X-Hub-Signature-256", fixtures[i].sig),
		    403);
		free(body);
	}
}

static void
test_bad_signature_headers(void **state)
{
	char sig[128];
	size_t len;
	char *body = testlib_read_fixture("whatsapp_text.json", &len);
	struct channel c = test_channel();
	struct testlib_request q;

	(void)state;
	post(&q, body, len, "X-Hub-Signature-256", fixtures[0].sig);
	/* missing */
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", NULL), 401);
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature", "sha1=0000"), 401);
	/* another file's signature */
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", fixtures[1].sig),
	    403);
	/* one hex digit changed */
	snprintf(sig, sizeof(sig), "%s", fixtures[0].sig);
	sig[20] = sig[20] == '0' ? '1' : '0';
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", sig), 403);
	/* malformed: no prefix, wrong prefix, short, long, empty, not hex */
	assert_int_equal(verify_with(body, len, "X-Hub-Signature-256",
			     fixtures[0].sig + strlen("sha256=")),
	    403);
	snprintf(sig, sizeof(sig), "sha1=%s", fixtures[0].sig + 7);
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", sig), 403);
	snprintf(sig, sizeof(sig), "%.70s", fixtures[0].sig);
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", sig), 403);
	snprintf(sig, sizeof(sig), "%s0", fixtures[0].sig);
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", sig), 403);
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", ""), 403);
	snprintf(sig, sizeof(sig), "sha256=%064d", 0);
	sig[7] = 'z';
	assert_int_equal(
	    verify_with(body, len, "X-Hub-Signature-256", sig), 403);
	/* the wrong app secret, and none */
	c.app_secret = "0a1b2c3d4e5f60718293a4b5c6d7e8f0";
	assert_int_equal(
	    testlib_verify(&whatsapp_cloud_adapter, &c, &q.r), 403);
	c.app_secret = NULL;
	assert_int_equal(
	    testlib_verify(&whatsapp_cloud_adapter, &c, &q.r), 403);
	free(body);
}

/* Parse a fixture of one message, which must be want. */
static void
expect_fixture(const char *name, const struct testlib_message *want,
    struct inbound_batch **b)
{
	assert_int_equal(parse_fixture(name, b), 0);
	testlib_assert_one_message(*b, want);
}

static void
test_text_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .id = "wamid."
		  "HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFQVU5HTElURVhUMDAwMDEA",
	    .sender = SENDER,
	    .user_id = "",
	    .profile_name = "Budi Santoso",
	    .sent_at = 1795314600,
	    .text =
		"PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb "
		"untuk surat pengantar KTP. Mohon ditindak \xf0\x9f\x99\x8f"};
	struct inbound_batch *b;

	(void)state;
	expect_fixture("whatsapp_text.json", &want, &b);
	inbound_batch_free(b);
}

static void
test_location_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_LOCATION,
	    .has_location = 1,
	    .text = "",
	    .sender = SENDER,
	    .profile_name = "Budi Santoso",
	    .sent_at = 1795314630};
	const struct inbound_message *m;
	struct inbound_batch *b;

	(void)state;
	expect_fixture("whatsapp_location.json", &want, &b);
	m = &b->messages[0];
	/* the pin's name and address route it; they are never its text */
	assert_string_equal(m->label,
	    "Kantor Kelurahan Bandar Lor\n"
	    "Bandar Lor, Kec. Mojoroto, Kota Kediri, Jawa Timur");
	assert_true(m->latitude > -7.80891 && m->latitude < -7.80889);
	assert_true(m->longitude > 111.99339 && m->longitude < 111.99341);
	inbound_batch_free(b);
}

static void
test_image_fixture(void **state)
{
	const struct testlib_message want = {.type = INBOUND_MEDIA,
	    .media_id = "1357924680135792",
	    .media_type = "image/jpeg",
	    .text = "Bukti kuitansi pungli 50rb, surat pengantar KTP",
	    .sender = SENDER,
	    .sent_at = 1795314665};
	struct inbound_batch *b;

	(void)state;
	expect_fixture("whatsapp_image.json", &want, &b);
	inbound_batch_free(b);
}

static void
test_status_fixtures(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_fixture("whatsapp_status.json", &b), 0);
	assert_int_equal(b->nmessages, 0);
	assert_int_equal(b->nstatuses, 1);
	assert_string_equal(b->statuses[0].id,
	    "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ5QUNLUEdMMjAyNjAwMDAxAA==");
	assert_string_equal(b->statuses[0].status, "delivered");
	assert_int_equal(b->statuses[0].at, 1795314610);
	assert_int_equal(b->statuses[0].error_code, 0);
	inbound_batch_free(b);

	assert_int_equal(parse_fixture("whatsapp_status_failed.json", &b), 0);
	assert_int_equal(b->nstatuses, 1);
	assert_string_equal(b->statuses[0].status, "failed");
	assert_int_equal(b->statuses[0].error_code, 131047);
	assert_int_equal(b->statuses[0].at, 1795314700);
	inbound_batch_free(b);
}

static void
test_malformed_json(void **state)
{
	static const char *const bodies[] = {
	    "",
	    "{",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[}",
	    "{\"object\":\"whatsapp_business_account\"} trailing",
	    "{\"object\":\"whatsapp_business_account\",\"object\":\"x\","
	    "\"entry\":[]}",
	    "nul\x00",
	};
	struct channel c = test_channel();
	struct inbound_batch *b;

	(void)state;
	testlib_parse_each(parse_str, bodies, TESTLIB_COUNT(bodies), 400);
	assert_int_equal(parse_body(&c, "{}\0{}", 5, &b), 400);
	inbound_batch_free(b);
}

static void
test_wrong_shape(void **state)
{
	static const char *const bodies[] = {
	    "[]",
	    "\"whatsapp_business_account\"",
	    "{\"entry\":[]}",
	    "{\"object\":\"page\",\"entry\":[]}",
	    "{\"object\":\"whatsapp_business_account\"}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[1]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{}]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[1]}]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[{\"field\":\"messages\"}]}]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{"
	    "\"phone_number_id\":\"" PHONE_ID "\"},\"messages\":{}}}]}]}",
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
	    "\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{"
	    "\"phone_number_id\":\"" PHONE_ID "\"},\"statuses\":[{\"status\":"
	    "\"read\"}]}}]}]}",
	};
	static const char *const messages[] = {
	    /* no id, empty id, id of the wrong type */
	    "{\"from\":\"" SENDER_DIGITS "\",\"timestamp\":\"1\",\"type\":"
	    "\"text\",\"text\":{\"body\":\"x\"}}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"\",\"type\":\"text\","
	    "\"text\":{\"body\":\"x\"}}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":7,\"type\":\"text\","
	    "\"text\":{\"body\":\"x\"}}",
	    /* no type, text without body, body not a string */
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\"}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"text\"}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"text\","
	    "\"text\":{\"body\":5}}",
	    /* bad timestamp, sender of the wrong type, not a phone number */
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"timestamp\":"
	    "\"soon\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}",
	    "{\"from\":6281234567890,\"id\":\"m1\",\"type\":\"text\","
	    "\"text\":{\"body\":\"x\"}}",
	    "{\"from\":\"budi\",\"id\":\"m1\",\"type\":\"text\","
	    "\"text\":{\"body\":\"x\"}}",
	    /* location without numbers, out of range */
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":"
	    "\"location\",\"location\":{\"latitude\":\"-7.8\",\"longitude\":"
	    "111.9}}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":"
	    "\"location\",\"location\":{\"latitude\":-97.8,\"longitude\":"
	    "111.9}}",
	    /* media without id, caption not a string */
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"image\","
	    "\"image\":{\"caption\":\"x\"}}",
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"image\","
	    "\"image\":{\"id\":\"9\",\"caption\":[]}}",
	    /* a message that is not an object */
	    "\"m1\"",
	};
	struct inbound_batch *b;

	(void)state;
	testlib_parse_each(parse_str, bodies, TESTLIB_COUNT(bodies), 400);
	testlib_parse_each(
	    parse_message, messages, TESTLIB_COUNT(messages), 400);
	/* an empty entry array is fine: nothing to do */
	assert_int_equal(parse_str("{\"object\":\"whatsapp_business_account\","
				   "\"entry\":[]}",
			     &b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	inbound_batch_free(b);
}

/* entries x changes x (messages + statuses) in one body */
static char *
batch_body(int nentry, int nchange, int nmsg, int nstatus)
{
	size_t cap = 1 << 20, n = 0;
	char *s = malloc(cap);
	int e, c, i;

	assert_non_null(s);
	n += (size_t)snprintf(s + n, cap - n,
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[");
	for (e = 0; e < nentry; e++) {
		n += (size_t)snprintf(s + n, cap - n,
		    "%s{\"id\":\"%d\",\"changes\":[", e ? "," : "", e);
		for (c = 0; c < nchange; c++) {
			n += (size_t)snprintf(s + n, cap - n,
			    "%s{\"field\":\"messages\",\"value\":{"
			    "\"metadata\":{\"phone_number_id\":\"" PHONE_ID
			    "\"},\"contacts\":" CONTACT ",\"messages\":[",
			    c ? "," : "");
			for (i = 0; i < nmsg; i++)
				n += (size_t)snprintf(s + n, cap - n,
				    "%s{\"from\":\"" SENDER_DIGITS
				    "\",\"id\":\"m.%d.%d.%d\",\"timestamp\":"
				    "\"1795314600\",\"type\":\"text\",\"text\":"
				    "{\"body\":\"lapor %d\"}}",
				    i ? "," : "", e, c, i, i);
			n += (size_t)snprintf(
			    s + n, cap - n, "],\"statuses\":[");
			for (i = 0; i < nstatus; i++)
				n += (size_t)snprintf(s + n, cap - n,
				    "%s{\"id\":\"s.%d.%d.%d\",\"status\":"
				    "\"read\",\"timestamp\":\"1795314600\"}",
				    i ? "," : "", e, c, i);
			n += (size_t)snprintf(s + n, cap - n, "]}}");
		}
		n += (size_t)snprintf(s + n, cap - n, "]}");
	}
	snprintf(s + n, cap - n, "]}");
	assert_true(n < cap - 8);
	return s;
}

static int
parse_batch(
    int nentry, int nchange, int nmsg, int nstatus, struct inbound_batch **b)
{
	char *body = batch_body(nentry, nchange, nmsg, nstatus);
	int rc = parse_str(body, b);

	free(body);
	return rc;
}

static void
test_batches(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_batch(3, 2, 4, 2, &b), 0);
	assert_int_equal(b->nmessages, 24);
	assert_int_equal(b->nstatuses, 12);
	assert_string_equal(b->messages[0].id, "m.0.0.0");
	assert_string_equal(b->messages[23].id, "m.2.1.3");
	assert_string_equal(b->messages[23].text, "lapor 3");
	assert_string_equal(b->messages[23].sender, SENDER);
	assert_string_equal(b->statuses[11].id, "s.2.1.1");
	assert_string_equal(b->statuses[11].status, "read");
	inbound_batch_free(b);

	/* exactly INBOUND_MAX_EVENTS */
	assert_int_equal(parse_batch(2, 2, 8, 8, &b), 0);
	assert_int_equal(b->nmessages + b->nstatuses, INBOUND_MAX_EVENTS);
	inbound_batch_free(b);

	/* one more, as a message and as a status */
	assert_int_equal(parse_batch(1, 1, INBOUND_MAX_EVENTS + 1, 0, &b), 400);
	inbound_batch_free(b);
	assert_int_equal(parse_batch(1, 1, 32, 33, &b), 400);
	inbound_batch_free(b);
}

static void
test_other_numbers_and_fields(void **state)
{
	struct channel c = test_channel();
	struct inbound_batch *b;
	size_t len;
	char *body = testlib_read_fixture("whatsapp_text.json", &len);

	(void)state;
	/* a change for another number of the same app is skipped */
	c.phone_number_id = "999999999999999";
	assert_int_equal(parse_body(&c, body, len, &b), 0);
	assert_int_equal(b->nmessages, 0);
	inbound_batch_free(b);
	/* a channel without phone_number_id takes every number */
	c.phone_number_id = NULL;
	assert_int_equal(parse_body(&c, body, len, &b), 0);
	assert_int_equal(b->nmessages, 1);
	inbound_batch_free(b);
	free(body);

	/* other fields are acknowledged and skipped */
	assert_int_equal(
	    parse_str("{\"object\":\"whatsapp_business_account\",\"entry\":[{"
		      "\"changes\":[{\"field\":\"account_update\",\"value\":{"
		      "\"event\":\"VERIFIED_ACCOUNT\"}}]}]}",
		&b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	inbound_batch_free(b);
}

static void
test_bsuid(void **state)
{
	struct inbound_batch *b;

	(void)state;
	/* from is "" and from_user_id carries the BSUID */
	assert_int_equal(
	    parse_envelope(
		"[{\"profile\":{\"name\":\"Budi\",\"username\":"
		"\"budi\"},\"wa_id\":\"\",\"user_id\":\"ID.123abc\"}]",
		"[{\"from\":\"\",\"from_user_id\":\"ID.123abc\",\"id\":\"m1\","
		"\"timestamp\":\"1795314600\",\"type\":\"text\",\"text\":{"
		"\"body\":\"halo\"}}]",
		&b),
	    0);
	assert_int_equal(b->nmessages, 1);
	assert_string_equal(b->messages[0].sender, "");
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	assert_string_equal(b->messages[0].profile_name, "Budi");
	inbound_batch_free(b);

	/* only the contact has the user_id */
	assert_int_equal(
	    parse_envelope("[{\"profile\":{\"name\":\"Budi\"},\"wa_id\":\"\","
			   "\"user_id\":\"ID.123abc\"}]",
		"[{\"from\":\"\",\"id\":\"m1\",\"type\":\"text\",\"text\":{"
		"\"body\":\"halo\"}}]",
		&b),
	    0);
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	assert_string_equal(b->messages[0].profile_name, "Budi");
	inbound_batch_free(b);

	/* both a number and a BSUID */
	assert_int_equal(
	    parse_envelope(
		"[{\"profile\":{\"name\":\"Budi\"},\"wa_id\":\"" SENDER_DIGITS
		"\",\"user_id\":\"ID.123abc\"}]",
		"[{\"from\":\"" SENDER_DIGITS
		"\",\"id\":\"m1\",\"type\":\"text\","
		"\"text\":{\"body\":\"halo\"}}]",
		&b),
	    0);
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	inbound_batch_free(b);

	/* neither */
	assert_int_equal(parse_envelope("[]",
			     "[{\"from\":\"\",\"id\":\"m1\",\"type\":"
			     "\"text\",\"text\":{\"body\":\"halo\"}}]",
			     &b),
	    400);
	inbound_batch_free(b);
	assert_int_equal(parse_message("{\"id\":\"m1\",\"type\":\"text\","
				       "\"text\":{\"body\":\"halo\"}}",
			     &b),
	    400);
	inbound_batch_free(b);
}

static void
test_types(void **state)
{
	static const char *const skipped[] = {"reaction", "sticker", "system",
	    "unsupported", "contacts", "order", "revoke"};
	/* A message from SENDER_DIGITS with id m1 and this, and what it is. */
	static const struct {
		const char *rest;
		struct testlib_message want;
	} kinds[] = {
	    {"\"type\":\"interactive\",\"interactive\":{\"type\":"
	     "\"button_reply\",\"button_reply\":{\"id\":\"b1\","
	     "\"title\":\"YA\"}}",
		{.type = INBOUND_REPLY, .text = "YA"}},
	    {"\"type\":\"interactive\",\"interactive\":{\"type\":"
	     "\"list_reply\",\"list_reply\":{\"id\":\"l1\","
	     "\"title\":\"Dinas Pendidikan\",\"description\":\"x\"}}",
		{.type = INBOUND_REPLY, .text = "Dinas Pendidikan"}},
	    {"\"type\":\"button\",\"button\":{\"payload\":\"p\","
	     "\"text\":\"Tidak\"}",
		{.type = INBOUND_REPLY, .text = "Tidak"}},
	    /* voice note: no caption, a MIME type with parameters */
	    {"\"type\":\"audio\",\"audio\":{\"id\":\"77\","
	     "\"mime_type\":\"audio/ogg; codecs=opus\",\"voice\":true}",
		{.type = INBOUND_MEDIA,
		    .media_id = "77",
		    .media_type = "audio/ogg; codecs=opus",
		    .text = ""}},
	    {"\"type\":\"document\",\"document\":{\"id\":\"78\","
	     "\"caption\":\"RAB\",\"filename\":\"rab.pdf\"}",
		{.type = INBOUND_MEDIA, .media_id = "78", .text = "RAB"}},
	    /* a location with neither name nor address */
	    {"\"type\":\"location\",\"location\":{\"latitude\":-7,"
	     "\"longitude\":112}",
		{.type = INBOUND_LOCATION, .has_location = 1, .text = ""}},
	    /* timestamp in milliseconds, and as a number */
	    {"\"timestamp\":\"1795314600123\",\"type\":\"text\","
	     "\"text\":{\"body\":\"x\"}",
		{.type = INBOUND_TEXT, .sent_at = 1795314600}},
	    {"\"timestamp\":1795314601,\"type\":\"text\","
	     "\"text\":{\"body\":\"x\"}",
		{.type = INBOUND_TEXT, .sent_at = 1795314601}},
	};
	struct inbound_batch *b;
	char msg[512];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(skipped); i++) {
		snprintf(msg, sizeof(msg),
		    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
		    "\"timestamp\":\"1795314600\",\"type\":\"%s\",\"%s\":{"
		    "\"id\":\"1\"}}",
		    skipped[i], skipped[i]);
		assert_int_equal(parse_message(msg, &b), 0);
		assert_int_equal(b->nmessages, 0);
		inbound_batch_free(b);
	}
	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"interactive\",\"interactive\":{\"type\":"
			  "\"nfm_reply\",\"nfm_reply\":{\"body\":\"Sent\"}}}",
		&b),
	    0);
	assert_int_equal(b->nmessages, 0);
	inbound_batch_free(b);

	for (i = 0; i < TESTLIB_COUNT(kinds); i++) {
		snprintf(msg, sizeof(msg),
		    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",%s}",
		    kinds[i].rest);
		assert_int_equal(parse_message(msg, &b), 0);
		testlib_assert_one_message(b, &kinds[i].want);
		inbound_batch_free(b);
	}
}

/* A text message whose body is n copies of the UTF-8 sequence u. */
static int
parse_long_text(const char *u, size_t n, struct inbound_batch **b)
{
	char *msg = testlib_repeat("[{\"from\":\"" SENDER_DIGITS
				   "\",\"id\":\"m1\",\"type\":\"text\","
				   "\"text\":{\"body\":\"",
	    u, n, "\"}}]");
	int rc = parse_envelope(CONTACT, msg, b);

	free(msg);
	return rc;
}

/*
 * 65,536 characters, WhatsApp's own limit, are taken whole, however each
 * is written (raw UTF-8 of 1 to 4 bytes, or Meta's \\u escapes); one more
 * is refused.
 */
static void
test_text_limits(void **state)
{
	static const struct testlib_char chars[] = {
	    {"a", "a"}, {"\xc3\xa9", "\xc3\xa9"}, /* é */
	    {"\\u00e9", "\xc3\xa9"},		  /* é, as Meta escapes it */
	    {"\xe2\x80\x94", "\xe2\x80\x94"},	  /* em dash, 3 bytes */
	    {"\xf0\x9f\x99\x8f", "\xf0\x9f\x99\x8f"}, /* 4 bytes */
	    {"\\ud83d\\ude4f", "\xf0\x9f\x99\x8f"},   /* a surrogate pair */
	};
	struct inbound_batch *b;
	size_t i;

	(void)state;
	assert_int_equal(INBOUND_MAX_TEXT, 65536);
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		assert_int_equal(
		    parse_long_text(chars[i].sent, INBOUND_MAX_TEXT, &b), 0);
		testlib_assert_repeated(
		    b->messages[0].text, chars[i].kept, INBOUND_MAX_TEXT);
		inbound_batch_free(b);
		assert_int_equal(
		    parse_long_text(chars[i].sent, INBOUND_MAX_TEXT + 1, &b),
		    400);
		inbound_batch_free(b);
	}
}

/* A location pin named name whose address is n letters. */
static int
parse_location_of(const char *name, size_t n, struct inbound_batch **b)
{
	char head[512], *msg;
	int rc;

	snprintf(head, sizeof(head),
	    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m6\","
	    "\"type\":\"location\",\"location\":{\"latitude\":-7.8,"
	    "\"longitude\":112,\"name\":\"%s\",\"address\":\"",
	    name);
	msg = testlib_repeat(head, "a", n, "\"}}]");
	rc = parse_envelope(CONTACT, msg, b);
	free(msg);
	return rc;
}

/*
 * Each message holds its own text, whole: a skipped message between two
 * leaves no text behind, a media message without a caption has "", a
 * location's name and address fit in the same limit; a refusal after
 * texts were taken leaves none (testlib_parse() and ASan check that).
 */
static void
test_texts_owned(void **state)
{
	static const char name[] = "Kantor Kelurahan Bandar Lor";
	struct inbound_batch *b;
	char *long_msg, *msgs;
	size_t n;

	(void)state;
	long_msg = testlib_repeat("{\"from\":\"" SENDER_DIGITS
				  "\",\"id\":\"m4\",\"type\":\"text\","
				  "\"text\":{\"body\":\"",
	    "pungli \xf0\x9f\x98\xa1 ", INBOUND_MAX_TEXT / 9, "\"}}");
	n = strlen(long_msg) + 1024;
	msgs = malloc(n);
	assert_non_null(msgs);
	snprintf(msgs, n,
	    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
	    "\"type\":\"text\",\"text\":{\"body\":\"satu\"}},"
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m2\","
	    "\"type\":\"reaction\",\"reaction\":{\"emoji\":\"x\"}},"
	    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m3\","
	    "\"type\":\"image\",\"image\":{\"id\":\"9\"}},%s]",
	    long_msg);
	assert_int_equal(parse_envelope(CONTACT, msgs, &b), 0);
	assert_int_equal(b->nmessages, 3);
	assert_string_equal(b->messages[0].text, "satu");
	assert_string_equal(b->messages[1].text, "");
	assert_string_equal(b->messages[1].id, "m3");
	testlib_assert_repeated(b->messages[2].text, "pungli \xf0\x9f\x98\xa1 ",
	    INBOUND_MAX_TEXT / 9);
	inbound_batch_free(b);

	/* the same, then a message with no sender: nothing is kept */
	snprintf(msgs, n,
	    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
	    "\"type\":\"text\",\"text\":{\"body\":\"satu\"}},%s,"
	    "{\"id\":\"m5\",\"type\":\"text\",\"text\":{\"body\":"
	    "\"tanpa pengirim\"}}]",
	    long_msg);
	assert_int_equal(parse_envelope("[]", msgs, &b), 400);
	inbound_batch_free(b);
	free(msgs);
	free(long_msg);

	/* a location's name, a line break and its address: one label */
	n = INBOUND_MAX_TEXT - (sizeof(name) - 1) - 1;
	assert_int_equal(parse_location_of(name, n, &b), 0);
	assert_int_equal(b->messages[0].has_location, 1);
	assert_string_equal(b->messages[0].text, "");
	assert_int_equal(
	    strncmp(b->messages[0].label, name, sizeof(name) - 1), 0);
	assert_int_equal(b->messages[0].label[sizeof(name) - 1], '\n');
	testlib_assert_repeated(b->messages[0].label + sizeof(name), "a", n);
	inbound_batch_free(b);
	assert_int_equal(parse_location_of(name, n + 1, &b), 400);
	inbound_batch_free(b);
}

static void
test_invalid_utf8(void **state)
{
	static const char *const texts[] = {
	    "\xff",	      /* never valid */
	    "\xc3",	      /* truncated */
	    "\xc0\xaf",	      /* overlong */
	    "\xed\xa0\x80",   /* UTF-8 encoded surrogate */
	    "\\ud800",	      /* lone high surrogate escape */
	    "\\udc00x",	      /* lone low surrogate escape */
	    "\\ud83d\\u0041", /* high surrogate, then no low */
	    "a\\u0000b",      /* NUL */
	};
	struct inbound_batch *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		assert_int_equal(parse_long_text(texts[i], 1, &b), 400);
		inbound_batch_free(b);
	}
	/* a profile name that is not UTF-8 */
	assert_int_equal(
	    parse_envelope("[{\"profile\":{\"name\":\"\xff\"},\"wa_id\":"
			   "\"" SENDER_DIGITS "\"}]",
		"[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":"
		"\"text\",\"text\":{\"body\":\"x\"}}]",
		&b),
	    400);
	inbound_batch_free(b);
}

static int
handshake(const struct channel *c, const char *mode, const char *token,
    const char *challenge, char *out, size_t outlen)
{
	struct testlib_request q;

	testlib_request(&q, "GET", FIXTURE_WA_URL, NULL, NULL, 0, 0);
	testlib_query(&q, "hub.mode", mode);
	testlib_query(&q, "hub.verify_token", token);
	testlib_query(&q, "hub.challenge", challenge);
	return whatsapp_cloud_handshake(c, &q.r, out, outlen);
}

#define TOKEN  "verify-token-for-tests"
#define ONES10 "1111111111"
#define ONES100                                                                \
	ONES10 ONES10 ONES10 ONES10 ONES10 ONES10 ONES10 ONES10 ONES10 ONES10

static void
test_handshake(void **state)
{
	static const struct {
		const char *mode, *token, *challenge;
		int want;
	} refused[] = {
	    {"subscribe", "verify-token-for-test", "1158201444", 403},
	    {"subscribe", "", "1158201444", 403},
	    {"unsubscribe", TOKEN, "1158201444", 403},
	    {"subscribe", TOKEN, NULL, 400},
	    {NULL, TOKEN, "1158201444", 400},
	    {"subscribe", NULL, "1158201444", 400},
	    /* the challenge is echoed: only a short token */
	    {"subscribe", TOKEN, "<script>", 400},
	    {"subscribe", TOKEN, "", 400},
	    {"subscribe", TOKEN, ONES100, 400},
	};
	struct channel c = test_channel();
	char out[128];
	size_t i;

	(void)state;
	assert_int_equal(
	    handshake(&c, "subscribe", TOKEN, "1158201444", out, sizeof(out)),
	    0);
	assert_string_equal(out, "1158201444");
	for (i = 0; i < TESTLIB_COUNT(refused); i++) {
		if (handshake(&c, refused[i].mode, refused[i].token,
			refused[i].challenge, out,
			sizeof(out)) != refused[i].want)
			fail_msg("case %zu: not %d", i, refused[i].want);
		assert_string_equal(out, "");
	}
	assert_int_equal(
	    handshake(&c, "subscribe", TOKEN, "1158201444", out, 5), 400);
	/* a channel without a verify token refuses every handshake */
	c.verify_token = NULL;
	assert_int_equal(
	    handshake(&c, "subscribe", TOKEN, "1158201444", out, sizeof(out)),
	    403);
}

#undef TOKEN
#undef ONES10
#undef ONES100

static void
test_sign_round_trip(void **state)
{
	struct channel c = test_channel();
	struct simulated_message msg = {"0812-3456-7890",
	    "Pungli di SMPN 1, diminta Rp200.000 \xf0\x9f\x99\x8f / seragam",
	    "wamid.SIMULATED1", 1795314600};
	const struct testlib_message want = {.type = INBOUND_TEXT,
	    .sender = SENDER,
	    .id = "wamid.SIMULATED1",
	    .text = msg.text,
	    .sent_at = 1795314600};
	struct signed_request sr;
	struct testlib_request q;
	struct inbound_batch *b;
	size_t i;

	(void)state;
	testlib_round_trip(
	    &whatsapp_cloud_adapter, &c, &msg, FIXTURE_WA_URL, &want, &sr, &q);
	assert_string_equal(sr.header_name[0], "X-Hub-Signature-256");
	assert_int_equal(strlen(sr.header_value[0]), 71);
	/* Meta's serialisation: ASCII only, "/" escaped, digits without + */
	for (i = 0; i < sr.body_len; i++)
		assert_true((unsigned char)sr.body[i] < 0x80);
	/* jansson writes the escapes in upper case, Meta in lower */
	assert_true(strstr(sr.body, "\\ud83d\\ude4f") != NULL ||
	    strstr(sr.body, "\\uD83D\\uDE4F") != NULL);
	assert_non_null(strstr(sr.body, "\\/"));
	assert_non_null(strstr(sr.body, "\"from\":\"" SENDER_DIGITS "\""));
	signed_request_free(&sr);

	/* no id: one is made up */
	msg.id = NULL;
	testlib_sign(&whatsapp_cloud_adapter, &c, &msg, &sr);
	assert_int_equal(parse_body(&c, sr.body, sr.body_len, &b), 0);
	assert_true(b->messages[0].id[0] != '\0');
	inbound_batch_free(b);
	signed_request_free(&sr);

	msg.from = "not a number";
	testlib_sign_fails(&whatsapp_cloud_adapter, &c, &msg);
	msg.from = SENDER;
	c.app_secret = NULL;
	testlib_sign_fails(&whatsapp_cloud_adapter, &c, &msg);
}

static void
test_adapter_fields(void **state)
{
	(void)state;
	testlib_assert_adapter(&whatsapp_cloud_adapter, PROVIDER_WHATSAPP_CLOUD,
	    "whatsapp_cloud", "application/json", "", "text/plain");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures_verify),
	    cmocka_unit_test(test_bad_signature_headers),
	    cmocka_unit_test(test_text_fixture),
	    cmocka_unit_test(test_location_fixture),
	    cmocka_unit_test(test_image_fixture),
	    cmocka_unit_test(test_status_fixtures),
	    cmocka_unit_test(test_malformed_json),
	    cmocka_unit_test(test_wrong_shape),
	    cmocka_unit_test(test_batches),
	    cmocka_unit_test(test_other_numbers_and_fields),
	    cmocka_unit_test(test_bsuid),
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_text_limits),
	    cmocka_unit_test(test_texts_owned),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_handshake),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_adapter_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
