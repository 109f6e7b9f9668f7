/*
 * seal: owns the sealed identity format.
 *
 * An identity is serialised to a small binary record (version byte 1, then
 * channel, sender, user_id, profile_name and provider_id each as a 16-bit
 * big-endian length and its bytes, then received_at as a signed 64-bit
 * big-endian integer), padded with sodium_pad to SEAL_PAD_BLOCK bytes,
 * encrypted with XChaCha20-Poly1305 under a fresh key with the associated
 * data "HLID1" || report_id, and that key is sealed to the custodian with
 * crypto_box_seal.  Binary rather than JSON so that every plaintext byte is
 * in a buffer this file wipes (jansson frees its copies without wiping).
 *
 * The custodians' key files are queue/seal_keyfile.c's.  Nothing here
 * keeps state between calls.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue/seal.h"
#include "queue/seal_private.h"

#define RECORD_VERSION 1
#define RECORD_FIELDS  5
#define FIELD_CAP(f)   sizeof(((struct identity *)0)->f)
/* version, five lengths and the longest strings, received_at */
#define RECORD_MAX                                                             \
	(1 + 2 * RECORD_FIELDS + FIELD_CAP(channel) - 1 + FIELD_CAP(sender) -  \
	    1 + FIELD_CAP(user_id) - 1 + FIELD_CAP(profile_name) - 1 +         \
	    FIELD_CAP(provider_id) - 1 + 8)
/* sodium_pad always adds at least one byte */
#define RECORD_PADDED_MAX ((RECORD_MAX / SEAL_PAD_BLOCK + 1) * SEAL_PAD_BLOCK)
#define AEAD_ABYTES	  crypto_aead_xchacha20poly1305_ietf_ABYTES
#define OPEN_MAX	  (SEAL_MAX_CIPHERTEXT - AEAD_ABYTES)

#define ID_AD_PREFIX	   "HLID1"
#define REPORT_KDF_CONTEXT "HLREPORT" /* crypto_kdf: 8 bytes */
#define ID_AD_BYTES	   (sizeof(ID_AD_PREFIX) - 1 + SEAL_REPORT_ID_BYTES)

_Static_assert(RECORD_PADDED_MAX + AEAD_ABYTES <= SEAL_MAX_CIPHERTEXT,
    "a padded identity record must fit struct sealed_identity");

void
seal_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
seal_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

/* Serialise id into rec (RECORD_MAX bytes); returns its length or 0. */
static size_t
record_encode(const struct identity *id, unsigned char *rec)
{
	const char *f[RECORD_FIELDS] = {id->channel, id->sender, id->user_id,
	    id->profile_name, id->provider_id};
	const size_t cap[RECORD_FIELDS] = {sizeof(id->channel),
	    sizeof(id->sender), sizeof(id->user_id), sizeof(id->profile_name),
	    sizeof(id->provider_id)};
	size_t n, off = 0;
	uint64_t t;
	int i;

	rec[off++] = RECORD_VERSION;
	for (i = 0; i < RECORD_FIELDS; i++) {
		n = strnlen(f[i], cap[i]);
		if (n == cap[i])
			return 0; /* not NUL-terminated */
		rec[off++] = (unsigned char)(n >> 8);
		rec[off++] = (unsigned char)n;
		memcpy(rec + off, f[i], n);
		off += n;
	}
	t = (uint64_t)(int64_t)id->received_at;
	for (i = 7; i >= 0; i--)
		rec[off++] = (unsigned char)(t >> (8 * i));
	return off;
}

/* Parse a record into id; returns 0 or -1 (id is then partly filled). */
static int
record_decode(const unsigned char *rec, size_t len, struct identity *id)
{
	char *f[RECORD_FIELDS] = {id->channel, id->sender, id->user_id,
	    id->profile_name, id->provider_id};
	const size_t cap[RECORD_FIELDS] = {sizeof(id->channel),
	    sizeof(id->sender), sizeof(id->user_id), sizeof(id->profile_name),
	    sizeof(id->provider_id)};
	size_t n, off = 0;
	uint64_t u = 0;
	int64_t v;
	int i;

	if (len < 1 || rec[off++] != RECORD_VERSION)
		return -1;
	for (i = 0; i < RECORD_FIELDS; i++) {
		if (len - off < 2)
			return -1;
		n = (size_t)rec[off] << 8 | rec[off + 1];
		off += 2;
		if (n >= cap[i] || len - off < n ||
		    memchr(rec + off, '\0', n) != NULL)
			return -1;
		memcpy(f[i], rec + off, n);
		f[i][n] = '\0';
		off += n;
	}
	if (len - off != 8)
		return -1;
	for (i = 0; i < 8; i++)
		u = u << 8 | rec[off + i];
	v = u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
	id->received_at = (time_t)v;
	if ((int64_t)id->received_at != v)
		return -1;
	return 0;
}

static void
identity_ad(unsigned char ad[ID_AD_BYTES],
    const unsigned char report_id[SEAL_REPORT_ID_BYTES])
{
	memcpy(ad, ID_AD_PREFIX, sizeof(ID_AD_PREFIX) - 1);
	memcpy(ad + sizeof(ID_AD_PREFIX) - 1, report_id, SEAL_REPORT_ID_BYTES);
}

/*
 * The start of seal_identity() and seal_open_identity(): clear out (when
 * there is one), and -1 with err set unless out and every other argument
 * (complete) are there.
 */
static int
seal_start(void *out, size_t outlen, int complete, const char *fn, char *err,
    size_t errlen)
{
	if (out != NULL)
		memset(out, 0, outlen);
	if (!complete || out == NULL) {
		seal_seterr(err, errlen, "%s: missing argument", fn);
		return -1;
	}
	return 0;
}

/*
 * Their end: wipe the record and the key, and out when they failed (rc is
 * not 0).  Returns rc.
 */
static int
seal_finish(int rc, unsigned char *rec, size_t reclen,
    unsigned char key[SEAL_KEY_BYTES], void *out, size_t outlen)
{
	sodium_memzero(rec, reclen);
	if (key != NULL)
		sodium_memzero(key, SEAL_KEY_BYTES);
	if (rc != 0 && out != NULL)
		sodium_memzero(out, outlen);
	return rc;
}

void
seal_fingerprint(const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    char out[SEAL_FINGERPRINT_TEXT])
{
	unsigned char h[8];
	char hex[17];

	crypto_generichash(
	    h, sizeof h, public_key, crypto_box_PUBLICKEYBYTES, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, SEAL_FINGERPRINT_TEXT, "%.4s %.4s %.4s %.4s", hex,
	    hex + 4, hex + 8, hex + 12);
}

void
seal_report_key(const unsigned char epoch_key[SEAL_KEY_BYTES],
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    unsigned char out[SEAL_KEY_BYTES])
{
	uint64_t sub = 0;
	size_t i;

	/* 64 random bits of the id pick the subkey; the AD binds all 128 */
	for (i = 0; i < 8; i++)
		sub = sub << 8 | report_id[i];
	crypto_kdf_derive_from_key(
	    out, SEAL_KEY_BYTES, sub, REPORT_KDF_CONTEXT, epoch_key);
}

int
seal_identity(const struct identity *id,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    struct sealed_identity *out, char *err, size_t errlen)
{
	unsigned char key[SEAL_KEY_BYTES];
	int rc = -1;

	if (public_key == NULL) {
		seal_start(out, sizeof(*out), 0, "seal_identity", err, errlen);
		return -1;
	}
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	if (seal_identity_with_key(id, report_id, key, out, err, errlen) != 0)
		goto fail;
	if (crypto_box_seal(out->sealed_key, key, sizeof(key), public_key) !=
	    0) {
		seal_seterr(err, errlen, "sealing the identity key failed");
		sodium_memzero(out, sizeof(*out));
		goto fail;
	}
	rc = 0;
fail:
	sodium_memzero(key, sizeof(key));
	return rc;
}

int
seal_identity_with_key(const struct identity *id,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char key_in[SEAL_KEY_BYTES], struct sealed_identity *out,
    char *err, size_t errlen)
{
	unsigned char rec[RECORD_PADDED_MAX];
	unsigned char key[SEAL_KEY_BYTES];
	unsigned char ad[ID_AD_BYTES];
	unsigned long long clen;
	size_t len, padded;
	int rc = -1;

	if (seal_start(out, sizeof(*out),
		id != NULL && report_id != NULL && key_in != NULL,
		"seal_identity", err, errlen) != 0)
		goto fail;
	memcpy(key, key_in, sizeof(key));
	if ((len = record_encode(id, rec)) == 0) {
		seal_seterr(err, errlen, "identity field is not terminated");
		goto fail;
	}
	if (sodium_pad(&padded, rec, len, SEAL_PAD_BLOCK, sizeof(rec)) != 0) {
		seal_seterr(err, errlen, "identity record does not fit");
		goto fail;
	}
	randombytes_buf(out->nonce, sizeof(out->nonce));
	identity_ad(ad, report_id);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(out->ciphertext, &clen,
		rec, padded, ad, sizeof(ad), NULL, out->nonce, key) != 0) {
		seal_seterr(err, errlen, "identity encryption failed");
		goto fail;
	}
	out->ciphertext_len = (size_t)clen;
	rc = 0;
fail:
	return seal_finish(rc, rec, sizeof(rec), key, out, sizeof(*out));
}

int
seal_open_with_key(const struct sealed_identity *in,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char key[SEAL_KEY_BYTES], struct identity *out, char *err,
    size_t errlen)
{
	unsigned char rec[OPEN_MAX];
	unsigned char ad[ID_AD_BYTES];
	unsigned long long mlen;
	size_t len, clen;
	int rc = -1;

	if (seal_start(out, sizeof(*out),
		in != NULL && report_id != NULL && key != NULL,
		"seal_open_with_key", err, errlen) != 0)
		goto fail;
	clen = in->ciphertext_len;
	if (clen < AEAD_ABYTES + SEAL_PAD_BLOCK || clen > SEAL_MAX_CIPHERTEXT ||
	    (clen - AEAD_ABYTES) % SEAL_PAD_BLOCK != 0) {
		seal_seterr(err, errlen, "sealed identity is corrupt");
		goto fail;
	}
	identity_ad(ad, report_id);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(rec, &mlen, NULL,
		in->ciphertext, clen, ad, sizeof(ad), in->nonce, key) != 0) {
		seal_seterr(err, errlen, "sealed identity is corrupt");
		goto fail;
	}
	if (sodium_unpad(&len, rec, (size_t)mlen, SEAL_PAD_BLOCK) != 0 ||
	    record_decode(rec, len, out) != 0) {
		seal_seterr(err, errlen, "sealed identity is corrupt");
		goto fail;
	}
	rc = 0;
fail:
	return seal_finish(rc, rec, sizeof(rec), NULL, out, sizeof(*out));
}

int
seal_open_identity(const struct sealed_identity *in,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    const unsigned char secret_key[crypto_box_SECRETKEYBYTES],
    struct identity *out, char *err, size_t errlen)
{
	unsigned char key[SEAL_KEY_BYTES];
	int rc = -1;

	if (in == NULL || report_id == NULL || public_key == NULL ||
	    secret_key == NULL) {
		seal_seterr(err, errlen, "seal_open_identity: bad arguments");
		return -1;
	}
	if (crypto_box_seal_open(key, in->sealed_key, sizeof(in->sealed_key),
		public_key, secret_key) != 0) {
		seal_seterr(
		    err, errlen, "identity does not open with this key");
		if (out != NULL)
			sodium_memzero(out, sizeof(*out));
		return -1;
	}
	if (in->epoch != 0) { /* the epoch key: this report's from it */
		unsigned char epoch_key[SEAL_KEY_BYTES];

		memcpy(epoch_key, key, sizeof(key));
		seal_report_key(epoch_key, report_id, key);
		sodium_memzero(epoch_key, sizeof(epoch_key));
	}
	rc = seal_open_with_key(in, report_id, key, out, err, errlen);
	sodium_memzero(key, sizeof(key));
	return rc;
}
