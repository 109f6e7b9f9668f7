/*
 * Unit tests of queue/report.c: every status is one row of
 * REPORT_STATUSES, and the SQL conditions of queue/report.h agree with
 * the rows (the closed list is exactly the statuses not open), so a query
 * and the partial index it relies on cannot drift apart; the database's
 * reports_open index is made from REPORT_OPEN_SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "queue/report.h"
#include "queue/store.h"
#include "tests/unit/testlib.h"

static void
test_names_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < REPORT_NSTATUSES; i++) {
		assert_non_null(report_status_name((enum report_status)i));
		assert_int_equal(
		    report_status_of(report_status_name((enum report_status)i)),
		    i);
		assert_non_null(report_status_label((enum report_status)i));
	}
	assert_int_equal(report_status_of("Routed"), -1);
	assert_int_equal(report_status_of(NULL), -1);
	assert_null(report_status_name(REPORT_NSTATUSES));
	assert_string_equal(
	    report_status_words("in_progress"), "sedang ditindaklanjuti");
	assert_string_equal(report_status_words("no_such"), "no_such");
	/* a status this binary does not know is still open */
	assert_true(report_is_open("no_such"));
	assert_false(report_awaits_acknowledgement("no_such"));
	assert_true(report_awaits_acknowledgement("routed"));
	assert_false(report_awaits_acknowledgement("acknowledged"));
}

/* REPORT_CLOSED_LIST names exactly the statuses that are not open. */
static void
test_closed_list_matches_rows(void **state)
{
	char quoted[64];
	int i;

	(void)state;
	for (i = 0; i < REPORT_NSTATUSES; i++) {
		const char *name = report_status_name((enum report_status)i);

		snprintf(quoted, sizeof quoted, "'%s'", name);
		if (report_is_open(name))
			assert_null(strstr(REPORT_CLOSED_LIST, quoted));
		else
			assert_non_null(strstr(REPORT_CLOSED_LIST, quoted));
	}
	assert_non_null(
	    strstr(REPORT_TRIAGE_SQL, report_status_name(REPORT_TRIAGE)));
	assert_non_null(
	    strstr(REPORT_DEFAULT_SQL, report_status_name(REPORT_RECEIVED)));
}

/* The database's partial index is the condition the queries use. */
static void
test_index_is_the_condition(void **state)
{
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX], err[256];
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(testlib_mkdtemp(dir, "test_report"), 0);
	testlib_path(path, dir, "hotline.db");
	assert_non_null(s = store_open(path, STORE_READWRITE, err, sizeof err));
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT sql FROM sqlite_master WHERE name = "
			     "'reports_open'",
			     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0),
	    "WHERE " REPORT_OPEN_SQL));
	sqlite3_finalize(st);
	sqlite3_close(db);
	testlib_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_round_trip),
	    cmocka_unit_test(test_closed_list_matches_rows),
	    cmocka_unit_test(test_index_is_the_condition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
