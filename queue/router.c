/*
 * router: owns the routing decision of queue/router.h, from the words of a
 * citizen's report (and a WhatsApp location pin) to a category, an OPD, a
 * kecamatan and a kelurahan, with the matched terms as evidence.  Pure: no
 * I/O and no globals; router_new() turns the config into term tables,
 * router_route() reads only them and a private work area.
 *
 * The rules, in the order they apply:
 *
 * 1. Normalising.  Text (and the pin's name and address, each a segment of
 *    its own) is lowercased; everything but ASCII letters and digits
 *    separates words (so emoji and punctuation vanish); a letter-digit
 *    boundary splits a word ("rt03" = "rt 03"); a run of three or more of
 *    one letter becomes one ("tolooong"); a "-nya" suffix is split off;
 *    abbreviations and SMS, Javanese and slang spellings become one form
 *    (kel, kel., kelr -> kelurahan; kec -> kecamatan; ds -> desa; jl, jln ->
 *    jalan; gak, mboten -> tidak; duit -> uang; njaluk -> minta ...); a
 *    word one edit from "kelurahan" or "kecamatan" is that word.  Amounts
 *    (50rb, 50 ribu, 50k, Rp 50.000, 50.000, 1,5jt) become one token
 *    "#50000", so a keyword "50rb" matches every way of writing it.
 *    Keywords and place names go through the same normalising.
 * 2. Matching.  A term matches whole words.  Words are compared with each
 *    run of a repeated letter counted once and with the spaces between
 *    them ignored ("Ringinanom" = "Ringin Anom", "setonogedong"), over at
 *    most four words; a term of three letters or fewer ("KK", "SD", "RT",
 *    "KIR") only as exactly its own words.  Where two matches of one field
 *    overlap, a shorter one inside a longer one is dropped (the phrase
 *    "pajak parkir" takes the word "parkir" from "parkir").
 * 3. Places.  A place name of five letters or more also matches with one
 *    edit (Damerau-Levenshtein 1: "ngrongo", "kelurhan ngronggo") when it
 *    follows kelurahan/desa/kecamatan or has seven letters or more, unless
 *    the words are a configured keyword or a common word such as
 *    "bayaran".  A kelurahan implies its kecamatan.  A place name that is
 *    also a common word (Kota, Pojok, Bawang, Kemasan, Bangsal, Pesantren,
 *    or any configured keyword) counts only after kelurahan/kecamatan/desa,
 *    or capitalised after "di", "daerah", "wilayah", "sekitar" or "dekat";
 *    "kota" sets kecamatan Kota only as "kec kota" / "kecamatan kota";
 *    "pondok pesantren" is never a place.  A name that is both a kecamatan
 *    and a kelurahan (Mojoroto, Pesantren) is read by the word before it:
 *    after kecamatan it sets the kecamatan and no kelurahan; after
 *    kelurahan or desa it sets both; bare, it sets both too, because the
 *    kelurahan lies in the kecamatan of the same name.  Of several
 *    kelurahan the one after a marker wins, then an exact over a one-edit
 *    match, then the first mentioned; one inside a kecamatan the text
 *    names explicitly is preferred.  A kelurahan beats a different
 *    explicitly named kecamatan (it is the more precise).  "lurah X" and
 *    "camat X" read X like "kelurahan X" and "kecamatan X" do.  A
 *    kelurahan/kecamatan/desa word used before a place is not an OPD or
 *    category keyword ("kel. X, urus KTP" is not about the kelurahan
 *    office) unless nothing else matched ("kecamatan X petugasnya jutek").
 * 4. Location pin.  When the text names no kelurahan, a pin maps to the
 *    nearest configured point (great-circle distance) within
 *    routing.max_distance_km, which sets the kelurahan and its kecamatan
 *    (unless the text named another kecamatan: the text stands).
 * 5. Category and OPD.  Each scores the sum, over its distinct matched
 *    keywords, of the number of words of the keyword (a phrase beats a
 *    single word; a keyword said twice counts once).  The highest score
 *    wins; on a tie the earliest mention, then the config's order.  An
 *    OPD with regions is eligible only when the report's kecamatan is
 *    known and one of them.  Keywords are read in passes, the next only
 *    when the one before decided nothing: the text; the pin's name and
 *    address; the place-marker words.  No eligible OPD matched: the triage
 *    OPD of [routing], triage = 1, with the reason.  No category keyword
 *    matched: no category (the config's keyword-less "lainnya" is for
 *    people to choose).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "queue/router.h"

#define MAX_WORDS 1024 /* of a report; later words are not read */
#define WORD_MAX  32   /* bytes of a normalised word */
#define MAX_SPAN  4    /* words a term may match */
#define SPAN_MAX  48   /* bytes of a span's matching key */
#define MAX_MATCH 512  /* keyword and place matches of a report */
#define MAX_SEGS  3    /* text, location name, location address */
#define EDIT_MIN  5    /* letters a place name needs to allow one edit */
#define EDIT_BARE 7    /* ... and to allow it without a marker before */

enum term_kind { T_CATEGORY, T_OPD, T_KELURAHAN, T_KECAMATAN };

struct term {
	enum term_kind kind;
	size_t owner;	    /* category, opd or region index */
	const char *text;   /* as configured */
	char key[SPAN_MAX]; /* matching key */
	size_t keylen;
	int nwords;
	int common;  /* a place name that is also a common word */
	int kel_too; /* a kecamatan name that is also its kelurahan */
};

/*
 * A hash table from a string to an index (open addressing, linear
 * probing, a power of two of slots; a NULL key is an empty slot).
 */
struct slot {
	const char *key;
	size_t len, index;
};

struct table {
	struct slot *slot;
	size_t mask; /* slots - 1 */
};

/*
 * A place term that allows one edit, with what rules most words out
 * cheaply: one edit of a key of five letters or more keeps its first or
 * its last letter, and changes at most two bits of its set of letters.
 */
struct fuzzy_place {
	const struct term *t;
	size_t order;	  /* rank in term order: the order its matches go in */
	uint32_t letters; /* letter_set() of the key */
};

struct router {
	const struct config *cfg;
	const struct opd *triage;
	struct term *terms; /* sorted by key */
	size_t nterms;
	struct table by_key; /* key -> index of the first term with that key */
	struct table spelling;	 /* slang[].from -> its index */
	struct fuzzy_place *places; /* sorted by key length, then order */
	size_t nplaces;
	/* places[by_len[L] .. by_len[L + 1]) have keys of L bytes */
	size_t by_len[SPAN_MAX + 2];
};

enum marker { M_NONE, M_KEL, M_KEC };

struct word {
	char norm[WORD_MAX];
	size_t len;	   /* of norm */
	size_t start, end; /* bytes of its segment */
	unsigned seg;
	int cap; /* written with a capital first letter */
	enum marker marker;
	int weak; /* lurah, camat: a marker that stays a keyword */
	int used; /* a marker consumed by a place after it */
};

struct match {
	const struct term *t;
	size_t i;  /* first word */
	int len;   /* words */
	int fuzzy; /* one edit */
	int dropped;
};

/* The matching key of a span of words (span_key()). */
struct span {
	char key[SPAN_MAX];
	size_t len;
	uint32_t letters; /* letter_set() of the key */
};

/*
 * A one-edit place match, found at its word but added after the exact
 * matches in the order of the places, then of the words.
 */
struct pending {
	const struct term *t;
	size_t order, i;
	int len;
};

struct work {
	const struct router *r; /* its spelling table, for normalising */
	struct word w[MAX_WORDS];
	size_t n;
	struct match m[MAX_MATCH];
	size_t nm;
	struct pending fz[MAX_MATCH];
	size_t nfz;
	const char *seg[MAX_SEGS];
};

/* Spellings of one word that become another (one or two words). */
static const struct {
	const char *from, *to;
} slang[] = {
    {"kel", "kelurahan"},
    {"kelr", "kelurahan"},
    {"kelrhn", "kelurahan"},
    {"ds", "desa"},
    {"kec", "kecamatan"},
    {"kcm", "kecamatan"},
    {"kcmtn", "kecamatan"},
    {"kecmtn", "kecamatan"},
    {"jl", "jalan"},
    {"jln", "jalan"},
    {"gg", "gang"},
    {"yg", "yang"},
    {"dgn", "dengan"},
    {"dg", "dengan"},
    {"tdk", "tidak"},
    {"gak", "tidak"},
    {"ga", "tidak"},
    {"gk", "tidak"},
    {"nggak", "tidak"},
    {"ngga", "tidak"},
    {"ndak", "tidak"},
    {"enggak", "tidak"},
    {"engga", "tidak"},
    {"mboten", "tidak"},
    {"ora", "tidak"},
    {"sdh", "sudah"},
    {"udh", "sudah"},
    {"udah", "sudah"},
    {"wis", "sudah"},
    {"blm", "belum"},
    {"utk", "untuk"},
    {"org", "orang"},
    {"krn", "karena"},
    {"karna", "karena"},
    {"sy", "saya"},
    {"aku", "saya"},
    {"kulo", "saya"},
    {"dr", "dari"},
    {"sm", "sama"},
    {"bs", "bisa"},
    {"iso", "bisa"},
    {"kalo", "kalau"},
    {"klo", "kalau"},
    {"kl", "kalau"},
    {"nek", "kalau"},
    {"lek", "kalau"},
    {"byr", "bayar"},
    {"mbayar", "bayar"},
    {"bayare", "bayar"},
    {"duit", "uang"},
    {"duwit", "uang"},
    {"njaluk", "minta"},
    {"jaluk", "minta"},
    {"dijaluk", "diminta"},
    {"mnt", "minta"},
    {"mintain", "minta"},
    {"dimintain", "diminta"},
    {"dimintai", "diminta"},
    {"nggih", "ya"},
    {"iya", "ya"},
    {"sampeyan", "anda"},
    {"panjenengan", "anda"},
    {"bpk", "bapak"},
    {"pak", "bapak"},
    {"rmh", "rumah"},
    {"rs", "rumah sakit"},
    {"rsu", "rsud"},
    {"puskes", "puskesmas"},
    {"pkm", "puskesmas"},
    {"sklh", "sekolah"},
    {"skolah", "sekolah"},
    {"ortu", "orang tua"},
    {"tlg", "tolong"},
    {"jg", "juga"},
    {"lg", "lagi"},
    {"dpt", "dapat"},
    {"bln", "bulan"},
    {"thn", "tahun"},
    {"skrg", "sekarang"},
    {"trs", "terus"},
    {"trus", "terus"},
    {"spt", "seperti"},
    {"ijin", "izin"},
    {"nyogok", "sogok"},
    {"disogok", "sogok"},
    {"nyuap", "suap"},
    {"malak", "palak"},
    {"dipalakin", "dipalak"},
    {"ngurus", "urus"},
    {"ngurusin", "urus"},
    {"ket", "keterangan"},
    {"srt", "surat"},
    {"akte", "akta"},
    {"ijasah", "ijazah"},
    {"rapot", "rapor"},
    {"raport", "rapor"},
    {"restribusi", "retribusi"},
    {"ponpes", "pondok pesantren"},
    {"parkiran", "parkir"},
};

/* Place names that are also everyday words: they need a marker. */
static const char *const common_places[] = {
    "kota", "bangsal", "pojok", "bawang", "kemasan", "pesantren"};

/* Words one edit from a place name that must not be read as it. */
static const char *const not_places[] = {"bayaran", "bangsa", "bangsat",
    "bawah", "derma", "bete", "taman", "tanaman", "pakaian", "jagalah", "kemas",
    "pesanan", "pesantran", "lurah", "camat"};

/* Words after which a capitalised common place name counts. */
static const char *const place_preps[] = {
    "di", "daerah", "wilayah", "sekitar", "dekat"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Is b equal to a with one letter left out? */
static int
one_deleted(const char *a, size_t la, const char *b)
{
	size_t i = 0;

	while (i < la - 1 && a[i] == b[i])
		i++;
	return memcmp(a + i + 1, b + i, la - 1 - i) == 0;
}

/*
 * The Damerau-Levenshtein distance of a and b (optimal string alignment)
 * when it is 0 or 1, else 2: one substitution, insertion, deletion or
 * transposition of neighbours.  Linear.
 */
static int
edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;

	if (la == lb) {
		while (i < la && a[i] == b[i])
			i++;
		if (i == la)
			return 0;
		if (memcmp(a + i + 1, b + i + 1, la - i - 1) == 0)
			return 1; /* substitution */
		if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    memcmp(a + i + 2, b + i + 2, la - i - 2) == 0)
			return 1; /* transposition */
		return 2;
	}
	if (la == lb + 1)
		return one_deleted(a, la, b) ? 1 : 2;
	if (lb == la + 1)
		return one_deleted(b, lb, a) ? 1 : 2;
	return 2;
}

/* --- normalising ------------------------------------------------------- */

static void
add_word(struct work *wk, const char *norm, size_t len, size_t start,
    size_t end, unsigned seg, int cap)
{
	struct word *w;

	if (wk->n >= MAX_WORDS || len == 0)
		return;
	w = &wk->w[wk->n++];
	memset(w, 0, sizeof *w);
	if (len >= WORD_MAX)
		len = WORD_MAX - 1;
	memcpy(w->norm, norm, len);
	w->norm[len] = '\0';
	w->start = start;
	w->end = end;
	w->seg = seg;
	w->cap = cap;
	if (strcmp(w->norm, "kelurahan") == 0 || strcmp(w->norm, "desa") == 0)
		w->marker = M_KEL;
	else if (strcmp(w->norm, "kecamatan") == 0)
		w->marker = M_KEC;
	else if (strcmp(w->norm, "lurah") == 0)
		w->marker = M_KEL, w->weak = 1;
	else if (strcmp(w->norm, "camat") == 0)
		w->marker = M_KEC, w->weak = 1;
}

/* A letter word: squeezed, "-nya" split off, spelled one way. */
static void
add_letters(struct work *wk, const char *s, size_t len, size_t start,
    size_t end, unsigned seg, int cap)
{
	char buf[WORD_MAX];
	const char *to, *sp;
	size_t n = 0, i, run;

	for (i = 0; i < len && n < sizeof buf - 1; i += run) {
		for (run = 1; i + run < len && s[i + run] == s[i]; run++)
			;
		buf[n++] = s[i];
		if (run == 2 && n < sizeof buf - 1)
			buf[n++] = s[i];
	}
	buf[n] = '\0';
	if (n >= 6 && strcmp(buf + n - 3, "nya") == 0) {
		add_letters(wk, buf, n - 3, start, end, seg, cap);
		return;
	}
	for (i = 0; i < NELEM(slang); i++)
		if (strcmp(slang[i].from, buf) == 0)
			break;
	if (i < NELEM(slang)) {
		to = slang[i].to;
		if ((sp = strchr(to, ' ')) != NULL) {
			add_word(
			    wk, to, (size_t)(sp - to), start, end, seg, cap);
			to = sp + 1;
		}
		add_word(wk, to, strlen(to), start, end, seg, cap);
		return;
	}
	if (n >= 7 && n <= 11) {
		if (edit_distance(buf, n, "kelurahan", 9) <= 1) {
			add_word(wk, "kelurahan", 9, start, end, seg, cap);
			return;
		}
		if (edit_distance(buf, n, "kecamatan", 9) <= 1) {
			add_word(wk, "kecamatan", 9, start, end, seg, cap);
			return;
		}
	}
	add_word(wk, buf, n, start, end, seg, cap);
}

/* A raw token: a run of letters and digits, '.' and ',' between digits. */
struct raw {
	size_t start, end;
};

static long long
multiplier(const char *s, size_t n)
{
	static const struct {
		const char *w;
		long long m;
	} mults[] = {{"rb", 1000}, {"rbu", 1000}, {"ribu", 1000},
	    {"rebu", 1000}, {"k", 1000}, {"jt", 1000000}, {"juta", 1000000},
	    {"jeti", 1000000}};
	size_t i;

	for (i = 0; i < NELEM(mults); i++)
		if (strlen(mults[i].w) == n && strncmp(mults[i].w, s, n) == 0)
			return mults[i].m;
	return 0;
}

/*
 * The rupiah of the number s[0..n) (digits, '.' or ',' groups) times mult;
 * -1 when it is not an amount.  With no multiplier, only grouped thousands
 * (50.000), or rp, or a round plain number (50000) are amounts.
 */
static long long
amount_value(const char *s, size_t n, long long mult, int rp)
{
	long long v = 0, frac = 0, fracdiv = 1;
	size_t i, ngroups = 0, glen = 0, first = 0;
	int grouped = 1, sep = 0;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ',') {
			if (ngroups == 0)
				first = glen;
			else if (glen != 3)
				grouped = 0;
			ngroups++;
			glen = 0;
			sep = 1;
			continue;
		}
		glen++;
	}
	if (sep && (glen != 3 || first > 3 || first == 0))
		grouped = 0;
	if (sep && !grouped) {
		/* a decimal fraction: only with a multiplier, one separator */
		if (mult == 0 || ngroups != 1 || glen > 2)
			return -1;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ',') {
			if (!grouped)
				break;
			continue;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (sep && !grouped)
		for (i++; i < n; i++) {
			frac = frac * 10 + (s[i] - '0');
			fracdiv *= 10;
		}
	if (mult == 0) {
		if (!rp && !(sep && grouped) &&
		    (s[0] == '0' || n < 4 || n > 9 || v % 1000 != 0))
			return -1;
		mult = 1;
	}
	if (v > 1000000000000LL / mult)
		return -1;
	return v * mult + frac * mult / fracdiv;
}

static void
add_amount(struct work *wk, long long v, size_t start, size_t end, unsigned seg)
{
	char buf[WORD_MAX];

	snprintf(buf, sizeof buf, "#%lld", v);
	add_word(wk, buf, strlen(buf), start, end, seg, 0);
}

/* Add raw token r as words, split at letter-digit boundaries. */
static void
add_plain(struct work *wk, const char *lc, const char *src, const struct raw *r,
    unsigned seg)
{
	const char *s = lc + r->start;
	size_t n = r->end - r->start, i, j;

	for (i = 0; i < n; i = j) {
		int digit = isdigit((unsigned char)s[i]) != 0;

		if (!isalnum((unsigned char)s[i])) {
			j = i + 1; /* a '.' or ',' between digits */
			continue;
		}
		for (j = i; j < n && isalnum((unsigned char)s[j]) &&
		     (isdigit((unsigned char)s[j]) != 0) == digit;
		     j++)
			;
		if (digit)
			add_word(wk, s + i, j - i, r->start + i, r->start + j,
			    seg, 0);
		else
			add_letters(wk, s + i, j - i, r->start + i,
			    r->start + j, seg,
			    isupper((unsigned char)src[r->start + i]) != 0);
	}
}

/*
 * One raw token and what may follow it: an amount (rp, a number, a
 * multiplier word, in one token or several) becomes one word, anything
 * else add_plain().  Returns the raw tokens consumed.
 */
static size_t
add_raw(struct work *wk, const char *lc, const char *src, const struct raw *r,
    size_t nr, unsigned seg)
{
	const char *s = lc + r[0].start, *ns;
	size_t n = r[0].end - r[0].start, numtok = 0, off = 0, last, nn, dn;
	long long mult, v;
	int rp = 0;

	if (n >= 2 && s[0] == 'r' && s[1] == 'p') {
		if (n == 2 && nr >= 2 && isdigit((unsigned char)lc[r[1].start]))
			numtok = 1;
		else if (n > 2 && isdigit((unsigned char)s[2]))
			off = 2;
		else
			goto plain;
		rp = 1;
	} else if (!isdigit((unsigned char)s[0]))
		goto plain;
	ns = lc + r[numtok].start + off;
	nn = r[numtok].end - r[numtok].start - off;
	for (dn = 0; dn < nn &&
	     (isdigit((unsigned char)ns[dn]) || ns[dn] == '.' || ns[dn] == ',');
	     dn++)
		;
	last = numtok;
	if (dn < nn) {
		if ((mult = multiplier(ns + dn, nn - dn)) == 0)
			goto plain;
	} else if (numtok + 1 < nr &&
	    (mult = multiplier(lc + r[numtok + 1].start,
		 r[numtok + 1].end - r[numtok + 1].start)) != 0)
		last = numtok + 1;
	else
		mult = 0;
	if ((v = amount_value(ns, dn, mult, rp)) < 0)
		goto plain;
	add_amount(wk, v, r[0].start, r[last].end, seg);
	return last + 1;
plain:
	add_plain(wk, lc, src, r, seg);
	return 1;
}

/* Words of src[0..len) appended to wk as segment seg. */
static void
add_text(struct work *wk, const char *src, size_t len, unsigned seg)
{
	struct raw raws[64];
	char *lc;
	size_t i, nr, k, start;

	if ((lc = malloc(len + 1)) == NULL)
		return;
	for (i = 0; i < len; i++)
		lc[i] = (char)tolower((unsigned char)src[i]);
	lc[len] = '\0';
	i = 0;
	while (i < len && wk->n < MAX_WORDS) {
		/* collect up to 64 raw tokens, then add them */
		for (nr = 0; nr < NELEM(raws) && i < len;) {
			unsigned char c = (unsigned char)lc[i];

			if (!(c < 0x80 && isalnum(c))) {
				i++;
				continue;
			}
			start = i;
			while (i < len) {
				c = (unsigned char)lc[i];
				if (c < 0x80 && isalnum(c)) {
					i++;
					continue;
				}
				if ((c == '.' || c == ',') && i > start &&
				    isdigit((unsigned char)lc[i - 1]) &&
				    i + 1 < len &&
				    isdigit((unsigned char)lc[i + 1])) {
					i++;
					continue;
				}
				break;
			}
			raws[nr].start = start;
			raws[nr].end = i;
			nr++;
		}
		/* keep the last three for look-ahead unless at the end */
		for (k = 0; k < nr;) {
			if (i < len && nr == NELEM(raws) && k + 3 > nr) {
				i = raws[k].start;
				break;
			}
			k += add_raw(wk, lc, src, raws + k, nr - k, seg);
		}
	}
	free(lc);
}

/* The matching key of words[i .. i+len): joined, repeats counted once. */
static size_t
span_key(const struct word *w, int len, char *out)
{
	char joined[SPAN_MAX * 2];
	size_t n = 0, k, m, o = 0;
	int j;

	for (j = 0; j < len; j++) {
		m = strlen(w[j].norm);
		if (n + m >= sizeof joined)
			m = sizeof joined - 1 - n;
		memcpy(joined + n, w[j].norm, m);
		n += m;
	}
	joined[n] = '\0';
	if (n <= 3 || joined[0] == '#') {
		snprintf(out, SPAN_MAX, "%s", joined);
		return strlen(out);
	}
	for (k = 0; k < n && o < SPAN_MAX - 1; k++)
		if (o == 0 || out[o - 1] != joined[k] ||
		    isdigit((unsigned char)joined[k]))
			out[o++] = joined[k];
	out[o] = '\0';
	return o;
}

/* --- building the tables ----------------------------------------------- */

static int
add_term(struct router *r, struct work *wk, enum term_kind kind, size_t owner,
    const char *text, int skip_markers)
{
	struct term *t, *nt;
	size_t first = 0, i;

	wk->n = 0;
	add_text(wk, text, strlen(text), 0);
	if (skip_markers)
		while (first + 1 < wk->n && wk->w[first].marker != M_NONE)
			first++;
	if (wk->n == first)
		return 0; /* nothing to match: no words */
	if (wk->n - first > MAX_SPAN)
		return 0; /* longer than any span compared */
	if ((nt = realloc(r->terms, (r->nterms + 1) * sizeof *nt)) == NULL)
		return -1;
	r->terms = nt;
	t = &nt[r->nterms];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->owner = owner;
	t->text = text;
	t->nwords = (int)(wk->n - first);
	t->keylen = span_key(wk->w + first, t->nwords, t->key);
	if (t->nwords == 1)
		t->common = in_list(
		    common_places, NELEM(common_places), wk->w[first].norm);
	/* the same key twice for one owner counts once */
	for (i = 0; i < r->nterms; i++)
		if (nt[i].kind == kind && nt[i].owner == owner &&
		    strcmp(nt[i].key, t->key) == 0)
			return 0;
	r->nterms++;
	return 0;
}

static int
cmp_term(const void *a, const void *b)
{
	const struct term *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->owner < y->owner ? -1 : x->owner > y->owner;
}

struct router *
router_new(const struct config *cfg, char *err, size_t errlen)
{
	struct router *r = NULL;
	struct work *wk = NULL;
	size_t i, j, k;
	char **kw;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((r = calloc(1, sizeof *r)) == NULL ||
	    (wk = malloc(sizeof *wk)) == NULL)
		goto oom;
	r->cfg = cfg;
	for (i = 0; cfg->routing.triage != NULL && i < cfg->nopds; i++)
		if (strcmp(cfg->opds[i].id, cfg->routing.triage) == 0)
			r->triage = &cfg->opds[i];
	/* Without any OPD (intake only), reports stay in triage unassigned. */
	if (r->triage == NULL && cfg->nopds > 0) {
		snprintf(err, errlen, "no triage OPD: set [routing] triage");
		goto fail;
	}
	for (i = 0; i < cfg->ncategories; i++)
		for (kw = cfg->categories[i].keywords; kw != NULL && *kw; kw++)
			if (add_term(r, wk, T_CATEGORY, i, *kw, 0) == -1)
				goto oom;
	for (i = 0; i < cfg->nopds; i++)
		for (kw = cfg->opds[i].keywords; kw != NULL && *kw; kw++)
			if (add_term(r, wk, T_OPD, i, *kw, 0) == -1)
				goto oom;
	for (i = 0; i < cfg->nregions; i++) {
		const struct region *rg = &cfg->regions[i];
		size_t kec = r->nterms;

		if (add_term(r, wk, T_KECAMATAN, i, rg->name, 1) == -1)
			goto oom;
		if (r->nterms == kec &&
		    add_term(r, wk, T_KECAMATAN, i, rg->id, 1) == -1)
			goto oom;
		for (kw = rg->kelurahan; kw != NULL && *kw; kw++)
			if (add_term(r, wk, T_KELURAHAN, i, *kw, 0) == -1)
				goto oom;
		if (r->nterms == kec)
			continue;
		for (j = kec + 1; j < r->nterms; j++)
			if (strcmp(r->terms[j].key, r->terms[kec].key) == 0)
				r->terms[kec].kel_too = 1;
	}
	/* a place name that is also a keyword is a common word too */
	for (i = 0; i < r->nterms; i++)
		for (k = 0; k < r->nterms; k++)
			if (r->terms[i].kind >= T_KELURAHAN &&
			    r->terms[k].kind < T_KELURAHAN &&
			    strcmp(r->terms[i].key, r->terms[k].key) == 0)
				r->terms[i].common = 1;
	qsort(r->terms, r->nterms, sizeof *r->terms, cmp_term);
	if ((r->places = calloc(r->nterms + 1, sizeof *r->places)) == NULL)
		goto oom;
	for (i = 0; i < r->nterms; i++)
		if (r->terms[i].kind >= T_KELURAHAN &&
		    r->terms[i].keylen >= EDIT_MIN && !r->terms[i].common)
			r->places[r->nplaces++] = &r->terms[i];
	free(wk);
	return r;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	free(wk);
	router_free(r);
	return NULL;
}

void
router_free(struct router *r)
{
	if (r == NULL)
		return;
	free(r->terms);
	free(r->places);
	free(r);
}

/* --- routing ------------------------------------------------------------ */

static void
add_match(struct work *wk, const struct term *t, size_t i, int len, int fuzzy)
{
	if (wk->nm >= MAX_MATCH)
		return;
	wk->m[wk->nm].t = t;
	wk->m[wk->nm].i = i;
	wk->m[wk->nm].len = len;
	wk->m[wk->nm].fuzzy = fuzzy;
	wk->m[wk->nm].dropped = 0;
	wk->nm++;
}

/* The first term whose key is key, or NULL. */
static const struct term *
first_term(const struct router *r, const char *key)
{
	size_t lo = 0, hi = r->nterms, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r->terms[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nterms && strcmp(r->terms[lo].key, key) == 0)
		return &r->terms[lo];
	return NULL;
}

static int
is_keyword_key(const struct router *r, const char *key)
{
	const struct term *t = first_term(r, key), *end = r->terms + r->nterms;

	for (; t != NULL && t < end && strcmp(t->key, key) == 0; t++)
		if (t->kind < T_KELURAHAN)
			return 1;
	return 0;
}

/* May a one-edit match of place term t stand at words [i, i+len)? */
static int
fuzzy_ok(const struct router *r, const struct work *wk, const struct term *t,
    size_t i, int len)
{
	const char *key = wk->span[i][len - 1];
	int j;

	if (t->keylen < EDIT_MIN || t->common)
		return 0;
	if (t->keylen < EDIT_BARE && (i == 0 || wk->w[i - 1].marker == M_NONE))
		return 0;
	for (j = 0; j < len; j++)
		if (wk->w[i + (size_t)j].norm[0] == '#' ||
		    isdigit((unsigned char)wk->w[i + (size_t)j].norm[0]))
			return 0;
	if (in_list(not_places, NELEM(not_places), key))
		return 0;
	return !is_keyword_key(r, key);
}

static int
matched_at(const struct work *wk, const struct term *t, size_t i)
{
	size_t a;

	for (a = 0; a < wk->nm; a++)
		if (wk->m[a].t == t && wk->m[a].i == i)
			return 1;
	return 0;
}

/* Every term at every word: exact by binary search, then one edit. */
static void
find_matches(const struct router *r, struct work *wk)
{
	const struct term *t, *end = r->terms + r->nterms;
	size_t i, k, kl;
	int len;

	for (i = 0; i < wk->n; i++)
		for (len = 1; len <= MAX_SPAN; len++) {
			if (i + (size_t)len > wk->n ||
			    wk->w[i + (size_t)len - 1].seg != wk->w[i].seg)
				wk->span[i][len - 1][0] = '\0';
			else
				span_key(wk->w + i, len, wk->span[i][len - 1]);
		}
	for (i = 0; i < wk->n; i++)
		for (len = 1; len <= MAX_SPAN; len++) {
			const char *key = wk->span[i][len - 1];

			if (key[0] == '\0')
				break;
			t = first_term(r, key);
			for (; t != NULL && t < end && strcmp(t->key, key) == 0;
			     t++) {
				if (t->keylen <= 3 && len != t->nwords)
					continue;
				if (!matched_at(wk, t, i))
					add_match(wk, t, i, len, 0);
			}
		}
	for (k = 0; k < r->nplaces; k++) {
		t = r->places[k];
		for (i = 0; i < wk->n; i++)
			for (len = 1; len <= MAX_SPAN; len++) {
				const char *key = wk->span[i][len - 1];

				if (key[0] == '\0')
					break;
				kl = strlen(key);
				if (kl + 1 < t->keylen)
					continue;
				if (kl > t->keylen + 1)
					break;
				if (edit_distance(key, kl, t->key, t->keylen) ==
					1 &&
				    !matched_at(wk, t, i) &&
				    fuzzy_ok(r, wk, t, i, len)) {
					add_match(wk, t, i, len, 1);
					break;
				}
			}
	}
}

/* Drop a keyword match lying inside a longer one of the same field. */
static void
drop_contained(struct work *wk)
{
	size_t a, b;

	for (a = 0; a < wk->nm; a++) {
		struct match *x = &wk->m[a];

		for (b = 0; b < wk->nm && !x->dropped; b++) {
			const struct match *y = &wk->m[b];

			if (a == b || y->t->kind != x->t->kind ||
			    x->t->kind >= T_KELURAHAN)
				continue;
			if (y->i <= x->i &&
			    y->i + (size_t)y->len >= x->i + (size_t)x->len &&
			    (y->len > x->len || y->t->nwords > x->t->nwords))
				x->dropped = 1;
		}
	}
}

static void
copy_matched(const struct work *wk, size_t i, int len, char *out, size_t sz)
{
	const struct word *a = &wk->w[i], *b = &wk->w[i + (size_t)len - 1];
	const char *s = wk->seg[a->seg];
	size_t k, o = 0;

	for (k = a->start; k < b->end && o + 1 < sz; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c >= 0x80 || c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = (char)c;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

static void
evidence(struct route *out, const struct work *wk, const char *field,
    const char *value, const char *term, size_t i, int len)
{
	struct route_evidence *e;

	if (out->nevidence >= ROUTE_MAX_EVIDENCE)
		return;
	e = &out->evidence[out->nevidence++];
	snprintf(e->field, sizeof e->field, "%s", field);
	snprintf(e->value, sizeof e->value, "%s", value);
	snprintf(e->term, sizeof e->term, "%s", term);
	if (wk != NULL)
		copy_matched(wk, i, len, e->matched, sizeof e->matched);
	else
		e->matched[0] = '\0';
}

/* A place candidate: a kelurahan or kecamatan, and how strong. */
struct place {
	const struct match *m;
	size_t region;
	const char *kelurahan; /* NULL: a kecamatan only */
	int strength;	       /* +2 after a marker, +1 exact (not one edit) */
};

static int
better_place(const struct place *a, const struct place *b)
{
	if (b->m == NULL)
		return 1;
	if (a->strength != b->strength)
		return a->strength > b->strength;
	return a->m->i < b->m->i;
}

/* The marker word before match m, or NULL. */
static struct word *
marker_before(struct work *wk, const struct match *m)
{
	struct word *prev;

	if (m->i == 0)
		return NULL;
	prev = &wk->w[m->i - 1];
	return prev->seg == wk->w[m->i].seg ? prev : NULL;
}

/*
 * Is place match m a kelurahan (1), a kecamatan (2) or neither (0), read
 * by the word before it?
 */
static int
place_kind(const struct router *r, struct work *wk, const struct match *m)
{
	const struct term *t = m->t;
	struct word *prev = marker_before(wk, m);
	enum marker mk = prev != NULL ? prev->marker : M_NONE;
	size_t k;

	if (prev != NULL && strcmp(prev->norm, "pondok") == 0)
		return 0;
	if (t->common && mk == M_NONE &&
	    (t->kind == T_KECAMATAN || !wk->w[m->i].cap || prev == NULL ||
		!in_list(place_preps, NELEM(place_preps), prev->norm)))
		return 0;
	if (t->kind == T_KECAMATAN)
		/* bare or after kelurahan: the kelurahan term reads it */
		return mk != M_KEC && (t->kel_too || mk == M_KEL) ? 0 : 2;
	if (mk == M_KEC) {
		/* "kec mojoroto": the kecamatan only */
		for (k = 0; k < r->nterms; k++)
			if (r->terms[k].kind == T_KECAMATAN &&
			    strcmp(r->terms[k].key, t->key) == 0)
				return 0;
	}
	return 1;
}

/* Read the place matches into a kelurahan and a kecamatan. */
static void
decide_place(const struct router *r, struct work *wk, struct route *out)
{
	const struct config *cfg = r->cfg;
	struct place kel = {0}, kec = {0}, kelin = {0}, c;
	struct word *prev;
	size_t a;
	int kind;

	for (a = 0; a < wk->nm; a++) {
		const struct match *m = &wk->m[a];

		if (m->t->kind < T_KELURAHAN ||
		    (kind = place_kind(r, wk, m)) == 0)
			continue;
		prev = marker_before(wk, m);
		memset(&c, 0, sizeof c);
		c.m = m;
		c.region = m->t->owner;
		c.strength = (prev != NULL && prev->marker != M_NONE ? 2 : 0) +
		    !m->fuzzy;
		if (prev != NULL && prev->marker != M_NONE && !prev->weak)
			prev->used = 1;
		if (kind == 2) {
			if (better_place(&c, &kec))
				kec = c;
			continue;
		}
		c.kelurahan = m->t->text;
		if (better_place(&c, &kel))
			kel = c;
	}
	/* prefer a kelurahan inside an explicitly named kecamatan */
	if (kec.m != NULL && kel.m != NULL && kel.region != kec.region) {
		for (a = 0; a < wk->nm; a++) {
			const struct match *m = &wk->m[a];

			if (m->t->kind != T_KELURAHAN ||
			    m->t->owner != kec.region ||
			    place_kind(r, wk, m) != 1)
				continue;
			prev = marker_before(wk, m);
			memset(&c, 0, sizeof c);
			c.m = m;
			c.region = m->t->owner;
			c.kelurahan = m->t->text;
			c.strength =
			    (prev != NULL && prev->marker != M_NONE ? 2 : 0) +
			    !m->fuzzy;
			if (better_place(&c, &kelin))
				kelin = c;
		}
		if (kelin.m != NULL)
			kel = kelin;
	}
	if (kel.m != NULL) {
		out->kelurahan = kel.kelurahan;
		out->kecamatan = &cfg->regions[kel.region];
		if (kec.m != NULL && kec.region != kel.region)
			snprintf(out->reason, sizeof out->reason,
			    "the kecamatan named is not the kelurahan's; "
			    "kelurahan kept");
		if (kec.m != NULL && kec.region == kel.region)
			evidence(out, wk, "kecamatan",
			    cfg->regions[kec.region].id, kec.m->t->text,
			    kec.m->i, kec.m->len);
		evidence(out, wk, "kelurahan", kel.kelurahan, kel.m->t->text,
		    kel.m->i, kel.m->len);
	} else if (kec.m != NULL) {
		out->kecamatan = &cfg->regions[kec.region];
		evidence(out, wk, "kecamatan", cfg->regions[kec.region].id,
		    kec.m->t->text, kec.m->i, kec.m->len);
	}
}

static double
haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	if (a > 1)
		a = 1;
	return 2 * 6371.0088 * asin(sqrt(a));
}

/* A pin fills in the place when the text named no kelurahan. */
static void
decide_pin(
    const struct router *r, const struct route_location *loc, struct route *out)
{
	const struct config *cfg = r->cfg;
	const struct region *best_r = NULL;
	const struct point *best = NULL;
	double bestd = 0, d;
	size_t i, j;
	char where[64];

	if (loc == NULL || !loc->has_point || out->kelurahan != NULL ||
	    !isfinite(loc->latitude) || !isfinite(loc->longitude) ||
	    fabs(loc->latitude) > 90 || fabs(loc->longitude) > 180)
		return;
	for (i = 0; i < cfg->nregions; i++)
		for (j = 0; j < cfg->regions[i].npoints; j++) {
			const struct point *p = &cfg->regions[i].points[j];

			d = haversine_km(loc->latitude, loc->longitude,
			    p->latitude, p->longitude);
			if (best == NULL || d < bestd) {
				best = p;
				best_r = &cfg->regions[i];
				bestd = d;
			}
		}
	if (best == NULL || bestd > cfg->routing.max_distance_km)
		return;
	if (out->kecamatan != NULL && out->kecamatan != best_r)
		return; /* the text named another kecamatan: it stands */
	out->kecamatan = best_r;
	out->kelurahan = best->kelurahan;
	snprintf(where, sizeof where, "%.5f,%.5f (%.2f km)", loc->latitude,
	    loc->longitude, bestd);
	evidence(out, NULL, "kelurahan", best->kelurahan, "location", 0, 0);
	snprintf(out->evidence[out->nevidence - 1].matched,
	    sizeof out->evidence[0].matched, "%s", where);
}

/* Is match m only of marker words that a place after them used? */
static int
only_markers(const struct work *wk, const struct match *m)
{
	int j;

	for (j = 0; j < m->len; j++)
		if (!wk->w[m->i + (size_t)j].used)
			return 0;
	return 1;
}

/*
 * The passes of keyword matching: the text's words first; failing that
 * the location pin's name and address; failing that the marker words a
 * place used ("kecamatan mojoroto petugasnya jutek": the office).
 */
enum pass { PASS_TEXT, PASS_PIN, PASS_MARKERS, NPASSES };

static int
in_pass(const struct work *wk, const struct match *m, enum pass pass)
{
	if (m->dropped)
		return 0;
	if (only_markers(wk, m))
		return pass == PASS_MARKERS;
	if (wk->w[m->i].seg == 0)
		return pass == PASS_TEXT;
	return pass == PASS_PIN;
}

/*
 * Does keyword match a count for owner in this pass: the first match of
 * its keyword in the pass (each counts once)?
 */
static int
counts(const struct work *wk, size_t a, enum term_kind kind, size_t owner,
    enum pass pass)
{
	const struct match *m = &wk->m[a];
	size_t b;

	if (m->t->kind != kind || m->t->owner != owner || !in_pass(wk, m, pass))
		return 0;
	for (b = 0; b < a; b++)
		if (wk->m[b].t == m->t && in_pass(wk, &wk->m[b], pass))
			return 0;
	return 1;
}

/* The category or OPD with the best score, or -1. */
static long
decide_owner(const struct router *r, const struct work *wk, enum term_kind kind,
    size_t nowners, const struct route *out, enum pass pass, int *score_out,
    int *scoped_miss)
{
	long best = -1;
	int bestscore = 0;
	size_t bestpos = 0, o, a;

	for (o = 0; o < nowners; o++) {
		int score = 0;
		size_t pos = (size_t)-1;

		for (a = 0; a < wk->nm; a++) {
			const struct match *m = &wk->m[a];
			if (!counts(wk, a, kind, o, pass))
				continue;
			score += m->t->nwords;
			if (m->i < pos)
				pos = m->i;
		}
		if (score == 0)
			continue;
		if (kind == T_OPD && r->cfg->opds[o].regions != NULL) {
			char **rg = r->cfg->opds[o].regions;

			for (; *rg != NULL; rg++)
				if (out->kecamatan != NULL &&
				    strcmp(*rg, out->kecamatan->id) == 0)
					break;
			if (*rg == NULL) {
				*scoped_miss = 1;
				continue;
			}
		}
		if (best == -1 || score > bestscore ||
		    (score == bestscore && pos < bestpos)) {
			best = (long)o;
			bestscore = score;
			bestpos = pos;
		}
	}
	*score_out = bestscore;
	return best;
}

static void
owner_evidence(const struct work *wk, enum term_kind kind, size_t owner,
    enum pass pass, const char *field, const char *value, struct route *out,
    int max)
{
	size_t a;
	int n = 0;

	for (a = 0; a < wk->nm && n < max; a++) {
		const struct match *m = &wk->m[a];

		if (!counts(wk, a, kind, owner, pass))
			continue;
		evidence(out, wk, field, value, m->t->text, m->i, m->len);
		n++;
	}
}

void
router_route(const struct router *r, const char *text,
    const struct route_location *loc, struct route *out)
{
	const struct config *cfg = r->cfg;
	struct work *wk;
	long cat, opd;
	int score = 0, miss, cscore = 0, cpass, opass;
	char place_reason[sizeof out->reason];
	size_t n;

	memset(out, 0, sizeof *out);
	out->opd = r->triage;
	out->triage = 1;
	if ((wk = malloc(sizeof *wk)) == NULL) {
		snprintf(out->reason, sizeof out->reason,
		    "out of memory: sent to triage");
		return;
	}
	wk->n = 0;
	wk->nm = 0;
	wk->seg[0] = text != NULL ? text : "";
	wk->seg[1] = loc != NULL && loc->name != NULL ? loc->name : "";
	wk->seg[2] = loc != NULL && loc->address != NULL ? loc->address : "";
	for (n = 0; n < MAX_SEGS; n++)
		add_text(wk, wk->seg[n], strlen(wk->seg[n]), (unsigned)n);
	find_matches(r, wk);
	drop_contained(wk);

	/* places first: OPD scoping needs the kecamatan */
	decide_place(r, wk, out);
	snprintf(place_reason, sizeof place_reason, "%s", out->reason);
	out->reason[0] = '\0';
	n = out->nevidence;
	decide_pin(r, loc, out);

	miss = 0;
	cat = opd = -1;
	for (cpass = 0; cpass < NPASSES && cat < 0; cpass++)
		cat = decide_owner(r, wk, T_CATEGORY, cfg->ncategories, out,
		    (enum pass)cpass, &cscore, &miss);
	if (cat >= 0)
		out->category = &cfg->categories[cat];
	miss = 0;
	for (opass = 0; opass < NPASSES && opd < 0; opass++)
		opd = decide_owner(r, wk, T_OPD, cfg->nopds, out,
		    (enum pass)opass, &score, &miss);
	if (opd >= 0) {
		out->opd = &cfg->opds[opd];
		out->triage = 0;
		snprintf(out->reason, sizeof out->reason, "%s (score %d)",
		    opass == PASS_TEXT + 1 ? "OPD by keywords"
			: opass == PASS_PIN + 1
			? "OPD by the location's name"
			: "OPD by the office of the place",
		    score);
	} else
		snprintf(out->reason, sizeof out->reason, "%s",
		    !miss ? "no OPD keyword matched"
			: out->kecamatan == NULL
			? "matched only kecamatan-scoped OPDs and the place "
			  "is unknown"
			: "matched only OPDs scoped to other kecamatan");
	if (out->nevidence > n)
		snprintf(out->reason + strlen(out->reason),
		    sizeof out->reason - strlen(out->reason),
		    "; place from the location pin");
	if (place_reason[0] != '\0')
		snprintf(out->reason + strlen(out->reason),
		    sizeof out->reason - strlen(out->reason), "; %s",
		    place_reason);

	/* evidence in the order category, opd, kecamatan, kelurahan */
	{
		struct route_evidence place[ROUTE_MAX_EVIDENCE];
		size_t np = out->nevidence;

		memcpy(place, out->evidence, np * sizeof *place);
		out->nevidence = 0;
		if (cat >= 0)
			owner_evidence(wk, T_CATEGORY, (size_t)cat,
			    (enum pass)(cpass - 1), "category",
			    out->category->id, out, 4);
		if (opd >= 0)
			owner_evidence(wk, T_OPD, (size_t)opd,
			    (enum pass)(opass - 1), "opd", out->opd->id, out,
			    ROUTE_MAX_EVIDENCE - 2 - (int)out->nevidence);
		for (n = 0; n < np && out->nevidence < ROUTE_MAX_EVIDENCE; n++)
			out->evidence[out->nevidence++] = place[n];
	}
	free(wk);
}

/* A JSON string of s, or of its ASCII when s is not UTF-8. */
static json_t *
jstr(const char *s)
{
	char buf[256];
	json_t *j;
	size_t i, o = 0;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	for (i = 0; s[i] != '\0' && o + 1 < sizeof buf; i++)
		if ((unsigned char)s[i] < 0x80)
			buf[o++] = s[i];
	buf[o] = '\0';
	return json_string(buf);
}

char *
router_json(const struct route *rt)
{
	json_t *o, *ev, *e;
	char *s = NULL;
	size_t i;

	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new(o, "category",
		jstr(rt->category != NULL ? rt->category->id : NULL)) ||
	    json_object_set_new(
		o, "opd", jstr(rt->opd != NULL ? rt->opd->id : NULL)) ||
	    json_object_set_new(o, "kecamatan",
		jstr(rt->kecamatan != NULL ? rt->kecamatan->id : NULL)) ||
	    json_object_set_new(o, "kelurahan", jstr(rt->kelurahan)) ||
	    json_object_set_new(o, "triage", json_boolean(rt->triage)) ||
	    json_object_set_new(o, "reason", jstr(rt->reason)) ||
	    (ev = json_array()) == NULL)
		goto done;
	if (json_object_set_new(o, "evidence", ev) == -1)
		goto done;
	for (i = 0; i < rt->nevidence && i < ROUTE_MAX_EVIDENCE; i++) {
		const struct route_evidence *x = &rt->evidence[i];

		if ((e = json_object()) == NULL ||
		    json_array_append_new(ev, e) == -1 ||
		    json_object_set_new(e, "field", jstr(x->field)) ||
		    json_object_set_new(e, "value", jstr(x->value)) ||
		    json_object_set_new(e, "term", jstr(x->term)) ||
		    json_object_set_new(e, "matched", jstr(x->matched)))
			goto done;
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
	json_decref(o);
	return s;
}
