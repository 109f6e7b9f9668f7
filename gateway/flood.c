/*
 * flood: a fixed-size, direct-mapped table of per-sender counters for the
 * current minute.  A keyed tag of (channel, sender) picks the slot, which
 * holds the minute it counts and the count.  Two senders whose tags fall
 * in one slot in the same minute share a counter (a rare false positive,
 * never a leak); a stale slot is simply taken over.  The table never
 * grows: memory is bounded whatever the traffic, and holds no tag.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gateway/flood.h"

#define FLOOD_SLOTS 65536
#define FLOOD_LOCKS 64
#define TAG_BYTES   16

struct slot {
	long long minute;
	int count;
};

struct flood {
	int per_minute;
	unsigned char *key; /* sodium_malloc: never swapped or dumped */
	struct slot *slots;
	pthread_mutex_t locks[FLOOD_LOCKS];
};

struct flood *
flood_new(int per_minute)
{
	struct flood *f;
	int i;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->per_minute = per_minute;
	f->key = sodium_malloc(crypto_generichash_KEYBYTES);
	f->slots = calloc(FLOOD_SLOTS, sizeof *f->slots);
	if (f->key == NULL || f->slots == NULL) {
		flood_free(f);
		return NULL;
	}
	randombytes_buf(f->key, crypto_generichash_KEYBYTES);
	sodium_mprotect_readonly(f->key);
	for (i = 0; i < FLOOD_LOCKS; i++)
		pthread_mutex_init(&f->locks[i], NULL);
	return f;
}

void
flood_free(struct flood *f)
{
	int i;

	if (f == NULL)
		return;
	if (f->slots != NULL)
		for (i = 0; i < FLOOD_LOCKS; i++)
			pthread_mutex_destroy(&f->locks[i]);
	if (f->key != NULL)
		sodium_free(f->key);
	free(f->slots);
	free(f);
}

int
flood_allow(
    struct flood *f, const char *channel, const char *sender, time_t now)
{
	crypto_generichash_state st;
	unsigned char tag[TAG_BYTES];
	long long minute = (long long)now / 60;
	struct slot *s;
	unsigned idx;
	int allowed;

	crypto_generichash_init(
	    &st, f->key, crypto_generichash_KEYBYTES, TAG_BYTES);
	crypto_generichash_update(
	    &st, (const unsigned char *)channel, strlen(channel) + 1);
	crypto_generichash_update(
	    &st, (const unsigned char *)sender, strlen(sender));
	crypto_generichash_final(&st, tag, TAG_BYTES);
	idx = ((unsigned)tag[0] | (unsigned)tag[1] << 8) % FLOOD_SLOTS;
	s = &f->slots[idx];

	pthread_mutex_lock(&f->locks[idx % FLOOD_LOCKS]);
	if (s->minute != minute) {
		s->minute = minute;
		s->count = 0;
	}
	allowed = ++s->count <= f->per_minute;
	pthread_mutex_unlock(&f->locks[idx % FLOOD_LOCKS]);
	sodium_memzero(tag, sizeof tag);
	return allowed;
}
