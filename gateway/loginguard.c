/*
 * loginguard: a direct-mapped table of failure counts under one mutex.
 * Two tags that fall in one slot share it only until the newer takes it
 * over: at worst a count restarts, never a stranger's wait.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gateway/loginguard.h"

#define SLOTS 4096

struct slot {
	unsigned char tag[MEMKEY_TAG_BYTES];
	int failures;
	time_t last; /* 0: free */
};

struct loginguard {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
};

struct loginguard *
loginguard_new(void)
{
	struct loginguard *g;

	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	pthread_mutex_init(&g->lock, NULL);
	return g;
}

void
loginguard_free(struct loginguard *g)
{
	if (g == NULL)
		return;
	pthread_mutex_destroy(&g->lock);
	sodium_memzero(g->slots, sizeof g->slots);
	free(g);
}

static struct slot *
home(struct loginguard *g, const unsigned char tag[MEMKEY_TAG_BYTES])
{
	return &g->slots[((unsigned)tag[0] | (unsigned)tag[1] << 8) % SLOTS];
}

/* The slot of tag, or NULL when it holds another's (or expired) count. */
static struct slot *
slot_of(struct loginguard *g, const unsigned char tag[MEMKEY_TAG_BYTES],
    time_t now, int take)
{
	struct slot *s = home(g, tag);

	if (s->last != 0 && now - s->last < LOGINGUARD_FORGET &&
	    sodium_memcmp(s->tag, tag, MEMKEY_TAG_BYTES) == 0)
		return s;
	if (!take)
		return NULL;
	memcpy(s->tag, tag, MEMKEY_TAG_BYTES);
	s->failures = 0;
	s->last = now;
	return s;
}

static long
delay(int failures)
{
	int n = failures - LOGINGUARD_FREE;

	if (n < 0)
		return 0;
	return n >= 10 || (1L << n) > LOGINGUARD_MAX_WAIT ? LOGINGUARD_MAX_WAIT
							  : 1L << n;
}

long
loginguard_wait(
    struct loginguard *g, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now)
{
	struct slot *s;
	long wait = 0;

	pthread_mutex_lock(&g->lock);
	if ((s = slot_of(g, tag, now, 0)) != NULL &&
	    s->last + delay(s->failures) > now)
		wait = (long)(s->last + delay(s->failures) - now);
	pthread_mutex_unlock(&g->lock);
	return wait;
}

void
loginguard_failed(
    struct loginguard *g, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now)
{
	struct slot *s;

	pthread_mutex_lock(&g->lock);
	s = slot_of(g, tag, now, 1);
	s->failures++;
	s->last = now;
	pthread_mutex_unlock(&g->lock);
}

void
loginguard_succeeded(
    struct loginguard *g, const unsigned char tag[MEMKEY_TAG_BYTES])
{
	struct slot *s;

	s = home(g, tag);
	pthread_mutex_lock(&g->lock);
	if (sodium_memcmp(s->tag, tag, MEMKEY_TAG_BYTES) == 0)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&g->lock);
}
