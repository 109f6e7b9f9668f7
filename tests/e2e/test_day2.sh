#!/bin/bash
# The operator's day-2 tools, end to end.  restore: refused while the
# service runs, for a damaged file, a file that is no database, a backup
# of a newer schema and one sealed to other custodians, each time with the
# database untouched; then a good backup restored after the database moved
# on, its reports back, the replaced database kept beside it, the restore
# audited and the log intact, and the service serving it again.  user
# list: the accounts, never a hash.  outbox --dead: the dead rows alone,
# with their errors, no citizen's address.  doctor: a good config passes,
# a bad one names each fault, and no secret is printed.
. "$(dirname "$0")/lib.sh"
start_fake_provider
HEADS=0 make_config # no alert is sent behind the test's back

conf="$WORK/hotline.conf"
db="$WORK/hotline.db"
EXTRA_SECRETS=(6281234567401 81234567401 6281234567402 81234567402
	6281234567403 81234567403 6281234567404 81234567404)
say() { # say FROM TEXT
	"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" \
		--channel whatsapp --from "$1" "$2" >/dev/null 2>&1
}
code_of() { sqlite3 "$db" "select code from reports where text = '$1'"; }
restore() { # restore BACKUP: its exit status; stdout and stderr in $WORK/restore.out
	"$HOTLINE" restore --config "$conf" "$1" >"$WORK/restore.out" 2>&1
}
# the database: its files byte for byte or, while it is served (and the
# daemon writes to it), its reports and audit rows
state() {
	if [ -n "$SERVER_PID" ]; then
		sqlite3 "$db" "select group_concat(code) from reports; select count(*) from audit"
	else
		md5sum "$db"*
	fi
}
# refused WHAT BACKUP PATTERN: restore fails saying PATTERN, changing nothing
refused() {
	local before
	before=$(state)
	restore "$2"
	expect_eq "restore refuses $1" 1 "$?"
	check "saying why ($3)" grep -q "$3" "$WORK/restore.out"
	expect_eq "and the database is untouched" "$before" "$(state)"
	check "nothing is left beside it" \
		test ! -e "$db.restore-tmp" -a ! -e "$db.before-restore"
}

# 1. Two reports, a backup, a third report after it.
start_server
text1="pak lurah minta uang 200rb buat surat domisili, tolong ditindak"
text2="jukir di alun-alun minta 10rb padahal karcis 3rb"
text3="pungli di puskesmas, bayar 50rb biar cepat dilayani"
say 081234567401 "$text1"
say 081234567402 "$text2"
settle
a=$(code_of "$text1")
b=$(code_of "$text2")
check "two reports stored" test -n "$a" -a -n "$b"
"$HOTLINE" backup --config "$conf" "$WORK/b1.db" 2>"$WORK/backup.err"
check "a backup of the running service" test -s "$WORK/b1.db"
say 081234567403 "$text3"
settle
c=$(code_of "$text3")
check "a third report after the backup" test -n "$c"

# 2. Never while the service has the database open.
settle
refused "while the service runs" "$WORK/b1.db" "in use by another process"
check "and says how to stop it" grep -q "systemctl stop hotline" "$WORK/restore.out"
stop_server

# 3. A damaged file, something else, a newer schema, other custodians.
cp "$WORK/b1.db" "$WORK/damaged.db"
pages=$(($(stat -c %s "$WORK/damaged.db") / $(sqlite3 "$WORK/b1.db" "pragma page_size")))
dd if=/dev/urandom of="$WORK/damaged.db" bs="$(sqlite3 "$WORK/b1.db" "pragma page_size")" \
	seek=$((pages / 2)) count=3 conv=notrunc 2>/dev/null
refused "a backup damaged in the middle" "$WORK/damaged.db" "is damaged\|not an SQLite database"
printf 'laporan pungli, bukan database\n' >"$WORK/text.db"
refused "a file that is no database" "$WORK/text.db" "not an SQLite database"
cp "$WORK/b1.db" "$WORK/newer.db"
version=$(sqlite3 "$WORK/b1.db" "pragma user_version")
sqlite3 "$WORK/newer.db" "pragma user_version = $((version + 1))"
refused "a backup of a newer schema" "$WORK/newer.db" "schema version $((version + 1)), newer than this binary's ($version)"

printf 'passphrase of another city 2026\n' >"$WORK/opass" && chmod 600 "$WORK/opass"
"$HOTLINE" keygen --out "$WORK/other" --passphrase-file "$WORK/opass" >/dev/null 2>&1
mkdir -p -m 700 "$WORK/run2"
sed "s#^mayor_public = .*#mayor_public = $(cat "$WORK/other/mayor.pub")#;
	s#^database = .*#database = $WORK/other.db#; s#^runtime_dir = .*#runtime_dir = $WORK/run2#" \
	"$conf" >"$WORK/other.conf"
"$HOTLINE" serve --config "$WORK/other.conf" 2>"$WORK/other.log" &
other_pid=$!
for i in $(seq 1 100); do grep -q event=listening "$WORK/other.log" && break; sleep 0.05; done
kill "$other_pid" && wait "$other_pid"
"$HOTLINE" backup --config "$WORK/other.conf" "$WORK/other-backup.db" 2>/dev/null
check "another city's database, served once, is backed up" test -s "$WORK/other-backup.db"
refused "a backup sealed to other custodians" "$WORK/other-backup.db" "the backup's custodians differ"
check "naming the pinned set" grep -q "pinned to the custodians mayor=" "$WORK/restore.out"

# 4. The good backup: its reports come back, audited.
restore "$WORK/b1.db"
expect_eq "restore of the good backup succeeds" 0 "$?"
expect_eq "printing one line" 1 "$(grep -c . "$WORK/restore.out")"
check "of JSON: the backup's schema, not migrated, its reports" \
	grep -q "^{\"restored\":\"$WORK/b1.db\",.*\"backup_schema\":$version,\"schema\":$version,\"migrated\":false,\"reports\":2}$" "$WORK/restore.out"
check "naming the database kept aside" grep -qF "\"before_restore\":\"$db.before-restore\"" "$WORK/restore.out"
check "no WAL is left of the database replaced" test ! -e "$db-wal" -a ! -e "$db-shm" -a ! -e "$db-journal"
"$HOTLINE" reports --config "$conf" >"$WORK/reports.json" 2>&1
check "the reports of the backup are back" \
	bash -c "grep -q '\"code\":\"$a\"' '$WORK/reports.json' && grep -q '\"code\":\"$b\"' '$WORK/reports.json'"
check "the report made after it is not" bash -c "! grep -q '\"code\":\"$c\"' '$WORK/reports.json'"
expect_eq "the replaced database is kept whole, with all three" 3 \
	"$(sqlite3 "$db.before-restore" "select count(*) from reports")"
expect_eq "the restore is audited in the restored database" "restore|from b1.db (schema $version)" \
	"$(sqlite3 "$db" "select action || '|' || reason from audit order by id desc limit 1")"
check "by who ran it" test "$(sqlite3 "$db" "select actor from audit where action = 'restore'")" = "cli:$(id -un)"
"$HOTLINE" audit --config "$conf" --verify >"$WORK/verify.out" 2>&1
check "and the audit log is intact" grep -q "^intact" "$WORK/verify.out"
check "the config's check passes (same custodians)" bash -c "'$HOTLINE' check --config '$conf' >/dev/null 2>&1"
restore "$WORK/b1.db"
expect_eq "a second restore waits until the kept database is moved" 1 "$?"
check "saying so" grep -q "before-restore is there from an earlier restore" "$WORK/restore.out"

start_server
say 081234567404 "pungli di kantor kelurahan Bangsal, minta 100rb"
settle
check "the service serves the restored database" test -n "$(code_of "pungli di kantor kelurahan Bangsal, minta 100rb")"

# 5. user list: the accounts, never a hash.
printf 'kata sandi walikota 2026\n' >"$WORK/mpass" && chmod 600 "$WORK/mpass"
"$HOTLINE" user add --config "$conf" --role mayor --password-file "$WORK/mpass" walikota >/dev/null 2>&1
opd_users budi:dishub
"$HOTLINE" user list --config "$conf" >"$WORK/users.json" 2>&1
expect_eq "user list: one JSON line per account" 2 "$(grep -c '^{' "$WORK/users.json")"
check "the opd user with its role, OPD and creation time" \
	grep -q '^{"name":"budi","role":"opd","opd":"dishub","created":"20[0-9-]*T[0-9:]*Z"}$' "$WORK/users.json"
check "the mayor with none" grep -q '^{"name":"walikota","role":"mayor","opd":null,"created":' "$WORK/users.json"
check "never a password hash" bash -c "! grep -qi 'argon2\|pwhash' '$WORK/users.json'"

# 6. outbox --dead: a reply the provider refuses for good.
settle
control $'400 code=131026'
say 081234567405 "pungli di kelurahan Semampir 5rb"
EXTRA_SECRETS+=(6281234567405 81234567405)
for i in $(seq 1 100); do
	[ "$(sqlite3 "$db" "select count(*) from outbox where status = 'dead'")" -ge 1 ] && break
	sleep 0.05
done
settle
"$HOTLINE" outbox --config "$conf" --dead >"$WORK/dead.json" 2>&1
"$HOTLINE" outbox --config "$conf" >"$WORK/all.json" 2>&1
expect_eq "outbox --dead lists the dead rows alone" \
	"$(sqlite3 "$db" "select count(*) from outbox where status = 'dead'")" "$(grep -c '"status":"dead"' "$WORK/dead.json")"
expect_eq "and nothing else" "$(grep -c . "$WORK/dead.json")" "$(grep -c '"status":"dead"' "$WORK/dead.json")"
check "fewer than the whole outbox" test "$(grep -c . "$WORK/all.json")" -gt "$(grep -c . "$WORK/dead.json")"
check "each with the provider's reason" grep -q '"last_error":"[^"]*131026' "$WORK/dead.json"
check "and a citizen's address shown as citizen" grep -q '"destination":"citizen"' "$WORK/dead.json"
control $'clear'
stop_server

# 7. doctor: a good config, then a bad one.
mkdir -p -m 700 "$WORK/cred"
printf 'smssync-shared-secret-for-tests\n' >"$WORK/cred/smssync_secret"
chmod 600 "$WORK/cred/smssync_secret"
sed "s#^secret = smssync-shared-secret-for-tests#secret_file = $WORK/cred/smssync_secret#" "$conf" >"$WORK/good.conf"
printf '\n[holidays]\ndates = %s\n' "$(date -u -d '+20 days' +%F)" >>"$WORK/good.conf"
"$HOTLINE" doctor --config "$WORK/good.conf" >"$WORK/doctor.out" 2>&1
expect_eq "doctor passes a good config" 0 "$?"
check "the config loads" grep -q "^ok    $WORK/good.conf  (loads: 5 channels" "$WORK/doctor.out"
check "the credential file is 0600 and readable" \
	grep -qF "ok    [channel smssync] secret_file = $WORK/cred/smssync_secret  (mode 0600, readable)" "$WORK/doctor.out"
check "each webhook URL is https" test "$(grep -c '^ok    \[channel [a-z_]*\] webhook_url https://' "$WORK/doctor.out")" = 5
check "the mayor's key with its fingerprint" grep -q "^ok    \[keys\] mayor_public  (fingerprint [0-9a-f]\{4\} " "$WORK/doctor.out"
check "the database opens, pinned to these custodians" \
	bash -c "grep -q '^ok    database $db  (opens read-write, $(db_count reports) reports)' '$WORK/doctor.out' && grep -q '^ok    custodians' '$WORK/doctor.out'"
check "the clock is sane" grep -q "^ok    clock  (20" "$WORK/doctor.out"
check "a holiday is ahead" grep -q "^ok    \[holidays\] dates  (the next is $(date -u -d '+20 days' +%F))" "$WORK/doctor.out"
check "no warning, no failure" bash -c "! grep -q '^\(warn\|FAIL\)' '$WORK/doctor.out'"
check "WhatsApp: the callback URL, the verify token by name, the field" \
	grep -q "callback URL https://lapor.pemkot.example/webhook/whatsapp, verify token = the verify_token credential; webhook fields: subscribe to messages" "$WORK/doctor.out"
check "and the WABA subscription" grep -q "curl -X POST .*/WABA_ID/subscribed_apps" "$WORK/doctor.out"
check "Twilio: the incoming-message webhook, POST" \
	grep -q '"A message comes in": Webhook https://lapor.pemkot.example/hooks/twilio/sms, HTTP POST' "$WORK/doctor.out"
check "SMS Gateway for Android: the webhook registered for sms:received" \
	grep -qF "curl -X POST -u 'e2e:PASSWORD' -H 'Content-Type: application/json' -d '{\"id\":\"hotline-received\",\"url\":\"https://lapor.pemkot.example/webhook/sms\",\"event\":\"sms:received\"}' http://127.0.0.1:$FAKE_PORT/3rdparty/v1/webhooks" "$WORK/doctor.out"
check "SMSSync: the sync URL and the secret by name" \
	grep -q "Sync URL https://lapor.pemkot.example/webhook/smssync, secret key = the secret credential" "$WORK/doctor.out"
printed=
for s in 0a1b2c3d4e5f60718293a4b5c6d7e8f9 verify-token-for-tests e2e-access-token \
	a1b2c3d4e5f60718293a4b5c6d7e8f90 asg-signing-key-for-tests e2e-password \
	smssync-shared-secret-for-tests; do
	grep -qF -- "$s" "$WORK/doctor.out" && printed="$printed $s"
done
expect_eq "doctor prints no secret" "" "$printed"

cp "$WORK/good.conf" "$WORK/bad.conf"
chmod 644 "$WORK/cred/smssync_secret"
sed -i "s#^webhook_url = https://lapor.pemkot.example/hooks/twilio/sms#webhook_url = http://lapor.pemkot.example/hooks/twilio/sms#;
	/^\[channel whatsapp\]/a webhook_url = http://lapor.pemkot.example/webhook/whatsapp
	s#^dates = .*#dates = 2020-01-01, 2020-08-17#" "$WORK/bad.conf"
"$HOTLINE" doctor --config "$WORK/bad.conf" >"$WORK/doctor.out" 2>&1
expect_eq "doctor fails a bad config" 1 "$?"
check "FAIL: a credential readable by others" \
	grep -qF "FAIL  [channel smssync] secret_file = $WORK/cred/smssync_secret  (mode 0644: group or others may read it, and the config refuses it; chmod 600 $WORK/cred/smssync_secret)" "$WORK/doctor.out"
check "warn: a plain http webhook URL" \
	grep -q "^warn  \[channel twilio_sms\] webhook_url http://lapor.pemkot.example/hooks/twilio/sms  (plain http: " "$WORK/doctor.out"
check "FAIL: plain http for WhatsApp, which Meta never calls" \
	grep -q "^FAIL  \[channel whatsapp\] webhook_url http://lapor.pemkot.example/webhook/whatsapp  (Meta calls only https" "$WORK/doctor.out"
check "warn: no holiday in the coming 60 days" \
	grep -q "^warn  \[holidays\] dates  (none in the coming 60 days" "$WORK/doctor.out"
check "the rest still ok" grep -q "^ok    clock" "$WORK/doctor.out"

check "no identity in the databases or the log" grep_secrets \
	"$db" "$db-wal" "$db.before-restore" "$WORK/b1.db" "$WORK/serve.log"
finish
