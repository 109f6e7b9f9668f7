/*
 * cli: what the subcommands share: their options, loading the config and
 * the database, reading a passphrase without echo, JSON lines out, who
 * runs them (for the audit).
 */
#ifndef HOTLINE_CLI_H
#define HOTLINE_CLI_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config/config.h"
#include "queue/custody.h"
#include "queue/store.h"

#define CLI_PASSPHRASE_MAX 1024
#define CLI_MAX_KEYS	   2 /* custodians' keys in one run */

struct cli_args {
	const char *config, *out, *reason, *role, *opd, *kind, *since, *name;
	const char *key[CLI_MAX_KEYS];
	const char *passfile[CLI_MAX_KEYS];
	const char *words; /* --recovery-words FILE */
	const char *add[CUSTODY_MAX], *remove[CUSTODY_MAX];
	const char *statement; /* --statement FILE */
	int nkeys, npassfiles, nadd, nremove;
	int recovery, evidence, verify, import, dry_run, dead; /* flags */
	int syntax, print;				       /* flags */
	char **rest;
	int nrest;
};

/* Parse the options; -1 on an unknown one or too many of one kind. */
int cli_parse(int argc, char **argv, struct cli_args *);

/*
 * The config at path, or NULL with its errors on stderr: without its
 * secrets (config_load_public()), for the commands that need none, so
 * that they run where only the service may read the credentials.
 */
struct config *cli_config(const char *path);
/* The same with every secret read (config_load()). */
struct config *cli_secret_config(const char *path);
/*
 * The config a daemon may serve: cli_secret_config(), and a mayor_public whose
 * secret is no secret (the demo key, the placeholder) only for a
 * demonstration ([keys] demo = yes).
 */
struct config *cli_serving_config(const char *path);
/* The config's database, or NULL said on stderr. */
struct store *cli_store(const struct config *, enum store_mode);

/*
 * Read the secret file path (not readable by group or others) into buf,
 * NUL-terminated.  0 or -1 said on stderr.
 */
int cli_read_secret(const char *path, char *buf, size_t len);

/*
 * Read a passphrase from path (not readable by group or others) or, with
 * path NULL, from the terminal (twice when confirm).  0 or -1 said.
 */
int cli_passphrase(const char *path, int confirm, char *buf, size_t len);

void cli_put_string(json_t *, const char *key, const char *value);
/* Print o as one JSON line and release it. */
void cli_print_json(json_t *o);
/* t as UTC ISO 8601. */
void cli_format_time(time_t t, char *buf, size_t len);
/* "cli:USER", who runs the command, for the audit. */
const char *cli_actor(char *buf, size_t len);

#endif
