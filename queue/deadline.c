/*
 * deadline: working days and due times (see deadline.h for the rule).
 * Days are counted as integers, lib/calendar.h's day numbers in local
 * time: no struct tm, no TZ, no locale.  Working days are found by
 * stepping one day at a time, which the bounds of the config (at most 60
 * days) keep short; the holiday list is searched by bisection.
 */
#include "lib/calendar.h"
#include "queue/deadline.h"

int
holidays_contains(const struct holidays *h, int day)
{
	size_t lo = 0, hi, mid;

	if (h == NULL)
		return 0;
	for (hi = h->n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (h->days[mid] == day)
			return 1;
		if (h->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
holidays_ahead(const struct holidays *h, int day, int days)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++)
		if (h->days[i] >= day && h->days[i] <= day + days)
			return 1;
	return 0;
}

int
deadline_is_working_day(const struct holidays *h, int day)
{
	/* 0 is Monday, 5 and 6 the weekend */
	return calendar_weekday(day) < 5 && !holidays_contains(h, day);
}

/* The working day n working days after (dir 1) or before (-1) day. */
static int
step_working_days(const struct holidays *h, int day, long n, int dir)
{
	while (n > 0) {
		day += dir;
		if (deadline_is_working_day(h, day))
			n--;
	}
	return day;
}

/* A clock-time amount in whole seconds, rounded up. */
static time_t
whole_seconds(long ms)
{
	return (time_t)(ms / 1000 + (ms % 1000 != 0));
}

time_t
deadline_add(time_t start, const struct sla_duration *d,
    const struct holidays *h, int utc_offset)
{
	int day;

	if (d->amount < 1)
		return start;
	if (d->unit == SLA_SECONDS)
		return start + whole_seconds(d->amount);
	day = step_working_days(
	    h, (int)calendar_local_day(start, utc_offset), d->amount, 1);
	return (time_t)(((long long)day + 1) * CALENDAR_DAY_SECONDS - 1 -
	    utc_offset);
}

time_t
deadline_sub(time_t due, const struct sla_duration *d, const struct holidays *h,
    int utc_offset)
{
	int day, back;

	if (d->amount < 1)
		return due;
	if (d->unit == SLA_SECONDS)
		return due - whole_seconds(d->amount);
	day = (int)calendar_local_day(due, utc_offset);
	back = step_working_days(h, day, d->amount, -1);
	return due - (time_t)((long long)(day - back) * CALENDAR_DAY_SECONDS);
}

int
deadline_working_days_between(
    time_t from, time_t to, const struct holidays *h, int utc_offset)
{
	int day = (int)calendar_local_day(from, utc_offset);
	int last = (int)calendar_local_day(to, utc_offset);
	int n = 0;

	while (day < last)
		n += deadline_is_working_day(h, ++day);
	return n;
}
