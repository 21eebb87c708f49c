/* dashboard.c - the manager's dashboard: reports run through
 * crm_report_run (the numbers crm-report prints), drawn by svg.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"
#include "datetime.h"
#include "ets.h"
#include "html.h"
#include "revenue.h"
#include "svg.h"

static const char *const period_word[] = {"month", "day",     "week",
					  "month", "quarter", "year"};

/* The start of the period p that t falls in. */
static crm_time period_start(crm_time t, enum crm_period p)
{
	crm_time day = crm_datetime_day_start(t);
	int64_t z = day / 86400, y;
	unsigned m, d;

	crm_civil_from_days(z, &y, &m, &d);
	switch (p) {
	case CRM_PERIOD_DAY:
		return day;
	case CRM_PERIOD_WEEK: /* Monday; day 0 (1970-01-01) was a Thursday */
		return (z - ((z % 7 + 7 + 3) % 7)) * 86400;
	case CRM_PERIOD_QUARTER:
		return crm_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1) * 86400;
	case CRM_PERIOD_YEAR:
		return crm_days_from_civil(y, 1, 1) * 86400;
	default:
		return crm_days_from_civil(y, m, 1) * 86400;
	}
}

/* t moved k periods p (a day of month past the month's end: its last). */
static crm_time period_add(crm_time t, enum crm_period p, int k)
{
	crm_time day = crm_datetime_day_start(t);
	int64_t y, mm;
	unsigned m, d, months;

	if (p == CRM_PERIOD_DAY || p == CRM_PERIOD_WEEK)
		return t + (int64_t)k * 86400 * (p == CRM_PERIOD_WEEK ? 7 : 1);
	months = p == CRM_PERIOD_QUARTER ? 3 : p == CRM_PERIOD_YEAR ? 12 : 1;
	crm_civil_from_days(day / 86400, &y, &m, &d);
	mm = y * 12 + (m - 1) + (int64_t)k * months;
	y = mm >= 0 ? mm / 12 : (mm - 11) / 12;
	m = (unsigned)(mm - y * 12) + 1;
	if (d > crm_days_in_month(y, m))
		d = crm_days_in_month(y, m);
	return crm_days_from_civil(y, m, d) * 86400 + (t - day);
}

/* Run report name into r: [from, to) (no from when from < 0), by period
 * p, grouped by by ("" none), filtered by where (NULL none). */
static int run(struct crm_db *db, const char *name, crm_time from, crm_time to,
	       enum crm_period p, const char *by, const struct crm_strv *where,
	       const char *cur, struct crm_report *r, struct crm_err *err)
{
	const struct crm_report_spec *s = crm_report_spec(name);
	struct crm_report_opts o = {0};

	if (!s)
		return crm_err_set(err, CRM_EX_SOFTWARE, "no report '%s'",
				   name);
	o.has_from = from >= 0 && !(s->flags & CRM_RS_ASOF);
	o.from = o.has_from ? from : 0;
	o.to = to;
	o.has_to = true;
	o.period = p;
	o.by = by;
	o.where = where;
	o.currency = s->flags & CRM_RS_CURRENCY ? cur : NULL;
	crm_report_init(r);
	return crm_report_run(db, s, &o, r, err);
}

/* The value of column col in the row of r whose currency is cur (any
 * row when r has no currency column). */
static const char *pick(const struct crm_report *r, const char *col,
			const char *cur)
{
	bool keyed = crm_strv_find(&r->cols, "currency") >= 0;

	for (size_t i = 0; i < r->n; i++) {
		const char *c = crm_rec_get(&r->rows[i], "currency");

		if (!keyed || (c && cur && !strcmp(c, cur)))
			return crm_rec_get(&r->rows[i], col);
	}
	return NULL;
}

static bool num(const char *s, double *x);

static char *dup_or_null(const char *s)
{
	return s ? crm_xstrdup(s) : NULL;
}

/* The values of col per period of r (rows in currency cur where r has
 * one) into t->spark. */
static void spark(struct crm_dash_tile *t, const struct crm_report *r,
		  const char *col, const char *cur)
{
	bool keyed = crm_strv_find(&r->cols, "currency") >= 0;
	struct crm_strv periods = {0};

	for (size_t i = 0; i < r->n; i++) {
		const char *p = crm_rec_get(&r->rows[i], "period");

		if (p && crm_strv_find(&periods, p) < 0 &&
		    periods.n < CRM_DASH_SPARK)
			crm_strv_push(&periods, p);
	}
	t->nspark = periods.n;
	for (size_t k = 0; k < periods.n; k++)
		t->spark[k] = NAN;
	for (size_t i = 0; i < r->n; i++) {
		const char *p = crm_rec_get(&r->rows[i], "period");
		const char *c = crm_rec_get(&r->rows[i], "currency");
		const char *v = crm_rec_get(&r->rows[i], col);
		long k = p ? crm_strv_find(&periods, p) : -1;
		char *end;
		double x;

		if (k < 0 || !v || (keyed && (!c || !cur || strcmp(c, cur))))
			continue;
		x = strtod(v, &end);
		if (!*end)
			t->spark[k] = x;
	}
	crm_strv_release(&periods);
}

struct tile_def {
	const char *area, *key, *label, *report, *column;
	bool asof;    /* a state: now vs as of the window's start */
	bool quarter; /* only deals expected to close this quarter */
	bool now;     /* a state now, without history: no comparison */
	bool lower_better;
};

static const struct tile_def defs[CRM_DASH_TILES] = {
    {"sales", "open_pipeline", "Open pipeline", "pipeline", "amount", true,
     false, false},
    {"sales", "forecast_quarter", "Weighted forecast this quarter", "pipeline",
     "weighted_amount", true, true, false},
    {"sales", "won", "Won this period", "dealsize", "total", false, false,
     false},
    {"sales", "win_rate", "Win rate", "winrate", "win_rate", false, false,
     false},
    {"sales", "median_cycle", "Median cycle", "cycle", "median_days", false,
     false, false, true},
    {"marketing", "new_leads", "New leads", "funnel", "leads", false, false,
     false},
    {"support", "sla_compliance", "SLA compliance (first reply)", "sla",
     "first_reply_compliance", false, false, false},
    {"support", "open_tickets", "Open tickets", "tickets", "tickets", true,
     false, false, true},
    {"support", "breaches", "SLA breaches", "sla", "breached_tickets", false,
     false, false, true},
};

static int tile(struct crm_db *db, struct crm_dashboard *d,
		const struct tile_def *td, struct crm_err *err)
{
	struct crm_dash_tile *t = &d->tiles[d->ntiles++];
	struct crm_report r, pr, tr;
	struct crm_strv where = {0};
	char a[CRM_TIME_LEN], b[CRM_TIME_LEN], buf[64];
	int rc = -1;

	crm_report_init(&pr);
	crm_report_init(&tr);
	t->area = td->area;
	t->key = td->key;
	t->label = td->label;
	t->report = td->report;
	t->column = td->column;
	t->lower_better = td->lower_better;
	if (td->quarter) {
		crm_time q = period_start(d->to - 1, CRM_PERIOD_QUARTER);

		snprintf(buf, sizeof(buf), "expected_close >= %s",
			 crm_datetime_format_date(q, a));
		crm_strv_push(&where, buf);
		snprintf(buf, sizeof(buf), "expected_close < %s",
			 crm_datetime_format_date(
			     period_add(q, CRM_PERIOD_QUARTER, 1), a));
		crm_strv_push(&where, buf);
	}
	if (run(db, td->report, td->now || td->asof ? -1 : d->from, d->to, 0,
		"", where.n ? &where : NULL, d->cur, &r, err) < 0)
		goto out;
	t->value = dup_or_null(pick(&r, td->column, d->cur));
	t->unit = crm_svg_unit(td->column, NULL);
	if (!strcmp(t->unit, "money"))
		t->unit = d->cur ? d->cur : "money";
	if (td->asof) {
		if (run(db, td->report, -1, d->from, 0, "",
			where.n ? &where : NULL, d->cur, &pr, err) < 0)
			goto out;
		snprintf(buf, sizeof(buf), "as of %s",
			 crm_datetime_format_date(d->from, a));
		t->compared = crm_xstrdup(buf);
	} else if (!td->now) {
		if (run(db, td->report, d->pfrom, d->pto, 0, "", NULL, d->cur,
			&pr, err) < 0)
			goto out;
		snprintf(buf, sizeof(buf), "%s to %s",
			 crm_datetime_format_date(d->pfrom, a),
			 crm_datetime_format_date(d->pto - 1, b));
		t->compared = crm_xstrdup(buf);
	}
	if (t->compared)
		t->prev = dup_or_null(pick(&pr, td->column, d->cur));
	if (!td->asof && !td->now) {
		if (run(db, td->report, d->tfrom, d->to, d->period, "", NULL,
			d->cur, &tr, err) < 0)
			goto out;
		spark(t, &tr, td->column, d->cur);
	}
	rc = 0;
out:
	crm_strv_release(&where);
	crm_report_release(&r);
	crm_report_release(&pr);
	crm_report_release(&tr);
	return rc;
}

/* The report's label of the period starting at t: 2026-11, 2026-Q4,
 * 2026-W47 (ISO 8601: the year of the week's Thursday). */
static void period_label(crm_time t, enum crm_period p, char out[16])
{
	int64_t z = t / 86400, y;
	unsigned m, d;

	if (p == CRM_PERIOD_WEEK) {
		int64_t thu = z + 3, jan1;

		crm_civil_from_days(thu, &y, &m, &d);
		jan1 = crm_days_from_civil(y, 1, 1);
		snprintf(out, 16, "%04lld-W%02lld", (long long)y,
			 (long long)((thu - jan1) / 7 + 1));
		return;
	}
	crm_civil_from_days(z, &y, &m, &d);
	if (p == CRM_PERIOD_QUARTER)
		snprintf(out, 16, "%04lld-Q%u", (long long)y, (m - 1) / 3 + 1);
	else
		snprintf(out, 16, "%04lld-%02u", (long long)y, m);
}

/* Round to cents as crm-score forecast prints, never below 0. */
static double cents(double v)
{
	v = round((v > 0 ? v : 0) * 100) / 100;
	return v == 0 ? 0.0 : v;
}

/* The won revenue forecast in d->cur (see struct crm_dash_forecast):
 * none, with a note, by day or year, without a currency, with too little
 * history, or when the window ends before the current period. */
static int forecast(struct crm_db *db, struct crm_dashboard *d,
		    struct crm_err *err)
{
	struct crm_dash_forecast *fc = &d->fc;
	struct crm_revenue rv = {0};
	enum crm_rev_period rp;
	struct crm_ets e;
	struct crm_ets_backtest bt;
	crm_time t = period_start(db->now, d->period),
		 end = period_start(d->to - 1, d->period);
	double f[CRM_DASH_FC], lo[CRM_DASH_FC], hi[CRM_DASH_FC];
	size_t h = 0;
	int m;

	if (d->period != CRM_PERIOD_WEEK && d->period != CRM_PERIOD_MONTH &&
	    d->period != CRM_PERIOD_QUARTER) {
		snprintf(fc->note, sizeof(fc->note),
			 "No forecast by %s (only by week, month or quarter).",
			 period_word[d->period]);
		return 0;
	}
	if (!d->cur) {
		snprintf(fc->note, sizeof(fc->note),
			 "No forecast: no won deals.");
		return 0;
	}
	if (t > period_add(end, d->period, 1)) {
		snprintf(fc->note, sizeof(fc->note),
			 "No forecast: the window ends before this %s.",
			 period_word[d->period]);
		return 0;
	}
	for (crm_time u = t; u <= end && h < CRM_DASH_SPARK;
	     u = period_start(period_add(u, d->period, 1) + 43200, d->period))
		h++;
	h += CRM_DASH_AHEAD;
	rp = d->period == CRM_PERIOD_WEEK      ? CRM_REV_WEEK
	     : d->period == CRM_PERIOD_QUARTER ? CRM_REV_QUARTER
					       : CRM_REV_MONTH;
	m = crm_rev_season(rp);
	if (crm_revenue_load_in(db, rp, NULL, NULL, d->cur, &rv, err) < 0)
		return -1;
	if (!rv.n || crm_ets_auto(rv.v[0].y, rv.v[0].n, m, &e) < 0) {
		snprintf(fc->note, sizeof(fc->note),
			 "No forecast: too little history (%zu %ss of won "
			 "revenue in %s; at least 3 needed).",
			 rv.n ? rv.v[0].n : 0, period_word[d->period], d->cur);
		crm_revenue_release(&rv);
		return 0;
	}
	crm_ets_backtest(rv.v[0].y, rv.v[0].n, m, (size_t)m,
			 e.kind == CRM_ETS_HOLT ? 3 : 2 * (size_t)m, &bt);
	crm_ets_forecast(&e, h, 1.959963984540054, f, lo, hi);
	for (size_t i = 0; i < h; i++) {
		period_label(t, d->period, fc->label[i]);
		fc->f[i] = cents(f[i]);
		fc->lo[i] = cents(lo[i]);
		fc->hi[i] = cents(hi[i]);
		t = period_start(period_add(t, d->period, 1) + 43200,
				 d->period);
	}
	fc->n = h;
	{
		char bb[96];

		if (isfinite(bt.mape) && isfinite(bt.snaive_mape))
			snprintf(bb, sizeof(bb),
				 "backtest over %zu %ss: MAPE %.1f%%, "
				 "seasonal naive %.1f%%",
				 bt.origins, period_word[d->period], bt.mape,
				 bt.snaive_mape);
		else
			snprintf(bb, sizeof(bb), "too short for a backtest");
		snprintf(fc->note, sizeof(fc->note),
			 "Dashed: the forecast (%s, fitted on %zu %ss of won "
			 "revenue in %s, as crm-score forecast does), shaded: "
			 "its 95%% prediction interval; %s.",
			 e.kind == CRM_ETS_HOLT
			     ? "Holt's linear trend: fewer than two seasons of "
			       "history, no season"
			 : e.kind == CRM_ETS_ADDITIVE
			     ? "Holt-Winters, additive season"
			     : "Holt-Winters, multiplicative season",
			 rv.v[0].n, period_word[d->period], d->cur, bb);
	}
	crm_revenue_release(&rv);
	return 0;
}

int crm_dashboard_run(struct crm_db *db, const struct crm_dash_opts *o,
		      struct crm_dashboard *d, struct crm_err *err)
{
	const char *by = o->by && *o->by ? o->by : "owner";

	d->period = o->period ? o->period : CRM_PERIOD_MONTH;
	d->by = by;
	d->to = o->to;
	d->from = o->has_from ? o->from : period_start(o->to - 1, d->period);
	if (d->from >= d->to)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--from must be before --to");
	/* the same span one period earlier (never past the window) */
	d->pfrom = period_add(d->from, d->period, -1);
	d->pto = d->pfrom + (d->to - d->from);
	if (d->pto > d->from)
		d->pto = d->from;
	d->tfrom = period_add(period_start(d->to - 1, d->period), d->period,
			      -(CRM_DASH_SPARK - 1));
	if (o->currency)
		d->cur = crm_xstrdup(o->currency);
	else if (crm_report_currency(db, &d->cur, err) < 0)
		return -1;
	if (!d->cur) {
		/* no won deals yet: the currency of most open deals */
		struct crm_report p;
		double best = 0, x;

		if (run(db, "pipeline", -1, d->to, 0, "", NULL, NULL, &p, err) <
		    0) {
			crm_report_release(&p);
			return -1;
		}
		for (size_t i = 0; i < p.n; i++) {
			const char *c = crm_rec_get(&p.rows[i], "currency");

			if (c && num(crm_rec_get(&p.rows[i], "deals"), &x) &&
			    x > best) {
				best = x;
				free(d->cur);
				d->cur = crm_xstrdup(c);
			}
		}
		crm_report_release(&p);
	}
	for (size_t i = 0; i < CRM_DASH_TILES; i++)
		if (tile(db, d, &defs[i], err) < 0)
			return -1;
	if (forecast(db, d, err) < 0)
		return -1;
	if (run(db, "dealsize", d->tfrom, d->to, d->period, "", NULL, d->cur,
		&d->won, err) < 0 ||
	    run(db, "winrate", d->tfrom, d->to, d->period, by, NULL, d->cur,
		&d->winrate, err) < 0 ||
	    run(db, "sla", d->tfrom, d->to, d->period, "", NULL, d->cur,
		&d->opened, err) < 0 ||
	    run(db, "leaderboard", d->tfrom, d->to, d->period, "", NULL, d->cur,
		&d->solved, err) < 0 ||
	    run(db, "funnel", d->tfrom, d->to, 0, "", NULL, d->cur, &d->funnel,
		err) < 0 ||
	    run(db, "pipeline", -1, d->to, 0, "stage", NULL, d->cur, &d->stages,
		err) < 0 ||
	    run(db, "stages", d->tfrom, d->to, 0, "stage", NULL, d->cur,
		&d->ages, err) < 0 ||
	    run(db, "leaderboard", d->from, d->to, 0, by, NULL, d->cur,
		&d->leaders, err) < 0 ||
	    run(db, "sla", d->from, d->to, 0, "priority", NULL, d->cur, &d->sla,
		err) < 0 ||
	    run(db, "replytime", d->from, d->to, 0, "", NULL, d->cur,
		&d->replies, err) < 0)
		return -1;
	return 0;
}

void crm_dashboard_release(struct crm_dashboard *d)
{
	struct crm_report *const reports[] = {
	    &d->won,	&d->winrate, &d->opened,  &d->solved, &d->funnel,
	    &d->stages, &d->ages,    &d->leaders, &d->sla,    &d->replies};

	for (size_t i = 0; i < d->ntiles; i++) {
		free(d->tiles[i].value);
		free(d->tiles[i].prev);
		free(d->tiles[i].compared);
	}
	free(d->cur);
	for (size_t i = 0; i < sizeof(reports) / sizeof(*reports); i++)
		crm_report_release(reports[i]);
}

static bool num(const char *s, double *x)
{
	char *end;

	if (!s || !*s)
		return false;
	*x = strtod(s, &end);
	return !*end && isfinite(*x);
}

bool crm_dashboard_change(const struct crm_dash_tile *t, double *pct)
{
	double a, b;

	if (!num(t->value, &a) || !num(t->prev, &b) || b == 0)
		return false;
	*pct = (a - b) / fabs(b) * 100;
	return true;
}

/* -- the page ---------------------------------------------------------- */

static const char page_css[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;"
    "max-width:1200px}\n"
    "h1{font-size:1.5em;margin-bottom:0}\n"
    "h2{font-size:1.2em;border-bottom:2px solid #0072b2;margin-top:1.5em}\n"
    "h3{font-size:1em;margin:.5em 0}\n"
    "p.sub{color:#555;margin-top:.2em}\n"
    "div.tiles{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(14em,1fr));gap:.6em}\n"
    "div.tile{border:1px solid #ccc;border-radius:6px;padding:.6em .8em;"
    "break-inside:avoid}\n"
    "div.tile .area{font-size:.75em;text-transform:uppercase;color:#555}\n"
    "div.tile .label{font-weight:600}\n"
    "div.tile .value{font-size:1.6em;font-variant-numeric:tabular-nums}\n"
    "div.tile .change{font-size:.85em;color:#333}\n"
    "div.tile .good{color:#006e4f}\n" /* good news, up or down */
    "div.tile .bad{color:#b34700}\n"
    "div.grid2{display:flex;flex-wrap:wrap;gap:1em}\n"
    "p.empty{color:#777}\n"
    "p.note,p.stat{color:#444;font-size:.9em;margin:.2em 0 1em}\n"
    "@media print{body{margin:0;max-width:none}h2{break-after:avoid}"
    "div.tiles{grid-template-columns:repeat(3,1fr)}}\n";

static void tile_html(struct crm_buf *out, const struct crm_dash_tile *t)
{
	double pct;

	crm_buf_adds(out, "<div class=\"tile\" data-figure=\"");
	crm_html_escape(out, t->key);
	crm_buf_adds(out, "\" data-value=\"");
	crm_html_escape(out, t->value ? t->value : "");
	crm_buf_adds(out, "\" data-prev=\"");
	crm_html_escape(out, t->prev ? t->prev : "");
	crm_buf_adds(out, "\"><div class=\"area\">");
	crm_html_escape(out, t->area);
	crm_buf_adds(out, "</div><div class=\"label\">");
	crm_html_escape(out, t->label);
	crm_buf_adds(out, "</div><div class=\"value\">");
	crm_html_escape(out, t->value ? t->value : "\xE2\x80\x94");
	crm_buf_adds(out, " <small>");
	crm_html_escape(out, t->unit);
	crm_buf_adds(out, "</small></div><div class=\"change\">");
	if (!t->compared)
		crm_buf_adds(out, "the state now (no history to compare)");
	else {
		if (crm_dashboard_change(t, &pct))
			crm_buf_addf(
			    out, "<span class=\"%s\">%s %+.1f%%</span> ",
			    (pct >= 0) != t->lower_better ? "good" : "bad",
			    pct >= 0 ? "\xE2\x96\xB2" : "\xE2\x96\xBC", pct);
		crm_buf_adds(out, "vs ");
		crm_html_escape(out, t->prev ? t->prev : "none");
		crm_buf_adds(out, " ");
		crm_html_escape(out, t->compared);
	}
	crm_buf_adds(out, "</div></div>\n");
}

/* Report r's chart of column col (title given) through svg.c. */
static void chart(struct crm_buf *out, const struct crm_report *r,
		  const char *col)
{
	struct crm_report c = *r;

	c.chart = (char *)col;
	if (!r->n)
		crm_buf_adds(out, "<p class=\"empty\">No data.</p>\n");
	else
		crm_svg_report(out, &c);
}

static void opened_solved(struct crm_buf *out, const struct crm_dashboard *d)
{
	struct crm_strv periods = {0};
	double *v;
	const char *names[] = {"opened", "solved"};

	for (size_t i = 0; i < d->opened.n; i++) {
		const char *p = crm_rec_get(&d->opened.rows[i], "period");

		if (p && crm_strv_find(&periods, p) < 0)
			crm_strv_push(&periods, p);
	}
	v = crm_xcalloc(2 * periods.n + 1, sizeof(*v));
	for (size_t k = 0; k < 2 * periods.n; k++)
		v[k] = NAN;
	for (int s = 0; s < 2; s++) {
		const struct crm_report *r = s ? &d->solved : &d->opened;

		for (size_t i = 0; i < r->n; i++) {
			const char *p = crm_rec_get(&r->rows[i], "period");
			long k = p ? crm_strv_find(&periods, p) : -1;
			double x;

			if (k >= 0 &&
			    num(crm_rec_get(&r->rows[i],
					    s ? "tickets_solved" : "tickets"),
				&x))
				v[(size_t)s * periods.n + (size_t)k] = x;
		}
	}
	crm_svg_lines(out, "Tickets opened vs solved", "tickets",
		      (const char *const *)periods.v, periods.n, names, v, 2, 0,
		      0);
	free(v);
	crm_strv_release(&periods);
}

/* Won revenue per period in d->cur with the forecast continuing it
 * (dashed, its 95% interval shaded); rows in other currencies a chart
 * each as before. */
static void won_trend(struct crm_buf *out, const struct crm_dashboard *d)
{
	const struct crm_dash_forecast *fc = &d->fc;
	struct crm_report rest = d->won;
	struct crm_strv x = {0};
	double *v, *band;
	size_t nx;
	const char *names[] = {"won", "forecast"};

	rest.rows = crm_xcalloc(d->won.n + 1, sizeof(*rest.rows));
	rest.n = 0;
	for (size_t i = 0; i < d->won.n; i++) {
		const char *c = crm_rec_get(&d->won.rows[i], "currency");
		const char *p = crm_rec_get(&d->won.rows[i], "period");

		if (!fc->n || !c || strcmp(c, d->cur))
			rest.rows[rest.n++] = d->won.rows[i];
		else if (p && crm_strv_find(&x, p) < 0)
			crm_strv_push(&x, p);
	}
	if (fc->n) {
		for (size_t i = 0; i < fc->n; i++)
			if (crm_strv_find(&x, fc->label[i]) < 0)
				crm_strv_push(&x, fc->label[i]);
		nx = x.n;
		v = crm_xcalloc(2 * nx + 1, sizeof(*v));
		band = crm_xcalloc(2 * nx + 1, sizeof(*band));
		for (size_t i = 0; i < 2 * nx; i++)
			v[i] = band[i] = NAN;
		for (size_t i = 0; i < d->won.n; i++) {
			const struct crm_rec *r = &d->won.rows[i];
			const char *c = crm_rec_get(r, "currency");
			const char *p = crm_rec_get(r, "period");
			long k = p ? crm_strv_find(&x, p) : -1;
			double y;

			if (k >= 0 && c && !strcmp(c, d->cur) &&
			    num(crm_rec_get(r, "total"), &y))
				v[k] = y;
		}
		for (size_t i = 0; i < fc->n; i++) {
			long k = crm_strv_find(&x, fc->label[i]);

			v[nx + (size_t)k] = fc->f[i];
			band[k] = fc->lo[i];
			band[nx + (size_t)k] = fc->hi[i];
		}
		crm_svg_lines_band(out, "Won revenue and its forecast", d->cur,
				   (const char *const *)x.v, nx, names, v, 2,
				   band, "95% prediction interval");
		free(v);
		free(band);
	}
	crm_buf_adds(out, "<p class=\"note\" data-forecast=\"");
	crm_html_escape(out, fc->n ? "yes" : "no");
	crm_buf_adds(out, "\">");
	crm_html_escape(out, fc->note);
	crm_buf_adds(out, "</p>\n");
	if (rest.n || !fc->n)
		chart(out, &rest, "total");
	free(rest.rows);
	crm_strv_release(&x);
}

/* The first-reply time of the tickets opened in the window as a
 * histogram (the replytime report), with its median and p90. */
static void replies(struct crm_buf *out, const struct crm_report *r)
{
	static const char *const cols[] = {"under_1h", "h1_to_4", "h4_to_8",
					   "h8_to_24", "d1_to_3", "over_3d"};
	static const char *const labels[] = {"under 1 hour", "1 to 4 hours",
					     "4 to 8 hours", "8 to 24 hours",
					     "1 to 3 days",  "3 days or more"};
	const char *vals[6];
	const char *n, *med, *p90;
	double x;

	if (!r->n || !num(crm_rec_get(&r->rows[0], "replied"), &x) || x == 0) {
		crm_buf_adds(out, "<p class=\"empty\">No ticket opened in the "
				  "window has a reply yet.</p>\n");
		return;
	}
	for (size_t i = 0; i < 6; i++)
		vals[i] = crm_rec_get(&r->rows[0], cols[i]);
	n = crm_rec_get(&r->rows[0], "replied");
	med = crm_rec_get(&r->rows[0], "median_first_reply_hours");
	p90 = crm_rec_get(&r->rows[0], "p90_first_reply_hours");
	crm_svg_bars(out, "Tickets by time to the first reply", "tickets",
		     labels, vals, 6);
	crm_buf_adds(out, "<p class=\"stat\" data-replied=\"");
	crm_html_escape(out, n);
	crm_buf_adds(out, "\" data-median=\"");
	crm_html_escape(out, med ? med : "");
	crm_buf_adds(out, "\" data-p90=\"");
	crm_html_escape(out, p90 ? p90 : "");
	crm_buf_adds(out, "\">Median ");
	crm_html_escape(out, med ? med : "\xE2\x80\x94");
	crm_buf_adds(out, " hours, 90th percentile ");
	crm_html_escape(out, p90 ? p90 : "\xE2\x80\x94");
	crm_buf_adds(out, " hours, over ");
	crm_html_escape(out, n);
	crm_buf_adds(out, " answered tickets.</p>\n");
}

static void funnel(struct crm_buf *out, const struct crm_report *r)
{
	static const char *const st[] = {"leads", "qualified", "converted",
					 "deals", "won"};
	double v[5] = {0};

	if (!r->n) {
		crm_buf_adds(out, "<p class=\"empty\">No leads.</p>\n");
		return;
	}
	for (size_t i = 0; i < 5; i++)
		if (!num(crm_rec_get(&r->rows[0], st[i]), &v[i]))
			v[i] = 0;
	crm_svg_funnel(out, "Leads created in the trend window", st, v, 5);
}

/* Open deals per stage: the pipeline report's counts (one row per stage
 * and currency) added up per stage, in the report's order. */
static void stages(struct crm_buf *out, const struct crm_report *r)
{
	struct crm_strv st = {0};
	double *n = crm_xcalloc(r->n + 1, sizeof(*n));
	char **vals = crm_xcalloc(r->n + 1, sizeof(*vals));

	for (size_t i = 0; i < r->n; i++) {
		const char *s = crm_rec_get(&r->rows[i], "stage");
		long k;
		double x;

		s = s ? s : "(none)";
		if ((k = crm_strv_find(&st, s)) < 0) {
			crm_strv_push(&st, s);
			k = (long)st.n - 1;
		}
		if (num(crm_rec_get(&r->rows[i], "deals"), &x))
			n[k] += x;
	}
	for (size_t k = 0; k < st.n; k++) {
		char b[32];

		snprintf(b, sizeof(b), "%.0f", n[k]);
		vals[k] = crm_xstrdup(b);
	}
	if (st.n)
		crm_svg_bars(out, "Open deals by stage (all currencies)",
			     "deals", (const char *const *)st.v,
			     (const char *const *)vals, st.n);
	else
		crm_buf_adds(out, "<p class=\"empty\">No open deals.</p>\n");
	crm_strs_free(vals, st.n);
	free(n);
	crm_strv_release(&st);
}

void crm_dashboard_html(struct crm_buf *out, const struct crm_dashboard *d)
{
	char a[CRM_TIME_LEN], b[CRM_TIME_LEN];
	static const char *const areas[] = {"sales", "marketing", "support"};

	crm_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
			  "content=\"width=device-width\">\n"
			  "<title>Dashboard</title>\n<style>\n");
	crm_buf_adds(out, crm_svg_css);
	crm_buf_adds(out, page_css);
	crm_buf_adds(out, "</style>\n</head>\n<body>\n<h1>Dashboard</h1>\n"
			  "<p class=\"sub\">");
	crm_buf_adds(out, crm_datetime_format_date(d->from, a));
	crm_buf_addf(out, " to %s", crm_datetime_format_date(d->to - 1, b));
	crm_buf_addf(out, ", compared with %s",
		     crm_datetime_format_date(d->pfrom, a));
	crm_buf_addf(out, " to %s", crm_datetime_format_date(d->pto - 1, b));
	crm_buf_addf(out, "; trends by %s; money in ", period_word[d->period]);
	crm_html_escape(out, d->cur ? d->cur : "(no won deals)");
	crm_buf_adds(out, "</p>\n<h2>Key figures</h2>\n");
	for (size_t k = 0; k < 3; k++) {
		crm_buf_addf(out, "<h3>%c%s</h3>\n<div class=\"tiles\">\n",
			     areas[k][0] - 32, areas[k] + 1);
		for (size_t i = 0; i < d->ntiles; i++)
			if (!strcmp(d->tiles[i].area, areas[k]))
				tile_html(out, &d->tiles[i]);
		crm_buf_adds(out, "</div>\n");
	}
	crm_buf_adds(out, "<h2>Trends</h2>\n<h3>Won revenue per ");
	crm_buf_adds(out, period_word[d->period]);
	crm_buf_adds(out, "</h3>\n");
	won_trend(out, d);
	crm_buf_adds(out, "<h3>Win rate per ");
	crm_html_escape(out, d->by);
	crm_buf_adds(out, "</h3>\n");
	chart(out, &d->winrate, "win_rate");
	crm_buf_adds(out, "<h3>Tickets opened vs solved</h3>\n");
	opened_solved(out, d);
	crm_buf_adds(out, "<h2>Pipeline</h2>\n");
	funnel(out, &d->funnel);
	stages(out, &d->stages);
	crm_buf_adds(
	    out,
	    "<h3>Days deals spent in each stage (median, trend window)</h3>\n");
	chart(out, &d->ages, "median_days");
	crm_buf_adds(out, "<h2>Leaderboards</h2>\n");
	chart(out, &d->leaders, "amount_won");
	chart(out, &d->leaders, "win_rate");
	chart(out, &d->leaders, "activities");
	crm_buf_adds(out, "<h2>Service</h2>\n");
	chart(out, &d->sla, "first_reply_compliance");
	chart(out, &d->sla, "resolution_compliance");
	crm_buf_adds(out, "<h3>First-reply time, tickets opened in the "
			  "window</h3>\n");
	replies(out, &d->replies);
	crm_buf_adds(out, "<h3>First-reply time per priority</h3>\n");
	chart(out, &d->sla, "median_first_reply_hours");
	chart(out, &d->sla, "p90_first_reply_hours");
	crm_buf_adds(out, "</body>\n</html>\n");
}

/* -- the terminal ------------------------------------------------------ */

static void sparkline(struct crm_buf *out, const struct crm_dash_tile *t,
		      bool utf8)
{
	static const char ascii[] = "_.-:=+*#";
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < t->nspark; i++)
		if (!isnan(t->spark[i])) {
			lo = fmin(lo, t->spark[i]);
			hi = fmax(hi, t->spark[i]);
		}
	for (size_t i = 0; i < t->nspark; i++) {
		int k;

		if (isnan(t->spark[i])) {
			crm_buf_addc(out, ' ');
			continue;
		}
		k = hi > lo  ? (int)((t->spark[i] - lo) / (hi - lo) * 7 + 0.5)
		    : hi > 0 ? 3
			     : 0;
		if (utf8) { /* U+2581 ... U+2588 */
			crm_buf_addc(out, (char)0xE2);
			crm_buf_addc(out, (char)0x96);
			crm_buf_addc(out, (char)(0x81 + k));
		} else
			crm_buf_addc(out, ascii[k]);
	}
}

/* End a line without trailing blanks. */
static void endline(struct crm_buf *out)
{
	while (out->len && out->s[out->len - 1] == ' ')
		out->len--;
	crm_buf_addc(out, '\n');
}

static void pad(struct crm_buf *out, size_t n)
{
	while (n--)
		crm_buf_addc(out, ' ');
}

void crm_dashboard_text(struct crm_buf *out, const struct crm_dashboard *d,
			size_t width, bool utf8, bool colour)
{
	char a[CRM_TIME_LEN], b[CRM_TIME_LEN], c[CRM_TIME_LEN], e[CRM_TIME_LEN];
	size_t lw = 33, vw = 0;
	bool narrow;
	const char *area = NULL;

	for (size_t i = 0; i < d->ntiles; i++) {
		size_t n = strlen(d->tiles[i].value ? d->tiles[i].value : "-") +
			   1 + strlen(d->tiles[i].unit);
		if (n > vw)
			vw = n;
	}
	/* label, value, change (8), sparkline: on one line when they fit */
	narrow = width < lw + vw + 9 + CRM_DASH_SPARK + 3;
	if (narrow && width >= 20 + vw + 9 + CRM_DASH_SPARK + 3)
		lw = width - (vw + 9 + CRM_DASH_SPARK + 3), narrow = false;
	crm_buf_addf(
	    out, "Dashboard%s%s to %s,%svs %s to %s\n", width < 36 ? "\n" : " ",
	    crm_datetime_format_date(d->from, a),
	    crm_datetime_format_date(d->to - 1, b), width < 66 ? "\n" : " ",
	    crm_datetime_format_date(d->pfrom, c),
	    crm_datetime_format_date(d->pto - 1, e));
	for (size_t i = 0; i < d->ntiles; i++) {
		const struct crm_dash_tile *t = &d->tiles[i];
		double pct;
		size_t n;

		if (!area || strcmp(area, t->area)) {
			area = t->area;
			crm_buf_addf(out, "\n%c%s\n", area[0] - 32, area + 1);
		}
		crm_buf_adds(out, "  ");
		n = strlen(t->label);
		if (narrow) {
			crm_buf_add(out, t->label,
				    n + 2 > width ? (width > 2 ? width - 2 : 1)
						  : n);
			crm_buf_adds(out, "\n    ");
		} else {
			if (n > lw - 2)
				n = lw - 2;
			crm_buf_add(out, t->label, n);
			pad(out, lw - 2 - n);
		}
		n = strlen(t->value ? t->value : "-") + 1 + strlen(t->unit);
		if (!narrow)
			pad(out, vw - n);
		crm_buf_addf(out, "%s %s ", t->value ? t->value : "-", t->unit);
		if (crm_dashboard_change(t, &pct)) {
			char pc[32];

			snprintf(pc, sizeof(pc), "%+.1f%%", pct);
			if (!narrow)
				pad(out, 8 - (strlen(pc) < 8 ? strlen(pc) : 8));
			crm_buf_addf(out, "%s%s%s",
				     colour ? ((pct >= 0) != t->lower_better
						   ? "\033[32m"
						   : "\033[31m")
					    : "",
				     pc, colour ? "\033[0m" : "");
		} else if (!narrow)
			pad(out, 8);
		if (t->nspark && (!narrow || width >= 4 + t->nspark)) {
			crm_buf_adds(out, narrow ? "\n    " : "  ");
			sparkline(out, t, utf8);
		}
		endline(out);
	}
	if (d->fc.n >= CRM_DASH_AHEAD) {
		/* the periods after the window: forecast and interval */
		crm_buf_addf(out,
			     "\nForecast, won revenue in %s (95%% interval)\n",
			     d->cur);
		for (size_t i = d->fc.n - CRM_DASH_AHEAD; i < d->fc.n; i++) {
			crm_buf_addf(out, "  %-9s %12.2f%s%.2f to %.2f",
				     d->fc.label[i], d->fc.f[i],
				     width < 50 ? "\n    " : "  ", d->fc.lo[i],
				     d->fc.hi[i]);
			endline(out);
		}
	}
}
