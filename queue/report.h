/*
 * report: the one vocabulary of a report's status that every layer reads.
 * Each status is one row of REPORT_STATUSES: its enum name, the word
 * stored in the database, the words a citizen reads (CEK), the label the
 * pages show, whether the report is still open (owes action) and whether
 * it still waits for its OPD to acknowledge it.  The SQL conditions the
 * queries and the indexes use are defined here, once, and a unit test
 * checks them against the rows.
 */
#ifndef HOTLINE_REPORT_H
#define HOTLINE_REPORT_H

/* clang-format off */
/* X(id, stored, citizen's words, page label, open, awaits acknowledgement) */
#define REPORT_STATUSES(X)                                                                                                     \
	X(RECEIVED,     "received",     "diterima",                          "Diterima",                          1, 1) \
	X(ROUTED,       "routed",       "diteruskan ke OPD",                 "Diteruskan ke OPD",                 1, 1) \
	X(TRIAGE,       "triage",       "sedang ditelaah",                   "Sedang ditelaah (triase)",          1, 1) \
	X(ACKNOWLEDGED, "acknowledged", "diterima oleh OPD",                 "Diterima oleh OPD",                 1, 0) \
	X(IN_PROGRESS,  "in_progress",  "sedang ditindaklanjuti",            "Sedang ditindaklanjuti",            1, 0) \
	X(RESOLVED,     "resolved",     "selesai ditindaklanjuti",           "Selesai ditindaklanjuti",           0, 0) \
	X(CLOSED,       "closed",       "ditutup",                           "Ditutup",                           0, 0) \
	X(REJECTED,     "rejected",     "dikembalikan untuk ditelaah ulang", "Dikembalikan untuk ditelaah ulang", 1, 1) \
	X(VERIFYING,    "verifying",    "sedang diverifikasi",               "Sedang diverifikasi",               1, 1)
/* clang-format on */

enum report_status {
#define REPORT_ENUM(id, name, words, label, open, awaits) REPORT_##id,
	REPORT_STATUSES(REPORT_ENUM)
#undef REPORT_ENUM
	    REPORT_NSTATUSES
};

/*
 * The statuses that are no longer open, as SQL: REPORT_OPEN_SQL is "still
 * open" for a query on reports (and the partial index reports_open), and
 * REPORT_OPEN_SQL_OF("r.status") the same for a column named otherwise.
 */
#define REPORT_CLOSED_LIST	  "('resolved', 'closed')"
#define REPORT_OPEN_SQL_OF(col)	  col " NOT IN " REPORT_CLOSED_LIST
#define REPORT_CLOSED_SQL_OF(col) col " IN " REPORT_CLOSED_LIST
#define REPORT_OPEN_SQL		  REPORT_OPEN_SQL_OF("status")
/* In triage (the partial index reports_triage). */
#define REPORT_TRIAGE_SQL "status = 'triage'"
/* Still movable by a citizen's note: routed again, not yet acknowledged. */
#define REPORT_REROUTABLE_SQL "status IN ('routed', 'triage')"
/* A new report's status when nothing else is said (the column default). */
#define REPORT_DEFAULT_SQL "'received'"

/* The word stored for s ("in_progress"), NULL when s is out of range. */
const char *report_status_name(enum report_status s);
/* The status stored as name, or -1 when this binary does not know it. */
int report_status_of(const char *name);
/* What a citizen reads for the stored name ("sedang ditindaklanjuti");
 * an unknown name is given back as it is. */
const char *report_status_words(const char *name);
/* As the pages say it ("Sedang ditindaklanjuti"), NULL when unknown. */
const char *report_status_label(enum report_status s);
/* Does a report stored as name still owe action?  (unknown: yes) */
int report_is_open(const char *name);
/* Does it still wait for its OPD to acknowledge it? */
int report_awaits_acknowledgement(const char *name);

#endif
