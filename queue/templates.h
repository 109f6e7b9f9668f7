/*
 * templates: the texts citizens receive, in Indonesian.  Each has a
 * built-in default and may be overridden in [templates]; placeholders in
 * braces ({code}, {receipt}, {category}, {opd}, {status}, {updated},
 * {city}) are filled in by templates_render().
 */
#ifndef HOTLINE_TEMPLATES_H
#define HOTLINE_TEMPLATES_H

#include "config/config.h"

/* A value for one placeholder. */
struct template_var {
	const char *name; /* without braces */
	const char *value;
};

/* The text of a template: the config's when set, else the default. */
const char *templates_text(const struct config *, enum template_id);

/*
 * Render template id with vars (nvars of them; a placeholder with no value
 * is left as written).  Returns a malloc'd string or NULL (out of memory).
 */
char *templates_render(const struct config *, enum template_id,
    const struct template_var *vars, size_t nvars);

#endif
