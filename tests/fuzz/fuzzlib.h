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
#include "lib/utf8.h"
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
 * than 0, 400, 401 or 403, or parse other than 0 or 400, when it refuses
 * and leaves events or texts behind, or accepts a message whose text is
 * missing, not valid UTF-8 or over INBOUND_MAX_TEXT characters.  Returns
 * the parsed batch for the target's own checks (inbound_batch_free()),
 * or NULL when parse refused or memory ran out.
 */
static inline struct inbound_batch *
fuzzlib_run(const struct channel *c, const struct webhook_request *r)
{
	const struct adapter *a = adapter_for(c->provider);
	struct inbound_batch *out;
	char err[256];
	size_t i;
	long n;
	int rc;

	rc = a->verify(c, r, err, sizeof(err));
	if (rc != 0 && rc != 400 && rc != 401 && rc != 403)
		abort();
	if ((out = inbound_batch_new()) == NULL)
		return NULL;
	rc = a->parse(c, r, out, err, sizeof(err));
	if (rc != 0 && rc != 400)
		abort();
	if (rc != 0 && out->nmessages + out->nstatuses != 0)
		abort();
	for (i = 0; i < INBOUND_MAX_EVENTS; i++) {
		const char *t = out->messages[i].text;

		if (i >= out->nmessages) {
			if (t != NULL) /* a text nobody would free */
				abort();
			continue;
		}
		if (t == NULL || (n = utf8_length(t, strlen(t))) < 0 ||
		    n > INBOUND_MAX_TEXT)
			abort();
	}
	if (rc != 0) {
		inbound_batch_free(out);
		return NULL;
	}
	return out;
}

#endif
