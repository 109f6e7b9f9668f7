#!/bin/bash
# Evidence end to end, against the fake provider's media API: a WhatsApp
# photo with a caption is one report with its photo, fetched at once (the
# id's URL, then the bytes, each with the token), its GPS stripped, stored
# encrypted; a voice note sent after a text joins that report; a program
# sent as a document is not kept and the citizen is told in one line; a
# download that does not match its SHA-256 is retried, then given up; a
# Twilio MediaUrl is fetched with the account's credentials; the report page
# shows a photo inline and a document as a download to the report's OPD,
# and another OPD gets 404.  `hotline
# evidence` lists and exports them, audited.  The bytes never appear in
# clear in the database, its WAL or the log, and neither does a number.
. "$(dirname "$0")/lib.sh"
start_fake_provider
MERGE_WINDOW=2m FORGET=yes make_config
conf="$WORK/hotline.conf"
"$HOTLINE" keygen --evidence --out "$WORK/keys" >/dev/null
printf '\n[evidence]\nkey_file = %s\nmax_items = 3\n' "$WORK/keys/evidence.key" >>"$conf"
check "the config with an evidence key passes check" "$HOTLINE" check --config "$conf"
start_server
EXTRA_SECRETS=(6281234567501 81234567501 6281234567502 81234567502 6281234567503 81234567503)
db() { sqlite3 "$WORK/hotline.db" "$1"; }
code_of() { db "select code from reports where text like '$1%'"; }
settled() { # settled: no fetch still waiting (20 s at most)
	local i
	for i in $(seq 1 400); do
		[ "$(db "select count(*) from outbox where kind = 'fetch' and status in ('queued', 'sending', 'failed')")" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}
# wa_media FROM MSGID TYPE MEDIA_ID [CAPTION]: a signed WhatsApp media webhook
wa_media() {
	local caption=""
	[ -n "${5:-}" ] && caption="\"caption\":\"$5\","
	printf '{"object":"whatsapp_business_account","entry":[{"id":"1098765432109876","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100003333","phone_number_id":"115522334455667"},"contacts":[{"profile":{"name":"Warga"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"%s","type":"%s","%s":{%s"mime_type":"application/octet-stream","id":"%s"}}]},"field":"messages"}]}]}' \
		"$1" "$1" "$2" "$(date +%s)" "$3" "$3" "$caption" "$4" >"$WORK/media.json"
	post_whatsapp "$WORK/media.json"
}

# 1. A photo with a caption: one report, its photo kept.
expect_eq "the photo's webhook is answered at once" 200 \
	"$(wa_media 6281234567501 wamid.PHOTO1 image photo1 'Bukti kuitansi pungli 50rb di kelurahan Bandar Lor')"
a=$(code_of "Bukti kuitansi")
check "the caption is the report ($a)" test -n "$a"
check "the fetch is done" settled
expect_eq "one attachment, stored as a JPEG image" "1|stored|image|image/jpeg" \
	"$(db "select a.seq || '|' || a.status || '|' || a.kind || '|' || a.mime from attachments a join reports r on r.id = a.report_id where r.code = '$a'")"
"$HOTLINE" evidence --config "$conf" --out "$WORK" --reason "e2e" "$a" >"$WORK/export" 2>&1
check "hotline evidence exports it" test -f "$WORK/$a-1.jpg"
check "the exported photo has its pixels" grep -q "FAKE-PHOTO-PIXELS" "$WORK/$a-1.jpg"
check "and no GPS any more" bash -c "! grep -q GPSLatitude '$WORK/$a-1.jpg'"
expect_eq "the export is audited" 1 "$(db "select count(*) from audit where action = 'evidence_export' and report_code = '$a'")"
expect_eq "its file is the owner's alone" 600 "$(stat -c %a "$WORK/$a-1.jpg")"

# 1b. A PDF after it joins the same report; the web shows both to its OPD.
wa_media 6281234567501 wamid.PDF1 document pdf1 >/dev/null
check "the document's fetch is done" settled
expect_eq "the document joins the photo's report" "2|stored|document|application/pdf" \
	"$(db "select a.seq || '|' || a.status || '|' || a.kind || '|' || a.mime from attachments a join reports r on r.id = a.report_id where r.code = '$a' and a.seq = 2")"
opd=$(db "select opd from reports where code = '$a'")
other=dishub
[ "$opd" = dishub ] && other=dinas_pendidikan
opd_users "kepala:$opd" "lain:$other"
web_login kepala
web_login lain
web_page kepala "/reports/$a" >"$WORK/page.html"
check "the report page shows the photo inline to its OPD ($opd)" \
	grep -q "<img class=\"evidence\" src=\"/reports/$a/evidence/1\"" "$WORK/page.html"
check "and offers the document as a download, with the metadata warning" \
	bash -c "grep -q 'download href=\"/reports/$a/evidence/2\"' '$WORK/page.html' && grep -q 'memuat metadata' '$WORK/page.html'"
curl -s -D "$WORK/img.h" -o "$WORK/img" -b "$WORK/kepala.jar" "http://127.0.0.1:$PORT/reports/$a/evidence/1"
check "the photo is served to its OPD" grep -q "FAKE-PHOTO-PIXELS" "$WORK/img"
check "without its GPS" bash -c "! grep -q GPSLatitude '$WORK/img'"
check "as image/jpeg, never cached" bash -c "grep -qi '^content-type: image/jpeg' '$WORK/img.h' && grep -qi '^cache-control: no-store' '$WORK/img.h'"
curl -s -D "$WORK/doc.h" -o /dev/null -b "$WORK/kepala.jar" "http://127.0.0.1:$PORT/reports/$a/evidence/2"
check "the document downloads (Content-Disposition: attachment)" grep -qi '^content-disposition: attachment' "$WORK/doc.h"
expect_eq "another OPD gets 404 for the photo" 404 "$(web_status lain "/reports/$a/evidence/1")"
expect_eq "and for the page" 404 "$(web_status lain "/reports/$a")"
expect_eq "no one logged out gets it" 303 \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/reports/$a/evidence/1")"
expect_eq "an item that does not exist is 404" 404 "$(web_status kepala "/reports/$a/evidence/9")"

# 2. A text, then a voice note: one report, the note its attachment.
"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" --channel whatsapp \
	--from 081234567502 "jukir di alun-alun minta 10rb padahal karcis 3rb" >/dev/null 2>&1
b=$(code_of "jukir di alun-alun")
wa_media 6281234567502 wamid.VOICE1 audio voice1 >/dev/null
check "the voice note's fetch is done" settled
expect_eq "the voice note joins the text's report" "1|stored|audio|audio/ogg" \
	"$(db "select a.seq || '|' || a.status || '|' || a.kind || '|' || a.mime from attachments a join reports r on r.id = a.report_id where r.code = '$b'")"
expect_eq "still one report for that sender" 1 "$(db "select count(*) from reports where text like 'jukir di alun-alun%'")"

# 3. A program sent as a document: not kept, the citizen told.
wa_media 6281234567502 wamid.EXE1 document exe1 >/dev/null
check "its fetch is done" settled
expect_eq "refused for its type" "refused|type" \
	"$(db "select a.status || '|' || a.reason from attachments a join reports r on r.id = a.report_id where r.code = '$b' and a.seq = 2")"
told() { wa_sent_to 6281234567502 | grep -c 'tidak disimpan'; }
for i in $(seq 1 100); do [ "$(told)" -ge 1 ] && break; sleep 0.05; done
expect_eq "the citizen is told in one line that it was not kept" 1 "$(told)"

# 3b. One larger than max_bytes, by the size the lookup gives: not even
# downloaded.
wa_media 6281234567501 wamid.HUGE1 video huge1 >/dev/null
check "its fetch is done" settled
expect_eq "refused as too large" "refused|too_large" \
	"$(db "select a.status || '|' || a.reason from attachments a join reports r on r.id = a.report_id where r.code = '$a' and a.seq = 3")"
too_large() { wa_sent_to 6281234567501 | grep -c 'terlalu besar'; }
for i in $(seq 1 100); do [ "$(too_large)" -ge 1 ] && break; sleep 0.05; done
expect_eq "and its citizen told so" 1 "$(too_large)"

# 4. A download that does not match its SHA-256: retried, then given up.
wa_media 6281234567502 wamid.CORRUPT1 image corrupt1 >/dev/null
check "its fetch is done" settled
expect_eq "tried max_attempts times, then dead" "dead|3" \
	"$(db "select status || '|' || attempts from outbox where kind = 'fetch' order by id desc limit 1")"
check "with a visible reason" grep -q "sha256" <<<"$(db "select last_error from outbox where kind = 'fetch' order by id desc limit 1")"
expect_eq "the attachment is refused" "refused|download failed" \
	"$(db "select a.status || '|' || a.reason from attachments a join reports r on r.id = a.report_id where r.code = '$b' and a.seq = 3")"

# 4b. A photo first, then the story (the way people send it): the photo
# gets the instructions, waits, and joins the report the text files.
before=$(db "select count(*) from reports")
wa_media 6281234567503 wamid.PHOTOFIRST image photo7 >/dev/null
wa_wait_sent 6281234567503 1
expect_eq "a lone photo files no report" "$before" "$(db "select count(*) from reports")"
check "and gets the opener's instructions" grep -q "Silakan ceritakan" <<<"$(wa_sent_to 6281234567503)"
expect_eq "nothing is fetched for it yet" 0 "$(grep -c '/v25.0/photo7' "$WORK/fake.log")"
"$HOTLINE" simulate --config "$conf" --url "http://127.0.0.1:$PORT" --channel whatsapp \
	--from 081234567503 "itu kuitansi pungli ktp di kecamatan kota, diminta 100rb" >/dev/null 2>&1
c=$(code_of "itu kuitansi pungli ktp")
check "the story is one report ($c)" test -n "$c"
check "the photo's fetch is done" settled
expect_eq "the photo sent first is its attachment" "1|stored|image|image/jpeg" \
	"$(db "select a.seq || '|' || a.status || '|' || a.kind || '|' || a.mime from attachments a join reports r on r.id = a.report_id where r.code = '$c'")"

# 5. max_items (3): a fourth item kept on a report is not.
wa_media 6281234567502 wamid.PHOTO4 image photo4 >/dev/null
wa_media 6281234567502 wamid.PHOTO5 image photo5 >/dev/null
wa_media 6281234567502 wamid.PHOTO6 image photo6 >/dev/null
check "their fetches are done" settled
expect_eq "two more stored on that report, the next refused" "stored|stored|refused" \
	"$(db "select group_concat(a.status, '|') from (select a.status from attachments a join reports r on r.id = a.report_id where r.code = '$b' and a.seq >= 4 order by a.seq) a")"

# 6. Twilio: MediaUrl0 with the account's credentials.
url="https://lapor.pemkot.example/hooks/twilio/whatsapp"
media="http://127.0.0.1:$FAKE_PORT/twilio-media/photoTW"
params=(AccountSid AC9a8b7c6d5e4f30211203a4b5c6d7e8f9 Body "foto pungli parkir terminal tamanan"
	From "whatsapp:+6281234567501" MediaContentType0 image/jpeg MediaUrl0 "$media"
	MessageSid MMe2e0000000000000000000000000001 NumMedia 1 To "whatsapp:+6281100003333")
data="" signed="$url"
for ((i = 0; i < ${#params[@]}; i += 2)); do
	signed+="${params[i]}${params[i + 1]}"
	data+="${data:+&}${params[i]}=$(printf '%s' "${params[i + 1]}" | sed 's/:/%3A/g; s/+/%2B/g; s#/#%2F#g; s/ /+/g')"
done
printf '%s' "$data" >"$WORK/twilio.form"
sig=$(printf '%s' "$signed" | openssl dgst -sha1 -hmac a1b2c3d4e5f60718293a4b5c6d7e8f90 -binary | base64)
status=$(post /webhook/twilio_wa application/x-www-form-urlencoded "$WORK/twilio.form" "X-Twilio-Signature: $sig")
expect_eq "the Twilio media message is answered" 200 "$status"
t=$(code_of "foto pungli parkir terminal")
check "the fetch is done" settled
expect_eq "its photo is stored with the report ($t)" "stored|image/jpeg" \
	"$(db "select a.status || '|' || a.mime from attachments a join reports r on r.id = a.report_id where r.code = '$t'")"
# forget_at_provider: the message (and its media) deleted at Twilio only
# once its media is fetched: the forget row is queued after the fetch row
for i in $(seq 1 100); do grep -q '"api":"twilio_delete"' "$WORK/fake.log" && break; sleep 0.05; done
media_line=$(grep -n '"path":"/twilio-media/photoTW"' "$WORK/fake.log" | head -1 | cut -d: -f1)
delete_line=$(grep -n '"api":"twilio_delete"' "$WORK/fake.log" | head -1 | cut -d: -f1)
check "the message is deleted at Twilio (forget_at_provider)" test -n "$delete_line"
check "only after its media was fetched (log lines $media_line, $delete_line)" \
	test "${media_line:-0}" -gt 0 -a "${delete_line:-0}" -gt "${media_line:-0}"

expect_eq "hotline reports counts the stored ones (max_items)" 3 \
	"$("$HOTLINE" reports --config "$conf" | grep -F "\"$b\"" | sed 's/.*"attachments":\([0-9]*\).*/\1/')"
# 7. hotline evidence lists them all; nothing in clear at rest.
"$HOTLINE" evidence --config "$conf" "$b" >"$WORK/list"
expect_eq "hotline evidence lists every item of a report" 6 "$(grep -c '"seq"' "$WORK/list")"
stop_server
for secret in FAKE-PHOTO-PIXELS FAKE-VOICE-NOTE FAKE-DOCUMENT GPSLatitude FAKE-PROGRAM; do
	check "no '$secret' in the database, WAL or log" bash -c \
		"! grep -a -q '$secret' '$WORK/hotline.db' '$WORK/hotline.db-wal' '$WORK/serve.log' 2>/dev/null"
done
check "no citizen's number in the database, WAL or log" grep_secrets \
	"$WORK/hotline.db" "$WORK/hotline.db-wal" "$WORK/serve.log"
finish
