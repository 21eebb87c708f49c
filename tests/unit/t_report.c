/* t_report.c - the report framework's algorithms: percentiles, period
 * buckets and labels as SQL (ISO weeks across year ends, quarters), the
 * comparison window, comparison merging, bar charts. */
#include <sqlite3.h>
#include <stdlib.h>

#include "chart.h"
#include "datetime.h"
#include "report.h"
#include "test.h"

static sqlite3 *h;
static struct crm_db db; /* only its store: the SQL dialect */

/* The label of the period holding time t, computed by SQLite. */
static char *label(enum crm_period p, const char *t)
{
	struct crm_buf start = {0}, sql = {0};
	sqlite3_stmt *st;
	char *out = NULL;

	crm_period_start_sql(&db, p, "?1", &start);
	crm_buf_adds(&sql, "SELECT ");
	crm_period_label_sql(&db, p, crm_buf_str(&start), &sql);
	crm_buf_adds(&sql, ", ");
	crm_buf_adds(&sql, crm_buf_str(&start));
	if (sqlite3_prepare_v2(h, crm_buf_str(&sql), -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			out = crm_xasprintf("%s %s", sqlite3_column_text(st, 0),
					    sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
	}
	crm_buf_release(&start);
	crm_buf_release(&sql);
	return out;
}

static void check_label(enum crm_period p, const char *t, const char *want)
{
	char *got = label(p, t);
	char what[128];

	snprintf(what, sizeof(what), "period of %s", t);
	CHECK_STR(got, want, what);
	free(got);
}

static void test_periods(void)
{
	/* ISO weeks: 2026 starts on a Thursday, so it has 53 weeks */
	check_label(CRM_PERIOD_WEEK, "2025-12-29T00:00:00Z",
		    "2026-W01 2025-12-29");
	check_label(CRM_PERIOD_WEEK, "2026-01-01T12:00:00Z",
		    "2026-W01 2025-12-29");
	check_label(CRM_PERIOD_WEEK, "2026-01-04T23:59:59Z",
		    "2026-W01 2025-12-29");
	check_label(CRM_PERIOD_WEEK, "2026-01-05T00:00:00Z",
		    "2026-W02 2026-01-05");
	check_label(CRM_PERIOD_WEEK, "2027-01-01T00:00:00Z",
		    "2026-W53 2026-12-28");
	check_label(CRM_PERIOD_WEEK, "2027-01-03T10:00:00Z",
		    "2026-W53 2026-12-28");
	check_label(CRM_PERIOD_WEEK, "2027-01-04T00:00:00Z",
		    "2027-W01 2027-01-04");
	/* 2021-01-03 (a Sunday) is in 2020-W53; 2024-12-30 in 2025-W01 */
	check_label(CRM_PERIOD_WEEK, "2021-01-03T00:00:00Z",
		    "2020-W53 2020-12-28");
	check_label(CRM_PERIOD_WEEK, "2024-12-30T00:00:00Z",
		    "2025-W01 2024-12-30");
	check_label(CRM_PERIOD_WEEK, "2026-11-22T09:30:00Z",
		    "2026-W47 2026-11-16");
	check_label(CRM_PERIOD_DAY, "2026-11-22T23:59:59Z",
		    "2026-11-22 2026-11-22");
	check_label(CRM_PERIOD_MONTH, "2024-02-29T10:00:00Z",
		    "2024-02 2024-02-01");
	check_label(CRM_PERIOD_QUARTER, "2026-03-31T23:59:59Z",
		    "2026-Q1 2026-01-01");
	check_label(CRM_PERIOD_QUARTER, "2026-04-01T00:00:00Z",
		    "2026-Q2 2026-04-01");
	check_label(CRM_PERIOD_QUARTER, "2026-09-30T00:00:00Z",
		    "2026-Q3 2026-07-01");
	check_label(CRM_PERIOD_QUARTER, "2026-12-31T00:00:00Z",
		    "2026-Q4 2026-10-01");
	check_label(CRM_PERIOD_YEAR, "2026-12-31T23:59:59Z", "2026 2026-01-01");
}

static void test_percentile(void)
{
	double one[] = {7}, four[] = {1, 2, 10, 20},
	       ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

	CHECK_NEAR(crm_percentile(one, 1, 50), 7, 1e-12, "median of one");
	CHECK_NEAR(crm_percentile(one, 1, 90), 7, 1e-12, "p90 of one");
	CHECK_NEAR(crm_percentile(four, 4, 50), 6, 1e-12,
		   "median of four: mean of the middle two");
	CHECK_NEAR(crm_percentile(four, 4, 90), 20, 1e-12,
		   "p90 of four: rank ceil(3.6) = 4");
	CHECK_NEAR(crm_percentile(four, 3, 50), 2, 1e-12, "median of three");
	CHECK_NEAR(crm_percentile(ten, 10, 90), 9, 1e-12, "p90 of ten: rank 9");
	CHECK_NEAR(crm_percentile(ten, 10, 50), 5.5, 1e-12, "median of ten");
	CHECK_NEAR(crm_percentile(ten, 10, 100), 10, 1e-12, "p100 is the max");
	CHECK_NEAR(crm_percentile(ten, 10, 0), 1, 1e-12, "p0 is the min");
}

static crm_time T(const char *s)
{
	crm_time t = 0;
	struct crm_err e;

	crm_datetime_parse(s, &t, &e);
	return t;
}

static void test_compare_range(void)
{
	struct crm_report_opts o = {0};
	crm_time f, t;
	char a[CRM_TIME_LEN], b[CRM_TIME_LEN];

	o.from = T("2026-11-01");
	o.to = T("2026-11-22");
	o.has_from = true;
	o.compare = CRM_COMPARE_PREVIOUS;
	crm_report_compare_range(&o, &f, &t);
	CHECK_STR(crm_datetime_format(f, a), "2026-10-11T00:00:00Z",
		  "previous: as long, just before");
	CHECK_STR(crm_datetime_format(t, b), "2026-11-01T00:00:00Z",
		  "previous ends at --from");
	o.compare = CRM_COMPARE_YEAR;
	o.from = T("2024-02-29T10:00:00Z");
	o.to = T("2024-03-01T00:00:00Z");
	crm_report_compare_range(&o, &f, &t);
	CHECK_STR(crm_datetime_format(f, a), "2023-02-28T10:00:00Z",
		  "a year before 29 February is the 28th");
	CHECK_STR(crm_datetime_format(t, b), "2023-03-01T00:00:00Z",
		  "year: same date a year before");
}

static void add_row(struct crm_report *r, const char *by, const char *period,
		    const char *n)
{
	struct crm_rec rec;

	crm_rec_init(&rec);
	crm_rec_add(&rec, "period", 6, period, period ? strlen(period) : 0,
		    period ? CRM_STR : CRM_NULL);
	crm_rec_add(&rec, "owner", 5, by, by ? strlen(by) : 0,
		    by ? CRM_STR : CRM_NULL);
	crm_rec_add(&rec, "n", 1, n, n ? strlen(n) : 0, n ? CRM_RAW : CRM_NULL);
	crm_report_add(r, &rec);
	crm_rec_release(&rec);
}

static void test_merge(void)
{
	static const struct crm_measure m[] = {{"n", "count(*)", CRM_M_COUNT}};
	static const char *const keys[] = {"period", "owner"};
	struct crm_report r, c;

	crm_report_init(&r);
	crm_report_init(&c);
	crm_strv_push(&r.cols, "period");
	crm_strv_push(&r.cols, "owner");
	crm_strv_push(&r.cols, "n");
	add_row(&r, "kim", "2026-10", "4");
	add_row(&r, "kim", "2026-11", "3");
	add_row(&r, NULL, "2026-10", "1");
	add_row(&c, "kim", "2025-10", "2");
	add_row(&c, "kim", "2025-11", "0");
	add_row(&c, "lou", "2025-10", "9");
	crm_report_merge_compare(&r, &c, keys, 2, m, 1);
	CHECK_INT(r.cols.n, 5, "n_prev and n_change_pct added");
	CHECK_STR(r.cols.v[3], "n_prev", "after their measure");
	CHECK_STR(crm_rec_get(&r.rows[0], "n_prev"), "2", "first month");
	CHECK_STR(crm_rec_get(&r.rows[0], "n_change_pct"), "100.0", "+100%");
	CHECK_STR(crm_rec_get(&r.rows[1], "n_prev"), "0", "second month");
	CHECK_STR(crm_rec_get(&r.rows[1], "n_change_pct"), NULL,
		  "from 0: no change in percent");
	CHECK_STR(crm_rec_get(&r.rows[2], "n_prev"), "0",
		  "a group missing before counts 0");
	crm_report_release(&r);
	crm_report_release(&c);
}

static void test_chart(void)
{
	const char *labels[] = {"日本", "web", "x"};
	const char *values[] = {"16", "5", NULL};
	struct crm_buf b = {0};

	/* width 30: labels 4 columns, values 2: room 30 - 4 - 2 - 3 = 21;
	 * 5/16 of 21 columns is 52.5 eighths, rounded to 53: 6 blocks and 5/8
	 */
	crm_chart_bars(&b, labels, values, 3, 30, false);
	CHECK_STR(crm_buf_str(&b),
		  "日本 █████████████████████ 16\n"
		  "web  ██████▋ 5\n"
		  "x    \n",
		  "bars in eighths, labels by display width, no bar for null");
	crm_buf_reset(&b);
	values[0] = "0";
	values[1] = "-2";
	crm_chart_bars(&b, labels, values, 2, 30, true);
	CHECK_STR(crm_buf_str(&b), "日本  0\nweb   -2\n",
		  "zero and negative: no bar, no colour codes");
	crm_buf_release(&b);
}

int main(void)
{
	struct crm_err err;

	if (sqlite3_open(":memory:", &h) != SQLITE_OK)
		return 1;
	db.store = crm_store_open(":memory:", 0, 1000, &err);
	if (!db.store)
		return 1;
	test_periods();
	test_percentile();
	test_compare_range();
	test_merge();
	test_chart();
	sqlite3_close(h);
	crm_store_close(db.store);
	return done_testing();
}
