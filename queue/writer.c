/*
 * writer: group commit on one thread.
 *
 * The queue is a bounded singly linked list under one mutex.  The thread
 * sleeps until a job arrives, then takes jobs until WRITER_MAX_BATCH
 * reports are gathered, writes them all in one BEGIN IMMEDIATE ... COMMIT,
 * and calls each job's done() with the outcome.  Batches form by
 * themselves under load (no linger timer): while one commit waits for its
 * fsync, the next requests queue up.  When idle it checks now and then
 * that the database can still take the write lock, for /readyz.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "queue/writer.h"

#define CHECKPOINT_MS	   500
#define IDLE_CHECK_SECONDS 2

struct writer {
	struct store *store;
	char *prefix;
	writer_observer observer;
	void *observer_arg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_cond_t stop; /* wakes the checkpointer to stop */
	struct writer_job *head, *tail;
	size_t queued;
	int stopping;
	atomic_int healthy;
	struct store *checkpoints; /* the checkpointer's connection */
	pthread_t checkpointer;
	atomic_llong
	    last_rows_ms; /* when rows of webhooks were last committed */
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
job_rows(const struct writer_job *j)
{
	return j->nreports + j->nfollowups + j->nstatuses + (j->apply != NULL);
}

/* Take jobs off the queue until the batch holds WRITER_MAX_BATCH rows. */
static struct writer_job *
take_batch(struct writer *w)
{
	struct writer_job *first = w->head, *last = w->head, *j;
	size_t rows;

	assert(w->queued > 0); /* and so a head: see below */
	rows = job_rows(first);
	w->queued--;
	for (j = first->next; j != NULL; j = j->next) {
		if (rows + job_rows(j) > WRITER_MAX_BATCH)
			break;
		rows += job_rows(j);
		last = j;
		assert(w->queued > 0);
		w->queued--;
	}
	/* one job alone may be larger; jobs together never are */
	assert(first == last || rows <= WRITER_MAX_BATCH);
	w->head = last->next;
	if (w->head == NULL)
		w->tail = NULL;
	assert((w->head == NULL) == (w->queued == 0));
	last->next = NULL;
	return first;
}

static int
write_job(struct writer *w, struct writer_job *j, char *err, size_t errlen)
{
	size_t i;

	j->stored = j->duplicates = 0;
	for (i = 0; i < j->nreports; i++) {
		if (store_insert_report(
			w->store, &j->reports[i], w->prefix, err, errlen) == -1)
			return -1;
		if (j->reports[i].duplicate)
			j->duplicates++;
		else
			j->stored++;
	}
	for (i = 0; i < j->nfollowups; i++) {
		if (store_insert_followup(
			w->store, &j->followups[i], err, errlen) == -1)
			return -1;
		if (j->followups[i].duplicate)
			j->duplicates++;
	}
	for (i = 0; i < j->nstatuses; i++)
		if (store_insert_status(
			w->store, &j->statuses[i], err, errlen) == -1)
			return -1;
	if (j->apply != NULL)
		return j->apply(w->store, j->apply_arg, err, errlen);
	return 0;
}

/* Only the worker's own writes (no webhook's rows)? */
static int
batch_is_apply_only(const struct writer_job *j)
{
	for (; j != NULL; j = j->next)
		if (j->nreports + j->nfollowups + j->nstatuses > 0)
			return 0;
	return 1;
}

static void
commit_batch(struct writer *w, struct writer_job *batch)
{
	struct writer_job *j, *next;
	char err[256];
	double t0 = now_seconds();
	size_t rows = 0;
	int rc;

	rc = store_begin(w->store, err, sizeof err);
	for (j = batch; rc == 0 && j != NULL; j = j->next) {
		rc = write_job(w, j, err, sizeof err);
		rows += job_rows(j);
	}
	if (rc == 0)
		rc = store_commit(w->store, err, sizeof err);
	if (rc == -1)
		store_rollback(w->store);
	atomic_store(&w->healthy, rc == 0);
	if (rows > 0 && !batch_is_apply_only(batch))
		atomic_store(
		    &w->last_rows_ms, (long long)(now_seconds() * 1e3));
	if (w->observer != NULL)
		w->observer(w->observer_arg, now_seconds() - t0, rows, rc == 0);
	for (j = batch; j != NULL; j = next) {
		next = j->next;
		j->next = NULL;
		j->done(j, rc);
	}
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct writer_job *batch;
	struct timespec deadline;
	char err[256];

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stopping) {
			clock_gettime(CLOCK_REALTIME, &deadline);
			deadline.tv_sec += IDLE_CHECK_SECONDS;
			if (pthread_cond_timedwait(
				&w->wake, &w->lock, &deadline) == ETIMEDOUT) {
				pthread_mutex_unlock(&w->lock);
				atomic_store(&w->healthy,
				    store_check_writable(
					w->store, err, sizeof err) == 0);
				pthread_mutex_lock(&w->lock);
			}
		}
		if (w->head == NULL && w->stopping)
			break;
		batch = take_batch(w);
		pthread_mutex_unlock(&w->lock);
		commit_batch(w, batch);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * The checkpointer: every CHECKPOINT_MS, copy the WAL's committed frames
 * into the database (PASSIVE: never blocks the writer), so that commits
 * never pay for a checkpoint and the WAL stays small.
 */
static void *
checkpointer_main(void *arg)
{
	struct writer *w = arg;
	struct timespec deadline;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += CHECKPOINT_MS * 1000000L;
		deadline.tv_sec += deadline.tv_nsec / 1000000000L;
		deadline.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&w->stop, &w->lock, &deadline);
		pthread_mutex_unlock(&w->lock);
		store_checkpoint(w->checkpoints);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Tell the threads to stop (the writer finishes its queue) and join. */
static void
stop_threads(struct writer *w, int checkpointer)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_cond_broadcast(&w->stop);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	if (checkpointer)
		pthread_join(w->checkpointer, NULL);
}

struct writer *
writer_start(const char *path, const char *prefix, writer_observer observer,
    void *observer_arg, char *err, size_t errlen)
{
	struct writer *w;

	if ((w = calloc(1, sizeof *w)) == NULL ||
	    (w->prefix = strdup(prefix)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((w->store = store_open(path, STORE_READWRITE, err, errlen)) == NULL)
		goto fail;
	/*
	 * A checkpoint inside a commit holds up every webhook of the batch:
	 * the checkpointer thread does them beside the writer instead; this
	 * is only the safety net should it fall behind.
	 */
	store_defer_checkpoints(w->store, 100000);
	if ((w->checkpoints = store_open(path, STORE_READWRITE, err, errlen)) ==
	    NULL)
		goto fail;
	w->observer = observer;
	w->observer_arg = observer_arg;
	atomic_init(&w->healthy, 1);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->stop, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		goto fail_threads;
	}
	if (pthread_create(&w->checkpointer, NULL, checkpointer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the checkpointer thread");
		stop_threads(w, 0);
		goto fail_threads;
	}
	pthread_setname_np(w->thread, "writer");
	pthread_setname_np(w->checkpointer, "checkpointer");
	return w;
fail_threads:
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->stop);
fail:
	if (w != NULL) {
		store_close(w->checkpoints);
		store_close(w->store);
		free(w->prefix);
		free(w);
	}
	return NULL;
}

const unsigned char *
writer_dedupe_key(const struct writer *w)
{
	return store_dedupe_key(w->store);
}

int
writer_submit(struct writer *w, struct writer_job *j)
{
	int rc = -1;

	j->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (!w->stopping && w->queued < WRITER_MAX_QUEUE) {
		if (w->tail != NULL)
			w->tail->next = j;
		else
			w->head = j;
		w->tail = j;
		w->queued++;
		assert(w->queued <= WRITER_MAX_QUEUE);
		rc = 0;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

size_t
writer_queued(struct writer *w)
{
	size_t n;

	pthread_mutex_lock(&w->lock);
	n = w->queued;
	pthread_mutex_unlock(&w->lock);
	return n;
}

int
writer_healthy(struct writer *w)
{
	return atomic_load(&w->healthy);
}

void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	stop_threads(w, 1);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->stop);
	store_close(w->checkpoints);
	store_close(w->store);
	free(w->prefix);
	free(w);
}

long long
writer_idle_ms(struct writer *w)
{
	return (long long)(now_seconds() * 1e3) - atomic_load(&w->last_rows_ms);
}

/* A job whose submitter waits for its outcome. */
struct run_wait {
	struct writer_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done, result;
};

static void
run_done(struct writer_job *job, int result)
{
	struct run_wait *w = job->arg;

	pthread_mutex_lock(&w->lock);
	w->result = result;
	w->done = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int
writer_run(struct writer *wr,
    int (*apply)(struct store *, void *, char *, size_t), void *arg)
{
	struct run_wait w;

	memset(&w, 0, sizeof w);
	w.job.apply = apply;
	w.job.apply_arg = arg;
	w.job.done = run_done;
	w.job.arg = &w;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	if (writer_submit(wr, &w.job) == -1)
		w.result = -1;
	else {
		pthread_mutex_lock(&w.lock);
		while (!w.done)
			pthread_cond_wait(&w.cond, &w.lock);
		pthread_mutex_unlock(&w.lock);
	}
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return w.result;
}
