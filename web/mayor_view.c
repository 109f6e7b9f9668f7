/*
 * mayor_view: the indicator page.  It only renders: every figure comes
 * computed in a struct indicators (queue/indicators.c), so rendering is
 * a few hundred small writes.  Counts are written by html_count(), and
 * what a chart shows (its bars' texts, its tooltips) by count_text(),
 * which says "<5" for 1 to 4 when suppress is set; a suppressed bar is
 * drawn as long as a count of SMALL_DRAWN, whatever it is, and a series
 * over time with a small count is drawn as bars (whose text can say
 * "<5") rather than columns (whose tooltips say the number), or not at
 * all when it is too long for bars.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/alerts.h"
#include "queue/seal.h"
#include "web/mayor_view.h"
#include "web/svg.h"

#define SMALL	    5	/* counts below are "<5" when suppressed */
#define SMALL_DRAWN 4.0 /* the length of a suppressed bar */
#define DAYS_DRAWN  120 /* the longest day series drawn */
#define WEEKS_DRAWN 160 /* the longest week series drawn */
#define BARS_MAX    60	/* the longest series drawn as bars */
#define SHOWN_MAX   32

static int
small(long long n, int suppress)
{
	return suppress && n > 0 && n < SMALL;
}

/* A count as the page shows it, as text (not markup): "12.345", "<5". */
static const char *
count_text(char buf[SHOWN_MAX], long long n, int suppress)
{
	char digits[24];
	size_t nd, i, o = 0;

	if (small(n, suppress))
		return "<5";
	nd = (size_t)snprintf(digits, sizeof digits, "%lld", n < 0 ? 0 : n);
	for (i = 0; i < nd; i++) {
		buf[o++] = digits[i];
		if (i + 1 < nd && (nd - i - 1) % 3 == 0)
			buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}

/* Hours as people read them: "5 jam", "3,5 hari"; "-" when n is 0. */
static void
duration_text(char *buf, size_t len, long long n, double hours)
{
	double v = hours < 48 ? hours : hours / 24;
	long long tenths = (long long)(v * 10 + 0.5);

	if (n == 0) {
		snprintf(buf, len, "-");
		return;
	}
	if (tenths % 10 == 0)
		snprintf(buf, len, "%lld %s", tenths / 10,
		    hours < 48 ? "jam" : "hari");
	else
		snprintf(buf, len, "%lld,%lld %s", tenths / 10, tenths % 10,
		    hours < 48 ? "jam" : "hari");
}

/* An age in seconds: "5 jam", "12 hari". */
static void
age_text(char *buf, size_t len, long long s)
{
	if (s < 0)
		s = 0;
	if (s < 2 * 86400)
		snprintf(buf, len, "%lld jam", s / 3600);
	else
		snprintf(buf, len, "%lld hari", s / 86400);
}

static void
percent_text(char *buf, size_t len, const struct indicator_sla *sla)
{
	if (sla->due == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld%%",
		    (sla->met * 100 + sla->due / 2) / sla->due);
}

/* Bars of counts by one dimension, most first. */
static void
count_bars(struct html *h, const char *title, const struct indicator_counts *c,
    int suppress)
{
	struct svg_bar *bars;
	char(*shown)[SHOWN_MAX];
	size_t i;

	if (c->n == 0) {
		svg_bars(h, title, NULL, 0);
		return;
	}
	bars = calloc(c->n, sizeof *bars);
	shown = calloc(c->n, sizeof *shown);
	if (bars == NULL || shown == NULL) {
		free(bars);
		free(shown);
		html_fail(h); /* html_take() says so */
		return;
	}
	for (i = 0; i < c->n; i++) {
		bars[i].label = c->v[i].name;
		bars[i].value = small(c->v[i].count, suppress)
		    ? SMALL_DRAWN
		    : (double)c->v[i].count;
		bars[i].shown = count_text(shown[i], c->v[i].count, suppress);
	}
	svg_bars(h, title, bars, c->n);
	free(bars);
	free(shown);
}

/*
 * Reports that accuse an office's leadership are handled elsewhere (the
 * integrity OPD); those about the mayor's own office are only counted
 * here, never listed.
 */
static void
accused_counts(struct html *h, const struct indicators *ind, int suppress)
{
	char n[SHOWN_MAX];

	html_raw(h,
	    "<p class=\"accused\">Menuduh pimpinan OPD yang "
	    "dilaporkan (ditangani OPD pengawas): <strong>");
	html_text(h, count_text(n, ind->accuses_leadership, suppress));
	html_raw(h,
	    "</strong>. Tentang kantor wali kota (hanya "
	    "jumlah): <strong id=\"about-mayor\">");
	html_text(h, count_text(n, ind->about_mayor, suppress));
	html_raw(h, "</strong>.</p>");
}

/*
 * The fingerprint of the key identities are sealed to, for the mayor to
 * compare with the one keygen printed: a key swapped in shows here.
 */
static void
custodian_line(struct html *h, const struct config *cfg)
{
	char fp[SEAL_FINGERPRINT_TEXT];
	size_t i;

	seal_fingerprint(cfg->keys.mayor_public, fp);
	html_raw(h,
	    "<p class=\"custodian\">Identitas pelapor disegel untuk "
	    "kunci wali kota dengan sidik jari <strong "
	    "id=\"fingerprint\">");
	html_text(h, fp);
	html_raw(h, "</strong>");
	for (i = 0; i < cfg->keys.ncustodians; i++) {
		seal_fingerprint(cfg->keys.custodians[i].public_key, fp);
		html_raw(h, i == 0 ? " dan untuk kustodian " : ", ");
		html_text(h, cfg->keys.custodians[i].name);
		html_raw(h, " (<strong class=\"fingerprint\">");
		html_text(h, fp);
		html_raw(h, "</strong>)");
	}
	html_raw(h,
	    cfg->keys.unseal_requires == 2
		? ". Membuka satu identitas perlu kunci dua kustodian"
		: "");
	html_raw(h, ": samakan dengan catatan saat kunci dibuat.</p>");
}

/* One series over time: columns, or bars when suppressing small counts. */
static void
series_chart(struct html *h, const char *title,
    const struct indicator_series *s, int suppress)
{
	const char **labels;
	double *values;
	size_t i, nsmall = 0;

	for (i = 0; i < s->n; i++)
		nsmall += small(s->v[i].count, suppress);
	html_raw(h, "<p class=\"muted\">");
	html_text(h, title);
	if (nsmall > 0 && s->n > BARS_MAX) {
		html_raw(h, ": tidak ditampilkan (ada jumlah di bawah 5).</p>");
		return;
	}
	html_raw(h, "</p>");
	if (nsmall > 0) {
		struct indicator_counts c;

		if ((c.v = calloc(s->n, sizeof *c.v)) == NULL) {
			html_fail(h);
			return;
		}
		for (i = 0; i < s->n; i++) {
			c.v[i].name = s->v[i].label;
			c.v[i].count = s->v[i].count;
		}
		c.n = s->n;
		count_bars(h, title, &c, suppress);
		free(c.v);
		return;
	}
	labels = calloc(s->n ? s->n : 1, sizeof *labels);
	values = calloc(s->n ? s->n : 1, sizeof *values);
	if (labels == NULL || values == NULL) {
		free(labels);
		free(values);
		html_fail(h);
		return;
	}
	for (i = 0; i < s->n; i++) {
		labels[i] = s->v[i].label;
		values[i] = (double)s->v[i].count;
	}
	svg_columns(h, title, labels, values, s->n);
	free(labels);
	free(values);
}

static void
card(struct html *h, const char *label, long long n, int suppress,
    const char *text)
{
	html_raw(h, "<div class=\"card\"><b>");
	if (text != NULL)
		html_text(h, text);
	else
		html_count(h, n, suppress);
	html_raw(h, "</b>");
	html_text(h, label);
	html_raw(h, "</div>");
}

static void
volume(struct html *h, const struct indicators *ind, int suppress)
{
	char from[16], to[16], med[32];

	indicators_date(ind->from, ind->utc_offset, from, sizeof from);
	indicators_date(ind->to - 1, ind->utc_offset, to, sizeof to);
	html_raw(h,
	    "<h2>Volume dan tren</h2><p class=\"muted\">Laporan "
	    "diterima ");
	html_text(h, from);
	html_raw(h, " s.d. ");
	html_text(h, to);
	html_raw(h, ".</p><div class=\"cards\">");
	card(h, "laporan masuk", ind->all.received, suppress, NULL);
	card(h, "masih terbuka", ind->all.open, suppress, NULL);
	card(h, "lewat batas waktu", ind->all.overdue, suppress, NULL);
	duration_text(med, sizeof med, ind->all.ack.n, ind->all.ack.median_h);
	card(h, "median sampai diterima OPD", 0, 0, med);
	duration_text(
	    med, sizeof med, ind->all.resolve.n, ind->all.resolve.median_h);
	card(h, "median sampai selesai", 0, 0, med);
	html_raw(h, "</div>");
	if (ind->days.n <= DAYS_DRAWN)
		series_chart(h, "Laporan per hari", &ind->days, suppress);
	if (ind->weeks.n <= WEEKS_DRAWN)
		series_chart(h, "Laporan per minggu", &ind->weeks, suppress);
	series_chart(h, "Laporan per bulan", &ind->months, suppress);
}

static void
delay_cells(struct html *h, const struct indicator_delay *d)
{
	char text[32];

	duration_text(text, sizeof text, d->n, d->median_h);
	html_raw(h, "<td class=\"num\">");
	html_text(h, text);
	duration_text(text, sizeof text, d->n, d->p90_h);
	html_raw(h, "</td><td class=\"num\">");
	html_text(h, text);
	html_raw(h, "</td>");
}

static void
opd_row(struct html *h, const struct indicator_opd *o, int suppress, int total)
{
	char pct[16];

	html_raw(
	    h, total ? "<tr><th scope=\"row\">" : "<tr><td class=\"wrap\">");
	html_text(h, o->name);
	html_raw(
	    h, total ? "</th><td class=\"num\">" : "</td><td class=\"num\">");
	html_count(h, o->received, suppress);
	html_raw(h, "</td><td class=\"num\">");
	html_count(h, o->open, suppress);
	html_raw(h,
	    o->overdue > 0 ? "</td><td class=\"num late\">"
			   : "</td><td class=\"num\">");
	html_count(h, o->overdue, suppress);
	html_raw(h, "</td>");
	delay_cells(h, &o->ack);
	delay_cells(h, &o->resolve);
	percent_text(pct, sizeof pct, &o->ack_sla);
	html_raw(h, "<td class=\"num\">");
	html_text(h, pct);
	percent_text(pct, sizeof pct, &o->resolve_sla);
	html_raw(h, "</td><td class=\"num\">");
	html_text(h, pct);
	html_raw(h, "</td></tr>");
}

static void
performance(struct html *h, const struct indicators *ind, int suppress)
{
	size_t i, rows = 0;

	html_raw(h,
	    "<h2>Kinerja OPD</h2><p class=\"muted\">Laporan yang diterima "
	    "pada periode ini. Waktu dihitung dari laporan diterima sampai "
	    "diterima OPD (terima) dan sampai selesai; p90: 9 dari 10 "
	    "laporan lebih cepat. Tepat waktu: bagian laporan yang diterima "
	    "atau diselesaikan sebelum batas waktunya.</p>");
	for (i = 0; i < ind->nopd; i++)
		rows += ind->opd[i].received > 0;
	if (rows == 0) {
		html_raw(h, "<p class=\"empty\">belum ada data</p>");
		return;
	}
	html_raw(h,
	    "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">OPD</th>"
	    "<th scope=\"col\" class=\"num\">masuk</th>"
	    "<th scope=\"col\" class=\"num\">terbuka</th>"
	    "<th scope=\"col\" class=\"num\">lewat batas</th>"
	    "<th scope=\"col\" class=\"num\">terima median</th>"
	    "<th scope=\"col\" class=\"num\">terima p90</th>"
	    "<th scope=\"col\" class=\"num\">selesai median</th>"
	    "<th scope=\"col\" class=\"num\">selesai p90</th>"
	    "<th scope=\"col\" class=\"num\">terima tepat waktu</th>"
	    "<th scope=\"col\" class=\"num\">selesai tepat waktu</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < ind->nopd; i++)
		if (ind->opd[i].received > 0)
			opd_row(h, &ind->opd[i], suppress, 0);
	if (rows > 1)
		opd_row(h, &ind->all, suppress, 1);
	html_raw(h, "</tbody></table></div>");
}

void
indicators_section(struct html *h, const struct indicators *ind,
    const struct config *cfg, int suppress)
{
	(void)cfg;
	volume(h, ind, suppress);
	performance(h, ind, suppress);
}

/* The query of the page's filter, URL-encoded (not yet escaped). */
static void
query_add(struct html *q, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char enc[4];

	if (value == NULL)
		return;
	if (dynbuf_len(&q->b) > 0)
		html_raw(q, "&");
	html_raw(q, name);
	html_raw(q, "=");
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			enc[0] = (char)*p;
			enc[1] = '\0';
		} else {
			enc[0] = '%';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			enc[3] = '\0';
		}
		html_raw(q, enc);
	}
}

static void
csv_link(struct html *h, const struct indicator_filter *f, int off)
{
	struct html q;
	char date[16];

	html_init(&q);
	if (f->from != 0) {
		indicators_date(f->from, off, date, sizeof date);
		query_add(&q, "from", date);
	}
	if (f->to != 0) {
		indicators_date(f->to - 1, off, date, sizeof date);
		query_add(&q, "to", date);
	}
	query_add(&q, "opd", f->opd);
	query_add(&q, "kecamatan", f->kecamatan);
	query_add(&q, "category", f->category);
	html_raw(h, "<p><a href=\"/mayor.csv?");
	html_text(h, dynbuf_ptr(&q.b));
	html_raw(h,
	    "\">Unduh daftar laporan (CSV)</a> <span class=\"muted\">"
	    "tanpa isi laporan dan tanpa identitas pelapor</span></p>");
	if (dynbuf_failed(&q.b))
		html_fail(h);
	html_free(&q);
}

static void
option(struct html *h, const char *id, const char *name, const char *chosen)
{
	html_raw(h, "<option value=\"");
	html_text(h, id);
	html_raw(h,
	    chosen != NULL && strcmp(chosen, id) == 0 ? "\" selected>" : "\">");
	html_text(h, name);
	html_raw(h, "</option>");
}

static void
select_open(struct html *h, const char *name, const char *label)
{
	html_printf(h, "<label for=\"f-%s\">", name);
	html_text(h, label);
	html_printf(h,
	    "</label><select id=\"f-%s\" name=\"%s\">"
	    "<option value=\"\">Semua</option>",
	    name, name);
}

static void
filter_form(struct html *h, const struct indicators *ind,
    const struct config *cfg, const struct indicator_filter *f)
{
	char from[16], to[16];
	size_t i;

	indicators_date(ind->from, ind->utc_offset, from, sizeof from);
	indicators_date(ind->to - 1, ind->utc_offset, to, sizeof to);
	html_raw(h,
	    "<form method=\"get\" class=\"filter\">"
	    "<label for=\"f-from\">Dari tanggal</label>"
	    "<input type=\"date\" id=\"f-from\" name=\"from\" value=\"");
	html_text(h, from);
	html_raw(h,
	    "\"><label for=\"f-to\">Sampai tanggal</label>"
	    "<input type=\"date\" id=\"f-to\" name=\"to\" value=\"");
	html_text(h, to);
	html_raw(h, "\">");
	select_open(h, "opd", "OPD");
	for (i = 0; i < cfg->nopds; i++)
		option(h, cfg->opds[i].id, cfg->opds[i].name, f->opd);
	html_raw(h, "</select>");
	select_open(h, "kecamatan", "Kecamatan");
	for (i = 0; i < cfg->nregions; i++)
		option(
		    h, cfg->regions[i].id, cfg->regions[i].name, f->kecamatan);
	html_raw(h, "</select>");
	select_open(h, "category", "Kategori");
	for (i = 0; i < cfg->ncategories; i++)
		option(h, cfg->categories[i].id, cfg->categories[i].name,
		    f->category);
	html_raw(h,
	    "</select><p><button type=\"submit\">Tampilkan</button>"
	    "</p></form>");
}

static void
pipeline(struct html *h, const struct indicators *ind, int suppress)
{
	struct indicator_count v[IND_STATUS_COUNT];
	struct indicator_counts c = {v, 0};
	struct svg_bar bars[IND_STATUS_COUNT];
	char shown[IND_STATUS_COUNT][SHOWN_MAX];
	size_t i;

	html_raw(h,
	    "<h2>Alur status</h2><p class=\"muted\">Status sekarang "
	    "dari laporan yang diterima pada periode ini.</p>");
	for (i = 0; i < IND_STATUS_COUNT; i++) {
		if (i == IND_STATUS_OTHER && ind->status[i] == 0)
			continue;
		v[c.n].id = indicator_status_ids[i];
		v[c.n].name = indicator_status_names[i];
		v[c.n].count = ind->status[i];
		c.n++;
	}
	if (ind->total == 0) {
		svg_bars(h, "Alur status", NULL, 0);
		return;
	}
	/* in pipeline order, not sorted: bars by hand */
	for (i = 0; i < c.n; i++) {
		bars[i].label = v[i].name;
		bars[i].value = small(v[i].count, suppress)
		    ? SMALL_DRAWN
		    : (double)v[i].count;
		bars[i].shown = count_text(shown[i], v[i].count, suppress);
	}
	svg_bars(h, "Alur status", bars, c.n);
}

static void
aging(struct html *h, const struct indicators *ind, int suppress)
{
	struct svg_bar bars[IND_AGE_COUNT];
	char shown[IND_AGE_COUNT][SHOWN_MAX];
	size_t i;

	html_raw(h,
	    "<h2>Umur laporan terbuka</h2><p class=\"muted\">Semua "
	    "laporan yang masih terbuka sekarang (");
	html_count(h, ind->open_now, suppress);
	html_raw(h, "), kapan pun diterimanya.</p>");
	if (ind->open_now == 0) {
		svg_bars(h, "Umur laporan terbuka", NULL, 0);
		return;
	}
	for (i = 0; i < IND_AGE_COUNT; i++) {
		bars[i].label = indicator_age_names[i];
		bars[i].value = small(ind->aging[i], suppress)
		    ? SMALL_DRAWN
		    : (double)ind->aging[i];
		bars[i].shown = count_text(shown[i], ind->aging[i], suppress);
	}
	svg_bars(h, "Umur laporan terbuka", bars, IND_AGE_COUNT);
}

static void
hotspot_table(struct html *h, const struct indicators *ind, int suppress)
{
	size_t i;

	html_printf(h,
	    "<h2>Titik rawan</h2><p class=\"muted\">Kategori yang sama di "
	    "kelurahan yang sama, %d laporan atau lebih pada periode ini.</p>",
	    INDICATORS_HOTSPOT_MIN);
	if (ind->nhotspots == 0) {
		html_raw(h, "<p class=\"empty\">tidak ada</p>");
		return;
	}
	html_raw(h,
	    "<div class=\"scroll\"><table><thead><tr>"
	    "<th scope=\"col\">kategori</th>"
	    "<th scope=\"col\">kelurahan</th>"
	    "<th scope=\"col\" class=\"num\">laporan</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < ind->nhotspots; i++) {
		html_raw(h, "<tr><td>");
		html_text(h, ind->hotspots[i].category_name);
		html_raw(h, "</td><td>");
		html_text(h, ind->hotspots[i].kelurahan);
		html_raw(h, "</td><td class=\"num\">");
		html_count(h, ind->hotspots[i].count, suppress);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void
triage_table(struct html *h, const struct indicators *ind,
    const struct config *cfg, int suppress)
{
	char when[64], age[32];
	size_t i;

	html_raw(h, "<h2>Masih di triase</h2><p>");
	html_count(h, ind->triage, suppress);
	html_raw(h, " laporan menunggu ditelaah, kapan pun diterimanya.</p>");
	if (ind->ntriage_oldest == 0)
		return;
	html_raw(h,
	    "<div class=\"scroll\"><table><thead><tr>"
	    "<th scope=\"col\">kode</th>"
	    "<th scope=\"col\">diterima</th>"
	    "<th scope=\"col\" class=\"num\">umur</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < ind->ntriage_oldest; i++) {
		const struct indicator_triage *t = &ind->triage_oldest[i];

		alerts_format_time(
		    t->received_at, cfg->sla.utc_offset, when, sizeof when);
		age_text(age, sizeof age, t->age_s);
		html_raw(h, "<tr><td><a href=\"/reports/");
		html_text(h, t->code);
		html_raw(h, "\">");
		html_text(h, t->code);
		html_raw(h, "</a></td><td>");
		html_text(h, when);
		html_raw(h, "</td><td class=\"num\">");
		html_text(h, age);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void
confidentiality(struct html *h, const struct indicators *ind,
    const struct config *cfg, int suppress)
{
	char when[64];
	size_t i;

	html_raw(h, "<h2>Kesehatan kerahasiaan</h2><div class=\"cards\">");
	card(h, "identitas pelapor dibuka", ind->unseal_count, suppress, NULL);
	card(h, "login gagal", ind->login_failed, suppress, NULL);
	html_raw(h, "</div>");
	if (ind->nunseals == 0) {
		html_raw(h,
		    "<p class=\"empty\">Tidak ada identitas yang dibuka "
		    "pada periode ini.</p>");
		return;
	}
	if (ind->unseal_count > (long long)ind->nunseals) {
		html_raw(h, "<p class=\"muted\">");
		html_count(h, (long long)ind->nunseals, suppress);
		html_raw(h, " yang terakhir:</p>");
	}
	html_raw(h,
	    "<div class=\"scroll\"><table><thead><tr>"
	    "<th scope=\"col\">siapa</th>"
	    "<th scope=\"col\">kapan</th>"
	    "<th scope=\"col\">laporan</th>"
	    "<th scope=\"col\">alasan</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < ind->nunseals; i++) {
		const struct indicator_unseal *u = &ind->unseals[i];

		alerts_format_time(
		    u->at, cfg->sla.utc_offset, when, sizeof when);
		html_raw(h, "<tr><td>");
		html_text(h, u->actor != NULL ? u->actor : "-");
		html_raw(h, "</td><td>");
		html_text(h, when);
		html_raw(h, "</td><td>");
		if (u->report_code != NULL) {
			html_raw(h, "<a href=\"/reports/");
			html_text(h, u->report_code);
			html_raw(h, "\">");
			html_text(h, u->report_code);
			html_raw(h, "</a>");
		} else
			html_raw(h, "-");
		html_raw(h, "</td><td class=\"wrap\">");
		html_text(h, u->reason != NULL ? u->reason : "-");
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

char *
mayor_view_render(const struct indicators *ind, const struct config *cfg,
    const struct indicator_filter *f, const struct html_user *user,
    int suppress, size_t *len)
{
	struct html h;

	html_init(&h);
	html_page_begin(&h, cfg->server.city, "Indikator pengaduan", user);
	html_raw(&h, "<h1>Indikator pengaduan</h1>");
	custodian_line(&h, cfg);
	filter_form(&h, ind, cfg, f);
	csv_link(&h, f, ind->utc_offset);
	volume(&h, ind, suppress);
	html_raw(&h, "<h2>Saluran</h2>");
	count_bars(&h, "Laporan per saluran", &ind->channels, suppress);
	html_raw(&h, "<h2>Kategori</h2>");
	count_bars(&h, "Laporan per kategori", &ind->categories, suppress);
	html_raw(&h, "<h2>OPD</h2>");
	count_bars(&h, "Laporan per OPD penangan", &ind->opds, suppress);
	count_bars(
	    &h, "Laporan per OPD yang dilaporkan", &ind->subjects, suppress);
	accused_counts(&h, ind, suppress);
	html_raw(&h, "<h2>Kecamatan</h2>");
	count_bars(&h, "Laporan per kecamatan", &ind->kecamatan, suppress);
	html_raw(&h, "<h2>Kelurahan</h2>");
	count_bars(&h, "Laporan per kelurahan", &ind->kelurahan, suppress);
	pipeline(&h, ind, suppress);
	performance(&h, ind, suppress);
	aging(&h, ind, suppress);
	hotspot_table(&h, ind, suppress);
	triage_table(&h, ind, cfg, suppress);
	confidentiality(&h, ind, cfg, suppress);
	html_page_end(&h);
	return html_take(&h, len);
}
