/*
 * fuzz_demo: config/demo.conf (Kota Kediri) and its router, made once for
 * a whole fuzzing run, for the targets that read citizens' texts (run
 * from the repository root).  Both live as long as the process.
 */
#ifndef HOTLINE_FUZZ_DEMO_H
#define HOTLINE_FUZZ_DEMO_H

#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "queue/router.h"

static inline const struct router *
fuzz_demo_router(const struct config **cfgp)
{
	static struct config *cfg;
	static struct router *r;
	char errs[4096];

	if (r == NULL) {
		if ((cfg = config_load(
			 "config/demo.conf", errs, sizeof errs)) == NULL) {
			fprintf(stderr, "%s", errs);
			abort();
		}
		if ((r = router_new(cfg, errs, sizeof errs)) == NULL) {
			fprintf(stderr, "%s\n", errs);
			abort();
		}
	}
	if (cfgp != NULL)
		*cfgp = cfg;
	return r;
}

#endif
