/* pricing.h - price books, promotions and the pricing engine: pure
 * functions over integer minor units (lib/base/money.h), so that the same
 * inputs always give the same figures, and every step is told.
 *
 * Percentages are integers in hundredths of a percent (12.5% = 1250).
 * Quantities are whole base units (an alternative unit is converted by the
 * caller: 2 box of 12 = 24).
 *
 * The rounding rule: every amount is an integer number of minor units of
 * the book's currency. Rounding happens only where a percentage is taken
 * (a percent tier, an attribute adder in percent, cost plus markup, a
 * line discount, a promotion, percent of total, tax), each time once, to
 * the currency's minor unit, half to even (banker's rounding: 0.5 -> 0,
 * 1.5 -> 2, 2.5 -> 2). Unit prices are rounded before they are multiplied
 * by the quantity (a unit price is a price a customer can be shown); a
 * percentage of an amount (a line, a slab of an amount) is taken of the
 * exact amount. */
#ifndef CRM_PRICING_H
#define CRM_PRICING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* round(v * pct / 10000) half to even; pct in hundredths of a percent. */
int64_t crm_pct_of(int64_t v, int64_t pct);
/* round(num / den) half to even; den > 0. */
int64_t crm_div_half_even(__int128 num, int64_t den);
/* Parse a percentage ("12.5", "-3", "0.25") into hundredths of a percent;
 * more than two decimals is an error. 0 or -1. */
int crm_pct_parse(const char *s, int64_t *out);
/* Format hundredths of a percent ("12.5", "10", "0.25") into buf. */
char *crm_pct_format(int64_t pct, char buf[32]);
/* A JSON number or string as text in buf, for crm_pct_parse or
 * crm_money_parse: an integer as it is, a real with six decimals, a
 * string as it is; "" for anything else (NULL too). Returns buf. */
char *crm_json_num_text(const json_t *j, char buf[64]);

enum crm_method {
	CRM_PRICE_LIST,	     /* the entry's unit price */
	CRM_PRICE_TIERS,     /* a discount schedule (range or slab) */
	CRM_PRICE_BLOCK,     /* a fixed price per quantity band */
	CRM_PRICE_COST_PLUS, /* the product's cost plus a markup */
	CRM_PRICE_PERCENT,   /* a percent of the other lines' total */
};
const char *crm_method_name(enum crm_method m);

enum crm_tier_type { CRM_TIER_RANGE, CRM_TIER_SLAB };
enum crm_tier_by { CRM_TIER_QTY, CRM_TIER_AMOUNT };

struct crm_tier {
	int64_t from;	  /* first quantity (or amount, minor units) */
	bool has_price;	  /* price replaces the list unit price */
	int64_t price;	  /* minor units */
	int64_t discount; /* else: percent off the list unit price */
};

struct crm_block {
	int64_t upto;  /* the band ends at this quantity (inclusive) */
	int64_t price; /* the price of the whole band */
};

struct crm_adder {
	char *attr, *value;
	bool percent;	/* amount is hundredths of a percent of the unit */
	int64_t amount; /* minor units per unit, or percent */
};

struct crm_price_entry {
	char *sku;
	enum crm_method method;
	int64_t price;	 /* list unit price (CRM_PRICE_LIST, TIERS) */
	int64_t markup;	 /* CRM_PRICE_COST_PLUS: percent */
	int64_t percent; /* CRM_PRICE_PERCENT: percent */
	char *of_family; /* CRM_PRICE_PERCENT: of this family's lines (NULL:
			    all other lines) */
	enum crm_tier_type tier_type;
	enum crm_tier_by tier_by;
	struct crm_tier *tiers; /* ascending from */
	size_t ntiers;
	struct crm_block *blocks; /* ascending upto */
	size_t nblocks;
	struct crm_adder *adders;
	size_t nadders;
};

struct crm_price_book {
	char *name, *currency;
	char from[11], to[11]; /* effective dates, inclusive; "" open */
	struct crm_price_entry *entries;
	size_t nentries;
};

struct crm_promotion {
	char *name;
	char from[11], to[11];	  /* the window, inclusive; "" open */
	struct crm_strv where;	  /* "field OP value", all must hold */
	struct crm_strv books;	  /* the books it applies in; empty: all */
	int64_t percent;	  /* off the line amount, or */
	int64_t amount;		  /* off per unit (minor units) */
	int64_t max_discount;	  /* per line, minor units; -1 none */
	int64_t max_uses;	  /* accepted quotes in total; -1 none */
	int64_t max_uses_account; /* per account; -1 none */
	bool stack;		  /* combines with other stacking ones */
	char currency[4]; /* of amount and max_discount; "": percent only */
};

/* Price books and promotions, from a pricing file (crm-formats(5)). */
struct crm_pricing {
	struct crm_price_book *books;
	size_t nbooks;
	struct crm_promotion *promos;
	size_t npromos;
	char *path;
};

/* Load a pricing file; errors are CRM_EX_CONFIG at the file with the
 * field. */
int crm_pricing_load(const char *path, struct crm_pricing *p,
		     struct crm_err *err);
void crm_pricing_release(struct crm_pricing *p);
/* The book named name in effect on date ("YYYY-MM-DD"): NULL with err
 * (CRM_EX_DATAERR) when none. */
const struct crm_price_book *crm_pricing_book(const struct crm_pricing *p,
					      const char *name,
					      const char *date,
					      struct crm_err *err);
const struct crm_price_entry *crm_book_entry(const struct crm_price_book *b,
					     const char *sku);

/* One step of a price: what was done, how, and the amount after it. */
struct crm_price_step {
	char step[24];
	char detail[200];
	int64_t amount; /* minor units */
};

struct crm_price_steps {
	struct crm_price_step *v;
	size_t n, cap;
};
void crm_price_steps_add(struct crm_price_steps *s, const char *step,
			 int64_t amount, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void crm_price_steps_release(struct crm_price_steps *s);

/* What a line's price is made of. */
struct crm_price_in {
	const struct crm_price_entry *entry;
	const char *currency;
	int64_t qty;		      /* base units, > 0 */
	bool has_cost;		      /* cost plus needs it */
	int64_t cost;		      /* minor units of currency */
	const struct crm_strv *attrs; /* "name=value" each; may be NULL */
	int64_t base;		      /* CRM_PRICE_PERCENT: the total it is a
					 percent of */
};

struct crm_price_out {
	int64_t list_unit;   /* the unit price with adders, before tiers */
	int64_t list_amount; /* list_unit * qty */
	int64_t amount;	     /* after the method (tiers, blocks ...) */
};

/* Price one line by its entry's method (no promotions, no line
 * discount): the steps are added to steps. 0, or -1 with err
 * (CRM_EX_DATAERR: no block for the quantity, no cost, overflow). */
int crm_price_line(const struct crm_price_in *in, struct crm_price_out *out,
		   struct crm_price_steps *steps, struct crm_err *err);

/* Subscriptions: months in a billing period ("monthly" 1, "quarterly" 3,
 * "annual" 12), 0 for "one_time" or NULL, -1 for anything else. */
int crm_period_months(const char *period);
/* The amount of a subscription line whose price per billing period
 * (period_months) is per_period, from start to end (YYYY-MM-DD, end
 * exclusive): every whole period, by the calendar from start, at
 * per_period, and the days left as a share of the period they fall in
 * (days / the days of that period), rounded half to even once. end NULL:
 * start plus term_months (which must be a multiple of the period).
 * CRM_EX_DATAERR for an end not after start, a bad date or a term that is
 * no multiple of the period. */
int crm_price_term(int64_t per_period, int period_months, int64_t term_months,
		   const char *start, const char *end, int64_t *out,
		   struct crm_price_steps *steps, const char *currency,
		   struct crm_err *err);

/* What a promotion's eligibility reads: a field's value (account.FIELD,
 * family, sku, quantity, amount, book), NULL when it has none. */
typedef const char *(*crm_promo_get)(const char *field, void *arg);
/* Whether "field OP value" holds (OP = != < <= > >= ~); values compare
 * as numbers when both are, else as text (~: contains, case-insensitive);
 * a field with no value matches nothing. -1 with err on a bad
 * expression. */
int crm_expr_match(const char *expr, crm_promo_get get, void *arg,
		   struct crm_err *err);

/* The promotions for a line of amount (after the method) and qty on date
 * in book: each must be in its window, apply to the book, be eligible,
 * and be under its use limits (uses[i] in total, uses_account[i] by the
 * account; NULL: none yet). Of the eligible ones, the stacking ones add
 * up (each taken of the same amount); a non-stacking one stands alone;
 * the combination giving the largest discount wins (the first in file
 * order on a tie). Each is capped at its max_discount and the total at
 * the amount. *discount gets the total, names (when not NULL) the names
 * of those applied. Steps say why each was taken or not. */
int crm_promo_apply(const struct crm_pricing *p, const char *book,
		    const char *date, int64_t amount, int64_t qty,
		    const int64_t *uses, const int64_t *uses_account,
		    crm_promo_get get, void *arg, const char *currency,
		    int64_t *discount, struct crm_strv *names,
		    struct crm_price_steps *steps, struct crm_err *err);

#endif
