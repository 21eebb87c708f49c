/* report.h - the report framework: common options (--from, --to,
 * --period, --by, --where, --compare), period buckets computed in SQL,
 * results as records, and the reports themselves (lib/report/report_specs.c).
 */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "entity.h"
#include "record.h"
#include "util.h"

enum crm_period {
	CRM_PERIOD_NONE = 0,
	CRM_PERIOD_DAY,
	CRM_PERIOD_WEEK, /* ISO 8601: Monday to Sunday, labelled 2026-W47 */
	CRM_PERIOD_MONTH,
	CRM_PERIOD_QUARTER,
	CRM_PERIOD_YEAR,
};

/* The most periods a report's range may have (crm-report(1)); past it
 * the report fails with CRM_EX_USAGE. */
#define CRM_REPORT_PERIODS_MAX 10000

enum crm_compare {
	CRM_COMPARE_NONE = 0,
	CRM_COMPARE_PREVIOUS, /* the span of the same length just before */
	CRM_COMPARE_YEAR,     /* the same dates a year before */
};

/* "month" -> CRM_PERIOD_MONTH ...; -1 when unknown. */
int crm_period_parse(const char *s);
/* "previous" -> CRM_COMPARE_PREVIOUS ...; -1 when unknown. */
int crm_compare_parse(const char *s);

/* The options every report takes. Strings are borrowed. */
struct crm_report_opts {
	crm_time from, to; /* [from, to); has_from false: from the start */
	bool has_from, has_to;
	enum crm_period period;
	const char *by;		      /* group by this field, or NULL */
	const struct crm_strv *where; /* --where, on the report's records */
	enum crm_compare compare;
	int64_t idle;	      /* unattended: seconds idle (0: 7 days) */
	const char *currency; /* money in one currency (NULL: the most
				 common among won deals) */
	const char *costs;    /* sources: the costs file, or NULL */
};

/* Parse --from and --to (any form crm_datetime_parse takes; a date alone
 * as --to includes that whole day; --to defaults to now) into o. Returns
 * 0, or -1 with CRM_EX_USAGE. */
int crm_report_range(struct crm_report_opts *o, const char *from,
		     const char *to, crm_time now, struct crm_err *err);

/* How a measure behaves in empty periods and comparisons. */
enum crm_measure_kind {
	CRM_M_COUNT, /* 0 in an empty period; compared: _prev, _change_pct */
	CRM_M_VALUE, /* null in an empty period; compared: _prev, _change_pct */
	CRM_M_RATE,  /* a percentage, null when its denominator is 0: _prev */
	CRM_M_TEXT,  /* not compared */
};

/* One output column: a fixed SQL aggregate over the report's base rows. */
struct crm_measure {
	const char *name;
	const char *sql;
	enum crm_measure_kind kind;
};

/* How a report treats the range (crm_report_spec.flags). */
enum {
	/* a state as of --to (default now): only --to bounds the rows;
	 * --from only sets the span --compare looks back from, and the
	 * comparison is the state as of --from; no --period */
	CRM_RS_ASOF = 1 << 0,
	/* money columns in one currency: --currency, else the currency of
	 * most won deals (params_.cur_) */
	CRM_RS_CURRENCY = 1 << 1,
	/* uses temp.crm_report_costs (--costs FILE) */
	CRM_RS_COSTS = 1 << 2,
	/* one span: no --period */
	CRM_RS_SPAN = 1 << 3,
	/* PostgreSQL: the groups of the range's rows are read by index
	 * probes where that is cheaper: index reads priced as for pages in
	 * memory (random_page_cost 1.1, not 4), so that a narrow range
	 * probes the indexes by id and a wide one still scans; with --from,
	 * no merge join (report.c run_one; #25) */
	CRM_RS_PROBE = 1 << 4,
};

/* A report over one table: what it counts and how it is grouped. All SQL
 * here is fixed text; the framework adds bound parameters only. Every
 * statement starts with the CTE params_(now_, from_, to_, idle_, cur_, by_)
 * (from_ null without --from; idle_ in seconds; by_ the --by field), which a
 * derived table or sql may read. */
struct crm_report_spec {
	const char *name;   /* "activities" */
	const char *title;  /* "Activities" */
	const char *table;  /* base table, or a derived table "(SELECT ...) AS
			       name" */
	const char *entity; /* entity whose fields --where and --by name */
	const char *time;   /* column --from, --to and --period apply to;
			       NULL: the table applies the range itself
			       (params_) and --period is refused */
	const char *filter; /* fixed condition on base rows, or NULL; it
			       may use now_, the current time */
	const char *by;	    /* default --by field, or NULL */
	const char *keys;   /* a further grouping column always used
			       (currency), or NULL */
	/* a measure's crm_grouped_(field) is the field where the query
	 * groups by it, else max(field) */
	const struct crm_measure *measures;
	size_t nmeasures;
	const char *order; /* ORDER BY without periods (fixed), or NULL */
	const char *chart; /* the measure the bar chart shows */
	unsigned flags;	   /* CRM_RS_* */
	/* a whole fixed query instead (after the params_ CTE, so it
	 * starts with ", name AS (...)" or " SELECT"); --by, --period,
	 * --where and --compare are refused */
	const char *sql;
	const char *labels; /* with sql: the columns labelling a row */
	/* columns computed once per base row ("expr AS name_"), for
	 * measures that read a value several times (an age: each reference
	 * of an expression is evaluated anew, #25), or NULL */
	const char *row;
	/* SQLite without --from: the table for the whole history, where
	 * table's range would only probe its rows one by one; NULL: table */
	const char *whole;
};

/* A report's result: columns and rows (records), ready for any writer. */
struct crm_report {
	const char *name, *title;
	struct crm_strv cols;
	struct crm_rec *rows;
	size_t n, cap;
	struct crm_strv labels; /* columns that label a row in charts */
	char *chart;		/* column charted, or NULL */
	char *subtitle;		/* the range and grouping, for html */
};

void crm_report_init(struct crm_report *r);
void crm_report_release(struct crm_report *r);
/* Append a row (copied). */
void crm_report_add(struct crm_report *r, const struct crm_rec *row);

/* Run spec with o into r (initialised by the caller; release it in any
 * case). --compare without --from and a bad --by or --where are
 * CRM_EX_USAGE. Returns 0 or -1 with err. */
int crm_report_run(struct crm_db *db, const struct crm_report_spec *spec,
		   const struct crm_report_opts *o, struct crm_report *r,
		   struct crm_err *err);

/* Append the rows of the statement st (already bound) to r, the column
 * names first when r has none: integers and reals as JSON numbers, text
 * as strings, NULL as null. Returns 0 or -1. */
int crm_report_fetch(struct crm_db *db, struct crm_stmt *st,
		     struct crm_report *r, struct crm_err *err);

/* Merge comparison results cmp into r: rows matched by their key columns
 * (keys, nkeys; a "period" key is matched by its position in its group),
 * and per measure NAME_prev (and NAME_change_pct for counts and values:
 * the change in percent, null when the previous value is 0 or null). */
void crm_report_merge_compare(struct crm_report *r,
			      const struct crm_report *cmp,
			      const char *const *keys, size_t nkeys,
			      const struct crm_measure *m, size_t nm);

/* The comparison window for o: [from, to) shifted back by its own length
 * (previous) or by a calendar year (year). */
void crm_report_compare_range(const struct crm_report_opts *o, crm_time *from,
			      crm_time *to);

/* Percentile p (0-100) of n sorted values, nearest rank (the smallest
 * value with at least p% of the values at or below it); the median (p 50)
 * is the mean of the two middle values when n is even. n must be > 0. */
double crm_percentile(const double *sorted, size_t n, double p);

/* Register the SQL functions crm_money(minor, currency) (the decimal
 * string of an amount) and the aggregate crm_percentile(x, p) (exact, as
 * crm_percentile) on db; on PostgreSQL migration 1 creates them (and
 * crm_period_n) in SQL (lib/store/schema.c). Returns 0 or -1. */
int crm_report_sql_functions(struct crm_db *db, struct crm_err *err);

/* The SQL expression for the start date ('YYYY-MM-DD') of the period of
 * time expression x (fixed text appended to sql), and for the label of a
 * period starting at date expression s ("2026-11-22", "2026-W47",
 * "2026-11", "2026-Q4", "2026"). */
void crm_period_start_sql(const struct crm_db *db, enum crm_period p,
			  const char *x, struct crm_buf *sql);
void crm_period_label_sql(const struct crm_db *db, enum crm_period p,
			  const char *s, struct crm_buf *sql);

/* Load the costs file path (any record format: source, campaign, cost,
 * currency; cost a decimal in currency) into temp.crm_report_costs
 * (created empty when path is NULL). A bad row is CRM_EX_DATAERR naming
 * path, line and field; a missing file CRM_EX_NOINPUT. Returns 0 or -1. */
int crm_report_load_costs(struct crm_db *db, const char *path,
			  struct crm_err *err);

/* The currency of most won deals (ties: the first by code) into *cur
 * (the caller's to free; NULL when there are none). Returns 0 or -1. */
int crm_report_currency(struct crm_db *db, char **cur, struct crm_err *err);

/* Every report, by name (lib/report/report_specs.c): the spec, or NULL. */
const struct crm_report_spec *crm_report_spec(const char *name);

#endif
