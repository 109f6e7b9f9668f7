/*
 * svg: the charts of the web views, drawn here as inline SVG in a viewBox
 * 360 units wide (a phone's width, so that 12-unit text stays readable
 * when the page scales it down; the style caps it at 36rem on a desk).
 * Bars: a fixed label column (labels start-anchored inside a nested <svg>
 * that clips them, and cut in C at a code point boundary with "…" when
 * long), the bar, and the shown text after it.  Columns: one per value,
 * the largest value and 0 on the axis, every k-th label under them so that
 * labels never overlap.  Values that are not finite or below 0 count as 0;
 * when the largest is 0 every bar is empty.  Coordinates are written with
 * "%.1f" and the output depends on nothing but the input.  Everything
 * from the caller goes through html_text().
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "web/svg.h"

#define SVG_WIDTH 360

/* Bars: rows of SVG_ROW units; the label column, the bar, its text. */
#define SVG_ROW	      24
#define SVG_PAD	      4
#define SVG_LABEL_X   6
#define SVG_LABEL_W   146
#define SVG_BAR_X     158
#define SVG_BAR_W     134
#define SVG_BAR_H     14
#define SVG_LABEL_MAX 20 /* code points of a bar's label */
#define SVG_SHOWN_MAX 12 /* code points of a bar's shown text */

/* Columns: the plot between the margins, labels under it. */
#define SVG_COL_HEIGHT 200
#define SVG_COL_TOP    12
#define SVG_COL_BOTTOM 24
#define SVG_COL_RIGHT  8
#define SVG_COL_MAX    10  /* code points of a column's label */
#define SVG_CHAR_W     6.5 /* a generous width of one character */

/* Room for SVG_*_MAX code points of up to 4 bytes, "…" and the NUL. */
#define SVG_CLIP_SIZE 96

#define SVG_ELLIPSIS "\xe2\x80\xa6"

/* Larger values are written as this (no overflow in the formatting). */
#define SVG_VALUE_CAP 1e15

/* v, or 0 when it is not a finite number above 0. */
static double
svg_clean(double v)
{
	return isfinite(v) && v > 0 ? v : 0;
}

/* The largest of the cleaned values. */
static double
svg_max(const double *values, size_t n)
{
	double max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (svg_clean(values[i]) > max)
			max = svg_clean(values[i]);
	return max;
}

/* Code points in s (bytes that do not continue a sequence). */
static size_t
svg_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * s when it has at most max code points (max < SVG_CLIP_SIZE / 4), else
 * its first max - 1 code points and "…" in buf.  A cut is made before a
 * byte that starts a sequence, never inside one, and within buf.
 */
static const char *
svg_clip(char buf[SVG_CLIP_SIZE], const char *s, size_t max)
{
	size_t i, keep = 0, seen = 0;

	if (s == NULL)
		return "";
	if (svg_chars(s) <= max)
		return s;
	for (i = 0; s[i] != '\0'; i++) {
		if (i + sizeof SVG_ELLIPSIS > SVG_CLIP_SIZE)
			break;
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		keep = i; /* s[0..i) is whole code points */
		if (seen == max - 1)
			break;
		seen++;
	}
	memcpy(buf, s, keep);
	memcpy(buf + keep, SVG_ELLIPSIS, sizeof SVG_ELLIPSIS);
	return buf;
}

/*
 * A value as people read it: the whole number with thousands dots, and
 * one decimal after a comma when it has one (12.345 or 3,5).
 */
static void
svg_value(struct html *h, double v)
{
	long long tenths;

	v = svg_clean(v);
	if (v > SVG_VALUE_CAP)
		v = SVG_VALUE_CAP;
	tenths = (long long)(v * 10 + 0.5);
	html_count(h, tenths / 10, 0);
	if (tenths % 10 != 0)
		html_printf(h, ",%d", (int)(tenths % 10));
}

/* The text the page shows when there is nothing to draw. */
static void
svg_empty(struct html *h)
{
	html_raw(h, "<p class=\"empty\">belum ada data</p>");
}

/* <svg ...><title>title</title>: the opening of a chart. */
static void
svg_open(struct html *h, const char *kind, const char *title, size_t height)
{
	html_printf(
	    h, "<svg class=\"chart %s\" role=\"img\" aria-label=\"", kind);
	html_text(h, title);
	html_printf(h, "\" viewBox=\"0 0 %d %zu\"><title>", SVG_WIDTH, height);
	html_text(h, title);
	html_raw(h, "</title>");
}

void
svg_bars(
    struct html *h, const char *title, const struct svg_bar *bars, size_t n)
{
	char label[SVG_CLIP_SIZE], shown[SVG_CLIP_SIZE];
	double max = 0, v, w;
	size_t i, y;

	if (n == 0 || bars == NULL) {
		svg_empty(h);
		return;
	}
	for (i = 0; i < n; i++)
		if (svg_clean(bars[i].value) > max)
			max = svg_clean(bars[i].value);
	svg_open(h, "bars", title, n * SVG_ROW + 2 * SVG_PAD);
	for (i = 0; i < n; i++) {
		v = svg_clean(bars[i].value);
		w = max > 0 ? v / max * SVG_BAR_W : 0;
		y = SVG_PAD + i * SVG_ROW;

		/* the full label and value, as a tooltip */
		html_raw(h, "<g><title>");
		html_text(h, bars[i].label);
		html_raw(h, ": ");
		if (bars[i].shown != NULL)
			html_text(h, bars[i].shown);
		else
			svg_value(h, v);
		html_printf(h,
		    "</title><svg x=\"%d\" y=\"%zu\" width=\"%d\" "
		    "height=\"%d\">"
		    "<text x=\"0\" y=\"16\">",
		    SVG_LABEL_X, y, SVG_LABEL_W, SVG_ROW);
		html_text(h, svg_clip(label, bars[i].label, SVG_LABEL_MAX));
		html_printf(h,
		    "</text></svg><rect class=\"bar\" x=\"%d\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"%d\"></rect>"
		    "<text x=\"%.1f\" y=\"%zu\">",
		    SVG_BAR_X, y + (SVG_ROW - SVG_BAR_H) / 2, w, SVG_BAR_H,
		    SVG_BAR_X + w + 4, y + 16);
		if (bars[i].shown != NULL)
			html_text(
			    h, svg_clip(shown, bars[i].shown, SVG_SHOWN_MAX));
		else
			svg_value(h, v);
		html_raw(h, "</text></g>");
	}
	html_raw(h, "</svg>");
}

/* The width of the text svg_value() writes for v, in characters. */
static size_t
svg_value_chars(double v)
{
	struct html t;
	size_t n;

	html_init(&t);
	svg_value(&t, v);
	n = dynbuf_failed(&t.b) ? 12 : dynbuf_len(&t.b);
	html_free(&t);
	return n;
}

void
svg_columns(struct html *h, const char *title, const char *const *labels,
    const double *values, size_t n)
{
	char label[SVG_CLIP_SIZE];
	double max, left, right, top, bottom, plot_w, plot_h, slot, gap;
	double x, colh, widest = 0, lw;
	size_t i, k;
	const char *s;

	if (n == 0 || values == NULL) {
		svg_empty(h);
		return;
	}
	max = svg_max(values, n);
	left = SVG_CHAR_W * (double)svg_value_chars(max) + 8;
	if (left < 24)
		left = 24;
	right = SVG_WIDTH - SVG_COL_RIGHT;
	top = SVG_COL_TOP;
	bottom = SVG_COL_HEIGHT - SVG_COL_BOTTOM;
	plot_w = right - left;
	plot_h = bottom - top;
	slot = plot_w / (double)n;
	gap = slot >= 4 ? slot * 0.2 : 0;

	svg_open(h, "columns", title, SVG_COL_HEIGHT);
	/* the axis: the largest value at the top, 0 at the bottom */
	html_printf(h,
	    "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\"></line>"
	    "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\"></line>"
	    "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"end\">",
	    left, top, right, top, left, bottom, right, bottom, left - 4,
	    top + 4);
	svg_value(h, max);
	html_printf(h,
	    "</text><text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"end\">0</text>",
	    left - 4, bottom + 4);

	for (i = 0; i < n; i++) {
		double v = svg_clean(values[i]);

		colh = max > 0 ? v / max * plot_h : 0;
		x = left + (double)i * slot + gap / 2;
		html_printf(h,
		    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\"><title>",
		    x, bottom - colh, slot - gap, colh);
		if (labels != NULL && labels[i] != NULL) {
			html_text(h, labels[i]);
			html_raw(h, ": ");
		}
		svg_value(h, v);
		html_raw(h, "</title></rect>");
	}

	/* every k-th label, k so that the widest fits in k slots */
	if (labels == NULL) {
		html_raw(h, "</svg>");
		return;
	}
	for (i = 0; i < n; i++) {
		s = svg_clip(label, labels[i], SVG_COL_MAX);
		lw = SVG_CHAR_W * (double)svg_chars(s);
		if (lw > widest)
			widest = lw;
	}
	k = (size_t)ceil((widest + 4) / slot);
	if (k < 1)
		k = 1;
	for (i = 0; i < n; i += k) {
		s = svg_clip(label, labels[i], SVG_COL_MAX);
		if (*s == '\0')
			continue;
		lw = SVG_CHAR_W * (double)svg_chars(s);
		/* centred under its column, but inside the picture */
		x = left + ((double)i + 0.5) * slot;
		if (x - lw / 2 < 0)
			x = lw / 2;
		if (x + lw / 2 > SVG_WIDTH)
			x = SVG_WIDTH - lw / 2;
		html_printf(h,
		    "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">",
		    x, bottom + 15);
		html_text(h, s);
		html_raw(h, "</text>");
	}
	html_raw(h, "</svg>");
}
