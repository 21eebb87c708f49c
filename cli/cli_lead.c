/* cli_lead.c - crm-lead's verbs: import with duplicate control, assign,
 * reclaim, qualify, disqualify, convert, history. The rest (add, list,
 * show, update, delete, export, undo) are the entity engine's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_dedupe.h"
#include "cli_lead.h"
#include "share.h"

enum {
	OPT_RULES = 0x400,
	OPT_EXPLAIN,
	OPT_REASSIGN,
	OPT_SEED,
	OPT_IDLE,
	OPT_WARN,
	OPT_REASON,
	OPT_DEAL_NAME,
	OPT_AMOUNT,
	OPT_CURRENCY,
	OPT_PIPELINE,
	OPT_STAGE,
	OPT_EXPECTED_CLOSE,
};

const struct argp_option crm_lead_assign_options[] = {
    {"rules", OPT_RULES, "FILE", 0,
     "Assignment rules (default: assignment.json in the share folder)", 0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "Print the rule, team, strategy and reason of each assignment, and "
     "the leads nobody could take",
     0},
    {"reassign", OPT_REASSIGN, 0, 0,
     "Route the selected leads again even when they have an owner", 0},
    {"seed", OPT_SEED, "N", 0,
     "Seed for tie breaks (default: the rules file's seed)", 0},
    {0},
};

const struct argp_option crm_lead_reclaim_options[] = {
    {"idle", OPT_IDLE, "DURATION", 0,
     "Reclaim leads whose owner logged no activity for DURATION (7d, "
     "48h ...); required",
     0},
    {"warn", OPT_WARN, "DURATION", 0,
     "Only list the leads that will be reclaimed within DURATION; exit 1 "
     "when there are any",
     0},
    {0},
};

const struct argp_option crm_lead_status_options[] = {
    {"reason", OPT_REASON, "TEXT", 0,
     "Why (kept in status_reason and the history); required by "
     "disqualify",
     0},
    {0},
};

const struct argp_option crm_lead_convert_options[] = {
    {"deal-name", OPT_DEAL_NAME, "NAME", 0,
     "Also open a deal with this name (default with --amount: the company's "
     "or the lead's name)",
     0},
    {"amount", OPT_AMOUNT, "AMOUNT", 0, "The deal's amount (opens a deal)", 0},
    {"currency", OPT_CURRENCY, "CODE", 0,
     "The deal's ISO 4217 currency (required with --amount)", 0},
    {"pipeline", OPT_PIPELINE, "NAME", 0,
     "The deal's pipeline (default: the default pipeline)", 0},
    {"stage", OPT_STAGE, "STAGE", 0,
     "The deal's stage (default: the pipeline's first)", 0},
    {"expected-close", OPT_EXPECTED_CLOSE, "DATE", 0,
     "The deal's expected close date", 0},
    {0},
};

error_t crm_lead_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_lead_opts *o = cli->opts;

	switch (key) {
	case OPT_RULES:
		o->rules = arg;
		return 0;
	case OPT_EXPLAIN:
		o->explain = true;
		return 0;
	case OPT_REASSIGN:
		o->reassign = true;
		return 0;
	case OPT_SEED:
		if (crm_parse_int(arg, &o->seed) < 0 || o->seed < 0)
			argp_error(state, "--seed: expected a number, got '%s'",
				   arg);
		o->seed_set = true;
		return 0;
	case OPT_IDLE:
		o->idle = arg;
		return 0;
	case OPT_DEAL_NAME:
		o->deal.name = arg;
		o->open_deal = true;
		return 0;
	case OPT_AMOUNT:
		o->deal.amount = arg;
		o->open_deal = true;
		return 0;
	case OPT_CURRENCY:
		o->deal.currency = arg;
		return 0;
	case OPT_PIPELINE:
		o->deal.pipeline = arg;
		return 0;
	case OPT_STAGE:
		o->deal.stage = arg;
		return 0;
	case OPT_EXPECTED_CLOSE:
		o->deal.expected_close = arg;
		return 0;
	case OPT_WARN:
		o->warn = arg;
		return 0;
	case OPT_REASON:
		if (!*arg)
			argp_error(state, "--reason: give a reason");
		o->reason = arg;
		return 0;
	}
	return crm_entity_opts_parse(key, arg, state);
}

int crm_verb_lead_add(struct crm_cli *cli)
{
	return crm_add_dedupe(cli, &crm_lead_dupcheck);
}

int crm_verb_lead_import(struct crm_cli *cli)
{
	return crm_import_dedupe(cli, &crm_lead_dupcheck);
}

/* -- output helpers ---------------------------------------------------- */

struct out {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_strv cols;
	struct crm_rec rec;
	uint64_t n, left;
};

static void out_open(struct out *o, struct crm_cli *cli,
		     const char *const *cols)
{
	memset(o, 0, sizeof(*o));
	o->cli = cli;
	crm_rec_init(&o->rec);
	for (size_t i = 0; cols[i]; i++)
		crm_strv_push(&o->cols, cols[i]);
	if (!cli->ids)
		o->w = crm_cli_writer(cli, &o->cols);
}

static void num(struct crm_rec *rec, const char *name, int64_t v)
{
	char buf[32];

	if (!v) {
		crm_rec_set(rec, name, NULL, CRM_NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

static int out_write(struct out *o, int64_t id)
{
	int rc = o->cli->ids ? (printf("%lld\n", (long long)id) < 0 ? -1 : 0)
			     : crm_writer_write(o->w, &o->rec);

	if (rc < 0)
		crm_err_set(&o->cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
	return rc;
}

/* Close the writer; returns 0 or the failure's exit status. */
static int out_close(struct out *o)
{
	int status = 0;

	if (o->w && crm_writer_close(o->w) < 0) {
		crm_err_set(&o->cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		status = crm_cli_fail(o->cli);
	}
	crm_writer_free(o->w);
	crm_strv_release(&o->cols);
	crm_rec_release(&o->rec);
	return status;
}

static void note_change(struct crm_cli *cli, const char *did, uint64_t n)
{
	if (cli->dry_run)
		crm_cli_note(cli, "dry run: would have %s %llu lead%s", did,
			     (unsigned long long)n, n == 1 ? "" : "s");
	else if (n && cli->db->last_change)
		crm_cli_note(cli,
			     "%s %llu lead%s (change %lld; 'crm-lead undo "
			     "%lld' reverts it)",
			     did, (unsigned long long)n, n == 1 ? "" : "s",
			     (long long)cli->db->last_change,
			     (long long)cli->db->last_change);
	else
		crm_cli_note(cli, "%s %llu lead%s", did, (unsigned long long)n,
			     n == 1 ? "" : "s");
}

/* The ids a verb works on: arguments, --stdin and --where, resolved. */
static int selected(struct crm_cli *cli, bool require, struct crm_query *q,
		    int64_t **ids)
{
	return crm_cli_query(cli, &crm_lead_entity, require, q, ids);
}

/* -- assign ------------------------------------------------------------ */

static int assign_one(const struct crm_lead_assignment *a, void *arg)
{
	struct out *o = arg;
	struct crm_lead_opts *lo = o->cli->opts;

	if (!a->owner) {
		o->left++;
		crm_cli_note(o->cli, "lead %lld stays unassigned: %s%s%s",
			     (long long)a->id, a->rule ? a->rule : "",
			     a->rule ? ": " : "", a->why);
		if (!lo->explain)
			return 0;
	} else {
		o->n++;
	}
	crm_rec_clear(&o->rec);
	num(&o->rec, "id", a->id);
	crm_rec_set(&o->rec, "owner", a->owner, a->owner ? CRM_STR : CRM_NULL);
	crm_rec_set(&o->rec, "rule", a->rule, a->rule ? CRM_STR : CRM_NULL);
	crm_rec_set(&o->rec, "team", a->team, a->team ? CRM_STR : CRM_NULL);
	crm_rec_set(&o->rec, "strategy", a->strategy,
		    a->strategy ? CRM_STR : CRM_NULL);
	crm_rec_set(&o->rec, "why", a->why, CRM_STR);
	return out_write(o, a->id);
}

int crm_verb_lead_assign(struct crm_cli *cli)
{
	static const char *const brief[] = {"id", "owner", "rule", NULL};
	static const char *const full[] = {"id",       "owner", "rule", "team",
					   "strategy", "why",	NULL};
	struct crm_lead_opts *o = cli->opts;
	struct crm_assign_rules rules;
	struct crm_query q;
	struct out out;
	int64_t *ids = NULL;
	char *path = o->rules ? crm_xstrdup(o->rules)
			      : crm_share_path("assignment.json");
	uint64_t n = 0;
	int status = 0;
	bool sel;

	out_open(&out, cli, o->explain ? full : brief);
	if (crm_assign_load(path, &crm_lead_entity, &rules, &cli->err) < 0 ||
	    selected(cli, false, &q, &ids) < 0)
		goto fail;
	if (o->seed_set)
		rules.seed = (uint64_t)o->seed;
	sel = q.nids || cli->where.n;
	if (crm_lead_assign(cli->db, &rules, sel ? &q : NULL, o->reassign,
			    cli->dry_run, assign_one, &out, &n, &cli->err) < 0)
		goto fail;
	status = out_close(&out);
	if (!status) {
		note_change(cli, "assigned", n);
		if (out.left)
			crm_cli_note(cli, "%llu lead%s left unassigned",
				     (unsigned long long)out.left,
				     out.left == 1 ? "" : "s");
	}
	goto done;
fail:
	status = crm_cli_fail(cli);
	out_close(&out);
done:
	crm_assign_release(&rules);
	free(path);
	free(ids);
	return status;
}

/* -- reclaim ----------------------------------------------------------- */

static int idle_one(const struct crm_lead_idle *l, void *arg)
{
	struct out *o = arg;

	crm_rec_clear(&o->rec);
	num(&o->rec, "id", l->id);
	crm_rec_set(&o->rec, "owner", l->owner, CRM_STR);
	crm_rec_set(&o->rec, "idle_since", l->idle_since, CRM_STR);
	crm_rec_set(&o->rec, "reclaim_at", l->reclaim_at, CRM_STR);
	return out_write(o, l->id);
}

static int duration(struct crm_cli *cli, const char *opt, const char *s,
		    int64_t *out)
{
	if (crm_parse_duration(s, out) < 0 || *out <= 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "--%s: expected a duration like 7d or "
				   "48h, got '%s'",
				   opt, s);
	return 0;
}

int crm_verb_lead_reclaim(struct crm_cli *cli)
{
	static const char *const cols[] = {"id", "owner", "idle_since",
					   "reclaim_at", NULL};
	struct crm_lead_opts *o = cli->opts;
	int64_t idle = 0, warn = 0;
	struct out out;
	uint64_t n = 0;
	int status = 0;

	out_open(&out, cli, cols);
	if (cli->args.n || cli->where.n || cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "reclaim looks at every owned lead: it takes "
			    "--idle and --warn only");
		goto fail;
	}
	if (!o->idle) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "reclaim needs --idle DURATION");
		goto fail;
	}
	if (duration(cli, "idle", o->idle, &idle) < 0 ||
	    (o->warn && duration(cli, "warn", o->warn, &warn) < 0))
		goto fail;
	if (warn >= idle) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--warn must be shorter than --idle");
		goto fail;
	}
	if (crm_lead_reclaim(cli->db, idle, warn, cli->dry_run, idle_one, &out,
			     &n, &cli->err) < 0)
		goto fail;
	status = out_close(&out);
	if (status)
		return status;
	if (warn)
		return n ? CRM_EX_FOUND : 0;
	note_change(cli, "reclaimed", n);
	return 0;
fail:
	status = crm_cli_fail(cli);
	out_close(&out);
	return status;
}

/* -- qualify, disqualify ----------------------------------------------- */

static int set_status(struct crm_cli *cli, const char *status, const char *verb,
		      const char *did)
{
	struct crm_lead_opts *o = cli->opts;
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t n;
	int rc = 0;

	if (!strcmp(verb, "disqualify") && !o->reason) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "disqualify needs --reason TEXT");
		return crm_cli_fail(cli);
	}
	if (selected(cli, true, &q, &ids) < 0 ||
	    crm_lead_set_status(cli->db, &q, status, o->reason, verb,
				cli->dry_run, &n, &cli->err) < 0)
		rc = crm_cli_fail(cli);
	else
		note_change(cli, did, n);
	free(ids);
	return rc;
}

int crm_verb_lead_qualify(struct crm_cli *cli)
{
	return set_status(cli, "qualified", "qualify", "qualified");
}

int crm_verb_lead_disqualify(struct crm_cli *cli)
{
	return set_status(cli, "unqualified", "disqualify", "disqualified");
}

/* -- convert ----------------------------------------------------------- */

static int collect(const struct crm_row *row, void *arg)
{
	struct {
		int64_t *v;
		size_t n, cap;
	} *l = arg;

	l->v = crm_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = crm_row_id(row);
	return 0;
}

static int converted_one(const struct crm_lead_conversion *c, void *arg)
{
	struct out *o = arg;

	crm_rec_clear(&o->rec);
	num(&o->rec, "lead_id", c->lead_id);
	num(&o->rec, "contact_id", c->contact_id);
	crm_rec_set(&o->rec, "contact", c->contact, CRM_STR);
	num(&o->rec, "company_id", c->company_id);
	crm_rec_set(&o->rec, "company", c->company,
		    c->company ? CRM_STR : CRM_NULL);
	num(&o->rec, "activity_id", c->activity_id);
	num(&o->rec, "deal_id", c->deal_id);
	o->n++;
	return out_write(o, c->lead_id);
}

int crm_verb_lead_convert(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "lead_id", "contact_id",  "contact", "company_id",
	    "company", "activity_id", "deal_id", NULL};
	struct crm_lead_opts *lo = cli->opts;
	struct {
		int64_t *v;
		size_t n, cap;
	} l = {0};
	struct crm_query q;
	struct out out;
	int64_t *ids = NULL;
	int status = 0;

	out_open(&out, cli, cols);
	if (selected(cli, true, &q, &ids) < 0 ||
	    crm_entity_each(cli->db, &crm_lead_entity, &q, collect, &l,
			    &cli->err) < 0 ||
	    crm_lead_convert(cli->db, l.v, l.n,
			     lo->open_deal ? &lo->deal : NULL, cli->dry_run,
			     converted_one, &out, &cli->err) < 0) {
		status = crm_cli_fail(cli);
		out_close(&out);
		goto out;
	}
	status = out_close(&out);
	if (!status)
		note_change(cli, "converted", out.n);
out:
	free(l.v);
	free(ids);
	return status;
}

/* -- history ----------------------------------------------------------- */

static int change_one(const struct crm_lead_change *c, void *arg)
{
	struct out *o = arg;
	struct {
		const char *name, *v;
	} f[] = {{"field", c->field},  {"from", c->from},
		 {"to", c->to},	       {"at", c->at},
		 {"actor", c->actor},  {"command", c->command},
		 {"reason", c->reason}};

	crm_rec_clear(&o->rec);
	num(&o->rec, "lead_id", c->lead_id);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		crm_rec_set(&o->rec, f[i].name, f[i].v,
			    f[i].v ? CRM_STR : CRM_NULL);
	return out_write(o, c->lead_id);
}

int crm_verb_lead_history(struct crm_cli *cli)
{
	static const char *const cols[] = {"lead_id", "field",	"from",
					   "to",      "at",	"actor",
					   "command", "reason", NULL};
	struct {
		int64_t *v;
		size_t n, cap;
	} l = {0};
	struct crm_query q;
	struct out out;
	int64_t *ids = NULL;
	int status = 0;
	bool sel;

	out_open(&out, cli, cols);
	if (selected(cli, false, &q, &ids) < 0)
		goto fail;
	sel = q.nids || cli->where.n;
	if (sel && crm_entity_each(cli->db, &crm_lead_entity, &q, collect, &l,
				   &cli->err) < 0)
		goto fail;
	if ((!sel || l.n) && crm_lead_history(cli->db, l.v, l.n, change_one,
					      &out, &cli->err) < 0)
		goto fail;
	status = out_close(&out);
	goto out;
fail:
	status = crm_cli_fail(cli);
	out_close(&out);
out:
	free(l.v);
	free(ids);
	return status;
}
