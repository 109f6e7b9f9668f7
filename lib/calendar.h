/*
 * calendar: the proleptic Gregorian calendar as plain integer arithmetic.
 * A date is a day number, days since 1970-01-01 (negative before it); a
 * local day is the day number of an instant at a fixed UTC offset, which
 * is exact in Indonesia, which keeps no daylight saving time (WIB +07:00,
 * WITA +08:00, WIT +09:00).  No struct tm, no TZ, no locale, no clock: pure
 * functions of their arguments.
 */
#ifndef HOTLINE_CALENDAR_H
#define HOTLINE_CALENDAR_H

#include <stddef.h>
#include <time.h>

#define CALENDAR_DAY_SECONDS 86400L

/*
 * A list of dates, as the config reads [holidays]: day numbers, ascending,
 * each once.  queue/deadline.h says what they mean for working days.  A
 * NULL struct holidays is an empty list.
 */
struct holidays {
	int *days;
	size_t n;
};

/* 1 when y is a leap year, else 0. */
int calendar_leap_year(long long y);
/* The days in month m (1 to 12) of year y. */
int calendar_month_days(long long y, int m);

/*
 * The day number of y-m-d (m 1 to 12, d 1 to 31, not checked: a day past
 * the month's end runs on into the next).
 */
long long calendar_day(long long y, int m, int d);
/* The date of a day number, the inverse of calendar_day(). */
void calendar_date(long long day, int *y, int *m, int *d);
/* The day of the week of a day number: 0 Monday ... 5 Saturday, 6 Sunday. */
int calendar_weekday(long long day);
/* The ISO 8601 week-numbering year and week (1 to 53) of a day number. */
void calendar_iso_week(long long day, int *year, int *week);

/* The local day of t at utc_offset seconds east of UTC. */
long long calendar_local_day(time_t t, int utc_offset);

#endif
