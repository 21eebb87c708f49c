#!/bin/bash
# crm-lead import --on-duplicate: a lead that matches no key is checked
# against the leads and the contacts already there, by equal email or
# phone always and with the dedupe model when --on-duplicate is given;
# what it duplicates is reported and the policy applied.
. "$(dirname "$0")/../lib.sh"

cat >"$T/base.csv" <<'X'
external_id,first_name,last_name,email,phone,company,country
l1,Robert,Smith,rob@acme.com,+1 415 555 0101,Acme Inc,US
l2,Martha,Jones,mj@example.com,+44 20 7946 0001,Globex,GB
l3,Alice,Brown,alice@brown.org,,Initech,DE
l4,Dieter,Maier,dieter@maier.de,+49 30 1234567,Maier GmbH,DE
l5,Susan,Clark,sue.clark@gmail.com,,Hooli,US
X
cat >"$T/contacts.csv" <<'X'
external_id,first_name,last_name,email,phone,company,city
c1,William,Turner,bill@turner.co,+1 212 555 0199,Turner LLC,New York
c2,Karen,Lopez,karen@lopez.es,+34 91 123 4567,Lopez SA,Madrid
X
# lines 2-5: fuzzy duplicates, no email or phone in common: a nickname of
# lead 1, a typo and another email of lead 2, a nickname of contact 1, a
# typo and another email of contact 2; line 6: nobody; lines 7-9: exact
# duplicates: lead 5's email in capitals (and other names), contact 2's
# phone (another person's name), lead 4's phone written otherwise
cat >"$T/new.csv" <<'X'
external_id,first_name,last_name,email,phone,company,country
n1,Bob,Smith,,,Acme,US
n2,Marhta,Jones,m.j@example.com,,Globex Ltd,GB
n3,Bill,Turner,,,Turner,US
n4,Karen,Lopes,klopez@lopez.es,,Lopez,ES
n5,Zed,Zulu,zed@zulu.net,,Umbrella,FR
n6,Sue,Clarke,SUE.CLARK@gmail.com,,,
n7,Pat,Nobody,,+34 91 123 4567,,
n8,Dieter,Meier,,+49 (30) 1234567,,
X
expect_code 0 crm-lead import -q "$T/base.csv"
expect_code 0 crm-contact import -q "$T/contacts.csv"
db_save base.db
fresh() { db_restore base.db; }
cd "$T" || exit 1 # reports name the input as given

# without --on-duplicate: update, by equal email and phone only (no model)
expect_code 0 crm-lead import new.csv
expect_err "default: the exact duplicates, a contact's skipped" <<'X'
crm-lead:new.csv:7: duplicate of lead 5 (100.00%): updated it
crm-lead:new.csv:8: duplicate of contact 2 (100.00%): skipped
crm-lead:new.csv:9: duplicate of lead 4 (100.00%): updated it
crm-lead: 5 inserted, 2 updated, 0 unchanged, 0 rejected, 1 skipped
crm-lead: 3 duplicates of leads or contacts already there: 1 skipped, 2 updated
X
sql "SELECT id, external_id, first_name, last_name, email, phone FROM leads WHERE id IN (4, 5) OR id > 5 ORDER BY id"
cat >"$T/want" <<'X'
4|l4|Dieter|Meier|dieter@maier.de|+49 (30) 1234567
5|l5|Sue|Clarke|SUE.CLARK@gmail.com|
6|n1|Bob|Smith||
7|n2|Marhta|Jones|m.j@example.com|
8|n3|Bill|Turner||
9|n4|Karen|Lopes|klopez@lopez.es|
10|n5|Zed|Zulu|zed@zulu.net|
X
compare "$T/want" "$T/sql" "default: updated leads keep their external ids; fuzzy ones inserted"

# skip: the model finds the fuzzy ones too
fresh
expect_code 0 crm-lead import --on-duplicate=skip new.csv
expect_err "skip: every duplicate of a lead or a contact, one line each" <<'X'
crm-lead:new.csv:2: duplicate of lead 1 (100.00%): skipped
crm-lead:new.csv:3: duplicate of lead 2 (100.00%): skipped
crm-lead:new.csv:4: duplicate of contact 1 (100.00%): skipped
crm-lead:new.csv:5: duplicate of contact 2 (100.00%): skipped
crm-lead:new.csv:7: duplicate of lead 5 (100.00%): skipped
crm-lead:new.csv:8: duplicate of contact 2 (100.00%): skipped
crm-lead:new.csv:9: duplicate of lead 4 (100.00%): skipped
crm-lead: 1 inserted, 0 updated, 0 unchanged, 0 rejected, 7 skipped
crm-lead: 7 duplicates of leads or contacts already there: skipped
X
sql "SELECT id, external_id FROM leads WHERE id > 5; SELECT count(*) FROM contacts"
printf '6|n5\n2\n' >"$T/want"
compare "$T/want" "$T/sql" "skip: only the new lead inserted; contacts untouched"

# a high threshold finds fewer: the model's matches go, the exact stay
fresh
expect_code 0 crm-lead import --on-duplicate=skip --duplicate-threshold 100 new.csv
expect_err "threshold 100: only the exact duplicates" <<'X'
crm-lead:new.csv:7: duplicate of lead 5 (100.00%): skipped
crm-lead:new.csv:8: duplicate of contact 2 (100.00%): skipped
crm-lead:new.csv:9: duplicate of lead 4 (100.00%): skipped
crm-lead: 5 inserted, 0 updated, 0 unchanged, 0 rejected, 3 skipped
crm-lead: 3 duplicates of leads or contacts already there: skipped
X
sql "SELECT count(*) FROM leads"
check "threshold 100: 5 leads more" [ "$(cat "$T/sql")" = 10 ]

# update: applied to the lead (which keeps its external id); a contact's
# duplicate is skipped and shown by --emit as read, saying what it is
fresh
expect_code 0 crm-lead import --on-duplicate=update --emit -f csv new.csv
mlr --icsv --ocsv cut -o -f import_action,id,external_id,first_name,duplicate_of "$T/out" >"$T/got"
cat >"$T/want" <<'X'
import_action,id,external_id,first_name,duplicate_of
updated,1,l1,Bob,
updated,2,l2,Marhta,
skipped,,n3,Bill,contact 1
skipped,,n4,Karen,contact 2
inserted,6,n5,Zed,
updated,5,l5,Sue,
skipped,,n7,Pat,contact 2
updated,4,l4,Dieter,
X
compare "$T/want" "$T/got" "update: --emit says what happened to each"
err_has "crm-lead: 7 duplicates of leads or contacts already there: 3 skipped, 4 updated"
sql "SELECT id, external_id, first_name, email, company FROM leads ORDER BY id"
cat >"$T/want" <<'X'
1|l1|Bob|rob@acme.com|Acme
2|l2|Marhta|m.j@example.com|Globex Ltd
3|l3|Alice|alice@brown.org|Initech
4|l4|Dieter|dieter@maier.de|Maier GmbH
5|l5|Sue|SUE.CLARK@gmail.com|Hooli
6|n5|Zed|zed@zulu.net|Umbrella
X
compare "$T/want" "$T/sql" "update: non-empty input values replace, empty ones leave alone"
expect_code 0 crm-lead undo 1
sql "SELECT first_name FROM leads WHERE id = 1"
check "update: undone like any import update" [ "$(cat "$T/sql")" = Robert ]

# flag: inserted, duplicate_of naming the lead or the contact
fresh
expect_code 0 crm-lead import --on-duplicate=flag new.csv
err_has "crm-lead:new.csv:4: duplicate of contact 1 (100.00%): flagged"
err_has "crm-lead: 7 duplicates of leads or contacts already there: flagged"
sql "SELECT external_id, duplicate_of FROM leads WHERE id > 5 ORDER BY id"
cat >"$T/want" <<'X'
n1|lead 1
n2|lead 2
n3|contact 1
n4|contact 2
n5|
n6|lead 5
n7|contact 2
n8|lead 4
X
compare "$T/want" "$T/sql" "flag: every lead inserted, the duplicates marked"

# allow: inserted, only reported
fresh
expect_code 0 crm-lead import --on-duplicate=allow new.csv
err_has "crm-lead:new.csv:2: duplicate of lead 1 (100.00%): allowed"
err_has "crm-lead: 8 inserted, 0 updated, 0 unchanged, 0 rejected"
err_has "crm-lead: 7 duplicates of leads or contacts already there: allowed"
sql "SELECT count(*), count(duplicate_of) FROM leads"
check "allow: 8 more leads, none marked" [ "$(cat "$T/sql")" = "13|0" ]

# exact matches see the leads this import wrote; the model does not
fresh
printf 'first_name,last_name,email\nYan,Wu,yan@wu.example\nYan,Woo,YAN@wu.example\nYann,Wu,\n' >"$T/twice.csv"
expect_code 0 crm-lead import --on-duplicate=flag twice.csv
expect_err "an exact duplicate within the input" <<'X'
crm-lead:twice.csv:3: duplicate of lead 6 (100.00%): flagged
crm-lead: 3 inserted, 0 updated, 0 unchanged, 0 rejected
crm-lead: 1 duplicate of leads or contacts already there: flagged
X

# --dry-run changes nothing
fresh
db_dump "$CRM_DB" "$T/dump.before"
expect_code 0 crm-lead import --on-duplicate=update --dry-run new.csv
err_has "crm-lead: dry run: 1 inserted, 4 updated, 0 unchanged, 0 rejected, 3 skipped"
err_has "crm-lead: dry run: 7 duplicates of leads or contacts already there: 3 skipped, 4 updated"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "--dry-run changes nothing"

# --create-only: a duplicate it would update is rejected, a contact's
# skipped; --update-only: one matching nothing is rejected
fresh
expect_code 3 crm-lead import --create-only --reject rej.csv new.csv
expect_err "create-only: rejects the lead duplicates" <<'X'
crm-lead:new.csv:8: duplicate of contact 2 (100.00%): skipped
crm-lead: 5 inserted, 0 updated, 0 unchanged, 2 rejected, 1 skipped (see the reject file)
crm-lead: 3 duplicates of leads or contacts already there: 1 skipped, 2 rejected
X
mlr --icsv --ocsv cut -o -f external_id,error_line,error rej.csv >"$T/got"
cat >"$T/want" <<'X'
external_id,error_line,error
n6,7,already exists as lead 5 (a duplicate: 100.00%)
n8,9,already exists as lead 4 (a duplicate: 100.00%)
X
compare "$T/want" "$T/got" "create-only: the reject file says what they duplicate"
fresh
printf 'first_name,phone\nDee,+49 30 1234567\nEve,+1 555 0100\n' >"$T/upd.csv"
expect_code 65 crm-lead import --update-only upd.csv
err_has "crm-lead:upd.csv:3: no lead matches"
expect_code 3 crm-lead import --update-only --reject rej2.csv upd.csv
err_has "crm-lead: 0 inserted, 1 updated, 0 unchanged, 1 rejected"
sql "SELECT first_name FROM leads WHERE id = 4"
check "update-only: the duplicate by phone updated" [ "$(cat "$T/sql")" = Dee ]

# add: exact matches only (cheap), flagged, a contact's too
fresh
expect_code 0 crm-lead add --first-name Kay --phone '+34 911 234 567' --ids
expect_out "add: a contact's duplicate goes in" <<<'6'
expect_err "add: reported" <<<'crm-lead: duplicate of contact 2 (100.00%): flagged'
expect_code 0 crm-lead add --first-name Bob --last-name Smith --company Acme --ids
check "add: no model, so a fuzzy duplicate is not reported" [ ! -s "$T/err" ]
sql "SELECT id, duplicate_of FROM leads WHERE id > 5"
printf '6|contact 2\n7|\n' >"$T/want"
compare "$T/want" "$T/sql" "add: duplicate_of names the contact"

# a default import that finds no duplicate says nothing of duplicates
fresh
printf 'external_id,first_name,email\nq1,Quinn,quinn@nowhere.example\n' >quiet.csv
expect_code 0 crm-lead import quiet.csv
expect_err "default, none found: only the counts" <<'X'
crm-lead: 1 inserted, 0 updated, 0 unchanged, 0 rejected
X

# usage errors, nothing written
fresh
db_dump "$CRM_DB" "$T/dump.before"
expect_code 64 crm-lead import --on-duplicate=merge new.csv
err_has "--on-duplicate: expected skip, update, flag or allow, got 'merge'"
expect_code 64 crm-lead import --on-duplicate=skip --duplicate-threshold high new.csv
err_has "--duplicate-threshold: expected a percentage 0-100, got 'high'"
expect_code 64 crm-lead import --on-duplicate=skip --duplicate-threshold -1 new.csv
err_has "--duplicate-threshold: expected a percentage 0-100, got '-1'"
expect_code 64 crm-lead import --duplicate-threshold 90 new.csv
err_has "--duplicate-threshold needs --on-duplicate"
expect_code 64 crm-lead import --on-duplicate=flag --update-only new.csv
err_has "--on-duplicate=flag: a record matching no key is rejected by --update-only"
expect_code 64 crm-lead import --on-duplicate=update --create-only new.csv
err_has "--on-duplicate=update: not with --create-only"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "usage errors: nothing written"
done_testing
