/*
 * recovery: implements queue/recovery.h.  A proquint spells 16 bits as
 * consonant, vowel, consonant, vowel, consonant (4, 2, 4, 2, 4 bits).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "queue/recovery.h"

#define SEED_BYTES crypto_box_SEEDBYTES

static const char consonants[] = "bdfghjklmnprstvz";
static const char vowels[] = "aiou";

static void
spell(unsigned v, char out[6])
{
	out[0] = consonants[(v >> 12) & 15];
	out[1] = vowels[(v >> 10) & 3];
	out[2] = consonants[(v >> 6) & 15];
	out[3] = vowels[(v >> 4) & 3];
	out[4] = consonants[v & 15];
	out[5] = '\0';
}

static int
index_of(const char *set, int c)
{
	const char *p = strchr(set, c);

	return c != '\0' && p != NULL ? (int)(p - set) : -1;
}

/* The 16 bits of a word; -1 when it is not a proquint. */
static long
read_word(const char *w)
{
	int a = index_of(consonants, w[0]), b = index_of(vowels, w[1]),
	    c = index_of(consonants, w[2]), d = index_of(vowels, w[3]),
	    e = index_of(consonants, w[4]);

	if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0)
		return -1;
	return (long)a << 12 | (long)b << 10 | (long)c << 6 | (long)d << 4 | e;
}

static unsigned
checksum(const unsigned char half[SEED_BYTES])
{
	unsigned char h[2];

	crypto_generichash(h, sizeof h, half, SEED_BYTES,
	    (const unsigned char *)"hotline recovery", 16);
	return (unsigned)h[0] << 8 | h[1];
}

static void
write_half(const unsigned char half[SEED_BYTES], char out[RECOVERY_HALF_TEXT])
{
	size_t i;

	for (i = 0; i < SEED_BYTES / 2; i++) {
		spell(
		    (unsigned)half[2 * i] << 8 | half[2 * i + 1], out + i * 6);
		out[i * 6 + 5] = '-';
	}
	spell(checksum(half), out + i * 6);
}

void
recovery_new(unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    char half1[RECOVERY_HALF_TEXT], char half2[RECOVERY_HALF_TEXT])
{
	unsigned char seed[SEED_BYTES], a[SEED_BYTES], b[SEED_BYTES],
	    sk[crypto_box_SECRETKEYBYTES];
	size_t i;

	randombytes_buf(seed, sizeof seed);
	randombytes_buf(a, sizeof a);
	for (i = 0; i < SEED_BYTES; i++)
		b[i] = seed[i] ^ a[i];
	crypto_box_seed_keypair(public_key, sk, seed);
	write_half(a, half1);
	write_half(b, half2);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	sodium_memzero(sk, sizeof sk);
}

int
recovery_open(const char *text,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char *secret_key, char *err, size_t errlen)
{
	unsigned char halves[2][SEED_BYTES], seed[SEED_BYTES];
	unsigned words[2 * RECOVERY_WORDS];
	size_t n = 0, i, h;
	const char *p = text;
	char w[6];
	long v;
	int rc = -1;

	/*
	 * A line holding a recovery word is a line of words, where every
	 * five-letter word must be one; other lines are left alone.
	 */
	while (*p != '\0') {
		const char *eol = strchr(p, '\n'), *q = p;
		size_t len, found = 0, bad_at = 0;
		char bad[6] = "";

		if (eol == NULL)
			eol = p + strlen(p);
		while (q < eol) {
			while (q < eol && !isalpha((unsigned char)*q))
				q++;
			for (len = 0;
			     q + len < eol && isalpha((unsigned char)q[len]);
			     len++)
				;
			if (len == 5) {
				for (i = 0; i < 5; i++)
					w[i] =
					    (char)tolower((unsigned char)q[i]);
				w[5] = '\0';
				if ((v = read_word(w)) >= 0) {
					if (n < 2 * RECOVERY_WORDS)
						words[n] = (unsigned)v;
					n++;
					found++;
				} else if (bad[0] == '\0') {
					memcpy(bad, w, sizeof bad);
					bad_at = n + 1;
				}
			}
			q += len;
		}
		if (found > 0 && bad[0] != '\0') {
			snprintf(err, errlen,
			    "word %zu (\"%s\") is not a recovery word", bad_at,
			    bad);
			goto done;
		}
		p = *eol == '\n' ? eol + 1 : eol;
	}
	if (n > 2 * RECOVERY_WORDS) {
		snprintf(err, errlen,
		    "more than %d words: give the two halves only",
		    2 * RECOVERY_WORDS);
		goto done;
	}
	if (n != 2 * RECOVERY_WORDS) {
		snprintf(err, errlen,
		    "%zu recovery words; the two halves make %d", n,
		    2 * RECOVERY_WORDS);
		goto done;
	}
	for (h = 0; h < 2; h++) {
		const unsigned *hw = words + h * RECOVERY_WORDS;

		for (i = 0; i < SEED_BYTES / 2; i++) {
			halves[h][2 * i] = (unsigned char)(hw[i] >> 8);
			halves[h][2 * i + 1] = (unsigned char)(hw[i] & 0xff);
		}
		if (checksum(halves[h]) != hw[RECOVERY_WORDS - 1]) {
			snprintf(err, errlen,
			    "half %zu does not check: a word of it is "
			    "mistyped",
			    h + 1);
			goto done;
		}
	}
	/* the same half twice would give the seed 0, a key anyone has */
	if (sodium_memcmp(halves[0], halves[1], SEED_BYTES) == 0) {
		snprintf(err, errlen,
		    "the two halves are the same: give each keeper's half "
		    "once");
		goto done;
	}
	for (i = 0; i < SEED_BYTES; i++)
		seed[i] = halves[0][i] ^ halves[1][i];
	crypto_box_seed_keypair(public_key, secret_key, seed);
	rc = 0;
done:
	sodium_memzero(words, sizeof words);
	sodium_memzero(w, sizeof w);
	sodium_memzero(halves, sizeof halves);
	sodium_memzero(seed, sizeof seed);
	return rc;
}
