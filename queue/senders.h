/*
 * senders: the conversation state of each recent sender (queue/dialogue.h),
 * in memory only, found by the memkey tag of (channel, number): nothing
 * derived from a number is ever at rest, and a restart forgets it all.
 * A fixed table (no unbounded growth): a sender not seen for a day, or
 * the longest idle of a full neighbourhood, gives way to a new one.  The
 * table has one lock, which intake holds from reading a webhook's senders
 * to handing its rows to the writer, so two messages of one sender reach
 * the database in the order they were decided.
 */
#ifndef HOTLINE_SENDERS_H
#define HOTLINE_SENDERS_H

#include <time.h>

#include "queue/dialogue.h"
#include "queue/memkey.h"

#define SENDERS_SLOTS	 16384
#define SENDERS_TEXT_MAX 4096 /* bytes of a report kept for routing again */
#define SENDERS_HELD_MAX 8    /* media held for a report yet to be filed */

struct senders;

struct senders *senders_new(void);
void senders_free(struct senders *);

void senders_lock(struct senders *);
void senders_unlock(struct senders *);

/*
 * With the lock held: the state of the sender with tag, made empty when
 * new (evicting another when the table is full).  Never NULL.
 */
struct dialogue_state *senders_find(
    struct senders *, const unsigned char tag[MEMKEY_TAG_BYTES], time_t now);

/*
 * With the lock held: the words of the sender's open report so far (for
 * routing it again with a note), "" when none; senders_set_text()
 * replaces them (cut at SENDERS_TEXT_MAX bytes).
 */
const char *senders_text(
    struct senders *, const unsigned char tag[MEMKEY_TAG_BYTES]);
void senders_set_text(struct senders *,
    const unsigned char tag[MEMKEY_TAG_BYTES], const char *text);

/*
 * With the lock held: keep a media message's sealed fetch (malloc'd,
 * taken over) until the sender files a report, or its state's
 * held_until passes.  -1 when SENDERS_HELD_MAX are held already (then
 * sealed stays the caller's).
 */
int senders_hold(struct senders *, const unsigned char tag[MEMKEY_TAG_BYTES],
    unsigned char *sealed, size_t len);

/*
 * With the lock held: hand the media held for the sender, oldest first,
 * into out (theirs to free from now on), before its state's held_until.
 * How many.
 */
size_t senders_take_held(struct senders *,
    const unsigned char tag[MEMKEY_TAG_BYTES], time_t now,
    struct store_fetch out[SENDERS_HELD_MAX]);

/*
 * Without the lock: a report filed as code was not stored after all (the
 * commit failed): the sender's state forgets it.
 */
void senders_forget(struct senders *, const unsigned char tag[MEMKEY_TAG_BYTES],
    const char *code);

/*
 * Without the lock: the writer stored the report drawn as code under
 * another code (a clash): the sender's state follows.
 */
void senders_recode(struct senders *, const unsigned char tag[MEMKEY_TAG_BYTES],
    const char *drawn, const char *stored);

#endif
