/*
 * fuzz_whatsapp_cloud: libFuzzer target for the WhatsApp Cloud adapter.
 * Every input is a webhook body: it is verified (against a signature made
 * for another body, so mostly refused) and parsed; the first byte also
 * picks whether the channel routes on a phone_number_id.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"

extern const struct adapter whatsapp_cloud_adapter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c;
	struct kv hdr = {"X-Hub-Signature-256",
	    "sha256=9c4af49cc728c0bef92896c1be7f3302f5618b497783ccabd94fdd8c3a"
	    "bea57d"};
	struct webhook_request r;
	struct inbound_batch *out;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.name = "wa";
	c.provider = PROVIDER_WHATSAPP_CLOUD;
	c.app_secret = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
	c.verify_token = "verify-token-for-tests";
	if (size > 0 && (data[0] & 1))
		c.phone_number_id = "115522334455667";
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.body = (const char *)data;
	r.body_len = size;
	r.headers = &hdr;
	r.nheaders = 1;
	r.now = 1795314600;
	(void)whatsapp_cloud_adapter.verify(&c, &r, err, sizeof(err));
	if ((out = calloc(1, sizeof(*out))) == NULL)
		return 0;
	if (whatsapp_cloud_adapter.parse(&c, &r, out, err, sizeof(err)) == 0 &&
	    out->nmessages + out->nstatuses > INBOUND_MAX_EVENTS)
		abort();
	free(out);
	return 0;
}
