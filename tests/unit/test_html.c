/*
 * test_html: web/html.c, the buffer the web views are written into.  Each
 * of & < > " ' escaped (and a <script> attempt made harmless), trusted
 * markup and printf as given, growth past many doublings, counts with
 * thousands dots and "<5" for small ones when asked, the CSRF field, the
 * page frame (escaped title and city, no script, event handler or
 * external URL, the logout form and token only when someone is logged in,
 * the mayor's and an OPD head's role) and html_take() (the content and
 * its length, an empty string, NULL once failed is set).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "web/html.h"

#define LOGOUT_FORM "<form method=\"post\" action=\"/logout\">"

/* The start of test_page_anonymous's page, to its <style>. */
#define ANON_HEAD                                                              \
	"<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"      \
	"<meta name=\"viewport\" "                                             \
	"content=\"width=device-width, initial-scale=1\">"                     \
	"<title>Masuk &amp; &quot;daftar&quot; &lt;script&gt; \xc2\xb7 "       \
	"Hotline Kota &lt;Kediri&gt;</title><style>"

/* What a write to a fresh buffer gives, taken (the caller frees it). */
static char *
take(struct html *h)
{
	size_t len = 99;
	char *s = html_take(h, &len);

	assert_non_null(s);
	assert_int_equal(len, strlen(s));
	return s;
}

/* html_text(text) must give want. */
static void
assert_escaped(const char *text, const char *want)
{
	struct html h;
	char *s;

	html_init(&h);
	html_text(&h, text);
	s = take(&h);
	assert_string_equal(s, want);
	free(s);
}

/* html_count(n, suppress) must give want. */
static void
assert_count(long long n, int suppress, const char *want)
{
	struct html h;
	char *s;

	html_init(&h);
	html_count(&h, n, suppress);
	s = take(&h);
	assert_string_equal(s, want);
	free(s);
}

/* A whole page for user (NULL: nobody), taken. */
static char *
page(const char *city, const char *title, const struct html_user *user)
{
	struct html h;

	html_init(&h);
	html_page_begin(&h, city, title, user);
	html_raw(&h, "<h1>isi</h1>");
	html_page_end(&h);
	return take(&h);
}

/* Number of times needle appears in s. */
static int
occurrences(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Nothing that runs or loads anything: the CSP would block it anyway. */
static void
assert_inert(const char *s)
{
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<SCRIPT"));
	assert_null(strstr(s, "javascript:"));
	assert_null(strstr(s, " onclick"));
	assert_null(strstr(s, " onload"));
	assert_null(strstr(s, " onsubmit"));
	assert_null(strstr(s, "http:"));
	assert_null(strstr(s, "https:"));
	assert_null(strstr(s, "//"));
	assert_null(strstr(s, "url("));
	assert_null(strstr(s, "@import"));
	assert_null(strstr(s, "@font-face"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "<link"));
}

static void
test_escape_each(void **state)
{
	(void)state;
	assert_escaped("&", "&amp;");
	assert_escaped("<", "&lt;");
	assert_escaped(">", "&gt;");
	assert_escaped("\"", "&quot;");
	assert_escaped("'", "&#39;");
	assert_escaped("&<>\"'", "&amp;&lt;&gt;&quot;&#39;");
	assert_escaped("a & b < c > d \"e\" 'f'",
	    "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
	/* an entity is escaped too, not passed through */
	assert_escaped("&amp;", "&amp;amp;");
	assert_escaped("", "");
	assert_escaped(NULL, "");
	/* plain text and UTF-8 as they are */
	assert_escaped("Pungutan liar (pungli) di Jl. Dhoho no. 5",
	    "Pungutan liar (pungli) di Jl. Dhoho no. 5");
	assert_escaped("caf\xc3\xa9 \xe2\x82\xac 10 \xf0\x9f\x99\x8f",
	    "caf\xc3\xa9 \xe2\x82\xac 10 \xf0\x9f\x99\x8f");
}

static void
test_escape_script(void **state)
{
	struct html h;
	char *s;

	(void)state;
	assert_escaped("<script>alert('x')</script>",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	assert_escaped("\"><script>alert(1)</script>",
	    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_escaped(
	    "' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)");

	/* inside an attribute, the value cannot be left */
	html_init(&h);
	html_raw(&h, "<a title=\"");
	html_text(&h, "x\" onclick=\"alert(1)");
	html_raw(&h, "\">");
	s = take(&h);
	assert_string_equal(s, "<a title=\"x&quot; onclick=&quot;alert(1)\">");
	assert_int_equal(occurrences(s, "\""), 2);
	free(s);
}

static void
test_raw_and_printf(void **state)
{
	struct html h;
	char *s;

	(void)state;
	html_init(&h);
	html_raw(&h, "<p>");
	html_printf(&h, "%d laporan, %s", 12, "<b>terbuka</b>");
	html_raw(&h, NULL);
	html_raw(&h, "</p>");
	s = take(&h);
	assert_string_equal(s, "<p>12 laporan, <b>terbuka</b></p>");
	free(s);
}

static void
test_growth(void **state)
{
	char *big, *s, *want;
	struct html h;
	size_t i, len;

	(void)state;
	/* one printf far larger than the first allocation */
	big = testlib_repeat("", "0123456789", 5000, "");
	html_init(&h);
	html_raw(&h, "x");
	html_printf(&h, "[%s]", big);
	assert_int_equal(h.b.len, 1 + 2 + 50000);
	assert_true(h.b.cap > h.b.len);
	assert_int_equal(h.b.buf[h.b.len], '\0');
	s = take(&h);
	assert_int_equal(strlen(s), 50003);
	assert_memory_equal(s + 2, big, 50000);
	assert_string_equal(s + 50002, "]");
	free(s);

	/* many small writes: every byte where it was put */
	html_init(&h);
	for (i = 0; i < 20000; i++) {
		html_text(&h, "<");
		html_printf(&h, "%zu", i % 10);
		assert_int_equal(h.b.buf[h.b.len], '\0');
	}
	s = html_take(&h, &len);
	assert_non_null(s);
	assert_int_equal(len, 20000 * 5);
	for (i = 0; i < 20000; i++) {
		assert_memory_equal(s + i * 5, "&lt;", 4);
		assert_int_equal(s[i * 5 + 4], (char)('0' + i % 10));
	}
	free(s);

	want = testlib_repeat("", "&amp;", 5000, "");
	html_init(&h);
	for (i = 0; i < 5000; i++)
		html_text(&h, "&");
	s = take(&h);
	assert_string_equal(s, want);
	free(s);
	free(want);
	free(big);
}

static void
test_count(void **state)
{
	static const struct {
		long long n;
		const char *plain, *suppressed;
	} table[] = {
	    {0, "0", "0"},
	    {1, "1", "&lt;5"},
	    {4, "4", "&lt;5"},
	    {5, "5", "5"},
	    {999, "999", "999"},
	    {1000, "1.000", "1.000"},
	    {12345, "12.345", "12.345"},
	    {100000, "100.000", "100.000"},
	    {1234567, "1.234.567", "1.234.567"},
	    {-1, "-1", "-1"},
	    {-4, "-4", "-4"},
	    {-1234, "-1.234", "-1.234"},
	    {9223372036854775807LL, "9.223.372.036.854.775.807",
		"9.223.372.036.854.775.807"},
	    {-9223372036854775807LL - 1, "-9.223.372.036.854.775.808",
		"-9.223.372.036.854.775.808"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(table); i++) {
		assert_count(table[i].n, 0, table[i].plain);
		assert_count(table[i].n, 1, table[i].suppressed);
	}
}

static void
test_csrf(void **state)
{
	struct html h;
	char *s;

	(void)state;
	html_init(&h);
	html_csrf(&h, "abc123_-");
	html_csrf(&h, "a\"b<c>");
	s = take(&h);
	assert_string_equal(s,
	    "<input type=\"hidden\" name=\"csrf\" value=\"abc123_-\">"
	    "<input type=\"hidden\" name=\"csrf\" "
	    "value=\"a&quot;b&lt;c&gt;\">");
	free(s);
}

static void
test_page_anonymous(void **state)
{
	char *s;

	(void)state;
	s = page("Kota <Kediri>", "Masuk & \"daftar\" <script>", NULL);
	assert_int_equal(strncmp(s, ANON_HEAD, strlen(ANON_HEAD)), 0);
	assert_inert(s);
	assert_int_equal(occurrences(s, "<style>"), 1);
	assert_int_equal(occurrences(s, "</style></head><body><header>"), 1);
	assert_non_null(strstr(s, "max-width"));
	assert_non_null(strstr(s, "overflow-x:auto"));
	assert_non_null(strstr(s, "system-ui"));
	assert_non_null(strstr(s, "<header>"));
	assert_non_null(strstr(s, "Hotline Kota &lt;Kediri&gt;</span>"));
	assert_null(strstr(s, "Kota <Kediri>"));
	/* nobody is logged in: no logout form, no token, no role */
	assert_null(strstr(s, "/logout"));
	assert_null(strstr(s, "<form"));
	assert_null(strstr(s, "csrf"));
	assert_null(strstr(s, "Keluar"));
	assert_null(strstr(s, "Wali Kota"));
	/* main holds the page, and the frame closes it */
	assert_non_null(strstr(s, "</header><main><h1>isi</h1>"));
	assert_true(strlen(s) > 21);
	assert_string_equal(s + strlen(s) - 21, "</main></body></html>");
	free(s);

	/* NULL title and city: an empty text, not a crash */
	s = page(NULL, NULL, NULL);
	assert_non_null(strstr(s, "<title> \xc2\xb7 Hotline </title>"));
	free(s);
}

static void
test_page_mayor(void **state)
{
	const struct html_user u = {
	    "Ibu <Wali> & 'co'", "mayor", NULL, "tok\"en&1"};
	char *s;

	(void)state;
	s = page("Kota Kediri", "Dasbor", &u);
	assert_inert(s);
	assert_non_null(strstr(s,
	    "<title>Dasbor \xc2\xb7 Hotline Kota "
	    "Kediri</title>"));
	assert_non_null(strstr(s, "Ibu &lt;Wali&gt; &amp; &#39;co&#39;"));
	assert_null(strstr(s, "<Wali>"));
	assert_non_null(strstr(s, "Wali Kota"));
	assert_int_equal(occurrences(s, LOGOUT_FORM), 1);
	assert_non_null(strstr(s,
	    LOGOUT_FORM "<input type=\"hidden\" name=\"csrf\" "
			"value=\"tok&quot;en&amp;1\"><button "
			"type=\"submit\">Keluar</button></form>"));
	/* the form is in the header, before main */
	assert_true(strstr(s, LOGOUT_FORM) < strstr(s, "</header><main>"));
	assert_string_equal(s + strlen(s) - 21, "</main></body></html>");
	free(s);
}

static void
test_page_opd(void **state)
{
	const struct html_user u = {
	    "Budi", "opd", "Dinas PU & <Tata> Ruang", "t0k3n"};
	char *s;

	(void)state;
	s = page("Kota Kediri", "Laporan", &u);
	assert_inert(s);
	assert_non_null(strstr(s, "Budi"));
	assert_non_null(strstr(s, "Dinas PU &amp; &lt;Tata&gt; Ruang"));
	assert_null(strstr(s, "Wali Kota"));
	assert_non_null(strstr(s,
	    LOGOUT_FORM
	    "<input type=\"hidden\" name=\"csrf\" value=\"t0k3n\">"));
	free(s);
}

static void
test_take(void **state)
{
	struct html h;
	size_t len = 99;
	char *s;

	(void)state;
	/* the content and its length; the buffer is the caller's */
	html_init(&h);
	html_raw(&h, "<p>halo</p>");
	s = html_take(&h, &len);
	assert_string_equal(s, "<p>halo</p>");
	assert_int_equal(len, 11);
	assert_null(h.b.buf);
	assert_int_equal(h.b.len, 0);
	free(s);
	html_free(&h);

	/* nothing written: an empty string, not NULL */
	html_init(&h);
	s = html_take(&h, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);

	/* out of memory: NULL, whatever was written */
	html_init(&h);
	html_raw(&h, "<p>halo</p>");
	html_fail(&h);
	len = 99;
	assert_null(html_take(&h, &len));
	assert_int_equal(len, 0);
	html_free(&h);

	/* once failed, writes change nothing and take stays NULL */
	html_init(&h);
	html_fail(&h);
	html_raw(&h, "a");
	html_text(&h, "<b>");
	html_printf(&h, "%d", 42);
	html_count(&h, 12345, 0);
	html_csrf(&h, "t");
	html_page_begin(&h, "Kota", "Judul", NULL);
	html_page_end(&h);
	assert_null(h.b.buf);
	assert_int_equal(h.b.len, 0);
	assert_null(html_take(&h, NULL));
	html_free(&h);

	/* html_free on a fresh buffer, and twice */
	html_init(&h);
	html_free(&h);
	html_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_each),
	    cmocka_unit_test(test_escape_script),
	    cmocka_unit_test(test_raw_and_printf),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_count),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_page_anonymous),
	    cmocka_unit_test(test_page_mayor),
	    cmocka_unit_test(test_page_opd),
	    cmocka_unit_test(test_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
