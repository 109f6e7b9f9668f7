/*
 * test_deadline: the duration, date, time and offset parsers, and the
 * working-day calculator as tables: around weekends, holidays on a Monday
 * after a weekend, the Idul Fitri week of 2026 (Nyepi, cuti bersama and
 * the feast days together), holidays on a weekend, the turn of the year,
 * receipt on a weekend or a holiday, the hour of receipt near local
 * midnight, and clock-time durations.  A sweep over 2026 checks the rule
 * against deadline_working_days_between() for every start and length.
 * The holidays are the 2026 list of the SKB (17 national holidays, 8 days
 * of cuti bersama) and 1 January 2027.
 */
#include <stdio.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "lib/calendar.h"
#include "queue/deadline.h"

#define WIB  (7 * 3600)
#define WITA (8 * 3600)
#define WIT  (9 * 3600)

static const char *const holiday_dates[] = {"2026-01-01", "2026-01-16",
    "2026-02-16", "2026-02-17", "2026-03-18", "2026-03-19", "2026-03-20",
    "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24", "2026-04-03",
    "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-15", "2026-05-27",
    "2026-05-28", "2026-05-31", "2026-06-01", "2026-06-16", "2026-08-17",
    "2026-08-25", "2026-12-24", "2026-12-25", "2027-01-01"};
static int holiday_days[TESTLIB_COUNT(holiday_dates)];
static struct holidays hol = {holiday_days, TESTLIB_COUNT(holiday_dates)};

static int
day_of(const char *date)
{
	int day;

	if (deadline_parse_date(date, &day) == -1)
		fail_msg("bad date %s", date);
	return day;
}

/* "YYYY-MM-DD HH:MM:SS" local time at offset, as a time_t. */
static time_t
at(const char *when, int offset)
{
	char date[11];
	int h, m, s;

	if (strlen(when) != 19 ||
	    sscanf(when, "%10s %d:%d:%d", date, &h, &m, &s) != 4)
		fail_msg("bad time %s", when);
	return (time_t)day_of(date) * 86400 + h * 3600 + m * 60 + s - offset;
}

static int
setup_holidays(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(holiday_dates); i++)
		if (deadline_parse_date(holiday_dates[i], &holiday_days[i]) ==
		    -1)
			return -1;
	return 0;
}

static void
test_parse(void **state)
{
	static const struct {
		const char *text;
		enum sla_unit unit;
		long amount;
	} good[] = {
	    {"90s", SLA_SECONDS, 90000},
	    {"15m", SLA_SECONDS, 900000},
	    {"2h", SLA_SECONDS, 7200000},
	    {"500ms", SLA_SECONDS, 500},
	    {"1ms", SLA_SECONDS, 1},
	    {"1d", SLA_SECONDS, 86400000},
	    {"2 d", SLA_SECONDS, 172800000},
	    {"60d", SLA_SECONDS, 60 * 86400000L},
	    {"30 s", SLA_SECONDS, 30000},
	    {"3 wd", SLA_WORKING_DAYS, 3},
	    {"3wd", SLA_WORKING_DAYS, 3},
	    {"10 wd", SLA_WORKING_DAYS, 10},
	    {"1\twd", SLA_WORKING_DAYS, 1},
	    {"007  wd", SLA_WORKING_DAYS, 7},
	    {"100000 wd", SLA_WORKING_DAYS, DEADLINE_WD_MAX},
	};
	static const char *const bad[] = {"", "3", "wd", "-1 wd", "+3 wd",
	    "3 xd", "0 wd", "0s", "0ms", "1.5h", "3 WD", "3 Wd", "2H", " 3 wd",
	    "3 wd ", "3 w d", "3 wd x", "3ss", "3 hk", "3 days", "s",
	    "100001 wd", "99999999999999999999 wd", "9223372036854775807s",
	    "9223372036854775807ms0", "106751991167301d", "0x10s", "3\nwd"};
	struct sla_duration d, back;
	char text[32];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(good); i++) {
		memset(&d, 0xff, sizeof d);
		if (deadline_parse(good[i].text, &d) != 0)
			fail_msg("'%s' refused", good[i].text);
		assert_int_equal(d.unit, good[i].unit);
		assert_int_equal(d.amount, good[i].amount);
		/* deadline_format() gives it back */
		deadline_format(&d, text, sizeof text);
		assert_int_equal(deadline_parse(text, &back), 0);
		assert_int_equal(back.unit, d.unit);
		assert_int_equal(back.amount, d.amount);
	}
	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		d.unit = SLA_WORKING_DAYS;
		d.amount = 42;
		if (deadline_parse(bad[i], &d) != -1)
			fail_msg("'%s' accepted", bad[i]);
		/* a refusal leaves out alone */
		assert_int_equal(d.unit, SLA_WORKING_DAYS);
		assert_int_equal(d.amount, 42);
	}
}

static void
test_format(void **state)
{
	static const struct {
		struct sla_duration d;
		const char *text;
	} cases[] = {{{SLA_WORKING_DAYS, 3}, "3 wd"},
	    {{SLA_SECONDS, 90000}, "90s"}, {{SLA_SECONDS, 86400000}, "1d"},
	    {{SLA_SECONDS, 1500}, "1500ms"}, {{SLA_SECONDS, 3600000}, "1h"},
	    {{SLA_SECONDS, 5400000}, "90m"}, {{SLA_SECONDS, 90000000}, "25h"}};
	char text[32];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		deadline_format(&cases[i].d, text, sizeof text);
		assert_string_equal(text, cases[i].text);
	}
}

static void
test_parse_ms(void **state)
{
	static const struct {
		const char *text;
		long ms;
	} good[] = {{"30s", 30000}, {"0s", 0}, {"500ms", 500}, {"5m", 300000},
	    {"24h", 86400000}};
	static const char *const bad[] = {"30", "30 s", "1d", "3wd", "3 wd",
	    "-1s", "1.5s", "", "ms", "99999999999999999999h"};
	size_t i;
	long ms;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(good); i++) {
		if (deadline_parse_ms(good[i].text, &ms) != 0)
			fail_msg("'%s' refused", good[i].text);
		assert_int_equal(ms, good[i].ms);
	}
	for (i = 0; i < TESTLIB_COUNT(bad); i++)
		if (deadline_parse_ms(bad[i], &ms) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

struct int_case {
	const char *text;
	int value;
};

/* parse takes each of good[] with its value and refuses each of bad[]. */
static void
check_int_parser(int (*parse)(const char *, int *), const struct int_case *good,
    size_t ngood, const char *const *bad, size_t nbad)
{
	size_t i;
	int v;

	for (i = 0; i < ngood; i++) {
		if (parse(good[i].text, &v) != 0)
			fail_msg("'%s' refused", good[i].text);
		assert_int_equal(v, good[i].value);
	}
	for (i = 0; i < nbad; i++)
		if (parse(bad[i], &v) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

static void
test_parse_date(void **state)
{
	static const struct int_case good[] = {{"1970-01-01", 0},
	    {"1970-01-02", 1}, {"2000-03-01", 11017}, {"2026-01-01", 20454},
	    {"2024-02-29", 19782}, {"2000-02-29", 11016}, {"2026-12-31", 20818},
	    {"9999-12-31", 2932896}};
	static const char *const bad[] = {"2026-02-29", "2026-02-30",
	    "2025-02-29", "2100-02-29", "2026-04-31", "2026-13-01",
	    "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-01", "26-01-01",
	    "2026/01/01", "2026-01-01x", " 2026-01-01", "", "1969-12-31",
	    "20260101", "2026-01-0a", "+026-01-01"};

	(void)state;
	check_int_parser(deadline_parse_date, good, TESTLIB_COUNT(good), bad,
	    TESTLIB_COUNT(bad));
}

static void
test_parse_time_offset(void **state)
{
	static const struct int_case times[] = {{"07:00", 420}, {"00:00", 0},
	    {"23:59", 1439}},
				     offsets[] = {{"+07:00", WIB},
					 {"+08:00", WITA}, {"+09:00", WIT},
					 {"WIB", WIB}, {"wita", WITA},
					 {"WIT", WIT}, {"+00:00", 0},
					 {"-03:30", -12600}, {"+05:45", 20700},
					 {"+14:00", 14 * 3600},
					 {"-12:00", -12 * 3600}};
	static const char *const bad_times[] = {
	    "24:00", "7:00", "07:60", "0700", "07:00:00", "", "-1:00", "aa:bb"};
	static const char *const bad_offsets[] = {"+14:01", "-12:30", "07:00",
	    "+7", "+0700", "UTC", "", "+", "WIBX", "+07:60", "++07:00"};

	(void)state;
	check_int_parser(deadline_parse_time, times, TESTLIB_COUNT(times),
	    bad_times, TESTLIB_COUNT(bad_times));
	check_int_parser(deadline_parse_offset, offsets, TESTLIB_COUNT(offsets),
	    bad_offsets, TESTLIB_COUNT(bad_offsets));
}

static void
test_days(void **state)
{
	(void)state;
	assert_int_equal(calendar_local_day(0, 0), 0);
	assert_int_equal(calendar_local_day(-1, 0), -1);
	assert_int_equal(calendar_local_day(-86400, 0), -1);
	assert_int_equal(calendar_local_day(-86401, 0), -2);
	assert_int_equal(calendar_local_day(86399, 0), 0);
	assert_int_equal(calendar_local_day(-1, 3600), 0);
	/* 23:30 WIB is 16:30 UTC of the same day */
	assert_int_equal(calendar_local_day(at("2026-01-08 16:30:00", 0), WIB),
	    day_of("2026-01-08"));
	assert_int_equal(calendar_local_day(at("2026-01-08 17:30:00", 0), WIB),
	    day_of("2026-01-09"));
	/* Thursday to Sunday, before and after 1970 */
	assert_true(deadline_is_working_day(NULL, 0));
	assert_true(deadline_is_working_day(NULL, 1));
	assert_false(deadline_is_working_day(NULL, 2));
	assert_false(deadline_is_working_day(NULL, 3));
	assert_true(deadline_is_working_day(NULL, 4));
	assert_false(deadline_is_working_day(NULL, -4)); /* a Sunday */
	assert_true(deadline_is_working_day(NULL, -3));
	assert_false(deadline_is_working_day(&hol, day_of("2026-01-01")));
	assert_true(deadline_is_working_day(&hol, day_of("2026-01-02")));
	assert_true(holidays_contains(&hol, day_of("2026-01-01")));
	assert_true(holidays_contains(&hol, day_of("2027-01-01")));
	assert_true(holidays_contains(&hol, day_of("2026-03-21")));
	assert_false(holidays_contains(&hol, day_of("2026-03-25")));
	assert_false(holidays_contains(&hol, day_of("2025-12-31")));
	assert_false(holidays_contains(&hol, day_of("2027-01-02")));
	assert_false(holidays_contains(NULL, 0));
}

struct add_case {
	const char *start; /* local time */
	const char *duration;
	int with_holidays;
	const char *due; /* local time */
};

static void
check_add(const struct add_case *c, size_t n, int offset)
{
	struct sla_duration d;
	time_t got, want;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(deadline_parse(c[i].duration, &d), 0);
		got = deadline_add(at(c[i].start, offset), &d,
		    c[i].with_holidays ? &hol : NULL, offset);
		want = at(c[i].due, offset);
		if (got != want)
			fail_msg("%s + %s%s: got %lld, want %s (%lld)",
			    c[i].start, c[i].duration,
			    c[i].with_holidays ? " with holidays" : "",
			    (long long)got, c[i].due, (long long)want);
	}
}

static void
test_add_weekends(void **state)
{
	static const struct add_case cases[] = {
	    /* Monday 12 January 2026 */
	    {"2026-01-12 08:00:00", "1 wd", 0, "2026-01-13 23:59:59"},
	    {"2026-01-12 08:00:00", "3 wd", 0, "2026-01-15 23:59:59"},
	    {"2026-01-12 08:00:00", "4 wd", 0, "2026-01-16 23:59:59"},
	    {"2026-01-12 08:00:00", "5 wd", 0, "2026-01-19 23:59:59"},
	    {"2026-01-12 08:00:00", "10 wd", 0, "2026-01-26 23:59:59"},
	    /* Friday: day 1 is Monday, whatever the hour */
	    {"2026-01-09 00:00:00", "1 wd", 0, "2026-01-12 23:59:59"},
	    {"2026-01-09 10:00:00", "1 wd", 0, "2026-01-12 23:59:59"},
	    {"2026-01-09 23:59:59", "1 wd", 0, "2026-01-12 23:59:59"},
	    {"2026-01-09 10:00:00", "3 wd", 0, "2026-01-14 23:59:59"},
	    /* Saturday and Sunday count from Monday, day 1 */
	    {"2026-01-10 00:00:00", "1 wd", 0, "2026-01-12 23:59:59"},
	    {"2026-01-10 12:00:00", "3 wd", 0, "2026-01-14 23:59:59"},
	    {"2026-01-11 23:59:59", "1 wd", 0, "2026-01-12 23:59:59"},
	    {"2026-01-11 09:00:00", "5 wd", 0, "2026-01-16 23:59:59"},
	    /* Thursday, 2 wd over the weekend */
	    {"2026-01-08 16:00:00", "2 wd", 0, "2026-01-12 23:59:59"},
	};

	(void)state;
	check_add(cases, TESTLIB_COUNT(cases), WIB);
	check_add(cases, TESTLIB_COUNT(cases), 0);
	check_add(cases, TESTLIB_COUNT(cases), WIT);
}

static void
test_add_holidays(void **state)
{
	static const struct add_case cases[] = {
	    /* Isra Mi'raj on Friday 16 January */
	    {"2026-01-15 09:00:00", "1 wd", 1, "2026-01-19 23:59:59"},
	    {"2026-01-15 09:00:00", "1 wd", 0, "2026-01-16 23:59:59"},
	    /* cuti bersama on the Monday, Imlek on the Tuesday after */
	    {"2026-02-13 09:00:00", "1 wd", 1, "2026-02-18 23:59:59"},
	    {"2026-02-14 09:00:00", "1 wd", 1, "2026-02-18 23:59:59"},
	    {"2026-02-13 09:00:00", "3 wd", 1, "2026-02-20 23:59:59"},
	    /* Hari Lahir Pancasila and Proklamasi on Mondays */
	    {"2026-05-29 15:00:00", "1 wd", 1, "2026-06-02 23:59:59"},
	    {"2026-08-14 15:00:00", "1 wd", 1, "2026-08-18 23:59:59"},
	    /*
	     * Idul Fitri 1447: cuti Nyepi Wed 18, Nyepi Thu 19, cuti Fri 20,
	     * Idul Fitri Sat 21 and Sun 22, cuti Mon 23 and Tue 24 March.
	     */
	    {"2026-03-17 08:00:00", "1 wd", 1, "2026-03-25 23:59:59"},
	    {"2026-03-17 08:00:00", "3 wd", 1, "2026-03-27 23:59:59"},
	    {"2026-03-17 08:00:00", "5 wd", 1, "2026-03-31 23:59:59"},
	    {"2026-03-16 08:00:00", "10 wd", 1, "2026-04-07 23:59:59"},
	    {"2026-03-16 08:00:00", "1 wd", 1, "2026-03-17 23:59:59"},
	    {"2026-03-16 08:00:00", "2 wd", 1, "2026-03-25 23:59:59"},
	    /* received on a holiday, or on a holiday on a weekend */
	    {"2026-03-19 10:00:00", "1 wd", 1, "2026-03-25 23:59:59"},
	    {"2026-03-21 10:00:00", "1 wd", 1, "2026-03-25 23:59:59"},
	    {"2026-03-24 23:59:59", "1 wd", 1, "2026-03-25 23:59:59"},
	    {"2026-01-01 00:00:00", "1 wd", 1, "2026-01-02 23:59:59"},
	    /* Kenaikan Thu 14 + cuti Fri 15 May: a four-day weekend */
	    {"2026-05-13 11:00:00", "1 wd", 1, "2026-05-18 23:59:59"},
	    /* Idul Adha Wed 27 + cuti Thu 28, Waisak Sun 31, Pancasila */
	    {"2026-05-26 11:00:00", "1 wd", 1, "2026-05-29 23:59:59"},
	    {"2026-05-26 11:00:00", "2 wd", 1, "2026-06-02 23:59:59"},
	    /* Easter Sunday 5 April changes nothing */
	    {"2026-04-02 11:00:00", "1 wd", 1, "2026-04-06 23:59:59"},
	    {"2026-04-02 11:00:00", "1 wd", 0, "2026-04-03 23:59:59"},
	    /* the turn of the year: cuti 24, Natal 25 Dec, 1 Jan 2027 */
	    {"2026-12-23 09:00:00", "1 wd", 1, "2026-12-28 23:59:59"},
	    {"2026-12-24 09:00:00", "1 wd", 1, "2026-12-28 23:59:59"},
	    {"2026-12-24 09:00:00", "4 wd", 1, "2026-12-31 23:59:59"},
	    {"2026-12-24 09:00:00", "5 wd", 1, "2027-01-04 23:59:59"},
	    {"2026-12-24 09:00:00", "5 wd", 0, "2026-12-31 23:59:59"},
	    {"2026-12-31 20:00:00", "1 wd", 1, "2027-01-04 23:59:59"},
	    {"2026-12-31 20:00:00", "1 wd", 0, "2027-01-01 23:59:59"},
	    {"2025-12-31 20:00:00", "1 wd", 1, "2026-01-02 23:59:59"},
	};

	(void)state;
	check_add(cases, TESTLIB_COUNT(cases), WIB);
	check_add(cases, TESTLIB_COUNT(cases), WITA);
}

/* Only a Sunday and a Saturday in the list: the same as no holidays. */
static void
test_add_weekend_holidays(void **state)
{
	int days[] = {day_of("2026-04-04"), day_of("2026-04-05")};
	struct holidays h = {days, 2};
	struct sla_duration d = {SLA_WORKING_DAYS, 1};
	time_t start = at("2026-04-03 10:00:00", WIB);

	(void)state;
	assert_int_equal(deadline_add(start, &d, &h, WIB),
	    deadline_add(start, &d, NULL, WIB));
	assert_int_equal(
	    deadline_add(start, &d, &h, WIB), at("2026-04-06 23:59:59", WIB));
}

/* The hour of receipt near midnight: the local day decides. */
static void
test_add_offsets(void **state)
{
	struct sla_duration d = {SLA_WORKING_DAYS, 1};
	time_t t;

	(void)state;
	/* Thursday 23:30 WIB = 16:30 UTC: Thursday, due end of Friday */
	t = at("2026-01-08 16:30:00", 0);
	assert_int_equal(t, at("2026-01-08 23:30:00", WIB));
	assert_int_equal(
	    deadline_add(t, &d, NULL, WIB), at("2026-01-09 23:59:59", WIB));
	assert_int_equal(
	    deadline_add(t, &d, NULL, WIB), at("2026-01-09 16:59:59", 0));
	/* an hour later it is Friday 00:30 WIB: due end of Monday */
	t = at("2026-01-08 17:30:00", 0);
	assert_int_equal(
	    deadline_add(t, &d, NULL, WIB), at("2026-01-12 23:59:59", WIB));
	/* the same instant is already Friday in WITA and WIT */
	t = at("2026-01-08 16:30:00", 0);
	assert_int_equal(
	    deadline_add(t, &d, NULL, WITA), at("2026-01-12 23:59:59", WITA));
	assert_int_equal(
	    deadline_add(t, &d, NULL, WIT), at("2026-01-12 23:59:59", WIT));
	/* and still Thursday at UTC */
	assert_int_equal(
	    deadline_add(t, &d, NULL, 0), at("2026-01-09 23:59:59", 0));
	/* west of UTC: Friday 02:00 UTC is Thursday 23:00 at -03:00 */
	t = at("2026-01-09 02:00:00", 0);
	assert_int_equal(deadline_add(t, &d, NULL, -3 * 3600),
	    at("2026-01-09 23:59:59", -3 * 3600));
}

static void
test_add_clock(void **state)
{
	static const struct {
		const char *duration;
		long seconds;
	} cases[] = {{"90s", 90}, {"15m", 900}, {"2h", 7200}, {"500ms", 1},
	    {"1000ms", 1}, {"1500ms", 2}, {"1d", 86400}, {"2 d", 172800},
	    {"60d", 60 * 86400L}};
	time_t start = at("2026-03-20 23:59:00", WIB); /* a holiday */
	struct sla_duration d;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		assert_int_equal(deadline_parse(cases[i].duration, &d), 0);
		/* holidays and weekends make no difference */
		assert_int_equal(deadline_add(start, &d, &hol, WIB),
		    start + cases[i].seconds);
		assert_int_equal(
		    deadline_add(start, &d, NULL, 0), start + cases[i].seconds);
		assert_int_equal(deadline_sub(start, &d, &hol, WIB),
		    start - cases[i].seconds);
	}
	d.unit = SLA_WORKING_DAYS;
	d.amount = 0;
	assert_int_equal(deadline_add(start, &d, &hol, WIB), start);
	assert_int_equal(deadline_sub(start, &d, &hol, WIB), start);
}

static void
test_sub(void **state)
{
	struct sla_duration one = {SLA_WORKING_DAYS, 1};
	struct sla_duration two = {SLA_WORKING_DAYS, 2};

	(void)state;
	/* the end of working day 3 less 1 wd: the end of working day 2 */
	assert_int_equal(
	    deadline_sub(at("2026-01-15 23:59:59", WIB), &one, NULL, WIB),
	    at("2026-01-14 23:59:59", WIB));
	/* over a weekend, keeping the time of day */
	assert_int_equal(
	    deadline_sub(at("2026-01-12 10:00:00", WIB), &one, NULL, WIB),
	    at("2026-01-09 10:00:00", WIB));
	assert_int_equal(
	    deadline_sub(at("2026-01-13 10:00:00", WIB), &two, NULL, WIB),
	    at("2026-01-09 10:00:00", WIB));
	/* back over the Idul Fitri week */
	assert_int_equal(
	    deadline_sub(at("2026-03-25 23:59:59", WIB), &one, &hol, WIB),
	    at("2026-03-17 23:59:59", WIB));
	/* from a Sunday: the Friday before */
	assert_int_equal(
	    deadline_sub(at("2026-01-11 10:00:00", WIB), &one, NULL, WIB),
	    at("2026-01-09 10:00:00", WIB));
}

static void
test_between(void **state)
{
	static const struct {
		const char *from, *to;
		int with_holidays;
		int n;
	} cases[] = {
	    {"2026-01-12 08:00:00", "2026-01-16 08:00:00", 0, 4},
	    {"2026-01-12 08:00:00", "2026-01-16 08:00:00", 1, 3},
	    {"2026-01-12 08:00:00", "2026-01-12 23:59:59", 0, 0},
	    {"2026-01-12 08:00:00", "2026-01-13 00:00:00", 0, 1},
	    {"2026-01-16 08:00:00", "2026-01-12 08:00:00", 0, 0},
	    {"2026-01-09 08:00:00", "2026-01-11 23:00:00", 0, 0},
	    {"2026-03-17 08:00:00", "2026-03-25 00:00:01", 1, 1},
	    {"2026-03-16 08:00:00", "2026-04-07 12:00:00", 1, 10},
	    {"2026-01-01 00:00:00", "2026-12-31 23:59:59", 0, 260},
	    {"2026-01-01 00:00:00", "2026-12-31 23:59:59", 1, 240},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++)
		if (deadline_working_days_between(at(cases[i].from, WIB),
			at(cases[i].to, WIB),
			cases[i].with_holidays ? &hol : NULL,
			WIB) != cases[i].n)
			fail_msg("%s to %s: want %d", cases[i].from,
			    cases[i].to, cases[i].n);
}

/*
 * Every 5 hours of 2026, every length from 1 to 15 wd: the due time is
 * 23:59:59 local of a working day, the report has had exactly N working
 * days by then and N - 1 a second earlier, and 1 wd before it is the due
 * time of N - 1 wd.
 */
static void
test_sweep(void **state)
{
	time_t start = at("2026-01-01 00:00:00", WIB);
	time_t end = at("2027-01-01 00:00:00", WIB);
	struct sla_duration d = {SLA_WORKING_DAYS, 0};
	struct sla_duration one = {SLA_WORKING_DAYS, 1};
	time_t t, due, prev;
	long n;

	(void)state;
	for (t = start; t < end; t += 5 * 3600) {
		prev = 0;
		for (n = 1; n <= 15; n++) {
			d.amount = n;
			due = deadline_add(t, &d, &hol, WIB);
			assert_true(due > t);
			assert_int_equal((due + WIB) % 86400, 86399);
			assert_true(deadline_is_working_day(
			    &hol, (int)calendar_local_day(due, WIB)));
			assert_int_equal(
			    deadline_working_days_between(t, due, &hol, WIB),
			    n);
			assert_int_equal(deadline_working_days_between(
					     t, due - 86400, &hol, WIB),
			    n - 1);
			if (prev != 0)
				assert_int_equal(
				    deadline_sub(due, &one, &hol, WIB), prev);
			prev = due;
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_parse_ms),
	    cmocka_unit_test(test_parse_date),
	    cmocka_unit_test(test_parse_time_offset),
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_add_weekends),
	    cmocka_unit_test(test_add_holidays),
	    cmocka_unit_test(test_add_weekend_holidays),
	    cmocka_unit_test(test_add_offsets),
	    cmocka_unit_test(test_add_clock),
	    cmocka_unit_test(test_sub),
	    cmocka_unit_test(test_between),
	    cmocka_unit_test(test_sweep),
	};

	return cmocka_run_group_tests(tests, setup_holidays, NULL);
}
