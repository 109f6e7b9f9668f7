/*
 * test_evidence: queue/evidence.h.  Types read from the bytes (each
 * allowed one, and what is refused); a JPEG whose EXIF carries GPS comes
 * out without it, its image data and colour profile intact, and broken
 * JPEGs are refused; encryption round trips at chunk edges, and fails
 * with a wrong key, a flipped byte, a cut or a swapped chunk; the SHA-256
 * a provider names, right, corrupted and malformed; the alert's words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "queue/evidence.h"

static void
test_sniff(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		int ok;
		enum evidence_kind kind;
		const char *mime;
	} cases[] = {
	    {"\xff\xd8\xff\xe0\0\x10JFIF", 10, 1, EVIDENCE_IMAGE, "image/jpeg"},
	    {"\x89PNG\r\n\x1a\n\0\0", 10, 1, EVIDENCE_IMAGE, "image/png"},
	    {"RIFF\x10\0\0\0WEBPVP8 ", 16, 1, EVIDENCE_IMAGE, "image/webp"},
	    {"\0\0\0\x18"
	     "ftypmp42",
		12, 1, EVIDENCE_VIDEO, "video/mp4"},
	    {"\0\0\0\x18"
	     "ftypisom",
		12, 1, EVIDENCE_VIDEO, "video/mp4"},
	    {"\0\0\0\x14"
	     "ftyp3gp4",
		12, 1, EVIDENCE_VIDEO, "video/3gpp"},
	    {"\0\0\0\x1c"
	     "ftypM4A ",
		12, 1, EVIDENCE_AUDIO, "audio/mp4"},
	    {"OggS\0\x02", 6, 1, EVIDENCE_AUDIO, "audio/ogg"},
	    {"\xff\xf1\x50\x80", 4, 1, EVIDENCE_AUDIO, "audio/aac"},
	    {"ID3\x04\0", 5, 1, EVIDENCE_AUDIO, "audio/mpeg"},
	    {"\xff\xfb\x90\x64", 4, 1, EVIDENCE_AUDIO, "audio/mpeg"},
	    {"%PDF-1.7\n", 9, 1, EVIDENCE_DOCUMENT, "application/pdf"},
	    /* refused */
	    {"GIF89a", 6, 0, 0, NULL},
	    {"PK\x03\x04", 4, 0, 0, NULL}, /* docx, apk, zip */
	    {"MZ\x90\0", 4, 0, 0, NULL},   /* an .exe */
	    {"RIFF\x10\0\0\0WAVE", 12, 0, 0, NULL},
	    {"<html>", 6, 0, 0, NULL},
	    {"\xff\xd8", 2, 0, 0, NULL}, /* too short to be a JPEG */
	    {"", 0, 0, 0, NULL},
	};
	struct evidence_type t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc = evidence_sniff(
		    (const unsigned char *)cases[i].bytes, cases[i].len, &t);

		if (!cases[i].ok) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(t.kind, cases[i].kind);
		assert_string_equal(t.mime, cases[i].mime);
	}
}

/* Append a segment: marker, its length (counting itself), payload. */
static size_t
seg(unsigned char *b, size_t n, unsigned char marker, const char *payload,
    size_t len)
{
	b[n++] = 0xff;
	b[n++] = marker;
	b[n++] = (unsigned char)((len + 2) >> 8);
	b[n++] = (unsigned char)((len + 2) & 0xff);
	memcpy(b + n, payload, len);
	return n + len;
}

#define SEG(b, n, marker, lit) seg(b, n, marker, lit, sizeof lit - 1)

/* A small JPEG: JFIF, EXIF with GPS, ICC, XMP, a comment, Adobe, scan. */
static size_t
make_jpeg(unsigned char *b)
{
	size_t n = 2;

	b[0] = 0xff;
	b[1] = 0xd8;
	n = SEG(b, n, 0xe0, "JFIF\0\1\1\0\0\1\0\1\0\0");
	/* EXIF with a GPS IFD (tag 0x8825) and a latitude */
	n = SEG(b, n, 0xe1,
	    "Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01"
	    "\0\0\0\x1a"
	    "GPSLat-7.8166");
	n = SEG(b, n, 0xe2, "ICC_PROFILE\0\1\1rgb!");
	n = SEG(b, n, 0xe1, "http://ns.adobe.com/xap/1.0/");
	n = SEG(b, n, 0xfe, "Budi Santoso!");
	n = SEG(b, n, 0xed, "Photo3.0");
	n = SEG(b, n, 0xee, "Adobe\0\x64\0\0\0\0\1");
	n = SEG(b, n, 0xdb, "\0\1\2");
	/* start of scan, entropy data with a stuffed 0xff00 and an RST */
	memcpy(b + n,
	    "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34\xff\x00\x56"
	    "\xff\xd0\x78\xff\xd9",
	    20);
	return n + 20;
}

static int
contains(const unsigned char *b, size_t n, const char *s)
{
	size_t l = strlen(s), i;

	for (i = 0; i + l <= n; i++)
		if (memcmp(b + i, s, l) == 0)
			return 1;
	return 0;
}

static void
test_strip_jpeg(void **state)
{
	unsigned char b[512];
	size_t n = make_jpeg(b), before = n;
	const unsigned char *scan;
	struct evidence_type t;
	char err[128];

	(void)state;
	assert_true(contains(b, n, "GPSLat"));
	assert_true(contains(b, n, "Exif"));
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), 0);
	assert_true(n < before);
	/* the metadata is gone */
	assert_false(contains(b, n, "Exif"));
	assert_false(contains(b, n, "GPSLat"));
	assert_false(contains(b, n, "-7.8166"));
	assert_false(contains(b, n, "xap/1.0"));
	assert_false(contains(b, n, "Budi Santoso"));
	assert_false(contains(b, n, "Photo3.0"));
	/* what draws the picture stays, in order */
	assert_true(contains(b, n, "JFIF"));
	assert_true(contains(b, n, "ICC_PROFILE"));
	assert_true(contains(b, n, "Adobe"));
	assert_memory_equal(b, "\xff\xd8\xff\xe0", 4);
	scan = b + n - 20;
	assert_memory_equal(scan,
	    "\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\x34\xff\x00\x56\xff"
	    "\xd0\x78\xff\xd9",
	    20);
	assert_int_equal(evidence_sniff(b, n, &t), 0);
	assert_string_equal(t.mime, "image/jpeg");
	/* stripping again changes nothing */
	before = n;
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), 0);
	assert_int_equal(n, before);
}

static void
test_strip_broken(void **state)
{
	unsigned char b[512];
	size_t n, full;
	char err[128];

	(void)state;
	full = make_jpeg(b);
	/* a segment length running past the end */
	n = 24;
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "length"));
	/* no scan at all */
	memcpy(b, "\xff\xd8\xff\xdb\x00\x03\x00\xff\xd9", 9);
	n = 9;
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "without image data"));
	/* garbage where a marker should be */
	make_jpeg(b);
	b[2] = 0x00;
	n = full;
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), -1);
	/* a length under 2 */
	make_jpeg(b);
	b[4] = 0;
	b[5] = 1;
	n = full;
	assert_int_equal(evidence_strip_jpeg(b, &n, err, sizeof err), -1);
	/* not a JPEG */
	n = 4;
	assert_int_equal(
	    evidence_strip_jpeg((unsigned char *)"%PDF", &n, err, sizeof err),
	    -1);
}

struct keys {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
};

/* Seal n pseudo-random bytes, open them, compare. */
static void
round_trip(const struct keys *k, size_t n)
{
	unsigned char *plain = malloc(n + 1), *blob, *back;
	unsigned char sealed[EVIDENCE_SEALED_KEY_BYTES];
	size_t bloblen, backlen;

	assert_non_null(plain);
	randombytes_buf(plain, n);
	assert_int_equal(
	    evidence_seal(plain, n, k->pk, &blob, &bloblen, sealed), 0);
	assert_true(bloblen <= EVIDENCE_SEALED_SIZE(n));
	assert_int_equal(
	    evidence_open(blob, bloblen, sealed, k->pk, k->sk, &back, &backlen),
	    0);
	assert_int_equal(backlen, n);
	if (n > 0)
		assert_memory_equal(back, plain, n);
	sodium_free(back);
	free(blob);
	free(plain);
}

static void
test_seal_round_trip(void **state)
{
	static const size_t sizes[] = {0, 1, 31, EVIDENCE_CHUNK - 1,
	    EVIDENCE_CHUNK, EVIDENCE_CHUNK + 1, 3 * EVIDENCE_CHUNK + 77};
	struct keys k;
	size_t i;

	(void)state;
	crypto_box_keypair(k.pk, k.sk);
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
		round_trip(&k, sizes[i]);
}

static void
test_seal_refused(void **state)
{
	unsigned char plain[3 * EVIDENCE_CHUNK], *blob, *back, *cut;
	unsigned char sealed[EVIDENCE_SEALED_KEY_BYTES];
	size_t bloblen, backlen, chunk;
	struct keys k, other;

	(void)state;
	crypto_box_keypair(k.pk, k.sk);
	crypto_box_keypair(other.pk, other.sk);
	memset(plain, 'x', sizeof plain);
	assert_int_equal(
	    evidence_seal(plain, sizeof plain, k.pk, &blob, &bloblen, sealed),
	    0);
	assert_false(contains(blob, bloblen, "xxxxxxxxxxxxxxxx"));
	/* another key */
	assert_int_equal(evidence_open(blob, bloblen, sealed, other.pk,
			     other.sk, &back, &backlen),
	    -1);
	assert_null(back);
	/* a flipped byte in the second chunk */
	chunk = EVIDENCE_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES;
	blob[crypto_secretstream_xchacha20poly1305_HEADERBYTES + chunk + 5] ^=
	    1;
	assert_int_equal(
	    evidence_open(blob, bloblen, sealed, k.pk, k.sk, &back, &backlen),
	    -1);
	blob[crypto_secretstream_xchacha20poly1305_HEADERBYTES + chunk + 5] ^=
	    1;
	assert_int_equal(
	    evidence_open(blob, bloblen, sealed, k.pk, k.sk, &back, &backlen),
	    0);
	sodium_free(back);
	/* cut after the second chunk: the last is missing */
	assert_int_equal(
	    evidence_open(blob,
		crypto_secretstream_xchacha20poly1305_HEADERBYTES + 2 * chunk,
		sealed, k.pk, k.sk, &back, &backlen),
	    -1);
	/* the first two chunks swapped */
	cut = malloc(bloblen);
	memcpy(cut, blob, bloblen);
	memcpy(cut + crypto_secretstream_xchacha20poly1305_HEADERBYTES,
	    blob + crypto_secretstream_xchacha20poly1305_HEADERBYTES + chunk,
	    chunk);
	memcpy(cut + crypto_secretstream_xchacha20poly1305_HEADERBYTES + chunk,
	    blob + crypto_secretstream_xchacha20poly1305_HEADERBYTES, chunk);
	assert_int_equal(
	    evidence_open(cut, bloblen, sealed, k.pk, k.sk, &back, &backlen),
	    -1);
	/* a sealed key altered */
	sealed[3] ^= 1;
	assert_int_equal(
	    evidence_open(blob, bloblen, sealed, k.pk, k.sk, &back, &backlen),
	    -1);
	free(cut);
	free(blob);
}

static void
test_sha256(void **state)
{
	static const unsigned char photo[] = "photo bytes";
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65],
	    b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	(void)state;
	crypto_hash_sha256(h, photo, sizeof photo - 1);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	sodium_bin2base64(
	    b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	assert_int_equal(
	    evidence_sha256_matches(photo, sizeof photo - 1, hex), 1);
	assert_int_equal(
	    evidence_sha256_matches(photo, sizeof photo - 1, b64), 1);
	/* a corrupted download */
	assert_int_equal(
	    evidence_sha256_matches(photo, sizeof photo - 2, hex), 0);
	assert_int_equal(
	    evidence_sha256_matches(photo, sizeof photo - 2, b64), 0);
	/* a claim that is no SHA-256 */
	assert_int_equal(evidence_sha256_matches(photo, 3, "abc"), -1);
	assert_int_equal(evidence_sha256_matches(photo, 3, NULL), -1);
	hex[10] = 'z';
	assert_int_equal(evidence_sha256_matches(photo, 3, hex), -1);
}

static void
test_summary(void **state)
{
	static const struct {
		int counts[EVIDENCE_KINDS];
		const char *want;
	} cases[] = {
	    {{2, 0, 1, 0}, "2 foto, 1 pesan suara"},
	    {{0, 0, 0, 0}, ""},
	    {{1, 1, 1, 1}, "1 foto, 1 video, 1 pesan suara, 1 dokumen"},
	    {{0, 0, 0, 3}, "3 dokumen"},
	};
	char out[128], tiny[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		evidence_summary(cases[i].counts, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
	evidence_summary(cases[2].counts, tiny, sizeof tiny);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
	assert_string_equal(evidence_kind_name(EVIDENCE_AUDIO), "audio");
	assert_null(evidence_kind_name(EVIDENCE_KINDS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_strip_jpeg),
	    cmocka_unit_test(test_strip_broken),
	    cmocka_unit_test(test_seal_round_trip),
	    cmocka_unit_test(test_seal_refused),
	    cmocka_unit_test(test_sha256),
	    cmocka_unit_test(test_summary),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
