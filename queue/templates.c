/*
 * templates: default texts and the {placeholder} renderer.  The defaults
 * tell the citizen the plain truth (confidential, not anonymous), what
 * happens next, and how to follow up with CEK and TAMBAH.
 */
#include <stdlib.h>
#include <string.h>

#include "queue/templates.h"

static const char *const defaults[TEMPLATE_COUNT] = {
    [TEMPLATE_ACK] =
	"Terima kasih, laporan Anda diterima dengan nomor {code} dan "
	"diteruskan ke {opd}.\n"
	"NOMOR BUKTI (rahasia, simpan, jangan dibagikan): {receipt}\n"
	"Cek perkembangan: kirim CEK {receipt}\n"
	"Tambah keterangan: kirim TAMBAH {receipt} isi keterangan\n"
	"Identitas Anda dirahasiakan: hanya Wali Kota yang dapat "
	"membukanya, dan setiap pembukaan dicatat. Saluran ini rahasia, "
	"bukan anonim: operator seluler/WhatsApp tetap melihat nomor "
	"pengirim. Hapus percakapan ini bila HP Anda dipakai bersama.",
    [TEMPLATE_ASK_PLACE] =
	"Di kelurahan atau kecamatan mana kejadiannya? Balas dengan nama "
	"kelurahannya, misalnya: Kel. Bandar Lor.",
    [TEMPLATE_PLACE_ADDED] =
	"Terima kasih, keterangan lokasi sudah ditambahkan ke laporan "
	"{code}.",
    [TEMPLATE_STATUS] = "Laporan {code} ({category}) ditangani {opd}.\n"
			"Status: {status}. Pembaruan terakhir: {updated}.",
    [TEMPLATE_UNKNOWN_RECEIPT] =
	"Nomor bukti tidak dikenali. Periksa kembali 16 angka nomor bukti "
	"Anda, contoh: CEK 1234-5678-9012-3456",
    [TEMPLATE_ADDED] = "Keterangan tambahan sudah disimpan pada laporan "
		       "{code}. Terima kasih.",
    [TEMPLATE_TOO_MANY_TRIES] =
	"Terlalu banyak percobaan nomor bukti dari nomor ini. Silakan "
	"coba lagi satu jam lagi.",
    [TEMPLATE_EMPTY] = "Pesan Anda belum berisi laporan. Tuliskan apa yang "
		       "terjadi, di mana (kelurahan), dan kapan.",
    [TEMPLATE_RESOLVED] =
	"Laporan {code} ({category}) telah diselesaikan oleh {opd} pada "
	"{updated}.\nTindak lanjut: {outcome}\nBila masalahnya belum "
	"selesai, kirim TAMBAH diikuti nomor bukti dan keterangan Anda.",
    [TEMPLATE_STAFF_ONLY] =
	"Perintah ini hanya untuk petugas OPD yang terdaftar. Untuk "
	"menanyakan laporan Anda, kirim CEK diikuti nomor bukti Anda.",
    [TEMPLATE_WELCOME] =
	"Selamat datang di Hotline Pengaduan Pungli dan Korupsi {city}. "
	"Silakan ceritakan dalam satu pesan: apa yang terjadi, di mana "
	"(kelurahan/kantor), kapan, siapa yang meminta, dan berapa yang "
	"diminta. Foto atau dokumen bukti juga bisa dikirim di sini. "
	"Identitas Anda dirahasiakan.",
    [TEMPLATE_THANKS] = "Sama-sama. Laporan {code} sudah kami terima dan "
			"sedang ditangani.",
    [TEMPLATE_ANSWER_OFFICIAL] =
	"Benar, ini nomor resmi Hotline Pengaduan Pungli dan Korupsi "
	"{city}. Petugas kami tidak pernah meminta uang, pulsa, atau data "
	"pribadi seperti NIK dan PIN.",
    [TEMPLATE_ANSWER_HOW] =
	"Cukup kirim pesan di sini: apa yang terjadi, di mana (kelurahan/"
	"kantor), kapan, siapa yang meminta, dan berapa. Anda akan menerima "
	"kode laporan dan NOMOR BUKTI untuk mengecek perkembangannya.",
    [TEMPLATE_ANSWER_SAFE] =
	"Identitas Anda dirahasiakan: nomor Anda disegel begitu pesan "
	"diterima, tidak terlihat oleh OPD yang dilaporkan, dan hanya Wali "
	"Kota yang dapat membukanya dengan alasan yang dicatat. Saluran ini "
	"rahasia, bukan anonim: operator seluler/WhatsApp tetap melihat "
	"nomor pengirim. Jangan menulis nama atau NIK Anda di laporan.",
    [TEMPLATE_ANSWER_DURATION] =
	"OPD yang bersangkutan wajib menanggapi laporan dalam {acknowledge} "
	"dan menyelesaikannya dalam {resolve}. Perkembangannya bisa dicek "
	"dengan CEK diikuti NOMOR BUKTI Anda.",
    [TEMPLATE_ANSWER_PHOTO] =
	"Bisa. Kirim foto, video, rekaman suara, atau dokumen bukti di "
	"percakapan ini, sebaiknya langsung setelah laporan Anda.",
    [TEMPLATE_ANSWER_OTHER] =
	"Saluran ini khusus untuk laporan pungli dan korupsi di lingkungan "
	"{city}. Untuk informasi layanan lainnya, silakan hubungi "
	"{contact}.",
    [TEMPLATE_NO_NUMBER] =
	"Mohon jangan mengirim NIK atau nomor telepon: kami tidak "
	"memerlukannya, dan nomor Anda sudah kami rahasiakan. Ceritakan "
	"saja apa yang terjadi, di mana, dan kapan.",
    [TEMPLATE_CODE_NOT_RECEIPT] =
	"{code} adalah kode laporan. Untuk mengecek perkembangan, kirim CEK "
	"diikuti NOMOR BUKTI 16 angka dari balasan pertama kami, contoh: "
	"CEK 1234-5678-9012-3456",
    [TEMPLATE_MERGED] = "Keterangan ditambahkan ke laporan {code}.",
    [TEMPLATE_DUPLICATE] = "Pesan yang sama sudah kami terima dalam "
			   "laporan {code}. Tidak perlu dikirim lagi.",
    [TEMPLATE_ASK_PLACE_AGAIN] =
	"Mohon sebutkan nama kelurahannya, misalnya: Kel. Bandar Lor. Bila "
	"tidak tahu atau tidak ingin menyebutkan, balas TIDAK TAHU.",
    [TEMPLATE_NO_PLACE] = "Baik, laporan {code} kami proses tanpa "
			  "keterangan lokasi.",
    [TEMPLATE_NEXT_REPORT] =
	"Silakan tuliskan laporan berikutnya dalam satu pesan: apa yang "
	"terjadi, di mana, dan kapan.",
    [TEMPLATE_ALERT] = "[Hotline {city}] Laporan baru {code} untuk {opd}.\n"
		       "Jenis: {category}. Lokasi: {place}.\n"
		       "Balas TERIMA {code} sebelum {due}.\n"
		       "Rincian: {link}{excerpt}{evidence}",
    [TEMPLATE_REMINDER] =
	"[Hotline {city}] Pengingat: laporan {code} ({category}, {place}) "
	"harus {what} sebelum {due}.\nRincian: {link}",
    [TEMPLATE_ESCALATION] =
	"[Hotline {city}] Eskalasi: laporan {code} untuk {opd} ({category}, "
	"{place}) belum {what} sampai batas waktu {due}.\nRincian: {link}",
    [TEMPLATE_DIGEST] =
	"[Hotline {city}] Ringkasan {date}: {new} laporan baru, {resolved} "
	"selesai, {overdue} melewati batas waktu, {open} masih terbuka. "
	"Sidik jari kunci wali kota: {fingerprint}. Log audit: {audit_rows} "
	"baris, kepala {audit_head}.",
    [TEMPLATE_HEAD_ACKNOWLEDGED] =
	"Laporan {code} diterima. Batas penyelesaian: {due}. Kirim PROSES "
	"{code} catatan untuk mencatat tindakan, SELESAI {code} catatan "
	"bila selesai.",
    [TEMPLATE_HEAD_PROGRESS] = "Tindakan pada laporan {code} dicatat.",
    [TEMPLATE_HEAD_RESOLVED] =
	"Laporan {code} dinyatakan selesai; catatan Anda dapat dibaca "
	"pelapor. Terima kasih.",
    [TEMPLATE_HEAD_REJECTED] =
	"Laporan {code} dikembalikan ke tim triase dengan alasan Anda.",
    [TEMPLATE_HEAD_REFUSED] =
	"Laporan {code} tidak dapat diubah: {reason} (status: {status}).",
    [TEMPLATE_HEAD_UNKNOWN] =
	"Kode {code} tidak ditemukan di antara laporan OPD Anda. Periksa "
	"kembali kode pada pemberitahuan.",
    [TEMPLATE_HEAD_NEEDS_NOTE] =
	"Sertakan kode laporan dan catatan, contoh: {example}",
    [TEMPLATE_HEAD_USAGE] =
	"Perintah petugas: TERIMA kode | PROSES kode catatan | SELESAI "
	"kode catatan | TOLAK kode alasan | TERUSKAN kode OPD (tim "
	"triase). Contoh: {example}",
    [TEMPLATE_HEAD_FORWARDED] = "Laporan {code} diteruskan ke {opd}.",
    [TEMPLATE_EVIDENCE_REFUSED] =
	"Berkas yang Anda kirim untuk laporan {code} tidak disimpan: {reason}. "
	"Foto (JPEG, PNG), video (MP4), rekaman suara, dan dokumen PDF "
	"sampai {max} diterima.",
    [TEMPLATE_HEAD_TARGET] =
	"Sebutkan kode OPD tujuan: {opds}. Contoh: {example}",
};

const char *
templates_text(const struct config *cfg, enum template_id id)
{
	return cfg->templates[id] != NULL ? cfg->templates[id] : defaults[id];
}

static const char *
lookup(
    const struct template_var *vars, size_t nvars, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == len &&
		    memcmp(vars[i].name, name, len) == 0)
			return vars[i].value != NULL ? vars[i].value : "-";
	return NULL;
}

char *
templates_render(const struct config *cfg, enum template_id id,
    const struct template_var *vars, size_t nvars)
{
	const char *t = templates_text(cfg, id), *p, *end, *v;
	size_t cap = 0, len = 0, n, i;
	char *out;

	/* Size: the template plus every value once per placeholder. */
	cap = strlen(t) + 1;
	for (p = t; (p = strchr(p, '{')) != NULL; p++)
		for (i = 0; i < nvars; i++)
			cap +=
			    vars[i].value != NULL ? strlen(vars[i].value) : 1;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (p = t; *p != '\0';) {
		if (*p == '{' && (end = strchr(p + 1, '}')) != NULL &&
		    (v = lookup(vars, nvars, p + 1, (size_t)(end - p - 1))) !=
			NULL) {
			n = strlen(v);
			memcpy(out + len, v, n);
			len += n;
			p = end + 1;
		} else
			out[len++] = *p++;
	}
	out[len] = '\0';
	return out;
}
