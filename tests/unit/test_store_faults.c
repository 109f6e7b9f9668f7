/*
 * Unit tests of the store's and the writer's error paths, with SQLite's
 * writes and syncs failing under them (tests/unit/faultvfs.h, registered
 * as the default VFS so that store_open() goes through it).  A report
 * whose commit fails at any of its writes or syncs, or on a full disk,
 * gives -1 and a message and leaves nothing behind: the same delivery is
 * stored, not taken for a duplicate, once the disk is well, on the same
 * connection.  A failed commit that wrote an epoch's keys forgets them, so
 * the next report of that epoch writes them again and still opens.  The
 * writer answers -1 to every job of a failing batch (the webhooks' 503),
 * is unhealthy until a commit succeeds, then stores the retries.  An
 * outbox claim or result that cannot be written fails and leaves its row
 * as it was.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/custody.h"
#include "queue/epoch.h"
#include "queue/seal.h"
#include "queue/store.h"
#include "queue/writer.h"
#include "tests/unit/faultvfs.h"
#include "tests/unit/testlib.h"

#define NOW	    1795314600
#define SWEEP_MAX   200 /* more writes than any one commit makes */
#define WRITER_JOBS 5

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	struct store *s;
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char err[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	long writes = faultvfs_writes();

	assert_non_null(f);
	faultvfs_clear();
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-faults"), 0);
	testlib_path(f->path, f->dir, "f.db");
	f->s = store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("store_open: %s", f->err);
	/* the schema was written through the faulting VFS */
	assert_true(faultvfs_writes() > writes);
	crypto_box_keypair(f->pk, sk);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	faultvfs_clear();
	store_close(f->s);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

/* A fault to inject: which calls fail, and how. */
struct fault {
	const char *name;
	void (*arm)(long after, int rc);
	int rc;
	const char *says; /* in the store's message */
};

static const struct fault faults[] = {
    {"write error", faultvfs_fail_writes, SQLITE_IOERR_WRITE, "disk I/O error"},
    {"disk full", faultvfs_fail_writes, SQLITE_FULL, "full"},
    {"fsync error", faultvfs_fail_syncs, SQLITE_IOERR_FSYNC, "disk I/O error"},
};

/* Reports. */

static void
make_report(struct store_report *r, const unsigned char *dedupe_key,
    const unsigned char *pk, const char *msgid)
{
	struct identity id = {0};
	char err[128];

	memset(r, 0, sizeof *r);
	randombytes_buf(r->uid, sizeof r->uid);
	store_new_code("KDR", r->code);
	r->channel = "whatsapp";
	r->type = "text";
	r->text = "pungli di kelurahan";
	r->received_at = NOW;
	store_hash_id(dedupe_key, "whatsapp", msgid, r->dedupe);
	snprintf(id.sender, sizeof id.sender, "+6281234567890");
	if (seal_identity(&id, r->uid, pk, &r->sealed, err, sizeof err) != 0)
		fail_msg("seal_identity: %s", err);
}

/* Rows a report leaves in the store, whatever the table. */
static long long
report_rows(struct fixture *f)
{
	return store_count(f->s, "reports") + store_count(f->s, "identities") +
	    store_count(f->s, "inbound");
}

/* Insert r in a transaction of its own: 0, or -1 with f->err. */
static int
try_insert(struct fixture *f, struct store_report *r)
{
	if (store_begin(f->s, f->err, sizeof f->err) == -1 ||
	    store_insert_report(f->s, r, "KDR", f->err, sizeof f->err) == -1 ||
	    store_commit(f->s, f->err, sizeof f->err) == -1) {
		store_rollback(f->s);
		return -1;
	}
	return 0;
}

/*
 * The fault after 0, 1, 2, ... calls, until the commit makes fewer calls
 * than that and succeeds: every failure is -1 with the fault's message and
 * leaves no row; the same delivery then goes in (no duplicate).
 */
static void
sweep(struct fixture *f, const struct fault *fault)
{
	struct store_report r;
	long after;
	int rc = -1;

	make_report(&r, store_dedupe_key(f->s), f->pk, "wamid.SWEEP");
	for (after = 0; after < SWEEP_MAX; after++) {
		f->err[0] = '\0';
		fault->arm(after, fault->rc);
		rc = try_insert(f, &r);
		faultvfs_clear();
		if (rc == 0)
			break;
		if (strstr(f->err, fault->says) == NULL)
			fail_msg("%s after %ld calls: '%s'", fault->name, after,
			    f->err);
		if (report_rows(f) != 0)
			fail_msg("%s after %ld calls: %lld rows left",
			    fault->name, after, report_rows(f));
	}
	assert_int_equal(rc, 0);
	if (after == 0)
		fail_msg("%s: the commit made no call to fail", fault->name);
	printf("# %s: the commit failed at each of its %ld calls\n",
	    fault->name, after);
	assert_false(r.duplicate);
	assert_int_equal(store_count(f->s, "reports"), 1);
	/* it is there for another connection too, and the next goes in */
	assert_int_equal(
	    testlib_sql_int(f->path, "SELECT count(*) FROM reports"), 1);
	make_report(&r, store_dedupe_key(f->s), f->pk, "wamid.NEXT");
	assert_int_equal(try_insert(f, &r), 0);
	assert_int_equal(store_count(f->s, "reports"), 2);
}

static void
test_report_write_error(void **state)
{
	sweep(*state, &faults[0]);
}

static void
test_report_disk_full(void **state)
{
	sweep(*state, &faults[1]);
}

static void
test_report_fsync_error(void **state)
{
	sweep(*state, &faults[2]);
}

/* The fault set before the transaction begins: nothing is written. */
static void
test_fault_held_until_cleared(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	int i;

	make_report(&r, store_dedupe_key(f->s), f->pk, "wamid.HELD");
	faultvfs_fail_writes(0, SQLITE_FULL);
	for (i = 0; i < 3; i++) {
		assert_int_equal(try_insert(f, &r), -1);
		assert_non_null(strstr(f->err, "full"));
	}
	faultvfs_clear();
	assert_int_equal(report_rows(f), 0);
	assert_int_equal(try_insert(f, &r), 0);
	assert_false(r.duplicate);
	assert_int_equal(store_count(f->s, "reports"), 1);
}

/* Epochs: their keys are stored with the first report that uses them. */

struct keys {
	struct custody_key k[2];
	struct custody c;
};

static void
make_keys(struct keys *k)
{
	char err[128];
	int i;

	memset(k, 0, sizeof *k);
	testlib_custody_key(&k->k[0], "mayor");
	testlib_custody_key(&k->k[1], "inspektur");
	k->c.requires = 1;
	for (i = 0; i < 2; i++)
		assert_int_equal(custody_add(&k->c, k->k[i].name,
				     k->k[i].public_key, err, sizeof err),
		    0);
}

/* A report sealed under e's epoch at NOW; release *es after. */
static void
make_epoch_report(struct fixture *f, struct epochs *e, const char *sender,
    const char *msgid, struct store_report *r, struct epoch_seal **es)
{
	struct identity id = {0};
	unsigned char key[SEAL_KEY_BYTES];
	char err[128];

	make_report(r, store_dedupe_key(f->s), f->pk, msgid);
	strcpy(id.channel, "whatsapp");
	snprintf(id.sender, sizeof id.sender, "%s", sender);
	assert_int_equal(epochs_report_key(e, r->uid, NOW, key, es), 0);
	if (seal_identity_with_key(
		&id, r->uid, key, &r->sealed, err, sizeof err) != 0)
		fail_msg("seal_identity_with_key: %s", err);
	r->sealed.epoch = (*es)->id;
	r->epoch = *es;
	sodium_memzero(key, sizeof key);
}

/*
 * The first report of an epoch fails at its commit, with the epoch's keys:
 * the store must not believe them stored, or the next report of the epoch
 * would be sealed under keys no custodian can find.
 */
static void
test_epoch_keys_after_failed_commit(void **state)
{
	struct fixture *f = *state;
	struct keys k;
	struct epochs *e;
	struct epoch_seal *first, *second;
	struct store_report r;
	struct identity out;
	size_t nshares;

	make_keys(&k);
	assert_non_null(e = epochs_new(&k.c, 3600, EPOCH_MAX_REPORTS));
	make_epoch_report(f, e, "+6281200000001", "wamid.E1", &r, &first);
	faultvfs_fail_syncs(0, SQLITE_IOERR_FSYNC);
	assert_int_equal(try_insert(f, &r), -1);
	faultvfs_clear();
	assert_int_equal(store_count(f->s, "epoch_keys"), 0);
	epochs_release(e, first);

	make_epoch_report(f, e, "+6281200000002", "wamid.E2", &r, &second);
	assert_true(second->id == r.sealed.epoch);
	assert_int_equal(try_insert(f, &r), 0);
	assert_int_equal(store_count(f->s, "epoch_keys"), 2);
	assert_int_equal(testlib_unseal(f->s, r.code, &k.k[0], 1, &out,
			     &nshares, f->err, sizeof f->err),
	    0);
	assert_int_equal(nshares, 2);
	assert_string_equal(out.sender, "+6281200000002");
	epochs_release(e, second);
	epochs_free(e);
	testlib_custody_key_free(&k.k[0]);
	testlib_custody_key_free(&k.k[1]);
}

/* The writer. */

/* What the writer's observer saw: each transaction's rows and outcome. */
struct seen {
	pthread_mutex_t lock;
	size_t n;
	size_t rows[64];
	int ok[64];
};

static void
observe(void *arg, double seconds, size_t rows, int ok)
{
	struct seen *s = arg;

	(void)seconds;
	pthread_mutex_lock(&s->lock);
	if (s->n < TESTLIB_COUNT(s->rows)) {
		s->rows[s->n] = rows;
		s->ok[s->n] = ok;
		s->n++;
	}
	pthread_mutex_unlock(&s->lock);
}

/* A write of the writer's own (writer_run()): an alert queued. */
static int
alert_apply(struct store *s, void *arg, char *err, size_t errlen)
{
	struct store_outbound o = {
	    .kind = "alert",
	    .channel = "whatsapp",
	    .destination = "+6281100000001",
	    .body = "Laporan baru KDR-7K3M9Q",
	};

	(void)arg;
	return store_insert_outbound(s, &o, NOW * 1000LL, err, errlen);
}

/*
 * A job that holds the writer inside its transaction until the test opens
 * it, so that the jobs submitted meanwhile queue up for one batch; then it
 * queues an alert.
 */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int entered, open;
};

static int
gate_apply(struct store *s, void *arg, char *err, size_t errlen)
{
	struct gate *g = arg;

	pthread_mutex_lock(&g->lock);
	g->entered = 1;
	pthread_cond_broadcast(&g->cond);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
	return alert_apply(s, NULL, err, errlen);
}

struct job {
	struct writer_job wj;
	struct store_report report;
	atomic_int done;
	atomic_int result;
};

static void
job_done(struct writer_job *wj, int result)
{
	struct job *j = wj->arg;

	atomic_store(&j->result, result);
	atomic_store(&j->done, 1);
}

static void
make_job(struct fixture *f, struct writer *w, struct job *j, const char *id)
{
	memset(j, 0, sizeof *j);
	make_report(&j->report, writer_dedupe_key(w), f->pk, id);
	j->wj.reports = &j->report;
	j->wj.nreports = 1;
	j->wj.done = job_done;
	j->wj.arg = j;
	atomic_init(&j->done, 0);
	atomic_init(&j->result, 99);
}

static void
wait_done(struct job *j)
{
	int i;

	for (i = 0; i < 10000 && !atomic_load(&j->done); i++)
		usleep(1000);
	assert_true(atomic_load(&j->done));
}

/*
 * A batch of WRITER_JOBS jobs queued behind the gate, the fault set
 * before the gate opens: the gate's transaction and the batch's fail,
 * every job hears -1, and the writer is unhealthy.  Cleared, the same
 * jobs submitted again are stored, none a duplicate.
 */
static void
writer_fails_batch(struct fixture *f, const struct fault *fault)
{
	struct job *jobs = calloc(WRITER_JOBS, sizeof *jobs);
	struct gate g = {.entered = 0, .open = 0};
	struct writer_job gate_job = {0};
	struct job gate_wait;
	struct seen seen = {.n = 0};
	struct writer *w;
	char id[32];
	size_t i;

	assert_non_null(jobs);
	pthread_mutex_init(&seen.lock, NULL);
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cond, NULL);
	w = writer_start(f->path, "KDR", observe, &seen, f->err, sizeof f->err);
	if (w == NULL)
		fail_msg("writer_start: %s", f->err);
	memset(&gate_wait, 0, sizeof gate_wait);
	atomic_init(&gate_wait.done, 0);
	atomic_init(&gate_wait.result, 99);
	gate_job.apply = gate_apply;
	gate_job.apply_arg = &g;
	gate_job.done = job_done;
	gate_job.arg = &gate_wait;
	assert_int_equal(writer_submit(w, &gate_job), 0);
	pthread_mutex_lock(&g.lock);
	while (!g.entered)
		pthread_cond_wait(&g.cond, &g.lock);
	pthread_mutex_unlock(&g.lock);

	for (i = 0; i < WRITER_JOBS; i++) {
		snprintf(id, sizeof id, "wamid.W%zu", i);
		make_job(f, w, &jobs[i], id);
		assert_int_equal(writer_submit(w, &jobs[i].wj), 0);
	}
	assert_int_equal(writer_queued(w), WRITER_JOBS);
	fault->arm(0, fault->rc);
	pthread_mutex_lock(&g.lock);
	g.open = 1;
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	wait_done(&gate_wait);
	assert_int_equal(atomic_load(&gate_wait.result), -1);
	for (i = 0; i < WRITER_JOBS; i++) {
		wait_done(&jobs[i]);
		if (atomic_load(&jobs[i].result) != -1)
			fail_msg("%s: job %zu: %d, want -1", fault->name, i,
			    atomic_load(&jobs[i].result));
	}
	assert_false(writer_healthy(w));
	/* one failed transaction for the gate, one for the whole batch */
	pthread_mutex_lock(&seen.lock);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.rows[0], 1);
	assert_int_equal(seen.ok[0], 0);
	assert_int_equal(seen.rows[1], WRITER_JOBS);
	assert_int_equal(seen.ok[1], 0);
	pthread_mutex_unlock(&seen.lock);
	assert_int_equal(writer_run(w, alert_apply, NULL), -1);

	/* the disk is well again: the providers' retries are stored */
	faultvfs_clear();
	assert_int_equal(writer_run(w, alert_apply, NULL), 0);
	assert_true(writer_healthy(w));
	for (i = 0; i < WRITER_JOBS; i++) {
		snprintf(id, sizeof id, "wamid.W%zu", i);
		make_job(f, w, &jobs[i], id);
		assert_int_equal(writer_submit(w, &jobs[i].wj), 0);
	}
	for (i = 0; i < WRITER_JOBS; i++) {
		wait_done(&jobs[i]);
		assert_int_equal(atomic_load(&jobs[i].result), 0);
		assert_int_equal(jobs[i].wj.stored, 1);
		assert_int_equal(jobs[i].wj.duplicates, 0);
	}
	writer_stop(w);
	assert_int_equal(store_count(f->s, "reports"), WRITER_JOBS);
	assert_int_equal(store_count_outbox(f->s, "queued"), 1);
	pthread_cond_destroy(&g.cond);
	pthread_mutex_destroy(&g.lock);
	pthread_mutex_destroy(&seen.lock);
	free(jobs);
}

static void
test_writer_write_error(void **state)
{
	writer_fails_batch(*state, &faults[0]);
}

static void
test_writer_fsync_error(void **state)
{
	writer_fails_batch(*state, &faults[2]);
}

/* The outbox. */

static long long
queue_alert(struct fixture *f)
{
	struct store_outbound o = {
	    .kind = "alert",
	    .channel = "whatsapp",
	    .destination = "+6281100000001",
	    .body = "Laporan baru KDR-7K3M9Q",
	};

	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	assert_int_equal(store_insert_outbound(
			     f->s, &o, NOW * 1000LL, f->err, sizeof f->err),
	    0);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	return testlib_sql_int(f->path, "SELECT max(id) FROM outbox");
}

/* Row id's status and attempts, as another connection reads them. */
static void
assert_row(struct fixture *f, long long id, const char *status, int attempts)
{
	char sql[160];

	snprintf(sql, sizeof sql,
	    "SELECT count(*) FROM outbox WHERE id = %lld AND status = '%s' "
	    "AND attempts = %d",
	    id, status, attempts);
	if (testlib_sql_int(f->path, sql) != 1)
		fail_msg("outbox row %lld is not %s after %d attempts", id,
		    status, attempts);
}

static void
test_outbox_claim_and_result(void **state)
{
	struct fixture *f = *state;
	unsigned char hash[STORE_HASH_BYTES];
	long long id = queue_alert(f), now = NOW * 1000LL + 1000;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(faults); i++) {
		faults[i].arm(0, faults[i].rc);
		f->err[0] = '\0';
		assert_int_equal(
		    store_outbox_claim(f->s, id, now, f->err, sizeof f->err),
		    -1);
		faultvfs_clear();
		if (strstr(f->err, faults[i].says) == NULL)
			fail_msg("claim, %s: '%s'", faults[i].name, f->err);
		assert_row(f, id, "queued", 0);
	}
	/* 0: claimed */
	assert_int_equal(
	    store_outbox_claim(f->s, id, now, f->err, sizeof f->err), 0);
	assert_row(f, id, "sending", 1);

	randombytes_buf(hash, sizeof hash);
	for (i = 0; i < TESTLIB_COUNT(faults); i++) {
		faults[i].arm(0, faults[i].rc);
		f->err[0] = '\0';
		assert_int_equal(store_outbox_result(f->s, id, "sent", hash, 0,
				     NULL, now, f->err, sizeof f->err),
		    -1);
		faultvfs_clear();
		if (strstr(f->err, faults[i].says) == NULL)
			fail_msg("result, %s: '%s'", faults[i].name, f->err);
		assert_row(f, id, "sending", 1);
	}
	assert_int_equal(store_outbox_result(f->s, id, "sent", hash, 0, NULL,
			     now, f->err, sizeof f->err),
	    0);
	assert_row(f, id, "sent", 1);
}

#define FAULT_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    FAULT_TEST(test_report_write_error),
	    FAULT_TEST(test_report_disk_full),
	    FAULT_TEST(test_report_fsync_error),
	    FAULT_TEST(test_fault_held_until_cleared),
	    FAULT_TEST(test_epoch_keys_after_failed_commit),
	    FAULT_TEST(test_writer_write_error),
	    FAULT_TEST(test_writer_fsync_error),
	    FAULT_TEST(test_outbox_claim_and_result),
	};

	if (sodium_init() < 0)
		return 1;
	if (faultvfs_register(1) != SQLITE_OK) {
		fprintf(stderr, "cannot register the %s VFS\n", FAULTVFS_NAME);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
