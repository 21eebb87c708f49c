/* t_receivable.c - invoice line arithmetic, edit distance, and a property
 * test: random invoices, credit notes, payments, allocations and undone
 * allocations, after which every invoice's total is the sum of its lines,
 * its open amount is its total less its live allocations (payments and
 * credit notes), never negative, and no payment or credit note is
 * allocated beyond its amount. */
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "money.h"
#include "receivable.h"
#include "reconcile.h"
#include "test.h"

static int64_t q1(struct crm_db *db, const char *sql)
{
	struct crm_err err = {0};

	return crm_db_int(db, sql, NULL, NULL, &err);
}

static void lines(void)
{
	struct crm_err err = {0};
	struct crm_inv_line l;
	int64_t bp;

	CHECK(crm_line_parse("Training;2;450.50;19", "EUR", &l, &err) == 0,
	      "a line parses");
	CHECK_INT(l.quantity, 2000, "quantity in thousandths");
	CHECK_INT(l.net, 90100, "net = 2 x 450.50");
	CHECK_INT(l.tax, 17119, "tax 19% of 901.00");
	CHECK_INT(l.total, 107219, "total = net + tax");
	free(l.description);
	CHECK(crm_line_parse("Hours;1.5;33.33;7.5", "EUR", &l, &err) == 0,
	      "fractional quantity and rate");
	/* 1.5 x 33.33 = 49.995 -> 50.00 (half away from zero); 7.5% of
	 * 50.00 = 3.75 */
	CHECK_INT(l.net, 5000, "net rounded half away from zero");
	CHECK_INT(l.tax, 375, "tax 7.5%");
	free(l.description);
	CHECK(crm_line_parse("Yen;3;1000;10", "JPY", &l, &err) == 0, "JPY");
	CHECK_INT(l.total, 3300, "JPY has no minor unit");
	free(l.description);
	CHECK(crm_line_parse("Bad;0;1", "EUR", &l, &err) < 0, "zero quantity");
	CHECK(crm_line_parse("Bad;1;1.234", "EUR", &l, &err) < 0,
	      "three decimals in EUR");
	CHECK(crm_line_parse("Bad;1;-5", "EUR", &l, &err) < 0,
	      "negative price (a credit note's job)");
	CHECK(crm_line_parse("Bad;1", "EUR", &l, &err) < 0, "too few parts");
	CHECK(crm_line_parse("Bad;1;1;x", "EUR", &l, &err) < 0, "bad tax");
	CHECK(crm_rate_parse("19", &bp) == 0 && bp == 1900, "19% = 1900");
	CHECK(crm_rate_parse("0.5", &bp) == 0 && bp == 50, "0.5% = 50");
	CHECK(crm_rate_parse("1.234", &bp) < 0, "rate with 3 decimals");
}

static void distance(void)
{
	CHECK_INT(crm_edit_distance("INV000123", "INV000123", 1), 0, "same");
	CHECK_INT(crm_edit_distance("INV000123", "INV000124", 1), 1,
		  "substitution");
	CHECK_INT(crm_edit_distance("INV000123", "INV00123", 1), 1, "deletion");
	CHECK_INT(crm_edit_distance("INV000123", "INV000213", 1), 1,
		  "transposition");
	CHECK_INT(crm_edit_distance("INV000123", "INV000321", 1), 2,
		  "two edits: more than max");
}

/* The identities, checked by SQL over the whole database. */
static void identities(struct crm_db *db, const char *when)
{
	char what[128];

	snprintf(what, sizeof(what), "%s: total = sum of lines", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoices i WHERE i.total <>"
			 " (SELECT sum(total) FROM invoice_lines l"
			 "  WHERE l.invoice_id = i.id)"
			 " OR i.net <> (SELECT sum(net) FROM invoice_lines l"
			 "  WHERE l.invoice_id = i.id)"
			 " OR i.tax <> (SELECT sum(tax) FROM invoice_lines l"
			 "  WHERE l.invoice_id = i.id)"
			 " OR i.total <> i.net + i.tax"),
		  0, what);
	snprintf(what, sizeof(what), "%s: line total = net + tax", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoice_lines"
			 " WHERE total <> net + tax"),
		  0, what);
	snprintf(what, sizeof(what), "%s: 0 <= open <= total", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoices i WHERE"
			 " i.kind = 'invoice' AND (SELECT coalesce(sum(amount),"
			 " 0) FROM allocations a WHERE a.invoice_id = i.id AND"
			 " a.undone_at IS NULL) NOT BETWEEN 0 AND i.total"),
		  0, what);
	snprintf(what, sizeof(what), "%s: payments not over-allocated", when);
	CHECK_INT(q1(db,
		     "SELECT count(*) FROM payments p WHERE p.amount <"
		     " (SELECT coalesce(sum(amount), 0) FROM allocations a"
		     "  WHERE a.payment_id = p.id AND a.undone_at IS NULL)"),
		  0, what);
	snprintf(what, sizeof(what), "%s: credit notes within the invoice",
		 when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoices i WHERE"
			 " i.kind = 'invoice' AND i.total < (SELECT"
			 " coalesce(sum(total), 0) FROM invoices c"
			 " WHERE c.credit_of = i.id)"),
		  0, what);
	snprintf(what, sizeof(what), "%s: credit notes not over-allocated",
		 when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoices c WHERE"
			 " c.kind = 'credit' AND c.total < (SELECT"
			 " coalesce(sum(amount), 0) FROM allocations a"
			 " WHERE a.credit_id = c.id AND a.undone_at IS NULL)"),
		  0, what);
	snprintf(what, sizeof(what), "%s: allocations in one currency", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM allocations a"
			 " JOIN invoices i ON i.id = a.invoice_id"
			 " LEFT JOIN payments p ON p.id = a.payment_id"
			 " LEFT JOIN invoices c ON c.id = a.credit_id"
			 " WHERE i.currency <> coalesce(p.currency, c.currency)"
			 " OR i.company_id <> coalesce(p.company_id,"
			 " c.company_id)"),
		  0, what);
	snprintf(what, sizeof(what), "%s: the journal balances", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM (SELECT currency FROM"
			 " journal_lines GROUP BY currency"
			 " HAVING sum(debit) <> sum(credit)) x"),
		  0, what);
	snprintf(what, sizeof(what), "%s: numbers without gaps", when);
	CHECK_INT(q1(db, "SELECT count(*) FROM invoice_series s WHERE s.last <>"
			 " (SELECT count(*) FROM invoices i"
			 "  WHERE i.series = s.series) OR s.last <>"
			 " (SELECT max(seq) FROM invoices i"
			 "  WHERE i.series = s.series)"),
		  0, what);
}

/* The open amount crm_invoice_open reports against a recount from
 * the lines and allocations done here, for every invoice. */
static void open_amounts(struct crm_db *db, const int64_t *expect_open,
			 const int64_t *ids, size_t n)
{
	struct crm_err err = {0};
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t open = -1;

		if (crm_invoice_open(db, ids[i], &open, &err) < 0 ||
		    open != expect_open[i])
			bad++;
	}
	CHECK_INT(bad, 0, "every open amount equals the model's");
}

static void property(struct crm_db *db)
{
	static const char *const curs[] = {"EUR", "JPY", "KWD"};
	enum { NINV = 120 };
	struct crm_err err = {0};
	int64_t inv[NINV], open[NINV], comp[NINV];
	const char *cur[NINV];
	int64_t pays[400], pay_rest[400], pay_comp[400];
	const char *pay_cur[400];
	size_t npay = 0, fails = 0;
	unsigned seed = 20261122;

	srand(seed);
	if (crm_db_begin(db, &err) < 0 ||
	    crm_db_exec(db,
			"INSERT INTO companies (name, created_at, updated_at)"
			" VALUES ('A', 'x', 'x'), ('B', 'x', 'x')",
			&err) < 0) {
		CHECK(0, err.msg);
		return;
	}
	for (size_t i = 0; i < NINV; i++) {
		struct crm_inv_line ls[4];
		struct crm_invoice_new nw = {0};
		size_t nl = 1 + (size_t)rand() % 4;
		int64_t total = 0;

		cur[i] = curs[rand() % 3];
		comp[i] = 1 + rand() % 2;
		for (size_t k = 0; k < nl; k++) {
			ls[k] = (struct crm_inv_line){
			    .description = "x",
			    .quantity = 1 + rand() % 5000,
			    .unit_price = 1 + rand() % 1000000,
			    .tax_rate = (rand() % 4) * 500 + (rand() % 2) * 50};
			crm_line_amounts(&ls[k], &err);
			total += ls[k].total;
		}
		nw.company_id = comp[i];
		nw.currency = cur[i];
		nw.lines = ls;
		nw.nlines = nl;
		nw.series = rand() % 2 ? "INV" : "B";
		if (crm_invoice_issue(db, &nw, &inv[i], &err) < 0) {
			CHECK(0, err.msg);
			return;
		}
		open[i] = total;
	}
	for (int step = 0; step < 600; step++) {
		int what = rand() % 10;
		size_t i = (size_t)rand() % NINV;

		if (what < 3 && npay < 400) {
			/* a payment, maybe allocated in part */
			struct crm_payment_new p = {.company_id = comp[i],
						    .currency = cur[i],
						    .amount =
							1 + rand() % 2000000};
			if (crm_payment_add(db, &p, &pays[npay], &err) < 0) {
				CHECK(0, err.msg);
				return;
			}
			pay_rest[npay] = p.amount;
			pay_comp[npay] = comp[i];
			pay_cur[npay] = cur[i];
			npay++;
		} else if (what < 7 && npay) {
			size_t k = (size_t)rand() % npay;
			int64_t amount = rand() % 3 ? 0 : 1 + rand() % 100000;
			int64_t done = 0;
			bool ok = pay_comp[k] == comp[i] &&
				  !strcmp(pay_cur[k], cur[i]);
			int64_t can =
			    pay_rest[k] < open[i] ? pay_rest[k] : open[i];
			int rc;

			ok = ok && (amount ? amount <= can : can > 0);
			rc = crm_allocate(db, pays[k], false, inv[i], amount,
					  NULL, &done, &err);
			if ((rc == 0) != ok)
				fails++;
			if (rc == 0) {
				pay_rest[k] -= done;
				open[i] -= done;
			}
		} else if (what < 8) {
			/* a partial credit note */
			struct crm_stmt *st = crm_db_stmt(
			    db,
			    "SELECT i.total - coalesce((SELECT sum(total) FROM"
			    " invoices c WHERE c.credit_of = i.id), 0)"
			    " FROM invoices i WHERE i.id = ?",
			    &err);
			int64_t left = 0, id, gross;

			crm_stmt_bind_int(st, 1, inv[i]);
			if (crm_stmt_step(st, &err) > 0)
				left = crm_stmt_int(st, 0);
			crm_stmt_finalize(st);
			gross = 1 + rand() % 200000;
			if (crm_credit_issue(db, inv[i], gross, NULL, 0, NULL,
					     NULL, "p", &id, &err) == 0) {
				if (gross > left)
					fails++;
				open[i] -= gross < open[i] ? gross : open[i];
			} else if (gross <= left) {
				fails++;
			}
		} else if (what < 9) {
			/* undo a live allocation to invoice i, if any */
			int64_t aid = 0, amount = 0, pid = 0;
			struct crm_stmt *st = crm_db_stmt(
			    db,
			    "SELECT id, amount, coalesce(payment_id, 0)"
			    " FROM allocations WHERE invoice_id = ? AND"
			    " undone_at IS NULL ORDER BY id LIMIT 1",
			    &err);

			crm_stmt_bind_int(st, 1, inv[i]);
			if (crm_stmt_step(st, &err) > 0) {
				aid = crm_stmt_int(st, 0);
				amount = crm_stmt_int(st, 1);
				pid = crm_stmt_int(st, 2);
			}
			crm_stmt_finalize(st);
			if (aid &&
			    crm_allocation_undo(db, aid, "test", &err) == 0) {
				open[i] += amount;
				for (size_t k = 0; k < npay; k++)
					if (pays[k] == pid)
						pay_rest[k] += amount;
			}
		} else {
			int64_t done = 0;

			if (crm_apply_credit(db, inv[i], &done, &err) < 0)
				fails++;
			open[i] -= done;
			/* which sources paid is recounted from the db */
			for (size_t k = 0; k < npay; k++) {
				struct crm_err e2 = {0};
				int64_t rest;

				if (crm_payment_rest(db, pays[k], &rest, &e2) ==
				    0)
					pay_rest[k] = rest;
			}
		}
	}
	CHECK_INT(fails, 0,
		  "allocations and credit notes refused exactly when they "
		  "would break a limit");
	identities(db, "random");
	open_amounts(db, open, inv, NINV);
	crm_db_rollback(db);
}

int main(void)
{
	char dir[] = "/tmp/crm-t-recv.XXXXXX", path[64];
	struct crm_err err = {0};
	struct crm_db *db;

	lines();
	distance();
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "open a database");
	if (db) {
		property(db);
		crm_db_close(db);
	}
	test_remove_db(path);
	rmdir(dir);
	return done_testing();
}
