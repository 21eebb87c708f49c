#!/bin/bash
# PostgreSQL only (its planner): crm-report service counts each ticket's
# agent replies and reopens, grouped over the range's tickets only. With
# --from, those tickets are scattered over the ids (ids follow creation
# order only loosely), and PostgreSQL chose a merge join along ticket_id
# that read every reply up to the range's highest id, pricing it as if it
# stopped early: twice the hand-written SQL's time for one month of
# 300,000 tickets (tests/bench/pg-reports.sh). report.c turns merge joins
# off for that statement when --from is given, so the range's replies
# are probed by ticket. Here, over data of that shape (most activities
# not a ticket's): the plan (auto_explain, sent to crm-report as
# warnings) probes the replies of each ticket and merges nothing; the
# answer equals the same counts written in SQL; and a wider range and
# the whole range still agree. Runs when $CRM_TEST_PG names a server (a
# superuser's, to load auto_explain).
. "$(dirname "$0")/../lib.sh"

pg_scratch_db
export CRM_DB=$PGDB CRM_NOW=2026-12-31T00:00:00Z

explained() { # explained CMD...: CMD with every statement's plan on stderr
	PGOPTIONS="-c session_preload_libraries=auto_explain \
-c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on \
-c auto_explain.log_timing=off -c auto_explain.log_level=warning" "$@"
}

expect_code 0 crm init
# 20,000 tickets created over two years in an order unrelated to their
# ids; one to three replies to each answered one, a reopen for one in
# ten solved; 200,000 activities of contacts (no ticket)
iso="'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
sql "
INSERT INTO tickets (id, subject, priority, status, created_at, updated_at,
  first_response_at)
SELECT i, 'T' || i, 'normal',
  CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending'
    WHEN 3 THEN 'solved' ELSE 'closed' END,
  to_char(to_timestamp(1735689600 + (i * 7919) % 63072000) AT TIME ZONE 'UTC', $iso),
  '2026-12-31T00:00:00Z',
  CASE WHEN i % 5 <> 0 THEN to_char(to_timestamp(1735689600
    + (i * 7919) % 63072000 + 600) AT TIME ZONE 'UTC', $iso) END
FROM generate_series(CAST(1 AS BIGINT), 20000) i;
SELECT setval(pg_get_serial_sequence('tickets', 'id'), 20000);
INSERT INTO activities (type, direction, occurred_at, ticket_id, created_at,
  updated_at)
SELECT 'reply', 'out', first_response_at, id, first_response_at,
  first_response_at FROM tickets, generate_series(1, 3) k(j)
WHERE first_response_at IS NOT NULL AND j <= 1 + id % 3;
INSERT INTO activities (type, occurred_at, created_at, updated_at)
SELECT CASE i % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'email' ELSE 'meeting' END,
  '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z'
FROM generate_series(1, 200000) i;
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'open', 'solved', first_response_at FROM tickets
WHERE status IN ('solved', 'closed');
INSERT INTO ticket_status_history (ticket_id, from_status, to_status, at)
SELECT id, 'solved', 'open', first_response_at FROM tickets
WHERE status IN ('solved', 'closed') AND id % 10 = 3;
ANALYZE"

# the same counts, written out: a ticket's replies and reopens by
# subquery, the first-contact rule (resolved, one reply, never reopened)
ref() { # ref FROM: the reference's CSV line for tickets from FROM
	sql "
WITH t AS (SELECT status IN ('solved', 'closed') AS res,
  (SELECT count(*) FROM activities a WHERE a.ticket_id = t.id
   AND type = 'reply' AND direction = 'out') AS replies,
  (SELECT count(*) FROM ticket_status_history h WHERE h.ticket_id = t.id
   AND from_status IN ('solved', 'closed')
   AND to_status NOT IN ('solved', 'closed')) AS reopens
 FROM tickets t WHERE created_at >= '$1' AND created_at < '2026-12-31T00:00:01Z')
SELECT count(*) || ',' || count(*) FILTER (WHERE res) || ','
  || count(*) FILTER (WHERE res AND replies = 1 AND reopens = 0) || ','
  || count(*) FILTER (WHERE reopens > 0) FROM t"
	cat "$T/sql"
}
F=(-f csv --fields tickets,resolved,first_contact,reopened)

explained crm-report service --from 2026-12-01 "${F[@]}" >"$T/out" 2>"$T/plans"
rc=$?
[ "$rc" = 0 ] && ok "service --from under auto_explain exits 0" || not_ok "service --from under auto_explain exits 0 (got $rc)"
{ echo tickets,resolved,first_contact,reopened; ref 2026-12-01T00:00:00Z; } >"$T/want"
compare "$T/want" "$T/out" "December's counts are the reference's"
check "December has tickets, replies and reopens to count" \
	awk -F, 'NR == 2 && $1 > 500 && $3 > 0 && $4 > 0 { found = 1 } END { exit !found }' "$T/out"

# the statement's plan: from its query text to the next one's
awk '/^WARNING: / { keep = 0 } /Query Text: WITH RECURSIVE params_/ { keep = 1 } keep' "$T/plans" >"$T/stmt"
check "the service statement was explained on PostgreSQL" grep -q 'FROM activities' "$T/stmt"
check "the range's replies are not merged along ticket_id on PostgreSQL" \
	test -z "$(grep 'Merge Join' "$T/stmt")"
check "the replies are probed by ticket on PostgreSQL" \
	grep -Eq 'Index Scan using activities_ticket on activities .*loops=([1-9][0-9]{2,})' "$T/stmt"

# a wider range and the whole range keep their answers
for from in 2026-06-01 ''; do
	expect_code 0 crm-report service ${from:+--from "$from"} "${F[@]}"
	{ echo tickets,resolved,first_contact,reopened; ref "${from:+${from}T00:00:00Z}"; } >"$T/want"
	compare "$T/want" "$T/out" "service from '${from:-the start}' is the reference's"
done
done_testing
