#!/bin/bash
# Imported records keep the times they give in their history: a lead's
# status since its created_at, its owner since its assigned_at (or, with
# an owner and no assigned_at, since created_at), so the funnel's median
# days to assign is the data's, not days since the import. A deal
# imported open and closed by a later import row with closed_at left its
# stage at closed_at (the stages report). Values worked out by hand.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-22T09:30:00Z

# L1: created 11-01 00:00, assigned 11-01 12:00: 0.5 days
# L2: created 11-02 00:00, assigned 11-03 00:00: 1 day
# L3: created 11-03 00:00 with an owner and no assigned_at: 0 days
# L4: created 11-04 00:00, no owner: not assigned
# median of 0, 0.5, 1 = 0.5 (the import time would give 19-21 days)
cat >"$T/leads.csv" <<'X'
external_id,first_name,owner,assigned_at,created_at
l1,L1,kim,2026-11-01T12:00:00Z,2026-11-01T00:00:00Z
l2,L2,kim,2026-11-03T00:00:00Z,2026-11-02T00:00:00Z
l3,L3,lou,,2026-11-03T00:00:00Z
l4,L4,,,2026-11-04T00:00:00Z
X
expect_code 0 crm-lead import -q "$T/leads.csv"
expect_code 0 crm-lead history -f csv
expect_out "history rows at the times the input gives" <<'X'
lead_id,field,from,to,at,actor,command,reason
1,status,,new,2026-11-01T00:00:00Z,tester,create,
1,owner,,kim,2026-11-01T12:00:00Z,tester,create,
2,status,,new,2026-11-02T00:00:00Z,tester,create,
2,owner,,kim,2026-11-03T00:00:00Z,tester,create,
3,status,,new,2026-11-03T00:00:00Z,tester,create,
3,owner,,lou,2026-11-03T00:00:00Z,tester,create,
4,status,,new,2026-11-04T00:00:00Z,tester,create,
X
expect_code 0 crm-lead list -f csv --fields id,assigned_at
expect_out "assigned_at: as given, else created_at when it has an owner" <<'X'
id,assigned_at
1,2026-11-01T12:00:00Z
2,2026-11-03T00:00:00Z
3,2026-11-03T00:00:00Z
4,
X
expect_code 0 crm-report funnel -f csv --fields leads,median_days_to_assign
expect_out "the funnel's median days to assign is the data's" <<'X'
leads,median_days_to_assign
4,0.5
X
# a later owner change is stamped now, as before
expect_code 0 crm-lead update -q l4 --owner kim
expect_code 0 crm-lead history l4 -f csv
expect_out "an update is stamped now" <<'X'
lead_id,field,from,to,at,actor,command,reason
4,status,,new,2026-11-04T00:00:00Z,tester,create,
4,owner,,kim,2026-11-22T09:30:00Z,tester,edit,
X

# a deal imported open on 11-01 in proposal, then closed won by a second
# row with closed_at 11-11: 10 days in proposal
cat >"$T/deals.csv" <<'X'
external_id,name,stage,amount,currency,stage_changed_at,created_at,closed_at
d1,Deal one,proposal,1000,EUR,2026-11-01T00:00:00Z,2026-10-20T00:00:00Z,
d1,,closed_won,,,,,2026-11-11T00:00:00Z
X
expect_code 0 crm-pipeline import "$T/deals.csv"
err_has "1 inserted, 1 updated"
expect_code 0 crm-pipeline history d1 -f csv
expect_out "the stage history: entered proposal, left it when it closed" <<'X'
id,deal_id,at,actor,field,from_value,to_value,pipeline,from_status,to_status,seconds_in_stage,amount,currency
1,1,2026-11-01T00:00:00Z,tester,stage,,proposal,default,,open,,1000.00,EUR
2,1,2026-11-11T00:00:00Z,tester,stage,proposal,closed_won,default,open,won,864000,1000.00,EUR
3,1,2026-11-11T00:00:00Z,tester,probability,60,100,default,,,,1000.00,EUR
X
expect_code 0 crm-pipeline show d1 -f csv --fields status,closed_at,stage_changed_at
expect_out "closed when the input says" <<'X'
status,closed_at,stage_changed_at
won,2026-11-11T00:00:00Z,2026-11-11T00:00:00Z
X
expect_code 0 crm-report stages -f csv --fields stage,exits,median_days
expect_out "10 days in proposal" <<'X'
stage,exits,median_days
proposal,1,10.0
X
done_testing
