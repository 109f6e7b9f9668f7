/*
 * adapter: the registry of provider adapters and the helpers they share:
 * header and query lookup on a webhook request, freeing a signed request,
 * constant-time comparison of secrets and signatures, HMAC-SHA1/SHA256
 * (OpenSSL libcrypto), hex and base64 encoding, token ids, the JSON body
 * of a request and of a signed one; and the inbound batch's life: made,
 * its messages wiped, their heap-held texts freed.  Pure functions, no
 * I/O.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

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

/* The value of the first pair named name (compared by cmp), or NULL. */
static const char *
adapter_kv_find(const struct kv *kv, size_t n, const char *name,
    int (*cmp)(const char *, const char *))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kv[i].key != NULL && cmp(kv[i].key, name) == 0)
			return kv[i].value;
	return NULL;
}

const char *
webhook_header(const struct webhook_request *req, const char *name)
{
	return adapter_kv_find(req->headers, req->nheaders, name, strcasecmp);
}

const char *
webhook_query(const struct webhook_request *req, const char *name)
{
	return adapter_kv_find(req->query, req->nquery, name, strcmp);
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

int
adapter_hmac_sha256_hex(
    const char *key, const void *msg, size_t msglen, char out[65])
{
	unsigned char mac[32];

	if (adapter_hmac_sha256(
		key, strlen(key), msglen > 0 ? msg : "", msglen, mac) != 0)
		return -1;
	adapter_hex(mac, sizeof(mac), out);
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

int
adapter_signature_matches(const char *sig, char *want, size_t wantsize,
    const char *header, char *err, size_t errlen)
{
	int rc = 0;

	if (!adapter_equal_secret(sig, want)) {
		snprintf(err, errlen, "%s does not match", header);
		rc = 403;
	}
	OPENSSL_cleanse(want, wantsize);
	return rc;
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

int
adapter_token(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t i;

	if (s == NULL || n == 0 || n >= dstlen)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

json_t *
adapter_json_body(const struct webhook_request *req, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;

	root = json_loadb(req->body != NULL ? req->body : "", req->body_len,
	    JSON_REJECT_DUPLICATES, &jerr);
	/* jerr.text may quote the body: report the position only. */
	if (root == NULL)
		snprintf(
		    err, errlen, "body is not valid JSON (line %d)", jerr.line);
	return root;
}

char *
adapter_json_dump(json_t *root, size_t flags, size_t *lenp)
{
	char *text = NULL, *copy = NULL;

	*lenp = 0;
	/* json_dumps() allocates with jansson's allocator: copy for free() */
	if (root != NULL && (text = json_dumps(root, flags)) != NULL &&
	    (copy = strdup(text)) != NULL)
		*lenp = strlen(copy);
	if (text != NULL) /* it names a sender or a recipient */
		sodium_memzero(text, strlen(text));
	free(text);
	json_decref(root);
	return copy;
}

int
adapter_sign_json(struct signed_request *out, json_t *root, size_t flags,
    char *err, size_t errlen)
{
	if ((out->body = adapter_json_dump(root, flags, &out->body_len)) ==
	    NULL) {
		snprintf(err, errlen, "cannot build the message");
		return -1;
	}
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    "application/json");
	return 0;
}

void
adapter_sign_header(
    struct signed_request *out, size_t i, const char *name, const char *value)
{
	snprintf(out->header_name[i], sizeof(out->header_name[i]), "%s", name);
	snprintf(
	    out->header_value[i], sizeof(out->header_value[i]), "%s", value);
}

void
inbound_wipe(struct inbound_message *m)
{
	if (m->text != NULL) {
		sodium_memzero(m->text, strlen(m->text));
		free(m->text);
	}
	if (m->label != NULL) {
		sodium_memzero(m->label, strlen(m->label));
		free(m->label);
	}
	sodium_memzero(m, sizeof *m); /* the pointers too: NULL */
}

void
inbound_clear(struct inbound_message *m)
{
	inbound_wipe(m);
}

struct inbound_batch *
inbound_batch_new(void)
{
	struct inbound_batch *b;
	size_t i;

	/* Large and mostly unused: not zeroed but for what says "empty". */
	if ((b = malloc(sizeof *b)) == NULL)
		return NULL;
	for (i = 0; i < INBOUND_MAX_EVENTS; i++)
		b->messages[i].text = b->messages[i].label = NULL;
	b->nmessages = b->nstatuses = 0;
	return b;
}

void
inbound_batch_free(struct inbound_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	/* Every entry: a text an adapter left past nmessages is freed too. */
	for (i = 0; i < INBOUND_MAX_EVENTS; i++)
		if (i < b->nmessages || b->messages[i].text != NULL ||
		    b->messages[i].label != NULL)
			inbound_wipe(&b->messages[i]);
	sodium_memzero(b->statuses, b->nstatuses * sizeof b->statuses[0]);
	free(b);
}
