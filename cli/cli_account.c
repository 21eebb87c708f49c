/* cli_account.c - crm-company tier (customer tiers from the tiers file,
 * stored with their history, explained) and crm-company plan (account
 * plans against actuals). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_account.h"
#include "company.h"
#include "forecast.h"
#include "money.h"
#include "share.h"
#include "tier.h"

enum {
	OPT_TIERS = 0x5400,
	OPT_RATES,
	OPT_EXPLAIN,
};

static struct {
	const char *tiers, *rates;
	bool explain;
} ao;

const struct argp_option crm_tier_options[] = {
    {"tiers", OPT_TIERS, "FILE", 0,
     "The tiers file (default: $CRM_TIERS, else share/crm/tiers.json)", 0},
    {"rates", OPT_RATES, "FILE", 0,
     "Exchange rates into the tiers file's currency ({\"base\": \"EUR\", "
     "\"rates\": {\"USD\": 0.92}}); without them amounts in other "
     "currencies are left out and the figure is unknown",
     0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "Say which rule matched and why, with the figures", 0},
    {0},
};

error_t crm_account_opts_parse(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case OPT_TIERS:
		ao.tiers = arg;
		break;
	case OPT_RATES:
		ao.rates = arg;
		break;
	case OPT_EXPLAIN:
		ao.explain = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* -- tier ----------------------------------------------------------------- */

static const char *const tier_cols[] = {
    "id",      "name",	   "tier",	 "was",		"changed",  "rule",
    "revenue", "previous", "growth_pct", "pipeline",	"currency", "won",
    "open",    "rfm",	   "industry",	 "unconverted", NULL,
};

struct tier_out {
	struct crm_cli *cli;
	const struct crm_tiers *t;
	struct crm_writer *w;
	struct crm_rec rec;
	bool text; /* --explain on a terminal: a block each */
};

static void add(struct crm_rec *r, const char *name, const char *v, bool raw)
{
	if (!v)
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
	else
		crm_rec_add(r, name, strlen(name), v, strlen(v),
			    raw ? CRM_RAW : CRM_STR);
}

static const char *money(const struct tier_out *to, bool known, int64_t v,
			 char buf[32])
{
	return known && *to->t->currency
		   ? crm_money_format(v, to->t->currency, buf)
		   : NULL;
}

static int tier_text(const struct tier_out *to, const struct crm_tier_result *r)
{
	const struct crm_tier_figures *f = r->fig;
	const char *cur = to->t->currency;
	char a[32], b[32], c[32], g[32];

	if (f->growth_known)
		snprintf(g, sizeof(g), "%+.1f%%", f->growth);
	else
		snprintf(g, sizeof(g), "unknown");
	if (printf("%s (%lld): %s", r->name, (long long)r->id,
		   r->tier ? r->tier : "no tier") < 0 ||
	    (r->changed && printf(" (was %s)", r->was ? r->was : "none") < 0) ||
	    (r->rule >= 0 &&
	     printf(", rule '%s'", to->t->rules[r->rule].name) < 0) ||
	    printf("\n  revenue %s %s (%lld won), previous %s (%lld won), "
		   "growth %s, pipeline %s (%lld open), rfm %s, industry "
		   "%s%s%s\n",
		   f->revenue_known ? crm_money_format(f->revenue, cur, a)
				    : "unknown",
		   cur, (long long)f->won,
		   f->previous_known ? crm_money_format(f->previous, cur, b)
				     : "unknown",
		   (long long)f->won_previous, g,
		   f->pipeline_known ? crm_money_format(f->pipeline, cur, c)
				     : "unknown",
		   (long long)f->open, f->rfm ? f->rfm : "none",
		   f->industry ? f->industry : "none",
		   f->unconverted ? "; left out (no rate): " : "",
		   f->unconverted ? f->unconverted : "") < 0)
		return -1;
	for (const char *s = r->why; s && *s;) {
		const char *e = strchr(s, '\n');
		int len = e ? (int)(e - s) : (int)strlen(s);

		if (printf("  %.*s\n", len, s) < 0)
			return -1;
		s += len + (e ? 1 : 0);
	}
	return 0;
}

static int tier_one(const struct crm_tier_result *r, void *arg)
{
	struct tier_out *to = arg;
	const struct crm_tier_figures *f = r->fig;
	char num[32], m[32];

	if (to->cli->ids)
		return printf("%lld\n", (long long)r->id) < 0 ? -1 : 0;
	if (to->text)
		return tier_text(to, r);
	crm_rec_clear(&to->rec);
	snprintf(num, sizeof(num), "%lld", (long long)r->id);
	add(&to->rec, "id", num, true);
	add(&to->rec, "name", r->name, false);
	add(&to->rec, "tier", r->tier, false);
	add(&to->rec, "was", r->was, false);
	add(&to->rec, "changed", r->changed ? "true" : "false", true);
	add(&to->rec, "rule", r->rule >= 0 ? to->t->rules[r->rule].name : NULL,
	    false);
	add(&to->rec, "revenue", money(to, f->revenue_known, f->revenue, m),
	    true);
	add(&to->rec, "previous", money(to, f->previous_known, f->previous, m),
	    true);
	snprintf(num, sizeof(num), "%.1f", f->growth);
	add(&to->rec, "growth_pct", f->growth_known ? num : NULL, true);
	add(&to->rec, "pipeline", money(to, f->pipeline_known, f->pipeline, m),
	    true);
	add(&to->rec, "currency", *to->t->currency ? to->t->currency : NULL,
	    false);
	snprintf(num, sizeof(num), "%lld", (long long)f->won);
	add(&to->rec, "won", num, true);
	snprintf(num, sizeof(num), "%lld", (long long)f->open);
	add(&to->rec, "open", num, true);
	add(&to->rec, "rfm", f->rfm, false);
	add(&to->rec, "industry", f->industry, false);
	add(&to->rec, "unconverted", f->unconverted, false);
	if (ao.explain) {
		char *why = crm_xstrdup(r->why ? r->why : "");
		size_t n = strlen(why);

		if (n && why[n - 1] == '\n')
			why[--n] = 0;
		for (char *p = why; *p; p++)
			if (*p == '\n')
				*p = '|';
		add(&to->rec, "why", why, false);
		free(why);
	}
	return crm_writer_write(to->w, &to->rec);
}

int crm_verb_company_tier(struct crm_cli *cli)
{
	const struct crm_entity *e = cli->cmd->entity;
	struct crm_tiers t = {0};
	struct crm_rates rates = {0};
	struct tier_out to = {.cli = cli, .t = &t};
	struct crm_tier_opts o = {
	    .t = &t, .dry_run = cli->dry_run, .explain = ao.explain};
	struct crm_strv cols = {0};
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t changed = 0;
	const char *env = getenv("CRM_TIERS");
	char *path = ao.tiers	   ? crm_xstrdup(ao.tiers)
		     : env && *env ? crm_xstrdup(env)
				   : crm_share_path("tiers.json");
	int status = 0;

	crm_rec_init(&to.rec);
	if (cli->where.n || cli->sort || cli->fields) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "tier takes company ids or names, not --where, "
			    "--sort or --fields");
		goto fail;
	}
	if (crm_tiers_load(path, &t, &cli->err) < 0 ||
	    (ao.rates && crm_rates_load(ao.rates, &rates, &cli->err) < 0))
		goto fail;
	if (ao.rates)
		o.rates = &rates;
	if (crm_cli_query(cli, e, false, &q, &ids) < 0)
		goto fail;
	if (q.nids) {
		o.ids = q.ids;
		o.nids = q.nids;
	}
	to.text = ao.explain && crm_cli_format(cli) == CRM_FMT_TABLE;
	for (size_t i = 0; tier_cols[i]; i++)
		crm_strv_push(&cols, tier_cols[i]);
	if (ao.explain)
		crm_strv_push(&cols, "why");
	if (!to.text && !cli->ids)
		to.w = crm_cli_writer(cli, &cols);
	if (crm_tier_run(cli->db, &o, tier_one, &to, &changed, &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		goto fail;
	}
	if (to.w && crm_writer_close(to.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	if (cli->dry_run)
		crm_cli_note(cli, "dry run: %llu tier%s would change",
			     (unsigned long long)changed,
			     changed == 1 ? "" : "s");
	else if (changed)
		crm_cli_note(cli,
			     "%llu tier%s changed (change %lld; '%s undo %lld' "
			     "reverts it)",
			     (unsigned long long)changed,
			     changed == 1 ? "" : "s",
			     (long long)cli->db->last_change, cli->cmd->name,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "no tier changed");
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(to.w);
	crm_rec_release(&to.rec);
	crm_strv_release(&cols);
	crm_tiers_release(&t);
	if (ao.rates)
		crm_rates_release(&rates);
	free(path);
	free(ids);
	return status;
}
