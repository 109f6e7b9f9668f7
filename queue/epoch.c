/*
 * epoch: owns the current epoch of queue/epoch.h.  One mutex guards the
 * epoch key (sodium_malloc'd, read-only but while it is made), its count
 * and its end; deriving a report's key under it costs one BLAKE2b, so the
 * lock is held for microseconds.  A new epoch draws a random key and id
 * and seals the key to the custodians (queue/custody.h: two X25519
 * operations a share), the only public-key work of intake.  A thread of
 * its own wipes an epoch's key when its time is up, even when no report
 * comes after it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/epoch.h"

struct epochs {
	pthread_mutex_t lock;
	struct custody custody;
	int seconds, max_reports;
	unsigned char *key; /* sodium_malloc'd; valid while current != NULL */
	struct epoch_seal *current;
	time_t ends;
	int reports;
	long long made;
	pthread_t reaper; /* ends each epoch on time */
	pthread_cond_t wake;
	int stopping;
};

static void end_epoch(struct epochs *);

/* The reaper: each epoch's key is wiped when its time is up. */
static void *
reap(void *arg)
{
	struct epochs *e = arg;
	struct timespec until;

	pthread_mutex_lock(&e->lock);
	while (!e->stopping) {
		if (e->current != NULL && time(NULL) >= e->ends)
			end_epoch(e);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec = e->current != NULL && e->ends > until.tv_sec
		    ? e->ends
		    : until.tv_sec + 1;
		pthread_cond_timedwait(&e->wake, &e->lock, &until);
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

struct epochs *
epochs_new(const struct custody *c, int seconds, int max_reports)
{
	struct epochs *e;
	char err[128];

	if (custody_check(c, err, sizeof err) == -1 || seconds < 1 ||
	    max_reports < 1 || (e = calloc(1, sizeof *e)) == NULL)
		return NULL;
	if ((e->key = sodium_malloc(SEAL_KEY_BYTES)) == NULL) {
		free(e);
		return NULL;
	}
	sodium_mprotect_noaccess(e->key);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->wake, NULL);
	e->custody = *c;
	e->seconds = seconds;
	e->max_reports = max_reports;
	if (pthread_create(&e->reaper, NULL, reap, e) != 0) {
		pthread_cond_destroy(&e->wake);
		pthread_mutex_destroy(&e->lock);
		sodium_free(e->key);
		free(e);
		return NULL;
	}
	return e;
}

static void
unref(struct epoch_seal *s)
{
	if (s != NULL && --s->refs == 0) {
		sodium_memzero(s, sizeof *s);
		free(s);
	}
}

/* The current epoch is over: its key wiped, its seal left to its users. */
static void
end_epoch(struct epochs *e)
{
	sodium_mprotect_readwrite(e->key);
	sodium_memzero(e->key, SEAL_KEY_BYTES);
	sodium_mprotect_noaccess(e->key);
	unref(e->current);
	e->current = NULL;
}

void
epochs_free(struct epochs *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&e->lock);
	e->stopping = 1;
	pthread_cond_signal(&e->wake);
	pthread_mutex_unlock(&e->lock);
	pthread_join(e->reaper, NULL);
	end_epoch(e);
	sodium_free(e->key);
	pthread_cond_destroy(&e->wake);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* Draw a new epoch at now: its key, its id, its key sealed to each. */
static int
new_epoch(struct epochs *e, time_t now)
{
	struct epoch_seal *s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return -1;
	sodium_mprotect_readwrite(e->key);
	crypto_kdf_keygen(e->key);
	if (custody_seal(&e->custody, e->key, &s->sealed) != 0) {
		sodium_memzero(e->key, SEAL_KEY_BYTES);
		sodium_mprotect_noaccess(e->key);
		free(s);
		return -1;
	}
	sodium_mprotect_readonly(e->key);
	do /* 63 random bits, not 0 */
		randombytes_buf(&s->id, sizeof s->id);
	while ((s->id &= INT64_MAX) == 0);
	s->refs = 1; /* the epochs' own */
	e->current = s;
	e->ends = now + e->seconds;
	e->reports = 0;
	e->made++;
	pthread_cond_signal(&e->wake); /* to wait for this one's end */
	return 0;
}

int
epochs_report_key(struct epochs *e,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES], time_t now,
    unsigned char key[SEAL_KEY_BYTES], struct epoch_seal **seal)
{
	int rc = 0;

	pthread_mutex_lock(&e->lock);
	if (e->current != NULL &&
	    (now >= e->ends || now < e->ends - e->seconds ||
		e->reports >= e->max_reports))
		end_epoch(e);
	if (e->current == NULL && new_epoch(e, now) == -1)
		rc = -1;
	else {
		seal_report_key(e->key, report_id, key);
		e->reports++;
		e->current->refs++;
		*seal = e->current;
	}
	pthread_mutex_unlock(&e->lock);
	return rc;
}

void
epochs_release(struct epochs *e, struct epoch_seal *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&e->lock);
	unref(s);
	pthread_mutex_unlock(&e->lock);
}

int
epochs_live(struct epochs *e)
{
	int live;

	pthread_mutex_lock(&e->lock);
	live = e->current != NULL;
	pthread_mutex_unlock(&e->lock);
	return live;
}

long long
epochs_made(struct epochs *e)
{
	long long n;

	pthread_mutex_lock(&e->lock);
	n = e->made;
	pthread_mutex_unlock(&e->lock);
	return n;
}
