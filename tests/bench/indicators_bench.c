/*
 * indicators_bench: the cost of the mayor's indicator view on a large
 * database.  Creates a fresh database with store_open (READWRITE, in a
 * temp dir), seeds N reports (default 1,000,000) over the 3 years before
 * now with the categories, OPDs, kecamatan and kelurahan of
 * config/demo.conf and realistic shapes (more by day than by night and on
 * weekdays, a few busy kelurahan, delays to acknowledge and to resolve
 * that leave ~90 % resolved, some overdue, some stuck in triage), through
 * one prepared INSERT in a few big transactions, then times
 * indicators_compute() + mayor_view_render() with CLOCK_MONOTONIC (median
 * of 5 runs after 1 warm-up, on a read-only connection as the web views
 * use; the CPU time too, as other programs may share the cores) for the default
 * filter (the last 90 days), one OPD's view, and the whole period, and the CSV
 * export of the default filter.  No ANALYZE: the daemon does not run it. Prints
 * figures, asserts nothing.
 *
 * usage: build/bench/indicators_bench [N]   (from the repository root)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "queue/indicators.h"
#include "queue/store.h"
#include "queue/store_private.h"
#include "web/mayor_view.h"

#define DAY	 86400
#define YEARS	 3
#define RUNS	 5
#define TX_ROWS	 100000
#define SPAN	 ((long long)YEARS * 365 * DAY)
#define CODE_MOD 887503681LL /* 31^6 */

static double
clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* xorshift64*: fast, good enough, the same figures every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double
uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 0x2545f4914f6cdd1dULL) >> 11) /
	    9007199254740992.0;
}

/* A log-normal delay in seconds: median m hours, p90 about 3.6 m. */
static long long
lognormal_h(double median_h)
{
	double u1 = uniform(), u2 = uniform(), z;

	if (u1 < 1e-12)
		u1 = 1e-12;
	z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
	return (long long)(median_h * 3600 * exp(z * 1.0));
}

/* An index drawn from weights w[0..n). */
static size_t
pick(const double *w, size_t n)
{
	double sum = 0, r;
	size_t i;

	for (i = 0; i < n; i++)
		sum += w[i];
	r = uniform() * sum;
	for (i = 0; i + 1 < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* The choices, in the demo config's terms. */
static const char *const channels[] = {"whatsapp", "sms", "twilio", "smssync"};
static const double channel_w[] = {70, 24, 4, 2};
static const char *const categories[] = {"pungli", "suap", "gratifikasi",
    "pemerasan", "penyalahgunaan_wewenang", "percaloan", "pelayanan_buruk",
    "lainnya"};
static const double category_w[] = {30, 9, 5, 7, 8, 10, 21, 10};
static const char *const texts[] = {
    "Petugas kelurahan minta uang rokok 50rb untuk surat pengantar, "
    "katanya biar cepat selesai. Tidak ada kuitansi sama sekali.",
    "Di loket KTP disuruh bayar 100rb kalau mau jadi hari ini, kalau "
    "tidak bayar katanya blangko habis.",
    "Juru parkir di depan pasar menarik tarif 5rb padahal karcis 2rb, "
    "tiap hari begitu.",
    "Sekolah mewajibkan beli seragam dan LKS di koperasi dengan harga "
    "dua kali lipat.",
    "Bantuan sembako dipotong 50rb oleh pendamping, warga takut lapor.",
    "Proyek saluran di jalan kami dikerjakan asal-asalan, papan proyek "
    "tidak ada."};

struct seed {
	const struct config *cfg;
	double *opd_w;	   /* per cfg->opds */
	double *region_w;  /* per cfg->regions */
	double **kel_w;	   /* per region, per kelurahan (Zipf-like) */
	size_t *nkel;	   /* per region */
	size_t triage_opd; /* index of inspektorat */
};

static void
seed_init(struct seed *sd, const struct config *cfg)
{
	size_t i, j;

	sd->cfg = cfg;
	sd->opd_w = calloc(cfg->nopds, sizeof *sd->opd_w);
	sd->region_w = calloc(cfg->nregions, sizeof *sd->region_w);
	sd->kel_w = calloc(cfg->nregions, sizeof *sd->kel_w);
	sd->nkel = calloc(cfg->nregions, sizeof *sd->nkel);
	if (!sd->opd_w || !sd->region_w || !sd->kel_w || !sd->nkel) {
		fprintf(stderr, "indicators_bench: out of memory\n");
		exit(1);
	}
	sd->triage_opd = 0;
	for (i = 0; i < cfg->nopds; i++) {
		/* the first OPDs (capil, perizinan, RSUD, sekolah) busiest */
		sd->opd_w[i] = 1.0 + 8.0 / (double)(i + 1);
		if (strcmp(cfg->opds[i].id, "inspektorat") == 0)
			sd->triage_opd = i;
	}
	for (i = 0; i < cfg->nregions; i++) {
		sd->region_w[i] = 1.0 + (double)(cfg->nregions - i);
		for (j = 0; cfg->regions[i].kelurahan[j] != NULL; j++)
			;
		sd->nkel[i] = j;
		sd->kel_w[i] = calloc(j ? j : 1, sizeof **sd->kel_w);
		for (j = 0; j < sd->nkel[i]; j++)
			/* a shuffled Zipf: a few busy kelurahan */
			sd->kel_w[i][(j * 7) % sd->nkel[i]] =
			    1.0 / (double)(j + 1);
	}
}

static void
seed_free(struct seed *sd)
{
	size_t i;

	for (i = 0; i < sd->cfg->nregions; i++)
		free(sd->kel_w[i]);
	free(sd->kel_w);
	free(sd->nkel);
	free(sd->region_w);
	free(sd->opd_w);
}

/*
 * The weight of an hour: days busier than nights, weekdays than weekends,
 * and noise (so that no two days are alike).
 */
static double
hour_weight(long long t)
{
	long long local = t + 7 * 3600;
	int hour = (int)(local % DAY / 3600);
	int wday = (int)((local / DAY + 3) % 7); /* Monday 0 */
	double w = hour >= 7 && hour < 22 ? 1.0 : 0.15;

	w *= 0.5 + uniform();
	return wday >= 5 ? w * 0.55 : w;
}

struct row {
	long long received, ack_at, resolved_at, ack_due, resolve_due;
	const char *status, *opd, *kec, *kel;
	long long watch_at;
	int marks;
};

/* What happened to a report received at t, seen at now. */
static void
fate(const struct seed *sd, long long t, long long now, struct row *r)
{
	const struct config *cfg = sd->cfg;
	long long age = now - t, triage_for = 0, ack_delay, res_delay;
	double u = uniform();
	int stuck_triage = u < 0.006, via_triage = u < 0.05;
	int never_ack = uniform() < 0.035, never_res = uniform() < 0.06;
	size_t ri, o;

	r->received = t;
	r->ack_at = r->resolved_at = 0;
	/* about 3 working days, and 10 working days (+ weekends) */
	r->ack_due = t - t % DAY + 5 * DAY - 1;
	r->resolve_due = t - t % DAY + 15 * DAY - 1;
	r->marks = 0;
	if (uniform() < 0.12) {
		r->kec = r->kel = NULL; /* no place given */
	} else {
		ri = pick(sd->region_w, cfg->nregions);
		r->kec = cfg->regions[ri].id;
		r->kel = cfg->regions[ri]
			     .kelurahan[pick(sd->kel_w[ri], sd->nkel[ri])];
	}
	o = pick(sd->opd_w, cfg->nopds);
	r->opd = cfg->opds[o].id;
	if (via_triage)
		triage_for = lognormal_h(20);
	ack_delay = triage_for + lognormal_h(22);
	res_delay = ack_delay + lognormal_h(24 * 5);
	if (age < 3600 && uniform() < 0.5) {
		r->status = "received";
		r->opd = NULL;
		r->ack_due = r->resolve_due = 0;
	} else if (stuck_triage || (via_triage && age < triage_for)) {
		r->status = "triage";
		r->opd = cfg->opds[sd->triage_opd].id;
	} else if (never_ack || age < ack_delay) {
		r->status = "routed";
	} else {
		r->ack_at = t + ack_delay;
		if (never_res || age < res_delay) {
			r->status =
			    uniform() < 0.5 ? "acknowledged" : "in_progress";
		} else {
			r->resolved_at = t + res_delay;
			r->status =
			    age > res_delay + 14 * DAY && uniform() < 0.6
			    ? "closed"
			    : "resolved";
		}
	}
	r->watch_at = r->resolved_at != 0 || r->ack_due == 0
	    ? -1
	    : (r->ack_at == 0 ? r->ack_due : r->resolve_due);
	if (r->resolved_at == 0 && r->ack_due != 0 &&
	    ((r->ack_at == 0 && r->ack_due <= now) || r->resolve_due <= now))
		r->marks = STORE_MARK_ALERTED | STORE_MARK_ESCALATED;
}

static void
die_sql(struct store *s, const char *what)
{
	fprintf(
	    stderr, "indicators_bench: %s: %s\n", what, sqlite3_errmsg(s->db));
	exit(1);
}

static void
exec_sql(struct store *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die_sql(s, sql);
}

static void
bind_or_null(sqlite3_stmt *st, int i, long long v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Seed n reports over the YEARS before now, oldest first. */
static void
seed(struct store *s, const struct config *cfg, long long n, long long now)
{
	static const char alphabet[] = STORE_CODE_ALPHABET;
	long long start = now - SPAN, hours = SPAN / 3600, h, i = 0, k;
	double total_w = 0, carry = 0, per, *weight;
	struct seed sd;
	sqlite3_stmt *st;
	struct row r;
	char code[16];
	unsigned char uid[16];

	seed_init(&sd, cfg);
	if ((weight = malloc((size_t)hours * sizeof *weight)) == NULL) {
		fprintf(stderr, "indicators_bench: out of memory\n");
		exit(1);
	}
	for (h = 0; h < hours; h++) {
		weight[h] = hour_weight(start - start % 3600 + h * 3600);
		total_w += weight[h];
	}
	per = (double)n / total_w;
	/* a bulk load: no fsync, a large cache; WAL stays */
	exec_sql(s, "PRAGMA synchronous=OFF");
	exec_sql(s, "PRAGMA cache_size=-262144");
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO reports(uid, code, status, channel, type, text, "
		"category, opd, kecamatan, kelurahan, received_at, "
		"updated_at, ack_due, resolve_due, acknowledged_at, "
		"resolved_at, watch_at, marks) VALUES (?1, ?2, ?3, ?4, "
		"'text', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
		"?16, ?17)",
		-1, &st, NULL) != SQLITE_OK)
		die_sql(s, "preparing");
	exec_sql(s, "BEGIN");
	for (h = 0; h < hours && i < n; h++) {
		long long t = start - start % 3600 + h * 3600, m;

		carry += weight[h] * per;
		m = (long long)carry;
		carry -= (double)m;
		if (h == hours - 1)
			m = n - i; /* the rounding's rest, in the last hour */
		for (k = 0; k < m && i < n; k++, i++) {
			long long c = (i * 387420489LL + 12345) % CODE_MOD;
			int j;

			fate(&sd, t, now, &r);
			memcpy(code, "KDR-", 4);
			for (j = 9; j >= 4; j--, c /= 31)
				code[j] = alphabet[c % 31];
			code[10] = '\0';
			memcpy(uid, &i, sizeof i);
			memcpy(uid + 8, &rng, sizeof rng);
			sqlite3_bind_blob(
			    st, 1, uid, sizeof uid, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, r.status, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, channels[pick(channel_w, 4)],
			    -1, SQLITE_STATIC);
			sqlite3_bind_text(
			    st, 5, texts[i % 6], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6,
			    categories[pick(category_w, 8)], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 7, r.opd, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 8, r.kec, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 9, r.kel, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 10, t);
			sqlite3_bind_int64(st, 11,
			    r.resolved_at ? r.resolved_at
					  : (r.ack_at ? r.ack_at : t));
			bind_or_null(st, 12, r.ack_due);
			bind_or_null(st, 13, r.resolve_due);
			bind_or_null(st, 14, r.ack_at);
			bind_or_null(st, 15, r.resolved_at);
			if (r.watch_at >= 0)
				sqlite3_bind_int64(st, 16, r.watch_at);
			else
				sqlite3_bind_null(st, 16);
			sqlite3_bind_int(st, 17, r.marks);
			if (sqlite3_step(st) != SQLITE_DONE)
				die_sql(s, "inserting");
			sqlite3_reset(st);
			if ((i + 1) % TX_ROWS == 0) {
				exec_sql(s, "COMMIT");
				exec_sql(s, "BEGIN");
			}
		}
	}
	exec_sql(s, "COMMIT");
	sqlite3_finalize(st);
	seed_free(&sd);
	free(weight);
	/* a few audit rows: unseals and failed logins */
	exec_sql(s,
	    "WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k "
	    "WHERE x < 2000) INSERT INTO audit(at, actor, action, "
	    "report_code, reason) SELECT strftime('%s','now') - x * 47000, "
	    "CASE x % 10 WHEN 0 THEN 'web:walikota' ELSE 'web:login' END, "
	    "CASE x % 10 WHEN 0 THEN 'unseal' ELSE 'login_failed' END, "
	    "CASE x % 10 WHEN 0 THEN printf('KDR-%06d', x) ELSE NULL END, "
	    "CASE x % 10 WHEN 0 THEN 'pemeriksaan Inspektorat' ELSE NULL END "
	    "FROM k");
	exec_sql(s, "PRAGMA synchronous=FULL");
}

struct timing {
	double compute, render, total, cpu;
	size_t page;
	long long reports;
};

static int
cmp_timing(const void *a, const void *b)
{
	return cmp_double(&((const struct timing *)a)->total,
	    &((const struct timing *)b)->total);
}

/* One view: compute and render; -1 on error. */
static int
view(struct store *s, const struct config *cfg,
    const struct indicator_filter *f, long long now, struct timing *t)
{
	static const struct html_user mayor = {
	    "walikota", "mayor", NULL, "csrf-token-of-the-bench"};
	struct indicators *ind;
	char err[512], *page;
	double t0 = now_ms(), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), t1, t2;
	size_t len;

	if (indicators_compute(s, cfg, f, (time_t)now, &ind, err, sizeof err) ==
	    -1) {
		fprintf(stderr, "indicators_bench: %s\n", err);
		return -1;
	}
	t1 = now_ms();
	page = mayor_view_render(ind, cfg, f, &mayor, 0, &len);
	t2 = now_ms();
	t->compute = t1 - t0;
	t->render = t2 - t1;
	t->total = t2 - t0;
	t->cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	t->page = len;
	t->reports = ind->total;
	free(page);
	indicators_free(ind);
	return page != NULL ? 0 : -1;
}

static void
measure(struct store *s, const struct config *cfg, const char *what,
    const struct indicator_filter *f, long long now, long long n)
{
	struct timing t[RUNS], warm;
	double cpu[RUNS];
	int i;

	if (view(s, cfg, f, now, &warm) == -1)
		exit(1);
	for (i = 0; i < RUNS; i++)
		if (view(s, cfg, f, now, &t[i]) == -1)
			exit(1);
	qsort(t, RUNS, sizeof t[0], cmp_timing);
	for (i = 0; i < RUNS; i++)
		cpu[i] = t[i].cpu;
	qsort(cpu, RUNS, sizeof cpu[0], cmp_double);
	printf("indicator view, %lld reports, %s: %.1f ms (median of %d; "
	       "compute %.1f + render %.1f; min %.1f, max %.1f; CPU %.1f ms; "
	       "%lld reports in the period, page %zu bytes)\n",
	    n, what, t[RUNS / 2].total, RUNS, t[RUNS / 2].compute,
	    t[RUNS / 2].render, t[0].total, t[RUNS - 1].total, cpu[RUNS / 2],
	    t[RUNS / 2].reports, t[RUNS / 2].page);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/indicators-bench.XXXXXX", db[512], err[8192];
	long long n = argc > 1 ? atoll(argv[1]) : 1000000;
	long long now = (long long)time(NULL);
	struct indicator_filter f;
	struct config *cfg;
	struct store *s;
	struct stat sb;
	double t0, t1, ct[RUNS];
	char *csv = NULL;
	size_t csvlen = 0;
	int i;

	if (n < 1) {
		fprintf(stderr, "usage: indicators_bench [N]\n");
		return 2;
	}
	if ((cfg = config_load("config/demo.conf", err, sizeof err)) == NULL) {
		fprintf(stderr, "indicators_bench: %s", err);
		return 1;
	}
	if (mkdtemp(dir) == NULL) {
		perror("indicators_bench: mkdtemp");
		return 1;
	}
	snprintf(db, sizeof db, "%s/bench.db", dir);
	if ((s = store_open(db, STORE_READWRITE, err, sizeof err)) == NULL) {
		fprintf(stderr, "indicators_bench: %s\n", err);
		return 1;
	}
	t0 = now_ms();
	seed(s, cfg, n, now);
	store_close(s); /* checkpoints the WAL */
	t1 = now_ms();
	if (stat(db, &sb) != 0)
		sb.st_size = 0;
	printf("indicators_bench: seeded %lld reports over %d years in "
	       "%.1f s (%.0f MB), %ld cores\n",
	    n, YEARS, (t1 - t0) / 1e3, (double)sb.st_size / 1e6,
	    sysconf(_SC_NPROCESSORS_ONLN));
	fflush(stdout);

	if ((s = store_open(db, STORE_READONLY, err, sizeof err)) == NULL) {
		fprintf(stderr, "indicators_bench: %s\n", err);
		return 1;
	}
	memset(&f, 0, sizeof f);
	measure(s, cfg, "last 90 days", &f, now, n);
	f.opd = "dinas_pendidikan";
	measure(s, cfg, "last 90 days, one OPD (dinas_pendidikan)", &f, now, n);
	f.opd = NULL;
	f.from = (time_t)(now - SPAN - DAY);
	f.to = (time_t)(now + 1);
	measure(s, cfg, "whole period (3 years)", &f, now, n);

	memset(&f, 0, sizeof f);
	for (i = 0; i < RUNS; i++) {
		t0 = now_ms();
		free(csv);
		if (indicators_csv(
			s, cfg, &f, &csv, &csvlen, err, sizeof err) == -1) {
			fprintf(stderr, "indicators_bench: %s\n", err);
			return 1;
		}
		ct[i] = now_ms() - t0;
	}
	qsort(ct, RUNS, sizeof ct[0], cmp_double);
	printf("CSV export, last 90 days: %.1f ms (median of %d; %zu bytes)\n",
	    ct[RUNS / 2], RUNS, csvlen);
	free(csv);
	store_close(s);
	config_free(cfg);
	snprintf(err, sizeof err, "%s-wal", db);
	unlink(err);
	snprintf(err, sizeof err, "%s-shm", db);
	unlink(err);
	unlink(db);
	rmdir(dir);
	return 0;
}
