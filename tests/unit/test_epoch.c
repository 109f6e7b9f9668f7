/*
 * test_epoch: the epoch keys of queue/epoch.h.  An epoch ends after its
 * seconds, after its reports, or when the clock goes back; a report's key
 * derives from the epoch's and its id, so that each custodian's secret key
 * opens the epoch key (its share of it, queue/custody.h) and, from it,
 * each report, and with two to open no custodian alone does; an epoch's
 * key is wiped on time even when no report follows; its sealed form lives
 * while a report holds it.  And identities of both versions in one store,
 * opened with custody_unseal() from the shares the store finds.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/testlib.h"

#include "queue/custody.h"
#include "queue/epoch.h"
#include "queue/seal.h"
#include "queue/store.h"

#define T0 1796662740

/* The mayor (0) and the inspektur (1): their keys and the custody. */
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

static void
free_keys(struct keys *k)
{
	testlib_custody_key_free(&k->k[0]);
	testlib_custody_key_free(&k->k[1]);
}

/* Custodian i alone opens report uid's key from its epoch's shares. */
static void
assert_opens(const struct keys *k, int i, const struct epoch_seal *s,
    const unsigned char uid[SEAL_REPORT_ID_BYTES],
    const unsigned char want[SEAL_KEY_BYTES])
{
	unsigned char epoch_key[SEAL_KEY_BYTES], key[SEAL_KEY_BYTES];
	struct custody_key wrong;
	char err[256];

	if (custody_open(&s->sealed, &k->k[i], 1, epoch_key, err, sizeof err) !=
	    0)
		fail_msg("custodian %s: %s", k->k[i].name, err);
	seal_report_key(epoch_key, uid, key);
	assert_memory_equal(key, want, sizeof key);
	/* the other custodian's secret key does not open its share */
	wrong = k->k[i];
	wrong.secret_key = k->k[1 - i].secret_key;
	assert_int_equal(
	    custody_open(&s->sealed, &wrong, 1, epoch_key, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "does not open"));
}

static void
test_rollover(void **state)
{
	struct keys k;
	struct epochs *e;
	struct epoch_seal *s[6];
	unsigned char uid[6][SEAL_REPORT_ID_BYTES], key[6][SEAL_KEY_BYTES];
	int i;

	(void)state;
	make_keys(&k);
	assert_non_null(e = epochs_new(&k.c, 60, 3));
	for (i = 0; i < 6; i++)
		randombytes_buf(uid[i], sizeof uid[i]);
	/* three reports share an epoch; the fourth starts the next */
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    epochs_report_key(e, uid[i], T0 + i, key[i], &s[i]), 0);
	assert_ptr_equal(s[0], s[1]);
	assert_ptr_equal(s[0], s[2]);
	assert_true(s[3] != s[0] && s[3]->id != s[0]->id);
	assert_int_equal(epochs_made(e), 2);
	/* a minute later, a new one; so when the clock goes back */
	assert_int_equal(
	    epochs_report_key(e, uid[4], T0 + 3 + 60, key[4], &s[4]), 0);
	assert_true(s[4] != s[3]);
	assert_int_equal(epochs_report_key(e, uid[5], T0, key[5], &s[5]), 0);
	assert_true(s[5] != s[4]);
	assert_int_equal(epochs_made(e), 4);
	for (i = 0; i < 6; i++) {
		assert_true(s[i]->id > 0);
		/* a share for each custodian, in its name */
		assert_int_equal(s[i]->sealed.n, 2);
		assert_string_equal(s[i]->sealed.share[0].label, "mayor");
		assert_string_equal(s[i]->sealed.share[1].label, "inspektur");
		/* each report's own key, opened by either custodian */
		assert_opens(&k, 0, s[i], uid[i], key[i]);
		assert_opens(&k, 1, s[i], uid[i], key[i]);
		if (i > 0)
			assert_memory_not_equal(
			    key[i], key[i - 1], SEAL_KEY_BYTES);
	}
	for (i = 0; i < 6; i++)
		epochs_release(e, s[i]);
	epochs_free(e);
	free_keys(&k);
}

/* The key is wiped when its second is up, though no report comes. */
static void
test_wiped_on_time(void **state)
{
	struct keys k;
	struct epochs *e;
	struct epoch_seal *s;
	unsigned char uid[SEAL_REPORT_ID_BYTES], key[SEAL_KEY_BYTES];
	int i;

	(void)state;
	make_keys(&k);
	assert_non_null(e = epochs_new(&k.c, 1, EPOCH_MAX_REPORTS));
	assert_int_equal(epochs_live(e), 0);
	randombytes_buf(uid, sizeof uid);
	assert_int_equal(epochs_report_key(e, uid, time(NULL), key, &s), 0);
	assert_int_equal(epochs_live(e), 1);
	for (i = 0; i < 60 && epochs_live(e); i++)
		usleep(50000);
	assert_int_equal(epochs_live(e), 0);
	/* its seal outlives it for the report that holds it */
	assert_opens(&k, 0, s, uid, key);
	epochs_release(e, s);
	epochs_free(e);
	free_keys(&k);
}

static void
test_bad_arguments(void **state)
{
	struct keys k;
	struct custody none = {.requires = 1}, one_of_two;
	struct epochs *e;

	(void)state;
	make_keys(&k);
	/* no custodian; two to open with one custodian; requires 0 or 3 */
	assert_null(epochs_new(&none, 1, 1));
	one_of_two = k.c;
	one_of_two.n = 1;
	one_of_two.requires = 2;
	assert_null(epochs_new(&one_of_two, 1, 1));
	one_of_two.requires = 0;
	assert_null(epochs_new(&one_of_two, 1, 1));
	one_of_two.requires = 3;
	assert_null(epochs_new(&one_of_two, 1, 1));
	assert_null(epochs_new(&k.c, 0, 1));
	assert_null(epochs_new(&k.c, 1, 0));
	/* the same two custodians, two to open: they do */
	k.c.requires = 2;
	assert_non_null(e = epochs_new(&k.c, 1, 1));
	epochs_free(e);
	free_keys(&k);
}

/* Two to open: each epoch key is split, one custodian alone opens none. */
static void
test_two_to_open(void **state)
{
	struct keys k;
	struct epochs *e;
	struct epoch_seal *s;
	unsigned char uid[SEAL_REPORT_ID_BYTES], key[SEAL_KEY_BYTES],
	    epoch_key[SEAL_KEY_BYTES], got[SEAL_KEY_BYTES];
	char err[256];

	(void)state;
	make_keys(&k);
	k.c.requires = 2;
	assert_non_null(e = epochs_new(&k.c, 60, EPOCH_MAX_REPORTS));
	randombytes_buf(uid, sizeof uid);
	assert_int_equal(epochs_report_key(e, uid, T0, key, &s), 0);
	/* one pair, a half each: "inspektur+mayor" and "mayor+inspektur" */
	assert_int_equal(s->sealed.n, 2);
	assert_string_equal(s->sealed.share[0].label, "inspektur+mayor");
	assert_string_equal(s->sealed.share[1].label, "mayor+inspektur");
	assert_int_equal(
	    custody_open(&s->sealed, &k.k[0], 1, epoch_key, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "takes two"));
	assert_int_equal(
	    custody_open(&s->sealed, &k.k[1], 1, epoch_key, err, sizeof err),
	    -1);
	if (custody_open(&s->sealed, k.k, 2, epoch_key, err, sizeof err) != 0)
		fail_msg("%s", err);
	seal_report_key(epoch_key, uid, got);
	assert_memory_equal(got, key, sizeof key);
	epochs_release(e, s);
	epochs_free(e);
	free_keys(&k);
}

/* One store with identities of version 1 and of version 2. */
static void
test_both_versions_open(void **state)
{
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX], err[256];
	struct keys k;
	struct epochs *e;
	struct epoch_seal *es;
	struct store *s;
	struct store_report r[3];
	struct identity id, out;
	struct sealed_identity sealed;
	struct custody_sealed shares;
	unsigned char key[SEAL_KEY_BYTES], uid[SEAL_REPORT_ID_BYTES];
	int i, j;

	(void)state;
	make_keys(&k);
	assert_int_equal(testlib_mkdtemp(dir, "hotline-epoch"), 0);
	testlib_path(path, dir, "e.db");
	assert_non_null(s = store_open(path, STORE_READWRITE, err, sizeof err));
	assert_non_null(e = epochs_new(&k.c, 60, EPOCH_MAX_REPORTS));
	memset(r, 0, sizeof r);
	assert_int_equal(store_begin(s, err, sizeof err), 0);
	for (i = 0; i < 3; i++) {
		memset(&id, 0, sizeof id);
		strcpy(id.channel, "wa");
		snprintf(id.sender, sizeof id.sender, "+62812345678%02d", i);
		randombytes_buf(r[i].uid, sizeof r[i].uid);
		randombytes_buf(r[i].dedupe, sizeof r[i].dedupe);
		r[i].channel = "wa";
		r[i].type = "text";
		r[i].text = "pungli";
		r[i].received_at = T0;
		r[i].status = "triage";
		if (i == 0) /* version 1: its own key, sealed to the mayor */
			assert_int_equal(
			    seal_identity(&id, r[i].uid, k.k[0].public_key,
				&r[i].sealed, err, sizeof err),
			    0);
		else {
			assert_int_equal(
			    epochs_report_key(e, r[i].uid, T0, key, &es), 0);
			assert_int_equal(
			    seal_identity_with_key(&id, r[i].uid, key,
				&r[i].sealed, err, sizeof err),
			    0);
			r[i].sealed.epoch = es->id;
			r[i].epoch = es;
		}
		assert_int_equal(
		    store_insert_report(s, &r[i], "KDR", err, sizeof err), 0);
	}
	assert_int_equal(store_commit(s, err, sizeof err), 0);
	/* one epoch, stored once for each custodian */
	assert_int_equal(store_count(s, "epoch_keys"), 2);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_find_identity(s, r[i].code, uid, &sealed,
				     &shares, err, sizeof err),
		    0);
		assert_memory_equal(uid, r[i].uid, sizeof uid);
		assert_int_equal(sealed.epoch, i == 0 ? 0 : r[i].epoch->id);
		/* version 1: one share, the mayor's, its own key; version
		 * 2: the epoch key's share of each custodian */
		if (i == 0) {
			assert_int_equal(shares.n, 1);
			assert_string_equal(shares.share[0].label, "mayor");
		} else
			assert_int_equal(shares.n, 2);
		snprintf(id.sender, sizeof id.sender, "+62812345678%02d", i);
		for (j = 0; j < 2; j++) {
			int rc = custody_unseal(&sealed, &shares, uid, &k.k[j],
			    1, &out, err, sizeof err);

			if (i == 0 && j == 1) {
				/* the inspektur holds no share of it */
				assert_int_equal(rc, -1);
				assert_non_null(strstr(err, "no share"));
				assert_string_equal(out.sender, "");
				continue;
			}
			if (rc != 0)
				fail_msg(
				    "report %d, %s: %s", i, k.k[j].name, err);
			assert_string_equal(out.sender, id.sender);
			assert_string_equal(out.channel, "wa");
		}
	}
	epochs_release(e, r[1].epoch);
	epochs_release(e, r[2].epoch);
	epochs_free(e);
	store_close(s);
	free_keys(&k);
	assert_int_equal(testlib_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rollover),
	    cmocka_unit_test(test_wiped_on_time),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_two_to_open),
	    cmocka_unit_test(test_both_versions_open),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
