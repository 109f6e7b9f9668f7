/*
 * dialogue: what to do with one citizen message, given what that sender
 * said before.  Pure: the sender's state and the clock come in, the
 * action and the new state go out; queue/senders.c keeps the states in
 * memory (under a memkey tag, never at rest) and queue/intake.c carries
 * the action out.
 *
 *            content                      content (window open)
 *   idle -----------------> report open -----------------------> note
 *    ^    (ack + receipt;     |   |   \     (window reset, up to
 *    |     "where?" if no     |   |    \     merge_max; alerts wait)
 *    |     place named)       |   |     \
 *    |                        |   |      '--> "ada lagi": next content
 *    |   window closed        |   |           opens a new report
 *    '------------------------'   |
 *                                 | no place named
 *                                 v
 *                        place wait --place / pin--> "place added"
 *                          |   |  \---"tidak tahu"--> goes on without
 *                          |   '--courtesy/unclear--> asked again once,
 *                          |                          then no more
 *                          '--command / question--> answered, wait stays
 *
 * Media with no report open (a photo sent before the story) is held for
 * merge_window and joins the report the next text files; it gets the
 * opener's instructions.  Openers get the instructions once per merge_max;
 * courtesy after a receipt one short line per report; questions a fixed answer;
 * spam nothing; numbers a warning; the same text twice in 24 hours "already
 * received".
 */
#ifndef HOTLINE_DIALOGUE_H
#define HOTLINE_DIALOGUE_H

#include <time.h>

#include "config/config.h"
#include "queue/intent.h"
#include "queue/memkey.h"
#include "queue/store.h"

#define DIALOGUE_RECENT	   4	       /* texts remembered per sender */
#define DIALOGUE_SAME_TEXT (24 * 3600) /* a repeat within this is a repeat */

enum dialogue_place {
	PLACE_NONE,	  /* not waiting */
	PLACE_ASKED,	  /* asked with the acknowledgement */
	PLACE_ASKED_AGAIN /* asked a second time: the last */
};

/* What the hotline remembers of one sender, in memory only. */
struct dialogue_state {
	char code[STORE_CODE_MAX]; /* the sender's last report, "" none */
	time_t opened;		   /* when it was filed */
	time_t window_until;	   /* notes join it until then */
	int thanked;		   /* its courtesy line was sent */
	int next_new;		   /* "ada lagi": the next content is new */
	enum dialogue_place place;
	time_t place_until;
	time_t welcomed_until; /* no second opener answer before */
	time_t held_until;     /* media sent first joins a report filed
				  before then (queue/senders.h holds it) */
	struct {
		unsigned char hash[MEMKEY_TAG_BYTES];
		char code[STORE_CODE_MAX];
		time_t at; /* 0: empty */
	} recent[DIALOGUE_RECENT];
};

enum dialogue_action {
	DIALOGUE_NOTHING, /* no reply, nothing stored */
	DIALOGUE_REPLY,	  /* a reply only */
	DIALOGUE_FILE,	  /* a new report (acknowledged with its receipt) */
	DIALOGUE_NOTE,	  /* a note of state->code, routed again */
	DIALOGUE_COMMAND, /* CEK / TAMBAH: the conversation worker */
};

/* One message as the dialogue sees it. */
struct dialogue_input {
	const struct intent_reading *reading; /* text's intent */
	int pin;			      /* a location pin */
	int media;	   /* a photo, video, ... without a caption */
	int answers_place; /* read as the answer to "where?", names a place */
	unsigned char text_hash[MEMKEY_TAG_BYTES]; /* of the words */
};

struct dialogue_turn {
	enum dialogue_action action;
	enum template_id reply; /* TEMPLATE_COUNT: none */
	const char *note_kind;	/* NOTE: addition, place, location, media */
	int place;		/* NOTE: it answers the place question */
	const char *code;	/* the report a reply names (state's) */
	int hold; /* media with no report open: kept for the next report */
};

/*
 * Decide what message in does to a sender in state st at now, and update
 * st (a FILE is completed by dialogue_filed() once the report has its
 * code).  cfg gives [conversation].
 */
void dialogue_turn(const struct config *cfg, struct dialogue_state *st,
    const struct dialogue_input *in, time_t now, struct dialogue_turn *out);

/* A report was filed for the sender: notes join it from now on. */
void dialogue_filed(const struct config *cfg, struct dialogue_state *st,
    const char *code, const unsigned char text_hash[MEMKEY_TAG_BYTES],
    int ask_place, time_t now);

/* Is there anything left worth keeping of st at now? */
int dialogue_live(const struct dialogue_state *st, time_t now);

#endif
