/*
 * store: the SQLite database of reports.  It owns the schema (versioned by
 * PRAGMA user_version), the durability settings (WAL, synchronous=FULL),
 * the keyed hash that dedupes provider deliveries without keeping their
 * ids, and every query the binary makes.  One struct store is one
 * connection, owned by one thread.
 *
 * One return convention: 0 done (found, claimed, stored), 1 nothing to do
 * (no such row, not due any more, seen before), -1 an error said in err.
 * A function that returns a count says so; store_custodians() alone has a
 * fourth answer (2: none kept).
 */
#ifndef HOTLINE_STORE_H
#define HOTLINE_STORE_H

#include <stddef.h>
#include <time.h>

#include "queue/custody.h"
#include "queue/epoch.h"
#include "queue/seal.h"

#define STORE_HASH_BYTES 32
/* Report codes: easy to read aloud, no 0/O, 1/I/L. */
#define STORE_CODE_ALPHABET    "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define STORE_CODE_MAX	       16
#define STORE_DEDUPE_KEY_BYTES 32
#define STORE_SALT_BYTES       16
#define STORE_PENDING_MAX      512 /* a memkey-sealed receipt and address */

struct store;

enum store_mode {
	STORE_READWRITE, /* creates and migrates the schema */
	STORE_READONLY,
};

/* A report as the intake makes it, ready to commit. */
/*
 * A media item to fetch with the message (queue/fetcher.h): its provider
 * reference and the citizen's address, memkey-sealed; sealed NULL: none.
 */
struct store_fetch {
	const unsigned char *sealed;
	size_t sealed_len;
};

struct store_report {
	unsigned char uid[SEAL_REPORT_ID_BYTES]; /* random */
	char code[STORE_CODE_MAX];		 /* e.g. KDR-7K3M9Q */
	const char *channel;
	const char *type; /* text, location, media, reply */
	const char *text;
	int has_location;
	double latitude, longitude;
	const char *media_type; /* NULL when none */
	time_t received_at;	/* stored to the hour */
	unsigned char dedupe[STORE_HASH_BYTES];
	struct sealed_identity sealed;
	/* the epoch its key derives from (stored with it), NULL: the key is
	 * sealed.sealed_key (version 1) */
	struct epoch_seal *epoch;
	/* routing: ids (kelurahan: its configured name), NULL when unknown */
	const char *status; /* routed or triage */
	const char *category, *opd, *kecamatan, *kelurahan;
	const char *subject;	     /* the OPD it is about, NULL: none */
	const char *accused;	     /* staff, leadership, mayor; NULL: none */
	const char *routing;	     /* the decision and its evidence, JSON */
	time_t ack_due, resolve_due; /* deadlines, 0: none */
	time_t watch_at; /* when its OPD is alerted: after the merge window */
	/* the receipt (and where to send it), memkey-sealed until hashed */
	unsigned char pending[STORE_PENDING_MAX];
	size_t pending_len;
	struct store_fetch fetch; /* its photo, voice note, ... */
	/* media the sender sent just before (queued first), in order */
	const struct store_fetch *held;
	size_t nheld;
	long long id;  /* set by store_insert_report */
	int duplicate; /* set by store_insert_report */
};

/*
 * A message to send.  A citizen's address and text are only ever stored
 * memkey-sealed (sealed); a staff member's are in clear.
 */
struct store_outbound {
	long long report_id; /* 0: none */
	const char *kind;    /* ack, place_added, status, added, ... */
	const char *channel;
	const char *status; /* queued, or sent when it went inline */
	const unsigned char *sealed;
	size_t sealed_len;
	const char *destination, *body; /* staff only */
	/* a WhatsApp template and its parameters (a JSON array), or NULL */
	const char *template_name, *template_params;
	const char *fallback;	 /* a channel to try when this row dies */
	long long not_before_ms; /* not tried before then; 0: at once */
};

/*
 * A citizen's message that is not a new report: the place asked for, an
 * addition, or a message with nothing in it.  It is deduped like a report
 * and may add a note to a report and queue a reply.
 */
struct store_followup {
	const char *channel;
	unsigned char dedupe[STORE_HASH_BYTES];
	long long target;	 /* the report's id, 0: none */
	const char *target_code; /* or its code (when target is 0) */
	const char *note_kind;	 /* place, addition, ...; NULL: no note */
	const char *text;
	const char *kecamatan,
	    *kelurahan; /* set on the report if it has none */
	/* the report routed again with the note (until its OPD is alerted) */
	struct {
		int set;
		const char *status, *category, *opd, *kecamatan, *kelurahan;
		const char *routing, *subject, *accused;
	} route;
	time_t watch_at;	     /* its alert waits until then, 0: as is */
	struct store_outbound reply; /* reply.kind NULL: no reply */
	struct store_fetch fetch;    /* media that joins the report */
	int duplicate;		     /* set by store_insert_followup */
};

/* A provider's delivery report for one of our messages. */
struct store_status {
	const char *channel;
	unsigned char message[STORE_HASH_BYTES]; /* keyed hash of its id */
	const char *status;
	int error_code;
	time_t at;
};

/* One report as `hotline reports` lists it: never identity. */
struct store_report_row {
	const char *code, *status, *channel, *category, *opd;
	const char *kecamatan, *kelurahan;
	time_t received_at;
	time_t ack_due, resolve_due;	     /* 0: none */
	time_t acknowledged_at, resolved_at; /* 0: not yet */
	int marks;			     /* STORE_MARK_* */
	int attachments;		     /* evidence stored with it */
};

struct store *store_open(
    const char *path, enum store_mode, char *err, size_t errlen);
void store_close(struct store *);

/* The key of the dedupe hash, created with the database. */
const unsigned char *store_dedupe_key(const struct store *);

/*
 * Keyed hash of (channel, provider id): how a delivery is recognised
 * again without storing the id, which may carry the sender's number.
 */
void store_hash_id(const unsigned char key[STORE_DEDUPE_KEY_BYTES],
    const char *channel, const char *id, unsigned char out[STORE_HASH_BYTES]);

/* The salt of receipt hashes, created with the database. */
const unsigned char *store_receipt_salt(const struct store *);

/* Make a fresh random report code: PREFIX-XXXXXX. */
void store_new_code(const char *prefix, char code[STORE_CODE_MAX]);

int store_begin(struct store *, char *err, size_t errlen);
int store_commit(struct store *, char *err, size_t errlen);
void store_rollback(struct store *);

/*
 * Inside a transaction: insert a report with its sealed identity, unless
 * its delivery was seen before (then r->duplicate is set and nothing is
 * written).  A clash of report codes draws a new code.  Returns 0 or -1.
 */
int store_insert_report(struct store *, struct store_report *r,
    const char *prefix, char *err, size_t errlen);
/* Inside a transaction: store a follow-up (see struct store_followup). */
int store_insert_followup(
    struct store *, struct store_followup *, char *err, size_t errlen);

/* Inside a transaction: queue a message.  now in milliseconds. */
int store_insert_outbound(struct store *, const struct store_outbound *,
    long long now_ms, char *err, size_t errlen);

/*
 * Inside a transaction: keep a delivery report (once per status) and move
 * the outbox row it is about forward, never back.
 */
int store_insert_status(
    struct store *, const struct store_status *, char *err, size_t errlen);

/* A report waiting for its receipt to be hashed. */
struct store_pending {
	long long id;
	const char *code, *channel, *opd, *kecamatan, *kelurahan;
	const unsigned char *pending;
	size_t pending_len;
};

/* Call fn for up to limit reports whose receipt waits: how many, or -1. */
int store_each_pending(struct store *, int limit,
    int (*fn)(const struct store_pending *, void *), void *arg, char *err,
    size_t errlen);

/*
 * Inside a transaction: the receipt of report id is hashed (hash NULL:
 * lost at a restart); the pending blob is erased either way.
 */
int store_set_receipt(struct store *, long long id, const unsigned char *hash,
    char *err, size_t errlen);

/* What a citizen's CEK shows of a report. */
struct store_report_status {
	long long id;
	char code[STORE_CODE_MAX];
	char status[32];
	char category[64], opd[64];
	char outcome[1024]; /* the head's note on resolving, "" when none */
	time_t updated_at;
};

/* Find a report by receipt hash.  0, 1 (none) or -1. */
int store_find_by_receipt(struct store *, const unsigned char *hash,
    struct store_report_status *, char *err, size_t errlen);

/* Inside a transaction: add a note to report id and touch updated_at. */
int store_add_note(struct store *, long long id, const char *kind,
    const char *text, char *err, size_t errlen);

/* Inside a transaction: remember a delivery; 1 if it was seen before. */
int store_seen(struct store *, const char *channel,
    const unsigned char dedupe[STORE_HASH_BYTES], char *err, size_t errlen);

/* One outbox row, for the dispatcher and `hotline outbox`. */
struct store_outbox_row {
	long long id, report_id;
	const char *report_code; /* NULL when none */
	const char *kind, *channel, *status;
	const unsigned char *sealed;
	size_t sealed_len;
	const char *destination, *body, *last_error;
	int attempts;
	long long next_attempt_at, created_at, updated_at; /* ms */
	const char *template_name, *template_params, *fallback;
};

/* Rows due to be sent at now_ms (queued or failed), oldest first. */
int store_each_due(struct store *, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen);

/*
 * The same for one channel's rows (an SMSSync phone polling for them):
 * queued or failed, due at now_ms, oldest first.
 */
int store_each_due_on(struct store *, const char *channel, long long now_ms,
    int limit, int (*fn)(const struct store_outbox_row *, void *), void *arg,
    char *err, size_t errlen);

/* The fetch rows (kind fetch) due at now_ms, oldest first. */
int store_each_fetch_due(struct store *, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen);

/* The keyed hash of a provider's message id on channel (as stored). */
void store_provider_hash(struct store *, const char *channel, const char *id,
    unsigned char out[STORE_HASH_BYTES]);

/* What store_resend() did. */
struct store_resent {
	long long queued;   /* staff messages queued again */
	long long citizens; /* citizens' messages left: their address is gone */
};

/*
 * Queue the dead messages again (all or of one kind, dead since since_ms
 * when it is not 0), now_ms: staff messages only, a citizen's address
 * being erased when its message died.  0 or -1.
 */
int store_resend(struct store *, const char *kind, long long since_ms,
    long long now_ms, struct store_resent *, char *err, size_t errlen);

/* Every outbox row, oldest first. */
int store_each_outbox(struct store *,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen);
/* The outbox rows in one status (NULL: every row), oldest first. */
int store_each_outbox_in(struct store *, const char *status,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen);

/*
 * Claim row id for sending (status sending, one more attempt).  0 when
 * claimed, 1 when it was not due any more, -1 on error.
 */
int store_outbox_claim(
    struct store *, long long id, long long now_ms, char *err, size_t errlen);

/*
 * Record the outcome of an attempt: status sent (with the provider id's
 * hash), failed (retry at next_ms) or dead.  A dead row's sealed address
 * is erased.
 */
int store_outbox_result(struct store *, long long id, const char *status,
    const unsigned char *provider_hash, long long next_ms, const char *error,
    long long now_ms, char *err, size_t errlen);

/*
 * At start: rows sealed under a previous process's memkey can never be
 * sent: they become dead and their sealed address is erased; staff rows
 * caught sending are retried.  Returns the number of rows dropped, or -1.
 */
long long store_outbox_recover(
    struct store *, long long now_ms, char *err, size_t errlen);

/*
 * At start, with the runtime key of the last process kept: everything it
 * sealed opens, so nothing is dropped; rows caught sending are retried,
 * sent rows lose their address.  Returns 0 (rows dropped) or -1.
 */
long long store_outbox_resume(
    struct store *, long long now_ms, char *err, size_t errlen);

/* Call fn for every report, oldest first.  Returns 0 or -1. */
int store_each_report(struct store *,
    int (*fn)(const struct store_report_row *, void *), void *arg, char *err,
    size_t errlen);

/*
 * Find a report's sealed identity by its code, and the shares of the key
 * that opens it (queue/custody.h; none when retention destroyed it).  0,
 * 1 (no such code) or -1.
 */
int store_find_identity(struct store *, const char *code,
    unsigned char uid[SEAL_REPORT_ID_BYTES], struct sealed_identity *out,
    struct custody_sealed *shares, char *err, size_t errlen);

/*
 * Checkpoint the WAL into the database and truncate it, so that what was
 * just deleted (with secure_delete, overwritten in the database) leaves
 * the WAL too.  Best effort: a reader in the way leaves it for later.
 */
void store_checkpoint_truncate(struct store *);

/*
 * The shares of epoch key epoch (-1: the audit's root key) into out.  0
 * (out->n 0 when there are none) or -1.
 */
int store_epoch_shares(struct store *, long long epoch,
    struct custody_sealed *out, char *err, size_t errlen);

/* Inside a transaction: replace the shares of epoch key epoch.  0 or -1. */
int store_put_shares(struct store *, long long epoch,
    const struct custody_sealed *, char *err, size_t errlen);

/*
 * After intake (queue/store_cases.c): heads' commands, the history of a
 * report, the watcher's deadlines, the digest's counts.
 */

/* What the watcher has done for a report (reports.marks). */
#define STORE_MARK_ALERTED	     0x01 /* its OPD's heads were alerted */
#define STORE_MARK_REMINDED_ACK	     0x02 /* reminded to acknowledge */
#define STORE_MARK_ESCALATED_ACK     0x04 /* not acknowledged in time */
#define STORE_MARK_REMINDED_RESOLVE  0x08 /* reminded to resolve */
#define STORE_MARK_ESCALATED_RESOLVE 0x10 /* not resolved in time */
#define STORE_MARK_COPIED	     0x20 /* [category] also_notify alerted */
#define STORE_MARK_ESCALATED                                                   \
	(STORE_MARK_ESCALATED_ACK | STORE_MARK_ESCALATED_RESOLVE)

/* A report as heads' commands and the watcher see it. */
struct store_case {
	long long id;
	char code[STORE_CODE_MAX];
	char status[32], category[64], opd[64], kecamatan[64], kelurahan[64];
	char subject[64]; /* the office it is about, "" when none */
	char *text;	  /* store_due_cases only (malloc'd), else NULL */
	time_t ack_due, resolve_due; /* 0: none */
	time_t acknowledged_at;	     /* 0: never acknowledged */
	int marks;		     /* STORE_MARK_* */
	/* store_due_cases only: evidence stored by kind (image, video,
	 * audio, document: queue/evidence.h's order) */
	int evidence[4];
};

/* Find a report by its code: 0, 1 (no such code) or -1. */
int store_find_case(struct store *, const char *code, struct store_case *,
    char *err, size_t errlen);

/*
 * Up to max reports the watcher should look at by now (watch_at <= now),
 * soonest first, into out: how many, or -1.  Free with store_cases_free.
 */
int store_due_cases(struct store *, time_t now, struct store_case *out, int max,
    char *err, size_t errlen);
void store_cases_free(struct store_case *, int n);

/* When the watcher must next look: 0 with *at set, 1 (never) or -1. */
int store_next_watch(struct store *, time_t *at, char *err, size_t errlen);

/* Inside a transaction: the watcher's marks and next look (-1: none). */
int store_set_watch(struct store *, long long id, int marks, time_t watch_at,
    char *err, size_t errlen);

/* A status change, as queue/lifecycle.h allows it. */
struct store_transition {
	long long id;
	const char *from, *to; /* the update applies only while at from */
	const char *opd;       /* a new OPD (to triage), NULL: unchanged */
	const char *action;    /* lifecycle_action_name() */
	const char *actor;     /* "head:dishub", "system" */
	const char *note;      /* the head's note, NULL: none */
	const char *summary;   /* the verifier's summary, NULL: unchanged */
	time_t ack_due, resolve_due; /* new deadlines, 0: unchanged */
	int acknowledged;	     /* record the first acknowledgement */
	int resolved; /* record the resolution, note as outcome */
	time_t at;
};

/*
 * Inside a transaction: change a report's status and add the history row.
 * A new OPD is alerted afresh.  The watcher looks at the report at once.
 * 0, 1 when the report is no longer at t->from, or -1.
 */
int store_transition(
    struct store *, const struct store_transition *t, char *err, size_t errlen);

/* Inside a transaction: a history row that changes no status. */
int store_add_history(struct store *, long long id, time_t at,
    const char *actor, const char *action, const char *note, char *err,
    size_t errlen);

struct store_history_row {
	time_t at;
	const char *actor, *action, *from_status, *to_status, *note;
};

/* Call fn for report code's history, oldest first.  0 or -1. */
int store_each_history(struct store *, const char *code,
    int (*fn)(const struct store_history_row *, void *), void *arg, char *err,
    size_t errlen);

/* A report as its web page shows it: never identity. */
struct store_report_page {
	struct store_case c; /* c.text is malloc'd */
	char channel[32], type[16];
	char *routing; /* the decision and its evidence, JSON (malloc'd) */
	char outcome[1024];
	time_t received_at, resolved_at;
	char accused[16]; /* staff, leadership, mayor, "" for none */
	char *summary;	  /* the verifier's, for the OPD (malloc'd), or NULL */
};

/* Read report code for its page: 0, 1 (none) or -1.  Free with
 * store_report_page_free(). */
int store_report_page(struct store *, const char *code,
    struct store_report_page *, char *err, size_t errlen);
void store_report_page_free(struct store_report_page *);

/* A note on a report (a citizen's addition, the place given later). */
struct store_note_row {
	time_t at;
	const char *kind, *text;
};
int store_each_note(struct store *, long long report_id,
    int (*fn)(const struct store_note_row *, void *), void *arg, char *err,
    size_t errlen);

/* The outbox rows of one report, oldest first. */
int store_each_report_outbox(struct store *, long long report_id,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen);

/*
 * The open reports (not resolved or closed) of an OPD, deadline first;
 * c.text is NULL.  fn gets each as a store_case.
 */
int store_each_open_case(struct store *, const char *opd,
    int (*fn)(const struct store_case *, void *), void *arg, char *err,
    size_t errlen);

/* The counts of the daily digest. */
struct store_digest {
	long long received;   /* since the given time */
	long long resolved;   /* since the given time */
	long long overdue;    /* open now, past a deadline */
	long long open;	      /* not resolved, closed or rejected */
	long long audit_rows; /* the audit log's anchor: its rows and head */
	char audit_head[17];
};
int store_digest_counts(struct store *, time_t since, time_t now,
    struct store_digest *, char *err, size_t errlen);

/*
 * The custodians the database was first served with ("mayor=3f2a 91c0
 * 7b44 e815"), kept in meta: the config must name the same ones, or the
 * identities of new reports would be sealed to a key swapped in.  With
 * pin (a writer): the first time, pins is kept.  0 when pins is what is
 * kept (or was just kept), 1 when another set is (into kept), 2 when none
 * is and pin is 0, -1 on error.
 */
int store_custodians(struct store *, const char *pins, int pin, char *kept,
    size_t keptlen, char *err, size_t errlen);

/* An integer kept in meta: 0 with *value set, 1 (none) or -1. */
int store_meta_int(struct store *, const char *name, long long *value);
/* Inside a transaction: keep an integer in meta.  0 or -1. */
int store_set_meta_int(struct store *, const char *name, long long value,
    char *err, size_t errlen);

/*
 * Overdue, in SQL, with now (seconds) as the expression given: past a
 * deadline not met, as `hotline reports` (gateway/commands.c overdue()),
 * the digest and the indicators count it; for open reports
 * (REPORT_OPEN_SQL) only.
 */
#define STORE_OVERDUE_SQL(now)                                                 \
	"((resolve_due IS NOT NULL AND resolve_due <= " now ") OR "            \
	"(acknowledged_at IS NULL AND ack_due IS NOT NULL AND "                \
	"ack_due <= " now "))"

/*
 * What /metrics shows of the database (queue/store_metrics.c).  Labels
 * are the code's own words (kinds, statuses) and the config's OPD ids.
 */
struct store_outbox_gauge {
	char kind[32], status[16];
	long long n;
};
struct store_opd_gauge {
	char opd[64];	     /* "" for reports with none */
	long long overdue;   /* open and past a deadline */
	long long escalated; /* open, and a missed deadline was escalated */
};
struct store_gauges {
	struct store_outbox_gauge *outbox; /* queued, sending, failed, dead */
	size_t noutbox;
	struct store_opd_gauge *opds; /* OPDs with open reports */
	size_t nopds;
	long long dead;	   /* outbox rows dead, of every kind */
	long long pending; /* receipts waiting to be hashed */
};

/*
 * Read the gauges at now, in one query (one snapshot), into out (free
 * with store_gauges_free).  0 or -1.
 */
int store_read_gauges(struct store *, time_t now, struct store_gauges *out,
    char *err, size_t errlen);
void store_gauges_free(struct store_gauges *);

/* The bytes of database file path and its WAL, or -1 when unreadable. */
long long store_file_bytes(const char *path);

/* Counts for tests and health: reports, delivery events. */
long long store_count(struct store *, const char *table);

/* Reports whose receipt waits to be hashed, or -1. */
long long store_count_pending(struct store *);

/* Outbox rows in one status, or -1. */
long long store_count_outbox(struct store *, const char *status);

/* Take and release the write lock: is the database writable?  0 or -1. */
int store_check_writable(struct store *, char *err, size_t errlen);

/*
 * Checkpoint the WAL into the database without blocking the writer
 * (SQLite's PASSIVE mode).  0 or -1.
 */
int store_checkpoint(struct store *);

/* Leave checkpoints to store_checkpoint(), up to a safety net of pages. */
void store_defer_checkpoints(struct store *, int pages);

/* Copy the database to path with the SQLite backup API.  0 or -1. */
int store_backup(struct store *, const char *path, char *err, size_t errlen);

/* The schema version this binary makes and serves (PRAGMA user_version). */
int store_schema_version(void);

/*
 * Check a database file that nothing has open (the copy of a backup about
 * to be restored), read-only: SQLite's integrity_check passes, it is a
 * hotline database, and its schema is not newer than this binary's (an
 * older one is migrated when next opened read-write).  0 with *version
 * set, or -1 with err saying which check failed, as what follows the
 * file's name ("is damaged: ...").
 */
int store_check_file(const char *path, int *version, char *err, size_t errlen);

/*
 * The database at path taken for oneself, as a restore needs it: opened
 * with SQLite's exclusive locking, which fails while another process (the
 * service) has it open, and held until store_close().  Nothing is
 * written.  Only store_detach_wal() and store_close() apply to it.  NULL
 * with err set (in use, or not a database).
 */
struct store *store_lock(const char *path, char *err, size_t errlen);

/*
 * Make a database taken with store_lock() whole in its own file: its WAL
 * checkpointed into it and ended (journal_mode DELETE; serve turns WAL
 * back on), so that the file can be moved without a -wal.  0 or -1.
 */
int store_detach_wal(struct store *, char *err, size_t errlen);

/*
 * Evidence (queue/store_evidence.c).  Inside a transaction: a pending
 * attachment of report report_id, next in its order, and the outbox row
 * of kind fetch that gets it (body: the attachment's id).  0 or -1.
 */
int store_attachment_queue(struct store *, long long report_id,
    const char *channel, const struct store_fetch *, time_t received_at,
    char *err, size_t errlen);

/* An attachment as the views list it: never its bytes. */
struct store_attachment {
	long long id;
	int seq;
	const char *status; /* pending, stored, refused */
	const char *kind;   /* image, video, audio, document; NULL: not yet */
	const char *mime, *reason;
	long long size;
	time_t received_at;
};

/* Call fn for each attachment of report code, in order.  0 or -1. */
int store_each_attachment(struct store *, const char *code,
    int (*fn)(const struct store_attachment *, void *), void *arg, char *err,
    size_t errlen);

/* How many attachments report_id has stored.  0 or -1. */
int store_attachments_stored(struct store *, long long report_id, int *n);

/* Inside a transaction: attachment id stored, or refused (why).  0 or -1. */
int store_attachment_stored(struct store *, long long id, const char *kind,
    const char *mime, long long size, const unsigned char sha256[32],
    const unsigned char *sealed_key, size_t sealed_key_len,
    const unsigned char *data, size_t len, char *err, size_t errlen);
int store_attachment_refused(
    struct store *, long long id, const char *reason, char *err, size_t errlen);

/*
 * The encrypted bytes of attachment seq of report code: *data (malloc'd)
 * and its sealed key, kind and MIME type (into the buffers given).  0, 1
 * (none stored by that number), or -1.
 */
int store_attachment_data(struct store *, const char *code, int seq,
    unsigned char **data, size_t *len, unsigned char *sealed_key,
    size_t sealed_key_len, char *kind, size_t kindlen, char *mime,
    size_t mimelen, char *err, size_t errlen);

/* The report an attachment belongs to: its id.  0, 1 (no such), -1. */
int store_attachment_report(struct store *, long long attachment_id,
    long long *report_id, char *err, size_t errlen);

#endif
