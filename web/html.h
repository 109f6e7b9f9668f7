/*
 * html: building the server-rendered pages of the web views.  A growing
 * buffer; text from the database or the user always goes in through
 * html_text() (escaped), markup through html_raw() and html_printf()
 * (trusted: never pass them user data).  The page frame is one function
 * pair, so that every page has the same head, style and navigation, and
 * no external asset: the style is inline, there is no script.
 */
#ifndef HOTLINE_HTML_H
#define HOTLINE_HTML_H

#include <stddef.h>

#include "lib/dynbuf.h"

/* A page being written: a lib/dynbuf.h buffer without a cap. */
struct html {
	struct dynbuf b;
};

void html_init(struct html *);
void html_free(struct html *);
/*
 * Memory ran out while the page was being built (elsewhere): it is
 * dropped, every later write does nothing and html_take() gives NULL.
 */
void html_fail(struct html *);

/* Trusted markup, as is. */
void html_raw(struct html *, const char *markup);
/* Trusted markup, printf-style; string arguments are NOT escaped. */
void html_printf(struct html *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text (or an attribute value), escaped: & < > " ' become entities. */
void html_text(struct html *, const char *text);
/*
 * A count: "<5" when suppress is set and 0 < n < 5 (small counts can
 * point at a reporter), else the number with thousands dots (12.345).
 */
void html_count(struct html *, long long n, int suppress);

/* Who is logged in, for the page frame; NULL: nobody. */
struct html_user {
	const char *name;
	const char *role;     /* "mayor" or "opd" */
	const char *opd_name; /* the OPD of an opd user, NULL for the mayor */
	const char *csrf;     /* the session's token, for the logout form */
};

/*
 * <!doctype html> ... <body>, with the title, the inline style (readable
 * on a phone), and a header naming the city, the user and a logout form
 * (POST /logout with the CSRF token) when user is not NULL.
 */
void html_page_begin(struct html *, const char *city, const char *title,
    const struct html_user *user);
/* </main></body></html> */
void html_page_end(struct html *);

/* A hidden CSRF field: <input type="hidden" name="csrf" value="...">. */
void html_csrf(struct html *, const char *token);

/*
 * html_page_end, then the page into *page (free()): 0, or -1 with err
 * set when memory ran out.
 */
int html_page_finish(
    struct html *, char **page, size_t *len, char *err, size_t errlen);

/* The buffer, NUL-terminated, given to the caller (free()), or NULL. */
char *html_take(struct html *, size_t *len);

#endif
