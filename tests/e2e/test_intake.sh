#!/bin/bash
# Intake end to end: every provider fixture goes in through the real
# daemon and comes out as a report; a repeated delivery is stored once; a
# report answered 200 survives SIGKILL; no reporter number or provider id
# is found in the database, its WAL or the log; unseal recovers them.
. "$(dirname "$0")/lib.sh"

HEADS=0 make_config
start_server

expect_eq "healthz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")"
expect_eq "readyz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")"
expect_eq "whatsapp handshake answers the challenge" 1158201444 \
	"$(curl -s "http://127.0.0.1:$PORT/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=verify-token-for-tests&hub.challenge=1158201444")"
expect_eq "whatsapp handshake with a wrong token" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")"

for f in whatsapp_text whatsapp_location whatsapp_image; do
	expect_eq "$f accepted" 200 "$(post_whatsapp "$FIX/$f.json")"
done
for f in whatsapp_status whatsapp_status_failed; do
	expect_eq "$f accepted" 200 "$(post_whatsapp "$FIX/$f.json")"
done
expect_eq "twilio sms accepted" 200 "$(post /webhook/twilio_sms \
	application/x-www-form-urlencoded "$FIX/twilio_inbound.form" \
	'X-Twilio-Signature: NwaeQfqPjgvrfF1f54AXYhu5WDQ=')"
check "twilio gets the acknowledgement inline, as TwiML" \
	grep -q '^<?xml version="1.0" encoding="UTF-8"?><Response><Message>Terima kasih, laporan Anda diterima dengan nomor KDR-' "$WORK/last_body"
receipts=$(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' "$WORK/last_body" | sort -u)
expect_eq "twilio whatsapp accepted" 200 "$(post /webhook/twilio_wa \
	application/x-www-form-urlencoded "$FIX/twilio_whatsapp_inbound.form" \
	'X-Twilio-Signature: n6D/L/QibecLSdh4Q19lEkQ4RFw=')"
expect_eq "smssync accepted" 200 "$(post /webhook/smssync \
	application/x-www-form-urlencoded "$FIX/smssync_inbound.form")"
check "smssync gets the JSON it expects, with the acknowledgement to send" \
	grep -q '^{"payload":{"success":true,"error":null,"task":"send","secret":"smssync-shared-secret-for-tests","messages":\[{"to":"+6281234567890","message":"Terima kasih' "$WORK/last_body"
receipts="$receipts $(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' "$WORK/last_body" | sort -u)"
# The receipts are secrets too: only their slow hashes may be stored.
for r in $receipts; do EXTRA_SECRETS+=("$r" "${r//-/}"); done
expect_eq "two receipts were handed out inline" 4 "${#EXTRA_SECRETS[@]}"
# The SMS gateway signs a timestamp; the fixture's is old, so sign it now.
now=$(date +%s)
expect_eq "android sms gateway accepted" 200 "$(post /webhook/sms application/json \
	"$FIX/android_sms_gateway_received.json" "X-Timestamp: $now" \
	"X-Signature: $(asg_signature "$FIX/android_sms_gateway_received.json" "$now")")"

# A location pin alone tells nothing that happened: it is never a report.
expect_eq "six reports stored, none of the lone location pin" 6 "$(db_count reports)"
expect_eq "six sealed identities" 6 "$(db_count identities)"
expect_eq "two delivery reports kept, no report made of them" 2 "$(db_count delivery_events)"

check "the receipts are hashed" settle
expect_eq "every report has its receipt's hash" 6 "$(sqlite3 "$WORK/hotline.db" 'select count(*) from reports where receipt_hash is not null and pending is null')"
check "reports are routed" test "$(sqlite3 "$WORK/hotline.db" "select count(*) from reports where kelurahan = 'Bandar Lor' and kecamatan = 'mojoroto'")" -ge 5

# Providers retry: the same delivery again is 200 and stores nothing.
before=$(db_dump)
expect_eq "repeated whatsapp delivery answered 200" 200 "$(post_whatsapp "$FIX/whatsapp_text.json")"
expect_eq "repeated twilio delivery answered 200" 200 "$(post /webhook/twilio_sms \
	application/x-www-form-urlencoded "$FIX/twilio_inbound.form" \
	'X-Twilio-Signature: NwaeQfqPjgvrfF1f54AXYhu5WDQ=')"
expect_eq "repeated status callback answered 200" 200 "$(post_whatsapp "$FIX/whatsapp_status.json")"
expect_eq "repeated deliveries change nothing" "$before" "$(db_dump)"

# The same story twice from one sender, with new ids: one report, and the
# second is answered "already received", not filed again.  "YA" twice is
# two answers of chat, never a report.
say_wa() {
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from 081234567890 "$1" >/dev/null 2>&1
}
say_wa "petugas parkir di pasar minta 5rb padahal ada karcis"
say_wa "petugas parkir di pasar minta 5rb padahal ada karcis"
say_wa "YA"
say_wa "YA"
expect_eq "identical stories with new ids: one report..." 7 "$(db_count reports)"
expect_eq "...and the second is answered as already received" 1 \
	"$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where kind = 'duplicate'")"

metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
check "metrics count stored reports" grep -q '^hotline_reports_stored_total 7$' <<<"$metrics"
check "metrics count requests by channel and status" \
	grep -q '^hotline_webhook_requests_total{channel="whatsapp",status="200"}' <<<"$metrics"
check "metrics have a commit latency histogram" grep -q '^hotline_commit_seconds_count [1-9]' <<<"$metrics"

# SIGKILL right after a 200: the report is there after a restart.
for ch in whatsapp twilio_sms sms smssync; do
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel "$ch" --from "+62 812-3456-7890" "Laporan di kelurahan Semampir lewat $ch sebelum mati" \
		>/dev/null 2>&1 || not_ok "simulate on $ch"
done
check "the WAL exists while serving" test -s "$WORK/hotline.db-wal"
check "no identity in the database or WAL while serving" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
start_server
expect_eq "reports answered 200 survive SIGKILL" 11 "$(db_count reports)"
check "the last one is there" grep -q "sebelum mati" <(sqlite3 "$WORK/hotline.db" "select text from reports where channel='smssync' order by id desc limit 1")

"$HOTLINE" reports --config "$WORK/hotline.conf" >"$WORK/reports.jsonl"
expect_eq "hotline reports lists every report" 11 "$(wc -l <"$WORK/reports.jsonl")"
check "reports are JSON with code, status and channel" \
	grep -q '^{"code":"KDR-[2-9A-Z]\{6\}","status":"routed","channel":"whatsapp","category":"pungli","opd":"[a-z_]*","kecamatan":"mojoroto","kelurahan":"Bandar Lor",' "$WORK/reports.jsonl"

stop_server TERM
expect_eq "SIGTERM exits 0" 0 $?

# No reporter number, name or provider id anywhere at rest or in the log.
check "no identity in the database, WAL or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/reports.jsonl"
check "received_at is kept to the hour" \
	test "$(sqlite3 "$WORK/hotline.db" 'select count(*) from reports where received_at % 3600 != 0')" = 0

# Unseal recovers the identity, after writing an audit row.
code=$(head -1 "$WORK/reports.jsonl" | sed 's/.*"code":"\([^"]*\)".*/\1/')
"$HOTLINE" unseal --config "$WORK/hotline.conf" --key "$WORK/keys/mayor.key" \
	--passphrase-file "$WORK/pass" --reason "e2e check" "$code" >"$WORK/unsealed" 2>&1
check "unseal recovers the number" grep -q '"sender":"+6281234567890"' "$WORK/unsealed"
check "unseal recovers the profile name" grep -q '"profile_name":"Budi Santoso"' "$WORK/unsealed"
check "unseal recovers the wamid" grep -q 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFQVU5HTElURVhUMDAwMDEA' "$WORK/unsealed"
"$HOTLINE" audit --config "$WORK/hotline.conf" >"$WORK/audit.jsonl"
check "the unseal is in the audit log with its reason" \
	grep -q "\"action\":\"unseal\",\"report\":\"$code\",\"reason\":\"e2e check\"" "$WORK/audit.jsonl"
echo wrong >"$WORK/wrongpass"; chmod 600 "$WORK/wrongpass"
check "the identity grep does find the number where it is" \
	bash -c "! (. '$(dirname "$0")/lib.sh'; grep_secrets '$WORK/unsealed') >/dev/null"
check "a wrong passphrase opens nothing" bash -c "! '$HOTLINE' unseal --config '$WORK/hotline.conf' --key '$WORK/keys/mayor.key' --passphrase-file '$WORK/wrongpass' '$code' 2>&1 | grep -q 6281234567890"
expect_eq "every unseal attempt is audited before anything opens" 2 \
	"$(sqlite3 "$WORK/hotline.db" "select count(*) from audit where action = 'unseal' and custodian = 'mayor'")"
expect_eq "and its outcome after: one opened, one failed" "opened|failed: wrong passphrase or damaged key file" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(reason, '|') from audit where action = 'unseal_result'")"
check "the audit log is append-only" bash -c "! sqlite3 '$WORK/hotline.db' 'delete from audit' 2>/dev/null"

# An online backup holds every report, sealed as they were.
"$HOTLINE" backup --config "$WORK/hotline.conf" "$WORK/backup.db"
expect_eq "backup copies every report" 11 "$(sqlite3 "$WORK/backup.db" 'select count(*) from reports')"
expect_eq "the backup is readable by its owner alone" 600 "$(stat -c %a "$WORK/backup.db")"
check "backup refuses to overwrite" bash -c "! '$HOTLINE' backup --config '$WORK/hotline.conf' '$WORK/backup.db' 2>/dev/null"
check "no identity in the backup" grep_secrets "$WORK/backup.db"

# Long texts: WhatsApp allows 65,536 characters, and a refused webhook is
# retried for days and then dropped.  Each is answered 200 with the default
# max_body, stored whole and routed, however its characters are written.
# One sender each: a sender's next content may join its report as a note.
start_server
LONG_FROM=(6285712345671 6285712345672 6285712345673 6285712345674)
for n in "${LONG_FROM[@]}"; do EXTRA_SECRETS+=("$n" "${n#62}"); done

# fill_text FILE UNIT CHARS: UNIT (CHARS characters once decoded) repeated,
# then dots, to make exactly 65,536 characters.
fill_text() {
	local k=$((65536 / $3))
	yes "$2" | head -n "$k" | tr -d '\n' >"$1"
	printf '%*s' $((65536 - k * $3)) '' | tr ' ' '.' >>"$1"
}
# wa_body FROM ID TEXTFILE OUT: a WhatsApp text message as Meta sends it,
# its body the JSON string content of TEXTFILE.
wa_body() {
	{
		printf '{"object":"whatsapp_business_account","entry":[{"id":"1098765432109876","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100003333","phone_number_id":"115522334455667"},"contacts":[{"profile":{"name":"Warga"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"%s","type":"text","text":{"body":"' \
			"$1" "$1" "$2" "$(date +%s)"
		cat "$3"
		printf '"}}]},"field":"messages"}]}]}'
	} >"$4"
}
last_report() { sqlite3 "$WORK/hotline.db" "select $1 from reports order by id desc limit 1"; }
# long_text_stored WHAT TEXTFILE: the last report holds TEXTFILE whole.
long_text_stored() {
	expect_eq "$1: 65,536 characters stored" 65536 "$(last_report 'length(text)')"
	check "$1: stored exactly as sent" cmp -s <(last_report text) <(cat "$2"; echo)
}
ROUTED="routed|pungli|mojoroto|Bandar Lor"
WHERE="status || '|' || category || '|' || kecamatan || '|' || kelurahan"

# ASCII, through hotline simulate as an operator would.
S='PUNGLI di kantor kelurahan Bandar Lor, diminta bayar 50rb untuk surat pengantar KTP, kata petugas buat uang rokok. '
fill_text "$WORK/ascii.txt" "$S" ${#S}
"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
	--channel whatsapp --from "+${LONG_FROM[0]}" "$(cat "$WORK/ascii.txt")" >/dev/null 2>"$WORK/simulate.err"
check "65,536 ASCII characters are answered 200" grep -q 'answered 200$' "$WORK/simulate.err"
long_text_stored "ASCII" "$WORK/ascii.txt"
expect_eq "ASCII: routed" "$ROUTED" "$(last_report "$WHERE")"

# Multi-byte characters, as Meta writes them (\u escapes, an emoji as a
# surrogate pair) and as raw UTF-8: é (2 bytes), an em dash (3), an emoji (4).
A='Pungli di kantor kelurahan Bandar Lor: KTP baru jadi kalau bayar 50rb di kaf'
fill_text "$WORK/escaped.txt" "$A"'\u00e9 \u2014 \ud83d\ude21 ' $((${#A} + 6))
fill_text "$WORK/utf8.txt" "$A$(printf '\303\251 \342\200\224 \360\237\230\241 ')" $((${#A} + 6))
wa_body "${LONG_FROM[1]}" wamid.LONG.ESCAPED "$WORK/escaped.txt" "$WORK/escaped.json"
expect_eq "65,536 escaped multi-byte characters are answered 200" 200 "$(post_whatsapp "$WORK/escaped.json")"
long_text_stored "escaped multi-byte" "$WORK/utf8.txt"
expect_eq "escaped multi-byte: routed" "$ROUTED" "$(last_report "$WHERE")"
wa_body "${LONG_FROM[2]}" wamid.LONG.UTF8 "$WORK/utf8.txt" "$WORK/utf8.json"
expect_eq "65,536 raw UTF-8 multi-byte characters are answered 200" 200 "$(post_whatsapp "$WORK/utf8.json")"
long_text_stored "raw multi-byte" "$WORK/utf8.txt"
expect_eq "raw multi-byte: routed" "$ROUTED" "$(last_report "$WHERE")"

# The longest body such a text makes: 65,536 escaped é, 384k of text alone.
fill_text "$WORK/e_escaped.txt" '\u00e9' 1
fill_text "$WORK/e_utf8.txt" "$(printf '\303\251')" 1
wa_body "${LONG_FROM[3]}" wamid.LONG.E "$WORK/e_escaped.txt" "$WORK/e.json"
check "that body is over 384k" test "$(wc -c <"$WORK/e.json")" -gt 393216
expect_eq "65,536 escaped é are answered 200 with the default max_body" 200 "$(post_whatsapp "$WORK/e.json")"
long_text_stored "escaped é" "$WORK/e_utf8.txt"
expect_eq "a provider's retry of a long text is answered 200" 200 "$(post_whatsapp "$WORK/escaped.json")"
expect_eq "...and stored once" 15 "$(db_count reports)"

stop_server TERM
expect_eq "SIGTERM exits 0 after long texts (nothing leaked under ASan)" 0 $?
check "no long text's sender in the database, WAL or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"

finish
