/*
 * test_config_sla: the config keys of OPD alerts and deadlines: [sla]
 * (acknowledge, resolve, remind_before, escalate_to, timezone_offset),
 * [holidays] dates, [digest] (to, channel, at), [category] also_notify,
 * [opd] alert_text, deputy and deputy_channel, and [channel]
 * alert_template and sms_fallback.  Each default, each value, and each
 * error with its "file:line: message".  Files are written to a mkdtemp
 * directory, removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/deadline.h"

/* Lines 1-11; tests append to it, so their lines start at 12. */
#define BASE TESTLIB_CONFIG_MINIMAL

/* Lines 12-13: an OPD that is the default triage and escalation. */
#define INSPEKTORAT "[opd inspektorat]\nname = Inspektorat\n"

/* An SMS channel, 3 lines. */
#define SMS "[channel sms]\nprovider = android_sms_gateway\nsigning_key = k\n"

static void
assert_duration(const struct sla_duration *d, enum sla_unit unit, long n)
{
	assert_int_equal(d->unit, unit);
	assert_int_equal(d->amount, n);
}

static int
day_of(const char *date)
{
	int day;

	assert_int_equal(deadline_parse_date(date, &day), 0);
	return day;
}

static void
test_defaults(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	/* no [opd inspektorat]: nobody to escalate to */
	cfg = testlib_config_must_load(f, BASE);
	assert_duration(&cfg->sla.acknowledge, SLA_WORKING_DAYS, 3);
	assert_duration(&cfg->sla.resolve, SLA_WORKING_DAYS, 10);
	assert_duration(&cfg->sla.remind_before, SLA_WORKING_DAYS, 1);
	assert_null(cfg->sla.escalate_to);
	assert_int_equal(cfg->sla.utc_offset, 7 * 3600);
	assert_int_equal(cfg->holidays.n, 0);
	assert_null(cfg->holidays.days);
	assert_null(cfg->digest.to);
	assert_null(cfg->digest.channel);
	assert_int_equal(cfg->digest.at_minutes, 7 * 60);
	assert_null(cfg->channels[0].alert_template);
	assert_null(cfg->channels[0].sms_fallback);
	config_free(cfg);

	cfg = testlib_config_must_load(
	    f, BASE INSPEKTORAT "[category pungli]\nname = P\n");
	assert_string_equal(cfg->sla.escalate_to, "inspektorat");
	assert_int_equal(cfg->opds[0].alert_text, ALERT_TEXT_NONE);
	assert_null(cfg->opds[0].deputy);
	assert_null(cfg->opds[0].deputy_channel);
	assert_null(cfg->categories[0].also_notify);
	config_free(cfg);

	/* empty sections change nothing */
	cfg = testlib_config_must_load(
	    f, BASE INSPEKTORAT "[sla]\n[holidays]\n[digest]\n");
	assert_duration(&cfg->sla.acknowledge, SLA_WORKING_DAYS, 3);
	assert_int_equal(cfg->holidays.n, 0);
	assert_null(cfg->digest.to);
	config_free(cfg);
}

static void
test_sla_values(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[opd dumas]\nname = D\n"
			     "[sla]\n"
			     "acknowledge = 2h\n"
			     "resolve = 2 d\n"
			     "remind_before = 90s\n"
			     "escalate_to = dumas\n"
			     "timezone_offset = WITA\n");
	assert_duration(&cfg->sla.acknowledge, SLA_SECONDS, 7200000);
	assert_duration(&cfg->sla.resolve, SLA_SECONDS, 172800000);
	assert_duration(&cfg->sla.remind_before, SLA_SECONDS, 90000);
	assert_string_equal(cfg->sla.escalate_to, "dumas");
	assert_int_equal(cfg->sla.utc_offset, 8 * 3600);
	config_free(cfg);

	/* the limits; equal deadlines; reminders of the other kind */
	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[sla]\n"
			     "acknowledge = 40 wd\n"
			     "resolve = 40wd\n"
			     "remind_before = 500ms\n"
			     "timezone_offset = -03:30\n");
	assert_duration(&cfg->sla.acknowledge, SLA_WORKING_DAYS, 40);
	assert_duration(&cfg->sla.resolve, SLA_WORKING_DAYS, 40);
	assert_duration(&cfg->sla.remind_before, SLA_SECONDS, 500);
	assert_int_equal(cfg->sla.utc_offset, -12600);
	config_free(cfg);
	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[sla]\n"
			     "acknowledge = 5s\n"
			     "resolve = 60d\n"
			     "remind_before = 2 wd\n"
			     "timezone_offset = +09:00\n");
	assert_duration(&cfg->sla.acknowledge, SLA_SECONDS, 5000);
	assert_duration(&cfg->sla.resolve, SLA_SECONDS, 60 * 86400000L);
	assert_duration(&cfg->sla.remind_before, SLA_WORKING_DAYS, 2);
	assert_int_equal(cfg->sla.utc_offset, 9 * 3600);
	config_free(cfg);
	cfg = testlib_config_must_load(
	    f, BASE INSPEKTORAT "[sla]\nresolve = 1440h\n");
	assert_duration(&cfg->sla.resolve, SLA_SECONDS, 60 * 86400000L);
	config_free(cfg);
}

static void
test_sla_errors(void **state)
{
	struct testlib_config *f = *state;
	static const char *const bad[] = {"3", "3 xd", "-1 wd", "0 wd", "0s",
	    "wd", "", "1.5 wd", "99999999999999999999 wd", "3 WD"};
	static const char *const too_long[] = {
	    "41 wd", "61d", "1441h", "5184000001ms", "100000 wd"};
	char text[1024];
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		snprintf(text, sizeof text,
		    BASE INSPEKTORAT "[sla]\nremind_before = %s\n", bad[i]);
		testlib_config_fails_with(f, text, 15,
		    "must be working days (3 wd) or a clock time, an integer "
		    "and ms, s, m, h or d");
	}
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 3\n", 15,
	    "acknowledge '3' must be working days");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[sla]\nresolve = 3 xd\n",
	    15, "resolve '3 xd' must be working days");
	for (i = 0; i < TESTLIB_COUNT(too_long); i++) {
		snprintf(text, sizeof text,
		    BASE INSPEKTORAT "[sla]\nresolve = %s\n", too_long[i]);
		testlib_config_fails_with(f, text, 15,
		    "is longer than Perpres 76/2013 allows (60 days): at most "
		    "40 wd or 60d");
	}
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 41 wd\n", 15,
	    "acknowledge '41 wd' is longer than Perpres 76/2013 allows");

	/* resolve against acknowledge: the line of resolve, if given */
	testlib_config_fails_with(f, BASE INSPEKTORAT "[sla]\nresolve = 2 wd\n",
	    15, "resolve (2 wd) is shorter than acknowledge (3 wd)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 20 wd\n", 15,
	    "resolve (10 wd) is shorter than acknowledge (20 wd)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nresolve = 1m\nacknowledge = 90s\n", 15,
	    "resolve (1m) is shorter than acknowledge (90s)");

	/* remind_before against each deadline of its kind */
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 1 wd\n", 15,
	    "remind_before (1 wd) must be shorter than acknowledge (1 wd)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nremind_before = 10 wd\n", 15,
	    "remind_before (10 wd) must be shorter than acknowledge (3 wd)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 10s\nresolve = 1m\n"
			     "remind_before = 10s\n",
	    17, "remind_before (10s) must be shorter than acknowledge (10s)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 2 wd\nresolve = 1h\n"
			     "remind_before = 1h\n",
	    17, "remind_before (1h) must be shorter than resolve (1h)");

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nescalate_to = dumas\n", 15,
	    "escalate_to dumas names no [opd dumas]");
	testlib_config_fails_with(f, BASE "[sla]\nescalate_to = inspektorat\n",
	    13, "escalate_to inspektorat names no [opd inspektorat]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nescalate_to = Dumas!\n", 15,
	    "escalate_to 'Dumas!' is not an OPD id");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\ntimezone_offset = +7\n", 15,
	    "timezone_offset '+7' must be +HH:MM from -12:00 to +14:00 "
	    "(+07:00), or WIB, WITA or WIT");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\ntimezone_offset = UTC\n", 15,
	    "timezone_offset 'UTC'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\ntimezone_offset = +15:00\n", 15,
	    "timezone_offset '+15:00'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\ndeadline = 3 wd\n", 15,
	    "unknown key deadline in [sla]");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[sla]\n[sla]\n", 15,
	    "duplicate section [sla] (first at line 14)");
	testlib_config_fails_with(
	    f, BASE INSPEKTORAT "[sla kota]\n", 14, "[sla] takes no name");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[sla]\nacknowledge = 3 wd\n  4 wd\n", 16,
	    "indented line continues acknowledge");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[slas]\n", 14,
	    "unknown section [slas]; expected [server], [keys], [routing], "
	    "[dispatch], [templates], [sla], [holidays], [digest], "
	    "[conversation]");
}

static void
test_holidays(void **state)
{
	struct testlib_config *f = *state;
	struct sla_duration wd = {SLA_WORKING_DAYS, 1};
	struct config *cfg;
	time_t start;

	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[holidays]\n"
			     "dates = 2026-03-20, 2026-01-01,\n"
			     "  2026-12-25 ; Natal\n"
			     "  ; Idul Fitri and cuti bersama\n"
			     "  2026-03-23,2026-03-24\n"
			     "[sla]\ntimezone_offset = WIT\n");
	assert_int_equal(cfg->holidays.n, 5);
	/* ascending, whatever the order written */
	assert_int_equal(cfg->holidays.days[0], day_of("2026-01-01"));
	assert_int_equal(cfg->holidays.days[1], day_of("2026-03-20"));
	assert_int_equal(cfg->holidays.days[2], day_of("2026-03-23"));
	assert_int_equal(cfg->holidays.days[3], day_of("2026-03-24"));
	assert_int_equal(cfg->holidays.days[4], day_of("2026-12-25"));
	/* what the deadlines use: Thursday 19 March, 10:00 WIT */
	start = (time_t)day_of("2026-03-19") * 86400 + 10 * 3600 - 9 * 3600;
	assert_int_equal(
	    deadline_add(start, &wd, &cfg->holidays, cfg->sla.utc_offset),
	    (time_t)day_of("2026-03-25") * 86400 + 86399 - 9 * 3600);
	config_free(cfg);

	cfg = testlib_config_must_load(
	    f, BASE INSPEKTORAT "[holidays]\ndates =\n");
	assert_int_equal(cfg->holidays.n, 0);
	config_free(cfg);

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 2026-02-30\n", 15,
	    "bad date 2026-02-30 in [holidays] dates: write YYYY-MM-DD");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 2026-01-01,\n"
			     "  2026-13-01\n",
	    16, "bad date 2026-13-01 in [holidays] dates");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 1 Jan 2026\n", 15,
	    "bad date 1 Jan 2026 in [holidays] dates");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 2026-3-20\n", 15,
	    "bad date 2026-3-20");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 2026-01-01,\n"
			     "  2026-03-20, 2026-01-01\n",
	    16,
	    "duplicate date 2026-01-01 in [holidays] dates (first at line "
	    "15)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\nnyepi = 2026-03-19\n", 15,
	    "unknown key nyepi in [holidays]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[holidays]\ndates = 2026-01-01\n"
			     "dates = 2026-01-02\n",
	    16, "duplicate key dates (first at line 15)");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[holidays 2026]\n", 14,
	    "[holidays] takes no name");
}

static void
test_also_notify(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	/* an OPD defined after the category is fine */
	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[category staf]\n"
			     "name = Pegawai OPD\n"
			     "also_notify = inspektorat,\n"
			     "  dumas\n"
			     "[opd dumas]\nname = D\n");
	assert_string_equal(cfg->categories[0].also_notify[0], "inspektorat");
	assert_string_equal(cfg->categories[0].also_notify[1], "dumas");
	assert_null(cfg->categories[0].also_notify[2]);
	config_free(cfg);

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[category staf]\nname = S\n"
			     "also_notify = nope\n",
	    16, "also_notify: nope names no [opd nope]");
	/* an item on a continuation line: its own line */
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[category staf]\nname = S\n"
			     "also_notify = inspektorat,\n  nope\n",
	    17, "also_notify: nope names no [opd nope]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[category staf]\nname = S\nalso_notify = ,\n", 16,
	    "also_notify is an empty list");
}

static void
test_opd_alerts(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT SMS "[opd dishub]\n"
				 "name = Dishub\n"
				 "head = 0811-0000-0105\n"
				 "head_channel = wa\n"
				 "deputy = +62 811 0000 0205\n"
				 "deputy_channel = sms\n"
				 "alert_text = excerpt\n"
				 "[opd dinkes]\nname = Dinkes\n"
				 "alert_text = none\n");
	assert_string_equal(cfg->opds[1].head, "+6281100000105");
	assert_string_equal(cfg->opds[1].deputy, "+6281100000205");
	assert_string_equal(cfg->opds[1].deputy_channel, "sms");
	assert_int_equal(cfg->opds[1].alert_text, ALERT_TEXT_EXCERPT);
	assert_int_equal(cfg->opds[2].alert_text, ALERT_TEXT_NONE);
	config_free(cfg);

	testlib_config_fails_with(f, BASE INSPEKTORAT "alert_text = full\n", 14,
	    "alert_text 'full' must be none or excerpt");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "deputy = 0811 0000 0205\n", 12,
	    "[opd inspektorat] needs deputy and deputy_channel together");
	testlib_config_fails_with(f, BASE INSPEKTORAT "deputy_channel = wa\n",
	    12, "needs deputy and deputy_channel together");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "deputy = kantor\ndeputy_channel = wa\n", 14,
	    "deputy is not a phone number");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "deputy = 0811 0000 0205\n"
			     "deputy_channel = nope\n",
	    15, "deputy_channel nope names no [channel nope]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "deputy = 0811 0000 0205\n"
			     "deputy_channel = SMS Kantor\n",
	    15, "deputy_channel 'SMS Kantor' is not a channel name");
	/* a message never quotes a number */
	testlib_config_load(f, BASE INSPEKTORAT "deputy = 0811 0000 02x5\n");
	assert_null(strstr(f->errs, "0811 0000"));
	/* head keeps its messages */
	testlib_config_fails_with(f, BASE INSPEKTORAT "head = 0811 0000 0107\n",
	    12, "[opd inspektorat] needs head and head_channel together");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "head = 0811 0000 0107\nhead_channel = nope\n", 15,
	    "head_channel nope names no [channel nope]");
}

static void
test_channel_alerts(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;
	char *text;

	cfg = testlib_config_must_load(f,
	    BASE "alert_template = laporan_baru_v2\n"
		 "sms_fallback = sms\n" SMS "[channel tw]\n"
		 "provider = twilio\n"
		 "account_sid = AC0123456789abcdef0123456789abcdef\n"
		 "auth_token = tok\n"
		 "from = whatsapp:+14155238886\n"
		 "alert_template = HX0123456789abcdef0123456789ABCDEF\n"
		 "sms_fallback = ts\n"
		 "[channel ts]\n"
		 "provider = twilio\n"
		 "account_sid = AC0123456789abcdef0123456789abcdef\n"
		 "auth_token = tok\n"
		 "from = +14155550100\n"
		 "[channel y]\nprovider = smssync\nsecret = s\n"
		 "[channel wb]\nprovider = whatsapp_cloud\n"
		 "app_secret = a\nverify_token = v\nsms_fallback = y\n");
	assert_string_equal(cfg->channels[0].alert_template, "laporan_baru_v2");
	assert_string_equal(cfg->channels[0].sms_fallback, "sms");
	assert_string_equal(cfg->channels[2].alert_template,
	    "HX0123456789abcdef0123456789ABCDEF");
	assert_string_equal(cfg->channels[2].sms_fallback, "ts");
	assert_string_equal(cfg->channels[5].sms_fallback, "y");
	config_free(cfg);

	/* a long name (a line holds 198 characters at most) */
	text = testlib_repeat(BASE "alert_template = ", "a_1", 60, "\n");
	config_free(testlib_config_must_load(f, text));
	free(text);
	testlib_config_fails_with(f, BASE "alert_template = Laporan Baru\n", 12,
	    "alert_template 'Laporan Baru' must be the name");
	testlib_config_fails_with(f, BASE "alert_template = laporan-baru\n", 12,
	    "alert_template 'laporan-baru'");
	testlib_config_fails_with(
	    f, BASE "alert_template =\n", 12, "alert_template ''");
	testlib_config_fails_with(f,
	    BASE "alert_template = HX0123456789abcdef0123456789abcdef\n", 12,
	    "alert_template HX0123456789abcdef0123456789abcdef is a Twilio "
	    "Content SID; a whatsapp_cloud channel takes the template's name");
	testlib_config_fails_with(f, BASE SMS "alert_template = laporan\n", 15,
	    "alert_template does not belong to a android_sms_gateway channel");
	testlib_config_fails_with(f, BASE SMS "sms_fallback = wa\n", 15,
	    "sms_fallback does not belong to a android_sms_gateway channel");
	testlib_config_fails_with(f, BASE "sms_fallback = nope\n", 12,
	    "sms_fallback nope names no [channel nope]");
	testlib_config_fails_with(f, BASE "sms_fallback = wa\n", 12,
	    "sms_fallback wa is this channel itself; name an SMS channel");
	testlib_config_fails_with(f,
	    BASE "sms_fallback = wb\n[channel wb]\nprovider = whatsapp_cloud\n"
		 "app_secret = a\nverify_token = v\n",
	    12, "sms_fallback wb sends WhatsApp, not SMS");
	testlib_config_fails_with(f,
	    BASE "sms_fallback = tw\n[channel tw]\nprovider = twilio\n"
		 "account_sid = AC0123456789abcdef0123456789abcdef\n"
		 "auth_token = tok\nfrom = whatsapp:+14155238886\n",
	    12, "sms_fallback tw sends WhatsApp, not SMS");
	testlib_config_fails_with(f, BASE "sms_fallback = Bad!\n", 12,
	    "sms_fallback 'Bad!' is not a channel name");
}

static void
test_digest(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[digest]\n"
			     "to = 0812-3456-7890\n"
			     "channel = wa\n"
			     "at = 06:30\n");
	assert_string_equal(cfg->digest.to, "+6281234567890");
	assert_string_equal(cfg->digest.channel, "wa");
	assert_int_equal(cfg->digest.at_minutes, 390);
	config_free(cfg);
	/* at alone is allowed (and unused) */
	cfg = testlib_config_must_load(
	    f, BASE INSPEKTORAT "[digest]\nat = 23:59\n");
	assert_null(cfg->digest.to);
	assert_int_equal(cfg->digest.at_minutes, 1439);
	config_free(cfg);

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[digest]\nto = 0812 3456 7890\n", 14,
	    "[digest] needs to and channel together");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[digest]\nchannel = wa\n", 14,
	    "[digest] needs to and channel together");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[digest]\nto = walikota\nchannel = wa\n", 15,
	    "to is not a phone number");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[digest]\nto = 0812 3456 7890\nchannel = sms\n",
	    16, "channel sms names no [channel sms]");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[digest]\nat = 7:00\n",
	    15, "at '7:00' must be a local time HH:MM, 00:00 to 23:59");
	testlib_config_fails_with(
	    f, BASE INSPEKTORAT "[digest]\nat = 24:00\n", 15, "at '24:00'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[digest]\ntime = 07:00\n", 15,
	    "unknown key time in [digest]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    TESTLIB_CONFIG_TEST(test_defaults),
	    TESTLIB_CONFIG_TEST(test_sla_values),
	    TESTLIB_CONFIG_TEST(test_sla_errors),
	    TESTLIB_CONFIG_TEST(test_holidays),
	    TESTLIB_CONFIG_TEST(test_also_notify),
	    TESTLIB_CONFIG_TEST(test_opd_alerts),
	    TESTLIB_CONFIG_TEST(test_channel_alerts),
	    TESTLIB_CONFIG_TEST(test_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
