/*
 * heads: a head's message, decided and written in one transaction of the
 * writer, so that the status read and the status changed cannot drift
 * apart.  The reply names the code as the head typed it only once it is
 * read as one of ours; the note is stored as written.
 */
#include <stdio.h>
#include <string.h>

#include "queue/audit.h"
#include "queue/alerts.h"
#include "queue/conversation.h"
#include "queue/heads.h"
#include "queue/lifecycle.h"
#include "queue/templates.h"
#include "queue/watch.h"
#include "queue/report.h"

#define NOTE_MAX    1000 /* bytes of a head's note kept */
#define SUMMARY_MAX 2000 /* bytes of a verifier's summary kept */

/* The example a reply shows, for the command the head tried. */
static void
example_of(const struct config *cfg, enum head_kind kind, char *buf, size_t len)
{
	static const char *const forms[] = {
	    [HEAD_NONE] = "TERIMA %s-7K3M9Q",
	    [HEAD_TERIMA] = "TERIMA %s-7K3M9Q",
	    [HEAD_PROSES] = "PROSES %s-7K3M9Q petugas sudah dipanggil",
	    [HEAD_SELESAI] = "SELESAI %s-7K3M9Q uang dikembalikan, petugas "
			     "diberi sanksi",
	    [HEAD_TOLAK] = "TOLAK %s-7K3M9Q bukan kewenangan kami, milik "
			   "Dinas Perhubungan",
	    [HEAD_TERUSKAN] = "TERUSKAN %s-7K3M9Q dishub parkir liar di pasar",
	};

	snprintf(buf, len, forms[kind], cfg->server.report_prefix);
}

/* What a reply may name; NULL is shown as "". */
struct words {
	const char *code, *due, *status, *reason, *example, *opd, *opds;
};

/* Render a reply; NULL (err set) when out of memory. */
static char *
render(const struct config *cfg, enum template_id id, const struct words *w,
    char *err, size_t errlen)
{
#define OR_EMPTY(v) ((v) != NULL ? (v) : "")
	char *text;
	const struct template_var vars[] = {
	    {"code", OR_EMPTY(w->code)},
	    {"due", OR_EMPTY(w->due)},
	    {"status", OR_EMPTY(w->status)},
	    {"reason", OR_EMPTY(w->reason)},
	    {"example", OR_EMPTY(w->example)},
	    {"opd", OR_EMPTY(w->opd)},
	    {"opds", OR_EMPTY(w->opds)},
	    {"city", cfg->server.city},
	};
#undef OR_EMPTY

	text = templates_render(cfg, id, vars, sizeof vars / sizeof vars[0]);
	if (text == NULL)
		snprintf(err, errlen, "out of memory");
	return text;
}

/* The refusal of action on a report in status. */
static char *
refused(const struct config *cfg, const char *code, const char *status,
    const char *reason, const char *example, char *err, size_t errlen)
{
	return render(cfg, TEMPLATE_HEAD_REFUSED,
	    &(struct words){.code = code,
		.status = report_status_words(status),
		.reason = reason,
		.example = example},
	    err, errlen);
}

/* The note as stored: at most NOTE_MAX bytes, cut at a character. */
static void
note_of(const char *note, char *out, size_t len)
{
	size_t n = note != NULL ? strlen(note) : 0;

	if (n >= len)
		n = len - 1;
	while (n > 0 && (note[n] & 0xc0) == 0x80)
		n--;
	while (n > 0 && strchr(" \t\r\n", note[n - 1]) != NULL)
		n--;
	if (n > 0)
		memcpy(out, note, n);
	out[n] = '\0';
}

static const enum template_id done[] = {
    [ACTION_ACKNOWLEDGE] = TEMPLATE_HEAD_ACKNOWLEDGED,
    [ACTION_PROGRESS] = TEMPLATE_HEAD_PROGRESS,
    [ACTION_RESOLVE] = TEMPLATE_HEAD_RESOLVED,
    [ACTION_REJECT] = TEMPLATE_HEAD_REJECTED,
};

/* Carry out action on report c for actor; the reply to show. */
static char *
act(struct store *s, const struct config *cfg, const struct store_case *c,
    const char *actor, enum report_action action, const char *note_text,
    time_t now, const char *example, int *changed, char *err, size_t errlen)
{
	struct store_transition t;
	const char *to, *refusal;
	char due[64], note[NOTE_MAX + 1];
	int to_triage, rc;

	if (lifecycle_apply(c->status, action, &to, &to_triage, &refusal) == -1)
		return refused(
		    cfg, c->code, c->status, refusal, example, err, errlen);
	note_of(note_text, note, sizeof note);
	memset(&t, 0, sizeof t);
	t.id = c->id;
	t.from = c->status;
	t.to = to;
	t.opd = to_triage ? cfg->routing.triage : NULL;
	t.action = lifecycle_action_name(action);
	t.actor = actor;
	t.note = note[0] != '\0' ? note : NULL;
	t.acknowledged =
	    action == ACTION_ACKNOWLEDGE || action == ACTION_PROGRESS;
	t.resolved = action == ACTION_RESOLVE;
	t.at = now;
	if ((rc = store_transition(s, &t, err, errlen)) == -1)
		return NULL;
	if (rc == 1) /* cannot happen inside the writer's transaction */
		return refused(cfg, c->code, c->status, "status berubah",
		    example, err, errlen);
	if (changed != NULL)
		*changed = 1;
	snprintf(due, sizeof due, "-");
	if (c->resolve_due != 0)
		alerts_format_time(
		    c->resolve_due, cfg->sla.utc_offset, due, sizeof due);
	return render(cfg, done[action],
	    &(struct words){.code = c->code,
		.due = due,
		.status = report_status_words(to),
		.example = example},
	    err, errlen);
}

/*
 * Find report code among opd's reports (any OPD's when opd is NULL): 0
 * when found, 1 with the answer to an unknown code in *reply, -1 with err
 * set.
 */
static int
own_case(struct store *s, const struct config *cfg, const char *opd,
    const char *code, const char *example, struct store_case *c, char **reply,
    char *err, size_t errlen)
{
	int rc;

	if ((rc = store_find_case(s, code, c, err, errlen)) == -1)
		return -1;
	if (rc == 0 && (opd == NULL || strcmp(c->opd, opd) == 0))
		return 0;
	*reply = render(cfg, TEMPLATE_HEAD_UNKNOWN,
	    &(struct words){.code = code, .example = example}, err, errlen);
	return *reply != NULL ? 1 : -1;
}

/* The ids of the OPDs other than opd, comma separated (free it). */
static char *
other_opds(const struct config *cfg, const char *opd)
{
	size_t i, len = 1, n = 0;
	char *list;

	for (i = 0; i < cfg->nopds; i++)
		len += strlen(cfg->opds[i].id) + 2;
	if ((list = malloc(len)) == NULL)
		return NULL;
	list[0] = '\0';
	for (i = 0; i < cfg->nopds; i++)
		if (strcmp(cfg->opds[i].id, opd) != 0)
			n += (size_t)snprintf(list + n, len - n, "%s%s",
			    n > 0 ? ", " : "", cfg->opds[i].id);
	return list;
}

/* Ask for an OPD to forward to: the ids to choose from. */
static char *
ask_target(const struct config *cfg, const char *opd, const char *example,
    char *err, size_t errlen)
{
	char *opds, *reply;

	if ((opds = other_opds(cfg, opd)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	reply = render(cfg, TEMPLATE_HEAD_TARGET,
	    &(struct words){.example = example, .opds = opds}, err, errlen);
	free(opds);
	return reply;
}

/* heads_route(), with the example its replies show. */
static char *
route(struct store *s, const struct config *cfg, const char *opd,
    const char *actor, const char *code, const char *target,
    const char *note_text, time_t now, const char *example, int *changed,
    char *err, size_t errlen)
{
	const struct opd *to_opd = config_opd(cfg, target);
	struct store_transition t;
	struct store_case c;
	const char *to, *refusal;
	char note[NOTE_MAX + 1], *reply;
	int rc;

	*changed = 0;
	if ((rc = own_case(
		 s, cfg, opd, code, example, &c, &reply, err, errlen)) != 0)
		return rc == 1 ? reply : NULL;
	if (lifecycle_apply(c.status, ACTION_ROUTE, &to, NULL, &refusal) == -1)
		return refused(
		    cfg, code, c.status, refusal, example, err, errlen);
	if (to_opd == NULL || strcmp(to_opd->id, opd) == 0)
		return ask_target(cfg, opd, example, err, errlen);
	note_of(note_text, note, sizeof note);
	memset(&t, 0, sizeof t);
	t.id = c.id;
	t.from = c.status;
	t.to = to;
	t.opd = to_opd->id;
	t.action = lifecycle_action_name(ACTION_ROUTE);
	t.actor = actor;
	t.note = note[0] != '\0' ? note : to_opd->id;
	t.at = now;
	if ((rc = store_transition(s, &t, err, errlen)) == -1)
		return NULL;
	*changed = rc == 0;
	return render(cfg, TEMPLATE_HEAD_FORWARDED,
	    &(struct words){.code = code, .opd = to_opd->name}, err, errlen);
}

char *
heads_handle(struct store *s, const struct config *cfg, const char *channel,
    const char *number, const char *text, time_t now, char *err, size_t errlen)
{
	struct head_command cmd;
	struct store_case c;
	const struct opd *owner;
	char example[128], actor[96];
	int rc, changed;

	lifecycle_parse_command(text, cfg->server.report_prefix, &cmd);
	example_of(cfg, cmd.kind, example, sizeof example);
	if (cmd.kind == HEAD_NONE || cmd.error == HEAD_NO_CODE ||
	    cmd.error == HEAD_BAD_CODE)
		return render(cfg, TEMPLATE_HEAD_USAGE,
		    &(struct words){.example = example}, err, errlen);
	if ((rc = store_find_case(s, cmd.code, &c, err, errlen)) == -1)
		return NULL;
	owner = rc == 0 ? config_opd(cfg, c.opd) : NULL;
	if (!alerts_is_head_of(owner, channel, number))
		return render(cfg, TEMPLATE_HEAD_UNKNOWN,
		    &(struct words){.code = cmd.code, .example = example}, err,
		    errlen);
	if (cmd.error == HEAD_NO_NOTE)
		return render(cfg, TEMPLATE_HEAD_NEEDS_NOTE,
		    &(struct words){.code = cmd.code, .example = example}, err,
		    errlen);
	snprintf(actor, sizeof actor, "%s:%s",
	    owner->head != NULL && strcmp(owner->head, number) == 0 ? "head"
								    : "deputy",
	    owner->id);
	if (cmd.kind == HEAD_TERUSKAN)
		return route(s, cfg, owner->id, actor, cmd.code, cmd.target,
		    cmd.note, now, example, &changed, err, errlen);
	return act(s, cfg, &c, actor, cmd.action, cmd.note, now, example, NULL,
	    err, errlen);
}

char *
heads_act(struct store *s, const struct config *cfg, const char *opd,
    const char *actor, enum report_action action, const char *code,
    const char *note, time_t now, int *changed, char *err, size_t errlen)
{
	static const enum head_kind kinds[] = {
	    [ACTION_ACKNOWLEDGE] = HEAD_TERIMA,
	    [ACTION_PROGRESS] = HEAD_PROSES,
	    [ACTION_RESOLVE] = HEAD_SELESAI,
	    [ACTION_REJECT] = HEAD_TOLAK,
	};
	struct store_case c;
	char example[128], *reply;
	int rc;

	*changed = 0;
	if (action > ACTION_REJECT) {
		snprintf(err, errlen, "not an action of a head");
		return NULL;
	}
	example_of(cfg, kinds[action], example, sizeof example);
	if ((rc = own_case(
		 s, cfg, opd, code, example, &c, &reply, err, errlen)) != 0)
		return rc == 1 ? reply : NULL;
	if (action != ACTION_ACKNOWLEDGE &&
	    (note == NULL || conversation_is_empty(note)))
		return render(cfg, TEMPLATE_HEAD_NEEDS_NOTE,
		    &(struct words){.code = code, .example = example}, err,
		    errlen);
	return act(s, cfg, &c, actor, action, note, now, example, changed, err,
	    errlen);
}

char *
heads_route(struct store *s, const struct config *cfg, const char *opd,
    const char *actor, const char *code, const char *target,
    const char *note_text, time_t now, int *changed, char *err, size_t errlen)
{
	char example[128];

	example_of(cfg, HEAD_TERUSKAN, example, sizeof example);
	return route(s, cfg, opd, actor, code, target, note_text, now, example,
	    changed, err, errlen);
}

char *
heads_verify(struct store *s, const struct config *cfg, const char *actor,
    const char *code, const char *target, const char *summary_text,
    const char *reason_text, time_t now, int *changed, char *err, size_t errlen)
{
	const struct opd *to_opd = config_opd(cfg, target);
	enum report_action action =
	    target != NULL ? ACTION_FORWARD : ACTION_DISMISS;
	struct store_transition t;
	struct store_case c;
	const char *to, *refusal;
	char summary[SUMMARY_MAX + 1], reason[NOTE_MAX + 1], *reply;
	int rc;

	*changed = 0;
	if ((rc = own_case(s, cfg, cfg->routing.verifier, code, "", &c, &reply,
		 err, errlen)) != 0)
		return rc == 1 ? reply : NULL;
	if (lifecycle_apply(c.status, action, &to, NULL, &refusal) == -1)
		return refused(cfg, code, c.status, refusal, "", err, errlen);
	note_of(summary_text, summary, sizeof summary);
	note_of(reason_text, reason, sizeof reason);
	if (action == ACTION_FORWARD && (to_opd == NULL || summary[0] == '\0'))
		return strdup(to_opd == NULL
			? "Pilih OPD tujuan."
			: "Tulis ringkasan untuk OPD, tanpa data pelapor.");
	if (action == ACTION_DISMISS && reason[0] == '\0')
		return strdup("Tulis alasan laporan ini ditutup.");
	/* the summary the OPD will read, or the reason, kept for good */
	if (audit_row(s, actor,
		action == ACTION_FORWARD ? "summary" : "dismiss", code,
		action == ACTION_FORWARD ? summary : reason, err, errlen) == -1)
		return NULL;
	memset(&t, 0, sizeof t);
	t.id = c.id;
	t.from = c.status;
	t.to = to;
	t.opd = action == ACTION_FORWARD ? to_opd->id : NULL;
	t.summary = action == ACTION_FORWARD ? summary : NULL;
	/* the OPD's deadlines run from when it gets the report */
	if (action == ACTION_FORWARD)
		watch_deadlines(cfg, now, &t.ack_due, &t.resolve_due);
	t.action = lifecycle_action_name(action);
	t.actor = actor;
	t.note = action == ACTION_FORWARD ? to_opd->id : reason;
	t.at = now;
	if ((rc = store_transition(s, &t, err, errlen)) == -1)
		return NULL;
	*changed = rc == 0;
	if (action == ACTION_DISMISS)
		rc = asprintf(
		    &reply, "Laporan %s ditutup: bukan laporan.", code);
	else
		rc = asprintf(&reply,
		    "Laporan %s diteruskan ke %s dengan "
		    "ringkasan.",
		    code, to_opd->name);
	if (rc == -1) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return reply;
}

char *
heads_close(struct store *s, const struct config *cfg, const char *actor,
    const char *code, time_t now, int *changed, char *err, size_t errlen)
{
	struct store_transition t;
	struct store_case c;
	const char *to, *refusal;
	char *reply;
	int rc;

	*changed = 0;
	if ((rc = own_case(s, cfg, NULL, code, "", &c, &reply, err, errlen)) !=
	    0)
		return rc == 1 ? reply : NULL;
	if (lifecycle_apply(c.status, ACTION_CLOSE, &to, NULL, &refusal) == -1)
		return refused(cfg, code, c.status, refusal, "", err, errlen);
	if (audit_row(s, actor, "close", code, NULL, err, errlen) == -1)
		return NULL;
	memset(&t, 0, sizeof t);
	t.id = c.id;
	t.from = c.status;
	t.to = to;
	t.action = lifecycle_action_name(ACTION_CLOSE);
	t.actor = actor;
	t.at = now;
	if ((rc = store_transition(s, &t, err, errlen)) == -1)
		return NULL;
	*changed = rc == 0;
	if (asprintf(&reply, "Laporan %s ditutup.", code) == -1) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return reply;
}
