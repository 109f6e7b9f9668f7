#!/bin/bash
# OPD heads end to end, against the fake provider API, with deadlines of
# seconds: a routed report alerts its OPD's head through the WhatsApp
# template, and a 131047 failure falls back to SMS; the head's TERIMA,
# SELESAI and TOLAK change the report (and nobody else's do); the
# reporter's CEK shows the outcome; an unanswered report gets a reminder,
# then an escalation to the Inspektorat, across a restart; the mayor's
# digest carries counts only.  Afterwards no citizen's number is in the
# database, its WAL, the log or `hotline outbox`.
. "$(dirname "$0")/lib.sh"
start_fake_provider

make_config
# Alerts go as the approved template; a failed one is retried as SMS.
sed -i '/^\[channel whatsapp\]/a alert_template = laporan_opd_baru\nsms_fallback = sms' \
	"$WORK/hotline.conf"
cat >>"$WORK/hotline.conf" <<'CONF'

[sla]
acknowledge = 8s
resolve = 40s
remind_before = 4s
escalate_to = inspektorat

[digest]
to = +62 811 0000 0001
channel = whatsapp
at = 00:00
CONF
start_server

# The heads of demo.conf: Dispendukcapil's and the Inspektorat's.
HEAD=081100000101 HEAD_WA=6281100000101
INSPEKTORAT_WA=6281100000107
OTHER_HEAD=081100000105 # Dishub's
EXTRA_SECRETS=(6281234567101 81234567101 6281234567102 81234567102
	6281234567103 81234567103)

say() { # say FROM TEXT [CHANNEL]: prints the webhook's answer
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel "${3:-whatsapp}" --from "$1" "$2" 2>/dev/null
}
requests() { # requests API DIGITS: request bodies the fake got for a number
	grep -F "\"api\":\"$1\"" "$WORK/fake.log" | grep -F "$2" || true
}
wait_requests() { # wait_requests API DIGITS COUNT [SECONDS]
	local i
	for i in $(seq 1 $((${4:-10} * 20))); do
		[ "$(requests "$1" "$2" | wc -l)" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}
last_request() { requests "$1" "$2" | tail -1; }
field() { # field CODE COLUMN: a column of the report
	sqlite3 "$WORK/hotline.db" "select $2 from reports where code = '$1'"
}
report_json() { "$HOTLINE" reports --config "$WORK/hotline.conf" | grep -F "\"$1\""; }
code_in() { grep -o 'KDR-[2-9A-Z]\{6\}' | head -1; }

# 1. The digest is due from 00:00: sent at start, counts only.
check "the mayor's digest is sent at start" wait_requests whatsapp 6281100000001 1
digest=$(last_request whatsapp 6281100000001)
check "as the alert template" grep -q 'laporan_opd_baru' <<<"$digest"
check "with the counts" grep -q 'Ringkasan harian.*laporan baru.*selesai.*melewati batas waktu' <<<"$digest"

# 2. A report by SMS (Twilio answers inline): its head is alerted.
ack=$(say 081234567101 "petugas minta uang rokok buat tanda tangan KK di kelurahan Setono Gedong" twilio_sms)
code=$(code_in <<<"$ack")
receipt=$(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' <<<"$ack" | head -1)
EXTRA_SECRETS+=("$receipt" "${receipt//-/}")
check "the reporter gets a code and a receipt" test -n "$code" -a -n "$receipt"
expect_eq "it is routed to Dispendukcapil" "routed|dispendukcapil" "$(field "$code" "status || '|' || opd")"
check "the head is alerted on WhatsApp" wait_requests whatsapp "$HEAD_WA" 1
alert=$(last_request whatsapp "$HEAD_WA")
check "through the approved template" grep -q '\\"type\\":\\"template\\".*laporan_opd_baru' <<<"$alert"
check "naming the code, category, place, deadline and link" \
	grep -q "Laporan baru.*$code.*Pungutan liar.*Setono Gedong.*TERIMA $code sebelum.*WIB.*https://lapor.pemkot.example/reports/$code" <<<"$alert"
check "without the report's words" bash -c "! grep -q 'uang rokok' <<<'$alert'"
report_json "$code" >"$WORK/r.json"
check "hotline reports shows the deadlines" grep -q '"acknowledge_due":"20[0-9-]*T[0-9:]*Z","resolve_due":"20' "$WORK/r.json"
check "and that it is not overdue" grep -q '"overdue":false,"escalated":false' "$WORK/r.json"

# 3. A head outside the 24-hour window: 131047, then SMS.
control $'400 code=131047'
ack2=$(say 081234567102 "di kantor dispendukcapil ada calo KTP minta 300rb, kelurahan Bandar Lor" twilio_sms)
code2=$(code_in <<<"$ack2")
check "the second report's alert fails on WhatsApp" wait_requests whatsapp "$HEAD_WA" 2
check "and goes to the head by SMS instead" wait_requests android 6281100000101 1
check "with the same alert" grep -q "$code2" <<<"$(last_request android 6281100000101)"
expect_eq "the outbox shows both deliveries" "whatsapp|dead|sms|sent" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(channel || '|' || status, '|') from (select o.channel, o.status from outbox o join reports r on r.id = o.report_id where r.code = '$code2' and o.kind = 'alert' order by o.id)")"

# 4. Commands from people who are not the report's head change nothing.
before=$(sqlite3 "$WORK/hotline.db" "select status, acknowledged_at from reports; select count(*) from history")
reports_before=$(db_count reports)
answer=$(say 081234567103 "TERIMA $code" twilio_sms)
check "a citizen's TERIMA gets a neutral answer" grep -q "hanya untuk petugas OPD" <<<"$answer"
expect_eq "and opens no report" "$reports_before" "$(db_count reports)"
# Dishub's head, on its own channel (SMS): another OPD's report is
# answered as if the code did not exist.
say "$OTHER_HEAD" "SELESAI $code sudah beres" sms >/dev/null
check "another OPD's head is answered" wait_requests android 6281100000105 1
check "as if the code did not exist" grep -q "tidak ditemukan di antara laporan OPD Anda" <<<"$(last_request android 6281100000105)"
say "$OTHER_HEAD" "TERIMA KDR-222222" sms >/dev/null
wait_requests android 6281100000105 2
expect_eq "which is the answer to an unknown code" \
	"$(last_request android 6281100000105 | sed 's/.*Kode \(KDR-[^ ]*\) tidak.*/X/')" \
	"$(requests android 6281100000105 | head -1 | sed 's/.*Kode \(KDR-[^ ]*\) tidak.*/X/')"
# A head's number on a channel that is not its own proves nothing: a
# command from it is answered like a citizen's, and acts on nothing.
say "$HEAD" "TERIMA $code" sms >/dev/null
say "$HEAD" "TERIMA $code" smssync >/dev/null
say "$OTHER_HEAD" "SELESAI $code sudah beres" >/dev/null
check "a head's number on another channel" wait_requests whatsapp 6281100000105 1
check "is answered like a citizen's" grep -q "hanya untuk petugas OPD" <<<"$(last_request whatsapp 6281100000105)"
check "Dispendukcapil's head by SMS, not its channel, is a citizen too" wait_requests android 6281100000101 2
check "and answered so" grep -q "hanya untuk petugas OPD" <<<"$(last_request android 6281100000101)"
say "$HEAD" "terima" >/dev/null
check "a malformed command gets the list of commands" wait_requests whatsapp "$HEAD_WA" 3
check "with an example" grep -q "Perintah petugas: TERIMA" <<<"$(last_request whatsapp "$HEAD_WA")"
say "$HEAD" "SELESAI $code" >/dev/null
check "SELESAI without a note is answered" wait_requests whatsapp "$HEAD_WA" 4
check "by asking for the note" grep -q "Sertakan kode laporan dan catatan" <<<"$(last_request whatsapp "$HEAD_WA")"
expect_eq "none of it changed a report" "$before" \
	"$(sqlite3 "$WORK/hotline.db" "select status, acknowledged_at from reports; select count(*) from history")"

# 5. The head acknowledges and resolves; the reporter reads the outcome.
say "$HEAD" "Terima ${code,,}" >/dev/null
check "TERIMA is confirmed" wait_requests whatsapp "$HEAD_WA" 5
check "with the deadline to resolve" grep -q "Laporan $code diterima. Batas penyelesaian: .* WIB" <<<"$(last_request whatsapp "$HEAD_WA")"
expect_eq "the report is acknowledged" acknowledged "$(field "$code" status)"
say "$HEAD" "SELESAI $code petugas loket sudah diberi sanksi, uang dikembalikan" >/dev/null
check "SELESAI is confirmed" wait_requests whatsapp "$HEAD_WA" 6
expect_eq "the report is resolved with the outcome" "resolved|petugas loket sudah diberi sanksi, uang dikembalikan" \
	"$(field "$code" "status || '|' || outcome")"
expect_eq "each change is a row of history" "head:dispendukcapil|acknowledge|routed|acknowledged;head:dispendukcapil|resolve|acknowledged|resolved" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(actor || '|' || action || '|' || from_status || '|' || to_status, ';') from (select h.* from history h join reports r on r.id = h.report_id where r.code = '$code' order by h.id)")"
check "every receipt is hashed" settle
cek=$(say 081234567103 "CEK $receipt" twilio_sms)
check "the reporter's CEK says it is resolved" grep -q "Laporan $code .* telah diselesaikan oleh " <<<"$cek"
check "and shows the head's note" grep -q "^Tindak lanjut: petugas loket sudah diberi sanksi" <<<"$cek"
before=$(sqlite3 "$WORK/hotline.db" "select status from reports; select count(*) from history")
say "$HEAD" "TOLAK $code bukan urusan kami" >/dev/null
check "a command on a resolved report" wait_requests whatsapp "$HEAD_WA" 7
check "is refused, saying why" grep -q "tidak dapat diubah" <<<"$(last_request whatsapp "$HEAD_WA")"
expect_eq "and changes nothing" "$before" "$(sqlite3 "$WORK/hotline.db" "select status from reports; select count(*) from history")"

# 6. TOLAK sends the second report back to triage, whose head is alerted.
say "$HEAD" "TOLAK $code2 calo di luar kantor, bukan wewenang kami" >/dev/null
check "TOLAK is confirmed" wait_requests whatsapp "$HEAD_WA" 8
expect_eq "the report is in triage at the Inspektorat" "triage|inspektorat" "$(field "$code2" "status || '|' || opd")"
check "the Inspektorat's head is alerted" wait_requests whatsapp "$INSPEKTORAT_WA" 1
check "about that report" grep -q "$code2" <<<"$(last_request whatsapp "$INSPEKTORAT_WA")"
control $'clear'

# 6b. The Inspektorat's head forwards it to Dishub by WhatsApp (TERUSKAN);
# Dishub's head is alerted by SMS.
sent_triage=$(requests whatsapp "$INSPEKTORAT_WA" | wc -l)
sent_dishub=$(requests android 6281100000105 | wc -l)
say 081100000107 "TERUSKAN $code2" >/dev/null
check "TERUSKAN without an OPD asks for one" wait_requests whatsapp "$INSPEKTORAT_WA" $((sent_triage + 1))
check "listing the OPD ids" grep -q "Sebutkan kode OPD tujuan: .*dishub" <<<"$(last_request whatsapp "$INSPEKTORAT_WA")"
say 081100000107 "teruskan $code2 ke DISHUB calo parkir di depan kantor" >/dev/null
check "TERUSKAN is confirmed" wait_requests whatsapp "$INSPEKTORAT_WA" $((sent_triage + 2))
check "naming the OPD" grep -q "$code2 diteruskan ke Dinas Perhubungan" <<<"$(last_request whatsapp "$INSPEKTORAT_WA")"
expect_eq "the report is routed to Dishub" "routed|dishub" "$(field "$code2" "status || '|' || opd")"
expect_eq "the history has it" "head:inspektorat|route|calo parkir di depan kantor" \
	"$(sqlite3 "$WORK/hotline.db" "select actor || '|' || action || '|' || note from history h join reports r on r.id = h.report_id where r.code = '$code2' and action = 'route'")"
check "Dishub's head is alerted" wait_requests android 6281100000105 $((sent_dishub + 1))
check "about that report" grep -q "$code2" <<<"$(last_request android 6281100000105)"

# 7. Nobody answers: a reminder, then (across a restart) the escalation.
ack3=$(say 081234567103 "petugas loket dispendukcapil minta uang 50rb untuk cetak KK, kelurahan Bandar Lor" twilio_sms)
code3=$(code_in <<<"$ack3")
check "the third report is alerted" bash -c "for i in \$(seq 1 100); do grep -q '$code3' '$WORK/fake.log' && exit 0; sleep 0.05; done; exit 1"
check "a reminder comes before the deadline" bash -c "for i in \$(seq 1 160); do grep -F '$HEAD_WA' '$WORK/fake.log' | grep -q 'Pengingat.*$code3' && exit 0; sleep 0.05; done; exit 1"
check "the daemon stops cleanly" stop_server TERM
due=$(field "$code3" ack_due)
while [ "$(date +%s)" -le "$due" ]; do sleep 0.2; done
start_server
check "the escalation goes to the Inspektorat after the restart" \
	bash -c "for i in \$(seq 1 100); do grep -F '$INSPEKTORAT_WA' '$WORK/fake.log' | grep -q 'Eskalasi.*$code3' && exit 0; sleep 0.05; done; exit 1"
report_json "$code3" >"$WORK/r3.json"
check "hotline reports marks it overdue and escalated" grep -q '"overdue":true,"escalated":true' "$WORK/r3.json"
expect_eq "the history says so" "system|escalate|acknowledge deadline missed" \
	"$(sqlite3 "$WORK/hotline.db" "select actor || '|' || action || '|' || note from history h join reports r on r.id = h.report_id where r.code = '$code3'")"
expect_eq "the reminder and the escalation were sent once each" "1|1" \
	"$(sqlite3 "$WORK/hotline.db" "select sum(kind = 'reminder') || '|' || sum(kind = 'escalation') from outbox o join reports r on r.id = o.report_id where r.code = '$code3'")"

# 8. A delivery report for a message we never sent changes nothing.
outbox_before=$(sqlite3 "$WORK/hotline.db" "select * from outbox" | md5sum)
printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100003333","phone_number_id":"115522334455667"},"statuses":[{"id":"wamid.NEVERSENT","status":"failed","timestamp":"%s","recipient_id":"6281100000101","errors":[{"code":131047,"title":"Re-engagement message"}]}]},"field":"messages"}]}]}' \
	"$(date +%s)" >"$WORK/status.json"
expect_eq "a status for an unknown message is accepted" 200 "$(post_whatsapp "$WORK/status.json")"
expect_eq "and moves no outbox row" "$outbox_before" "$(sqlite3 "$WORK/hotline.db" "select * from outbox" | md5sum)"

# 9. A holiday that is no date is a config error with its line.
cp "$WORK/hotline.conf" "$WORK/bad.conf"
printf '\n[holidays]\ndates = 2026-12-25, 2026-02-30\n' >>"$WORK/bad.conf"
line=$(grep -n '^dates = 2026-12-25, 2026-02-30' "$WORK/bad.conf" | cut -d: -f1)
"$HOTLINE" check --config "$WORK/bad.conf" >"$WORK/check.out" 2>&1
expect_eq "hotline check refuses a bad holiday" 1 "$?"
check "naming its file and line" grep -q "bad.conf:$line:" "$WORK/check.out"

"$HOTLINE" outbox --config "$WORK/hotline.conf" >"$WORK/outbox.jsonl"
check "hotline outbox lists every delivery" test "$(wc -l <"$WORK/outbox.jsonl")" = "$(db_count outbox)"
check "the fallback is visible" grep -q '"kind":"alert","channel":"sms","destination":"+6281100000101"' "$WORK/outbox.jsonl"
stop_server TERM
check "no citizen's number or receipt in the database, WAL, log or outbox listing" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/outbox.jsonl"

finish
