/*
 * custody: who can open the keys that identities are sealed under.  The
 * custodians are named X25519 public keys (the mayor's from [keys], more
 * from [custodian NAME]).  A key (an epoch key, the audit's root key) is
 * sealed to them as shares: with unseal_requires = 1 each custodian gets
 * the whole key, sealed to it; with 2 every pair of custodians {A, B}
 * shares a random mask M, A holding M and B holding key XOR M, each
 * sealed to its holder, so that no custodian alone learns anything of the
 * key.  A share's label says who holds it: "A" alone, or "A+B" for A's
 * half of the pair it forms with B.  The set is pinned in the database
 * as its fingerprints (custody_pins()).  Pure: no store, no threads.
 */
#ifndef HOTLINE_CUSTODY_H
#define HOTLINE_CUSTODY_H

#include <stddef.h>

#include "config/config.h"
#include "queue/seal.h"

#define CUSTODY_MAX	   8
#define CUSTODY_NAME_MAX   33 /* 32 and the NUL */
#define CUSTODY_LABEL_MAX  (2 * CUSTODY_NAME_MAX)
#define CUSTODY_MAX_SHARES (CUSTODY_MAX * (CUSTODY_MAX - 1))
#define CUSTODY_PINS_MAX   (CUSTODY_MAX * (CUSTODY_NAME_MAX + 24) + 16)

struct custodian {
	char name[CUSTODY_NAME_MAX];
	unsigned char public_key[crypto_box_PUBLICKEYBYTES];
};

/* The custodians, and how many of them an unseal takes (1 or 2). */
struct custody {
	struct custodian c[CUSTODY_MAX];
	size_t n;
	int requires;
};

/* One key, sealed to its custodians. */
struct custody_share {
	char label[CUSTODY_LABEL_MAX];
	unsigned char sealed[SEAL_SEALED_KEY_BYTES];
};
struct custody_sealed {
	size_t n;
	struct custody_share share[CUSTODY_MAX_SHARES];
};

/* A custodian's key in hand: secret_key is sodium_malloc'd by its owner. */
struct custody_key {
	char name[CUSTODY_NAME_MAX];
	unsigned char public_key[crypto_box_PUBLICKEYBYTES];
	unsigned char *secret_key;
};

/*
 * Add custodian name with public_key: names are 1-32 of a-z, 0-9, _ and -,
 * each name and key once, at most CUSTODY_MAX.  0, or -1 with err set.
 */
int custody_add(struct custody *, const char *name,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen);
/* The config's custodians: the mayor, then each [custodian NAME]. */
void custody_of_config(const struct config *, struct custody *);

/* Remove custodian name.  0, or -1 when there is none of that name. */
int custody_remove(struct custody *, const char *name);
/* The custodian of this name or public key, or NULL. */
const struct custodian *custody_find(const struct custody *, const char *name);
const struct custodian *custody_find_key(const struct custody *,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES]);
/* Can these custodians open anything (enough of them)?  0, or -1 + err. */
int custody_check(const struct custody *, char *err, size_t errlen);

/* Seal key to the custodians as shares.  0, or -1 (sealing failed). */
int custody_seal(const struct custody *,
    const unsigned char key[SEAL_KEY_BYTES], struct custody_sealed *out);

/*
 * Open what custody_seal() made with the custodians' keys in hand (one or
 * two): the key into key.  0; 1 when there are no shares at all (the key
 * was destroyed); -1 with err set (these keys hold no share, or one of a
 * pair only, or a share does not open).
 */
int custody_open(const struct custody_sealed *, const struct custody_key *,
    size_t nkeys, unsigned char key[SEAL_KEY_BYTES], char *err, size_t errlen);

/*
 * Open a sealed identity: its shares (for a version 1 identity, one share
 * "mayor" holding the report's own key) open its epoch key, which gives
 * the report's key, which opens it; every key is wiped.  As custody_open().
 */
int custody_unseal(const struct sealed_identity *,
    const struct custody_sealed *shares,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const struct custody_key *, size_t nkeys, struct identity *out, char *err,
    size_t errlen);

/*
 * The set as the database pins it: "name=FINGERPRINT" for each custodian
 * in name order, ", " between, then "; 2 to open" when it takes two.
 */
void custody_pins(const struct custody *, char out[CUSTODY_PINS_MAX]);

#endif
