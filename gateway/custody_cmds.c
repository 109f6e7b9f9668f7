/*
 * custody_cmds: the custodians' commands.  keygen makes a custodian's
 * keys (or a recovery custodian on paper); unseal opens one identity;
 * rekey changes the custodians; audit lists, verifies and imports into
 * the audit log; retention shows or applies what [retention] takes away.
 * Every command that opens or changes a key writes its audit row first,
 * and a custodian's key is read from its file and passphrase (or the
 * recovery words) only for the run, in locked memory, wiped after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "gateway/cli.h"
#include "gateway/commands.h"
#include "queue/audit.h"
#include "queue/recovery.h"
#include "queue/rekey.h"
#include "queue/retention.h"
#include "queue/seal.h"

#define WORDS_MAX 4096

/* The keys in hand for one run, wiped by keys_free(). */
struct keys {
	struct custody_key k[CLI_MAX_KEYS + 1];
	size_t n;
};

static void
keys_free(struct keys *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		sodium_free(ks->k[i].secret_key);
	ks->n = 0;
}

/* Name key k by the custodian whose public key it is.  0 or -1 said. */
static int
name_key(const struct custody *c, struct custody_key *k)
{
	const struct custodian *who = custody_find_key(c, k->public_key);
	char fp[SEAL_FINGERPRINT_TEXT];

	if (who == NULL) {
		seal_fingerprint(k->public_key, fp);
		fprintf(stderr,
		    "hotline: the key %s is no custodian's of this config\n",
		    fp);
		return -1;
	}
	snprintf(k->name, sizeof k->name, "%s", who->name);
	return 0;
}

/*
 * The keys the arguments give, named by their custodians but not yet
 * unlocked: each --key's public key (read without its passphrase), and
 * --recovery-words (whole: the words are the secret).  0 or -1 said.
 */
static int
name_keys(const struct cli_args *a, const struct custody *c, struct keys *ks)
{
	char *words = NULL, err[512];
	int i, rc = -1;

	memset(ks, 0, sizeof *ks);
	for (i = 0; i < a->nkeys; i++) {
		struct custody_key *k = &ks->k[ks->n];

		if ((k->secret_key =
			    sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL)
			goto done;
		ks->n++;
		if (seal_key_public(
			a->key[i], k->public_key, err, sizeof err) == -1) {
			fprintf(stderr, "hotline: %s\n", err);
			goto done;
		}
		if (name_key(c, k) == -1)
			goto done;
	}
	if (a->words != NULL) {
		struct custody_key *k = &ks->k[ks->n];

		if ((k->secret_key =
			    sodium_malloc(crypto_box_SECRETKEYBYTES)) == NULL ||
		    (words = sodium_malloc(WORDS_MAX)) == NULL)
			goto done;
		ks->n++;
		if (cli_read_secret(a->words, words, WORDS_MAX) == -1)
			goto done;
		if (recovery_open(words, k->public_key, k->secret_key, err,
			sizeof err) == -1) {
			fprintf(stderr, "hotline: %s: %s\n", a->words, err);
			goto done;
		}
		if (name_key(c, k) == -1)
			goto done;
	}
	rc = 0;
done:
	if (words != NULL)
		sodium_free(words);
	if (rc == -1)
		keys_free(ks);
	return rc;
}

/*
 * Unlock the --key files of name_keys() with their --passphrase-file (in
 * order; the terminal when none).  0, or -1 with err set.
 */
static int
unlock_keys(const struct cli_args *a, struct keys *ks, char *err, size_t errlen)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char *pass = sodium_malloc(CLI_PASSPHRASE_MAX);
	int i, rc = 0;

	if (pass == NULL)
		return snprintf(err, errlen, "out of memory"), -1;
	for (i = 0; i < a->nkeys && rc == 0; i++) {
		if (cli_passphrase(i < a->npassfiles ? a->passfile[i] : NULL, 0,
			pass, CLI_PASSPHRASE_MAX) == -1) {
			snprintf(
			    err, errlen, "no passphrase for %s", ks->k[i].name);
			rc = -1;
		} else if (seal_unwrap_key(a->key[i], pass, pk,
			       ks->k[i].secret_key, err, errlen) == -1 ||
		    sodium_memcmp(pk, ks->k[i].public_key, sizeof pk) != 0)
			rc = -1;
	}
	if (rc == -1 && strstr(err, "passphrase") == NULL)
		snprintf(err, errlen, "wrong passphrase or damaged key file");
	sodium_free(pass);
	return rc;
}

/* name_keys() and unlock_keys(): the keys ready.  0 or -1 said. */
static int
load_keys(const struct cli_args *a, const struct custody *c, struct keys *ks)
{
	char err[512];

	if (name_keys(a, c, ks) == -1)
		return -1;
	if (unlock_keys(a, ks, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		keys_free(ks);
		return -1;
	}
	return 0;
}

/* The names of the keys in hand, for the audit ("mayor+inspektur"). */
static const char *
key_names(const struct keys *ks, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ks->n && n < len; i++)
		n += (size_t)snprintf(
		    buf + n, len - n, "%s%s", i ? "+" : "", ks->k[i].name);
	return buf;
}

/* Write DIR/NAME.pub, new, world-readable.  0 or -1 said. */
static int
write_public(const char *dir, const char *name,
    const unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	char path[4096],
	    b64[sodium_base64_ENCODED_LEN(
		crypto_box_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "%s/%s.pub", dir, name);
	sodium_bin2base64(b64, sizeof b64, pk, crypto_box_PUBLICKEYBYTES,
	    sodium_base64_VARIANT_ORIGINAL);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) ==
		-1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fprintf(f, "%s\n", b64);
	if (fclose(f) != 0) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		return -1;
	}
	printf(
	    "%s: the public key, for [custodian %s] public_file\n", path, name);
	return 0;
}

/* A .pub file's public key.  0 or -1 said. */
static int
read_public(const char *path, unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	char line[256];
	FILE *f;
	int ok;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (!ok || seal_parse_public_key(line, pk) == -1) {
		fprintf(stderr, "hotline: %s is not a public key file\n", path);
		return -1;
	}
	return 0;
}

static void
print_fingerprint(const unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	char fp[SEAL_FINGERPRINT_TEXT];

	seal_fingerprint(pk, fp);
	printf("fingerprint: %s (write it down: the mayor's page and the "
	       "digest show it)\n",
	    fp);
}

/* keygen --recovery: the public key on disk, the secret on paper only. */
static int
keygen_recovery(const char *dir, const char *name)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char *half1 = sodium_malloc(RECOVERY_HALF_TEXT),
	     *half2 = sodium_malloc(RECOVERY_HALF_TEXT);
	int rc = 1;

	if (half1 == NULL || half2 == NULL)
		goto done;
	recovery_new(pk, half1, half2);
	if (write_public(dir, name, pk) == -1)
		goto done;
	print_fingerprint(pk);
	printf("\nThe recovery key exists only below, printed this once.  "
	       "Give each half to its keeper (the Sekda, the Inspektur) on "
	       "paper, kept offline apart; with both halves, hotline rekey "
	       "--recovery-words FILE replaces a lost key.\n\n"
	       "half 1: %s\nhalf 2: %s\n",
	    half1, half2);
	rc = 0;
done:
	sodium_free(half1);
	sodium_free(half2);
	return rc;
}

/*
 * keygen --evidence: the server's evidence key, DIR/evidence.key (0600):
 * the base64 of a secret key, for [evidence] key_file.
 */
static int
keygen_evidence(const char *dir)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES],
	    sk[crypto_box_SECRETKEYBYTES];
	char path[4096],
	    b64[sodium_base64_ENCODED_LEN(
		crypto_box_SECRETKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
	FILE *f = NULL;
	int fd, rc = 1;

	snprintf(path, sizeof path, "%s/evidence.key", dir);
	crypto_box_keypair(pk, sk);
	sodium_bin2base64(
	    b64, sizeof b64, sk, sizeof sk, sodium_base64_VARIANT_ORIGINAL);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
		-1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		goto done;
	}
	fprintf(f, "%s\n", b64);
	if (fclose(f) != 0) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		goto done;
	}
	printf("%s: the evidence key, for [evidence] key_file (a credential "
	       "of the service; never in the database, never in a backup of "
	       "it)\n",
	    path);
	rc = 0;
done:
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(b64, sizeof b64);
	return rc;
}

int
cmd_keygen(int argc, char **argv)
{
	struct cli_args a;
	const char *name;
	char *pass, err[512];
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char path[4096];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0 || a.out == NULL) {
		fprintf(stderr,
		    "usage: hotline keygen --out DIR [--name NAME] "
		    "[--passphrase-file FILE]\n"
		    "       hotline keygen --recovery --out DIR [--name "
		    "NAME]\n"
		    "       hotline keygen --evidence --out DIR\n");
		return 2;
	}
	name = a.name != NULL ? a.name : a.recovery ? "recovery" : "mayor";
	if (mkdir(a.out, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "hotline: %s: %s\n", a.out, strerror(errno));
		return 1;
	}
	if (a.recovery)
		return keygen_recovery(a.out, name);
	if (a.evidence)
		return keygen_evidence(a.out);
	if ((pass = sodium_malloc(CLI_PASSPHRASE_MAX)) == NULL)
		return 1;
	if (cli_passphrase(a.passfile[0], 1, pass, CLI_PASSPHRASE_MAX) == 0) {
		if (seal_keygen(a.out, name, pass, err, sizeof err) == -1)
			fprintf(stderr, "hotline: %s\n", err);
		else {
			printf("%s/%s.pub: the public key (for [keys] "
			       "mayor_public, or [custodian %s] public)\n"
			       "%s/%s.key: the secret key, wrapped under "
			       "the passphrase; keep it off the server\n",
			    a.out, name, name, a.out, name);
			snprintf(path, sizeof path, "%s/%s.pub", a.out, name);
			if (read_public(path, pk) == 0) {
				print_fingerprint(pk);
				rc = 0;
			}
		}
	}
	sodium_free(pass);
	return rc;
}

static void
print_identity(const char *code, const struct identity *id)
{
	char when[32];
	json_t *o = json_object();

	cli_format_time(id->received_at, when, sizeof when);
	cli_put_string(o, "code", code);
	cli_put_string(o, "channel", id->channel);
	cli_put_string(o, "sender", id->sender[0] ? id->sender : NULL);
	cli_put_string(o, "user_id", id->user_id[0] ? id->user_id : NULL);
	cli_put_string(
	    o, "profile_name", id->profile_name[0] ? id->profile_name : NULL);
	cli_put_string(o, "provider_message_id", id->provider_id);
	cli_put_string(o, "received_at", when);
	cli_print_json(o);
}

/* Write the statement of this unseal to path (new, 0600).  0 or -1. */
static int
write_statement(const char *path, const char *text)
{
	FILE *f;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
		-1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

int
cmd_unseal(int argc, char **argv)
{
	unsigned char uid[SEAL_REPORT_ID_BYTES];
	struct sealed_identity *sealed = NULL;
	struct custody_sealed *shares = NULL;
	struct identity *id = NULL;
	struct config *cfg;
	struct store *s = NULL;
	struct custody c;
	struct keys ks = {0};
	struct cli_args a;
	struct audit_entry e;
	char err[512], actor[128], names[CUSTODY_LABEL_MAX], outcome[600],
	    statement[2048];
	int rc = 1, opened;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 1 ||
	    (a.nkeys == 0 && a.words == NULL)) {
		fprintf(stderr,
		    "usage: hotline unseal --config FILE --key CUSTODIAN.key "
		    "[--passphrase-file FILE] [--key SECOND.key "
		    "[--passphrase-file FILE]] [--recovery-words FILE] "
		    "[--reason TEXT] [--statement FILE] CODE\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	custody_of_config(cfg, &c);
	if ((s = cli_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	sealed = malloc(sizeof *sealed);
	shares = malloc(sizeof *shares);
	id = sodium_malloc(sizeof *id);
	if (sealed == NULL || shares == NULL || id == NULL)
		goto done;
	if (store_find_identity(
		s, a.rest[0], uid, sealed, shares, err, sizeof err) != 0) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	if (name_keys(&a, &c, &ks) == -1)
		goto done;
	/* The audit row is durable before anything is decrypted. */
	e.actor = cli_actor(actor, sizeof actor);
	e.action = "unseal";
	e.report_code = a.rest[0];
	e.reason = a.reason;
	e.custodian = key_names(&ks, names, sizeof names);
	if (audit_write(s, &e, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s; nothing was unsealed\n", err);
		goto done;
	}
	opened = unlock_keys(&a, &ks, err, sizeof err);
	if (opened == 0)
		opened = custody_unseal(
		    sealed, shares, uid, ks.k, ks.n, id, err, sizeof err);
	if (opened == 1)
		snprintf(err, sizeof err,
		    "this identity was destroyed under [retention] "
		    "identity_after: it can no longer be opened by anyone");
	snprintf(outcome, sizeof outcome, "%s%s",
	    opened == 0 ? "opened" : "failed: ", opened == 0 ? "" : err);
	/* and its outcome after */
	e.action = "unseal_result";
	e.reason = outcome;
	if (audit_write(s, &e, err, sizeof err) == -1)
		fprintf(stderr, "hotline: %s\n", err);
	if (opened != 0) {
		fprintf(stderr, "hotline: %s\n", outcome + strlen("failed: "));
		goto done;
	}
	print_identity(a.rest[0], id);
	/* for an unseal on a copy: what the live log must learn */
	e.action = "unseal";
	e.reason = a.reason;
	audit_statement(
	    &e, (long long)time(NULL), outcome, statement, sizeof statement);
	if (a.statement != NULL &&
	    write_statement(a.statement, statement) == -1)
		goto done;
	rc = 0;
done:
	keys_free(&ks);
	if (id != NULL)
		sodium_free(id);
	free(sealed);
	free(shares);
	store_close(s);
	config_free(cfg);
	return rc;
}

/* Read NAME=PUBFILE into c (added).  0 or -1 said. */
static int
add_custodian(struct custody *c, const char *spec)
{
	const char *eq = strchr(spec, '=');
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char name[CUSTODY_NAME_MAX], err[256];

	if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof name) {
		fprintf(stderr, "hotline: --add takes NAME=PUBFILE\n");
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
	if (read_public(eq + 1, pk) == -1)
		return -1;
	if (custody_add(c, name, pk, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		return -1;
	}
	return 0;
}

/* What the config must say after a rekey: one line a custodian. */
static void
print_config_lines(const struct custody *to)
{
	char b64[64], fp[SEAL_FINGERPRINT_TEXT];
	size_t i;

	printf("Now edit the config to match, then run hotline check:\n");
	for (i = 0; i < to->n; i++) {
		sodium_bin2base64(b64, sizeof b64, to->c[i].public_key,
		    crypto_box_PUBLICKEYBYTES, sodium_base64_VARIANT_ORIGINAL);
		seal_fingerprint(to->c[i].public_key, fp);
		if (strcmp(to->c[i].name, "mayor") == 0)
			printf("  [keys] mayor_public = %s   (%s)\n", b64, fp);
		else
			printf("  [custodian %s] public = %s   (%s)\n",
			    to->c[i].name, b64, fp);
	}
}

int
cmd_rekey(int argc, char **argv)
{
	struct config *cfg;
	struct store *s = NULL;
	struct custody from, to;
	struct keys ks = {0};
	struct cli_args a;
	struct rekey_result res;
	struct audit_entry e;
	char err[1024], actor[128], names[CUSTODY_LABEL_MAX], what[512];
	size_t n = 0;
	int rc = 1, i;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0 ||
	    (a.nkeys == 0 && a.words == NULL) ||
	    (a.nadd == 0 && a.nremove == 0)) {
		fprintf(stderr,
		    "usage: hotline rekey --config FILE --key CUSTODIAN.key "
		    "[--passphrase-file FILE] [--recovery-words FILE] "
		    "(--add NAME=PUBFILE | --remove NAME)...\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	custody_of_config(cfg, &from);
	to = from;
	what[0] = '\0';
	for (i = 0; i < a.nremove; i++) {
		if (custody_remove(&to, a.remove[i]) == -1) {
			fprintf(stderr, "hotline: there is no custodian %s\n",
			    a.remove[i]);
			goto done;
		}
		n += (size_t)snprintf(what + n, sizeof what - n, "%sremoved %s",
		    n ? ", " : "", a.remove[i]);
	}
	for (i = 0; i < a.nadd; i++) {
		if (add_custodian(&to, a.add[i]) == -1)
			goto done;
		n += (size_t)snprintf(what + n, sizeof what - n, "%sadded %s",
		    n ? ", " : "", to.c[to.n - 1].name);
	}
	if (custody_find(&to, "mayor") == NULL) {
		fprintf(stderr,
		    "hotline: there must be a custodian mayor ([keys] "
		    "mayor_public): to change the mayor's key, --remove mayor "
		    "--add mayor=NEW.pub\n");
		goto done;
	}
	if ((s = cli_store(cfg, STORE_READWRITE)) == NULL ||
	    load_keys(&a, &from, &ks) == -1)
		goto done;
	e.actor = cli_actor(actor, sizeof actor);
	e.action = "rekey";
	e.report_code = NULL;
	e.reason = what;
	e.custodian = key_names(&ks, names, sizeof names);
	if (rekey_run(s, &from, &to, ks.k, ks.n, &e, &res, err, sizeof err) ==
	    -1) {
		fprintf(stderr, "hotline: %s; nothing changed\n", err);
		goto done;
	}
	printf("rekey: %s; %lld keys sealed again, %lld old identities "
	       "moved under epoch keys\n",
	    what, res.epochs, res.moved);
	print_config_lines(&to);
	rc = 0;
done:
	keys_free(&ks);
	store_close(s);
	config_free(cfg);
	return rc;
}

static int
print_audit(const struct audit_record *r, void *arg)
{
	char when[32];
	json_t *o = json_object();

	(void)arg;
	cli_format_time(r->at, when, sizeof when);
	json_object_set_new(o, "id", json_integer(r->id));
	cli_put_string(o, "at", when);
	cli_put_string(o, "actor", r->e.actor);
	cli_put_string(o, "action", r->e.action);
	cli_put_string(o, "report", r->e.report_code);
	cli_put_string(o, "reason", r->e.reason);
	if (r->e.custodian != NULL)
		cli_put_string(o, "custodian", r->e.custodian);
	cli_print_json(o);
	return 0;
}

/* audit --verify: the chain, and the MACs with keys in hand. */
static int
audit_check(struct store *s, const struct cli_args *a, const struct custody *c)
{
	struct audit_verdict v;
	struct keys ks = {0};
	char err[512];
	int rc;

	if ((a->nkeys > 0 || a->words != NULL) && load_keys(a, c, &ks) == -1)
		return 1;
	rc = audit_verify(s, ks.k, ks.n, &v, err, sizeof err);
	keys_free(&ks);
	if (rc == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		return 1;
	}
	if (rc == 1) {
		printf("broken at row %lld: %s\n", v.broken_id, v.why);
		return 1;
	}
	printf("intact, %lld rows, head %s (%lld MACs %s)\n", v.rows,
	    v.rows > 0 ? v.head : "-", v.macs,
	    a->nkeys > 0 || a->words != NULL
		? "checked with the custodians' keys"
		: "present; give a custodian's --key to check them");
	return 0;
}

/* audit --import: a statement from an unseal on a copy. */
static int
audit_import_file(struct store *s, const char *path)
{
	char text[4096], err[512], actor[128];
	FILE *f;
	size_t n;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		return 1;
	}
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	rc = audit_import(
	    s, text, cli_actor(actor, sizeof actor), err, sizeof err);
	if (rc == -1) {
		fprintf(stderr, "hotline: %s: %s\n", path, err);
		return 1;
	}
	printf("%s\n",
	    rc == 1 ? "already in the audit log" : "added to the audit log");
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	struct cli_args a;
	struct config *cfg;
	struct store *s;
	struct custody c;
	char err[512];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != (a.import ? 1 : 0) ||
	    (a.verify && a.import)) {
		fprintf(stderr,
		    "usage: hotline audit --config FILE\n"
		    "       hotline audit --config FILE --verify [--key "
		    "CUSTODIAN.key [--passphrase-file FILE]]\n"
		    "       hotline audit --config FILE --import "
		    "STATEMENT\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	custody_of_config(cfg, &c);
	if ((s = cli_store(cfg, a.import ? STORE_READWRITE : STORE_READONLY)) !=
	    NULL) {
		if (a.verify)
			rc = audit_check(s, &a, &c);
		else if (a.import)
			rc = audit_import_file(s, a.rest[0]);
		else if (audit_each(s, print_audit, NULL, err, sizeof err) ==
		    -1)
			fprintf(stderr, "hotline: %s\n", err);
		else
			rc = 0;
	}
	store_close(s);
	config_free(cfg);
	return rc;
}

static void
print_due(const char *code, const char *what, void *arg)
{
	(void)arg;
	printf("{\"report\":\"%s\",\"goes\":\"%s\"}\n", code, what);
}

int
cmd_retention(int argc, char **argv)
{
	struct retention_result r;
	struct cli_args a;
	struct config *cfg;
	struct store *s = NULL;
	char err[512], actor[128];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr,
		    "usage: hotline retention --config FILE [--dry-run]\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL ||
	    (s = cli_store(cfg, STORE_READWRITE)) == NULL ||
	    store_begin(s, err, sizeof err) == -1)
		goto done;
	if (retention_apply(s, cfg->retention.identity_after,
		cfg->retention.text_after, time(NULL), a.dry_run,
		cli_actor(actor, sizeof actor), print_due, NULL, &r, err,
		sizeof err) == -1 ||
	    (a.dry_run ? (store_rollback(s), 0)
		       : store_commit(s, err, sizeof err)) == -1) {
		store_rollback(s);
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	if (!a.dry_run)
		store_checkpoint_truncate(s);
	printf("%s: identities of %lld reports%s, texts of %lld reports\n",
	    a.dry_run ? "would go" : "gone", r.identities,
	    a.dry_run ? "" : " (their epoch keys shredded)", r.texts);
	rc = 0;
done:
	store_close(s);
	config_free(cfg);
	return rc;
}
