/*
 * test_heads: queue/heads.c, what an OPD head or deputy says to the
 * hotline.  TERIMA, PROSES, SELESAI and TOLAK on a real SQLite store:
 * the reply, word for word, and what the database holds afterwards (the
 * status, the OPD, acknowledged_at, resolved_at, outcome, watch_at and
 * marks, and the history row with its actor "head:ID" or "deputy:ID").
 * Everything refused (an unknown code, another OPD's code, a malformed
 * command, a missing note, a resolved or closed report, a sender who is
 * not the report's OPD head) is answered and changes nothing: the whole
 * database is compared before and after; and another OPD's code gets the
 * very reply an unknown code gets.  Codes may be typed in lower case and
 * with blanks.  The database and config live in a mkdtemp directory,
 * removed at the end; checks the API does not offer read the file through
 * a second connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "lib/utf8.h"
#include "queue/heads.h"
#include "queue/store.h"

/* Monday 2026-12-07 16:59:00 UTC (23:59 WIB): the commands' time. */
#define NOW 1796662740
/* Monday 2026-12-21 16:59:59 UTC: 23:59 WIB, the deadline to resolve. */
#define RESOLVE_DUE	 1797872399
#define RESOLVE_DUE_TEXT "Senin 21-12-2026 23:59 WIB"

#define HEAD	"+6281100000105"
#define DEPUTY	"+6281100000205"
#define INSPEKT "+6281100000107"
#define SATPOL	"+6281100000106"
#define PASAR	"+6281100000299"
#define CITIZEN "+6281234567890"

/* The reports: at dishub, at another OPD, and unknown. */
#define CODE	    "KDR-7K3M9Q"
#define OTHER	    "KDR-9XYZ4W" /* satpol's */
#define OTHER_DONE  "KDR-SSSSSS" /* satpol's, resolved */
#define UNKNOWN	    "KDR-ZZZZZZ"
#define CLOSED	    "KDR-CCCCCC" /* dishub's, closed */
#define RESOLVED    "KDR-RRRRRR" /* dishub's, resolved */
#define PASAR_CODE  "KDR-PPPPPP" /* pasar's: an OPD with a deputy only */
#define NO_DEADLINE "KDR-NNNNNN" /* dishub's, no deadlines */

/*
 * dishub: a head on WhatsApp and a deputy on SMS; the Inspektorat, the
 * triage team; Satpol PP; Dinas Pasar with a deputy and no head.
 */
#define CONFIG                                                                 \
	TESTLIB_CONFIG_MINIMAL                                                 \
	"[channel sms]\n"                                                      \
	"provider = android_sms_gateway\n"                                     \
	"signing_key = k\n"                                                    \
	"[opd dishub]\n"                                                       \
	"name = Dinas Perhubungan\n"                                           \
	"head = 0811 0000 0105\n"                                              \
	"head_channel = wa\n"                                                  \
	"deputy = +62 811 0000 0205\n"                                         \
	"deputy_channel = sms\n"                                               \
	"[opd inspektorat]\n"                                                  \
	"name = Inspektorat\n"                                                 \
	"head = 0811 0000 0107\n"                                              \
	"head_channel = wa\n"                                                  \
	"[opd satpol]\n"                                                       \
	"name = Satpol PP\n"                                                   \
	"head = 0811-0000-0106\n"                                              \
	"head_channel = sms\n"                                                 \
	"[opd pasar]\n"                                                        \
	"name = Dinas Pasar\n"                                                 \
	"deputy = 0811 0000 0299\n"                                            \
	"deputy_channel = sms\n"                                               \
	"[routing]\n"                                                          \
	"triage = inspektorat\n"

/* The replies, as the default templates word them. */
#define R_ACK(code, due)                                                       \
	"Laporan " code " diterima. Batas penyelesaian: " due ". Kirim "       \
	"PROSES " code " catatan untuk mencatat tindakan, SELESAI " code       \
	" catatan bila selesai."
#define R_PROGRESS(code) "Tindakan pada laporan " code " dicatat."
#define R_RESOLVED(code)                                                       \
	"Laporan " code " dinyatakan selesai; catatan Anda dapat dibaca "      \
	"pelapor. Terima kasih."
#define R_REJECTED(code)                                                       \
	"Laporan " code " dikembalikan ke tim triase dengan alasan Anda."
#define R_REFUSED(code, why, status)                                           \
	"Laporan " code " tidak dapat diubah: " why " (status: " status ")."
#define R_UNKNOWN(code)                                                        \
	"Kode " code " tidak ditemukan di antara laporan OPD Anda. Periksa "   \
	"kembali kode pada pemberitahuan."
#define R_NEEDS_NOTE(example)                                                  \
	"Sertakan kode laporan dan catatan, contoh: " example
#define R_USAGE(example)                                                       \
	"Perintah petugas: TERIMA kode | PROSES kode catatan | SELESAI kode "  \
	"catatan | TOLAK kode alasan | TERUSKAN kode OPD (tim triase). "       \
	"Contoh: " example
#define R_FORWARDED(code, opd) "Laporan " code " diteruskan ke " opd "."
#define R_TARGET(opds)                                                         \
	"Sebutkan kode OPD tujuan: " opds ". Contoh: " EX_TERUSKAN

#define EX_TERIMA   "TERIMA KDR-7K3M9Q"
#define EX_PROSES   "PROSES KDR-7K3M9Q petugas sudah dipanggil"
#define EX_SELESAI  "SELESAI KDR-7K3M9Q uang dikembalikan, petugas diberi sanksi"
#define EX_TERUSKAN "TERUSKAN KDR-7K3M9Q dishub parkir liar di pasar"
#define EX_TOLAK                                                               \
	"TOLAK KDR-7K3M9Q bukan kewenangan kami, milik Dinas Perhubungan"

struct fixture {
	void *config_state; /* struct testlib_config */
	char path[TESTLIB_PATH_MAX];
	struct config *cfg;
	struct store *s;
	char err[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct testlib_config *tc;

	assert_non_null(f);
	assert_int_equal(testlib_config_setup(&f->config_state), 0);
	tc = f->config_state;
	f->cfg = testlib_config_must_load(tc, CONFIG);
	testlib_path(f->path, tc->dir, "h.db");
	f->s = store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
	if (f->s == NULL)
		fail_msg("store_open: %s", f->err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->s);
	config_free(f->cfg);
	rc = testlib_config_teardown(&f->config_state);
	free(f);
	return rc;
}

/* --- the store ----------------------------------------------------------- */

/* Insert a report at opd in status, with its deadlines: its id. */
static long long
add_report(struct fixture *f, const char *code, const char *status,
    const char *opd, time_t ack_due, time_t resolve_due)
{
	struct store_report r;

	memset(&r, 0, sizeof r);
	memcpy(r.uid, code, strlen(code)); /* the sealed identity: zeros */
	snprintf(r.code, sizeof r.code, "%s", code);
	r.channel = "wa";
	r.type = "text";
	r.text = "Jukir minta 50.000, hubungi 081234567890";
	r.received_at = NOW - 86400;
	store_hash_id(store_dedupe_key(f->s), "wa", code, r.dedupe);
	r.status = status;
	r.category = "pungli";
	r.opd = opd;
	r.kecamatan = "mojoroto";
	r.kelurahan = "Bandar Lor";
	r.ack_due = ack_due;
	r.resolve_due = resolve_due;
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	if (store_insert_report(f->s, &r, "KDR", f->err, sizeof f->err) != 0)
		fail_msg("store_insert_report: %s", f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	assert_false(r.duplicate);
	assert_string_equal(r.code, code);
	return r.id;
}

/* The reports every test starts from. */
static void
add_reports(struct fixture *f)
{
	add_report(f, CODE, "routed", "dishub", NOW - 3600, RESOLVE_DUE);
	add_report(f, OTHER, "routed", "satpol", NOW - 3600, RESOLVE_DUE);
	add_report(f, OTHER_DONE, "resolved", "satpol", 0, 0);
	add_report(f, CLOSED, "closed", "dishub", 0, 0);
	add_report(f, RESOLVED, "resolved", "dishub", 0, 0);
	add_report(f, PASAR_CODE, "routed", "pasar", NOW, RESOLVE_DUE);
	add_report(f, NO_DEADLINE, "routed", "dishub", 0, 0);
}

/* The channel number writes on: its own, when it is a head or deputy. */
static const char *
channel_of(const struct config *cfg, const char *number)
{
	size_t i;

	for (i = 0; i < cfg->nopds; i++) {
		const struct opd *o = &cfg->opds[i];

		if (o->head != NULL && strcmp(o->head, number) == 0)
			return o->head_channel;
		if (o->deputy != NULL && strcmp(o->deputy, number) == 0)
			return o->deputy_channel;
	}
	return "wa";
}

/* heads_handle in a transaction of its own: the reply (free it). */
static char *
handle_at(struct fixture *f, const char *number, const char *text, time_t at)
{
	char *reply;

	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	reply = heads_handle(f->s, f->cfg, channel_of(f->cfg, number), number,
	    text, at, f->err, sizeof f->err);
	if (reply == NULL)
		fail_msg("heads_handle(\"%s\"): %s", text, f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	return reply;
}

/* The reply must be want. */
static void
assert_reply_at(struct fixture *f, const char *number, const char *text,
    time_t at, const char *want)
{
	char *reply = handle_at(f, number, text, at);

	if (strcmp(reply, want) != 0)
		fail_msg("\"%s\" from %s:\n got  \"%s\"\n want \"%s\"", text,
		    number, reply, want);
	free(reply);
}

static void
assert_reply(
    struct fixture *f, const char *number, const char *text, const char *want)
{
	assert_reply_at(f, number, text, NOW, want);
}

/* Reading the file through a second connection. */

static sqlite3 *
reader(struct fixture *f)
{
	sqlite3 *db;

	assert_int_equal(
	    sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	return db;
}

/* Column of report code, as text, "(null)" when NULL. */
static void
column(struct fixture *f, const char *code, const char *name, char *out,
    size_t len)
{
	sqlite3 *db = reader(f);
	sqlite3_stmt *st;
	char sql[128];
	const unsigned char *v = NULL;

	snprintf(
	    sql, sizeof sql, "SELECT %s FROM reports WHERE code = ?", name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_text(st, 0);
	snprintf(out, len, "%s", v != NULL ? (const char *)v : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
assert_column(
    struct fixture *f, const char *code, const char *name, const char *want)
{
	char got[2048];

	column(f, code, name, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg(
		    "%s of %s is \"%s\", not \"%s\"", name, code, got, want);
}

/* The same for a number; NULL is -1. */
static long long
column_int(struct fixture *f, const char *code, const char *name)
{
	char v[64];

	column(f, code, name, v, sizeof v);
	return strcmp(v, "(null)") == 0 ? -1 : strtoll(v, NULL, 10);
}

/* Append to a growing string. */
static void
append(char **s, size_t *len, size_t *cap, const char *text, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*s = realloc(*s, *cap);
		assert_non_null(*s);
	}
	memcpy(*s + *len, text, n);
	*len += n;
	(*s)[*len] = '\0';
}

/* Every row of every table a command could touch, as one string. */
static char *
dump(struct fixture *f)
{
	static const char *const tables[] = {
	    "reports", "history", "report_notes", "outbox", "identities"};
	sqlite3 *db = reader(f);
	sqlite3_stmt *st;
	char *s = NULL, sql[64], num[64];
	size_t len = 0, cap = 0, t;
	int i, n;

	for (t = 0; t < TESTLIB_COUNT(tables); t++) {
		append(&s, &len, &cap, tables[t], strlen(tables[t]));
		append(&s, &len, &cap, ":\n", 2);
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid",
		    tables[t]);
		assert_int_equal(
		    sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(st); i++) {
				switch (sqlite3_column_type(st, i)) {
				case SQLITE_NULL:
					append(&s, &len, &cap, "NULL", 4);
					break;
				case SQLITE_BLOB:
					n = sqlite3_column_bytes(st, i);
					snprintf(num, sizeof num, "blob%d:", n);
					append(
					    &s, &len, &cap, num, strlen(num));
					if (n > 0)
						append(&s, &len, &cap,
						    sqlite3_column_blob(st, i),
						    (size_t)n);
					break;
				default:
					append(&s, &len, &cap,
					    (const char *)sqlite3_column_text(
						st, i),
					    (size_t)sqlite3_column_bytes(
						st, i));
				}
				append(&s, &len, &cap, "|", 1);
			}
			append(&s, &len, &cap, "\n", 1);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return s;
}

/* A report's history, as store_each_history gives it. */

struct hrow {
	time_t at;
	char actor[32], action[16], from[16], to[16], note[1100];
};

struct history {
	struct hrow r[8];
	int n;
};

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "(null)");
}

static int
history_row(const struct store_history_row *h, void *arg)
{
	struct history *hs = arg;
	struct hrow *r;

	assert_true(hs->n < (int)TESTLIB_COUNT(hs->r));
	r = &hs->r[hs->n++];
	r->at = h->at;
	copy(r->actor, sizeof r->actor, h->actor);
	copy(r->action, sizeof r->action, h->action);
	copy(r->from, sizeof r->from, h->from_status);
	copy(r->to, sizeof r->to, h->to_status);
	copy(r->note, sizeof r->note, h->note);
	return 0;
}

static void
history_of(struct fixture *f, const char *code, struct history *hs)
{
	memset(hs, 0, sizeof *hs);
	if (store_each_history(
		f->s, code, history_row, hs, f->err, sizeof f->err) != 0)
		fail_msg("store_each_history: %s", f->err);
}

static void
assert_history(const struct hrow *r, time_t at, const char *actor,
    const char *action, const char *from, const char *to, const char *note)
{
	assert_int_equal(r->at, at);
	assert_string_equal(r->actor, actor);
	assert_string_equal(r->action, action);
	assert_string_equal(r->from, from);
	assert_string_equal(r->to, to);
	assert_string_equal(r->note, note);
}

/* --- the commands -------------------------------------------------------- */

static void
test_terima_by_head(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *before, *after;

	add_reports(f);
	assert_column(f, CODE, "status", "routed");
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 0);

	assert_reply(
	    f, HEAD, "TERIMA KDR-7K3M9Q", R_ACK(CODE, RESOLVE_DUE_TEXT));
	assert_column(f, CODE, "status", "acknowledged");
	assert_column(f, CODE, "opd", "dishub");
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	assert_int_equal(column_int(f, CODE, "resolved_at"), -1);
	assert_int_equal(column_int(f, CODE, "outcome"), -1);
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	assert_int_equal(column_int(f, CODE, "updated_at"), NOW - NOW % 3600);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "head:dishub", "acknowledge", "routed",
	    "acknowledged", "(null)");

	/* the other reports are untouched */
	assert_column(f, OTHER, "status", "routed");
	assert_column(f, NO_DEADLINE, "status", "routed");
	history_of(f, OTHER, &h);
	assert_int_equal(h.n, 0);

	/* once is enough: a second TERIMA is refused, nothing changes */
	before = dump(f);
	assert_reply_at(f, HEAD, "TERIMA KDR-7K3M9Q", NOW + 60,
	    R_REFUSED(CODE, "laporan sudah diterima", "diterima oleh OPD"));
	after = dump(f);
	assert_string_equal(after, before);
	free(before);
	free(after);

	/* a report without deadlines: "-" */
	assert_reply(f, HEAD, "TERIMA KDR-NNNNNN", R_ACK(NO_DEADLINE, "-"));
	assert_column(f, NO_DEADLINE, "status", "acknowledged");
}

static void
test_terima_by_deputy(void **state)
{
	struct fixture *f = *state;
	struct history h;

	add_reports(f);
	assert_reply(f, DEPUTY, "TERIMA KDR-7K3M9Q siap ditindaklanjuti",
	    R_ACK(CODE, RESOLVE_DUE_TEXT));
	assert_column(f, CODE, "status", "acknowledged");
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "deputy:dishub", "acknowledge", "routed",
	    "acknowledged", "siap ditindaklanjuti");

	/* an OPD with a deputy and no head */
	assert_reply(
	    f, PASAR, "TERIMA KDR-PPPPPP", R_ACK(PASAR_CODE, RESOLVE_DUE_TEXT));
	assert_column(f, PASAR_CODE, "status", "acknowledged");
	history_of(f, PASAR_CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "deputy:pasar", "acknowledge", "routed",
	    "acknowledged", "(null)");
}

static void
test_proses(void **state)
{
	struct fixture *f = *state;
	struct history h;

	add_reports(f);
	/* from routed: acknowledged on the way */
	assert_reply(f, HEAD, "PROSES KDR-7K3M9Q petugas sudah dipanggil  \n",
	    R_PROGRESS(CODE));
	assert_column(f, CODE, "status", "in_progress");
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	assert_int_equal(column_int(f, CODE, "resolved_at"), -1);
	assert_int_equal(column_int(f, CODE, "outcome"), -1);
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "head:dishub", "progress", "routed",
	    "in_progress", "petugas sudah dipanggil");

	/* again: the first acknowledgement stays */
	assert_reply_at(f, DEPUTY, "proses KDR-7K3M9Q jukir sudah ditegur",
	    NOW + 3600, R_PROGRESS(CODE));
	assert_column(f, CODE, "status", "in_progress");
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW + 3600, "deputy:dishub", "progress",
	    "in_progress", "in_progress", "jukir sudah ditegur");

	/* TERIMA after PROSES is refused */
	assert_reply(f, HEAD, "TERIMA KDR-7K3M9Q",
	    R_REFUSED(
		CODE, "laporan sudah diproses", "sedang ditindaklanjuti"));

	/* and SELESAI may follow */
	assert_reply_at(f, HEAD, "SELESAI KDR-7K3M9Q karcis resmi dipasang",
	    NOW + 7200, R_RESOLVED(CODE));
	assert_column(f, CODE, "status", "resolved");
	assert_column(f, CODE, "outcome", "karcis resmi dipasang");
	assert_int_equal(column_int(f, CODE, "resolved_at"), NOW + 7200);
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 3);
	assert_history(&h.r[2], NOW + 7200, "head:dishub", "resolve",
	    "in_progress", "resolved", "karcis resmi dipasang");
}

static void
test_selesai(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *before, *after;

	add_reports(f);

	/* not acknowledged yet: refused, and nothing changes */
	before = dump(f);
	assert_reply(f, HEAD, "SELESAI KDR-7K3M9Q sudah beres",
	    R_REFUSED(CODE, "laporan belum diterima, kirim TERIMA dulu",
		"diteruskan ke OPD"));
	after = dump(f);
	assert_string_equal(after, before);
	free(after);
	free(before);
	assert_column(f, CODE, "status", "routed");
	assert_int_equal(column_int(f, CODE, "resolved_at"), -1);

	assert_reply(
	    f, HEAD, "TERIMA KDR-7K3M9Q", R_ACK(CODE, RESOLVE_DUE_TEXT));
	assert_reply_at(f, DEPUTY,
	    "SELESAI KDR-7K3M9Q uang dikembalikan, jukir diberi sanksi",
	    NOW + 7200, R_RESOLVED(CODE));
	assert_column(f, CODE, "status", "resolved");
	assert_column(
	    f, CODE, "outcome", "uang dikembalikan, jukir diberi sanksi");
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), NOW);
	assert_int_equal(column_int(f, CODE, "resolved_at"), NOW + 7200);
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[0], NOW, "head:dishub", "acknowledge", "routed",
	    "acknowledged", "(null)");
	assert_history(&h.r[1], NOW + 7200, "deputy:dishub", "resolve",
	    "acknowledged", "resolved",
	    "uang dikembalikan, jukir diberi sanksi");

	/* resolved: every command refused, nothing changes */
	before = dump(f);
	assert_reply(f, HEAD, "TERIMA KDR-7K3M9Q",
	    R_REFUSED(
		CODE, "laporan sudah selesai", "selesai ditindaklanjuti"));
	assert_reply(f, HEAD, "PROSES KDR-7K3M9Q lagi",
	    R_REFUSED(
		CODE, "laporan sudah selesai", "selesai ditindaklanjuti"));
	assert_reply(f, HEAD, "SELESAI KDR-7K3M9Q lagi",
	    R_REFUSED(
		CODE, "laporan sudah selesai", "selesai ditindaklanjuti"));
	assert_reply(f, DEPUTY, "TOLAK KDR-7K3M9Q salah OPD",
	    R_REFUSED(
		CODE, "laporan sudah selesai", "selesai ditindaklanjuti"));
	after = dump(f);
	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* A long note is kept to 1000 bytes, cut at a character. */
static void
test_long_note(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *text, outcome[2048];

	add_reports(f);
	assert_reply(
	    f, HEAD, "TERIMA KDR-7K3M9Q", R_ACK(CODE, RESOLVE_DUE_TEXT));
	text = testlib_repeat("SELESAI KDR-7K3M9Q x", "é", 800, "");
	assert_reply(f, HEAD, text, R_RESOLVED(CODE));
	free(text);
	column(f, CODE, "outcome", outcome, sizeof outcome);
	assert_int_equal(strlen(outcome), 999); /* "x" and 499 "é" */
	assert_true(utf8_valid(outcome));
	assert_memory_equal(outcome, "x\xc3\xa9", 3);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.r[1].note, outcome);
}

static void
test_tolak(void **state)
{
	struct fixture *f = *state;
	struct history h;
	long long id;

	add_reports(f);
	/* the watcher alerted dishub and reminded it */
	id = column_int(f, CODE, "id");
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	assert_int_equal(store_set_watch(f->s, id,
			     STORE_MARK_ALERTED | STORE_MARK_REMINDED_ACK,
			     NOW + 86400, f->err, sizeof f->err),
	    0);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	assert_int_equal(column_int(f, CODE, "marks"),
	    STORE_MARK_ALERTED | STORE_MARK_REMINDED_ACK);

	assert_reply(f, HEAD, "TOLAK KDR-7K3M9Q bukan kewenangan kami",
	    R_REJECTED(CODE));
	assert_column(f, CODE, "status", "triage");
	assert_column(f, CODE, "opd", "inspektorat");
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	/* the triage team is alerted afresh; the rest of the marks stay */
	assert_int_equal(column_int(f, CODE, "marks"), STORE_MARK_REMINDED_ACK);
	assert_int_equal(column_int(f, CODE, "acknowledged_at"), -1);
	assert_int_equal(column_int(f, CODE, "resolved_at"), -1);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "head:dishub", "reject", "routed",
	    "triage", "bukan kewenangan kami");

	/* no longer dishub's */
	assert_reply(f, HEAD, "TERIMA KDR-7K3M9Q", R_UNKNOWN(CODE));
	assert_reply(
	    f, DEPUTY, "PROSES KDR-7K3M9Q tetap kami proses", R_UNKNOWN(CODE));
	/* the triage team's: not back to itself, but it may take it */
	assert_reply(f, INSPEKT, "TOLAK KDR-7K3M9Q bukan kami juga",
	    R_REFUSED(
		CODE, "laporan sedang di tim penelaah", "sedang ditelaah"));
	assert_reply_at(f, INSPEKT, "TERIMA KDR-7K3M9Q", NOW + 60,
	    R_ACK(CODE, RESOLVE_DUE_TEXT));
	assert_column(f, CODE, "status", "acknowledged");
	assert_column(f, CODE, "opd", "inspektorat");
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW + 60, "head:inspektorat", "acknowledge",
	    "triage", "acknowledged", "(null)");

	/* after TERIMA a head may still send it back */
	assert_reply(f, HEAD, "TERIMA KDR-NNNNNN", R_ACK(NO_DEADLINE, "-"));
	assert_reply(f, DEPUTY, "TOLAK KDR-NNNNNN salah alamat",
	    R_REJECTED(NO_DEADLINE));
	assert_column(f, NO_DEADLINE, "status", "triage");
	assert_column(f, NO_DEADLINE, "opd", "inspektorat");
	history_of(f, NO_DEADLINE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW, "deputy:dishub", "reject", "acknowledged",
	    "triage", "salah alamat");
}

/* heads_route in a transaction of its own: the reply (free it). */
static char *
route_at(struct fixture *f, const char *opd, const char *code,
    const char *target, int *changed)
{
	char *reply;

	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	reply = heads_route(f->s, f->cfg, opd, "web:inspektur", code, target,
	    "salah alamat", NOW, changed, f->err, sizeof f->err);
	if (reply == NULL)
		fail_msg("heads_route: %s", f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	return reply;
}

static void
test_route_from_triage(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *before, *reply;
	int changed;

	add_reports(f);
	assert_reply(f, HEAD, "TOLAK KDR-7K3M9Q bukan kewenangan kami",
	    R_REJECTED(CODE));
	/* only the triage OPD forwards, only what it holds, only elsewhere */
	before = dump(f);
	reply = route_at(f, "dishub", CODE, "satpol", &changed);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(CODE));
	free(reply);
	reply = route_at(f, "inspektorat", CODE, "inspektorat", &changed);
	assert_false(changed);
	assert_string_equal(reply, R_TARGET("dishub, satpol, pasar"));
	free(reply);
	reply = route_at(f, "inspektorat", CODE, "no_such_opd", &changed);
	assert_false(changed);
	assert_string_equal(reply, R_TARGET("dishub, satpol, pasar"));
	free(reply);
	reply = route_at(f, "inspektorat", OTHER, "dishub", &changed);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(OTHER));
	free(reply);
	{
		char *after = dump(f);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	/* forwarded: routed at its new OPD, whose heads are alerted */
	reply = route_at(f, "inspektorat", CODE, "satpol", &changed);
	assert_true(changed);
	assert_string_equal(reply, R_FORWARDED(CODE, "Satpol PP"));
	free(reply);
	assert_column(f, CODE, "status", "routed");
	assert_column(f, CODE, "opd", "satpol");
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	assert_int_equal(column_int(f, CODE, "marks") & STORE_MARK_ALERTED, 0);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW, "web:inspektur", "route", "triage",
	    "routed", "salah alamat");
	/* and no longer the triage OPD's to forward */
	reply = route_at(f, "inspektorat", CODE, "dishub", &changed);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(CODE));
	free(reply);
}

/* heads_verify in a transaction of its own: the reply (free it). */
static char *
verify_at(struct fixture *f, const char *code, const char *target,
    const char *summary, const char *reason, int *changed)
{
	char *reply;

	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	reply = heads_verify(f->s, f->cfg, "web:inspektur", code, target,
	    summary, reason, NOW, changed, f->err, sizeof f->err);
	if (reply == NULL)
		fail_msg("heads_verify: %s", f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	return reply;
}

/* The audit row of action on code: "actor|reason", or "" when none. */
static void
audited(struct fixture *f, const char *action, const char *code, char *out,
    size_t len)
{
	sqlite3 *db = reader(f);
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT actor || '|' || reason FROM audit WHERE "
			     "action = ?1 AND report_code = ?2",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	snprintf(out, len, "%s",
	    sqlite3_step(st) == SQLITE_ROW
		? (const char *)sqlite3_column_text(st, 0)
		: "");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * The verifier ([routing] verify): a report waits "verifying" at the
 * triage OPD; it is forwarded with a summary, which the OPD gets instead
 * of the text and which is audited, its deadlines running from then; or
 * it is closed as no report, for a reason.  Nothing else moves it.
 */
static void
test_verify(void **state)
{
	static const char summary[] = "Jukir di Pasar Bandar meminta Rp50.000.";
	struct fixture *f = *state;
	struct history h;
	char *before, *reply, row[256];
	int changed;

	add_report(f, CODE, "verifying", "inspektorat", NOW - 3600, NOW - 60);
	add_report(f, OTHER, "verifying", "inspektorat", NOW - 3600, NOW - 60);
	add_report(f, OTHER_DONE, "routed", "dishub", NOW - 3600, NOW - 60);
	before = dump(f);
	/* no head command skips the step */
	assert_reply(f, INSPEKT, "TERIMA " CODE,
	    R_REFUSED(
		CODE, "laporan sedang diverifikasi", "sedang diverifikasi"));
	/* a summary, an OPD and a reason are needed; another OPD's report
	 * is unknown; a report not verifying cannot be verified */
	reply = verify_at(f, CODE, "dishub", "  ", NULL, &changed);
	assert_false(changed);
	assert_string_equal(
	    reply, "Tulis ringkasan untuk OPD, tanpa data pelapor.");
	free(reply);
	reply = verify_at(f, CODE, "no_such_opd", summary, NULL, &changed);
	assert_false(changed);
	assert_string_equal(reply, "Pilih OPD tujuan.");
	free(reply);
	reply = verify_at(f, CODE, NULL, NULL, "", &changed);
	assert_false(changed);
	assert_string_equal(reply, "Tulis alasan laporan ini ditutup.");
	free(reply);
	reply = verify_at(f, OTHER_DONE, "dishub", summary, NULL, &changed);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(OTHER_DONE));
	free(reply);
	{
		char *after = dump(f);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	/* forwarded: routed at Dishub with the summary, alerted afresh */
	reply = verify_at(f, CODE, "dishub", summary, NULL, &changed);
	assert_true(changed);
	assert_string_equal(reply,
	    "Laporan " CODE " diteruskan ke Dinas Perhubungan dengan "
	    "ringkasan.");
	free(reply);
	assert_column(f, CODE, "status", "routed");
	assert_column(f, CODE, "opd", "dishub");
	assert_column(f, CODE, "summary", summary);
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	assert_true(column_int(f, CODE, "ack_due") > NOW);
	assert_true(column_int(f, CODE, "resolve_due") >
	    column_int(f, CODE, "ack_due"));
	audited(f, "summary", CODE, row, sizeof row);
	assert_string_equal(row,
	    "web:inspektur|Jukir di Pasar Bandar meminta "
	    "Rp50.000.");
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "web:inspektur", "forward", "verifying",
	    "routed", "dishub");
	/* no longer the verifier's */
	reply = verify_at(f, CODE, "satpol", summary, NULL, &changed);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(CODE));
	free(reply);
	/* dismissed for a reason: closed, audited */
	reply = verify_at(f, OTHER, NULL, NULL, "bukan pengaduan", &changed);
	assert_true(changed);
	assert_string_equal(reply, "Laporan " OTHER " ditutup: bukan laporan.");
	free(reply);
	assert_column(f, OTHER, "status", "closed");
	assert_column(f, OTHER, "opd", "inspektorat");
	audited(f, "dismiss", OTHER, row, sizeof row);
	assert_string_equal(row, "web:inspektur|bukan pengaduan");
}

/* The triage team forwards by SMS or WhatsApp as on the web. */
static void
test_teruskan(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *before, *after;

	add_reports(f);
	/* not in triage: its own OPD cannot forward it */
	before = dump(f);
	assert_reply(f, HEAD, "TERUSKAN KDR-7K3M9Q satpol",
	    R_REFUSED(
		CODE, "laporan sudah diteruskan ke OPD", "diteruskan ke OPD"));
	after = dump(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_reply(f, HEAD, "TOLAK KDR-7K3M9Q bukan kewenangan kami",
	    R_REJECTED(CODE));
	before = dump(f);
	/* the OPD that sent it back, or another, holds it no longer */
	assert_reply(f, HEAD, "TERUSKAN KDR-7K3M9Q satpol", R_UNKNOWN(CODE));
	assert_reply(f, SATPOL, "TERUSKAN KDR-7K3M9Q satpol", R_UNKNOWN(CODE));
	/* the triage head: no OPD, an unknown one, itself */
	assert_reply(f, INSPEKT, "TERUSKAN KDR-7K3M9Q",
	    R_TARGET("dishub, satpol, pasar"));
	assert_reply(f, INSPEKT, "TERUSKAN KDR-7K3M9Q polisi",
	    R_TARGET("dishub, satpol, pasar"));
	assert_reply(f, INSPEKT, "TERUSKAN KDR-7K3M9Q inspektorat",
	    R_TARGET("dishub, satpol, pasar"));
	assert_reply(f, INSPEKT, "teruskan", R_USAGE(EX_TERUSKAN));
	after = dump(f);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* forwarded, with the note as the reason */
	assert_reply_at(f, INSPEKT, "Teruskan kdr 7k3m9q ke SATPOL juru parkir",
	    NOW + 60, R_FORWARDED(CODE, "Satpol PP"));
	assert_column(f, CODE, "status", "routed");
	assert_column(f, CODE, "opd", "satpol");
	assert_int_equal(column_int(f, CODE, "watch_at"), 0);
	assert_int_equal(column_int(f, CODE, "marks") & STORE_MARK_ALERTED, 0);
	history_of(f, CODE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW + 60, "head:inspektorat", "route", "triage",
	    "routed", "juru parkir");
	/* satpol's now: it may take it; triage can no longer forward it */
	assert_reply(f, INSPEKT, "TERUSKAN KDR-7K3M9Q dishub", R_UNKNOWN(CODE));
	assert_reply(
	    f, SATPOL, "TERIMA KDR-7K3M9Q", R_ACK(CODE, RESOLVE_DUE_TEXT));

	/* without a note, the history names the OPD */
	assert_reply(f, DEPUTY, "TOLAK KDR-NNNNNN salah alamat",
	    R_REJECTED(NO_DEADLINE));
	assert_reply(f, INSPEKT, "TERUSKAN KDR-NNNNNN pasar",
	    R_FORWARDED(NO_DEADLINE, "Dinas Pasar"));
	history_of(f, NO_DEADLINE, &h);
	assert_int_equal(h.n, 2);
	assert_history(&h.r[1], NOW, "head:inspektorat", "route", "triage",
	    "routed", "pasar");
}

static void
test_close(void **state)
{
	struct fixture *f = *state;
	struct history h;
	char *reply, *before;
	int changed;

	add_reports(f);
	/* only a resolved report closes; nothing else changes */
	before = dump(f);
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	reply = heads_close(f->s, f->cfg, "web:walikota", CODE, NOW, &changed,
	    f->err, sizeof f->err);
	assert_non_null(reply);
	assert_false(changed);
	assert_non_null(strstr(reply, "tidak dapat diubah"));
	free(reply);
	reply = heads_close(f->s, f->cfg, "web:walikota", UNKNOWN, NOW,
	    &changed, f->err, sizeof f->err);
	assert_false(changed);
	assert_string_equal(reply, R_UNKNOWN(UNKNOWN));
	free(reply);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	{
		char *after = dump(f);

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
	reply = heads_close(f->s, f->cfg, "web:walikota", RESOLVED, NOW,
	    &changed, f->err, sizeof f->err);
	assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
	assert_true(changed);
	assert_string_equal(reply, "Laporan " RESOLVED " ditutup.");
	free(reply);
	assert_column(f, RESOLVED, "status", "closed");
	history_of(f, RESOLVED, &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "web:walikota", "close", "resolved",
	    "closed", "(null)");
	/* audited, and closed for good */
	{
		sqlite3 *db = reader(f);
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db,
				     "SELECT actor, action FROM audit WHERE "
				     "report_code = '" RESOLVED "'",
				     -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(st, 0), "web:walikota");
		assert_string_equal(sqlite3_column_text(st, 1), "close");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	assert_reply(f, HEAD, "PROSES KDR-RRRRRR dibuka lagi",
	    R_REFUSED(RESOLVED, "laporan sudah ditutup", "ditutup"));
}

/* --- what changes nothing ------------------------------------------------ */

static void
test_refused_changes_nothing(void **state)
{
	static const struct {
		const char *number, *text, *want;
	} cases[] = {
	    /* unknown codes */
	    {HEAD, "TERIMA KDR-ZZZZZZ", R_UNKNOWN(UNKNOWN)},
	    {HEAD, "PROSES KDR-ZZZZZZ sudah", R_UNKNOWN(UNKNOWN)},
	    {HEAD, "SELESAI kdr zzzzzz beres", R_UNKNOWN(UNKNOWN)},
	    {DEPUTY, "TOLAK KDR-ZZZZZZ bukan kami", R_UNKNOWN(UNKNOWN)},
	    {HEAD, "PROSES KDR-ZZZZZZ", R_UNKNOWN(UNKNOWN)},
	    /* another OPD's codes */
	    {HEAD, "TERIMA KDR-9XYZ4W", R_UNKNOWN(OTHER)},
	    {DEPUTY, "PROSES KDR-9XYZ4W sudah", R_UNKNOWN(OTHER)},
	    {HEAD, "SELESAI KDR-SSSSSS beres", R_UNKNOWN(OTHER_DONE)},
	    {HEAD, "TOLAK KDR-9XYZ4W", R_UNKNOWN(OTHER)},
	    /* dishub's code from someone who is not its head */
	    {SATPOL, "TERIMA KDR-7K3M9Q", R_UNKNOWN(CODE)},
	    {INSPEKT, "TOLAK KDR-7K3M9Q bukan kami", R_UNKNOWN(CODE)},
	    {PASAR, "PROSES KDR-7K3M9Q sudah", R_UNKNOWN(CODE)},
	    {CITIZEN, "TERIMA KDR-7K3M9Q", R_UNKNOWN(CODE)},
	    {SATPOL, "SELESAI KDR-CCCCCC", R_UNKNOWN(CLOSED)},
	    /* malformed */
	    {HEAD, "TERIMA", R_USAGE(EX_TERIMA)},
	    {HEAD, "terima.", R_USAGE(EX_TERIMA)},
	    {HEAD, "TERIMA KDR-12", R_USAGE(EX_TERIMA)},
	    {HEAD, "TERIMA KDR-7K3M90", R_USAGE(EX_TERIMA)},
	    {HEAD, "TERIMA 7K3M9Q", R_USAGE(EX_TERIMA)},
	    {HEAD, "halo pak", R_USAGE(EX_TERIMA)},
	    {HEAD, "terima kasih pak", R_USAGE(EX_TERIMA)},
	    {HEAD, "", R_USAGE(EX_TERIMA)},
	    {HEAD, "PROSES", R_USAGE(EX_PROSES)},
	    {HEAD, "SELESAI KDR-7K3M9", R_USAGE(EX_SELESAI)},
	    {DEPUTY, "TOLAK KDX-7K3M9Q bukan kami", R_USAGE(EX_TOLAK)},
	    /* no note */
	    {HEAD, "PROSES KDR-7K3M9Q", R_NEEDS_NOTE(EX_PROSES)},
	    {HEAD, "SELESAI KDR-7K3M9Q  ", R_NEEDS_NOTE(EX_SELESAI)},
	    {DEPUTY, "TOLAK KDR-7K3M9Q", R_NEEDS_NOTE(EX_TOLAK)},
	    {HEAD, "tolak kdr-7k3m9q:", R_NEEDS_NOTE(EX_TOLAK)},
	    /* the status does not allow it */
	    {HEAD, "SELESAI KDR-7K3M9Q beres",
		R_REFUSED(CODE, "laporan belum diterima, kirim TERIMA dulu",
		    "diteruskan ke OPD")},
	    {HEAD, "TERIMA KDR-CCCCCC",
		R_REFUSED(CLOSED, "laporan sudah ditutup", "ditutup")},
	    {DEPUTY, "PROSES KDR-CCCCCC dibuka lagi",
		R_REFUSED(CLOSED, "laporan sudah ditutup", "ditutup")},
	    {HEAD, "TOLAK KDR-CCCCCC salah",
		R_REFUSED(CLOSED, "laporan sudah ditutup", "ditutup")},
	    {HEAD, "TERIMA KDR-RRRRRR",
		R_REFUSED(RESOLVED, "laporan sudah selesai",
		    "selesai ditindaklanjuti")},
	    {HEAD, "SELESAI KDR-RRRRRR lagi",
		R_REFUSED(RESOLVED, "laporan sudah selesai",
		    "selesai ditindaklanjuti")},
	};
	struct fixture *f = *state;
	char *before, *after;
	size_t i;

	add_reports(f);
	before = dump(f);
	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		assert_reply_at(f, cases[i].number, cases[i].text,
		    NOW + (time_t)i, cases[i].want);
		after = dump(f);
		if (strcmp(after, before) != 0)
			fail_msg("case %zu (\"%s\") changed the database", i,
			    cases[i].text);
		free(after);
	}
	free(before);
}

/* Replace every copy of from in s by to, of the same length. */
static void
replace(char *s, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *p;

	assert_int_equal(strlen(to), n);
	while ((p = strstr(s, from)) != NULL)
		memcpy(p, to, n);
}

/*
 * Another OPD's code gets the very reply an unknown code gets, whatever
 * the command, the sender, the note and the other report's status.
 */
static void
test_other_opd_looks_unknown(void **state)
{
	static const char *const forms[] = {
	    "TERIMA %s",
	    "terima %s siap",
	    "PROSES %s sudah dicek",
	    "PROSES %s",
	    "SELESAI %s beres",
	    "SELESAI %s",
	    "TOLAK %s bukan kami",
	    "TOLAK %s",
	};
	static const char *const senders[] = {HEAD, DEPUTY, INSPEKT, PASAR};
	static const char *const others[] = {OTHER, OTHER_DONE};
	struct fixture *f = *state;
	char text[128], *known, *unknown, *before, *after;
	size_t i, j, k;

	add_reports(f);
	before = dump(f);
	for (i = 0; i < TESTLIB_COUNT(forms); i++)
		for (j = 0; j < TESTLIB_COUNT(senders); j++)
			for (k = 0; k < TESTLIB_COUNT(others); k++) {
				snprintf(
				    text, sizeof text, forms[i], others[k]);
				known = handle_at(f, senders[j], text, NOW);
				snprintf(text, sizeof text, forms[i], UNKNOWN);
				unknown = handle_at(f, senders[j], text, NOW);
				assert_non_null(strstr(known, others[k]));
				replace(known, others[k], UNKNOWN);
				if (strcmp(known, unknown) != 0)
					fail_msg("\"%s\" from %s: \"%s\" "
						 "differs from \"%s\"",
					    forms[i], senders[j], known,
					    unknown);
				free(known);
				free(unknown);
			}
	after = dump(f);
	assert_string_equal(after, before);
	free(after);
	free(before);
}

/* --- how codes are typed ------------------------------------------------- */

static void
test_codes_as_typed(void **state)
{
	static const struct {
		const char *code, *text;
	} cases[] = {
	    {"KDR-7K3M9Q", "terima kdr 7k3m9q"},
	    {"KDR-22AB3C", "Terima kdr-22ab3c"},
	    {"KDR-33CD4E", "TERIMA KDR33CD4E"},
	    {"KDR-44EF5G", "*terima* kdr_44ef5g"},
	    {"KDR-55GH6J", "  terima: Kdr.55Gh6J"},
	    {"KDR-66JK7M", "terima kdr \xe2\x80\x93 66jk7m"},
	    {"KDR-77MN8P", "TERIMA\nKDR 77MN8P\n"},
	};
	struct fixture *f = *state;
	struct history h;
	char want[512];
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		add_report(
		    f, cases[i].code, "routed", "dishub", NOW, RESOLVE_DUE);
		snprintf(want, sizeof want, R_ACK("%s", "%s"), cases[i].code,
		    RESOLVE_DUE_TEXT, cases[i].code, cases[i].code);
		assert_reply(f, HEAD, cases[i].text, want);
		assert_column(f, cases[i].code, "status", "acknowledged");
		history_of(f, cases[i].code, &h);
		assert_int_equal(h.n, 1);
		assert_history(&h.r[0], NOW, "head:dishub", "acknowledge",
		    "routed", "acknowledged", "(null)");
	}

	/* a note after a spaced, lower-case code */
	add_report(f, "KDR-88PQ9R", "routed", "dishub", NOW, RESOLVE_DUE);
	assert_reply(f, DEPUTY, "proses kdr 88pq9r: sudah dicek ke lokasi",
	    R_PROGRESS("KDR-88PQ9R"));
	assert_column(f, "KDR-88PQ9R", "status", "in_progress");
	history_of(f, "KDR-88PQ9R", &h);
	assert_int_equal(h.n, 1);
	assert_history(&h.r[0], NOW, "deputy:dishub", "progress", "routed",
	    "in_progress", "sudah dicek ke lokasi");
}

/*
 * The head's number on another channel than its own (an SMSSync phone
 * whose only credential is a shared secret, say) proves nothing: the
 * command is the unknown-code answer and changes nothing.
 */
static void
test_wrong_channel(void **state)
{
	struct fixture *f = *state;
	char *before, *after, *reply;
	static const struct {
		const char *channel, *number;
	} wrong[] = {{"sms", HEAD}, {"smssync", HEAD}, {"wa", DEPUTY}};
	size_t i;

	add_reports(f);
	before = dump(f);
	for (i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		assert_int_equal(store_begin(f->s, f->err, sizeof f->err), 0);
		reply = heads_handle(f->s, f->cfg, wrong[i].channel,
		    wrong[i].number, "TERIMA KDR-7K3M9Q", NOW, f->err,
		    sizeof f->err);
		assert_int_equal(store_commit(f->s, f->err, sizeof f->err), 0);
		assert_non_null(reply);
		assert_string_equal(reply, R_UNKNOWN(CODE));
		free(reply);
	}
	after = dump(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* on its own channel, the same command acts */
	assert_reply(
	    f, HEAD, "TERIMA KDR-7K3M9Q", R_ACK(CODE, RESOLVE_DUE_TEXT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_wrong_channel, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_terima_by_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_terima_by_deputy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_proses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_selesai, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_note, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tolak, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_route_from_triage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_teruskan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_refused_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_other_opd_looks_unknown, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_codes_as_typed, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
