/*
 * intent: what a citizen's text is, read before anything is filed.  Real
 * people chat: they greet ("Assalamualaikum", "P", "min"), thank ("suwun
 * pak", "🙏"), ask ("ini nomor resmi pemkot?"), paste their receipt, send
 * their NIK, forward promotions, and only sometimes tell what happened.
 * Only content opens a report.  Pure: no I/O, no state, no clock; the
 * words are read with the router's normaliser (slang, Javanese and SMS
 * spellings become one form), and the router says whether the text names
 * a category, an OPD or a place.
 */
#ifndef HOTLINE_INTENT_H
#define HOTLINE_INTENT_H

#include <stddef.h>

#include "queue/receipt.h"
#include "queue/router.h"

enum intent {
	INTENT_COMMAND, /* CEK / STATUS / TAMBAH, as written; a head's command
			 */
	INTENT_RECEIPT, /* a receipt pasted alone or in "cek laporan saya ..."
			 */
	INTENT_CODE,	/* a report code (KDR-7K3M9Q) where a receipt belongs */
	INTENT_OPENER,	/* greeting, "mau lapor", "P", "min", "boleh?" */
	INTENT_COURTESY, /* thanks, ok/siap/nggih, emoji only */
	INTENT_QUESTION, /* a question about the hotline or a service */
	INTENT_SPAM,	 /* links with promo, loan or gambling words */
	INTENT_NUMBER,	 /* a bare phone number or NIK */
	INTENT_DECLINE,	 /* "tidak tahu", "lupa", "rahasia", "-" */
	INTENT_ANOTHER, /* "satu lagi", "ada lagi", "laporan lain": more to come
			 */
	INTENT_UNCLEAR, /* a few words that say nothing yet */
	INTENT_CONTENT, /* what happened: opens a report or adds to one */
	INTENT_COUNT
};

/* The fixed answer a question gets. */
enum question {
	QUESTION_NONE,
	QUESTION_OFFICIAL, /* is this the official number? */
	QUESTION_HOW,	   /* how do I report? */
	QUESTION_SAFE,	   /* is my identity safe? */
	QUESTION_DURATION, /* how long does it take? */
	QUESTION_PHOTO,	   /* can I send photos? */
	QUESTION_OTHER,	   /* anything else: this line is for reports */
};

struct intent_reading {
	enum intent intent;
	enum question question; /* INTENT_QUESTION only */
	int another;		/* content that says it is a new report */
	int names_place;	/* the router found a kelurahan or kecamatan */
	int accuses; /* an accusation word, an amount, a category or an OPD */
	int staff_command; /* a head's command word and a code (TERIMA KDR-..)
			    */
	int detail; /* says when or who ("senin kemarin"): a note, if any */
	/* INTENT_RECEIPT and content with a receipt in it: the receipt */
	int has_receipt;
	char digits[RECEIPT_DIGITS + 1];
	/* content with a receipt in it: the text around it, for TAMBAH */
	size_t receipt_start, receipt_end; /* bytes of the text */
	const char *rule; /* which rule decided, for tests and metrics */
};

/* The names of enum intent, for metrics and tests ("opener", ...). */
extern const char *const intent_names[INTENT_COUNT];
/* The names of enum question ("none", "official", ...). */
extern const char *const intent_question_names[QUESTION_OTHER + 1];

/*
 * Read text (valid UTF-8).  report_prefix is the city's code prefix
 * ("KDR").  route is the router's decision for text, or NULL to have it
 * made here.  The reading holds a receipt's digits: wipe it after use
 * (intent_wipe).
 */
void intent_read(const struct router *, const char *report_prefix,
    const char *text, const struct route *route, struct intent_reading *out);

/* Wipe what a reading holds of a receipt. */
void intent_wipe(struct intent_reading *);

#endif
