/*
 * fuzz_smssync: libFuzzer target for the SMSSync adapter: arbitrary bodies
 * through verify (the shared secret) and parse, with a fixed channel.
 */
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c = fixture_channel(PROVIDER_SMSSYNC);
	struct webhook_request r = fuzzlib_request(data, size, c.webhook_url,
	    "application/x-www-form-urlencoded", NULL, 0, FIXTURE_NOW);
	struct inbound_batch *out = fuzzlib_run(&c, &r);

	/* one message, from a normalised number */
	if (out != NULL &&
	    (out->nmessages != 1 || out->messages[0].sender[0] != '+'))
		abort();
	inbound_batch_free(out);
	return 0;
}
