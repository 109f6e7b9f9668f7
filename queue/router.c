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

#include "lib/dynbuf.h"
#include "lib/utf8.h"
#include "queue/router.h"

#define MAX_WORDS 1024		  /* of a report; later words are not read */
#define WORD_MAX  ROUTER_WORD_MAX /* bytes of a normalised word */
#define MAX_SPAN  4		  /* words a term may match */
#define SPAN_MAX  48		  /* bytes of a span's matching key */
#define MAX_MATCH 512		  /* keyword and place matches of a report */
#define MAX_SEGS  3		  /* text, location name, location address */
#define EDIT_MIN  5 /* letters a place name needs to allow one edit */
#define EDIT_BARE 7 /* ... and to allow it without a marker before */

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
 * A place term that allows one edit, with what rules most spans out
 * cheaply: a key of four letters or more one edit from it has its first
 * or its last letter, and at most two bits of its set of letters differ.
 */
struct fuzzy_place {
	const struct term *t;
	size_t order;	  /* rank in term order: the order its matches go in */
	uint32_t letters; /* letter_set() of the key */
	char first, last; /* letters of the key */
};

struct router {
	const struct config *cfg;
	const struct opd *triage;
	const struct opd *integrity;   /* [routing] integrity_opd */
	const struct opd *about_mayor; /* [routing] about_mayor, or NULL */
	struct term *terms;	       /* sorted by key */
	size_t nterms;
	struct table by_key; /* key -> index of the first term with that key */
	struct table spelling;	    /* slang[].from -> its index */
	struct fuzzy_place *places; /* sorted by key length, then order */
	size_t nplaces;
	/* places[by_len[L] .. by_len[L + 1]) have keys of L bytes (L + 1 up
	 * to SPAN_MAX + 1: a span's key is shorter than SPAN_MAX) */
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
	int pass;    /* of keyword matching (enum pass), or -1: none */
	int counted; /* the first match of its term in its pass */
};

/* The matching key of a span of words (spans_at()). */
struct span {
	char key[SPAN_MAX];
	size_t len;
	size_t hash;	  /* hash() of the key */
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
	int answer; /* the text answers "where?": common names count bare */
	struct word w[MAX_WORDS];
	size_t n;
	struct match m[MAX_MATCH];
	size_t nm;
	struct pending fz[MAX_MATCH]; /* for find_matches() to add */
	size_t nfz;
	const char *seg[MAX_SEGS];
	/* the words for accused_read(): each word's norm, clause breaks */
	const char *norm[MAX_WORDS];
	unsigned char brk[MAX_WORDS], self[MAX_WORDS];
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
    {"kp", "kampung"},
    {"badhe", "mau"},
    {"arep", "mau"},
    {"mo", "mau"},
    {"mw", "mau"},
    {"mao", "mau"},
    {"malih", "lagi"},
    {"maneh", "lagi"},
    {"gadah", "punya"},
    {"duwe", "punya"},
    {"liyane", "lain"},
    {"liyo", "lain"},
    {"pira", "berapa"},
    {"inget", "ingat"},
    {"iki", "ini"},
    {"niki", "ini"},
    {"pengen", "ingin"},
    {"pgn", "ingin"},
    {"sampun", "sudah"},
    {"wonten", "ada"},
    {"pripun", "bagaimana"},
    {"piye", "bagaimana"},
    {"gimana", "bagaimana"},
    {"gmn", "bagaimana"},
    {"gmna", "bagaimana"},
    {"bgmn", "bagaimana"},
    {"bgmana", "bagaimana"},
    {"pinten", "berapa"},
    {"brp", "berapa"},
    {"ngertos", "tahu"},
    {"ngerti", "tahu"},
    {"tau", "tahu"},
    {"tw", "tahu"},
    {"lali", "lupa"},
    {"makasih", "terima kasih"},
    {"makasi", "terima kasih"},
    {"mksh", "terima kasih"},
    {"mks", "terima kasih"},
    {"trimakasih", "terima kasih"},
    {"terimakasih", "terima kasih"},
    {"trims", "terima kasih"},
    {"tks", "terima kasih"},
    {"tq", "terima kasih"},
    {"thx", "terima kasih"},
    {"thanks", "terima kasih"},
    {"maturnuwun", "matur nuwun"},
    {"tp", "tapi"},
    {"inggih", "ya"},
    {"enggih", "ya"},
    {"yaa", "ya"},
    {"yoi", "ya"},
    {"okey", "oke"},
    {"okay", "oke"},
    {"ok", "oke"},
    {"okee", "oke"},
    {"sipp", "sip"},
    {"kpg", "kampung"},
    {"kamp", "kampung"},
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

/* Is s[0..n) the string lit? */
static int
is_word(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* FNV-1a of s[0..n), a byte at a time. */
#define HASH_START 2166136261u

static uint32_t
hash_byte(uint32_t h, char c)
{
	return (h ^ (unsigned char)c) * 16777619u;
}

static size_t
hash(const char *s, size_t n)
{
	uint32_t h = HASH_START;
	size_t i;

	for (i = 0; i < n; i++)
		h = hash_byte(h, s[i]);
	return h;
}

/* Make t a table for up to n keys.  -1: out of memory. */
static int
table_init(struct table *t, size_t n)
{
	size_t slots = 16;

	while (slots < 2 * n)
		slots *= 2;
	if ((t->slot = calloc(slots, sizeof *t->slot)) == NULL)
		return -1;
	t->mask = slots - 1;
	return 0;
}

/* The index of key s[0..n), whose hash() is h, or (size_t)-1. */
static size_t
table_find(const struct table *t, size_t h, const char *s, size_t n)
{
	const struct slot *sl;
	size_t k;

	for (k = h & t->mask;; k = (k + 1) & t->mask) {
		sl = &t->slot[k];
		if (sl->key == NULL)
			return (size_t)-1;
		if (sl->len == n && memcmp(sl->key, s, n) == 0)
			return sl->index;
	}
}

/* Add key s[0..n) (not copied) unless it is there: the first stays. */
static void
table_add(struct table *t, const char *s, size_t n, size_t index)
{
	struct slot *sl;
	size_t k;

	for (k = hash(s, n) & t->mask;; k = (k + 1) & t->mask) {
		sl = &t->slot[k];
		if (sl->key == NULL)
			break;
		if (sl->len == n && memcmp(sl->key, s, n) == 0)
			return;
	}
	sl->key = s;
	sl->len = n;
	sl->index = index;
}

/* A bit for each letter of s[0..n); digits share one, the rest another. */
static uint32_t
letter_bit(char c)
{
	if (c >= 'a' && c <= 'z')
		return 1u << (c - 'a');
	return isdigit((unsigned char)c) ? 1u << 26 : 1u << 27;
}

static uint32_t
letter_set(const char *s, size_t n)
{
	uint32_t set = 0;
	size_t i;

	for (i = 0; i < n; i++)
		set |= letter_bit(s[i]);
	return set;
}

/* Does x have at most two bits set? */
static int
at_most_two_bits(uint32_t x)
{
	x &= x - 1;
	x &= x - 1;
	return x == 0;
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
	w->len = len;
	w->start = start;
	w->end = end;
	w->seg = seg;
	w->cap = cap;
	if (is_word(norm, len, "kelurahan") || is_word(norm, len, "desa"))
		w->marker = M_KEL;
	else if (is_word(norm, len, "kecamatan"))
		w->marker = M_KEC;
	else if (is_word(norm, len, "lurah"))
		w->marker = M_KEL, w->weak = 1;
	else if (is_word(norm, len, "camat"))
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
	if (n >= 6 && memcmp(buf + n - 3, "nya", 3) == 0) {
		add_letters(wk, buf, n - 3, start, end, seg, cap);
		return;
	}
	i = table_find(&wk->r->spelling, hash(buf, n), buf, n);
	if (i != (size_t)-1) {
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
	    {"rebu", 1000}, {"ewu", 1000}, {"k", 1000}, {"jt", 1000000},
	    {"juta", 1000000}, {"jeti", 1000000}};
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
	char small[2048], *lc = small; /* the text lowercased */
	size_t i, nr, k, start;

	if (len >= sizeof small && (lc = malloc(len + 1)) == NULL)
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
	if (lc != small)
		free(lc);
}

/*
 * The matching keys of the spans of 1 to MAX_SPAN words at word i, as far
 * as its segment goes (sp[len - 1] for len words); how many.  A key is
 * the words joined with each run of a repeated letter (not digit) counted
 * once, built a word at a time; a key of three letters or fewer, or of an
 * amount, is the words as they are.
 */
static int
spans_at(const struct work *wk, size_t i, struct span *sp)
{
	char joined[SPAN_MAX * 2]; /* the words as they are */
	char sq[SPAN_MAX];	   /* ... with repeats counted once */
	size_t n = 0, o = 0, k, m;
	uint32_t h = HASH_START, letters = 0;
	int len;

	for (len = 1; len <= MAX_SPAN; len++) {
		const struct word *w;
		struct span *s = &sp[len - 1];

		if (i + (size_t)len > wk->n ||
		    wk->w[i + (size_t)len - 1].seg != wk->w[i].seg)
			break;
		w = &wk->w[i + (size_t)len - 1];
		m = w->len;
		if (n + m >= sizeof joined)
			m = sizeof joined - 1 - n;
		memcpy(joined + n, w->norm, m);
		for (k = n; k < n + m && o < SPAN_MAX - 1; k++) {
			char c = joined[k];

			if (o > 0 && sq[o - 1] == c &&
			    !isdigit((unsigned char)c))
				continue;
			sq[o++] = c;
			h = hash_byte(h, c);
			letters |= letter_bit(c);
		}
		n += m;
		if (n <= 3 || joined[0] == '#') {
			s->len = n < SPAN_MAX - 1 ? n : SPAN_MAX - 1;
			memcpy(s->key, joined, s->len);
			s->hash = hash(s->key, s->len);
			s->letters = letter_set(s->key, s->len);
		} else {
			s->len = o;
			memcpy(s->key, sq, o);
			s->hash = h;
			s->letters = letters;
		}
		s->key[s->len] = '\0';
	}
	return len - 1;
}

/* --- building the tables ----------------------------------------------- */

static int
add_term(struct router *r, struct work *wk, enum term_kind kind, size_t owner,
    const char *text, int skip_markers)
{
	struct span sp[MAX_SPAN];
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
	spans_at(wk, first, sp);
	memcpy(t->key, sp[t->nwords - 1].key, sizeof t->key);
	t->keylen = sp[t->nwords - 1].len;
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

static int
cmp_place(const void *a, const void *b)
{
	const struct fuzzy_place *x = a, *y = b;

	if (x->t->keylen != y->t->keylen)
		return x->t->keylen < y->t->keylen ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
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
	    (wk = malloc(sizeof *wk)) == NULL ||
	    table_init(&r->spelling, NELEM(slang)) == -1)
		goto oom;
	for (i = 0; i < NELEM(slang); i++)
		table_add(
		    &r->spelling, slang[i].from, strlen(slang[i].from), i);
	wk->r = r;
	r->cfg = cfg;
	r->triage = config_opd(cfg, cfg->routing.triage);
	r->integrity = config_opd(cfg, cfg->routing.integrity_opd);
	if (r->integrity == NULL)
		r->integrity = r->triage;
	r->about_mayor = config_opd(cfg, cfg->routing.about_mayor);
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
	if (r->nterms > 0) /* none: terms is NULL */
		qsort(r->terms, r->nterms, sizeof *r->terms, cmp_term);
	if (table_init(&r->by_key, r->nterms) == -1)
		goto oom;
	for (i = 0; i < r->nterms; i++)
		table_add(&r->by_key, r->terms[i].key, r->terms[i].keylen, i);
	if ((r->places = calloc(r->nterms + 1, sizeof *r->places)) == NULL)
		goto oom;
	for (i = 0; i < r->nterms; i++) {
		const struct term *t = &r->terms[i];

		if (t->kind < T_KELURAHAN || t->keylen < EDIT_MIN || t->common)
			continue;
		r->places[r->nplaces].t = t;
		r->places[r->nplaces].order = r->nplaces;
		r->places[r->nplaces].letters = letter_set(t->key, t->keylen);
		r->places[r->nplaces].first = t->key[0];
		r->places[r->nplaces].last = t->key[t->keylen - 1];
		r->nplaces++;
	}
	qsort(r->places, r->nplaces, sizeof *r->places, cmp_place);
	for (i = 0, k = 0; k < NELEM(r->by_len); k++) {
		while (i < r->nplaces && r->places[i].t->keylen < k)
			i++;
		r->by_len[k] = i;
	}
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
	free(r->by_key.slot);
	free(r->spelling.slot);
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
	wk->m[wk->nm].pass = -1;
	wk->m[wk->nm].counted = 0;
	wk->nm++;
}

/*
 * The first term whose key is key[0..len) (of hash() h), or NULL; the
 * others with that key follow it.
 */
static const struct term *
first_term(const struct router *r, const char *key, size_t len, size_t h)
{
	size_t k = table_find(&r->by_key, h, key, len);

	return k == (size_t)-1 ? NULL : &r->terms[k];
}

/* Does the term after t (or t) have the key key[0..len)? */
static int
same_key(
    const struct router *r, const struct term *t, const char *key, size_t len)
{
	return t < r->terms + r->nterms && t->keylen == len &&
	    memcmp(t->key, key, len) == 0;
}

static int
is_keyword_key(const struct router *r, const struct span *sp)
{
	const struct term *t = first_term(r, sp->key, sp->len, sp->hash);

	for (; t != NULL && same_key(r, t, sp->key, sp->len); t++)
		if (t->kind < T_KELURAHAN)
			return 1;
	return 0;
}

/*
 * May a one-edit match of place term t stand at words [i, i+len), whose
 * key is sp?
 */
static int
fuzzy_ok(const struct router *r, const struct work *wk, const struct term *t,
    size_t i, int len, const struct span *sp)
{
	int j;

	if (t->keylen < EDIT_MIN || t->common)
		return 0;
	if (t->keylen < EDIT_BARE && (i == 0 || wk->w[i - 1].marker == M_NONE))
		return 0;
	for (j = 0; j < len; j++)
		if (wk->w[i + (size_t)j].norm[0] == '#' ||
		    isdigit((unsigned char)wk->w[i + (size_t)j].norm[0]))
			return 0;
	if (in_list(not_places, NELEM(not_places), sp->key))
		return 0;
	return !is_keyword_key(r, sp);
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

/*
 * The words with which place t matches with one edit at word i (whose
 * spans are sp[0..nsp)), or 0: the shortest span one edit from it that
 * may be read as it, trying longer spans while they are not too long.
 */
static int
fuzzy_len(const struct router *r, const struct work *wk, const struct span *sp,
    int nsp, const struct term *t, size_t i)
{
	int len;

	for (len = 1; len <= nsp; len++) {
		const struct span *s = &sp[len - 1];

		if (s->len + 1 < t->keylen)
			continue;
		if (s->len > t->keylen + 1)
			break;
		if (edit_distance(s->key, s->len, t->key, t->keylen) == 1 &&
		    !matched_at(wk, t, i) && fuzzy_ok(r, wk, t, i, len, s))
			return len;
	}
	return 0;
}

static int
pending_before(const struct pending *a, const struct pending *b)
{
	return a->order != b->order ? a->order < b->order : a->i < b->i;
}

static int
cmp_pending(const void *a, const void *b)
{
	return pending_before(a, b) ? -1 : pending_before(b, a);
}

/*
 * Keep one-edit match p for later.  When full, keep the first ones in
 * the order they will be added: only they may fit in wk->m.
 */
static void
add_pending(struct work *wk, const struct pending *p)
{
	size_t a, last = 0;

	if (wk->nfz < MAX_MATCH) {
		wk->fz[wk->nfz++] = *p;
		return;
	}
	for (a = 1; a < MAX_MATCH; a++)
		if (pending_before(&wk->fz[last], &wk->fz[a]))
			last = a;
	if (pending_before(p, &wk->fz[last]))
		wk->fz[last] = *p;
}

/*
 * Every term at every word: exact by the key's hash; then the places
 * one edit from a span (those whose key is within one letter of its
 * length and that pass the tests of struct fuzzy_place), added after the
 * exact matches place by place, each at its first word.
 */
static void
find_matches(const struct router *r, struct work *wk)
{
	struct span sp[MAX_SPAN];
	const struct term *t;
	size_t i, a;
	int len, nsp;

	for (i = 0; i < wk->n; i++) {
		nsp = spans_at(wk, i, sp);
		for (len = 1; len <= nsp; len++) {
			const struct span *s = &sp[len - 1];

			t = first_term(r, s->key, s->len, s->hash);
			for (; t != NULL && same_key(r, t, s->key, s->len);
			     t++) {
				if (t->keylen <= 3 && len != t->nwords)
					continue;
				if (!matched_at(wk, t, i))
					add_match(wk, t, i, len, 0);
			}
		}
		for (len = 1; len <= nsp; len++) {
			const struct span *s = &sp[len - 1];
			size_t end = r->by_len[s->len + 2];

			for (a = r->by_len[s->len - 1]; a < end; a++) {
				const struct fuzzy_place *p = &r->places[a];
				struct pending pd;

				if ((p->first != s->key[0] &&
					p->last != s->key[s->len - 1]) ||
				    !at_most_two_bits(p->letters ^ s->letters))
					continue;
				t = p->t;
				if (fuzzy_len(r, wk, sp, nsp, t, i) != len)
					continue;
				pd.t = t;
				pd.order = p->order;
				pd.i = i;
				pd.len = len;
				add_pending(wk, &pd);
			}
		}
	}
	qsort(wk->fz, wk->nfz, sizeof *wk->fz, cmp_pending);
	for (a = 0; a < wk->nfz; a++)
		add_match(wk, wk->fz[a].t, wk->fz[a].i, wk->fz[a].len, 1);
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

/* s into out[0..sz), cut short when it does not fit. */
static void
copy(char *out, size_t sz, const char *s)
{
	size_t n = strnlen(s, sz - 1);

	memcpy(out, s, n);
	out[n] = '\0';
}

static void
evidence(struct route *out, const struct work *wk, const char *field,
    const char *value, const char *term, size_t i, int len)
{
	struct route_evidence *e;

	if (out->nevidence >= ROUTE_MAX_EVIDENCE)
		return;
	e = &out->evidence[out->nevidence++];
	copy(e->field, sizeof e->field, field);
	copy(e->value, sizeof e->value, value);
	copy(e->term, sizeof e->term, term);
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

	if (prev != NULL && strcmp(prev->norm, "pondok") == 0)
		return 0;
	if (t->common && mk == M_NONE && !wk->answer &&
	    (t->kind == T_KECAMATAN || !wk->w[m->i].cap || prev == NULL ||
		!in_list(place_preps, NELEM(place_preps), prev->norm)))
		return 0;
	if (t->kind == T_KECAMATAN)
		/* bare or after kelurahan: the kelurahan term reads it */
		return mk != M_KEC && (t->kel_too || mk == M_KEL) ? 0 : 2;
	if (mk == M_KEC) {
		/* "kec mojoroto": the kecamatan only */
		const struct term *k =
		    first_term(r, t->key, t->keylen, hash(t->key, t->keylen));

		for (; k != NULL && same_key(r, k, t->key, t->keylen); k++)
			if (k->kind == T_KECAMATAN)
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

/* Set each match's pass, and whether it is the first of its term there. */
static void
assign_passes(struct work *wk)
{
	size_t a, b;

	for (a = 0; a < wk->nm; a++) {
		struct match *m = &wk->m[a];

		if (m->dropped)
			m->pass = -1;
		else if (only_markers(wk, m))
			m->pass = PASS_MARKERS;
		else
			m->pass = wk->w[m->i].seg == 0 ? PASS_TEXT : PASS_PIN;
		m->counted = m->pass != -1;
		for (b = 0; b < a && m->counted; b++)
			if (wk->m[b].t == m->t && wk->m[b].pass == m->pass)
				m->counted = 0;
	}
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

	return m->counted && m->pass == (int)pass && m->t->kind == kind &&
	    m->t->owner == owner;
}

/*
 * The category or OPD with the best score, or -1: the highest score, then
 * the earliest mention, then the first in the config.  Each owner that
 * matched is scored at its first counted match.
 */
static long
decide_owner(const struct router *r, const struct work *wk, enum term_kind kind,
    const struct route *out, enum pass pass, int *score_out, int *scoped_miss)
{
	long best = -1;
	int bestscore = 0;
	size_t bestpos = 0, o, a, b;

	for (a = 0; a < wk->nm; a++) {
		int score = 0;
		size_t pos = wk->m[a].i;

		o = wk->m[a].t->owner;
		if (!counts(wk, a, kind, o, pass))
			continue;
		for (b = 0; b < a; b++)
			if (counts(wk, b, kind, o, pass))
				break;
		if (b < a)
			continue; /* scored already */
		for (b = a; b < wk->nm; b++) {
			const struct match *m = &wk->m[b];

			if (!counts(wk, b, kind, o, pass))
				continue;
			score += m->t->nwords;
			if (m->i < pos)
				pos = m->i;
		}
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
		    (score == bestscore &&
			(pos < bestpos ||
			    (pos == bestpos && (long)o < best)))) {
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

/* The words as accused_read() reads them: their norms, clause breaks. */
static void
clause_words(struct work *wk)
{
	size_t i, k;

	for (i = 0; i < wk->n; i++) {
		const struct word *w = &wk->w[i];
		const struct word *p = i > 0 ? &wk->w[i - 1] : NULL;
		const char *src = wk->seg[w->seg];

		wk->norm[i] = w->norm;
		wk->brk[i] = p == NULL || p->seg != w->seg;
		for (k = p != NULL ? p->end : 0; !wk->brk[i] && k < w->start;
		     k++)
			wk->brk[i] = src[k] != '\0' &&
			    strchr(",.;:!?\n", src[k]) != NULL;
	}
}

/*
 * An office named in the writer's description of themselves ("saya guru
 * SD") is their employer: its keywords, and the category's, do not count.
 */
static void
drop_self(struct work *wk)
{
	size_t a;
	int j;

	for (a = 0; a < wk->nm; a++) {
		struct match *m = &wk->m[a];

		if (m->t->kind >= T_KELURAHAN)
			continue;
		for (j = 0; j < m->len; j++)
			if (wk->self[m->i + (size_t)j])
				m->dropped = 1;
	}
}

/* Put "why: term; " before the reason. */
static void
reason_first(struct route *out, const char *why)
{
	char rest[sizeof out->reason];
	int n;

	copy(rest, sizeof rest, out->reason);
	n = snprintf(out->reason, sizeof out->reason, "%s: %s; ", why,
	    out->accused.term);
	if (n > 0 && (size_t)n < sizeof out->reason)
		copy(out->reason + n, sizeof out->reason - (size_t)n, rest);
}

/*
 * A report that accuses an office's leadership (or the mayor's office, or
 * its staff when [routing] staff_accusations = integrity) is handled by
 * the integrity OPD (about_mayor), never by the office accused: out->opd
 * moves, out->subject keeps the office it is about.
 */
static void
handle_accusation(const struct router *r, struct route *out)
{
	const struct opd *to = NULL;

	out->subject = out->triage ? NULL : out->opd;
	switch (out->accused.kind) {
	case ACCUSED_MAYOR:
		to = r->about_mayor != NULL ? r->about_mayor : r->integrity;
		reason_first(out, "about the mayor's office");
		break;
	case ACCUSED_LEADERSHIP:
		to = r->integrity;
		reason_first(out, "accuses the office's own head");
		break;
	case ACCUSED_STAFF:
		if (r->cfg->routing.staff_to_integrity) {
			to = r->integrity;
			reason_first(out, "accuses the office's staff");
		} else if (out->subject != NULL)
			reason_first(out,
			    "accuses the office's staff, stays "
			    "with it");
		break;
	case ACCUSED_NONE:
		break;
	}
	/* the integrity office itself accused: the outside one, if any */
	if (to != NULL && to == out->subject && r->about_mayor != NULL)
		to = r->about_mayor;
	if (to != NULL) {
		out->opd = to;
		out->triage = 0;
	}
}

static void
route(const struct router *r, const char *text,
    const struct route_location *loc, int answer, struct route *out)
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
	wk->r = r;
	wk->answer = answer;
	wk->n = 0;
	wk->nm = 0;
	wk->nfz = 0;
	wk->seg[0] = text != NULL ? text : "";
	wk->seg[1] = loc != NULL && loc->name != NULL ? loc->name : "";
	wk->seg[2] = loc != NULL && loc->address != NULL ? loc->address : "";
	for (n = 0; n < MAX_SEGS; n++)
		add_text(wk, wk->seg[n], strlen(wk->seg[n]), (unsigned)n);
	find_matches(r, wk);
	drop_contained(wk);
	clause_words(wk);
	accused_read(wk->norm, wk->brk, wk->n, wk->self, &out->accused);
	drop_self(wk);

	/* places first: OPD scoping needs the kecamatan */
	decide_place(r, wk, out);
	assign_passes(wk);
	copy(place_reason, sizeof place_reason, out->reason);
	out->reason[0] = '\0';
	n = out->nevidence;
	decide_pin(r, loc, out);

	miss = 0;
	cat = opd = -1;
	for (cpass = 0; cpass < NPASSES && cat < 0; cpass++)
		cat = decide_owner(
		    r, wk, T_CATEGORY, out, (enum pass)cpass, &cscore, &miss);
	if (cat >= 0)
		out->category = &cfg->categories[cat];
	miss = 0;
	for (opass = 0; opass < NPASSES && opd < 0; opass++)
		opd = decide_owner(
		    r, wk, T_OPD, out, (enum pass)opass, &score, &miss);
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
	handle_accusation(r, out);
	free(wk);
}

void
router_route(const struct router *r, const char *text,
    const struct route_location *loc, struct route *out)
{
	route(r, text, loc, 0, out);
}

void
router_route_answer(const struct router *r, const char *text,
    const struct route_location *loc, struct route *out)
{
	route(r, text, loc, 1, out);
}

size_t
router_words(const struct router *r, const char *text,
    char words[][ROUTER_WORD_MAX], size_t max)
{
	struct work *wk;
	size_t i, n;

	if ((wk = malloc(sizeof *wk)) == NULL)
		return 0;
	wk->r = r;
	wk->answer = 0;
	wk->n = 0;
	add_text(wk, text, strlen(text), 0);
	for (n = i = 0; i < wk->n && n < max; i++)
		memcpy(words[n++], wk->w[i].norm, ROUTER_WORD_MAX);
	free(wk);
	return n;
}

/*
 * "name": and s as a JSON string (null for NULL; only its first 255
 * ASCII bytes when it is not UTF-8), escaped as jansson does.
 */
static void
put_str(struct dynbuf *o, const char *name, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char ascii[256], esc[6] = {'\\', 'u', '0', '0'};
	size_t i, n = 0, from;

	dynbuf_add(o, "\"", 1);
	dynbuf_add(o, name, strlen(name));
	dynbuf_add(o, "\":", 2);
	if (s == NULL) {
		dynbuf_add(o, "null", 4);
		return;
	}
	if (!utf8_valid(s)) {
		for (i = 0; s[i] != '\0' && n + 1 < sizeof ascii; i++)
			if ((unsigned char)s[i] < 0x80)
				ascii[n++] = s[i];
		ascii[n] = '\0';
		s = ascii;
	}
	dynbuf_add(o, "\"", 1);
	for (i = from = 0;; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '\0' && c != '"' && c != '\\' && c >= 0x20)
			continue;
		dynbuf_add(o, s + from, i - from);
		from = i + 1;
		if (c == '\0')
			break;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			dynbuf_add(o, esc, 2);
		} else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' ||
		    c == '\t') {
			esc[1] = c == '\b' ? 'b'
			    : c == '\f'	   ? 'f'
			    : c == '\n'	   ? 'n'
			    : c == '\r'	   ? 'r'
					   : 't';
			dynbuf_add(o, esc, 2);
		} else {
			esc[1] = 'u';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			dynbuf_add(o, esc, 6);
		}
	}
	dynbuf_add(o, "\"", 1);
}

/*
 * Written by hand into a lib/dynbuf.h buffer, not with jansson's objects:
 * it is on the request path, and the same bytes json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER) gave (all 114 texts of router_bench alike) cost
 * 1.2 us a report this way against 5.9 us through jansson, where
 * router_route() itself takes 9 to 15 us (a shared 2-core machine).
 */
char *
router_json(const struct route *rt)
{
	struct dynbuf o;
	size_t i;

	dynbuf_init(&o, DYNBUF_NO_CAP, 0);
	dynbuf_add(&o, "{", 1);
	put_str(&o, "category", rt->category != NULL ? rt->category->id : NULL);
	dynbuf_add(&o, ",", 1);
	put_str(&o, "opd", rt->opd != NULL ? rt->opd->id : NULL);
	dynbuf_add(&o, ",", 1);
	put_str(&o, "subject", rt->subject != NULL ? rt->subject->id : NULL);
	dynbuf_add(&o, ",", 1);
	if (rt->accused.kind != ACCUSED_NONE) {
		put_str(&o, "accused", accused_kind_name(rt->accused.kind));
		dynbuf_add(&o, ",", 1);
		put_str(&o, "accused_term", rt->accused.term);
		dynbuf_add(&o, ",", 1);
	}
	put_str(
	    &o, "kecamatan", rt->kecamatan != NULL ? rt->kecamatan->id : NULL);
	dynbuf_add(&o, ",", 1);
	put_str(&o, "kelurahan", rt->kelurahan);
	dynbuf_add(&o, rt->triage ? ",\"triage\":true," : ",\"triage\":false,",
	    rt->triage ? 15 : 16);
	put_str(&o, "reason", rt->reason);
	dynbuf_add(&o, ",\"evidence\":[", 13);
	for (i = 0; i < rt->nevidence && i < ROUTE_MAX_EVIDENCE; i++) {
		const struct route_evidence *x = &rt->evidence[i];

		dynbuf_add(&o, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
		put_str(&o, "field", x->field);
		dynbuf_add(&o, ",", 1);
		put_str(&o, "value", x->value);
		dynbuf_add(&o, ",", 1);
		put_str(&o, "term", x->term);
		dynbuf_add(&o, ",", 1);
		put_str(&o, "matched", x->matched);
		dynbuf_add(&o, "}", 1);
	}
	dynbuf_add(&o, "]}", 2);
	return dynbuf_take(&o, NULL);
}
