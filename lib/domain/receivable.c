/* receivable.c - invoices, credit notes, payments, allocations, the
 * journal lines they post, and the receivables reports (aging, DSO,
 * months). See receivable.h for the identities kept. */
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "dbq.h"
#include "money.h"
#include "receivable.h"

/* -- amounts ----------------------------------------------------------- */

/* a / b rounded half away from zero (b > 0). */
static __int128 div_round(__int128 a, __int128 b)
{
	__int128 q = a / b, r = a % b;

	if (r < 0)
		r = -r;
	if (2 * r >= b)
		q += a < 0 ? -1 : 1;
	return q;
}

static bool fits(__int128 v)
{
	return v <= INT64_MAX && v >= -INT64_MAX;
}

int crm_line_amounts(struct crm_inv_line *l, struct crm_err *err)
{
	__int128 net = div_round((__int128)l->quantity * l->unit_price, 1000);
	__int128 tax;

	if (!fits(net))
		return crm_money_overflow(err, "line");
	tax = div_round(net * l->tax_rate, 10000);
	if (!fits(tax) || !fits(net + tax))
		return crm_money_overflow(err, "line");
	l->net = (int64_t)net;
	l->tax = (int64_t)tax;
	l->total = (int64_t)(net + tax);
	return 0;
}

/* A decimal with at most dec decimals as an integer scaled by 10^dec. */
static int parse_scaled(const char *s, int dec, int64_t *out)
{
	int64_t v = 0, scale = 1;
	int d = -1;
	bool neg = false, any = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s == '.' && d < 0) {
			d = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (d >= 0 && ++d > dec)
			return -1;
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		any = true;
	}
	if (!any || d == 0)
		return -1;
	for (int i = d < 0 ? 0 : d; i < dec; i++) {
		if (v > INT64_MAX / 10)
			return -1;
		v *= 10;
	}
	(void)scale;
	*out = neg ? -v : v;
	return 0;
}

int crm_rate_parse(const char *s, int64_t *bp)
{
	if (parse_scaled(s, 2, bp) < 0 || *bp < 0 || *bp > 100000)
		return -1;
	return 0;
}

int crm_line_parse(const char *spec, const char *currency,
		   struct crm_inv_line *l, struct crm_err *err)
{
	struct crm_strv parts = {0};
	int rc = -1;

	memset(l, 0, sizeof(*l));
	crm_strv_split(&parts, spec, ';');
	if (parts.n < 3 || parts.n > 4) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "line '%s': expected DESCRIPTION;QUANTITY;"
			    "UNIT_PRICE[;TAX_PERCENT]",
			    spec);
		goto out;
	}
	if (!*parts.v[0]) {
		crm_err_set(err, CRM_EX_DATAERR, "line '%s': no description",
			    spec);
		goto out;
	}
	if (parse_scaled(parts.v[1], 3, &l->quantity) < 0 || l->quantity <= 0) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "line '%s': quantity: expected a positive number "
			    "with at most 3 decimals, got '%s'",
			    spec, parts.v[1]);
		goto out;
	}
	if (crm_money_parse(parts.v[2], currency, &l->unit_price, err) < 0) {
		char m[sizeof(err->msg)];

		snprintf(m, sizeof(m), "%s", err->msg);
		crm_err_set(err, CRM_EX_DATAERR, "line '%s': unit price: %s",
			    spec, m);
		goto out;
	}
	if (l->unit_price < 0) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "line '%s': unit price: negative (issue a credit "
			    "note instead)",
			    spec);
		goto out;
	}
	if (parts.n == 4 && crm_rate_parse(parts.v[3], &l->tax_rate) < 0) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "line '%s': tax: expected a percentage 0-1000 with "
			    "at most 2 decimals, got '%s'",
			    spec, parts.v[3]);
		goto out;
	}
	if (crm_line_amounts(l, err) < 0)
		goto out;
	l->description = crm_xstrdup(parts.v[0]);
	rc = 0;
out:
	crm_strv_release(&parts);
	return rc;
}

/* -- helpers ----------------------------------------------------------- */

static void today(struct crm_db *db, char out[CRM_TIME_LEN])
{
	crm_datetime_format_date(db->now, out);
}

static int check_date(const char *what, const char *d, struct crm_err *err)
{
	crm_time t;

	if (strlen(d) != 10 || crm_datetime_parse(d, &t, err) < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s: expected a date YYYY-MM-DD, got '%s'",
				   what, d);
	return 0;
}

static int post(struct crm_db *db, const char *entry, const char *date,
		const char *account, int64_t debit, int64_t credit,
		const char *cur, int64_t company, const char *doc_type,
		int64_t doc_id, const char *memo, struct crm_err *err)
{
	int rc;

	if (debit == 0 && credit == 0)
		return 0;
	rc = crm_dbq_step(
	    db, err, NULL,
	    "INSERT INTO journal_lines (entry, posted_on, account, debit,"
	    " credit, currency, company_id, doc_type, doc_id, memo)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "sssiisisis", entry, date, account, debit, credit, cur, company,
	    doc_type, doc_id, memo);
	return rc < 0 ? -1 : 0;
}

/* The next number of series, in this transaction. */
static int next_number(struct crm_db *db, const char *series, int64_t *seq,
		       struct crm_err *err)
{
	int rc;

	if (crm_dbq_run(db, err,
			"INSERT INTO invoice_series (series, last)"
			" VALUES (?, 0) ON CONFLICT (series) DO NOTHING",
			"s", series) < 0)
		return -1;
	rc = crm_dbq_step(db, err, seq,
			  "UPDATE invoice_series SET last = last + 1"
			  " WHERE series = ? RETURNING last",
			  "s", series);
	if (rc == 0)
		crm_err_set(err, CRM_EX_SOFTWARE, "series %s: no counter",
			    series);
	return rc > 0 ? 0 : -1;
}

static int check_series(const char *s, struct crm_err *err)
{
	size_t n = strlen(s);

	if (n == 0 || n > 16)
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			goto bad;
	return 0;
bad:
	return crm_err_set(err, CRM_EX_USAGE,
			   "--series: expected 1-16 of A-Z, 0-9 and '-', got "
			   "'%s'",
			   s);
}

/* Insert the document row and its lines; *id gets its id. */
static int write_doc(struct crm_db *db, const char *kind, int64_t credit_of,
		     const struct crm_invoice_new *nw, const char *issue,
		     const char *due, const char *cur, int64_t *id,
		     char number[64], int64_t *tot_net, int64_t *tot_tax,
		     struct crm_err *err)
{
	const char *series = nw->series		       ? nw->series
			     : !strcmp(kind, "credit") ? "CN"
						       : "INV";
	char now[CRM_TIME_LEN];
	__int128 net = 0, tax = 0;
	int64_t seq;
	int rc;

	if (check_series(series, err) < 0)
		return -1;
	if (nw->nlines == 0)
		return crm_err_set(err, CRM_EX_USAGE,
				   "an invoice needs at least one line");
	for (size_t i = 0; i < nw->nlines; i++) {
		net += nw->lines[i].net;
		tax += nw->lines[i].tax;
	}
	if (!fits(net) || !fits(tax) || !fits(net + tax))
		return crm_money_overflow(err, "invoice");
	if (net + tax <= 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "the lines add up to nothing");
	if (next_number(db, series, &seq, err) < 0)
		return -1;
	snprintf(number, 64, "%s-%06lld", series, (long long)seq);
	crm_datetime_format(db->now, now);
	rc = crm_dbq_step(
	    db, err, id,
	    "INSERT INTO invoices (number, series, seq, kind, credit_of,"
	    " company_id, contract_id, milestone_id, schedule_id, issue_date,"
	    " due_date, currency, net, tax, total, note, created_at, actor)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " RETURNING id",
	    "ssisIiIIIsssiiisss", number, series, seq, kind, credit_of,
	    nw->company_id, nw->contract_id, nw->milestone_id, nw->schedule_id,
	    issue, due, cur, (int64_t)net, (int64_t)tax, (int64_t)(net + tax),
	    nw->note, now, db->actor);
	if (rc <= 0)
		return rc < 0 ? -1
			      : crm_err_set(err, CRM_EX_SOFTWARE,
					    "invoice: no id");
	for (size_t i = 0; i < nw->nlines; i++) {
		const struct crm_inv_line *l = &nw->lines[i];

		if (crm_dbq_run(db, err,
				"INSERT INTO invoice_lines (invoice_id, pos,"
				" description, quantity, unit_price, tax_rate,"
				" net, tax, total)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				"iisiiiiii", *id, (int64_t)i + 1,
				l->description, l->quantity, l->unit_price,
				l->tax_rate, l->net, l->tax, l->total) < 0)
			return -1;
	}
	*tot_net = (int64_t)net;
	*tot_tax = (int64_t)tax;
	return 0;
}

/* The row of sql (?1: id) read by fn into arg: 0, or -1 (CRM_EX_NOINPUT
 * "no WHAT has id ID" when there is none). */
static int row_by_id(struct crm_db *db, const char *what, int64_t id,
		     int (*fn)(struct crm_stmt *, void *), void *arg,
		     const char *sql, struct crm_err *err)
{
	int rc = crm_dbq_row(db, err, fn, arg, sql, "i", id);

	if (rc == 0)
		return crm_err_set(err, CRM_EX_NOINPUT, "no %s has id %lld",
				   what, (long long)id);
	return rc < 0 ? -1 : 0;
}

/* A contract's company, currency and net days, or a payment's company
 * and currency. */
struct terms {
	int64_t company, net_days;
	char cur[8];
};

static int terms_row(struct crm_stmt *st, void *arg)
{
	struct terms *t = arg;

	t->company = crm_stmt_int(st, 0);
	snprintf(t->cur, sizeof(t->cur), "%s", crm_stmt_text(st, 1));
	t->net_days = crm_stmt_int(st, 2);
	return 0;
}

static int contract_terms(struct crm_db *db, int64_t cid, struct terms *t,
			  struct crm_err *err)
{
	return row_by_id(db, "contract", cid, terms_row, t,
			 "SELECT company_id, currency, coalesce(net_days, 30)"
			 " FROM contracts WHERE id = ?",
			 err);
}

int crm_invoice_issue(struct crm_db *db, const struct crm_invoice_new *nw,
		      int64_t *id, struct crm_err *err)
{
	struct crm_invoice_new n = *nw;
	char issue[CRM_TIME_LEN], due[16], number[64];
	struct terms t = {.net_days = 30};
	int64_t net, tax;
	int rc;

	if (n.contract_id) {
		if (contract_terms(db, n.contract_id, &t, err) < 0)
			return -1;
		if (n.company_id && n.company_id != t.company)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "contract %lld is with company "
					   "%lld, not %lld",
					   (long long)n.contract_id,
					   (long long)t.company,
					   (long long)n.company_id);
		n.company_id = t.company;
		if (n.currency && strcmp(n.currency, t.cur))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "contract %lld is in %s, not %s",
					   (long long)n.contract_id, t.cur,
					   n.currency);
		n.currency = t.cur;
	}
	if (!n.company_id)
		return crm_err_set(err, CRM_EX_USAGE,
				   "an invoice needs a contract or --account");
	if (!n.currency)
		return crm_err_set(err, CRM_EX_USAGE,
				   "an invoice without a contract needs "
				   "--currency");
	if (crm_money_exponent(n.currency) < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "currency: expected an ISO 4217 code like "
				   "EUR, got '%s'",
				   n.currency);
	rc = (int)crm_db_int(db, "SELECT count(*) FROM companies WHERE id = ?1",
			     crm_fmt_int((char[32]){0}, n.company_id), NULL,
			     err);
	if (rc < 0)
		return -1;
	if (!rc)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "no company has id %lld",
				   (long long)n.company_id);
	if (n.issue_date) {
		if (check_date("--date", n.issue_date, err) < 0)
			return -1;
		snprintf(issue, sizeof(issue), "%s", n.issue_date);
	} else {
		today(db, issue);
	}
	if (n.due_date) {
		if (check_date("--due", n.due_date, err) < 0)
			return -1;
		if (strcmp(n.due_date, issue) < 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "--due %s is before the issue date "
					   "%s",
					   n.due_date, issue);
		snprintf(due, sizeof(due), "%s", n.due_date);
	} else if (crm_date_add(issue, t.net_days, due, err) < 0) {
		return -1;
	}
	if (write_doc(db, "invoice", 0, &n, issue, due, n.currency, id, number,
		      &net, &tax, err) < 0)
		return -1;
	if (post(db, number, issue, "receivable", net + tax, 0, n.currency,
		 n.company_id, "invoice", *id, n.note, err) < 0 ||
	    post(db, number, issue, "revenue", 0, net, n.currency, n.company_id,
		 "invoice", *id, n.note, err) < 0 ||
	    post(db, number, issue, "tax", 0, tax, n.currency, n.company_id,
		 "invoice", *id, n.note, err) < 0)
		return -1;
	return 0;
}

/* An invoice of one line for a milestone or a schedule entry. */
struct bill {
	struct crm_invoice_new nw;
	struct crm_inv_line l;
	char date[16];
	int64_t id;
	struct crm_err *err;
};

/* Read b's row (sql, ?1 b->id; fn fills b from it; what names it when
 * there is none) and issue its invoice. */
static int bill_issue(struct crm_db *db, struct bill *b,
		      int (*fn)(struct crm_stmt *, void *), const char *sql,
		      const char *what, int64_t *id, struct crm_err *err)
{
	int rc = row_by_id(db, what, b->id, fn, b, sql, err);

	if (rc == 0) {
		b->l.quantity = 1000;
		b->nw.lines = &b->l;
		b->nw.nlines = 1;
		rc = crm_line_amounts(&b->l, err);
		if (rc == 0)
			rc = crm_invoice_issue(db, &b->nw, id, err);
	}
	free(b->l.description);
	return rc < 0 ? -1 : 0;
}

static int milestone_row(struct crm_stmt *st, void *arg)
{
	struct bill *b = arg;
	long long mid = (long long)b->id;

	b->nw.contract_id = crm_stmt_int(st, 0);
	if (!crm_stmt_is_null(st, 4))
		return crm_err_set(b->err, CRM_EX_DATAERR,
				   "milestone %lld is invoiced (%s)", mid,
				   crm_stmt_text(st, 4));
	if (crm_stmt_is_null(st, 1))
		return crm_err_set(b->err, CRM_EX_DATAERR,
				   "milestone %lld has no amount to invoice",
				   mid);
	if (crm_stmt_is_null(st, 5) &&
	    strcmp(crm_stmt_text(st, 3), "invoicing"))
		/* a delivery or acceptance is billed once reached */
		return crm_err_set(b->err, CRM_EX_DATAERR,
				   "milestone %lld (%s) is not done yet", mid,
				   crm_stmt_text(st, 3));
	b->l.unit_price = crm_stmt_int(st, 1);
	b->l.description = crm_xasprintf("%s (%s)", crm_stmt_text(st, 2),
					 crm_stmt_text(st, 3));
	return 0;
}

int crm_invoice_milestone(struct crm_db *db, int64_t mid, int64_t bp,
			  const char *series, const char *date, int64_t *id,
			  struct crm_err *err)
{
	struct bill b = {
	    .nw = {.series = series, .issue_date = date, .milestone_id = mid},
	    .l = {.tax_rate = bp},
	    .id = mid,
	    .err = err};

	return bill_issue(
	    db, &b, milestone_row,
	    "SELECT m.contract_id, m.amount, m.name, m.kind,"
	    " (SELECT number FROM invoices i WHERE i.milestone_id = m.id"
	    "  AND i.kind = 'invoice'), m.done_on"
	    " FROM contract_milestones m WHERE m.id = ?",
	    "milestone", id, err);
}

int crm_schedule_add(struct crm_db *db, int64_t cid, const char *date,
		     const char *description, const char *amount, int64_t bp,
		     int64_t *id, struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	struct terms t;
	int64_t minor;
	int rc;

	if (contract_terms(db, cid, &t, err) < 0 ||
	    check_date("--date", date, err) < 0 ||
	    crm_money_parse(amount, t.cur, &minor, err) < 0)
		return -1;
	if (minor <= 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "--amount: expected more than 0");
	crm_datetime_format(db->now, now);
	rc = crm_dbq_step(
	    db, err, id,
	    "INSERT INTO contract_schedule (contract_id, bill_date,"
	    " description, amount, tax_rate, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	    "issiis", cid, date, description, (int64_t)minor, bp, now);
	return rc > 0 ? 0 : -1;
}

static int schedule_row(struct crm_stmt *st, void *arg)
{
	struct bill *b = arg;

	b->nw.contract_id = crm_stmt_int(st, 0);
	b->l.unit_price = crm_stmt_int(st, 1);
	b->l.description = crm_xstrdup(crm_stmt_text(st, 2));
	b->l.tax_rate = crm_stmt_int(st, 3);
	snprintf(b->date, sizeof(b->date), "%s", crm_stmt_text(st, 4));
	if (!b->nw.issue_date)
		b->nw.issue_date = b->date;
	if (!crm_stmt_is_null(st, 5))
		return crm_err_set(b->err, CRM_EX_DATAERR,
				   "schedule entry %lld is invoiced (%s)",
				   (long long)b->id, crm_stmt_text(st, 5));
	return 0;
}

int crm_invoice_schedule(struct crm_db *db, int64_t sid, const char *series,
			 const char *date, int64_t *id, struct crm_err *err)
{
	struct bill b = {
	    .nw = {.series = series, .issue_date = date, .schedule_id = sid},
	    .id = sid,
	    .err = err};

	return bill_issue(db, &b, schedule_row,
			  "SELECT s.contract_id, s.amount, s.description,"
			  " s.tax_rate, s.bill_date, (SELECT number"
			  " FROM invoices i WHERE i.schedule_id = s.id"
			  " AND i.kind = 'invoice')"
			  " FROM contract_schedule s WHERE s.id = ?",
			  "schedule entry", id, err);
}

/* -- open amounts ------------------------------------------------------ */

struct doc {
	int64_t id, company, total, credit_of;
	char kind[8], cur[8], number[64];
};

static int doc_row(struct crm_stmt *st, void *arg)
{
	struct doc *d = arg;

	d->company = crm_stmt_int(st, 0);
	d->total = crm_stmt_int(st, 1);
	d->credit_of = crm_stmt_int(st, 2);
	snprintf(d->kind, sizeof(d->kind), "%s", crm_stmt_text(st, 3));
	snprintf(d->cur, sizeof(d->cur), "%s", crm_stmt_text(st, 4));
	snprintf(d->number, sizeof(d->number), "%s", crm_stmt_text(st, 5));
	return 0;
}

static int doc_get(struct crm_db *db, int64_t id, struct doc *d,
		   struct crm_err *err)
{
	d->id = id;
	return row_by_id(db, "invoice", id, doc_row, d,
			 "SELECT company_id, total, coalesce(credit_of, 0),"
			 " kind, currency, number FROM invoices WHERE id = ?",
			 err);
}

static int64_t sum_int(struct crm_db *db, const char *sql, int64_t id,
		       struct crm_err *err)
{
	return crm_dbq_int(db, err, sql, "i", id);
}

static int64_t allocated_to(struct crm_db *db, int64_t inv, struct crm_err *err)
{
	return sum_int(db,
		       "SELECT coalesce(sum(amount), 0) FROM allocations"
		       " WHERE invoice_id = ? AND undone_at IS NULL",
		       inv, err);
}

int crm_invoice_open(struct crm_db *db, int64_t inv, int64_t *open,
		     struct crm_err *err)
{
	struct doc d;
	int64_t a;

	if (doc_get(db, inv, &d, err) < 0)
		return -1;
	a = !strcmp(d.kind, "invoice")
		? allocated_to(db, inv, err)
		: sum_int(db,
			  "SELECT coalesce(sum(amount), 0) FROM allocations"
			  " WHERE credit_id = ? AND undone_at IS NULL",
			  inv, err);
	if (a < 0)
		return -1;
	*open = d.total - a;
	return 0;
}

int crm_payment_rest(struct crm_db *db, int64_t pid, int64_t *rest,
		     struct crm_err *err)
{
	int64_t amount =
	    sum_int(db, "SELECT amount FROM payments WHERE id = ?", pid, err);
	int64_t a;

	if (amount < 0)
		return -1;
	if (amount == 0)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "no payment has id %lld", (long long)pid);
	a = sum_int(db,
		    "SELECT coalesce(sum(amount), 0) FROM allocations"
		    " WHERE payment_id = ? AND undone_at IS NULL",
		    pid, err);
	if (a < 0)
		return -1;
	*rest = amount - a;
	return 0;
}

int crm_invoice_find(struct crm_db *db, const char *key, int64_t *id,
		     struct crm_err *err)
{
	int64_t v;

	if (crm_parse_int(key, &v) == 0 && v > 0) {
		int64_t n = crm_db_int(
		    db, "SELECT count(*) FROM invoices WHERE id = ?1", key,
		    NULL, err);
		if (n < 0)
			return -1;
		if (n) {
			*id = v;
			return 1;
		}
		return 0;
	}
	v = crm_db_int(db, "SELECT id FROM invoices WHERE number = ?1", key,
		       NULL, err);
	if (v < 0)
		return -1;
	*id = v;
	return v ? 1 : 0;
}

/* -- credit notes ------------------------------------------------------ */

static int64_t credited(struct crm_db *db, int64_t inv, struct crm_err *err)
{
	return sum_int(db,
		       "SELECT coalesce(sum(total), 0) FROM invoices"
		       " WHERE credit_of = ? AND kind = 'credit'",
		       inv, err);
}

static int insert_alloc(struct crm_db *db, int64_t inv, int64_t pid,
			int64_t cid, int64_t amount, int64_t *aid,
			struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	return crm_dbq_step(db, err, aid,
			    "INSERT INTO allocations (invoice_id, payment_id,"
			    " credit_id, amount, at, actor)"
			    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			    "iIIiss", inv, pid, cid, amount,
			    crm_datetime_format(db->now, now), db->actor) > 0
		   ? 0
		   : -1;
}

static void line_row(struct crm_stmt *st, void *elem)
{
	struct crm_inv_line *l = elem;

	crm_stmt_getf(st, "siiiiii", &l->description, &l->quantity,
		      &l->unit_price, &l->tax_rate, &l->net, &l->tax,
		      &l->total);
}

int crm_credit_issue(struct crm_db *db, int64_t inv, int64_t gross,
		     struct crm_inv_line *lines, size_t nlines,
		     const char *series, const char *date, const char *note,
		     int64_t *id, struct crm_err *err)
{
	struct crm_invoice_new nw = {.series = series, .note = note};
	struct crm_inv_line *own = NULL, one = {0};
	char issue[CRM_TIME_LEN], number[64];
	int64_t done, open, net, tax, cid;
	size_t nown = 0;
	struct doc d;
	int rc = -1;

	if (doc_get(db, inv, &d, err) < 0)
		return -1;
	if (strcmp(d.kind, "invoice"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s is a credit note: only an invoice is "
				   "credited",
				   d.number);
	done = credited(db, inv, err);
	if (done < 0)
		return -1;
	if (date) {
		if (check_date("--date", date, err) < 0)
			return -1;
		snprintf(issue, sizeof(issue), "%s", date);
	} else {
		today(db, issue);
	}
	cid = sum_int(db,
		      "SELECT coalesce(contract_id, 0) FROM invoices"
		      " WHERE id = ?",
		      inv, err);
	if (cid < 0)
		return -1;
	if (!lines && !gross) {
		/* the whole invoice: its lines, unless part is credited */
		if (done)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s is partly credited already: "
					   "give --amount or --line",
					   d.number);
		rc = crm_dbq_rows(db, err, &own, &nown, sizeof(*own), line_row,
				  "SELECT description, quantity, unit_price,"
				  " tax_rate, net, tax, total"
				  " FROM invoice_lines WHERE invoice_id = ?"
				  " ORDER BY pos",
				  "i", inv);
		if (rc < 0)
			goto out;
		nw.lines = own;
		nw.nlines = nown;
	} else if (!lines) {
		/* a gross amount: tax in the invoice's proportion */
		int64_t itax = sum_int(
		    db, "SELECT tax FROM invoices WHERE id = ?", inv, err);

		if (itax < 0)
			return -1;
		if (gross <= 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "--amount: expected more than 0");
		one.description = crm_xasprintf("Credit on %s", d.number);
		one.quantity = 1000;
		one.tax = (int64_t)div_round((__int128)gross * itax, d.total);
		one.net = gross - one.tax;
		one.unit_price = one.net;
		one.tax_rate =
		    one.net
			? (int64_t)div_round((__int128)one.tax * 10000, one.net)
			: 0;
		one.total = gross;
		nw.lines = &one;
		nw.nlines = 1;
	} else {
		nw.lines = lines;
		nw.nlines = nlines;
	}
	{
		__int128 t = 0;

		for (size_t i = 0; i < nw.nlines; i++)
			t += nw.lines[i].total;
		if (t + done > d.total) {
			char a[32], b[32];

			crm_err_set(err, CRM_EX_DATAERR,
				    "a credit of %s on %s is more than the %s "
				    "not credited yet",
				    crm_money_format((int64_t)t, d.cur, a),
				    d.number,
				    crm_money_format(d.total - done, d.cur, b));
			rc = -1;
			goto out;
		}
	}
	nw.company_id = d.company;
	nw.contract_id = cid;
	nw.currency = d.cur;
	rc = write_doc(db, "credit", inv, &nw, issue, issue, d.cur, id, number,
		       &net, &tax, err);
	if (rc < 0)
		goto out;
	{
		char memo[128];

		snprintf(memo, sizeof(memo), "credit on %s", d.number);
		if (post(db, number, issue, "revenue", net, 0, d.cur, d.company,
			 "credit", *id, memo, err) < 0 ||
		    post(db, number, issue, "tax", tax, 0, d.cur, d.company,
			 "credit", *id, memo, err) < 0 ||
		    post(db, number, issue, "receivable", 0, net + tax, d.cur,
			 d.company, "credit", *id, memo, err) < 0) {
			rc = -1;
			goto out;
		}
	}
	/* settle what it can of the invoice; the rest is credit */
	rc = crm_invoice_open(db, inv, &open, err);
	if (rc == 0 && open > 0)
		rc = insert_alloc(db, inv, 0, *id,
				  open < net + tax ? open : net + tax, NULL,
				  err);
out:
	for (size_t i = 0; i < nown; i++)
		free(own[i].description);
	free(own);
	free(one.description);
	return rc < 0 ? -1 : 0;
}

/* -- payments and allocations ------------------------------------------ */

/* p's amount, currency and date (NULL: today, into day) checked. */
static int payment_check(struct crm_db *db, const struct crm_payment_new *p,
			 char day[CRM_TIME_LEN], const char **date,
			 struct crm_err *err)
{
	*date = p->date;
	if (p->amount <= 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "amount: expected more than 0");
	if (!p->currency || crm_money_exponent(p->currency) < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "currency: expected an ISO 4217 code like "
				   "EUR, got '%s'",
				   p->currency ? p->currency : "");
	if (*date)
		return check_date("--date", *date, err);
	today(db, day);
	*date = day;
	return 0;
}

/* Payment p received on date, and its journal entry. */
static int payment_write(struct crm_db *db, const struct crm_payment_new *p,
			 const char *date, int64_t *id, struct crm_err *err)
{
	char now[CRM_TIME_LEN], entry[64];

	crm_datetime_format(db->now, now);
	if (crm_dbq_step(
		db, err, id,
		"INSERT INTO payments (company_id, received_on, amount,"
		" currency, payer, method, external_ref,"
		" statement_ref, created_at, actor)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"isisssssss", p->company_id, date, p->amount, p->currency,
		p->payer, p->method, p->external_ref, p->statement_ref, now,
		db->actor) <= 0)
		return -1;
	snprintf(entry, sizeof(entry), "PAY-%06lld", (long long)*id);
	if (post(db, entry, date, "bank", p->amount, 0, p->currency,
		 p->company_id, "payment", *id, p->external_ref, err) < 0 ||
	    post(db, entry, date, "receivable", 0, p->amount, p->currency,
		 p->company_id, "payment", *id, p->external_ref, err) < 0)
		return -1;
	return 0;
}

int crm_payment_add(struct crm_db *db, const struct crm_payment_new *p,
		    int64_t *id, struct crm_err *err)
{
	char day[CRM_TIME_LEN];
	const char *date;
	int64_t n;

	if (payment_check(db, p, day, &date, err) < 0)
		return -1;
	n = sum_int(db, "SELECT count(*) FROM companies WHERE id = ?",
		    p->company_id, err);
	if (n < 0)
		return -1;
	if (!n)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "no company has id %lld",
				   (long long)p->company_id);
	return payment_write(db, p, date, id, err);
}

int crm_payment_settle(struct crm_db *db, const struct crm_payment_new *p,
		       const int64_t *inv, const int64_t *amounts, size_t n,
		       int64_t *id, struct crm_err *err)
{
	char day[CRM_TIME_LEN], now[CRM_TIME_LEN];
	const char *date;

	if (payment_check(db, p, day, &date, err) < 0 ||
	    payment_write(db, p, date, id, err) < 0)
		return -1;
	crm_datetime_format(db->now, now);
	for (size_t k = 0; k < n; k++)
		/* no RETURNING: nothing to wait for (pipelined on PG) */
		if (crm_dbq_run(db, err,
				"INSERT INTO allocations (invoice_id,"
				" payment_id, credit_id, amount, at, actor)"
				" VALUES (?, ?, NULL, ?, ?, ?)",
				"iiiss", inv[k], *id, amounts[k], now,
				db->actor) < 0)
			return -1;
	return 0;
}

int crm_payments_settled_check(struct crm_db *db, int64_t from,
			       struct crm_err *err)
{
	char *num;
	int rc = crm_dbq_text(
	    db, err, &num,
	    "SELECT i.number FROM invoices i"
	    " JOIN allocations a ON a.invoice_id = i.id AND a.undone_at IS NULL"
	    " WHERE i.id IN (SELECT invoice_id FROM allocations"
	    "  WHERE payment_id >= ?)"
	    " GROUP BY i.id, i.number, i.total"
	    " HAVING sum(a.amount) > i.total ORDER BY i.id LIMIT 1",
	    "i", from);

	if (rc > 0)
		crm_err_set(err, CRM_EX_TEMPFAIL,
			    "%s: allocated beyond its total by another "
			    "command meanwhile; nothing applied, run again",
			    num ? num : "");
	free(num);
	return rc == 0 ? 0 : -1;
}

int crm_allocate(struct crm_db *db, int64_t pid, bool credit, int64_t inv,
		 int64_t amount, int64_t *alloc, int64_t *done,
		 struct crm_err *err)
{
	struct terms t = {0};
	int64_t rest, open;
	char src[64];
	struct doc d;

	if (doc_get(db, inv, &d, err) < 0)
		return -1;
	if (strcmp(d.kind, "invoice"))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s is a credit note, not an invoice",
				   d.number);
	if (credit) {
		struct doc c;

		if (doc_get(db, pid, &c, err) < 0)
			return -1;
		if (strcmp(c.kind, "credit"))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "%s is no credit note", c.number);
		t.company = c.company;
		snprintf(t.cur, sizeof(t.cur), "%s", c.cur);
		snprintf(src, sizeof(src), "credit note %s", c.number);
	} else {
		if (row_by_id(db, "payment", pid, terms_row, &t,
			      "SELECT company_id, currency, 0 FROM payments"
			      " WHERE id = ?",
			      err) < 0)
			return -1;
		snprintf(src, sizeof(src), "payment %lld", (long long)pid);
	}
	if (t.company != d.company)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s is from company %lld, %s is to company "
				   "%lld",
				   src, (long long)t.company, d.number,
				   (long long)d.company);
	if (strcmp(t.cur, d.cur))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s is in %s, %s in %s: never mixed without "
				   "a rate",
				   src, t.cur, d.number, d.cur);
	if (credit ? crm_invoice_open(db, pid, &rest, err)
		   : crm_payment_rest(db, pid, &rest, err))
		return -1;
	if (crm_invoice_open(db, inv, &open, err) < 0)
		return -1;
	if (amount < 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "amount: expected more than 0");
	if (amount == 0)
		amount = rest < open ? rest : open;
	if (amount == 0)
		return crm_err_set(err, CRM_EX_DATAERR,
				   open ? "%s has nothing left to allocate"
					: "%s: %s is settled",
				   open ? src : src, d.number);
	if (amount > rest) {
		char a[32];

		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s has %s left, not enough", src,
				   crm_money_format(rest, t.cur, a));
	}
	if (amount > open) {
		char a[32];

		return crm_err_set(err, CRM_EX_DATAERR,
				   "%s has %s open, less than the amount",
				   d.number, crm_money_format(open, t.cur, a));
	}
	if (insert_alloc(db, inv, credit ? 0 : pid, credit ? pid : 0, amount,
			 alloc, err) < 0)
		return -1;
	if (done)
		*done = amount;
	return 0;
}

/* What is allocated of payment p and what is used of credit note c: their
 * live allocations, in the SQL of every query that needs a rest. */
#define PAY_ALLOCATED                                                          \
	"coalesce((SELECT sum(a.amount) FROM allocations a"                    \
	"  WHERE a.payment_id = p.id AND a.undone_at IS NULL), 0)"
#define CREDIT_USED                                                            \
	"coalesce((SELECT sum(a.amount) FROM allocations a"                    \
	"  WHERE a.credit_id = c.id AND a.undone_at IS NULL), 0)"

/* A payment or credit note with a rest. */
struct source {
	int64_t id;
	bool credit;
};

static void source_row(struct crm_stmt *st, void *elem)
{
	struct source *s = elem;

	s->id = crm_stmt_int(st, 0);
	s->credit = crm_stmt_int(st, 1) != 0;
}

int crm_apply_credit(struct crm_db *db, int64_t inv, int64_t *done,
		     struct crm_err *err)
{
	struct doc d;
	struct source *src = NULL;
	int64_t open, total = 0;
	size_t n = 0;
	int rc;

	*done = 0;
	if (doc_get(db, inv, &d, err) < 0)
		return -1;
	/* sources with a rest, oldest first: payments, then credit notes */
	rc = crm_dbq_rows(
	    db, err, &src, &n, sizeof(*src), source_row,
	    "SELECT id, 0, received_on FROM payments p"
	    " WHERE company_id = ?1 AND currency = ?2"
	    " AND amount > " PAY_ALLOCATED " UNION ALL"
	    " SELECT id, 1, issue_date FROM invoices c"
	    " WHERE company_id = ?1 AND currency = ?2 AND kind = 'credit'"
	    " AND total > " CREDIT_USED " ORDER BY 3, 2, 1",
	    "is", d.company, d.cur);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int64_t got = 0;

		rc = crm_invoice_open(db, inv, &open, err);
		if (rc < 0 || open == 0)
			break;
		rc = crm_allocate(db, src[i].id, src[i].credit, inv, 0, NULL,
				  &got, err);
		total += got;
	}
	free(src);
	*done = total;
	return rc < 0 ? -1 : 0;
}

int crm_allocation_undo(struct crm_db *db, int64_t aid, const char *reason,
			struct crm_err *err)
{
	char now[CRM_TIME_LEN], *at;
	int rc;

	if (!reason || !*reason)
		return crm_err_set(err, CRM_EX_USAGE,
				   "unallocate needs --reason (kept in the "
				   "audit trail)");
	rc = crm_dbq_text(db, err, &at,
			  "SELECT undone_at FROM allocations WHERE id = ?", "i",
			  aid);
	if (rc > 0 && at)
		rc = crm_err_set(err, CRM_EX_DATAERR,
				 "allocation %lld was undone at %s",
				 (long long)aid, at);
	free(at);
	if (rc == 0)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "no allocation has id %lld", (long long)aid);
	if (rc < 0)
		return -1;
	crm_datetime_format(db->now, now);
	rc = crm_dbq_step(db, err, NULL,
			  "UPDATE allocations SET undone_at = ?,"
			  " undone_by = ?, undo_reason = ? WHERE id = ?",
			  "sssi", now, db->actor, reason, aid);
	return rc < 0 ? -1 : 0;
}

/* -- listings ---------------------------------------------------------- */

enum col_kind { K_INT, K_TEXT, K_MONEY, K_QTY, K_RATE };

struct listing {
	const char *what;
	const char *sql;     /* ?1: the id (0: every) */
	const char *row_sql; /* ?1: one row's id; NULL: none */
	const char *const *cols;
	const enum col_kind *kinds;
	int cur_col; /* the column holding the currency */
};

static const char *const inv_cols[] = {
    "id",	   "number",	   "kind",	  "credit_of",	"company_id",
    "contract_id", "milestone_id", "schedule_id", "issue_date", "due_date",
    "currency",	   "net",	   "tax",	  "total",	"settled",
    "open",	   "note",	   NULL};
static const enum col_kind inv_kinds[] = {
    K_INT,  K_TEXT, K_TEXT,  K_TEXT,  K_INT,   K_INT,	K_INT,	 K_INT, K_TEXT,
    K_TEXT, K_TEXT, K_MONEY, K_MONEY, K_MONEY, K_MONEY, K_MONEY, K_TEXT};
/* what is settled of invoice i: its live allocations (a credit note's
 * as the credit it gives) */
#define INV_SETTLED                                                            \
	"coalesce((SELECT sum(a.amount) FROM allocations a"                    \
	"  WHERE a.undone_at IS NULL AND ((i.kind = 'invoice' AND"             \
	"  a.invoice_id = i.id) OR (i.kind = 'credit' AND a.credit_id = "      \
	"i.id))), 0)"
#define INV_SELECT                                                             \
	"SELECT i.id, i.number, i.kind, c.number, i.company_id, "              \
	"i.contract_id,"                                                       \
	" i.milestone_id, i.schedule_id, i.issue_date, i.due_date, "           \
	"i.currency,"                                                          \
	" i.net, i.tax, i.total, " INV_SETTLED " AS s,"                        \
	" i.total - " INV_SETTLED ", i.note"                                   \
	" FROM invoices i LEFT JOIN invoices c ON c.id = i.credit_of"
static const char inv_sql[] =
    INV_SELECT " WHERE ?1 = 0 OR i.company_id = ?1 ORDER BY i.id";
/* one row by id: the record a write prints */
static const char inv_row_sql[] = INV_SELECT " WHERE i.id = ?1";

static const char *const line_cols[] = {
    "invoice_id", "pos", "description", "quantity", "unit_price",
    "tax_rate",	  "net", "tax",		"total",    NULL};
static const enum col_kind line_kinds[] = {
    K_INT, K_INT, K_TEXT, K_QTY, K_MONEY, K_RATE, K_MONEY, K_MONEY, K_MONEY};
static const char line_sql[] =
    "SELECT l.invoice_id, l.pos, l.description, l.quantity, l.unit_price,"
    " l.tax_rate, l.net, l.tax, l.total, i.currency"
    " FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id"
    " WHERE ?1 = 0 OR l.invoice_id = ?1 ORDER BY l.invoice_id, l.pos";

static const char *const pay_cols[] = {
    "id",	   "company_id", "received_on",	 "amount",	  "currency",
    "payer",	   "method",	 "external_ref", "statement_ref", "allocated",
    "unallocated", NULL};
static const enum col_kind pay_kinds[] = {K_INT,  K_INT,   K_TEXT, K_MONEY,
					  K_TEXT, K_TEXT,  K_TEXT, K_TEXT,
					  K_TEXT, K_MONEY, K_MONEY};
#define PAY_SELECT                                                             \
	"SELECT p.id, p.company_id, p.received_on, p.amount, p.currency,"      \
	" p.payer, p.method, p.external_ref, p.statement_ref, " PAY_ALLOCATED  \
	", p.amount - " PAY_ALLOCATED " FROM payments p"
static const char pay_sql[] =
    PAY_SELECT " WHERE ?1 = 0 OR p.company_id = ?1 ORDER BY p.id";
/* one row by id: the record a write prints */
static const char pay_row_sql[] = PAY_SELECT " WHERE p.id = ?1";

static const char *const alloc_cols[] = {
    "id", "invoice", "payment_id", "credit_note", "amount",	 "currency",
    "at", "actor",   "undone_at",  "undone_by",	  "undo_reason", NULL};
static const enum col_kind alloc_kinds[] = {K_INT,   K_TEXT, K_INT,  K_TEXT,
					    K_MONEY, K_TEXT, K_TEXT, K_TEXT,
					    K_TEXT,  K_TEXT, K_TEXT};
#define ALLOC_SELECT                                                           \
	"SELECT a.id, i.number, a.payment_id, c.number, a.amount, i.currency," \
	" a.at, a.actor, a.undone_at, a.undone_by, a.undo_reason"              \
	" FROM allocations a JOIN invoices i ON i.id = a.invoice_id"           \
	" LEFT JOIN invoices c ON c.id = a.credit_id"
static const char alloc_sql[] =
    ALLOC_SELECT " WHERE ?1 = 0 OR i.company_id = ?1 ORDER BY a.id";
/* one row by id: the record a write prints */
static const char alloc_row_sql[] = ALLOC_SELECT " WHERE a.id = ?1";

static const char *const credit_cols[] = {"company_id", "currency", "credit",
					  NULL};
static const enum col_kind credit_kinds[] = {K_INT, K_TEXT, K_MONEY};
static const char credit_sql[] =
    "SELECT company_id, currency, sum(rest) FROM ("
    " SELECT p.company_id, p.currency, p.amount - " PAY_ALLOCATED " AS rest"
    " FROM payments p WHERE ?1 = 0 OR p.company_id = ?1"
    " UNION ALL"
    " SELECT c.company_id, c.currency, c.total - " CREDIT_USED
    " FROM invoices c WHERE c.kind = 'credit' AND"
    " (?1 = 0 OR c.company_id = ?1)) r"
    " GROUP BY company_id, currency HAVING sum(rest) <> 0"
    " ORDER BY company_id, currency";

static const char *const sched_cols[] = {
    "id",	"contract_id", "bill_date", "description", "amount",
    "currency", "tax_rate",    "invoice",   NULL};
static const enum col_kind sched_kinds[] = {K_INT,   K_INT,  K_TEXT, K_TEXT,
					    K_MONEY, K_TEXT, K_RATE, K_TEXT};
#define SCHED_SELECT                                                           \
	"SELECT s.id, s.contract_id, s.bill_date, s.description, s.amount,"    \
	" c.currency, s.tax_rate, (SELECT i.number FROM invoices i"            \
	"  WHERE i.schedule_id = s.id AND i.kind = 'invoice')"                 \
	" FROM contract_schedule s JOIN contracts c ON c.id = s.contract_id"
static const char sched_sql[] = SCHED_SELECT
    " WHERE ?1 = 0 OR s.contract_id = ?1 ORDER BY s.bill_date, s.id";
/* one row by id: the record a write prints */
static const char sched_row_sql[] = SCHED_SELECT " WHERE s.id = ?1";

static const struct listing listings[] = {
    {"invoices", inv_sql, inv_row_sql, inv_cols, inv_kinds, 10},
    {"lines", line_sql, NULL, line_cols, line_kinds, 9},
    {"payments", pay_sql, pay_row_sql, pay_cols, pay_kinds, 4},
    {"allocations", alloc_sql, alloc_row_sql, alloc_cols, alloc_kinds, 5},
    {"credit", credit_sql, NULL, credit_cols, credit_kinds, 1},
    {"schedule", sched_sql, sched_row_sql, sched_cols, sched_kinds, 5},
};

static const struct listing *listing(const char *what)
{
	for (size_t i = 0; i < sizeof(listings) / sizeof(listings[0]); i++)
		if (!strcmp(listings[i].what, what))
			return &listings[i];
	return NULL;
}

const char *const *crm_recv_columns(const char *what)
{
	const struct listing *l = listing(what);

	return l ? l->cols : NULL;
}

/* thousandths or hundredths as a decimal without trailing zeros */
static void fmt_scaled(int64_t v, int dec, char out[32])
{
	int64_t p = dec == 3 ? 1000 : 100;
	int n;

	n = snprintf(out, 32, "%s%lld.%0*lld", v < 0 ? "-" : "",
		     (long long)(v < 0 ? -v : v) / p, dec,
		     (long long)(v < 0 ? -v : v) % p);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
}

static void add_raw(struct crm_rec *rec, const char *name, const char *v)
{
	crm_rec_add(rec, name, strlen(name), v, strlen(v), CRM_RAW);
}

static int recs_row(struct crm_stmt *st, void *arg)
{
	struct crm_recs *r = arg;

	crm_rec_clear(&r->rec);
	if (r->row(st, &r->rec, r->ctx) < 0)
		return -1;
	return r->fn(&r->rec, r->arg) < 0 ? -1 : 0;
}

int crm_recs_each(struct crm_stmt *st, struct crm_recs *r, struct crm_err *err)
{
	int rc;

	if (!st)
		return -1;
	crm_rec_init(&r->rec);
	rc = crm_stmt_each(st, recs_row, r, err);
	crm_rec_release(&r->rec);
	return rc < 0 ? -1 : 0;
}

static int listing_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	const struct listing *l = ctx;
	const char *cur = crm_stmt_text(st, l->cur_col);

	for (int c = 0; l->cols[c]; c++) {
		char buf[32];

		if (crm_stmt_is_null(st, c)) {
			crm_rec_add(rec, l->cols[c], strlen(l->cols[c]), NULL,
				    0, CRM_NULL);
			continue;
		}
		switch (l->kinds[c]) {
		case K_INT:
			add_raw(rec, l->cols[c], crm_stmt_text(st, c));
			break;
		case K_TEXT:
			crm_rec_adds(rec, l->cols[c], crm_stmt_text(st, c));
			break;
		case K_MONEY:
			crm_money_format(crm_stmt_int(st, c), cur ? cur : "XXX",
					 buf);
			add_raw(rec, l->cols[c], buf);
			break;
		case K_QTY:
			fmt_scaled(crm_stmt_int(st, c), 3, buf);
			add_raw(rec, l->cols[c], buf);
			break;
		case K_RATE:
			fmt_scaled(crm_stmt_int(st, c), 2, buf);
			add_raw(rec, l->cols[c], buf);
			break;
		}
	}
	return 0;
}

static int list_run(struct crm_db *db, const struct listing *l, const char *sql,
		    int64_t id, int (*fn)(const struct crm_rec *rec, void *arg),
		    void *arg, struct crm_err *err)
{
	struct crm_recs r = {listing_row, (void *)l, fn, arg};

	return crm_recs_each(crm_dbq(db, err, sql, "i", id), &r, err);
}

int crm_recv_list(struct crm_db *db, const char *what, int64_t id,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  struct crm_err *err)
{
	const struct listing *l = listing(what);

	if (!l)
		return crm_err_set(err, CRM_EX_SOFTWARE, "no listing %s", what);
	return list_run(db, l, l->sql, id, fn, arg, err);
}

int crm_recv_list_row(struct crm_db *db, const char *what, int64_t row_id,
		      int (*fn)(const struct crm_rec *rec, void *arg),
		      void *arg, struct crm_err *err)
{
	const struct listing *l = listing(what);

	if (!l || !l->row_sql)
		return crm_err_set(err, CRM_EX_SOFTWARE, "no rows of %s by id",
				   what);
	return list_run(db, l, l->row_sql, row_id, fn, arg, err);
}

/* -- journal ----------------------------------------------------------- */

const char *const crm_journal_columns[] = {
    "line_id",	"entry",      "date",	  "account", "debit", "credit",
    "currency", "company_id", "doc_type", "doc_id",  "memo",  NULL};

struct journal {
	int64_t last;
	uint64_t *n;
};

static int journal_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	struct journal *j = ctx;
	const char *cur = crm_stmt_text(st, 6);
	char buf[32];

	add_raw(rec, "line_id", crm_stmt_text(st, 0));
	crm_rec_adds(rec, "entry", crm_stmt_text(st, 1));
	crm_rec_adds(rec, "date", crm_stmt_text(st, 2));
	crm_rec_adds(rec, "account", crm_stmt_text(st, 3));
	add_raw(rec, "debit", crm_money_format(crm_stmt_int(st, 4), cur, buf));
	add_raw(rec, "credit", crm_money_format(crm_stmt_int(st, 5), cur, buf));
	crm_rec_adds(rec, "currency", cur);
	if (crm_stmt_is_null(st, 7))
		crm_rec_add(rec, "company_id", 10, NULL, 0, CRM_NULL);
	else
		add_raw(rec, "company_id", crm_stmt_text(st, 7));
	crm_rec_adds(rec, "doc_type", crm_stmt_text(st, 8));
	add_raw(rec, "doc_id", crm_stmt_text(st, 9));
	crm_rec_adds(rec, "memo", crm_stmt_text(st, 10));
	j->last = crm_stmt_int(st, 0);
	(*j->n)++;
	return 0;
}

int crm_journal_export(struct crm_db *db, const char *cursor,
		       int (*fn)(const struct crm_rec *rec, void *arg),
		       void *arg, uint64_t *n, struct crm_err *err)
{
	struct journal j = {0, n};
	struct crm_recs r = {journal_row, &j, fn, arg};
	int64_t from = 0;

	*n = 0;
	if (cursor) {
		from = crm_db_int(db,
				  "SELECT last_id FROM journal_cursors"
				  " WHERE name = ?1",
				  cursor, NULL, err);
		if (from < 0)
			return -1;
	}
	j.last = from;
	if (crm_recs_each(
		crm_dbq(db, err,
			"SELECT id, entry, posted_on, account, debit,"
			" credit, currency, company_id, doc_type, doc_id,"
			" memo FROM journal_lines WHERE id > ?"
			" ORDER BY id",
			"i", from),
		&r, err) < 0)
		return -1;
	if (cursor && j.last > from) {
		char now[CRM_TIME_LEN];

		return crm_dbq_run(
		    db, err,
		    "INSERT INTO journal_cursors (name, last_id, at)"
		    " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE"
		    " SET last_id = excluded.last_id, at = excluded.at",
		    "sis", cursor, j.last, crm_datetime_format(db->now, now));
	}
	return 0;
}

/* -- reports ----------------------------------------------------------- */

const char *const crm_aging_columns[] = {
    "group",	  "currency", "current", "days_1_30", "days_31_60",
    "days_61_90", "over_90",  "total",	 "invoices",  NULL};

struct aging_acc {
	char key[256], cur[8];
	__int128 b[6];
	int64_t n;
	bool any;
};

static int aging_emit(struct aging_acc *a,
		      int (*fn)(const struct crm_rec *rec, void *arg),
		      void *arg, struct crm_err *err)
{
	static const char *const names[] = {"current",	  "days_1_30",
					    "days_31_60", "days_61_90",
					    "over_90",	  "total"};
	struct crm_rec rec;
	char buf[32];
	int rc;

	if (!a->any)
		return 0;
	for (int i = 0; i < 6; i++)
		if (!fits(a->b[i]))
			return crm_money_overflow(err, "aging");
	crm_rec_init(&rec);
	crm_rec_adds(&rec, "group", a->key);
	crm_rec_adds(&rec, "currency", a->cur);
	for (int i = 0; i < 6; i++)
		add_raw(&rec, names[i],
			crm_money_format((int64_t)a->b[i], a->cur, buf));
	add_raw(&rec, "invoices", crm_fmt_int(buf, a->n));
	rc = fn(&rec, arg);
	crm_rec_release(&rec);
	memset(a, 0, sizeof(*a));
	return rc;
}

struct aging {
	struct aging_acc acc;
	int64_t day0;
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
	struct crm_err *err;
};

static int aging_row(struct crm_stmt *st, void *arg)
{
	struct aging *g = arg;
	struct aging_acc *acc = &g->acc;
	const char *key = crm_stmt_text(st, 0);
	const char *cur = crm_stmt_text(st, 1);
	int64_t open = crm_stmt_int(st, 3), late;
	crm_time td;

	if (acc->any && (strcmp(acc->key, key) || strcmp(acc->cur, cur)) &&
	    aging_emit(acc, g->fn, g->arg, g->err) < 0)
		return -1;
	if (!acc->any) {
		snprintf(acc->key, sizeof(acc->key), "%s", key);
		snprintf(acc->cur, sizeof(acc->cur), "%s", cur);
		acc->any = true;
	}
	if (crm_datetime_parse(crm_stmt_text(st, 2), &td, g->err) < 0)
		return -1;
	late = g->day0 - td / 86400;
	acc->b[late <= 0    ? 0
	       : late <= 30 ? 1
	       : late <= 60 ? 2
	       : late <= 90 ? 3
			    : 4] += open;
	acc->b[5] += open;
	acc->n++;
	return 0;
}

/* Aging: the open invoices, each as its key (the SELECT before this),
 * currency, due date and open amount. */
#define AGING_OPEN                                                             \
	", i.currency, i.due_date, i.total - coalesce(a.s, 0)"                 \
	" FROM invoices i JOIN companies co ON co.id = i.company_id"           \
	" LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations"     \
	"  WHERE undone_at IS NULL GROUP BY invoice_id) a"                     \
	"  ON a.invoice_id = i.id"                                             \
	" WHERE i.kind = 'invoice' AND i.total - coalesce(a.s, 0) <> 0"        \
	" ORDER BY 1, 2"

int crm_aging(struct crm_db *db, const char *as_of, const char *by,
	      int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
	      struct crm_err *err)
{
	static const char by_account[] =
	    "SELECT co.name || ' (' || i.company_id || ')'" AGING_OPEN;
	static const char by_owner[] =
	    "SELECT coalesce(co.owner, '')" AGING_OPEN;
	struct aging g = {.fn = fn, .arg = arg, .err = err};
	crm_time t0;
	int rc;

	if (check_date("--as-of", as_of, err) < 0 ||
	    crm_datetime_parse(as_of, &t0, err) < 0)
		return -1;
	g.day0 = t0 / 86400;
	/* every open invoice sorted, and the allocations grouped: on disk
	 * past a bound (1,125 MiB at 10M invoices in memory) */
	if (crm_db_sort_spill(db, true, err) < 0)
		return -1;
	rc = crm_dbq_each(db, err, aging_row, &g,
			  strcmp(by, "owner") ? by_account : by_owner, "");
	if (crm_db_sort_spill_end(db, rc, err) < 0)
		return -1;
	return aging_emit(&g.acc, fn, arg, err) < 0 ? -1 : 0;
}

const char *const crm_dso_columns[] = {"currency", "receivables", "billed",
				       "days",	   "dso",	  NULL};

static int dso_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	int64_t days = *(const int64_t *)ctx;
	const char *cur = crm_stmt_text(st, 0);
	int64_t bal = crm_stmt_int(st, 1), billed = crm_stmt_int(st, 2);
	char buf[32];

	crm_rec_adds(rec, "currency", cur);
	add_raw(rec, "receivables", crm_money_format(bal, cur, buf));
	add_raw(rec, "billed", crm_money_format(billed, cur, buf));
	add_raw(rec, "days", crm_fmt_int(buf, days));
	if (billed > 0) {
		/* one decimal, half away from zero */
		__int128 d10 = div_round((__int128)bal * days * 10, billed);

		snprintf(buf, sizeof(buf), "%s%lld.%lld", d10 < 0 ? "-" : "",
			 (long long)((d10 < 0 ? -d10 : d10) / 10),
			 (long long)((d10 < 0 ? -d10 : d10) % 10));
		add_raw(rec, "dso", buf);
	} else {
		crm_rec_add(rec, "dso", 3, NULL, 0, CRM_NULL);
	}
	return 0;
}

/* crm_recs_each of sql, with a and b bound as ?1 and ?2 when given; its
 * grouping sorts every invoice and payment (or every open invoice): on
 * disk past a bound (1,125 MiB at 10M invoices in memory). */
static int recs_spilled(struct crm_db *db, struct crm_recs *r, const char *sql,
			const char *a, const char *b, struct crm_err *err)
{
	if (crm_db_sort_spill(db, true, err) < 0)
		return -1;
	return crm_db_sort_spill_end(
	    db,
	    crm_recs_each(crm_dbq(db, err, sql, a ? "ss" : "", a, b), r, err),
	    err);
}

int crm_dso(struct crm_db *db, const char *as_of, int64_t days,
	    int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
	    struct crm_err *err)
{
	struct crm_recs r = {dso_row, &days, fn, arg};
	char from[16];

	if (check_date("--as-of", as_of, err) < 0 ||
	    crm_date_add(as_of, -days, from, err) < 0)
		return -1;
	/* receivables: open invoices less unused credit (the ledger
	 * balance); billed: invoices less credit notes issued after from */
	return recs_spilled(
	    db, &r,
	    "SELECT currency, sum(bal), sum(billed) FROM ("
	    " SELECT currency, CASE kind WHEN 'invoice' THEN total"
	    "  ELSE -total END AS bal,"
	    "  CASE WHEN issue_date > ?1 AND issue_date <= ?2 THEN"
	    "  CASE kind WHEN 'invoice' THEN total ELSE -total END"
	    "  ELSE 0 END AS billed"
	    " FROM invoices WHERE issue_date <= ?2"
	    " UNION ALL SELECT currency, -amount, 0 FROM payments"
	    " WHERE received_on <= ?2) r"
	    " GROUP BY currency ORDER BY currency",
	    from, as_of, err);
}

const char *const crm_months_columns[] = {
    "month",	 "currency",	"billed", "credited",
    "collected", "open_at_end", NULL};

struct months {
	char cur[8];
	__int128 open;
	struct crm_err *err;
};

static int months_row(struct crm_stmt *st, struct crm_rec *rec, void *ctx)
{
	struct months *m = ctx;
	int64_t b = crm_stmt_int(st, 2), c = crm_stmt_int(st, 3),
		p = crm_stmt_int(st, 4);
	char buf[32];

	if (strcmp(m->cur, crm_stmt_text(st, 0))) {
		snprintf(m->cur, sizeof(m->cur), "%s", crm_stmt_text(st, 0));
		m->open = 0;
	}
	m->open += (__int128)b - c - p;
	if (!fits(m->open))
		return crm_money_overflow(m->err, "months");
	crm_rec_adds(rec, "month", crm_stmt_text(st, 1));
	crm_rec_adds(rec, "currency", m->cur);
	add_raw(rec, "billed", crm_money_format(b, m->cur, buf));
	add_raw(rec, "credited", crm_money_format(c, m->cur, buf));
	add_raw(rec, "collected", crm_money_format(p, m->cur, buf));
	add_raw(rec, "open_at_end",
		crm_money_format((int64_t)m->open, m->cur, buf));
	return 0;
}

int crm_billing_months(struct crm_db *db,
		       int (*fn)(const struct crm_rec *rec, void *arg),
		       void *arg, struct crm_err *err)
{
	struct months m = {.err = err};
	struct crm_recs r = {months_row, &m, fn, arg};

	return recs_spilled(
	    db, &r,
	    "SELECT currency, m, sum(b), sum(c), sum(p) FROM ("
	    " SELECT currency, substr(issue_date, 1, 7) AS m,"
	    "  CASE kind WHEN 'invoice' THEN total ELSE 0 END AS b,"
	    "  CASE kind WHEN 'credit' THEN total ELSE 0 END AS c, 0 AS p"
	    " FROM invoices"
	    " UNION ALL SELECT currency, substr(received_on, 1, 7), 0, 0,"
	    "  amount FROM payments) r"
	    " GROUP BY currency, m ORDER BY currency, m",
	    NULL, NULL, err);
}
