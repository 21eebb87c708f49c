#!/bin/bash
# --force replaces a file crm wrote earlier, never one this run reads (an
# input given as the reject file, under its name, another path or a hard
# link, or standard input), the database or its -wal and -shm: compared by
# device and inode, refused with 73, nothing truncated, nothing imported.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-contact add --set email=first@x.org
db_dump "" "$T/before.sql"
printf 'email,first_name\nbad@,Bad\nok@x.org,Good\n' >"$T/in.csv"
cp "$T/in.csv" "$T/orig.csv"
mkdir "$T/sub"
ln "$T/in.csv" "$T/sub/link.csv"

# refused: the file, its size, the database all as they were
refused() {
	expect_code 73 "$@"
	err_has "; --force never replaces it"
	compare "$T/orig.csv" "$T/in.csv" "  the input is untouched"
	db_dump "" "$T/after.sql"
	compare "$T/before.sql" "$T/after.sql" "  the database is unchanged"
}
refused crm-contact import --force --reject "$T/in.csv" "$T/in.csv"
err_has "is an input of this run"
refused crm-contact import --force --reject "$T/sub/../in.csv" "$T/in.csv"
refused crm-contact import --force --reject "$T/sub/link.csv" "$T/in.csv"
refused crm-contact import --force --reject "$T/in.csv" "$T/sub/link.csv"
refused crm-contact import --force --reject "$T/in.csv" - <"$T/in.csv"
# a second input file is an input too
printf 'email\nz@x.org\n' >"$T/two.csv"
refused crm-contact import --force --reject "$T/sub/link.csv" "$T/two.csv" "$T/in.csv"
check "  the second input is untouched" [ "$(cat "$T/two.csv")" = "$(printf 'email\nz@x.org')" ]

# the database and its -wal and -shm (they exist while crm has it open)
refused crm-contact import --force --reject "$CRM_DB" "$T/in.csv"
err_has "is the database;"
ln "$CRM_DB" "$T/db-link"
refused crm-contact import --force --reject "$T/db-link" "$T/in.csv"
refused crm-contact import --force --reject "$CRM_DB-wal" "$T/in.csv"
err_has "is the database's -wal;"
refused crm-contact import --force --reject "$CRM_DB-shm" "$T/in.csv"
err_has "is the database's -shm;"
expect_code 0 sqlite3 "$CRM_DB" "PRAGMA integrity_check"
check "the database is intact" grep -qx ok "$T/out"

# a model is never written over its training data or the database
cp "$DATA/score-eight.csv" "$T/d.csv"
expect_code 73 crm-score train --target 'Won?' --min-count 3 --folds 0 \
	--force --model "$T/d.csv" "$T/d.csv"
err_has "is an input of this run"
compare "$DATA/score-eight.csv" "$T/d.csv" "the training data is untouched"
expect_code 73 crm-score train --target 'Won?' --min-count 3 --folds 0 \
	--force --model "$CRM_DB" "$T/d.csv"
db_dump "" "$T/after.sql"
compare "$T/before.sql" "$T/after.sql" "the database is unchanged"

# an earlier reject file is still replaced
echo old >"$T/rej.csv"
expect_code 3 crm-contact import -q --force --reject "$T/rej.csv" "$T/in.csv"
check "--force replaces an earlier reject file" grep -q '^bad@,Bad,2,' "$T/rej.csv"

done_testing
