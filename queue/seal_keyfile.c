/*
 * seal_keyfile: the custodians' key files (queue/seal.h).
 *
 * mayor.pub is one line, the public key in base64 (original variant).
 * mayor.key is text, in this exact order:
 *
 *	hotline-mayor-key 1
 *	public <base64 X25519 public key>
 *	salt <base64 16 bytes>
 *	opslimit <decimal>
 *	memlimit <decimal>
 *	nonce <base64 24 bytes>
 *	wrapped <base64 48 bytes>
 *
 * where wrapped is XChaCha20-Poly1305(secret key, ad = "HLMK1" || public
 * key) under Argon2id13(passphrase, salt, opslimit, memlimit).
 * Nothing here keeps state between calls.
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

#define AEAD_ABYTES  crypto_aead_xchacha20poly1305_ietf_ABYTES
#define MK_AD_PREFIX "HLMK1"
#define MK_AD_BYTES  (sizeof(MK_AD_PREFIX) - 1 + crypto_box_PUBLICKEYBYTES)

#define KEYFILE_MAGIC	  "hotline-mayor-key"
#define KEYFILE_VERSION	  "1"
#define KEYFILE_MAX	  1024
#define KEYFILE_SALTBYTES crypto_pwhash_SALTBYTES
#define KEYFILE_WRAPBYTES (crypto_box_SECRETKEYBYTES + AEAD_ABYTES)
#define KEYFILE_OPS_MAX	  20ULL
#define KEYFILE_MEM_MAX	  (1024ULL * 1024 * 1024)
#define PASSPHRASE_MIN	  8

_Static_assert(crypto_box_SECRETKEYBYTES == crypto_scalarmult_BYTES,
    "the public key is recomputed with crypto_scalarmult_base");

struct keyfile {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char salt[KEYFILE_SALTBYTES];
	unsigned long long opslimit;
	unsigned long long memlimit;
	unsigned char nonce[SEAL_NONCE_BYTES];
	unsigned char wrapped[KEYFILE_WRAPBYTES];
};

/* Counts UTF-8 characters, so that "8 characters" means what it says. */
static int
passphrase_ok(const char *passphrase)
{
	size_t chars = 0;
	const unsigned char *p;

	if (passphrase == NULL)
		return 0;
	for (p = (const unsigned char *)passphrase; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			chars++;
	return chars >= PASSPHRASE_MIN &&
	    strlen(passphrase) <= crypto_pwhash_PASSWD_MAX;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
b64(char *out, size_t outlen, const unsigned char *bin, size_t binlen)
{
	if (outlen <
	    sodium_base64_ENCODED_LEN(binlen, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	sodium_bin2base64(
	    out, outlen, bin, binlen, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

/* Decode exactly outlen bytes of base64 (original variant, padded). */
static int
unb64(unsigned char *out, size_t outlen, const char *in, size_t inlen)
{
	size_t binlen;

	if (inlen == 0 ||
	    inlen > sodium_base64_ENCODED_LEN(
			outlen, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	if (sodium_base642bin(out, outlen, in, inlen, NULL, &binlen, NULL,
		sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	return binlen == outlen ? 0 : -1;
}

static int
create_excl(const char *path, mode_t mode, char *err, size_t errlen)
{
	int fd;

	fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd == -1) {
		if (errno == EEXIST)
			seal_seterr(err, errlen,
			    "%s already exists; refusing to overwrite it",
			    path);
		else
			seal_seterr(
			    err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) == -1) {
		seal_seterr(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static int
finish_file(
    int fd, const char *path, const char *text, char *err, size_t errlen)
{
	if (write_all(fd, text, strlen(text)) == -1 || fsync(fd) == -1) {
		seal_seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
seal_keygen(const char *dir, const char *name, const char *passphrase,
    char *err, size_t errlen)
{
	char keypath[PATH_MAX], pubpath[PATH_MAX];
	char pk64[sodium_base64_ENCODED_LEN(
	    crypto_box_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
	char salt64[sodium_base64_ENCODED_LEN(
	    KEYFILE_SALTBYTES, sodium_base64_VARIANT_ORIGINAL)];
	char nonce64[sodium_base64_ENCODED_LEN(
	    SEAL_NONCE_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	char wrapped64[sodium_base64_ENCODED_LEN(
	    KEYFILE_WRAPBYTES, sodium_base64_VARIANT_ORIGINAL)];
	char keytext[KEYFILE_MAX], pubtext[sizeof(pk64) + 1];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char salt[KEYFILE_SALTBYTES], nonce[SEAL_NONCE_BYTES];
	unsigned char wrapped[KEYFILE_WRAPBYTES], ad[MK_AD_BYTES];
	unsigned char *sk = NULL, *kek = NULL;
	unsigned long long wlen;
	int keyfd = -1, pubfd = -1, dirfd = -1, made_key = 0, made_pub = 0;
	int n, rc = -1;

	if (!passphrase_ok(passphrase)) {
		seal_seterr(err, errlen,
		    "passphrase must be at least %d characters",
		    PASSPHRASE_MIN);
		goto fail;
	}
	if (dir == NULL || *dir == '\0' || name == NULL || *name == '\0' ||
	    strchr(name, '/') != NULL) {
		seal_seterr(err, errlen, "no key directory or name given");
		goto fail;
	}
	n = snprintf(keypath, sizeof(keypath), "%s/%s.key", dir, name);
	if (n < 0 || (size_t)n >= sizeof(keypath) ||
	    (n = snprintf(pubpath, sizeof(pubpath), "%s/%s.pub", dir, name)) <
		0 ||
	    (size_t)n >= sizeof(pubpath)) {
		seal_seterr(err, errlen, "key directory name is too long");
		goto fail;
	}

	/* Claim both names before the slow derivation. */
	if ((keyfd = create_excl(keypath, 0600, err, errlen)) == -1)
		goto fail;
	made_key = 1;
	if ((pubfd = create_excl(pubpath, 0644, err, errlen)) == -1)
		goto fail;
	made_pub = 1;

	if ((sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL ||
	    (kek = sodium_malloc(SEAL_KEY_BYTES)) == NULL) {
		seal_seterr(err, errlen, "out of memory");
		goto fail;
	}
	if (crypto_box_keypair(pk, sk) != 0) {
		seal_seterr(err, errlen, "key generation failed");
		goto fail;
	}
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(nonce, sizeof(nonce));
	if (crypto_pwhash(kek, SEAL_KEY_BYTES, passphrase, strlen(passphrase),
		salt, crypto_pwhash_OPSLIMIT_MODERATE,
		crypto_pwhash_MEMLIMIT_MODERATE,
		crypto_pwhash_ALG_ARGON2ID13) != 0) {
		seal_seterr(
		    err, errlen, "key derivation failed (out of memory?)");
		goto fail;
	}
	memcpy(ad, MK_AD_PREFIX, sizeof(MK_AD_PREFIX) - 1);
	memcpy(ad + sizeof(MK_AD_PREFIX) - 1, pk, sizeof(pk));
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped, &wlen, sk,
		crypto_box_SECRETKEYBYTES, ad, sizeof(ad), NULL, nonce,
		kek) != 0 ||
	    wlen != sizeof(wrapped)) {
		seal_seterr(err, errlen, "wrapping the secret key failed");
		goto fail;
	}

	if (b64(pk64, sizeof(pk64), pk, sizeof(pk)) == -1 ||
	    b64(salt64, sizeof(salt64), salt, sizeof(salt)) == -1 ||
	    b64(nonce64, sizeof(nonce64), nonce, sizeof(nonce)) == -1 ||
	    b64(wrapped64, sizeof(wrapped64), wrapped, sizeof(wrapped)) == -1) {
		seal_seterr(err, errlen, "key file does not fit");
		goto fail;
	}
	n = snprintf(keytext, sizeof(keytext),
	    KEYFILE_MAGIC " " KEYFILE_VERSION "\n"
			  "public %s\n"
			  "salt %s\n"
			  "opslimit %llu\n"
			  "memlimit %llu\n"
			  "nonce %s\n"
			  "wrapped %s\n",
	    pk64, salt64, (unsigned long long)crypto_pwhash_OPSLIMIT_MODERATE,
	    (unsigned long long)crypto_pwhash_MEMLIMIT_MODERATE, nonce64,
	    wrapped64);
	if (n < 0 || (size_t)n >= sizeof(keytext)) {
		seal_seterr(err, errlen, "key file does not fit");
		goto fail;
	}
	snprintf(pubtext, sizeof(pubtext), "%s\n", pk64);

	if (finish_file(keyfd, keypath, keytext, err, errlen) == -1 ||
	    finish_file(pubfd, pubpath, pubtext, err, errlen) == -1)
		goto fail;
	n = close(keyfd);
	keyfd = -1;
	if (n == -1) {
		seal_seterr(err, errlen, "%s: %s", keypath, strerror(errno));
		goto fail;
	}
	n = close(pubfd);
	pubfd = -1;
	if (n == -1) {
		seal_seterr(err, errlen, "%s: %s", pubpath, strerror(errno));
		goto fail;
	}
	/* Make the new names durable too. */
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(dirfd) == -1) {
		seal_seterr(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	rc = 0;
fail:
	if (dirfd != -1)
		close(dirfd);
	if (keyfd != -1)
		close(keyfd);
	if (pubfd != -1)
		close(pubfd);
	/* Only names this call created: a refusal leaves existing files. */
	if (rc != 0 && made_key)
		unlink(keypath);
	if (rc != 0 && made_pub)
		unlink(pubpath);
	sodium_free(sk);
	sodium_free(kek);
	return rc;
}

/*
 * The next line of [*p, end) must be "NAME VALUE"; returns VALUE in
 * val/vallen and moves *p past the line's newline (the last line may lack
 * one).
 */
static int
next_line(const char **p, const char *end, const char *name, const char **val,
    size_t *vallen)
{
	const char *nl, *eol;
	size_t namelen = strlen(name);

	if (*p >= end)
		return -1;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	eol = nl != NULL ? nl : end;
	if ((size_t)(eol - *p) <= namelen + 1 ||
	    memcmp(*p, name, namelen) != 0 || (*p)[namelen] != ' ')
		return -1;
	*val = *p + namelen + 1;
	*vallen = (size_t)(eol - *val);
	*p = nl != NULL ? nl + 1 : end;
	return 0;
}

/* A decimal number of at most 19 digits, no sign, no spaces. */
static int
parse_number(const char *s, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (len == 0 || len > 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_keyfile(const char *text, size_t len, struct keyfile *kf,
    const char *path, char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *v;
	size_t vlen;
	int line = 1;

	if (next_line(&p, end, KEYFILE_MAGIC, &v, &vlen) == -1)
		goto bad;
	if (vlen != strlen(KEYFILE_VERSION) ||
	    memcmp(v, KEYFILE_VERSION, vlen) != 0) {
		seal_seterr(
		    err, errlen, "%s: unsupported key file version", path);
		return -1;
	}
	line++;
	if (next_line(&p, end, "public", &v, &vlen) == -1 ||
	    unb64(kf->pk, sizeof(kf->pk), v, vlen) == -1)
		goto bad;
	line++;
	if (next_line(&p, end, "salt", &v, &vlen) == -1 ||
	    unb64(kf->salt, sizeof(kf->salt), v, vlen) == -1)
		goto bad;
	line++;
	if (next_line(&p, end, "opslimit", &v, &vlen) == -1 ||
	    parse_number(v, vlen, &kf->opslimit) == -1)
		goto bad;
	if (kf->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	    kf->opslimit > KEYFILE_OPS_MAX) {
		seal_seterr(
		    err, errlen, "%s:%d: opslimit out of range", path, line);
		return -1;
	}
	line++;
	if (next_line(&p, end, "memlimit", &v, &vlen) == -1 ||
	    parse_number(v, vlen, &kf->memlimit) == -1)
		goto bad;
	if (kf->memlimit < crypto_pwhash_MEMLIMIT_MIN ||
	    kf->memlimit > KEYFILE_MEM_MAX) {
		seal_seterr(
		    err, errlen, "%s:%d: memlimit out of range", path, line);
		return -1;
	}
	line++;
	if (next_line(&p, end, "nonce", &v, &vlen) == -1 ||
	    unb64(kf->nonce, sizeof(kf->nonce), v, vlen) == -1)
		goto bad;
	line++;
	if (next_line(&p, end, "wrapped", &v, &vlen) == -1 ||
	    unb64(kf->wrapped, sizeof(kf->wrapped), v, vlen) == -1)
		goto bad;
	line++;
	if (p != end) {
		seal_seterr(err, errlen, "%s:%d: unexpected text after the key",
		    path, line);
		return -1;
	}
	return 0;
bad:
	seal_seterr(err, errlen, "%s:%d: malformed key file line", path, line);
	return -1;
}

/* Read all of path (at most KEYFILE_MAX bytes) into buf. */
static int
read_keyfile(const char *path, char *buf, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	size_t off = 0;
	ssize_t n;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		seal_seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		seal_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		seal_seterr(err, errlen, "%s: not a regular file", path);
		goto done;
	}
	for (;;) {
		if (off == KEYFILE_MAX + 1) {
			seal_seterr(
			    err, errlen, "%s: key file is too large", path);
			goto done;
		}
		n = read(fd, buf + off, KEYFILE_MAX + 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			seal_seterr(
			    err, errlen, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	*len = off;
	rc = 0;
done:
	close(fd);
	return rc;
}

int
seal_unwrap_key(const char *keyfile, const char *passphrase,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char *secret_key, char *err, size_t errlen)
{
	char text[KEYFILE_MAX + 1];
	struct keyfile kf;
	unsigned char ad[MK_AD_BYTES], check[crypto_box_PUBLICKEYBYTES];
	unsigned char *kek = NULL;
	unsigned long long sklen;
	size_t len;
	int rc = -1;

	if (keyfile == NULL || passphrase == NULL || public_key == NULL ||
	    secret_key == NULL) {
		seal_seterr(err, errlen, "seal_unwrap_key: missing argument");
		goto fail;
	}
	if (*passphrase == '\0' ||
	    strlen(passphrase) > crypto_pwhash_PASSWD_MAX) {
		seal_seterr(
		    err, errlen, "wrong passphrase or damaged key file");
		goto fail;
	}
	if (read_keyfile(keyfile, text, &len, err, errlen) == -1 ||
	    parse_keyfile(text, len, &kf, keyfile, err, errlen) == -1)
		goto fail;
	if ((kek = sodium_malloc(SEAL_KEY_BYTES)) == NULL) {
		seal_seterr(err, errlen, "out of memory");
		goto fail;
	}
	if (crypto_pwhash(kek, SEAL_KEY_BYTES, passphrase, strlen(passphrase),
		kf.salt, kf.opslimit, (size_t)kf.memlimit,
		crypto_pwhash_ALG_ARGON2ID13) != 0) {
		seal_seterr(
		    err, errlen, "key derivation failed (out of memory?)");
		goto fail;
	}
	memcpy(ad, MK_AD_PREFIX, sizeof(MK_AD_PREFIX) - 1);
	memcpy(ad + sizeof(MK_AD_PREFIX) - 1, kf.pk, sizeof(kf.pk));
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret_key, &sklen, NULL,
		kf.wrapped, sizeof(kf.wrapped), ad, sizeof(ad), kf.nonce,
		kek) != 0 ||
	    sklen != crypto_box_SECRETKEYBYTES) {
		seal_seterr(
		    err, errlen, "wrong passphrase or damaged key file");
		goto fail;
	}
	/* The AEAD is not key-committing: check the key is the right one. */
	if (crypto_scalarmult_base(check, secret_key) != 0 ||
	    sodium_memcmp(check, kf.pk, sizeof(check)) != 0) {
		seal_seterr(
		    err, errlen, "wrong passphrase or damaged key file");
		goto fail;
	}
	memcpy(public_key, kf.pk, sizeof(kf.pk));
	rc = 0;
fail:
	if (rc != 0 && secret_key != NULL)
		sodium_memzero(secret_key, crypto_box_SECRETKEYBYTES);
	sodium_free(kek);
	return rc;
}

int
seal_key_public(const char *keyfile,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen)
{
	char text[KEYFILE_MAX + 1];
	struct keyfile kf;
	size_t len;

	if (read_keyfile(keyfile, text, &len, err, errlen) == -1 ||
	    parse_keyfile(text, len, &kf, keyfile, err, errlen) == -1)
		return -1;
	memcpy(public_key, kf.pk, sizeof(kf.pk));
	return 0;
}

unsigned char *
seal_unlock_key(const char *keyfile, const char *passphrase,
    const unsigned char expected[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES], *sk;

	if ((sk = sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL) {
		seal_seterr(err, errlen, "out of memory");
		return NULL;
	}
	if (seal_unwrap_key(keyfile, passphrase, pk, sk, err, errlen) == -1)
		goto fail;
	if (sodium_memcmp(pk, expected, sizeof pk) != 0) {
		seal_seterr(
		    err, errlen, "%s is not the key of mayor_public", keyfile);
		goto fail;
	}
	return sk;
fail:
	sodium_free(sk);
	return NULL;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

int
seal_parse_public_key(
    const char *text, unsigned char public_key[crypto_box_PUBLICKEYBYTES])
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	const char *start, *end;

	if (text == NULL || public_key == NULL)
		return -1;
	start = text;
	end = text + strlen(text);
	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	if (unb64(pk, sizeof(pk), start, (size_t)(end - start)) == -1)
		return -1;
	memcpy(public_key, pk, sizeof(pk));
	return 0;
}
