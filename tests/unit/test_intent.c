/*
 * test_intent: the reading of a citizen's text in queue/intent.h.  The
 * corpus (tests/intent_corpus.tsv: messages as citizens of Kota Kediri
 * send them, greetings, thanks, questions, pasted receipts and report
 * codes, phone numbers and NIKs, spam, and reports in Indonesian,
 * Javanese, slang and all-caps SMS, each with the intent and question
 * kind a person would give it) is read with config/demo.conf's router:
 * every mismatch and the per-intent accuracy are printed, and every line
 * must agree, with the router's route given as well as without.  Then:
 * the intent names, a receipt's digits and intent_wipe(), a receipt
 * inside content (its bytes in the text), a place alone, and empty or
 * blank text, which must not crash and reads as unclear (it says nothing
 * yet: no thanks to answer, nothing to file).  Run from the repository
 * root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tests/unit/testlib.h"

#include "config/config.h"
#include "queue/intent.h"
#include "queue/router.h"

#define CORPUS	      "tests/intent_corpus.tsv"
#define MIN_CORPUS    170
#define MAX_CORPUS    1024
#define REPORT_PREFIX "KDR"

#define QUESTION_KINDS (QUESTION_OTHER + 1)

/* The name of a reading's intent or question, "?" when out of range. */
static const char *
intent_name(enum intent i)
{
	return (int)i >= 0 && i < INTENT_COUNT && intent_names[i] != NULL
	    ? intent_names[i]
	    : "?";
}

static const char *
question_name(enum question q)
{
	return (int)q >= 0 && q < QUESTION_KINDS ? intent_question_names[q]
						 : "?";
}

/* The index of name in names[0..n), or -1. */
static int
lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* The corpus's names are the metrics' names: each once, none missing. */
static void
test_names(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < INTENT_COUNT; i++) {
		assert_non_null(intent_names[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    intent_names[i], intent_names[j]);
	}
	for (i = 0; i < QUESTION_KINDS; i++)
		assert_non_null(intent_question_names[i]);
}

/*
 * Does reading r agree with the line: its intent, its question kind (none
 * unless a question), and for content whether it says it is another
 * report?
 */
static int
agrees(const struct intent_reading *r, enum intent intent, enum question q,
    int another)
{
	if (r->intent != intent || r->question != q)
		return 0;
	return intent != INTENT_CONTENT || (r->another != 0) == another;
}

static void
test_corpus(void **state)
{
	struct testlib_demo *f = *state;
	char *data = testlib_read_file(CORPUS, NULL);
	char *line, *next, *col[5], *texts[MAX_CORPUS];
	int total[INTENT_COUNT] = {0}, right[INTENT_COUNT] = {0};
	int n = 0, wrong = 0, lineno = 0, ncol, i, j, another;
	struct intent_reading r, rr;
	struct route rt;
	enum intent want;
	enum question wantq;
	size_t len;

	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((len = strlen(line)) > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		ncol = testlib_split_tabs(line, col, 5);
		if (ncol < 3 || ncol > 4)
			fail_msg(CORPUS ":%d: not 3 or 4 fields", lineno);
		if ((i = lookup(intent_names, INTENT_COUNT, col[0])) < 0)
			fail_msg(CORPUS ":%d: no intent '%s'", lineno, col[0]);
		want = (enum intent)i;
		if ((i = lookup(
			 intent_question_names, QUESTION_KINDS, col[1])) < 0)
			fail_msg(
			    CORPUS ":%d: no question '%s'", lineno, col[1]);
		wantq = (enum question)i;
		if ((want == INTENT_QUESTION) != (wantq != QUESTION_NONE))
			fail_msg(CORPUS ":%d: a question kind is for questions"
					" only, and every question has one",
			    lineno);
		another = ncol == 4 && strcmp(col[3], "1") == 0;
		if (ncol == 4 && col[3][0] != '\0' &&
		    (!another || want != INTENT_CONTENT))
			fail_msg(CORPUS ":%d: another is 1 on content or empty",
			    lineno);
		for (j = 0; j < n; j++)
			if (strcasecmp(texts[j], col[2]) == 0)
				fail_msg(CORPUS ":%d: a duplicate: %s", lineno,
				    col[2]);
		if (n == MAX_CORPUS)
			fail_msg(CORPUS ": more than %d lines", MAX_CORPUS);
		texts[n++] = col[2];
		total[want]++;

		intent_read(f->r, REPORT_PREFIX, col[2], NULL, &r);
		if (agrees(&r, want, wantq, another)) {
			right[want]++;
		} else {
			wrong++;
			printf("  " CORPUS ":%d: want %s/%s%s, got %s/%s%s"
			       " (rule %s): %s\n",
			    lineno, intent_names[want],
			    intent_question_names[wantq],
			    another ? " another" : "", intent_name(r.intent),
			    question_name(r.question),
			    r.another ? " another" : "",
			    r.rule != NULL ? r.rule : "none", col[2]);
		}
		/* the router's own route, given, reads the same */
		router_route(f->r, col[2], NULL, &rt);
		intent_read(f->r, REPORT_PREFIX, col[2], &rt, &rr);
		if (rr.intent != r.intent || rr.question != r.question ||
		    rr.another != r.another) {
			wrong++;
			printf("  " CORPUS ":%d: with the route given, got"
			       " %s/%s (rule %s), without %s/%s: %s\n",
			    lineno, intent_name(rr.intent),
			    question_name(rr.question),
			    rr.rule != NULL ? rr.rule : "none",
			    intent_name(r.intent), question_name(r.question),
			    col[2]);
		}
		intent_wipe(&r);
		intent_wipe(&rr);
	}
	printf("intent corpus: %d messages\n", n);
	for (i = 0; i < INTENT_COUNT; i++)
		printf("  %-10s %3d/%-3d = %5.1f%%\n", intent_names[i],
		    right[i], total[i],
		    total[i] > 0 ? 100.0 * right[i] / total[i] : 100.0);
	for (i = j = 0; i < INTENT_COUNT; i++)
		j += right[i];
	printf("  %-10s %3d/%-3d = %5.1f%%\n", "overall", j, n,
	    n > 0 ? 100.0 * j / n : 0.0);
	free(data);
	assert_true(n >= MIN_CORPUS);
	for (i = 0; i < INTENT_COUNT; i++)
		if (total[i] == 0)
			fail_msg(CORPUS ": no %s line", intent_names[i]);
	if (wrong > 0)
		fail_msg(CORPUS ": %d disagreements (listed above)", wrong);
}

/* Every byte of the reading's digits is zero. */
static void
assert_wiped(const struct intent_reading *r)
{
	size_t i;

	for (i = 0; i < sizeof r->digits; i++)
		if (r->digits[i] != '\0')
			fail_msg("digits[%zu] not wiped", i);
}

static void
test_receipt_digits(void **state)
{
	struct testlib_demo *f = *state;
	static const char *const texts[] = {
	    "0504-1719-8719-9948",
	    "0504 1719 8719 9948",
	    "0504171987199948",
	    "cek laporan saya 0504-1719-8719-9948",
	    "nomor bukti 0504.1719.8719.9948",
	    "Kode bukti: 0504-1719-8719-9948 \xf0\x9f\x99\x8f",
	};
	struct intent_reading r;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(texts); i++) {
		intent_read(f->r, REPORT_PREFIX, texts[i], NULL, &r);
		if (r.intent != INTENT_RECEIPT)
			fail_msg("\"%s\": want receipt, got %s (rule %s)",
			    texts[i], intent_name(r.intent),
			    r.rule != NULL ? r.rule : "none");
		assert_non_null(r.rule);
		assert_int_equal(r.question, QUESTION_NONE);
		assert_true(r.has_receipt);
		assert_string_equal(r.digits, "0504171987199948");
		intent_wipe(&r);
		assert_wiped(&r);
	}
}

static void
test_receipt_in_content(void **state)
{
	struct testlib_demo *f = *state;
	static const struct {
		const char *text, *receipt;
	} w[] = {
	    {"saya sudah lapor dengan bukti 0504-1719-8719-9948 tapi "
	     "petugas masih minta uang",
		"0504-1719-8719-9948"},
	    /* at the end of the text */
	    {"petugas masih narik 50rb, nomor bukti saya 0504 1719 8719 9948",
		"0504 1719 8719 9948"},
	    /* at its start, without TAMBAH: a report, not a command */
	    {"0504171987199948 petugas loket masih minta uang rokok 50rb",
		"0504171987199948"},
	};
	struct intent_reading r;
	size_t i, start;

	for (i = 0; i < TESTLIB_COUNT(w); i++) {
		start = (size_t)(strstr(w[i].text, w[i].receipt) - w[i].text);
		intent_read(f->r, REPORT_PREFIX, w[i].text, NULL, &r);
		if (r.intent != INTENT_CONTENT)
			fail_msg("\"%s\": want content, got %s (rule %s)",
			    w[i].text, intent_name(r.intent),
			    r.rule != NULL ? r.rule : "none");
		assert_true(r.has_receipt);
		assert_string_equal(r.digits, "0504171987199948");
		assert_int_equal(r.receipt_start, start);
		assert_int_equal(r.receipt_end, start + strlen(w[i].receipt));
		assert_true(r.receipt_end <= strlen(w[i].text));
		intent_wipe(&r);
		assert_wiped(&r);
	}

	/* content without a receipt has none */
	intent_read(f->r, REPORT_PREFIX,
	    "ptgs kelurahan minta duit 50rb utk ttd KK", NULL, &r);
	assert_int_equal(r.intent, INTENT_CONTENT);
	assert_false(r.has_receipt);
	intent_wipe(&r);
}

static void
test_place(void **state)
{
	struct testlib_demo *f = *state;
	struct intent_reading r;

	/* a kelurahan alone is content, and says so */
	intent_read(f->r, REPORT_PREFIX, "kel. Bandar Lor", NULL, &r);
	assert_int_equal(r.intent, INTENT_CONTENT);
	assert_true(r.names_place);
	assert_false(r.another);
	intent_read(f->r, REPORT_PREFIX, "kec pesantren", NULL, &r);
	assert_int_equal(r.intent, INTENT_CONTENT);
	assert_true(r.names_place);
	/* an amount is content without a place */
	intent_read(f->r, REPORT_PREFIX, "diminta 50rb", NULL, &r);
	assert_int_equal(r.intent, INTENT_CONTENT);
	assert_false(r.names_place);
	/* the category alone opens nothing */
	intent_read(f->r, REPORT_PREFIX, "mau lapor pungli", NULL, &r);
	assert_int_equal(r.intent, INTENT_OPENER);
	assert_false(r.names_place);
}

/*
 * Empty and blank text: no crash, and unclear (nothing to thank for,
 * nothing to file; the caller asks what happened), never content.
 */
static void
test_empty(void **state)
{
	struct testlib_demo *f = *state;
	static const char *const texts[] = {
	    "", " ", "      ", "\n", "\t \r\n "};
	struct intent_reading r;
	size_t i;

	for (i = 0; i < TESTLIB_COUNT(texts); i++) {
		memset(&r, 0xA5, sizeof r);
		intent_read(f->r, REPORT_PREFIX, texts[i], NULL, &r);
		if (r.intent != INTENT_UNCLEAR)
			fail_msg("text %zu: want unclear, got %s", i,
			    intent_name(r.intent));
		assert_non_null(r.rule);
		assert_int_equal(r.question, QUESTION_NONE);
		assert_false(r.another);
		assert_false(r.names_place);
		assert_false(r.has_receipt);
		intent_wipe(&r);
		assert_wiped(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_receipt_digits),
	    cmocka_unit_test(test_receipt_in_content),
	    cmocka_unit_test(test_place),
	    cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(
	    tests, testlib_demo_setup, testlib_demo_teardown);
}
