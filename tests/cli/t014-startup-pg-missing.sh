#!/bin/bash
# libpq is loaded when a PostgreSQL target is opened, not at start (lib/store
# store_pg.c, lib/base/dl.h). Without it (or with a file that is not libpq,
# named by $CRM_LIBPQ) a PostgreSQL target exits 78 with a message naming
# libpq and its package, and prints nothing; SQLite works as before. With
# it, a server that is not there is the usual "cannot connect" (66).
. "$(dirname "$0")/../lib.sh"

url=postgresql://127.0.0.1:1/crm
lite=$T/lite.db # a SQLite file, also when the suite runs on PostgreSQL
expect_code 0 crm-contact add -q --db "$lite" --first-name Ann --email ann@example.com

CRM_LIBPQ=$T/none/libpq.so.5 expect_code 78 crm-contact list --db "$url"
expect_err "no libpq: what needs it, its package and why it failed" <<X
crm-contact: PostgreSQL needs libpq.so.5 (Debian package libpq5), which cannot be loaded: $T/none/libpq.so.5: cannot open shared object file: No such file or directory
X
check "no output" [ ! -s "$T/out" ]
CRM_LIBPQ=$T/none/libpq.so.5 expect_code 78 crm init --db "$url"
err_has "crm: PostgreSQL needs libpq.so.5 (Debian package libpq5), which cannot be loaded"
CRM_LIBPQ=$T/none/libpq.so.5 expect_code 78 crm-ticket mail --db "$url" -q <"$DATA/mail/01-alternative.eml"
err_has "PostgreSQL needs libpq.so.5"

# a library that loads but is not libpq: the first function it lacks
CRM_LIBPQ=libc.so.6 expect_code 78 crm-contact list --db "$url"
expect_err "not libpq: the function it lacks" <<'X'
crm-contact: PostgreSQL needs libpq.so.5, but libc.so.6 has no PQcancel
X
# a key=value target is PostgreSQL too
CRM_LIBPQ=$T/none/libpq.so.5 expect_code 78 crm-company list --db "host=127.0.0.1 port=1"
err_has "PostgreSQL needs libpq.so.5"

# SQLite never needs it: reads and writes as before
export CRM_LIBPQ=$T/none/libpq.so.5
expect_code 0 crm-contact list --db "$lite" --fields first_name,email -f csv
expect_out "a SQLite read without libpq" <<'X'
first_name,email
Ann,ann@example.com
X
expect_code 0 crm-contact add -q --db "$lite" --first-name Bob
expect_code 0 crm-contact list --db "$lite" --fields first_name -f csv
expect_out "a SQLite write without libpq" <<'X'
first_name
Ann
Bob
X
unset CRM_LIBPQ

# with libpq: loaded, and the missing server is the usual error
expect_code 66 crm-contact list --db "$url"
err_has "crm-contact: cannot connect to '$url': "
done_testing
