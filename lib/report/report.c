/* report.c - the report framework: ranges, periods bucketed in SQL (with
 * empty periods filled in by a recursive CTE), grouping by any field,
 * comparisons, and results as records. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "filter.h"
#include "money.h"
#include "report.h"

static const char *const period_names[] = {
    [CRM_PERIOD_NONE] = "none",	      [CRM_PERIOD_DAY] = "day",
    [CRM_PERIOD_WEEK] = "week",	      [CRM_PERIOD_MONTH] = "month",
    [CRM_PERIOD_QUARTER] = "quarter", [CRM_PERIOD_YEAR] = "year",
};

int crm_period_parse(const char *s)
{
	for (size_t i = 1; i < sizeof(period_names) / sizeof(*period_names);
	     i++)
		if (!strcmp(s, period_names[i]))
			return (int)i;
	return -1;
}

int crm_compare_parse(const char *s)
{
	if (!strcmp(s, "previous"))
		return CRM_COMPARE_PREVIOUS;
	if (!strcmp(s, "year"))
		return CRM_COMPARE_YEAR;
	return -1;
}

int crm_report_range(struct crm_report_opts *o, const char *from,
		     const char *to, crm_time now, struct crm_err *err)
{
	struct crm_err e2 = {0};

	o->has_from = o->has_to = false;
	o->to = now + 1; /* up to and including now */
	if (from) {
		if (crm_datetime_parse(from, &o->from, &e2) < 0)
			return crm_err_set(err, CRM_EX_USAGE, "--from: %s",
					   e2.msg);
		o->has_from = true;
	}
	if (to) {
		if (crm_datetime_parse(to, &o->to, &e2) < 0)
			return crm_err_set(err, CRM_EX_USAGE, "--to: %s",
					   e2.msg);
		if (strlen(to) == 10) /* a date: the whole day */
			o->to += 86400;
		o->has_to = true;
	}
	if (o->has_from && o->from >= o->to)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--from must be before --to");
	return 0;
}

void crm_report_init(struct crm_report *r)
{
	memset(r, 0, sizeof(*r));
}

void crm_report_release(struct crm_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		crm_rec_release(&r->rows[i]);
	free(r->rows);
	crm_strv_release(&r->cols);
	crm_strv_release(&r->labels);
	free(r->chart);
	free(r->subtitle);
	memset(r, 0, sizeof(*r));
}

void crm_report_add(struct crm_report *r, const struct crm_rec *row)
{
	r->rows = crm_xgrow(r->rows, &r->cap, r->n + 1, sizeof(*r->rows));
	crm_rec_init(&r->rows[r->n]);
	crm_rec_copy(&r->rows[r->n], row);
	r->n++;
}

/* What crm_period_n raises past CRM_REPORT_PERIODS_MAX. */
#define TOO_MANY "crm: too many periods"

int crm_report_fetch(struct crm_db *db, struct crm_stmt *st,
		     struct crm_report *r, struct crm_err *err)
{
	int ncol = crm_stmt_ncols(st), rc;
	struct crm_rec rec;

	(void)db;
	/* PostgreSQL tells the columns with the first row */
	if (!r->cols.n && ncol)
		for (int i = 0; i < ncol; i++)
			crm_strv_push(&r->cols, crm_stmt_name(st, i));
	crm_rec_init(&rec);
	while ((rc = crm_stmt_step(st, err)) == 1) {
		if (!r->cols.n) {
			ncol = crm_stmt_ncols(st);
			for (int i = 0; i < ncol; i++)
				crm_strv_push(&r->cols, crm_stmt_name(st, i));
		}
		crm_rec_clear(&rec);
		for (int i = 0; i < ncol; i++) {
			/* the type first: reading the text may convert it */
			enum crm_col_type t = crm_stmt_type(st, i);
			const char *v = crm_stmt_text(st, i);

			crm_rec_add(&rec, r->cols.v[i], strlen(r->cols.v[i]), v,
				    v ? strlen(v) : 0,
				    t == CRM_COL_NULL ? CRM_NULL
				    : t == CRM_COL_INT || t == CRM_COL_REAL
					? CRM_RAW
					: CRM_STR);
		}
		crm_report_add(r, &rec);
	}
	crm_rec_release(&rec);
	/* no rows: PostgreSQL tells the columns at the end */
	if (rc == 0 && !r->cols.n)
		for (int i = 0; i < crm_stmt_ncols(st); i++)
			crm_strv_push(&r->cols, crm_stmt_name(st, i));
	if (rc < 0 && !strcmp(err->msg, "database: " TOO_MANY))
		return crm_err_set(err, CRM_EX_USAGE,
				   "more than %d periods: use a longer "
				   "--period or a shorter --from/--to range",
				   CRM_REPORT_PERIODS_MAX);
	/* the report's own words, as before the storage interface */
	if (rc < 0 && !strncmp(err->msg, "database: a sum of amounts", 26))
		return crm_money_overflow(err, "report");
	return rc < 0 ? -1 : 0;
}

/* Period arithmetic in SQL, from the storage dialect (crm_store_frag).
 * Dates are 'YYYY-MM-DD' text. */
void crm_period_start_sql(const struct crm_db *db, enum crm_period p,
			  const char *x, struct crm_buf *sql)
{
	static const enum crm_sql_frag f[] = {
	    [CRM_PERIOD_WEEK] = CRM_SQL_WEEK_START,
	    [CRM_PERIOD_MONTH] = CRM_SQL_MONTH_START,
	    [CRM_PERIOD_QUARTER] = CRM_SQL_QUARTER_START,
	    [CRM_PERIOD_YEAR] = CRM_SQL_YEAR_START,
	};
	enum crm_sql_frag k = CRM_SQL_DATE;

	if (p > 0 && (size_t)p < sizeof(f) / sizeof(*f) && f[p])
		k = f[p];
	crm_store_frag(db->store, sql, k, x, NULL);
}

void crm_period_label_sql(const struct crm_db *db, enum crm_period p,
			  const char *s, struct crm_buf *sql)
{
	switch (p) {
	case CRM_PERIOD_WEEK: /* the ISO year and week of its Thursday */
		crm_store_frag(db->store, sql, CRM_SQL_ISO_WEEK, s, NULL);
		break;
	case CRM_PERIOD_MONTH:
		crm_buf_addf(sql, "substr(%s, 1, 7)", s);
		break;
	case CRM_PERIOD_QUARTER:
		crm_buf_addf(sql,
			     "substr(%s, 1, 4) || '-Q' || ((CAST(substr(%s, "
			     "6, 2) AS INTEGER) + 2) / 3)",
			     s, s);
		break;
	case CRM_PERIOD_YEAR:
		crm_buf_addf(sql, "substr(%s, 1, 4)", s);
		break;
	default:
		crm_buf_adds(sql, s);
	}
}

static const char *period_step(enum crm_period p)
{
	switch (p) {
	case CRM_PERIOD_WEEK:
		return "'+7 days'";
	case CRM_PERIOD_MONTH:
		return "'+1 month'";
	case CRM_PERIOD_QUARTER:
		return "'+3 months'";
	case CRM_PERIOD_YEAR:
		return "'+1 year'";
	default:
		return "'+1 day'";
	}
}

/* The SQL expression of field name of entity e, for --by. Field names
 * come from the entity; a custom field is the dialect's JSON field with
 * its name bound. */
static int by_expr(struct crm_db *db, const struct crm_report_spec *s,
		   const struct crm_entity *e, const char *name,
		   struct crm_buf *sql, struct crm_binds *b,
		   struct crm_err *err)
{
	long i = e ? crm_entity_field(e, name) : -1;
	int known;

	if (!e && s->by && !strcmp(name, s->by)) {
		/* a column of the report's own derived table */
		crm_buf_adds(sql, s->by);
		return 0;
	}
	if (i >= 0 && !(e->fields[i].flags & CRM_FF_HIDDEN)) {
		crm_buf_adds(sql, e->fields[i].name);
		return 0;
	}
	if (e && !strcmp(name, "tier") &&
	    crm_entity_field(e, "company_id") >= 0) {
		/* the tier of the record's account (crm-company tier) */
		crm_buf_adds(sql, "(SELECT c_.tier FROM companies c_ WHERE "
				  "c_.id = company_id)");
		return 0;
	}
	if (!e || !*name || strchr(name, '"') || strchr(name, '\\'))
		return crm_err_set(err, CRM_EX_USAGE,
				   "--by: cannot group by '%s'", name);
	known = crm_custom_known(db, e, name, err);
	if (known < 0)
		return -1;
	if (!known)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--by: unknown %s field '%s'", e->name,
				   name);
	crm_store_frag(db->store, sql, CRM_SQL_JSON_FIELD, "custom", "?");
	crm_binds_push(b, name, 't');
	return 0;
}

/* The CTE every statement starts with: the report's parameters, for
 * derived tables and whole queries to read. */
static void params_sql(struct crm_db *db, const struct crm_report_spec *s,
		       const struct crm_report_opts *o, struct crm_buf *sql,
		       struct crm_binds *b)
{
	const char *by = o->by ? (*o->by ? o->by : NULL) : s->by;
	char t[CRM_TIME_LEN], n[32];

	/* PostgreSQL: inlined, not materialized, so that the planner sees the
	 * bound range in the subqueries that read it (service's replies of
	 * the range's tickets: a hash join, not an index probe per ticket,
	 * 0.6 s -> 0.3 s at 30,000 tickets; #25) */
	crm_buf_addf(
	    sql,
	    "WITH RECURSIVE params_(now_, from_, to_, idle_, cur_, by_) "
	    "AS %s(SELECT ?, ?, ?, ?, ?, ?)",
	    crm_store_engine(db->store) == CRM_STORE_PG ? "NOT MATERIALIZED "
							: "");
	crm_binds_push(b, crm_datetime_format(db->now, t), 't');
	if (o->has_from)
		crm_binds_push(b, crm_datetime_format(o->from, t), 't');
	else
		crm_binds_push(b, "", 'n');
	crm_binds_push(b, crm_datetime_format(o->to, t), 't');
	snprintf(n, sizeof(n), "%lld",
		 (long long)(o->idle > 0 ? o->idle : 7 * 86400));
	crm_binds_push(b, n, 'i');
	crm_binds_push(b, o->currency ? o->currency : "",
		       o->currency ? 't' : 'n');
	crm_binds_push(b, by ? by : "", by ? 't' : 'n');
}

/* The base rows: (SELECT *, now AS now_ FROM table WHERE range, filter,
 * --where). */
static int base_sql(struct crm_db *db, const struct crm_report_spec *s,
		    const struct crm_entity *e, const struct crm_report_opts *o,
		    struct crm_buf *sql, struct crm_binds *b,
		    struct crm_err *err)
{
	char t[CRM_TIME_LEN];
	/* A state as of now (--to past now) is the table itself: the derived
	 * table's CASEs pick its columns then, but they hide them from the
	 * planner (no index on the filter, every row's CASE inputs through
	 * the GROUP BY's sort: the pipeline report was 1.5x the plain SQL).
	 * The columns and rows are the same. */
	const char *table = (s->flags & CRM_RS_ASOF) && e && o->to > db->now
				? e->table
				: s->table;
	/* SQLite without --from: the range up to --to is most of the table,
	 * which is read whole (below, and s->whole) */
	bool whole =
	    !o->has_from && crm_store_engine(db->store) == CRM_STORE_SQLITE;

	if (whole && s->whole)
		table = s->whole;

	/* the row's columns over the rows, which may read now_ */
	if (s->row)
		crm_buf_addf(sql, "(SELECT *, %s FROM ", s->row);
	crm_buf_addf(sql, "(SELECT *, ? AS now_ FROM %s WHERE ", table);
	crm_binds_push(b, crm_datetime_format(db->now, t), 't');
	if (!s->time) {
		crm_buf_adds(sql, "1");
	} else {
		/* whole: an index on the time (tickets_created) would read
		 * the table a page per row in time order; the unary + keeps
		 * the index out (3M tickets: sla 36 -> 18 s, tickets 23 -> 7
		 * s, where the cost per ticket rose 1.6x from 1M; #25). The
		 * planner cannot see that: it knows --to only as a bound
		 * parameter. */
		crm_buf_addf(sql, "%s%s < ?", whole ? "+" : "", s->time);
		crm_binds_push(b, crm_datetime_format(o->to, t), 't');
	}
	if (o->has_from && s->time && !(s->flags & CRM_RS_ASOF)) {
		crm_buf_addf(sql, " AND %s >= ?", s->time);
		crm_binds_push(b, crm_datetime_format(o->from, t), 't');
	}
	if (s->filter)
		crm_buf_addf(sql, " AND (%s)", s->filter);
	if (o->where && o->where->n) {
		if (!e)
			return crm_err_set(err, CRM_EX_USAGE,
					   "--where: this report has no "
					   "fields to filter on");
		if (crm_filter_where(db, e, o->where, sql, b, err) < 0)
			return -1;
	}
	/* PostgreSQL: not flattened (OFFSET 0), or the row's columns are
	 * expanded into each measure that reads them, each julianday() a SQL
	 * function parsing text. SQLite's julianday() is C, and its
	 * co-routine would copy every column of the row (funnel 3.4 -> 3.8 s
	 * of CPU at 1M leads): flattened there, as before. */
	if (s->row)
		crm_buf_adds(sql, crm_store_engine(db->store) == CRM_STORE_PG
				      ? ") AS row_ OFFSET 0"
				      : ") AS row_");
	crm_buf_adds(sql, ") AS base_");
	return 0;
}

/* The measures, each crm_grouped_(name) in them as name when the query
 * groups by that column (grouped), else as max(name): a value of the
 * group either way, but an aggregate a row is computed once a row for
 * (sources' costs: max(source), max(campaign) were 15% of its time on
 * PostgreSQL at 1M leads, #25). */
static void measures_sql(const struct crm_report_spec *s,
			 const struct crm_strv *grouped, struct crm_buf *sql)
{
	static const char mark[] = "crm_grouped_(";

	for (size_t i = 0; i < s->nmeasures; i++) {
		const char *m = s->measures[i].sql, *p, *e;

		crm_buf_adds(sql, ", ");
		while ((p = strstr(m, mark)) && (e = strchr(p, ')'))) {
			const char *name = p + sizeof(mark) - 1;
			int n = (int)(e - name);
			bool g = false;

			for (size_t k = 0; k < grouped->n && !g; k++)
				g = strlen(grouped->v[k]) == (size_t)n &&
				    !strncmp(grouped->v[k], name, (size_t)n);
			crm_buf_add(sql, m, (size_t)(p - m));
			crm_buf_addf(sql, g ? "%.*s" : "max(%.*s)", n, name);
			m = e + 1;
		}
		crm_buf_addf(sql, "%s AS %s", m, s->measures[i].name);
	}
}

/* by_expr, noting name in grouped when it wrote the column itself. */
static int group_expr(struct crm_db *db, const struct crm_report_spec *s,
		      const struct crm_entity *e, const char *name,
		      struct crm_buf *sql, struct crm_binds *b,
		      struct crm_strv *grouped, struct crm_err *err)
{
	size_t at = sql->len;

	if (by_expr(db, s, e, name, sql, b, err) < 0)
		return -1;
	if (!strcmp(crm_buf_str(sql) + at, name))
		crm_strv_push(grouped, name);
	return 0;
}

/* Columns a --by or key group is named by in the output. */
static void group_name(struct crm_buf *sql, const char *name)
{
	crm_buf_adds(sql, "\"");
	crm_buf_adds(sql, name);
	crm_buf_adds(sql, "\"");
}

/* The --by fields: o->by split at commas ("owner,source"; --by '' is
 * none), else the report's default. A field named twice is an error. */
static int by_fields(const struct crm_report_spec *s,
		     const struct crm_report_opts *o, struct crm_strv *bys,
		     struct crm_err *err)
{
	const char *by = o->by ? o->by : s->by;

	if (!by || !*by)
		return 0;
	crm_strv_split(bys, by, ',');
	if (!bys->n || bys->n > 8)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--by '%s': expected one to eight fields",
				   by);
	for (size_t i = 0; i < bys->n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(bys->v[i], bys->v[j]))
				return crm_err_set(err, CRM_EX_USAGE,
						   "--by: '%s' given twice",
						   bys->v[i]);
	return 0;
}

static int build(struct crm_db *db, const struct crm_report_spec *s,
		 const struct crm_report_opts *o, struct crm_buf *sql,
		 struct crm_binds *b, struct crm_err *err)
{
	const struct crm_entity *e =
	    s->entity ? crm_entity_by_name(s->entity) : NULL;
	struct crm_strv bys = {0}, grouped = {0};
	struct crm_buf ps = {0}, step = {0}, last = {0};
	char t[CRM_TIME_LEN];
	int ngroup = 0, rc = -1;
	bool by;

	params_sql(db, s, o, sql, b);
	if (s->sql) {
		crm_buf_adds(sql, s->sql);
		rc = 0;
		goto out;
	}
	if (by_fields(s, o, &bys, err) < 0)
		goto out;
	by = bys.n > 0;
	if (!o->period) {
		crm_buf_adds(sql, " SELECT ");
		for (size_t i = 0; i < bys.n; i++) {
			if (i)
				crm_buf_adds(sql, ", ");
			if (group_expr(db, s, e, bys.v[i], sql, b, &grouped,
				       err) < 0)
				goto out;
			crm_buf_adds(sql, " AS ");
			group_name(sql, bys.v[i]);
			ngroup++;
		}
		if (s->keys) {
			crm_buf_addf(sql, "%s%s", ngroup ? ", " : "", s->keys);
			crm_strv_push(&grouped, s->keys);
			ngroup++;
		}
		if (!ngroup)
			crm_buf_adds(sql, "'all' AS total");
		measures_sql(s, &grouped, sql);
		crm_buf_adds(sql, " FROM ");
		if (base_sql(db, s, e, o, sql, b, err) < 0)
			goto out;
		for (int i = 0; i < ngroup; i++)
			crm_buf_addf(sql, "%s%d", i ? ", " : " GROUP BY ",
				     i + 1);
		crm_buf_addf(sql, " ORDER BY %s",
			     s->order ? s->order : "1 NULLS FIRST");
		/* then every group column: a total order with several --by */
		for (int i = 1; ngroup > 1 && i <= ngroup; i++)
			crm_buf_addf(sql, ", %d NULLS FIRST", i);
		rc = 0;
		goto out;
	}

	/* with periods: aggregate per period start, then join onto every
	 * period of the range (and every group) so empty ones show */
	crm_period_start_sql(db, o->period, s->time, &ps);
	crm_buf_addf(sql, ", agg AS (SELECT %s AS ps_", crm_buf_str(&ps));
	for (size_t i = 0; i < bys.n; i++) {
		crm_buf_adds(sql, ", ");
		if (group_expr(db, s, e, bys.v[i], sql, b, &grouped, err) < 0)
			goto out;
		crm_buf_addf(sql, " AS g1_%zu", i);
	}
	if (s->keys) {
		crm_buf_addf(sql, ", %s AS g2_", s->keys);
		crm_strv_push(&grouped, s->keys);
	}
	measures_sql(s, &grouped, sql);
	crm_buf_adds(sql, " FROM ");
	if (base_sql(db, s, e, o, sql, b, err) < 0)
		goto out;
	crm_buf_adds(sql, " GROUP BY 1");
	for (size_t i = 0; i < bys.n; i++)
		crm_buf_addf(sql, ", g1_%zu", i);
	crm_buf_addf(sql, "%s), ", s->keys ? ", g2_" : "");
	/* first and last period: of the range when given, else of the
	 * data */
	crm_buf_reset(&ps);
	crm_period_start_sql(db, o->period, "v", &ps);
	crm_store_frag(db->store, &step, CRM_SQL_DATE_ADD, "s",
		       period_step(o->period));
	crm_store_frag(db->store, &last, CRM_SQL_TIME_ADD, "?", "'-1 second'");
	crm_buf_addf(sql,
		     "p(s, n_) AS (SELECT coalesce((SELECT %s FROM (SELECT ? "
		     "AS v) AS v_), (SELECT min(ps_) FROM agg)), 1 UNION ALL "
		     "SELECT %s, crm_period_n(n_ + 1) FROM p WHERE %s <= "
		     "coalesce((SELECT %s FROM (SELECT %s AS v) AS v_ WHERE ? "
		     "<> 0), (SELECT max(ps_) FROM agg))), ",
		     crm_buf_str(&ps), crm_buf_str(&step), crm_buf_str(&step),
		     crm_buf_str(&ps), crm_buf_str(&last));
	if (o->has_from)
		crm_binds_push(b, crm_datetime_format(o->from, t), 't');
	else
		crm_binds_push(b, "", 'n');
	crm_binds_push(b, crm_datetime_format(o->to, t), 't');
	/* the range ends at --to when given or when it starts at --from;
	 * else at the last period with data */
	crm_binds_push(b, o->has_from || o->has_to ? "1" : "0", 'i');
	if (by || s->keys) {
		crm_buf_adds(sql, "g AS (SELECT DISTINCT ");
		for (size_t i = 0; i < bys.n; i++)
			crm_buf_addf(sql, "%sg1_%zu", i ? ", " : "", i);
		crm_buf_addf(sql, "%s%s FROM agg) ", by && s->keys ? ", " : "",
			     s->keys ? "g2_" : "");
	} else /* one group: every period shows, data or not */
		crm_buf_adds(sql, "g AS (SELECT 1 AS x_) ");
	crm_buf_adds(sql, "SELECT ");
	crm_period_label_sql(db, o->period, "p.s", sql);
	crm_buf_adds(sql, " AS period");
	for (size_t i = 0; i < bys.n; i++) {
		crm_buf_addf(sql, ", g.g1_%zu AS ", i);
		group_name(sql, bys.v[i]);
	}
	if (s->keys)
		crm_buf_addf(sql, ", g.g2_ AS %s", s->keys);
	for (size_t i = 0; i < s->nmeasures; i++) {
		const struct crm_measure *m = &s->measures[i];

		if (m->kind == CRM_M_COUNT)
			crm_buf_addf(sql, ", coalesce(agg.%s, 0) AS %s",
				     m->name, m->name);
		else
			crm_buf_addf(sql, ", agg.%s AS %s", m->name, m->name);
	}
	crm_buf_adds(sql,
		     " FROM p CROSS JOIN g LEFT JOIN agg ON agg.ps_ = p.s");
	for (size_t i = 0; i < bys.n; i++)
		crm_buf_addf(
		    sql, " AND agg.g1_%zu IS NOT DISTINCT FROM g.g1_%zu", i, i);
	if (s->keys)
		crm_buf_adds(sql, " AND agg.g2_ IS NOT DISTINCT FROM g.g2_");
	crm_buf_adds(sql, " WHERE p.s IS NOT NULL ORDER BY ");
	/* NULLS FIRST: SQLite's order, not PostgreSQL's */
	for (size_t i = 0; i < bys.n; i++)
		crm_buf_addf(sql, "g.g1_%zu NULLS FIRST, ", i);
	if (s->keys)
		crm_buf_adds(sql, "g.g2_ NULLS FIRST, ");
	crm_buf_adds(sql, "p.s");
	rc = 0;
out:
	crm_strv_release(&bys);
	crm_strv_release(&grouped);
	crm_buf_release(&ps);
	crm_buf_release(&step);
	crm_buf_release(&last);
	return rc;
}

static void bind_all(const struct crm_binds *b, struct crm_stmt *st)
{
	for (size_t i = 0; i < b->n; i++) {
		int k = (int)i + 1;

		if (b->v[i].type == 'n')
			crm_stmt_bind_null(st, k);
		else if (b->v[i].type == 'i')
			crm_stmt_bind_int(st, k, strtoll(b->v[i].s, NULL, 10));
		else if (b->v[i].type == 'r')
			crm_stmt_bind_double(st, k, strtod(b->v[i].s, NULL));
		else
			crm_stmt_bind_text(st, k, b->v[i].s);
	}
}

/* Money measures (crm_money(...)) come back from SQLite as text: mark
 * them numbers, so JSON has 12600.00 (exact, the currency's digits). */
static void money_raw(const struct crm_report_spec *s, struct crm_report *r,
		      size_t from)
{
	for (size_t j = 0; j < s->nmeasures; j++) {
		const struct crm_measure *m = &s->measures[j];

		if (strncmp(m->sql, "crm_money(", 10))
			continue;
		for (size_t i = from; i < r->n; i++) {
			long k = crm_rec_find(&r->rows[i], m->name);
			char buf[64];

			if (k < 0 ||
			    crm_rec_kind(&r->rows[i], (size_t)k) != CRM_STR ||
			    crm_rec_vlen(&r->rows[i], (size_t)k) >= sizeof(buf))
				continue;
			snprintf(buf, sizeof(buf), "%s",
				 crm_rec_val(&r->rows[i], (size_t)k));
			crm_rec_set(&r->rows[i], m->name, buf, CRM_RAW);
		}
	}
}

/* PostgreSQL: each crm_percentile(x, p) of the built SQL as the built-in
 * ordered-set percentile_disc over x (#25): one sort per group instead of
 * the SQL aggregate's array, which grows by a copy per row and calls a
 * SQL function per row (quadratic: 40 s for 24,000 values). The same
 * values as crm_percentile: p90 is the nearest rank ceil(p / 100 n) as
 * percentile_disc's; the median (p 50) averages the rank ceil(n / 2) and
 * the next one for an even n (the fraction just past one half picks rank
 * n / 2 + 1 for an even n, (n + 1) / 2 again for an odd n, below 5e11
 * values). The result is numeric, as crm_pct_final's. A call whose
 * arguments do not parse stays as it is. Returns a new string. */
static char *pg_percentiles(const char *s)
{
	static const char fn[] = "crm_percentile(";
	struct crm_buf out = {0};
	const char *p;

	while ((p = strstr(s, fn))) {
		const char *a = p + sizeof(fn) - 1, *e = a, *comma = NULL;
		const char *pc, *pe;
		int depth = 0, quoted = 0, xn;

		for (; *e; e++) {
			if (*e == '\'')
				quoted = !quoted;
			else if (quoted)
				continue;
			else if (*e == '(')
				depth++;
			else if (*e == ')' && depth-- == 0)
				break;
			else if (*e == ',' && !depth)
				comma = e;
		}
		if (!*e || !comma)
			break;
		for (pc = comma + 1; *pc == ' '; pc++)
			;
		for (pe = e; pe > pc && pe[-1] == ' '; pe--)
			;
		xn = (int)(comma - a);
		crm_buf_add(&out, s, (size_t)(p - s));
		if (pe - pc == 2 && !strncmp(pc, "50", 2))
			crm_buf_addf(
			    &out,
			    "CAST((percentile_disc(0.5) WITHIN GROUP "
			    "(ORDER BY CAST(%.*s AS double precision)) + "
			    "percentile_disc(0.500000000001) WITHIN "
			    "GROUP (ORDER BY CAST(%.*s AS double "
			    "precision))) / 2 AS numeric)",
			    xn, a, xn, a);
		else
			crm_buf_addf(
			    &out,
			    "CAST(percentile_disc(CAST(%.*s AS double "
			    "precision) / 100) WITHIN GROUP (ORDER BY "
			    "CAST(%.*s AS double precision)) AS numeric)",
			    (int)(pe - pc), pc, xn, a);
		s = e + 1;
	}
	crm_buf_adds(&out, s);
	return crm_buf_detach(&out);
}

static int run_one(struct crm_db *db, const struct crm_report_spec *s,
		   const struct crm_report_opts *o, struct crm_report *r,
		   struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds b = {0};
	struct crm_stmt *st = NULL;
	size_t from;
	bool probe;
	int rc = -1;

	if (build(db, s, o, &sql, &b, err) < 0)
		goto out;
	/* LIMIT -1 keeps SQLite from flattening a derived table into the
	 * aggregate; PostgreSQL's word for it is OFFSET 0 (as long) */
	if (crm_store_engine(db->store) == CRM_STORE_PG) {
		char *pct;

		for (char *p = sql.s; (p = strstr(p, " LIMIT -1")); p += 9)
			memcpy(p, " OFFSET 0", 9);
		pct = pg_percentiles(crm_buf_str(&sql));
		crm_buf_release(&sql);
		crm_buf_adds(&sql, pct);
		free(pct);
	}
	st = crm_db_stmt(db, crm_buf_str(&sql), err);
	if (!st)
		goto out;
	bind_all(&b, st);
	from = r->n;
	probe = (s->flags & CRM_RS_PROBE) &&
		crm_store_engine(db->store) == CRM_STORE_PG;
	/* A --from range's rows are scattered over the ids (tickets by
	 * created_at): a merge join along ticket_id reads every reply up to
	 * the range's highest id, and PostgreSQL prices it as stopping far
	 * earlier (December of 300,000 tickets: 477,880 replies read, 190
	 * ms; probed by ticket, 13,090 and 55 ms). The whole range keeps it:
	 * there the merge reads what a probe would. One string, so that
	 * both settings take or neither does. */
	if (probe && crm_db_exec(db,
				 o->has_from ? "SET random_page_cost = 1.1; "
					       "SET enable_mergejoin = off"
					     : "SET random_page_cost = 1.1",
				 err) < 0)
		goto out;
	rc = crm_report_fetch(db, st, r, err);
	if (rc == 0)
		money_raw(s, r, from);
	if (probe) {
		struct crm_err e2;

		/* (in a transaction the statement's failure aborted, the
		 * rollback undoes the SET: this RESET may fail then) */
		if (crm_db_exec(
			db, "RESET random_page_cost; RESET enable_mergejoin",
			&e2) < 0 &&
		    rc == 0) {
			*err = e2;
			rc = -1;
		}
	}
out:
	crm_stmt_finalize(st);
	crm_binds_release(&b);
	crm_buf_release(&sql);
	return rc;
}

void crm_report_compare_range(const struct crm_report_opts *o, crm_time *from,
			      crm_time *to)
{
	if (o->compare == CRM_COMPARE_PREVIOUS) {
		*to = o->from;
		*from = o->from - (o->to - o->from);
		return;
	}
	/* a year back, date by date; 29 February becomes the 28th */
	for (int k = 0; k < 2; k++) {
		crm_time t = k ? o->to : o->from;
		crm_time day = crm_datetime_day_start(t);
		int64_t y;
		unsigned m, d;

		crm_civil_from_days(day / 86400, &y, &m, &d);
		if (m == 2 && d == 29)
			d = 28;
		t = crm_days_from_civil(y - 1, m, d) * 86400 + (t - day);
		*(k ? to : from) = t;
	}
}

/* The key of row i of r: its key columns, a period replaced by its
 * position among the rows with the same other keys. */
static char *row_key(const struct crm_report *r, size_t i,
		     const char *const *keys, size_t nkeys)
{
	struct crm_buf k = {0};
	size_t pos = 0;
	bool period = false;

	for (size_t j = 0; j < nkeys; j++) {
		const char *v;

		if (!strcmp(keys[j], "period")) {
			period = true;
			continue;
		}
		v = crm_rec_get(&r->rows[i], keys[j]);
		crm_buf_adds(&k, v ? v : "\x01");
		crm_buf_addc(&k, '\x1f');
	}
	if (period) {
		/* rows come ordered by group then period */
		for (size_t p = i; p-- > 0;) {
			bool same = true;

			for (size_t j = 0; j < nkeys && same; j++) {
				const char *a, *b;

				if (!strcmp(keys[j], "period"))
					continue;
				a = crm_rec_get(&r->rows[i], keys[j]);
				b = crm_rec_get(&r->rows[p], keys[j]);
				same = (!a && !b) || (a && b && !strcmp(a, b));
			}
			if (!same)
				break;
			pos++;
		}
		crm_buf_addf(&k, "#%zu", pos);
	}
	return crm_buf_detach(&k);
}

void crm_report_merge_compare(struct crm_report *r,
			      const struct crm_report *cmp,
			      const char *const *keys, size_t nkeys,
			      const struct crm_measure *m, size_t nm)
{
	char **ck = crm_xcalloc(cmp->n ? cmp->n : 1, sizeof(*ck));
	struct crm_strv cols = {0};

	for (size_t i = 0; i < cmp->n; i++)
		ck[i] = row_key(cmp, i, keys, nkeys);
	for (size_t i = 0; i < r->cols.n; i++) {
		crm_strv_push(&cols, r->cols.v[i]);
		for (size_t j = 0; j < nm; j++) {
			char *c;

			if (strcmp(m[j].name, r->cols.v[i]) ||
			    m[j].kind == CRM_M_TEXT)
				continue;
			c = crm_xasprintf("%s_prev", m[j].name);
			crm_strv_push(&cols, c);
			free(c);
			if (m[j].kind == CRM_M_RATE)
				continue;
			c = crm_xasprintf("%s_change_pct", m[j].name);
			crm_strv_push(&cols, c);
			free(c);
		}
	}
	for (size_t i = 0; i < r->n; i++) {
		char *key = row_key(r, i, keys, nkeys);
		const struct crm_rec *prev = NULL;

		for (size_t j = 0; j < cmp->n && !prev; j++)
			if (!strcmp(key, ck[j]))
				prev = &cmp->rows[j];
		free(key);
		for (size_t j = 0; j < nm; j++) {
			const char *now, *was;
			char *c, buf[64];

			if (m[j].kind == CRM_M_TEXT ||
			    crm_rec_find(&r->rows[i], m[j].name) < 0)
				continue;
			now = crm_rec_get(&r->rows[i], m[j].name);
			was = prev ? crm_rec_get(prev, m[j].name) : NULL;
			if (!was && !prev && m[j].kind == CRM_M_COUNT)
				was = "0";
			c = crm_xasprintf("%s_prev", m[j].name);
			crm_rec_set(&r->rows[i], c, was, CRM_RAW);
			free(c);
			if (m[j].kind == CRM_M_RATE)
				continue;
			c = crm_xasprintf("%s_change_pct", m[j].name);
			if (now && was && strtod(was, NULL) != 0) {
				double ch =
				    100.0 *
				    (strtod(now, NULL) - strtod(was, NULL)) /
				    fabs(strtod(was, NULL));
				snprintf(buf, sizeof(buf), "%.1f",
					 round(ch * 10) / 10);
				crm_rec_set(&r->rows[i], c, buf, CRM_RAW);
			} else {
				crm_rec_set(&r->rows[i], c, NULL, CRM_NULL);
			}
			free(c);
		}
	}
	crm_strs_free(ck, cmp->n);
	crm_strv_release(&r->cols);
	r->cols = cols;
}

static void describe(const struct crm_report_spec *s,
		     const struct crm_report_opts *o, struct crm_report *r)
{
	struct crm_buf d = {0};
	char a[CRM_TIME_LEN], b[CRM_TIME_LEN];
	const char *by = o->by ? (*o->by ? o->by : NULL) : s->by;

	if (o->has_from)
		crm_buf_addf(
		    &d, "%s to %s", crm_datetime_format(o->from, a),
		    crm_datetime_format(o->has_to ? o->to : o->to - 1, b));
	else
		crm_buf_addf(
		    &d, "until %s",
		    crm_datetime_format(o->has_to ? o->to : o->to - 1, b));
	if (o->period)
		crm_buf_addf(&d, ", by %s", period_names[o->period]);
	if (by)
		crm_buf_addf(&d, ", per %s", by);
	if (o->compare)
		crm_buf_addf(&d, ", compared with the %s",
			     o->compare == CRM_COMPARE_YEAR
				 ? "year before"
				 : "previous period");
	r->subtitle = crm_buf_detach(&d);
}

int crm_report_run(struct crm_db *db, const struct crm_report_spec *s,
		   const struct crm_report_opts *o, struct crm_report *r,
		   struct crm_err *err)
{
	struct crm_strv bys = {0};
	const char *keys[12];
	size_t nkeys = 0;

	struct crm_report_opts oo = *o;
	char *cur = NULL;
	int rc0;

	if (crm_report_sql_functions(db, err) < 0)
		return -1;
	r->name = s->name;
	r->title = s->title;
	if (s->sql &&
	    (o->by || o->period || o->compare || (o->where && o->where->n)))
		return crm_err_set(err, CRM_EX_USAGE,
				   "%s takes no --by, --period, --where or "
				   "--compare",
				   s->name);
	if (o->period && (!s->time || s->flags & (CRM_RS_ASOF | CRM_RS_SPAN)))
		return crm_err_set(err, CRM_EX_USAGE,
				   "%s is %s: it takes no --period", s->name,
				   s->flags & CRM_RS_ASOF ? "a state at --to"
							  : "one span");
	if (o->compare && !o->has_from)
		return crm_err_set(err, CRM_EX_USAGE,
				   "--compare needs --from (the span to "
				   "compare)");
	if (s->flags & CRM_RS_CURRENCY && !o->currency) {
		if (crm_report_currency(db, &cur, err) < 0)
			return -1;
		oo.currency = cur;
	}
	if (s->flags & CRM_RS_COSTS &&
	    crm_report_load_costs(db, o->costs, err) < 0)
		goto fail;
	o = &oo;
	if (run_one(db, s, o, r, err) < 0)
		goto fail;
	if (o->period)
		keys[nkeys++] = "period";
	if (!s->sql && by_fields(s, o, &bys, err) < 0)
		goto fail;
	for (size_t i = 0; i < bys.n; i++)
		keys[nkeys++] = bys.v[i];
	if (s->keys && !s->sql)
		keys[nkeys++] = s->keys;
	if (s->sql && s->labels)
		crm_strv_split(&r->labels, s->labels, ',');
	for (size_t i = 0; i < nkeys; i++)
		crm_strv_push(&r->labels, keys[i]);
	if (!r->labels.n)
		crm_strv_push(&r->labels, "total");
	r->chart = s->chart ? crm_xstrdup(s->chart) : NULL;
	describe(s, o, r);
	rc0 = 0;
	if (o->compare) {
		struct crm_report_opts co = *o;
		struct crm_report cmp;
		int rc;

		crm_report_compare_range(o, &co.from, &co.to);
		co.compare = CRM_COMPARE_NONE;
		co.has_to = true;
		crm_report_init(&cmp);
		rc = run_one(db, s, &co, &cmp, err);
		if (rc == 0)
			crm_report_merge_compare(r, &cmp, keys, nkeys,
						 s->measures, s->nmeasures);
		crm_report_release(&cmp);
		if (rc < 0)
			rc0 = -1;
	}
	crm_strv_release(&bys);
	free(cur);
	return rc0;
fail:
	crm_strv_release(&bys);
	free(cur);
	return -1;
}

int crm_report_currency(struct crm_db *db, char **cur, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT currency FROM deals WHERE status = 'won' AND currency IS "
	    "NOT NULL GROUP BY currency ORDER BY count(*) DESC, currency "
	    "LIMIT 1",
	    err);
	int rc;

	*cur = NULL;
	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc == 1)
		*cur = crm_xstrdup(crm_stmt_text(st, 0));
	crm_stmt_finalize(st);
	return rc < 0 ? -1 : 0;
}

int crm_report_load_costs(struct crm_db *db, const char *path,
			  struct crm_err *err)
{
	struct crm_reader *rd = NULL;
	struct crm_stmt *st = NULL;
	struct crm_rec rec;
	FILE *fp = NULL;
	int rc = -1, k;

	crm_rec_init(&rec);
	if (crm_db_exec(
		db,
		"CREATE TEMP TABLE IF NOT EXISTS crm_report_costs ("
		"cost_source TEXT, cost_campaign TEXT, cost INTEGER NOT NULL, "
		"currency TEXT NOT NULL); DELETE FROM "
		"crm_report_costs",
		err) < 0)
		return -1;
	if (!path)
		return 0;
	fp = fopen(path, "r");
	if (!fp)
		return crm_err_set(err, CRM_EX_NOINPUT, "cannot open '%s': %s",
				   path, strerror(errno));
	rd = crm_reader_open(fp, path, CRM_FMT_AUTO, err);
	st = rd ? crm_db_stmt(
		      db,
		      "INSERT INTO crm_report_costs (cost_source, "
		      "cost_campaign, cost, currency) VALUES (?, ?, ?, ?)",
		      err)
		: NULL;
	if (!st)
		goto out;
	while ((k = crm_reader_next(rd, &rec, err)) == 1) {
		const char *cost = crm_rec_get(&rec, "cost");
		const char *cur = crm_rec_get(&rec, "currency");
		int64_t minor;

		if (!cost || !cur ||
		    crm_money_parse(cost, cur, &minor, err) < 0) {
			if (!cost || !cur)
				crm_err_set(err, CRM_EX_DATAERR,
					    "needs a value");
			snprintf(err->file, sizeof(err->file), "%s", path);
			snprintf(err->field, sizeof(err->field), "%s",
				 !cur || crm_money_exponent(cur) < 0
				     ? "currency"
				     : "cost");
			err->line = rec.line;
			goto out;
		}
		crm_stmt_reset(st);
		crm_stmt_bind_text(st, 1, crm_rec_get(&rec, "source"));
		crm_stmt_bind_text(st, 2, crm_rec_get(&rec, "campaign"));
		crm_stmt_bind_int(st, 3, minor);
		crm_stmt_bind_text(st, 4, cur);
		if (crm_stmt_step(st, err) < 0)
			goto out;
	}
	if (k == 0)
		rc = 0;
out:
	crm_stmt_finalize(st);
	crm_reader_free(rd);
	crm_rec_release(&rec);
	if (fp)
		fclose(fp);
	return rc;
}

double crm_percentile(const double *v, size_t n, double p)
{
	size_t k;

	if (p == 50 && n % 2 == 0)
		return (v[n / 2 - 1] + v[n / 2]) / 2;
	k = (size_t)ceil(p / 100.0 * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void sql_money(struct crm_fn_ctx *c)
{
	char buf[32];
	const char *cur = crm_fn_text(c, 1, NULL);

	if (crm_fn_type(c, 0) == CRM_COL_NULL) {
		crm_fn_null(c);
		return;
	}
	if (crm_fn_type(c, 0) == CRM_COL_REAL) {
		/* a weighted or converted sum: CAST would clamp it */
		long double v = crm_fn_double(c, 0);

		if (!crm_money_fits(v)) {
			crm_fn_error(c, "integer overflow");
			return;
		}
		crm_money_format((int64_t)llroundl(v), cur ? cur : "", buf);
	} else
		crm_money_format(crm_fn_int(c, 0), cur ? cur : "", buf);
	crm_fn_result_text(c, buf, strlen(buf));
}

/* crm_percentile(x, p): the exact percentile of a group's non-null x (see
 * crm_percentile above); null for no values. */
struct pct_acc {
	double *v;
	size_t n, cap;
	double p;
};

static void pct_step(struct crm_fn_ctx *c)
{
	struct pct_acc *a = crm_fn_state(c);

	if (!a)
		return;
	a->p = crm_fn_double(c, 1);
	if (crm_fn_type(c, 0) == CRM_COL_NULL)
		return;
	a->v = crm_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = crm_fn_double(c, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void pct_final(struct crm_fn_ctx *c)
{
	struct pct_acc *a = crm_fn_state(c);

	if (!a || !a->n) {
		crm_fn_null(c);
		if (a)
			free(a->v);
		return;
	}
	qsort(a->v, a->n, sizeof(*a->v), cmp_double);
	crm_fn_result_double(c, crm_percentile(a->v, a->n, a->p));
	free(a->v);
}

/* crm_period_n(n): n, the number of a period in a report's range; an
 * error past CRM_REPORT_PERIODS_MAX, so a range from the year 0300 by day
 * stops at once instead of listing 600,000 days. */
static void sql_period_n(struct crm_fn_ctx *c)
{
	int64_t n = crm_fn_int(c, 0);

	if (n > CRM_REPORT_PERIODS_MAX)
		crm_fn_error(c, TOO_MANY);
	else
		crm_fn_result_int(c, n);
}

static const struct crm_sql_fn report_fns[] = {
    {"crm_money", 2, sql_money, NULL, NULL, 0},
    {"crm_period_n", 1, sql_period_n, NULL, NULL, 0},
    {"crm_percentile", 2, NULL, pct_step, pct_final, sizeof(struct pct_acc)},
};

int crm_report_sql_functions(struct crm_db *db, struct crm_err *err)
{
	if (crm_store_engine(db->store) == CRM_STORE_PG)
		return 0;
	for (size_t i = 0; i < sizeof(report_fns) / sizeof(*report_fns); i++)
		if (crm_store_define(db->store, &report_fns[i], err) < 0)
			return -1;
	/* GROUP BY and DISTINCT over millions of rows sort faster in temp
	 * files (the OS caches them) than in one growing in-memory b-tree;
	 * reports only read, so the connection is theirs to tune */
	return crm_db_exec(db, "PRAGMA temp_store=FILE", err);
}
