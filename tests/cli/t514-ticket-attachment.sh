#!/bin/bash
# crm-ticket attachment TICKET [N]: lists a ticket's attachments (number,
# name, type, size, kept) and writes the N-th byte for byte as it came
# (sha256 against the part as Python's email package decodes it from the
# message) to -o FILE, to standard output, or with -O to the sender's file
# name when that is safe; refuses an existing file without --force, the
# database, a terminal, a hostile name, an attachment over the limit.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
export CRM_MAIL_FROM='Support <support@example.com>'
P=(--policies "$DATA/sla-test.json")
command -v python3 >/dev/null || { skip "python3 not installed"; done_testing; exit 0; }

# a message with a binary image (every byte value, NULs included), a
# text file named to climb out of the folder, and one over the limit
python3 - "$T" <<'PY'
import sys, email.message, email.policy
t = sys.argv[1]
png = bytes(range(256)) * 300 + b"\x00\r\n\r\n.\nFrom x\n"   # 76,814 bytes
m = email.message.EmailMessage(policy=email.policy.SMTP)
m["From"] = "Ann Lee <ann@acme.example>"
m["To"] = "support@example.com"
m["Subject"] = "Printer photos"
m["Message-ID"] = "<photos@acme.example>"
m.set_content("Photos attached.\n")
m.add_attachment(png, maintype="image", subtype="png", filename="printer.png")
m.add_attachment("root:x:0:0\n", subtype="plain", filename="../../etc/passwd")
m.add_attachment(b"PATH=/tmp/evil\n", maintype="application", subtype="octet-stream", filename=".profile")
m.add_attachment(b"Z" * 300000, maintype="application", subtype="octet-stream", filename="dump.bin")
open(t + "/m.eml", "wb").write(m.as_bytes())
# the parts as a mail client decodes them from the message
import email, hashlib
r = email.message_from_bytes(open(t + "/m.eml", "rb").read(), policy=email.policy.default)
with open(t + "/sums", "w") as f:
    for p in r.iter_attachments():
        f.write(hashlib.sha256(p.get_payload(decode=True)).hexdigest() + "\n")
PY
expect_code_in 0 "$T/m.eml" crm-ticket mail "${P[@]}" --max-attachment 100K -q -f csv
expect_out "four attachments: three kept, one over the limit" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,opened,,3,1
X

expect_code 0 crm-ticket attachment 1 -f csv
expect_out "the list: number, name, type, size, kept" <<'X'
n,filename,content_type,size,kept
1,printer.png,image/png,76814,yes
2,../../etc/passwd,text/plain,12,yes
3,.profile,application/octet-stream,15,yes
4,dump.bin,application/octet-stream,300000,no
X

cd "$T" || exit 1
expect_code 0 crm-ticket attachment 1 1 -o photo.png
err_has "wrote photo.png (76814 bytes)"
sed -n 1p sums >want.sum
sha256sum <photo.png | cut -d' ' -f1 >got.sum
compare want.sum got.sum "-o: the image byte for byte (sha256 of the part in the message)"
expect_code 0 crm-ticket attachment 1 1
sha256sum <"$T/out" | cut -d' ' -f1 >got.sum
compare want.sum got.sum "standard output: the same bytes"
expect_code 0 crm-ticket attachment 1 1 -o -
sha256sum <"$T/out" | cut -d' ' -f1 >got.sum
compare want.sum got.sum "-o -: the same bytes"
expect_code 0 crm-ticket attachment 1 2 -o passwd.txt
sed -n 2p sums >want.sum
sha256sum <passwd.txt | cut -d' ' -f1 >got.sum
compare want.sum got.sum "the text attachment as it came (CRLF line ends, as sent)"

# -O uses the sender's name only when it is a plain name here
expect_code 0 crm-ticket attachment 1 1 -O
sed -n 1p sums >want.sum
sha256sum <printer.png | cut -d' ' -f1 >got.sum
compare want.sum got.sum "-O writes printer.png"
mkdir sub && cd sub || exit 1
expect_code 0 crm-ticket attachment 1 2 -O
err_has "wrote passwd (12 bytes)"
cd "$T" || exit 1
sed -n 2p sums >want.sum
sha256sum <sub/passwd | cut -d' ' -f1 >got.sum
compare want.sum got.sum "-O keeps the last part of ../../etc/passwd, in the current folder"
check "-O wrote nothing outside the folder" test ! -e "$(dirname "$T")/etc/passwd" -a "$(ls "$T/sub")" = passwd
expect_code 65 crm-ticket attachment 1 3 -O
err_has "its name '.profile' is not a safe file name here; give -o FILE"
check "a dot file is not written" test ! -e .profile

# an existing file is kept unless --force; the database never
echo keep >photo.png
expect_code 73 crm-ticket attachment 1 1 -o photo.png
err_has "'photo.png' exists; --force replaces it"
echo keep >want.txt
compare want.txt photo.png "the existing file is untouched"
expect_code 0 crm-ticket attachment 1 1 -o photo.png --force -q
sed -n 1p sums >want.sum
sha256sum <photo.png | cut -d' ' -f1 >got.sum
compare want.sum got.sum "--force replaces it"
case $CRM_DB in
postgresql:* | postgres:*) ;; # the database is no file there
*)	expect_code 73 crm-ticket attachment 1 1 -o "$CRM_DB" --force
	err_has "--force never replaces it" ;;
esac
ln -s photo.png link.png
expect_code 73 crm-ticket attachment 1 2 -o link.png --force
compare want.sum <(sha256sum <photo.png | cut -d' ' -f1) "a symbolic link is not followed"

# over the limit: listed, not kept; unknown numbers and tickets; usage
expect_code 66 crm-ticket attachment 1 4 -o dump.bin
err_has "was over the size limit when it came and was not kept"
check "nothing written for a dropped attachment" test ! -e dump.bin
expect_code 66 crm-ticket attachment 1 5 -o x
err_has "ticket 1 has no attachment 5 (it has 4)"
expect_code 66 crm-ticket attachment 9 1 -o x
expect_code 64 crm-ticket attachment 1 0
expect_code 64 crm-ticket attachment 1 x
expect_code 64 crm-ticket attachment
expect_code 64 crm-ticket attachment 1 -o x
err_has "give its number"
expect_code 64 crm-ticket attachment 1 1 -o x -O
check "usage errors write nothing" test ! -e x
expect_code 0 crm-ticket attachment 1 -f json --fields n,kept
expect_out "--fields picks columns" <<'X'
[
{"n":"1","kept":"yes"},
{"n":"2","kept":"yes"},
{"n":"3","kept":"yes"},
{"n":"4","kept":"no"}
]
X
done_testing
