/*
 * custody: implements queue/custody.h.  Sealing a key costs one
 * crypto_box_seal per share (n shares alone, n(n-1) in pairs); opening
 * one costs one crypto_box_seal_open per custodian's key in hand.  Every
 * share and mask in clear is wiped before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/custody.h"

static int
valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
			(s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
			s[n] == '-'))
			return 0;
	return n >= 1 && n < CUSTODY_NAME_MAX;
}

const struct custodian *
custody_find(const struct custody *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->c[i].name, name) == 0)
			return &c->c[i];
	return NULL;
}

const struct custodian *
custody_find_key(const struct custody *c,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES])
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (sodium_memcmp(c->c[i].public_key, public_key,
			crypto_box_PUBLICKEYBYTES) == 0)
			return &c->c[i];
	return NULL;
}

int
custody_add(struct custody *c, const char *name,
    const unsigned char public_key[crypto_box_PUBLICKEYBYTES], char *err,
    size_t errlen)
{
	const struct custodian *other;

	if (!valid_name(name)) {
		snprintf(err, errlen,
		    "custodian name '%.40s' must be 1 to 32 of a-z, 0-9, _ "
		    "and -",
		    name);
		return -1;
	}
	if (custody_find(c, name) != NULL) {
		snprintf(err, errlen, "custodian %s is there already", name);
		return -1;
	}
	if ((other = custody_find_key(c, public_key)) != NULL) {
		snprintf(err, errlen, "custodian %s has the key of %s", name,
		    other->name);
		return -1;
	}
	if (c->n == CUSTODY_MAX) {
		snprintf(err, errlen, "at most %d custodians", CUSTODY_MAX);
		return -1;
	}
	snprintf(c->c[c->n].name, CUSTODY_NAME_MAX, "%s", name);
	memcpy(c->c[c->n].public_key, public_key, crypto_box_PUBLICKEYBYTES);
	c->n++;
	return 0;
}

void
custody_of_config(const struct config *cfg, struct custody *c)
{
	char err[128];
	size_t i;

	memset(c, 0, sizeof *c);
	c->requires = cfg->keys.unseal_requires;
	/* the config checked names, keys and the count */
	custody_add(c, "mayor", cfg->keys.mayor_public, err, sizeof err);
	for (i = 0; i < cfg->keys.ncustodians; i++)
		custody_add(c, cfg->keys.custodians[i].name,
		    cfg->keys.custodians[i].public_key, err, sizeof err);
}

int
custody_remove(struct custody *c, const char *name)
{
	const struct custodian *found = custody_find(c, name);
	size_t i;

	if (found == NULL)
		return -1;
	i = (size_t)(found - c->c);
	memmove(&c->c[i], &c->c[i + 1], (c->n - i - 1) * sizeof c->c[0]);
	c->n--;
	return 0;
}

int
custody_check(const struct custody *c, char *err, size_t errlen)
{
	if (c->requires != 1 && c->requires != 2) {
		snprintf(err, errlen, "unseal_requires must be 1 or 2");
		return -1;
	}
	if (c->n < (size_t)c->requires) {
		snprintf(err, errlen,
		    "unseal_requires = %d needs at least %d custodians; there "
		    "%s %zu",
		    c->requires, c->requires, c->n == 1 ? "is" : "are", c->n);
		return -1;
	}
	return 0;
}

static int
add_share(struct custody_sealed *out, const struct custodian *holder,
    const struct custodian *partner, const unsigned char *value)
{
	struct custody_share *s = &out->share[out->n];

	if (partner != NULL)
		snprintf(s->label, sizeof s->label, "%s+%s", holder->name,
		    partner->name);
	else
		snprintf(s->label, sizeof s->label, "%s", holder->name);
	if (crypto_box_seal(
		s->sealed, value, SEAL_KEY_BYTES, holder->public_key) != 0)
		return -1;
	out->n++;
	return 0;
}

int
custody_seal(const struct custody *c, const unsigned char key[SEAL_KEY_BYTES],
    struct custody_sealed *out)
{
	unsigned char mask[SEAL_KEY_BYTES], rest[SEAL_KEY_BYTES];
	size_t i, j, k;
	int rc = 0;

	out->n = 0;
	/* too few to open it (two to open, one custodian): sealed to none */
	if (c->n > CUSTODY_MAX || custody_check(c, NULL, 0) == -1)
		return -1;
	if (c->requires != 2) {
		for (i = 0; i < c->n && rc == 0; i++)
			rc = add_share(out, &c->c[i], NULL, key);
		return rc;
	}
	/* each pair: the first (by name) holds the mask, the other the rest */
	for (i = 0; i < c->n && rc == 0; i++)
		for (j = i + 1; j < c->n && rc == 0; j++) {
			const struct custodian *a = &c->c[i], *b = &c->c[j];

			if (strcmp(a->name, b->name) > 0) {
				a = &c->c[j];
				b = &c->c[i];
			}
			randombytes_buf(mask, sizeof mask);
			for (k = 0; k < SEAL_KEY_BYTES; k++)
				rest[k] = key[k] ^ mask[k];
			rc = add_share(out, a, b, mask);
			if (rc == 0)
				rc = add_share(out, b, a, rest);
		}
	sodium_memzero(mask, sizeof mask);
	sodium_memzero(rest, sizeof rest);
	return rc;
}

static const struct custody_share *
find_share(const struct custody_sealed *in, const char *label)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (strcmp(in->share[i].label, label) == 0)
			return &in->share[i];
	return NULL;
}

static int
open_share(const struct custody_share *s, const struct custody_key *k,
    unsigned char out[SEAL_KEY_BYTES], char *err, size_t errlen)
{
	if (crypto_box_seal_open(out, s->sealed, sizeof s->sealed,
		k->public_key, k->secret_key) != 0) {
		snprintf(err, errlen,
		    "the share of custodian %s does not open with this key",
		    k->name);
		return -1;
	}
	return 0;
}

/* The key of a pair of custodians' shares ("a+b" and "b+a"). */
static int
open_pair(const struct custody_sealed *in, const struct custody_key *a,
    const struct custody_key *b, unsigned char key[SEAL_KEY_BYTES], char *err,
    size_t errlen)
{
	const struct custody_share *sa, *sb;
	char label[CUSTODY_LABEL_MAX];
	unsigned char half[SEAL_KEY_BYTES];
	size_t k;
	int rc = -1;

	snprintf(label, sizeof label, "%s+%s", a->name, b->name);
	sa = find_share(in, label);
	snprintf(label, sizeof label, "%s+%s", b->name, a->name);
	sb = find_share(in, label);
	if (sa == NULL || sb == NULL) {
		snprintf(err, errlen,
		    "custodians %s and %s hold no shares of this key", a->name,
		    b->name);
		return -1;
	}
	if (open_share(sa, a, key, err, errlen) == 0 &&
	    open_share(sb, b, half, err, errlen) == 0) {
		for (k = 0; k < SEAL_KEY_BYTES; k++)
			key[k] ^= half[k];
		rc = 0;
	}
	sodium_memzero(half, sizeof half);
	return rc;
}

int
custody_open(const struct custody_sealed *in, const struct custody_key *keys,
    size_t nkeys, unsigned char key[SEAL_KEY_BYTES], char *err, size_t errlen)
{
	const struct custody_share *s;
	size_t i;
	int rc = -1, found = 0;

	if (in->n == 0) {
		snprintf(err, errlen, "the key is destroyed");
		return 1;
	}
	for (i = 0; i < nkeys && rc != 0; i++)
		if ((s = find_share(in, keys[i].name)) != NULL) {
			found = 1;
			rc = open_share(s, &keys[i], key, err, errlen);
		}
	if (rc == 0)
		return 0;
	/* found: a share of its own that does not open, as err says */
	if (!found && nkeys >= 2)
		rc = open_pair(in, &keys[0], &keys[1], key, err, errlen);
	else if (!found && nkeys == 1 &&
	    strchr(in->share[0].label, '+') != NULL)
		snprintf(err, errlen,
		    "it takes two custodians' keys to open (unseal_requires "
		    "= 2); give a second --key");
	else if (!found && nkeys == 1)
		snprintf(err, errlen, "custodian %s holds no share of it",
		    keys[0].name);
	else if (!found)
		snprintf(err, errlen, "no custodian's key given");
	if (rc != 0)
		sodium_memzero(key, SEAL_KEY_BYTES);
	return rc;
}

int
custody_unseal(const struct sealed_identity *in,
    const struct custody_sealed *shares,
    const unsigned char report_id[SEAL_REPORT_ID_BYTES],
    const struct custody_key *keys, size_t nkeys, struct identity *out,
    char *err, size_t errlen)
{
	unsigned char key[SEAL_KEY_BYTES], report_key[SEAL_KEY_BYTES];
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = custody_open(shares, keys, nkeys, key, err, errlen)) != 0)
		return rc;
	if (in->epoch != 0) {
		seal_report_key(key, report_id, report_key);
		rc = seal_open_with_key(
		    in, report_id, report_key, out, err, errlen);
		sodium_memzero(report_key, sizeof report_key);
	} else
		rc = seal_open_with_key(in, report_id, key, out, err, errlen);
	sodium_memzero(key, sizeof key);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct custodian *)a)->name,
	    ((const struct custodian *)b)->name);
}

void
custody_pins(const struct custody *c, char out[CUSTODY_PINS_MAX])
{
	struct custodian sorted[CUSTODY_MAX];
	char fp[SEAL_FINGERPRINT_TEXT];
	size_t i, len = 0;

	memcpy(sorted, c->c, c->n * sizeof c->c[0]);
	qsort(sorted, c->n, sizeof sorted[0], by_name);
	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		seal_fingerprint(sorted[i].public_key, fp);
		len += (size_t)snprintf(out + len, CUSTODY_PINS_MAX - len,
		    "%s%s=%s", i > 0 ? ", " : "", sorted[i].name, fp);
	}
	if (c->requires == 2)
		snprintf(out + len, CUSTODY_PINS_MAX - len, "; 2 to open");
}
