#!/bin/bash
# Export writes each stored value once, quoted exactly when CSV needs it: a
# comma, quote, CR or LF anywhere in the cell (the writer looks at eight
# bytes at a time, so every position of a special byte in cells of 1 to 25
# bytes is tried), a leading or trailing space or tab, or an empty string.
# The records a listing writes borrow the statement's values and the
# writer's column names: every format and any column order give the
# stored values back.
. "$(dirname "$0")/../lib.sh"

python3 - >"$T/in.ndjson" <<'X'
import json
n = 0
for special in [",", '"', "\n", "\r", " ", "\t", "+", "-", "(", ".", "é"]:
    for length in [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25]:
        for pos in range(length):
            if pos == 0 and special in "\t\r+-":
                continue  # a formula-like start: t193 covers guarding
            s = "a" * pos + special + "b" * (length - pos - 1)
            n += 1
            print(json.dumps({"external_id": "e%d" % n, "first_name": "F",
                              "last_name": "L%d" % n, "title": s,
                              "city": "c" * length}))
X
check "the cases were written" test "$(wc -l <"$T/in.ndjson")" -gt 1500
expect_code 0 crm-contact import -q "$T/in.ndjson"
expect_code 0 crm-contact export -f ndjson --fields external_id,title,city
cp "$T/out" "$T/stored.ndjson"
# the stored values are the input's (import keeps inner and outer blanks)
check "the stored values are the input's" python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
key = lambda r: (r["external_id"], r["title"], r["city"])
sys.exit(0 if list(map(key, a)) == list(map(key, b)) else 1)
' "$T/in.ndjson" "$T/stored.ndjson"

# The CSV each stored value should give, by the rule in crm(7).
python3 - "$T/stored.ndjson" >"$T/want.csv" <<'X'
import json, sys
def cell(v):
    if v is None:
        return ""
    if (v == "" or v[0] in " \t" or v[-1] in " \t"
            or any(c in v for c in ',"\r\n')):
        return '"' + v.replace('"', '""') + '"'
    return v
sys.stdout.write("external_id,title,city\n")
for l in open(sys.argv[1]):
    r = json.loads(l)
    sys.stdout.write(",".join(cell(r[k]) for k in ("external_id", "title", "city")) + "\n")
X
expect_code 0 crm-contact export -f csv --fields external_id,title,city
compare "$T/want.csv" "$T/out" "every cell quoted exactly when it needs it"
expect_code 0 crm-contact list -f csv --fields external_id,title,city
compare "$T/want.csv" "$T/out" "list writes the same cells"

# another column order, TSV and JSON give the same values back
expect_code 0 crm-contact export -f csv --fields city,title,external_id
check "CSV in another column order reads back as stored" python3 -c '
import csv, json, sys
want = [json.loads(l) for l in open(sys.argv[1])]
got = list(csv.DictReader(open(sys.argv[2], newline="")))
sys.exit(0 if [(r["external_id"], r["title"], r["city"]) for r in want] ==
         [(r["external_id"], r["title"], r["city"]) for r in got] else 1)
' "$T/stored.ndjson" "$T/out"
expect_code 0 crm-contact export -f json --fields title,external_id,city
check "JSON reads back as stored" python3 -c '
import json, sys
want = [json.loads(l) for l in open(sys.argv[1])]
got = json.load(open(sys.argv[2]))
sys.exit(0 if want == [{k: r[k] for k in ("external_id", "title", "city")} for r in got] else 1)
' "$T/stored.ndjson" "$T/out"
expect_code 0 crm-contact export -f tsv --fields external_id,title,city
check "TSV reads back as stored" python3 -c '
import json, sys
esc = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\":
            out.append(esc[s[i + 1]]); i += 2
        else:
            out.append(s[i]); i += 1
    return "".join(out)
want = [json.loads(l) for l in open(sys.argv[1])]
lines = open(sys.argv[2], newline="").read().split("\n")[1:-1]
got = [dict(zip(("external_id", "title", "city"), map(unescape, l.split("\t")))) for l in lines]
sys.exit(0 if want == got else 1)
' "$T/stored.ndjson" "$T/out"

# a custom field (copied, not borrowed) between borrowed ones
expect_code 0 crm-contact update e5 --set tier=gold
expect_code 0 crm-contact export -f csv --fields external_id,tier,title -w external_id=e5
expect_out "a custom field among borrowed values" <<'X'
external_id,tier,title
e5,gold,"a,bbbbb"
X

done_testing
