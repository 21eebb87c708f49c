#!/bin/bash
# Start-up (HACKING.md, "Start-up"): no binary loads libpq, GMime, GLib,
# libxml2, Pango or Cairo when it starts; they are loaded when a
# PostgreSQL database is opened, a message parsed or built, a camt.053
# statement read or a PDF drawn; none loads libphonenumber or ICU (crm-social
# loads them with its module crm-phone.so, t016). Every binary loads at most 12 shared
# libraries (sqlite3, jansson, utf8proc, idn2 and unistring, csv, stemmer,
# libm, libc, the loader, the vDSO; 11 today).
. "$(dirname "$0")/../lib.sh"

lazy='libpq\.|libgmime|libglib|libgobject|libgio|libxml2|libpango|libcairo|libssl|libkrb5|libldap'
for b in "$TOP/$BUILD"/bin/crm*; do
	name=${b##*/}
	ldd "$b" >"$T/ldd" 2>&1
	check "$name: ldd reads it" [ $? -eq 0 ]
	grep -E "$lazy" "$T/ldd" >"$T/lazy"
	compare /dev/null "$T/lazy" "$name loads none of libpq, GMime, GLib, libxml2, Pango, Cairo at start"
	grep -E 'libphonenumber|libgeocoding|libicu' "$T/ldd" >"$T/phone"
	compare /dev/null "$T/phone" "$name loads no libphonenumber or ICU"
	# not counted: what ASan and UBSan's runtimes bring (SAN=1)
	n=$(grep -cvE 'libasan|libubsan|libstdc\+\+|libgcc_s|libdl\.|libpthread|librt\.' "$T/ldd")
	check "$name loads at most 12 shared libraries ($n)" [ "$n" -le 12 ]
done
# and every one of them still starts
expect_code 0 crm-contact --version
out_has "crm-contact (crm) "
done_testing
