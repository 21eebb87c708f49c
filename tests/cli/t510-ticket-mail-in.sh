#!/bin/bash
# crm-ticket mail: real-world messages (tests/data/mail/) open tickets or
# thread replies (References, [#ID] tag); charsets GBK, ISO-2022-JP, Big5,
# ISO-8859-x, QP and base64; HTML only; Gmail and Outlook quoted history
# trimmed; the sender matched or made a contact; attachments kept or,
# over the limit, listed; auto-replies, bounces, loops, floods and
# duplicates write nothing; exit codes for an MTA (0, 65, 75).
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
export CRM_MAIL_FROM='Support <support@example.com>'
P=(--policies "$DATA/sla-test.json")
M=$DATA/mail

printf 'first_name,last_name,email\nAnn,Lee,ann@acme.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"

# a new message opens a ticket for the known contact
expect_code_in 0 "$M/01-alternative.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "multipart/alternative opens ticket 1 for contact 1" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,opened,,0,0
X
expect_code 0 crm-ticket show 1 -f csv --fields id,subject,contact_id,channel,status,description
expect_out "the text/plain part, QP decoded to UTF-8" <<'X'
id,subject,contact_id,channel,status,description
1,Printer on fire,1,email,new,"Hello,

The printer in room 4 — the HP one — is smoking again.
Serial SN-1001.

Ann
"
X
# the same message again (an MTA retry): nothing
db_dump "" "$T/before"
expect_code_in 0 "$M/01-alternative.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "a duplicate delivery is ignored" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,,ignored,duplicate,0,0
X
db_dump "" "$T/after"
compare "$T/before" "$T/after" "a duplicate writes nothing"

# a Gmail reply threads by References; its quoted history is trimmed
CRM_NOW=2026-11-23T10:05:00Z expect_code_in 0 "$M/02-gmail-reply.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "Gmail reply threads onto ticket 1" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,replied,,0,0
X
# an Outlook reply threads by its [#1] tag (no In-Reply-To), address case ignored
CRM_NOW=2026-11-23T11:00:00Z expect_code_in 0 "$M/03-outlook-reply.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "Outlook reply threads by [#1], keeps its attachment" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,replied,,1,0
X
expect_code 0 crm-ticket show 1 -f json
jq -c '[.thread[] | [.type, .direction, .body]]' "$T/out" >"$T/j"
cat >"$T/want" <<'X'
[["reply","in","It stopped smoking after the restart, thanks.\n"],["reply","in","It's smoking again. Photo attached. Café on the 2nd floor is fine.\n\nAnn\n"]]
X
compare "$T/want" "$T/j" "Gmail and Outlook history trimmed; ISO-8859-1 QP decoded"
jq -c '.attachments' "$T/out" >"$T/j"
echo '[{"filename":"printer.png","content_type":"image/png","size":68,"kept":true}]' >"$T/want"
compare "$T/want" "$T/j" "show lists the attachment"
sql "SELECT count(*) FROM contacts"
echo 1 >"$T/want"; compare "$T/want" "$T/sql" "replies made no new contact"

# charsets: GBK (labelled gb2312) and an RFC 2047 GB2312 subject and name
expect_code_in 0 "$M/04-gbk.eml" crm-ticket mail "${P[@]}" -q
expect_code_in 0 "$M/05-iso2022jp.eml" crm-ticket mail "${P[@]}" -q
expect_code_in 0 "$M/06-html-only.eml" crm-ticket mail "${P[@]}" -q
expect_code_in 0 "$M/10-big5-latin2.eml" crm-ticket mail "${P[@]}" -q
expect_code 0 crm-ticket list -f json --fields id,subject,description,contact_id --where 'id>1'
jq -c '.[]' "$T/out" >"$T/j"
cat >"$T/want" <<'X'
{"id":2,"subject":"打印机故障","description":"您好，\n\n我们的打印机坏了，王喆说需要换墨盒。\n\n谢谢\n","contact_id":2}
{"id":3,"subject":"プリンター故障","description":"お世話になっております。\nプリンターが動きません。\n","contact_id":3}
{"id":4,"subject":"Invoice question","description":"Hi,\nInvoice INV-42 shows €120 & VAT twice:\n- line 1\n- line 2\nRegards,\nBob\n","contact_id":4}
{"id":5,"subject":"印表機Łódź","description":"您好，印表機壞了。\n","contact_id":5}
X
compare "$T/want" "$T/j" "GBK, ISO-2022-JP, Big5 bodies; RFC 2047 subjects; HTML only as text"
expect_code 0 crm-contact list -f csv --fields id,first_name,last_name,email,source --where 'id>1'
expect_out "new senders become contacts (names from the From header)" <<'X'
id,first_name,last_name,email,source
2,喆,王,zhe@example.cn,email
3,木,鈴,suzuki@example.jp,email
4,Bob,,bob@other.example,email
5,Chen,,chen@example.tw,email
X

# machines: an auto-reply, a bounce (DSN), our own reply coming back
db_dump "" "$T/before"
for m in 07-auto-reply:auto-submitted 08-bounce:bounce 09-loop:loop; do
	expect_code_in 0 "$M/${m%%:*}.eml" crm-ticket mail "${P[@]}" -f csv
	out_has "ignored,${m#*:}"
done
db_dump "" "$T/after"
compare "$T/before" "$T/after" "auto-reply, bounce and loop write nothing"

# a mail loop attempt: an autoresponder without headers answering each
# of our replies: after --loop-limit messages in an hour it is ignored
for i in 1 2 3 4; do
	printf 'From: robot@loop.example\nTo: support@example.com\nSubject: Your request %s\nMessage-ID: <r%s@loop.example>\n\nWe received your message.\n' "$i" "$i" >"$T/r$i.eml"
done
for i in 1 2 3; do
	expect_code_in 0 "$T/r$i.eml" crm-ticket mail "${P[@]}" --loop-limit 3 -q
done
expect_code_in 0 "$T/r4.eml" crm-ticket mail "${P[@]}" --loop-limit 3 -f csv
out_has ",ignored,loop,"
CRM_NOW=2026-11-23T10:00:01Z expect_code_in 0 "$T/r4.eml" crm-ticket mail "${P[@]}" --loop-limit 3 -f csv
out_has "opened"
sql "SELECT count(*) FROM tickets WHERE subject LIKE 'Your request%'"
echo 4 >"$T/want"; compare "$T/want" "$T/sql" "the flood was held to the limit, then let through an hour later"

# a 30 MB attachment: over the 10M default it is listed, not kept
{
	printf 'From: Ann Lee <ann@acme.example>\nSubject: core dump\nMessage-ID: <big@acme.example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\nSee the dump.\n--b1\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="core.bin"\nContent-Transfer-Encoding: base64\n\n'
	head -c 31457280 /dev/zero | base64
	printf -- '--b1--\n'
} >"$T/big.eml"
expect_code_in 0 "$T/big.eml" crm-ticket mail "${P[@]}" -f csv
expect_out "the 30 MB attachment is dropped and counted" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
10,1,opened,,0,1
X
sql "SELECT filename, size, CASE WHEN content IS NULL THEN 1 ELSE 0 END FROM ticket_attachments WHERE ticket_id = 10"
echo 'core.bin|31457280|1' >"$T/want"; compare "$T/want" "$T/sql" "listed with its size, content not kept"
expect_code_in 0 "$M/01-alternative.eml" crm-ticket mail "${P[@]}" --max-attachment 1K -f csv

# a new sender who looks like a known contact: the dedupe model flags the
# new one (--no-dedupe: by address only)
printf 'first_name,last_name,email,city\nBob,Smith,bob@x.example,Paris\nCara,Diaz,cara@y.example,Madrid\nDan,Wu,dan@z.example,Berlin\n' >"$T/more.csv"
expect_code 0 crm-contact import -q "$T/more.csv"
printf 'From: Ann Lee <ann.lee@gmail.com>\nSubject: from home\nMessage-ID: <home@gmail.com>\n\nhello\n' >"$T/home.eml"
sed 's/ann.lee@gmail.com/ann.lee@work.example/; s/<home@/<work@/' "$T/home.eml" >"$T/work.eml"
expect_code_in 0 "$T/home.eml" crm-ticket mail "${P[@]}" -q
expect_code_in 0 "$T/work.eml" crm-ticket mail "${P[@]}" --no-dedupe -q
expect_code 0 crm-contact export -f ndjson --where email~ann.lee@
jq -c '[.email, .first_name, .last_name, .tags, .duplicate_of]' "$T/out" >"$T/j"
cat >"$T/want" <<'X'
["ann.lee@gmail.com","Ann","Lee","possible-duplicate",1]
["ann.lee@work.example","Ann","Lee",null,null]
X
compare "$T/want" "$T/j" "a new sender like Ann is flagged as her duplicate; not with --no-dedupe"

# permanent failures (65: the MTA bounces) and temporary ones (75: it retries)
db_dump "" "$T/before"
printf 'Subject: no sender\n\nhello\n' >"$T/nofrom.eml"
expect_code_in 65 "$T/nofrom.eml" crm-ticket mail "${P[@]}"
err_has "no From address"
expect_code_in 65 /dev/null crm-ticket mail "${P[@]}"
err_has "no message on stdin"
{
	printf 'From: x@deep.example\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b0"\n\n'
	for i in $(seq 0 200); do printf -- '--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' "$i" $((i + 1)); done
} >"$T/deep.eml"
expect_code_in 65 "$T/deep.eml" crm-ticket mail "${P[@]}"
err_has "nested too deeply"
expect_code_in 75 "$M/04-gbk.eml" crm-ticket mail --policies "$T/missing.json"
expect_code_in 64 "$M/04-gbk.eml" crm-ticket mail "${P[@]}" --max-attachment lots
sed 's/<20261124080000.12345@example.cn>/<dry@example.cn>/' "$M/04-gbk.eml" >"$T/dry.eml"
expect_code_in 0 "$T/dry.eml" crm-ticket mail "${P[@]}" --dry-run -f csv
out_has ",opened,"
err_has "dry run: opened ticket"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed deliveries write nothing"
done_testing
