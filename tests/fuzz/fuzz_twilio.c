/*
 * fuzz_twilio: libFuzzer target for the Twilio adapter.  Every input is
 * both verified (as a body signed with an arbitrary header) and parsed,
 * with a fixed channel, so the form decoder, the signature code and the
 * parser all see arbitrary bytes.
 */
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c = fixture_channel(PROVIDER_TWILIO);
	struct kv hdr = {"X-Twilio-Signature", FIXTURE_TWILIO_SMS_SIG};
	struct webhook_request r = fuzzlib_request(data, size, c.webhook_url,
	    "application/x-www-form-urlencoded", &hdr, 1, FIXTURE_NOW);
	struct inbound_batch *out = fuzzlib_run(&c, &r);

	/* one event (its text is checked by fuzzlib_run) */
	if (out != NULL && out->nmessages + out->nstatuses != 1)
		abort();
	inbound_batch_free(out);
	return 0;
}
