#!/bin/bash
# banned: functions the code must not call, checksrc-style: the unbounded
# string copies (strcpy, strcat, sprintf, vsprintf), strncat, whose length
# argument is the room left and not the size, gets, and atoi, which cannot
# tell "0" from garbage.  snprintf, memcpy and strtol do their work.
BANNED='strcpy|strcat|sprintf|vsprintf|strncat|gets|atoi'
#
# Reads the .c and .h files of the code's directories under ROOT (default:
# this repository) with comments and string and character literals blanked,
# so that only code is matched, and only whole words: "snprintf" and
# "fgets" are not "sprintf" and "gets".  Prints "file:line: name" for each
# use and exits 1 when there is one (0 when none, 2 when ROOT is not a
# directory).
#
# usage: tests/lint/banned.sh [ROOT]

set -u
root="${1:-$(dirname "${BASH_SOURCE[0]}")/../..}"
cd "$root" 2>/dev/null || { echo "banned: no directory $root" >&2; exit 2; }
mapfile -t files < <(find lib adapters config gateway queue web \
	-name '*.[ch]' 2>/dev/null | sort)
[ "${#files[@]}" -gt 0 ] || exit 0
awk -v banned="$BANNED" '
FNR == 1 { block = 0 }
{
	# the line without comments and literals (a block comment may span
	# lines: block says whether this one starts inside it)
	line = $0
	code = ""
	i = 1
	n = length(line)
	while (i <= n) {
		c = substr(line, i, 1)
		c2 = substr(line, i, 2)
		if (block) {
			if (c2 == "*/") {
				block = 0
				i += 2
			} else
				i++
			continue
		}
		if (c2 == "/*") {
			block = 1
			i += 2
			code = code " "
			continue
		}
		if (c2 == "//")
			break
		if (c == "\"" || c == "\x27") {
			q = c
			for (i++; i <= n; i++) {
				c = substr(line, i, 1)
				if (c == "\\")
					i++
				else if (c == q)
					break
			}
			i++
			code = code q q
			continue
		}
		code = code c
		i++
	}
	rest = " " code " "
	while (match(rest, "[^A-Za-z0-9_](" banned ")[^A-Za-z0-9_]")) {
		name = substr(rest, RSTART + 1, RLENGTH - 2)
		printf "%s:%d: %s\n", FILENAME, FNR, name
		bad = 1
		rest = substr(rest, RSTART + RLENGTH - 1)
	}
}
END { exit bad }' "${files[@]}"
