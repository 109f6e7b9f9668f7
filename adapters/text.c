/*
 * text: UTF-8 checks on the text providers hand us.  A decoder that
 * accepts only shortest forms, no surrogates and nothing above U+10FFFF
 * (RFC 3629), a code point count, and checked copies: into a bounded
 * buffer, or onto the heap exactly as long as the text.  Nothing here
 * quotes the text in an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/text.h"

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 when the bytes
 * there are not one.
 */
static size_t
text_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
		return 0; /* overlong */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0; /* surrogate */
	if (cp > 0x10ffff)
		return 0;
	return n;
}

long
text_utf8_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	long count = 0;

	while (i < len) {
		if ((n = text_sequence(p + i, len - i)) == 0)
			return -1;
		i += n;
		count++;
	}
	return count;
}

/* s[0..len) is valid UTF-8 of at most maxchars code points, no NUL. */
static int
text_check(const char *s, size_t len, size_t maxchars, char *err, size_t errlen)
{
	long n;

	if ((n = text_utf8_length(s, len)) < 0) {
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
