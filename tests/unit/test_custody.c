/*
 * test_custody: the custodians of queue/custody.h and the paper recovery
 * custodian of queue/recovery.h.  Names and keys are checked as they are
 * added; one to open: each custodian's key alone opens what was sealed, a
 * stranger's does not; two to open: any pair of custodians does, in
 * either order, and no one alone, nor with a stranger; a real sealed
 * identity (an epoch key's or a version 1 one's) opens with
 * custody_unseal(); a tampered share opens nothing; the pins name the set
 * in name order.  Recovery: the two halves of words give the key back,
 * typed in any order and case among other lines; a mistyped word, a word
 * missing or too many, or one half twice do not.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "queue/custody.h"
#include "queue/recovery.h"
#include "queue/seal.h"

#define NKEYS 4 /* mayor, inspektur, sekda; and a stranger */

static const char *const names[NKEYS] = {
    "mayor", "inspektur", "sekda", "stranger"};

struct fixture {
	struct custody_key k[NKEYS];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t i;

	assert_non_null(f);
	for (i = 0; i < NKEYS; i++)
		testlib_custody_key(&f->k[i], names[i]);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		testlib_custody_key_free(&f->k[i]);
	free(f);
	return 0;
}

/* The first n of the fixture's custodians, requires to open. */
static void
make_custody(struct fixture *f, size_t n, int requires, struct custody *c)
{
	char err[256];
	size_t i;

	memset(c, 0, sizeof *c);
	c->requires = requires;
	for (i = 0; i < n; i++)
		if (custody_add(c, f->k[i].name, f->k[i].public_key, err,
			sizeof err) != 0)
			fail_msg("custody_add %s: %s", f->k[i].name, err);
	assert_int_equal(custody_check(c, err, sizeof err), 0);
}

static void
test_add_errors(void **state)
{
	static const struct {
		const char *name, *err;
	} bad[] = {
	    {"", "must be 1 to 32 of a-z"},
	    {"Mayor", "must be 1 to 32 of a-z"},
	    {"wali kota", "must be 1 to 32 of a-z"},
	    {"sekda/1", "must be 1 to 32 of a-z"},
	    {"inspektur.2", "must be 1 to 32 of a-z"},
	    {"w\xc3\xa1likota", "must be 1 to 32 of a-z"},
	    {"abcdefghijklmnopqrstuvwxyz0123456", "must be 1 to 32 of a-z"},
	    {"mayor", "custodian mayor is there already"},
	};
	static const char *const good[] = {
	    "a", "sekda_2", "dprd-ketua", "abcdefghijklmnopqrstuvwxyz012345"};
	struct fixture *f = *state;
	struct custody c = {.requires = 1};
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char err[256], name[16];
	size_t i;

	assert_int_equal(
	    custody_add(&c, "mayor", f->k[0].public_key, err, sizeof err), 0);
	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		strcpy(err, "");
		randombytes_buf(pk, sizeof pk);
		if (custody_add(&c, bad[i].name, pk, err, sizeof err) != -1)
			fail_msg("'%s' was added", bad[i].name);
		if (strstr(err, bad[i].err) == NULL)
			fail_msg("'%s': %s", bad[i].name, err);
		assert_int_equal(c.n, 1);
	}
	/* the mayor's key under another name */
	assert_int_equal(
	    custody_add(&c, "sekda", f->k[0].public_key, err, sizeof err), -1);
	assert_string_equal(err, "custodian sekda has the key of mayor");
	assert_int_equal(c.n, 1);
	for (i = 0; i < TESTLIB_COUNT(good); i++) {
		randombytes_buf(pk, sizeof pk);
		if (custody_add(&c, good[i], pk, err, sizeof err) != 0)
			fail_msg("'%s': %s", good[i], err);
		assert_non_null(custody_find(&c, good[i]));
		assert_ptr_equal(
		    custody_find_key(&c, pk), custody_find(&c, good[i]));
	}
	/* up to CUSTODY_MAX, and not one more */
	for (i = c.n; i < CUSTODY_MAX; i++) {
		snprintf(name, sizeof name, "c%zu", i);
		randombytes_buf(pk, sizeof pk);
		assert_int_equal(custody_add(&c, name, pk, err, sizeof err), 0);
	}
	assert_int_equal(c.n, CUSTODY_MAX);
	randombytes_buf(pk, sizeof pk);
	assert_int_equal(custody_add(&c, "ninth", pk, err, sizeof err), -1);
	assert_non_null(strstr(err, "at most 8 custodians"));
	assert_int_equal(c.n, CUSTODY_MAX);
	assert_null(custody_find(&c, "ninth"));
	assert_null(custody_find_key(&c, pk));
}

static void
test_remove(void **state)
{
	struct fixture *f = *state;
	struct custody c;

	make_custody(f, 3, 1, &c);
	assert_int_equal(custody_remove(&c, "stranger"), -1);
	assert_int_equal(c.n, 3);
	assert_int_equal(custody_remove(&c, "inspektur"), 0);
	assert_int_equal(c.n, 2);
	assert_null(custody_find(&c, "inspektur"));
	assert_null(custody_find_key(&c, f->k[1].public_key));
	/* the others keep their keys */
	assert_memory_equal(custody_find(&c, "mayor")->public_key,
	    f->k[0].public_key, crypto_box_PUBLICKEYBYTES);
	assert_memory_equal(custody_find(&c, "sekda")->public_key,
	    f->k[2].public_key, crypto_box_PUBLICKEYBYTES);
	assert_int_equal(custody_remove(&c, "inspektur"), -1);
}

static void
test_check(void **state)
{
	static const struct {
		size_t n;
		int requires;
		const char *err; /* NULL: passes */
	} cases[] = {
	    {1, 1, NULL},
	    {3, 1, NULL},
	    {2, 2, NULL},
	    {3, 2, NULL},
	    {0, 1, "needs at least 1 custodians; there are 0"},
	    {1, 2, "needs at least 2 custodians; there is 1"},
	    {0, 2, "needs at least 2 custodians; there are 0"},
	    {2, 0, "unseal_requires must be 1 or 2"},
	    {3, 3, "unseal_requires must be 1 or 2"},
	    {2, -1, "unseal_requires must be 1 or 2"},
	};
	struct fixture *f = *state;
	struct custody c;
	char err[256];
	size_t i, j;

	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		memset(&c, 0, sizeof c);
		c.requires = cases[i].requires;
		for (j = 0; j < cases[i].n; j++)
			assert_int_equal(
			    custody_add(&c, f->k[j].name, f->k[j].public_key,
				err, sizeof err),
			    0);
		strcpy(err, "");
		if (cases[i].err == NULL) {
			if (custody_check(&c, err, sizeof err) != 0)
				fail_msg("case %zu: %s", i, err);
			continue;
		}
		assert_int_equal(custody_check(&c, err, sizeof err), -1);
		if (strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: %s", i, err);
	}
}

/* Open sealed with keys: custody_open()'s result, key and err set. */
static int
open_with(const struct custody_sealed *sealed, const struct custody_key *a,
    const struct custody_key *b, unsigned char key[SEAL_KEY_BYTES], char *err,
    size_t errlen)
{
	struct custody_key keys[2];

	keys[0] = *a;
	if (b != NULL)
		keys[1] = *b;
	memset(key, 0xaa, SEAL_KEY_BYTES);
	strcpy(err, "");
	return custody_open(sealed, keys, b != NULL ? 2 : 1, key, err, errlen);
}

static void
test_one_of_three(void **state)
{
	struct fixture *f = *state;
	struct custody c;
	struct custody_sealed sealed;
	unsigned char key[SEAL_KEY_BYTES], got[SEAL_KEY_BYTES],
	    zero[SEAL_KEY_BYTES] = {0};
	struct custody_key impostor;
	char err[256];
	size_t i;

	make_custody(f, 3, 1, &c);
	crypto_kdf_keygen(key);
	assert_int_equal(custody_seal(&c, key, &sealed), 0);
	/* a share each, the whole key, labelled with its holder's name */
	assert_int_equal(sealed.n, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(sealed.share[i].label, names[i]);
		if (open_with(&sealed, &f->k[i], NULL, got, err, sizeof err) !=
		    0)
			fail_msg("%s: %s", names[i], err);
		assert_memory_equal(got, key, sizeof key);
	}
	/* a share is not the key in clear, and each differs */
	assert_memory_not_equal(sealed.share[0].sealed, sealed.share[1].sealed,
	    SEAL_SEALED_KEY_BYTES);
	assert_null(memmem(
	    sealed.share[0].sealed, SEAL_SEALED_KEY_BYTES, key, sizeof key));
	/* a stranger holds no share */
	assert_int_equal(
	    open_with(&sealed, &f->k[3], NULL, got, err, sizeof err), -1);
	assert_string_equal(err, "custodian stranger holds no share of it");
	assert_memory_equal(got, zero, sizeof got);
	/* a stranger's key under a custodian's name does not open its share */
	impostor = f->k[3];
	strcpy(impostor.name, "sekda");
	assert_int_equal(
	    open_with(&sealed, &impostor, NULL, got, err, sizeof err), -1);
	assert_non_null(strstr(err, "share of custodian sekda does not open"));
	assert_memory_equal(got, zero, sizeof got);
	/* two keys, one of them a stranger's: the custodian's opens it */
	assert_int_equal(
	    open_with(&sealed, &f->k[3], &f->k[1], got, err, sizeof err), 0);
	assert_memory_equal(got, key, sizeof key);
	/* no key at all */
	assert_int_equal(
	    custody_open(&sealed, f->k, 0, got, err, sizeof err), -1);
	assert_string_not_equal(err, "");
}

/* Two to open, of n custodians: every pair opens, no one alone. */
static void
check_two_of(struct fixture *f, size_t n)
{
	struct custody c;
	struct custody_sealed sealed;
	unsigned char key[SEAL_KEY_BYTES], got[SEAL_KEY_BYTES],
	    zero[SEAL_KEY_BYTES] = {0};
	char err[256];
	size_t i, j;

	make_custody(f, n, 2, &c);
	crypto_kdf_keygen(key);
	assert_int_equal(custody_seal(&c, key, &sealed), 0);
	/* each custodian holds a half of each pair it is in */
	assert_int_equal(sealed.n, n * (n - 1));
	for (i = 0; i < sealed.n; i++) {
		assert_non_null(strchr(sealed.share[i].label, '+'));
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    sealed.share[i].label, sealed.share[j].label);
	}
	for (i = 0; i < n; i++) {
		/* alone: it takes two */
		assert_int_equal(
		    open_with(&sealed, &f->k[i], NULL, got, err, sizeof err),
		    -1);
		if (strstr(err, "takes two") == NULL)
			fail_msg("n %zu, %s alone: %s", n, names[i], err);
		assert_memory_equal(got, zero, sizeof got);
		/* with a stranger, either way round: no */
		assert_int_equal(open_with(&sealed, &f->k[i], &f->k[3], got,
				     err, sizeof err),
		    -1);
		assert_non_null(strstr(err, "hold no shares"));
		assert_memory_equal(got, zero, sizeof got);
		assert_int_equal(open_with(&sealed, &f->k[3], &f->k[i], got,
				     err, sizeof err),
		    -1);
		assert_memory_equal(got, zero, sizeof got);
		/* with itself twice: no */
		assert_int_equal(open_with(&sealed, &f->k[i], &f->k[i], got,
				     err, sizeof err),
		    -1);
		assert_memory_equal(got, zero, sizeof got);
		/* with any other custodian, either order: the key */
		for (j = 0; j < n; j++) {
			if (j == i)
				continue;
			if (open_with(&sealed, &f->k[i], &f->k[j], got, err,
				sizeof err) != 0)
				fail_msg("n %zu, %s and %s: %s", n, names[i],
				    names[j], err);
			assert_memory_equal(got, key, sizeof key);
		}
	}
	/* no share is the key, and no share decides it alone: a pair's
	 * halves are different masks for each pair */
	for (i = 0; i < sealed.n; i++)
		assert_null(memmem(sealed.share[i].sealed,
		    SEAL_SEALED_KEY_BYTES, key, sizeof key));
}

static void
test_two_of_two(void **state)
{
	check_two_of(*state, 2);
}

static void
test_two_of_three(void **state)
{
	check_two_of(*state, 3);
}

/* Two of three: one pair's mask is not another's (halves do not mix). */
static void
test_pairs_do_not_mix(void **state)
{
	struct fixture *f = *state;
	struct custody c;
	struct custody_sealed sealed;
	unsigned char key[SEAL_KEY_BYTES], mask_ab[SEAL_KEY_BYTES],
	    mask_ac[SEAL_KEY_BYTES];
	size_t i;

	make_custody(f, 3, 2, &c);
	crypto_kdf_keygen(key);
	assert_int_equal(custody_seal(&c, key, &sealed), 0);
	/* inspektur holds the first half of both of its pairs */
	for (i = 0; i < sealed.n; i++) {
		unsigned char *out = NULL;

		if (strcmp(sealed.share[i].label, "inspektur+mayor") == 0)
			out = mask_ab;
		else if (strcmp(sealed.share[i].label, "inspektur+sekda") == 0)
			out = mask_ac;
		if (out != NULL)
			assert_int_equal(
			    crypto_box_seal_open(out, sealed.share[i].sealed,
				SEAL_SEALED_KEY_BYTES, f->k[1].public_key,
				f->k[1].secret_key),
			    0);
	}
	assert_memory_not_equal(mask_ab, mask_ac, SEAL_KEY_BYTES);
	assert_memory_not_equal(mask_ab, key, SEAL_KEY_BYTES);
}

static void
test_seal_bad_custody(void **state)
{
	struct fixture *f = *state;
	struct custody c = {.requires = 1};
	struct custody_sealed sealed;
	unsigned char key[SEAL_KEY_BYTES] = {1}, got[SEAL_KEY_BYTES];
	char err[256];

	sealed.n = 5;
	assert_int_equal(custody_seal(&c, key, &sealed), -1);
	assert_int_equal(sealed.n, 0);
	/* too few to open it, or no rule: sealed to no one is refused */
	make_custody(f, 1, 1, &c);
	c.requires = 2;
	sealed.n = 5;
	assert_int_equal(custody_seal(&c, key, &sealed), -1);
	assert_int_equal(sealed.n, 0);
	c.requires = 0;
	assert_int_equal(custody_seal(&c, key, &sealed), -1);
	assert_int_equal(sealed.n, 0);
	/* nothing sealed: the key is destroyed (1) */
	assert_int_equal(
	    open_with(&sealed, &f->k[0], NULL, got, err, sizeof err), 1);
	assert_non_null(strstr(err, "destroyed"));
}

/* An identity as intake seals it under an epoch key sealed to c. */
static void
seal_under_epoch(const struct custody *c, const struct identity *id,
    const unsigned char uid[SEAL_REPORT_ID_BYTES], struct sealed_identity *out,
    struct custody_sealed *shares)
{
	unsigned char epoch_key[SEAL_KEY_BYTES], key[SEAL_KEY_BYTES];
	char err[256];

	crypto_kdf_keygen(epoch_key);
	seal_report_key(epoch_key, uid, key);
	assert_int_equal(
	    seal_identity_with_key(id, uid, key, out, err, sizeof err), 0);
	out->epoch = 12345;
	assert_int_equal(custody_seal(c, epoch_key, shares), 0);
}

static void
sample_identity(struct identity *id)
{
	memset(id, 0, sizeof *id);
	strcpy(id->channel, "whatsapp");
	strcpy(id->sender, "+6281234567890");
	strcpy(id->profile_name, "Siti");
	strcpy(id->provider_id, "wamid.ABC");
	id->received_at = 1796662740;
}

static void
assert_identity(const struct identity *got)
{
	assert_string_equal(got->channel, "whatsapp");
	assert_string_equal(got->sender, "+6281234567890");
	assert_string_equal(got->profile_name, "Siti");
	assert_string_equal(got->provider_id, "wamid.ABC");
	assert_int_equal(got->received_at, 1796662740);
}

static void
test_unseal_one_of_n(void **state)
{
	struct fixture *f = *state;
	struct custody c;
	struct custody_sealed shares, shares2;
	struct sealed_identity sealed, sealed2;
	struct identity id, got;
	unsigned char uid[SEAL_REPORT_ID_BYTES], other[SEAL_REPORT_ID_BYTES];
	char err[256];
	size_t i;

	make_custody(f, 3, 1, &c);
	sample_identity(&id);
	randombytes_buf(uid, sizeof uid);
	seal_under_epoch(&c, &id, uid, &sealed, &shares);
	for (i = 0; i < 3; i++) {
		if (custody_unseal(&sealed, &shares, uid, &f->k[i], 1, &got,
			err, sizeof err) != 0)
			fail_msg("%s: %s", names[i], err);
		assert_identity(&got);
	}
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &f->k[3], 1,
			     &got, err, sizeof err),
	    -1);
	assert_string_equal(got.sender, "");
	/* the key of another report from the same epoch does not open it */
	memcpy(other, uid, sizeof uid);
	other[0] ^= 1;
	assert_int_equal(custody_unseal(&sealed, &shares, other, &f->k[0], 1,
			     &got, err, sizeof err),
	    -1);
	assert_string_equal(got.sender, "");
	/* the shares of another epoch do not either */
	seal_under_epoch(&c, &id, uid, &sealed2, &shares2);
	assert_int_equal(custody_unseal(&sealed, &shares2, uid, &f->k[0], 1,
			     &got, err, sizeof err),
	    -1);
	assert_string_equal(got.sender, "");
	assert_int_equal(custody_unseal(&sealed2, &shares2, uid, &f->k[0], 1,
			     &got, err, sizeof err),
	    0);
	assert_identity(&got);
}

static void
test_unseal_two_of_two(void **state)
{
	struct fixture *f = *state;
	struct custody c;
	struct custody_sealed shares;
	struct sealed_identity sealed;
	struct identity id, got;
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	char err[256];

	make_custody(f, 2, 2, &c);
	sample_identity(&id);
	randombytes_buf(uid, sizeof uid);
	seal_under_epoch(&c, &id, uid, &sealed, &shares);
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &f->k[0], 1,
			     &got, err, sizeof err),
	    -1);
	assert_non_null(strstr(err, "takes two"));
	assert_string_equal(got.sender, "");
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &f->k[1], 1,
			     &got, err, sizeof err),
	    -1);
	assert_string_equal(got.sender, "");
	if (custody_unseal(
		&sealed, &shares, uid, f->k, 2, &got, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_identity(&got);
}

/* A version 1 identity: its one share "mayor" is the report's own key. */
static void
test_unseal_version_1(void **state)
{
	struct fixture *f = *state;
	struct custody_sealed shares = {.n = 1};
	struct sealed_identity sealed;
	struct identity id, got;
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	char err[256];

	sample_identity(&id);
	randombytes_buf(uid, sizeof uid);
	assert_int_equal(seal_identity(&id, uid, f->k[0].public_key, &sealed,
			     err, sizeof err),
	    0);
	assert_int_equal(sealed.epoch, 0);
	strcpy(shares.share[0].label, "mayor");
	memcpy(
	    shares.share[0].sealed, sealed.sealed_key, SEAL_SEALED_KEY_BYTES);
	if (custody_unseal(
		&sealed, &shares, uid, &f->k[0], 1, &got, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_identity(&got);
	assert_int_equal(custody_unseal(&sealed, &shares, uid, &f->k[1], 1,
			     &got, err, sizeof err),
	    -1);
	assert_string_equal(got.sender, "");
}

/* A byte changed anywhere in a share: it opens nothing. */
static void
test_tampered_share(void **state)
{
	struct fixture *f = *state;
	struct custody c1, c2;
	struct custody_sealed sealed, bad;
	unsigned char key[SEAL_KEY_BYTES], got[SEAL_KEY_BYTES];
	char err[256];
	size_t at[] = {0, 31, 32, SEAL_SEALED_KEY_BYTES - 1}, i, s;

	crypto_kdf_keygen(key);
	make_custody(f, 2, 1, &c1);
	assert_int_equal(custody_seal(&c1, key, &sealed), 0);
	for (i = 0; i < TESTLIB_COUNT(at); i++) {
		bad = sealed;
		bad.share[0].sealed[at[i]] ^= 0x01;
		assert_int_equal(
		    open_with(&bad, &f->k[0], NULL, got, err, sizeof err), -1);
		assert_non_null(strstr(err, "does not open"));
		/* the untouched share still opens */
		assert_int_equal(
		    open_with(&bad, &f->k[1], NULL, got, err, sizeof err), 0);
		assert_memory_equal(got, key, sizeof key);
	}
	/* a pair's half tampered with, either of the two */
	make_custody(f, 2, 2, &c2);
	assert_int_equal(custody_seal(&c2, key, &sealed), 0);
	for (s = 0; s < sealed.n; s++)
		for (i = 0; i < TESTLIB_COUNT(at); i++) {
			bad = sealed;
			bad.share[s].sealed[at[i]] ^= 0x80;
			assert_int_equal(open_with(&bad, &f->k[0], &f->k[1],
					     got, err, sizeof err),
			    -1);
			assert_non_null(strstr(err, "does not open"));
		}
	/* the halves of two sealings do not combine */
	bad = sealed;
	assert_int_equal(custody_seal(&c2, key, &sealed), 0);
	bad.share[1] = sealed.share[1];
	assert_int_equal(
	    open_with(&bad, &f->k[0], &f->k[1], got, err, sizeof err), 0);
	assert_memory_not_equal(got, key, sizeof key);
}

static void
assert_fingerprint_shape(const char *fp)
{
	size_t i;

	assert_int_equal(strlen(fp), SEAL_FINGERPRINT_TEXT - 1);
	for (i = 0; fp[i] != '\0'; i++)
		if (i % 5 == 4)
			assert_int_equal(fp[i], ' ');
		else
			assert_non_null(strchr("0123456789abcdef", fp[i]));
}

static void
test_pins(void **state)
{
	struct fixture *f = *state;
	struct custody c = {.requires = 1};
	char pins[CUSTODY_PINS_MAX], want[CUSTODY_PINS_MAX],
	    fp[3][SEAL_FINGERPRINT_TEXT], err[256];
	size_t i;

	for (i = 0; i < 3; i++)
		seal_fingerprint(f->k[i].public_key, fp[i]);
	/* one: "mayor=xxxx xxxx xxxx xxxx" */
	assert_int_equal(
	    custody_add(&c, "mayor", f->k[0].public_key, err, sizeof err), 0);
	custody_pins(&c, pins);
	assert_int_equal(strlen(pins), strlen("mayor=") + 19);
	assert_memory_equal(pins, "mayor=", 6);
	assert_fingerprint_shape(pins + 6);
	snprintf(want, sizeof want, "mayor=%s", fp[0]);
	assert_string_equal(pins, want);
	/* added in another order: sorted by name, the set itself as it was */
	memset(&c, 0, sizeof c);
	c.requires = 1;
	assert_int_equal(
	    custody_add(&c, "sekda", f->k[2].public_key, err, sizeof err), 0);
	assert_int_equal(
	    custody_add(&c, "mayor", f->k[0].public_key, err, sizeof err), 0);
	assert_int_equal(
	    custody_add(&c, "inspektur", f->k[1].public_key, err, sizeof err),
	    0);
	custody_pins(&c, pins);
	snprintf(want, sizeof want, "inspektur=%s, mayor=%s, sekda=%s", fp[1],
	    fp[0], fp[2]);
	assert_string_equal(pins, want);
	assert_string_equal(c.c[0].name, "sekda");
	c.requires = 2;
	custody_pins(&c, pins);
	snprintf(want, sizeof want,
	    "inspektur=%s, mayor=%s, sekda=%s; 2 to open", fp[1], fp[0], fp[2]);
	assert_string_equal(pins, want);
	/* another key for the sekda: other pins */
	c.c[0].public_key[0] ^= 1;
	custody_pins(&c, pins);
	assert_string_not_equal(pins, want);
	/* the longest: eight custodians of 32-letter names, two to open */
	memset(&c, 0, sizeof c);
	c.requires = 2;
	for (i = 0; i < CUSTODY_MAX; i++) {
		unsigned char pk[crypto_box_PUBLICKEYBYTES];
		char name[CUSTODY_NAME_MAX];

		memset(name, 'a' + (int)i, CUSTODY_NAME_MAX - 1);
		name[CUSTODY_NAME_MAX - 1] = '\0';
		randombytes_buf(pk, sizeof pk);
		assert_int_equal(custody_add(&c, name, pk, err, sizeof err), 0);
	}
	custody_pins(&c, pins);
	assert_int_equal(strlen(pins),
	    CUSTODY_MAX * (32 + 1 + 19) + (CUSTODY_MAX - 1) * 2 +
		strlen("; 2 to open"));
	assert_non_null(strstr(pins, "; 2 to open"));
}

/* Recovery. */

/* The check word of a half, as recovery.c makes it (the paper format). */
static unsigned
half_check(const unsigned char half[32])
{
	unsigned char h[2];

	crypto_generichash(h, sizeof h, half, 32,
	    (const unsigned char *)"hotline recovery", 16);
	return (unsigned)h[0] << 8 | h[1];
}

static const char consonants[] = "bdfghjklmnprstvz";
static const char vowels[] = "aiou";

/* A half's 16 data words back into bytes. */
static void
half_bytes(const char *text, unsigned char out[32])
{
	size_t i, j;

	for (i = 0; i < 16; i++) {
		const char *w = text + i * 6;
		unsigned v = 0;

		for (j = 0; j < 5; j++)
			v = v << (j % 2 ? 2 : 4) |
			    (unsigned)(strchr(
					   j % 2 ? vowels : consonants, w[j]) -
				(j % 2 ? vowels : consonants));
		out[2 * i] = (unsigned char)(v >> 8);
		out[2 * i + 1] = (unsigned char)(v & 0xff);
	}
}

/* A half's shape: 17 proquints joined by hyphens. */
static void
assert_half_shape(const char *h)
{
	size_t i;

	assert_int_equal(strlen(h), RECOVERY_HALF_TEXT - 1);
	for (i = 0; h[i] != '\0'; i++) {
		int at = (int)(i % 6);

		if (at == 5)
			assert_int_equal(h[i], '-');
		else
			assert_non_null(
			    strchr(at % 2 ? vowels : consonants, h[i]));
	}
}

struct recovery {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char h1[RECOVERY_HALF_TEXT], h2[RECOVERY_HALF_TEXT];
};

/* recovery_open(text): its result; the keys must match r's when 0. */
static int
recover(const struct recovery *r, const char *text, char *err, size_t errlen)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES],
	    check[crypto_box_PUBLICKEYBYTES];
	unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	int rc;

	assert_non_null(sk);
	strcpy(err, "");
	rc = recovery_open(text, pk, sk, err, errlen);
	if (rc == 0) {
		assert_memory_equal(pk, r->pk, sizeof pk);
		assert_int_equal(crypto_scalarmult_base(check, sk), 0);
		assert_memory_equal(check, r->pk, sizeof check);
	} else
		assert_string_not_equal(err, "");
	sodium_free(sk);
	return rc;
}

/* 16 bits as a proquint. */
static void
spell(unsigned v, char w[6])
{
	w[0] = consonants[v >> 12 & 15];
	w[1] = vowels[v >> 10 & 3];
	w[2] = consonants[v >> 6 & 15];
	w[3] = vowels[v >> 4 & 3];
	w[4] = consonants[v & 15];
	w[5] = '\0';
}

static void
test_recovery_round_trip(void **state)
{
	/* the two halves as they may be typed in: fmt of half 1 and half
	 * 2, or (swap) of half 2 and half 1 */
	static const struct {
		const char *fmt;
		int swap;
	} ok[] = {
	    {"%s\n%s\n", 0},
	    {"%s %s", 0},
	    {"%s\n%s", 1},
	    {"%s-%s", 1},
	    {"half 1: %s\nhalf 2: %s\n", 0},
	    {"\n\n  half 2:\t%s\r\n\r\n\nhalf 1: %s  \n\n", 1},
	    {"Kunci pemulihan bagian Sekda:\n%s\nBagian Inspektur:\n%s\n"
	     "Simpan kertas ini.\n",
		0},
	};
	struct recovery r, r2;
	char text[1024], upper[RECOVERY_HALF_TEXT], spaced[RECOVERY_HALF_TEXT],
	    err[256], w[6];
	unsigned char a[32], b[32];
	size_t i;

	(void)state;
	recovery_new(r.pk, r.h1, r.h2);
	assert_half_shape(r.h1);
	assert_half_shape(r.h2);
	assert_string_not_equal(r.h1, r.h2);
	/* the last word of each is its check */
	half_bytes(r.h1, a);
	half_bytes(r.h2, b);
	spell(half_check(a), w);
	assert_string_equal(r.h1 + 16 * 6, w);
	spell(half_check(b), w);
	assert_string_equal(r.h2 + 16 * 6, w);
	/* another custodian: other keys, other words */
	recovery_new(r2.pk, r2.h1, r2.h2);
	assert_memory_not_equal(r.pk, r2.pk, sizeof r.pk);
	assert_string_not_equal(r.h1, r2.h1);

	for (i = 0; i < RECOVERY_HALF_TEXT - 1; i++) {
		upper[i] = (char)toupper((unsigned char)r.h1[i]);
		spaced[i] =
		    r.h2[i] == '-' ? (i % 12 == 11 ? '\n' : ' ') : r.h2[i];
	}
	upper[i] = spaced[i] = '\0';
	for (i = 0; i < TESTLIB_COUNT(ok); i++) {
		snprintf(text, sizeof text, ok[i].fmt, ok[i].swap ? r.h2 : r.h1,
		    ok[i].swap ? r.h1 : r.h2);
		if (recover(&r, text, err, sizeof err) != 0)
			fail_msg("case %zu: %s", i, err);
	}
	/* upper case, and words split by spaces and newlines */
	snprintf(text, sizeof text, "%s\n%s\n", upper, spaced);
	if (recover(&r, text, err, sizeof err) != 0)
		fail_msg("%s", err);
	snprintf(text, sizeof text, "%s\n%s\n", spaced, upper);
	if (recover(&r, text, err, sizeof err) != 0)
		fail_msg("%s", err);
	/* the halves of two custodians do not make either */
	snprintf(text, sizeof text, "%s\n%s\n", r.h1, r2.h2);
	{
		unsigned char pk[crypto_box_PUBLICKEYBYTES];
		unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);

		assert_int_equal(
		    recovery_open(text, pk, sk, err, sizeof err), 0);
		assert_memory_not_equal(pk, r.pk, sizeof pk);
		assert_memory_not_equal(pk, r2.pk, sizeof pk);
		sodium_free(sk);
	}
}

/* The letter after c in set, round. */
static char
next_in(const char *set, char c)
{
	const char *p = strchr(set, c);

	assert_non_null(p);
	return p[1] != '\0' ? p[1] : set[0];
}

static void
test_recovery_refusals(void **state)
{
	struct recovery r;
	char text[2048], half[RECOVERY_HALF_TEXT], err[256];
	unsigned char bytes[32], orig[32];
	int tries;

	(void)state;
	recovery_new(r.pk, r.h1, r.h2);

	/* a data word of half 2 mistyped (still a word): half 2 is named
	 * (skipping the one typo in 65536 that its check word misses) */
	half_bytes(r.h2, orig);
	memcpy(half, r.h2, sizeof half);
	for (tries = 0;; tries++) {
		assert_true(tries < 15);
		half[3 * 6] = next_in(consonants, half[3 * 6]);
		half_bytes(half, bytes);
		if (half_check(bytes) != half_check(orig))
			break;
	}
	snprintf(text, sizeof text, "%s\n%s\n", r.h1, half);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_string_equal(
	    err, "half 2 does not check: a word of it is mistyped");
	snprintf(text, sizeof text, "%s\n%s\n", half, r.h1);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "half 1 does not check"));
	/* the check word of half 1 mistyped */
	memcpy(half, r.h1, sizeof half);
	half[16 * 6 + 1] = next_in(vowels, half[16 * 6 + 1]);
	snprintf(text, sizeof text, "%s\n%s\n", half, r.h2);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "half 1 does not check"));
	/* a word that is no word (a letter not of the alphabet) */
	memcpy(half, r.h1, sizeof half);
	half[5 * 6 + 1] = 'e';
	snprintf(text, sizeof text, "%s\n%s\n", half, r.h2);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "word 6 ("));
	assert_non_null(strstr(err, "is not a recovery word"));
	/* a word left out; one too many; one half only */
	snprintf(text, sizeof text, "%s\n%.*s\n", r.h1, RECOVERY_HALF_TEXT - 7,
	    r.h2);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_string_equal(err, "33 recovery words; the two halves make 34");
	snprintf(text, sizeof text, "%s\n%s-babab\n", r.h1, r.h2);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 34 words"));
	snprintf(text, sizeof text, "%s\n%s\n%s\n", r.h1, r.h2, r.h1);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 34 words"));
	assert_int_equal(recover(&r, r.h1, err, sizeof err), -1);
	assert_string_equal(err, "17 recovery words; the two halves make 34");
	assert_int_equal(recover(&r, "", err, sizeof err), -1);
	assert_int_equal(
	    recover(&r, "half 1:\nhalf 2:\n", err, sizeof err), -1);
	assert_non_null(strstr(err, "0 recovery words"));
	/* one half twice: both check, but it is no key */
	snprintf(text, sizeof text, "%s\n%s\n", r.h1, r.h1);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
	assert_non_null(strstr(err, "the same"));
	snprintf(text, sizeof text, "%s\n%s\n", r.h2, r.h2);
	assert_int_equal(recover(&r, text, err, sizeof err), -1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_add_errors),
	    T(test_remove),
	    T(test_check),
	    T(test_one_of_three),
	    T(test_two_of_two),
	    T(test_two_of_three),
	    T(test_pairs_do_not_mix),
	    T(test_seal_bad_custody),
	    T(test_unseal_one_of_n),
	    T(test_unseal_two_of_two),
	    T(test_unseal_version_1),
	    T(test_tampered_share),
	    T(test_pins),
	    cmocka_unit_test(test_recovery_round_trip),
	    cmocka_unit_test(test_recovery_refusals),
	};
#undef T

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
