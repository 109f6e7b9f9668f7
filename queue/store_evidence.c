/*
 * store_evidence: a report's attachments (queue/store.h, schema version
 * 7).  The bytes are stored encrypted (queue/evidence.h): this file never
 * sees them in clear.  Attachment rows are not listed by anything that
 * names a citizen; their received_at is kept to the hour like the
 * report's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "queue/store_private.h"

int
store_attachment_queue(struct store *s, long long report_id,
    const char *channel, const struct store_fetch *f, time_t received_at,
    char *err, size_t errlen)
{
	struct store_outbound o;
	char body[32];
	long long id;

	if (store_sql_run(s,
		"INSERT INTO attachments(report_id, seq, status, received_at) "
		"SELECT ?1, coalesce(max(seq), 0) + 1, 'pending', ?3 FROM "
		"attachments WHERE report_id = ?1",
		"storing an attachment", err, errlen, report_id, NULL, 0, NULL,
		store_hour((long long)received_at)) == -1)
		return -1;
	id = sqlite3_last_insert_rowid(s->db);
	snprintf(body, sizeof body, "%lld", id);
	memset(&o, 0, sizeof o);
	o.report_id = report_id;
	o.kind = "fetch";
	o.channel = channel;
	o.body = body;
	o.sealed = f->sealed;
	o.sealed_len = f->sealed_len;
	return store_insert_outbound(
	    s, &o, (long long)time(NULL) * 1000, err, errlen);
}

struct attachment_pass {
	int (*fn)(const struct store_attachment *, void *);
	void *arg;
};

static int
attachment_row(sqlite3_stmt *st, void *arg)
{
	const struct attachment_pass *p = arg;
	struct store_attachment a;

	a.id = sqlite3_column_int64(st, 0);
	a.seq = sqlite3_column_int(st, 1);
	a.status = store_sql_text(st, 2);
	a.kind = store_sql_text(st, 3);
	a.mime = store_sql_text(st, 4);
	a.size = sqlite3_column_int64(st, 5);
	a.received_at = (time_t)sqlite3_column_int64(st, 6);
	a.reason = store_sql_text(st, 7);
	return p->fn(&a, p->arg);
}

int
store_each_attachment(struct store *s, const char *code,
    int (*fn)(const struct store_attachment *, void *), void *arg, char *err,
    size_t errlen)
{
	struct attachment_pass pass = {fn, arg};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db,
		"SELECT a.id, a.seq, a.status, a.kind, a.mime, a.size, "
		"a.received_at, a.reason FROM attachments a JOIN reports r ON "
		"r.id = a.report_id WHERE r.code = ? ORDER BY a.seq",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading attachments", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	return store_sql_rows(s, st, attachment_row, &pass,
		   "reading attachments", err, errlen) == -1
	    ? -1
	    : 0;
}

int
store_attachments_stored(struct store *s, long long report_id, int *n)
{
	char sql[128];
	long long count;

	snprintf(sql, sizeof sql,
	    "SELECT count(*) FROM attachments WHERE report_id = %lld AND "
	    "status = 'stored'",
	    report_id);
	if (store_sql_int(s, sql, NULL, &count) == -1)
		return -1;
	*n = (int)count;
	return 0;
}

int
store_attachment_stored(struct store *s, long long id, const char *kind,
    const char *mime, long long size, const unsigned char sha256[32],
    const unsigned char *sealed_key, size_t sealed_key_len,
    const unsigned char *data, size_t len, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"UPDATE attachments SET status = 'stored', kind = ?2, mime = "
		"?3, size = ?4, sha256 = ?5, sealed_key = ?6, data = ?7, "
		"reason = NULL WHERE id = ?1 AND status = 'pending'",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "storing an attachment", err, errlen);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, mime, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, size);
	sqlite3_bind_blob(st, 5, sha256, 32, SQLITE_STATIC);
	sqlite3_bind_blob(
	    st, 6, sealed_key, (int)sealed_key_len, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 7, data, (sqlite3_uint64)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "storing an attachment", err, errlen);
	return 0;
}

int
store_attachment_refused(
    struct store *s, long long id, const char *reason, char *err, size_t errlen)
{
	return store_sql_run(s,
	    "UPDATE attachments SET status = 'refused', reason = ?3 WHERE id = "
	    "?1 AND status = 'pending'",
	    "refusing an attachment", err, errlen, id, NULL, 0, reason, 0);
}

int
store_attachment_report(struct store *s, long long attachment_id,
    long long *report_id, char *err, size_t errlen)
{
	char sql[128];

	snprintf(sql, sizeof sql,
	    "SELECT report_id FROM attachments WHERE id = %lld", attachment_id);
	if (store_sql_int(s, sql, NULL, report_id) == -1) {
		snprintf(err, errlen, "no attachment %lld", attachment_id);
		return 1;
	}
	return 0;
}

int
store_attachment_data(struct store *s, const char *code, int seq,
    unsigned char **data, size_t *len, unsigned char *sealed_key,
    size_t sealed_key_len, char *kind, size_t kindlen, char *mime,
    size_t mimelen, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1, step;

	*data = NULL;
	*len = 0;
	if (sqlite3_prepare_v2(s->db,
		"SELECT a.data, a.sealed_key, a.kind, a.mime FROM attachments "
		"a JOIN reports r ON r.id = a.report_id WHERE r.code = ? AND "
		"a.seq = ? AND a.status = 'stored'",
		-1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading an attachment", err, errlen);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, seq);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 1;
		goto done;
	}
	if (step != SQLITE_ROW ||
	    (size_t)sqlite3_column_bytes(st, 1) != sealed_key_len) {
		snprintf(err, errlen, "an attachment is unreadable");
		goto done;
	}
	*len = (size_t)sqlite3_column_bytes(st, 0);
	if ((*data = malloc(*len > 0 ? *len : 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	memcpy(*data, sqlite3_column_blob(st, 0), *len);
	memcpy(sealed_key, sqlite3_column_blob(st, 1), sealed_key_len);
	store_sql_copy(kind, kindlen, st, 2);
	store_sql_copy(mime, mimelen, st, 3);
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}
