#!/bin/bash
# Custody of identities, end to end, as the mayor, the Inspektur and the
# city's operator would live it: two custodians, each able to open an
# identity alone and named in the audit log; a key swapped into the config
# refused by check and serve; the audit log verified, and a row edited with
# sqlite3 caught; an unseal on a copy brought into the live log by its
# statement; a new mayor by rekey, after which the old key opens nothing
# old or new; a lost passphrase recovered from the two paper halves; two
# keys required with unseal_requires = 2; and identities shredded at a
# test-scale [retention] identity_after.  No citizen's number is left in
# the database, its WAL or the log.
. "$(dirname "$0")/lib.sh"
start_fake_provider
make_config

EXTRA_SECRETS=(6281234567301 81234567301 6281234567302 81234567302
	6281234567303 81234567303)
conf="$WORK/hotline.conf"
secret() { printf '%s\n' "$2" >"$WORK/$1" && chmod 600 "$WORK/$1"; }
secret ipass 'passphrase of the inspektur 2026'
"$HOTLINE" keygen --out "$WORK/keys" --name inspektur --passphrase-file "$WORK/ipass" \
	>"$WORK/keygen.out" 2>&1
check "keygen --name makes inspektur.key and .pub, and prints its fingerprint" \
	grep -q 'fingerprint: [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\} [0-9a-f]\{4\}' "$WORK/keygen.out"
printf '\n[custodian inspektur]\npublic_file = %s\n' "$WORK/keys/inspektur.pub" >>"$conf"
start_server

say() { # say FROM TEXT
	"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from "$1" "$2" >/dev/null 2>&1
}
code_of() { sqlite3 "$WORK/hotline.db" "select code from reports where text = '$1'"; }
unseal() { # unseal KEYFILE PASSFILE CODE [MORE ARGS]: the identity JSON
	local key="$1" pass="$2" code="$3"
	shift 3
	"$HOTLINE" unseal --config "$conf" --key "$key" --passphrase-file "$pass" \
		--reason "custody e2e" "$@" "$code" 2>"$WORK/unseal.err"
}
opens() { unseal "$@" | grep -q '"sender":"+628123456730'; }

text1="pak lurah minta uang 200rb buat surat domisili, tolong ditindak"
text2="jukir di alun-alun minta 10rb padahal karcis 3rb"
say 081234567301 "$text1"
say 081234567302 "$text2"
a=$(code_of "$text1")
b=$(code_of "$text2")
check "two reports stored" test -n "$a" -a -n "$b"
expect_eq "each epoch key is sealed to both custodians" "inspektur,mayor" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(custodian) from (select distinct custodian from epoch_keys where epoch > 0 order by custodian)")"

# 1. Any custodian alone opens; the audit row names which, and who.
check "the mayor's key opens the identity" opens "$WORK/keys/mayor.key" "$WORK/pass" "$a"
check "the Inspektur's key opens it alone too" opens "$WORK/keys/inspektur.key" "$WORK/ipass" "$a"
expect_eq "the audit rows name the custodian used" "mayor,inspektur" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(custodian) from audit where action = 'unseal'")"
check "and who used it" test "$(sqlite3 "$WORK/hotline.db" "select count(*) from audit where action = 'unseal' and actor like 'cli:%'")" = 2
expect_eq "each unseal's outcome follows it" "opened,opened" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(reason) from audit where action = 'unseal_result'")"

# 2. A key swapped into the config is refused by check and serve.
stop_server
secret apass 'passphrase of someone else 2026'
"$HOTLINE" keygen --out "$WORK/other" --passphrase-file "$WORK/apass" >/dev/null 2>&1
sed "s#^mayor_public = .*#mayor_public = $(cat "$WORK/other/mayor.pub")#" "$conf" >"$WORK/swapped.conf"
"$HOTLINE" check --config "$WORK/swapped.conf" >"$WORK/check.out" 2>&1
expect_eq "check refuses a swapped mayor key" 1 "$?"
pinned=$(sqlite3 "$WORK/hotline.db" "select cast(value as text) from meta where name = 'custodians'")
check "naming the pinned set ($pinned)" grep -qF "$pinned" "$WORK/check.out"
"$HOTLINE" serve --config "$WORK/swapped.conf" >"$WORK/swapped.log" 2>&1
expect_eq "serve refuses it too" 1 "$?"
check "saying why" grep -q "pinned to the custodians" "$WORK/swapped.log"
check "the real config still passes check" "$HOTLINE" check --config "$conf"

# 3. The audit log verifies; a row edited with sqlite3 is caught.
"$HOTLINE" audit --config "$conf" --verify >"$WORK/verify.out" 2>&1
check "audit --verify: intact" grep -q "^intact, [0-9]* rows, head [0-9a-f]\{16\}" "$WORK/verify.out"
"$HOTLINE" audit --config "$conf" --verify --key "$WORK/keys/inspektur.key" \
	--passphrase-file "$WORK/ipass" >"$WORK/verify.out" 2>&1
check "and its MACs check with a custodian's key" grep -q "MACs checked" "$WORK/verify.out"
cp "$WORK/hotline.db" "$WORK/copy.db"
sed "s#^database = .*#database = $WORK/copy.db#" "$conf" >"$WORK/copy.conf"
row=$(sqlite3 "$WORK/copy.db" "select min(id) from audit where action = 'unseal'")
sqlite3 "$WORK/copy.db" "drop trigger audit_append_only_update; update audit set reason = 'nothing to see' where id = $row"
"$HOTLINE" audit --config "$WORK/copy.conf" --verify >"$WORK/verify.out" 2>&1
expect_eq "audit --verify fails on the edited copy" 1 "$?"
check "naming the edited row ($row)" grep -q "^broken at row $row:" "$WORK/verify.out"
cp "$WORK/hotline.db" "$WORK/copy.db"
sqlite3 "$WORK/copy.db" "drop trigger audit_append_only_delete; delete from audit where id = $row"
"$HOTLINE" audit --config "$WORK/copy.conf" --verify >"$WORK/verify.out" 2>&1
check "a deleted row is caught at the next one" grep -q "^broken at row $((row + 1)):" "$WORK/verify.out"

# 4. An unseal on a copy (the mayor's laptop) reaches the live log.
cp "$WORK/hotline.db" "$WORK/copy.db"
"$HOTLINE" unseal --config "$WORK/copy.conf" --key "$WORK/keys/mayor.key" \
	--passphrase-file "$WORK/pass" --reason "offline on a copy" \
	--statement "$WORK/statement" "$b" >/dev/null 2>&1
check "the offline unseal writes its statement" grep -q "^report: $b\$" "$WORK/statement"
before=$(db_count audit)
"$HOTLINE" audit --config "$conf" --import "$WORK/statement" >"$WORK/import.out" 2>&1
check "audit --import adds it to the live log" grep -q "added" "$WORK/import.out"
expect_eq "as one row naming the report and the custodian" "$b|mayor" \
	"$(sqlite3 "$WORK/hotline.db" "select report_code || '|' || custodian from audit where action = 'unseal_offline'")"
"$HOTLINE" audit --config "$conf" --import "$WORK/statement" >"$WORK/import.out" 2>&1
expect_eq "a second import adds nothing" "$((before + 1))" "$(db_count audit)"
sed -i 's/^reason: .*/reason: something else/' "$WORK/statement"
"$HOTLINE" audit --config "$conf" --import "$WORK/statement" >"$WORK/import.out" 2>&1
expect_eq "an altered statement is refused" 1 "$?"
check "the live log is still intact" bash -c "'$HOTLINE' audit --config '$conf' --verify | grep -q '^intact'"

# 5. A new mayor: rekey, then the config; the old key opens nothing.
secret npass 'passphrase of the new mayor 2027'
"$HOTLINE" keygen --out "$WORK/newmayor" --passphrase-file "$WORK/npass" >/dev/null 2>&1
"$HOTLINE" rekey --config "$conf" --key "$WORK/keys/mayor.key" --passphrase-file "$WORK/pass" \
	--remove mayor --add "mayor=$WORK/newmayor/mayor.pub" >"$WORK/rekey.out" 2>&1
expect_eq "rekey to the new mayor succeeds" 0 "$?"
check "and says what the config must now say" grep -qF "mayor_public = $(cat "$WORK/newmayor/mayor.pub")" "$WORK/rekey.out"
"$HOTLINE" check --config "$conf" >/dev/null 2>&1
expect_eq "until the config is edited, check refuses it" 1 "$?"
sed -i "s#^mayor_public = .*#mayor_public = $(cat "$WORK/newmayor/mayor.pub")#" "$conf"
check "after the edit, check passes" "$HOTLINE" check --config "$conf"
check "the new mayor's key opens an old identity" opens "$WORK/newmayor/mayor.key" "$WORK/npass" "$a"
check "the old mayor's key opens nothing" bash -c "! '$HOTLINE' unseal --config '$conf' --key '$WORK/keys/mayor.key' --passphrase-file '$WORK/pass' '$a' 2>/dev/null | grep -q sender"
check "the Inspektur's still does" opens "$WORK/keys/inspektur.key" "$WORK/ipass" "$b"
check "the rekey is audited with the custodian who allowed it" \
	test "$(sqlite3 "$WORK/hotline.db" "select custodian from audit where action = 'rekey'")" = mayor
start_server
say 081234567303 "pungli di puskesmas, bayar 50rb biar cepat dilayani"
c=$(code_of "pungli di puskesmas, bayar 50rb biar cepat dilayani")
stop_server
check "a new report opens with the new mayor's key" opens "$WORK/newmayor/mayor.key" "$WORK/npass" "$c"
check "not with the old one" bash -c "! '$HOTLINE' unseal --config '$conf' --key '$WORK/keys/mayor.key' --passphrase-file '$WORK/pass' '$c' 2>/dev/null | grep -q sender"
"$HOTLINE" audit --config "$conf" --verify --key "$WORK/newmayor/mayor.key" \
	--passphrase-file "$WORK/npass" >"$WORK/verify.out" 2>&1
check "the audit's root key followed: MACs check with the new key" grep -q "^intact.*MACs checked" "$WORK/verify.out"

# 6. Recovery: two paper halves, then a lost passphrase.
"$HOTLINE" keygen --recovery --out "$WORK/rec" >"$WORK/recovery.out" 2>&1
check "keygen --recovery prints two halves of 17 words" \
	test "$(grep -c '^half [12]: \([a-z]\{5\}-\)\{16\}[a-z]\{5\}$' "$WORK/recovery.out")" = 2
check "and keeps no secret on disk" test "$(ls "$WORK/rec")" = recovery.pub
grep '^half ' "$WORK/recovery.out" >"$WORK/words" && chmod 600 "$WORK/words"
"$HOTLINE" rekey --config "$conf" --key "$WORK/newmayor/mayor.key" --passphrase-file "$WORK/npass" \
	--add "recovery=$WORK/rec/recovery.pub" >/dev/null 2>&1
printf '\n[custodian recovery]\npublic_file = %s\n' "$WORK/rec/recovery.pub" >>"$conf"
check "the recovery custodian is added" "$HOTLINE" check --config "$conf"
secret lpass 'after the lost passphrase 2027'
"$HOTLINE" keygen --out "$WORK/lost" --passphrase-file "$WORK/lpass" >/dev/null 2>&1
"$HOTLINE" rekey --config "$conf" --recovery-words "$WORK/words" --remove mayor \
	--add "mayor=$WORK/lost/mayor.pub" >"$WORK/rekey.out" 2>&1
expect_eq "the words replace a lost mayor key" 0 "$?"
sed -i "s#^mayor_public = .*#mayor_public = $(cat "$WORK/lost/mayor.pub")#" "$conf"
check "which then opens every identity" opens "$WORK/lost/mayor.key" "$WORK/lpass" "$c"
first=$(sed -n 's/^half 1: \([a-z]*\).*/\1/p' "$WORK/words")
typo=babab
[ "$first" = babab ] && typo=babad
sed "s/^half 1: [a-z]*/half 1: $typo/" "$WORK/words" >"$WORK/badwords" && chmod 600 "$WORK/badwords"
"$HOTLINE" unseal --config "$conf" --recovery-words "$WORK/badwords" "$a" >/dev/null 2>"$WORK/unseal.err"
check "a mistyped word is caught, naming its half" grep -q "half 1 does not check" "$WORK/unseal.err"

# 7. Shredding at a test-scale identity_after: the closed report's epoch.
sqlite3 "$WORK/hotline.db" "update reports set status = 'closed' where code in ('$a', '$b')"
printf '\n[retention]\nidentity_after = 1s\n' >>"$conf"
sleep 1
"$HOTLINE" retention --config "$conf" --dry-run >"$WORK/dry.out" 2>&1
check "retention --dry-run lists the closed reports" \
	test "$(grep -c '"goes":"identity"' "$WORK/dry.out")" = 2
check "and destroys nothing" opens "$WORK/lost/mayor.key" "$WORK/lpass" "$a"
"$HOTLINE" retention --config "$conf" >"$WORK/retention.out" 2>&1
check "retention destroys their identities" grep -q "identities of 2 reports" "$WORK/retention.out"
unseal "$WORK/lost/mayor.key" "$WORK/lpass" "$a" >/dev/null
check "unseal says the identity is gone for good" grep -q "destroyed under \[retention\]" "$WORK/unseal.err"
check "the open report still opens" opens "$WORK/lost/mayor.key" "$WORK/lpass" "$c"
check "the shredding is audited" test "$(sqlite3 "$WORK/hotline.db" "select count(*) from audit where action = 'retention'")" = 1
check "and the log is intact" bash -c "'$HOTLINE' audit --config '$conf' --verify | grep -q '^intact'"

# 8. unseal_requires = 2: one key alone opens nothing (a new city).
mv "$WORK/hotline.db" "$WORK/first.db"
rm -f "$WORK/hotline.db-wal" "$WORK/hotline.db-shm"
sed -i "s#^mayor_public = .*#mayor_public = $(cat "$WORK/keys/mayor.pub")#; /^\[custodian recovery\]/,/^public_file/d; /^\[retention\]/,/^identity_after/d" "$conf"
sed -i "/^\[keys\]/a unseal_requires = 2" "$conf"
STARTS=1
: >"$WORK/serve.log"
start_server
say 081234567301 "$text1"
d=$(code_of "$text1")
stop_server
expect_eq "each pair holds two halves" "inspektur+mayor,mayor+inspektur" \
	"$(sqlite3 "$WORK/hotline.db" "select group_concat(custodian) from (select distinct custodian from epoch_keys where epoch > 0 order by custodian)")"
unseal "$WORK/keys/mayor.key" "$WORK/pass" "$d" >/dev/null
check "the mayor alone opens nothing" grep -q "takes two custodians' keys" "$WORK/unseal.err"
check "the mayor and the Inspektur together open it" opens "$WORK/keys/mayor.key" "$WORK/pass" "$d" \
	--key "$WORK/keys/inspektur.key" --passphrase-file "$WORK/ipass"
expect_eq "the audit row names both" "mayor+inspektur" \
	"$(sqlite3 "$WORK/hotline.db" "select custodian from audit where action = 'unseal' order by id desc limit 1")"

check "no identity in the databases, WALs or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/first.db" "$WORK/first.db-wal" \
	"$WORK/serve.log"
finish
