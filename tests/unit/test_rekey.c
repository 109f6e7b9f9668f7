/*
 * test_rekey: changing the custodians of a database (queue/rekey.h) and
 * taking away what retention limits (queue/retention.h), on real SQLite
 * files holding reports sealed under epoch keys and one identity from
 * before them (version 1, sealed to the mayor alone).  A custodian added
 * opens everything, the old identity moved under an epoch key; a mayor
 * replaced opens nothing any more, the new one everything; the pins and
 * the audit's root follow; a key that is no custodian's, a set that is
 * not the pinned one, or the mayor removed while old identities need his
 * key change nothing.  Retention shreds the key of an epoch whose reports
 * all closed long enough ago, keeps one with a report open, blanks texts,
 * lists without changing in a dry run, and says what it did in the audit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tests/unit/testlib.h"

#include "queue/audit.h"
#include "queue/custody.h"
#include "queue/epoch.h"
#include "queue/rekey.h"
#include "queue/retention.h"
#include "queue/store.h"

#define T0   1796662740
#define DAY  86400LL
#define NREP 6 /* 5 under epoch keys (3 epochs), the last version 1 */

enum { MAYOR, INSPEKTUR, NEW_MAYOR, STRANGER, NKEYS };

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	struct store *s;
	struct custody_key k[NKEYS];
	struct custody mayor_only;
	char code[NREP][STORE_CODE_MAX];
	char err[512];
};

static void
add(struct custody *c, const struct custody_key *k)
{
	char err[256];

	if (custody_add(c, k->name, k->public_key, err, sizeof err) != 0)
		fail_msg("custody_add: %s", err);
}

static const char *
sender(int i)
{
	static char buf[NREP][32];

	snprintf(buf[i], sizeof buf[i], "+6281234567%03d", i);
	return buf[i];
}

/*
 * A store pinned to pinned (its audit root made), with NREP reports:
 * two to an epoch, the last one of version 1.
 */
static void
fill(struct fixture *f, const struct custody *pinned)
{
	struct epochs *e;
	int i;

	if (audit_pin(f->s, pinned, 1, f->err, sizeof f->err) != 0)
		fail_msg("audit_pin: %s", f->err);
	assert_non_null(e = epochs_new(pinned, 60, 2));
	for (i = 0; i < NREP - 1; i++)
		testlib_insert_sealed(
		    f->s, e, NULL, sender(i), T0 + i, f->code[i]);
	testlib_insert_sealed(f->s, NULL, f->k[MAYOR].public_key,
	    sender(NREP - 1), T0, f->code[NREP - 1]);
	assert_int_equal(epochs_made(e), 3);
	epochs_free(e);
}

static int
setup(void **state)
{
	static const char *const names[NKEYS] = {
	    "mayor", "inspektur", "mayor", "stranger"};
	struct fixture *f = calloc(1, sizeof *f);
	int i;

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-rekey"), 0);
	testlib_path(f->path, f->dir, "r.db");
	f->s = store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("%s", f->err);
	for (i = 0; i < NKEYS; i++)
		testlib_custody_key(&f->k[i], names[i]);
	f->mayor_only.requires = 1;
	add(&f->mayor_only, &f->k[MAYOR]);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	store_close(f->s);
	for (i = 0; i < NKEYS; i++)
		testlib_custody_key_free(&f->k[i]);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

/* Report i opens with key k (and k2 when not NULL) as its own sender. */
static void
assert_opens(struct fixture *f, int i, const struct custody_key *k,
    const struct custody_key *k2)
{
	struct custody_key keys[2];
	struct identity id;

	keys[0] = *k;
	if (k2 != NULL)
		keys[1] = *k2;
	if (testlib_unseal(f->s, f->code[i], keys, k2 != NULL ? 2 : 1, &id,
		NULL, f->err, sizeof f->err) != 0)
		fail_msg("report %d with %s: %s", i, k->name, f->err);
	assert_string_equal(id.sender, sender(i));
	assert_string_equal(id.channel, "wa");
}

/* Report i does not open with k alone: -1, err containing why. */
static void
assert_closed(
    struct fixture *f, int i, const struct custody_key *k, const char *why)
{
	struct identity id;

	assert_int_equal(testlib_unseal(f->s, f->code[i], k, 1, &id, NULL,
			     f->err, sizeof f->err),
	    -1);
	assert_string_equal(id.sender, "");
	if (why != NULL && strstr(f->err, why) == NULL)
		fail_msg("report %d with %s: %s", i, k->name, f->err);
}

static int
rekey(struct fixture *f, const struct custody *from, const struct custody *to,
    const struct custody_key *keys, size_t nkeys, const char *reason,
    struct rekey_result *res)
{
	const struct audit_entry row = {
	    "cli:root", "rekey", NULL, reason, keys[0].name};

	strcpy(f->err, "");
	return rekey_run(
	    f->s, from, to, keys, nkeys, &row, res, f->err, sizeof f->err);
}

/* BLAKE2b of every row sql gives, every column as its bytes. */
static void
digest(const char *path, const char *sql, unsigned char out[32])
{
	crypto_generichash_state h;
	sqlite3 *db;
	sqlite3_stmt *st;
	int i, n;

	crypto_generichash_init(&h, NULL, 0, 32);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0, n = sqlite3_column_count(st); i < n; i++) {
			const void *b = sqlite3_column_blob(st, i);
			unsigned char len[4];
			int bytes = sqlite3_column_bytes(st, i);

			len[0] = (unsigned char)sqlite3_column_type(st, i);
			len[1] = (unsigned char)(bytes >> 16);
			len[2] = (unsigned char)(bytes >> 8);
			len[3] = (unsigned char)bytes;
			crypto_generichash_update(&h, len, sizeof len);
			if (bytes > 0)
				crypto_generichash_update(&h, b, (size_t)bytes);
		}
	sqlite3_finalize(st);
	sqlite3_close(db);
	crypto_generichash_final(&h, out, 32);
}

/* Everything a failed rekey must leave as it was. */
struct snapshot {
	unsigned char keys[32], identities[32], meta[32];
	long long audit;
};

static void
snap(struct fixture *f, struct snapshot *s)
{
	digest(f->path, "SELECT * FROM epoch_keys ORDER BY epoch, custodian",
	    s->keys);
	digest(f->path, "SELECT * FROM identities ORDER BY report_id",
	    s->identities);
	/* the pins and the ratchet's key */
	digest(f->path, "SELECT * FROM meta ORDER BY name", s->meta);
	s->audit = testlib_sql_int(f->path, "SELECT count(*) FROM audit");
}

static void
assert_unchanged(struct fixture *f, const struct snapshot *before)
{
	struct snapshot now;

	snap(f, &now);
	assert_memory_equal(now.keys, before->keys, 32);
	assert_memory_equal(now.identities, before->identities, 32);
	assert_memory_equal(now.meta, before->meta, 32);
	assert_int_equal(now.audit, before->audit);
}

static void
assert_pinned(struct fixture *f, const struct custody *c)
{
	if (audit_pin(f->s, c, 0, f->err, sizeof f->err) != 0)
		fail_msg("%s", f->err);
}

static void
assert_not_pinned(struct fixture *f, const struct custody *c)
{
	assert_int_equal(audit_pin(f->s, c, 0, f->err, sizeof f->err), -1);
}

static void
assert_audit_verifies(struct fixture *f, const struct custody_key *k, int ok)
{
	struct audit_verdict v;

	assert_int_equal(
	    audit_verify(f->s, k, 1, &v, f->err, sizeof f->err), ok ? 0 : -1);
	if (ok)
		assert_int_equal(v.macs, v.rows);
}

static void
test_add_then_replace_mayor(void **state)
{
	struct fixture *f = *state;
	struct custody with_inspektur = f->mayor_only,
		       replaced = {.requires = 1};
	struct rekey_result res;
	struct sealed_identity sealed;
	struct custody_sealed shares;
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	int i;

	fill(f, &f->mayor_only);
	add(&with_inspektur, &f->k[INSPEKTUR]);
	for (i = 0; i < NREP; i++) {
		assert_opens(f, i, &f->k[MAYOR], NULL);
		assert_closed(f, i, &f->k[INSPEKTUR], "no share");
	}

	/* the inspektur added, by the mayor's authority */
	if (rekey(f, &f->mayor_only, &with_inspektur, &f->k[MAYOR], 1,
		"add inspektur", &res) != 0)
		fail_msg("rekey: %s", f->err);
	assert_int_equal(res.epochs, 3 + 1); /* and the audit's root */
	assert_int_equal(res.moved, 1);
	for (i = 0; i < NREP; i++) {
		assert_opens(f, i, &f->k[INSPEKTUR], NULL);
		assert_opens(f, i, &f->k[MAYOR], NULL);
	}
	/* the old identity now under an epoch key of its own */
	assert_int_equal(store_find_identity(f->s, f->code[NREP - 1], uid,
			     &sealed, &shares, f->err, sizeof f->err),
	    0);
	assert_true(sealed.epoch != 0);
	assert_int_equal(shares.n, 2);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM identities WHERE epoch IS "
			     "NULL OR version != 2 OR length(sealed_key) > 0"),
	    0);
	/* 3 epochs, the moved identity's and the root: 2 shares each */
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"), 10);
	assert_pinned(f, &with_inspektur);
	assert_not_pinned(f, &f->mayor_only);
	assert_audit_verifies(f, &f->k[INSPEKTUR], 1);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'rekey' AND actor = 'cli:root' AND custodian = "
			     "'mayor' AND reason LIKE 'add inspektur; "
			     "custodians now inspektur=%, mayor=%; 4 keys "
			     "sealed again, 1 old identities moved'"),
	    1);

	/* a new mayor, by the inspektur's authority, the old one gone */
	add(&replaced, &f->k[INSPEKTUR]);
	add(&replaced, &f->k[NEW_MAYOR]);
	if (rekey(f, &with_inspektur, &replaced, &f->k[INSPEKTUR], 1,
		"new mayor", &res) != 0)
		fail_msg("rekey: %s", f->err);
	assert_int_equal(res.epochs, 4 + 1);
	assert_int_equal(res.moved, 0);
	for (i = 0; i < NREP; i++) {
		assert_closed(f, i, &f->k[MAYOR], "does not open");
		assert_opens(f, i, &f->k[NEW_MAYOR], NULL);
		assert_opens(f, i, &f->k[INSPEKTUR], NULL);
	}
	assert_pinned(f, &replaced);
	assert_not_pinned(f, &with_inspektur);
	assert_not_pinned(f, &f->mayor_only);
	/* the audit's root with them: the old mayor cannot check it */
	assert_audit_verifies(f, &f->k[NEW_MAYOR], 1);
	assert_audit_verifies(f, &f->k[MAYOR], 0);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'rekey'"),
	    2);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'rekey' AND reason LIKE 'new mayor;%' AND "
			     "custodian = 'inspektur'"),
	    1);
}

/* Two to open after: no custodian alone, any pair. */
static void
test_to_two_to_open(void **state)
{
	struct fixture *f = *state;
	struct custody pair = f->mayor_only;
	struct custody_key both[2];
	struct snapshot before;
	struct rekey_result res;
	int i;

	fill(f, &f->mayor_only);
	add(&pair, &f->k[INSPEKTUR]);
	pair.requires = 2;
	if (rekey(f, &f->mayor_only, &pair, &f->k[MAYOR], 1, "two", &res) != 0)
		fail_msg("rekey: %s", f->err);
	assert_int_equal(res.moved, 1);
	for (i = 0; i < NREP; i++) {
		assert_closed(f, i, &f->k[MAYOR], "takes two");
		assert_closed(f, i, &f->k[INSPEKTUR], "takes two");
		assert_opens(f, i, &f->k[MAYOR], &f->k[INSPEKTUR]);
		assert_opens(f, i, &f->k[INSPEKTUR], &f->k[MAYOR]);
	}
	/* back to one: one key of the two is not enough */
	snap(f, &before);
	assert_int_equal(
	    rekey(f, &pair, &f->mayor_only, &f->k[MAYOR], 1, "one", &res), -1);
	assert_non_null(strstr(f->err, "takes two"));
	assert_unchanged(f, &before);
	/* both are */
	both[0] = f->k[INSPEKTUR];
	both[1] = f->k[MAYOR];
	if (rekey(f, &pair, &f->mayor_only, both, 2, "one", &res) != 0)
		fail_msg("rekey: %s", f->err);
	for (i = 0; i < NREP; i++) {
		assert_opens(f, i, &f->k[MAYOR], NULL);
		assert_closed(f, i, &f->k[INSPEKTUR], "no share");
	}
	assert_pinned(f, &f->mayor_only);
	assert_not_pinned(f, &pair);
}

static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	struct custody with_inspektur = f->mayor_only, one = {.requires = 2};
	struct custody_key impostor = f->k[STRANGER];
	struct snapshot before;
	struct rekey_result res;
	int i;

	fill(f, &f->mayor_only);
	add(&with_inspektur, &f->k[INSPEKTUR]);
	snap(f, &before);

	/* a key that is no custodian's */
	assert_int_equal(rekey(f, &f->mayor_only, &with_inspektur,
			     &f->k[STRANGER], 1, "x", &res),
	    -1);
	assert_non_null(strstr(f->err, "no share"));
	assert_unchanged(f, &before);
	/* a stranger's key under the mayor's name */
	strcpy(impostor.name, "mayor");
	assert_int_equal(
	    rekey(f, &f->mayor_only, &with_inspektur, &impostor, 1, "x", &res),
	    -1);
	assert_non_null(strstr(f->err, "does not open"));
	assert_unchanged(f, &before);
	/* the inspektur's key: not a custodian yet */
	assert_int_equal(rekey(f, &f->mayor_only, &with_inspektur,
			     &f->k[INSPEKTUR], 1, "x", &res),
	    -1);
	assert_unchanged(f, &before);
	/* from a set that is not the pinned one */
	assert_int_equal(rekey(f, &with_inspektur, &f->mayor_only, &f->k[MAYOR],
			     1, "x", &res),
	    -1);
	assert_non_null(strstr(f->err, "pins the custodians"));
	assert_unchanged(f, &before);
	/* to a set that cannot open: two to open, one custodian */
	add(&one, &f->k[INSPEKTUR]);
	assert_int_equal(
	    rekey(f, &f->mayor_only, &one, &f->k[MAYOR], 1, "x", &res), -1);
	assert_non_null(strstr(f->err, "needs at least 2"));
	assert_unchanged(f, &before);
	for (i = 0; i < NREP; i++) {
		assert_opens(f, i, &f->k[MAYOR], NULL);
		assert_closed(f, i, &f->k[INSPEKTUR], NULL);
	}
	assert_pinned(f, &f->mayor_only);
	assert_audit_verifies(f, &f->k[MAYOR], 1);
}

/* A database never served (nothing pinned): refused, said why. */
static void
test_unpinned(void **state)
{
	struct fixture *f = *state;
	struct custody with_inspektur = f->mayor_only;
	struct rekey_result res;

	add(&with_inspektur, &f->k[INSPEKTUR]);
	memset(f->err, 'x', sizeof f->err - 1);
	assert_int_equal(rekey(f, &f->mayor_only, &with_inspektur, &f->k[MAYOR],
			     1, "x", &res),
	    -1);
	assert_non_null(strstr(f->err, "pins no custodians"));
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM audit"), 0);
}

/* The mayor removed while identities only his key opens remain. */
static void
test_mayor_needed_for_old_identities(void **state)
{
	struct fixture *f = *state;
	struct custody both = f->mayor_only, no_mayor = {.requires = 1},
		       new_mayor = {.requires = 1};
	struct custody_key keys[2];
	struct snapshot before;
	struct rekey_result res;
	int i;

	add(&both, &f->k[INSPEKTUR]);
	fill(f, &both);
	add(&no_mayor, &f->k[INSPEKTUR]);
	add(&new_mayor, &f->k[INSPEKTUR]);
	add(&new_mayor, &f->k[NEW_MAYOR]);
	/* the old identity is the mayor's alone */
	assert_opens(f, NREP - 1, &f->k[MAYOR], NULL);
	assert_closed(f, NREP - 1, &f->k[INSPEKTUR], "no share");
	snap(f, &before);

	/* removed, or replaced, by the inspektur alone: refused */
	assert_int_equal(
	    rekey(f, &both, &no_mayor, &f->k[INSPEKTUR], 1, "x", &res), -1);
	assert_non_null(strstr(f->err, "1 identities from before epoch keys"));
	assert_non_null(strstr(f->err, "mayor's key"));
	assert_unchanged(f, &before);
	assert_int_equal(
	    rekey(f, &both, &new_mayor, &f->k[INSPEKTUR], 1, "x", &res), -1);
	assert_non_null(strstr(f->err, "from before epoch keys"));
	assert_unchanged(f, &before);
	assert_pinned(f, &both);

	/* the same mayor kept: allowed, the old identity left as it is */
	{
		struct custody same = {.requires = 1};

		add(&same, &f->k[INSPEKTUR]);
		add(&same, &f->k[MAYOR]);
		if (rekey(f, &both, &same, &f->k[INSPEKTUR], 1, "same", &res) !=
		    0)
			fail_msg("%s", f->err);
		assert_int_equal(res.moved, 0);
		assert_closed(f, NREP - 1, &f->k[INSPEKTUR], "no share");
		both = same;
	}

	/* with the mayor's key too: moved, then the mayor may go */
	keys[0] = f->k[INSPEKTUR];
	keys[1] = f->k[MAYOR];
	if (rekey(f, &both, &no_mayor, keys, 2, "mayor out", &res) != 0)
		fail_msg("%s", f->err);
	assert_int_equal(res.moved, 1);
	for (i = 0; i < NREP; i++) {
		assert_opens(f, i, &f->k[INSPEKTUR], NULL);
		assert_closed(f, i, &f->k[MAYOR], "no share");
	}
	assert_pinned(f, &no_mayor);
}

/* Retention. */

struct listed {
	char text[1024];
};

static void
list_each(const char *code, const char *what, void *arg)
{
	struct listed *l = arg;
	size_t n = strlen(l->text);

	snprintf(l->text + n, sizeof l->text - n, "%s %s;", what, code);
}

static int
retain(struct fixture *f, long long identity_after, long long text_after,
    int dry_run, struct listed *l, struct retention_result *r)
{
	int rc;

	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	rc = retention_apply(f->s, identity_after, text_after, T0 + 400 * DAY,
	    dry_run, "system", l != NULL ? list_each : NULL, l, r, f->err,
	    sizeof f->err);
	if (rc != 0)
		fail_msg("retention_apply: %s", f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	return rc;
}

static long long
report_id(struct fixture *f, int i)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT id FROM reports WHERE code = '%s'",
	    f->code[i]);
	return testlib_sql_int(f->path, sql);
}

/* Set report i's status and when it last changed, as the heads would. */
static void
close_report(struct fixture *f, int i, const char *status, long long at)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	    "UPDATE reports SET status = '%s', updated_at = %lld, category = "
	    "'pungli', summary = 'ringkasan', outcome = 'selesai', latitude = "
	    "-7.8, longitude = 112.0 WHERE code = '%s'",
	    status, at, f->code[i]);
	testlib_sql(f->path, sql);
}

static long long
count_where(struct fixture *f, int i, const char *cond)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	    "SELECT count(*) FROM reports r WHERE r.code = '%s' AND (%s)",
	    f->code[i], cond);
	return testlib_sql_int(f->path, sql);
}

/* A shredded identity: no shares, custody_unseal() says destroyed (1). */
static void
assert_shredded(struct fixture *f, int i)
{
	struct identity id;
	size_t n = 99;

	assert_int_equal(testlib_unseal(f->s, f->code[i], &f->k[MAYOR], 1, &id,
			     &n, f->err, sizeof f->err),
	    1);
	assert_int_equal(n, 0);
	assert_string_equal(id.sender, "");
	assert_int_equal(count_where(f, i,
			     "EXISTS (SELECT 1 FROM identities i WHERE "
			     "i.report_id = r.id AND length(i.ciphertext) = 0 "
			     "AND length(i.sealed_key) = 0)"),
	    1);
}

static void
test_retention(void **state)
{
	struct fixture *f = *state;
	const long long now = T0 + 400 * DAY, long_ago = now - 200 * DAY,
			lately = now - 10 * DAY;
	struct retention_result r;
	struct listed l = {""};
	int i;

	fill(f, &f->mayor_only);
	/* a note and a history note on report 0, while it is open */
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	assert_int_equal(store_add_note(f->s, report_id(f, 0), "addition",
			     "namanya pak budi", f->err, sizeof f->err),
	    0);
	assert_int_equal(
	    store_add_history(f->s, report_id(f, 0), T0, "head:dishub", "note",
		"sudah ditegur", f->err, sizeof f->err),
	    0);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	/*
	 * epoch 1 (reports 0, 1): all closed long ago; epoch 2 (2, 3):
	 * one closed long ago, one open; epoch 3 (4): resolved lately;
	 * report 5 (version 1): closed exactly identity_after ago, but
	 * not text_after ago.
	 */
	/* a stored photo on reports 0 (closed long ago) and 4 (lately) */
	{
		char sql[256];

		snprintf(sql, sizeof sql,
		    "INSERT INTO attachments(report_id, seq, status, kind, "
		    "mime, size, sha256, received_at, sealed_key, data) VALUES "
		    "(%lld, 1, 'stored', 'image', 'image/jpeg', 3, x'00', 0, "
		    "x'01', x'020304'), (%lld, 1, 'stored', 'image', "
		    "'image/jpeg', 3, x'00', 0, x'01', x'020304')",
		    report_id(f, 0), report_id(f, 4));
		testlib_sql(f->path, sql);
	}
	close_report(f, 0, "closed", long_ago);
	close_report(f, 1, "resolved", long_ago);
	close_report(f, 2, "closed", long_ago);
	close_report(f, 3, "in_progress", long_ago);
	close_report(f, 4, "resolved", lately);
	close_report(f, 5, "closed", now - 30 * DAY);
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"), 4);

	/* nothing when both limits are 0 */
	retain(f, 0, 0, 0, &l, &r);
	assert_int_equal(r.identities + r.epochs + r.texts, 0);
	assert_string_equal(l.text, "");

	/* a dry run: listed, counted, nothing changed */
	retain(f, 30 * DAY, 100 * DAY, 1, &l, &r);
	assert_int_equal(r.identities, 3);
	assert_int_equal(r.texts, 3);
	for (i = 0; i < NREP; i++) {
		char want[64];

		snprintf(want, sizeof want, "identity %s;", f->code[i]);
		if ((strstr(l.text, want) != NULL) != (i <= 1 || i == 5))
			fail_msg("report %d: %s", i, l.text);
		snprintf(want, sizeof want, "text %s;", f->code[i]);
		if ((strstr(l.text, want) != NULL) != (i <= 2))
			fail_msg("report %d: %s", i, l.text);
		assert_opens(f, i, &f->k[MAYOR], NULL);
	}
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"), 4);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM reports WHERE text = ''"),
	    0);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'retention'"),
	    0);

	/* for real */
	l.text[0] = '\0';
	retain(f, 30 * DAY, 100 * DAY, 0, &l, &r);
	assert_int_equal(r.identities, 3);
	assert_int_equal(r.epochs, 1);
	assert_int_equal(r.texts, 3);
	/* the photo of report 0 is gone, its row (the count) kept */
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM attachments WHERE status = "
			     "'removed' AND data IS NULL AND sealed_key IS "
			     "NULL"),
	    1);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM attachments WHERE status = "
			     "'stored' AND data IS NOT NULL"),
	    1);
	/* epoch 1 shredded; epoch 2 kept for its open report, whose
	 * closed neighbour stays with it; epoch 3 closed too lately */
	assert_shredded(f, 0);
	assert_shredded(f, 1);
	assert_shredded(f, 5);
	for (i = 2; i <= 4; i++)
		assert_opens(f, i, &f->k[MAYOR], NULL);
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"), 3);
	/* the texts of reports closed long ago, not the counts */
	for (i = 0; i < NREP; i++) {
		int blank = i <= 2;

		assert_int_equal(count_where(f, i,
				     "r.text = '' AND r.summary IS NULL AND "
				     "r.outcome IS NULL AND r.latitude IS "
				     "NULL AND r.longitude IS NULL"),
		    blank);
		assert_int_equal(
		    count_where(
			f, i, "r.category = 'pungli' AND r.status != ''"),
		    1);
	}
	assert_int_equal(
	    count_where(f, 3, "r.text = 'pungli di kelurahan'"), 1);
	assert_int_equal(count_where(f, 0, "r.status = 'closed'"), 1);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM report_notes WHERE text != "
			     "''"),
	    0);
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM report_notes"), 1);
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM history WHERE note IS NOT "
			     "NULL"),
	    0);
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM history"), 1);
	/* said in the audit, once */
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'retention' AND actor = 'system' AND reason = "
			     "'identities of 3 reports destroyed (1 epoch keys "
			     "shredded); texts of 3 reports blanked'"),
	    1);
	assert_audit_verifies(f, &f->k[MAYOR], 1);

	/* again: nothing left to take, no row */
	l.text[0] = '\0';
	retain(f, 30 * DAY, 100 * DAY, 0, &l, &r);
	assert_int_equal(r.identities + r.epochs + r.texts, 0);
	assert_string_equal(l.text, "");
	assert_int_equal(testlib_sql_int(f->path,
			     "SELECT count(*) FROM audit WHERE action = "
			     "'retention'"),
	    1);

	/* the open report closes long ago too: its epoch goes */
	close_report(f, 3, "closed", long_ago);
	retain(f, 30 * DAY, 0, 0, NULL, &r);
	assert_int_equal(r.identities, 2);
	assert_int_equal(r.epochs, 1);
	assert_int_equal(r.texts, 0);
	assert_shredded(f, 2);
	assert_shredded(f, 3);
	assert_opens(f, 4, &f->k[MAYOR], NULL);
	/* the audit's root is no epoch: it stays */
	assert_int_equal(
	    testlib_sql_int(
		f->path, "SELECT count(*) FROM epoch_keys WHERE epoch = -1"),
	    1);
}

/* Keys of several shares: retention counts epochs, not shares. */
static void
test_retention_counts_epochs(void **state)
{
	struct fixture *f = *state;
	struct custody c = f->mayor_only;
	struct retention_result r;
	int requires;

	add(&c, &f->k[INSPEKTUR]);
	for (requires = 1; requires <= 2; requires ++) {
		char file[16];

		store_close(f->s);
		snprintf(file, sizeof file, "n%d.db", requires);
		testlib_path(f->path, f->dir, file);
		f->s =
		    store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
		assert_non_null(f->s);
		c.requires = requires;
		fill(f, &c);
		/* 3 epochs and the root, 2 shares each */
		assert_int_equal(
		    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"),
		    8);
		close_report(f, 0, "closed", T0);
		close_report(f, 1, "closed", T0);
		close_report(f, 4, "closed", T0);
		retain(f, DAY, 0, 0, NULL, &r);
		assert_int_equal(r.epochs, 2);
		assert_int_equal(r.identities, 3);
		assert_int_equal(
		    testlib_sql_int(f->path, "SELECT count(*) FROM epoch_keys"),
		    4);
		assert_shredded(f, 0);
		assert_shredded(f, 4);
		assert_int_equal(testlib_sql_int(f->path,
				     "SELECT count(*) FROM audit WHERE reason "
				     "LIKE '%(2 epoch keys shredded)%'"),
		    1);
	}
}

/* A rekey after retention: the shredded stay shredded. */
static void
test_rekey_after_retention(void **state)
{
	struct fixture *f = *state;
	struct custody with_inspektur = f->mayor_only;
	struct retention_result r;
	struct rekey_result res;
	int i;

	fill(f, &f->mayor_only);
	for (i = 0; i < NREP; i++)
		close_report(f, i, "closed", T0);
	close_report(f, 4, "triage", T0);
	retain(f, DAY, 0, 0, NULL, &r);
	assert_int_equal(r.identities, 5);
	assert_int_equal(r.epochs, 2);
	add(&with_inspektur, &f->k[INSPEKTUR]);
	if (rekey(f, &f->mayor_only, &with_inspektur, &f->k[MAYOR], 1, "add",
		&res) != 0)
		fail_msg("rekey: %s", f->err);
	assert_int_equal(res.epochs, 1 + 1);
	assert_int_equal(res.moved, 0);
	for (i = 0; i < NREP; i++)
		if (i == 4)
			assert_opens(f, i, &f->k[INSPEKTUR], NULL);
		else
			assert_shredded(f, i);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_add_then_replace_mayor),
	    T(test_to_two_to_open),
	    T(test_refusals),
	    T(test_unpinned),
	    T(test_mayor_needed_for_old_identities),
	    T(test_retention),
	    T(test_retention_counts_epochs),
	    T(test_rekey_after_retention),
	};
#undef T

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
