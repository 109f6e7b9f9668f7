/*
 * session: who is logged in to the web views.  In memory only: a
 * restart logs everyone out, which also drops every unlocked key.  A
 * session id is 256 random bits, given to the browser as a cookie and
 * kept here only as its BLAKE2b hash; each session has its own CSRF token
 * and, for the mayor with [keys] mayor_key, the unwrapped secret key in
 * sodium_malloc memory, wiped at logout, at the idle timeout and when the
 * table is freed.
 */
#ifndef HOTLINE_SESSION_H
#define HOTLINE_SESSION_H

#include <sodium.h>
#include <stddef.h>
#include <time.h>

#include "queue/accounts.h"

#define SESSION_ID_HEX	 65 /* 64 hex digits and a NUL */
#define SESSION_CSRF_HEX 65
#define SESSION_MAX	 256 /* sessions at once; the oldest idle goes */

struct sessions;

/* What a request may know of its session. */
struct session_view {
	struct account account;
	char csrf[SESSION_CSRF_HEX];
	int has_key; /* the mayor's key is unlocked in this session */
};

struct sessions *sessions_new(int idle_seconds);
void sessions_free(struct sessions *);

/*
 * Open a session for account; mayor_key (sodium_malloc'd, or NULL) is
 * taken over.  Writes the cookie value into id and fills view.  0 or -1.
 */
int sessions_open(struct sessions *, const struct account *,
    unsigned char *mayor_key, time_t now, char id[SESSION_ID_HEX],
    struct session_view *view);

/* The live session of cookie id (touching it): 0, or -1 (none, expired). */
int sessions_find(
    struct sessions *, const char *id, time_t now, struct session_view *view);

/*
 * Run fn with the session's unlocked secret key (crypto_box) under the
 * table's lock: the key never leaves.  fn's result, or -1 without a key.
 */
int sessions_with_key(struct sessions *, const char *id, time_t now,
    int (*fn)(const unsigned char *secret_key, void *arg), void *arg);

/*
 * Give session id the mayor's unlocked key (sodium_malloc'd; taken over,
 * or freed when there is no such session).  0 or -1.
 */
int sessions_set_key(
    struct sessions *, const char *id, time_t now, unsigned char *key);

/* End every session idle too long, wiping its key.  Called every second. */
void sessions_expire(struct sessions *, time_t now);

/* End the session of cookie id (its key wiped).  Unknown ids are fine. */
void sessions_close(struct sessions *, const char *id);

/* Does token equal the session's CSRF token (constant time)? */
int sessions_csrf_ok(const struct session_view *, const char *token);

#endif
