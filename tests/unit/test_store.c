/*
 * Unit tests of queue/store.c: schema creation and reopening, dedupe by
 * keyed hash, code clashes, delivery reports, the append-only audit log,
 * read-only access, backup, and the migration of a version 1 database
 * (made by hand with the version 1 schema) to the current version.  Every test
 * uses a fresh file in a temp dir.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/audit.h"
#include "queue/custody.h"
#include "queue/store.h"
#include "queue/store_private.h" /* store_schema_v1: version 1 as it was */
#include "tests/unit/testlib.h"

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	struct store *s;
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-store"), 0);
	testlib_path(f->path, f->dir, "t.db");
	f->s = store_open(f->path, STORE_READWRITE, err, sizeof err);
	assert_non_null(f->s);
	crypto_box_keypair(f->pk, f->sk);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

static void
make_report(struct fixture *f, struct store_report *r, const char *msgid)
{
	struct identity id = {0};
	char err[128];

	memset(r, 0, sizeof *r);
	randombytes_buf(r->uid, sizeof r->uid);
	store_new_code("KDR", r->code);
	r->channel = "whatsapp";
	r->type = "text";
	r->text = "pungli di kelurahan";
	r->received_at = 1795314600 + 125;
	store_hash_id(store_dedupe_key(f->s), "whatsapp", msgid, r->dedupe);
	snprintf(id.sender, sizeof id.sender, "+6281234567890");
	snprintf(id.provider_id, sizeof id.provider_id, "%s", msgid);
	assert_int_equal(
	    seal_identity(&id, r->uid, f->pk, &r->sealed, err, sizeof err), 0);
}

static void
insert(struct fixture *f, struct store_report *r)
{
	char err[256];

	assert_int_equal(store_begin(f->s, err, sizeof err), 0);
	assert_int_equal(
	    store_insert_report(f->s, r, "KDR", err, sizeof err), 0);
	assert_int_equal(store_commit(f->s, err, sizeof err), 0);
}

static void
test_code_format(void **state)
{
	char code[STORE_CODE_MAX], seen[STORE_CODE_MAX];
	int i;

	(void)state;
	store_new_code("KDR", seen);
	for (i = 0; i < 100; i++) {
		store_new_code("KDR", code);
		assert_int_equal(strlen(code), 10);
		assert_memory_equal(code, "KDR-", 4);
		assert_int_equal(
		    strspn(code + 4, "23456789ABCDEFGHJKMNPQRSTUVWXYZ"), 6);
	}
	assert_string_not_equal(code, seen);
}

static void
test_insert_and_dedupe(void **state)
{
	struct fixture *f = *state;
	struct store_report r, again;

	make_report(f, &r, "wamid.ONE");
	insert(f, &r);
	assert_false(r.duplicate);
	make_report(f, &again, "wamid.ONE");
	insert(f, &again);
	assert_true(again.duplicate);
	make_report(f, &again, "wamid.TWO");
	insert(f, &again);
	assert_false(again.duplicate);
	assert_int_equal(store_count(f->s, "reports"), 2);
	assert_int_equal(store_count(f->s, "identities"), 2);
	assert_int_equal(store_count(f->s, "inbound"), 2);
}

static void
test_hash_depends_on_channel_and_key(void **state)
{
	struct fixture *f = *state;
	unsigned char a[STORE_HASH_BYTES], b[STORE_HASH_BYTES];
	unsigned char key[STORE_DEDUPE_KEY_BYTES] = {1};

	store_hash_id(store_dedupe_key(f->s), "whatsapp", "id1", a);
	store_hash_id(store_dedupe_key(f->s), "sms", "id1", b);
	assert_memory_not_equal(a, b, sizeof a);
	store_hash_id(key, "whatsapp", "id1", b);
	assert_memory_not_equal(a, b, sizeof a);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", "id1", b);
	assert_memory_equal(a, b, sizeof a);
}

static void
test_code_clash_draws_new_code(void **state)
{
	struct fixture *f = *state;
	struct store_report r, clash;

	make_report(f, &r, "m1");
	insert(f, &r);
	make_report(f, &clash, "m2");
	memcpy(clash.code, r.code, sizeof r.code);
	insert(f, &clash);
	assert_false(clash.duplicate);
	assert_string_not_equal(clash.code, r.code);
	assert_int_equal(store_count(f->s, "reports"), 2);
}

static void
test_received_at_to_the_hour(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	sqlite3 *db;
	sqlite3_stmt *st;

	make_report(f, &r, "m1");
	insert(f, &r);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT received_at FROM reports", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 1795312800);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_find_and_open_identity(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct sealed_identity sealed;
	struct custody_sealed shares;
	struct custody_key mayor = {.name = "mayor"}, other = {.name = "x"};
	struct identity id;
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	char err[256];

	make_report(f, &r, "wamid.X");
	insert(f, &r);
	assert_int_equal(store_find_identity(f->s, r.code, uid, &sealed,
			     &shares, err, sizeof err),
	    0);
	assert_memory_equal(uid, r.uid, sizeof uid);
	assert_int_equal(sealed.epoch, 0);
	assert_int_equal(seal_open_identity(
			     &sealed, uid, f->pk, f->sk, &id, err, sizeof err),
	    0);
	assert_string_equal(id.sender, "+6281234567890");
	assert_string_equal(id.provider_id, "wamid.X");
	/* a version 1 identity: one share, the mayor's, its own key */
	assert_int_equal(shares.n, 1);
	assert_string_equal(shares.share[0].label, "mayor");
	assert_memory_equal(
	    shares.share[0].sealed, r.sealed.sealed_key, SEAL_SEALED_KEY_BYTES);
	memcpy(mayor.public_key, f->pk, sizeof f->pk);
	mayor.secret_key = f->sk;
	memset(&id, 0, sizeof id);
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &mayor, 1, &id,
			     err, sizeof err),
	    0);
	assert_string_equal(id.sender, "+6281234567890");
	/* a custodian of another name holds no share of it */
	memcpy(other.public_key, f->pk, sizeof f->pk);
	other.secret_key = f->sk;
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &other, 1, &id,
			     err, sizeof err),
	    -1);
	assert_int_equal(store_find_identity(f->s, "KDR-NOPE22", uid, &sealed,
			     &shares, err, sizeof err),
	    1);
}

static void
test_statuses_once_per_state(void **state)
{
	struct fixture *f = *state;
	struct store_status s = {
	    .channel = "whatsapp", .status = "delivered", .at = 1};
	char err[256];

	store_hash_id(
	    store_dedupe_key(f->s), "whatsapp", "wamid.OUT", s.message);
	assert_int_equal(store_begin(f->s, err, sizeof err), 0);
	assert_int_equal(store_insert_status(f->s, &s, err, sizeof err), 0);
	assert_int_equal(store_insert_status(f->s, &s, err, sizeof err), 0);
	s.status = "read";
	assert_int_equal(store_insert_status(f->s, &s, err, sizeof err), 0);
	assert_int_equal(store_commit(f->s, err, sizeof err), 0);
	assert_int_equal(store_count(f->s, "delivery_events"), 2);
}

static void
test_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	char err[256];

	make_report(f, &r, "m1");
	assert_int_equal(store_begin(f->s, err, sizeof err), 0);
	assert_int_equal(
	    store_insert_report(f->s, &r, "KDR", err, sizeof err), 0);
	store_rollback(f->s);
	assert_int_equal(store_count(f->s, "reports"), 0);
	assert_int_equal(store_count(f->s, "inbound"), 0);
}

static int
count_audit(const struct audit_record *row, void *arg)
{
	int *n = arg;

	assert_string_equal(row->e.action, "unseal");
	assert_string_equal(row->e.actor, "cli:test");
	assert_string_equal(row->e.report_code, "KDR-222222");
	assert_string_equal(row->e.reason, "why");
	assert_string_equal(row->e.custodian, "mayor");
	(*n)++;
	return 0;
}

static void
test_audit_append_only(void **state)
{
	struct fixture *f = *state;
	const struct audit_entry e = {
	    "cli:test", "unseal", "KDR-222222", "why", "mayor"};
	char err[256];
	sqlite3 *db;
	int n = 0;

	assert_int_equal(audit_write(f->s, &e, err, sizeof err), 0);
	assert_int_equal(audit_each(f->s, count_audit, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE audit SET reason = 'x'", NULL, NULL, NULL),
	    SQLITE_OK);
	/* the chain value is no way around it */
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE audit SET chain = NULL", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	n = 0;
	assert_int_equal(audit_each(f->s, count_audit, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
}

static void
test_reopen_and_readonly(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct store *ro;
	unsigned char key[STORE_DEDUPE_KEY_BYTES];
	char err[256];

	make_report(f, &r, "m1");
	insert(f, &r);
	memcpy(key, store_dedupe_key(f->s), sizeof key);
	store_close(f->s);
	f->s = store_open(f->path, STORE_READWRITE, err, sizeof err);
	assert_non_null(f->s);
	assert_memory_equal(key, store_dedupe_key(f->s), sizeof key);
	ro = store_open(f->path, STORE_READONLY, err, sizeof err);
	assert_non_null(ro);
	assert_int_equal(store_count(ro, "reports"), 1);
	assert_int_equal(store_check_writable(ro, err, sizeof err), -1);
	store_close(ro);
	/* writable; then its file deleted (the open file still takes
	 * writes, but nothing would be left after a restart): not ready */
	assert_int_equal(store_check_writable(f->s, err, sizeof err), 0);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(store_check_writable(f->s, err, sizeof err), -1);
	assert_non_null(strstr(err, "gone"));
	assert_null(store_open(
	    "/nonexistent/dir/x.db", STORE_READONLY, err, sizeof err));
}

static void
test_not_a_hotline_database(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX], err[256];
	sqlite3 *db;

	testlib_path(path, f->dir, "other.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, STORE_READONLY, err, sizeof err));
	assert_non_null(strstr(err, "not a hotline database"));
}

/* The custodians are pinned at the first serve; another set is refused. */
static void
test_custodians_pinned(void **state)
{
	struct fixture *f = *state;
	char kept[256], err[256];

	/* a reader pins nothing */
	assert_int_equal(store_custodians(f->s, "mayor=aaaa bbbb cccc dddd", 0,
			     kept, sizeof kept, err, sizeof err),
	    2);
	assert_int_equal(store_custodians(f->s, "mayor=aaaa bbbb cccc dddd", 1,
			     kept, sizeof kept, err, sizeof err),
	    0);
	assert_string_equal(kept, "mayor=aaaa bbbb cccc dddd");
	assert_int_equal(store_custodians(f->s, "mayor=aaaa bbbb cccc dddd", 1,
			     kept, sizeof kept, err, sizeof err),
	    0);
	assert_int_equal(store_custodians(f->s, "mayor=1111 2222 3333 4444", 1,
			     kept, sizeof kept, err, sizeof err),
	    1);
	assert_string_equal(kept, "mayor=aaaa bbbb cccc dddd");
	/* and stays so */
	assert_int_equal(store_custodians(f->s, "mayor=1111 2222 3333 4444", 0,
			     kept, sizeof kept, err, sizeof err),
	    1);
}

static void
test_backup(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	struct store *b;
	char path[TESTLIB_PATH_MAX], err[256];

	make_report(f, &r, "m1");
	insert(f, &r);
	testlib_path(path, f->dir, "backup.db");
	assert_int_equal(store_backup(f->s, path, err, sizeof err), 0);
	b = store_open(path, STORE_READONLY, err, sizeof err);
	assert_non_null(b);
	assert_int_equal(store_count(b, "reports"), 1);
	store_close(b);
}

#define V1_CODE "KDR-V1V1V1"

/* The user_version of the database at path. */
static int
schema_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row of sql on the database at path. */
static long long
query_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
put_meta(sqlite3 *db, const char *name, const unsigned char *v, size_t len)
{
	sqlite3_stmt *st;

	assert_int_equal(
	    sqlite3_prepare_v2(db,
		"INSERT INTO meta(name, value) VALUES (?, ?)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* A database as a version 1 binary left it: its keys, a report, a message. */
static void
make_v1(const char *path, unsigned char key[STORE_DEDUPE_KEY_BYTES],
    unsigned char salt[STORE_SALT_BYTES])
{
	sqlite3 *db;

	randombytes_buf(key, STORE_DEDUPE_KEY_BYTES);
	randombytes_buf(salt, STORE_SALT_BYTES);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, store_schema_v1, NULL, NULL, NULL), SQLITE_OK);
	put_meta(db, "dedupe_key", key, STORE_DEDUPE_KEY_BYTES);
	put_meta(db, "receipt_salt", salt, STORE_SALT_BYTES);
	assert_int_equal(sqlite3_exec(db,
			     "INSERT INTO reports(uid, code, status, channel, "
			     "type, text, category, opd, received_at, "
			     "updated_at) VALUES (x'00112233', '" V1_CODE
			     "', 'routed', 'whatsapp', 'text', 'pungli di "
			     "kelurahan', 'pungli', 'dispendukcapil', "
			     "1795312800, 1795312800);"
			     "INSERT INTO outbox(report_id, kind, channel, "
			     "sealed, status, next_attempt_at, created_at, "
			     "updated_at) VALUES (1, 'ack', 'whatsapp', "
			     "x'00', 'sent', 1, 1, 1);"
			     "INSERT INTO audit(at, actor, action, "
			     "report_code, reason) VALUES (1795312900, "
			     "'cli:root', 'unseal', '" V1_CODE "', 'why'), "
			     "(1795313000, 'cli:root', 'backup', NULL, NULL);"
			     "PRAGMA user_version = 1;"
			     "COMMIT",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

static int
one_report(const struct store_report_row *row, void *arg)
{
	int *n = arg;

	assert_string_equal(row->code, V1_CODE);
	assert_string_equal(row->status, "routed");
	assert_string_equal(row->opd, "dispendukcapil");
	assert_int_equal(row->received_at, 1795312800);
	assert_int_equal(row->ack_due, 0);
	assert_int_equal(row->resolve_due, 0);
	assert_int_equal(row->acknowledged_at, 0);
	assert_int_equal(row->resolved_at, 0);
	assert_int_equal(row->marks, 0);
	(*n)++;
	return 0;
}

static void
test_migrate_v1(void **state)
{
	struct fixture *f = *state;
	unsigned char key[STORE_DEDUPE_KEY_BYTES], salt[STORE_SALT_BYTES];
	char path[TESTLIB_PATH_MAX], err[256];
	struct store_case c;
	struct audit_verdict v;
	struct store *s;
	time_t at;
	int n = 0;

	testlib_path(path, f->dir, "v1.db");
	make_v1(path, key, salt);
	assert_int_equal(schema_version(path), 1);

	/* a reader does not migrate, and cannot read version 1 */
	assert_null(store_open(path, STORE_READONLY, err, sizeof err));
	assert_non_null(strstr(err, "not a hotline database"));
	assert_int_equal(schema_version(path), 1);

	s = store_open(path, STORE_READWRITE, err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	assert_int_equal(schema_version(path), 7);
	assert_memory_equal(store_dedupe_key(s), key, sizeof key);
	/* version 4: a routed report is about the office handling it */
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM reports WHERE subject = opd "
			     "AND accused IS NULL AND summary IS NULL"),
	    1);
	assert_memory_equal(store_receipt_salt(s), salt, sizeof salt);
	assert_int_equal(store_count(s, "reports"), 1);
	assert_int_equal(
	    store_each_report(s, one_report, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	/* the new columns, empty; marks default to 0 */
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM reports WHERE ack_due IS "
			     "NULL AND resolve_due IS NULL AND watch_at IS "
			     "NULL AND marks = 0 AND acknowledged_at IS NULL "
			     "AND resolved_at IS NULL AND outcome IS NULL"),
	    1);
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM outbox WHERE template IS "
			     "NULL AND params IS NULL AND fallback IS NULL"),
	    1);
	assert_int_equal(query_count(path, "SELECT count(*) FROM history"), 0);
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM sqlite_master WHERE name IN "
			     "('reports_watch', 'history_report')"),
	    2);
	/* the old report is found; it has no deadlines to watch */
	assert_int_equal(store_find_case(s, V1_CODE, &c, err, sizeof err), 0);
	assert_string_equal(c.status, "routed");
	assert_int_equal(c.marks, 0);
	assert_int_equal(c.ack_due, 0);
	assert_int_equal(store_next_watch(s, &at, err, sizeof err), 1);
	/* version 7: an empty table of attachments */
	assert_int_equal(
	    query_count(path, "SELECT count(*) FROM attachments"), 0);
	/* version 6: the old audit rows chained, without MACs */
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM audit WHERE length(chain) = "
			     "32 AND mac IS NULL AND custodian IS NULL"),
	    2);
	assert_int_equal(audit_verify(s, NULL, 0, &v, err, sizeof err), 0);
	assert_int_equal(v.rows, 2);
	assert_int_equal(v.macs, 0);
	assert_int_equal(v.broken_id, 0);
	store_close(s);

	/* version 2 now: readable, and opened again without a change */
	s = store_open(path, STORE_READONLY, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(store_count(s, "reports"), 1);
	store_close(s);
	s = store_open(path, STORE_READWRITE, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(schema_version(path), 7);
	assert_memory_equal(store_dedupe_key(s), key, sizeof key);
	/* version 4: a routed report is about the office handling it */
	assert_int_equal(query_count(path,
			     "SELECT count(*) FROM reports WHERE subject = opd "
			     "AND accused IS NULL AND summary IS NULL"),
	    1);
	assert_int_equal(store_count(s, "reports"), 1);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_code_format),
	    cmocka_unit_test_setup_teardown(
		test_insert_and_dedupe, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_hash_depends_on_channel_and_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_code_clash_draws_new_code, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_received_at_to_the_hour, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_find_and_open_identity, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_statuses_once_per_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_rollback_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_audit_append_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_reopen_and_readonly, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_not_a_hotline_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_custodians_pinned, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_v1, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
