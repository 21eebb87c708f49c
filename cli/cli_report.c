/* cli_report.c - crm-report: run a report, then write its records in any
 * format, with bar charts under a table and a whole page for html. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "chart.h"
#include "cli_report.h"
#include "dashboard.h"
#include "html.h"
#include "money.h"
#include "report.h"

enum {
	OPT_FROM = 0x400,
	OPT_TO,
	OPT_BY,
	OPT_PERIOD,
	OPT_COMPARE,
	OPT_IDLE,
	OPT_CURRENCY,
	OPT_COSTS,
};

const struct argp_option crm_report_options[] = {
    {"from", OPT_FROM, "TIME", 0, "From this time on (default: the start)", 0},
    {"to", OPT_TO, "TIME", 0,
     "Before this time (a date alone includes that day; default: now)", 0},
    {"period", OPT_PERIOD, "PERIOD", 0,
     "One row per day, week, month, quarter or year (empty ones too)", 0},
    {"by", OPT_BY, "FIELD,...", 0,
     "One row per value of FIELD (several: per combination)", 0},
    {"compare", OPT_COMPARE, "previous|year", 0,
     "Add each measure's value in the previous span, or a year before", 0},
    {"idle", OPT_IDLE, "DURATION", 0,
     "unattended: a lead or deal untouched this long is due (default 7d)", 0},
    {"currency", OPT_CURRENCY, "CODE", 0,
     "sources, leaderboard: money in this currency (default: that of most "
     "won deals)",
     0},
    {"costs", OPT_COSTS, "FILE", 0,
     "sources: costs per source and campaign (source, campaign, cost, "
     "currency), for the ROI",
     0},
    {0},
};

error_t crm_report_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_report_cli *o = cli->opts;

	switch (key) {
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_TO:
		o->to = arg;
		break;
	case OPT_BY:
		o->by = arg;
		break;
	case OPT_PERIOD:
		if (crm_period_parse(arg) < 0)
			argp_error(state,
				   "--period: expected day, week, month, "
				   "quarter or year, got '%s'",
				   arg);
		o->period = arg;
		break;
	case OPT_IDLE:
		if (crm_parse_duration(arg, &o->idle) < 0 || o->idle <= 0)
			argp_error(state,
				   "--idle: expected a duration like 7d or "
				   "48h, got '%s'",
				   arg);
		break;
	case OPT_CURRENCY:
		if (crm_money_exponent(arg) < 0)
			argp_error(state,
				   "--currency: expected an ISO 4217 code "
				   "like EUR, got '%s'",
				   arg);
		o->currency = arg;
		break;
	case OPT_COSTS:
		o->costs = arg;
		break;
	case OPT_COMPARE:
		if (crm_compare_parse(arg) < 0)
			argp_error(state,
				   "--compare: expected previous or year, got "
				   "'%s'",
				   arg);
		o->compare = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static bool numeric(const char *s, double *d)
{
	char *end;

	if (!s || !*s)
		return false;
	*d = strtod(s, &end);
	return !*end;
}

static const char *sort_field;
static bool sort_desc;

static int cmp_rows(const void *pa, const void *pb)
{
	const char *a = crm_rec_get(pa, sort_field);
	const char *b = crm_rec_get(pb, sort_field);
	double x, y;
	int c;

	if (!a || !b)
		c = !a && !b ? 0 : !a ? -1 : 1;
	else if (numeric(a, &x) && numeric(b, &y))
		c = x < y ? -1 : x > y;
	else
		c = strcmp(a, b);
	return sort_desc ? -c : c;
}

/* --sort [-]FIELD and --limit N on the result. */
static int order(struct crm_cli *cli, struct crm_report *r)
{
	if (cli->sort) {
		sort_desc = cli->sort[0] == '-';
		sort_field = cli->sort + sort_desc;
		if (crm_strv_find(&r->cols, sort_field) < 0)
			return crm_err_set(&cli->err, CRM_EX_USAGE,
					   "--sort: no column '%s' in this "
					   "report",
					   sort_field);
		/* a stable sort keeps the report's own order in ties */
		for (size_t i = 1; i < r->n; i++)
			for (size_t j = i; j > 0 && cmp_rows(&r->rows[j - 1],
							     &r->rows[j]) > 0;
			     j--) {
				struct crm_rec t = r->rows[j];
				r->rows[j] = r->rows[j - 1];
				r->rows[j - 1] = t;
			}
	}
	if (cli->limit >= 0)
		while (r->n > (size_t)cli->limit)
			crm_rec_release(&r->rows[--r->n]);
	return 0;
}

static size_t term_width(const struct crm_cli *cli)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	int64_t n;

	if (cli->out_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (c && crm_parse_int(c, &n) == 0 && n > 0 && n < 10000)
		return (size_t)n;
	return 80;
}

static void bars(struct crm_cli *cli, const struct crm_report *r,
		 struct crm_buf *out, bool colour)
{
	const char **labels = crm_xcalloc(r->n + 1, sizeof(*labels));
	const char **values = crm_xcalloc(r->n + 1, sizeof(*values));
	struct crm_buf *lab = crm_xcalloc(r->n + 1, sizeof(*lab));

	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->labels.n; k++) {
			const char *v =
			    crm_rec_get(&r->rows[i], r->labels.v[k]);
			if (k)
				crm_buf_adds(&lab[i], " / ");
			crm_buf_adds(&lab[i], v ? v : "(none)");
		}
		labels[i] = crm_buf_str(&lab[i]);
		values[i] = crm_rec_get(&r->rows[i], r->chart);
	}
	crm_buf_addf(out, "\n%s\n", r->chart);
	crm_chart_bars(out, labels, values, r->n, term_width(cli), colour);
	for (size_t i = 0; i < r->n; i++)
		crm_buf_release(&lab[i]);
	free(lab);
	free(labels);
	free(values);
}

static int write_out(struct crm_cli *cli, const struct crm_buf *b)
{
	if (b->len && fwrite(b->s, 1, b->len, stdout) != b->len)
		return crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				   strerror(errno));
	return 0;
}

static int output(struct crm_cli *cli, struct crm_report *r)
{
	enum crm_fmt f = crm_cli_format(cli);
	struct crm_strv cols = {0};
	struct crm_buf out = {0};
	struct crm_writer *w = NULL;
	int rc = -1;

	if (cli->fields) {
		crm_strv_split(&cols, cli->fields, ',');
		for (size_t i = 0; i < cols.n; i++)
			if (crm_strv_find(&r->cols, cols.v[i]) < 0) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--fields: no column '%s' in this "
					    "report",
					    cols.v[i]);
				goto out;
			}
		if (!cols.n) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--fields: no field given");
			goto out;
		}
	} else {
		for (size_t i = 0; i < r->cols.n; i++)
			crm_strv_push(&cols, r->cols.v[i]);
	}
	if (f == CRM_FMT_HTML) {
		crm_html_report(&out, r, &cols);
		rc = write_out(cli, &out);
		goto out;
	}
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < r->n; i++)
		if (crm_writer_write(w, &r->rows[i]) < 0)
			break;
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto out;
	}
	if (f == CRM_FMT_TABLE && r->chart && r->n) {
		bars(cli, r, &out, crm_cli_color(cli));
		if (write_out(cli, &out) < 0)
			goto out;
	}
	rc = 0;
out:
	crm_writer_free(w);
	crm_buf_release(&out);
	crm_strv_release(&cols);
	return rc;
}

int crm_verb_report(struct crm_cli *cli)
{
	const struct crm_report_spec *s = crm_report_spec(cli->verb->name);
	struct crm_report_cli *ro = cli->opts;
	struct crm_report_opts o = {0};
	struct crm_report r;
	int status = 0;

	crm_report_init(&r);
	if (!s) {
		crm_err_set(&cli->err, CRM_EX_SOFTWARE, "no report '%s'",
			    cli->verb->name);
		goto fail;
	}
	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "%s takes options, not '%s'", s->name,
			    cli->args.v[0]);
		goto fail;
	}
	if (crm_report_range(&o, ro->from, ro->to, cli->db->now, &cli->err) < 0)
		goto fail;
	o.period = ro->period ? crm_period_parse(ro->period) : 0;
	o.compare = ro->compare ? crm_compare_parse(ro->compare) : 0;
	o.by = ro->by;
	o.where = &cli->where;
	o.idle = ro->idle;
	o.currency = ro->currency;
	o.costs = ro->costs;
	if ((ro->idle && strcmp(s->name, "unattended")) ||
	    (ro->costs && !(s->flags & CRM_RS_COSTS)) ||
	    (ro->currency && !(s->flags & CRM_RS_CURRENCY))) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "%s takes no --%s",
			    s->name,
			    ro->idle	? "idle"
			    : ro->costs ? "costs"
					: "currency");
		goto fail;
	}
	if (crm_report_run(cli->db, s, &o, &r, &cli->err) < 0 ||
	    order(cli, &r) < 0 || output(cli, &r) < 0)
		goto fail;
	if (!strcmp(s->name, "unattended") && r.n)
		status = CRM_EX_FOUND;
	crm_report_release(&r);
	return status;
fail:
	crm_report_release(&r);
	return crm_cli_fail(cli);
}

/* UTF-8 on the terminal: the locale (LC_ALL, LC_CTYPE, LANG) says so. */
static bool utf8_locale(void)
{
	const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

/* The key figures as records: one per figure. */
static int dashboard_records(struct crm_cli *cli, const struct crm_dashboard *d)
{
	static const char *const names[] = {
	    "area", "figure",	"label",      "value",
	    "unit", "previous", "change_pct", "compared_with",
	};
	struct crm_strv cols = {0};
	struct crm_writer *w;
	struct crm_rec rec;
	int rc = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		crm_strv_push(&cols, names[i]);
	w = crm_cli_writer(cli, &cols);
	crm_rec_init(&rec);
	for (size_t i = 0; i < d->ntiles && rc == 0; i++) {
		const struct crm_dash_tile *t = &d->tiles[i];
		char pct[32];
		double p;
		bool has = crm_dashboard_change(t, &p);

		snprintf(pct, sizeof(pct), "%.1f", p);
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "area", t->area);
		crm_rec_adds(&rec, "figure", t->key);
		crm_rec_adds(&rec, "label", t->label);
		crm_rec_adds(&rec, "value", t->value);
		crm_rec_adds(&rec, "unit", t->unit);
		crm_rec_adds(&rec, "previous", t->prev);
		crm_rec_adds(&rec, "change_pct", has ? pct : NULL);
		crm_rec_adds(&rec, "compared_with", t->compared);
		if (crm_writer_write(w, &rec) < 0)
			rc = -1;
	}
	crm_rec_release(&rec);
	if (crm_writer_close(w) < 0 || rc < 0)
		rc = crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				 strerror(errno));
	crm_writer_free(w);
	crm_strv_release(&cols);
	return rc;
}

int crm_verb_dashboard(struct crm_cli *cli)
{
	struct crm_report_cli *ro = cli->opts;
	struct crm_report_opts ro2 = {0};
	struct crm_dash_opts o = {0};
	struct crm_dashboard d = {0};
	struct crm_buf out = {0};
	enum crm_fmt f = crm_cli_format(cli);
	int rc = -1;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "dashboard takes options, not '%s'",
			    cli->args.v[0]);
		goto out;
	}
	if (ro->idle || ro->costs || ro->compare || cli->where.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "dashboard takes no --%s",
			    ro->idle	  ? "idle"
			    : ro->costs	  ? "costs"
			    : ro->compare ? "compare"
					  : "where");
		goto out;
	}
	if (crm_report_range(&ro2, ro->from, ro->to, cli->db->now, &cli->err) <
	    0)
		goto out;
	o.from = ro2.from;
	o.to = ro2.to;
	o.has_from = ro2.has_from;
	o.period = ro->period ? crm_period_parse(ro->period) : 0;
	o.by = ro->by;
	o.currency = ro->currency;
	if (crm_dashboard_run(cli->db, &o, &d, &cli->err) < 0)
		goto out;
	if (f == CRM_FMT_HTML)
		crm_dashboard_html(&out, &d);
	else if (f == CRM_FMT_TABLE)
		crm_dashboard_text(&out, &d, term_width(cli), utf8_locale(),
				   crm_cli_color(cli));
	else {
		rc = dashboard_records(cli, &d);
		goto out;
	}
	rc = write_out(cli, &out);
out:
	crm_buf_release(&out);
	crm_dashboard_release(&d);
	return rc < 0 ? crm_cli_fail(cli) : 0;
}
