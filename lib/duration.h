/*
 * duration: the time values an operator writes in the config, read and
 * written back.  A duration is clock time ("90s", "15m", "2h", "500ms",
 * "1d") or working days ("3 wd"; queue/deadline.h says which days work);
 * a date is "YYYY-MM-DD", a time of day "HH:MM", a UTC offset "+07:00" or
 * one of WIB, WITA, WIT.  Pure functions of their arguments.  The names
 * keep the deadline_ prefix of queue/deadline.h, where they began.
 */
#ifndef HOTLINE_DURATION_H
#define HOTLINE_DURATION_H

#include <stddef.h>

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
/*
 * "YYYY-MM-DD", a real date of 1970 to 9999, into days since 1970-01-01
 * (lib/calendar.h's day numbers).
 */
int deadline_parse_date(const char *text, int *day);
/* "HH:MM", 00:00 to 23:59, into minutes after midnight. */
int deadline_parse_time(const char *text, int *minutes);
/*
 * A UTC offset, "+07:00" or "-03:30" (from -12:00 to +14:00), or one of
 * Indonesia's zones: WIB, WITA, WIT.  In seconds east of UTC.
 */
int deadline_parse_offset(const char *text, int *seconds);

#endif
