/*
 * metrics: counters, gauges and histograms for GET /metrics, in the
 * Prometheus text format.  Labels are the config's channel, provider and
 * OPD ids, HTTP status codes and the code's own words (intents, outcomes,
 * outbox kinds and statuses) only: nothing a citizen sent ever becomes a
 * label.
 */
#ifndef HOTLINE_METRICS_H
#define HOTLINE_METRICS_H

#include <stddef.h>

struct config;
struct metrics;

struct metrics *metrics_new(const struct config *);
void metrics_free(struct metrics *);

/* A webhook request on channel index ch (-1: unknown channel) ended. */
void metrics_request(struct metrics *, int ch, int status);
/*
 * A webhook on channel index ch carrying messages (of which duplicates
 * were delivered before) was answered 200: the channel was heard now.
 */
void metrics_inbound(
    struct metrics *, int ch, size_t messages, size_t duplicates);
void metrics_intake(
    struct metrics *, size_t stored, size_t duplicates, size_t statuses);
/* Citizens' messages of one webhook, counted by intent (enum intent). */
void metrics_intents(struct metrics *, const size_t counts[]);
/*
 * One send attempt of the dispatcher ended (enum dispatch_event); for a
 * message sent, seconds from when it was due to the provider's
 * acceptance (negative: not known).
 */
void metrics_dispatch(
    struct metrics *, const char *channel, int event, double seconds);

/* One transaction of the writer. */
void metrics_commit(struct metrics *, double seconds, size_t rows, int ok);

/* What the server knows at a scrape. */
struct metrics_state {
	size_t queued; /* jobs waiting for the writer */
	int ready;     /* what /readyz answers: 1 ready, 0 not */
};

/*
 * Render everything, reading the database's gauges (through a read-only
 * connection of its own, at most every METRICS_DB_SECONDS); the caller
 * frees the text.  NULL when out of memory.
 */
#define METRICS_DB_SECONDS 5
char *metrics_render(
    struct metrics *, const struct metrics_state *, size_t *len);

#endif
