#!/bin/bash
# Contact roles on deals (crm-pipeline role) and on accounts (crm-company
# role): add, the same role again updates it, list, rm; bad roles and
# attitudes refused with nothing written; every change in the change log
# (undo brings a removed role back).
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T09:00:00Z

expect_code 0 crm-company add --name 'Acme Group' --ids
printf 'first_name,email,company,owner\nAnn,ann@acme.com,Acme Group,kim\nBob,bob@acme.com,Acme Group,\n' >"$T/c.csv"
expect_code 0 crm-contact import "$T/c.csv"
expect_code 0 crm-pipeline add --name 'Acme platform' --set company='Acme Group' --ids

expect_code 0 crm-pipeline role add 'Acme platform' ann@acme.com --role economic_buyer --attitude supporter --influence high --ids
expect_out "role add prints the role's id" <<<'1'
err_has "role 1 inserted"
expect_code 0 crm-pipeline role add 1 bob@acme.com --role champion --owner lou --strategy 'weekly lunch'
expect_code 0 crm-company role add 'Acme Group' bob@acme.com --role gatekeeper --attitude opponent
expect_code 0 crm-pipeline role add 1 ann@acme.com --role economic_buyer --attitude neutral
err_has "role 1 updated"
expect_code 0 crm-pipeline role list 1 -f csv --fields id,deal_id,company_id,contact_id,role,attitude,influence,owner,strategy
expect_out "deal roles: defaults (neutral, medium, the contact's owner); the same role again updated" <<'X'
id,deal_id,company_id,contact_id,role,attitude,influence,owner,strategy
1,1,,1,economic_buyer,neutral,high,kim,
2,1,,2,champion,neutral,medium,lou,weekly lunch
X
expect_code 0 crm-company role list 'Acme Group' -f csv --fields id,company_id,contact_id,role,attitude,influence
expect_out "account roles" <<'X'
id,company_id,contact_id,role,attitude,influence
3,1,2,gatekeeper,opponent,medium
X
expect_code 0 crm-pipeline role list 1 bob@acme.com --ids
expect_out "list one person's roles" <<<'2'

# refused, nothing written
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-pipeline role add 1 ann@acme.com --role coach
err_has "role: unknown role 'coach'"
expect_code 65 crm-pipeline role add 1 ann@acme.com --role user --attitude hostile
err_has "attitude"
expect_code 65 crm-pipeline role add 1 ann@acme.com --role user --influence huge
err_has "influence"
expect_code 64 crm-pipeline role add 1 ann@acme.com
err_has "role add needs --role"
expect_code 66 crm-pipeline role add 9 ann@acme.com --role user
expect_code 66 crm-pipeline role add 1 nobody@acme.com --role user
expect_code 64 crm-pipeline role add 1
expect_code 64 crm-pipeline role frob 1
expect_code 66 crm-pipeline role rm 1 ann@acme.com --role champion
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "refused role changes left the database unchanged"

# a configurable list: another roles file
cat >"$T/roles.json" <<'X'
{"roles": [{"name": "coach", "label": "Coach", "key": true}], "required": ["coach"]}
X
CRM_ROLES="$T/roles.json" expect_code 0 crm-pipeline role add 1 ann@acme.com --role coach
printf '{"roles": []}\n' >"$T/bad.json"
CRM_ROLES="$T/bad.json" expect_code 78 crm-pipeline role add 1 ann@acme.com --role coach
err_has "roles: expected an array of roles"
printf '{"roles": [{"name": "coach"}, {"name": "Coach"}]}\n' >"$T/bad.json"
CRM_ROLES="$T/bad.json" expect_code 78 crm-pipeline role add 1 ann@acme.com --role coach
err_has "roles.name: each role needs a name of a-z, 0-9 and _"
expect_code 0 crm-pipeline role rm 1 ann@acme.com --role coach

# rm, and its undo from the change log
expect_code 0 crm-pipeline role rm 1 bob@acme.com
err_has "1 role removed"
c=$(sed -n "s/.*(change \([0-9]*\);.*/\1/p" "$T/err")
check "rm names its change" [ -n "$c" ]
expect_code 0 crm-pipeline role list 1 --ids
expect_out "champion removed" <<<'1'
expect_code 0 crm-pipeline undo "$c"
expect_code 0 crm-pipeline role list 1 -f csv --fields id,role,owner,strategy
expect_out "undo brings the role back" <<'X'
id,role,owner,strategy
1,economic_buyer,kim,
2,champion,lou,weekly lunch
X
done_testing
