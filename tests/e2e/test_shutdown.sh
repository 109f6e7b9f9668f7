#!/bin/bash
# SIGTERM while webhooks are arriving: the daemon stops accepting, answers
# what is in flight, exits 0, and every request answered 200 is stored
# (and nothing else is).
. "$(dirname "$0")/lib.sh"

HEADS=0 make_config
start_server

sender() { # sender N: post messages until the server is gone
	local i ok=0
	for i in $(seq 1 200); do
		if "$HOTLINE" simulate --config "$WORK/hotline.conf" \
			--url "http://127.0.0.1:$PORT" --channel whatsapp \
			--from "08123400$1$((i % 10))" "pungli di kelurahan Semampir, laporan $1 nomor $i" \
			>/dev/null 2>>"$WORK/sender$1.err"; then
			ok=$((ok + 1))
		fi
	done
	echo "$ok" >"$WORK/ok$1"
}
for n in 1 2 3 4; do sender "$n" & done
sleep 1
stop_server TERM
expect_eq "SIGTERM under load exits 0" 0 $?
wait
answered=$(( $(cat "$WORK/ok1") + $(cat "$WORK/ok2") + $(cat "$WORK/ok3") + $(cat "$WORK/ok4") ))
check "some requests were answered before the stop" test "$answered" -gt 0
check "some requests were refused after the stop" test "$answered" -lt 800
expect_eq "every request answered 200 is stored, nothing else" "$answered" "$(db_count reports)"
check "the log says it stopped" grep -q "event=stopped" "$WORK/serve.log"
check "no request was cut off by the drain" bash -c "! grep -q drain_timeout '$WORK/serve.log'"

# Its database deleted from under it, the daemon is not ready: the open
# file still takes writes, but nothing of them would survive a restart.
start_server
expect_eq "ready with its database" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")"
rm -f "$WORK/hotline.db"
for i in $(seq 1 60); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 503 ] && break
	sleep 0.1
done
expect_eq "not ready once it is gone" 503 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")"
stop_server TERM

finish
