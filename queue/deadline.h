/*
 * deadline: when a report falls due.  A duration is clock time ("90s",
 * "15m", "2h", "500ms", "1d") or working days ("3 wd"); a working day is a
 * Monday to Friday, in local time, that is not in the holiday list of the
 * config ([holidays] dates).  Everything here is a pure function of its
 * arguments: no clock, no time zone database (Indonesia keeps no daylight
 * saving time, so a fixed UTC offset is exact: WIB +07:00, WITA +08:00,
 * WIT +09:00), no globals.  The parsers of durations, dates, times of day
 * and UTC offsets that the config uses live here too.
 *
 * The working-day rule, after LAPOR! practice (forward in 3, plan in 5,
 * close in 10 working days): the day of receipt never counts, whatever the
 * hour and whether or not it is itself a working day.  Day 1 is the first
 * working day after the local day of receipt, and "N wd" falls due at the
 * end of the Nth working day, 23:59:59 local time.  So a report received on
 * Friday (at 08:00 or at 23:59) with "1 wd" is due at the end of Monday; one
 * received on Saturday or Sunday is due, with "1 wd", at the end of Monday
 * too; with a holiday on that Monday, at the end of Tuesday.
 */
#ifndef HOTLINE_DEADLINE_H
#define HOTLINE_DEADLINE_H

#include <stddef.h>
#include <time.h>

/* The most working days deadline_parse() takes. */
#define DEADLINE_WD_MAX 100000

/*
 * A duration.  SLA_SECONDS is the clock-time kind (ms, s, m, h and d, a
 * day being 24 hours): its amount is in MILLISECONDS.  SLA_WORKING_DAYS
 * counts working days.  deadline_parse() gives an amount of at least 1.
 */
struct sla_duration {
	enum sla_unit { SLA_SECONDS, SLA_WORKING_DAYS } unit;
	long amount; /* SLA_SECONDS: milliseconds; SLA_WORKING_DAYS: days */
};

/*
 * The holidays: local dates as days since 1970-01-01 (deadline_parse_date),
 * ascending, each once.  A NULL struct holidays is an empty list.
 */
struct holidays {
	int *days;
	size_t n;
};

/*
 * "90s", "15m", "2h", "500ms", "1d", "2 d" (clock time) or "3wd", "3 wd"
 * (working days): an integer of at least 1, optional blanks, the unit.
 * 0, or -1 for anything else (no number, no or another unit, a sign, a
 * fraction, a number too large: more than DEADLINE_WD_MAX working days or
 * a time that does not fit a long of milliseconds).
 */
int deadline_parse(const char *text, struct sla_duration *out);
/*
 * A duration as deadline_parse() reads it back: "3 wd", or a count of the
 * largest clock unit that divides it exactly ("90s", "2h", "1500ms").
 */
void deadline_format(const struct sla_duration *, char *buf, size_t len);
/*
 * The stricter clock time of [dispatch]: an integer (0 allowed), then ms,
 * s, m or h with nothing between ("30s", "500ms"); in milliseconds.  0 or
 * -1.
 */
int deadline_parse_ms(const char *text, long *ms);
/* "YYYY-MM-DD", a real date of 1970 to 9999, into days since 1970-01-01. */
int deadline_parse_date(const char *text, int *day);
/* "HH:MM", 00:00 to 23:59, into minutes after midnight. */
int deadline_parse_time(const char *text, int *minutes);
/*
 * A UTC offset, "+07:00" or "-03:30" (from -12:00 to +14:00), or one of
 * Indonesia's zones: WIB, WITA, WIT.  In seconds east of UTC.
 */
int deadline_parse_offset(const char *text, int *seconds);

/* The local day (days since 1970-01-01) of t, at utc_offset seconds. */
int deadline_local_day(time_t t, int utc_offset);
/* 1 when day is one of the holidays, else 0. */
int holidays_contains(const struct holidays *, int day);
/*
 * 1 when a holiday falls within days days from day on, else 0: a list
 * with none ahead is a year the operator forgot to add
 * (HOLIDAYS_AHEAD_DAYS, warned by check, doctor and the digest).
 */
#define HOLIDAYS_AHEAD_DAYS 60
int holidays_ahead(const struct holidays *, int day, int days);
/* 1 when day is a Monday to Friday that is not a holiday, else 0. */
int deadline_is_working_day(const struct holidays *, int day);

/*
 * When a report received at start falls due.  Clock time: start plus the
 * duration, rounded up to a whole second.  Working days: the end
 * (23:59:59 local) of the Nth working day after start's local day, as the
 * rule at the top of this file says.  A duration below 1 gives start.
 */
time_t deadline_add(time_t start, const struct sla_duration *,
    const struct holidays *, int utc_offset);
/*
 * The time a duration before due, for reminders.  Clock time: due less
 * the duration, rounded up to a whole second.  Working days: the same
 * local time of day, N working days earlier (so 1 wd before the end of
 * working day 3 is the end of working day 2).  The result may lie before
 * the report was received; the caller decides what that means.
 */
time_t deadline_sub(time_t due, const struct sla_duration *,
    const struct holidays *, int utc_offset);
/*
 * The working days after from's local day up to and including to's: how
 * many working days a report received at from has had by to (0 when to's
 * local day is not after from's).
 */
int deadline_working_days_between(
    time_t from, time_t to, const struct holidays *, int utc_offset);

#endif
