#!/bin/bash
# Twilio keeps every inbound message with its sender's number: with
# forget_at_provider, once a message is committed here the provider is
# asked to delete its copy (DELETE .../Messages/{MessageSid}.json, which
# takes the media with it).  The request waits in the outbox with the id
# sealed under the memkey, is retried when the provider fails, and dies
# visibly when it keeps failing; the id is erased either way.  Against the
# fake provider API.
. "$(dirname "$0")/lib.sh"
start_fake_provider

FORGET=yes HEADS=0 make_config
start_server
SID=SM7f3a1c9e2b4d4e6f8a0b1c2d3e4f5a6b
deletes() { grep -F '"api":"twilio_delete"' "$WORK/fake.log" || true; }
wait_deletes() { # wait_deletes COUNT
	local i
	for i in $(seq 1 200); do
		[ "$(deletes | wc -l)" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
forget_rows() {
	sqlite3 "$WORK/hotline.db" "select status || '|' || attempts || '|' || (sealed is null) || '|' || coalesce(last_error, '') from outbox where kind = 'forget' order by id"
}

# 1. The provider fails once, then deletes the message.
control $'500'
expect_eq "the SMS is accepted" 200 "$(post /webhook/twilio_sms \
	application/x-www-form-urlencoded "$FIX/twilio_inbound.form" \
	'X-Twilio-Signature: NwaeQfqPjgvrfF1f54AXYhu5WDQ=')"
expect_eq "and stored as a report" 1 "$(db_count reports)"
check "the provider is asked to delete it, and asked again" wait_deletes 2
expect_eq "at the message's own address, with the account's credentials" \
	"/2010-04-01/Accounts/AC9a8b7c6d5e4f30211203a4b5c6d7e8f9/Messages/$SID.json|true" \
	"$(deletes | tail -1 | sed 's/.*"path":"\([^"]*\)","auth":\([a-z]*\).*/\1|\2/')"
expect_eq "the first answer was a failure, the second the deletion" "500 204" \
	"$(deletes | sed 's/.*"answer":\([0-9]*\).*/\1/' | tr '\n' ' ' | sed 's/ $//')"
check "the outbox settles" settle
expect_eq "the request is done after two attempts, its sealed id erased" "sent|2|1|" "$(forget_rows)"

# 2. A provider that keeps failing: the request dies, visibly, id erased.
control $'500\n500\n500'
expect_eq "a WhatsApp message through Twilio is accepted" 200 "$(post /webhook/twilio_wa \
	application/x-www-form-urlencoded "$FIX/twilio_whatsapp_inbound.form" \
	'X-Twilio-Signature: n6D/L/QibecLSdh4Q19lEkQ4RFw=')"
check "it is tried max_attempts times" wait_deletes 5
check "the outbox settles" settle
expect_eq "then dead with the reason, its sealed id erased" \
	"dead|3|1|delete at the provider answered HTTP 500" "$(forget_rows | tail -1)"

# 3. A delivery seen again asks again (the provider answers 404 once the
# copy is gone, which counts as done).
control $'404'
post /webhook/twilio_sms application/x-www-form-urlencoded "$FIX/twilio_inbound.form" \
	'X-Twilio-Signature: NwaeQfqPjgvrfF1f54AXYhu5WDQ=' >/dev/null
check "a repeated delivery asks again" wait_deletes 6
check "the outbox settles" settle
expect_eq "and a 404 is the copy already gone" "sent|1|1|" "$(forget_rows | tail -1)"
expect_eq "and the repeated delivery is no new report" 2 "$(db_count reports)"

"$HOTLINE" outbox --config "$WORK/hotline.conf" >"$WORK/outbox.jsonl"
stop_server TERM
check "no number or message id in the database, WAL, log or outbox listing" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/outbox.jsonl"
finish
