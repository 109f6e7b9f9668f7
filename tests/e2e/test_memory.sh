#!/bin/bash
# No copy of a reporter's number stays in the daemon's memory once the
# request that carried it has ended: webhooks of all four providers (a
# report each, whose acknowledgement goes out through the fake provider
# API or inline), then a scan of the live process's heap and anonymous
# mappings (/proc/PID/mem, as root: the process is not dumpable) for every
# form of each number.  Found copies are named with their surroundings.
. "$(dirname "$0")/lib.sh"
start_fake_provider

HEADS=0 make_config
start_server
NUMBERS=(081234567455:whatsapp 081234567466:twilio_sms 081234567477:smssync 081234567488:sms)
for i in 1 2 3; do
	for n in "${NUMBERS[@]}"; do
		"$HOTLINE" simulate --config "$WORK/hotline.conf" --url "http://127.0.0.1:$PORT" \
			--channel "${n#*:}" --from "${n%%:*}" \
			"petugas minta uang 50rb di kelurahan bandar lor, laporan ke-$i" >/dev/null 2>&1
	done
done
check "the acknowledgements are sent and the receipts hashed" settle
expect_eq "twelve reports" 12 "$(db_count reports)"

# dump_memory FILE: the process's writable private mappings, one file.
dump_memory() {
	local range start end
	: >"$1"
	while read -r range perms _ _ _ name; do
		[[ $perms == rw* ]] || continue
		[ -z "$name" ] || [[ $name == \[heap\] ]] || [[ $name == \[stack* ]] || continue
		start=$((16#${range%-*}))
		end=$((16#${range#*-}))
		# reservations of a gigabyte or more are a sanitizer's shadow
		[ $((end - start)) -lt $((1 << 30)) ] || continue
		dd if="/proc/$SERVER_PID/mem" bs=4096 skip=$((start / 4096)) \
			count=$(((end - start) / 4096)) status=none >>"$1" 2>/dev/null
	done <"/proc/$SERVER_PID/maps"
}
dump_memory "$WORK/memory"
check "the process's memory could be read" test -s "$WORK/memory"
for n in "${NUMBERS[@]}"; do
	local_number=${n%%:*}
	for form in "62${local_number#0}" "${local_number#0}"; do
		found=$(grep -a -o -F -- "$form" "$WORK/memory" | wc -l)
		expect_eq "no copy of $form in memory (${n#*:})" 0 "$found"
		[ "$found" = 0 ] || grep -a -o -E ".{0,80}$form.{0,40}" "$WORK/memory" | head -3 | cat -v
	done
done
rm -f "$WORK/memory"
finish
