/*
 * accused: owns the reading of queue/accused.h, whom a report accuses.
 * The words arrive normalised by the router (lowercase, slang made one:
 * "njaluk" is "minta", "dimintai" is "diminta", "pak" is "bapak").
 *
 * 1. The writer's description of themselves: "saya" (or "kami") with a
 *    role word within four words and no accusation word between ("saya
 *    Siti Aminah, guru SD"), or "sebagai" right before one.  The role and
 *    up to four words after it, to the next clause break or accusation
 *    word, are the writer's own: self.
 * 2. Roles: the mayor's office (wali kota, walikota, wawali, ajudan, sekda,
 *    sekretaris daerah, balai kota, bapak/ibu wali), an office's
 *    leadership (kadis, kabid, kepala dinas/bidang/sekolah/...,
 *    sekretaris dinas/camat/..., camat, lurah, direktur, pejabat ...),
 *    its staff (petugas, pegawai, oknum, staf, honorer, guru ...).  A role
 *    is no accused when it is the writer's own, after "kantor" (the
 *    office as a place: "di kantor lurah"), when the writer turned to it
 *    (within two words after ke, kepada, yth, mohon, tolong ...),
 *    or when it opens the text as a greeting ("Pak Wali, ...": within the
 *    first three words, a clause break right after).
 * 3. Each accusation word (minta, terima but not "terima kasih", potong,
 *    pungut, tarik, setoran, palak, peras, suap, sogok, fee, korupsi ...)
 *    takes the nearest role that ends within SPAN words before it, else
 *    the nearest that starts within SPAN words after it.  Of all that were
 *    taken the weightiest kind wins (mayor, then leadership, then staff),
 *    the first said on a tie.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/accused.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define SPAN	 6 /* words between an accusation word and its accused */
#define SELF_GAP 4 /* words between "saya" and its role (a name) */
#define SELF_LEN 5 /* words of a self-description, its role included */

/* A role of one to three words; NULL ends a shorter one. */
struct role {
	const char *w[3];
	enum accused_kind kind;
};

static const struct role roles[] = {
    {{"walikota"}, ACCUSED_MAYOR},
    {{"wali", "kota"}, ACCUSED_MAYOR},
    {{"wawali"}, ACCUSED_MAYOR},
    {{"ajudan"}, ACCUSED_MAYOR},
    {{"sekda"}, ACCUSED_MAYOR},
    {{"sekretaris", "daerah"}, ACCUSED_MAYOR},
    {{"balai", "kota"}, ACCUSED_MAYOR},
    {{"balaikota"}, ACCUSED_MAYOR},
    {{"stafsus"}, ACCUSED_MAYOR},
    {{"staf", "khusus"}, ACCUSED_MAYOR},
    {{"sespri"}, ACCUSED_MAYOR},
    {{"bapak", "wali"}, ACCUSED_MAYOR},
    {{"ibu", "wali"}, ACCUSED_MAYOR},
    {{"bu", "wali"}, ACCUSED_MAYOR},
    {{"kadis"}, ACCUSED_LEADERSHIP},
    {{"kadin"}, ACCUSED_LEADERSHIP},
    {{"kaban"}, ACCUSED_LEADERSHIP},
    {{"kabid"}, ACCUSED_LEADERSHIP},
    {{"kasi"}, ACCUSED_LEADERSHIP},
    {{"kasie"}, ACCUSED_LEADERSHIP},
    {{"kasubid"}, ACCUSED_LEADERSHIP},
    {{"kabag"}, ACCUSED_LEADERSHIP},
    {{"kasubag"}, ACCUSED_LEADERSHIP},
    {{"kasubbag"}, ACCUSED_LEADERSHIP},
    {{"sekdin"}, ACCUSED_LEADERSHIP},
    {{"sekban"}, ACCUSED_LEADERSHIP},
    {{"sekcam"}, ACCUSED_LEADERSHIP},
    {{"seklur"}, ACCUSED_LEADERSHIP},
    {{"camat"}, ACCUSED_LEADERSHIP},
    {{"lurah"}, ACCUSED_LEADERSHIP},
    {{"kades"}, ACCUSED_LEADERSHIP},
    {{"direktur"}, ACCUSED_LEADERSHIP},
    {{"dirut"}, ACCUSED_LEADERSHIP},
    {{"kepsek"}, ACCUSED_LEADERSHIP},
    {{"kapus"}, ACCUSED_LEADERSHIP},
    {{"kakan"}, ACCUSED_LEADERSHIP},
    {{"kasat"}, ACCUSED_LEADERSHIP},
    {{"kasatpol"}, ACCUSED_LEADERSHIP},
    {{"inspektur"}, ACCUSED_LEADERSHIP},
    {{"pejabat"}, ACCUSED_LEADERSHIP},
    {{"pimpinan"}, ACCUSED_LEADERSHIP},
    {{"atasan"}, ACCUSED_LEADERSHIP},
    {{"kepala", "dinas"}, ACCUSED_LEADERSHIP},
    {{"kepala", "badan"}, ACCUSED_LEADERSHIP},
    {{"kepala", "bidang"}, ACCUSED_LEADERSHIP},
    {{"kepala", "seksi"}, ACCUSED_LEADERSHIP},
    {{"kepala", "bagian"}, ACCUSED_LEADERSHIP},
    {{"kepala", "sub"}, ACCUSED_LEADERSHIP},
    {{"kepala", "subbag"}, ACCUSED_LEADERSHIP},
    {{"kepala", "kantor"}, ACCUSED_LEADERSHIP},
    {{"kepala", "sekolah"}, ACCUSED_LEADERSHIP},
    {{"kepala", "puskesmas"}, ACCUSED_LEADERSHIP},
    {{"kepala", "desa"}, ACCUSED_LEADERSHIP},
    {{"kepala", "kelurahan"}, ACCUSED_LEADERSHIP},
    {{"kepala", "kecamatan"}, ACCUSED_LEADERSHIP},
    {{"kepala", "upt"}, ACCUSED_LEADERSHIP},
    {{"kepala", "uptd"}, ACCUSED_LEADERSHIP},
    {{"kepala", "pasar"}, ACCUSED_LEADERSHIP},
    {{"kepala", "unit"}, ACCUSED_LEADERSHIP},
    {{"kepala", "rumah", "sakit"}, ACCUSED_LEADERSHIP},
    {{"kepala", "rsud"}, ACCUSED_LEADERSHIP},
    {{"kepala", "inspektorat"}, ACCUSED_LEADERSHIP},
    {{"kepala", "satpol"}, ACCUSED_LEADERSHIP},
    {{"kepala", "terminal"}, ACCUSED_LEADERSHIP},
    {{"kepala", "sekretariat"}, ACCUSED_LEADERSHIP},
    {{"kepala", "instalasi"}, ACCUSED_LEADERSHIP},
    {{"kepala", "ruangan"}, ACCUSED_LEADERSHIP},
    {{"kepala", "tata", "usaha"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "dinas"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "badan"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "camat"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "kecamatan"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "lurah"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "kelurahan"}, ACCUSED_LEADERSHIP},
    {{"sekretaris", "desa"}, ACCUSED_LEADERSHIP},
    {{"petugas"}, ACCUSED_STAFF},
    {{"pegawai"}, ACCUSED_STAFF},
    {{"oknum"}, ACCUSED_STAFF},
    {{"staf"}, ACCUSED_STAFF},
    {{"staff"}, ACCUSED_STAFF},
    {{"karyawan"}, ACCUSED_STAFF},
    {{"honorer"}, ACCUSED_STAFF},
    {{"asn"}, ACCUSED_STAFF},
    {{"pns"}, ACCUSED_STAFF},
    {{"guru"}, ACCUSED_STAFF},
    {{"perawat"}, ACCUSED_STAFF},
    {{"bidan"}, ACCUSED_STAFF},
    {{"dokter"}, ACCUSED_STAFF},
    {{"satpam"}, ACCUSED_STAFF},
    {{"operator"}, ACCUSED_STAFF},
    {{"kasir"}, ACCUSED_STAFF},
    {{"bendahara"}, ACCUSED_STAFF},
};

/* Words after "bapak wali" / "ibu wali" that make them a pupil's parent. */
static const char *const not_mayor[] = {"murid", "kelas", "siswa", "santri"};

static const char *const accuse_words[] = {"minta", "diminta", "meminta",
    "mintai", "terima", "menerima", "nerima", "trima", "potong", "dipotong",
    "memotong", "motong", "pungut", "dipungut", "memungut", "pungutan",
    "pungli", "tarik", "ditarik", "menarik", "narik", "setor", "setoran",
    "palak", "dipalak", "memalak", "peras", "diperas", "memeras", "pemerasan",
    "suap", "disuap", "menyuap", "sogok", "sogokan", "korupsi", "dikorupsi",
    "fee", "gratifikasi", "markup", "kutip", "dikutip", "mengutip", "sunat",
    "disunat", "nyunat", "tilep", "ditilep", "nilep", "embat", "jatah",
    "komisi", "upeti", "amplop", "pelicin", "ancam", "diancam", "mengancam",
    "paksa", "dipaksa", "memaksa", "persulit", "dipersulit", "mempersulit",
    "gelapkan", "menggelapkan", "digelapkan", "nepotisme", "kkn"};

/* Words before a role that say the writer turned to it. */
static const char *const turned_to[] = {"ke", "kepada", "yth", "bilang",
    "hormat", "dumateng", "marang", "mohon", "tolong"};

/* Honorifics that may sit between those words and the role. */
static const char *const honorifics[] = {"bapak", "ibu", "bu", "mas", "mbak"};

/* Words of the writer's own role ("saya guru", "saya kerja di"). */
static const char *const self_roles[] = {"guru", "pegawai", "staf", "staff",
    "karyawan", "honorer", "asn", "pns", "perawat", "bidan", "dokter",
    "petugas", "tenaga", "anggota", "sopir", "bekerja", "kerja", "pengajar",
    "dosen", "pensiunan", "operator", "bendahara", "pejabat", "kepala"};

static int
in(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int
is_accusation(const char *const *w, size_t n, size_t i)
{
	if (!in(accuse_words, NELEM(accuse_words), w[i]))
		return 0;
	/* "terima kasih" thanks */
	return strcmp(w[i], "terima") != 0 || i + 1 >= n ||
	    strcmp(w[i + 1], "kasih") != 0;
}

/* The role that starts at word i: its index in roles[] and length. */
static long
role_at(const char *const *w, size_t n, size_t i, size_t *len)
{
	size_t r, k;
	long best = -1;

	*len = 0;
	for (r = 0; r < NELEM(roles); r++) {
		for (k = 0; k < 3 && roles[r].w[k] != NULL; k++)
			if (i + k >= n || strcmp(w[i + k], roles[r].w[k]) != 0)
				break;
		if ((k == 3 || roles[r].w[k] == NULL) && k > *len) {
			best = (long)r;
			*len = k;
		}
	}
	if (best >= 0 && roles[best].kind == ACCUSED_MAYOR &&
	    strcmp(roles[best].w[1] != NULL ? roles[best].w[1] : "", "wali") ==
		0 &&
	    i + 2 < n && in(not_mayor, NELEM(not_mayor), w[i + 2]))
		return -1; /* "bapak wali murid": a parent */
	return best;
}

/* Did the writer turn to the role at i rather than accuse it? */
static int
turned_to_role(const char *const *w, const unsigned char *brk, size_t n,
    size_t i, size_t len)
{
	size_t k, seen = 0;

	if (i > 0 && strcmp(w[i - 1], "kantor") == 0)
		return 1; /* the office as a place */
	for (k = i; k > 0 && seen < 2; k--) {
		const char *p = w[k - 1];

		if (in(turned_to, NELEM(turned_to), p))
			return 1;
		if (!in(honorifics, NELEM(honorifics), p))
			break;
		seen++;
	}
	/* a greeting: "Pak Wali, ..." */
	if (i + len < n && brk[i + len] && i + len <= 3) {
		for (k = 0; k < i; k++)
			if (!in(honorifics, NELEM(honorifics), w[k]) &&
			    !in(turned_to, NELEM(turned_to), w[k]))
				return 0;
		return 1;
	}
	return 0;
}

/* Mark the words of the writer's description of themselves. */
static void
mark_self(const char *const *w, const unsigned char *brk, size_t n,
    unsigned char *self)
{
	size_t i, j, k, gap;

	memset(self, 0, n);
	for (i = 0; i < n; i++) {
		if (strcmp(w[i], "saya") == 0 || strcmp(w[i], "kami") == 0)
			gap = SELF_GAP;
		else if (strcmp(w[i], "sebagai") == 0)
			gap = 1;
		else
			continue;
		for (j = i + 1; j < n && j <= i + gap; j++) {
			if (is_accusation(w, n, j))
				break;
			if (!in(self_roles, NELEM(self_roles), w[j]))
				continue;
			for (k = j; k < n && k < j + SELF_LEN; k++) {
				if (k > j && (brk[k] || is_accusation(w, n, k)))
					break;
				self[k] = 1;
			}
			i = k - 1;
			break;
		}
	}
}

/* The accused role at i, or -1: a role that is neither own nor turned to. */
static long
accused_at(const char *const *w, const unsigned char *brk, size_t n, size_t i,
    const unsigned char *self, size_t *len)
{
	long r = role_at(w, n, i, len);

	if (r < 0 || self[i] || turned_to_role(w, brk, n, i, *len))
		return -1;
	return r;
}

/* Each word: the accused role that starts there (-1: none), its length. */
struct at {
	short role;
	unsigned char len;
};

/*
 * The accused of the accusation word at v, from the table of roles: the
 * nearest ending within SPAN words before it, else starting after it.
 */
static long
accused_of(const struct at *t, size_t n, size_t v, size_t *at)
{
	size_t k, l;

	for (k = v; k > 0 && k + SPAN > v; k--) {
		size_t i = k - 1;

		/* a role ending before v: its first word at most 2 back */
		for (l = 0; l < 3 && l <= i; l++)
			if (t[i - l].role >= 0 && i - l + t[i - l].len == k) {
				*at = i - l;
				return t[i - l].role;
			}
	}
	for (k = v + 1; k < n && k <= v + SPAN; k++)
		if (t[k].role >= 0) {
			*at = k;
			return t[k].role;
		}
	return -1;
}

void
accused_read(const char *const *w, const unsigned char *brk, size_t n,
    unsigned char *self, struct accusation *out)
{
	struct at *t;
	size_t v, at, len, k;
	long r, best = -1;
	size_t best_at = 0;

	memset(out, 0, sizeof *out);
	mark_self(w, brk, n, self);
	/* each word's role once: the text is read in time linear in it */
	if (n == 0 || (t = malloc(n * sizeof *t)) == NULL)
		return;
	for (k = 0; k < n; k++) {
		r = accused_at(w, brk, n, k, self, &len);
		t[k].role = (short)r;
		t[k].len = (unsigned char)len;
	}
	for (v = 0; v < n; v++) {
		if (self[v] || !is_accusation(w, n, v))
			continue;
		if ((r = accused_of(t, n, v, &at)) < 0)
			continue;
		if (best < 0 || roles[r].kind > roles[best].kind) {
			best = r;
			best_at = at;
		}
	}
	len = best >= 0 ? t[best_at].len : 0;
	free(t);
	if (best < 0)
		return;
	out->kind = roles[best].kind;
	for (k = 0; k < len; k++) {
		size_t used = strlen(out->term);

		if (used + strlen(w[best_at + k]) + 2 > sizeof out->term)
			break;
		snprintf(out->term + used, sizeof out->term - used, "%s%s",
		    k > 0 ? " " : "", w[best_at + k]);
	}
}

const char *
accused_kind_name(enum accused_kind k)
{
	switch (k) {
	case ACCUSED_STAFF:
		return "staff";
	case ACCUSED_LEADERSHIP:
		return "leadership";
	case ACCUSED_MAYOR:
		return "mayor";
	case ACCUSED_NONE:
		break;
	}
	return NULL;
}
