/* cli_account.c - crm-company tier (customer tiers from the tiers file,
 * stored with their history, explained) and crm-company plan (account
 * plans against actuals). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_account.h"
#include "company.h"
#include "contact.h"
#include "forecast.h"
#include "money.h"
#include "plan.h"
#include "share.h"
#include "tier.h"

enum {
	OPT_TIERS = 0x5400,
	OPT_RATES,
	OPT_EXPLAIN,
	OPT_FROM,
	OPT_TO,
	OPT_TARGET,
	OPT_CURRENCY,
	OPT_DUE,
	OPT_OWNER,
	OPT_CONTACT,
};

static struct {
	const char *tiers, *rates;
	bool explain;
	const char *from, *to, *target, *currency, *due, *owner, *contact;
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

const struct argp_option crm_plan_options[] = {
    {"from", OPT_FROM, "DATE", 0, "set: the plan's period starts (YYYY-MM-DD)",
     0},
    {"to", OPT_TO, "DATE", 0, "set: the plan's period ends (YYYY-MM-DD)", 0},
    {"target", OPT_TARGET, "AMOUNT", 0,
     "set: the target revenue for the period (won deals)", 0},
    {"currency", OPT_CURRENCY, "CUR", 0, "set: the target's currency", 0},
    {"due", OPT_DUE, "DATE", 0, "action: when the task is due", 0},
    {"owner", OPT_OWNER, "USER", 0, "action: who does it", 0},
    {"contact", OPT_CONTACT, "CONTACT", 0,
     "action: the contact the task is with", 0},
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
	case OPT_FROM:
		ao.from = arg;
		break;
	case OPT_TO:
		ao.to = arg;
		break;
	case OPT_TARGET:
		ao.target = arg;
		break;
	case OPT_CURRENCY:
		ao.currency = arg;
		break;
	case OPT_DUE:
		ao.due = arg;
		break;
	case OPT_OWNER:
		ao.owner = arg;
		break;
	case OPT_CONTACT:
		ao.contact = arg;
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

/* -- plan ------------------------------------------------------------------ */

static int find_id(struct crm_cli *cli, const struct crm_entity *e,
		   const char *key, int64_t *id)
{
	struct crm_row row;
	int rc;

	crm_row_init(&row, e);
	rc = crm_entity_find(cli->db, e, key, &row, &cli->err);
	if (rc == 0)
		crm_err_set(&cli->err, CRM_EX_NOINPUT, "no %s '%s'", e->name,
			    key);
	if (rc > 0)
		*id = crm_row_id(&row);
	crm_row_release(&row);
	return rc > 0 ? 0 : -1;
}

static const char *const plan_cols[] = {
    "company_id", "kind",    "id",     "contact_id", "contact", "text", "owner",
    "due_at",	  "done_at", "status", "at",	     "author",	NULL,
};

static int plan_text(const struct crm_plan *p)
{
	char a[32], b[32];
	const char *last = "";

	if (printf("Account plan: %s (%lld)", p->company,
		   (long long)p->company_id) < 0 ||
	    ((p->from || p->to) && printf(", %s .. %s", p->from ? p->from : "",
					  p->to ? p->to : "") < 0) ||
	    putchar('\n') == EOF)
		return -1;
	if (p->target >= 0 && p->currency) {
		if (printf("Revenue: %s of %s %s won (%lld deal%s, %.1f%%)\n",
			   crm_money_format(p->revenue, p->currency, a),
			   crm_money_format(p->target, p->currency, b),
			   p->currency, (long long)p->won,
			   p->won == 1 ? "" : "s",
			   p->target
			       ? 100.0 * (double)p->revenue / (double)p->target
			       : 0.0) < 0)
			return -1;
	} else if (printf("Revenue: no target set\n") < 0) {
		return -1;
	}
	if (p->other && printf("  (won deals in %s are not counted: no rate)\n",
			       p->other) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct crm_plan_item *x = &p->items[i];
		int rc = 0;

		if (strcmp(last, x->kind)) {
			last = x->kind;
			if (!strcmp(x->kind, "goal"))
				rc = printf("Goals:\n");
			else if (!strcmp(x->kind, "strategy"))
				rc = printf("Strategies:\n");
			else if (!strcmp(x->kind, "action"))
				rc = printf(
				    "Actions: %ld of %ld done, %ld due, "
				    "%ld overdue\n",
				    p->done, p->actions, p->due, p->overdue);
			else
				rc = printf("Reviews:\n");
			if (rc < 0)
				return -1;
		}
		if (!strcmp(x->kind, "strategy"))
			rc = printf("  %s (%lld): %s\n",
				    x->contact ? x->contact : "?",
				    (long long)x->contact_id, x->text);
		else if (!strcmp(x->kind, "action"))
			rc = printf("  [%c] %s (%s, due %.10s%s%.10s)%s\n",
				    x->done_at ? 'x' : ' ', x->text,
				    x->owner ? x->owner : "no owner",
				    x->due_at ? x->due_at : "-",
				    x->done_at ? ", done " : "",
				    x->done_at ? x->done_at : "",
				    !strcmp(x->status, "overdue") ? "  OVERDUE"
								  : "");
		else if (!strcmp(x->kind, "review"))
			rc = printf("  %.10s %s: %s\n", x->at,
				    x->author ? x->author : "-", x->text);
		else
			rc = printf("  - %s\n", x->text);
		if (rc < 0)
			return -1;
	}
	if (!p->pm.gaps.n)
		return printf("Power map: no gaps\n") < 0 ? -1 : 0;
	if (printf("Power map gaps:\n") < 0)
		return -1;
	for (size_t i = 0; i < p->pm.gaps.n; i++)
		if (printf("  gap: %s\n", p->pm.gaps.v[i]) < 0)
			return -1;
	return 0;
}

static void num(struct crm_rec *r, const char *name, int64_t v, bool null)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	add(r, name, null ? NULL : b, true);
}

static int plan_write(struct crm_writer *w, struct crm_rec *r,
		      const struct crm_plan *p)
{
	char a[32], b[32], *t;
	int rc;

	/* the target first: revenue against it */
	crm_rec_clear(r);
	num(r, "company_id", p->company_id, false);
	add(r, "kind", "target", false);
	num(r, "id", p->id, false);
	add(r, "contact_id", NULL, true);
	add(r, "contact", NULL, false);
	t = p->target >= 0 && p->currency
		? crm_xasprintf("%s of %s %s",
				crm_money_format(p->revenue, p->currency, a),
				crm_money_format(p->target, p->currency, b),
				p->currency)
		: NULL;
	add(r, "text", t, false);
	free(t);
	add(r, "owner", NULL, false);
	add(r, "due_at", p->to, false);
	add(r, "done_at", NULL, false);
	add(r, "status",
	    p->target < 0	      ? NULL
	    : p->revenue >= p->target ? "met"
				      : "open",
	    false);
	add(r, "at", p->from, false);
	add(r, "author", NULL, false);
	if (crm_writer_write(w, r) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct crm_plan_item *x = &p->items[i];

		crm_rec_clear(r);
		num(r, "company_id", p->company_id, false);
		add(r, "kind", x->kind, false);
		num(r, "id", x->id, false);
		num(r, "contact_id", x->contact_id, !x->contact_id);
		add(r, "contact", x->contact, false);
		add(r, "text", x->text, false);
		add(r, "owner", x->owner, false);
		add(r, "due_at", x->due_at, false);
		add(r, "done_at", x->done_at, false);
		add(r, "status", x->status, false);
		add(r, "at", x->at, false);
		add(r, "author", x->author, false);
		if (crm_writer_write(w, r) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->pm.gaps.n; i++) {
		crm_rec_clear(r);
		num(r, "company_id", p->company_id, false);
		add(r, "kind", "gap", false);
		add(r, "id", NULL, true);
		add(r, "contact_id", NULL, true);
		add(r, "contact", NULL, false);
		add(r, "text", p->pm.gaps.v[i], false);
		for (const char *const *c = plan_cols + 6; *c; c++)
			add(r, *c, NULL, false);
		if ((rc = crm_writer_write(w, r)) < 0)
			return -1;
	}
	return 0;
}

static int plan_show(struct crm_cli *cli, int64_t company)
{
	struct crm_plan p;
	struct crm_writer *w = NULL;
	struct crm_strv cols = {0};
	struct crm_rec rec;
	int status = 0, rc;

	crm_rec_init(&rec);
	if (crm_plan_load(cli->db, company, &p, &cli->err) < 0)
		goto fail;
	if (crm_cli_format(cli) == CRM_FMT_TABLE) {
		rc = plan_text(&p);
	} else {
		for (size_t i = 0; plan_cols[i]; i++)
			crm_strv_push(&cols, plan_cols[i]);
		w = crm_cli_writer(cli, &cols);
		rc = plan_write(w, &rec, &p);
		if (rc == 0)
			rc = crm_writer_close(w);
	}
	if (rc < 0 || fflush(stdout) == EOF) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_plan_release(&p);
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_company_plan(struct crm_cli *cli)
{
	const char *sub = cli->args.n > 1 ? cli->args.v[1] : NULL;
	int64_t company = 0, contact = 0, id = 0;
	size_t want;
	int rc;

	if (!cli->args.n)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "plan needs a company"),
		       crm_cli_fail(cli);
	if (cli->where.n || cli->sort || cli->fields)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "plan takes no --where, --sort or --fields"),
		       crm_cli_fail(cli);
	want = !sub			  ? 1
	       : !strcmp(sub, "set")	  ? 2
	       : !strcmp(sub, "strategy") ? 4
	       : !strcmp(sub, "goal") || !strcmp(sub, "action") ||
		       !strcmp(sub, "review")
		   ? 3
		   : 0;
	if (!want)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "plan: expected set, goal, strategy, "
				   "action or review after the company, not "
				   "'%s'",
				   sub),
		       crm_cli_fail(cli);
	if (cli->args.n != want)
		return crm_err_set(&cli->err, CRM_EX_USAGE, "plan %s takes %s",
				   sub ? sub : "COMPANY",
				   want == 1   ? "only the company"
				   : want == 2 ? "options (--from, --to, "
						 "--target, --currency)"
				   : want == 3 ? "one text"
					       : "a contact and a text"),
		       crm_cli_fail(cli);
	if (find_id(cli, &crm_company_entity, cli->args.v[0], &company) < 0)
		return crm_cli_fail(cli);
	if (!sub)
		return plan_show(cli, company);
	if ((want == 4 &&
	     find_id(cli, &crm_contact_entity, cli->args.v[2], &contact) < 0) ||
	    (ao.contact &&
	     find_id(cli, &crm_contact_entity, ao.contact, &contact) < 0))
		return crm_cli_fail(cli);
	if (crm_db_begin(cli->db, &cli->err) < 0)
		return crm_cli_fail(cli);
	if (want == 2)
		rc = crm_plan_set(cli->db, company, ao.from, ao.to, ao.target,
				  ao.currency, &cli->err);
	else
		rc = crm_plan_add(cli->db, company, sub, contact,
				  cli->args.v[want - 1], ao.owner, ao.due, &id,
				  &cli->err);
	if (rc < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	if (cli->dry_run)
		crm_db_rollback(cli->db);
	else if (crm_db_commit(cli->db, &cli->err) < 0)
		return crm_cli_fail(cli);
	if (cli->ids && id)
		printf("%lld\n", (long long)id);
	crm_cli_note(cli, "%splan of company %lld: %s%s",
		     cli->dry_run ? "dry run: " : "", (long long)company,
		     want == 2 ? "set" : sub, want == 2 ? "" : " added");
	return 0;
}
