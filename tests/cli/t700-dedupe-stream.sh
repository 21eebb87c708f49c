#!/bin/bash
# crm-dedupe stream: clusters of a small person file, types from column
# names and from --fields, --id, rules, --check, formats and bad input.
. "$(dirname "$0")/../lib.sh"
P="$DATA/dedupe-persons.csv"

# p1-p3: nickname, day/month swap, abbreviation, first/last swapped;
# p4-p5 a typo and a missing suburb; p9-p10 a nickname; the rest alone
# (p7 is like p6 but another person; p11 shares p9's surname and city).
expect_code_in 0 "$P" crm-dedupe stream --id rec_id
cut -d, -f1,2 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
rec_id,cluster
p1,p1
p2,p1
p3,p1
p4,p4
p5,p4
p6,p6
p7,p7
p8,p8
p9,p9
p10,p9
p11,p11
X
compare "$T/want" "$T/got" "clusters by hand: nicknames, swaps, typos"
awk -F, 'NR > 1 && $1 == $2 && $1 ~ /^p(6|7|8|11)$/ && $3 != "" { bad++ }
	NR > 1 && $1 !~ /^p(6|7|8|11)$/ && ($3 < 50 || $3 > 100) { bad++ }
	END { exit bad > 0 }' "$T/out"
check "probability: 50-100 for duplicates, empty for records alone" [ $? -eq 0 ]
err_has "11 records"
err_has "7 records have duplicates"

expect_code_in 1 "$P" crm-dedupe stream --id rec_id --check -q
check "--check exits 1 when duplicates exist, -q silences the summary" [ ! -s "$T/err" ]
printf 'rec_id,given_name,surname\nx1,Ann,Lee\nx2,Bob,Kay\n' >"$T/uniq.csv"
expect_code_in 0 "$T/uniq.csv" crm-dedupe stream --id rec_id --check
expect_out "no duplicates: every record its own cluster" <<'X'
rec_id,cluster,probability
x1,x1,
x2,x2,
X

# without an id column: the record number
printf 'first_name,last_name\nAnn,Lee\nAnn,Lee\nBo,Kay\n' >"$T/noid.csv"
expect_code_in 0 "$T/noid.csv" crm-dedupe stream -f csv
cut -d, -f1,2 "$T/out" >"$T/got"
printf 'id,cluster\n1,1\n2,1\n3,3\n' >"$T/want"
compare "$T/want" "$T/got" "no id column: records numbered from 1"

# --fields names the compared columns and their types
printf 'key,who,born\nk1,Ann Lee,1990-01-02\nk2,Lee Ann,1990-02-01\nk3,Tom Ray,1970-05-05\n' >"$T/f.csv"
expect_code_in 0 "$T/f.csv" crm-dedupe stream --id key --fields who:name,born:date -f tsv
cut -f1,2 "$T/out" >"$T/got"
printf 'key\tcluster\nk1\tk1\nk2\tk1\nk3\tk3\n' >"$T/want"
compare "$T/want" "$T/got" "--fields with types; words in any order, day/month swap"

# a deterministic rule instead of the model
expect_code_in 0 "$P" crm-dedupe stream --id rec_id --rule 'surname & date_of_birth' -f csv
cut -d, -f1,2,3 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
rec_id,cluster,probability
p1,p1,100.00
p2,p2,
p3,p3,
p4,p4,100.00
p5,p4,100.00
p6,p6,
p7,p7,
p8,p8,
p9,p9,100.00
p10,p9,100.00
p11,p11,
p1,p1,100.00
X
head -n 12 "$T/want" >"$T/want2"
# p1 matches nobody exactly on both surname and birth date but itself:
# p2's date is swapped, p3's surname is Robert
sed -i 's/^p1,p1,100.00$/p1,p1,/' "$T/want2"
compare "$T/want2" "$T/got" "--rule: surname and birth date agree exactly"
expect_code_in 0 "$P" crm-dedupe stream --id rec_id --rule 'surname~&date_of_birth~|given_name' -f csv
cut -d, -f1,2 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
rec_id,cluster
p1,p1
p2,p1
p3,p1
p4,p4
p5,p4
p6,p6
p7,p7
p8,p8
p9,p9
p10,p9
p11,p11
X
compare "$T/want" "$T/got" "--rule with ~ (close) and | (or); swapped names count"

# JSON input, JSON output
printf '[{"id":"a","email":"Ann.Lee@gmail.com"},{"id":"b","email":"annlee+x@gmail.com"},{"id":"c","email":"c@d.org"}]' >"$T/j.json"
expect_code_in 0 "$T/j.json" crm-dedupe stream -f ndjson --threshold 50
cut -d, -f1,2 "$T/out" >"$T/got"
cat >"$T/want" <<'X'
{"id":"a","cluster":"a"
{"id":"b","cluster":"a"
{"id":"c","cluster":"c"
X
compare "$T/want" "$T/got" "JSON in, NDJSON out; gmail dots and +tags"

# errors
expect_code_in 64 "$P" crm-dedupe stream --threshold 120
err_has "--threshold: expected a percentage 0-100, got '120'"
expect_code_in 64 "$P" crm-dedupe stream --threshold abc
expect_code_in 64 "$P" crm-dedupe stream --fields who:shoe
err_has "unknown type 'shoe'"
expect_code_in 64 "$P" crm-dedupe stream --fields shoe_size
err_has "cannot tell the type of 'shoe_size': write shoe_size:TYPE"
expect_code_in 64 "$P" crm-dedupe stream --id rec_id --rule 'height'
err_has "rule 'height': no compared field 'height'"
expect_code_in 65 "$P" crm-dedupe stream --id nope
err_has "crm-dedupe:<stdin>:2: nope: no such column"
expect_code_in 65 "$P" crm-dedupe stream --fields born:date
err_has "born: no such column"
printf 'shoe,hat\n1,2\n' >"$T/nothing.csv"
expect_code_in 65 "$T/nothing.csv" crm-dedupe stream
err_has "no column to compare"
printf 'id,first_name\n1,Ann\n,Bob\n' >"$T/noid2.csv"
expect_code_in 65 "$T/noid2.csv" crm-dedupe stream
err_has "crm-dedupe:<stdin>:3: id: missing id"
printf 'id,first_name\n1,Ann\n2,"Bo\n' >"$T/badq.csv"
expect_code_in 65 "$T/badq.csv" crm-dedupe stream
err_has "crm-dedupe:<stdin>:"
printf 'id,first_name\n1,\xff\xfe\n' >"$T/bad8.csv"
expect_code_in 65 "$T/bad8.csv" crm-dedupe stream
expect_code 66 crm-dedupe stream "$T/missing.csv"
err_has "cannot open '$T/missing.csv'"
"$TOP/$BUILD/bin/crm-dedupe" stream <"$P" >/dev/full 2>"$T/err"
check "a write error exits 74" [ $? -eq 74 ]
printf '' >"$T/empty.csv"
expect_code_in 0 "$T/empty.csv" crm-dedupe stream
expect_out "empty input: a header only" <<<'id,cluster,probability'
# an id given twice: the line of the second, the id column named
printf 'rec_id,given_name,surname\nq1,Ann,Lee\nq2,Bob,Ray\nq1,Ann,Lee\n' >"$T/dup.csv"
expect_code_in 65 "$T/dup.csv" crm-dedupe stream --id rec_id
err_has "crm-dedupe:<stdin>:4: rec_id: duplicate id 'q1' (the same as record 1's)"
check "no output on a duplicate id" [ ! -s "$T/out" ]
printf '[{"id":"7","name":"Ann Lee"},{"id":"7","name":"Bob Ray"}]' >"$T/dup.json"
expect_code 65 crm-dedupe stream "$T/dup.json"
err_has "dup.json:1: id: duplicate id '7'"

# threads: the same output on 1, 2 and 3 threads, with enough records that
# every phase splits its work (slices of 16384 records, of 16384 pairs)
sh "$TOP/tests/bench/gen-persons.sh" 40000 >"$T/many.csv"
expect_code_in 0 "$T/many.csv" crm-dedupe stream -q --id rec_id --threads 1
cp "$T/out" "$T/one"
check "1 thread: 40000 records, many in clusters" \
	[ "$(awk -F, 'NR > 1 && $3 != ""' "$T/one" | wc -l)" -gt 4000 ]
expect_code_in 0 "$T/many.csv" crm-dedupe stream -q --id rec_id --threads 2
compare "$T/one" "$T/out" "2 threads: the same clusters and probabilities"
CRM_THREADS=3 expect_code_in 0 "$T/many.csv" crm-dedupe stream -q --id rec_id
compare "$T/one" "$T/out" "CRM_THREADS=3: the same"
expect_code_in 0 "$T/many.csv" crm-dedupe stream -q --id rec_id --threads 16 \
	--rule 'surname & date_of_birth~'
cp "$T/out" "$T/rule16"
expect_code_in 0 "$T/many.csv" crm-dedupe stream -q --id rec_id --threads 1 \
	--rule 'surname & date_of_birth~'
compare "$T/rule16" "$T/out" "a rule: the same on 16 threads as on 1"
CRM_THREADS=lots expect_code_in 0 "$P" crm-dedupe stream -q --id rec_id
check "CRM_THREADS not a number: ignored" [ -s "$T/out" ]
expect_code_in 64 "$P" crm-dedupe stream --threads 0
err_has "--threads: expected a number 1-16, got '0'"
expect_code_in 64 "$P" crm-dedupe stream --threads 17
expect_code_in 64 "$P" crm-dedupe stream --threads 2x
err_has "--threads: expected a number 1-16, got '2x'"

# records are added on another thread while the next are read: the first
# error in input order is the one reported, however far the reading got
printf 'rec_id,given_name,surname\nq1,Ann,Lee\nq2,Bob,Ray\nq1,Ann,Lee\n,Cy,Day\n' \
	>"$T/dup2.csv"
expect_code_in 65 "$T/dup2.csv" crm-dedupe stream --id rec_id
err_has "crm-dedupe:<stdin>:4: rec_id: duplicate id 'q1'"
check "one error, not the missing id after it" [ "$(wc -l <"$T/err")" -eq 1 ]
awk -F, 'NR == 1 || NR <= 9001' "$T/many.csv" >"$T/late.csv"
awk -F, 'NR == 2 { print; exit }' "$T/many.csv" >>"$T/late.csv"
printf 'x,"unterminated\n' >>"$T/late.csv"
expect_code_in 65 "$T/late.csv" crm-dedupe stream --id rec_id --threads 2
err_has "crm-dedupe:<stdin>:9002: rec_id: duplicate id '1' (the same as record 1's)"
check "a later bad line goes unreported" [ "$(wc -l <"$T/err")" -eq 1 ]
expect_code_in 65 "$T/late.csv" crm-dedupe stream --id rec_id --threads 1
err_has "crm-dedupe:<stdin>:9002: rec_id: duplicate id '1' (the same as record 1's)"
head -9001 "$T/many.csv" >"$T/late2.csv"
printf 'x,"unterminated\n' >>"$T/late2.csv"
expect_code_in 65 "$T/late2.csv" crm-dedupe stream --id rec_id
err_has "crm-dedupe:<stdin>:9002:"
done_testing
