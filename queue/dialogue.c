/*
 * dialogue: the rules of queue/dialogue.h, one function per kind of
 * message.  Everything is decided from the sender's state, the reading of
 * the text and the clock passed in, so the tests drive it with a fake
 * clock.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "queue/dialogue.h"

static int
window_open(const struct dialogue_state *st, time_t now)
{
	return st->code[0] != '\0' && now < st->window_until && !st->next_new;
}

static int
waiting_place(const struct dialogue_state *st, time_t now)
{
	return st->place != PLACE_NONE && st->code[0] != '\0' &&
	    now < st->place_until;
}

static void
reply(struct dialogue_turn *out, enum template_id id)
{
	out->action = DIALOGUE_REPLY;
	out->reply = id;
}

/* A note of the sender's report; the merge window starts again. */
static void
note(const struct config *cfg, struct dialogue_state *st,
    struct dialogue_turn *out, const char *kind, enum template_id id,
    time_t now)
{
	time_t until = now + cfg->conversation.merge_window,
	       last = st->opened + cfg->conversation.merge_max;

	out->action = DIALOGUE_NOTE;
	out->note_kind = kind;
	out->reply = id;
	if (window_open(st, now))
		st->window_until = until < last ? until : last;
}

/* The answer to "where?": a place note, and the wait is over. */
static void
place_note(const struct config *cfg, struct dialogue_state *st,
    struct dialogue_turn *out, const char *kind, time_t now)
{
	note(cfg, st, out, kind, TEMPLATE_PLACE_ADDED, now);
	out->place = 1;
	st->place = PLACE_NONE;
}

/* Openers, and chat from someone with nothing open: instructions once. */
static void
welcome(const struct config *cfg, struct dialogue_state *st,
    struct dialogue_turn *out, time_t now)
{
	if (window_open(st, now) || now < st->welcomed_until)
		return;
	reply(out, TEMPLATE_WELCOME);
	st->welcomed_until = now + cfg->conversation.merge_max;
}

/*
 * Courtesy, unclear chat or an opener while the place question waits:
 * asked again once, then no more.  Returns 1 when it answered.
 */
static int
ask_again(struct dialogue_state *st, struct dialogue_turn *out)
{
	if (st->place == PLACE_ASKED) {
		reply(out, TEMPLATE_ASK_PLACE_AGAIN);
		st->place = PLACE_ASKED_AGAIN;
		return 1;
	}
	st->place = PLACE_NONE;
	return 0;
}

/* Did the sender report within the day? */
static int
reported(const struct dialogue_state *st, time_t now)
{
	return st->code[0] != '\0' && now < st->opened + DIALOGUE_SAME_TEXT;
}

static void
courtesy(const struct config *cfg, struct dialogue_state *st,
    struct dialogue_turn *out, time_t now)
{
	if (reported(st, now)) {
		if (!st->thanked) {
			reply(out, TEMPLATE_THANKS);
			st->thanked = 1;
		}
		return;
	}
	welcome(cfg, st, out, now);
}

/* The code of an earlier report with the same words, or NULL. */
static const char *
repeated(const struct dialogue_state *st,
    const unsigned char hash[MEMKEY_TAG_BYTES], time_t now)
{
	size_t i;

	for (i = 0; i < DIALOGUE_RECENT; i++)
		if (st->recent[i].at != 0 &&
		    now < st->recent[i].at + DIALOGUE_SAME_TEXT &&
		    sodium_memcmp(st->recent[i].hash, hash, MEMKEY_TAG_BYTES) ==
			0)
			return st->recent[i].code;
	return NULL;
}

static void
remember(struct dialogue_state *st, const unsigned char hash[MEMKEY_TAG_BYTES],
    const char *code, time_t now)
{
	char copy[STORE_CODE_MAX];
	size_t i, oldest = 0;

	for (i = 0; i < DIALOGUE_RECENT; i++)
		if (st->recent[i].at < st->recent[oldest].at)
			oldest = i;
	memcpy(st->recent[oldest].hash, hash, MEMKEY_TAG_BYTES);

	snprintf(copy, sizeof copy, "%s", code); /* code may be st->code */
	memcpy(st->recent[oldest].code, copy, sizeof copy);
	st->recent[oldest].at = now;
}

static void
content(const struct config *cfg, struct dialogue_state *st,
    const struct dialogue_input *in, struct dialogue_turn *out, time_t now)
{
	const struct intent_reading *r = in->reading;
	const char *code;

	if ((code = repeated(st, in->text_hash, now)) != NULL) {
		reply(out, TEMPLATE_DUPLICATE);
		out->code = code;
		return;
	}
	/* "kel. Bandar Lor": the answer, not a story of its own */
	if (waiting_place(st, now) && in->answers_place && !r->accuses &&
	    !r->another) {
		place_note(cfg, st, out, "place", now);
		remember(st, in->text_hash, st->code, now);
		return;
	}
	if (window_open(st, now) && !r->another) {
		note(cfg, st, out, "addition", TEMPLATE_MERGED, now);
		if (waiting_place(st, now) && r->names_place) {
			out->reply = TEMPLATE_PLACE_ADDED;
			out->place = 1;
			st->place = PLACE_NONE;
		}
		remember(st, in->text_hash, st->code, now);
		return;
	}
	out->action = DIALOGUE_FILE; /* dialogue_filed() completes it */
}

void
dialogue_turn(const struct config *cfg, struct dialogue_state *st,
    const struct dialogue_input *in, time_t now, struct dialogue_turn *out)
{
	const struct intent_reading *r = in->reading;
	int waiting;

	memset(out, 0, sizeof *out);
	out->action = DIALOGUE_NOTHING;
	out->reply = TEMPLATE_COUNT;
	if (st->place != PLACE_NONE && now >= st->place_until)
		st->place = PLACE_NONE;
	waiting = waiting_place(st, now);

	if (in->pin || in->media) {
		if (in->pin && waiting && in->answers_place)
			place_note(cfg, st, out, "location", now);
		else if (in->pin && waiting && ask_again(st, out))
			; /* a pin far from every kelurahan */
		else if (window_open(st, now))
			note(cfg, st, out, in->pin ? "location" : "media",
			    TEMPLATE_MERGED, now);
		else {
			welcome(cfg, st, out, now);
			if (in->media && cfg->conversation.merge_window > 0) {
				out->hold = 1;
				st->held_until =
				    now + cfg->conversation.merge_window;
			}
		}
		goto named;
	}
	switch (r->intent) {
	case INTENT_COMMAND:
	case INTENT_RECEIPT:
		if (r->staff_command)
			reply(out, TEMPLATE_STAFF_ONLY);
		else
			out->action = DIALOGUE_COMMAND;
		break;
	case INTENT_CODE:
		reply(out, TEMPLATE_CODE_NOT_RECEIPT);
		break;
	case INTENT_QUESTION:
		reply(out,
		    r->question == QUESTION_OFFICIAL  ? TEMPLATE_ANSWER_OFFICIAL
			: r->question == QUESTION_HOW ? TEMPLATE_ANSWER_HOW
			: r->question == QUESTION_SAFE ? TEMPLATE_ANSWER_SAFE
			: r->question == QUESTION_DURATION
			? TEMPLATE_ANSWER_DURATION
			: r->question == QUESTION_PHOTO
			? TEMPLATE_ANSWER_PHOTO
			: TEMPLATE_ANSWER_OTHER);
		break;
	case INTENT_SPAM:
		break;
	case INTENT_NUMBER:
		reply(out, TEMPLATE_NO_NUMBER);
		break;
	case INTENT_DECLINE:
		if (waiting) {
			reply(out, TEMPLATE_NO_PLACE);
			st->place = PLACE_NONE;
		} else
			courtesy(cfg, st, out, now);
		break;
	case INTENT_ANOTHER:
		reply(out, TEMPLATE_NEXT_REPORT);
		st->next_new = 1;
		st->place = PLACE_NONE;
		break;
	case INTENT_COURTESY:
	case INTENT_UNCLEAR:
	case INTENT_OPENER:
		if (r->intent == INTENT_UNCLEAR && r->detail &&
		    window_open(st, now) && !(waiting && in->answers_place)) {
			/* "kejadiannya senin kemarin": part of the story */
			note(cfg, st, out, "addition", TEMPLATE_MERGED, now);
			remember(st, in->text_hash, st->code, now);
		} else if (waiting && in->answers_place)
			place_note(cfg, st, out, "place", now);
		else if (waiting && ask_again(st, out))
			;
		else if (r->intent == INTENT_COURTESY)
			courtesy(cfg, st, out, now);
		else if (r->intent == INTENT_OPENER || !reported(st, now))
			welcome(cfg, st, out, now);
		break;
	case INTENT_CONTENT:
	default:
		content(cfg, st, in, out, now);
		break;
	}
named:
	if (out->code == NULL && st->code[0] != '\0')
		out->code = st->code;
}

void
dialogue_filed(const struct config *cfg, struct dialogue_state *st,
    const char *code, const unsigned char text_hash[MEMKEY_TAG_BYTES],
    int ask_place, time_t now)
{
	snprintf(st->code, sizeof st->code, "%s", code);
	st->opened = now;
	st->window_until = now + cfg->conversation.merge_window;
	st->thanked = 0;
	st->next_new = 0;
	st->place = ask_place ? PLACE_ASKED : PLACE_NONE;
	st->place_until = now + cfg->conversation.place_wait;
	st->welcomed_until = now + cfg->conversation.merge_max;
	st->held_until = 0; /* what was held joined this report */
	remember(st, text_hash, code, now);
}

int
dialogue_live(const struct dialogue_state *st, time_t now)
{
	size_t i;

	if (now < st->welcomed_until || now < st->window_until ||
	    now < st->held_until ||
	    (st->place != PLACE_NONE && now < st->place_until) ||
	    (st->code[0] != '\0' && now < st->opened + DIALOGUE_SAME_TEXT))
		return 1;
	for (i = 0; i < DIALOGUE_RECENT; i++)
		if (st->recent[i].at != 0 &&
		    now < st->recent[i].at + DIALOGUE_SAME_TEXT)
			return 1;
	return 0;
}
