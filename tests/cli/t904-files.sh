#!/bin/bash
# Files: the database, its -wal and -shm are 0600 (folders 0700) whatever
# the umask; reject and model files are never written over without
# --force, nor through a symbolic link even with it; a symbolic link in the
# database path (the file, a folder, its -wal or -shm) is refused with exit
# 73 and a message naming it, and nothing is written where it points.
. "$(dirname "$0")/../lib.sh"

mode() { stat -c %a "$1"; }

# permissions, with a umask that would give everything away
umask 000
export CRM_DB="$T/new/deeper/crm.db"
expect_code 0 crm-contact add -q --first-name Ann --email ann@example.com
check "database 0600 under umask 000" [ "$(mode "$CRM_DB")" = 600 ]
check "created folders 0700" [ "$(mode "$T/new") $(mode "$T/new/deeper")" = "700 700" ]
# -wal and -shm exist while a writer runs: kill one part way to keep them
sh "$TOP/tests/bench/gen-contacts.sh" 100000 >"$T/big.csv"
crm-contact import -q "$T/big.csv" &
pid=$!
for _ in $(seq 1 100); do [ -e "$CRM_DB-wal" ] && [ -e "$CRM_DB-shm" ] && break; sleep 0.02; done
kill -9 $pid; wait $pid 2>/dev/null
check "-wal is 0600" [ "$(mode "$CRM_DB-wal")" = 600 ]
check "-shm is 0600" [ "$(mode "$CRM_DB-shm")" = 600 ]
expect_code 0 crm-contact list --ids
check "the killed import left nothing behind (1 contact)" [ "$(cat "$T/out")" = 1 ]
expect_code 0 crm init --db "$T/init.db"
check "crm init: 0600" [ "$(mode "$T/init.db")" = 600 ]
umask 022

# reject files: 73 without --force, replaced with it, never through a link
printf 'name,employees\nGood,3\nBad,x\n' >"$T/co.csv"
echo old >"$T/rej.csv"
expect_code 73 crm-company import --reject "$T/rej.csv" "$T/co.csv"
err_has "crm-company: '$T/rej.csv' exists; --force replaces it"
check "the reject file is untouched" [ "$(cat "$T/rej.csv")" = old ]
expect_code 0 crm-company list --ids -w name=Good
check "... and nothing was imported" [ ! -s "$T/out" ]
expect_code 3 crm-company import -q --reject "$T/rej.csv" --force "$T/co.csv"
printf '%s\n' name,employees,error_line,error "Bad,x,3,\"employees: expected an integer, got 'x'\"" >"$T/want"
compare "$T/want" "$T/rej.csv" "--force replaces the reject file"
printf '{"type":"call","contact_id":1}\n{"type":"call","contact_id":99}\n' >"$T/ev.ndjson"
echo old >"$T/rej.ndjson"
expect_code 73 crm-activity import --reject "$T/rej.ndjson" "$T/ev.ndjson"
err_has "exists; --force replaces it"
check "crm-activity: the reject file is untouched" [ "$(cat "$T/rej.ndjson")" = old ]
echo precious >"$T/target"
ln -s "$T/target" "$T/link.csv"
expect_code 73 crm-company import --reject "$T/link.csv" --force "$T/co.csv"
err_has "cannot create '$T/link.csv'"
check "a reject file that is a symbolic link is not followed, even with --force" [ "$(cat "$T/target")" = precious ]
expect_code 73 crm-company import --reject "$T/link.csv" "$T/co.csv"

# model files
D="$DATA/score-eight.csv"
echo old >"$T/m.json"
expect_code_in 73 "$D" crm-score train --stdin --target 'Won?' --min-count 3 --folds 0 --model "$T/m.json"
check "model not written over without --force" [ "$(cat "$T/m.json")" = old ]
expect_code_in 73 "$D" crm-score train --stdin --target 'Won?' --min-count 3 --folds 0 --model "$T/link.csv" --force
check "a model path that is a symbolic link is not followed" [ "$(cat "$T/target")" = precious ]

# symbolic links in the database path
export CRM_DB="$T/real.db"
expect_code 0 crm-contact add -q --first-name Real
cp "$CRM_DB" "$T/real.copy"
ln -s "$T/real.db" "$T/link.db"
expect_code 73 crm-contact list --db "$T/link.db"
err_has "cannot open database '$T/link.db': '$T/link.db' is a symbolic link, which crm does not follow (give the real path)"
expect_code 73 crm-contact add --db "$T/link.db" --first-name Via
CRM_DB="$T/link.db" expect_code 73 crm-contact add --first-name Via
check "nothing was written through the link" cmp -s "$T/real.db" "$T/real.copy"
ln -s "$T/nowhere.db" "$T/dangling.db"
expect_code 73 crm-contact add --db "$T/dangling.db" --first-name Via
check "a dangling link is not followed to create its target" [ ! -e "$T/nowhere.db" ]
mkdir "$T/realdir"
ln -s "$T/realdir" "$T/linkdir"
expect_code 73 crm-contact add --db "$T/linkdir/x.db" --first-name Via
err_has "folder '$T/linkdir' is a symbolic link"
check "nothing created in the folder behind the link" [ -z "$(ls "$T/realdir")" ]
(cd "$T" && expect_code 73 crm-contact add --db linkdir/../real.db --first-name Via)
err_has "folder 'linkdir' is a symbolic link"
# a planted -wal or -shm link next to a real database
echo precious >"$T/target"
ln -s "$T/target" "$T/w.db-wal"
expect_code 73 crm-contact add --db "$T/w.db" --first-name W
err_has "'$T/w.db-wal' is a symbolic link"
check "the -wal link's target is untouched" [ "$(cat "$T/target")" = precious ]
check "and no database was created beside it" [ ! -e "$T/w.db" ]
ln -s "$T/target" "$T/real.db-shm"
expect_code 73 crm-contact list
err_has "'$T/real.db-shm' is a symbolic link"
rm "$T/real.db-shm"
# the real paths work
expect_code 0 crm-contact list --ids --db "$T/real.db"
expect_code 0 crm-contact add -q --db "$T/realdir/x.db" --first-name Real
done_testing
