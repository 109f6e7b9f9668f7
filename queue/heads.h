/*
 * heads: what an OPD head (or deputy) says to the hotline.  TERIMA,
 * PROSES, SELESAI and TOLAK with a report code are carried out when the
 * sender is a head of the report's OPD and queue/lifecycle.h allows the
 * step; every change is a history row.  Anything else gets the list of
 * commands.  A code that does not exist and a code of another OPD get the
 * same answer, so that a head learns nothing of other OPDs' reports.
 */
#ifndef HOTLINE_HEADS_H
#define HOTLINE_HEADS_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "queue/lifecycle.h"
#include "queue/store.h"

/*
 * Inside a transaction: carry out text, sent by number (E.164, a member
 * of staff) on channel at now; a command counts only from the head's or
 * deputy's number on their own channel (alerts_is_head_of).  Returns the reply
 * (malloc'd), or NULL with err set when the store failed or memory ran out; the
 * transaction must then be rolled back.
 */
char *heads_handle(struct store *, const struct config *, const char *channel,
    const char *number, const char *text, time_t now, char *err, size_t errlen);

/*
 * Inside a transaction: the same steps from the web view, for a user of
 * OPD opd (actor "web:NAME"): action on report code, with note (needed
 * but for acknowledge).  Another OPD's code is answered as an unknown
 * one.  Returns the message to show (malloc'd) and sets *changed when the
 * report changed; NULL with err set when the store failed.
 */
char *heads_act(struct store *, const struct config *, const char *opd,
    const char *actor, enum report_action action, const char *code,
    const char *note, time_t now, int *changed, char *err, size_t errlen);

/*
 * Inside a transaction: the triage OPD (opd) forwards report code, which
 * waits in its triage, to OPD target, whose heads the watcher then
 * alerts; note (optional) is kept in the history.  An unknown target, or
 * opd itself, gets the list of OPD ids to choose from.  As heads_act().
 * heads_handle() does the same for TERUSKAN from a head's number.
 */
char *heads_route(struct store *, const struct config *, const char *opd,
    const char *actor, const char *code, const char *target, const char *note,
    time_t now, int *changed, char *err, size_t errlen);

/*
 * Inside a transaction: the verifier ([routing] verify) decides on report
 * code, which waits verifying in its queue.  target set: forward it to
 * that OPD with summary (the text the OPD will see instead of the
 * report's: the verifier takes the reporter's details out), whose heads
 * the watcher then alerts.  target NULL: close it as not a report, for
 * reason.  The summary or reason is kept in an audit row.  As heads_act().
 */
char *heads_verify(struct store *, const struct config *, const char *actor,
    const char *code, const char *target, const char *summary,
    const char *reason, time_t now, int *changed, char *err, size_t errlen);

/*
 * Inside a transaction: the mayor's office closes a resolved report for
 * good (an audit row first, then the history row).  As heads_act().
 */
char *heads_close(struct store *, const struct config *, const char *actor,
    const char *code, time_t now, int *changed, char *err, size_t errlen);

#endif
