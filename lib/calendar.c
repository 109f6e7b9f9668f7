/*
 * calendar: day numbers and dates with Howard Hinnant's days_from_civil
 * and civil_from_days ("chrono-Compatible Low-Level Date Algorithms"):
 * the year is shifted to start in March, so that the leap day is the last
 * day of the year, and counted in eras of 400 years (146097 days).  Every
 * division that may meet a negative number floors, so that the day before
 * 1970-01-01 is -1 and an instant one second before it falls on that day.
 */
#include "lib/calendar.h"

/* floor(a / b) for b > 0, whatever the sign of a. */
static long long
floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && a < 0);
}

int
calendar_leap_year(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
calendar_month_days(long long y, int m)
{
	static const int mdays[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return mdays[m - 1] + (m == 2 && calendar_leap_year(y));
}

long long
calendar_day(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
calendar_date(long long day, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	day += 719468;
	era = floor_div(day, 146097);
	doe = day - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
calendar_weekday(long long day)
{
	/* 1970-01-01 was a Thursday */
	return (int)(day + 3 - floor_div(day + 3, 7) * 7);
}

void
calendar_iso_week(long long day, int *year, int *week)
{
	/* the week belongs to the year its Thursday falls in */
	long long thursday = day - calendar_weekday(day) + 3;
	int m, d;

	calendar_date(thursday, year, &m, &d);
	*week = (int)((thursday - calendar_day(*year, 1, 1)) / 7 + 1);
}

long long
calendar_local_day(time_t t, int utc_offset)
{
	return floor_div((long long)t + utc_offset, CALENDAR_DAY_SECONDS);
}
