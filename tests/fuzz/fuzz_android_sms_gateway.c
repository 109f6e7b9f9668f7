/*
 * fuzz_android_sms_gateway: libFuzzer target for the SMS Gateway for
 * Android adapter.  Every input is a webhook body, verified against the
 * fixture's headers (mostly refused) and parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"

extern const struct adapter android_sms_gateway_adapter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel c;
	struct kv hdr[2] = {{"X-Timestamp", "1795314600"},
	    {"X-Signature",
		"71192ab0d68a64f4bc14991fffbb95981e621f6c8923166cc5"
		"e8709e83ef1ac9"}};
	struct webhook_request r;
	struct inbound_batch *out;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.name = "sms";
	c.provider = PROVIDER_ANDROID_SMS_GATEWAY;
	c.signing_key = "asg-signing-key-for-tests";
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.body = (const char *)data;
	r.body_len = size;
	r.headers = hdr;
	r.nheaders = 2;
	r.now = 1795314610;
	(void)android_sms_gateway_adapter.verify(&c, &r, err, sizeof(err));
	if ((out = calloc(1, sizeof(*out))) == NULL)
		return 0;
	if (android_sms_gateway_adapter.parse(&c, &r, out, err, sizeof(err)) ==
		0 &&
	    out->nmessages + out->nstatuses > 1)
		abort();
	free(out);
	return 0;
}
