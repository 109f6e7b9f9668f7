/*
 * test_seal: sealed identities open only for their report and key, hide
 * the length of names and never show plaintext; the custodian key files
 * are created once, with the right modes, and unwrap only with the right
 * passphrase and untouched contents.  The key file tests share one keygen
 * (each Argon2id derivation costs about half a second).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue/custody.h"
#include "queue/seal.h"
#include "tests/unit/testlib.h"

#define NUMBER	   "+6281234567890"
#define NUMBER_LOC "081234567890"
#define PROFILE	   "Siti Rahmawati"
#define PROVIDER   "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA"
#define PASSPHRASE "korek api kayu bakar"

struct keydir {
	char dir[TESTLIB_DIR_MAX];
	char keypath[TESTLIB_PATH_MAX];
	char pubpath[TESTLIB_PATH_MAX];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
};

static struct keydir kd;

static void
full_identity(struct identity *id)
{
	memset(id, 0, sizeof(*id));
	strcpy(id->channel, "whatsapp");
	strcpy(id->sender, NUMBER);
	strcpy(id->user_id, "ID.1234567890abcdef");
	strcpy(id->profile_name, PROFILE);
	strcpy(id->provider_id, PROVIDER);
	id->received_at = 1767225600 + 12345;
}

static void
random_report(unsigned char rid[SEAL_REPORT_ID_BYTES])
{
	randombytes_buf(rid, SEAL_REPORT_ID_BYTES);
}

static int
contains(const void *hay, size_t haylen, const char *needle)
{
	return memmem(hay, haylen, needle, strlen(needle)) != NULL;
}

static void
assert_identity_equal(const struct identity *a, const struct identity *b)
{
	assert_string_equal(a->channel, b->channel);
	assert_string_equal(a->sender, b->sender);
	assert_string_equal(a->user_id, b->user_id);
	assert_string_equal(a->profile_name, b->profile_name);
	assert_string_equal(a->provider_id, b->provider_id);
	assert_true(a->received_at == b->received_at);
}

/* What most tests seal: a fresh key pair and report id, a full identity. */
struct sealing {
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	unsigned char rid[SEAL_REPORT_ID_BYTES];
	struct identity id;
	char err[128];
};

static void
new_sealing(struct sealing *w)
{
	crypto_box_keypair(w->pk, w->sk);
	random_report(w->rid);
	full_identity(&w->id);
	w->err[0] = '\0';
}

/* Seal w's identity into s, which must work. */
static void
seal(struct sealing *w, struct sealed_identity *s)
{
	assert_int_equal(
	    seal_identity(&w->id, w->rid, w->pk, s, w->err, sizeof(w->err)), 0);
}

static void
roundtrip(const struct identity *id)
{
	struct sealing w;
	struct sealed_identity s;
	struct identity got;

	new_sealing(&w);
	w.id = *id;
	seal(&w, &s);
	assert_int_equal(seal_open_identity(
			     &s, w.rid, w.pk, w.sk, &got, w.err, sizeof(w.err)),
	    0);
	assert_identity_equal(id, &got);
}

static void
test_roundtrip_full(void **state)
{
	struct identity id;

	(void)state;
	full_identity(&id);
	roundtrip(&id);
	id.received_at = -1; /* negative times survive too */
	roundtrip(&id);
}

static void
test_roundtrip_empty(void **state)
{
	struct identity id;

	(void)state;
	memset(&id, 0, sizeof(id));
	roundtrip(&id);
}

static void
test_roundtrip_longest(void **state)
{
	struct identity id;

	(void)state;
	memset(&id, 'x', sizeof(id));
	id.channel[sizeof(id.channel) - 1] = '\0';
	id.sender[sizeof(id.sender) - 1] = '\0';
	id.user_id[sizeof(id.user_id) - 1] = '\0';
	id.profile_name[sizeof(id.profile_name) - 1] = '\0';
	id.provider_id[sizeof(id.provider_id) - 1] = '\0';
	id.received_at = 0;
	roundtrip(&id);
}

static void
test_unterminated_field_refused(void **state)
{
	struct sealing w;
	struct sealed_identity s;

	(void)state;
	new_sealing(&w);
	memset(w.id.profile_name, 'A', sizeof(w.id.profile_name));
	assert_int_equal(
	    seal_identity(&w.id, w.rid, w.pk, &s, w.err, sizeof(w.err)), -1);
	assert_false(contains(w.err, strlen(w.err), "AAAA"));
	assert_int_equal(s.ciphertext_len, 0);
}

static void
test_padding_hides_length(void **state)
{
	struct sealing w;
	struct sealed_identity a, b, c;

	(void)state;
	new_sealing(&w);
	strcpy(w.id.profile_name, "A");
	seal(&w, &a);
	memset(w.id.profile_name, 'B', 120);
	w.id.profile_name[120] = '\0';
	seal(&w, &b);
	memset(&w.id, 0, sizeof(w.id));
	seal(&w, &c);

	assert_int_equal(a.ciphertext_len, b.ciphertext_len);
	assert_int_equal(a.ciphertext_len, c.ciphertext_len);
	assert_int_equal(a.ciphertext_len,
	    SEAL_PAD_BLOCK + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	assert_int_equal(
	    (a.ciphertext_len - crypto_aead_xchacha20poly1305_ietf_ABYTES) %
		SEAL_PAD_BLOCK,
	    0);
	/* Two seals of one identity share nothing visible. */
	assert_memory_not_equal(a.nonce, b.nonce, sizeof(a.nonce));
	assert_memory_not_equal(
	    a.sealed_key, b.sealed_key, sizeof(a.sealed_key));

	/* A record longer than one block takes whole blocks. */
	full_identity(&w.id);
	memset(w.id.profile_name, 'C', sizeof(w.id.profile_name) - 1);
	w.id.profile_name[sizeof(w.id.profile_name) - 1] = '\0';
	seal(&w, &b);
	assert_true(b.ciphertext_len > a.ciphertext_len);
	assert_int_equal(
	    (b.ciphertext_len - crypto_aead_xchacha20poly1305_ietf_ABYTES) %
		SEAL_PAD_BLOCK,
	    0);
}

static void
test_no_plaintext_in_sealed(void **state)
{
	struct sealing w;
	struct sealed_identity s;
	int i;

	(void)state;
	new_sealing(&w);
	for (i = 0; i < 50; i++) {
		random_report(w.rid);
		full_identity(&w.id);
		seal(&w, &s);
		assert_false(contains(&s, sizeof(s), NUMBER));
		assert_false(contains(&s, sizeof(s), NUMBER_LOC));
		assert_false(contains(&s, sizeof(s), "81234567890"));
		assert_false(contains(&s, sizeof(s), PROFILE));
		assert_false(contains(&s, sizeof(s), PROVIDER));
		assert_false(contains(&s, sizeof(s), "whatsapp"));
	}
}

static void
test_other_report_fails(void **state)
{
	unsigned char other[SEAL_REPORT_ID_BYTES];
	struct sealing w;
	struct sealed_identity s;
	struct identity got;

	(void)state;
	new_sealing(&w);
	memcpy(other, w.rid, sizeof(other));
	other[SEAL_REPORT_ID_BYTES - 1] ^= 1;
	seal(&w, &s);
	assert_int_equal(seal_open_identity(
			     &s, other, w.pk, w.sk, &got, w.err, sizeof(w.err)),
	    -1);
	assert_string_equal(w.err, "sealed identity is corrupt");
	assert_false(contains(&got, sizeof(got), NUMBER));
}

static void
expect_open_fails(const struct sealed_identity *s, const unsigned char *rid,
    const unsigned char *pk, const unsigned char *sk)
{
	struct identity got;
	char err[128] = "";

	memset(&got, 0x55, sizeof(got));
	assert_int_equal(
	    seal_open_identity(s, rid, pk, sk, &got, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	assert_false(contains(err, strlen(err), NUMBER));
	assert_false(contains(err, strlen(err), PROFILE));
	assert_false(contains(&got, sizeof(got), NUMBER));
	assert_false(contains(&got, sizeof(got), PROFILE));
}

static void
test_tampering_fails(void **state)
{
	struct sealing w;
	struct sealed_identity s, t;
	size_t i;

	(void)state;
	new_sealing(&w);
	seal(&w, &s);

	for (i = 0; i < s.ciphertext_len; i += 37) {
		t = s;
		t.ciphertext[i] ^= 0x01;
		expect_open_fails(&t, w.rid, w.pk, w.sk);
	}
	t = s;
	t.ciphertext[s.ciphertext_len - 1] ^= 0x80; /* the tag */
	expect_open_fails(&t, w.rid, w.pk, w.sk);
	for (i = 0; i < sizeof(s.nonce); i++) {
		t = s;
		t.nonce[i] ^= 0x01;
		expect_open_fails(&t, w.rid, w.pk, w.sk);
	}
	for (i = 0; i < sizeof(s.sealed_key); i++) {
		t = s;
		t.sealed_key[i] ^= 0x01;
		expect_open_fails(&t, w.rid, w.pk, w.sk);
	}

	/* Impossible lengths are refused before any decryption. */
	t = s;
	t.ciphertext_len = 0;
	expect_open_fails(&t, w.rid, w.pk, w.sk);
	t.ciphertext_len = s.ciphertext_len - 1;
	expect_open_fails(&t, w.rid, w.pk, w.sk);
	t.ciphertext_len = s.ciphertext_len + SEAL_PAD_BLOCK;
	expect_open_fails(&t, w.rid, w.pk, w.sk);
	t.ciphertext_len = SEAL_MAX_CIPHERTEXT + 1;
	expect_open_fails(&t, w.rid, w.pk, w.sk);
	t.ciphertext_len = (size_t)-1;
	expect_open_fails(&t, w.rid, w.pk, w.sk);
}

static void
test_wrong_keypair_fails(void **state)
{
	unsigned char pk2[crypto_box_PUBLICKEYBYTES];
	unsigned char sk2[crypto_box_SECRETKEYBYTES];
	struct sealing w;
	struct sealed_identity s;
	struct identity got;

	(void)state;
	new_sealing(&w);
	crypto_box_keypair(pk2, sk2);
	seal(&w, &s);
	assert_int_equal(
	    seal_open_identity(&s, w.rid, pk2, sk2, &got, w.err, sizeof(w.err)),
	    -1);
	assert_string_equal(w.err, "identity does not open with this key");
	/* The right secret key with another public key fails too. */
	expect_open_fails(&s, w.rid, pk2, w.sk);
	expect_open_fails(&s, w.rid, w.pk, sk2);
}

/* Key files. */

static char *
slurp(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

static void
spit(const char *path, const char *text)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static int
keydir_setup(void **state)
{
	char err[256];

	(void)state;
	if (testlib_mkdtemp(kd.dir, "test_seal") != 0)
		return -1;
	testlib_path(kd.keypath, kd.dir, "mayor.key");
	testlib_path(kd.pubpath, kd.dir, "mayor.pub");
	if (seal_keygen(kd.dir, "mayor", PASSPHRASE, err, sizeof(err)) != 0) {
		fprintf(stderr, "seal_keygen: %s\n", err);
		return -1;
	}
	return seal_parse_public_key(slurp(kd.pubpath), kd.pk);
}

static int
keydir_teardown(void **state)
{
	(void)state;
	testlib_rmtree(kd.dir);
	return 0;
}

static void
test_keygen_files(void **state)
{
	struct stat st;
	char *text;

	(void)state;
	assert_int_equal(stat(kd.pubpath, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(kd.keypath, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	text = slurp(kd.pubpath);
	assert_int_equal(strlen(text), 45); /* 44 base64 characters + \n */
	assert_int_equal(text[44], '\n');

	text = slurp(kd.keypath);
	assert_int_equal(strncmp(text, "hotline-mayor-key 1\npublic ", 27), 0);
	assert_non_null(strstr(text, "\nsalt "));
	assert_non_null(strstr(text, "\nopslimit 3\n"));
	assert_non_null(strstr(text, "\nmemlimit 268435456\n"));
	assert_non_null(strstr(text, "\nnonce "));
	assert_non_null(strstr(text, "\nwrapped "));
	assert_null(strstr(text, PASSPHRASE));
}

static void
test_keygen_refuses_overwrite(void **state)
{
	char before_key[4096], before_pub[4096], err[256];
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX];
	struct stat st;

	(void)state;
	strcpy(before_key, slurp(kd.keypath));
	strcpy(before_pub, slurp(kd.pubpath));
	assert_int_equal(
	    seal_keygen(kd.dir, "mayor", PASSPHRASE, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refusing to overwrite"));
	assert_string_equal(slurp(kd.keypath), before_key);
	assert_string_equal(slurp(kd.pubpath), before_pub);

	/* Only mayor.pub there: refused, and no mayor.key left behind. */
	assert_int_equal(testlib_mkdtemp(dir, "test_seal"), 0);
	testlib_path(path, dir, "mayor.pub");
	spit(path, "not mine\n");
	assert_int_equal(
	    seal_keygen(dir, "mayor", PASSPHRASE, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refusing to overwrite"));
	assert_string_equal(slurp(path), "not mine\n");
	testlib_path(path, dir, "mayor.key");
	assert_int_equal(stat(path, &st), -1);
	testlib_rmtree(dir);
}

static void
test_keygen_short_passphrase(void **state)
{
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX], err[256];
	struct stat st;

	(void)state;
	assert_int_equal(testlib_mkdtemp(dir, "test_seal"), 0);
	assert_int_equal(seal_keygen(dir, "mayor", "", err, sizeof(err)), -1);
	assert_string_equal(err, "passphrase must be at least 8 characters");
	assert_int_equal(
	    seal_keygen(dir, "mayor", "1234567", err, sizeof(err)), -1);
	assert_string_equal(err, "passphrase must be at least 8 characters");
	/* Seven characters, eleven bytes. */
	assert_int_equal(seal_keygen(dir, "mayor",
			     "k\xc3\xa4s\xc3\xa9 \xc3\xbc!", err, sizeof(err)),
	    -1);
	assert_int_equal(seal_keygen(dir, "mayor", NULL, err, sizeof(err)), -1);
	testlib_path(path, dir, "mayor.key");
	assert_int_equal(stat(path, &st), -1);
	testlib_path(path, dir, "mayor.pub");
	assert_int_equal(stat(path, &st), -1);
	testlib_rmtree(dir);
}

/* A custodian's name makes its file names: no name, no path in it. */
static void
test_keygen_bad_name(void **state)
{
	static const char *const bad[] = {NULL, "", "a/b", "../mayor", "/x"};
	char dir[TESTLIB_DIR_MAX], err[256];
	size_t i;

	(void)state;
	assert_int_equal(testlib_mkdtemp(dir, "test_seal"), 0);
	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		strcpy(err, "");
		assert_int_equal(
		    seal_keygen(dir, bad[i], PASSPHRASE, err, sizeof(err)), -1);
		assert_string_equal(err, "no key directory or name given");
	}
	assert_int_equal(
	    seal_keygen(NULL, "mayor", PASSPHRASE, err, sizeof(err)), -1);
	assert_int_equal(
	    seal_keygen("", "mayor", PASSPHRASE, err, sizeof(err)), -1);
	/* nothing was made */
	assert_int_equal(rmdir(dir), 0);
}

static void
test_unwrap_opens_identity(void **state)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char rid[SEAL_REPORT_ID_BYTES];
	unsigned char *sk;
	struct sealed_identity s;
	struct identity id, got;
	char err[256];

	(void)state;
	sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	assert_non_null(sk);
	assert_int_equal(
	    seal_unwrap_key(kd.keypath, PASSPHRASE, pk, sk, err, sizeof(err)),
	    0);
	assert_memory_equal(pk, kd.pk, sizeof(pk));

	random_report(rid);
	full_identity(&id);
	assert_int_equal(
	    seal_identity(&id, rid, kd.pk, &s, err, sizeof(err)), 0);
	assert_int_equal(
	    seal_open_identity(&s, rid, pk, sk, &got, err, sizeof(err)), 0);
	assert_identity_equal(&id, &got);
	sodium_free(sk);
}

static void
test_unwrap_wrong_passphrase(void **state)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char *sk;
	char err[256];

	(void)state;
	sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	assert_non_null(sk);
	assert_int_equal(seal_unwrap_key(kd.keypath, PASSPHRASE "!", pk, sk,
			     err, sizeof(err)),
	    -1);
	assert_string_equal(err, "wrong passphrase or damaged key file");
	assert_int_equal(
	    seal_unwrap_key(kd.keypath, "", pk, sk, err, sizeof(err)), -1);
	sodium_free(sk);
}

/* seal_unlock_key: the secret key only for the configured public key. */
static void
test_unlock_key(void **state)
{
	unsigned char check[crypto_box_PUBLICKEYBYTES];
	unsigned char other[crypto_box_PUBLICKEYBYTES];
	unsigned char *sk;
	char err[256];

	(void)state;
	sk = seal_unlock_key(kd.keypath, PASSPHRASE, kd.pk, err, sizeof(err));
	assert_non_null(sk);
	assert_int_equal(crypto_scalarmult_base(check, sk), 0);
	assert_memory_equal(check, kd.pk, sizeof(check));
	sodium_free(sk);

	memcpy(other, kd.pk, sizeof(other));
	other[0] ^= 1;
	assert_null(
	    seal_unlock_key(kd.keypath, PASSPHRASE, other, err, sizeof(err)));
	assert_non_null(strstr(err, "is not the key of mayor_public"));
	assert_null(seal_unlock_key(
	    kd.keypath, PASSPHRASE "!", kd.pk, err, sizeof(err)));
	assert_string_equal(err, "wrong passphrase or damaged key file");
}

/* Replace the value of the line "name ..." of the key file text. */
static void
tamper(const char *name, const char *value, char *out, size_t outlen)
{
	char *text = slurp(kd.keypath), *line, *eol;
	char key[32];

	snprintf(key, sizeof(key), "\n%s ", name);
	line = strstr(text, key);
	assert_non_null(line);
	line += strlen(key);
	eol = strchr(line, '\n');
	assert_non_null(eol);
	snprintf(out, outlen, "%.*s%s%s", (int)(line - text), text, value, eol);
}

static void
expect_unwrap_fails(const char *text, const char *msg)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	unsigned char *sk;
	char path[TESTLIB_PATH_MAX], err[256];

	testlib_path(path, kd.dir, "tampered.key");
	spit(path, text);
	sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	assert_non_null(sk);
	memset(pk, 0, sizeof(pk));
	assert_int_equal(
	    seal_unwrap_key(path, PASSPHRASE, pk, sk, err, sizeof(err)), -1);
	if (msg != NULL)
		assert_non_null(strstr(err, msg));
	assert_true(sodium_is_zero(sk, crypto_box_SECRETKEYBYTES));
	assert_true(sodium_is_zero(pk, sizeof(pk)));
	sodium_free(sk);
	unlink(path);
}

static void
test_unwrap_tampered(void **state)
{
	unsigned char pk2[crypto_box_PUBLICKEYBYTES];
	unsigned char sk2[crypto_box_SECRETKEYBYTES];
	char b64[64], text[4096], *w;

	(void)state;
	/* Another public key: the AD no longer matches. */
	crypto_box_keypair(pk2, sk2);
	sodium_bin2base64(
	    b64, sizeof(b64), pk2, sizeof(pk2), sodium_base64_VARIANT_ORIGINAL);
	tamper("public", b64, text, sizeof(text));
	expect_unwrap_fails(text, "wrong passphrase or damaged key file");

	/* One changed character of the wrapped key. */
	strcpy(text, slurp(kd.keypath));
	w = strstr(text, "\nwrapped ");
	assert_non_null(w);
	w += strlen("\nwrapped ");
	*w = *w == 'A' ? 'B' : 'A';
	expect_unwrap_fails(text, "wrong passphrase or damaged key file");
}

static void
test_unwrap_malformed(void **state)
{
	/* a line of the key file changed, and what the error says */
	static const struct {
		const char *name, *value, *msg;
	} lines[] = {
	    {"opslimit", "21", "opslimit out of range"},
	    {"opslimit", "0", "opslimit out of range"},
	    {"opslimit", "-3", "malformed"},
	    {"memlimit", "1073741825", "memlimit out of range"},
	    {"memlimit", "99999999999999999999999", "malformed"},
	    {"salt", "AAAA", "malformed"},
	    {"nonce", "not base64!", "malformed"},
	    {"public", "", "malformed"},
	};
	char text[4096], *p;
	size_t i;

	(void)state;
	/* None of these reach the key derivation. */
	for (i = 0; i < TESTLIB_COUNT(lines); i++) {
		tamper(lines[i].name, lines[i].value, text, sizeof(text));
		expect_unwrap_fails(text, lines[i].msg);
	}

	strcpy(text, slurp(kd.keypath));
	text[strlen("hotline-mayor-key ")] = '2';
	expect_unwrap_fails(text, "unsupported");

	strcpy(text, slurp(kd.keypath));
	strcat(text, "extra 1\n");
	expect_unwrap_fails(text, "unexpected text");

	strcpy(text, slurp(kd.keypath));
	p = strstr(text, "\nnonce ");
	assert_non_null(p);
	p[1] = 'N';
	expect_unwrap_fails(text, "malformed");

	strcpy(text, slurp(kd.keypath));
	p = strstr(text, "\nwrapped ");
	p[1] = '\0'; /* truncated */
	expect_unwrap_fails(text, "malformed");

	expect_unwrap_fails("", "malformed");
	memset(text, 'a', 2000);
	text[2000] = '\0';
	expect_unwrap_fails(text, "too large");
}

static void
test_parse_public_key(void **state)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES], bin[33];
	char b64[64], text[128];

	(void)state;
	assert_int_equal(seal_parse_public_key(slurp(kd.pubpath), pk), 0);
	assert_memory_equal(pk, kd.pk, sizeof(pk));

	sodium_bin2base64(b64, sizeof(b64), kd.pk, sizeof(kd.pk),
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, sizeof(text), "  \t%s \r\n\n", b64);
	memset(pk, 0, sizeof(pk));
	assert_int_equal(seal_parse_public_key(text, pk), 0);
	assert_memory_equal(pk, kd.pk, sizeof(pk));
	assert_int_equal(seal_parse_public_key(b64, pk), 0);

	assert_int_equal(seal_parse_public_key("", pk), -1);
	assert_int_equal(seal_parse_public_key(" \n", pk), -1);
	assert_int_equal(seal_parse_public_key("not a key at all", pk), -1);
	snprintf(text, sizeof(text), "%s x", b64);
	assert_int_equal(seal_parse_public_key(text, pk), -1);
	snprintf(text, sizeof(text), "%.43s", b64); /* padding dropped */
	assert_int_equal(seal_parse_public_key(text, pk), -1);
	snprintf(text, sizeof(text), "%.20s %s", b64, b64 + 20);
	assert_int_equal(seal_parse_public_key(text, pk), -1);

	memset(bin, 0xfb, sizeof(bin)); /* "+" and "/" vs "-" and "_" */
	sodium_bin2base64(
	    b64, sizeof(b64), bin, 32, sodium_base64_VARIANT_URLSAFE);
	assert_int_equal(seal_parse_public_key(b64, pk), -1);
	sodium_bin2base64(
	    b64, sizeof(b64), bin, 31, sodium_base64_VARIANT_ORIGINAL);
	assert_int_equal(seal_parse_public_key(b64, pk), -1);
	sodium_bin2base64(
	    b64, sizeof(b64), bin, 33, sodium_base64_VARIANT_ORIGINAL);
	assert_int_equal(seal_parse_public_key(b64, pk), -1);
	sodium_bin2base64(
	    b64, sizeof(b64), bin, 32, sodium_base64_VARIANT_ORIGINAL);
	assert_int_equal(seal_parse_public_key(b64, pk), 0);
	assert_memory_equal(pk, bin, 32);
}

/* The fingerprint: 4 groups of 4 hex digits, one per key, and the pins. */
static void
test_fingerprint(void **state)
{
	unsigned char pk[2][crypto_box_PUBLICKEYBYTES],
	    sk[crypto_box_SECRETKEYBYTES];
	char a[SEAL_FINGERPRINT_TEXT], b[SEAL_FINGERPRINT_TEXT],
	    c[CUSTODY_PINS_MAX], err[128];
	struct custody cu = {.requires = 1};
	size_t i;

	(void)state;
	crypto_box_keypair(pk[0], sk);
	crypto_box_keypair(pk[1], sk);
	seal_fingerprint(pk[0], a);
	assert_int_equal(strlen(a), SEAL_FINGERPRINT_TEXT - 1);
	for (i = 0; i < SEAL_FINGERPRINT_TEXT - 1; i++)
		assert_true(i % 5 == 4
			? a[i] == ' '
			: strchr("0123456789abcdef", a[i]) != NULL);
	seal_fingerprint(pk[0], b);
	assert_string_equal(a, b);
	seal_fingerprint(pk[1], b);
	assert_string_not_equal(a, b);
	/* the pins of the mayor alone: "mayor=" and its fingerprint */
	assert_int_equal(custody_add(&cu, "mayor", pk[0], err, sizeof err), 0);
	custody_pins(&cu, c);
	assert_int_equal(strncmp(c, "mayor=", 6), 0);
	assert_string_equal(c + strlen("mayor="), a);
}

int
main(void)
{
	const struct CMUnitTest seal_tests[] = {
	    cmocka_unit_test(test_roundtrip_full),
	    cmocka_unit_test(test_roundtrip_empty),
	    cmocka_unit_test(test_roundtrip_longest),
	    cmocka_unit_test(test_unterminated_field_refused),
	    cmocka_unit_test(test_padding_hides_length),
	    cmocka_unit_test(test_no_plaintext_in_sealed),
	    cmocka_unit_test(test_other_report_fails),
	    cmocka_unit_test(test_tampering_fails),
	    cmocka_unit_test(test_wrong_keypair_fails),
	};
	const struct CMUnitTest key_tests[] = {
	    cmocka_unit_test(test_keygen_files),
	    cmocka_unit_test(test_keygen_refuses_overwrite),
	    cmocka_unit_test(test_keygen_short_passphrase),
	    cmocka_unit_test(test_keygen_bad_name),
	    cmocka_unit_test(test_unwrap_opens_identity),
	    cmocka_unit_test(test_unwrap_wrong_passphrase),
	    cmocka_unit_test(test_unlock_key),
	    cmocka_unit_test(test_unwrap_tampered),
	    cmocka_unit_test(test_unwrap_malformed),
	    cmocka_unit_test(test_parse_public_key),
	    cmocka_unit_test(test_fingerprint),
	};
	int failed;

	if (seal_init() != 0)
		return 1;
	failed = cmocka_run_group_tests_name("seal", seal_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name(
	    "seal keys", key_tests, keydir_setup, keydir_teardown);
	return failed != 0;
}
