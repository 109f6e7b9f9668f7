#!/usr/bin/env bash
# The intake benchmark behind `make bench` (a benchmark, not a test: it
# prints figures and asserts nothing). For each of RUNS runs it starts a
# fresh `hotline serve` on an empty database, loads a bare libmicrohttpd
# "200 ok" server, then the reference pipeline (tests/bench/
# reference_pipeline.c, on its own fresh database) and the daemon, in turn,
# with the same signed WhatsApp webhooks (tests/bench/loadgen.c); it stops
# each with SIGTERM and counts the stored reports. The reference and the
# daemon swap places every other run, so that neither always follows the
# other's disk writes. It prints each run (with hotline/reference, the
# ratio of durably stored reports/s), then the medians. Exits non-zero only
# when the daemon (or a tool) cannot be started. Everything is bounded in
# time and every process it started is stopped on exit.
#
# env: HOTLINE (the hotline binary), BENCH (dir with loadgen, bare_server,
#      reference_pipeline), RUNS=3 CONNECTIONS=64 THREADS=2 DURATION=10
#      WARMUP=1, BARE_ONLY=1 (skip the reference and the daemon), KEEP=1
#      (keep the temp dir).

set -u

HOTLINE=${HOTLINE:?set HOTLINE to the hotline binary}
BENCH=${BENCH:?set BENCH to the dir holding loadgen and bare_server}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-1}
BARE_ONLY=${BARE_ONLY:-0}
SECRET=0a1b2c3d4e5f60718293a4b5c6d7e8f9
HZ=$(getconf CLK_TCK)
# loadgen stops by itself after warm-up + duration + its 5 s drain; this is
# the outer bound in case it does not.
LG_LIMIT=$(awk -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%d", w + d + 30 }')

DIR=$(mktemp -d "${TMPDIR:-/tmp}/hotline-bench.XXXXXX") || exit 1
DAEMON_PID=
BARE_PID=
REF_PID=
LG_PID=

# stop PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL.
stop() {
	local pid=$1 limit=$2 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return; }
	for ((i = 0; i < limit * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	stop "$LG_PID" 5
	stop "$BARE_PID" 5
	stop "$REF_PID" 10
	stop "$DAEMON_PID" 10
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $DIR"
	else
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
	echo "bench: $*" >&2
	exit 1
}

for t in "$BENCH/loadgen" "$BENCH/bare_server"; do
	[ -x "$t" ] || die "$t is missing (make bench builds it)"
done
[ "$BARE_ONLY" = 1 ] || [ -x "$HOTLINE" ] || die "$HOTLINE is missing"
[ "$BARE_ONLY" = 1 ] || [ -x "$BENCH/reference_pipeline" ] ||
    die "$BENCH/reference_pipeline is missing (make bench builds it)"

# A free loopback port (a race with other programs is possible but rare; a
# daemon that cannot bind fails its readiness check).
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	s=${s##*) }
	awk '{ print $12 + $13 }' <<<"$s"
}

# thread_ticks PID: "name ticks" for each thread name of a process, the
# ticks of threads that share a name added up (the HTTP pool threads).
thread_ticks() {
	local t s
	for t in /proc/"$1"/task/*; do
		s=$(cat "$t/stat" 2>/dev/null) || continue
		printf '%s %s\n' "$(cat "$t/comm" 2>/dev/null)" \
		    "$(awk '{ print $12 + $13 }' <<<"${s##*) }")"
	done | awk '{ v[$1] += $2 } END { for (k in v) print k, v[k] }' | sort
}

# thread_split BEFORE AFTER N: server CPU per request of each thread name.
thread_split() {
	join -a 2 -e 0 -o 0,1.2,2.2 "$1" "$2" |
	    awk -v hz="$HZ" -v n="$3" '$3 > $2 {
		printf "      %-13s %.1f\n", $1, ($3 - $2) * 1e6 / hz / n }'
}

# val FILE KEY: the value of "KEY: value" in a loadgen output.
val() {
	awk -F': ' -v k="$2" '$1 == k { print $2; f = 1 } END { if (!f) print "" }' "$1"
}

# loadgen PORT OUT: one load run; the server's CPU use is measured by caller.
loadgen() {
	timeout -k 5 "$LG_LIMIT" "$BENCH/loadgen" --host 127.0.0.1 --port "$1" \
	    --path /webhook/whatsapp --secret "$SECRET" \
	    --connections "$CONNECTIONS" --threads "$THREADS" \
	    --duration "$DURATION" --warmup "$WARMUP" >"$2" 2>"$2.err" &
	LG_PID=$!
	# wait (unlike a foreground command) lets the signal traps run at once
	wait "$LG_PID"
	LG_PID=
}

# show OUT CPU_TICKS: print a figure block (indented).
show() {
	local out=$1 ticks=$2 n
	grep -E '^(requests|ok|non_2xx|errors|seconds|req_per_s|p50_ms|p99_ms|max_ms|status_[0-9]+):' \
	    "$out" | sed 's/^/    /'
	n=$(($(val "$out" total_ok) + $(val "$out" total_non_2xx)))
	if [ "$n" -gt 0 ]; then
		awk -v t="$ticks" -v hz="$HZ" -v n="$n" \
		    'BEGIN { printf "    server_cpu_us_per_req: %.1f\n", t * 1e6 / hz / n }'
	fi
	[ -s "$out.err" ] && sed 's/^/    loadgen: /' "$out.err"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

start_daemon() {
	local run=$1 port i
	mkdir -p "$DIR/run$run"
	port=$(free_port) || die "no free port"
	cat >"$DIR/run$run/bench.conf" <<EOF
[server]
listen = 127.0.0.1:$port
public_url = http://127.0.0.1:$port
database = $DIR/run$run/bench.db
city = Kota Kediri
report_prefix = KDR
flood_per_minute = 100000
# every connection comes from one address, as from a proxy
max_connections_per_ip = 0

[keys]
mayor_public = $MAYOR_PUB

[channel whatsapp]
provider = whatsapp_cloud
app_secret = $SECRET
verify_token = bench-verify-token
phone_number_id = 115522334455667
access_token = bench-access-token
api_base = http://127.0.0.1:9/v25.0

# Routing and alerts on: the OPD heads of the demo config are alerted on
# WhatsApp or SMS, through APIs that refuse connections (port 9), so the
# alerts wait in the outbox and are retried at the channels' rate, as
# when a provider is down.
[channel sms]
provider = android_sms_gateway
signing_key = bench-signing-key
api_base = http://127.0.0.1:9/3rdparty/v1
username = bench
password = bench-password

EOF
	# The categories, OPDs and kecamatan of Kota Kediri, as in the demo.
	sed -n '/^\[category /,$p' "$REPO/config/demo.conf" >>"$DIR/run$run/bench.conf"
	"$HOTLINE" serve --config "$DIR/run$run/bench.conf" \
	    2>"$DIR/run$run/serve.log" &
	DAEMON_PID=$!
	DAEMON_PORT=$port
	for ((i = 0; i < 100; i++)); do
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			break
		fi
		if curl -fsS -o /dev/null --max-time 1 \
		    "http://127.0.0.1:$port/readyz" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench: hotline serve did not become ready in 10 s; its log:" >&2
	tail -n 20 "$DIR/run$run/serve.log" >&2
	stop "$DAEMON_PID" 5
	DAEMON_PID=
	return 1
}

start_bare() {
	local i
	"$BENCH/bare_server" 0 >"$DIR/bare.port" 2>"$DIR/bare.log" &
	BARE_PID=$!
	for ((i = 0; i < 50; i++)); do
		BARE_PORT=$(awk '$1 == "port" { print $2 }' "$DIR/bare.port")
		[ -n "$BARE_PORT" ] && return 0
		kill -0 "$BARE_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$DIR/bare.log" >&2
	die "bare_server did not start"
}

# start_reference RUN: the reference pipeline on a fresh database, port 0
# (it prints the port it got).
start_reference() {
	local run=$1 i
	mkdir -p "$DIR/run$run"
	"$BENCH/reference_pipeline" 0 "$DIR/run$run/reference.db" "$SECRET" \
	    256 >"$DIR/run$run/reference.out" 2>"$DIR/run$run/reference.log" &
	REF_PID=$!
	for ((i = 0; i < 50; i++)); do
		REF_PORT=$(awk '$1 == "port" { print $2 }' \
		    "$DIR/run$run/reference.out")
		[ -n "$REF_PORT" ] && return 0
		kill -0 "$REF_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$DIR/run$run/reference.log" >&2
	die "reference_pipeline did not start"
}

# stored_rate OUT STORED DB: prints the 2xx answers of the whole run, the
# stored count against them and the durably stored reports/s of the
# measured window, which it also leaves in RATE.
stored_rate() {
	local out=$1 stored=$2 db=$3 ok total_ok unanswered secs durable verdict
	ok=$(val "$out" ok)
	total_ok=$(val "$out" total_ok)
	unanswered=$(val "$out" unanswered)
	secs=$(val "$out" seconds)
	echo "    2xx answers, whole run (warm-up + window + drain): $total_ok"
	if ! [[ "$stored" =~ ^[0-9]+$ ]]; then
		echo "    stored reports: n/a (cannot read $db)"
		durable=0
	else
		if [ "$stored" -eq "$total_ok" ]; then
			verdict="equal to the 2xx answers"
		elif [ "$stored" -gt "$total_ok" ] &&
		    [ "$stored" -le $((total_ok + unanswered)) ]; then
			verdict="2xx answers + $((stored - total_ok)) of $unanswered unanswered requests"
		elif [ "$stored" -lt "$total_ok" ]; then
			verdict="NOT EQUAL: $((total_ok - stored)) reports answered 2xx are MISSING"
		else
			verdict="NOT EQUAL: $((stored - total_ok - unanswered)) more than requests answered or sent"
		fi
		echo "    stored reports: $stored ($verdict)"
		# Reports of the measured window that are durably stored: every
		# 2xx of the window, unless some 2xx are missing from the store.
		durable=$ok
		if [ "$stored" -lt "$total_ok" ]; then
			durable=$((ok - (total_ok - stored)))
			[ "$durable" -ge 0 ] || durable=0
		fi
	fi
	RATE=$(awk -v n="$durable" -v s="$secs" \
	    'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
	echo "    durably stored reports/s: $RATE"
}

# run_reference RUN: load the reference pipeline, stop it, count its rows.
run_reference() {
	local run=$1 out=$DIR/run$1.reference c0 c1 n alive stored
	start_reference "$run"
	c0=$(cpu_ticks "$REF_PID")
	thread_ticks "$REF_PID" >"$out.threads0"
	loadgen "$REF_PORT" "$out"
	c1=$(cpu_ticks "$REF_PID")
	thread_ticks "$REF_PID" >"$out.threads1"
	alive=yes
	kill -0 "$REF_PID" 2>/dev/null || alive=no
	stop "$REF_PID" 30
	REF_PID=
	echo "  reference pipeline (amortised X25519, group commit, WAL FULL)"
	show "$out" $((c1 - c0))
	n=$(($(val "$out" total_ok) + $(val "$out" total_non_2xx)))
	if [ "$n" -gt 0 ]; then
		echo "    server_cpu_us_per_req by thread:"
		thread_split "$out.threads0" "$out.threads1" "$n"
	fi
	[ "$alive" = yes ] || echo "    REFERENCE DIED during the run (log: run$run/reference.log)"
	[ -s "$DIR/run$run/reference.log" ] &&
	    sed 's/^/    reference: /' "$DIR/run$run/reference.log"
	# its own figures, printed when it stopped
	awk -F': ' '{ v[$1] = $2 } END { if ("rows_in_db" in v)
		printf "    its own count at exit: %s rows in %s commits (%s rows on average, max %s), %s fsyncs a commit\n" \
		    "    its us a report (wall time, under load): verify %s, parse %s, encrypt %s\n",
		    v["rows_in_db"], v["commits"], v["avg_batch"], v["max_batch"],
		    v["fsyncs_per_commit"], v["verify_us"], v["parse_us"], v["seal_us"] }' \
	    "$DIR/run$run/reference.out"
	stored=$(timeout 30 sqlite3 "$DIR/run$run/reference.db" \
	    'select count(*) from reports' 2>/dev/null)
	stored_rate "$out" "$stored" "$DIR/run$run/reference.db"
	echo "$RATE" >>"$DIR/reference.durable"
	val "$out" req_per_s >>"$DIR/reference.rps"
	val "$out" p99_ms >>"$DIR/reference.p99"
	REF_RATE=$RATE
	REF_P99=$(val "$out" p99_ms)
}

if [ "$BARE_ONLY" != 1 ]; then
	printf 'bench passphrase\n' >"$DIR/pass"
	chmod 600 "$DIR/pass"
	timeout 120 "$HOTLINE" keygen --out "$DIR/keys" \
	    --passphrase-file "$DIR/pass" >"$DIR/keygen.log" 2>&1 ||
	    { cat "$DIR/keygen.log" >&2; die "hotline keygen failed"; }
	MAYOR_PUB=$(sed -n '/[^[:space:]]/{p;q}' "$DIR/keys/mayor.pub")
	[ -n "$MAYOR_PUB" ] || die "empty $DIR/keys/mayor.pub"
fi

echo "hotline intake benchmark: $RUNS runs, $CONNECTIONS connections," \
    "$THREADS loadgen threads, ${WARMUP}s warm-up + ${DURATION}s measured," \
    "$(nproc) cores, loopback"

# run_hotline RUN: load the daemon, stop it, count its reports.
run_hotline() {
	local run=$1 out=$DIR/run$1.hotline c0 c1 n alive t0 t1 rc stored
	c0=$(cpu_ticks "$DAEMON_PID")
	thread_ticks "$DAEMON_PID" >"$out.threads0"
	loadgen "$DAEMON_PORT" "$out"
	c1=$(cpu_ticks "$DAEMON_PID")
	thread_ticks "$DAEMON_PID" >"$out.threads1"
	alive=yes
	kill -0 "$DAEMON_PID" 2>/dev/null || alive=no
	t0=$(date +%s.%N)
	stop "$DAEMON_PID" 30
	rc=$?
	t1=$(date +%s.%N)
	DAEMON_PID=
	echo "  hotline intake (sealed + committed)"
	show "$out" $((c1 - c0))
	n=$(($(val "$out" total_ok) + $(val "$out" total_non_2xx)))
	if [ "$n" -gt 0 ]; then
		echo "    server_cpu_us_per_req by thread:"
		thread_split "$out.threads0" "$out.threads1" "$n"
	fi
	[ "$alive" = yes ] || echo "    DAEMON DIED during the run (log: serve.log)"
	awk -v a="$t0" -v b="$t1" -v rc="$rc" \
	    'BEGIN { printf "    sigterm: exit %d after %.2f s\n", rc, b - a }'

	stored=$(timeout 30 sqlite3 "$DIR/run$run/bench.db" \
	    'select count(*) from reports' 2>/dev/null)
	stored_rate "$out" "$stored" "$DIR/run$run/bench.db"
	echo "$RATE" >>"$DIR/durable.rps"
	val "$out" req_per_s >>"$DIR/hotline.rps"
	val "$out" p99_ms >>"$DIR/hotline.p99"
	HL_RATE=$RATE
	HL_P99=$(val "$out" p99_ms)
}

# ratio A B: A / B with two decimals, "n/a" when B is not positive.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b + 0 > 0) printf "%.2f\n", a / b; else print "n/a" }'
}

for ((run = 1; run <= RUNS; run++)); do
	echo
	echo "== run $run/$RUNS"
	if [ "$BARE_ONLY" != 1 ]; then
		start_daemon "$run" || exit 1
	fi

	start_bare
	c0=$(cpu_ticks "$BARE_PID")
	loadgen "$BARE_PORT" "$DIR/run$run.bare"
	c1=$(cpu_ticks "$BARE_PID")
	stop "$BARE_PID" 5
	BARE_PID=
	echo "  bare libmicrohttpd"
	show "$DIR/run$run.bare" $((c1 - c0))
	val "$DIR/run$run.bare" req_per_s >>"$DIR/bare.rps"
	val "$DIR/run$run.bare" p99_ms >>"$DIR/bare.p99"

	[ "$BARE_ONLY" = 1 ] && continue

	# The reference goes first in odd runs, the daemon in even ones.
	if ((run % 2)); then
		run_reference "$run"
		run_hotline "$run"
	else
		run_hotline "$run"
		run_reference "$run"
	fi
	r=$(ratio "$HL_RATE" "$REF_RATE")
	[ "$r" = n/a ] || echo "$r" >>"$DIR/ratio"
	echo "  run $run: bare $(val "$DIR/run$run.bare" req_per_s) req/s" \
	    "p99 $(val "$DIR/run$run.bare" p99_ms) ms |" \
	    "reference $REF_RATE reports/s p99 $REF_P99 ms |" \
	    "hotline $HL_RATE reports/s p99 $HL_P99 ms"
	echo "  run $run: hotline/reference = $r"
done

echo
echo "== median of $RUNS runs"
printf '  %-38s req/s %s  p99_ms %s\n' "bare libmicrohttpd" \
    "$(median <"$DIR/bare.rps")" "$(median <"$DIR/bare.p99")"
if [ "$BARE_ONLY" != 1 ]; then
	printf '  %-38s req/s %s  p99_ms %s  durably stored reports/s %s\n' \
	    "reference pipeline (amortised X25519)" \
	    "$(median <"$DIR/reference.rps")" "$(median <"$DIR/reference.p99")" \
	    "$(median <"$DIR/reference.durable")"
	printf '  %-38s req/s %s  p99_ms %s  durably stored reports/s %s\n' \
	    "hotline intake (sealed + committed)" \
	    "$(median <"$DIR/hotline.rps")" "$(median <"$DIR/hotline.p99")" \
	    "$(median <"$DIR/durable.rps")"
	r=n/a
	[ -s "$DIR/ratio" ] &&
	    r=$(median <"$DIR/ratio" | awk '{ printf "%.2f", $1 }')
	echo "  hotline/reference = $r" \
	    "(median of the per-run ratios of durably stored reports/s;" \
	    "ratio of the medians $(ratio "$(median <"$DIR/durable.rps")" \
	    "$(median <"$DIR/reference.durable")"))"
	hp99=$(median <"$DIR/hotline.p99")
	met=$(awk -v r="$r" -v p="$hp99" -v c="$CONNECTIONS" 'BEGIN {
		if (r !~ /^[0-9.]+$/ || p !~ /^[0-9.]+$/) { print "n/a"; exit }
		if (c != 64) { print "n/a (the p99 target is for 64 connections)"; exit }
		print (r >= 0.5 && p < 25 ? "met" : "not met") }')
	echo "  target: hotline/reference >= 0.50 and hotline p99 < 25 ms" \
	    "at 64 connections: $met"
fi

# The dispatcher against the fake provider API: messages sent a second.
if [ -x "$BENCH/dispatch_bench" ] && [ -x "$BENCH/../fake_provider" ]; then
	echo
	echo "== dispatcher, 4000 messages to the fake WhatsApp API"
	"$BENCH/../fake_provider" --port 0 --log "$DIR/fake.log" >"$DIR/fake.out" &
	fake=$!
	for _ in $(seq 1 100); do
		fport=$(sed -n 's/^port \([0-9]*\)/\1/p' "$DIR/fake.out")
		[ -n "$fport" ] && break
		sleep 0.05
	done
	timeout 150 "$BENCH/dispatch_bench" "$fport" 4000 | sed 's/^/  /'
	kill "$fake" 2>/dev/null
	wait "$fake" 2>/dev/null
fi
exit 0
