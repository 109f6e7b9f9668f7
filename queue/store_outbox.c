/*
 * store_outbox: the outbox, every message the hotline sends (replies,
 * alerts, reminders, digests, forgets, fetches): queueing a row, the
 * provider's delivery reports moving it forward, the dispatcher's due
 * rows, claims and outcomes, the dead letters resent, and the rows a
 * restart finds half-sent.  A citizen's address and text are only ever
 * stored sealed, and erased when the row is done with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/store_private.h"

int
store_insert_outbound(struct store *s, const struct store_outbound *o,
    long long now_ms, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_OUTBOUND];
	long long at_rest = o->report_id > 0 || o->sealed_len > 0
	    ? now_ms - now_ms % HOUR_MS
	    : now_ms;

	if (o->report_id > 0)
		sqlite3_bind_int64(st, 1, o->report_id);
	sqlite3_bind_text(st, 2, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->destination, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->body, -1, SQLITE_STATIC);
	if (o->sealed_len > 0)
		sqlite3_bind_blob(
		    st, 6, o->sealed, (int)o->sealed_len, SQLITE_STATIC);
	sqlite3_bind_text(
	    st, 7, o->status ? o->status : "queued", -1, SQLITE_STATIC);
	sqlite3_bind_int64(
	    st, 8, o->not_before_ms > now_ms ? o->not_before_ms : now_ms);
	sqlite3_bind_int64(st, 9, at_rest);
	sqlite3_bind_int64(st, 10, at_rest);
	sqlite3_bind_text(st, 11, o->template_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, o->template_params, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, o->fallback, -1, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "queueing a message", err, errlen);
	return 0;
}

/*
 * A provider's status in the outbox's words: sent, delivered and read as
 * they are; a failure is final (dead); anything else ("accepted",
 * "queued", ...) moves nothing.
 */
static const char *
outbox_status_of(const char *status)
{
	if (strcmp(status, "sent") == 0 || strcmp(status, "delivered") == 0 ||
	    strcmp(status, "read") == 0)
		return status;
	if (strcmp(status, "failed") == 0 || strcmp(status, "undelivered") == 0)
		return "dead";
	return "other";
}

/*
 * A dead row with a fallback channel (a WhatsApp alert to a head, say) is
 * queued again on that channel, once: the row found by id, or by its
 * provider's hash when id is 0.  Staff rows only (their destination is in
 * clear): a citizen's sealed address is already erased when the row dies,
 * so sealed cannot tell them apart.
 */
static int
outbox_fall_back(struct store *s, long long id, const unsigned char *hash,
    long long now_ms, char *err, size_t errlen)
{
	static const char where[] =
	    "WHERE (id = ?1 OR provider_hash = ?2) AND status = 'dead' "
	    "AND fallback IS NOT NULL AND destination IS NOT NULL";

	char sql[512];

	snprintf(sql, sizeof sql,
	    "INSERT INTO outbox(report_id, kind, channel, destination, body, "
	    "status, next_attempt_at, created_at, updated_at) "
	    "SELECT report_id, kind, fallback, destination, body, 'queued', "
	    "?3, %s, %s FROM outbox %s",
	    AT_REST("?3"), AT_REST("?3"), where);
	if (store_sql_run(s, sql, "falling back", err, errlen, id, hash,
		STORE_HASH_BYTES, NULL, now_ms) == -1)
		return -1;
	snprintf(
	    sql, sizeof sql, "UPDATE outbox SET fallback = NULL %s", where);
	return store_sql_run(s, sql, "falling back", err, errlen, id, hash,
	    STORE_HASH_BYTES, NULL, 0);
}

/* Move the outbox row sent as hash forward by one delivery report. */
static int
advance_outbox(struct store *s, const unsigned char *hash, const char *status,
    int error_code, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_OUTBOX_STATUS];
	char why[64];

	snprintf(why, sizeof why, "provider reported failure %d", error_code);
	sqlite3_bind_text(st, 1, outbox_status_of(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL) * 1000);
	sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, hash, STORE_HASH_BYTES, SQLITE_STATIC);
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	if (sqlite3_changes(s->db) == 0 ||
	    strcmp(outbox_status_of(status), "dead") != 0)
		return 0;
	return outbox_fall_back(
	    s, 0, hash, (long long)time(NULL) * 1000, err, errlen);
}

int
store_insert_status(
    struct store *s, const struct store_status *e, char *err, size_t errlen)
{
	sqlite3_stmt *st = s->stmt[ST_STATUS];

	sqlite3_bind_text(st, 1, e->channel, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, e->message, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, e->error_code);
	/* when the citizen's phone got or read a reply: to the hour */
	sqlite3_bind_int64(st, 5, store_hour((long long)e->at));
	if (store_sql_step(st) != SQLITE_DONE)
		return store_sql_fail(
		    s, "storing a delivery report", err, errlen);
	if (sqlite3_changes(s->db) == 0)
		return 0; /* seen before */
	return advance_outbox(
	    s, e->message, e->status, e->error_code, err, errlen);
}

#define OUTBOX_COLUMNS                                                         \
	"o.id, o.report_id, r.code, o.kind, o.channel, o.status, o.sealed, "   \
	"o.destination, o.body, o.last_error, o.attempts, "                    \
	"o.next_attempt_at, o.created_at, o.updated_at, o.template, "          \
	"o.params, o.fallback "                                                \
	"FROM outbox o LEFT JOIN reports r ON r.id = o.report_id "

struct outbox_pass {
	int (*fn)(const struct store_outbox_row *, void *);
	void *arg;
};

static int
outbox_row(sqlite3_stmt *st, void *arg)
{
	const struct outbox_pass *p = arg;
	struct store_outbox_row row;

	row.id = sqlite3_column_int64(st, 0);
	row.report_id = sqlite3_column_int64(st, 1);
	row.report_code = store_sql_text(st, 2);
	row.kind = store_sql_text(st, 3);
	row.channel = store_sql_text(st, 4);
	row.status = store_sql_text(st, 5);
	row.sealed = sqlite3_column_blob(st, 6);
	row.sealed_len = (size_t)sqlite3_column_bytes(st, 6);
	row.destination = store_sql_text(st, 7);
	row.body = store_sql_text(st, 8);
	row.last_error = store_sql_text(st, 9);
	row.attempts = sqlite3_column_int(st, 10);
	row.next_attempt_at = sqlite3_column_int64(st, 11);
	row.created_at = sqlite3_column_int64(st, 12);
	row.updated_at = sqlite3_column_int64(st, 13);
	row.template_name = store_sql_text(st, 14);
	row.template_params = store_sql_text(st, 15);
	row.fallback = store_sql_text(st, 16);
	return p->fn(&row, p->arg);
}

static int
each_outbox_row(struct store *s, sqlite3_stmt *st,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct outbox_pass pass = {fn, arg};

	return store_sql_rows(s, st, outbox_row, &pass, "reading the outbox",
		   err, errlen) == -1
	    ? -1
	    : 0;
}

/*
 * The rows due at now_ms (queued or failed), oldest first, that match
 * filter (an SQL condition on o, with ?3 bound to text when not NULL).
 */
static int
each_due(struct store *s, const char *filter, const char *text,
    long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	char sql[1024];
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql,
	    "SELECT " OUTBOX_COLUMNS "WHERE o.status IN ('queued', 'failed') "
	    "AND o.next_attempt_at <= ?1 AND %s "
	    "ORDER BY o.next_attempt_at, o.id LIMIT ?2",
	    filter);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int(st, 2, limit);
	if (text != NULL)
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_each_due(struct store *s, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return each_due(s, "1", NULL, now_ms, limit, fn, arg, err, errlen);
}

int
store_each_due_on(struct store *s, const char *channel, long long now_ms,
    int limit, int (*fn)(const struct store_outbox_row *, void *), void *arg,
    char *err, size_t errlen)
{
	return each_due(
	    s, "o.channel = ?3", channel, now_ms, limit, fn, arg, err, errlen);
}

int
store_each_fetch_due(struct store *s, long long now_ms, int limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return each_due(
	    s, "o.kind = 'fetch'", NULL, now_ms, limit, fn, arg, err, errlen);
}

void
store_provider_hash(struct store *s, const char *channel, const char *id,
    unsigned char out[STORE_HASH_BYTES])
{
	store_hash_id(s->dedupe_key, channel, id, out);
}

int
store_each_outbox(struct store *s,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	return store_each_outbox_in(s, NULL, fn, arg, err, errlen);
}

int
store_each_outbox_in(struct store *s, const char *status,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT " OUTBOX_COLUMNS "WHERE ?1 IS NULL OR o.status = ?1 "
		"ORDER BY o.id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_each_report_outbox(struct store *s, long long report_id,
    int (*fn)(const struct store_outbox_row *, void *), void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT " OUTBOX_COLUMNS "WHERE o.report_id = ? ORDER BY o.id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, report_id);
	return each_outbox_row(s, st, fn, arg, err, errlen);
}

int
store_outbox_claim(
    struct store *s, long long id, long long now_ms, char *err, size_t errlen)
{
	if (store_sql_run(s,
		"UPDATE outbox SET status = 'sending', attempts = attempts + "
		"1, "
		"updated_at = " AT_REST("?3") " WHERE id = ?1 AND status IN "
					      "('queued', "
					      "'failed')",
		"claiming a message", err, errlen, id, NULL, 0, NULL,
		now_ms) == -1)
		return -1;
	return sqlite3_changes(s->db) == 1 ? 0 : 1;
}

/*
 * An attempt's outcome.  A dead row loses its citizen's sealed address, a
 * forget row its sealed message id once the provider deleted its copy.
 */
static const char outbox_result_sql[] =
    "UPDATE outbox SET status = ?2, "
    "updated_at = " AT_REST(
	"?3") ", "
	      "provider_hash = COALESCE(?4, provider_hash), "
	      "next_attempt_at = CASE WHEN ?2 = 'failed' THEN ?5 "
	      "  ELSE " AT_REST("?5") " END, "
				      "last_error = ?6, "
				      "sealed = CASE WHEN ?2 = 'dead' OR (?2 = "
				      "'sent' AND kind IN ('forget', 'fetch')) "
				      "  THEN NULL ELSE sealed END "
				      "WHERE id = ?1";

int
store_outbox_result(struct store *s, long long id, const char *status,
    const unsigned char *provider_hash, long long next_ms, const char *error,
    long long now_ms, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, outbox_result_sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	if (provider_hash != NULL)
		sqlite3_bind_blob(
		    st, 4, provider_hash, STORE_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, next_ms);
	sqlite3_bind_text(st, 6, error, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	if (strcmp(status, "dead") == 0 &&
	    outbox_fall_back(s, id, NULL, now_ms, err, errlen) == -1)
		return -1;
	if (provider_hash == NULL)
		return 0;
	/* Delivery reports that came before this result was stored. */
	if (sqlite3_prepare_v2(s->db,
		"SELECT status, error_code FROM delivery_events "
		"WHERE message_hash = ? ORDER BY id",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	sqlite3_bind_blob(
	    st, 1, provider_hash, STORE_HASH_BYTES, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (advance_outbox(s, provider_hash, store_sql_text(st, 0),
			sqlite3_column_int(st, 1), err, errlen) == -1) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "updating the outbox", err, errlen);
	return 0;
}

int
store_resend(struct store *s, const char *kind, long long since_ms,
    long long now_ms, struct store_resent *out, char *err, size_t errlen)
{
	/*
	 * Dead, of the kind asked for, since since_ms, and not delivered
	 * another way since (an alert that fell back to SMS).
	 */
	static const char where[] =
	    "status = 'dead' AND (?1 IS NULL OR kind = ?1) AND updated_at >= "
	    "?2 "
	    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id != outbox.id "
	    "AND o.report_id IS outbox.report_id AND o.kind = outbox.kind "
	    "AND o.destination IS outbox.destination AND o.status != 'dead')";
	const char *sql[2] = {"SELECT count(*) FROM outbox WHERE "
			      "destination IS NULL AND ",
	    "UPDATE outbox SET status = 'queued', attempts = 0, "
	    "next_attempt_at = ?3, updated_at = ?3 WHERE destination IS NOT "
	    "NULL AND "};
	char q[1024];
	sqlite3_stmt *st;
	int i, rc;

	memset(out, 0, sizeof *out);
	if (store_begin(s, err, errlen) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(q, sizeof q, "%s%s", sql[i], where);
		if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK) {
			store_sql_fail(s, "resending", err, errlen);
			goto fail;
		}
		if (kind != NULL)
			sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, since_ms);
		if (i == 1)
			sqlite3_bind_int64(st, 3, now_ms);
		rc = sqlite3_step(st);
		if (i == 0 && rc == SQLITE_ROW)
			out->citizens = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != (i == 0 ? SQLITE_ROW : SQLITE_DONE)) {
			store_sql_fail(s, "resending", err, errlen);
			goto fail;
		}
	}
	out->queued = sqlite3_changes(s->db);
	if (store_commit(s, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

long long
store_outbox_resume(struct store *s, long long now_ms, char *err, size_t errlen)
{
	if (store_begin(s, err, errlen) == -1)
		return -1;
	/* Sent: the address is kept no longer. */
	if (store_sql_run(s,
		"UPDATE outbox SET sealed = NULL WHERE sealed IS NOT NULL "
		"AND status NOT IN ('queued', 'sending', 'failed')",
		"resuming the outbox", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_sql_run(s,
		"UPDATE outbox SET status = 'failed', next_attempt_at = ?3 "
		"WHERE status = 'sending'",
		"resuming the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1 ||
	    store_commit(s, err, errlen) == -1) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

long long
store_outbox_recover(
    struct store *s, long long now_ms, char *err, size_t errlen)
{
	long long dropped;

	if (store_begin(s, err, errlen) == -1)
		return -1;
	if (store_sql_run(s,
		"UPDATE outbox SET status = 'dead', sealed = NULL, "
		"updated_at = ?3, last_error = 'address lost at restart' "
		"WHERE sealed IS NOT NULL AND status IN ('queued', 'sending', "
		"'failed')",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1)
		goto fail;
	dropped = sqlite3_changes(s->db);
	/* Sent, not yet delivered: the address is kept no longer. */
	if (store_sql_run(s,
		"UPDATE outbox SET sealed = NULL WHERE sealed IS NOT NULL",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_sql_run(s,
		"UPDATE outbox SET status = 'failed', next_attempt_at = ?3 "
		"WHERE status = 'sending'",
		"recovering the outbox", err, errlen, 0, NULL, 0, NULL,
		now_ms) == -1 ||
	    store_sql_run(s,
		"UPDATE reports SET pending = NULL WHERE pending IS NOT NULL",
		"recovering receipts", err, errlen, 0, NULL, 0, NULL,
		0) == -1 ||
	    store_commit(s, err, errlen) == -1)
		goto fail;
	return dropped;
fail:
	store_rollback(s);
	return -1;
}

long long
store_count_outbox(struct store *s, const char *status)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM outbox WHERE status = ?", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
