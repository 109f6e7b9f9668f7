/*
 * dynbuf: the buffer of lib/dynbuf.h.  The first allocation is
 * DYNBUF_FIRST bytes, or what the first append needs; each later one
 * doubles, but never past the cap and its NUL.  A wiping buffer does not
 * realloc(), which may leave the old block behind unzeroed: it takes a
 * new block, copies, and zeroes and frees the old one.  Every size is
 * checked before it is added to, so no append can wrap around.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"

#define DYNBUF_FIRST 1024

void
dynbuf_init(struct dynbuf *b, size_t max, int flags)
{
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max < DYNBUF_NO_CAP ? max : DYNBUF_NO_CAP;
	b->flags = flags;
	b->failed = 0;
}

/* Frees the block, zeroing it first when the buffer wipes. */
static void
dynbuf_release(struct dynbuf *b)
{
	if (b->buf != NULL && (b->flags & DYNBUF_WIPE))
		explicit_bzero(b->buf, b->cap);
	free(b->buf);
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
}

void
dynbuf_free(struct dynbuf *b)
{
	dynbuf_release(b);
	b->failed = 0;
}

void
dynbuf_reset(struct dynbuf *b)
{
	if (b->buf == NULL)
		return;
	if (b->flags & DYNBUF_WIPE)
		explicit_bzero(b->buf, b->len);
	b->len = 0;
	b->buf[0] = '\0';
}

/* Fails the buffer for why: freed, and every later append refused. */
static int
dynbuf_poison(struct dynbuf *b, int why)
{
	dynbuf_release(b);
	b->failed = why;
	return -1;
}

void
dynbuf_fail(struct dynbuf *b)
{
	if (!b->failed)
		dynbuf_poison(b, DYNBUF_NOMEM);
}

int
dynbuf_reserve(struct dynbuf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return -1;
	if (n > b->max - b->len)
		return dynbuf_poison(b, DYNBUF_TOOBIG);
	want = b->len + n + 1; /* at most max + 1: cannot wrap */
	if (want <= b->cap)
		return 0;
	cap = b->cap > 0 ? b->cap : DYNBUF_FIRST;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if (b->flags & DYNBUF_WIPE) {
		if ((p = malloc(cap)) == NULL)
			return dynbuf_poison(b, DYNBUF_NOMEM);
		if (b->buf != NULL) {
			memcpy(p, b->buf, b->len + 1);
			explicit_bzero(b->buf, b->cap);
			free(b->buf);
		}
	} else if ((p = realloc(b->buf, cap)) == NULL)
		return dynbuf_poison(b, DYNBUF_NOMEM);
	b->buf = p;
	b->cap = cap;
	return 0;
}

int
dynbuf_add(struct dynbuf *b, const void *p, size_t n)
{
	if (dynbuf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

int
dynbuf_adds(struct dynbuf *b, const char *s)
{
	return dynbuf_add(b, s, strlen(s));
}

int
dynbuf_vaddf(struct dynbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	size_t avail;
	int n;

	if (b->failed)
		return -1;
	/* first into the room there is; most appends fit */
	avail = b->buf != NULL ? b->cap - b->len : 0;
	va_copy(aq, ap);
	n = vsnprintf(avail > 0 ? b->buf + b->len : NULL, avail, fmt, aq);
	va_end(aq);
	if (n < 0)
		return dynbuf_poison(b, DYNBUF_NOMEM);
	if ((size_t)n >= avail) { /* the cut try is written over */
		if (dynbuf_reserve(b, (size_t)n) == -1)
			return -1;
		vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int
dynbuf_addf(struct dynbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dynbuf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
dynbuf_ptr(const struct dynbuf *b)
{
	return b->buf != NULL ? b->buf : "";
}

size_t
dynbuf_len(const struct dynbuf *b)
{
	return b->len;
}

int
dynbuf_failed(const struct dynbuf *b)
{
	return b->failed;
}

char *
dynbuf_take(struct dynbuf *b, size_t *len)
{
	char *p;
	size_t n;

	if (!b->failed && b->buf == NULL)
		dynbuf_add(b, "", 0); /* nothing added: an empty string */
	if (b->failed) {
		dynbuf_free(b);
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	p = b->buf;
	n = b->len;
	b->buf = NULL;
	b->len = 0;
	b->cap = 0;
	if (len != NULL)
		*len = n;
	return p;
}
