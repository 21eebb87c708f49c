#!/bin/bash
# crm-report dashboard -f html for the sample company (share/crm/examples,
# as make demo loads it): one self-contained page, every chart with a text
# alternative and its table, rendered by headless Chromium without
# console errors or network requests, and screenshots at two widths with
# the charts drawn (pixels in the Okabe-Ito colours).
. "$(dirname "$0")/../lib.sh"

ex="$TOP/share/crm/examples"
export CRM_NOW=2026-11-23T02:00:00Z
expect_code 0 crm init
for f in companies:company contacts:contact leads:lead deals:pipeline \
	tickets:ticket activities:activity; do
	file=${f%%:*} cmd=crm-${f#*:}
	[ "$file" = activities ] && file=$file.ndjson || file=$file.csv
	expect_code 0 "$cmd" import -q "$ex/$file"
done

expect_code 0 crm-report dashboard -f html
cp "$T/out" "$T/dash.html"
out_has '<!DOCTYPE html>'
out_has '@media print'
check "no script, no external resource" sh -c "! grep -Eiq '<script|src=|href=|@import|url\\(|<link' '$T/dash.html'"
n_svg=$(grep -c '<svg class="chart"' "$T/dash.html")
check "charts drawn ($n_svg)" [ "$n_svg" -ge 20 ]
check "every chart has a text alternative" [ "$(grep -c '<svg class="chart"[^>]*role="img" aria-label="[^"]' "$T/dash.html")" -eq "$n_svg" ]
check "every chart has its table in a <details>" [ "$(grep -c '<details><summary>Table</summary>' "$T/dash.html")" -eq "$n_svg" ]
for h in 'Key figures' Trends Pipeline Leaderboards Service; do
	out_has "<h2>$h</h2>"
done
out_has 'Small multiples: win_rate per owner'
out_has 'aria-label="Funnel of Leads created in the trend window'
out_has 'Tickets opened vs solved (tickets)'
# money never on one axis across currencies: one won-revenue chart each,
# the dashboard's currency (EUR) with its forecast
out_has 'Won revenue and its forecast <span class="unit">(EUR)</span>'
for c in USD GBP JPY; do out_has "total in $c ($c)"; done
# an empty month is a gap: the EUR line restarts after one (M twice)
check "the EUR revenue line has a gap (two line segments)" sh -c \
	"grep -o '<path class=\"line\"[^>]*>' '$T/dash.html' | sed -n 1p | grep -o M | wc -l | grep -qx 2"
check "the forecast is dashed, its interval shaded" sh -c \
	"grep -q '<path class=\"line\" stroke=\"#d55e00\" stroke-dasharray' '$T/dash.html' && grep -q '<path class=\"band\"' '$T/dash.html'"
out_has '95% prediction interval'
out_has 'Tickets by time to the first reply <span class="unit">(tickets)</span>'


if ! command -v chromium >/dev/null; then
	not_ok "chromium is not installed (make deps installs it)"
	done_testing
	exit 0
fi
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --enable-logging=stderr --v=0 \
		--user-data-dir="$T/chrome" "$@" 2>>"$T/chrome.err"
}
chrome --dump-dom "$T/dash.html" >"$T/dom.html"; rc=$?
check "chromium loads the page" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/dom.html"
check "the DOM has every chart" [ "$(grep -c '<svg class="chart"' "$T/dom.html")" -eq "$n_svg" ]
check "the DOM has the nine key figures" [ "$(grep -c 'class="tile" data-figure=' "$T/dom.html")" -eq 9 ]
for w in 1280 480; do
	chrome --screenshot="$T/shot$w.png" --window-size=$w,$((w == 480 ? 4000 : 2400)) "$T/dash.html" >/dev/null; rc=$?
	check "a screenshot $w pixels wide" sh -c '[ "$1" -eq 0 ] && [ -s "$2" ]' _ "$rc" "$T/shot$w.png"
done
check "no console errors" sh -c "! grep -Ei 'CONSOLE|Uncaught|Failed to load' '$T/chrome.err'"
check "no network requests" sh -c "! grep -Ei 'net::ERR|http://|https://' '$T/chrome.err' | grep -v 'www.w3.org/2000/svg'"
# count the pixels in the chart colours: blue #0072b2 (bars, lines) and
# vermillion #d55e00 (the second series, the funnel's second stage)
for w in 1280 480; do
	python3 - "$T/shot$w.png" >"$T/px$w" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
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
blue = red = 0
i = 0
for y in range(h):
    f = raw[i]; i += 1
    line = bytearray(raw[i:i + stride]); i += stride
    if f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f != 0:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
    for x in range(0, stride, bpp):
        r, g, b = line[x], line[x + 1], line[x + 2]
        if r < 8 and abs(g - 0x72) < 8 and abs(b - 0xb2) < 8:
            blue += 1
        elif abs(r - 0xd5) < 8 and abs(g - 0x5e) < 8 and b < 8:
            red += 1
    prev = line
print(blue, red)
PY
	read -r blue red <"$T/px$w"
	# (480 wide the first 4000 pixels reach the revenue charts only)
	check "$w wide: the charts are drawn ($blue blue, $red vermillion pixels)" \
		sh -c '[ "$1" -gt 3000 ] && { [ "$3" = 480 ] || [ "$2" -gt 100 ]; }' _ "${blue:-0}" "${red:-0}" "$w"
done
if [ -n "${KEEP_SHOTS:-}" ]; then cp "$T"/shot*.png "$KEEP_SHOTS"/; fi
done_testing
