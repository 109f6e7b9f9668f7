/*
 * rekey: change the custodians of a database (hotline rekey).  With the
 * keys of custodians who can open them now, every epoch key (and the
 * audit's root key) is opened and sealed again to the new set, the old
 * shares deleted (secure_delete overwrites them; the WAL is truncated
 * after), the pins replaced and an audit row written, all in one
 * transaction.  Identities from before epoch keys (sealed to the mayor
 * alone) move under a fresh epoch key when the mayor's key is in hand.
 */
#ifndef HOTLINE_REKEY_H
#define HOTLINE_REKEY_H

#include <stddef.h>

#include "queue/audit.h"
#include "queue/custody.h"
#include "queue/store.h"

struct rekey_result {
	long long epochs; /* keys sealed again (the audit's root included) */
	long long moved;  /* old identities moved under epoch keys */
};

/*
 * Re-seal from the pinned set from to the set to, opening with keys; row
 * is the audit row (its reason is replaced by what was done).  0, or -1
 * with err set and nothing changed.
 */
int rekey_run(struct store *, const struct custody *from,
    const struct custody *to, const struct custody_key *keys, size_t nkeys,
    const struct audit_entry *row, struct rekey_result *, char *err,
    size_t errlen);

#endif
