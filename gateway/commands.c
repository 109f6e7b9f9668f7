/*
 * commands: serve, check, reports, backup, route, outbox, resend and
 * user (the custodians' commands are in gateway/custody_cmds.c).  Each
 * parses its options with cli_parse(), loads what it needs, and prints
 * errors as "hotline: message" (config errors as "file:line: message").
 * Nothing here prints an identity.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "config/config.h"
#include "config/config_print.h"
#include "gateway/cli.h"
#include "gateway/commands.h"
#include "gateway/server.h"
#include "lib/calendar.h"
#include "lib/log.h"
#include "queue/accounts.h"
#include "queue/audit.h"
#include "queue/deadline.h"
#include "queue/intent.h"
#include "queue/lifecycle.h"
#include "queue/memkey.h"
#include "queue/router.h"
#include "queue/seal.h"
#include "queue/store.h"
#include "queue/report.h"

int
cmd_serve(int argc, char **argv)
{
	struct memkey *key = NULL;
	struct cli_args a;
	struct config *cfg;
	char err[512];
	int rc;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr, "usage: hotline serve --config FILE\n");
		return 2;
	}
	/* SIGHUP: the config read again and served, with the same keys */
	do {
		if ((cfg = cli_serving_config(a.config)) == NULL) {
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

/* The database's custodians are the config's: 0, or -1 said. */
static int
check_pin(const struct config *cfg, const char *path)
{
	char err[1024];
	struct custody c;
	struct store *s;
	int rc = -1;

	if (access(cfg->server.database, F_OK) != 0)
		return 0; /* pinned at the first serve */
	custody_of_config(cfg, &c);
	if ((s = cli_store(cfg, STORE_READONLY)) != NULL &&
	    (rc = audit_pin(s, &c, 0, err, sizeof err)) == -1)
		fprintf(stderr, "%s: %s\n", path, err);
	store_close(s);
	return rc == -1 ? -1 : 0;
}

/*
 * hotline check: the config as serve would take it (every secret read,
 * no demo key, the database's custodians).  --syntax: the file alone,
 * without its secrets; --print: the effective config, secrets masked.
 * A holiday list with nothing ahead is a warning.
 */
int
cmd_check(int argc, char **argv)
{
	struct cli_args a;
	struct config *cfg;
	time_t now = time(NULL);

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0) {
		fprintf(stderr,
		    "usage: hotline check --config FILE [--syntax] "
		    "[--print]\n");
		return 2;
	}
	cfg = a.syntax ? cli_config(a.config) : cli_serving_config(a.config);
	if (cfg == NULL)
		return 1;
	if (!a.syntax && check_pin(cfg, a.config) == -1) {
		config_free(cfg);
		return 1;
	}
	if (!holidays_ahead(&cfg->holidays,
		calendar_local_day(now, cfg->sla.utc_offset),
		HOLIDAYS_AHEAD_DAYS))
		fprintf(stderr,
		    "%s: warning: [holidays] has no date in the coming %d "
		    "days (has the year rolled over?): deadlines count "
		    "every weekday as a working day until it is updated\n",
		    a.config, HOLIDAYS_AHEAD_DAYS);
	if (a.print)
		config_print(cfg, stdout);
	else
		printf("%s: ok (%zu channels, %zu categories, %zu OPDs, %zu "
		       "kecamatan)\n",
		    a.config, cfg->nchannels, cfg->ncategories, cfg->nopds,
		    cfg->nregions);
	config_free(cfg);
	return 0;
}

/*
 * The read-only subcommands: parse the arguments (nrest positional ones),
 * load the config, open the database read-only and run action on it.
 */
static int
run_on_store(int argc, char **argv, const char *usage, int nrest,
    int (*action)(struct store *, const struct cli_args *, char *, size_t))
{
	struct cli_args a;
	struct config *cfg;
	struct store *s;
	char err[512];
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != nrest) {
		fprintf(stderr, "usage: hotline %s\n", usage);
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	if ((s = cli_store(cfg, STORE_READONLY)) != NULL) {
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
	cli_format_time(t, when, sizeof when);
	cli_put_string(o, key, when);
}

/* Is report r past a deadline it has not met, at now? */
static int
overdue(const struct store_report_row *r, time_t now)
{
	if (!report_is_open(r->status))
		return 0;
	return (r->resolve_due != 0 && r->resolve_due <= now) ||
	    (r->acknowledged_at == 0 && r->ack_due != 0 && r->ack_due <= now);
}

static int
print_report(const struct store_report_row *r, void *arg)
{
	json_t *o = json_object();
	const time_t *now = arg;

	cli_put_string(o, "code", r->code);
	cli_put_string(o, "status", r->status);
	cli_put_string(o, "channel", r->channel);
	cli_put_string(o, "category", r->category);
	cli_put_string(o, "opd", r->opd);
	cli_put_string(o, "kecamatan", r->kecamatan);
	cli_put_string(o, "kelurahan", r->kelurahan);
	put_time(o, "received_at", r->received_at);
	put_time(o, "acknowledge_due", r->ack_due);
	put_time(o, "resolve_due", r->resolve_due);
	put_time(o, "acknowledged_at", r->acknowledged_at);
	put_time(o, "resolved_at", r->resolved_at);
	json_object_set_new(o, "overdue", json_boolean(overdue(r, *now)));
	json_object_set_new(o, "escalated",
	    json_boolean((r->marks & STORE_MARK_ESCALATED) != 0));
	json_object_set_new(o, "attachments", json_integer(r->attachments));
	cli_print_json(o);
	return 0;
}

static int
list_reports(
    struct store *s, const struct cli_args *a, char *err, size_t errlen)
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
backup(struct store *s, const struct cli_args *a, char *err, size_t errlen)
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
	struct cli_args a;
	struct config *cfg;
	struct router *router;
	struct route route;
	struct intent_reading reading;
	char err[512], *json = NULL;
	json_t *o;
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 1) {
		fprintf(stderr, "usage: hotline route --config FILE TEXT\n");
		return 2;
	}
	if ((cfg = cli_config(a.config)) == NULL)
		return 1;
	if ((router = router_new(cfg, err, sizeof err)) == NULL)
		fprintf(stderr, "hotline: %s\n", err);
	else {
		router_route(router, a.rest[0], NULL, &route);
		intent_read(router, cfg->server.report_prefix, a.rest[0],
		    &route, &reading);
		if ((json = router_json(&route)) != NULL &&
		    (o = json_loads(json, 0, NULL)) != NULL) {
			cli_put_string(
			    o, "intent", intent_names[reading.intent]);
			cli_put_string(o, "intent_rule", reading.rule);
			if (reading.intent == INTENT_QUESTION)
				cli_put_string(o, "question",
				    intent_question_names[reading.question]);
			cli_print_json(o);
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

	cli_format_time((time_t)(ms / 1000), when, sizeof when);
	cli_put_string(o, key, when);
}

static int
print_outbox(const struct store_outbox_row *r, void *arg)
{
	json_t *o = json_object();

	(void)arg;
	json_object_set_new(o, "id", json_integer(r->id));
	cli_put_string(o, "report", r->report_code);
	cli_put_string(o, "kind", r->kind);
	cli_put_string(o, "channel", r->channel);
	/* A citizen's address is never shown, even while it is sealed. */
	cli_put_string(o, "destination",
	    r->destination != NULL ? r->destination : "citizen");
	cli_put_string(o, "status", r->status);
	cli_put_string(o, "template", r->template_name);
	cli_put_string(o, "fallback", r->fallback);
	json_object_set_new(o, "attempts", json_integer(r->attempts));
	put_time_ms(o, "next_attempt_at", r->next_attempt_at);
	cli_put_string(o, "last_error", r->last_error);
	put_time_ms(o, "created_at", r->created_at);
	put_time_ms(o, "updated_at", r->updated_at);
	cli_print_json(o);
	return 0;
}

/* Every row, or with --dead only the dead ones (each with its last_error). */
static int
list_outbox(struct store *s, const struct cli_args *a, char *err, size_t errlen)
{
	return store_each_outbox_in(
	    s, a->dead ? "dead" : NULL, print_outbox, NULL, err, errlen);
}

int
cmd_outbox(int argc, char **argv)
{
	return run_on_store(
	    argc, argv, "outbox --config FILE [--dead]", 0, list_outbox);
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
	struct audit_entry e = {NULL, NULL, NULL, NULL, NULL};
	char err[512], actor[96], what[128];
	long long now = (long long)time(NULL) * 1000, since = 0;
	long ms;
	struct cli_args a;
	int rc = 1;

	if (cli_parse(argc, argv, &a) == -1 || a.nrest != 0) {
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
	if ((cfg = cli_config(a.config)) == NULL ||
	    (s = cli_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	snprintf(what, sizeof what, "dead %s messages%s%s",
	    a.kind != NULL ? a.kind : "staff",
	    a.since != NULL ? " of the last " : "",
	    a.since != NULL ? a.since : "");
	e.actor = cli_actor(actor, sizeof actor);
	e.action = "resend";
	e.reason = what;
	if (audit_write(s, &e, err, sizeof err) == -1 ||
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
 * hotline user add|passwd|remove|list: the web views' accounts (list is
 * cmd_user_list()).  A password that opens [keys] mayor_key is refused:
 * the login hash must never be a cheaper way to the key's passphrase.
 * Each change is audited first.
 */
int
cmd_user(int argc, char **argv)
{
	static const char usage[] =
	    "usage: hotline user add --config FILE --role mayor|opd [--opd ID] "
	    "--password-file FILE NAME\n"
	    "       hotline user passwd --config FILE --password-file FILE "
	    "NAME\n"
	    "       hotline user remove --config FILE NAME\n"
	    "       hotline user list --config FILE\n";
	struct audit_entry e = {NULL, NULL, NULL, NULL, NULL};
	unsigned char *sk = NULL;
	char *pass = NULL, err[512], actor[96], what[128];
	const char *verb = argc > 1 ? argv[1] : "", *name;
	struct config *cfg = NULL;
	struct store *s = NULL;
	struct cli_args a;
	int rc = 1, r;

	if (strcmp(verb, "list") == 0)
		return cmd_user_list(argc - 1, argv + 1);
	if (cli_parse(argc - 1, argv + 1, &a) == -1 || a.nrest != 1 ||
	    (strcmp(verb, "add") != 0 && strcmp(verb, "passwd") != 0 &&
		strcmp(verb, "remove") != 0) ||
	    (strcmp(verb, "add") == 0 && a.role == NULL) ||
	    (strcmp(verb, "remove") != 0 && a.passfile[0] == NULL)) {
		fputs(usage, stderr);
		return 2;
	}
	name = a.rest[0];
	if ((cfg = cli_config(a.config)) == NULL ||
	    (s = cli_store(cfg, STORE_READWRITE)) == NULL)
		goto done;
	if (strcmp(verb, "remove") != 0) {
		if ((pass = sodium_malloc(CLI_PASSPHRASE_MAX)) == NULL ||
		    cli_passphrase(
			a.passfile[0], 0, pass, CLI_PASSPHRASE_MAX) == -1)
			goto done;
	}
	/* a login hash must never be a cheaper way to the key's passphrase */
	if (pass != NULL && cfg->keys.mayor_key != NULL &&
	    (a.role == NULL || strcmp(a.role, "mayor") == 0) &&
	    (sk = seal_unlock_key(cfg->keys.mayor_key, pass,
		 cfg->keys.mayor_public, err, sizeof err)) != NULL) {
		fprintf(stderr,
		    "hotline: this password opens mayor_key; the login "
		    "password must differ from the key's passphrase\n");
		goto done;
	}
	snprintf(what, sizeof what, "%s%s%s", name,
	    a.role != NULL ? " as " : "", a.role != NULL ? a.role : "");
	e.actor = cli_actor(actor, sizeof actor);
	e.action = strcmp(verb, "add") == 0 ? "user_add"
	    : strcmp(verb, "passwd") == 0   ? "user_passwd"
					    : "user_remove";
	e.reason = what;
	if (audit_write(s, &e, err, sizeof err) == -1) {
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
