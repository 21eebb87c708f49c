#!/bin/sh
# kb.sh [ARTICLES] [QUERIES]: crm-kb search over a generated knowledge base
# (default 100,000 articles, 300 queries): import time, database size, and
# the latency of one `crm-kb search` (a whole process: start, open, rank,
# snippets, print), median and p99, for English word queries, Chinese
# queries written without spaces, and one-character CJK queries. The
# articles: titles of 3-8 words and bodies of 40-200 words drawn from a
# Zipf vocabulary of 20,000 made-up words; one article in five is Chinese
# (bodies of 60-300 characters from 3,000 common Han characters). Run it
# smaller on a shared machine: sh tests/bench/kb.sh 10000. Then the same
# rankings by hand-written SQL (below: "The reference"). BENCH_ENGINE=sqlite,
# pg or both (default both when PostgreSQL is installed): on PostgreSQL the
# knowledge base is a database of a server tests/pgserver.sh starts (or the
# one $CRM_TEST_PG names) and the reference runs in psql.
set -eu
n=${1:-100000}
q=${2:-300}
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bench_dispatch "$@"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
export CRM_NOW=2026-11-22T09:30:00Z
if [ "$engine" = pg ]; then
	CRM_TEST_PG=${CRM_TEST_PG:-postgresql://}
	kbdb=crm_bench_kb_$$
	trap 'admin "DROP DATABASE IF EXISTS $kbdb"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
	admin "CREATE DATABASE $kbdb"
	CRM_DB=$(url "$kbdb")
	"$bin/crm" init --db "$CRM_DB" 2>/dev/null
else
	[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
	CRM_DB=$dir/kb.db
fi
export CRM_DB

cat >"$dir/gen.py" <<'PY'
import csv, itertools, random, sys
n, nq, seed = int(sys.argv[1]), int(sys.argv[2]), 7
rng = random.Random(seed)
syl = ["ka", "ri", "to", "mo", "ne", "sa", "lu", "pi", "de", "vo", "an",
       "er", "ix", "ou", "ba", "zu", "che", "qua", "ste", "lin"]
vocab = sorted({"".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))
                for _ in range(30000)})[:20000]
rng.shuffle(vocab)
# cumulative weights once: choices() would sum them again on every call
cw = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))
han = [chr(c) for c in rng.sample(range(0x4e00, 0x9fa5), 3000)]
hcw = list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(len(han))))
out = csv.writer(open(sys.argv[3], "w", newline=""), lineterminator="\n")
out.writerow(["external_id", "title", "body", "category", "language", "status"])
zh = []
for i in range(n):
    if i % 5 == 4:
        t = "".join(rng.choices(han, cum_weights=hcw, k=rng.randint(6, 14)))
        b = "".join(rng.choices(han, cum_weights=hcw, k=rng.randint(60, 300)))
        zh.append(b)
        out.writerow(["a%d" % i, t, b, "c%d" % (i % 20), "zh", "published"])
    else:
        t = " ".join(rng.choices(vocab, cum_weights=cw, k=rng.randint(3, 8)))
        b = " ".join(rng.choices(vocab, cum_weights=cw, k=rng.randint(40, 200)))
        out.writerow(["a%d" % i, t.capitalize(), b, "c%d" % (i % 20), "en", "published"])
qs = open(sys.argv[4], "w")
for i in range(nq):
    k = i % 3
    if k == 0:   # 1-3 words, from the middle of the vocabulary
        qs.write(" ".join(rng.choice(vocab[50:5000]) for _ in range(rng.randint(1, 3))) + "\n")
    elif k == 1:  # a Chinese phrase of 2-6 characters cut from an article
        b = rng.choice(zh)
        s = rng.randint(0, len(b) - 6)
        qs.write(b[s:s + rng.randint(2, 6)] + "\n")
    else:         # one Han character
        qs.write(rng.choice(han[:500]) + "\n")
PY

cat >"$dir/time.py" <<'PY'
import subprocess, sys, time
bin_, queries = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().split("\n")
kinds = {0: "words", 1: "Chinese phrase", 2: "one CJK character"}
lat, hits = {k: [] for k in kinds}, {k: 0 for k in kinds}
for i, q in enumerate(x for x in queries if x):
    t = time.perf_counter()
    r = subprocess.run([bin_, "search", "-f", "csv", q], capture_output=True)
    lat[i % 3].append(time.perf_counter() - t)
    if r.returncode != 0:
        sys.exit("crm-kb search %r: exit %d: %s" % (q, r.returncode, r.stderr.decode()))
    hits[i % 3] += r.stdout.count(b"\n") > 1
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]
# a query no article holds: the cost of a process that opens the
# database and finds nothing, to read the figures above against
base = []
for _ in range(30):
    t = time.perf_counter()
    subprocess.run([bin_, "search", "-f", "csv", "zzzzunheardof"], capture_output=True)
    base.append(time.perf_counter() - t)
every = sum(lat.values(), [])
for k, name in kinds.items():
    print("%-18s %4d queries: median %6.1f ms, p99 %6.1f ms, %d found something"
          % (name, len(lat[k]), 1000 * pct(lat[k], 50), 1000 * pct(lat[k], 99), hits[k]))
print("%-18s %4d queries: median %6.1f ms, p99 %6.1f ms"
      % ("all", len(every), 1000 * pct(every, 50), 1000 * pct(every, 99)))
print("%-18s %4d queries: median %6.1f ms (start, open, no postings)"
      % ("nothing found", len(base), 1000 * pct(base, 50)))
PY

"$PYTHON" "$dir/gen.py" "$n" "$q" "$dir/articles.csv" "$dir/queries.txt"
echo "data: $n articles ($((n / 5)) Chinese), $(wc -c <"$dir/articles.csv") bytes; $q queries"
timed "$dir/import.out" /usr/bin/time -f %M -o "$dir/rss" "$bin/crm-kb" import -q "$dir/articles.csv"
echo "import: ${t}s ($(echo "$n $t" | awk '{printf "%.0f", $1 / $2}') articles/s, the index included)"
timed "$dir/import.out" "$bin/crm-kb" import -q "$dir/articles.csv"
echo "import again (every article unchanged): ${t}s"
if [ "$engine" = pg ]; then
	kib=$(psql "$CRM_DB" -X -A -t -c "SELECT pg_database_size(current_database()) / 1024")
else
	kib=$(du -k "$CRM_DB" | cut -f1)
fi
echo "database: $kib KiB; import peak RSS $(rss "$dir/rss")"
"$PYTHON" "$dir/time.py" "$bin/crm-kb" "$dir/queries.txt"

# The reference: the same BM25 ranking (k1 1.2, b 0.75, df over every
# article, ties by id) as one statement in the sqlite3 shell (psql on
# PostgreSQL, in double precision as crm computes), a process per query as
# crm-kb search is, given the query's terms. The terms are
# crm's own (stemmed words, CJK bigrams; not what is timed): each query is
# indexed as an article of a scratch database and its body's terms read
# back, less the single CJK characters a document adds and a query of
# two or more does not. Both print rank, id, score and title of the top
# 10 and are compared; crm-kb search also makes the snippets and marks the
# title (the reference does not). Prints the total wall and CPU of each
# side over the queries, and a `row` line.
cat >"$dir/ref.py" <<'PY'
import csv, os, subprocess, sqlite3, sys, time
bin_, db, qdb, queries, engine = sys.argv[1:6]
qs = [x for x in open(queries, encoding="utf-8").read().split("\n") if x]
con = sqlite3.connect(qdb)
title = {t for (t,) in con.execute(
    "SELECT term FROM kb_terms k JOIN kb_articles a ON a.id = k.article_id "
    "WHERE a.external_id = 'title'")}
terms = {}
for ext, term, tf in con.execute(
        "SELECT a.external_id, k.term, k.tf FROM kb_terms k JOIN kb_articles a "
        "ON a.id = k.article_id WHERE a.external_id <> 'title'"):
    terms.setdefault(int(ext[1:]), []).append((term, tf))
def cjk(c):
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
def sql(i):
    q = qs[i]
    run = sum(cjk(c) for c in q) > 1
    v = ", ".join("('%s', %d)" % (t.replace("'", "''"), w)
                  for t, w in sorted(terms.get(i, []))
                  if t not in title and not (run and len(t) == 1 and cjk(t)))
    if engine == "pg":
        return PG % v
    return """WITH q(term, w) AS (VALUES %s),
n AS (SELECT count(*) AS nd, coalesce(1.0 * sum(d.dlen) / nullif(count(*), 0), 1)
  AS avgdl FROM kb_docs d JOIN kb_articles a ON a.id = d.article_id),
p AS (SELECT q.term, q.w, k.article_id AS id, k.tf, d.dlen, a.status FROM q
 JOIN kb_terms k ON k.term = q.term JOIN kb_docs d ON d.article_id = k.article_id
 JOIN kb_articles a ON a.id = k.article_id),
f AS (SELECT term, count(*) AS df FROM p GROUP BY term),
s AS (SELECT p.id, sum(p.w * ln(1 + (n.nd - f.df + 0.5) / (f.df + 0.5)) * p.tf
  * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.dlen / n.avgdl))) AS x
 FROM p JOIN f USING (term), n WHERE p.status = 'published' GROUP BY p.id),
t AS (SELECT id, x FROM s ORDER BY x DESC, id LIMIT 10)
SELECT row_number() OVER (ORDER BY t.x DESC, t.id) AS rank, t.id,
 printf('%%.4f', t.x) AS score, a.title FROM t JOIN kb_articles a ON a.id = t.id
ORDER BY t.x DESC, t.id""" % v
# the same statement in PostgreSQL's dialect: float8 where SQLite's
# arithmetic is double, to_char for printf (both round as C's printf)
PG = """WITH q(term, w) AS (VALUES %s),
n AS (SELECT count(*)::float8 AS nd, coalesce(sum(d.dlen)::float8 / nullif(count(*), 0), 1)
  AS avgdl FROM kb_docs d JOIN kb_articles a ON a.id = d.article_id),
p AS (SELECT q.term, q.w, k.article_id AS id, k.tf, d.dlen, a.status FROM q
 JOIN kb_terms k ON k.term = q.term JOIN kb_docs d ON d.article_id = k.article_id
 JOIN kb_articles a ON a.id = k.article_id),
f AS (SELECT term, count(*)::float8 AS df FROM p GROUP BY term),
s AS (SELECT p.id, sum(p.w * ln(1 + (n.nd - f.df + 0.5) / (f.df + 0.5)) * p.tf
  * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.dlen / n.avgdl))) AS x
 FROM p JOIN f USING (term), n WHERE p.status = 'published' GROUP BY p.id),
t AS (SELECT id, x FROM s ORDER BY x DESC, id LIMIT 10)
SELECT row_number() OVER (ORDER BY t.x DESC, t.id) AS rank, t.id,
 to_char(t.x, 'FM999999990.0000') AS score, a.title FROM t
 JOIN kb_articles a ON a.id = t.id ORDER BY t.x DESC, t.id"""
def ref_cmd(s):
    if engine == "pg":
        return ["psql", db, "-X", "-q", "-A", "-F", ",", "-P", "footer=off", "-c", s]
    return ["sqlite3", "-header", "-list", "-separator", ",", db, s]
def run(cmd):
    c0 = os.times()
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True)
    t = time.perf_counter() - t
    c1 = os.times()
    cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
    return r.stdout, t, cpu
wo = wr = co = cr = 0.0
same = 0
for i, q in enumerate(qs):
    s = sql(i)
    a, t, c = run([bin_, "search", "-f", "csv", "--fields", "rank,id,score,title", q])
    wo += t; co += c
    b, t, c = run(ref_cmd(s))
    if engine == "pg" and b.count(b"\n") == 1:
        b = b""  # psql prints the header of no rows; sqlite3 nothing
    wr += t; cr += c
    if a == b:
        same += 1
    else:
        sys.stderr.write("query %r differs:\n%s---\n%s" % (q, a.decode(), b.decode()))
print("%.3f %.3f %.2f %.2f %d %d" % (wo, wr, co, cr, same, len(qs)))
PY
printf 'external_id,title,body,category,language,status\ntitle,zzzzunheardof,,c,en,published\n' >"$dir/q.csv"
awk '{ gsub(/"/, "\"\""); printf "q%d,zzzzunheardof,\"%s\",c,en,published\n", NR - 1, $0 }' \
	"$dir/queries.txt" >>"$dir/q.csv"
CRM_DB=$dir/q.db "$bin/crm-kb" import -q "$dir/q.csv"
/usr/bin/time -f %M -o "$dir/rss" "$bin/crm-kb" search -f csv "$(head -1 "$dir/queries.txt")" >/dev/null
set -- $("$PYTHON" "$dir/ref.py" "$bin/crm-kb" "$CRM_DB" "$dir/q.db" "$dir/queries.txt" "$engine")
refname=sqlite3
[ "$engine" = sqlite ] || refname=psql
echo "search, $6 queries: crm-kb ${1}s (cpu ${3}s), $refname ${2}s (cpu ${4}s), ratio $(ratio "$1" "$2"), cpu ratio $(ratio "$3" "$4"), same top 10: $5 of $6"
row "kb search ($6 queries)" "$engine" "$n" "$1" "$2" "$dir/rss"
if [ "$5" != "$6" ]; then
	echo "kb.sh: crm-kb search and the reference differ on $(($6 - $5)) of $6 queries" >&2
	exit 1
fi
