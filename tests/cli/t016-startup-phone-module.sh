#!/bin/bash
# crm-social region loads libphonenumber through the module crm-phone.so,
# from lib/crm/ next to the binary's bin/ folder (lib/base/phone_load.c):
# it works from the build tree and installed (make install DESTDIR=), and
# a binary without the module exits 78 saying so, writing nothing.
. "$(dirname "$0")/../lib.sh"

expect_code 0 crm-social region --country CN --lang en -f csv 13800138000
cp "$T/out" "$T/want"
check "a region from the build tree" grep -q '^13800138000,+8613800138000,CN,' "$T/want"

# installed: the binary finds the installed module
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$T/inst" install
check "make install DESTDIR succeeds" [ "$rc" -eq 0 ]
check "the module is installed" [ -f "$T/inst/usr/local/lib/crm/crm-phone.so" ]
expect_code 0 "$T/inst/usr/local/bin/crm-social" region --country CN --lang en -f csv 13800138000
compare "$T/want" "$T/out" "the installed crm-social gives the same region"

# the module moved away: 78, the reason, no output
mv "$T/inst/usr/local/lib/crm/crm-phone.so" "$T/crm-phone.so"
expect_code 78 "$T/inst/usr/local/bin/crm-social" region --country CN 13800138000
expect_err "no module: 78 and why" <<X
crm-social: phone regions need crm's module crm-phone.so (libphonenumber), which cannot be loaded: $T/inst/usr/local/lib/crm/crm-phone.so: cannot open shared object file: No such file or directory
X
check "no output" [ ! -s "$T/out" ]
# a file there that is not the module
cp /bin/true "$T/inst/usr/local/lib/crm/crm-phone.so"
expect_code 78 "$T/inst/usr/local/bin/crm-social" region --country CN 13800138000
err_has "crm-social: phone regions need crm's module crm-phone.so (libphonenumber), which cannot be loaded: "
# other verbs of crm-social do not need it
expect_code 0 crm init
expect_code 0 "$T/inst/usr/local/bin/crm-social" list -f csv
expect_out "no identities, no module needed" <<'X'
id,external_id,uid,platform,handle,unionid,app,name,contact_id,lead_id,created_at,updated_at
X
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$T/inst" uninstall
check "make uninstall succeeds" [ "$rc" -eq 0 ]
check "the module's folder is gone" [ ! -e "$T/inst/usr/local/lib/crm" ]
done_testing
