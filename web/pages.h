/*
 * pages: the web views' pages that are not reports or indicators: the
 * login form and the short pages that say no (400, 403, 404, 413, 429).
 * An error page says only what the visitor may know: a missing report
 * and another OPD's report get the very same page.
 */
#ifndef HOTLINE_PAGES_H
#define HOTLINE_PAGES_H

#include <stddef.h>

#include "config/config.h"
#include "web/html.h"

/* The login form; message (escaped) above it when not NULL. */
char *pages_login(
    const struct config *, const char *csrf, const char *message, size_t *len);

/* A page with a title and one message, for user (NULL: logged out). */
char *pages_message(const struct config *, const struct html_user *user,
    const char *title, const char *message, size_t *len);

#endif
