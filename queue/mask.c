/*
 * mask: one pass over a flattened copy of the text (blanks made single
 * spaces; full-width, Arabic-Indic and mathematical digits and full-width
 * ASCII folded to ASCII; zero-width characters dropped).  At each word a
 * few hand-written rules, each looking a bounded way ahead or consuming
 * what it read, so that the time stays linear in the text:
 *
 * - "budi@gmail.com": [email disamarkan];
 * - the name after "nama saya", "atas nama", "a.n.", "namaku",
 *   "jenengku", "Nama:", "dengan saya", "Hormat saya,"; after "saya" only
 *   two capitalised words, or one after an honorific ("kulo Pak Tarno")
 *   or before "(" or "," ("sy Rina (NIK ...)"): [nama disamarkan];
 * - the numbers of "RT 03 RW 05", "RT.003/RW.005", "rt03": "RT/RW
 *   [alamat disamarkan]";
 * - "No. 12" after Jl., Gg., rumah, blok ...; a number alone right after
 *   a street's name ("Jl. Mawar 12"): [alamat disamarkan];
 * - a plate, a region code, 1-4 digits and letters ("AG 1234 XY",
 *   "ag1234xy"), or any after "nopol", "plat": [plat disamarkan];
 * - six digits spelled out ("nol delapan satu ...", "kosong wolu siji
 *   ..."): [angka disamarkan];
 *
 * and anywhere, a number of 8 digits or more (blanks, dots, commas,
 * slashes, dashes and parentheses between its groups, a leading + or
 * parenthesis) is "[angka disamarkan]", except an amount (1.500.000,
 * "Rp 15000000"), a date (12/03/2026) or a time (10.30).  A name named
 * otherwise ("pegawai bernama Joko": the accused, whom the OPD must
 * know) stays.  Every mask is written whole or not at all.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "queue/mask.h"

#define MASK_NUMBER  "[angka disamarkan]"
#define MASK_EMAIL   "[email disamarkan]"
#define MASK_PLATE   "[plat disamarkan]"
#define MASK_NAME    "[nama disamarkan]"
#define MASK_ADDRESS "[alamat disamarkan]"
#define ELLIPSIS     "\xe2\x80\xa6"
#define ELLIPSIS_LEN (sizeof ELLIPSIS - 1)

#define NUMBER_DIGITS  8  /* a number this long is one to hide */
#define SPLIT_DIGITS   10 /* a number this long may be followed by another */
#define AMOUNT_DIGITS  10 /* the longest amount: 9.999.999.999 */
#define SPELLED_DIGITS 6  /* digits spelled out in a row to hide */
#define SPELLED_ITEMS  24 /* the most read for one mask of them */
#define NAME_WORDS     4  /* a name's words, honorifics aside */
#define STREET_WORDS   5  /* words between "Jl." and its "No." */

/*
 * The most the text grows: "RT1 " (4 bytes, the blank that ends the word
 * included) becomes "RT [alamat disamarkan] " (23), 19 bytes more.  The
 * other masks grow less per byte they stand for: "an.A " (5) becomes
 * "an.[nama disamarkan] " (+16), "B12AB " (6) "[plat disamarkan] "
 * (+12), "a@b.co" (6) "[email disamarkan]" (+12), "gg no1 " (7) "gg
 * [alamat disamarkan] " (+16), "12345678 " (9) "[angka disamarkan] "
 * (+10); spelled digits shrink.  Flattening and folding never lengthen.
 */
#define GROWTH_IN  4
#define GROWTH_OUT (sizeof " " MASK_ADDRESS - 1 - 1)

/* --- bytes ----------------------------------------------------------- */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_letter(char c)
{
	return is_upper(c) || is_lower(c);
}

static int
is_alnum(char c)
{
	return is_letter(c) || is_digit(c);
}

/* Is c one of set (never the NUL)? */
static int
is_one_of(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static size_t
count_digits(const char *p)
{
	size_t n = 0;

	while (is_digit(p[n]))
		n++;
	return n;
}

static size_t
count_letters(const char *p)
{
	size_t n = 0;

	while (is_letter(p[n]))
		n++;
	return n;
}

/* p[0..n), n digits, as a number from lo to hi? */
static int
in_range(const char *p, size_t n, int lo, int hi)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v >= lo && v <= hi;
}

/* The bytes of the UTF-8 character at p (a stray byte alone is one). */
static size_t
char_len(const char *p)
{
	size_t n = 1;

	if ((*p & 0xc0) == 0xc0)
		while (n < 4 && (p[n] & 0xc0) == 0x80)
			n++;
	return n;
}

/* Do a and b begin with the same letter, in any case (a quick test)? */
static int
same_first(const char *a, const char *b)
{
	return (*a | 0x20) == (*b | 0x20);
}

/* Is p[0..n) one of list (NULL-terminated), in any case? */
static int
word_in(const char *p, size_t n, const char *const *list)
{
	if (n == 0)
		return 0;
	for (; *list != NULL; list++)
		if (same_first(p, *list) && strlen(*list) == n &&
		    strncasecmp(p, *list, n) == 0)
			return 1;
	return 0;
}

/*
 * The length of phrase at p, in any case, when a word ends with it there
 * (or the phrase ends in punctuation); else 0.  Its blanks are single
 * spaces, as in the flattened text.
 */
static size_t
phrase_at(const char *p, const char *phrase)
{
	size_t n;

	if (!same_first(p, phrase) ||
	    strncasecmp(p, phrase, n = strlen(phrase)) != 0)
		return 0;
	return is_alnum(phrase[n - 1]) && is_alnum(p[n]) ? 0 : n;
}

/* The first phrase of list (longest first) at p: its length, or 0. */
static size_t
phrase_in(const char *p, const char *const *list)
{
	size_t n;

	for (; *list != NULL; list++)
		if ((n = phrase_at(p, *list)) > 0)
			return n;
	return 0;
}

/* --- flattening and folding ------------------------------------------ */

#define FOLD_KEEP  (-1) /* the character as it is */
#define FOLD_DROP  (-2) /* nothing: zero-width, soft hyphen */
#define FOLD_BLANK ' '

/* fold() of a two-byte character. */
static int
fold2(const unsigned char *p)
{
	if (p[0] == 0xc2 && p[1] == 0xad)
		return FOLD_DROP; /* soft hyphen */
	if (p[0] == 0xc2 && p[1] <= 0xa0)
		return FOLD_BLANK; /* C1 controls, no-break space */
	if (p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9)
		return '0' + p[1] - 0xa0; /* Arabic-Indic digits */
	if (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9)
		return '0' + p[1] - 0xb0; /* Eastern Arabic-Indic digits */
	return FOLD_KEEP;
}

/* fold() of a three-byte character. */
static int
fold3(const unsigned char *p)
{
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x8b)
		return FOLD_DROP; /* zero-width space */
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return FOLD_BLANK; /* U+2000-200A, line and paragraph breaks */
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return FOLD_BLANK; /* medium mathematical space */
	if ((p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0xa0) ||
	    (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))
		return FOLD_DROP; /* word joiner, byte order mark */
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return FOLD_BLANK; /* ideographic space */
	if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x81)
		return 0x21 + p[2] - 0x81; /* full-width ! to _ */
	if (p[0] == 0xef && p[1] == 0xbd && p[2] <= 0x9e)
		return 0x60 + p[2] - 0x80; /* full-width ` to ~ */
	return FOLD_KEEP;
}

/*
 * What the scan reads for the character at p of n bytes: FOLD_KEEP, or
 * FOLD_DROP, or an ASCII byte (FOLD_BLANK for any blank or control).
 */
static int
fold(const unsigned char *p, size_t n)
{
	if (n == 1)
		return p[0] < 0x20 || p[0] == 0x7f ? FOLD_BLANK : p[0];
	if (n == 2)
		return fold2(p);
	if (n == 3)
		return fold3(p);
	if (n == 4 && p[0] == 0xf0 && p[1] == 0x9d && p[2] == 0x9f &&
	    p[3] >= 0x8e)
		return '0' + (p[3] - 0x8e) % 10; /* mathematical digits */
	return FOLD_KEEP;
}

/* text folded, each run of blanks one space, trimmed: malloc'd. */
static char *
flatten(const char *text)
{
	char *flat = malloc(strlen(text) + 1), *q = flat;
	size_t n;
	int c;

	if (flat == NULL)
		return NULL;
	for (; *text != '\0'; text += n) {
		n = char_len(text);
		c = fold((const unsigned char *)text, n);
		if (c == FOLD_KEEP) {
			memcpy(q, text, n);
			q += n;
		} else if (c == FOLD_BLANK) {
			if (q > flat && q[-1] != ' ')
				*q++ = ' ';
		} else if (c != FOLD_DROP)
			*q++ = (char)c;
	}
	if (q > flat && q[-1] == ' ')
		q--;
	*q = '\0';
	return flat;
}

/* --- the output and the scan ----------------------------------------- */

/* The masked text being written: whole pieces, up to room bytes. */
struct out {
	char *buf;
	size_t len, room;
	int full; /* a piece did not fit: the text is cut there */
};

struct scan {
	const char *text; /* flattened */
	const char *p;	  /* what is read next */
	const char *no_email_before;
	const char *house_at, *house_end; /* a house number ahead */
	const char *mask_end;		  /* where the last mask ended */
	struct out o;
};

/* Append s[0..n) whole, or mark the output full. */
static void
put(struct out *o, const char *s, size_t n)
{
	assert(o->len <= o->room);
	if (o->full || n > o->room - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Write the n bytes read next as they are. */
static void
copy(struct scan *s, size_t n)
{
	put(&s->o, s->p, n);
	s->p += n;
}

/* Write mask for the n bytes read next. */
static void
replace(struct scan *s, size_t n, const char *mask)
{
	put(&s->o, mask, strlen(mask));
	s->p += n;
	s->mask_end = s->p;
}

/* Does a word start where the scan is (a mask ends a word)? */
static int
at_word_start(const struct scan *s)
{
	return is_alnum(*s->p) &&
	    (s->p == s->text || !is_alnum(s->p[-1]) || s->p == s->mask_end);
}

/* --- numbers --------------------------------------------------------- */

/* Does a kept number end at p: no digit goes on (a range's dash may)? */
static int
ends_here(const char *p)
{
	return !is_digit(*p) && !(is_one_of(*p, ".,:/") && is_digit(p[1]));
}

/*
 * An amount at p: 1.500.000 or 1,500,000 (no leading zero, at most
 * AMOUNT_DIGITS digits), maybe with decimals (150.000.000,00).  Its
 * length, or 0.
 */
static size_t
amount_len(const char *p)
{
	size_t n = count_digits(p), total = n, i = n, d;
	char sep = p[n], other = sep == '.' ? ',' : '.';

	if (n < 1 || n > 3 || p[0] == '0' || (sep != '.' && sep != ','))
		return 0;
	while (total <= AMOUNT_DIGITS && p[i] == sep &&
	    count_digits(p + i + 1) == 3) {
		i += 4;
		total += 3;
	}
	if (i == n || total > AMOUNT_DIGITS)
		return 0;
	if (p[i] == other && (d = count_digits(p + i + 1)) >= 1 && d <= 2)
		i += 1 + d;
	return i;
}

/* A year: 2 digits, or 4 from 1900 to 2099. */
static int
is_year(const char *p, size_t n)
{
	return n == 2 || (n == 4 && in_range(p, 4, 1900, 2099));
}

/* A date at p: 12/03/2026, 1-3-26, 12.03.2026, 2026-03-12; length or 0. */
static size_t
date_len(const char *p)
{
	size_t d1 = count_digits(p), d2, d3;
	char sep = p[d1];

	if (!is_one_of(sep, "-/."))
		return 0;
	d2 = count_digits(p + d1 + 1);
	if (p[d1 + 1 + d2] != sep)
		return 0;
	d3 = count_digits(p + d1 + 1 + d2 + 1);
	if (d1 == 4 && d2 == 2 && d3 == 2 && is_year(p, 4) &&
	    in_range(p + 5, 2, 1, 12) && in_range(p + 8, 2, 1, 31))
		return 10;
	if (d1 >= 1 && d1 <= 2 && d2 >= 1 && d2 <= 2 &&
	    in_range(p, d1, 1, 31) && in_range(p + d1 + 1, d2, 1, 12) &&
	    is_year(p + d1 + 1 + d2 + 1, d3))
		return d1 + 1 + d2 + 1 + d3;
	return 0;
}

/* A time at p: 10.30, 9:05; its length, or 0. */
static size_t
time_len(const char *p)
{
	size_t h = count_digits(p);

	if (h < 1 || h > 2 || !in_range(p, h, 0, 24) ||
	    (p[h] != '.' && p[h] != ':') || count_digits(p + h + 1) != 2 ||
	    !in_range(p + h + 1, 2, 0, 59))
		return 0;
	return h + 3;
}

/*
 * Digits at p after "Rp" ("Rp 15000000", "Rp.1500000"): length or 0.
 * The "Rp" must lie at from or after: no mask may have taken it.
 */
static size_t
rupiah_len(const char *from, const char *p)
{
	const char *q = p;
	size_t n = count_digits(p);

	if (q > from && q[-1] == ' ')
		q--;
	if (q > from && q[-1] == '.')
		q--;
	if (q - from < 2 || strncasecmp(q - 2, "rp", 2) != 0 ||
	    (q - 2 > from && is_alnum(q[-3])))
		return 0;
	return n <= AMOUNT_DIGITS && p[0] != '0' ? n : 0;
}

/* An amount, date or time at p, which stays: its length, or 0. */
static size_t
kept_len(const char *from, const char *p)
{
	size_t n;

	if ((n = amount_len(p)) == 0 && (n = date_len(p)) == 0 &&
	    (n = time_len(p)) == 0)
		n = rupiah_len(from, p);
	return n > 0 && ends_here(p + n) ? n : 0;
}

/*
 * The joiner at p between two digit groups of one number: a blank; a
 * dot, comma or underscore between digits; a dash or slash, blanks about
 * it or not; parentheses: "0812 3456", "0813,9876", "08123 / 4567890",
 * "(0354) 123456".  Its length, 0 where the number ends; *loose when a
 * blank is in it.
 */
static size_t
joiner_len(const char *p, int *loose)
{
	size_t i = 0;

	*loose = 0;
	if (p[i] == ')')
		i++;
	if (p[i] == ' ') {
		i++;
		*loose = 1;
	}
	if (p[i] == '-' || p[i] == '/') {
		if (p[++i] == ' ') {
			i++;
			*loose = 1;
		}
	} else if (!*loose && is_one_of(p[i], ".,_"))
		i++;
	if (p[i] == '(')
		i++;
	return i > 0 && is_digit(p[i]) ? i : 0;
}

/* The digits of the groups at p up to a loose joiner. */
static size_t
tight_digits(const char *p)
{
	size_t n = 0, d, j;
	int loose;

	for (;;) {
		d = count_digits(p);
		n += d;
		p += d;
		if ((j = joiner_len(p, &loose)) == 0 || loose)
			return n;
		p += j;
	}
}

/*
 * The number at p (digits, or + or a parenthesis before them) up to its
 * last digit or closing parenthesis: its length, its digits in *digits.
 * It ends before a loose joiner that an amount, date or time follows,
 * or, once it has SPLIT_DIGITS, a whole number: "0812... / 0856...".
 */
static size_t
number_len(const char *from, const char *p, size_t *digits)
{
	const char *q = p, *end;
	size_t d, j;
	int loose;

	*digits = 0;
	if (*q == '+' || *q == '(')
		q++;
	for (;;) {
		d = count_digits(q);
		*digits += d;
		q += d;
		end = q;
		if ((j = joiner_len(q, &loose)) == 0)
			break;
		if (loose &&
		    (kept_len(from, q + j) > 0 ||
			(*digits >= SPLIT_DIGITS &&
			    tight_digits(q + j) >= NUMBER_DIGITS)))
			break;
		q += j;
	}
	if (*p == '(' && *end == ')')
		end++;
	return end - p;
}

/* Does a number start at p? */
static int
number_starts(const char *p)
{
	return is_digit(*p) || ((*p == '+' || *p == '(') && is_digit(p[1]));
}

static void
mask_number(struct scan *s)
{
	const char *from = s->mask_end != NULL ? s->mask_end : s->text;
	size_t n = kept_len(from, s->p), digits;

	if (n > 0) {
		copy(s, n);
		return;
	}
	n = number_len(from, s->p, &digits);
	if (digits < NUMBER_DIGITS) {
		copy(s, n);
		return;
	}
	if (*s->p == '(' && s->p[n - 1] == ')') {
		copy(s, 1); /* "(081234567890)": the parentheses stay */
		n -= 2;
	}
	replace(s, n, MASK_NUMBER);
}

/* Digits spelled out, Indonesian and Javanese (ngoko, krama). */
static const char *const digit_words[] = {"nol", "kosong", "satu", "dua",
    "tiga", "empat", "lima", "enam", "tujuh", "delapan", "lapan", "sembilan",
    "siji", "setunggal", "loro", "kalih", "telu", "tigo", "papat", "sekawan",
    "limo", "gangsal", "enem", "nem", "pitu", "wolu", "songo", "sanga", NULL};

/* What may stand between spelled digits: ",", "-" or ".", and a blank. */
static const char *
spelled_gap(const char *p)
{
	if (is_one_of(*p, ",-."))
		p++;
	return *p == ' ' ? p + 1 : p;
}

/*
 * "nol delapan satu dua ...": SPELLED_DIGITS digit words in a row, or
 * two or more among digits that make NUMBER_DIGITS ("kosong wolu 1234
 * 5678").  Masked whole.
 */
static int
try_spelled(struct scan *s)
{
	const char *p = s->p, *end = p;
	size_t n, items, words = 0, digits = 0;

	for (items = 0; items < SPELLED_ITEMS; items++) {
		if ((n = count_letters(p)) > 0 && word_in(p, n, digit_words)) {
			words++;
			digits++;
		} else if (words > 0 && (n = count_digits(p)) > 0 && n <= 4 &&
		    !is_letter(p[n]))
			digits += n;
		else
			break;
		p += n;
		end = p;
		if ((p = spelled_gap(p)) == end)
			break;
	}
	if (!(words >= SPELLED_DIGITS && words == digits) &&
	    !(words >= 2 && digits >= NUMBER_DIGITS))
		return 0;
	replace(s, end - s->p, MASK_NUMBER);
	return 1;
}

/* --- e-mail addresses ------------------------------------------------ */

static int
is_local_char(char c)
{
	return is_alnum(c) || is_one_of(c, "._%+-");
}

/*
 * The domain at p: labels and dots up to the last label that begins with
 * 2 letters or more, which ends it there ("gmail.com", the "gmail.com" of
 * "gmail.com0812..."); its length, or 0.
 */
static size_t
domain_len(const char *p)
{
	size_t i = 0, end = 0, n;

	for (;;) {
		while (is_alnum(p[i]) || p[i] == '-')
			i++;
		if (p[i] != '.' || i == 0 || !is_alnum(p[i + 1]))
			return end;
		i++;
		if ((n = count_letters(p + i)) >= 2)
			end = i + n;
	}
}

/* "budi.s@gmail.com": at a word, the local part, @ and a domain. */
static int
try_email(struct scan *s)
{
	const char *at = s->p;
	size_t n;

	if (s->no_email_before != NULL && s->p < s->no_email_before)
		return 0;
	while (is_local_char(*at))
		at++;
	if (*at != '@' || (n = domain_len(at + 1)) == 0) {
		s->no_email_before = at; /* not from any word before @ */
		return 0;
	}
	replace(s, at + 1 + n - s->p, MASK_EMAIL);
	return 1;
}

/* --- names ----------------------------------------------------------- */

enum name_rule {
	NAME_GIVEN,   /* "nama saya budi santoso": the words, any case */
	NAME_CAPITAL, /* "dengan saya Budi": capitalised words */
	NAME_SELF,    /* "saya Budi Santoso": two, or one before ( or , */
};

struct name_trigger {
	const char *phrase;
	enum name_rule rule;
};

/* Longest first where one begins another. */
static const struct name_trigger name_triggers[] = {
    {"nama lengkap saya", NAME_GIVEN},
    {"nama lengkap :", NAME_GIVEN},
    {"nama lengkap:", NAME_GIVEN},
    {"nama lengkap", NAME_GIVEN},
    {"nama pelapor :", NAME_GIVEN},
    {"nama pelapor:", NAME_GIVEN},
    {"nama pelapor", NAME_GIVEN},
    {"nama saya", NAME_GIVEN},
    {"nama sy", NAME_GIVEN},
    {"nama aku", NAME_GIVEN},
    {"nama ku", NAME_GIVEN},
    {"nama kulo", NAME_GIVEN},
    {"nama :", NAME_GIVEN},
    {"nama:", NAME_GIVEN},
    {"nm :", NAME_GIVEN},
    {"nm:", NAME_GIVEN},
    {"namaku", NAME_GIVEN},
    {"saya bernama", NAME_GIVEN},
    {"sy bernama", NAME_GIVEN},
    {"aku bernama", NAME_GIVEN},
    {"atas nama", NAME_GIVEN},
    {"a.n.", NAME_GIVEN},
    {"a.n", NAME_GIVEN},
    {"a/n", NAME_GIVEN},
    {"an.", NAME_GIVEN},
    {"jenengku", NAME_GIVEN},
    {"jeneng kulo", NAME_GIVEN},
    {"jeneng kula", NAME_GIVEN},
    {"jeneng aku", NAME_GIVEN},
    {"nami kulo", NAME_GIVEN},
    {"nami kula", NAME_GIVEN},
    {"dengan saya", NAME_CAPITAL},
    {"dengan sy", NAME_CAPITAL},
    {"dgn saya", NAME_CAPITAL},
    {"dg saya", NAME_CAPITAL},
    {"perkenalkan saya", NAME_CAPITAL},
    {"kenalkan saya", NAME_CAPITAL},
    {"pelapor :", NAME_GIVEN},
    {"pelapor:", NAME_GIVEN},
    {"hormat saya", NAME_CAPITAL},
    {"hormat kami", NAME_CAPITAL},
    {"salam,", NAME_CAPITAL},
    {"wassalam,", NAME_CAPITAL},
    {"tertanda", NAME_CAPITAL},
    {"ttd.", NAME_CAPITAL},
    {"ttd", NAME_CAPITAL},
    {"saya", NAME_SELF},
    {"sy", NAME_SELF},
    {"sya", NAME_SELF},
    {"aku", NAME_SELF},
    {"kulo", NAME_SELF},
    {"kula", NAME_SELF},
};

/* Before a name, part of it: "Bapak Sutrisno", "Sdr. Budi", "H. Ali". */
static const char *const honorifics[] = {"pak", "bu", "bapak", "ibu", "ibuk",
    "bpk", "bp", "mas", "mbak", "mba", "sdr", "sdri", "saudara", "saudari",
    "ny", "nyonya", "tn", "tuan", "kak", "dik", "adik", "cak", "haji", "hj",
    "h", "ust", "ustadz", NULL};

/* Words that end a name or are none ("nama saya tidak mau disebut"). */
static const char *const not_names[] = {"ada", "adalah", "akan", "aku",
    "alamat", "anak", "anonim", "arep", "asal", "asn", "atau", "badhe", "baru",
    "bayar", "bekerja", "beliau", "belum", "berdomisili", "berharap",
    "bermaksud", "bersama", "bertempat", "blm", "blok", "buat", "bulan",
    "bupati", "camat", "carik", "dan", "dari", "dengan", "desa", "dg", "dgn",
    "di", "dia", "diminta", "dimintai", "dinas", "dipungut", "dirahasiakan",
    "disebut", "ditarik", "domisili", "dr", "dsn", "dusun", "enggak", "ga",
    "gak", "gang", "gg", "gk", "guru", "harap", "hari", "hendak", "hp", "ialah",
    "iki", "ingin", "ini", "instansi", "istri", "itu", "iya", "jalan", "jam",
    "jangan", "jgn", "jl", "jln", "juga", "jumat", "kab", "kabupaten", "kades",
    "kami", "kamis", "kantor", "karo", "kasih", "kav", "ke", "kec", "kecamatan",
    "kecewa", "kel", "kelas", "kelompok", "keluarga", "kelurahan", "kemarin",
    "kepala", "kerja", "ketika", "ketua", "kira", "kita", "kls", "km", "kota",
    "ktp", "kula", "kulo", "kuwi", "lagi", "lan", "lapor", "laporkan",
    "lembaga", "lihat", "lurah", "malam", "masyarakat", "mau", "mboten",
    "melapor", "melaporkan", "melihat", "membayar", "mendapat", "menemukan",
    "mengadu", "mengalami", "menjadi", "menyaksikan", "merasa", "minggu",
    "minta", "mo", "mohon", "negara", "neng", "ngga", "nggak", "nggih", "nik",
    "niku", "ning", "njih", "no", "nomer", "nomor", "omah", "ora", "orang",
    "organisasi", "pada", "pagi", "pedagang", "pegawai", "pejabat", "pekerjaan",
    "pemda", "pemerintah", "pemkab", "pemkot", "penduduk", "pengen", "pengin",
    "pernah", "petugas", "pikir", "pingin", "pkl", "pns", "polisi", "pribadi",
    "pukul", "pun", "rabu", "rahasia", "rakyat", "rasa", "rt", "rumah", "rw",
    "saat", "sabtu", "saking", "sampai", "satpol", "saya", "sbg", "sdh",
    "sebagai", "sebut", "sedang", "sejak", "sekdes", "sekitar", "seko",
    "selaku", "selamat", "selasa", "sendiri", "senin", "seorang", "siang",
    "sing", "soko", "sopir", "sore", "staf", "staff", "suami", "sudah", "sy",
    "tadi", "tahun", "tanggal", "tdk", "teko", "telah", "telp", "terima",
    "tersebut", "tgl", "th", "thn", "tidak", "tinggal", "tlp", "tolong", "tsb",
    "udah", "umur", "untuk", "usia", "utk", "wa", "wali", "walikota", "warga",
    "wonten", "ya", "yaitu", "yang", "yg", NULL};

/* Words between "nama saya" and the name. */
static const char *const name_fillers[] = {"adalah", "ialah", "yaitu", NULL};

/* Between "nama saya" and the name: " ", " : ", ", ", " adalah ". */
static const char *
name_gap(const char *p, enum name_rule rule)
{
	size_t n;

	if (*p == ' ')
		p++;
	if (rule == NAME_SELF)
		return p;
	if (is_one_of(*p, ":-=,"))
		p += p[1] == ' ' ? 2 : 1;
	if (rule == NAME_GIVEN && (n = phrase_in(p, name_fillers)) > 0 &&
	    p[n] == ' ')
		p += n + 1;
	return p;
}

/* The name trigger at p, its length in *n; NULL when none is. */
static const struct name_trigger *
name_trigger_at(const char *p, size_t *n)
{
	size_t i;

	for (i = 0; i < sizeof name_triggers / sizeof name_triggers[0]; i++)
		if ((*n = phrase_at(p, name_triggers[i].phrase)) > 0)
			return &name_triggers[i];
	return NULL;
}

/*
 * The word of a name at p: a letter, then letters, other characters than
 * ASCII (é, ’) and ' or - between letters ("Budi" of "Budi0812...").
 */
static size_t
name_word_len(const char *p)
{
	size_t n = 0;

	if (!is_letter(*p))
		return 0;
	while (is_letter(p[n]) || (unsigned char)p[n] >= 0x80 ||
	    (is_one_of(p[n], "'-") && is_letter(p[n + 1])))
		n++;
	return n;
}

/* "Budi", "M": capitalised, not written in capitals (unless one letter). */
static int
is_title_word(const char *p, size_t n)
{
	size_t i;

	if (!is_upper(p[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (is_lower(p[i]))
			return 1;
	return n == 1;
}

/* After a name's word of n bytes at p: where the next would begin. */
static const char *
next_name_word(const char *p, size_t n)
{
	if (*p == '.' && n <= 3)
		p++; /* "M. Yusuf", "Moh.Ali", "Bpk. Budi" */
	return *p == ' ' ? p + 1 : p;
}

/*
 * The end of the name at p: at most two honorifics (*titles), then up to
 * NAME_WORDS words (*words), all capitalised or none, none of them
 * not_names; capitalised ones only (rule) after "dengan saya" or "saya".
 * NULL when it has no word.
 */
static const char *
name_end(const char *p, enum name_rule rule, int *words, int *titles)
{
	const char *end = NULL;
	int capital = -1;
	size_t n;

	*words = *titles = 0;
	while (*words < NAME_WORDS && (n = name_word_len(p)) > 0) {
		if (*words == 0 && *titles < 2 && word_in(p, n, honorifics)) {
			(*titles)++;
			p = next_name_word(p + n, n);
			continue;
		}
		if (word_in(p, n, not_names) || word_in(p, n, honorifics) ||
		    (rule != NAME_GIVEN && !is_title_word(p, n)) ||
		    (capital != -1 && capital != is_upper(*p)))
			break;
		capital = is_upper(*p);
		(*words)++;
		end = p + n;
		p = next_name_word(end, n);
	}
	return end;
}

/*
 * "nama saya Budi Santoso, warga ..." becomes "nama saya [nama
 * disamarkan], warga ...".  After "saya" alone, only two capitalised
 * words, or one after an honorific ("kulo Pak Tarno") or before "(" or
 * ",": "sy Rina (NIK ...)".
 */
static int
try_name(struct scan *s)
{
	const struct name_trigger *t;
	const char *name, *end, *after;
	size_t n;
	int words, titles;

	/* not "90-an. Budi", "wa.me/sy" */
	if (s->p > s->text && is_one_of(s->p[-1], "-./@_"))
		return 0;
	if ((t = name_trigger_at(s->p, &n)) == NULL)
		return 0;
	name = name_gap(s->p + n, t->rule);
	if ((end = name_end(name, t->rule, &words, &titles)) == NULL)
		return 0;
	after = *end == ' ' ? end + 1 : end;
	if (t->rule == NAME_SELF && words < 2 && titles == 0 && *after != '(' &&
	    *after != ',')
		return 0;
	copy(s, name - s->p);
	replace(s, end - name, MASK_NAME);
	return 1;
}

/* --- addresses ------------------------------------------------------- */

/* 'T' for the word RT at p, 'W' for RW (any case, digits may follow). */
static int
rtrw_at(const char *p)
{
	char c;

	if ((p[0] & ~0x20) != 'R')
		return 0;
	c = p[1] & ~0x20;
	return (c == 'T' || c == 'W') && !is_letter(p[2]) ? c : 0;
}

/* The number after RT or RW: "03", ".003", ": 3", "-03"; length or 0. */
static size_t
rtrw_number_len(const char *p)
{
	size_t i = 0, n;

	while (i < 3 && is_one_of(p[i], " .:-"))
		i++;
	n = count_digits(p + i);
	return n >= 1 && n <= 3 && !is_alnum(p[i + n]) ? i + n : 0;
}

/* Between "RT 03" and "RW 05": a blank, a slash or comma, or both. */
static const char *
rtrw_gap(const char *p)
{
	if (*p == ' ')
		p++;
	if (*p == '/' || *p == ',')
		p += p[1] == ' ' ? 2 : 1;
	return p;
}

/*
 * "RT 03 RW 05", "RT 3/RW 5", "RT.003/RW.005", "rt03 rw05", "RT/RW
 * 03/05" become "RT/RW [alamat disamarkan]" (the words as written);
 * "RT 03" "RT [alamat disamarkan]".  RT without a number stays.
 */
static int
try_neighbourhood(struct scan *s)
{
	const char *p = s->p + 2, *second = NULL, *r;
	int first = rtrw_at(s->p), other = first == 'T' ? 'W' : 'T';
	size_t n;

	if (first == 0)
		return 0;
	if (*p == '/' && rtrw_at(p + 1) == other) {
		second = p + 1;
		p += 3;
	}
	if ((n = rtrw_number_len(p)) == 0)
		return 0;
	p += n;
	r = rtrw_gap(p);
	if (*p == '/' && (n = count_digits(p + 1)) >= 1 && n <= 3 &&
	    !is_alnum(p[1 + n]))
		p += 1 + n; /* "RT 03/05" */
	else if (second == NULL && rtrw_at(r) == other &&
	    (n = rtrw_number_len(r + 2)) > 0) {
		second = r;
		p = r + 2 + n;
	}
	put(&s->o, s->p, 2);
	if (second != NULL) {
		put(&s->o, "/", 1);
		put(&s->o, second, 2);
	}
	put(&s->o, " " MASK_ADDRESS, sizeof MASK_ADDRESS);
	s->p = s->mask_end = p;
	return 1;
}

/* Streets, after which a number alone is the house's: "Jl. Mawar 12". */
static const char *const streets[] = {"jl", "jln", "jalan", NULL};
/* Other words that a house number follows: "Gg. Melati 3 no 7". */
static const char *const house_places[] = {"gg", "gang", "rumah", "rmh", "omah",
    "perum", "perumahan", "komplek", "kompleks", "komp", "blok", "kos", "kost",
    "alamat", "almt", NULL};
/* The words of a house number. */
static const char *const number_words[] = {"no", "nomor", "nomer", "nmr", NULL};

/*
 * A number as houses have: 12, 12A, 12/3, 5-7 (not a date's 14-02-2026);
 * its length, or 0.
 */
static size_t
house_digits_len(const char *p)
{
	size_t n = count_digits(p), m;

	if (n < 1 || n > 4)
		return 0;
	if (is_letter(p[n]) && !is_alnum(p[n + 1]))
		n++;
	else if (is_one_of(p[n], "/-") && (m = count_digits(p + n + 1)) >= 1 &&
	    m <= 4)
		n += 1 + m;
	return is_alnum(p[n]) ||
		(is_one_of(p[n], "-/.,:") && is_digit(p[n + 1]))
	    ? 0
	    : n;
}

/* "No. 12", "no 12a", "nomor: 5/7", "No.5": its length, or 0. */
static size_t
house_number_len(const char *p)
{
	size_t i = count_letters(p), n;

	if (!word_in(p, i, number_words))
		return 0;
	if (p[i] == '.')
		i++;
	if (p[i] == ':')
		i++;
	if (p[i] == ' ')
		i++;
	return (n = house_digits_len(p + i)) > 0 ? i + n : 0;
}

/*
 * A number alone after a street's name, unless a "No." follows it ("Jl.
 * Mawar 3 No. 7": the 3 is the street's).
 */
static size_t
street_number_len(const char *p)
{
	size_t n = house_digits_len(p);

	return n > 0 && !(p[n] == ' ' && house_number_len(p + n + 1) > 0) ? n
									  : 0;
}

/* A word of a street's name at p: "Mawar", "Kh.", "3"; its length. */
static size_t
street_word_len(const char *p)
{
	size_t n = 0;

	while (is_alnum(p[n]) || is_one_of(p[n], ".'-"))
		n++;
	return n;
}

/* Is the street word at p of n bytes part of a name: "Mawar", "Kh."? */
static int
is_name_part(const char *p, size_t n)
{
	size_t letters = count_letters(p);

	return letters > 0 && letters + (p[letters] == '.') == n &&
	    !word_in(p, letters, not_names);
}

/*
 * At a street or house word, find its house number in the next
 * STREET_WORDS words, to be masked when the scan reaches it: "Jl. Kh.
 * Agus Salim No.5", "rumah no 12"; after a street a number alone right
 * after its name too: "Jl. Mawar 12" (not "Jl. Raya Km 5", "jalan
 * Brawijaya tgl 14/2").
 */
static void
note_house_number(struct scan *s)
{
	const char *p = s->p;
	size_t n = count_letters(p), m;
	int named = word_in(p, n, streets), words;

	if (s->house_at != NULL || (!named && !word_in(p, n, house_places)))
		return;
	p += n;
	if (*p == '.')
		p++;
	for (words = 0; words <= STREET_WORDS; words++) {
		if (*p == ' ')
			p++;
		if ((m = house_number_len(p)) == 0 && named && words > 0)
			m = street_number_len(p);
		if (m > 0) {
			s->house_at = p;
			s->house_end = p + m;
			return;
		}
		if ((m = street_word_len(p)) == 0)
			return;
		named = named && is_name_part(p, m);
		p += m;
	}
}

/* At the house number noted: mask it.  0 when the scan is not there. */
static int
house_number_here(struct scan *s)
{
	const char *at = s->house_at;

	if (at == NULL || s->p < at)
		return 0;
	s->house_at = NULL;
	if (s->p != at)
		return 0; /* passed inside another mask */
	replace(s, s->house_end - at, MASK_ADDRESS);
	return 1;
}

/* --- plates ---------------------------------------------------------- */

/* Region codes of Indonesian number plates. */
static const char *const plate_regions[] = {"a", "b", "d", "e", "f", "g", "h",
    "k", "l", "m", "n", "p", "r", "s", "t", "w", "z", "aa", "ab", "ad", "ae",
    "ag", "ba", "bb", "bd", "be", "bg", "bh", "bk", "bl", "bm", "bn", "bp",
    "da", "db", "dc", "dd", "de", "dg", "dh", "dk", "dl", "dm", "dn", "dr",
    "dt", "ea", "eb", "ed", "kb", "kh", "kt", "ku", "pa", "pb", NULL};

/* Words after which a plate needs no letters: "nopol B 1234". */
static const char *const plate_words[] = {"plat nomor", "plat nomer",
    "plat no.", "plat no", "platnya", "plat", "nomor plat", "no plat",
    "nomor polisi", "no. polisi", "nomor kendaraan", "no. pol.", "no. pol",
    "no.pol.", "no.pol", "no pol", "nopolnya", "nopol", "tnkb", NULL};

/* Are p[0..n) all in the case of c? */
static int
same_case(const char *p, size_t n, char c)
{
	while (n-- > 0)
		if (is_upper(*p++) != is_upper(c))
			return 0;
	return 1;
}

/*
 * The plate at p: a region code, a blank or dash or none, 1-4 digits, and
 * 1-3 letters in the region's case (not RT or RW).  After a plate word
 * any such will do, letters or none; else it needs its letters, and then
 * either is written in capitals ("L 5678 AB", "B 1 RFS") or close
 * ("ag1234xy", with 3 digits or 2 letters: not "A52s").  Its length, or
 * 0.
 */
static size_t
plate_len(const char *p, int after_word)
{
	size_t r = count_letters(p), i, j, d, l;
	int spaced = 0;

	if (r < 1 || r > 2 || !word_in(p, r, plate_regions))
		return 0;
	i = r;
	if (is_one_of(p[i], " -")) {
		i++;
		spaced = 1;
	}
	if ((d = count_digits(p + i)) < 1 || d > 4)
		return 0;
	i += d;
	j = i;
	if (is_one_of(p[j], " -"))
		j++;
	l = count_letters(p + j);
	if (l >= 1 && l <= 3 && same_case(p + j, l, p[0]) &&
	    !(l == 2 && rtrw_at(p + j))) {
		spaced |= j > i;
		i = j + l;
	} else
		l = 0;
	if (is_alnum(p[i]))
		return 0;
	if (after_word)
		return i;
	if (l == 0)
		return 0;
	if (!spaced)
		return d >= 3 || l >= 2 ? i : 0;
	return same_case(p, r, 'A') && same_case(p + j, l, 'A') ? i : 0;
}

static int
try_plate(struct scan *s)
{
	size_t gap = phrase_in(s->p, plate_words), n;

	if (gap > 0) {
		if (s->p[gap] == ':')
			gap++;
		if (s->p[gap] == ' ')
			gap++;
		if ((n = plate_len(s->p + gap, 1)) == 0)
			return 0;
		copy(s, gap);
		replace(s, n, MASK_PLATE);
		return 1;
	}
	if ((n = plate_len(s->p, 0)) == 0)
		return 0;
	replace(s, n, MASK_PLATE);
	return 1;
}

/* --- the whole ------------------------------------------------------- */

/* At a word: the rules in turn, until one masks (1) or none does (0). */
static int
mask_word(struct scan *s)
{
	note_house_number(s);
	return try_email(s) || try_name(s) || try_neighbourhood(s) ||
	    try_plate(s) || try_spelled(s);
}

static void
mask_flat(struct scan *s)
{
	while (*s->p != '\0' && !s->o.full) {
		if (house_number_here(s))
			continue;
		if (at_word_start(s) && mask_word(s))
			continue;
		if (number_starts(s->p))
			mask_number(s);
		else
			copy(s, char_len(s->p));
	}
}

size_t
mask_room(size_t len)
{
	return len + (len / GROWTH_IN + 1) * GROWTH_OUT + ELLIPSIS_LEN;
}

void
mask_text(const char *text, char *out, size_t max)
{
	char *flat = flatten(text != NULL ? text : "");
	struct scan s;

	if (flat == NULL) {
		out[0] = '\0';
		return;
	}
	memset(&s, 0, sizeof s);
	s.text = s.p = flat;
	s.o.buf = out;
	s.o.room = max > ELLIPSIS_LEN ? max - ELLIPSIS_LEN : 0;
	mask_flat(&s);
	if (s.o.full) {
		while (s.o.len > 0 && out[s.o.len - 1] == ' ')
			s.o.len--;
		if (max >= ELLIPSIS_LEN) {
			memcpy(out + s.o.len, ELLIPSIS, ELLIPSIS_LEN);
			s.o.len += ELLIPSIS_LEN;
		}
	}
	out[s.o.len] = '\0';
	free(flat);
}
