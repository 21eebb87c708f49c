#!/bin/bash
# On PostgreSQL a lead import holds its new leads and writes them 128 to
# an INSERT (the rest of a chunk in smaller ones): the ids are still
# those of one INSERT a lead, in input order, across a batch's boundary;
# a repeat of a lead still held folds onto it; a lead the database
# refuses inside a batch fails the import with its own line and reason,
# nothing written, and --reject rejects it alone. The same on SQLite.
. "$(dirname "$0")/../lib.sh"

# q SQL: the query's rows into $T/out (either engine)
q() { sql "$1" && cp "$T/sql" "$T/out"; }
# refuse EVENT NAME COND: a trigger NAME refusing EVENT (INSERT, UPDATE)
# of a lead when COND, bad data (65) on both engines
refuse() {
	case $CRM_DB in
	postgresql:* | postgres:*)
		sql "CREATE FUNCTION $2() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'refused by a trigger' USING ERRCODE = 'check_violation'; END\$\$; CREATE TRIGGER $2 BEFORE $1 ON leads FOR EACH ROW WHEN ($3) EXECUTE FUNCTION $2()" ;;
	*) sql "CREATE TRIGGER $2 BEFORE $1 ON leads WHEN $3 BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END" ;;
	esac || not_ok "create the trigger $2"
}
# refused FILE WHERE: importing FILE fails at WHERE ("FILE:LINE: cannot
# insert") for the trigger's reason, bad data, and writes nothing
refused() {
	db_dump "$CRM_DB" "$T/before"
	run crm-lead import -q "$T/$1"
	check "$1: the import fails, bad data" [ "$rc" -eq 65 ]
	err_has "$2"
	err_has "refused by a trigger"
	db_dump "$CRM_DB" "$T/after"
	compare "$T/before" "$T/after" "$1: nothing written (leads, history, ids)"
}

expect_code 0 crm init
# records 1-400 on lines 2-401
awk 'BEGIN {
	print "first_name,last_name,email"
	r[10] = "Ann,One,ann@one.example"
	r[20] = "Ann,Two,ann@ONE.example"	# held with Ann One: a repeat
	r[128] = "Bo,Last,bo@b.example"		# the last of the first batch ...
	r[129] = "Bo,Next,bo@B.example"		# ... and its repeat, next
	r[250] = "Ed,One,ed@e.example"		# held as the next chunk ...
	r[260] = "Ed,Two,ed@E.example"		# ... is asked: a repeat
	r[290] = "Cy,One,cy@c.example"		# in a chunk s rest ...
	r[295] = "Cy,Mid,cy@C.example"		# ... its repeat, then one
	r[300] = "Cy,Two,cy@C.EXAMPLE"		# of the lead updated
	for (i = 1; i <= 400; i++)
		print (i in r) ? r[i] : "F" i ",L" i ",lead" i "@filler.example"
}' >"$T/leads.csv"
expect_code 0 crm-lead import -q "$T/leads.csv"
q "SELECT count(*), min(id), max(id) FROM leads"
expect_out "395 leads, ids 1-395" <<<'395|1|395'
# record i's lead is id i less the repeats before it
q "SELECT id, first_name, last_name, email FROM leads WHERE id IN (9, 10, 11, 19, 20, 127, 128, 129, 130, 248, 255, 256, 257, 258, 287, 288, 298, 395) ORDER BY id"
expect_out "the ids of one INSERT a lead, in input order; repeats folded" <<'X'
9|F9|L9|lead9@filler.example
10|Ann|Two|ann@one.example
11|F11|L11|lead11@filler.example
19|F19|L19|lead19@filler.example
20|F21|L21|lead21@filler.example
127|Bo|Next|bo@b.example
128|F130|L130|lead130@filler.example
129|F131|L131|lead131@filler.example
130|F132|L132|lead132@filler.example
248|Ed|Two|ed@e.example
255|F257|L257|lead257@filler.example
256|F258|L258|lead258@filler.example
257|F259|L259|lead259@filler.example
258|F261|L261|lead261@filler.example
287|Cy|Two|cy@c.example
288|F291|L291|lead291@filler.example
298|F303|L303|lead303@filler.example
395|F400|L400|lead400@filler.example
X
q "SELECT count(*), min(lead_id), max(lead_id), count(DISTINCT lead_id) FROM lead_history WHERE command = 'create'"
expect_out "one create history row per lead" <<<'395|1|395|395'
# each update's undo row holds what the one before it left
q "SELECT record_id, json_extract(before, '$.last_name') FROM crm_audit WHERE entity = 'lead' AND record_id IN (10, 287) ORDER BY id"
expect_out "undo rows in order, each before-image the last update's" <<'X'
10|One
287|One
287|Mid
X

# two repeats of a lead stored before the import (read ahead with its
# chunk): the second reads what the first wrote
printf 'first_name,last_name,email\nF5,Two,lead5@filler.example\nF5,Three,LEAD5@filler.example\n' >"$T/again.csv"
expect_code 0 crm-lead import -q "$T/again.csv"
q "SELECT json_extract(before, '$.last_name') FROM crm_audit WHERE entity = 'lead' AND record_id = 5 ORDER BY id"
expect_out "a lead read ahead, updated twice: each undo row what was before" <<'X'
L5
Two
X
q "SELECT last_name FROM leads WHERE id = 5"
expect_out "the last repeat's value" <<<'Three'

# a lead the database refuses, inside a full batch, after a repeat of a
# lead held in it; records 1-300 on lines 2-301, the refused one line 201
refuse INSERT boom "NEW.first_name = 'Bad'"
awk 'BEGIN {
	print "first_name,last_name,email"
	r[140] = "Di,One,di@d.example"
	r[150] = "Di,Two,di@D.example"
	r[200] = "Bad,Row,bad@x.example"
	for (i = 1; i <= 300; i++)
		print (i in r) ? r[i] : "G" i ",M" i ",more" i "@filler.example"
}' >"$T/more.csv"
refused more.csv "more.csv:201: cannot insert"

run crm-lead import -q --reject "$T/rej.csv" "$T/more.csv"
check "--reject: exit 3 (rows rejected)" [ "$rc" -eq 3 ]
cut -d, -f1-3 "$T/rej.csv" >"$T/out"
expect_out "--reject: the refused row, and only it, rejected" <<'X'
first_name,last_name,email
Bad,Row,bad@x.example
X
q "SELECT count(*), min(id), max(id) FROM leads WHERE id > 395"
expect_out "--reject: 298 leads in, ids 396-693" <<<'298|396|693'
q "SELECT id, first_name, last_name FROM leads WHERE id IN (535, 693) ORDER BY id"
expect_out "--reject: the repeat folded, ids in order" <<'X'
535|Di|Two
693|G300|M300
X

# an update the database refuses among held ones (the repeats of leads
# 1-200, the refused one on line 151): its own line and reason
refuse UPDATE boom2 "NEW.last_name = 'Refused'"
awk 'BEGIN {
	print "first_name,last_name,email"
	for (i = 1; i <= 200; i++)
		printf "F%d,%s,LEAD%d@filler.example\n", i, i == 150 ? "Refused" : "U" i, i + 30
}' >"$T/upd.csv"
refused upd.csv "upd.csv:151: cannot update"

# after them, a plain import takes the next id (none lost in a batch)
printf 'first_name,last_name,email\nN,One,n1@x.example\n' >"$T/one.csv"
expect_code 0 crm-lead import -q "$T/one.csv"
q "SELECT id FROM leads WHERE email = 'n1@x.example'"
expect_out "the next lead takes id 694" <<<'694'
done_testing
