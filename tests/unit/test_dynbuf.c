/*
 * test_dynbuf: lib/dynbuf.c.  Bytes and printf-style appends land where
 * they were put and the buffer stays NUL-terminated as it grows; the cap
 * holds to the byte (a buffer may be exactly full); the first failure,
 * past the cap or made by dynbuf_fail(), frees the buffer and refuses
 * every later append, take gives NULL, and free makes it usable again;
 * reset empties it and keeps the block; take hands the block over, "" when
 * nothing was added.  A wiping buffer behaves the same (what it zeroes is
 * freed memory, which a test cannot read).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "tests/unit/testlib.h"

static void
test_append_and_grow(void **state)
{
	static const int flags[] = {0, DYNBUF_WIPE};
	struct dynbuf b;
	char *big, *s;
	size_t i, f, len;

	(void)state;
	big = testlib_repeat("", "0123456789", 5000, "");
	for (f = 0; f < TESTLIB_COUNT(flags); f++) {
		dynbuf_init(&b, DYNBUF_NO_CAP, flags[f]);
		assert_string_equal(dynbuf_ptr(&b), "");
		assert_int_equal(dynbuf_len(&b), 0);
		assert_int_equal(dynbuf_add(&b, "ab", 2), 0);
		assert_int_equal(dynbuf_adds(&b, "c"), 0);
		assert_int_equal(dynbuf_addf(&b, "[%s]", big), 0);
		assert_int_equal(dynbuf_len(&b), 3 + 2 + 50000);
		assert_int_equal(dynbuf_ptr(&b)[dynbuf_len(&b)], '\0');
		assert_memory_equal(dynbuf_ptr(&b), "abc[", 4);
		assert_memory_equal(dynbuf_ptr(&b) + 4, big, 50000);
		for (i = 0; i < 20000; i++) {
			assert_int_equal(dynbuf_addf(&b, "%zu", i % 10), 0);
			assert_int_equal(dynbuf_ptr(&b)[dynbuf_len(&b)], '\0');
		}
		s = dynbuf_take(&b, &len);
		assert_non_null(s);
		assert_int_equal(len, 50005 + 20000);
		for (i = 0; i < 20000; i++)
			assert_int_equal(s[50005 + i], (char)('0' + i % 10));
		free(s);
		/* taken: the buffer is empty again, and usable */
		assert_int_equal(dynbuf_len(&b), 0);
		assert_int_equal(dynbuf_adds(&b, "x"), 0);
		assert_string_equal(dynbuf_ptr(&b), "x");
		dynbuf_free(&b);
	}
	free(big);
}

/* A size known in advance: one block, never moved; past the cap, none. */
static void
test_reserve(void **state)
{
	struct dynbuf b;
	const char *first;
	char chunk[100];
	int i;

	(void)state;
	memset(chunk, 'x', sizeof chunk);
	dynbuf_init(&b, 8192, DYNBUF_WIPE);
	assert_int_equal(dynbuf_reserve(&b, 5000), 0);
	first = dynbuf_ptr(&b);
	for (i = 0; i < 50; i++)
		assert_int_equal(dynbuf_add(&b, chunk, sizeof chunk), 0);
	assert_ptr_equal(dynbuf_ptr(&b), first);
	assert_int_equal(dynbuf_len(&b), 5000);
	dynbuf_free(&b);
	assert_int_equal(dynbuf_reserve(&b, 8193), -1);
	assert_int_equal(dynbuf_failed(&b), DYNBUF_TOOBIG);
	dynbuf_free(&b);
}

static void
test_cap(void **state)
{
	struct dynbuf b;
	size_t len = 99;

	(void)state;
	dynbuf_init(&b, 5, 0);
	assert_int_equal(dynbuf_adds(&b, "abc"), 0);
	assert_int_equal(dynbuf_addf(&b, "%d", 12), 0); /* exactly full */
	assert_string_equal(dynbuf_ptr(&b), "abc12");
	assert_int_equal(dynbuf_failed(&b), 0);
	assert_int_equal(dynbuf_add(&b, "", 0), 0); /* nothing still fits */
	assert_int_equal(dynbuf_adds(&b, "x"), -1);
	assert_int_equal(dynbuf_failed(&b), DYNBUF_TOOBIG);
	assert_null(b.buf);
	assert_string_equal(dynbuf_ptr(&b), "");
	assert_int_equal(dynbuf_len(&b), 0);
	/* poisoned: even what would fit is refused */
	assert_int_equal(dynbuf_adds(&b, "a"), -1);
	assert_int_equal(dynbuf_addf(&b, "%d", 1), -1);
	assert_null(dynbuf_take(&b, &len));
	assert_int_equal(len, 0);
	/* take freed it: the same cap again, no longer failed */
	assert_int_equal(dynbuf_failed(&b), 0);
	assert_int_equal(dynbuf_addf(&b, "%s", "123456"), -1);
	assert_int_equal(dynbuf_failed(&b), DYNBUF_TOOBIG);
	dynbuf_free(&b);
	assert_int_equal(dynbuf_adds(&b, "12345"), 0);
	dynbuf_free(&b);

	/* a wiping buffer's cap, and its first block clamped to it */
	dynbuf_init(&b, 3, DYNBUF_WIPE);
	assert_int_equal(dynbuf_adds(&b, "abc"), 0);
	assert_true(b.cap <= 4);
	assert_int_equal(dynbuf_adds(&b, "d"), -1);
	assert_int_equal(dynbuf_failed(&b), DYNBUF_TOOBIG);
	dynbuf_free(&b);
}

static void
test_fail_reset_take(void **state)
{
	struct dynbuf b;
	char *s;
	size_t len = 99;

	(void)state;
	/* failed from outside: as out of memory */
	dynbuf_init(&b, DYNBUF_NO_CAP, 0);
	dynbuf_adds(&b, "abc");
	dynbuf_fail(&b);
	assert_int_equal(dynbuf_failed(&b), DYNBUF_NOMEM);
	assert_int_equal(dynbuf_adds(&b, "d"), -1);
	assert_null(dynbuf_take(&b, NULL));
	dynbuf_free(&b);

	/* reset: empty, the block kept */
	dynbuf_init(&b, DYNBUF_NO_CAP, DYNBUF_WIPE);
	dynbuf_adds(&b, "secret");
	s = b.buf;
	dynbuf_reset(&b);
	assert_ptr_equal(b.buf, s);
	assert_string_equal(dynbuf_ptr(&b), "");
	assert_int_equal(dynbuf_len(&b), 0);
	dynbuf_adds(&b, "ok");
	assert_string_equal(dynbuf_ptr(&b), "ok");
	dynbuf_free(&b);
	assert_null(b.buf);
	dynbuf_free(&b); /* twice is harmless */
	dynbuf_reset(&b);

	/* nothing added: take gives "", not NULL */
	dynbuf_init(&b, DYNBUF_NO_CAP, 0);
	s = dynbuf_take(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	/* bytes, NUL included, are kept as they are */
	dynbuf_init(&b, DYNBUF_NO_CAP, 0);
	dynbuf_add(&b, "a\0b", 3);
	s = dynbuf_take(&b, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 4);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_grow),
	    cmocka_unit_test(test_reserve),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_fail_reset_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
