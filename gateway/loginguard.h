/*
 * loginguard: how long a login must wait after wrong passwords, kept per
 * address and per account under memkey tags (in memory only).  Growing
 * delays, never a hard lockout: the first LOGINGUARD_FREE failures cost
 * nothing, each one after that doubles the wait (1 s, 2 s, 4 s, ...) up to
 * LOGINGUARD_MAX_WAIT.  Successes are not counted: a staff sharing one
 * proxy address, or the mayor whose name someone guesses at, is never
 * locked out by another's typing.
 */
#ifndef HOTLINE_LOGINGUARD_H
#define HOTLINE_LOGINGUARD_H

#include <time.h>

#include "queue/memkey.h"

#define LOGINGUARD_FREE	    5
#define LOGINGUARD_MAX_WAIT (15 * 60)	/* seconds */
#define LOGINGUARD_FORGET   (24 * 3600) /* failures older are forgotten */

struct loginguard;

struct loginguard *loginguard_new(void);
void loginguard_free(struct loginguard *);

/* Seconds the address or account with tag must still wait: 0, go on. */
long loginguard_wait(
    struct loginguard *, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now);

/* A wrong password for tag at now. */
void loginguard_failed(
    struct loginguard *, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now);

/* The right password: tag's failures are forgotten. */
void loginguard_succeeded(
    struct loginguard *, const unsigned char tag[MEMKEY_TAG_BYTES]);

#endif
