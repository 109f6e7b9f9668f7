/*
 * Unit tests of queue/lifecycle.c: every status against every action (the
 * new status, or the refusal and its reason), the table in lifecycle.h's
 * opening comment read and checked against lifecycle_apply(), unknown
 * statuses and actions, and heads' commands however they are typed
 * (telling a citizen's "terima kasih" from TERIMA <code>).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/lifecycle.h"
#include "queue/report.h"
#include "tests/unit/testlib.h"

#define CODE "KDR-7K3M9Q"

static const char *const statuses[] = {"received", "routed", "triage",
    "acknowledged", "in_progress", "resolved", "closed", "rejected",
    "verifying"};

static const enum report_action actions[] = {ACTION_ACKNOWLEDGE,
    ACTION_PROGRESS, ACTION_RESOLVE, ACTION_REJECT, ACTION_CLOSE, ACTION_ROUTE,
    ACTION_TRIAGE, ACTION_FORWARD, ACTION_DISMISS};

/* The lifecycle. */

struct apply_case {
	const char *from;
	enum report_action action;
	const char *to;	     /* NULL: refused */
	const char *refusal; /* when refused */
};

#define ACK  ACTION_ACKNOWLEDGE
#define PROG ACTION_PROGRESS
#define RES  ACTION_RESOLVE
#define REJ  ACTION_REJECT
#define CLO  ACTION_CLOSE
#define RTE  ACTION_ROUTE
#define TRI  ACTION_TRIAGE
#define FWD  ACTION_FORWARD
#define DIS  ACTION_DISMISS

#define NOT_ROUTED	 "laporan belum diteruskan ke OPD"
#define ROUTED		 "laporan sudah diteruskan ke OPD"
#define IN_TRIAGE	 "laporan sedang di tim penelaah"
#define NOT_RESOLVED	 "laporan belum selesai"
#define NOT_ACKNOWLEDGED "laporan belum diterima, kirim TERIMA dulu"
#define RESOLVED	 "laporan sudah selesai"
#define CLOSED		 "laporan sudah ditutup"
#define REJECTED	 "laporan sudah dikembalikan ke tim penelaah"
#define VERIFYING	 "laporan sedang diverifikasi"
#define VERIFIED	 "laporan sudah diverifikasi"

/* Every status against every action. */
static const struct apply_case matrix[] = {
    {"received", ACK, NULL, NOT_ROUTED},
    {"received", PROG, NULL, NOT_ROUTED},
    {"received", RES, NULL, NOT_ROUTED},
    {"received", REJ, NULL, NOT_ROUTED},
    {"received", CLO, NULL, NOT_RESOLVED},
    {"received", RTE, "routed", NULL},
    {"received", TRI, "triage", NULL},
    {"received", FWD, NULL, VERIFIED},
    {"received", DIS, NULL, VERIFIED},

    {"routed", ACK, "acknowledged", NULL},
    {"routed", PROG, "in_progress", NULL}, /* acknowledges too */
    {"routed", RES, NULL, NOT_ACKNOWLEDGED},
    {"routed", REJ, "triage", NULL},
    {"routed", CLO, NULL, NOT_RESOLVED},
    {"routed", RTE, NULL, ROUTED},
    {"routed", TRI, NULL, ROUTED},
    {"routed", FWD, NULL, VERIFIED},
    {"routed", DIS, NULL, VERIFIED},

    {"triage", ACK, "acknowledged", NULL},
    {"triage", PROG, "in_progress", NULL},
    {"triage", RES, NULL, NOT_ACKNOWLEDGED},
    {"triage", REJ, NULL, IN_TRIAGE},
    {"triage", CLO, NULL, NOT_RESOLVED},
    {"triage", RTE, "routed", NULL},
    {"triage", TRI, NULL, IN_TRIAGE},
    {"triage", FWD, NULL, VERIFIED},
    {"triage", DIS, NULL, VERIFIED},

    {"acknowledged", ACK, NULL, "laporan sudah diterima"},
    {"acknowledged", PROG, "in_progress", NULL},
    {"acknowledged", RES, "resolved", NULL},
    {"acknowledged", REJ, "triage", NULL},
    {"acknowledged", CLO, NULL, NOT_RESOLVED},
    {"acknowledged", RTE, NULL, ROUTED},
    {"acknowledged", TRI, NULL, ROUTED},
    {"acknowledged", FWD, NULL, VERIFIED},
    {"acknowledged", DIS, NULL, VERIFIED},

    {"in_progress", ACK, NULL, "laporan sudah diproses"},
    {"in_progress", PROG, "in_progress", NULL}, /* one more note */
    {"in_progress", RES, "resolved", NULL},
    {"in_progress", REJ, "triage", NULL},
    {"in_progress", CLO, NULL, NOT_RESOLVED},
    {"in_progress", RTE, NULL, ROUTED},
    {"in_progress", TRI, NULL, ROUTED},
    {"in_progress", FWD, NULL, VERIFIED},
    {"in_progress", DIS, NULL, VERIFIED},

    {"resolved", ACK, NULL, RESOLVED},
    {"resolved", PROG, NULL, RESOLVED},
    {"resolved", RES, NULL, RESOLVED},
    {"resolved", REJ, NULL, RESOLVED},
    {"resolved", CLO, "closed", NULL},
    {"resolved", RTE, NULL, RESOLVED},
    {"resolved", TRI, NULL, RESOLVED},
    {"resolved", FWD, NULL, RESOLVED},
    {"resolved", DIS, NULL, RESOLVED},

    {"closed", ACK, NULL, CLOSED},
    {"closed", PROG, NULL, CLOSED},
    {"closed", RES, NULL, CLOSED},
    {"closed", REJ, NULL, CLOSED},
    {"closed", CLO, NULL, CLOSED},
    {"closed", RTE, NULL, CLOSED},
    {"closed", TRI, NULL, CLOSED},
    {"closed", FWD, NULL, CLOSED},
    {"closed", DIS, NULL, CLOSED},

    {"rejected", ACK, NULL, REJECTED},
    {"rejected", PROG, NULL, REJECTED},
    {"rejected", RES, NULL, REJECTED},
    {"rejected", REJ, NULL, REJECTED},
    {"rejected", CLO, NULL, NOT_RESOLVED},
    {"rejected", RTE, "routed", NULL},
    {"rejected", TRI, NULL, IN_TRIAGE},
    {"rejected", FWD, NULL, VERIFIED},
    {"rejected", DIS, NULL, VERIFIED},

    {"verifying", ACK, NULL, VERIFYING},
    {"verifying", PROG, NULL, VERIFYING},
    {"verifying", RES, NULL, VERIFYING},
    {"verifying", REJ, NULL, VERIFYING},
    {"verifying", CLO, NULL, VERIFYING},
    {"verifying", RTE, NULL, VERIFYING},
    {"verifying", TRI, NULL, VERIFYING},
    {"verifying", FWD, "routed", NULL},
    {"verifying", DIS, "closed", NULL},
};

static void
assert_apply(const struct apply_case *c)
{
	const char *to = "unset", *why = "unset";
	int triage = -1, rc;

	rc = lifecycle_apply(c->from, c->action, &to, &triage, &why);
	if (c->to != NULL) {
		if (rc != 0 || to == NULL || strcmp(to, c->to) != 0 ||
		    why != NULL)
			fail_msg("%s %s: %d %s (%s), want %s", c->from,
			    lifecycle_action_name(c->action), rc, to ? to : "-",
			    why ? why : "-", c->to);
		assert_int_equal(triage, strcmp(c->to, "triage") == 0);
		assert_true((report_status_of(to) != -1));
	} else {
		if (rc != -1 || to != NULL || why == NULL ||
		    strcmp(why, c->refusal) != 0)
			fail_msg("%s %s: %d %s (%s), want refused (%s)",
			    c->from, lifecycle_action_name(c->action), rc,
			    to ? to : "-", why ? why : "-", c->refusal);
		assert_int_equal(triage, 0);
	}
	/* The outputs are optional. */
	assert_int_equal(lifecycle_apply(c->from, c->action, NULL, NULL, NULL),
	    c->to != NULL ? 0 : -1);
}

static void
test_matrix(void **state)
{
	size_t i, j, k, found;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(matrix); i++)
		assert_apply(&matrix[i]);
	/* The matrix is complete: each pair once. */
	assert_int_equal(TESTLIB_COUNT(matrix),
	    TESTLIB_COUNT(statuses) * TESTLIB_COUNT(actions));
	for (i = 0; i < TESTLIB_COUNT(statuses); i++)
		for (j = 0; j < TESTLIB_COUNT(actions); j++) {
			for (found = 0, k = 0; k < TESTLIB_COUNT(matrix); k++)
				found +=
				    strcmp(matrix[k].from, statuses[i]) == 0 &&
				    matrix[k].action == actions[j];
			if (found != 1)
				fail_msg("%s %s: %zu rows", statuses[i],
				    lifecycle_action_name(actions[j]), found);
		}
}

static void
test_head_commands_never_reopen(void **state)
{
	static const enum report_action head[] = {ACK, PROG, RES, REJ};
	size_t i;

	(void)state;
	/* Resolved and closed reports take no head command, with a reason. */
	for (i = 0; i < TESTLIB_COUNT(head); i++) {
		const char *why = NULL;

		assert_int_equal(
		    lifecycle_apply("resolved", head[i], NULL, NULL, &why), -1);
		assert_string_equal(why, "laporan sudah selesai");
		assert_int_equal(
		    lifecycle_apply("closed", head[i], NULL, NULL, &why), -1);
		assert_string_equal(why, "laporan sudah ditutup");
	}
}

/* Every refusal is a few plain words a reply can carry. */
static void
test_refusals_short(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(statuses); i++)
		for (j = 0; j < TESTLIB_COUNT(actions); j++) {
			const char *why = NULL;

			if (lifecycle_apply(
				statuses[i], actions[j], NULL, NULL, &why) == 0)
				continue;
			assert_non_null(why);
			assert_in_range(strlen(why), 10, 60);
			assert_null(strpbrk(why, "{}%\n"));
		}
}

static void
test_unknown(void **state)
{
	static const char *const bad[] = {
	    "", "ROUTED", "Routed", "routed ", "in progress", "open", "triase"};
	const char *to = "unset", *why = NULL;
	int triage = -1;
	size_t i, j;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		assert_false((report_status_of(bad[i]) != -1));
		for (j = 0; j < TESTLIB_COUNT(actions); j++) {
			assert_int_equal(lifecycle_apply(bad[i], actions[j],
					     &to, &triage, &why),
			    -1);
			assert_null(to);
			assert_int_equal(triage, 0);
			assert_string_equal(
			    why, "status laporan tidak dikenal");
		}
	}
	assert_false((report_status_of(NULL) != -1));
	assert_int_equal(lifecycle_apply(NULL, ACK, &to, &triage, &why), -1);
	assert_string_equal(why, "status laporan tidak dikenal");
	assert_int_equal(lifecycle_apply("routed", (enum report_action)9, &to,
			     &triage, &why),
	    -1);
	assert_null(to);
	assert_string_equal(why, "perintah tidak dikenal");
	assert_int_equal(lifecycle_apply("routed", (enum report_action) - 1,
			     &to, &triage, &why),
	    -1);
	assert_null(lifecycle_action_name((enum report_action)9));
	assert_null(lifecycle_action_name((enum report_action) - 1));
}

static void
test_names(void **state)
{
	static const char *const names[] = {"acknowledge", "progress",
	    "resolve", "reject", "close", "route", "triage", "forward",
	    "dismiss"};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(statuses); i++)
		assert_true((report_status_of(statuses[i]) != -1));
	for (i = 0; i < TESTLIB_COUNT(actions); i++)
		assert_string_equal(
		    lifecycle_action_name(actions[i]), names[i]);
}

/* The table in lifecycle.h's opening comment. */

/* Does the '|'-separated list froms hold status? */
static int
in_list(const char *froms, const char *status)
{
	size_t n = strlen(status);
	const char *p = froms;

	for (;;) {
		if (strncmp(p, status, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, '|')) == NULL)
			return 0;
		p++;
	}
}

/* The index of the action called name in actions[]. */
static size_t
action_named(const char *name)
{
	size_t j;

	for (j = 0; j < TESTLIB_COUNT(actions); j++)
		if (strcmp(lifecycle_action_name(actions[j]), name) == 0)
			return j;
	fail_msg("lifecycle.h: no action '%s'", name);
	return 0;
}

static void
test_matrix_documented(void **state)
{
	char *h = testlib_read_file("queue/lifecycle.h", NULL), *line, *save;
	char cmd[16], name[16], froms[128], to[32], line_cmd[64];
	int reading = 0, rows = 0;
	size_t i, j;

	(void)state;
	for (line = strtok_r(h, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, " *   command action", 19) == 0) {
			reading = 1;
			continue;
		}
		if (!reading)
			continue;
		if (sscanf(line, " * %15s %15s %127s %31s", cmd, name, froms,
			to) != 4)
			break;
		j = action_named(name);
		/* The command word takes that action. */
		if (strcmp(cmd, "-") != 0) {
			struct head_command hc;

			snprintf(
			    line_cmd, sizeof line_cmd, "%s " CODE " x", cmd);
			assert_int_not_equal(
			    lifecycle_parse_command(line_cmd, "KDR", &hc),
			    HEAD_NONE);
			assert_int_equal(hc.action, actions[j]);
		}
		rows |= 1 << j;
		for (i = 0; i < TESTLIB_COUNT(statuses); i++) {
			const char *got = NULL;
			int rc = lifecycle_apply(
			    statuses[i], actions[j], &got, NULL, NULL);

			if (in_list(froms, statuses[i]) &&
			    (rc != 0 || strcmp(got, to) != 0))
				fail_msg("lifecycle.h says %s %s -> %s",
				    statuses[i], name, to);
			if (!in_list(froms, statuses[i]) && rc != -1)
				fail_msg("lifecycle.h refuses %s %s, not "
					 "lifecycle_apply",
				    statuses[i], name);
		}
	}
	/* Every action has its row. */
	assert_int_equal(rows, (1 << TESTLIB_COUNT(actions)) - 1);
	free(h);
}

/* Heads' commands. */

struct parse_case {
	const char *text;
	enum head_kind kind;
	enum head_error error;
	const char *code; /* NULL: "" */
	const char *note; /* NULL: no note */
};

static void
assert_parse_with(const char *prefix, const struct parse_case *c)
{
	struct head_command cmd;
	enum head_kind kind = lifecycle_parse_command(c->text, prefix, &cmd);

	if (kind != c->kind || cmd.kind != c->kind || cmd.error != c->error)
		fail_msg("'%s': kind %d error %d, want %d %d", c->text,
		    (int)kind, (int)cmd.error, (int)c->kind, (int)c->error);
	assert_string_equal(cmd.code, c->code != NULL ? c->code : "");
	if (c->note == NULL && cmd.note != NULL)
		fail_msg("'%s': note '%s', want none", c->text, cmd.note);
	if (c->note != NULL) {
		if (cmd.note == NULL)
			fail_msg("'%s': no note, want '%s'", c->text, c->note);
		assert_string_equal(cmd.note, c->note);
		/* The note lies inside the text. */
		assert_true(cmd.note >= c->text &&
		    cmd.note < c->text + strlen(c->text));
	}
	if (kind != HEAD_NONE)
		assert_int_equal(cmd.action,
		    kind == HEAD_TERIMA	       ? ACTION_ACKNOWLEDGE
			: kind == HEAD_PROSES  ? ACTION_PROGRESS
			: kind == HEAD_SELESAI ? ACTION_RESOLVE
			: kind == HEAD_TOLAK   ? ACTION_REJECT
					       : ACTION_ROUTE);
}

static void
assert_parse_all(const struct parse_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_parse_with("KDR", &cases[i]);
}

static void
test_parse_valid(void **state)
{
	static const struct parse_case cases[] = {
	    {"TERIMA " CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"PROSES " CODE " petugas sudah dipanggil", HEAD_PROSES, HEAD_OK,
		CODE, "petugas sudah dipanggil"},
	    {"SELESAI " CODE " uang dikembalikan, petugas disanksi",
		HEAD_SELESAI, HEAD_OK, CODE,
		"uang dikembalikan, petugas disanksi"},
	    {"TOLAK " CODE " bukan wewenang Dishub", HEAD_TOLAK, HEAD_OK, CODE,
		"bukan wewenang Dishub"},
	    /* TERIMA may carry a note. */
	    {"TERIMA " CODE " segera kami tindak lanjuti", HEAD_TERIMA, HEAD_OK,
		CODE, "segera kami tindak lanjuti"},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_typed(void **state)
{
	static const struct parse_case cases[] = {
	    /* any case, the code too */
	    {"terima " CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"Terima kdr-7k3m9q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"tErImA Kdr-7K3m9q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    /* the code without its dash, or with another separator */
	    {"terima kdr7k3m9q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR 7K3M9Q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR - 7K3M9Q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR.7K3M9Q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR_7K3M9Q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR/7K3M9Q", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA KDR\xe2\x80\x93"
	     "7K3M9Q",
		HEAD_TERIMA, HEAD_OK, CODE, NULL}, /* an en dash */
	    {"TERIMA KDR\xe2\x80\x94"
	     "7K3M9Q",
		HEAD_TERIMA, HEAD_OK, CODE, NULL}, /* an em dash */
	    /* spacing and separators between the word and the code */
	    {"  TERIMA   " CODE "  ", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA:" CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA: " CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"Terima, " CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"terima #" CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"terima\t" CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA\xc2\xa0" CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"*TERIMA* " CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    /* punctuation after the code */
	    {"TERIMA " CODE ".", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"TERIMA " CODE "!", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"terima " CODE ", siap", HEAD_TERIMA, HEAD_OK, CODE, "siap"},
	    {"proses " CODE ": sudah dipanggil", HEAD_PROSES, HEAD_OK, CODE,
		"sudah dipanggil"},
	    {"proses " CODE " - sudah dipanggil.", HEAD_PROSES, HEAD_OK, CODE,
		"sudah dipanggil."},
	    {"Selesai kdr 7k3m9q; pungutan dihentikan", HEAD_SELESAI, HEAD_OK,
		CODE, "pungutan dihentikan"},
	    /* newlines */
	    {"TERIMA\n" CODE, HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"\r\nTERIMA\r\n" CODE "\r\n", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	    {"PROSES " CODE "\nsudah dipanggil\nbesok diperiksa", HEAD_PROSES,
		HEAD_OK, CODE, "sudah dipanggil\nbesok diperiksa"},
	    {"TOLAK\n" CODE "\n\nbukan OPD kami", HEAD_TOLAK, HEAD_OK, CODE,
		"bukan OPD kami"},
	    /* a note that starts with a digit or a code-like word */
	    {"proses " CODE " 2 petugas diperiksa", HEAD_PROSES, HEAD_OK, CODE,
		"2 petugas diperiksa"},
	    {"tolak " CODE " ini urusan KDR-222222", HEAD_TOLAK, HEAD_OK, CODE,
		"ini urusan KDR-222222"},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_no_note(void **state)
{
	static const struct parse_case cases[] = {
	    {"PROSES " CODE, HEAD_PROSES, HEAD_NO_NOTE, CODE, NULL},
	    {"selesai " CODE "  ", HEAD_SELESAI, HEAD_NO_NOTE, CODE, NULL},
	    {"TOLAK " CODE "\n", HEAD_TOLAK, HEAD_NO_NOTE, CODE, NULL},
	    {"TOLAK " CODE ":", HEAD_TOLAK, HEAD_NO_NOTE, CODE, NULL},
	    {"SELESAI " CODE " ...", HEAD_SELESAI, HEAD_NO_NOTE, CODE, NULL},
	    {"SELESAI " CODE " 👍", HEAD_SELESAI, HEAD_NO_NOTE, CODE, NULL},
	    {"tolak kdr7k3m9q ?!", HEAD_TOLAK, HEAD_NO_NOTE, CODE, NULL},
	    /* TERIMA needs none */
	    {"TERIMA " CODE " 🙏", HEAD_TERIMA, HEAD_OK, CODE, NULL},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_no_code(void **state)
{
	static const struct parse_case cases[] = {
	    {"proses", HEAD_PROSES, HEAD_NO_CODE, NULL, NULL},
	    {"TERIMA", HEAD_TERIMA, HEAD_NO_CODE, NULL, NULL},
	    {"  Selesai.  ", HEAD_SELESAI, HEAD_NO_CODE, NULL, NULL},
	    {"tolak?", HEAD_TOLAK, HEAD_NO_CODE, NULL, NULL},
	    {"Proses!\n", HEAD_PROSES, HEAD_NO_CODE, NULL, NULL},
	    {"terima:", HEAD_TERIMA, HEAD_NO_CODE, NULL, NULL},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_bad_code(void **state)
{
	static const struct parse_case cases[] = {
	    {"TERIMA KDR-7K3M9", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA KDR-7K3M9QX", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA KDR 7K3M9", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA KDR", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA kdr-", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    /* 0, 1, I, L and O are not in the alphabet */
	    {"TERIMA KDR-7K3M0Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"PROSES KDR-7K3MOQ sudah", HEAD_PROSES, HEAD_BAD_CODE, NULL, NULL},
	    {"SELESAI KDR-1K3M9Q beres", HEAD_SELESAI, HEAD_BAD_CODE, NULL,
		NULL},
	    {"TOLAK kdr-7k3mlq salah", HEAD_TOLAK, HEAD_BAD_CODE, NULL, NULL},
	    /* another prefix, or none */
	    {"TERIMA KDX-7K3M9Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA SBY-7K3M9Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA 7K3M9Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"terima 1234-5678-9012-3456", HEAD_TERIMA, HEAD_BAD_CODE, NULL,
		NULL},
	    /* glued on */
	    {"TERIMA KDR-7K3M9Qok", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"TERIMA KDRR-7K3M9Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_teruskan(void **state)
{
	static const struct {
		struct parse_case c;
		const char *target; /* "" when none */
	} cases[] = {
	    {{"TERUSKAN " CODE " dishub", HEAD_TERUSKAN, HEAD_OK, CODE, NULL},
		"dishub"},
	    {{"teruskan kdr 7k3m9q Satpol_PP parkir liar", HEAD_TERUSKAN,
		 HEAD_OK, CODE, "parkir liar"},
		"satpol_pp"},
	    {{"Teruskan " CODE " ke dinas-pupr: jalan rusak", HEAD_TERUSKAN,
		 HEAD_OK, CODE, "jalan rusak"},
		"dinas-pupr"},
	    {{"TERUSKAN " CODE " kepada DISHUB", HEAD_TERUSKAN, HEAD_OK, CODE,
		 NULL},
		"dishub"},
	    {{"TERUSKAN\n" CODE "\ndishub\n", HEAD_TERUSKAN, HEAD_OK, CODE,
		 NULL},
		"dishub"},
	    /* no OPD: the head is asked for one */
	    {{"TERUSKAN " CODE, HEAD_TERUSKAN, HEAD_NO_TARGET, CODE, NULL}, ""},
	    {{"TERUSKAN " CODE " ke", HEAD_TERUSKAN, HEAD_NO_TARGET, CODE,
		 NULL},
		""},
	    {{"TERUSKAN " CODE " \xf0\x9f\x99\x8f", HEAD_TERUSKAN,
		 HEAD_NO_TARGET, CODE, NULL},
		""},
	    /* a word too long for any OPD id is none */
	    {{"TERUSKAN " CODE " a123456789b123456789c123456789d123456789"
	      "e123456789f123456789g123456789",
		 HEAD_TERUSKAN, HEAD_NO_TARGET, CODE, NULL},
		""},
	    {{"teruskan", HEAD_TERUSKAN, HEAD_NO_CODE, NULL, NULL}, ""},
	    {{"Teruskan!", HEAD_TERUSKAN, HEAD_NO_CODE, NULL, NULL}, ""},
	    {{"TERUSKAN 7K3M9Q dishub", HEAD_TERUSKAN, HEAD_BAD_CODE, NULL,
		 NULL},
		""},
	    /* a citizen's words */
	    {{"teruskan laporan saya ke pak wali", HEAD_NONE, HEAD_OK, NULL,
		 NULL},
		""},
	};
	struct head_command cmd;
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		assert_parse_with("KDR", &cases[i].c);
		lifecycle_parse_command(cases[i].c.text, "KDR", &cmd);
		if (strcmp(cmd.target, cases[i].target) != 0)
			fail_msg("'%s': target '%s', want '%s'",
			    cases[i].c.text, cmd.target, cases[i].target);
	}
}

static void
test_parse_not_a_command(void **state)
{
	static const struct parse_case cases[] = {
	    {"terima kasih", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"Terima kasih banyak pak", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"terima kasih " CODE " sudah kami terima", HEAD_NONE, HEAD_OK,
		NULL, NULL},
	    {"Terimakasih", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"TERIMA 🙏", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"Proses nya lama sekali pak", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"proses pembuatan KTP dipungut 50rb", HEAD_NONE, HEAD_OK, NULL,
		NULL},
	    {"Selesai jam 3 sore", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"tolak pungli!", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"Tolong " CODE, HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"terimaKDR-7K3M9Q", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"prosesnya " CODE " gimana", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"saya terima " CODE, HEAD_NONE, HEAD_OK, NULL, NULL},
	    {CODE, HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"cek 1234-5678-9012-3456", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"   \n", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"🙏", HEAD_NONE, HEAD_OK, NULL, NULL},
	};

	(void)state;
	assert_parse_all(cases, TESTLIB_COUNT(cases));
}

static void
test_parse_prefixes(void **state)
{
	static const struct parse_case kediri[] = {
	    {"SELESAI kedir-abcdef ok", HEAD_SELESAI, HEAD_OK, "KEDIR-ABCDEF",
		"ok"},
	    {"terima Kedir 7K3M9Q", HEAD_TERIMA, HEAD_OK, "KEDIR-7K3M9Q", NULL},
	    /* KEDIR + I7K3M9Q: too long, and I is not in the alphabet */
	    {"terima kediri7k3m9q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"terima KDR-7K3M9Q", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	};
	static const struct parse_case ka[] = {
	    /* a two-letter prefix that starts "kasih" */
	    {"terima kasih", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"terima ka 7k3m9q", HEAD_TERIMA, HEAD_OK, "KA-7K3M9Q", NULL},
	    {"TERIMA KA-7K3M9", HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	};
	static const struct parse_case none[] = {
	    {"terima " CODE, HEAD_TERIMA, HEAD_BAD_CODE, NULL, NULL},
	    {"terima kasih", HEAD_NONE, HEAD_OK, NULL, NULL},
	    {"proses", HEAD_PROSES, HEAD_NO_CODE, NULL, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(kediri); i++)
		assert_parse_with("KEDIR", &kediri[i]);
	for (i = 0; i < TESTLIB_COUNT(ka); i++)
		assert_parse_with("KA", &ka[i]);
	for (i = 0; i < TESTLIB_COUNT(none); i++) {
		assert_parse_with(NULL, &none[i]);
		assert_parse_with("", &none[i]);
		assert_parse_with("TOOLONGPREFIX", &none[i]);
	}
}

static void
test_parse_long_note(void **state)
{
	char *text = testlib_repeat("PROSES " CODE " ", "a", 4000, "");
	struct head_command cmd;

	(void)state;
	assert_int_equal(
	    lifecycle_parse_command(text, "KDR", &cmd), HEAD_PROSES);
	assert_int_equal(cmd.error, HEAD_OK);
	assert_string_equal(cmd.code, CODE);
	assert_ptr_equal(cmd.note, text + strlen("PROSES " CODE " "));
	assert_int_equal(strlen(cmd.note), 4000);
	free(text);
	/* A long word after the command word is no code. */
	text = testlib_repeat("TERIMA ", "x", 4000, "");
	assert_int_equal(lifecycle_parse_command(text, "KDR", &cmd), HEAD_NONE);
	free(text);
	text = testlib_repeat("TERIMA ", "x7", 2000, "");
	assert_int_equal(
	    lifecycle_parse_command(text, "KDR", &cmd), HEAD_TERIMA);
	assert_int_equal(cmd.error, HEAD_BAD_CODE);
	free(text);
}

/* A command read, then applied: what the caller does. */
static void
test_parse_then_apply(void **state)
{
	struct head_command cmd;
	const char *to, *why;
	int triage;

	(void)state;
	lifecycle_parse_command("tolak kdr7k3m9q bukan kami", "KDR", &cmd);
	assert_int_equal(cmd.action, ACTION_REJECT);
	assert_int_equal(
	    lifecycle_apply("acknowledged", cmd.action, &to, &triage, &why), 0);
	assert_string_equal(to, "triage");
	assert_int_equal(triage, 1);
	lifecycle_parse_command("SELESAI KDR-7K3M9Q sudah", "KDR", &cmd);
	assert_int_equal(
	    lifecycle_apply("closed", cmd.action, &to, &triage, &why), -1);
	assert_string_equal(why, "laporan sudah ditutup");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix),
	    cmocka_unit_test(test_head_commands_never_reopen),
	    cmocka_unit_test(test_refusals_short),
	    cmocka_unit_test(test_unknown),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_matrix_documented),
	    cmocka_unit_test(test_parse_valid),
	    cmocka_unit_test(test_parse_teruskan),
	    cmocka_unit_test(test_parse_typed),
	    cmocka_unit_test(test_parse_no_note),
	    cmocka_unit_test(test_parse_no_code),
	    cmocka_unit_test(test_parse_bad_code),
	    cmocka_unit_test(test_parse_not_a_command),
	    cmocka_unit_test(test_parse_prefixes),
	    cmocka_unit_test(test_parse_long_note),
	    cmocka_unit_test(test_parse_then_apply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
