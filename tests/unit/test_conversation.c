/*
 * Unit tests of the pure parts of queue/conversation.c: reading CEK,
 * STATUS and TAMBAH with a receipt however it is typed (and telling a
 * report that merely starts with such a word), empty messages in any
 * script, the layout of a sealed pending receipt and of a sealed message,
 * the acknowledgement, and the date of a status reply in the city's time
 * zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/conversation.h"
#include "tests/unit/testlib.h"

#define DIGITS "1234567890123456"
#define SHOWN  "1234-5678-9012-3456"
#define T0     1795314600

/* Commands. */

struct parse_case {
	const char *text;
	enum command_kind kind;
	int has_receipt;
	const char *rest; /* NULL: not checked */
};

static void
assert_parse(const struct parse_case *c)
{
	struct command cmd;
	enum command_kind kind = conversation_parse(c->text, &cmd);

	if (kind != c->kind || cmd.kind != c->kind ||
	    cmd.has_receipt != c->has_receipt)
		fail_msg("'%s': kind %d receipt %d, want %d %d", c->text,
		    (int)kind, cmd.has_receipt, (int)c->kind, c->has_receipt);
	if (c->has_receipt)
		assert_string_equal(cmd.digits, DIGITS);
	if (c->rest != NULL)
		assert_string_equal(cmd.rest, c->rest);
}

static void
test_parse_cek(void **state)
{
	static const struct parse_case cases[] = {
	    {"CEK " SHOWN, COMMAND_CEK, 1, ""},
	    {"cek " DIGITS, COMMAND_CEK, 1, ""},
	    {"Cek 1234 5678 9012 3456", COMMAND_CEK, 1, ""},
	    {"cek 1234.5678.9012.3456", COMMAND_CEK, 1, ""},
	    {"cEk " SHOWN " ", COMMAND_CEK, 1, ""},
	    {"  \ncek  " SHOWN, COMMAND_CEK, 1, ""},
	    {"CEK:" SHOWN, COMMAND_CEK, 1, ""},
	    {"CEK: " SHOWN, COMMAND_CEK, 1, ""},
	    {"cek. " SHOWN, COMMAND_CEK, 1, ""},
	    {"cek" DIGITS, COMMAND_CEK, 1, ""},
	    {"Status " SHOWN, COMMAND_CEK, 1, ""},
	    {"STATUS: " DIGITS, COMMAND_CEK, 1, ""},
	    {"status 1234 - 5678 - 9012 - 3456", COMMAND_CEK, 1, ""},
	    /* however a phone keyboard separates the word from the receipt */
	    {"CEK\n" SHOWN, COMMAND_CEK, 1, ""},
	    {"cek\t" DIGITS, COMMAND_CEK, 1, ""},
	    {"Cek, 1234 5678 9012 3456", COMMAND_CEK, 1, ""},
	    {"cek #" SHOWN, COMMAND_CEK, 1, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		assert_parse(&cases[i]);
}

static void
test_parse_bare_word(void **state)
{
	static const struct parse_case cases[] = {
	    {"cek", COMMAND_CEK, 0, ""},
	    {"CEK", COMMAND_CEK, 0, ""},
	    {"  cek  ", COMMAND_CEK, 0, ""},
	    {"cek?", COMMAND_CEK, 0, ""},
	    {"Status!", COMMAND_CEK, 0, ""},
	    {"status\n", COMMAND_CEK, 0, ""},
	    {"TAMBAH", COMMAND_TAMBAH, 0, ""},
	    /*
	     * A mistyped receipt is still a command (answered as unknown),
	     * never a report whose text would show most of a receipt.
	     */
	    {"cek 1234-5678-9012-345", COMMAND_CEK, 0, ""},
	    {"cek 12345678901234567", COMMAND_CEK, 0, ""},
	    {"TAMBAH 1234 5678 9012 petugasnya dua", COMMAND_TAMBAH, 0, ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		assert_parse(&cases[i]);
}

static void
test_parse_tambah(void **state)
{
	static const struct parse_case cases[] = {
	    {"TAMBAH " SHOWN " petugasnya dua orang", COMMAND_TAMBAH, 1,
		"petugasnya dua orang"},
	    {"tambah " DIGITS ": minta 50rb", COMMAND_TAMBAH, 1, "minta 50rb"},
	    {"Tambah 1234 5678 9012 3456\nkejadian hari Senin", COMMAND_TAMBAH,
		1, "kejadian hari Senin"},
	    {"tambah 1234.5678.9012.3456 di loket 3", COMMAND_TAMBAH, 1,
		"di loket 3"},
	    {"TAMBAH " SHOWN, COMMAND_TAMBAH, 1, ""},
	    {"TAMBAH\n" SHOWN "\npelakunya dua", COMMAND_TAMBAH, 1,
		"pelakunya dua"},
	    {"tambah " SHOWN " 5 orang", COMMAND_TAMBAH, 1, "5 orang"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		assert_parse(&cases[i]);
}

static void
test_parse_not_a_command(void **state)
{
	static const struct parse_case cases[] = {
	    {"Status KTP saya belum jadi, petugas minta uang 200rb",
		COMMAND_NONE, 0, NULL},
	    {"cek kk saya di kelurahan bandar lor dipungut", COMMAND_NONE, 0,
		NULL},
	    {"Tambah lagi pak, petugasnya minta rokok", COMMAND_NONE, 0, NULL},
	    {"Status 2 minggu KTP belum jadi", COMMAND_NONE, 0, NULL},
	    {"Tambah 100000 rupiah diminta petugas", COMMAND_NONE, 0, NULL},
	    {"statusnya gimana", COMMAND_NONE, 0, NULL},
	    {"cekk " SHOWN, COMMAND_NONE, 0, NULL},
	    {"tambahan " SHOWN " lagi", COMMAND_NONE, 0, NULL},
	    {"petugas minta uang, cek " SHOWN, COMMAND_NONE, 0, NULL},
	    {"", COMMAND_NONE, 0, NULL},
	    {"   ", COMMAND_NONE, 0, NULL},
	    {"🙏", COMMAND_NONE, 0, NULL},
	    {DIGITS, COMMAND_NONE, 0, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		assert_parse(&cases[i]);
}

/* Empty messages. */

static void
test_is_empty(void **state)
{
	static const char *const empty[] = {
	    "",
	    "  ",
	    "\n\t \r\n",
	    "🙏🙏",
	    "!!!",
	    "?",
	    "...",
	    "👍🏻",
	    "❤️",
	    "😡😡😡 !!! ???",
	    "👨‍👩‍👧",
	    "\xc2\xa0",			/* a no-break space */
	    "\xe2\x80\x9c\xe2\x80\x9d", /* curly quotes */
	    "✅ ☺",
	};
	static const char *const words[] = {
	    "ya", "é", "50rb", "5", "🙏 tolong", "!!! pungli !!!",
	    "ꦏꦼꦝꦶꦫꦶ", /* Kediri in Javanese script */
	    "ꦥꦸꦔ꧀ꦭꦶ", "Ngapunten, wonten pungli", "ميں",
	    "\xff",	/* not UTF-8: not ours to judge */
	    "\xe2\x82", /* cut short */
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(empty); i++)
		if (!conversation_is_empty(empty[i]))
			fail_msg("not empty: '%s'", empty[i]);
	for (i = 0; i < TESTLIB_COUNT(words); i++)
		if (conversation_is_empty(words[i]))
			fail_msg("empty: '%s'", words[i]);
}

/* Sealing. */

static void
test_seal_pending_layout(void **state)
{
	struct memkey *k = memkey_new(), *other = memkey_new();
	unsigned char sealed[STORE_PENDING_MAX], plain[STORE_PENDING_MAX];
	const char *to = "+6281234567890";
	size_t n;
	long len;

	(void)state;
	assert_non_null(k);
	assert_non_null(other);
	n = conversation_seal_pending(
	    k, DIGITS, PENDING_ACK_BY_OUTBOX | PENDING_ASK_PLACE, to, sealed);
	assert_int_equal(
	    n, RECEIPT_DIGITS + 1 + strlen(to) + 1 + MEMKEY_OVERHEAD);
	assert_null(memmem(sealed, n, DIGITS, RECEIPT_DIGITS));
	assert_null(memmem(sealed, n, "81234567890", 11));
	len = memkey_open(k, sealed, n, plain);
	assert_int_equal(len, (long)(RECEIPT_DIGITS + 1 + strlen(to) + 1));
	assert_memory_equal(plain, DIGITS, RECEIPT_DIGITS);
	assert_int_equal(
	    plain[RECEIPT_DIGITS], PENDING_ACK_BY_OUTBOX | PENDING_ASK_PLACE);
	assert_string_equal((char *)plain + RECEIPT_DIGITS + 1, to);
	assert_int_equal(plain[len - 1], '\0');
	assert_int_equal(memkey_open(other, sealed, n, plain), -1);
	/* No flags, an empty address (an inline reply). */
	n = conversation_seal_pending(k, DIGITS, 0, "", sealed);
	assert_int_equal(
	    memkey_open(k, sealed, n, plain), (long)(RECEIPT_DIGITS + 2));
	assert_int_equal(plain[RECEIPT_DIGITS], 0);
	assert_int_equal(plain[RECEIPT_DIGITS + 1], '\0');
	memkey_free(other);
	memkey_free(k);
}

static void
test_seal_pending_too_long(void **state)
{
	struct memkey *k = memkey_new();
	unsigned char sealed[STORE_PENDING_MAX];
	size_t fits = STORE_PENDING_MAX - MEMKEY_OVERHEAD - RECEIPT_DIGITS - 2;
	char *to = testlib_repeat("", "9", fits, "");

	(void)state;
	assert_non_null(k);
	assert_int_equal(conversation_seal_pending(k, DIGITS, 1, to, sealed),
	    STORE_PENDING_MAX);
	free(to);
	to = testlib_repeat("", "9", fits + 1, "");
	assert_int_equal(
	    conversation_seal_pending(k, DIGITS, 1, to, sealed), 0);
	free(to);
	memkey_free(k);
}

static void
test_seal_message(void **state)
{
	struct memkey *k = memkey_new();
	const char *to = "6281234567890", *text = "Laporan KDR-7K3M9Q diterima";
	size_t need = strlen(to) + 1 + strlen(text) + MEMKEY_OVERHEAD;
	unsigned char sealed[256], plain[256];
	long len;

	(void)state;
	assert_non_null(k);
	assert_int_equal(
	    conversation_seal_message(k, to, text, sealed, sizeof sealed),
	    need);
	len = memkey_open(k, sealed, need, plain);
	assert_int_equal(len, (long)(need - MEMKEY_OVERHEAD));
	assert_string_equal((char *)plain, to);
	assert_memory_equal(plain + strlen(to) + 1, text, strlen(text));
	assert_int_equal(
	    conversation_seal_message(k, to, text, sealed, need), need);
	assert_int_equal(
	    conversation_seal_message(k, to, text, sealed, need - 1), 0);
	memkey_free(k);
}

/* The acknowledgement. */

static struct opd opds[] = {
    {.id = "dishub", .name = "Dinas Perhubungan (Dishub)"},
    {.id = "inspektorat", .name = "Inspektorat"},
};

static void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->server.city = "Kota Kediri";
	cfg->opds = opds;
	cfg->nopds = TESTLIB_COUNT(opds);
}

/* conversation_ack() must hold every one of want and none of unwanted. */
static void
assert_ack(const struct config *cfg, const char *opd, int ask_place,
    const char *const *want, const char *unwanted)
{
	char *ack = conversation_ack(cfg, "KDR-7K3M9Q", SHOWN, opd, ask_place);

	assert_non_null(ack);
	for (; *want != NULL; want++)
		if (strstr(ack, *want) == NULL)
			fail_msg("no '%s' in: %s", *want, ack);
	if (unwanted != NULL && strstr(ack, unwanted) != NULL)
		fail_msg("'%s' in: %s", unwanted, ack);
	assert_null(strchr(ack, '{'));
	free(ack);
}

static void
test_ack(void **state)
{
	static const char *const plain[] = {"KDR-7K3M9Q", "CEK " SHOWN,
	    "TAMBAH " SHOWN, "Dinas Perhubungan (Dishub)", "bukan anonim",
	    NULL};
	static const char *const asked[] = {"KDR-7K3M9Q", SHOWN, "Dishub",
	    "\n\nDi kelurahan atau kecamatan", NULL};
	static const char *const triage[] = {"tim penelaah", NULL};
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_ack(&cfg, "dishub", 0, plain, "kelurahan atau kecamatan");
	assert_ack(&cfg, "dishub", 1, asked, NULL);
	assert_ack(&cfg, NULL, 0, triage, "Inspektorat");
	assert_ack(&cfg, "no_such_opd", 0, triage, NULL);
}

static void
test_ack_templates_from_config(void **state)
{
	static const char *const want[] = {"Kota Kediri: KDR-7K3M9Q / " SHOWN
					   " / Inspektorat\n\nDimana?",
	    NULL};
	char ack[] = "{city}: {code} / {receipt} / {opd}", ask[] = "Dimana?";
	struct config cfg;

	(void)state;
	config_init(&cfg);
	cfg.templates[TEMPLATE_ACK] = ack;
	cfg.templates[TEMPLATE_ASK_PLACE] = ask;
	assert_ack(&cfg, "inspektorat", 1, want, NULL);
}

/* Replies to commands. */

/* 16:30 UTC on 09-03-2026: 23:30 WIB that day, 00:30 WITA the next. */
#define UPDATED_AT 1773073800

/* conversation_reply() of template id for a report updated at UPDATED_AT. */
static char *
reply_at(const struct config *cfg, enum template_id id)
{
	struct store_report_status rs;
	char *text;

	memset(&rs, 0, sizeof rs);
	rs.id = 1;
	snprintf(rs.code, sizeof rs.code, "KDR-7K3M9Q");
	snprintf(rs.status, sizeof rs.status, "resolved");
	snprintf(rs.outcome, sizeof rs.outcome, "Sudah diperbaiki");
	rs.updated_at = UPDATED_AT;
	text = conversation_reply(cfg, id, &rs);
	assert_non_null(text);
	return text;
}

static void
assert_reply_date(const char *zone, const char *want)
{
	static const enum template_id ids[] = {
	    TEMPLATE_STATUS, TEMPLATE_RESOLVED};
	struct config *cfg;
	char conf[1024], *text;
	void *state = NULL;
	size_t i;

	assert_int_equal(testlib_config_setup(&state), 0);
	snprintf(conf, sizeof conf, "%s%s%s%s", TESTLIB_CONFIG_MINIMAL,
	    zone != NULL ? "[sla]\ntimezone_offset = " : "",
	    zone != NULL ? zone : "", zone != NULL ? "\n" : "");
	cfg = testlib_config_must_load(state, conf);
	for (i = 0; i < TESTLIB_COUNT(ids); i++) {
		text = reply_at(cfg, ids[i]);
		if (strstr(text, want) == NULL)
			fail_msg("%s: no '%s' in: %s", zone ? zone : "default",
			    want, text);
		assert_non_null(strstr(text, "KDR-7K3M9Q"));
		assert_null(strchr(text, '{'));
		free(text);
	}
	config_free(cfg);
	assert_int_equal(testlib_config_teardown(&state), 0);
}

/* The last update is a date where the city is, not in WIB. */
static void
test_reply_date_in_city_zone(void **state)
{
	(void)state;
	assert_reply_date("WITA", "10-03-2026");
	assert_reply_date("WIT", "10-03-2026");
	assert_reply_date("+07:30", "10-03-2026");
	assert_reply_date("WIB", "09-03-2026");
	assert_reply_date(NULL, "09-03-2026"); /* the default, WIB */
	assert_reply_date("-03:00", "09-03-2026");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_cek),
	    cmocka_unit_test(test_parse_bare_word),
	    cmocka_unit_test(test_parse_tambah),
	    cmocka_unit_test(test_parse_not_a_command),
	    cmocka_unit_test(test_is_empty),
	    cmocka_unit_test(test_seal_pending_layout),
	    cmocka_unit_test(test_seal_pending_too_long),
	    cmocka_unit_test(test_seal_message),
	    cmocka_unit_test(test_ack),
	    cmocka_unit_test(test_ack_templates_from_config),
	    cmocka_unit_test(test_reply_date_in_city_zone),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
