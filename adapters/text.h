/*
 * text: checks on message text from providers: valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF: lib/utf8.h, which also
 * counts its code points), a bounded copy and a heap copy.
 */
#ifndef HOTLINE_TEXT_H
#define HOTLINE_TEXT_H

#include <stddef.h>

/*
 * Copy s[0..len) into dst (dstlen bytes, NUL-terminated) after checking it
 * is valid UTF-8 of at most maxchars code points and holds no NUL byte.
 * Returns 0, or -1 with err set ("text is not valid UTF-8", "text is
 * longer than N characters", "text does not fit").
 */
int text_copy(char *dst, size_t dstlen, const char *s, size_t len,
    size_t maxchars, char *err, size_t errlen);

/*
 * The same checks, then a malloc'd copy of s[0..len), NUL-terminated and
 * exactly len + 1 bytes (an empty text is one byte, ""), into *dst; the
 * caller frees it.  Returns 0, or -1 with err set (as text_copy(), or "out
 * of memory") and *dst as it was.  s may be NULL when len is 0.
 */
int text_dup(char **dst, const char *s, size_t len, size_t maxchars, char *err,
    size_t errlen);

#endif
