/*
 * Unit tests of gateway/loginguard.c with a fake clock: failures are free
 * up to LOGINGUARD_FREE, then each doubles the wait up to
 * LOGINGUARD_MAX_WAIT; the wait runs from the last failure; a success
 * forgets; one tag's failures never touch another's; a day forgets too.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gateway/loginguard.h"
#include "tests/unit/testlib.h"

#define T0 1795314600

static void
test_growing_delays(void **state)
{
	struct loginguard *g = loginguard_new();
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];
	int i;

	(void)state;
	assert_non_null(g);
	testlib_tag(1, a);
	testlib_tag(2, b);
	for (i = 0; i < LOGINGUARD_FREE; i++) {
		assert_int_equal(loginguard_wait(g, a, T0), 0);
		loginguard_failed(g, a, T0);
	}
	/* the sixth failure waits 1 s, the next 2 s, then 4 s */
	assert_int_equal(loginguard_wait(g, a, T0), 1);
	assert_int_equal(loginguard_wait(g, a, T0 + 1), 0);
	loginguard_failed(g, a, T0 + 1);
	assert_int_equal(loginguard_wait(g, a, T0 + 1), 2);
	loginguard_failed(g, a, T0 + 3);
	assert_int_equal(loginguard_wait(g, a, T0 + 3), 4);
	/* another tag is not held back */
	assert_int_equal(loginguard_wait(g, b, T0 + 3), 0);
	/* capped */
	for (i = 0; i < 30; i++)
		loginguard_failed(g, a, T0 + 10);
	assert_int_equal(loginguard_wait(g, a, T0 + 10), LOGINGUARD_MAX_WAIT);
	/* a success forgets; so does a day */
	loginguard_succeeded(g, a);
	assert_int_equal(loginguard_wait(g, a, T0 + 11), 0);
	for (i = 0; i < 20; i++)
		loginguard_failed(g, b, T0);
	assert_int_equal(loginguard_wait(g, b, T0 + LOGINGUARD_FORGET), 0);
	loginguard_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_growing_delays),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
