#!/bin/sh
# demo.sh - the main job on sample data: a fresh database in the build
# folder, the sample company imported, and a look at what is there.
# Run by "make demo"; BUILD names the build folder.
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-build}
PATH="$top/$BUILD/bin:$PATH"
ex="$top/share/crm/examples"
export CRM_DB="$top/$BUILD/demo.db" CRM_SHARE="$top/share/crm"
rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"

echo "== crm init"
crm init
echo "== crm-contact import $ex/contacts.csv"
crm-contact import "$ex/contacts.csv"
echo "== the same file again: nothing changes"
crm-contact import "$ex/contacts.csv"
echo "== customers in Japan"
crm-contact list -f table -w country=JP -w lifecycle_stage=customer --limit 5
echo "== one contact, as JSON"
crm-contact show crm-42 -f json
echo "== tag the VIPs in Berlin, then undo it"
crm-contact tag add berlin-vip -w city=Berlin -w tags=vip
change=$(sqlite3 "$CRM_DB" 'SELECT max(id) FROM crm_changes')
crm-contact undo "$change"
echo
echo "The database is $CRM_DB; try: CRM_DB=$CRM_DB $BUILD/bin/crm-contact list"
