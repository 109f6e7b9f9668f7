/*
 * test_phone: the ways citizens and providers write an Indonesian number,
 * all normalised to one E.164 form, and the strings that are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/phone.h"
#include "tests/unit/testlib.h"

static void
expect_number(const char *in, const char *want)
{
	char out[PHONE_E164_MAX];

	if (phone_normalize(in, out, sizeof(out)) != 0)
		fail_msg("refused: %s", in);
	assert_string_equal(out, want);
}

static void
expect_refused(const char *in)
{
	char out[PHONE_E164_MAX];

	memset(out, 'x', sizeof(out));
	if (phone_normalize(in, out, sizeof(out)) != -1)
		fail_msg("accepted: %s", in);
	assert_string_equal(out, "");
}

static void
test_indonesian_forms(void **state)
{
	(void)state;
	expect_number("081234567890", "+6281234567890");
	expect_number("81234567890", "+6281234567890");
	expect_number("6281234567890", "+6281234567890");
	expect_number("006281234567890", "+6281234567890");
	expect_number("+6281234567890", "+6281234567890");
	expect_number("+62 81234567890", "+6281234567890");
	expect_number("+62 812-3456-7890", "+6281234567890");
	expect_number("0812.3456.7890", "+6281234567890");
	expect_number("(0812) 3456 7890", "+6281234567890");
	expect_number("+62 (0)812 3456 7890", "+6281234567890");
	expect_number("whatsapp:+6281234567890", "+6281234567890");
	expect_number("WhatsApp:+6281234567890", "+6281234567890");
	expect_number("tel:+62-812-3456-7890", "+6281234567890");
	/* shortest and longest mobile numbers: 08 + 8 .. 11 digits */
	expect_number("0812345678", "+62812345678");
	expect_number("0812345678901", "+62812345678901");
	/* a Kediri landline */
	expect_number("0354 123456", "+62354123456");
}

static void
test_other_countries(void **state)
{
	(void)state;
	expect_number("+14155238886", "+14155238886");
	expect_number("0014155238886", "+14155238886");
	expect_number("whatsapp:+14155238886", "+14155238886");
	expect_number("+60 12-345 6789", "+60123456789");
}

static void
test_refused(void **state)
{
	(void)state;
	expect_refused("");
	expect_refused("+");
	expect_refused("whatsapp:");
	expect_refused("Budi Santoso");
	expect_refused("TELKOMSEL");
	expect_refused("0812-abc-7890");
	expect_refused("0812+34567890");
	expect_refused("++6281234567890");
	expect_refused("0812");		     /* too short */
	expect_refused("081234567");	     /* 08 + 7 digits */
	expect_refused("08123456789012");    /* 08 + 12 digits */
	expect_refused("+6281234567890123"); /* too long */
	expect_refused("+1234567890123456"); /* over 15 digits */
	expect_refused("+12345");	     /* too short */
	expect_refused("12345678");	     /* no country, not 0/8/62 */
	expect_refused("+0812345678");
	expect_refused("0000000000");
	expect_refused("whatsapp:US.1234");
}

static void
test_small_buffer(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(phone_normalize("081234567890", out, sizeof(out)), -1);
	assert_string_equal(out, "");
	assert_int_equal(phone_normalize(NULL, out, sizeof(out)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_indonesian_forms),
	    cmocka_unit_test(test_other_countries),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
