#!/bin/bash
# crm-campaign touches: a lead's first and last campaign by when it became
# a member; a deal's from its lead, else from its contact; none when
# untouched; failures.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T10:00:00Z

expect_code 0 crm-campaign add -q --set name='Webinar' --set type=webinar
expect_code 0 crm-campaign add -q --set name='Ads' --set type=ads
expect_code 0 crm-campaign add -q --set name='Expo' --set type=event
printf 'first_name,email\nLi,li@example.cn\nMo,mo@example.de\nNo,no@example.fr\n' >"$T/l.csv"
expect_code 0 crm-lead import -q "$T/l.csv"
printf 'external_id,first_name,email\nc1,Ann,ann@example.com\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
# Li: ads on 1 March, webinar on 5 March, expo on 9 March; Mo: only expo
expect_code 0 crm-campaign members add -q Ads --lead 1
CRM_NOW=2026-03-05T10:00:00Z expect_code 0 crm-campaign members add -q Webinar --lead 1
CRM_NOW=2026-03-09T10:00:00Z expect_code 0 crm-campaign members add -q Expo --lead 1 2
CRM_NOW=2026-03-09T10:00:00Z expect_code 0 crm-campaign members add -q Webinar c1
expect_code 0 crm-campaign touches 1 2 3 -f csv
expect_out "leads: first and last touch by membership time; none for No" <<'X'
entity,id,first_touch_id,first_touch,last_touch_id,last_touch
lead,1,2,Ads,3,Expo
lead,2,3,Expo,3,Expo
lead,3,,,,
X
expect_code 0 crm-pipeline add -q --name 'Li deal' --stage prospecting --set lead_id=1 --set contact=c1
expect_code 0 crm-pipeline add -q --name 'Ann deal' --stage prospecting --set contact=c1
expect_code 0 crm-pipeline add -q --name 'Cold deal' --stage prospecting
expect_code 0 crm-campaign touches --deal 1 2 3 -f csv --fields id,first_touch,last_touch
expect_out "deals: the lead's touches first, else the contact's" <<'X'
id,first_touch,last_touch
1,Ads,Expo
2,Webinar,Webinar
3,,
X
expect_code 0 crm-lead list --ids --where 'email ~ .de'
cp "$T/out" "$T/ids"
expect_code_in 0 "$T/ids" crm-campaign touches --stdin -f csv --fields id,first_touch
expect_out "ids on stdin" <<'X'
id,first_touch
2,Expo
X
expect_code 64 crm-campaign touches
err_has "no lead given"
expect_code 66 crm-campaign touches 99
expect_code 64 crm-campaign touches 1 --fields id,colour
done_testing
