/*
 * Unit tests of queue/indicators.c and web/mayor_view.c on a real database
 * in a temp dir: eleven reports with known times, places and statuses
 * (written straight into the reports table, as the store would leave
 * them) and a few audit rows give exact counts by channel, category, OPD,
 * kecamatan and kelurahan, by local day, ISO week and month, the status
 * pipeline, per OPD the open and overdue counts, median and p90 delays
 * and deadlines kept, the aging of every open report and the triage
 * backlog (whenever received), the hotspot threshold, the audit's unseals
 * and failed logins in the period; each filter (OPD, kecamatan,
 * category, period, and the default 90 days) narrows as it should; the
 * form's fields parse into a filter; the CSV export has its header, RFC
 * 4180 quoting and no report text; the page has its sections, "<5" for
 * small counts when suppressing and the numbers when not, and escapes
 * what comes from the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/indicators.h"
#include "queue/store.h"
#include "queue/store_private.h"
#include "web/mayor_view.h"

#define H 3600
#define D 86400
/* Monday 2 March 2026, 00:00 WIB (ISO week 2026-W10) */
#define D0 ((time_t)1772384400)
/* Thursday 12 March 2026, 12:00 WIB: the indicators are computed then */
#define NOW	    (D0 + 10 * D + 12 * H)
#define SECRET_TEXT "RAHASIA: petugas minta uang, hubungi 081234567890"

#define CONFIG                                                                 \
	TESTLIB_CONFIG_MINIMAL                                                 \
	"[channel sms]\n"                                                      \
	"provider = android_sms_gateway\n"                                     \
	"signing_key = k\n"                                                    \
	"[opd dishub]\n"                                                       \
	"name = Dinas Perhubungan\n"                                           \
	"[opd dinkes]\n"                                                       \
	"name = Dinas \"Sehat\" Kesehatan\n"                                   \
	"[opd inspektorat]\n"                                                  \
	"name = Inspektorat\n"                                                 \
	"[opd dlh]\n"                                                          \
	"name = Dinas Lingkungan Hidup\n"                                      \
	"[routing]\n"                                                          \
	"triage = inspektorat\n"                                               \
	"[category pungli]\n"                                                  \
	"name = Pungutan liar, pungli\n"                                       \
	"[category suap]\n"                                                    \
	"name = Suap\n"                                                        \
	"[region kota]\n"                                                      \
	"name = Kecamatan Kota\n"                                              \
	"kelurahan = Balowerti, Jagalan\n"                                     \
	"[region pesantren]\n"                                                 \
	"name = Kecamatan Pesantren\n"                                         \
	"kelurahan = Bangsal, Betet\n"

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char db[TESTLIB_PATH_MAX];
	struct testlib_config conf;
	struct config *cfg;
	struct store *s;  /* read-write: the fixtures are written with it */
	struct store *ro; /* read-only: what the web views read with */
	char err[256];
};

/* One report as the store leaves it; 0 times are NULL. */
struct report {
	const char *code;
	time_t received;
	const char *channel, *category, *opd, *kecamatan, *kelurahan;
	const char *status;
	time_t ack_at, resolved_at, ack_due, resolve_due;
};

/* clang-format off */
static const struct report reports[] = {
    /* r1: local 01:00 is the day before in UTC: still 2 March */
    {"KDR-AAAAA1", D0 + 1 * H, "wa", "pungli", "dishub", "kota",
	"Balowerti", "resolved", D0 + 3 * H, D0 + 11 * H, D0 + 3 * D,
	D0 + 10 * D},
    {"KDR-AAAAA2", D0 + 10 * H, "wa", "pungli", "dishub", "kota",
	"Balowerti", "resolved", D0 + 14 * H, D0 + 40 * H, D0 + 3 * D,
	D0 + 10 * D},
    /* acknowledged, past its resolve_due: overdue */
    {"KDR-AAAAA3", D0 + 1 * D + 8 * H, "sms", "pungli", "dishub", "kota",
	"Balowerti", "acknowledged", D0 + 1 * D + 14 * H, 0, D0 + 4 * D,
	D0 + 6 * D},
    /* never acknowledged, past its ack_due: overdue */
    {"KDR-AAAAA4", D0 + 2 * D + 14 * H, "wa", "suap", "dishub", "kota",
	"Jagalan", "routed", 0, 0, D0 + 3 * D, D0 + 32 * D},
    /* acknowledged late, resolved in time */
    {"KDR-AAAAA5", D0 + 3 * D + 9 * H, "wa", "pungli", "dinkes",
	"pesantren", "Bangsal", "resolved", D0 + 3 * D + 29 * H,
	D0 + 3 * D + 109 * H, D0 + 3 * D + 10 * H, D0 + 23 * D},
    /* in progress, nothing due yet */
    {"KDR-AAAAA6", D0 + 4 * D + 11 * H, "sms", "pungli", "dinkes",
	"pesantren", "Bangsal", "in_progress", D0 + 4 * D + 19 * H, 0,
	D0 + 7 * D, D0 + 34 * D},
    /* in triage, no place, no deadline */
    {"KDR-AAAAA7", D0 + 9 * D + 10 * H, "wa", "suap", "inspektorat", NULL,
	NULL, "triage", 0, 0, 0, 0},
    {"KDR-AAAAA8", D0 + 10 * D + 9 * H, "wa", "pungli", "inspektorat",
	"kota", "Jagalan", "triage", 0, 0, 0, 0},
    /* before the period: open 50 days, and in triage 15 days */
    {"KDR-AAAAA9", D0 - 40 * D + 10 * H, "wa", "pungli", "dishub", "kota",
	"Jagalan", "routed", 0, 0, D0 - 37 * D, D0 - 20 * D},
    {"KDR-AAAAB1", D0 - 5 * D + 10 * H, "sms", "suap", "inspektorat",
	"pesantren", "Betet", "triage", 0, 0, 0, 0},
    {"KDR-AAAAB2", D0 + 5 * D + 9 * H, "wa", "suap", "dinkes", "pesantren",
	"Betet", "closed", D0 + 5 * D + 10 * H, D0 + 5 * D + 11 * H,
	D0 + 8 * D, D0 + 15 * D},
};
/* clang-format on */

static void
bind_time(sqlite3_stmt *st, int i, time_t t)
{
	if (t != 0)
		sqlite3_bind_int64(st, i, (sqlite3_int64)t);
	else
		sqlite3_bind_null(st, i);
}

static void
insert_report(struct fixture *f, const struct report *r)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(f->s->db,
			     "INSERT INTO reports(uid, code, status, channel, "
			     "type, text, category, opd, kecamatan, kelurahan, "
			     "received_at, updated_at, acknowledged_at, "
			     "resolved_at, ack_due, resolve_due) VALUES "
			     "(randomblob(16), ?1, ?2, ?3, 'text', ?4, ?5, ?6, "
			     "?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, SECRET_TEXT, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->opd, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->kecamatan, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->kelurahan, -1, SQLITE_STATIC);
	bind_time(st, 9, r->received);
	bind_time(st, 10, r->ack_at);
	bind_time(st, 11, r->resolved_at);
	bind_time(st, 12, r->ack_due);
	bind_time(st, 13, r->resolve_due);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void
insert_audit(struct fixture *f, time_t at, const char *actor,
    const char *action, const char *code, const char *reason)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(f->s->db,
			     "INSERT INTO audit(at, actor, action, "
			     "report_code, reason) VALUES (?, ?, ?, ?, ?)",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t i;

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-indicators"), 0);
	testlib_path(f->db, f->dir, "i.db");
	snprintf(f->conf.dir, sizeof f->conf.dir, "%s", f->dir);
	testlib_path(f->conf.path, f->dir, "i.conf");
	f->cfg = testlib_config_must_load(&f->conf, CONFIG);
	f->s = store_open(f->db, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("%s", f->err);
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	for (i = 0; i < TESTLIB_COUNT(reports); i++)
		insert_report(f, &reports[i]);
	insert_audit(f, D0 + 2 * D, "web:walikota", "unseal", "KDR-AAAAA4",
	    "<b>pemeriksaan</b> Inspektorat");
	insert_audit(f, D0 + 5 * D, "cli:walikota", "unseal", "KDR-AAAAA5",
	    "permintaan APIP");
	insert_audit(f, D0 - 10 * D, "cli:walikota", "unseal", "KDR-AAAAA9",
	    "sebelum periode");
	insert_audit(f, D0 + 1 * D, "web:tamu", "login_failed", NULL, NULL);
	insert_audit(f, D0 + 6 * D, "web:tamu", "login_failed", NULL, NULL);
	insert_audit(
	    f, D0 + 6 * D + H, "web:walikota", "login_failed", NULL, NULL);
	insert_audit(f, D0 - 1 * D, "web:tamu", "login_failed", NULL, NULL);
	insert_audit(f, D0 + 3 * D, "web:walikota", "login", NULL, NULL);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	f->ro = store_open(f->db, STORE_READONLY, f->err, sizeof f->err);
	if (f->ro == NULL)
		fail_msg("%s", f->err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->ro);
	store_close(f->s);
	config_free(f->cfg);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

/* The period of most tests: the 11 days from 2 March (local). */
static struct indicator_filter
period(void)
{
	struct indicator_filter flt;

	memset(&flt, 0, sizeof flt);
	flt.from = D0;
	flt.to = D0 + 11 * D;
	return flt;
}

static struct indicators *
compute(struct fixture *f, const struct indicator_filter *flt)
{
	struct indicators *ind = NULL;

	if (indicators_compute(
		f->ro, f->cfg, flt, NOW, &ind, f->err, sizeof f->err) != 0)
		fail_msg("indicators_compute: %s", f->err);
	assert_non_null(ind);
	return ind;
}

/* The count of id (NULL: the NULL entry) in c, 0 when absent. */
static long long
count_of(const struct indicator_counts *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (id == NULL
			? c->v[i].id == NULL
			: c->v[i].id != NULL && strcmp(c->v[i].id, id) == 0)
			return c->v[i].count;
	return 0;
}

static const struct indicator_opd *
opd_of(const struct indicators *ind, const char *id)
{
	size_t i;

	for (i = 0; i < ind->nopd; i++)
		if (ind->opd[i].id != NULL && strcmp(ind->opd[i].id, id) == 0)
			return &ind->opd[i];
	fail_msg("no OPD %s", id);
	return NULL;
}

static void
assert_hours(double got, double want)
{
	if (got < want - 1e-9 || got > want + 1e-9)
		fail_msg("%.6f hours, want %.6f", got, want);
}

static void
test_counts_by_dimension(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);

	assert_int_equal(ind->from, D0);
	assert_int_equal(ind->to, D0 + 11 * D);
	assert_int_equal(ind->total, 9);
	assert_int_equal(ind->channels.n, 2);
	assert_string_equal(ind->channels.v[0].id, "wa"); /* most first */
	assert_int_equal(count_of(&ind->channels, "wa"), 7);
	assert_int_equal(count_of(&ind->channels, "sms"), 2);
	assert_int_equal(count_of(&ind->categories, "pungli"), 6);
	assert_int_equal(count_of(&ind->categories, "suap"), 3);
	assert_string_equal(ind->categories.v[0].name, "Pungutan liar, pungli");
	assert_int_equal(count_of(&ind->opds, "dishub"), 4);
	assert_int_equal(count_of(&ind->opds, "dinkes"), 3);
	assert_int_equal(count_of(&ind->opds, "inspektorat"), 2);
	assert_int_equal(count_of(&ind->opds, "dlh"), 0);
	assert_int_equal(ind->opds.n, 3); /* no entry without reports */
	assert_int_equal(count_of(&ind->kecamatan, "kota"), 5);
	assert_int_equal(count_of(&ind->kecamatan, "pesantren"), 3);
	assert_int_equal(count_of(&ind->kecamatan, NULL), 1);
	assert_string_equal(ind->kecamatan.v[0].name, "Kecamatan Kota");
	assert_int_equal(count_of(&ind->kelurahan, "Balowerti"), 3);
	assert_int_equal(count_of(&ind->kelurahan, "Jagalan"), 2);
	assert_int_equal(count_of(&ind->kelurahan, "Bangsal"), 2);
	assert_int_equal(count_of(&ind->kelurahan, "Betet"), 1);
	assert_int_equal(count_of(&ind->kelurahan, NULL), 1);
	/* ties keep the config's order: Jagalan before Bangsal */
	assert_string_equal(ind->kelurahan.v[1].id, "Jagalan");
	assert_string_equal(ind->kelurahan.v[2].id, "Bangsal");

	assert_int_equal(ind->status[IND_RECEIVED], 0);
	assert_int_equal(ind->status[IND_ROUTED], 1);
	assert_int_equal(ind->status[IND_TRIAGE], 2);
	assert_int_equal(ind->status[IND_ACKNOWLEDGED], 1);
	assert_int_equal(ind->status[IND_IN_PROGRESS], 1);
	assert_int_equal(ind->status[IND_RESOLVED], 3);
	assert_int_equal(ind->status[IND_CLOSED], 1);
	assert_int_equal(ind->status[IND_REJECTED], 0);
	assert_int_equal(ind->status[IND_STATUS_OTHER], 0);
	indicators_free(ind);
}

static void
test_series(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);
	static const long long by_day[] = {2, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1};
	size_t i;

	assert_int_equal(ind->days.n, 11);
	for (i = 0; i < 11; i++) {
		assert_int_equal(ind->days.v[i].count, by_day[i]);
		assert_int_equal(ind->days.v[i].start, D0 + (time_t)i * D);
	}
	assert_string_equal(ind->days.v[0].label, "2026-03-02");
	assert_string_equal(ind->days.v[10].label, "2026-03-12");
	assert_int_equal(ind->weeks.n, 2);
	assert_string_equal(ind->weeks.v[0].label, "2026-W10");
	assert_int_equal(ind->weeks.v[0].count, 7);
	assert_string_equal(ind->weeks.v[1].label, "2026-W11");
	assert_int_equal(ind->weeks.v[1].count, 2);
	assert_int_equal(ind->months.n, 1);
	assert_string_equal(ind->months.v[0].label, "2026-03");
	assert_int_equal(ind->months.v[0].count, 9);
	indicators_free(ind);

	/* across a year's end: ISO 2026-W53 ends on Sunday 3 January 2027 */
	flt.from = (time_t)1798650000; /* Thursday 31 December 2026 WIB */
	flt.to = flt.from + 5 * D;
	ind = compute(f, &flt);
	assert_int_equal(ind->days.n, 5);
	assert_int_equal(ind->weeks.n, 2);
	assert_string_equal(ind->weeks.v[0].label, "2026-W53");
	assert_string_equal(ind->weeks.v[1].label, "2027-W01");
	assert_int_equal(ind->months.n, 2);
	assert_string_equal(ind->months.v[0].label, "2026-12");
	assert_string_equal(ind->months.v[1].label, "2027-01");
	indicators_free(ind);
}

static void
test_opd_performance(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);
	const struct indicator_opd *o;

	/* the config's order, every OPD, with or without reports */
	assert_int_equal(ind->nopd, 4);
	assert_string_equal(ind->opd[0].id, "dishub");
	assert_string_equal(ind->opd[1].id, "dinkes");
	assert_string_equal(ind->opd[3].id, "dlh");
	assert_int_equal(ind->opd[3].received, 0);

	o = opd_of(ind, "dishub");
	assert_string_equal(o->name, "Dinas Perhubungan");
	assert_int_equal(o->received, 4);
	assert_int_equal(o->open, 2);
	assert_int_equal(o->overdue, 2);
	assert_int_equal(o->ack.n, 3); /* 2, 4, 6 hours */
	assert_hours(o->ack.median_h, 4);
	assert_hours(o->ack.p90_h, 6);
	assert_int_equal(o->resolve.n, 2); /* 10, 30 hours */
	assert_hours(o->resolve.median_h, 20);
	assert_hours(o->resolve.p90_h, 30);
	assert_int_equal(o->ack_sla.due, 4);
	assert_int_equal(o->ack_sla.met, 3);
	assert_int_equal(o->resolve_sla.due, 3);
	assert_int_equal(o->resolve_sla.met, 2);

	o = opd_of(ind, "dinkes");
	assert_int_equal(o->received, 3);
	assert_int_equal(o->open, 1);
	assert_int_equal(o->overdue, 0);
	assert_int_equal(o->ack.n, 3); /* 1, 8, 20 hours */
	assert_hours(o->ack.median_h, 8);
	assert_hours(o->ack.p90_h, 20);
	assert_int_equal(o->resolve.n, 2); /* 2, 100 hours */
	assert_hours(o->resolve.median_h, 51);
	assert_hours(o->resolve.p90_h, 100);
	assert_int_equal(o->ack_sla.due, 3);
	assert_int_equal(o->ack_sla.met, 2);
	assert_int_equal(o->resolve_sla.due, 2);
	assert_int_equal(o->resolve_sla.met, 2);

	o = opd_of(ind, "inspektorat");
	assert_int_equal(o->received, 2);
	assert_int_equal(o->open, 2);
	assert_int_equal(o->overdue, 0);
	assert_int_equal(o->ack.n, 0);
	assert_int_equal(o->ack_sla.due, 0);

	assert_int_equal(ind->all.received, 9);
	assert_int_equal(ind->all.open, 5);
	assert_int_equal(ind->all.overdue, 2);
	assert_int_equal(ind->all.ack.n, 6); /* 1 2 4 6 8 20 */
	assert_hours(ind->all.ack.median_h, 5);
	assert_hours(ind->all.ack.p90_h, 20);
	assert_int_equal(ind->all.resolve.n, 4); /* 2 10 30 100 */
	assert_hours(ind->all.resolve.median_h, 20);
	assert_hours(ind->all.resolve.p90_h, 100);
	assert_int_equal(ind->all.ack_sla.due, 7);
	assert_int_equal(ind->all.ack_sla.met, 5);
	assert_int_equal(ind->all.resolve_sla.due, 5);
	assert_int_equal(ind->all.resolve_sla.met, 4);
	indicators_free(ind);
}

static void
test_aging_and_triage(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);

	/* every open report, also those received before the period */
	assert_int_equal(ind->open_now, 7);
	assert_int_equal(ind->aging[IND_AGE_1D], 1);   /* 8 */
	assert_int_equal(ind->aging[IND_AGE_3D], 1);   /* 7 */
	assert_int_equal(ind->aging[IND_AGE_7D], 1);   /* 6 */
	assert_int_equal(ind->aging[IND_AGE_30D], 3);  /* 3, 4, B1 */
	assert_int_equal(ind->aging[IND_AGE_MORE], 1); /* 9 */
	assert_int_equal(ind->triage, 3);
	assert_int_equal(ind->ntriage_oldest, 3);
	assert_string_equal(ind->triage_oldest[0].code, "KDR-AAAAB1");
	assert_int_equal(
	    ind->triage_oldest[0].received_at, D0 - 5 * D + 10 * H);
	assert_int_equal(ind->triage_oldest[0].age_s, 15 * D + 2 * H);
	assert_string_equal(ind->triage_oldest[1].code, "KDR-AAAAA7");
	assert_string_equal(ind->triage_oldest[2].code, "KDR-AAAAA8");
	assert_int_equal(ind->triage_oldest[2].age_s, 3 * H);
	indicators_free(ind);
}

static void
test_hotspots(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);

	/* pungli in Balowerti: 3 reports; pungli in Bangsal: 2, not one */
	assert_int_equal(ind->nhotspots, 1);
	assert_string_equal(ind->hotspots[0].category, "pungli");
	assert_string_equal(
	    ind->hotspots[0].category_name, "Pungutan liar, pungli");
	assert_string_equal(ind->hotspots[0].kelurahan, "Balowerti");
	assert_int_equal(ind->hotspots[0].count, 3);
	indicators_free(ind);

	/* a period without the first report: none left */
	flt.from = D0 + H * 2;
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 8);
	assert_int_equal(ind->nhotspots, 0);
	indicators_free(ind);
}

static void
test_audit(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind = compute(f, &flt);

	assert_int_equal(ind->unseal_count, 2);
	assert_int_equal(ind->nunseals, 2);
	/* the latest first */
	assert_int_equal(ind->unseals[0].at, D0 + 5 * D);
	assert_string_equal(ind->unseals[0].actor, "cli:walikota");
	assert_string_equal(ind->unseals[0].report_code, "KDR-AAAAA5");
	assert_string_equal(ind->unseals[0].reason, "permintaan APIP");
	assert_int_equal(ind->unseals[1].at, D0 + 2 * D);
	assert_string_equal(ind->unseals[1].report_code, "KDR-AAAAA4");
	assert_int_equal(ind->login_failed, 3);
	indicators_free(ind);
}

static void
test_filters(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind;

	flt.opd = "dishub";
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 4);
	assert_int_equal(ind->opds.n, 1);
	assert_int_equal(count_of(&ind->categories, "pungli"), 3);
	assert_int_equal(count_of(&ind->categories, "suap"), 1);
	assert_int_equal(opd_of(ind, "dishub")->received, 4);
	assert_int_equal(opd_of(ind, "dinkes")->received, 0);
	assert_int_equal(ind->all.overdue, 2);
	assert_int_equal(ind->open_now, 3); /* 3, 4 and 9 */
	assert_int_equal(ind->aging[IND_AGE_MORE], 1);
	assert_int_equal(ind->triage, 0);
	assert_int_equal(ind->ntriage_oldest, 0);
	/* the audit is not about one OPD */
	assert_int_equal(ind->unseal_count, 2);
	indicators_free(ind);

	flt = period();
	flt.kecamatan = "pesantren";
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 3);
	assert_int_equal(count_of(&ind->kecamatan, "pesantren"), 3);
	assert_int_equal(ind->kecamatan.n, 1);
	assert_int_equal(count_of(&ind->kelurahan, "Bangsal"), 2);
	assert_int_equal(count_of(&ind->kelurahan, "Betet"), 1);
	assert_int_equal(ind->open_now, 2); /* 6 and B1 */
	assert_int_equal(ind->triage, 1);
	assert_string_equal(ind->triage_oldest[0].code, "KDR-AAAAB1");
	indicators_free(ind);

	flt = period();
	flt.category = "suap";
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 3);
	assert_int_equal(count_of(&ind->opds, "dishub"), 1);
	assert_int_equal(count_of(&ind->opds, "inspektorat"), 1);
	assert_int_equal(count_of(&ind->opds, "dinkes"), 1);
	assert_int_equal(ind->open_now, 3); /* 4, 7 and B1 */
	assert_int_equal(ind->triage, 2);
	indicators_free(ind);

	/* all three together */
	flt = period();
	flt.opd = "dishub";
	flt.kecamatan = "kota";
	flt.category = "suap";
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 1);
	assert_int_equal(ind->open_now, 1);
	indicators_free(ind);

	/* a shorter period: the first three days */
	flt = period();
	flt.to = D0 + 3 * D;
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 4);
	assert_int_equal(ind->days.n, 3);
	assert_int_equal(ind->unseal_count, 1);
	assert_int_equal(ind->login_failed, 1);
	assert_int_equal(ind->open_now, 7); /* not narrowed by the period */
	indicators_free(ind);

	/* the default: the 90 days before now, the older two included */
	memset(&flt, 0, sizeof flt);
	ind = compute(f, &flt);
	assert_int_equal(ind->from, NOW + 1 - 90 * D);
	assert_int_equal(ind->to, NOW + 1);
	assert_int_equal(ind->total, 11);
	assert_int_equal(ind->login_failed, 4);
	assert_int_equal(ind->unseal_count, 3);
	indicators_free(ind);

	/* an empty period is an error */
	flt = period();
	flt.to = flt.from;
	assert_int_equal(indicators_compute(f->ro, f->cfg, &flt, NOW, &ind,
			     f->err, sizeof f->err),
	    -1);
	assert_null(ind);
}

/* A report the config no longer knows is counted under its own id. */
static void
test_unknown_values(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct report r = reports[0];
	struct indicators *ind;

	r.code = "KDR-AAAAC1";
	r.opd = "dinas_lama";
	r.status = "archived";
	r.kelurahan = "Kelurahan Lama";
	insert_report(f, &r);
	ind = compute(f, &flt);
	assert_int_equal(ind->total, 10);
	assert_int_equal(count_of(&ind->opds, "dinas_lama"), 1);
	assert_int_equal(count_of(&ind->kelurahan, "Kelurahan Lama"), 1);
	assert_int_equal(ind->status[IND_STATUS_OTHER], 1);
	assert_int_equal(ind->nopd, 5);
	assert_string_equal(ind->opd[4].id, "dinas_lama");
	assert_string_equal(ind->opd[4].name, "dinas_lama");
	indicators_free(ind);
}

static void
test_filter_parse(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt;

	assert_int_equal(
	    indicators_filter_parse(&flt, f->cfg, "2026-03-02", "2026-03-12",
		"dishub", "kota", "pungli", f->err, sizeof f->err),
	    0);
	assert_int_equal(flt.from, D0);
	assert_int_equal(flt.to, D0 + 11 * D);
	assert_string_equal(flt.opd, "dishub");
	assert_ptr_equal(flt.opd, f->cfg->opds[0].id); /* the config's own */
	assert_string_equal(flt.kecamatan, "kota");
	assert_string_equal(flt.category, "pungli");

	assert_int_equal(indicators_filter_parse(&flt, f->cfg, "", NULL, "",
			     NULL, "", f->err, sizeof f->err),
	    0);
	assert_int_equal(flt.from, 0);
	assert_int_equal(flt.to, 0);
	assert_null(flt.opd);
	assert_null(flt.kecamatan);
	assert_null(flt.category);

	assert_int_equal(indicators_filter_parse(&flt, f->cfg, "2026-02-30",
			     NULL, NULL, NULL, NULL, f->err, sizeof f->err),
	    -1);
	assert_int_equal(
	    indicators_filter_parse(&flt, f->cfg, "2026-03-12", "2026-03-02",
		NULL, NULL, NULL, f->err, sizeof f->err),
	    -1);
	assert_int_equal(
	    indicators_filter_parse(&flt, f->cfg, NULL, NULL, "dinas' OR 1=1",
		NULL, NULL, f->err, sizeof f->err),
	    -1);
	assert_int_equal(indicators_filter_parse(&flt, f->cfg, NULL, NULL, NULL,
			     "mojoroto", NULL, f->err, sizeof f->err),
	    -1);
	assert_int_equal(indicators_filter_parse(&flt, f->cfg, NULL, NULL, NULL,
			     NULL, "lainnya", f->err, sizeof f->err),
	    -1);
}

/* The CSV line of code (without its CRLF), malloc'd; NULL when absent. */
static char *
csv_line(const char *csv, const char *code)
{
	char want[32];
	const char *p, *end;
	char *line;

	snprintf(want, sizeof want, "\r\n%s,", code);
	if ((p = strstr(csv, want)) == NULL)
		return NULL;
	p += 2;
	end = strstr(p, "\r\n");
	assert_non_null(end);
	line = strndup(p, (size_t)(end - p));
	assert_non_null(line);
	return line;
}

static void
test_csv(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	char *csv = NULL, *line;
	size_t len = 0, rows = 0;
	const char *p;

	assert_int_equal(indicators_csv(f->ro, f->cfg, &flt, &csv, &len, f->err,
			     sizeof f->err),
	    0);
	assert_non_null(csv);
	assert_int_equal(strlen(csv), len);
	assert_true(strncmp(csv,
			"code,received_at,channel,category,opd,kecamatan,"
			"kelurahan,status,ack_due,resolve_due,"
			"acknowledged_at,resolved_at,overdue\r\n",
			strlen("code,received_at,channel,category,opd,"
			       "kecamatan,kelurahan,status,ack_due,"
			       "resolve_due,acknowledged_at,resolved_at,"
			       "overdue\r\n")) == 0);
	for (p = csv; (p = strstr(p, "\r\n")) != NULL; p += 2)
		rows++;
	assert_int_equal(rows, 1 + 9); /* the header and the period's 9 */
	assert_null(strstr(csv, "RAHASIA"));
	assert_null(strstr(csv, "0812"));
	assert_null(strstr(csv, "KDR-AAAAA9")); /* before the period */

	/* oldest first; the local date only; quoted names; local times */
	assert_true(strncmp(strchr(csv, '\n') + 1, "KDR-AAAAA1,", 11) == 0);
	line = csv_line(csv, "KDR-AAAAA1");
	assert_non_null(line);
	assert_string_equal(line,
	    "KDR-AAAAA1,2026-03-02,wa,\"Pungutan liar, pungli\","
	    "Dinas Perhubungan,Kecamatan Kota,Balowerti,resolved,"
	    "2026-03-05T00:00:00+07:00,2026-03-12T00:00:00+07:00,"
	    "2026-03-02T03:00:00+07:00,2026-03-02T11:00:00+07:00,0");
	free(line);
	/* an embedded quote is doubled; deadlines long past: overdue */
	line = csv_line(csv, "KDR-AAAAA6");
	assert_non_null(line);
	assert_string_equal(line,
	    "KDR-AAAAA6,2026-03-06,sms,\"Pungutan liar, pungli\","
	    "\"Dinas \"\"Sehat\"\" Kesehatan\",Kecamatan Pesantren,Bangsal,"
	    "in_progress,2026-03-09T00:00:00+07:00,"
	    "2026-04-05T00:00:00+07:00,2026-03-06T19:00:00+07:00,,1");
	free(line);
	/* no place: empty fields */
	line = csv_line(csv, "KDR-AAAAA7");
	assert_non_null(line);
	assert_string_equal(
	    line, "KDR-AAAAA7,2026-03-11,wa,Suap,Inspektorat,,,triage,,,,,0");
	free(line);
	free(csv);

	flt.opd = "dinkes";
	assert_int_equal(indicators_csv(f->ro, f->cfg, &flt, &csv, &len, f->err,
			     sizeof f->err),
	    0);
	for (rows = 0, p = csv; (p = strstr(p, "\r\n")) != NULL; p += 2)
		rows++;
	assert_int_equal(rows, 1 + 3);
	assert_null(strstr(csv, "Dinas Perhubungan"));
	free(csv);
}

static int
contains(const char *page, const char *what)
{
	return strstr(page, what) != NULL;
}

static void
test_render(void **state)
{
	static const char *const headings[] = {"<h2>Volume dan tren</h2>",
	    "<h2>Saluran</h2>", "<h2>Kategori</h2>", "<h2>OPD</h2>",
	    "<h2>Kecamatan</h2>", "<h2>Kelurahan</h2>", "<h2>Alur status</h2>",
	    "<h2>Kinerja OPD</h2>", "<h2>Umur laporan terbuka</h2>",
	    "<h2>Titik rawan</h2>", "<h2>Masih di triase</h2>",
	    "<h2>Kesehatan kerahasiaan</h2>"};
	static const struct html_user mayor = {
	    "walikota", "mayor", NULL, "csrf-token"};
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind;
	char *page, *small;
	size_t len, i;

	flt.kecamatan = "kota";
	ind = compute(f, &flt);
	page = mayor_view_render(ind, f->cfg, &flt, &mayor, 0, &len);
	assert_non_null(page);
	assert_int_equal(strlen(page), len);
	for (i = 0; i < TESTLIB_COUNT(headings); i++)
		if (!contains(page, headings[i]))
			fail_msg("no %s", headings[i]);
	assert_true(contains(page, "<!doctype html>"));
	assert_true(contains(page, "</html>"));
	/* the form: the period, the chosen kecamatan, "Semua" */
	assert_true(contains(page, "name=\"from\" value=\"2026-03-02\""));
	assert_true(contains(page, "name=\"to\" value=\"2026-03-12\""));
	assert_true(contains(page, "<option value=\"kota\" selected>"));
	assert_true(contains(page, "<option value=\"\">Semua</option>"));
	assert_true(contains(page,
	    "href=\"/mayor.csv?from=2026-03-02&amp;to=2026-03-12&amp;"
	    "kecamatan=kota\""));
	/* exact small numbers for the mayor */
	assert_true(
	    contains(page, "Dinas Perhubungan</td><td class=\"num\">4</td>"));
	assert_false(contains(page, "&lt;5"));
	/* triage: every open report, linked */
	assert_true(contains(page, "<a href=\"/reports/KDR-AAAAA8\">"));
	/* the unseal reason is escaped */
	assert_true(contains(page, "&lt;b&gt;pemeriksaan&lt;/b&gt;"));
	assert_false(contains(page, "<b>pemeriksaan"));
	assert_true(contains(page, "Pungutan liar, pungli"));
	assert_true(contains(page, ">Dinas &quot;Sehat&quot; Kesehatan<"));
	assert_false(contains(page, "RAHASIA"));

	small = mayor_view_render(ind, f->cfg, &flt, &mayor, 1, &len);
	assert_non_null(small);
	assert_true(contains(
	    small, "Dinas Perhubungan</td><td class=\"num\">&lt;5</td>"));
	assert_false(
	    contains(small, "Dinas Perhubungan</td><td class=\"num\">4</td>"));
	/* the 5 reports of Kecamatan Kota are shown as they are */
	assert_true(contains(small, ">5</text>"));
	assert_false(contains(small, ">4</text>"));
	assert_false(contains(small, ">3</text>"));
	assert_false(contains(small, ": 3</title>"));
	free(small);
	free(page);
	indicators_free(ind);
}

static void
test_section(void **state)
{
	struct fixture *f = *state;
	struct indicator_filter flt = period();
	struct indicators *ind;
	struct html h;
	char *out;

	flt.opd = "dishub";
	ind = compute(f, &flt);
	html_init(&h);
	indicators_section(&h, ind, f->cfg, 1);
	out = html_take(&h, NULL);
	assert_non_null(out);
	assert_true(contains(out, "<h2>Volume dan tren</h2>"));
	assert_true(contains(out, "<h2>Kinerja OPD</h2>"));
	assert_false(contains(out, "Kesehatan kerahasiaan"));
	assert_false(contains(out, "<html"));
	assert_true(contains(out,
	    "Dinas Perhubungan</td><td class=\"num\">"
	    "&lt;5</td>"));
	assert_false(contains(out, "Dinas Lingkungan Hidup"));
	free(out);
	indicators_free(ind);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_counts_by_dimension, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_series, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_opd_performance, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_aging_and_triage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hotspots, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_unknown_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filter_parse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_render, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_section, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
