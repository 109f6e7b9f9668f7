/*
 * fuzz_intent: libFuzzer target for the conversation's reading of a text
 * (intent_read() with config/demo.conf's router, run from the repository
 * root) and the dialogue's decision on it (dialogue_turn() over a state
 * the fuzzer also drives: the input's first byte chooses the state, the
 * pin and media flags and the clock).  Nothing may crash or read out of
 * bounds; a receipt in a story lies inside the text and is 16 digits; a
 * note only ever goes to a report that exists; a text of only digits and
 * separators is never content.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "queue/dialogue.h"
#include "queue/intent.h"
#include "queue/router.h"
#include "tests/fuzz/fuzz_demo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
only_digits(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++)
		if (isdigit((unsigned char)*s))
			digits = 1;
		else if (strchr(" -.+()", *s) == NULL)
			return 0;
	return digits;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg;
	const struct router *r = fuzz_demo_router(&cfg);
	struct intent_reading reading;
	struct dialogue_state st;
	struct dialogue_input in;
	struct dialogue_turn turn;
	unsigned char mode;
	char *text;
	size_t i;

	if (size < 1)
		return 0;
	mode = data[0];
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	intent_read(r, "KDR", text, NULL, &reading);
	if (reading.intent >= INTENT_COUNT || reading.rule == NULL)
		abort();
	if (reading.has_receipt) {
		if (reading.receipt_start >= reading.receipt_end ||
		    reading.receipt_end > strlen(text))
			abort();
		for (i = 0; i < RECEIPT_DIGITS; i++)
			if (!isdigit((unsigned char)reading.digits[i]))
				abort();
	}
	if (only_digits(text) && strlen(text) < 64 &&
	    reading.intent == INTENT_CONTENT)
		abort();

	memset(&st, 0, sizeof st);
	if (mode & 1) {
		unsigned char hash[MEMKEY_TAG_BYTES] = {0};

		dialogue_filed(cfg, &st, "KDR-AAAAAA", hash, mode & 2, 1000);
	}
	memset(&in, 0, sizeof in);
	in.reading = &reading;
	in.pin = (mode & 4) != 0;
	in.media = (mode & 8) != 0;
	in.answers_place = (mode & 16) != 0;
	in.text_hash[0] = mode;
	dialogue_turn(cfg, &st, &in, 1000 + (mode >> 5) * 400, &turn);
	if (turn.action == DIALOGUE_NOTE &&
	    (turn.code == NULL || strcmp(turn.code, "KDR-AAAAAA") != 0))
		abort();
	if (turn.action != DIALOGUE_NOTHING && turn.action != DIALOGUE_FILE &&
	    turn.action != DIALOGUE_COMMAND && turn.reply >= TEMPLATE_COUNT &&
	    turn.action != DIALOGUE_NOTE)
		abort();
	intent_wipe(&reading);
	free(text);
	return 0;
}
