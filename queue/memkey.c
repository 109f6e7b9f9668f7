/*
 * memkey: a secretbox key and a BLAKE2b key in sodium_malloc memory, and
 * an epoch id that marks what this process sealed.  The keys are
 * read-only after creation; several threads may use them at once.
 */
#include <stdlib.h>
#include <string.h>

#include "queue/memkey.h"

struct memkey {
	unsigned char *box;  /* crypto_secretbox_KEYBYTES */
	unsigned char *link; /* crypto_generichash_KEYBYTES */
	unsigned char epoch[MEMKEY_EPOCH_BYTES];
};

struct memkey *
memkey_new(void)
{
	struct memkey *k;

	if ((k = calloc(1, sizeof *k)) == NULL)
		return NULL;
	k->box = sodium_malloc(crypto_secretbox_KEYBYTES);
	k->link = sodium_malloc(crypto_generichash_KEYBYTES);
	if (k->box == NULL || k->link == NULL) {
		memkey_free(k);
		return NULL;
	}
	crypto_secretbox_keygen(k->box);
	randombytes_buf(k->link, crypto_generichash_KEYBYTES);
	randombytes_buf(k->epoch, sizeof k->epoch);
	sodium_mprotect_readonly(k->box);
	sodium_mprotect_readonly(k->link);
	return k;
}

void
memkey_free(struct memkey *k)
{
	if (k == NULL)
		return;
	if (k->box != NULL)
		sodium_free(k->box);
	if (k->link != NULL)
		sodium_free(k->link);
	free(k);
}

size_t
memkey_seal(
    const struct memkey *k, const void *in, size_t len, unsigned char *out)
{
	unsigned char *nonce = out + MEMKEY_EPOCH_BYTES;

	memcpy(out, k->epoch, MEMKEY_EPOCH_BYTES);
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(
	    nonce + crypto_secretbox_NONCEBYTES, in, len, nonce, k->box);
	return len + MEMKEY_OVERHEAD;
}

long
memkey_open(
    const struct memkey *k, const unsigned char *in, size_t inlen, void *out)
{
	const unsigned char *nonce = in + MEMKEY_EPOCH_BYTES;

	if (inlen < MEMKEY_OVERHEAD ||
	    sodium_memcmp(in, k->epoch, MEMKEY_EPOCH_BYTES) != 0)
		return -1;
	if (crypto_secretbox_open_easy(out, nonce + crypto_secretbox_NONCEBYTES,
		inlen - MEMKEY_EPOCH_BYTES - crypto_secretbox_NONCEBYTES, nonce,
		k->box) != 0)
		return -1;
	return (long)(inlen - MEMKEY_OVERHEAD);
}

void
memkey_tag(const struct memkey *k, const char *channel, const char *sender,
    unsigned char out[MEMKEY_TAG_BYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(
	    &st, k->link, crypto_generichash_KEYBYTES, MEMKEY_TAG_BYTES);
	crypto_generichash_update(
	    &st, (const unsigned char *)channel, strlen(channel) + 1);
	crypto_generichash_update(
	    &st, (const unsigned char *)sender, strlen(sender));
	crypto_generichash_final(&st, out, MEMKEY_TAG_BYTES);
}
