/*
 * utf8: is it UTF-8, and how many characters.  Valid means RFC 3629: the
 * shortest form of each code point, no surrogates (U+D800 to U+DFFF),
 * nothing above U+10FFFF.  Every text a provider hands us is checked with
 * it (adapters/text.h), and so is what the router writes into JSON.
 */
#ifndef HOTLINE_UTF8_H
#define HOTLINE_UTF8_H

#include <stddef.h>

/* Number of code points in s[0..len), or -1 when it is not valid UTF-8. */
long utf8_length(const char *s, size_t len);
/* 1 when the string s is valid UTF-8, else 0. */
int utf8_valid(const char *s);

#endif
