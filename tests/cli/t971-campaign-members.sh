#!/bin/bash
# crm-campaign members: add from ids, --where and a list | --stdin
# pipeline (contacts, or leads with --lead), each once; statuses with a
# timestamped history (setting the same status again records nothing);
# list and history; failures (unknown campaign, member, status or
# subverb) write nothing.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T10:00:00Z

expect_code 0 crm-campaign add -q --set name='Expo 2026' --set type=event
expect_code 0 crm-campaign add -q --set name=Newsletter --set type=email
cat >"$T/p.csv" <<'X'
first_name,last_name,email,tags
Ann,Lee,ann@example.com,vip
Bob,,bob@example.com,
Cy,,cy@example.org,vip
X
expect_code 0 crm-contact import -q "$T/p.csv"
printf 'first_name,email\nLi,li@example.cn\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"

# a pipeline: the vip contacts' ids on stdin
expect_code 0 crm-contact list --where 'tags ~ vip' --ids
cp "$T/out" "$T/ids"
expect_code_in 0 "$T/ids" crm-campaign members add 'Expo 2026' --stdin --status invited
err_has "added 2 contacts"
# again, plus Bob by email: only Bob is new
expect_code_in 0 "$T/ids" crm-campaign members add 1 --stdin bob@example.com
err_has "added 1 contact"
expect_code 0 crm-campaign members add 1 --lead 1 --status registered
err_has "added 1 lead"
expect_code 0 crm-campaign members add Newsletter --where 'email ~ example.com'
err_has "added 2 contacts"

CRM_NOW=2026-03-05T09:00:00Z expect_code 0 crm-campaign members status 1 1 3 --status registered
err_has "changed the status of 2 contacts"
CRM_NOW=2026-03-10T18:30:00Z expect_code 0 crm-campaign members status 1 1 --status attended
CRM_NOW=2026-03-11T08:00:00Z expect_code 0 crm-campaign members status 1 1 --status attended
err_has "changed the status of 0 contacts"
expect_code 0 crm-campaign members list 1 -f csv --fields campaign_id,member,record_id,name,email,status,status_at,added_at
expect_out "members of the expo with their statuses" <<'X'
campaign_id,member,record_id,name,email,status,status_at,added_at
1,contact,1,Ann Lee,ann@example.com,attended,2026-03-10T18:30:00Z,2026-03-01T10:00:00Z
1,contact,2,Bob,bob@example.com,targeted,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z
1,contact,3,Cy,cy@example.org,registered,2026-03-05T09:00:00Z,2026-03-01T10:00:00Z
1,lead,1,Li,li@example.cn,registered,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z
X
expect_code 0 crm-campaign members list 1 --status registered --ids
expect_out "--status filters, --ids gives the record ids" <<'X'
3
1
X
expect_code 0 crm-campaign members history 1 -f csv
expect_out "history: every status with its time, once" <<'X'
campaign_id,member,record_id,status,at
1,contact,1,invited,2026-03-01T10:00:00Z
1,contact,1,registered,2026-03-05T09:00:00Z
1,contact,1,attended,2026-03-10T18:30:00Z
1,contact,2,targeted,2026-03-01T10:00:00Z
1,contact,3,invited,2026-03-01T10:00:00Z
1,contact,3,registered,2026-03-05T09:00:00Z
1,lead,1,registered,2026-03-01T10:00:00Z
X
sql "SELECT count(DISTINCT token), count(*), min(length(token)) FROM campaign_members"
check "every member has its own 32-digit token" grep -qx '6|6|32' "$T/sql"

# failures change nothing
db_dump "" "$T/before"
expect_code 66 crm-campaign members add Nope 1
err_has "no campaign 'Nope'"
expect_code 66 crm-campaign members add 1 99
err_has "no contact '99'"
expect_code 65 crm-campaign members add 2 1 --status maybe
err_has "unknown member status 'maybe'"
expect_code 65 crm-campaign members status 2 3 --status opened
err_has "contact 3 is no member of campaign 2"
expect_code 64 crm-campaign members status 2 1
err_has "members status needs --status"
expect_code 64 crm-campaign members frob 1
expect_code 64 crm-campaign members add
expect_code 64 crm-campaign members list 1 2
expect_code 64 crm-campaign members add 1
err_has "no contact given"
printf '' >"$T/empty"
expect_code_in 0 "$T/empty" crm-campaign members add 2 --stdin
err_has "added 0 contacts"
expect_code 0 crm-campaign members add -n 2 3
err_has "dry run: added 1 contact"
db_dump "" "$T/after"
compare "$T/before" "$T/after" "failed and dry-run adds change nothing"
done_testing
