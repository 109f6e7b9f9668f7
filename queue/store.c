/*
 * store: the SQLite database of reports.
 *
 * Durability first: journal_mode=WAL with synchronous=FULL, so a COMMIT
 * that returned is on disk; concurrency comes from the writer batching
 * many reports into one transaction, never from weaker syncing.  This
 * file owns the connection and intake; the schema and its migrations are
 * queue/store_schema.c's, the outbox queue/store_outbox.c's.
 *
 * What is never stored: a phone number, a profile name, a provider message
 * id, an exact receive time.  Those are inside the sealed identity.  A
 * delivery is recognised again by a keyed BLAKE2b hash of its provider id
 * (a WhatsApp wamid carries the sender's number in base64).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/receipt.h"
#include "queue/store.h"
#include "queue/audit.h"
#include "queue/store_private.h"
#include "queue/report.h"

#define CODE_CHARS 6
#define CODE_TRIES 8

static const char *const stmt_sql[ST_COUNT] = {
    [ST_INBOUND] = "INSERT INTO inbound(hash, channel) VALUES (?, ?) "
		   "ON CONFLICT(hash) DO NOTHING",
    [ST_REPORT] = "INSERT INTO reports(uid, code, channel, type, text, "
		  "latitude, longitude, media_type, received_at, status, "
		  "category, opd, kecamatan, kelurahan, routing, pending, "
		  "updated_at, ack_due, resolve_due, watch_at, subject, "
		  "accused) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		  "?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_IDENTITY] = "INSERT INTO identities(report_id, version, nonce, "
		    "sealed_key, ciphertext, epoch) VALUES (?1, "
		    "CASE WHEN ?5 IS NULL THEN 1 ELSE 2 END, ?2, ?3, ?4, ?5)",
    [ST_EPOCH_KEY] = "INSERT INTO epoch_keys(epoch, custodian, sealed, "
		     "created_at) VALUES (?, ?, ?, ?) "
		     "ON CONFLICT(epoch, custodian) DO NOTHING",
    [ST_STATUS] = "INSERT INTO delivery_events(channel, message_hash, "
		  "status, error_code, at) VALUES (?, ?, ?, ?, ?) "
		  "ON CONFLICT(message_hash, status) DO NOTHING",
    /*
     * Delivery reports move a row forward only: sending < sent <
     * delivered < read.  A provider's report of failure is final (dead),
     * unless the message was delivered.  Delivered, read and dead erase a
     * citizen's sealed address.
     */
    [ST_OUTBOX_STATUS] = "UPDATE outbox SET status = ?1, updated_at = " AT_REST(
	"?2") ", "
	      "last_error = CASE WHEN ?1 = 'dead' THEN ?3 ELSE last_error END, "
	      "sealed = CASE WHEN ?1 IN ('delivered', 'read', 'dead') THEN "
	      "NULL "
	      "  ELSE sealed END "
	      "WHERE provider_hash = ?4 AND "
	      "(CASE status WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 "
	      "  WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 "
	      "  WHEN 'dead' THEN 9 ELSE 0 END) < "
	      "(CASE ?1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 "
	      "  WHEN 'dead' THEN 3 WHEN 'read' THEN 4 ELSE -1 END)",
    [ST_OUTBOUND] = "INSERT INTO outbox(report_id, kind, channel, "
		    "destination, body, sealed, status, next_attempt_at, "
		    "created_at, updated_at, template, params, fallback) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_NOTE] = "INSERT INTO report_notes(report_id, at, kind, text) "
		"VALUES (?1, ?2, ?3, ?4)",
    [ST_FOLLOWUP_REGION] =
	"UPDATE reports SET updated_at = ?2, "
	"kecamatan = CASE WHEN kecamatan IS NULL AND kelurahan IS NULL "
	"  THEN ?3 ELSE kecamatan END, "
	"kelurahan = CASE WHEN kecamatan IS NULL AND kelurahan IS NULL "
	"  THEN ?4 ELSE kelurahan END "
	"WHERE id = ?1",
    [ST_CODE_ID] = "SELECT id FROM reports WHERE code = ?1",
    /*
     * A note routes its report again while the report waits for its
     * alert; once an OPD was alerted, only a missing place is filled in.
     */
    [ST_REROUTE] =
	"UPDATE reports SET status = ?2, category = ?3, opd = ?4, "
	"kecamatan = ?5, kelurahan = ?6, routing = ?7, subject = ?8, "
	"accused = ?9 "
	"WHERE id = ?1 AND (marks & 1) = 0 AND acknowledged_at IS NULL "
	"AND " REPORT_REROUTABLE_SQL,
    [ST_WATCH_LATER] =
	"UPDATE reports SET watch_at = ?2 WHERE id = ?1 AND (marks & 1) = 0 "
	"AND watch_at IS NOT NULL AND watch_at < ?2",
};

int
store_sql_fail(struct store *s, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

int
store_sql_exec(struct store *s, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_sql_fail(s, "database", err, errlen);
	return 0;
}

int
store_sql_int(
    struct store *s, const char *sql, const char *text, long long *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int
load_meta(struct store *s, const char *name, unsigned char *out, size_t len,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the database", err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (size_t)sqlite3_column_bytes(st, 0) == len) {
		memcpy(out, sqlite3_column_blob(st, 0), len);
		rc = 0;
	} else
		snprintf(err, errlen, "database has no %s", name);
	sqlite3_finalize(st);
	return rc;
}

struct store *
store_open(const char *path, enum store_mode mode, char *err, size_t errlen)
{
	struct store *s;
	struct stat st;
	int flags, i;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	flags = mode == STORE_READONLY
	    ? SQLITE_OPEN_READONLY
	    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (mode == STORE_READWRITE) {
		if (store_sql_exec(s, "PRAGMA journal_mode=WAL", err, errlen) ==
			-1 ||
		    store_sql_exec(s, "PRAGMA synchronous=FULL", err, errlen) ==
			-1 ||
		    store_sql_exec(s, "PRAGMA wal_autocheckpoint=10000", err,
			errlen) == -1 ||
		    store_sql_exec(s, "PRAGMA secure_delete=ON", err, errlen) ==
			-1 ||
		    store_sql_exec(s, "PRAGMA foreign_keys=ON", err, errlen) ==
			-1 ||
		    store_migrate(s, err, errlen) == -1)
			goto fail;
		for (i = 0; i < ST_COUNT; i++)
			if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
				SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				NULL) != SQLITE_OK) {
				store_sql_fail(s, "preparing", err, errlen);
				goto fail;
			}
	} else if (store_user_version(s) != store_schema_version()) {
		snprintf(err, errlen, "%s: not a hotline database", path);
		goto fail;
	}
	if (stat(path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	if (load_meta(s, "dedupe_key", s->dedupe_key, sizeof s->dedupe_key, err,
		errlen) == -1 ||
	    load_meta(s, "receipt_salt", s->receipt_salt,
		sizeof s->receipt_salt, err, errlen) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	sodium_memzero(s->dedupe_key, sizeof s->dedupe_key);
	sodium_memzero(s->receipt_salt, sizeof s->receipt_salt);
	free(s);
}

const unsigned char *
store_dedupe_key(const struct store *s)
{
	return s->dedupe_key;
}

const unsigned char *
store_receipt_salt(const struct store *s)
{
	return s->receipt_salt;
}

void
store_hash_id(const unsigned char key[STORE_DEDUPE_KEY_BYTES],
    const char *channel, const char *id, unsigned char out[STORE_HASH_BYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(
	    &st, key, STORE_DEDUPE_KEY_BYTES, STORE_HASH_BYTES);
	crypto_generichash_update(
	    &st, (const unsigned char *)channel, strlen(channel) + 1);
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
	crypto_generichash_final(&st, out, STORE_HASH_BYTES);
}

void
store_new_code(const char *prefix, char code[STORE_CODE_MAX])
{
	size_t len;

	len = (size_t)snprintf(code, STORE_CODE_MAX, "%.8s-", prefix);
	random_chars(code + len, CODE_CHARS, STORE_CODE_ALPHABET);
	code[len + CODE_CHARS] = '\0';
}

int
store_begin(struct store *s, char *err, size_t errlen)
{
	return store_sql_exec(s, "BEGIN IMMEDIATE", err, errlen);
}

int
store_commit(struct store *s, char *err, size_t errlen)
{
	int rc = store_sql_exec(s, "COMMIT", err, errlen);

	if (rc == 0 && s->pending_epoch != 0)
		s->last_epoch = s->pending_epoch;
	s->pending_epoch = 0;
	return rc;
}

void
store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->pending_epoch = 0;
}

int
store_sql_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int insert_epoch(
    struct store *, const struct epoch_seal *, char *err, size_t errlen);

int
store_insert_report(struct store *s, struct store_report *r, const char *prefix,
    char *err, size_t errlen)
{
	sqlite3_int64 hour = r->received_at - r->received_at % 3600;
	sqlite3_stmt *st;
	sqlite3_int64 id;
	int rc, tries;
	size_t i;

	if ((r->duplicate =
		    store_seen(s, r->channel, r->dedupe, err, errlen)) != 0)
		return r->duplicate == 1 ? 0 : -1;

	st = s->stmt[ST_REPORT];
	for (tries = 0;; tries++) {
		sqlite3_bind_blob(st, 1, r->uid, sizeof r->uid, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, r->text, -1, SQLITE_STATIC);
		if (r->has_location) {
			sqlite3_bind_double(st, 6, r->latitude);
			sqlite3_bind_double(st, 7, r->longitude);
		}
		if (r->media_type != NULL)
			sqlite3_bind_text(
			    st, 8, r->media_type, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, hour);
		sqlite3_bind_text(st, 10,
		    r->status ? r->status : report_status_name(REPORT_RECEIVED),
		    -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, r->category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 12, r->opd, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, r->kecamatan, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, r->kelurahan, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, r->routing, -1, SQLITE_STATIC);
		if (r->pending_len > 0)
			sqlite3_bind_blob(st, 16, r->pending,
			    (int)r->pending_len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 17, hour);
		if (r->ack_due > 0)
			sqlite3_bind_int64(st, 18, r->ack_due);
		if (r->resolve_due > 0)
			sqlite3_bind_int64(st, 19, r->resolve_due);
		sqlite3_bind_int64(st, 20, r->watch_at);
		sqlite3_bind_text(st, 21, r->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 22, r->accused, -1, SQLITE_STATIC);
		rc = store_sql_step(st);
		if (rc == SQLITE_DONE)
			break;
		/* A clash of random codes: draw another. */
		if (rc != SQLITE_CONSTRAINT || tries == CODE_TRIES)
			return store_sql_fail(
			    s, "storing a report", err, errlen);
		store_new_code(prefix, r->code);
	}
	r->id = id = sqlite3_last_insert_rowid(s->db);

	st = s->stmt[ST_IDENTITY];
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(
	    st, 2, r->sealed.nonce, sizeof r->sealed.nonce, SQLITE_STATIC);
	if (r->epoch != NULL) { /* the key is the epoch's */
		sqlite3_bind_zeroblob(st, 3, 0);
		sqlite3_bind_int64(st, 5, r->epoch->id);
	} else
		sqlite3_bind_blob(st, 3, r->sealed.sealed_key,
		    sizeof r->sealed.sealed_key, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, r->sealed.ciphertext,
	    (int)r->sealed.ciphertext_len, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "storing an identity", err, errlen);
	if (r->epoch != NULL && insert_epoch(s, r->epoch, err, errlen) == -1)
		return -1;
	for (i = 0; i < r->nheld; i++)
		if (store_attachment_queue(s, r->id, r->channel, &r->held[i],
			r->received_at, err, errlen) == -1)
			return -1;
	return r->fetch.sealed != NULL
	    ? store_attachment_queue(
		  s, r->id, r->channel, &r->fetch, r->received_at, err, errlen)
	    : 0;
}

/*
 * The epoch's key sealed to each custodian, stored once (with the first
 * report that uses it; a report of the same epoch on another connection
 * or after a rollback finds the rows there or writes them again).
 */
static int
insert_epoch(
    struct store *s, const struct epoch_seal *e, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_EPOCH_KEY];
	size_t i;

	if (e->id == s->last_epoch || e->id == s->pending_epoch)
		return 0;
	for (i = 0; i < e->sealed.n; i++) {
		const struct custody_share *sh = &e->sealed.share[i];

		sqlite3_bind_int64(st, 1, e->id);
		sqlite3_bind_text(st, 2, sh->label, -1, SQLITE_STATIC);
		sqlite3_bind_blob(
		    st, 3, sh->sealed, sizeof sh->sealed, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, store_hour((long long)time(NULL)));
		if (store_sql_step(st) != SQLITE_DONE)
			return store_sql_fail(
			    s, "storing an epoch key", err, errlen);
	}
	s->pending_epoch = e->id;
	return 0;
}

int
store_seen(struct store *s, const char *channel,
    const unsigned char dedupe[STORE_HASH_BYTES], char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_INBOUND];

	sqlite3_bind_blob(st, 1, dedupe, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "storing a delivery", err, errlen);
	return sqlite3_changes(s->db) == 0;
}

long long
store_hour(long long t)
{
	return t - t % 3600;
}

int
store_insert_followup(
    struct store *s, struct store_followup *f, char *err, size_t errlen)
{
	long long now = (long long)time(NULL), hour = store_hour(now);
	struct store_outbound reply;
	sqlite3_stmt *st;
	int rc;

	if ((f->duplicate =
		    store_seen(s, f->channel, f->dedupe, err, errlen)) != 0)
		return f->duplicate == 1 ? 0 : -1;
	if (f->target == 0 && f->target_code != NULL) {
		/*
		 * Notes are decided in order with their report (queue/
		 * senders.h), so it is here, committed or earlier in this
		 * transaction; only a commit that failed leaves none.
		 */
		st = s->stmt[ST_CODE_ID];
		sqlite3_bind_text(st, 1, f->target_code, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			f->target = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_sql_fail(
			    s, "finding a report", err, errlen);
	}
	if (f->target > 0 && f->route.set) {
		st = s->stmt[ST_REROUTE];
		sqlite3_bind_int64(st, 1, f->target);
		sqlite3_bind_text(st, 2, f->route.status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->route.category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f->route.opd, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, f->route.kecamatan, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, f->route.kelurahan, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, f->route.routing, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, f->route.subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, f->route.accused, -1, SQLITE_STATIC);
		if (store_sql_step(st) != SQLITE_DONE)
			return store_sql_fail(
			    s, "routing a report again", err, errlen);
	}
	if (f->target > 0 && f->watch_at > 0) {
		st = s->stmt[ST_WATCH_LATER];
		sqlite3_bind_int64(st, 1, f->target);
		sqlite3_bind_int64(st, 2, f->watch_at);
		if (store_sql_step(st) != SQLITE_DONE)
			return store_sql_fail(
			    s, "delaying an alert", err, errlen);
	}
	if (f->target > 0 && f->note_kind != NULL) {
		st = s->stmt[ST_NOTE];
		sqlite3_bind_int64(st, 1, f->target);
		sqlite3_bind_int64(st, 2, hour);
		sqlite3_bind_text(st, 3, f->note_kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f->text, -1, SQLITE_STATIC);
		if (store_sql_step(st) != SQLITE_DONE)
			return store_sql_fail(s, "storing a note", err, errlen);
		st = s->stmt[ST_FOLLOWUP_REGION];
		sqlite3_bind_int64(st, 1, f->target);
		sqlite3_bind_int64(st, 2, hour);
		sqlite3_bind_text(st, 3, f->kecamatan, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, f->kelurahan, -1, SQLITE_STATIC);
		if (store_sql_step(st) != SQLITE_DONE)
			return store_sql_fail(
			    s, "updating a report", err, errlen);
	}
	if (f->target > 0 && f->fetch.sealed != NULL &&
	    store_attachment_queue(
		s, f->target, f->channel, &f->fetch, now, err, errlen) == -1)
		return -1;
	if (f->reply.kind == NULL)
		return 0;
	reply = f->reply;
	if (reply.report_id == 0)
		reply.report_id = f->target;
	return store_insert_outbound(s, &reply, now * 1000, err, errlen);
}

const char *
store_sql_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/*
 * Step st to its end, handing each row to row(st, arg), which returns -1
 * to stop early; finalize st.  Returns the number of rows handed over, or
 * -1 (err says what failed).
 */
int
store_sql_rows(struct store *s, sqlite3_stmt *st,
    int (*row)(sqlite3_stmt *, void *), void *arg, const char *what, char *err,
    size_t errlen)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (row(st, arg) == -1) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, what, err, errlen);
	return n;
}

/* The caller's function for each report, and its argument. */
struct report_pass {
	int (*fn)(const struct store_report_row *, void *);
	void *arg;
};

static int
report_row(sqlite3_stmt *st, void *arg)
{
	const struct report_pass *p = arg;
	struct store_report_row row;

	row.code = store_sql_text(st, 0);
	row.status = store_sql_text(st, 1);
	row.channel = store_sql_text(st, 2);
	row.category = store_sql_text(st, 3);
	row.opd = store_sql_text(st, 4);
	row.kecamatan = store_sql_text(st, 5);
	row.kelurahan = store_sql_text(st, 6);
	row.received_at = (time_t)sqlite3_column_int64(st, 7);
	row.ack_due = (time_t)sqlite3_column_int64(st, 8);
	row.resolve_due = (time_t)sqlite3_column_int64(st, 9);
	row.acknowledged_at = (time_t)sqlite3_column_int64(st, 10);
	row.resolved_at = (time_t)sqlite3_column_int64(st, 11);
	row.marks = sqlite3_column_int(st, 12);
	row.attachments = sqlite3_column_int(st, 13);
	return p->fn(&row, p->arg);
}

int
store_each_report(struct store *s,
    int (*fn)(const struct store_report_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct report_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT code, status, channel, category, opd, kecamatan, "
		"kelurahan, received_at, ack_due, resolve_due, "
		"acknowledged_at, resolved_at, marks, (SELECT count(*) FROM "
		"attachments a WHERE a.report_id = reports.id AND a.status = "
		"'stored') FROM reports ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "listing reports", err, errlen);
	return store_sql_rows(s, st, report_row, &pass, "listing reports", err,
		   errlen) == -1
	    ? -1
	    : 0;
}

int
store_find_identity(struct store *s, const char *code,
    unsigned char uid[SEAL_REPORT_ID_BYTES], struct sealed_identity *out,
    struct custody_sealed *shares, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1, step, klen;
	size_t clen;

	shares->n = 0;
	if (sqlite3_prepare_v2(s->db,
		"SELECT r.uid, i.nonce, i.sealed_key, i.ciphertext, "
		"coalesce(i.epoch, 0) "
		"FROM reports r JOIN identities i ON i.report_id = r.id "
		"WHERE r.code = ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "finding a report", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		snprintf(err, errlen, "no such report");
		rc = 1;
		goto done;
	}
	if (step != SQLITE_ROW) {
		store_sql_fail(s, "finding a report", err, errlen);
		goto done;
	}
	clen = (size_t)sqlite3_column_bytes(st, 3);
	klen = sqlite3_column_bytes(st, 2);
	if (sqlite3_column_bytes(st, 0) != SEAL_REPORT_ID_BYTES ||
	    sqlite3_column_bytes(st, 1) != SEAL_NONCE_BYTES ||
	    (klen != 0 && klen != SEAL_SEALED_KEY_BYTES) ||
	    clen > sizeof out->ciphertext) {
		snprintf(err, errlen, "sealed identity is corrupt");
		goto done;
	}
	memcpy(uid, sqlite3_column_blob(st, 0), SEAL_REPORT_ID_BYTES);
	memcpy(out->nonce, sqlite3_column_blob(st, 1), SEAL_NONCE_BYTES);
	memset(out->sealed_key, 0, sizeof out->sealed_key);
	if (clen > 0)
		memcpy(out->ciphertext, sqlite3_column_blob(st, 3), clen);
	out->ciphertext_len = clen;
	out->epoch = sqlite3_column_int64(st, 4);
	if (out->epoch == 0 && klen != 0) {
		/* version 1: the report's own key, sealed to the mayor alone */
		memcpy(out->sealed_key, sqlite3_column_blob(st, 2),
		    SEAL_SEALED_KEY_BYTES);
		snprintf(shares->share[0].label, sizeof shares->share[0].label,
		    "mayor");
		memcpy(shares->share[0].sealed, out->sealed_key,
		    SEAL_SEALED_KEY_BYTES);
		shares->n = 1;
	}
	rc = 0;
	if (out->epoch != 0 && clen > 0)
		rc = store_epoch_shares(s, out->epoch, shares, err, errlen);
done:
	sqlite3_finalize(st);
	return rc;
}

void
store_checkpoint_truncate(struct store *s)
{
	sqlite3_exec(
	    s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

int
store_epoch_shares(struct store *s, long long epoch, struct custody_sealed *out,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int step;

	out->n = 0;
	if (sqlite3_prepare_v2(s->db,
		"SELECT custodian, sealed FROM epoch_keys WHERE epoch = ? "
		"ORDER BY custodian",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading an epoch key", err, errlen);
	sqlite3_bind_int64(st, 1, epoch);
	while ((step = sqlite3_step(st)) == SQLITE_ROW &&
	    out->n < CUSTODY_MAX_SHARES) {
		struct custody_share *sh = &out->share[out->n];
		const char *label = (const char *)sqlite3_column_text(st, 0);

		if (label == NULL || strlen(label) >= sizeof sh->label ||
		    sqlite3_column_bytes(st, 1) != SEAL_SEALED_KEY_BYTES)
			continue; /* not one of ours: it opens nothing */
		snprintf(sh->label, sizeof sh->label, "%s", label);
		memcpy(sh->sealed, sqlite3_column_blob(st, 1),
		    SEAL_SEALED_KEY_BYTES);
		out->n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_sql_fail(s, "reading an epoch key", err, errlen);
	return 0;
}

int
store_put_shares(struct store *s, long long epoch,
    const struct custody_sealed *in, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "DELETE FROM epoch_keys WHERE epoch = ?",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, epoch);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO epoch_keys(epoch, custodian, sealed, created_at) "
		"VALUES (?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < in->n; i++) {
		sqlite3_bind_int64(st, 1, epoch);
		sqlite3_bind_text(st, 2, in->share[i].label, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, in->share[i].sealed,
		    SEAL_SEALED_KEY_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, store_hour((long long)time(NULL)));
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	rc = 0;
fail:
	if (rc == -1)
		store_sql_fail(s, "storing an epoch key", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

long long
store_count(struct store *s, const char *table)
{
	char sql[128];
	sqlite3_stmt *st;
	long long n = -1;

	if (strcmp(table, "reports") != 0 && strcmp(table, "identities") != 0 &&
	    strcmp(table, "inbound") != 0 &&
	    strcmp(table, "delivery_events") != 0 &&
	    strcmp(table, "audit") != 0 && strcmp(table, "epoch_keys") != 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
store_check_writable(struct store *s, char *err, size_t errlen)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	struct stat st;

	/* deleted with its directory, the open file still takes writes */
	if (path == NULL || path[0] == '\0' || stat(path, &st) == -1 ||
	    st.st_dev != s->dev || st.st_ino != s->ino) {
		snprintf(err, errlen, "the database file is gone or replaced");
		return -1;
	}
	if (sqlite3_db_readonly(s->db, "main") != 0) {
		snprintf(err, errlen, "database is read-only");
		return -1;
	}
	if (store_begin(s, err, errlen) == -1)
		return -1;
	store_rollback(s);
	return 0;
}

int
store_backup(struct store *s, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open_v2(path, &dst,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
		NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	if ((b = sqlite3_backup_init(dst, "main", s->db, "main")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	/* Copy in steps so that the daemon's writer is never held up long. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	rc = sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * A bare connection, without the schema's statements: for a file checked
 * or taken whole.
 */
static struct store *
bare_open(const char *path, int flags, char *err, size_t errlen)
{
	struct store *s;

	if ((s = calloc(1, sizeof *s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return NULL;
	}
	return s;
}

int
store_check_file(const char *path, int *version, char *err, size_t errlen)
{
	unsigned char key[STORE_DEDUPE_KEY_BYTES];
	sqlite3_stmt *st = NULL;
	const char *verdict;
	struct store *s;
	int rc = -1;

	*version = -1;
	if ((s = bare_open(path, SQLITE_OPEN_READONLY, err, errlen)) == NULL) {
		snprintf(err, errlen, "cannot be opened");
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(1)", -1, &st,
		NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen,
		    "is not an SQLite database, or is damaged past reading "
		    "(%s)",
		    sqlite3_errmsg(s->db));
		goto done;
	}
	verdict = (const char *)sqlite3_column_text(st, 0);
	if (verdict == NULL || strcmp(verdict, "ok") != 0) {
		snprintf(err, errlen,
		    "is damaged: SQLite's integrity_check says \"%.200s\"",
		    verdict != NULL ? verdict : "");
		goto done;
	}
	if ((*version = store_user_version(s)) < 1 ||
	    load_meta(s, "dedupe_key", key, sizeof key, err, errlen) == -1) {
		snprintf(err, errlen, "is not a hotline database");
		goto done;
	}
	if (*version > store_schema_version()) {
		snprintf(err, errlen,
		    "has schema version %d, newer than this binary's (%d): "
		    "restore it with the hotline that made it, or upgrade "
		    "hotline first",
		    *version, store_schema_version());
		goto done;
	}
	rc = 0;
done:
	sodium_memzero(key, sizeof key);
	sqlite3_finalize(st);
	store_close(s);
	return rc;
}

struct store *
store_lock(const char *path, char *err, size_t errlen)
{
	struct store *s;

	if ((s = bare_open(path, SQLITE_OPEN_READWRITE, err, errlen)) == NULL)
		return NULL;
	/* a service stopping may take a moment to let go */
	sqlite3_busy_timeout(s->db, 2000);
	/* exclusive locking mode keeps the lock after the transaction */
	if (store_sql_exec(s, "PRAGMA locking_mode=EXCLUSIVE", err, errlen) ==
		0 &&
	    sqlite3_exec(s->db, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL) ==
		SQLITE_OK)
		return s;
	if (sqlite3_errcode(s->db) == SQLITE_BUSY)
		snprintf(err, errlen,
		    "%s is in use by another process: stop the service first "
		    "(systemctl stop hotline)",
		    path);
	else
		snprintf(err, errlen,
		    "%s: %s (if it is damaged, move it aside with its -wal "
		    "first)",
		    path, sqlite3_errmsg(s->db));
	store_close(s);
	return NULL;
}

int
store_detach_wal(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *mode;
	int rc = -1;

	/* out of WAL mode: SQLite checkpoints the WAL whole, then deletes it */
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=DELETE", -1, &st,
		NULL) != SQLITE_OK)
		return store_sql_fail(s, "ending the WAL", err, errlen);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (mode = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strcmp(mode, "delete") == 0)
		rc = 0;
	else
		store_sql_fail(s, "ending the WAL", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

struct pending_pass {
	int (*fn)(const struct store_pending *, void *);
	void *arg;
};

static int
pending_row(sqlite3_stmt *st, void *arg)
{
	const struct pending_pass *pp = arg;
	struct store_pending p;

	p.id = sqlite3_column_int64(st, 0);
	p.code = store_sql_text(st, 1);
	p.channel = store_sql_text(st, 2);
	p.opd = store_sql_text(st, 3);
	p.kecamatan = store_sql_text(st, 4);
	p.kelurahan = store_sql_text(st, 5);
	p.pending = sqlite3_column_blob(st, 6);
	p.pending_len = (size_t)sqlite3_column_bytes(st, 6);
	return pp->fn(&p, pp->arg);
}

int
store_each_pending(struct store *s, int limit,
    int (*fn)(const struct store_pending *, void *), void *arg, char *err,
    size_t errlen)
{
	struct pending_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, code, channel, opd, kecamatan, kelurahan, pending "
		"FROM reports WHERE pending IS NOT NULL ORDER BY id LIMIT ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading receipts", err, errlen);
	sqlite3_bind_int(st, 1, limit);
	return store_sql_rows(
	    s, st, pending_row, &pass, "reading receipts", err, errlen);
}

/*
 * Run one statement binding ?1 = a, ?2 = blob (when not NULL), ?3 = text
 * (when not NULL) or else ?3 = b.  Returns 0 or -1.
 */
int
store_sql_run(struct store *s, const char *sql, const char *what, char *err,
    size_t errlen, sqlite3_int64 a, const void *blob, size_t bloblen,
    const char *text, sqlite3_int64 b)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, what, err, errlen);
	sqlite3_bind_int64(st, 1, a);
	if (blob != NULL)
		sqlite3_bind_blob(st, 2, blob, (int)bloblen, SQLITE_STATIC);
	if (text != NULL)
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 3, b);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, what, err, errlen);
	return 0;
}

int
store_set_receipt(struct store *s, long long id, const unsigned char *hash,
    char *err, size_t errlen)
{
	return store_sql_run(s,
	    "UPDATE reports SET receipt_hash = ?2, pending = NULL WHERE id = "
	    "?1",
	    "storing a receipt", err, errlen, id, hash,
	    hash != NULL ? STORE_HASH_BYTES : 0, NULL, 0);
}

void
store_sql_copy(char *dst, size_t len, sqlite3_stmt *st, int i)
{
	const char *v = store_sql_text(st, i);

	snprintf(dst, len, "%s", v != NULL ? v : "");
}

int
store_find_by_receipt(struct store *s, const unsigned char *hash,
    struct store_report_status *out, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, code, status, category, opd, updated_at, outcome "
		"FROM reports WHERE receipt_hash = ? ORDER BY id DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "finding a report", err, errlen);
	sqlite3_bind_blob(st, 1, hash, STORE_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		store_sql_copy(out->code, sizeof out->code, st, 1);
		store_sql_copy(out->status, sizeof out->status, st, 2);
		store_sql_copy(out->category, sizeof out->category, st, 3);
		store_sql_copy(out->opd, sizeof out->opd, st, 4);
		out->updated_at = (time_t)sqlite3_column_int64(st, 5);
		store_sql_copy(out->outcome, sizeof out->outcome, st, 6);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = store_sql_fail(s, "finding a report", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

int
store_add_note(struct store *s, long long id, const char *kind,
    const char *text, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	long long hour = store_hour((long long)time(NULL));
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO report_notes(report_id, at, kind, text) "
		"VALUES (?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "storing a note", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, hour);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "storing a note", err, errlen);
	return store_sql_run(s,
	    "UPDATE reports SET updated_at = ?3 WHERE id = ?1",
	    "updating a report", err, errlen, id, NULL, 0, NULL, hour);
}

long long
store_count_pending(struct store *s)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM reports WHERE pending IS NOT NULL", -1,
		&st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
store_checkpoint(struct store *s)
{
	return sqlite3_wal_checkpoint_v2(s->db, "main",
		   SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) == SQLITE_OK
	    ? 0
	    : -1;
}

void
store_defer_checkpoints(struct store *s, int pages)
{
	sqlite3_wal_autocheckpoint(s->db, pages);
}
