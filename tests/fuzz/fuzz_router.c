/*
 * fuzz_router: libFuzzer target for router_route() and router_json() with
 * config/demo.conf (run from the repository root).  The input's first
 * byte chooses whether a location pin comes with it (its coordinates from
 * the next 16 bytes, its name and address split from the rest at a NUL);
 * the rest is the text.  The router must never crash, read out of bounds
 * or leak, and must always give an OPD and valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config/config.h"
#include "queue/router.h"
#include "tests/fuzz/fuzz_demo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct router *r = fuzz_demo_router(NULL);
	struct route_location loc, *locp = NULL;
	struct route rt;
	char *text, *json, *nul;
	json_error_t jerr;
	json_t *j;

	memset(&loc, 0, sizeof loc);
	if (size > 17 && (data[0] & 1)) {
		loc.has_point = 1;
		memcpy(&loc.latitude, data + 1, sizeof loc.latitude);
		memcpy(&loc.longitude, data + 9, sizeof loc.longitude);
		data += 17;
		size -= 17;
		locp = &loc;
	}
	if ((text = malloc(size + 2)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	if (locp != NULL && (nul = memchr(text, '\0', size)) != NULL) {
		loc.name = text;
		loc.address = nul + 1;
		router_route(r, nul + 1, locp, &rt);
	} else
		router_route(r, text, locp, &rt);
	if (rt.opd == NULL || rt.nevidence > ROUTE_MAX_EVIDENCE)
		abort();
	if ((json = router_json(&rt)) == NULL)
		abort();
	if ((j = json_loads(json, 0, &jerr)) == NULL)
		abort();
	json_decref(j);
	free(json);
	free(text);
	return 0;
}
