/*
 * test_alerts: queue/alerts.c, what staff are sent.  The excerpt (the text
 * masked by queue/mask.c, whose own cases are in test_mask.c, cut at 280
 * bytes at a character boundary with "…", a mask whole or left out, and
 * always valid UTF-8), deadlines as Indonesians read them (WIB, WITA,
 * WIT, other offsets), who is staff, and the messages themselves:
 * alerts, reminders and escalations to an OPD's head and deputy (channel,
 * destination, kind, the exact text, the WhatsApp template's three
 * parameters and the SMS fallback; the report's text only as a masked
 * excerpt and only to an OPD that asked for it; an overridden [templates]
 * alert) and the daily digest.  Configs are written to a mkdtemp
 * directory, removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "lib/utf8.h"
#include "queue/alerts.h"
#include "queue/seal.h"
#include "queue/mask.h"
#include "queue/store.h"

#define MASK	 "[angka disamarkan]"
#define ELLIPSIS "\xe2\x80\xa6"

/* Monday 2026-12-07 16:59:00 UTC: 23:59 WIB. */
#define MONDAY 1796662740
/* Monday 2026-12-21 16:59:59 UTC: 23:59 WIB, two weeks on. */
#define MONDAY_2 1797872399

#define HEAD	"+6281100000105"
#define DEPUTY	"+6281100000205"
#define INSPEKT "+6281100000107"
#define MAYOR	"+6281100000001"
#define CITIZEN "+6281234567890"

/*
 * The alerts' config: dishub's head on WhatsApp (a channel with an
 * alert_template and an SMS fallback), its deputy on SMS; the
 * Inspektorat, which takes excerpts; Satpol PP with nobody to alert.
 */
#define CONFIG                                                                 \
	TESTLIB_CONFIG_MINIMAL                                                 \
	"alert_template = laporan_opd\n"                                       \
	"sms_fallback = sms\n"                                                 \
	"[channel sms]\n"                                                      \
	"provider = android_sms_gateway\n"                                     \
	"signing_key = k\n"                                                    \
	"[category pungli]\n"                                                  \
	"name = Pungutan liar (pungli)\n"                                      \
	"keywords = pungli\n"                                                  \
	"[region mojoroto]\n"                                                  \
	"name = Mojoroto\n"                                                    \
	"kelurahan = Bandar Lor, Bandar Kidul\n"                               \
	"[region kota]\n"                                                      \
	"name = Kecamatan Kota\n"                                              \
	"kelurahan = Balowerti\n"                                              \
	"[opd dishub]\n"                                                       \
	"name = Dinas Perhubungan\n"                                           \
	"keywords = parkir\n"                                                  \
	"head = 0811 0000 0105\n"                                              \
	"head_channel = wa\n"                                                  \
	"deputy = +62 811 0000 0205\n"                                         \
	"deputy_channel = sms\n"                                               \
	"[opd inspektorat]\n"                                                  \
	"name = Inspektorat\n"                                                 \
	"head = 0811 0000 0107\n"                                              \
	"head_channel = wa\n"                                                  \
	"alert_text = excerpt\n"                                               \
	"[opd satpol]\n"                                                       \
	"name = Satpol PP\n"                                                   \
	"[routing]\n"                                                          \
	"triage = inspektorat\n"

/* holidays ahead of both days the digests are tested on */
#define HOLIDAYS   "[holidays]\ndates = 2026-01-20, 2026-12-25\n"
#define DIGEST_WA  HOLIDAYS "[digest]\nto = +62 811 0000 0001\nchannel = wa\n"
#define DIGEST_SMS HOLIDAYS "[digest]\nto = 0811-0000-0001\nchannel = sms\n"

#define REPORT_TEXT                                                            \
	"Jukir minta uang 50.000,\nhubungi saya 0812-3456-7890 atau NIK "      \
	"3571012345678901"
#define REPORT_EXCERPT                                                         \
	"Jukir minta uang 50.000, hubungi saya " MASK " atau NIK " MASK

#define LINK "http://hotline.test/reports/KDR-7K3M9Q"

/* The default alert of the report below, sent to either OPD. */
#define ALERT_BODY                                                             \
	"[Hotline Kota Kediri] Laporan baru KDR-7K3M9Q untuk Dinas "           \
	"Perhubungan.\n"                                                       \
	"Jenis: Pungutan liar (pungli). Lokasi: Kel. Bandar Lor, Kec. "        \
	"Mojoroto.\n"                                                          \
	"Balas TERIMA KDR-7K3M9Q sebelum Senin 07-12-2026 23:59 WIB.\n"        \
	"Rincian: " LINK

/* --- helpers ------------------------------------------------------------ */

/* Does s hold a decimal digit? */
static int
has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

/* The excerpt of text, which must be valid UTF-8 and short enough. */
static void
excerpt(const char *text, char out[ALERTS_EXCERPT_MAX + 1])
{
	memset(out, 'X', ALERTS_EXCERPT_MAX + 1);
	alerts_excerpt(text, out);
	assert_true(strlen(out) <= ALERTS_EXCERPT_MAX);
	if (!utf8_valid(out))
		fail_msg("not UTF-8: %s", out);
}

/* s with every "\n" written as " | ", as the template parameter has it. */
static char *
one_line(const char *s)
{
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	assert_non_null(out);
	for (; *s != '\0'; s++)
		if (*s == '\n') {
			memcpy(o, " | ", 3);
			o += 3;
		} else
			*o++ = *s;
	*o = '\0';
	return out;
}

/*
 * m's template parameters are exactly [title, code, the body on one
 * line], three strings, and the third holds no line break.
 */
static void
assert_params(
    const struct alert_message *m, const char *title, const char *code)
{
	json_error_t jerr;
	json_t *a;
	char *line = one_line(m->body);
	size_t i;

	assert_non_null(m->params);
	a = json_loads(m->params, 0, &jerr);
	if (a == NULL)
		fail_msg("params not JSON: %s: %s", jerr.text, m->params);
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 3);
	for (i = 0; i < 3; i++)
		assert_true(json_is_string(json_array_get(a, i)));
	assert_string_equal(json_string_value(json_array_get(a, 0)), title);
	assert_string_equal(json_string_value(json_array_get(a, 1)), code);
	assert_null(strchr(json_string_value(json_array_get(a, 2)), '\n'));
	assert_string_equal(json_string_value(json_array_get(a, 2)), line);
	json_decref(a);
	free(line);
}

/* m goes to the head of dishub, by WhatsApp with the template. */
static void
assert_to_head(const struct alert_message *m, const char *kind)
{
	assert_string_equal(m->kind, kind);
	assert_string_equal(m->channel, "wa");
	assert_string_equal(m->destination, HEAD);
	assert_non_null(m->template_name);
	assert_string_equal(m->template_name, "laporan_opd");
	assert_non_null(m->fallback);
	assert_string_equal(m->fallback, "sms");
}

/* m goes to the deputy of dishub, by SMS: no template, no fallback. */
static void
assert_to_deputy(const struct alert_message *m, const char *kind)
{
	assert_string_equal(m->kind, kind);
	assert_string_equal(m->channel, "sms");
	assert_string_equal(m->destination, DEPUTY);
	assert_null(m->template_name);
	assert_null(m->params);
	assert_null(m->fallback);
}

/* The report of the alerts: at dishub, with a number in its text. */
static void
make_case(struct store_case *c)
{
	memset(c, 0, sizeof *c);
	c->id = 42;
	snprintf(c->code, sizeof c->code, "KDR-7K3M9Q");
	snprintf(c->status, sizeof c->status, "routed");
	snprintf(c->category, sizeof c->category, "pungli");
	snprintf(c->opd, sizeof c->opd, "dishub");
	snprintf(c->kecamatan, sizeof c->kecamatan, "mojoroto");
	snprintf(c->kelurahan, sizeof c->kelurahan, "Bandar Lor");
	c->text = REPORT_TEXT;
	c->ack_due = MONDAY;
	c->resolve_due = MONDAY_2;
}

static const struct opd *
opd_of(const struct config *cfg, const char *id)
{
	const struct opd *o = config_opd(cfg, id);

	assert_non_null(o);
	return o;
}

/* --- alerts_excerpt ------------------------------------------------------ */

/*
 * The excerpt is mask_text() cut at ALERTS_EXCERPT_MAX bytes (the masks
 * themselves are tests/unit/test_mask.c's): the report's numbers go, the
 * amount stays, blanks fold; NULL is no text.
 */
static void
test_excerpt_masks(void **state)
{
	static const char *const texts[] = {
	    REPORT_TEXT,
	    "nama saya Budi Santoso, HP 0812 3456 7890, nopol AG 1234 XY",
	    "  satu\n\ndua \t tiga\r\nempat  \n",
	    "",
	};
	char out[ALERTS_EXCERPT_MAX + 1], want[ALERTS_EXCERPT_MAX + 1];
	size_t i;

	(void)state;
	excerpt(REPORT_TEXT, out);
	assert_string_equal(out, REPORT_EXCERPT);
	for (i = 0; i < TESTLIB_COUNT(texts); i++) {
		excerpt(texts[i], out);
		mask_text(texts[i], want, ALERTS_EXCERPT_MAX);
		assert_string_equal(out, want);
	}
	excerpt(texts[1], out);
	assert_false(has_digit(out));
	assert_null(strstr(out, "Budi"));
	excerpt(texts[2], out);
	assert_string_equal(out, "satu dua tiga empat");
	excerpt(NULL, out);
	assert_string_equal(out, "");
}

/* A long text: unit repeated count times after head, and its excerpt. */
static void
long_excerpt(const char *head, const char *unit, size_t count, const char *tail,
    char out[ALERTS_EXCERPT_MAX + 1])
{
	char *text = testlib_repeat(head, unit, count, tail);

	excerpt(text, out);
	free(text);
}

static void
test_excerpt_cut(void **state)
{
	const size_t room = ALERTS_EXCERPT_MAX - 3; /* before "…" */
	char out[ALERTS_EXCERPT_MAX + 1], *want;

	(void)state;
	assert_int_equal(ALERTS_EXCERPT_MAX, 280);

	/* ASCII: as much as fits, then the ellipsis: exactly the maximum */
	long_excerpt("", "a", 300, "", out);
	assert_int_equal(strlen(out), ALERTS_EXCERPT_MAX);
	want = testlib_repeat("", "a", room, ELLIPSIS);
	assert_string_equal(out, want);
	free(want);

	/* what fits before the ellipsis is kept whole */
	long_excerpt("", "a", room, "", out);
	assert_int_equal(strlen(out), room);
	assert_null(strstr(out, ELLIPSIS));

	/* two-byte characters: never half of one */
	long_excerpt("", "é", 300, "", out);
	want = testlib_repeat("", "é", room / 2, ELLIPSIS);
	assert_string_equal(out, want);
	assert_int_equal(strlen(out), 279);
	free(want);
	long_excerpt("a", "é", 300, "", out);
	want = testlib_repeat("a", "é", room / 2, ELLIPSIS);
	assert_string_equal(out, want);
	assert_int_equal(strlen(out), ALERTS_EXCERPT_MAX);
	free(want);

	/* four-byte characters (emoji), at each offset */
	long_excerpt("", "\xf0\x9f\x98\x80", 100, "", out);
	want = testlib_repeat("", "\xf0\x9f\x98\x80", room / 4, ELLIPSIS);
	assert_string_equal(out, want);
	free(want);
	long_excerpt("ab", "\xf0\x9f\x98\x80", 100, "", out);
	want = testlib_repeat("ab", "\xf0\x9f\x98\x80", 68, ELLIPSIS);
	assert_string_equal(out, want);
	free(want);
	long_excerpt("abc", "\xf0\x9f\x98\x80", 100, "", out);
	want = testlib_repeat("abc", "\xf0\x9f\x98\x80", 68, ELLIPSIS);
	assert_string_equal(out, want);
	free(want);

	/* a number is masked whole or left out, never cut */
	long_excerpt("", "a", room - 7, " 1234567", out);
	want = testlib_repeat("", "a", room - 7, ELLIPSIS);
	assert_string_equal(out, want);
	free(want);
	long_excerpt("", "x", room - 1, " 081234567890", out);
	want = testlib_repeat("", "x", room - 1, ELLIPSIS); /* no blank */
	assert_string_equal(out, want);
	free(want);
	long_excerpt("", "hp 08123456789, ", 40, "", out);
	assert_false(has_digit(out));
	assert_non_null(strstr(out, "hp " MASK ", hp " MASK ", hp "));
	assert_int_equal(strcmp(out + strlen(out) - 3, ELLIPSIS), 0);
	assert_string_not_equal(out + strlen(out) - 4, " " ELLIPSIS);
}

/* --- alerts_format_time -------------------------------------------------- */

static void
test_format_time(void **state)
{
	static const struct {
		long t;
		int offset;
		const char *want;
	} cases[] = {
	    {MONDAY, 7 * 3600, "Senin 07-12-2026 23:59 WIB"},
	    {MONDAY, 8 * 3600, "Selasa 08-12-2026 00:59 WITA"},
	    {MONDAY, 9 * 3600, "Selasa 08-12-2026 01:59 WIT"},
	    {MONDAY, 5 * 3600 + 30 * 60, "Senin 07-12-2026 22:29 UTC+05:30"},
	    {MONDAY, -(3 * 3600 + 30 * 60), "Senin 07-12-2026 13:29 UTC-03:30"},
	    {MONDAY, 0, "Senin 07-12-2026 16:59 UTC+00:00"},
	    {MONDAY_2, 7 * 3600, "Senin 21-12-2026 23:59 WIB"},
	    /* every day's name; Thursday 2026-01-01 00:00 WIB */
	    {1767200400, 7 * 3600, "Kamis 01-01-2026 00:00 WIB"},
	    {1767200400 + 86400, 7 * 3600, "Jumat 02-01-2026 00:00 WIB"},
	    {1767200400 + 2 * 86400, 7 * 3600, "Sabtu 03-01-2026 00:00 WIB"},
	    {1767200400 + 3 * 86400, 7 * 3600, "Minggu 04-01-2026 00:00 WIB"},
	    {1767200400 + 4 * 86400, 7 * 3600, "Senin 05-01-2026 00:00 WIB"},
	    {1767200400 + 5 * 86400, 7 * 3600, "Selasa 06-01-2026 00:00 WIB"},
	    {1767200400 + 6 * 86400, 7 * 3600, "Rabu 07-01-2026 00:00 WIB"},
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		memset(buf, 'X', sizeof buf);
		alerts_format_time(
		    (time_t)cases[i].t, cases[i].offset, buf, sizeof buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("case %zu: \"%s\", not \"%s\"", i, buf,
			    cases[i].want);
	}

	/* a short buffer is cut and terminated */
	memset(buf, 'X', sizeof buf);
	alerts_format_time(MONDAY, 7 * 3600, buf, 6);
	assert_string_equal(buf, "Senin");
}

/* --- staff --------------------------------------------------------------- */

static void
test_staff(void **state)
{
	struct testlib_config *f = *state;
	const struct opd *dishub, *inspektorat, *satpol;
	struct config *cfg;

	cfg = testlib_config_must_load(f, CONFIG DIGEST_WA);
	dishub = opd_of(cfg, "dishub");
	inspektorat = opd_of(cfg, "inspektorat");
	satpol = opd_of(cfg, "satpol");
	assert_string_equal(dishub->id, "dishub");
	assert_string_equal(dishub->name, "Dinas Perhubungan");
	assert_string_equal(inspektorat->name, "Inspektorat");
	assert_ptr_equal(dishub, &cfg->opds[0]);
	assert_ptr_equal(satpol, &cfg->opds[2]);
	assert_null(config_opd(cfg, "nope"));
	assert_null(config_opd(cfg, "DISHUB"));
	assert_null(config_opd(cfg, ""));
	assert_null(config_opd(cfg, NULL));

	/* the numbers were normalised to E.164 when loaded */
	assert_string_equal(dishub->head, HEAD);
	assert_string_equal(dishub->deputy, DEPUTY);

	/* on their own channels: the head's is wa, the deputy's sms */
	assert_true(alerts_is_head_of(dishub, "wa", HEAD));
	assert_true(alerts_is_head_of(dishub, "sms", DEPUTY));
	assert_true(alerts_is_head_of(dishub, NULL, HEAD));
	assert_false(alerts_is_head_of(dishub, "sms", HEAD));
	assert_false(alerts_is_head_of(dishub, "wa", DEPUTY));
	assert_false(alerts_is_head_of(dishub, "smssync", HEAD));
	assert_false(alerts_is_head_of(dishub, "wa", INSPEKT));
	assert_false(alerts_is_head_of(dishub, "wa", CITIZEN));
	assert_false(alerts_is_head_of(dishub, "wa", MAYOR));
	assert_false(alerts_is_head_of(dishub, "wa", "0811 0000 0105"));
	assert_false(alerts_is_head_of(dishub, "wa", ""));
	assert_false(alerts_is_head_of(dishub, "wa", NULL));
	assert_true(alerts_is_head_of(inspektorat, "wa", INSPEKT));
	assert_false(alerts_is_head_of(inspektorat, "wa", HEAD));
	assert_false(alerts_is_head_of(satpol, "wa", HEAD));
	assert_false(alerts_is_head_of(satpol, "wa", ""));
	assert_false(alerts_is_head_of(NULL, "wa", HEAD));

	assert_true(alerts_is_staff(cfg, "wa", HEAD));
	assert_true(alerts_is_staff(cfg, "sms", DEPUTY));
	assert_true(alerts_is_staff(cfg, "wa", INSPEKT));
	assert_true(alerts_is_staff(cfg, "wa", MAYOR)); /* the digest's */
	/* another channel: a citizen like any other */
	assert_false(alerts_is_staff(cfg, "sms", HEAD));
	assert_false(alerts_is_staff(cfg, "wa", DEPUTY));
	assert_false(alerts_is_staff(cfg, "sms", MAYOR));
	assert_false(alerts_is_staff(cfg, "wa", CITIZEN));
	assert_false(alerts_is_staff(cfg, "wa", "+6281100000106"));
	assert_false(alerts_is_staff(cfg, "wa", "+62811000001050"));
	assert_false(alerts_is_staff(cfg, "wa", "+628110000010"));
	assert_false(alerts_is_staff(cfg, "wa", ""));
	assert_false(alerts_is_staff(cfg, "wa", NULL));
	config_free(cfg);

	/* without [digest] the mayor's number is nobody's */
	cfg = testlib_config_must_load(f, CONFIG);
	assert_null(cfg->digest.to);
	assert_false(alerts_is_staff(cfg, "wa", MAYOR));
	assert_true(alerts_is_staff(cfg, "wa", HEAD));
	assert_false(alerts_is_staff(cfg, "wa", CITIZEN));
	assert_false(alerts_is_staff(cfg, "wa", NULL));
	config_free(cfg);
}

/* --- alerts_about -------------------------------------------------------- */

static void
test_alert_to_head_and_deputy(void **state)
{
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;

	cfg = testlib_config_must_load(f, CONFIG);
	make_case(&c);
	assert_int_equal(
	    alerts_about(cfg, TEMPLATE_ALERT, &c, opd_of(cfg, "dishub"), 0, m),
	    2);

	/* the head: WhatsApp template, SMS fallback */
	assert_to_head(&m[0], "alert");
	assert_string_equal(m[0].body, ALERT_BODY);
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");

	/* the deputy: plain SMS */
	assert_to_deputy(&m[1], "alert");
	assert_string_equal(m[1].body, ALERT_BODY);

	/* dishub takes no excerpt: nothing of the text, not even masked */
	assert_null(strstr(m[0].body, "Jukir"));
	assert_null(strstr(m[0].body, "3456"));
	assert_null(strstr(m[0].body, MASK));
	assert_null(strstr(m[0].params, "Jukir"));
	assert_null(strstr(m[1].body, "Jukir"));
	alerts_free(m, 2);
	assert_null(m[0].body);
	assert_null(m[0].params);
	assert_null(m[1].body);

	/* the evidence the citizen sent, counted (never shown here) */
	c.evidence[0] = 2;
	c.evidence[2] = 1;
	assert_int_equal(
	    alerts_about(cfg, TEMPLATE_ALERT, &c, opd_of(cfg, "dishub"), 0, m),
	    2);
	assert_string_equal(
	    m[0].body, ALERT_BODY "\nBukti: 2 foto, 1 pesan suara");
	alerts_free(m, 2);
	memset(c.evidence, 0, sizeof c.evidence);

	/* an OPD with nobody to alert: no message */
	assert_int_equal(
	    alerts_about(cfg, TEMPLATE_ALERT, &c, opd_of(cfg, "satpol"), 0, m),
	    0);
	config_free(cfg);
}

static void
test_alert_excerpt(void **state)
{
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;
	char *long_text;

	cfg = testlib_config_must_load(f, CONFIG);
	make_case(&c);

	/* the Inspektorat asked for excerpts: masked, on one line */
	assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_string_equal(m[0].kind, "alert");
	assert_string_equal(m[0].channel, "wa");
	assert_string_equal(m[0].destination, INSPEKT);
	assert_string_equal(m[0].template_name, "laporan_opd");
	assert_string_equal(m[0].fallback, "sms");
	assert_string_equal(
	    m[0].body, ALERT_BODY "\nIsi (disamarkan): " REPORT_EXCERPT);
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");
	assert_null(strstr(m[0].body, "3456"));
	assert_null(strstr(m[0].body, "7890"));
	assert_null(strstr(m[0].body, "357101"));
	assert_null(strstr(m[0].params, "3456"));
	assert_null(strstr(m[0].params, "357101"));
	alerts_free(m, 1);

	/* reminders and escalations carry no excerpt */
	assert_int_equal(alerts_about(cfg, TEMPLATE_REMINDER, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_null(strstr(m[0].body, "Isi"));
	assert_null(strstr(m[0].body, "Jukir"));
	alerts_free(m, 1);
	assert_int_equal(alerts_about(cfg, TEMPLATE_ESCALATION, &c,
			     opd_of(cfg, "inspektorat"), 1, m),
	    1);
	assert_null(strstr(m[0].body, "Jukir"));
	alerts_free(m, 1);

	/* no text: no excerpt line */
	c.text = NULL;
	assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_string_equal(m[0].body, ALERT_BODY);
	alerts_free(m, 1);

	/*
	 * A long text of two-byte characters: the excerpt is cut with "…",
	 * and the template parameter is the whole body, "…" included, on one
	 * line and valid UTF-8.
	 */
	long_text = testlib_repeat("Pungli ", "é", 400, " 081234567890");
	c.text = long_text;
	assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_true(utf8_valid(m[0].body));
	assert_true(strlen(strstr(m[0].body, "Isi (disamarkan): ")) <=
	    strlen("Isi (disamarkan): ") + ALERTS_EXCERPT_MAX);
	assert_int_equal(
	    strcmp(m[0].body + strlen(m[0].body) - 3, ELLIPSIS), 0);
	assert_false(has_digit(strstr(m[0].body, "Isi (disamarkan): ")));
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");
	alerts_free(m, 1);

	/* a text that ends in a two-byte character keeps it */
	c.text = "bayar di kafé";
	assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_string_equal(
	    m[0].body, ALERT_BODY "\nIsi (disamarkan): bayar di kafé");
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");
	alerts_free(m, 1);
	free(long_text);
	config_free(cfg);
}

static void
test_reminder_and_escalation(void **state)
{
	static const char reminder_ack[] =
	    "[Hotline Kota Kediri] Pengingat: laporan KDR-7K3M9Q (Pungutan "
	    "liar "
	    "(pungli), Kel. Bandar Lor, Kec. Mojoroto) harus diterima (balas "
	    "TERIMA KDR-7K3M9Q) sebelum Senin 07-12-2026 23:59 WIB.\n"
	    "Rincian: " LINK;
	static const char reminder_resolve[] =
	    "[Hotline Kota Kediri] Pengingat: laporan KDR-7K3M9Q (Pungutan "
	    "liar "
	    "(pungli), Kel. Bandar Lor, Kec. Mojoroto) harus diselesaikan "
	    "(balas SELESAI KDR-7K3M9Q catatan) sebelum Senin 21-12-2026 23:59 "
	    "WIB.\nRincian: " LINK;
	static const char escalation_ack[] =
	    "[Hotline Kota Kediri] Eskalasi: laporan KDR-7K3M9Q untuk Dinas "
	    "Perhubungan (Pungutan liar (pungli), Kel. Bandar Lor, Kec. "
	    "Mojoroto) belum diterima (balas TERIMA KDR-7K3M9Q) sampai batas "
	    "waktu Senin 07-12-2026 23:59 WIB.\nRincian: " LINK;
	static const char escalation_resolve[] =
	    "[Hotline Kota Kediri] Eskalasi: laporan KDR-7K3M9Q untuk Dinas "
	    "Perhubungan (Pungutan liar (pungli), Kel. Bandar Lor, Kec. "
	    "Mojoroto) belum diselesaikan (balas SELESAI KDR-7K3M9Q catatan) "
	    "sampai batas waktu Senin 21-12-2026 23:59 WIB.\nRincian: " LINK;
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;

	cfg = testlib_config_must_load(f, CONFIG);
	make_case(&c);

	assert_int_equal(alerts_about(cfg, TEMPLATE_REMINDER, &c,
			     opd_of(cfg, "dishub"), 0, m),
	    2);
	assert_to_head(&m[0], "reminder");
	assert_to_deputy(&m[1], "reminder");
	assert_string_equal(m[0].body, reminder_ack);
	assert_string_equal(m[1].body, reminder_ack);
	assert_params(&m[0], "Pengingat batas waktu", "KDR-7K3M9Q");
	alerts_free(m, 2);

	assert_int_equal(alerts_about(cfg, TEMPLATE_REMINDER, &c,
			     opd_of(cfg, "dishub"), 1, m),
	    2);
	assert_string_equal(m[0].body, reminder_resolve);
	assert_string_equal(m[1].body, reminder_resolve);
	assert_non_null(strstr(m[0].body, "SELESAI"));
	assert_params(&m[0], "Pengingat batas waktu", "KDR-7K3M9Q");
	alerts_free(m, 2);

	assert_int_equal(alerts_about(cfg, TEMPLATE_ESCALATION, &c,
			     opd_of(cfg, "dishub"), 0, m),
	    2);
	assert_to_head(&m[0], "escalation");
	assert_to_deputy(&m[1], "escalation");
	assert_string_equal(m[0].body, escalation_ack);
	assert_params(&m[0], "Eskalasi", "KDR-7K3M9Q");
	alerts_free(m, 2);

	/* the escalation goes to the Inspektorat, naming dishub */
	assert_int_equal(alerts_about(cfg, TEMPLATE_ESCALATION, &c,
			     opd_of(cfg, "inspektorat"), 1, m),
	    1);
	assert_string_equal(m[0].kind, "escalation");
	assert_string_equal(m[0].destination, INSPEKT);
	assert_string_equal(m[0].body, escalation_resolve);
	assert_non_null(strstr(m[0].body, "SELESAI"));
	assert_params(&m[0], "Eskalasi", "KDR-7K3M9Q");
	alerts_free(m, 1);
	config_free(cfg);
}

/* What an alert says of a report known only in part. */
static void
test_alert_unknowns(void **state)
{
	static const struct {
		const char *category, *opd, *kecamatan, *kelurahan;
		const char *jenis, *opd_name, *place;
	} cases[] = {
	    {"pungli", "dishub", "mojoroto", "", "Pungutan liar (pungli)",
		"Dinas Perhubungan", "Kec. Mojoroto"},
	    {"pungli", "dishub", "", "Bandar Lor", "Pungutan liar (pungli)",
		"Dinas Perhubungan", "Kel. Bandar Lor"},
	    {"pungli", "dishub", "nowhere", "Bandar Lor",
		"Pungutan liar (pungli)", "Dinas Perhubungan",
		"Kel. Bandar Lor"},
	    {"", "dishub", "", "", "belum ditentukan", "Dinas Perhubungan",
		"belum diketahui"},
	    {"suap", "inspektorat", "mojoroto", "Bandar Kidul",
		"belum ditentukan", "Inspektorat",
		"Kel. Bandar Kidul, Kec. Mojoroto"},
	    {"pungli", "", "mojoroto", "Bandar Lor", "Pungutan liar (pungli)",
		"tim triase", "Kel. Bandar Lor, Kec. Mojoroto"},
	    /* a region named "Kecamatan Kota" is "Kec. Kota" */
	    {"pungli", "dishub", "kota", "Balowerti", "Pungutan liar (pungli)",
		"Dinas Perhubungan", "Kel. Balowerti, Kec. Kota"},
	    {"pungli", "dishub", "kota", "", "Pungutan liar (pungli)",
		"Dinas Perhubungan", "Kec. Kota"},
	};
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;
	char want[1024];
	size_t i;

	cfg = testlib_config_must_load(f, CONFIG);
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		make_case(&c);
		snprintf(
		    c.category, sizeof c.category, "%s", cases[i].category);
		snprintf(c.opd, sizeof c.opd, "%s", cases[i].opd);
		snprintf(
		    c.kecamatan, sizeof c.kecamatan, "%s", cases[i].kecamatan);
		snprintf(
		    c.kelurahan, sizeof c.kelurahan, "%s", cases[i].kelurahan);
		assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
				     opd_of(cfg, "dishub"), 0, m),
		    2);
		snprintf(want, sizeof want,
		    "[Hotline Kota Kediri] Laporan baru KDR-7K3M9Q untuk %s.\n"
		    "Jenis: %s. Lokasi: %s.\n"
		    "Balas TERIMA KDR-7K3M9Q sebelum Senin 07-12-2026 23:59 "
		    "WIB.\nRincian: " LINK,
		    cases[i].opd_name, cases[i].jenis, cases[i].place);
		if (strcmp(m[0].body, want) != 0)
			fail_msg("case %zu:\n%s\nnot\n%s", i, m[0].body, want);
		assert_string_equal(m[1].body, want);
		alerts_free(m, 2);
	}
	config_free(cfg);
}

static void
test_alert_template_override(void **state)
{
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;

	cfg = testlib_config_must_load(f,
	    CONFIG "[sla]\ntimezone_offset = WITA\n"
		   "[templates]\n"
		   "alert = ALERT {code} | {category} | {place} | {due} | "
		   "{opd} | {city} | {what} | {link}{excerpt} {unknown}\n");
	make_case(&c);
	assert_int_equal(
	    alerts_about(cfg, TEMPLATE_ALERT, &c, opd_of(cfg, "dishub"), 0, m),
	    2);
	assert_string_equal(m[0].body,
	    "ALERT KDR-7K3M9Q | Pungutan liar (pungli) | Kel. Bandar Lor, Kec. "
	    "Mojoroto | Selasa 08-12-2026 00:59 WITA | Dinas Perhubungan | "
	    "Kota Kediri | diterima (balas TERIMA KDR-7K3M9Q) | " LINK
	    " {unknown}");
	assert_string_equal(m[1].body, m[0].body);
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");
	alerts_free(m, 2);

	/* with an excerpt, where the template puts it */
	assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
			     opd_of(cfg, "inspektorat"), 0, m),
	    1);
	assert_non_null(strstr(m[0].body,
	    LINK "\nIsi (disamarkan): " REPORT_EXCERPT " {unknown}"));
	assert_params(&m[0], "Laporan baru", "KDR-7K3M9Q");
	alerts_free(m, 1);

	/* the reminder keeps its default */
	assert_int_equal(alerts_about(cfg, TEMPLATE_REMINDER, &c,
			     opd_of(cfg, "dishub"), 0, m),
	    2);
	assert_memory_equal(m[0].body, "[Hotline Kota Kediri] Pengingat: ",
	    strlen("[Hotline Kota Kediri] Pengingat: "));
	alerts_free(m, 2);
	config_free(cfg);
}

/*
 * A body longer than a template parameter may be (900 bytes): the third
 * parameter is the start of the body on one line, cut at a character.
 */
static void
test_alert_params_cut(void **state)
{
	static const char *const units[] = {
	    "é", "\xe2\x80\xa6", "\xf0\x9f\x98\x80"};
	static const char *const heads[] = {"", "a", "ab", "abc"};
	struct testlib_config *f = *state;
	struct alert_message m[ALERTS_PER_OPD];
	struct store_case c;
	struct config *cfg;
	json_t *a;
	const char *p;
	char *text, *line;
	size_t i, j;

	cfg = testlib_config_must_load(f,
	    CONFIG "[templates]\nalert = {code}{excerpt}{excerpt}{excerpt}"
		   "{excerpt}\n");
	for (i = 0; i < TESTLIB_COUNT(units); i++)
		for (j = 0; j < TESTLIB_COUNT(heads); j++) {
			make_case(&c);
			text = testlib_repeat(heads[j], units[i], 200, "");
			c.text = text;
			assert_int_equal(alerts_about(cfg, TEMPLATE_ALERT, &c,
					     opd_of(cfg, "inspektorat"), 0, m),
			    1);
			assert_true(strlen(m[0].body) > 1000);
			assert_non_null(m[0].params);
			a = json_loads(m[0].params, 0, NULL);
			assert_non_null(a);
			assert_int_equal(json_array_size(a), 3);
			p = json_string_value(json_array_get(a, 2));
			assert_non_null(p);
			line = one_line(m[0].body);
			assert_true(strlen(p) <= 900);
			assert_true(strlen(p) >= 900 - 8);
			assert_true(utf8_valid(p));
			assert_memory_equal(p, line, strlen(p));
			assert_memory_equal(p,
			    "KDR-7K3M9Q | Isi (disamarkan): ",
			    strlen("KDR-7K3M9Q | Isi (disamarkan): "));
			free(line);
			json_decref(a);
			alerts_free(m, 1);
			free(text);
		}
	config_free(cfg);
}

/* --- alerts_digest ------------------------------------------------------- */

static void
test_digest(void **state)
{
	struct testlib_config *f = *state;
	const struct store_digest d = {5, 2, 1, 7, 42, "3f2a91c07b44e815"};
	const struct store_digest big = {1234567890123LL, 0, 0, 99, 0, ""};
	struct alert_message m[ALERTS_DIGEST_MAX];
	struct config *cfg;
	char fp[SEAL_FINGERPRINT_TEXT], want[320], want_big[320];

	cfg = testlib_config_must_load(f, CONFIG DIGEST_WA);
	/* the custodian key's fingerprint, for the mayor to compare */
	seal_fingerprint(cfg->keys.mayor_public, fp);
	snprintf(want, sizeof want,
	    "[Hotline Kota Kediri] Ringkasan 07-12-2026: 5 laporan baru, 2 "
	    "selesai, 1 melewati batas waktu, 7 masih terbuka. Sidik jari "
	    "kunci wali kota: %s. Log audit: 42 baris, kepala "
	    "3f2a91c07b44e815.",
	    fp);
	snprintf(want_big, sizeof want_big,
	    "[Hotline Kota Kediri] Ringkasan 01-01-2026: 1234567890123 "
	    "laporan baru, 0 selesai, 0 melewati batas waktu, 99 masih "
	    "terbuka. Sidik jari kunci wali kota: %s. Log audit: 0 baris, "
	    "kepala -.",
	    fp);
	/* 2026-12-07 is day 20794 since 1970-01-01 */
	assert_int_equal(alerts_digest(cfg, &d, MONDAY / 86400, m), 1);
	assert_int_equal(MONDAY / 86400, 20794);
	assert_string_equal(m[0].kind, "digest");
	assert_string_equal(m[0].channel, "wa");
	assert_string_equal(m[0].destination, MAYOR);
	assert_string_equal(m[0].body, want);
	assert_non_null(m[0].template_name);
	assert_string_equal(m[0].template_name, "laporan_opd");
	assert_non_null(m[0].fallback);
	assert_string_equal(m[0].fallback, "sms");
	assert_params(&m[0], "Ringkasan harian", "07-12-2026");
	alerts_free(m, 1);
	assert_null(m[0].body);
	assert_null(m[0].params);

	/* the first of a year, and counts beyond an int */
	assert_int_equal(alerts_digest(cfg, &big, 20454, m), 1);
	assert_string_equal(m[0].body, want_big);
	assert_params(&m[0], "Ringkasan harian", "01-01-2026");
	alerts_free(m, 1);
	config_free(cfg);

	/* the anchor also to the Inspektur: the same text, each number */
	cfg = testlib_config_must_load(f,
	    CONFIG DIGEST_WA "also_to = 0812 3456 7001, +62 812-3456-7002\n");
	assert_int_equal(alerts_digest(cfg, &d, MONDAY / 86400, m), 3);
	assert_string_equal(m[0].destination, MAYOR);
	assert_string_equal(m[1].destination, "+6281234567001");
	assert_string_equal(m[2].destination, "+6281234567002");
	assert_string_equal(m[1].body, want);
	assert_string_equal(m[2].body, want);
	alerts_free(m, 3);
	config_free(cfg);

	/* by SMS: no template; an overridden text */
	cfg = testlib_config_must_load(f,
	    CONFIG DIGEST_SMS
	    "[templates]\ndigest = {date}: {new}/{resolved}/{overdue}/{open} "
	    "{city}\n");
	assert_int_equal(alerts_digest(cfg, &d, 20794, m), 1);
	assert_string_equal(m[0].kind, "digest");
	assert_string_equal(m[0].channel, "sms");
	assert_string_equal(m[0].destination, MAYOR);
	assert_string_equal(m[0].body, "07-12-2026: 5/2/1/7 Kota Kediri");
	assert_null(m[0].template_name);
	assert_null(m[0].params);
	assert_null(m[0].fallback);
	alerts_free(m, 1);

	/* a year later the list has nothing ahead: the digest says so */
	assert_int_equal(alerts_digest(cfg, &d, 20794 + 365, m), 1);
	assert_non_null(strstr(m[0].body,
	    "\nPerhatian: daftar hari libur ([holidays]) tidak berisi "
	    "tanggal dalam 60 hari ke depan"));
	alerts_free(m, 1);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_excerpt_masks),
	    cmocka_unit_test(test_excerpt_cut),
	    cmocka_unit_test(test_format_time),
	    TESTLIB_CONFIG_TEST(test_staff),
	    TESTLIB_CONFIG_TEST(test_alert_to_head_and_deputy),
	    TESTLIB_CONFIG_TEST(test_alert_excerpt),
	    TESTLIB_CONFIG_TEST(test_reminder_and_escalation),
	    TESTLIB_CONFIG_TEST(test_alert_unknowns),
	    TESTLIB_CONFIG_TEST(test_alert_template_override),
	    TESTLIB_CONFIG_TEST(test_alert_params_cut),
	    TESTLIB_CONFIG_TEST(test_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
