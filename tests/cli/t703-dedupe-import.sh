#!/bin/bash
# crm-contact import --on-duplicate: records that match no key but that
# the dedupe model finds to duplicate a contact already there are skipped,
# applied to it, flagged or allowed, each reported with what it matched.
. "$(dirname "$0")/../lib.sh"

cat >"$T/base.csv" <<'X'
external_id,first_name,last_name,email,phone,company,city
a1,Robert,Smith,rob@acme.com,+1 415 555 0101,Acme Inc,Austin
a3,Martha,Jones,mj@example.com,+44 20 7946 0001,Globex,London
a5,Alice,Brown,alice@brown.org,,Initech,Berlin
X
# line 2: Robert's nickname and phone; line 3: a typo, Gmail-style dots
# (not Gmail: a different address) and the same phone; line 4: new;
# line 5: Alice's email, a key: an ordinary update, never a duplicate
cat >"$T/new.csv" <<'X'
first_name,last_name,email,phone,company,city
Bob,Smith,,+1 (415) 555-0101,Acme,Austin
Marhta,Jones,m.j@example.com,+44 20 7946 0001,Globex Ltd,
Zed,Zulu,zed@zulu.net,,Umbrella,Paris
Alice,Brown,alice@brown.org,,,Hamburg
X
expect_code 0 crm-contact import -q "$T/base.csv"
db_save base.db
fresh() { db_restore base.db; }
cd "$T" || exit 1 # reports name the input as given

expect_code 0 crm-contact import --on-duplicate=skip new.csv
expect_err "skip: one line per duplicate, then the summaries" <<'X'
crm-contact:new.csv:2: duplicate of contact 1 (100.00%): skipped
crm-contact:new.csv:3: duplicate of contact 2 (100.00%): skipped
crm-contact: 1 inserted, 1 updated, 0 unchanged, 0 rejected, 2 skipped, 1 company created
crm-contact: 2 duplicates of contacts already there: skipped
X
expect_code 0 crm-contact list -f csv --fields id,first_name,city
expect_out "skip: only the new one is added; the key match updates" <<'X'
id,first_name,city
1,Robert,Austin
2,Martha,London
3,Alice,Hamburg
4,Zed,Paris
X

fresh
expect_code 0 crm-contact import -q --on-duplicate=update --emit -f csv --fields import_action,id,external_id,email new.csv
cp "$T/out" "$T/got"
cat >"$T/want" <<'X'
import_action,id,external_id,email
updated,1,a1,rob@acme.com
updated,2,a3,m.j@example.com
inserted,4,,zed@zulu.net
updated,3,a5,alice@brown.org
X
compare "$T/want" "$T/got" "update: applied to the contact it duplicates, as a key match would be"
check "-q: no report" [ ! -s "$T/err" ]
expect_code 0 crm-contact list -f csv --fields id,first_name,phone,company,city -w id=1
expect_out "update: input values replace, empty ones leave alone" <<'X'
id,first_name,phone,company,city
1,Bob,+1 (415) 555-0101,Acme,Austin
X
expect_code 0 crm-contact undo 1
expect_code 0 crm-contact list -f csv --fields id,first_name,phone -w id=1
expect_out "update: undone like any import update" <<'X'
id,first_name,phone
1,Robert,+1 415 555 0101
X

fresh
expect_code 0 crm-contact import --on-duplicate=flag new.csv
err_has "crm-contact:new.csv:3: duplicate of contact 2 (100.00%): flagged"
err_has "2 duplicates of contacts already there: flagged"
expect_code 0 crm-contact list -f csv --fields id,first_name,tags,duplicate_of -w tags=possible-duplicate
expect_out "flag: inserted, tagged, duplicate_of names the contact" <<'X'
id,first_name,tags,duplicate_of
4,Bob,possible-duplicate,1
5,Marhta,possible-duplicate,2
X
expect_code 1 crm-dedupe contacts --check -q

fresh
expect_code 0 crm-contact import --on-duplicate=allow new.csv
err_has "crm-contact:new.csv:2: duplicate of contact 1 (100.00%): allowed"
expect_code 0 crm-contact list --ids
expect_out "allow: everything inserted, only reported" <<'X'
1
2
3
4
5
6
X

fresh
expect_code 0 crm-contact import --on-duplicate=skip --duplicate-threshold 100 new.csv
err_has "crm-contact: 0 duplicates of contacts already there: skipped"

fresh
db_dump "$CRM_DB" "$T/dump.before"
expect_code 0 crm-contact import --on-duplicate=skip --dry-run new.csv
err_has "dry run: 1 inserted, 1 updated, 0 unchanged, 0 rejected, 2 skipped, 1 company created"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "--dry-run changes nothing"

# usage errors
expect_code 64 crm-contact import --on-duplicate=merge new.csv
err_has "--on-duplicate: expected skip, update, flag or allow, got 'merge'"
expect_code 64 crm-contact import --duplicate-threshold 90 new.csv
err_has "--duplicate-threshold needs --on-duplicate"
expect_code 64 crm-contact import --on-duplicate=skip --duplicate-threshold 101 new.csv
err_has "--duplicate-threshold: expected a percentage 0-100, got '101'"
expect_code 64 crm-contact import --on-duplicate=update --create-only new.csv
err_has "--on-duplicate=update: not with --create-only"
expect_code 64 crm-contact import --on-duplicate=skip --update-only new.csv
err_has "rejected by --update-only"
# bad input still fails the whole import
printf 'first_name,email\nAnn,ann@\n' >"$T/bad.csv"
db_dump "$CRM_DB" "$T/dump.before"
expect_code 65 crm-contact import --on-duplicate=skip bad.csv
err_has "bad.csv:2: email"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "a bad record: nothing written"
done_testing
