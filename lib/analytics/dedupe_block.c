/* dedupe_block.c - blocking: the keys of each record, the blocks and
 * the candidate pairs they give, and the candidates of one new record. See
 * dedupe.h and dedupe_impl.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe_impl.h"
#include "match.h"
#include "normalize.h"
#include "par.h"

/* -- blocking ---------------------------------------------------------- */

/* LSD radix sort of n 64-bit keys (with payload when slots). */
static void radix_slots(struct slot *a, size_t n)
{
	if (!n)
		return;
	struct slot *b = crm_xmalloc((n ? n : 1) * sizeof(*b));
	size_t *cnt = crm_xmalloc(65536 * sizeof(size_t));

	for (int pass = 0; pass < 4; pass++) {
		int sh = pass * 16;
		size_t sum = 0;
		memset(cnt, 0, 65536 * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			cnt[(a[i].key >> sh) & 0xFFFF]++;
		for (size_t k = 0; k < 65536; k++) {
			size_t c = cnt[k];
			cnt[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[(a[i].key >> sh) & 0xFFFF]++] = a[i];
		memcpy(a, b, n * sizeof(*a));
	}
	free(cnt);
	free(b);
}

struct keys {
	uint64_t k[16];
	int n;
};

static void key_add(struct keys *ks, int kind, const char *a, const char *b)
{
	uint64_t h = CRM_FNV_BASIS ^ (uint64_t)kind * 0x9E3779B97F4A7C15ULL;

	if (!a || !*a || (b && !*b) || ks->n == 16)
		return;
	h = crm_fnv1a64(a, strlen(a), h);
	if (b) {
		h = crm_fnv1a64("|", 1, h);
		h = crm_fnv1a64(b, strlen(b), h);
	}
	ks->k[ks->n++] = crm_mix64(h);
}

/* The blocking keys of record i: equal email, equal phone, phonetic last
 * name with first initial, both phonetic names in either order, birth date
 * with either initial, postcode with last initial, company with first
 * initial, full name words, address. */
static void block_keys(const struct crm_dedupe *dd, size_t i, struct keys *ks)
{
	const uint32_t *v = dd->v + row(dd, i), *x = dd->x + row(dd, i);
	char fi[8] = "", li[8] = "", yy[8] = "";
	const char *fx = "", *lx = "";

	ks->n = 0;
	if (dd->first >= 0 && v[dd->first]) {
		const char *s = crm_norm_nickname(str(dd, v[dd->first]));
		fi[0] = s[0];
		fx = str(dd, x[dd->first]);
	}
	if (dd->last >= 0 && v[dd->last]) {
		li[0] = str(dd, v[dd->last])[0];
		lx = str(dd, x[dd->last]);
	}
	key_add(ks, 1, lx, fi);
	if (*fx && *lx)
		key_add(ks, 2, strcmp(fx, lx) < 0 ? fx : lx,
			strcmp(fx, lx) < 0 ? lx : fx);
	for (size_t f = 0; f < dd->nf; f++) {
		const char *s = str(dd, v[f]);
		int k = 10 + (int)f * 4;

		if (!v[f])
			continue;
		switch (dd->types[f]) {
		case CRM_DD_EMAIL:
		case CRM_DD_PHONE:
		case CRM_DD_DOMAIN:
			key_add(ks, k, s, NULL);
			break;
		case CRM_DD_DATE: {
			/* day and month in either order; one kind for both
			 * initials: a swapped name still shares a block */
			char ds[16];
			unsigned md = x[f] % 10000, a = md / 100, b = md % 100;
			if (!x[f])
				break;
			snprintf(ds, sizeof(ds), "%u%02u%02u", x[f] / 10000,
				 a < b ? a : b, a < b ? b : a);
			key_add(ks, k, ds, fi);
			key_add(ks, k, ds, li);
			if (!*fi && !*li)
				key_add(ks, k + 2, ds, NULL);
			break;
		}
		case CRM_DD_POSTCODE:
			key_add(ks, k, s, li);
			if (x[f])
				snprintf(yy, sizeof(yy), "%u", x[f] / 10000);
			break;
		case CRM_DD_COMPANY: {
			/* a person's employer: with an initial; a company's
			 * own name: whole, and each of its first words (big
			 * blocks of common words are windowed) */
			const char *w[3];
			int len[3], nw;
			char word[64];

			if (*fi || *li) {
				key_add(ks, k, s, *fi ? fi : li);
				break;
			}
			key_add(ks, k, s, NULL);
			nw = crm_match_words(s, w, len, 3);
			for (int a = 0; nw > 1 && a < nw; a++) {
				if (len[a] < 2 ||
				    (size_t)len[a] >= sizeof(word))
					continue;
				memcpy(word, w[a], (size_t)len[a]);
				word[len[a]] = '\0';
				key_add(ks, k + 1, word, NULL);
			}
			break;
		}
		case CRM_DD_NAME: {
			/* the words in order, so "Lee Ann" meets "Ann Lee" */
			const char *w[8];
			int len[8], nw = crm_match_words(s, w, len, 8);
			char sorted[256];
			size_t o = 0;
			for (int a = 1; a < nw; a++)
				for (int b = a;
				     b > 0 && strncmp(w[b - 1], w[b], 255) > 0;
				     b--) {
					const char *t = w[b];
					int tl = len[b];
					w[b] = w[b - 1];
					len[b] = len[b - 1];
					w[b - 1] = t;
					len[b - 1] = tl;
				}
			for (int a = 0;
			     a < nw && o + (size_t)len[a] + 2 < sizeof(sorted);
			     a++) {
				memcpy(sorted + o, w[a], (size_t)len[a]);
				o += (size_t)len[a];
				sorted[o++] = ' ';
			}
			sorted[o ? o - 1 : 0] = '\0';
			key_add(ks, k, sorted, NULL);
			break;
		}
		case CRM_DD_ADDRESS:
			key_add(ks, k, s, NULL);
			break;
		default:
			break;
		}
	}
	/* postcode with birth year */
	for (size_t f = 0; f < dd->nf; f++)
		if (dd->types[f] == CRM_DD_POSTCODE && v[f])
			for (size_t g = 0; g < dd->nf; g++)
				if (dd->types[g] == CRM_DD_DATE && x[g]) {
					snprintf(yy, sizeof(yy), "%u",
						 x[g] / 10000);
					key_add(ks, 5, str(dd, v[f]), yy);
				}
}

static int by_sortkey(const void *a, const void *b, void *arg)
{
	const uint64_t *sk = arg;
	const struct slot *x = a, *y = b;
	uint64_t p = sk[x->rec], q = sk[y->rec];

	if (p != q)
		return p < q ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* Blocking keys of records, a slice per task: tasks store their slots
 * by slice number, so the order is the records' whatever the threads. */
struct keys_job {
	const struct crm_dedupe *dd;
	size_t chunk;
	struct slot **buf;
	size_t *len;
};

static void keys_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct keys_job *job = arg;
	struct slot *b = NULL;
	size_t n = 0, cap = 0;
	struct keys ks;

	(void)w;
	for (size_t i = lo; i < hi; i++) {
		block_keys(job->dd, i, &ks);
		b = crm_xgrow(b, &cap, n + (size_t)ks.n, sizeof(*b));
		for (int k = 0; k < ks.n; k++)
			b[n++] = (struct slot){ks.k[k], (uint32_t)i};
	}
	job->buf[lo / job->chunk] = b;
	job->len[lo / job->chunk] = n;
}

/* Big blocks in sort key order, so that neighbours are alike. */
struct sort_job {
	struct crm_dedupe *dd;
	const size_t *big; /* start and end of each big block */
};

static void sort_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct sort_job *job = arg;

	(void)w;
	for (size_t k = lo; k < hi; k++) {
		size_t s = job->big[2 * k], e = job->big[2 * k + 1];
		qsort_r(job->dd->slots + s, e - s, sizeof(*job->dd->slots),
			by_sortkey, job->dd->sortkey);
	}
}

/* Candidate pairs record by record: the partners of record a are the
 * later records sharing one of its blocks (in a big block, within window
 * places of it), sorted and unique; so the pairs come out in order with
 * no global sort. Each slice of records keeps its partners, joined in
 * slice order after. */
struct pairs_job {
	const struct crm_dedupe *dd;
	const uint32_t *recs;  /* the slots' records, in slot order */
	const size_t *rfirst;  /* per record: its first entry in range */
	const uint32_t *range; /* per entry: the slots it is compared with */
	size_t chunk;
	size_t *count;	/* per record: how many partners */
	uint32_t **buf; /* per slice: the partners of its records, in turn */
};

static size_t partners(const struct pairs_job *job, size_t a, uint32_t *out)
{
	size_t n = 0, m = 0;

	for (size_t k = job->rfirst[a]; k < job->rfirst[a + 1]; k++)
		for (size_t r = job->range[2 * k]; r < job->range[2 * k + 1];
		     r++)
			if (job->recs[r] > a)
				out[n++] = job->recs[r];
	for (size_t i = 1; i < n; i++) { /* few: insertion sort */
		uint32_t v = out[i];
		size_t j = i;
		for (; j > 0 && out[j - 1] > v; j--)
			out[j] = out[j - 1];
		out[j] = v;
	}
	for (size_t i = 0; i < n; i++)
		if (!i || out[i] != out[i - 1])
			out[m++] = out[i];
	return m;
}

static void pairs_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct pairs_job *job = arg;
	const struct crm_dedupe *dd = job->dd;
	size_t most = 0, n = 0, cap = 0;
	uint32_t *b = NULL;

	(void)w;
	/* at most a block's worth (or two windows) per slot */
	for (size_t a = lo; a < hi; a++) {
		size_t k = job->rfirst[a + 1] - job->rfirst[a];
		if (k > most)
			most = k;
	}
	most *= dd->max_block > 2 * dd->window + 1 ? dd->max_block
						   : 2 * dd->window + 1;
	for (size_t a = lo; a < hi; a++) {
		/* the blocks of a record a few ahead are anywhere */
		if (a + 4 < hi)
			for (size_t k = job->rfirst[a + 4];
			     k < job->rfirst[a + 5]; k++)
				__builtin_prefetch(job->recs +
						   job->range[2 * k]);
		b = crm_xgrow(b, &cap, n + most + 1, sizeof(*b));
		job->count[a] = partners(job, a, b + n);
		n += job->count[a];
	}
	job->buf[lo / job->chunk] = b;
}

/* Candidate pairs: all pairs of a block up to max_block records, each
 * record with its window neighbours (by sort key) in bigger ones. */
void crm_dd_block(struct crm_dedupe *dd)
{
	size_t chunk = 16384, nchunks = dd->n / chunk + 1, nbig = 0, w;
	struct keys_job kj = {dd, chunk, crm_xcalloc(nchunks, sizeof(*kj.buf)),
			      crm_xcalloc(nchunks, sizeof(*kj.len))};
	struct pairs_job pj = {dd};
	size_t *big = NULL, bigcap = 0, *rfirst;
	uint32_t *range, *recs;
	size_t total = 0;

	crm_par_for(dd->threads, dd->n, chunk, keys_slice, &kj);
	dd->nslots = 0;
	for (size_t c = 0; c < nchunks; c++)
		dd->nslots += kj.len[c];
	free(dd->slots);
	dd->slots =
	    crm_xmalloc((dd->nslots ? dd->nslots : 1) * sizeof(*dd->slots));
	for (size_t c = 0, at = 0; c < nchunks; c++) {
		if (kj.len[c])
			memcpy(dd->slots + at, kj.buf[c],
			       kj.len[c] * sizeof(*dd->slots));
		at += kj.len[c];
		free(kj.buf[c]);
	}
	free(kj.buf);
	free(kj.len);
	radix_slots(dd->slots, dd->nslots);

	/* the big blocks sorted */
	for (size_t s = 0; s < dd->nslots; s = w) {
		for (w = s + 1;
		     w < dd->nslots && dd->slots[w].key == dd->slots[s].key;
		     w++)
			;
		if (w - s > dd->max_block) {
			big =
			    crm_xgrow(big, &bigcap, 2 * nbig + 2, sizeof(*big));
			big[2 * nbig] = s;
			big[2 * nbig + 1] = w;
			nbig++;
		}
	}
	crm_par_for(dd->threads, nbig, 16, sort_slice,
		    &(struct sort_job){dd, big});
	free(big);

	/* each record's slots, as the ranges of slots it meets there: its
	 * block, or its window in a big one */
	rfirst = crm_xcalloc(dd->n + 2, sizeof(*rfirst));
	range = crm_xmalloc((dd->nslots ? dd->nslots : 1) * 2 * sizeof(*range));
	recs = crm_xmalloc((dd->nslots ? dd->nslots : 1) * sizeof(*recs));
	for (size_t q = 0; q < dd->nslots; q++) {
		rfirst[dd->slots[q].rec + 2]++;
		recs[q] = dd->slots[q].rec;
	}
	for (size_t i = 2; i < dd->n + 2; i++)
		rfirst[i] += rfirst[i - 1];
	for (size_t s = 0; s < dd->nslots; s = w) {
		for (w = s + 1;
		     w < dd->nslots && dd->slots[w].key == dd->slots[s].key;
		     w++)
			;
		for (size_t q = s; q < w; q++) {
			size_t k = rfirst[dd->slots[q].rec + 1]++, lo = s,
			       hi = w;
			if (w - s > dd->max_block) {
				if (q - s > dd->window)
					lo = q - dd->window;
				if (w - q > dd->window + 1)
					hi = q + dd->window + 1;
			}
			range[2 * k] = (uint32_t)lo;
			range[2 * k + 1] = (uint32_t)hi;
		}
	}
	pj = (struct pairs_job){dd,
				recs,
				rfirst,
				range,
				chunk,
				crm_xmalloc((dd->n + 1) * sizeof(size_t)),
				crm_xcalloc(nchunks, sizeof(uint32_t *))};
	crm_par_for(dd->threads, dd->n, chunk, pairs_slice, &pj);
	for (size_t a = 0; a < dd->n; a++)
		total += pj.count[a];
	free(dd->pairs);
	dd->pairs = crm_xmalloc((total ? total : 1) * sizeof(*dd->pairs));
	dd->npairs = 0;
	for (size_t c = 0; c < nchunks; c++) {
		const uint32_t *b = pj.buf[c];
		for (size_t a = c * chunk; a < dd->n && a < (c + 1) * chunk;
		     a++)
			for (size_t k = 0; k < pj.count[a]; k++)
				dd->pairs[dd->npairs++] =
				    (uint64_t)a << 32 | *b++;
		free(pj.buf[c]);
	}
	free(pj.buf);
	free(pj.count);
	free(rfirst);
	free(range);
	free(recs);
}

static int by_key(const void *k, const void *s)
{
	uint64_t a = *(const uint64_t *)k, b = ((const struct slot *)s)->key;

	return a < b ? -1 : a > b;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

long crm_dedupe_candidates(struct crm_dedupe *dd, const char *const *vals,
			   double threshold,
			   int (*fn)(size_t i, double p, void *arg), void *arg,
			   struct crm_err *err)
{
	struct keys ks;
	long q, found = 0;
	size_t n0 = dd->n, nc = 0, cap = 0;
	uint32_t *cand = NULL;

	if (!dd->parent)
		return crm_err_set(err, CRM_EX_SOFTWARE, "dedupe not run");
	/* the record is added, compared and taken back out (its interned
	 * values stay, a count one too high: a term frequency bears that) */
	q = crm_dedupe_add(dd, "", vals, err);
	if (q < 0)
		return -1;
	block_keys(dd, (size_t)q, &ks);
	for (int k = 0; k < ks.n; k++) {
		/* (no slots at all: an empty table, and a NULL array) */
		struct slot *s = dd->nslots
				     ? bsearch(&ks.k[k], dd->slots, dd->nslots,
					       sizeof(*dd->slots), by_key)
				     : NULL;
		size_t lo, hi;
		if (!s)
			continue;
		lo = hi = (size_t)(s - dd->slots);
		while (lo > 0 && dd->slots[lo - 1].key == ks.k[k])
			lo--;
		while (hi < dd->nslots && dd->slots[hi].key == ks.k[k])
			hi++;
		if (hi - lo > dd->max_block * 4)
			hi = lo + dd->max_block * 4;
		cand = crm_xgrow(cand, &cap, nc + (hi - lo), sizeof(*cand));
		for (size_t j = lo; j < hi; j++)
			cand[nc++] = dd->slots[j].rec;
	}
	if (nc)
		qsort(cand, nc, sizeof(*cand), by_u32);
	for (size_t j = 0; j < nc; j++) {
		double p;
		if (j && cand[j] == cand[j - 1])
			continue;
		p = crm_dd_score(dd, (size_t)q, cand[j]);
		if (p < threshold)
			continue;
		found++;
		if (fn(cand[j], p, arg) < 0) {
			found = -1;
			break;
		}
	}
	free(cand);
	dd->n = n0;
	return found;
}
