/*
 * fetcher: gets the evidence citizens send, at once and in the
 * background, so that no webhook waits for a download and no provider
 * URL expires first (WhatsApp's live minutes).  Each item is an outbox row
 * of kind fetch (queue/store_evidence.c), with the outbox's discipline:
 * attempts, capped backoff, dead with a visible reason.  WhatsApp: GET
 * {api_base}/{media-id} with the access token gives the URL, type, size
 * and SHA-256, then GET that URL with the same token gives the bytes,
 * checked against the SHA-256.  Twilio: GET MediaUrl with the account's
 * credentials.  What is not of an allowed type, too large, or past the
 * report's [evidence] max_items is not stored, and the citizen is told so
 * in one line; a JPEG loses its metadata; every item is encrypted under
 * the evidence key (queue/evidence.h) before it reaches the database.
 * One thread, one download at a time, through the writer for every write.
 */
#ifndef HOTLINE_FETCHER_H
#define HOTLINE_FETCHER_H

#include <stddef.h>

#include "config/config.h"
#include "queue/memkey.h"
#include "queue/writer.h"

struct fetcher;

/* Start the thread (NULL with err when it cannot). */
struct fetcher *fetcher_start(const struct config *, const struct memkey *,
    struct writer *, char *err, size_t errlen);
/* Look at the outbox now (a media message was just stored). */
void fetcher_wake(struct fetcher *);
/* Finish the download under way and stop. */
void fetcher_stop(struct fetcher *);

/*
 * Seal a media reference, the citizen's address and (forget_at_provider)
 * the message's provider id to delete once fetched, or NULL, for a fetch
 * row, into out (room for FETCHER_SEALED_MAX).  Its length, or 0 when
 * too long.
 */
#define FETCHER_SEALED_MAX (1024 + 300 + 256 + 2 + MEMKEY_OVERHEAD)
size_t fetcher_seal(const struct memkey *, const char *media_ref,
    const char *to, const char *forget_id, unsigned char *out);

#endif
