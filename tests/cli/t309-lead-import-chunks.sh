#!/bin/bash
# crm-lead import reads its input in chunks and, on PostgreSQL, asks the
# duplicate probes of a whole chunk in one statement (CRM_IMPORT_AHEAD,
# 1,024 records): a lead repeated in the file still folds onto the first
# one, within a chunk and across a boundary, and the answers follow what
# the import itself wrote since (a repeat that changes a lead's phone
# leaves its old phone to nobody). The same on both engines.
. "$(dirname "$0")/../lib.sh"

printf 'first_name,email,phone\nKim,kim@corp.example,+1 212 555 0100\n' \
	>"$T/contacts.csv"
expect_code 0 crm-contact import -q "$T/contacts.csv"
# records 1-2400 on lines 2-2401; filler records have their own email
awk 'BEGIN {
	print "first_name,last_name,email,phone"
	r[1] = "Ann,One,ann@one.example,+1 415 555 0001"
	r[2] = "Ann,Two,ann@ONE.example,"	# a repeat in the same chunk
	r[1024] = "Bea,Last,bea@last.example,"	# the last of chunk 1 ...
	r[1025] = "Bea,First,bea@LAST.example,"	# ... and its repeat, next
	r[1100] = "Ann,Moved,ann@one.example,+1 415 555 0002"	# new phone
	r[1110] = "Cy,Old,cy@old.example,+1 415 555 0001"	# Ann s old one
	r[1111] = "Di,New,,+1 415 555 0002"	# Ann s new one
	r[2048] = "Eve,Edge,eve@edge.example,"	# the last of chunk 2 ...
	r[2049] = "Eve,Next,eve@EDGE.example,"	# ... and its repeat, next
	r[2060] = "Kim,Lead,kim@CORP.example,"	# the contact
	r[2400] = "Cy,Again,,+1 (415) 555-0001"	# Cy by phone, chunk 3
	for (i = 1; i <= 2400; i++)
		print (i in r) ? r[i] : "F" i ",L" i ",lead" i "@filler.example,"
}' >"$T/leads.csv"
cd "$T" || exit 1 # reports name the input as given
expect_code 0 crm-lead import leads.csv
expect_err "repeats fold onto the first lead, across chunks too" <<'X'
crm-lead:leads.csv:3: duplicate of lead 1 (100.00%): updated it
crm-lead:leads.csv:1026: duplicate of lead 1023 (100.00%): updated it
crm-lead:leads.csv:1101: duplicate of lead 1 (100.00%): updated it
crm-lead:leads.csv:1112: duplicate of lead 1 (100.00%): updated it
crm-lead:leads.csv:2050: duplicate of lead 2044 (100.00%): updated it
crm-lead:leads.csv:2061: duplicate of contact 1 (100.00%): skipped
crm-lead:leads.csv:2401: duplicate of lead 1107 (100.00%): updated it
crm-lead: 2393 inserted, 6 updated, 0 unchanged, 0 rejected, 1 skipped
crm-lead: 7 duplicates of leads or contacts already there: 1 skipped, 6 updated
X
sql "SELECT id, first_name, last_name, email, phone FROM leads WHERE id IN (1, 1023, 1107, 2044) OR id > 2392 ORDER BY id"
cat >want <<'X'
1|Di|New|ann@one.example|+1 415 555 0002
1023|Bea|First|bea@last.example|
1107|Cy|Again|cy@old.example|+1 (415) 555-0001
2044|Eve|Next|eve@edge.example|
2393|F2399|L2399|lead2399@filler.example|
X
compare want "$T/sql" "the repeats' values on the first leads"
sql "SELECT count(*) FROM leads"
check "2393 leads" [ "$(cat "$T/sql")" = 2393 ]

# the same file again: every record now a repeat of a lead or the contact
expect_code 0 crm-lead import -q leads.csv
sql "SELECT count(*) FROM leads"
check "a second import adds no lead" [ "$(cat "$T/sql")" = 2393 ]

done_testing
