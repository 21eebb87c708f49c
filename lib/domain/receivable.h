/* receivable.h - invoices, credit notes, payments and their allocations;
 * the journal lines they post.
 *
 * Amounts are integer minor units. An invoice's total is the sum of its
 * lines (each net + tax, tax per line); its open amount is its total
 * minus its live allocations (parts of payments and of credit notes). A
 * payment's or credit note's unallocated rest is the account's credit.
 * Issued documents are never updated: a credit note reverses an invoice,
 * an allocation is undone by marking it (the row stays). Every function
 * that writes works inside the caller's open transaction. */
#ifndef CRM_RECEIVABLE_H
#define CRM_RECEIVABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "record.h"

/* One invoice line as given: quantity in thousandths, tax rate in
 * hundredths of a percent; net, tax, total derived (crm_line_amounts). */
struct crm_inv_line {
	char *description;
	int64_t quantity, unit_price, tax_rate;
	int64_t net, tax, total;
};

/* Parse "DESCRIPTION;QUANTITY;UNIT_PRICE[;TAX_PERCENT]" (UNIT_PRICE a
 * decimal in currency) into l (description owned by l: free it).
 * Returns 0, or -1 (CRM_EX_DATAERR) naming what is wrong. */
int crm_line_parse(const char *spec, const char *currency,
		   struct crm_inv_line *l, struct crm_err *err);
/* net = quantity x unit price, tax = net x rate, each rounded half away
 * from zero; total = net + tax. -1 on overflow. */
int crm_line_amounts(struct crm_inv_line *l, struct crm_err *err);
/* A decimal percentage ("19", "7.5", "0") as hundredths: -1 if bad. */
int crm_rate_parse(const char *s, int64_t *bp);

/* Each row of a statement as a record for fn (a listing): row fills the
 * record from the row (0, or -1 to stop with err filled); fn's -1 stops
 * too. crm_recs_each steps st (bound; NULL after a failure to prepare
 * is -1) to its end and resets it: 0 or -1. */
struct crm_recs {
	int (*row)(struct crm_stmt *st, struct crm_rec *rec, void *ctx);
	void *ctx;
	int (*fn)(const struct crm_rec *rec, void *arg);
	void *arg;
	struct crm_rec rec;
};
int crm_recs_each(struct crm_stmt *st, struct crm_recs *r, struct crm_err *err);

struct crm_invoice_new {
	int64_t company_id, contract_id, milestone_id, schedule_id;
	const char *series;	/* NULL: "INV" */
	const char *issue_date; /* NULL: today */
	const char *due_date;	/* NULL: issue date + the contract's net
				   days (30 without a contract) */
	const char *currency;	/* NULL: the contract's */
	const char *note;
	struct crm_inv_line *lines;
	size_t nlines;
};

/* Issue an invoice: the next number of its series (gap-free: the
 * counter row moves in this transaction), its lines and journal lines.
 * *id gets its id. Returns 0 or -1. */
int crm_invoice_issue(struct crm_db *db, const struct crm_invoice_new *nw,
		      int64_t *id, struct crm_err *err);
/* Invoice milestone mid (its amount, at tax rate bp) or schedule entry
 * sid: once each. */
int crm_invoice_milestone(struct crm_db *db, int64_t mid, int64_t bp,
			  const char *series, const char *date, int64_t *id,
			  struct crm_err *err);
int crm_invoice_schedule(struct crm_db *db, int64_t sid, const char *series,
			 const char *date, int64_t *id, struct crm_err *err);
/* Add a schedule entry to contract cid. */
int crm_schedule_add(struct crm_db *db, int64_t cid, const char *date,
		     const char *description, const char *amount, int64_t bp,
		     int64_t *id, struct crm_err *err);

/* Issue a credit note against invoice inv: its every line (lines NULL,
 * gross 0), a gross amount (tax in the invoice's proportion) or the
 * given lines; never more than the invoice's total less earlier credit
 * notes. It settles what it can of the invoice (an allocation); the rest
 * is the account's credit. */
int crm_credit_issue(struct crm_db *db, int64_t inv, int64_t gross,
		     struct crm_inv_line *lines, size_t nlines,
		     const char *series, const char *date, const char *note,
		     int64_t *id, struct crm_err *err);

struct crm_payment_new {
	int64_t company_id;
	const char *date; /* NULL: today */
	int64_t amount;	  /* > 0 */
	const char *currency, *payer, *method, *external_ref;
	const char *statement_ref; /* reconcile's entry reference, or NULL */
};
int crm_payment_add(struct crm_db *db, const struct crm_payment_new *p,
		    int64_t *id, struct crm_err *err);
/* Payment p with its allocations: amounts[k] to invoice inv[k], for a
 * caller that read the invoices in this transaction (reconcile): p's
 * company exists, the invoices are of that company and currency, each
 * amount > 0 is at most that invoice's open amount and their sum at most
 * p's. Nothing is read back but the payment's id (crm_payment_add and
 * crm_allocate read the rows again, a round trip each on PostgreSQL). */
int crm_payment_settle(struct crm_db *db, const struct crm_payment_new *p,
		       const int64_t *inv, const int64_t *amounts, size_t n,
		       int64_t *id, struct crm_err *err);
/* After crm_payment_settle: fails (CRM_EX_TEMPFAIL, naming the invoice)
 * when an invoice allocated from payment from or a later one has more
 * allocated than its total: another command allocated to it after the
 * caller read it (PostgreSQL; SQLite's writers take turns). */
int crm_payments_settled_check(struct crm_db *db, int64_t from,
			       struct crm_err *err);

/* Allocate amount (0: as much as both allow) of payment pid (or, when
 * credit is set, of credit note pid) to invoice inv: same account and
 * currency, never more than either's open amount. *alloc (may be NULL)
 * gets the allocation's id, *done the amount. */
int crm_allocate(struct crm_db *db, int64_t pid, bool credit, int64_t inv,
		 int64_t amount, int64_t *alloc, int64_t *done,
		 struct crm_err *err);
/* Settle invoice inv from the account's credit (its payments' and credit
 * notes' unallocated rests, oldest first). *done gets the amount. */
int crm_apply_credit(struct crm_db *db, int64_t inv, int64_t *done,
		     struct crm_err *err);
/* Undo allocation aid: marked undone with who, when and reason. */
int crm_allocation_undo(struct crm_db *db, int64_t aid, const char *reason,
			struct crm_err *err);

/* Open amount of invoice inv; unallocated rest of payment pid. */
int crm_invoice_open(struct crm_db *db, int64_t inv, int64_t *open,
		     struct crm_err *err);
int crm_payment_rest(struct crm_db *db, int64_t pid, int64_t *rest,
		     struct crm_err *err);
/* An invoice (or credit note) by id or number: 1 found, 0 not, -1. */
int crm_invoice_find(struct crm_db *db, const char *key, int64_t *id,
		     struct crm_err *err);

/* Listings as output records (money as decimals), fn called with each.
 * what: "invoices" (company_id 0: all), "lines" (of invoice id),
 * "payments", "allocations", "credit" (the account credit per account
 * and currency), "schedule" (of contract id, 0: all). */
int crm_recv_list(struct crm_db *db, const char *what, int64_t id,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  struct crm_err *err);
/* One row of listing what ("invoices", "payments", "allocations",
 * "schedule") by its id, as crm_recv_list gives it: what a write verb
 * prints, without reading every row of the listing. */
int crm_recv_list_row(struct crm_db *db, const char *what, int64_t row_id,
		      int (*fn)(const struct crm_rec *rec, void *arg),
		      void *arg, struct crm_err *err);
/* The columns of crm_recv_list(what), NULL-terminated; NULL if unknown. */
const char *const *crm_recv_columns(const char *what);

/* Journal export: the lines after cursor name's position (name NULL:
 * every line), in id order; with a name the cursor moves past them in
 * this transaction. */
int crm_journal_export(struct crm_db *db, const char *cursor,
		       int (*fn)(const struct crm_rec *rec, void *arg),
		       void *arg, uint64_t *n, struct crm_err *err);
extern const char *const crm_journal_columns[];

/* Reports. as_of: YYYY-MM-DD. by: "account" or "owner". */
int crm_aging(struct crm_db *db, const char *as_of, const char *by,
	      int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
	      struct crm_err *err);
extern const char *const crm_aging_columns[];
/* DSO per currency over the days before as_of: open receivables /
 * billed in those days x days. */
int crm_dso(struct crm_db *db, const char *as_of, int64_t days,
	    int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
	    struct crm_err *err);
extern const char *const crm_dso_columns[];
/* Per month and currency: billed, credited, collected, and open at the
 * month's end. */
int crm_billing_months(struct crm_db *db,
		       int (*fn)(const struct crm_rec *rec, void *arg),
		       void *arg, struct crm_err *err);
extern const char *const crm_months_columns[];

#endif
