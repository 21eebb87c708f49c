#!/bin/bash
# crm-lead import on PostgreSQL asks a chunk's duplicate probes only for
# the forms a Bloom filter of the compared table may hold (made once 4,096
# records were read, from the table, then fed the import's own writes):
# repeats of leads there before, of leads new in the import (before and
# after the filter was made, one still held back for a multi-row INSERT
# when it was), by email and by phone, a phone an update gave or took, and
# a contact, are found as they were without the filter. The same on both
# engines (SQLite has no filter: its answers pin the expected ones).
. "$(dirname "$0")/../lib.sh"

printf 'first_name,email\nKim,kim@corp.example\n' >"$T/contacts.csv"
expect_code 0 crm-contact import -q "$T/contacts.csv"
awk 'BEGIN { print "first_name,last_name,email"
	for (i = 1; i <= 50; i++) print "P" i ",Q" i ",old" i "@pre.example" }' \
	>"$T/old.csv"
expect_code 0 crm-lead import -q "$T/old.csv"
# records 1-9000 on lines 2-9001 (chunks of 1,024 on PostgreSQL: the
# filter is made at the fourth, records 3073-4096)
awk 'BEGIN {
	print "first_name,last_name,email,phone"
	r[1] = "Ann,One,ann@one.example,+1 415 555 0001"
	r[3072] = "Tail,Three,tail@three.example,"	# held at the fourth
	r[3100] = "Tail,Again,TAIL@three.example,"
	r[4500] = "Old,Again,OLD7@pre.example,"		# a lead there before
	r[4600] = "Ann,Again,ann@ONE.example,"		# one from chunk 1
	r[4700] = "Ph,One,,+1 (415) 555-0001"		# Ann by phone
	r[4800] = "Kim,Lead,KIM@corp.example,"		# the contact
	r[5000] = "New,Five,new@five.example,+1 415 555 0500"	# after it
	r[5010] = "New,Again,new@FIVE.example,"
	r[6000] = "New,Six,NEW@five.example,+1 415 555 0600"	# new phone
	r[7000] = "Ph,Six,,+1 415 555 0600"	# the phone the update gave
	r[7100] = "Ph,Five,,+1 415 555 0500"	# the one it took: nobody s
	r[9000] = "Z,Last,lead4000@FILLER.example,"	# a filler of chunk 4
	for (i = 1; i <= 9000; i++)
		print (i in r) ? r[i] : "F" i ",L" i ",lead" i "@filler.example,"
}' >"$T/leads.csv"
cd "$T" || exit 1 # reports name the input as given
expect_code 0 crm-lead import leads.csv
expect_err "each repeat folds onto the lead or contact it repeats" <<'X'
crm-lead:leads.csv:3101: duplicate of lead 3122 (100.00%): updated it
crm-lead:leads.csv:4501: duplicate of lead 7 (100.00%): updated it
crm-lead:leads.csv:4601: duplicate of lead 51 (100.00%): updated it
crm-lead:leads.csv:4701: duplicate of lead 51 (100.00%): updated it
crm-lead:leads.csv:4801: duplicate of contact 1 (100.00%): skipped
crm-lead:leads.csv:5011: duplicate of lead 5045 (100.00%): updated it
crm-lead:leads.csv:6001: duplicate of lead 5045 (100.00%): updated it
crm-lead:leads.csv:7001: duplicate of lead 5045 (100.00%): updated it
crm-lead:leads.csv:9001: duplicate of lead 4049 (100.00%): updated it
crm-lead: 8991 inserted, 8 updated, 0 unchanged, 0 rejected, 1 skipped
crm-lead: 9 duplicates of leads or contacts already there: 1 skipped, 8 updated
X
sql "SELECT id, first_name, last_name, email, phone FROM leads WHERE id IN (7, 51, 3122, 4049, 5045) OR first_name = 'Ph' OR id > 9039 ORDER BY id"
cat >want <<'X'
7|Old|Again|OLD7@pre.example|
51|Ph|One|ann@one.example|+1 (415) 555-0001
3122|Tail|Again|TAIL@three.example|
4049|Z|Last|lead4000@filler.example|
5045|Ph|Six|NEW@five.example|+1 415 555 0600
7142|Ph|Five||+1 415 555 0500
9040|F8998|L8998|lead8998@filler.example|
9041|F8999|L8999|lead8999@filler.example|
X
compare want "$T/sql" "the repeats' values on the first leads"
sql "SELECT count(*) FROM leads"
check "9,041 leads" [ "$(cat "$T/sql")" = 9041 ]

# A filter that fills is made again, bigger, from the table (with what
# the import wrote) and fed on: CRM_TEST_BLOOM_ITEMS=1 sizes it for the
# table and twice the records read only (a power of two of bits holds
# 26,214 keys), so 30,000 more records fill the email filter made at
# record 4,096 (13,000 keys then) near record 17,000. Repeats after that of
# leads there before (the first import's), of this import's before and
# after the filter was made, and by phone, are found as without it
# (with the filter made again empty, the first three and the last are
# inserted anew on PostgreSQL).
awk 'BEGIN {
	print "first_name,last_name,email,phone"
	r[10] = "Ten,New,ten@new.example,+1 415 555 1010"
	r[6000] = "Six,New,six@new.example,"
	r[25000] = "Ann,Third,ANN@one.example,"		# lead 51
	r[25100] = "Ten,Again,TEN@new.example,"		# record 10
	r[25200] = "Six,Again,six@NEW.example,"		# record 6000
	r[25300] = "Ph,Ten,,+1 (415) 555-1010"		# record 10 by phone
	r[29900] = "F,Back,lead8998@FILLER.example,"	# lead 9040
	for (i = 1; i <= 30000; i++)
		print (i in r) ? r[i] : "G" i ",M" i ",more" i "@filler.example,"
}' >more.csv
CRM_TEST_BLOOM_ITEMS=1 expect_code 0 crm-lead import more.csv
expect_err "a filter made again: repeats found as before" <<'X'
crm-lead:more.csv:25001: duplicate of lead 51 (100.00%): updated it
crm-lead:more.csv:25101: duplicate of lead 9051 (100.00%): updated it
crm-lead:more.csv:25201: duplicate of lead 15041 (100.00%): updated it
crm-lead:more.csv:25301: duplicate of lead 9051 (100.00%): updated it
crm-lead:more.csv:29901: duplicate of lead 9040 (100.00%): updated it
crm-lead: 29995 inserted, 5 updated, 0 unchanged, 0 rejected
crm-lead: 5 duplicates of leads or contacts already there: updated
X
sql "SELECT count(*) FROM leads"
check "39,036 leads" [ "$(cat "$T/sql")" = 39036 ]

done_testing
