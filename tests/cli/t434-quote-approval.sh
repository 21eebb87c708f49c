#!/bin/bash
# submit against the thresholds file: past one the quote is pending
# approval and locked, and an approval (lib/domain/approval.h) starts on
# it; an approver's decision (crm-quote approve, crm-flow approve or
# reject) releases it; accept wins the deal for the quote's total and
# counts the promotions used against their limits (per account and in
# total); reject needs a reason.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_THRESHOLDS="$D/thresholds.json" CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-company add --name 'Shop GmbH' --industry retail -q
expect_code 0 crm-company add --name 'Other Shop' --industry retail -q
expect_code 0 crm-pipeline add --name 'Shop deal' --set company='Shop GmbH' --amount 50 --currency EUR -q

# 1: SEAT 11 at 109.00 less 25% = 81.75 against a list of 110.00: 25.68%
expect_code 0 crm-quote new --deal 'Shop deal' --book list --region DE -q
expect_code 0 crm-quote add-line 1 SEAT --qty 11 --discount 25 -q
expect_code 0 crm-quote submit 1 --fields status,subtotal,tax,total,approval
expect_out "past the thresholds: pending approval, with the reasons" <<'X'
status,subtotal,tax,total,approval
pending_approval,81.75,15.53,97.28,line 1 (SEAT): discount 25.68% is past 20%; quote discount 25.68% is past 15%
X
err_has "needs approval: line 1 (SEAT): discount 25.68% is past 20%"
err_has "needs approval: quote discount 25.68% is past 15%"
err_has "quote 1 is locked pending approval 1"
expect_code 0 crm-flow approvals --fields id,process,entity,record_id,status,waiting_for
expect_out "the approval waits for the sales managers" <<'X'
id,process,entity,record_id,status,waiting_for
1,quote,quote,1,pending,"maria,tom"
X
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-quote add-line 1 SEAT
err_has "quote 1 is locked pending approval"
expect_code 65 crm-quote remove-line 1 1
err_has "locked pending approval"
expect_code 65 crm-quote price 1
expect_code 65 crm-quote accept 1
err_has "only a sent or approved quote is accepted"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a locked quote is not changed"
expect_code 65 crm-quote approve 1
err_has "tester"
expect_code 0 env CRM_USER=maria crm-quote approve 1 --fields status
expect_out "an approver approves" <<'X'
status
approved
X
expect_code 0 crm-quote accept 1 --fields status,accepted_version,total
expect_out "accept" <<'X'
status,accepted_version,total
accepted,1,97.28
X
expect_code 0 crm-pipeline show 'Shop deal' --fields status,stage,amount,currency
expect_out "accept: the deal is won for the quote's total" <<'X'
status,stage,amount,currency
won,closed_won,97.28,EUR
X

# 2: a manual price below list
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 2 SHIRT --price 19.00 --reason 'trade show' -q
expect_code 0 crm-quote submit 2 --fields status
err_has "needs approval: line 1 (SHIRT): manual price 19.00 below list"
sql "SELECT max(id) FROM crm_approvals"
approval=$(cat "$T/sql")
expect_code 0 crm-flow reject "$approval" --as maria --reason 'too cheap' -q
expect_code 0 crm-quote add-line 2 SHIRT --fields version,status
expect_out "a rejected approval leaves an unlocked draft" <<'X'
version,status
1,draft
X
# 3: a total past 50000.00 EUR (10 x 10 + 40 x 9 + 9950 x 8 = 80060.00)
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 3 SEAT --qty 10000 -q
expect_code 0 crm-quote submit 3 --fields status
err_has "needs approval: total 80060.00 is past 50000.00"
# a thresholds file that is not one
printf '{"line_discount": "lots"}' >"$T/th.json"
expect_code 78 crm-quote submit 3 --thresholds "$T/th.json"
err_has "line_discount"
printf '{"approver": "the boss"}' >"$T/th.json"
expect_code 78 crm-quote submit 3 --thresholds "$T/th.json"
err_has "approver"

# 4: reject
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 4 SEAT -q
expect_code 64 crm-quote reject 4
err_has "reject needs --reason"
expect_code 0 crm-quote reject 4 --reason 'went with a competitor' --fields status,reason
expect_out "reject records why" <<'X'
status,reason
rejected,went with a competitor
X
expect_code 65 crm-quote add-line 4 SEAT
err_has "quote 4 is rejected"
# 5: a draft is not accepted
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 65 crm-quote accept 5
err_has "quote 5 is draft"

# promotion limits: loyal (5%, once per account) and spring (10%) stack
export CRM_NOW=2026-03-10T09:00:00Z
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 6 SEAT --qty 10 -q
expect_code 0 crm-quote lines 6 --fields sku,amount,promotions
expect_out "first quote: spring and loyal" <<'X'
sku,amount,promotions
SEAT,85.00,"spring,loyal"
X
expect_code 0 crm-quote submit 6 -q
expect_code 0 crm-quote accept 6 -q
sql "SELECT promotion, company_id, quote_id FROM promotion_uses ORDER BY 1"
printf 'loyal|1|6\nspring|1|6\n' >"$T/want"
compare "$T/want" "$T/sql" "accept counts the promotions used"
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 7 SEAT --qty 10 -q
expect_code 0 crm-quote lines 7 --fields sku,amount,promotions
expect_out "the same account again: loyal is used up" <<'X'
sku,amount,promotions
SEAT,90.00,spring
X
expect_code 0 crm-quote lines 7 --explain --fields step,detail
out_has "loyal: used up by this account (1 of 1)"
expect_code 0 crm-quote new --account 'Other Shop' --book list -q
expect_code 0 crm-quote add-line 8 SEAT --qty 10 --fields subtotal
expect_out "another account still gets loyal" <<'X'
subtotal
85.00
X
# launch: once in total
export CRM_NOW=2026-03-16T09:00:00Z
expect_code 0 crm-quote new --account 'Shop GmbH' --book list -q
expect_code 0 crm-quote add-line 9 SHIRT --qty 2 --fields subtotal
expect_out "launch: 40.00 less 15.00 (capped)" <<'X'
subtotal
25.00
X
expect_code 0 crm-quote submit 9 -q
sql "SELECT max(id) FROM crm_approvals"
approval=$(cat "$T/sql")
expect_code 0 crm-flow approve "$approval" --as tom -q
expect_code 0 crm-quote accept 9 -q
expect_code 0 crm-quote new --account 'Other Shop' --book list -q
expect_code 0 crm-quote add-line 10 SHIRT --qty 2 --fields subtotal
expect_out "launch is used up for everyone (Other Shop's loyal 5% is not)" <<'X'
subtotal
38.00
X
expect_code 0 crm-quote lines 10 --fields promotions
expect_out "only loyal" <<'X'
promotions
loyal
X
done_testing
