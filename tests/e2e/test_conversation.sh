#!/bin/bash
# The citizen's conversation end to end, against the fake provider API:
# a report gets its acknowledgement with a receipt; CEK and TAMBAH work
# from any number; a report without a place asks for it and the next
# message completes it; thanks after a receipt get one line; sends that
# fail are retried and then given up, and status callbacks move the
# outbox forward; a restart drops what waited with a citizen's address.
# Afterwards no number, receipt or provider id is in the database, its
# WAL, the log or `hotline outbox`.
. "$(dirname "$0")/lib.sh"
start_fake_provider

HEADS=0 make_config
start_server

A=081234567001 A_E164=+6281234567001
B=081234567002 B_E164=+6281234567002
EXTRA_SECRETS=(6281234567001 81234567001 6281234567002 81234567002 6281234567003)

say() { # say FROM TEXT [CHANNEL]: a citizen writes
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel "${3:-whatsapp}" --from "$1" "$2" >/dev/null 2>&1
}
outbox_status() { sqlite3 "$WORK/hotline.db" "select status from outbox where id = $1"; }

# 1. A report with its place: acknowledged with a code and a receipt.
check "a report is accepted" say "$A" "Pak, di kantor kelurahan Setono Gedong petugas minta uang rokok 50rb buat tanda tangan KK"
check "the citizen gets an acknowledgement" wa_wait_sent 6281234567001 1
ack=$(wa_sent_to 6281234567001 | head -1)
code=$(grep -o 'KDR-[2-9A-Z]\{6\}' <<<"$ack" | head -1)
receipt=$(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' <<<"$ack" | head -1)
EXTRA_SECRETS+=("$receipt" "${receipt//-/}")
check "it names the report's code" test -n "$code"
check "it carries a receipt" test -n "$receipt"
check "it tells how to follow up" grep -q "CEK $receipt" <<<"$ack"
check "it says the channel is confidential, not anonymous" grep -q "bukan anonim" <<<"$ack"
check "it does not ask for the place it was given" bash -c "! grep -q 'kelurahan atau kecamatan mana' <<<'$ack'"
expect_eq "the report is routed to Setono Gedong" "kota|Setono Gedong" \
	"$(sqlite3 "$WORK/hotline.db" "select kecamatan || '|' || kelurahan from reports where code = '$code'")"
check "the receipt is stored only as a hash" settle

# 2. CEK from another number, with the receipt written another way.
check "CEK from another number" say 081234567003 "cek ${receipt//-/ }"
check "the status answer comes" wa_wait_sent 6281234567003 1
status=$(wa_sent_to 6281234567003 | tail -1)
check "it names the report and its status" grep -q "Laporan $code .*Status: diteruskan ke OPD" <<<"$status"
check "a wrong receipt is not found" say 081234567003 "CEK 1111-2222-3333-4444"
check "and is answered plainly" wa_wait_sent 6281234567003 2
check "with the unknown-receipt text" grep -q "tidak dikenali" <<<"$(wa_sent_to 6281234567003 | tail -1)"

# Receipts guessed at random: after 10 tries in an hour a number is told
# to wait, and its guesses are no longer even looked up.
for i in $(seq 0 9); do say 081234567008 "CEK 0000-0000-0000-000$i"; done
EXTRA_SECRETS+=(6281234567008 81234567008)
check "ten wrong receipts are each answered" wa_wait_sent 6281234567008 10
check "the eleventh try" say 081234567008 "CEK $receipt"
check "is answered" wa_wait_sent 6281234567008 11
check "with the wait-an-hour text, even for the right receipt" \
	grep -q "Terlalu banyak percobaan" <<<"$(wa_sent_to 6281234567008 | tail -1)"

# 3. TAMBAH adds to the report.
check "TAMBAH is accepted" say "$A" "TAMBAH $receipt petugasnya bernama pak X, kejadian hari Senin"
check "the addition is confirmed" wa_wait_sent 6281234567001 2
check "with the report's code" grep -q "disimpan pada laporan $code" <<<"$(wa_sent_to 6281234567001 | tail -1)"
expect_eq "the addition is a note of the report" 1 \
	"$(sqlite3 "$WORK/hotline.db" "select count(*) from report_notes n join reports r on r.id = n.report_id where r.code = '$code' and n.kind = 'addition'")"

# 4. No place: the gateway asks, and the next message completes the report.
check "a report without a place" say "$B" "petugas minta uang 100rb untuk mengurus akta kelahiran"
check "is acknowledged with a question" wa_wait_sent 6281234567002 1
check "asking for the kelurahan" grep -q "kelurahan atau kecamatan mana" <<<"$(wa_sent_to 6281234567002 | head -1)"
settle
reports_before=$(db_count reports)
check "the answer" say "$B" "kelurhan ngronggo"
check "is confirmed" wa_wait_sent 6281234567002 2
expect_eq "and opens no new report" "$reports_before" "$(db_count reports)"
expect_eq "the report now has its place" "kota|Ngronggo" \
	"$(sqlite3 "$WORK/hotline.db" "select kecamatan || '|' || kelurahan from reports order by id desc limit 1")"

# 5. Nothing but emoji after the receipt: thanks, once, and no report.
reports_before=$(db_count reports)
check "an emoji-only message" say "$B" "🙏🙏🙏"
check "gets one short line" wa_wait_sent 6281234567002 3
check "naming the report" grep -q "Sama-sama. Laporan KDR-" <<<"$(wa_sent_to 6281234567002 | tail -1)"
expect_eq "and opens no report" "$reports_before" "$(db_count reports)"

# 6. Failures: 500 then 429 then success; a permanent error; a timeout.
settle
control $'500\n429 retry-after=1\nok'
check "a report while the API fails" say 081234567004 "pungli parkir di kelurahan Semampir 5rb"
EXTRA_SECRETS+=(6281234567004 81234567004)
check "the acknowledgement gets through on the third attempt" wa_wait_sent 6281234567004 1
row=$(sqlite3 "$WORK/hotline.db" "select max(id) from outbox where kind = 'ack'")
settle
expect_eq "it is sent after three attempts" "sent|3" "$(sqlite3 "$WORK/hotline.db" "select status || '|' || attempts from outbox where id = $row")"
control $'400 code=131026'
check "a report whose reply cannot be delivered" say 081234567005 "pungli di kelurahan Bangsal"
EXTRA_SECRETS+=(6281234567005 81234567005)
sleep 0.5; settle
row=$(sqlite3 "$WORK/hotline.db" "select max(id) from outbox where kind = 'ack'")
expect_eq "a permanent error is dead at once" "dead|1" "$(sqlite3 "$WORK/hotline.db" "select status || '|' || attempts from outbox where id = $row")"
check "the error is kept, without the number" grep -q "131026" <<<"$(sqlite3 "$WORK/hotline.db" "select last_error from outbox where id = $row")"
expect_eq "a dead row keeps no address" "" "$(sqlite3 "$WORK/hotline.db" "select sealed from outbox where id = $row")"
control $'timeout 5\n500\n503'
check "a report whose API times out" say 081234567006 "pungli di kelurahan Bangsal lagi"
EXTRA_SECRETS+=(6281234567006 81234567006)
for i in $(seq 1 100); do
	row=$(sqlite3 "$WORK/hotline.db" "select id from outbox where kind = 'ack' and status = 'dead' order by id desc limit 1")
	[ "$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where id > 0 and status = 'dead' and attempts = 3")" -ge 1 ] && break
	sleep 0.1
done
check "timeouts and 5xx are retried up to max_attempts, then dead" \
	test "$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where status = 'dead' and attempts = 3")" = 1
control $'clear'

# 7. Status callbacks move the row forward, never back.
wamid=$(grep -o '"id":"wamid.FAKE[0-9]*"' "$WORK/fake.log" | head -1 | cut -d'"' -f4)
row=$(sqlite3 "$WORK/hotline.db" "select id from outbox where status = 'sent' order by id limit 1")
status_body() { # status_body STATUS
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100003333","phone_number_id":"115522334455667"},"statuses":[{"id":"%s","status":"%s","timestamp":"%s","recipient_id":"6281234567001"}]},"field":"messages"}]}]}' \
		"$wamid" "$1" "$(date +%s)" >"$WORK/status.json"
	post_whatsapp "$WORK/status.json" >/dev/null
}
status_body delivered
expect_eq "a delivered callback moves the row to delivered" delivered "$(outbox_status "$row")"
expect_eq "and erases the sealed address" "" "$(sqlite3 "$WORK/hotline.db" "select sealed from outbox where id = $row")"
status_body sent
expect_eq "a late sent callback does not move it back" delivered "$(outbox_status "$row")"
status_body read
expect_eq "read moves it on" read "$(outbox_status "$row")"

# 7b. A stop first hashes the receipts still waiting: they work afterwards.
inline() { # inline FROM TEXT: a citizen writes by SMS (Twilio answers inline)
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel twilio_sms --from "$1" "$2" 2>/dev/null
}
EXTRA_SECRETS+=(6281234567009 81234567009 6281234567010 81234567010)
answer=$(inline 081234567009 "pungli di kelurahan Banjaran, petugas minta 20rb")
late=$(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' <<<"$answer" | head -1)
EXTRA_SECRETS+=("$late" "${late//-/}")
check "a report just before a stop gets its receipt inline" test -n "$late"
check "the daemon stops at once" stop_server TERM
check "with every receipt hashed" test "$(sqlite3 "$WORK/hotline.db" "select count(*) from reports where pending is not null")" = 0
start_server
check "after the restart its CEK finds the report" \
	grep -q "Status: diteruskan ke OPD" <<<"$(inline 081234567010 "CEK $late")"

# 8a. A restart loses nothing that waited: the citizen's address is sealed
# under the key of the runtime directory, which the next process reads.
control $'500\n500\n500\n500\n500\n500'
check "a report while the API fails" say 081234567007 "pungli di kelurahan Banaran"
EXTRA_SECRETS+=(6281234567007 81234567007)
for i in $(seq 1 100); do
	[ "$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where status = 'failed'")" -ge 1 ] && break
	sleep 0.05
done
stop_server TERM
control $'clear'
start_server
check "after a restart the acknowledgement is sent all the same" wa_wait_sent 6281234567007 1
check "and its row says so" settle
expect_eq "no acknowledgement was lost" 0 \
	"$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where kind = 'ack' and last_error = 'address lost at restart'")"

# 8b. Without a runtime directory the keys live in memory only: what waited
# with a citizen's address is dropped at a restart, never sent in clear.
sed -i '/^runtime_dir = /d' "$WORK/hotline.conf"
stop_server TERM
start_server
control $'500\n500\n500\n500\n500\n500'
check "a report while the API fails" say 081234567012 "pungli di kelurahan Banaran, juru parkir minta 5rb"
EXTRA_SECRETS+=(6281234567012 81234567012)
for i in $(seq 1 100); do
	row=$(sqlite3 "$WORK/hotline.db" "select id from outbox where kind = 'ack' and status = 'failed' order by id desc limit 1")
	[ -n "$row" ] && break
	sleep 0.05
done
stop_server TERM
start_server
expect_eq "after a restart it is dead, its address gone" "dead|address lost at restart|" \
	"$(sqlite3 "$WORK/hotline.db" "select status || '|' || last_error || '|' || coalesce(sealed, '') from outbox where id = ${row:-0}")"
control $'clear'

# 9. A 429 with "Retry-After: 3600", the header as every server writes it
# (a space after the colon): the row waits the hour, it is not retried at
# once and given up.
control $'429 retry-after=3600'
check "a report while the API says: come back in an hour" say 081234567011 "pungli parkir di kelurahan Bangsal, jukir minta 5rb"
EXTRA_SECRETS+=(6281234567011 81234567011)
for i in $(seq 1 100); do
	row=$(sqlite3 "$WORK/hotline.db" "select id from outbox where kind = 'ack' and status = 'failed' order by id desc limit 1")
	[ -n "$row" ] && break
	sleep 0.05
done
expect_eq "the acknowledgement was tried once and waits" "failed|1" \
	"$(sqlite3 "$WORK/hotline.db" "select status || '|' || attempts from outbox where id = ${row:-0}")"
wait_s=$(sqlite3 "$WORK/hotline.db" "select (next_attempt_at - updated_at) / 1000 from outbox where id = ${row:-0}")
check "until an hour has passed, not sooner ($wait_s s)" test "${wait_s:-0}" -ge 3590
control $'clear'

# 10. hotline resend: a citizen's dead messages cannot be sent again (their
# address is gone), and it says so; it is audited.
resent=$("$HOTLINE" resend --config "$WORK/hotline.conf" --kind ack --since 1h)
check "resend answers with what it did" grep -q '^{"queued":0,"citizens_not_sendable":[1-9][0-9]*}$' <<<"$resent"
check "and is in the audit" grep -q '"action":"resend"' <<<"$("$HOTLINE" audit --config "$WORK/hotline.conf")"
expect_eq "a bad --since is refused" 2 "$("$HOTLINE" resend --config "$WORK/hotline.conf" --since soon >/dev/null 2>&1; echo $?)"

"$HOTLINE" outbox --config "$WORK/hotline.conf" >"$WORK/outbox.jsonl"
check "hotline outbox lists every row" test "$(wc -l <"$WORK/outbox.jsonl")" = "$(db_count outbox)"
check "it shows citizens as 'citizen'" grep -q '"destination":"citizen"' "$WORK/outbox.jsonl"
stop_server TERM
check "no number, receipt or provider id in the database, WAL, log or outbox listing" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log" "$WORK/outbox.jsonl"
EXTRA_SECRETS+=("$wamid")
check "nor the ids of our own messages" grep_secrets "$WORK/hotline.db" "$WORK/serve.log"

finish
