#!/bin/bash
# The Debian package and "make install", as an operator gets them: the
# tree (tracked and new files, as git ls-files sees them) is copied and
# built with "dpkg-buildpackage -us -uc -b", the .deb unpacked into a
# throwaway root and looked at: the binary's version is the VERSION file's
# (and debian/changelog's), the config is the example and fails "hotline
# check" on its placeholders, the man pages render without a warning, the
# units parse, Depends names runtime libraries only.  Then "make install"
# into a DESTDIR, with PREFIX=/usr and the default /usr/local.  And the
# man pages stay in step with the code: hotline.conf.5 names every key of
# config/config.c's tables, hotline.8 every subcommand of gateway/main.c's.
# dpkg-buildpackage missing is a failure, not a skip: "make deps" installs
# it.  HOTLINE is lib.sh's; the binary tested is the package's.
. "$(dirname "$0")/lib.sh"
# Built as Debian builds it: not with the variables of the make that runs
# this test (make SANITIZE=1 e2e would hand an ASan build to the package).
unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE TSAN BUILD
root="$(cd "$(dirname "$0")/../.." && pwd)"
version=$(cat "$root/VERSION")

# --- the version has one source -------------------------------------------
check "VERSION holds one version" grep -qxE '[0-9]+\.[0-9]+\.[0-9]+' "$root/VERSION"
if command -v dpkg-parsechangelog >/dev/null; then
	expect_eq "debian/changelog's version is VERSION's" "$version" \
		"$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)"
else
	not_ok "dpkg-parsechangelog is installed (dpkg-dev: make deps)"
fi

# --- the man pages name every key and every subcommand --------------------
# Keys: the {"name", ...} entries of every "static const struct keydef"
# table; sections: the singletons' {"name", SEC_...} and the named kinds.
awk '/^static const struct keydef [a-z_]+\[[^]]*\] = \{/ { on = 1; next }
	on && /^};/ { on = 0 }
	on' "$root/config/config.c" | grep -o '{"[a-z_]*"' | tr -d '{"' |
	sort -u >"$WORK/keys"
check "config.c's key tables read (more than 100 keys)" \
	test "$(wc -l <"$WORK/keys")" -gt 100
missing=
while read -r k; do
	# as a key is set in the page: .B key, .BR key ,  or \fBkey
	grep -qE "(^\.B[RI]? +\"?|\\\\fB)$k([^a-z_]|$)" "$root/man/hotline.conf.5" ||
		missing="$missing $k"
done <"$WORK/keys"
expect_eq "hotline.conf.5 describes every config key" "" "$missing"
grep -o '{"[a-z]*", SEC_' "$root/config/config.c" | sed 's/{"\(.*\)", SEC_/\1/' \
	>"$WORK/sections"
printf '%s\n' channel category opd region custodian >>"$WORK/sections"
missing=
while read -r s; do
	grep -q "^\.SS \[${s}[] ]" "$root/man/hotline.conf.5" || missing="$missing $s"
done <"$WORK/sections"
expect_eq "hotline.conf.5 has a part for every section" "" "$missing"

grep -o '^ *{"[a-z-]*", cmd_' "$root/gateway/main.c" |
	sed 's/.*{"\([^"]*\)".*/\1/' >"$WORK/commands"
check "main.c's command table read" test "$(wc -l <"$WORK/commands")" -ge 15
missing=
while read -r c; do
	grep -qE "^\.B[IR]? +\"?$c( |\"|$)" "$root/man/hotline.8" ||
		missing="$missing $c"
done <"$WORK/commands"
expect_eq "hotline.8 describes every subcommand" "" "$missing"

# --- the package ------------------------------------------------------------
if ! command -v dpkg-buildpackage >/dev/null; then
	not_ok "dpkg-buildpackage is installed (dpkg-dev: make deps)"
	finish
	exit
fi
src="$WORK/src"
mkdir -p "$src"
(cd "$root" && git ls-files -co --exclude-standard -z |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp -P --parents -t "$src")
(cd "$src" && find . -path ./.git -prune -o \( -type f -o -type l \) -print |
	sort) >"$WORK/tree.before"
if (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b >"$WORK/build.log" 2>&1); then
	ok "dpkg-buildpackage -us -uc -b builds"
else
	not_ok "dpkg-buildpackage -us -uc -b builds:"
	tail -30 "$WORK/build.log"
fi
deb="$WORK/hotline_${version}_$(dpkg --print-architecture).deb"
check "it made $(basename "$deb")" test -f "$deb"
grep -E '^[[:space:]]*make( -j[0-9]+)? install .*PREFIX=/usr' "$WORK/build.log" >/dev/null
check "the package installs with the Makefile (make install PREFIX=/usr)" test $? -eq 0

# What the build left in the tree is ignored by git.
(cd "$src" && find . -path ./.git -prune -o \( -type f -o -type l \) -print |
	sort) >"$WORK/tree.after"
comm -13 "$WORK/tree.before" "$WORK/tree.after" | sed 's|^\./||' >"$WORK/new"
check "the build left its outputs in the tree" test -s "$WORK/new"
unignored=$(while read -r f; do
	git -C "$root" check-ignore -q --no-index "$f" || echo "$f"
done <"$WORK/new" | head -5 | tr '\n' ' ')
expect_eq "every build output is gitignored" "" "$unignored"

if [ ! -f "$deb" ]; then
	finish
	exit
fi
pkg="$WORK/root"
dpkg -x "$deb" "$pkg"
dpkg-deb -e "$deb" "$WORK/control"

expect_eq "the packaged hotline --version prints VERSION's" "hotline $version" \
	"$("$pkg/usr/bin/hotline" --version | head -1)"
"$pkg/usr/bin/hotline" --version >"$WORK/version.out"
check "--version names the libraries it runs with" \
	grep -q '^libmicrohttpd [0-9]' "$WORK/version.out"
for lib in SQLite libsodium libcurl jansson OpenSSL inih libsystemd; do
	check "--version has a $lib line" grep -q "^$lib [0-9]" "$WORK/version.out"
done
expect_eq "hotline version prints the same" "$(cat "$WORK/version.out")" \
	"$("$pkg/usr/bin/hotline" version)"

conf="$pkg/etc/hotline/hotline.conf"
check "/etc/hotline/hotline.conf is in the package" test -f "$conf"
check "it is the example" cmp -s "$conf" "$root/config/hotline.example.conf"
check "it is a conffile" grep -qx /etc/hotline/hotline.conf "$WORK/control/conffiles"
expect_eq "modes of /etc/hotline, its credentials/ and hotline.conf" "750 700 640" \
	"$(stat -c %a "$pkg/etc/hotline" "$pkg/etc/hotline/credentials" "$conf" | tr '\n' ' ' | sed 's/ $//')"
if "$pkg/usr/bin/hotline" check --config "$conf" >"$WORK/check.out" 2>&1; then
	not_ok "hotline check refuses the config as shipped"
else
	ok "hotline check refuses the config as shipped"
fi
echo "# hotline check says: $(grep -v warning "$WORK/check.out" | head -3 | tr '\n' ' ')"
if grep -q CHANGE-ME "$root/config/hotline.example.conf"; then
	check "... naming a placeholder" grep -q "placeholder" "$WORK/check.out"
fi

for page in man8/hotline.8 man5/hotline.conf.5; do
	f=$(ls "$pkg/usr/share/man/$page"* 2>/dev/null | head -1)
	check "$page is in the package" test -n "$f"
	[ -n "$f" ] || continue
	if command -v groff >/dev/null; then
		zcat -f "$f" | groff -man -Tutf8 -ww -z >"$WORK/groff.out" 2>&1
		expect_eq "groff renders $page without a warning" "" "$(cat "$WORK/groff.out")"
	else
		not_ok "groff is installed (groff-base: make deps)"
	fi
done

units="$pkg/lib/systemd/system"
for u in hotline.service hotline-backup.service hotline-backup.timer; do
	check "$u is in the package" test -f "$units/$u"
done
check "hotline.service runs /usr/bin/hotline" \
	grep -qx 'ExecStart=/usr/bin/hotline serve --config /etc/hotline/hotline.conf' \
	"$units/hotline.service"
check "hotline.service runs as the user hotline" grep -qx 'User=hotline' "$units/hotline.service"
check "hotline.service loads the credentials directory" \
	grep -qx 'LoadCredential=hotline:/etc/hotline/credentials' "$units/hotline.service"
check "... and no single credential file, which would stop it when missing" \
	test "$(grep -c '^LoadCredential=' "$units/hotline.service")" -eq 1
if command -v systemd-analyze >/dev/null; then
	# /usr/bin/hotline is in the throwaway root, not on this machine:
	# that is the only complaint allowed.
	systemd-analyze verify --man=no "$units/hotline.service" \
		"$units/hotline-backup.service" "$units/hotline-backup.timer" \
		>"$WORK/verify.out" 2>&1
	expect_eq "systemd-analyze verify finds nothing wrong with the units" "" \
		"$(grep -v 'Command /usr/bin/hotline is not executable' "$WORK/verify.out")"
else
	echo "# systemd-analyze is not installed: the units are not verified"
fi

depends=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $depends"
printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u >"$WORK/depends"
expect_eq "Depends has no build tool, -dev package, browser or node" "" \
	"$(grep -E -- '-dev$|^clang|^chromium|^nodejs$|^npm$|^cppcheck$|^build-essential$|^pkg-config$|^gcc|^debhelper$' "$WORK/depends")"
make -s --no-print-directory -C "$root" \
	--eval 'print-runtime: ; @printf "%s\n" $(DEB_RUNTIME_PACKAGES)' print-runtime |
	sort >"$WORK/runtime"
expect_eq "its libraries are make deps-runtime's" "$(cat "$WORK/runtime")" \
	"$(grep -vxE 'libc6|adduser' "$WORK/depends")"
check "the postinst makes the user hotline" grep -q 'adduser .*--system' "$WORK/control/postinst"
check "the postinst enables hotline.service" \
	grep -q "deb-systemd-helper enable 'hotline.service'" "$WORK/control/postinst"
check "the postinst never starts it" \
	bash -c "! grep -qE 'deb-systemd-invoke +(start|restart)' '$WORK/control/postinst'"

# --- make install -------------------------------------------------------------
inst="$WORK/inst"
make -s --no-print-directory -C "$src" install DESTDIR="$inst" PREFIX=/usr \
	>"$WORK/install.out" 2>&1
check "make install DESTDIR=... PREFIX=/usr" test $? -eq 0
for f in usr/bin/hotline usr/share/man/man8/hotline.8 \
	usr/share/man/man5/hotline.conf.5 usr/lib/systemd/system/hotline.service \
	usr/lib/systemd/system/hotline-backup.service \
	usr/lib/systemd/system/hotline-backup.timer \
	usr/share/doc/hotline/README.md usr/share/doc/hotline/hotline.example.conf \
	etc/hotline/hotline.conf; do
	check "make install puts /$f" test -f "$inst/$f"
done
check "make install makes /etc/hotline/credentials" test -d "$inst/etc/hotline/credentials"
expect_eq "with the modes of the package" "750 700 640" \
	"$(stat -c %a "$inst/etc/hotline" "$inst/etc/hotline/credentials" \
		"$inst/etc/hotline/hotline.conf" | tr '\n' ' ' | sed 's/ $//')"
check "its hotline.service is the package's" \
	cmp -s "$inst/usr/lib/systemd/system/hotline.service" "$units/hotline.service"
echo "# edited" >>"$inst/etc/hotline/hotline.conf"
make -s --no-print-directory -C "$src" install DESTDIR="$inst" PREFIX=/usr \
	>>"$WORK/install.out" 2>&1
check "make install again keeps an edited config" grep -qx '# edited' "$inst/etc/hotline/hotline.conf"
make -s --no-print-directory -C "$src" uninstall DESTDIR="$inst" PREFIX=/usr \
	>>"$WORK/install.out" 2>&1
expect_eq "make uninstall leaves only /etc/hotline" \
	"etc/hotline/hotline.conf" "$(cd "$inst" && find . -type f | sed 's|^\./||')"

local="$WORK/local"
make -s --no-print-directory -C "$src" install DESTDIR="$local" >>"$WORK/install.out" 2>&1
check "make install's default PREFIX is /usr/local" test -x "$local/usr/local/bin/hotline"
check "... and its unit runs /usr/local/bin/hotline" grep -qx \
	'ExecStart=/usr/local/bin/hotline serve --config /etc/hotline/hotline.conf' \
	"$local/usr/local/lib/systemd/system/hotline.service"
check "... and names its README" grep -qx \
	'Documentation=file:///usr/local/share/doc/hotline/README.md' \
	"$local/usr/local/lib/systemd/system/hotline.service"
check "... and so does the backup's" grep -q \
	'/usr/local/bin/hotline backup --config /etc/hotline/hotline.conf' \
	"$local/usr/local/lib/systemd/system/hotline-backup.service"

finish
