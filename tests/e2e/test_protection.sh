#!/bin/bash
# The reporter stays unknown to those who handle the report, end to end:
# a report that accuses an office's own head goes to the Inspektorat, and
# that office is neither alerted nor able to open it on the web; the first
# alert waits a random moment within [privacy] alert_delay; no log line
# names a report code; /metrics answers loopback only, or whom
# metrics_from names; a location pin is kept to 3 decimals and its label
# is never the report's text.  Afterwards no citizen's number is in the
# database, its WAL or the log.
. "$(dirname "$0")/lib.sh"
start_fake_provider

ALERT_DELAY=3s-6s MERGE_WINDOW=0s make_config
start_server

CAPIL_WA=6281100000101 INSPEKTORAT_WA=6281100000107
EXTRA_SECRETS=(6281234567201 81234567201 6281234567202 81234567202)
say() { # say FROM TEXT: prints the webhook's answer
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from "$1" "$2" 2>/dev/null
}
field() { sqlite3 "$WORK/hotline.db" "select $2 from reports where code = '$1'"; }
code_of() { # code_of TEXT: the code of the report with that text
	sqlite3 "$WORK/hotline.db" "select code from reports where text = '$1'"
}
sent_to() { grep -F "\"api\":\"whatsapp\"" "$WORK/fake.log" | grep -F "$1" || true; }
wait_sent() { # wait_sent DIGITS PATTERN SECONDS [START]: the seconds it took
	local i start=${4:-$(date +%s.%N)}
	for i in $(seq 1 $(($3 * 20))); do
		if sent_to "$1" | grep -q "$2"; then
			awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.2f\n", a - b }'
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# 1. The office's own head accused: the Inspektorat handles it.
accusation="kadis dukcapil minta fee 10 persen dari pengadaan blangko KTP"
sent_at=$(date +%s.%N)
say 081234567201 "$accusation" >/dev/null
code=$(code_of "$accusation")
check "the accusation is a report" test -n "$code"
expect_eq "handled by the Inspektorat, about Dispendukcapil, accusing its leadership" \
	"inspektorat|dispendukcapil|leadership|routed" \
	"$(field "$code" "opd || '|' || subject || '|' || accused || '|' || status")"
check "the decision shows its evidence" \
	grep -q "accuses the office's own head: kadis" <<<"$(field "$code" routing)"
# 2. ...alerted within the delay window, never at once (watch times are
# whole seconds: the earliest is 2 s after the report).
t=$(wait_sent "$INSPEKTORAT_WA" "$code" 15 "$sent_at")
check "the Inspektorat's head is alerted" test -n "$t"
check "not before the 3 s of alert_delay (took ${t}s)" awk -v t="$t" 'BEGIN { exit !(t >= 2.0) }'
check "nor long after its 6 s (took ${t}s)" awk -v t="$t" 'BEGIN { exit !(t <= 8.5) }'
# A staff accusation stays with the office: its head can act at once.
staff="petugas loket dukcapil minta uang 50rb buat cetak KK"
say 081234567202 "$staff" >/dev/null
code2=$(code_of "$staff")
expect_eq "a staff accusation stays with Dispendukcapil" "dispendukcapil|staff" \
	"$(field "$code2" "opd || '|' || accused")"
check "whose head is alerted" bash -c "$(declare -f sent_to wait_sent); WORK='$WORK' wait_sent '$CAPIL_WA' '$code2' 15 >/dev/null"
check "and never about the accusation of its own head" bash -c "! grep -F '$CAPIL_WA' '$WORK/fake.log' | grep -q '$code'"

# 3. On the web, the accused office cannot open it; the Inspektorat can.
opd_users kadis_capil:dispendukcapil inspektur:inspektorat
web_login kadis_capil
web_login inspektur
opd_list=$(web_page kadis_capil /opd)
check "Dispendukcapil's list shows the staff accusation" grep -q "$code2" <<<"$opd_list"
expect_eq "but not the accusation of its head" "" "$(grep -o "$code" <<<"$opd_list")"
expect_eq "Dispendukcapil cannot open the accusation" 404 "$(web_status kadis_capil "/reports/$code")"
check "the Inspektorat opens it" grep -q "kadis dukcapil minta fee" <<<"$(web_page inspektur "/reports/$code")"

# 4. A location pin: 3 decimals kept, its label never the text.
say 081234567202 "ini lokasinya" >/dev/null
sed 's/"from": *"[0-9]*"/"from": "6281234567202"/' "$FIX/whatsapp_location.json" >"$WORK/pin.json"
expect_eq "a pin is accepted" 200 "$(post_whatsapp "$WORK/pin.json")"
check "the pin's label is stored nowhere" bash -c "! sqlite3 '$WORK/hotline.db' .dump | grep -q 'Kantor Kelurahan Bandar Lor'"
bad=$(sqlite3 "$WORK/hotline.db" "select count(*) from reports where latitude is not null and (abs(latitude * 1000 - round(latitude * 1000)) > 1e-6 or abs(longitude * 1000 - round(longitude * 1000)) > 1e-6)")
expect_eq "no stored pin has more than 3 decimals" 0 "$bad"

# 5. /metrics: loopback by default, then only whom metrics_from names.
expect_eq "/metrics answers loopback" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")"
sed -i '/^\[server\]/a metrics_from = 10.9.9.9' "$WORK/hotline.conf"
kill -HUP "$SERVER_PID"
wait_listening
expect_eq "and, when metrics_from names another scraper, refuses loopback" 403 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")"

stop_server TERM
# 6. No log line names a report code, for any report.
sqlite3 "$WORK/hotline.db" "select code from reports" >"$WORK/codes"
check "there are reports to look for" test -s "$WORK/codes"
check "no report code in the log" bash -c "! grep -F -f '$WORK/codes' '$WORK/serve.log'"
# 7. The repository's demo key and the example's placeholder are refused,
# by check and by serve, unless the config says it is a demonstration.
for key in LiRgmGNt39mzNZEv9qqEH+gDM7Nd3PvJBQdOqbYM4Fw= He27Cj1lFpMTVD8CnCGaSeBn3CK6/s3Xq/Cf95+HFAk=; do
	# a database of its own: this one is pinned to the test's key
	sed "s#^mayor_public = .*#mayor_public = $key#; s#^database = .*#database = $WORK/demo.db#" \
		"$WORK/hotline.conf" >"$WORK/public.conf"
	"$HOTLINE" check --config "$WORK/public.conf" >"$WORK/check.out" 2>&1
	expect_eq "check refuses the public key $key" 1 "$?"
	check "saying why" grep -q "mayor_public is the .* no identity sealed to it would be safe" "$WORK/check.out"
	timeout 10 "$HOTLINE" serve --config "$WORK/public.conf" >"$WORK/serve-public.out" 2>&1
	expect_eq "serve refuses it too" 1 "$?"
	sed -i '/^mayor_public = /a demo = yes' "$WORK/public.conf"
	check "unless [keys] demo = yes" "$HOTLINE" check --config "$WORK/public.conf"
done
# 8. The database keeps the custodian it was first served with: a public
# key swapped into the config is refused, naming both fingerprints.
printf 'kata sandi kunci lain 2026\n' >"$WORK/other.pw"
chmod 600 "$WORK/other.pw"
"$HOTLINE" keygen --out "$WORK/other" --passphrase-file "$WORK/other.pw" >"$WORK/keygen.out" 2>&1
check "keygen prints the fingerprint to write down" \
	grep -q '^fingerprint: [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} ' "$WORK/keygen.out"
sed "s#^mayor_public = .*#mayor_public = $(cat "$WORK/other/mayor.pub")#" "$WORK/hotline.conf" >"$WORK/swapped.conf"
"$HOTLINE" check --config "$WORK/swapped.conf" >"$WORK/check.out" 2>&1
expect_eq "check refuses a swapped custodian key" 1 "$?"
check "naming the pinned and the new fingerprint" \
	grep -q "pinned to the custodians mayor=[0-9a-f ]\{19\}, and the config names mayor=$(sed -n 's/^fingerprint: \(.\{19\}\).*/\1/p' "$WORK/keygen.out")" "$WORK/check.out"
timeout 10 "$HOTLINE" serve --config "$WORK/swapped.conf" >"$WORK/serve-swapped.out" 2>&1
expect_eq "serve refuses it too" 1 "$?"
check "saying why" grep -q "a key cannot be swapped in" "$WORK/serve-swapped.out"
check "the pinned key is still accepted" "$HOTLINE" check --config "$WORK/hotline.conf"
check "no citizen's number in the database, WAL or log" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"

finish
