#!/bin/bash
# make install DESTDIR= PREFIX= puts binaries, man pages, completions and
# share/crm in place; the installed tools run; make uninstall removes them.
. "$(dirname "$0")/../lib.sh"

dest="$T/inst"
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$dest" install
check "make install DESTDIR succeeds" [ $rc -eq 0 ]
p="$dest/usr/local"
for f in bin/crm bin/crm-contact share/man/man1/crm-contact.1 share/man/man1/crm.1 \
	share/bash-completion/completions/crm-contact share/zsh/site-functions/_crm \
	share/fish/vendor_completions.d/crm.fish share/crm/examples/contacts.csv; do
	check "installed $f" [ -e "$p/$f" ]
done
check "installed binaries are executable" [ -x "$p/bin/crm-contact" ]
PATH="$p/bin:/usr/bin:/bin" CRM_SHARE="$p/share/crm" expect_code 0 "$p/bin/crm" contact import "$p/share/crm/examples/contacts.csv"
err_has "300 inserted"
PATH="$p/bin:/usr/bin:/bin" expect_code 0 "$p/bin/crm" help
out_has "contact"
run mandoc -Tascii "$p/share/man/man1/crm-contact.1"
check "installed man page renders" [ $rc -eq 0 ] && grep -q "crm-contact" "$T/out"
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$dest" uninstall
check "make uninstall succeeds" [ $rc -eq 0 ]
left=$(find "$dest" -type f | wc -l)
check "make uninstall leaves no files ($left left)" [ "$left" -eq 0 ]
done_testing
