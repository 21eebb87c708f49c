#!/bin/bash
# make install DESTDIR= PREFIX= puts binaries, man pages, completions and
# share/crm in place; the installed tools run, the README's tour included
# (with nothing from the source tree: PATH, CRM_SHARE and the sample data
# are the installed ones); make uninstall removes them.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/readme.sh"

dest="$T/inst"
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$dest" install
check "make install DESTDIR succeeds" [ $rc -eq 0 ]
p="$dest/usr/local"
for f in bin/crm bin/crm-contact share/man/man1/crm-contact.1 share/man/man1/crm.1 \
	share/bash-completion/completions/crm-contact share/zsh/site-functions/_crm \
	share/fish/vendor_completions.d/crm.fish share/crm/examples/contacts.csv \
	share/crm/examples/nightly.sh share/crm/scoring.json share/man/man5/crm-formats.5 \
	share/man/man7/crm.7; do
	check "installed $f" [ -e "$p/$f" ]
done
check "installed binaries are executable" [ -x "$p/bin/crm-contact" ]
PATH="$p/bin:/usr/bin:/bin" CRM_SHARE="$p/share/crm" expect_code 0 "$p/bin/crm" contact import "$p/share/crm/examples/contacts.csv"
err_has "3048 inserted"
PATH="$p/bin:/usr/bin:/bin" expect_code 0 "$p/bin/crm" help
out_has "contact"
# the tour from the installed tree, in a fresh directory
(
	unset CRM_SHARE CRM_DB
	PATH="$p/bin:/usr/bin:/bin"
	export CRM_SHARE="$p/share/crm"
	readme_tour "$TOP/README.md"
	echo "$tap_n" >"$T/tap_n"
)
tap_n=$(cat "$T/tap_n")
run mandoc -Tascii "$p/share/man/man1/crm-contact.1"
check "installed man page renders" sh -c '[ "$1" -eq 0 ] && grep -q crm-contact "$2"' _ "$rc" "$T/out"
run make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$dest" uninstall
check "make uninstall succeeds" [ $rc -eq 0 ]
left=$(find "$dest" -type f | wc -l)
check "make uninstall leaves no files ($left left)" [ "$left" -eq 0 ]
done_testing
