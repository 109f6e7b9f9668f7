/*
 * report_view: one report's page, read through the read-only connection.
 * An OPD reads the text and the citizen's notes masked (queue/mask.h, as
 * alert excerpts), or with verification on only the verifier's summary;
 * the mayor reads them whole, and never a report about the mayor's own
 * office.  The identity is shown only when the caller passes it, right
 * after an audited unseal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "queue/alerts.h"
#include "queue/mask.h"
#include "queue/templates.h"
#include "queue/report.h"
#include "web/report_view.h"

static void
row(struct html *h, const char *label, const char *value)
{
	html_raw(h, "<tr><th scope=\"row\">");
	html_text(h, label);
	html_raw(h, "</th><td>");
	html_text(h, value != NULL && value[0] != '\0' ? value : "-");
	html_raw(h, "</td></tr>");
}

static void
time_row(struct html *h, const struct config *cfg, const char *label, time_t t)
{
	char when[64];

	if (t == 0) {
		row(h, label, "-");
		return;
	}
	alerts_format_time(t, cfg->sla.utc_offset, when, sizeof when);
	row(h, label, when);
}

static const char *
opd_name(const struct config *cfg, const char *id)
{
	const char *name = config_opd_name(cfg, id);

	return name != NULL ? name : id;
}

static const char *
category_name(const struct config *cfg, const char *id)
{
	const char *name = config_category_name(cfg, id);

	return name != NULL ? name : id;
}

static const char *
region_name(const struct config *cfg, const char *id)
{
	const char *name = config_region_name(cfg, id);

	return name != NULL ? name : id;
}

/*
 * The text in a paragraph, whole however long: masked (queue/mask.h) but
 * for full (the mayor reads it as the citizen wrote it).
 */
static void
shown_text(struct html *h, const char *text, int full)
{
	size_t max;
	char *out;

	if (text == NULL)
		text = "";
	if (full) {
		html_raw(h, "<p class=\"text\">");
		html_text(h, text);
		html_raw(h, "</p>");
		return;
	}
	max = mask_room(strlen(text));
	if ((out = malloc(max + 1)) == NULL) {
		html_fail(h);
		return;
	}
	mask_text(text, out, max);
	html_raw(h, "<p class=\"text\">");
	html_text(h, out);
	html_raw(h, "</p>");
	free(out);
}

/* The routing decision and its evidence, from the stored JSON. */
static void
evidence(struct html *h, const char *routing)
{
	json_t *j = routing != NULL ? json_loads(routing, 0, NULL) : NULL;
	json_t *ev, *e;
	size_t i;

	html_raw(h, "<h2>Penentuan tujuan</h2>");
	if (j == NULL) {
		html_raw(h, "<p>-</p>");
		return;
	}
	html_raw(h, "<p>");
	html_text(h, json_string_value(json_object_get(j, "reason")));
	html_raw(h, "</p>");
	ev = json_object_get(j, "evidence");
	if (json_array_size(ev) > 0) {
		html_raw(h,
		    "<div class=\"scroll\"><table><thead><tr>"
		    "<th>bagian</th><th>nilai</th><th>kata kunci</th>"
		    "<th>ditemukan</th></tr></thead><tbody>");
		json_array_foreach(ev, i, e)
		{
			html_raw(h, "<tr><td>");
			html_text(
			    h, json_string_value(json_object_get(e, "field")));
			html_raw(h, "</td><td>");
			html_text(
			    h, json_string_value(json_object_get(e, "value")));
			html_raw(h, "</td><td>");
			html_text(
			    h, json_string_value(json_object_get(e, "term")));
			html_raw(h, "</td><td>");
			html_text(h,
			    json_string_value(json_object_get(e, "matched")));
			html_raw(h, "</td></tr>");
		}
		html_raw(h, "</tbody></table></div>");
	}
	json_decref(j);
}

struct pass {
	struct html *h;
	const struct config *cfg;
	int n;
	int full;	  /* texts unmasked */
	const char *code; /* the report's, for links */
	int documents;	  /* documents listed */
};

static int
history_row(const struct store_history_row *r, void *arg)
{
	struct pass *p = arg;
	char when[64];

	alerts_format_time(r->at, p->cfg->sla.utc_offset, when, sizeof when);
	html_raw(p->h, "<tr><td>");
	html_text(p->h, when);
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->actor);
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->action);
	html_raw(p->h, "</td><td>");
	html_text(p->h,
	    r->to_status != NULL ? report_status_words(r->to_status) : "-");
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->note != NULL ? r->note : "");
	html_raw(p->h, "</td></tr>");
	p->n++;
	return 0;
}

/* Why an item was not kept, in the reader's words. */
static const char *
refusal(const char *reason)
{
	if (reason == NULL)
		return "tidak disimpan";
	if (strcmp(reason, "type") == 0)
		return "jenis berkas tidak diterima";
	if (strcmp(reason, "too_large") == 0)
		return "terlalu besar";
	if (strcmp(reason, "too_many") == 0)
		return "melebihi jumlah berkas per laporan";
	if (strcmp(reason, "retention") == 0)
		return "dihapus sesuai masa retensi";
	return "tidak dapat diambil";
}

/*
 * One attachment: an image inline, audio and video with the browser's
 * controls, a document as a download; each from its authenticated URL.
 */
static int
attachment_row(const struct store_attachment *a, void *arg)
{
	struct pass *p = arg;
	char url[96], label[96];

	snprintf(url, sizeof url, "/reports/%s/evidence/%d", p->code, a->seq);
	html_raw(p->h, "<li>");
	if (strcmp(a->status, "stored") != 0) {
		snprintf(label, sizeof label, "Berkas %d: %s", a->seq,
		    strcmp(a->status, "pending") == 0 ? "sedang diambil"
						      : refusal(a->reason));
		html_text(p->h, label);
	} else if (strcmp(a->kind, "image") == 0) {
		snprintf(label, sizeof label, "Foto %d dari pelapor", a->seq);
		html_raw(p->h, "<img class=\"evidence\" src=\"");
		html_text(p->h, url);
		html_raw(p->h, "\" alt=\"");
		html_text(p->h, label);
		html_raw(p->h, "\">");
	} else if (strcmp(a->kind, "video") == 0 ||
	    strcmp(a->kind, "audio") == 0) {
		html_raw(p->h,
		    strcmp(a->kind, "video") == 0
			? "<video controls preload=\"none\" src=\""
			: "<audio controls preload=\"none\" src=\"");
		html_text(p->h, url);
		html_raw(p->h,
		    strcmp(a->kind, "video") == 0 ? "\"></video>"
						  : "\"></audio>");
	} else {
		snprintf(label, sizeof label, "Dokumen %d (PDF, %lld KB)",
		    a->seq, (a->size + 1023) / 1024);
		html_raw(p->h, "<a download href=\"");
		html_text(p->h, url);
		html_raw(p->h, "\">");
		html_text(p->h, label);
		html_raw(p->h, "</a>");
		p->documents++;
	}
	html_raw(p->h, "</li>");
	p->n++;
	return 0;
}

static int
note_row(const struct store_note_row *r, void *arg)
{
	struct pass *p = arg;

	html_raw(p->h, "<li><strong>");
	html_text(p->h, strcmp(r->kind, "place") == 0 ? "lokasi" : "tambahan");
	html_raw(p->h, ":</strong> ");
	shown_text(p->h, r->text, p->full);
	html_raw(p->h, "</li>");
	p->n++;
	return 0;
}

static int
delivery_row(const struct store_outbox_row *r, void *arg)
{
	struct pass *p = arg;
	char n[16];

	html_raw(p->h, "<tr><td>");
	html_text(p->h, r->kind);
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->channel);
	html_raw(p->h, "</td><td>");
	/* A citizen's address is never shown. */
	html_text(p->h, r->destination != NULL ? r->destination : "pelapor");
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->status);
	html_raw(p->h, "</td><td>");
	snprintf(n, sizeof n, "%d", r->attempts);
	html_text(p->h, n);
	html_raw(p->h, "</td><td>");
	html_text(p->h, r->last_error != NULL ? r->last_error : "");
	html_raw(p->h, "</td></tr>");
	p->n++;
	return 0;
}

static void
identity_section(
    struct html *h, const struct config *cfg, const struct identity *id)
{
	char when[64];

	alerts_format_time(
	    id->received_at, cfg->sla.utc_offset, when, sizeof when);
	html_raw(h,
	    "<section id=\"identity\"><h2>Identitas pelapor</h2>"
	    "<p>Ditampilkan sekali; pembukaan ini tercatat di log "
	    "audit. Jangan disalin ke tempat lain.</p><table>");
	row(h, "Nomor", id->sender);
	row(h, "ID WhatsApp", id->user_id);
	row(h, "Nama profil", id->profile_name);
	row(h, "Saluran", id->channel);
	row(h, "ID pesan penyedia", id->provider_id);
	row(h, "Waktu tepat", when);
	html_raw(h, "</table></section>");
}

static void
unseal_form(
    struct html *h, const char *code, const char *csrf, int ask_passphrase)
{
	html_raw(h,
	    "<h2>Buka identitas</h2><p>Pembukaan dicatat di log audit "
	    "(siapa, kapan, laporan, alasan) sebelum identitas "
	    "dibuka.</p><form method=\"post\" action=\"/reports/");
	html_text(h, code);
	html_raw(h,
	    "/unseal\"><label for=\"reason\">Alasan</label>"
	    "<textarea id=\"reason\" name=\"reason\" required "
	    "maxlength=\"500\"></textarea>");
	if (ask_passphrase)
		html_raw(h,
		    "<label for=\"passphrase\">Frasa sandi kunci Wali Kota "
		    "(bukan kata sandi masuk; ditanya sekali per sesi)</label>"
		    "<input id=\"passphrase\" name=\"passphrase\" "
		    "type=\"password\" required autocomplete=\"off\">");
	html_csrf(h, csrf);
	html_raw(h, "<button type=\"submit\">Buka identitas</button></form>");
}

static void
action_form(struct html *h, const char *code, const char *csrf)
{
	html_raw(h,
	    "<h2>Tindak lanjut</h2><form method=\"post\" "
	    "action=\"/reports/");
	html_text(h, code);
	html_raw(h,
	    "/action\"><label for=\"action\">Tindakan</label>"
	    "<select id=\"action\" name=\"action\">"
	    "<option value=\"acknowledge\">TERIMA: terima laporan"
	    "</option>"
	    "<option value=\"progress\">PROSES: catat tindakan</option>"
	    "<option value=\"resolve\">SELESAI: nyatakan selesai"
	    "</option>"
	    "<option value=\"reject\">TOLAK: bukan kewenangan kami"
	    "</option></select>"
	    "<label for=\"note\">Catatan (wajib kecuali TERIMA; catatan "
	    "SELESAI dibaca pelapor)</label>"
	    "<textarea id=\"note\" name=\"note\" maxlength=\"1000\">"
	    "</textarea>");
	html_csrf(h, csrf);
	html_raw(h, "<button type=\"submit\">Simpan</button></form>");
}

/* Whom a report accuses, as the page says it. */
static const char *
accused_words(const char *kind)
{
	return strcmp(kind, "leadership") == 0 ? "pimpinan OPD"
	    : strcmp(kind, "staff") == 0       ? "petugas OPD"
	    : strcmp(kind, "mayor") == 0       ? "kantor wali kota"
					       : kind;
}

/*
 * The verifier's forms: forward with a summary for the OPD (the one the
 * router proposed chosen first), or close as not a report.
 */
static void
verify_forms(struct html *h, const struct config *cfg, const char *code,
    const char *routing, const char *csrf)
{
	json_t *j = routing != NULL ? json_loads(routing, 0, NULL) : NULL;
	const char *proposed = json_string_value(json_object_get(j, "opd"));
	size_t i;

	html_raw(h,
	    "<h2>Verifikasi</h2><p>OPD hanya membaca ringkasan ini, "
	    "bukan isi laporan: tulis apa yang terjadi, di mana dan "
	    "kapan, tanpa nama, nomor, alamat atau ciri pelapor.</p>"
	    "<form method=\"post\" action=\"/reports/");
	html_text(h, code);
	html_raw(h,
	    "/verify\"><input type=\"hidden\" name=\"decision\" "
	    "value=\"forward\"><label for=\"summary\">Ringkasan untuk "
	    "OPD</label><textarea id=\"summary\" name=\"summary\" "
	    "maxlength=\"2000\" required></textarea>"
	    "<label for=\"verify-opd\">OPD tujuan</label>"
	    "<select id=\"verify-opd\" name=\"opd\">");
	for (i = 0; i < cfg->nopds; i++) {
		html_raw(h, "<option value=\"");
		html_text(h, cfg->opds[i].id);
		html_raw(h,
		    proposed != NULL && strcmp(proposed, cfg->opds[i].id) == 0
			? "\" selected>"
			: "\">");
		html_text(h, cfg->opds[i].name);
		html_raw(h, "</option>");
	}
	html_raw(h, "</select>");
	html_csrf(h, csrf);
	html_raw(h,
	    "<button type=\"submit\">Teruskan dengan ringkasan</button>"
	    "</form><form method=\"post\" action=\"/reports/");
	html_text(h, code);
	html_raw(h,
	    "/verify\"><input type=\"hidden\" name=\"decision\" "
	    "value=\"dismiss\"><label for=\"dismiss-note\">Alasan "
	    "(bukan laporan)</label><textarea id=\"dismiss-note\" "
	    "name=\"note\" maxlength=\"1000\" required></textarea>");
	html_csrf(h, csrf);
	html_raw(h,
	    "<button type=\"submit\">Tutup: bukan laporan</button>"
	    "</form>");
	json_decref(j);
}

static void
route_form(struct html *h, const struct config *cfg, const char *code,
    const char *csrf)
{
	size_t i;

	html_raw(h,
	    "<h2>Teruskan ke OPD</h2><form method=\"post\" "
	    "action=\"/reports/");
	html_text(h, code);
	html_raw(h,
	    "/route\"><label for=\"opd\">OPD tujuan</label>"
	    "<select id=\"opd\" name=\"opd\">");
	for (i = 0; i < cfg->nopds; i++) {
		if (cfg->routing.triage != NULL &&
		    strcmp(cfg->opds[i].id, cfg->routing.triage) == 0)
			continue;
		html_raw(h, "<option value=\"");
		html_text(h, cfg->opds[i].id);
		html_raw(h, "\">");
		html_text(h, cfg->opds[i].name);
		html_raw(h, "</option>");
	}
	html_raw(h,
	    "</select><label for=\"route-note\">Catatan</label>"
	    "<textarea id=\"route-note\" name=\"note\" "
	    "maxlength=\"1000\"></textarea>");
	html_csrf(h, csrf);
	html_raw(h, "<button type=\"submit\">Teruskan</button></form>");
}

int
report_view_render(struct store *s, const struct config *cfg, const char *code,
    const struct report_view *v, char **page, size_t *len, char *err,
    size_t errlen)
{
	struct store_report_page r;
	struct pass p;
	struct html h;
	char place[256], title[64];
	int rc;

	if ((rc = store_report_page(s, code, &r, err, errlen)) != 0)
		return rc;
	/*
	 * Another OPD's report is none of this user's; one about the mayor's
	 * own office is counted on the mayor's view, never shown there.
	 */
	if ((v->only_opd != NULL && strcmp(r.c.opd, v->only_opd) != 0) ||
	    (v->only_opd == NULL && strcmp(r.accused, "mayor") == 0)) {
		store_report_page_free(&r);
		return 1;
	}
	snprintf(title, sizeof title, "Laporan %s", r.c.code);
	html_init(&h);
	html_page_begin(&h, cfg->server.city, title, v->user);
	html_raw(&h, "<h1>");
	html_text(&h, r.c.code);
	html_raw(&h, "</h1>");
	if (v->notice != NULL) {
		html_raw(&h, "<p class=\"notice\" role=\"status\">");
		html_text(&h, v->notice);
		html_raw(&h, "</p>");
	}
	if (v->shown != NULL)
		identity_section(&h, cfg, v->shown);
	html_raw(&h, "<table class=\"facts\">");
	row(&h, "Status", report_status_words(r.c.status));
	row(&h, "OPD", opd_name(cfg, r.c.opd));
	if (r.c.subject[0] != '\0' && strcmp(r.c.subject, r.c.opd) != 0)
		row(&h, "OPD yang dilaporkan", opd_name(cfg, r.c.subject));
	if (r.accused[0] != '\0')
		row(&h, "Yang dilaporkan", accused_words(r.accused));
	row(&h, "Kategori", category_name(cfg, r.c.category));
	snprintf(place, sizeof place, "%s%s%s",
	    r.c.kelurahan[0] != '\0' ? r.c.kelurahan : "",
	    r.c.kelurahan[0] != '\0' && r.c.kecamatan[0] != '\0' ? ", " : "",
	    r.c.kecamatan[0] != '\0' ? region_name(cfg, r.c.kecamatan) : "");
	row(&h, "Lokasi", place);
	row(&h, "Saluran", r.channel);
	time_row(&h, cfg, "Diterima (per jam)", r.received_at);
	time_row(&h, cfg, "Batas diterima OPD", r.c.ack_due);
	time_row(&h, cfg, "Batas selesai", r.c.resolve_due);
	time_row(&h, cfg, "Diterima OPD", r.c.acknowledged_at);
	time_row(&h, cfg, "Selesai", r.resolved_at);
	row(&h, "Eskalasi",
	    (r.c.marks & STORE_MARK_ESCALATED) != 0 ? "ya" : "tidak");
	row(&h, "Hasil tindak lanjut", r.outcome);
	html_raw(&h, "</table>");
	p.h = &h;
	p.cfg = cfg;
	p.n = 0;
	p.full = v->full_text;
	p.code = r.c.code;
	p.documents = 0;
	if (v->summary_only) {
		/* the verifier's words, never the citizen's */
		html_raw(&h, "<h2>Ringkasan verifikator</h2>");
		if (r.summary != NULL)
			shown_text(&h, r.summary, 0);
		else
			html_raw(&h, "<p>Belum ada ringkasan.</p>");
	} else {
		html_raw(&h, "<h2>Isi laporan</h2>");
		shown_text(&h, r.c.text, v->full_text);
		if (r.summary != NULL) {
			html_raw(&h, "<h2>Ringkasan verifikator</h2>");
			shown_text(&h, r.summary, v->full_text);
		}
		html_raw(&h, "<h2>Keterangan dari pelapor</h2><ul>");
		if (store_each_note(s, r.c.id, note_row, &p, err, errlen) == -1)
			goto fail;
		html_raw(&h, p.n == 0 ? "<li>-</li></ul>" : "</ul>");
		html_raw(&h, "<h2>Bukti dari pelapor</h2><ul id=\"evidence\">");
		p.n = 0;
		p.code = r.c.code;
		if (store_each_attachment(
			s, r.c.code, attachment_row, &p, err, errlen) == -1)
			goto fail;
		html_raw(&h, p.n == 0 ? "<li>-</li></ul>" : "</ul>");
		if (p.documents > 0)
			html_raw(&h,
			    "<p>Dokumen dapat memuat metadata (nama penulis, "
			    "perangkat, lokasi) yang mengarah ke pelapor: "
			    "jangan diteruskan.</p>");
		evidence(&h, r.routing);
	}
	html_raw(&h,
	    "<h2>Riwayat</h2><div class=\"scroll\"><table><thead><tr>"
	    "<th>waktu</th><th>oleh</th><th>tindakan</th>"
	    "<th>status</th><th>catatan</th></tr></thead><tbody>");
	if (store_each_history(s, r.c.code, history_row, &p, err, errlen) == -1)
		goto fail;
	html_raw(&h,
	    "</tbody></table></div><h2>Pengiriman</h2>"
	    "<div class=\"scroll\"><table><thead><tr><th>jenis</th>"
	    "<th>saluran</th><th>tujuan</th><th>status</th>"
	    "<th>percobaan</th><th>galat</th></tr></thead><tbody>");
	if (store_each_report_outbox(
		s, r.c.id, delivery_row, &p, err, errlen) == -1)
		goto fail;
	html_raw(&h, "</tbody></table></div>");
	if (v->can_verify && v->user != NULL &&
	    report_status_of(r.c.status) == REPORT_VERIFYING)
		verify_forms(&h, cfg, r.c.code, r.routing, v->user->csrf);
	else if (v->can_act && v->user != NULL)
		action_form(&h, r.c.code, v->user->csrf);
	if (v->can_route && v->user != NULL &&
	    (report_status_of(r.c.status) == REPORT_TRIAGE ||
		report_status_of(r.c.status) == REPORT_RECEIVED ||
		report_status_of(r.c.status) == REPORT_REJECTED))
		route_form(&h, cfg, r.c.code, v->user->csrf);
	if (v->can_close && v->user != NULL &&
	    report_status_of(r.c.status) == REPORT_RESOLVED) {
		html_raw(&h,
		    "<h2>Tutup laporan</h2><p>Hasil tindak lanjut "
		    "diterima; laporan ditutup dan tidak dapat diubah "
		    "lagi.</p><form method=\"post\" action=\"/reports/");
		html_text(&h, r.c.code);
		html_raw(&h, "/close\">");
		html_csrf(&h, v->user->csrf);
		html_raw(&h, "<button type=\"submit\">Tutup</button></form>");
	}
	if (v->can_unseal && v->shown == NULL && v->user != NULL)
		unseal_form(&h, r.c.code, v->user->csrf, v->ask_passphrase);
	store_report_page_free(&r);
	return html_page_finish(&h, page, len, err, errlen);
fail:
	html_free(&h);
	store_report_page_free(&r);
	return -1;
}
