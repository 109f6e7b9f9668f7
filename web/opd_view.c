/*
 * opd_view: the list comes from store_each_open_case (deadline first);
 * the indicators are the mayor view's section, narrowed to the OPD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/alerts.h"
#include "queue/templates.h"
#include "queue/indicators.h"
#include "queue/report.h"
#include "web/mayor_view.h"
#include "web/opd_view.h"
#include "web/report_view.h"

struct pass {
	struct html *h;
	const struct config *cfg;
	time_t now;
	int n;
};

static int
open_row(const struct store_case *c, void *arg)
{
	struct pass *p = arg;
	time_t due = c->acknowledged_at == 0 && c->ack_due != 0
	    ? c->ack_due
	    : c->resolve_due;
	char when[64];

	snprintf(when, sizeof when, "-");
	if (due != 0)
		alerts_format_time(
		    due, p->cfg->sla.utc_offset, when, sizeof when);
	html_raw(p->h,
	    due != 0 && due <= p->now ? "<tr class=\"late\"><td>" : "<tr><td>");
	html_raw(p->h, "<a href=\"/reports/");
	html_text(p->h, c->code);
	html_raw(p->h, "\">");
	html_text(p->h, c->code);
	html_raw(p->h, "</a></td><td>");
	html_text(p->h, report_status_words(c->status));
	html_raw(p->h, "</td><td>");
	html_text(p->h, c->kelurahan[0] != '\0' ? c->kelurahan : "-");
	html_raw(p->h, "</td><td>");
	html_text(p->h, when);
	html_raw(p->h,
	    due != 0 && due <= p->now ? " (lewat)</td></tr>" : "</td></tr>");
	p->n++;
	return 0;
}

int
opd_view_render(struct store *s, const struct config *cfg, const char *opd,
    const struct html_user *user, time_t now, char **page, size_t *len,
    char *err, size_t errlen)
{
	struct indicator_filter filter;
	struct indicators *ind = NULL;
	const struct opd *o = config_opd(cfg, opd);
	struct pass p = {NULL, cfg, now, 0};
	struct html h;

	html_init(&h);
	p.h = &h;
	html_page_begin(&h, cfg->server.city, "Laporan OPD", user);
	html_raw(&h, "<h1>");
	html_text(&h, o != NULL ? o->name : opd);
	html_raw(&h,
	    "</h1><h2>Laporan terbuka</h2><div class=\"scroll\">"
	    "<table><thead><tr><th>kode</th><th>status</th>"
	    "<th>kelurahan</th><th>batas waktu</th></tr></thead>"
	    "<tbody>");
	if (store_each_open_case(s, opd, open_row, &p, err, errlen) == -1)
		goto fail;
	html_raw(&h, "</tbody></table></div>");
	if (p.n == 0)
		html_raw(&h, "<p>Tidak ada laporan terbuka.</p>");
	memset(&filter, 0, sizeof filter);
	filter.opd = opd;
	if (indicators_compute(s, cfg, &filter, now, &ind, err, errlen) == -1)
		goto fail;
	indicators_section(&h, ind, cfg, 1);
	indicators_free(ind);
	return html_page_finish(&h, page, len, err, errlen);
fail:
	html_free(&h);
	return -1;
}
