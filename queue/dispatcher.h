/*
 * dispatcher: the thread that sends the outbox.  It takes due rows,
 * claims them, opens a citizen's sealed address with the memkey, hands the
 * message to the channel's sender (adapters/send.h) and makes the HTTP
 * request with libcurl's multi interface; then records the outcome:
 * sent, failed (retried later with capped exponential backoff and jitter,
 * honouring Retry-After), or dead after max_attempts or a permanent
 * error.  Each channel has a rate limit.
 */
#ifndef HOTLINE_DISPATCHER_H
#define HOTLINE_DISPATCHER_H

#include <stddef.h>

#include "config/config.h"
#include "queue/memkey.h"
#include "queue/store.h"

struct dispatcher;

/* What happened to one attempt, for metrics. */
enum dispatch_event { DISPATCH_SENT, DISPATCH_RETRY, DISPATCH_DEAD };

/*
 * Called after each attempt; for a message sent, with the seconds from
 * when it was first due (queued, or its delay over) to the provider's
 * acceptance, retries included; else, or when not known (retried across
 * a restart), with a negative number.
 */
typedef void (*dispatch_observer)(
    void *arg, const char *channel, enum dispatch_event, double seconds);

struct dispatcher *dispatcher_start(const struct config *,
    const struct memkey *, dispatch_observer, void *arg, char *err,
    size_t errlen);

/* New rows are due: look now instead of at the next tick. */
void dispatcher_wake(struct dispatcher *);

/* Let requests in flight finish (a few seconds at most), then stop. */
void dispatcher_stop(struct dispatcher *);

/*
 * The delay before attempt number attempts + 1, in ms: retry_base doubled
 * per attempt, capped at retry_max, with jitter (between half and all of
 * it), and never less than retry_after_ms.  Exposed for tests.
 */
long dispatcher_backoff(
    const struct config *, int attempts, long retry_after_ms);

/*
 * Open an outbox row's message: a citizen's from the sealed blob (under
 * key, the runtime key), a staff member's from the clear columns.  0, or
 * -1 when it cannot be opened (sealed by a process whose key is lost).
 */
int outbox_open_message(const struct memkey *key,
    const struct store_outbox_row *row, char *to, size_t tolen, char *text,
    size_t textlen);

#endif
