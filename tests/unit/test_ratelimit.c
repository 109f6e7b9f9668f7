/*
 * Unit tests of queue/ratelimit.c: a sender gets limit events a window and
 * no more, another sender keeps its own count, and the next window starts
 * afresh.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/ratelimit.h"
#include "tests/unit/testlib.h"

#define LIMIT  3
#define WINDOW 60
#define T0     1795314600 /* the start of a window */

/* A tag that differs from every other test tag in its first bytes. */
static void
make_tag(unsigned char tag[MEMKEY_TAG_BYTES], unsigned char who)
{
	memset(tag, who, MEMKEY_TAG_BYTES);
}

/* n events of tag at now: how many were allowed. */
static int
allow_n(struct ratelimit *r, const unsigned char *tag, time_t now, int n)
{
	int i, allowed = 0;

	for (i = 0; i < n; i++)
		allowed += ratelimit_allow(r, tag, now);
	return allowed;
}

static void
test_limit_per_window(void **state)
{
	struct ratelimit *r = ratelimit_new(LIMIT, WINDOW);
	unsigned char a[MEMKEY_TAG_BYTES];

	(void)state;
	assert_non_null(r);
	make_tag(a, 0x11);
	assert_int_equal(allow_n(r, a, T0, LIMIT), LIMIT);
	assert_int_equal(ratelimit_allow(r, a, T0 + 10), 0);
	assert_int_equal(ratelimit_allow(r, a, T0 + WINDOW - 1), 0);
	ratelimit_free(r);
}

static void
test_other_sender_unaffected(void **state)
{
	struct ratelimit *r = ratelimit_new(LIMIT, WINDOW);
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];

	(void)state;
	assert_non_null(r);
	make_tag(a, 0x11);
	make_tag(b, 0x22);
	assert_int_equal(allow_n(r, a, T0, LIMIT + 5), LIMIT);
	assert_int_equal(allow_n(r, b, T0, LIMIT), LIMIT);
	assert_int_equal(ratelimit_allow(r, b, T0), 0);
	ratelimit_free(r);
}

static void
test_next_window_resets(void **state)
{
	struct ratelimit *r = ratelimit_new(LIMIT, WINDOW);
	unsigned char a[MEMKEY_TAG_BYTES];

	(void)state;
	assert_non_null(r);
	make_tag(a, 0x11);
	assert_int_equal(allow_n(r, a, T0, LIMIT + 1), LIMIT);
	assert_int_equal(allow_n(r, a, T0 + WINDOW, LIMIT + 1), LIMIT);
	/* Much later, a stale count is not carried over either. */
	assert_int_equal(allow_n(r, a, T0 + 100 * WINDOW, LIMIT + 1), LIMIT);
	ratelimit_free(r);
}

static void
test_real_tags(void **state)
{
	struct memkey *k = memkey_new();
	struct ratelimit *r = ratelimit_new(1, 3600);
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];

	(void)state;
	assert_non_null(k);
	assert_non_null(r);
	memkey_tag(k, "sms", "+6281234567890", a);
	memkey_tag(k, "sms", "+6281234567890", b);
	assert_int_equal(ratelimit_allow(r, a, T0), 1);
	assert_int_equal(ratelimit_allow(r, b, T0 + 1), 0);
	ratelimit_free(r);
	memkey_free(k);
}

struct racer {
	struct ratelimit *r;
	atomic_int allowed;
};

static void *
race(void *arg)
{
	struct racer *x = arg;
	unsigned char a[MEMKEY_TAG_BYTES];

	make_tag(a, 0x33);
	atomic_fetch_add(&x->allowed, allow_n(x->r, a, T0, 1000));
	return NULL;
}

static void
test_threads_share_one_count(void **state)
{
	struct racer x = {.r = ratelimit_new(100, WINDOW)};
	pthread_t t[4];
	size_t i;

	(void)state;
	assert_non_null(x.r);
	atomic_init(&x.allowed, 0);
	for (i = 0; i < TESTLIB_COUNT(t); i++)
		assert_int_equal(pthread_create(&t[i], NULL, race, &x), 0);
	for (i = 0; i < TESTLIB_COUNT(t); i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&x.allowed), 100);
	ratelimit_free(x.r);
}

/* A batch: all of it within the limit, or none of it counted. */
static void
test_take_all_or_nothing(void **state)
{
	struct ratelimit *r = ratelimit_new(LIMIT, WINDOW);
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];

	(void)state;
	make_tag(a, 0x21);
	make_tag(b, 0x22);
	assert_int_equal(ratelimit_take(r, a, T0, LIMIT + 1), 0);
	/* refused whole: nothing was counted */
	assert_int_equal(ratelimit_take(r, a, T0, LIMIT), 1);
	assert_int_equal(ratelimit_take(r, a, T0, 1), 0);
	assert_int_equal(ratelimit_allow(r, a, T0), 0);
	/* given back, it can be taken again */
	assert_int_equal(ratelimit_take(r, b, T0, 2), 1);
	ratelimit_give_back(r, b, T0, 2);
	assert_int_equal(ratelimit_take(r, b, T0, LIMIT), 1);
	/* a new window: the count starts again */
	assert_int_equal(ratelimit_take(r, a, T0 + WINDOW, LIMIT), 1);
	ratelimit_give_back(r, a, T0 + WINDOW, 5 * LIMIT); /* never below 0 */
	assert_int_equal(ratelimit_take(r, a, T0 + WINDOW, LIMIT), 1);
	ratelimit_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_limit_per_window),
	    cmocka_unit_test(test_other_sender_unaffected),
	    cmocka_unit_test(test_next_window_resets),
	    cmocka_unit_test(test_real_tags),
	    cmocka_unit_test(test_threads_share_one_count),
	    cmocka_unit_test(test_take_all_or_nothing),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
