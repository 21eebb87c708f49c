#!/bin/sh
# A reject file is made only when there is a row to reject, and a run
# that aborts leaves none behind (nor the rows of its rolled-back input).
# Rejected rows make exit status 3: some rows rejected, the rest committed.
. "$(dirname "$0")/../lib.sh"

printf 'email,first_name\ngood@x.org,Good\n' >"$T/good.csv"
printf 'email,first_name\nbad@,Bad\nok@x.org,Ok\n' >"$T/bad.csv"
printf 'email,first_name\nworse@,Worse\nfine@x.org,Fine\n"open,X\n' >"$T/abort.csv"
printf 'email,first_name\nworst@,Worst\nalso@x.org,Also\nx@x.org,X,extra\n' >"$T/ragged.csv"

expect_code 0 crm-contact import --reject "$T/rej.csv" "$T/good.csv"
check "no row rejected: no reject file" [ ! -e "$T/rej.csv" ]

db_dump "" "$T/before.sql"
expect_code 65 crm-contact import --reject "$T/rej.csv" "$T/abort.csv"
err_has "unterminated quote"
check "an aborted run leaves no reject file" [ ! -e "$T/rej.csv" ]
expect_code 65 crm-contact import --reject "$T/rej.csv" "$T/ragged.csv"
check "... nor does a ragged row" [ ! -e "$T/rej.csv" ]
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "... and the database is unchanged"

# the first input commits with its rejects, the second aborts: the file
# keeps the first one's rows only
expect_code 65 crm-contact import --reject "$T/rej.csv" "$T/bad.csv" "$T/abort.csv"
check "the committed input's rejects stay" grep -q '^bad@,Bad,2,' "$T/rej.csv"
check "the aborted input's do not" sh -c "! grep -q worse@ '$T/rej.csv'"
rm -f "$T/rej.csv"

# rejected rows: exit 3, the rest committed, documented
expect_code 3 crm-contact import --reject "$T/rej.csv" "$T/bad.csv"
err_has "1 rejected"
check "the rejected row is in the reject file" grep -q '^bad@,Bad,2,' "$T/rej.csv"
expect_code 0 crm-contact list --ids -w email=ok@x.org
check "the good row was committed" [ -s "$T/out" ]
expect_code 3 crm-contact import -n --force --reject "$T/rej.csv" "$T/bad.csv"
printf '{"type":"call","contact_id":1}\n{"type":"call","contact_id":99}\n' >"$T/ev.ndjson"
expect_code 3 crm-activity import --reject "$T/rej.ndjson" "$T/ev.ndjson"
check "crm-activity: the rejected row" grep -q '"contact_id":99' "$T/rej.ndjson"
for page in crm-contact crm-company crm-lead crm-pipeline crm-ticket crm-activity; do
	check "$page(1) documents exit status 3" \
		grep -q 'Some rows were rejected' "$TOP/man/man1/$page.1"
done
check "crm(7) documents exit status 3" grep -q '; 3 an import with' "$TOP/man/man7/crm.7"

done_testing
