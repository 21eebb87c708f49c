#!/bin/bash
# Concurrency: 8 processes import, add, tag, log activities, list and
# export one database at once: every one succeeds, none says "database is
# locked", and no write is lost (counts and content). A writer waits for a
# lock held less than the busy timeout and exits 75 past it; readers never
# wait for writers (WAL).
. "$(dirname "$0")/../lib.sh"

# 200 seed contacts that the tag and activity writers touch at once
awk 'BEGIN { print "external_id,first_name,email,tags"
	for (i = 1; i <= 200; i++) printf "seed-%d,S%d,seed%d@example.com,old\n", i, i, i }' >"$T/seed.csv"
for p in a b c; do
	awk -v p=$p 'BEGIN { print "external_id,first_name,email,city"
		for (i = 1; i <= 1500; i++) printf "%s-%d,N%d,%s%d@example.org,C%d\n", p, i, i, p, i, i % 13 }' >"$T/$p.csv"
done
awk 'BEGIN { for (i = 1; i <= 200; i++)
	printf "{\"external_id\":\"ev%d\",\"contact_external_id\":\"seed-%d\",\"type\":\"call\",\"occurred_at\":\"2026-11-%02dT08:00:00Z\"}\n", i, i, 1 + i % 20 }' >"$T/ev.ndjson"
crm-contact import -q "$T/seed.csv" || exit 1

# the eight workers: each writes its statuses (one per command) to $T/rc.N
worker() { # N command...: run the command, append its exit status
	n=$1; shift
	"$@" >>"$T/out.$n" 2>>"$T/err.$n"
	echo $? >>"$T/rc.$n"
}
rm -f "$T"/rc.* "$T"/err.* "$T"/out.*
worker 1 crm-contact import -q "$T/a.csv" &
worker 2 crm-contact import -q "$T/b.csv" &
worker 3 crm-contact import -q "$T/c.csv" &
( for i in $(seq 1 25); do worker 4 crm-contact add -q --first-name "Add$i" --external-id "add-$i"; done ) &
( for t in t1 t2 t3 t4 t5; do worker 5 crm-contact tag add -q "$t" -w 'external_id~seed-'; done ) &
( for t in u1 u2 u3 u4 u5; do worker 6 crm-contact tag add -q "$t" -w 'external_id~seed-'
	worker 6 crm-activity import -q "$T/ev.ndjson"; done ) &
( for i in $(seq 1 15); do worker 7 crm-contact list --ids -w 'external_id~seed-'; done ) &
( for i in $(seq 1 8); do rm -f "$T/exp.$i"; worker 8 crm-contact export -f ndjson
	crm-contact export -f ndjson >"$T/exp.$i" 2>/dev/null || echo $? >>"$T/rc.8"; done ) &
wait

all_ok=1
for n in 1 2 3 4 5 6 7 8; do
	if grep -qv '^0$' "$T/rc.$n"; then all_ok=0; echo "# worker $n: statuses $(sort "$T/rc.$n" | uniq -c | tr '\n' ' ')"; fi
done
check "8 workers at once: every command exited 0" [ $all_ok -eq 1 ]
check "no 'database is locked' (nor busy) on stderr" bash -c "! cat '$T'/err.* | grep -qi 'locked\|busy'"
nruns=$(cat "$T"/rc.* | wc -l)
check "every command ran ($nruns = 3 + 25 + 5 + 10 + 15 + 8)" [ "$nruns" -eq 66 ]

sql "SELECT count(*) FROM contacts"
check "no lost inserts: 200 + 3 x 1500 + 25 contacts" grep -qx 4725 "$T/sql"
for p in a b c; do
	expect_code 0 crm-contact export --fields external_id,first_name,email,city -w "external_id~$p-" --sort id; cp "$T/out" "$T/got.$p"
	compare "$T/$p.csv" "$T/got.$p" "import $p: every row stored as given"
done
sql "SELECT count(*) FROM contacts WHERE external_id LIKE 'add-%'"
check "25 adds stored" grep -qx 25 "$T/sql"
sql "SELECT count(*) FROM contacts WHERE external_id LIKE 'seed-%' AND tags = 'old,t1,t2,t3,t4,t5,u1,u2,u3,u4,u5'"
check "no lost tag writes: 200 seeds have all 10 tags from two writers" grep -qx 200 "$T/sql"
sql "SELECT count(*) FROM activities"
check "activities imported once each (200, then unchanged)" grep -qx 200 "$T/sql"
sql "SELECT count(*) FROM contacts WHERE external_id LIKE 'seed-%' AND last_activity_at IS NOT NULL"
check "no lost last_activity_at: all 200 seeds have it beside the tags" grep -qx 200 "$T/sql"
sql "PRAGMA integrity_check"
check "integrity_check ok" grep -qx ok "$T/sql"
ok_lists=1
for f in "$T"/exp.*; do
	n=$(wc -l <"$f")
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$f" || ok_lists=0
	[ "$n" -ge 200 ] || ok_lists=0
done
check "exports taken during the writes are whole NDJSON snapshots" [ $ok_lists -eq 1 ]
lines=$(wc -l <"$T/out.7")
check "15 lists of the seeds saw all 200 each time ($lines lines)" [ "$lines" -eq 3000 ]

# A lock held by another writer: a command waits for it within the busy
# timeout, and exits 75 past it. Readers go on meanwhile.
mkfifo "$T/fifo"
hold_lock() { # start a sqlite3 that holds the write lock until release_lock
	sqlite3 -batch "$CRM_DB" <"$T/fifo" >"$T/holder" 2>&1 &
	holder=$!
	exec 3>"$T/fifo"
	echo "BEGIN IMMEDIATE; SELECT 'held';" >&3
	for _ in $(seq 1 100); do grep -q held "$T/holder" && break; sleep 0.05; done
}
release_lock() { echo "COMMIT;" >&3; exec 3>&-; wait $holder; }

hold_lock
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact import -q "$T/a.csv"
err_has "database is busy"
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact update -q -w 'external_id~seed-' --set owner=late
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact tag add -q late 1
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-contact delete -q 1
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-company add -q --name Late
CRM_BUSY_TIMEOUT=200 expect_code 75 crm-activity log -q --type call --contact 1
expect_code 0 crm-contact list --ids -w 'external_id~seed-'
check "a reader is not blocked by the writer (200 ids)" [ "$(wc -l <"$T/out")" -eq 200 ]
expect_code 0 crm-contact export -f csv
# within the timeout: the writer waits, then succeeds
CRM_BUSY_TIMEOUT=10000 crm-contact update -q -w 'external_id~seed-' --set owner=waited 2>"$T/err.w" &
w=$!
sleep 0.7
release_lock
wait $w
check "a writer waits for a lock held 0.7 s (busy timeout 10 s) and exits 0" [ $? -eq 0 ]
check "... without a 'locked' message" bash -c "! grep -qi locked '$T/err.w'"
sql "SELECT count(*) FROM contacts WHERE owner = 'waited'"
check "... and its update is there" grep -qx 200 "$T/sql"
sql "SELECT count(*) FROM contacts WHERE owner = 'late' OR tags LIKE '%late%'"
check "the commands that gave up wrote nothing" grep -qx 0 "$T/sql"

# Phase two: leads arriving while scoring, assignment and SLA checks run
# (cron jobs overlapping): every run succeeds, no lost writes, and the
# rotation of a round-robin team stays fair across overlapping runs.
cat >"$T/rules.json" <<'X'
{"seed": 7, "teams": [{"name": "t", "strategy": "round_robin",
  "members": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]}],
 "rules": [{"name": "all", "match": {}, "team": "t"}]}
X
for p in 1 2 3 4; do
	awk -v p=$p 'BEGIN { print "external_id,first_name,email,source,country"
		for (i = 1; i <= 150; i++) printf "l%s-%d,L%d,l%s.%d@example.net,web,PT\n", p, i, i, p, i }' >"$T/leads$p.csv"
done
crm-ticket open -q --subject 'Old one' --priority urgent >/dev/null || exit 1
rm -f "$T"/rc.* "$T"/err.* "$T"/out.*
( for p in 1 2 3 4; do worker 1 crm-lead import -q --on-duplicate=allow "$T/leads$p.csv"; done ) &
( for i in 1 2 3 4 5 6; do worker 2 crm-lead assign -q --rules "$T/rules.json"; done ) &
( for i in 1 2 3 4 5 6; do worker 3 crm-lead assign -q --rules "$T/rules.json"; done ) &
( for i in 1 2 3 4; do worker 4 crm-score leads -q; done ) &
( for i in 1 2 3 4 5; do crm-ticket sla -q >/dev/null 2>>"$T/err.5"; r=$?
	[ $r -le 1 ] && echo 0 >>"$T/rc.5" || echo $r >>"$T/rc.5"; done ) &
( for i in 1 2 3 4 5; do worker 6 crm-lead list --ids; done ) &
( for i in 1 2 3 4; do worker 7 crm-contact export -f ndjson; done ) &
( for i in 1 2 3; do worker 8 crm-pipeline forecast --period month; done ) &
wait
all_ok=1
for n in 1 2 3 4 5 6 7 8; do
	grep -qv '^0$' "$T/rc.$n" 2>/dev/null && all_ok=0
done
check "phase two: every overlapping run exited 0 (sla: 0 or 1)" [ $all_ok -eq 1 ]
cat "$T"/err.* >"$T/allerr" 2>/dev/null
check "phase two: no 'database is locked'" [ -z "$(grep -i locked "$T/allerr")" ]
expect_code 0 crm-lead assign -q --rules "$T/rules.json"
sql "SELECT count(*) FROM leads"
check "phase two: all 600 leads stored" grep -qx 600 "$T/sql"
sql "SELECT count(*) FROM leads WHERE owner IS NULL"
check "phase two: every lead assigned" grep -qx 0 "$T/sql"
sql "SELECT max(n) - min(n) FROM (SELECT owner, count(*) AS n FROM leads GROUP BY owner)"
check "phase two: overlapping round-robin runs stay fair (spread $(cat "$T/sql") <= 1)" grep -qxE '0|1' "$T/sql"
sql "SELECT count(DISTINCT owner) FROM leads"
check "phase two: all seven members got leads" grep -qx 7 "$T/sql"
sql "SELECT count(*) FROM leads WHERE scored_at IS NULL AND id <= (SELECT max(lead_id) FROM lead_scores)"
check "phase two: scoring runs left no half-scored lead" grep -qx 0 "$T/sql"
done_testing
