/*
 * store: the SQLite database of reports.  It owns the schema (versioned by
 * PRAGMA user_version), the durability settings (WAL, synchronous=FULL),
 * the keyed hash that dedupes provider deliveries without keeping their
 * ids, and every query the binary makes.  One struct store is one
 * connection, owned by one thread.
 */
#ifndef HOTLINE_STORE_H
#define HOTLINE_STORE_H

#include <stddef.h>
#include <time.h>

#include "queue/seal.h"

#define STORE_HASH_BYTES       32
#define STORE_CODE_MAX	       16
#define STORE_DEDUPE_KEY_BYTES 32

struct store;

enum store_mode {
	STORE_READWRITE, /* creates and migrates the schema */
	STORE_READONLY,
};

/* A report as the intake makes it, ready to commit. */
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
	int duplicate; /* set by store_insert_report */
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
/* Inside a transaction: keep a delivery report (once per status). */
int store_insert_status(
    struct store *, const struct store_status *, char *err, size_t errlen);

/* Call fn for every report, oldest first.  Returns 0 or -1. */
int store_each_report(struct store *,
    int (*fn)(const struct store_report_row *, void *), void *arg, char *err,
    size_t errlen);

/* Find a report's sealed identity by its code.  0, 1 (no such code) or -1. */
int store_find_identity(struct store *, const char *code,
    unsigned char uid[SEAL_REPORT_ID_BYTES], struct sealed_identity *,
    char *err, size_t errlen);

/*
 * Append an audit row and commit it (in its own transaction).  Returns 0
 * only once the row is durable.
 */
int store_audit(struct store *, const char *actor, const char *action,
    const char *report_code, const char *reason, char *err, size_t errlen);

/* Call fn for every audit row, oldest first. */
struct store_audit_row {
	long long id;
	time_t at;
	const char *actor, *action, *report_code, *reason;
};
int store_each_audit(struct store *,
    int (*fn)(const struct store_audit_row *, void *), void *arg, char *err,
    size_t errlen);

/* Counts for tests and health: reports, delivery events. */
long long store_count(struct store *, const char *table);

/* Take and release the write lock: is the database writable?  0 or -1. */
int store_check_writable(struct store *, char *err, size_t errlen);

/* Copy the database to path with the SQLite backup API.  0 or -1. */
int store_backup(struct store *, const char *path, char *err, size_t errlen);

#endif
