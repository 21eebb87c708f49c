#!/bin/bash
# PostgreSQL folds case and accents as SQLite does (utf8proc there; SQL
# functions from lib/store/pg_fold.h here): crm search, show by name and
# --where FIELD~TEXT over names in many scripts give byte-identical
# output on both engines, and the hand-checked matches. Runs when
# $CRM_TEST_PG names a server (make check-pg).
. "$(dirname "$0")/../lib.sh"

if [ -z "${CRM_TEST_PG:-}" ]; then
	skip "CRM_TEST_PG not set (make check-pg runs this on PostgreSQL)"
	done_testing
	exit 0
fi
name="crm_t099f_$$_$(date +%s)"
case $CRM_TEST_PG in
*://*\?*) PGDB="$CRM_TEST_PG&dbname=$name" ;;
*://*) PGDB="$CRM_TEST_PG?dbname=$name" ;;
*) PGDB="$CRM_TEST_PG dbname=$name" ;;
esac
psql_admin() { psql "$CRM_TEST_PG" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
trap 'main_shell && { psql_admin "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$T"; }' EXIT
check "create the test database $name" psql_admin "CREATE DATABASE $name"

cat >"$T/contacts.csv" <<'X'
first_name,last_name,email
Jürgen,Müller,jm@example.com
Zoë,O'Brien,zoe@example.com
Hans,Straße,hs@example.com
Ayşe,İstanbullu,ay@example.com
Σοφία,Παπαδοπούλου,sp@example.com
Ёлка,Москвина,em@example.com
François,Çelik,fc@example.com
Nguyễn,Thị Minh,nt@example.com
Anders,Ångström,aa@example.com
Lech,Łódź,ll@example.com
Antonín,Dvořák,ad@example.com
José María,Aznar-López,ja@example.com
伟,王,wang@example.com
ガ,タロウ,ga@example.com
राम,नमस्ते,rn@example.com
முருகன்,தமிழ்,mt@example.com
Ĳsbrand,Ĳssel,ij@example.com
Hugo,Waﬄe,hw@example.com
Σίσυφος,Κορινθίου,sk@example.com
X
# queries as people type them: no accents, other case, other forms
cat >"$T/queries" <<'X'
muller
MÜLLER
MULLER
o brien
strasse
STRASSE
istanbullu
ISTANBULLU
σοφια
ΣΟΦΊΑ
παπαδοπουλου
москвина
ёлка
елка
celik
CELIK
nguyen
thi minh
angstrom
lodz
dvorak
DVOŘÁK
jose maria
aznar lopez
王
タロウ
ガ
नमस्ते
தமிழ்
ijssel
waffle
σισυφοσ
ΣΊΣΥΦΟΣ
nobody
X

run_all() {
	engine=$1 CRM_DB=$2
	export CRM_DB
	out=$T/$engine.out
	: >"$out"
	expect_code 0 crm init
	expect_code_in 0 "$T/contacts.csv" crm-contact import -q
	while IFS= read -r q; do
		run crm search "$q"
		{ echo "== search $q: $rc"; cat "$T/out"; } >>"$out"
		run crm-contact show "$q" -f csv --fields id
		{ echo "== show $q: $rc"; cat "$T/out"; } >>"$out"
		run crm-contact list -f csv --fields id --where "last_name~$q"
		{ echo "== where last_name~$q: $rc"; cat "$T/out"; } >>"$out"
	done <"$T/queries"
}
run_all sqlite "$T/lite.db"
run_all pg "$PGDB"
compare "$T/sqlite.out" "$T/pg.out" "search, show and ~ fold alike on SQLite and PostgreSQL"

# by hand, on PostgreSQL
CRM_DB=$PGDB
expect_code 0 crm search muller
expect_out "muller finds Müller" <<'X'
noun,id,name,matched,value
contacts,1,Jürgen Müller,name,Jürgen Müller
X
expect_code 0 crm search 'ΣΟΦΊΑ'
expect_out "Greek capitals with a tonos find σοφία" <<'X'
noun,id,name,matched,value
contacts,5,Σοφία Παπαδοπούλου,name,Σοφία Παπαδοπούλου
X
expect_code 0 crm-contact show 'Ayse Istanbullu' -f csv --fields id,email
expect_out "a dotted capital İ and ş by name" <<'X'
id,email
4,ay@example.com
X
expect_code 0 crm-contact list -f csv --fields id --where 'last_name~STRASSE'
expect_out "~ folds ß to ss" <<'X'
id
3
X
expect_code 0 crm search 'waffle'
expect_out "a ligature is its letters" <<'X'
noun,id,name,matched,value
contacts,18,Hugo Waﬄe,name,Hugo Waﬄe
X
expect_code 0 crm search 'नमस्ते'
expect_out "Devanagari keeps its vowel signs and virama" <<'X'
noun,id,name,matched,value
contacts,15,राम नमस्ते,name,राम नमस्ते
X
expect_code 1 crm search nobody
done_testing
