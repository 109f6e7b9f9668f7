/*
 * audit: the append-only log of every unseal and privileged action, made
 * tamper-evident.  Each row carries a chain value, BLAKE2b of the row
 * before's chain and the row's own fields, so that an edited, deleted or
 * reordered row breaks every chain value after it; and a MAC of its chain
 * value under a key that ratchets forward with each row (k' = BLAKE2b(k,
 * "ratchet"), the old key overwritten), so that whoever takes the server
 * cannot rewrite the rows written before with a key already gone.  The
 * root key (the first of the ratchet) is sealed to the custodians like an
 * epoch key (epoch -1); only they can check the MACs.  The chain's head,
 * sent out daily (the digest), catches rows cut from the end.
 */
#ifndef HOTLINE_AUDIT_H
#define HOTLINE_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "queue/custody.h"
#include "queue/store.h"

#define AUDIT_ROOT_EPOCH -1
#define AUDIT_HEAD_TEXT	 17 /* 16 hex digits: the first 8 bytes */

struct audit_entry {
	const char *actor, *action, *report_code, *reason;
	const char *custodian; /* the custodian whose key was used, or NULL */
};

/* Inside a transaction: append a row, chained and MAC'd.  0 or -1. */
int audit_append(
    struct store *, const struct audit_entry *, char *err, size_t errlen);

/* audit_append() of a row that used no custodian's key.  0 or -1. */
int audit_row(struct store *, const char *actor, const char *action,
    const char *report_code, const char *reason, char *err, size_t errlen);

/* The same as audit_append() in a transaction of its own.  0 or -1. */
int audit_write(
    struct store *, const struct audit_entry *, char *err, size_t errlen);

/* A row as audit_each() hands it over. */
struct audit_record {
	long long id;
	time_t at;
	struct audit_entry e;
};

/* Call fn for every row, oldest first.  0 or -1. */
int audit_each(struct store *, int (*fn)(const struct audit_record *, void *),
    void *arg, char *err, size_t errlen);

/*
 * Inside the migration's transaction: chain the rows written before the
 * chain existed (they get no MAC).  0 or -1.
 */
int audit_chain_legacy(struct store *, char *err, size_t errlen);

/*
 * Make the ratchet's root key, sealed to the custodians, when there is
 * none yet (in a transaction of its own).  0 made, 1 there already, -1.
 */
int audit_make_root(
    struct store *, const struct custody *, char *err, size_t errlen);

/*
 * Are these the custodians the database pins?  With pin, pin them when
 * none are yet, and make the audit's root key when there is none.  0, or
 * -1 with err set (a swapped key: naming both sets).
 */
int audit_pin(
    struct store *, const struct custody *, int pin, char *err, size_t errlen);

/* The number of rows and the chain's head ("" when empty).  0 or -1. */
int audit_head(struct store *, long long *rows, char head[AUDIT_HEAD_TEXT],
    char *err, size_t errlen);

/* What audit_verify() found. */
struct audit_verdict {
	long long rows;	     /* rows read */
	long long macs;	     /* rows whose MAC was checked (or present) */
	long long broken_id; /* the first row that breaks; 0 if none */
	char head[AUDIT_HEAD_TEXT];
	char why[160];
};

/*
 * Check the chain and, with the keys of custodians that can open the root
 * key (nkeys 0: none), every MAC, and that the ratchet's current key is
 * the root advanced once a MAC'd row (rows cut from the end, or MACs
 * stripped, show).  0 intact, 1 broken (v says where and why), -1 error.
 */
int audit_verify(struct store *, const struct custody_key *, size_t nkeys,
    struct audit_verdict *v, char *err, size_t errlen);

/*
 * The statement of an unseal run against a copy of the database: what was
 * opened, by whom, with which custodian, why and when, with a checksum,
 * into out (text lines).
 */
void audit_statement(const struct audit_entry *, long long at,
    const char *outcome, char *out, size_t len);

/*
 * Add a statement to the log (an 'unseal_offline' row).  0 added, 1 it
 * was added before, -1 with err set (not a statement, or altered).
 */
int audit_import(struct store *, const char *statement, const char *actor,
    char *err, size_t errlen);

#endif
