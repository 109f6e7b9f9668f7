/*
 * store_cases: the life of a report after intake, in the database.  A
 * head's command becomes a status change with a history row; the watcher
 * finds the reports whose alert, reminder or escalation is due through a
 * partial index on watch_at; the digest counts what came in, what was
 * resolved and what is overdue.  Times of staff actions are kept to the
 * second (they are the OPD's, not the reporter's); a report's own
 * updated_at stays to the hour.
 */
#include <stdlib.h>
#include <string.h>

#include "queue/lifecycle.h"
#include "queue/store.h"
#include "queue/store_private.h"
#include "queue/report.h"

/* text: the column (or expression) read as the case's text */
#define CASE_COLUMNS_WITH(text)                                                \
	"id, code, status, category, opd, kecamatan, kelurahan, ack_due, "     \
	"resolve_due, marks, " text ", acknowledged_at, subject"
#define CASE_COLUMNS_NO_FROM CASE_COLUMNS_WITH("text")
/* a report's evidence of one kind, kept */
#define EVIDENCE_COUNT(kind)                                                   \
	"(SELECT count(*) FROM attachments a WHERE a.report_id = reports.id "  \
	"AND a.status = 'stored' AND a.kind = '" kind "')"
#define CASE_COLUMNS CASE_COLUMNS_NO_FROM " FROM reports "

/*
 * The reports due to the watcher: each case, its alert's excerpt (the
 * verifier's summary where there is one) and its evidence by kind.
 */
/* clang-format off */
#define DUE_CASES							\
	"SELECT " CASE_COLUMNS_WITH("COALESCE(summary, text)") ", "	\
	EVIDENCE_COUNT("image") ", " EVIDENCE_COUNT("video") ", "	\
	EVIDENCE_COUNT("audio") ", " EVIDENCE_COUNT("document")		\
	" FROM reports WHERE watch_at IS NOT NULL AND watch_at <= ? "	\
	"ORDER BY watch_at, id LIMIT ?"
/* clang-format on */

static void
read_case(sqlite3_stmt *st, struct store_case *c, int with_text)
{
	const char *text;
	int i;

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	store_sql_copy(c->code, sizeof c->code, st, 1);
	store_sql_copy(c->status, sizeof c->status, st, 2);
	store_sql_copy(c->category, sizeof c->category, st, 3);
	store_sql_copy(c->opd, sizeof c->opd, st, 4);
	store_sql_copy(c->kecamatan, sizeof c->kecamatan, st, 5);
	store_sql_copy(c->kelurahan, sizeof c->kelurahan, st, 6);
	c->ack_due = (time_t)sqlite3_column_int64(st, 7);
	c->resolve_due = (time_t)sqlite3_column_int64(st, 8);
	c->marks = sqlite3_column_int(st, 9);
	c->acknowledged_at = (time_t)sqlite3_column_int64(st, 11);
	store_sql_copy(c->subject, sizeof c->subject, st, 12);
	if (with_text && (text = store_sql_text(st, 10)) != NULL)
		c->text = strdup(text);
	if (with_text)
		for (i = 0; i < 4; i++)
			c->evidence[i] = sqlite3_column_int(st, 13 + i);
}

int
store_find_case(struct store *s, const char *code, struct store_case *out,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT " CASE_COLUMNS "WHERE code = ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "finding a report", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_case(st, out, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = store_sql_fail(s, "finding a report", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

/* Cases read into an array. */
struct case_pass {
	struct store_case *out;
	int n, max;
};

static int
due_row(sqlite3_stmt *st, void *arg)
{
	struct case_pass *p = arg;

	if (p->n == p->max)
		return -1;
	read_case(st, &p->out[p->n++], 1);
	return 0;
}

int
store_due_cases(struct store *s, time_t now, struct store_case *out, int max,
    char *err, size_t errlen)
{
	struct case_pass pass = {out, 0, max};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, DUE_CASES, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading deadlines", err, errlen);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max);
	if (store_sql_rows(s, st, due_row, &pass, "reading deadlines", err,
		errlen) == -1) {
		store_cases_free(out, pass.n);
		return -1;
	}
	return pass.n;
}

void
store_cases_free(struct store_case *c, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(c[i].text);
		c[i].text = NULL;
	}
}

int
store_next_watch(struct store *s, time_t *at, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT min(watch_at) FROM reports WHERE watch_at IS NOT NULL",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading deadlines", err, errlen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*at = (time_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_ROW)
		rc = 1;
	else
		rc = store_sql_fail(s, "reading deadlines", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

int
store_set_watch(struct store *s, long long id, int marks, time_t watch_at,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"UPDATE reports SET marks = ?2, watch_at = ?3 WHERE id = ?1",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "updating deadlines", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, marks);
	if (watch_at >= 0)
		sqlite3_bind_int64(st, 3, watch_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "updating deadlines", err, errlen);
	return 0;
}

/* Insert one history row. */
static int
history(struct store *s, long long id, time_t at, const char *actor,
    const char *action, const char *from, const char *to, const char *note,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO history(report_id, at, actor, action, "
		"from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "storing history", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "storing history", err, errlen);
	return 0;
}

int
store_add_history(struct store *s, long long id, time_t at, const char *actor,
    const char *action, const char *note, char *err, size_t errlen)
{
	return history(s, id, at, actor, action, NULL, NULL, note, err, errlen);
}

int
store_transition(
    struct store *s, const struct store_transition *t, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"UPDATE reports SET status = ?3, opd = COALESCE(?4, opd), "
		"summary = COALESCE(?11, summary), "
		"ack_due = CASE WHEN ?12 > 0 THEN ?12 ELSE ack_due END, "
		"resolve_due = CASE WHEN ?13 > 0 THEN ?13 ELSE resolve_due "
		"END, "
		"updated_at = ?5, watch_at = 0, "
		"marks = CASE WHEN ?4 IS NULL THEN marks ELSE marks & ~?9 END, "
		"acknowledged_at = CASE WHEN ?6 THEN COALESCE(acknowledged_at, "
		"  ?8) ELSE acknowledged_at END, "
		"resolved_at = CASE WHEN ?7 THEN ?8 ELSE resolved_at END, "
		"outcome = CASE WHEN ?7 THEN ?10 ELSE outcome END "
		"WHERE id = ?1 AND status = ?2",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "changing a status", err, errlen);
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_text(st, 2, t->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->opd, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, store_hour(t->at));
	sqlite3_bind_int(st, 6, t->acknowledged);
	sqlite3_bind_int(st, 7, t->resolved);
	sqlite3_bind_int64(st, 8, t->at);
	sqlite3_bind_int(st, 9, STORE_MARK_ALERTED);
	sqlite3_bind_text(st, 10, t->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, t->summary, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)t->ack_due);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)t->resolve_due);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "changing a status", err, errlen);
	if (sqlite3_changes(s->db) == 0)
		return 1;
	return history(s, t->id, t->at, t->actor, t->action, t->from, t->to,
	    t->note, err, errlen);
}

/* The caller's function for each history row, and its argument. */
struct history_pass {
	int (*fn)(const struct store_history_row *, void *);
	void *arg;
};

static int
history_row(sqlite3_stmt *st, void *arg)
{
	const struct history_pass *p = arg;
	struct store_history_row row;

	row.at = (time_t)sqlite3_column_int64(st, 0);
	row.actor = store_sql_text(st, 1);
	row.action = store_sql_text(st, 2);
	row.from_status = store_sql_text(st, 3);
	row.to_status = store_sql_text(st, 4);
	row.note = store_sql_text(st, 5);
	return p->fn(&row, p->arg);
}

int
store_each_history(struct store *s, const char *code,
    int (*fn)(const struct store_history_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct history_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT h.at, h.actor, h.action, h.from_status, h.to_status, "
		"h.note FROM history h JOIN reports r ON r.id = h.report_id "
		"WHERE r.code = ? ORDER BY h.id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading history", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	return store_sql_rows(s, st, history_row, &pass, "reading history", err,
		   errlen) == -1
	    ? -1
	    : 0;
}

int
store_digest_counts(struct store *s, time_t since, time_t now,
    struct store_digest *out, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT "
		"(SELECT count(*) FROM reports WHERE received_at >= ?1), "
		"(SELECT count(*) FROM reports WHERE resolved_at >= ?1), "
		"(SELECT count(*) FROM reports WHERE " REPORT_OPEN_SQL
		"  AND ((resolve_due IS NOT NULL AND resolve_due <= ?2) OR "
		"  (acknowledged_at IS NULL AND ack_due IS NOT NULL AND "
		"  ack_due <= ?2))), "
		"(SELECT count(*) FROM reports WHERE " REPORT_OPEN_SQL ")",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "counting reports", err, errlen);
	sqlite3_bind_int64(st, 1, store_hour(since));
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->received = sqlite3_column_int64(st, 0);
		out->resolved = sqlite3_column_int64(st, 1);
		out->overdue = sqlite3_column_int64(st, 2);
		out->open = sqlite3_column_int64(st, 3);
		rc = 0;
	} else
		rc = store_sql_fail(s, "counting reports", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

int
store_meta_int(struct store *s, const char *name, long long *value)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? 1 : -1;
	sqlite3_finalize(st);
	return rc;
}

int
store_custodians(struct store *s, const char *pins, int pin, char *kept,
    size_t keptlen, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT CAST(value AS TEXT) FROM meta WHERE name = "
		"'custodians'",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading custodians", err, errlen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_sql_copy(kept, keptlen, st, 0);
		rc = strcmp(kept, pins) == 0 ? 0 : 1;
	} else if (rc == SQLITE_DONE)
		rc = 2;
	else
		rc = store_sql_fail(s, "reading custodians", err, errlen);
	sqlite3_finalize(st);
	if (rc != 2 || !pin)
		return rc;
	if (store_sql_run(s,
		"INSERT INTO meta(name, value) VALUES ('custodians', ?3)",
		"pinning custodians", err, errlen, 0, NULL, 0, pins, 0) == -1)
		return -1;
	snprintf(kept, keptlen, "%s", pins);
	return 0;
}

int
store_set_meta_int(struct store *s, const char *name, long long value,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO meta(name, value) VALUES (?, ?) "
		"ON CONFLICT(name) DO UPDATE SET value = excluded.value",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "storing meta", err, errlen);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "storing meta", err, errlen);
	return 0;
}

int
store_report_page(struct store *s, const char *code,
    struct store_report_page *out, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *routing, *summary;
	int rc;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db,
		"SELECT " CASE_COLUMNS_NO_FROM ", channel, type, routing, "
		"outcome, received_at, resolved_at, accused, summary "
		"FROM reports WHERE code = ?",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading a report", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_case(st, &out->c, 1);
		store_sql_copy(out->channel, sizeof out->channel, st, 13);
		store_sql_copy(out->type, sizeof out->type, st, 14);
		if ((routing = store_sql_text(st, 15)) != NULL)
			out->routing = strdup(routing);
		store_sql_copy(out->outcome, sizeof out->outcome, st, 16);
		out->received_at = (time_t)sqlite3_column_int64(st, 17);
		out->resolved_at = (time_t)sqlite3_column_int64(st, 18);
		store_sql_copy(out->accused, sizeof out->accused, st, 19);
		if ((summary = store_sql_text(st, 20)) != NULL)
			out->summary = strdup(summary);
		rc = 0;
	} else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = store_sql_fail(s, "reading a report", err, errlen);
	sqlite3_finalize(st);
	return rc;
}

void
store_report_page_free(struct store_report_page *p)
{
	free(p->c.text);
	free(p->routing);
	free(p->summary);
	p->c.text = p->routing = p->summary = NULL;
}

struct note_pass {
	int (*fn)(const struct store_note_row *, void *);
	void *arg;
};

static int
note_row(sqlite3_stmt *st, void *arg)
{
	const struct note_pass *p = arg;
	struct store_note_row row;

	row.at = (time_t)sqlite3_column_int64(st, 0);
	row.kind = store_sql_text(st, 1);
	row.text = store_sql_text(st, 2);
	return p->fn(&row, p->arg);
}

int
store_each_note(struct store *s, long long report_id,
    int (*fn)(const struct store_note_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct note_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT at, kind, text FROM report_notes WHERE report_id = ? "
		"ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading notes", err, errlen);
	sqlite3_bind_int64(st, 1, report_id);
	return store_sql_rows(
		   s, st, note_row, &pass, "reading notes", err, errlen) == -1
	    ? -1
	    : 0;
}

struct open_pass {
	int (*fn)(const struct store_case *, void *);
	void *arg;
};

static int
open_row(sqlite3_stmt *st, void *arg)
{
	const struct open_pass *p = arg;
	struct store_case c;

	read_case(st, &c, 0);
	return p->fn(&c, p->arg);
}

int
store_each_open_case(struct store *s, const char *opd,
    int (*fn)(const struct store_case *, void *), void *arg, char *err,
    size_t errlen)
{
	struct open_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT " CASE_COLUMNS "WHERE opd = ? AND " REPORT_OPEN_SQL
		" ORDER BY coalesce(acknowledged_at IS NULL "
		"AND ack_due, resolve_due), id LIMIT 500",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "listing reports", err, errlen);
	sqlite3_bind_text(st, 1, opd, -1, SQLITE_STATIC);
	return store_sql_rows(
		   s, st, open_row, &pass, "listing reports", err, errlen) == -1
	    ? -1
	    : 0;
}
