/*
 * fuzz_excerpt: libFuzzer target for the redacted excerpt that an OPD may
 * receive in alerts.  Whatever the text, alerts_excerpt() must stay within
 * ALERTS_EXCERPT_MAX bytes, end in a NUL, keep valid UTF-8 valid (it cuts
 * only at character boundaries), hold no line break or tab, and leave no
 * run of 8 digits or more that is not an amount written with thousands
 * dots: a phone or NIK number never reaches an alert.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/text.h"
#include "queue/alerts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is s[0..n) valid UTF-8 (as adapters/text.c reads a provider's text)? */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	return text_utf8_length((const char *)s, n) >= 0;
}

/* Written as an amount: 1.500.000, no leading zero, at most 10 digits. */
static int
amount(const char *p, size_t n)
{
	size_t i, group = 0, dots = 0;

	if (p[0] == '0' || n > 13)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] == '.') {
			if (group == 0 || group > 3 || (dots > 0 && group != 3))
				return 0;
			dots++;
			group = 0;
		} else if (isdigit((unsigned char)p[i]))
			group++;
		else
			return 0;
	return dots > 0 && group == 3;
}

/* Every run of 8 digits or more left in s is an amount. */
static void
check_digits(const char *s)
{
	size_t i, end, digits;

	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			continue;
		for (i = 0, end = 0, digits = 0;
		     s[i] != '\0' && strchr("0123456789 .-()", s[i]) != NULL;
		     i++)
			if (isdigit((unsigned char)s[i])) {
				digits++;
				end = i + 1;
			}
		if (digits >= 8 && !amount(s, end))
			abort();
		s += end - 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[ALERTS_EXCERPT_MAX + 1];
	char *text = malloc(size + 1);
	size_t n;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(out, 'x', sizeof out);
	alerts_excerpt(text, out);
	n = strnlen(out, sizeof out);
	if (n > ALERTS_EXCERPT_MAX)
		abort();
	if (strpbrk(out, "\n\r\t") != NULL)
		abort();
	if (utf8_valid((const unsigned char *)text, strlen(text)) &&
	    !utf8_valid((const unsigned char *)out, n))
		abort();
	check_digits(out);
	free(text);
	return 0;
}
