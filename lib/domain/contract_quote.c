/* contract_quote.c - a contract from an accepted quote (lib/domain/quote.h):
 * the account, deal, currency and value of the quote's accepted version,
 * and a billing schedule from its lines: one-time lines billed on the
 * start date, one entry per tax category (tax on the category's sum, as
 * the quote takes it); subscription lines (a product with a
 * billing_period) billed every period over the product's term. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "dbq.h"
#include "money.h"
#include "quote.h"
#include "receivable.h"

/* A line to bill: period "" for a one-time line, start and end ""
 * when the line has none. */
struct qline {
	char *name, cat[64], period[16], start[16], end[16];
	int64_t qty, amount, term, rate;
};

int crm_date_add_months(const char *date, int64_t months, char out[16],
			struct crm_err *err)
{
	crm_time t;
	int64_t y, m, d;
	unsigned mm, dd;

	if (crm_datetime_parse(date, &t, err) < 0)
		return -1;
	crm_civil_from_days(t / 86400, &y, &mm, &dd);
	m = (int64_t)mm - 1 + months;
	y += m >= 0 ? m / 12 : (m - 11) / 12;
	m = ((m % 12) + 12) % 12 + 1;
	d = dd;
	{
		static const int mdays[] = {31, 28, 31, 30, 31, 30,
					    31, 31, 30, 31, 30, 31};
		int last = mdays[m - 1] + (m == 2 && crm_is_leap_year(y));

		if (d > last)
			d = last;
	}
	snprintf(out, 16, "%04lld-%02lld-%02lld", (long long)y, (long long)m,
		 (long long)d);
	return 0;
}

/* The quote a contract comes from. */
struct qhead {
	char status[32], cur[8], region[64];
	int64_t company, deal, version;
};

static int head_row(struct crm_stmt *st, void *arg)
{
	struct qhead *h = arg;

	snprintf(h->status, sizeof(h->status), "%s", crm_stmt_text(st, 0));
	h->version = crm_stmt_int(st, 1);
	h->company = crm_stmt_int(st, 2);
	h->deal = crm_stmt_int(st, 3);
	snprintf(h->cur, sizeof(h->cur), "%s", crm_stmt_text(st, 4));
	snprintf(h->region, sizeof(h->region), "%s", crm_stmt_text(st, 5));
	return 0;
}

/* A line to bill. */
static void line_fill(struct crm_stmt *st, void *elem)
{
	struct qline *l = elem;
	const char *per = crm_stmt_text(st, 4);

	l->name = crm_xstrdup(crm_stmt_text(st, 0));
	l->qty = crm_stmt_int(st, 1);
	l->amount = crm_stmt_int(st, 2);
	snprintf(l->cat, sizeof(l->cat), "%s", crm_stmt_text(st, 3));
	if (crm_period_months(per) > 0)
		snprintf(l->period, sizeof(l->period), "%s", per);
	l->term = crm_stmt_int(st, 5);
	for (int k = 0; k < 2; k++)
		if (!crm_stmt_is_null(st, 6 + k))
			snprintf(k ? l->end : l->start, sizeof(l->start),
				 "%.10s", crm_stmt_text(st, 6 + k));
}

static void free_lines(struct qline *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].name);
	free(l);
}

int crm_contract_from_quote(struct crm_db *db, int64_t qid,
			    const struct crm_from_quote *o, int64_t *cid,
			    struct crm_err *err)
{
	struct qhead h = {0};
	struct qline *lines = NULL;
	size_t n = 0;
	const char *cur = h.cur, *region = h.region;
	char start[16], end[16] = "", num[32], money[32];
	int64_t company, deal, existing;
	int64_t max_term = 0;
	__int128 value = 0;
	int rc = -1;

	if (crm_dbq_each(db, err, head_row, &h,
			 "SELECT status, coalesce(accepted_version, 0),"
			 " coalesce(company_id, 0), coalesce(deal_id, 0),"
			 " currency, coalesce(region, '') FROM quotes"
			 " WHERE id = ?",
			 "i", qid) < 0)
		return -1;
	if (!*h.status)
		return crm_err_set(err, CRM_EX_NOINPUT, "no quote has id %lld",
				   (long long)qid);
	if (strcmp(h.status, "accepted") || !h.version)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "quote %lld is %s, not accepted",
				   (long long)qid, h.status);
	company = h.company;
	deal = h.deal;
	if (!company)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "quote %lld has no account", (long long)qid);
	existing = crm_dbq_int(
	    db, err, "SELECT id FROM contracts WHERE quote_id = ?1", "i", qid);
	if (existing < 0)
		return -1;
	if (existing)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "quote %lld has its contract already (%lld)",
				   (long long)qid, (long long)existing);
	if (o->start) {
		crm_time t;

		if (strlen(o->start) != 10 ||
		    crm_datetime_parse(o->start, &t, err) < 0)
			return crm_err_set(err, CRM_EX_USAGE,
					   "--start: expected a date "
					   "YYYY-MM-DD, got '%s'",
					   o->start);
		snprintf(start, sizeof(start), "%s", o->start);
	} else {
		char buf[CRM_TIME_LEN];

		crm_datetime_format_date(db->now, buf);
		snprintf(start, sizeof(start), "%s", buf);
	}
	/* the accepted version's lines */
	/* a line with no amount is in a bundle, or free: nothing to bill */
	rc = crm_dbq_rows(
	    db, err, &lines, &n, sizeof(*lines), line_fill,
	    "SELECT coalesce(l.name, l.sku), l.qty, coalesce(l.amount, 0),"
	    " coalesce(l.tax_category, ''), p.billing_period,"
	    " coalesce(l.term_months, p.term_months, 0), l.start_date,"
	    " l.end_date"
	    " FROM quote_lines l LEFT JOIN products p ON p.id = l.product_id"
	    " WHERE l.quote_id = ? AND l.version = ?"
	    " AND coalesce(l.amount, 0) > 0 ORDER BY l.line_no",
	    "ii", qid, h.version);
	if (rc < 0)
		goto out;
	if (!n) {
		rc = crm_err_set(err, CRM_EX_DATAERR,
				 "quote %lld has no line to bill",
				 (long long)qid);
		goto out;
	}
	/* tax rates by category for the quote's region */
	for (size_t i = 0; i < n; i++) {
		json_t *r =
		    o->tax && o->tax->root && *region
			? json_object_get(
			      json_object_get(
				  json_object_get(o->tax->root, "regions"),
				  region),
			      lines[i].cat)
			: NULL;

		lines[i].rate = json_is_integer(r) ? json_integer_value(r) : 0;
	}
	/* the value (the quote's lines: each subscription for its whole
	 * term) and the end (the latest subscription end) */
	for (size_t i = 0; i < n; i++) {
		char e1[16];

		value += lines[i].amount;
		if (!*lines[i].period)
			continue;
		if (!*lines[i].start)
			snprintf(lines[i].start, sizeof(lines[i].start), "%s",
				 start);
		if (!*lines[i].end) {
			if (crm_date_add_months(
				lines[i].start,
				lines[i].term > 0 ? lines[i].term : 12, e1,
				err) < 0)
				goto out;
			snprintf(lines[i].end, sizeof(lines[i].end), "%s", e1);
		}
		if (!*end || strcmp(lines[i].end, end) > 0)
			snprintf(end, sizeof(end), "%s", lines[i].end);
	}
	(void)max_term;
	if (value > INT64_MAX) {
		rc = crm_money_overflow(err, "contract value");
		goto out;
	}
	if (*end && crm_date_add(end, -1, end, err) < 0) {
		rc = -1;
		goto out;
	}
	/* the contract, through the engine */
	{
		struct crm_import_opts io = {.command = "from-quote",
					     .mode = CRM_CREATE_ONLY,
					     .keys = "id"};
		struct crm_importer *im =
		    crm_importer_new(db, &crm_contract_entity, &io, err);
		enum crm_import_action a;
		struct crm_row row;
		struct crm_rec rec;
		char *name;

		if (!im) {
			rc = -1;
			goto out;
		}
		crm_row_init(&row, &crm_contract_entity);
		crm_rec_init(&rec);
		name = o->name ? crm_xstrdup(o->name)
			       : crm_xasprintf("Quote %lld", (long long)qid);
		crm_rec_adds(&rec, "name", name);
		free(name);
		crm_rec_adds(&rec, "company_id", crm_fmt_int(num, company));
		if (deal)
			crm_rec_adds(&rec, "deal_id", crm_fmt_int(num, deal));
		crm_rec_adds(&rec, "quote_id", crm_fmt_int(num, qid));
		crm_rec_adds(&rec, "start_date", start);
		if (*end)
			crm_rec_adds(&rec, "end_date", end);
		crm_rec_adds(&rec, "currency", cur);
		crm_rec_adds(&rec, "value",
			     crm_money_format((int64_t)value, cur, money));
		crm_rec_adds(&rec, "billing", "schedule");
		if (o->net_days)
			crm_rec_adds(&rec, "net_days", o->net_days);
		if (o->owner)
			crm_rec_adds(&rec, "owner", o->owner);
		rc = crm_importer_apply(im, &rec, &row, &a, err);
		if (rc == 0)
			*cid = crm_row_id(&row);
		crm_rec_release(&rec);
		crm_row_release(&row);
		crm_importer_free(im);
		if (rc < 0)
			goto out;
	}
	/* one-time lines: one entry per tax category on the start date */
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t sum = 0, sid;
		struct crm_buf desc = {0};
		bool first = true;

		if (*lines[i].period || !lines[i].name)
			continue;
		for (size_t k = i; k < n; k++) {
			if (*lines[k].period || !lines[k].name ||
			    strcmp(lines[k].cat, lines[i].cat))
				continue;
			sum += lines[k].amount;
			crm_buf_addf(&desc, "%s%s", first ? "" : ", ",
				     lines[k].name);
			first = false;
			if (k != i) {
				free(lines[k].name);
				lines[k].name = NULL;
			}
		}
		rc = crm_schedule_add(db, *cid, start, crm_buf_str(&desc),
				      crm_money_format(sum, cur, money),
				      lines[i].rate, &sid, err);
		crm_buf_release(&desc);
	}
	/* subscriptions: every period from the line's start to its end, the
	 * line's amount split by days (a co-termed last period is a part) */
	for (size_t i = 0; i < n && rc == 0; i++) {
		int pm = crm_period_months(lines[i].period);
		long double w[1200], total = 0;
		char day[1200][16];
		int64_t np = 0, done = 0;

		if (pm <= 0)
			continue;
		while (np < 1200) {
			char next[16];
			int64_t full, part;

			if (crm_date_add_months(lines[i].start, np * pm,
						day[np], err) < 0 ||
			    crm_date_add_months(lines[i].start, (np + 1) * pm,
						next, err) < 0) {
				rc = -1;
				break;
			}
			if (strcmp(day[np], lines[i].end) >= 0)
				break;
			if (crm_date_days(day[np], next, &full, err) < 0 ||
			    crm_date_days(day[np],
					  strcmp(next, lines[i].end) < 0
					      ? next
					      : lines[i].end,
					  &part, err) < 0) {
				rc = -1;
				break;
			}
			w[np] = full > 0 ? (long double)part / full : 1;
			total += w[np];
			np++;
		}
		for (int64_t k = 0; rc == 0 && k < np; k++) {
			long double cum = 0;
			int64_t upto, sid;
			char *desc;

			for (int64_t j = 0; j <= k; j++)
				cum += w[j];
			upto = k == np - 1 ? lines[i].amount
					   : (int64_t)llroundl(lines[i].amount *
							       cum / total);
			desc = crm_xasprintf("%s, %s %lld of %lld",
					     lines[i].name, lines[i].period,
					     (long long)k + 1, (long long)np);
			rc = crm_schedule_add(
			    db, *cid, day[k], desc,
			    crm_money_format(upto - done, cur, money),
			    lines[i].rate, &sid, err);
			done = upto;
			free(desc);
		}
	}
out:
	free_lines(lines, n);
	return rc < 0 ? -1 : 0;
}
