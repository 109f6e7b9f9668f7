/*
 * receipt: the reporter's secret for following up a report (CEK, TAMBAH).
 * Sixteen digits (53 bits), easy to type on a phone keypad, shown as
 * 1234-5678-9012-3456 and accepted with or without separators.  It is
 * stored only as an Argon2id hash under a per-database salt, so a stolen
 * database cannot be searched for it, and every guess costs 8 MiB and
 * milliseconds.  It is not the report code OPD staff see.
 */
#ifndef HOTLINE_RECEIPT_H
#define HOTLINE_RECEIPT_H

#include <stddef.h>

#define RECEIPT_DIGITS	   16
#define RECEIPT_TEXT	   (RECEIPT_DIGITS + 3 + 1) /* with dashes */
#define RECEIPT_HASH_BYTES 32
#define RECEIPT_OPSLIMIT   3
#define RECEIPT_MEMLIMIT   (8U << 20)
#define RECEIPT_SALT_BYTES 16

/* n characters drawn uniformly from alphabet (under 256 letters). */
void random_chars(char *out, size_t n, const char *alphabet);

/*
 * Draw a new receipt: digits (RECEIPT_DIGITS + 1) and its display form.
 * Never one in the shape of a NIK (receipt_nik_shaped), so that sixteen
 * digits in that shape can be read as a NIK and never stored.
 */
void receipt_new(char digits[RECEIPT_DIGITS + 1], char shown[RECEIPT_TEXT]);

/*
 * Read a receipt at the start of text: 16 digits, possibly separated by
 * spaces, dashes or dots.  On success fill digits and return a pointer to
 * what follows; NULL when text does not start with a receipt.
 */
const char *receipt_parse(const char *text, char digits[RECEIPT_DIGITS + 1]);

/*
 * Sixteen digits (at least) in the shape of a NIK: a province code 11-96,
 * then at positions 7-12 a birth date (the day plus 40 for women) and
 * month.
 */
int receipt_nik_shaped(const char *digits);

/* The slow hash of a receipt (Argon2id, 8 MiB).  Returns 0 or -1. */
int receipt_hash(const char digits[RECEIPT_DIGITS + 1],
    const unsigned char salt[RECEIPT_SALT_BYTES],
    unsigned char out[RECEIPT_HASH_BYTES]);

#endif
