/* reconcile.h - bank statements (ISO 20022 camt.053 XML through libxml2,
 * or CSV with a column mapping) matched against open invoices: by the
 * invoice number in the remittance text (one typo tolerated when the
 * amount agrees), else by amount and payer. Matches are proposed, or
 * applied as payments with allocations; an entry applied once (by its
 * reference) is never applied again. */
#ifndef CRM_RECONCILE_H
#define CRM_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "record.h"

/* One credit line of a statement (strings owned by the statement). */
struct crm_bank_line {
	char *ref;  /* the entry's reference (AcctSvcrRef), unique */
	char *date; /* YYYY-MM-DD */
	int64_t amount;
	char currency[8];
	char *payer, *text; /* may be NULL */
	long line;	    /* where in the input (XML line, CSV record) */
};

struct crm_statement {
	struct crm_bank_line *v;
	size_t n, cap;
	size_t debits; /* lines left out: money going out */
};

void crm_statement_release(struct crm_statement *s);

/* Read a camt.053 file of at most max_bytes: every credit entry (and each
 * of its transactions when it has several). No network, no DTD, no
 * entity is ever expanded: a document with a DOCTYPE, too deep or too
 * large, or that is not camt.053 is CRM_EX_DATAERR with err->file. */
int crm_statement_read_camt(const char *path, size_t max_bytes,
			    struct crm_statement *s, struct crm_err *err);
/* Read CSV (or any record format) statement lines; columns: "FIELD=COLUMN"
 * each for ref, date, amount, currency, payer, text (default: the
 * field's own name). A negative amount is a debit, left out. */
int crm_statement_read_records(struct crm_reader *r,
			       const struct crm_strv *columns,
			       struct crm_statement *s, struct crm_err *err);

struct crm_reconcile_stats {
	uint64_t matched, ambiguous, unmatched, already;
};

/* Match every line; fn gets one record per line (crm_reconcile_columns).
 * With apply, matched lines become payments with their allocations, in
 * the caller's open transaction. */
int crm_reconcile(struct crm_db *db, const struct crm_statement *s, bool apply,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  struct crm_reconcile_stats *st, struct crm_err *err);
extern const char *const crm_reconcile_columns[];

/* Edit distance (insertions, deletions, substitutions, transpositions of
 * neighbours) between a and b, or max + 1 when more than max. */
int crm_edit_distance(const char *a, const char *b, int max);

#endif
