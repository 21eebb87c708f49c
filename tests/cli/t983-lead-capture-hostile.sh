#!/bin/bash
# crm-lead capture refuses hostile form bodies cleanly: bad
# percent-encoding, invalid UTF-8 (raw or percent-encoded, in a value or
# a name), a NUL, huge fields and bodies, too many fields, line breaks in
# a urlencoded body, nested or malformed JSON, an empty body, a body with
# nobody in it. Each is exit 65 naming the file, line and field, and one
# bad body among good ones writes nothing at all.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-12-01T10:00:00Z

mkdir "$T/in"
cd "$T/in" || exit 1
printf 'email=ann%%40example.com&name=Ann\n' >good.txt
expect_code 0 crm-lead capture -q good.txt
db_dump "" "$T/before"

refused() { # file, what stderr must say
	expect_code 65 crm-lead capture good.txt "$1"
	err_has "$2"
}
printf 'name=Eve&email=eve%%40example.com&comment=100%%zz+off\n' >pct.txt
refused pct.txt "crm-lead:pct.txt:1: comment: bad percent-encoding at byte 45"
printf 'name=Eve&comment=50%%\n' >pct-end.txt
refused pct-end.txt "crm-lead:pct-end.txt:1: comment: bad percent-encoding at byte 20"
printf 'na%%zme=Eve\n' >pct-name.txt
refused pct-name.txt "crm-lead:pct-name.txt:1: bad percent-encoding in a field name at byte 3"
printf 'name=Eve&comment=caf%%C3%%28\n' >utf8-pct.txt
refused utf8-pct.txt "crm-lead:utf8-pct.txt:1: comment: invalid UTF-8 at byte 4"
printf 'name=Eve&comment=caf\xc3\x28\n' >utf8-raw.txt
refused utf8-raw.txt "crm-lead:utf8-raw.txt:1: comment: invalid UTF-8 at byte 4"
printf 'name=Eve&n%%FFme=x\n' >utf8-name.txt
refused utf8-name.txt "crm-lead:utf8-name.txt:1: invalid UTF-8 or NUL in a field name"
printf 'name=Eve%%00Mallory\n' >nul.txt
refused nul.txt "crm-lead:nul.txt:1: name: NUL byte in the value"
printf 'name=Eve\nemail=eve%%40example.com\n' >lines.txt
refused lines.txt "crm-lead:lines.txt:1: a line break inside a urlencoded body"
{ printf 'name=Eve&comment='; head -c 70000 /dev/zero | tr '\0' A; echo; } >huge-field.txt
refused huge-field.txt "crm-lead:huge-field.txt:1: comment: value of 70000 bytes, more than 65536"
{ printf 'name=Eve'; for i in $(seq 1 40); do printf '&c=%s' "$(head -c 2000 /dev/zero | tr '\0' B)"; done; echo; } >huge-joined.txt
refused huge-joined.txt "crm-lead:huge-joined.txt:1: c: values of more than 65536 bytes"
{ printf 'name=Eve'; for i in $(seq 1 210); do printf '&f%d=x' "$i"; done; echo; } >many.txt
refused many.txt "crm-lead:many.txt:1: f200: more than 200 fields"
head -c 1100000 /dev/zero | tr '\0' a >huge-body.txt
refused huge-body.txt "crm-lead:huge-body.txt:1: body of more than 1048576 bytes"
printf '{"name": "Eve", "email": {"work": "eve@example.com"}}\n' >nested.json
refused nested.json "crm-lead:nested.json:1: email: a nested object"
printf '{"name": "Eve", "tags": ["a", {"b": 1}]}\n' >array.json
refused array.json "crm-lead:array.json:1: tags: an array of other than strings"
printf '{"name": "Eve",\n "email": "eve@example.com",\n}\n' >bad.json
refused bad.json "crm-lead:bad.json:3: "
printf '{"name": "Eve", "name": "Mallory"}\n' >dup.json
refused dup.json "crm-lead:dup.json:1: duplicate object key"
printf '[{"name": "Eve"}]\n' >list.json
refused list.json "crm-lead:list.json:1: "
printf '\n\n' >empty.txt
refused empty.txt "crm-lead:empty.txt:1: empty body"
printf 'message=hello&utm_source=spam\n' >nobody.txt
refused nobody.txt "crm-lead:nobody.txt:1: a lead needs a name, an email, a phone or a company"
printf 'name=Eve&email=not-an-address\n' >bad-email.txt
refused bad-email.txt "crm-lead:bad-email.txt:1: email: invalid address 'not-an-address'"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "every refusal wrote nothing, the good body beside it included"

# a folder with one bad body among good ones: nothing
mkdir "$T/dir"
printf 'email=a%%40example.com\n' >"$T/dir/1.txt"
cp pct.txt "$T/dir/2.txt"
printf 'email=b%%40example.com\n' >"$T/dir/3.txt"
expect_code 65 crm-lead capture "$T/dir"
err_has "2.txt:1: comment: bad percent-encoding"
db_dump "" "$T/after2"
compare "$T/before" "$T/after2" "a bad body in a folder: nothing written"
done_testing
