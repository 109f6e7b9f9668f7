/*
 * text: checks on the text providers hand us.  Valid UTF-8 (lib/utf8.c:
 * shortest forms, no surrogates, nothing above U+10FFFF), no NUL byte, at
 * most so many code points; then a checked copy, into a bounded buffer or
 * onto the heap exactly as long as the text.  Nothing here quotes the text
 * in an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/text.h"
#include "lib/utf8.h"

/* s[0..len) is valid UTF-8 of at most maxchars code points, no NUL. */
static int
text_check(const char *s, size_t len, size_t maxchars, char *err, size_t errlen)
{
	long n;

	if ((n = utf8_length(s, len)) < 0) {
		snprintf(err, errlen, "text is not valid UTF-8");
		return -1;
	}
	if (len > 0 && memchr(s, '\0', len) != NULL) {
		snprintf(err, errlen, "text holds a NUL byte");
		return -1;
	}
	if ((size_t)n > maxchars) {
		snprintf(err, errlen, "text is longer than %zu characters",
		    maxchars);
		return -1;
	}
	return 0;
}

int
text_copy(char *dst, size_t dstlen, const char *s, size_t len, size_t maxchars,
    char *err, size_t errlen)
{
	if (dstlen > 0)
		dst[0] = '\0';
	if (text_check(s, len, maxchars, err, errlen) == -1)
		return -1;
	if (len >= dstlen) {
		snprintf(err, errlen, "text does not fit");
		return -1;
	}
	if (len > 0)
		memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

int
text_dup(char **dst, const char *s, size_t len, size_t maxchars, char *err,
    size_t errlen)
{
	char *copy;

	if (text_check(s, len, maxchars, err, errlen) == -1)
		return -1;
	if ((copy = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	*dst = copy;
	return 0;
}
