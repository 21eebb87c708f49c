#!/bin/sh
# f1.sh TRUTH.csv RESULT.csv: pairwise precision, recall and F1 of a
# clustering. TRUTH has columns id and true_id (its first and last columns);
# RESULT is crm-dedupe stream's output (id, cluster, probability). A pair
# of records is a true pair when they share true_id, a found pair when they
# share cluster.
awk -F, '
FNR == 1 { next }
NR == FNR { truth[$1] = $NF; next }
{ c = $2; t = truth[$1]; pred[c]++; tru[t]++; both[c SUBSEP t]++ }
END {
	for (k in pred) fp += pred[k] * (pred[k] - 1) / 2
	for (k in tru) tp_all += tru[k] * (tru[k] - 1) / 2
	for (k in both) tp += both[k] * (both[k] - 1) / 2
	p = fp ? tp / fp : 1; r = tp_all ? tp / tp_all : 1
	f = p + r ? 2 * p * r / (p + r) : 0
	printf "pairs: true %d, found %d, right %d; precision %.4f recall %.4f F1 %.4f\n", tp_all, fp, tp, p, r, f
}' "$1" "$2"
