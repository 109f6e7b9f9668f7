/*
 * ratelimit: how many times one sender may do something in a window of
 * time: open reports (flood control, per minute) or try receipts (per
 * hour).  Senders are known only by their memkey tag (a keyed hash whose
 * key lives only in this process's memory), so nothing here can be turned
 * back into a number, and a restart forgets every count.
 */
#ifndef HOTLINE_RATELIMIT_H
#define HOTLINE_RATELIMIT_H

#include <time.h>

#include "queue/memkey.h"

struct ratelimit;

/* At most limit events per window_seconds for one sender. */
struct ratelimit *ratelimit_new(int limit, int window_seconds);
void ratelimit_free(struct ratelimit *);

/*
 * Count one event of the sender whose tag this is, at time now.  Returns
 * 1 when it is within the limit, 0 when over it.
 */
int ratelimit_allow(
    struct ratelimit *, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now);

/*
 * Count n events of the sender at once, all or none: 1 when they are
 * all within the limit (and counted), 0 when they are not (and nothing
 * is counted).
 */
int ratelimit_take(struct ratelimit *,
    const unsigned char tag[MEMKEY_TAG_BYTES], time_t now, int n);

/* Uncount n events that ratelimit_take() counted at now. */
void ratelimit_give_back(struct ratelimit *,
    const unsigned char tag[MEMKEY_TAG_BYTES], time_t now, int n);

#endif
