#!/bin/bash
# The operator's side of the config, end to end: the example config fails
# check until its CHANGE-ME placeholders are replaced; the subcommands that
# need no secret (reports, outbox, audit, backup, user, route,
# check --syntax) run while the credentials are not there (only the
# service may read them), and check without --syntax still insists on
# them; check --print shows the effective config with every secret
# masked; a [holidays] list with nothing in the coming 60 days is a
# warning, not an error.
. "$(dirname "$0")/lib.sh"
make_config
conf="$WORK/hotline.conf"
root="$(cd "$(dirname "$0")/../.." && pwd)"

# 1. The example config as shipped.
cp "$root/config/hotline.example.conf" "$WORK/example.conf"
"$HOTLINE" check --config "$WORK/example.conf" >"$WORK/example.out" 2>&1
expect_eq "check refuses the example as shipped" 1 $?
for key in mayor_public phone_number_id head deputy; do
	check "and names the placeholder of $key" \
		grep -q "$key is still the example's placeholder (CHANGE-ME)" "$WORK/example.out"
done
check "check --syntax refuses it too" bash -c \
	"! '$HOTLINE' check --syntax --config '$WORK/example.conf' 2>/dev/null"

# 2. The channels' secrets in files, as systemd's credentials.
mkdir -m 700 "$WORK/creds"
n=0
while IFS= read -r line; do
	key=${line%% = *} value=${line#* = }
	n=$((n + 1))
	printf '%s\n' "$value" >"$WORK/creds/$key-$n"
	chmod 600 "$WORK/creds/$key-$n"
	sed -i "s|^$key = $value\$|${key}_file = creds/$key-$n|" "$conf"
done < <(grep -E '^(app_secret|verify_token|access_token|auth_token|signing_key|password|secret) = ' "$conf")
check "the config reads its secrets from files" "$HOTLINE" check --config "$conf"
"$HOTLINE" check --print --config "$conf" >"$WORK/print.out" 2>/dev/null
check "check --print shows the effective config (defaults too)" \
	grep -qx 'max_connections = 1024' "$WORK/print.out"
check "with each secret masked" grep -qx '# app_secret = (set, masked)' "$WORK/print.out"
for f in "$WORK"/creds/*; do
	check "and never its value ($(basename "$f"))" bash -c "! grep -qF \"\$(cat '$f')\" '$WORK/print.out'"
done
start_server
"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" --channel whatsapp \
	--from 081234567601 "petugas kelurahan bandar lor minta 100rb untuk surat domisili" >/dev/null 2>&1
EXTRA_SECRETS=(6281234567601 81234567601)
settle
stop_server
mv "$WORK/creds" "$WORK/creds.away" # only the service could read them

# 3. Without them.
check "check without --syntax needs them, and says which" bash -c \
	"'$HOTLINE' check --config '$conf' 2>&1 | grep -q 'creds/app_secret'"
check "check --syntax runs without them" "$HOTLINE" check --syntax --config "$conf"
check "reports runs without them" bash -c "'$HOTLINE' reports --config '$conf' | grep -q '\"code\":\"KDR-'"
check "outbox runs without them" "$HOTLINE" outbox --config "$conf"
check "audit --verify runs without them" "$HOTLINE" audit --config "$conf" --verify
check "backup runs without them" "$HOTLINE" backup --config "$conf" "$WORK/backup.db"
check "route runs without them" bash -c \
	"'$HOTLINE' route --config '$conf' 'pungli ktp di kelurahan bandar lor' | grep -q dispendukcapil"
printf 'a web password of the head 2026\n' >"$WORK/webpass" && chmod 600 "$WORK/webpass"
check "user add runs without them" "$HOTLINE" user add --config "$conf" --role opd \
	--opd dispendukcapil --password-file "$WORK/webpass" kepala_capil
check "the backup opens and holds the report" bash -c \
	"[ \"\$(sqlite3 '$WORK/backup.db' 'select count(*) from reports')\" = 1 ]"

# 4. Holidays that ran out: a warning, the config still good.
mv "$WORK/creds.away" "$WORK/creds"
sed -i '/^\[holidays\]/,/^\[/{/^\[holidays\]/!{/^\[/!d}}' "$conf"
sed -i 's/^\[holidays\]$/[holidays]\ndates = 2020-01-01/' "$conf"
grep -q '^\[holidays\]' "$conf" || printf '\n[holidays]\ndates = 2020-01-01\n' >>"$conf"
"$HOTLINE" check --config "$conf" >"$WORK/check.out" 2>"$WORK/check.err"
expect_eq "check still passes with old holidays" 0 $?
check "and warns that [holidays] has nothing in the coming 60 days" \
	grep -q 'warning: \[holidays\] has no date in the coming 60 days' "$WORK/check.err"
printf '\n' >>"$conf"
sed -i "s/^dates = 2020-01-01\$/dates = 2020-01-01, $(date -u -d '+20 days' +%F)/" "$conf"
"$HOTLINE" check --config "$conf" >/dev/null 2>"$WORK/check.err"
check "no warning once a date ahead is there" bash -c "! grep -q warning '$WORK/check.err'"

check "no citizen's number in the database, WAL or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"
finish
