/*
 * ratelimit: a fixed-size, direct-mapped table of per-sender counters for
 * the current window.  The sender's tag picks the slot, which holds the
 * window it counts and the count.  Two senders whose tags fall in one
 * slot in the same window share a counter (a rare false positive, never a
 * leak); a stale slot is simply taken over.  The table never grows, and
 * holds no tag: memory is bounded whatever the traffic.
 */
#include <pthread.h>
#include <stdlib.h>

#include "queue/ratelimit.h"

#define SLOTS 65536
#define LOCKS 64

struct slot {
	long long window;
	int count;
};

struct ratelimit {
	int limit;
	int window_seconds;
	struct slot *slots;
	pthread_mutex_t locks[LOCKS];
};

struct ratelimit *
ratelimit_new(int limit, int window_seconds)
{
	struct ratelimit *r;
	int i;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	if ((r->slots = calloc(SLOTS, sizeof *r->slots)) == NULL) {
		free(r);
		return NULL;
	}
	r->limit = limit;
	r->window_seconds = window_seconds > 0 ? window_seconds : 60;
	for (i = 0; i < LOCKS; i++)
		pthread_mutex_init(&r->locks[i], NULL);
	return r;
}

void
ratelimit_free(struct ratelimit *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < LOCKS; i++)
		pthread_mutex_destroy(&r->locks[i]);
	free(r->slots);
	free(r);
}

/* The slot of tag, locked, with its count for now's window. */
static struct slot *
lock_slot(struct ratelimit *r, const unsigned char tag[MEMKEY_TAG_BYTES],
    time_t now, pthread_mutex_t **lock)
{
	long long window = (long long)now / r->window_seconds;
	unsigned idx = ((unsigned)tag[0] | (unsigned)tag[1] << 8) % SLOTS;
	struct slot *s = &r->slots[idx];

	*lock = &r->locks[idx % LOCKS];
	pthread_mutex_lock(*lock);
	if (s->window != window) {
		s->window = window;
		s->count = 0;
	}
	return s;
}

int
ratelimit_allow(
    struct ratelimit *r, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now)
{
	pthread_mutex_t *lock;
	struct slot *s = lock_slot(r, tag, now, &lock);
	int allowed = ++s->count <= r->limit;

	pthread_mutex_unlock(lock);
	return allowed;
}

int
ratelimit_take(struct ratelimit *r, const unsigned char tag[MEMKEY_TAG_BYTES],
    time_t now, int n)
{
	pthread_mutex_t *lock;
	struct slot *s = lock_slot(r, tag, now, &lock);
	int allowed = s->count + n <= r->limit;

	if (allowed)
		s->count += n;
	pthread_mutex_unlock(lock);
	return allowed;
}

void
ratelimit_give_back(struct ratelimit *r,
    const unsigned char tag[MEMKEY_TAG_BYTES], time_t now, int n)
{
	pthread_mutex_t *lock;
	struct slot *s = lock_slot(r, tag, now, &lock);

	s->count = s->count > n ? s->count - n : 0;
	pthread_mutex_unlock(lock);
}
