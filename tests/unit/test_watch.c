/*
 * Unit tests of queue/watch.c, the deadline watcher, on a real database in
 * a temp dir and a config written there, with a fixed clock: the first
 * alert to an OPD's head and deputy, once; the [category] also_notify
 * copy, once, even after a TOLAK sends the report to triage and its new
 * OPD is alerted, and after triage routes it back; no reminder right after
 * a late first alert; the reminder before each deadline and the escalation at
 * it (with its mark and history row), never twice; no acknowledgement
 * reminder once acknowledged, nothing once resolved; escalation without a
 * reminder after a long outage; the same across store reopens;
 * watch_deadlines() (clock time exact under an hour, whole hours above,
 * working days to 23:59:59 WIB past weekends and holidays); the daily
 * digest (counts only, once a local day from [digest] at); and one pass
 * looking at no more than WATCH_BATCH reports.  The outbox is read with
 * store_each_outbox, marks and watch_at through a second connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/audit.h"
#include "queue/store.h"
#include "queue/seal.h"
#include "queue/watch.h"

/* Monday 2 March 2026, 10:15:07 WIB: reports are received then. */
#define T0 ((time_t)1772421307)

#define DISHUB_HEAD    "+6281100000105"
#define DISHUB_DEPUTY  "+6281100000205"
#define INSPEKTUR      "+6281100000107"
#define MAYOR	       "+6281234567890"
#define REPORT_TEXT    "petugas minta uang rokok 081234567890"
#define ALERTED_COPIED (STORE_MARK_ALERTED | STORE_MARK_COPIED)
#define ALL_MARKS      0x3f
#define WATCH_AT_SQL   "SELECT watch_at FROM reports WHERE id = ?1"
#define MARKS_SQL      "SELECT marks FROM reports WHERE id = ?1"

/*
 * Dishub (head on WhatsApp, deputy on SMS) and the Inspektorat (head on
 * WhatsApp), triage and escalation; "pungli" copies the Inspektorat,
 * "jalan" copies nobody.  10 s to acknowledge, 60 s to resolve, reminders
 * 4 s before.
 */
#define CONFIG                                                                 \
	TESTLIB_CONFIG_MINIMAL                                                 \
	"[channel sms]\n"                                                      \
	"provider = android_sms_gateway\n"                                     \
	"signing_key = k\n"                                                    \
	"[opd dishub]\n"                                                       \
	"name = Dishub\n"                                                      \
	"head = 0811 0000 0105\n"                                              \
	"head_channel = wa\n"                                                  \
	"deputy = 0811-0000-0205\n"                                            \
	"deputy_channel = sms\n"                                               \
	"[opd inspektorat]\n"                                                  \
	"name = Inspektorat\n"                                                 \
	"head = 0811 0000 0107\n"                                              \
	"head_channel = wa\n"                                                  \
	"[routing]\n"                                                          \
	"triage = inspektorat\n"                                               \
	"[category pungli]\n"                                                  \
	"name = Pungutan liar\n"                                               \
	"also_notify = inspektorat\n"                                          \
	"[category jalan]\n"                                                   \
	"name = Jalan rusak\n"

#define SLA                                                                    \
	"[sla]\n"                                                              \
	"acknowledge = 10s\n"                                                  \
	"resolve = 60s\n"                                                      \
	"remind_before = 4s\n"                                                 \
	"escalate_to = inspektorat\n"

#define DIGEST                                                                 \
	"[digest]\n"                                                           \
	"to = 0812 3456 7890\n"                                                \
	"channel = wa\n"                                                       \
	"at = 07:00\n"                                                         \
	"[holidays]\n" /* one ahead: the digest has no warning to add */       \
	"dates = 2026-05-01\n"

/* One outbox row as store_each_outbox lists it. */
struct msg {
	long long id, report_id;
	char kind[16], channel[8], status[12], destination[20];
	char body[512];
	int has_template, has_code;
};

#define MSGS_MAX 256

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char db[TESTLIB_PATH_MAX];
	struct testlib_config conf;
	const char *conf_text;
	struct config *cfg;
	struct store *s;
	char err[256];
	struct msg msgs[MSGS_MAX];
	int nmsgs;
	const char *subject; /* of the reports added next, NULL: their opd */
};

static void
open_all(struct fixture *f)
{
	f->cfg = testlib_config_must_load(&f->conf, f->conf_text);
	f->s = store_open(f->db, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("%s", f->err);
}

static void
close_all(struct fixture *f)
{
	store_close(f->s);
	config_free(f->cfg);
	f->s = NULL;
	f->cfg = NULL;
}

/* A stop and a start of the daemon: the store and the config again. */
static void
restart(struct fixture *f)
{
	close_all(f);
	open_all(f);
}

/* Use another config from now on. */
static void
use_config(struct fixture *f, const char *text)
{
	config_free(f->cfg);
	f->conf_text = text;
	f->cfg = testlib_config_must_load(&f->conf, text);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-watch"), 0);
	testlib_path(f->db, f->dir, "w.db");
	snprintf(f->conf.dir, sizeof f->conf.dir, "%s", f->dir);
	testlib_path(f->conf.path, f->dir, "w.conf");
	f->conf_text = CONFIG SLA;
	open_all(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	close_all(f);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

static void
begin(struct fixture *f)
{
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
}

static void
commit(struct fixture *f)
{
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
}

/* Reading and writing the file through a second connection. */

/* The first column of the first row of sql (?1 = arg): -1 for NULL. */
static long long
query_int(struct fixture *f, const char *sql, long long arg)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(
	    sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
assert_watch(struct fixture *f, long long id, int marks, long long watch_at)
{
	assert_int_equal(query_int(f, MARKS_SQL, id), marks);
	assert_int_equal(query_int(f, WATCH_AT_SQL, id), watch_at);
}

/* Reports. */

struct report {
	long long id;
	char code[STORE_CODE_MAX];
	time_t ack_due, resolve_due;
};

/* A report received at received with the deadlines given (0: none). */
static void
add_report_due(struct fixture *f, const char *category, const char *opd,
    time_t received, time_t ack_due, time_t resolve_due, struct report *out)
{
	struct store_report r;

	memset(&r, 0, sizeof r);
	randombytes_buf(r.uid, sizeof r.uid);
	randombytes_buf(r.dedupe, sizeof r.dedupe);
	store_new_code("KDR", r.code);
	r.channel = "wa";
	r.type = "text";
	r.text = REPORT_TEXT;
	r.received_at = received;
	r.status = "routed";
	r.category = category;
	r.opd = opd;
	r.subject = f->subject != NULL ? f->subject : opd;
	r.ack_due = ack_due;
	r.resolve_due = resolve_due;
	begin(f);
	assert_int_equal(
	    store_insert_report(f->s, &r, "KDR", f->err, sizeof f->err), 0);
	commit(f);
	assert_false(r.duplicate);
	out->id = r.id;
	snprintf(out->code, sizeof out->code, "%s", r.code);
	out->ack_due = ack_due;
	out->resolve_due = resolve_due;
}

/* A report received at received, deadlines from [sla] as intake sets them. */
static void
add_report(struct fixture *f, const char *category, const char *opd,
    time_t received, struct report *out)
{
	time_t ack, resolve;

	watch_deadlines(f->cfg, received, &ack, &resolve);
	add_report_due(f, category, opd, received, ack, resolve, out);
}

static void
transition(struct fixture *f, const struct store_transition *t)
{
	begin(f);
	assert_int_equal(store_transition(f->s, t, f->err, sizeof f->err), 0);
	commit(f);
}

/* A head's TERIMA (acknowledged) or SELESAI (resolved) at at. */
static void
head_moves(struct fixture *f, const struct report *r, const char *from,
    const char *to, time_t at)
{
	struct store_transition t = {
	    .id = r->id,
	    .from = from,
	    .to = to,
	    .action = strcmp(to, "resolved") == 0 ? "resolve" : "acknowledge",
	    .actor = "head:dishub",
	    .acknowledged = strcmp(to, "acknowledged") == 0,
	    .resolved = strcmp(to, "resolved") == 0,
	    .at = at,
	};

	if (t.resolved)
		t.note = "jalan sudah ditambal";
	transition(f, &t);
}

/* Passes. */

/* One pass at now in its own transaction: the reports looked at. */
static int
pass(struct fixture *f, time_t now, int *queued)
{
	int n;

	*queued = 0;
	begin(f);
	n = watch_pass(f->s, f->cfg, now, queued, f->err, sizeof f->err);
	if (n == -1)
		fail_msg("watch_pass: %s", f->err);
	commit(f);
	return n;
}

/* A pass at now looks at looked reports and queues queued messages. */
static void
assert_pass(struct fixture *f, time_t now, int looked, int queued)
{
	int got_queued, got = pass(f, now, &got_queued);

	if (got != looked || got_queued != queued)
		fail_msg(
		    "pass at T0%+lld: looked at %d, queued %d; want %d, %d",
		    (long long)(now - T0), got, got_queued, looked, queued);
}

/* The outbox. */

static int
collect(const struct store_outbox_row *o, void *arg)
{
	struct fixture *f = arg;
	struct msg *m;

	assert_true(f->nmsgs < MSGS_MAX);
	m = &f->msgs[f->nmsgs++];
	memset(m, 0, sizeof *m);
	m->id = o->id;
	m->report_id = o->report_id;
	snprintf(m->kind, sizeof m->kind, "%s", o->kind);
	snprintf(m->channel, sizeof m->channel, "%s", o->channel);
	snprintf(m->status, sizeof m->status, "%s", o->status);
	snprintf(m->destination, sizeof m->destination, "%s",
	    o->destination != NULL ? o->destination : "(null)");
	snprintf(m->body, sizeof m->body, "%s",
	    o->body != NULL ? o->body : "(null)");
	m->has_template = o->template_name != NULL;
	m->has_code = o->report_code != NULL;
	assert_int_equal(o->sealed_len, 0);
	return 0;
}

/* Read the whole outbox into f->msgs: how many rows. */
static int
outbox(struct fixture *f)
{
	f->nmsgs = 0;
	assert_int_equal(
	    store_each_outbox(f->s, collect, f, f->err, sizeof f->err), 0);
	return f->nmsgs;
}

/* Outbox row i (0: the oldest) is kind to destination on channel about r. */
static void
assert_msg(struct fixture *f, int i, const char *kind, const char *channel,
    const char *destination, const struct report *r)
{
	const struct msg *m;

	assert_true(i < f->nmsgs);
	m = &f->msgs[i];
	assert_string_equal(m->kind, kind);
	assert_string_equal(m->channel, channel);
	assert_string_equal(m->destination, destination);
	assert_string_equal(m->status, "queued");
	assert_false(m->has_template); /* no alert_template configured */
	assert_int_equal(m->report_id, r->id);
	if (strstr(m->body, r->code) == NULL)
		fail_msg("row %d does not name %s: %s", i, r->code, m->body);
	/* the report's text never reaches an alert (alert_text = none) */
	assert_null(strstr(m->body, "rokok"));
	assert_null(strstr(m->body, "081234567890"));
}

static void
assert_body_has(struct fixture *f, int i, const char *what)
{
	if (strstr(f->msgs[i].body, what) == NULL)
		fail_msg("row %d lacks \"%s\": %s", i, what, f->msgs[i].body);
}

/* The heads of Dishub were told kind, rows first and first + 1. */
static void
assert_dishub_told(
    struct fixture *f, int first, const char *kind, const struct report *r)
{
	assert_msg(f, first, kind, "wa", DISHUB_HEAD, r);
	assert_msg(f, first + 1, kind, "sms", DISHUB_DEPUTY, r);
}

/* History. */

struct history {
	int n, escalations;
	time_t at[8];
	char action[8][16], note[8][64];
};

static int
collect_history(const struct store_history_row *h, void *arg)
{
	struct history *hs = arg;

	assert_true(hs->n < 8);
	hs->at[hs->n] = h->at;
	snprintf(hs->action[hs->n], sizeof hs->action[0], "%s", h->action);
	snprintf(hs->note[hs->n], sizeof hs->note[0], "%s",
	    h->note != NULL ? h->note : "(null)");
	if (strcmp(h->action, "escalate") == 0) {
		hs->escalations++;
		assert_string_equal(h->actor, "system");
		assert_null(h->from_status);
		assert_null(h->to_status);
	}
	hs->n++;
	return 0;
}

static struct history
history_of(struct fixture *f, const struct report *r)
{
	struct history hs;

	memset(&hs, 0, sizeof hs);
	assert_int_equal(store_each_history(f->s, r->code, collect_history, &hs,
			     f->err, sizeof f->err),
	    0);
	return hs;
}

/* The tests. */

static void
test_first_alert_once(void **state)
{
	struct fixture *f = *state;
	struct report r;
	char want[1024];

	add_report(f, "jalan", "dishub", T0, &r);
	assert_int_equal(r.ack_due, T0 + 10);
	assert_int_equal(r.resolve_due, T0 + 60);
	assert_watch(f, r.id, 0, 0);

	assert_pass(f, T0 + 1, 1, 2);
	assert_int_equal(outbox(f), 2);
	assert_dishub_told(f, 0, "alert", &r);
	assert_true(f->msgs[0].has_code);
	snprintf(want, sizeof want,
	    "[Hotline Kota Kediri] Laporan baru %s untuk Dishub.\n"
	    "Jenis: Jalan rusak. Lokasi: belum diketahui.\n"
	    "Balas TERIMA %s sebelum Senin 02-03-2026 10:15 WIB.\n"
	    "Rincian: http://hotline.test/reports/%s",
	    r.code, r.code, r.code);
	assert_string_equal(f->msgs[0].body, want);
	assert_string_equal(f->msgs[1].body, want);
	/* no copy for jalan, but the copy is settled; next: the reminder */
	assert_watch(f, r.id, ALERTED_COPIED, T0 + 6);

	/* the same clock again, and up to the reminder: nothing */
	assert_pass(f, T0 + 1, 0, 0);
	assert_pass(f, T0 + 5, 0, 0);
	assert_int_equal(outbox(f), 2);
	assert_watch(f, r.id, ALERTED_COPIED, T0 + 6);
	assert_int_equal(history_of(f, &r).n, 0);
}

/*
 * A report that accuses the Inspektorat's own head is handled elsewhere
 * (here Dishub stands for an outside APIP): "pungli" copies the
 * Inspektorat, which gets no copy of the report about itself.
 */
static void
test_no_copy_to_the_accused(void **state)
{
	struct fixture *f = *state;
	struct report r;

	f->subject = "inspektorat";
	add_report(f, "pungli", "dishub", T0, &r);
	f->subject = NULL;
	assert_pass(f, T0 + 1, 1, 2);
	assert_int_equal(outbox(f), 2);
	assert_dishub_told(f, 0, "alert", &r);
	assert_watch(f, r.id, ALERTED_COPIED, T0 + 6);
}

static void
test_copy_once_across_reject(void **state)
{
	struct fixture *f = *state;
	struct store_transition tolak = {
	    .from = "routed",
	    .to = "triage",
	    .opd = "inspektorat",
	    .action = "reject",
	    .actor = "head:dishub",
	    .note = "bukan wewenang Dishub",
	    .at = T0 + 2,
	};
	struct store_transition back = {
	    .from = "triage",
	    .to = "routed",
	    .opd = "dishub",
	    .action = "route",
	    .actor = "triage",
	    .at = T0 + 7,
	};
	struct report r;

	add_report(f, "pungli", "dishub", T0, &r);
	assert_pass(f, T0 + 1, 1, 3);
	assert_int_equal(outbox(f), 3);
	assert_dishub_told(f, 0, "alert", &r);
	assert_msg(f, 2, "alert", "wa", INSPEKTUR, &r);
	/* the copy names the OPD the report is at */
	assert_body_has(f, 2, "untuk Dishub.");
	assert_watch(f, r.id, ALERTED_COPIED, T0 + 6);

	/* TOLAK: back to triage, the Inspektorat's; it is looked at again */
	tolak.id = r.id;
	transition(f, &tolak);
	assert_watch(f, r.id, STORE_MARK_COPIED, 0);
	assert_pass(f, T0 + 2, 1, 1);
	assert_int_equal(outbox(f), 4);
	assert_msg(f, 3, "alert", "wa", INSPEKTUR, &r);
	assert_body_has(f, 3, "untuk Inspektorat.");
	assert_watch(f, r.id, ALERTED_COPIED, T0 + 6);
	assert_pass(f, T0 + 2, 0, 0);

	/* the reminder goes to the new OPD only */
	assert_pass(f, T0 + 6, 1, 1);
	assert_int_equal(outbox(f), 5);
	assert_msg(f, 4, "reminder", "wa", INSPEKTUR, &r);

	/*
	 * Triage routes it back to Dishub: Dishub's heads are alerted
	 * afresh, the Inspektorat (no longer the owner) gets no second copy.
	 */
	back.id = r.id;
	transition(f, &back);
	assert_watch(f, r.id, STORE_MARK_COPIED | STORE_MARK_REMINDED_ACK, 0);
	assert_pass(f, T0 + 7, 1, 2);
	assert_int_equal(outbox(f), 7);
	assert_dishub_told(f, 5, "alert", &r);
	assert_watch(
	    f, r.id, ALERTED_COPIED | STORE_MARK_REMINDED_ACK, T0 + 10);
	assert_pass(f, T0 + 7, 0, 0);
	assert_int_equal(outbox(f), 7);
}

/* First looked at between a reminder's time and the deadline. */
static void
test_alert_after_reminder_time(void **state)
{
	struct fixture *f = *state;
	struct report r;

	add_report(f, "jalan", "dishub", T0, &r);
	/* the alert names the deadline: no reminder right after it */
	assert_pass(f, T0 + 7, 1, 2);
	assert_int_equal(outbox(f), 2);
	assert_dishub_told(f, 0, "alert", &r);
	assert_watch(
	    f, r.id, ALERTED_COPIED | STORE_MARK_REMINDED_ACK, T0 + 10);
	assert_pass(f, T0 + 9, 0, 0);
	assert_pass(f, T0 + 10, 1, 1);
	assert_int_equal(outbox(f), 3);
	assert_msg(f, 2, "escalation", "wa", INSPEKTUR, &r);
}

/*
 * The whole life of a report nobody answers: alert, reminder, escalation
 * for each deadline, each once.  With restart set, the store and the
 * config are closed and opened again before every pass.
 */
static void
unanswered(struct fixture *f, int restarts)
{
	static const time_t quiet[] = {T0 + 2, T0 + 5}; /* before reminding */
	struct history hs;
	struct report r;
	size_t i;

	add_report(f, "jalan", "dishub", T0, &r);
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 1, 1, 2);
	for (i = 0; i < TESTLIB_COUNT(quiet); i++) {
		if (restarts)
			restart(f);
		assert_pass(f, quiet[i], 0, 0);
	}
	assert_int_equal(outbox(f), 2);

	/* ack_due - 4 s: the heads are reminded to acknowledge */
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 6, 1, 2);
	assert_int_equal(outbox(f), 4);
	assert_dishub_told(f, 2, "reminder", &r);
	assert_body_has(f, 2, "harus diterima (balas TERIMA ");
	assert_body_has(f, 2, "sebelum Senin 02-03-2026 10:15 WIB");
	assert_watch(
	    f, r.id, ALERTED_COPIED | STORE_MARK_REMINDED_ACK, T0 + 10);
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 6, 0, 0);
	assert_pass(f, T0 + 9, 0, 0);

	/* ack_due: escalated to the Inspektorat, marked, in the history */
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 10, 1, 1);
	assert_int_equal(outbox(f), 5);
	assert_msg(f, 4, "escalation", "wa", INSPEKTUR, &r);
	assert_body_has(f, 4, "untuk Dishub");
	assert_body_has(f, 4, "belum diterima (balas TERIMA ");
	assert_watch(f, r.id,
	    ALERTED_COPIED | STORE_MARK_REMINDED_ACK | STORE_MARK_ESCALATED_ACK,
	    T0 + 56);
	hs = history_of(f, &r);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.escalations, 1);
	assert_int_equal(hs.at[0], T0 + 10);
	assert_string_equal(hs.note[0], "acknowledge deadline missed");

	if (restarts)
		restart(f);
	assert_pass(f, T0 + 11, 0, 0);
	assert_pass(f, T0 + 55, 0, 0);

	/* resolve_due - 4 s: reminded to resolve */
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 56, 1, 2);
	assert_int_equal(outbox(f), 7);
	assert_dishub_told(f, 5, "reminder", &r);
	assert_body_has(f, 5, "harus diselesaikan (balas SELESAI ");
	assert_body_has(f, 5, "sebelum Senin 02-03-2026 10:16 WIB");
	assert_watch(
	    f, r.id, ALL_MARKS & ~STORE_MARK_ESCALATED_RESOLVE, T0 + 60);

	/* resolve_due: the second escalation; nothing left to watch */
	if (restarts)
		restart(f);
	assert_pass(f, T0 + 60, 1, 1);
	assert_int_equal(outbox(f), 8);
	assert_msg(f, 7, "escalation", "wa", INSPEKTUR, &r);
	assert_body_has(f, 7, "belum diselesaikan (balas SELESAI ");
	assert_watch(f, r.id, ALL_MARKS, -1);
	hs = history_of(f, &r);
	assert_int_equal(hs.n, 2);
	assert_int_equal(hs.escalations, 2);
	assert_int_equal(hs.at[1], T0 + 60);
	assert_string_equal(hs.note[1], "resolve deadline missed");

	if (restarts)
		restart(f);
	assert_pass(f, T0 + 61, 0, 0);
	assert_pass(f, T0 + 86400, 0, 0);
	assert_int_equal(outbox(f), 8);
	assert_int_equal(history_of(f, &r).n, 2);
}

static void
test_reminders_and_escalations(void **state)
{
	unanswered(*state, 0);
}

static void
test_deadlines_survive_restart(void **state)
{
	unanswered(*state, 1);
}

static void
test_acknowledged_then_resolved(void **state)
{
	struct fixture *f = *state;
	struct report a, b;
	int i;

	add_report(f, "jalan", "dishub", T0, &a);
	add_report(f, "jalan", "dishub", T0, &b);
	assert_pass(f, T0 + 1, 2, 4);
	head_moves(f, &a, "routed", "acknowledged", T0 + 3);
	head_moves(f, &b, "routed", "acknowledged", T0 + 3);
	assert_int_equal(
	    query_int(
		f, "SELECT acknowledged_at FROM reports WHERE id = ?1", a.id),
	    T0 + 3);
	/* looked at once more: only the resolve deadline is left */
	assert_pass(f, T0 + 3, 2, 0);
	assert_watch(f, a.id, ALERTED_COPIED, T0 + 56);
	assert_watch(f, b.id, ALERTED_COPIED, T0 + 56);
	/* neither a reminder nor an escalation to acknowledge */
	assert_pass(f, T0 + 6, 0, 0);
	assert_pass(f, T0 + 10, 0, 0);
	assert_pass(f, T0 + 30, 0, 0);
	assert_int_equal(outbox(f), 4);
	assert_int_equal(history_of(f, &a).escalations, 0);

	assert_pass(f, T0 + 56, 2, 4);
	assert_int_equal(outbox(f), 8);
	for (i = 4; i < 8; i += 2)
		assert_dishub_told(f, i, "reminder", i == 4 ? &a : &b);
	assert_body_has(f, 4, "harus diselesaikan");

	/* b is resolved in time: looked at once, then never again */
	head_moves(f, &b, "acknowledged", "resolved", T0 + 58);
	assert_pass(f, T0 + 58, 1, 0);
	assert_watch(f, b.id, ALERTED_COPIED | STORE_MARK_REMINDED_RESOLVE, -1);
	assert_int_equal(
	    query_int(f, "SELECT resolved_at FROM reports WHERE id = ?1", b.id),
	    T0 + 58);

	/* a is not: escalated at resolve_due, b is left alone */
	assert_pass(f, T0 + 60, 1, 1);
	assert_int_equal(outbox(f), 9);
	assert_msg(f, 8, "escalation", "wa", INSPEKTUR, &a);
	assert_watch(f, a.id,
	    ALERTED_COPIED | STORE_MARK_REMINDED_RESOLVE |
		STORE_MARK_ESCALATED_RESOLVE,
	    -1);
	assert_watch(f, b.id, ALERTED_COPIED | STORE_MARK_REMINDED_RESOLVE, -1);
	assert_int_equal(history_of(f, &a).escalations, 1);
	assert_int_equal(history_of(f, &b).escalations, 0);
	assert_pass(f, T0 + 3600, 0, 0);
	assert_int_equal(outbox(f), 9);
}

static void
test_late_pass_escalates_without_reminders(void **state)
{
	struct fixture *f = *state;
	struct report early, late;
	struct history hs;
	int i;

	/* early was alerted; late was received while the daemon was down */
	add_report(f, "jalan", "dishub", T0, &early);
	assert_pass(f, T0 + 1, 1, 2);
	add_report(f, "jalan", "dishub", T0, &late);

	assert_pass(f, T0 + 1000, 2, 6);
	assert_int_equal(outbox(f), 8);
	assert_dishub_told(f, 0, "alert", &early);
	/* late first (watch_at 0): its alert, then both escalations */
	assert_dishub_told(f, 2, "alert", &late);
	assert_msg(f, 4, "escalation", "wa", INSPEKTUR, &late);
	assert_body_has(f, 4, "belum diterima");
	assert_msg(f, 5, "escalation", "wa", INSPEKTUR, &late);
	assert_body_has(f, 5, "belum diselesaikan");
	assert_msg(f, 6, "escalation", "wa", INSPEKTUR, &early);
	assert_msg(f, 7, "escalation", "wa", INSPEKTUR, &early);
	for (i = 0; i < 8; i++)
		assert_string_not_equal(f->msgs[i].kind, "reminder");
	assert_watch(f, early.id, ALL_MARKS, -1);
	assert_watch(f, late.id, ALL_MARKS, -1);
	hs = history_of(f, &late);
	assert_int_equal(hs.escalations, 2);
	assert_int_equal(hs.at[0], T0 + 1000);
	assert_int_equal(hs.at[1], T0 + 1000);
	assert_int_equal(history_of(f, &early).escalations, 2);
	assert_pass(f, T0 + 2000, 0, 0);
	assert_int_equal(outbox(f), 8);
}

/* Thursday 5 March 2026, 10:21:09 WIB; Monday 9 March is a holiday. */
#define THU_MORNING ((time_t)1772680869)
#define THU_LATE    ((time_t)1772728200) /* Thursday 23:30 WIB */
#define FRI_EARLY   ((time_t)1772733600) /* Friday 01:00 WIB */
#define WED_11_END  ((time_t)1773248399) /* Wed 11 March 23:59:59 WIB */
#define THU_12_END  ((time_t)1773334799) /* Thu 12 March 23:59:59 WIB */
#define FRI_20_END  ((time_t)1774025999) /* Fri 20 March 23:59:59 WIB */

static void
test_watch_deadlines(void **state)
{
	struct fixture *f = *state;
	time_t hour = T0 - T0 % 3600, ack, resolve;

	/* under an hour: to the second */
	watch_deadlines(f->cfg, T0, &ack, &resolve);
	assert_int_equal(ack, T0 + 10);
	assert_int_equal(resolve, T0 + 60);
	use_config(f,
	    CONFIG "[sla]\nacknowledge = 59m\nresolve = 2h\n"
		   "remind_before = 4s\n");
	watch_deadlines(f->cfg, T0, &ack, &resolve);
	assert_int_equal(ack, T0 + 59 * 60);
	/* 2 h: rounded up to the next whole hour, 12:00 WIB */
	assert_int_equal(resolve, hour + 3 * 3600);
	assert_int_equal(resolve, 1772431200);
	/* already on the hour: stays */
	watch_deadlines(f->cfg, hour, &ack, &resolve);
	assert_int_equal(ack, hour + 59 * 60);
	assert_int_equal(resolve, hour + 2 * 3600);
	use_config(f,
	    CONFIG "[sla]\nacknowledge = 1h\nresolve = 1d\n"
		   "remind_before = 4s\n");
	watch_deadlines(f->cfg, hour + 1, &ack, &resolve);
	assert_int_equal(ack, hour + 2 * 3600);
	assert_int_equal(resolve, hour + 86400 + 3600);

	/* working days: Fri 6, (Sat, Sun, holiday Mon 9), Tue 10, Wed 11 */
	use_config(f,
	    CONFIG "[sla]\nacknowledge = 3 wd\nresolve = 10 wd\n"
		   "[holidays]\ndates = 2026-03-09\n");
	watch_deadlines(f->cfg, THU_MORNING, &ack, &resolve);
	assert_int_equal(ack, WED_11_END);
	assert_int_equal(resolve, FRI_20_END);
	/* whatever the hour of Thursday, local time */
	watch_deadlines(f->cfg, THU_LATE, &ack, &resolve);
	assert_int_equal(ack, WED_11_END);
	/* Friday 01:00 WIB is still Thursday in UTC: Friday counts here */
	watch_deadlines(f->cfg, FRI_EARLY, &ack, &resolve);
	assert_int_equal(ack, THU_12_END);
	/* without the holiday, a day earlier */
	use_config(f, CONFIG "[sla]\nacknowledge = 3 wd\nresolve = 10 wd\n");
	watch_deadlines(f->cfg, THU_MORNING, &ack, &resolve);
	assert_int_equal(ack, WED_11_END - 86400);
}

/* Tuesday 14 April 2026, 07:00:00 WIB (00:00 UTC). */
#define DIGEST_AT ((time_t)1776124800)
#define HOUR	  3600
#define DAY	  86400

static int
digests(struct fixture *f, const struct msg **last)
{
	int i, n = 0;

	outbox(f);
	for (i = 0; i < f->nmsgs; i++)
		if (strcmp(f->msgs[i].kind, "digest") == 0) {
			n++;
			*last = &f->msgs[i];
		}
	return n;
}

/* An audit row of action, committed: audit_write()'s result. */
static int
audit_row_now(struct fixture *f, const char *action)
{
	const struct audit_entry e = {"cli:test", action, NULL, NULL, NULL};

	return audit_write(f->s, &e, f->err, sizeof f->err);
}

static void
test_digest(void **state)
{
	struct fixture *f = *state;
	const time_t later = DIGEST_AT + 10 * DAY;
	struct store_transition t = {.actor = "head:dishub"};
	const struct msg *m = NULL;
	struct report r[5];
	char fp[SEAL_FINGERPRINT_TEXT], want[512], head[AUDIT_HEAD_TEXT];
	long long audit_rows;
	size_t i;

	use_config(f, CONFIG SLA DIGEST);
	/* the custodian key's fingerprint ends each digest */
	seal_fingerprint(f->cfg->keys.mayor_public, fp);
	/* two days old, open */
	add_report_due(
	    f, "jalan", "dishub", DIGEST_AT - 2 * DAY, later, later, &r[0]);
	/* 5 hours old, open */
	add_report_due(
	    f, "jalan", "dishub", DIGEST_AT - 5 * HOUR, later, later, &r[1]);
	/* 10 hours old, resolved an hour ago */
	add_report_due(
	    f, "jalan", "dishub", DIGEST_AT - 10 * HOUR, later, later, &r[2]);
	/* 20 hours old, not acknowledged in time: overdue */
	add_report_due(f, "pungli", "dishub", DIGEST_AT - 20 * HOUR,
	    DIGEST_AT - 60, later, &r[3]);
	/* three days old, past ack_due but acknowledged: not overdue */
	add_report_due(f, "jalan", "dishub", DIGEST_AT - 3 * DAY,
	    DIGEST_AT - 2 * DAY, later, &r[4]);
	t.id = r[2].id;
	t.from = "routed";
	t.to = "acknowledged";
	t.action = "acknowledge";
	t.acknowledged = 1;
	t.at = DIGEST_AT - 2 * HOUR;
	transition(f, &t);
	t.from = "acknowledged";
	t.to = "resolved";
	t.action = "resolve";
	t.acknowledged = 0;
	t.resolved = 1;
	t.at = DIGEST_AT - HOUR;
	transition(f, &t);
	t.id = r[4].id;
	t.from = "routed";
	t.to = "acknowledged";
	t.action = "acknowledge";
	t.acknowledged = 1;
	t.resolved = 0;
	t.at = DIGEST_AT - 2 * DAY - HOUR;
	transition(f, &t);
	/* the watcher has nothing to do for them: only the digest is left */
	exec_sql(f, "UPDATE reports SET watch_at = NULL");

	assert_pass(f, DIGEST_AT - 1, 0, 0);
	assert_int_equal(digests(f, &m), 0);
	assert_int_equal(f->nmsgs, 0);

	/* the audit log's anchor: its rows and its head */
	assert_int_equal(audit_row_now(f, "unseal"), 0);
	assert_int_equal(audit_row_now(f, "backup"), 0);
	assert_int_equal(
	    audit_head(f->s, &audit_rows, head, f->err, sizeof f->err), 0);
	assert_int_equal(audit_rows, 2);
	assert_int_equal(strlen(head), 16);

	assert_pass(f, DIGEST_AT, 0, 1);
	assert_int_equal(digests(f, &m), 1);
	assert_int_equal(f->nmsgs, 1);
	assert_string_equal(m->channel, "wa");
	assert_string_equal(m->destination, MAYOR);
	assert_string_equal(m->status, "queued");
	assert_int_equal(m->report_id, 0);
	assert_false(m->has_code);
	snprintf(want, sizeof want,
	    "[Hotline Kota Kediri] Ringkasan 14-04-2026: 3 laporan baru, 1 "
	    "selesai, 1 melewati batas waktu, 4 masih terbuka. Sidik jari "
	    "kunci wali kota: %s. Log audit: 2 baris, kepala %s.",
	    fp, head);
	assert_string_equal(m->body, want);
	for (i = 0; i < TESTLIB_COUNT(r); i++)
		assert_null(strstr(m->body, r[i].code));
	assert_null(strstr(m->body, "KDR-"));
	assert_null(strstr(m->body, "rokok"));
	assert_int_equal(
	    query_int(f, "SELECT value FROM meta WHERE name = 'digest_day'", 0),
	    DIGEST_AT / DAY);

	/* later the same day, and before 07:00 the next: nothing */
	assert_pass(f, DIGEST_AT + 1, 0, 0);
	assert_pass(f, DIGEST_AT + 16 * HOUR + 59 * 60, 0, 0);
	/* a restart does not send it again */
	restart(f);
	assert_pass(f, DIGEST_AT + 16 * HOUR + 59 * 60 + 59, 0, 0);
	assert_pass(f, DIGEST_AT + DAY - 1, 0, 0);
	assert_int_equal(digests(f, &m), 1);

	/* the next day's */
	assert_pass(f, DIGEST_AT + DAY, 0, 1);
	assert_int_equal(digests(f, &m), 2);
	assert_string_equal(m->destination, MAYOR);
	snprintf(want, sizeof want,
	    "[Hotline Kota Kediri] Ringkasan 15-04-2026: 0 laporan baru, 0 "
	    "selesai, 1 melewati batas waktu, 4 masih terbuka. Sidik jari "
	    "kunci wali kota: %s. Log audit: 2 baris, kepala %s.",
	    fp, head);
	assert_string_equal(m->body, want);
	assert_pass(f, DIGEST_AT + DAY + 1, 0, 0);
	assert_int_equal(digests(f, &m), 2);
}

static void
test_batch(void **state)
{
	struct fixture *f = *state;
	struct report r, first_left;
	int i;

	for (i = 0; i < WATCH_BATCH + 6; i++) {
		add_report(f, "jalan", "dishub", T0, &r);
		if (i == WATCH_BATCH)
			first_left = r;
	}
	assert_pass(f, T0 + 1, WATCH_BATCH, 2 * WATCH_BATCH);
	/* the oldest first; the 6 others are still due at once */
	assert_int_equal(
	    query_int(f, "SELECT count(*) FROM reports WHERE watch_at = 0", 0),
	    6);
	assert_int_equal(
	    query_int(f, "SELECT min(id) FROM reports WHERE watch_at = 0", 0),
	    first_left.id);
	assert_pass(f, T0 + 1, 6, 12);
	assert_pass(f, T0 + 1, 0, 0);
	assert_int_equal(outbox(f), 2 * (WATCH_BATCH + 6));
	assert_int_equal(
	    query_int(
		f, "SELECT count(*) FROM reports WHERE watch_at = ?1", T0 + 6),
	    WATCH_BATCH + 6);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_first_alert_once),
	    TEST(test_copy_once_across_reject),
	    TEST(test_no_copy_to_the_accused),
	    TEST(test_reminders_and_escalations),
	    TEST(test_deadlines_survive_restart),
	    TEST(test_acknowledged_then_resolved),
	    TEST(test_late_pass_escalates_without_reminders),
	    TEST(test_alert_after_reminder_time),
	    TEST(test_watch_deadlines),
	    TEST(test_digest),
	    TEST(test_batch),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
