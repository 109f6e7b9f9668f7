/*
 * test_config_print: config_print() of config/demo.conf, of
 * config/hotline.example.conf (its credentials as files of mode 0600) and
 * of a config that sets every key: the printed file loads again with
 * config_load_public() and prints the same (less the secrets, which the
 * reload cannot know: "(set, masked)" becomes "(not set)"), printing
 * once more changes nothing, no secret's value appears, and the
 * defaults are written out.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/config_print.h"

#include "tests/unit/testlib.h"

#define CUSTODIAN_B64 "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="
#define EVIDENCE_B64  "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM="

/* config_print() into a string; the caller frees it. */
static char *
print(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	config_print(cfg, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(strlen(buf), len);
	return buf;
}

/* text written to t.conf must load, in full or without secrets. */
static struct config *
must_load(struct testlib_config *f, const char *text, int public)
{
	struct config *cfg;

	testlib_write_file(f->path, text, 0600);
	cfg = public ? config_load_public(f->path, f->errs, sizeof f->errs)
		     : config_load(f->path, f->errs, sizeof f->errs);
	if (cfg == NULL)
		fail_msg("%s\nin:\n%s", f->errs, text);
	return cfg;
}

/* a and b are the same text; else fail at the first line that differs. */
static void
same_text(const char *a, const char *b)
{
	size_t i, line = 1, bol = 0;

	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		if (a[i] == '\n') {
			line++;
			bol = i + 1;
		}
	if (a[i] != b[i])
		fail_msg("line %zu differs:\n< %.*s\n> %.*s", line,
		    (int)strcspn(a + bol, "\n"), a + bol,
		    (int)strcspn(b + bol, "\n"), b + bol);
}

/* text holds line as a whole line. */
static void
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *s;

	for (s = text; (s = strstr(s, line)) != NULL; s++)
		if ((s == text || s[-1] == '\n') &&
		    (s[n] == '\n' || s[n] == '\0'))
			return;
	fail_msg("no line \"%s\" in:\n%s", line, text);
}

/*
 * Load text (every secret read), print it, reload the print without
 * secrets and print that, then once more: the first print (returned; the
 * caller frees it) less its secrets, the second and the third are the
 * same text.
 */
static char *
round_trip(struct testlib_config *f, const char *text)
{
	struct config *cfg;
	char *p1, *p2, *p3, *want;

	cfg = must_load(f, text, 0);
	p1 = print(cfg);
	config_free(cfg);
	cfg = must_load(f, p1, 1);
	p2 = print(cfg);
	config_free(cfg);
	want = testlib_replace(p1, "(set, masked)", "(not set)");
	same_text(want, p2);
	cfg = must_load(f, p2, 1);
	p3 = print(cfg);
	config_free(cfg);
	same_text(p2, p3);
	free(want);
	free(p2);
	free(p3);
	return p1;
}

static void
no_secrets(const char *text, const char *const *secrets, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(text, secrets[i]) != NULL)
			fail_msg("secret %s printed", secrets[i]);
}

static void
test_demo(void **state)
{
	static const char *const secrets[] = {
	    "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "verify-token-for-tests",
	    "a1b2c3d4e5f60718293a4b5c6d7e8f90", "asg-signing-key-for-tests",
	    "smssync-shared-secret-for-tests"};
	static const char *const lines[] = {
	    "# app_secret = (set, masked)",
	    "# verify_token = (set, masked)",
	    "# access_token = (not set)",
	    "# auth_token = (set, masked)",
	    "# signing_key = (set, masked)",
	    "# password = (not set)",
	    "# secret = (set, masked)",
	    "# key = (not set)",
	    "listen = 127.0.0.1:8080",
	    "max_body = 512k",
	    "max_connections = 1024",
	    "max_connections_per_ip = 64",
	    "session_idle = 15m",
	    "log_level = info",
	    "# runtime_dir = (not set)",
	    "demo = yes",
	    "epoch = 1s",
	    "unseal_requires = 1",
	    "identity_after = 2y",
	    "text_after = never",
	    "max_distance_km = 2.0",
	    "integrity_opd = inspektorat",
	    "staff_accusations = opd",
	    "verifier = inspektorat",
	    "# about_mayor = (not set)",
	    "retry_base = 30s",
	    "retry_max = 1h",
	    "merge_window = 3m",
	    "merge_max = 15m",
	    "place_wait = 30m",
	    "alert_delay = 2m-10m",
	    "acknowledge = 3 wd",
	    "timezone_offset = WIB",
	    "# to = (not set)",
	    "at = 07:00",
	    "max_bytes = 16m",
	    "max_items = 10",
	    "rate_per_second = 80",
	    "forget_at_provider = yes",
	    "webhook_url = http://127.0.0.1:8080/webhook/twilio",
	    "head = +6281100000101",
	    "alert_text = none",
	};
	struct testlib_config *f = *state;
	char *orig, *text, *p;
	size_t i;

	orig = testlib_read_file("config/demo.conf", NULL);
	text = testlib_replace(orig, "DEMO_MAYOR_PUBLIC_KEY", TESTLIB_KEY_B64);
	p = round_trip(f, text);
	no_secrets(p, secrets, TESTLIB_COUNT(secrets));
	for (i = 0; i < TESTLIB_COUNT(lines); i++)
		has_line(p, lines[i]);
	assert_null(strstr(p, "[templates]"));
	assert_non_null(strstr(p, "\n[holidays]\ndates = 2026-01-01, "));
	free(orig);
	free(text);
	free(p);
}

#define CREDS  "/run/credentials/hotline.service/"
#define NCREDS 16

/*
 * Each credential the text names (CREDS NAME) as the file dir/NAME, mode
 * 0600, holding a secret of its own ("meta-secret-NN"): how many.
 */
static size_t
write_creds(const char *text, const char *dir)
{
	char path[TESTLIB_PATH_MAX], name[64], value[48];
	const char *s;
	size_t n = 0, len;

	for (s = text; (s = strstr(s, CREDS)) != NULL; s += len) {
		s += strlen(CREDS);
		len = strcspn(s, " \t\n");
		assert_true(len > 0 && len < sizeof name && n < NCREDS);
		snprintf(name, sizeof name, "%.*s", (int)len, s);
		testlib_path(path, dir, name);
		snprintf(value, sizeof value, "meta-secret-%02zu\n", n++);
		testlib_write_file(path, value, 0600);
	}
	return n;
}

static void
test_example(void **state)
{
	static const char *const lines[] = {
	    "# app_secret = (set, masked)",
	    "# verify_token = (set, masked)",
	    "# access_token = (set, masked)",
	    "# signing_key = (set, masked)",
	    "# password = (set, masked)",
	    "phone_number_id = 100000000000001",
	    "mayor_public = " TESTLIB_KEY_B64,
	    "head = +6281100000101",
	    "deputy = +6281100000205",
	    "webhook_url = https://hotline.kedirikota.go.id/webhook/sms",
	    "rate_per_second = 5",
	    "merge_window = 3m",
	    "also_notify = inspektorat",
	};
	struct testlib_config *f = *state;
	char dir[TESTLIB_PATH_MAX], *orig, *unmarked, *text, *p;
	size_t i;

	testlib_path(dir, f->dir, "creds");
	assert_int_equal(mkdir(dir, 0700), 0);
	/* the placeholders' marks, when the example has them, go */
	orig = testlib_read_file("config/hotline.example.conf", NULL);
	unmarked = testlib_replace(orig, "CHANGE-ME ", "");
	assert_true(write_creds(unmarked, dir) >= 5);
	text = testlib_replace(unmarked, CREDS, "creds/");
	p = round_trip(f, text);
	if (strstr(p, "meta-secret") != NULL)
		fail_msg("a secret printed:\n%s", p);
	for (i = 0; i < TESTLIB_COUNT(lines); i++)
		has_line(p, lines[i]);
	assert_null(strstr(p, "CHANGE-ME"));
	assert_null(strstr(p, "_file"));
	free(orig);
	free(unmarked);
	free(text);
	free(p);
}

/* Every key set, most to a value other than the default. */
#define EVERYTHING                                                             \
	"[server]\n"                                                           \
	"listen = [::1]:0\n"                                                   \
	"public_url = https://h.test/hotline/\n"                               \
	"database = /tmp/hotline-test.db\n"                                    \
	"city = Kota Kediri\n"                                                 \
	"report_prefix = KDR\n"                                                \
	"max_body = 1500\n"                                                    \
	"max_connections = 64\n"                                               \
	"max_connections_per_ip = 0\n"                                         \
	"request_timeout = 5\n"                                                \
	"read_timeout = 7\n"                                                   \
	"threads = 4\n"                                                        \
	"flood_per_minute = 3\n"                                               \
	"session_idle = 90s\n"                                                 \
	"log_level = warn\n"                                                   \
	"runtime_dir = /run/hotline\n"                                         \
	"trusted_proxy = ::1\n"                                                \
	"metrics_from = 10.0.0.5, any\n"                                       \
	"[keys]\n"                                                             \
	"mayor_public = " TESTLIB_KEY_B64 "\n"                                 \
	"mayor_key = mayor.key\n"                                              \
	"demo = no\n"                                                          \
	"epoch = 2m\n"                                                         \
	"unseal_requires = 2\n"                                                \
	"[custodian inspektur]\n"                                              \
	"public = " CUSTODIAN_B64 "\n"                                         \
	"[retention]\n"                                                        \
	"identity_after = 90d\n"                                               \
	"text_after = 36h\n"                                                   \
	"[routing]\n"                                                          \
	"triage = x\n"                                                         \
	"max_distance_km = 0.25\n"                                             \
	"integrity_opd = y\n"                                                  \
	"staff_accusations = integrity\n"                                      \
	"about_mayor = y\n"                                                    \
	"verify = yes\n"                                                       \
	"verifier = x\n"                                                       \
	"[dispatch]\n"                                                         \
	"retry_base = 1500ms\n"                                                \
	"retry_max = 2m\n"                                                     \
	"max_attempts = 3\n"                                                   \
	"timeout = 500ms\n"                                                    \
	"[conversation]\n"                                                     \
	"merge_window = 0s\n"                                                  \
	"merge_max = 90s\n"                                                    \
	"place_wait = 1h\n"                                                    \
	"info_contact = PPID, telepon (0354) 000000\n"                         \
	"[privacy]\n"                                                          \
	"alert_delay = 45s\n"                                                  \
	"[sla]\n"                                                              \
	"acknowledge = 2h\n"                                                   \
	"resolve = 2d\n"                                                       \
	"remind_before = 30m\n"                                                \
	"escalate_to = y\n"                                                    \
	"timezone_offset = -03:30\n"                                           \
	"[holidays]\n"                                                         \
	"dates = 2026-12-25, 2026-01-01,\n"                                    \
	"  2026-08-17\n"                                                       \
	"[digest]\n"                                                           \
	"to = 0811 0000 0001\n"                                                \
	"also_to = +62 811 0000 0002, 0811-0000-0003\n"                        \
	"channel = wa\n"                                                       \
	"at = 06:30\n"                                                         \
	"[evidence]\n"                                                         \
	"key = " EVIDENCE_B64 "\n"                                             \
	"max_bytes = 1536k\n"                                                  \
	"max_items = 3\n"                                                      \
	"[channel wa]\n"                                                       \
	"provider = whatsapp_cloud\n"                                          \
	"app_secret = wa-app-secret-value\n"                                   \
	"verify_token = wa-verify-token-value\n"                               \
	"access_token = wa-access-token-value\n"                               \
	"phone_number_id = 123456\n"                                           \
	"alert_template = laporan_opd_baru\n"                                  \
	"sms_fallback = sms\n"                                                 \
	"api_base = https://graph.test/v21.0/\n"                               \
	"rate_per_second = 7\n"                                                \
	"[channel t]\n"                                                        \
	"provider = twilio\n"                                                  \
	"account_sid = AC0123456789abcdef0123456789abcdef\n"                   \
	"auth_token = twilio-auth-token-value\n"                               \
	"from = whatsapp:+14155238886\n"                                       \
	"webhook_url = https://proxy.test/hooks/t?x=1\n"                       \
	"forget_at_provider = no\n"                                            \
	"alert_template = HX0123456789abcdef0123456789abcdef\n"                \
	"[channel sms]\n"                                                      \
	"provider = android_sms_gateway\n"                                     \
	"signing_key = asg-signing-key-value\n"                                \
	"username = hotline\n"                                                 \
	"password = asg-password-value\n"                                      \
	"api_base = http://192.168.10.20:8080\n"                               \
	"[channel ss]\n"                                                       \
	"provider = smssync\n"                                                 \
	"secret = smssync-secret-value\n"                                      \
	"[category c1]\n"                                                      \
	"name = Pungli; uang #rokok\n"                                         \
	"keywords = alpha, bravo, charlie, delta, echo, foxtrot, golf, "       \
	"hotel, india, #tag, [b], k=v, juliett, kilo, lima, mike, november, "  \
	"oscar\n"                                                              \
	"also_notify = y\n"                                                    \
	"[category c2]\n"                                                      \
	"name = Lainnya\n"                                                     \
	"[opd x]\n"                                                            \
	"name = Inspektorat\n"                                                 \
	"keywords = inspektorat\n"                                             \
	"head = 0811 0000 0101\n"                                              \
	"head_channel = wa\n"                                                  \
	"deputy = +62 811 0000 0201\n"                                         \
	"deputy_channel = sms\n"                                               \
	"alert_text = excerpt\n"                                               \
	"regions = r1\n"                                                       \
	"[opd y]\n"                                                            \
	"name = APIP\n"                                                        \
	"[region r1]\n"                                                        \
	"name = Kecamatan Mojoroto\n"                                          \
	"kelurahan = Bandar Lor, Mojoroto, Dermo\n"                            \
	"points = bandar lor -7.8089 111.9934, Mojoroto 0 100\n"               \
	"[templates]\n"                                                        \
	"ack = Terima kasih; kode {receipt} #1\n"

static void
test_everything(void **state)
{
	static const char *const secrets[] = {"wa-app-secret-value",
	    "wa-verify-token-value", "wa-access-token-value",
	    "twilio-auth-token-value", "asg-signing-key-value",
	    "asg-password-value", "smssync-secret-value", "AwMDAwMD"};
	static const char *const lines[] = {
	    "listen = [::1]:0",
	    "public_url = https://h.test/hotline",
	    "max_body = 1500",
	    "max_connections_per_ip = 0",
	    "session_idle = 90s",
	    "log_level = warn",
	    "trusted_proxy = ::1",
	    "metrics_from = 10.0.0.5, any",
	    "demo = no",
	    "epoch = 2m",
	    "unseal_requires = 2",
	    "[custodian inspektur]",
	    "public = " CUSTODIAN_B64,
	    "identity_after = 90d",
	    "text_after = 36h",
	    "max_distance_km = 0.25",
	    "staff_accusations = integrity",
	    "about_mayor = y",
	    "verify = yes",
	    "retry_base = 1500ms",
	    "retry_max = 2m",
	    "timeout = 500ms",
	    "merge_window = 0s",
	    "merge_max = 90s",
	    "place_wait = 1h",
	    "info_contact = PPID, telepon (0354) 000000",
	    "alert_delay = 45s",
	    "acknowledge = 2h",
	    "resolve = 2d",
	    "remind_before = 30m",
	    "timezone_offset = -03:30",
	    "dates = 2026-01-01, 2026-08-17, 2026-12-25",
	    "to = +6281100000001",
	    "also_to = +6281100000002, +6281100000003",
	    "at = 06:30",
	    "# key = (set, masked)",
	    "max_bytes = 1536k",
	    "max_items = 3",
	    "webhook_url = https://h.test/hotline/webhook/wa",
	    "api_base = https://graph.test/v21.0",
	    "rate_per_second = 7",
	    "# access_token = (set, masked)",
	    "from = whatsapp:+14155238886",
	    "webhook_url = https://proxy.test/hooks/t?x=1",
	    "forget_at_provider = no",
	    "alert_template = HX0123456789abcdef0123456789abcdef",
	    "username = hotline",
	    "# password = (set, masked)",
	    "name = Pungli; uang #rokok",
	    "also_notify = y",
	    "head = +6281100000101",
	    "deputy = +6281100000201",
	    "alert_text = excerpt",
	    "regions = r1",
	    "points = Bandar Lor -7.8089 111.9934, Mojoroto 0.0 100.0",
	    "ack = Terima kasih; kode {receipt} #1",
	};
	struct testlib_config *f = *state;
	char path[TESTLIB_PATH_MAX], line[TESTLIB_PATH_MAX + 16];
	char *text, *p, *xs;
	size_t i;

	testlib_path(path, f->dir, "mayor.key");
	testlib_write_file(path, "wrapped key\n", 0600);
	/* a line of 198 characters: as KEY=VALUE only */
	xs = testlib_repeat("", "x", 198 - strlen("ask_place="), "");
	text = testlib_repeat(EVERYTHING "ask_place=", xs, 1, "\n");
	p = round_trip(f, text);
	no_secrets(p, secrets, TESTLIB_COUNT(secrets));
	for (i = 0; i < TESTLIB_COUNT(lines); i++)
		has_line(p, lines[i]);
	snprintf(line, sizeof line, "mayor_key = %s", path);
	has_line(p, line);
	free(text);
	text = testlib_repeat("ask_place=", xs, 1, "");
	has_line(p, text);
	/* the keywords go on over lines, none begun by #, [ or = */
	assert_non_null(strstr(p, "keywords = alpha, "));
	assert_non_null(strstr(p, ",\n  "));
	assert_null(strstr(p, "\n  #"));
	assert_null(strstr(p, "\n  ["));
	assert_null(strstr(p, "\n  k=v"));
	free(xs);
	free(text);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    TESTLIB_CONFIG_TEST(test_demo),
	    TESTLIB_CONFIG_TEST(test_example),
	    TESTLIB_CONFIG_TEST(test_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
