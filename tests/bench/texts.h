/*
 * texts: the citizens' reports the benchmarks send and route, realistic
 * Indonesian SMS and WhatsApp texts of about 150 characters.
 */
#ifndef HOTLINE_BENCH_TEXTS_H
#define HOTLINE_BENCH_TEXTS_H

static const char *const bench_texts[] = {
    "PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk "
    "surat pengantar KTP. Mohon ditindak, petugasnya bilang biar cepat "
    "selesai hari ini.",
    "Di Dispendukcapil ada calo yang minta 200 ribu supaya akta kelahiran "
    "anak saya jadi seminggu. Kalau tidak bayar katanya harus antre "
    "sampai dua bulan.",
    "Oknum petugas parkir di depan RSUD Gambiran minta 10rb per motor "
    "tanpa karcis resmi. Tolong dicek, tiap hari begitu dan keluarga "
    "pasien keberatan.",
    "Sekolah SD di kecamatan Mojoroto memungut uang seragam dan buku 750 "
    "ribu per siswa padahal katanya gratis. Orang tua murid tidak berani "
    "protes.",
    "Pengurusan izin usaha di DPMPTSP dipersulit, petugas minta uang "
    "pelicin 1 juta supaya berkas diproses. Sudah tiga kali bolak-balik "
    "tanpa kejelasan \xf0\x9f\x99\x8f",
    "Lampu jalan di Jl. Hayam Wuruk dekat kelurahan Dandangan mati sudah "
    "tiga minggu, malam gelap sekali dan rawan kecelakaan. Mohon Dinas "
    "Perhubungan cek.",
};

#define BENCH_NTEXTS (sizeof bench_texts / sizeof bench_texts[0])

#endif
