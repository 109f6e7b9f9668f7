/*
 * store_private: what the files of the store share and nothing else
 * includes: the connection with its prepared statements, and the small
 * SQL helpers.  queue/store.c owns the connection and intake;
 * queue/store_schema.c the schema and its migrations; queue/store_outbox.c
 * the outbox; queue/store_cases.c the life of a report after intake
 * (heads' commands, history, deadlines, the digest's counts).
 */
#ifndef HOTLINE_STORE_PRIVATE_H
#define HOTLINE_STORE_PRIVATE_H

#include <sys/types.h>

#include <sqlite3.h>

#include "queue/store.h"

enum stmt {
	ST_INBOUND,
	ST_REPORT,
	ST_IDENTITY,
	ST_STATUS,
	ST_OUTBOX_STATUS,
	ST_OUTBOUND,
	ST_NOTE,
	ST_FOLLOWUP_REGION,
	ST_CODE_ID,
	ST_REROUTE,
	ST_WATCH_LATER,
	ST_EPOCH_KEY,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	dev_t dev; /* the database file as opened: gone or replaced, */
	ino_t ino; /* the store is not ready (store_check_writable) */
	sqlite3_stmt *stmt[ST_COUNT];
	unsigned char dedupe_key[STORE_DEDUPE_KEY_BYTES];
	unsigned char receipt_salt[STORE_SALT_BYTES];
	/* whose keys this connection stored last: committed, and in the
	 * transaction under way (0: none) */
	long long last_epoch, pending_epoch;
};

/* The first schema (queue/store_schema.c), which tests of migrations
 * start from. */
extern const char store_schema_v1[];
/* Create or migrate the schema to store_schema_version(): 0 or -1. */
int store_migrate(struct store *, char *err, size_t errlen);
/* PRAGMA user_version, or -1. */
int store_user_version(struct store *);

/* Fill err with "what: SQLite's message"; returns -1. */
int store_sql_fail(struct store *, const char *what, char *err, size_t errlen);
/* Run sql (no rows): 0 or -1. */
int store_sql_exec(struct store *, const char *sql, char *err, size_t errlen);
/* Step a prepared statement once, then reset it: SQLite's result code. */
int store_sql_step(sqlite3_stmt *);
/* Column i as text (NULL for NULL). */
const char *store_sql_text(sqlite3_stmt *, int i);
/* Column i into dst ("" for NULL), truncated to len. */
void store_sql_copy(char *dst, size_t len, sqlite3_stmt *, int i);
/*
 * Step st to its end, handing each row to row(st, arg), which returns -1
 * to stop early; finalize st.  The number of rows handed over, or -1.
 */
int store_sql_rows(struct store *, sqlite3_stmt *st,
    int (*row)(sqlite3_stmt *, void *), void *arg, const char *what, char *err,
    size_t errlen);
/*
 * Run one statement binding ?1 = a, ?2 = blob (when not NULL), ?3 = text
 * (when not NULL) or else ?3 = b.  Returns 0 or -1.
 */
int store_sql_run(struct store *, const char *sql, const char *what, char *err,
    size_t errlen, sqlite3_int64 a, const void *blob, size_t bloblen,
    const char *text, sqlite3_int64 b);
/*
 * Run a query of one integer (count(*)), binding ?1 = text when not NULL,
 * into out.  0 or -1.
 */
int store_sql_int(
    struct store *, const char *sql, const char *text, long long *out);
#define HOUR_MS 3600000LL
/*
 * A time at rest of an outbox row that belongs to a report or a citizen:
 * to the hour, like received_at, so that the row does not date the report
 * (the dispatcher needs next_attempt_at exact only while a row waits).
 * t is an SQL expression in milliseconds.
 */
#define AT_REST(t)                                                             \
	"CASE WHEN report_id IS NULL AND sealed IS NULL THEN " t " ELSE " t    \
	" - " t " % 3600000 END"

/* t rounded down to the hour: what the store keeps of a report's times. */
long long store_hour(long long t);

#endif
