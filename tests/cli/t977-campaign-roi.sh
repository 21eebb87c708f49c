#!/bin/bash
# crm-campaign roi: per campaign and rolled up the hierarchy (members,
# responses, response rate, leads, converted leads, deals, won deals, won
# and attributed amounts per currency, cost per lead and per won deal,
# ROI), won revenue attributed by first touch, last touch, linear and
# U-shaped (40/20/40) models, the shares of a deal summing exactly to its
# amount (largest remainder), currencies never summed without --rates.
# Every figure below is computed by hand (see the comments).
. "$(dirname "$0")/../lib.sh"
at() { export CRM_NOW=2026-03-0$1T09:00:00Z; }
at 1
cat >"$T/camp.csv" <<'X'
name,type,channel,parent,actual_cost,currency
Brand,content,,,1000.00,EUR
Web popup,ads,web,Brand,300.00,EUR
Social ads,ads,social,Brand,500.00,EUR
Fair,trade show,event,,100000,JPY
X
expect_code 0 crm-campaign import -q "$T/camp.csv"
cat >"$T/leads.csv" <<'X'
first_name,email,status
L1,l1@example.com,converted
L2,l2@example.com,converted
L3,l3@example.com,converted
L4,l4@example.com,new
X
expect_code 0 crm-lead import -q "$T/leads.csv"
expect_code 0 crm-contact add -q --set first_name=C1 --set email=c1@example.com
# touches, in time order: L1 Social, Web, Brand; L2 Web; L3 Social, Fair;
# L4 Web; contact C1 Fair
at 1; expect_code 0 crm-campaign enroll -q --lead 'Social ads' 1 3
at 2; expect_code 0 crm-campaign enroll -q --lead 'Web popup' 1 2 4
at 3; expect_code 0 crm-campaign enroll -q --lead Brand 1
at 3; expect_code 0 crm-campaign enroll -q --lead Fair 3
at 3; expect_code 0 crm-campaign enroll -q Fair 1
at 4
expect_code 0 crm-campaign members status -q --lead 'Web popup' 1 --status clicked
expect_code 0 crm-campaign members status -q --lead 'Web popup' 2 --status converted
expect_code 0 crm-campaign members status -q --lead Fair 3 --status attended
# D1 (L1) won 1000.01 EUR: Social, Web, Brand; D2 (L2) won 500 USD: Web;
# D3 (L3) won 30000 JPY: Social, Fair; D4 (L3) open: Social, Fair;
# D5 (contact C1) won 7 EUR: Fair; D6 (L4 and C1) lost: the lead's
# touches win: Web
cat >"$T/deals.csv" <<'X'
name,stage,lead_id,contact_id,amount,currency
D1,closed_won,1,,1000.01,EUR
D2,closed_won,2,,500.00,USD
D3,closed_won,3,,30000,JPY
D4,proposal,3,,999.00,EUR
D5,closed_won,,1,7.00,EUR
D6,closed_lost,4,1,50.00,EUR
X
expect_code 0 crm-pipeline import -q "$T/deals.csv"

expect_code 0 crm-campaign roi -f csv --fields campaign,members,responses,response_rate,leads,converted_leads,deals,won_deals,currency,cost_per_lead,cost_per_won_deal
# Brand 1 member (L1); Web 3 (L1 clicked, L2 converted: 2 responses);
# Social 2; Fair 2 (L3 attended, C1). Cost per lead: 1000/1, 500/2,
# 300/3, 100000/1; per won deal: 1000/1, 500/2, 300/2, 100000/2
expect_out "counts, response rates, costs per lead and won deal" <<'X'
campaign,members,responses,response_rate,leads,converted_leads,deals,won_deals,currency,cost_per_lead,cost_per_won_deal
Brand,1,0,0.0,1,1,1,1,EUR,1000.00,1000.00
Social ads,2,0,0.0,2,2,3,2,EUR,250.00,250.00
Social ads,2,0,0.0,2,2,3,2,JPY,,
Web popup,3,2,66.7,3,2,3,2,EUR,100.00,150.00
Web popup,3,2,66.7,3,2,3,2,USD,,
Fair,2,1,50.0,1,1,3,2,EUR,,
Fair,2,1,50.0,1,1,3,2,JPY,100000,50000
X
F=--fields=campaign,currency,won_amount,attributed,cost,roi
expect_code 0 crm-campaign roi -f csv "$F"
# linear: D1 100001 cents / 3 = 33333 r 2 each: the first two touches get
# the two cents: Social 333.34, Web 333.34, Brand 333.33; D3 15000 each.
# ROI = (attributed - cost) / cost in the cost's currency:
# Brand (333.33-1000)/1000 = -66.667%; Social (333.34-500)/500 =
# -33.332%; Web (333.34-300)/300 = 11.113%; Fair (15000-100000)/100000
expect_out "linear (the default): each currency its own row" <<'X'
campaign,currency,won_amount,attributed,cost,roi
Brand,EUR,1000.01,333.33,1000.00,-66.7
Social ads,EUR,1000.01,333.34,500.00,-33.3
Social ads,JPY,30000,15000,,
Web popup,EUR,1000.01,333.34,300.00,11.1
Web popup,USD,500.00,500.00,,
Fair,EUR,7.00,7.00,,
Fair,JPY,30000,15000,100000,-85.0
X
expect_code 0 crm-campaign roi -f csv "$F" --model u
# U: D1 weights 20:10:20 of 100001: 40000.4, 20000.2, 40000.4 -> 40000,
# 20000, 40000, the cent left to the first of the tied largest
# remainders (Social); D3 has two touches: 50/50
expect_out "U-shaped 40/20/40" <<'X'
campaign,currency,won_amount,attributed,cost,roi
Brand,EUR,1000.01,400.00,1000.00,-60.0
Social ads,EUR,1000.01,400.01,500.00,-20.0
Social ads,JPY,30000,15000,,
Web popup,EUR,1000.01,200.00,300.00,-33.3
Web popup,USD,500.00,500.00,,
Fair,EUR,7.00,7.00,,
Fair,JPY,30000,15000,100000,-85.0
X
expect_code 0 crm-campaign roi -f csv --fields campaign,currency,attributed --model first
expect_out "first touch" <<'X'
campaign,currency,attributed
Brand,EUR,0.00
Social ads,EUR,1000.01
Social ads,JPY,30000
Web popup,EUR,0.00
Web popup,USD,500.00
Fair,EUR,7.00
Fair,JPY,0
X
expect_code 0 crm-campaign roi -f csv --fields campaign,currency,attributed --model last
expect_out "last touch" <<'X'
campaign,currency,attributed
Brand,EUR,1000.01
Social ads,EUR,0.00
Social ads,JPY,0
Web popup,EUR,0.00
Web popup,USD,500.00
Fair,EUR,7.00
Fair,JPY,30000
X
for m in first last linear u; do
	expect_code 0 crm-campaign roi -f csv --fields currency,attributed --model $m
	python3 - "$T/out" >"$T/sum" <<'PY'
import csv, sys
from decimal import Decimal
s = {}
for r in csv.DictReader(open(sys.argv[1])):
    s[r['currency']] = s.get(r['currency'], Decimal(0)) + Decimal(r['attributed'])
print(' '.join(f'{k}={v}' for k, v in sorted(s.items())))
PY
	echo 'EUR=1007.01 JPY=30000 USD=500.00' >"$T/want"
	compare "$T/want" "$T/sum" "$m: the shares sum to the won amounts exactly"
done

expect_code 0 crm-campaign roi -f csv --rollup --fields campaign,members,leads,converted_leads,deals,won_deals,currency,won_amount,attributed,cost,cost_per_lead,cost_per_won_deal,roi
# Brand's tree = Brand + Social + Web: members 6, leads 6, converted 5,
# deals 7, won 5; EUR attributed 333.33+333.34+333.34 = 1000.01; cost
# 1800.00: per lead 300.00, per won deal 360.00; ROI (1000.01-1800)/1800
expect_out "rolled up the hierarchy" <<'X'
campaign,members,leads,converted_leads,deals,won_deals,currency,won_amount,attributed,cost,cost_per_lead,cost_per_won_deal,roi
Brand,6,6,5,7,5,EUR,3000.03,1000.01,1800.00,300.00,360.00,-44.4
Brand,6,6,5,7,5,JPY,30000,15000,,,,
Brand,6,6,5,7,5,USD,500.00,500.00,,,,
Social ads,2,2,2,3,2,EUR,1000.01,333.34,500.00,250.00,250.00,-33.3
Social ads,2,2,2,3,2,JPY,30000,15000,,,,
Web popup,3,3,2,3,2,EUR,1000.01,333.34,300.00,100.00,150.00,11.1
Web popup,3,3,2,3,2,USD,500.00,500.00,,,,
Fair,2,1,1,3,2,EUR,7.00,7.00,,,,
Fair,2,1,1,3,2,JPY,30000,15000,100000,100000,50000,-85.0
X

# with rates: one currency. USD 500.00 = 450.00 EUR; JPY 30000 = 180.00
# EUR (15000 = 90.00); Fair's cost 100000 JPY = 600.00 EUR.
# Web: won 1000.01+450.00, attributed 333.34+450.00 = 783.34, ROI
# (783.34-300)/300 = 161.1%; Social: 333.34+90.00 = 423.34, -15.3%;
# Fair: 7.00+90.00 = 97.00 of 600.00: -83.8%
printf '{"base": "EUR", "rates": {"USD": 0.9, "JPY": 0.006}}\n' >"$T/rates.json"
expect_code 0 crm-campaign roi -f csv "$F" --rates "$T/rates.json"
expect_out "--rates: everything in EUR" <<'X'
campaign,currency,won_amount,attributed,cost,roi
Brand,EUR,1000.01,333.33,1000.00,-66.7
Social ads,EUR,1180.01,423.34,500.00,-15.3
Web popup,EUR,1450.01,783.34,300.00,161.1
Fair,EUR,187.00,97.00,600.00,-83.8
X
printf '{"base": "EUR", "rates": {"USD": 0.9}}\n' >"$T/norate.json"
expect_code 78 crm-campaign roi -f csv --rates "$T/norate.json"
err_has "JPY"
expect_code 64 crm-campaign roi --model w
err_has "--model: expected first, last, linear or u, got 'w'"
expect_code 64 crm-campaign roi Brand
expect_code 64 crm-campaign roi --fields campaign,nope
done_testing
