/*
 * fuzzlib: what the adapter fuzz targets share.  Each target is built on
 * its own with the library sources (see the Makefile's fuzz rule), so this
 * is a header of static inline functions: the webhook request an input
 * becomes, and one pass through an adapter's verify and parse that
 * aborts when either answers outside the contract of adapters/adapter.h.
 * The channels and signatures come from tests/fixtures.h.
 */
#ifndef HOTLINE_FUZZLIB_H
#define HOTLINE_FUZZLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/adapter.h"
#include "tests/fixtures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A POST of data[0..size) to url with its content type and headers. */
static inline struct webhook_request
fuzzlib_request(const uint8_t *data, size_t size, const char *url,
    const char *content_type, const struct kv *headers, size_t nheaders,
    time_t now)
{
	struct webhook_request r;

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.url = url;
	r.content_type = content_type;
	r.body = (const char *)data;
	r.body_len = size;
	r.headers = headers;
	r.nheaders = nheaders;
	r.now = now;
	return r;
}

/*
 * Verify and parse r with c's adapter: abort when verify answers other
 * than 0, 400, 401 or 403, or parse other than 0 or 400 (or leaves events
 * behind when it refuses).  Returns the parsed batch for the target's own
 * checks (free it), or NULL when parse refused or memory ran out.
 */
static inline struct inbound_batch *
fuzzlib_run(const struct channel *c, const struct webhook_request *r)
{
	const struct adapter *a = adapter_for(c->provider);
	struct inbound_batch *out;
	char err[256];
	int rc;

	rc = a->verify(c, r, err, sizeof(err));
	if (rc != 0 && rc != 400 && rc != 401 && rc != 403)
		abort();
	if ((out = calloc(1, sizeof(*out))) == NULL)
		return NULL;
	rc = a->parse(c, r, out, err, sizeof(err));
	if (rc != 0 && rc != 400)
		abort();
	if (rc != 0 && out->nmessages + out->nstatuses != 0)
		abort();
	if (rc != 0) {
		free(out);
		return NULL;
	}
	return out;
}

#endif
