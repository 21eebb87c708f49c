#!/bin/bash
# crm-lead: add, import with duplicate control (update, skip, flag,
# allow), list, show, update (status and owner history), qualify,
# disqualify, history, delete, undo, export round trip.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --first-name Cat --email cat@beta.example --phone '+44 20 7946 0000' -q
cat >"$T/leads.csv" <<'X'
external_id,first_name,last_name,email,phone,company,region,country,source,Budget
w1,Ann,Lee,ann@acme.example,+1 415 555 0101,Acme,EMEA,DE,web,5000
w2,Bob,Roe,bob@gmail.com,,,NA,US,ads,
w3,Cathy,Poe,,+44 (0)20 7946 0000,Beta,EMEA,GB,event,
w4,Ann,Lee,ANN@acme.example,,Acme,EMEA,DE,web,
X
# default: update, by equal email or phone. w3's phone is contact 1's
# (skipped); w4's email is lead 1's (that lead is updated and keeps its
# external id: w4 is another source's key)
cd "$T" || exit 1 # reports name the input as given
expect_code 0 crm-lead import leads.csv
expect_err "import reports each duplicate, what it matched and what was done" <<'X'
crm-lead:leads.csv:4: duplicate of contact 1 (100.00%): skipped
crm-lead:leads.csv:5: duplicate of lead 1 (100.00%): updated it
crm-lead: 1 column became custom field: 'Budget'
crm-lead: 2 inserted, 1 updated, 0 unchanged, 0 rejected, 1 skipped
crm-lead: 2 duplicates of leads or contacts already there: 1 skipped, 1 updated
X
expect_code 0 crm-lead list -f csv --fields id,external_id,email,status,duplicate_of,Budget
expect_out "two leads; lead 1 took w4's email" <<'X'
id,external_id,email,status,duplicate_of,Budget
1,w1,ANN@acme.example,new,,5000
2,w2,bob@gmail.com,new,,
X
# flag: duplicates go in, marked
expect_code 0 crm-lead import --on-duplicate=flag leads.csv
expect_err "flag inserts duplicates with duplicate_of" <<'X'
crm-lead:leads.csv:4: duplicate of contact 1 (100.00%): flagged
crm-lead:leads.csv:5: duplicate of lead 1 (100.00%): flagged
crm-lead: 1 column became custom field: 'Budget'
crm-lead: 2 inserted, 1 updated, 1 unchanged, 0 rejected
crm-lead: 2 duplicates of leads or contacts already there: flagged
X
expect_code 0 crm-lead list -f csv --fields id,external_id,email,duplicate_of
expect_out "flagged leads say what they duplicate" <<'X'
id,external_id,email,duplicate_of
1,w1,ann@acme.example,
2,w2,bob@gmail.com,
3,w3,,contact 1
4,w4,ANN@acme.example,lead 1
X
printf 'first_name,email\nZed,zed@acme.example\nAnnie,ann@ACME.example\n' >"$T/skip.csv"
expect_code 0 crm-lead import --on-duplicate=skip --emit -f csv skip.csv
mlr --icsv --ocsv cut -o -f import_action,id,first_name,duplicate_of "$T/out" >"$T/got"
cat >"$T/want" <<'X'
import_action,id,first_name,duplicate_of
inserted,5,Zed,
skipped,1,Ann,
X
compare "$T/want" "$T/got" "skip: --emit shows the lead the skipped one duplicates"
err_has "crm-lead: 1 inserted, 0 updated, 0 unchanged, 0 rejected, 1 skipped"
err_has "crm-lead: 1 duplicate of leads or contacts already there: skipped"
expect_code 0 crm-lead import --on-duplicate=allow <<<$'first_name,email\nBo,bob@gmail.com'
expect_err "allow: inserted, still reported" <<'X'
crm-lead:<stdin>:2: duplicate of lead 2 (100.00%): allowed
crm-lead: 1 inserted, 0 updated, 0 unchanged, 0 rejected
crm-lead: 1 duplicate of leads or contacts already there: allowed
X
expect_code 0 crm-lead list 6 -f csv --fields id,duplicate_of
expect_out "allow: no duplicate_of" <<'X'
id,duplicate_of
6,
X

# add: flags a duplicate; an owner given is an assignment
expect_code 0 crm-lead add --first-name Dee --email dee@delta.example --owner kim -f csv --fields id,status,owner,assigned_at
expect_out "add: status new, assigned_at now" <<'X'
id,status,owner,assigned_at
7,new,kim,2026-11-22T09:30:00Z
X
expect_code 0 crm-lead add --first-name Dee2 --email dee@delta.example --ids
expect_out "add of a duplicate goes in" <<<'8'
expect_err "... and is reported" <<<'crm-lead: duplicate of lead 7 (100.00%): flagged'
expect_code 0 crm-lead show 8 -f csv --fields duplicate_of
expect_out "... flagged" <<'X'
duplicate_of
lead 7
X

# status and owner changes are history
CRM_NOW=2026-11-23T10:00:00Z expect_code 0 crm-lead update 7 --set status=working
CRM_NOW=2026-11-24T10:00:00Z CRM_USER=lou expect_code 0 crm-lead update 7 --set owner=lou
expect_code 0 crm-lead show 7 -f csv --fields status,owner,assigned_at
expect_out "update changes owner and assigned_at" <<'X'
status,owner,assigned_at
working,lou,2026-11-24T10:00:00Z
X
CRM_NOW=2026-11-25T10:00:00Z expect_code 0 crm-lead qualify 7
err_has "qualified 1 lead (change"
expect_code 0 crm-lead qualify 7
err_has "qualified 0 leads"
expect_code 0 crm-lead disqualify --reason 'no budget' 2
expect_code 0 crm-lead history 7 2 -f csv
expect_out "history: every status and owner change, when, who, why" <<'X'
lead_id,field,from,to,at,actor,command,reason
2,status,,new,2026-11-22T09:30:00Z,tester,create,
2,status,new,unqualified,2026-11-22T09:30:00Z,tester,disqualify,no budget
7,status,,new,2026-11-22T09:30:00Z,tester,create,
7,owner,,kim,2026-11-22T09:30:00Z,tester,create,
7,status,new,working,2026-11-23T10:00:00Z,tester,edit,
7,owner,kim,lou,2026-11-24T10:00:00Z,lou,edit,
7,status,working,qualified,2026-11-25T10:00:00Z,tester,qualify,
X
expect_code 0 crm-lead list 2 -f csv --fields status,status_reason
expect_out "disqualify keeps the reason" <<'X'
status,status_reason
unqualified,no budget
X
expect_code 0 crm-lead undo 6
expect_code 0 crm-lead list 2 -f csv --fields status,status_reason
expect_out "undo restores the status" <<'X'
status,status_reason
new,
X
expect_code 0 crm-lead list --where status=qualified --ids
expect_out "--where on status" <<<'7'

# delete and undo
expect_code 0 crm-lead delete 8
change=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
expect_code 66 crm-lead show 8
expect_code 0 crm-lead undo "$change"
expect_code 0 crm-lead show 8 --ids
expect_out "undo brings a deleted lead back" <<<'8'

# export -> import into an empty database is the identity (allow: no
# duplicate control between the exported leads themselves)
expect_code 0 crm-lead export -f csv
cp "$T/out" "$T/export.csv"
CRM_DB="$T/two.db" expect_code 0 crm-lead import --on-duplicate=allow -q "$T/export.csv"
CRM_DB="$T/two.db" expect_code 0 crm-lead export -f csv
compare "$T/export.csv" "$T/out" "export, import, export: identical"
done_testing
