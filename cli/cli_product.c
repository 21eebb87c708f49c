/* cli_product.c - crm-product price: one product priced from a price book
 * with every step told; and the pricing file and date crm-quote shares. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_product.h"
#include "company.h"
#include "money.h"
#include "product.h"
#include "quote.h"
#include "share.h"

enum {
	OPT_QTY = 0x500,
	OPT_UNIT,
	OPT_ATTR,
	OPT_BOOK,
	OPT_ACCOUNT,
	OPT_AT,
	OPT_PRICING,
	OPT_EXPLAIN,
	OPT_BASE,
};

const struct argp_option crm_product_price_options[] = {
    {"qty", OPT_QTY, "N", 0, "Quantity (a whole number >= 1; default 1)", 0},
    {"unit", OPT_UNIT, "UNIT", 0,
     "The unit of --qty (one of the product's units; default its own)", 0},
    {"attr", OPT_ATTR, "NAME=VALUE", 0,
     "An attribute value (size=L); repeatable", 0},
    {"book", OPT_BOOK, "BOOK", 0,
     "The price book (default: the first in the pricing file in effect)", 0},
    {"account", OPT_ACCOUNT, "COMPANY", 0,
     "The buying account (promotion eligibility and per-account limits)", 0},
    {"at", OPT_AT, "DATE", 0, "Price as on DATE (default: today, or CRM_NOW)",
     0},
    {"pricing", OPT_PRICING, "FILE", 0,
     "Price books and promotions (default: $CRM_PRICING, else "
     "share/crm/pricing.json)",
     0},
    {"base", OPT_BASE, "AMOUNT", 0,
     "For a percent-of-total entry: the total it is a percent of", 0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "Print every step (step, detail, amount) instead of the price", 0},
    {0},
};

error_t crm_product_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_product_opts *o = cli->opts;

	switch (key) {
	case OPT_QTY:
		o->qty = arg;
		break;
	case OPT_UNIT:
		o->unit = arg;
		break;
	case OPT_ATTR:
		crm_strv_push(&o->attrs, arg);
		break;
	case OPT_BOOK:
		o->book = arg;
		break;
	case OPT_ACCOUNT:
		o->account = arg;
		break;
	case OPT_AT:
		o->at = arg;
		break;
	case OPT_PRICING:
		o->pricing = arg;
		break;
	case OPT_BASE:
		o->base = arg;
		break;
	case OPT_EXPLAIN:
		o->explain = true;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

int crm_cli_pricing(struct crm_cli *cli, const char *path,
		    struct crm_pricing *p)
{
	const char *env = getenv("CRM_PRICING");
	char *f = path		? crm_xstrdup(path)
		  : env && *env ? crm_xstrdup(env)
				: crm_share_path("pricing.json");
	int rc = crm_pricing_load(f, p, &cli->err);

	free(f);
	return rc;
}

int crm_cli_price_date(struct crm_cli *cli, const char *at, char out[11])
{
	char buf[CRM_TIME_LEN];
	crm_time t = cli->db ? cli->db->now : 0;

	if (at) {
		struct crm_err e = {0};

		if (crm_datetime_parse(at, &t, &e) < 0)
			return crm_err_set(&cli->err, CRM_EX_USAGE, "--at: %s",
					   e.msg);
	} else if (!cli->db && crm_datetime_now(&t, &cli->err) < 0)
		return -1;
	crm_datetime_format_date(t, buf);
	snprintf(out, 11, "%s", buf);
	return 0;
}

static int parse_qty(struct crm_cli *cli, const char *s, int64_t *n)
{
	*n = 1;
	if (!s)
		return 0;
	if (crm_parse_int(s, n) < 0 || *n < 1) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "qty: '%s' is no quantity (a whole number >= 1)",
			    s);
		snprintf(cli->err.field, sizeof(cli->err.field), "qty");
		return -1;
	}
	return 0;
}

static int write_rec(struct crm_writer *w, const char *const *names,
		     const char *const *vals)
{
	struct crm_rec rec;
	int rc;

	crm_rec_init(&rec);
	for (size_t i = 0; names[i]; i++)
		crm_rec_adds(&rec, names[i], vals[i]);
	rc = crm_writer_write(w, &rec);
	crm_rec_release(&rec);
	return rc;
}

static struct crm_writer *open_writer(struct crm_cli *cli,
				      const char *const *cols)
{
	struct crm_strv sv = {0};
	struct crm_writer *w;

	if (cli->fields) {
		/* --fields: those columns, in that order */
		crm_strv_split(&sv, cli->fields, ',');
		for (size_t i = 0; i < sv.n; i++) {
			size_t k;

			for (k = 0; cols[k] && strcmp(cols[k], sv.v[i]); k++)
				;
			if (!cols[k]) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s' here",
					    sv.v[i]);
				crm_strv_release(&sv);
				return NULL;
			}
		}
	} else
		for (size_t i = 0; cols[i]; i++)
			crm_strv_push(&sv, cols[i]);
	w = crm_cli_writer(cli, &sv);
	crm_strv_release(&sv);
	return w;
}

int crm_verb_product_price(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "sku",	"book",	     "currency",    "qty",	  "unit",
	    "base_qty", "list_unit", "list_amount", "amount",	  "promotion",
	    "discount", "net",	     "unit_price",  "promotions", NULL,
	};
	static const char *const ecols[] = {"step", "detail", "amount", NULL};
	struct crm_product_opts *o = cli->opts;
	struct crm_pricing p;
	struct crm_row prod, acct;
	struct crm_price_steps steps = {0};
	struct crm_strv promos = {0};
	struct crm_price_out out;
	struct crm_price_req req;
	struct crm_writer *w = NULL;
	const struct crm_price_book *b = NULL;
	struct crm_quote_ctx c = {.db = cli->db};
	char date[11], m[8][32], q[32], bq[32];
	int64_t qty, factor, base_qty, promo = 0, base = 0;
	struct crm_buf pn = {0};
	int status = 0, rc;

	memset(&p, 0, sizeof(p));
	crm_row_init(&prod, &crm_product_entity);
	crm_row_init(&acct, &crm_company_entity);
	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "price takes one SKU");
		goto fail;
	}
	if (parse_qty(cli, o->qty, &qty) < 0 ||
	    crm_cli_price_date(cli, o->at, date) < 0 ||
	    crm_cli_pricing(cli, o->pricing, &p) < 0)
		goto fail;
	c.pricing = &p;
	c.date = date;
	if (o->book)
		b = crm_pricing_book(&p, o->book, date, &cli->err);
	else
		for (size_t i = 0; i < p.nbooks && !b; i++)
			b = crm_pricing_book(&p, p.books[i].name, date,
					     &cli->err);
	if (!b) {
		if (!o->book)
			crm_err_set(&cli->err, CRM_EX_DATAERR,
				    "no price book in %s is in effect on %s",
				    p.path, date);
		goto fail;
	}
	crm_err_clear(&cli->err);
	rc = crm_entity_find(cli->db, &crm_product_entity, cli->args.v[0],
			     &prod, &cli->err);
	if (rc < 0)
		goto fail;
	if (!rc) {
		crm_err_set(&cli->err, CRM_EX_DATAERR, "no product '%s'",
			    cli->args.v[0]);
		snprintf(cli->err.field, sizeof(cli->err.field), "sku");
		goto fail;
	}
	if (o->account) {
		rc = crm_entity_find(cli->db, &crm_company_entity, o->account,
				     &acct, &cli->err);
		if (rc < 0)
			goto fail;
		if (!rc) {
			crm_err_set(&cli->err, CRM_EX_DATAERR,
				    "no account '%s'", o->account);
			snprintf(cli->err.field, sizeof(cli->err.field),
				 "account");
			goto fail;
		}
	}
	if (o->base &&
	    crm_money_parse(o->base, b->currency, &base, &cli->err) < 0) {
		snprintf(cli->err.field, sizeof(cli->err.field), "base");
		goto fail;
	}
	if (crm_product_unit_factor(&prod, o->unit, &factor, &cli->err) < 0)
		goto fail;
	if (__builtin_mul_overflow(qty, factor, &base_qty)) {
		crm_err_set(&cli->err, CRM_EX_DATAERR, "qty out of range");
		goto fail;
	}
	req = (struct crm_price_req){.book = b,
				     .product = &prod,
				     .qty = base_qty,
				     .attrs = &o->attrs,
				     .account = o->account ? &acct : NULL,
				     .base = base};
	if (crm_price_product(&c, &req, &out, &promo, &promos, &steps,
			      &cli->err) < 0)
		goto fail;
	for (size_t i = 0; i < promos.n; i++)
		crm_buf_addf(&pn, "%s%s", i ? "," : "", promos.v[i]);
	if (o->explain) {
		w = open_writer(cli, ecols);
		for (size_t i = 0; w && i < steps.n; i++) {
			const char *v[] = {steps.v[i].step, steps.v[i].detail,
					   crm_money_format(steps.v[i].amount,
							    b->currency, m[0])};
			if (write_rec(w, ecols, v) < 0)
				goto werr;
		}
		{
			char d[64];
			const char *v[] = {"rounding", d,
					   crm_money_format(out.amount - promo,
							    b->currency, m[0])};

			snprintf(
			    d, sizeof(d), "half to even, to %d decimal%s of %s",
			    crm_money_exponent(b->currency),
			    crm_money_exponent(b->currency) == 1 ? "" : "s",
			    b->currency);
			if (w && write_rec(w, ecols, v) < 0)
				goto werr;
		}
	} else {
		const char *v[] = {
		    crm_row_get(&prod, "sku"),
		    b->name,
		    b->currency,
		    crm_fmt_int(q, qty),
		    o->unit ? o->unit
			    : (crm_row_get(&prod, "unit")
				   ? crm_row_get(&prod, "unit")
				   : "each"),
		    crm_fmt_int(bq, base_qty),
		    crm_money_format(out.list_unit, b->currency, m[0]),
		    crm_money_format(out.list_amount, b->currency, m[1]),
		    crm_money_format(out.amount, b->currency, m[2]),
		    crm_money_format(promo, b->currency, m[3]),
		    crm_money_format(out.list_amount - out.amount + promo,
				     b->currency, m[4]),
		    crm_money_format(out.amount - promo, b->currency, m[5]),
		    crm_money_format(
			crm_div_half_even(out.amount - promo, base_qty),
			b->currency, m[6]),
		    pn.len ? pn.s : NULL,
		};
		w = open_writer(cli, cols);
		if (w && write_rec(w, cols, v) < 0)
			goto werr;
	}
	if (!w || crm_writer_close(w) < 0)
		goto werr;
	goto out;
werr:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_buf_release(&pn);
	crm_strv_release(&promos);
	crm_price_steps_release(&steps);
	crm_row_release(&prod);
	crm_row_release(&acct);
	crm_pricing_release(&p);
	return status;
}
