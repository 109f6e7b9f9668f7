/*
 * Unit tests of gateway/session.c: a session is found by its cookie only,
 * ends after the idle time (touching it keeps it alive) and at logout,
 * keeps its own CSRF token, runs a function with the mayor's key only
 * while it lives, and the table makes room by dropping the oldest idle
 * session.
 */
#include <stdlib.h>
#include <string.h>

#include "gateway/session.h"
#include "tests/unit/testlib.h"

#define T0   1795000000
#define IDLE 900

static struct account
account(const char *name, const char *role)
{
	struct account a;

	memset(&a, 0, sizeof a);
	a.id = 7;
	snprintf(a.name, sizeof a.name, "%s", name);
	snprintf(a.role, sizeof a.role, "%s", role);
	return a;
}

static int
read_key(const unsigned char *sk, void *arg)
{
	memcpy(arg, sk, 4);
	return 42;
}

static void
test_find_and_expire(void **state)
{
	struct sessions *t = sessions_new(IDLE);
	struct account a = account("kadis_capil", "opd");
	struct session_view v, w;
	char id[SESSION_ID_HEX], other[SESSION_ID_HEX];

	(void)state;
	assert_non_null(t);
	assert_int_equal(sessions_open(t, &a, NULL, T0, id, &v), 0);
	assert_int_equal(strlen(id), 64);
	assert_int_equal(strlen(v.csrf), 64);
	assert_string_not_equal(id, v.csrf);
	assert_int_equal(v.has_key, 0);
	assert_int_equal(sessions_find(t, id, T0 + 10, &w), 0);
	assert_string_equal(w.account.name, "kadis_capil");
	assert_string_equal(w.csrf, v.csrf);
	/* not found by anything else */
	memcpy(other, id, sizeof other);
	other[0] = other[0] == 'a' ? 'b' : 'a';
	assert_int_equal(sessions_find(t, other, T0 + 10, &w), -1);
	assert_int_equal(sessions_find(t, "", T0 + 10, &w), -1);
	assert_int_equal(sessions_find(t, NULL, T0 + 10, &w), -1);
	assert_int_equal(sessions_find(t, v.csrf, T0 + 10, &w), -1);
	/* touching keeps it alive; idle past the limit ends it */
	assert_int_equal(sessions_find(t, id, T0 + IDLE, &w), 0);
	assert_int_equal(sessions_find(t, id, T0 + 2 * IDLE, &w), 0);
	assert_int_equal(sessions_find(t, id, T0 + 3 * IDLE + 1, &w), -1);
	/* and it stays ended */
	assert_int_equal(sessions_find(t, id, T0 + 3 * IDLE + 2, &w), -1);
	/* the sweep ends idle sessions without a request */
	assert_int_equal(sessions_open(t, &a, NULL, T0, id, &v), 0);
	sessions_expire(t, T0 + IDLE);
	assert_int_equal(sessions_find(t, id, T0 + IDLE, &w), 0);
	sessions_expire(t, T0 + 2 * IDLE + 1);
	assert_int_equal(sessions_find(t, id, T0 + IDLE + 1, &w), -1);
	sessions_free(t);
}

static void
test_logout_and_key(void **state)
{
	struct sessions *t = sessions_new(IDLE);
	struct account a = account("walikota", "mayor");
	unsigned char *sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	unsigned char seen[4] = {0};
	struct session_view v, w;
	char id[SESSION_ID_HEX];

	(void)state;
	assert_non_null(sk);
	memset(sk, 0xab, crypto_box_SECRETKEYBYTES);
	assert_int_equal(sessions_open(t, &a, sk, T0, id, &v), 0);
	assert_int_equal(v.has_key, 1);
	assert_int_equal(sessions_with_key(t, id, T0 + 1, read_key, seen), 42);
	assert_int_equal(seen[0], 0xab);
	/* no key once expired */
	assert_int_equal(
	    sessions_with_key(t, id, T0 + 2 + IDLE, read_key, seen), -1);
	assert_int_equal(sessions_find(t, id, T0 + 2 + IDLE, &w), -1);
	/* logout */
	sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	assert_int_equal(sessions_open(t, &a, sk, T0, id, &v), 0);
	sessions_close(t, id);
	assert_int_equal(sessions_find(t, id, T0 + 1, &w), -1);
	assert_int_equal(sessions_with_key(t, id, T0 + 1, read_key, seen), -1);
	sessions_close(t, id); /* twice is fine */
	sessions_free(t);
}

static void
test_csrf(void **state)
{
	struct sessions *t = sessions_new(IDLE);
	struct account a = account("kadis_capil", "opd");
	struct session_view v;
	char id[SESSION_ID_HEX], wrong[SESSION_CSRF_HEX];

	(void)state;
	assert_int_equal(sessions_open(t, &a, NULL, T0, id, &v), 0);
	assert_true(sessions_csrf_ok(&v, v.csrf));
	memcpy(wrong, v.csrf, sizeof wrong);
	wrong[63] = wrong[63] == '0' ? '1' : '0';
	assert_false(sessions_csrf_ok(&v, wrong));
	assert_false(sessions_csrf_ok(&v, NULL));
	assert_false(sessions_csrf_ok(&v, ""));
	assert_false(sessions_csrf_ok(&v, id));
	wrong[10] = '\0';
	assert_false(sessions_csrf_ok(&v, wrong));
	sessions_free(t);
}

static void
test_full_table(void **state)
{
	struct sessions *t = sessions_new(IDLE);
	struct account a = account("kadis_capil", "opd");
	static char ids[SESSION_MAX + 1][SESSION_ID_HEX];
	struct session_view v;
	int i;

	(void)state;
	for (i = 0; i < SESSION_MAX; i++)
		assert_int_equal(
		    sessions_open(t, &a, NULL, T0 + i, ids[i], &v), 0);
	/* the first is touched: the second is now the oldest idle */
	assert_int_equal(sessions_find(t, ids[0], T0 + SESSION_MAX, &v), 0);
	assert_int_equal(sessions_open(t, &a, NULL, T0 + SESSION_MAX + 1,
			     ids[SESSION_MAX], &v),
	    0);
	assert_int_equal(
	    sessions_find(t, ids[1], T0 + SESSION_MAX + 2, &v), -1);
	assert_int_equal(sessions_find(t, ids[0], T0 + SESSION_MAX + 2, &v), 0);
	assert_int_equal(
	    sessions_find(t, ids[SESSION_MAX], T0 + SESSION_MAX + 2, &v), 0);
	assert_int_equal(sessions_find(t, ids[2], T0 + SESSION_MAX + 2, &v), 0);
	sessions_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_and_expire),
	    cmocka_unit_test(test_logout_and_key),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_full_table),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
