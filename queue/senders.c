/*
 * senders: an open-addressing table of SENDERS_SLOTS states, probed over
 * PROBE neighbours from the tag's first bytes (the tag is a keyed hash,
 * so it spreads by itself).  A slot whose state has nothing left worth
 * keeping (dialogue_live) is free; when a neighbourhood is full, the one
 * seen longest ago is wiped and taken.  The words kept for routing again
 * are malloc'd only while a report is open, and wiped when let go; so are
 * the sealed fetches of media held for the report a sender has yet to
 * file.
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/senders.h"

#define PROBE 8

static_assert(
    PROBE > 0 && PROBE <= SENDERS_SLOTS, "a probe stays in the table");

struct sender_slot {
	unsigned char tag[MEMKEY_TAG_BYTES];
	int used;
	time_t seen;
	struct dialogue_state state;
	char *text; /* the open report's words, or NULL */
	struct store_fetch held[SENDERS_HELD_MAX]; /* malloc'd, sealed */
	size_t nheld;
};

struct senders {
	pthread_mutex_t lock;
	struct sender_slot *slots;
};

static void
wipe_text(struct sender_slot *s)
{
	if (s->text != NULL) {
		sodium_memzero(s->text, strlen(s->text));
		free(s->text);
		s->text = NULL;
	}
}

static void
drop_held(struct sender_slot *s)
{
	size_t i;

	for (i = 0; i < s->nheld; i++)
		free((void *)s->held[i].sealed); /* sealed: nothing in clear */
	s->nheld = 0;
}

static void
clear(struct sender_slot *s)
{
	wipe_text(s);
	drop_held(s);
	sodium_memzero(s, sizeof *s);
}

struct senders *
senders_new(void)
{
	struct senders *t;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	if ((t->slots = calloc(SENDERS_SLOTS, sizeof *t->slots)) == NULL) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	return t;
}

void
senders_free(struct senders *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < SENDERS_SLOTS; i++)
		clear(&t->slots[i]);
	pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t);
}

void
senders_lock(struct senders *t)
{
	pthread_mutex_lock(&t->lock);
}

void
senders_unlock(struct senders *t)
{
	pthread_mutex_unlock(&t->lock);
}

static size_t
home(const unsigned char tag[MEMKEY_TAG_BYTES])
{
	return ((size_t)tag[0] | (size_t)tag[1] << 8 | (size_t)tag[2] << 16) %
	    SENDERS_SLOTS;
}

/* The slot of tag, or NULL. */
static struct sender_slot *
lookup(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES])
{
	size_t i, h = home(tag);

	for (i = 0; i < PROBE; i++) {
		struct sender_slot *s = &t->slots[(h + i) % SENDERS_SLOTS];

		if (s->used &&
		    sodium_memcmp(s->tag, tag, MEMKEY_TAG_BYTES) == 0)
			return s;
	}
	return NULL;
}

struct dialogue_state *
senders_find(
    struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now)
{
	struct sender_slot *s, *take = NULL;
	size_t i, h = home(tag);

	if ((s = lookup(t, tag)) != NULL) {
		s->seen = now;
		if (s->text != NULL && now >= s->state.window_until)
			wipe_text(s); /* no more notes: no more routing */
		if (s->nheld > 0 && now >= s->state.held_until)
			drop_held(s); /* no report came: the media goes */
		return &s->state;
	}
	for (i = 0; i < PROBE; i++) {
		s = &t->slots[(h + i) % SENDERS_SLOTS];
		if (!s->used || !dialogue_live(&s->state, now)) {
			take = s;
			break;
		}
		if (take == NULL || s->seen < take->seen)
			take = s;
	}
	assert(take != NULL && take >= t->slots &&
	    take < t->slots + SENDERS_SLOTS);
	clear(take);
	take->used = 1;
	memcpy(take->tag, tag, MEMKEY_TAG_BYTES);
	take->seen = now;
	return &take->state;
}

const char *
senders_text(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES])
{
	struct sender_slot *s = lookup(t, tag);

	return s != NULL && s->text != NULL ? s->text : "";
}

void
senders_set_text(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES],
    const char *text)
{
	struct sender_slot *s = lookup(t, tag);
	size_t n = strlen(text);
	char *copy;

	if (s == NULL)
		return;
	if (n >= SENDERS_TEXT_MAX)
		n = SENDERS_TEXT_MAX - 1;
	/* cut at a character's start: the words stay valid UTF-8 */
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	assert(n < SENDERS_TEXT_MAX);
	if ((copy = malloc(n + 1)) == NULL)
		return; /* routing again sees only the new words */
	memcpy(copy, text, n);
	copy[n] = '\0';
	wipe_text(s);
	s->text = copy;
}

int
senders_hold(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES],
    unsigned char *sealed, size_t len)
{
	struct sender_slot *s = lookup(t, tag);

	if (s == NULL)
		return -1;
	assert(s->nheld <= SENDERS_HELD_MAX);
	if (s->nheld == SENDERS_HELD_MAX)
		return -1;
	s->held[s->nheld].sealed = sealed;
	s->held[s->nheld++].sealed_len = len;
	return 0;
}

size_t
senders_take_held(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES],
    time_t now, struct store_fetch out[SENDERS_HELD_MAX])
{
	struct sender_slot *s = lookup(t, tag);
	size_t n;

	if (s == NULL || s->nheld == 0)
		return 0;
	if (now >= s->state.held_until) {
		drop_held(s);
		return 0;
	}
	n = s->nheld;
	assert(n <= SENDERS_HELD_MAX);
	memcpy(out, s->held, n * sizeof out[0]);
	s->nheld = 0;
	return n;
}

void
senders_forget(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES],
    const char *code)
{
	struct sender_slot *s;
	size_t i;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, tag)) == NULL) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	if (strcmp(s->state.code, code) == 0) {
		s->state.code[0] = '\0';
		s->state.window_until = 0;
		s->state.place = PLACE_NONE;
		wipe_text(s);
	}
	/* its words were not received after all: a retry is new */
	for (i = 0; i < DIALOGUE_RECENT; i++)
		if (strcmp(s->state.recent[i].code, code) == 0)
			memset(
			    &s->state.recent[i], 0, sizeof s->state.recent[i]);
	pthread_mutex_unlock(&t->lock);
}

void
senders_recode(struct senders *t, const unsigned char tag[MEMKEY_TAG_BYTES],
    const char *drawn, const char *stored)
{
	struct sender_slot *s;
	size_t i;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, tag)) != NULL) {
		if (strcmp(s->state.code, drawn) == 0)
			snprintf(
			    s->state.code, sizeof s->state.code, "%s", stored);
		for (i = 0; i < DIALOGUE_RECENT; i++)
			if (strcmp(s->state.recent[i].code, drawn) == 0)
				snprintf(s->state.recent[i].code,
				    sizeof s->state.recent[i].code, "%s",
				    stored);
	}
	pthread_mutex_unlock(&t->lock);
}
