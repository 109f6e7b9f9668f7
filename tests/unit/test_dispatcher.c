/*
 * Unit tests of dispatcher_backoff() (queue/dispatcher.c): the delay
 * before a retry is retry_base doubled per attempt, capped at retry_max,
 * with jitter between half and all of it, and never less than a
 * provider's Retry-After.  Many samples per case: the jitter is random.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/dispatcher.h"
#include "tests/unit/testlib.h"

#define SAMPLES 2000
#define BASE	30000L	 /* 30 s */
#define MAX	3600000L /* 1 h */

struct range {
	long min, max;
};

/* SAMPLES delays for attempts: their smallest and largest. */
static struct range
sample(const struct config *cfg, int attempts, long retry_after_ms)
{
	struct range r = {-1, -1};
	long d;
	int i;

	for (i = 0; i < SAMPLES; i++) {
		d = dispatcher_backoff(cfg, attempts, retry_after_ms);
		if (r.min == -1 || d < r.min)
			r.min = d;
		if (d > r.max)
			r.max = d;
	}
	return r;
}

/* Every delay is within [lo, hi], and the jitter spreads them out. */
static void
assert_range(const struct config *cfg, int attempts, long lo, long hi)
{
	struct range r = sample(cfg, attempts, 0);

	if (r.min < lo || r.max > hi)
		fail_msg("attempt %d: [%ld, %ld] outside [%ld, %ld]", attempts,
		    r.min, r.max, lo, hi);
	/* 2000 draws cover most of the range. */
	assert_true(r.max - r.min > (hi - lo) * 8 / 10);
}

static void
config_init(struct config *cfg, long base, long max)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->dispatch.retry_base_ms = base;
	cfg->dispatch.retry_max_ms = max;
	cfg->dispatch.max_attempts = 8;
}

static void
test_doubles_then_caps(void **state)
{
	struct config cfg;
	long full = BASE;
	int attempt;

	(void)state;
	config_init(&cfg, BASE, MAX);
	for (attempt = 1; attempt <= 12; attempt++) {
		assert_range(&cfg, attempt, full / 2, full);
		full = full * 2 > MAX ? MAX : full * 2;
	}
	/* Far beyond the cap: still capped, no overflow. */
	assert_range(&cfg, 1000, MAX / 2, MAX);
	assert_range(&cfg, 0x7fffffff, MAX / 2, MAX);
}

static void
test_cap_not_a_power_of_two(void **state)
{
	struct config cfg;

	(void)state;
	/* 1 s, 2 s, 4 s, then 5 s (not 8 s). */
	config_init(&cfg, 1000, 5000);
	assert_range(&cfg, 3, 2000, 4000);
	assert_range(&cfg, 4, 2500, 5000);
	assert_range(&cfg, 9, 2500, 5000);
	/* A base above the cap is capped too. */
	config_init(&cfg, 10000, 4000);
	assert_range(&cfg, 1, 2000, 4000);
}

static void
test_retry_after(void **state)
{
	struct config cfg;
	struct range r;

	(void)state;
	config_init(&cfg, BASE, MAX);
	/* Longer than the backoff: exactly what the provider asked. */
	r = sample(&cfg, 1, 120000);
	assert_int_equal(r.min, 120000);
	assert_int_equal(r.max, 120000);
	/* Within the backoff's range: never below it. */
	r = sample(&cfg, 1, 20000);
	assert_true(r.min >= 20000);
	assert_true(r.max <= BASE);
	/* Shorter than the backoff: no effect. */
	r = sample(&cfg, 2, 1000);
	assert_true(r.min >= BASE);
	assert_true(r.max <= 2 * BASE);
}

static void
test_tiny_base(void **state)
{
	struct config cfg;
	struct range r;

	(void)state;
	config_init(&cfg, 1, 1);
	r = sample(&cfg, 5, 0);
	assert_true(r.min >= 0);
	assert_true(r.max <= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_doubles_then_caps),
	    cmocka_unit_test(test_cap_not_a_power_of_two),
	    cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_tiny_base),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
