/*
 * accounts: the people who log in to the web views, the mayor and OPD
 * heads, each limited to a role (and an opd user to one OPD).  Passwords
 * are kept only as crypto_pwhash_str strings (Argon2id).  Checking a name
 * that does not exist costs as much as a wrong password, so that timing
 * tells nobody which names exist.
 */
#ifndef HOTLINE_ACCOUNTS_H
#define HOTLINE_ACCOUNTS_H

#include <stddef.h>

#include "config/config.h"
#include "queue/store.h"

#define ACCOUNT_NAME_MAX     32
#define ACCOUNT_PASSWORD_MIN 12 /* characters a password must have */

struct account {
	long long id;
	char name[ACCOUNT_NAME_MAX + 1];
	char role[8];	      /* mayor, opd */
	char opd[64];	      /* the OPD of an opd user, "" for the mayor */
	long long created_at; /* seconds since 1970 (accounts_each() only) */
};

/* Is name usable: 1 to 32 of a-z 0-9 . _ - ? */
int accounts_valid_name(const char *name);

/*
 * Add an account (role "mayor" or "opd"; opd an [opd] id for an opd
 * user, NULL for the mayor).  0, or -1 with err set (a bad name, role or
 * OPD, a short password, the name taken, the store failed).
 */
int accounts_add(struct store *, const struct config *, const char *name,
    const char *role, const char *opd, const char *password, char *err,
    size_t errlen);
/* A new password.  0, 1 (no such account) or -1. */
int accounts_passwd(struct store *, const char *name, const char *password,
    char *err, size_t errlen);
/* Remove an account.  0, 1 (no such account) or -1. */
int accounts_remove(struct store *, const char *name, char *err, size_t errlen);

/* Call fn for every account, by name; never a password hash.  0 or -1. */
int accounts_each(struct store *, int (*fn)(const struct account *, void *),
    void *arg, char *err, size_t errlen);

/*
 * Log in: 0 with *out filled when name exists and password is its own;
 * 1 otherwise (either way, the same cost); -1 when the store failed.
 */
int accounts_check(struct store *, const char *name, const char *password,
    struct account *out, char *err, size_t errlen);

#endif
