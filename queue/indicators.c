/*
 * indicators: the figures of the indicator view (see indicators.h for
 * what each one means).  How they are read, so that the default 90 days
 * of a million-report database take tens of milliseconds:
 *
 *  - the reports of the period: ONE range scan of the covering index
 *    reports_indicators (received_at first, then every column read), no
 *    table lookup; each row's strings are mapped to small integers through
 *    hash tables seeded with the config's ids, and everything (counts by
 *    dimension and day, the pipeline, per-OPD counts, delays, deadlines,
 *    category x kelurahan pairs) is added up in C in the same loop;
 *  - the reports open now and those in triage: counts of ranges of
 *    received_at in the partial indexes reports_open and reports_triage,
 *    which SQLite adds up without handing a row to C; the 20 oldest in
 *    triage are the first entries of reports_triage;
 *  - the audit log: seeks of audit_action (action, at).
 *
 * Percentiles sort each OPD's delays (a radix sort of 32-bit seconds).
 * The queries run in one read transaction, so the figures agree with each
 * other.  Days, weeks and months are local, at the config's utc_offset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/calendar.h"
#include "lib/dynbuf.h"
#include "queue/deadline.h"
#include "queue/indicators.h"
#include "queue/store_private.h"
#include "queue/report.h"

#define DAY	  86400LL
#define UNKNOWN	  "(tidak diketahui)"
#define POOL_MIN  8192
#define OPEN_TERM REPORT_OPEN_SQL
/* the reports about the mayor's own office are counted, never listed */
#define NOT_ABOUT_MAYOR "accused IS NOT 'mayor'"

const char *const indicator_status_ids[IND_STATUS_COUNT] = {
#define STATUS_ID(id, name, words, label, open, awaits) name,
    REPORT_STATUSES(STATUS_ID)
#undef STATUS_ID
	"other"};

/* As the other pages say them, capitalised. */
const char *const indicator_status_names[IND_STATUS_COUNT] = {
#define STATUS_LABEL(id, name, words, label, open, awaits) label,
    REPORT_STATUSES(STATUS_LABEL)
#undef STATUS_LABEL
	"Lainnya"};

const char *const indicator_age_names[IND_AGE_COUNT] = {"< 1 hari",
    "1\xe2\x80\x93"
    "3 hari",
    "3\xe2\x80\x93"
    "7 hari",
    "7\xe2\x80\x93"
    "30 hari",
    "> 30 hari"};

/* Memory: the strings an indicators struct points at. */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

struct pool {
	struct chunk *head;
	int failed;
};

static char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	struct chunk *c = p->head;
	char *out;

	if (c == NULL || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > POOL_MIN ? n + 1 : POOL_MIN;

		if ((c = malloc(sizeof *c + cap)) == NULL) {
			p->failed = 1;
			return NULL;
		}
		c->next = p->head;
		c->used = 0;
		c->cap = cap;
		p->head = c;
	}
	out = c->data + c->used;
	memcpy(out, s, n);
	out[n] = '\0';
	c->used += n + 1;
	return out;
}

static char *
pool_strdup(struct pool *p, const char *s)
{
	return s == NULL ? NULL : pool_strndup(p, s, strlen(s));
}

static void
pool_free(struct pool *p)
{
	struct chunk *c, *next;

	if (p == NULL)
		return;
	for (c = p->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(p);
}

/*
 * A dimension: the values one column takes, each a small integer.  The
 * config's values come first, in its order; values it lacks are added as
 * they are met; NULL is one more entry (null_index).
 */
struct dim_entry {
	const char *id, *name; /* in the pool */
	size_t idlen;
	uint32_t hash;
	long long count;
};

struct dim {
	struct dim_entry *e;
	size_t n, cap;
	int32_t *slot; /* open addressing: entry index, -1 empty */
	size_t nslot;  /* a power of two, at least twice n */
	int null_index;
	const char *null_name;
};

/*
 * The hash of a value: its length and its first and last 8 bytes (the
 * values of one column differ there; the table compares whole values).
 */
static uint32_t
hash_str(const char *s, size_t n)
{
	uint64_t a = 0, b = 0, h;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else
		memcpy(&a, s, n);
	h = (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
	return (uint32_t)(h >> 32);
}

static int
dim_rehash(struct dim *d, size_t nslot)
{
	int32_t *slot = malloc(nslot * sizeof *slot);
	size_t i, j;

	if (slot == NULL)
		return -1;
	for (i = 0; i < nslot; i++)
		slot[i] = -1;
	for (i = 0; i < d->n; i++) {
		if (d->e[i].id == NULL)
			continue;
		for (j = d->e[i].hash & (nslot - 1); slot[j] != -1;
		     j = (j + 1) & (nslot - 1))
			;
		slot[j] = (int32_t)i;
	}
	free(d->slot);
	d->slot = slot;
	d->nslot = nslot;
	return 0;
}

static void
dim_free(struct dim *d)
{
	free(d->e);
	free(d->slot);
}

/* Append an entry (id NULL: the NULL entry): its index, or -1. */
static int
dim_append(struct dim *d, struct pool *p, const char *id, size_t idlen,
    const char *name, uint32_t hash)
{
	struct dim_entry *e;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;

		if ((e = realloc(d->e, cap * sizeof *e)) == NULL)
			return -1;
		d->e = e;
		d->cap = cap;
	}
	if (2 * (d->n + 1) > d->nslot &&
	    dim_rehash(d, d->nslot ? d->nslot * 2 : 64) == -1)
		return -1;
	e = &d->e[d->n];
	e->idlen = idlen;
	e->hash = hash;
	e->count = 0;
	if (id == NULL) {
		e->id = NULL;
		e->name = name;
		d->null_index = (int)d->n;
	} else {
		size_t j;

		if ((e->id = pool_strndup(p, id, idlen)) == NULL)
			return -1;
		e->name = name != NULL ? pool_strdup(p, name) : e->id;
		if (e->name == NULL)
			return -1;
		for (j = hash & (d->nslot - 1); d->slot[j] != -1;
		     j = (j + 1) & (d->nslot - 1))
			;
		d->slot[j] = (int32_t)d->n;
	}
	return (int)d->n++;
}

/* The index of value s[0..n) (s NULL: the NULL entry), or -1. */
static int
dim_index(struct dim *d, struct pool *p, const char *s, size_t n)
{
	uint32_t h;
	size_t j;

	if (s == NULL)
		return d->null_index >= 0
		    ? d->null_index
		    : dim_append(d, p, NULL, 0, d->null_name, 0);
	h = hash_str(s, n);
	if (d->nslot > 0)
		for (j = h & (d->nslot - 1); d->slot[j] != -1;
		     j = (j + 1) & (d->nslot - 1)) {
			const struct dim_entry *e = &d->e[d->slot[j]];

			if (e->hash == h && e->idlen == n &&
			    memcmp(e->id, s, n) == 0)
				return d->slot[j];
		}
	return dim_append(d, p, s, n, NULL, h);
}

/* A config value: added once (a repeated id keeps its first name). */
static int
dim_seed(struct dim *d, struct pool *p, const char *id, const char *name)
{
	size_t n = strlen(id);
	int i = dim_index(d, p, id, n);

	if (i >= 0 && name != NULL && d->e[i].name == d->e[i].id &&
	    (d->e[i].name = pool_strdup(p, name)) == NULL)
		return -1;
	return i;
}

static void
dim_init(struct dim *d, const char *null_name)
{
	memset(d, 0, sizeof *d);
	d->null_index = -1;
	d->null_name = null_name;
}

/* The text of column i: its bytes, or NULL. */
static const char *
col_text(sqlite3_stmt *st, int i, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	*n = s != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return s;
}

/* Column i as a time, 0 for NULL (0 is never a time of a report). */
static long long
col_time(sqlite3_stmt *st, int i)
{
	return (long long)sqlite3_column_int64(st, i);
}

static enum indicator_status
status_of(const char *s, size_t n)
{
	enum indicator_status i;

	if (s == NULL || n < 6)
		return IND_STATUS_OTHER;
	/* the first letter and the length tell them apart */
	switch (s[0]) {
	case 'r':
		i = n == 6	  ? IND_ROUTED
		    : s[2] == 'c' ? IND_RECEIVED
		    : s[2] == 's' ? IND_RESOLVED
				  : IND_REJECTED;
		break;
	case 't':
		i = IND_TRIAGE;
		break;
	case 'a':
		i = IND_ACKNOWLEDGED;
		break;
	case 'i':
		i = IND_IN_PROGRESS;
		break;
	case 'c':
		i = IND_CLOSED;
		break;
	case 'v':
		i = IND_VERIFYING;
		break;
	default:
		return IND_STATUS_OTHER;
	}
	return strlen(indicator_status_ids[i]) == n &&
		memcmp(indicator_status_ids[i], s, n) == 0
	    ? i
	    : IND_STATUS_OTHER;
}

static int
is_open(enum indicator_status st)
{
	return st != IND_RESOLVED && st != IND_CLOSED;
}

static int
is_overdue(int open, long long now, long long ack_at, long long ack_due,
    long long resolve_due)
{
	return open &&
	    ((resolve_due != 0 && resolve_due <= now) ||
		(ack_at == 0 && ack_due != 0 && ack_due <= now));
}

/* Delays: growing arrays of seconds, sorted when done. */

struct delays {
	uint32_t *v;
	size_t n, cap;
};

static int
delays_push(struct delays *d, long long seconds)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		uint32_t *v = realloc(d->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	if (seconds < 0)
		seconds = 0;
	if (seconds > (long long)UINT32_MAX)
		seconds = UINT32_MAX;
	d->v[d->n++] = (uint32_t)seconds;
	return 0;
}

/* Sort v[0..n) with a radix sort of four 8-bit digits; tmp holds n. */
static void
radix_sort(uint32_t *v, uint32_t *tmp, size_t n)
{
	size_t count[256], i, sum, c;
	uint32_t *from = v, *to = tmp, *swap;
	int shift;

	for (shift = 0; shift < 32; shift += 8) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(from[i] >> shift) & 0xff]++;
		for (i = 0, sum = 0; i < 256; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	/* an even number of passes: the result is back in v */
}

/* Sort d and fill out (see struct indicator_delay); tmp holds d->n. */
static void
delays_summary(struct delays *d, uint32_t *tmp, struct indicator_delay *out)
{
	size_t n = d->n, rank;

	out->n = (long long)n;
	out->median_h = out->p90_h = 0;
	if (n == 0)
		return;
	if (n < 64) {
		size_t i, j;

		for (i = 1; i < n; i++) { /* insertion sort */
			uint32_t x = d->v[i];

			for (j = i; j > 0 && d->v[j - 1] > x; j--)
				d->v[j] = d->v[j - 1];
			d->v[j] = x;
		}
	} else
		radix_sort(d->v, tmp, n);
	if (n % 2)
		out->median_h = d->v[n / 2] / 3600.0;
	else
		out->median_h =
		    ((double)d->v[n / 2 - 1] + (double)d->v[n / 2]) / 7200.0;
	rank = (9 * n + 9) / 10; /* ceil(0.9 n) */
	out->p90_h = d->v[rank - 1] / 3600.0;
}

/* The per-OPD sums while reading. */
struct opd_acc {
	long long received, open, overdue;
	struct indicator_sla ack_sla, resolve_sla;
	struct delays ack, resolve;
};

/* category x kelurahan: counts keyed by both indexes. */
struct pair {
	uint64_t key; /* category index << 32 | kelurahan index, +1 */
	long long count;
};

struct pairs {
	struct pair *v;
	size_t n, cap; /* cap: a power of two */
};

static uint32_t
hash_u64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (uint32_t)k;
}

static int
pairs_add(struct pairs *p, uint32_t a, uint32_t b)
{
	uint64_t key = ((uint64_t)a << 32 | b) + 1;
	size_t j;

	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024, i;
		struct pair *v = calloc(cap, sizeof *v);

		if (v == NULL)
			return -1;
		for (i = 0; i < p->cap; i++) {
			if (p->v[i].key == 0)
				continue;
			for (j = hash_u64(p->v[i].key) & (cap - 1);
			     v[j].key != 0; j = (j + 1) & (cap - 1))
				;
			v[j] = p->v[i];
		}
		free(p->v);
		p->v = v;
		p->cap = cap;
	}
	for (j = hash_u64(key) & (p->cap - 1); p->v[j].key != 0;
	     j = (j + 1) & (p->cap - 1))
		if (p->v[j].key == key) {
			p->v[j].count++;
			return 0;
		}
	p->v[j].key = key;
	p->v[j].count = 1;
	p->n++;
	return 0;
}

/* Building the result. */

struct work {
	const struct config *cfg;
	struct indicators *ind;
	struct pool *pool;
	struct dim channel, category, opd, kecamatan, kelurahan, subject;
	struct opd_acc *acc; /* one per opd dim entry (acc_cap) */
	size_t acc_cap;
	struct pairs pairs;
	long long first_day; /* local day of ind->from */
	long long *day_count;
	long long ndays;
};

static void
work_free(struct work *w)
{
	size_t i;

	dim_free(&w->channel);
	dim_free(&w->category);
	dim_free(&w->opd);
	dim_free(&w->kecamatan);
	dim_free(&w->kelurahan);
	dim_free(&w->subject);
	for (i = 0; i < w->acc_cap; i++) {
		free(w->acc[i].ack.v);
		free(w->acc[i].resolve.v);
	}
	free(w->acc);
	free(w->pairs.v);
	free(w->day_count);
}

static struct opd_acc *
acc_at(struct work *w, int i)
{
	if ((size_t)i >= w->acc_cap) {
		size_t cap = w->acc_cap ? w->acc_cap * 2 : 32;
		struct opd_acc *a;

		while (cap <= (size_t)i)
			cap *= 2;
		if ((a = realloc(w->acc, cap * sizeof *a)) == NULL)
			return NULL;
		memset(a + w->acc_cap, 0, (cap - w->acc_cap) * sizeof *a);
		w->acc = a;
		w->acc_cap = cap;
	}
	return &w->acc[i];
}

static int
seed_dims(struct work *w)
{
	const struct config *cfg = w->cfg;
	size_t i;
	char **k;

	dim_init(&w->channel, UNKNOWN);
	dim_init(&w->category, UNKNOWN);
	dim_init(&w->opd, "(tanpa OPD)");
	dim_init(&w->kecamatan, UNKNOWN);
	dim_init(&w->kelurahan, UNKNOWN);
	dim_init(&w->subject, "(tanpa OPD)");
	for (i = 0; i < cfg->nchannels; i++)
		if (dim_seed(
			&w->channel, w->pool, cfg->channels[i].name, NULL) < 0)
			return -1;
	for (i = 0; i < cfg->ncategories; i++)
		if (dim_seed(&w->category, w->pool, cfg->categories[i].id,
			cfg->categories[i].name) < 0)
			return -1;
	for (i = 0; i < cfg->nopds; i++)
		if (dim_seed(&w->opd, w->pool, cfg->opds[i].id,
			cfg->opds[i].name) < 0 ||
		    dim_seed(&w->subject, w->pool, cfg->opds[i].id,
			cfg->opds[i].name) < 0)
			return -1;
	for (i = 0; i < cfg->nregions; i++) {
		if (dim_seed(&w->kecamatan, w->pool, cfg->regions[i].id,
			cfg->regions[i].name) < 0)
			return -1;
		for (k = cfg->regions[i].kelurahan; k != NULL && *k != NULL;
		     k++)
			if (dim_seed(&w->kelurahan, w->pool, *k, NULL) < 0)
				return -1;
	}
	return 0;
}

/* more after the SQL in sql (len bytes), cut where it does not fit. */
static void
sql_add(char *sql, size_t len, const char *more)
{
	size_t n = strlen(sql);

	snprintf(sql + n, len - n, "%s", more);
}

/* " AND col = :col" for each filter set. */
static void
filter_sql(char *sql, size_t len, const struct indicator_filter *f)
{
	if (f->opd != NULL)
		sql_add(sql, len, " AND opd = :opd");
	if (f->kecamatan != NULL)
		sql_add(sql, len, " AND kecamatan = :kecamatan");
	if (f->category != NULL)
		sql_add(sql, len, " AND category = :category");
}

static void
bind_name(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_text(st, i, value, -1, SQLITE_STATIC);
}

static void
bind_filter(sqlite3_stmt *st, const struct indicator_filter *f)
{
	bind_name(st, ":opd", f->opd);
	bind_name(st, ":kecamatan", f->kecamatan);
	bind_name(st, ":category", f->category);
}

/* The period of a filter at now: 0, or -1 with err. */
static int
period(const struct indicator_filter *f, time_t now, time_t *from, time_t *to,
    char *err, size_t errlen)
{
	*to = f->to != 0 ? f->to : now + 1;
	*from = f->from != 0 ? f->from
			     : *to - (time_t)INDICATORS_DEFAULT_DAYS * DAY;
	if (*from >= *to) {
		snprintf(
		    err, errlen, "periode kosong: awal tidak sebelum akhir");
		return -1;
	}
	if ((*to - *from) / DAY > INDICATORS_MAX_DAYS) {
		snprintf(err, errlen, "periode terlalu panjang");
		return -1;
	}
	return 0;
}

/* Columns of the period's scan, in the order of reports_indicators. */
enum {
	C_RECEIVED,
	C_STATUS,
	C_CHANNEL,
	C_CATEGORY,
	C_OPD,
	C_KECAMATAN,
	C_KELURAHAN,
	C_ACK_AT,
	C_RESOLVED_AT,
	C_ACK_DUE,
	C_RESOLVE_DUE,
	C_SUBJECT,
	C_ACCUSED
};

static int
add_row(struct work *w, sqlite3_stmt *st)
{
	struct indicators *ind = w->ind;
	long long t = sqlite3_column_int64(st, C_RECEIVED);
	long long ack_at = col_time(st, C_ACK_AT);
	long long resolved_at = col_time(st, C_RESOLVED_AT);
	long long ack_due = col_time(st, C_ACK_DUE);
	long long resolve_due = col_time(st, C_RESOLVE_DUE);
	long long now = ind->now, day;
	const char *s;
	size_t n;
	enum indicator_status status;
	int ch, cat, opd, kec, kel, subj, open;
	struct opd_acc *a;

	s = col_text(st, C_STATUS, &n);
	status = status_of(s, n);
	s = col_text(st, C_CHANNEL, &n);
	ch = dim_index(&w->channel, w->pool, s, n);
	s = col_text(st, C_CATEGORY, &n);
	cat = dim_index(&w->category, w->pool, s, n);
	s = col_text(st, C_OPD, &n);
	opd = dim_index(&w->opd, w->pool, s, n);
	s = col_text(st, C_KECAMATAN, &n);
	kec = dim_index(&w->kecamatan, w->pool, s, n);
	s = col_text(st, C_KELURAHAN, &n);
	kel = dim_index(&w->kelurahan, w->pool, s, n);
	s = col_text(st, C_SUBJECT, &n);
	subj = dim_index(&w->subject, w->pool, s, n);
	if (ch < 0 || cat < 0 || opd < 0 || kec < 0 || kel < 0 || subj < 0 ||
	    (a = acc_at(w, opd)) == NULL)
		return -1;

	ind->total++;
	ind->status[status]++;
	w->channel.e[ch].count++;
	w->category.e[cat].count++;
	w->opd.e[opd].count++;
	w->kecamatan.e[kec].count++;
	w->kelurahan.e[kel].count++;
	w->subject.e[subj].count++;
	s = col_text(st, C_ACCUSED, &n);
	ind->about_mayor += s != NULL && n == 5 && memcmp(s, "mayor", 5) == 0;
	ind->accuses_leadership +=
	    s != NULL && n == 10 && memcmp(s, "leadership", 10) == 0;
	day = calendar_local_day(t, ind->utc_offset) - w->first_day;
	if (day >= 0 && day < w->ndays)
		w->day_count[day]++;

	open = is_open(status);
	a->received++;
	a->open += open;
	a->overdue += is_overdue(open, now, ack_at, ack_due, resolve_due);
	if (ack_at != 0 && delays_push(&a->ack, ack_at - t) == -1)
		return -1;
	if (resolved_at != 0 && delays_push(&a->resolve, resolved_at - t) == -1)
		return -1;
	if (ack_due != 0 && (ack_at != 0 || ack_due <= now)) {
		a->ack_sla.due++;
		a->ack_sla.met += ack_at != 0 && ack_at <= ack_due;
	}
	if (resolve_due != 0 && (resolved_at != 0 || resolve_due <= now)) {
		a->resolve_sla.due++;
		a->resolve_sla.met +=
		    resolved_at != 0 && resolved_at <= resolve_due;
	}
	if (w->category.e[cat].id != NULL && w->kelurahan.e[kel].id != NULL &&
	    pairs_add(&w->pairs, (uint32_t)cat, (uint32_t)kel) == -1)
		return -1;
	return 0;
}

static int
fail_sql(struct store *s, const char *what, char *err, size_t errlen)
{
	return store_sql_fail(s, what, err, errlen);
}

static int
scan_period(struct store *s, struct work *w, const struct indicator_filter *f,
    char *err, size_t errlen)
{
	char sql[1024] =
	    "SELECT received_at, status, channel, category, opd, kecamatan, "
	    "kelurahan, acknowledged_at, resolved_at, ack_due, resolve_due, "
	    "subject, accused FROM reports "
	    "WHERE received_at >= :from AND received_at < :to";
	sqlite3_stmt *st;
	int rc;

	filter_sql(sql, sizeof sql, f);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading reports", err, errlen);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":from"),
	    (sqlite3_int64)w->ind->from);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":to"),
	    (sqlite3_int64)w->ind->to);
	bind_filter(st, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_row(w, st) == -1) {
			sqlite3_finalize(st);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail_sql(s, "reading reports", err, errlen);
	return 0;
}

/*
 * Every report open now, and those in triage: counts of ranges of
 * received_at in the partial indexes reports_open and reports_triage (an
 * age under d is received_at > now - d), so that SQLite walks only the
 * entries, evaluating nothing but the filters; then the oldest in triage.
 */
static int
scan_open(struct store *s, struct indicators *ind,
    const struct indicator_filter *f, char *err, size_t errlen)
{
	static const long long days[] = {1, 3, 7, 30};
	char sql[2048] =
	    "SELECT (SELECT count(*) FROM reports WHERE " OPEN_TERM;
	char more[128];
	long long c[6];
	sqlite3_stmt *st;
	size_t i;
	int rc;

	filter_sql(sql, sizeof sql, f);
	for (i = 0; i < 4; i++) {
		snprintf(more, sizeof more,
		    "), (SELECT count(*) FROM reports WHERE " OPEN_TERM
		    " AND received_at > :now - %lld",
		    days[i] * DAY);
		sql_add(sql, sizeof sql, more);
		filter_sql(sql, sizeof sql, f);
	}
	sql_add(sql, sizeof sql,
	    "), (SELECT count(*) FROM reports WHERE " REPORT_TRIAGE_SQL);
	filter_sql(sql, sizeof sql, f);
	sql_add(sql, sizeof sql, ")");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading open reports", err, errlen);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"),
	    (sqlite3_int64)ind->now);
	bind_filter(st, f);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (i = 0; i < 6; i++)
			c[i] = sqlite3_column_int64(st, (int)i);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail_sql(s, "reading open reports", err, errlen);
	ind->open_now = c[0];
	ind->aging[IND_AGE_1D] = c[1];
	ind->aging[IND_AGE_3D] = c[2] - c[1];
	ind->aging[IND_AGE_7D] = c[3] - c[2];
	ind->aging[IND_AGE_30D] = c[4] - c[3];
	ind->aging[IND_AGE_MORE] = c[0] - c[4];
	ind->triage = c[5];
	return 0;
}

/* The oldest reports in triage (reports_triage is in that order). */
static int
scan_triage(struct store *s, struct indicators *ind,
    const struct indicator_filter *f, char *err, size_t errlen)
{
	char sql[512] = "SELECT code, received_at FROM reports "
			"WHERE " REPORT_TRIAGE_SQL " AND " NOT_ABOUT_MAYOR;
	char tail[64];
	sqlite3_stmt *st;
	int rc;

	filter_sql(sql, sizeof sql, f);
	snprintf(tail, sizeof tail, " ORDER BY received_at LIMIT %d",
	    INDICATORS_TRIAGE_LIST);
	sql_add(sql, sizeof sql, tail);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading triage", err, errlen);
	bind_filter(st, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    ind->ntriage_oldest < INDICATORS_TRIAGE_LIST) {
		struct indicator_triage *t =
		    &ind->triage_oldest[ind->ntriage_oldest++];

		store_sql_copy(t->code, sizeof t->code, st, 0);
		t->received_at = (time_t)sqlite3_column_int64(st, 1);
		t->age_s = (long long)(ind->now - t->received_at);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail_sql(s, "reading triage", err, errlen);
	return 0;
}

static int
scan_audit(struct store *s, struct indicators *ind, struct pool *pool,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
		"SELECT (SELECT count(*) FROM audit WHERE action = 'unseal' "
		"  AND at >= ?1 AND at < ?2), "
		"(SELECT count(*) FROM audit WHERE action = 'login_failed' "
		"  AND at >= ?1 AND at < ?2)",
		-1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading the audit log", err, errlen);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ind->from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ind->to);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ind->unseal_count = sqlite3_column_int64(st, 0);
		ind->login_failed = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail_sql(s, "reading the audit log", err, errlen);

	if (sqlite3_prepare_v2(s->db,
		"SELECT at, actor, report_code, reason FROM audit "
		"WHERE action = 'unseal' AND at >= ?1 AND at < ?2 "
		"ORDER BY at DESC, id DESC LIMIT ?3",
		-1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading the audit log", err, errlen);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ind->from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)ind->to);
	sqlite3_bind_int(st, 3, INDICATORS_UNSEALS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    ind->nunseals < INDICATORS_UNSEALS) {
		struct indicator_unseal *u = &ind->unseals[ind->nunseals++];

		u->at = (time_t)sqlite3_column_int64(st, 0);
		u->actor = pool_strdup(pool, store_sql_text(st, 1));
		u->report_code = pool_strdup(pool, store_sql_text(st, 2));
		u->reason = pool_strdup(pool, store_sql_text(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail_sql(s, "reading the audit log", err, errlen);
	return 0;
}

/* Counts by one dimension: values with reports, most first. */
static int
cmp_count(const void *a, const void *b)
{
	const struct indicator_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return 0;
}

static int
counts_of(struct dim *d, struct indicator_counts *out)
{
	size_t i, n = 0;

	out->n = 0;
	if ((out->v = calloc(d->n ? d->n : 1, sizeof *out->v)) == NULL)
		return -1;
	for (i = 0; i < d->n; i++)
		if (d->e[i].count > 0) {
			out->v[n].id = d->e[i].id;
			out->v[n].name = d->e[i].name;
			out->v[n].count = d->e[i].count;
			n++;
		}
	/* stable, so ties keep the config's order: insertion (few values) */
	for (i = 1; i < n; i++) {
		struct indicator_count x = out->v[i];
		size_t j;

		for (j = i; j > 0 && cmp_count(&out->v[j - 1], &x) > 0; j--)
			out->v[j] = out->v[j - 1];
		out->v[j] = x;
	}
	out->n = n;
	return 0;
}

static int
cmp_hotspot(const void *a, const void *b)
{
	const struct indicator_hotspot *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = strcmp(x->category_name, y->category_name)) != 0)
		return c;
	return strcmp(x->kelurahan, y->kelurahan);
}

static int
hotspots(struct work *w)
{
	struct indicators *ind = w->ind;
	struct indicator_hotspot *h;
	size_t i, n = 0;

	if (w->pairs.n == 0)
		return 0;
	if ((h = malloc(w->pairs.n * sizeof *h)) == NULL)
		return -1;
	for (i = 0; i < w->pairs.cap; i++) {
		const struct pair *p = &w->pairs.v[i];
		uint64_t k;

		if (p->key == 0 || p->count < INDICATORS_HOTSPOT_MIN)
			continue;
		k = p->key - 1;
		h[n].category = w->category.e[k >> 32].id;
		h[n].category_name = w->category.e[k >> 32].name;
		h[n].kelurahan = w->kelurahan.e[k & 0xffffffffu].id;
		h[n].count = p->count;
		n++;
	}
	qsort(h, n, sizeof *h, cmp_hotspot);
	ind->nhotspots = n < INDICATORS_HOTSPOTS ? n : INDICATORS_HOTSPOTS;
	memcpy(ind->hotspots, h, ind->nhotspots * sizeof *h);
	free(h);
	return 0;
}

/* The day, week and month series from the counts by day. */
static int
series(struct work *w)
{
	struct indicators *ind = w->ind;
	long long first = w->first_day, last = first + w->ndays - 1, d;
	long long wfirst = first - calendar_weekday(first);
	int y, m, dd, y1, m1, wy, wk;
	size_t nweeks, nmonths, i;

	calendar_date(first, &y, &m, &dd);
	calendar_date(last, &y1, &m1, &dd);
	nweeks = (size_t)((last - calendar_weekday(last) - wfirst) / 7 + 1);
	nmonths = (size_t)((y1 - y) * 12 + (m1 - m) + 1);
	ind->days.v = calloc((size_t)w->ndays, sizeof *ind->days.v);
	ind->weeks.v = calloc(nweeks, sizeof *ind->weeks.v);
	ind->months.v = calloc(nmonths, sizeof *ind->months.v);
	if (ind->days.v == NULL || ind->weeks.v == NULL ||
	    ind->months.v == NULL)
		return -1;
	ind->days.n = (size_t)w->ndays;
	ind->weeks.n = nweeks;
	ind->months.n = nmonths;
	for (i = 0; i < nweeks; i++) {
		d = wfirst + 7 * (long long)i;
		calendar_iso_week(d, &wy, &wk);
		snprintf(ind->weeks.v[i].label, sizeof ind->weeks.v[i].label,
		    "%04d-W%02d", wy, wk);
		ind->weeks.v[i].start = (time_t)(d * DAY - ind->utc_offset);
	}
	for (i = 0; i < nmonths; i++) {
		int mm = (m - 1 + (int)i) % 12 + 1;
		int yy = y + (m - 1 + (int)i) / 12;

		snprintf(ind->months.v[i].label, sizeof ind->months.v[i].label,
		    "%04d-%02d", yy, mm);
		ind->months.v[i].start =
		    (time_t)(calendar_day(yy, mm, 1) * DAY - ind->utc_offset);
	}
	for (i = 0; i < (size_t)w->ndays; i++) {
		struct indicator_bucket *b = &ind->days.v[i];
		int by, bm, bd;

		d = first + (long long)i;
		calendar_date(d, &by, &bm, &bd);
		snprintf(
		    b->label, sizeof b->label, "%04d-%02d-%02d", by, bm, bd);
		b->start = (time_t)(d * DAY - ind->utc_offset);
		b->count = w->day_count[i];
		ind->weeks.v[(d - calendar_weekday(d) - wfirst) / 7].count +=
		    b->count;
		ind->months.v[(by - y) * 12 + (bm - m)].count += b->count;
	}
	return 0;
}

/* Per OPD: config order, then the others met, then no OPD. */
static int
opd_table(struct work *w)
{
	struct indicators *ind = w->ind;
	struct delays all_ack = {0}, all_res = {0};
	uint32_t *tmp = NULL;
	size_t i, k = 0, most = 0, total_ack = 0, total_res = 0;
	int rc = -1;

	if ((ind->opd = calloc(w->opd.n ? w->opd.n : 1, sizeof *ind->opd)) ==
	    NULL)
		return -1;
	for (i = 0; i < w->opd.n && i < w->acc_cap; i++) {
		total_ack += w->acc[i].ack.n;
		total_res += w->acc[i].resolve.n;
	}
	most = total_ack > total_res ? total_ack : total_res;
	if ((tmp = malloc((most ? most : 1) * sizeof *tmp)) == NULL ||
	    (total_ack &&
		(all_ack.v = malloc(total_ack * sizeof(uint32_t))) == NULL) ||
	    (total_res &&
		(all_res.v = malloc(total_res * sizeof(uint32_t))) == NULL))
		goto done;
	for (i = 0; i <= w->opd.n; i++) {
		/* the NULL entry last, whatever its index */
		size_t e = i < w->opd.n ? i : (size_t)w->opd.null_index;
		struct indicator_opd *o;
		struct opd_acc *a;

		if (i < w->opd.n && (int)i == w->opd.null_index)
			continue;
		if (i == w->opd.n && w->opd.null_index < 0)
			break;
		o = &ind->opd[k++];
		o->id = w->opd.e[e].id;
		o->name = w->opd.e[e].name;
		if (e >= w->acc_cap)
			continue;
		a = &w->acc[e];
		o->received = a->received;
		o->open = a->open;
		o->overdue = a->overdue;
		o->ack_sla = a->ack_sla;
		o->resolve_sla = a->resolve_sla;
		if (a->ack.n > 0)
			memcpy(all_ack.v + all_ack.n, a->ack.v,
			    a->ack.n * sizeof(uint32_t));
		all_ack.n += a->ack.n;
		if (a->resolve.n > 0)
			memcpy(all_res.v + all_res.n, a->resolve.v,
			    a->resolve.n * sizeof(uint32_t));
		all_res.n += a->resolve.n;
		delays_summary(&a->ack, tmp, &o->ack);
		delays_summary(&a->resolve, tmp, &o->resolve);
		ind->all.received += o->received;
		ind->all.open += o->open;
		ind->all.overdue += o->overdue;
		ind->all.ack_sla.due += o->ack_sla.due;
		ind->all.ack_sla.met += o->ack_sla.met;
		ind->all.resolve_sla.due += o->resolve_sla.due;
		ind->all.resolve_sla.met += o->resolve_sla.met;
	}
	ind->nopd = k;
	ind->all.name = "Semua";
	delays_summary(&all_ack, tmp, &ind->all.ack);
	delays_summary(&all_res, tmp, &ind->all.resolve);
	rc = 0;
done:
	free(tmp);
	free(all_ack.v);
	free(all_res.v);
	return rc;
}

static int
in_transaction(struct store *s, int *began, char *err, size_t errlen)
{
	*began = 0;
	if (!sqlite3_get_autocommit(s->db))
		return 0; /* the caller's transaction */
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail_sql(s, "reading the database", err, errlen);
	*began = 1;
	return 0;
}

static void
end_transaction(struct store *s, int began)
{
	if (began)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int
indicators_compute(struct store *s, const struct config *cfg,
    const struct indicator_filter *f, time_t now, struct indicators **out,
    char *err, size_t errlen)
{
	struct work w;
	struct indicators *ind;
	struct pool *pool;
	int began = 0, rc = -1;

	*out = NULL;
	memset(&w, 0, sizeof w);
	if ((ind = calloc(1, sizeof *ind)) == NULL ||
	    (pool = calloc(1, sizeof *pool)) == NULL) {
		free(ind);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ind->mem = pool;
	ind->now = now;
	ind->utc_offset = cfg->sla.utc_offset;
	w.cfg = cfg;
	w.ind = ind;
	w.pool = pool;
	if (period(f, now, &ind->from, &ind->to, err, errlen) == -1)
		goto fail;
	w.first_day = calendar_local_day(ind->from, ind->utc_offset);
	w.ndays =
	    calendar_local_day(ind->to - 1, ind->utc_offset) - w.first_day + 1;
	if ((w.day_count = calloc((size_t)w.ndays, sizeof *w.day_count)) ==
		NULL ||
	    seed_dims(&w) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (in_transaction(s, &began, err, errlen) == -1 ||
	    scan_period(s, &w, f, err, errlen) == -1 ||
	    scan_open(s, ind, f, err, errlen) == -1 ||
	    scan_triage(s, ind, f, err, errlen) == -1 ||
	    scan_audit(s, ind, pool, err, errlen) == -1)
		goto fail;
	if (counts_of(&w.channel, &ind->channels) == -1 ||
	    counts_of(&w.category, &ind->categories) == -1 ||
	    counts_of(&w.opd, &ind->opds) == -1 ||
	    counts_of(&w.kecamatan, &ind->kecamatan) == -1 ||
	    counts_of(&w.kelurahan, &ind->kelurahan) == -1 ||
	    counts_of(&w.subject, &ind->subjects) == -1 || hotspots(&w) == -1 ||
	    series(&w) == -1 || opd_table(&w) == -1 || pool->failed) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rc = 0;
	*out = ind;
	ind = NULL;
fail:
	end_transaction(s, began);
	work_free(&w);
	indicators_free(ind);
	return rc;
}

void
indicators_free(struct indicators *ind)
{
	if (ind == NULL)
		return;
	free(ind->days.v);
	free(ind->weeks.v);
	free(ind->months.v);
	free(ind->channels.v);
	free(ind->categories.v);
	free(ind->opds.v);
	free(ind->kecamatan.v);
	free(ind->kelurahan.v);
	free(ind->subjects.v);
	free(ind->opd);
	pool_free(ind->mem);
	free(ind);
}

/* CSV. */

static const char csv_header[] =
    "code,received_at,channel,category,opd,kecamatan,kelurahan,status,"
    "ack_due,resolve_due,acknowledged_at,resolved_at,overdue\r\n";

/* A field, quoted when it must be (RFC 4180), then sep. */
static void
csv_field(struct dynbuf *b, const char *s, const char *sep)
{
	const char *q;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		dynbuf_add(b, s, strlen(s));
	} else {
		dynbuf_add(b, "\"", 1);
		while ((q = strchr(s, '"')) != NULL) {
			dynbuf_add(b, s, (size_t)(q - s) + 1);
			dynbuf_add(b, "\"", 1);
			s = q + 1;
		}
		dynbuf_add(b, s, strlen(s));
		dynbuf_add(b, "\"", 1);
	}
	dynbuf_add(b, sep, strlen(sep));
}

/* A local date, or a local ISO 8601 time with its offset; "" for 0. */
static void
local_time(char *out, size_t len, long long t, int off, int date_only)
{
	long long local = t + off, day = calendar_local_day(t, off);
	long long sec = local - day * DAY;
	int y, m, d, a = off < 0 ? -off : off;

	if (t == 0) {
		out[0] = '\0';
		return;
	}
	calendar_date(day, &y, &m, &d);
	if (date_only)
		snprintf(out, len, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		    y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    (int)(sec % 60), off < 0 ? '-' : '+', a / 3600,
		    a / 60 % 60);
}

static const char *
name_in(const char *id,
    const char *(*lookup)(const struct config *, const char *),
    const struct config *cfg)
{
	const char *name;

	if (id == NULL)
		return NULL;
	name = lookup(cfg, id);
	return name != NULL ? name : id;
}

int
indicators_csv(struct store *s, const struct config *cfg,
    const struct indicator_filter *f, char **csv, size_t *len, char *err,
    size_t errlen)
{
	char sql[1024] =
	    "SELECT code, received_at, channel, category, opd, kecamatan, "
	    "kelurahan, status, ack_due, resolve_due, acknowledged_at, "
	    "resolved_at FROM reports "
	    "WHERE received_at >= :from AND received_at < :to "
	    "AND " NOT_ABOUT_MAYOR;
	struct dynbuf b;
	sqlite3_stmt *st;
	time_t now = time(NULL), from, to;
	int off = cfg->sla.utc_offset, rc, i;
	char when[40];

	*csv = NULL;
	*len = 0;
	if (period(f, now, &from, &to, err, errlen) == -1)
		return -1;
	filter_sql(sql, sizeof sql, f);
	sql_add(sql, sizeof sql, " ORDER BY received_at, id");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail_sql(s, "reading reports", err, errlen);
	sqlite3_bind_int64(
	    st, sqlite3_bind_parameter_index(st, ":from"), (sqlite3_int64)from);
	sqlite3_bind_int64(
	    st, sqlite3_bind_parameter_index(st, ":to"), (sqlite3_int64)to);
	bind_filter(st, f);
	dynbuf_init(&b, DYNBUF_NO_CAP, 0);
	dynbuf_add(&b, csv_header, sizeof csv_header - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = store_sql_text(st, 7);
		size_t n = status != NULL ? strlen(status) : 0;
		int open = is_open(status_of(status, n));

		csv_field(&b, store_sql_text(st, 0), ",");
		local_time(
		    when, sizeof when, sqlite3_column_int64(st, 1), off, 1);
		csv_field(&b, when, ",");
		csv_field(&b, store_sql_text(st, 2), ",");
		csv_field(&b,
		    name_in(store_sql_text(st, 3), config_category_name, cfg),
		    ",");
		csv_field(&b,
		    name_in(store_sql_text(st, 4), config_opd_name, cfg), ",");
		csv_field(&b,
		    name_in(store_sql_text(st, 5), config_region_name, cfg),
		    ",");
		csv_field(&b, store_sql_text(st, 6), ",");
		csv_field(&b, status, ",");
		for (i = 8; i < 12; i++) {
			local_time(when, sizeof when, col_time(st, i), off, 0);
			csv_field(&b, when, ",");
		}
		csv_field(&b,
		    is_overdue(open, (long long)now, col_time(st, 10),
			col_time(st, 8), col_time(st, 9))
			? "1"
			: "0",
		    "\r\n");
		if (dynbuf_failed(&b))
			break;
	}
	sqlite3_finalize(st);
	if (dynbuf_failed(&b)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (rc != SQLITE_DONE) {
		dynbuf_free(&b);
		return fail_sql(s, "reading reports", err, errlen);
	}
	*csv = dynbuf_take(&b, len);
	return 0;
}

/* The form's fields. */

static const char *
given(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

int
indicators_filter_parse(struct indicator_filter *f, const struct config *cfg,
    const char *from, const char *to, const char *opd, const char *kecamatan,
    const char *category, char *err, size_t errlen)
{
	int off = cfg->sla.utc_offset, day;
	size_t i;

	memset(f, 0, sizeof *f);
	if (given(from) != NULL) {
		if (deadline_parse_date(from, &day) == -1) {
			snprintf(err, errlen, "tanggal awal tidak valid");
			return -1;
		}
		f->from = (time_t)day * DAY - off;
	}
	if (given(to) != NULL) {
		if (deadline_parse_date(to, &day) == -1) {
			snprintf(err, errlen, "tanggal akhir tidak valid");
			return -1;
		}
		f->to = ((time_t)day + 1) * DAY - off;
	}
	if (f->from != 0 && f->to != 0 && f->from >= f->to) {
		snprintf(err, errlen, "tanggal awal setelah tanggal akhir");
		return -1;
	}
	if (given(opd) != NULL) {
		for (i = 0; i < cfg->nopds; i++)
			if (strcmp(cfg->opds[i].id, opd) == 0)
				f->opd = cfg->opds[i].id;
		if (f->opd == NULL) {
			snprintf(err, errlen, "OPD tidak dikenal");
			return -1;
		}
	}
	if (given(kecamatan) != NULL) {
		for (i = 0; i < cfg->nregions; i++)
			if (strcmp(cfg->regions[i].id, kecamatan) == 0)
				f->kecamatan = cfg->regions[i].id;
		if (f->kecamatan == NULL) {
			snprintf(err, errlen, "kecamatan tidak dikenal");
			return -1;
		}
	}
	if (given(category) != NULL) {
		for (i = 0; i < cfg->ncategories; i++)
			if (strcmp(cfg->categories[i].id, category) == 0)
				f->category = cfg->categories[i].id;
		if (f->category == NULL) {
			snprintf(err, errlen, "kategori tidak dikenal");
			return -1;
		}
	}
	return 0;
}

void
indicators_date(time_t t, int utc_offset, char *buf, size_t len)
{
	int y, m, d;

	calendar_date(calendar_local_day(t, utc_offset), &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}
