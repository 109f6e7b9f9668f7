/*
 * test_router: the router of queue/router.h.  The corpus
 * (tests/router_corpus.tsv: realistic reports and the routing a person
 * would give them) is routed with config/demo.conf and the per-field and
 * overall accuracy printed; the overall field accuracy must reach 90%.
 * Then one table-driven test per rule: normalising, amounts, typos,
 * abbreviations, names that are both kecamatan and kelurahan, common words
 * that are place names, several OPDs, region-scoped OPDs, triage, location
 * pins (nearest, too far), the JSON, and odd input that must not crash.
 * Run from the repository root.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/router.h"
#include "tests/corpus.h"

#define MIN_CORPUS   80
#define MIN_ACCURACY 0.90

/* The four fields of a route as strings, "" for none. */
static const char *
field(const struct route *rt, int i)
{
	switch (i) {
	case 0:
		return rt->category != NULL ? rt->category->id : "";
	case 1:
		return rt->opd != NULL ? rt->opd->id : "";
	case 2:
		return rt->kecamatan != NULL ? rt->kecamatan->id : "";
	default:
		return rt->kelurahan != NULL ? rt->kelurahan : "";
	}
}

static const char *const field_names[] = {
    "category", "opd", "kecamatan", "kelurahan"};

static void
test_corpus(void **state)
{
	struct testlib_demo *f = *state;
	char *data = testlib_read_file("tests/router_corpus.tsv", NULL);
	char *line, *next, *col[6];
	int right[4] = {0}, n = 0, i, lineno = 0, total = 0;
	struct route_location loc;
	struct route rt;
	double overall;

	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (testlib_split_tabs(line, col, 6) != 6)
			fail_msg("router_corpus.tsv:%d: not 6 fields", lineno);
		if (col[5][0] != '\0')
			corpus_parse_location(col[5], &loc);
		router_route(
		    f->r, col[0], col[5][0] != '\0' ? &loc : NULL, &rt);
		n++;
		for (i = 0; i < 4; i++) {
			if (strcmp(field(&rt, i), col[1 + i]) == 0) {
				right[i]++;
				continue;
			}
			printf("  router_corpus.tsv:%d: %s: want '%s', got '%s'"
			       " (%s)\n",
			    lineno, field_names[i], col[1 + i], field(&rt, i),
			    col[0]);
		}
	}
	free(data);
	assert_true(n >= MIN_CORPUS);
	printf("router corpus: %d reports\n", n);
	for (i = 0; i < 4; i++) {
		printf("  %-10s %3d/%d = %5.1f%%\n", field_names[i], right[i],
		    n, 100.0 * right[i] / n);
		total += right[i];
	}
	overall = (double)total / (4.0 * n);
	printf("  %-10s %3d/%d = %5.1f%%\n", "overall", total, 4 * n,
	    100.0 * overall);
	assert_true(overall >= MIN_ACCURACY);
}

/* --- rules, one table each ----------------------------------------------- */

struct want {
	const char *text;
	const char *category, *opd, *kecamatan, *kelurahan; /* NULL: none */
};

static void
check(const struct route *rt, const struct want *w)
{
	const char *want[4] = {w->category, w->opd, w->kecamatan, w->kelurahan};
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(field(rt, i), want[i] != NULL ? want[i] : "") != 0)
			fail_msg("\"%s\": %s: want '%s', got '%s'", w->text,
			    field_names[i], want[i] != NULL ? want[i] : "",
			    field(rt, i));
}

static void
route_each(const struct router *r, const struct want *w, size_t n)
{
	struct route rt;
	size_t i;

	for (i = 0; i < n; i++) {
		router_route(r, w[i].text, NULL, &rt);
		check(&rt, &w[i]);
	}
}

#define ROUTE_EACH(r, table) route_each(r, table, TESTLIB_COUNT(table))

static void
test_normalising(void **state)
{
	struct testlib_demo *f = *state;
	static const struct want w[] = {
	    {"TOLOOONG PUNGLIII KTP!!!", "pungli", "dispendukcapil", NULL,
		NULL},
	    {"aku dijaluk duit pas ngurus akte", "pungli", "dispendukcapil",
		NULL, NULL},
	    {"KTP\xf0\x9f\x98\xa1"
	     "dipersulit\xf0\x9f\x99\x8f",
		"pelayanan_buruk", "dispendukcapil", NULL, NULL},
	    {"ktpnya lama", NULL, "dispendukcapil", NULL, NULL},
	    {"jln rusak", NULL, "dinas_pupr", NULL, NULL},
	    {"Jl. Dhoho", NULL, "inspektorat", NULL, NULL},
	    {"pungutan-liar", "pungli", "inspektorat", NULL, NULL},
	    {"e-KTP", NULL, "dispendukcapil", NULL, NULL},
	    {"ektp", NULL, "dispendukcapil", NULL, NULL},
	    {"kartukeluarga", NULL, "dispendukcapil", NULL, NULL},
	};

	ROUTE_EACH(f->r, w);
}

static void
test_word_boundaries(void **state)
{
	struct testlib_demo *f = *state;
	static const struct want w[] = {
	    /* short keywords only as whole words */
	    {"ada kkn di sini", NULL, "inspektorat", NULL, NULL},
	    {"mau kirim surat ke kiri", NULL, "inspektorat", NULL, NULL},
	    {"uji KIR", NULL, "dishub", NULL, NULL},
	    {"SD negeri", NULL, "dinas_pendidikan", NULL, NULL},
	    {"sdh lama", NULL, "inspektorat", NULL, NULL},
	    {"pasaran", NULL, "inspektorat", NULL, NULL},
	    {"rt03 rw05", NULL, "inspektorat", NULL, NULL},
	};

	ROUTE_EACH(f->r, w);
}

/* A router of a small config: BASE, [opd inspektorat], then extra. */
static struct router *
small_router(struct config **cfgp, const char *extra)
{
	char dir[TESTLIB_DIR_MAX], path[TESTLIB_PATH_MAX], errs[4096];
	char *text;
	struct router *r;

	assert_int_equal(testlib_mkdtemp(dir, "test_router"), 0);
	testlib_path(path, dir, "t.conf");
	text = testlib_repeat(
	    "[server]\npublic_url = http://h.test\ndatabase = x.db\n"
	    "city = K\nreport_prefix = KDR\n[keys]\nmayor_public = "
	    "He27Cj1lFpMTVD8CnCGaSeBn3CK6/s3Xq/Cf95+HFAk=\n"
	    "[channel wa]\nprovider = smssync\nsecret = s\n"
	    "[opd inspektorat]\nname = I\n",
	    "", 0, extra);
	testlib_write_file(path, text, 0600);
	free(text);
	*cfgp = config_load(path, errs, sizeof errs);
	assert_int_equal(testlib_rmtree(dir), 0);
	if (*cfgp == NULL)
		fail_msg("%s", errs);
	if ((r = router_new(*cfgp, errs, sizeof errs)) == NULL)
		fail_msg("%s", errs);
	return r;
}

static void
test_amounts(void **state)
{
	static const char *const yes[] = {"bayar 50rb", "50 ribu", "50.000",
	    "Rp50.000,-", "rp 50.000", "Rp. 50.000", "50k", "50rbu", "50 rebu",
	    "Rp 50000", "50000", "diminta 50,000 rupiah"};
	static const char *const no[] = {"50", "2024", "08123456789", "500rb",
	    "5rb", "50.5", "rp", "50rbx", "7.8089", "12.000.00", "1,5,5jt",
	    "99999999999999999999999999 jt"};
	struct config *cfg;
	struct router *r;
	struct route rt;
	size_t i;

	(void)state;
	r = small_router(&cfg,
	    "[category pungli]\nname = P\nkeywords = 50rb, 1jt\n"
	    "[category besar]\nname = B\nkeywords = 1.5 juta\n");
	for (i = 0; i < TESTLIB_COUNT(yes); i++) {
		router_route(r, yes[i], NULL, &rt);
		if (rt.category == NULL || strcmp(rt.category->id, "pungli"))
			fail_msg("\"%s\" is not 50rb", yes[i]);
		assert_string_equal(rt.evidence[0].term, "50rb");
	}
	for (i = 0; i < TESTLIB_COUNT(no); i++) {
		router_route(r, no[i], NULL, &rt);
		if (rt.category != NULL)
			fail_msg("\"%s\" matched %s", no[i], rt.category->id);
	}
	router_route(r, "sejuta? 1 juta", NULL, &rt);
	assert_string_equal(rt.category->id, "pungli");
	router_route(r, "1.000.000", NULL, &rt);
	assert_string_equal(rt.category->id, "pungli");
	router_route(r, "1,5jt", NULL, &rt);
	assert_string_equal(rt.category->id, "besar");
	router_route(r, "Rp 1.500.000", NULL, &rt);
	assert_string_equal(rt.category->id, "besar");
	router_free(r);
	config_free(cfg);
}

static void
test_places(void **state)
{
	struct testlib_demo *f = *state;
	static const struct want w[] = {
	    /* spacing, case, abbreviations */
	    {"Ringinanom", NULL, "inspektorat", "kota", "Ringin Anom"},
	    {"RINGIN-ANOM", NULL, "inspektorat", "kota", "Ringin Anom"},
	    {"setonogedong", NULL, "inspektorat", "kota", "Setono Gedong"},
	    {"kampungdalem", NULL, "inspektorat", "kota", "Kampung Dalem"},
	    {"bandarlor", NULL, "inspektorat", "mojoroto", "Bandar Lor"},
	    {"kel. Semampir", NULL, "kecamatan_kota", "kota", "Semampir"},
	    {"ds semampir", NULL, "inspektorat", "kota", "Semampir"},
	    {"kec. kota", NULL, "kecamatan_kota", "kota", NULL},
	    {"kecamatan kota", NULL, "kecamatan_kota", "kota", NULL},
	    {"kcmtn kota", NULL, "kecamatan_kota", "kota", NULL},
	    /* "kota" alone is a word, not the kecamatan */
	    {"kota", NULL, "inspektorat", NULL, NULL},
	    {"di Kota Kediri", NULL, "inspektorat", NULL, NULL},
	    {"kel kota", NULL, "inspektorat", NULL, NULL},
	    /* one-letter typos in names of 5 letters or more */
	    {"kelurhan ngronggo", NULL, "kecamatan_kota", "kota", "Ngronggo"},
	    {"ngrongo", NULL, "inspektorat", "kota", "Ngronggo"},
	    {"ngronngo", NULL, "inspektorat", "kota", "Ngronggo"},
	    {"setono gedomg", NULL, "inspektorat", "kota", "Setono Gedong"},
	    {"lirbyoo", NULL, "inspektorat", "mojoroto", "Lirboyo"},
	    {"kel bujle", NULL, "kecamatan_mojoroto", "mojoroto", "Bujel"},
	    {"bujle", NULL, "inspektorat", NULL, NULL}, /* short, bare */
	    {"bayaran", NULL, "inspektorat", NULL, NULL},
	    {"di bawah jembatan", NULL, "dinas_pupr", NULL, NULL},
	    {"banaran", NULL, "inspektorat", "pesantren", "Banaran"},
	    {"kel banjaran", NULL, "kecamatan_kota", "kota", "Banjaran"},
	    /* both a kecamatan and a kelurahan: the word before decides */
	    {"kec mojoroto", NULL, "kecamatan_mojoroto", "mojoroto", NULL},
	    {"kecamatan mojoroto", NULL, "kecamatan_mojoroto", "mojoroto",
		NULL},
	    {"kel mojoroto", NULL, "kecamatan_mojoroto", "mojoroto",
		"Mojoroto"},
	    {"mojoroto", NULL, "inspektorat", "mojoroto", "Mojoroto"},
	    {"kelurahan pesantren", NULL, "kecamatan_pesantren", "pesantren",
		"Pesantren"},
	    {"kec. pesantren", NULL, "kecamatan_pesantren", "pesantren", NULL},
	    {"camat pesantren", NULL, "inspektorat", "pesantren", NULL},
	    {"di Pesantren", NULL, "inspektorat", "pesantren", "Pesantren"},
	    {"di pesantren", NULL, "inspektorat", NULL, NULL},
	    {"pondok pesantren lirboyo", NULL, "inspektorat", "mojoroto",
		"Lirboyo"},
	    /* common words that are kelurahan need a marker */
	    {"harga bawang naik", NULL, "inspektorat", NULL, NULL},
	    {"kel bawang", NULL, "kecamatan_pesantren", "pesantren", "Bawang"},
	    {"di pojok pasar", NULL, "disperdagin", NULL, NULL},
	    {"desa pojok", NULL, "inspektorat", "mojoroto", "Pojok"},
	    /* a kelurahan beats another kecamatan; one inside it is kept */
	    {"kec mojoroto kel ngronggo", NULL, "kecamatan_kota", "kota",
		"Ngronggo"},
	    {"semampir, kec mojoroto, kel lirboyo", NULL, "kecamatan_mojoroto",
		"mojoroto", "Lirboyo"},
	    /* a marker beats a bare name, then the first mentioned */
	    {"dari dermo ke kel. Pakelan", NULL, "kecamatan_kota", "kota",
		"Pakelan"},
	    {"dermo lalu pakelan", NULL, "inspektorat", "mojoroto", "Dermo"},
	};
	struct route rt;

	ROUTE_EACH(f->r, w);
	router_route(f->r, "kec mojoroto kel ngronggo", NULL, &rt);
	assert_non_null(strstr(rt.reason, "kelurahan kept"));
}

static void
test_several_opds(void **state)
{
	struct testlib_demo *f = *state;
	static const struct want w[] = {
	    /* a phrase beats a word, and takes the word */
	    {"pajak parkir", NULL, "bapenda", NULL, NULL},
	    {"parkir", NULL, "dishub", NULL, NULL},
	    /* more distinct keywords win */
	    {"izin usaha, KTP, KK, akta", NULL, "dispendukcapil", NULL, NULL},
	    /* a tie goes to the earliest mention */
	    {"KTP dan reklame", NULL, "dispendukcapil", NULL, NULL},
	    {"reklame dan KTP", NULL, "dpmptsp", NULL, NULL},
	    /* a keyword counts once */
	    {"KTP KTP KTP KTP izin usaha", NULL, "dpmptsp", NULL, NULL},
	};
	struct route rt;

	ROUTE_EACH(f->r, w);
	router_route(f->r, "reklame dan KTP", NULL, &rt);
	assert_int_equal(rt.triage, 0);
	assert_string_equal(rt.reason, "OPD by keywords (score 1)");
}

static void
test_scoping(void **state)
{
	struct testlib_demo *f = *state;
	static const struct want w[] = {
	    {"surat pengantar di kel. Ngronggo", NULL, "kecamatan_kota", "kota",
		"Ngronggo"},
	    {"surat pengantar di kel lirboyo", NULL, "kecamatan_mojoroto",
		"mojoroto", "Lirboyo"},
	    {"surat pengantar, kec pesantren", NULL, "kecamatan_pesantren",
		"pesantren", NULL},
	    /* place unknown: a scoped OPD cannot win */
	    {"surat pengantar", NULL, "inspektorat", NULL, NULL},
	    /* an unscoped OPD still wins without a place */
	    {"surat pengantar KTP", NULL, "dispendukcapil", NULL, NULL},
	    /* "kel. X" alone: the office of the place */
	    {"kecamatan mojoroto petugasnya jutek", "pelayanan_buruk",
		"kecamatan_mojoroto", "mojoroto", NULL},
	    /* the marker is not a keyword when another OPD matches */
	    {"kel. Semampir KTP", NULL, "dispendukcapil", "kota", "Semampir"},
	};
	struct route rt;

	ROUTE_EACH(f->r, w);
	router_route(f->r, "surat pengantar", NULL, &rt);
	assert_int_equal(rt.triage, 1);
	assert_string_equal(rt.reason,
	    "matched only kecamatan-scoped OPDs and the place is unknown");
	router_route(f->r, "kecamatan mojoroto petugasnya jutek", NULL, &rt);
	assert_int_equal(rt.triage, 0);
	assert_non_null(strstr(rt.reason, "office of the place"));
}

static void
test_scoped_elsewhere(void **state)
{
	struct config *cfg;
	struct router *r;
	struct route rt;

	(void)state;
	r = small_router(&cfg,
	    "[opd kec_a]\nname = A\nkeywords = surat pengantar\n"
	    "regions = a\n"
	    "[region a]\nname = Kecamatan A\nkelurahan = Satu\n"
	    "[region b]\nname = Kecamatan Bee\nkelurahan = Dua\n");
	router_route(r, "surat pengantar di kelurahan satu", NULL, &rt);
	assert_string_equal(rt.opd->id, "kec_a");
	router_route(r, "surat pengantar di kelurahan dua", NULL, &rt);
	assert_string_equal(rt.opd->id, "inspektorat");
	assert_int_equal(rt.triage, 1);
	assert_string_equal(
	    rt.reason, "matched only OPDs scoped to other kecamatan");
	/* a kecamatan whose name is not a kelurahan's counts bare */
	router_route(r, "bee", NULL, &rt);
	assert_string_equal(rt.kecamatan->id, "b");
	assert_null(rt.kelurahan);
	router_free(r);
	config_free(cfg);
}

static void
test_triage(void **state)
{
	struct testlib_demo *f = *state;
	struct route rt;

	router_route(f->r, "halo, selamat pagi", NULL, &rt);
	assert_string_equal(rt.opd->id, "inspektorat");
	assert_int_equal(rt.triage, 1);
	assert_null(rt.category);
	assert_string_equal(rt.reason, "no OPD keyword matched");
	assert_int_equal(rt.nevidence, 0);
	/* the category may still be set */
	router_route(f->r, "ada pungli, tolong", NULL, &rt);
	assert_string_equal(rt.opd->id, "inspektorat");
	assert_int_equal(rt.triage, 1);
	assert_string_equal(rt.category->id, "pungli");
	/* no OPD at all (intake only): everything stays in triage */
	{
		struct config empty;
		struct router *r;
		char err[128];

		memset(&empty, 0, sizeof empty);
		assert_non_null(r = router_new(&empty, err, sizeof err));
		router_route(r, "ada pungli, tolong", NULL, &rt);
		assert_null(rt.opd);
		assert_int_equal(rt.triage, 1);
		router_free(r);
	}
}

static void
test_location(void **state)
{
	struct testlib_demo *f = *state;
	struct route_location loc;
	struct route rt;

	memset(&loc, 0, sizeof loc);
	loc.has_point = 1;
	/* exactly on Bandar Lor's point */
	loc.latitude = -7.8089;
	loc.longitude = 111.9934;
	router_route(f->r, "jukir minta 10rb", &loc, &rt);
	assert_string_equal(rt.kelurahan, "Bandar Lor");
	assert_string_equal(rt.kecamatan->id, "mojoroto");
	assert_string_equal(rt.opd->id, "dishub");
	assert_string_equal(rt.evidence[rt.nevidence - 1].term, "location");
	assert_string_equal(rt.evidence[rt.nevidence - 1].field, "kelurahan");
	assert_non_null(strstr(rt.reason, "location pin"));
	/* nearer Setono Gedong than any other point */
	loc.latitude = -7.8093;
	loc.longitude = 112.0180;
	router_route(f->r, "", &loc, &rt);
	assert_string_equal(rt.kelurahan, "Setono Gedong");
	/* 1.5 km from the nearest point: within 2 km */
	loc.latitude = -7.7800;
	loc.longitude = 111.9890;
	router_route(f->r, "", &loc, &rt);
	assert_string_equal(rt.kelurahan, "Campurejo");
	/* too far: nothing */
	loc.latitude = -7.6500;
	loc.longitude = 112.2000;
	router_route(f->r, "", &loc, &rt);
	assert_null(rt.kelurahan);
	assert_null(rt.kecamatan);
	/* the text's kelurahan beats the pin */
	loc.latitude = -7.8089;
	loc.longitude = 111.9934;
	router_route(f->r, "kel. Ngronggo", &loc, &rt);
	assert_string_equal(rt.kelurahan, "Ngronggo");
	/* a pin in another kecamatan than the text's: the text stands */
	router_route(f->r, "kec kota", &loc, &rt);
	assert_string_equal(rt.kecamatan->id, "kota");
	assert_null(rt.kelurahan);
	/* the pin's name and address are read like the text */
	loc.has_point = 0;
	loc.name = "Kantor Kelurahan Sukorame";
	loc.address = "Jl. Sukorame, Kec. Mojoroto";
	router_route(f->r, "petugas minta uang", &loc, &rt);
	assert_string_equal(rt.kelurahan, "Sukorame");
	assert_string_equal(rt.kecamatan->id, "mojoroto");
	/* its keywords decide only when the text's decide nothing */
	assert_string_equal(rt.opd->id, "kecamatan_mojoroto");
	assert_non_null(strstr(rt.reason, "location's name"));
	router_route(f->r, "urus KTP", &loc, &rt);
	assert_string_equal(rt.opd->id, "dispendukcapil");
	/* a point that is no point */
	loc.has_point = 1;
	loc.name = loc.address = NULL;
	loc.latitude = NAN;
	router_route(f->r, "", &loc, &rt);
	assert_null(rt.kelurahan);
	loc.latitude = 91;
	router_route(f->r, "", &loc, &rt);
	assert_null(rt.kelurahan);
	loc.latitude = -7.8089;
	loc.longitude = INFINITY;
	router_route(f->r, "", &loc, &rt);
	assert_null(rt.kelurahan);
}

static void
test_max_distance(void **state)
{
	struct config *cfg;
	struct router *r;
	struct route_location loc = {1, -7.8089, 112.0034, NULL, NULL};
	struct route rt;

	(void)state;
	/* 0.0100 degrees of longitude at -7.8 is about 1.10 km */
	r = small_router(&cfg,
	    "[routing]\nmax_distance_km = 1.2\n"
	    "[region r]\nname = R\nkelurahan = Satu\n"
	    "points = Satu -7.8089 111.9934\n");
	router_route(r, NULL, &loc, &rt);
	assert_string_equal(rt.kelurahan, "Satu");
	router_free(r);
	config_free(cfg);
	r = small_router(&cfg,
	    "[routing]\nmax_distance_km = 1.0\n"
	    "[region r]\nname = R\nkelurahan = Satu\n"
	    "points = Satu -7.8089 111.9934\n");
	router_route(r, NULL, &loc, &rt);
	assert_null(rt.kelurahan);
	router_free(r);
	config_free(cfg);
}

static void
test_json(void **state)
{
	struct testlib_demo *f = *state;
	json_t *j, *ev, *e;
	json_error_t jerr;
	struct route rt;
	char *s;
	size_t i;

	router_route(f->r,
	    "kel. setono gedong, petugas minta uang rokok buat "
	    "tanda tangan kk",
	    NULL, &rt);
	s = router_json(&rt);
	assert_non_null(s);
	j = json_loads(s, 0, &jerr);
	free(s);
	assert_non_null(j);
	assert_string_equal(
	    json_string_value(json_object_get(j, "category")), "pungli");
	assert_string_equal(
	    json_string_value(json_object_get(j, "opd")), "dispendukcapil");
	assert_string_equal(
	    json_string_value(json_object_get(j, "kecamatan")), "kota");
	assert_string_equal(json_string_value(json_object_get(j, "kelurahan")),
	    "Setono Gedong");
	assert_true(json_is_false(json_object_get(j, "triage")));
	assert_true(json_is_string(json_object_get(j, "reason")));
	ev = json_object_get(j, "evidence");
	assert_true(json_array_size(ev) >= 4);
	json_array_foreach(ev, i, e)
	{
		assert_int_equal(json_object_size(e), 4);
		assert_true(json_is_string(json_object_get(e, "field")));
		assert_true(json_is_string(json_object_get(e, "value")));
		assert_true(json_is_string(json_object_get(e, "term")));
		assert_true(json_is_string(json_object_get(e, "matched")));
	}
	e = json_array_get(ev, 0);
	assert_string_equal(
	    json_string_value(json_object_get(e, "field")), "category");
	e = json_array_get(ev, json_array_size(ev) - 1);
	assert_string_equal(
	    json_string_value(json_object_get(e, "field")), "kelurahan");
	assert_string_equal(
	    json_string_value(json_object_get(e, "matched")), "setono gedong");
	json_decref(j);

	/* unknown fields are null */
	router_route(f->r, "", NULL, &rt);
	s = router_json(&rt);
	j = json_loads(s, 0, &jerr);
	free(s);
	assert_non_null(j);
	assert_true(json_is_null(json_object_get(j, "category")));
	assert_true(json_is_null(json_object_get(j, "kecamatan")));
	assert_true(json_is_null(json_object_get(j, "kelurahan")));
	assert_string_equal(
	    json_string_value(json_object_get(j, "opd")), "inspektorat");
	assert_true(json_is_true(json_object_get(j, "triage")));
	assert_int_equal(json_array_size(json_object_get(j, "evidence")), 0);
	json_decref(j);
}

/* Route text; the result must be sane and its JSON valid. */
static void
route_sane(const struct router *r, const char *text)
{
	struct route rt;
	json_error_t jerr;
	json_t *j;
	char *s;

	router_route(r, text, NULL, &rt);
	assert_non_null(rt.opd);
	assert_true(rt.nevidence <= ROUTE_MAX_EVIDENCE);
	assert_true(rt.kelurahan == NULL || rt.kecamatan != NULL);
	s = router_json(&rt);
	assert_non_null(s);
	j = json_loads(s, 0, &jerr);
	if (j == NULL)
		fail_msg("bad JSON: %s", s);
	json_decref(j);
	free(s);
}

static void
test_odd_input(void **state)
{
	struct testlib_demo *f = *state;
	static const char *const odd[] = {"", " ", "\n\t\r",
	    "\xf0\x9f\x98\xa1\xf0\x9f\x98\xa1\xf0\x9f\x99\x8f", "\xff\xfe\xfd",
	    "\xc3", "!!!???...,,,", "99999999999999999999999999999999", "Rp",
	    "rp.", "rp rp rp 1", "1,5,5jt", "50.000.000.000.000.000", ".5jt",
	    "5.jt", "\x01\x02\x7f", "kel", "kel.", "kec kec kec",
	    "kelurahan kelurahan", "pondok", "a", "Ringin", "KTP\xc3\x28",
	    "kel. setono \xe2\x80\x8b gedong"};
	struct route rt;
	char *big, *word;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(odd); i++)
		route_sane(f->r, odd[i]);
	route_sane(f->r, NULL);

	/* 4,000 characters: still routed, by the words it has */
	big = testlib_repeat(
	    "kel. Ngronggo ", "petugas minta uang rokok. ", 160, "urus KTP");
	assert_true(strlen(big) >= 4000);
	router_route(f->r, big, NULL, &rt);
	assert_string_equal(rt.opd->id, "dispendukcapil");
	assert_string_equal(rt.kelurahan, "Ngronggo");
	assert_string_equal(rt.category->id, "pungli");
	route_sane(f->r, big);
	free(big);

	/*
	 * WhatsApp's longest text, 65,536 characters: routed by the words
	 * read (the first MAX_WORDS), and 256 KiB of four-byte characters.
	 */
	big = testlib_repeat("kel. Ngronggo ",
	    "petugas minta uang rokok \xf0\x9f\x98\xa1 urus KTP. ", 1800, "");
	assert_true(strlen(big) > 65536);
	router_route(f->r, big, NULL, &rt);
	assert_string_equal(rt.opd->id, "dispendukcapil");
	assert_string_equal(rt.kelurahan, "Ngronggo");
	route_sane(f->r, big);
	free(big);
	big = testlib_repeat("", "\xf0\x9f\x98\xa1", 65536, "");
	route_sane(f->r, big);
	free(big);

	/* far more words than are read, and one endless word */
	big = testlib_repeat("", "KK 50rb kel bawang ", 20000, "");
	route_sane(f->r, big);
	free(big);
	word = testlib_repeat("", "a", 100000, "");
	route_sane(f->r, word);
	free(word);
	word = testlib_repeat("", "9", 100000, "rb");
	route_sane(f->r, word);
	free(word);
	word = testlib_repeat("rp", "1.000", 20000, "");
	route_sane(f->r, word);
	free(word);
	/* evidence text is cut to its field, and stays ASCII */
	word =
	    testlib_repeat("kel. ", "Ringin\xf0\x9f\x98\xa1     ", 10, "Anom");
	router_route(f->r, word, NULL, &rt);
	for (i = 0; i < rt.nevidence; i++)
		assert_true(strlen(rt.evidence[i].matched) <
		    sizeof rt.evidence[i].matched);
	free(word);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_normalising),
	    cmocka_unit_test(test_word_boundaries),
	    cmocka_unit_test(test_amounts),
	    cmocka_unit_test(test_places),
	    cmocka_unit_test(test_several_opds),
	    cmocka_unit_test(test_scoping),
	    cmocka_unit_test(test_scoped_elsewhere),
	    cmocka_unit_test(test_triage),
	    cmocka_unit_test(test_location),
	    cmocka_unit_test(test_max_distance),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_odd_input),
	};

	return cmocka_run_group_tests(
	    tests, testlib_demo_setup, testlib_demo_teardown);
}
