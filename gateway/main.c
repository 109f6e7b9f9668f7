/*
 * main: the hotline binary, one program with subcommands.  It only picks
 * the subcommand; each lives in commands.c or simulate.c.  Before that it
 * hardens the process: no core dumps, not dumpable, and jansson's and
 * libcurl's memory (senders' numbers, names, message ids) wiped when freed.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "gateway/commands.h"
#include "gateway/version.h"
#include "queue/seal.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *usage;
} commands[] = {
    {"serve", cmd_serve, "serve --config FILE"},
    {"check", cmd_check, "check --config FILE"},
    {"keygen", cmd_keygen,
	"keygen --out DIR [--name NAME] [--passphrase-file FILE] | keygen "
	"--recovery --out DIR [--name NAME]"},
    {"reports", cmd_reports, "reports --config FILE"},
    {"unseal", cmd_unseal,
	"unseal --config FILE --key CUSTODIAN.key [--passphrase-file FILE] "
	"[--key SECOND.key ...] [--recovery-words FILE] [--reason TEXT] "
	"[--statement FILE] CODE"},
    {"rekey", cmd_rekey,
	"rekey --config FILE --key CUSTODIAN.key [--passphrase-file FILE] "
	"[--recovery-words FILE] (--add NAME=PUBFILE | --remove NAME)..."},
    {"audit", cmd_audit,
	"audit --config FILE [--verify [--key CUSTODIAN.key]] | --import "
	"STATEMENT"},
    {"retention", cmd_retention, "retention --config FILE [--dry-run]"},
    {"evidence", cmd_evidence,
	"evidence --config FILE [--out DIR [--reason TEXT]] CODE"},
    {"route", cmd_route, "route --config FILE TEXT"},
    {"outbox", cmd_outbox, "outbox --config FILE [--dead]"},
    {"resend", cmd_resend,
	"resend --config FILE [--kind KIND] [--since DURATION]"},
    {"backup", cmd_backup, "backup --config FILE OUTFILE"},
    {"restore", cmd_restore, "restore --config FILE BACKUP"},
    {"doctor", cmd_doctor, "doctor --config FILE"},
    {"user", cmd_user,
	"user add|passwd|remove --config FILE [--role mayor|opd] [--opd ID] "
	"[--password-file FILE] NAME | user list --config FILE"},
    {"simulate", cmd_simulate,
	"simulate --config FILE --channel NAME --from NUMBER TEXT"},
    {"version", cmd_version, "version | --version"},
};

/*
 * jansson's and libcurl's blocks are plain malloc()s (a json_dumps()
 * result is free()d by its caller), wiped whole when the library frees
 * or moves them: they hold senders' numbers, names, message ids and the
 * requests that carry replies.
 */
static void
wiping_free(void *p)
{
	if (p != NULL)
		sodium_memzero(p, malloc_usable_size(p));
	free(p);
}

static void *
wiping_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		wiping_free(p);
		return NULL;
	}
	if ((q = malloc(n)) == NULL)
		return NULL;
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	wiping_free(p);
	return q;
}

static int
usage(void)
{
	size_t i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(stderr, "  hotline %s\n", commands[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	const struct rlimit no_core = {0, 0};
	size_t i;

	/*
	 * A core dump of this process could hold a reporter's number, and so
	 * could another process of the same user reading its memory.
	 */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	json_set_alloc_funcs(malloc, wiping_free);
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wiping_free,
		wiping_realloc, strdup, calloc) != CURLE_OK) {
		fprintf(stderr, "hotline: libcurl failed to initialise\n");
		return 1;
	}
	if (seal_init() == -1) {
		fprintf(stderr, "hotline: libsodium failed to initialise\n");
		return 1;
	}
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hotline: unknown command %s\n", argv[1]);
	return usage();
}
