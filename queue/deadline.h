/*
 * deadline: when a report falls due.  A duration is clock time ("90s",
 * "15m", "2h", "500ms", "1d") or working days ("3 wd"); a working day is a
 * Monday to Friday, in local time, that is not in the holiday list of the
 * config ([holidays] dates).  Everything here is a pure function of its
 * arguments: no clock, no time zone database (Indonesia keeps no daylight
 * saving time, so a fixed UTC offset is exact: WIB +07:00, WITA +08:00,
 * WIT +09:00), no globals.  The durations themselves, and the dates, times
 * of day and UTC offsets of the config, are read by lib/duration.h; the
 * days are lib/calendar.h's day numbers.
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

#include <time.h>

#include "lib/calendar.h"
#include "lib/duration.h"

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
