/* cli_product.h - crm-product's own verb, price; and what crm-quote
 * shares with it: finding the pricing file and the pricing date. */
#ifndef CRM_CLI_PRODUCT_H
#define CRM_CLI_PRODUCT_H

#include "cli.h"
#include "pricing.h"

/* The options of crm-product's verbs; e comes first, since the generic
 * verbs take cli->opts as a struct crm_entity_opts. */
struct crm_product_opts {
	struct crm_entity_opts e;
	const char *qty, *unit, *book, *account, *at, *pricing, *base;
	struct crm_strv attrs;
	bool explain;
};

extern const struct argp_option crm_product_price_options[];
error_t crm_product_opts_parse(int key, char *arg, struct argp_state *state);

/* price SKU --qty N [--unit U] [--attr A=V]... [--book B] [--account A]
 * [--at DATE] [--base AMOUNT] [--explain]. */
int crm_verb_product_price(struct crm_cli *cli);

/* Load the pricing file: path, else $CRM_PRICING, else
 * share/crm/pricing.json. 0 or -1 with cli->err. */
int crm_cli_pricing(struct crm_cli *cli, const char *path,
		    struct crm_pricing *p);
/* The pricing date: at (a date or time), else CRM_NOW's day, as
 * YYYY-MM-DD in out. 0 or -1 with cli->err (CRM_EX_USAGE). */
int crm_cli_price_date(struct crm_cli *cli, const char *at, char out[11]);

#endif
