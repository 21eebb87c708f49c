#!/bin/bash
# The lead verbs write history and undo rows in batches of 128 and read
# leads 128 at a time (lib/domain/lead.c, #25): across batch boundaries the
# rows keep the order and ids single writes give, the undo before-images
# are the JSON jansson writes (quotes, backslashes, tabs, UTF-8, custom
# fields), and undo restores every lead.
. "$(dirname "$0")/../lib.sh"

# q SQL: the query's rows into $T/out (either engine)
q() { sql "$1" && cp "$T/sql" "$T/out"; }

# 300 leads: lead 1 has a quote and a backslash (plain ASCII: the fast
# path of the before-image), lead 2 UTF-8 and a tab (jansson's), lead 3 a
# custom field; the rest plain
{
	echo 'first_name,last_name,email,hobby'
	printf '"Q""uo\\te",Zed,l1@x.example,golf\n'
	printf '\xe4\xb8\xad\xe6\x96\x87,"tab\there",l2@x.example,\n'
	echo 'C,Custom,l3@x.example,chess'
	for i in $(seq 4 300); do echo "F$i,L$i,l$i@x.example,"; done
} >"$T/leads.csv"
expect_code 0 crm-lead import -q "$T/leads.csv"
q "SELECT count(*), min(id), max(id), sum(CASE WHEN id <> lead_id THEN 1 ELSE 0 END) FROM lead_history"
expect_out "import: one create row per lead, ids in lead order across batches" <<<'300|1|300|0'

cat >"$T/rules.json" <<'X'
{"teams": [{"name": "s", "members": ["ann", "bob", "cat"]}],
 "rules": [{"name": "all", "match": {}, "team": "s"}]}
X
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-lead assign -q --rules "$T/rules.json"
q "SELECT owner, count(*) FROM leads GROUP BY owner ORDER BY owner"
expect_out "assign: 300 leads round robin" <<'X'
ann|100
bob|100
cat|100
X
q "SELECT count(*), sum(CASE WHEN h.lead_id <> h.id - 300 THEN 1 ELSE 0 END), min(h.id), max(h.id) FROM lead_history h WHERE command = 'assign'"
expect_out "assign: owner history rows 301-600 in lead order" <<<'300|0|301|600'
q "SELECT count(*), sum(CASE WHEN record_id <> id - (SELECT min(id) FROM crm_audit WHERE change_id = 1) + 1 THEN 1 ELSE 0 END) FROM crm_audit WHERE change_id = 1"
expect_out "assign: undo rows in lead order across batches" <<<'300|0'
q "SELECT after FROM crm_audit WHERE change_id = 1 AND record_id IN (1, 2, 300) ORDER BY record_id"
# the rotation goes cat, bob, ann: lead 300 is the third of its turn
expect_out "assign: the changed fields, keys sorted" <<'X'
{"assigned_at":"2026-11-22T09:30:00Z","owner":"cat"}
{"assigned_at":"2026-11-22T09:30:00Z","owner":"bob"}
{"assigned_at":"2026-11-22T09:30:00Z","owner":"ann"}
X
# the before-image of lead 1, escaped as written here by hand
q "SELECT substr(before, 1, 53) FROM crm_audit WHERE change_id = 1 AND record_id = 1"
expect_out "before-image: quote and backslash escaped" <<'X'
{"id":"1","external_id":null,"first_name":"Q\"uo\\te"
X
# every before-image is the lead as it was, in the text jansson writes
# (Python's json with compact separators writes these values alike)
sql "SELECT before FROM crm_audit WHERE change_id = 1 ORDER BY id"
python3 - "$T/sql" >"$T/out" <<'X'
import json, sys
bad, img = 0, {}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    o = img[n] = json.loads(line)
    if json.dumps(o, separators=(",", ":"), ensure_ascii=False) != line:
        bad += 1
    if o["id"] != str(n) or o["owner"] is not None:
        bad += 1
print(bad, img[2]["first_name"], repr(img[2]["last_name"]), img[3]["custom"])
X
expect_out "before-images: all 300 as jansson writes them (a tab, UTF-8, custom)" <<<"0 中文 'tab\there' {'hobby': 'chess'}"

# reclaim 40 days later: all 300, then undo both changes
CRM_NOW=2027-01-01T09:30:00Z expect_code 0 crm-lead reclaim -q --idle 30d --ids
q "SELECT count(*), sum(CASE WHEN owner IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN previous_owner IS NOT NULL THEN 1 ELSE 0 END) FROM leads"
expect_out "reclaim: every lead back in the pool" <<<'300|300|300'
q "SELECT count(*), sum(CASE WHEN h.lead_id <> h.id - 600 THEN 1 ELSE 0 END) FROM lead_history h WHERE command = 'reclaim'"
expect_out "reclaim: history rows in lead order" <<<'300|0'
expect_code 0 crm-lead undo -q 2
expect_code 0 crm-lead undo -q 1
q "SELECT count(*) FROM leads WHERE owner IS NOT NULL OR previous_owner IS NOT NULL OR assigned_at IS NOT NULL"
expect_out "undo: the leads as imported" <<<'0'
q "SELECT id, first_name, last_name FROM leads WHERE id <= 3 ORDER BY id"
printf '%s\n' '1|Q"uo\te|Zed' '2|中文|tab	here' '3|C|Custom' >"$T/want"
compare "$T/want" "$T/out" "undo: the values restored from the before-images"
db_dump "$CRM_DB" "$T/after"
q "SELECT count(*) FROM crm_changes WHERE undone_at IS NOT NULL"
expect_out "undo: both changes marked undone" <<<'2'

# a status change of many leads (qualify) batches the same way
expect_code 0 crm-lead qualify -q $(seq 1 200)
q "SELECT count(*), min(lead_id), max(lead_id) FROM lead_history WHERE to_value = 'qualified'"
expect_out "qualify: 200 status rows" <<<'200|1|200'
q "SELECT count(*) FROM crm_audit WHERE change_id = (SELECT max(id) FROM crm_changes)"
expect_out "qualify: 200 undo rows" <<<'200'
# an UPDATE refused half-way (a trigger on lead 250; on PostgreSQL the
# UPDATEs are held and written 128 leads at a time): the run fails with
# the database's reason and writes nothing
refuse UPDATE leads "OLD.id = 250"
db_dump "$CRM_DB" "$T/before"
run crm-lead assign -q --reassign --rules "$T/rules.json"
# (the engines map the trigger's error differently: SQLite's RAISE(ABORT)
# is a constraint, 65; PL/pgSQL's RAISE EXCEPTION is not, 70)
check "refused: the run fails" [ "$rc" -eq 65 -o "$rc" -eq 70 ]
err_has "cannot update lead"
err_has "refused by a trigger"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused: nothing written (owners, history, undo rows)"
done_testing
