/*
 * store_metrics: what /metrics reads from the database, on a scrape.
 * One query, so one snapshot: the outbox rows still to send (queued,
 * sending, failed) and the dead ones, by kind and status, through the
 * outbox_due index; the open reports overdue and escalated, by OPD,
 * through the partial index of open reports; the receipts waiting,
 * through reports_pending.  Rows sent, delivered and read (nearly every
 * row, over years) are never read.  Overdue is the one definition
 * STORE_OVERDUE_SQL; escalated is the watcher's mark.  The caller
 * (gateway/metrics.c) holds a read-only connection and reads at most
 * every few seconds.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "queue/lifecycle.h"
#include "queue/store.h"
#include "queue/store_private.h"
#include "queue/report.h"

/* ?1 now (seconds), ?2 the escalation marks */
static const char gauges_sql[] =
    "SELECT 0, kind, status, count(*), 0 FROM outbox "
    "WHERE status IN ('queued', 'sending', 'failed', 'dead') "
    "GROUP BY kind, status "
    "UNION ALL "
    "SELECT 1, coalesce(opd, ''), NULL, "
    "sum(" STORE_OVERDUE_SQL(
	"?1") "), sum((marks & ?2) != 0) "
	      "FROM reports WHERE " REPORT_OPEN_SQL " GROUP BY opd "
	      "UNION ALL "
	      "SELECT 2, NULL, NULL, count(*), 0 FROM reports "
	      "WHERE pending IS NOT NULL";

/*
 * Room for one more item of size each in *v, which holds n: capacities
 * are powers of two from 8 up.  0 or -1.
 */
static int
room(void **v, size_t n, size_t each)
{
	void *nv;

	if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
		return 0;
	if ((nv = realloc(*v, (n == 0 ? 8 : n * 2) * each)) == NULL)
		return -1;
	*v = nv;
	return 0;
}

static int
outbox_row(struct store_gauges *g, sqlite3_stmt *st)
{
	struct store_outbox_gauge *o;

	if (room((void **)&g->outbox, g->noutbox, sizeof *o) == -1)
		return -1;
	o = &g->outbox[g->noutbox++];
	store_sql_copy(o->kind, sizeof o->kind, st, 1);
	store_sql_copy(o->status, sizeof o->status, st, 2);
	o->n = sqlite3_column_int64(st, 3);
	if (strcmp(o->status, "dead") == 0)
		g->dead += o->n;
	return 0;
}

static int
opd_row(struct store_gauges *g, sqlite3_stmt *st)
{
	struct store_opd_gauge *o;

	if (room((void **)&g->opds, g->nopds, sizeof *o) == -1)
		return -1;
	o = &g->opds[g->nopds++];
	store_sql_copy(o->opd, sizeof o->opd, st, 1);
	o->overdue = sqlite3_column_int64(st, 3);
	o->escalated = sqlite3_column_int64(st, 4);
	return 0;
}

struct gauge_pass {
	struct store_gauges *g;
	int failed; /* out of memory */
};

static int
gauge_row(sqlite3_stmt *st, void *arg)
{
	struct gauge_pass *p = arg;
	int rc = 0;

	switch (sqlite3_column_int(st, 0)) {
	case 0:
		rc = outbox_row(p->g, st);
		break;
	case 1:
		rc = opd_row(p->g, st);
		break;
	default:
		p->g->pending = sqlite3_column_int64(st, 3);
		break;
	}
	if (rc == -1)
		p->failed = 1;
	return rc;
}

int
store_read_gauges(struct store *s, time_t now, struct store_gauges *out,
    char *err, size_t errlen)
{
	struct gauge_pass p = {out, 0};
	sqlite3_stmt *st;

	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db, gauges_sql, -1, &st, NULL) != SQLITE_OK)
		return store_sql_fail(s, "reading the gauges", err, errlen);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int(st, 2, STORE_MARK_ESCALATED);
	if (store_sql_rows(s, st, gauge_row, &p, "reading the gauges", err,
		errlen) == -1 ||
	    p.failed) {
		if (p.failed)
			snprintf(err, errlen, "out of memory");
		store_gauges_free(out);
		return -1;
	}
	return 0;
}

void
store_gauges_free(struct store_gauges *g)
{
	free(g->outbox);
	free(g->opds);
	memset(g, 0, sizeof *g);
}

long long
store_file_bytes(const char *path)
{
	char wal[4096];
	struct stat st;
	long long n = -1;

	if (stat(path, &st) == 0)
		n = (long long)st.st_size;
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (stat(wal, &st) == 0)
		n = (n < 0 ? 0 : n) + (long long)st.st_size;
	return n;
}
