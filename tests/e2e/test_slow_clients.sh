#!/bin/bash
# Webhooks are answered whatever else comes in.
# - Slow clients: 1,100 connections from one address (127.0.0.2) that send
#   a request's start and then trickle or say nothing.  The daemon takes at
#   most max_connections_per_ip of them (64), closes each once read_timeout
#   has passed without a whole request, and meanwhile answers webhooks from
#   another address (127.0.0.1) within a second.
# - A login storm: 24 wrong passwords from 8 addresses at once, each an
#   Argon2id on the web views' own thread, while webhooks keep being
#   answered within a second.
# - Behind a trusted proxy, login limits are per client (X-Forwarded-For)
#   and per account, with growing delays; successes are not counted.
. "$(dirname "$0")/lib.sh"

HEADS=0 make_config
sed -i '/^\[server\]/a read_timeout = 2' "$WORK/hotline.conf"
start_server
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# 1,100 slow connections, fewer where the descriptors do not allow them
SLOW=1100
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 1300 ] && SLOW=$(( $(ulimit -n) - 200 ))

# slow_clients N SECONDS: open N connections from 127.0.0.2, each sending
# the start of a webhook and then a byte every half second; write "ready"
# to $WORK/slow.ready once they are open, and after SECONDS to
# $WORK/slow.out how many the daemon closed at once (over the limit),
# closed later (timed out) and left open.
slow_clients() {
	python3 - "$PORT" "$1" "$2" "$WORK/slow.ready" "$WORK/slow.out" <<'PY'
import socket, sys, time
port, n, hold, ready, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
head = (b"POST /webhook/whatsapp HTTP/1.1\r\nHost: hotline\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
socks = []
for i in range(n):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(head)
        socks.append(s)
    except OSError:
        s.close()
open(ready, "w").write("ready\n")
start = time.time()
closed = {}
end = start + hold
while time.time() < end:
    for s in socks:
        if s in closed:
            continue
        try:
            s.setblocking(False)
            if s.recv(1) == b"":
                closed[s] = time.time() - start
                continue
        except BlockingIOError:
            pass
        except OSError:
            closed[s] = time.time() - start
            continue
        try:
            s.send(b" ")
        except OSError:
            closed[s] = time.time() - start
    time.sleep(0.5)
at_once = sum(1 for t in closed.values() if t < 1.5)
later = len(closed) - at_once
open(out, "w").write("%d %d %d\n" % (at_once, later, len(socks) - len(closed)))
PY
}

slow_clients "$SLOW" 6 &
slow=$!
for i in $(seq 1 200); do [ -s "$WORK/slow.ready" ] && break; sleep 0.05; done
check "the slow clients are connected" test -s "$WORK/slow.ready"
for i in 1 2 3; do
	t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -X POST \
		-H 'Content-Type: application/json' \
		-H "X-Hub-Signature-256: $(hub_signature "$FIX/whatsapp_text.json")" \
		--data-binary "@$FIX/whatsapp_text.json" "http://127.0.0.1:$PORT/webhook/whatsapp")
	expect_eq "webhook $i from another address is answered" 200 "${t% *}"
	check "within a second (${t#* } s)" awk -v s="${t#* }" 'BEGIN { exit !(s < 1) }'
	sleep 1
done
wait "$slow"
read -r at_once later open <"$WORK/slow.out"
check "from one address at most 64 are served: the rest closed at once ($at_once)" \
	test "${at_once:-0}" -ge $((SLOW - 100))
check "the ones served were closed once read_timeout passed ($later)" \
	test "${later:-0}" -ge 1 -a "${later:-99}" -le 64
expect_eq "none is left open" 0 "${open:-x}"
check "the log says why, without an address" grep -q "event=slow_request seconds=2" "$WORK/serve.log"
expect_eq "the webhook from the other address was stored" 1 "$(db_count reports)"
# A login storm beside webhooks.
printf 'kata sandi kepala dinas 2026\n' >"$WORK/pw" && chmod 600 "$WORK/pw"
"$HOTLINE" user add --config "$WORK/hotline.conf" --role opd --opd dishub \
	--password-file "$WORK/pw" kadis_dishub >/dev/null 2>&1
login() { # login ADDRESS NAME: one wrong password, as a browser sends it
	local jar="$WORK/jar.$1.$RANDOM" token
	token=$(curl -s --interface "$1" -c "$jar" "http://127.0.0.1:$PORT/login" |
		sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null --interface "$1" -b "$jar" -X POST \
		--data-urlencode "csrf=$token" --data-urlencode "username=$2" \
		--data-urlencode "password=salah $RANDOM" "http://127.0.0.1:$PORT/login"
}
logins=()
for a in 10 11 12 13 14 15 16 17; do
	for k in 1 2 3; do
		login "127.0.0.$a" "tamu_${a}_$k" &
		logins+=($!)
	done
done
slowest=0
for i in $(seq 1 15); do
	t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -X POST \
		-H 'Content-Type: application/json' \
		-H "X-Hub-Signature-256: $(hub_signature "$FIX/whatsapp_text.json")" \
		--data-binary "@$FIX/whatsapp_text.json" "http://127.0.0.1:$PORT/webhook/whatsapp")
	[ "${t% *}" = 200 ] || slowest=99
	slowest=$(awk -v a="$slowest" -v b="${t#* }" 'BEGIN { print (b > a ? b : a) }')
	sleep 0.1
done
wait "${logins[@]}"
check "during the storm the slowest webhook took under a second ($slowest s)" \
	awk -v s="$slowest" 'BEGIN { exit !(s < 1) }'
check "every wrong password was checked and refused" \
	test "$("$HOTLINE" audit --config "$WORK/hotline.conf" | grep -c '"action":"login_failed"')" -ge 20
# Behind the city's reverse proxy (trusted_proxy = 127.0.0.1), the client
# is the address its X-Forwarded-For names: one client's wrong passwords
# slow that client, never the rest of the staff; a success is not counted.
sed -i '/^\[server\]/a trusted_proxy = 127.0.0.1' "$WORK/hotline.conf"
stop_server TERM
start_server
login_as() { # login_as CLIENT NAME PASSWORD: the status of one login via the proxy
	local jar="$WORK/jar.x.$RANDOM" token
	token=$(curl -s -H "X-Forwarded-For: $1" -c "$jar" "http://127.0.0.1:$PORT/login" |
		sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 10.9.8.7, $1" -b "$jar" -X POST \
		--data-urlencode "csrf=$token" --data-urlencode "username=$2" \
		--data-urlencode "password=$3" "http://127.0.0.1:$PORT/login"
}
codes=""
for i in $(seq 1 10); do codes="$codes $(login_as 203.0.113.7 tamu "salah $i")"; done
expect_eq "a client's first five wrong passwords are each checked" " 401 401 401 401 401" "${codes:0:20}"
check "then it is slowed down ($codes)" grep -q 429 <<<"${codes:20}"
expect_eq "another client behind the same proxy logs in" 303 \
	"$(login_as 198.51.100.9 kadis_dishub "$(cat "$WORK/pw")")"
for i in 1 2 3 4 5 6 7 8 9 10; do login_as 198.51.100.9 kadis_dishub "$(cat "$WORK/pw")" >/dev/null; done
expect_eq "successes are never counted" 303 \
	"$(login_as 198.51.100.9 kadis_dishub "$(cat "$WORK/pw")")"
stop_server TERM
expect_eq "SIGTERM exits 0" 0 $?

finish
