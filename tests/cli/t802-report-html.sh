#!/bin/bash
# crm-report -f html: one self-contained page (no scripts, no network),
# rendered by headless Chromium, which must find the chart drawn: one bar
# per row with the width the values call for, and the table.
. "$(dirname "$0")/../lib.sh"

cat >"$T/c.csv" <<'X'
external_id,first_name,email,source
c1,Ann,ann@a.example,web
c2,Bob,bob@b.example,web
c3,Cy,cy@c.example,"<event & ""fair"">"
X
expect_code 0 crm-contact import -q "$T/c.csv"

expect_code 0 crm-report contacts -f html
cp "$T/out" "$T/r.html"
out_has '<!DOCTYPE html>'
out_has '<svg class="chart"'
out_has '&lt;event &amp; &quot;fair&quot;&gt;'
check "no script, no external resource" sh -c "! grep -Eiq '<script|src=|href=|@import|url\\(' '$T/r.html'"
check "two bars" [ "$(grep -c '<rect class="bar"' "$T/r.html")" -eq 2 ]

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
chrome --dump-dom "$T/r.html" >"$T/dom.html"; rc=$?
check "chromium loads the page" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/dom.html"
grep -o '<rect class="bar"[^>]*>' "$T/dom.html" >"$T/bars"
cat >"$T/want" <<'X'
<rect class="bar" x="220" y="4" width="460.0" height="16">
<rect class="bar" x="220" y="26" width="230.0" height="16">
X
compare "$T/want" "$T/bars" "the DOM has the chart: bar widths in proportion (2 and 1)"
# the chart's own table (in its <details>) and the table of all columns:
# a header and two rows each
check "the DOM has the tables: a header and two rows each" [ "$(grep -c '<tr>' "$T/dom.html")" -eq 6 ]
check "the chart has a text alternative" grep -q 'aria-label="Bar chart of contacts (count), 2 bars: web: 2; ' "$T/dom.html"
grep -o '<title>[^<]*</title>' "$T/dom.html" | head -1 >"$T/got"
echo '<title>Contacts by source</title>' >"$T/want"
compare "$T/want" "$T/got" "the page title"
chrome --screenshot="$T/shot.png" --window-size=900,600 "$T/r.html" >/dev/null; rc=$?
check "chromium draws a screenshot" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/shot.png"
# the chart's bars are drawn in the bar colour #0072b2 (Okabe-Ito blue): count its pixels
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
count = 0
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
        if abs(line[x] - 0x00) < 8 and abs(line[x + 1] - 0x72) < 8 and abs(line[x + 2] - 0xb2) < 8:
            count += 1
    prev = line
print(count)
PY
px=$(cat "$T/px")
# 460x16 + 230x16 = 11040 CSS pixels of bar (give or take antialiasing)
check "the screenshot shows the bars ($px bar-coloured pixels)" sh -c '[ "$1" -gt 10000 ] && [ "$1" -lt 12000 ]' _ "${px:-0}"
done_testing
