/*
 * test_accused: whom a report accuses (queue/accused.h), and where the
 * router then sends it (queue/router.h): reports written the way people
 * text, each with the accused's kind and words, the office the report is
 * about and the one that handles it, under config/demo.conf and under a
 * city that sends staff accusations to the Inspektorat and the mayor's
 * office to an outside APIP.  Run from the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/router.h"

struct accused_case {
	const char *text;
	enum accused_kind kind;
	const char *term;    /* "" for none */
	const char *subject; /* "" for none */
	const char *handler;
};

/* config/demo.conf: staff_accusations = opd, no about_mayor. */
static const struct accused_case demo_cases[] = {
    {"kadis dukcapil minta fee 10 persen dari pengadaan blangko KTP",
	ACCUSED_LEADERSHIP, "kadis", "dispendukcapil", "inspektorat"},
    {"Kepala Dinas Pendidikan minta setoran dari kepala sekolah",
	ACCUSED_LEADERSHIP, "kepala dinas", "dinas_pendidikan", "inspektorat"},
    {"dimintai uang 2jt oleh kabid perizinan dpmptsp", ACCUSED_LEADERSHIP,
	"kabid", "dpmptsp", "inspektorat"},
    {"Sekdin PUPR potong anggaran perawatan jalan", ACCUSED_LEADERSHIP,
	"sekdin", "dinas_pupr", "inspektorat"},
    {"direktur RSUD Gambiran terima gratifikasi dari rekanan obat",
	ACCUSED_LEADERSHIP, "direktur", "rsud_gambiran", "inspektorat"},
    {"lurah Kaliombo nepotisme, perangkat kelurahan isinya keluarga semua",
	ACCUSED_LEADERSHIP, "lurah", "kecamatan_kota", "inspektorat"},
    {"pak kadis e njaluk duit 5 juta ben izin usaha cepet metu",
	ACCUSED_LEADERSHIP, "kadis", "dpmptsp", "inspektorat"},
    {"KEPSEK SMPN 3 MOTONG DANA BOS", ACCUSED_LEADERSHIP, "kepsek",
	"dinas_pendidikan", "inspektorat"},
    {"petugas loket dukcapil minta uang 50rb", ACCUSED_STAFF, "petugas",
	"dispendukcapil", "dispendukcapil"},
    {"pegawai dishub narik setoran dari jukir tiap hari", ACCUSED_STAFF,
	"pegawai", "dishub", "dishub"},
    {"oknum satpol pp malak PKL di jalan dhoho", ACCUSED_STAFF, "oknum",
	"satpol_pp", "satpol_pp"},
    /* the writer's own office is not the one accused */
    {"saya Siti Aminah, guru SD, dimintai uang 100rb untuk KTP anak saya",
	ACCUSED_NONE, "", "dispendukcapil", "dispendukcapil"},
    {"sy pegawai dishub, mau lapor petugas bapenda minta amplop utk "
     "turunin PBB",
	ACCUSED_STAFF, "petugas", "bapenda", "bapenda"},
    /* those the writer turned to, and offices as places */
    {"Pak Wali, petugas dishub minta uang di terminal", ACCUSED_STAFF,
	"petugas", "dishub", "dishub"},
    {"Yth. Bapak Walikota. Saya mau lapor, di dukcapil dimintai uang 100rb",
	ACCUSED_NONE, "", "dispendukcapil", "dispendukcapil"},
    {"mohon bapak walikota menindak kadis dukcapil yg minta fee",
	ACCUSED_LEADERSHIP, "kadis", "dispendukcapil", "inspektorat"},
    {"di kantor lurah dimintai uang 50rb untuk surat domisili", ACCUSED_NONE,
	"", "", "inspektorat"},
    {"terima kasih pak lurah, KTP saya sudah jadi", ACCUSED_NONE, "",
	"dispendukcapil", "dispendukcapil"},
    {"bapak wali murid diminta sumbangan 500rb oleh komite sekolah",
	ACCUSED_NONE, "", "dinas_pendidikan", "dinas_pendidikan"},
    /* the mayor's office */
    {"ajudan wali kota minta setoran dari kontraktor", ACCUSED_MAYOR,
	"wali kota", "dinas_pupr", "inspektorat"},
    {"Sekda nerima amplop dari pengusaha", ACCUSED_MAYOR, "sekda", "",
	"inspektorat"},
};

/* The same city, staff accusations to the Inspektorat, an outside APIP. */
static const struct accused_case strict_cases[] = {
    {"petugas loket dukcapil minta uang 50rb", ACCUSED_STAFF, "petugas",
	"dispendukcapil", "inspektorat"},
    {"kadis dukcapil minta fee 10 persen dari pengadaan blangko KTP",
	ACCUSED_LEADERSHIP, "kadis", "dispendukcapil", "inspektorat"},
    {"ajudan wali kota minta setoran dari kontraktor", ACCUSED_MAYOR,
	"wali kota", "dinas_pupr", "apip_provinsi"},
    /* the Inspektorat's own head: to the outside APIP */
    {"kepala inspektorat minta jatah dari temuan audit", ACCUSED_LEADERSHIP,
	"kepala inspektorat", "inspektorat", "apip_provinsi"},
    {"saya Siti Aminah, guru SD, dimintai uang 100rb untuk KTP anak saya",
	ACCUSED_NONE, "", "dispendukcapil", "dispendukcapil"},
};

static void
check_cases(const struct router *r, const struct accused_case *c, size_t n)
{
	struct route rt;
	size_t i;

	for (i = 0; i < n; i++) {
		router_route(r, c[i].text, NULL, &rt);
		if (rt.accused.kind != c[i].kind ||
		    strcmp(rt.accused.term, c[i].term) != 0 ||
		    strcmp(rt.subject != NULL ? rt.subject->id : "",
			c[i].subject) != 0 ||
		    strcmp(rt.opd->id, c[i].handler) != 0)
			fail_msg("\"%s\": got %s '%s' about '%s' to %s (%s)",
			    c[i].text,
			    rt.accused.kind ? accused_kind_name(rt.accused.kind)
					    : "none",
			    rt.accused.term,
			    rt.subject != NULL ? rt.subject->id : "",
			    rt.opd->id, rt.reason);
	}
}

static void
test_demo(void **state)
{
	struct testlib_demo *f = *state;

	check_cases(f->r, demo_cases, sizeof demo_cases / sizeof *demo_cases);
}

/* The decision shows its evidence. */
static void
test_reason(void **state)
{
	struct testlib_demo *f = *state;
	struct route rt;
	char *json;

	router_route(f->r, "kadis dukcapil minta fee", NULL, &rt);
	assert_non_null(strstr(rt.reason,
	    "accuses the office's own head: "
	    "kadis"));
	assert_non_null(json = router_json(&rt));
	assert_non_null(strstr(json,
	    "\"opd\":\"inspektorat\","
	    "\"subject\":\"dispendukcapil\","
	    "\"accused\":\"leadership\","
	    "\"accused_term\":\"kadis\""));
	free(json);
	router_route(f->r, "petugas loket dukcapil minta uang", NULL, &rt);
	assert_non_null(strstr(rt.reason, "stays with it: petugas"));
}

/* config/demo.conf with lines put right after its [routing], and tail. */
static char *
demo_with(const char *routing, const char *tail)
{
	char *demo = testlib_read_file("config/demo.conf", NULL);
	char *at = strstr(demo, "[routing]\n"), *text;
	size_t len = strlen(demo) + strlen(routing) + strlen(tail) + 1;

	assert_non_null(at);
	at += strlen("[routing]\n");
	text = malloc(len);
	assert_non_null(text);
	snprintf(
	    text, len, "%.*s%s%s%s", (int)(at - demo), demo, routing, at, tail);
	free(demo);
	return text;
}

/* The line of config/demo.conf's [routing], plus one. */
static int
routing_line(void)
{
	char *demo = testlib_read_file("config/demo.conf", NULL);
	char *at = strstr(demo, "[routing]\n"), *p;
	int line = 2;

	for (p = demo; p < at; p++)
		line += *p == '\n';
	free(demo);
	return line;
}

static void
test_strict(void **state)
{
	struct testlib_config *t = *state;
	char *text, err[256];
	struct config *cfg;
	struct router *r;

	text = demo_with("staff_accusations = integrity\n"
			 "about_mayor = apip_provinsi\n",
	    "[opd apip_provinsi]\nname = APIP Provinsi\n"
	    "keywords = apip provinsi\nhead = +62 811 0000 0199\n"
	    "head_channel = whatsapp\n");
	cfg = testlib_config_must_load(t, text);
	assert_non_null(r = router_new(cfg, err, sizeof err));
	check_cases(
	    r, strict_cases, sizeof strict_cases / sizeof *strict_cases);
	router_free(r);
	config_free(cfg);
	free(text);
}

/* A bad staff_accusations or verify, an unknown OPD: refused, its line. */
static void
test_config_errors(void **state)
{
	static const struct {
		const char *line, *what;
	} bad[] = {
	    {"staff_accusations = all\n", "must be opd or integrity"},
	    {"verify = ya\n", "must be yes or no"},
	    {"about_mayor = dprd\n", "dprd"},
	    {"verifier = nobody\n", "nobody"},
	};
	struct testlib_config *t = *state;
	size_t i;
	char *text;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		text = demo_with(bad[i].line, "");
		testlib_config_fails_with(t, text, routing_line(), bad[i].what);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demo),
	    cmocka_unit_test(test_reason),
	    TESTLIB_CONFIG_TEST(test_strict),
	    TESTLIB_CONFIG_TEST(test_config_errors),
	};

	return cmocka_run_group_tests(
	    tests, testlib_demo_setup, testlib_demo_teardown);
}
