/*
 * svg: charts drawn by the server as inline SVG, no script, no external
 * asset: horizontal bars (counts by OPD, category, region...) and a line
 * or column chart of a series over time.  Labels and values are text
 * from the database and go through html_text().
 */
#ifndef HOTLINE_SVG_H
#define HOTLINE_SVG_H

#include <stddef.h>

#include "web/html.h"

/* One bar: its label, value and the text shown beside it. */
struct svg_bar {
	const char *label;
	double value;
	const char *shown; /* e.g. "12", "<5", "3,5 hari"; NULL: the value */
};

/*
 * Horizontal bars, longest scaled to the width, with an accessible title
 * (<title>) and each bar's label and shown value as text.  n may be 0
 * (then "belum ada data").
 */
void svg_bars(
    struct html *, const char *title, const struct svg_bar *bars, size_t n);

/*
 * Columns for a series over time (labels[i] under column i, values[i] its
 * height), with the largest value marked on the axis; n may be 0.
 */
void svg_columns(struct html *, const char *title, const char *const *labels,
    const double *values, size_t n);

#endif
