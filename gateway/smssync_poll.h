/*
 * smssync_poll: an SMSSync phone fetching what the hotline has to send
 * (adapters/smssync.h for the protocol).  The outbox rows of an SMSSync
 * channel wait for the phone: the dispatcher leaves them.  task=send hands
 * out the due rows (at most SMSSYNC_BATCH), each under a fresh uuid whose
 * keyed hash is kept, and marks them failed-until-confirmed: a row the
 * phone does not confirm within SMSSYNC_CONFIRM_MS is handed out again,
 * and one handed out max_attempts times dies (and falls back, for staff).
 * task=sent marks rows sent; task=result records each outcome as a
 * delivery report (sent, delivered, or failed: dead, then its fallback).
 * The uuids still waiting for a result (for GET task=result) live in
 * memory only.  Polls are rare (a phone every minute or so): they run in
 * the writer's transactions, waited for on the HTTP thread.
 */
#ifndef HOTLINE_SMSSYNC_POLL_H
#define HOTLINE_SMSSYNC_POLL_H

#include <stddef.h>

#include "adapters/smssync.h"
#include "config/config.h"
#include "queue/memkey.h"
#include "queue/writer.h"

#define SMSSYNC_CONFIRM_MS (10 * 60 * 1000L)

struct smssync_poll;

struct smssync_poll *smssync_poll_new(
    const struct config *, struct writer *, const struct memkey *);
void smssync_poll_free(struct smssync_poll *);

/*
 * Answer a task request on channel ch: the HTTP status, and the JSON
 * answer in *body (malloc'd, wiped and freed by the caller) or an error
 * text in err.
 */
int smssync_poll_answer(struct smssync_poll *, const struct channel *ch,
    const struct webhook_request *req, enum smssync_task task, char **body,
    char *err, size_t errlen);

#endif
