/*
 * receipt: drawing, reading and hashing receipts.  The hash is
 * crypto_pwhash (Argon2id13) with libsodium's INTERACTIVE limits (2
 * passes, 64 MiB): about 70 ms on this class of machine, done off the
 * webhook's path by the conversation worker.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "queue/receipt.h"

void
receipt_new(char digits[RECEIPT_DIGITS + 1], char shown[RECEIPT_TEXT])
{
	size_t i, n = 0;

	for (i = 0; i < RECEIPT_DIGITS; i++) {
		digits[i] = (char)('0' + randombytes_uniform(10));
		if (i > 0 && i % 4 == 0)
			shown[n++] = '-';
		shown[n++] = digits[i];
	}
	digits[RECEIPT_DIGITS] = '\0';
	shown[n] = '\0';
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
		   salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
		   crypto_pwhash_MEMLIMIT_INTERACTIVE,
		   crypto_pwhash_ALG_ARGON2ID13) == 0
	    ? 0
	    : -1;
}
