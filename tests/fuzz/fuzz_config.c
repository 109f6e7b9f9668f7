/*
 * fuzz_config: libFuzzer target for config_load().  Each input is written
 * to a file in a private temporary directory and loaded; the loader must
 * never crash, leak or read out of bounds, whatever the bytes.  Writing a
 * real file keeps config.c to its one entry point, config_load(path).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
fuzz_path(void)
{
	static char path[64];
	char dir[] = "/tmp/fuzz_config.XXXXXX";

	if (path[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof path, "%s/fuzz.conf", dir);
	}
	return path;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path();
	char errs[4096];
	struct config *cfg;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	cfg = config_load(path, errs, sizeof errs);
	if (cfg == NULL && errs[0] == '\0')
		abort(); /* a failure must say why */
	if (cfg != NULL && errs[0] != '\0')
		abort(); /* and success says nothing */
	config_free(cfg);
	return 0;
}
