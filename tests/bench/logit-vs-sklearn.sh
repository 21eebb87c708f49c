#!/bin/sh
# logit-vs-sklearn.sh [ROWS]: crm-score's logistic regression against
# scikit-learn's LogisticRegression (Debian's python3-sklearn, see DEB_PKGS
# in the Makefile; this script installs nothing) on a generated data set of
# known structure (default 20,000 rows: 8 numeric columns, some with
# missing values, 4 categorical, a linear log-odds plus noise), with the
# same train/test split (first 70% / last 30%) and the same encoding
# (one-hot of every value seen in training, numbers standardized with the
# population sd, missing numbers as the mean plus an indicator column), and
# the same penalty (L2 lambda 1 = C 1). Prints both held-out ROC AUCs and
# the difference; the target is ours no more than 0.005 below.
# Then: train on 100,000 rows x 40 columns and predict 1,000,000 rows, with
# times and peak RSS. BENCH_BIG=0 skips that part.
set -eu
n=${1:-20000}
BUILD=${BUILD:-build}
PYTHON=${PYTHON:-/usr/bin/python3}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib.sh"
bin=$top/$BUILD/bin
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
export CRM_NOW=2026-11-22T09:30:00Z

if ! "$PYTHON" -c 'import sklearn, numpy' 2>/dev/null; then
	echo "logit-vs-sklearn: $PYTHON lacks scikit-learn (apt-get install python3-sklearn)" >&2
	exit 1
fi

# gen.py ROWS NUM CAT SEED: CSV on stdout; column "converted" is 0/1.
cat >"$dir/gen.py" <<'PY'
import sys
import numpy as np
n, nnum, ncat, seed = (int(a) for a in sys.argv[1:5])
rng = np.random.default_rng(seed)
cols, logit = [], -0.5 * np.ones(n)
for j in range(nnum):
    x = rng.normal(50 + 10 * j, 5 + j, n)
    beta = (0.8 if j % 3 == 0 else -0.5 if j % 3 == 1 else 0.1) / (5 + j)
    logit += beta * (x - (50 + 10 * j))
    s = np.array(["%.3f" % v for v in x], dtype=object)
    if j % 2 == 0:  # every other numeric column misses 5% of its values
        s[rng.random(n) < 0.05] = ""
    cols.append(("Num %d" % j, s))
for j in range(ncat):
    k = 3 + j % 6
    effects = np.linspace(-1, 1, k) * (1.0 if j % 2 == 0 else 0.3)
    idx = rng.integers(0, k, n)
    logit += effects[idx]
    cols.append(("Cat-%d" % j, np.array(["lvl%d" % i for i in idx], dtype=object)))
y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
out = sys.stdout
out.write(",".join(c for c, _ in cols) + ",converted\n")
for i in range(n):
    out.write(",".join(str(v[i]) for _, v in cols) + ",%d\n" % y[i])
PY

"$PYTHON" "$dir/gen.py" "$n" 8 4 7 >"$dir/all.csv"
ntrain=$((n * 7 / 10))
head -n $((ntrain + 1)) "$dir/all.csv" >"$dir/train.csv"
{ head -n 1 "$dir/all.csv"; tail -n +$((ntrain + 2)) "$dir/all.csv"; } >"$dir/test.csv"
echo "data: $n rows (8 numeric, 4 categorical), train $ntrain, test $((n - ntrain))"

"$bin/crm-score" train -q --target converted --min-count 1 --folds 0 \
	--model "$dir/model.json" "$dir/train.csv"
"$bin/crm-score" predict -q -f csv --fields probability --model "$dir/model.json" \
	"$dir/test.csv" >"$dir/ours.csv"

cat >"$dir/compare.py" <<'PY'
import csv, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
train, test, ours = sys.argv[1:4]
def load(path):
    return list(csv.DictReader(open(path)))
tr, te = load(train), load(test)
names = [c for c in tr[0].keys() if c != "converted"]
num = [c for c in names if c.startswith("Num")]
cat = [c for c in names if c.startswith("Cat")]
def design(rows, spec):
    X = []
    for r in rows:
        x = []
        for c in num:
            mean, sd, miss = spec[c]
            v = r[c]
            x.append(0.0 if v == "" else (float(v) - mean) / sd)
            if miss:
                x.append(1.0 if v == "" else 0.0)
        for c in cat:
            x.extend(1.0 if r[c] == l else 0.0 for l in spec[c])
        X.append(x)
    return np.array(X)
spec = {}
for c in num:
    v = np.array([float(r[c]) for r in tr if r[c] != ""])
    spec[c] = (v.mean(), v.std(), any(r[c] == "" for r in tr))
for c in cat:
    spec[c] = sorted({r[c] for r in tr})
ytr = np.array([int(r["converted"]) for r in tr])
yte = np.array([int(r["converted"]) for r in te])
m = LogisticRegression(C=1.0, max_iter=10000, tol=1e-8).fit(design(tr, spec), ytr)
auc_sk = roc_auc_score(yte, m.predict_proba(design(te, spec))[:, 1])
p = np.array([float(r["probability"]) for r in csv.DictReader(open(ours))])
auc_ours = roc_auc_score(yte, p)
print("held-out ROC AUC: crm-score %.6f, scikit-learn %.6f, difference (ours - sklearn) %+.6f"
      % (auc_ours, auc_sk, auc_ours - auc_sk))
print("target (ours no more than 0.005 below): %s" % ("met" if auc_ours >= auc_sk - 0.005 else "NOT MET"))
PY
"$PYTHON" "$dir/compare.py" "$dir/train.csv" "$dir/test.csv" "$dir/ours.csv"

[ "${BENCH_BIG:-1}" = 0 ] && exit 0

"$PYTHON" "$dir/gen.py" 100000 30 10 11 >"$dir/big.csv"
timed /dev/null /usr/bin/time -f %M -o "$dir/rss.train" "$bin/crm-score" train \
	--target converted --model "$dir/big.json" "$dir/big.csv"
echo "train: 100000 rows x 40 columns, 5-fold CV and the final fit: ${t}s, peak RSS $(rss "$dir/rss.train")"
"$PYTHON" "$dir/gen.py" 1000000 30 10 12 >"$dir/million.csv"
timed /dev/null /usr/bin/time -f %M -o "$dir/rss.predict" "$bin/crm-score" predict \
	-q -f csv --model "$dir/big.json" "$dir/million.csv"
echo "predict: 1000000 rows x 40 columns: ${t}s, peak RSS $(rss "$dir/rss.predict")"
