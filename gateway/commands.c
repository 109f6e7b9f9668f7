/*
 * commands: serve, check, keygen, reports, unseal, audit and backup.
 * Each parses its own options with getopt_long, loads what it needs, and
 * prints errors as "hotline: message" (config errors as "file:line:
 * message").  Nothing here prints an identity except unseal, and unseal
 * writes its audit row before it decrypts anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "config/config.h"
#include "gateway/commands.h"
#include "gateway/log.h"
#include "gateway/server.h"
#include "queue/accounts.h"
#include "queue/deadline.h"
#include "queue/intent.h"
#include "queue/lifecycle.h"
#include "queue/memkey.h"
#include "queue/router.h"
#include "queue/seal.h"
#include "queue/store.h"

#define PASSPHRASE_MAX 1024

enum {
	OPT_CONFIG = 1,
	OPT_OUT,
	OPT_KEY,
	OPT_PASSFILE,
	OPT_REASON,
	OPT_ROLE,
	OPT_OPD,
	OPT_KIND,
	OPT_SINCE
};

static const struct option long_options[] = {
    {"config", required_argument, NULL, OPT_CONFIG},
    {"out", required_argument, NULL, OPT_OUT},
    {"key", required_argument, NULL, OPT_KEY},
    {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
    {"reason", required_argument, NULL, OPT_REASON},
    {"password-file", required_argument, NULL, OPT_PASSFILE},
    {"role", required_argument, NULL, OPT_ROLE},
    {"opd", required_argument, NULL, OPT_OPD},
    {"kind", required_argument, NULL, OPT_KIND},
    {"since", required_argument, NULL, OPT_SINCE},
    {NULL, 0, NULL, 0},
};

struct args {
	const char *config, *out, *key, *passfile, *reason, *role, *opd;
	const char *kind, *since;
	char **rest;
	int nrest;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof *a);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_KEY:
			a->key = optarg;
			break;
		case OPT_PASSFILE:
			a->passfile = optarg;
			break;
		case OPT_REASON:
			a->reason = optarg;
			break;
		case OPT_ROLE:
			a->role = optarg;
			break;
		case OPT_OPD:
			a->opd = optarg;
			break;
		case OPT_KIND:
			a->kind = optarg;
			break;
		case OPT_SINCE:
			a->since = optarg;
			break;
		default:
			return -1;
		}
	}
	a->rest = argv + optind;
	a->nrest = argc - optind;
	return 0;
}

static struct config *
load_config(const char *path)
{
	struct config *cfg;
	char errs[8192];

	if (path == NULL) {
		fprintf(stderr, "hotline: --config FILE is required\n");
		return NULL;
	}
	if ((cfg = config_load(path, errs, sizeof errs)) == NULL)
		fputs(errs, stderr);
	return cfg;
}

/*
 * The config a daemon may serve: load_config(), and a mayor_public whose
 * secret is no secret (the demo key, the placeholder) only for a
 * demonstration ([keys] demo = yes).
 */
static struct config *
load_serving_config(const char *path)
{
	struct config *cfg = load_config(path);
	const char *what;

	if (cfg == NULL || cfg->keys.demo ||
	    (what = config_public_secret(cfg)) == NULL)
		return cfg;
	fprintf(stderr,
	    "%s: mayor_public is %s: no identity sealed to it would be "
	    "safe.  Put the mayor's own mayor.pub there (hotline keygen on "
	    "the mayor's machine), or set [keys] demo = yes for a "
	    "demonstration.\n",
	    path, what);
	config_free(cfg);
	return NULL;
}

static struct store *
open_store(const struct config *cfg, enum store_mode mode)
{
	struct store *s;
	char err[512];

	if ((s = store_open(cfg->server.database, mode, err, sizeof err)) ==
	    NULL)
		fprintf(stderr, "hotline: %s\n", err);
	return s;
}

int
cmd_serve(int argc, char **argv)
{
	struct memkey *key = NULL;
	struct args a;
	struct config *cfg;
	char err[512];
	int rc;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr, "usage: hotline serve --config FILE\n");
		return 2;
	}
	/* SIGHUP: the config read again and served, with the same keys */
	do {
		if ((cfg = load_serving_config(a.config)) == NULL) {
			rc = -1;
			break;
		}
		if ((rc = server_run(cfg, &key, err, sizeof err)) == -1)
			log_msg(
			    LOG_ERROR, "start_failed", "reason=\"%s\"", err);
		config_free(cfg);
	} while (rc == SERVER_RELOAD);
	memkey_free(key);
	return rc == 0 ? 0 : 1;
}

/*
 * When the database exists: are the config's custodians the ones it is
 * pinned to?  0 (or none pinned yet), or -1 said on stderr.
 */
static int
check_custodians(const char *path, const struct config *cfg)
{
	char pins[64], kept[256], err[512];
	struct store *s;
	int rc;

	if (access(cfg->server.database, F_OK) != 0)
		return 0;
	if ((s = store_open(cfg->server.database, STORE_READONLY, err,
		 sizeof err)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	seal_custodian_pins(cfg->keys.mayor_public, pins, sizeof pins);
	rc = store_custodians(s, pins, 0, kept, sizeof kept, err, sizeof err);
	store_close(s);
	if (rc == 1)
		fprintf(stderr,
		    "%s: the database is pinned to the custodians %s, and the "
		    "config names %s: a key cannot be swapped in\n",
		    path, kept, pins);
	else if (rc == -1)
		fprintf(stderr, "%s: %s\n", path, err);
	return rc == -1 || rc == 1 ? -1 : 0;
}

int
cmd_check(int argc, char **argv)
{
	struct args a;
	struct config *cfg;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr, "usage: hotline check --config FILE\n");
		return 2;
	}
	if ((cfg = load_serving_config(a.config)) == NULL)
		return 1;
	if (check_custodians(a.config, cfg) == -1) {
		config_free(cfg);
		return 1;
	}
	printf("%s: ok (%zu channels, %zu categories, %zu OPDs, %zu "
	       "kecamatan)\n",
	    a.config, cfg->nchannels, cfg->ncategories, cfg->nopds,
	    cfg->nregions);
	config_free(cfg);
	return 0;
}

/* The fingerprint of DIR/mayor.pub, to write on paper: 0 or 1. */
static int
print_fingerprint(const char *dir)
{
	unsigned char pk[crypto_box_PUBLICKEYBYTES];
	char path[4096], line[128], fp[SEAL_FINGERPRINT_TEXT];
	FILE *f;
	int ok;

	snprintf(path, sizeof path, "%s/mayor.pub", dir);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (!ok || seal_parse_public_key(line, pk) == -1)
		return 1;
	seal_fingerprint(pk, fp);
	printf("fingerprint: %s (write it down: the mayor's page and the "
	       "digest show it)\n",
	    fp);
	return 0;
}

/* Read one line from the terminal without echo. */
static int
read_tty(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	FILE *tty;
	int ok;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	ok = fgets(buf, (int)len, tty) != NULL;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/*
 * Read the passphrase from path (which must not be readable by group or
 * others) or, without one, from the terminal (twice when confirm is set).
 */
static int
read_passphrase(const char *path, int confirm, char *buf, size_t len)
{
	char again[PASSPHRASE_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	if (path == NULL) {
		if (read_tty("Passphrase: ", buf, len) == -1) {
			fprintf(stderr,
			    "hotline: no terminal to read the "
			    "passphrase from; use --passphrase-file\n");
			return -1;
		}
		if (!confirm)
			return 0;
		if (read_tty("Passphrase again: ", again, sizeof again) == -1 ||
		    strcmp(buf, again) != 0) {
			sodium_memzero(again, sizeof again);
			fprintf(stderr, "hotline: the passphrases differ\n");
			return -1;
		}
		sodium_memzero(again, sizeof again);
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr,
		    "hotline: %s is readable by group or others; chmod 600 "
		    "it\n",
		    path);
		close(fd);
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "hotline: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int
cmd_keygen(int argc, char **argv)
{
	struct args a;
	char *pass, err[512];
	int rc = 1;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 0 || a.out == NULL) {
		fprintf(stderr,
		    "usage: hotline keygen --out DIR "
		    "[--passphrase-file FILE]\n");
		return 2;
	}
	if (mkdir(a.out, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "hotline: %s: %s\n", a.out, strerror(errno));
		return 1;
	}
	if ((pass = sodium_malloc(PASSPHRASE_MAX)) == NULL)
		return 1;
	if (read_passphrase(a.passfile, 1, pass, PASSPHRASE_MAX) == 0) {
		if (seal_keygen(a.out, pass, err, sizeof err) == -1)
			fprintf(stderr, "hotline: %s\n", err);
		else {
			printf("%s/mayor.pub: the public key for [keys] "
			       "mayor_public\n"
			       "%s/mayor.key: the secret key, wrapped under "
			       "the passphrase; keep it off the server\n",
			    a.out, a.out);
			rc = print_fingerprint(a.out);
		}
	}
	sodium_free(pass);
	return rc;
}

static void
put_string(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? json_string(value) : json_null());
}

static void
print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

static void
format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The read-only subcommands: parse the arguments (nrest positional ones),
 * load the config, open the database read-only and run action on it.
 */
static int
run_on_store(int argc, char **argv, const char *usage, int nrest,
    int (*action)(struct store *, const struct args *, char *, size_t))
{
	struct args a;
	struct config *cfg;
	struct store *s;
	char err[512];
	int rc = 1;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != nrest) {
		fprintf(stderr, "usage: hotline %s\n", usage);
		return 2;
	}
	if ((cfg = load_config(a.config)) == NULL)
		return 1;
	if ((s = open_store(cfg, STORE_READONLY)) != NULL) {
		if (action(s, &a, err, sizeof err) == -1)
			fprintf(stderr, "hotline: %s\n", err);
		else
			rc = 0;
	}
	store_close(s);
	config_free(cfg);
	return rc;
}

/* A time as UTC ISO 8601, or null when 0 ("none", "not yet"). */
static void
put_time(json_t *o, const char *key, time_t t)
{
	char when[32];

	if (t == 0) {
		json_object_set_new(o, key, json_null());
		return;
	}
	format_time(t, when, sizeof when);
	put_string(o, key, when);
}

/* Is report r past a deadline it has not met, at now? */
static int
overdue(const struct store_report_row *r, time_t now)
{
	if (!lifecycle_is_open(r->status))
		return 0;
	return (r->resolve_due != 0 && r->resolve_due <= now) ||
	    (r->acknowledged_at == 0 && r->ack_due != 0 && r->ack_due <= now);
}

static int
print_report(const struct store_report_row *r, void *arg)
{
	json_t *o = json_object();
	const time_t *now = arg;

	put_string(o, "code", r->code);
	put_string(o, "status", r->status);
	put_string(o, "channel", r->channel);
	put_string(o, "category", r->category);
	put_string(o, "opd", r->opd);
	put_string(o, "kecamatan", r->kecamatan);
	put_string(o, "kelurahan", r->kelurahan);
	put_time(o, "received_at", r->received_at);
	put_time(o, "acknowledge_due", r->ack_due);
	put_time(o, "resolve_due", r->resolve_due);
	put_time(o, "acknowledged_at", r->acknowledged_at);
	put_time(o, "resolved_at", r->resolved_at);
	json_object_set_new(o, "overdue", json_boolean(overdue(r, *now)));
	json_object_set_new(o, "escalated",
	    json_boolean((r->marks & STORE_MARK_ESCALATED) != 0));
	print_json(o);
	return 0;
}

static int
print_audit(const struct store_audit_row *r, void *arg)
{
	char when[32];
	json_t *o = json_object();

	(void)arg;
	format_time(r->at, when, sizeof when);
	json_object_set_new(o, "id", json_integer(r->id));
	put_string(o, "at", when);
	put_string(o, "actor", r->actor);
	put_string(o, "action", r->action);
	put_string(o, "report", r->report_code);
	put_string(o, "reason", r->reason);
	print_json(o);
	return 0;
}

static int
list_reports(struct store *s, const struct args *a, char *err, size_t errlen)
{
	time_t now = time(NULL);

	(void)a;
	return store_each_report(s, print_report, &now, err, errlen);
}

int
cmd_reports(int argc, char **argv)
{
	return run_on_store(
	    argc, argv, "reports --config FILE", 0, list_reports);
}

static int
list_audit(struct store *s, const struct args *a, char *err, size_t errlen)
{
	(void)a;
	return store_each_audit(s, print_audit, NULL, err, errlen);
}

int
cmd_audit(int argc, char **argv)
{
	return run_on_store(argc, argv, "audit --config FILE", 0, list_audit);
}

static void
print_identity(const char *code, const struct identity *id)
{
	char when[32];
	json_t *o = json_object();

	format_time(id->received_at, when, sizeof when);
	put_string(o, "code", code);
	put_string(o, "channel", id->channel);
	put_string(o, "sender", id->sender[0] ? id->sender : NULL);
	put_string(o, "user_id", id->user_id[0] ? id->user_id : NULL);
	put_string(
	    o, "profile_name", id->profile_name[0] ? id->profile_name : NULL);
	put_string(o, "provider_message_id", id->provider_id);
	put_string(o, "received_at", when);
	print_json(o);
}

static const char *
actor_name(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(buf, len, "cli:%s", pw != NULL ? pw->pw_name : "unknown");
	return buf;
}

int
cmd_unseal(int argc, char **argv)
{
	unsigned char uid[SEAL_REPORT_ID_BYTES], pk[crypto_box_PUBLICKEYBYTES];
	struct sealed_identity *sealed = NULL;
	struct identity *id = NULL;
	unsigned char *sk = NULL;
	struct config *cfg;
	struct store *s = NULL;
	struct args a;
	char *pass = NULL, err[512], actor[128];
	int rc = 1, found;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 1 || a.key == NULL) {
		fprintf(stderr,
		    "usage: hotline unseal --config FILE --key "
		    "mayor.key [--passphrase-file FILE] [--reason "
		    "TEXT] CODE\n");
		return 2;
	}
	if ((cfg = load_config(a.config)) == NULL)
		return 1;
	if ((s = open_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	sealed = malloc(sizeof *sealed);
	id = sodium_malloc(sizeof *id);
	sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	pass = sodium_malloc(PASSPHRASE_MAX);
	if (sealed == NULL || id == NULL || sk == NULL || pass == NULL)
		goto done;
	if ((found = store_find_identity(
		 s, a.rest[0], uid, sealed, err, sizeof err)) != 0) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	/* The audit row is durable before anything is decrypted. */
	if (store_audit(s, actor_name(actor, sizeof actor), "unseal", a.rest[0],
		a.reason, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s; nothing was unsealed\n", err);
		goto done;
	}
	if (read_passphrase(a.passfile, 0, pass, PASSPHRASE_MAX) == -1)
		goto done;
	if (seal_unwrap_key(a.key, pass, pk, sk, err, sizeof err) == -1 ||
	    seal_open_identity(sealed, uid, pk, sk, id, err, sizeof err) ==
		-1) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	print_identity(a.rest[0], id);
	rc = 0;
done:
	if (pass != NULL)
		sodium_free(pass);
	if (sk != NULL)
		sodium_free(sk);
	if (id != NULL)
		sodium_free(id);
	free(sealed);
	store_close(s);
	config_free(cfg);
	return rc;
}

static int
backup(struct store *s, const struct args *a, char *err, size_t errlen)
{
	int fd;

	/*
	 * Made here, new and 0600, before SQLite writes into it: a backup
	 * holds sealed identities and the texts of every report.
	 */
	if ((fd = open(a->rest[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		 0600)) == -1) {
		snprintf(err, errlen, "%s: %s%s", a->rest[0], strerror(errno),
		    errno == EEXIST ? "; not overwriting" : "");
		return -1;
	}
	close(fd);
	if (store_backup(s, a->rest[0], err, errlen) == -1) {
		unlink(a->rest[0]);
		return -1;
	}
	return 0;
}

int
cmd_backup(int argc, char **argv)
{
	return run_on_store(
	    argc, argv, "backup --config FILE OUTFILE", 1, backup);
}

int
cmd_route(int argc, char **argv)
{
	struct args a;
	struct config *cfg;
	struct router *router;
	struct route route;
	struct intent_reading reading;
	char err[512], *json = NULL;
	json_t *o;
	int rc = 1;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 1) {
		fprintf(stderr, "usage: hotline route --config FILE TEXT\n");
		return 2;
	}
	if ((cfg = load_config(a.config)) == NULL)
		return 1;
	if ((router = router_new(cfg, err, sizeof err)) == NULL)
		fprintf(stderr, "hotline: %s\n", err);
	else {
		router_route(router, a.rest[0], NULL, &route);
		intent_read(router, cfg->server.report_prefix, a.rest[0],
		    &route, &reading);
		if ((json = router_json(&route)) != NULL &&
		    (o = json_loads(json, 0, NULL)) != NULL) {
			put_string(o, "intent", intent_names[reading.intent]);
			put_string(o, "intent_rule", reading.rule);
			if (reading.intent == INTENT_QUESTION)
				put_string(o, "question",
				    intent_question_names[reading.question]);
			print_json(o);
			rc = 0;
		}
		intent_wipe(&reading);
		free(json);
	}
	router_free(router);
	config_free(cfg);
	return rc;
}

static void
put_time_ms(json_t *o, const char *key, long long ms)
{
	char when[32];

	format_time((time_t)(ms / 1000), when, sizeof when);
	put_string(o, key, when);
}

static int
print_outbox(const struct store_outbox_row *r, void *arg)
{
	json_t *o = json_object();

	(void)arg;
	json_object_set_new(o, "id", json_integer(r->id));
	put_string(o, "report", r->report_code);
	put_string(o, "kind", r->kind);
	put_string(o, "channel", r->channel);
	/* A citizen's address is never shown, even while it is sealed. */
	put_string(o, "destination",
	    r->destination != NULL ? r->destination : "citizen");
	put_string(o, "status", r->status);
	put_string(o, "template", r->template_name);
	put_string(o, "fallback", r->fallback);
	json_object_set_new(o, "attempts", json_integer(r->attempts));
	put_time_ms(o, "next_attempt_at", r->next_attempt_at);
	put_string(o, "last_error", r->last_error);
	put_time_ms(o, "created_at", r->created_at);
	put_time_ms(o, "updated_at", r->updated_at);
	print_json(o);
	return 0;
}

static int
list_outbox(struct store *s, const struct args *a, char *err, size_t errlen)
{
	(void)a;
	return store_each_outbox(s, print_outbox, NULL, err, errlen);
}

int
cmd_outbox(int argc, char **argv)
{
	return run_on_store(argc, argv, "outbox --config FILE", 0, list_outbox);
}

/*
 * hotline resend: dead messages queued again, after what killed them is
 * mended (an expired WhatsApp token replaced, a gateway phone back on).
 * Only staff's: a citizen's address is erased when its message dies, so
 * those are counted, never sent.  Audited first.
 */
int
cmd_resend(int argc, char **argv)
{
	static const char usage[] =
	    "usage: hotline resend --config FILE [--kind KIND] [--since "
	    "DURATION]\n";
	struct config *cfg = NULL;
	struct store *s = NULL;
	struct store_resent n;
	char err[512], actor[96], what[128];
	long long now = (long long)time(NULL) * 1000, since = 0;
	long ms;
	struct args a;
	int rc = 1;

	if (parse_args(argc, argv, &a) == -1 || a.nrest != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (a.since != NULL) {
		if (deadline_parse_ms(a.since, &ms) == -1 || ms <= 0) {
			fprintf(stderr,
			    "hotline: --since '%.32s' must be a duration "
			    "(30m, 12h, 3d)\n",
			    a.since);
			return 2;
		}
		since = now - ms;
	}
	if ((cfg = load_config(a.config)) == NULL ||
	    (s = open_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	snprintf(what, sizeof what, "dead %s messages%s%s",
	    a.kind != NULL ? a.kind : "staff",
	    a.since != NULL ? " of the last " : "",
	    a.since != NULL ? a.since : "");
	if (store_audit(s, actor_name(actor, sizeof actor), "resend", NULL,
		what, err, sizeof err) == -1 ||
	    store_resend(s, a.kind, since, now, &n, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	printf("{\"queued\":%lld,\"citizens_not_sendable\":%lld}\n", n.queued,
	    n.citizens);
	rc = 0;
done:
	store_close(s);
	config_free(cfg);
	return rc;
}

/*
 * hotline user add|passwd|remove: the web views' accounts.  The mayor's
 * password must open [keys] mayor_key when one is configured, since the
 * web login unwraps the key with it.  Each change is audited first.
 */
int
cmd_user(int argc, char **argv)
{
	static const char usage[] =
	    "usage: hotline user add --config FILE --role mayor|opd [--opd ID] "
	    "--password-file FILE NAME\n"
	    "       hotline user passwd --config FILE --password-file FILE "
	    "NAME\n"
	    "       hotline user remove --config FILE NAME\n";
	unsigned char *sk = NULL;
	char *pass = NULL, err[512], actor[96], what[128];
	const char *verb = argc > 1 ? argv[1] : "", *name;
	struct config *cfg = NULL;
	struct store *s = NULL;
	struct args a;
	int rc = 1, r;

	if (parse_args(argc - 1, argv + 1, &a) == -1 || a.nrest != 1 ||
	    (strcmp(verb, "add") != 0 && strcmp(verb, "passwd") != 0 &&
		strcmp(verb, "remove") != 0) ||
	    (strcmp(verb, "add") == 0 && a.role == NULL) ||
	    (strcmp(verb, "remove") != 0 && a.passfile == NULL)) {
		fputs(usage, stderr);
		return 2;
	}
	name = a.rest[0];
	if ((cfg = load_config(a.config)) == NULL ||
	    (s = open_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	if (strcmp(verb, "remove") != 0) {
		if ((pass = sodium_malloc(PASSPHRASE_MAX)) == NULL ||
		    read_passphrase(a.passfile, 0, pass, PASSPHRASE_MAX) == -1)
			goto done;
	}
	if (strcmp(verb, "add") == 0 && strcmp(a.role, "mayor") == 0 &&
	    cfg->keys.mayor_key != NULL) {
		if ((sk = seal_unlock_key(cfg->keys.mayor_key, pass,
			 cfg->keys.mayor_public, err, sizeof err)) == NULL) {
			fprintf(stderr,
			    "hotline: the mayor's password must open "
			    "mayor_key, whose public key is mayor_public\n");
			goto done;
		}
	}
	actor_name(actor, sizeof actor);
	snprintf(what, sizeof what, "%s%s%s", name,
	    a.role != NULL ? " as " : "", a.role != NULL ? a.role : "");
	if (store_audit(s, actor,
		strcmp(verb, "add") == 0	  ? "user_add"
		    : strcmp(verb, "passwd") == 0 ? "user_passwd"
						  : "user_remove",
		NULL, what, err, sizeof err) == -1) {
		fprintf(stderr, "hotline: %s\n", err);
		goto done;
	}
	if (strcmp(verb, "add") == 0)
		r = accounts_add(
		    s, cfg, name, a.role, a.opd, pass, err, sizeof err);
	else if (strcmp(verb, "passwd") == 0)
		r = accounts_passwd(s, name, pass, err, sizeof err);
	else
		r = accounts_remove(s, name, err, sizeof err);
	if (r == 1)
		fprintf(stderr, "hotline: there is no user %s\n", name);
	else if (r == -1)
		fprintf(stderr, "hotline: %s\n", err);
	else
		rc = 0;
done:
	sodium_free(sk);
	sodium_free(pass);
	store_close(s);
	config_free(cfg);
	return rc;
}
