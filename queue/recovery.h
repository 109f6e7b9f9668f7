/*
 * recovery: a custodian that lives on paper only, for when the mayor's
 * passphrase is lost or a new mayor takes over.  Its secret is a random
 * 32-byte seed (crypto_box_seed_keypair() makes the keys from it), split
 * in two by XOR: each half printed as 17 proquints (pronounceable
 * five-letter words of 16 bits each, "lusab-babad"; the last a checksum of
 * the half), one half for the Sekda and one for the Inspektur.  Neither
 * half alone says anything about the seed; typed in together they give
 * the secret key back, for `hotline rekey`.  Pure.
 */
#ifndef HOTLINE_RECOVERY_H
#define HOTLINE_RECOVERY_H

#include <stddef.h>

#include <sodium.h>

#define RECOVERY_WORDS	   17 /* each half: 16 of the seed, 1 check */
#define RECOVERY_HALF_TEXT (RECOVERY_WORDS * 6)

/*
 * A new recovery custodian: its public key, and the two halves of its
 * seed as words.  The seed is wiped.
 */
void recovery_new(unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    char half1[RECOVERY_HALF_TEXT], char half2[RECOVERY_HALF_TEXT]);

/*
 * The keys from both halves typed in text (any order; words separated by
 * spaces, hyphens or newlines; other lines ignored): secret_key is the
 * caller's sodium_malloc'd buffer.  0, or -1 with err saying which half
 * or word is wrong.
 */
int recovery_open(const char *text,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char *secret_key, char *err, size_t errlen);

#endif
