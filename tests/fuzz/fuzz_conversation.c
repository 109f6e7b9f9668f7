/*
 * fuzz_conversation: libFuzzer target for the citizen's commands:
 * conversation_parse() and conversation_is_empty() on arbitrary text.
 * They must never crash or read out of bounds; a command with a receipt
 * must carry exactly 16 digits, and its rest must lie inside the text.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "queue/conversation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct command cmd;
	char *text;
	size_t i;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (conversation_parse(text, &cmd) != COMMAND_NONE) {
		if (cmd.rest < text || cmd.rest > text + strlen(text))
			abort();
		if (cmd.has_receipt) {
			for (i = 0; i < RECEIPT_DIGITS; i++)
				if (!isdigit((unsigned char)cmd.digits[i]))
					abort();
			if (cmd.digits[RECEIPT_DIGITS] != '\0')
				abort();
		}
	}
	(void)conversation_is_empty(text);
	free(text);
	return 0;
}
