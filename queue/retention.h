/*
 * retention: what UU PDP's limits on keeping personal data take away,
 * once a day and on `hotline retention`.  [retention] identity_after
 * after a report closed, the identities of an epoch whose reports are all
 * past it are destroyed by deleting that epoch key's shares (crypto-
 * shredding: the ciphertexts are blanked too, but without the key they
 * were noise already); an identity from before epoch keys loses its own
 * sealed key.  [retention] text_after after a report closed, its text,
 * notes, summary, outcome, routing evidence, location pin, evidence
 * (photos, voice notes, ...) and the bodies of the messages sent about it
 * are blanked; the indicators'
 * counts (status, category, OPD, place, times) stay.  Each run that takes
 * anything writes an audit row saying how much.
 */
#ifndef HOTLINE_RETENTION_H
#define HOTLINE_RETENTION_H

#include <time.h>

#include "queue/store.h"

struct retention_result {
	long long identities; /* identities destroyed */
	long long epochs;     /* epoch keys shredded */
	long long texts;      /* reports whose text was blanked */
};

/*
 * Inside a transaction: destroy what is past identity_after and blank
 * what is past text_after (seconds after closing; 0: never) at now, or
 * with dry_run only count it.  each (when not NULL) is called with every
 * report code affected and what goes ("identity", "text").  With
 * actor and something taken, the audit row is written.  0 or -1.
 */
int retention_apply(struct store *, long long identity_after,
    long long text_after, time_t now, int dry_run, const char *actor,
    void (*each)(const char *code, const char *what, void *), void *arg,
    struct retention_result *, char *err, size_t errlen);

#endif
