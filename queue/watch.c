/*
 * watch: deadlines, reminders, escalations and the digest.
 *
 * The thread wakes twice a second, asks its own read-only connection when
 * the next report falls due (one lookup in a partial index) and whether
 * the digest is due, and only then runs a pass inside one of the writer's
 * transactions: once the intake has been quiet for 200 ms, or after 10 s
 * of waiting for that, so that a burst of webhooks is stored first and
 * alerted right after.  A pass decides everything from the report's row and the
 * clock, so running it twice does nothing twice: each message it queues
 * sets a mark in the same transaction.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/calendar.h"
#include "lib/log.h"
#include "queue/audit.h"
#include "queue/retention.h"
#include "queue/alerts.h"
#include "queue/deadline.h"
#include "queue/lifecycle.h"
#include "queue/watch.h"
#include "queue/report.h"

#define TICK_MS		500
#define INTAKE_QUIET_MS 200 /* passes wait for a lull in the intake */
#define MAX_DEFER_TICKS 20  /* but never more than 10 s */

#define DIGEST_DAY_META	   "digest_day"
#define RETENTION_DAY_META "retention_day"
#define CLOCK_EXACT_UNDER  (3600L * 1000) /* ms */

static time_t
due_after(
    const struct config *cfg, time_t received, const struct sla_duration *d)
{
	time_t due =
	    deadline_add(received, d, &cfg->holidays, cfg->sla.utc_offset);

	if (d->unit == SLA_SECONDS && d->amount >= CLOCK_EXACT_UNDER &&
	    due % 3600 != 0)
		due += 3600 - due % 3600;
	return due;
}

void
watch_deadlines(const struct config *cfg, time_t received, time_t *ack_due,
    time_t *resolve_due)
{
	*ack_due = due_after(cfg, received, &cfg->sla.acknowledge);
	*resolve_due = due_after(cfg, received, &cfg->sla.resolve);
}

/* When to remind of due: remind_before it, or 0 when there is none. */
static time_t
remind_at(const struct config *cfg, time_t due)
{
	if (due == 0)
		return 0;
	return deadline_sub(
	    due, &cfg->sla.remind_before, &cfg->holidays, cfg->sla.utc_offset);
}

/* Queue messages (taken over and freed) for report id.  0 or -1. */
static int
queue_messages(struct store *s, long long report_id, struct alert_message *m,
    int n, time_t now, int *queued, char *err, size_t errlen)
{
	struct store_outbound o;
	int i, rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		memset(&o, 0, sizeof o);
		o.report_id = report_id;
		o.kind = m[i].kind;
		o.channel = m[i].channel;
		o.status = "queued";
		o.destination = m[i].destination;
		o.body = m[i].body;
		o.template_name = m[i].template_name;
		o.template_params = m[i].params;
		o.fallback = m[i].fallback;
		rc = store_insert_outbound(
		    s, &o, (long long)now * 1000, err, errlen);
		if (rc == 0 && queued != NULL)
			(*queued)++;
	}
	alerts_free(m, n);
	return rc;
}

/* Send kind about c to opd's head and deputy.  0 or -1. */
static int
tell(struct store *s, const struct config *cfg, enum template_id kind,
    const struct store_case *c, const struct opd *opd, int resolve, time_t now,
    int *queued, char *err, size_t errlen)
{
	struct alert_message m[ALERTS_PER_OPD];
	int n;

	if (opd == NULL)
		return 0;
	if ((n = alerts_about(cfg, kind, c, opd, resolve, m)) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return queue_messages(s, c->id, m, n, now, queued, err, errlen);
}

/* One deadline: remind before it, escalate at it. */
struct deadline_marks {
	int resolve;			 /* which deadline */
	int reminded, escalated;	 /* its marks */
	int (*open)(const char *status); /* does it apply to a status? */
};

static const struct deadline_marks deadlines[] = {
    {0, STORE_MARK_REMINDED_ACK, STORE_MARK_ESCALATED_ACK,
	report_awaits_acknowledgement},
    {1, STORE_MARK_REMINDED_RESOLVE, STORE_MARK_ESCALATED_RESOLVE,
	report_is_open},
};

/* The earlier of a and b, 0 being "none". */
static time_t
earliest(time_t a, time_t b)
{
	return a == 0 || (b != 0 && b < a) ? b : a;
}

/*
 * Is opd the office a report accuses, which its router moved away from
 * (subject is not the handler)?  It gets no copy of the report.
 */
static int
is_accused(const struct store_case *c, const char *opd)
{
	return c->subject[0] != '\0' && strcmp(c->subject, c->opd) != 0 &&
	    strcmp(c->subject, opd) == 0;
}

/* The first alert: the OPD's heads, and the category's copies once. */
static int
first_alert(struct store *s, const struct config *cfg, struct store_case *c,
    time_t now, int *queued, char *err, size_t errlen)
{
	const struct opd *owner = config_opd(cfg, c->opd);
	int resolve = c->acknowledged_at != 0; /* the deadline still to meet */
	size_t i, j;

	if (tell(s, cfg, TEMPLATE_ALERT, c, owner, resolve, now, queued, err,
		errlen) == -1)
		return -1;
	c->marks |= STORE_MARK_ALERTED;
	for (i = 0; !(c->marks & STORE_MARK_COPIED) && i < cfg->ncategories;
	     i++) {
		const struct category *cat = &cfg->categories[i];

		if (strcmp(cat->id, c->category) != 0 ||
		    cat->also_notify == NULL)
			continue;
		for (j = 0; cat->also_notify[j] != NULL; j++)
			if (config_opd(cfg, cat->also_notify[j]) != owner &&
			    !is_accused(c, cat->also_notify[j]) &&
			    tell(s, cfg, TEMPLATE_ALERT, c,
				config_opd(cfg, cat->also_notify[j]), resolve,
				now, queued, err, errlen) == -1)
				return -1;
	}
	c->marks |= STORE_MARK_COPIED;
	/* A reminder whose time passed before the alert is not sent. */
	for (i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
		time_t due = deadlines[i].resolve ? c->resolve_due : c->ack_due;

		if (due != 0 && remind_at(cfg, due) <= now)
			c->marks |= deadlines[i].reminded;
	}
	return 0;
}

/* Look at one due report: alert, remind, escalate; when to look again. */
static int
watch_case(struct store *s, const struct config *cfg, struct store_case *c,
    time_t now, int *queued, char *err, size_t errlen)
{
	const struct opd *owner = config_opd(cfg, c->opd);
	time_t next = 0, due, remind;
	size_t i;

	if (!(c->marks & STORE_MARK_ALERTED) && report_is_open(c->status) &&
	    first_alert(s, cfg, c, now, queued, err, errlen) == -1)
		return -1;
	for (i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
		const struct deadline_marks *d = &deadlines[i];

		due = d->resolve ? c->resolve_due : c->ack_due;
		/* Acknowledged once (then sent back): that deadline was met. */
		if (due == 0 || !d->open(c->status) ||
		    (!d->resolve && c->acknowledged_at != 0))
			continue;
		remind = remind_at(cfg, due);
		if (!(c->marks & d->reminded) && !(c->marks & d->escalated) &&
		    remind <= now && now < due) {
			if (tell(s, cfg, TEMPLATE_REMINDER, c, owner,
				d->resolve, now, queued, err, errlen) == -1)
				return -1;
			c->marks |= d->reminded;
		}
		if (!(c->marks & d->escalated) && due <= now) {
			if (tell(s, cfg, TEMPLATE_ESCALATION, c,
				config_opd(cfg, cfg->sla.escalate_to),
				d->resolve, now, queued, err, errlen) == -1 ||
			    store_add_history(s, c->id, now, "system",
				"escalate",
				d->resolve ? "resolve deadline missed"
					   : "acknowledge deadline missed",
				err, errlen) == -1)
				return -1;
			c->marks |= d->escalated | d->reminded;
		}
		if (!(c->marks & d->reminded))
			next = earliest(next, remind);
		if (!(c->marks & d->escalated))
			next = earliest(next, due);
	}
	return store_set_watch(
	    s, c->id, c->marks, next != 0 ? next : -1, err, errlen);
}

/* The digest, once a local day from [digest] at.  0 or -1. */
static int
watch_digest(struct store *s, const struct config *cfg, time_t now, int *queued,
    char *err, size_t errlen)
{
	int day = (int)calendar_local_day(now, cfg->sla.utc_offset);
	long minutes = ((long)(now + cfg->sla.utc_offset) % 86400) / 60;
	struct store_digest counts;
	struct alert_message m[ALERTS_DIGEST_MAX];
	long long last;
	int rc, n;

	if (cfg->digest.to == NULL || minutes < cfg->digest.at_minutes)
		return 0;
	if ((rc = store_meta_int(s, DIGEST_DAY_META, &last)) == -1) {
		snprintf(err, errlen, "reading the digest's day");
		return -1;
	}
	if (rc == 0 && last >= day)
		return 0;
	if (store_digest_counts(s, now - 86400, now, &counts, err, errlen) ==
	    -1)
		return -1;
	if (audit_head(s, &counts.audit_rows, counts.audit_head, err, errlen) ==
	    -1)
		return -1;
	if ((n = alerts_digest(cfg, &counts, day, m)) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (queue_messages(s, 0, m, n, now, queued, err, errlen) == -1)
		return -1;
	return store_set_meta_int(s, DIGEST_DAY_META, day, err, errlen);
}

/* Does retention take anything away ([retention] set)? */
static int
retention_on(const struct config *cfg)
{
	return cfg->retention.identity_after > 0 ||
	    cfg->retention.text_after > 0;
}

/* Retention, once a local day.  0 or -1. */
static int
watch_retention(struct store *s, const struct config *cfg, time_t now,
    char *err, size_t errlen)
{
	int day = (int)calendar_local_day(now, cfg->sla.utc_offset);
	struct retention_result r;
	long long last;
	int rc;

	if (!retention_on(cfg))
		return 0;
	if ((rc = store_meta_int(s, RETENTION_DAY_META, &last)) == -1) {
		snprintf(err, errlen, "reading the retention's day");
		return -1;
	}
	if (rc == 0 && last >= day)
		return 0;
	if (retention_apply(s, cfg->retention.identity_after,
		cfg->retention.text_after, now, 0, "hotline:retention", NULL,
		NULL, &r, err, errlen) == -1)
		return -1;
	if (r.identities > 0 || r.texts > 0)
		log_msg(LOG_INFO, "retention", "identities=%lld texts=%lld",
		    r.identities, r.texts);
	return store_set_meta_int(s, RETENTION_DAY_META, day, err, errlen);
}

int
watch_pass(struct store *s, const struct config *cfg, time_t now, int *queued,
    char *err, size_t errlen)
{
	struct store_case cases[WATCH_BATCH];
	int n, i, rc = 0;

	if (watch_digest(s, cfg, now, queued, err, errlen) == -1 ||
	    watch_retention(s, cfg, now, err, errlen) == -1)
		return -1;
	if ((n = store_due_cases(s, now, cases, WATCH_BATCH, err, errlen)) ==
	    -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = watch_case(s, cfg, &cases[i], now, queued, err, errlen);
	store_cases_free(cases, n);
	return rc == 0 ? n : -1;
}

struct watch {
	const struct config *cfg;
	struct writer *writer;
	struct dispatcher *dispatcher;
	struct store *store; /* read-only: when is the next pass due? */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stopping;
	long long digest_day;	 /* the last digest's local day, -1: unknown */
	long long retention_day; /* the same for retention */
	int deferred; /* ticks a due pass has waited for the intake */
};

/* One pass through the writer. */
struct pass {
	const struct config *cfg;
	time_t now;
	int looked, queued;
};

static int
apply_pass(struct store *s, void *arg, char *err, size_t errlen)
{
	struct pass *p = arg;

	p->queued = 0;
	p->looked = watch_pass(s, p->cfg, p->now, &p->queued, err, errlen);
	return p->looked == -1 ? -1 : 0;
}

/* Is anything due at now (a report, or the digest)? */
static int
pass_due(struct watch *w, time_t now)
{
	const struct config *cfg = w->cfg;
	char err[256];
	time_t at;
	long long last;

	if (cfg->digest.to != NULL) {
		if (w->digest_day < 0 &&
		    store_meta_int(w->store, DIGEST_DAY_META, &last) == 0)
			w->digest_day = last;
		if (w->digest_day <
			calendar_local_day(now, cfg->sla.utc_offset) &&
		    ((long)(now + cfg->sla.utc_offset) % 86400) / 60 >=
			cfg->digest.at_minutes)
			return 1;
	}
	if (retention_on(cfg)) {
		if (w->retention_day < 0 &&
		    store_meta_int(w->store, RETENTION_DAY_META, &last) == 0)
			w->retention_day = last;
		if (w->retention_day <
		    calendar_local_day(now, cfg->sla.utc_offset))
			return 1;
	}
	return store_next_watch(w->store, &at, err, sizeof err) == 0 &&
	    at <= now;
}

static void *
watch_main(void *arg)
{
	struct watch *w = arg;
	struct timespec until;
	struct pass p;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->lock);
		p.cfg = w->cfg;
		p.now = time(NULL);
		p.looked = 0;
		/*
		 * Under a burst of webhooks the writer's commits go to the
		 * intake first; the alerts follow within seconds.
		 */
		if (writer_idle_ms(w->writer) < INTAKE_QUIET_MS &&
		    w->deferred < MAX_DEFER_TICKS && pass_due(w, p.now))
			w->deferred++;
		else if (pass_due(w, p.now)) {
			w->deferred = 0;
			if (writer_run(w->writer, apply_pass, &p) == -1) {
				log_msg(LOG_ERROR, "watch_error",
				    "reason=\"pass not stored; retrying\"");
				p.looked = 0;
			} else {
				w->digest_day = -1; /* read them again */
				w->retention_day = -1;
				if (p.queued > 0) {
					log_msg(LOG_INFO, "watch",
					    "reports=%d messages=%d", p.looked,
					    p.queued);
					dispatcher_wake(w->dispatcher);
				}
			}
		}
		pthread_mutex_lock(&w->lock);
		if (p.looked == WATCH_BATCH || w->stopping)
			continue; /* more are due */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct watch *
watch_start(const struct config *cfg, struct writer *writer,
    struct dispatcher *dispatcher, char *err, size_t errlen)
{
	struct watch *w;

	if ((w = calloc(1, sizeof *w)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->cfg = cfg;
	w->writer = writer;
	w->dispatcher = dispatcher;
	w->digest_day = -1;
	w->retention_day = -1;
	if ((w->store = store_open(
		 cfg->server.database, STORE_READONLY, err, errlen)) == NULL) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		snprintf(err, errlen, "cannot start the deadline thread");
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		store_close(w->store);
		free(w);
		return NULL;
	}
	pthread_setname_np(w->thread, "watcher");
	return w;
}

void
watch_stop(struct watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	store_close(w->store);
	free(w);
}
