/*
 * test_epoch: the epoch keys of queue/epoch.h.  An epoch ends after its
 * seconds, after its reports, or when the clock goes back; a report's key
 * derives from the epoch's and its id, so that the custodian's secret key
 * opens the epoch key and, from it, each report; an epoch's key is wiped
 * on time even when no report follows; its sealed form lives while a
 * report holds it.  And identities of both versions in one store.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/testlib.h"

#include "queue/epoch.h"
#include "queue/seal.h"
#include "queue/store.h"

#define T0 1796662740

struct keys {
	unsigned char pk[2][crypto_box_PUBLICKEYBYTES];
	unsigned char sk[2][crypto_box_SECRETKEYBYTES];
	struct epoch_custodian c[2];
};

static void
make_keys(struct keys *k)
{
	int i;

	memset(k, 0, sizeof *k);
	for (i = 0; i < 2; i++) {
		crypto_box_keypair(k->pk[i], k->sk[i]);
		memcpy(k->c[i].public_key, k->pk[i], sizeof k->pk[i]);
	}
	strcpy(k->c[0].name, "mayor");
	strcpy(k->c[1].name, "inspektur");
}

/* Custodian i opens report uid's key from its epoch's sealed key. */
static void
assert_opens(const struct keys *k, int i, const struct epoch_seal *s,
    const unsigned char uid[SEAL_REPORT_ID_BYTES],
    const unsigned char want[SEAL_KEY_BYTES])
{
	unsigned char epoch_key[SEAL_KEY_BYTES], key[SEAL_KEY_BYTES];

	assert_string_equal(s->to[i].name, k->c[i].name);
	assert_int_equal(crypto_box_seal_open(epoch_key, s->to[i].sealed,
			     sizeof s->to[i].sealed, k->pk[i], k->sk[i]),
	    0);
	seal_report_key(epoch_key, uid, key);
	assert_memory_equal(key, want, sizeof key);
	/* the other custodian's secret key does not open it */
	assert_int_not_equal(
	    crypto_box_seal_open(epoch_key, s->to[i].sealed,
		sizeof s->to[i].sealed, k->pk[i], k->sk[1 - i]),
	    0);
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
	assert_non_null(e = epochs_new(k.c, 2, 60, 3));
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
		assert_int_equal(s[i]->n, 2);
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
	assert_non_null(e = epochs_new(k.c, 1, 1, EPOCH_MAX_REPORTS));
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
}

static void
test_bad_arguments(void **state)
{
	struct keys k;

	(void)state;
	make_keys(&k);
	assert_null(epochs_new(k.c, 0, 1, 1));
	assert_null(epochs_new(k.c, EPOCH_MAX_CUSTODIANS + 1, 1, 1));
	assert_null(epochs_new(k.c, 1, 0, 1));
	assert_null(epochs_new(k.c, 1, 1, 0));
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
	unsigned char key[SEAL_KEY_BYTES], uid[SEAL_REPORT_ID_BYTES];
	int i;

	(void)state;
	make_keys(&k);
	assert_int_equal(testlib_mkdtemp(dir, "hotline-epoch"), 0);
	testlib_path(path, dir, "e.db");
	assert_non_null(s = store_open(path, STORE_READWRITE, err, sizeof err));
	assert_non_null(e = epochs_new(k.c, 2, 60, EPOCH_MAX_REPORTS));
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
			assert_int_equal(seal_identity(&id, r[i].uid, k.pk[0],
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
				     err, sizeof err),
		    0);
		assert_int_equal(sealed.epoch, i == 0 ? 0 : r[i].epoch->id);
		if (seal_open_identity(&sealed, uid, k.pk[0], k.sk[0], &out,
			err, sizeof err) != 0)
			fail_msg("report %d: %s", i, err);
		snprintf(id.sender, sizeof id.sender, "+62812345678%02d", i);
		assert_string_equal(out.sender, id.sender);
	}
	epochs_release(e, r[1].epoch);
	epochs_release(e, r[2].epoch);
	epochs_free(e);
	store_close(s);
	assert_int_equal(testlib_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rollover),
	    cmocka_unit_test(test_wiped_on_time),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_both_versions_open),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
