/*
 * test_whatsapp_cloud: unit tests of the Meta WhatsApp Cloud API adapter:
 * the five signed fixtures (signature and parsed fields), tampered and
 * malformed signatures, malformed and oddly shaped bodies, batches, BSUID
 * senders, text limits and UTF-8, the GET handshake and sign() round
 * trips.  Run from the repository root (fixtures in tests/fixtures/).
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

extern const struct adapter whatsapp_cloud_adapter;

#define APP_SECRET    "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define PHONE_ID      "115522334455667"
#define SENDER	      "+6281234567890"
#define SENDER_DIGITS "6281234567890"

static const struct {
	const char *file, *sig;
} fixtures[] = {
    {"whatsapp_text.json",
	"sha256=9c4af49cc728c0bef92896c1be7f3302f5618b49"
	"7783ccabd94fdd8c3abea57d"},
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
	struct channel c;

	memset(&c, 0, sizeof(c));
	c.name = "wa";
	c.provider = PROVIDER_WHATSAPP_CLOUD;
	c.app_secret = APP_SECRET;
	c.verify_token = "verify-token-for-tests";
	c.phone_number_id = PHONE_ID;
	return c;
}

static char *
read_fixture(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A POST with body and, when sig is not NULL, the signature header. */
static struct webhook_request
post(const char *body, size_t len, const struct kv *hdr, size_t nhdr)
{
	struct webhook_request r;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.url = "https://lapor.pemkot.example/hooks/whatsapp";
	r.content_type = "application/json";
	r.body = body;
	r.body_len = len;
	r.headers = hdr;
	r.nheaders = nhdr;
	r.now = 1795314600;
	return r;
}

static int
verify_with(const char *body, size_t len, const char *name, const char *sig)
{
	struct channel c = test_channel();
	struct kv hdr = {name, sig};
	struct webhook_request r = post(body, len, &hdr, sig != NULL);
	char err[256] = "";
	int rc;

	rc = whatsapp_cloud_adapter.verify(&c, &r, err, sizeof(err));
	if (rc != 0) {
		assert_true(err[0] != '\0');
		assert_null(strstr(err, APP_SECRET));
	}
	return rc;
}

/* Parse body into a fresh batch; the caller frees it. */
static int
parse_body(const struct channel *c, const char *body, size_t len,
    struct inbound_batch **outp)
{
	struct webhook_request r = post(body, len, NULL, 0);
	struct inbound_batch *out = calloc(1, sizeof(*out));
	char err[256] = "";
	int rc;

	assert_non_null(out);
	rc = whatsapp_cloud_adapter.parse(c, &r, out, err, sizeof(err));
	if (rc != 0) {
		assert_int_equal(rc, 400);
		assert_true(err[0] != '\0');
		assert_null(strstr(err, SENDER_DIGITS));
		assert_null(strstr(err, "wamid"));
		assert_int_equal(out->nmessages + out->nstatuses, 0);
	}
	*outp = out;
	return rc;
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
	char *body = read_fixture(name, &len);
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

/* Parse one message object in the usual envelope. */
static int
parse_message(const char *message, struct inbound_batch **outp)
{
	char msgs[20000];
	char *body;
	int rc;

	snprintf(msgs, sizeof(msgs), "[%s]", message);
	body = envelope(CONTACT, msgs);
	rc = parse_str(body, outp);
	free(body);
	return rc;
}

static void
test_fixtures_verify(void **state)
{
	size_t i, len;
	char *body;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		body = read_fixture(fixtures[i].file, &len);
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
	char *body = read_fixture("whatsapp_text.json", &len);
	struct channel c = test_channel();
	struct kv hdr = {"X-Hub-Signature-256", fixtures[0].sig};
	struct webhook_request r = post(body, len, &hdr, 1);
	char err[128];

	(void)state;
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
	    whatsapp_cloud_adapter.verify(&c, &r, err, sizeof(err)), 403);
	c.app_secret = NULL;
	assert_int_equal(
	    whatsapp_cloud_adapter.verify(&c, &r, err, sizeof(err)), 403);
	free(body);
}

static void
test_text_fixture(void **state)
{
	struct inbound_batch *b;
	const struct inbound_message *m;

	(void)state;
	assert_int_equal(parse_fixture("whatsapp_text.json", &b), 0);
	assert_int_equal(b->nmessages, 1);
	assert_int_equal(b->nstatuses, 0);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_TEXT);
	assert_string_equal(m->id,
	    "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFQVU5HTElURVhUMDAwMDEA");
	assert_string_equal(m->sender, SENDER);
	assert_string_equal(m->user_id, "");
	assert_string_equal(m->profile_name, "Budi Santoso");
	assert_int_equal(m->sent_at, 1795314600);
	assert_string_equal(m->text,
	    "PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "
	    "surat pengantar KTP. Mohon ditindak \xf0\x9f\x99\x8f");
	assert_false(m->has_location);
	free(b);
}

static void
test_location_fixture(void **state)
{
	struct inbound_batch *b;
	const struct inbound_message *m;

	(void)state;
	assert_int_equal(parse_fixture("whatsapp_location.json", &b), 0);
	assert_int_equal(b->nmessages, 1);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_LOCATION);
	assert_true(m->has_location);
	assert_true(m->latitude > -7.80891 && m->latitude < -7.80889);
	assert_true(m->longitude > 111.99339 && m->longitude < 111.99341);
	assert_string_equal(m->text,
	    "Kantor Kelurahan Bandar Lor\n"
	    "Bandar Lor, Kec. Mojoroto, Kota Kediri, Jawa Timur");
	assert_string_equal(m->sender, SENDER);
	assert_string_equal(m->profile_name, "Budi Santoso");
	assert_int_equal(m->sent_at, 1795314630);
	free(b);
}

static void
test_image_fixture(void **state)
{
	struct inbound_batch *b;
	const struct inbound_message *m;

	(void)state;
	assert_int_equal(parse_fixture("whatsapp_image.json", &b), 0);
	assert_int_equal(b->nmessages, 1);
	m = &b->messages[0];
	assert_int_equal(m->type, INBOUND_MEDIA);
	assert_string_equal(m->media_id, "1357924680135792");
	assert_string_equal(m->media_type, "image/jpeg");
	assert_string_equal(
	    m->text, "Bukti kuitansi pungli 50rb, surat pengantar KTP");
	assert_string_equal(m->sender, SENDER);
	assert_int_equal(m->sent_at, 1795314665);
	free(b);
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
	free(b);

	assert_int_equal(parse_fixture("whatsapp_status_failed.json", &b), 0);
	assert_int_equal(b->nstatuses, 1);
	assert_string_equal(b->statuses[0].status, "failed");
	assert_int_equal(b->statuses[0].error_code, 131047);
	assert_int_equal(b->statuses[0].at, 1795314700);
	free(b);
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
	struct inbound_batch *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse_str(bodies[i], &b), 400);
		free(b);
	}
	{
		struct channel c = test_channel();

		assert_int_equal(parse_body(&c, "{}\0{}", 5, &b), 400);
		free(b);
	}
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
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(parse_str(bodies[i], &b), 400);
		free(b);
	}
	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		assert_int_equal(parse_message(messages[i], &b), 400);
		free(b);
	}
	/* an empty entry array is fine: nothing to do */
	assert_int_equal(parse_str("{\"object\":\"whatsapp_business_account\","
				   "\"entry\":[]}",
			     &b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	free(b);
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

static void
test_batches(void **state)
{
	struct inbound_batch *b;
	char *body;

	(void)state;
	body = batch_body(3, 2, 4, 2);
	assert_int_equal(parse_str(body, &b), 0);
	assert_int_equal(b->nmessages, 24);
	assert_int_equal(b->nstatuses, 12);
	assert_string_equal(b->messages[0].id, "m.0.0.0");
	assert_string_equal(b->messages[23].id, "m.2.1.3");
	assert_string_equal(b->messages[23].text, "lapor 3");
	assert_string_equal(b->messages[23].sender, SENDER);
	assert_string_equal(b->statuses[11].id, "s.2.1.1");
	assert_string_equal(b->statuses[11].status, "read");
	free(b);
	free(body);

	/* exactly INBOUND_MAX_EVENTS */
	body = batch_body(2, 2, 8, 8);
	assert_int_equal(parse_str(body, &b), 0);
	assert_int_equal(b->nmessages + b->nstatuses, INBOUND_MAX_EVENTS);
	free(b);
	free(body);

	/* one more, as a message and as a status */
	body = batch_body(1, 1, INBOUND_MAX_EVENTS + 1, 0);
	assert_int_equal(parse_str(body, &b), 400);
	free(b);
	free(body);
	body = batch_body(1, 1, 32, 33);
	assert_int_equal(parse_str(body, &b), 400);
	free(b);
	free(body);
}

static void
test_other_numbers_and_fields(void **state)
{
	struct channel c = test_channel();
	struct inbound_batch *b;
	size_t len;
	char *body = read_fixture("whatsapp_text.json", &len);

	(void)state;
	/* a change for another number of the same app is skipped */
	c.phone_number_id = "999999999999999";
	assert_int_equal(parse_body(&c, body, len, &b), 0);
	assert_int_equal(b->nmessages, 0);
	free(b);
	/* a channel without phone_number_id takes every number */
	c.phone_number_id = NULL;
	assert_int_equal(parse_body(&c, body, len, &b), 0);
	assert_int_equal(b->nmessages, 1);
	free(b);
	free(body);

	/* other fields are acknowledged and skipped */
	assert_int_equal(
	    parse_str("{\"object\":\"whatsapp_business_account\",\"entry\":[{"
		      "\"changes\":[{\"field\":\"account_update\",\"value\":{"
		      "\"event\":\"VERIFIED_ACCOUNT\"}}]}]}",
		&b),
	    0);
	assert_int_equal(b->nmessages + b->nstatuses, 0);
	free(b);
}

static void
test_bsuid(void **state)
{
	struct inbound_batch *b;
	char *body;

	(void)state;
	/* from is "" and from_user_id carries the BSUID */
	body = envelope("[{\"profile\":{\"name\":\"Budi\",\"username\":"
			"\"budi\"},\"wa_id\":\"\",\"user_id\":\"ID.123abc\"}]",
	    "[{\"from\":\"\",\"from_user_id\":\"ID.123abc\",\"id\":\"m1\","
	    "\"timestamp\":\"1795314600\",\"type\":\"text\",\"text\":{"
	    "\"body\":\"halo\"}}]");
	assert_int_equal(parse_str(body, &b), 0);
	assert_int_equal(b->nmessages, 1);
	assert_string_equal(b->messages[0].sender, "");
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	assert_string_equal(b->messages[0].profile_name, "Budi");
	free(b);
	free(body);

	/* only the contact has the user_id */
	body = envelope("[{\"profile\":{\"name\":\"Budi\"},\"wa_id\":\"\","
			"\"user_id\":\"ID.123abc\"}]",
	    "[{\"from\":\"\",\"id\":\"m1\",\"type\":\"text\",\"text\":{"
	    "\"body\":\"halo\"}}]");
	assert_int_equal(parse_str(body, &b), 0);
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	assert_string_equal(b->messages[0].profile_name, "Budi");
	free(b);
	free(body);

	/* both a number and a BSUID */
	body = envelope(
	    "[{\"profile\":{\"name\":\"Budi\"},\"wa_id\":\"" SENDER_DIGITS
	    "\",\"user_id\":\"ID.123abc\"}]",
	    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"text\","
	    "\"text\":{\"body\":\"halo\"}}]");
	assert_int_equal(parse_str(body, &b), 0);
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].user_id, "ID.123abc");
	free(b);
	free(body);

	/* neither */
	body = envelope("[]",
	    "[{\"from\":\"\",\"id\":\"m1\",\"type\":"
	    "\"text\",\"text\":{\"body\":\"halo\"}}]");
	assert_int_equal(parse_str(body, &b), 400);
	free(b);
	free(body);
	assert_int_equal(parse_message("{\"id\":\"m1\",\"type\":\"text\","
				       "\"text\":{\"body\":\"halo\"}}",
			     &b),
	    400);
	free(b);
}

static void
test_types(void **state)
{
	static const char *const skipped[] = {"reaction", "sticker", "system",
	    "unsupported", "contacts", "order", "revoke"};
	struct inbound_batch *b;
	char msg[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		snprintf(msg, sizeof(msg),
		    "{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
		    "\"timestamp\":\"1795314600\",\"type\":\"%s\",\"%s\":{"
		    "\"id\":\"1\"}}",
		    skipped[i], skipped[i]);
		assert_int_equal(parse_message(msg, &b), 0);
		assert_int_equal(b->nmessages, 0);
		free(b);
	}

	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"interactive\",\"interactive\":{\"type\":"
			  "\"button_reply\",\"button_reply\":{\"id\":\"b1\","
			  "\"title\":\"YA\"}}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_REPLY);
	assert_string_equal(b->messages[0].text, "YA");
	free(b);

	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"interactive\",\"interactive\":{\"type\":"
			  "\"list_reply\",\"list_reply\":{\"id\":\"l1\","
			  "\"title\":\"Dinas Pendidikan\",\"description\":"
			  "\"x\"}}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_REPLY);
	assert_string_equal(b->messages[0].text, "Dinas Pendidikan");
	free(b);

	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"interactive\",\"interactive\":{\"type\":"
			  "\"nfm_reply\",\"nfm_reply\":{\"body\":\"Sent\"}}}",
		&b),
	    0);
	assert_int_equal(b->nmessages, 0);
	free(b);

	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"button\",\"button\":{\"payload\":\"p\","
			  "\"text\":\"Tidak\"}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_REPLY);
	assert_string_equal(b->messages[0].text, "Tidak");
	free(b);

	/* voice note: no caption, a MIME type with parameters */
	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"audio\",\"audio\":{\"id\":\"77\","
			  "\"mime_type\":\"audio/ogg; codecs=opus\","
			  "\"voice\":true}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].type, INBOUND_MEDIA);
	assert_string_equal(b->messages[0].media_id, "77");
	assert_string_equal(
	    b->messages[0].media_type, "audio/ogg; codecs=opus");
	assert_string_equal(b->messages[0].text, "");
	free(b);

	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"document\",\"document\":{\"id\":\"78\","
			  "\"caption\":\"RAB\",\"filename\":\"rab.pdf\"}}",
		&b),
	    0);
	assert_string_equal(b->messages[0].media_id, "78");
	assert_string_equal(b->messages[0].text, "RAB");
	free(b);

	/* a location with neither name nor address */
	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"type\":\"location\",\"location\":{\"latitude\":"
			  "-7,\"longitude\":112}}",
		&b),
	    0);
	assert_true(b->messages[0].has_location);
	assert_string_equal(b->messages[0].text, "");
	free(b);

	/* timestamp in milliseconds, and as a number */
	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"timestamp\":\"1795314600123\",\"type\":\"text\","
			  "\"text\":{\"body\":\"x\"}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	assert_int_equal(
	    parse_message("{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\","
			  "\"timestamp\":1795314601,\"type\":\"text\","
			  "\"text\":{\"body\":\"x\"}}",
		&b),
	    0);
	assert_int_equal(b->messages[0].sent_at, 1795314601);
	free(b);
}

/* A text message whose body is n copies of the UTF-8 sequence u. */
static int
parse_long_text(const char *u, size_t n, struct inbound_batch **b)
{
	size_t ul = strlen(u), i;
	char *text = malloc(n * ul + 64), *msg, *body;
	int rc;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * ul, u, ul);
	text[n * ul] = '\0';
	msg = malloc(n * ul + 256);
	assert_non_null(msg);
	sprintf(msg,
	    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":\"text\","
	    "\"text\":{\"body\":\"%s\"}}]",
	    text);
	body = envelope(CONTACT, msg);
	rc = parse_str(body, b);
	free(body);
	free(msg);
	free(text);
	return rc;
}

static void
test_text_limits(void **state)
{
	struct inbound_batch *b;

	(void)state;
	assert_int_equal(parse_long_text("a", INBOUND_MAX_TEXT, &b), 0);
	assert_int_equal(strlen(b->messages[0].text), INBOUND_MAX_TEXT);
	free(b);
	assert_int_equal(parse_long_text("a", INBOUND_MAX_TEXT + 1, &b), 400);
	free(b);
	/* 4096 four-byte emoji fill the buffer exactly */
	assert_int_equal(
	    parse_long_text("\xf0\x9f\x99\x8f", INBOUND_MAX_TEXT, &b), 0);
	assert_int_equal(strlen(b->messages[0].text), 4 * INBOUND_MAX_TEXT);
	free(b);
	assert_int_equal(
	    parse_long_text("\\ud83d\\ude4f", INBOUND_MAX_TEXT + 1, &b), 400);
	free(b);
	assert_int_equal(parse_long_text("\xc3\xa9", INBOUND_MAX_TEXT, &b), 0);
	free(b);
	assert_int_equal(
	    parse_long_text("\xc3\xa9", INBOUND_MAX_TEXT + 1, &b), 400);
	free(b);
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
		free(b);
	}
	/* a profile name that is not UTF-8 */
	{
		char *body = envelope(
		    "[{\"profile\":{\"name\":\"\xff\"},\"wa_id\":"
		    "\"" SENDER_DIGITS "\"}]",
		    "[{\"from\":\"" SENDER_DIGITS "\",\"id\":\"m1\",\"type\":"
		    "\"text\",\"text\":{\"body\":\"x\"}}]");

		assert_int_equal(parse_str(body, &b), 400);
		free(b);
		free(body);
	}
}

static int
handshake(const struct channel *c, const char *mode, const char *token,
    const char *challenge, char *out, size_t outlen)
{
	struct kv q[3];
	struct webhook_request r;
	size_t n = 0;

	if (mode != NULL)
		q[n++] = (struct kv){"hub.mode", mode};
	if (token != NULL)
		q[n++] = (struct kv){"hub.verify_token", token};
	if (challenge != NULL)
		q[n++] = (struct kv){"hub.challenge", challenge};
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.url = "https://lapor.pemkot.example/hooks/whatsapp";
	r.query = q;
	r.nquery = n;
	return whatsapp_cloud_handshake(c, &r, out, outlen);
}

static void
test_handshake(void **state)
{
	struct channel c = test_channel();
	char out[128];

	(void)state;
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     "1158201444", out, sizeof(out)),
	    0);
	assert_string_equal(out, "1158201444");
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-test",
			     "1158201444", out, sizeof(out)),
	    403);
	assert_string_equal(out, "");
	assert_int_equal(
	    handshake(&c, "subscribe", "", "1158201444", out, sizeof(out)),
	    403);
	assert_int_equal(handshake(&c, "unsubscribe", "verify-token-for-tests",
			     "1158201444", out, sizeof(out)),
	    403);
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     NULL, out, sizeof(out)),
	    400);
	assert_int_equal(handshake(&c, NULL, "verify-token-for-tests",
			     "1158201444", out, sizeof(out)),
	    400);
	assert_int_equal(
	    handshake(&c, "subscribe", NULL, "1158201444", out, sizeof(out)),
	    400);
	/* the challenge is echoed: only a short token */
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     "<script>", out, sizeof(out)),
	    400);
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     "", out, sizeof(out)),
	    400);
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     "1158201444", out, 5),
	    400);
	memset(out, '1', 100);
	out[100] = '\0';
	{
		char big[128];

		assert_int_equal(
		    handshake(&c, "subscribe", "verify-token-for-tests", out,
			big, sizeof(big)),
		    400);
	}
	/* a channel without a verify token refuses every handshake */
	c.verify_token = NULL;
	assert_int_equal(handshake(&c, "subscribe", "verify-token-for-tests",
			     "1158201444", out, sizeof(out)),
	    403);
}

static void
test_sign_round_trip(void **state)
{
	struct channel c = test_channel();
	struct simulated_message msg = {"0812-3456-7890",
	    "Pungli di SMPN 1, diminta Rp200.000 \xf0\x9f\x99\x8f / seragam",
	    "wamid.SIMULATED1", 1795314600};
	struct signed_request sr;
	struct inbound_batch *b;
	char err[128];
	size_t i;

	(void)state;
	assert_int_equal(
	    whatsapp_cloud_adapter.sign(&c, &msg, &sr, err, sizeof(err)), 0);
	assert_string_equal(sr.content_type, "application/json");
	assert_string_equal(sr.header_name[0], "X-Hub-Signature-256");
	assert_int_equal(strlen(sr.header_value[0]), 71);
	assert_int_equal(sr.body_len, strlen(sr.body));
	/* Meta's serialisation: ASCII only, "/" escaped, digits without + */
	for (i = 0; i < sr.body_len; i++)
		assert_true((unsigned char)sr.body[i] < 0x80);
	/* jansson writes the escapes in upper case, Meta in lower */
	assert_true(strstr(sr.body, "\\ud83d\\ude4f") != NULL ||
	    strstr(sr.body, "\\uD83D\\uDE4F") != NULL);
	assert_non_null(strstr(sr.body, "\\/"));
	assert_non_null(strstr(sr.body, "\"from\":\"" SENDER_DIGITS "\""));
	assert_int_equal(verify_with(sr.body, sr.body_len, sr.header_name[0],
			     sr.header_value[0]),
	    0);
	assert_int_equal(parse_body(&c, sr.body, sr.body_len, &b), 0);
	assert_int_equal(b->nmessages, 1);
	assert_string_equal(b->messages[0].sender, SENDER);
	assert_string_equal(b->messages[0].id, "wamid.SIMULATED1");
	assert_string_equal(b->messages[0].text, msg.text);
	assert_int_equal(b->messages[0].sent_at, 1795314600);
	free(b);
	signed_request_free(&sr);

	/* no id: one is made up */
	msg.id = NULL;
	assert_int_equal(
	    whatsapp_cloud_adapter.sign(&c, &msg, &sr, err, sizeof(err)), 0);
	assert_int_equal(parse_body(&c, sr.body, sr.body_len, &b), 0);
	assert_true(b->messages[0].id[0] != '\0');
	free(b);
	signed_request_free(&sr);

	msg.from = "not a number";
	assert_int_equal(
	    whatsapp_cloud_adapter.sign(&c, &msg, &sr, err, sizeof(err)), -1);
	assert_null(sr.body);
	msg.from = SENDER;
	c.app_secret = NULL;
	assert_int_equal(
	    whatsapp_cloud_adapter.sign(&c, &msg, &sr, err, sizeof(err)), -1);
	signed_request_free(&sr);
}

static void
test_adapter_fields(void **state)
{
	(void)state;
	assert_int_equal(
	    whatsapp_cloud_adapter.provider, PROVIDER_WHATSAPP_CLOUD);
	assert_string_equal(whatsapp_cloud_adapter.name, "whatsapp_cloud");
	assert_string_equal(
	    whatsapp_cloud_adapter.content_type, "application/json");
	assert_string_equal(whatsapp_cloud_adapter.ack_body, "");
	assert_string_equal(
	    whatsapp_cloud_adapter.ack_content_type, "text/plain");
	assert_ptr_equal(
	    adapter_for(PROVIDER_WHATSAPP_CLOUD), &whatsapp_cloud_adapter);
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
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_handshake),
	    cmocka_unit_test(test_sign_round_trip),
	    cmocka_unit_test(test_adapter_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
