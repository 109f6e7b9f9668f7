/*
 * Unit tests of queue/writer.c: concurrent submitters share commits
 * (group commit), every job hears its outcome after the commit, a
 * duplicate inside one batch is stored once, a failing row rolls back its
 * whole transaction, and stopping finishes what was queued.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "queue/writer.h"
#include "tests/unit/testlib.h"

#define THREADS	  4
#define JOBS_EACH 250

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	atomic_int commits;
	atomic_int rows;
};

struct job {
	struct writer_job wj;
	struct store_report report;
	atomic_int *done;
	int result;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	unsigned char sk[crypto_box_SECRETKEYBYTES];

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-writer"), 0);
	testlib_path(f->path, f->dir, "w.db");
	crypto_box_keypair(f->pk, sk);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

static void
observe(void *arg, double seconds, size_t rows, int ok)
{
	struct fixture *f = arg;

	(void)seconds;
	if (ok) {
		atomic_fetch_add(&f->commits, 1);
		atomic_fetch_add(&f->rows, (int)rows);
	}
}

static void
job_done(struct writer_job *wj, int result)
{
	struct job *j = wj->arg;

	j->result = result;
	atomic_fetch_add(j->done, 1);
}

static void
make_job(struct fixture *f, struct writer *w, struct job *j, const char *id,
    atomic_int *done)
{
	struct identity ident = {0};
	char err[128];

	memset(j, 0, sizeof *j);
	randombytes_buf(j->report.uid, sizeof j->report.uid);
	store_new_code("KDR", j->report.code);
	j->report.channel = "whatsapp";
	j->report.type = "text";
	j->report.text = "laporan";
	j->report.received_at = 1795314600;
	store_hash_id(writer_dedupe_key(w), "whatsapp", id, j->report.dedupe);
	assert_int_equal(seal_identity(&ident, j->report.uid, f->pk,
			     &j->report.sealed, err, sizeof err),
	    0);
	j->wj.reports = &j->report;
	j->wj.nreports = 1;
	j->wj.done = job_done;
	j->wj.arg = j;
	j->done = done;
	j->result = 99;
}

struct submitter {
	struct fixture *f;
	struct writer *w;
	int n;
	struct job *jobs;
	atomic_int *done;
};

static void *
submit_many(void *arg)
{
	struct submitter *s = arg;
	char id[64];
	int i;

	for (i = 0; i < JOBS_EACH; i++) {
		snprintf(id, sizeof id, "wamid.%d.%d", s->n, i);
		make_job(s->f, s->w, &s->jobs[i], id, s->done);
		while (writer_submit(s->w, &s->jobs[i].wj) == -1)
			usleep(100);
	}
	return NULL;
}

static long long
count_reports(const char *path)
{
	char err[128];
	struct store *s = store_open(path, STORE_READONLY, err, sizeof err);
	long long n;

	assert_non_null(s);
	n = store_count(s, "reports");
	store_close(s);
	return n;
}

/*
 * A job of two reports: its own, and a copy in reports[1] the test may
 * change before run_pair().
 */
struct pair {
	struct job j;
	struct store_report reports[2];
	atomic_int done;
};

static void
make_pair(struct fixture *f, struct writer *w, struct pair *p, const char *id)
{
	atomic_init(&p->done, 0);
	make_job(f, w, &p->j, id, &p->done);
	p->reports[0] = p->j.report;
	p->reports[1] = p->j.report;
	p->j.wj.reports = p->reports;
	p->j.wj.nreports = 2;
}

/* Submit j and wait until it is done. */
/* Submit p's job and wait until it is done. */
static void
run_pair(struct writer *w, struct pair *p)
{
	assert_int_equal(writer_submit(w, &p->j.wj), 0);
	while (atomic_load(&p->done) < 1)
		usleep(1000);
}

/* A writer on f's database, observed by observe() when observed. */
static struct writer *
start(struct fixture *f, int observed)
{
	char err[256];
	struct writer *w = writer_start(f->path, "KDR",
	    observed ? observe : NULL, observed ? f : NULL, err, sizeof err);

	if (w == NULL)
		fail_msg("writer_start: %s", err);
	return w;
}

static void
test_group_commit(void **state)
{
	struct fixture *f = *state;
	struct submitter subs[THREADS];
	pthread_t threads[THREADS];
	atomic_int done = 0;
	struct writer *w;
	int i, k;

	w = start(f, 1);
	for (i = 0; i < THREADS; i++) {
		subs[i] = (struct submitter){
		    f, w, i, calloc(JOBS_EACH, sizeof(struct job)), &done};
		pthread_create(&threads[i], NULL, submit_many, &subs[i]);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	while (atomic_load(&done) < THREADS * JOBS_EACH)
		usleep(1000);
	for (i = 0; i < THREADS; i++) {
		for (k = 0; k < JOBS_EACH; k++) {
			assert_int_equal(subs[i].jobs[k].result, 0);
			assert_int_equal(subs[i].jobs[k].wj.stored, 1);
		}
		free(subs[i].jobs);
	}
	writer_stop(w);
	assert_int_equal(count_reports(f->path), THREADS * JOBS_EACH);
	assert_int_equal(atomic_load(&f->rows), THREADS * JOBS_EACH);
	/* Shared commits: fewer transactions than jobs. */
	assert_true(atomic_load(&f->commits) < THREADS * JOBS_EACH);
	printf("# %d jobs in %d commits\n", THREADS * JOBS_EACH,
	    atomic_load(&f->commits));
}

static void
test_duplicate_in_one_job(void **state)
{
	struct fixture *f = *state;
	struct writer *w = start(f, 0);
	struct pair p;

	make_pair(f, w, &p, "wamid.SAME");
	randombytes_buf(p.reports[1].uid, sizeof p.reports[1].uid);
	run_pair(w, &p);
	assert_int_equal(p.j.result, 0);
	assert_int_equal(p.j.wj.stored, 1);
	assert_int_equal(p.j.wj.duplicates, 1);
	writer_stop(w);
	assert_int_equal(count_reports(f->path), 1);
}

static void
test_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct writer *w = start(f, 1);
	struct pair p;

	make_pair(f, w, &p, "wamid.GOOD");
	store_hash_id(
	    writer_dedupe_key(w), "whatsapp", "wamid.BAD", p.reports[1].dedupe);
	p.reports[1].type = NULL; /* violates NOT NULL */
	run_pair(w, &p);
	assert_int_equal(p.j.result, -1);
	writer_stop(w);
	assert_int_equal(count_reports(f->path), 0);
}

static void
test_stop_finishes_queue(void **state)
{
	struct fixture *f = *state;
	struct job *jobs = calloc(100, sizeof *jobs);
	atomic_int done = 0;
	struct writer *w;
	char id[32];
	int i;

	w = start(f, 0);
	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "m%d", i);
		make_job(f, w, &jobs[i], id, &done);
		assert_int_equal(writer_submit(w, &jobs[i].wj), 0);
	}
	writer_stop(w);
	assert_int_equal(atomic_load(&done), 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(jobs[i].result, 0);
	free(jobs);
	assert_int_equal(count_reports(f->path), 100);
}

static void
test_unwritable_path(void **state)
{
	char err[256];

	(void)state;
	assert_null(writer_start(
	    "/nonexistent/dir/x.db", "KDR", NULL, NULL, err, sizeof err));
	assert_true(strlen(err) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_duplicate_in_one_job, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_failure_rolls_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_stop_finishes_queue, setup, teardown),
	    cmocka_unit_test(test_unwritable_path),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
