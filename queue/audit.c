/*
 * audit: implements queue/audit.h on the store's audit table and two meta
 * rows: 'audit_key', the ratchet's current key, replaced in the same
 * transaction as the row it MAC'd (SQLite's secure_delete overwrites the
 * old one), and the root key's shares under epoch -1 of epoch_keys.  A row
 * is chained over its id, time, actor, action, report code, reason and
 * custodian, each length-prefixed, after the previous row's chain value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "queue/audit.h"
#include "queue/store_private.h"

#define CHAIN_BYTES	32
#define KEY_BYTES	32
#define STATEMENT_MAGIC "hotline unseal statement 1"

static const char chain_tag[] = "hotline audit chain 1";

static void
put_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	crypto_generichash_update(h, b, sizeof b);
}

static void
put_field(crypto_generichash_state *h, const char *s)
{
	/* NULL and "" differ: NULL is length 2^32 */
	put_u64(h, s == NULL ? UINT64_C(1) << 32 : (uint64_t)strlen(s));
	if (s != NULL)
		crypto_generichash_update(
		    h, (const unsigned char *)s, strlen(s));
}

static void
chain_value(const unsigned char prev[CHAIN_BYTES], long long id, long long at,
    const struct audit_entry *e, unsigned char out[CHAIN_BYTES])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, CHAIN_BYTES);
	crypto_generichash_update(
	    &h, (const unsigned char *)chain_tag, sizeof chain_tag);
	crypto_generichash_update(&h, prev, CHAIN_BYTES);
	put_u64(&h, (uint64_t)id);
	put_u64(&h, (uint64_t)at);
	put_field(&h, e->actor);
	put_field(&h, e->action);
	put_field(&h, e->report_code);
	put_field(&h, e->reason);
	put_field(&h, e->custodian);
	crypto_generichash_final(&h, out, CHAIN_BYTES);
}

static void
mac_value(const unsigned char key[KEY_BYTES],
    const unsigned char chain[CHAIN_BYTES], unsigned char out[CHAIN_BYTES])
{
	crypto_generichash(
	    out, CHAIN_BYTES, chain, CHAIN_BYTES, key, KEY_BYTES);
}

/* k' = BLAKE2b(k, "ratchet"); k is overwritten. */
static void
ratchet(unsigned char key[KEY_BYTES])
{
	unsigned char next[KEY_BYTES];

	crypto_generichash(next, sizeof next, (const unsigned char *)"ratchet",
	    7, key, KEY_BYTES);
	memcpy(key, next, KEY_BYTES);
	sodium_memzero(next, sizeof next);
}

/* The meta blob name into out (len bytes): 0, 1 when absent, -1. */
static int
meta_blob(struct store *s, const char *name, unsigned char *out, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == len) {
		memcpy(out, sqlite3_column_blob(st, 0), len);
		rc = 0;
	} else
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 1 : -1;
	sqlite3_finalize(st);
	return rc;
}

static int
put_meta_blob(
    struct store *s, const char *name, const unsigned char *v, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO meta(name, value) VALUES (?, ?) "
		"ON CONFLICT(name) DO UPDATE SET value = excluded.value",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The last row's id and chain value (zeros, id 0, when empty). */
static int
last_row(struct store *s, long long *id, unsigned char chain[CHAIN_BYTES])
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	memset(chain, 0, CHAIN_BYTES);
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, chain FROM audit ORDER BY id DESC LIMIT 1", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == CHAIN_BYTES)
			memcpy(chain, sqlite3_column_blob(st, 1), CHAIN_BYTES);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
audit_append(
    struct store *s, const struct audit_entry *e, char *err, size_t errlen)
{
	unsigned char prev[CHAIN_BYTES], chain[CHAIN_BYTES], mac[CHAIN_BYTES];
	unsigned char key[KEY_BYTES];
	sqlite3_stmt *st = NULL;
	long long id, at = (long long)time(NULL);
	int keyed, rc = -1;

	if (last_row(s, &id, prev) == -1 ||
	    (keyed = meta_blob(s, "audit_key", key, sizeof key)) == -1)
		goto fail;
	id++;
	chain_value(prev, id, at, e, chain);
	if (keyed == 0) {
		mac_value(key, chain, mac);
		ratchet(key);
		if (put_meta_blob(s, "audit_key", key, sizeof key) == -1)
			goto fail;
	}
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO audit(id, at, actor, action, report_code, reason, "
		"custodian, chain, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->report_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, e->custodian, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, chain, CHAIN_BYTES, SQLITE_STATIC);
	if (keyed == 0)
		sqlite3_bind_blob(st, 9, mac, CHAIN_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
fail:
	sqlite3_finalize(st);
	sodium_memzero(key, sizeof key);
	if (rc == -1)
		store_sql_fail(s, "writing the audit log", err, errlen);
	return rc;
}

int
audit_row(struct store *s, const char *actor, const char *action,
    const char *report_code, const char *reason, char *err, size_t errlen)
{
	struct audit_entry e = {actor, action, report_code, reason, NULL};

	return audit_append(s, &e, err, errlen);
}

int
audit_write(
    struct store *s, const struct audit_entry *e, char *err, size_t errlen)
{
	if (store_begin(s, err, errlen) == -1)
		return -1;
	if (audit_append(s, e, err, errlen) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err, errlen);
}

/* One row as read back. */
struct row {
	long long id, at;
	struct audit_entry e;
	const unsigned char *chain, *mac;
	int chain_len, mac_len;
};

static void
read_row(sqlite3_stmt *st, struct row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->at = sqlite3_column_int64(st, 1);
	r->e.actor = (const char *)sqlite3_column_text(st, 2);
	r->e.action = (const char *)sqlite3_column_text(st, 3);
	r->e.report_code = (const char *)sqlite3_column_text(st, 4);
	r->e.reason = (const char *)sqlite3_column_text(st, 5);
	r->e.custodian = (const char *)sqlite3_column_text(st, 6);
	r->chain = sqlite3_column_blob(st, 7);
	r->chain_len = sqlite3_column_bytes(st, 7);
	r->mac = sqlite3_column_blob(st, 8);
	r->mac_len = sqlite3_column_bytes(st, 8);
}

#define ROW_COLUMNS                                                            \
	"SELECT id, at, actor, action, report_code, reason, custodian, "       \
	"chain, mac FROM audit ORDER BY id"

struct each {
	int (*fn)(const struct audit_record *, void *);
	void *arg;
};

static int
each_row(sqlite3_stmt *st, void *arg)
{
	const struct each *p = arg;
	struct audit_record rec;
	struct row r;

	read_row(st, &r);
	rec.id = r.id;
	rec.at = (time_t)r.at;
	rec.e = r.e;
	return p->fn(&rec, p->arg);
}

int
audit_each(struct store *s, int (*fn)(const struct audit_record *, void *),
    void *arg, char *err, size_t errlen)
{
	struct each pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, ROW_COLUMNS, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the audit log", err, errlen);
	return store_sql_rows(s, st, each_row, &pass, "reading the audit log",
		   err, errlen) == -1
	    ? -1
	    : 0;
}

int
audit_chain_legacy(struct store *s, char *err, size_t errlen)
{
	unsigned char prev[CHAIN_BYTES] = {0}, chain[CHAIN_BYTES];
	sqlite3_stmt *st = NULL, *up = NULL;
	struct row r;
	int step, rc = -1;

	if (sqlite3_prepare_v2(s->db, ROW_COLUMNS, -1, &st, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE audit SET chain = ? WHERE id = ?",
		-1, &up, NULL) != SQLITE_OK)
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		chain_value(prev, r.id, r.at, &r.e, chain);
		sqlite3_bind_blob(up, 1, chain, CHAIN_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, r.id);
		if (sqlite3_step(up) != SQLITE_DONE)
			goto done;
		sqlite3_reset(up);
		memcpy(prev, chain, CHAIN_BYTES);
	}
	if (step == SQLITE_DONE)
		rc = 0;
done:
	if (rc == -1)
		store_sql_fail(s, "chaining the audit log", err, errlen);
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

int
audit_make_root(
    struct store *s, const struct custody *c, char *err, size_t errlen)
{
	struct custody_sealed *sealed;
	unsigned char key[KEY_BYTES];
	int rc = -1;

	if ((sealed = calloc(1, sizeof *sealed)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (store_begin(s, err, errlen) == -1)
		goto done;
	if (store_epoch_shares(s, AUDIT_ROOT_EPOCH, sealed, err, errlen) == -1)
		goto rollback;
	if (sealed->n > 0) {
		store_rollback(s);
		rc = 1;
		goto done;
	}
	crypto_kdf_keygen(key);
	if (custody_seal(c, key, sealed) != 0) {
		snprintf(err, errlen, "sealing the audit's root key failed");
		goto rollback;
	}
	if (store_put_shares(s, AUDIT_ROOT_EPOCH, sealed, err, errlen) == -1)
		goto rollback;
	if (put_meta_blob(s, "audit_key", key, sizeof key) == -1) {
		store_sql_fail(s, "storing the audit key", err, errlen);
		goto rollback;
	}
	rc = store_commit(s, err, errlen);
	goto done;
rollback:
	store_rollback(s);
done:
	sodium_memzero(key, sizeof key);
	free(sealed);
	return rc;
}

int
audit_pin(
    struct store *s, const struct custody *c, int pin, char *err, size_t errlen)
{
	char pins[CUSTODY_PINS_MAX], kept[CUSTODY_PINS_MAX];
	int rc;

	custody_pins(c, pins);
	rc = store_custodians(s, pins, pin, kept, sizeof kept, err, errlen);
	if (rc == 1)
		snprintf(err, errlen,
		    "the database is pinned to the custodians %s, and the "
		    "config names %s: a key cannot be swapped in (hotline "
		    "rekey changes the custodians)",
		    kept, pins);
	if (rc == 1 || rc == -1)
		return -1;
	if (pin && audit_make_root(s, c, err, errlen) == -1)
		return -1;
	return 0;
}

static void
head_text(const unsigned char *chain, char out[AUDIT_HEAD_TEXT])
{
	sodium_bin2hex(out, AUDIT_HEAD_TEXT, chain, (AUDIT_HEAD_TEXT - 1) / 2);
}

int
audit_head(struct store *s, long long *rows, char head[AUDIT_HEAD_TEXT],
    char *err, size_t errlen)
{
	unsigned char chain[CHAIN_BYTES];
	long long id;

	head[0] = '\0';
	*rows = 0;
	if (last_row(s, &id, chain) == -1 ||
	    store_sql_int(s, "SELECT count(*) FROM audit", NULL, rows) == -1)
		return store_sql_fail(s, "reading the audit log", err, errlen);
	if (id > 0)
		head_text(chain, head);
	return 0;
}

static int
broken(struct audit_verdict *v, long long id, const char *why)
{
	v->broken_id = id;
	snprintf(v->why, sizeof v->why, "%s", why);
	return 1;
}

/* The ratchet's root key, opened with the custodians' keys. */
static int
open_root(struct store *s, const struct custody_key *keys, size_t nkeys,
    unsigned char key[KEY_BYTES], char *err, size_t errlen)
{
	struct custody_sealed *sealed = calloc(1, sizeof *sealed);
	int rc = -1;

	if (sealed == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (store_epoch_shares(s, AUDIT_ROOT_EPOCH, sealed, err, errlen) == 0) {
		rc = custody_open(sealed, keys, nkeys, key, err, errlen);
		if (rc == 1)
			snprintf(err, errlen,
			    "the audit's root key is missing: MACs cannot be "
			    "checked");
	}
	sodium_memzero(sealed, sizeof *sealed);
	free(sealed);
	return rc == 0 ? 0 : -1;
}

int
audit_verify(struct store *s, const struct custody_key *keys, size_t nkeys,
    struct audit_verdict *v, char *err, size_t errlen)
{
	unsigned char prev[CHAIN_BYTES] = {0}, chain[CHAIN_BYTES],
		      mac[CHAIN_BYTES], key[KEY_BYTES], now[KEY_BYTES];
	sqlite3_stmt *st = NULL;
	int step, rc = -1, keyed_started = 0;
	long long last = 0;
	struct row r;

	memset(v, 0, sizeof *v);
	if (nkeys > 0 && open_root(s, keys, nkeys, key, err, errlen) == -1)
		return -1;
	if (sqlite3_prepare_v2(s->db, ROW_COLUMNS, -1, &st, NULL) !=
	    SQLITE_OK) {
		store_sql_fail(s, "reading the audit log", err, errlen);
		goto done;
	}
	rc = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		v->rows++;
		last = r.id;
		chain_value(prev, r.id, r.at, &r.e, chain);
		if (r.chain_len != CHAIN_BYTES ||
		    sodium_memcmp(chain, r.chain, CHAIN_BYTES) != 0) {
			rc = broken(v, r.id,
			    "its chain value does not follow from the rows "
			    "before it: this row was edited, or one before it "
			    "was deleted, inserted or moved");
			break;
		}
		memcpy(prev, chain, CHAIN_BYTES);
		if (r.mac_len == 0 && keyed_started) {
			rc = broken(v, r.id, "its MAC was removed");
			break;
		}
		if (r.mac_len == 0)
			continue;
		keyed_started = 1;
		v->macs++;
		if (nkeys == 0)
			continue;
		mac_value(key, chain, mac);
		ratchet(key);
		if (r.mac_len != CHAIN_BYTES ||
		    sodium_memcmp(mac, r.mac, CHAIN_BYTES) != 0)
			rc = broken(v, r.id,
			    "its MAC does not verify: the log was rewritten "
			    "from here on by someone without the keys of the "
			    "rows before");
	}
	if (rc == 0 && step != SQLITE_DONE) {
		store_sql_fail(s, "reading the audit log", err, errlen);
		rc = -1;
	}
	/*
	 * The ratchet's key now is the root's ratcheted once for each MAC'd
	 * row: a MAC'd row cut from the end, or MACs stripped from the rows
	 * (which then pass for rows from before the chain), leave it ahead.
	 */
	if (rc == 0 && nkeys > 0) {
		int kept = meta_blob(s, "audit_key", now, sizeof now);

		if (kept == -1) {
			store_sql_fail(s, "reading the audit key", err, errlen);
			rc = -1;
		} else if (kept == 1 ||
		    sodium_memcmp(now, key, sizeof key) != 0)
			rc = broken(v, last + 1,
			    "the audit key has moved on past the last MAC'd "
			    "row: rows were cut from the end, or MACs "
			    "stripped");
	}
	if (rc == 0 && v->rows > 0)
		head_text(prev, v->head);
done:
	sqlite3_finalize(st);
	sodium_memzero(key, sizeof key);
	sodium_memzero(now, sizeof now);
	return rc;
}

/* The statement's checksum over its lines before "check:". */
static void
statement_check(const char *text, size_t len, char out[AUDIT_HEAD_TEXT])
{
	unsigned char h[8];

	crypto_generichash(h, sizeof h, (const unsigned char *)text, len,
	    (const unsigned char *)STATEMENT_MAGIC, sizeof STATEMENT_MAGIC - 1);
	sodium_bin2hex(out, AUDIT_HEAD_TEXT, h, sizeof h);
}

/* A field for one line: no newline may enter it. */
static void
one_line(const char *in, char *out, size_t len)
{
	size_t i;

	snprintf(out, len, "%s", in != NULL ? in : "");
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '\n' || out[i] == '\r')
			out[i] = ' ';
}

void
audit_statement(const struct audit_entry *e, long long at, const char *outcome,
    char *out, size_t len)
{
	char actor[128], code[64], reason[600], custodian[CUSTODY_NAME_MAX],
	    check[AUDIT_HEAD_TEXT];
	int n;

	one_line(e->actor, actor, sizeof actor);
	one_line(e->report_code, code, sizeof code);
	one_line(e->reason, reason, sizeof reason);
	one_line(e->custodian, custodian, sizeof custodian);
	n = snprintf(out, len,
	    "%s\nreport: %s\nby: %s\ncustodian: %s\nreason: %s\nat: %lld\n"
	    "outcome: %s\n",
	    STATEMENT_MAGIC, code, actor, custodian, reason, at, outcome);
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return;
	}
	statement_check(out, (size_t)n, check);
	snprintf(out + n, len - (size_t)n, "check: %s\n", check);
}

/* The value of "name: value" line in text, into out. */
static int
field(const char *text, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);
	const char *p = text, *end;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, nl) == 0 && p[nl] == ':' &&
		    p[nl + 1] == ' ') {
			p += nl + 2;
			end = strchr(p, '\n');
			if (end == NULL || (size_t)(end - p) >= len)
				return -1;
			memcpy(out, p, (size_t)(end - p));
			out[end - p] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

int
audit_import(struct store *s, const char *statement, const char *actor,
    char *err, size_t errlen)
{
	char code[64], by[128], custodian[CUSTODY_NAME_MAX], reason[600],
	    at[24], outcome[128], check[AUDIT_HEAD_TEXT], want[AUDIT_HEAD_TEXT],
	    note[1024];
	const char *start = strstr(statement, STATEMENT_MAGIC "\n"),
		   *check_line;
	struct audit_entry e;
	long long seen = 0;
	char *end;
	time_t t;
	struct tm tm;
	char when[32];

	if (start == NULL ||
	    (check_line = strstr(start, "\ncheck: ")) == NULL ||
	    field(start, "report", code, sizeof code) == -1 ||
	    field(start, "by", by, sizeof by) == -1 ||
	    field(start, "custodian", custodian, sizeof custodian) == -1 ||
	    field(start, "reason", reason, sizeof reason) == -1 ||
	    field(start, "at", at, sizeof at) == -1 ||
	    field(start, "outcome", outcome, sizeof outcome) == -1 ||
	    field(check_line + 1, "check", check, sizeof check) == -1) {
		snprintf(err, errlen,
		    "not an unseal statement (it starts with \"%s\" and ends "
		    "with a check line)",
		    STATEMENT_MAGIC);
		return -1;
	}
	statement_check(start, (size_t)(check_line + 1 - start), want);
	if (strcmp(want, check) != 0) {
		snprintf(err, errlen,
		    "the statement's check does not match its lines: it was "
		    "altered or mistyped");
		return -1;
	}
	t = (time_t)strtoll(at, &end, 10);
	if (*end != '\0' || gmtime_r(&t, &tm) == NULL)
		return snprintf(err, errlen, "the statement's time is bad"), -1;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(note, sizeof note,
	    "%s (%s on a copy, by %s, %s; statement %s)", reason, outcome, by,
	    when, check);
	if (store_begin(s, err, errlen) == -1)
		return -1;
	if (store_sql_int(s,
		"SELECT count(*) FROM audit WHERE action = 'unseal_offline' "
		"AND reason LIKE '%statement ' || ?1 || ')'",
		check, &seen) == -1) {
		store_rollback(s);
		return store_sql_fail(s, "reading the audit log", err, errlen);
	}
	if (seen > 0) {
		store_rollback(s);
		return 1;
	}
	e.actor = actor;
	e.action = "unseal_offline";
	e.report_code = code;
	e.reason = note;
	e.custodian = custodian[0] != '\0' ? custodian : NULL;
	if (audit_append(s, &e, err, errlen) == -1) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err, errlen);
}
