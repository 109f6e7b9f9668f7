/*
 * Unit tests of queue/templates.c: a default for every template, the
 * config's text when set, placeholders filled (every time they appear,
 * never twice over), unknown or unmatched braces kept as written, and a
 * report status in a citizen's words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/templates.h"
#include "queue/report.h"
#include "tests/unit/testlib.h"

static const struct template_var vars[] = {
    {"code", "KDR-7K3M9Q"},
    {"receipt", "1234-5678-9012-3456"},
    {"opd", "Dinas Perhubungan (Dishub)"},
    {"category", "Pungutan liar (pungli)"},
    {"status", "sedang ditindaklanjuti"},
    {"updated", "05-01-2027"},
    {"city", "Kota Kediri"},
    {"outcome", "petugas diberi sanksi"},
    {"place", "Kel. Bandar Lor, Kec. Mojoroto"},
    {"due", "Senin 07-12-2026 23:59 WIB"},
    {"what", "diterima (balas TERIMA KDR-7K3M9Q)"},
    {"link", "https://lapor.example/reports/KDR-7K3M9Q"},
    {"excerpt", ""},
    {"date", "02-12-2026"},
    {"new", "12"},
    {"resolved", "3"},
    {"overdue", "1"},
    {"open", "40"},
    {"fingerprint", "3f2a 91c0 7b44 e815"},
    {"audit_rows", "42"},
    {"audit_head", "3f2a91c07b44e815"},
    {"max", "16 MB"},
    {"evidence", "\nBukti: 2 foto"},
    {"reason", "laporan sudah selesai"},
    {"example", "TERIMA KDR-7K3M9Q"},
    {"opds", "dishub, satpol_pp"},
    {"acknowledge", "3 hari kerja"},
    {"resolve", "10 hari kerja"},
    {"contact", "PPID Kota Kediri, 0354-123456"},
};

/* Render id under cfg with vars and compare with want. */
static void
assert_render(const struct config *cfg, enum template_id id,
    const struct template_var *v, size_t n, const char *want)
{
	char *got = templates_render(cfg, id, v, n);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_defaults(void **state)
{
	struct config cfg = {0};
	const char *t;
	char *r;
	int id;

	(void)state;
	for (id = 0; id < TEMPLATE_COUNT; id++) {
		t = templates_text(&cfg, (enum template_id)id);
		assert_non_null(t);
		assert_true(strlen(t) > 20);
		/* Rendered with every value, no known placeholder is left. */
		r = templates_render(
		    &cfg, (enum template_id)id, vars, TESTLIB_COUNT(vars));
		assert_non_null(r);
		assert_null(strchr(r, '{'));
		free(r);
	}
	t = templates_text(&cfg, TEMPLATE_ACK);
	assert_non_null(strstr(t, "{code}"));
	assert_non_null(strstr(t, "{receipt}"));
	assert_non_null(strstr(t, "{opd}"));
	assert_non_null(strstr(t, "CEK {receipt}"));
	assert_non_null(strstr(t, "TAMBAH {receipt}"));
	assert_non_null(strstr(t, "bukan anonim"));
	t = templates_text(&cfg, TEMPLATE_STATUS);
	assert_non_null(strstr(t, "{status}"));
	assert_non_null(strstr(t, "{updated}"));
	assert_non_null(strstr(t, "{category}"));
}

static void
test_default_ack_rendered(void **state)
{
	struct config cfg = {0};
	char *r;
	const char *p;
	int n = 0;

	(void)state;
	r = templates_render(&cfg, TEMPLATE_ACK, vars, TESTLIB_COUNT(vars));
	assert_non_null(r);
	assert_non_null(strstr(r, "nomor KDR-7K3M9Q"));
	assert_non_null(strstr(r, "ke Dinas Perhubungan (Dishub)."));
	assert_non_null(strstr(r, "CEK 1234-5678-9012-3456\n"));
	for (p = r; (p = strstr(p, "1234-5678-9012-3456")) != NULL; p++)
		n++;
	assert_int_equal(n, 3);
	free(r);
}

static void
test_config_override(void **state)
{
	struct config cfg = {0};
	char text[] = "Laporan {code} di {city} diterima. Bukti: {receipt}";

	(void)state;
	cfg.templates[TEMPLATE_ACK] = text;
	assert_ptr_equal(templates_text(&cfg, TEMPLATE_ACK), text);
	assert_ptr_not_equal(
	    templates_text(&cfg, TEMPLATE_STATUS), cfg.templates[TEMPLATE_ACK]);
	assert_render(&cfg, TEMPLATE_ACK, vars, TESTLIB_COUNT(vars),
	    "Laporan KDR-7K3M9Q di Kota Kediri diterima. "
	    "Bukti: 1234-5678-9012-3456");
}

static void
test_placeholders(void **state)
{
	static const struct {
		const char *tmpl, *want;
	} cases[] = {
	    {"{code}", "KDR-7K3M9Q"},
	    {"{code}{code}{code}{code}",
		"KDR-7K3M9QKDR-7K3M9QKDR-7K3M9QKDR-7K3M9Q"},
	    {"a {unknown} b", "a {unknown} b"},
	    {"{}", "{}"},
	    {"unclosed {code", "unclosed {code"},
	    {"{{code}}", "{KDR-7K3M9Q}"},
	    {"{ code}", "{ code}"},
	    {"{CODE}", "{CODE}"},
	    {"{codex} {cod}", "{codex} {cod}"},
	    {"{empty}|{none}|", "|-|"},
	    {"{brace}", "{code}"},
	    {"", ""},
	};
	static const struct template_var v[] = {
	    {"code", "KDR-7K3M9Q"},
	    {"empty", ""},
	    {"none", NULL},
	    {"brace", "{code}"},
	};
	struct config cfg = {0};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		snprintf(buf, sizeof buf, "%s", cases[i].tmpl);
		cfg.templates[TEMPLATE_EMPTY] = buf;
		assert_render(
		    &cfg, TEMPLATE_EMPTY, v, TESTLIB_COUNT(v), cases[i].want);
	}
}

static void
test_long_values(void **state)
{
	struct config cfg = {0};
	char tmpl[] = "{a}{b}{a}{b}{a}";
	char *big = testlib_repeat("", "x", 3000, ""), *want;
	const struct template_var v[] = {{"a", big}, {"b", "y"}};

	(void)state;
	cfg.templates[TEMPLATE_ADDED] = tmpl;
	want = malloc(3 * 3000 + 2 + 1);
	assert_non_null(want);
	sprintf(want, "%sy%sy%s", big, big, big);
	assert_render(&cfg, TEMPLATE_ADDED, v, TESTLIB_COUNT(v), want);
	free(want);
	free(big);
}

static void
test_status_words(void **state)
{
	static const struct {
		const char *status, *words;
	} cases[] = {
	    {"received", "diterima"},
	    {"routed", "diteruskan ke OPD"},
	    {"triage", "sedang ditelaah"},
	    {"in_progress", "sedang ditindaklanjuti"},
	    {"resolved", "selesai ditindaklanjuti"},
	    {"closed", "ditutup"},
	    {"something_new", "something_new"},
	    {"", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		assert_string_equal(
		    report_status_words(cases[i].status), cases[i].words);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_default_ack_rendered),
	    cmocka_unit_test(test_config_override),
	    cmocka_unit_test(test_placeholders),
	    cmocka_unit_test(test_long_values),
	    cmocka_unit_test(test_status_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
