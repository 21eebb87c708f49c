#!/bin/bash
# crm sync without a server: usage errors (no --to, a file where a
# server must be, a server where the file must be, a bad --conflict,
# arguments), a push from a file that is no pulled copy (65) or is
# missing (66), a pull into a database that holds records of its own
# (73, the file untouched); the sync tables are in every database.
. "$(dirname "$0")/../lib.sh"

expect_code 64 crm sync pull --db postgresql://nowhere
err_has "pull needs --to FILE"
expect_code 64 crm sync pull --to "$T/laptop.db"
err_has "a first pull needs --db"
expect_code 64 crm sync pull --db "$T/other.db" --to "$T/laptop.db"
err_has "must be a PostgreSQL connection string"
check "nothing made for a refused pull" [ ! -e "$T/laptop.db" ]
expect_code 64 crm sync pull --db postgresql://nowhere --to postgresql://elsewhere
err_has "the local copy must be a file"
expect_code 64 crm sync pull extra --db postgresql://nowhere --to "$T/l.db"
err_has "pull takes no arguments"
expect_code 64 crm sync push --dry-run
err_has "not for crm sync"
expect_code 64 crm sync push --where owner=ann
err_has "not for crm sync"
expect_code 64 crm sync pull --where owner=ann --mine --db postgresql://nowhere --to "$T/l.db"
err_has "pull takes --mine or --where, not both"
expect_code 64 crm sync push --conflict sometimes
err_has "--conflict: expected stop, server or local, got 'sometimes'"
expect_code 66 crm sync push --from "$T/missing.db"
err_has "no database at"
check "a push makes no file" [ ! -e "$T/missing.db" ]

# a database of its own is no pulled copy
expect_code 0 crm-contact add -q --first-name Ann --last-name A
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm sync push
err_has "is no pulled copy (crm sync pull makes one)"
expect_code 73 crm sync pull --to "$CRM_DB" --db postgresql://nowhere
err_has "holds records and is no pulled copy"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "the database is unchanged"
expect_code 0 crm-sync --list-verbs
printf 'pull\npush\n' >"$T/want"
compare "$T/want" "$T/out" "crm-sync has the verbs pull and push"
sql "SELECT count(*) FROM crm_sync_base"
echo 0 >"$T/want"
compare "$T/want" "$T/sql" "every database has the sync tables (empty)"
done_testing
