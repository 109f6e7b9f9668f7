/*
 * session: a fixed table of SESSION_MAX slots under one mutex; looking a
 * session up hashes the cookie and compares hashes in constant time.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/session.h"

#define HASH_BYTES 32
#define ID_BYTES   32

struct slot {
	int used;
	unsigned char hash[HASH_BYTES];
	struct session_view view;
	unsigned char *key; /* sodium_malloc'd, or NULL */
	time_t seen;
};

struct sessions {
	pthread_mutex_t lock;
	int idle;
	struct slot slots[SESSION_MAX];
};

static void
hash_id(const char *id, unsigned char out[HASH_BYTES])
{
	crypto_generichash(
	    out, HASH_BYTES, (const unsigned char *)id, strlen(id), NULL, 0);
}

static void
clear(struct slot *s)
{
	sodium_free(s->key);
	sodium_memzero(s, sizeof *s);
}

struct sessions *
sessions_new(int idle_seconds)
{
	struct sessions *t = calloc(1, sizeof *t);

	if (t == NULL)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	t->idle = idle_seconds;
	return t;
}

void
sessions_free(struct sessions *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < SESSION_MAX; i++)
		clear(&t->slots[i]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* The live slot of id, expired ones cleared on the way; NULL: none. */
static struct slot *
lookup(struct sessions *t, const char *id, time_t now)
{
	unsigned char h[HASH_BYTES];
	struct slot *found = NULL;
	int i;

	if (id == NULL || strlen(id) != 2 * ID_BYTES)
		return NULL;
	hash_id(id, h);
	for (i = 0; i < SESSION_MAX; i++) {
		struct slot *s = &t->slots[i];

		if (!s->used)
			continue;
		if (now - s->seen > t->idle) {
			clear(s);
			continue;
		}
		if (sodium_memcmp(s->hash, h, HASH_BYTES) == 0)
			found = s;
	}
	return found;
}

int
sessions_open(struct sessions *t, const struct account *a,
    unsigned char *mayor_key, time_t now, char id[SESSION_ID_HEX],
    struct session_view *view)
{
	unsigned char raw[ID_BYTES], csrf[ID_BYTES];
	struct slot *s = NULL;
	int i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SESSION_MAX; i++) {
		if (!t->slots[i].used || now - t->slots[i].seen > t->idle) {
			s = &t->slots[i];
			break;
		}
		if (s == NULL || t->slots[i].seen < s->seen)
			s = &t->slots[i]; /* the oldest idle, if all are used */
	}
	clear(s);
	randombytes_buf(raw, sizeof raw);
	randombytes_buf(csrf, sizeof csrf);
	sodium_bin2hex(id, SESSION_ID_HEX, raw, sizeof raw);
	hash_id(id, s->hash);
	s->view.account = *a;
	sodium_bin2hex(s->view.csrf, sizeof s->view.csrf, csrf, sizeof csrf);
	s->view.has_key = mayor_key != NULL;
	s->key = mayor_key;
	s->seen = now;
	s->used = 1;
	*view = s->view;
	pthread_mutex_unlock(&t->lock);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

int
sessions_find(
    struct sessions *t, const char *id, time_t now, struct session_view *view)
{
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, id, now)) != NULL) {
		s->seen = now;
		*view = s->view;
	}
	pthread_mutex_unlock(&t->lock);
	return s != NULL ? 0 : -1;
}

int
sessions_with_key(struct sessions *t, const char *id, time_t now,
    int (*fn)(const unsigned char *, void *), void *arg)
{
	struct slot *s;
	int rc = -1;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, id, now)) != NULL && s->key != NULL) {
		s->seen = now;
		rc = fn(s->key, arg);
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int
sessions_set_key(
    struct sessions *t, const char *id, time_t now, unsigned char *key)
{
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, id, now)) != NULL) {
		if (s->key != NULL)
			sodium_free(s->key);
		s->key = key;
		s->view.has_key = 1;
		s->seen = now;
	}
	pthread_mutex_unlock(&t->lock);
	if (s == NULL)
		sodium_free(key);
	return s != NULL ? 0 : -1;
}

void
sessions_expire(struct sessions *t, time_t now)
{
	int i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SESSION_MAX; i++)
		if (t->slots[i].used && now - t->slots[i].seen > t->idle)
			clear(&t->slots[i]);
	pthread_mutex_unlock(&t->lock);
}

void
sessions_close(struct sessions *t, const char *id)
{
	struct slot *s;

	pthread_mutex_lock(&t->lock);
	if ((s = lookup(t, id, 0)) != NULL)
		clear(s);
	pthread_mutex_unlock(&t->lock);
}

int
sessions_csrf_ok(const struct session_view *v, const char *token)
{
	size_t n = strlen(v->csrf);

	return token != NULL && strlen(token) == n && n > 0 &&
	    sodium_memcmp(v->csrf, token, n) == 0;
}
