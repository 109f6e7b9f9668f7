/*
 * watch: the thread that keeps the deadlines.  A new report, or one whose
 * status or OPD changed, is looked at once (watch_at = 0): its OPD's
 * heads are alerted (and the OPDs its category copies, the first time).
 * From then on it is looked at when its next event falls due: a reminder
 * to the heads remind_before a deadline, and at the deadline an
 * escalation to [sla] escalate_to and a mark on the report.  Once a day,
 * from [digest] at, the mayor's counts.  Everything is in the database
 * (watch_at, marks, a meta row for the digest), so deadlines survive
 * restarts; every write goes through the writer.
 */
#ifndef HOTLINE_WATCH_H
#define HOTLINE_WATCH_H

#include <time.h>

#include "config/config.h"
#include "queue/dispatcher.h"
#include "queue/store.h"
#include "queue/writer.h"

#define WATCH_BATCH 64 /* reports looked at in one transaction */

/*
 * The deadlines of a report received at received, from [sla].  Clock
 * durations under an hour are kept to the second (for trials and tests);
 * longer ones are rounded up to the whole hour and working days end at
 * 23:59:59 local, so that a stored deadline tells no arrival time.
 */
void watch_deadlines(const struct config *, time_t received, time_t *ack_due,
    time_t *resolve_due);

/*
 * One pass at now, inside a transaction on s: up to WATCH_BATCH due
 * reports, and the digest when due.  Returns the number of reports looked
 * at, or -1.  *queued (may be NULL) counts the messages queued.
 */
int watch_pass(struct store *, const struct config *, time_t now, int *queued,
    char *err, size_t errlen);

struct watch;

struct watch *watch_start(const struct config *, struct writer *,
    struct dispatcher *, char *err, size_t errlen);

/* Finish the pass under way, then stop. */
void watch_stop(struct watch *);

#endif
