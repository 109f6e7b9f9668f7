#!/bin/bash
# layers: each top-level directory of the code is a layer, and a file may
# include ("#include "dir/file.h"") only from the layers its own may use,
# as the table says.  The order is lib -> config -> adapters -> queue ->
# web -> gateway: a layer uses those before it, never one after it.
#
#   layer     may include
LAYERS='
lib         lib
config      lib config
adapters    lib config adapters
queue       lib config adapters queue
web         lib config adapters queue web
gateway     *
'
#
# Reads every #include "..." of the .c and .h files of those directories
# under ROOT (default: this repository), prints "file:line: ..." for each
# include the table forbids, and exits 1 when there is one (0 when none,
# 2 when ROOT is not a directory).  An include without a directory
# ("x.h") is the file's own layer.
#
# usage: tests/lint/layers.sh [ROOT]

set -u
root="${1:-$(dirname "${BASH_SOURCE[0]}")/../..}"
cd "$root" 2>/dev/null || { echo "layers: no directory $root" >&2; exit 2; }
status=0
while read -r layer allowed; do
	[ -n "$layer" ] && [ -d "$layer" ] || continue
	mapfile -t files < <(find "$layer" -name '*.[ch]' | sort)
	[ "${#files[@]}" -gt 0 ] || continue
	awk -v layer="$layer" -v allowed="$allowed" '
	BEGIN {
		n = split(allowed, a, " ")
		for (i = 1; i <= n; i++)
			ok[a[i]] = 1
	}
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		inc = $0
		sub(/^[^"]*"/, "", inc)
		sub(/".*/, "", inc)
		slash = index(inc, "/")
		dir = slash ? substr(inc, 1, slash - 1) : layer
		if (!ok["*"] && !ok[dir]) {
			printf "%s:%d: includes \"%s\": %s/ may include only %s\n",
			    FILENAME, FNR, inc, layer, allowed
			bad = 1
		}
	}
	END { exit bad }' "${files[@]}" || status=1
done <<<"$LAYERS"
exit $status
