/*
 * test_config: config_load() on the shipped example and demo configs and
 * on one small file per error class, checking each error's exact
 * "file:line: message" and that every error of a file is reported; and
 * config_describe() against man/hotline.conf.5.  The files are written to
 * a mkdtemp directory, removed at the end.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/config_print.h"
#include <sodium.h>

#include "tests/unit/testlib.h"

#define KEY_B64 TESTLIB_KEY_B64

/* Lines 1-11; tests append to it, so their lines start at 12. */
#define MINIMAL TESTLIB_CONFIG_MINIMAL

/* Appended to configs with an [opd x]: every OPD set needs a triage OPD. */
#define TRIAGE_X "[routing]\ntriage = x\n"

struct fixture {
	char dir[TESTLIB_DIR_MAX];
	char path[TESTLIB_PATH_MAX]; /* dir/t.conf */
	char errs[8192];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	if (testlib_mkdtemp(f->dir, "test_config") != 0) {
		free(f);
		return -1;
	}
	testlib_path(f->path, f->dir, "t.conf");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (testlib_rmtree(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static struct config *
load(struct fixture *f, const char *text)
{
	testlib_write_file(f->path, text, 0644);
	return config_load(f->path, f->errs, sizeof f->errs);
}

/* text must load: its config, which the caller frees. */
static struct config *
must_load(struct fixture *f, const char *text)
{
	struct config *cfg = load(f, text);

	if (cfg == NULL)
		fail_msg("%s", f->errs);
	return cfg;
}

/* The [server] values of a config. */
struct server_want {
	const char *listen_host;
	int listen_port;
	const char *public_url;
	size_t max_body;
	int max_connections, request_timeout, threads, flood_per_minute;
};

static void
expect_server(const struct config *cfg, const struct server_want *want)
{
	assert_string_equal(cfg->server.listen_host, want->listen_host);
	assert_int_equal(cfg->server.listen_port, want->listen_port);
	assert_string_equal(cfg->server.public_url, want->public_url);
	assert_int_equal(cfg->server.max_body, want->max_body);
	assert_int_equal(cfg->server.max_connections, want->max_connections);
	assert_int_equal(cfg->server.request_timeout, want->request_timeout);
	assert_int_equal(cfg->server.threads, want->threads);
	assert_int_equal(cfg->server.flood_per_minute, want->flood_per_minute);
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * errs holds a line "PATH:LINE: ..." containing what; and, with only,
 * nothing else.
 */
static void
expect_error(struct fixture *f, int line, const char *what, int only)
{
	char prefix[256];
	const char *s = f->errs, *eol;
	int found = 0;

	snprintf(prefix, sizeof prefix, "%s:%d: ", f->path, line);
	while (*s != '\0') {
		eol = strchr(s, '\n');
		assert_non_null(eol);
		if (strncmp(s, prefix, strlen(prefix)) == 0) {
			char *l = strndup(s, (size_t)(eol - s));

			if (strstr(l, what) != NULL)
				found = 1;
			free(l);
		}
		s = eol + 1;
	}
	if (!found)
		fail_msg("no \"%s...%s\" in:\n%s", prefix, what, f->errs);
	if (only)
		assert_int_equal(count_lines(f->errs), 1);
}

static void
fails_with(struct fixture *f, const char *text, int line, const char *what)
{
	struct config *cfg = load(f, text);

	if (cfg != NULL) {
		config_free(cfg);
		fail_msg("loaded, expected line %d: %s", line, what);
	}
	expect_error(f, line, what, 1);
}

static void
test_example_loads(void **state)
{
	struct fixture *f = *state;
	char creds[TESTLIB_PATH_MAX], path[TESTLIB_PATH_MAX], *orig, *text;
	static const char *const names[] = {"hotline_wa_app_secret",
	    "hotline_wa_verify_token", "hotline_wa_access_token",
	    "hotline_sms_signing_key", "hotline_sms_password"};
	struct config *cfg;
	const struct channel *c;
	size_t i, n = 0;
	char **k;

	testlib_path(creds, f->dir, "creds");
	assert_int_equal(mkdir(creds, 0700), 0);
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		testlib_path(path, creds, names[i]);
		testlib_write_file(
		    path, i == 0 ? "meta-app-secret\n" : "x-secret\n", 0600);
	}
	/* systemd's credentials, here relative to the config's directory */
	orig = testlib_read_file("config/hotline.example.conf", NULL);
	text = testlib_replace(
	    orig, "/run/credentials/hotline.service/", "creds/");
	free(orig);
	/* as shipped, every placeholder is an error that names its key */
	assert_null(load(f, text));
	assert_non_null(strstr(f->errs,
	    "mayor_public is still the example's placeholder (CHANGE-ME)"));
	assert_non_null(strstr(f->errs, "phone_number_id is still"));
	assert_non_null(strstr(f->errs, "head is still"));
	assert_non_null(strstr(f->errs, "deputy is still"));
	orig = testlib_replace(text, "CHANGE-ME ", "");
	free(text);
	cfg = must_load(f, orig);
	free(orig);
	assert_string_equal(cfg->server.city, "Kota Kediri");
	assert_string_equal(cfg->server.report_prefix, "KDR");
	assert_string_equal(cfg->server.listen_host, "127.0.0.1");
	assert_int_equal(cfg->server.listen_port, 8080);
	assert_int_equal(cfg->server.max_body, 512 * 1024);
	assert_int_equal(cfg->nregions, 3);
	for (i = 0; i < cfg->nregions; i++)
		for (k = cfg->regions[i].kelurahan; *k != NULL; k++)
			n++;
	assert_int_equal(n, 46);
	assert_string_equal(cfg->regions[2].kelurahan[14], "Tinalan");
	assert_true(cfg->nopds >= 10);
	assert_string_equal(cfg->opds[0].id, "dispendukcapil");
	assert_string_equal(cfg->opds[0].head, "+6281100000101");
	assert_non_null(c = config_channel(cfg, "whatsapp"));
	assert_int_equal(c->provider, PROVIDER_WHATSAPP_CLOUD);
	assert_string_equal(c->app_secret, "meta-app-secret");
	assert_string_equal(c->webhook_url,
	    "https://hotline.kedirikota.go.id/webhook/whatsapp");
	assert_non_null(c = config_channel(cfg, "sms"));
	assert_int_equal(c->provider, PROVIDER_ANDROID_SMS_GATEWAY);
	assert_null(config_channel(cfg, "twilio"));
	for (i = 0; i < cfg->nopds; i++)
		assert_non_null(config_channel(cfg, cfg->opds[i].head_channel));
	config_free(cfg);
}

/*
 * Without its secrets (config_load_public): a secret's file is not read,
 * even when it is missing or unreadable, and no secret is required; the
 * full load still insists.
 */
static void
test_public_load_reads_no_secret(void **state)
{
	struct fixture *f = *state;
	char *orig, *text;
	struct config *cfg;
	const struct channel *c;

	orig = testlib_read_file("config/hotline.example.conf", NULL);
	text = testlib_replace(orig, "CHANGE-ME ", "");
	free(orig);
	testlib_write_file(f->path, text, 0644);
	free(text);
	assert_null(config_load(f->path, f->errs, sizeof f->errs));
	assert_non_null(strstr(f->errs, "hotline_wa_app_secret"));
	cfg = config_load_public(f->path, f->errs, sizeof f->errs);
	if (cfg == NULL)
		fail_msg("%s", f->errs);
	assert_non_null(c = config_channel(cfg, "whatsapp"));
	assert_null(c->app_secret);
	assert_null(c->access_token);
	assert_string_equal(cfg->opds[0].head, "+6281100000101");
	config_free(cfg);
	/* a wrong value is still an error */
	orig = testlib_read_file(f->path, NULL);
	text =
	    testlib_replace(orig, "report_prefix = KDR", "report_prefix = kdr");
	free(orig);
	testlib_write_file(f->path, text, 0644);
	free(text);
	assert_null(config_load_public(f->path, f->errs, sizeof f->errs));
	assert_non_null(strstr(f->errs, "report_prefix"));
}

static void
test_demo_loads(void **state)
{
	struct fixture *f = *state;
	char *orig, *text;
	struct config *cfg;
	const struct channel *c;

	orig = testlib_read_file("config/demo.conf", NULL);
	text = testlib_replace(orig, "DEMO_MAYOR_PUBLIC_KEY", KEY_B64);
	cfg = must_load(f, text);
	free(orig);
	free(text);
	assert_string_equal(cfg->server.public_url, "http://127.0.0.1:8080");
	assert_string_equal(cfg->server.database, "build/demo/hotline.db");
	assert_int_equal(cfg->nchannels, 4);
	assert_non_null(c = config_channel(cfg, "whatsapp"));
	assert_string_equal(c->app_secret, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
	assert_string_equal(c->verify_token, "verify-token-for-tests");
	assert_string_equal(c->phone_number_id, "115522334455667");
	assert_non_null(c = config_channel(cfg, "twilio"));
	assert_int_equal(c->provider, PROVIDER_TWILIO);
	assert_string_equal(
	    c->account_sid, "AC9a8b7c6d5e4f30211203a4b5c6d7e8f9");
	assert_string_equal(c->auth_token, "a1b2c3d4e5f60718293a4b5c6d7e8f90");
	assert_string_equal(
	    c->webhook_url, "http://127.0.0.1:8080/webhook/twilio");
	assert_non_null(c = config_channel(cfg, "sms"));
	assert_string_equal(c->signing_key, "asg-signing-key-for-tests");
	assert_non_null(c = config_channel(cfg, "smssync"));
	assert_int_equal(c->provider, PROVIDER_SMSSYNC);
	assert_string_equal(c->secret, "smssync-shared-secret-for-tests");
	assert_int_equal(cfg->nregions, 3);
	config_free(cfg);
}

static void
test_minimal_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *cfg = must_load(f, MINIMAL);
	unsigned char zero[CONFIG_KEY_BYTES] = {0};
	static const struct server_want defaults = {"127.0.0.1", 8080,
	    "http://hotline.test", 512 * 1024, 1024, 15, 2, 10};

	assert_string_equal(f->errs, "");
	assert_string_equal(cfg->path, f->path);
	expect_server(cfg, &defaults);
	assert_true(memcmp(cfg->keys.mayor_public, zero, sizeof zero) != 0);
	assert_string_equal(
	    cfg->channels[0].webhook_url, "http://hotline.test/webhook/wa");
	assert_null(cfg->channels[0].access_token);
	assert_int_equal(cfg->ncategories, 0);
	config_free(cfg);
}

static void
test_server_values(void **state)
{
	static const struct server_want want = {
	    "::1", 0, "https://h.test/hotline", 8192, 64, 5, 4, 3};
	struct fixture *f = *state;
	struct config *cfg;

	cfg = must_load(f,
	    "[server]\n"
	    "listen = [::1]:0\n"
	    "public_url = https://h.test/hotline//\n"
	    "database = x.db\n"
	    "city = Kediri\n"
	    "report_prefix = AB\n"
	    "max_body = 8k\n"
	    "max_connections = 64\n"
	    "request_timeout = 5\n"
	    "threads = 4\n"
	    "flood_per_minute = 3\n"
	    "[keys]\n"
	    "mayor_public = " KEY_B64 "\n"
	    "[channel t]\n"
	    "provider = twilio\n"
	    "account_sid = AC0123456789abcdef0123456789abcdef\n"
	    "auth_token = tok\n"
	    "webhook_url = https://proxy.test/hooks/t?x=1\n");
	expect_server(cfg, &want);
	assert_string_equal(
	    cfg->channels[0].webhook_url, "https://proxy.test/hooks/t?x=1");
	assert_string_equal(
	    config_provider_name(cfg->channels[0].provider), "twilio");
	config_free(cfg);
}

static void
test_lists_and_items(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;

	cfg = must_load(f,
	    MINIMAL "[category pungli]\n"
		    "name = Pungli\n"
		    "keywords = uang rokok, , minta uang ,\n"
		    "  50rb, amplop ; a comment\n"
		    "# a comment between\n"
		    "\tbayar\n"
		    "[opd dishub]\n"
		    "name = Dinas Perhubungan\n"
		    "keywords =\n"
		    "  parkir, jukir\n"
		    "head = 0811-0000-0105\n"
		    "head_channel = wa\n"
		    "[region kota]\n"
		    "name = Kecamatan Kota\n"
		    "kelurahan = Balowerti, Kampung Dalem\n"
		    "[routing]\ntriage = dishub\n");
	assert_string_equal(cfg->categories[0].keywords[0], "uang rokok");
	assert_string_equal(cfg->categories[0].keywords[1], "minta uang");
	assert_string_equal(cfg->categories[0].keywords[2], "50rb");
	assert_string_equal(cfg->categories[0].keywords[3], "amplop");
	assert_string_equal(cfg->categories[0].keywords[4], "bayar");
	assert_null(cfg->categories[0].keywords[5]);
	assert_string_equal(cfg->opds[0].keywords[1], "jukir");
	assert_string_equal(cfg->opds[0].head, "+6281100000105");
	assert_string_equal(cfg->opds[0].head_channel, "wa");
	assert_string_equal(cfg->regions[0].kelurahan[1], "Kampung Dalem");
	assert_null(cfg->regions[0].kelurahan[2]);
	config_free(cfg);
}

static void
test_unknown_section(void **state)
{
	fails_with(*state, MINIMAL "[opds dishub]\nname = x\n", 12,
	    "unknown section [opds dishub]");
}

static void
test_unknown_key(void **state)
{
	fails_with(*state, MINIMAL "[category pungli]\nname = P\nkeyword = a\n",
	    14, "unknown key keyword in [category pungli]");
}

static void
test_duplicate_key(void **state)
{
	fails_with(*state,
	    MINIMAL "[region kota]\nname = K\nkelurahan = A\n"
		    "name = L\n",
	    15, "duplicate key name (first at line 13)");
}

static void
test_duplicate_section(void **state)
{
	fails_with(*state,
	    MINIMAL "[region kota]\nname = K\nkelurahan = A\n"
		    "[region kota]\nname = K\nkelurahan = A\n",
	    15, "duplicate [region kota] (first at line 12)");
}

static void
test_missing_required(void **state)
{
	/* at the section's line, not at the end of the file */
	fails_with(*state,
	    MINIMAL "[region kota]\nname = K\n\n[opd x]\n"
		    "name = X\n" TRIAGE_X,
	    12, "[region kota] needs kelurahan");
}

static void
test_missing_provider_key(void **state)
{
	fails_with(*state,
	    MINIMAL "[channel s]\nprovider = twilio\n"
		    "account_sid = AC0123456789abcdef0123456789abcdef\n",
	    12, "[channel s] needs auth_token");
}

static void
test_bad_listen(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"8080", "localhost:8080",
	    "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:80",
	    "[::1]80", "1.2.3:80", "127.0.0.1:80x"};
	char text[1024];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text,
		    "[keys]\nmayor_public = %s\n[server]\nlisten = %s\n"
		    "public_url = http://h.test\ndatabase = d\ncity = c\n"
		    "report_prefix = KDR\n[channel s]\nprovider = smssync\n"
		    "secret = s\n",
		    KEY_B64, bad[i]);
		fails_with(f, text, 4, "listen");
	}
}

static void
test_bad_public_url(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"hotline.test", "ftp://h.test",
	    "http://", "https:///x", "http://h.test/a b", "http://h.test/#x",
	    "http://h.test/?a=1", "http://user:pw@h.test"};
	char *text;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		char line[128];

		snprintf(line, sizeof line, "public_url = %s\n", bad[i]);
		text = testlib_replace(
		    MINIMAL, "public_url = http://hotline.test/\n", line);
		fails_with(f, text, 2, "public_url");
		free(text);
	}
}

static void
test_bad_report_prefix(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"K", "KEDIRI", "kdr", "KD1", ""};
	char line[64], *text;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(line, sizeof line, "report_prefix = %s\n", bad[i]);
		text = testlib_replace(MINIMAL, "report_prefix = KDR\n", line);
		fails_with(f, text, 5, "report_prefix");
		free(text);
	}
}

/* max_body takes a whole WhatsApp text by default, and up to 1024k. */
static void
test_max_body_range(void **state)
{
	static const struct {
		const char *v;
		size_t want;
	} good[] = {
	    {"1k", 1024},
	    {"393216", 393216},
	    {"384k", 384 * 1024},
	    {"512k", 512 * 1024},
	    {"1024k", 1024 * 1024},
	};
	struct fixture *f = *state;
	struct config *cfg;
	char line[128], *text;
	size_t i;

	for (i = 0; i < sizeof good / sizeof *good; i++) {
		snprintf(line, sizeof line,
		    "max_body = %s\ncity = Kota Kediri\n", good[i].v);
		text = testlib_replace(MINIMAL, "city = Kota Kediri\n", line);
		cfg = must_load(f, text);
		assert_int_equal(cfg->server.max_body, good[i].want);
		config_free(cfg);
		free(text);
	}
	/* 65,536 characters written as 6-byte escapes fit the default */
	cfg = must_load(f, MINIMAL);
	assert_true(cfg->server.max_body > 65536 * 6 + 4096);
	config_free(cfg);
}

static void
test_bad_numbers(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"max_body = 2048k",
	    "max_body = 1025k", "max_body = 1m", "max_body = 512",
	    "max_body = -1", "max_connections = 0", "request_timeout = 15s",
	    "threads = 1000", "flood_per_minute = 0",
	    "threads = 99999999999999999999999"};
	char line[128], what[128], *text;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(line, sizeof line, "%s\ncity = Kota Kediri\n", bad[i]);
		text = testlib_replace(MINIMAL, "city = Kota Kediri\n", line);
		snprintf(what, sizeof what, "%.*s '%s' must",
		    (int)strcspn(bad[i], " "), bad[i], strchr(bad[i], '=') + 2);
		fails_with(f, text, 4, what);
		free(text);
	}
	fails_with(f, MINIMAL "[server]\n", 12, "duplicate section [server]");
	fails_with(
	    f, "max_body = 8k\n" MINIMAL, 1, "max_body is outside any section");
}

static void
test_key_not_for_provider(void **state)
{
	fails_with(*state,
	    MINIMAL "[channel s]\nauth_token = x\n"
		    "provider = smssync\nsecret = y\n",
	    13, "auth_token does not belong to a smssync channel");
}

static void
test_unknown_provider(void **state)
{
	fails_with(*state, MINIMAL "[channel s]\nprovider = vonage\n", 13,
	    "provider 'vonage' must be whatsapp_cloud, twilio, "
	    "android_sms_gateway or smssync");
}

static void
test_head_channel_unknown(void **state)
{
	/* checked after parsing: a channel defined later is fine */
	struct fixture *f = *state;
	struct config *cfg;

	cfg = must_load(f,
	    MINIMAL "[opd x]\nname = X\nhead = +6281100000001\n"
		    "head_channel = later\n[channel later]\n"
		    "provider = smssync\nsecret = s\n" TRIAGE_X);
	config_free(cfg);
	fails_with(f,
	    MINIMAL "[opd x]\nname = X\nhead = +6281100000001\n"
		    "head_channel = sms\n" TRIAGE_X,
	    15, "head_channel sms names no [channel sms]");
}

static void
test_head_without_channel(void **state)
{
	fails_with(*state,
	    MINIMAL "[opd x]\nname = X\nhead = +6281100000001\n" TRIAGE_X, 12,
	    "needs head and head_channel together");
}

static void
test_bad_head(void **state)
{
	fails_with(*state,
	    MINIMAL "[opd x]\nname = X\nhead = kepala dinas\n"
		    "head_channel = wa\n" TRIAGE_X,
	    14, "head is not a phone number");
}

static void
test_secret_file_group_readable(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX], expect[256];
	char *text;

	testlib_path(path, f->dir, "app_secret");
	testlib_write_file(path, "from-a-file\n", 0640);
	text = testlib_replace(MINIMAL, "app_secret = app-secret-value",
	    "app_secret_file = app_secret");
	snprintf(expect, sizeof expect,
	    "%s is readable by group or others; chmod 600 it", path);
	fails_with(f, text, 10, expect);
	assert_null(strstr(f->errs, "from-a-file"));

	assert_int_equal(chmod(path, 0604), 0);
	fails_with(f, text, 10, "chmod 600 it");
	free(text);
}

static void
test_secret_file_ok(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX], line[256];
	struct config *cfg;
	char *text;

	testlib_path(path, f->dir, "app_secret");
	testlib_write_file(path, "from-a-file\n", 0600);
	/* absolute this time */
	snprintf(line, sizeof line, "app_secret_file = %s", path);
	text = testlib_replace(MINIMAL, "app_secret = app-secret-value", line);
	cfg = must_load(f, text);
	free(text);
	assert_string_equal(cfg->channels[0].app_secret, "from-a-file");
	config_free(cfg);
}

static void
test_secret_file_missing(void **state)
{
	struct fixture *f = *state;
	char *text;

	text = testlib_replace(MINIMAL, "app_secret = app-secret-value",
	    "app_secret_file = nowhere");
	fails_with(f, text, 10, "nowhere: No such file or directory");
	free(text);
}

static void
test_key_and_key_file(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX];

	testlib_path(path, f->dir, "vt");
	testlib_write_file(path, "vt\n", 0600);
	fails_with(f, MINIMAL "verify_token_file = vt\n", 12,
	    "give verify_token or verify_token_file, not both (the other at "
	    "line 11)");
}

static void
test_mayor_public(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX], *text;
	struct config *cfg;

	text = testlib_replace(MINIMAL, KEY_B64, "c2hvcnQ=");
	fails_with(f, text, 7, "mayor_public is not the base64");
	free(text);
	text = testlib_replace(
	    MINIMAL, KEY_B64, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	fails_with(f, text, 7, "mayor_public is all zeros");
	free(text);

	/* mayor.pub as keygen writes it: public, so any mode */
	testlib_path(path, f->dir, "mayor.pub");
	testlib_write_file(path, KEY_B64 "\n", 0644);
	text = testlib_replace(MINIMAL, "mayor_public = " KEY_B64,
	    "mayor_public_file = mayor.pub");
	cfg = must_load(f, text);
	free(text);
	config_free(cfg);
}

static void
test_two_errors(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;
	char *text;

	cfg = load(f,
	    MINIMAL "bogus = 1\n[opd x]\nname = X\n"
		    "head = 12\nhead_channel = nope\n" TRIAGE_X);
	assert_null(cfg);
	expect_error(f, 12, "unknown key bogus in [channel wa]", 0);
	expect_error(f, 15, "head is not a phone number", 0);
	expect_error(f, 16, "head_channel nope names no [channel nope]", 0);
	assert_int_equal(count_lines(f->errs), 3);

	/* two in one section: both, in file order */
	text = testlib_replace(MINIMAL, "report_prefix = KDR",
	    "report_prefix = kdr\nlisten = nowhere");
	cfg = load(f, text);
	free(text);
	assert_null(cfg);
	expect_error(f, 5, "report_prefix 'kdr'", 0);
	expect_error(f, 6, "listen 'nowhere'", 0);
	assert_int_equal(count_lines(f->errs), 2);
	assert_true(strstr(f->errs, ":5: ") < strstr(f->errs, ":6: "));
}

static void
test_secrets_never_echoed(void **state)
{
	struct fixture *f = *state;

	fails_with(f, MINIMAL "app_secret = another-secret-value\n", 12,
	    "duplicate key app_secret");
	assert_null(strstr(f->errs, "secret-value"));
	fails_with(f, MINIMAL "app_secrt = typo-secret-value\n", 12,
	    "unknown key app_secrt");
	assert_null(strstr(f->errs, "secret-value"));
}

static void
test_syntax(void **state)
{
	struct fixture *f = *state;
	char text[2048], longline[400];

	fails_with(f, MINIMAL "[opd x\n", 12, "without a closing ]");
	fails_with(f, MINIMAL "just words\n", 12, "expected KEY = VALUE");
	fails_with(f, MINIMAL "[opd X]\nname = x\n", 12, "the name must be");
	fails_with(f, MINIMAL "[opd]\n", 12, "[opd] needs a name");
	fails_with(f, MINIMAL "  access_token = x\n", 12,
	    "indented line continues verify_token");
	fails_with(f,
	    MINIMAL "[region r]\nname = R\nkelurahan = A\n  head = 1\n", 15,
	    "indented line looks like KEY = VALUE");
	memset(longline, 'a', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	snprintf(text, sizeof text, MINIMAL "access_token = %s\n", longline);
	fails_with(f, text, 12, "line is longer than");
	fails_with(f, MINIMAL "[category c]\nname = C\nkeywords = ,\n", 14,
	    "keywords is an empty list");
}

static void
test_empty_file(void **state)
{
	struct fixture *f = *state;

	assert_null(load(f, ""));
	expect_error(f, 1, "missing section [server]", 0);
	expect_error(f, 1, "missing section [keys]", 0);
	expect_error(f, 1, "no [channel NAME] section", 0);
	assert_int_equal(count_lines(f->errs), 3);
}

static void
test_file_missing(void **state)
{
	struct fixture *f = *state;
	char path[TESTLIB_PATH_MAX], expect[256];

	testlib_path(path, f->dir, "absent.conf");
	assert_null(config_load(path, f->errs, sizeof f->errs));
	snprintf(expect, sizeof expect,
	    "%s: cannot open: No such file or directory\n", path);
	assert_string_equal(f->errs, expect);
}

static void
test_small_error_buffer(void **state)
{
	struct fixture *f = *state;
	char small[16];

	testlib_write_file(f->path, "", 0644);
	assert_null(config_load(f->path, small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_null(config_load(f->path, NULL, 0));
}

/* [privacy] alert_delay and [server] metrics_from: values, errors. */
static void
test_privacy(void **state)
{
	static const struct {
		const char *v;
		int lo, hi;
	} ok[] = {{"0", 0, 0}, {"0s", 0, 0}, {"5m", 300, 300},
	    {"2m-10m", 120, 600}, {"30s-1h", 30, 3600}};
	static const char *const bad[] = {
	    "10m-2m", "2m-", "-2m", "soon", "1s-25h", "500ms"};
	struct fixture *f = *state;
	struct config *cfg;
	char text[1024];
	size_t i;

	cfg = must_load(f, MINIMAL);
	assert_int_equal(cfg->privacy.alert_delay_min, 120);
	assert_int_equal(cfg->privacy.alert_delay_max, 600);
	assert_null(cfg->server.metrics_from); /* loopback only */
	config_free(cfg);
	for (i = 0; i < sizeof ok / sizeof *ok; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[privacy]\nalert_delay = %s\n", ok[i].v);
		cfg = must_load(f, text);
		assert_int_equal(cfg->privacy.alert_delay_min, ok[i].lo);
		assert_int_equal(cfg->privacy.alert_delay_max, ok[i].hi);
		config_free(cfg);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[privacy]\nalert_delay = %s\n", bad[i]);
		fails_with(f, text, 13, "alert_delay");
	}
	/* MINIMAL starts with [server]: the key goes right after it */
	snprintf(text, sizeof text,
	    "[server]\nmetrics_from = 10.0.0.5, ::1\n%s",
	    MINIMAL + strlen("[server]\n"));
	cfg = must_load(f, text);
	assert_string_equal(cfg->server.metrics_from[0], "10.0.0.5");
	assert_string_equal(cfg->server.metrics_from[1], "::1");
	assert_null(cfg->server.metrics_from[2]);
	config_free(cfg);
	snprintf(text, sizeof text, "[server]\nmetrics_from = prometheus\n%s",
	    MINIMAL + strlen("[server]\n"));
	fails_with(f, text, 2, "must be IP addresses or any");
}

/*
 * Custody: [custodian NAME], [keys] unseal_requires, [retention] and
 * [digest] also_to: values, defaults and errors.  MINIMAL has 11 lines;
 * KEYS_AT puts a key right after its "[keys]" (line 7).
 */
#define KEY2 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
#define KEY3 "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICA="

static void
keys_at(char *out, size_t len, const char *line, const char *tail)
{
	const char *at = strstr(MINIMAL, "[keys]\n") + strlen("[keys]\n");

	snprintf(out, len, "%.*s%s\n%s%s", (int)(at - MINIMAL), MINIMAL, line,
	    at, tail);
}

static void
test_custody(void **state)
{
	static const struct {
		const char *v;
		long long seconds;
	} ok[] = {{"never", 0}, {"10s", 10}, {"90d", 90 * 86400LL},
	    {"2y", 2 * 365 * 86400LL}, {"36h", 36 * 3600}};
	static const char *const bad[] = {
	    "0s", "2 y", "y", "-1d", "1w", "101y", "2yy", "forever"};
	struct fixture *f = *state;
	struct config *cfg;
	char text[2048];
	size_t i;

	cfg = must_load(f, MINIMAL);
	assert_int_equal(cfg->keys.unseal_requires, 1);
	assert_int_equal(cfg->keys.ncustodians, 0);
	assert_int_equal(cfg->retention.identity_after, 2 * 365 * 86400LL);
	assert_int_equal(cfg->retention.text_after, 0);
	assert_null(cfg->digest.also_to);
	config_free(cfg);

	/* a second custodian, two to open */
	keys_at(text, sizeof text, "unseal_requires = 2",
	    "[custodian inspektur]\npublic = " KEY2 "\n");
	cfg = must_load(f, text);
	assert_int_equal(cfg->keys.unseal_requires, 2);
	assert_int_equal(cfg->keys.ncustodians, 1);
	assert_string_equal(cfg->keys.custodians[0].name, "inspektur");
	assert_int_equal(cfg->keys.custodians[0].public_key[0], 1);
	assert_int_equal(cfg->keys.custodians[0].public_key[31], 32);
	config_free(cfg);

	keys_at(text, sizeof text, "unseal_requires = 2", "");
	fails_with(f, text, 6, "unseal_requires = 2 needs a second custodian");
	keys_at(text, sizeof text, "unseal_requires = 3", "");
	fails_with(f, text, 7, "unseal_requires '3' must be 1 or 2");
	fails_with(f, MINIMAL "[custodian mayor]\npublic = " KEY2 "\n", 12,
	    "[custodian mayor] is [keys] mayor_public");
	fails_with(
	    f, MINIMAL "[custodian x]\n", 12, "[custodian x] needs public");
	fails_with(f, MINIMAL "[custodian x]\npublic = not a key\n", 13,
	    "public is not the base64 of a 32-byte public key");
	fails_with(f, MINIMAL "[custodian x]\npublic = " TESTLIB_KEY_B64 "\n",
	    12, "[custodian x] has the mayor's key");
	fails_with(f,
	    MINIMAL "[custodian a]\npublic = " KEY2 "\n[custodian b]\npublic "
		    "= " KEY2 "\n",
	    14, "[custodian b] has the key of [custodian a]");
	fails_with(f,
	    MINIMAL "[custodian a]\npublic = " KEY2 "\n[custodian a]\npublic "
		    "= " KEY3 "\n",
	    14, "duplicate [custodian a]");
	fails_with(f, MINIMAL "[custodian Inspektur]\npublic = " KEY2 "\n", 12,
	    "the name must be");

	for (i = 0; i < sizeof ok / sizeof *ok; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[retention]\nidentity_after = %s\ntext_after = "
			    "%s\n",
		    ok[i].v, ok[i].v);
		cfg = must_load(f, text);
		assert_int_equal(cfg->retention.identity_after, ok[i].seconds);
		assert_int_equal(cfg->retention.text_after, ok[i].seconds);
		config_free(cfg);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[retention]\ntext_after = %s\n", bad[i]);
		fails_with(f, text, 13, "text_after");
	}

	cfg = must_load(f,
	    MINIMAL "[digest]\nto = 0811 0000 0001\nchannel = wa\nalso_to = "
		    "0812-3456-7001, +62 812 3456 7002\n");
	assert_string_equal(cfg->digest.also_to[0], "+6281234567001");
	assert_string_equal(cfg->digest.also_to[1], "+6281234567002");
	assert_null(cfg->digest.also_to[2]);
	config_free(cfg);
	fails_with(f,
	    MINIMAL "[digest]\nto = 0811 0000 0001\nchannel = wa\nalso_to = "
		    "0812 3456 7001, inspektur\n",
	    15, "also_to: item 2 is not a phone number");
	/* also_to goes on over indented lines, each item a number */
	cfg = must_load(f,
	    MINIMAL "[digest]\nto = 0811 0000 0001\nchannel = wa\nalso_to = "
		    "0812-3456-7001,\n  0812 3456 7002\n");
	assert_string_equal(cfg->digest.also_to[1], "+6281234567002");
	assert_null(cfg->digest.also_to[2]);
	config_free(cfg);
	fails_with(f,
	    MINIMAL "[digest]\nto = 0811 0000 0001\nchannel = wa\nalso_to = "
		    "0812 3456 7001,\n  inspektur\n",
	    16, "also_to: item 2 is not a phone number");
}

/* [evidence]: the key, the limits, their defaults and errors. */
static void
test_evidence(void **state)
{
	static const struct {
		const char *v;
		long bytes;
	} ok[] = {{"16m", 16L << 20}, {"512k", 512L << 10}, {"1024", 1024},
	    {"64m", 64L << 20}};
	static const char *const bad[] = {
	    "65m", "0", "1000", "16mb", "m", "-1k", "16 m"};
	struct fixture *f = *state;
	struct config *cfg;
	unsigned char pk[32];
	char text[1024];
	size_t i;

	cfg = must_load(f, MINIMAL);
	assert_false(cfg->evidence.enabled);
	assert_int_equal(cfg->evidence.max_bytes, 16L << 20);
	assert_int_equal(cfg->evidence.max_items, 10);
	config_free(cfg);
	/* KEY2 as a secret key: its public half is derived */
	cfg =
	    must_load(f, MINIMAL "[evidence]\nkey = " KEY2 "\nmax_items = 3\n");
	assert_true(cfg->evidence.enabled);
	assert_int_equal(cfg->evidence.secret_key[0], 1);
	crypto_scalarmult_base(pk, cfg->evidence.secret_key);
	assert_memory_equal(pk, cfg->evidence.public_key, sizeof pk);
	assert_int_equal(cfg->evidence.max_items, 3);
	config_free(cfg);
	fails_with(f, MINIMAL "[evidence]\nkey = tooshort\n", 13,
	    "key is not the base64 of a 32-byte secret key");
	fails_with(f, MINIMAL "[evidence]\nmax_items = 0\n", 13,
	    "max_items '0' must be 1 to 50");
	for (i = 0; i < sizeof ok / sizeof *ok; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[evidence]\nmax_bytes = %s\n", ok[i].v);
		cfg = must_load(f, text);
		assert_int_equal(cfg->evidence.max_bytes, ok[i].bytes);
		config_free(cfg);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(text, sizeof text,
		    MINIMAL "[evidence]\nmax_bytes = %s\n", bad[i]);
		fails_with(f, text, 13, "max_bytes");
	}
}

/* A key as hotline.conf.5 sets it: .B key, .BR key ,  or \fBkey. */
static int
man_names(const char *man, const char *key)
{
	static const char *const forms[] = {
	    "\n.B ", "\n.BR ", "\n.BI ", "\n.B \"", "\n.BR \"", "\\fB"};
	char pat[128];
	const char *s;
	size_t i, n;

	for (i = 0; i < sizeof forms / sizeof *forms; i++) {
		n = (size_t)snprintf(pat, sizeof pat, "%s%s", forms[i], key);
		for (s = man; (s = strstr(s, pat)) != NULL; s++)
			if (strchr("abcdefghijklmnopqrstuvwxyz_", s[n]) == NULL)
				return 1;
	}
	return 0;
}

/*
 * config_describe(): every section and key of the table, each with its
 * help, and each in man/hotline.conf.5 (written by hand, it must not drift
 * from the table); the [templates] keys are config_template_names.
 */
static void
test_describe(void **state)
{
	char *buf = NULL, *man, *line, *next, *templates;
	size_t len = 0, keys = 0, t = 0;
	FILE *fp;

	(void)state;
	assert_non_null(fp = open_memstream(&buf, &len));
	config_describe(fp);
	assert_int_equal(fclose(fp), 0);
	man = testlib_read_file("man/hotline.conf.5", NULL);
	assert_non_null(templates = strstr(buf, ".SS [templates]\n"));
	for (line = buf; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';
		if (strncmp(line, ".SS ", 4) == 0) {
			char want[64];

			snprintf(want, sizeof want, "\n%s\n", line);
			if (strstr(man, want) == NULL)
				fail_msg("hotline.conf.5 has no %s", line);
			continue;
		}
		if (strncmp(line, ".B ", 3) != 0)
			continue;
		keys++;
		if (!man_names(man, line + 3))
			fail_msg(
			    "hotline.conf.5 does not describe %s", line + 3);
		/* its help and what it takes, on one line */
		assert_true(*next != '\0' && *next != '.' && *next != '\n');
		if (line > templates && t < TEMPLATE_COUNT)
			assert_string_equal(
			    line + 3, config_template_names[t++]);
	}
	assert_int_equal(t, TEMPLATE_COUNT);
	assert_true(keys > 100);
	free(man);
	free(buf);
}

static void
test_helpers(void **state)
{
	(void)state;
	config_free(NULL);
	assert_string_equal(
	    config_provider_name(PROVIDER_WHATSAPP_CLOUD), "whatsapp_cloud");
	assert_string_equal(config_provider_name(PROVIDER_ANDROID_SMS_GATEWAY),
	    "android_sms_gateway");
	assert_string_equal(config_provider_name(PROVIDER_SMSSYNC), "smssync");
	assert_string_equal(config_provider_name((enum provider)42), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_example_loads),
	    cmocka_unit_test(test_public_load_reads_no_secret),
	    cmocka_unit_test(test_demo_loads),
	    cmocka_unit_test(test_minimal_defaults),
	    cmocka_unit_test(test_server_values),
	    cmocka_unit_test(test_lists_and_items),
	    cmocka_unit_test(test_unknown_section),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_duplicate_key),
	    cmocka_unit_test(test_duplicate_section),
	    cmocka_unit_test(test_missing_required),
	    cmocka_unit_test(test_missing_provider_key),
	    cmocka_unit_test(test_bad_listen),
	    cmocka_unit_test(test_bad_public_url),
	    cmocka_unit_test(test_bad_report_prefix),
	    cmocka_unit_test(test_max_body_range),
	    cmocka_unit_test(test_bad_numbers),
	    cmocka_unit_test(test_key_not_for_provider),
	    cmocka_unit_test(test_unknown_provider),
	    cmocka_unit_test(test_head_channel_unknown),
	    cmocka_unit_test(test_head_without_channel),
	    cmocka_unit_test(test_bad_head),
	    cmocka_unit_test(test_secret_file_group_readable),
	    cmocka_unit_test(test_secret_file_ok),
	    cmocka_unit_test(test_secret_file_missing),
	    cmocka_unit_test(test_key_and_key_file),
	    cmocka_unit_test(test_mayor_public),
	    cmocka_unit_test(test_two_errors),
	    cmocka_unit_test(test_secrets_never_echoed),
	    cmocka_unit_test(test_privacy),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_empty_file),
	    cmocka_unit_test(test_file_missing),
	    cmocka_unit_test(test_small_error_buffer),
	    cmocka_unit_test(test_custody),
	    cmocka_unit_test(test_evidence),
	    cmocka_unit_test(test_describe),
	    cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
