/*
 * indicators: the figures of the mayor's indicator view, computed from
 * the reports table in one pass over a covering index and aggregated in C
 * (confidentiality.md section 5: volume and trend, the status pipeline,
 * timeliness per OPD with median and p90, aging, hotspots, the triage
 * backlog and the confidentiality health of the audit log), and the CSV
 * export of the report list.  It owns what each figure means; rendering
 * is web/mayor_view.c.  Nothing here reads a report's text or identity.
 *
 * Times: received_at is kept to the hour; days, ISO weeks and months are
 * local ([sla] utc_offset).  Everything is about the reports received in
 * the filter's period and matching its OPD, kecamatan and category,
 * except the aging of open reports and the triage backlog, which are
 * about every report open now (the period does not apply to them, the
 * other filters do), and the audit figures, which are about the period
 * only.
 */
#ifndef HOTLINE_INDICATORS_H
#define HOTLINE_INDICATORS_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "queue/report.h"
#include "queue/store.h"

#define INDICATORS_DEFAULT_DAYS 90    /* the period of an empty filter */
#define INDICATORS_MAX_DAYS	36600 /* the longest period computed */
#define INDICATORS_HOTSPOT_MIN	3     /* reports that make a hotspot */
#define INDICATORS_HOTSPOTS	10
#define INDICATORS_TRIAGE_LIST	20
#define INDICATORS_UNSEALS	50

/*
 * What to count: reports received in [from, to).  from and to both 0:
 * the INDICATORS_DEFAULT_DAYS days before now; to alone 0: up to now;
 * from alone 0: the INDICATORS_DEFAULT_DAYS days before to.  A NULL id
 * matches every report.
 */
struct indicator_filter {
	time_t from, to;
	const char *opd, *kecamatan, *category; /* ids of the config */
};

/* The statuses of queue/report.h, in its order, and the rest. */
enum indicator_status {
	IND_RECEIVED = REPORT_RECEIVED,
	IND_ROUTED = REPORT_ROUTED,
	IND_TRIAGE = REPORT_TRIAGE,
	IND_ACKNOWLEDGED = REPORT_ACKNOWLEDGED,
	IND_IN_PROGRESS = REPORT_IN_PROGRESS,
	IND_RESOLVED = REPORT_RESOLVED,
	IND_CLOSED = REPORT_CLOSED,
	IND_REJECTED = REPORT_REJECTED,
	IND_VERIFYING = REPORT_VERIFYING,
	IND_STATUS_OTHER = REPORT_NSTATUSES, /* one this binary does not know */
	IND_STATUS_COUNT
};
/* "received", ... "rejected", "other" */
extern const char *const indicator_status_ids[IND_STATUS_COUNT];
/* As the pages say them: "Diterima", "Diteruskan ke OPD", ... */
extern const char *const indicator_status_names[IND_STATUS_COUNT];

/* The age of an open report (now - received_at). */
enum indicator_age {
	IND_AGE_1D,   /* under 1 day */
	IND_AGE_3D,   /* 1 to 3 days */
	IND_AGE_7D,   /* 3 to 7 days */
	IND_AGE_30D,  /* 7 to 30 days */
	IND_AGE_MORE, /* 30 days and more */
	IND_AGE_COUNT
};
/* "< 1 hari", "1–3 hari", "3–7 hari", "7–30 hari", "> 30 hari" */
extern const char *const indicator_age_names[IND_AGE_COUNT];

/*
 * A count by one dimension.  id is the value stored (a config id, or a
 * kelurahan's name), NULL for reports without one; name is the config's
 * name for it ("(tidak diketahui)" for NULL, the id itself when the
 * config no longer has it).
 */
struct indicator_count {
	const char *id, *name;
	long long count;
};
/* Only values with reports, most first (ties: config order). */
struct indicator_counts {
	struct indicator_count *v;
	size_t n;
};

/*
 * A series over time: every local day, ISO week ("2026-W10") or month
 * ("2026-03") the period touches, oldest first, zeros included.
 */
struct indicator_bucket {
	char label[12];
	time_t start; /* local midnight of its first day (may precede from) */
	long long count;
};
struct indicator_series {
	struct indicator_bucket *v;
	size_t n;
};

/*
 * Delays from received_at to acknowledged_at (or resolved_at), in hours,
 * of the reports that have one.  The median is the middle value (the mean
 * of the two middle ones when n is even), p90 the nearest rank
 * (ceil(0.9 n)-th smallest).  n 0: none (median and p90 are 0).
 */
struct indicator_delay {
	long long n;
	double median_h, p90_h;
};

/*
 * A deadline kept: due counts the reports whose deadline can be judged
 * (done, or not done with the deadline passed by now), met those done by
 * their deadline.  Reports without a deadline are not counted.
 */
struct indicator_sla {
	long long due, met;
};

/* The performance of one OPD (or, in indicators.all, of the city). */
struct indicator_opd {
	const char *id, *name; /* id NULL: reports with no OPD */
	long long received;
	long long open;	   /* not resolved or closed */
	long long overdue; /* open, and past resolve_due, or not acknowledged
			      and past ack_due, at now */
	struct indicator_delay ack, resolve;
	struct indicator_sla ack_sla, resolve_sla;
};

/* A category in a kelurahan with INDICATORS_HOTSPOT_MIN reports or more. */
struct indicator_hotspot {
	const char *category, *category_name;
	const char *kelurahan;
	long long count;
};

/* A report waiting in triage. */
struct indicator_triage {
	char code[STORE_CODE_MAX];
	time_t received_at;
	long long age_s; /* now - received_at */
};

/* An audit row with action 'unseal': an identity was opened. */
struct indicator_unseal {
	time_t at;
	const char *actor, *report_code, *reason; /* may be NULL */
};

struct indicators {
	time_t from, to; /* the period used, [from, to) */
	time_t now;
	int utc_offset; /* of the config, for showing dates */
	long long total;
	struct indicator_series days, weeks, months;
	struct indicator_counts channels, categories, opds, kecamatan,
	    kelurahan;
	/*
	 * By the office a report is about (opds: by the one handling it;
	 * they differ where it accuses that office's leadership).  Reports
	 * about the mayor's own office are counted, never listed.
	 */
	struct indicator_counts subjects;
	long long about_mayor, accuses_leadership;
	long long status[IND_STATUS_COUNT]; /* the pipeline */
	/*
	 * Per OPD: every OPD of the config in its order, then the OPD ids
	 * met that the config lacks, then (id NULL) reports with no OPD.
	 */
	struct indicator_opd *opd;
	size_t nopd;
	struct indicator_opd all; /* every report of the period */
	/* every report open now, whenever received (the period ignored) */
	long long open_now;
	long long aging[IND_AGE_COUNT];
	/* most first (ties: category, then kelurahan, by name) */
	struct indicator_hotspot hotspots[INDICATORS_HOTSPOTS];
	size_t nhotspots;
	/* reports in triage now, whenever received; the oldest first */
	long long triage;
	struct indicator_triage triage_oldest[INDICATORS_TRIAGE_LIST];
	size_t ntriage_oldest;
	/* the audit log in the period (OPD, kecamatan, category ignored) */
	long long unseal_count;
	struct indicator_unseal unseals[INDICATORS_UNSEALS]; /* latest first */
	size_t nunseals;
	long long login_failed;
	void *mem; /* the strings above (private) */
};

/*
 * Compute the indicators of the reports matching filter, at now, in one
 * read transaction of s (a read-only store will do).  0 with *out set
 * (free with indicators_free), or -1 with err filled.
 */
int indicators_compute(struct store *s, const struct config *,
    const struct indicator_filter *, time_t now, struct indicators **out,
    char *err, size_t errlen);
void indicators_free(struct indicators *);

/*
 * The report list of the filter as CSV (RFC 4180: a header row, CRLF line
 * ends, fields quoted when they hold a comma, quote or line break): code,
 * received_at (the local date only), channel, category, opd, kecamatan,
 * kelurahan (names of the config), status, ack_due, resolve_due,
 * acknowledged_at, resolved_at (local ISO 8601, "" when none), overdue
 * (1 or 0, at the time of the call).  Never a report's text or identity,
 * and never a report about the mayor's own office (those are counted).
 * Oldest first.  0 with *csv (malloc'd, NUL-terminated) and *len set, or
 * -1 with err filled.
 */
int indicators_csv(struct store *s, const struct config *,
    const struct indicator_filter *, char **csv, size_t *len, char *err,
    size_t errlen);

/*
 * A filter from the fields of the view's form (each NULL or "" when not
 * given): from and to are local dates "YYYY-MM-DD", both days included
 * (filter->to is the midnight after to); opd, kecamatan and category must
 * be ids of cfg: the filter points at cfg's own strings.  0, or -1 with
 * err filled ("tanggal tidak valid", "OPD tidak dikenal", ...).
 */
int indicators_filter_parse(struct indicator_filter *, const struct config *,
    const char *from, const char *to, const char *opd, const char *kecamatan,
    const char *category, char *err, size_t errlen);

/* The local date of t, "YYYY-MM-DD", at utc_offset; buf of 11 or more. */
void indicators_date(time_t t, int utc_offset, char *buf, size_t len);

#endif
