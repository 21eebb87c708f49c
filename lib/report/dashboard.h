/* dashboard.h - the manager's dashboard: key figures with their change
 * against the previous period, trends, the funnel, leaderboards and
 * service levels, every number taken from a report (report_specs.c) run
 * through crm_report_run, the same code path as crm-report's records. */
#ifndef CRM_DASHBOARD_H
#define CRM_DASHBOARD_H

#include <stdbool.h>

#include "report.h"

#define CRM_DASH_TILES 9
#define CRM_DASH_SPARK 12 /* periods in trends and sparklines */

struct crm_dash_opts {
	crm_time from, to;	/* the window [from, to) */
	bool has_from;		/* false: the current period up to --to */
	enum crm_period period; /* 0: month */
	const char *by;		/* leaderboards and multiples (NULL: owner) */
	const char *currency;	/* NULL: that of most won deals */
};

/* One key figure: its value and its value in the comparison window
 * (as text, as the report printed them; NULL: none). */
struct crm_dash_tile {
	const char *area, *key, *label, *report, *column;
	const char *unit; /* "%", "days", "count" or the currency */
	char *value, *prev;
	char *compared;	   /* the comparison window, named */
	bool lower_better; /* a fall is good news (cycle, breaches) */
	double spark[CRM_DASH_SPARK]; /* NAN: no value in that period */
	size_t nspark;
};

#define CRM_DASH_AHEAD 3 /* forecast periods past the trend window */
#define CRM_DASH_FC (CRM_DASH_SPARK + CRM_DASH_AHEAD)

/* The won-revenue forecast on the trend (crm-score forecast's code path:
 * revenue.c and ets.c), from the period now falls in up to
 * CRM_DASH_AHEAD periods past the window, with its 95% interval. */
struct crm_dash_forecast {
	size_t n; /* 0: none, note says why */
	char label[CRM_DASH_FC][16];
	double f[CRM_DASH_FC], lo[CRM_DASH_FC], hi[CRM_DASH_FC];
	char note[512]; /* the method and its backtest, or why none */
};

struct crm_dashboard {
	crm_time from, to, pfrom, pto, tfrom;
	enum crm_period period;
	char *cur; /* the money currency (NULL: no won deals) */
	const char *by;
	struct crm_dash_tile tiles[CRM_DASH_TILES];
	size_t ntiles;
	struct crm_report won, winrate, opened, solved, funnel, stages, ages,
	    leaders, sla, replies;
	struct crm_dash_forecast fc;
};

/* Run every report the dashboard shows into d (zeroed by the caller;
 * release it in any case). Returns 0 or -1 with err. */
int crm_dashboard_run(struct crm_db *db, const struct crm_dash_opts *o,
		      struct crm_dashboard *d, struct crm_err *err);
void crm_dashboard_release(struct crm_dashboard *d);

/* The change from prev to value in percent into *pct; false when either
 * is not a number or prev is 0. */
bool crm_dashboard_change(const struct crm_dash_tile *t, double *pct);

/* One self-contained HTML page (inline CSS and SVG, no scripts). */
void crm_dashboard_html(struct crm_buf *out, const struct crm_dashboard *d);

/* The key figures for a terminal width columns wide, with sparklines in
 * Unicode blocks (utf8) or ASCII, changes in colour when colour. */
void crm_dashboard_text(struct crm_buf *out, const struct crm_dashboard *d,
			size_t width, bool utf8, bool colour);

#endif
