/* cli_quote.c - crm-quote's verbs over lib/domain/quote.c and the quote
 * documents of lib/report/quote_doc.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_product.h"
#include "cli_quote.h"
#include "money.h"
#include "quote.h"
#include "quote_doc.h"
#include "share.h"

enum {
	OPT_DEAL = 0x600,
	OPT_ACCOUNT,
	OPT_CURRENCY,
	OPT_BOOK,
	OPT_REGION,
	OPT_VALID_UNTIL,
	OPT_FROM,
	OPT_EXTERNAL_ID,
	OPT_AT,
	OPT_PRICING,
	OPT_TAXES,
	OPT_THRESHOLDS,
	OPT_QTY,
	OPT_UNIT,
	OPT_ATTR,
	OPT_GROUP,
	OPT_DISCOUNT,
	OPT_PRICE,
	OPT_REASON,
	OPT_PARENT,
	OPT_OUTPUT,
	OPT_AS,
	OPT_TEMPLATE,
	OPT_VERSION,
	OPT_EXPLAIN,
	OPT_GROUPS,
	OPT_FORCE_OUT,
	OPT_MIN_HISTORY,
	OPT_ALL_DRAFTS,
	OPT_START,
	OPT_END,
	OPT_TERM,
};

#define PRICING_OPTIONS                                                        \
	{"pricing",                                                            \
	 OPT_PRICING,                                                          \
	 "FILE",                                                               \
	 0,                                                                    \
	 "Price books and promotions (default: $CRM_PRICING, else "            \
	 "share/crm/pricing.json)",                                            \
	 0},                                                                   \
	    {"taxes",                                                          \
	     OPT_TAXES,                                                        \
	     "FILE",                                                           \
	     0,                                                                \
	     "Tax rates by region and category (default: $CRM_TAXES, else "    \
	     "share/crm/taxes.json)",                                          \
	     0},                                                               \
	{                                                                      \
		"at", OPT_AT, "DATE", 0,                                       \
		    "Price as on DATE (default: today, or CRM_NOW)", 0         \
	}

const struct argp_option crm_quote_new_options[] = {
    {"deal", OPT_DEAL, "DEAL", 0,
     "The deal quoted (id or name); its company is the account", 0},
    {"account", OPT_ACCOUNT, "COMPANY", 0,
     "The account (company id or name), when there is no deal", 0},
    {"currency", OPT_CURRENCY, "CODE", 0,
     "The quote's currency (must be the book's; default the book's)", 0},
    {"book", OPT_BOOK, "BOOK", 0, "The price book (required unless --from)", 0},
    {"region", OPT_REGION, "REGION", 0,
     "The tax region (a region of the tax rates file)", 0},
    {"valid-until", OPT_VALID_UNTIL, "DATE", 0, "The offer's last day", 0},
    {"from", OPT_FROM, "QUOTE", 0,
     "Copy the lines of QUOTE, priced today, and list those whose price "
     "changed",
     0},
    {"external-id", OPT_EXTERNAL_ID, "ID", 0, "Your key for the quote", 0},
    PRICING_OPTIONS,
    {0},
};

const struct argp_option crm_quote_line_options[] = {
    {"qty", OPT_QTY, "N", 0, "Quantity (a whole number >= 1; default 1)", 0},
    {"unit", OPT_UNIT, "UNIT", 0,
     "The unit of --qty (one of the product's units)", 0},
    {"attr", OPT_ATTR, "NAME=VALUE", 0, "An attribute value; repeatable", 0},
    {"group", OPT_GROUP, "NAME", 0, "The group of lines it belongs to", 0},
    {"discount", OPT_DISCOUNT, "PERCENT", 0, "A line discount, 0-100", 0},
    {"price", OPT_PRICE, "AMOUNT", 0, "A manual unit price (needs --reason)",
     0},
    {"reason", OPT_REASON, "TEXT", 0, "Why the manual price", 0},
    {"parent", OPT_PARENT, "LINE", 0, "The bundle line this option belongs to",
     0},
    {"start", OPT_START, "DATE", 0,
     "A subscription's start (default: the pricing date)", 0},
    {"end", OPT_END, "DATE", 0,
     "A subscription's co-termed end, prorated (default: start plus the "
     "term)",
     0},
    {"term", OPT_TERM, "MONTHS", 0,
     "A subscription's term (default: the product's, else 12)", 0},
    PRICING_OPTIONS,
    {0},
};

const struct argp_option crm_quote_price_options[] = {
    PRICING_OPTIONS,
    {0},
};

const struct argp_option crm_quote_reprice_options[] = {
    {"all", OPT_ALL_DRAFTS, 0, 0,
     "Every draft quote (after a change of price books or promotions)", 0},
    PRICING_OPTIONS,
    {0},
};

const struct argp_option crm_quote_show_options[] = {
    {"quote-version", OPT_VERSION, "N", 0,
     "That version (default: the current)", 0},
    {0},
};

const struct argp_option crm_quote_lines_options[] = {
    {"quote-version", OPT_VERSION, "N", 0,
     "That version (default: the current)", 0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "Every pricing step of every line (line, sku, step, detail, amount)", 0},
    {"groups", OPT_GROUPS, 0, 0, "The subtotal of each group of lines", 0},
    {0},
};

const struct argp_option crm_quote_submit_options[] = {
    {"thresholds", OPT_THRESHOLDS, "FILE", 0,
     "Approval thresholds (default: $CRM_THRESHOLDS, else "
     "share/crm/thresholds.json)",
     0},
    PRICING_OPTIONS,
    {0},
};

const struct argp_option crm_quote_reject_options[] = {
    {"reason", OPT_REASON, "TEXT", 0, "Why the customer said no (required)", 0},
    {0},
};

const struct argp_option crm_quote_render_options[] = {
    {"output", OPT_OUTPUT, "FILE", 0,
     "Write the document to FILE (required; .html or .pdf)", 0},
    {"as", OPT_AS, "html|pdf", 0,
     "The kind of document (default: by FILE's "
     "extension)",
     0},
    {"template", OPT_TEMPLATE, "FILE", 0,
     "The template (default: share/crm/templates/quote.html or "
     "quote.pango)",
     0},
    {"quote-version", OPT_VERSION, "N", 0,
     "That version (default: the current)", 0},
    {"force", OPT_FORCE_OUT, 0, 0, "Replace FILE if it exists", 0},
    {0},
};

const struct argp_option crm_quote_suggest_options[] = {
    {"min-history", OPT_MIN_HISTORY, "N", 0,
     "Closed quotes needed before a band is trusted (default 5)", 0},
    {0},
};

error_t crm_quote_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_quote_opts *o = cli->opts;

	switch (key) {
	case OPT_DEAL:
		o->deal = arg;
		break;
	case OPT_ACCOUNT:
		o->account = arg;
		break;
	case OPT_CURRENCY:
		o->currency = arg;
		break;
	case OPT_BOOK:
		o->book = arg;
		break;
	case OPT_REGION:
		o->region = arg;
		break;
	case OPT_VALID_UNTIL:
		o->valid_until = arg;
		break;
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_EXTERNAL_ID:
		o->external_id = arg;
		break;
	case OPT_AT:
		o->at = arg;
		break;
	case OPT_PRICING:
		o->pricing = arg;
		break;
	case OPT_TAXES:
		o->taxes = arg;
		break;
	case OPT_THRESHOLDS:
		o->thresholds = arg;
		break;
	case OPT_QTY:
		o->qty = arg;
		break;
	case OPT_UNIT:
		o->unit = arg;
		break;
	case OPT_ATTR:
		crm_strv_push(&o->attrs, arg);
		break;
	case OPT_GROUP:
		o->group = arg;
		break;
	case OPT_DISCOUNT:
		o->discount = arg;
		break;
	case OPT_PRICE:
		o->price = arg;
		break;
	case OPT_REASON:
		o->reason = arg;
		break;
	case OPT_PARENT:
		o->parent = arg;
		break;
	case OPT_OUTPUT:
		o->output = arg;
		break;
	case OPT_AS:
		o->as = arg;
		break;
	case OPT_TEMPLATE:
		o->template_path = arg;
		break;
	case OPT_VERSION:
		o->version = arg;
		break;
	case OPT_EXPLAIN:
		o->explain = true;
		break;
	case OPT_GROUPS:
		o->groups = true;
		break;
	case OPT_FORCE_OUT:
		o->force = true;
		break;
	case OPT_MIN_HISTORY:
		o->min_history = arg;
		break;
	case OPT_ALL_DRAFTS:
		o->all = true;
		break;
	case OPT_START:
		o->start = arg;
		break;
	case OPT_END:
		o->end = arg;
		break;
	case OPT_TERM:
		o->term = arg;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

/* -- shared ------------------------------------------------------------- */

struct env {
	struct crm_pricing pricing;
	struct crm_tax_rates tax;
	struct crm_quote_ctx c;
	char date[11];
};

static int env_open(struct crm_cli *cli, struct env *v)
{
	struct crm_quote_opts *o = cli->opts;
	const char *envt = getenv("CRM_TAXES");
	char *tp;
	int rc;

	memset(v, 0, sizeof(*v));
	if (crm_cli_price_date(cli, o->at, v->date) < 0 ||
	    crm_cli_pricing(cli, o->pricing, &v->pricing) < 0)
		return -1;
	tp = o->taxes	     ? crm_xstrdup(o->taxes)
	     : envt && *envt ? crm_xstrdup(envt)
			     : crm_share_path("taxes.json");
	rc = crm_tax_load(tp, &v->tax, &cli->err);
	free(tp);
	if (rc < 0)
		return -1;
	v->c.db = cli->db;
	v->c.pricing = &v->pricing;
	v->c.tax = &v->tax;
	v->c.date = v->date;
	return 0;
}

static void env_close(struct env *v)
{
	crm_pricing_release(&v->pricing);
	crm_tax_release(&v->tax);
}

static int quote_arg(struct crm_cli *cli, size_t nargs, int64_t *id)
{
	int rc;

	if (cli->args.n != nargs)
		return crm_err_set(&cli->err, CRM_EX_USAGE, "%s takes %s",
				   cli->verb->name, cli->verb->args_doc);
	rc = crm_quote_find(cli->db, cli->args.v[0], id, &cli->err);
	if (rc < 0)
		return -1;
	if (!rc)
		return crm_err_set(&cli->err, CRM_EX_NOINPUT, "no quote '%s'",
				   cli->args.v[0]);
	return 0;
}

static int parse_version(struct crm_cli *cli, int64_t *v)
{
	struct crm_quote_opts *o = cli->opts;

	*v = 0;
	if (cli->where.n || cli->sort || cli->limit >= 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s takes no --where, --sort or --limit",
				   cli->verb->name);
	if (o->version && (crm_parse_int(o->version, v) < 0 || *v < 1))
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "--version: a version number, not '%s'",
				   o->version);
	return 0;
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

/* A record of the named members of object j (strings, integers, null). */
static int write_json(struct crm_writer *w, const char *const *cols, json_t *j)
{
	struct crm_rec rec;
	int rc;

	crm_rec_init(&rec);
	for (size_t i = 0; cols[i]; i++) {
		json_t *v = json_object_get(j, cols[i]);
		char buf[32];

		if (json_is_string(v))
			crm_rec_adds(&rec, cols[i], json_string_value(v));
		else if (json_is_integer(v))
			crm_rec_adds(&rec, cols[i],
				     crm_fmt_int(buf, json_integer_value(v)));
		else
			crm_rec_adds(&rec, cols[i], NULL);
	}
	rc = crm_writer_write(w, &rec);
	crm_rec_release(&rec);
	return rc;
}

static const char *const head_cols[] = {
    "id",	  "version",	   "status",   "account",
    "deal",	  "currency",	   "book",     "region",
    "list_total", "subtotal",	   "discount", "tax",
    "total",	  "valid_until",   "approval", "accepted_version",
    "reason",	  "from_quote_id", NULL,
};

static int print_head(struct crm_cli *cli, int64_t quote, int64_t version)
{
	json_t *doc = crm_quote_doc(cli->db, quote, version, &cli->err);
	struct crm_writer *w;
	int rc = -1;

	if (!doc)
		return -1;
	if (cli->ids) { /* --ids: the id alone, for $(...) and xargs */
		rc = printf("%lld\n", (long long)quote) < 0 ? -1 : 0;
		if (rc < 0)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		json_decref(doc);
		return rc;
	}
	w = open_writer(cli, head_cols);
	if (w && write_json(w, head_cols, doc) == 0 && crm_writer_close(w) == 0)
		rc = 0;
	else if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	crm_writer_free(w);
	json_decref(doc);
	return rc;
}

/* The end of a write verb: commit (the output is out first), or fail. */
static int finish(struct crm_cli *cli, int rc)
{
	if (rc == 0 && crm_db_finish(cli->db, cli->dry_run, &cli->err) == 0)
		return 0;
	crm_db_rollback(cli->db);
	return crm_cli_fail(cli);
}

/* -- verbs ---------------------------------------------------------------- */

int crm_verb_quote_new(struct crm_cli *cli)
{
	static const char *const ccols[] = {
	    "quote",	  "from_quote",	    "line",
	    "sku",	  "old_unit_price", "new_unit_price",
	    "old_amount", "new_amount",	    NULL,
	};
	struct crm_quote_opts *o = cli->opts;
	struct crm_quote_new n = {o->deal,	 o->account, o->currency,
				  o->book,	 o->region,  o->valid_until,
				  o->external_id};
	struct crm_quote_change *ch = NULL;
	size_t nch = 0;
	struct env v;
	int64_t id = 0, from = 0;
	int rc = -1;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "new takes options only");
		return crm_cli_fail(cli);
	}
	if (env_open(cli, &v) < 0 || crm_db_begin(cli->db, &cli->err) < 0)
		goto out;
	if (o->from) {
		int f = crm_quote_find(cli->db, o->from, &from, &cli->err);

		if (f <= 0) {
			if (!f)
				crm_err_set(&cli->err, CRM_EX_NOINPUT,
					    "no quote '%s'", o->from);
			goto out;
		}
		if (crm_quote_copy(&v.c, from, &n, &id, &ch, &nch, &cli->err) <
		    0)
			goto out;
		{
			struct crm_writer *w = open_writer(cli, ccols);
			json_t *doc = crm_quote_doc(cli->db, id, 0, &cli->err);
			const char *cur =
			    doc ? json_string_value(
				      json_object_get(doc, "currency"))
				: "EUR";

			for (size_t i = 0; w && doc && i < nch; i++) {
				char m[4][32], a[3][32];
				struct crm_rec rec;

				crm_rec_init(&rec);
				crm_rec_adds(&rec, "quote",
					     crm_fmt_int(a[0], id));
				crm_rec_adds(&rec, "from_quote",
					     crm_fmt_int(a[1], from));
				crm_rec_adds(&rec, "line",
					     crm_fmt_int(a[2], ch[i].line_no));
				crm_rec_adds(&rec, "sku", ch[i].sku);
				crm_rec_adds(&rec, "old_unit_price",
					     crm_money_format(ch[i].old_unit,
							      cur, m[0]));
				crm_rec_adds(&rec, "new_unit_price",
					     crm_money_format(ch[i].new_unit,
							      cur, m[1]));
				crm_rec_adds(&rec, "old_amount",
					     crm_money_format(ch[i].old_amount,
							      cur, m[2]));
				crm_rec_adds(&rec, "new_amount",
					     crm_money_format(ch[i].new_amount,
							      cur, m[3]));
				if (crm_writer_write(w, &rec) < 0)
					w = NULL;
				crm_rec_release(&rec);
			}
			json_decref(doc);
			if (!w) {
				if (!cli->err.code)
					crm_err_set(&cli->err, CRM_EX_IOERR,
						    "write error");
				goto out;
			}
			rc = crm_writer_close(w);
			crm_writer_free(w);
			if (rc < 0)
				goto out;
			crm_cli_note(cli,
				     "quote %lld from quote %lld: %zu line%s "
				     "changed price",
				     (long long)id, (long long)from, nch,
				     nch == 1 ? "" : "s");
		}
	} else {
		if (crm_quote_create(&v.c, &n, &id, &cli->err) < 0 ||
		    print_head(cli, id, 0) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ch);
	env_close(&v);
	return finish(cli, rc);
}

int crm_verb_quote_add_line(struct crm_cli *cli)
{
	struct crm_quote_opts *o = cli->opts;
	struct crm_quote_line_in in = {0};
	struct env v;
	int64_t id, line;
	int rc = -1;

	memset(&v, 0, sizeof(v));
	if (cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "add-line takes QUOTE SKU");
		return crm_cli_fail(cli);
	}
	in.sku = cli->args.v[1];
	in.qty = 1;
	in.unit = o->unit;
	in.attrs = &o->attrs;
	in.group = o->group;
	in.manual_price = o->price;
	in.reason = o->reason;
	if (o->qty && crm_parse_int(o->qty, &in.qty) < 0) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "qty: '%s' is no whole number", o->qty);
		goto out;
	}
	if (o->discount && crm_pct_parse(o->discount, &in.discount) < 0) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "discount: '%s' is no percentage", o->discount);
		goto out;
	}
	in.start = o->start;
	in.end = o->end;
	if (o->term && (crm_parse_int(o->term, &in.term) < 0 || in.term < 1)) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "term: '%s' is no number of months", o->term);
		goto out;
	}
	if (o->parent &&
	    (crm_parse_int(o->parent, &in.parent) < 0 || in.parent < 1)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--parent: a line number, not '%s'", o->parent);
		goto out;
	}
	if (env_open(cli, &v) < 0 || crm_db_begin(cli->db, &cli->err) < 0 ||
	    quote_arg(cli, 2, &id) < 0 ||
	    crm_quote_add_line(&v.c, id, &in, &line, &cli->err) < 0 ||
	    print_head(cli, id, 0) < 0)
		goto out;
	rc = 0;
out:
	env_close(&v);
	return finish(cli, rc);
}

int crm_verb_quote_remove_line(struct crm_cli *cli)
{
	struct env v;
	int64_t id, line;
	int rc = -1;

	memset(&v, 0, sizeof(v));
	if (cli->args.n != 2 || crm_parse_int(cli->args.v[1], &line) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "remove-line takes QUOTE LINE");
		return crm_cli_fail(cli);
	}
	if (env_open(cli, &v) < 0 || crm_db_begin(cli->db, &cli->err) < 0 ||
	    quote_arg(cli, 2, &id) < 0 ||
	    crm_quote_remove_line(&v.c, id, line, &cli->err) < 0 ||
	    print_head(cli, id, 0) < 0)
		goto out;
	rc = 0;
out:
	env_close(&v);
	return finish(cli, rc);
}

struct priced {
	struct crm_cli *cli;
	struct crm_writer *w;
};

/* A quote priced: its id (--ids) or its head. */
static int priced(int64_t id, void *arg)
{
	struct priced *pp = arg;
	struct crm_cli *cli = pp->cli;
	json_t *doc;
	int wr;

	if (cli->ids) {
		if (printf("%lld\n", (long long)id) < 0)
			goto werr;
		return 0;
	}
	doc = crm_quote_doc(cli->db, id, 0, &cli->err);
	if (!doc)
		return -1;
	wr = write_json(pp->w, head_cols, doc);
	json_decref(doc);
	if (wr >= 0)
		return 0;
werr:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	return -1;
}

int crm_verb_quote_price(struct crm_cli *cli)
{
	struct priced pp;
	struct crm_quote_opts *o = cli->opts;
	struct crm_writer *w = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	struct env v;
	struct crm_quote_products products = {0};
	int rc = -1;

	memset(&v, 0, sizeof(v));
	if (o->all == (cli->args.n > 0)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "price takes QUOTE... or --all");
		return crm_cli_fail(cli);
	}
	if (env_open(cli, &v) < 0 || crm_db_begin(cli->db, &cli->err) < 0)
		goto out;
	/* the products stay as they are while the quotes are priced */
	v.c.products = &products;
	if (o->all) {
		if (crm_quote_drafts(cli->db, &ids, &n, &cli->err) < 0)
			goto out;
	} else {
		ids = crm_xcalloc(cli->args.n, sizeof(*ids));
		for (; n < cli->args.n; n++) {
			int f = crm_quote_find(cli->db, cli->args.v[n], &ids[n],
					       &cli->err);

			if (f < 0)
				goto out;
			if (!f) {
				crm_err_set(&cli->err, CRM_EX_NOINPUT,
					    "no quote '%s'", cli->args.v[n]);
				goto out;
			}
		}
	}
	if (!cli->ids) {
		w = open_writer(cli, head_cols);
		if (!w)
			goto out;
	}
	pp.cli = cli;
	pp.w = w;
	if (crm_quote_price_many(&v.c, ids, n, priced, &pp, &cli->err) < 0)
		goto out;
	if (w && crm_writer_close(w) < 0)
		goto werr;
	if (o->all)
		crm_cli_note(cli, "priced %zu draft quote%s", n,
			     n == 1 ? "" : "s");
	rc = 0;
	goto out;
werr:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
out:
	crm_writer_free(w);
	free(ids);
	env_close(&v);
	crm_quote_products_release(&products);
	return finish(cli, rc);
}

int crm_verb_quote_show(struct crm_cli *cli)
{
	int64_t id, ver;

	if (parse_version(cli, &ver) < 0 || quote_arg(cli, 1, &id) < 0 ||
	    print_head(cli, id, ver) < 0)
		return crm_cli_fail(cli);
	return 0;
}

int crm_verb_quote_lines(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "line",	     "group",	    "sku",	  "name",
	    "qty",	     "unit",	    "base_qty",	  "attributes",
	    "list_unit",     "list_amount", "discount",	  "manual_price",
	    "manual_reason", "promotions",  "unit_price", "amount",
	    "tax_category",  "parent_line", "start_date", "end_date",
	    "term_months",   NULL,
	};
	static const char *const ecols[] = {"line",   "sku",	"step",
					    "detail", "amount", NULL};
	static const char *const gcols[] = {"group", "amount", NULL};
	struct crm_quote_opts *o = cli->opts;
	struct crm_writer *w = NULL;
	json_t *doc = NULL, *l;
	int64_t id, ver;
	size_t i;
	int rc = -1;

	if (parse_version(cli, &ver) < 0 || quote_arg(cli, 1, &id) < 0)
		goto out;
	doc = crm_quote_doc(cli->db, id, ver, &cli->err);
	if (!doc)
		goto out;
	if (o->groups) {
		w = open_writer(cli, gcols);
		json_array_foreach(json_object_get(doc, "groups"), i, l)
		{
			if (!w || write_json(w, gcols, l) < 0)
				goto werr;
		}
	} else if (o->explain) {
		const char *cur =
		    json_string_value(json_object_get(doc, "currency"));

		w = open_writer(cli, ecols);
		json_array_foreach(json_object_get(doc, "lines"), i, l)
		{
			json_t *s;
			size_t k;

			json_array_foreach(json_object_get(l, "explain"), k, s)
			{
				char m[32], ln[32];
				struct crm_rec rec;

				crm_rec_init(&rec);
				crm_rec_adds(
				    &rec, "line",
				    crm_fmt_int(
					ln, json_integer_value(
						json_object_get(l, "line"))));
				crm_rec_adds(&rec, "sku",
					     json_string_value(
						 json_object_get(l, "sku")));
				crm_rec_adds(&rec, "step",
					     json_string_value(
						 json_object_get(s, "step")));
				crm_rec_adds(&rec, "detail",
					     json_string_value(
						 json_object_get(s, "detail")));
				crm_rec_adds(
				    &rec, "amount",
				    crm_money_format(
					json_integer_value(
					    json_object_get(s, "amount")),
					cur, m));
				rc = w ? crm_writer_write(w, &rec) : -1;
				crm_rec_release(&rec);
				if (rc < 0)
					goto werr;
			}
		}
	} else {
		w = open_writer(cli, cols);
		json_array_foreach(json_object_get(doc, "lines"), i, l)
		{
			if (!w || write_json(w, cols, l) < 0)
				goto werr;
		}
	}
	if (!w || crm_writer_close(w) < 0)
		goto werr;
	rc = 0;
	goto out;
werr:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	rc = -1;
out:
	crm_writer_free(w);
	json_decref(doc);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}

int crm_verb_quote_submit(struct crm_cli *cli)
{
	struct crm_quote_opts *o = cli->opts;
	const char *envt = getenv("CRM_THRESHOLDS");
	struct crm_thresholds t;
	struct crm_strv reasons = {0};
	struct env v;
	int64_t id, approval = 0;
	char *tp;
	int rc = -1;

	memset(&v, 0, sizeof(v));
	memset(&t, 0, sizeof(t));
	tp = o->thresholds   ? crm_xstrdup(o->thresholds)
	     : envt && *envt ? crm_xstrdup(envt)
			     : crm_share_path("thresholds.json");
	if (crm_thresholds_load(tp, &t, &cli->err) < 0 ||
	    env_open(cli, &v) < 0 || crm_db_begin(cli->db, &cli->err) < 0 ||
	    quote_arg(cli, 1, &id) < 0 ||
	    crm_quote_submit(&v.c, id, &t, &reasons, &approval, &cli->err) <
		0 ||
	    print_head(cli, id, 0) < 0)
		goto out;
	for (size_t i = 0; i < reasons.n; i++)
		crm_cli_note(cli, "needs approval: %s", reasons.v[i]);
	if (approval)
		crm_cli_note(cli,
			     "quote %lld is locked pending approval %lld "
			     "('crm-flow approvals', 'crm-quote approve %lld' "
			     "or 'crm-flow approve %lld')",
			     (long long)id, (long long)approval, (long long)id,
			     (long long)approval);
	rc = 0;
out:
	free(tp);
	crm_strv_release(&reasons);
	crm_thresholds_release(&t);
	env_close(&v);
	return finish(cli, rc);
}

static int simple(struct crm_cli *cli,
		  int (*fn)(struct crm_quote_ctx *c, int64_t quote,
			    struct crm_err *err))
{
	struct crm_quote_ctx c = {.db = cli->db};
	int64_t id;
	int rc = -1;

	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    quote_arg(cli, 1, &id) < 0 || fn(&c, id, &cli->err) < 0 ||
	    print_head(cli, id, 0) < 0)
		goto out;
	rc = 0;
out:
	return finish(cli, rc);
}

int crm_verb_quote_approve(struct crm_cli *cli)
{
	return simple(cli, crm_quote_approve);
}

int crm_verb_quote_accept(struct crm_cli *cli)
{
	return simple(cli, crm_quote_accept);
}

int crm_verb_quote_reject(struct crm_cli *cli)
{
	struct crm_quote_opts *o = cli->opts;
	struct crm_quote_ctx c = {.db = cli->db};
	int64_t id;
	int rc = -1;

	if (!o->reason || !*o->reason) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "reject needs --reason (why the customer said no)");
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    quote_arg(cli, 1, &id) < 0 ||
	    crm_quote_reject(&c, id, o->reason, &cli->err) < 0 ||
	    print_head(cli, id, 0) < 0)
		goto out;
	rc = 0;
out:
	return finish(cli, rc);
}

int crm_verb_quote_render(struct crm_cli *cli)
{
	struct crm_quote_opts *o = cli->opts;
	struct crm_buf tmpl = {0}, out = {0};
	json_t *doc = NULL;
	FILE *fp = NULL;
	char *tp = NULL;
	bool pdf;
	int64_t id, ver;
	int rc = -1;

	if (!o->output) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "render needs --output FILE (.html or .pdf)");
		goto out;
	}
	if (o->as)
		pdf = !strcmp(o->as, "pdf");
	else {
		size_t n = strlen(o->output);

		pdf = n > 4 && !strcasecmp(o->output + n - 4, ".pdf");
	}
	if (o->as && strcmp(o->as, "pdf") && strcmp(o->as, "html")) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--as: html or pdf, not '%s'", o->as);
		goto out;
	}
	if (parse_version(cli, &ver) < 0 || quote_arg(cli, 1, &id) < 0)
		goto out;
	tp = o->template_path ? crm_xstrdup(o->template_path)
			      : crm_share_path(pdf ? "templates/quote.pango"
						   : "templates/quote.html");
	if (crm_file_read(tp, 1 << 20, &tmpl, &cli->err) < 0)
		goto out;
	doc = crm_quote_doc(cli->db, id, ver, &cli->err);
	if (!doc)
		goto out;
	if ((pdf ? crm_quote_pdf(doc, crm_buf_str(&tmpl), tp, &out, &cli->err)
		 : crm_quote_html(doc, crm_buf_str(&tmpl), tp, &out,
				  &cli->err)) < 0)
		goto out;
	fp = crm_cli_create(cli, o->output, o->force);
	if (!fp)
		goto out;
	if (fwrite(out.s, 1, out.len, fp) != out.len || fclose(fp) != 0) {
		fp = NULL;
		crm_err_set(&cli->err, CRM_EX_IOERR, "%s: %s", o->output,
			    strerror(errno));
		goto out;
	}
	fp = NULL;
	crm_cli_note(cli, "wrote %s (quote %lld, %s)", o->output, (long long)id,
		     pdf ? "PDF" : "HTML");
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(tp);
	json_decref(doc);
	crm_buf_release(&tmpl);
	crm_buf_release(&out);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}

int crm_verb_quote_suggest(struct crm_cli *cli)
{
	static const char *const cols[] = {"band",     "quotes",    "won",
					   "win_rate", "avg_total", "expected",
					   "best",     NULL};
	struct crm_quote_opts *o = cli->opts;
	struct crm_writer *w = NULL;
	json_t *s = NULL, *b;
	int64_t id, minh = 5;
	size_t i;
	int rc = -1;

	if (o->min_history &&
	    (crm_parse_int(o->min_history, &minh) < 0 || minh < 1)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--min-history: a number >= 1, not '%s'",
			    o->min_history);
		goto out;
	}
	if (quote_arg(cli, 1, &id) < 0)
		goto out;
	s = crm_quote_suggest(cli->db, id, minh, &cli->err);
	if (!s)
		goto out;
	w = open_writer(cli, cols);
	json_array_foreach(json_object_get(s, "bands"), i, b)
	{
		if (!w || write_json(w, cols, b) < 0)
			goto werr;
	}
	if (!w || crm_writer_close(w) < 0)
		goto werr;
	crm_cli_note(cli, "%s", json_string_value(json_object_get(s, "note")));
	rc = 0;
	goto out;
werr:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
out:
	crm_writer_free(w);
	json_decref(s);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}
