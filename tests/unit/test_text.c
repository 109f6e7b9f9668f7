/*
 * test_text: UTF-8 validation and code point counting (lib/utf8.c), and
 * the bounded copy and the heap copy of adapters/text.c.
 */
#include <stdlib.h>
#include <string.h>

#include "adapters/text.h"
#include "lib/utf8.h"
#include "tests/unit/testlib.h"

static void
test_length_ascii_and_multibyte(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	/* é (2 bytes), € (3), 🙏 (4) */
	assert_int_equal(utf8_length("\xc3\xa9", 2), 1);
	assert_int_equal(utf8_length("\xe2\x82\xac", 3), 1);
	assert_int_equal(utf8_length("\xf0\x9f\x99\x8f", 4), 1);
	assert_int_equal(utf8_length("a\xc3\xa9\xe2\x82\xac"
				     "\xf0\x9f\x99\x8f",
			     10),
	    4);
	/* U+10FFFF is the last valid code point */
	assert_int_equal(utf8_length("\xf4\x8f\xbf\xbf", 4), 1);
}

static void
test_length_invalid(void **state)
{
	static const char *bad[] = {
	    "\x80",		/* lone continuation */
	    "\xc3",		/* truncated */
	    "\xc0\xaf",		/* overlong '/' */
	    "\xc1\xbf",		/* overlong */
	    "\xe0\x80\xaf",	/* overlong, 3 bytes */
	    "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
	    "\xed\xa0\x80",	/* surrogate U+D800 */
	    "\xed\xbf\xbf",	/* surrogate U+DFFF */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\xf5\x80\x80\x80", /* above U+10FFFF */
	    "\xff", "\xe2\x82", /* truncated */
	    "a\xe2\x28\xa1",	/* bad continuation */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(utf8_length(bad[i], strlen(bad[i])), -1);
}

static void
test_copy_ok(void **state)
{
	char dst[32], err[128];

	(void)state;
	assert_int_equal(text_copy(dst, sizeof(dst), "Halo \xf0\x9f\x99\x8f", 9,
			     10, err, sizeof(err)),
	    0);
	assert_string_equal(dst, "Halo \xf0\x9f\x99\x8f");
	/* only len bytes are copied */
	assert_int_equal(
	    text_copy(dst, sizeof(dst), "abcdef", 3, 3, err, sizeof(err)), 0);
	assert_string_equal(dst, "abc");
	assert_int_equal(
	    text_copy(dst, sizeof(dst), "", 0, 0, err, sizeof(err)), 0);
	assert_string_equal(dst, "");
}

static void
test_copy_errors(void **state)
{
	char dst[8], err[128];

	(void)state;
	assert_int_equal(
	    text_copy(dst, sizeof(dst), "a\xc3", 2, 10, err, sizeof(err)), -1);
	assert_string_equal(err, "text is not valid UTF-8");
	assert_string_equal(dst, "");

	assert_int_equal(
	    text_copy(dst, sizeof(dst), "abcd", 4, 3, err, sizeof(err)), -1);
	assert_string_equal(err, "text is longer than 3 characters");

	assert_int_equal(
	    text_copy(dst, sizeof(dst), "abcdefgh", 8, 100, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "text does not fit");

	assert_int_equal(
	    text_copy(dst, sizeof(dst), "a\0b", 3, 10, err, sizeof(err)), -1);
	assert_string_equal(err, "text holds a NUL byte");
}

static void
test_copy_counts_code_points(void **state)
{
	char dst[64], err[128];
	/* four 4-byte characters: 16 bytes but 4 characters */
	const char *s = "\xf0\x9f\x99\x8f\xf0\x9f\x99\x8f\xf0\x9f\x99\x8f"
			"\xf0\x9f\x99\x8f";

	(void)state;
	assert_int_equal(
	    text_copy(dst, sizeof(dst), s, 16, 4, err, sizeof(err)), 0);
	assert_int_equal(
	    text_copy(dst, sizeof(dst), s, 16, 3, err, sizeof(err)), -1);
}

static void
test_dup(void **state)
{
	char err[128], *dst = NULL, *keep = (char *)"kept", *big;
	size_t i;

	(void)state;
	/* exactly the text, NUL-terminated; only len bytes */
	assert_int_equal(
	    text_dup(&dst, "Halo \xf0\x9f\x99\x8fxyz", 9, 6, err, sizeof(err)),
	    0);
	assert_string_equal(dst, "Halo \xf0\x9f\x99\x8f");
	free(dst);
	/* an empty text is a string of its own, never NULL */
	dst = NULL;
	assert_int_equal(text_dup(&dst, "", 0, 0, err, sizeof(err)), 0);
	assert_non_null(dst);
	assert_string_equal(dst, "");
	free(dst);
	dst = NULL;
	assert_int_equal(text_dup(&dst, NULL, 0, 0, err, sizeof(err)), 0);
	assert_string_equal(dst, "");
	free(dst);

	/* refusals leave *dst as it was */
	dst = keep;
	assert_int_equal(text_dup(&dst, "a\xc3", 2, 10, err, sizeof(err)), -1);
	assert_string_equal(err, "text is not valid UTF-8");
	assert_ptr_equal(dst, keep);
	assert_int_equal(text_dup(&dst, "a\0b", 3, 10, err, sizeof(err)), -1);
	assert_string_equal(err, "text holds a NUL byte");
	assert_int_equal(
	    text_dup(&dst, "\xc3\xa9\xc3\xa9", 4, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "text is longer than 1 characters");
	assert_ptr_equal(dst, keep);

	/* no buffer bounds it: 65,536 four-byte characters, 256 KiB */
	big = testlib_repeat("", "\xf0\x9f\x99\x8f", 65536, "");
	assert_int_equal(
	    text_dup(&dst, big, 4 * 65536, 65536, err, sizeof(err)), 0);
	assert_int_equal(strlen(dst), 4 * 65536);
	assert_memory_equal(dst, big, 4 * 65536);
	free(dst);
	assert_int_equal(
	    text_dup(&dst, big, 4 * 65536, 65535, err, sizeof(err)), -1);
	for (i = 0; i < 4 * 65536; i++)
		big[i] = 'a';
	assert_int_equal(
	    text_dup(&dst, big, 4 * 65536, 4 * 65536, err, sizeof(err)), 0);
	assert_int_equal(strlen(dst), 4 * 65536);
	free(dst);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_length_ascii_and_multibyte),
	    cmocka_unit_test(test_length_invalid),
	    cmocka_unit_test(test_copy_ok),
	    cmocka_unit_test(test_copy_errors),
	    cmocka_unit_test(test_copy_counts_code_points),
	    cmocka_unit_test(test_dup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
