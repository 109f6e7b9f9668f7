/*
 * test_svg: web/svg.c, the charts.  Bars: widths read back from the
 * rects' width attributes (the largest value the full width, half of it
 * half, 0 nothing, all empty when the largest is 0, NaN, infinities and
 * negative values counted as 0), labels, titles and shown texts escaped
 * ("<5" as &lt;5), values written with thousands dots when there is no
 * shown text, long labels cut at a code point with "…" and the output
 * still valid UTF-8, "belum ada data" for no bars.  Columns: heights read
 * back the same way, the largest value on the axis, every label when they
 * fit and every k-th (evenly, never two too close) when they do not.  For
 * all: balanced tags, no script, the same bytes for the same input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testlib.h"

#include "lib/utf8.h"
#include "web/svg.h"

#define EMPTY	 "<p class=\"empty\">belum ada data</p>"
#define ELLIPSIS "\xe2\x80\xa6"
#define MAX_RECT 512

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

/*
 * Tags open and closed in pairs, no script, valid UTF-8: well-formed
 * enough for an HTML page.
 */
static void
assert_well_formed(const char *s)
{
	assert_int_equal(occurrences(s, "<svg"), occurrences(s, "</svg>"));
	assert_int_equal(occurrences(s, "<text"), occurrences(s, "</text>"));
	assert_int_equal(occurrences(s, "<title>"), occurrences(s, "</title>"));
	assert_int_equal(occurrences(s, "<rect"), occurrences(s, "</rect>"));
	assert_int_equal(occurrences(s, "<g>"), occurrences(s, "</g>"));
	assert_int_equal(occurrences(s, "<line"), occurrences(s, "</line>"));
	assert_int_equal(occurrences(s, "<"), occurrences(s, ">"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "http"));
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	assert_null(strstr(s, "-0.0"));
	assert_true(utf8_valid(s));
}

static char *
bars(const char *title, const struct svg_bar *b, size_t n)
{
	struct html h;
	char *s;

	html_init(&h);
	svg_bars(&h, title, b, n);
	s = html_take(&h, NULL);
	assert_non_null(s);
	assert_well_formed(s);
	return s;
}

static char *
columns(const char *title, const char *const *labels, const double *values,
    size_t n)
{
	struct html h;
	char *s;

	html_init(&h);
	svg_columns(&h, title, labels, values, n);
	s = html_take(&h, NULL);
	assert_non_null(s);
	assert_well_formed(s);
	return s;
}

/*
 * The attribute attr (e.g. " width=\"") of each <rect in s, in order, into
 * v: their number.
 */
static size_t
rect_attrs(const char *s, const char *attr, double *v, size_t max)
{
	const char *end, *a;
	size_t n = 0;

	while ((s = strstr(s, "<rect")) != NULL) {
		end = strchr(s, '>');
		assert_non_null(end);
		a = strstr(s, attr);
		assert_non_null(a);
		assert_true(a < end);
		assert_true(n < max);
		v[n++] = strtod(a + strlen(attr), NULL);
		s = end;
	}
	return n;
}

/* The texts of the <text class="label" ...> elements of s, in order. */
static size_t
labels_shown(const char *s, char out[][32], size_t max)
{
	const char *p, *q;
	size_t n = 0;

	while ((s = strstr(s, "<text class=\"label\"")) != NULL) {
		p = strchr(s, '>') + 1;
		q = strstr(p, "</text>");
		assert_non_null(q);
		assert_true(n < max);
		assert_true((size_t)(q - p) < 32);
		memcpy(out[n], p, (size_t)(q - p));
		out[n][q - p] = '\0';
		n++;
		s = q;
	}
	return n;
}

/* The x attributes of the label texts of s, in order. */
static size_t
labels_x(const char *s, double *x, size_t max)
{
	size_t n = 0;

	while ((s = strstr(s, "<text class=\"label\" x=\"")) != NULL) {
		assert_true(n < max);
		s += strlen("<text class=\"label\" x=\"");
		x[n++] = strtod(s, NULL);
	}
	return n;
}

static void
test_bars_proportional(void **state)
{
	const struct svg_bar b[] = {
	    {"Dishub", 50, NULL},
	    {"Dinas PUPR", 100, NULL},
	    {"Satpol PP", 25, NULL},
	    {"Inspektorat", 0, NULL},
	    {"Disdik", 75, NULL},
	};
	double w[MAX_RECT];
	char *s;

	(void)state;
	s = bars("Laporan per OPD", b, TESTLIB_COUNT(b));
	assert_int_equal(rect_attrs(s, " width=\"", w, MAX_RECT), 5);
	/* the largest bar the full width, the others in proportion */
	assert_true(w[1] > 100);
	assert_float_equal(w[0], w[1] / 2, 0.051);
	assert_float_equal(w[2], w[1] / 4, 0.051);
	assert_float_equal(w[3], 0, 0);
	assert_float_equal(w[4], w[1] * 3 / 4, 0.051);
	/* in order, with their labels and values */
	assert_non_null(strstr(s,
	    "<svg class=\"chart bars\" role=\"img\" "
	    "aria-label=\"Laporan per OPD\" viewBox=\"0 0 "));
	assert_non_null(strstr(s, "<title>Laporan per OPD</title>"));
	assert_true(strstr(s, "Dishub") < strstr(s, "Dinas PUPR"));
	assert_true(strstr(s, "Dinas PUPR") < strstr(s, "Satpol PP"));
	assert_non_null(strstr(s, ">100</text>"));
	assert_non_null(strstr(s, ">0</text>"));
	free(s);

	/* the same with the largest first and a fraction: same widths */
	{
		const struct svg_bar c[] = {
		    {"a", 1e9, NULL}, {"b", 5e8, NULL}, {"c", 1, NULL}};
		s = bars("x", c, 3);
		assert_int_equal(rect_attrs(s, " width=\"", w, MAX_RECT), 3);
		assert_float_equal(w[1], w[0] / 2, 0.051);
		assert_float_equal(w[2], 0, 0);
		assert_non_null(strstr(s, ">1.000.000.000</text>"));
		free(s);
	}
}

static void
test_bars_zero_and_nonfinite(void **state)
{
	const struct svg_bar zero[] = {{"a", 0, NULL}, {"b", 0, "0"}};
	const struct svg_bar odd[] = {
	    {"NaN", NAN, NULL},
	    {"neg", -5, NULL},
	    {"Inf", INFINITY, NULL},
	    {"-Inf", -INFINITY, NULL},
	    {"ten", 10, NULL},
	    {"five", 5, NULL},
	};
	double w[MAX_RECT];
	char *s;

	(void)state;
	/* the largest is 0: every bar empty */
	s = bars("Nol", zero, 2);
	assert_int_equal(rect_attrs(s, " width=\"", w, MAX_RECT), 2);
	assert_float_equal(w[0], 0, 0);
	assert_float_equal(w[1], 0, 0);
	free(s);

	/* NaN, infinities and negatives count as 0 */
	s = bars("Aneh", odd, TESTLIB_COUNT(odd));
	assert_int_equal(rect_attrs(s, " width=\"", w, MAX_RECT), 6);
	assert_float_equal(w[0], 0, 0);
	assert_float_equal(w[1], 0, 0);
	assert_float_equal(w[2], 0, 0);
	assert_float_equal(w[3], 0, 0);
	assert_true(w[4] > 100);
	assert_float_equal(w[5], w[4] / 2, 0.051);
	assert_null(strstr(s, "-5"));
	free(s);
}

static void
test_bars_escaped(void **state)
{
	const struct svg_bar b[] = {
	    {"<script>alert(1)</script>", 3, "<5"},
	    {"Dinas \"PU\" & 'Tata'", 12, NULL},
	    {"Bagian Umum", 7, "3,5 hari"},
	};
	char *s;

	(void)state;
	s = bars("Per <OPD> & \"kategori\"", b, TESTLIB_COUNT(b));
	assert_non_null(strstr(s,
	    "aria-label=\"Per &lt;OPD&gt; &amp; "
	    "&quot;kategori&quot;\""));
	assert_non_null(strstr(s,
	    "<title>Per &lt;OPD&gt; &amp; &quot;kategori&quot;"
	    "</title>"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "Dinas &quot;PU&quot; &amp; &#39;Tata&#39;"));
	/* the shown text as given, escaped, instead of the value */
	assert_non_null(strstr(s, ">&lt;5</text>"));
	assert_null(strstr(s, "<5"));
	assert_null(strstr(s, ">3</text>"));
	assert_non_null(strstr(s, ">12</text>"));
	assert_non_null(strstr(s, ">3,5 hari</text>"));
	free(s);
}

static void
test_bars_long_labels(void **state)
{
	char *e, *euro, *emoji, *ascii, *s;
	struct svg_bar b[4];
	size_t i;

	(void)state;
	e = testlib_repeat("", "\xc3\xa9", 60, "");	   /* é */
	euro = testlib_repeat("", "\xe2\x82\xac", 60, ""); /* € */
	emoji = testlib_repeat("", "\xf0\x9f\x99\x8f", 60, "");
	ascii = testlib_repeat("Dinas ", "&", 60, "");
	b[0] = (struct svg_bar){e, 1, NULL};
	b[1] = (struct svg_bar){euro, 2, euro};
	b[2] = (struct svg_bar){emoji, 3, NULL};
	b[3] = (struct svg_bar){ascii, 4, NULL};
	s = bars("Panjang", b, 4);
	/* cut with "…", never inside a character (valid UTF-8 checked) */
	assert_true(occurrences(s, ELLIPSIS) >= 5);
	/* the full labels are still there, in the tooltips */
	for (i = 0; i < 3; i++)
		assert_non_null(strstr(s, b[i].label));
	assert_int_equal(occurrences(s, e), 1);
	/* a cut label does not end in half an entity */
	assert_null(strstr(s, "&am" ELLIPSIS));
	assert_null(strstr(s, "&" ELLIPSIS));
	free(s);

	/* short labels as they are, no ellipsis */
	b[0] = (struct svg_bar){"Kelurahan Bandar Lor", 1, NULL};
	s = bars("Pendek", b, 1);
	assert_null(strstr(s, ELLIPSIS));
	assert_int_equal(occurrences(s, "Kelurahan Bandar Lor"), 2);
	free(s);
	free(e);
	free(euro);
	free(emoji);
	free(ascii);
}

static void
test_bars_empty(void **state)
{
	const struct svg_bar b[] = {{"a", 1, NULL}};
	char *s;

	(void)state;
	s = bars("Kosong", b, 0);
	assert_string_equal(s, EMPTY);
	free(s);
	s = bars("Kosong", NULL, 0);
	assert_string_equal(s, EMPTY);
	free(s);
}

static void
test_columns_heights(void **state)
{
	const char *const labels[] = {"Jan", "Feb", "Mar", "Apr", "Mei"};
	const double values[] = {10, 5, 0, 20, 15};
	double hgt[MAX_RECT], y[MAX_RECT];
	char shown[16][32];
	char *s;
	size_t i;

	(void)state;
	s = columns("Laporan per bulan", labels, values, 5);
	assert_non_null(strstr(s,
	    "<svg class=\"chart columns\" role=\"img\" "
	    "aria-label=\"Laporan per bulan\" "));
	assert_non_null(strstr(s, "<title>Laporan per bulan</title>"));
	assert_int_equal(rect_attrs(s, " height=\"", hgt, MAX_RECT), 5);
	assert_true(hgt[3] > 100);
	assert_float_equal(hgt[0], hgt[3] / 2, 0.051);
	assert_float_equal(hgt[1], hgt[3] / 4, 0.051);
	assert_float_equal(hgt[2], 0, 0);
	assert_float_equal(hgt[4], hgt[3] * 3 / 4, 0.051);
	/* every column stands on the same baseline */
	assert_int_equal(rect_attrs(s, " y=\"", y, MAX_RECT), 5);
	for (i = 0; i < 5; i++)
		assert_float_equal(y[i] + hgt[i], y[3] + hgt[3], 0.051);
	/* the largest value on the axis, and 0 */
	assert_non_null(strstr(s, "text-anchor=\"end\">20</text>"));
	assert_non_null(strstr(s, "text-anchor=\"end\">0</text>"));
	/* five short labels fit: all of them, in order */
	assert_int_equal(labels_shown(s, shown, 16), 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(shown[i], labels[i]);
	free(s);
}

static void
test_columns_odd_values(void **state)
{
	const char *const labels[] = {"a", NULL, "<b>", "d", "e"};
	const double values[] = {NAN, -3, INFINITY, 1234.5, 0.25};
	double hgt[MAX_RECT];
	char *s;

	(void)state;
	s = columns("Rata-rata \"hari\"", labels, values, 5);
	assert_non_null(strstr(s, "aria-label=\"Rata-rata &quot;hari&quot;\""));
	assert_int_equal(rect_attrs(s, " height=\"", hgt, MAX_RECT), 5);
	assert_float_equal(hgt[0], 0, 0);
	assert_float_equal(hgt[1], 0, 0);
	assert_float_equal(hgt[2], 0, 0);
	assert_true(hgt[3] > 100);
	/* a fraction written the Indonesian way */
	assert_non_null(strstr(s, "text-anchor=\"end\">1.234,5</text>"));
	assert_non_null(strstr(s, "&lt;b&gt;"));
	assert_null(strstr(s, "<b>"));
	free(s);

	/* all zero: flat columns, 0 at the top of the axis too */
	{
		const double zero[] = {0, 0, 0};
		s = columns("Nol", labels, zero, 3);
		assert_int_equal(rect_attrs(s, " height=\"", hgt, MAX_RECT), 3);
		assert_float_equal(hgt[0], 0, 0);
		assert_float_equal(hgt[2], 0, 0);
		free(s);
	}

	/* no labels at all */
	s = columns("Tanpa label", NULL, values + 3, 2);
	assert_int_equal(rect_attrs(s, " height=\"", hgt, MAX_RECT), 2);
	assert_int_equal(occurrences(s, "class=\"label\""), 0);
	free(s);
}

static void
test_columns_many_labels(void **state)
{
	static char names[365][16];
	const char *labels[365];
	double values[365], hgt[MAX_RECT], x[365];
	char shown[365][32];
	size_t i, n, k;
	char *s;

	(void)state;
	for (i = 0; i < 365; i++) {
		snprintf(names[i], sizeof names[i], "%02zu-%02zu-2026",
		    i % 28 + 1, i / 28 + 1);
		labels[i] = names[i];
		values[i] = (double)(i % 7);
	}
	s = columns("Laporan per hari", labels, values, 365);
	assert_int_equal(rect_attrs(s, " height=\"", hgt, MAX_RECT), 365);
	/* some labels, not all, every k-th from the first */
	n = labels_shown(s, shown, 365);
	assert_true(n >= 2);
	assert_true(n <= 10);
	assert_string_equal(shown[0], labels[0]);
	for (k = 1; k < 365; k++)
		if (strcmp(shown[1], labels[k]) == 0)
			break;
	assert_true(k > 1 && k < 365);
	for (i = 0; i < n; i++)
		assert_string_equal(shown[i], labels[i * k]);
	assert_true(n * k >= 365 - k);
	/* never closer than a label's width (10 characters) */
	assert_int_equal(labels_x(s, x, 365), n);
	for (i = 1; i < n; i++)
		assert_true(x[i] - x[i - 1] >= 10 * 6);
	free(s);

	/* 12 months of a year: short labels, all of them */
	{
		static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
		    "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
		s = columns("Per bulan", months, values, 12);
		assert_int_equal(labels_shown(s, shown, 365), 12);
		free(s);
	}
}

static void
test_columns_empty(void **state)
{
	const char *const labels[] = {"a"};
	const double values[] = {1};
	char *s;

	(void)state;
	s = columns("Kosong", labels, values, 0);
	assert_string_equal(s, EMPTY);
	free(s);
	s = columns("Kosong", NULL, NULL, 0);
	assert_string_equal(s, EMPTY);
	free(s);
}

static void
test_deterministic(void **state)
{
	const struct svg_bar b[] = {
	    {"Dishub", 1.0 / 3, NULL}, {"PUPR", 2.0 / 3, "<5"}, {"x", 1, NULL}};
	const char *const labels[] = {"a", "b", "c"};
	const double values[] = {1.0 / 3, 2.0 / 7, 1e-9};
	char *a, *b2;

	(void)state;
	a = bars("T", b, 3);
	b2 = bars("T", b, 3);
	assert_string_equal(a, b2);
	free(a);
	free(b2);
	a = columns("T", labels, values, 3);
	b2 = columns("T", labels, values, 3);
	assert_string_equal(a, b2);
	free(a);
	free(b2);
}

static void
test_appends(void **state)
{
	const struct svg_bar b[] = {{"a", 1, NULL}};
	const double values[] = {1, 2};
	struct html h;
	char *s;

	(void)state;
	/* two charts on one page: both complete, after what was there */
	html_init(&h);
	html_raw(&h, "<h2>Satu</h2>");
	svg_bars(&h, "Satu", b, 1);
	html_raw(&h, "<h2>Dua</h2>");
	svg_columns(&h, "Dua", NULL, values, 2);
	s = html_take(&h, NULL);
	assert_non_null(s);
	assert_well_formed(s);
	assert_int_equal(strncmp(s, "<h2>Satu</h2><svg ", 18), 0);
	assert_non_null(strstr(s, "</svg><h2>Dua</h2><svg "));
	assert_string_equal(s + strlen(s) - 6, "</svg>");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bars_proportional),
	    cmocka_unit_test(test_bars_zero_and_nonfinite),
	    cmocka_unit_test(test_bars_escaped),
	    cmocka_unit_test(test_bars_long_labels),
	    cmocka_unit_test(test_bars_empty),
	    cmocka_unit_test(test_columns_heights),
	    cmocka_unit_test(test_columns_odd_values),
	    cmocka_unit_test(test_columns_many_labels),
	    cmocka_unit_test(test_columns_empty),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_appends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
