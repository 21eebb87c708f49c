/* dedupe_impl.h - internals shared by lib/analytics/dedupe*.c (records and
 * the run in dedupe.c, blocking in dedupe_block.c, comparison in
 * dedupe_compare.c, the model and EM in dedupe_em.c, clustering in
 * dedupe_cluster.c); callers use dedupe.h. */
#ifndef CRM_DEDUPE_IMPL_H
#define CRM_DEDUPE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dedupe.h"
#include "hash.h"
#include "util.h"

struct intern {
	uint32_t off, hash;
};

/* Records are numbered in 32 bits, and so are their blocking keys (at
 * most 16 a record). */
#define CRM_DD_MAXRECORDS (1UL << 28)

struct slot { /* a block key: its hash and the record */
	uint64_t key;
	uint32_t rec;
};

struct crm_dedupe {
	size_t nf;
	char **names;
	int types[CRM_DD_MAXFIELDS];
	size_t col[CRM_DD_MAXFIELDS]; /* its index in crm_dedupe_new's list */
	long first, last; /* field index of first and last name, or -1 */
	uint64_t nonmissing[CRM_DD_MAXFIELDS];
	/* context fields (a person's company, city, country ...) describe
	 * where a record lives, not who it is: agreeing on them identifies
	 * no one (identity_agrees) */
	bool context[CRM_DD_MAXFIELDS];
	/* key fields (email, phone, birth date, address, numbers) of people:
	 * unlike a name, each is seldom shared by two people */
	bool key[CRM_DD_MAXFIELDS], has_key;
	/* per field with a term-frequency adjustment: the chance that two
	 * distinct records with a value share it */
	double tfu[CRM_DD_MAXFIELDS];

	size_t n, cap;
	uint32_t *id; /* per record: offset of its id */
	/* per record and field: value, secondary value (x is v + nf, the
	 * rows of both 2 * nf apart) */
	uint32_t *v, *x;
	uint64_t *sortkey; /* per record: order inside a big block */
	struct crm_buf arena;
	struct intern *tab;
	size_t ntab, captab;
	uint32_t *idtab; /* record index + 1 by id hash: ids are unique */
	size_t capid;

	/* model */
	double m[CRM_DD_MAXFIELDS][4], u[CRM_DD_MAXFIELDS][4], lambda;
	double threshold;
	/* rule: OR of AND groups of (field, minimum level) */
	struct {
		int nterm, field[CRM_DD_MAXFIELDS], level[CRM_DD_MAXFIELDS];
	} * rule;
	size_t nrule;
	bool use_rule;

	/* blocks, kept for crm_dedupe_candidates */
	struct slot *slots;
	size_t nslots;
	unsigned max_block, window;
	unsigned threads; /* 0: crm_par_default */

	/* pairs and results */
	uint64_t *pairs;
	float *prob;
	size_t npairs;
	uint64_t nmatch;
	uint32_t *parent, *size, *center, *cluster;
	float *best;
	struct crm_buf tmp;
};

/* Where record i's values start in v (and its secondary values in x). */
static inline size_t row(const struct crm_dedupe *dd, size_t i)
{
	return i * 2 * dd->nf;
}

static inline const char *str(const struct crm_dedupe *dd, uint32_t off)
{
	return dd->arena.s + off;
}

static inline uint32_t count_of(const struct crm_dedupe *dd, uint32_t off)
{
	uint32_t c;

	memcpy(&c, dd->arena.s + off - 4, 4);
	return c;
}

/* A memo of comparisons between two interned values (names, places):
 * values repeat, and so do their pairs. Keyed by the two offsets, which
 * also tell the fields apart; one per thread. */
#define MEMO_BITS 16

struct memo {
	uint32_t a, b;
	double val;
};

static inline struct memo *memo_slot(struct memo *mm, uint32_t a, uint32_t b)
{
	return mm + (crm_mix64((uint64_t)a << 32 | b) >> (64 - MEMO_BITS));
}

/* dedupe.c: levels per type (the top one is "exact"); whether values of
 * type t get a term-frequency adjustment */
extern const int crm_dd_type_levels[CRM_DD_NTYPES];
bool crm_dd_tf_type(int t);

/* dedupe_compare.c: levels of every field for records i and j (mm a memo
 * or NULL); whether EM may count a pair as a match; the probability of
 * levels lv of record i; whether the rule holds; the score of i and j */
void crm_dd_compare(const struct crm_dedupe *dd, size_t i, size_t j, int *lv,
		    struct memo *mm);
bool crm_dd_em_member(const struct crm_dedupe *dd, const int *lv);
double crm_dd_probability(const struct crm_dedupe *dd, size_t i, const int *lv);
bool crm_dd_rule_holds(const struct crm_dedupe *dd, const int *lv);
double crm_dd_score(const struct crm_dedupe *dd, size_t i, size_t j);

/* dedupe_block.c: the candidate pairs of dd's records */
void crm_dd_block(struct crm_dedupe *dd);

/* dedupe_em.c: the model */
void crm_dd_decode_lv(const struct crm_dedupe *dd, uint32_t c, int *lv);
void crm_dd_compare_all(const struct crm_dedupe *dd, const uint64_t *pairs,
			size_t n, uint32_t *codes, struct memo **memos);
void crm_dd_estimate_tf(struct crm_dedupe *dd);
void crm_dd_estimate_u(struct crm_dedupe *dd, struct memo **memos);
void crm_dd_estimate_m(struct crm_dedupe *dd, const uint32_t *codes);

/* dedupe_cluster.c: the root of i's set; the clusters of the pairs */
uint32_t crm_dd_find(uint32_t *parent, uint32_t i);
void crm_dd_cluster(struct crm_dedupe *dd);

#endif
