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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/store.h"

#define SCHEMA_VERSION 1
#define CODE_ALPHABET  "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define CODE_CHARS     6
#define CODE_TRIES     8

enum stmt { ST_INBOUND, ST_REPORT, ST_IDENTITY, ST_STATUS, ST_COUNT };

static const char *const stmt_sql[ST_COUNT] = {
    [ST_INBOUND] = "INSERT INTO inbound(hash, channel) VALUES (?, ?) "
		   "ON CONFLICT(hash) DO NOTHING",
    [ST_REPORT] = "INSERT INTO reports(uid, code, channel, type, text, "
		  "latitude, longitude, media_type, received_at) "
		  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_IDENTITY] = "INSERT INTO identities(report_id, version, nonce, "
		    "sealed_key, ciphertext) VALUES (?, 1, ?, ?, ?)",
    [ST_STATUS] = "INSERT INTO delivery_events(channel, message_hash, "
		  "status, error_code, at) VALUES (?, ?, ?, ?, ?) "
		  "ON CONFLICT(message_hash, status) DO NOTHING",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	unsigned char dedupe_key[STORE_DEDUPE_KEY_BYTES];
};

static const char schema_v1[] =
    "CREATE TABLE meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL);"
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY,"
    "  uid BLOB NOT NULL UNIQUE,"
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
    "  received_at INTEGER NOT NULL);"
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

static int
fail_sql(struct store *s, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

static int
exec(struct store *s, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail_sql(s, "database", err, errlen);
	return 0;
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

static int
migrate(struct store *s, char *err, size_t errlen)
{
	unsigned char key[STORE_DEDUPE_KEY_BYTES];
	sqlite3_stmt *st = NULL;
	int v;

	if (exec(s, "BEGIN IMMEDIATE", err, errlen) == -1)
		return -1;
	if ((v = user_version(s)) < 0)
		goto fail;
	if (v > SCHEMA_VERSION) {
		snprintf(err, errlen,
		    "database schema %d is newer than this binary (%d)", v,
		    SCHEMA_VERSION);
		goto fail_quiet;
	}
	if (v < 1) {
		if (sqlite3_exec(s->db, schema_v1, NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto fail;
		randombytes_buf(key, sizeof key);
		if (sqlite3_prepare_v2(s->db,
			"INSERT INTO meta(name, value) VALUES ('dedupe_key', "
			"?)",
			-1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_blob(st, 1, key, sizeof key, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(st);
		st = NULL;
		sodium_memzero(key, sizeof key);
		if (sqlite3_exec(s->db, "PRAGMA user_version = 1", NULL, NULL,
			NULL) != SQLITE_OK)
			goto fail;
	}
	return exec(s, "COMMIT", err, errlen);
fail:
	fail_sql(s, "creating the schema", err, errlen);
fail_quiet:
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
load_dedupe_key(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db,
		"SELECT value FROM meta WHERE name = 'dedupe_key'", -1, &st,
		NULL) != SQLITE_OK)
		return fail_sql(s, "reading the database", err, errlen);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == STORE_DEDUPE_KEY_BYTES) {
		memcpy(s->dedupe_key, sqlite3_column_blob(st, 0),
		    STORE_DEDUPE_KEY_BYTES);
		rc = 0;
	} else
		snprintf(err, errlen, "database has no dedupe key");
	sqlite3_finalize(st);
	return rc;
}

struct store *
store_open(const char *path, enum store_mode mode, char *err, size_t errlen)
{
	struct store *s;
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
		if (exec(s, "PRAGMA journal_mode=WAL", err, errlen) == -1 ||
		    exec(s, "PRAGMA synchronous=FULL", err, errlen) == -1 ||
		    exec(s, "PRAGMA wal_autocheckpoint=10000", err, errlen) ==
			-1 ||
		    exec(s, "PRAGMA secure_delete=ON", err, errlen) == -1 ||
		    exec(s, "PRAGMA foreign_keys=ON", err, errlen) == -1 ||
		    migrate(s, err, errlen) == -1)
			goto fail;
		for (i = 0; i < ST_COUNT; i++)
			if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
				SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				NULL) != SQLITE_OK) {
				fail_sql(s, "preparing", err, errlen);
				goto fail;
			}
	} else if (user_version(s) != SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: not a hotline database", path);
		goto fail;
	}
	if (load_dedupe_key(s, err, errlen) == -1)
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
	free(s);
}

const unsigned char *
store_dedupe_key(const struct store *s)
{
	return s->dedupe_key;
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
	const size_t n = sizeof CODE_ALPHABET - 1;
	size_t len;
	int i;

	len = (size_t)snprintf(code, STORE_CODE_MAX, "%.8s-", prefix);
	for (i = 0; i < CODE_CHARS && len + 1 < STORE_CODE_MAX; i++)
		code[len++] = CODE_ALPHABET[randombytes_uniform((uint32_t)n)];
	code[len] = '\0';
}

int
store_begin(struct store *s, char *err, size_t errlen)
{
	return exec(s, "BEGIN IMMEDIATE", err, errlen);
}

int
store_commit(struct store *s, char *err, size_t errlen)
{
	return exec(s, "COMMIT", err, errlen);
}

void
store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int
store_insert_report(struct store *s, struct store_report *r, const char *prefix,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	sqlite3_int64 id;
	int rc, tries;

	r->duplicate = 0;
	st = s->stmt[ST_INBOUND];
	sqlite3_bind_blob(st, 1, r->dedupe, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->channel, -1, SQLITE_STATIC);
	if (step_done(st) != SQLITE_DONE)
		return fail_sql(s, "storing a delivery", err, errlen);
	if (sqlite3_changes(s->db) == 0) {
		r->duplicate = 1;
		return 0;
	}

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
		sqlite3_bind_int64(
		    st, 9, r->received_at - r->received_at % 3600);
		rc = step_done(st);
		if (rc == SQLITE_DONE)
			break;
		/* A clash of random codes: draw another. */
		if (rc != SQLITE_CONSTRAINT || tries == CODE_TRIES)
			return fail_sql(s, "storing a report", err, errlen);
		store_new_code(prefix, r->code);
	}
	id = sqlite3_last_insert_rowid(s->db);

	st = s->stmt[ST_IDENTITY];
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(
	    st, 2, r->sealed.nonce, sizeof r->sealed.nonce, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, r->sealed.sealed_key,
	    sizeof r->sealed.sealed_key, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, r->sealed.ciphertext,
	    (int)r->sealed.ciphertext_len, SQLITE_STATIC);
	if (step_done(st) != SQLITE_DONE)
		return fail_sql(s, "storing an identity", err, errlen);
	return 0;
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
	sqlite3_bind_int64(st, 5, e->at);
	if (step_done(st) != SQLITE_DONE)
		return fail_sql(s, "storing a delivery report", err, errlen);
	return 0;
}

static const char *
column_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
store_each_report(struct store *s,
    int (*fn)(const struct store_report_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct store_report_row row;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT code, status, channel, category, opd, kecamatan, "
		"kelurahan, received_at FROM reports ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "listing reports", err, errlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.code = column_text(st, 0);
		row.status = column_text(st, 1);
		row.channel = column_text(st, 2);
		row.category = column_text(st, 3);
		row.opd = column_text(st, 4);
		row.kecamatan = column_text(st, 5);
		row.kelurahan = column_text(st, 6);
		row.received_at = (time_t)sqlite3_column_int64(st, 7);
		if (fn(&row, arg) == -1) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail_sql(s, "listing reports", err, errlen);
	return 0;
}

int
store_find_identity(struct store *s, const char *code,
    unsigned char uid[SEAL_REPORT_ID_BYTES], struct sealed_identity *out,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1, step;
	size_t clen;

	if (sqlite3_prepare_v2(s->db,
		"SELECT r.uid, i.nonce, i.sealed_key, i.ciphertext "
		"FROM reports r JOIN identities i ON i.report_id = r.id "
		"WHERE r.code = ?",
		-1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "finding a report", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		snprintf(err, errlen, "no such report");
		rc = 1;
		goto done;
	}
	if (step != SQLITE_ROW) {
		fail_sql(s, "finding a report", err, errlen);
		goto done;
	}
	clen = (size_t)sqlite3_column_bytes(st, 3);
	if (sqlite3_column_bytes(st, 0) != SEAL_REPORT_ID_BYTES ||
	    sqlite3_column_bytes(st, 1) != SEAL_NONCE_BYTES ||
	    sqlite3_column_bytes(st, 2) != SEAL_SEALED_KEY_BYTES ||
	    clen > sizeof out->ciphertext) {
		snprintf(err, errlen, "sealed identity is corrupt");
		goto done;
	}
	memcpy(uid, sqlite3_column_blob(st, 0), SEAL_REPORT_ID_BYTES);
	memcpy(out->nonce, sqlite3_column_blob(st, 1), SEAL_NONCE_BYTES);
	memcpy(
	    out->sealed_key, sqlite3_column_blob(st, 2), SEAL_SEALED_KEY_BYTES);
	memcpy(out->ciphertext, sqlite3_column_blob(st, 3), clen);
	out->ciphertext_len = clen;
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

int
store_audit(struct store *s, const char *actor, const char *action,
    const char *report_code, const char *reason, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;

	if (store_begin(s, err, errlen) == -1)
		return -1;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO audit(at, actor, action, report_code, reason) "
		"VALUES (?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, report_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	return store_commit(s, err, errlen);
fail:
	fail_sql(s, "writing the audit log", err, errlen);
	sqlite3_finalize(st);
	store_rollback(s);
	return -1;
}

int
store_each_audit(struct store *s,
    int (*fn)(const struct store_audit_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct store_audit_row row;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, at, actor, action, report_code, reason "
		"FROM audit ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading the audit log", err, errlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.id = sqlite3_column_int64(st, 0);
		row.at = (time_t)sqlite3_column_int64(st, 1);
		row.actor = column_text(st, 2);
		row.action = column_text(st, 3);
		row.report_code = column_text(st, 4);
		row.reason = column_text(st, 5);
		if (fn(&row, arg) == -1) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail_sql(s, "reading the audit log", err, errlen);
	return 0;
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
	    strcmp(table, "audit") != 0)
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
