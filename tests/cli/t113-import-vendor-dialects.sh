#!/bin/bash
# The vendor exports as they really come, beyond t110: a Salesforce report
# in the US locale (M/D/YYYY h:mm AM dates, read through the profile's
# date_format without --date-format), a Zoho export saved again by a
# European Excel (';' between cells, D.M.YYYY dates, quotes inside
# unquoted cells: 5'11", 27"), and a 纷享销客 export in GB18030
# (--encoding). Each file has CRLF line ends and cells over two lines; the
# UTF-8 ones a BOM. The stored fields are checked, not only the counts.
. "$(dirname "$0")/../lib.sh"
expect_code 0 crm init
D=$DATA/import

# -- Salesforce, US locale: the profile's date_format is "us" ----------
expect_code 0 crm-lead import --from salesforce "$D/salesforce-leads-us.csv"
expect_err "salesforce leads: three inserted, custom columns named" <<'X'
crm-lead: 3 columns became custom fields: 'Lead Status', 'Rating', 'Description'
crm-lead: 3 inserted, 0 updated, 0 unchanged, 0 rejected
X
expect_code 0 crm-lead export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,Lead Status,Rating'
expect_out "salesforce leads: US times read as the profile says, every field stored" <<'X'
external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,Lead Status,Rating
00Q5e00000LdAaBEAV,Grace,Hopper,grace@cobol.example,+1 202 555 0170,Cobol Systems,Director of IT,Technology,VA,United States,Web,Dana Whitfield,2026-11-22T15:04:00Z,Open - Not Contacted,Hot
00Q5e00000LdAaCEAV,Alan,Turing,alan@bletchley.example,,Bletchley Labs,Researcher,Education,,United Kingdom,Partner Referral,Raj Patel,2026-03-07T09:15:00Z,Working - Contacted,
00Q5e00000LdAaDEAV,Ada,Lovelace,ada@engine.example,+44 20 7946 0011,Engine Works,CTO,Manufacturing,,United Kingdom,Trade Show,Raj Patel,2025-12-31T23:59:00Z,Qualified,Warm
X
sql "SELECT json_extract(custom, '$.Description') FROM leads WHERE external_id = '00Q5e00000LdAaBEAV'"
compare - "$T/sql" "salesforce leads: a quoted cell over two lines, doubled quotes" <<'X'
Wants 40 seats.
Call back after the "budget" meeting.
X

# the profile's US dates for a date field (Close Date) and a time
expect_code 0 crm-pipeline import -q --from salesforce "$D/salesforce-opportunities-us.csv"
expect_code 0 crm-pipeline export -f csv --fields 'external_id,name,stage,status,amount,probability,expected_close,owner,created_at'
expect_out "salesforce opportunities: M/D/YYYY close dates" <<'X'
external_id,name,stage,status,amount,probability,expected_close,owner,created_at
0065e00000XyZaDAA1,Cobol - 40 seats,prospecting,open,52000.00,10,2027-01-15,Dana Whitfield,2026-11-22T00:00:00Z
0065e00000XyZaEAA1,Engine Works pilot,closed_won,won,9800.00,100,2026-10-03,Raj Patel,2026-09-01T00:00:00Z
X

# ISO 8601 (a Data Loader export) is still read under the profile's "us"
printf 'Id,FirstName,LastName,Email,CreatedDate\r\n00Q5e00000LdAaEEAV,Joan,Clarke,joan@bletchley.example,2026-11-20T10:00:00.000Z\r\n' >"$T/dataloader.csv"
expect_code 0 crm-lead import -q --from salesforce "$T/dataloader.csv"
sql "SELECT created_at FROM leads WHERE external_id = '00Q5e00000LdAaEEAV'"
compare - "$T/sql" "salesforce: ISO 8601 still read with the profile's us dates" <<<'2026-11-20T10:00:00Z'

# --date-format wins over the profile's: eu cannot read 11/22/2026
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-lead import --from salesforce --date-format eu "$D/salesforce-leads-us.csv"
err_has "salesforce-leads-us.csv:2: created_at: invalid date '11/22/2026 3:04 PM'"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "--date-format over the profile's: refused, database unchanged"

# --tz applies to the profile's format
db_fresh
expect_code 0 crm-lead import -q --from salesforce --tz America/Los_Angeles "$D/salesforce-leads-us.csv"
sql "SELECT created_at FROM leads ORDER BY id"
compare - "$T/sql" "salesforce leads: --tz with the profile's date format" <<'X'
2026-11-22T23:04:00Z
2026-03-07T17:15:00Z
2026-01-01T07:59:00Z
X

# a profile file of one's own with a strftime date_format
cat >"$T/mine.json" <<'X'
{"description": "a shop's own export", "date_format": "%d.%m.%Y %H:%M",
 "contacts": {"Mail": "email", "Kunde": "name", "Angelegt": "created_at"}}
X
printf 'Mail,Kunde,Angelegt\nkarl@laden.example,Karl Kunz,02.11.2026 17:05\n' >"$T/mine.csv"
expect_code 0 crm-contact import -q --from "$T/mine.json" "$T/mine.csv"
sql "SELECT first_name, last_name, created_at FROM contacts WHERE email = 'karl@laden.example'"
compare - "$T/sql" "a profile file's own strftime date_format" <<<'Karl|Kunz|2026-11-02T17:05:00Z'

# a bad date_format names the profile file: exit 78, nothing written
db_dump "$CRM_DB" "$T/before"
printf '{"date_format": "dmy", "contacts": {"Mail": "email"}}' >"$T/bad.json"
expect_code 78 crm-contact import --from "$T/bad.json" "$T/mine.csv"
err_has "bad.json: date_format: unknown convention 'dmy'"
printf '{"date_format": "%%d.%%m", "contacts": {"Mail": "email"}}' >"$T/bad2.json"
expect_code 78 crm-contact import --from "$T/bad2.json" "$T/mine.csv"
err_has "bad2.json: date_format '%d.%m': expected strftime directives"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "a bad date_format in a profile: database unchanged"

# -- Zoho, saved by a European Excel: ';', D.M.YYYY, quotes in cells ---
db_fresh
expect_code 0 crm init
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-contact import --from zoho "$D/zoho-contacts-semicolon.csv"
err_has "zoho-contacts-semicolon.csv:2: created_at: date '14.03.2026 09:30' is not ISO 8601: give --date-format eu"
expect_code 65 crm-contact import --from zoho --date-format eu --strict "$D/zoho-contacts-semicolon.csv"
err_has "zoho-contacts-semicolon.csv:2:8: Title: quote inside an unquoted cell (--strict)"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "zoho ;: without --date-format, or with --strict: database unchanged"
expect_code 0 crm-contact import --from zoho --date-format eu --tz Europe/Berlin "$D/zoho-contacts-semicolon.csv"
err_has "crm-contact: 2 inserted, 0 updated, 0 unchanged, 0 rejected, 2 companies created"
expect_code 0 crm-contact export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,city,country,source,owner,created_at,Department,Mobile'
expect_out "zoho ;: semicolons detected, quotes in unquoted cells literal, D.M.YYYY in Berlin time" <<'X'
external_id,first_name,last_name,email,phone,company,title,city,country,source,owner,created_at,Department,Mobile
zcrm_4150868000000301001,Jörg,Müller,joerg@mueller.example,+49 89 1234 567,Müller & Söhne GmbH,"Leiter 27"" Displays",München,Germany,Trade Show,Priya Nair,2026-03-14T08:30:00Z,Einkauf,
zcrm_4150868000000301002,Inès,Dupont,ines@lumiere.example,,Lumière SA,"5'11"" Sales Lead",Lyon,France,Web,Priya Nair,2026-11-02T16:05:00Z,Ventes,+33 6 12 34 56 78
X
sql "SELECT json_extract(custom, '$.Description') FROM contacts ORDER BY id"
compare - "$T/sql" "zoho ;: a quoted cell with ';' over two lines; 5'11\" and 12\" unquoted" <<'X'
Messe: Stand 4; Halle B
will "Premium" Paket
Tall: 5'11" and wants the 12" model
X

# -- 纷享销客 leads, GB18030 as Chinese Excel saves them ------------------
db_fresh
expect_code 0 crm init
db_dump "$CRM_DB" "$T/before"
expect_code 65 crm-lead import --from fxiaoke "$D/fxiaoke-leads-gb18030.csv"
err_has "invalid UTF-8 in column name (another character set? see --encoding)"
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "fxiaoke GB18030 without --encoding: refused, database unchanged"
expect_code 0 crm-lead import --from fxiaoke --encoding GB18030 --tz Asia/Shanghai "$D/fxiaoke-leads-gb18030.csv"
err_has "crm-lead: 2 columns became custom fields: '线索状态', '备注'"
expect_code 0 crm-lead export -f csv --fields 'external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,线索状态'
expect_out "fxiaoke GB18030: every field stored as UTF-8, 司马 a two-character surname" <<'X'
external_id,first_name,last_name,email,phone,company,title,industry,region,country,source,owner,created_at,线索状态
XS2026110001,芳,王,wang.fang@pujiang.example,13600001111,上海浦江科技有限公司,"销售""大客户""经理",软件,上海,中国,官网,李娜,2026-11-22T07:04:00Z,未处理
XS2026110002,光,司马,,13700002222,杭州西湖贸易有限公司,采购,贸易,浙江,中国,展会,李娜,2026-11-20T01:00:00Z,已联系
X
sql "SELECT json_extract(custom, '$.备注') FROM leads ORDER BY id"
compare - "$T/sql" "fxiaoke GB18030: a remark over two lines, 12\" unquoted" <<'X'
想要演示
价格敏感
12"屏幕样品
X
done_testing
