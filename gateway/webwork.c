/*
 * webwork: one thread and a linked list under a mutex.  One thread is
 * enough: the web views have few users, and their heaviest work (a
 * login's Argon2id) should not take both cores from the webhooks anyway.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "gateway/webwork.h"

struct webwork {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct webwork_job *head, *tail;
	size_t queued;
	int stopping;
};

static void *
webwork_main(void *arg)
{
	struct webwork *w = arg;
	struct webwork_job *j;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		if ((j = w->head) != NULL) {
			if ((w->head = j->next) == NULL)
				w->tail = NULL;
			w->queued--;
			pthread_mutex_unlock(&w->lock);
			j->run(j);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		if (w->stopping)
			break;
		pthread_cond_wait(&w->wake, &w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct webwork *
webwork_start(char *err, size_t errlen)
{
	struct webwork *w;

	if ((w = calloc(1, sizeof *w)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, webwork_main, w) != 0) {
		snprintf(err, errlen, "cannot start the web views' thread");
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		return NULL;
	}
	pthread_setname_np(w->thread, "web");
	return w;
}

int
webwork_submit(struct webwork *w, struct webwork_job *j)
{
	int rc = -1;

	j->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (!w->stopping && w->queued < WEBWORK_QUEUE_MAX) {
		if (w->tail != NULL)
			w->tail->next = j;
		else
			w->head = j;
		w->tail = j;
		w->queued++;
		rc = 0;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void
webwork_stop(struct webwork *w)
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
	free(w);
}
