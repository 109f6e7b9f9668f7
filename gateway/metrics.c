/*
 * metrics: lock-free counters (C11 atomics) updated from the request
 * threads and the writer, rendered on demand as Prometheus text.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "gateway/metrics.h"
#include "queue/intent.h"

static const int status_codes[] = {
    200, 400, 401, 403, 404, 405, 413, 415, 429, 431, 500, 503};
#define NSTATUS	     (sizeof status_codes / sizeof status_codes[0])
#define OTHER_STATUS NSTATUS

/* Upper bounds of the commit latency buckets, in seconds. */
static const double buckets[] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

/* enum dispatch_event, in order */
static const char *const outcomes[] = {"sent", "retry", "dead"};

struct metrics {
	const struct config *cfg;
	/* [channel + 1][status]: row 0 counts unknown channels */
	atomic_ullong (*requests)[NSTATUS + 1];
	/* [channel][event]: sent, retry, dead */
	atomic_ullong (*dispatched)[3];
	atomic_ullong reports_stored;
	atomic_ullong duplicates;
	atomic_ullong intents[INTENT_COUNT]; /* citizens' messages */
	atomic_ullong statuses;
	atomic_ullong commit_buckets[NBUCKETS + 1];
	atomic_ullong commit_count;
	atomic_ullong commit_failures;
	atomic_ullong commit_rows;
	atomic_ullong commit_micros; /* sum, in microseconds */
};

struct metrics *
metrics_new(const struct config *cfg)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	m->cfg = cfg;
	if ((m->requests = calloc(cfg->nchannels + 1, sizeof *m->requests)) ==
		NULL ||
	    (m->dispatched = calloc(
		 cfg->nchannels + 1, sizeof *m->dispatched)) == NULL) {
		free(m->requests);
		free(m);
		return NULL;
	}
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->requests);
	free(m->dispatched);
	free(m);
}

void
metrics_intents(struct metrics *m, const size_t counts[])
{
	size_t i;

	for (i = 0; i < INTENT_COUNT; i++)
		if (counts[i] != 0)
			atomic_fetch_add(&m->intents[i], counts[i]);
}

void
metrics_dispatch(struct metrics *m, const char *channel, int event)
{
	size_t c;

	for (c = 0; c < m->cfg->nchannels; c++)
		if (strcmp(m->cfg->channels[c].name, channel) == 0)
			break;
	if (event >= 0 && event < 3)
		atomic_fetch_add(&m->dispatched[c][event], 1);
}

void
metrics_request(struct metrics *m, int ch, int status)
{
	size_t i;

	for (i = 0; i < NSTATUS && status_codes[i] != status; i++)
		;
	atomic_fetch_add(&m->requests[ch + 1][i], 1);
}

void
metrics_intake(
    struct metrics *m, size_t stored, size_t duplicates, size_t statuses)
{
	atomic_fetch_add(&m->reports_stored, stored);
	atomic_fetch_add(&m->duplicates, duplicates);
	atomic_fetch_add(&m->statuses, statuses);
}

void
metrics_commit(struct metrics *m, double seconds, size_t rows, int ok)
{
	size_t i;

	if (!ok) {
		atomic_fetch_add(&m->commit_failures, 1);
		return;
	}
	for (i = 0; i < NBUCKETS && seconds > buckets[i]; i++)
		;
	atomic_fetch_add(&m->commit_buckets[i], 1);
	atomic_fetch_add(&m->commit_count, 1);
	atomic_fetch_add(&m->commit_rows, rows);
	atomic_fetch_add(
	    &m->commit_micros, (unsigned long long)(seconds * 1e6));
}

struct text {
	char *buf;
	size_t len, cap;
	int failed;
};

static void put(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	char *nb;
	int n;

	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = 1;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		if ((nb = realloc(t->buf, t->cap * 2 + (size_t)n)) == NULL) {
			t->failed = 1;
			return;
		}
		t->buf = nb;
		t->cap = t->cap * 2 + (size_t)n;
	}
}

char *
metrics_render(struct metrics *m, size_t queued, size_t *len)
{
	struct text t = {0};
	unsigned long long n, cum = 0;
	size_t c, i;
	const char *name;

	if ((t.buf = malloc(t.cap = 4096)) == NULL)
		return NULL;
	put(&t,
	    "# HELP hotline_webhook_requests_total Webhook requests by "
	    "channel and HTTP status.\n"
	    "# TYPE hotline_webhook_requests_total counter\n");
	for (c = 0; c <= m->cfg->nchannels; c++) {
		name = c == 0 ? "unknown" : m->cfg->channels[c - 1].name;
		for (i = 0; i <= NSTATUS; i++) {
			if ((n = atomic_load(&m->requests[c][i])) == 0)
				continue;
			if (i == OTHER_STATUS)
				put(&t,
				    "hotline_webhook_requests_total{channel="
				    "\"%s\",status=\"other\"} %llu\n",
				    name, n);
			else
				put(&t,
				    "hotline_webhook_requests_total{channel="
				    "\"%s\",status=\"%d\"} %llu\n",
				    name, status_codes[i], n);
		}
	}
	put(&t,
	    "# HELP hotline_outbound_total Send attempts by channel and "
	    "outcome.\n"
	    "# TYPE hotline_outbound_total counter\n");
	for (c = 0; c < m->cfg->nchannels; c++)
		for (i = 0; i < 3; i++)
			if ((n = atomic_load(&m->dispatched[c][i])) != 0)
				put(&t,
				    "hotline_outbound_total{channel=\"%s\","
				    "outcome=\"%s\"} %llu\n",
				    m->cfg->channels[c].name, outcomes[i], n);
	put(&t,
	    "# HELP hotline_reports_stored_total Reports committed.\n"
	    "# TYPE hotline_reports_stored_total counter\n"
	    "hotline_reports_stored_total %llu\n"
	    "# HELP hotline_duplicates_total Repeated deliveries answered "
	    "200 and not stored again.\n"
	    "# TYPE hotline_duplicates_total counter\n"
	    "hotline_duplicates_total %llu\n"
	    "# HELP hotline_delivery_reports_total Provider status "
	    "callbacks kept.\n"
	    "# TYPE hotline_delivery_reports_total counter\n"
	    "hotline_delivery_reports_total %llu\n"
	    "# HELP hotline_commit_failures_total Transactions that did "
	    "not commit (answered 503).\n"
	    "# TYPE hotline_commit_failures_total counter\n"
	    "hotline_commit_failures_total %llu\n"
	    "# HELP hotline_writer_queue Jobs waiting for the writer.\n"
	    "# TYPE hotline_writer_queue gauge\n"
	    "hotline_writer_queue %zu\n",
	    atomic_load(&m->reports_stored), atomic_load(&m->duplicates),
	    atomic_load(&m->statuses), atomic_load(&m->commit_failures),
	    queued);
	put(&t,
	    "# HELP hotline_messages_total Citizens' messages by what they "
	    "were read as (only content opens a report).\n"
	    "# TYPE hotline_messages_total counter\n");
	for (i = 0; i < INTENT_COUNT; i++)
		put(&t, "hotline_messages_total{intent=\"%s\"} %llu\n",
		    intent_names[i], atomic_load(&m->intents[i]));
	put(&t,
	    "# HELP hotline_commit_seconds Duration of the writer's "
	    "transactions.\n"
	    "# TYPE hotline_commit_seconds histogram\n");
	for (i = 0; i < NBUCKETS; i++) {
		cum += atomic_load(&m->commit_buckets[i]);
		put(&t, "hotline_commit_seconds_bucket{le=\"%g\"} %llu\n",
		    buckets[i], cum);
	}
	put(&t,
	    "hotline_commit_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "hotline_commit_seconds_sum %.6f\n"
	    "hotline_commit_seconds_count %llu\n"
	    "# HELP hotline_commit_rows_total Rows written by committed "
	    "transactions.\n"
	    "# TYPE hotline_commit_rows_total counter\n"
	    "hotline_commit_rows_total %llu\n",
	    atomic_load(&m->commit_count),
	    (double)atomic_load(&m->commit_micros) / 1e6,
	    atomic_load(&m->commit_count), atomic_load(&m->commit_rows));
	if (t.failed) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}
