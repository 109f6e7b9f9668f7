/*
 * epoch: the epoch keys identities are sealed under.  Sealing each
 * report's key to the custodian costs two X25519 operations, a third of
 * the daemon's CPU under load; instead, a random epoch key lives in locked
 * memory for at most [keys] epoch (1 s) or EPOCH_MAX_REPORTS reports, is
 * sealed once to every custodian when it is made, and each report's key
 * derives from it and the report's random id (seal_report_key()).  When
 * the epoch ends its key is wiped: then only a custodian opens it again,
 * and with it one report's key at a time.  Shared by the intake threads.
 */
#ifndef HOTLINE_EPOCH_H
#define HOTLINE_EPOCH_H

#include <time.h>

#include "queue/custody.h"

#define EPOCH_MAX_REPORTS 4096

/*
 * An epoch as the store keeps it: its random id and its key sealed to
 * the custodians.  Counted: it lives while a report that uses it is on its
 * way to the store.
 */
struct epoch_seal {
	long long id; /* random, never 0: ids do not date anything */
	struct custody_sealed sealed;
	int refs; /* under the epochs' lock */
};

struct epochs;

/*
 * Epochs sealed to custodians (custody_check() must pass), each at most
 * seconds long (1 or more) and max_reports reports.  NULL when out of
 * memory or the custodians do not do.
 */
struct epochs *epochs_new(const struct custody *, int seconds, int max_reports);
void epochs_free(struct epochs *);

/*
 * The key of report report_id, made at now, into key; the epoch it belongs
 * to in *seal (release it with epochs_release() once the report is in the
 * store, or failed).  A new epoch is made when the last one is over.
 * Returns 0 or -1 (sealing failed, out of memory).
 */
int epochs_report_key(struct epochs *,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES], time_t now,
    unsigned char key[SEAL_KEY_BYTES], struct epoch_seal **seal);
void epochs_release(struct epochs *, struct epoch_seal *);

/*
 * For the tests and the bench: how many epochs were made, and whether an
 * epoch key is in memory now.
 */
long long epochs_made(struct epochs *);
int epochs_live(struct epochs *);

#endif
