/*
 * Unit tests of the outbox and receipt parts of queue/store.c: queueing
 * (a citizen's address sealed, a staff member's in clear), what is due and
 * in which order, claiming once, the outcome of an attempt, delivery
 * reports that move a row forward only and erase a citizen's address,
 * recovery at start, the SMS fallback of a staff row that dies (once, on
 * a dead result or a provider's failure report; never without a fallback
 * channel, never for a citizen), follow-ups (notes, the place, dedupe),
 * receipts waiting for their hash and found by it.  Every test uses a fresh
 * database in a temp dir; checks the API does not offer read the file
 * through a second connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "queue/store.h"
#include "tests/unit/testlib.h"

#define NOW	 1795314600000LL /* ms */
#define RECEIVED 1700000000	 /* an old report, in seconds */
#define SEALED	 "sealed:+6281234567890\0Terima kasih"
#define STAFF	 "+6281100000001"

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX];
	struct store *s;
	char err[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(testlib_mkdtemp(f->dir, "hotline-outbox"), 0);
	testlib_path(f->path, f->dir, "o.db");
	f->s = store_open(f->path, STORE_READWRITE, f->err, sizeof f->err);
	assert_non_null(f->s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	assert_int_equal(testlib_rmtree(f->dir), 0);
	free(f);
	return 0;
}

/* Transactions: every write below runs inside one. */

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

/* Reading the file through a second connection. */

/*
 * The first column of the first row of sql with ?1 = arg (when sql has a
 * parameter), as text.
 */
static void
query_text(
    struct fixture *f, const char *sql, long long arg, char *out, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	const unsigned char *v = NULL;

	assert_int_equal(
	    sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_text(st, 0);
	snprintf(out, len, "%s", v != NULL ? (const char *)v : "(null)");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The same as a number: -1 when there is none. */
static long long
query_int(struct fixture *f, const char *sql, long long arg)
{
	char v[32];

	query_text(f, sql, arg, v, sizeof v);
	return strcmp(v, "(null)") == 0 ? -1 : strtoll(v, NULL, 10);
}

/* The id of the last row of table (outbox, reports). */
static long long
last_id(struct fixture *f, const char *table)
{
	char sql[64];

	snprintf(sql, sizeof sql, "SELECT max(id) FROM %s", table);
	return query_int(f, sql, 0);
}

/* Outbox rows as the store lists them. */

struct row {
	long long id, report_id, next_attempt_at;
	char report_code[STORE_CODE_MAX];
	char kind[16], status[16], destination[32], last_error[64];
	char channel[16], body[64], template_name[32], template_params[96];
	char fallback[16];
	size_t sealed_len;
	int attempts;
};

struct rows {
	struct row r[16];
	int n;
};

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "(null)");
}

static int
collect(const struct store_outbox_row *o, void *arg)
{
	struct rows *rs = arg;
	struct row *r = &rs->r[rs->n++];

	assert_true(rs->n <= (int)TESTLIB_COUNT(rs->r));
	r->id = o->id;
	r->report_id = o->report_id;
	r->next_attempt_at = o->next_attempt_at;
	copy(r->report_code, sizeof r->report_code, o->report_code);
	copy(r->kind, sizeof r->kind, o->kind);
	copy(r->status, sizeof r->status, o->status);
	copy(r->destination, sizeof r->destination, o->destination);
	copy(r->last_error, sizeof r->last_error, o->last_error);
	copy(r->channel, sizeof r->channel, o->channel);
	copy(r->body, sizeof r->body, o->body);
	copy(r->template_name, sizeof r->template_name, o->template_name);
	copy(r->template_params, sizeof r->template_params, o->template_params);
	copy(r->fallback, sizeof r->fallback, o->fallback);
	r->sealed_len = o->sealed_len;
	r->attempts = o->attempts;
	if (o->sealed_len > 0)
		assert_memory_equal(o->sealed, SEALED, sizeof SEALED);
	return 0;
}

/* Row id of the outbox, which must exist. */
static struct row
row(struct fixture *f, long long id)
{
	struct rows rs = {0};
	int i;

	assert_int_equal(
	    store_each_outbox(f->s, collect, &rs, f->err, sizeof f->err), 0);
	for (i = 0; i < rs.n; i++)
		if (rs.r[i].id == id)
			return rs.r[i];
	fail_msg("no outbox row %lld", id);
	return rs.r[0];
}

/* The ids of the rows due at now, at most limit, in order, as a string. */
static void
assert_due(struct fixture *f, long long now, int limit, const char *want)
{
	struct rows rs = {0};
	char got[64] = "";
	size_t len = 0;
	int i;

	assert_int_equal(store_each_due(f->s, now, limit, collect, &rs, f->err,
			     sizeof f->err),
	    0);
	for (i = 0; i < rs.n; i++)
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%lld",
		    i > 0 ? " " : "", rs.r[i].id);
	assert_string_equal(got, want);
}

/* Queue one message for a citizen (sealed) or staff (in clear): its id. */
static long long
queue_message(struct fixture *f, int citizen, const char *status,
    long long report_id, long long now)
{
	struct store_outbound o = {
	    .report_id = report_id,
	    .kind = citizen ? "ack" : "alert",
	    .channel = "whatsapp",
	    .status = status,
	};

	if (citizen) {
		o.sealed = (const unsigned char *)SEALED;
		o.sealed_len = sizeof SEALED;
	} else {
		o.destination = STAFF;
		o.body = "Laporan baru KDR-7K3M9Q";
	}
	begin(f);
	assert_int_equal(
	    store_insert_outbound(f->s, &o, now, f->err, sizeof f->err), 0);
	commit(f);
	return last_id(f, "outbox");
}

static int
claim(struct fixture *f, long long id, long long now)
{
	int rc;

	begin(f);
	rc = store_outbox_claim(f->s, id, now, f->err, sizeof f->err);
	commit(f);
	return rc;
}

static void
result(struct fixture *f, long long id, const char *status,
    const unsigned char *hash, long long next, const char *error)
{
	begin(f);
	assert_int_equal(store_outbox_result(f->s, id, status, hash, next,
			     error, NOW + 1, f->err, sizeof f->err),
	    0);
	commit(f);
}

/* A provider's delivery report about the message it calls provider_id. */
static void
callback(struct fixture *f, const char *provider_id, const char *status)
{
	struct store_status s = {
	    .channel = "whatsapp", .status = status, .error_code = 131047};

	store_hash_id(
	    store_dedupe_key(f->s), "whatsapp", provider_id, s.message);
	begin(f);
	assert_int_equal(
	    store_insert_status(f->s, &s, f->err, sizeof f->err), 0);
	commit(f);
}

/* Queue, claim and send a citizen's message known as provider_id. */
static long long
sent_message(struct fixture *f, const char *provider_id)
{
	unsigned char hash[STORE_HASH_BYTES];
	long long id = queue_message(f, 1, NULL, 0, NOW);

	assert_int_equal(claim(f, id, NOW), 0);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", provider_id, hash);
	result(f, id, "sent", hash, NOW, NULL);
	return id;
}

/* Reports. */

struct report_spec {
	const char *kecamatan, *kelurahan;
	const unsigned char *pending;
	size_t pending_len;
};

/* A memkey-sealed receipt as far as the store can tell: opaque bytes. */
static const unsigned char pending_blob[] = "sealed receipt";
static const struct report_spec no_place = {0};
static const struct report_spec with_pending = {
    .pending = pending_blob, .pending_len = sizeof pending_blob};

static long long
add_report(
    struct fixture *f, const struct report_spec *spec, struct store_report *r)
{
	memset(r, 0, sizeof *r);
	randombytes_buf(r->uid, sizeof r->uid);
	randombytes_buf(r->dedupe, sizeof r->dedupe);
	store_new_code("KDR", r->code);
	r->channel = "whatsapp";
	r->type = "text";
	r->text = "petugas minta uang rokok";
	r->received_at = RECEIVED;
	r->status = "routed";
	r->category = "pungli";
	r->opd = "dispendukcapil";
	r->kecamatan = spec->kecamatan;
	r->kelurahan = spec->kelurahan;
	if (spec->pending_len > 0)
		memcpy(r->pending, spec->pending, spec->pending_len);
	r->pending_len = spec->pending_len;
	begin(f);
	assert_int_equal(
	    store_insert_report(f->s, r, "KDR", f->err, sizeof f->err), 0);
	commit(f);
	assert_false(r->duplicate);
	return last_id(f, "reports");
}

/* The tests. */

static void
test_insert_outbound(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &no_place, &r);
	long long citizen = queue_message(f, 1, NULL, rid, NOW);
	long long staff = queue_message(f, 0, NULL, 0, NOW + 5);
	long long inline_reply = queue_message(f, 1, "sent", rid, NOW + 9);
	struct row o;

	o = row(f, citizen);
	assert_string_equal(o.kind, "ack");
	assert_string_equal(o.status, "queued");
	assert_string_equal(o.destination, "(null)");
	assert_int_equal(o.sealed_len, sizeof SEALED);
	assert_int_equal(o.report_id, rid);
	assert_string_equal(o.report_code, r.code);
	assert_int_equal(o.attempts, 0);
	assert_int_equal(o.next_attempt_at, NOW);
	o = row(f, staff);
	assert_string_equal(o.status, "queued");
	assert_string_equal(o.destination, STAFF);
	assert_int_equal(o.sealed_len, 0);
	assert_int_equal(o.report_id, 0);
	assert_string_equal(o.report_code, "(null)");
	o = row(f, inline_reply);
	assert_string_equal(o.status, "sent");
	/* Nothing of a citizen is in clear in the outbox. */
	assert_int_equal(query_int(f,
			     "SELECT count(*) FROM outbox WHERE "
			     "destination IS NOT NULL AND id <> ?1",
			     staff),
	    0);
}

static void
test_due_order_and_filter(void **state)
{
	struct fixture *f = *state;
	long long a = queue_message(f, 1, NULL, 0, NOW + 1000);
	long long b = queue_message(f, 0, NULL, 0, NOW + 3000);
	long long c = queue_message(f, 1, NULL, 0, NOW + 2000);
	char want[64];

	queue_message(f, 1, "sent", 0, NOW); /* inline: never due */
	assert_due(f, NOW + 999, 10, "");
	snprintf(want, sizeof want, "%lld %lld", a, c);
	assert_due(f, NOW + 2500, 10, want);
	snprintf(want, sizeof want, "%lld %lld %lld", a, c, b);
	assert_due(f, NOW + 3000, 10, want);
	snprintf(want, sizeof want, "%lld %lld", a, c);
	assert_due(f, NOW + 9000, 2, want);
	/* A failed row is due again at its next attempt, in that order. */
	assert_int_equal(claim(f, a, NOW + 9000), 0);
	result(f, a, "failed", NULL, NOW + 2500, "HTTP 503");
	snprintf(want, sizeof want, "%lld %lld %lld", c, a, b);
	assert_due(f, NOW + 9000, 10, want);
	snprintf(want, sizeof want, "%lld", c);
	assert_due(f, NOW + 2499, 10, want);
}

/* A row queued with not_before_ms is not due before then. */
static void
test_not_before(void **state)
{
	struct fixture *f = *state;
	struct store_outbound o = {.kind = "forget",
	    .channel = "whatsapp",
	    .sealed = (const unsigned char *)SEALED,
	    .sealed_len = sizeof SEALED,
	    .not_before_ms = NOW + 5000};
	char want[64];

	begin(f);
	assert_int_equal(
	    store_insert_outbound(f->s, &o, NOW, f->err, sizeof f->err), 0);
	commit(f);
	assert_due(f, NOW + 4999, 10, "");
	snprintf(want, sizeof want, "%lld", last_id(f, "outbox"));
	assert_due(f, NOW + 5000, 10, want);
}

static void
test_claim_only_once(void **state)
{
	struct fixture *f = *state;
	long long id = queue_message(f, 1, NULL, 0, NOW);
	struct row o;

	assert_int_equal(claim(f, id, NOW + 1), 0);
	assert_int_equal(claim(f, id, NOW + 2), 1);
	o = row(f, id);
	assert_string_equal(o.status, "sending");
	assert_int_equal(o.attempts, 1);
	assert_due(f, NOW + 10, 10, "");
	assert_int_equal(claim(f, id + 1000, NOW), 1);
	/* A failure makes it claimable again, one attempt more. */
	result(f, id, "failed", NULL, NOW + 30000, "timed out");
	o = row(f, id);
	assert_string_equal(o.status, "failed");
	assert_string_equal(o.last_error, "timed out");
	assert_int_equal(o.next_attempt_at, NOW + 30000);
	assert_int_equal(o.sealed_len, sizeof SEALED);
	assert_int_equal(claim(f, id, NOW + 30000), 0);
	assert_int_equal(row(f, id).attempts, 2);
	/* Sent is not claimable. */
	result(f, id, "sent", NULL, NOW, NULL);
	assert_int_equal(claim(f, id, NOW + 40000), 1);
}

static void
test_dead_erases_sealed(void **state)
{
	struct fixture *f = *state;
	long long id = queue_message(f, 1, NULL, 0, NOW);
	struct row o;

	assert_int_equal(claim(f, id, NOW), 0);
	result(f, id, "dead", NULL, NOW, "HTTP 400");
	o = row(f, id);
	assert_string_equal(o.status, "dead");
	assert_string_equal(o.last_error, "HTTP 400");
	assert_int_equal(o.sealed_len, 0);
	assert_int_equal(claim(f, id, NOW), 1);
	assert_due(f, NOW + 100000, 10, "");
}

/* Delivery reports, one after another, and the row's status after each. */
struct callback_case {
	const char *reports[5]; /* NULL-terminated */
	const char *after[5];
	int sealed_after_last; /* is the address still kept? */
};

static void
test_status_callbacks(void **state)
{
	static const struct callback_case cases[] = {
	    {{"sent", "delivered", "read", NULL}, {"sent", "delivered", "read"},
		0},
	    {{"delivered", "sent", NULL}, {"delivered", "delivered"}, 0},
	    {{"read", "delivered", "sent", NULL}, {"read", "read", "read"}, 0},
	    {{"sent", NULL}, {"sent"}, 1},
	    {{"failed", NULL}, {"dead"}, 0},
	    {{"undelivered", NULL}, {"dead"}, 0},
	    {{"sent", "failed", "read", NULL}, {"sent", "dead", "dead"}, 0},
	    {{"delivered", "failed", NULL}, {"delivered", "delivered"}, 0},
	    {{"accepted", "queued", "sending", NULL}, {"sent", "sent", "sent"},
		1},
	    {{"dead", NULL}, {"sent"}, 1},
	};
	struct fixture *f = *state;
	char pid[32];
	long long id;
	size_t i, j;
	struct row o;

	for (i = 0; i < TESTLIB_COUNT(cases); i++) {
		snprintf(pid, sizeof pid, "wamid.OUT%zu", i);
		id = sent_message(f, pid);
		for (j = 0; cases[i].reports[j] != NULL; j++) {
			callback(f, pid, cases[i].reports[j]);
			o = row(f, id);
			if (strcmp(o.status, cases[i].after[j]) != 0)
				fail_msg("case %zu, after %s: %s, want %s", i,
				    cases[i].reports[j], o.status,
				    cases[i].after[j]);
		}
		assert_int_equal(o.sealed_len,
		    cases[i].sealed_after_last ? sizeof SEALED : 0);
	}
}

/* A provider's report of failure is final: no resend, no address kept. */
static void
test_failed_callback_is_final(void **state)
{
	struct fixture *f = *state;
	long long id = sent_message(f, "wamid.F");
	struct row o;

	callback(f, "wamid.F", "failed");
	o = row(f, id);
	assert_string_equal(o.status, "dead");
	assert_string_equal(o.last_error, "provider reported failure 131047");
	assert_int_equal(o.sealed_len, 0);
	assert_due(f, (long long)time(NULL) * 1000 + 100000, 10, "");
}

static void
test_callback_for_another_message(void **state)
{
	struct fixture *f = *state;
	long long id = sent_message(f, "wamid.MINE");

	callback(f, "wamid.OTHER", "delivered");
	assert_string_equal(row(f, id).status, "sent");
	/* Another channel's message of the same id is another message. */
	{
		struct store_status s = {.channel = "sms", .status = "read"};

		store_hash_id(
		    store_dedupe_key(f->s), "sms", "wamid.MINE", s.message);
		begin(f);
		assert_int_equal(
		    store_insert_status(f->s, &s, f->err, sizeof f->err), 0);
		commit(f);
	}
	assert_string_equal(row(f, id).status, "sent");
	assert_int_equal(row(f, id).sealed_len, sizeof SEALED);
}

/* SMS fallback: a staff alert on WhatsApp that dies goes again by SMS. */

#define ALERT_BODY   "Laporan baru KDR-7K3M9Q untuk Dishub"
#define ALERT_PARAMS "[\"Laporan baru\",\"KDR-7K3M9Q\",\"" ALERT_BODY "\"]"

/*
 * Queue a message as the watcher queues an alert: on WhatsApp, as a
 * template, with fallback (NULL: none).  A citizen's (sealed) when
 * citizen is set, else a staff member's.  Its id.
 */
static long long
queue_alert(
    struct fixture *f, int citizen, const char *fallback, long long report_id)
{
	struct store_outbound o = {
	    .report_id = report_id,
	    .kind = citizen ? "ack" : "alert",
	    .channel = "whatsapp",
	    .template_name = "laporan_baru_v2",
	    .template_params = ALERT_PARAMS,
	    .fallback = fallback,
	};

	if (citizen) {
		o.sealed = (const unsigned char *)SEALED;
		o.sealed_len = sizeof SEALED;
	} else {
		o.destination = STAFF;
		o.body = ALERT_BODY;
	}
	begin(f);
	assert_int_equal(
	    store_insert_outbound(f->s, &o, NOW, f->err, sizeof f->err), 0);
	commit(f);
	return last_id(f, "outbox");
}

/* The outbox's rows on channel sms: how many, the last one in *last. */
static int
fallbacks(struct fixture *f, struct row *last)
{
	struct rows rs = {0};
	int i, n = 0;

	assert_int_equal(
	    store_each_outbox(f->s, collect, &rs, f->err, sizeof f->err), 0);
	for (i = 0; i < rs.n; i++)
		if (strcmp(rs.r[i].channel, "sms") == 0) {
			*last = rs.r[i];
			n++;
		}
	return n;
}

static long long
outbox_rows(struct fixture *f)
{
	return query_int(f, "SELECT count(*) FROM outbox", 0);
}

/*
 * Row id died and fell back: the one SMS row is a plain copy of it (no
 * template), queued at a time in [from, to] (ms).  Returns its id.
 */
static long long
assert_fell_back(struct fixture *f, long long id, long long report_id,
    long long from, long long to)
{
	struct row o, fb;

	assert_int_equal(fallbacks(f, &fb), 1);
	assert_true(fb.id > id);
	assert_string_equal(fb.kind, "alert");
	assert_string_equal(fb.status, "queued");
	assert_string_equal(fb.destination, STAFF);
	assert_string_equal(fb.body, ALERT_BODY);
	assert_string_equal(fb.template_name, "(null)");
	assert_string_equal(fb.template_params, "(null)");
	assert_string_equal(fb.fallback, "(null)");
	assert_string_equal(fb.last_error, "(null)");
	assert_int_equal(fb.report_id, report_id);
	assert_int_equal(fb.attempts, 0);
	assert_int_equal(fb.sealed_len, 0);
	assert_true(fb.next_attempt_at >= from && fb.next_attempt_at <= to);
	o = row(f, id);
	assert_string_equal(o.status, "dead");
	assert_string_equal(o.channel, "whatsapp");
	assert_string_equal(o.template_name, "laporan_baru_v2");
	assert_string_equal(o.template_params, ALERT_PARAMS);
	return fb.id;
}

static void
test_fallback_when_dead(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &no_place, &r);
	long long id = queue_alert(f, 0, "sms", rid), fb;
	char want[32];
	struct row o;

	assert_int_equal(claim(f, id, NOW), 0);
	result(f, id, "failed", NULL, NOW + 30000, "HTTP 503");
	assert_int_equal(outbox_rows(f), 1); /* a retry is no death */
	assert_int_equal(claim(f, id, NOW + 30000), 0);
	result(f, id, "dead", NULL, NOW, "HTTP 400");
	fb = assert_fell_back(f, id, rid, NOW + 1, NOW + 1);
	assert_string_equal(row(f, id).last_error, "HTTP 400");
	snprintf(want, sizeof want, "%lld", fb);
	assert_due(f, NOW + 1, 10, want);
	/* once: another dead result, a failure report, adds nothing */
	result(f, id, "dead", NULL, NOW, "HTTP 400");
	callback(f, "wamid.NEVER-SENT", "failed");
	assert_int_equal(outbox_rows(f), 2);
	/* the SMS has no fallback of its own */
	assert_int_equal(claim(f, fb, NOW + 1), 0);
	result(f, fb, "dead", NULL, NOW, "HTTP 500");
	assert_int_equal(outbox_rows(f), 2);
	assert_int_equal(fallbacks(f, &o), 1);
	assert_string_equal(o.status, "dead");
}

static void
test_fallback_on_failed_callback(void **state)
{
	struct fixture *f = *state;
	unsigned char hash[STORE_HASH_BYTES];
	long long id = queue_alert(f, 0, "sms", 0), early, before, after;
	struct row o;

	assert_int_equal(claim(f, id, NOW), 0);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", "wamid.A", hash);
	result(f, id, "sent", hash, NOW, NULL);
	assert_int_equal(fallbacks(f, &o), 0);
	callback(f, "wamid.A", "sent");
	assert_int_equal(outbox_rows(f), 1);
	before = (long long)time(NULL) * 1000;
	callback(f, "wamid.A", "failed");
	after = (long long)time(NULL) * 1000;
	assert_fell_back(f, id, 0, before, after);
	assert_string_equal(
	    row(f, id).last_error, "provider reported failure 131047");
	/* once: the same report again, another failure, a dead result */
	callback(f, "wamid.A", "failed");
	callback(f, "wamid.A", "undelivered");
	result(f, id, "dead", hash, NOW, "HTTP 400");
	assert_int_equal(outbox_rows(f), 2);

	/* the failure reported before the send's result was stored */
	early = queue_alert(f, 0, "sms", 0);
	assert_int_equal(claim(f, early, NOW), 0);
	callback(f, "wamid.B", "failed");
	assert_int_equal(outbox_rows(f), 3);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", "wamid.B", hash);
	result(f, early, "sent", hash, NOW, NULL);
	assert_string_equal(row(f, early).status, "dead");
	assert_int_equal(outbox_rows(f), 4);
	assert_int_equal(fallbacks(f, &o), 2);
	assert_true(o.id > early);
	assert_string_equal(o.body, ALERT_BODY);
	assert_string_equal(o.template_name, "(null)");
	callback(f, "wamid.B", "failed");
	assert_int_equal(outbox_rows(f), 4);
}

static void
test_no_fallback_without_channel(void **state)
{
	struct fixture *f = *state;
	unsigned char hash[STORE_HASH_BYTES];
	long long dies = queue_alert(f, 0, NULL, 0);
	long long reported = queue_alert(f, 0, NULL, 0);

	assert_int_equal(claim(f, dies, NOW), 0);
	result(f, dies, "dead", NULL, NOW, "HTTP 400");
	assert_int_equal(claim(f, reported, NOW), 0);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", "wamid.N", hash);
	result(f, reported, "sent", hash, NOW, NULL);
	callback(f, "wamid.N", "failed");
	assert_string_equal(row(f, dies).status, "dead");
	assert_string_equal(row(f, reported).status, "dead");
	assert_int_equal(outbox_rows(f), 2);
}

/* A citizen's address is sealed for WhatsApp: never sent on by SMS. */
static void
test_citizen_never_falls_back(void **state)
{
	struct fixture *f = *state;
	unsigned char hash[STORE_HASH_BYTES];
	struct store_report r;
	long long rid = add_report(f, &no_place, &r);
	long long dies = queue_alert(f, 1, "sms", rid);
	long long reported = queue_alert(f, 1, "sms", rid);

	assert_int_equal(claim(f, dies, NOW), 0);
	result(f, dies, "dead", NULL, NOW, "HTTP 400");
	assert_int_equal(claim(f, reported, NOW), 0);
	store_hash_id(store_dedupe_key(f->s), "whatsapp", "wamid.C", hash);
	result(f, reported, "sent", hash, NOW, NULL);
	callback(f, "wamid.C", "failed");
	assert_string_equal(row(f, dies).status, "dead");
	assert_string_equal(row(f, reported).status, "dead");
	assert_int_equal(outbox_rows(f), 2);
	assert_int_equal(query_int(f,
			     "SELECT count(*) FROM outbox WHERE destination IS "
			     "NOT NULL OR body IS NOT NULL",
			     0),
	    0);
}

#define PENDING_COUNT "SELECT count(*) FROM reports WHERE pending IS NOT NULL"

static void
test_recover(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long queued = queue_message(f, 1, NULL, 0, NOW);
	long long sending = queue_message(f, 1, NULL, 0, NOW);
	long long failed = queue_message(f, 1, NULL, 0, NOW);
	long long sent = sent_message(f, "wamid.S");
	long long staff_sending = queue_message(f, 0, NULL, 0, NOW);
	long long staff_queued = queue_message(f, 0, NULL, 0, NOW);
	long long staff_failed = queue_message(f, 0, NULL, 0, NOW);
	long long staff_sent = queue_message(f, 0, NULL, 0, NOW);
	long long id;
	struct row o;

	add_report(f, &with_pending, &r);
	assert_int_equal(query_int(f, PENDING_COUNT, 0), 1);
	assert_int_equal(claim(f, sending, NOW), 0);
	assert_int_equal(claim(f, failed, NOW), 0);
	result(f, failed, "failed", NULL, NOW + 5000, "HTTP 503");
	assert_int_equal(claim(f, staff_sending, NOW), 0);
	assert_int_equal(claim(f, staff_failed, NOW), 0);
	result(f, staff_failed, "failed", NULL, NOW + 5000, "HTTP 503");
	assert_int_equal(claim(f, staff_sent, NOW), 0);
	result(f, staff_sent, "sent", NULL, NOW, NULL);

	assert_int_equal(
	    store_outbox_recover(f->s, NOW + 60000, f->err, sizeof f->err), 3);
	for (id = queued; id <= failed; id++) {
		o = row(f, id);
		assert_string_equal(o.status, "dead");
		assert_int_equal(o.sealed_len, 0);
		assert_string_equal(o.last_error, "address lost at restart");
	}
	o = row(f, sent);
	assert_string_equal(o.status, "sent");
	assert_int_equal(o.sealed_len, 0);
	o = row(f, staff_sending);
	assert_string_equal(o.status, "failed");
	assert_int_equal(o.next_attempt_at, NOW + 60000);
	assert_string_equal(row(f, staff_queued).status, "queued");
	assert_string_equal(row(f, staff_failed).status, "failed");
	assert_string_equal(row(f, staff_sent).status, "sent");
	assert_int_equal(query_int(f,
			     "SELECT count(*) FROM outbox WHERE sealed IS NOT "
			     "NULL",
			     0),
	    0);
	assert_int_equal(query_int(f, PENDING_COUNT, 0), 0);
	/* Nothing left to drop the second time. */
	assert_int_equal(
	    store_outbox_recover(f->s, NOW + 70000, f->err, sizeof f->err), 0);
}

/* The place a citizen names in a follow-up. */
static const struct report_spec bandar_lor = {
    .kecamatan = "mojoroto", .kelurahan = "Bandar Lor"};
static const struct report_spec semampir = {
    .kecamatan = "kota", .kelurahan = "Semampir"};

/*
 * Store a follow-up of the report whose id is target (0: none), known
 * as msgid, naming place, with a reply of reply_kind (NULL: none).
 * Returns its duplicate flag.
 */
static int
followup(struct fixture *f, long long target, const char *msgid,
    const struct report_spec *place, const char *reply_kind)
{
	struct store_followup fu = {
	    .channel = "whatsapp",
	    .note_kind = "place",
	    .text = "kel bandar lor",
	    .kecamatan = place->kecamatan,
	    .kelurahan = place->kelurahan,
	    .reply = {.kind = reply_kind,
		.channel = "whatsapp",
		.sealed = (const unsigned char *)SEALED,
		.sealed_len = sizeof SEALED},
	};

	store_hash_id(store_dedupe_key(f->s), "whatsapp", msgid, fu.dedupe);
	fu.target = target;
	begin(f);
	assert_int_equal(
	    store_insert_followup(f->s, &fu, f->err, sizeof f->err), 0);
	commit(f);
	return fu.duplicate;
}

static void
assert_region(
    struct fixture *f, long long rid, const char *kec, const char *kel)
{
	char got[64];

	query_text(f, "SELECT kecamatan FROM reports WHERE id = ?1", rid, got,
	    sizeof got);
	assert_string_equal(got, kec);
	query_text(f, "SELECT kelurahan FROM reports WHERE id = ?1", rid, got,
	    sizeof got);
	assert_string_equal(got, kel);
}

static long long
notes_of(struct fixture *f, long long rid)
{
	return query_int(
	    f, "SELECT count(*) FROM report_notes WHERE report_id = ?1", rid);
}

static void
test_followup_fills_place(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &no_place, &r);
	struct row o;

	assert_false(followup(f, r.id, "wamid.F1", &bandar_lor, "place_added"));
	assert_int_equal(notes_of(f, rid), 1);
	assert_region(f, rid, "mojoroto", "Bandar Lor");
	o = row(f, last_id(f, "outbox"));
	assert_string_equal(o.kind, "place_added");
	assert_string_equal(o.status, "queued");
	assert_int_equal(o.report_id, rid);
	assert_int_equal(o.sealed_len, sizeof SEALED);
	/* A second place does not replace the first. */
	assert_false(followup(f, r.id, "wamid.F2", &semampir, NULL));
	assert_int_equal(notes_of(f, rid), 2);
	assert_region(f, rid, "mojoroto", "Bandar Lor");
}

static void
test_followup_keeps_known_place(void **state)
{
	struct fixture *f = *state;
	const struct report_spec kec_only = {.kecamatan = "pesantren"};
	const struct report_spec kel_only = {.kelurahan = "Ngronggo"};
	struct store_report r;
	long long rid = add_report(f, &kec_only, &r);

	followup(f, r.id, "wamid.K1", &bandar_lor, NULL);
	assert_region(f, rid, "pesantren", "(null)");
	rid = add_report(f, &kel_only, &r);
	followup(f, r.id, "wamid.K2", &bandar_lor, NULL);
	assert_region(f, rid, "(null)", "Ngronggo");
	assert_int_equal(notes_of(f, rid), 1);
}

static void
test_followup_duplicate(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &no_place, &r);

	assert_false(followup(f, r.id, "wamid.D", &bandar_lor, "place_added"));
	/* The provider delivers the same message again. */
	assert_true(followup(f, r.id, "wamid.D", &semampir, "place_added"));
	assert_int_equal(notes_of(f, rid), 1);
	assert_int_equal(last_id(f, "outbox"), 1);
	assert_region(f, rid, "mojoroto", "Bandar Lor");
}

static void
test_followup_without_target(void **state)
{
	struct fixture *f = *state;
	struct row o;

	assert_false(followup(f, 0, "wamid.E", &no_place, "empty"));
	assert_int_equal(
	    query_int(f, "SELECT count(*) FROM report_notes", 0), 0);
	o = row(f, last_id(f, "outbox"));
	assert_string_equal(o.kind, "empty");
	assert_int_equal(o.report_id, 0);
	/* No reply wanted: nothing queued. */
	assert_false(followup(f, 0, "wamid.E2", &no_place, NULL));
	assert_int_equal(last_id(f, "outbox"), o.id);
}

static int
count_pending(const struct store_pending *p, void *arg)
{
	int *n = arg;

	assert_non_null(p->code);
	assert_string_equal(p->channel, "whatsapp");
	assert_string_equal(p->opd, "dispendukcapil");
	assert_true(p->pending_len > 0);
	(*n)++;
	return *n == 100 ? -1 : 0;
}

static void
test_each_pending_count_and_limit(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	int i, n = 0;

	for (i = 0; i < 5; i++)
		add_report(f, i == 2 ? &no_place : &with_pending, &r);
	assert_int_equal(store_each_pending(
			     f->s, 3, count_pending, &n, f->err, sizeof f->err),
	    3);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(store_each_pending(f->s, 10, count_pending, &n, f->err,
			     sizeof f->err),
	    4);
	assert_int_equal(n, 4);
	/* The callback may stop the walk. */
	n = 99;
	assert_int_equal(store_each_pending(f->s, 10, count_pending, &n, f->err,
			     sizeof f->err),
	    1);
}

struct pending_seen {
	long long id;
	char code[STORE_CODE_MAX];
	unsigned char blob[32];
	size_t len;
};

static int
first_pending(const struct store_pending *p, void *arg)
{
	struct pending_seen *ps = arg;

	ps->id = p->id;
	snprintf(ps->code, sizeof ps->code, "%s", p->code);
	assert_true(p->pending_len <= sizeof ps->blob);
	memcpy(ps->blob, p->pending, p->pending_len);
	ps->len = p->pending_len;
	return 0;
}

static void
set_receipt(struct fixture *f, long long rid, const unsigned char *hash)
{
	begin(f);
	assert_int_equal(
	    store_set_receipt(f->s, rid, hash, f->err, sizeof f->err), 0);
	commit(f);
}

static void
test_receipt_set_and_find(void **state)
{
	struct fixture *f = *state;
	unsigned char hash[STORE_HASH_BYTES], other[STORE_HASH_BYTES];
	struct store_report_status rs;
	struct pending_seen ps = {0};
	struct store_report r;
	long long rid = add_report(f, &with_pending, &r);

	assert_int_equal(store_each_pending(f->s, 1, first_pending, &ps, f->err,
			     sizeof f->err),
	    1);
	assert_int_equal(ps.id, rid);
	assert_string_equal(ps.code, r.code);
	assert_int_equal(ps.len, sizeof pending_blob);
	assert_memory_equal(ps.blob, pending_blob, sizeof pending_blob);
	randombytes_buf(hash, sizeof hash);
	randombytes_buf(other, sizeof other);
	assert_int_equal(
	    store_find_by_receipt(f->s, hash, &rs, f->err, sizeof f->err), 1);
	set_receipt(f, rid, hash);
	assert_int_equal(store_each_pending(f->s, 10, first_pending, &ps,
			     f->err, sizeof f->err),
	    0);
	memset(&rs, 0, sizeof rs);
	assert_int_equal(
	    store_find_by_receipt(f->s, hash, &rs, f->err, sizeof f->err), 0);
	assert_int_equal(rs.id, rid);
	assert_string_equal(rs.code, r.code);
	assert_string_equal(rs.status, "routed");
	assert_string_equal(rs.category, "pungli");
	assert_string_equal(rs.opd, "dispendukcapil");
	assert_int_equal(rs.updated_at, RECEIVED - RECEIVED % 3600);
	assert_int_equal(
	    store_find_by_receipt(f->s, other, &rs, f->err, sizeof f->err), 1);
}

static void
test_receipt_lost(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &with_pending, &r);
	struct pending_seen ps = {0};

	set_receipt(f, rid, NULL);
	assert_int_equal(store_each_pending(f->s, 10, first_pending, &ps,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(query_int(f,
			     "SELECT count(*) FROM reports WHERE id = ?1 AND "
			     "receipt_hash IS NULL AND pending IS NULL",
			     rid),
	    1);
}

static long long
this_hour(void)
{
	time_t now = time(NULL);

	return (long long)(now - now % 3600);
}

static void
test_add_note(void **state)
{
	struct fixture *f = *state;
	struct store_report r;
	long long rid = add_report(f, &no_place, &r), before, updated;
	char text[64];

	before = this_hour();
	begin(f);
	assert_int_equal(store_add_note(f->s, rid, "addition",
			     "pelakunya dua orang", f->err, sizeof f->err),
	    0);
	commit(f);
	assert_int_equal(notes_of(f, rid), 1);
	query_text(f, "SELECT text FROM report_notes WHERE report_id = ?1", rid,
	    text, sizeof text);
	assert_string_equal(text, "pelakunya dua orang");
	query_text(f, "SELECT kind FROM report_notes WHERE report_id = ?1", rid,
	    text, sizeof text);
	assert_string_equal(text, "addition");
	/* updated_at moves to this hour (no finer: it would date the note). */
	updated =
	    query_int(f, "SELECT updated_at FROM reports WHERE id = ?1", rid);
	assert_true(updated >= before && updated <= this_hour());
}

static void
test_seen(void **state)
{
	struct fixture *f = *state;
	unsigned char a[STORE_HASH_BYTES], b[STORE_HASH_BYTES];

	store_hash_id(store_dedupe_key(f->s), "sms", "msg-1", a);
	store_hash_id(store_dedupe_key(f->s), "sms", "msg-2", b);
	begin(f);
	assert_int_equal(store_seen(f->s, "sms", a, f->err, sizeof f->err), 0);
	assert_int_equal(store_seen(f->s, "sms", a, f->err, sizeof f->err), 1);
	assert_int_equal(store_seen(f->s, "sms", b, f->err, sizeof f->err), 0);
	commit(f);
	assert_int_equal(store_count(f->s, "inbound"), 2);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

/*
 * hotline resend: dead staff messages are queued again (of a kind, of the
 * last while); a citizen's, whose address is gone, only counted; one
 * delivered another way since is left alone.
 */
static void
test_resend(void **state)
{
	struct fixture *f = *state;
	struct store_resent n;
	struct store_report r7, r8;
	long long staff, citizen, old, other, delivered, id7, id8;

	id7 = add_report(f, &no_place, &r7);
	id8 = add_report(f, &no_place, &r8);
	staff = queue_message(f, 0, "queued", 0, NOW);
	result(f, staff, "dead", NULL, 0, "HTTP 401: error 190");
	citizen = queue_message(f, 1, "queued", 0, NOW);
	result(f, citizen, "dead", NULL, 0, "HTTP 400");
	old = queue_message(f, 0, "queued", id7, NOW);
	result(f, old, "dead", NULL, 0, "HTTP 401");
	/* an alert dead on WhatsApp, but its twin sent since */
	other = queue_message(f, 0, "queued", id8, NOW);
	result(f, other, "dead", NULL, 0, "HTTP 400");
	delivered = queue_message(f, 0, "queued", id8, NOW);
	result(f, delivered, "sent", NULL, 0, NULL);

	/* of another kind: nothing */
	assert_int_equal(store_resend(f->s, "digest", 0, NOW + 10, &n, f->err,
			     sizeof f->err),
	    0);
	assert_int_equal(n.queued, 0);
	assert_string_equal(row(f, staff).status, "dead");
	/* of the last while only: none died after NOW + 5 */
	assert_int_equal(store_resend(f->s, "alert", NOW + 5, NOW + 10, &n,
			     f->err, sizeof f->err),
	    0);
	assert_int_equal(n.queued, 0);
	assert_int_equal(
	    store_resend(f->s, NULL, 0, NOW + 10, &n, f->err, sizeof f->err),
	    0);
	assert_int_equal(n.queued, 2);	 /* staff and old */
	assert_int_equal(n.citizens, 1); /* its address is gone */
	assert_string_equal(row(f, staff).status, "queued");
	assert_int_equal(row(f, staff).attempts, 0);
	assert_int_equal(row(f, staff).next_attempt_at, NOW + 10);
	assert_string_equal(row(f, old).status, "queued");
	assert_string_equal(row(f, citizen).status, "dead");
	assert_string_equal(row(f, other).status, "dead");
	/* once more: nothing left to queue */
	assert_int_equal(
	    store_resend(f->s, NULL, 0, NOW + 20, &n, f->err, sizeof f->err),
	    0);
	assert_int_equal(n.queued, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_resend),
	    TEST(test_insert_outbound),
	    TEST(test_due_order_and_filter),
	    TEST(test_not_before),
	    TEST(test_claim_only_once),
	    TEST(test_dead_erases_sealed),
	    TEST(test_status_callbacks),
	    TEST(test_failed_callback_is_final),
	    TEST(test_callback_for_another_message),
	    TEST(test_fallback_when_dead),
	    TEST(test_fallback_on_failed_callback),
	    TEST(test_no_fallback_without_channel),
	    TEST(test_citizen_never_falls_back),
	    TEST(test_recover),
	    TEST(test_followup_fills_place),
	    TEST(test_followup_keeps_known_place),
	    TEST(test_followup_duplicate),
	    TEST(test_followup_without_target),
	    TEST(test_each_pending_count_and_limit),
	    TEST(test_receipt_set_and_find),
	    TEST(test_receipt_lost),
	    TEST(test_add_note),
	    TEST(test_seen),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
