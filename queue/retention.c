/*
 * retention: implements queue/retention.h in SQL over the reports, the
 * identities and the epoch keys.  A report counts as closed from its last
 * change (updated_at, kept to the hour) while its status is resolved or
 * closed; a report opened again is not closed.
 */
#include <stdio.h>
#include <string.h>

#include "queue/audit.h"
#include "queue/retention.h"
#include "queue/store_private.h"
#include "queue/report.h"

#define CLOSED_BEFORE REPORT_CLOSED_SQL_OF("r.status") " AND r.updated_at <= ?1"

/* The epochs whose reports all closed before ?1, and still hold a key. */
#define SPENT_EPOCHS                                                           \
	"SELECT i.epoch FROM identities i JOIN reports r ON r.id = "           \
	"i.report_id WHERE i.epoch IS NOT NULL GROUP BY i.epoch HAVING "       \
	"sum(CASE WHEN " CLOSED_BEFORE " THEN 0 ELSE 1 END) = 0 AND EXISTS "   \
	"(SELECT 1 FROM epoch_keys k WHERE k.epoch = i.epoch)"

/* The epoch keys no identity needs any more (of epoch_keys). */
#define UNUSED_KEYS                                                            \
	"epoch > 0 AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.epoch "  \
	"= epoch_keys.epoch AND length(i.ciphertext) > 0)"

/* The reports whose identity goes at ?1. */
#define IDENTITIES_DUE                                                         \
	"SELECT r.code FROM identities i JOIN reports r ON r.id = "            \
	"i.report_id WHERE (i.epoch IN (" SPENT_EPOCHS ")) OR (i.epoch IS "    \
	"NULL AND length(i.sealed_key) > 0 AND " CLOSED_BEFORE ")"

/* The reports whose text goes at ?1. */
#define TEXTS_DUE                                                              \
	"SELECT r.code FROM reports r WHERE " CLOSED_BEFORE " AND (r.text "    \
	"!= '' OR r.latitude IS NOT NULL OR r.summary IS NOT NULL OR "         \
	"r.outcome IS NOT NULL OR r.routing IS NOT NULL OR EXISTS (SELECT 1 "  \
	"FROM report_notes n WHERE n.report_id = r.id AND n.text != '') OR "   \
	"EXISTS (SELECT 1 FROM attachments a WHERE a.report_id = r.id AND "    \
	"a.status = 'stored'))"

struct listing {
	void (*each)(const char *, const char *, void *);
	void *arg;
	const char *what;
	long long n;
};

static int
list_row(sqlite3_stmt *st, void *arg)
{
	struct listing *l = arg;

	l->n++;
	if (l->each != NULL)
		l->each(
		    (const char *)sqlite3_column_text(st, 0), l->what, l->arg);
	return 0;
}

/* Run a listing query with ?1 = cutoff: how many rows, each handed on. */
static long long
list(struct store *s, const char *sql, long long cutoff, struct listing *l,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;

	l->n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading for retention", err, errlen);
	sqlite3_bind_int64(st, 1, cutoff);
	if (store_sql_rows(
		s, st, list_row, l, "reading for retention", err, errlen) == -1)
		return -1;
	return l->n;
}

/* Run sql with ?1 = cutoff; the rows it changed, or -1. */
static long long
change(struct store *s, const char *sql, long long cutoff, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "applying retention", err, errlen);
	sqlite3_bind_int64(st, 1, cutoff);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, "applying retention", err, errlen);
	return sqlite3_changes(s->db);
}

static int
shred_identities(struct store *s, long long cutoff, struct retention_result *r,
    char *err, size_t errlen)
{
	long long n;

	/* the ciphertexts first: the epochs are found through their keys */
	if ((n = change(s,
		 "UPDATE identities SET ciphertext = zeroblob(0), sealed_key "
		 "= zeroblob(0) WHERE epoch IN (" SPENT_EPOCHS ")",
		 cutoff, err, errlen)) == -1)
		return -1;
	/* an epoch key is a row for each share: count the epochs */
	if (store_sql_int(s,
		"SELECT count(DISTINCT epoch) FROM epoch_keys "
		"WHERE " UNUSED_KEYS,
		NULL, &r->epochs) == -1)
		return store_sql_fail(s, "applying retention", err, errlen);
	if (change(s, "DELETE FROM epoch_keys WHERE " UNUSED_KEYS, cutoff, err,
		errlen) == -1)
		return -1;
	if ((r->identities = change(s,
		 "UPDATE identities SET ciphertext = zeroblob(0), sealed_key "
		 "= zeroblob(0) WHERE epoch IS NULL AND length(sealed_key) > 0 "
		 "AND report_id IN (SELECT r.id FROM reports r "
		 "WHERE " CLOSED_BEFORE ")",
		 cutoff, err, errlen)) == -1)
		return -1;
	r->identities += n;
	return 0;
}

static int
blank_texts(struct store *s, long long cutoff, char *err, size_t errlen)
{
	if (change(s,
		"UPDATE report_notes SET text = '' WHERE text != '' AND "
		"report_id IN (SELECT r.id FROM reports r WHERE " CLOSED_BEFORE
		")",
		cutoff, err, errlen) == -1 ||
	    change(s,
		"UPDATE history SET note = NULL WHERE note IS NOT NULL AND "
		"report_id IN (SELECT r.id FROM reports r WHERE " CLOSED_BEFORE
		")",
		cutoff, err, errlen) == -1 ||
	    /* what was sent about it: staff alerts may carry an excerpt */
	    change(s,
		"UPDATE outbox SET body = '', params = NULL WHERE body != '' "
		"AND status IN ('sent', 'dead') AND report_id IN (SELECT r.id "
		"FROM reports r WHERE " CLOSED_BEFORE ")",
		cutoff, err, errlen) == -1 ||
	    /* the evidence: its bytes and key gone, its count kept */
	    change(s,
		"UPDATE attachments SET data = NULL, sealed_key = NULL, "
		"sha256 = NULL, status = 'removed', reason = 'retention' WHERE "
		"status = 'stored' AND report_id IN (SELECT r.id FROM reports "
		"r WHERE " CLOSED_BEFORE ")",
		cutoff, err, errlen) == -1 ||
	    /* the routing evidence quotes the text's words */
	    change(s,
		"UPDATE reports AS r SET text = '', latitude = NULL, longitude "
		"= NULL, summary = NULL, outcome = NULL, routing = NULL "
		"WHERE " CLOSED_BEFORE,
		cutoff, err, errlen) == -1)
		return -1;
	return 0;
}

int
retention_apply(struct store *s, long long identity_after, long long text_after,
    time_t now, int dry_run, const char *actor,
    void (*each)(const char *, const char *, void *), void *arg,
    struct retention_result *r, char *err, size_t errlen)
{
	struct listing l = {each, arg, "identity", 0};
	long long id_cut = (long long)now - identity_after,
		  text_cut = (long long)now - text_after;
	char note[256];

	memset(r, 0, sizeof *r);
	if (identity_after > 0) {
		if ((r->identities = list(
			 s, IDENTITIES_DUE, id_cut, &l, err, errlen)) == -1)
			return -1;
		if (!dry_run && r->identities > 0 &&
		    shred_identities(s, id_cut, r, err, errlen) == -1)
			return -1;
	}
	if (text_after > 0) {
		l.what = "text";
		if ((r->texts = list(
			 s, TEXTS_DUE, text_cut, &l, err, errlen)) == -1)
			return -1;
		if (!dry_run && r->texts > 0 &&
		    blank_texts(s, text_cut, err, errlen) == -1)
			return -1;
	}
	if (dry_run || actor == NULL || (r->identities == 0 && r->texts == 0))
		return 0;
	snprintf(note, sizeof note,
	    "identities of %lld reports destroyed (%lld epoch keys "
	    "shredded); texts of %lld reports blanked",
	    r->identities, r->epochs, r->texts);
	return audit_row(s, actor, "retention", NULL, note, err, errlen);
}
