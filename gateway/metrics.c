/*
 * metrics: lock-free counters and histograms (C11 atomics) updated from
 * the request threads, the writer and the dispatcher, rendered on demand
 * as Prometheus text.  The database's gauges (the outbox by kind and
 * status, overdue and escalated reports by OPD, receipts waiting) are
 * read at a scrape, in one query on a read-only connection opened for
 * it, and kept METRICS_DB_SECONDS under a lock: however often and from
 * however many threads /metrics is asked, the database sees one query
 * every few seconds at most.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "gateway/metrics.h"
#include "lib/dynbuf.h"
#include "lib/log.h"
#include "queue/intent.h"
#include "queue/store.h"

static const int status_codes[] = {
    200, 400, 401, 403, 404, 405, 413, 415, 429, 431, 500, 503};
#define NSTATUS	     (sizeof status_codes / sizeof status_codes[0])
#define OTHER_STATUS NSTATUS
#define NBOUNDS(a)   (sizeof(a) / sizeof((a)[0]))

/* Upper bounds of the histograms' buckets: seconds, seconds, rows. */
static const double commit_le[] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
static const double delivery_le[] = {
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};
static const double batch_le[] = {1, 2, 4, 8, 16, 32, 64, 128};
#define HIST_MAX 16

/* enum dispatch_event, in order */
static const char *const outcomes[] = {"sent", "retry", "dead"};

struct histogram {
	const double *le;
	size_t n;
	atomic_ullong bucket[HIST_MAX + 1]; /* per bucket; [n] is +Inf */
	atomic_ullong sum;		    /* in millionths */
};

struct metrics {
	const struct config *cfg;
	/* [channel + 1][status]: row 0 counts unknown channels */
	atomic_ullong (*requests)[NSTATUS + 1];
	/* [channel][event]: sent, retry, dead; [nchannels]: unknown */
	atomic_ullong (*dispatched)[3];
	struct histogram *delivery; /* [channel], as dispatched */
	atomic_ullong *inbound;	    /* [channel]: messages */
	atomic_llong *heard_ms;	    /* [channel]: last message (monotonic) */
	atomic_ullong reports_stored;
	atomic_ullong duplicates;
	atomic_ullong intents[INTENT_COUNT]; /* citizens' messages */
	atomic_ullong statuses;
	struct histogram commit; /* seconds */
	struct histogram batch;	 /* rows a transaction */
	atomic_ullong commit_failures;
	atomic_ullong commit_rows;
	/* the database's gauges, read at most every METRICS_DB_SECONDS */
	pthread_mutex_t db_lock;
	long long db_read_ms; /* monotonic; 0: never */
	int db_known;	      /* the last read worked */
	struct store_gauges gauges;
};

static long long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
histogram_init(struct histogram *h, const double *le, size_t n)
{
	h->le = le;
	h->n = n;
}

static void
observe(struct histogram *h, double v)
{
	size_t i;

	if (v < 0)
		v = 0;
	for (i = 0; i < h->n && v > h->le[i]; i++)
		;
	atomic_fetch_add(&h->bucket[i], 1);
	atomic_fetch_add(&h->sum, (unsigned long long)(v * 1e6));
}

struct metrics *
metrics_new(const struct config *cfg)
{
	size_t n = cfg->nchannels + 1, c;
	long long now = monotonic_ms();
	struct metrics *m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return NULL;
	pthread_mutex_init(&m->db_lock, NULL);
	m->cfg = cfg;
	m->requests = calloc(n, sizeof *m->requests);
	m->dispatched = calloc(n, sizeof *m->dispatched);
	m->delivery = calloc(n, sizeof *m->delivery);
	m->inbound = calloc(n, sizeof *m->inbound);
	m->heard_ms = calloc(n, sizeof *m->heard_ms);
	if (m->requests == NULL || m->dispatched == NULL ||
	    m->delivery == NULL || m->inbound == NULL || m->heard_ms == NULL) {
		metrics_free(m);
		return NULL;
	}
	/* a channel silent since the start is as silent as one gone quiet */
	for (c = 0; c < n; c++) {
		atomic_init(&m->heard_ms[c], now);
		histogram_init(
		    &m->delivery[c], delivery_le, NBOUNDS(delivery_le));
	}
	histogram_init(&m->commit, commit_le, NBOUNDS(commit_le));
	histogram_init(&m->batch, batch_le, NBOUNDS(batch_le));
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->db_lock);
	store_gauges_free(&m->gauges);
	free(m->requests);
	free(m->dispatched);
	free(m->delivery);
	free(m->inbound);
	free(m->heard_ms);
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
metrics_dispatch(
    struct metrics *m, const char *channel, int event, double seconds)
{
	size_t c;

	for (c = 0; c < m->cfg->nchannels; c++)
		if (strcmp(m->cfg->channels[c].name, channel) == 0)
			break;
	if (event >= 0 && event < 3)
		atomic_fetch_add(&m->dispatched[c][event], 1);
	if (event == 0 /* sent */ && seconds >= 0)
		observe(&m->delivery[c], seconds);
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
metrics_inbound(struct metrics *m, int ch, size_t messages, size_t duplicates)
{
	if (ch < 0 || messages == 0)
		return;
	if (messages > duplicates)
		atomic_fetch_add(&m->inbound[ch], messages - duplicates);
	atomic_store(&m->heard_ms[ch], monotonic_ms());
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
	if (!ok) {
		atomic_fetch_add(&m->commit_failures, 1);
		return;
	}
	observe(&m->commit, seconds);
	observe(&m->batch, (double)rows);
	atomic_fetch_add(&m->commit_rows, rows);
}

/* A family's HELP and TYPE lines. */
static void
family(struct dynbuf *t, const char *name, const char *type, const char *help)
{
	dynbuf_addf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* s as a label value (quotes, backslashes, newlines escaped) in buf. */
static const char *
label(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 3 < len; s++) {
		if (*s == '"' || *s == '\\' || *s == '\n') {
			buf[n++] = '\\';
			buf[n++] = *s == '\n' ? 'n' : *s;
		} else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * A histogram's series; labels ("channel=\"x\"") or NULL.  Its count is
 * its +Inf bucket, so that the two agree under concurrent updates.
 */
static void
put_histogram(struct dynbuf *t, const char *name, const char *labels,
    const struct histogram *h)
{
	const char *sep = labels != NULL ? "," : "";
	unsigned long long cum = 0;
	size_t i;

	if (labels == NULL)
		labels = "";
	for (i = 0; i < h->n; i++) {
		cum += atomic_load(&h->bucket[i]);
		dynbuf_addf(t, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels,
		    sep, h->le[i], cum);
	}
	cum += atomic_load(&h->bucket[h->n]);
	dynbuf_addf(
	    t, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep, cum);
	if (labels[0] != '\0')
		dynbuf_addf(t, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name,
		    labels, (double)atomic_load(&h->sum) / 1e6, name, labels,
		    cum);
	else
		dynbuf_addf(t, "%s_sum %.6f\n%s_count %llu\n", name,
		    (double)atomic_load(&h->sum) / 1e6, name, cum);
}

static void
put_requests(struct dynbuf *t, struct metrics *m)
{
	unsigned long long n;
	const char *name;
	size_t c, i;

	family(t, "hotline_webhook_requests_total", "counter",
	    "Webhook requests by channel and HTTP status.");
	for (c = 0; c <= m->cfg->nchannels; c++) {
		name = c == 0 ? "unknown" : m->cfg->channels[c - 1].name;
		for (i = 0; i <= NSTATUS; i++) {
			if ((n = atomic_load(&m->requests[c][i])) == 0)
				continue;
			if (i == OTHER_STATUS)
				dynbuf_addf(t,
				    "hotline_webhook_requests_total{channel="
				    "\"%s\",status=\"other\"} %llu\n",
				    name, n);
			else
				dynbuf_addf(t,
				    "hotline_webhook_requests_total{channel="
				    "\"%s\",status=\"%d\"} %llu\n",
				    name, status_codes[i], n);
		}
	}
}

/* Per channel: messages in, how long since the last, sends, latency. */
static void
put_channels(struct dynbuf *t, struct metrics *m)
{
	const struct config *cfg = m->cfg;
	long long now = monotonic_ms();
	unsigned long long n;
	char labels[160];
	size_t c, i;

	family(t, "hotline_inbound_messages_total", "counter",
	    "Messages received by channel and answered 200 (citizens' "
	    "and staff's; a repeated delivery is not counted again).");
	for (c = 0; c < cfg->nchannels; c++)
		dynbuf_addf(t,
		    "hotline_inbound_messages_total{channel=\"%s\"} %llu\n",
		    cfg->channels[c].name, atomic_load(&m->inbound[c]));
	family(t, "hotline_last_inbound_age_seconds", "gauge",
	    "Seconds since the channel last received a message; the start "
	    "(or the last reload) counts as one, so a phone silent since "
	    "then shows its silence too.");
	for (c = 0; c < cfg->nchannels; c++)
		dynbuf_addf(t,
		    "hotline_last_inbound_age_seconds{channel=\"%s\","
		    "provider=\"%s\"} %lld\n",
		    cfg->channels[c].name,
		    config_provider_name(cfg->channels[c].provider),
		    (now - atomic_load(&m->heard_ms[c])) / 1000);
	family(t, "hotline_outbound_total", "counter",
	    "Send attempts by channel and outcome.");
	for (c = 0; c < cfg->nchannels; c++)
		for (i = 0; i < 3; i++)
			if ((n = atomic_load(&m->dispatched[c][i])) != 0)
				dynbuf_addf(t,
				    "hotline_outbound_total{channel=\"%s\","
				    "outcome=\"%s\"} %llu\n",
				    cfg->channels[c].name, outcomes[i], n);
	family(t, "hotline_delivery_seconds", "histogram",
	    "Seconds from when a message was due (queued, or its delay "
	    "over) to the provider accepting it, retries included, by "
	    "channel; sent by the dispatcher.");
	for (c = 0; c < cfg->nchannels; c++) {
		snprintf(labels, sizeof labels, "channel=\"%s\"",
		    cfg->channels[c].name);
		put_histogram(
		    t, "hotline_delivery_seconds", labels, &m->delivery[c]);
	}
}

static void
put_intake(struct dynbuf *t, struct metrics *m, const struct metrics_state *st)
{
	size_t i;

	dynbuf_addf(t,
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
	    st->queued);
	family(t, "hotline_messages_total", "counter",
	    "Citizens' messages by what they were read as (only content "
	    "opens a report).");
	for (i = 0; i < INTENT_COUNT; i++)
		dynbuf_addf(t, "hotline_messages_total{intent=\"%s\"} %llu\n",
		    intent_names[i], atomic_load(&m->intents[i]));
	family(t, "hotline_commit_seconds", "histogram",
	    "Duration of the writer's transactions.");
	put_histogram(t, "hotline_commit_seconds", NULL, &m->commit);
	family(t, "hotline_writer_batch_rows", "histogram",
	    "Rows written by each committed transaction of the writer "
	    "(group commit).");
	put_histogram(t, "hotline_writer_batch_rows", NULL, &m->batch);
	dynbuf_addf(t,
	    "# HELP hotline_commit_rows_total Rows written by committed "
	    "transactions.\n"
	    "# TYPE hotline_commit_rows_total counter\n"
	    "hotline_commit_rows_total %llu\n",
	    atomic_load(&m->commit_rows));
}

/* With db_lock held: the gauges, read again when they are old. */
static void
read_gauges(struct metrics *m)
{
	long long now = monotonic_ms();
	char err[256], quoted[300];
	struct store *s;

	if (m->db_read_ms != 0 &&
	    now - m->db_read_ms < METRICS_DB_SECONDS * 1000)
		return;
	m->db_read_ms = now;
	store_gauges_free(&m->gauges);
	m->db_known = 0;
	if ((s = store_open(m->cfg->server.database, STORE_READONLY, err,
		 sizeof err)) != NULL &&
	    store_read_gauges(s, time(NULL), &m->gauges, err, sizeof err) == 0)
		m->db_known = 1;
	else
		log_msg(LOG_WARN, "metrics_error", "reason=%s",
		    log_quote(err, quoted, sizeof quoted));
	store_close(s);
}

static const struct store_opd_gauge *
opd_gauge(const struct store_gauges *g, const char *opd)
{
	size_t i;

	for (i = 0; i < g->nopds; i++)
		if (strcmp(g->opds[i].opd, opd) == 0)
			return &g->opds[i];
	return NULL;
}

/*
 * One series per OPD of the config (0 when it has none) and per OPD the
 * reports still name ("none": no OPD), overdue or escalated.
 */
static void
put_opds(struct dynbuf *t, struct metrics *m, int escalated)
{
	const char *name =
	    escalated ? "hotline_reports_escalated" : "hotline_reports_overdue";
	const struct store_opd_gauge *o;
	char opd[140];
	size_t i;

	for (i = 0; i < m->cfg->nopds; i++) {
		o = opd_gauge(&m->gauges, m->cfg->opds[i].id);
		dynbuf_addf(t, "%s{opd=\"%s\"} %lld\n", name,
		    label(m->cfg->opds[i].id, opd, sizeof opd),
		    o == NULL	    ? 0
			: escalated ? o->escalated
				    : o->overdue);
	}
	for (i = 0; i < m->gauges.nopds; i++) {
		o = &m->gauges.opds[i];
		if (o->opd[0] != '\0' && config_opd(m->cfg, o->opd) != NULL)
			continue;
		dynbuf_addf(t, "%s{opd=\"%s\"} %lld\n", name,
		    o->opd[0] != '\0' ? label(o->opd, opd, sizeof opd) : "none",
		    escalated ? o->escalated : o->overdue);
	}
}

/* The database's gauges, under db_lock. */
static void
put_database(struct dynbuf *t, struct metrics *m)
{
	const struct store_outbox_gauge *o;
	char kind[70], status[40];
	size_t i;

	pthread_mutex_lock(&m->db_lock);
	read_gauges(m);
	if (m->db_known) {
		family(t, "hotline_outbox_messages", "gauge",
		    "Outbox rows to send (queued, sending, failed) and dead, "
		    "by kind and status.");
		for (i = 0; i < m->gauges.noutbox; i++) {
			o = &m->gauges.outbox[i];
			dynbuf_addf(t,
			    "hotline_outbox_messages{kind=\"%s\",status="
			    "\"%s\"} %lld\n",
			    label(o->kind, kind, sizeof kind),
			    label(o->status, status, sizeof status), o->n);
		}
		family(t, "hotline_outbox_dead_messages", "gauge",
		    "Outbox rows dead (hotline outbox shows why; staff "
		    "messages can be sent again with hotline resend).");
		dynbuf_addf(
		    t, "hotline_outbox_dead_messages %lld\n", m->gauges.dead);
		family(t, "hotline_reports_overdue", "gauge",
		    "Open reports past a deadline they did not meet, by "
		    "OPD.");
		put_opds(t, m, 0);
		family(t, "hotline_reports_escalated", "gauge",
		    "Open reports whose missed deadline was escalated, by "
		    "OPD.");
		put_opds(t, m, 1);
		family(t, "hotline_receipts_waiting", "gauge",
		    "Reports whose receipt waits to be hashed.");
		dynbuf_addf(
		    t, "hotline_receipts_waiting %lld\n", m->gauges.pending);
	}
	pthread_mutex_unlock(&m->db_lock);
}

char *
metrics_render(struct metrics *m, const struct metrics_state *st, size_t *len)
{
	struct dynbuf t;
	long long bytes;

	dynbuf_init(&t, DYNBUF_NO_CAP, 0);
	put_requests(&t, m);
	put_channels(&t, m);
	put_intake(&t, m, st);
	put_database(&t, m);
	if ((bytes = store_file_bytes(m->cfg->server.database)) >= 0) {
		family(&t, "hotline_database_bytes", "gauge",
		    "Size of the database file and its WAL.");
		dynbuf_addf(&t, "hotline_database_bytes %lld\n", bytes);
	}
	family(&t, "hotline_ready", "gauge",
	    "1 when /readyz answers 200 (the database takes writes, not "
	    "draining), else 0.");
	dynbuf_addf(&t, "hotline_ready %d\n", st->ready ? 1 : 0);
	return dynbuf_take(&t, len);
}
