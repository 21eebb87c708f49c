/* coverage.c - a group's coverage, company by company, on the company
 * tree's walk (company.c) with a few per-company queries. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "company.h"
#include "coverage.h"
#include "datetime.h"
#include "dbq.h"

struct cov_ctx {
	struct crm_db *db;
	struct crm_err *err;
	long days;
	crm_time now;
	int (*fn)(const struct crm_coverage_row *r, void *arg);
	void *arg;
};

static const char *later(const char *a, const char *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return strcmp(a, b) >= 0 ? a : b;
}

struct money {
	int64_t *sum;
	char *cur;
	size_t curlen;
	int n;
};

/* crm_dbq_each: one currency's sum */
static int money_row(struct crm_stmt *st, void *arg)
{
	struct money *m = arg;
	const char *c = crm_stmt_text(st, 0);

	if (m->n++ == 0) {
		snprintf(m->cur, m->curlen, "%s", c ? c : "");
		*m->sum = crm_stmt_int(st, 1);
	} else {
		snprintf(m->cur, m->curlen, "mixed");
		*m->sum = 0;
	}
	return 0;
}

/* sum of amounts by currency: *cur NULL none, "mixed" several */
static int money_of(struct cov_ctx *cc, const char *sql, int64_t id,
		    int64_t *sum, char *cur, size_t curlen)
{
	struct money m = {sum, cur, curlen, 0};

	*sum = 0;
	cur[0] = '\0';
	return crm_dbq_each(cc->db, cc->err, money_row, &m, sql, "i", id);
}

/* The first row of sql (taking id), its columns by fmt: 'i' into an
 * int64_t *, 't' into a char * of the size_t that follows it ("" for
 * NULL). Left as they are when there is no row. Returns 0 or -1. */
static int row_of(struct cov_ctx *cc, const char *sql, int64_t id,
		  const char *fmt, ...)
{
	struct crm_stmt *st = crm_dbq(cc->db, cc->err, sql, "i", id);
	va_list ap;
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_step(st, cc->err);
	va_start(ap, fmt);
	for (int i = 0; rc > 0 && fmt[i]; i++) {
		if (fmt[i] == 'i') {
			*va_arg(ap, int64_t *) = crm_stmt_int(st, i);
		} else {
			char *b = va_arg(ap, char *);
			size_t sz = va_arg(ap, size_t);
			const char *t = crm_stmt_text(st, i);

			snprintf(b, sz, "%s", t ? t : "");
		}
	}
	va_end(ap);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int cov_one(const struct crm_tree_node *n, void *arg)
{
	struct cov_ctx *cc = arg;
	struct crm_coverage_row r = {
	    .id = n->id,
	    .parent_id = n->parent_id,
	    .name = n->name,
	    .path = n->path,
	    .depth = n->depth,
	    .days = -1,
	};
	char owner[256] = "", la[3][64] = {"", "", ""}, cur[16], pcur[16];
	const char *last = NULL;

	if (row_of(cc,
		   "SELECT owner, last_activity_at FROM companies WHERE id = ?",
		   n->id, "tt", owner, sizeof(owner), la[0],
		   sizeof(la[0])) < 0 ||
	    row_of(cc,
		   "SELECT count(*), max(last_activity_at) FROM contacts WHERE "
		   "company_id = ?",
		   n->id, "it", &r.contacts, la[1], sizeof(la[1])) < 0 ||
	    row_of(
		cc,
		"SELECT coalesce(sum(CASE WHEN status = 'open' THEN 1 ELSE 0 "
		"END), 0), coalesce(sum(CASE WHEN status = 'won' THEN 1 ELSE "
		"0 END), 0), max(last_activity_at) FROM deals WHERE "
		"company_id = ?",
		n->id, "iit", &r.open_deals, &r.won_deals, la[2],
		sizeof(la[2])) < 0)
		return -1;
	if (money_of(cc,
		     "SELECT currency, sum(amount) FROM deals WHERE company_id "
		     "= ? AND status = 'won' AND amount IS NOT NULL GROUP BY "
		     "currency ORDER BY currency",
		     n->id, &r.revenue, cur, sizeof(cur)) < 0 ||
	    money_of(cc,
		     "SELECT currency, sum(amount) FROM deals WHERE company_id "
		     "= ? AND status = 'open' AND amount IS NOT NULL GROUP BY "
		     "currency ORDER BY currency",
		     n->id, &r.pipeline, pcur, sizeof(pcur)) < 0)
		return -1;
	r.currency = *cur ? cur : NULL;
	r.pcurrency = *pcur ? pcur : NULL;
	for (int k = 0; k < 3; k++)
		if (*la[k])
			last = later(last, la[k]);
	r.last_activity_at = last;
	if (last) {
		crm_time t;
		struct crm_err e2 = {0};
		if (crm_datetime_parse(last, &t, &e2) == 0)
			r.days = (long)((cc->now - t) / 86400);
	}
	r.owner = *owner ? owner : NULL;
	{
		bool no_owner = !r.owner,
		     quiet = r.days < 0 || (cc->days >= 0 && r.days > cc->days);
		r.white_space = no_owner || quiet;
		r.why = no_owner && quiet ? "no owner, no activity"
			: no_owner	  ? "no owner"
			: quiet		  ? "no activity"
					  : NULL;
	}
	return cc->fn(&r, cc->arg);
}

int crm_coverage(struct crm_db *db, int64_t company, long days,
		 int (*fn)(const struct crm_coverage_row *r, void *arg),
		 void *arg, struct crm_err *err)
{
	struct cov_ctx cc = {db, err, days, 0, fn, arg};

	if (crm_datetime_now(&cc.now, err) < 0)
		return -1;
	return crm_company_tree(db, &company, 1, NULL, 0, cov_one, &cc, err);
}
