/*
 * webwork: the thread that does the web views' work, so that no login
 * (Argon2id), CSV export or long page ever runs on a thread that answers
 * webhooks.  A request is suspended, its job queued here, and resumed once
 * the job is done.  A bounded queue: when it is full a job is refused.
 */
#ifndef HOTLINE_WEBWORK_H
#define HOTLINE_WEBWORK_H

#include <stddef.h>

#define WEBWORK_QUEUE_MAX 256

struct webwork_job {
	void (*run)(struct webwork_job *);
	struct webwork_job *next;
};

struct webwork;

struct webwork *webwork_start(char *err, size_t errlen);

/* Queue job: 0, or -1 when the queue is full or the thread stopping. */
int webwork_submit(struct webwork *, struct webwork_job *);

/* Do every queued job, then stop.  NULL is fine. */
void webwork_stop(struct webwork *);

#endif
