/*
 * test_form: decoding of x-www-form-urlencoded bodies (the fixtures, "+"
 * and %XX, duplicates, empty values, malformed escapes, NUL bytes, the
 * pair limit) and the curl-style encoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/form.h"
#include "tests/unit/testlib.h"

static int
parse(struct form *f, const char *s)
{
	char err[128];

	return form_parse(f, s, strlen(s), err, sizeof(err));
}

static void
test_fixture(void **state)
{
	struct form f;
	char err[128], *body;
	size_t len;

	(void)state;
	body = testlib_read_fixture("twilio_inbound.form", &len);
	assert_int_equal(form_parse(&f, body, len, err, sizeof(err)), 0);
	assert_int_equal(f.npairs, 20);
	assert_string_equal(f.pairs[0].key, "ToCountry");
	assert_string_equal(f.pairs[0].value, "ID");
	assert_string_equal(form_get(&f, "ToState"), "");
	assert_string_equal(form_get(&f, "From"), "+6281234567890");
	assert_string_equal(form_get(&f, "Body"),
	    "PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "
	    "surat pengantar KTP");
	assert_null(form_get(&f, "body"));
	form_free(&f);
	free(body);
}

static void
test_decoding(void **state)
{
	struct form f;

	(void)state;
	assert_int_equal(parse(&f, "a=1+2%2B3&b=%e2%82%AC&c&d=&=e&&f=x=y&"), 0);
	assert_int_equal(f.npairs, 6);
	assert_string_equal(form_get(&f, "a"), "1 2+3");
	assert_string_equal(form_get(&f, "b"), "\xe2\x82\xac");
	assert_string_equal(form_get(&f, "c"), "");
	assert_string_equal(form_get(&f, "d"), "");
	assert_string_equal(form_get(&f, ""), "e");
	assert_string_equal(form_get(&f, "f"), "x=y");
	form_free(&f);

	assert_int_equal(parse(&f, "k%20ey=v&k+ey=w&k ey=z"), 0);
	assert_int_equal(f.npairs, 3);
	assert_string_equal(f.pairs[1].key, "k ey");
	assert_string_equal(f.pairs[1].value, "w");
	assert_string_equal(form_get(&f, "k ey"), "v"); /* the first */
	form_free(&f);

	assert_int_equal(parse(&f, ""), 0);
	assert_int_equal(f.npairs, 0);
	assert_null(form_get(&f, "a"));
	form_free(&f);
}

static void
test_malformed(void **state)
{
	static const char *bad[] = {
	    "a=%",
	    "a=%4",
	    "a=%4g",
	    "a=%zz&b=1",
	    "%=1",
	    "a=1&b=%00",
	    "a%00=1",
	    "a=x%",
	};
	struct form f;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		err[0] = '\0';
		if (form_parse(&f, bad[i], strlen(bad[i]), err, sizeof(err)) !=
		    -1)
			fail_msg("accepted %s", bad[i]);
		assert_string_equal(err, "form encoding is malformed");
		assert_null(f.buf);
		form_free(&f); /* safe after a failure */
	}
	/* a raw NUL byte inside the body */
	assert_int_equal(form_parse(&f, "a=1\0b", 5, err, sizeof(err)), -1);
}

static void
test_too_many_pairs(void **state)
{
	struct form f;
	char buf[FORM_MAX_PAIRS * 4 + 16], err[128];
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < FORM_MAX_PAIRS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "a=1&");
	assert_int_equal(form_parse(&f, buf, n, err, sizeof(err)), 0);
	assert_int_equal(f.npairs, FORM_MAX_PAIRS);
	form_free(&f);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "b=2");
	assert_int_equal(form_parse(&f, buf, n, err, sizeof(err)), -1);
	assert_string_equal(err, "form has more than 128 fields");
}

static void
test_encode(void **state)
{
	const struct kv pairs[] = {
	    {"From", "whatsapp:+6281234567890"},
	    {"Body", "Halo, ada pungli 50rb & \"lainnya\" ~ok_-."},
	    {"Empty", ""},
	    {"Euro", "\xe2\x82\xac"},
	};
	struct form f;
	char err[128], *s;
	size_t len, i;

	(void)state;
	s = form_encode(pairs, 4, &len);
	assert_non_null(s);
	assert_string_equal(s,
	    "From=whatsapp%3A%2B6281234567890&Body=Halo%2C%20ada%20pungli%"
	    "2050rb"
	    "%20%26%20%22lainnya%22%20~ok_-.&Empty=&Euro=%E2%82%AC");
	assert_int_equal(len, strlen(s));
	/* round trip */
	assert_int_equal(form_parse(&f, s, len, err, sizeof(err)), 0);
	assert_int_equal(f.npairs, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(f.pairs[i].key, pairs[i].key);
		assert_string_equal(f.pairs[i].value, pairs[i].value);
	}
	form_free(&f);
	free(s);

	s = form_encode(pairs, 0, NULL);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixture),
	    cmocka_unit_test(test_decoding),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_too_many_pairs),
	    cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
