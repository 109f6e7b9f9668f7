#!/bin/bash
# Watching it, end to end: with stderr as "the journal" (JOURNAL_STREAM
# naming the log file) and log_level = debug, citizens report on WhatsApp
# and on the SMS gateway, whose phone's API is down (so its messages die),
# and deadlines of seconds pass.  /metrics passes `promtool check metrics`
# and shows each family with a plausible value: reports stored as sent,
# messages by channel, the age of the last one (small where one came,
# larger where none did), delivery latency, the outbox by status with its
# dead rows, overdue and escalated reports by OPD (the same count as
# `hotline reports`), receipts waiting, batch and commit histograms, the
# database's size, readiness.  The contrib files hold: the dashboard is
# JSON whose queries name only metrics /metrics has, the alert rules
# pass promtool check rules and their unit tests.  The log: each line
# carries its priority, a send line says status=sent without its
# destination, a failed login names its account and outcome, never the
# password; a reload to log_level = info stops the debug lines.  No
# number of a citizen or head is in the log or the metrics.
. "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v promtool >/dev/null; then
	not_ok "promtool is installed (make deps: Debian's prometheus package)"
	finish
	exit 1
fi

start_fake_provider
make_config
sed -i '/^\[server\]/a log_level = debug' "$WORK/hotline.conf"
# The SMS gateway phone's API is down: what is sent there dies.
sed -i 's#^api_base = .*/3rdparty/v1$#api_base = http://127.0.0.1:9/3rdparty/v1#' \
	"$WORK/hotline.conf"
cat >>"$WORK/hotline.conf" <<'CONF'

[sla]
acknowledge = 3s
resolve = 10m
remind_before = 1s
escalate_to = inspektorat
CONF

# stderr is "the journal" when JOURNAL_STREAM names its device and inode.
: >"$WORK/serve.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$WORK/serve.log") start_server

CITIZENS=(081234567201 081234567202 081234567203 081234567204)
HEADS_DIGITS=$(sed -n 's/^\(head\|deputy\) = *+\{0,1\}\([0-9 ]*\)$/\2/p' "$WORK/hotline.conf" |
	tr -d ' ' | sed 's/^0/62/' | sort -u)
for n in "${CITIZENS[@]}"; do EXTRA_SECRETS+=("62${n#0}" "${n#0}"); done
for h in $HEADS_DIGITS; do EXTRA_SECRETS+=("$h" "${h#62}"); done
check "the heads' numbers are among the secrets" test -n "$HEADS_DIGITS"

say() { # say CHANNEL FROM TEXT
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel "$1" --from "$2" "$3" >/dev/null 2>&1
}
metric() { # metric SAMPLE: its value in $WORK/metrics (the sample name with labels)
	awk -v s="$1" '$1 == s { print $2 }' "$WORK/metrics"
}
family_sum() { # family_sum NAME: the sum of NAME's samples
	awk -v n="$1" 'index($1, n "{") == 1 || $1 == n { s += $2 } END { print s + 0 }' "$WORK/metrics"
}
scrape() { curl -s "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics"; }

sleep 2 # the channels not used get older than the one used
STORY="kel. setono gedong, petugas minta uang rokok 50rb buat tanda tangan KK"
for n in "${CITIZENS[@]:0:3}"; do say whatsapp "$n" "$STORY"; done
say sms "${CITIZENS[3]}" "$STORY"
expect_eq "four reports stored" 4 "$(db_count reports)"

# The acknowledgement deadline (3 s) passes: every report is overdue and
# escalated.  The gauges are read again every 5 s at most.
overdue_cli() { "$HOTLINE" reports --config "$WORK/hotline.conf" | grep -c '"overdue":true'; }
for i in $(seq 1 100); do
	scrape
	[ "$(family_sum hotline_reports_escalated)" -ge 4 ] &&
		[ "$(metric hotline_outbox_dead_messages)" -ge 1 ] 2>/dev/null &&
		[ "$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where status in ('queued','sending','failed')")" = 0 ] &&
		break
	sleep 0.2
done
scrape

# 1. The exposition format, as Prometheus reads it.
promtool check metrics <"$WORK/metrics" >"$WORK/promtool.out" 2>&1
check "promtool check metrics passes" test $? -eq 0
check "and has nothing to say" test ! -s "$WORK/promtool.out"
cat "$WORK/promtool.out"

# 2. Every family, with a plausible value.
for f in hotline_webhook_requests_total hotline_inbound_messages_total \
	hotline_last_inbound_age_seconds hotline_outbound_total \
	hotline_delivery_seconds hotline_reports_stored_total \
	hotline_duplicates_total hotline_delivery_reports_total \
	hotline_commit_failures_total hotline_writer_queue hotline_messages_total \
	hotline_commit_seconds hotline_writer_batch_rows hotline_commit_rows_total \
	hotline_outbox_messages hotline_outbox_dead_messages \
	hotline_reports_overdue hotline_reports_escalated hotline_receipts_waiting \
	hotline_database_bytes hotline_ready; do
	check "family $f is there" grep -q "^# TYPE $f " "$WORK/metrics"
done
expect_eq "reports stored: the four sent" 4 "$(metric hotline_reports_stored_total)"
expect_eq "messages in on whatsapp" 3 "$(metric 'hotline_inbound_messages_total{channel="whatsapp"}')"
expect_eq "messages in on the SMS gateway" 1 "$(metric 'hotline_inbound_messages_total{channel="sms"}')"
expect_eq "none on smssync" 0 "$(metric 'hotline_inbound_messages_total{channel="smssync"}')"
age_wa=$(metric 'hotline_last_inbound_age_seconds{channel="whatsapp",provider="whatsapp_cloud"}')
age_unused=$(metric 'hotline_last_inbound_age_seconds{channel="smssync",provider="smssync"}')
check "the last whatsapp message is recent ($age_wa s)" test "${age_wa:-99}" -lt 30
check "a channel never heard is older ($age_unused s)" test "${age_unused:-0}" -gt "${age_wa:-99}"
check "acknowledgements' delivery is observed" \
	test "$(metric 'hotline_delivery_seconds_count{channel="whatsapp"}')" -ge 3
check "and each took less than the 2 s timeout" \
	test "$(metric 'hotline_delivery_seconds_bucket{channel="whatsapp",le="2.5"}')" = \
	"$(metric 'hotline_delivery_seconds_count{channel="whatsapp"}')"
dead_db=$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where status = 'dead'")
check "messages to the phone that is down died ($dead_db)" test "$dead_db" -ge 1
expect_eq "the dead gauge is the outbox's count" "$dead_db" "$(metric hotline_outbox_dead_messages)"
expect_eq "and the dead rows by kind add up to it" "$dead_db" \
	"$(awk '$1 ~ /^hotline_outbox_messages\{.*status="dead"\}$/ { s += $2 } END { print s + 0 }' "$WORK/metrics")"
check "the SMS acknowledgement is among them" \
	grep -q '^hotline_outbox_messages{kind="ack",status="dead"} [1-9]' "$WORK/metrics"
opd=$(sqlite3 "$WORK/hotline.db" "select opd from reports limit 1")
expect_eq "overdue by OPD: all four, at $opd" 4 "$(metric "hotline_reports_overdue{opd=\"$opd\"}")"
expect_eq "overdue as hotline reports counts it" "$(overdue_cli)" "$(family_sum hotline_reports_overdue)"
expect_eq "escalated by OPD" 4 "$(metric "hotline_reports_escalated{opd=\"$opd\"}")"
expect_eq "an OPD with nothing open shows 0" 0 "$(metric 'hotline_reports_overdue{opd="dinsos"}')"
expect_eq "no receipt waits" 0 "$(metric hotline_receipts_waiting)"
check "commits are counted" test "$(metric hotline_commit_seconds_count)" -ge 4
expect_eq "the batch histogram counts the same transactions" \
	"$(metric hotline_commit_seconds_count)" "$(metric hotline_writer_batch_rows_count)"
bytes=$(metric hotline_database_bytes)
check "the database's size is its file's and more ($bytes)" \
	test "$bytes" -ge "$(stat -c %s "$WORK/hotline.db")"
expect_eq "ready" 1 "$(metric hotline_ready)"

# 3. The contrib files.
python3 - "$root/contrib/grafana/hotline.json" "$WORK/metrics" >"$WORK/grafana.out" 2>&1 <<'PY'
import json, re, sys
dash = json.load(open(sys.argv[1]))
names = set(re.findall(r"^([a-z_:]+)[{ ]", open(sys.argv[2]).read(), re.M))
assert any(i.get("name") == "DS_PROMETHEUS" for i in dash["__inputs"]), "no DS_PROMETHEUS input"
exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
assert len(exprs) >= 10, "too few queries"
for p in dash["panels"]:
    assert p["datasource"]["uid"] == "${DS_PROMETHEUS}", p["title"]
used = set(n for e in exprs for n in re.findall(r"\bhotline_[a-z_]+", e))
missing = sorted(used - names)
assert not missing, "not in /metrics: " + ", ".join(missing)
print(len(exprs), "queries,", len(used), "metrics")
PY
check "the dashboard is JSON naming only metrics /metrics has" test $? -eq 0
cat "$WORK/grafana.out"
check "promtool check rules passes" promtool check rules "$root/contrib/prometheus/hotline-alerts.yml"
check "the alert rules' unit tests pass" promtool test rules "$root/tests/prometheus/hotline-alerts.test.yml"
for n in $(grep -o 'hotline_[a-z_]*' "$root/contrib/prometheus/hotline-alerts.yml" | sort -u); do
	check "alert rules' $n is in /metrics" grep -q "^$n[{ ]" "$WORK/metrics"
done

# 4. The log.
log="$WORK/serve.log"
check "every line carries its priority" test "$(grep -cv '^<[3467]>ts=' "$log")" = 0
check "debug lines are <7>" grep -q '^<7>ts=.* level=debug ' "$log"
check "a dead message is a warning" grep -q '^<4>ts=.* level=warn event=send kind=[a-z_]* channel=sms status=dead attempt=[0-9]* error=network$' "$log"
check "a retry says why in a word" grep -q 'event=send kind=[a-z_]* channel=sms status=retry attempt=1 error=network$' "$log"
check "an acknowledgement sent: kind, channel, status, HTTP status, latency" \
	grep -q '^<7>ts=.* level=debug event=send kind=ack channel=whatsapp status=sent attempt=1 http=200 seconds=[0-9.]*$' "$log"
check "an alert to a head is sent at info" \
	grep -q '^<6>ts=.* level=info event=send kind=alert channel=[a-z_]* status=sent attempt=1 http=20[0-9] seconds=' "$log"
check "no send line names a number" test "$(grep 'event=send' "$log" | grep -c '[0-9]\{8,\}')" = 0

opd_users kadis_capil:dispendukcapil
EXTRA_SECRETS+=("kata sandi kantor 2026" "a wrong password 123")
token=$(curl -s -c "$WORK/bad.jar" "http://127.0.0.1:$PORT/login" |
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
expect_eq "a wrong password is refused" 401 "$(curl -s -o /dev/null -w '%{http_code}' \
	-b "$WORK/bad.jar" --data-urlencode "csrf=$token" --data-urlencode username=kadis_capil \
	--data-urlencode "password=a wrong password 123" "http://127.0.0.1:$PORT/login")"
web_login kadis_capil
check "the failed login is logged as a warning" \
	grep -q '^<4>ts=.* level=warn event=login account=kadis_capil outcome=bad_password$' "$log"
check "the login is logged" grep -q '^<6>ts=.* level=info event=login account=kadis_capil outcome=ok$' "$log"

# 5. A reload to log_level = info: the debug lines stop.
sed -i 's/^log_level = debug$/log_level = info/' "$WORK/hotline.conf"
kill -HUP "$SERVER_PID"
wait_listening
debug_before=$(grep -c 'level=debug' "$log")
say whatsapp "${CITIZENS[0]}" "jalan di kelurahan bandar lor rusak, petugas minta uang"
check "a report after the reload is stored" test "$(db_count reports)" -ge 5
settle
expect_eq "no debug line after the reload" "$debug_before" "$(grep -c 'level=debug' "$log")"

scrape
check "no number in the log or the metrics" grep_secrets "$log" "$WORK/metrics"
stop_server
finish
