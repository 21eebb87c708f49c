#!/bin/bash
# crm-dedupe contacts, merge and undo: clusters, pairs, --check, merge
# survivorship, re-pointed links, undo to a byte-identical export, errors.
. "$(dirname "$0")/../lib.sh"

cat >"$T/c.csv" <<'X'
external_id,first_name,last_name,email,phone,company,city,tags,lifecycle_stage,created_at,updated_at
a1,Robert,Smith,rob@acme.com,+1 415 555 0101,Acme Inc,Austin,vip,lead,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
a2,Bob,Smith,,+1 (415) 555-0101,Acme,,beta,customer,2025-02-01T00:00:00Z,2025-06-01T00:00:00Z
a3,Martha,Jones,mj@example.com,+44 20 7946 0001,Globex,London,,,2025-01-05T00:00:00Z,2025-01-05T00:00:00Z
a4,Marhta,Jones,,+44 20 7946 0001,Globex Ltd,Londres,,,2025-03-05T00:00:00Z,2025-03-05T00:00:00Z
a5,Alice,Brown,alice@brown.org,,Initech,Berlin,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
a6,Zed,Zulu,zed@zulu.net,+49 30 1234567,Umbrella,Paris,,,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
X
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 1 crm-dedupe contacts --check
cut -d, -f1,2,4-8 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
cluster,id,first_name,last_name,email,phone,company
1,1,Robert,Smith,rob@acme.com,+1 415 555 0101,Acme Inc
1,2,Bob,Smith,,+1 (415) 555-0101,Acme
3,3,Martha,Jones,mj@example.com,+44 20 7946 0001,Globex
3,4,Marhta,Jones,,+44 20 7946 0001,Globex Ltd
X
compare "$T/want" "$T/got" "contacts: two clusters, the oldest id names each"
awk -F, 'NR > 1 && ($3 < 50 || $3 > 100) { bad++ } END { exit bad > 0 }' "$T/out"
check "contacts: probabilities are percentages above the threshold" [ $? -eq 0 ]
err_has "6 contacts"
expect_code 0 crm-dedupe contacts --threshold 100
expect_out "--threshold 100: nothing is that sure" <<'X'
cluster,id,probability,first_name,last_name,email,phone,company,city,region,country
X
expect_code 0 crm-dedupe contacts --pairs -f csv
cut -d, -f1,2,4- "$T/out" >"$T/got"
cat >"$T/want" <<'X'
id,other_id,first_name,last_name,email,phone,company,city,region,country
1,2,similar,exact,,exact,exact,,,
3,4,similar,exact,,exact,exact,differ,,
X
compare "$T/want" "$T/got" "--pairs: the agreement of each field (legal forms dropped)"
expect_code 0 crm-dedupe contacts --rule 'email' -f csv
expect_out "--rule email: no two share one" <<'X'
cluster,id,probability,first_name,last_name,email,phone,company,city,region,country
X
expect_code 1 crm-dedupe contacts --rule 'phone & last_name' --check --fields last_name,phone -f csv
expect_out "--fields picks the compared fields" <<'X'
cluster,id,probability,last_name,phone
1,1,100.00,Smith,+1 415 555 0101
1,2,100.00,Smith,+1 (415) 555-0101
3,3,100.00,Jones,+44 20 7946 0001
3,4,100.00,Jones,+44 20 7946 0001
X
expect_code 0 crm-dedupe contacts -w 'city=Paris' --check
check "--where narrows the records compared" [ "$(wc -l <"$T/out")" -eq 1 ]
expect_code 64 crm-dedupe contacts --fields nosuch:text
err_has "nosuch"
expect_code 64 crm-dedupe contacts --rule "first_name & title"
err_has "no compared field 'title'"
expect_code 64 crm-dedupe contacts --rule '|'
err_has "empty rule"

# a table added later that refers to contacts: merges re-point it
sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, contact_id INTEGER REFERENCES contacts(id), body TEXT);
INSERT INTO notes (id, contact_id, body) VALUES (1, 2, 'n1'), (2, 4, 'n2'), (3, 1, 'n3'), (4, 4, 'n4'), (5, 5, 'n5');"
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/before.csv"
sql "SELECT * FROM notes ORDER BY id"
cp "$T/sql" "$T/notes.before"
db_dump "$CRM_DB" "$T/dump.before"

expect_code 0 crm-dedupe merge --dry-run -f csv
cut -d, -f1-6 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
merge,merged,id,external_id,first_name,last_name
1,2,1,a1,Bob,Smith
2,4,3,a3,Marhta,Jones
X
compare "$T/want" "$T/got" "merge --dry-run shows the survivors"
err_has "dry run: 2 merges, 2 contacts merged away"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "a dry run changes nothing"

expect_code 0 crm-dedupe merge -f json
expect_out "merge: newest value wins, empty fields filled, tags united, furthest stage" <<'X'
[
{"merge":"1","merged":"2","id":1,"external_id":"a1","first_name":"Bob","last_name":"Smith","email":"rob@acme.com","phone":"+1 (415) 555-0101","company":"Acme","company_id":1,"title":null,"reports_to_id":null,"city":"Austin","region":null,"country":null,"source":null,"owner":null,"tags":"beta,vip","lifecycle_stage":"customer","last_activity_at":null,"created_at":"2025-01-01T00:00:00Z","updated_at":"2026-11-22T09:30:00Z"},
{"merge":"2","merged":"4","id":3,"external_id":"a3","first_name":"Marhta","last_name":"Jones","email":"mj@example.com","phone":"+44 20 7946 0001","company":"Globex Ltd","company_id":2,"title":null,"reports_to_id":null,"city":"Londres","region":null,"country":null,"source":null,"owner":null,"tags":null,"lifecycle_stage":null,"last_activity_at":null,"created_at":"2025-01-05T00:00:00Z","updated_at":"2026-11-22T09:30:00Z"}
]
X
sql "SELECT id, contact_id FROM notes ORDER BY id"
printf '1|1\n2|3\n3|1\n4|3\n5|5\n' >"$T/want"
compare "$T/want" "$T/sql" "links re-pointed to the survivors"
expect_code 0 crm-contact list --ids
expect_out "merged records are gone" <<'X'
1
3
5
6
X
expect_code 0 crm-dedupe contacts --check
expect_code 0 crm-contact show rob@acme.com --fields phone -f csv
expect_out "the survivor's email key finds it; phone with its key" <<'X'
phone
+1 (415) 555-0101
X

expect_code 0 crm-dedupe undo 2 --dry-run
err_has "dry run: undid merge 2: 2 records restored"
expect_code 0 crm-dedupe undo 2
expect_code 0 crm-dedupe undo 1
err_has "undid merge 1: 2 records restored"
expect_code 0 crm-contact export -f csv; cp "$T/out" "$T/after.csv"
compare "$T/before.csv" "$T/after.csv" "undo: the export is byte-identical"
sql "SELECT * FROM notes ORDER BY id"
cp "$T/sql" "$T/notes.after"
compare "$T/notes.before" "$T/notes.after" "undo: links point where they did"

expect_code 65 crm-dedupe undo 1
err_has "merge 1 was already undone at 2026-11-22T09:30:00Z"
expect_code 66 crm-dedupe undo 99
err_has "no merge 99"
expect_code 64 crm-dedupe undo
expect_code 64 crm-dedupe undo x
err_has "undo takes one merge number"

# merge from stdin, then a change to the survivor guards the undo
printf 'cluster,id\n5,5\n5,6\n' >"$T/cl.csv"
expect_code_in 0 "$T/cl.csv" crm-dedupe merge --stdin -q -f csv
cut -d, -f1-5 "$T/out" >"$T/got"
printf 'merge,merged,id,external_id,first_name\n3,6,5,a5,Alice\n' >"$T/want"
compare "$T/want" "$T/got" "merge --stdin: the clusters given"
CRM_NOW=2026-11-23T00:00:00Z expect_code 0 crm-contact update 5 --set title=CEO -q
expect_code 65 crm-dedupe undo 3
err_has "contact 5 changed since merge 3 (--force undoes it anyway"
expect_code 0 crm-dedupe undo 3 --force
expect_code 0 crm-contact list --ids -w 'id>=5'
expect_out "--force restores both" <<'X'
5
6
X

printf 'cluster,id\n1,1\n1,999\n' >"$T/cl.csv"
db_dump "$CRM_DB" "$T/dump.before"
expect_code_in 66 "$T/cl.csv" crm-dedupe merge --stdin
err_has "no contact 999"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "a failed merge changes nothing"
printf 'cluster,id\n1,1\n1,x\n' >"$T/cl.csv"
expect_code_in 65 "$T/cl.csv" crm-dedupe merge --stdin
err_has "crm-dedupe:<stdin>:3: id: not a record id 'x'"
printf 'cluster,id\n1,1\n1,2\n3,2\n3,4\n' >"$T/cl.csv"
expect_code_in 65 "$T/cl.csv" crm-dedupe merge --stdin
err_has "contact 2 is in clusters 1 and 3"
printf 'id\n1\n' >"$T/cl.csv"
expect_code_in 65 "$T/cl.csv" crm-dedupe merge --stdin
err_has "cluster: missing"
expect_code 64 crm-dedupe merge --threshold -1
expect_code 64 crm-dedupe nosuchverb
done_testing
