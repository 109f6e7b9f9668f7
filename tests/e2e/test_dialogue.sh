#!/bin/bash
# The conversation layer end to end: citizens text the way they do
# (greetings, slang, Javanese, one story over several messages, all-caps
# SMS) and only content opens a report.  With a merge window of seconds:
# an opener is welcomed once; a story told in 4 messages is one report,
# its later messages notes that route it again, and its OPD's head gets
# one alert, after the window, naming the final OPD (also when the OPD is
# only named in a later message); a place sent before the acknowledgement
# arrived is taken, and the acknowledgement that follows does not ask for
# it again; thanks after a receipt get one line, then nothing; questions
# get their fixed answers; spam gets nothing (only the metric counts it);
# a NIK is refused and never stored; a pasted receipt is a CEK and a
# report code is explained; the place question: asked again once,
# declined, or answered by a bare kelurahan name; a story after the
# window, or after "ada lagi", is a new report; the same text twice is
# "already received"; an SMS conversation gets its answers inline.  Every
# reply's kind is checked in order.  Afterwards no number, NIK, receipt or
# provider id is in the database, its WAL, the log or `hotline outbox`.
. "$(dirname "$0")/lib.sh"
start_fake_provider

MERGE_WINDOW=3s MERGE_MAX=10s make_config
start_server

EXTRA_SECRETS=(3571015203900002 wamid.SIM wamid.FAKE)
citizen() { # citizen LOCAL: a new citizen's number; its digit forms are secrets
	EXTRA_SECRETS+=("62${1#0}" "${1#0}")
}
say() { # say FROM TEXT [CHANNEL]: a citizen writes; prints the answer
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel "${3:-whatsapp}" --from "$1" "$2" 2>/dev/null
}
sms() { say "$1" "$2" twilio_sms; } # Twilio SMS: the reply is in the answer
sent_to() { wa_sent_to "62${1#0}"; } # sent_to LOCAL: what the fake sent it
wait_sent() { wa_wait_sent "62${1#0}" "$2"; } # wait_sent LOCAL COUNT
nth_sent() { sent_to "$1" | sed -n "${2}p"; }
sql() { sqlite3 "$WORK/hotline.db" "$1"; }
mark() { sql "select coalesce(max(id), 0) from outbox"; }
replies_since() { # replies_since MARK: the kinds of the citizens' replies since
	settle
	sql "select coalesce(group_concat(kind, ' '), '') from (select kind from outbox
		where id > $1 and kind not in ('alert', 'reminder', 'escalation', 'digest')
		order by id)"
}
field() { sql "select $2 from reports where code = '$1'"; }
routing() { field "$1" "coalesce(opd, '') || '|' || coalesce(kecamatan, '') || '|' || coalesce(kelurahan, '')"; }
notes_of() { # notes_of CODE: the kinds of its notes, in order
	sql "select coalesce(group_concat(kind, ' '), '') from (select n.kind from report_notes n
		join reports r on r.id = n.report_id where r.code = '$1' order by n.id)"
}
alerts_of() { # alerts_of CODE: destinations of its alerts, in order
	sql "select coalesce(group_concat(destination, ' '), '') from (select o.destination from outbox o
		join reports r on r.id = o.report_id where r.code = '$1' and o.kind = 'alert' order by o.id)"
}
wait_alert() { # wait_alert CODE: until its alert is queued (10 s at most)
	local i
	for i in $(seq 1 200); do
		[ -n "$(alerts_of "$1")" ] && return 0
		sleep 0.05
	done
	return 1
}
code_in() { grep -o 'KDR-[2-9A-Z]\{6\}' | head -1; }
receipt_in() { grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' | head -1; }
keep_receipt() { EXTRA_SECRETS+=("$1" "${1//-/}"); }
asks_place() { grep -c 'kelurahan atau kecamatan mana\|sebutkan nama kelurahannya'; }
spam_count() {
	curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^hotline_messages_total{intent="spam"} //p'
}

# 1. A greeting, "mau lapor", then the story in three messages, as they
# come to mind: welcomed once, one report, the details its notes.
A=081234567301
citizen "$A"
m=$(mark) n=$(db_count reports)
say "$A" "Assalamualaikum pak" >/dev/null
check "a greeting is welcomed" wait_sent "$A" 1
check "with the instructions" grep -q "Selamat datang di Hotline" <<<"$(nth_sent "$A" 1)"
say "$A" "mau lapor" >/dev/null
say "$A" "anak saya di SD dimintai uang seragam 750rb" >/dev/null
check "the story is acknowledged" wait_sent "$A" 2
ack=$(nth_sent "$A" 2)
code1=$(code_in <<<"$ack")
keep_receipt "$(receipt_in <<<"$ack")"
check "with a code and a receipt" grep -q "nomor $code1 .*NOMOR BUKTI" <<<"$ack"
expect_eq "the acknowledgement asks where, once" 1 "$(asks_place <<<"$ack")"
say "$A" "di sd negeri banaran 2" >/dev/null
check "the school is taken as the place" wait_sent "$A" 3
check "naming the report" grep -q "lokasi sudah ditambahkan ke laporan $code1" <<<"$(nth_sent "$A" 3)"
say "$A" "kejadiannya senin kemarin" >/dev/null
expect_eq "no alert while the window is open" "" "$(alerts_of "$code1")"
check "the alert waits for the window's end" test "$(field "$code1" watch_at)" -gt "$(date +%s)"
expect_eq "replies: welcome, acknowledgement, place added, note merged" \
	"welcome ack place_added merged" "$(replies_since "$m")"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "routed to Dinas Pendidikan, kelurahan Banaran" \
	"pungli|dinas_pendidikan|pesantren|Banaran" "$(field "$code1" category)|$(routing "$code1")"
expect_eq "the two later messages are its notes" "addition addition" "$(notes_of "$code1")"

# 1b. A story whose OPD comes only in its second message, and whose place
# in its third: the alert, after the window, names the final OPD only.
A2=081234567302
citizen "$A2"
m=$(mark) n=$(db_count reports)
say "$A2" "Selamat siang pak, petugas minta uang 100rb biar cepat jadi" >/dev/null
wait_sent "$A2" 1
code1b=$(nth_sent "$A2" 1 | code_in)
keep_receipt "$(nth_sent "$A2" 1 | receipt_in)"
expect_eq "without an office it is in triage" "triage|inspektorat" "$(field "$code1b" "status || '|' || opd")"
say "$A2" "itu di loket dukcapil pas ngurus akta kelahiran anak saya" >/dev/null
wait_sent "$A2" 2
say "$A2" "kel. Bandar Lor" >/dev/null
wait_sent "$A2" 3
expect_eq "replies: acknowledgement, note merged, place added" \
	"ack merged place_added" "$(replies_since "$m")"
check "the merged note names the report" grep -q "Keterangan ditambahkan ke laporan $code1b" <<<"$(nth_sent "$A2" 2)"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "routed again: Dispendukcapil, Bandar Lor" "routed|dispendukcapil|mojoroto|Bandar Lor" \
	"$(field "$code1b" status)|$(routing "$code1b")"
expect_eq "its notes: an addition and the place" "addition place" "$(notes_of "$code1b")"

# 1c. The same in a burst, as people type: the place follows the story
# before the acknowledgement has arrived.  The place is taken, and an
# acknowledgement that comes after "place added" must not ask for it.
A3=081234567314
citizen "$A3"
m=$(mark) n=$(db_count reports)
say "$A3" "pak, di TK anak saya wajib beli seragam 500rb" >/dev/null
say "$A3" "kel. Burengan" >/dev/null
wait_sent "$A3" 2
code1c=$(sent_to "$A3" | grep NOMOR | code_in)
keep_receipt "$(sent_to "$A3" | grep NOMOR | receipt_in)"
expect_eq "one report, in Burengan" "$((n + 1))|dinas_pendidikan|pesantren|Burengan" \
	"$(db_count reports)|$(routing "$code1c")"
expect_eq "replies: an acknowledgement and place added" "ack place_added" \
	"$(replies_since "$m" | tr ' ' '\n' | sort | xargs)"
expect_eq "nothing after the place was taken asks for it" 0 \
	"$(sent_to "$A3" | sed -n '/lokasi sudah ditambahkan/,$p' | asks_place)"

check "story 1 is alerted once its window closed" wait_alert "$code1"
check "story 1b is alerted once its window closed" wait_alert "$code1b"
sleep 1
settle
expect_eq "one alert for story 1, to the Dinas Pendidikan head" "+6281100000104" "$(alerts_of "$code1")"
check "naming the report, its OPD and kelurahan" bash -c \
	"grep -F '\"api\":\"whatsapp\"' '$WORK/fake.log' | grep -F 6281100000104 | grep -q 'Laporan baru $code1 untuk Dinas Pendidikan.*Banaran'"
expect_eq "one alert for story 1b, to the Dispendukcapil head (none to triage)" "+6281100000101" "$(alerts_of "$code1b")"

# 2. Thanks after the receipt: one short line, then nothing.
B=081234567303
citizen "$B"
m=$(mark) n=$(db_count reports)
say "$B" "pak, parkir di depan Pasar Setono Betek ditarik 5rb padahal sdh bayar parkir berlangganan, kel. Setono Pande" >/dev/null
wait_sent "$B" 1
code2=$(nth_sent "$B" 1 | code_in)
keep_receipt "$(nth_sent "$B" 1 | receipt_in)"
say "$B" "terima kasih pak" >/dev/null
check "thanks are answered" wait_sent "$B" 2
check "with the report's code" grep -q "Sama-sama. Laporan $code2" <<<"$(nth_sent "$B" 2)"
say "$B" "🙏" >/dev/null
expect_eq "replies: acknowledgement, thanks (the emoji gets nothing)" "ack thanks" "$(replies_since "$m")"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "no place asked of a report that has one" 0 "$(sent_to "$B" | asks_place)"
expect_eq "no notes" "" "$(notes_of "$code2")"

# 3. Questions about the hotline: fixed answers, no report.
C=081234567304
citizen "$C"
m=$(mark) n=$(db_count reports)
for q in "ini nomor resmi pemkot?" "identitas saya aman?" "berapa lama ditindaklanjuti?" \
	"bisa kirim foto?" "syarat bikin KTP apa saja?"; do
	say "$C" "$q" >/dev/null
done
expect_eq "five answers, each to its question" \
	"answer_official answer_safe answer_duration answer_photo answer_other" "$(replies_since "$m")"
check "all delivered" wait_sent "$C" 5
check "the duration answer gives the deadlines" grep -q "dalam 3 hari kerja dan menyelesaikannya dalam 10 hari kerja" <<<"$(nth_sent "$C" 3)"
expect_eq "no report" "$n" "$(db_count reports)"

# 4. Spam gets nothing; a NIK is refused and never kept.
D=081234567305
citizen "$D"
m=$(mark) n=$(db_count reports) spam=$(spam_count)
say "$D" "SLOT GACOR maxwin deposit 10rb bonus 100% klik bit.ly/gacor88" >/dev/null
expect_eq "spam: no reply" "" "$(replies_since "$m")"
expect_eq "spam: counted in the metric" $((spam + 1)) "$(spam_count)"
say "$D" "NIK saya 3571015203900002" >/dev/null
expect_eq "a NIK is answered with the warning" "no_number" "$(replies_since "$m")"
check "which is delivered" wait_sent "$D" 1
check "saying numbers are not needed" grep -q "Mohon jangan mengirim NIK" <<<"$(nth_sent "$D" 1)"
expect_eq "no report" "$n" "$(db_count reports)"

# 5. The receipt pasted alone is a CEK; the report code is explained; a
# head's command from a citizen changes nothing.
E=081234567306
citizen "$E"
m=$(mark) n=$(db_count reports)
say "$E" "Pak, kemarin bayar PBB di kantor kelurahan Ngronggo ditarik 20rb tanpa kuitansi" >/dev/null
wait_sent "$E" 1
code5=$(nth_sent "$E" 1 | code_in)
receipt5=$(nth_sent "$E" 1 | receipt_in)
keep_receipt "$receipt5"
settle
say "$E" "$receipt5" >/dev/null
check "the pasted receipt is answered" wait_sent "$E" 2
check "with the report's status" grep -q "Laporan $code5 .*Status: diteruskan ke OPD" <<<"$(nth_sent "$E" 2)"
say "$E" "CEK $code5" >/dev/null
check "CEK with the code is answered" wait_sent "$E" 3
check "explaining code and receipt" grep -q "$code5 adalah kode laporan" <<<"$(nth_sent "$E" 3)"
say "$E" "TERIMA $code5" >/dev/null
wait_sent "$E" 4
expect_eq "replies: acknowledgement, status, code explained, staff only" \
	"ack status code_not_receipt staff_only" "$(replies_since "$m")"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "still routed, untouched" "routed|kecamatan_kota|kota|Ngronggo|" \
	"$(field "$code5" status)|$(routing "$code5")|$(notes_of "$code5")"
expect_eq "the receipt is in no report or note" 0 \
	"$(sql "select (select count(*) from reports where text like '%${receipt5:0:4}%${receipt5:15:4}%')
		+ (select count(*) from report_notes where text like '%${receipt5:0:4}%${receipt5:15:4}%')")"

# 6a. No place: "ok" gets the question again, once; then no more.
F=081234567307
citizen "$F"
m=$(mark)
say "$F" "mas, tadi di kelurahan dimintai uang 100rb buat ngurus surat pengantar" >/dev/null
wait_sent "$F" 1
code6a=$(nth_sent "$F" 1 | code_in)
keep_receipt "$(nth_sent "$F" 1 | receipt_in)"
check "the acknowledgement asks where" test "$(nth_sent "$F" 1 | asks_place)" = 1
say "$F" "ok" >/dev/null
check "ok gets the question again" wait_sent "$F" 2
say "$F" "hmm" >/dev/null
say "$F" "suwun pak" >/dev/null
wait_sent "$F" 3
expect_eq "replies: acknowledgement, asked again, thanks" "ack ask_place_again thanks" "$(replies_since "$m")"
expect_eq "the place was asked twice, not three times" 2 "$(sent_to "$F" | asks_place)"
expect_eq "no place, no notes" "triage|inspektorat|||" "$(field "$code6a" status)|$(routing "$code6a")|$(notes_of "$code6a")"

# 6b. "gak tau pak": the report goes on without a place, never asked again.
G=081234567308
citizen "$G"
m=$(mark)
say "$G" "kulo badhe lapor, pak RT narik duit 50rb kagem surat domisili" >/dev/null
wait_sent "$G" 1
code6b=$(nth_sent "$G" 1 | code_in)
keep_receipt "$(nth_sent "$G" 1 | receipt_in)"
say "$G" "gak tau pak" >/dev/null
check "the decline is answered" wait_sent "$G" 2
check "the report goes on without a place" grep -q "Baik, laporan $code6b kami proses tanpa keterangan lokasi" <<<"$(nth_sent "$G" 2)"
say "$G" "ok" >/dev/null
wait_sent "$G" 3
expect_eq "replies: acknowledgement, no place, thanks" "ack no_place thanks" "$(replies_since "$m")"
expect_eq "the place was asked once" 1 "$(sent_to "$G" | asks_place)"
expect_eq "no notes" "" "$(notes_of "$code6b")"

# 6c. A bare kelurahan name that is also a word answers the question.
H=081234567309
citizen "$H"
m=$(mark) n=$(db_count reports)
say "$H" "ada pungutan 25rb tiap bulan buat iuran sampah, katanya wajib" >/dev/null
wait_sent "$H" 1
code6c=$(nth_sent "$H" 1 | code_in)
keep_receipt "$(nth_sent "$H" 1 | receipt_in)"
say "$H" "Kemasan" >/dev/null
check "the place is confirmed" wait_sent "$H" 2
expect_eq "replies: acknowledgement, place added" "ack place_added" "$(replies_since "$m")"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "in kelurahan Kemasan, still DLHKP's" "dlhkp|kota|Kemasan" "$(routing "$code6c")"
expect_eq "its note is the place" "place" "$(notes_of "$code6c")"

# 6d. The place, sent after the window closed and the OPD was alerted:
# taken, and the report keeps its OPD (only the place it lacked is set).
L=081234567320
citizen "$L"
m=$(mark)
say "$L" "petugas minta uang 100rb untuk mengurus akta kelahiran anak" >/dev/null
wait_sent "$L" 1
code6d=$(nth_sent "$L" 1 | code_in)
keep_receipt "$(nth_sent "$L" 1 | receipt_in)"
check "its OPD is alerted after the window" wait_alert "$code6d"
say "$L" "kel. bandar lor" >/dev/null
check "the late place is confirmed" wait_sent "$L" 2
expect_eq "replies: acknowledgement, place added" "ack place_added" "$(replies_since "$m")"
expect_eq "still Dispendukcapil's, now in Bandar Lor" "dispendukcapil|mojoroto|Bandar Lor" "$(routing "$code6d")"

# 7a. A second story after the window closed is a report of its own.
P=081234567310
citizen "$P"
m=$(mark) n=$(db_count reports)
filed7a=$(date +%s)
say "$P" "Puskesmas di kelurahan Bangsal minta 20rb buat surat keterangan sehat, padahal gratis" >/dev/null
wait_sent "$P" 1
code7a=$(nth_sent "$P" 1 | code_in)
keep_receipt "$(nth_sent "$P" 1 | receipt_in)"
# 8 (first half). The same text twice, meanwhile, from another number.
R=081234567312
citizen "$R"
story8="petugas dishub di Terminal Tamanan minta 100rb buat uji KIR biar cepat"
say "$R" "$story8" >/dev/null
wait_sent "$R" 1
code8=$(nth_sent "$R" 1 | code_in)
keep_receipt "$(nth_sent "$R" 1 | receipt_in)"
say "$R" "$story8" >/dev/null
check "the repeat is answered" wait_sent "$R" 2
check "as already received in that report" grep -q "Pesan yang sama sudah kami terima dalam laporan $code8" <<<"$(nth_sent "$R" 2)"
expect_eq "replies: two acknowledgements, one duplicate" "ack ack duplicate" "$(replies_since "$m")"
expect_eq "two reports" $((n + 2)) "$(db_count reports)"
while [ "$(date +%s)" -le $((filed7a + 3)) ]; do sleep 0.2; done # MERGE_WINDOW
m=$(mark) n=$(db_count reports)
say "$P" "terus pak RT di kelurahan Tosaren narik 50rb buat surat pengantar" >/dev/null
wait_sent "$P" 2
code7a2=$(nth_sent "$P" 2 | code_in)
keep_receipt "$(nth_sent "$P" 2 | receipt_in)"
say "$R" "Petugas Dishub di terminal tamanan minta 100rb buat uji KIR, biar cepat!" >/dev/null
wait_sent "$R" 3
expect_eq "after the window: a new report; the repeat, a duplicate" "ack duplicate" "$(replies_since "$m")"
expect_eq "one more report" $((n + 1)) "$(db_count reports)"
check "with a code of its own" test -n "$code7a2" -a "$code7a2" != "$code7a"
expect_eq "the first is unchanged" "dinkes|pesantren|Bangsal|" "$(routing "$code7a")|$(notes_of "$code7a")"
expect_eq "the second routed on its own words" "kecamatan_pesantren|pesantren|Tosaren" "$(routing "$code7a2")"
expect_eq "the repeated story has no notes" "" "$(notes_of "$code8")"

# 7b. "ada lagi pak": the next story is new even inside the window.
Q=081234567311
citizen "$Q"
m=$(mark) n=$(db_count reports)
say "$Q" "guru SMPN 7 jual buku LKS wajib beli 150rb per anak, kel. Mojoroto" >/dev/null
wait_sent "$Q" 1
code7b=$(nth_sent "$Q" 1 | code_in)
keep_receipt "$(nth_sent "$Q" 1 | receipt_in)"
say "$Q" "ada lagi pak" >/dev/null
check "ada lagi is answered" wait_sent "$Q" 2
say "$Q" "juru parkir di depan RSUD Gambiran minta 5rb padahal sudah parkir berlangganan" >/dev/null
wait_sent "$Q" 3
code7b2=$(nth_sent "$Q" 3 | code_in)
keep_receipt "$(nth_sent "$Q" 3 | receipt_in)"
expect_eq "replies: acknowledgement, next report, acknowledgement" "ack next_report ack" "$(replies_since "$m")"
expect_eq "two reports" $((n + 2)) "$(db_count reports)"
expect_eq "the first is unchanged" "dinas_pendidikan|mojoroto|Mojoroto|" "$(routing "$code7b")|$(notes_of "$code7b")"
expect_eq "the second is Dishub's" "dishub" "$(field "$code7b2" opd)"

# 9. By SMS, in capitals: the answers come inline in the TwiML.
S=081234567313
citizen "$S"
m=$(mark) n=$(db_count reports)
answer=$(sms "$S" "SLMT PAGI")
check "a greeting by SMS is welcomed inline" grep -q "<Message>Selamat datang di Hotline" <<<"$answer"
answer=$(sms "$S" "PUNGLI DI PASAR BANDAR RETRIBUSI DITARIK 2X")
code9=$(code_in <<<"$answer")
receipt9=$(receipt_in <<<"$answer")
keep_receipt "$receipt9"
check "the story is acknowledged inline, with its receipt" grep -q "<Message>Terima kasih, laporan Anda diterima dengan nomor $code9" <<<"$answer"
expect_eq "asking where" 1 "$(asks_place <<<"$answer")"
answer=$(sms "$S" "KEL BANDAR KIDUL")
check "the place is confirmed inline" grep -q "<Message>Terima kasih, keterangan lokasi sudah ditambahkan ke laporan $code9" <<<"$answer"
expect_eq "replies kept: welcome, place added" "welcome place_added" "$(replies_since "$m")"
expect_eq "one report" $((n + 1)) "$(db_count reports)"
expect_eq "Disperdagin's, at Bandar Kidul" "pungli|disperdagin|mojoroto|Bandar Kidul" "$(field "$code9" category)|$(routing "$code9")"
expect_eq "its note is the place" "place" "$(notes_of "$code9")"

# Nothing of the citizens stays.
settle
"$HOTLINE" outbox --config "$WORK/hotline.conf" >"$WORK/outbox.jsonl"
cp "$WORK/hotline.db-wal" "$WORK/live.wal" 2>/dev/null
check "the WAL was there to read" test -s "$WORK/live.wal"
stop_server TERM
check "no number, NIK, receipt or provider id in the database, WAL, log or outbox listing" \
	grep_secrets "$WORK/hotline.db" "$WORK/live.wal" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/outbox.jsonl"
check "nor a Twilio message id" bash -c "! grep -a -q -E 'SM[0-9a-f]{32}' '$WORK/hotline.db' '$WORK/live.wal' '$WORK/serve.log' '$WORK/outbox.jsonl'"

finish
