/* cli_predict.c - crm-score's predictive verbs on the database: deals
 * (win probability of the open deals, with history and trend), models
 * (the stored models) and rollback. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_score.h"
#include "config.h"
#include "cycle.h"
#include "dealscore.h"
#include "leadscore.h"
#include "model.h"
#include "reach.h"
#include "routemodel.h"
#include "share.h"

const struct argp_option crm_score_deals_options[] = {
    {"min-history", CRM_SCORE_OPT_MIN_HISTORY, "N", 0,
     "Closed deals needed to train (default 200)", 0},
    {"retrain", CRM_SCORE_OPT_RETRAIN, 0, 0,
     "Train a new model even when one is active (the old one is kept for "
     "rollback)",
     0},
    {"folds", CRM_SCORE_OPT_FOLDS, "K", 0,
     "Cross-validation folds when training (default 5)", 0},
    {"explain", CRM_SCORE_OPT_EXPLAIN, 0, 0,
     "Add the strongest factors of each score", 0},
    {"top", CRM_SCORE_OPT_TOP, "N", 0,
     "Factors shown with --explain (default 3)", 0},
    {"calibration", CRM_SCORE_OPT_CALIBRATION, 0, 0,
     "Print the model's validation instead: expected and observed win rate "
     "by decile, for the model and for the stage probabilities",
     0},
    {0},
};

static void set_num(struct crm_rec *rec, const char *name, double v, int dec)
{
	char buf[48];

	if (!isfinite(v)) {
		crm_rec_set(rec, name, NULL, CRM_NULL);
		return;
	}
	snprintf(buf, sizeof(buf), "%.*f", dec, v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

static void set_int(struct crm_rec *rec, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

static void set_str(struct crm_rec *rec, const char *name, const char *v)
{
	crm_rec_set(rec, name, v, v ? CRM_STR : CRM_NULL);
}

struct out {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_strv cols;
	struct crm_rec rec;
};

static int out_open(struct out *o, struct crm_cli *cli, const char *const *cols)
{
	memset(o, 0, sizeof(*o));
	o->cli = cli;
	crm_rec_init(&o->rec);
	for (size_t i = 0; cols[i]; i++)
		crm_strv_push(&o->cols, cols[i]);
	if (cli->fields) {
		struct crm_strv want = {0};

		crm_strv_split(&want, cli->fields, ',');
		for (size_t i = 0; i < want.n; i++)
			if (crm_strv_find(&o->cols, want.v[i]) < 0) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s'",
					    want.v[i]);
				crm_strv_release(&want);
				return -1;
			}
		crm_strv_release(&o->cols);
		o->cols = want;
	}
	return 0;
}

static int out_write(struct out *o)
{
	if (!o->w)
		o->w = crm_cli_writer(o->cli, &o->cols);
	if (crm_writer_write(o->w, &o->rec) < 0)
		return crm_err_set(&o->cli->err, CRM_EX_IOERR,
				   "write error: %s",
				   strerror(errno ? errno : EIO));
	return 0;
}

static int out_close(struct out *o)
{
	int rc = 0;

	if (!o->w && !o->cli->err.code)
		o->w = crm_cli_writer(o->cli, &o->cols);
	if (o->w && crm_writer_close(o->w) < 0 && !o->cli->err.code)
		rc = crm_err_set(&o->cli->err, CRM_EX_IOERR, "write error: %s",
				 strerror(errno ? errno : EIO));
	crm_writer_free(o->w);
	o->w = NULL;
	crm_rec_release(&o->rec);
	crm_strv_release(&o->cols);
	return rc;
}

static int no_selection(struct crm_cli *cli)
{
	if (cli->args.n || cli->where.n || cli->from_stdin)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s takes no ids, --where or --stdin",
				   cli->verb->name);
	return 0;
}

/* -- deals ------------------------------------------------------------- */

struct deals_ctx {
	struct out out;
	bool explain, quiet;
	uint64_t n;
};

static int deal_out(const struct crm_dealscore *d, void *arg)
{
	struct deals_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;

	c->n++;
	if (c->quiet)
		return 0;
	crm_rec_clear(rec);
	set_int(rec, "id", d->id);
	set_str(rec, "name", d->name);
	set_str(rec, "stage", d->stage);
	set_str(rec, "owner", d->owner);
	set_num(rec, "win_probability", d->probability, 2);
	set_num(rec, "stage_probability", d->stage_probability, 2);
	set_num(rec, "previous", d->has_previous ? d->previous : NAN, 2);
	set_str(rec, "trend", d->trend);
	if (c->explain)
		set_str(rec, "factors", d->factors);
	if (out_write(&c->out) < 0)
		return -1;
	if (c->n % 65536 == 0)
		crm_cli_progress(c->n, c->out.cli);
	return 0;
}

static int calibration_out(struct crm_cli *cli,
			   const struct crm_dealscore_report *rep)
{
	static const char *const cols[] = {"method",   "decile",   "deals",
					   "expected", "observed", NULL};
	struct out o;
	int rc = 0;

	if (out_open(&o, cli, cols) < 0) {
		out_close(&o);
		return -1;
	}
	for (int m = 0; m < 2 && rc == 0; m++)
		for (int j = 0; j < rep->ndeciles && rc == 0; j++) {
			const struct crm_calib *k =
			    m ? &rep->stage[j] : &rep->model[j];

			crm_rec_clear(&o.rec);
			set_str(&o.rec, "method", m ? "stage" : "model");
			set_int(&o.rec, "decile", j + 1);
			set_int(&o.rec, "deals", k->deals);
			set_num(&o.rec, "expected", k->expected, 1);
			set_num(&o.rec, "observed", k->observed, 1);
			rc = out_write(&o);
		}
	if (out_close(&o) < 0)
		rc = -1;
	return rc;
}

int crm_score_deals(struct crm_cli *cli)
{
	static const char *const brief[] = {"id",
					    "name",
					    "stage",
					    "owner",
					    "win_probability",
					    "stage_probability",
					    "previous",
					    "trend",
					    NULL};
	static const char *const full[] = {"id",
					   "name",
					   "stage",
					   "owner",
					   "win_probability",
					   "stage_probability",
					   "previous",
					   "trend",
					   "factors",
					   NULL};
	struct crm_score_opts *o = cli->opts;
	struct crm_dealscore_opts dopts;
	struct crm_dealscore_report rep;
	struct deals_ctx c = {.explain = o->explain, .quiet = o->calibration};
	uint64_t n = 0;
	int status;

	memset(&rep, 0, sizeof(rep));
	crm_dealscore_opts_init(&dopts);
	if (o->min_history)
		dopts.min_history = o->min_history;
	if (o->logit.folds >= 2)
		dopts.folds = o->logit.folds;
	dopts.retrain = o->retrain;
	dopts.nfactors = o->top ? o->top : 3;
	dopts.dry_run = cli->dry_run;
	if (no_selection(cli) < 0)
		goto fail_nout;
	if (!o->calibration &&
	    out_open(&c.out, cli, o->explain ? full : brief) < 0)
		goto fail;
	if (crm_dealscore_run(cli->db, &dopts, deal_out, &c, &n, &rep,
			      &cli->err) < 0)
		goto fail;
	crm_cli_progress_end(cli);
	if (o->calibration) {
		if (calibration_out(cli, &rep) < 0)
			goto fail_nout;
	} else if (out_close(&c.out) < 0) {
		goto fail_nout;
	}
	if (rep.trained)
		crm_cli_note(cli,
			     "trained deal model %lld on %lld closed deals "
			     "(%lld won, closed %.10s to %.10s): "
			     "cross-validated AUC %.3f, stage probabilities "
			     "%.3f",
			     (long long)rep.info.id, (long long)rep.info.rows,
			     (long long)rep.info.positives,
			     rep.info.data_from ? rep.info.data_from : "-",
			     rep.info.data_to ? rep.info.data_to : "-",
			     rep.info.cv_auc, rep.info.baseline_auc);
	crm_cli_note(cli, "%s %llu open deal%s with model %lld",
		     cli->dry_run ? "would score" : "scored",
		     (unsigned long long)n, n == 1 ? "" : "s",
		     (long long)rep.info.id);
	crm_dealscore_report_release(&rep);
	return 0;
fail:
	if (o->calibration)
		goto fail_nout;
	status = crm_cli_fail(cli);
	out_close(&c.out);
	crm_dealscore_report_release(&rep);
	return status;
fail_nout:
	crm_dealscore_report_release(&rep);
	return crm_cli_fail(cli);
}

/* -- models ------------------------------------------------------------ */

static int model_out(const struct crm_model_info *m, void *arg)
{
	struct out *o = arg;

	crm_rec_clear(&o->rec);
	set_int(&o->rec, "id", m->id);
	set_str(&o->rec, "kind", m->kind);
	set_str(&o->rec, "trained_at", m->trained_at);
	set_str(&o->rec, "data_from", m->data_from);
	set_str(&o->rec, "data_to", m->data_to);
	set_int(&o->rec, "rows", m->rows);
	set_int(&o->rec, "positives", m->positives);
	set_num(&o->rec, "cv_auc", m->cv_auc, 3);
	set_num(&o->rec, "baseline_auc", m->baseline_auc, 3);
	set_str(&o->rec, "active", m->active ? "true" : "false");
	set_str(&o->rec, "retired_at", m->retired_at);
	return out_write(o);
}

int crm_score_models(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "id",	    "kind",   "trained_at", "data_from",
	    "data_to",	    "rows",   "positives",  "cv_auc",
	    "baseline_auc", "active", "retired_at", NULL};
	struct out o;
	int status;

	if (out_open(&o, cli, cols) < 0 || no_selection(cli) < 0 ||
	    crm_model_each(cli->db, NULL, model_out, &o, &cli->err) < 0) {
		status = crm_cli_fail(cli);
		out_close(&o);
		return status;
	}
	return out_close(&o) < 0 ? crm_cli_fail(cli) : 0;
}

/* -- rollback ---------------------------------------------------------- */

int crm_score_rollback(struct crm_cli *cli)
{
	int64_t from, to;
	const char *kind;

	if (cli->args.n != 1 || cli->where.n || cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "rollback takes one model kind: deal, lead or "
			    "route");
		return crm_cli_fail(cli);
	}
	kind = cli->args.v[0];
	if (!strcmp(kind, "deals"))
		kind = "deal";
	if (!strcmp(kind, "leads"))
		kind = "lead";
	if (!strcmp(kind, "routes"))
		kind = "route";
	if (strcmp(kind, "deal") && strcmp(kind, "lead") &&
	    strcmp(kind, "route")) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "unknown model kind '%s' (known: deal, lead, "
			    "route)",
			    kind);
		return crm_cli_fail(cli);
	}
	if (crm_db_begin(cli->db, &cli->err) < 0 ||
	    crm_model_rollback(cli->db, kind, &from, &to, &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		return crm_cli_fail(cli);
	}
	crm_cli_note(cli, "%s %s model %lld; model %lld is active again",
		     cli->dry_run ? "would retire" : "retired", kind,
		     (long long)from, (long long)to);
	return 0;
}

/* -- cycle ------------------------------------------------------------- */

const struct argp_option crm_score_cycle_options[] = {
    {"by", CRM_SCORE_OPT_BY, "company|contact", 0,
     "Customers: companies (default) or contacts, by their won deals", 0},
    {"lead", CRM_SCORE_OPT_LEAD, "DURATION", 0,
     "List customers expected to buy within this time (default 60d)", 0},
    {"all", CRM_SCORE_OPT_ALL, 0, 0,
     "List every customer with an estimate, due or not", 0},
    {0},
};

struct cycle_ctx {
	struct out out;
	const char *idcol;
};

static int cycle_out(const struct crm_cycle *cy, void *arg)
{
	struct cycle_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;
	char buf[CRM_TIME_LEN];

	crm_rec_clear(rec);
	set_int(rec, c->idcol, cy->id);
	set_str(rec, "name", cy->name && *cy->name ? cy->name : NULL);
	set_int(rec, "purchases", (long long)cy->purchases);
	set_str(rec, "last_purchase",
		crm_datetime_format_date(cy->last * 86400, buf));
	set_num(rec, "median_interval", cy->est->median, 1);
	set_str(rec, "expected_next",
		crm_datetime_format_date(cy->est->next * 86400, buf));
	set_int(rec, "days_until", cy->days_until);
	set_str(rec, "method", cy->est->method);
	set_str(rec, "evidence", cy->evidence);
	return out_write(&c->out);
}

int crm_score_cycle(struct crm_cli *cli)
{
	struct crm_score_opts *o = cli->opts;
	bool by_contact = o->by && !strcmp(o->by, "contact");
	const char *cols[] = {by_contact ? "contact_id" : "company_id",
			      "name",
			      "purchases",
			      "last_purchase",
			      "median_interval",
			      "expected_next",
			      "days_until",
			      "method",
			      "evidence",
			      NULL};
	struct cycle_ctx c = {.idcol = cols[0]};
	int64_t lead = 60 * 86400;
	uint64_t n = 0;
	int status;

	if (out_open(&c.out, cli, cols) < 0 || no_selection(cli) < 0)
		goto fail;
	if (o->lead && (crm_parse_duration(o->lead, &lead) < 0 || lead < 0)) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--lead: expected a duration like 60d, got '%s'",
			    o->lead);
		goto fail;
	}
	if (crm_cycle_run(cli->db, by_contact, lead / 86400, o->every,
			  cycle_out, &c, &n, &cli->err) < 0)
		goto fail;
	if (out_close(&c.out) < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "estimated %llu customer%s", (unsigned long long)n,
		     n == 1 ? "" : "s");
	return 0;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
	return status;
}

/* -- reach ------------------------------------------------------------- */

struct reach_ctx {
	struct out out;
	struct crm_cli *cli;
};

static int reach_one(int64_t id, void *arg)
{
	struct reach_ctx *c = arg;
	struct crm_reach r;
	char label[32];

	if (crm_reach_contact(c->cli->db, id, &r, &c->cli->err) < 0)
		return -1;
	for (int i = 0; i < r.ntop; i++) {
		struct crm_rec *rec = &c->out.rec;

		crm_reach_label(&r.top[i], label);
		crm_rec_clear(rec);
		set_int(rec, "contact_id", id);
		set_int(rec, "rank", i + 1);
		set_str(rec, "window", label);
		set_num(rec, "share", r.top[i].share, 1);
		set_int(rec, "events", r.top[i].events);
		set_int(rec, "answers", r.events);
		set_str(rec, "prior", r.prior);
		set_int(rec, "prior_answers", r.prior_events);
		set_str(rec, "timezone", r.tz);
		if (out_write(&c->out) < 0)
			return -1;
	}
	return 0;
}

int crm_score_reach(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "contact_id", "rank",  "window",	    "share",	"events",
	    "answers",	  "prior", "prior_answers", "timezone", NULL};
	struct reach_ctx c = {.cli = cli};
	int status;

	if (out_open(&c.out, cli, cols) < 0)
		goto fail;
	if (cli->where.n || cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "reach takes contact ids, not --where or --stdin");
		goto fail;
	}
	for (size_t i = 0; i < cli->args.n; i++) {
		int64_t id;

		if (crm_parse_int(cli->args.v[i], &id) < 0 || id <= 0) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "not a contact id: '%s'", cli->args.v[i]);
			goto fail;
		}
		if (!crm_db_int(cli->db,
				"SELECT id FROM contacts WHERE id = ?1",
				cli->args.v[i], NULL, &cli->err)) {
			if (!cli->err.code)
				crm_err_set(&cli->err, CRM_EX_NOINPUT,
					    "no contact %s", cli->args.v[i]);
			goto fail;
		}
		if (reach_one(id, &c) < 0)
			goto fail;
	}
	if (!cli->args.n &&
	    crm_reach_each(cli->db, reach_one, &c, &cli->err) < 0)
		goto fail;
	return out_close(&c.out) < 0 ? crm_cli_fail(cli) : 0;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
	return status;
}

/* -- monitor ----------------------------------------------------------- */

const struct argp_option crm_score_monitor_options[] = {
    {"config", CRM_SCORE_OPT_CONFIG, "FILE", 0,
     "Drift thresholds (default: the shared monitor.json)", 0},
    {"retrain", CRM_SCORE_OPT_RETRAIN, 0, 0,
     "On drift, train a new model and rescore the open deals (the old "
     "model is kept for crm-score rollback)",
     0},
    {"min-history", CRM_SCORE_OPT_MIN_HISTORY, "N", 0,
     "Closed deals needed to retrain (default 200)", 0},
    {"kind", CRM_SCORE_OPT_KIND, "deal|lead|route", 0,
     "The stored model to watch (default deal; lead: the model crm-score "
     "train keeps from the leads; route: the ticket routing model of "
     "crm-score train --text)",
     0},
    {0},
};

/* The "deal" object of a thresholds file. Errors: CRM_EX_CONFIG naming
 * the file and the key. */
static int load_limits(const char *path, const char *kind,
		       struct crm_monitor_limits *l, struct crm_err *err)
{
	static const char *const keys[] = {"min_outcomes", "max_auc_drop",
					   "max_calibration_gap", "max_psi",
					   "min_open"};
	json_t *root, *deal, *v;
	const char *k;
	int rc = -1;

	if (crm_config_load(path, "thresholds ", NULL, "expected an object",
			    &root, err) < 0)
		return -1;
	deal = json_object_get(root, kind);
	if (!deal && strcmp(kind, "deal")) {
		rc = 0; /* no thresholds of its own: the defaults */
		goto out;
	}
	if (!json_is_object(deal)) {
		crm_err_at(err, CRM_EX_CONFIG, path, 0, kind,
			   "expected an object of thresholds");
		goto out;
	}
	json_object_foreach(deal, k, v)
	{
		size_t i = 0;
		double x;

		while (i < 5 && strcmp(k, keys[i]))
			i++;
		if (i == 5) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, k,
				   "unknown threshold (known: min_outcomes, "
				   "max_auc_drop, max_calibration_gap, "
				   "max_psi, min_open)");
			goto out;
		}
		x = json_number_value(v);
		if (!json_is_number(v) || !(x >= 0)) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, k,
				   "expected a number >= 0");
			goto out;
		}
		if (i == 0)
			l->min_outcomes = (long)x;
		else if (i == 1)
			l->max_auc_drop = x;
		else if (i == 2)
			l->max_calibration_gap = x;
		else if (i == 3)
			l->max_psi = x;
		else
			l->min_open = (long)x;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* monitor --kind lead: the lead model's AUC on the leads resolved since
 * its data window against its cross-validated AUC. */
static int monitor_lead(struct crm_cli *cli, const struct crm_monitor_limits *l,
			struct out *out)
{
	struct crm_lead_monitor mo;
	double floor;
	bool drift;
	int s;

	if ((s = crm_leadscore_monitor(cli->db, &mo, &cli->err)) <= 0) {
		if (s == 0)
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "no active lead model: run crm-score "
				    "train on the leads first");
		return -1;
	}
	floor = mo.info.cv_auc - l->max_auc_drop;
	drift = mo.outcomes >= l->min_outcomes && isfinite(mo.auc) &&
		mo.auc < floor;
	crm_rec_clear(&out->rec);
	set_str(&out->rec, "metric", "outcomes");
	set_num(&out->rec, "value", (double)mo.outcomes, 0);
	set_num(&out->rec, "limit", (double)l->min_outcomes, 0);
	set_str(&out->rec, "drift", "false");
	if (out_write(out) < 0)
		goto fail;
	crm_rec_clear(&out->rec);
	set_str(&out->rec, "metric", "auc");
	set_num(&out->rec, "value", mo.auc, 3);
	set_num(&out->rec, "limit", floor, 3);
	set_str(&out->rec, "drift", drift ? "true" : "false");
	if (out_write(out) < 0)
		goto fail;
	crm_cli_note(cli,
		     "lead model %lld (trained %s, cross-validated AUC %.3f): "
		     "%ld lead%s resolved since its data window (%ld "
		     "needed); %s",
		     (long long)mo.info.id, mo.info.trained_at, mo.info.cv_auc,
		     mo.outcomes, mo.outcomes == 1 ? "" : "s", l->min_outcomes,
		     drift ? "drift: retrain with crm-score train --force"
			   : "no drift");
	crm_model_info_release(&mo.info);
	return drift ? 1 : 0;
fail:
	crm_model_info_release(&mo.info);
	return -1;
}

/* The "route" object of a thresholds file. */
struct route_limits {
	long min_outcomes;
	double max_accuracy_drop, max_macro_f1_drop;
};

static int load_route_limits(const char *path, struct route_limits *l,
			     struct crm_err *err)
{
	json_t *root, *obj, *v;
	const char *k;
	int rc = -1;

	if (crm_config_load(path, "thresholds ", NULL, "expected an object",
			    &root, err) < 0)
		return -1;
	if (!(obj = json_object_get(root, "route"))) {
		rc = 0; /* the defaults */
		goto out;
	}
	if (!json_is_object(obj)) {
		crm_err_at(err, CRM_EX_CONFIG, path, 0, "route",
			   "expected an object of thresholds");
		goto out;
	}
	json_object_foreach(obj, k, v)
	{
		double x = json_number_value(v);

		if (strcmp(k, "min_outcomes") &&
		    strcmp(k, "max_accuracy_drop") &&
		    strcmp(k, "max_macro_f1_drop")) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, k,
				   "unknown threshold (known: min_outcomes, "
				   "max_accuracy_drop, max_macro_f1_drop)");
			goto out;
		}
		if (!json_is_number(v) || !(x >= 0)) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, k,
				   "expected a number >= 0");
			goto out;
		}
		if (!strcmp(k, "min_outcomes"))
			l->min_outcomes = (long)x;
		else if (!strcmp(k, "max_accuracy_drop"))
			l->max_accuracy_drop = x;
		else
			l->max_macro_f1_drop = x;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int metric_row(struct out *out, const char *name, double value,
		      double limit, int dec, bool drift)
{
	crm_rec_clear(&out->rec);
	set_str(&out->rec, "metric", name);
	set_num(&out->rec, "value", value, dec);
	set_num(&out->rec, "limit", limit, dec);
	set_str(&out->rec, "drift", drift ? "true" : "false");
	return out_write(out);
}

/* On drift with --retrain: a new route model from the tickets solved
 * since the old one's window; the old one stays for a rollback. */
static int retrain_route(struct crm_cli *cli, struct crm_route_monitor *mo)
{
	struct crm_textclass_opts o;
	struct crm_textclass_report rep;
	struct crm_route_rows r = {0};
	struct crm_textclass *m = NULL;
	int64_t id = 0;
	int rc = -1;

	crm_textclass_opts_init(&o);
	if (crm_route_rows(cli->db, mo->fields, mo->target, mo->info.data_to,
			   &r, &cli->err) < 0 ||
	    !(m = crm_textclass_train((const char *const *)r.text.v,
				      (const char *const *)r.label.v, r.text.n,
				      &o, &rep, &cli->err)))
		goto out;
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto out;
	if (crm_route_store(cli->db, m, mo->target, mo->fields, &rep, &r, &id,
			    &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		goto out;
	}
	crm_cli_note(cli,
		     "%s route model %lld on the %zu tickets solved since %s "
		     "(held-out accuracy %.3f, macro-F1 %.3f); model %lld is "
		     "kept ('crm-score rollback route')",
		     cli->dry_run ? "would train" : "trained", (long long)id,
		     rep.rows, mo->info.data_to ? mo->info.data_to : "-",
		     rep.accuracy, rep.macro_f1, (long long)mo->info.id);
	rc = 0;
out:
	crm_textclass_free(m);
	crm_route_rows_release(&r);
	return rc;
}

/* monitor --kind route: the routing model's accuracy and macro-F1 on the
 * tickets solved since its data window against its held-out figures. */
static int monitor_route(struct crm_cli *cli, const char *path, bool retrain,
			 struct out *out)
{
	struct route_limits l = {20, 0.10, 0.10};
	struct crm_route_monitor mo;
	double acc_floor, f1_floor;
	bool acc_drift, f1_drift;
	int s;

	if (path && load_route_limits(path, &l, &cli->err) < 0)
		return -1;
	if ((s = crm_route_monitor(cli->db, &mo, &cli->err)) <= 0) {
		if (s == 0)
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "no route model: run crm-score train "
				    "--text on the solved tickets first");
		return -1;
	}
	if (mo.outcomes < l.min_outcomes) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "too few tickets to judge route model %lld: %ld "
			    "solved since its data window (%s), %ld needed "
			    "(min_outcomes)",
			    (long long)mo.info.id, mo.outcomes,
			    mo.info.data_to ? mo.info.data_to : "-",
			    l.min_outcomes);
		goto fail;
	}
	acc_floor = mo.held_accuracy - l.max_accuracy_drop;
	f1_floor = mo.held_macro_f1 - l.max_macro_f1_drop;
	acc_drift = isfinite(acc_floor) && mo.accuracy < acc_floor;
	f1_drift = isfinite(f1_floor) && mo.macro_f1 < f1_floor;
	if (metric_row(out, "outcomes", (double)mo.outcomes,
		       (double)l.min_outcomes, 0, false) < 0 ||
	    metric_row(out, "accuracy", mo.accuracy, acc_floor, 3, acc_drift) <
		0 ||
	    metric_row(out, "macro_f1", mo.macro_f1, f1_floor, 3, f1_drift) < 0)
		goto fail;
	crm_cli_note(cli,
		     "route model %lld of %s (trained %s, held-out accuracy "
		     "%.3f, macro-F1 %.3f): %ld ticket%s solved since its "
		     "data window; %s",
		     (long long)mo.info.id, mo.target, mo.info.trained_at,
		     mo.held_accuracy, mo.held_macro_f1, mo.outcomes,
		     mo.outcomes == 1 ? "" : "s",
		     acc_drift || f1_drift ? "drift" : "no drift");
	if ((acc_drift || f1_drift) && retrain && retrain_route(cli, &mo) < 0)
		goto fail;
	crm_route_monitor_release(&mo);
	return acc_drift || f1_drift ? 1 : 0;
fail:
	crm_route_monitor_release(&mo);
	return -1;
}

int crm_score_monitor(struct crm_cli *cli)
{
	static const char *const cols[] = {"metric", "value", "limit", "drift",
					   NULL};
	struct crm_score_opts *o = cli->opts;
	struct crm_monitor_limits lim;
	struct crm_monitor mo = {0};
	struct out out;
	char *path = NULL;
	int status;

	crm_monitor_limits_init(&lim);
	if (out_open(&out, cli, cols) < 0 || no_selection(cli) < 0)
		goto fail;
	path =
	    o->config ? crm_xstrdup(o->config) : crm_share_path("monitor.json");
	if (o->kind && !strcmp(o->kind, "route")) {
		int d = monitor_route(cli, path, o->retrain, &out);

		if (d < 0)
			goto fail;
		if (out_close(&out) < 0)
			goto fail_nout;
		free(path);
		return d ? CRM_EX_FOUND : 0;
	}
	if (path &&
	    load_limits(path, o->kind ? o->kind : "deal", &lim, &cli->err) < 0)
		goto fail;
	if (o->kind && !strcmp(o->kind, "lead")) {
		int d;

		if (o->retrain) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--retrain is for the deal model: retrain "
				    "a lead model with crm-score train");
			goto fail;
		}
		if ((d = monitor_lead(cli, &lim, &out)) < 0)
			goto fail;
		if (out_close(&out) < 0)
			goto fail_nout;
		free(path);
		return d ? CRM_EX_FOUND : 0;
	}
	if (crm_dealscore_monitor(cli->db, &lim, &mo, &cli->err) < 0)
		goto fail;
	for (size_t i = 0; i < mo.n; i++) {
		const struct crm_monitor_metric *m = &mo.v[i];

		crm_rec_clear(&out.rec);
		set_str(&out.rec, "metric", m->name);
		set_num(&out.rec, "value", m->value, 3);
		set_num(&out.rec, "limit", m->limit, 3);
		set_str(&out.rec, "drift", m->drift ? "true" : "false");
		if (out_write(&out) < 0)
			goto fail;
	}
	if (out_close(&out) < 0)
		goto fail_nout;
	crm_cli_note(cli,
		     "deal model %lld (trained %s): %ld outcome%s since its "
		     "data window (%ld needed), %ld open deal%s; %s",
		     (long long)mo.info.id, mo.info.trained_at, mo.outcomes,
		     mo.outcomes == 1 ? "" : "s", lim.min_outcomes, mo.open,
		     mo.open == 1 ? "" : "s", mo.drift ? "drift" : "no drift");
	if (mo.drift && o->retrain) {
		struct crm_dealscore_opts d;
		struct crm_dealscore_report rep;
		uint64_t n;

		crm_dealscore_opts_init(&d);
		d.retrain = true;
		d.dry_run = cli->dry_run;
		if (o->min_history)
			d.min_history = o->min_history;
		if (crm_dealscore_run(cli->db, &d, NULL, NULL, &n, &rep,
				      &cli->err) < 0)
			goto fail_nout;
		crm_cli_note(cli,
			     "%s deal model %lld (cross-validated AUC %.3f) "
			     "and rescored %llu open deals; model %lld is "
			     "kept ('crm-score rollback deal')",
			     cli->dry_run ? "would train" : "trained",
			     (long long)rep.info.id, rep.info.cv_auc,
			     (unsigned long long)n, (long long)mo.info.id);
		crm_dealscore_report_release(&rep);
	}
	status = mo.drift ? CRM_EX_FOUND : 0;
	crm_monitor_release(&mo);
	free(path);
	return status;
fail:
	status = crm_cli_fail(cli);
	out_close(&out);
	crm_monitor_release(&mo);
	free(path);
	return status;
fail_nout:
	status = crm_cli_fail(cli);
	crm_monitor_release(&mo);
	free(path);
	return status;
}
