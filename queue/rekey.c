/*
 * rekey: implements queue/rekey.h on the identities and epoch_keys
 * tables.  The work is one X25519 opening and n sealings an epoch key,
 * whatever the number of reports under it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/epoch.h"
#include "queue/rekey.h"
#include "queue/store_private.h"

/* The key of keys that is custodian name's, or NULL. */
static const struct custody_key *
key_of(const struct custody_key *keys, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* A new epoch key for moved identities, sealed to to and stored. */
static int
new_epoch(struct store *s, const struct custody *to,
    struct custody_sealed *sealed, unsigned char key[SEAL_KEY_BYTES],
    long long *id, char *err, size_t errlen)
{
	crypto_kdf_keygen(key);
	do
		randombytes_buf(id, sizeof *id);
	while ((*id &= INT64_MAX) == 0);
	if (custody_seal(to, key, sealed) != 0) {
		snprintf(err, errlen, "sealing an epoch key failed");
		return -1;
	}
	return store_put_shares(s, *id, sealed, err, errlen);
}

/*
 * Move the identities sealed to the mayor alone under new epoch keys of
 * to, opening them with mayor.
 */
static int
move_old(struct store *s, const struct custody *to,
    const struct custody_key *mayor, struct custody_sealed *sealed,
    long long *moved, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	struct sealed_identity *in = NULL, *out = NULL;
	struct identity *id = NULL;
	unsigned char *epoch_key = NULL, report_key[SEAL_KEY_BYTES];
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	long long epoch = 0, last = 0;
	int step, rc = -1, in_epoch = 0;

	in = malloc(sizeof *in);
	out = malloc(sizeof *out);
	id = sodium_malloc(sizeof *id);
	epoch_key = sodium_malloc(SEAL_KEY_BYTES);
	if (in == NULL || out == NULL || id == NULL || epoch_key == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (sqlite3_prepare_v2(s->db,
		/* one at a time, after the last: no scan while rows change */
		"SELECT i.report_id, r.uid, i.nonce, i.sealed_key, "
		"i.ciphertext FROM identities i JOIN reports r ON r.id = "
		"i.report_id WHERE i.report_id > ?1 AND i.epoch IS NULL AND "
		"length(i.sealed_key) > 0 ORDER BY i.report_id LIMIT 1",
		-1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
		"UPDATE identities SET version = 2, nonce = ?2, sealed_key = "
		"zeroblob(0), ciphertext = ?3, epoch = ?4 WHERE report_id = ?1",
		-1, &up, NULL) != SQLITE_OK) {
		store_sql_fail(s, "moving identities", err, errlen);
		goto done;
	}
	for (;;) {
		size_t clen;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, last);
		if ((step = sqlite3_step(st)) != SQLITE_ROW)
			break;
		last = sqlite3_column_int64(st, 0);
		clen = (size_t)sqlite3_column_bytes(st, 4);

		if (sqlite3_column_bytes(st, 1) != SEAL_REPORT_ID_BYTES ||
		    sqlite3_column_bytes(st, 2) != SEAL_NONCE_BYTES ||
		    sqlite3_column_bytes(st, 3) != SEAL_SEALED_KEY_BYTES ||
		    clen > sizeof in->ciphertext) {
			snprintf(err, errlen, "a sealed identity is corrupt");
			goto done;
		}
		memset(in, 0, sizeof *in);
		memcpy(in->nonce, sqlite3_column_blob(st, 2), SEAL_NONCE_BYTES);
		memcpy(in->sealed_key, sqlite3_column_blob(st, 3),
		    SEAL_SEALED_KEY_BYTES);
		memcpy(in->ciphertext, sqlite3_column_blob(st, 4), clen);
		in->ciphertext_len = clen;
		memcpy(uid, sqlite3_column_blob(st, 1), sizeof uid);
		sqlite3_reset(st); /* done with the row before it changes */
		if (seal_open_identity(in, uid, mayor->public_key,
			mayor->secret_key, id, err, errlen) == -1)
			goto done;
		if (in_epoch == 0 &&
		    new_epoch(s, to, sealed, epoch_key, &epoch, err, errlen) ==
			-1)
			goto done;
		in_epoch = (in_epoch + 1) % EPOCH_MAX_REPORTS;
		seal_report_key(epoch_key, uid, report_key);
		if (seal_identity_with_key(
			id, uid, report_key, out, err, errlen) == -1)
			goto done;
		sqlite3_bind_int64(up, 1, last);
		sqlite3_bind_blob(
		    up, 2, out->nonce, SEAL_NONCE_BYTES, SQLITE_STATIC);
		sqlite3_bind_blob(up, 3, out->ciphertext,
		    (int)out->ciphertext_len, SQLITE_STATIC);
		sqlite3_bind_int64(up, 4, epoch);
		if (store_sql_step(up) != SQLITE_DONE) {
			store_sql_fail(s, "moving identities", err, errlen);
			goto done;
		}
		(*moved)++;
	}
	if (step != SQLITE_DONE)
		store_sql_fail(s, "moving identities", err, errlen);
	else
		rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sodium_memzero(report_key, sizeof report_key);
	sodium_free(epoch_key);
	sodium_free(id);
	free(in);
	free(out);
	return rc;
}

/* Open every epoch key (and the audit's root) and seal it to to. */
static int
reseal_all(struct store *s, const struct custody *to,
    const struct custody_key *keys, size_t nkeys, struct custody_sealed *sealed,
    long long *count, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	unsigned char *key = sodium_malloc(SEAL_KEY_BYTES);
	long long *ids = NULL, n = 0, cap = 0, i;
	int step, rc = -1;

	if (key == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the ids first: the rows change under the loop */
	if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT epoch FROM epoch_keys",
		-1, &st, NULL) != SQLITE_OK) {
		store_sql_fail(s, "reading epoch keys", err, errlen);
		goto done;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			long long *grown;

			cap = cap ? cap * 2 : 256;
			if ((grown = realloc(ids, (size_t)cap * sizeof *ids)) ==
			    NULL) {
				snprintf(err, errlen, "out of memory");
				goto done;
			}
			ids = grown;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE) {
		store_sql_fail(s, "reading epoch keys", err, errlen);
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (store_epoch_shares(s, ids[i], sealed, err, errlen) == -1 ||
		    custody_open(sealed, keys, nkeys, key, err, errlen) != 0)
			goto done;
		if (custody_seal(to, key, sealed) != 0) {
			snprintf(err, errlen, "sealing an epoch key failed");
			goto done;
		}
		if (store_put_shares(s, ids[i], sealed, err, errlen) == -1)
			goto done;
		(*count)++;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sodium_free(key);
	free(ids);
	return rc;
}

int
rekey_run(struct store *s, const struct custody *from, const struct custody *to,
    const struct custody_key *keys, size_t nkeys, const struct audit_entry *row,
    struct rekey_result *res, char *err, size_t errlen)
{
	const struct custodian *old_mayor = custody_find(from, "mayor"),
			       *new_mayor = custody_find(to, "mayor");
	const struct custody_key *mayor = key_of(keys, nkeys, "mayor");
	char pins[CUSTODY_PINS_MAX], kept[CUSTODY_PINS_MAX], note[600];
	struct custody_sealed *sealed = calloc(1, sizeof *sealed);
	struct audit_entry e = *row;
	long long old = 0;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (sealed == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (custody_check(to, err, errlen) == -1 ||
	    store_begin(s, err, errlen) == -1)
		goto done;
	custody_pins(from, pins);
	kept[0] = '\0';
	switch (store_custodians(s, pins, 0, kept, sizeof kept, err, errlen)) {
	case 0:
		break;
	case 1:
		snprintf(err, errlen,
		    "the database pins the custodians %s, not the config's "
		    "%s",
		    kept, pins);
		goto rollback;
	case 2:
		snprintf(err, errlen,
		    "the database pins no custodians yet: serve it once "
		    "first");
		goto rollback;
	default:
		goto rollback;
	}
	if (store_sql_int(s,
		"SELECT count(*) FROM identities WHERE epoch IS NULL AND "
		"length(sealed_key) > 0",
		NULL, &old) == -1) {
		store_sql_fail(s, "counting identities", err, errlen);
		goto rollback;
	}
	if (reseal_all(s, to, keys, nkeys, sealed, &res->epochs, err, errlen) ==
	    -1)
		goto rollback;
	if (old > 0 && mayor != NULL &&
	    move_old(s, to, mayor, sealed, &res->moved, err, errlen) == -1)
		goto rollback;
	if (old > 0 && mayor == NULL &&
	    (new_mayor == NULL || old_mayor == NULL ||
		sodium_memcmp(new_mayor->public_key, old_mayor->public_key,
		    crypto_box_PUBLICKEYBYTES) != 0)) {
		snprintf(err, errlen,
		    "%lld identities from before epoch keys are sealed to the "
		    "mayor's key alone: run rekey with the mayor's key (--key) "
		    "first",
		    old);
		goto rollback;
	}
	custody_pins(to, pins);
	if (store_sql_run(s,
		"UPDATE meta SET value = ?3 WHERE name = 'custodians'",
		"pinning custodians", err, errlen, 0, NULL, 0, pins, 0) == -1)
		goto rollback;
	snprintf(note, sizeof note,
	    "%s; custodians now %s; %lld keys sealed "
	    "again, %lld old identities moved",
	    row->reason != NULL ? row->reason : "", pins, res->epochs,
	    res->moved);
	e.reason = note;
	if (audit_append(s, &e, err, errlen) == -1 ||
	    store_commit(s, err, errlen) == -1)
		goto rollback;
	/* the old shares leave the WAL too */
	store_checkpoint_truncate(s);
	rc = 0;
	goto done;
rollback:
	store_rollback(s);
done:
	sodium_memzero(sealed, sizeof *sealed);
	free(sealed);
	return rc;
}
