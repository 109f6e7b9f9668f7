/*
 * evidence: what a citizen sends as proof (a photo of a receipt, a video
 * of a parking attendant, a voice note, a PDF), made safe to keep.  Its
 * type is read from its bytes, never from what the provider claims: JPEG,
 * PNG, WebP, MP4/3GP, OGG/Opus, AAC/M4A/MP3 and PDF only.  A JPEG loses
 * its metadata (EXIF with GPS, XMP, IPTC, comments) before it is stored;
 * other files keep their bytes.  Each item is encrypted with a key of its
 * own (XChaCha20-Poly1305 secretstream, in 64 KiB chunks), and that key is
 * sealed to the server's evidence key (crypto_box_seal), whose secret half
 * lives in the credentials directory, never in the database: a copy of
 * the database alone opens no evidence.  Pure: no store, no network.
 */
#ifndef HOTLINE_EVIDENCE_H
#define HOTLINE_EVIDENCE_H

#include <stddef.h>

#include <sodium.h>

#define EVIDENCE_MAX_BYTES_DEFAULT (16L * 1024 * 1024)
#define EVIDENCE_MAX_ITEMS_DEFAULT 10
#define EVIDENCE_SEALED_KEY_BYTES                                              \
	(crypto_secretstream_xchacha20poly1305_KEYBYTES + crypto_box_SEALBYTES)
#define EVIDENCE_CHUNK (64 * 1024)

enum evidence_kind {
	EVIDENCE_IMAGE,
	EVIDENCE_VIDEO,
	EVIDENCE_AUDIO,
	EVIDENCE_DOCUMENT,
	EVIDENCE_KINDS
};

/* What the bytes are. */
struct evidence_type {
	enum evidence_kind kind;
	const char *mime; /* canonical: image/jpeg, audio/ogg, ... */
	const char *ext;  /* a file's: jpg, ogg, ... */
};

/* The type kept under this MIME type (as stored), or NULL. */
const struct evidence_type *evidence_type_of(const char *mime);

/*
 * The type of the n bytes at b, from their first bytes.  0, or -1 when
 * they are none of the allowed types.
 */
int evidence_sniff(const unsigned char *b, size_t n, struct evidence_type *out);

/*
 * Drop a JPEG's metadata in place: every APPn segment but JFIF (APP0), an
 * ICC colour profile (APP2) and Adobe's (APP14), and every comment; the
 * image data is untouched.  *n becomes the new length.  0, or -1 with err
 * set when the JPEG's structure is broken (then nothing is stored).
 */
int evidence_strip_jpeg(unsigned char *b, size_t *n, char *err, size_t errlen);

/*
 * Encrypt n bytes under a fresh key sealed to public_key: *blob (malloc'd,
 * EVIDENCE_SEALED_SIZE(n) bytes) and the key sealed into sealed_key.
 * 0 or -1 (out of memory).
 */
#define EVIDENCE_SEALED_SIZE(n)                                                \
	(crypto_secretstream_xchacha20poly1305_HEADERBYTES +                   \
	    ((n) / EVIDENCE_CHUNK + 1) *                                       \
		crypto_secretstream_xchacha20poly1305_ABYTES +                 \
	    (n))
int evidence_seal(const unsigned char *plain, size_t n,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char **blob, size_t *bloblen,
    unsigned char sealed_key[EVIDENCE_SEALED_KEY_BYTES]);

/*
 * Decrypt what evidence_seal() made, with the evidence key pair: *plain
 * (sodium_malloc'd: the caller sodium_free()s it) and its length.  0, or
 * -1 when the key does not open it or a chunk was altered, cut or moved.
 */
int evidence_open(const unsigned char *blob, size_t bloblen,
    const unsigned char sealed_key[EVIDENCE_SEALED_KEY_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    const unsigned char secret_key[crypto_box_SECRETKEYBYTES],
    unsigned char **plain, size_t *n);

/*
 * Are n bytes at b those whose SHA-256 the provider named (64 hex digits
 * or 44 characters of base64, as the WhatsApp media URL answer gives it)?
 * 1 yes, 0 no (a corrupted download), -1 the claim is no SHA-256 at all.
 */
int evidence_sha256_matches(
    const unsigned char *b, size_t n, const char *claimed);

/* "foto", "video", "pesan suara", "dokumen". */
const char *evidence_kind_word(enum evidence_kind);
/* The kind's name as stored ("image", ...); NULL for none. */
const char *evidence_kind_name(enum evidence_kind);

/*
 * What a report carries, for an alert: "2 foto, 1 pesan suara" (counts
 * by kind; "" when all are 0).
 */
void evidence_summary(const int counts[EVIDENCE_KINDS], char *out, size_t len);

#endif
