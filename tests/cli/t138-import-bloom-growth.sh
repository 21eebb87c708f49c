#!/bin/bash
# An import's Bloom filters of the keys (lib/entity/entity_write.c) double
# when they hold the keys they were sized for, filled again from the
# table. CRM_BLOOM_BITS (a test hook) starts them at 1024 bits (about a
# hundred keys), so an import of 9,000 records crosses several growth
# points; every duplicate of a record written before, during or after a
# growth must still find that record: by external_id and by email, and a
# second import of every record in reverse order only updates.
. "$(dirname "$0")/../lib.sh"

{
	echo "external_id,email,title"
	for i in $(seq 1 8000); do
		echo "x$i,e$i@x.example,T$i"
	done
	# the same records again: by email only (every 8th record) and by
	# external_id only (every 8th, others), so the filters answer for
	# keys written long before and just before each growth
	for i in $(seq 8 8 4000); do
		echo ",E$i@X.example,U$i"
	done
	for i in $(seq 4005 8 8000); do
		echo "x$i,,V$i"
	done
} >"$T/a.csv"
CRM_BLOOM_BITS=1024 run crm-contact import "$T/a.csv"
check "import exits 0" [ "$rc" -eq 0 ]
err_has "8000 inserted, 1000 updated, 0 unchanged"
sql "SELECT count(*), count(DISTINCT email_key), count(CASE WHEN title LIKE 'U%' THEN 1 END), count(CASE WHEN title LIKE 'V%' THEN 1 END) FROM contacts"
echo "8000|8000|500|500" >"$T/want"
compare "$T/want" "$T/sql" "every duplicate found across the growths: 8,000 contacts, 1,000 updated"
sql "SELECT external_id, email, title FROM contacts WHERE id IN (8, 4000, 4005, 8000) ORDER BY id"
cat >"$T/want" <<'EOF'
x8|E8@x.example|U8
x4000|E4000@x.example|U4000
x4005|e4005@x.example|V4005
x8000|e8000@x.example|T8000
EOF
compare "$T/want" "$T/sql" "the updates landed on the records they name"
sql "SELECT id, external_id, email, email_key, title FROM contacts ORDER BY id"
cp "$T/sql" "$T/grown"

# a second load of every record, newest first: all found, none inserted
# (the filters are built from the 8,000-row table, then grow)
{
	echo "external_id,email,title"
	for i in $(seq 8000 -1 1); do
		echo "x$i,e$i@x.example,W$i"
	done
} >"$T/b.csv"
CRM_BLOOM_BITS=1024 run crm-contact import "$T/b.csv"
check "second import exits 0" [ "$rc" -eq 0 ]
err_has "0 inserted, 8000 updated, 0 unchanged"

# the same input without the hook (filters sized for a million keys, so
# never grown) writes the same rows
db_fresh
CRM_BLOOM_BITS= run crm-contact import "$T/a.csv"
check "import without the hook exits 0" [ "$rc" -eq 0 ]
err_has "8000 inserted, 1000 updated, 0 unchanged"
sql "SELECT id, external_id, email, email_key, title FROM contacts ORDER BY id"
compare "$T/grown" "$T/sql" "the same rows with the filters grown from 1024 bits as sized at once"
done_testing
