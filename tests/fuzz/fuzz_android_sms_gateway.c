/*
 * fuzz_android_sms_gateway: libFuzzer target for the SMS Gateway for
 * Android adapter.  Every input is a webhook body, verified against the
 * fixture's headers (mostly refused) and parsed.
 */
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c = fixture_channel(PROVIDER_ANDROID_SMS_GATEWAY);
	struct kv hdr[2] = {
	    {"X-Timestamp", FIXTURE_ASG_TS}, {"X-Signature", FIXTURE_ASG_SIG}};
	struct webhook_request r =
	    fuzzlib_request(data, size, NULL, NULL, hdr, 2, FIXTURE_NOW + 10);
	struct inbound_batch *out = fuzzlib_run(&c, &r);

	/* one event per request */
	if (out != NULL && out->nmessages + out->nstatuses > 1)
		abort();
	inbound_batch_free(out);
	return 0;
}
