/*
 * store_schema: the database's schema, as the list of migrations that
 * made it, each a step from one PRAGMA user_version to the next, applied
 * in a loop inside one transaction when the store is opened read-write.
 * Old steps are never edited: a database of any version comes out the
 * same.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/audit.h"
#include "queue/report.h"
#include "queue/store_private.h"

const char store_schema_v1[] =
    "CREATE TABLE meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL);"
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY,"
    "  uid BLOB NOT NULL,"
    "  code TEXT NOT NULL UNIQUE,"
    "  status TEXT NOT NULL DEFAULT " REPORT_DEFAULT_SQL ","
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
    "  category) WHERE " REPORT_OPEN_SQL ";"
    "CREATE INDEX reports_triage ON reports(received_at, opd, kecamatan, "
    "  category) WHERE " REPORT_TRIAGE_SQL ";"
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
    "UPDATE reports SET subject = opd WHERE NOT " REPORT_TRIAGE_SQL ";"
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
store_user_version(struct store *s)
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

/* Version 1's secrets: the dedupe key and the receipt salt. */
static int
first_meta(struct store *s, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return put_random_meta(s, "dedupe_key", STORE_DEDUPE_KEY_BYTES) == -1 ||
		put_random_meta(s, "receipt_salt", STORE_SALT_BYTES) == -1
	    ? -1
	    : 0;
}

/*
 * The migrations, in order: migration i takes a database of version i to
 * version i + 1, its SQL then its step in C (NULL: none).  A new version
 * is one more row, never an edit of an old one.
 */
static const struct migration {
	const char *sql;
	int (*step)(struct store *, char *err, size_t errlen);
} migrations[] = {
    {store_schema_v1, first_meta},
    {schema_v2, NULL},
    {schema_v3, NULL},
    {schema_v4, NULL},
    {schema_v5, NULL},
    {schema_v6, audit_chain_legacy},
    {schema_v7, NULL},
};

int
store_schema_version(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

int
store_migrate(struct store *s, char *err, size_t errlen)
{
	char pragma[48];
	int v;

	if (store_sql_exec(s, "BEGIN IMMEDIATE", err, errlen) == -1)
		return -1;
	if ((v = store_user_version(s)) < 0)
		goto fail;
	if (v > store_schema_version()) {
		snprintf(err, errlen,
		    "database schema %d is newer than this binary (%d)", v,
		    store_schema_version());
		goto fail_quiet;
	}
	for (; v < store_schema_version(); v++) {
		snprintf(
		    pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, migrations[v].sql, NULL, NULL, NULL) !=
			SQLITE_OK ||
		    (migrations[v].step != NULL &&
			migrations[v].step(s, err, errlen) == -1) ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	return store_sql_exec(s, "COMMIT", err, errlen);
fail:
	store_sql_fail(s, "creating the schema", err, errlen);
fail_quiet:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
