/*
 * metrics: counters and a histogram for GET /metrics, in the Prometheus
 * text format.  Labels are channel names from the config and HTTP status
 * codes only: nothing a citizen sent ever becomes a label.
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
void metrics_intake(
    struct metrics *, size_t stored, size_t duplicates, size_t statuses);
/* Citizens' messages of one webhook, counted by intent (enum intent). */
void metrics_intents(struct metrics *, const size_t counts[]);
/* One send attempt of the dispatcher ended (enum dispatch_event). */
void metrics_dispatch(struct metrics *, const char *channel, int event);

/* One transaction of the writer. */
void metrics_commit(struct metrics *, double seconds, size_t rows, int ok);

/* Render everything; the caller frees the text.  NULL when out of memory. */
char *metrics_render(struct metrics *, size_t queued, size_t *len);

#endif
