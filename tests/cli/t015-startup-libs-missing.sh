#!/bin/bash
# GMime, libxml2 and pangocairo are loaded when first needed (lib/base/dl.h),
# not at start. Without one (its file named by $CRM_LIBGMIME, $CRM_LIBXML2
# or $CRM_LIBPANGOCAIRO, here a missing one or one that is not it) the
# verb that needs it exits 78 naming the library and its package, and
# writes nothing: mail out, a camt.053 statement, a PDF quote; mail in
# exits 75 as for any failure but bad mail, so the MTA keeps the message
# and tries again once the library is installed.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-11-23T09:00:00Z
export CRM_MAIL_FROM='ACME Support <support@example.com>'
export CRM_SENDMAIL="$T/sendmail -t -oi"
P=(--policies "$DATA/sla-test.json")
M=$DATA/mail
none=$T/none/lib.so
printf '#!/bin/sh\ncat >>"${0%%/*}/sent"\n' >"$T/sendmail"
chmod +x "$T/sendmail"

# mail in: one ticket with the libraries, then none without them
expect_code_in 0 "$M/01-alternative.eml" crm-ticket mail "${P[@]}" -q -f csv
expect_out "with GMime: a ticket" <<'X'
ticket_id,contact_id,action,reason,attachments,dropped
1,1,opened,,0,0
X
db_dump "$CRM_DB" "$T/before"
sed 's/Message-ID: <[^>]*>/Message-ID: <other@example.com>/' "$M/01-alternative.eml" >"$T/new.eml"
CRM_LIBGMIME=$none expect_code_in 75 "$T/new.eml" crm-ticket mail "${P[@]}" -q
expect_err "no GMime: what needs it, its package and why" <<X
crm-ticket: email needs libgmime-3.0.so.0 (Debian package libgmime-3.0-0), which cannot be loaded: $none: cannot open shared object file: No such file or directory
X
check "no output" [ ! -s "$T/out" ]
CRM_LIBXML2=$none expect_code_in 75 "$T/new.eml" crm-ticket mail "${P[@]}" -q
err_has "crm-ticket: email needs libxml2.so.2 (Debian package libxml2), which cannot be loaded"
CRM_LIBGMIME=libc.so.6 expect_code_in 75 "$T/new.eml" crm-ticket mail "${P[@]}" -q
expect_err "not GMime: the first function it lacks" <<'X'
crm-ticket: email needs libgmime-3.0.so.0, but libc.so.6 has no g_date_time_new_from_unix_utc
X
# mail out: the reply is not recorded, nothing is sent
CRM_LIBGMIME=$none expect_code 78 crm-ticket reply "${P[@]}" 1 --send --body 'Hello'
err_has "crm-ticket: email needs libgmime-3.0.so.0"
check "nothing sent" [ ! -e "$T/sent" ]
db_dump "$CRM_DB" "$T/after"
compare "$T/before" "$T/after" "the database is as before"

# a camt.053 statement needs libxml2
D=$DATA/contract
CRM_LIBXML2=$none expect_code 78 crm-contract reconcile "$D/camt053-day1.xml"
err_has "crm-contract: reading camt.053 needs libxml2.so.2 (Debian package libxml2), which cannot be loaded"
CRM_LIBXML2=libc.so.6 expect_code 78 crm-contract reconcile "$D/camt053-day1.xml"
err_has "crm-contract: reading camt.053 needs libxml2.so.2, but libc.so.6 has no xmlFree"

# a PDF quote needs pangocairo; HTML does not
D=$DATA/cpq
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json"
expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-pipeline add --name Deal -q
expect_code 0 crm-quote new --deal Deal --book list --region DE --valid-until 2026-12-31 -q
expect_code 0 crm-quote add-line 1 SEAT --qty 2 -q
CRM_LIBPANGOCAIRO=$none expect_code 78 crm-quote render 1 --output "$T/q.pdf"
err_has "crm-quote: a PDF quote needs libpangocairo-1.0.so.0 (Debian package libpangocairo-1.0-0), which cannot be loaded"
check "no PDF written" [ ! -e "$T/q.pdf" ]
CRM_LIBPANGOCAIRO=$none expect_code 0 crm-quote render 1 --output "$T/q.html"
check "HTML without pangocairo" grep -q '<html' "$T/q.html"
expect_code 0 crm-quote render 1 --output "$T/q.pdf"
check "with pangocairo: a PDF" grep -q '^%PDF-' "$T/q.pdf"
done_testing
