#!/bin/sh
# tickets.sh [N]: import N tickets (default 500,000) with crm-ticket, which
# chooses each one's SLA policy and computes its due times in business
# hours (share/crm/sla.json), and the same rows loaded with the sqlite3
# shell (.import, then one INSERT ... SELECT with the due times as plain
# calendar arithmetic) into the same schema; then the SLA check of every
# ticket (crm-ticket sla) against the same query in the sqlite3 shell.
# Prints times, ratios and our peak RSS.
set -eu
n=${1:-500000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-12-31T12:00:00Z CRM_SHARE=$top/share/crm

awk -v n="$n" 'BEGIN { srand(7)
	split("low normal normal normal high urgent", pr, " ")
	split("email phone web chat social", ch, " ")
	print "external_id,subject,priority,channel,team,created_at"
	for (i = 1; i <= n; i++)
		printf "t-%d,Ticket %d,%s,%s,support,2026-%02d-%02dT%02d:%02d:00Z\n", i, i,
		    pr[1 + int(rand() * 6)], ch[1 + int(rand() * 5)],
		    1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24),
		    int(rand() * 60)
}' >"$dir/t.csv"
echo "data: $n tickets, $(($(stat -c %s "$dir/t.csv") / 1048576)) MiB of CSV"
"$bin/crm" init --db "$dir/ref.db" 2>/dev/null

timed /dev/null /usr/bin/time -f %M -o "$dir/rss.import" \
	"$bin/crm-ticket" import -q --db "$dir/ours.db" "$dir/t.csv"
t_ours=$t
timed /dev/null sqlite3 "$dir/ref.db" <<SQL
PRAGMA journal_mode=WAL;
.mode csv
CREATE TEMP TABLE t (external_id, subject, priority, channel, team, created_at);
.import --skip 1 $dir/t.csv t
BEGIN;
INSERT INTO tickets (external_id, subject, priority, channel, team, status,
  sla_policy, first_reply_due, resolution_due, first_reply_breached,
  next_reply_breached, resolution_breached, created_at, updated_at)
SELECT external_id, subject, priority, channel, team, 'new',
  CASE priority WHEN 'urgent' THEN 'urgent' ELSE 'standard' END,
  strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+8 hours'),
  strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+5 days'), 0, 0, 0,
  created_at, '$CRM_NOW' FROM t;
COMMIT;
SQL
t_ref=$t
echo "import: crm-ticket ${t_ours}s, sqlite3 shell ${t_ref}s, ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss.import")"

timed "$dir/ours.csv" /usr/bin/time -f %M -o "$dir/rss.sla" \
	"$bin/crm-ticket" sla --db "$dir/ours.db" --warn 1h -f csv || true
t_ours=$t
timed "$dir/ref.csv" sqlite3 -csv "$dir/ref.db" "
SELECT id, subject, status, priority, assignee, team, sla_policy, k, due
FROM (SELECT *, 'first_reply' AS k, first_reply_due AS due FROM tickets
      UNION ALL SELECT *, 'resolution', resolution_due FROM tickets)
WHERE status NOT IN ('solved', 'closed') AND due < strftime('%Y-%m-%dT%H:%M:%SZ', '$CRM_NOW', '+1 hour')
ORDER BY id"
t_ref=$t
echo "sla: crm-ticket ${t_ours}s ($(($(wc -l <"$dir/ours.csv") - 1)) targets), sqlite3 shell ${t_ref}s ($(wc -l <"$dir/ref.csv") targets), ratio $(ratio $t_ours $t_ref), crm peak RSS $(rss "$dir/rss.sla")"
