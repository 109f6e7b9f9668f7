/*
 * cli: implements gateway/cli.h.  Errors go to stderr as "hotline:
 * message" (config errors as "file:line: message").
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
#include <unistd.h>

#include <sodium.h>

#include "gateway/cli.h"

enum {
	OPT_CONFIG = 1,
	OPT_OUT,
	OPT_KEY,
	OPT_PASSFILE,
	OPT_REASON,
	OPT_ROLE,
	OPT_OPD,
	OPT_KIND,
	OPT_SINCE,
	OPT_NAME,
	OPT_RECOVERY,
	OPT_WORDS,
	OPT_ADD,
	OPT_REMOVE,
	OPT_VERIFY,
	OPT_IMPORT,
	OPT_DRY_RUN,
	OPT_DEAD,
	OPT_STATEMENT,
	OPT_EVIDENCE,
	OPT_SYNTAX,
	OPT_PRINT,
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
    {"name", required_argument, NULL, OPT_NAME},
    {"recovery", no_argument, NULL, OPT_RECOVERY},
    {"recovery-words", required_argument, NULL, OPT_WORDS},
    {"add", required_argument, NULL, OPT_ADD},
    {"remove", required_argument, NULL, OPT_REMOVE},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"import", no_argument, NULL, OPT_IMPORT},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"dead", no_argument, NULL, OPT_DEAD},
    {"statement", required_argument, NULL, OPT_STATEMENT},
    {"evidence", no_argument, NULL, OPT_EVIDENCE},
    {"syntax", no_argument, NULL, OPT_SYNTAX},
    {"print", no_argument, NULL, OPT_PRINT},
    {NULL, 0, NULL, 0},
};

/* Add v to list (of at most max): 0, or -1 when full. */
static int
push(const char **list, int *n, int max, const char *v)
{
	if (*n >= max) {
		fprintf(stderr, "hotline: too many of one option\n");
		return -1;
	}
	list[(*n)++] = v;
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli_args *a)
{
	int c, rc = 0;

	memset(a, 0, sizeof *a);
	optind = 1;
	while (rc == 0 &&
	    (c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_KEY:
			rc = push(a->key, &a->nkeys, CLI_MAX_KEYS, optarg);
			break;
		case OPT_PASSFILE:
			rc = push(
			    a->passfile, &a->npassfiles, CLI_MAX_KEYS, optarg);
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
		case OPT_NAME:
			a->name = optarg;
			break;
		case OPT_RECOVERY:
			a->recovery = 1;
			break;
		case OPT_WORDS:
			a->words = optarg;
			break;
		case OPT_ADD:
			rc = push(a->add, &a->nadd, CUSTODY_MAX, optarg);
			break;
		case OPT_REMOVE:
			rc = push(a->remove, &a->nremove, CUSTODY_MAX, optarg);
			break;
		case OPT_VERIFY:
			a->verify = 1;
			break;
		case OPT_IMPORT:
			a->import = 1;
			break;
		case OPT_DRY_RUN:
			a->dry_run = 1;
			break;
		case OPT_DEAD:
			a->dead = 1;
			break;
		case OPT_EVIDENCE:
			a->evidence = 1;
			break;
		case OPT_STATEMENT:
			a->statement = optarg;
			break;
		case OPT_SYNTAX:
			a->syntax = 1;
			break;
		case OPT_PRINT:
			a->print = 1;
			break;
		default:
			rc = -1;
			break;
		}
	}
	a->rest = argv + optind;
	a->nrest = argc - optind;
	return rc;
}

static struct config *
load(const char *path, struct config *(*loader)(const char *, char *, size_t))
{
	struct config *cfg;
	char errs[8192];

	if (path == NULL) {
		fprintf(stderr, "hotline: --config FILE is required\n");
		return NULL;
	}
	if ((cfg = loader(path, errs, sizeof errs)) == NULL)
		fputs(errs, stderr);
	return cfg;
}

struct config *
cli_config(const char *path)
{
	return load(path, config_load_public);
}

struct config *
cli_secret_config(const char *path)
{
	return load(path, config_load);
}

struct config *
cli_serving_config(const char *path)
{
	struct config *cfg = cli_secret_config(path);
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

struct store *
cli_store(const struct config *cfg, enum store_mode mode)
{
	struct store *s;
	char err[512];

	if ((s = store_open(cfg->server.database, mode, err, sizeof err)) ==
	    NULL)
		fprintf(stderr, "hotline: %s\n", err);
	return s;
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

int
cli_read_secret(const char *path, char *buf, size_t len)
{
	struct stat st;
	ssize_t n;
	int fd;

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
	return 0;
}

int
cli_passphrase(const char *path, int confirm, char *buf, size_t len)
{
	char again[CLI_PASSPHRASE_MAX];

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
	if (cli_read_secret(path, buf, len) == -1)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

void
cli_put_string(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? json_string(value) : json_null());
}

void
cli_print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

void
cli_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
cli_actor(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(buf, len, "cli:%s", pw != NULL ? pw->pw_name : "unknown");
	return buf;
}
