/*
 * test_audit: the tamper-evident audit log of queue/audit.h, on real
 * SQLite files.  Rows are chained and, once the root key is made, MAC'd
 * under a ratchet; audit_verify() finds the log intact, and finds where
 * an attacker with sqlite3 (dropping the append-only triggers first)
 * edited, deleted, reordered, forged or cut rows, stripped MACs, or
 * edited a row and recomputed every chain value after it (then only the
 * MACs, checked with the custodian's key, or the head sent out, catch
 * it).  A database of schema version 5 gets its old rows chained.  The
 * custodians are pinned once; statements of offline unseals are
 * imported once, and only unaltered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tests/unit/testlib.h"

#include "queue/audit.h"
#include "queue/custody.h"
#include "queue/store.h"

#define DROP_TRIGGERS                                                          \
	"DROP TRIGGER IF EXISTS audit_append_only_update;"                     \
	"DROP TRIGGER IF EXISTS audit_append_only_delete;"

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	struct store *s;
	struct custody_key mayor, stranger;
	struct custody c;
	char err[512];
};

static void
open_store(struct fixture *f, const char *file)
{
	testlib_path(f->path, f->dir, file);
	f->s = store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("store_open: %s", f->err);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-audit"), 0);
	open_store(f, "a.db");
	testlib_custody_key(&f->mayor, "mayor");
	testlib_custody_key(&f->stranger, "stranger");
	f->c.requires = 1;
	assert_int_equal(custody_add(&f->c, "mayor", f->mayor.public_key,
			     f->err, sizeof f->err),
	    0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->s != NULL)
		store_close(f->s);
	testlib_custody_key_free(&f->mayor);
	testlib_custody_key_free(&f->stranger);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

static void
append(struct fixture *f, const char *actor, const char *action,
    const char *code, const char *reason, const char *custodian)
{
	const struct audit_entry e = {actor, action, code, reason, custodian};

	if (audit_write(f->s, &e, f->err, sizeof f->err) != 0)
		fail_msg("audit_write: %s", f->err);
}

/* The five rows the tampering tests start from (ids 1 to 5). */
static void
five_rows(struct fixture *f)
{
	append(f, "cli:root", "pin", NULL, "first serve", NULL);
	append(f, "web:walikota", "unseal", "KDR-AAAAAA", "saksi", "mayor");
	append(f, "cli:root", "unseal", "KDR-BBBBBB", "inspektorat", "mayor");
	append(f, "cli:root", "backup", NULL, NULL, NULL);
	append(f, "system", "retention", NULL, "2 identities", NULL);
}

/* audit_verify() with the mayor's key (keys) or none. */
static int
verify(struct fixture *f, int keys, struct audit_verdict *v)
{
	strcpy(f->err, "");
	return audit_verify(f->s, keys ? &f->mayor : NULL, keys ? 1 : 0, v,
	    f->err, sizeof f->err);
}

static void
assert_intact(struct fixture *f, int keys, long long rows, long long macs)
{
	struct audit_verdict v;
	int rc = verify(f, keys, &v);

	if (rc != 0)
		fail_msg("verify (keys %d): %d, row %lld: %s %s", keys, rc,
		    v.broken_id, v.why, f->err);
	assert_int_equal(v.rows, rows);
	assert_int_equal(v.macs, macs);
	assert_int_equal(v.broken_id, 0);
	assert_int_equal(strlen(v.head), rows > 0 ? 16 : 0);
}

static void
assert_broken(struct fixture *f, int keys, long long id, const char *why)
{
	struct audit_verdict v;
	int rc = verify(f, keys, &v);

	if (rc != 1)
		fail_msg(
		    "verify (keys %d): %d, not broken (%s)", keys, rc, f->err);
	assert_int_equal(v.broken_id, id);
	if (strstr(v.why, why) == NULL)
		fail_msg("why: %s", v.why);
	assert_string_equal(v.head, "");
}

struct seen {
	int n;
	struct audit_record r[8];
	char text[8][5][64];
};

static int
collect(const struct audit_record *r, void *arg)
{
	struct seen *s = arg;
	const char *f[5] = {r->e.actor, r->e.action, r->e.report_code,
	    r->e.reason, r->e.custodian};
	int i;

	assert_true(s->n < 8);
	s->r[s->n] = *r;
	for (i = 0; i < 5; i++)
		snprintf(s->text[s->n][i], 64, "%s", f[i] ? f[i] : "(null)");
	s->n++;
	return 0;
}

static void
test_rows_chained_and_maced(void **state)
{
	struct fixture *f = *state;
	struct custody_sealed root;
	struct audit_verdict v;
	struct seen seen = {0};
	char head[AUDIT_HEAD_TEXT];
	long long rows;
	time_t before = time(NULL);

	/* empty: no rows, no head */
	assert_int_equal(
	    audit_head(f->s, &rows, head, f->err, sizeof f->err), 0);
	assert_int_equal(rows, 0);
	assert_string_equal(head, "");
	assert_intact(f, 0, 0, 0);
	/* no root yet: the custodian's key has nothing to open */
	assert_int_equal(verify(f, 1, &v), -1);
	assert_non_null(strstr(f->err, "root key is missing"));

	/* the root, sealed to the custodians; once */
	assert_int_equal(
	    audit_make_root(f->s, &f->c, f->err, sizeof f->err), 0);
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &root,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(root.n, 1);
	assert_string_equal(root.share[0].label, "mayor");
	assert_int_equal(
	    audit_make_root(f->s, &f->c, f->err, sizeof f->err), 1);
	assert_intact(f, 1, 0, 0);

	five_rows(f);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE length(chain) = "
			     "32 AND length(mac) = 32"),
	    5);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(DISTINCT chain) + count(DISTINCT "
			     "mac) FROM audit"),
	    10);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE id BETWEEN 1 "
			     "AND 5"),
	    5);
	assert_int_equal(
	    audit_head(f->s, &rows, head, f->err, sizeof f->err), 0);
	assert_int_equal(rows, 5);
	assert_int_equal(strlen(head), 16);
	assert_int_equal(strspn(head, "0123456789abcdef"), 16);
	/* intact, without the key (the MACs counted) and with it */
	assert_int_equal(verify(f, 0, &v), 0);
	assert_int_equal(v.rows, 5);
	assert_int_equal(v.macs, 5);
	assert_string_equal(v.head, head);
	assert_intact(f, 1, 5, 5);
	/* a stranger's key opens no root: an error, not a verdict */
	assert_int_equal(
	    audit_verify(f->s, &f->stranger, 1, &v, f->err, sizeof f->err), -1);

	/* the rows as written, oldest first */
	assert_int_equal(
	    audit_each(f->s, collect, &seen, f->err, sizeof f->err), 0);
	assert_int_equal(seen.n, 5);
	assert_int_equal(seen.r[0].id, 1);
	assert_int_equal(seen.r[4].id, 5);
	assert_true(seen.r[0].at >= before && seen.r[0].at <= time(NULL));
	assert_string_equal(seen.text[1][0], "web:walikota");
	assert_string_equal(seen.text[1][1], "unseal");
	assert_string_equal(seen.text[1][2], "KDR-AAAAAA");
	assert_string_equal(seen.text[1][3], "saksi");
	assert_string_equal(seen.text[1][4], "mayor");
	assert_string_equal(seen.text[3][2], "(null)");
	assert_string_equal(seen.text[3][3], "(null)");
	assert_string_equal(seen.text[3][4], "(null)");

	/* a row rolled back leaves neither row nor ratchet step behind */
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	assert_int_equal(audit_row(f->s, "cli:root", "unseal", "KDR-CCCCCC",
			     "x", f->err, sizeof f->err),
	    0);
	store_rollback(f->s);
	assert_intact(f, 1, 5, 5);
	/* a sixth row moves the head */
	append(f, "cli:root", "backup", NULL, NULL, NULL);
	assert_int_equal(verify(f, 1, &v), 0);
	assert_int_equal(v.rows, 6);
	assert_string_not_equal(v.head, head);
}

/* The ratchet's key moves on with every row; the root stays sealed. */
static void
test_ratchet_moves(void **state)
{
	struct fixture *f = *state;
	unsigned char k[3][32];
	int i;

	assert_int_equal(
	    audit_make_root(f->s, &f->c, f->err, sizeof f->err), 0);
	for (i = 0; i < 3; i++) {
		sqlite3 *db;
		sqlite3_stmt *st;

		if (i > 0)
			append(f, "cli:root", "backup", NULL, NULL, NULL);
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db,
				     "SELECT value FROM meta WHERE name = "
				     "'audit_key'",
				     -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_bytes(st, 0), 32);
		memcpy(k[i], sqlite3_column_blob(st, 0), 32);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	assert_memory_not_equal(k[0], k[1], 32);
	assert_memory_not_equal(k[1], k[2], 32);
	assert_memory_not_equal(k[0], k[2], 32);
	assert_intact(f, 1, 2, 2);
}

/*
 * What an attacker does with sqlite3, and what verify says: without the
 * key (rc 0: intact, or the row it breaks at) and with it.
 */
struct tamper {
	const char *what, *sql;
	long long plain, keyed; /* broken at; 0: intact */
	const char *why;	/* of the first break */
	int head_moves;		/* when intact without the key */
};

static const struct tamper tampers[] = {
    {"a reason edited",
	"UPDATE audit SET reason = 'nothing to see' WHERE id = 3", 3, 3,
	"chain value", 0},
    {"the first row's actor edited",
	"UPDATE audit SET actor = 'cli:other' WHERE id = 1", 1, 1,
	"chain value", 0},
    {"the custodian named taken out",
	"UPDATE audit SET custodian = NULL WHERE id = 2", 2, 2, "chain value",
	0},
    {"a NULL reason made empty", "UPDATE audit SET reason = '' WHERE id = 4", 4,
	4, "chain value", 0},
    {"a time moved by a second", "UPDATE audit SET at = at - 1 WHERE id = 4", 4,
	4, "chain value", 0},
    {"a middle row deleted", "DELETE FROM audit WHERE id = 3", 4, 4,
	"chain value", 0},
    {"the first row deleted", "DELETE FROM audit WHERE id = 1", 2, 2,
	"chain value", 0},
    {"two rows' ids swapped",
	"UPDATE audit SET id = 100 WHERE id = 2;"
	"UPDATE audit SET id = 2 WHERE id = 3;"
	"UPDATE audit SET id = 3 WHERE id = 100;",
	2, 2, "chain value", 0},
    {"two rows' contents swapped, chain and MAC with them",
	"CREATE TEMP TABLE t AS SELECT * FROM audit WHERE id IN (2, 3);"
	"UPDATE audit SET (at, actor, action, report_code, reason, custodian, "
	"chain, mac) = (SELECT at, actor, action, report_code, reason, "
	"custodian, chain, mac FROM t WHERE t.id = 5 - audit.id) "
	"WHERE id IN (2, 3);",
	2, 2, "chain value", 0},
    {"a row forged at the end with the last chain and MAC",
	"INSERT INTO audit(id, at, actor, action, report_code, chain, mac) "
	"SELECT 6, at, 'cli:root', 'unseal', 'KDR-ZZZZZZ', chain, mac FROM "
	"audit WHERE id = 5",
	6, 6, "chain value", 0},
    {"a row forged at the end without a chain",
	"INSERT INTO audit(id, at, actor, action) VALUES (6, 1, 'x', 'y')", 6,
	6, "chain value", 0},
    {"a middle row's MAC removed", "UPDATE audit SET mac = NULL WHERE id = 3",
	3, 3, "MAC was removed", 0},
    {"a row edited and its MAC removed",
	"UPDATE audit SET reason = 'nothing', mac = NULL WHERE id = 3", 3, 3,
	"chain value", 0},
    {"a MAC replaced", "UPDATE audit SET mac = randomblob(32) WHERE id = 3", 0,
	3, "MAC does not verify", 0},
    {"a MAC cut short",
	"UPDATE audit SET mac = substr(mac, 1, 16) WHERE id = 2", 0, 2,
	"MAC does not verify", 0},
    {"two rows' MACs swapped",
	"CREATE TEMP TABLE t AS SELECT id, mac FROM audit WHERE id IN (4, 5);"
	"UPDATE audit SET mac = (SELECT mac FROM t WHERE t.id = 9 - audit.id) "
	"WHERE id IN (4, 5);",
	0, 4, "MAC does not verify", 0},
    /* cut from the end: only the head sent out, or the key, tells */
    {"the last row deleted", "DELETE FROM audit WHERE id = 5", 0, 5, "moved on",
	1},
    {"every MAC stripped", "UPDATE audit SET mac = NULL", 0, 6, "moved on", 0},
    {"the first MACs stripped", "UPDATE audit SET mac = NULL WHERE id <= 2", 0,
	3, "MAC does not verify", 0},
    {"the ratchet's key deleted", "DELETE FROM meta WHERE name = 'audit_key'",
	0, 6, "moved on", 0},
};

static void
test_tampering(void **state)
{
	struct fixture *f = *state;
	char file[32], sql[1024], head[AUDIT_HEAD_TEXT];
	struct audit_verdict v;
	long long rows;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(tampers); i++) {
		const struct tamper *t = &tampers[i];

		print_message("  %s\n", t->what);
		store_close(f->s);
		snprintf(file, sizeof file, "t%zu.db", i);
		open_store(f, file);
		assert_int_equal(
		    audit_make_root(f->s, &f->c, f->err, sizeof f->err), 0);
		five_rows(f);
		assert_intact(f, 1, 5, 5);
		assert_int_equal(
		    audit_head(f->s, &rows, head, f->err, sizeof f->err), 0);
		snprintf(sql, sizeof sql, DROP_TRIGGERS "%s", t->sql);
		testlib_sql(f->path, sql);
		if (t->plain == 0) {
			assert_int_equal(verify(f, 0, &v), 0);
			assert_int_equal(v.broken_id, 0);
			/* the head sent out tells a row cut from the end */
			if (t->head_moves)
				assert_string_not_equal(v.head, head);
			else
				assert_string_equal(v.head, head);
		} else
			assert_broken(f, 0, t->plain, t->why);
		assert_broken(f, 1, t->keyed, t->why);
	}
}

/* The chain as audit.c computes it: what an attacker can do again. */
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
put_field(crypto_generichash_state *h, const unsigned char *s)
{
	size_t n = s != NULL ? strlen((const char *)s) : 0;

	put_u64(h, s == NULL ? UINT64_C(1) << 32 : (uint64_t)n);
	if (s != NULL)
		crypto_generichash_update(h, s, n);
}

/* Recompute every chain value from row from on, as an attacker would. */
static void
rechain(const char *path, long long from)
{
	static const char tag[] = "hotline audit chain 1";
	unsigned char prev[32] = {0}, chain[32];
	sqlite3 *db;
	sqlite3_stmt *st, *up;
	int i;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, DROP_TRIGGERS "BEGIN", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT id, at, actor, action, report_code, "
			     "reason, custodian, chain FROM audit ORDER BY id",
			     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(
		db, "UPDATE audit SET chain = ? WHERE id = ?", -1, &up, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		crypto_generichash_state h;
		long long id = sqlite3_column_int64(st, 0);

		crypto_generichash_init(&h, NULL, 0, 32);
		crypto_generichash_update(
		    &h, (const unsigned char *)tag, sizeof tag);
		crypto_generichash_update(&h, prev, 32);
		put_u64(&h, (uint64_t)id);
		put_u64(&h, (uint64_t)sqlite3_column_int64(st, 1));
		for (i = 2; i <= 6; i++)
			put_field(&h, sqlite3_column_text(st, i));
		crypto_generichash_final(&h, chain, 32);
		if (id < from) {
			/* the same algorithm: the rows before agree */
			assert_int_equal(sqlite3_column_bytes(st, 7), 32);
			assert_memory_equal(
			    sqlite3_column_blob(st, 7), chain, 32);
		} else {
			sqlite3_bind_blob(up, 1, chain, 32, SQLITE_STATIC);
			sqlite3_bind_int64(up, 2, id);
			assert_int_equal(sqlite3_step(up), SQLITE_DONE);
			sqlite3_reset(up);
		}
		memcpy(prev, chain, 32);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	assert_int_equal(
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_recomputed_chain(void **state)
{
	struct fixture *f = *state;
	struct audit_verdict v;
	char head[AUDIT_HEAD_TEXT];
	long long rows;

	assert_int_equal(
	    audit_make_root(f->s, &f->c, f->err, sizeof f->err), 0);
	five_rows(f);
	assert_int_equal(
	    audit_head(f->s, &rows, head, f->err, sizeof f->err), 0);
	/* nothing edited: the attacker's chain is the log's own */
	rechain(f->path, 1);
	assert_intact(f, 1, 5, 5);
	/* row 3 edited, rows 3 to 5 chained again: the chain holds ... */
	testlib_sql(f->path,
	    DROP_TRIGGERS
	    "UPDATE audit SET report_code = 'KDR-CCCCCC' WHERE id = 3");
	assert_broken(f, 0, 3, "chain value");
	rechain(f->path, 3);
	assert_int_equal(verify(f, 0, &v), 0);
	assert_int_equal(v.rows, 5);
	/* ... but not the head sent out, nor the MACs */
	assert_string_not_equal(v.head, head);
	assert_broken(f, 1, 3, "MAC does not verify");
	/* and stripping the MACs of the rows rewritten does not help */
	testlib_sql(
	    f->path, DROP_TRIGGERS "UPDATE audit SET mac = NULL WHERE id >= 3");
	assert_broken(f, 0, 3, "MAC was removed");
	assert_broken(f, 1, 3, "MAC was removed");
}

/*
 * A database as a version 5 binary left it: today's schema taken back
 * (the columns and trigger of version 6 and the table of version 7
 * gone), with audit rows.
 */
static void
make_v5(struct fixture *f, const char *file)
{
	store_close(f->s);
	f->s = NULL;
	open_store(f, file);
	store_close(f->s);
	f->s = NULL;
	testlib_sql(f->path,
	    "DROP TABLE attachments;"
	    "DROP TRIGGER audit_append_only_update;"
	    "ALTER TABLE audit DROP COLUMN mac;"
	    "ALTER TABLE audit DROP COLUMN chain;"
	    "ALTER TABLE audit DROP COLUMN custodian;"
	    "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit "
	    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	    "INSERT INTO audit(at, actor, action, report_code, reason) VALUES "
	    "(1795312900, 'cli:root', 'unseal', 'KDR-V5V5V5', 'saksi'),"
	    "(1795313000, 'cli:root', 'backup', NULL, NULL),"
	    "(1795313100, 'web:walikota', 'unseal', 'KDR-V5V5V6', NULL);"
	    "PRAGMA user_version = 5;");
	assert_int_equal(testlib_sql_int(f->path, "PRAGMA user_version"), 5);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM pragma_table_info('audit') "
			     "WHERE name IN ('chain', 'mac', 'custodian')"),
	    0);
}

static void
test_legacy_rows_chained(void **state)
{
	struct fixture *f = *state;
	struct seen seen = {0};

	make_v5(f, "v5.db");
	open_store(f, "v5.db");
	assert_int_equal(testlib_sql_int(f->path, "PRAGMA user_version"), 7);
	/* chained, without MACs: no key made them */
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE length(chain) = "
			     "32 AND mac IS NULL AND custodian IS NULL"),
	    3);
	assert_intact(f, 0, 3, 0);
	assert_int_equal(
	    audit_each(f->s, collect, &seen, f->err, sizeof f->err), 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.r[0].at, 1795312900);
	assert_string_equal(seen.text[0][2], "KDR-V5V5V5");
	/* chained now, so no longer to be updated, even without a MAC */
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db,
					 "UPDATE audit SET reason = 'x' "
					 "WHERE id = 1",
					 NULL, NULL, NULL),
		    SQLITE_OK);
		assert_int_not_equal(
		    sqlite3_exec(
			db, "UPDATE audit SET chain = NULL", NULL, NULL, NULL),
		    SQLITE_OK);
		assert_int_not_equal(
		    sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	/* pinned: the rows from now on are MAC'd */
	assert_int_equal(audit_pin(f->s, &f->c, 1, f->err, sizeof f->err), 0);
	append(f, "cli:root", "unseal", "KDR-V5V5V5", "lagi", "mayor");
	assert_intact(f, 0, 4, 1);
	assert_intact(f, 1, 4, 1);
	/* opened again: migrated once only */
	store_close(f->s);
	open_store(f, "v5.db");
	assert_intact(f, 1, 4, 1);
	/* an old row edited: broken there */
	testlib_sql(f->path,
	    DROP_TRIGGERS "UPDATE audit SET reason = 'x' WHERE id = 3");
	assert_broken(f, 0, 3, "chain value");
	/* an old row deleted before it: broken at the next */
	testlib_sql(f->path, "DELETE FROM audit WHERE id = 1");
	assert_broken(f, 0, 2, "chain value");
}

static void
test_pin(void **state)
{
	struct fixture *f = *state;
	struct custody other = {.requires = 1}, two,
		       reordered = {.requires = 1};
	struct custody_sealed root, again;
	struct custody_key inspektur;
	char pins[CUSTODY_PINS_MAX], other_pins[CUSTODY_PINS_MAX],
	    kept[CUSTODY_PINS_MAX];

	testlib_custody_key(&inspektur, "inspektur");
	/* a reader, nothing pinned: nothing pinned, no root made */
	assert_int_equal(audit_pin(f->s, &f->c, 0, f->err, sizeof f->err), 0);
	assert_int_equal(store_custodians(f->s, "x", 0, kept, sizeof kept,
			     f->err, sizeof f->err),
	    2);
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &root,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(root.n, 0);

	/* the first: pinned, and the root made */
	assert_int_equal(audit_pin(f->s, &f->c, 1, f->err, sizeof f->err), 0);
	custody_pins(&f->c, pins);
	assert_int_equal(store_custodians(f->s, pins, 0, kept, sizeof kept,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &root,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(root.n, 1);
	/* the same set: passes, the root as it was */
	assert_int_equal(audit_pin(f->s, &f->c, 1, f->err, sizeof f->err), 0);
	assert_int_equal(audit_pin(f->s, &f->c, 0, f->err, sizeof f->err), 0);
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &again,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(again.n, 1);
	assert_memory_equal(
	    again.share[0].sealed, root.share[0].sealed, SEAL_SEALED_KEY_BYTES);

	/* another key for the mayor: refused, naming both sets */
	assert_int_equal(custody_add(&other, "mayor", f->stranger.public_key,
			     f->err, sizeof f->err),
	    0);
	custody_pins(&other, other_pins);
	strcpy(f->err, "");
	assert_int_equal(audit_pin(f->s, &other, 1, f->err, sizeof f->err), -1);
	if (strstr(f->err, pins) == NULL || strstr(f->err, other_pins) == NULL)
		fail_msg("%s", f->err);
	assert_non_null(strstr(f->err, "rekey"));
	assert_int_equal(audit_pin(f->s, &other, 0, f->err, sizeof f->err), -1);
	/* a custodian more; two to open: other sets too */
	two = f->c;
	assert_int_equal(custody_add(&two, "inspektur", inspektur.public_key,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(audit_pin(f->s, &two, 1, f->err, sizeof f->err), -1);
	two.requires = 2;
	assert_int_equal(audit_pin(f->s, &two, 1, f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "2 to open"));
	/* still the first set, and its root */
	assert_int_equal(store_custodians(f->s, pins, 0, kept, sizeof kept,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &again,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(again.n, 1);
	assert_memory_equal(
	    again.share[0].sealed, root.share[0].sealed, SEAL_SEALED_KEY_BYTES);
	testlib_custody_key_free(&inspektur);

	/* a set pinned in one order matches in another */
	store_close(f->s);
	open_store(f, "order.db");
	assert_int_equal(audit_pin(f->s, &two, 1, f->err, sizeof f->err), 0);
	assert_int_equal(custody_add(&reordered, "mayor", f->mayor.public_key,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(custody_add(&reordered, "inspektur",
			     two.c[1].public_key, f->err, sizeof f->err),
	    0);
	reordered.requires = 2;
	assert_int_equal(
	    audit_pin(f->s, &reordered, 1, f->err, sizeof f->err), 0);
	/* two to open: the root in pair shares */
	assert_int_equal(store_epoch_shares(f->s, AUDIT_ROOT_EPOCH, &root,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(root.n, 2);
	assert_non_null(strchr(root.share[0].label, '+'));
}

static int
find_offline(const struct audit_record *r, void *arg)
{
	return strcmp(r->e.action, "unseal_offline") == 0 ? collect(r, arg) : 0;
}

static void
test_statement_import(void **state)
{
	struct fixture *f = *state;
	const struct audit_entry e = {"cli:sekda", "unseal", "KDR-7K3M9Q",
	    "Inspektorat needs\na witness statement", "inspektur"};
	char st[2048], st2[2048], text[4096], *p, *q;
	struct seen seen = {0};
	const long long at = 1796662740; /* 2026-12-07 00:59 UTC */

	audit_statement(&e, at, "opened", st, sizeof st);
	/* what it says, one field a line, the newline of the reason gone */
	assert_int_equal(strncmp(st, "hotline unseal statement 1\n", 27), 0);
	assert_non_null(strstr(st, "\nreport: KDR-7K3M9Q\n"));
	assert_non_null(strstr(st, "\nby: cli:sekda\n"));
	assert_non_null(strstr(st, "\ncustodian: inspektur\n"));
	assert_non_null(
	    strstr(st, "\nreason: Inspektorat needs a witness statement\n"));
	assert_non_null(strstr(st, "\nat: 1796662740\n"));
	assert_non_null(strstr(st, "\noutcome: opened\n"));
	assert_non_null(p = strstr(st, "\ncheck: "));
	assert_int_equal(strlen(p), strlen("\ncheck: ") + 16 + 1);

	assert_int_equal(
	    audit_import(f->s, st, "cli:root", f->err, sizeof f->err), 0);
	assert_int_equal(
	    audit_each(f->s, find_offline, &seen, f->err, sizeof f->err), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.text[0][0], "cli:root");
	assert_string_equal(seen.text[0][2], "KDR-7K3M9Q");
	assert_string_equal(seen.text[0][4], "inspektur");
	assert_non_null(
	    strstr(seen.text[0][3], "Inspektorat needs a witness statement"));
	assert_intact(f, 0, 1, 0);
	/* again: already there, not twice */
	assert_int_equal(
	    audit_import(f->s, st, "cli:root", f->err, sizeof f->err), 1);
	/* quoted in a mail, text around it: the same statement */
	snprintf(
	    text, sizeof text, "From: sekda\n\nsee below\n%s\n-- \nS.\n", st);
	assert_int_equal(
	    audit_import(f->s, text, "cli:root", f->err, sizeof f->err), 1);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'unseal_offline'"),
	    1);

	/* altered: the report, the outcome, the custodian, the time, the
	 * check */
	{
		static const char *const edits[][3] = {
		    {"KDR-7K3M9Q", "KDR-7K3M9R", "altered"},
		    {"outcome: opened", "outcome: failed", "altered"},
		    {"custodian: inspektur", "custodian: mayor", "altered"},
		    {"reason: Inspektorat", "reason: inspektorat", "altered"},
		    {"at: 1796662740", "at: 1796662741", "altered"},
		    {"check: ", "check: 00", "not an unseal statement"},
		    {"\nby: ", "\nvon: ", "not an unseal statement"},
		};
		size_t i;

		for (i = 0; i < TESTLIB_COUNT(edits); i++) {
			const char *q = strstr(st, edits[i][0]);

			assert_non_null(q);
			snprintf(st2, sizeof st2, "%.*s%s%s", (int)(q - st), st,
			    edits[i][1], q + strlen(edits[i][0]));
			strcpy(f->err, "");
			assert_int_equal(audit_import(f->s, st2, "cli:root",
					     f->err, sizeof f->err),
			    -1);
			if (strstr(f->err, edits[i][2]) == NULL)
				fail_msg("edit %zu: %s", i, f->err);
		}
	}

	/* the check itself mistyped */
	snprintf(st2, sizeof st2, "%s", st);
	q = strstr(st2, "\ncheck: ") + 8;
	*q = *q == '0' ? '1' : '0';
	assert_int_equal(
	    audit_import(f->s, st2, "cli:root", f->err, sizeof f->err), -1);
	assert_non_null(strstr(f->err, "altered"));

	/* garbage, and a statement cut short */
	{
		static const char *const junk[] = {
		    "",
		    "hello",
		    "hotline unseal statement 1\n",
		    "hotline unseal statement 2\nreport: x\n",
		};
		size_t i;

		for (i = 0; i < TESTLIB_COUNT(junk); i++) {
			strcpy(f->err, "");
			assert_int_equal(audit_import(f->s, junk[i], "cli:root",
					     f->err, sizeof f->err),
			    -1);
			assert_non_null(
			    strstr(f->err, "not an unseal statement"));
		}
		snprintf(st2, sizeof st2, "%.*s", (int)(p - st), st);
		assert_int_equal(
		    audit_import(f->s, st2, "cli:root", f->err, sizeof f->err),
		    -1);
	}
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'unseal_offline'"),
	    1);

	/* another unseal's statement: a row of its own; no custodian: NULL */
	{
		const struct audit_entry e2 = {
		    "cli:sekda", "unseal", "KDR-222222", "why", NULL};

		audit_statement(&e2, at + 60, "failed", st2, sizeof st2);
		assert_int_equal(
		    audit_import(f->s, st2, "cli:root", f->err, sizeof f->err),
		    0);
		seen.n = 0;
		assert_int_equal(audit_each(f->s, find_offline, &seen, f->err,
				     sizeof f->err),
		    0);
		assert_int_equal(seen.n, 2);
		assert_string_equal(seen.text[1][4], "(null)");
		assert_non_null(strstr(seen.text[1][3], "failed"));
	}
	assert_intact(f, 0, 2, 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_rows_chained_and_maced),
	    T(test_ratchet_moves),
	    T(test_tampering),
	    T(test_recomputed_chain),
	    T(test_legacy_rows_chained),
	    T(test_pin),
	    T(test_statement_import),
	};
#undef T

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
