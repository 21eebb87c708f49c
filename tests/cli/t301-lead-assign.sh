#!/bin/bash
# crm-lead assign: round-robin over 1,000 leads and 7 reps is even within
# one; rotation state carries across runs; idempotent; rule order, the
# default owner, capacities (open and per 30 days), --explain, --where,
# --stdin, --reassign, --dry-run.
. "$(dirname "$0")/../lib.sh"

cat >"$T/seven.json" <<'X'
{"teams": [{"name": "sales", "members": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]}],
 "rules": [{"name": "all", "match": {}, "team": "sales"}]}
X
{ echo external_id,first_name; for i in $(seq 1 1000); do echo "x$i,L$i"; done; } >"$T/1000.csv"
expect_code 0 crm-lead import -q "$T/1000.csv"
expect_code 0 crm-lead assign --rules "$T/seven.json" --ids
check "assign prints the 1000 ids" [ "$(wc -l <"$T/out")" -eq 1000 ]
err_has "assigned 1000 leads (change 1;"
sql "SELECT count(*), max(n) - min(n), sum(n) FROM (SELECT owner, count(*) AS n FROM leads GROUP BY owner) AS per_owner"
echo '7|1|1000' >"$T/want"
compare "$T/want" "$T/sql" "1000 leads over 7 reps: each rep within one of the others"
# 1000 = 7 * 142 + 6: the rep with 142 waited longest, so it is next
printf 'external_id,first_name\ny1,Next\n' >"$T/stdin"; expect_code_in 0 "$T/stdin" crm-lead import -q
expect_code 0 crm-lead assign --rules "$T/seven.json" -q
sql "SELECT count(DISTINCT n), min(n) FROM (SELECT owner, count(*) AS n FROM leads GROUP BY owner) AS per_owner"
compare <(echo '1|143') "$T/sql" "the next lead goes to the rep behind: all at 143"
# consecutive cron runs stay fair: one lead per run, seven runs
for i in 1 2 3 4 5 6 7; do
	printf 'external_id,first_name\nz%s,Run\n' "$i" >"$T/stdin"; expect_code_in 0 "$T/stdin" crm-lead import -q
	expect_code 0 crm-lead assign --rules "$T/seven.json" -q
done
sql "SELECT count(DISTINCT n), min(n) FROM (SELECT owner, count(*) AS n FROM leads GROUP BY owner) AS per_owner"
compare <(echo '1|144') "$T/sql" "seven runs of one lead: one each"
sql "SELECT team, count(*), max(seq) FROM lead_rotation GROUP BY team"
compare <(echo 'sales|7|1008') "$T/sql" "rotation state in the database"
# idempotent: owned leads stay put
db_dump "$CRM_DB" "$T/before"
expect_code 0 crm-lead assign --rules "$T/seven.json" -f csv
expect_out "nothing to assign: only the header" <<<'id,owner,rule'
err_has "assigned 0 leads"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a second run changes nothing"

# rule order, ranges, the default owner
export CRM_DB="$T/rules.db"
cat >"$T/rules.json" <<'X'
{"default_owner": "desk",
 "teams": [{"name": "eu", "strategy": "least_busy", "members": ["ana", "ben"]}],
 "rules": [
  {"name": "hot", "match": {"score": {"min": 80}}, "owner": "hot-desk"},
  {"name": "europe", "match": {"region": ["EMEA", "Europe"]}, "team": "eu"}]}
X
cat >"$T/r.csv" <<'X'
external_id,first_name,region,score,owner
a,Hot,EMEA,90,
b,Warm,emea,79,
c,Far,APAC,10,
d,Owned,APAC,99,ben
X
expect_code 0 crm-lead import -q "$T/r.csv"
expect_code 0 crm-lead assign --rules "$T/rules.json" --explain -f csv
expect_out "first match wins; the default owner when none does; owned leads stay" <<'X'
id,owner,rule,team,strategy,why
1,hot-desk,hot,,,the rule names the owner
2,ana,europe,eu,least_busy,fewest open leads (0)
3,desk,default,,,no rule matched: the default owner
X
expect_code 0 crm-lead list -f csv --fields id,owner,assigned_at
expect_out "owners and assignment times" <<'X'
id,owner,assigned_at
1,hot-desk,2026-11-22T09:30:00Z
2,ana,2026-11-22T09:30:00Z
3,desk,2026-11-22T09:30:00Z
4,ben,2026-11-22T09:30:00Z
X
# without a default owner, unmatched leads stay unassigned and are reported
sed 's/"default_owner": "desk",//' "$T/rules.json" >"$T/nodefault.json"
printf 'external_id,first_name,region\ne,Lost,APAC\nf,Euro,Europe\n' >"$T/stdin"; expect_code_in 0 "$T/stdin" crm-lead import -q
expect_code 0 crm-lead assign --rules "$T/nodefault.json" -f csv
expect_out "only the assignment is printed" <<'X'
id,owner,rule
6,ben,europe
X
expect_err "the lead nobody takes is reported" <<'X'
crm-lead: lead 5 stays unassigned: no rule matched and there is no default owner
crm-lead: assigned 1 lead (change 2; 'crm-lead undo 2' reverts it)
crm-lead: 1 lead left unassigned
X
# --where, --stdin, --reassign, --dry-run
expect_code 0 crm-lead assign --rules "$T/rules.json" --where 'region~emea' --reassign -f csv
expect_out "--reassign routes owned leads again; same owners here" <<'X'
id,owner,rule
1,hot-desk,hot
2,ana,europe
X
err_has "assigned 0 leads"
expect_code 0 crm-lead assign --rules "$T/rules.json" --reassign --dry-run 4 -f csv
expect_out "lead 4 (score 99) would go to the hot desk" <<'X'
id,owner,rule
4,hot-desk,hot
X
err_has "dry run: would have assigned 1 lead"
expect_code 0 crm-lead show 2 -f csv --fields owner
expect_out "dry run changed nothing" <<'X'
owner
ana
X
expect_code 0 crm-lead show 4 -f csv --fields owner
expect_out "... lead 4 still ben's" <<'X'
owner
ben
X
expect_code_in 0 <(echo 5) crm-lead assign --rules "$T/rules.json" --stdin -f csv
expect_out "--stdin selects leads by id" <<'X'
id,owner,rule
5,desk,default
X

# capacities: open leads, and leads per 30 days
export CRM_DB="$T/cap.db"
cat >"$T/cap.json" <<'X'
{"teams": [{"name": "t", "max_open": 2,
  "members": ["a", {"name": "b", "max_open": 1}, {"name": "c", "max_per_30d": 1}]}],
 "rules": [{"name": "all", "match": {}, "team": "t"}]}
X
{ echo first_name; for i in 1 2 3 4 5 6; do echo "L$i"; done; } >"$T/stdin"; expect_code_in 0 "$T/stdin" crm-lead import -q
expect_code 0 crm-lead assign --rules "$T/cap.json" --explain -f csv --fields x
sql "SELECT coalesce(owner, '-'), count(*) FROM leads GROUP BY owner ORDER BY owner"
cat >"$T/want" <<'X'
-|2
a|2
b|1
c|1
X
compare "$T/want" "$T/sql" "members at capacity are skipped; the rest stay unassigned"
err_has "crm-lead: lead 6 stays unassigned: all: every member of team t is at capacity"
err_has "2 leads left unassigned"
# a qualified lead is still open; a disqualified one frees a place
expect_code 0 crm-lead disqualify -q --reason spam --where owner=b
expect_code 0 crm-lead assign --rules "$T/cap.json" -f csv
expect_out "b has room again, c has had its one this month" <<'X'
id,owner,rule
5,b,all
X
CRM_NOW=2026-12-23T09:30:00Z expect_code 0 crm-lead assign --rules "$T/cap.json" -f csv
expect_out "31 days on, c may take another" <<'X'
id,owner,rule
6,c,all
X
done_testing
