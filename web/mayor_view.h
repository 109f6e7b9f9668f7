/*
 * mayor_view: the mayor's indicator page, rendered from the figures of
 * queue/indicators.h: the filter form (GET: from, to, opd, kecamatan,
 * category, as indicators_filter_parse() reads them), the link to the CSV
 * export, and the sections of confidentiality.md section 5 with Indonesian
 * headings.  Every count goes through html_count() with suppress_small,
 * and so do the charts: with suppress_small set, no chart, tooltip or
 * table shows a count from 1 to 4 (small counts in a kelurahan or a
 * category can point at a reporter).
 */
#ifndef HOTLINE_MAYOR_VIEW_H
#define HOTLINE_MAYOR_VIEW_H

#include <stddef.h>

#include "config/config.h"
#include "queue/indicators.h"
#include "web/html.h"

/*
 * The whole page (html_page_begin ... html_page_end) for user: malloc'd,
 * NUL-terminated, its length in *len; NULL when out of memory.  filter is
 * the one ind was computed with (its form fields and the CSV link).  The
 * mayor's own view passes suppress_small 0.
 */
char *mayor_view_render(const struct indicators *, const struct config *,
    const struct indicator_filter *, const struct html_user *user,
    int suppress_small, size_t *len);

/*
 * Only the volume and trend and the OPD performance sections, into h:
 * for the OPD view, which computes ind with its own OPD filter (and passes
 * suppress_small 1).
 */
void indicators_section(struct html *, const struct indicators *,
    const struct config *, int suppress_small);

#endif
