/*
 * form: application/x-www-form-urlencoded decoding and encoding.  Decoding
 * splits on "&", then on the first "=", turns "+" into a space and %XX
 * into a byte, and refuses a bad escape or a decoded NUL; the pairs keep
 * their order and duplicates.  Encoding escapes everything but the RFC
 * 3986 unreserved characters, as curl_easy_escape does.  A decoded form
 * holds a sender's number or a password: form_free() wipes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "adapters/form.h"

static int
form_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode s[0..len) into out, NUL-terminated; return the next free byte of
 * out, or NULL when the encoding is malformed.
 */
static char *
form_decode(char *out, const char *s, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			*out++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= len)
				return NULL;
			if ((hi = form_hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = form_hexval((unsigned char)s[i + 2])) < 0)
				return NULL;
			if ((*out++ = (char)(hi << 4 | lo)) == '\0')
				return NULL;
			i += 2;
		} else if (s[i] == '\0')
			return NULL;
		else
			*out++ = s[i];
	}
	*out++ = '\0';
	return out;
}

int
form_parse(struct form *f, const char *s, size_t len, char *err, size_t errlen)
{
	const char *p = s, *end = s + len, *amp, *eq;
	char *w, *name, *value;

	f->npairs = 0;
	f->buf = NULL;
	/* decoded text is never longer; two NULs per pair, at most */
	f->cap = 2 * len + 2;
	if ((f->buf = malloc(f->cap)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	w = f->buf;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (f->npairs == FORM_MAX_PAIRS) {
			snprintf(err, errlen, "form has more than %d fields",
			    FORM_MAX_PAIRS);
			goto fail;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		name = w;
		if ((w = form_decode(w, p, (size_t)(eq - p))) == NULL)
			goto malformed;
		value = w;
		if (eq < amp)
			w = form_decode(w, eq + 1, (size_t)(amp - eq - 1));
		else
			*w++ = '\0';
		if (w == NULL)
			goto malformed;
		f->pairs[f->npairs].key = name;
		f->pairs[f->npairs].value = value;
		f->npairs++;
		p = amp + 1;
	}
	return 0;
malformed:
	snprintf(err, errlen, "form encoding is malformed");
fail:
	form_free(f);
	return -1;
}

void
form_free(struct form *f)
{
	if (f == NULL)
		return;
	/* a sender's number, a message, a password: not left in the heap */
	if (f->buf != NULL)
		sodium_memzero(f->buf, f->cap);
	free(f->buf);
	f->buf = NULL;
	f->cap = 0;
	f->npairs = 0;
}

const char *
form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->npairs; i++)
		if (strcmp(f->pairs[i].key, name) == 0)
			return f->pairs[i].value;
	return NULL;
}

static int
form_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static char *
form_escape(char *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (form_unreserved(*p))
			*w++ = (char)*p;
		else {
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 0x0f];
		}
	}
	return w;
}

char *
form_encode(const struct kv *pairs, size_t n, size_t *lenp)
{
	size_t i, need = 1;
	char *buf, *w;

	for (i = 0; i < n; i++)
		need += 3 * (strlen(pairs[i].key) + strlen(pairs[i].value)) + 2;
	if ((buf = malloc(need)) == NULL)
		return NULL;
	w = buf;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*w++ = '&';
		w = form_escape(w, pairs[i].key);
		*w++ = '=';
		w = form_escape(w, pairs[i].value);
	}
	*w = '\0';
	if (lenp != NULL)
		*lenp = (size_t)(w - buf);
	return buf;
}
