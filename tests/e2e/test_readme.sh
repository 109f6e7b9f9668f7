#!/bin/bash
# The README's walkthrough, command for command, in a fresh copy of the
# tree: every "$ " line of its shell blocks under "A report in and out, on
# one machine" (continuation lines joined) runs in the copy, with the code
# and the receipt the first report got in place of the README's; `make run`
# and `make demo-web` are stood in for by the serve command each ends in
# (their build and install steps are make check's own).  What each step
# must show is checked, so a README that drifts from the program fails.
. "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
copy="$WORK/copy"

mkdir -p "$copy/build"
(cd "$root" && git ls-files -co --exclude-standard | grep -v '^build/' |
	tar -cf - -T - | tar -xf - -C "$copy")
cp "$HOTLINE" "$copy/build/hotline"

# The walkthrough's commands: "$ " lines of its section, joined.
sed -n '/^### A report in and out, on one machine/,/^## /p' "$root/README.md" |
	awk '/^\$ /{cmd=substr($0,3); while (cmd ~ /\\$/) {getline; cmd=substr(cmd,1,length(cmd)-1) $0}; print cmd}' \
		>"$WORK/commands"
check "the README has a walkthrough" test -s "$WORK/commands"
code_readme=$(grep -o 'KDR-[A-Z0-9]\{6\}' "$WORK/commands" | head -1)
receipt_readme=$(grep -o 'CEK [0-9]\{4\} [0-9]\{4\} [0-9]\{4\} [0-9]\{4\}' "$WORK/commands" | head -1 | cut -c5-)

serve() { # serve CONFIG: what make run (or demo-web) ends in
	(cd "$copy" && mkdir -p build/demo &&
		exec build/hotline serve --config "$1") >"$WORK/serve.log" 2>&1 &
	SERVER_PID=$!
	for i in $(seq 1 100); do
		curl -s -o /dev/null "http://127.0.0.1:8080/ready" && return 0
		sleep 0.1
	done
	return 1
}
run_step() { # run_step N COMMAND: in the copy, output in step-N
	(cd "$copy" && bash -c "$2") >"$WORK/step-$1" 2>&1
}

check "make run's server starts on 127.0.0.1:8080" serve config/demo.conf
code="" receipt="" n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	case "$cmd" in
	make\ run*) continue ;;
	make\ demo-web*)
		kill "$SERVER_PID" && wait "$SERVER_PID"
		(cd "$copy" && make -s demo-web-config) >"$WORK/step-$n" 2>&1
		expect_eq "make demo-web prepares its config ($cmd)" 0 $?
		check "and its server starts" serve build/demo/web.conf
		continue
		;;
	esac
	[ -n "$code" ] && cmd=${cmd//$code_readme/$code}
	[ -n "$receipt" ] && cmd=${cmd//$receipt_readme/$receipt}
	run_step "$n" "$cmd"
	expect_eq "step $n runs: $cmd" 0 $?
	if [ -z "$receipt" ]; then
		receipt=$(grep -o 'CEK [0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' "$WORK/step-$n" | head -1 | cut -c5- | tr - ' ')
		code=$(grep -o 'KDR-[A-Z0-9]\{6\}' "$WORK/step-$n" | head -1)
	fi
	cp "$WORK/step-$n" "$WORK/last"
	case "$cmd" in
	*simulate*CEK*) check "CEK answers with the report's status" grep -q "Laporan $code .*ditangani" "$WORK/last" ;;
	*simulate*) check "the report is acknowledged with its code and receipt" grep -q "laporan Anda diterima dengan nomor $code" "$WORK/last" ;;
	*"reports --config"*) check "reports lists it" grep -q "\"code\":\"$code\"" "$WORK/last" ;;
	*unseal*) check "unseal opens the sender" grep -q '"sender":"+6281234567890"' "$WORK/last" ;;
	*"audit --config"*) check "the audit names the unseal and its result" bash -c \
		"grep -q '\"action\":\"unseal\",\"report\":\"$code\"' '$WORK/last' && grep -q '\"reason\":\"opened\"' '$WORK/last'" ;;
	esac
done <"$WORK/commands"
check "the first report's receipt was read ($receipt)" test -n "$receipt"

# The web step: the accounts the README names log in.
for who in walikota kadis_capil; do
	pw=$(grep -o "password of $who: [^)]*" "$root/README.md" | head -1 | cut -d' ' -f4-)
	token=$(curl -s -c "$WORK/$who.jar" -b "$WORK/$who.jar" "http://127.0.0.1:8080/login" |
		grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
	status=$(curl -s -o /dev/null -w '%{http_code}' -c "$WORK/$who.jar" -b "$WORK/$who.jar" \
		--data-urlencode "username=$who" --data-urlencode "password=$pw" --data-urlencode "csrf=$token" \
		"http://127.0.0.1:8080/login")
	expect_eq "$who logs in with the README's password" 303 "$status"
done
kill "$SERVER_PID" && wait "$SERVER_PID"
check "the tracked config was not edited" bash -c "cd '$root' && git diff --quiet -- config/demo.conf"
finish
