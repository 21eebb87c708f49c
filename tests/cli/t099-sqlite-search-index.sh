#!/bin/bash
# crm search --reindex (SQLite only: the index is an FTS5 trigram table;
# t099-pg-search-index checks PostgreSQL's refusal): every search and show
# by name gives what a scan gives, before and after the index, and after
# imports, updates, deletes and undo made since it was built (read from
# the ids above it and the change log); a write behind crm's back (the
# sqlite3 shell) is seen after --reindex only, which shows the index is
# what answers; --drop-index, --dry-run, the usage errors.
. "$(dirname "$0")/../lib.sh"

cat >"$T/in" <<'X'
external_id,name,domain
co-1,Acme GmbH,acme.example
co-2,长城集团有限公司,greatwall.example
X
expect_code_in 0 "$T/in" crm-company import -q
cat >"$T/in" <<'X'
first_name,last_name,email,phone,company
Jürgen,Müller,jm@acme.example,+49 30 1234567,Acme GmbH
Ann,Lee,ann@lee.example,,
伟,王,wang@greatwall.example,,长城集团有限公司
Zora,Quillfeather,zora@quill.example,+44 20 7946 0000,"Quill ""& Ink"""
Ann,Leeway,leeway@example.org,+44 20 7946 0001,
X
expect_code_in 0 "$T/in" crm-contact import -q
cat >"$T/in" <<'X'
first_name,last_name,email,phone,company
Zoe,Park,zoe@park.example,+1 415 555 0142,Parkside Ltd
Ann,Quillon,ann@quillon.example,,Müller AG
X
expect_code_in 0 "$T/in" crm-lead import -q

# the searches compared: names, accents, case, emails, phones written
# any way, CJK, quotes, two characters (under a trigram), nothing
queries=(müller MULLER ann lee quill "Quill \"& Ink" "@acme.example"
	"+44 20 7946 0000" "020 7946 0001" 7946 "415-555-0142" 长城集团 王
	zz "&" park "müller ag")
# search_all FILE: every query, unlimited and --limit 1, with exit codes
search_all() {
	: >"$1"
	for q in "${queries[@]}"; do
		for l in "" --limit=1; do
			run crm search $l -- "$q"
			{ echo "== $q $l: $rc"; cat "$T/out"; } >>"$1"
		done
	done
	for k in "Ann Lee" lee Quillfeather "ann quillon" "müller ag"; do
		for n in contact lead; do
			run crm-$n show "$k"
			{ echo "== show $n $k: $rc"; cat "$T/out" "$T/err"; } >>"$1"
		done
	done
}
# the same database without its index answers by scanning
scan_all() {
	cp "$CRM_DB" "$T/scan.db"
	rm -f "$T/scan.db-wal" "$T/scan.db-shm"
	CRM_DB=$T/scan.db run crm search --drop-index
	CRM_DB=$T/scan.db search_all "$1"
}

search_all "$T/before"
check "the scan finds what it should" grep -q "contacts,4,Zora Quillfeather,company" "$T/before"
expect_code 0 crm search --reindex
expect_err "the index is made over contacts, companies and leads" <<'X'
crm: search index: 5 contacts, 3 companies, 2 leads
X
sql "SELECT noun, max_id, through_change FROM crm_search_state ORDER BY noun"
cat >"$T/want" <<'X'
companies|3|0
contacts|5|0
leads|2|0
X
compare "$T/want" "$T/sql" "the state: highest id and change set covered"
search_all "$T/after"
compare "$T/before" "$T/after" "every search and show by name: the same with the index"

# a write behind crm's back is not in the index: the answer is the index's
sqlite3 "$CRM_DB" "UPDATE contacts SET last_name = 'Xylophone' WHERE id = 2"
expect_code 1 crm search xylophone
check "the index answers (a write it did not see is not found)" \
	sh -c "! grep -q Xylophone '$T/out'"
expect_code 0 crm search --limit 1 ann
out_has "contacts,2,Ann Xylophone,name,Ann Xylophone"
expect_code 0 crm search -q --reindex xylophone
expect_out "--reindex sees it, then searches" <<'X'
noun,id,name,matched,value
contacts,2,Ann Xylophone,name,Ann Xylophone
X

# what crm wrote since the build: read from the ids above it and the log
cat >"$T/in" <<'X'
first_name,last_name,email
Quinn,Quillby,quinn@new.example
X
expect_code_in 0 "$T/in" crm-contact import -q
expect_code 0 crm-contact update 1 --last-name Mueller-Quill
expect_code 0 crm-company update 1 --name "Quillmark Holdings"
expect_code 0 crm-contact delete 3
expect_code 0 crm-contact delete 5
change=$(sqlite3 "$CRM_DB" "SELECT max(id) FROM crm_changes")
expect_code 0 crm-contact undo "$change"
cat >"$T/in" <<'X'
first_name,last_name,email,phone,company
Zoe,Parkinson,zoe@park.example,,Parkside Ltd
X
expect_code_in 0 "$T/in" crm-lead import -q
queries+=(quillby quill mueller "mueller-quill" müller holdings acme 王 "伟 王"
	leeway parkinson 7946)
search_all "$T/after"
scan_all "$T/scan"
compare "$T/scan" "$T/after" "after import, update, delete and undo: what a scan gives"
check "the new contact is found" grep -q "contacts,6,Quinn Quillby" "$T/after"
check "the renamed company is found" grep -q "companies,1,Quillmark Holdings" "$T/after"
check "the undone delete is back" grep -q "contacts,5,Ann Leeway" "$T/after"
check "the deleted contact is gone" sh -c "! grep -q 'contacts,3,' '$T/after'"
check "the old name is not found" sh -c "! grep -q 'contacts,1,Jürgen Müller' '$T/after'"

# --refresh adds to the index what it had not seen: the new contact 6,
# the renamed contact 1 and company 1, contact 5 restored by the undo
# (contact 3 is gone), the lead the import updated; then the state
# covers them, so the index alone answers for them
expect_code 0 crm search --refresh
expect_err "only what was written since" <<'X'
crm: search index: 3 contacts, 1 companies, 1 leads added
X
maxchange=$(sqlite3 "$CRM_DB" "SELECT max(id) FROM crm_changes")
sql "SELECT noun, max_id, through_change FROM crm_search_state ORDER BY noun"
cat >"$T/want" <<X
companies|3|$maxchange
contacts|6|$maxchange
leads|2|$maxchange
X
compare "$T/want" "$T/sql" "the state covers every change set"
search_all "$T/refreshed"
compare "$T/scan" "$T/refreshed" "after --refresh: what a scan gives"
sqlite3 "$CRM_DB" "UPDATE contacts SET last_name = 'Zyzzyva' WHERE id IN (1, 6)"
expect_code 1 crm search zyzzyva
check "the refreshed records are the index's (a write it did not see is not found)" \
	sh -c "! grep -q Zyzzyva '$T/out'"
expect_code 1 crm search --refresh zyzzyva
expect_err "a write without an audit row is not refreshed" <<'X'
crm: search index: 0 contacts, 0 companies, 0 leads added
X
check "nor found" sh -c "! grep -q Zyzzyva '$T/out'"
db_dump "$CRM_DB" "$T/r1"
expect_code 0 crm search --refresh --dry-run
db_dump "$CRM_DB" "$T/r2"
compare "$T/r1" "$T/r2" "--refresh --dry-run leaves the database as it was"
# a retired index (crm sync's pull) and no index at all: made whole
sqlite3 "$CRM_DB" "DELETE FROM crm_search_state WHERE noun = 'contacts'"
expect_code 0 crm search --refresh zyzzyva
expect_err "a retired noun is made again" <<'X'
crm: search index: 5 contacts, 0 companies, 0 leads added
X
expect_out "and finds what the shell wrote" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Zyzzyva,name,Jürgen Zyzzyva
contacts,6,Quinn Zyzzyva,name,Quinn Zyzzyva
X
cp "$CRM_DB" "$T/fresh.db"
rm -f "$T/fresh.db-wal" "$T/fresh.db-shm"
CRM_DB=$T/fresh.db expect_code 0 crm search --drop-index
CRM_DB=$T/fresh.db expect_code 0 crm search --refresh
expect_err "no index: made whole" <<'X'
crm: search index: 5 contacts, 3 companies, 2 leads added
X
sqlite3 "$CRM_DB" "UPDATE contacts SET last_name = 'Quillby' WHERE id = 6"
expect_code 0 crm search -q --reindex

# another writer holds the lock: --reindex exits 75 past the busy
# timeout and leaves the index as it was; a search still answers from it
sql "SELECT noun, max_id, through_change FROM crm_search_state ORDER BY noun"
cp "$T/sql" "$T/state"
mkfifo "$T/fifo"
sqlite3 -batch "$CRM_DB" <"$T/fifo" >"$T/holder" 2>&1 &
holder=$!
exec 3>"$T/fifo"
echo "BEGIN IMMEDIATE; SELECT 'held';" >&3
for _ in $(seq 1 100); do grep -q held "$T/holder" && break; sleep 0.05; done
CRM_BUSY_TIMEOUT=200 expect_code 75 crm search --reindex
err_has "database is busy"
expect_code 0 crm search quillby
out_has "contacts,6,Quinn Quillby"
echo "COMMIT;" >&3
exec 3>&-
wait $holder
sql "SELECT noun, max_id, through_change FROM crm_search_state ORDER BY noun"
compare "$T/state" "$T/sql" "a refused --reindex leaves the index as it was"

# --dry-run makes nothing; --drop-index removes it; errors
expect_code 0 crm search --drop-index
expect_err "removed" <<'X'
crm: search index removed
X
expect_code 0 crm search --drop-index
expect_err "nothing to remove" <<'X'
crm: no search index to remove
X
db_dump "$CRM_DB" "$T/d1"
expect_code 0 crm search --reindex --dry-run
err_has "(dry run: not kept)"
db_dump "$CRM_DB" "$T/d2"
compare "$T/d1" "$T/d2" "--dry-run leaves the database as it was"
expect_code 64 crm search --reindex --drop-index
err_has "crm: search: one of --reindex, --refresh and --drop-index"
db_dump "$CRM_DB" "$T/d3"
compare "$T/d1" "$T/d3" "a refused call writes nothing"
expect_code 64 crm search --refresh --reindex
err_has "crm: search: one of --reindex, --refresh and --drop-index"
expect_code 64 crm search --refresh --drop-index
err_has "crm: search: one of --reindex, --refresh and --drop-index"
db_dump "$CRM_DB" "$T/d3"
compare "$T/d1" "$T/d3" "a refused --refresh writes nothing"
expect_code 64 crm search
err_has "no text given"
done_testing
