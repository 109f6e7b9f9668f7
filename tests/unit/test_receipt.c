/*
 * Unit tests of queue/receipt.c: new receipts (16 digits, shown in groups
 * of four), reading them back however a citizen types them, and the slow
 * hash (deterministic per salt), and the shape of a NIK, which no new
 * receipt has.  Argon2id costs ~70 ms a hash: few here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/receipt.h"
#include "tests/unit/testlib.h"

#define DIGITS "1234567890123456"

static void
test_new_receipt(void **state)
{
	char digits[RECEIPT_DIGITS + 1], shown[RECEIPT_TEXT];
	char first[RECEIPT_DIGITS + 1], parsed[RECEIPT_DIGITS + 1];
	int i, g;

	(void)state;
	receipt_new(first, shown);
	for (i = 0; i < 50; i++) {
		receipt_new(digits, shown);
		assert_int_equal(strlen(digits), RECEIPT_DIGITS);
		assert_int_equal(strspn(digits, "0123456789"), RECEIPT_DIGITS);
		assert_int_equal(strlen(shown), RECEIPT_TEXT - 1);
		for (g = 0; g < 4; g++) {
			assert_memory_equal(shown + g * 5, digits + g * 4, 4);
			if (g < 3)
				assert_int_equal(shown[g * 5 + 4], '-');
		}
		/* What is shown reads back as the same digits. */
		assert_non_null(receipt_parse(shown, parsed));
		assert_string_equal(parsed, digits);
	}
	assert_string_not_equal(digits, first);
}

static void
test_parse_accepts(void **state)
{
	static const struct {
		const char *text, *rest;
	} cases[] = {
	    {DIGITS, ""},
	    {"1234-5678-9012-3456", ""},
	    {"1234 5678 9012 3456", ""},
	    {"1234.5678.9012.3456", ""},
	    {"  1234-5678 9012.3456", ""},
	    {"1234 - 5678 - 9012 - 3456", ""},
	    {"1234-5678-9012-3456 petugas minta uang", " petugas minta uang"},
	    {"1234567890123456x", "x"},
	    {"1234-5678-9012-3456\nlagi", "\nlagi"},
	};
	char digits[RECEIPT_DIGITS + 1];
	const char *rest;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		rest = receipt_parse(cases[i].text, digits);
		if (rest == NULL)
			fail_msg("refused: %s", cases[i].text);
		assert_string_equal(digits, DIGITS);
		assert_string_equal(rest, cases[i].rest);
	}
}

static void
test_parse_refuses(void **state)
{
	static const char *const texts[] = {
	    "",
	    "   ",
	    "123456789012345",
	    "1234-5678-9012-345",
	    "1234-5678-9012-345 ada",
	    "12345678901234567",
	    "1234-5678-9012-34567",
	    "-1234-5678-9012-3456",
	    "x1234567890123456",
	    "KTP saya belum jadi",
	    "1234/5678/9012/3456",
	};
	char digits[RECEIPT_DIGITS + 1];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(texts); i++) {
		memset(digits, 'x', sizeof digits);
		if (receipt_parse(texts[i], digits) != NULL)
			fail_msg("accepted: '%s'", texts[i]);
		/* Nothing of a refused receipt is left behind. */
		assert_null(memchr(digits, 'x', sizeof digits));
	}
}

static void
test_nik_shape(void **state)
{
	static const struct {
		const char *digits;
		int nik;
	} cases[] = {
	    {"3571015203900002", 1}, /* Kota Kediri, born 15-03-1990 */
	    {"3571036607920001", 1}, /* a woman: day 26 + 40 */
	    {"1101010101010001", 1}, /* Aceh, 01-01-2001 */
	    {"0504171987199948", 0}, /* no province 05 */
	    {"3571013213900002", 0}, /* month 13 */
	    {"3571010003900002", 0}, /* day 00 */
	    {"3571013203900002", 0}, /* day 32 */
	    {"3571017203900002", 0}, /* day 72: 32 for a woman */
	    {"9771015203900002", 0}, /* no province 97 */
	};
	char digits[RECEIPT_DIGITS + 1], shown[RECEIPT_TEXT];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (receipt_nik_shaped(cases[i].digits) != cases[i].nik)
			fail_msg("%s: want %d", cases[i].digits, cases[i].nik);
	/* One random draw in sixteen has the shape: none is handed out. */
	for (i = 0; i < 20000; i++) {
		receipt_new(digits, shown);
		assert_false(receipt_nik_shaped(digits));
	}
}

static void
test_hash(void **state)
{
	unsigned char salt[RECEIPT_SALT_BYTES] = {1},
		      other[RECEIPT_SALT_BYTES] = {2};
	unsigned char a[RECEIPT_HASH_BYTES], b[RECEIPT_HASH_BYTES];
	unsigned char zero[RECEIPT_HASH_BYTES] = {0};

	(void)state;
	assert_int_equal(receipt_hash(DIGITS, salt, a), 0);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_int_equal(receipt_hash(DIGITS, salt, b), 0);
	assert_memory_equal(a, b, sizeof a);
	assert_int_equal(receipt_hash(DIGITS, other, b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_int_equal(receipt_hash("1234567890123457", salt, b), 0);
	assert_memory_not_equal(a, b, sizeof a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_receipt),
	    cmocka_unit_test(test_parse_accepts),
	    cmocka_unit_test(test_parse_refuses),
	    cmocka_unit_test(test_nik_shape),
	    cmocka_unit_test(test_hash),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
