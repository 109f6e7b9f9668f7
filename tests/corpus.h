/*
 * corpus: reading tests/router_corpus.tsv, shared by the router's test and
 * its benchmark.  Header-only: the two are built apart.
 */
#ifndef HOTLINE_CORPUS_H
#define HOTLINE_CORPUS_H

#include <stdlib.h>
#include <string.h>

#include "queue/router.h"

/* "LAT LON|NAME|ADDRESS" into loc, in place (name and address point into s). */
static inline void
corpus_parse_location(char *s, struct route_location *loc)
{
	char *bar;

	memset(loc, 0, sizeof *loc);
	loc->has_point = 1;
	loc->latitude = strtod(s, &s);
	loc->longitude = strtod(s, &s);
	if ((bar = strchr(s, '|')) == NULL)
		return;
	loc->name = bar + 1;
	if ((bar = strchr(bar + 1, '|')) != NULL) {
		*bar = '\0';
		loc->address = bar + 1;
	}
	if (loc->name[0] == '\0')
		loc->name = NULL;
	if (loc->address != NULL && loc->address[0] == '\0')
		loc->address = NULL;
}

#endif
