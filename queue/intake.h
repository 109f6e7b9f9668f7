/*
 * intake: turns the normalised events of one webhook into work, through
 * the conversation layer.  In two steps:
 *   1. intake_prepare(), on the request's thread and without any lock:
 *      each citizen message is routed and its intent read
 *      (queue/intent.h).  Commands (CEK, TAMBAH, a pasted receipt) go to
 *      the conversation worker, a receipt never into a report's text.
 *      Content may open a report, so its identity is sealed to the
 *      custodian key now and a receipt drawn (memkey-sealed until the
 *      worker hashes it).  Staff messages are commands.
 *   2. intake_decide(), with the senders' lock held until the rows are
 *      handed to the writer: each message meets its sender's state
 *      (queue/dialogue.h) and becomes a report, a note of the open
 *      report (routed again, its alert put off to the end of the merge
 *      window), a reply only, or nothing.
 * Delivery reports become status rows.  Provider ids are only ever kept
 * as keyed hashes.  After the commit, intake_finish() builds any inline
 * answer; intake_failed() makes the senders forget reports that were not
 * stored.
 */
#ifndef HOTLINE_INTAKE_H
#define HOTLINE_INTAKE_H

#include <time.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "queue/conversation.h"
#include "queue/fetcher.h"
#include "queue/intent.h"
#include "queue/memkey.h"
#include "queue/router.h"
#include "queue/senders.h"
#include "queue/writer.h"

/* What intake works with, owned by the server. */
struct intake_context {
	const struct config *cfg;
	const struct router *router;
	const struct memkey *key;
	struct senders *senders;
	const unsigned char *dedupe_key;
	/* the epoch keys identities are sealed under; NULL: each report's
	 * key is sealed to the mayor on its own (version 1) */
	struct epochs *epochs;
};

struct intake {
	struct writer_job job;
	struct conversation_task task; /* commands; task.nmessages may be 0 */
	struct store_report reports[INBOUND_MAX_EVENTS]; /* the job's */
	struct store_followup followups[INBOUND_MAX_EVENTS];
	struct store_status statuses[INBOUND_MAX_EVENTS];
	/* kept until intake_finish(), wiped by intake_free() */
	const struct inbound_batch *batch;
	int inline_replies; /* the channel answers in the webhook */
	size_t order[INBOUND_MAX_EVENTS]; /* message i: what it became */
	unsigned char tags[INBOUND_MAX_EVENTS][MEMKEY_TAG_BYTES];
	/* by message: what was read, and for content the report it would
	 * become (sealed before the senders' lock is taken) */
	struct intent_reading readings[INBOUND_MAX_EVENTS];
	struct store_report candidates[INBOUND_MAX_EVENTS];
	int prepared[INBOUND_MAX_EVENTS]; /* candidates[i] is filled */
	unsigned char hashes[INBOUND_MAX_EVENTS][MEMKEY_TAG_BYTES];
	int ask_place[INBOUND_MAX_EVENTS];
	char drawn[INBOUND_MAX_EVENTS][STORE_CODE_MAX]; /* codes as decided */
	char targets[INBOUND_MAX_EVENTS][STORE_CODE_MAX];
	char receipts[INBOUND_MAX_EVENTS][RECEIPT_TEXT];
	char to[INBOUND_MAX_EVENTS][INBOUND_ADDR_MAX];
	char *routing[INBOUND_MAX_EVENTS];
	char *rerouting[INBOUND_MAX_EVENTS];
	char *followup_text[INBOUND_MAX_EVENTS];
	unsigned char *sealed[INBOUND_MAX_EVENTS]; /* followups' replies */
	char *commands[INBOUND_MAX_EVENTS]; /* texts rewritten as CEK/TAMBAH */
	/*
	 * [channel] forget_at_provider: each message's provider id, sealed
	 * under the memkey, queued in the job's transaction as an outbox row
	 * that deletes the provider's copy once the message is committed.
	 */
	unsigned char forget[INBOUND_MAX_EVENTS]
			    [1 + INBOUND_ID_MAX + MEMKEY_OVERHEAD];
	size_t forget_len[INBOUND_MAX_EVENTS], nforget;
	/* the message each forget is for; held: the fetcher forgets it once
	 * its media is fetched (a copy deleted first could not be fetched) */
	size_t forget_of[INBOUND_MAX_EVENTS];
	int forget_held[INBOUND_MAX_EVENTS];
	/* or not before this: media held for a report yet to come */
	time_t forget_after[INBOUND_MAX_EVENTS];
	const char *forget_channel;
	/* each media message's reference and sender, for the fetcher */
	unsigned char *fetch[INBOUND_MAX_EVENTS]; /* malloc'd when needed */
	/* report k's media sent before it, taken from the sender's state */
	struct store_fetch held[INBOUND_MAX_EVENTS][SENDERS_HELD_MAX];
	size_t nmessages;
	size_t intents[INTENT_COUNT]; /* messages of each intent */
	struct epochs *epochs;	      /* whose epochs the candidates hold */
};

/*
 * Fill in (which need not be zeroed) from batch, which must outlive it:
 * the rows and the commands point into the batch's texts.  Returns 0 or
 * -1 with err set (sealing failed, out of memory).
 */
int intake_prepare(struct intake *in, const struct intake_context *,
    const struct channel *, const struct inbound_batch *batch, time_t now,
    char *err, size_t errlen);

/*
 * With senders_lock() held, which the caller keeps until in->job is
 * handed to the writer: decide what each message becomes.  Returns 0 or
 * -1 with err set (out of memory); on -1 nothing was decided.
 */
int intake_decide(struct intake *in, const struct intake_context *,
    const struct channel *, time_t now, char *err, size_t errlen);

/*
 * After the commit: follow codes the writer drew again and, for a
 * channel that answers inline, build the answer (malloc'd; its type in
 * content_type).  Returns the answer or NULL (the plain ack applies).
 */
char *intake_finish(struct intake *in, const struct intake_context *,
    const struct channel *, const char **content_type);

/* The commit failed: the senders forget the reports it held. */
void intake_failed(struct intake *in, const struct intake_context *);

/*
 * Wipe and free what the intake holds (not in itself), before the batch
 * is freed; the batch's texts are the batch's to wipe and free.
 */
void intake_free(struct intake *in);

#endif
