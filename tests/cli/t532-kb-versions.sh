#!/bin/bash
# crm-kb versions: every change of title or body keeps the text before it
# as a version (readable with versions and show --version), other fields
# make none; the search index follows the current text; the generic verbs
# (add, list, show, update, delete, export, tag, undo), publish and
# archive, and reindex after an undo.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-kb add -q --title 'Reset password' --body 'Click Forgot password.' --external-id reset
expect_code 0 crm-kb show reset -f csv --fields id,title,status,author,version
expect_out "a new article: draft, version 1, author CRM_USER" <<'X'
id,title,status,author,version
1,Reset password,draft,tester,1
X
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-kb update 1 -q --set 'body=Use the reset link in the email.'
CRM_NOW=2026-11-24T10:00:00Z expect_code 0 crm-kb update 1 -q --set 'title=Reset a password'
CRM_NOW=2026-11-25T10:00:00Z expect_code 0 crm-kb update 1 -q --set category=account --set tags=login
expect_code 0 crm-kb versions 1 -f csv
expect_out "three versions, the current last; a category change makes none" <<'X'
version,current,title,author,saved_at,body
1,false,Reset password,tester,2026-11-23T10:00:00Z,Click Forgot password.
2,false,Reset password,tester,2026-11-24T10:00:00Z,Use the reset link in the email.
3,true,Reset a password,tester,2026-11-25T10:00:00Z,Use the reset link in the email.
X
expect_code 0 crm-kb show 1 --version 1 -f json
expect_out "show --version 1: the first text" <<'X'
[
{"version":1,"current":false,"title":"Reset password","author":"tester","saved_at":"2026-11-23T10:00:00Z","body":"Click Forgot password."}
]
X
expect_code 66 crm-kb show 1 --version 9
err_has "article 1 has no version 9"
expect_code 64 crm-kb show 1 --version 0
expect_code 66 crm-kb versions 7
err_has "no article '7'"

# the index follows the current text: the old words are gone
expect_code 0 crm-kb publish 1
err_has "published 1 article"
expect_code 0 crm-kb show 1 -f csv --fields status,published_at
expect_out "publish sets published_at" <<'X'
status,published_at
published,2026-11-22T09:30:00Z
X
expect_code 0 crm-kb search --ids email
expect_out "the new body is searched" <<'X'
1
X
expect_code 0 crm-kb search --ids forgot
expect_out "the old body is not" </dev/null

# archive: out of search
expect_code 0 crm-kb archive 1
expect_code 0 crm-kb search --ids email
expect_out "an archived article is not searched" </dev/null
expect_code 0 crm-kb search --ids --status archived email
expect_out "unless asked" <<'X'
1
X

# the generic verbs
expect_code 65 crm-kb add --body 'no title'
err_has "title"
expect_code 65 crm-kb add --title T --status live
err_has "status: unknown value 'live'"
expect_code 0 crm-kb add -q --title 'Second' --body 'Another article' --status published
expect_code 0 crm-kb tag add faq 2
expect_code 0 crm-kb list -f csv --fields id,title,tags,status
expect_out "list" <<'X'
id,title,tags,status
1,Reset a password,login,archived
2,Second,faq,published
X
expect_code 0 crm-kb export -f csv
cp "$T/out" "$T/export.csv"
expect_code 0 crm-kb import "$T/export.csv"
err_has "0 inserted, 0 updated, 2 unchanged"
expect_code 0 crm-kb delete 2
change=$(sed -n "s/.*'crm-kb undo \([0-9]*\)'.*/\1/p" "$T/err")
expect_code 0 crm-kb search --ids another
expect_out "a deleted article is not found" </dev/null
expect_code 0 crm-kb undo "$change"
expect_code 0 crm-kb search --ids another
expect_out "undone, it is found again" <<'X'
2
X
# an undo of a text change restores the index with the text
expect_code 0 crm-kb update 2 --set 'body=Different words now'
change=$(sed -n "s/.*'crm-kb undo \([0-9]*\)'.*/\1/p" "$T/err")
expect_code 0 crm-kb search --ids different
expect_out "the new text is searched" <<'X'
2
X
expect_code 0 crm-kb undo "$change"
expect_code 0 crm-kb search --ids another
expect_out "undone, the restored text is searched" <<'X'
2
X
expect_code 0 crm-kb search --ids different
expect_out "and the undone text is not" </dev/null
# after that undo the article is back at version 1 with version 1 saved:
# the next change saves its text under the next free number
expect_code 0 crm-kb add -q --title 'Third' --body one --external-id third
expect_code 0 crm-kb update third --set body=two
change=$(sed -n "s/.*'crm-kb undo \([0-9]*\)'.*/\1/p" "$T/err")
expect_code 0 crm-kb undo "$change"
expect_code 0 crm-kb update -q third --set body=three
expect_code 0 crm-kb versions third -f csv --fields version,current,body
expect_out "update, undo, update: every text kept, numbers never reused" <<'X'
version,current,body
1,false,one
2,false,one
3,true,three
X
# reindex rebuilds it all (a repair)
sql "DELETE FROM kb_terms"
expect_code 0 crm-kb search --ids another
expect_out "no index, nothing found" </dev/null
expect_code 0 crm-kb reindex
err_has "indexed 3 articles"
expect_code 0 crm-kb search --ids another
expect_out "reindexed" <<'X'
2
X

done_testing
