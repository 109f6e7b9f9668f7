/*
 * opd_view: an OPD head's page (/opd): the OPD's open reports, the ones
 * past or near a deadline first, each linked to its page where the head
 * acts; and the OPD's own indicators, with small counts shown as "<5".
 */
#ifndef HOTLINE_OPD_VIEW_H
#define HOTLINE_OPD_VIEW_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "queue/store.h"
#include "web/html.h"

/* Render the page of opd for user: 0 with *page (malloc'd), or -1. */
int opd_view_render(struct store *, const struct config *, const char *opd,
    const struct html_user *user, time_t now, char **page, size_t *len,
    char *err, size_t errlen);

#endif
