/*
 * smssync_poll: implements gateway/smssync_poll.h.  A handed-out message
 * lives in this process (its number and text, in the answer) only until
 * the answer is sent; what stays is its uuid's keyed hash on the outbox
 * row, and the uuid itself in the waiting list below.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "gateway/smssync_poll.h"
#include "queue/dispatcher.h"
#include "queue/store.h"

#define WAITING_MAX  1024		  /* uuids remembered for a result */
#define WAITING_KEEP (48LL * 3600 * 1000) /* ms a uuid waits at most */
#define TO_MAX	     300
#define TEXT_MAX     8192

struct waiting {
	char uuid[SMSSYNC_UUID_SIZE];
	char channel[64];
	long long since_ms;
};

struct smssync_poll {
	const struct config *cfg;
	struct writer *writer;
	const struct memkey *key;
	pthread_mutex_t lock;
	struct waiting w[WAITING_MAX];
	size_t n;
};

static long long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct smssync_poll *
smssync_poll_new(
    const struct config *cfg, struct writer *writer, const struct memkey *key)
{
	struct smssync_poll *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->cfg = cfg;
	p->writer = writer;
	p->key = key;
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void
smssync_poll_free(struct smssync_poll *p)
{
	if (p == NULL)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Remember uuid as waiting for its result (the oldest forgotten). */
static void
wait_for(struct smssync_poll *p, const char *channel, const char *uuid)
{
	struct waiting *w;

	pthread_mutex_lock(&p->lock);
	if (p->n == WAITING_MAX) {
		memmove(&p->w[0], &p->w[1], (WAITING_MAX - 1) * sizeof p->w[0]);
		p->n--;
	}
	w = &p->w[p->n++];
	snprintf(w->uuid, sizeof w->uuid, "%s", uuid);
	snprintf(w->channel, sizeof w->channel, "%s", channel);
	w->since_ms = now_ms();
	pthread_mutex_unlock(&p->lock);
}

/* Forget uuid (its result came), and whatever waited too long. */
static void
forget(struct smssync_poll *p, const char *uuid)
{
	long long cut = now_ms() - WAITING_KEEP;
	size_t i, j = 0;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++)
		if (p->w[i].since_ms >= cut &&
		    (uuid == NULL || strcmp(p->w[i].uuid, uuid) != 0))
			p->w[j++] = p->w[i];
	p->n = j;
	pthread_mutex_unlock(&p->lock);
}

/* task=send: the due rows, each opened, under a fresh uuid. */
struct handout {
	struct smssync_poll *p;
	const struct channel *ch;
	struct smssync_out out[SMSSYNC_BATCH];
	char to[SMSSYNC_BATCH][TO_MAX];
	char *text[SMSSYNC_BATCH];
	size_t n;
	struct store *s;
	long long now;
	int failed;
	char err[256];
};

static int
hand_out(const struct store_outbox_row *row, void *arg)
{
	struct handout *h = arg;
	unsigned char hash[STORE_HASH_BYTES];
	struct smssync_out *o = &h->out[h->n];
	char *text;

	if (h->n == SMSSYNC_BATCH)
		return -1;
	if (row->attempts >= h->p->cfg->dispatch.max_attempts) {
		/* handed out that often and never confirmed: dead */
		if (store_outbox_result(h->s, row->id, "dead", NULL, h->now,
			"the SMSSync phone never confirmed it", h->now, h->err,
			sizeof h->err) == -1)
			return h->failed = 1, -1;
		return 0;
	}
	if ((text = sodium_malloc(TEXT_MAX)) == NULL)
		return h->failed = 1, -1;
	if (outbox_open_message(
		h->p->key, row, h->to[h->n], TO_MAX, text, TEXT_MAX) == -1) {
		sodium_free(text);
		return store_outbox_result(h->s, row->id, "dead", NULL, h->now,
			   "address lost at restart", h->now, h->err,
			   sizeof h->err) == -1
		    ? (h->failed = 1, -1)
		    : 0;
	}
	h->text[h->n] = text;
	smssync_new_uuid(o->uuid);
	store_provider_hash(h->s, h->ch->name, o->uuid, hash);
	/* failed until the phone confirms: handed out again after that */
	if (store_outbox_claim(h->s, row->id, h->now, h->err, sizeof h->err) !=
		0 ||
	    store_outbox_result(h->s, row->id, "failed", hash,
		h->now + SMSSYNC_CONFIRM_MS,
		"handed to the SMSSync phone; not confirmed yet", h->now,
		h->err, sizeof h->err) == -1) {
		sodium_free(text);
		h->text[h->n] = NULL;
		return h->failed = 1, -1;
	}
	o->to = h->to[h->n];
	o->message = text;
	h->n++;
	return 0;
}

static int
apply_handout(struct store *s, void *arg, char *err, size_t errlen)
{
	struct handout *h = arg;

	h->s = s;
	h->n = 0;
	h->failed = 0;
	if (store_each_due_on(s, h->ch->name, h->now, SMSSYNC_BATCH * 2,
		hand_out, h, err, errlen) == -1 ||
	    h->failed) {
		if (h->failed)
			snprintf(err, errlen, "%s", h->err);
		return -1;
	}
	return 0;
}

static void
handout_wipe(struct handout *h)
{
	size_t i;

	for (i = 0; i < SMSSYNC_BATCH; i++)
		if (h->text[i] != NULL) {
			sodium_free(h->text[i]);
			h->text[i] = NULL;
		}
	sodium_memzero(h->to, sizeof h->to);
}

static int
task_send(struct smssync_poll *p, const struct channel *ch, char **body,
    char *err, size_t errlen)
{
	struct handout *h = sodium_malloc(sizeof *h);
	size_t i;
	int rc = 503;

	if (h == NULL)
		return snprintf(err, errlen, "out of memory"), 503;
	memset(h, 0, sizeof *h);
	h->p = p;
	h->ch = ch;
	h->now = now_ms();
	if (writer_run(p->writer, apply_handout, h) == -1) {
		snprintf(err, errlen, "the outbox cannot be read now");
		goto done;
	}
	if ((*body = smssync_send_answer(ch, h->out, h->n)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < h->n; i++)
		wait_for(p, ch->name, h->out[i].uuid);
	rc = 200;
done:
	handout_wipe(h);
	sodium_free(h);
	return rc;
}

/* task=sent and task=result: each uuid's outcome, as delivery reports. */
struct outcomes {
	const struct channel *ch;
	struct smssync_result r[SMSSYNC_RESULTS];
	int n;
};

static int
apply_outcomes(struct store *s, void *arg, char *err, size_t errlen)
{
	struct outcomes *o = arg;
	struct store_status e;
	int i;

	for (i = 0; i < o->n; i++) {
		const struct smssync_result *r = &o->r[i];

		memset(&e, 0, sizeof e);
		e.channel = o->ch->name;
		store_provider_hash(s, o->ch->name, r->uuid, e.message);
		e.status = !r->sent	? "failed"
		    : r->delivered == 1 ? "delivered"
		    : r->delivered == 0 ? "undelivered"
					: "sent";
		e.at = time(NULL);
		/* "sent" first: a delivery report alone moves it too */
		if (store_insert_status(s, &e, err, errlen) == -1)
			return -1;
	}
	return 0;
}

static int
task_outcomes(struct smssync_poll *p, const struct channel *ch,
    const struct webhook_request *req, enum smssync_task task, char **body,
    char *err, size_t errlen)
{
	struct outcomes *o = calloc(1, sizeof *o);
	char(*uuids)[SMSSYNC_UUID_SIZE] = NULL;
	int i, rc = 400;

	if (o == NULL)
		return snprintf(err, errlen, "out of memory"), 503;
	o->ch = ch;
	if (task == SMSSYNC_SENT) {
		if ((uuids = calloc(SMSSYNC_RESULTS, sizeof *uuids)) == NULL)
			goto oom;
		o->n = smssync_queued(
		    req->body, req->body_len, uuids, SMSSYNC_RESULTS);
		for (i = 0; i < o->n; i++) {
			memcpy(o->r[i].uuid, uuids[i], SMSSYNC_UUID_SIZE);
			o->r[i].sent = 1;
			o->r[i].delivered = -1;
		}
	} else
		o->n = smssync_results(
		    req->body, req->body_len, o->r, SMSSYNC_RESULTS);
	if (o->n < 0) {
		snprintf(err, errlen, "body is not %s JSON",
		    task == SMSSYNC_SENT ? "queued_messages"
					 : "message_result");
		goto done;
	}
	if (writer_run(p->writer, apply_outcomes, o) == -1) {
		snprintf(err, errlen, "the outbox cannot be written now");
		rc = 503;
		goto done;
	}
	for (i = 0; task == SMSSYNC_RESULT && i < o->n; i++)
		if (o->r[i].delivered != -1 || !o->r[i].sent)
			forget(p, o->r[i].uuid);
	if (uuids == NULL &&
	    (uuids = calloc(SMSSYNC_RESULTS, sizeof *uuids)) == NULL)
		goto oom;
	for (i = 0; i < o->n; i++)
		memcpy(uuids[i], o->r[i].uuid, SMSSYNC_UUID_SIZE);
	if ((*body = smssync_uuids_answer(
		 (const char(*)[SMSSYNC_UUID_SIZE])uuids, (size_t)o->n)) ==
	    NULL)
		goto oom;
	rc = 200;
	goto done;
oom:
	snprintf(err, errlen, "out of memory");
	rc = 503;
done:
	free(uuids);
	free(o);
	return rc;
}

/* GET task=result: the uuids of this channel still waiting. */
static int
task_queued(struct smssync_poll *p, const struct channel *ch, char **body,
    char *err, size_t errlen)
{
	char(*uuids)[SMSSYNC_UUID_SIZE] = calloc(WAITING_MAX, sizeof *uuids);
	size_t i, n = 0;

	if (uuids == NULL)
		return snprintf(err, errlen, "out of memory"), 503;
	forget(p, NULL);
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++)
		if (strcmp(p->w[i].channel, ch->name) == 0)
			memcpy(uuids[n++], p->w[i].uuid, SMSSYNC_UUID_SIZE);
	pthread_mutex_unlock(&p->lock);
	*body =
	    smssync_uuids_answer((const char(*)[SMSSYNC_UUID_SIZE])uuids, n);
	free(uuids);
	if (*body == NULL)
		return snprintf(err, errlen, "out of memory"), 503;
	return 200;
}

int
smssync_poll_answer(struct smssync_poll *p, const struct channel *ch,
    const struct webhook_request *req, enum smssync_task task, char **body,
    char *err, size_t errlen)
{
	int rc;

	*body = NULL;
	if ((rc = smssync_task_auth(ch, req)) != 0) {
		snprintf(err, errlen, "%s",
		    rc == 401 ? "missing secret" : "secret does not match");
		return rc;
	}
	switch (task) {
	case SMSSYNC_SEND:
		return task_send(p, ch, body, err, errlen);
	case SMSSYNC_SENT:
	case SMSSYNC_RESULT:
		return task_outcomes(p, ch, req, task, body, err, errlen);
	case SMSSYNC_QUEUED:
		return task_queued(p, ch, body, err, errlen);
	default:
		snprintf(err, errlen,
		    "task must be send (GET), sent (POST) or result");
		return 400;
	}
}
