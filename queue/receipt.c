/*
 * receipt: drawing, reading and hashing receipts.  The hash is
 * crypto_pwhash (Argon2id13), 3 passes over 8 MiB: about 7.5 ms on this
 * class of machine, done off the webhook's path by the conversation
 * worker.  With 53 random bits a stolen database still needs about 2^52
 * such hashes to find one receipt (a million core-years), while the
 * worker keeps up with a city's reports.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "queue/receipt.h"

void
receipt_new(char digits[RECEIPT_DIGITS + 1], char shown[RECEIPT_TEXT])
{
	size_t i, n = 0;

	/* never one a citizen could take for a NIK, or we for one */
	do
		random_chars(digits, RECEIPT_DIGITS, "0123456789");
	while (receipt_nik_shaped(digits));
	for (i = 0; i < RECEIPT_DIGITS; i++) {
		if (i > 0 && i % 4 == 0)
			shown[n++] = '-';
		shown[n++] = digits[i];
	}
	digits[RECEIPT_DIGITS] = '\0';
	shown[n] = '\0';
}

int
receipt_nik_shaped(const char *d)
{
	int prov = (d[0] - '0') * 10 + (d[1] - '0');
	int day = (d[6] - '0') * 10 + (d[7] - '0');
	int month = (d[8] - '0') * 10 + (d[9] - '0');

	if (prov < 11 || prov > 96)
		return 0;
	if (day > 40)
		day -= 40; /* a woman's NIK */
	return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

void
random_chars(char *out, size_t n, const char *alphabet)
{
	unsigned char pool[64];
	size_t k = strlen(alphabet), used = sizeof pool, i = 0;
	/* Bytes at or above limit would favour the first letters. */
	unsigned limit = 256 - 256 % k;

	while (i < n) {
		if (used == sizeof pool) {
			randombytes_buf(pool, sizeof pool);
			used = 0;
		}
		if (pool[used] < limit)
			out[i++] = alphabet[pool[used] % k];
		used++;
	}
	sodium_memzero(pool, sizeof pool);
}

const char *
receipt_parse(const char *text, char digits[RECEIPT_DIGITS + 1])
{
	const char *p = text;
	size_t n = 0;

	while (*p == ' ')
		p++;
	while (*p != '\0' && n < RECEIPT_DIGITS) {
		if (isdigit((unsigned char)*p))
			digits[n++] = *p;
		else if (n == 0 || (*p != ' ' && *p != '-' && *p != '.'))
			break;
		p++;
	}
	/* Exactly 16 digits: a 17th digit means it is something else. */
	if (n != RECEIPT_DIGITS || isdigit((unsigned char)*p)) {
		sodium_memzero(digits, RECEIPT_DIGITS + 1);
		return NULL;
	}
	digits[n] = '\0';
	return p;
}

int
receipt_hash(const char digits[RECEIPT_DIGITS + 1],
    const unsigned char salt[RECEIPT_SALT_BYTES],
    unsigned char out[RECEIPT_HASH_BYTES])
{
	return crypto_pwhash(out, RECEIPT_HASH_BYTES, digits, RECEIPT_DIGITS,
		   salt, RECEIPT_OPSLIMIT, RECEIPT_MEMLIMIT,
		   crypto_pwhash_ALG_ARGON2ID13) == 0
	    ? 0
	    : -1;
}
