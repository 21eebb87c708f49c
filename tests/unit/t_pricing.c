/* t_pricing.c - the pricing engine against hand-computed figures: slab and
 * range tiers at each boundary (by quantity and by amount), blocks, cost
 * plus, percent of total, attribute adders, promotions (window edges, use
 * limits, caps, stacking, eligibility), and half-even rounding in JPY, EUR
 * and KWD. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing.h"
#include "test.h"

static char what[256];

static int64_t price(const struct crm_price_entry *e, const char *cur,
		     int64_t qty, int64_t *list_unit)
{
	struct crm_price_in in = {.entry = e, .currency = cur, .qty = qty};
	struct crm_price_out out;
	struct crm_err err = {0};

	if (crm_price_line(&in, &out, NULL, &err) < 0) {
		printf("#   %s\n", err.msg);
		return -1;
	}
	if (list_unit)
		*list_unit = out.list_unit;
	return out.amount;
}

static void tiers_by_qty(void)
{
	struct crm_tier t[] = {
	    {1, true, 1000, 0}, {11, true, 900, 0}, {51, true, 800, 0}};
	struct crm_price_entry e = {.sku = "S",
				    .method = CRM_PRICE_TIERS,
				    .price = 1000,
				    .tier_by = CRM_TIER_QTY,
				    .tiers = t,
				    .ntiers = 3};
	/* qty, slab (each unit at its tier), range (all at the tier reached) */
	static const int64_t want[][3] = {
	    {1, 1000, 1000},	{10, 10000, 10000}, {11, 10900, 9900},
	    {50, 46000, 45000}, {51, 46800, 40800}, {52, 47600, 41600},
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		e.tier_type = CRM_TIER_SLAB;
		snprintf(what, sizeof(what), "slab by quantity at %lld",
			 (long long)want[i][0]);
		CHECK_INT(price(&e, "EUR", want[i][0], NULL), want[i][1], what);
		e.tier_type = CRM_TIER_RANGE;
		snprintf(what, sizeof(what), "range by quantity at %lld",
			 (long long)want[i][0]);
		CHECK_INT(price(&e, "EUR", want[i][0], NULL), want[i][2], what);
	}
}

static void tiers_discount(void)
{
	/* a percent tier prices the unit at list less the percent, the
	 * unit rounded half to even before it is multiplied */
	struct crm_tier t[] = {{1, false, 0, 0}, {11, false, 0, 1250}};
	struct crm_price_entry e = {.sku = "D",
				    .method = CRM_PRICE_TIERS,
				    .price = 1000,
				    .tier_type = CRM_TIER_RANGE,
				    .tier_by = CRM_TIER_QTY,
				    .tiers = t,
				    .ntiers = 2};

	CHECK_INT(price(&e, "EUR", 10, NULL), 10000, "range 0% at 10");
	CHECK_INT(price(&e, "EUR", 11, NULL), 9625,
		  "range 12.5% at 11: 11 x 8.75");
	e.price = 1000; /* JPY: 1000 less 12.5% = 875 */
	CHECK_INT(price(&e, "JPY", 11, NULL), 9625, "JPY 11 x 875");
	e.price = 1234; /* KWD 1.234 less 12.5% = 1.07975 -> 1.080 */
	CHECK_INT(price(&e, "KWD", 11, NULL), 11880,
		  "KWD 11 x 1.080 (0.15425 off rounds to 0.154)");
	e.price = 1004; /* EUR 10.04 less 12.5% = 1.255 off -> 1.26 (half even
			   of 125.5 is 126) -> 8.78 */
	CHECK_INT(price(&e, "EUR", 11, NULL), 9658,
		  "EUR half even 125.5 -> 126");
	e.price = 1012; /* 12.5% of 10.12 = 1.265 -> 126.5 -> 126 -> 8.86 */
	CHECK_INT(price(&e, "EUR", 11, NULL), 9746,
		  "EUR half even 126.5 -> 126");
}

static void tiers_by_amount(void)
{
	struct crm_tier t[] = {{0, false, 0, 0},
			       {100000, false, 0, 1000},
			       {500000, false, 0, 2000}};
	struct crm_price_entry e = {.sku = "A",
				    .method = CRM_PRICE_TIERS,
				    .price = 1000,
				    .tier_by = CRM_TIER_AMOUNT,
				    .tiers = t,
				    .ntiers = 3};

	e.tier_type = CRM_TIER_RANGE;
	CHECK_INT(price(&e, "EUR", 99, NULL), 99000, "range by amount: 990.00");
	CHECK_INT(price(&e, "EUR", 100, NULL), 90000,
		  "range by amount at 1000.00: 10% off");
	CHECK_INT(price(&e, "EUR", 500, NULL), 400000,
		  "range by amount at 5000.00: 20% off");
	e.tier_type = CRM_TIER_SLAB;
	CHECK_INT(price(&e, "EUR", 100, NULL), 100000,
		  "slab by amount at 1000.00: nothing above the boundary");
	CHECK_INT(price(&e, "EUR", 101, NULL), 100900,
		  "slab by amount 1010.00: 10.00 at 10% off");
	CHECK_INT(price(&e, "EUR", 600, NULL), 540000,
		  "slab by amount 6000.00: 400.00 + 200.00 off");
}

static void blocks(void)
{
	struct crm_block b[] = {{10, 10000}, {50, 40000}};
	struct crm_price_entry e = {
	    .sku = "B", .method = CRM_PRICE_BLOCK, .blocks = b, .nblocks = 2};
	struct crm_price_in in = {.entry = &e, .currency = "EUR", .qty = 51};
	struct crm_price_out out;
	struct crm_err err = {0};

	CHECK_INT(price(&e, "EUR", 1, NULL), 10000, "block 1: 1");
	CHECK_INT(price(&e, "EUR", 10, NULL), 10000, "block 1: 10");
	CHECK_INT(price(&e, "EUR", 11, NULL), 40000, "block 2: 11");
	CHECK_INT(price(&e, "EUR", 50, NULL), 40000, "block 2: 50");
	CHECK(crm_price_line(&in, &out, NULL, &err) < 0 &&
		  err.code == CRM_EX_DATAERR,
	      "no block for 51");
}

static void cost_plus(void)
{
	struct crm_price_entry e = {
	    .sku = "C", .method = CRM_PRICE_COST_PLUS, .markup = 4000};
	struct crm_price_in in = {.entry = &e,
				  .currency = "EUR",
				  .qty = 3,
				  .has_cost = true,
				  .cost = 250};
	struct crm_price_out out;
	struct crm_err err = {0};

	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 &&
		  out.list_unit == 350 && out.amount == 1050,
	      "cost 2.50 plus 40% = 3.50, x3 = 10.50");
	in.cost = 25;
	e.markup = 1000; /* 0.25 + 0.025 -> 2.5 cents -> 2 (even) */
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.list_unit == 27,
	      "cost 0.25 plus 10% = 0.27 (half even)");
	in.has_cost = false;
	CHECK(crm_price_line(&in, &out, NULL, &err) < 0 &&
		  err.code == CRM_EX_DATAERR,
	      "cost plus without a cost");
}

static void percent_of_total(void)
{
	struct crm_price_entry e = {
	    .sku = "SUP", .method = CRM_PRICE_PERCENT, .percent = 2000};
	struct crm_price_in in = {
	    .entry = &e, .currency = "EUR", .qty = 1, .base = 100000};
	struct crm_price_out out;
	struct crm_err err = {0};

	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.amount == 20000,
	      "20% of 1000.00 = 200.00");
	in.base = 33333; /* 66.666 -> 66.67 */
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.amount == 6667,
	      "20% of 333.33 = 66.67");
	in.currency = "JPY";
	in.base = 333;
	e.percent = 500; /* 16.65 -> 17 */
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.amount == 17,
	      "JPY 5% of 333 = 17");
}

static void adders(void)
{
	struct crm_adder a[] = {{"size", "XL", false, 200},
				{"colour", "gold", true, 1000}};
	struct crm_price_entry e = {.sku = "T",
				    .method = CRM_PRICE_LIST,
				    .price = 2000,
				    .adders = a,
				    .nadders = 2};
	struct crm_strv attrs = {0};
	struct crm_price_in in = {
	    .entry = &e, .currency = "EUR", .qty = 2, .attrs = &attrs};
	struct crm_price_out out;
	struct crm_err err = {0};

	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.amount == 4000,
	      "no attributes: 2 x 20.00");
	crm_strv_push(&attrs, "size=XL");
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 &&
		  out.list_unit == 2200 && out.amount == 4400,
	      "size=XL: +2.00");
	crm_strv_push(&attrs, "colour=gold");
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 &&
		  out.list_unit == 2400 && out.amount == 4800,
	      "size=XL, colour=gold: +2.00 +10% of 20.00");
	crm_strv_release(&attrs);
	crm_strv_push(&attrs, "colour=black");
	CHECK(crm_price_line(&in, &out, NULL, &err) == 0 && out.amount == 4000,
	      "colour=black: no adder");
	crm_strv_release(&attrs);
}

static const char *get_qty(const char *field, void *arg)
{
	if (!strcmp(field, "quantity"))
		return arg;
	if (!strcmp(field, "account.industry"))
		return "software";
	return NULL;
}

/* a step's detail: what snprintf writes, cut at 199 bytes, whichever
 * way it was formatted (steps format %s %% %lld %zu %d themselves) */
#define SAME_DETAIL(fmt, ...)                                                  \
	do {                                                                   \
		char want_[200];                                               \
		snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);              \
		crm_price_steps_add(&st, "x", 0, fmt, __VA_ARGS__);            \
		CHECK_STR(st.v[st.n - 1].detail, want_, "detail: " fmt);       \
	} while (0)

static void step_details(void)
{
	struct crm_price_steps st = {0};
	char big[300];
	const char *volatile none = NULL;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	SAME_DETAIL("%s: not on %s (%s to %s)", "spring", "2026-03-10",
		    "2026-03-01", "open");
	SAME_DETAIL("%lld at %s", (long long)-12, "3.50");
	SAME_DETAIL("%lld %lld %lld", LLONG_MIN, LLONG_MAX, 0LL);
	SAME_DETAIL("slab tier %zu (%lld-%lld): %lld at %s", SIZE_MAX, 1LL,
		    10LL, 10LL, "9.00");
	SAME_DETAIL("%d %d %d month%s", INT_MIN, INT_MAX, 0, "s");
	SAME_DETAIL("%s%% of %s%s%s", "12.5", "100.00", "", "!");
	SAME_DETAIL("manual price %s per unit (%s)", "1.00", big);
	SAME_DETAIL("%s %lld", big + 110, 123456789012LL);
	SAME_DETAIL("%s %lld%%", big + 111, -123456789012LL);
	SAME_DETAIL("%s %zu", big + 102, (size_t)1234567890);
	SAME_DETAIL("%s", big + 100);
	SAME_DETAIL("%s", big + 101);
	SAME_DETAIL("%5s|%-3d|%.2f", "ab", 7, 2.5);
	SAME_DETAIL("%s and %s", "x", none);
	SAME_DETAIL("%u", 7u);
	crm_price_steps_release(&st);
}

/* what crm_expr_match read: the field's name into arg; its value is its
 * name, but for quantity (12) and vN (N v's) */
static const char *get_echo(const char *field, void *arg)
{
	static char v[300];

	snprintf(arg, 512, "%s", field);
	if (!strcmp(field, "quantity"))
		return "12";
	if (field[0] == 'v' && isdigit((unsigned char)field[1])) {
		int n = atoi(field + 1);

		memset(v, 'v', (size_t)n);
		v[n] = '\0';
		return v;
	}
	return field;
}

static void expressions(void)
{
	/* every operator, the first in "<= >= != = < > ~" order at the first
	 * position one starts; spaces around field and value trimmed */
	static const struct {
		const char *expr;
		int want;
		const char *field;
	} t[] = {
	    {"quantity <= 12", 1, "quantity"},
	    {"quantity<=11", 0, "quantity"},
	    {" quantity >= 12 ", 1, "quantity"},
	    {"quantity>=13", 0, "quantity"},
	    {"quantity != 12", 0, "quantity"},
	    {"quantity != 1e1", 1, "quantity"},
	    {"quantity = 12.0", 1, "quantity"},
	    {"quantity < 12", 0, "quantity"},
	    {"quantity > 9", 1, "quantity"},
	    {"quantity ~ 2", 1, "quantity"},
	    {"family ~ AMI", 1, "family"},
	    {"family = FAMILY", 1, "family"},
	    {"a!b = a!b", 1, "a!b"},
	    {"x =< y", 0, "x"},
	    {"a = b = c", 0, "a"},
	    {"a==a", 0, "a"},
	};
	struct crm_err err = {0};
	char field[512], name[300], expr[600];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_INT(crm_expr_match(t[i].expr, get_echo, field, &err),
			  t[i].want, t[i].expr);
		CHECK_STR(field, t[i].field, t[i].expr);
	}
	/* a value past 255 bytes is cut there */
	memset(name, 'v', 299);
	name[299] = '\0';
	snprintf(expr, sizeof(expr), "v255 ~ %s", name);
	CHECK_INT(crm_expr_match(expr, get_echo, field, &err), 1,
		  "a long value: its first 255 bytes");
	snprintf(expr, sizeof(expr), "v254 ~ %s", name);
	CHECK_INT(crm_expr_match(expr, get_echo, field, &err), 0,
		  "a long value: not 254 of them");
	memset(name, 'f', 200);
	name[127] = '\0';
	snprintf(expr, sizeof(expr), "%s = 1", name);
	CHECK_INT(crm_expr_match(expr, get_echo, field, &err), 0,
		  "a field of 127 bytes");
	name[127] = 'f';
	name[128] = '\0';
	snprintf(expr, sizeof(expr), "%s = 1", name);
	CHECK_INT(crm_expr_match(expr, get_echo, field, &err), -1,
		  "a field of 128 bytes: too long");
	CHECK_INT(crm_expr_match("quantity 12", get_echo, field, &err), -1,
		  "no operator");
	CHECK_STR(err.msg, "'quantity 12': no operator (= != < <= > >= ~)",
		  "no operator: the message");
	CHECK_INT(crm_expr_match("quantity ! 12", NULL, NULL, &err), -1,
		  "'!' alone is no operator");
	CHECK_INT(crm_expr_match("  <= 3", NULL, NULL, &err), -1, "no field");
	CHECK_STR(err.msg,
		  "'  <= 3': no field before <=", "no field: the message");
}

static struct crm_promotion promo(const char *name, int64_t pct, bool stack)
{
	struct crm_promotion p = {0};

	p.name = (char *)name;
	p.percent = pct;
	p.stack = stack;
	p.max_discount = p.max_uses = p.max_uses_account = -1;
	return p;
}

static int64_t apply(struct crm_pricing *p, const char *date, int64_t amount,
		     const int64_t *uses, const int64_t *ua, const char *qty,
		     struct crm_strv *names)
{
	struct crm_err err = {0};
	int64_t d = -1;

	if (crm_promo_apply(p, "list", date, amount, 1, uses, ua, get_qty,
			    (void *)qty, "EUR", &d, names, NULL, &err) < 0)
		printf("#   %s\n", err.msg);
	return d;
}

static void promotions(void)
{
	struct crm_promotion ps[3];
	struct crm_pricing p = {.promos = ps, .npromos = 1};
	struct crm_strv names = {0};
	int64_t uses[3] = {0}, ua[3] = {0};

	ps[0] = promo("spring", 1000, false);
	strcpy(ps[0].from, "2026-03-01");
	strcpy(ps[0].to, "2026-03-31");
	CHECK_INT(apply(&p, "2026-02-28", 10000, NULL, NULL, "1", NULL), 0,
		  "window: the day before");
	CHECK_INT(apply(&p, "2026-03-01", 10000, NULL, NULL, "1", NULL), 1000,
		  "window: the first day");
	CHECK_INT(apply(&p, "2026-03-31", 10000, NULL, NULL, "1", NULL), 1000,
		  "window: the last day");
	CHECK_INT(apply(&p, "2026-04-01", 10000, NULL, NULL, "1", NULL), 0,
		  "window: the day after");

	ps[0].max_uses = 2;
	uses[0] = 1;
	CHECK_INT(apply(&p, "2026-03-10", 10000, uses, ua, "1", NULL), 1000,
		  "1 of 2 uses: applies");
	uses[0] = 2;
	CHECK_INT(apply(&p, "2026-03-10", 10000, uses, ua, "1", NULL), 0,
		  "2 of 2 uses: used up");
	uses[0] = 0;
	ps[0].max_uses_account = 1;
	ua[0] = 1;
	CHECK_INT(apply(&p, "2026-03-10", 10000, uses, ua, "1", NULL), 0,
		  "per account: used up");
	ua[0] = 0;
	ps[0].max_discount = 500;
	CHECK_INT(apply(&p, "2026-03-10", 10000, uses, ua, "1", NULL), 500,
		  "capped at max_discount 5.00");
	ps[0].max_discount = -1;

	crm_strv_push(&ps[0].where, "quantity >= 10");
	crm_strv_push(&ps[0].where, "account.industry = Software");
	CHECK_INT(apply(&p, "2026-03-10", 10000, NULL, NULL, "9", NULL), 0,
		  "eligibility: quantity 9");
	CHECK_INT(apply(&p, "2026-03-10", 10000, NULL, NULL, "10", NULL), 1000,
		  "eligibility: quantity 10 and the account's industry");
	crm_strv_release(&ps[0].where);

	/* stacking: A and B stack (10% + 5%), C stands alone (12%) */
	ps[0] = promo("A", 1000, true);
	ps[1] = promo("B", 500, true);
	ps[2] = promo("C", 1200, false);
	p.npromos = 3;
	CHECK_INT(apply(&p, "2026-03-10", 10000, NULL, NULL, "1", &names), 1500,
		  "stacking: 10% + 5% beats 12% alone");
	CHECK(names.n == 2 && !strcmp(names.v[0], "A") &&
		  !strcmp(names.v[1], "B"),
	      "stacking: A and B applied");
	crm_strv_release(&names);
	ps[2].percent = 2000;
	CHECK_INT(apply(&p, "2026-03-10", 10000, NULL, NULL, "1", &names), 2000,
		  "stacking: 20% alone beats 10% + 5%");
	CHECK(names.n == 1 && !strcmp(names.v[0], "C"),
	      "stacking: C alone applied");
	crm_strv_release(&names);
	CHECK_INT(apply(&p, "2026-03-10", 1, NULL, NULL, "1", NULL), 0,
		  "20% of 0.01 rounds half even to 0");
}

static void rounding(void)
{
	int64_t v;
	char buf[32];

	CHECK_INT(crm_pct_of(1250, 100), 12, "1% of 12.50 = 0.125 -> 0.12");
	CHECK_INT(crm_pct_of(1350, 100), 14, "1% of 13.50 = 0.135 -> 0.14");
	CHECK_INT(crm_pct_of(-1250, 100), -12, "negative half even");
	CHECK_INT(crm_pct_of(250, 100), 2, "JPY 1% of 250 = 2.5 -> 2");
	CHECK_INT(crm_pct_of(350, 100), 4, "JPY 1% of 350 = 3.5 -> 4");
	CHECK_INT(crm_pct_of(1005, 5000), 502, "KWD 50% of 1.005 -> 0.502");
	CHECK_INT(crm_pct_of(1015, 5000), 508, "KWD 50% of 1.015 -> 0.508");
	CHECK(crm_pct_parse("12.5", &v) == 0 && v == 1250, "parse 12.5");
	CHECK(crm_pct_parse("5.500", &v) == 0 && v == 550, "parse 5.500");
	CHECK(crm_pct_parse("5.555", &v) < 0, "parse 5.555 refused");
	CHECK(crm_pct_parse("abc", &v) < 0, "parse abc refused");
	CHECK_STR(crm_pct_format(1250, buf), "12.5", "format 12.5");
	CHECK_STR(crm_pct_format(2109, buf), "21.09", "format 21.09");
}

static void overflow(void)
{
	struct crm_price_entry e = {
	    .sku = "X", .method = CRM_PRICE_LIST, .price = INT64_MAX / 2};
	struct crm_price_in in = {.entry = &e, .currency = "EUR", .qty = 3};
	struct crm_price_out out;
	struct crm_err err = {0};

	CHECK(crm_price_line(&in, &out, NULL, &err) < 0 &&
		  err.code == CRM_EX_DATAERR,
	      "an amount past int64 is an error");
	in.qty = 0;
	CHECK(crm_price_line(&in, &out, NULL, &err) < 0, "quantity 0 refused");
}

static int64_t term(int64_t per, int pm, int64_t tm, const char *s,
		    const char *e)
{
	struct crm_err err = {0};
	int64_t out = -1;

	if (crm_price_term(per, pm, tm, s, e, &out, NULL, "EUR", &err) < 0)
		return -1;
	return out;
}

static void subscriptions(void)
{
	CHECK_INT(crm_period_months("monthly"), 1, "monthly: 1 month");
	CHECK_INT(crm_period_months("annual"), 12, "annual: 12 months");
	CHECK_INT(crm_period_months("one_time"), 0, "one time: none");
	CHECK_INT(crm_period_months("weekly"), -1, "weekly: unknown");
	CHECK_INT(term(1000, 1, 12, "2026-01-15", NULL), 12000,
		  "monthly 10.00 for a 12-month term: 120.00");
	CHECK_INT(term(120000, 12, 24, "2026-01-15", NULL), 240000,
		  "annual 1200.00 for 24 months: 2400.00");
	CHECK_INT(term(1000, 1, 0, "2026-01-15", "2026-03-01"), 1500,
		  "monthly 10.00 from 15 Jan to 1 Mar: 1 month + 14/28 days");
	CHECK_INT(term(100000, 12, 0, "2026-07-01", "2027-01-01"), 50411,
		  "annual 1000.00 for 184 of 365 days: 504.11 (half even)");
	CHECK_INT(term(1000, 1, 1, "2026-01-31", NULL), 1000,
		  "31 Jan plus a month ends on 28 Feb: one period");
	CHECK_INT(term(1000, 3, 10, "2026-01-01", NULL), -1,
		  "a 10-month term of quarters is refused");
	CHECK_INT(term(1000, 1, 0, "2026-03-01", "2026-03-01"), -1,
		  "an end not after the start is refused");
	CHECK_INT(term(1000, 1, 0, "2026-02-30", "2026-03-01"), -1,
		  "30 February is no date");
}

/* crm_json_num_text: what the percentage and money loaders parse. */
static void json_num_text(void)
{
	json_t *j[] = {json_integer(-12), json_real(12.5), json_string("7.25"),
		       json_true(), json_null()};
	const char *want[] = {"-12", "12.500000", "7.25", "", ""};
	char buf[64];

	for (size_t i = 0; i < sizeof(j) / sizeof(j[0]); i++) {
		CHECK_STR(crm_json_num_text(j[i], buf), want[i],
			  "json number as text");
		json_decref(j[i]);
	}
	CHECK_STR(crm_json_num_text(NULL, buf), "", "no value: empty");
}

int main(void)
{
	tiers_by_qty();
	tiers_discount();
	tiers_by_amount();
	blocks();
	cost_plus();
	percent_of_total();
	adders();
	promotions();
	expressions();
	step_details();
	rounding();
	overflow();
	subscriptions();
	json_num_text();
	return done_testing();
}
