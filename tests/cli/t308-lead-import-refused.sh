#!/bin/bash
# A lead the database refuses part-way through an import (a trigger). On
# PostgreSQL the import's INSERTs are not waited for (the pipeline,
# lib/store/store_pg.c) and take their ids from a block: the refusal is
# still the import's failure, with the database's reason, and nothing is
# written; with --reject the refused row, and only it, is rejected.
. "$(dirname "$0")/../lib.sh"

# q SQL: the query's rows into $T/out (either engine)
q() { sql "$1" && cp "$T/sql" "$T/out"; }

{
	echo 'first_name,last_name,email'
	for i in $(seq 1 40); do echo "F$i,L$i,l$i@x.example"; done
	echo 'Bad,Row,bad@x.example'
	for i in $(seq 42 60); do echo "F$i,L$i,l$i@x.example"; done
} >"$T/leads.csv"
expect_code 0 crm init

# a refusal the engines both map to bad data (65): SQLite's RAISE(ABORT)
# is a constraint; PostgreSQL's check_violation is SQLSTATE 23514
refuse INSERT leads "NEW.first_name = 'Bad'" check_violation
db_dump "$CRM_DB" "$T/before"
run crm-lead import -q "$T/leads.csv"
check "refused: the import fails, bad data" [ "$rc" -eq 65 ]
err_has "refused by a trigger"
# the line of the refused lead (its INSERT fails at a later call on
# PostgreSQL: the store names the line it was made for)
err_has "leads.csv:42: cannot insert"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused: nothing written (leads, history, ids)"

# the same file with --reject: the refused row goes to the reject file
run crm-lead import -q --reject "$T/rej.csv" "$T/leads.csv"
check "--reject: exit 3 (rows rejected)" [ "$rc" -eq 3 ]
q "SELECT count(*), min(id), max(id), sum(CASE WHEN first_name = 'Bad' THEN 1 ELSE 0 END) FROM leads"
expect_out "--reject: the 59 others in, ids 1-59" <<<'59|1|59|0'
cut -d, -f1-3 "$T/rej.csv" >"$T/out"
expect_out "--reject: the refused row, and only it, rejected" <<'X'
first_name,last_name,email
Bad,Row,bad@x.example
X
q "SELECT count(*), min(lead_id), max(lead_id) FROM lead_history"
expect_out "--reject: one history row per lead in" <<<'59|1|59'

# after it, a plain import takes the next ids (none lost to the refusal)
printf 'first_name,last_name,email\nN,One,n1@x.example\n' >"$T/one.csv"
expect_code 0 crm-lead import -q "$T/one.csv"
q "SELECT id FROM leads WHERE email = 'n1@x.example'"
expect_out "the next lead takes id 60" <<<'60'
done_testing
