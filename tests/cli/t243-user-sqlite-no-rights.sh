#!/bin/bash
# On SQLite, a file for one person, users, teams, territories and pools
# are stored but no rights are enforced: CRM_USER is recorded as who made
# each change, and a "rep" changes anyone's records, pools and
# territories' alike. The docs say so plainly. claim-owners keeps a
# team's pool value (@TEAM) as it is.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-user team add east
expect_code 0 crm-user team add west
expect_code 0 crm-user add rita --team east
expect_code 0 crm-user add ron --team west
expect_code 0 crm-user territory add west --field country --value DE
expect_code 0 crm-contact add -q --first-name Ron --owner ron --country DE
expect_code 0 crm-contact add -q --first-name Pool --owner @west
expect_code 0 env CRM_USER=rita crm-contact update 1 --set title=Taken -q
expect_code 0 env CRM_USER=rita crm-contact update 2 --set owner=rita -q
expect_code 0 env CRM_USER=rita crm-contact list -f csv --fields id,owner,title
expect_out "rita, a rep, changed ron's contact and west's pool: no rights on SQLite" <<'X'
id,owner,title
1,ron,Taken
2,rita,
X
expect_code 0 crm-contact history 1 -f csv --fields changed_by,fields
expect_out "CRM_USER is recorded" <<'X'
changed_by,fields
rita,"{""title"":""Taken""}"
X
# claim-owners: a pool value of a team stays, an unknown one is listed
expect_code 0 crm-lead add -q --first-name A --owner @east
expect_code 0 crm-lead add -q --first-name B --owner @north
expect_code 0 crm-user claim-owners -f csv
expect_out "the east pool is a team's; @north names none" <<'X'
entity,owner,user,records
contact,rita,rita,1
contact,ron,ron,1
lead,@east,@east,1
lead,@north,,1
X
sql "SELECT count(*) FROM crm_changes WHERE command = 'claim-owners'"
compare <(echo 0) "$T/sql" "nothing to rewrite: no change set"
# the docs say it plainly
check "README: no rights on SQLite" grep -q "no rights are enforced" "$TOP/README.md"
check "crm-user(1): no rights on SQLite" grep -q "but no rights are enforced" "$TOP/man/man1/crm-user.1"
check "HACKING.md: SQLite enforces none" grep -q "On SQLite, a single-user file" "$TOP/HACKING.md"
done_testing
