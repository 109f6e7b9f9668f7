/*
 * lifecycle: the statuses a report goes through, the actions that move it
 * from one to the next, and the commands OPD heads send to take those
 * actions.  It owns which action may move which status where, the short
 * reason a refused action is answered with, and reading TERIMA, PROSES,
 * SELESAI and TOLAK with a report code however a phone keypad types it.
 * Pure functions: the caller checks who sent a command and the store
 * writes what they decide (the status, and a history row).
 *
 * Statuses: received (stored, not yet routed), routed (at its OPD),
 * triage (at the triage team: no OPD was found, or an OPD sent it back),
 * acknowledged, in_progress, resolved, closed, rejected, and verifying
 * (with [routing] verify: at the verifier, who reads it first).
 *
 * The actions and what they move; every other pair is refused.  The
 * first four are the heads' commands, the last three the system's own.
 *
 *   command action      from                                   to
 *   TERIMA  acknowledge routed|triage                          acknowledged
 *   PROSES  progress    routed|triage|acknowledged|in_progress in_progress
 *   SELESAI resolve     acknowledged|in_progress               resolved
 *   TOLAK   reject      routed|acknowledged|in_progress        triage
 *   -       route       received|triage|rejected               routed
 *   -       triage      received                               triage
 *   -       close       resolved                               closed
 *   -       forward     verifying                              routed
 *   -       dismiss     verifying                              closed
 *
 * PROSES on a report not yet acknowledged acknowledges it too (a head may
 * act at once): the acknowledgement deadline is met.  SELESAI needs the
 * The verifier forwards a report (with the summary the OPD will see) or
 * dismisses it as not a report; nothing else moves a verifying report.
 * report acknowledged first, so that every resolution follows a deliberate
 * acceptance.  TOLAK records "rejected" in the history and returns the
 * report to triage: the result is "triage" with to_triage set, and the
 * store gives it the triage OPD.  A report never rests in rejected; one
 * found there is treated as waiting in triage (route takes it, heads'
 * commands are refused).  Resolved and closed reports take no head
 * command.  The table above is read by tests/unit/test_lifecycle.c and
 * checked against lifecycle_apply(): keep its layout.
 */
#ifndef HOTLINE_LIFECYCLE_H
#define HOTLINE_LIFECYCLE_H

#include "queue/store.h"

enum report_action {
	ACTION_ACKNOWLEDGE, /* TERIMA */
	ACTION_PROGRESS,    /* PROSES */
	ACTION_RESOLVE,	    /* SELESAI */
	ACTION_REJECT,	    /* TOLAK */
	ACTION_CLOSE,	    /* by the mayor's office */
	ACTION_ROUTE,	    /* to an OPD, by the router or the triage team */
	ACTION_TRIAGE,	    /* to triage: the router found no OPD */
	ACTION_FORWARD,	    /* by the verifier, to an OPD, with a summary */
	ACTION_DISMISS,	    /* by the verifier: not a report */
};

/*
 * May action move a report in status from?  0: yes, *to_status is the
 * new status and *to_triage is 1 when it goes (back) to triage.  -1:
 * refused, *refusal says why in a few Indonesian words a reply can carry
 * ("laporan sudah selesai").  Any output pointer may be NULL.
 */
int lifecycle_apply(const char *from_status, enum report_action,
    const char **to_status, int *to_triage, const char **refusal);

/* The action's name for history rows ("acknowledge"), NULL if unknown. */
const char *lifecycle_action_name(enum report_action);

/* A head's command. */
enum head_kind {
	HEAD_NONE,
	HEAD_TERIMA,
	HEAD_PROSES,
	HEAD_SELESAI,
	HEAD_TOLAK,
	HEAD_TERUSKAN
};

enum head_error {
	HEAD_OK,
	HEAD_NO_CODE,	/* the bare word: "proses" */
	HEAD_BAD_CODE,	/* something meant as a code that is not one */
	HEAD_NO_NOTE,	/* PROSES, SELESAI, TOLAK need a note: ask for it */
	HEAD_NO_TARGET, /* TERUSKAN names no OPD after the code */
};

struct head_command {
	enum head_kind kind;
	enum report_action action; /* of kind, unless HEAD_NONE */
	enum head_error error;
	char code[STORE_CODE_MAX]; /* canonical, "" unless OK or NO_NOTE */
	const char *note;	   /* inside text, to its end; NULL when none */
	char target[64]; /* TERUSKAN: the OPD id as typed, in lower case */
};

/*
 * Read a head's command at the start of text: a command word in any case,
 * then a report code with the configured prefix, typed as KDR-7K3M9Q,
 * kdr7k3m9q or KDR 7K3M9Q, then (TERUSKAN: the id of the OPD to forward
 * to), then (TERIMA, TERUSKAN: optionally) a note.  Returns the
 * kind: HEAD_NONE unless the word is alone or followed by something shaped
 * like a code, so that "terima kasih pak" is no command.  The note runs to
 * the end of text, trailing spaces included.  Only a configured head's
 * message is a command: the caller checks the sender first.
 */
enum head_kind lifecycle_parse_command(
    const char *text, const char *prefix, struct head_command *out);

#endif
