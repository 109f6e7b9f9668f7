/*
 * test_calendar: lib/calendar.c against the C library's own calendar.
 * Every day from 1900 to 2200, and a sample far on either side, goes to a
 * date and back and is compared with gmtime_r() and timegm(): the date,
 * the weekday and (with strftime's %G and %V) the ISO week.  Then the
 * local day at the edges of midnight, before and after 1970, at WIB and at
 * offsets west of UTC, and the month lengths of leap years.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/calendar.h"
#include "tests/unit/testlib.h"

/* One day number against gmtime_r() of its midnight. */
static void
check_day(long long day)
{
	time_t t = (time_t)(day * CALENDAR_DAY_SECONDS);
	char buf[32];
	struct tm tm;
	int y, m, d, wy, wk, want_y, want_w;

	assert_non_null(gmtime_r(&t, &tm));
	calendar_date(day, &y, &m, &d);
	assert_int_equal(y, tm.tm_year + 1900);
	assert_int_equal(m, tm.tm_mon + 1);
	assert_int_equal(d, tm.tm_mday);
	assert_int_equal(calendar_day(y, m, d), day);
	/* tm_wday: 0 is Sunday; ours: 0 is Monday */
	assert_int_equal(calendar_weekday(day), (tm.tm_wday + 6) % 7);
	calendar_iso_week(day, &wy, &wk);
	strftime(buf, sizeof buf, "%G %V", &tm);
	assert_int_equal(sscanf(buf, "%d %d", &want_y, &want_w), 2);
	assert_int_equal(wy, want_y);
	assert_int_equal(wk, want_w);
}

static void
test_days_and_dates(void **state)
{
	long long day;

	(void)state;
	assert_int_equal(calendar_day(1970, 1, 1), 0);
	assert_int_equal(calendar_day(1969, 12, 31), -1);
	assert_int_equal(calendar_day(2000, 3, 1), 11017);
	for (day = calendar_day(1900, 1, 1); day <= calendar_day(2200, 1, 1);
	     day++)
		check_day(day);
	for (day = -3000000; day <= 3000000; day += 997)
		check_day(day);
}

static void
test_weekdays(void **state)
{
	(void)state;
	assert_int_equal(calendar_weekday(0), 3); /* Thursday */
	assert_int_equal(calendar_weekday(-1), 2);
	assert_int_equal(calendar_weekday(-3), 0); /* Monday */
	assert_int_equal(calendar_weekday(-4), 6);
	assert_int_equal(calendar_weekday(4), 0);
	assert_int_equal(calendar_weekday(calendar_day(2026, 1, 10)), 5);
}

static void
test_local_day(void **state)
{
	const int wib = 7 * 3600;

	(void)state;
	assert_int_equal(calendar_local_day(0, 0), 0);
	assert_int_equal(calendar_local_day(-1, 0), -1);
	assert_int_equal(calendar_local_day(-86400, 0), -1);
	assert_int_equal(calendar_local_day(-86401, 0), -2);
	assert_int_equal(calendar_local_day(86399, 0), 0);
	assert_int_equal(calendar_local_day(-1, 3600), 0);
	assert_int_equal(calendar_local_day(3599, -3600), -1);
	assert_int_equal(calendar_local_day(3600, -3600), 0);
	/* 2026-01-08: 16:59:59 UTC is 23:59:59 WIB, 17:00 the next day */
	assert_int_equal(
	    calendar_local_day(calendar_day(2026, 1, 8) * 86400 + 61199, wib),
	    calendar_day(2026, 1, 8));
	assert_int_equal(
	    calendar_local_day(calendar_day(2026, 1, 8) * 86400 + 61200, wib),
	    calendar_day(2026, 1, 9));
	/* WITA, an hour later */
	assert_int_equal(
	    calendar_local_day(
		calendar_day(2026, 1, 8) * 86400 + 57600, 8 * 3600),
	    calendar_day(2026, 1, 9));
}

static void
test_months(void **state)
{
	static const int days[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int m;

	(void)state;
	for (m = 1; m <= 12; m++)
		assert_int_equal(calendar_month_days(2026, m), days[m - 1]);
	assert_int_equal(calendar_month_days(2024, 2), 29);
	assert_int_equal(calendar_month_days(2000, 2), 29);
	assert_int_equal(calendar_month_days(1900, 2), 28);
	assert_int_equal(calendar_month_days(2100, 2), 28);
	assert_true(calendar_leap_year(2028));
	assert_false(calendar_leap_year(2027));
	/* past the month's end runs on */
	assert_int_equal(calendar_day(2026, 2, 29), calendar_day(2026, 3, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days_and_dates),
	    cmocka_unit_test(test_weekdays),
	    cmocka_unit_test(test_local_day),
	    cmocka_unit_test(test_months),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
