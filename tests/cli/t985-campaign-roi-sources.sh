#!/bin/bash
# crm-campaign roi --by source: won revenue attributed to sources by the
# first touch, last touch, linear and U-shaped (40/20/40) models. A
# touch's source is its campaign's channel, else its type; a won deal with
# no campaign touch counts whole to its lead's source, else the deal's own
# source, else "(none)". The shares of one deal sum exactly to its amount
# in minor units (largest remainder, ties to the earlier touch); each
# currency its own rows unless --rates. Every figure is computed by hand.
. "$(dirname "$0")/../lib.sh"
at() { export CRM_NOW=2026-03-0$1T09:00:00Z; }
at 1
# sources: Web popup -> web, Social ads -> social, Newsletter (no
# channel) -> email, Fair and Expo -> event
cat >"$T/camp.csv" <<'X'
name,type,channel
Web popup,ads,web
Social ads,ads,social
Newsletter,email,
Fair,trade show,event
Expo,trade show,event
X
expect_code 0 crm-campaign import -q "$T/camp.csv"
cat >"$T/leads.csv" <<'X'
first_name,email,source
L1,l1@example.com,referral
L2,l2@example.com,
L3,l3@example.com,
L4,l4@example.com,partner
L5,l5@example.com,
X
expect_code 0 crm-lead import -q "$T/leads.csv"
expect_code 0 crm-contact add -q --set first_name=C1 --set email=c1@example.com
# touches in time order: L1 Social, Web, Newsletter (3 sources);
# L2 Web, Social (2); L3 Fair, Web, Expo (event, web, event); L5
# Newsletter (1); L4 and C1 none
at 1; expect_code 0 crm-campaign enroll -q --lead 'Social ads' 1
at 1; expect_code 0 crm-campaign enroll -q --lead Fair 3
at 2; expect_code 0 crm-campaign enroll -q --lead 'Web popup' 1 2 3
at 3; expect_code 0 crm-campaign enroll -q --lead Newsletter 1 5
at 3; expect_code 0 crm-campaign enroll -q --lead 'Social ads' 2
at 3; expect_code 0 crm-campaign enroll -q --lead Expo 3
at 4
# D1 (L1, touched: its lead source "referral" is not used) 1000.01 EUR;
# D2 (L2) 100.00 EUR; D3 (L3) 30001 JPY; D4 (L4, no touch) 50.00 EUR to
# partner; D5 (C1, no touch, no lead) 20.00 EUR to its own source "cold
# call"; D6 (C1) 7 JPY to (none); D7 (L5) 10.00 EUR; D8 open and D9
# lost: left out
cat >"$T/deals.csv" <<'X'
name,stage,lead_id,contact_id,amount,currency,source
D1,closed_won,1,,1000.01,EUR,
D2,closed_won,2,,100.00,EUR,
D3,closed_won,3,,30001,JPY,
D4,closed_won,4,,50.00,EUR,
D5,closed_won,,1,20.00,EUR,cold call
D6,closed_won,,1,7,JPY,
D7,closed_won,5,,10.00,EUR,
D8,proposal,1,,999.00,EUR,
D9,closed_lost,2,,400.00,EUR,
X
expect_code 0 crm-pipeline import -q "$T/deals.csv"

# deals and won_amount are the won deals touching the source (once per
# source): email D1 D7 = 1010.01; social D1 D2 = 1100.01; web EUR D1 D2
# = 1100.01; web JPY D3; event D3 (two touches, one deal).
# first: D1 all to social, D2 to web, D3 to event (Fair)
expect_code 0 crm-campaign roi --by source -f csv --model first
expect_out "first touch" <<'X'
source,model,deals,currency,won_amount,attributed
(none),first,1,JPY,7,7
cold call,first,1,EUR,20.00,20.00
email,first,2,EUR,1010.01,10.00
event,first,1,JPY,30001,30001
partner,first,1,EUR,50.00,50.00
social,first,2,EUR,1100.01,1000.01
web,first,2,EUR,1100.01,100.00
web,first,1,JPY,30001,0
X
# last: D1 to email (1000.01 + D7 10.00), D2 to social, D3 to event (Expo)
expect_code 0 crm-campaign roi --by source -f csv --model last
expect_out "last touch" <<'X'
source,model,deals,currency,won_amount,attributed
(none),last,1,JPY,7,7
cold call,last,1,EUR,20.00,20.00
email,last,2,EUR,1010.01,1010.01
event,last,1,JPY,30001,30001
partner,last,1,EUR,50.00,50.00
social,last,2,EUR,1100.01,100.00
web,last,2,EUR,1100.01,0.00
web,last,1,JPY,30001,0
X
# linear: D1 100001 cents / 3 = 33333 r 2: the two cents to the first two
# touches: social 333.34, web 333.34, email 333.33; D2 50.00 each;
# D3 30001 / 3 = 10000 r 1: Fair 10001, Web 10000, Expo 10000, so event
# 20001 and web 10000. email 333.33 + 10.00 = 343.33; social 333.34 +
# 50.00 = 383.34; web 333.34 + 50.00 = 383.34
expect_code 0 crm-campaign roi --by source -f csv
expect_out "linear (the default)" <<'X'
source,model,deals,currency,won_amount,attributed
(none),linear,1,JPY,7,7
cold call,linear,1,EUR,20.00,20.00
email,linear,2,EUR,1010.01,343.33
event,linear,1,JPY,30001,20001
partner,linear,1,EUR,50.00,50.00
social,linear,2,EUR,1100.01,383.34
web,linear,2,EUR,1100.01,383.34
web,linear,1,JPY,30001,10000
X
# U-shaped, weights 20:10:20: D1 100001 -> 40000.4, 20000.2, 40000.4:
# 40000, 20000, 40000 and the cent left to the first tied largest
# remainder: social 400.01, web 200.00, email 400.00. D2 two touches:
# 50/50. D3 30001 -> 12000.4, 6000.2, 12000.4: Fair 12001, Web 6000,
# Expo 12000, so event 24001, web 6000. email 400.00 + 10.00 = 410.00;
# social 400.01 + 50.00 = 450.01; web 200.00 + 50.00 = 250.00
expect_code 0 crm-campaign roi --by source -f csv --model u
expect_out "U-shaped 40/20/40" <<'X'
source,model,deals,currency,won_amount,attributed
(none),u,1,JPY,7,7
cold call,u,1,EUR,20.00,20.00
email,u,2,EUR,1010.01,410.00
event,u,1,JPY,30001,24001
partner,u,1,EUR,50.00,50.00
social,u,2,EUR,1100.01,450.01
web,u,2,EUR,1100.01,250.00
web,u,1,JPY,30001,6000
X
# every model: the shares sum to the won amounts, exactly: EUR 1000.01 +
# 100.00 + 50.00 + 20.00 + 10.00 = 1180.01; JPY 30001 + 7 = 30008
for m in first last linear u; do
	expect_code 0 crm-campaign roi --by source -f csv --fields currency,attributed --model $m
	python3 - "$T/out" >"$T/sum" <<'PY'
import csv, sys
from decimal import Decimal
s = {}
for r in csv.DictReader(open(sys.argv[1])):
    s[r['currency']] = s.get(r['currency'], Decimal(0)) + Decimal(r['attributed'])
print(' '.join(f'{k}={v}' for k, v in sorted(s.items())))
PY
	echo 'EUR=1180.01 JPY=30008' >"$T/want"
	compare "$T/want" "$T/sum" "$m: the shares sum to the won amounts exactly"
done

# --rates: each deal converted (rounded to the cent), then split. D3
# 30001 JPY * 0.006 = 180.006 EUR -> 180.01 (18001 cents / 3 = 6000 r 1:
# Fair 60.01, Web 60.00, Expo 60.00: event 120.01); D6 7 JPY = 0.042 ->
# 0.04. web: 3 deals, 1100.01 + 180.01 = 1280.02, 383.34 + 60.00 = 443.34
printf '{"base": "EUR", "rates": {"JPY": 0.006}}\n' >"$T/rates.json"
expect_code 0 crm-campaign roi --by source -f csv --fields source,deals,currency,won_amount,attributed --rates "$T/rates.json"
expect_out "--rates: everything in EUR" <<'X'
source,deals,currency,won_amount,attributed
(none),1,EUR,0.04,0.04
cold call,1,EUR,20.00,20.00
email,2,EUR,1010.01,343.33
event,1,EUR,180.01,120.01
partner,1,EUR,50.00,50.00
social,2,EUR,1100.01,383.34
web,3,EUR,1280.02,443.34
X
printf '{"base": "EUR", "rates": {"USD": 0.9}}\n' >"$T/norate.json"
expect_code 78 crm-campaign roi --by source --rates "$T/norate.json"
err_has "JPY"

# --by campaign is the default report (campaigns in tree order: by name)
expect_code 0 crm-campaign roi --by campaign -f csv --fields campaign,currency,attributed --model first
expect_out "--by campaign: per campaign as before" <<'X'
campaign,currency,attributed
Expo,JPY,0
Fair,JPY,30001
Newsletter,EUR,10.00
Social ads,EUR,1000.01
Web popup,EUR,100.00
Web popup,JPY,0
X

expect_code 64 crm-campaign roi --by channel
err_has "--by: expected campaign or source, got 'channel'"
expect_code 64 crm-campaign roi --by source --model w
err_has "--model: expected first, last, linear or u, got 'w'"
expect_code 64 crm-campaign roi --by source --rollup
err_has "--rollup goes with --by campaign"
expect_code 64 crm-campaign roi --by source --fields source,cost
err_has "unknown field 'cost'"
done_testing
