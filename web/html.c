/*
 * html: the buffer the web views are written into, and the page frame.
 * The buffer is a lib/dynbuf.h one: always NUL-terminated, and the first
 * allocation that fails frees it and turns every later write into
 * nothing, so a page is built without checking each call and html_take()
 * says once, with NULL, that it could not be.  Text goes through
 * html_text(), which escapes the five characters that matter in HTML text
 * and in quoted attribute values.  The style is inline (the
 * Content-Security-Policy allows nothing else): one column, at most 60rem
 * wide, system fonts, tables that scroll sideways inside a .scroll div, and
 * the charts of web/svg.c.  No script, no event handler, no external URL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "web/html.h"

/*
 * The page style.  Class names for the pages: .scroll (the div around a
 * table), .num (a right-aligned number cell), .wrap (a cell whose text
 * may wrap), .cards and .card (figures side by side), .muted, .empty (no
 * data), .late (overdue), .error and .notice (a message), .text (a
 * report's text, lines kept), .facts (a table of label and value, no
 * scrolling), .chart (an svg of web/svg.c) and, inside it,
 * .bar, .axis, .grid, .tick and .label.
 */
static const char html_style[] =
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;color:#1f2328;background:#f6f7f9;"
    "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Noto Sans\",\"Helvetica Neue\",Arial,sans-serif}"
    "header{background:#fff;border-bottom:1px solid #d0d7de}"
    "header>div,main{max-width:60rem;margin:0 auto;padding:.75rem 1rem}"
    "header>div{display:flex;flex-wrap:wrap;align-items:center;"
    "gap:.5rem 1rem}"
    ".city{font-weight:600;margin-right:auto}"
    ".who{color:#57606a;font-size:.9rem;overflow-wrap:anywhere}"
    "header form{margin:0}"
    "h1{font-size:1.375rem;line-height:1.3;margin:.5rem 0 1rem}"
    "h2{font-size:1.125rem;line-height:1.3;margin:1.5rem 0 .5rem}"
    "p{margin:0 0 1rem}"
    "a{color:#0a58a8}"
    ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;"
    "margin:0 0 1rem;background:#fff;border:1px solid #d0d7de;"
    "border-radius:6px}"
    "table{border-collapse:collapse;width:100%;font-size:.9375rem;"
    "margin:0 0 1rem}"
    ".scroll table{margin:0}"
    "th,td{padding:.5rem .625rem;text-align:left;vertical-align:top;"
    "border-bottom:1px solid #e4e7eb;overflow-wrap:anywhere}"
    ".scroll th,.scroll td{white-space:nowrap;overflow-wrap:normal}"
    "th{background:#eef1f4;font-weight:600}"
    "tr:last-child td{border-bottom:0}"
    "td.wrap{white-space:normal;min-width:12rem}"
    ".facts{background:#fff;border:1px solid #d0d7de}"
    ".facts th{width:35%;background:#f6f7f9}"
    ".facts tr:last-child th{border-bottom:0}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(9rem,1fr));gap:.75rem;margin:0 0 1rem}"
    ".card{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
    "padding:.75rem}"
    ".card b{display:block;font-size:1.5rem;line-height:1.2;"
    "font-variant-numeric:tabular-nums}"
    ".muted,.empty{color:#57606a}"
    ".empty{font-style:italic}"
    ".late{color:#a40e26;font-weight:600}"
    ".error,.notice{padding:.625rem .75rem;border-radius:6px;"
    "border:1px solid}"
    ".error{color:#82071e;background:#ffebe9;border-color:#ffb3b8}"
    ".notice{color:#0a3069;background:#ddf4ff;border-color:#a8d8ff}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;"
    "border:1px solid #d0d7de;border-radius:6px;padding:.75rem}"
    ".chart{display:block;width:100%;max-width:36rem;height:auto;"
    "margin:0 0 1rem;background:#fff;border:1px solid #d0d7de;"
    "border-radius:6px}"
    ".chart text{font-size:12px;fill:#1f2328}"
    ".chart .label{font-size:11px}"
    ".chart .tick{font-size:11px;fill:#57606a}"
    ".chart .axis{stroke:#8c959f;stroke-width:1}"
    ".chart .grid{stroke:#d0d7de;stroke-width:1;stroke-dasharray:3 3}"
    ".chart .bar{fill:#4f6d8a}"
    ".evidence{display:block;max-width:100%;max-height:24rem;height:auto}"
    "button,input,select,textarea{font:inherit;color:inherit;"
    "max-width:100%}"
    "input,select,textarea{padding:.375rem .5rem;background:#fff;"
    "border:1px solid #8c959f;border-radius:6px}"
    "button{padding:.375rem .875rem;background:#fff;cursor:pointer;"
    "border:1px solid #8c959f;border-radius:6px}"
    "button:hover{background:#eef1f4}"
    "textarea{width:100%;min-height:6rem}"
    "label{display:block;margin:.75rem 0 .25rem;font-weight:600}"
    ":focus-visible{outline:2px solid #0a58a8;outline-offset:2px}"
    "@media print{body{background:#fff}header form{display:none}}";

static const char html_dot[] = " \xc2\xb7 "; /* " · " */

void
html_init(struct html *h)
{
	dynbuf_init(&h->b, DYNBUF_NO_CAP, 0);
}

void
html_free(struct html *h)
{
	dynbuf_free(&h->b);
}

void
html_fail(struct html *h)
{
	dynbuf_fail(&h->b);
}

void
html_raw(struct html *h, const char *markup)
{
	if (markup != NULL)
		dynbuf_adds(&h->b, markup);
}

void
html_printf(struct html *h, const char *fmt, ...)
{
	va_list ap;

	/* an encoding error fails the buffer: the page would be wrong */
	va_start(ap, fmt);
	dynbuf_vaddf(&h->b, fmt, ap);
	va_end(ap);
}

void
html_text(struct html *h, const char *text)
{
	const char *p, *span;

	if (text == NULL)
		return;
	for (p = span = text; *p != '\0'; p++) {
		const char *ent;

		switch (*p) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		dynbuf_add(&h->b, span, (size_t)(p - span));
		dynbuf_adds(&h->b, ent);
		span = p + 1;
	}
	dynbuf_add(&h->b, span, (size_t)(p - span));
}

void
html_count(struct html *h, long long n, int suppress)
{
	char digits[32], out[48];
	unsigned long long u;
	size_t nd = 0, i, o = 0;

	if (suppress && n > 0 && n < 5) {
		html_raw(h, "&lt;5");
		return;
	}
	/* the magnitude, without overflow on LLONG_MIN */
	u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do {
		digits[nd++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u > 0);
	if (n < 0)
		out[o++] = '-';
	for (i = nd; i > 0; i--) {
		out[o++] = digits[i - 1];
		if (i > 1 && (i - 1) % 3 == 0)
			out[o++] = '.';
	}
	out[o] = '\0';
	html_raw(h, out);
}

void
html_csrf(struct html *h, const char *token)
{
	html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(h, token);
	html_raw(h, "\">");
}

void
html_page_begin(struct html *h, const char *city, const char *title,
    const struct html_user *user)
{
	html_raw(h,
	    "<!doctype html><html lang=\"id\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">"
	    "<title>");
	html_text(h, title);
	html_raw(h, html_dot);
	html_raw(h, "Hotline ");
	html_text(h, city);
	html_raw(h, "</title><style>");
	html_raw(h, html_style);
	html_raw(h,
	    "</style></head><body><header><div>"
	    "<span class=\"city\">Hotline ");
	html_text(h, city);
	html_raw(h, "</span>");
	if (user != NULL) {
		html_raw(h, "<span class=\"who\">");
		html_text(h, user->name);
		html_raw(h, html_dot);
		if (user->role != NULL && strcmp(user->role, "mayor") == 0)
			html_raw(h, "Wali Kota");
		else if (user->opd_name != NULL)
			html_text(h, user->opd_name);
		else
			html_raw(h, "OPD");
		html_raw(h, "</span><form method=\"post\" action=\"/logout\">");
		html_csrf(h, user->csrf);
		html_raw(h, "<button type=\"submit\">Keluar</button></form>");
	}
	html_raw(h, "</div></header><main>");
}

void
html_page_end(struct html *h)
{
	html_raw(h, "</main></body></html>");
}

char *
html_take(struct html *h, size_t *len)
{
	return dynbuf_take(&h->b, len);
}

int
html_page_finish(
    struct html *h, char **page, size_t *len, char *err, size_t errlen)
{
	html_page_end(h);
	if ((*page = html_take(h, len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
