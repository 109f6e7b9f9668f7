/*
 * day2_cmds: the operator's commands after the first day.  restore puts
 * a backup in place of the database of a stopped service, once the
 * backup is whole, of a schema this binary serves and sealed to the
 * config's custodians, keeping the database it replaces beside it; user
 * list shows the web accounts; doctor checks what can be checked on this
 * machine (credential files, webhook URLs, the database, the custodians'
 * pin, the clock, the holidays) and says what to set in each provider's
 * console.  No secret is ever printed, nor a password hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>
#include <jansson.h>

#include "gateway/cli.h"
#include "gateway/commands.h"
#include "lib/calendar.h"
#include "queue/accounts.h"
#include "queue/audit.h"
#include "queue/deadline.h"
#include "queue/seal.h"

#define RESTORE_TMP "restore-tmp"
#define RESTORE_OLD "before-restore"

/* path.suffix (suffix NULL: path) into buf.  0, or -1 when too long. */
static int
path_with(char *buf, size_t len, const char *path, const char *suffix)
{
	int n = snprintf(buf, len, "%s%s%s", path, suffix != NULL ? "." : "",
	    suffix != NULL ? suffix : "");

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The directory of path ("." when it names none) into buf. */
static void
dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Does path-suffix (a -wal, -shm) exist?  Its size, or -1 when not. */
static long long
sibling_size(const char *path, const char *suffix)
{
	char p[PATH_MAX];
	struct stat st;

	if (snprintf(p, sizeof p, "%s-%s", path, suffix) >= (int)sizeof p ||
	    stat(p, &st) == -1)
		return -1;
	return (long long)st.st_size;
}

static void
unlink_sibling(const char *path, const char *suffix)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof p, "%s-%s", path, suffix) < (int)sizeof p)
		unlink(p);
}

/* fsync a file or a directory.  0, or -1 with err set. */
static int
sync_path(const char *path, char *err, size_t errlen)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((rc = fsync(fd)) == -1)
		snprintf(err, errlen, "fsync %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* Write all of buf to fd.  0 or -1 (errno set). */
static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy src to dst, a new file (0600, owned like owner when run as root,
 * so that the service's user can open it), synced.  0, or -1 with err
 * set and dst removed.
 */
static int
copy_file(const char *src, const char *dst, const struct stat *owner, char *err,
    size_t errlen)
{
	char buf[65536];
	int in, out = -1, rc = -1;
	ssize_t n;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", src, strerror(errno));
		return -1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		snprintf(err, errlen, "%s: %s", dst, strerror(errno));
		goto done;
	}
	if (geteuid() == 0 && fchown(out, owner->st_uid, owner->st_gid) == -1)
		goto fail;
	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || write_all(out, buf, (size_t)n) == -1)
			goto fail;
	}
	if (fsync(out) == -1)
		goto fail;
	rc = 0;
	goto done;
fail:
	snprintf(
	    err, errlen, "copying %s to %s: %s", src, dst, strerror(errno));
	unlink(dst);
done:
	if (out != -1)
		close(out);
	close(in);
	return rc;
}

/* What a restore works on. */
struct restore {
	const char *backup, *db;
	char tmp[PATH_MAX], old[PATH_MAX], dir[PATH_MAX];
	struct store *live; /* the database replaced, locked; NULL: none */
	int version;	    /* the backup's schema */
	long long reports;  /* in the backup */
};

/* Remove the copy being prepared, with what SQLite left beside it. */
static void
remove_tmp(const struct restore *r)
{
	unlink(r->tmp);
	unlink_sibling(r->tmp, "wal");
	unlink_sibling(r->tmp, "shm");
	unlink_sibling(r->tmp, "journal");
}

/*
 * What must hold before anything is touched: the names fit, no earlier
 * restore's database is in the way, no WAL without its database (it
 * would be read into the one restored), the backup is not a live
 * database (its WAL beside it).  0 or -1 with err.
 */
static int
restore_precheck(struct restore *r, char *err, size_t errlen)
{
	if (path_with(r->tmp, sizeof r->tmp, r->db, RESTORE_TMP) == -1 ||
	    path_with(r->old, sizeof r->old, r->db, RESTORE_OLD) == -1) {
		snprintf(err, errlen, "%s: the path is too long", r->db);
		return -1;
	}
	dir_of(r->db, r->dir, sizeof r->dir);
	if (access(r->old, F_OK) == 0) {
		snprintf(err, errlen,
		    "%s is there from an earlier restore: move it away (or "
		    "delete it once it is not needed) and restore again",
		    r->old);
		return -1;
	}
	if (access(r->db, F_OK) == -1 && sibling_size(r->db, "wal") >= 0) {
		snprintf(err, errlen,
		    "%s-wal is there without its database: move it away and "
		    "restore again",
		    r->db);
		return -1;
	}
	if (sibling_size(r->backup, "wal") > 0) {
		snprintf(err, errlen,
		    "%s has a WAL beside it: it is a live database, not a "
		    "backup; make one with hotline backup",
		    r->backup);
		return -1;
	}
	return 0;
}

/*
 * The copy of the backup beside the database: made and synced, checked
 * (store_check_file(): what is checked is what is put in place), migrated
 * to this binary's schema, its custodians checked against the config's,
 * the restore audited in it, its WAL ended.  0, or -1 with err set and
 * the copy removed.
 */
static int
prepare_copy(
    struct restore *r, const struct custody *c, char *err, size_t errlen)
{
	struct audit_entry e = {NULL, "restore", NULL, NULL, NULL};
	char actor[96], reason[PATH_MAX + 64], why[1024];
	const char *like = r->live != NULL ? r->db : r->dir;
	struct store *s = NULL;
	struct stat owner;

	if (stat(like, &owner) == -1) {
		snprintf(err, errlen, "%s: %s", like, strerror(errno));
		return -1;
	}
	remove_tmp(r); /* left by a restore that was interrupted */
	if (copy_file(r->backup, r->tmp, &owner, err, errlen) == -1)
		return -1;
	if (store_check_file(r->tmp, &r->version, why, sizeof why) == -1) {
		snprintf(err, errlen, "%s %s", r->backup, why);
		goto fail;
	}
	if ((s = store_open(r->tmp, STORE_READWRITE, err, errlen)) == NULL)
		goto fail;
	if (audit_pin(s, c, 0, why, sizeof why) == -1) {
		snprintf(
		    err, errlen, "the backup's custodians differ: %s", why);
		goto fail;
	}
	snprintf(reason, sizeof reason, "from %s (schema %d)",
	    base_of(r->backup), r->version);
	e.actor = cli_actor(actor, sizeof actor);
	e.reason = reason;
	if (audit_write(s, &e, err, errlen) == -1)
		goto fail;
	r->reports = store_count(s, "reports");
	store_checkpoint_truncate(s);
	store_close(s);
	s = NULL;
	if (sibling_size(r->tmp, "wal") > 0) {
		snprintf(err, errlen, "%s kept its WAL after closing", r->tmp);
		goto fail;
	}
	if (sync_path(r->tmp, err, errlen) == 0)
		return 0;
fail:
	store_close(s);
	remove_tmp(r);
	return -1;
}

/*
 * Put the copy in place: the database replaced (if any) made whole in its
 * file and moved to .before-restore, with nothing of its WAL left under
 * the database's name, then the copy renamed in, the directory synced.
 * The lock on the old database is held throughout.  0 or -1 with err.
 */
static int
swap_in(struct restore *r, char *err, size_t errlen)
{
	char why[512];

	if (r->live != NULL) {
		if (store_detach_wal(r->live, why, sizeof why) == -1) {
			snprintf(err, errlen,
			    "%s cannot be made whole to be kept (%s): if it is "
			    "damaged, move it aside with its -wal and restore "
			    "again",
			    r->db, why);
			return -1;
		}
		unlink_sibling(r->db, "shm"); /* stale: nobody else has it */
		if (rename(r->db, r->old) == -1) {
			snprintf(err, errlen, "%s: %s", r->db, strerror(errno));
			return -1;
		}
	}
	if (sibling_size(r->db, "wal") >= 0) {
		snprintf(err, errlen,
		    "%s-wal is there without its database: move it away and "
		    "restore again",
		    r->db);
		goto undo;
	}
	if (rename(r->tmp, r->db) == -1) {
		snprintf(err, errlen, "%s: %s", r->tmp, strerror(errno));
		goto undo;
	}
	if (sync_path(r->dir, err, errlen) == -1)
		fprintf(stderr, "hotline: warning: restored, but %s\n", err);
	return 0;
undo:
	if (r->live != NULL)
		rename(r->old, r->db);
	return -1;
}

static void
print_restored(const struct restore *r)
{
	json_t *o = json_object();

	cli_put_string(o, "restored", r->backup);
	cli_put_string(o, "database", r->db);
	cli_put_string(o, "before_restore", r->live != NULL ? r->old : NULL);
	json_object_set_new(o, "backup_schema", json_integer(r->version));
	json_object_set_new(o, "schema", json_integer(store_schema_version()));
	json_object_set_new(
	    o, "migrated", json_boolean(r->version < store_schema_version()));
	json_object_set_new(o, "reports", json_integer(r->reports));
	cli_print_json(o);
}

/*
 * hotline restore: a backup in place of the database of a stopped
 * service.  Every check comes before the database is touched; a failed
 * one changes nothing.
 */
int
cmd_restore(int argc, char **argv)
{
	struct restore r;
	struct cli_args a;
	struct config *cfg;
	struct custody c;
	char err[3 * PATH_MAX];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 1) {
		fprintf(
		    stderr, "usage: hotline restore --config FILE BACKUP\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	memset(&r, 0, sizeof r);
	r.backup = a.rest[0];
	r.db = cfg->server.database;
	custody_of_config(cfg, &c);
	if (restore_precheck(&r, err, sizeof err) == -1 ||
	    (access(r.db, F_OK) == 0 &&
		(r.live = store_lock(r.db, err, sizeof err)) == NULL) ||
	    prepare_copy(&r, &c, err, sizeof err) == -1)
		goto done;
	if (swap_in(&r, err, sizeof err) == -1) {
		remove_tmp(&r);
		goto done;
	}
	print_restored(&r);
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr,
		    "hotline: restore refused, nothing changed: %s\n", err);
	store_close(r.live);
	config_free(cfg);
	return rc;
}

static int
print_account(const struct account *u, void *arg)
{
	json_t *o = json_object();
	char when[32];

	(void)arg;
	cli_put_string(o, "name", u->name);
	cli_put_string(o, "role", u->role);
	cli_put_string(o, "opd", u->opd[0] != '\0' ? u->opd : NULL);
	if (u->created_at > 0) {
		cli_format_time((time_t)u->created_at, when, sizeof when);
		cli_put_string(o, "created", when);
	}
	cli_print_json(o);
	return 0;
}

/* hotline user list: one JSON line per web account. */
int
cmd_user_list(int argc, char **argv)
{
	struct cli_args a;
	struct config *cfg;
	struct store *s;
	char err[512];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr, "usage: hotline user list --config FILE\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	if ((s = cli_store(cfg, STORE_READONLY)) != NULL) {
		if (accounts_each(s, print_account, NULL, err, sizeof err) == 0)
			rc = 0;
		else
			fprintf(stderr, "hotline: %s\n", err);
	}
	store_close(s);
	config_free(cfg);
	return rc;
}

/*
 * hotline doctor.  Each check prints one line, "ok", "warn" or "FAIL",
 * what it looked at and, in parentheses, why or how to mend it.
 */
enum verdict { V_OK, V_WARN, V_FAIL };

struct doctor {
	char confdir[PATH_MAX]; /* relative KEY_file paths start here */
	int fails;
};

static void
say(struct doctor *d, enum verdict v, const char *what, const char *fmt, ...)
{
	static const char *const names[] = {"ok", "warn", "FAIL"};
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	printf("%-4s  %s  (%s)\n", names[v], what, why);
	if (v == V_FAIL)
		d->fails++;
}

static const char *
user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL ? pw->pw_name : "this user";
}

/* A credential file named by the config: there, 0600 or less, readable. */
static void
check_credential(
    struct doctor *d, const char *section, const char *key, const char *value)
{
	char path[PATH_MAX], what[PATH_MAX + 160];
	struct stat st;

	if (value[0] == '/')
		snprintf(path, sizeof path, "%s", value);
	else if (snprintf(path, sizeof path, "%s/%s", d->confdir, value) >=
	    (int)sizeof path)
		path[0] = '\0';
	snprintf(what, sizeof what, "[%.64s] %.64s = %s", section, key, path);
	if (stat(path, &st) == -1) {
		if (errno == ENOENT &&
		    strncmp(path, "/run/credentials/", 17) == 0 &&
		    getenv("CREDENTIALS_DIRECTORY") == NULL)
			say(d, V_WARN, what,
			    "a systemd credential, seen by the service alone: "
			    "check the file its LoadCredential= names (mode "
			    "600)");
		else
			say(d, V_FAIL, what, "%s", strerror(errno));
	} else if (!S_ISREG(st.st_mode))
		say(d, V_FAIL, what, "not a regular file");
	else if (st.st_mode & (S_IRWXG | S_IRWXO))
		say(d, V_FAIL, what,
		    "mode %04o: group or others may read it, and the config "
		    "refuses it; chmod 600 %s",
		    (unsigned)(st.st_mode & 07777), path);
	else if (access(path, R_OK) == -1)
		say(d, V_FAIL, what, "not readable by %s: %s", user_name(),
		    strerror(errno));
	else
		say(d, V_OK, what, "mode %04o, readable",
		    (unsigned)(st.st_mode & 07777));
}

/*
 * inih: every KEY_file that holds a secret (not a public key), and the
 * mayor's wrapped key.
 */
static int
on_config_line(
    void *arg, const char *section, const char *name, const char *value)
{
	size_t n = strlen(name);

	if ((n > 5 && strcmp(name + n - 5, "_file") == 0 &&
		(n < 11 || strcmp(name + n - 11, "public_file") != 0)) ||
	    strcmp(name, "mayor_key") == 0)
		check_credential(arg, section, name, value);
	return 1;
}

static void
check_mayor_key(struct doctor *d, const struct config *cfg)
{
	const char *what = config_public_secret(cfg);
	char fp[SEAL_FINGERPRINT_TEXT];

	seal_fingerprint(cfg->keys.mayor_public, fp);
	if (what == NULL)
		say(d, V_OK, "[keys] mayor_public",
		    "fingerprint %s: compare it with the mayor's paper", fp);
	else if (cfg->keys.demo)
		say(d, V_WARN, "[keys] mayor_public",
		    "%s, allowed by [keys] demo = yes: for a demonstration "
		    "only",
		    what);
	else
		say(d, V_FAIL, "[keys] mayor_public",
		    "%s: serve refuses it; put the mayor's own mayor.pub there "
		    "(hotline keygen on the mayor's machine)",
		    what);
}

/* Is the host at the start of s (up to ':' or '/') this machine? */
static int
local_host(const char *s)
{
	static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
	size_t i, n = s[0] == '[' ? strcspn(s, "]") + 1 : strcspn(s, ":/");

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
			return 1;
	return 0;
}

static void
check_webhook(struct doctor *d, const struct channel *ch)
{
	const char *u = ch->webhook_url;
	char what[1024];

	snprintf(what, sizeof what, "[channel %s] webhook_url %s", ch->name, u);
	if (strncmp(u, "https://", 8) == 0)
		say(d, V_OK, what, "https");
	else if (strncmp(u, "http://", 7) != 0)
		say(d, V_FAIL, what, "not an http(s) URL");
	else if (local_host(u + 7))
		say(d, V_OK, what, "plain http, to this machine only");
	else if (ch->provider == PROVIDER_WHATSAPP_CLOUD ||
	    ch->provider == PROVIDER_ANDROID_SMS_GATEWAY)
		say(d, V_FAIL, what,
		    "%s calls only https URLs with a valid certificate: "
		    "serve behind a TLS proxy and make public_url (or "
		    "webhook_url) https",
		    ch->provider == PROVIDER_WHATSAPP_CLOUD
			? "Meta"
			: "SMS Gateway for Android (but for 127.0.0.1)");
	else
		say(d, V_WARN, what,
		    "plain http: messages and signatures cross the network "
		    "in clear; serve behind a TLS proxy and make public_url "
		    "(or webhook_url) https");
}

/* The database: its directory writable, it opens, its custodians. */
static void
check_database(struct doctor *d, const struct config *cfg)
{
	const char *db = cfg->server.database;
	char dir[PATH_MAX], what[PATH_MAX + 32], err[1024];
	struct custody c;
	struct store *s;

	dir_of(db, dir, sizeof dir);
	snprintf(what, sizeof what, "database directory %s", dir);
	if (access(dir, W_OK | X_OK) == -1)
		say(d, V_FAIL, what,
		    "%s for %s: serve makes the database, its -wal and -shm "
		    "there",
		    strerror(errno), user_name());
	else
		say(d, V_OK, what, "writable");
	snprintf(what, sizeof what, "database %s", db);
	if (access(db, F_OK) == -1) {
		say(d, V_WARN, what, "not there yet: created at first serve");
		return;
	}
	if (access(db, R_OK | W_OK) == -1) {
		say(d, V_FAIL, what, "%s for %s: serve opens it read-write",
		    strerror(errno), user_name());
		return;
	}
	if ((s = store_open(db, STORE_READONLY, err, sizeof err)) == NULL) {
		say(d, V_FAIL, what, "%s", err);
		return;
	}
	say(d, V_OK, what, "opens read-write, %lld reports",
	    store_count(s, "reports"));
	custody_of_config(cfg, &c);
	if (audit_pin(s, &c, 0, err, sizeof err) == -1)
		say(d, V_FAIL, "custodians", "%s", err);
	else
		say(d, V_OK, "custodians",
		    "the database's pin matches the config (or is made at "
		    "the first serve)");
	store_close(s);
}

static void
check_clock(struct doctor *d, time_t now)
{
	/* 2026-01-01, before which no release of this binary exists */
	const time_t floor = 1767225600, ten_years = 3652 * 86400LL;
	char at[32], since[32];

	cli_format_time(now, at, sizeof at);
	cli_format_time(floor, since, sizeof since);
	if (now < floor)
		say(d, V_FAIL, "clock",
		    "it says %s, before %s: set it (timedatectl set-ntp "
		    "true); deadlines and webhook timestamps depend on it",
		    at, since);
	else if (now > floor + ten_years)
		say(d, V_FAIL, "clock",
		    "it says %s, more than 10 years after %s: set it "
		    "(timedatectl set-ntp true)",
		    at, since);
	else
		say(d, V_OK, "clock", "%s", at);
}

static void
check_holidays(struct doctor *d, const struct config *cfg, time_t now)
{
	const struct holidays *h = &cfg->holidays;
	int today = (int)calendar_local_day(now, cfg->sla.utc_offset);
	char date[16];
	struct tm tm;
	time_t t;
	size_t i;

	if (!holidays_ahead(h, today, HOLIDAYS_AHEAD_DAYS)) {
		say(d, V_WARN, "[holidays] dates",
		    "none in the coming %d days (has the year rolled over?): "
		    "add this year's national holidays and cuti bersama; "
		    "until then deadlines count every weekday as a working "
		    "day",
		    HOLIDAYS_AHEAD_DAYS);
		return;
	}
	for (i = 0; i < h->n && h->days[i] < today; i++)
		;
	t = (time_t)h->days[i] * 86400;
	strftime(date, sizeof date, "%Y-%m-%d", gmtime_r(&t, &tm));
	say(d, V_OK, "[holidays] dates", "the next is %s", date);
}

/* What to set in each provider's console for this config: no secret. */
static void
print_settings(const struct channel *ch)
{
	static const char *const events[] = {
	    "sms:received", "sms:sent", "sms:delivered", "sms:failed"};
	const char *u = ch->webhook_url;
	size_t i;

	printf("\n[channel %s] %s:\n", ch->name,
	    config_provider_name(ch->provider));
	switch (ch->provider) {
	case PROVIDER_WHATSAPP_CLOUD:
		printf("  Meta App Dashboard > WhatsApp > Configuration: "
		       "callback URL %s, verify token = the verify_token "
		       "credential; webhook fields: subscribe to messages\n"
		       "  the app's secret (App settings > Basic) is the "
		       "app_secret credential, which signs every webhook\n"
		       "  subscribe the app to the WhatsApp Business Account: "
		       "curl -X POST -H 'Authorization: Bearer ACCESS_TOKEN' "
		       "'%s/WABA_ID/subscribed_apps' (ACCESS_TOKEN: the "
		       "access_token credential; WABA_ID: the account's id "
		       "in WhatsApp Manager)\n",
		    u,
		    ch->api_base != NULL ? ch->api_base
					 : "https://graph.facebook.com/v25.0");
		break;
	case PROVIDER_TWILIO:
		printf("  Twilio Console > the number (Phone Numbers > "
		       "Active numbers), or its Messaging Service > "
		       "Integration: \"A message comes in\": Webhook %s, "
		       "HTTP POST\n"
		       "  status callback: nothing to set, every message "
		       "sent names %s as its StatusCallback\n"
		       "  the account's Auth Token is the auth_token "
		       "credential, which signs every webhook\n",
		    u, u);
		break;
	case PROVIDER_ANDROID_SMS_GATEWAY:
		printf("  register one webhook per event with the app's API "
		       "(PASSWORD: the password credential; the same id "
		       "again replaces it):\n");
		for (i = 0; i < sizeof events / sizeof events[0]; i++)
			printf("  curl -X POST -u '%s:PASSWORD' -H "
			       "'Content-Type: application/json' -d "
			       "'{\"id\":\"hotline-%s\",\"url\":\"%s\","
			       "\"event\":\"%s\"}' %s/webhooks\n",
			    ch->username != NULL ? ch->username : "USERNAME",
			    events[i] + 4, u, events[i],
			    ch->api_base != NULL ? ch->api_base
						 : "http://PHONE:8080");
		printf("  the app makes the signing key (Settings > Webhooks "
		       "> Signing Key): the signing_key credential must be "
		       "that key\n");
		break;
	case PROVIDER_SMSSYNC:
		printf("  in the app: Sync URL %s, secret key = the secret "
		       "credential; turn on \"Get reply from server\" and "
		       "task checking (every minute): alerts and reminders "
		       "wait for the phone to poll\n",
		    u);
		break;
	}
}

/* hotline doctor: exit 1 when any check FAILs. */
int
cmd_doctor(int argc, char **argv)
{
	struct doctor d;
	struct cli_args a;
	struct config *cfg;
	time_t now = time(NULL);
	size_t i;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0 ||
	    a.config == NULL) {
		fprintf(stderr, "usage: hotline doctor --config FILE\n");
		return 2;
	}
	memset(&d, 0, sizeof d);
	dir_of(a.config, d.confdir, sizeof d.confdir);
	if (ini_parse(a.config, on_config_line, &d) == -1)
		say(&d, V_FAIL, a.config, "%s", strerror(errno));
	if ((cfg = cli_config(a.config)) == NULL) {
		say(&d, V_FAIL, a.config,
		    "its errors are above; hotline check says the same");
		return 1;
	}
	say(&d, V_OK, a.config,
	    "loads: %zu channels, %zu categories, %zu OPDs, %zu kecamatan",
	    cfg->nchannels, cfg->ncategories, cfg->nopds, cfg->nregions);
	check_mayor_key(&d, cfg);
	for (i = 0; i < cfg->nchannels; i++)
		check_webhook(&d, &cfg->channels[i]);
	check_database(&d, cfg);
	check_clock(&d, now);
	check_holidays(&d, cfg, now);
	printf("\nWhat to set at each provider (secrets are named, never "
	       "shown):\n");
	for (i = 0; i < cfg->nchannels; i++)
		print_settings(&cfg->channels[i]);
	config_free(cfg);
	return d.fails > 0 ? 1 : 0;
}
