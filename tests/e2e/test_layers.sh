#!/bin/bash
# The lint of tests/lint/, shown to bite: layers.sh fails, naming the file
# and line, on a tree whose queue/ includes gateway/server.h, and on each
# other include its table forbids, and passes the includes it allows;
# banned.sh fails on a strcpy, and not on one in a comment or a string,
# nor on snprintf.  Then both pass on this repository.  No daemon.
. "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
layers="$root/tests/lint/layers.sh"
banned="$root/tests/lint/banned.sh"

# tree NAME FILE LINE...: a throwaway tree $WORK/NAME holding FILE.
tree() {
	local dir="$WORK/$1" file="$2"
	shift 2
	mkdir -p "$dir/$(dirname "$file")"
	printf '%s\n' "$@" >"$dir/$file"
}

# --- a queue/ file that includes the gateway -------------------------------
tree bad queue/x.c '/* x: reaches up a layer */' '#include <stdio.h>' \
	'#include "gateway/server.h"'
out=$(bash "$layers" "$WORK/bad" 2>&1)
expect_eq "layers: queue/ including gateway/ fails" 1 $?
check "layers: the file and line are named" grep -q '^queue/x.c:3: ' <<<"$out"

# --- the table, an include at a time ---------------------------------------
# FILE INCLUDE EXPECTED-STATUS
n=0
while read -r file inc want; do
	tree "case$((++n))" "$file" "#include \"$inc\""
	bash "$layers" "$WORK/case$n" >/dev/null 2>&1
	expect_eq "layers: $file including $inc exits $want" "$want" $?
done <<'CASES'
lib/a.c          lib/b.h           0
lib/a.c          config/config.h   1
lib/a.h          a_sibling.h       0
config/a.c       lib/log.h         0
config/a.c       adapters/phone.h  1
config/a.c       queue/deadline.h  1
adapters/a.c     config/config.h   0
adapters/a.c     queue/store.h     1
queue/a.c        adapters/send.h   0
queue/a.c        web/html.h        1
web/a.c          queue/store.h     0
web/a.c          gateway/web.h     1
gateway/a.c      web/html.h        0
gateway/a.c      tests/fixtures.h  0
CASES
check "layers: a missing ROOT is an error" \
	test "$(bash "$layers" "$WORK/nothing" >/dev/null 2>&1; echo $?)" = 2

# --- banned functions -------------------------------------------------------
tree banned adapters/y.c '/* strcpy in a comment is fine */' \
	'static void f(char *d, char *b) { snprintf(d, 4, "strcat(%s)", b); }' \
	'static void g(char *d) { strcpy(d, "x"); }'
out=$(bash "$banned" "$WORK/banned" 2>&1)
expect_eq "banned: a strcpy fails" 1 $?
expect_eq "banned: only it is named, with its line" "adapters/y.c:3: strcpy" "$out"

# --- this repository ----------------------------------------------------------
out=$(bash "$layers" "$root" 2>&1)
expect_eq "layers: the repository passes" 0 $?
[ -z "$out" ] || echo "$out"
out=$(bash "$banned" "$root" 2>&1)
expect_eq "banned: the repository passes" 0 $?
[ -z "$out" ] || echo "$out"

finish
