/*
 * Unit tests of queue/dialogue.c and queue/senders.c, with a fake clock.
 * Each script is one sender's messages, each with its time (seconds after
 * T0), the intent it was read as, and what the dialogue must do: the
 * action, the reply and the kind of note.  The scripts cover the merge
 * window (reset by each note, capped at merge_max), "ada lagi" and a new
 * story after the window, the place wait and all its outcomes, openers
 * answered once, courtesy thanked once per report, questions, spam,
 * numbers, codes and receipts, media and pins, and the same text within
 * and after 24 hours.  Then the senders' table: one state per tag,
 * forgetting a report the writer could not store, following a code the
 * writer drew again, the words kept for routing again, media held for a
 * report yet to come, and a full table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "queue/dialogue.h"
#include "queue/senders.h"
#include "tests/unit/testlib.h"

#define T0	 1795314600
#define WINDOW	 180
#define MAXIMUM	 900
#define PLACE	 1800
#define NOTHING	 TEMPLATE_COUNT
#define MAX_STEP 12

/* One message of a script. */
struct step {
	long at; /* seconds after T0 */
	enum intent intent;
	int flags; /* F_* */
	int text;  /* which text (the same number: the same words) */
	enum dialogue_action action;
	enum template_id reply;
	const char *note; /* the note's kind, NULL when none */
};

#define F_PLACE	  0x01	/* the text names a place */
#define F_ANSWER  0x02	/* read as the answer to "where?", names a place */
#define F_ACCUSES 0x04	/* it names an offence or an office */
#define F_ANOTHER 0x08	/* content that says it is a new report */
#define F_PIN	  0x10	/* a location pin */
#define F_MEDIA	  0x20	/* a photo without a caption */
#define F_STAFF	  0x40	/* a head's command word */
#define F_ASK	  0x80	/* FILE: no place named, the place is asked */
#define F_DETAIL  0x100 /* says when or who ("senin kemarin") */
#define F_HELD	  0x200 /* expected: the media is held for a report */

struct script {
	const char *name;
	struct step steps[MAX_STEP];
};

/* Content, filed: with its place, or asking for it. */
#define FILE_(t, text)                                                         \
	{                                                                      \
		(t), INTENT_CONTENT, F_PLACE | F_ACCUSES, (text),              \
		    DIALOGUE_FILE, NOTHING, NULL                               \
	}
#define FILE_ASK(t, text)                                                      \
	{                                                                      \
		(t), INTENT_CONTENT, F_ACCUSES | F_ASK, (text), DIALOGUE_FILE, \
		    NOTHING, NULL                                              \
	}
#define MERGED(t, text)                                                        \
	{                                                                      \
		(t), INTENT_CONTENT, F_ACCUSES, (text), DIALOGUE_NOTE,         \
		    TEMPLATE_MERGED, "addition"                                \
	}
#define SAID(t, intent, action, reply)                                         \
	{                                                                      \
		(t), (intent), 0, 0, (action), (reply), NULL                   \
	}

static const struct script scripts[] = {
    {"one story over four messages, then a new one after the window",
	{
	    SAID(0, INTENT_OPENER, DIALOGUE_REPLY, TEMPLATE_WELCOME),
	    SAID(20, INTENT_OPENER, DIALOGUE_NOTHING, NOTHING),
	    FILE_ASK(40, 1),
	    MERGED(100, 2),
	    /* names the place the report lacked: the wait ends */
	    {200, INTENT_CONTENT, F_ACCUSES | F_PLACE, 3, DIALOGUE_NOTE,
		TEMPLATE_PLACE_ADDED, "addition"},
	    /* "kejadiannya senin kemarin": a detail, part of the story */
	    {379, INTENT_UNCLEAR, F_DETAIL, 4, DIALOGUE_NOTE, TEMPLATE_MERGED,
		"addition"},
	    /* 379 + 180: the window has closed; a detail alone is nothing */
	    {559, INTENT_UNCLEAR, F_DETAIL, 6, DIALOGUE_NOTHING, NOTHING, NULL},
	    FILE_(560, 5),
	}},
    {"each note resets the window, up to merge_max",
	{
	    FILE_(0, 1),
	    MERGED(170, 2),
	    MERGED(340, 3),
	    MERGED(510, 4),
	    MERGED(680, 5),
	    MERGED(850, 6),
	    MERGED(899, 7),
	    FILE_(900, 8),
	}},
    {"ada lagi: the next story is a new report, even in the window",
	{
	    FILE_(0, 1),
	    SAID(10, INTENT_ANOTHER, DIALOGUE_REPLY, TEMPLATE_NEXT_REPORT),
	    FILE_(20, 2),
	    MERGED(30, 3),
	    {40, INTENT_CONTENT, F_ACCUSES | F_ANOTHER, 4, DIALOGUE_FILE,
		NOTHING, NULL},
	}},
    {"the place wait: unclear is asked again once, then no more",
	{
	    FILE_ASK(0, 1),
	    SAID(
		400, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_ASK_PLACE_AGAIN),
	    SAID(500, INTENT_UNCLEAR, DIALOGUE_NOTHING, NOTHING),
	    SAID(600, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_THANKS),
	    SAID(700, INTENT_COURTESY, DIALOGUE_NOTHING, NOTHING),
	    SAID(800, INTENT_DECLINE, DIALOGUE_NOTHING, NOTHING),
	}},
    {"the place wait: declined, never asked again",
	{
	    FILE_ASK(0, 1),
	    SAID(30, INTENT_DECLINE, DIALOGUE_REPLY, TEMPLATE_NO_PLACE),
	    SAID(400, INTENT_UNCLEAR, DIALOGUE_NOTHING, NOTHING),
	    SAID(410, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_THANKS),
	}},
    {"the place wait: a bare place name answers, after a question",
	{
	    FILE_ASK(0, 1),
	    {30, INTENT_QUESTION, 0, 0, DIALOGUE_REPLY, TEMPLATE_ANSWER_SAFE,
		NULL},
	    SAID(40, INTENT_RECEIPT, DIALOGUE_COMMAND, NOTHING),
	    {600, INTENT_UNCLEAR, F_ANSWER, 2, DIALOGUE_NOTE,
		TEMPLATE_PLACE_ADDED, "place"},
	    SAID(700, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_THANKS),
	}},
    {"the place wait: a place after the window is a place, not a report",
	{
	    FILE_ASK(0, 1),
	    {900, INTENT_CONTENT, F_PLACE | F_ANSWER, 2, DIALOGUE_NOTE,
		TEMPLATE_PLACE_ADDED, "place"},
	    /* a story of its own with its place, after the window: new */
	    FILE_(1000, 3),
	}},
    {"the place wait: a pin answers; a pin far away asks again",
	{
	    FILE_ASK(0, 1),
	    {10, INTENT_COURTESY, F_PIN, 0, DIALOGUE_REPLY,
		TEMPLATE_ASK_PLACE_AGAIN, NULL},
	    {20, INTENT_COURTESY, F_PIN | F_ANSWER, 0, DIALOGUE_NOTE,
		TEMPLATE_PLACE_ADDED, "location"},
	}},
    {"the place wait ends after place_wait",
	{
	    FILE_ASK(0, 1),
	    SAID(PLACE, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_THANKS),
	    {PLACE + 10, INTENT_UNCLEAR, F_ANSWER, 2, DIALOGUE_NOTHING, NOTHING,
		NULL},
	}},
    {"openers: instructions once per merge_max, none while a report is open",
	{
	    SAID(0, INTENT_OPENER, DIALOGUE_REPLY, TEMPLATE_WELCOME),
	    SAID(60, INTENT_UNCLEAR, DIALOGUE_NOTHING, NOTHING),
	    SAID(MAXIMUM, INTENT_OPENER, DIALOGUE_REPLY, TEMPLATE_WELCOME),
	    FILE_(MAXIMUM + 10, 1),
	    SAID(MAXIMUM + 20, INTENT_OPENER, DIALOGUE_NOTHING, NOTHING),
	    /* later, maybe a new story: the instructions again, once */
	    SAID(3 * MAXIMUM, INTENT_OPENER, DIALOGUE_REPLY, TEMPLATE_WELCOME),
	    SAID(3 * MAXIMUM + 60, INTENT_OPENER, DIALOGUE_NOTHING, NOTHING),
	    SAID(3 * MAXIMUM + 70, INTENT_UNCLEAR, DIALOGUE_NOTHING, NOTHING),
	}},
    {"courtesy: nothing to thank for gets the instructions",
	{
	    SAID(0, INTENT_COURTESY, DIALOGUE_REPLY, TEMPLATE_WELCOME),
	    SAID(10, INTENT_COURTESY, DIALOGUE_NOTHING, NOTHING),
	}},
    {"the same words within a day are already received",
	{
	    FILE_(0, 1),
	    {3600, INTENT_CONTENT, F_ACCUSES | F_PLACE, 1, DIALOGUE_REPLY,
		TEMPLATE_DUPLICATE, NULL},
	    /* in the window, too: not a note of itself */
	    FILE_(3700, 2),
	    {3710, INTENT_CONTENT, F_ACCUSES, 2, DIALOGUE_REPLY,
		TEMPLATE_DUPLICATE, NULL},
	    FILE_(86400, 1),
	}},
    {"what is never a report",
	{
	    SAID(0, INTENT_SPAM, DIALOGUE_NOTHING, NOTHING),
	    SAID(1, INTENT_NUMBER, DIALOGUE_REPLY, TEMPLATE_NO_NUMBER),
	    SAID(2, INTENT_CODE, DIALOGUE_REPLY, TEMPLATE_CODE_NOT_RECEIPT),
	    SAID(3, INTENT_COMMAND, DIALOGUE_COMMAND, NOTHING),
	    {4, INTENT_COMMAND, F_STAFF, 0, DIALOGUE_REPLY, TEMPLATE_STAFF_ONLY,
		NULL},
	    {5, INTENT_QUESTION, 0, 0, DIALOGUE_REPLY, TEMPLATE_ANSWER_SAFE,
		NULL},
	    SAID(6, INTENT_ANOTHER, DIALOGUE_REPLY, TEMPLATE_NEXT_REPORT),
	}},
    {"a photo without a caption joins the open report, or waits for one",
	{
	    /* a photo first: held for the report the story files */
	    {0, INTENT_COURTESY, F_MEDIA | F_HELD, 0, DIALOGUE_REPLY,
		TEMPLATE_WELCOME, NULL},
	    FILE_(10, 1),
	    {20, INTENT_COURTESY, F_MEDIA, 0, DIALOGUE_NOTE, TEMPLATE_MERGED,
		"media"},
	    {30, INTENT_COURTESY, F_PIN, 0, DIALOGUE_NOTE, TEMPLATE_MERGED,
		"location"},
	    /* a lone photo later: how to report, once */
	    {1000, INTENT_COURTESY, F_MEDIA | F_HELD, 0, DIALOGUE_REPLY,
		TEMPLATE_WELCOME, NULL},
	    {1010, INTENT_COURTESY, F_MEDIA | F_HELD, 0, DIALOGUE_NOTHING,
		NOTHING, NULL},
	}},
};

static struct config *
conversation_config(void)
{
	static struct config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.server.city = "Kota Kediri";
	cfg.conversation.merge_window = WINDOW;
	cfg.conversation.merge_max = MAXIMUM;
	cfg.conversation.place_wait = PLACE;
	return &cfg;
}

static void
run_script(const struct config *cfg, const struct script *sc)
{
	struct dialogue_state st;
	struct intent_reading r;
	struct dialogue_input in;
	struct dialogue_turn turn;
	char code[STORE_CODE_MAX];
	size_t i;
	int filed = 0;

	memset(&st, 0, sizeof st);
	for (i = 0; i < MAX_STEP && (i == 0 || sc->steps[i].at != 0); i++) {
		const struct step *s = &sc->steps[i];
		time_t now = T0 + s->at;

		memset(&r, 0, sizeof r);
		memset(&in, 0, sizeof in);
		r.intent = s->intent;
		r.question = s->intent == INTENT_QUESTION ? QUESTION_SAFE
							  : QUESTION_NONE;
		r.names_place = (s->flags & F_PLACE) != 0;
		r.accuses = (s->flags & F_ACCUSES) != 0;
		r.another = (s->flags & F_ANOTHER) != 0;
		r.staff_command = (s->flags & F_STAFF) != 0;
		r.detail = (s->flags & F_DETAIL) != 0;
		in.reading = &r;
		in.pin = (s->flags & F_PIN) != 0;
		in.media = (s->flags & F_MEDIA) != 0;
		in.answers_place = (s->flags & F_ANSWER) != 0;
		in.text_hash[0] = (unsigned char)s->text;
		dialogue_turn(cfg, &st, &in, now, &turn);
		if (turn.action != s->action || turn.reply != s->reply ||
		    (s->note == NULL) != (turn.note_kind == NULL) ||
		    (s->note != NULL && strcmp(s->note, turn.note_kind) != 0))
			fail_msg("%s, step %zu (at %ld): want action %d reply "
				 "%s note %s, got action %d reply %s note %s",
			    sc->name, i, s->at, s->action,
			    s->reply < TEMPLATE_COUNT
				? config_template_names[s->reply]
				: "none",
			    s->note ? s->note : "none", turn.action,
			    turn.reply < TEMPLATE_COUNT
				? config_template_names[turn.reply]
				: "none",
			    turn.note_kind ? turn.note_kind : "none");
		/* a reply about a report names it */
		if (turn.reply == TEMPLATE_MERGED ||
		    turn.reply == TEMPLATE_THANKS ||
		    turn.reply == TEMPLATE_DUPLICATE ||
		    turn.reply == TEMPLATE_NO_PLACE)
			assert_true(turn.code != NULL &&
			    strncmp(turn.code, "KDR-", 4) == 0);
		if (turn.hold != ((s->flags & F_HELD) != 0))
			fail_msg("%s, step %zu: want hold %d, got %d", sc->name,
			    i, (s->flags & F_HELD) != 0, turn.hold);
		if (turn.hold)
			assert_int_equal(st.held_until, now + WINDOW);
		if (turn.action == DIALOGUE_FILE) {
			snprintf(code, sizeof code, "KDR-%06d", ++filed);
			dialogue_filed(cfg, &st, code, in.text_hash,
			    (s->flags & F_ASK) != 0, now);
			assert_int_equal(st.held_until, 0);
		}
		if (turn.action == DIALOGUE_NOTE)
			assert_string_equal(turn.code, st.code);
	}
}

static void
test_scripts(void **state)
{
	const struct config *cfg = conversation_config();
	size_t i;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(scripts); i++)
		run_script(cfg, &scripts[i]);
}

/* The duplicate names the report the words went to, not the last one. */
static void
test_duplicate_names_its_report(void **state)
{
	const struct config *cfg = conversation_config();
	struct dialogue_state st;
	struct intent_reading r = {.intent = INTENT_CONTENT, .accuses = 1};
	struct dialogue_input in = {.reading = &r};
	struct dialogue_turn turn;
	unsigned char one[MEMKEY_TAG_BYTES] = {1}, two[MEMKEY_TAG_BYTES] = {2};

	(void)state;
	memset(&st, 0, sizeof st);
	dialogue_filed(cfg, &st, "KDR-AAAAAA", one, 0, T0);
	dialogue_filed(cfg, &st, "KDR-BBBBBB", two, 0, T0 + 1000);
	memcpy(in.text_hash, one, sizeof one);
	dialogue_turn(cfg, &st, &in, T0 + 2000, &turn);
	assert_int_equal(turn.reply, TEMPLATE_DUPLICATE);
	assert_string_equal(turn.code, "KDR-AAAAAA");
}

/* Nothing is kept of a sender longer than there is a use for it. */
static void
test_live(void **state)
{
	const struct config *cfg = conversation_config();
	struct dialogue_state st;
	unsigned char hash[MEMKEY_TAG_BYTES] = {7};

	(void)state;
	memset(&st, 0, sizeof st);
	assert_false(dialogue_live(&st, T0));
	dialogue_filed(cfg, &st, "KDR-AAAAAA", hash, 1, T0);
	assert_true(dialogue_live(&st, T0 + DIALOGUE_SAME_TEXT - 1));
	assert_false(dialogue_live(&st, T0 + DIALOGUE_SAME_TEXT));
}

/* A window of 0s: every story is a report of its own. */
static void
test_no_window(void **state)
{
	struct config *cfg = conversation_config();
	struct dialogue_state st;
	struct intent_reading r = {.intent = INTENT_CONTENT, .accuses = 1};
	struct dialogue_input in = {.reading = &r};
	struct dialogue_turn turn;

	(void)state;
	cfg->conversation.merge_window = 0;
	memset(&st, 0, sizeof st);
	in.text_hash[0] = 1;
	dialogue_turn(cfg, &st, &in, T0, &turn);
	assert_int_equal(turn.action, DIALOGUE_FILE);
	dialogue_filed(cfg, &st, "KDR-AAAAAA", in.text_hash, 0, T0);
	in.text_hash[0] = 2;
	dialogue_turn(cfg, &st, &in, T0, &turn);
	assert_int_equal(turn.action, DIALOGUE_FILE);
}

/* --- the senders' table ------------------------------------------------ */

static void
test_senders_one_state_a_tag(void **state)
{
	struct senders *t = senders_new();
	unsigned char a[MEMKEY_TAG_BYTES], b[MEMKEY_TAG_BYTES];
	struct dialogue_state *sa, *sb;

	(void)state;
	assert_non_null(t);
	testlib_tag(1, a);
	testlib_tag(2, b);
	senders_lock(t);
	sa = senders_find(t, a, T0);
	snprintf(sa->code, sizeof sa->code, "KDR-AAAAAA");
	sa->window_until = T0 + WINDOW;
	sa->opened = T0;
	sb = senders_find(t, b, T0);
	assert_ptr_not_equal(sa, sb);
	assert_string_equal(sb->code, "");
	assert_ptr_equal(senders_find(t, a, T0 + 1), sa);
	assert_string_equal(senders_find(t, a, T0 + 2)->code, "KDR-AAAAAA");
	senders_unlock(t);

	/* the writer drew another code: the state follows */
	senders_recode(t, a, "KDR-AAAAAA", "KDR-CCCCCC");
	senders_lock(t);
	assert_string_equal(senders_find(t, a, T0 + 3)->code, "KDR-CCCCCC");
	senders_unlock(t);
	/* the commit failed: the report is forgotten, the other kept */
	senders_forget(t, a, "KDR-ZZZZZZ");
	senders_lock(t);
	assert_string_equal(senders_find(t, a, T0 + 4)->code, "KDR-CCCCCC");
	senders_unlock(t);
	senders_lock(t);
	sa = senders_find(t, a, T0 + 5);
	sa->recent[0].at = T0;
	snprintf(sa->recent[0].code, sizeof sa->recent[0].code, "KDR-CCCCCC");
	senders_unlock(t);
	senders_forget(t, a, "KDR-CCCCCC");
	senders_lock(t);
	sa = senders_find(t, a, T0 + 6);
	assert_string_equal(sa->code, "");
	/* nor are its words remembered: the provider's retry is new */
	assert_int_equal(sa->recent[0].at, 0);
	senders_unlock(t);
	senders_free(t);
}

static void
test_senders_text(void **state)
{
	struct senders *t = senders_new();
	unsigned char a[MEMKEY_TAG_BYTES];
	struct dialogue_state *s;
	char *big;
	size_t n;

	(void)state;
	testlib_tag(3, a);
	senders_lock(t);
	assert_string_equal(senders_text(t, a), "");
	s = senders_find(t, a, T0);
	s->window_until = T0 + WINDOW;
	senders_set_text(t, a, "petugas minta 50rb");
	assert_string_equal(senders_text(t, a), "petugas minta 50rb");
	/* cut at SENDERS_TEXT_MAX, never inside a character */
	assert_non_null(big = malloc(3 * SENDERS_TEXT_MAX));
	for (n = 0; n + 2 < 3 * SENDERS_TEXT_MAX; n += 2)
		memcpy(big + n, "\xc3\xa9", 2); /* é */
	big[n] = '\0';
	senders_set_text(t, a, big);
	n = strlen(senders_text(t, a));
	assert_true(n < SENDERS_TEXT_MAX && n % 2 == 0);
	/* once the window closes, the words go */
	senders_find(t, a, T0 + WINDOW);
	assert_string_equal(senders_text(t, a), "");
	senders_unlock(t);
	free(big);
	senders_free(t);
}

/*
 * Media held for a report yet to be filed: handed over oldest first, at
 * most SENDERS_HELD_MAX, once; gone when held_until passes.
 */
static void
test_senders_held(void **state)
{
	struct senders *t = senders_new();
	unsigned char a[MEMKEY_TAG_BYTES];
	struct store_fetch out[SENDERS_HELD_MAX];
	struct dialogue_state *s;
	unsigned char *blob;
	size_t i;

	(void)state;
	testlib_tag(4, a);
	senders_lock(t);
	s = senders_find(t, a, T0);
	s->held_until = T0 + WINDOW;
	for (i = 0; i < SENDERS_HELD_MAX + 1; i++) {
		assert_non_null(blob = malloc(1));
		blob[0] = (unsigned char)i;
		if (i < SENDERS_HELD_MAX)
			assert_int_equal(senders_hold(t, a, blob, 1), 0);
		else { /* one too many: still the caller's */
			assert_int_equal(senders_hold(t, a, blob, 1), -1);
			free(blob);
		}
	}
	assert_int_equal(
	    senders_take_held(t, a, T0 + 10, out), SENDERS_HELD_MAX);
	for (i = 0; i < SENDERS_HELD_MAX; i++) {
		assert_int_equal(out[i].sealed[0], i);
		free((void *)out[i].sealed);
	}
	assert_int_equal(senders_take_held(t, a, T0 + 11, out), 0);
	/* held past held_until: dropped, not handed over */
	assert_non_null(blob = malloc(1));
	assert_int_equal(senders_hold(t, a, blob, 1), 0);
	assert_int_equal(senders_take_held(t, a, T0 + WINDOW, out), 0);
	/* and a sender evicted with media held frees it (ASan sees a leak) */
	assert_non_null(blob = malloc(1));
	s->held_until = T0 + 2 * WINDOW;
	assert_int_equal(senders_hold(t, a, blob, 1), 0);
	senders_unlock(t);
	senders_free(t);
}

/* A full table takes new senders in place of the least recent. */
static void
test_senders_full(void **state)
{
	struct senders *t = senders_new();
	unsigned char tag[MEMKEY_TAG_BYTES];
	struct dialogue_state *s;
	int i, kept = 0;

	(void)state;
	senders_lock(t);
	for (i = 0; i < 3 * SENDERS_SLOTS; i++) {
		testlib_tag(100 + i, tag);
		s = senders_find(t, tag, T0 + i);
		assert_string_equal(s->code, "");
		snprintf(s->code, sizeof s->code, "KDR-%06d", i % 1000000);
		s->opened = T0 + i; /* live for a day */
	}
	/* the newest are all there */
	for (i = 3 * SENDERS_SLOTS - 100; i < 3 * SENDERS_SLOTS; i++) {
		testlib_tag(100 + i, tag);
		s = senders_find(t, tag, T0 + 3 * SENDERS_SLOTS);
		kept += strncmp(s->code, "KDR-", 4) == 0;
	}
	senders_unlock(t);
	assert_int_equal(kept, 100);
	senders_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scripts),
	    cmocka_unit_test(test_duplicate_names_its_report),
	    cmocka_unit_test(test_live),
	    cmocka_unit_test(test_no_window),
	    cmocka_unit_test(test_senders_one_state_a_tag),
	    cmocka_unit_test(test_senders_text),
	    cmocka_unit_test(test_senders_held),
	    cmocka_unit_test(test_senders_full),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
