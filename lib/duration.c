/*
 * duration: the parsers of lib/duration.h.  A duration is a count and a
 * unit from one table, which deadline_format() reads backwards to write
 * the largest unit that divides the amount exactly; every number is
 * checked for overflow before it is multiplied.  Dates are checked against
 * the month's length and turned into day numbers by lib/calendar.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/calendar.h"
#include "lib/duration.h"

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
    {"d", SLA_SECONDS, CALENDAR_DAY_SECONDS * 1000},
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

int
deadline_parse_date(const char *text, int *day)
{
	int y, m, d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    (y = digits(text, 4)) < 1970 || (m = digits(text + 5, 2)) < 1 ||
	    m > 12 || (d = digits(text + 8, 2)) < 1 ||
	    d > calendar_month_days(y, m))
		return -1;
	*day = (int)calendar_day(y, m, d);
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
