#!/bin/bash
# render: one self-contained HTML page and a PDF (Pango and Cairo, fonts
# embedded) from templates the user can change; Chinese, Japanese and
# accented text come out as text (pdftotext); a page renders to an image
# (pdftoppm); bad templates are 78, an existing file 73.
. "$(dirname "$0")/../lib.sh"
D="$DATA/cpq"
export CRM_PRICING="$D/pricing.json" CRM_TAXES="$D/taxes.json" \
	CRM_NOW=2026-02-10T09:00:00Z

expect_code 0 crm-product import -q "$D/products.csv"
expect_code 0 crm-product update SEAT --name '席位许可 シート Séance' -q
expect_code 0 crm-company add --name 'Müller 北京 株式会社' -q
expect_code 0 crm-pipeline add --name 'Ärger' --set company='Müller 北京 株式会社' -q
expect_code 0 crm-quote new --deal 'Ärger' --book list --region DE --valid-until 2026-03-31 -q
expect_code 0 crm-quote add-line 1 SEAT --qty 11 -q
expect_code 0 crm-quote add-line 1 'SHIRT' --attr 'colour=gold' -q

expect_code 0 crm-quote render 1 --output "$T/q.html"
err_has "wrote $T/q.html (quote 1, HTML)"
check "HTML: the account" grep -q 'Müller 北京 株式会社' "$T/q.html"
check "HTML: a line" grep -q '席位许可 シート Séance' "$T/q.html"
check "HTML: the total (109.00 at 19% + 22.00 at 7%: 153.25)" grep -q "<b>153.25</b>" "$T/q.html"
check "HTML: self-contained (no external resources)" sh -c '! grep -Eq "(src|href)=\"?https?:" "$1"' _ "$T/q.html"

if command -v pdftotext >/dev/null; then
	expect_code 0 crm-quote render 1 --output "$T/q.pdf"
	check "PDF: a PDF" sh -c 'head -c 5 "$1" | grep -q "%PDF-"' _ "$T/q.pdf"
	pdftotext -layout "$T/q.pdf" "$T/q.txt"
	check "PDF text: the account in Chinese, Japanese and German" grep -q 'Müller 北京 株式会社' "$T/q.txt"
	check "PDF text: the line's name" grep -q '席位许可 シート Séance' "$T/q.txt"
	check "PDF text: the quote and its validity" grep -q 'Valid until: 2026-03-31' "$T/q.txt"
	check "PDF text: the total" grep -Eq 'Total EUR +153.25' "$T/q.txt"
	pdffonts "$T/q.pdf" >"$T/fonts"
	check "PDF: every font embedded" sh -c 'awk "NR > 2 && \$(NF-4) != \"yes\"" "$1" | grep -q . && exit 1; exit 0' _ "$T/fonts"
	check "PDF: a CJK font embedded" grep -q 'WenQuanYi' "$T/fonts"
	pdftoppm -png -r 40 -f 1 -l 1 "$T/q.pdf" "$T/page"
	check "PDF: page 1 renders to an image" [ -s "$T/page-1.png" ]
	expect_code 73 crm-quote render 1 --output "$T/q.pdf"
	expect_code 0 crm-quote render 1 --output "$T/q.pdf" --force
	# a template of one's own
	printf '@font DejaVu Sans 12\n<b>Angebot {{id}}</b> für {{account}}\n{{#lines}}{{sku}}\t{{amount}}\n{{/lines}}Summe {{total}}\n' >"$T/my.pango"
	expect_code 0 crm-quote render 1 --output "$T/my.pdf" --template "$T/my.pango"
	pdftotext "$T/my.pdf" "$T/my.txt"
	check "PDF from a template of one's own" grep -q 'Angebot 1 für Müller 北京 株式会社' "$T/my.txt"
	check "its lines" grep -q 'SHIRT' "$T/my.txt"
	printf '<b>unclosed {{id}}\n' >"$T/bad.pango"
	expect_code 78 crm-quote render 1 --output "$T/bad.pdf" --template "$T/bad.pango"
	check "a bad template writes no file" [ ! -e "$T/bad.pdf" ]
else
	skip "pdftotext is not installed (poppler-utils, make check installs it)"
fi
printf '{{#lines}}{{sku}}\n' >"$T/bad.html"
expect_code 78 crm-quote render 1 --output "$T/x.html" --template "$T/bad.html"
err_has "{{#lines}} without {{/lines}}"
expect_code 64 crm-quote render 1
expect_code 66 crm-quote render 7 --output "$T/x.html"
done_testing
