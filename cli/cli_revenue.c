/* cli_revenue.c - crm-score forecast: won revenue per week, month or
 * quarter (per owner, region or product family) forecast with Holt-Winters
 * (ets.c), with prediction intervals, and its rolling-origin backtest against
 * the seasonal naive (--backtest). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_score.h"
#include "ets.h"
#include "forecast.h"
#include "revenue.h"

const struct argp_option crm_score_forecast_options[] = {
    {"period", CRM_SCORE_OPT_PERIOD, "week|month|quarter", 0,
     "Sum won revenue by week, month (default) or quarter", 0},
    {"by", CRM_SCORE_OPT_GROUP, "owner|region|family", 0,
     "One forecast per owner, per region of the deal's company, or per "
     "product family (the lines of the deal's accepted quote)",
     0},
    {"horizon", CRM_SCORE_OPT_HORIZON, "N", 0,
     "Periods ahead (default one season: 12 months, 4 quarters, 52 weeks)", 0},
    {"level", CRM_SCORE_OPT_LEVEL, "80|95", 0,
     "Prediction interval in percent (default 95)", 0},
    {"rates", CRM_SCORE_OPT_RATES, "FILE", 0,
     "Exchange rates (needed when won deals have several currencies)", 0},
    {"backtest", CRM_SCORE_OPT_BACKTEST, 0, 0,
     "Print the backtest instead: MAPE and MASE of the model and of the "
     "seasonal naive, one step ahead from each origin",
     0},
    {"origins", CRM_SCORE_OPT_ORIGINS, "N", 0,
     "Backtest origins: the last N periods (default one season)", 0},
    {0},
};

static void set_num(struct crm_rec *rec, const char *name, double v, int dec)
{
	char buf[64];

	if (!isfinite(v)) {
		crm_rec_set(rec, name, NULL, CRM_NULL);
		return;
	}
	v = round(v * pow(10, dec)) / pow(10, dec);
	snprintf(buf, sizeof(buf), "%.*f", dec, v == 0 ? 0.0 : v);
	crm_rec_set(rec, name, buf, CRM_RAW);
}

struct ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_strv cols;
	struct crm_rec rec;
};

static int put(struct ctx *c)
{
	if (!c->w)
		c->w = crm_cli_writer(c->cli, &c->cols);
	if (crm_writer_write(c->w, &c->rec) < 0)
		return crm_err_set(&c->cli->err, CRM_EX_IOERR,
				   "write error: %s",
				   strerror(errno ? errno : EIO));
	return 0;
}

/* v with dec decimals and unit, or "n/a" (no nonzero actual, no scale). */
static const char *fmt(char buf[32], double v, int dec, const char *unit)
{
	if (!isfinite(v))
		return "n/a";
	snprintf(buf, 32, "%.*f%s", dec, v, unit);
	return buf;
}

static const char *period_name(int p)
{
	return p == 0 ? "week" : p == 1 ? "month" : "quarter";
}

/* One series: its forecast rows (or backtest row) and a note. */
static int one(struct ctx *c, const struct crm_revenue *rv,
	       const struct crm_rev_series *s)
{
	struct crm_score_opts *o = c->cli->opts;
	int m = crm_rev_season(rv->period);
	size_t h = o->horizon ? (size_t)o->horizon : (size_t)m;
	size_t origins = o->origins ? (size_t)o->origins : (size_t)m;
	double z = o->level == 80 ? 1.2815515655446004 : 1.959963984540054;
	double *f, *lo, *hi;
	struct crm_ets e;
	struct crm_ets_backtest bt;
	const char *g = s->group ? s->group : "";
	char label[16], method[64];

	if (crm_ets_auto(s->y, s->n, m, &e) < 0 && o->group) {
		/* one thin group does not stop the others' forecasts */
		crm_cli_note(c->cli,
			     "%s %s: too little history to forecast: %zu %s%s "
			     "of won revenue; at least 3 needed: left out",
			     o->group, s->group ? g : "(none)", s->n,
			     period_name(o->period), s->n == 1 ? "" : "s");
		return 0;
	} else if (crm_ets_auto(s->y, s->n, m, &e) < 0)
		return crm_err_set(
		    &c->cli->err, CRM_EX_DATAERR,
		    "too little history to forecast%s%s: %zu %s%s of won "
		    "revenue; at least 3 needed (%d for a seasonal model)",
		    s->group ? " for " : "", g, s->n, period_name(o->period),
		    s->n == 1 ? "" : "s", 2 * m);
	snprintf(method, sizeof(method), "%s", crm_ets_kind_name(e.kind));
	/* at least two seasons of training (or 3 values for holt) */
	crm_ets_backtest(s->y, s->n, m, origins,
			 e.kind == CRM_ETS_HOLT ? 3 : 2 * (size_t)m, &bt);
	if (e.kind == CRM_ETS_HOLT)
		crm_cli_note(c->cli,
			     "%s%s%s: %zu %ss of history, fewer than two "
			     "seasons (%d): no season, Holt's trend only",
			     s->group ? o->group : "revenue",
			     s->group ? " " : "", g, s->n,
			     period_name(o->period), 2 * m);
	{
		char m1[32], m2[32], m3[32], m4[32];

		crm_cli_note(
		    c->cli,
		    "%s%s%s: %s, alpha %.3f beta %.3f gamma %.3f on %zu %ss "
		    "of %s; backtest over %zu origins: MAPE %s MASE %s, "
		    "seasonal naive MAPE %s MASE %s",
		    s->group ? o->group : "revenue", s->group ? " " : "", g,
		    method, e.alpha, e.beta, e.gamma, s->n,
		    period_name(o->period), rv->currency, bt.origins,
		    fmt(m1, bt.mape, 1, "%"), fmt(m2, bt.mase, 2, ""),
		    fmt(m3, bt.snaive_mape, 1, "%"),
		    fmt(m4, bt.snaive_mase, 2, ""));
	}
	if (o->backtest) {
		crm_rec_clear(&c->rec);
		if (o->group)
			crm_rec_set(&c->rec, o->group, s->group,
				    s->group ? CRM_STR : CRM_NULL);
		crm_rec_set(&c->rec, "method", method, CRM_STR);
		set_num(&c->rec, "periods", (double)s->n, 0);
		set_num(&c->rec, "origins", (double)bt.origins, 0);
		set_num(&c->rec, "mape", bt.mape, 2);
		set_num(&c->rec, "mase", bt.mase, 3);
		set_num(&c->rec, "snaive_mape", bt.snaive_mape, 2);
		set_num(&c->rec, "snaive_mase", bt.snaive_mase, 3);
		set_num(&c->rec, "alpha", e.alpha, 3);
		set_num(&c->rec, "beta", e.beta, 3);
		set_num(&c->rec, "gamma", e.gamma, 3);
		return put(c);
	}
	f = crm_xmalloc(3 * h * sizeof(*f));
	lo = f + h;
	hi = lo + h;
	crm_ets_forecast(&e, h, z, f, lo, hi);
	for (size_t i = 0; i < h; i++) {
		crm_rev_label(rv->period, s->first + (int64_t)(s->n + i),
			      label);
		crm_rec_clear(&c->rec);
		if (o->group)
			crm_rec_set(&c->rec, o->group, s->group,
				    s->group ? CRM_STR : CRM_NULL);
		crm_rec_set(&c->rec, "period", label, CRM_STR);
		crm_rec_set(&c->rec, "currency", rv->currency, CRM_STR);
		/* revenue is never below 0: a falling trend stops there */
		set_num(&c->rec, "forecast", f[i] > 0 ? f[i] : 0, 2);
		set_num(&c->rec, "upper", hi[i] > 0 ? hi[i] : 0, 2);
		set_num(&c->rec, "lower", lo[i] > 0 ? lo[i] : 0,
			2); /* revenue */
		crm_rec_set(&c->rec, "method", method, CRM_STR);
		if (put(c) < 0) {
			free(f);
			return -1;
		}
	}
	free(f);
	return 0;
}

int crm_score_forecast(struct crm_cli *cli)
{
	static const char *const fcols[] = {
	    "period", "currency", "forecast", "lower", "upper", "method", NULL};
	static const char *const bcols[] = {
	    "method",	   "periods", "origins", "mape",  "mase", "snaive_mape",
	    "snaive_mase", "alpha",   "beta",	 "gamma", NULL};
	struct crm_score_opts *o = cli->opts;
	struct ctx c = {.cli = cli};
	struct crm_revenue rv = {0};
	struct crm_rates rates = {0};
	int rc = -1;

	crm_rec_init(&c.rec);
	if (o->group)
		crm_strv_push(&c.cols, o->group);
	for (const char *const *p = o->backtest ? bcols : fcols; *p; p++)
		crm_strv_push(&c.cols, *p);
	if (cli->args.n || cli->where.n || cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "forecast takes no ids, --where or --stdin");
		goto out;
	}
	if (cli->fields) {
		struct crm_strv want = {0};

		crm_strv_split(&want, cli->fields, ',');
		for (size_t i = 0; i < want.n; i++)
			if (crm_strv_find(&c.cols, want.v[i]) < 0) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no field '%s'",
					    want.v[i]);
				crm_strv_release(&want);
				goto out;
			}
		crm_strv_release(&c.cols);
		c.cols = want;
	}
	if (o->rates && crm_rates_load(o->rates, &rates, &cli->err) < 0)
		goto out;
	if (crm_revenue_load(cli->db, (enum crm_rev_period)o->period, o->group,
			     o->rates ? &rates : NULL, &rv, &cli->err) < 0)
		goto out;
	if (!rv.n) {
		crm_err_set(&cli->err, CRM_EX_DATAERR,
			    "too little history to forecast: no won deals "
			    "before this %s",
			    period_name(o->period));
		goto out;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < rv.n; i++)
		rc = one(&c, &rv, &rv.v[i]);
	if (rc == 0 && !c.w) {
		/* every group was left out */
		rc = crm_err_set(&cli->err, CRM_EX_DATAERR,
				 "too little history to forecast any %s",
				 o->group ? o->group : "series");
	}
	if (rc == 0) {
		if (!c.w)
			c.w = crm_cli_writer(cli, &c.cols);
		if (crm_writer_close(c.w) < 0)
			rc = crm_err_set(&cli->err, CRM_EX_IOERR,
					 "write error: %s",
					 strerror(errno ? errno : EIO));
	}
out:
	crm_writer_free(c.w);
	crm_rec_release(&c.rec);
	crm_strv_release(&c.cols);
	crm_revenue_release(&rv);
	crm_rates_release(&rates);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}
