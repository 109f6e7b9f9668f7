/*
 * form: application/x-www-form-urlencoded bodies and query strings,
 * decoded ("+" is a space, %XX a byte) into name/value pairs in the order
 * they came, duplicates kept.
 */
#ifndef HOTLINE_FORM_H
#define HOTLINE_FORM_H

#include <stddef.h>

#include "adapters/adapter.h"

#define FORM_MAX_PAIRS 128

struct form {
	struct kv pairs[FORM_MAX_PAIRS];
	size_t npairs;
	char *buf;  /* decoded strings live here */
	size_t cap; /* of buf: wiped when freed */
};

/*
 * Decode s[0..len).  Returns 0, or -1 with err set when the encoding is
 * malformed (a bad %XX escape, a decoded NUL byte) or there are more than
 * FORM_MAX_PAIRS pairs.  Free with form_free().
 */
int form_parse(
    struct form *, const char *s, size_t len, char *err, size_t errlen);
void form_free(struct form *);
/* The first value of name, or NULL. */
const char *form_get(const struct form *, const char *name);
/*
 * Encode pairs as "name=value&..." escaping all but A-Z a-z 0-9 - . _ ~
 * (as curl_easy_escape does).  Returns a malloc'd, NUL-terminated string
 * (its length in *lenp when not NULL), or NULL when out of memory.
 */
char *form_encode(const struct kv *pairs, size_t n, size_t *lenp);

#endif
