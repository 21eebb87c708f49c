#!/bin/bash
# The power map as a self-contained HTML page (inline SVG, no scripts, no
# outside resources), loaded and drawn by headless Chromium: one box per
# person, boxes coloured by attitude, names escaped, the gaps listed.
. "$(dirname "$0")/../lib.sh"
export CRM_NOW=2026-03-01T09:00:00Z

expect_code 0 crm-company add --name 'Acme <Group> & Co' --ids
cat >"$T/c.csv" <<'X'
first_name,last_name,email,company,title,reports_to,owner
Ann,Boss,ann@acme.com,Acme <Group> & Co,CEO,,kim
Bob,Mid,bob@acme.com,Acme <Group> & Co,CFO,ann@acme.com,kim
Dee,"<b>Adams</b>",dee@acme.com,Acme <Group> & Co,IT head,bob@acme.com,lee
X
expect_code 0 crm-contact import "$T/c.csv"
expect_code 0 crm-pipeline add --name 'Acme platform' --set company=1 --set stage=proposal --ids
expect_code 0 crm-pipeline role add 1 ann@acme.com --role decision_maker --attitude supporter --influence high
expect_code 0 crm-pipeline role add 1 bob@acme.com --role economic_buyer --attitude supporter
expect_code 0 crm-pipeline role add 1 dee@acme.com --role technical_evaluator --attitude opponent --influence high
expect_code 1 crm-pipeline powermap 1 --html --check
cp "$T/out" "$T/pm.html"
out_has '<!DOCTYPE html>'
out_has '<svg xmlns="http://www.w3.org/2000/svg" id="powermap"'
out_has 'Dee &lt;b&gt;Adams&lt;/b&gt;, IT head'
out_has '<li class="gap">deal 1 (Acme platform) is past qualification with no champion</li>'
out_has '<li class="gap">Dee &lt;b&gt;Adams&lt;/b&gt; (contact 3): opponent with high influence</li>'
check "no script, no external resource" sh -c "! grep -Eiq '<script|src=|href=|@import|url\\(' '$T/pm.html'"
check "three people" [ "$(grep -c '<g class="person"' "$T/pm.html")" -eq 3 ]
check "two reporting lines" [ "$(grep -c '<path class="line"' "$T/pm.html")" -eq 2 ]

if ! command -v chromium >/dev/null; then
	not_ok "chromium is not installed (make deps installs it)"
	done_testing
	exit 0
fi
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$T/chrome" "$@" \
		2>"$T/chrome.err"
}
chrome --dump-dom "$T/pm.html" >"$T/dom.html"; rc=$?
check "chromium loads the page" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/dom.html"
grep -o '<g class="person" data-contact="[0-9]*">' "$T/dom.html" >"$T/people"
cat >"$T/want" <<'X'
<g class="person" data-contact="1">
<g class="person" data-contact="2">
<g class="person" data-contact="3">
X
compare "$T/want" "$T/people" "the DOM has the people in reporting order"
grep -o '<rect [^>]*>' "$T/dom.html" | sed 's/.* x="\([0-9]*\)" y="\([0-9]*\)".*fill="\([^"]*\)".*stroke-width="\([0-9]*\)".*/\1 \2 \3 \4/' >"$T/boxes"
cat >"$T/want" <<'X'
20 20 #d9f2d9 4
60 92 #d9f2d9 2
100 164 #f8d0d0 4
X
compare "$T/want" "$T/boxes" "boxes: indented by reporting depth, green supporters, a red opponent, thick for high influence"
grep -o '<title>[^<]*</title>' "$T/dom.html" | head -1 >"$T/got"
echo '<title>Power map: Acme platform</title>' >"$T/want"
compare "$T/want" "$T/got" "the page title"
chrome --screenshot="$T/shot.png" --window-size=900,700 "$T/pm.html" >/dev/null; rc=$?
check "chromium draws a screenshot" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/shot.png"
# count the pixels of the opponent's fill (#f8d0d0) and the supporters' (#d9f2d9)
python3 - "$T/shot.png" >"$T/px" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = 4 if ctype == 6 else 3
stride = w * bpp
prev = bytearray(stride)
red = green = 0
i = 0
for y in range(h):
    f = raw[i]; i += 1
    line = bytearray(raw[i:i + stride]); i += stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x], line[x + 1], line[x + 2]
        if abs(r - 0xf8) < 4 and abs(g - 0xd0) < 4 and abs(bl - 0xd0) < 4:
            red += 1
        if abs(r - 0xd9) < 4 and abs(g - 0xf2) < 4 and abs(bl - 0xd9) < 4:
            green += 1
    prev = line
print(red, green)
PY
read -r red green <"$T/px"
# a box is 260x58 = 15080 pixels less its border and its text
check "the screenshot shows one red box ($red pixels)" sh -c '[ "$1" -gt 9000 ] && [ "$1" -lt 15080 ]' _ "${red:-0}"
check "and two green ones ($green pixels)" sh -c '[ "$1" -gt 18000 ] && [ "$1" -lt 30160 ]' _ "${green:-0}"
done_testing
