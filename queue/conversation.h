/*
 * conversation: what the gateway says back to a citizen, and the
 * citizen's commands.  It owns
 *   - reading CEK <receipt> (also "cek", "status") and TAMBAH <receipt>
 *     <text> out of a message, and telling an empty message;
 *   - the worker thread that does the slow work off the webhook's path:
 *     hashing each new report's receipt and queueing its acknowledgement,
 *     and answering commands, whose receipts must be hashed to be found.
 */
#ifndef HOTLINE_CONVERSATION_H
#define HOTLINE_CONVERSATION_H

#include <stddef.h>
#include <time.h>

#include "adapters/adapter.h"
#include "config/config.h"
#include "queue/dispatcher.h"
#include "queue/memkey.h"
#include "queue/receipt.h"
#include "queue/store.h"
#include "queue/writer.h"

enum command_kind { COMMAND_NONE, COMMAND_CEK, COMMAND_TAMBAH };

struct command {
	enum command_kind kind;
	int has_receipt;
	char digits[RECEIPT_DIGITS + 1];
	const char *rest; /* TAMBAH: the text after the receipt */
};

/* Read a command at the start of text.  Returns its kind. */
enum command_kind conversation_parse(const char *text, struct command *out);

/* Does text hold no words at all (only spaces, punctuation, emoji)? */
int conversation_is_empty(const char *text);

/* Flags of a pending receipt. */
#define PENDING_ACK_BY_OUTBOX 0x01 /* queue the acknowledgement */
#define PENDING_ASK_PLACE     0x02 /* and ask where it happened */

/*
 * Seal a new report's receipt and where to send its acknowledgement under
 * the memkey, for store_report.pending.  Returns the sealed length.
 */
size_t conversation_seal_pending(const struct memkey *,
    const char digits[RECEIPT_DIGITS + 1], int flags, const char *to,
    unsigned char out[STORE_PENDING_MAX]);

/* Seal "to\0text" for an outbox row.  Returns the length, 0 if too long. */
size_t conversation_seal_message(const struct memkey *, const char *to,
    const char *text, unsigned char *out, size_t outlen);

/*
 * The acknowledgement of a new report (with the question for its place
 * when ask_place is set).  malloc'd, NULL when out of memory.
 */
char *conversation_ack(const struct config *, const char *code,
    const char *receipt_shown, const char *opd_id, int ask_place);

/*
 * The answer to a command about report rs (CEK's status or outcome, TAMBAH's
 * thanks, an unknown receipt: template id), its last update as a date in
 * the city's time zone ([sla] timezone_offset).  malloc'd, NULL when out of
 * memory.
 */
char *conversation_reply(const struct config *, enum template_id,
    const struct store_report_status *);

/* Commands of one webhook, answered by the worker. */
struct conversation_task {
	const struct channel *channel;
	int inline_replies; /* answer in the webhook's response */
	/* the commands: copies whose texts the webhook's batch owns */
	struct inbound_message *messages;
	size_t nmessages;
	char *replies[INBOUND_MAX_EVENTS]; /* inline: malloc'd, NULL: none */
	int result;			   /* 0, or -1: the store failed */
	void (*done)(struct conversation_task *);
	void *arg;
	struct conversation_task *next;
};

struct conversation;

struct conversation *conversation_start(const struct config *,
    const struct memkey *, struct writer *, struct dispatcher *, char *err,
    size_t errlen);

/* Queue a task: 0, or -1 when the worker is busy or stopping. */
int conversation_submit(struct conversation *, struct conversation_task *);

/* New receipts wait to be hashed. */
void conversation_wake(struct conversation *);

/* Finish the queued tasks, then stop. */
void conversation_stop(struct conversation *);

#endif
