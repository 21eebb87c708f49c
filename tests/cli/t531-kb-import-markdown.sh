#!/bin/bash
# crm-kb import of Markdown files: a folder's *.md in name order and
# single files; front matter keys (quoted values, [a, b] lists, custom
# keys), the title from the first heading, external_id from the file
# name, a second import that changes nothing; bad front matter names the
# file, line and reason, exits 65 and writes nothing, even when other
# files were good.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/kb" "$T/bad"
cat >"$T/kb/a-reset.md" <<'X'
---
title: "Reset: your password"
category: account
tags: [password, 'login']
language: en
status: published
audience: customers
---

Open **Settings**.

Then click *Reset*.
X
cat >"$T/kb/b-heading.md" <<'X'
# Printer shows offline

Restart the router.
X
cat >"$T/kb/c-ja.md" <<'X'
---
external_id: ja-vpn
title: VPNに接続できない
language: ja
---
アプリを再起動してください。
X
echo 'not markdown' >"$T/kb/notes.txt"

expect_code 0 crm-kb import "$T/kb"
err_has "3 files: 3 inserted, 0 updated, 0 unchanged"
expect_code 0 crm-kb export -f json
expect_out "fields from front matter, the heading, the file name" <<'X'
[
{"id":1,"external_id":"a-reset","title":"Reset: your password","body":"Open **Settings**.\n\nThen click *Reset*.","category":"account","tags":"login,password","language":"en","status":"published","author":"tester","version":1,"published_at":"2026-11-22T09:30:00Z","created_at":"2026-11-22T09:30:00Z","updated_at":"2026-11-22T09:30:00Z","audience":"customers"},
{"id":2,"external_id":"b-heading","title":"Printer shows offline","body":"Restart the router.","category":null,"tags":null,"language":null,"status":"draft","author":"tester","version":1,"published_at":null,"created_at":"2026-11-22T09:30:00Z","updated_at":"2026-11-22T09:30:00Z","audience":null},
{"id":3,"external_id":"ja-vpn","title":"VPNに接続できない","body":"アプリを再起動してください。","category":null,"tags":null,"language":"ja","status":"draft","author":"tester","version":1,"published_at":null,"created_at":"2026-11-22T09:30:00Z","updated_at":"2026-11-22T09:30:00Z","audience":null}
]
X

# again: matched by external_id, nothing changes; a single file too
expect_code 0 crm-kb import "$T/kb"
err_has "3 files: 0 inserted, 0 updated, 3 unchanged"
sed -i 's/Restart the router./Restart the router and the printer./' "$T/kb/b-heading.md"
expect_code 0 crm-kb import "$T/kb/b-heading.md"
err_has "1 file: 0 inserted, 1 updated, 0 unchanged"
expect_code 0 crm-kb show b-heading -f csv --fields version,body
expect_out "the update made version 2" <<'X'
version,body
2,Restart the router and the printer.
X

# bad front matter: FILE:LINE: reason, exit 65, nothing written
db_dump "" "$T/before"
bad() { # name, content (printf format), the message
	rm -f "$T/bad"/*
	cp "$T/kb/a-reset.md" "$T/bad/a-good.md"
	printf -- "$2" >"$T/bad/$1.md"
	expect_code 65 crm-kb import "$T/bad"
	err_has "crm-kb:$T/bad/$1.md:$3"
	db_dump "" "$T/after"
	compare "$T/before" "$T/after" "$1: nothing written"
}
bad nocolon '---\ntitle: Fine\nthis line has no colon\n---\nbody\n' "3: front matter: expected 'key: value'"
bad unclosed '---\ntitle: Never closed\nstatus: draft\n' "1: front matter: no closing '---'"
bad twice '---\ntitle: One\ntitle: Two\n---\n' "3: front matter: 'title' given twice"
bad list '---\ntitle: T\ntags: [a, b\n---\n' "3: front matter: a list '[' without ']'"
bad quote '---\ntitle: "unterminated\n---\n' "2: front matter: an unterminated quoted value"
bad badkey '---\ntitle: T\nbad key!: v\n---\n' "3: front matter: a key is letters, digits, '_' and '-'"
bad status '---\ntitle: T\ncategory: x\nstatus: live\n---\nbody\n' "4: status: unknown value 'live' (expected one of: draft, published, archived)"
bad notitle 'no heading here\n' "1: title: none (a 'title:' key or a '# ' heading)"
bad utf8 '---\ntitle: T\n---\n\377\376 bad bytes\n' "4: invalid UTF-8"

# a file that is not there
expect_code 66 crm-kb import "$T/none.md"
err_has "cannot open '$T/none.md'"
mkdir "$T/empty"
expect_code 66 crm-kb import "$T/empty"
err_has "no Markdown files (*.md) to import"

# records still import as records
printf 'title,body,status\nCSV article,from a file,published\n' >"$T/a.csv"
expect_code 0 crm-kb import "$T/a.csv"
err_has "1 inserted"

done_testing
