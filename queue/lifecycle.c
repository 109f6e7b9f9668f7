/*
 * lifecycle: the transitions (the table of lifecycle.h, a row an action),
 * the reasons for refusing the rest (rules: the first that matches wins)
 * and the reading of heads' commands.  The code alphabet is the store's:
 * no 0, 1, I, L or O, so a code with one of them is a typo, never another
 * code.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "queue/conversation.h"
#include "queue/lifecycle.h"
#include "queue/report.h"
#include "queue/store.h"

#define CODE_CHARS 6
#define PREFIX_MAX 8 /* as store_new_code() takes it */
#define NACTIONS   (ACTION_DISMISS + 1)

static const char *const action_names[NACTIONS] = {
    [ACTION_ACKNOWLEDGE] = "acknowledge",
    [ACTION_PROGRESS] = "progress",
    [ACTION_RESOLVE] = "resolve",
    [ACTION_REJECT] = "reject",
    [ACTION_CLOSE] = "close",
    [ACTION_ROUTE] = "route",
    [ACTION_TRIAGE] = "triage",
    [ACTION_FORWARD] = "forward",
    [ACTION_DISMISS] = "dismiss",
};

/* Why an action is refused, in words a reply can carry. */
#define R_NOT_ROUTED	   "laporan belum diteruskan ke OPD"
#define R_ROUTED	   "laporan sudah diteruskan ke OPD"
#define R_IN_TRIAGE	   "laporan sedang di tim penelaah"
#define R_ACKNOWLEDGED	   "laporan sudah diterima"
#define R_IN_PROGRESS	   "laporan sudah diproses"
#define R_NOT_ACKNOWLEDGED "laporan belum diterima, kirim TERIMA dulu"
#define R_NOT_RESOLVED	   "laporan belum selesai"
#define R_RESOLVED	   "laporan sudah selesai"
#define R_CLOSED	   "laporan sudah ditutup"
#define R_REJECTED	   "laporan sudah dikembalikan ke tim penelaah"
#define R_UNKNOWN_STATUS   "status laporan tidak dikenal"
#define R_VERIFYING	   "laporan sedang diverifikasi"
#define R_VERIFIED	   "laporan sudah diverifikasi"
#define R_UNKNOWN_ACTION   "perintah tidak dikenal"

#define B(s) (1u << (s))
#define A(a) (1u << (a))
#define ANY  0xffffu
#define HEAD_ACTS                                                              \
	(A(ACTION_ACKNOWLEDGE) | A(ACTION_PROGRESS) | A(ACTION_RESOLVE) |      \
	    A(ACTION_REJECT))

/* The table of lifecycle.h, row by row. */
static const struct {
	enum report_action action;
	unsigned from; /* B() of each status */
	enum report_status to;
} transitions[] = {
    {ACTION_ACKNOWLEDGE, B(REPORT_ROUTED) | B(REPORT_TRIAGE),
	REPORT_ACKNOWLEDGED},
    {ACTION_PROGRESS,
	B(REPORT_ROUTED) | B(REPORT_TRIAGE) | B(REPORT_ACKNOWLEDGED) |
	    B(REPORT_IN_PROGRESS),
	REPORT_IN_PROGRESS},
    {ACTION_RESOLVE, B(REPORT_ACKNOWLEDGED) | B(REPORT_IN_PROGRESS),
	REPORT_RESOLVED},
    {ACTION_REJECT,
	B(REPORT_ROUTED) | B(REPORT_ACKNOWLEDGED) | B(REPORT_IN_PROGRESS),
	REPORT_TRIAGE},
    {ACTION_ROUTE, B(REPORT_RECEIVED) | B(REPORT_TRIAGE) | B(REPORT_REJECTED),
	REPORT_ROUTED},
    {ACTION_TRIAGE, B(REPORT_RECEIVED), REPORT_TRIAGE},
    {ACTION_CLOSE, B(REPORT_RESOLVED), REPORT_CLOSED},
    {ACTION_FORWARD, B(REPORT_VERIFYING), REPORT_ROUTED},
    {ACTION_DISMISS, B(REPORT_VERIFYING), REPORT_CLOSED},
};

/* Why the rest is refused: the first rule that matches. */
static const struct {
	unsigned from, actions; /* B() of each status, A() of each action */
	const char *why;
} refusals[] = {
    {B(REPORT_CLOSED), ANY, R_CLOSED},
    {B(REPORT_RESOLVED), ANY, R_RESOLVED},
    {B(REPORT_VERIFYING), ANY, R_VERIFYING},
    {ANY, A(ACTION_FORWARD) | A(ACTION_DISMISS), R_VERIFIED},
    {ANY, A(ACTION_CLOSE), R_NOT_RESOLVED},
    {B(REPORT_RECEIVED), HEAD_ACTS, R_NOT_ROUTED},
    {B(REPORT_REJECTED), HEAD_ACTS, R_REJECTED},
    {B(REPORT_TRIAGE) | B(REPORT_REJECTED), A(ACTION_REJECT) | A(ACTION_TRIAGE),
	R_IN_TRIAGE},
    {B(REPORT_ROUTED) | B(REPORT_TRIAGE), A(ACTION_RESOLVE),
	R_NOT_ACKNOWLEDGED},
    {B(REPORT_ACKNOWLEDGED), A(ACTION_ACKNOWLEDGE), R_ACKNOWLEDGED},
    {B(REPORT_IN_PROGRESS), A(ACTION_ACKNOWLEDGE), R_IN_PROGRESS},
    {ANY, A(ACTION_ROUTE) | A(ACTION_TRIAGE), R_ROUTED},
};

int
lifecycle_apply(const char *from_status, enum report_action action,
    const char **to_status, int *to_triage, const char **refusal)
{
	const char *to = NULL, *why;
	int s = report_status_of(from_status);
	size_t i;

	if ((unsigned)action >= NACTIONS)
		why = R_UNKNOWN_ACTION;
	else if (s == -1)
		why = R_UNKNOWN_STATUS;
	else {
		for (i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
			if (transitions[i].action == action &&
			    (transitions[i].from & B(s)))
				to = report_status_name(transitions[i].to);
		for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
			if ((refusals[i].from & B(s)) &&
			    (refusals[i].actions & A(action)))
				break;
		why = i < sizeof refusals / sizeof refusals[0]
		    ? refusals[i].why
		    : R_UNKNOWN_ACTION;
	}
	if (to_status != NULL)
		*to_status = to;
	if (to_triage != NULL)
		*to_triage =
		    to != NULL && report_status_of(to) == REPORT_TRIAGE;
	if (refusal != NULL)
		*refusal = to != NULL ? NULL : why;
	return to != NULL ? 0 : -1;
}

const char *
lifecycle_action_name(enum report_action action)
{
	return (unsigned)action < NACTIONS ? action_names[action] : NULL;
}

/* --- heads' commands ------------------------------------------------- */

static const struct {
	const char *word;
	enum head_kind kind;
	enum report_action action;
	int needs_note;
} head_words[] = {
    {"terima", HEAD_TERIMA, ACTION_ACKNOWLEDGE, 0},
    {"proses", HEAD_PROSES, ACTION_PROGRESS, 1},
    {"selesai", HEAD_SELESAI, ACTION_RESOLVE, 1},
    {"tolak", HEAD_TOLAK, ACTION_REJECT, 1},
    {"teruskan", HEAD_TERUSKAN, ACTION_ROUTE, 0},
};

/*
 * Skip what a phone keyboard puts between words: the ASCII characters of
 * set, a no-break space, an en or em dash (smart punctuation).
 */
static const char *
skip(const char *p, const char *set)
{
	for (;;) {
		if (*p != '\0' && strchr(set, *p) != NULL)
			p++;
		else if (strncmp(p, "\xc2\xa0", 2) == 0)
			p += 2;
		else if (strncmp(p, "\xe2\x80\x93", 3) == 0 ||
		    strncmp(p, "\xe2\x80\x94", 3) == 0)
			p += 3;
		else
			return p;
	}
}

/*
 * Read a report code at p: the prefix in any case, optional separators,
 * CODE_CHARS characters of the alphabet in any case, then the end of the
 * word.  Fill code with its canonical form and return what follows, or
 * NULL when p holds no code.
 */
static const char *
read_code(const char *p, const char *prefix, char code[STORE_CODE_MAX])
{
	size_t plen = strlen(prefix), n, i;

	if (plen == 0 || plen > PREFIX_MAX || strncasecmp(p, prefix, plen) != 0)
		return NULL;
	p = skip(p + plen, " -_./");
	for (n = 0; isalnum((unsigned char)p[n]); n++)
		if (n >= CODE_CHARS ||
		    strchr(STORE_CODE_ALPHABET, toupper((unsigned char)p[n])) ==
			NULL)
			return NULL;
	if (n != CODE_CHARS)
		return NULL;
	for (i = 0; i < plen; i++)
		code[i] = (char)toupper((unsigned char)prefix[i]);
	code[plen] = '-';
	for (i = 0; i < CODE_CHARS; i++)
		code[plen + 1 + i] = (char)toupper((unsigned char)p[i]);
	code[plen + 1 + CODE_CHARS] = '\0';
	return p + CODE_CHARS;
}

/*
 * Was the word at p meant as a code?  It starts with the prefix followed
 * by a digit or the end of the word ("KDR 7K3M9", "kdr-7k3m", "KDR"), or
 * it holds a digit and is 4 characters long or more, separators inside
 * included ("7K3M9Q", "KDX-7K3M9Q", "KDR7K3M9QQ").  "kasih" is not.
 */
static int
code_shaped(const char *p, const char *prefix)
{
	size_t plen = strlen(prefix), n, digits = 0;

	if (plen > 0 && strncasecmp(p, prefix, plen) == 0 &&
	    !isalpha((unsigned char)p[plen]))
		return 1;
	for (n = 0; isalnum((unsigned char)p[n]) ||
	     (n > 0 && p[n] != '\0' && strchr("-_./", p[n]) != NULL &&
		 isalnum((unsigned char)p[n + 1]));
	     n++)
		if (isdigit((unsigned char)p[n]))
			digits++;
	return digits > 0 && n >= 4;
}

/*
 * Read the word at p as an OPD id (letters, digits, '_' and '-', as
 * config/ allows) into target, in lower case; "" when there is none or it
 * does not fit.  Returns what follows the word.
 */
static const char *
read_target(const char *p, char *target, size_t len)
{
	size_t n;

	for (n = 0; isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-';
	     n++)
		if (n + 1 < len)
			target[n] = (char)tolower((unsigned char)p[n]);
	target[n < len ? n : 0] = '\0';
	return p + n;
}

enum head_kind
lifecycle_parse_command(
    const char *text, const char *prefix, struct head_command *out)
{
	const char *p, *after;
	size_t n, i;

	memset(out, 0, sizeof *out);
	if (prefix == NULL)
		prefix = "";
	p = skip(text, " \t\r\n*");
	for (i = 0; i < sizeof head_words / sizeof head_words[0]; i++) {
		n = strlen(head_words[i].word);
		if (strncasecmp(p, head_words[i].word, n) == 0 &&
		    !isalpha((unsigned char)p[n]))
			break;
	}
	if (i == sizeof head_words / sizeof head_words[0])
		return HEAD_NONE;
	p = skip(p + n, " \t\r\n:.,;#*-");
	if ((after = read_code(p, prefix, out->code)) != NULL) {
		after = skip(after, " \t\r\n:.,;*-");
		if (head_words[i].kind == HEAD_TERUSKAN) {
			/* "TERUSKAN KDR-7K3M9Q ke dishub" */
			after =
			    read_target(after, out->target, sizeof out->target);
			if (strcmp(out->target, "ke") == 0 ||
			    strcmp(out->target, "kepada") == 0)
				after = read_target(skip(after, " \t\r\n"),
				    out->target, sizeof out->target);
			after = skip(after, " \t\r\n:.,;*-");
			if (out->target[0] == '\0')
				out->error = HEAD_NO_TARGET;
		}
		if (!conversation_is_empty(after))
			out->note = after;
		else if (head_words[i].needs_note)
			out->error = HEAD_NO_NOTE;
	} else if (*skip(p, " \t\r\n.,:;!?") == '\0')
		out->error = HEAD_NO_CODE; /* the bare word: ask for the code */
	else if (code_shaped(p, prefix))
		out->error = HEAD_BAD_CODE;
	else
		return HEAD_NONE; /* "terima kasih", "proses nya lama" */
	out->kind = head_words[i].kind;
	out->action = head_words[i].action;
	return out->kind;
}
