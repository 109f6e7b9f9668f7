/*
 * intake: turns the normalised events of one webhook into work.  Each
 * citizen message is one of
 *   - a command (CEK, TAMBAH): handed to the conversation worker;
 *   - a message with no words: a follow-up that only gets a reply;
 *   - the place a waiting report asked for: a follow-up to that report;
 *   - a new report: routed, its identity sealed to the custodian key (here,
 *     on the request's thread, so the writer only writes), a receipt drawn
 *     and memkey-sealed until the worker hashes it.
 * Delivery reports become status rows.  Provider ids are only ever kept
 * as keyed hashes.  After the commit, intake_finish() remembers the
 * reports that wait for their place and builds any inline answer.
 */
#ifndef HOTLINE_INTAKE_H
#define HOTLINE_INTAKE_H

#include <time.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "queue/conversation.h"
#include "queue/memkey.h"
#include "queue/router.h"
#include "queue/writer.h"

/* What intake works with, owned by the server. */
struct intake_context {
	const struct config *cfg;
	const struct router *router;
	const struct memkey *key;
	struct awaiting *awaiting;
	const unsigned char *dedupe_key;
};

struct intake {
	struct writer_job job;
	struct conversation_task task; /* commands; task.nmessages may be 0 */
	struct store_report reports[INBOUND_MAX_EVENTS];
	struct store_followup followups[INBOUND_MAX_EVENTS];
	struct store_status statuses[INBOUND_MAX_EVENTS];
	/* kept until intake_finish(), wiped by intake_free() */
	int inline_replies; /* the channel answers in the webhook */
	size_t order[INBOUND_MAX_EVENTS]; /* message i: what it became */
	unsigned char tags[INBOUND_MAX_EVENTS][MEMKEY_TAG_BYTES];
	int ask_place[INBOUND_MAX_EVENTS];
	char receipts[INBOUND_MAX_EVENTS][RECEIPT_TEXT];
	char to[INBOUND_MAX_EVENTS][INBOUND_ADDR_MAX];
	char *routing[INBOUND_MAX_EVENTS];
	char *followup_text[INBOUND_MAX_EVENTS];
	size_t nmessages;
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
 * After the commit: remember which new reports wait for their place and,
 * for a channel that answers inline, build the answer (malloc'd; its type
 * in content_type).  Returns the answer or NULL (the plain ack applies).
 */
char *intake_finish(struct intake *in, const struct intake_context *,
    const struct channel *, const char **content_type, time_t now);

/*
 * Wipe and free what the intake holds (not in itself), before the batch
 * is freed; the batch's texts are the batch's to wipe and free.
 */
void intake_free(struct intake *in);

#endif
