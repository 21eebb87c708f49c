#!/bin/bash
# Undo of a delete puts back the links other records had to the deleted one
# (the schema sets them to NULL on delete): contacts, subsidiaries,
# activities and leads of a company; activities of a contact. Links made
# elsewhere since are left alone.
. "$(dirname "$0")/../lib.sh"

links() {
	sql "SELECT 'contact', id, CAST(company_id AS TEXT) FROM contacts
	     UNION ALL SELECT 'company', id, CAST(parent_id AS TEXT) FROM companies
	     UNION ALL SELECT 'activity', id, CAST(company_id AS TEXT) || '/' || ifnull(CAST(contact_id AS TEXT), '') FROM activities
	     UNION ALL SELECT 'lead', id, CAST(company_id AS TEXT) FROM leads ORDER BY 1, 2"
}

expect_code 0 crm-company add --name 'Acme Group'
expect_code 0 crm-company add --name 'Acme Rockets' --set parent_id=1
expect_code 0 crm-company add --name 'Initech'
expect_code 0 crm-contact add --first-name Ann --email ann@acme.example --company 'Acme Group'
expect_code 0 crm-contact add --first-name Bob --email bob@acme.example --company 'Acme Group'
expect_code 0 crm-contact add --first-name Cy --email cy@initech.example --company Initech
expect_code 0 crm-activity log --type call --subject intro --contact ann@acme.example --at '2026-11-20 10:00'
expect_code 0 crm-activity log --type task --subject later --company 'Acme Group' --due 2026-12-01
expect_code 0 sql "INSERT INTO leads (first_name, company_id, status, created_at, updated_at) VALUES ('Lee', 1, 'new', 'x', 'x')"
links
cp "$T/sql" "$T/before"
cat >"$T/want" <<'X'
activity|1|1/1
activity|2|1/
company|1|
company|2|1
company|3|
contact|1|1
contact|2|1
contact|3|3
lead|1|1
X
compare "$T/want" "$T/before" "the links, as made"

# delete the company: everything that pointed at it lets go
expect_code 0 crm-company delete 1
err_has "deleted 1 company (change"
change=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
links
cat >"$T/want" <<'X'
activity|1|
activity|2|
company|2|
company|3|
contact|1|
contact|2|
contact|3|3
lead|1|
X
compare "$T/want" "$T/sql" "after the delete, no record points at company 1"
# meanwhile Bob moves to Initech: undo must not take him back
expect_code 0 crm-contact update bob@acme.example --set company_id=3
expect_code 0 crm-company undo "$change"
err_has "undid change $change: 1 records restored"
links
sed 's/^contact|2|1$/contact|2|3/' "$T/before" >"$T/want"
compare "$T/want" "$T/sql" "undo relinks contacts, subsidiary, activities and lead; not Bob"

# a contact's activities too, and several records at once
expect_code 0 crm-contact delete --where 'email=ann@acme.example'
change=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
sql "SELECT id, contact_id FROM activities WHERE id = 1"
compare - "$T/sql" "deleting Ann unlinks her call" <<<'1|'
expect_code 0 crm-contact undo "$change"
sql "SELECT id, contact_id FROM activities WHERE id = 1"
compare - "$T/sql" "undo links the call to Ann again" <<<'1|1'
expect_code 0 crm-company delete --where 'name~Acme'
err_has "deleted 2 companies"
change=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
expect_code 0 crm-company undo "$change"
links
compare "$T/want" "$T/sql" "a parent and its subsidiary deleted together: undo restores both and the link between them"
sql "PRAGMA foreign_key_check"
compare /dev/null "$T/sql" "no dangling references"

# a damaged unlink entry is refused, not turned into SQL
expect_code 0 crm-company delete 3
change=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
expect_code 0 sql "UPDATE crm_audit SET before = '{\"field\":\"id = 1; --\",\"id\":3}' WHERE change_id = $change AND action = 'unlink'"
db_dump "$CRM_DB" "$T/dump.before"
expect_code 70 crm-company undo "$change"
err_has "cannot undo: damaged history of contact"
db_dump "$CRM_DB" "$T/dump.after"
compare "$T/dump.before" "$T/dump.after" "a refused undo changes nothing"
done_testing
