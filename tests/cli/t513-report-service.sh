#!/bin/bash
# crm-report service (first-contact resolution, reopen rate, agent
# replies to resolution) and assets (tickets per asset and product),
# checked against a fixture computed by hand.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
P=(--policies "$DATA/sla-test.json")

printf 'first_name,email\nAnn,ann@acme.example\n' >"$T/c.csv"
expect_code 0 crm-contact import -q "$T/c.csv"
for s in one two reopened waiting closed; do
	expect_code 0 crm-ticket open "${P[@]}" -q --subject "$s" --contact ann@acme.example --channel email
done
# 1: one reply, solved: first contact
expect_code 0 crm-ticket reply "${P[@]}" 1 --body a
expect_code 0 crm-ticket solve "${P[@]}" 1
# 2: two replies (a customer message between), solved
expect_code 0 crm-ticket reply "${P[@]}" 2 --body a
expect_code 0 crm-ticket reply "${P[@]}" 2 --customer --body q
expect_code 0 crm-ticket reply "${P[@]}" 2 --body b
expect_code 0 crm-ticket solve "${P[@]}" 2
# 3: one reply, solved, reopened by the customer, one more reply, solved
expect_code 0 crm-ticket reply "${P[@]}" 3 --body a
expect_code 0 crm-ticket solve "${P[@]}" 3
expect_code 0 crm-ticket reply "${P[@]}" 3 --customer --body 'still broken'
expect_code 0 crm-ticket reply "${P[@]}" 3 --body b
expect_code 0 crm-ticket solve "${P[@]}" 3
# 4: no reply yet; 5: one reply, solved, then closed
expect_code 0 crm-ticket reply "${P[@]}" 5 --body a
expect_code 0 crm-ticket solve "${P[@]}" 5
expect_code 0 crm-ticket close "${P[@]}" 5
# Resolved: 1, 2, 3, 5 (4). First contact: 1 and 5 (2 of 4: 50.0).
# Reopened: 3 (1 of the 4 ever resolved: 25.0). Replies to resolution:
# 1, 2, 2, 1: average 1.50, median 1.5.
expect_code 0 crm-report service -f csv
expect_out "service: first-contact resolution, reopen rate, replies" <<'X'
total,tickets,resolved,first_contact,first_contact_rate,reopened,reopen_rate,avg_replies_to_resolution,median_replies_to_resolution
all,5,4,2,50.0,1,25.0,1.5,1.5
X
expect_code 0 crm-report service -f csv --by status
expect_out "service --by status" <<'X'
status,tickets,resolved,first_contact,first_contact_rate,reopened,reopen_rate,avg_replies_to_resolution,median_replies_to_resolution
solved,3,3,1,33.3,1,33.3,1.67,2.0
closed,1,1,1,100.0,0,0.0,1.0,1.0
new,1,0,0,,0,,,
X
# a range counts its own tickets' replies and reopens (the groups take
# the range's tickets, #25): ticket 3 opened on Nov 1, exactly at --from
sql "UPDATE tickets SET created_at = '2026-11-01T00:00:00Z' WHERE id = 3"
expect_code 0 crm-report service -f csv --from 2026-11-01 --to 2026-11-02
expect_out "service over ticket 3 alone" <<'X'
total,tickets,resolved,first_contact,first_contact_rate,reopened,reopen_rate,avg_replies_to_resolution,median_replies_to_resolution
all,1,1,0,0.0,1,100.0,2.0,2.0
X
expect_code 0 crm-report service -f csv --from 2026-11-02
expect_out "service after ticket 3" <<'X'
total,tickets,resolved,first_contact,first_contact_rate,reopened,reopen_rate,avg_replies_to_resolution,median_replies_to_resolution
all,4,3,2,66.7,0,0.0,1.33,1.0
X
sql "UPDATE tickets SET created_at = '2026-11-23T09:00:00Z' WHERE id = 3"

# assets: P1 has two assets, one with tickets 1 and 2; P2 one asset with
# tickets 3 (solved) and 4 (open)
cat >"$T/a.csv" <<'X'
serial,product,email
A1,P1,ann@acme.example
A2,P1,ann@acme.example
A3,P2,ann@acme.example
X
expect_code 0 crm-asset import -q "$T/a.csv"
expect_code 0 crm-asset link A1 1
expect_code 0 crm-asset link A1 2
expect_code 0 crm-asset link A3 3
expect_code 0 crm-asset link A3 4
expect_code 0 crm-report assets -f csv
expect_out "tickets per product" <<'X'
product,assets,tickets,open_tickets,tickets_per_asset,assets_with_tickets
P1,2,2,0,1.0,1
P2,1,2,1,2.0,1
X
expect_code 0 crm-report assets -f csv --by serial
expect_out "tickets per asset" <<'X'
serial,assets,tickets,open_tickets,tickets_per_asset,assets_with_tickets
A1,1,2,0,2.0,1
A3,1,2,1,2.0,1
A2,1,0,0,0.0,0
X
# linking again replaces the ticket's asset
expect_code 0 crm-asset link A2 2
expect_code 0 crm-report assets -f csv --by serial --fields serial,tickets
expect_out "a ticket names one asset" <<'X'
serial,tickets
A3,2
A1,1
A2,1
X
done_testing
