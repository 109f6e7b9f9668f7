/*
 * dynbuf: a growable buffer with a cap, after curl's dynbuf.  What is in
 * it is always followed by a NUL, so a buffer of text is a string.  The
 * first append that fails, for want of memory or because it would pass
 * the cap, frees the buffer and poisons it: every later append does
 * nothing and fails, and dynbuf_take() gives NULL.  So a caller may build
 * a whole text without checking each call, and check once at the end.
 * With DYNBUF_WIPE every block the buffer lets go of is zeroed first, for
 * buffers that hold what must not linger in freed memory (a raw request
 * body names its sender).
 */
#ifndef HOTLINE_DYNBUF_H
#define HOTLINE_DYNBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define DYNBUF_WIPE 0x01 /* zero each block before it is freed */

/* The cap of a buffer bounded by memory alone. */
#define DYNBUF_NO_CAP (SIZE_MAX - 1)

/* Why a buffer failed (dynbuf_failed()). */
#define DYNBUF_NOMEM  1 /* out of memory, or an encoding error of addf */
#define DYNBUF_TOOBIG 2 /* an append would have passed the cap */

struct dynbuf {
	char *buf;
	size_t len; /* bytes held, the NUL after them not counted */
	size_t cap; /* bytes allocated */
	size_t max; /* the cap: bytes it may hold at most */
	int flags;
	int failed; /* 0, DYNBUF_NOMEM or DYNBUF_TOOBIG */
};

/*
 * An empty buffer that holds at most max bytes (at most DYNBUF_NO_CAP),
 * with flags (DYNBUF_WIPE or 0).  Nothing is allocated until the first
 * append.
 */
void dynbuf_init(struct dynbuf *, size_t max, int flags);
/*
 * Frees what the buffer holds (zeroed first with DYNBUF_WIPE); it is then
 * as dynbuf_init() left it, with its cap and flags, and not failed.
 */
void dynbuf_free(struct dynbuf *);
/* Empty again, the allocation kept (what it held zeroed with WIPE). */
void dynbuf_reset(struct dynbuf *);

/*
 * Room for n more bytes (and the NUL) in one allocation, for a caller
 * that knows the size to come: 0, or -1 when the buffer failed (past its
 * cap: DYNBUF_TOOBIG).
 */
int dynbuf_reserve(struct dynbuf *, size_t n);
/* Appends p[0..n): 0, or -1 when the buffer failed, now or before. */
int dynbuf_add(struct dynbuf *, const void *p, size_t n);
/* Appends the string s, as dynbuf_add(). */
int dynbuf_adds(struct dynbuf *, const char *s);
/* Appends printf-style, as dynbuf_add(). */
int dynbuf_addf(struct dynbuf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dynbuf_vaddf(struct dynbuf *, const char *fmt, va_list);
/*
 * Fails the buffer as an append out of memory would: for a caller that
 * ran out of memory elsewhere while building it.
 */
void dynbuf_fail(struct dynbuf *);

/* What the buffer holds, NUL-terminated; "" when nothing or failed. */
const char *dynbuf_ptr(const struct dynbuf *);
/* Its length, the NUL not counted; 0 when failed. */
size_t dynbuf_len(const struct dynbuf *);
/* 0, or why the buffer failed: DYNBUF_NOMEM or DYNBUF_TOOBIG. */
int dynbuf_failed(const struct dynbuf *);

/*
 * The buffer itself, NUL-terminated and the caller's to free(), its
 * length into *len when len is not NULL; a buffer nothing was added to
 * gives "".  NULL (and a length of 0) when the buffer failed or memory ran
 * out.  Either way the buffer is then as dynbuf_free() leaves it.
 */
char *dynbuf_take(struct dynbuf *, size_t *len);

#endif
