/*
 * web: the web views behind the HTTP server: login and logout, the
 * mayor's indicator view (/mayor, /mayor.csv), an OPD head's view (/opd),
 * report pages (/reports/CODE) with the audited unseal and the heads'
 * actions.  It owns who may see what: sessions and CSRF tokens, the roles
 * (an OPD user sees its own OPD only; another OPD's report is "not found",
 * the mayor's pages are 403), failed-login limits, and the headers every
 * page gets.  Reads go through a read-only connection; every write (an
 * audit row, an action) through the writer.  Independent of
 * libmicrohttpd: the server hands in a request and sends the response.
 */
#ifndef HOTLINE_WEB_H
#define HOTLINE_WEB_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "queue/memkey.h"
#include "queue/writer.h"

struct web_request {
	const char *method;
	const char *path;  /* without the query */
	const char *query; /* after '?', or NULL */
	const char *cookie;
	const char *content_type;
	const char *body; /* a POST's form, or NULL */
	size_t len;
	const char *client; /* the peer's address, for login limits */
};

struct web_response {
	int status;
	char *body; /* malloc'd */
	size_t len;
	const char *content_type;
	char location[512];	 /* for 303, or "" */
	const char *disposition; /* Content-Disposition, or NULL */
	char cookies[2][256];	 /* Set-Cookie values, "" unused */
};

struct web;

struct web *web_new(const struct config *, struct writer *,
    const struct memkey *, char *err, size_t errlen);
void web_free(struct web *);

/* Is path one of the web views' (so that the server hands it over)? */
int web_owns(const char *path);

/*
 * Answer req into resp (which need not be zeroed).  The caller adds the
 * security headers of web_headers and frees resp->body.
 */
void web_handle(
    struct web *, const struct web_request *req, struct web_response *resp);

/* Housekeeping, every second: sessions idle too long end now. */
void web_tick(struct web *, time_t now);

/* The headers every web page gets: name, value pairs, NULL-terminated. */
extern const char *const web_headers[];

#endif
