#!/bin/bash
# The shipped flow contract-renewal (share/crm/flows): 60 days before an
# auto-renewing active contract ends, crm-flow run makes one renewal deal;
# not before, not twice, not for a contract without auto-renewal or
# cancelled; a new end date is a new occurrence.
. "$(dirname "$0")/../lib.sh"
F="$TOP/share/crm/flows/contract-renewal.json"
S=$T/flows
mkdir "$S"
cp "$F" "$S/"
expect_code 0 crm-flow check --flows "$S"

expect_code 0 crm-company add -q --set name="Acme GmbH"
c() { expect_code 0 crm-contract add -q --set name="$1" --set company_id=1 --set start_date=2026-02-01 \
	--set end_date="$2" --set auto_renew="$3" --set status="$4" --set value=24000 --set currency=EUR --set owner=ann; }
c "Acme support" 2027-01-31 true active
c "Acme one-off" 2027-01-31 false active
c "Acme hosting" 2027-06-30 true active
c "Acme old" 2027-01-31 true cancelled

# 60 days before 2027-01-31 is 2026-12-02
CRM_NOW=2026-12-01T23:59:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields id
expect_out "a minute early: no deal" <<'X'
id
X
CRM_NOW=2026-12-02T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
CRM_NOW=2026-12-03T08:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name,company_id,pipeline,stage,amount,currency,expected_close,owner,source
expect_out "one renewal deal, for the auto-renewing active contract" <<'X'
name,company_id,pipeline,stage,amount,currency,expected_close,owner,source
Renewal: Acme support (ends 2027-01-31),1,renewals,upcoming,24000.00,EUR,2027-01-31,ann,renewal
X
# the hosting contract ends 2027-06-30: 60 days before is 2027-05-01
CRM_NOW=2027-05-01T06:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name,expected_close
expect_out "the hosting renewal on its day" <<'X'
name,expected_close
Renewal: Acme support (ends 2027-01-31),2027-01-31
Renewal: Acme hosting (ends 2027-06-30),2027-06-30
X
# renewed for a year: a new end date, a new renewal deal 60 days before it
expect_code 0 crm-contract update 1 -q --set end_date=2028-01-31
CRM_NOW=2027-12-02T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name --where "name ~ support"
expect_out "the next renewal" <<'X'
name
Renewal: Acme support (ends 2027-01-31)
Renewal: Acme support (ends 2028-01-31)
X
done_testing
