/*
 * fuzz_twilio: libFuzzer target for the Twilio adapter.  Every input is
 * both verified (as a body signed with an arbitrary header) and parsed,
 * with a fixed channel, so the form decoder, the signature code and the
 * parser all see arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"

extern const struct adapter twilio_adapter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel ch;
	struct webhook_request req;
	struct inbound_batch *out;
	struct kv headers[1] = {
	    {"X-Twilio-Signature", "NwaeQfqPjgvrfF1f54AXYhu5WDQ="}};
	char err[256];
	int rc;

	memset(&ch, 0, sizeof(ch));
	ch.name = "twilio";
	ch.provider = PROVIDER_TWILIO;
	ch.webhook_url = "https://lapor.pemkot.example/hooks/twilio/sms";
	ch.auth_token = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
	ch.account_sid = "AC9a8b7c6d5e4f30211203a4b5c6d7e8f9";
	ch.from = "+6281100002222";

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = ch.webhook_url;
	req.content_type = "application/x-www-form-urlencoded";
	req.body = (const char *)data;
	req.body_len = size;
	req.headers = headers;
	req.nheaders = 1;
	req.now = 1795314600;

	rc = twilio_adapter.verify(&ch, &req, err, sizeof(err));
	if (rc != 0 && rc != 400 && rc != 401 && rc != 403)
		abort();
	if ((out = calloc(1, sizeof(*out))) == NULL)
		return 0;
	rc = twilio_adapter.parse(&ch, &req, out, err, sizeof(err));
	if (rc != 0 && rc != 400)
		abort();
	if (rc == 0 && out->nmessages + out->nstatuses != 1)
		abort();
	if (rc == 0 && out->nmessages == 1 &&
	    memchr(out->messages[0].text, '\0',
		sizeof(out->messages[0].text)) == NULL)
		abort();
	free(out);
	return 0;
}
