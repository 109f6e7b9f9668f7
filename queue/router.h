/*
 * router: decides what a citizen's report is about and where it belongs:
 * its category, the OPD (city agency) concerned, and the kecamatan and
 * kelurahan where it happened, from the text as people write it in SMS
 * and WhatsApp (and from a WhatsApp location pin).  Pure: no I/O, no
 * globals; the tables are built once from the config.
 */
#ifndef HOTLINE_ROUTER_H
#define HOTLINE_ROUTER_H

#include <stddef.h>

#include "config/config.h"
#include "queue/accused.h"

#define ROUTE_MAX_EVIDENCE 16
#define ROUTER_WORD_MAX	   32 /* bytes of a normalised word, with its NUL */

/* One matched term: which field it decided and what in the text matched. */
struct route_evidence {
	char field[16];	  /* "category", "opd", "kecamatan", "kelurahan" */
	char value[64];	  /* the id (or kelurahan name) it points to */
	char term[64];	  /* the configured keyword or place name */
	char matched[64]; /* the words of the text that matched it */
};

/*
 * opd handles the report; subject is the office it is about (NULL: none
 * matched).  They differ when the report accuses that office's leadership
 * (or the mayor's office, or with [routing] staff_accusations = integrity
 * its staff): then opd is [routing] integrity_opd (about_mayor), and the
 * office accused is never the one that handles it.
 */
struct route {
	const struct category *category; /* NULL: none matched */
	const struct opd *opd;		 /* the triage OPD when none matched */
	const struct opd *subject;	 /* the office it is about, or NULL */
	struct accusation accused;	 /* whom it accuses */
	const struct region *kecamatan;	 /* NULL: unknown */
	const char *kelurahan;		 /* a configured name, or NULL */
	int triage;			 /* opd is the triage fallback */
	char reason[192];		 /* why triage / how decided */
	struct route_evidence evidence[ROUTE_MAX_EVIDENCE];
	size_t nevidence;
};

/* An optional WhatsApp location pin that came with the report. */
struct route_location {
	int has_point;
	double latitude, longitude;
	const char *name;    /* may be NULL */
	const char *address; /* may be NULL */
};

struct router;

struct router *router_new(const struct config *, char *err, size_t errlen);
void router_free(struct router *);

/* Route one report.  text may be empty; loc may be NULL.  Always succeeds. */
void router_route(const struct router *, const char *text,
    const struct route_location *loc, struct route *out);

/*
 * Route text that answers "where did it happen?": a place name that is
 * also a common word ("Kemasan", "Bawang", "Kota") counts without a
 * kelurahan or kecamatan before it.
 */
void router_route_answer(const struct router *, const char *text,
    const struct route_location *loc, struct route *out);

/*
 * The words of text as the router reads them: lowercased, split at
 * everything but letters and digits, slang, SMS and Javanese spellings
 * made one ("gak" -> "tidak", "njaluk" -> "minta"), amounts as one token
 * "#50000".  Up to max words into words; returns how many (0 when out of
 * memory).
 */
size_t router_words(const struct router *, const char *text,
    char words[][ROUTER_WORD_MAX], size_t max);

/*
 * The decision as one JSON object (category, opd, subject, kecamatan as
 * ids, kelurahan as its configured name, null where unknown, accused and
 * its term when one is, triage, reason, evidence).  malloc'd; NULL when out of
 * memory.
 */
char *router_json(const struct route *);

#endif
