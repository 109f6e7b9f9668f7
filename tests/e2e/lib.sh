# Helpers for the end-to-end tests: a temporary workspace with a mayor
# keypair and a config, the real `hotline serve` on a free loopback port,
# and small assertions.  Sourced by each tests/e2e/test_*.sh.

set -u
: "${HOTLINE:?set HOTLINE to the hotline binary}"
FIX="$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)"
WORK="$(mktemp -d /tmp/hotline-e2e.XXXXXX)"
PASS=0
FAIL=0
SERVER_PID=
PORT=

# The reporter and provider ids the fixtures carry: none may be stored.
SECRETS_TO_GREP=(6281234567890 81234567890 "Budi Santoso"
	wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFQVU5HTElURVhUMDAwMDEA
	NjI4MTIzNDU2Nzg5MB SM7f3a1c9e2b4d4e6f8a0b1c2d3e4f5a6b
	b7e0c6a2-3f14-4d8e-9a51-6c2f0d8e7b34 Ey6ECgOkVVFjz3CL48B8C)

cleanup() {
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...
	local what="$1"
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
expect_eq() { # expect_eq DESCRIPTION EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (expected '$2', got '$3')"; fi
}
finish() {
	echo "$(basename "$0"): $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# control ANSWERS: script the fake provider's next answers (one status a
# line, in order; see tests/e2e/fake_provider.c).
control() { curl -s -X POST --data-binary "$1" "http://127.0.0.1:$FAKE_PORT/_control" >/dev/null; }

# start_fake_provider: the fake provider API on a free port (FAKE_PORT),
# logging every request to $WORK/fake.log; stopped on exit.
start_fake_provider() {
	: "${FAKE_PROVIDER:?set FAKE_PROVIDER to the fake provider binary}"
	"$FAKE_PROVIDER" --port 0 --log "$WORK/fake.log" >"$WORK/fake.out" 2>&1 &
	FAKE_PID=$!
	trap 'kill $FAKE_PID 2>/dev/null; cleanup' EXIT
	local i
	for i in $(seq 1 100); do
		FAKE_PORT=$(sed -n 's/^port \([0-9]*\)/\1/p' "$WORK/fake.out")
		[ -n "$FAKE_PORT" ] && return 0
		sleep 0.05
	done
	echo "fake provider did not start"
	exit 1
}

# wa_sent_to DIGITS: the WhatsApp bodies the fake provider received for the
# number +DIGITS, one a line.
wa_sent_to() {
	grep -F "\"api\":\"whatsapp\"" "$WORK/fake.log" | grep -F "\\\"to\\\":\\\"$1\\\"" |
		sed 's/.*\\"body\\":\\"\(.*\)\\"}}",.*/\1/'
}
# wa_wait_sent DIGITS COUNT: until the fake got COUNT messages for +DIGITS
# (10 s at most).
wa_wait_sent() {
	local i
	for i in $(seq 1 200); do
		[ "$(wa_sent_to "$1" | wc -l)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# make_config: keys and $WORK/hotline.conf: the test channels, and the
# categories, OPDs and regions of config/demo.conf (Kota Kediri).
# MAX_BODY (unset: the daemon's default), FLOOD may be set; MERGE_WINDOW
# (default 0s: every content message is a report of its own, alerted at
# once), MERGE_MAX set [conversation] and ALERT_DELAY (default 0s) [privacy];
# FORGET=yes has the Twilio channels delete each message at the provider
# (default no: the other tests script the fake's answers in order);
# with FAKE_PORT set, the channels send to the fake provider API there;
# HEADS=0 leaves the OPDs without heads
# (no alerts, so that nothing is sent behind a test's back).
make_config() {
	mkdir -p -m 700 "$WORK/run" # the tmpfs of systemd's RuntimeDirectory
	printf 'e2e passphrase for the mayor\n' >"$WORK/pass"
	chmod 600 "$WORK/pass"
	"$HOTLINE" keygen --out "$WORK/keys" --passphrase-file "$WORK/pass" >/dev/null ||
		{ echo "keygen failed"; exit 1; }
	local api="http://127.0.0.1:${FAKE_PORT:-9}"
	cat >"$WORK/hotline.conf" <<CONF
[server]
listen = 127.0.0.1:0
public_url = https://lapor.pemkot.example
database = $WORK/hotline.db
runtime_dir = $WORK/run
city = Kota Kediri
report_prefix = KDR
${MAX_BODY:+max_body = $MAX_BODY}
flood_per_minute = ${FLOOD:-1000}

[keys]
mayor_public = $(cat "$WORK/keys/mayor.pub")

[routing]
triage = inspektorat

[conversation]
merge_window = ${MERGE_WINDOW:-0s}
merge_max = ${MERGE_MAX:-15m}

[privacy]
alert_delay = ${ALERT_DELAY:-0s}

[dispatch]
retry_base = 200ms
retry_max = 1s
max_attempts = 3
timeout = 2s

[channel whatsapp]
provider = whatsapp_cloud
app_secret = 0a1b2c3d4e5f60718293a4b5c6d7e8f9
verify_token = verify-token-for-tests
phone_number_id = 115522334455667
access_token = e2e-access-token
api_base = $api/v25.0

[channel twilio_sms]
provider = twilio
account_sid = AC9a8b7c6d5e4f30211203a4b5c6d7e8f9
auth_token = a1b2c3d4e5f60718293a4b5c6d7e8f90
webhook_url = https://lapor.pemkot.example/hooks/twilio/sms
api_base = $api
forget_at_provider = ${FORGET:-no}

[channel twilio_wa]
provider = twilio
account_sid = AC9a8b7c6d5e4f30211203a4b5c6d7e8f9
auth_token = a1b2c3d4e5f60718293a4b5c6d7e8f90
webhook_url = https://lapor.pemkot.example/hooks/twilio/whatsapp
api_base = $api
forget_at_provider = ${FORGET:-no}

[channel sms]
provider = android_sms_gateway
signing_key = asg-signing-key-for-tests
api_base = $api/3rdparty/v1
username = e2e
password = e2e-password

[channel smssync]
provider = smssync
secret = smssync-shared-secret-for-tests

CONF
	sed -n '/^\[category /,$p' "$(dirname "${BASH_SOURCE[0]}")/../../config/demo.conf" |
		if [ "${HEADS:-1}" = 0 ]; then grep -v '^\(head\|deputy\)'; else cat; fi \
		>>"$WORK/hotline.conf"
}

# settle: wait (5 s at most) until every receipt is hashed and nothing is
# being sent, so that the database holds still.
settle() {
	local i
	for i in $(seq 1 100); do
		[ "$(sqlite3 "$WORK/hotline.db" "select (select count(*) from reports where pending is not null) + (select count(*) from outbox where status in ('queued','sending','failed'))")" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}

# start_server: run hotline serve, wait for its port.
start_server() {
	"$HOTLINE" serve --config "$WORK/hotline.conf" 2>>"$WORK/serve.log" &
	SERVER_PID=$!
	wait_listening
}

# wait_listening: until the server says it listens (once more than before),
# its port in PORT; exits the test when it does not.
wait_listening() {
	local i n
	for i in $(seq 1 200); do
		# count first: the port read after it is this start's, never
		# the one before (its line may land between the two reads)
		n=$(grep -c event=listening "$WORK/serve.log")
		PORT=$(sed -n 's/.*event=listening .*port=\([0-9]*\).*/\1/p' "$WORK/serve.log" | tail -1)
		if [ -n "$PORT" ] && [ "$n" -ge "${STARTS:-1}" ]; then
			STARTS=$(( ${STARTS:-1} + 1 ))
			return 0
		fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "server did not start:"
	cat "$WORK/serve.log"
	exit 1
}

stop_server() { # stop_server [SIGNAL]: returns the exit status
	local rc=0
	kill "-${1:-TERM}" "$SERVER_PID"
	wait "$SERVER_PID" || rc=$?
	SERVER_PID=
	return $rc
}

# post PATH CONTENT_TYPE BODYFILE [HEADER...]: prints the HTTP status.
post() {
	local path="$1" ct="$2" body="$3"
	shift 3
	local args=()
	local h
	for h in "$@"; do args+=(-H "$h"); done
	curl -s -o "$WORK/last_body" -w '%{http_code}' -X POST \
		-H "Content-Type: $ct" "${args[@]}" --data-binary "@$body" \
		"http://127.0.0.1:$PORT$path"
}

hub_signature() { # hub_signature FILE
	echo "sha256=$(openssl dgst -sha256 -hmac 0a1b2c3d4e5f60718293a4b5c6d7e8f9 -hex <"$1" | sed 's/.*= //')"
}

asg_signature() { # asg_signature FILE TIMESTAMP
	{ cat "$1"; printf '%s' "$2"; } |
		openssl dgst -sha256 -hmac asg-signing-key-for-tests -hex | sed 's/.*= //'
}

post_whatsapp() { # post_whatsapp FILE: signs and posts a WhatsApp body
	post /webhook/whatsapp application/json "$1" \
		"X-Hub-Signature-256: $(hub_signature "$1")"
}

# opd_users NAME:OPD...: web accounts of OPD staff, each with the password
# in $WORK/opdpass.
opd_users() {
	local u
	printf 'kata sandi kantor 2026\n' >"$WORK/opdpass"
	chmod 600 "$WORK/opdpass"
	for u in "$@"; do
		"$HOTLINE" user add --config "$WORK/hotline.conf" --role opd \
			--opd "${u#*:}" --password-file "$WORK/opdpass" "${u%%:*}" \
			>>"$WORK/user.out" 2>&1
	done
}
# web_login NAME: logs in through the form; the session in $WORK/NAME.jar.
web_login() {
	local jar="$WORK/$1.jar" token
	token=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" |
		sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$token" \
		--data-urlencode "username=$1" --data-urlencode "password=$(cat "$WORK/opdpass")" \
		"http://127.0.0.1:$PORT/login"
}
web_page() { curl -s -b "$WORK/$1.jar" "http://127.0.0.1:$PORT$2"; } # NAME PATH
web_status() { # web_status NAME PATH: the HTTP status NAME gets
	curl -s -o /dev/null -b "$WORK/$1.jar" -w '%{http_code}' "http://127.0.0.1:$PORT$2"
}

db_count() { # db_count TABLE
	sqlite3 "$WORK/hotline.db" "select count(*) from $1"
}

db_dump() { # the whole database as SQL, to compare before and after
	sqlite3 "$WORK/hotline.db" .dump | md5sum | cut -d' ' -f1
}

# grep_secrets FILE...: fails when any reporter number or id appears.
grep_secrets() {
	local f found=0
	printf '%s\n' "${SECRETS_TO_GREP[@]}" "${EXTRA_SECRETS[@]+"${EXTRA_SECRETS[@]}"}" |
		grep . >"$WORK/secrets.list"
	for f in "$@"; do
		[ -e "$f" ] || continue
		# one pass a file, whatever the number of secrets
		if grep -a -o -F -f "$WORK/secrets.list" -- "$f" | sort -u >"$WORK/secrets.found" &&
			[ -s "$WORK/secrets.found" ]; then
			sed "s|^|  found '|; s|\$|' in $f|" "$WORK/secrets.found"
			found=1
		fi
	done
	rm -f "$WORK/secrets.list" "$WORK/secrets.found"
	[ $found -eq 0 ]
}
