/*
 * intent: the rules that tell a report from chat.  In the order they
 * apply:
 *
 * 1. Nothing but emoji or punctuation is courtesy ("🙏"); nothing but
 *    dashes is a decline ("-").
 * 2. A command (CEK, STATUS, TAMBAH first; a head's TERIMA ... with a code)
 *    is a command.  A receipt (16 digits, any spacing) with nothing but
 *    filler around it ("cek laporan saya 0504-1719-...") is a receipt;
 *    inside a story it is remembered, so that the story is added to that
 *    report and the receipt never reaches a report's text.  A report code
 *    where a receipt belongs ("CEK KDR-7K3M9Q") is a code.  A number of 8
 *    to 20 digits with at most label words ("NIK saya ...") is a number;
 *    16 digits written without separators in the shape of a NIK (a
 *    province code and a birth date) are a NIK, not a receipt.
 * 3. Spam: a link with a promotion, loan or gambling word, or three such
 *    words, and no accusation word and no place.
 * 4. The words are read with the router's normaliser and sorted into
 *    chat (greetings, "mau lapor", thanks, fillers, "tidak tahu") and the
 *    rest.  Vocabulary is an accusation word, an amount, or a category,
 *    OPD or place the router matched outside the chat words.
 *    - No rest: an opener when it asks to report or only greets; else
 *      courtesy, or a decline.
 *    - "satu lagi", "ada lagi", "laporan lain" at the start: another
 *      report is coming (content when more follows).
 *    - An opener that names only a category ("mau lapor pungli") stays an
 *      opener: it tells nothing yet.
 *    - A question (a question word or "?") that accuses nobody, names no
 *      amount and does not complain ("kenapa", "kok") is a question,
 *      whatever service it names.
 *    - Vocabulary, or more than FEW words of rest: content.
 *    - Else: unclear.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "queue/conversation.h"
#include "queue/intent.h"
#include "queue/lifecycle.h"

#define FEW	       4  /* words of rest that can still be chat */
#define QUESTION_WORDS 14 /* a longer question is a story */
#define MAX_READ       64 /* words read for chat; more is content */
#define OTHER_SCRIPT   64 /* bytes of letters of another script: a story */
#define NELEM(a)       (sizeof(a) / sizeof((a)[0]))

const char *const intent_names[INTENT_COUNT] = {
    [INTENT_COMMAND] = "command",
    [INTENT_RECEIPT] = "receipt",
    [INTENT_CODE] = "code",
    [INTENT_OPENER] = "opener",
    [INTENT_COURTESY] = "courtesy",
    [INTENT_QUESTION] = "question",
    [INTENT_SPAM] = "spam",
    [INTENT_NUMBER] = "number",
    [INTENT_DECLINE] = "decline",
    [INTENT_ANOTHER] = "another",
    [INTENT_UNCLEAR] = "unclear",
    [INTENT_CONTENT] = "content",
};

const char *const intent_question_names[QUESTION_OTHER + 1] = {
    [QUESTION_NONE] = "none",
    [QUESTION_OFFICIAL] = "official",
    [QUESTION_HOW] = "how",
    [QUESTION_SAFE] = "safe",
    [QUESTION_DURATION] = "duration",
    [QUESTION_PHOTO] = "photo",
    [QUESTION_OTHER] = "other",
};

/* Words, as the router's normaliser writes them. */
static const char *const greeting_words[] = {"assalamualaikum",
    "asalamualaikum", "assalamuallaikum", "assalamu", "asalamu", "alaikum",
    "alaikom", "aslm", "ass", "askum", "salam", "selamat", "slmt", "met",
    "pagi", "siang", "sore", "malam", "mlm", "halo", "hallo", "helo", "hello",
    "hai", "hi", "hy", "permisi", "punten", "sugeng", "enjing", "sonten",
    "dalu", "nyuwun", "sewu", "wr", "wb", "warahmatullahi", "warahmatullah",
    "wabarakatuh", "wabarakatu", "om", "swastiastu", "shalom", "p", "ping",
    "tes", "test", "min", "mimin", "admin", "bapak", "ibu", "bu", "kak",
    "kakak", "mas", "mbak", "mba", "bro", "gan", "sis", "dik", "pakde", "bude",
    "kang", "cak", "ning", "sedulur", "lur", "hotline", "pemkot", "kediri"};

static const char *const opener_words[] = {"mau", "ingin", "izin", "lapor",
    "melapor", "laporan", "lapur", "ngadu", "mengadu", "aduan", "pengaduan",
    "adukan", "melaporkan", "laporkan", "mengadukan", "boleh", "bisa", "saya",
    "kami", "mohon", "tolong", "bantu", "dibantu", "bantuan", "ada", "yang",
    "hendak", "akan", "disini", "sini", "ke", "kesini", "nomor", "ini",
    "silakan", "sampaikan", "menyampaikan", "curhat", "cerita", "bercerita",
    "sesuatu", "hal", "kasus", "masalah", "keluhan", "komplain", "dengan",
    "benar", "betul"};

/* Of the opener words, those that ask to report. */
static const char *const opener_verbs[] = {"mau", "ingin", "izin", "lapor",
    "melapor", "laporan", "lapur", "ngadu", "mengadu", "aduan", "pengaduan",
    "adukan", "melaporkan", "laporkan", "mengadukan", "boleh", "tolong",
    "bantu", "dibantu", "mohon", "sampaikan", "menyampaikan", "curhat",
    "cerita", "keluhan", "komplain"};

static const char *const filler_words[] = {"ya", "yah", "dong", "deh", "sih",
    "nih", "ni", "lah", "kah", "toh", "loh", "lho", "kan", "aja", "saja", "itu",
    "tadi", "nya", "nggeh", "ngih", "yo", "oh", "o", "oo", "eh", "ah", "nah",
    "wah", "lo", "y", "yg", "and", "dan", "juga", "pun", "kok", "nak", "rek",
    "cuk"};

static const char *const courtesy_words[] = {"terima", "kasih", "matur",
    "nuwun", "suwun", "sembah", "oke", "sip", "siap", "sudah", "baik", "noted",
    "amin", "aamiin", "amiin", "aamin", "alhamdulillah", "insyaallah", "insya",
    "allah", "good", "mantap", "mantab", "mantul", "sama", "sami", "jazakallah",
    "khoir", "khair", "hehe", "wkwk", "haha", "yes", "oalah", "paham",
    "mengerti", "beres", "done", "lanjut", "semoga", "segera", "cepat",
    "ditindak", "ditindaklanjuti", "lanjuti", "diterima", "sukses", "berkah",
    "barakallah", "tuhan", "memberkati", "nggih", "injih", "enggeh", "sae",
    "apik", "joss", "top", "makasi", "berhasil", "masuk", "terkirim", "tunggu",
    "ditunggu", "menunggu", "kabar", "selanjutnya", "salut", "respon",
    "cepatnya", "banyak", "sanget", "sangat", "banget", "atas", "alaikumsalam",
    "waalaikumsalam", "walaikumsalam", "wa", "alaikum", "salam", "syukron",
    "maaf", "mengganggu", "ganggu", "tanggapannya", "tanggapan", "bantuannya",
    "informasinya", "infonya"};

static const char *const decline_words[] = {"tidak", "tahu", "lupa", "rahasia",
    "ingat", "kurang", "yakin", "ragu", "pasti", "sebut", "disebut", "menyebut",
    "menyebutkan", "dirahasiakan", "mau", "bisa", "belum", "jelas", "paham",
    "ngerti", "kelingan", "eling", "tidak", "namanya", "nama", "tempatnya",
    "tempat", "lokasi", "lokasinya", "kasih", "kasi", "dikasih", "bilang",
    "maaf", "mohon", "pass", "skip", "rahasiakan", "embuh", "entah", "entahlah",
    "saja", "aja", "ada"};

/* Of the decline words, those that decline. */
static const char *const decline_heads[] = {"tahu", "lupa", "rahasia", "ingat",
    "yakin", "ragu", "pasti", "jelas", "kelingan", "eling", "pass", "skip",
    "dirahasiakan", "rahasiakan", "embuh", "entah", "entahlah"};

static const char *const question_words[] = {"apa", "apakah", "bagaimana",
    "berapa", "kapan", "dimana", "mana", "siapa", "cara", "caranya", "syarat",
    "syaratnya", "prosedur", "prosedurnya", "tanya", "nanya", "bertanya",
    "pertanyaan", "info", "informasi", "benarkah", "bisakah", "bolehkah",
    "apkh", "apa2", "gimana", "kah", "kenapa", "mengapa"};

/* Question words that complain: with vocabulary, the text is content. */
static const char *const complaint_words[] = {"kenapa", "mengapa", "kok", "knp",
    "napa", "masa", "masak", "padahal", "malah"};

/* Of the question words, those that say what the question is about. */
static const char *const ask_words[] = {"tanya", "nanya", "bertanya",
    "pertanyaan", "info", "informasi", "syarat", "syaratnya", "prosedur",
    "prosedurnya", "cara", "caranya"};

/* When and who: a detail of the story being told, not chat. */
static const char *const detail_words[] = {"kejadian", "terjadi", "kemarin",
    "kemaren", "wingi", "barusan", "lalu", "senin", "selasa", "rabu", "kamis",
    "jumat", "sabtu", "minggu", "tanggal", "tgl", "jam", "pukul", "pelaku",
    "pelakunya", "orangnya", "petugasnya", "oknumnya", "bulan", "tahun",
    "seminggu", "sebulan", "kali", "berkali"};

/* Of the fillers, those that say yes. */
static const char *const yes_words[] = {"ya", "y", "yes", "yoi", "yo"};

/* Words that accuse: no question or promotion carries them. */
static const char *const strong_words[] = {"minta", "diminta", "meminta",
    "dimintai", "mintai", "pungut", "pungutan", "memungut", "dipungut",
    "pungli", "suap", "disuap", "menyuap", "sogok", "sogokan", "palak",
    "dipalak", "memalak", "peras", "diperas", "memeras", "pemerasan", "potong",
    "dipotong", "potongan", "setor", "setoran", "fee", "pelicin", "calo",
    "korupsi", "dikorupsi", "gratifikasi", "amplop", "upeti", "jatah", "komisi",
    "markup", "nepotisme", "kkn", "tilep", "ditilep", "dipersulit", "diancam",
    "ancam", "mengancam", "tebusan", "dipaksa", "paksa", "ilegal", "ditipu",
    "nipu", "oknum"};

static const char *const accuse_words[] = {"minta", "diminta", "meminta",
    "dimintai", "mintai", "pungut", "pungutan", "memungut", "dipungut",
    "pungli", "suap", "disuap", "menyuap", "sogok", "sogokan", "palak",
    "dipalak", "memalak", "peras", "diperas", "memeras", "pemerasan", "potong",
    "dipotong", "potongan", "setor", "setoran", "fee", "uang", "bayar",
    "dibayar", "membayar", "bayaran", "tarik", "ditarik", "menarik", "tarikan",
    "pelicin", "calo", "korupsi", "dikorupsi", "gratifikasi", "amplop", "rokok",
    "upeti", "jatah", "komisi", "markup", "mark", "nepotisme", "kkn", "tilep",
    "ditilep", "liar", "biaya", "dipersulit", "diancam", "ancam", "mengancam",
    "tebusan", "denda", "retribusi", "iuran", "sumbangan", "infaq", "infak",
    "sedekah", "dana", "duit", "ongkos", "tip", "persen", "juta", "ribu", "rb",
    "arto", "dipaksa", "paksa", "ilegal", "gelap", "tilang", "damai", "nombok",
    "oknum", "petugas", "pegawai", "pejabat", "kepala", "kadis", "lurah",
    "camat", "guru", "satpam", "jukir", "preman", "curang", "ditipu", "nipu",
    "mahal"};

static const char *const spam_words[] = {"slot", "gacor", "maxwin", "judi",
    "togel", "toto", "casino", "kasino", "jackpot", "jp", "depo", "deposit",
    "wd", "withdraw", "bonus", "promo", "diskon", "gratis", "cuan", "pinjaman",
    "pinjol", "kredit", "cair", "pencairan", "jaminan", "investasi", "profit",
    "trading", "bitcoin", "crypto", "kripto", "klik", "daftar", "link",
    "hadiah", "undian", "menang", "memenangkan", "pemenang", "scatter", "rtp",
    "zeus", "olympus", "bet", "taruhan", "modal", "untung", "penghasilan",
    "tambahan", "cashback", "voucher", "saldo", "dm", "order", "reseller",
    "dropship", "followers", "likes", "viral", "langsung", "tanpa", "syarat",
    "mudah", "terpercaya", "resmi", "anti", "rungkad", "daftarkan", "dapatkan",
    "limit", "checking", "pinjam", "darurat", "kemensos", "klaim", "segera"};

/* "satu lagi", "laporan lain": the first word, the second. */
static const char *const another_pairs[][2] = {{"satu", "lagi"},
    {"ada", "lagi"}, {"laporan", "lain"}, {"laporan", "lagi"},
    {"lapor", "lagi"}, {"kasus", "lain"}, {"kejadian", "lain"},
    {"masalah", "lain"}, {"hal", "lain"}, {"yang", "lain"}, {"aduan", "lain"},
    {"pengaduan", "lain"}, {"tambah", "satu"}, {"laporan", "baru"},
    {"laporan", "kedua"}, {"lagi", "satu"}};

static const char *const link_marks[] = {"http://", "https://", "www.",
    "bit.ly", "wa.me", "t.me", "s.id/", "tinyurl", "linktr.ee", ".com", ".net",
    ".xyz", ".org", ".vip", ".cc", ".id/", ".site", ".online", ".shop", ".link",
    ".top", ".info", ".biz", ".me/", "@gmail"};

static const char *const official_words[] = {"resmi", "asli", "benar", "bener",
    "beneran", "betul", "valid", "hoax", "hoaks", "penipuan", "tipu", "palsu",
    "pemkot", "pemerintah", "walikota", "wali", "official", "terpercaya",
    "nomornya", "milik"};
static const char *const safe_words[] = {"aman", "rahasia", "dirahasiakan",
    "rahasiakan", "identitas", "ketahuan", "bocor", "anonim", "anonymous",
    "takut", "diketahui", "terlindungi", "perlindungan", "dilindungi",
    "privasi", "disebarkan", "dibocorkan", "teror", "diteror", "balas",
    "pembalasan", "dendam", "dicari", "terbongkar", "menyamarkan", "samaran",
    "jeneng", "jenengku", "disebutke", "disebutkan", "disebut", "nama",
    "namaku"};
static const char *const duration_words[] = {"lama", "lamanya", "suwe",
    "suwene", "ditanggapi", "dibalas", "direspon", "ditindaklanjuti",
    "ditindak", "tindaklanjut", "ditangani"};
/* "kapan": about the report only with one of report_words */
static const char *const when_words[] = {"kapan", "hari", "waktu", "berapa",
    "proses", "diproses", "selesai", "diselesaikan", "respon", "respons"};
static const char *const report_words[] = {"lapor", "laporan", "melapor",
    "aduan", "pengaduan", "mengadu", "ngadu", "laporannya", "lapornya",
    "tanggapan", "balasan", "ditanggapi", "dibalas"};
static const char *const photo_words[] = {"foto", "gambar", "video", "rekaman",
    "screenshot", "ss", "lampiran", "melampirkan", "lampirkan", "rekam",
    "difoto", "foto2", "vn", "voice", "poto", "photo"};
/* "kirim bukti": sending proof is a photo question too */
static const char *const send_words[] = {"kirim", "mengirim", "dikirim",
    "upload", "unggah", "lampirkan", "kirimkan", "ngirim"};
static const char *const proof_words[] = {
    "bukti", "dokumen", "file", "berkas", "pdf", "buktinya"};
static const char *const how_words[] = {"cara", "caranya", "bagaimana",
    "prosedur", "prosedurnya", "format", "formatnya", "langkah", "alur",
    "mekanisme", "pripun"};

/* Place markers: they name an office only when nothing else does. */
static const char *const marker_words[] = {
    "kelurahan", "kecamatan", "desa", "lurah", "camat", "kantor"};

/* Words that say what a number is. */
static const char *const number_words[] = {"nik", "ktp", "hp", "wa", "whatsapp",
    "telp", "telepon", "tlp", "hape", "nomerku", "nomorku", "nope", "handphone",
    "telpon", "kk"};

/* Each list above is one flag of a word. */
enum {
	WF_GREETING = 1u << 0,
	WF_OPENER = 1u << 1,
	WF_VERB = 1u << 2,
	WF_FILLER = 1u << 3,
	WF_COURTESY = 1u << 4,
	WF_DECLINE = 1u << 5,
	WF_DECLINE_HEAD = 1u << 6,
	WF_QUESTION = 1u << 7,
	WF_ASK = 1u << 8,
	WF_COMPLAINT = 1u << 9,
	WF_STRONG = 1u << 10,
	WF_ACCUSE = 1u << 11,
	WF_SPAM = 1u << 12,
	WF_YES = 1u << 13,
	WF_HOW = 1u << 14,
	WF_REPORT = 1u << 15,
	WF_DETAIL = 1u << 16,
	WF_PHOTO = 1u << 17,
	WF_SEND = 1u << 18,
	WF_PROOF = 1u << 19,
	WF_SAFE = 1u << 20,
	WF_OFFICIAL = 1u << 21,
	WF_DURATION = 1u << 22,
	WF_WHEN = 1u << 23,
	WF_MARKER = 1u << 24,
	WF_NUMBER = 1u << 25,
};

#define LIST(l, f)                                                             \
	{                                                                      \
		(l), NELEM(l), (f)                                             \
	}

static const struct {
	const char *const *words;
	size_t n;
	unsigned flag;
} lists[] = {
    LIST(greeting_words, WF_GREETING),
    LIST(opener_words, WF_OPENER),
    LIST(opener_verbs, WF_VERB),
    LIST(filler_words, WF_FILLER),
    LIST(courtesy_words, WF_COURTESY),
    LIST(decline_words, WF_DECLINE),
    LIST(decline_heads, WF_DECLINE_HEAD),
    LIST(question_words, WF_QUESTION),
    LIST(ask_words, WF_ASK),
    LIST(complaint_words, WF_COMPLAINT),
    LIST(strong_words, WF_STRONG),
    LIST(accuse_words, WF_ACCUSE),
    LIST(spam_words, WF_SPAM),
    LIST(yes_words, WF_YES),
    LIST(how_words, WF_HOW),
    LIST(report_words, WF_REPORT),
    LIST(detail_words, WF_DETAIL),
    LIST(photo_words, WF_PHOTO),
    LIST(send_words, WF_SEND),
    LIST(proof_words, WF_PROOF),
    LIST(safe_words, WF_SAFE),
    LIST(official_words, WF_OFFICIAL),
    LIST(duration_words, WF_DURATION),
    LIST(when_words, WF_WHEN),
    LIST(marker_words, WF_MARKER),
    LIST(number_words, WF_NUMBER),
};

/*
 * The lists as one sorted dictionary of words and their flags, built once
 * (the first reading) and only read after: a word costs one binary
 * search, whatever the number of lists.
 */
struct entry {
	const char *word;
	unsigned flags;
};

static struct entry *dictionary;
static size_t ndictionary;
static pthread_once_t dictionary_once = PTHREAD_ONCE_INIT;

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct entry *)a)->word, ((const struct entry *)b)->word);
}

static void
build_dictionary(void)
{
	size_t i, j, n = 0;

	for (i = 0; i < NELEM(lists); i++)
		n += lists[i].n;
	if ((dictionary = malloc(n * sizeof *dictionary)) == NULL)
		return; /* every word reads as no list's: content */
	for (i = n = 0; i < NELEM(lists); i++)
		for (j = 0; j < lists[i].n; j++) {
			dictionary[n].word = lists[i].words[j];
			dictionary[n++].flags = lists[i].flag;
		}
	qsort(dictionary, n, sizeof *dictionary, entry_cmp);
	for (i = j = 0; i < n; i++)
		if (j > 0 &&
		    strcmp(dictionary[j - 1].word, dictionary[i].word) == 0)
			dictionary[j - 1].flags |= dictionary[i].flags;
		else
			dictionary[j++] = dictionary[i];
	ndictionary = j;
}

/* The flags of word w (WF_*), 0 when it is in no list. */
static unsigned
flags_of(const char *w)
{
	struct entry key = {w, 0}, *e;

	pthread_once(&dictionary_once, build_dictionary);
	if (dictionary == NULL)
		return 0;
	e = bsearch(
	    &key, dictionary, ndictionary, sizeof *dictionary, entry_cmp);
	return e != NULL ? e->flags : 0;
}

static int
is_amount(const char *w)
{
	return w[0] == '#';
}

/* --- the raw text: emoji, dashes, links, receipts, codes, numbers ---- */

/* Does text hold any letter or digit? */
static int
has_alnum(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text < 0x80 &&
		    isalnum((unsigned char)*text))
			return 1;
	return 0;
}

static int
only_dashes(const char *text)
{
	int dash = 0;

	for (; *text != '\0'; text++)
		if (*text == '-' || *text == '_')
			dash = 1;
		else if (!isspace((unsigned char)*text) && *text != '.')
			return 0;
	return dash;
}

static int
has_emoji(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text >= 0x80)
			return 1;
	return 0;
}

/* Does text hold a link (one pass: a mark is tried where it can start)? */
static int
has_link(const char *text)
{
	size_t i, k;

	for (i = 0; text[i] != '\0'; i++) {
		int c = tolower((unsigned char)text[i]);

		for (k = 0; k < NELEM(link_marks); k++)
			if (link_marks[k][0] == c &&
			    strncasecmp(text + i, link_marks[k],
				strlen(link_marks[k])) == 0)
				return 1;
	}
	return 0;
}

/* A receipt anywhere in text: 1 with out's digits and bytes filled. */
static int
find_receipt(const char *text, struct intent_reading *out, int *separated)
{
	const char *p, *after;

	for (p = text; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) ||
		    (p > text && isdigit((unsigned char)p[-1])))
			continue;
		if ((after = receipt_parse(p, out->digits)) == NULL)
			continue;
		out->receipt_start = (size_t)(p - text);
		while (after > p && !isdigit((unsigned char)after[-1]))
			after--;
		out->receipt_end = (size_t)(after - text);
		*separated =
		    out->receipt_end - out->receipt_start > RECEIPT_DIGITS;
		return 1;
	}
	return 0;
}

/*
 * A report code (PREFIX-XXXXXX, the dash optional) anywhere in text.
 * Returns the byte offset of its start, or -1; *end is set past it.
 */
static long
find_code(const char *text, const char *prefix, size_t *end)
{
	size_t n = strlen(prefix), i, k;
	const char *p;

	if (n == 0)
		return -1;
	for (p = text; *p != '\0'; p++) {
		if ((p > text && isalnum((unsigned char)p[-1])) ||
		    strncasecmp(p, prefix, n) != 0)
			continue;
		i = n;
		if (p[i] == '-' || p[i] == ' ')
			i++;
		for (k = 0; k < 6; k++, i++)
			if (p[i] == '\0' ||
			    strchr(STORE_CODE_ALPHABET,
				toupper((unsigned char)p[i])) == NULL)
				break;
		if (k == 6 && !isalnum((unsigned char)p[i])) {
			*end = (size_t)(p - text) + i;
			return (long)(p - text);
		}
	}
	return -1;
}

/*
 * The longest run of digits (spaces, dashes, dots, '+' and brackets
 * between them) of 8 to 20 digits: a phone number or a NIK.  Returns 1
 * with its bytes.
 */
static int
find_number(const char *text, size_t *start, size_t *end)
{
	size_t i, j, digits, best = 0;

	for (i = 0; text[i] != '\0'; i++) {
		if (!isdigit((unsigned char)text[i]) &&
		    !(text[i] == '+' && isdigit((unsigned char)text[i + 1])))
			continue;
		if (i > 0 && isalnum((unsigned char)text[i - 1]))
			continue;
		for (j = i, digits = 0; text[j] != '\0'; j++)
			if (isdigit((unsigned char)text[j]))
				digits++;
			else if (strchr(" -.+()", text[j]) == NULL ||
			    !isdigit((unsigned char)text[j + 1]))
				break;
		if (digits >= 8 && digits <= 20 && digits > best &&
		    !isalpha((unsigned char)text[j])) {
			best = digits;
			*start = i;
			*end = j;
		}
		i = j > i ? j - 1 : i;
	}
	return best > 0;
}

/* text with bytes [start, end) made a space: malloc'd, or NULL. */
static char *
without(const char *text, size_t start, size_t end)
{
	size_t n = strlen(text);
	char *s;

	if ((s = malloc(n + 2)) == NULL)
		return NULL;
	memcpy(s, text, start);
	s[start] = ' ';
	memcpy(s + start + 1, text + end, n - end + 1);
	return s;
}

/* --- the words --------------------------------------------------------- */

enum word_class {
	W_REST,
	W_GREETING,
	W_OPENER,
	W_FILLER,
	W_COURTESY,
	W_DECLINE
};

static enum word_class
classify(unsigned flags)
{
	if (flags & WF_GREETING)
		return W_GREETING;
	if (flags & WF_FILLER)
		return W_FILLER;
	if (flags & WF_COURTESY)
		return W_COURTESY;
	if (flags & WF_OPENER)
		return W_OPENER;
	if (flags & WF_DECLINE)
		return W_DECLINE;
	return W_REST;
}

/*
 * Is every word of a matched term chat (1), or a place marker such as
 * "kelurahan" (2), which names the office only when nothing else does?
 */
static int
matched_only(const struct router *r, const char *matched)
{
	char words[8][ROUTER_WORD_MAX];
	size_t n, i;
	int chat = 1, marker = 1;

	n = router_words(r, matched, words, NELEM(words));
	for (i = 0; i < n; i++) {
		unsigned f = flags_of(words[i]);

		if (classify(f) == W_REST)
			chat = 0;
		if (!(f & WF_MARKER))
			marker = 0;
	}
	return n == 0 ? 0 : chat ? 1 : marker ? 2 : 0;
}

/* What the router matched that is not chat: category, OPD, place. */
struct vocabulary {
	int category, opd, place, marker;
};

static void
vocabulary(const struct router *r, const struct route *rt, struct vocabulary *v)
{
	size_t i;
	int only;

	memset(v, 0, sizeof *v);
	for (i = 0; i < rt->nevidence; i++) {
		const struct route_evidence *e = &rt->evidence[i];

		if ((only = matched_only(r, e->matched)) == 1)
			continue;
		if (strcmp(e->field, "category") != 0 &&
		    strcmp(e->field, "opd") != 0)
			v->place = 1;
		else if (only == 2)
			v->marker = 1;
		else if (strcmp(e->field, "category") == 0)
			v->category = 1;
		else
			v->opd = 1;
	}
}

/*
 * What a question asks, from the flags of all its words together.
 * service: it names an office or a service, so "cara ..." asks about
 * that service unless it says "lapor".
 */
static enum question
question_kind(unsigned all, int service)
{
	int report = (all & WF_REPORT) != 0;

	if ((all & WF_PHOTO) || ((all & WF_SEND) && (all & WF_PROOF)))
		return QUESTION_PHOTO;
	if (all & WF_SAFE)
		return QUESTION_SAFE;
	if (all & WF_OFFICIAL)
		return QUESTION_OFFICIAL;
	if (((all & WF_DURATION) && (report || !service)) ||
	    ((all & WF_WHEN) && report))
		return QUESTION_DURATION;
	if ((all & WF_HOW) && (report || !service))
		return QUESTION_HOW;
	return QUESTION_OTHER;
}

static void
decide(struct intent_reading *out, enum intent intent, const char *rule)
{
	out->intent = intent;
	out->rule = rule;
}

static void
read_words(const struct router *r, const char *text, const struct route *route,
    struct intent_reading *out)
{
	char(*w)[ROUTER_WORD_MAX] = NULL;
	struct route own;
	struct vocabulary v;
	size_t n, i, rest = 0, first = 0;
	int asked = 0;
	int strong = 0, yes = 0, greet = 0, opener = 0, verb = 0, courtesy = 0;
	int decline_head = 0, accuse = 0, amount = 0, spam = 0;
	int question = 0, complaint = 0, another = 0, category_only;
	int how = 0, reported = 0, other = 0, link;
	unsigned f, all = 0;

	if (route == NULL) {
		router_route(r, text, NULL, &own);
		route = &own;
	}
	out->names_place = route->kecamatan != NULL || route->kelurahan != NULL;
	if ((w = malloc(MAX_READ * sizeof *w)) == NULL) {
		decide(out, INTENT_CONTENT, "out of memory");
		return;
	}
	n = router_words(r, text, w, MAX_READ);
	for (i = 0; i < n; i++) {
		if (is_amount(w[i]))
			amount = 1;
		f = flags_of(w[i]);
		all |= f;
		accuse += (f & WF_ACCUSE) != 0;
		strong += (f & WF_STRONG) != 0;
		yes |= (f & WF_YES) != 0;
		out->detail |= (f & WF_DETAIL) != 0;
		how |= (f & WF_HOW) != 0;
		reported |= (f & WF_REPORT) != 0;
		spam += (f & WF_SPAM) != 0;
		question += (f & WF_QUESTION) != 0;
		asked += (f & WF_QUESTION) && !(f & WF_ASK);
		complaint += (f & WF_COMPLAINT) != 0;
		if (strcmp(w[i], "tidak") == 0 && i + 1 < n &&
		    strcmp(w[i + 1], "ada") == 0)
			decline_head = 1; /* "nggak ada" */
		if (classify(f) == W_REST && !(f & (WF_QUESTION | WF_HOW)))
			other++;
		switch (classify(f)) {
		case W_GREETING:
			greet = 1;
			if (first == i)
				first++;
			break;
		case W_OPENER:
			opener = 1;
			verb |= (f & WF_VERB) != 0;
			break;
		case W_FILLER:
			if (first == i)
				first++;
			break;
		case W_COURTESY:
			courtesy = 1;
			break;
		case W_DECLINE:
			decline_head |= (f & WF_DECLINE_HEAD) != 0;
			break;
		case W_REST:
			/* a bare number says nothing; an amount does */
			rest += strspn(w[i], "0123456789") != strlen(w[i]);
			break;
		}
	}
	if (strchr(text, '?') != NULL)
		question++;
	/* "satu lagi", "laporan lain" among the first words */
	for (i = first; i + 1 < n && i < first + 4 && !another; i++) {
		size_t k;

		for (k = 0; k < NELEM(another_pairs); k++)
			if (strcmp(w[i], another_pairs[k][0]) == 0 &&
			    strcmp(w[i + 1], another_pairs[k][1]) == 0)
				another = 1;
	}

	link = has_link(text);
	if ((link && spam > 0 && strong == 0) ||
	    (spam >= 3 && strong == 0 && !out->names_place)) {
		decide(out, INTENT_SPAM, link ? "link" : "promotion");
		goto done;
	}
	/* a story: no need to weigh each word the router matched */
	if (n >= MAX_READ || rest > QUESTION_WORDS) {
		out->accuses = 1;
		out->another = another;
		decide(out, INTENT_CONTENT, "long");
		goto done;
	}
	vocabulary(r, route, &v);
	out->accuses = strong > 0 || amount || v.category || v.opd;
	/* a question says what it asks: "gimana ya" and "HAH?" do not */
	if (question > 0 && asked == question && (int)rest <= asked &&
	    strchr(text, '?') == NULL &&
	    question_kind(all, 1) == QUESTION_OTHER)
		question = 0;
	if (question > 0 && strchr(text, '?') != NULL && n < 2)
		question = 0;
	if (rest == 0 && !amount && !v.category && !v.opd && !v.place &&
	    !v.marker) {
		if (another)
			decide(out, INTENT_ANOTHER, "another report");
		else if (decline_head && !verb)
			decide(out, INTENT_DECLINE, "declines");
		else if (verb || (!courtesy && (greet || opener)))
			decide(out, INTENT_OPENER, "opener");
		else if (courtesy)
			decide(out, INTENT_COURTESY, "courtesy");
		else if (yes)
			decide(out, INTENT_COURTESY, "yes"); /* "ya", "nggih" */
		else
			decide(out, INTENT_UNCLEAR, "chat");
		goto done;
	}
	/* "mau lapor pungli": an opener that names only a category */
	category_only =
	    v.category && !v.opd && !v.place && !amount && rest <= 2 && verb;
	if (category_only && !another && !question) {
		decide(out, INTENT_OPENER, "opener with a category");
		goto done;
	}
	/*
	 * A question that accuses nobody, names no amount and does not
	 * complain about a service ("kenapa ... padahal") is answered, not
	 * filed; "cara lapor pungli?" asks how to report.
	 */
	if (question && !amount && n <= QUESTION_WORDS &&
	    (strong == 0 || (how && !v.opd && !v.place)) &&
	    !(complaint && (v.opd || v.place || v.category))) {
		decide(out, INTENT_QUESTION, "question");
		out->question = question_kind(
		    all, v.category || v.opd || v.place || other > 1);
		goto done;
	}
	if (amount || accuse > 0 || v.category || v.opd || v.place ||
	    v.marker || rest > FEW) {
		decide(out, INTENT_CONTENT,
		    amount				  ? "amount"
			: accuse > 0			  ? "accusation"
			: v.category || v.opd || v.marker ? "service"
			: v.place			  ? "place"
							  : "words");
		out->another = another;
		goto done;
	}
	if (another)
		decide(out, INTENT_ANOTHER, "another report");
	else if (question) {
		decide(out, INTENT_QUESTION, "question");
		out->question = question_kind(all, other > 1);
	} else
		decide(out, INTENT_UNCLEAR, "few words");
done:
	free(w);
}

/* Does text name what a number is (NIK, HP, WA)? */
static int
labels_number(const char *text)
{
	char w[32];
	size_t k;

	while (*text != '\0') {
		if (!isalpha((unsigned char)*text)) {
			text++;
			continue;
		}
		for (k = 0; isalpha((unsigned char)*text); text++)
			if (k < sizeof w - 1)
				w[k++] = (char)tolower((unsigned char)*text);
		w[k] = '\0';
		if (flags_of(w) & WF_NUMBER)
			return 1;
	}
	return 0;
}

/* Blank out the words of s that say what a number is. */
static void
blank_labels(char *s)
{
	char w[32], *p = s, *start;
	size_t k;

	while (*p != '\0') {
		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		for (start = p, k = 0; isalpha((unsigned char)*p); p++)
			if (k < sizeof w - 1)
				w[k++] = (char)tolower((unsigned char)*p);
		w[k] = '\0';
		if (flags_of(w) & WF_NUMBER)
			memset(start, ' ', (size_t)(p - start));
	}
}

/*
 * What text is once span [start, end) is taken out (and, for a number,
 * the words that name it).
 */
static enum intent
intent_without(const struct router *r, const char *text, size_t start,
    size_t end, int number)
{
	struct intent_reading rest;
	char *s;

	if ((s = without(text, start, end)) == NULL)
		return INTENT_CONTENT;
	if (number)
		blank_labels(s);
	memset(&rest, 0, sizeof rest);
	if (!has_alnum(s))
		rest.intent = INTENT_UNCLEAR;
	else
		read_words(r, s, NULL, &rest);
	sodium_memzero(s, strlen(s));
	free(s);
	return rest.intent;
}

void
intent_read(const struct router *r, const char *report_prefix, const char *text,
    const struct route *route, struct intent_reading *out)
{
	struct head_command head;
	struct command cmd;
	size_t start = 0, end = 0;
	long code_at;
	int separated = 0, link;

	memset(out, 0, sizeof *out);
	if (!has_alnum(text)) {
		if (only_dashes(text))
			decide(out, INTENT_DECLINE, "dashes");
		else if (!conversation_is_empty(text) &&
		    strlen(text) > OTHER_SCRIPT) {
			out->accuses = 1; /* words of another script */
			decide(out, INTENT_CONTENT, "other script");
		} else if (has_emoji(text) && conversation_is_empty(text))
			decide(out, INTENT_COURTESY, "emoji");
		else
			decide(out, INTENT_UNCLEAR, "no words");
		return;
	}
	if (conversation_parse(text, &cmd) != COMMAND_NONE) {
		sodium_memzero(&cmd, sizeof cmd);
		decide(out, INTENT_COMMAND, "command");
		return;
	}
	if (lifecycle_parse_command(text, report_prefix, &head) != HEAD_NONE) {
		out->staff_command = 1;
		decide(out, INTENT_COMMAND, "head command");
		return;
	}
	link = has_link(text);
	if (!link && find_receipt(text, out, &separated)) {
		if (labels_number(text) ||
		    (!separated && receipt_nik_shaped(out->digits) &&
			strcasestr(text, "bukti") == NULL &&
			strncasecmp(text, "cek", 3) != 0)) {
			intent_wipe(out); /* a NIK, not a receipt */
			if (intent_without(r, text, out->receipt_start,
				out->receipt_end, 1) != INTENT_CONTENT) {
				decide(out, INTENT_NUMBER, "NIK");
				return;
			}
		} else if (intent_without(r, text, out->receipt_start,
			       out->receipt_end, 0) != INTENT_CONTENT) {
			out->has_receipt = 1;
			decide(out, INTENT_RECEIPT, "receipt");
			return;
		} else
			out->has_receipt = 1; /* a story for that report */
	}
	if ((code_at = find_code(text, report_prefix, &end)) >= 0 &&
	    (strncasecmp(text, "cek", 3) == 0 ||
		strncasecmp(text, "status", 6) == 0 ||
		strncasecmp(text, "tambah", 6) == 0 ||
		intent_without(r, text, (size_t)code_at, end, 0) !=
		    INTENT_CONTENT)) {
		intent_wipe(out);
		decide(out, INTENT_CODE, "report code");
		return;
	}
	if (!out->has_receipt && !link && find_number(text, &start, &end) &&
	    intent_without(r, text, start, end, 1) != INTENT_CONTENT) {
		decide(out, INTENT_NUMBER, "bare number");
		return;
	}
	read_words(r, text, route, out);
	if (out->intent != INTENT_CONTENT)
		intent_wipe(out);
}

void
intent_wipe(struct intent_reading *r)
{
	sodium_memzero(r->digits, sizeof r->digits);
	r->has_receipt = 0;
	r->receipt_start = r->receipt_end = 0;
}
