/*
 * test_config_routing: the config keys the router, the dispatcher and the
 * citizen conversation read: [routing] (triage, max_distance_km),
 * [dispatch] (retry_base, retry_max, max_attempts, timeout), [templates],
 * [channel] rate_per_second, [opd] regions and [region] points.  Each
 * default, each value, and each error with its "file:line: message".
 * Files are written to a mkdtemp directory, removed at the end.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "config/config.h"

/* Lines 1-11; tests append to it, so their lines start at 12. */
#define BASE TESTLIB_CONFIG_MINIMAL

/* Lines 12-13: an OPD that is the default triage. */
#define INSPEKTORAT "[opd inspektorat]\nname = Inspektorat\n"

static void
test_template_names(void **state)
{
	static const char *const want[TEMPLATE_COUNT] = {"ack", "ask_place",
	    "place_added", "status", "unknown_receipt", "added",
	    "too_many_tries", "empty", "resolved", "staff_only", "welcome",
	    "thanks", "answer_official", "answer_how", "answer_safe",
	    "answer_duration", "answer_photo", "answer_other", "no_number",
	    "code_not_receipt", "merged", "duplicate", "ask_place_again",
	    "no_place", "next_report", "alert", "reminder", "escalation",
	    "digest", "head_acknowledged", "head_progress", "head_resolved",
	    "head_rejected", "head_refused", "head_unknown", "head_needs_note",
	    "head_usage", "head_forwarded", "head_target", "evidence_refused"};
	size_t i;

	(void)state;
	for (i = 0; i < TEMPLATE_COUNT; i++)
		assert_string_equal(config_template_names[i], want[i]);
}

static void
test_defaults(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;
	size_t i;

	/* no [opd] at all: nothing to route to, triage stays unset */
	cfg = testlib_config_must_load(f, BASE);
	assert_null(cfg->routing.triage);
	assert_true(fabs(cfg->routing.max_distance_km - 2.0) < 1e-9);
	assert_int_equal(cfg->dispatch.retry_base_ms, 30000);
	assert_int_equal(cfg->dispatch.retry_max_ms, 3600000);
	assert_int_equal(cfg->dispatch.max_attempts, 8);
	assert_int_equal(cfg->dispatch.timeout_ms, 30000);
	for (i = 0; i < TEMPLATE_COUNT; i++)
		assert_null(cfg->templates[i]);
	/* the Cloud API's throughput a number */
	assert_int_equal(cfg->channels[0].rate_per_second, 80);
	config_free(cfg);
	cfg = testlib_config_must_load(f,
	    BASE "rate_per_second = 20\n[channel sms]\n"
		 "provider = android_sms_gateway\nsigning_key = k\n");
	assert_int_equal(cfg->channels[0].rate_per_second, 20);
	assert_int_equal(cfg->channels[1].rate_per_second, 5);
	config_free(cfg);

	/* an [opd inspektorat] is the default triage */
	cfg = testlib_config_must_load(f, BASE INSPEKTORAT);
	assert_string_equal(cfg->routing.triage, "inspektorat");
	assert_null(cfg->opds[0].regions);
	config_free(cfg);
}

static void
test_values(void **state)
{
	struct testlib_config *f = *state;
	struct config *cfg;

	cfg = testlib_config_must_load(f,
	    BASE "rate_per_second = 40\n"
		 "[routing]\n"
		 "triage = dumas\n"
		 "max_distance_km = 0.75\n"
		 "[dispatch]\n"
		 "retry_base = 500ms\n"
		 "retry_max = 5m\n"
		 "max_attempts = 100\n"
		 "timeout = 10s\n"
		 "[templates]\n"
		 "ack = Kode {code}, bukti {receipt}; terima kasih!\n"
		 "empty = Pesan kosong.\n"
		 "[opd dumas]\n"
		 "name = Pengaduan Masyarakat\n"
		 "[opd kec_kota]\n"
		 "name = Kecamatan Kota\n"
		 "regions = kota,\n"
		 "  pesantren\n"
		 "[region kota]\n"
		 "name = Kecamatan Kota\n"
		 "kelurahan = Balowerti, Ringin Anom\n"
		 "points = ringin anom -7.81 112.007,\n"
		 "  BALOWERTI\t-7.8130   112.0130\n"
		 "[region pesantren]\n"
		 "name = Kecamatan Pesantren\n"
		 "kelurahan = Pesantren\n");
	assert_int_equal(cfg->channels[0].rate_per_second, 40);
	assert_string_equal(cfg->routing.triage, "dumas");
	assert_true(fabs(cfg->routing.max_distance_km - 0.75) < 1e-9);
	assert_int_equal(cfg->dispatch.retry_base_ms, 500);
	assert_int_equal(cfg->dispatch.retry_max_ms, 300000);
	assert_int_equal(cfg->dispatch.max_attempts, 100);
	assert_int_equal(cfg->dispatch.timeout_ms, 10000);
	assert_string_equal(cfg->templates[TEMPLATE_ACK],
	    "Kode {code}, bukti {receipt}; terima kasih!");
	assert_string_equal(cfg->templates[TEMPLATE_EMPTY], "Pesan kosong.");
	assert_null(cfg->templates[TEMPLATE_STATUS]);
	assert_null(cfg->opds[0].regions);
	assert_string_equal(cfg->opds[1].regions[0], "kota");
	assert_string_equal(cfg->opds[1].regions[1], "pesantren");
	assert_null(cfg->opds[1].regions[2]);
	assert_int_equal(cfg->regions[0].npoints, 2);
	/* spelt as in the kelurahan list */
	assert_string_equal(cfg->regions[0].points[0].kelurahan, "Ringin Anom");
	assert_true(fabs(cfg->regions[0].points[0].latitude + 7.81) < 1e-9);
	assert_true(fabs(cfg->regions[0].points[0].longitude - 112.007) < 1e-9);
	assert_string_equal(cfg->regions[0].points[1].kelurahan, "Balowerti");
	assert_true(fabs(cfg->regions[0].points[1].latitude + 7.813) < 1e-9);
	assert_int_equal(cfg->regions[1].npoints, 0);
	assert_null(cfg->regions[1].points);
	config_free(cfg);

	/* each unit, and the limits */
	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[dispatch]\nretry_base = 1ms\nretry_max = 24h\n"
			     "timeout = 10m\nmax_attempts = 1\n"
			     "[routing]\nmax_distance_km = 50\n");
	assert_int_equal(cfg->dispatch.retry_base_ms, 1);
	assert_int_equal(cfg->dispatch.retry_max_ms, 24L * 3600 * 1000);
	assert_int_equal(cfg->dispatch.timeout_ms, 600000);
	assert_int_equal(cfg->dispatch.max_attempts, 1);
	assert_true(fabs(cfg->routing.max_distance_km - 50) < 1e-9);
	config_free(cfg);
	cfg = testlib_config_must_load(f,
	    BASE INSPEKTORAT "[dispatch]\nretry_base = 2h\nretry_max = 2h\n");
	assert_int_equal(cfg->dispatch.retry_base_ms, 7200000);
	config_free(cfg);
}

static void
test_routing_errors(void **state)
{
	struct testlib_config *f = *state;

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\ntriage = dumas\n", 15,
	    "triage dumas names no [opd dumas]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\ntriage = Dumas!\n", 15,
	    "triage 'Dumas!' is not an OPD id");
	testlib_config_fails_with(f, BASE "[opd dumas]\nname = D\n", 1,
	    "no triage OPD: set [routing] triage");
	testlib_config_fails_with(f, BASE "[opd dumas]\nname = D\n[routing]\n",
	    14, "no triage OPD: set [routing] triage");
	testlib_config_fails_with(f,
	    BASE "[routing]\nmax_distance_km = 1\n[opd x]\nname = X\n", 12,
	    "no triage OPD");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nmax_distance_km = 0\n", 15,
	    "max_distance_km '0' must be a number of kilometres above 0");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nmax_distance_km = 50.5\n", 15,
	    "at most 50");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nmax_distance_km = 2km\n", 15,
	    "max_distance_km '2km'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nmax_distance_km = nan\n", 15,
	    "max_distance_km 'nan'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nmax_distance_km = -1\n", 15,
	    "max_distance_km '-1'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\nthreshold = 2\n", 15,
	    "unknown key threshold in [routing]");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[routing]\n[routing]\n",
	    15, "duplicate section [routing] (first at line 14)");
	testlib_config_fails_with(f, BASE INSPEKTORAT "[routing kota]\n", 14,
	    "[routing] takes no name");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[routing]\ntriage = inspektorat\n"
			     "triage = inspektorat\n",
	    16, "duplicate key triage (first at line 15)");
}

static void
test_dispatch_errors(void **state)
{
	struct testlib_config *f = *state;
	static const char *const bad[] = {"30", "30x", "0s", "25h", "s", "-1s",
	    "1.5s", "30 s", "99999999999999h"};
	char text[1024];
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		snprintf(text, sizeof text,
		    BASE INSPEKTORAT "[dispatch]\nretry_base = %s\n", bad[i]);
		testlib_config_fails_with(f, text, 15,
		    "must be a duration from 1ms to 24h, an integer and ms, s, "
		    "m or h");
	}
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nretry_max = 1d\n", 15,
	    "retry_max '1d' must be a duration");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\ntimeout = 11m\n", 15,
	    "timeout '11m' must be a duration from 1ms to 10m");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\ntimeout = 0ms\n", 15,
	    "timeout '0ms'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nmax_attempts = 0\n", 15,
	    "max_attempts '0' must be 1 to 100");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nmax_attempts = 101\n", 15,
	    "max_attempts '101' must be 1 to 100");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nretry_base = 10m\nretry_max = 5m\n",
	    16, "retry_max (300000ms) is less than retry_base (600000ms)");
	/* retry_max left at its default (1h): the error is retry_base's */
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nretry_base = 2h\n", 15,
	    "retry_max (3600000ms) is less than retry_base (7200000ms)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[dispatch]\nretries = 3\n", 15,
	    "unknown key retries in [dispatch]");
}

static void
test_template_errors(void **state)
{
	struct testlib_config *f = *state;

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[templates]\nhello = Halo\n", 15,
	    "unknown key hello in [templates]");
	testlib_config_fails_with(
	    f, BASE INSPEKTORAT "[templates]\nack =\n", 15, "ack is empty");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[templates]\nstatus = a\x01z\n", 15,
	    "status is not printable text");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[templates]\nack = a\nempty = b\nack = c\n", 17,
	    "duplicate key ack (first at line 15)");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[templates]\nack = a,\n  b\n", 16,
	    "indented line continues ack");
}

static void
test_rate_errors(void **state)
{
	struct testlib_config *f = *state;
	static const char *const bad[] = {"0", "1001", "x", "5/s", ""};
	char text[1024];
	struct config *cfg;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(bad); i++) {
		snprintf(
		    text, sizeof text, BASE "rate_per_second = %s\n", bad[i]);
		testlib_config_fails_with(f, text, 12, "rate_per_second '");
	}
	/* valid for every provider */
	cfg = testlib_config_must_load(f,
	    BASE "[channel t]\nprovider = twilio\n"
		 "account_sid = AC0123456789abcdef0123456789abcdef\n"
		 "auth_token = tok\nrate_per_second = 1\n"
		 "[channel s]\nprovider = android_sms_gateway\n"
		 "signing_key = k\nrate_per_second = 1000\n"
		 "[channel y]\nprovider = smssync\nsecret = s\n"
		 "rate_per_second = 2\n");
	assert_int_equal(cfg->channels[1].rate_per_second, 1);
	assert_int_equal(cfg->channels[2].rate_per_second, 1000);
	assert_int_equal(cfg->channels[3].rate_per_second, 2);
	config_free(cfg);
}

static void
test_opd_regions_errors(void **state)
{
	struct testlib_config *f = *state;

	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[opd k]\nname = K\nregions = kota, desa\n"
			     "[region kota]\nname = K\nkelurahan = A\n",
	    16, "regions: desa names no [region desa]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT "[opd k]\nname = K\nregions = ,\n", 16,
	    "regions is an empty list");
	/* checked after parsing: a region defined later is fine */
	config_free(testlib_config_must_load(f,
	    BASE "[opd k]\nname = K\nregions = kota\n[routing]\ntriage = k\n"
		 "[region kota]\nname = K\nkelurahan = A\n"));
}

static void
test_points_errors(void **state)
{
	struct testlib_config *f = *state;

#define REGION "[region kota]\nname = K\nkelurahan = Balowerti, Ringin Anom\n"
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Balowerti -7.8\n", 17,
	    "point 'Balowerti -7.8' is not KELURAHAN LATITUDE LONGITUDE");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = -7.8 112.0\n", 17,
	    "is not KELURAHAN LATITUDE LONGITUDE");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Balowerti -91 112\n", 17,
	    "point Balowerti: latitude '-91' is not a number from -90 to 90");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Balowerti x 112\n", 17,
	    "latitude 'x'");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Balowerti -7.8 180.5\n", 17,
	    "point Balowerti: longitude '180.5' is not a number from -180");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Semampir -7.8 112.0\n", 17,
	    "point Semampir is not a kelurahan of [region kota]");
	testlib_config_fails_with(f,
	    BASE INSPEKTORAT REGION "points = Balowerti -7.8 112.0,\n"
				    "  balowerti -7.9 112.1\n",
	    18, "duplicate point for Balowerti (first at line 17)");
	/* the kelurahan may come after the points */
	config_free(testlib_config_must_load(f,
	    BASE INSPEKTORAT "[region kota]\nname = K\n"
			     "points = Balowerti -7.8 112.0\n"
			     "kelurahan = Balowerti\n"));
#undef REGION
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_template_names),
	    TESTLIB_CONFIG_TEST(test_defaults),
	    TESTLIB_CONFIG_TEST(test_values),
	    TESTLIB_CONFIG_TEST(test_routing_errors),
	    TESTLIB_CONFIG_TEST(test_dispatch_errors),
	    TESTLIB_CONFIG_TEST(test_template_errors),
	    TESTLIB_CONFIG_TEST(test_rate_errors),
	    TESTLIB_CONFIG_TEST(test_opd_regions_errors),
	    TESTLIB_CONFIG_TEST(test_points_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
