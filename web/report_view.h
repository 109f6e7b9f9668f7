/*
 * report_view: the page of one report (/reports/CODE): what it says, with
 * numbers masked; where it was routed and why; its deadlines, history,
 * notes and deliveries; for the mayor with an unlocked key the form that
 * opens the identity (and, once, the identity itself); for a head of its
 * OPD the forms of TERIMA, PROSES, SELESAI and TOLAK.  Never the identity
 * otherwise, never a citizen's address.
 */
#ifndef HOTLINE_REPORT_VIEW_H
#define HOTLINE_REPORT_VIEW_H

#include <stddef.h>

#include "config/config.h"
#include "queue/seal.h"
#include "queue/store.h"
#include "web/html.h"

struct report_view {
	const struct html_user *user;
	const char *only_opd; /* an OPD user's OPD: others are "none" */
	int can_unseal;	      /* the mayor, mayor_key configured */
	int ask_passphrase;   /* and the key not yet unlocked this session */
	int can_act;	      /* a head of the report's OPD */
	int can_route;	      /* the triage OPD's head: forward from triage */
	int can_close;	      /* the mayor: close a resolved report */
	int can_verify;	      /* the verifier: forward or dismiss */
	int full_text;	      /* the mayor: the text unmasked */
	int summary_only;     /* the verifier's summary, never the text */
	const char *notice;   /* a message to show first, or NULL */
	const struct identity *shown; /* just unsealed, or NULL */
};

/*
 * Render report code from the read-only store: 0 with *page (malloc'd),
 * 1 when there is no such report for this user, -1 with err set.
 */
int report_view_render(struct store *, const struct config *, const char *code,
    const struct report_view *, char **page, size_t *len, char *err,
    size_t errlen);

#endif
