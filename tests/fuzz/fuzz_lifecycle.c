/*
 * fuzz_lifecycle: libFuzzer target for heads' commands and the status
 * lifecycle.  The first byte picks the configured prefix, the rest is the
 * text given to lifecycle_parse_command(), which must never crash or read
 * out of bounds, and whose answer must keep its contract: no command has
 * no fields; a code is the canonical PREFIX-XXXXXX and reads back as
 * itself; a note lies inside the text; the error fits the kind.  The text
 * is also given to lifecycle_apply() as a status: refused unless it is
 * one, and never moved to something that is not a status.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/lifecycle.h"
#include "queue/report.h"

#define ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const prefixes[] = {"KDR", "KA", "KEDIR", "AB", NULL};

/* Is code the canonical form of a code with prefix? */
static int
canonical(const char *code, const char *prefix)
{
	size_t plen = strlen(prefix), i;

	if (strlen(code) != plen + 7 || strncmp(code, prefix, plen) != 0 ||
	    code[plen] != '-')
		return 0;
	for (i = plen + 1; i < plen + 7; i++)
		if (strchr(ALPHABET, code[i]) == NULL)
			return 0;
	return 1;
}

/* Is s a lower-case OPD id as TERUSKAN reads one? */
static int
opd_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(((struct head_command *)0)->target))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static void
check_command(const char *text, const char *prefix)
{
	struct head_command cmd, again;
	char echo[64];
	enum head_kind kind = lifecycle_parse_command(text, prefix, &cmd);

	if (kind != cmd.kind)
		abort();
	if (kind == HEAD_NONE) {
		if (cmd.error != HEAD_OK || cmd.code[0] != '\0' ||
		    cmd.note != NULL)
			abort();
		return;
	}
	if (cmd.note != NULL &&
	    (cmd.note < text || cmd.note >= text + strlen(text)))
		abort();
	/* TERUSKAN names an OPD id in lower case; nothing else names one. */
	if (kind == HEAD_TERUSKAN && cmd.error == HEAD_OK
		? !opd_id(cmd.target)
		: cmd.target[0] != '\0')
		abort();
	switch (cmd.error) {
	case HEAD_OK:
	case HEAD_NO_NOTE:
	case HEAD_NO_TARGET:
		if (prefix == NULL || !canonical(cmd.code, prefix))
			abort();
		if (cmd.error == HEAD_NO_NOTE &&
		    (cmd.note != NULL || kind == HEAD_TERIMA ||
			kind == HEAD_TERUSKAN))
			abort();
		if (cmd.error == HEAD_NO_TARGET && kind != HEAD_TERUSKAN)
			abort();
		if (cmd.error == HEAD_OK && kind != HEAD_TERIMA &&
		    kind != HEAD_TERUSKAN && cmd.note == NULL)
			abort();
		/* The canonical code reads back as itself. */
		snprintf(echo, sizeof echo, "terima %s", cmd.code);
		if (lifecycle_parse_command(echo, prefix, &again) !=
			HEAD_TERIMA ||
		    again.error != HEAD_OK || strcmp(again.code, cmd.code) != 0)
			abort();
		break;
	case HEAD_NO_CODE:
	case HEAD_BAD_CODE:
		if (cmd.code[0] != '\0' || cmd.note != NULL)
			abort();
		break;
	default:
		abort();
	}
	if (lifecycle_action_name(cmd.action) == NULL)
		abort();
}

static void
check_apply(const char *status)
{
	const char *to, *why;
	int triage, rc;
	enum report_action a;

	for (a = ACTION_ACKNOWLEDGE; a <= ACTION_TRIAGE; a++) {
		rc = lifecycle_apply(status, a, &to, &triage, &why);
		if (rc == 0 &&
		    (!(report_status_of(status) != -1) ||
			!(report_status_of(to) != -1) || why != NULL ||
			triage != (strcmp(to, "triage") == 0)))
			abort();
		if (rc != 0 &&
		    (rc != -1 || to != NULL || triage != 0 || why == NULL ||
			why[0] == '\0'))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *prefix;
	char *text;

	if (size == 0)
		return 0;
	prefix = prefixes[data[0] % (sizeof prefixes / sizeof prefixes[0])];
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	check_command(text, prefix);
	check_apply(text);
	free(text);
	return 0;
}
