#!/bin/bash
# The crm dispatcher: crm NOUN runs crm-NOUN; help, init, version.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm version
out_has "crm 0.1.0"
expect_code 0 crm init
err_has "ready (schema version"
case $CRM_DB in
postgresql:* | postgres:*) # the database is no file there: its schema
	sql "SELECT version FROM crm_schema"
	check "crm init created the schema" [ "$(cat "$T/sql")" -ge 1 ] ;;
*)	check "crm init created the database" [ -f "$CRM_DB" ]
	check "database is 0600" [ "$(stat -c %a "$CRM_DB")" = 600 ]
	# new databases have 16 KiB pages (fewer WAL frames in a bulk
	# import); a database made with 4 KiB pages keeps them and works
	check "a new database has 16 KiB pages" \
		[ "$(sqlite3 "$CRM_DB" 'PRAGMA page_size')" = 16384 ]
	sqlite3 "$T/old.db" 'PRAGMA page_size=4096; PRAGMA journal_mode=WAL;' >/dev/null
	expect_code 0 crm init --db "$T/old.db"
	expect_code 0 crm contact add --db "$T/old.db" --first-name Old --ids
	expect_out "a 4 KiB-page database takes records" <<<'1'
	check "a 4 KiB-page database keeps its pages" \
		[ "$(sqlite3 "$T/old.db" 'PRAGMA page_size')" = 4096 ] ;;
esac
expect_code 0 crm init --db "$T/sub/dir/other.db"
check "crm init --db creates folders 0700" [ "$(stat -c %a "$T/sub/dir")" = 700 ]
expect_code 0 crm contact add --first-name Ann --ids
expect_out "crm contact add runs crm-contact add" <<<'1'
expect_code 0 crm help
out_has "contact    People: the contacts of a CRM."
expect_code 64 crm nosuchnoun
err_has "'nosuchnoun' is not a crm command"
expect_code 64 crm
expect_code 64 crm ../crm-contact
# crm finds a crm-NOUN on PATH too
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "hello $*"\n' >"$T/bin/crm-hello"
chmod +x "$T/bin/crm-hello"
PATH="$T/bin:$PATH" expect_code 0 crm hello a b
expect_out "crm runs a crm-NOUN from PATH with its arguments" <<<'hello a b'
expect_code 65 crm contact add --email bad
err_has "crm-contact: email: invalid address 'bad'"
done_testing
