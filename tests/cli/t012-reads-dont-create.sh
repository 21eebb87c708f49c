#!/bin/bash
# A read on a missing database says so (66, "no database at 'PATH' (crm
# init creates one)") and creates nothing: no file, no folder. A write on
# a missing database creates it and says so on stderr, one line (-q
# silences it); stale --create-tasks is a write, plain stale a read.
. "$(dirname "$0")/../lib.sh"

db="$T/typo/crm.db"
reads=(
	"crm-contact list" "crm-contact show 1" "crm-contact export"
	"crm-company list" "crm-company show 1" "crm-company export"
	"crm-company tree"
	"crm-activity list" "crm-activity show 1" "crm-activity timeline contact 1"
	"crm-activity due" "crm-activity export"
	"crm-lead list" "crm-lead show 1" "crm-lead export" "crm-lead history"
	"crm-pipeline list" "crm-pipeline show 1" "crm-pipeline export"
	"crm-pipeline board" "crm-pipeline forecast" "crm-pipeline stale"
	"crm-pipeline history"
	"crm-ticket list" "crm-ticket show 1" "crm-ticket export" "crm-ticket sla"
	"crm-dedupe contacts" "crm-dedupe companies" "crm-dedupe leads"
	"crm-score leads -n" "crm-score train --model=$T/m.json"
	"crm search anything"
)
expect_code 0 crm-report --list-verbs
cp "$T/out" "$T/reports"
for v in $(cat "$T/reports"); do reads+=("crm-report $v"); done
for cmd in "${reads[@]}"; do
	# shellcheck disable=SC2086
	CRM_DB=$db expect_code 66 $cmd
	err_has "no database at '$db' (crm init creates one)"
	check "$cmd created nothing" [ ! -e "$T/typo" ]
done
check "no model was written either" [ ! -e "$T/m.json" ]
# --db as well as $CRM_DB
expect_code 66 crm-contact list --db "$T/other.db"
check "--db: nothing created" [ ! -e "$T/other.db" ]
ls -A "$T" >"$T/ls"
check "the test folder holds no database files" [ -z "$(grep '\.db' "$T/ls")" ]

# writes create the database, and say so
CRM_DB=$db expect_code 0 crm-contact add --first-name Ann
expect_err "a write that creates the database says so" <<X
crm-contact: created a new database at '$db'
X
check "the database exists now" [ -f "$db" ]
CRM_DB=$db expect_code 0 crm-contact add --first-name Bob
check "a second write says nothing of it" [ ! -s "$T/err" ]
CRM_DB=$T/q.db expect_code 0 crm-lead add -q --first-name Kim
check "-q silences it" [ ! -s "$T/err" ]
check "and the database is there" [ -f "$T/q.db" ]
CRM_DB=$T/stale.db expect_code 0 crm-pipeline stale --create-tasks -q
check "stale --create-tasks is a write: it creates" [ -f "$T/stale.db" ]
CRM_DB=$T/init.db expect_code 0 crm init
err_has "crm: database '$T/init.db' ready"
CRM_DB=$db expect_code 0 crm-contact list --ids
expect_out "reads work once it exists" <<'X'
1
2
X
done_testing
