/*
 * adapter: the registry of provider adapters and the helpers they share:
 * header and query lookup on a webhook request, freeing a signed request,
 * constant-time comparison of secrets, HMAC-SHA1/SHA256 (OpenSSL
 * libcrypto), hex and base64 encoding.  Pure functions, no I/O.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "adapters/adapter.h"

extern const struct adapter whatsapp_cloud_adapter;
extern const struct adapter twilio_adapter;
extern const struct adapter android_sms_gateway_adapter;
extern const struct adapter smssync_adapter;

const struct adapter *
adapter_for(enum provider p)
{
	switch (p) {
	case PROVIDER_WHATSAPP_CLOUD:
		return &whatsapp_cloud_adapter;
	case PROVIDER_TWILIO:
		return &twilio_adapter;
	case PROVIDER_ANDROID_SMS_GATEWAY:
		return &android_sms_gateway_adapter;
	case PROVIDER_SMSSYNC:
		return &smssync_adapter;
	}
	return NULL;
}

void
signed_request_free(struct signed_request *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

const char *
webhook_header(const struct webhook_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (req->headers[i].key != NULL &&
		    strcasecmp(req->headers[i].key, name) == 0)
			return req->headers[i].value;
	return NULL;
}

const char *
webhook_query(const struct webhook_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nquery; i++)
		if (req->query[i].key != NULL &&
		    strcmp(req->query[i].key, name) == 0)
			return req->query[i].value;
	return NULL;
}

int
adapter_equal_secret(const char *a, const char *b)
{
	size_t alen, blen;

	if (a == NULL || b == NULL)
		return 0;
	alen = strlen(a);
	blen = strlen(b);
	if (alen != blen) {
		/* spend the same time as a comparison of a would */
		(void)CRYPTO_memcmp(a, a, alen);
		return 0;
	}
	return CRYPTO_memcmp(a, b, alen) == 0;
}

static int
adapter_hmac(const EVP_MD *md, const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char *out, unsigned int want)
{
	unsigned int outlen = 0;

	if (keylen > INT_MAX)
		return -1;
	if (HMAC(md, key, (int)keylen, msg, msglen, out, &outlen) == NULL ||
	    outlen != want)
		return -1;
	return 0;
}

int
adapter_hmac_sha1(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[20])
{
	return adapter_hmac(EVP_sha1(), key, keylen, msg, msglen, out, 20);
}

int
adapter_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[32])
{
	return adapter_hmac(EVP_sha256(), key, keylen, msg, msglen, out, 32);
}

void
adapter_hex(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

int
adapter_base64(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	if (len > INT_MAX / 2 || outlen < 4 * ((len + 2) / 3) + 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}
