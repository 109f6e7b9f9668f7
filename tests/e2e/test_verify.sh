#!/bin/bash
# Verification first ([routing] verify = yes), end to end: every report
# waits at the verifier (the Inspektorat) as "verifying", whose head is
# alerted and whose WhatsApp commands cannot skip the step; on the web the
# verifier forwards it with a summary, which is audited; the OPD's head is
# then alerted with the summary's excerpt, never the citizen's words, and
# the OPD's page shows only the summary.  A report that is none is closed.
# Afterwards no citizen's number is in the database, its WAL or the log.
. "$(dirname "$0")/lib.sh"
start_fake_provider

make_config
sed -i '/^\[routing\]/a verify = yes' "$WORK/hotline.conf"
# Dispendukcapil takes an excerpt in its alerts: it must be the summary's.
sed -i '/^\[opd dispendukcapil\]/a alert_text = excerpt' "$WORK/hotline.conf"
start_server

CAPIL_WA=6281100000101 INSPEKTORAT_WA=6281100000107
EXTRA_SECRETS=(6281234567301 81234567301 6281234567302 81234567302)
say() {
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from "$1" "$2" 2>/dev/null
}
field() { sqlite3 "$WORK/hotline.db" "select $2 from reports where code = '$1'"; }
sent_to() { grep -F "\"api\":\"whatsapp\"" "$WORK/fake.log" | grep -F "$1" || true; }
wait_sent() { # wait_sent DIGITS PATTERN
	local i
	for i in $(seq 1 200); do
		sent_to "$1" | grep -q "$2" && return 0
		sleep 0.05
	done
	return 1
}

raw="petugas loket dukcapil minta uang 50rb buat cetak KK, nama saya Sri Wahyuni"
say 081234567301 "$raw" >/dev/null
code=$(sqlite3 "$WORK/hotline.db" "select code from reports order by id desc limit 1")
expect_eq "the report waits at the verifier" "verifying|inspektorat|dispendukcapil" \
	"$(field "$code" "status || '|' || opd || '|' || subject")"
check "the verifier's head is alerted" wait_sent "$INSPEKTORAT_WA" "$code"
say 081100000107 "TERIMA $code" >/dev/null
check "a head's TERIMA cannot skip verification" wait_sent "$INSPEKTORAT_WA" "sedang diverifikasi"
expect_eq "and changes nothing" verifying "$(field "$code" status)"

# The verifier on the web.
opd_users inspektur:inspektorat kadis_capil:dispendukcapil
page() { web_page "$@"; }
csrf_of() { page "$1" "$2" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
verify() { # verify USER CODE FIELDS...: posts the verify form, prints the status
	local user="$1" code="$2" token
	shift 2
	token=$(csrf_of "$user" "/reports/$code")
	local args=()
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	curl -s -o "$WORK/verify.out" -w '%{http_code}' -b "$WORK/$user.jar" \
		--data-urlencode "csrf=$token" "${args[@]}" \
		"http://127.0.0.1:$PORT/reports/$code/verify"
}
web_login inspektur
web_login kadis_capil
check "the verifier reads the report, masked" grep -q "nama saya \[nama disamarkan\]" <<<"$(page inspektur "/reports/$code")"
check "with the router's OPD proposed" grep -q '<option value="dispendukcapil" selected>' <<<"$(page inspektur "/reports/$code")"
expect_eq "Dispendukcapil cannot open it yet" "" "$(page kadis_capil "/reports/$code" | grep -o 'petugas loket')"
expect_eq "an empty summary is refused" 409 "$(verify inspektur "$code" decision=forward opd=dispendukcapil summary=)"
check "saying so" grep -q "Tulis ringkasan" "$WORK/verify.out"
expect_eq "and changes nothing" verifying "$(field "$code" status)"
summary="Petugas loket Dispendukcapil meminta uang Rp50.000 untuk cetak KK."
expect_eq "the verifier forwards with a summary" 303 \
	"$(verify inspektur "$code" decision=forward opd=dispendukcapil "summary=$summary")"
expect_eq "the report is routed to Dispendukcapil with it" "routed|dispendukcapil|$summary" \
	"$(field "$code" "status || '|' || opd || '|' || summary")"
expect_eq "the summary is audited" "summary|$summary" \
	"$(sqlite3 "$WORK/hotline.db" "select action || '|' || reason from audit where report_code = '$code' and action = 'summary'")"
check "Dispendukcapil's head is alerted" wait_sent "$CAPIL_WA" "$code"
alert=$(sent_to "$CAPIL_WA" | grep "$code")
check "with the summary's excerpt" grep -q "meminta uang Rp50.000 untuk cetak KK" <<<"$alert"
expect_eq "never the citizen's words" "" "$(grep -o 'nama saya' <<<"$alert")"
opd_page=$(page kadis_capil "/reports/$code")
check "Dispendukcapil's page shows the summary" grep -q "Ringkasan verifikator" <<<"$opd_page"
expect_eq "and not the report's text, notes or evidence" "" \
	"$(grep -o 'nama saya\|Keterangan dari pelapor\|Penentuan tujuan' <<<"$opd_page")"

# A message that is no report: closed by the verifier, for a reason.
say 081234567302 "sampah di depan rumah belum diangkut tiga hari, tolong truknya lewat kel. Bandar Lor" >/dev/null
code2=$(sqlite3 "$WORK/hotline.db" "select code from reports order by id desc limit 1")
check "a complaint that is no corruption is a second report" test "$code2" != "$code"
expect_eq "a dismissal without a reason is refused" 409 "$(verify inspektur "$code2" decision=dismiss note=)"
expect_eq "the verifier closes it, saying why" 303 \
	"$(verify inspektur "$code2" decision=dismiss "note=keluhan kebersihan, diteruskan lewat kanal DLHKP")"
expect_eq "it is closed, the reason in its history" "closed|dismiss|keluhan kebersihan, diteruskan lewat kanal DLHKP" \
	"$(sqlite3 "$WORK/hotline.db" "select r.status || '|' || h.action || '|' || h.note from history h join reports r on r.id = h.report_id where r.code = '$code2'")"

stop_server TERM
check "no citizen's number or name in the database, WAL or log" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"
finish
