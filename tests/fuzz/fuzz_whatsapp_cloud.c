/*
 * fuzz_whatsapp_cloud: libFuzzer target for the WhatsApp Cloud adapter.
 * Every input is a webhook body: it is verified (against a signature made
 * for another body, so mostly refused) and parsed; the first byte also
 * picks whether the channel routes on a phone_number_id.
 */
#include "tests/fuzz/fuzzlib.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c = fixture_channel(PROVIDER_WHATSAPP_CLOUD);
	struct kv hdr = {"X-Hub-Signature-256", FIXTURE_WA_TEXT_SIG};
	struct webhook_request r =
	    fuzzlib_request(data, size, NULL, NULL, &hdr, 1, FIXTURE_NOW);
	struct inbound_batch *out;

	if (size == 0 || !(data[0] & 1))
		c.phone_number_id = NULL;
	out = fuzzlib_run(&c, &r);
	if (out != NULL && out->nmessages + out->nstatuses > INBOUND_MAX_EVENTS)
		abort();
	inbound_batch_free(out);
	return 0;
}
