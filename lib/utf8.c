/*
 * utf8: a decoder that takes one sequence at a time: the lead byte says
 * how many continuation bytes follow (C2..DF one, E0..EF two, F0..F4
 * three; C0, C1 and F5..FF never lead), each must be 10xxxxxx, and the
 * code point they make must need that many bytes, lie outside the
 * surrogates and not pass U+10FFFF.
 */
#include <string.h>

#include "lib/utf8.h"

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 when the bytes
 * there are not one.
 */
static size_t
utf8_sequence(const unsigned char *s, size_t len)
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
utf8_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	long count = 0;

	while (i < len) {
		if ((n = utf8_sequence(p + i, len - i)) == 0)
			return -1;
		i += n;
		count++;
	}
	return count;
}

int
utf8_valid(const char *s)
{
	return utf8_length(s, strlen(s)) >= 0;
}
