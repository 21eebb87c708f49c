#!/bin/bash
# On PostgreSQL a lead import sends its batches of new leads without
# waiting for them (a savepoint each, crm_batch): a lead the database
# refuses is found at a later wait (the next chunk's duplicate probe, a
# read, the end), and the import still fails with that lead's own line
# and reason and writes nothing, whether the refused lead was in the
# first of several batches sent since the last wait, in a later chunk,
# or in the last batch (found at the end). Ids come from blocks of the
# sequence that grow: in input order past the first blocks, the next
# lead after the import takes the next id. The same on SQLite.
. "$(dirname "$0")/../lib.sh"

# refuse NAME COND: a trigger NAME refusing an INSERT of a lead when COND
refuse() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		sql "CREATE FUNCTION $1() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a trigger' USING ERRCODE = 'check_violation'; END\$\$; CREATE TRIGGER $1 BEFORE INSERT ON leads FOR EACH ROW WHEN ($2) EXECUTE FUNCTION $1()" ;;
	*) sql "CREATE TRIGGER $1 BEFORE INSERT ON leads WHEN $2 BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" ;;
	esac || not_ok "create the trigger $1"
}
# leads N BAD: N new leads (emails of their own), record BAD (0: none)
# named Bad
leads() {
	awk -v n="$1" -v bad="$2" 'BEGIN {
		print "first_name,last_name,email"
		for (i = 1; i <= n; i++)
			print (i == bad ? "Bad" : "F" i) ",L" i ",lead" i "." bad "@fill.example"
	}' >"$T/l$2.csv"
}
# q SQL: the query's rows into $T/out
q() { sql "$1" && cp "$T/sql" "$T/out"; }
# refused N BAD: importing N leads with record BAD refused fails on its
# line (BAD + 1) for the trigger's reason, bad data, nothing written
refused() {
	leads "$1" "$2"
	db_dump "$CRM_DB" "$T/before"
	run crm-lead import -q "$T/l$2.csv"
	check "record $2 of $1: the import fails, bad data" [ "$rc" -eq 65 ]
	err_has "l$2.csv:$(($2 + 1)): cannot insert"
	err_has "refused by a trigger"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "record $2 of $1: nothing written"
}

expect_code 0 crm init
# 3,000 leads: three chunks, blocks of 1,024 then 2,048 ids
leads 3000 0
expect_code 0 crm-lead import -q "$T/l0.csv"
q "SELECT count(*), min(id), max(id), sum(CASE WHEN first_name = 'F' || id THEN 1 ELSE 0 END) FROM leads"
expect_out "3,000 leads, ids 1-3000 in input order" <<<'3000|1|3000|3000'
q "SELECT count(*), min(lead_id), max(lead_id) FROM lead_history WHERE command = 'create'"
expect_out "one create history row per lead" <<<'3000|1|3000'

# a lead new in the chunk, then two repeats: the first adds a custom
# field (its row then is not taken as written but read again), the
# second reads what the first left: each undo row the update before
awk 'BEGIN {
	print "first_name,last_name,email,note"
	r[10] = "Al,One,al@x.example,"
	r[20] = "Al,Two,al@X.example,hello"
	r[30] = "Al,Three,AL@x.example,"
	r[40] = "Bo,One,bo@x.example,"
	r[50] = "Bo,Two,bo@X.example,"
	r[60] = "Bo,Three,BO@x.example,"
	for (i = 1; i <= 100; i++)
		print (i in r) ? r[i] : "G" i ",M" i ",more" i "@fill.example,"
}' >"$T/again.csv"
expect_code 0 crm-lead import -q "$T/again.csv"
q "SELECT l.first_name, json_extract(a.before, '$.last_name'), json_extract(a.before, '$.custom.note') FROM crm_audit a JOIN leads l ON l.id = a.record_id WHERE a.entity = 'lead' ORDER BY a.id"
expect_out "each undo row holds what the update before it left" <<'X'
Al|One|
Al|Two|hello
Bo|One|
Bo|Two|
X
q "SELECT first_name, last_name, json_extract(custom, '$.note') FROM leads WHERE first_name IN ('Al', 'Bo') ORDER BY id"
expect_out "the last repeat's values" <<'X'
Al|Three|hello
Bo|Three|
X

refuse boom "NEW.first_name = 'Bad'"
# the first batch of a chunk of eight, found at the next chunk's probe
refused 1100 5
# in the second chunk, batches after it sent before the end's wait
refused 2100 1030
# in the last batch, found at the end
refused 700 700

printf 'first_name,last_name,email\nN,One,n1@x.example\n' >"$T/one.csv"
expect_code 0 crm-lead import -q "$T/one.csv"
q "SELECT id FROM leads WHERE email = 'n1@x.example'"
expect_out "the next lead takes id 3097 (no id lost to a block or a refusal)" <<<'3097'
done_testing
