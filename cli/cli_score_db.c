/* cli_score_db.c - crm-score's verbs on the database: leads (rules, with
 * history and trend), rfm, churn, and train and predict on the leads
 * table. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "churn.h"
#include "cli_score.h"
#include "forecast.h"
#include "lead.h"
#include "leadscore.h"
#include "logit.h"
#include "money.h"
#include "rfm.h"
#include "scoring.h"

int crm_score_open_db(struct crm_cli *cli, bool write)
{
	return crm_cli_open_db(cli, write);
}

/* -- output ------------------------------------------------------------ */

struct out {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_strv cols;
	struct crm_rec rec;
	struct crm_buf b;
	uint64_t n;
};

/* Columns: --fields (checked against cols), else cols. */
static int out_open(struct out *o, struct crm_cli *cli, const char *const *cols)
{
	struct crm_strv all = {0};

	memset(o, 0, sizeof(*o));
	o->cli = cli;
	crm_rec_init(&o->rec);
	for (size_t i = 0; cols[i]; i++)
		crm_strv_push(&all, cols[i]);
	if (cli->fields) {
		crm_strv_split(&o->cols, cli->fields, ',');
		for (size_t i = 0; i < o->cols.n; i++)
			if (crm_strv_find(&all, o->cols.v[i]) < 0) {
				crm_strv_release(&all);
				return crm_err_set(&cli->err, CRM_EX_USAGE,
						   "--fields: no field '%s'",
						   o->cols.v[i]);
			}
		crm_strv_release(&all);
	} else {
		o->cols = all;
	}
	return 0;
}

static int write_error(struct crm_cli *cli)
{
	return crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			   strerror(errno ? errno : EIO));
}

/* Write o->rec (or only id with --ids). */
static int out_write(struct out *o, int64_t id)
{
	o->n++;
	if (o->cli->ids) {
		if (printf("%lld\n", (long long)id) < 0)
			return write_error(o->cli);
		return 0;
	}
	if (!o->w)
		o->w = crm_cli_writer(o->cli, &o->cols);
	if (crm_writer_write(o->w, &o->rec) < 0)
		return write_error(o->cli);
	return 0;
}

/* Finish the output (a header even when there were no records). */
static int out_close(struct out *o)
{
	int rc = 0;

	if (!o->cli->ids && !o->w && !o->cli->err.code)
		o->w = crm_cli_writer(o->cli, &o->cols);
	if (o->w && crm_writer_close(o->w) < 0 && !o->cli->err.code)
		rc = write_error(o->cli);
	crm_writer_free(o->w);
	o->w = NULL;
	crm_rec_release(&o->rec);
	crm_strv_release(&o->cols);
	crm_buf_release(&o->b);
	return rc;
}

static void set_int(struct crm_rec *rec, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

/* A number with at most two decimals ("4.33", "20", "-0.5"). */
static void set_num(struct crm_rec *rec, const char *name, double v)
{
	char buf[48];

	v = round(v * 100) / 100;
	snprintf(buf, sizeof(buf), "%.15g", v == 0 ? 0.0 : v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

static void set_str(struct crm_rec *rec, const char *name, const char *v)
{
	crm_rec_set(rec, name, v, v ? CRM_STR : CRM_NULL);
}

/* -- leads ------------------------------------------------------------- */

struct reason {
	const char *what;
	double points;
};

static void add_reasons(struct reason **v, size_t *n, size_t *cap,
			const struct crm_score_result *r)
{
	for (size_t i = 0; i < r->nparts; i++) {
		*v = crm_xgrow(*v, cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] =
		    (struct reason){r->parts[i].what, r->parts[i].points};
	}
}

/* The top parts of fit then engagement by magnitude (ties keep that
 * order), each rounded to one decimal: "senior title +20; web_visit
 * +4.3". */
static void format_reasons(const struct crm_leadscore *ls, long top,
			   struct crm_buf *b)
{
	struct reason *v = NULL;
	size_t n = 0, cap = 0, shown;

	add_reasons(&v, &n, &cap, ls->fit);
	add_reasons(&v, &n, &cap, ls->engagement);
	for (size_t i = 1; i < n; i++) { /* insertion sort: stable */
		struct reason x = v[i];
		size_t j = i;

		while (j > 0 && fabs(v[j - 1].points) < fabs(x.points)) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	shown = top > 0 && (size_t)top < n ? (size_t)top : n;
	crm_buf_reset(b);
	for (size_t i = 0; i < shown; i++) {
		double p = round(v[i].points * 10) / 10;

		crm_buf_addf(b, "%s%s %+g", i ? "; " : "", v[i].what,
			     p == 0 ? 0.0 : p);
	}
	free(v);
}

struct leads_ctx {
	struct out out;
	struct crm_score_opts *o;
	uint64_t changed;
};

static int lead_out(const struct crm_leadscore *ls, void *arg)
{
	struct leads_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;

	if (ls->grade_changed)
		c->changed++;
	if (c->o->changed && !ls->grade_changed)
		return 0;
	crm_rec_clear(rec);
	set_int(rec, "id", ls->id);
	set_int(rec, "score", ls->score);
	if (ls->has_previous)
		set_int(rec, "previous_score", ls->previous_score);
	else
		set_str(rec, "previous_score", NULL);
	set_str(rec, "grade", ls->grade);
	set_str(rec, "previous_grade", ls->previous_grade);
	set_str(rec, "trend", ls->trend);
	format_reasons(ls, c->o->top, &c->out.b);
	set_str(rec, "reasons", c->out.b.len ? c->out.b.s : NULL);
	if (out_write(&c->out, ls->id) < 0)
		return -1;
	if (c->out.n % 65536 == 0)
		crm_cli_progress(c->out.n, c->out.cli);
	return 0;
}

/* --explain ID: every rule and type, matched or not, the caps, the
 * totals. */
struct explain_ctx {
	struct out out;
	const struct crm_scoring *s;
};

static double part_points(const struct crm_score_result *r, const char *what,
			  bool *found)
{
	double p = 0;

	*found = false;
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].what == what) {
			p += r->parts[i].points;
			*found = true;
		}
	return p;
}

static int explain_row(struct explain_ctx *c, int64_t id, const char *section,
		       const char *item, double points, const char *grade)
{
	struct crm_rec *rec = &c->out.rec;

	crm_rec_clear(rec);
	set_int(rec, "id", id);
	set_str(rec, "section", section);
	set_str(rec, "item", item);
	set_num(rec, "points", points);
	set_str(rec, "grade", grade);
	return out_write(&c->out, id);
}

/* The caps: the parts that are neither rules nor types. */
static int explain_caps(struct explain_ctx *c, int64_t id, const char *section,
			const struct crm_score_result *r, bool fit)
{
	for (size_t i = 0; i < r->nparts; i++) {
		const char *w = r->parts[i].what;
		bool known = false;
		size_t n =
		    fit ? crm_scoring_fit_rules(c->s) : crm_scoring_types(c->s);

		for (size_t k = 0; k < n && !known; k++)
			known = w == (fit ? crm_scoring_rule_name(c->s, k)
					  : crm_scoring_type_name(c->s, k));
		if (!known && explain_row(c, id, section, w, r->parts[i].points,
					  NULL) < 0)
			return -1;
	}
	return 0;
}

static int explain_out(const struct crm_leadscore *ls, void *arg)
{
	struct explain_ctx *c = arg;
	bool found;
	char fg[16], eg[16];
	size_t gl = strlen(ls->fit->grade);

	for (size_t i = 0; i < crm_scoring_fit_rules(c->s); i++) {
		const char *w = crm_scoring_rule_name(c->s, i);

		if (explain_row(c, ls->id, "fit", w,
				part_points(ls->fit, w, &found), NULL) < 0)
			return -1;
	}
	if (explain_caps(c, ls->id, "fit", ls->fit, true) < 0)
		return -1;
	snprintf(fg, sizeof(fg), "%s", ls->fit->grade);
	if (explain_row(c, ls->id, "fit", "total", ls->fit->score, fg) < 0)
		return -1;
	for (size_t i = 0; i < crm_scoring_types(c->s); i++) {
		const char *w = crm_scoring_type_name(c->s, i);

		if (explain_row(c, ls->id, "engagement", w,
				part_points(ls->engagement, w, &found),
				NULL) < 0)
			return -1;
	}
	if (explain_caps(c, ls->id, "engagement", ls->engagement, false) < 0)
		return -1;
	snprintf(eg, sizeof(eg), "%s", ls->grade + gl);
	if (explain_row(c, ls->id, "engagement", "total", ls->engagement->score,
			eg) < 0)
		return -1;
	return explain_row(c, ls->id, "combined", "score", ls->combined,
			   ls->grade);
}

static int leads_explain(struct crm_cli *cli, const struct crm_scoring *s)
{
	static const char *const cols[] = {"id",     "section", "item",
					   "points", "grade",	NULL};
	struct explain_ctx c = {.s = s};
	struct crm_query q;
	int64_t *ids = NULL;
	int rc, status;

	if (out_open(&c.out, cli, cols) < 0)
		goto fail;
	if (cli->args.n != 1 || cli->where.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--explain shows one lead: give its id (or email "
			    "or external id)");
		goto fail;
	}
	if (crm_cli_query(cli, &crm_lead_entity, true, &q, &ids) < 0)
		goto fail;
	rc = crm_leadscore_explain(cli->db, s, ids[0], explain_out, &c,
				   &cli->err);
	if (rc < 0)
		goto fail;
	status = out_close(&c.out) < 0 ? crm_cli_fail(cli) : 0;
	free(ids);
	return status;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
	free(ids);
	return status;
}

int crm_score_leads_db(struct crm_cli *cli)
{
	static const char *const cols[] = {"id",
					   "score",
					   "previous_score",
					   "grade",
					   "previous_grade",
					   "trend",
					   "reasons",
					   NULL};
	struct crm_score_opts *o = cli->opts;
	struct leads_ctx c = {.o = o};
	struct crm_scoring *s = NULL;
	struct crm_query q;
	int64_t *ids = NULL;
	char *path = NULL;
	uint64_t n = 0;
	int status;

	path = o->rules ? crm_xstrdup(o->rules) : crm_scoring_default_path();
	if (!(s = crm_scoring_load(path, &cli->err)) ||
	    crm_score_open_db(cli, !cli->dry_run) < 0) {
		status = crm_cli_fail(cli);
		goto done;
	}
	if (o->explain) {
		status = leads_explain(cli, s);
		goto done;
	}
	if (out_open(&c.out, cli, cols) < 0)
		goto fail;
	if (crm_cli_query(cli, &crm_lead_entity, false, &q, &ids) < 0)
		goto fail;
	q.sort = NULL; /* id order: the walk in step needs it */
	if (crm_leadscore_run(cli->db, s, &q, cli->dry_run, lead_out, &c, &n,
			      &cli->err) < 0)
		goto fail;
	crm_cli_progress_end(cli);
	if (out_close(&c.out) < 0) {
		status = crm_cli_fail(cli);
		goto done;
	}
	crm_cli_note(cli, "%s %llu lead%s, %llu grade%s changed",
		     cli->dry_run ? "would score" : "scored",
		     (unsigned long long)n, n == 1 ? "" : "s",
		     (unsigned long long)c.changed, c.changed == 1 ? "" : "s");
	status = 0;
	goto done;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
done:
	crm_scoring_free(s);
	free(path);
	free(ids);
	return status;
}

/* -- predict on the leads table ---------------------------------------- */

struct predict_ctx {
	struct out out;
	bool explain;
};

static int predict_out(const struct crm_leadpredict *p, void *arg)
{
	struct predict_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;
	char buf[32];

	crm_rec_clear(rec);
	set_int(rec, "id", p->id);
	snprintf(buf, sizeof(buf), "%.6f", p->probability);
	crm_rec_set(rec, "probability", buf, CRM_RAW);
	set_int(rec, "score", lround(p->probability * 100));
	if (c->explain) {
		crm_buf_reset(&c->out.b);
		for (size_t i = 0; i < p->nfactors; i++) {
			const struct crm_logit_factor *f = &p->factors[i];
			const char *v = crm_rec_get(p->rec, f->feature);

			if (i)
				crm_buf_adds(&c->out.b, "; ");
			if (!strcmp(f->level, f->feature) && v)
				crm_buf_addf(&c->out.b, "%s=%s", f->feature, v);
			else
				crm_buf_adds(&c->out.b, f->level);
			crm_buf_addf(&c->out.b, " (%+.3f)", f->contribution);
		}
		set_str(rec, "factors", c->out.b.len ? c->out.b.s : NULL);
	}
	if (out_write(&c->out, p->id) < 0)
		return -1;
	if (c->out.n % 65536 == 0)
		crm_cli_progress(c->out.n, c->out.cli);
	return 0;
}

int crm_score_predict_db(struct crm_cli *cli)
{
	static const char *const brief[] = {"id", "probability", "score", NULL};
	static const char *const full[] = {"id", "probability", "score",
					   "factors", NULL};
	struct crm_score_opts *o = cli->opts;
	struct predict_ctx c = {.explain = o->explain};
	struct crm_logit_model *m = NULL;
	struct crm_query q;
	int64_t *ids = NULL;
	uint64_t n = 0;
	int status;

	if (out_open(&c.out, cli, o->explain ? full : brief) < 0)
		goto fail;
	if (!o->model) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "--model is required");
		goto fail;
	}
	if (!(m = crm_logit_model_load(o->model, &cli->err)))
		goto fail;
	if (crm_score_open_db(cli, !cli->dry_run) < 0 ||
	    crm_cli_query(cli, &crm_lead_entity, false, &q, &ids) < 0)
		goto fail;
	if (crm_leadscore_predict(cli->db, m, &q,
				  o->explain ? (size_t)o->top : 0, cli->dry_run,
				  predict_out, &c, &n, &cli->err) < 0)
		goto fail;
	crm_cli_progress_end(cli);
	if (out_close(&c.out) < 0) {
		status = crm_cli_fail(cli);
		goto done;
	}
	crm_cli_note(cli, "%s %llu lead%s",
		     cli->dry_run ? "would predict" : "predicted",
		     (unsigned long long)n, n == 1 ? "" : "s");
	status = 0;
	goto done;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
done:
	crm_logit_model_free(m);
	free(ids);
	return status;
}

/* -- rfm ------------------------------------------------------------- */

const struct argp_option crm_score_rfm_options[] = {
    {"at", CRM_SCORE_OPT_AT, "TIME", 0,
     "The analysis time (default now): deals won later do not count", 0},
    {"by", CRM_SCORE_OPT_BY, "company|contact", 0,
     "Whose deals: the company's (default) or the contact's", 0},
    {"rates", CRM_SCORE_OPT_RATES, "FILE", 0,
     "Exchange rates into one currency (needed when won deals have "
     "several)",
     0},
    {0},
};

struct rfm_ctx {
	struct out out;
	const char *idcol;
};

static int rfm_out(const struct crm_rfm *r, void *arg)
{
	struct rfm_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;
	char buf[32];

	crm_rec_clear(rec);
	set_int(rec, c->idcol, r->id);
	set_str(rec, "name", r->name && *r->name ? r->name : NULL);
	set_str(rec, "last_won_at", r->last_won_at);
	set_int(rec, "recency_days", r->recency_days);
	set_int(rec, "frequency", r->frequency);
	crm_rec_set(rec, "monetary",
		    crm_money_format(r->monetary, r->currency, buf), CRM_RAW);
	set_str(rec, "currency", r->currency);
	set_int(rec, "r", r->r);
	set_int(rec, "f", r->f);
	set_int(rec, "m", r->m);
	snprintf(buf, sizeof(buf), "%d%d%d", r->r, r->f, r->m);
	set_str(rec, "rfm", buf);
	set_str(rec, "segment", r->segment);
	return out_write(&c->out, r->id);
}

static int parse_time(struct crm_cli *cli, const char *opt, const char *s,
		      crm_time *t)
{
	struct crm_err e;

	if (crm_datetime_parse(s, t, &e) < 0)
		return crm_err_set(&cli->err, CRM_EX_USAGE, "--%s: %s", opt,
				   e.msg);
	return 0;
}

static int no_selection(struct crm_cli *cli)
{
	if (cli->args.n || cli->where.n || cli->from_stdin)
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "%s scores every customer: it takes no "
				   "ids, --where or --stdin",
				   cli->verb->name);
	return 0;
}

int crm_score_rfm(struct crm_cli *cli)
{
	struct crm_score_opts *o = cli->opts;
	bool by_contact = o->by && !strcmp(o->by, "contact");
	const char *cols[] = {by_contact ? "contact_id" : "company_id",
			      "name",
			      "last_won_at",
			      "recency_days",
			      "frequency",
			      "monetary",
			      "currency",
			      "r",
			      "f",
			      "m",
			      "rfm",
			      "segment",
			      NULL};
	struct rfm_ctx c = {.idcol = cols[0]};
	struct crm_rates rates = {0};
	crm_time at = cli->db->now;
	uint64_t n = 0;
	int status;

	if (out_open(&c.out, cli, cols) < 0 || no_selection(cli) < 0)
		goto fail;
	if (o->at && parse_time(cli, "at", o->at, &at) < 0)
		goto fail;
	if (o->rates && crm_rates_load(o->rates, &rates, &cli->err) < 0)
		goto fail;
	if (crm_rfm_run(cli->db, by_contact, at, o->rates ? &rates : NULL,
			cli->dry_run, rfm_out, &c, &n, &cli->err) < 0)
		goto fail;
	if (out_close(&c.out) < 0) {
		status = crm_cli_fail(cli);
		goto done;
	}
	crm_cli_note(cli, "%s %llu %s%s",
		     cli->dry_run ? "would score" : "scored",
		     (unsigned long long)n,
		     by_contact ? "contact"
		     : n == 1	? "company"
				: "companie",
		     n == 1 ? "" : "s");
	status = 0;
	goto done;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
done:
	crm_rates_release(&rates);
	return status;
}

/* -- churn ----------------------------------------------------------- */

const struct argp_option crm_score_churn_options[] = {
    {"by", CRM_SCORE_OPT_BY, "company|contact", 0,
     "Customers: companies with a won deal (default), or contacts whose "
     "lifecycle stage is customer or evangelist",
     0},
    {"window", CRM_SCORE_OPT_WINDOW, "DURATION", 0,
     "The recent period measured (default 30d)", 0},
    {"baseline", CRM_SCORE_OPT_BASELINE, "DURATION", 0,
     "The period before it that sets each customer's norm (default 180d)", 0},
    {"min-risk", CRM_SCORE_OPT_MIN_RISK, "N", 0,
     "Print only customers whose risk is at least N (all are stored)", 0},
    {0},
};

struct churn_ctx {
	struct out out;
	const char *idcol;
	long min_risk;
};

static int churn_out(const struct crm_churn *ch, void *arg)
{
	struct churn_ctx *c = arg;
	struct crm_rec *rec = &c->out.rec;

	if (ch->risk->risk < c->min_risk)
		return 0;
	crm_rec_clear(rec);
	set_int(rec, c->idcol, ch->id);
	set_str(rec, "name", ch->name && *ch->name ? ch->name : NULL);
	set_int(rec, "risk", ch->risk->risk);
	set_int(rec, "activities", ch->in->activities);
	set_num(rec, "activities_expected", ch->risk->activities_expected);
	set_int(rec, "tickets", ch->in->tickets);
	set_num(rec, "tickets_expected", ch->risk->tickets_expected);
	set_int(rec, "days_silent", ch->in->days_silent);
	set_str(rec, "reasons", ch->reasons);
	return out_write(&c->out, ch->id);
}

static int duration(struct crm_cli *cli, const char *opt, const char *s,
		    int64_t def, int64_t *out)
{
	*out = def;
	if (s && (crm_parse_duration(s, out) < 0 || *out <= 0))
		return crm_err_set(&cli->err, CRM_EX_USAGE,
				   "--%s: expected a duration like 30d, got "
				   "'%s'",
				   opt, s);
	return 0;
}

int crm_score_churn(struct crm_cli *cli)
{
	struct crm_score_opts *o = cli->opts;
	bool by_contact = o->by && !strcmp(o->by, "contact");
	const char *cols[] = {by_contact ? "contact_id" : "company_id",
			      "name",
			      "risk",
			      "activities",
			      "activities_expected",
			      "tickets",
			      "tickets_expected",
			      "days_silent",
			      "reasons",
			      NULL};
	struct churn_ctx c = {.idcol = cols[0], .min_risk = o->min_risk};
	int64_t window, baseline;
	uint64_t n = 0;
	int status;

	if (out_open(&c.out, cli, cols) < 0 || no_selection(cli) < 0 ||
	    duration(cli, "window", o->window, 30 * 86400, &window) < 0 ||
	    duration(cli, "baseline", o->baseline, 180 * 86400, &baseline) < 0)
		goto fail;
	if (crm_churn_run(cli->db, by_contact, window, baseline, cli->dry_run,
			  churn_out, &c, &n, &cli->err) < 0)
		goto fail;
	if (out_close(&c.out) < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "%s %llu customer%s",
		     cli->dry_run ? "would score" : "scored",
		     (unsigned long long)n, n == 1 ? "" : "s");
	return 0;
fail:
	status = crm_cli_fail(cli);
	out_close(&c.out);
	return status;
}
