/*
 * store: the SQLite database of reports.
 *
 * Durability first: journal_mode=WAL with synchronous=FULL, so a COMMIT
 * that returned is on disk; concurrency comes from the writer batching
 * many reports into one transaction, never from weaker syncing.  The
 * schema is created and migrated here, one step per user_version.
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

#define SCHEMA_VERSION 7
#define HOUR_MS	       3600000LL

/*
 * A time at rest of an outbox row that belongs to a report or a citizen:
 * to the hour, like received_at, so that the row does not date the report
 * (the dispatcher needs next_attempt_at exact only while a row waits).
 * t is an SQL expression in milliseconds.
 */
#define AT_REST(t)                                                             \
	"CASE WHEN report_id IS NULL AND sealed IS NULL THEN " t " ELSE " t    \
	" - " t " % 3600000 END"
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
	"AND status IN ('routed', 'triage')",
    [ST_WATCH_LATER] =
	"UPDATE reports SET watch_at = ?2 WHERE id = ?1 AND (marks & 1) = 0 "
	"AND watch_at IS NOT NULL AND watch_at < ?2",
};

const char store_schema_v1[] =
    "CREATE TABLE meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL);"
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY,"
    "  uid BLOB NOT NULL,"
    "  code TEXT NOT NULL UNIQUE,"
    "  status TEXT NOT NULL DEFAULT 'received',"
    "  channel TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  latitude REAL,"
    "  longitude REAL,"
    "  media_type TEXT,"
    "  category TEXT,"
    "  opd TEXT,"
    "  kecamatan TEXT,"
    "  kelurahan TEXT,"
    "  routing TEXT,"
    "  receipt_hash BLOB,"
    "  pending BLOB,"
    "  received_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX reports_receipt ON reports(receipt_hash) "
    "  WHERE receipt_hash IS NOT NULL;"
    "CREATE INDEX reports_pending ON reports(id) WHERE pending IS NOT NULL;"
    "CREATE TABLE report_notes ("
    "  id INTEGER PRIMARY KEY,"
    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX report_notes_report ON report_notes(report_id);"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  report_id INTEGER REFERENCES reports(id),"
    "  kind TEXT NOT NULL,"
    "  channel TEXT NOT NULL,"
    "  destination TEXT,"
    "  body TEXT,"
    "  sealed BLOB,"
    "  status TEXT NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error TEXT,"
    "  provider_hash BLOB,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX outbox_due ON outbox(status, next_attempt_at);"
    "CREATE INDEX outbox_provider ON outbox(provider_hash) "
    "  WHERE provider_hash IS NOT NULL;"
    "CREATE TABLE identities ("
    "  report_id INTEGER PRIMARY KEY REFERENCES reports(id),"
    "  version INTEGER NOT NULL,"
    "  nonce BLOB NOT NULL,"
    "  sealed_key BLOB NOT NULL,"
    "  ciphertext BLOB NOT NULL);"
    "CREATE TABLE inbound ("
    "  hash BLOB PRIMARY KEY,"
    "  channel TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE delivery_events ("
    "  id INTEGER PRIMARY KEY,"
    "  channel TEXT NOT NULL,"
    "  message_hash BLOB NOT NULL,"
    "  status TEXT NOT NULL,"
    "  error_code INTEGER NOT NULL DEFAULT 0,"
    "  at INTEGER NOT NULL,"
    "  UNIQUE (message_hash, status));"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  report_code TEXT,"
    "  reason TEXT);"
    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit "
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
    "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit "
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;";

/*
 * Version 2: what happens after intake.  On reports: the deadlines (exact
 * for clock-time durations under an hour, else whole hours or the end of
 * a working day, so that they tell no arrival time), when the watcher
 * next looks at the report (NULL: nothing left to watch; 0: at once),
 * what it has done (marks: STORE_MARK_*), when the OPD acknowledged and
 * resolved it, and the head's outcome note that CEK shows.  The history
 * of status changes and escalations.  On outbox rows: the WhatsApp
 * template and its parameters (JSON), and the SMS channel to fall back to
 * when the row dies.
 */
static const char schema_v2[] =
    "ALTER TABLE reports ADD COLUMN ack_due INTEGER;"
    "ALTER TABLE reports ADD COLUMN resolve_due INTEGER;"
    "ALTER TABLE reports ADD COLUMN watch_at INTEGER;"
    "ALTER TABLE reports ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE reports ADD COLUMN acknowledged_at INTEGER;"
    "ALTER TABLE reports ADD COLUMN resolved_at INTEGER;"
    "ALTER TABLE reports ADD COLUMN outcome TEXT;"
    "CREATE INDEX reports_watch ON reports(watch_at) "
    "  WHERE watch_at IS NOT NULL;"
    "CREATE TABLE history ("
    "  id INTEGER PRIMARY KEY,"
    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  from_status TEXT,"
    "  to_status TEXT,"
    "  note TEXT);"
    "CREATE INDEX history_report ON history(report_id);"
    "ALTER TABLE outbox ADD COLUMN template TEXT;"
    "ALTER TABLE outbox ADD COLUMN params TEXT;"
    "ALTER TABLE outbox ADD COLUMN fallback TEXT;";

/*
 * Version 3: the web views.  Accounts of the mayor and OPD heads (the
 * password as a crypto_pwhash_str string), and the indexes the indicator
 * view reads through.
 */
static const char schema_v3[] =
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('mayor', 'opd')),"
    "  opd TEXT,"
    "  pwhash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    /* indicator indexes (queue/indicators.c) */
    /*
     * the period's scan reads only this index (every column it needs);
     * the reports open now, and those in triage, are counted by ranges
     * of received_at in the partial ones
     */
    "CREATE INDEX reports_indicators ON reports(received_at, status, "
    "  channel, category, opd, kecamatan, kelurahan, acknowledged_at, "
    "  resolved_at, ack_due, resolve_due);"
    "CREATE INDEX reports_open ON reports(received_at, opd, kecamatan, "
    "  category) WHERE status NOT IN ('resolved', 'closed');"
    "CREATE INDEX reports_triage ON reports(received_at, opd, kecamatan, "
    "  category) WHERE status = 'triage';"
    "CREATE INDEX audit_action ON audit(action, at);";

/*
 * Version 4: who a report accuses.  subject is the office it is about
 * (opd handles it: they differ when it accuses that office's leadership),
 * accused the kind (staff, leadership, mayor; NULL: none).  summary is
 * what a verifier wrote for the OPD ([routing] verify): the OPD sees it,
 * never the text.  The indicators count by subject as by handler.
 */
static const char schema_v4[] =
    "ALTER TABLE reports ADD COLUMN subject TEXT;"
    "ALTER TABLE reports ADD COLUMN accused TEXT;"
    "ALTER TABLE reports ADD COLUMN summary TEXT;"
    "UPDATE reports SET subject = opd WHERE status NOT IN ('triage');"
    /* the period's scan stays covered (queue/indicators.c) */
    "DROP INDEX reports_indicators;"
    "CREATE INDEX reports_indicators ON reports(received_at, status, "
    "  channel, category, opd, kecamatan, kelurahan, acknowledged_at, "
    "  resolved_at, ack_due, resolve_due, subject, accused);";

/*
 * Version 5: epoch keys (queue/epoch.h).  An identity of version 2 names
 * its epoch, and its report's key derives from that epoch's key, which is
 * kept sealed to each custodian (created_at to the hour).  Version 1
 * identities keep their own sealed key.
 */
static const char schema_v5[] =
    "ALTER TABLE identities ADD COLUMN epoch INTEGER;"
    "CREATE TABLE epoch_keys ("
    "  epoch INTEGER NOT NULL,"
    "  custodian TEXT NOT NULL,"
    "  sealed BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (epoch, custodian)) WITHOUT ROWID;";

/*
 * Version 6: custody (queue/custody.h, queue/audit.h).  An audit row names
 * the custodian whose key it used, and carries its chain value and MAC;
 * rows from before are chained by the migration (no MAC).  Only a row
 * without its chain value may be updated, once, by that migration.
 */
static const char schema_v6[] =
    "ALTER TABLE audit ADD COLUMN custodian TEXT;"
    "ALTER TABLE audit ADD COLUMN chain BLOB;"
    "ALTER TABLE audit ADD COLUMN mac BLOB;"
    "DROP TRIGGER audit_append_only_update;"
    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit "
    "  WHEN old.chain IS NOT NULL "
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;";

/*
 * Version 7: evidence (queue/evidence.h).  A report's attachments in
 * order: pending while fetched (an outbox row of kind fetch), then stored
 * (type, size, SHA-256 of what is kept, its key sealed to the evidence
 * key, the encrypted bytes) or refused (why).  received_at to the hour.
 */
static const char schema_v7[] =
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  report_id INTEGER NOT NULL REFERENCES reports(id),"
    "  seq INTEGER NOT NULL,"
    "  status TEXT NOT NULL,"
    "  kind TEXT,"
    "  mime TEXT,"
    "  size INTEGER,"
    "  sha256 BLOB,"
    "  received_at INTEGER NOT NULL,"
    "  reason TEXT,"
    "  sealed_key BLOB,"
    "  data BLOB,"
    "  UNIQUE (report_id, seq));";

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
user_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Store len fresh random bytes in meta under name (inside migrate). */
static int
put_random_meta(struct store *s, const char *name, size_t len)
{
	unsigned char value[64];
	sqlite3_stmt *st;
	int rc;

	randombytes_buf(value, len);
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO meta(name, value) VALUES (?, ?)", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, value, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	sodium_memzero(value, sizeof value);
	return rc;
}

static int
migrate(struct store *s, char *err, size_t errlen)
{
	int v;

	if (store_sql_exec(s, "BEGIN IMMEDIATE", err, errlen) == -1)
		return -1;
	if ((v = user_version(s)) < 0)
		goto fail;
	if (v > SCHEMA_VERSION) {
		snprintf(err, errlen,
		    "database schema %d is newer than this binary (%d)", v,
		    SCHEMA_VERSION);
		goto fail_quiet;
	}
	if (v < 1 &&
	    (sqlite3_exec(s->db, store_schema_v1, NULL, NULL, NULL) !=
		    SQLITE_OK ||
		put_random_meta(s, "dedupe_key", STORE_DEDUPE_KEY_BYTES) ==
		    -1 ||
		put_random_meta(s, "receipt_salt", STORE_SALT_BYTES) == -1 ||
		sqlite3_exec(s->db, "PRAGMA user_version = 1", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 2 &&
	    (sqlite3_exec(s->db, schema_v2, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_exec(s->db, "PRAGMA user_version = 2", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 3 &&
	    (sqlite3_exec(s->db, schema_v3, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_exec(s->db, "PRAGMA user_version = 3", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 4 &&
	    (sqlite3_exec(s->db, schema_v4, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_exec(s->db, "PRAGMA user_version = 4", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 5 &&
	    (sqlite3_exec(s->db, schema_v5, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_exec(s->db, "PRAGMA user_version = 5", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 6 &&
	    (sqlite3_exec(s->db, schema_v6, NULL, NULL, NULL) != SQLITE_OK ||
		audit_chain_legacy(s, err, errlen) == -1 ||
		sqlite3_exec(s->db, "PRAGMA user_version = 6", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	if (v < 7 &&
	    (sqlite3_exec(s->db, schema_v7, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_exec(s->db, "PRAGMA user_version = 7", NULL, NULL,
		    NULL) != SQLITE_OK))
		goto fail;
	return store_sql_exec(s, "COMMIT", err, errlen);
fail:
	store_sql_fail(s, "creating the schema", err, errlen);
fail_quiet:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
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
		    migrate(s, err, errlen) == -1)
			goto fail;
		for (i = 0; i < ST_COUNT; i++)
			if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
				SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				NULL) != SQLITE_OK) {
				store_sql_fail(s, "preparing", err, errlen);
				goto fail;
			}
	} else if (user_version(s) != SCHEMA_VERSION) {
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
		sqlite3_bind_text(st, 10, r->status ? r->status : "received",
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
store_insert_outbound(struct store *s, const struct store_outbound *o,
    long long now_ms, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_OUTBOUND];
	long long at_rest = o->report_id > 0 || o->sealed_len > 0
	    ? now_ms - now_ms % HOUR_MS
	    : now_ms;

	if (o->report_id > 0)
		sqlite3_bind_int64(st, 1, o->report_id);
	sqlite3_bind_text(st, 2, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->destination, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->body, -1, SQLITE_STATIC);
	if (o->sealed_len > 0)
		sqlite3_bind_blob(
		    st, 6, o->sealed, (int)o->sealed_len, SQLITE_STATIC);
	sqlite3_bind_text(
	    st, 7, o->status ? o->status : "queued", -1, SQLITE_STATIC);
	sqlite3_bind_int64(
	    st, 8, o->not_before_ms > now_ms ? o->not_before_ms : now_ms);
	sqlite3_bind_int64(st, 9, at_rest);
	sqlite3_bind_int64(st, 10, at_rest);
	sqlite3_bind_text(st, 11, o->template_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, o->template_params, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, o->fallback, -1, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "queueing a message", err, errlen);
	return 0;
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

/*
 * A provider's status in the outbox's words: sent, delivered and read as
 * they are; a failure is final (dead); anything else ("accepted",
 * "queued", ...) moves nothing.
 */
static const char *
outbox_status_of(const char *status)
{
	if (strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0 ||
	    strcmp(status, "read") == 0)
		return status;
	if (strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0)
		return "dead";
	return "other";
}

/*
 * A dead row with a fallback channel (a WhatsApp alert to a head, say) is
 * queued again on that channel, once: the row found by id, or by its
 * provider's hash when id is 0.  Staff rows only (their destination is in
 * clear): a citizen's sealed address is already erased when the row dies,
 * so sealed cannot tell them apart.
 */
static int
outbox_fall_back(struct store *s, long long id, const unsigned char *hash,
    long long now_ms, char *err, size_t errlen)
{
	static const char where[] =
	    "WHERE (id = ?1 OR provider_hash = ?2) AND status = 'dead' "
	    "AND fallback IS NOT NULL AND destination IS NOT NULL";

	char sql[512];

	snprintf(sql, sizeof sql,
	    "INSERT INTO outbox(report_id, kind, channel, destination, body, "
	    "status, next_attempt_at, created_at, updated_at) "
	    "SELECT report_id, kind, fallback, destination, body, 'queued', "
	    "?3, %s, %s FROM outbox %s",
	    AT_REST("?3"), AT_REST("?3"), where);
	if (store_sql_run(s, sql, "falling back", err, errlen, id, hash,
		STORE_HASH_BYTES, NULL, now_ms) == -1)
		return -1;
	snprintf(
	    sql, sizeof sql, "UPDATE outbox SET fallback = NULL %s", where);
	return store_sql_run(s, sql, "falling back", err, errlen, id, hash,
	    STORE_HASH_BYTES, NULL, 0);
}

/* Move the outbox row sent as hash forward by one delivery report. */
static int
advance_outbox(struct store *s, const unsigned char *hash, const char *status,
    int error_code, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_OUTBOX_STATUS];
	char why[64];

	snprintf(why, sizeof why, "provider reported failure %d", error_code);
	sqlite3_bind_text(st, 1, outbox_status_of(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL) * 1000);
	sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, hash, STORE_HASH_BYTES, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	if (sqlite3_changes(s->db) == 0 ||
	    strcmp(outbox_status_of(status), "dead") != 0)
		return 0;
	return outbox_fall_back(
	    s, 0, hash, (long long)time(NULL) * 1000, err, errlen);
}

int
store_insert_status(
    struct store *s, const struct store_status *e, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_STATUS];

	sqlite3_bind_text(st, 1, e->channel, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, e->message, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, e->error_code);
	/* when the citizen's phone got or read a reply: to the hour */
	sqlite3_bind_int64(st, 5, store_hour((long long)e->at));
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(
		    s, "storing a delivery report", err, errlen);
	if (sqlite3_changes(s->db) == 0)
		return 0; /* seen before */
	return advance_outbox(
	    s, e->message, e->status, e->error_code, err, errlen);
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

int
store_schema_version(void)
{
	return SCHEMA_VERSION;
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
	if ((*version = user_version(s)) < 1 ||
	    load_meta(s, "dedupe_key", key, sizeof key, err, errlen) == -1) {
		snprintf(err, errlen, "is not a hotline database");
		goto done;
	}
	if (*version > SCHEMA_VERSION) {
		snprintf(err, errlen,
		    "has schema version %d, newer than this binary's (%d): "
		    "restore it with the hotline that made it, or upgrade "
		    "hotline first",
		    *version, SCHEMA_VERSION);
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

#define OUTBOX_COLUMNS                                                         \
	"o.id, o.report_id, r.code, o.kind, o.channel, o.status, o.sealed, "   \
	"o.destination, o.body, o.last_error, o.attempts, "                    \
	"o.next_attempt_at, o.created_at, o.updated_at, o.template, "          \
	"o.params, o.fallback "                                                \
	"FROM outbox o LEFT JOIN reports r ON r.id = o.report_id "

struct outbox_pass {
	int (*fn)(const struct store_outbox_row *, void *);
	void *arg;
};

static int
outbox_row(sqlite3_stmt *st, void *arg)
{
	const struct outbox_pass *p = arg;
	struct store_outbox_row row;

	row.id = sqlite3_column_int64(st, 0);
	row.report_id = sqlite3_column_int64(st, 1);
	row.report_code = store_sql_text(st, 2);
	row.kind = store_sql_text(st, 3);
	row.channel = store_sql_text(st, 4);
	row.status = store_sql_text(st, 5);
	row.sealed = sqlite3_column_blob(st, 6);
	row.sealed_len = (size_t)sqlite3_column_bytes(st, 6);
	row.destination = store_sql_text(st, 7);
	row.body = store_sql_text(st, 8);
	row.last_error = store_sql_text(st, 9);
	row.attempts = sqlite3_column_int(st, 10);
	row.next_attempt_at = sqlite3_column_int64(st, 11);
	row.created_at = sqlite3_column_int64(st, 12);
	row.updated_at = sqlite3_column_int64(st, 13);
	row.template_name = store_sql_text(st, 14);
	row.template_params = store_sql_text(st, 15);
	row.fallback = store_sql_text(st, 16);
	return p->fn(&row, p->arg);
}

static int
each_outbox_row(struct store *s, sqlite3_stmt *st,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct outbox_pass pass = {fn, arg};

	return store_sql_rows(s, st, outbox_row, &pass, "reading the outbox",
		   err, errlen) == -1
	    ? -1
	    : 0;
}

/*
 * The rows due at now_ms (queued or failed), oldest first, that match
 * filter (an SQL condition on o, with ?3 bound to text when not NULL).
 */
static int
each_due(struct store *s, const char *filter, const char *text,
    long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	char sql[1024];
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql,
	    "SELECT " OUTBOX_COLUMNS "WHERE o.status IN ('queued', 'failed') "
	    "AND o.next_attempt_at <= ?1 AND %s "
	    "ORDER BY o.next_attempt_at, o.id LIMIT ?2",
	    filter);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int(st, 2, limit);
	if (text != NULL)
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_each_due(struct store *s, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return each_due(s, "1", NULL, now_ms, limit, fn, arg, err, errlen);
}

int
store_each_due_on(struct store *s, const char *channel, long long now_ms,
    int limit, int (*fn)(const struct store_outbox_row *, void *), void *arg,
    char *err, size_t errlen)
{
	return each_due(
	    s, "o.channel = ?3", channel, now_ms, limit, fn, arg, err, errlen);
}

int
store_each_fetch_due(struct store *s, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return each_due(
	    s, "o.kind = 'fetch'", NULL, now_ms, limit, fn, arg, err, errlen);
}

void
store_provider_hash(struct store *s, const char *channel, const char *id,
    unsigned char out[STORE_HASH_BYTES])
{
	store_hash_id(s->dedupe_key, channel, id, out);
}

int
store_each_outbox(struct store *s,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return store_each_outbox_in(s, NULL, fn, arg, err, errlen);
}

int
store_each_outbox_in(struct store *s, const char *status,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT " OUTBOX_COLUMNS "WHERE ?1 IS NULL OR o.status = ?1 "
		"ORDER BY o.id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_each_report_outbox(struct store *s, long long report_id,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT " OUTBOX_COLUMNS "WHERE o.report_id = ? ORDER BY o.id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, report_id);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_outbox_claim(
    struct store *s, long long id, long long now_ms, char *err, size_t errlen)
{
	if (store_sql_run(s,
		"UPDATE outbox SET status = 'sending', attempts = attempts + "
		"1, "
		"updated_at = " AT_REST("?3") " WHERE id = ?1 AND status IN "
					      "('queued', "
					      "'failed')",
		"claiming a message", err, errlen, id, NULL, 0, NULL,
		now_ms) == -1)
		return -1;
	return sqlite3_changes(s->db) == 1;
}

/*
 * An attempt's outcome.  A dead row loses its citizen's sealed address, a
 * forget row its sealed message id once the provider deleted its copy.
 */
static const char outbox_result_sql[] =
    "UPDATE outbox SET status = ?2, "
    "updated_at = " AT_REST(
	"?3") ", "
	      "provider_hash = COALESCE(?4, provider_hash), "
	      "next_attempt_at = CASE WHEN ?2 = 'failed' THEN ?5 "
	      "  ELSE " AT_REST("?5") " END, "
				      "last_error = ?6, "
				      "sealed = CASE WHEN ?2 = 'dead' OR (?2 = "
				      "'sent' AND kind IN ('forget', 'fetch')) "
				      "  THEN NULL ELSE sealed END "
				      "WHERE id = ?1";

int
store_outbox_result(struct store *s, long long id, const char *status,
    const unsigned char *provider_hash, long long next_ms, const char *error,
    long long now_ms, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, outbox_result_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	if (provider_hash != NULL)
		sqlite3_bind_blob(
		    st, 4, provider_hash, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, next_ms);
	sqlite3_bind_text(st, 6, error, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	if (strcmp(status, "dead") == 0 &&
	    outbox_fall_back(s, id, NULL, now_ms, err, errlen) == -1)
		return -1;
	if (provider_hash == NULL)
		return 0;
	/* Delivery reports that came before this result was stored. */
	if (sqlite3_prepare_v2(s->db,
		"SELECT status, error_code FROM delivery_events "
		"WHERE message_hash = ? ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	sqlite3_bind_blob(
	    st, 1, provider_hash, STORE_HASH_BYTES, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (advance_outbox(s, provider_hash, store_sql_text(st, 0),
			sqlite3_column_int(st, 1), err, errlen) == -1) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	return 0;
}

int
store_resend(struct store *s, const char *kind, long long since_ms,
    long long now_ms, struct store_resent *out, char *err, size_t errlen)
{
	/*
	 * Dead, of the kind asked for, since since_ms, and not delivered
	 * another way since (an alert that fell back to SMS).
	 */
	static const char where[] =
	    "status = 'dead' AND (?1 IS NULL OR kind = ?1) AND updated_at >= "
	    "?2 "
	    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id != outbox.id "
	    "AND o.report_id IS outbox.report_id AND o.kind = outbox.kind "
	    "AND o.destination IS outbox.destination AND o.status != 'dead')";
	const char *sql[2] = {"SELECT count(*) FROM outbox WHERE "
			      "destination IS NULL AND ",
	    "UPDATE outbox SET status = 'queued', attempts = 0, "
	    "next_attempt_at = ?3, updated_at = ?3 WHERE destination IS NOT "
	    "NULL AND "};
	char q[1024];
	sqlite3_stmt *st;
	int i, rc;

	memset(out, 0, sizeof *out);
	if (store_begin(s, err, errlen) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(q, sizeof q, "%s%s", sql[i], where);
		if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK) {
			store_sql_fail(s, "resending", err, errlen);
			goto fail;
		}
		if (kind != NULL)
			sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, since_ms);
		if (i == 1)
			sqlite3_bind_int64(st, 3, now_ms);
		rc = sqlite3_step(st);
		if (i == 0 && rc == SQLITE_ROW)
			out->citizens = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != (i == 0 ? SQLITE_ROW : SQLITE_DONE)) {
			store_sql_fail(s, "resending", err, errlen);
			goto fail;
		}
	}
	out->queued = sqlite3_changes(s->db);
	if (store_commit(s, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

long long
store_outbox_resume(struct store *s, long long now_ms, char *err, size_t errlen)
{
	if (store_begin(s, err, errlen) == -1)
		return -1;
	/* Sent: the address is kept no longer. */
	if (store_sql_run(s,
		"UPDATE outbox SET sealed = NULL WHERE sealed IS NOT NULL "
		"AND status NOT IN ('queued', 'sending', 'failed')",
		"resuming the outbox", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_sql_run(s,
		"UPDATE outbox SET status = 'failed', next_attempt_at = ?3 "
		"WHERE status = 'sending'",
		"resuming the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1 ||
	    store_commit(s, err, errlen) == -1) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

long long
store_outbox_recover(
    struct store *s, long long now_ms, char *err, size_t errlen)
{
	long long dropped;

	if (store_begin(s, err, errlen) == -1)
		return -1;
	if (store_sql_run(s,
		"UPDATE outbox SET status = 'dead', sealed = NULL, "
		"updated_at = ?3, last_error = 'address lost at restart' "
		"WHERE sealed IS NOT NULL AND status IN ('queued', 'sending', "
		"'failed')",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1)
		goto fail;
	dropped = sqlite3_changes(s->db);
	/* Sent, not yet delivered: the address is kept no longer. */
	if (store_sql_run(s,
		"UPDATE outbox SET sealed = NULL WHERE sealed IS NOT NULL",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_sql_run(s,
		"UPDATE outbox SET status = 'failed', next_attempt_at = ?3 "
		"WHERE status = 'sending'",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1 ||
	    store_sql_run(s,
		"UPDATE reports SET pending = NULL WHERE pending IS NOT NULL",
		"recovering receipts", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_commit(s, err, errlen) == -1)
		goto fail;
	return dropped;
fail:
	store_rollback(s);
	return -1;
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

long long
store_count_outbox(struct store *s, const char *status)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM outbox WHERE status = ?", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
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
