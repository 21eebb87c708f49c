/* dedupe_compare.c - comparison: the agreement level of each field of
 * two records, and their match probability under the model or a rule. See
 * dedupe.h and dedupe_impl.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe_impl.h"
#include "match.h"
#include "normalize.h"

/* -- comparison -------------------------------------------------------- */

static int name_level(const struct crm_dedupe *dd, uint32_t a, uint32_t b,
		      uint32_t xa, uint32_t xb, bool first)
{
	const char *s, *t;
	double jw;

	if (!a || !b)
		return -1;
	if (a == b)
		return 3;
	s = str(dd, a);
	t = str(dd, b);
	if (first && xa == xb &&
	    !strcmp(crm_norm_nickname(s), crm_norm_nickname(t)))
		return 2;
	/* only 0.92 and 0.8 matter, and 0.8 not with the same code */
	jw = crm_match_jaro_winkler_min(s, t, xa && xa == xb ? 0.92 : 0.8);
	if (jw >= 0.92)
		return 2;
	if (jw >= 0.8 || (xa && xa == xb))
		return 1;
	/* an initial for a name: "J" and "John" */
	if ((!s[1] || !t[1]) && s[0] == t[0])
		return 1;
	return 0;
}

/* Two phone numbers (their last digits) one typo apart: a swap of two
 * digits, one digit more or less, or another digit before the last four.
 * Numbers of one organisation share all but their last digits (a range of
 * extensions), so one digit among those is another line, not a typo. */
static int phone_typo(const char *s, const char *t)
{
	size_t n = strlen(s), diff = 0, at = 0;

	if (crm_match_damerau_near(s, t) != 1)
		return 0;
	if (n != strlen(t))
		return 1;
	for (size_t k = 0; k < n; k++)
		if (s[k] != t[k]) {
			diff++;
			at = k;
		}
	return diff != 1 || at + 4 < n;
}

static int level(const struct crm_dedupe *dd, size_t f, size_t i, size_t j,
		 size_t fi, size_t fj)
{
	uint32_t a = dd->v[row(dd, i) + fi], b = dd->v[row(dd, j) + fj];
	const char *s, *t;

	switch (dd->types[f]) {
	case CRM_DD_FIRST_NAME:
	case CRM_DD_LAST_NAME:
		return name_level(dd, a, b, dd->x[row(dd, i) + fi],
				  dd->x[row(dd, j) + fj],
				  dd->types[fi] == CRM_DD_FIRST_NAME &&
				      dd->types[fj] == CRM_DD_FIRST_NAME);
	case CRM_DD_DATE:
		return crm_match_date(dd->x[row(dd, i) + f],
				      dd->x[row(dd, j) + f]);
	default:
		break;
	}
	if (!a || !b)
		return -1;
	s = str(dd, a);
	t = str(dd, b);
	if (a == b || (!crm_dd_tf_type(dd->types[f]) && !strcmp(s, t)))
		return crm_dd_type_levels[dd->types[f]] -
		       1; /* interned: a != b */
	switch (dd->types[f]) {
	case CRM_DD_NAME: {
		double ts = crm_match_token_set(s, t);
		double jw = crm_match_jaro_winkler_min(s, t, 0.85);
		if (ts >= 0.99 || jw >= 0.94)
			return 2;
		return ts >= 0.5 || jw >= 0.85;
	}
	case CRM_DD_EMAIL: {
		/* a sub-address ("+tag") at the same domain, or a typo; the
		 * same local part at another domain is someone else as often
		 * as not (john.smith@) */
		const char *as = strchr(s, '@'), *at = strchr(t, '@');
		if (as && at && !strcmp(as, at)) {
			size_t ls = strcspn(s, "+@"), lt = strcspn(t, "+@");
			if (ls == lt && !strncmp(s, t, ls))
				return 1;
		}
		return crm_match_damerau_near(s, t) <= 1;
	}
	case CRM_DD_PHONE:
		return phone_typo(s, t);
	case CRM_DD_POSTCODE:
	case CRM_DD_DOMAIN:
		return crm_match_damerau_near(s, t) <= 1;
	case CRM_DD_ADDRESS: {
		double ts = crm_match_token_set(s, t);
		if (ts >= 0.8)
			return 2;
		if (ts < 0.25) {
			/* few words in common: far apart, unless only typos
			 * and spaces tell them apart ("135vigo avenue") */
			return crm_match_jaro_winkler_min(
				   str(dd, dd->x[row(dd, i) + fi]),
				   str(dd, dd->x[row(dd, j) + fj]),
				   0.93) >= 0.93;
		}
		if (crm_match_jaro_winkler_min(s, t, 0.95) >= 0.95)
			return 2;
		return ts >= 0.5;
	}
	case CRM_DD_COMPANY: {
		/* the same words in another order count as the same name */
		double ts = crm_match_token_set(s, t);
		if (ts >= 0.99)
			return 2;
		return ts >= 0.5 ||
		       crm_match_jaro_winkler_min(s, t, 0.9) >= 0.9;
	}
	case CRM_DD_NUMBER:
		return crm_match_numeric(strtod(s, NULL), strtod(t, NULL)) >=
		       0.95;
	default:
		return crm_match_jaro_winkler_min(s, t, 0.9) >= 0.9;
	}
}

/* Jaro-Winkler of two names from other fields (first with last), when at
 * least 0.79 (see compare). */
static double cross_jw(const struct crm_dedupe *dd, struct memo *mm, uint32_t a,
		       uint32_t b)
{
	struct memo *e = mm ? memo_slot(mm, a, b) : NULL;
	double v;

	if (e && e->a == a && e->b == b)
		return e->val;
	v = crm_match_jaro_winkler_min(str(dd, a), str(dd, b), 0.79);
	if (e)
		*e = (struct memo){a, b, v};
	return v;
}

/* Levels of every field for records i and j; mm a memo or NULL. */
void crm_dd_compare(const struct crm_dedupe *dd, size_t i, size_t j, int *lv,
		    struct memo *mm)
{
	size_t fa = (size_t)dd->first, la = (size_t)dd->last;
	const uint32_t *vi = dd->v + row(dd, i), *vj = dd->v + row(dd, j);
	bool swap = false;

	if (dd->first >= 0 && dd->last >= 0) {
		/* first and last name written the other way round */
		if (vi[fa] && vi[la] && vj[fa] && vj[la] && vi[fa] != vj[fa] &&
		    vi[fa] == vj[la] && vi[la] == vj[fa])
			swap = true;
		else if (vi[fa] && vi[la] && vj[fa] && vj[la] &&
			 vi[fa] != vj[fa] && vi[la] != vj[la] &&
			 dd->x[row(dd, i) + fa] != dd->x[row(dd, j) + fa] &&
			 dd->x[row(dd, i) + la] != dd->x[row(dd, j) + la]) {
			/* crossed names close: s > 1.8 needs each above 0.8,
			 * so most pairs stop after one comparison */
			double s = cross_jw(dd, mm, vi[fa], vj[la]);
			if (s >= 0.79)
				s += cross_jw(dd, mm, vi[la], vj[fa]);
			if (s > 1.8) {
				double d =
				    crm_match_jaro_winkler(str(dd, vi[fa]),
							   str(dd, vj[fa])) +
				    crm_match_jaro_winkler(str(dd, vi[la]),
							   str(dd, vj[la]));
				swap = s > d + 0.3;
			}
		}
	}
	for (size_t f = 0; f < dd->nf; f++) {
		size_t g = f;
		struct memo *e;

		if (swap && f == fa)
			g = la;
		else if (swap && f == la)
			g = fa;
		if (!mm || g != f || !crm_dd_tf_type(dd->types[f]) || !vi[f] ||
		    !vj[f] || vi[f] == vj[f]) {
			lv[f] = level(dd, f, i, j, f, g);
			continue;
		}
		/* two interned values: the level depends on them alone */
		e = memo_slot(mm, vi[f], vj[f]);
		if (e->a != vi[f] || e->b != vj[f])
			*e = (struct memo){vi[f], vj[f],
					   level(dd, f, i, j, f, f)};
		lv[f] = (int)e->val;
	}
}

/* A duplicate shares at least one identifying value: an identity field
 * agrees, if only weakly (a nickname, a phone with a typo). */
static bool identity_agrees(const struct crm_dedupe *dd, const int *lv)
{
	for (size_t f = 0; f < dd->nf; f++)
		if (!dd->context[f] && lv[f] >= 1)
			return true;
	return false;
}

/* Whether EM may count a pair into the match class. Many people share a
 * name (a common name, a small country's pool of names): with names alone
 * EM takes namesakes for the match class, and learns that a match seldom
 * shares a phone. So for people the class is learnt from the pairs that
 * also agree on a key field (email, phone ...), when there is one; the
 * weights learnt then score every pair. */
bool crm_dd_em_member(const struct crm_dedupe *dd, const int *lv)
{
	if (!dd->has_key)
		return identity_agrees(dd, lv);
	for (size_t f = 0; f < dd->nf; f++)
		if (dd->key[f] && lv[f] >= 1)
			return true;
	return false;
}

/* The match probability of the levels of i and j, exact agreement
 * term-frequency adjusted. m, u and lambda are all conditional on the pair
 * being a candidate (see estimate_m); so is the u of one value: u of exact
 * agreement, scaled by how much more or less often than the field's
 * average this value agrees among all pairs. */
double crm_dd_probability(const struct crm_dedupe *dd, size_t i, const int *lv)
{
	double bf = dd->lambda / (1 - dd->lambda);

	if (!identity_agrees(dd, lv))
		return 0;
	for (size_t f = 0; f < dd->nf; f++) {
		int l = lv[f];
		double u;

		if (l < 0)
			continue;
		u = dd->u[f][l];
		if (l == crm_dd_type_levels[dd->types[f]] - 1 &&
		    crm_dd_tf_type(dd->types[f]) && dd->tfu[f] > 0) {
			uint32_t off = dd->v[row(dd, i) + f];
			if (off) {
				/* the chance another record has it, shrunk to
				 * the average on small data (50 pseudo-records)
				 */
				double tf =
				    ((double)count_of(dd, off) - 1 +
				     50 * dd->tfu[f]) /
				    ((double)dd->nonmissing[f] - 1 + 50);
				double uv = u * tf / dd->tfu[f];
				u = fmin(fmin(fmax(uv, u * 0.1), u * 10), 1);
			}
		}
		bf *= dd->m[f][l] / u;
	}
	if (isinf(bf))
		return 1;
	return bf / (1 + bf);
}

bool crm_dd_rule_holds(const struct crm_dedupe *dd, const int *lv)
{
	for (size_t r = 0; r < dd->nrule; r++) {
		int k;
		for (k = 0; k < dd->rule[r].nterm; k++)
			if (lv[dd->rule[r].field[k]] < dd->rule[r].level[k])
				break;
		if (k == dd->rule[r].nterm)
			return true;
	}
	return false;
}

double crm_dd_score(const struct crm_dedupe *dd, size_t i, size_t j)
{
	int lv[CRM_DD_MAXFIELDS];

	crm_dd_compare(dd, i, j, lv, NULL);
	if (dd->use_rule)
		return crm_dd_rule_holds(dd, lv) ? 1 : 0;
	return crm_dd_probability(dd, i, lv);
}
