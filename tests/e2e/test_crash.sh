#!/bin/bash
# What a citizen was told is never lost.
# - Under a steady stream of webhooks (50 a second for 8 s, each from its
#   own sender) acknowledgements flow while the stream goes on: receipts
#   are hashed at the latest half a second after they begin to wait, not
#   only once intake falls quiet.  The figures (time from the webhook to
#   the acknowledgement reaching the provider) are printed.
# - kill -9 right after a burst of 30 reports was answered: after the
#   restart every one of those reporters gets the acknowledgement with a
#   receipt that works for CEK (the receipts waited sealed under the key of
#   the runtime directory, which outlives the process).
# - A second `hotline serve` on the same database refuses to start and
#   touches nothing.
# - SIGHUP serves the config read again (a new template) without losing
#   what was queued; a broken config is refused and nothing changes.
# Afterwards no number, receipt or provider id is in the database, its WAL
# or the log.
. "$(dirname "$0")/lib.sh"
start_fake_provider
HEADS=0 make_config
start_server

# stream RATE SECONDS PREFIX: RATE signed WhatsApp webhooks a second for
# SECONDS, each from PREFIX + a running number; then waits until every
# sender's acknowledgement reached the fake provider (60 s at most) and
# prints: sent, acknowledged, acknowledged while the stream went on, and
# the median, p95 and largest delay in seconds.
stream() {
	python3 - "$PORT" "$1" "$2" "$3" "$WORK/fake.log" <<'PY'
import hashlib, hmac, http.client, json, sys, threading, time
port, rate, seconds, prefix, log = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
secret = b"0a1b2c3d4e5f60718293a4b5c6d7e8f9"
texts = ["petugas parkir di pasar bandar minta 5rb tanpa karcis",
         "pungli di kantor kelurahan Setono Gedong, bayar 50rb buat surat pengantar",
         "calo KTP di dukcapil minta 300rb biar cepat jadi"]
sent_at, status = {}, {}
def post(i):
    num = "%s%04d" % (prefix, i)
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "115522334455667"},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": num}],
        "messages": [{"from": num, "id": "wamid.STREAM.%s.%d" % (prefix, i), "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": texts[i % len(texts)]}}]}}]}]}).encode()
    sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent_at[num] = time.time()
    c.request("POST", "/webhook/whatsapp", body, {"Content-Type": "application/json", "X-Hub-Signature-256": sig})
    status[num] = c.getresponse().status
    c.close()
acked, done = {}, []
def watch():
    # when each sender's acknowledgement reached the fake provider
    pos, last = 0, time.time() + 600
    while not done and time.time() < last:
        with open(log) as f:
            f.seek(pos)
            for line in f:
                if '"api":"whatsapp"' not in line:
                    continue
                i = line.find('\\"to\\":\\"')
                if i >= 0:
                    num = line[i + 9:].split('\\"', 1)[0]
                    if num in sent_at and num not in acked:
                        acked[num] = time.time()
            pos = f.tell()
        time.sleep(0.05)
watcher = threading.Thread(target=watch)
watcher.start()
threads, start, n = [], time.time(), int(rate * seconds)
for i in range(n):
    while time.time() < start + i / rate:
        time.sleep(0.002)
    t = threading.Thread(target=post, args=(i,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
stream_end = time.time()
deadline = time.time() + 60
while len(acked) < n and time.time() < deadline:
    time.sleep(0.1)
done.append(1)
watcher.join()
delays = sorted(acked[k] - sent_at[k] for k in acked)
during = sum(1 for k in acked if acked[k] <= stream_end)
ok = sum(1 for s in status.values() if s == 200)
def pct(p):
    return delays[min(len(delays) - 1, int(p * len(delays)))] if delays else -1
print(ok, len(acked), during, "%.2f %.2f %.2f" % (pct(0.5), pct(0.95), delays[-1] if delays else -1))
PY
}

# 1. A steady stream.
read -r sent acked during p50 p95 worst < <(stream 50 8 6281277)
expect_eq "400 webhooks of a steady stream answered 200" 400 "$sent"
expect_eq "every one of them acknowledged" 400 "$acked"
check "most acknowledgements went out while the stream went on ($during)" test "${during:-0}" -ge 300
echo "# acknowledgement delay under 50 reports/s: median ${p50} s, p95 ${p95} s, largest ${worst} s"
EXTRA_SECRETS=(wamid.STREAM wamid.FAKE)
for i in $(seq 0 399); do EXTRA_SECRETS+=("$(printf '6281277%04d' "$i")"); done

# 2. kill -9 right after a burst.
read -r burst _ < <(python3 - "$PORT" <<'PY'
import hashlib, hmac, http.client, json, sys, threading, time
port = int(sys.argv[1])
secret = b"0a1b2c3d4e5f60718293a4b5c6d7e8f9"
ok = []
def post(i):
    num = "6281288%04d" % i
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "115522334455667"},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": num}],
        "messages": [{"from": num, "id": "wamid.BURST.%d" % i, "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": "pungli di kelurahan Bandar Lor, diminta 50rb, laporan %d" % i}}]}}]}]}).encode()
    sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/webhook/whatsapp", body, {"Content-Type": "application/json", "X-Hub-Signature-256": sig})
    if c.getresponse().status == 200:
        ok.append(i)
ts = [threading.Thread(target=post, args=(i,)) for i in range(30)]
for t in ts: t.start()
for t in ts: t.join()
print(len(ok))
PY
)
stop_server KILL
EXTRA_SECRETS+=(wamid.BURST)
for i in $(seq 0 29); do EXTRA_SECRETS+=("$(printf '6281288%04d' "$i")"); done
expect_eq "a burst of 30 answered 200 before the kill" 30 "$burst"
start_server
check "the restart says the waiting receipts are taken up" grep -q "event=receipts_resumed" "$WORK/serve.log"
for i in $(seq 0 29); do
	n=$(printf '6281288%04d' "$i")
	wa_wait_sent "$n" 1 || break
done
missing=0
for i in $(seq 0 29); do
	[ -n "$(wa_sent_to "$(printf '6281288%04d' "$i")" | head -1)" ] || missing=$((missing + 1))
done
expect_eq "after the restart every reporter of the burst is acknowledged" 0 "$missing"
receipts=$(for i in 0 13 29; do wa_sent_to "$(printf '6281288%04d' "$i")" | head -1 |
	grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' | head -1; done)
expect_eq "with its receipt" 3 "$(grep -c . <<<"$receipts")"
for r in $receipts; do EXTRA_SECRETS+=("$r" "${r//-/}"); done
k=0
for r in $receipts; do
	k=$((k + 1))
	answer=$("$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
		--channel twilio_sms --from "08129990000$k" "CEK $r" 2>/dev/null)
	EXTRA_SECRETS+=("628129990000$k" "8129990000$k")
	check "receipt $k works for CEK after the crash" grep -q "Status: diteruskan ke OPD" <<<"$answer"
done

# 3. A second daemon on the same database.
before=$(db_dump)
"$HOTLINE" serve --config "$WORK/hotline.conf" >/dev/null 2>"$WORK/second.err"
expect_eq "a second hotline serve on the same database exits 1" 1 $?
check "saying why" grep -q "another hotline serve is running" "$WORK/second.err"
expect_eq "and touches nothing" "$before" "$(db_dump)"
check "the first one still answers" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200

# 4. SIGHUP: the config read again and served (a template, a head's
# number), nothing queued lost; a broken config is refused and the daemon
# goes on as it was.
control $'500\n500\n500\n500\n500\n500'
"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
	--channel whatsapp --from 081299980001 "pungli di kelurahan Bangsal, diminta 20rb" >/dev/null 2>&1
EXTRA_SECRETS+=(6281299980001 81299980001)
for i in $(seq 1 100); do
	[ "$(sqlite3 "$WORK/hotline.db" "select count(*) from outbox where kind = 'ack' and status = 'failed'")" -ge 1 ] && break
	sleep 0.05
done
printf '[templates]\nwelcome = Halo, ini hotline {city} yang baru. Ceritakan apa yang terjadi.\n' >>"$WORK/hotline.conf"
kill -HUP "$SERVER_PID"
control $'clear'
wait_listening
check "SIGHUP restarts cleanly" grep -q "event=reloading" "$WORK/serve.log"
check "the same process serves on" kill -0 "$SERVER_PID"
check "the acknowledgement that waited through it is sent" wa_wait_sent 6281299980001 1
"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
	--channel whatsapp --from 081299980002 "Assalamualaikum" >/dev/null 2>&1
EXTRA_SECRETS+=(6281299980002 81299980002)
check "the new template is used" wa_wait_sent 6281299980002 1
check "word for word" grep -q "ini hotline Kota Kediri yang baru" <<<"$(wa_sent_to 6281299980002)"
cp "$WORK/hotline.conf" "$WORK/good.conf"
printf 'nonsense = yes\n' >>"$WORK/hotline.conf"
kill -HUP "$SERVER_PID"
for i in $(seq 1 100); do grep -q "event=reload_refused" "$WORK/serve.log" && break; sleep 0.05; done
check "a broken config is refused" grep -q "event=reload_refused" "$WORK/serve.log"
check "and the daemon goes on" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200
cp "$WORK/good.conf" "$WORK/hotline.conf"

stop_server TERM
check "no number, receipt or provider id in the database, WAL or log" \
	grep_secrets "$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"

finish
