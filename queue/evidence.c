/*
 * evidence: implements queue/evidence.h.  The JPEG stripper walks the
 * segments before the image data (each marker 0xFF xx with a big-endian
 * length that counts itself), keeps or drops each, and copies everything
 * from the start of scan on as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/evidence.h"

#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_KEY	  crypto_secretstream_xchacha20poly1305_KEYBYTES

static int
starts(
    const unsigned char *b, size_t n, size_t at, const char *magic, size_t len)
{
	return n >= at + len && memcmp(b + at, magic, len) == 0;
}

/* Every type kept: its kind, MIME type and a file's extension. */
static const struct evidence_type types[] = {
    {EVIDENCE_IMAGE, "image/jpeg", "jpg"},
    {EVIDENCE_IMAGE, "image/png", "png"},
    {EVIDENCE_IMAGE, "image/webp", "webp"},
    {EVIDENCE_VIDEO, "video/mp4", "mp4"},
    {EVIDENCE_VIDEO, "video/3gpp", "3gp"},
    {EVIDENCE_AUDIO, "audio/ogg", "ogg"},
    {EVIDENCE_AUDIO, "audio/mp4", "m4a"},
    {EVIDENCE_AUDIO, "audio/aac", "aac"},
    {EVIDENCE_AUDIO, "audio/mpeg", "mp3"},
    {EVIDENCE_DOCUMENT, "application/pdf", "pdf"},
};

const struct evidence_type *
evidence_type_of(const char *mime)
{
	size_t i;

	for (i = 0; mime != NULL && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].mime, mime) == 0)
			return &types[i];
	return NULL;
}

/* The MIME type the first bytes of b say, or NULL. */
static const char *
sniffed(const unsigned char *b, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *mime;
	} magic[] = {
	    {"\xff\xd8\xff", 3, "image/jpeg"},
	    {"\x89PNG\r\n\x1a\n", 8, "image/png"},
	    {"OggS", 4, "audio/ogg"},
	    {"%PDF-", 5, "application/pdf"},
	    {"ID3", 3, "audio/mpeg"},
	};
	size_t i;

	for (i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (starts(b, n, 0, magic[i].magic, magic[i].len))
			return magic[i].mime;
	if (starts(b, n, 0, "RIFF", 4) && starts(b, n, 8, "WEBP", 4))
		return "image/webp";
	/* ISO media: the brand says 3GP, audio-only M4A, or MP4 */
	if (starts(b, n, 4, "ftyp", 4) && n >= 12)
		return starts(b, n, 8, "3gp", 3) || starts(b, n, 8, "3g2", 3)
		    ? "video/3gpp"
		    : starts(b, n, 8, "M4A ", 4) ? "audio/mp4"
						 : "video/mp4";
	/* AAC in ADTS frames, or MPEG audio frames without a tag */
	if (n >= 2 && b[0] == 0xff && (b[1] & 0xf6) == 0xf0)
		return "audio/aac";
	if (n >= 2 && b[0] == 0xff && (b[1] & 0xe0) == 0xe0 &&
	    (b[1] & 0x06) != 0)
		return "audio/mpeg";
	return NULL;
}

int
evidence_sniff(const unsigned char *b, size_t n, struct evidence_type *out)
{
	const struct evidence_type *t = evidence_type_of(sniffed(b, n));

	if (t == NULL)
		return -1;
	*out = *t;
	return 0;
}

/* Does an APP2 segment (body at s, len bytes) hold an ICC profile? */
static int
is_icc(const unsigned char *s, size_t len)
{
	return len >= 12 && memcmp(s, "ICC_PROFILE\0", 12) == 0;
}

int
evidence_strip_jpeg(unsigned char *b, size_t *n, char *err, size_t errlen)
{
	size_t in = 2, out = 2, len;
	unsigned char marker;

	if (*n < 4 || b[0] != 0xff || b[1] != 0xd8) {
		snprintf(err, errlen, "not a JPEG");
		return -1;
	}
	for (;;) {
		if (in + 2 > *n || b[in] != 0xff) {
			snprintf(err, errlen, "broken JPEG segment");
			return -1;
		}
		marker = b[in + 1];
		if (marker == 0xff) { /* fill bytes before a marker */
			in++;
			continue;
		}
		if (marker == 0xd9) { /* EOI before any scan */
			snprintf(err, errlen, "JPEG without image data");
			return -1;
		}
		if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			memmove(b + out, b + in, 2);
			in += 2;
			out += 2;
			continue;
		}
		if (in + 4 > *n) {
			snprintf(err, errlen, "broken JPEG segment");
			return -1;
		}
		len = (size_t)b[in + 2] << 8 | b[in + 3];
		if (len < 2 || in + 2 + len > *n) {
			snprintf(err, errlen, "broken JPEG segment length");
			return -1;
		}
		if (marker == 0xda) { /* start of scan: the rest as it is */
			memmove(b + out, b + in, *n - in);
			*n = out + (*n - in);
			return 0;
		}
		if ((marker >= 0xe1 && marker <= 0xef && marker != 0xee &&
			!(marker == 0xe2 && is_icc(b + in + 4, len - 2))) ||
		    marker == 0xfe) {
			in += 2 + len; /* metadata: dropped */
			continue;
		}
		memmove(b + out, b + in, 2 + len);
		in += 2 + len;
		out += 2 + len;
	}
}

int
evidence_seal(const unsigned char *plain, size_t n,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char **blob, size_t *bloblen,
    unsigned char sealed_key[EVIDENCE_SEALED_KEY_BYTES])
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char key[SS_KEY], *p;
	size_t off = 0, chunk;
	unsigned long long clen;
	unsigned char tag;

	if ((*blob = malloc(EVIDENCE_SEALED_SIZE(n))) == NULL)
		return -1;
	crypto_secretstream_xchacha20poly1305_keygen(key);
	crypto_secretstream_xchacha20poly1305_init_push(&st, *blob, key);
	p = *blob + SS_HEADER;
	do {
		chunk = n - off > EVIDENCE_CHUNK ? EVIDENCE_CHUNK : n - off;
		tag = off + chunk == n
		    ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
		    : 0;
		crypto_secretstream_xchacha20poly1305_push(
		    &st, p, &clen, plain + off, chunk, NULL, 0, tag);
		p += clen;
		off += chunk;
	} while (off < n);
	*bloblen = (size_t)(p - *blob);
	if (crypto_box_seal(sealed_key, key, sizeof key, public_key) != 0) {
		sodium_memzero(key, sizeof key);
		free(*blob);
		*blob = NULL;
		return -1;
	}
	sodium_memzero(key, sizeof key);
	sodium_memzero(&st, sizeof st);
	return 0;
}

int
evidence_open(const unsigned char *blob, size_t bloblen,
    const unsigned char sealed_key[EVIDENCE_SEALED_KEY_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    const unsigned char secret_key[crypto_box_SECRETKEYBYTES],
    unsigned char **plain, size_t *n)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char key[SS_KEY], tag = 0;
	unsigned long long mlen;
	size_t in = SS_HEADER, chunk;
	int rc = -1;

	*plain = NULL;
	*n = 0;
	if (bloblen < SS_HEADER + SS_ABYTES ||
	    crypto_box_seal_open(key, sealed_key, EVIDENCE_SEALED_KEY_BYTES,
		public_key, secret_key) != 0)
		return -1;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&st, blob, key) !=
		0 ||
	    (*plain = sodium_malloc(bloblen)) == NULL)
		goto done;
	while (in < bloblen &&
	    tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		chunk = bloblen - in > EVIDENCE_CHUNK + SS_ABYTES
		    ? EVIDENCE_CHUNK + SS_ABYTES
		    : bloblen - in;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, *plain + *n,
			&mlen, &tag, blob + in, chunk, NULL, 0) != 0)
			goto done;
		*n += (size_t)mlen;
		in += chunk;
	}
	/* the last chunk says it is the last, and nothing follows it */
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL &&
	    in == bloblen)
		rc = 0;
done:
	sodium_memzero(key, sizeof key);
	sodium_memzero(&st, sizeof st);
	if (rc == -1 && *plain != NULL) {
		sodium_free(*plain);
		*plain = NULL;
		*n = 0;
	}
	return rc;
}

int
evidence_sha256_matches(const unsigned char *b, size_t n, const char *claimed)
{
	unsigned char want[crypto_hash_sha256_BYTES], got[sizeof want];
	size_t len = 0, cl;
	const char *end = NULL;

	if (claimed == NULL)
		return -1;
	cl = strlen(claimed);
	if (cl == 2 * sizeof want) {
		if (sodium_hex2bin(want, sizeof want, claimed, cl, NULL, &len,
			&end) != 0 ||
		    len != sizeof want)
			return -1;
	} else if (sodium_base642bin(want, sizeof want, claimed, cl, NULL, &len,
		       &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != sizeof want || *end != '\0')
		return -1;
	crypto_hash_sha256(got, b, n);
	return sodium_memcmp(got, want, sizeof want) == 0;
}

const char *
evidence_kind_word(enum evidence_kind k)
{
	static const char *const words[EVIDENCE_KINDS] = {
	    [EVIDENCE_IMAGE] = "foto",
	    [EVIDENCE_VIDEO] = "video",
	    [EVIDENCE_AUDIO] = "pesan suara",
	    [EVIDENCE_DOCUMENT] = "dokumen",
	};

	return (unsigned)k < EVIDENCE_KINDS ? words[k] : "berkas";
}

const char *
evidence_kind_name(enum evidence_kind k)
{
	static const char *const names[EVIDENCE_KINDS] = {
	    [EVIDENCE_IMAGE] = "image",
	    [EVIDENCE_VIDEO] = "video",
	    [EVIDENCE_AUDIO] = "audio",
	    [EVIDENCE_DOCUMENT] = "document",
	};

	return (unsigned)k < EVIDENCE_KINDS ? names[k] : NULL;
}

void
evidence_summary(const int counts[EVIDENCE_KINDS], char *out, size_t len)
{
	size_t used = 0;
	int k;

	if (len == 0)
		return;
	out[0] = '\0';
	for (k = 0; k < EVIDENCE_KINDS; k++) {
		if (counts[k] <= 0 || used >= len)
			continue;
		used += (size_t)snprintf(out + used, len - used, "%s%d %s",
		    used > 0 ? ", " : "", counts[k],
		    evidence_kind_word((enum evidence_kind)k));
	}
}
