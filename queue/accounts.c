/*
 * accounts: the users table.  Argon2id with libsodium's interactive
 * limits (64 MiB, a fraction of a second): a login is rare, a guess is
 * rate limited by the web front, and the hash never leaves the database.
 */
#include <string.h>

#include <sodium.h>

#include "queue/accounts.h"
#include "queue/store_private.h"

int
accounts_valid_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= ACCOUNT_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int
hash_password(const char *password, char out[crypto_pwhash_STRBYTES], char *err,
    size_t errlen)
{
	if (strlen(password) < ACCOUNT_PASSWORD_MIN) {
		snprintf(err, errlen,
		    "the password needs %d characters or more",
		    ACCOUNT_PASSWORD_MIN);
		return -1;
	}
	if (crypto_pwhash_str(out, password, strlen(password),
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "out of memory hashing the password");
		return -1;
	}
	return 0;
}

int
accounts_add(struct store *s, const struct config *cfg, const char *name,
    const char *role, const char *opd, const char *password, char *err,
    size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (!accounts_valid_name(name)) {
		snprintf(err, errlen,
		    "a name is 1 to %d of a-z, 0-9, '.', '_' and '-'",
		    ACCOUNT_NAME_MAX);
		return -1;
	}
	if (strcmp(role, "mayor") == 0 && opd != NULL) {
		snprintf(err, errlen, "the mayor belongs to no OPD");
		return -1;
	}
	if (strcmp(role, "opd") == 0) {
		for (i = 0; opd != NULL && i < cfg->nopds; i++)
			if (strcmp(cfg->opds[i].id, opd) == 0)
				break;
		if (opd == NULL || i == cfg->nopds) {
			snprintf(err, errlen,
			    "an opd user needs --opd with an [opd] id of the "
			    "config");
			return -1;
		}
	} else if (strcmp(role, "mayor") != 0) {
		snprintf(err, errlen, "the role is mayor or opd");
		return -1;
	}
	if (hash_password(password, hash, err, errlen) == -1)
		return -1;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO users(name, role, opd, pwhash, created_at) "
		"VALUES (?, ?, ?, ?, strftime('%s', 'now'))",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "adding a user", err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, opd, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof hash);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "there is a user %s already", name);
		return -1;
	}
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "adding a user", err, errlen);
	return 0;
}

/* Run sql binding ?1 = name and ?2 = text: 0 (a row changed), 1, -1. */
static int
change_user(struct store *s, const char *sql, const char *name,
    const char *text, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, what, err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, what, err, errlen);
	return sqlite3_changes(s->db) == 1 ? 0 : 1;
}

int
accounts_passwd(struct store *s, const char *name, const char *password,
    char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	if (hash_password(password, hash, err, errlen) == -1)
		return -1;
	rc = change_user(s, "UPDATE users SET pwhash = ?2 WHERE name = ?1",
	    name, hash, "changing a password", err, errlen);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int
accounts_remove(struct store *s, const char *name, char *err, size_t errlen)
{
	return change_user(s,
	    "DELETE FROM users WHERE name = ?1 AND ?2 IS NULL", name, NULL,
	    "removing a user", err, errlen);
}

struct each_pass {
	int (*fn)(const struct account *, void *);
	void *arg;
};

static int
each_account(sqlite3_stmt *st, void *arg)
{
	const struct each_pass *p = arg;
	struct account a;

	memset(&a, 0, sizeof a);
	a.id = sqlite3_column_int64(st, 0);
	store_sql_copy(a.name, sizeof a.name, st, 1);
	store_sql_copy(a.role, sizeof a.role, st, 2);
	store_sql_copy(a.opd, sizeof a.opd, st, 3);
	a.created_at = sqlite3_column_int64(st, 4);
	return p->fn(&a, p->arg);
}

int
accounts_each(struct store *s, int (*fn)(const struct account *, void *),
    void *arg, char *err, size_t errlen)
{
	struct each_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, name, role, opd, created_at FROM users ORDER BY "
		"name",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "listing the users", err, errlen);
	return store_sql_rows(s, st, each_account, &pass, "listing the users",
		   err, errlen) == -1
	    ? -1
	    : 0;
}

int
accounts_check(struct store *s, const char *name, const char *password,
    struct account *out, char *err, size_t errlen)
{
	/* Verified when the name is unknown, so that both cost the same. */
	static char dummy[crypto_pwhash_STRBYTES];
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *st;
	int rc, found = 0;

	if (dummy[0] == '\0' &&
	    crypto_pwhash_str(dummy, "no such user", 12,
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, name, role, opd, pwhash FROM users WHERE name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "finding a user", err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		store_sql_copy(out->name, sizeof out->name, st, 1);
		store_sql_copy(out->role, sizeof out->role, st, 2);
		store_sql_copy(out->opd, sizeof out->opd, st, 3);
		store_sql_copy(hash, sizeof hash, st, 4);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return store_sql_fail(s, "finding a user", err, errlen);
	}
	sqlite3_finalize(st);
	rc = crypto_pwhash_str_verify(
	    found ? hash : dummy, password, strlen(password));
	sodium_memzero(hash, sizeof hash);
	if (found && rc == 0)
		return 0;
	memset(out, 0, sizeof *out);
	return 1;
}
