/*
 * Unit tests of queue/memkey.c: sealing and opening in one process, what
 * another process (another memkey) or a flipped byte cannot open, and the
 * sender tags: stable for one key, different per channel, sender and key.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/memkey.h"
#include "tests/unit/testlib.h"

#define PLAIN "+6281234567890\0Terima kasih, laporan Anda diterima"

static const size_t plain_len = sizeof PLAIN - 1;

struct fixture {
	struct memkey *k;
	unsigned char sealed[sizeof PLAIN + MEMKEY_OVERHEAD];
	size_t sealed_len;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->k = memkey_new();
	assert_non_null(f->k);
	f->sealed_len = memkey_seal(f->k, PLAIN, plain_len, f->sealed);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	memkey_free(f->k);
	free(f);
	return 0;
}

/* memkey_open of in[0..len) must fail. */
static void
assert_open_fails(const struct memkey *k, const unsigned char *in, size_t len)
{
	unsigned char out[sizeof PLAIN + MEMKEY_OVERHEAD];

	assert_int_equal(memkey_open(k, in, len, out), -1);
}

static void
test_round_trip(void **state)
{
	struct fixture *f = *state;
	unsigned char out[sizeof PLAIN];

	assert_int_equal(f->sealed_len, plain_len + MEMKEY_OVERHEAD);
	assert_int_equal(
	    memkey_open(f->k, f->sealed, f->sealed_len, out), (long)plain_len);
	assert_memory_equal(out, PLAIN, plain_len);
	/* The plaintext does not show in what was sealed. */
	assert_null(memmem(f->sealed, f->sealed_len, "6281234567890", 13));
}

/*
 * Every length round trips, across the first block (32 bytes of message)
 * and the 64-byte blocks after it; a flipped byte anywhere fails.
 */
static void
test_every_length(void **state)
{
	struct fixture *f = *state;
	unsigned char plain[300], sealed[300 + MEMKEY_OVERHEAD], out[300];
	size_t len, n;

	for (len = 0; len < sizeof plain; len++) {
		randombytes_buf(plain, len);
		n = memkey_seal(f->k, plain, len, sealed);
		assert_int_equal(n, len + MEMKEY_OVERHEAD);
		assert_int_equal(memkey_open(f->k, sealed, n, out), (long)len);
		assert_memory_equal(out, plain, len);
		sealed[n - 1 - len % (n - MEMKEY_EPOCH_BYTES)] ^= 0x20;
		assert_int_equal(memkey_open(f->k, sealed, n, out), -1);
	}
}

static void
test_fresh_nonce_each_time(void **state)
{
	struct fixture *f = *state;
	unsigned char again[sizeof PLAIN + MEMKEY_OVERHEAD];

	assert_int_equal(
	    memkey_seal(f->k, PLAIN, plain_len, again), f->sealed_len);
	assert_memory_not_equal(again, f->sealed, f->sealed_len);
}

static void
test_empty_plaintext(void **state)
{
	struct fixture *f = *state;
	unsigned char sealed[MEMKEY_OVERHEAD], out[1];

	assert_int_equal(memkey_seal(f->k, "", 0, sealed), MEMKEY_OVERHEAD);
	assert_int_equal(memkey_open(f->k, sealed, sizeof sealed, out), 0);
}

static void
test_other_process_cannot_open(void **state)
{
	struct fixture *f = *state;
	struct memkey *other = memkey_new();

	assert_non_null(other);
	assert_open_fails(other, f->sealed, f->sealed_len);
	memkey_free(other);
}

static void
test_tampered_byte_fails(void **state)
{
	struct fixture *f = *state;
	unsigned char bad[sizeof f->sealed];
	size_t i;

	/* Every byte: epoch, nonce, MAC and ciphertext. */
	for (i = 0; i < f->sealed_len; i++) {
		memcpy(bad, f->sealed, f->sealed_len);
		bad[i] ^= 0x01;
		assert_open_fails(f->k, bad, f->sealed_len);
	}
}

static void
test_short_input_fails(void **state)
{
	struct fixture *f = *state;

	assert_open_fails(f->k, f->sealed, 0);
	assert_open_fails(f->k, f->sealed, MEMKEY_OVERHEAD - 1);
	assert_open_fails(f->k, f->sealed, f->sealed_len - 1);
}

static void
test_tags(void **state)
{
	struct fixture *f = *state;
	struct memkey *other = memkey_new();
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];

	assert_non_null(other);
	memkey_tag(f->k, "whatsapp", "6281234567890", a);
	memkey_tag(f->k, "whatsapp", "6281234567890", b);
	assert_memory_equal(a, b, sizeof a);
	memkey_tag(f->k, "sms", "6281234567890", b);
	assert_memory_not_equal(a, b, sizeof a);
	memkey_tag(f->k, "whatsapp", "6281234567891", b);
	assert_memory_not_equal(a, b, sizeof a);
	/* The channel and sender are not simply run together. */
	memkey_tag(f->k, "whatsapp6", "281234567890", b);
	assert_memory_not_equal(a, b, sizeof a);
	memkey_tag(other, "whatsapp", "6281234567890", b);
	assert_memory_not_equal(a, b, sizeof a);
	memkey_free(other);
}

/*
 * The runtime key file: a second process reads the first one's keys and
 * opens what it sealed, links its senders the same way; a file others
 * may read, or a broken one, is refused.
 */
static void
test_runtime_file(void **state)
{
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX], err[256];
	unsigned char sealed[64 + MEMKEY_OVERHEAD], plain[64];
	unsigned char tag1[MEMKEY_TAG_BYTES], tag2[MEMKEY_TAG_BYTES];
	struct memkey *first, *second;
	int kept;

	(void)state;
	assert_int_equal(testlib_mkdtemp(dir, "memkey"), 0);
	testlib_path(path, dir, "hotline.memkey");
	first = memkey_load(path, &kept, err, sizeof err);
	assert_non_null(first);
	assert_false(kept);
	memkey_seal(first, "+6281234567890", 15, sealed);
	memkey_tag(first, "whatsapp", "+6281234567890", tag1);
	/* the next process, after a crash */
	second = memkey_load(path, &kept, err, sizeof err);
	assert_non_null(second);
	assert_true(kept);
	assert_int_equal(
	    memkey_open(second, sealed, 15 + MEMKEY_OVERHEAD, plain), 15);
	assert_string_equal((char *)plain, "+6281234567890");
	memkey_tag(second, "whatsapp", "+6281234567890", tag2);
	assert_memory_equal(tag1, tag2, sizeof tag1);
	memkey_free(second);
	/* readable by others: refused */
	assert_int_equal(chmod(path, 0644), 0);
	assert_null(memkey_load(path, &kept, err, sizeof err));
	assert_non_null(strstr(err, "mode 600"));
	/* not whole: refused, never half-read */
	testlib_write_file(path, "short", 0600);
	assert_null(memkey_load(path, &kept, err, sizeof err));
	assert_non_null(strstr(err, "not a key file"));
	memkey_free(first);
	assert_int_equal(testlib_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_runtime_file),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_length, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_fresh_nonce_each_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_empty_plaintext, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_other_process_cannot_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_tampered_byte_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_short_input_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tags, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
