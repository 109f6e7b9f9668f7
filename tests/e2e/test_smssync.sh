#!/bin/bash
# An SMSSync phone as the channel of a city and of one OPD head: the
# citizen's acknowledgement rides in the webhook's answer; what goes later
# (the alert to Dishub's head, whose head_channel is the SMSSync phone)
# waits in the outbox until the phone polls with GET ?task=send, is
# confirmed with POST ?task=sent, and its outcome reported with GET and
# POST ?task=result.  A poll without the secret, or with a wrong one, gets
# nothing.  A message the phone never confirms is handed out again; the
# head's own command over SMSSync is answered inline.  Afterwards no
# number is in the database, its WAL or the log.
. "$(dirname "$0")/lib.sh"
start_fake_provider
make_config
conf="$WORK/hotline.conf"
# Dishub's head on the SMSSync phone (demo.conf has him on sms)
sed -i '/^\[opd dishub\]/,/^head_channel/s/^head_channel = .*/head_channel = smssync/' "$conf"
check "the config with a head on SMSSync passes check" "$HOTLINE" check --config "$conf"
start_server

EXTRA_SECRETS=(6281234567401 81234567401)
HEAD=+6281100000105
SECRET=smssync-shared-secret-for-tests
base="http://127.0.0.1:$PORT/webhook/smssync"
poll() { # poll QUERY: the answer's body; its status in $WORK/status
	curl -s -o "$WORK/poll" -w '%{http_code}' "$base?$1" >"$WORK/status"
	cat "$WORK/poll"
}
post_task() { # post_task TASK JSON
	printf '%s' "$2" >"$WORK/task.json"
	curl -s -o "$WORK/poll" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data-binary "@$WORK/task.json" "$base?task=$1&secret=$SECRET" >"$WORK/status"
	cat "$WORK/poll"
}
row() { sqlite3 "$WORK/hotline.db" "select $1 from outbox where kind = 'alert' and channel = 'smssync'"; }

# 1. Nothing to send yet: an empty task.
out=$(poll "task=send&secret=$SECRET")
expect_eq "a poll with nothing queued is 200" 200 "$(cat "$WORK/status")"
check "with an empty list of messages" grep -q '"messages":\[\]' <<<"$out"
check "naming the task and the secret, for the app to check" \
	grep -q "\"task\":\"send\",\"secret\":\"$SECRET\"" <<<"$out"

# 2. A citizen reports by SMSSync: the acknowledgement is in the answer.
"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" --channel smssync \
	--from 081234567401 "parkir liar di terminal tamanan, jukir minta 10rb tanpa karcis" \
	>"$WORK/ack" 2>&1
check "the acknowledgement rides in the webhook's answer" grep -q '"task":"send"' "$WORK/ack"
code=$(grep -o 'KDR-[2-9A-Z]\{6\}' "$WORK/ack" | head -1)
check "with the report's code ($code)" test -n "$code"
for i in $(seq 1 100); do [ -n "$(row id)" ] && break; sleep 0.05; done
expect_eq "the alert to Dishub's head waits in the outbox for the phone" queued "$(row status)"
sleep 1
expect_eq "the dispatcher leaves it there (no attempt)" "queued|0" "$(row "status || '|' || attempts")"

# 3. Polls that do not carry the secret get nothing.
poll "task=send" >/dev/null
expect_eq "a poll without the secret is 401" 401 "$(cat "$WORK/status")"
poll "task=send&secret=wrong" >/dev/null
expect_eq "with a wrong secret, 403" 403 "$(cat "$WORK/status")"
poll "task=nonsense&secret=$SECRET" >/dev/null
expect_eq "an unknown task is 400" 400 "$(cat "$WORK/status")"
expect_eq "and the alert is still waiting" queued "$(row status)"

# 4. The phone takes it.
out=$(poll "task=send&secret=$SECRET")
expect_eq "the poll is 200" 200 "$(cat "$WORK/status")"
check "the alert to the head's number" grep -q "\"to\":\"$HEAD\"" <<<"$out"
check "with the report's code in it" grep -q "$code" <<<"$out"
uuid=$(sed -n 's/.*"uuid":"\([0-9a-f-]\{36\}\)".*/\1/p' <<<"$out")
check "and a uuid ($uuid)" test -n "$uuid"
check "the citizen's number is not in it" bash -c "! grep -q 1234567401 <<<'$out'"
expect_eq "the row is handed out, waiting for the phone's confirmation" "failed|1" \
	"$(row "status || '|' || attempts")"
out=$(poll "task=send&secret=$SECRET")
check "a second poll does not hand it out again" grep -q '"messages":\[\]' <<<"$out"

# 5. task=sent, then the results.
out=$(post_task sent "{\"queued_messages\":[\"$uuid\"]}")
expect_eq "task=sent is 200" 200 "$(cat "$WORK/status")"
check "answering the uuids it knew" grep -q "\"message_uuids\":\[\"$uuid\"\]" <<<"$out"
expect_eq "the row is sent" sent "$(row status)"
out=$(poll "task=result&secret=$SECRET")
check "GET task=result asks for its result" grep -q "\"$uuid\"" <<<"$out"
out=$(post_task result "{\"message_result\":[{\"uuid\":\"$uuid\",\"sent_result_code\":-1,\"sent_result_message\":\"SMSSync Message Sent\",\"delivered_result_code\":-1,\"delivered_result_message\":\"SMS Delivered\"}]}")
expect_eq "task=result is 200" 200 "$(cat "$WORK/status")"
expect_eq "the row is delivered" delivered "$(row status)"
out=$(poll "task=result&secret=$SECRET")
check "and no result is asked for any more" grep -q '"message_uuids":\[\]' <<<"$out"
post_task result '{"message_result": "nope"}' >/dev/null
expect_eq "a result that is not message_result JSON is 400" 400 "$(cat "$WORK/status")"
post_task sent "{\"queued_messages\":[\"00000000-0000-4000-8000-000000000000\"]}" >/dev/null
expect_eq "an unknown uuid changes nothing" delivered "$(row status)"

# 6. The head acknowledges over SMSSync: answered inline.
"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" --channel smssync \
	--from 081100000105 "TERIMA $code" >"$WORK/head" 2>&1
check "the head's command is answered in the webhook's answer" grep -q "Laporan $code diterima" "$WORK/head"
expect_eq "and the report is acknowledged" acknowledged \
	"$(sqlite3 "$WORK/hotline.db" "select status from reports where code = '$code'")"

# 7. A message the phone never confirms is handed out again.
sqlite3 "$WORK/hotline.db" "update outbox set status = 'queued', attempts = 0, provider_hash = null, next_attempt_at = 0 where kind = 'alert' and channel = 'smssync'"
out=$(poll "task=send&secret=$SECRET")
check "(queued again by hand, it is handed out)" grep -q "\"to\":\"$HEAD\"" <<<"$out"
sqlite3 "$WORK/hotline.db" "update outbox set next_attempt_at = 0 where kind = 'alert' and channel = 'smssync'"
out=$(poll "task=send&secret=$SECRET")
check "unconfirmed past its time, it is handed out again" grep -q "\"to\":\"$HEAD\"" <<<"$out"
expect_eq "a second attempt" 2 "$(row attempts)"

stop_server
check "no citizen's number in the database, WAL or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"
finish
