/*
 * memkey: a secretbox key and a BLAKE2b key in sodium_malloc memory, and
 * an epoch id that marks what this process sealed (or, with a runtime
 * file, the processes that shared it).  The keys are read-only after
 * creation; several threads may use them at once.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#define MEMKEY_FILE_BYTES                                                      \
	(crypto_secretbox_KEYBYTES + crypto_generichash_KEYBYTES +             \
	    MEMKEY_EPOCH_BYTES)

/* Read the keys from fd: 0, or -1 when the file is not whole. */
static int
read_keys(struct memkey *k, int fd)
{
	unsigned char *buf;
	ssize_t n;
	int rc = -1;

	if ((buf = sodium_malloc(MEMKEY_FILE_BYTES + 1)) == NULL)
		return -1;
	n = read(fd, buf, MEMKEY_FILE_BYTES + 1);
	if (n == MEMKEY_FILE_BYTES) {
		sodium_mprotect_readwrite(k->box);
		sodium_mprotect_readwrite(k->link);
		memcpy(k->box, buf, crypto_secretbox_KEYBYTES);
		memcpy(k->link, buf + crypto_secretbox_KEYBYTES,
		    crypto_generichash_KEYBYTES);
		memcpy(k->epoch,
		    buf + crypto_secretbox_KEYBYTES +
			crypto_generichash_KEYBYTES,
		    MEMKEY_EPOCH_BYTES);
		sodium_mprotect_readonly(k->box);
		sodium_mprotect_readonly(k->link);
		rc = 0;
	}
	sodium_free(buf);
	return rc;
}

/* Write k's keys to path, whole or not at all (a file then a rename). */
static int
write_keys(const struct memkey *k, const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	int fd, ok;

	snprintf(tmp, sizeof tmp, "%s.new", path);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	ok = write(fd, k->box, crypto_secretbox_KEYBYTES) ==
		crypto_secretbox_KEYBYTES &&
	    write(fd, k->link, crypto_generichash_KEYBYTES) ==
		crypto_generichash_KEYBYTES &&
	    write(fd, k->epoch, MEMKEY_EPOCH_BYTES) == MEMKEY_EPOCH_BYTES &&
	    fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

struct memkey *
memkey_load(const char *path, int *kept, char *err, size_t errlen)
{
	struct memkey *k;
	struct stat st;
	int fd;

	*kept = 0;
	if ((k = memkey_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && write_keys(k, path, err, errlen) == 0)
			return k;
		if (errno != ENOENT)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		memkey_free(k);
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		snprintf(err, errlen,
		    "%s: not a file of this user's alone (mode 600)", path);
		goto fail;
	}
	if (read_keys(k, fd) == -1) {
		snprintf(err, errlen, "%s: not a key file of hotline", path);
		goto fail;
	}
	close(fd);
	*kept = 1;
	return k;
fail:
	close(fd);
	memkey_free(k);
	return NULL;
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

/*
 * crypto_secretbox_open_easy(), as libsodium 1.0.18 does it, but wiping
 * its first block: libsodium decrypts a message's first 32 bytes in a
 * block on its stack frame and leaves them there, so that a sender's
 * number and the start of a reply would outlive the call.  XSalsa20 under
 * the HSalsa20 subkey; the first 32 bytes of keystream are the Poly1305
 * key; the message starts at byte 32 of the first block.
 */
static int
secretbox_open(unsigned char *m, const unsigned char *in, size_t inlen,
    const unsigned char *n, const unsigned char *k)
{
	const unsigned char *mac = in, *c = in + crypto_secretbox_MACBYTES;
	size_t clen = inlen - crypto_secretbox_MACBYTES, first, i;
	unsigned char subkey[crypto_stream_salsa20_KEYBYTES], block0[64];
	int rc = -1;

	crypto_core_hsalsa20(subkey, n, k, NULL);
	crypto_stream_salsa20(
	    block0, crypto_stream_salsa20_KEYBYTES, n + 16, subkey);
	if (crypto_onetimeauth_poly1305_verify(mac, c, clen, block0) != 0)
		goto done;
	first = clen < 32 ? clen : 32;
	memset(block0, 0, 32);
	for (i = 0; i < first; i++)
		block0[32 + i] = c[i];
	crypto_stream_salsa20_xor(block0, block0, 32 + first, n + 16, subkey);
	for (i = 0; i < first; i++)
		m[i] = block0[32 + i];
	if (clen > first)
		crypto_stream_salsa20_xor_ic(
		    m + first, c + first, clen - first, n + 16, 1, subkey);
	rc = 0;
done:
	sodium_memzero(block0, sizeof block0);
	sodium_memzero(subkey, sizeof subkey);
	return rc;
}

long
memkey_open(
    const struct memkey *k, const unsigned char *in, size_t inlen, void *out)
{
	const unsigned char *nonce = in + MEMKEY_EPOCH_BYTES;

	if (inlen < MEMKEY_OVERHEAD ||
	    sodium_memcmp(in, k->epoch, MEMKEY_EPOCH_BYTES) != 0)
		return -1;
	if (secretbox_open(out, nonce + crypto_secretbox_NONCEBYTES,
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
