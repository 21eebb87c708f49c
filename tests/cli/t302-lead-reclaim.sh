#!/bin/bash
# crm-lead reclaim --idle: leads whose owner logged no activity for that
# long go back to the pool (owner cleared, previous owner kept, history);
# --warn lists those due soon (exit 1); assign avoids the previous owner.
. "$(dirname "$0")/../lib.sh"

expect_code 0 env CRM_NOW=2026-11-10T09:30:00Z crm-lead add -q --first-name A --owner ana
expect_code 0 env CRM_NOW=2026-11-10T09:30:00Z crm-lead add -q --first-name B --owner ben
expect_code 0 env CRM_NOW=2026-11-14T09:30:00Z crm-lead add -q --first-name C --owner cy
expect_code 0 env CRM_NOW=2026-11-10T09:30:00Z crm-lead add -q --first-name D --owner dee
expect_code 0 crm-lead add -q --first-name E
expect_code 0 env CRM_NOW=2026-11-16T09:30:00Z crm-lead add -q --first-name F --owner eve
expect_code 0 crm-lead disqualify -q --reason spam 4
# ben worked lead 2; on lead 3 only someone else did
expect_code 0 crm-activity log -q --type call --lead 2 --owner ben --at 2026-11-20T10:00:00Z
expect_code 0 crm-activity log -q --type note --lead 3 --owner zed --at 2026-11-21T10:00:00Z

db_dump "$CRM_DB" "$T/before"
expect_code 1 crm-lead reclaim --idle 7d --warn 2d -f csv
expect_out "warn: the leads reclaimed within two days; exit 1" <<'X'
id,owner,idle_since,reclaim_at
6,eve,2026-11-16T09:30:00Z,2026-11-23T09:30:00Z
X
expect_code 0 crm-lead reclaim --idle 7d --warn 1h -f csv
expect_out "warn: none due within the hour; exit 0" <<<'id,owner,idle_since,reclaim_at'
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "warn writes nothing"

expect_code 0 crm-lead reclaim --idle 7d -f csv
expect_out "reclaim: idle since assignment, or the owner's last activity" <<'X'
id,owner,idle_since,reclaim_at
1,ana,2026-11-10T09:30:00Z,2026-11-17T09:30:00Z
3,cy,2026-11-14T09:30:00Z,2026-11-21T09:30:00Z
X
err_has "reclaimed 2 leads (change"
expect_code 0 crm-lead list -f csv --fields id,status,owner,previous_owner,assigned_at
expect_out "owner cleared, previous owner kept; others untouched" <<'X'
id,status,owner,previous_owner,assigned_at
1,new,,ana,
2,new,ben,,2026-11-10T09:30:00Z
3,new,,cy,
4,unqualified,dee,,2026-11-10T09:30:00Z
5,new,,,
6,new,eve,,2026-11-16T09:30:00Z
X
expect_code 0 crm-lead history 1 -f csv
expect_out "history: the reclaim, when and why" <<'X'
lead_id,field,from,to,at,actor,command,reason
1,status,,new,2026-11-10T09:30:00Z,tester,create,
1,owner,,ana,2026-11-10T09:30:00Z,tester,create,
1,owner,ana,,2026-11-22T09:30:00Z,tester,reclaim,idle 7d
X
expect_code 0 crm-lead reclaim --idle 7d
err_has "reclaimed 0 leads"
CRM_NOW=2026-11-30T00:00:00Z expect_code 0 crm-lead reclaim --idle 7d --dry-run --ids
expect_out "later, ben and eve are due too (dry run)" <<'X'
2
6
X
# the rules do not hand a reclaimed lead straight back
cat >"$T/rules.json" <<'X'
{"teams": [{"name": "t", "members": ["ana", "bob"]}],
 "rules": [{"name": "all", "match": {}, "team": "t"}]}
X
expect_code 0 crm-lead assign --rules "$T/rules.json" --explain 1 -f csv
expect_out "lead 1 goes to bob, not back to ana" <<'X'
id,owner,rule,team,strategy,why
1,bob,all,t,round_robin,"no assignment yet, not the previous owner ana"
X
done_testing
