/*
 * fuzz_excerpt: libFuzzer target for the masked text an OPD reads: the
 * excerpt of alerts (alerts_excerpt()) and the whole text of the report
 * page (mask_text() with mask_room()).  Whatever the text, the excerpt
 * stays within ALERTS_EXCERPT_MAX bytes and ends in a NUL; both keep
 * valid UTF-8 valid (cuts only at character boundaries), hold no line
 * break or tab, and leave no run of 8 digits or more but an amount after
 * "Rp" ("Rp 15000000", at most 10 digits): a phone or NIK number never
 * reaches an OPD; and the room mask_room() gives is enough: a larger one
 * changes nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "queue/alerts.h"
#include "lib/utf8.h"
#include "queue/mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does "Rp", "Rp ", "Rp." or "Rp. " end just before p (start at s)? */
static int
after_rupiah(const char *s, const char *p)
{
	if (p > s && p[-1] == ' ')
		p--;
	if (p > s && p[-1] == '.')
		p--;
	return p - s >= 2 && strncasecmp(p - 2, "rp", 2) == 0;
}

/* Every run of 8 ASCII digits or more left in s is an amount after Rp. */
static void
check_digits(const char *s)
{
	const char *p = s;
	size_t n;

	while (*p != '\0') {
		n = strspn(p, "0123456789");
		if (n >= 8 && (n > 10 || !after_rupiah(s, p)))
			abort();
		p += n > 0 ? n : 1;
	}
}

/* What every masked text must be: a line of valid UTF-8, no numbers. */
static void
check_masked(const char *text, const char *out)
{
	if (strpbrk(out, "\n\r\t") != NULL)
		abort();
	if (utf8_valid(text) && !utf8_valid(out))
		abort();
	check_digits(out);
}

/* The text masked whole with mask_room(), and with more room: the same. */
static void
check_whole(const char *text, size_t size)
{
	size_t max = mask_room(size);
	char *out = malloc(max + 1), *more = malloc(2 * max + 1);

	if (out != NULL && more != NULL) {
		mask_text(text, out, max);
		mask_text(text, more, 2 * max);
		if (strlen(out) > max || strcmp(out, more) != 0)
			abort();
		check_masked(text, out);
	}
	free(out);
	free(more);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[ALERTS_EXCERPT_MAX + 1];
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(out, 'x', sizeof out);
	alerts_excerpt(text, out);
	if (strnlen(out, sizeof out) > ALERTS_EXCERPT_MAX)
		abort();
	check_masked(text, out);
	check_whole(text, size);
	free(text);
	return 0;
}
