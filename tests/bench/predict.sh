#!/bin/sh
# predict.sh [SCALE]: crm-score's predictions against reference tools.
#
# 1. Deal win/loss: a generated book of 2,000 closed deals of known
#    structure (stage reached, meetings and emails in the month before
#    closing, amount band, owner, a linear log-odds plus noise) loaded
#    through crm-pipeline and crm-activity; crm-score deals' 5-fold
#    cross-validated AUC (on the features it derives from the database)
#    against scikit-learn's LogisticRegression (C=1, one-hot, standardized)
#    5-fold stratified AUC on the generating features themselves.
# 2. Revenue forecast: a real monthly sales series, BENCH_SERIES (a CSV of
#    "Month,Sales", e.g. the monthly car sales in Quebec 1960-1968,
#    Abraham and Ledolter 1983, in Hyndman's Time Series Data Library;
#    jbrownlee/Datasets on GitHub has it as monthly-car-sales.csv, with no
#    licence file: fetch it yourself, it is not kept in this tree). The
#    last 12 months are held out; crm-score forecast, statsmodels'
#    ExponentialSmoothing (additive trend, additive and multiplicative
#    season, fitted by its default optimiser) and the seasonal naive
#    forecast them: MAPE and MASE (scaled by the in-sample seasonal naive
#    error). Also crm's own rolling-origin backtest.
# 3. Times: scoring open deals (1,000,000 x SCALE; against the same
#    features and scores in one SQL statement, tests/bench/deals-ref.sh)
#    and cycle over won deals as order lines (10,000,000 x SCALE), with
#    `row` lines (lib.sh); SQLite only (deals.sh measures both engines).
#    SCALE defaults to 0.01: the full figures need a machine of one's own.
#
# Set-up of 3, not measured: the companies through `crm-company import`;
# the open deals and order lines with set-based SQL into crm's schema as
# crm-pipeline import would write them (tests/bench/bulk.sh: a temporary
# table from the CSV, INSERT ... SELECT of the deals and their
# deal_history rows), since 2.5M order lines through crm-pipeline took 37
# minutes; BENCH_LOAD=crm imports them with crm-pipeline instead
# (tests/bench/bulk-check.sh compares the two). BENCH_DIR names a
# directory to work in and keep. BENCH_SERIES unset skips 2.
#
# 1 and 2 need python3-sklearn and python3-statsmodels (BENCH_PKGS in the
# Makefile) for their references; installs nothing.
set -eu
scale=${1:-0.01}
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
. "$top/tests/bench/deals-ref.sh"
. "$top/tests/bench/bulk.sh"
PATH=$top/$BUILD/bin:$PATH
dir=${BENCH_DIR:-$(mktemp -d)}
trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT
export CRM_DB=$dir/crm.db CRM_USER=bench

# without them 1 prints crm's AUC alone, 2 is skipped, 3 runs
sk=yes
if ! "$PYTHON" -c 'import sklearn, statsmodels' 2>/dev/null; then
	echo "predict: $PYTHON lacks scikit-learn or statsmodels (apt-get install python3-sklearn python3-statsmodels): no reference AUC or forecast" >&2
	sk=no
fi

# -- 1. deals ---------------------------------------------------------------
cat >"$dir/gen.py" <<'PY'
import datetime, math, random, sys
d, nclosed, nopen, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
stages = ["prospecting", "qualification", "needs_analysis", "proposal", "negotiation"]
owners = {"ana": 0.6, "ben": 0.2, "cy": 0.0, "di": -0.3, "eli": -0.6}
f = {k: open(f"{d}/{k}.csv", "w") for k in ("open", "stage", "acts", "close", "features")}
f["open"].write("external_id,name,stage,amount,currency,owner,source\n")
f["stage"].write("external_id,stage\n")
f["acts"].write("deal_id,type,direction,occurred_at\n")
f["close"].write("external_id,stage,close_reason,closed_at\n")
f["features"].write("stage,meetings,emails,amount,owner,won\n")
for i in range(1, nclosed + nopen + 1):
    s = rng.randrange(5)
    meet = min(5, int(rng.expovariate(0.8)))
    mail = min(6, int(rng.expovariate(0.5)))
    amt = int(10 ** rng.uniform(2.5, 5.5))
    owner = rng.choice(list(owners))
    z = -1.2 + 0.35 * s + 0.55 * meet - 0.15 * mail - 0.25 * math.log10(amt) + owners[owner] + rng.gauss(0, 0.5)
    won = rng.random() < 1 / (1 + math.exp(-z))
    f["open"].write(f"D{i},Deal {i},prospecting,{amt},EUR,{owner},web\n")
    if s:
        f["stage"].write(f"D{i},{stages[s]}\n")
    # closes spread over 120 days from March, so owners and accounts
    # build a record; the activities in the 30 days before
    close = datetime.date(2026, 3, 1) + datetime.timedelta(days=i % 120)
    for k in range(meet):
        f["acts"].write(f"{i},meeting,out,{close - datetime.timedelta(days=20 - k)}T10:00:00Z\n")
    for k in range(mail):
        f["acts"].write(f"{i},email,out,{close - datetime.timedelta(days=12 - k)}T10:00:00Z\n")
    if i <= nclosed:
        f["close"].write(f"D{i},closed_won,,{close}T12:00:00Z\n" if won else f"D{i},closed_lost,price,{close}T12:00:00Z\n")
        f["features"].write(f"{stages[s]},{meet},{mail},{amt},{owner},{int(won)}\n")
PY
cat >"$dir/sk.py" <<'PY'
import sys
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
import csv
rows = list(csv.DictReader(open(sys.argv[1])))
X = np.array([[r["stage"], r["owner"], float(r["meetings"]), float(r["emails"]), np.log10(float(r["amount"]))] for r in rows], dtype=object)
y = np.array([int(r["won"]) for r in rows])
ct = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), [0, 1]), ("num", StandardScaler(), [2, 3, 4])])
m = make_pipeline(ct, LogisticRegression(C=1.0, max_iter=1000))
auc = cross_val_score(m, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), scoring="roc_auc")
print(f"{auc.mean():.4f}")
PY
"$PYTHON" "$dir/gen.py" "$dir" 2000 200 7
CRM_NOW=2026-01-01T00:00:00Z crm-pipeline import -q "$dir/open.csv"
CRM_NOW=2026-02-01T00:00:00Z crm-pipeline import -q "$dir/stage.csv"
CRM_NOW=2026-02-01T00:00:00Z crm-activity import -q "$dir/acts.csv"
CRM_NOW=2026-07-01T00:00:00Z crm-pipeline import -q "$dir/close.csv"
CRM_NOW=2026-07-01T00:00:00Z crm-score deals -f csv >"$dir/scores.csv" 2>"$dir/deals.err"
crm_auc=$(sed -n 's/.*cross-validated AUC \([0-9.]*\), stage probabilities \([0-9.]*\).*/\1 \2/p' "$dir/deals.err")
sk_auc="(not run)"
[ $sk = no ] || sk_auc=$("$PYTHON" "$dir/sk.py" "$dir/features.csv")
echo "deal win/loss, 2000 closed deals, 5-fold CV AUC:"
echo "  crm-score deals   ${crm_auc% *} (stage probabilities ${crm_auc#* })"
echo "  sklearn logistic  $sk_auc (on the generating features)"

# -- 2. forecast ------------------------------------------------------------
if [ -n "${BENCH_SERIES:-}" ] && [ $sk = yes ]; then
	cat >"$dir/fc.py" <<'PY'
import csv, sys, subprocess, os
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing
rows = list(csv.reader(open(sys.argv[1])))[1:]
months = [r[0].strip('"') for r in rows]
y = np.array([float(r[1]) for r in rows])
h, m = 12, 12
train, test = y[:-h], y[-h:]
scale = np.mean(np.abs(train[m:] - train[:-m]))
def score(f):
    return 100 * np.mean(np.abs((test - f) / test)), np.mean(np.abs(test - f)) / scale
# crm: one won deal per month on the 15th; now = the first held-out month
d = sys.argv[2]
with open(f"{d}/won.csv", "w") as o:
    o.write("name,stage,amount,currency,closed_at\n")
    for mo, v in zip(months[:-h], train):
        o.write(f"m{mo},closed_won,{v:.2f},EUR,{mo}-15T12:00:00Z\n")
env = dict(os.environ, CRM_DB=f"{d}/fc.db", CRM_NOW=f"{months[-h]}-01T00:00:00Z")
subprocess.run(["crm-pipeline", "import", "-q", f"{d}/won.csv"], env=env, check=True)
out = subprocess.run(["crm-score", "forecast", "-f", "csv", "--horizon", "12"], env=env, check=True, capture_output=True, text=True)
lines = out.stdout.strip().split("\n")[1:]
crm = np.array([float(l.split(",")[2]) for l in lines])
method = lines[0].split(",")[-1]
bt = subprocess.run(["crm-score", "forecast", "-f", "csv", "--backtest", "--origins", "24"], env=env, check=True, capture_output=True, text=True).stdout.strip().split("\n")[1].split(",")
res = {"crm-score forecast (" + method + ")": crm}
for s in ("add", "mul"):
    fit = ExponentialSmoothing(train, trend="add", seasonal=s, seasonal_periods=m).fit()
    res[f"statsmodels ExponentialSmoothing ({s})"] = fit.forecast(h)
res["seasonal naive"] = train[-m:]
print(f"forecast, {sys.argv[1].split('/')[-1]}: {len(train)} months fitted, last {h} held out")
for k, f in res.items():
    mape, mase = score(f)
    print(f"  {k:42s} MAPE {mape:6.2f}%  MASE {mase:.3f}")
print(f"  crm rolling-origin backtest (24 origins, 1 step): MAPE {float(bt[3]):.2f}% MASE {float(bt[4]):.3f}; seasonal naive MAPE {float(bt[5]):.2f}% MASE {float(bt[6]):.3f}")
PY
	"$PYTHON" "$dir/fc.py" "$BENCH_SERIES" "$dir"
else
	echo "forecast: set BENCH_SERIES to a monthly sales CSV (see the top of this script)"
fi

# -- 3. times ---------------------------------------------------------------
nopen=$(awk -v s="$scale" 'BEGIN { printf "%d", 1000000 * s }')
nlines=$(awk -v s="$scale" 'BEGIN { printf "%d", 10000000 * s }')
awk -v n="$nopen" 'BEGIN { print "name,stage,amount,currency,owner,source"
	for (i = 1; i <= n; i++) printf "O%d,proposal,%d,EUR,ana,web\n", i, 1000 + i % 5000 }' >"$dir/many.csv"
# load LOG CSV NOW: the deals of CSV imported at NOW (bulk_deals or, with
# BENCH_LOAD=crm, crm-pipeline import), the time printed
load() {
	if [ "${BENCH_LOAD:-sql}" = crm ]; then
		CRM_NOW=$3 timed /dev/null crm-pipeline import -q "$2"
	else
		timed /dev/null bulk_deals sqlite "$CRM_DB" "$2" "$3" "$CRM_USER"
	fi
	echo "load $(($(wc -l <"$2") - 1)) $1 (${BENCH_LOAD:-sql}): ${t}s"
}
load "open deals" "$dir/many.csv" 2026-07-02T00:00:00Z
CRM_NOW=2026-07-05T00:00:00Z timed "$dir/many.out" /usr/bin/time -f %M -o "$dir/rss.deals" crm-score deals -q -f csv
tc=$t cc=$cpu
# the reference: the same features, a logistic and the scores written, in
# one SQL statement (tests/bench/deals-ref.sh)
deals_ref sqlite 2026-07-05T00:00:00Z >"$dir/ref.sql"
timed "$dir/floor.out" /usr/bin/time -f %M -o "$dir/rss.ref" sqlite3 -bail "$CRM_DB" <"$dir/ref.sql"
echo "score $nopen open deals (1,000,000 x $scale): ${tc}s, CPU ${cc}s, peak $(rss "$dir/rss.deals"); the same features and scores in SQL (sqlite3): ${t}s, CPU ${cpu}s, peak $(rss "$dir/rss.ref"), ratio $(ratio "$tc" "$t"); load $(uptime | sed 's/.*average: //')"
row score-deals sqlite "$nopen" "$tc" "$t" "$dir/rss.deals"
awk -v n="$nlines" 'BEGIN { srand(3); print "name"; for (c = 1; c <= n / 20; c++) printf "C%d\n", c }' >"$dir/co.csv"
crm-company import -q "$dir/co.csv"
awk -v n="$nlines" 'BEGIN { srand(3); print "name,company_id,stage,amount,currency,closed_at"
	nc = n / 20
	for (i = 0; i < n; i++) {
		c = 1 + i % nc; k = int(i / nc); d = 1 + int(rand() * 28)
		printf "L%d,%d,closed_won,10,EUR,%04d-%02d-%02dT10:00:00Z\n", i, c, 2020 + int(k * 90 / 365), 1 + int(k * 3) % 12, d
	} }' >"$dir/lines.csv"
load "order lines" "$dir/lines.csv" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
CRM_NOW=2026-11-22T00:00:00Z timed "$dir/cycle.out" /usr/bin/time -f %M -o "$dir/rss.cycle" crm-score cycle -q --all -f csv
tc=$t cc=$cpu
# the floor: each customer's mean interval between purchases in SQL
# (window function; no median, no season, no evidence)
timed "$dir/floor.out" /usr/bin/time -f %M -o "$dir/rss.ref" sqlite3 "$CRM_DB" "SELECT company_id, avg(gap) FROM (SELECT company_id, julianday(closed_at) - julianday(lag(closed_at) OVER (PARTITION BY company_id ORDER BY closed_at)) AS gap FROM deals WHERE status = 'won') GROUP BY company_id"
echo "cycle over $nlines won deals as order lines (10,000,000 x $scale), $((nlines / 20)) customers: ${tc}s, CPU ${cc}s, peak $(rss "$dir/rss.cycle"); mean intervals in SQL (sqlite3): ${t}s, CPU ${cpu}s, peak $(rss "$dir/rss.ref"), ratio $(ratio "$tc" "$t"); load $(uptime | sed 's/.*average: //')"
row cycle sqlite "$nlines" "$tc" "$t" "$dir/rss.cycle"
