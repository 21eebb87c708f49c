#!/bin/bash
# crm-NOUN import --from PROFILE reads the exports of other CRMs as they
# come (tests/data/import: the vendors' own column names, a BOM, CRLF,
# cells over several lines, quotes in quoted cells) and stores each column
# in its field; what no field takes becomes a custom field, named on
# stderr. Dates are ISO here (the salesforce profile's "us" reads ISO
# too); t113 has the US dates, semicolons and GB18030.
. "$(dirname "$0")/../lib.sh"
# a database of its own first: the imports below check their whole stderr
expect_code 0 crm init
D=$DATA/import

# Salesforce contacts report
expect_code 0 crm-contact import --from salesforce "$D/salesforce-contacts.csv"
expect_err "salesforce contacts: three inserted, custom columns named" <<'X'
crm-contact: 3 columns became custom fields: 'Salutation', 'Mobile', 'Description'
crm-contact: 3 inserted, 0 updated, 0 unchanged, 0 rejected, 3 companies created
X
expect_code 0 crm-contact export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,city,region,country,source,owner,created_at,Mobile,Salutation'
expect_out "salesforce contacts: every field stored" <<'X'
external_id,first_name,last_name,email,phone,company,title,city,region,country,source,owner,created_at,Mobile,Salutation
0035e00000AbCdEAA1,Ann,Lee,ann.lee@acme.example,+1 415 555 0134,Acme Corp,VP Sales,San Francisco,CA,United States,Web,Dana Whitfield,2026-03-14T00:00:00Z,,Ms.
0035e00000AbCdFAA1,Bob,O'Brien,bob@globex.example,,Globex,CTO,Austin,TX,United States,Partner Referral,Dana Whitfield,2026-04-02T00:00:00Z,+1 512 555 0199,Mr.
0035e00000AbCdGAA1,Chen,Wei,chen.wei@initech.example,+86 10 6552 9988,Initech,Buyer,,,China,Trade Show,Raj Patel,2026-05-20T00:00:00Z,,
X
sql "SELECT json_extract(custom, '$.Description') FROM contacts WHERE external_id = '0035e00000AbCdEAA1'"
compare - "$T/sql" "a cell over two lines keeps its line break (LF, not the file's CRLF)" <<'X'
Met at Dreamforce.
Wants a demo in Q2.
X
sql "SELECT json_extract(custom, '$.Description') FROM contacts WHERE external_id = '0035e00000AbCdFAA1'"
compare - "$T/sql" "doubled quotes in a quoted cell" <<<'Says "call after 5pm"'
# the same file again: every record found by its Salesforce id
expect_code 0 crm-contact import -q --from salesforce "$D/salesforce-contacts.csv"
sql "SELECT count(*) FROM contacts"
compare - "$T/sql" "importing the export again updates nothing new" <<<'3'

# Salesforce opportunities report: the account links the deal
expect_code 0 crm-pipeline import -q --from salesforce "$D/salesforce-opportunities.csv"
expect_code 0 crm-pipeline export -f csv --fields 'external_id,name,company_id,stage,status,amount,currency,probability,expected_close,owner,source,created_at,Type'
expect_out "salesforce opportunities: every field stored" <<'X'
external_id,name,company_id,stage,status,amount,currency,probability,expected_close,owner,source,created_at,Type
0065e00000XyZaBAA1,Acme - 500 seats,1,needs_analysis,open,125000.00,USD,40,2026-06-30,Dana Whitfield,Web,2026-03-20T00:00:00Z,New Customer
0065e00000XyZaCAA1,Initech renewal,3,closed_won,won,48000.00,USD,100,2026-05-31,Raj Patel,Partner Referral,2026-04-11T00:00:00Z,Existing Customer - Upgrade
X

# HubSpot contacts export
db_fresh
expect_code 0 crm-contact import --from hubspot "$D/hubspot-contacts.csv"
err_has "crm-contact: 4 columns became custom fields: 'Mobile Phone Number', 'Lifecycle Stage', 'Lead Status', 'Notes'"
expect_code 0 crm-contact export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,city,region,country,source,owner,created_at,Mobile Phone Number,Lifecycle Stage'
expect_out "hubspot contacts: every field stored" <<'X'
external_id,first_name,last_name,email,phone,company,title,city,region,country,source,owner,created_at,Mobile Phone Number,Lifecycle Stage
51,Maria,Garcia,maria.garcia@umbrella.example,+34 912 345 678,Umbrella SL,Head of Ops,Madrid,Madrid,Spain,Organic Search,Lucia Gomez,2026-01-09T10:12:00Z,,Customer
52,Tom,Becker,tom@hooli.example,,Hooli GmbH,Engineer,Berlin,,Germany,Paid Social,Lucia Gomez,2026-02-17T16:40:00Z,+49 151 2345 6789,Marketing Qualified Lead
X
sql "SELECT json_extract(custom, '$.Notes') FROM contacts WHERE external_id = '51'"
compare - "$T/sql" "hubspot: a note over two lines with quotes" <<'X'
First call went well.
Follow up on the "Pro" plan.
X

# Zoho CRM leads export
expect_code 0 crm-lead import -q --from zoho "$D/zoho-leads.csv"
expect_code 0 crm-lead export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,Lead Status,City'
expect_out "zoho leads: every field stored" <<'X'
external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,Lead Status,City
zcrm_4150868000000224005,Tony,Stark,tony@stark.example,+1 212 555 0100,Stark Industries,CEO,Manufacturing,NY,United States,Trade Show,Priya Nair,2026-02-01T08:30:00Z,Contacted,New York
zcrm_4150868000000224006,Bruce,Wayne,bruce@wayne.example,,Wayne Enterprises,Chairman,Finance,NJ,United States,Web Download,Priya Nair,2026-02-03T14:05:10Z,Not Contacted,Gotham
X

# Pipedrive people, then their deals in Pipedrive's own pipeline
db_fresh
expect_code 0 crm-contact import -q --from pipedrive "$D/pipedrive-people.csv"
expect_code 0 crm-contact export -f csv --fields 'external_id,first_name,last_name,email,phone,company,owner,tags,created_at,Phone - Mobile'
expect_out "pipedrive people: a whole name split when first and last are empty" <<'X'
external_id,first_name,last_name,email,phone,company,owner,tags,created_at,Phone - Mobile
101,Lena,Fischer,lena.fischer@nordwind.example,+49 40 1234 5678,Nordwind AG,Jonas Weber,Hot lead,2026-03-02T09:15:44Z,
102,Pieter de,Vries,pieter@polder.example,,Polder BV,Jonas Weber,,2026-03-05T13:01:02Z,+31 6 1234 5678
X
mkdir "$T/share"
cp -r "$TOP/share/crm/profiles" "$T/share/"
cat >"$T/share/pipelines.json" <<'X'
{"pipelines": [{"name": "pipedrive", "stages": [
 {"name": "qualified", "label": "Qualified", "probability": 10, "forecast_category": "pipeline"},
 {"name": "contact_made", "label": "Contact Made", "probability": 20, "forecast_category": "pipeline"},
 {"name": "proposal_made", "label": "Proposal Made", "probability": 60, "forecast_category": "best_case"},
 {"name": "won", "label": "Won", "probability": 100, "forecast_category": "closed", "status": "won"},
 {"name": "lost", "label": "Lost", "probability": 0, "forecast_category": "omitted", "status": "lost"}]}]}
X
CRM_SHARE="$T/share" expect_code 0 crm-pipeline import --from pipedrive "$D/pipedrive-deals.csv"
err_has "crm-pipeline: 3 columns became custom fields: 'Deal - Contact person', 'Deal - Pipeline', 'Deal - Status'"
CRM_SHARE="$T/share" expect_code 0 crm-pipeline export -f csv --fields 'external_id,name,company_id,pipeline,stage,amount,currency,expected_close,owner,created_at,Contact person,Pipeline'
expect_out "pipedrive deals: every field stored, linked to the organization" <<'X'
external_id,name,company_id,pipeline,stage,amount,currency,expected_close,owner,created_at,Contact person,Pipeline
7,Nordwind AG deal,1,pipedrive,proposal_made,18000.00,EUR,2026-07-15,Jonas Weber,2026-03-02T09:20:00Z,Lena Fischer,Pipeline
8,"Polder BV ""pilot""",2,pipedrive,contact_made,4500.50,EUR,,Jonas Weber,2026-03-06T11:00:00Z,Pieter de Vries,Pipeline
X

# 纷享销客 contacts export, Chinese column names and names
db_fresh
expect_code 0 crm-contact import --from fxiaoke "$D/fxiaoke-contacts.csv"
err_has "crm-contact: 3 columns became custom fields: '电话', '部门', '备注'"
expect_code 0 crm-contact export -f csv --fields 'first_name,last_name,email,phone,company,title,region,city,source,owner,created_at,电话'
expect_out "fxiaoke contacts: 姓名 split surname first, every field stored" <<'X'
first_name,last_name,email,phone,company,title,region,city,source,owner,created_at,电话
伟,张,zhang.wei@changcheng.example,13800138000,北京长城商贸有限公司,采购经理,北京,北京,展会,李娜,2026-03-14T09:21:00Z,010-65529988
娜娜,欧阳,ouyang@jinqiao.example,13912345678,深圳金桥物流有限公司,总经理,广东,深圳,官网,李娜,2026-04-01T15:00:00Z,
X
sql "SELECT json_extract(custom, '$.备注') FROM contacts ORDER BY id"
compare - "$T/sql" "fxiaoke: remarks over two lines, quotes kept" <<'X'
首次拜访。
需要报价单
客户说"下周回复"
X
done_testing
