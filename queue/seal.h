/*
 * seal: the reporter's identity, sealed so that only the custodians can
 * open it.  A 32-byte report key encrypts the padded identity record with
 * XChaCha20-Poly1305, the associated data binding it to the report's
 * random id.  The report key derives from an epoch key (queue/epoch.h,
 * sealed to the custodians by queue/custody.h); in version 1 records it
 * was a fresh key sealed to the mayor alone with crypto_box_seal.  A
 * custodian's secret key is only ever stored wrapped under a key derived
 * from a passphrase with Argon2id.
 */
#ifndef HOTLINE_SEAL_H
#define HOTLINE_SEAL_H

#include <stddef.h>
#include <time.h>

#include <sodium.h>

#define SEAL_REPORT_ID_BYTES  16
#define SEAL_PAD_BLOCK	      256
#define SEAL_NONCE_BYTES      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_KEY_BYTES	      crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define SEAL_SEALED_KEY_BYTES (SEAL_KEY_BYTES + crypto_box_SEALBYTES)
#define SEAL_MAX_CIPHERTEXT   4096

/* The identity of a reporter, as it is sealed. */
struct identity {
	char channel[64];
	char sender[272];  /* E.164 or "" */
	char user_id[272]; /* WhatsApp BSUID or "" */
	char profile_name[256];
	char provider_id[256]; /* provider message id */
	time_t received_at;    /* exact, to the second */
};

/*
 * epoch 0 (version 1): sealed_key is the report's own key sealed to the
 * custodian.  Otherwise (version 2) the report's key derives from epoch
 * key number epoch and the report id, and sealed_key is that epoch key
 * sealed to the custodian (the store fills it in from the epoch's row).
 */
struct sealed_identity {
	long long epoch;
	unsigned char nonce[SEAL_NONCE_BYTES];
	unsigned char sealed_key[SEAL_SEALED_KEY_BYTES];
	unsigned char ciphertext[SEAL_MAX_CIPHERTEXT];
	size_t ciphertext_len;
};

/* Call once before any other function; returns 0 or -1. */
int seal_init(void);

/*
 * Seal id for the report whose random id is report_id, to public_key.
 * The plaintext record is wiped before returning.  Returns 0 or -1.
 */
int seal_identity(const struct identity *id,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    struct sealed_identity *out, char *err, size_t errlen);

/*
 * Seal id for report_id under key, a report key that seal_report_key()
 * derived from an epoch key (out->epoch is the caller's to set): no
 * public-key operation.  Returns 0 or -1.
 */
int seal_identity_with_key(const struct identity *id,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char key[SEAL_KEY_BYTES], struct sealed_identity *out,
    char *err, size_t errlen);

/* The key of report report_id under epoch key epoch_key (crypto_kdf). */
void seal_report_key(const unsigned char epoch_key[SEAL_KEY_BYTES],
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    unsigned char out[SEAL_KEY_BYTES]);

/*
 * Open a sealed identity with its report's key (seal_report_key() of its
 * epoch key, or a version 1 identity's own key).  0, or -1 with err set.
 */
int seal_open_with_key(const struct sealed_identity *,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char key[SEAL_KEY_BYTES], struct identity *out, char *err,
    size_t errlen);

/*
 * Open what seal_identity() or seal_identity_with_key() sealed (with the
 * epoch key sealed to the custodian in sealed_key).  Returns 0 or -1 with
 * err set.
 */
int seal_open_identity(const struct sealed_identity *,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    const unsigned char secret_key[crypto_box_SECRETKEYBYTES],
    struct identity *out, char *err, size_t errlen);

/*
 * Create a custodian keypair in DIR: DIR/NAME.pub (the public key,
 * base64, world-readable) and DIR/NAME.key (the secret key wrapped under
 * Argon2id(passphrase), mode 0600).  Refuses to overwrite.  Returns 0 or -1.
 */
int seal_keygen(const char *dir, const char *name, const char *passphrase,
    char *err, size_t errlen);

/*
 * Unwrap the secret key of a mayor.key file into secret_key (which the
 * caller allocates with sodium_malloc) and its public key into
 * public_key, checking that the two match.  Returns 0 or -1.
 */
int seal_unwrap_key(const char *keyfile, const char *passphrase,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    unsigned char *secret_key, char *err, size_t errlen);

/*
 * The public key a key file says it holds, read without its passphrase
 * (seal_unwrap_key() checks it against the secret).  0 or -1.
 */
int seal_key_public(const char *keyfile,
    unsigned char public_key[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen);

/*
 * The same for a key that must belong to public key expected (the
 * configured mayor_public): the secret key in sodium_malloc memory (the
 * caller sodium_free()s it), or NULL with err set.
 */
unsigned char *seal_unlock_key(const char *keyfile, const char *passphrase,
    const unsigned char expected[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen);

/*
 * A public key's fingerprint, to compare with what keygen printed on
 * paper: BLAKE2b-64 of the key, hex in four groups of four
 * ("3f2a 91c0 7b44 e815").
 */
#define SEAL_FINGERPRINT_TEXT 20
void seal_fingerprint(const unsigned char public_key[crypto_box_PUBLICKEYBYTES],
    char out[SEAL_FINGERPRINT_TEXT]);

/* Decode a base64 public key (as in mayor.pub).  Returns 0 or -1. */
int seal_parse_public_key(
    const char *text, unsigned char public_key[crypto_box_PUBLICKEYBYTES]);

#endif
