#!/bin/bash
# Import semantics: create-only, update-only, upsert, --key lists,
# --dry-run, --emit, lifecycle stages that never move backwards.
. "$(dirname "$0")/../lib.sh"

cat >"$T/a.csv" <<'X'
external_id,first_name,email,lifecycle_stage
a1,Ann,ann@example.com,customer
a2,Bob,bob@example.com,lead
X
expect_code 0 crm-contact import --dry-run "$T/a.csv"
err_has "dry run: 2 inserted, 0 updated, 0 unchanged, 0 rejected"
expect_code 0 crm-contact list --ids
expect_out "--dry-run wrote nothing" </dev/null
expect_code 0 crm-contact import --emit -f csv "$T/a.csv"
expect_out "--emit prints each record with its id and what happened" <<'X'
import_action,id,external_id,first_name,last_name,email,phone,company,company_id,title,reports_to_id,city,region,country,source,owner,tags,lifecycle_stage,last_activity_at,created_at,updated_at,import_error
inserted,1,a1,Ann,,ann@example.com,,,,,,,,,,,,customer,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z,
inserted,2,a2,Bob,,bob@example.com,,,,,,,,,,,,lead,,2026-11-22T09:30:00Z,2026-11-22T09:30:00Z,
X
expect_code 0 crm-contact import --emit -f csv --fields id,import_action,email "$T/a.csv"
expect_out "--emit with --fields: those columns, in that order" <<'X'
id,import_action,email
1,unchanged,ann@example.com
2,unchanged,bob@example.com
X
db_dump "$CRM_DB" "$T/dump.before"
expect_code 64 crm-contact import --emit --fields id,shoe_size "$T/b.csv"
err_has "--fields: unknown contact field 'shoe_size'"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "--emit with a bad --fields: nothing imported"

# stages never move backwards on import, unless --force
cat >"$T/b.csv" <<'X'
external_id,lifecycle_stage
a1,lead
a2,opportunity
X
expect_code 0 crm-contact import "$T/b.csv"
err_has "0 inserted, 1 updated, 1 unchanged, 0 rejected"
expect_code 0 crm-contact list -f csv --fields external_id,lifecycle_stage
expect_out "customer stays customer; lead moves on to opportunity" <<'X'
external_id,lifecycle_stage
a1,customer
a2,opportunity
X
expect_code 0 crm-contact import --force "$T/b.csv"
err_has "0 inserted, 1 updated, 1 unchanged, 0 rejected"
expect_code 0 crm-contact show a1 -f csv --fields lifecycle_stage
expect_out "--force moves a stage backwards" <<'X'
lifecycle_stage
lead
X

# create-only rejects matches; update-only rejects newcomers
printf 'external_id,first_name\na1,Ann\na3,Cy\n' >"$T/c.csv"
expect_code 65 crm-contact import --create-only "$T/c.csv"
err_has "crm-contact:$T/c.csv:2: already exists as contact 1"
expect_code 65 crm-contact import --update-only "$T/c.csv"
err_has "crm-contact:$T/c.csv:3: no contact matches"
expect_code 3 crm-contact import --update-only --reject "$T/rej.csv" "$T/c.csv"
err_has "0 inserted, 0 updated, 1 unchanged, 1 rejected"

# --key: email only (the same email, no external_id -> an update)
printf 'email,title\nANN@example.com,CEO\n' >"$T/d.csv"
expect_code 0 crm-contact import --key email "$T/d.csv"
err_has "0 inserted, 1 updated, 0 unchanged, 0 rejected"
expect_code 0 crm-contact show ann@example.com -f csv --fields id,title
expect_out "--key email matched case-insensitively and updated the record" <<'X'
id,title
1,CEO
X
# --key external_id only: the same email with a new external id is a new record
printf 'external_id,email\nnew1,bob@example.com\n' >"$T/e.csv"
expect_code 0 crm-contact import --key external_id "$T/e.csv"
err_has "1 inserted, 0 updated, 0 unchanged, 0 rejected"
# now bob@example.com matches two contacts: by email it is ambiguous
printf 'email,title\nbob@example.com,CTO\n' >"$T/f.csv"
expect_code 65 crm-contact import --key email "$T/f.csv"
err_has "email: matches several contacts; use another --key"
expect_code 64 crm-contact import --key nosuch "$T/f.csv"
err_has "--key: 'nosuch' is not a key of contacts"
expect_code 65 crm-contact show bob@example.com
err_has "matches several contacts"
# gmail dots and +tags match the same person by email key
printf 'email,first_name\nj.doe+news@gmail.com,Jo\n' >"$T/g.csv"
expect_code 0 crm-contact import "$T/g.csv"
printf 'email,title\njdoe@googlemail.com,VP\n' >"$T/h.csv"
expect_code 0 crm-contact import --key email "$T/h.csv"
err_has "0 inserted, 1 updated, 0 unchanged, 0 rejected"
# the id key keeps a given id on insert
printf 'id,first_name\n500,Ida\n' >"$T/i.csv"
expect_code 0 crm-contact import "$T/i.csv"
expect_code 0 crm-contact show 500 -f csv --fields id,first_name
expect_out "an id given on a new record is kept" <<'X'
id,first_name
500,Ida
X
# an external_id a record holds is that record, whatever --key says (it
# used to be inserted again and fail on the unique external_id)
printf 'external_id,first_name,email,company\nr1,Ann,ann@r.example,Alpha Co\n' >"$T/r1.csv"
expect_code 0 crm-contact import "$T/r1.csv"
printf 'external_id,first_name,email,company\nr1,Bob,bob@brandnew.example,Brandnew Co\nr2,Cy,cy@gamma.example,Gamma Co\n' >"$T/r2.csv"
expect_code 0 crm-contact import --key email --reject "$T/rej2.csv" "$T/r2.csv"
err_has "1 inserted, 1 updated, 0 unchanged, 0 rejected, 2 companies created"
check "no row rejected, no reject file" [ ! -e "$T/rej2.csv" ]
sql "SELECT external_id || ':' || first_name FROM contacts WHERE external_id LIKE 'r_' ORDER BY id"
printf 'r1:Bob\nr2:Cy\n' >"$T/want"
compare "$T/want" "$T/sql" "r1 is updated, r2 inserted"
done_testing
