/*
 * deadline: durations, working days and due times (see deadline.h for the
 * rule).  Days are counted as integers, days since 1970-01-01 in local
 * time, with the civil-date arithmetic of Howard Hinnant's
 * days_from_civil: no struct tm, no TZ, no locale.  Working days are found
 * by stepping one day at a time, which the bounds of the config (at most
 * 60 days) keep short; the holiday list is searched by bisection.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "queue/deadline.h"

#define DAY_SECONDS 86400L

static const struct {
	const char *name;
	enum sla_unit kind;
	long ms; /* one unit, SLA_SECONDS only */
} units[] = {
    /* the first CLOCK_UNITS are those of deadline_parse_ms() */
    {"ms", SLA_SECONDS, 1},
    {"s", SLA_SECONDS, 1000},
    {"m", SLA_SECONDS, 60 * 1000L},
    {"h", SLA_SECONDS, 3600 * 1000L},
    {"d", SLA_SECONDS, DAY_SECONDS * 1000},
    {"wd", SLA_WORKING_DAYS, 0},
};
#define CLOCK_UNITS 4
#define ALL_UNITS   (sizeof units / sizeof *units)

/* The decimal digits at *s (at least one), *s moved past them. */
static int
parse_count(const char **s, long *out)
{
	const char *p = *s;
	long n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (LONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	*s = p;
	*out = n;
	return 0;
}

/* A count and one of the first nunits units, blanks between if allowed. */
static int
parse_units(
    const char *text, size_t nunits, int blanks, struct sla_duration *out)
{
	const char *s = text;
	size_t i;
	long n;

	if (parse_count(&s, &n) == -1)
		return -1;
	while (blanks && (*s == ' ' || *s == '\t'))
		s++;
	for (i = 0; i < nunits; i++)
		if (strcmp(s, units[i].name) == 0)
			break;
	if (i == nunits)
		return -1;
	if (units[i].kind == SLA_WORKING_DAYS) {
		if (n > DEADLINE_WD_MAX)
			return -1;
	} else {
		if (n > LONG_MAX / units[i].ms)
			return -1;
		n *= units[i].ms;
	}
	out->unit = units[i].kind;
	out->amount = n;
	return 0;
}

int
deadline_parse(const char *text, struct sla_duration *out)
{
	struct sla_duration d;

	if (parse_units(text, ALL_UNITS, 1, &d) == -1 || d.amount < 1)
		return -1;
	*out = d;
	return 0;
}

void
deadline_format(const struct sla_duration *d, char *buf, size_t len)
{
	size_t i = CLOCK_UNITS + 1; /* from "d" down */

	if (d->unit == SLA_WORKING_DAYS) {
		snprintf(buf, len, "%ld wd", d->amount);
		return;
	}
	while (--i > 0 && d->amount % units[i].ms != 0)
		;
	snprintf(buf, len, "%ld%s", d->amount / units[i].ms, units[i].name);
}

int
deadline_parse_ms(const char *text, long *ms)
{
	struct sla_duration d;

	if (parse_units(text, CLOCK_UNITS, 0, &d) == -1)
		return -1;
	*ms = d.amount;
	return 0;
}

/* Exactly n digits at s, as a number. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
deadline_parse_date(const char *text, int *day)
{
	static const int mdays[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, leap;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    (y = digits(text, 4)) < 1970 || (m = digits(text + 5, 2)) < 1 ||
	    m > 12 || (d = digits(text + 8, 2)) < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*day = (int)days_from_civil(y, m, d);
	return 0;
}

int
deadline_parse_time(const char *text, int *minutes)
{
	int h, m;

	if (strlen(text) != 5 || text[2] != ':' || (h = digits(text, 2)) < 0 ||
	    h > 23 || (m = digits(text + 3, 2)) < 0 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int
deadline_parse_offset(const char *text, int *seconds)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = {{"WIB", 7}, {"WITA", 8}, {"WIT", 9}};
	size_t i;
	int min;

	for (i = 0; i < sizeof zones / sizeof *zones; i++)
		if (strcasecmp(text, zones[i].name) == 0) {
			*seconds = zones[i].hours * 3600;
			return 0;
		}
	if ((text[0] != '+' && text[0] != '-') ||
	    deadline_parse_time(text + 1, &min) == -1)
		return -1;
	if (text[0] == '-')
		min = -min;
	if (min < -12 * 60 || min > 14 * 60)
		return -1;
	*seconds = min * 60;
	return 0;
}

/* floor(a / b) for b > 0, whatever the sign of a. */
static long long
floor_div(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int
deadline_local_day(time_t t, int utc_offset)
{
	return (int)floor_div((long long)t + utc_offset, DAY_SECONDS);
}

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
	/* 1970-01-01 was a Thursday: 0 is Monday, 5 and 6 the weekend */
	int wday = (int)(((long long)day % 7 + 7 + 3) % 7);

	return wday < 5 && !holidays_contains(h, day);
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
	    h, deadline_local_day(start, utc_offset), d->amount, 1);
	return (time_t)((long long)day * DAY_SECONDS + DAY_SECONDS - 1 -
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
	day = deadline_local_day(due, utc_offset);
	back = step_working_days(h, day, d->amount, -1);
	return due - (time_t)((long long)(day - back) * DAY_SECONDS);
}

int
deadline_working_days_between(
    time_t from, time_t to, const struct holidays *h, int utc_offset)
{
	int day = deadline_local_day(from, utc_offset);
	int last = deadline_local_day(to, utc_offset);
	int n = 0;

	while (day < last)
		n += deadline_is_working_day(h, ++day);
	return n;
}
