/*
 * conversation: commands, replies, the place question and the worker.
 *
 * The worker is one thread with its own SQLite connection.  Commands come
 * first (a citizen is waiting, the webhook's connection is suspended);
 * between them it hashes the receipts of new reports one at a time and
 * queues their acknowledgements, once intake is quiet or the oldest has
 * waited ACK_WAIT_MS.  Argon2id takes ~11 ms and 8 MiB, which is why this
 * never runs on a webhook thread, and why one worker does it.  A receipt
 * sealed by an earlier process opens when the runtime key was kept
 * (gateway/server.c); else its report keeps no receipt
 * (store_outbox_recover drops it at start).
 */
#include <ctype.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "lib/log.h"
#include "queue/alerts.h"
#include "queue/conversation.h"
#include "queue/heads.h"
#include "queue/ratelimit.h"
#include "queue/templates.h"
#include "queue/report.h"

#define TASK_QUEUE_MAX	       256
#define RECEIPT_TRIES_PER_HOUR 10
#define INTAKE_QUIET_MS	       200 /* hash receipts once intake is this quiet */
#define RECEIPT_BATCH	       16  /* receipts hashed between two commands */
#define CEK_WAIT_BATCHES       4   /* hashed for a receipt not yet known */
#define MESSAGE_MAX	       4096
#define STOP_HASH_SECONDS      10 /* receipts hashed at most this long at a stop */
#define ACK_WAIT_MS	       500 /* the longest a receipt waits for a lull */

static long long
monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static const struct {
	const char *word;
	enum command_kind kind;
} command_words[] = {
    {"cek", COMMAND_CEK},
    {"status", COMMAND_CEK},
    {"tambah", COMMAND_TAMBAH},
};

/* Does text start with what was meant as a receipt (8 digits or more)? */
static int
receipt_like(const char *text)
{
	size_t digits = 0;

	for (; *text != '\0' && strchr("0123456789 -.", *text) != NULL; text++)
		if (isdigit((unsigned char)*text))
			digits++;
	return digits >= 8;
}

enum command_kind
conversation_parse(const char *text, struct command *out)
{
	const char *p = text, *after;
	size_t n, i;

	memset(out, 0, sizeof *out);
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	for (n = 0; isalpha((unsigned char)p[n]); n++)
		;
	for (i = 0; i < sizeof command_words / sizeof command_words[0]; i++)
		if (strlen(command_words[i].word) == n &&
		    strncasecmp(p, command_words[i].word, n) == 0)
			break;
	if (i == sizeof command_words / sizeof command_words[0])
		return COMMAND_NONE;
	p += n;
	while (*p != '\0' && strchr(" \t\r\n:.,#", *p) != NULL)
		p++;
	if ((after = receipt_parse(p, out->digits)) != NULL) {
		out->has_receipt = 1;
		while (*after == ' ' || *after == ':' || *after == '\n')
			after++;
		out->rest = after;
	} else if (receipt_like(p)) {
		/* A mistyped receipt: answered as unknown, never stored as a
		 * report whose text shows most of it. */
		out->rest = p + strlen(p);
	} else {
		/* "Status KTP saya..." is a report; only a bare word is asked.
		 */
		while (*p == ' ' || *p == '?' || *p == '!' || *p == '\n')
			p++;
		if (*p != '\0')
			return COMMAND_NONE;
		out->rest = p;
	}
	out->kind = command_words[i].kind;
	return out->kind;
}

/* Is code point c part of a word (a letter or a digit of some script)? */
static int
is_word_char(unsigned long c)
{
	if (c < 0x80)
		return isalnum((int)c);
	if (c < 0xC0 || (c >= 0x2000 && c < 0x2C00) ||
	    (c >= 0xFE00 && c < 0xFE10) || c >= 0x1F000 ||
	    (c >= 0xE000 && c < 0xF900))
		return 0; /* punctuation, symbols, emoji, private use */
	return 1;
}

int
conversation_is_empty(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned long c;
	int n;

	while (*p != '\0') {
		if (*p < 0x80) {
			c = *p;
			n = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			n = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			n = 3;
		} else {
			c = *p & 0x07;
			n = 4;
		}
		for (int i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0; /* not ours to judge: keep it */
			c = c << 6 | (p[i] & 0x3F);
		}
		if (is_word_char(c))
			return 0;
		p += n;
	}
	return 1;
}

size_t
conversation_seal_pending(const struct memkey *key,
    const char digits[RECEIPT_DIGITS + 1], int flags, const char *to,
    unsigned char out[STORE_PENDING_MAX])
{
	unsigned char plain[STORE_PENDING_MAX];
	size_t tolen = strlen(to), n;

	if (RECEIPT_DIGITS + 1 + tolen + 1 + MEMKEY_OVERHEAD >
	    STORE_PENDING_MAX)
		return 0;
	memcpy(plain, digits, RECEIPT_DIGITS);
	plain[RECEIPT_DIGITS] = (unsigned char)flags;
	memcpy(plain + RECEIPT_DIGITS + 1, to, tolen + 1);
	n = memkey_seal(key, plain, RECEIPT_DIGITS + 1 + tolen + 1, out);
	sodium_memzero(plain, sizeof plain);
	return n;
}

size_t
conversation_seal_message(const struct memkey *key, const char *to,
    const char *text, unsigned char *out, size_t outlen)
{
	size_t tolen = strlen(to), textlen = strlen(text), n;
	unsigned char *plain;

	if (tolen + 1 + textlen + MEMKEY_OVERHEAD > outlen ||
	    (plain = malloc(tolen + 1 + textlen)) == NULL)
		return 0;
	memcpy(plain, to, tolen + 1);
	memcpy(plain + tolen + 1, text, textlen);
	n = memkey_seal(key, plain, tolen + 1 + textlen, out);
	sodium_memzero(plain, tolen + 1 + textlen);
	free(plain);
	return n;
}

static const char *
opd_name(const struct config *cfg, const char *id)
{
	const char *name = config_opd_name(cfg, id);

	return name != NULL ? name : "tim penelaah";
}

static const char *
category_name(const struct config *cfg, const char *id)
{
	const char *name = config_category_name(cfg, id);

	return name != NULL ? name : "belum dikategorikan";
}

char *
conversation_ack(const struct config *cfg, const char *code,
    const char *receipt_shown, const char *opd_id, int ask_place)
{
	const struct template_var vars[] = {
	    {"code", code},
	    {"receipt", receipt_shown},
	    {"opd", opd_name(cfg, opd_id)},
	    {"city", cfg->server.city},
	};
	char *ack, *ask, *both;
	size_t n;

	if ((ack = templates_render(cfg, TEMPLATE_ACK, vars, 4)) == NULL ||
	    !ask_place)
		return ack;
	if ((ask = templates_render(cfg, TEMPLATE_ASK_PLACE, vars, 4)) ==
	    NULL) {
		free(ack);
		return NULL;
	}
	n = strlen(ack) + 2 + strlen(ask) + 1;
	if ((both = malloc(n)) != NULL)
		snprintf(both, n, "%s\n\n%s", ack, ask);
	sodium_memzero(ack, strlen(ack));
	free(ack);
	free(ask);
	return both;
}

/* --- the worker ------------------------------------------------------ */

struct conversation {
	const struct config *cfg;
	const struct memkey *key;
	struct dispatcher *dispatcher;
	struct writer *writer;
	struct store *store; /* reads only: writes go through the writer */
	struct ratelimit *tries;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct conversation_task *head, *tail;
	size_t queued;
	int stopping;
	atomic_int idle; /* waiting for work: worth a wake-up */
	/* when receipts began to wait (CLOCK_MONOTONIC ms), 0: none */
	atomic_llong waiting_since;
};

static const char *
message_sender(const struct inbound_message *m)
{
	return m->sender[0] != '\0' ? m->sender : m->user_id;
}

/* t's date where the city is, utc_offset seconds east of UTC. */
static void
format_day(time_t t, int utc_offset, char *buf, size_t len)
{
	struct tm tm;
	time_t local = t + utc_offset;

	gmtime_r(&local, &tm);
	strftime(buf, len, "%d-%m-%Y", &tm);
}

char *
conversation_reply(const struct config *cfg, enum template_id id,
    const struct store_report_status *rs)
{
	char day[16];

	format_day(rs->updated_at, cfg->sla.utc_offset, day, sizeof day);
	{
		const struct template_var vars[] = {
		    {"code", rs->code},
		    {"category",
			category_name(
			    cfg, rs->category[0] ? rs->category : NULL)},
		    {"opd", opd_name(cfg, rs->opd[0] ? rs->opd : NULL)},
		    {"status", report_status_words(rs->status)},
		    {"updated", day},
		    {"city", cfg->server.city},
		    {"outcome", rs->outcome},
		};

		return templates_render(
		    cfg, id, vars, sizeof vars / sizeof vars[0]);
	}
}

/* One command's answer, decided before the transaction writes it. */
struct answer {
	const char *channel;
	unsigned char dedupe[STORE_HASH_BYTES];
	long long report_id; /* for a note (TAMBAH) and the reply */
	const char *note;    /* TAMBAH's text, or NULL */
	struct store_outbound reply;
	int duplicate;
};

static int
write_answer(struct store *s, void *arg, char *err, size_t errlen)
{
	struct answer *a = arg;
	long long now = (long long)time(NULL) * 1000;

	if ((a->duplicate =
		    store_seen(s, a->channel, a->dedupe, err, errlen)) != 0)
		return a->duplicate == 1 ? 0 : -1; /* a provider's retry */
	if (a->note != NULL &&
	    store_add_note(s, a->report_id, "addition", a->note, err, errlen) ==
		-1)
		return -1;
	return store_insert_outbound(s, &a->reply, now, err, errlen);
}

static int hash_pending(struct conversation *);

/*
 * The report of a receipt's hash (store_find_by_receipt): one not found
 * may be among the receipts still waiting to be hashed (a CEK sent
 * seconds after the report), so those are hashed first, a few batches at
 * most.
 */
static int
find_receipt(struct conversation *c, const unsigned char *hash,
    struct store_report_status *rs, char *err, size_t errlen)
{
	int found, batches = 0;

	while ((found = store_find_by_receipt(
		    c->store, hash, rs, err, errlen)) == 1 &&
	    batches++ < CEK_WAIT_BATCHES && hash_pending(c))
		;
	return found;
}

/* Decide the answer to command i: the slow receipt hash, then a lookup. */
static char *
decide(struct conversation *c, struct conversation_task *t, size_t i,
    struct answer *a, char *err, size_t errlen)
{
	struct inbound_message *m = &t->messages[i];
	unsigned char tag[MEMKEY_TAG_BYTES], hash[RECEIPT_HASH_BYTES];
	struct store_report_status rs;
	struct command cmd;
	enum template_id id;
	char *text;
	int found = 1;

	conversation_parse(m->text, &cmd);
	memkey_tag(c->key, t->channel->name, message_sender(m), tag);
	memset(&rs, 0, sizeof rs);
	if (!ratelimit_allow(c->tries, tag, time(NULL)))
		id = TEMPLATE_TOO_MANY_TRIES;
	else if (!cmd.has_receipt ||
	    receipt_hash(cmd.digits, store_receipt_salt(c->store), hash) ==
		-1 ||
	    (found = find_receipt(c, hash, &rs, err, errlen)) == 1)
		id = TEMPLATE_UNKNOWN_RECEIPT;
	else if (found == -1)
		return NULL;
	else if (cmd.kind == COMMAND_CEK)
		id = rs.outcome[0] != '\0' && !report_is_open(rs.status)
		    ? TEMPLATE_RESOLVED
		    : TEMPLATE_STATUS;
	else if (conversation_is_empty(cmd.rest))
		id = TEMPLATE_EMPTY;
	else {
		a->note = cmd.rest;
		id = TEMPLATE_ADDED;
	}
	sodium_memzero(cmd.digits, sizeof cmd.digits);
	sodium_memzero(hash, sizeof hash);
	a->report_id = rs.id;
	a->reply.report_id = rs.id;
	a->reply.kind = config_template_names[id];
	if ((text = conversation_reply(c->cfg, id, &rs)) == NULL)
		snprintf(err, errlen, "out of memory");
	return text;
}

/* A staff member's message, decided and answered in one transaction. */
struct staff_answer {
	const struct config *cfg;
	const char *channel, *number, *text;
	unsigned char dedupe[STORE_HASH_BYTES];
	int inline_reply;
	char *reply; /* malloc'd */
	int duplicate;
};

static int
write_staff_answer(struct store *s, void *arg, char *err, size_t errlen)
{
	struct staff_answer *a = arg;
	struct store_outbound o;
	time_t now = time(NULL);

	if ((a->duplicate =
		    store_seen(s, a->channel, a->dedupe, err, errlen)) != 0)
		return a->duplicate == 1 ? 0 : -1;
	if ((a->reply = heads_handle(s, a->cfg, a->channel, a->number, a->text,
		 now, err, errlen)) == NULL)
		return -1;
	memset(&o, 0, sizeof o);
	o.kind = "head_reply";
	o.channel = a->channel;
	o.status = a->inline_reply ? "sent" : "queued";
	o.destination = a->number;
	o.body = a->reply;
	return store_insert_outbound(s, &o, (long long)now * 1000, err, errlen);
}

static int
answer_staff(struct conversation *c, struct conversation_task *t, size_t i)
{
	struct inbound_message *m = &t->messages[i];
	struct staff_answer a;
	int rc;

	memset(&a, 0, sizeof a);
	a.cfg = c->cfg;
	a.channel = t->channel->name;
	a.number = m->sender;
	a.text = m->text;
	a.inline_reply = t->inline_replies;
	store_hash_id(store_dedupe_key(c->store), a.channel, m->id, a.dedupe);
	rc = writer_run(c->writer, write_staff_answer, &a);
	if (rc == 0 && t->inline_replies && !a.duplicate)
		t->replies[i] = a.reply;
	else
		free(a.reply);
	return rc;
}

/* Answer command i: decide, then write (the reply queued or inline). */
static int
answer(struct conversation *c, struct conversation_task *t, size_t i, char *err,
    size_t errlen)
{
	struct inbound_message *m = &t->messages[i];
	unsigned char sealed[MESSAGE_MAX + 512];
	struct answer a;
	char *text;
	int rc;

	if (alerts_is_staff(c->cfg, t->channel->name, m->sender)) {
		if ((rc = answer_staff(c, t, i)) == -1)
			snprintf(err, errlen, "a head's command not stored");
		return rc;
	}

	memset(&a, 0, sizeof a);
	a.channel = t->channel->name;
	store_hash_id(store_dedupe_key(c->store), a.channel, m->id, a.dedupe);
	if ((text = decide(c, t, i, &a, err, errlen)) == NULL)
		return -1;
	a.reply.channel = a.channel;
	if (t->inline_replies)
		a.reply.status = "sent"; /* it goes in the webhook's answer */
	else {
		a.reply.status = "queued";
		a.reply.sealed = sealed;
		a.reply.sealed_len = conversation_seal_message(
		    c->key, message_sender(m), text, sealed, sizeof sealed);
	}
	if (!t->inline_replies && a.reply.sealed_len == 0) {
		snprintf(err, errlen, "reply too long");
		rc = -1;
	} else
		rc = writer_run(c->writer, write_answer, &a);
	if (rc == 0 && t->inline_replies && !a.duplicate)
		t->replies[i] = text;
	else {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	sodium_memzero(sealed, sizeof sealed);
	return rc;
}

static void
run_task(struct conversation *c, struct conversation_task *t)
{
	char err[256], quoted[300];
	size_t i;

	t->result = 0;
	for (i = 0; i < t->nmessages && t->result == 0; i++)
		if (answer(c, t, i, err, sizeof err) == -1) {
			t->result = -1;
			log_msg(LOG_ERROR, "conversation_error", "reason=%s",
			    log_quote(err, quoted, sizeof quoted));
		}
	if (!t->inline_replies)
		dispatcher_wake(c->dispatcher);
	t->done(t);
}

/* Receipts hashed in one go, written in one transaction. */
struct hashed {
	long long id;
	int ok;
	unsigned char hash[RECEIPT_HASH_BYTES];
	struct store_outbound ack;
	unsigned char sealed[MESSAGE_MAX + 512];
};

struct hash_batch {
	struct conversation *c;
	struct hashed items[RECEIPT_BATCH];
	size_t n;
};

/* Hash one pending receipt and seal its acknowledgement. */
static int
hash_one(const struct store_pending *p, void *arg)
{
	const struct channel *ch;
	struct hash_batch *b = arg;
	struct conversation *c = b->c;
	struct hashed *h = &b->items[b->n++];
	unsigned char plain[STORE_PENDING_MAX];
	char digits[RECEIPT_DIGITS + 1], shown[RECEIPT_TEXT];
	char *text = NULL;
	long n;
	int flags = 0;

	memset(&h->ack, 0, sizeof h->ack);
	h->id = p->id;
	n = p->pending_len <= sizeof plain
	    ? memkey_open(c->key, p->pending, p->pending_len, plain)
	    : -1;
	/* Sealed by an earlier process: the receipt is lost. */
	h->ok = n > RECEIPT_DIGITS + 1 && plain[n - 1] == '\0';
	if (h->ok) {
		memcpy(digits, plain, RECEIPT_DIGITS);
		digits[RECEIPT_DIGITS] = '\0';
		flags = plain[RECEIPT_DIGITS];
		h->ok = receipt_hash(
			    digits, store_receipt_salt(c->store), h->hash) == 0;
	}
	if (h->ok && (flags & PENDING_ACK_BY_OUTBOX)) {
		snprintf(shown, sizeof shown, "%.4s-%.4s-%.4s-%.4s", digits,
		    digits + 4, digits + 8, digits + 12);
		/* not when the place came in before the receipt was hashed */
		text = conversation_ack(c->cfg, p->code, shown, p->opd,
		    (flags & PENDING_ASK_PLACE) && p->kecamatan == NULL &&
			p->kelurahan == NULL);
		h->ack.sealed_len = text == NULL
		    ? 0
		    : conversation_seal_message(c->key,
			  (char *)plain + RECEIPT_DIGITS + 1, text, h->sealed,
			  sizeof h->sealed);
		h->ack.report_id = p->id;
		h->ack.kind = "ack";
		h->ack.status = "queued";
		h->ack.sealed = h->sealed;
		/* A channel since removed from the config: nothing to send. */
		if ((ch = config_channel(c->cfg, p->channel)) != NULL)
			h->ack.channel = ch->name; /* the row's is gone after */
		else
			h->ack.sealed_len = 0;
	}
	if (text != NULL) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	sodium_memzero(plain, sizeof plain);
	sodium_memzero(digits, sizeof digits);
	sodium_memzero(shown, sizeof shown);
	return 0;
}

static int
write_receipts(struct store *s, void *arg, char *err, size_t errlen)
{
	struct hash_batch *b = arg;
	long long now = (long long)time(NULL) * 1000;
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct hashed *h = &b->items[i];

		if (store_set_receipt(
			s, h->id, h->ok ? h->hash : NULL, err, errlen) == -1)
			return -1;
		if (h->ack.sealed_len > 0 &&
		    store_insert_outbound(s, &h->ack, now, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * Hash up to RECEIPT_BATCH waiting receipts and write them in one
 * transaction.  Returns how many there were.
 */
static int
hash_pending(struct conversation *c)
{
	struct hash_batch *b;
	char err[256], quoted[300];
	int n;

	if ((b = calloc(1, sizeof *b)) == NULL)
		return 0;
	b->c = c;
	if ((n = store_each_pending(
		 c->store, RECEIPT_BATCH, hash_one, b, err, sizeof err)) == -1)
		log_msg(LOG_ERROR, "conversation_error", "reason=%s",
		    log_quote(err, quoted, sizeof quoted));
	else if (n > 0 && writer_run(c->writer, write_receipts, b) == 0)
		dispatcher_wake(c->dispatcher);
	else if (n > 0) {
		log_msg(LOG_ERROR, "conversation_error", "reason=%s",
		    "\"receipts not stored; retrying\"");
		n = 0; /* wait for the next tick instead of spinning */
	}
	sodium_memzero(b, sizeof *b);
	free(b);
	return n > 0;
}

/*
 * At a stop, hash the receipts still waiting, for STOP_HASH_SECONDS at
 * most: what is left waits for the next start, which takes it up when the
 * runtime key is kept (else it is lost, and its reporter could never use
 * CEK).
 */
static void
finish_receipts(struct conversation *c)
{
	struct timespec start, now;
	long long left;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while (
	    now.tv_sec - start.tv_sec < STOP_HASH_SECONDS && hash_pending(c));
	if ((left = store_count_pending(c->store)) > 0)
		log_msg(LOG_WARN, "receipts_waiting", "reports=%lld", left);
}

static void *
conversation_main(void *arg)
{
	struct conversation *c = arg;
	struct conversation_task *t;
	struct timespec deadline;
	long long idle, wait_ms, since;
	int more, due;

	/*
	 * Background work: hashing receipts (a core for ~7 ms each) must not
	 * slow the intake, so this thread runs at the lowest priority; it
	 * still gets a share under load, so commands are answered.
	 */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);

	pthread_mutex_lock(&c->lock);
	for (;;) {
		if ((t = c->head) != NULL) {
			if ((c->head = t->next) == NULL)
				c->tail = NULL;
			c->queued--;
			pthread_mutex_unlock(&c->lock);
			run_task(c, t);
			pthread_mutex_lock(&c->lock);
			continue;
		}
		if (c->stopping) {
			pthread_mutex_unlock(&c->lock);
			finish_receipts(c);
			pthread_mutex_lock(&c->lock);
			break;
		}
		pthread_mutex_unlock(&c->lock);
		/*
		 * Receipts wait while webhooks pour in: the intake comes
		 * first, and a burst's acknowledgements follow it.
		 */
		/*
		 * Receipts are hashed once intake is quiet, or when the
		 * oldest has waited ACK_WAIT_MS: a steady stream of webhooks
		 * never starves the acknowledgements.
		 */
		idle = writer_idle_ms(c->writer);
		since = atomic_load(&c->waiting_since);
		due = idle >= INTAKE_QUIET_MS ||
		    (since != 0 && monotonic_ms() - since >= ACK_WAIT_MS);
		more = due ? hash_pending(c) : 0;
		if (due && !more)
			atomic_store(&c->waiting_since, 0);
		pthread_mutex_lock(&c->lock);
		if (more || c->head != NULL || c->stopping)
			continue;
		/*
		 * Not quiet yet: look again when it may be, so that a lone
		 * report's acknowledgement comes before the citizen's next
		 * message is answered.
		 */
		clock_gettime(CLOCK_REALTIME, &deadline);
		wait_ms =
		    idle < INTAKE_QUIET_MS ? INTAKE_QUIET_MS - idle + 5 : 1000;
		deadline.tv_nsec += (wait_ms % 1000) * 1000000;
		deadline.tv_sec +=
		    wait_ms / 1000 + deadline.tv_nsec / 1000000000;
		deadline.tv_nsec %= 1000000000;
		atomic_store(&c->idle, 1);
		pthread_cond_timedwait(&c->wake, &c->lock, &deadline);
		atomic_store(&c->idle, 0);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct conversation *
conversation_start(const struct config *cfg, const struct memkey *key,
    struct writer *writer, struct dispatcher *dispatcher, char *err,
    size_t errlen)
{
	struct conversation *c;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->tries = ratelimit_new(RECEIPT_TRIES_PER_HOUR, 3600)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->cfg = cfg;
	c->key = key;
	c->dispatcher = dispatcher;
	c->writer = writer;
	if ((c->store = store_open(
		 cfg->server.database, STORE_READWRITE, err, errlen)) == NULL)
		goto fail;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, conversation_main, c) != 0) {
		snprintf(err, errlen, "cannot start the conversation thread");
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->wake);
		goto fail;
	}
	pthread_setname_np(c->thread, "conversation");
	return c;
fail:
	if (c != NULL) {
		store_close(c->store);
		ratelimit_free(c->tries);
		free(c);
	}
	return NULL;
}

int
conversation_submit(struct conversation *c, struct conversation_task *t)
{
	int rc = -1;

	t->next = NULL;
	pthread_mutex_lock(&c->lock);
	if (!c->stopping && c->queued < TASK_QUEUE_MAX) {
		if (c->tail != NULL)
			c->tail->next = t;
		else
			c->head = t;
		c->tail = t;
		c->queued++;
		rc = 0;
		pthread_cond_signal(&c->wake);
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void
conversation_wake(struct conversation *c)
{
	long long zero = 0;

	atomic_compare_exchange_strong(
	    &c->waiting_since, &zero, monotonic_ms());
	/* Busy hashing: it will look again before it sleeps. */
	if (!atomic_load(&c->idle))
		return;
	pthread_mutex_lock(&c->lock);
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

void
conversation_stop(struct conversation *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	store_close(c->store);
	ratelimit_free(c->tries);
	free(c);
}
