#!/bin/bash
# The renewal notice per contract: the shipped contract-renewal flow fires
# renewal_notice_days days before end_date, 60 when the field is empty;
# crm-flow test explains the due time; a days_field that is not an
# integer field, or with a calendar, is a bad flow file (78).
. "$(dirname "$0")/../lib.sh"
S=$T/flows
mkdir "$S"
cp "$TOP/share/crm/flows/contract-renewal.json" "$S/"
expect_code 0 crm-flow check --flows "$S"

expect_code 0 crm-company add -q --set name="Acme GmbH"
c() { expect_code 0 crm-contract add -q --set name="$1" --set company_id=1 --set start_date=2026-02-01 \
	--set end_date=2027-01-31 --set auto_renew=true --set status=active --set value=1000 \
	--set currency=EUR --set owner=ann "${@:2}"; }
c "default notice"                      # 60 days: due 2026-12-02
c "ninety days" --set renewal_notice_days=90   # due 2026-11-02
c "ten days" --set renewal_notice_days=10      # due 2027-01-21
c "same day" --set renewal_notice_days=0       # due 2027-01-31

CRM_NOW=2026-11-01T23:59:59Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name
expect_out "a second before 90 days: nothing" <<'X'
name
X
CRM_NOW=2026-11-02T00:00:00Z expect_code 0 crm-flow test contract-renewal --flows "$S" --record 2 -f csv --fields step,holds,detail
expect_out "the ninety-day contract is due on 2026-11-02" <<'X'
step,holds,detail
trigger,yes,"60d before end_date (or renewal_notice_days days): end_date is 2027-01-31, due 2026-11-02T00:00:00Z"
status = active,yes,status is active
auto_renew = true,yes,auto_renew is 1
once,yes,occurrence 2027-01-31 has not fired
fires,yes,the next run fires it
X
CRM_NOW=2026-11-02T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name
expect_out "90 days before: only the ninety-day contract" <<'X'
name
Renewal: ninety days (ends 2027-01-31)
X
CRM_NOW=2026-12-02T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name
expect_out "60 days before: the one without a notice field" <<'X'
name
Renewal: ninety days (ends 2027-01-31)
Renewal: default notice (ends 2027-01-31)
X
CRM_NOW=2027-01-20T23:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name --where "name ~ ten"
expect_out "ten days: not yet on the 20th" <<'X'
name
X
CRM_NOW=2027-01-21T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
CRM_NOW=2027-01-31T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
CRM_NOW=2027-02-01T00:00:00Z expect_code 0 crm-flow run --flows "$S" -q
expect_code 0 crm-pipeline list --fields name
expect_out "ten days, then zero days: each once" <<'X'
name
Renewal: ninety days (ends 2027-01-31)
Renewal: default notice (ends 2027-01-31)
Renewal: ten days (ends 2027-01-31)
Renewal: same day (ends 2027-01-31)
X

# bad flow files: 78 naming the field
mkdir "$T/bad"
sed 's/"days_field": "renewal_notice_days"/"days_field": "name"/' "$S/contract-renewal.json" > "$T/bad/r.json"
expect_code 78 crm-flow check --flows "$T/bad"
err_has "trigger.days_field" "a text field is refused"
err_has "no integer field 'name'" "says why"
sed 's/"days_field": "renewal_notice_days"/"days_field": "renewal_notice_days", "calendar": {"timezone": "UTC", "hours": "mon-fri 09:00-17:00"}/' \
	"$S/contract-renewal.json" > "$T/bad/r.json"
expect_code 78 crm-flow check --flows "$T/bad"
err_has "not with a calendar" "days are calendar days"
done_testing
