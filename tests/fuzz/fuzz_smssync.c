/*
 * fuzz_smssync: libFuzzer target for the SMSSync adapter: arbitrary bodies
 * through verify (the shared secret) and parse, with a fixed channel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapter.h"

extern const struct adapter smssync_adapter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct channel ch;
	struct webhook_request req;
	struct inbound_batch *out;
	char err[256];
	int rc;

	memset(&ch, 0, sizeof(ch));
	ch.name = "smssync";
	ch.provider = PROVIDER_SMSSYNC;
	ch.webhook_url = "https://lapor.pemkot.example/hooks/smssync";
	ch.secret = "smssync-shared-secret-for-tests";

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = ch.webhook_url;
	req.content_type = "application/x-www-form-urlencoded";
	req.body = (const char *)data;
	req.body_len = size;
	req.now = 1795314600;

	rc = smssync_adapter.verify(&ch, &req, err, sizeof(err));
	if (rc != 0 && rc != 400 && rc != 401 && rc != 403)
		abort();
	if ((out = calloc(1, sizeof(*out))) == NULL)
		return 0;
	rc = smssync_adapter.parse(&ch, &req, out, err, sizeof(err));
	if (rc != 0 && rc != 400)
		abort();
	if (rc == 0 &&
	    (out->nmessages != 1 || out->messages[0].sender[0] != '+'))
		abort();
	free(out);
	return 0;
}
