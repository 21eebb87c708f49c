/* dedupe_cluster.c - clustering: strongest links first, clusters
 * joined only when their centers match. See dedupe.h
 * and dedupe_impl.h. */
#include <stdlib.h>

#include "dedupe_impl.h"

/* -- clustering -------------------------------------------------------- */

uint32_t crm_dd_find(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

static int by_prob(const void *a, const void *b, void *arg)
{
	const float *p = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (p[x] != p[y])
		return p[x] > p[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Strongest links first; two clusters join only when their centers match
 * each other, so a chain of weak links never grows a cluster. */
void crm_dd_cluster(struct crm_dedupe *dd)
{
	size_t *edges =
	    crm_xmalloc((dd->nmatch ? dd->nmatch : 1) * sizeof(size_t));
	size_t ne = 0;

	dd->parent = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->size = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->center = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->cluster = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(uint32_t));
	dd->best = crm_xmalloc((dd->n ? dd->n : 1) * sizeof(float));
	for (size_t i = 0; i < dd->n; i++) {
		dd->parent[i] = dd->center[i] = dd->cluster[i] = (uint32_t)i;
		dd->size[i] = 1;
		dd->best[i] = -1;
	}
	for (size_t p = 0; p < dd->npairs; p++)
		if (dd->prob[p] >= dd->threshold)
			edges[ne++] = p;
	qsort_r(edges, ne, sizeof(*edges), by_prob, dd->prob);
	for (size_t k = 0; k < ne; k++) {
		uint32_t a = (uint32_t)(dd->pairs[edges[k]] >> 32);
		uint32_t b = (uint32_t)dd->pairs[edges[k]];
		uint32_t ra = crm_dd_find(dd->parent, a),
			 rb = crm_dd_find(dd->parent, b);
		uint32_t ca, cb;
		double p = dd->prob[edges[k]];

		if (ra == rb)
			continue;
		ca = dd->center[ra];
		cb = dd->center[rb];
		if (ca != a || cb != b)
			p = crm_dd_score(dd, ca, cb);
		if (p < dd->threshold)
			continue;
		if (dd->size[ra] < dd->size[rb] ||
		    (dd->size[ra] == dd->size[rb] && ca > cb)) {
			uint32_t t = ra;
			ra = rb;
			rb = t;
		}
		dd->parent[rb] = ra;
		dd->size[ra] += dd->size[rb];
	}
	free(edges);
	/* each record's link to its center; the cluster is its first
	 * member */
	for (size_t i = 0; i < dd->n; i++) {
		uint32_t r = crm_dd_find(dd->parent, (uint32_t)i);
		if (i < dd->cluster[r])
			dd->cluster[r] = (uint32_t)i;
	}
	for (size_t i = 0; i < dd->n; i++) {
		uint32_t r = crm_dd_find(dd->parent, (uint32_t)i),
			 c = dd->center[r];
		if (dd->size[r] < 2 || c == i)
			continue;
		dd->best[i] = (float)crm_dd_score(dd, i, c);
		if (dd->best[i] > dd->best[c])
			dd->best[c] = dd->best[i];
	}
}
