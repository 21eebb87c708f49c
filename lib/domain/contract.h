/* contract.h - contracts (an account's commitment: dates, value, payment
 * and renewal terms) and their milestones (delivery, acceptance and
 * invoicing points with a due date, an owner and, once reached, the date
 * and the evidence). Both are entities of the engine (lib/entity). */
#ifndef CRM_CONTRACT_H
#define CRM_CONTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "entity.h"

extern const struct crm_entity crm_contract_entity;
extern const struct crm_entity crm_milestone_entity;

/* A milestone due on or before the horizon and not done. */
struct crm_due_item {
	int64_t id, contract_id, company_id;
	const char *contract, *kind, *name, *due_date, *owner;
	int64_t days_late; /* > 0 overdue, <= 0 days left */
};

/* Call fn with each open milestone due before today + days (today is
 * db->now's date), by due date then id. *overdue gets how many are past
 * their due date. Returns 0 or -1 (fn's -1 stops with an error). */
int crm_contract_due(struct crm_db *db, int64_t days,
		     int (*fn)(const struct crm_due_item *it, void *arg),
		     void *arg, uint64_t *overdue, struct crm_err *err);

/* Record that milestone id was reached on date (YYYY-MM-DD; NULL:
 * today) with evidence (required, free text): in the caller's open
 * transaction, through the engine (audited, undoable). A milestone
 * already done is CRM_EX_DATAERR. Returns 0 or -1. */
int crm_milestone_done(struct crm_db *db, int64_t id, const char *date,
		       const char *evidence, struct crm_err *err);

/* Days from date a to date b (YYYY-MM-DD each); -1 with err when either
 * is no date. */
int crm_date_days(const char *a, const char *b, int64_t *days,
		  struct crm_err *err);
/* date + days as YYYY-MM-DD in out (at least 11 bytes). */
int crm_date_add(const char *date, int64_t days, char *out,
		 struct crm_err *err);

/* from-quote: a contract from accepted quote qid (lib/domain/quote.h,
 * lib/domain/contract_quote.c) in the caller's open transaction, with
 * its billing schedule; *cid gets its id. A quote not accepted, without
 * an account, or with a contract already is CRM_EX_DATAERR. */
struct crm_tax_rates;
struct crm_from_quote {
	const char *start;		 /* YYYY-MM-DD; NULL: today */
	const char *name, *owner;	 /* NULL: "Quote N", none */
	const char *net_days;		 /* NULL: the contract default */
	const struct crm_tax_rates *tax; /* rates by region; NULL: none */
};
int crm_contract_from_quote(struct crm_db *db, int64_t qid,
			    const struct crm_from_quote *o, int64_t *cid,
			    struct crm_err *err);
/* date + months (YYYY-MM-DD; the day kept, or the month's last). */
int crm_date_add_months(const char *date, int64_t months, char out[16],
			struct crm_err *err);

#endif
