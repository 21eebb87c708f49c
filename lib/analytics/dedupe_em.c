/* dedupe_em.c - the Fellegi-Sunter model: level patterns, u from
 * random pairs, term frequencies, and m and the match rate by EM. See dedupe.h
 * and dedupe_impl.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe_impl.h"
#include "par.h"

/* -- the model --------------------------------------------------------- */

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct pattern {
	uint32_t code;
	double count;
};

static uint32_t encode(const struct crm_dedupe *dd, const int *lv)
{
	uint32_t c = 0;

	for (size_t f = 0; f < dd->nf; f++)
		c = c << 3 | (uint32_t)(lv[f] + 1);
	return c;
}

void crm_dd_decode_lv(const struct crm_dedupe *dd, uint32_t c, int *lv)
{
	for (size_t f = dd->nf; f-- > 0;) {
		lv[f] = (int)(c & 7) - 1;
		c >>= 3;
	}
}

/* -- comparing pairs on all threads ----------------------------------- */

struct compare_job {
	const struct crm_dedupe *dd;
	const uint64_t *pairs;
	uint32_t *codes;
	struct memo **memos;
};

static void compare_slice(void *arg, unsigned w, size_t lo, size_t hi)
{
	struct compare_job *job = arg;
	const struct crm_dedupe *dd = job->dd;
	const uint64_t *pairs = job->pairs;
	int lv[CRM_DD_MAXFIELDS];

	if (!job->memos[w])
		job->memos[w] =
		    crm_xcalloc((size_t)1 << MEMO_BITS, sizeof(struct memo));
	for (size_t p = lo; p < hi; p++) {
		/* the second record of a pair is anywhere in memory: ask
		 * for its fields, then its values, a few pairs ahead */
		if (p + 16 < hi) {
			size_t j = (uint32_t)pairs[p + 16];
			__builtin_prefetch(dd->v + row(dd, j));
			__builtin_prefetch(dd->x + row(dd, j));
		}
		if (p + 8 < hi) {
			size_t j = (uint32_t)pairs[p + 8];
			for (size_t f = 0; f < dd->nf; f++)
				__builtin_prefetch(dd->arena.s +
						   dd->v[row(dd, j) + f]);
		}
		crm_dd_compare(dd, pairs[p] >> 32, (uint32_t)pairs[p], lv,
			       job->memos[w]);
		job->codes[p] = encode(dd, lv);
	}
}

/* The levels of pairs (i << 32 | j) as codes; memos has one per worker
 * (CRM_PAR_MAX, NULL until used). */
void crm_dd_compare_all(const struct crm_dedupe *dd, const uint64_t *pairs,
			size_t n, uint32_t *codes, struct memo **memos)
{
	struct compare_job job = {dd, pairs, codes, memos};

	crm_par_for(dd->threads, n, 16384, compare_slice, &job);
}

/* tfu: for each field with a term-frequency adjustment, the chance that
 * two distinct records with a value have the same one (the interned
 * values' counts say it exactly). */
void crm_dd_estimate_tf(struct crm_dedupe *dd)
{
	double same[CRM_DD_MAXFIELDS] = {0};

	for (size_t j = 0; j < dd->captab; j++) {
		const char *o;
		double c;

		if (!dd->tab[j].off)
			continue;
		o = str(dd, dd->tab[j].off);
		if ((unsigned char)o[-5] >= dd->nf) /* a phonetic code */
			continue;
		c = count_of(dd, dd->tab[j].off);
		same[(unsigned char)o[-5]] += c * (c - 1);
	}
	for (size_t f = 0; f < dd->nf; f++) {
		double n = (double)dd->nonmissing[f];
		dd->tfu[f] = n > 1 ? same[f] / (n * (n - 1)) : 0;
	}
}

/* u: level frequencies among random pairs (nearly all non-matches). */
void crm_dd_estimate_u(struct crm_dedupe *dd, struct memo **memos)
{
	double cnt[CRM_DD_MAXFIELDS][4] = {{0}}, tot[CRM_DD_MAXFIELDS] = {0};
	uint64_t seed = 0x9E3779B97F4A7C15ULL, all, *pairs;
	size_t samples, n = 0;
	uint32_t *codes;
	int lv[CRM_DD_MAXFIELDS];

	all = (uint64_t)dd->n * (dd->n - 1) / 2;
	samples = all < 200000 ? (size_t)all : 200000;
	pairs = crm_xmalloc((samples ? samples : 1) * sizeof(*pairs));
	for (size_t s = 0; s < samples; s++) {
		size_t i, j;
		if (all <= 200000) { /* every pair, in order */
			i = (size_t)((1 + sqrt(1 + 8.0 * (double)s)) / 2);
			while (i * (i - 1) / 2 > s)
				i--;
			while ((i + 1) * i / 2 <= s)
				i++;
			j = s - i * (i - 1) / 2;
		} else {
			i = rng(&seed) % dd->n;
			j = rng(&seed) % dd->n;
			if (i == j)
				continue;
		}
		pairs[n++] = (uint64_t)i << 32 | j;
	}
	codes = crm_xmalloc((n ? n : 1) * sizeof(*codes));
	crm_dd_compare_all(dd, pairs, n, codes, memos);
	for (size_t k = 0; k < n; k++) {
		crm_dd_decode_lv(dd, codes[k], lv);
		for (size_t f = 0; f < dd->nf; f++)
			if (lv[f] >= 0) {
				cnt[f][lv[f]]++;
				tot[f]++;
			}
	}
	free(codes);
	free(pairs);
	for (size_t f = 0; f < dd->nf; f++) {
		int L = crm_dd_type_levels[dd->types[f]];
		/* a level never seen among random pairs still happens by
		 * chance: the prior below, and at least 1e-6 */
		double floor = 1e-6;
		double sum = 0, prior = 50;
		for (int l = 0; l < L; l++) {
			/* a small data set says little about chance
			 * agreement: 50 pseudo-pairs that mostly differ */
			double pr = l == 0 ? 0.97 : 0.03 / (L - 1) / (l * l);
			dd->u[f][l] = fmax(
			    (cnt[f][l] + prior * pr) / (tot[f] + prior), floor);
			sum += dd->u[f][l];
		}
		for (int l = 0; l < L; l++)
			dd->u[f][l] /= sum;
	}
}

/* m, u and lambda by EM over the distinct level patterns of the candidate
 * pairs; weak priors keep small data sets sane, and u never falls below
 * that of random pairs.
 *
 * All three are conditional on the pair being a candidate: blocking chose
 * the pairs for agreeing on something (a company and an initial, a phonetic
 * name ...), so among candidates that agreement is common and says little;
 * u from random pairs would count it a second time on top of a match rate
 * that already reflects it.
 *
 * Colleagues agree on company, email domain, city, region and country all
 * at once, and in a CRM most candidate pairs are colleagues: EM would take
 * "same company" for the match class, were it not that a match must share
 * an identifying value (em_member; colleagues seldom share an email or a
 * phone, see phone_typo). Estimated among candidates, where colleagues
 * abound, those context fields then weigh little; among people who merely
 * live in one place they still count. */
void crm_dd_estimate_m(struct crm_dedupe *dd, const uint32_t *codes)
{
	struct pattern *pt = NULL;
	size_t np = 0, cap = 0, tcap = 1024, *tab;
	double prior = 10; /* pseudo-pairs for the priors */
	double u0[CRM_DD_MAXFIELDS][4];
	int lv[CRM_DD_MAXFIELDS];

	tab = crm_xmalloc(tcap * sizeof(*tab));
	memset(tab, 0xFF, tcap * sizeof(*tab));
	for (size_t p = 0; p < dd->npairs; p++) {
		uint32_t c = codes[p];
		size_t j;
		for (j = crm_mix64(c) & (tcap - 1); tab[j] != SIZE_MAX;
		     j = (j + 1) & (tcap - 1))
			if (pt[tab[j]].code == c)
				break;
		if (tab[j] == SIZE_MAX) {
			pt = crm_xgrow(pt, &cap, np + 1, sizeof(*pt));
			pt[np] = (struct pattern){c, 0};
			tab[j] = np++;
			if (np * 2 > tcap) { /* rehash */
				tcap *= 2;
				tab = crm_xrealloc(tab, tcap * sizeof(*tab));
				memset(tab, 0xFF, tcap * sizeof(*tab));
				for (size_t k = 0; k < np; k++) {
					size_t q =
					    crm_mix64(pt[k].code) & (tcap - 1);
					while (tab[q] != SIZE_MAX)
						q = (q + 1) & (tcap - 1);
					tab[q] = k;
				}
				j = SIZE_MAX;
			}
		}
		if (j == SIZE_MAX) {
			for (j = crm_mix64(c) & (tcap - 1);
			     pt[tab[j]].code != c; j = (j + 1) & (tcap - 1))
				;
		}
		pt[tab[j]].count++;
	}
	free(tab);
	/* priors: a match mostly agrees exactly */
	for (size_t f = 0; f < dd->nf; f++) {
		int L = crm_dd_type_levels[dd->types[f]];
		for (int l = 0; l < L; l++)
			dd->m[f][l] = l == L - 1 ? 0.85 : 0.15 / (L - 1);
	}
	memcpy(u0, dd->u, sizeof(u0));
	dd->lambda = 0.3;
	for (int it = 0; it < 40; it++) {
		double mc[CRM_DD_MAXFIELDS][4] = {{0}};
		double uc[CRM_DD_MAXFIELDS][4] = {{0}};
		double mt[CRM_DD_MAXFIELDS] = {0}, ut[CRM_DD_MAXFIELDS] = {0};
		double wsum = 0, total = 0;

		for (size_t k = 0; k < np; k++) {
			double a = dd->lambda, b = 1 - dd->lambda, w;
			crm_dd_decode_lv(dd, pt[k].code, lv);
			for (size_t f = 0; f < dd->nf; f++) {
				if (lv[f] < 0)
					continue;
				a *= dd->m[f][lv[f]];
				b *= dd->u[f][lv[f]];
			}
			w = crm_dd_em_member(dd, lv) ? a / (a + b) * pt[k].count
						     : 0;
			wsum += w;
			total += pt[k].count;
			for (size_t f = 0; f < dd->nf; f++) {
				if (lv[f] < 0)
					continue;
				mc[f][lv[f]] += w;
				mt[f] += w;
				uc[f][lv[f]] += pt[k].count - w;
				ut[f] += pt[k].count - w;
			}
		}
		dd->lambda = (wsum + prior * 0.3) / (total + prior);
		dd->lambda = fmin(fmax(dd->lambda, 1e-4), 0.9999);
		for (size_t f = 0; f < dd->nf; f++) {
			int L = crm_dd_type_levels[dd->types[f]];
			for (int l = 0; l < L; l++) {
				double pr = l == L - 1 ? 0.85 : 0.15 / (L - 1);
				dd->m[f][l] =
				    (mc[f][l] + prior * pr) / (mt[f] + prior);
				dd->m[f][l] = fmax(dd->m[f][l], 1e-4);
				/* non-matches among candidates: the random
				 * pairs' u is their prior */
				dd->u[f][l] = (uc[f][l] + prior * u0[f][l]) /
					      (ut[f] + prior);
				dd->u[f][l] = fmax(dd->u[f][l], u0[f][l]);
			}
		}
	}
	free(pt);
}
