#!/bin/bash
# Output: a full disk is exit 74 with a message; a closed pipe ends quietly;
# --help goes to stdout with 0; a bad option to stderr with 64.
. "$(dirname "$0")/../lib.sh"

for i in $(seq 1 300); do echo "e$i,Name$i,user$i@example.com"; done >"$T/body"
{ echo external_id,first_name,email; cat "$T/body"; } >"$T/in.csv"
expect_code 0 crm-contact import -q "$T/in.csv"

if [ -w /dev/full ]; then
	crm-contact export -f csv >/dev/full 2>"$T/err"; rc=$?
	check "export > /dev/full exits 74" [ $rc -eq 74 ]
	err_has "crm-contact: write error: No space left on device"
	crm-contact list --ids >/dev/full 2>"$T/err"; rc=$?
	check "list --ids > /dev/full exits 74" [ $rc -eq 74 ]
	crm-contact --help >/dev/full 2>"$T/err"; rc=$?
	check "--help > /dev/full exits 74" [ $rc -eq 74 ]
else
	not_ok "/dev/full is not writable here"
fi

# a closed pipe: no message; the status is SIGPIPE's or 0, never an error
( set -o pipefail; crm-contact export -f csv 2>"$T/err" | head -1 >"$T/out"; echo $? >"$T/rc" )
check "export | head -1: nothing on stderr" [ ! -s "$T/err" ]
check "export | head -1: status 0 or SIGPIPE" grep -qE '^(0|141)$' "$T/rc"
expect_out "export | head -1 gives the header" <<'X'
id,external_id,first_name,last_name,email,phone,company,company_id,title,reports_to_id,city,region,country,source,owner,tags,lifecycle_stage,last_activity_at,created_at,updated_at
X

expect_code 0 crm-contact import --help
out_has "Usage: crm-contact [OPTION...] import [FILE...]"
check "--help writes nothing on stderr" [ ! -s "$T/err" ]
expect_code 0 crm-contact list --usage
out_has "Usage: crm-contact"
expect_code 64 crm-contact list --no-such-option
check "bad option writes nothing on stdout" [ ! -s "$T/out" ]
err_has "Try"
expect_code 64 crm-contact list --limit=-3
expect_code 64 crm-contact list -f xml
err_has "unknown format 'xml'"
expect_code 64 crm-contact
err_has "no verb given"
expect_code 0 crm-contact --version
out_has "crm-contact (crm) "

# the database file is private
expect_code 0 crm-contact list --ids
check "database file is 0600" [ "$(stat -c %a "$CRM_DB")" = 600 ]
# default path: XDG_DATA_HOME, folders 0700
env -u CRM_DB crm-contact add --first-name X --ids >/dev/null 2>&1
check "default database under XDG_DATA_HOME" [ -f "$XDG_DATA_HOME/crm/crm.db" ]
check "its folder is 0700" [ "$(stat -c %a "$XDG_DATA_HOME/crm")" = 700 ]
# reading a database that does not exist is an error, not a new file
CRM_DB="$T/none.db" expect_code 66 crm-contact list
err_has "no database at '$T/none.db'"
check "no file was created" [ ! -e "$T/none.db" ]
# a newer schema is refused
sqlite3 "$CRM_DB" 'PRAGMA user_version = 999'
expect_code 78 crm-contact list
err_has "newer than this crm"
done_testing
