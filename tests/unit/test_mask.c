/*
 * test_mask: queue/mask.c, what identifies a person hidden from the text
 * an OPD reads.  A table of texts as citizens write them (SMS and
 * WhatsApp, slang, typos, Javanese, all in capitals) and their masked
 * form: phone numbers however written, NIKs, digits spelled out, e-mails,
 * number plates, names, house and RT/RW numbers; and texts that must come
 * out as they went in (amounts, dates, times, codes, places, ordinary
 * words).  Then: mask_room() is enough for the worst case of every mask
 * and for any mix of them; a text of 65,536 characters is masked whole;
 * 256 KiB of text made to make a scanner look back or ahead is read in
 * linear time; a cut keeps masks and characters whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/testlib.h"

#include "lib/utf8.h"
#include "queue/mask.h"

#define N	 "[angka disamarkan]"
#define EMAIL	 "[email disamarkan]"
#define PLATE	 "[plat disamarkan]"
#define NAME	 "[nama disamarkan]"
#define ADDRESS	 "[alamat disamarkan]"
#define ELLIPSIS "\xe2\x80\xa6"

/* text masked with the room mask_room() gives: malloc'd, never cut. */
static char *
mask_whole(const char *text)
{
	size_t max = mask_room(strlen(text));
	char *out = malloc(max + 1);

	assert_non_null(out);
	memset(out, 'X', max + 1);
	mask_text(text, out, max);
	assert_true(strlen(out) <= max);
	if (!utf8_valid(out))
		fail_msg("not UTF-8: %s", out);
	return out;
}

struct mask_case {
	const char *text, *want;
};

/* Each text masked whole must be want. */
static void
assert_cases(const struct mask_case *cases, size_t n)
{
	size_t i;
	char *out;

	for (i = 0; i < n; i++) {
		out = mask_whole(cases[i].text);
		if (strcmp(out, cases[i].want) != 0)
			print_message("case %zu: \"%s\"\n", i, cases[i].text);
		assert_string_equal(out, cases[i].want);
		free(out);
	}
}

/* --- the table ----------------------------------------------------------- */

static void
test_masked(void **state)
{
	static const struct mask_case cases[] = {
	    /* phone numbers, however written */
	    {"hubungi 081234567890 ya", "hubungi " N " ya"},
	    {"0812/3456/7890", N},
	    {"wa sy 0813,9876,5432 pak", "wa sy " N " pak"},
	    {"no hp 08123 / 4567890 (bisa WA)", "no hp " N " (bisa WA)"},
	    {"telp 0812 - 3456 - 7890", "telp " N},
	    {"0812-3456-7890", N},
	    {"0812.3456.7890", N},
	    {"WA: +62 812-3456-7890, sore", "WA: " N ", sore"},
	    {"+6281234567890.", N "."},
	    {"HP 6281234567890", "HP " N},
	    {"hp:081234567890", "hp:" N},
	    {"kantor (0354) 123456 pagi", "kantor " N " pagi"},
	    {"hubungi (081234567890) sore", "hubungi (" N ") sore"},
	    {"telp 0354-123456", "telp " N},
	    {"tlp kantor 021 5551234", "tlp kantor " N},
	    {"chat aja wa.me/6281234567890 min", "chat aja wa.me/" N " min"},
	    {"081234567890 / 085678901234", N " / " N},
	    {"bayar 50.000 ke 081234567890", "bayar 50.000 ke " N},
	    {"hp 081234567890 50.000 sekali", "hp " N " 50.000 sekali"},
	    /* written like amounts, too long or with a leading 0 */
	    {"081.234.567.890", N},
	    {"0812.345.678", N},
	    {"628.123.456.789", N},
	    {"Rp 12.345.678.901", "Rp " N},
	    {"12345678", N},
	    /* full-width and Arabic-Indic digits, hidden blanks */
	    {"\xef\xbd\x88\xef\xbd\x90 "
	     "\xef\xbc\x90\xef\xbc\x98\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93"
	     "\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98"
	     "\xef\xbc\x99\xef\xbc\x90",
		"hp " N},
	    {"nomer \xd9\xa0\xd9\xa8\xd9\xa1\xd9\xa2-\xd9\xa3\xd9\xa4\xd9\xa5"
	     "\xd9\xa6-\xd9\xa7\xd9\xa8\xd9\xa9\xd9\xa0",
		"nomer " N},
	    {"0812\xe2\x80\x8b"
	     "3456\xe2\x80\x8b"
	     "7890",
		N},
	    {"0812\xc2\xa0"
	     "3456\xc2\xa0"
	     "7890 ya",
		N " ya"},
	    /* digits spelled out, Indonesian and Javanese */
	    {"nomer sy nol delapan satu dua tiga empat lima enam tujuh",
		"nomer sy " N},
	    {"wa kulo kosong wolu siji loro telu papat limo enem",
		"wa kulo " N},
	    {"NOMOR SAYA NOL DELAPAN LIMA TUJUH SATU DUA", "NOMOR SAYA " N},
	    {"hp: nol-delapan-satu-tiga, satu-dua-tiga", "hp: " N},
	    {"kosong lapan 1234 5678 ya", N " ya"},
	    /* NIKs and account numbers */
	    {"NIK: 35.71.01.234567.0001", "NIK: " N},
	    {"nik sy 3571 0123 4567 0002", "nik sy " N},
	    {"NIK3571012345678901", "NIK" N},
	    {"no KTP 3571-0123-4567-0003 hilang", "no KTP " N " hilang"},
	    {"rek BRI 1234567890123", "rek BRI " N},
	    /* e-mail addresses */
	    {"email budi.santoso@gmail.com", "email " EMAIL},
	    {"kirim ke BUDI_99@YAHOO.CO.ID ya", "kirim ke " EMAIL " ya"},
	    {"(a@b.co)", "(" EMAIL ")"},
	    {"email: rina+lapor@mail.kedirikota.go.id.", "email: " EMAIL "."},
	    {"budi\xef\xbc\xa0gmail.com", EMAIL},
	    /* number plates */
	    {"mobil dinas AG 1234 XY parkir", "mobil dinas " PLATE " parkir"},
	    {"motornya ag1234xy", "motornya " PLATE},
	    {"truk L 5678 AB nyerempet", "truk " PLATE " nyerempet"},
	    {"pejabat pake B 1 RFS", "pejabat pake " PLATE},
	    {"nopol AG 1234", "nopol " PLATE},
	    {"plat nomor: ag 4567 kz", "plat nomor: " PLATE},
	    {"PLAT NO DK 1234 ABC", "PLAT NO " PLATE},
	    {"no. pol N 1234 XY", "no. pol " PLATE},
	    {"nopolnya AB 123 C", "nopolnya " PLATE},
	    {"PUNGLI DI SAMSAT, MOBIL SAYA B 1234 KJT DIMINTAI 500RB",
		"PUNGLI DI SAMSAT, MOBIL SAYA " PLATE " DIMINTAI 500RB"},
	    /* names */
	    {"nama saya Budi Santoso, warga Bandar",
		"nama saya " NAME ", warga Bandar"},
	    {"nama saya budi santoso dari bandar",
		"nama saya " NAME " dari bandar"},
	    {"NAMA SAYA BUDI SANTOSO WARGA BANDAR LOR",
		"NAMA SAYA " NAME " WARGA BANDAR LOR"},
	    {"saya bernama Siti Aminah tinggal di Pesantren",
		"saya bernama " NAME " tinggal di Pesantren"},
	    {"atas nama Bapak Sutrisno", "atas nama " NAME},
	    {"a.n. SITI AMINAH (ibu saya)", "a.n. " NAME " (ibu saya)"},
	    {"transfer ke rek BRI an. Joko Susilo",
		"transfer ke rek BRI an. " NAME},
	    {"a/n Sri Wahyuni", "a/n " NAME},
	    {"namaku Rina, mau lapor", "namaku " NAME ", mau lapor"},
	    {"jenengku Slamet, omahku Ngronggo",
		"jenengku " NAME ", omahku Ngronggo"},
	    {"nami kulo Bambang, saking Pesantren",
		"nami kulo " NAME ", saking Pesantren"},
	    {"Nama: Dewi Lestari\nAlamat: Jl. Mawar No. 12",
		"Nama: " NAME " Alamat: Jl. Mawar " ADDRESS},
	    {"selamat pagi, dengan saya Agus dari Mojoroto",
		"selamat pagi, dengan saya " NAME " dari Mojoroto"},
	    {"Saya Siti Aminah, warga Bandar Kidul",
		"Saya " NAME ", warga Bandar Kidul"},
	    {"sy Rina (NIK 3571012345678901) mau lapor",
		"sy " NAME " (NIK " N ") mau lapor"},
	    {"nama saya M. Yusuf Effendi", "nama saya " NAME},
	    {"nama saya adalah Ahmad Fauzi.", "nama saya adalah " NAME "."},
	    {"Kulo Pak Tarno saking Mojoroto", "Kulo " NAME " saking Mojoroto"},
	    {"Mohon ditindaklanjuti. Hormat saya, Agus Salim",
		"Mohon ditindaklanjuti. Hormat saya, " NAME},
	    {"Terima kasih. Salam, Budi", "Terima kasih. Salam, " NAME},
	    {"Pelapor: Dwi Ratna\nHP: 0857-3344-1122",
		"Pelapor: " NAME " HP: " N},
	    {"nama saya budi pak, mau lapor",
		"nama saya " NAME " pak, mau lapor"},
	    /* house numbers, RT and RW */
	    {"rumah saya di Jl. Mawar No. 12 Bandar",
		"rumah saya di Jl. Mawar " ADDRESS " Bandar"},
	    {"Jalan Mawar no 12", "Jalan Mawar " ADDRESS},
	    {"Jln. Kh. Agus Salim No.5", "Jln. Kh. Agus Salim " ADDRESS},
	    {"Gg. Melati 3 no 7", "Gg. Melati 3 " ADDRESS},
	    {"rumah no 12 cat hijau", "rumah " ADDRESS " cat hijau"},
	    {"Jl. Mawar 12 depan masjid", "Jl. Mawar " ADDRESS " depan masjid"},
	    {"Perum Griya Indah Blok C2 No. 5",
		"Perum Griya Indah Blok C2 " ADDRESS},
	    {"RT 03 RW 05", "RT/RW " ADDRESS},
	    {"RT 3/RW 5 Kel. Bandar Lor", "RT/RW " ADDRESS " Kel. Bandar Lor"},
	    {"RT.003/RW.005", "RT/RW " ADDRESS},
	    {"rt03 rw05 dsn krajan", "rt/rw " ADDRESS " dsn krajan"},
	    {"RT/RW 03/05", "RT/RW " ADDRESS},
	    {"pak RT 02 minta 50rb", "pak RT " ADDRESS " minta 50rb"},
	    {"ALAMAT JL MAWAR NO 12 RT 3 RW 4",
		"ALAMAT JL MAWAR " ADDRESS " RT/RW " ADDRESS},
	    /* everything at once */
	    {"Lapor pak, petugas kelurahan minta uang 50rb, nama saya Budi "
	     "(0812-3456-7890) rumah Jl. Dhoho No. 5",
		"Lapor pak, petugas kelurahan minta uang 50rb, nama saya " NAME
		" (" N ") rumah Jl. Dhoho " ADDRESS},
	    {"sy warga rt 05 rw 02 kel tosaren, hp 085712345678 email "
	     "warga.tosaren@gmail.com",
		"sy warga rt/rw " ADDRESS " kel tosaren, hp " N
		" email " EMAIL},
	};

	(void)state;
	assert_cases(cases, TESTLIB_COUNT(cases));
}

/* Texts that must come out as they went in. */
static void
test_unchanged(void **state)
{
	static const char *const texts[] = {
	    "Rp 50.000",
	    "pungli Rp 1.500.000 di loket",
	    "Rp 150.000.000,00 hilang",
	    "Rp 15000000 untuk proyek",
	    "Rp 50.000, 100.000, dan 200.000",
	    "bayar 1,5jt ke oknum",
	    "minta 50rb per orang",
	    "potongan 10 persen",
	    "sudah 3x bayar 2.500.000",
	    "kode laporan KDR-7K3M9Q",
	    "tanggal 12/03/2026 jam 10.30",
	    "12-03-2026 sampai 15-03-2026",
	    "2026-03-12 pukul 09:15",
	    "jam 10.30-12.00 loket tutup",
	    "dari jam 10 sampai jam 12",
	    "di kelurahan Bandar Lor, kecamatan Mojoroto",
	    "Dinas Perhubungan dan Satpol PP",
	    "Saya Mau lapor pungli di pasar",
	    "Saya Warga Bandar, mau lapor",
	    "nama saya tidak mau disebut",
	    "pak RT minta uang",
	    "anak saya di SD 2 dimintai uang seragam",
	    "KTP saya ditahan di kantor desa",
	    "di Jl. Dhoho depan pasar",
	    "antrian no 12 di loket 3",
	    "Kulo badhe lapor, pak RT narik duit 50rb",
	    "PUNGLI P3K DI SEKOLAH",
	    "hp Samsung A52s hilang",
	    "tahun 90-an. Budi datang",
	    "Pak Lurah di caf\xc3\xa9 \xe2\x80\x93 30 menit",
	    "1234567",
	    "a1234567b",
	    "+62812",
	    "a +b",
	    "satu dua tiga empat",
	    "\xf0\x9f\x99\x8f terima kasih",
	    "Jl. Raya Kediri Km 5 macet",
	    "pos jalan Brawijaya tgl 14-02-2026 jam 21.30",
	    "Salam Sejahtera untuk kita semua",
	    "Pegawai bernama Joko minta uang",
	    "Saya Budi. Saya mau lapor",
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(texts); i++) {
		out = mask_whole(texts[i]);
		if (strcmp(out, texts[i]) != 0)
			print_message("case %zu: \"%s\"\n", i, texts[i]);
		assert_string_equal(out, texts[i]);
		free(out);
	}
}

/* Blanks and line breaks: one space each run, trimmed; NULL no text. */
static void
test_blanks(void **state)
{
	static const struct mask_case cases[] = {
	    {"  satu\n\ndua \t tiga\r\nempat  \n", "satu dua tiga empat"},
	    {"a\nb", "a b"},
	    {" \n\t\r ", ""},
	    {"", ""},
	    {"a\xc2\xa0\xe2\x80\x83"
	     "b",
		"a b"},
	};
	char out[16];

	(void)state;
	assert_cases(cases, TESTLIB_COUNT(cases));
	memset(out, 'X', sizeof out);
	mask_text(NULL, out, sizeof out - 1);
	assert_string_equal(out, "");
}

/* --- room ---------------------------------------------------------------- */

/*
 * The worst case of each mask: the shortest text it masks, as often as
 * fits in 65,536 bytes, blanks between.  mask_room() must leave it whole.
 */
static void
test_room_worst(void **state)
{
	static const struct mask_case units[] = {
	    {"RT1", "RT " ADDRESS},
	    {"rt1/rw1", "rt/rw " ADDRESS},
	    {"B 1 A", PLATE},
	    {"B12AB", PLATE},
	    {"a@b.co", EMAIL},
	    {"an.A", "an." NAME},
	    {"sy Ab,", "sy " NAME ","},
	    {"gg no1", "gg " ADDRESS},
	    {"jl A 1", "jl A " ADDRESS},
	    {"plat B1", "plat " PLATE},
	    {"nol dua nol dua nol dua!", N "!"},
	    {"dua dua 1234 12!", N "!"},
	    {"12345678x", N "x"},
	    {"RT1+12345678", "RT " ADDRESS N},
	};
	size_t i, count, max;
	char *text, *out, *unit, *want;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(units); i++) {
		count = 65536 / (strlen(units[i].text) + 1);
		if (asprintf(&unit, "%s ", units[i].text) < 0 ||
		    asprintf(&want, "%s ", units[i].want) < 0)
			fail();
		text = testlib_repeat("", unit, count, units[i].text);
		out = mask_whole(text);
		/* "RT1" is the worst: it leaves the room of "…" alone */
		if (i == 0)
			assert_int_equal(
			    mask_room(strlen(text)) - strlen(out), 3);
		free(text);
		text = testlib_repeat("", want, count, units[i].want);
		if (strcmp(out, text) != 0)
			fail_msg(
			    "unit %zu (%s): cut or changed", i, units[i].text);
		free(text);
		free(out);
		free(unit);
		free(want);
	}

	/* the bound is not wasteful: at most 6 bytes for each */
	for (max = 0; max < 100000; max += 997)
		assert_true(mask_room(max) <= 6 * max + 32);
	/* and one mask needs no blank after it */
	out = mask_whole("RT1");
	assert_string_equal(out, "RT " ADDRESS);
	free(out);
}

/*
 * Texts of random pieces, each a mask's shortest text or a joiner: with
 * mask_room() the output is what a larger room gives, never cut.
 */
static void
test_room_mixed(void **state)
{
	static const char *const pieces[] = {"RT1", "rw2", "B 1 A", "B12AB",
	    "a@b.co", "an.A", "sy Ab", "gg no1", "jl A 1", "nopol B1", "nol",
	    "dua", "12345678", "1", "+", "(", ")", " ", ",", "/", ".", "-", "A",
	    "\xc3\xa9", "\xef\xbc\x91", "\xe2\x80\x8b", "\n", "no", "RW",
	    "Budi", "nama saya", "@", "co"};
	unsigned seed = 12345;
	size_t round, i, len, max;
	char text[2048], *out, *more;

	(void)state;
	for (round = 0; round < 3000; round++) {
		len = 0;
		for (i = 0; i < 200; i++) {
			const char *p;

			seed = seed * 1103515245 + 12345;
			p = pieces[(seed >> 16) % TESTLIB_COUNT(pieces)];
			if (len + strlen(p) >= sizeof text)
				break;
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		text[len] = '\0';
		out = mask_whole(text);
		max = 2 * mask_room(len) + 64;
		assert_non_null(more = malloc(max + 1));
		mask_text(text, more, max);
		if (strcmp(out, more) != 0)
			fail_msg("cut: \"%s\" gave \"%s\"", text, out);
		free(more);
		free(out);
	}
}

/* --- long texts ---------------------------------------------------------- */

/*
 * The report page shows a text of 65,536 characters whole, masked, even
 * when every 9 bytes are a number to mask, as it did when the masking was
 * queue/alerts.c's.
 */
static void
test_whole(void **state)
{
	char *text, *out, *want;

	(void)state;
	text = testlib_repeat("", "12345678x", 65536 / 9, "");
	out = mask_whole(text);
	want = testlib_repeat("", N "x", 65536 / 9, "");
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(text);

	text = testlib_repeat(
	    "", "Pungli \xf0\x9f\x98\xa1 Rp 50.000, ", 2520, "selesai");
	out = mask_whole(text);
	assert_string_equal(out, text);
	free(out);
	free(text);

	/* one number run as long as the longest text: masked, once */
	text = testlib_repeat("+", "1 2-3.", 65536 / 6, "");
	out = mask_whole(text);
	assert_string_equal(out, N ".");
	free(out);
	free(text);
	text = testlib_repeat("", "\xf0\x9f\x99\x8f", 65536, "");
	out = mask_whole(text);
	assert_string_equal(out, text);
	free(out);
	free(text);
}

/*
 * 256 KiB of each pattern that could make a rule look back or ahead again
 * and again: masked in well under a second (a quadratic scan takes
 * minutes).
 */
static void
test_linear(void **state)
{
	static const char *const units[] = {"1 ", "a.", "a@", "a-", "jl ",
	    "Jl. Mawar ", "nama saya ", "saya Aaaa ", "sy ", "RT ", "nol ",
	    "nol 1 ", "1.000", "12345678 ", "0812 / ", "B 1 ", "a.n. ", "an.",
	    "\xc3\xa9", "gg no ", "1-", "(1) ", "Rp 1 ", "12.03."};
	const size_t size = 256 * 1024;
	size_t i;
	clock_t start;
	char *text, *out;

	(void)state;
	for (i = 0; i < TESTLIB_COUNT(units); i++) {
		text =
		    testlib_repeat("", units[i], size / strlen(units[i]), "");
		start = clock();
		out = mask_whole(text);
		if (clock() - start > CLOCKS_PER_SEC)
			fail_msg("\"%s\" repeated: %.2f s", units[i],
			    (double)(clock() - start) / CLOCKS_PER_SEC);
		free(out);
		free(text);
	}

	/* one word of 256 KiB after every trigger */
	text = testlib_repeat("nama saya jl saya a.n. ", "A", size, " x");
	start = clock();
	out = mask_whole(text);
	assert_true(clock() - start < CLOCKS_PER_SEC);
	free(out);
	free(text);
}

/* --- cuts ---------------------------------------------------------------- */

/* Cut short: at a character boundary with "…", a mask whole or left out. */
static void
test_cut(void **state)
{
	char out[64];

	(void)state;
	mask_text("hp 081234567890", out, 10);
	assert_string_equal(out, "hp" ELLIPSIS);
	mask_text("hp 081234567890", out, 3 + 18 + 3);
	assert_string_equal(out, "hp " N);
	mask_text("hp 081234567890 ya", out, 3 + 18 + 3);
	assert_string_equal(out, "hp " N ELLIPSIS);
	mask_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", out, 6);
	assert_string_equal(out, "\xc3\xa9" ELLIPSIS);
	mask_text("abc", out, 3);
	assert_string_equal(out, ELLIPSIS);
	mask_text("abc", out, 0);
	assert_string_equal(out, "");
	mask_text("abc", out, 6);
	assert_string_equal(out, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_masked),
	    cmocka_unit_test(test_unchanged),
	    cmocka_unit_test(test_blanks),
	    cmocka_unit_test(test_room_worst),
	    cmocka_unit_test(test_room_mixed),
	    cmocka_unit_test(test_whole),
	    cmocka_unit_test(test_linear),
	    cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
