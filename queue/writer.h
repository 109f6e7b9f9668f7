/*
 * writer: the one thread that writes intake to the database.  Request
 * handlers hand it jobs and return at once; it takes everything queued (up
 * to WRITER_MAX_BATCH reports) into one transaction, commits, and only then
 * tells each job's owner the outcome.  Many requests share one fsync
 * (group commit), and a webhook is never answered before its commit.
 */
#ifndef HOTLINE_WRITER_H
#define HOTLINE_WRITER_H

#include <stddef.h>

#include "queue/store.h"

#define WRITER_MAX_BATCH 64   /* reports per transaction */
#define WRITER_MAX_QUEUE 4096 /* jobs waiting; beyond that: busy */

struct writer;

struct writer_job {
	struct store_report *reports;
	size_t nreports;
	struct store_followup *followups;
	size_t nfollowups;
	struct store_status *statuses;
	size_t nstatuses;
	/* Optional: more writes inside the same transaction (0 or -1). */
	int (*apply)(struct store *, void *arg, char *err, size_t errlen);
	void *apply_arg;
	/*
	 * Called on the writer thread after the commit (result 0) or a
	 * failed transaction (-1).  stored and duplicates are filled in.
	 */
	void (*done)(struct writer_job *, int result);
	void *arg;
	size_t stored;
	size_t duplicates;
	struct writer_job *next;
};

typedef void (*writer_observer)(void *arg, double seconds, size_t rows, int ok);

/*
 * Open the database at path and start the thread.  report_prefix draws
 * new codes on a clash.  observe, when not NULL, is called with arg after
 * every transaction with its duration in seconds and row count.
 */
struct writer *writer_start(const char *path, const char *report_prefix,
    writer_observer observe, void *arg, char *err, size_t errlen);

/* The dedupe key of the database (valid while the writer runs). */
const unsigned char *writer_dedupe_key(const struct writer *);

/*
 * Queue a job.  Returns 0, or -1 when the queue is full or the writer is
 * stopping (answer 503: the provider will retry).
 */
int writer_submit(struct writer *, struct writer_job *);

/*
 * Run apply inside one of the writer's transactions and wait for the
 * commit: every write goes through the one writer (group commit, one
 * write lock).  Returns 0 once committed, -1 otherwise.  Not on the
 * writer's own thread.
 */
int writer_run(struct writer *,
    int (*apply)(struct store *, void *arg, char *err, size_t errlen),
    void *arg);

/* Jobs waiting now. */
size_t writer_queued(struct writer *);

/* Milliseconds since the writer last committed webhook rows (CLOCK_MONOTONIC).
 */
long long writer_idle_ms(struct writer *);

/* Is the database writable?  Asked through the writer's own thread. */
int writer_healthy(struct writer *);

/* Finish every queued job, stop the thread, close the database. */
void writer_stop(struct writer *);

#endif
