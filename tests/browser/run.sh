#!/bin/bash
# The web views in Debian's headless Chromium: the real `hotline serve` with
# the mayor's key (unlocked at the first unseal), the mayor walikota and the heads
# kadis_capil (Dispendukcapil) and kadis_dishub (Dishub), two reports by
# SMS; then views.test.mjs logs each of them in and checks what they see.
# Then the daemon reloads its config in verification mode ([routing]
# verify, the verifier Inspektorat's inspektur), two more reports come in,
# and verify.test.mjs has the verifier forward one with a summary, which
# is all its OPD reads, and dismiss the other.  Screenshots in $ARTIFACTS.
# Afterwards the audit log has the web unseal with its reason and the
# verifier's summary, and no reporter's number, receipt, password or
# session token is in the database, its WAL or the log.
#
#   HOTLINE=build/hotline FAKE_PROVIDER=build/fake_provider \
#       bash tests/browser/run.sh          (or: make browser)
. "$(dirname "$0")/../e2e/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
ARTIFACTS="${ARTIFACTS:-$HERE/../../build/artifacts/browser}"
mkdir -p "$ARTIFACTS" && ARTIFACTS="$(cd "$ARTIFACTS" && pwd)"
rm -f "$ARTIFACTS"/*.png

summary() {
	echo "browser: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
must() { # must DESCRIPTION COMMAND...: set-up; the run stops when it fails
	local what="$1"
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; summary; exit 1; fi
}
must "Chromium is /usr/bin/chromium (make deps)" test -x /usr/bin/chromium
must "playwright-core is installed (make deps)" test -d "$HERE/node_modules/playwright-core"

# Anything sent goes to the fake provider; without heads nothing should be.
start_fake_provider
HEADS=0 make_config
sed -i "/^mayor_public = /a mayor_key = $WORK/keys/mayor.key" "$WORK/hotline.conf"
# Plain http on loopback: cookies are Secure only when public_url is https.
sed -i "s#^public_url = .*#public_url = http://127.0.0.1#" "$WORK/hotline.conf"
must "the config names the mayor's key" grep -q "^mayor_key = $WORK/keys/mayor.key\$" "$WORK/hotline.conf"
# Evidence is kept, under an evidence key of its own.
"$HOTLINE" keygen --evidence --out "$WORK/keys" >/dev/null
printf '\n[evidence]\nkey_file = %s\n' "$WORK/keys/evidence.key" >>"$WORK/hotline.conf"

# The mayor logs in with a password of the account's own, never the key's
# passphrase ($WORK/pass); the heads share one.
printf 'kata sandi dispendukcapil 2026\n' >"$WORK/opdpass"
printf 'kata sandi masuk wali kota 2026\n' >"$WORK/mayorpass"
chmod 600 "$WORK/opdpass" "$WORK/mayorpass"
user_add() { # user_add NAME ROLE [OPD] PASSWORD_FILE
	local name="$1" role="$2" opd=() file
	if [ $# -eq 4 ]; then opd=(--opd "$3"); file="$4"; else file="$3"; fi
	"$HOTLINE" user add --config "$WORK/hotline.conf" --role "$role" \
		"${opd[@]}" --password-file "$file" "$name" >>"$WORK/user.out" 2>&1 ||
		{ cat "$WORK/user.out"; return 1; }
}
check "hotline user add refuses the key's passphrase as a login password" \
	bash -c "! '$HOTLINE' user add --config '$WORK/hotline.conf' --role mayor --password-file '$WORK/pass' walikota 2>/dev/null"
must "hotline user add walikota (mayor)" user_add walikota mayor "$WORK/mayorpass"
must "hotline user add kadis_capil (dispendukcapil)" \
	user_add kadis_capil opd dispendukcapil "$WORK/opdpass"
must "hotline user add kadis_dishub (dishub)" user_add kadis_dishub opd dishub "$WORK/opdpass"
must "hotline user add inspektur (inspektorat, the triage team)" \
	user_add inspektur opd inspektorat "$WORK/opdpass"

start_server
EXTRA_SECRETS=(6281234567890 81234567890 6281234567891 81234567891
	"$(cat "$WORK/pass")" "$(cat "$WORK/opdpass")" "$(cat "$WORK/mayorpass")")
report() { # report FROM TEXT: the report's code in CODE
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel twilio_sms --from "$1" "$2" >"$WORK/ack" 2>/dev/null
	local receipt
	for receipt in $(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' "$WORK/ack"); do
		EXTRA_SECRETS+=("$receipt" "${receipt//-/}")
	done
	CODE=$(grep -o 'KDR-[2-9A-Z]\{6\}' "$WORK/ack" | head -1)
}
field() { sqlite3 "$WORK/hotline.db" "select $2 from reports where code = '$1'"; }
report 081234567890 "petugas minta uang rokok buat tanda tangan KK di kelurahan Setono Gedong"
CODE_CAPIL=$CODE
report 081234567891 "pungli parkir liar di terminal tamanan, jukir minta 10rb"
CODE_DISHUB=$CODE
must "a report for Dispendukcapil ($CODE_CAPIL)" \
	test "$(field "$CODE_CAPIL" opd)" = dispendukcapil
must "a report for Dishub ($CODE_DISHUB)" test "$(field "$CODE_DISHUB" opd)" = dishub
check "every receipt is hashed" settle

node_test() { # node_test SCRIPT [NAME=VALUE...]: its checks counted here
	local script="$1" rc np nf
	shift
	env "$@" BASE_URL="http://127.0.0.1:$PORT" \
		MAYOR_PASS="$(cat "$WORK/mayorpass")" KEY_PASS="$(cat "$WORK/pass")" \
		OPD_PASS="$(cat "$WORK/opdpass")" \
		ARTIFACTS="$ARTIFACTS" DATABASE="$WORK/hotline.db" \
		RESULT_FILE="$WORK/$script.result" TOKENS_FILE="$WORK/$script.tokens" \
		timeout 300 node "$HERE/$script"
	rc=$?
	if ! read -r np nf <"$WORK/$script.result" 2>/dev/null; then
		not_ok "$script ran to its end (exit status $rc)"
		return
	fi
	PASS=$((PASS + np))
	FAIL=$((FAIL + nf))
	[ "$rc" -eq 0 ] || [ "$nf" -gt 0 ] || not_ok "$script exited with $rc"
}

# A photo for Dispendukcapil, sent on WhatsApp with its caption.
EXTRA_SECRETS+=(6281234567894 81234567894)
printf '{"object":"whatsapp_business_account","entry":[{"id":"1098765432109876","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100003333","phone_number_id":"115522334455667"},"contacts":[{"profile":{"name":"Warga"},"wa_id":"6281234567894"}],"messages":[{"from":"6281234567894","id":"wamid.BROWSERPHOTO1","timestamp":"%s","type":"image","image":{"caption":"foto bukti petugas minta uang 100rb buat cetak KK di kelurahan Setono Gedong","mime_type":"image/png","id":"png1"}}]},"field":"messages"}]}]}' \
	"$(date +%s)" >"$WORK/photo.json"
must "the photo's webhook is answered" test "$(post_whatsapp "$WORK/photo.json")" = 200
CODE_PHOTO=$(sqlite3 "$WORK/hotline.db" "select code from reports where text like 'foto bukti petugas%'")
for i in $(seq 1 200); do
	[ "$(sqlite3 "$WORK/hotline.db" "select count(*) from attachments where status = 'stored'")" = 1 ] && break
	sleep 0.05
done
must "the photo is stored with a report for Dispendukcapil ($CODE_PHOTO)" \
	test "$(field "$CODE_PHOTO" opd)|$(sqlite3 "$WORK/hotline.db" "select count(*) from attachments where status = 'stored'")" = "dispendukcapil|1"
check "every receipt is hashed" settle
node_test evidence.test.mjs CODE_PHOTO="$CODE_PHOTO"

REASON="Verifikasi pelapor atas permintaan Inspektorat"
node_test views.test.mjs CODE_CAPIL="$CODE_CAPIL" CODE_DISHUB="$CODE_DISHUB" \
	NUMBER_CAPIL=081234567890 NUMBER_DISHUB=081234567891 UNSEAL_REASON="$REASON"

# Verification mode, by a reload (SIGHUP) of the running daemon: every new
# report waits at the verifier, who forwards it with a summary or closes it.
sed -i '/^\[routing\]/a verify = yes\nverifier = inspektorat' "$WORK/hotline.conf"
must "the config turns verification on, Inspektorat verifying" \
	test "$(sed -n '/^\[routing\]/,/^\[/p' "$WORK/hotline.conf" |
		grep -c '^verify = yes$\|^verifier = inspektorat$')" = 2
must "hotline check accepts it" "$HOTLINE" check --config "$WORK/hotline.conf"
kill -HUP "$SERVER_PID"
wait_listening
EXTRA_SECRETS+=(6281234567892 81234567892 6281234567893 81234567893)
FORWARD_NAME="Sri Wahyuni"
FORWARD_TEXT="petugas loket dukcapil minta uang 50rb buat cetak KK, nama saya $FORWARD_NAME"
report 081234567892 "$FORWARD_TEXT"
CODE_FORWARD=$CODE
report 081234567893 "pungli di sekolah, diminta bayar 200rb untuk seragam batik"
CODE_DISMISS=$CODE
for code in "$CODE_FORWARD" "$CODE_DISMISS"; do
	must "a report waiting at the verifier ($code)" \
		test "$(field "$code" "status || '|' || opd")" = "verifying|inspektorat"
done
check "every receipt is hashed" settle
SUMMARY="Petugas loket Dispendukcapil meminta uang Rp50.000 untuk cetak KK, pekan ini."
node_test verify.test.mjs CODE_FORWARD="$CODE_FORWARD" CODE_DISMISS="$CODE_DISMISS" \
	FORWARD_TEXT="$FORWARD_TEXT" FORWARD_NAME="$FORWARD_NAME" SUMMARY="$SUMMARY" \
	NUMBERS="081234567890 081234567891 081234567892 081234567893"

"$HOTLINE" audit --config "$WORK/hotline.conf" >"$WORK/audit.jsonl" 2>&1
unseals() { grep -F '"action":"unseal"' "$WORK/audit.jsonl" | grep -F "\"$CODE_CAPIL\"" || true; }
check "the audit log has the web unseal with its reason" \
	grep -qF "\"reason\":\"$REASON\"" <<<"$(unseals)"
expect_eq "one unseal: refused ones are not unsealed" 1 "$(unseals | grep -c .)"
check "and none of Dishub's report" bash -c "! grep -F '\"action\":\"unseal\"' '$WORK/audit.jsonl' | grep -qF '$CODE_DISHUB'"
check "the audit log has the verifier's summary" \
	grep -qF "\"reason\":\"$SUMMARY\"" <<<"$(grep -F '"action":"summary"' "$WORK/audit.jsonl" | grep -F "\"$CODE_FORWARD\"")"

check "the daemon stops cleanly" stop_server TERM
check "no reporter's number, receipt or password in the database, WAL, log or audit" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/audit.jsonl"
mapfile -t TOKENS < <(cat "$WORK"/*.tokens 2>/dev/null | grep .)
EXTRA_SECRETS=("${TOKENS[@]+"${TOKENS[@]}"}")
check "no session cookie or CSRF token in the log" grep_secrets "$WORK/serve.log"

echo "screenshots: $ARTIFACTS"
summary
