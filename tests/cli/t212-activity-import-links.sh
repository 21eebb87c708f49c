#!/bin/bash
# crm-activity import keeps last_activity_at of leads, deals and tickets
# current too (done once, set-based, at the end of the import).
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-lead add --first-name Lea --email lea@x.io --ids
expect_code 0 crm-pipeline add --name 'Big one' --amount 10 --currency EUR --ids
expect_code 0 crm-ticket open --subject 'It broke' --ids
cat >"$T/ev.ndjson" <<'X'
{"lead_id":1,"type":"call","occurred_at":"2026-11-10T10:00:00Z"}
{"lead_id":1,"type":"email","occurred_at":"2026-11-12T10:00:00Z"}
{"lead_id":1,"type":"note","occurred_at":"2026-11-11T10:00:00Z"}
{"deal_id":1,"type":"meeting","occurred_at":"2026-11-05T09:00:00Z"}
{"ticket_id":1,"type":"call","occurred_at":"2026-11-20T16:00:00Z"}
X
expect_code 0 crm-activity import "$T/ev.ndjson"
err_has "5 inserted"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "the lead: its latest activity" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
expect_code 0 crm-pipeline show 1 -f csv --fields last_activity_at
expect_out "the deal" <<'X'
last_activity_at
2026-11-05T09:00:00Z
X
expect_code 0 crm-ticket list -f csv --fields id,last_activity_at
expect_out "the ticket" <<'X'
id,last_activity_at
1,2026-11-20T16:00:00Z
X
# an older activity imported later never moves it back
printf '{"lead_id":1,"type":"call","occurred_at":"2026-01-01T00:00:00Z"}\n' >"$T/old.ndjson"
expect_code 0 crm-activity import "$T/old.ndjson"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "an older activity leaves last_activity_at alone" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
# a failed import leaves it alone too
printf '{"lead_id":1,"type":"call","occurred_at":"2026-12-01T00:00:00Z"}\n{"lead_id":99,"type":"call"}\n' >"$T/bad.ndjson"
expect_code 65 crm-activity import "$T/bad.ndjson"
expect_code 0 crm-lead show 1 -f csv --fields last_activity_at
expect_out "a failed import changed nothing" <<'X'
last_activity_at
2026-11-12T10:00:00Z
X
# contacts named by email: an import looks each one up once and keeps
# it for the rest of the import, with its company; every spelling finds
# the same contact, and an unknown one fails the import
expect_code 0 crm-company add --name Acme -q
expect_code 0 crm-contact add --first-name Ann --email ann@acme.io --company-id 1 -q
expect_code 0 crm-contact add --first-name Bo --email bo@x.io -q
cat >"$T/mail.ndjson" <<'X'
{"email":"ann@acme.io","type":"call","occurred_at":"2026-11-01T10:00:00Z","subject":"m1"}
{"email":"bo@x.io","type":"call","occurred_at":"2026-11-02T10:00:00Z","subject":"m2"}
{"email":"ann@acme.io","type":"email","occurred_at":"2026-11-03T10:00:00Z","subject":"m3"}
{"email":"Ann@ACME.io","type":"note","occurred_at":"2026-11-04T10:00:00Z","subject":"m4"}
{"contact_email":"bo@x.io","type":"note","occurred_at":"2026-11-05T10:00:00Z","subject":"m5"}
X
expect_code 0 crm-activity import "$T/mail.ndjson"
expect_code 0 crm-activity list -f csv --fields subject,contact_id,company_id --where subject~m --sort id
expect_out "each activity has its contact and the contact's company" <<'X'
subject,contact_id,company_id
m1,1,1
m2,2,
m3,1,1
m4,1,1
m5,2,
X
expect_code 0 crm-contact show 1 -f csv --fields last_activity_at
expect_out "the contact's latest activity" <<'X'
last_activity_at
2026-11-04T10:00:00Z
X
printf '{"email":"bo@x.io","type":"call","subject":"n1"}\n{"email":"BO@x.io","type":"call","subject":"n2"}\n{"email":"cy@x.io","type":"call","subject":"n3"}\n' >"$T/none.ndjson"
expect_code 65 crm-activity import "$T/none.ndjson"
err_has "no contact 'cy@x.io'"
expect_code 0 crm-activity list -f csv --fields subject --where subject~n1
expect_out "a failed import inserted nothing" <<'X'
subject
X
# the email key finds the contact; a key two contacts share is an
# error, as outside an import. On PostgreSQL an import loads the
# contacts once it has looked up 1,000 of them: each file below first
# names 1,000 other contacts, so that its last lines are found there.
expect_code 0 crm-contact add --first-name Jo --email j.doe@gmail.com -q
awk 'BEGIN { print "first_name,email"; for (i = 1; i <= 1000; i++) printf "P%d,p%d@bulk.io\n", i, i }' >"$T/bulk.csv"
expect_code 0 crm-contact import -q "$T/bulk.csv"
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "{\"email\":\"p%d@bulk.io\",\"type\":\"call\",\"subject\":\"pre\"}\n", i }' >"$T/pre.ndjson"
{ cat "$T/pre.ndjson"; printf '{"email":"JDoe+news@googlemail.com","type":"call","subject":"k1"}\n'; } >"$T/key.ndjson"
expect_code 0 crm-activity import "$T/key.ndjson"
expect_code 0 crm-activity list -f csv --fields subject,contact_id --where subject~k1
expect_out "a spelling of the same email key finds the contact" <<'X'
subject,contact_id
k1,3
X
printf 'external_id,first_name,email\ncy2,Cy,cy@x.io\ncy3,Cyd,CY@x.io\n' >"$T/cy.csv"
expect_code 0 crm-contact import -q --key external_id "$T/cy.csv"
db_save two
{ cat "$T/pre.ndjson"; printf '{"email":"bo@x.io","type":"call","subject":"s1"}\n{"email":"cy@x.io","type":"call","subject":"s2"}\n'; } >"$T/two.ndjson"
expect_code 65 crm-activity import "$T/two.ndjson"
err_has "'cy@x.io' matches several contacts; give contact_id"
if db_same two; then ok "the failed import wrote nothing"; else not_ok "the failed import wrote nothing"; fi
# a contact by id: checked (on PostgreSQL against the contacts loaded at
# the start), its company taken
{ cat "$T/pre.ndjson"; printf '{"contact_id":1,"type":"call","subject":"i1"}\n{"contact":"2","type":"call","subject":"i2"}\n'; } >"$T/id.ndjson"
expect_code 0 crm-activity import "$T/id.ndjson"
expect_code 0 crm-activity list -f csv --fields subject,contact_id,company_id --where subject~i --sort id
expect_out "contact ids checked, the company taken" <<'X'
subject,contact_id,company_id
i1,1,1
i2,2,
X
db_save three
{ cat "$T/pre.ndjson"; printf '{"contact_id":2,"type":"call","subject":"j1"}\n{"contact_id":9999,"type":"call","subject":"j2"}\n'; } >"$T/id2.ndjson"
expect_code 65 crm-activity import "$T/id2.ndjson"
err_has "contact_id: no contact 9999"
if db_same three; then ok "an unknown contact id wrote nothing"; else not_ok "an unknown contact id wrote nothing"; fi
done_testing
