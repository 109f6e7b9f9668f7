#!/bin/bash
# Flood control: a sender over flood_per_minute gets 429 and opens no
# report; other senders are not held back; a webhook is all or nothing (a
# flooding sender in it refuses the whole batch, 429, nothing stored, and
# the provider delivers it again); nothing about the sender is logged.
. "$(dirname "$0")/lib.sh"

HEADS=0 FLOOD=3 make_config
start_server

sim() { # sim FROM TEXT: prints the status simulate saw
	"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from "$1" "$2" 2>&1 >/dev/null | sed -n 's/.*answered \([0-9]*\).*/\1/p'
}
# Counts are per minute: start well inside one.
while [ "$(date +%S | sed 's/^0//')" -gt 45 ]; do sleep 1; done
for i in 1 2 3; do
	expect_eq "report $i of a sender within the limit" 200 "$(sim 081299990001 "pungli di kelurahan Semampir, laporan $i")"
done
expect_eq "the fourth report in a minute is refused" 429 "$(sim 081299990001 "laporan 4")"
expect_eq "the same number written another way is the same sender" 429 "$(sim "+62 812-9999-0001" "laporan 5")"
expect_eq "another sender is not held back" 200 "$(sim 081299990002 "pungli di kelurahan Balowerti")"
expect_eq "only the reports within the limit are stored" 4 "$(db_count reports)"
# One webhook with two messages of the flooding sender around another's:
# refused whole, nothing stored; the other's alone is taken, text whole.
msg() { # msg FROM ID TEXT
	printf '{"from":"%s","id":"%s","timestamp":"%s","type":"text","text":{"body":"%s"}}' "$1" "$2" "$(date +%s)" "$3"
}
batch() { # batch MESSAGE...: one WhatsApp webhook carrying them
	local IFS=,
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"115522334455667"},"contacts":[],"messages":[%s]},"field":"messages"}]}]}' "$*"
}
other=$(yes 'pungli di kelurahan Pakunden, bayar 50rb buat surat. ' | head -n 200 | tr -d '\n')
batch "$(msg 6281299990001 wamid.FLOOD.1 "laporan 6")" "$(msg 6281299990003 wamid.FLOOD.2 "$other")" \
	"$(msg 6281299990001 wamid.FLOOD.3 "laporan 7")" >"$WORK/mixed.json"
expect_eq "a webhook with a flooding sender in it is refused whole" 429 "$(post_whatsapp "$WORK/mixed.json")"
expect_eq "and stores nothing, not even the other sender's" 4 "$(db_count reports)"
batch "$(msg 6281299990003 wamid.FLOOD.2 "$other")" >"$WORK/other.json"
expect_eq "the other sender's message, delivered again alone, is accepted" 200 "$(post_whatsapp "$WORK/other.json")"
expect_eq "and stored" 5 "$(db_count reports)"
expect_eq "its text whole" "${#other}" "$(sqlite3 "$WORK/hotline.db" 'select length(text) from reports order by id desc limit 1')"
# One sender's four stories in one webhook, over the limit of 3: none is
# stored, rather than three of them and the fourth lost.
batch "$(msg 6281299990004 wamid.FOUR.1 "pungli parkir di pasar bandar 5rb")" \
	"$(msg 6281299990004 wamid.FOUR.2 "pungli di kelurahan Ngronggo 20rb")" \
	"$(msg 6281299990004 wamid.FOUR.3 "calo SIM di kantor kecamatan minta 300rb")" \
	"$(msg 6281299990004 wamid.FOUR.4 "guru minta uang les 100rb")" >"$WORK/four.json"
expect_eq "four messages of one sender over a limit of three: 429" 429 "$(post_whatsapp "$WORK/four.json")"
expect_eq "none of them stored" 5 "$(db_count reports)"
check "the flood is logged without the sender" grep -q "event=flood channel=whatsapp" "$WORK/serve.log"
stop_server TERM
expect_eq "SIGTERM exits 0 (nothing leaked under ASan)" 0 $?
EXTRA_SECRETS=(6281299990001 81299990001 6281299990002 6281299990003 6281299990004)
check "no flooding number in the database or log" grep_secrets "$WORK/hotline.db" "$WORK/serve.log"

finish
