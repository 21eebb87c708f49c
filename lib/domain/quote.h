/* quote.h - quotes (CPQ): lines priced from a price book (pricing.h),
 * groups, totals with tax by category and region, versions, submission
 * against approval thresholds, acceptance (the deal won) and rejection.
 *
 * Tables (lib/store/schema.c): quotes (one row per quote, its current
 * version and figures), quote_versions (the figures and status of every
 * version), quote_lines (the lines of each version), promotion_uses. */
#ifndef CRM_QUOTE_H
#define CRM_QUOTE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "entity.h"
#include "pricing.h"

extern const struct crm_entity crm_quote_entity;

/* Statuses: draft (editable), sent (submitted, no approval needed),
 * pending_approval (locked until approved), approved, accepted, rejected. */
extern const char *const crm_quote_status_names[];

/* Tax rates (a rates file, crm-formats(5)): region -> category -> percent
 * (hundredths). */
struct crm_tax_rates {
	json_t *root;
	char *path;
};
int crm_tax_load(const char *path, struct crm_tax_rates *t,
		 struct crm_err *err);
void crm_tax_release(struct crm_tax_rates *t);

/* Approval thresholds (a rules file, crm-formats(5)). */
struct crm_thresholds {
	int64_t line_discount;	/* a line's discount off list, percent;
				   -1: none */
	int64_t quote_discount; /* the quote's, percent; -1: none */
	bool manual_price;	/* a manual price below list needs approval */
	int64_t total;		/* a total above this (minor units of
				   total_currency); -1: none */
	char total_currency[4];
	char *approver;	 /* who approves, as approvals name them
			    ("role:sales_manager", "user:maria",
			    "manager:FIELD"); NULL: role:sales_manager */
	json_t *process; /* an approval process of one's own (approval.h),
			    or NULL: one step, approver */
};
int crm_thresholds_load(const char *path, struct crm_thresholds *t,
			struct crm_err *err);
void crm_thresholds_release(struct crm_thresholds *t);

/* Products by the key a quote line names them by, kept while one command
 * prices many quotes (crm-quote price --all: looking each line's product
 * up again was most of its time). Only for a caller that changes no
 * product meanwhile. Zeroed to start; crm_quote_products_release. */
struct crm_quote_products {
	struct crm_quote_product *slot; /* open addressing, cap a power of 2 */
	size_t n, cap;
};
void crm_quote_products_release(struct crm_quote_products *p);

struct crm_quote_ctx {
	struct crm_db *db;
	const struct crm_pricing *pricing;
	const struct crm_tax_rates *tax;     /* NULL: no tax */
	const char *date;		     /* pricing date YYYY-MM-DD */
	struct crm_quote_products *products; /* NULL: look each one up */
};

struct crm_quote_new {
	const char *deal;     /* id or name; its company is the account */
	const char *account;  /* company id or name (when no deal) */
	const char *currency; /* must be the book's */
	const char *book;
	const char *region; /* tax region */
	const char *valid_until;
	const char *external_id;
};
int crm_quote_create(struct crm_quote_ctx *c, const struct crm_quote_new *n,
		     int64_t *id, struct crm_err *err);

struct crm_quote_line_in {
	const char *sku;
	int64_t qty;
	const char *unit;
	const struct crm_strv *attrs; /* "name=value" */
	const char *group;
	int64_t discount;	  /* hundredths of a percent, 0 none */
	const char *manual_price; /* decimal in the quote's currency */
	const char *reason;	  /* why the manual price */
	int64_t parent;		  /* bundle line number, 0 none */
	/* subscriptions (a product billed monthly, quarterly, annually):
	 * the service's start (NULL: the pricing date), a co-termed end
	 * (NULL: start plus the term), the term in months (0: the
	 * product's, else 12) */
	const char *start, *end;
	int64_t term;
};
/* Add a line to the quote's current version (a sent quote gets a new
 * version first; a locked one is refused), then reprice. *line_no gets
 * the line's number. */
int crm_quote_add_line(struct crm_quote_ctx *c, int64_t quote,
		       const struct crm_quote_line_in *in, int64_t *line_no,
		       struct crm_err *err);
/* Remove line line_no (and its options) from the current version. */
int crm_quote_remove_line(struct crm_quote_ctx *c, int64_t quote,
			  int64_t line_no, struct crm_err *err);
/* Reprice the current version from the book on c->date: every line, the
 * bundle rules, promotions, percent-of-total lines, tax, totals. */
int crm_quote_price(struct crm_quote_ctx *c, int64_t quote,
		    struct crm_err *err);

/* crm_quote_price of each of the n quotes at ids in turn, reading them
 * (rows, lines, accounts, promotion uses) a chunk of quotes a statement;
 * fn, when given, is called after each one is priced (it returns 0, or -1
 * to stop with err filled). Checks for an interrupt before each quote. */
int crm_quote_price_many(struct crm_quote_ctx *c, const int64_t *ids, size_t n,
			 int (*fn)(int64_t id, void *arg), void *arg,
			 struct crm_err *err);

/* The ids of every draft quote (what price --all prices), by id; the
 * caller frees *ids. */
int crm_quote_drafts(struct crm_db *db, int64_t **ids, size_t *n,
		     struct crm_err *err);

/* A line whose price changed in new --from. */
struct crm_quote_change {
	int64_t line_no;
	char sku[64];
	int64_t old_unit, new_unit, old_amount, new_amount;
};
/* A new quote with the lines of from's current version, priced today;
 * changes (caller frees) lists the lines whose unit price or amount
 * changed. */
int crm_quote_copy(struct crm_quote_ctx *c, int64_t from,
		   const struct crm_quote_new *n, int64_t *id,
		   struct crm_quote_change **changes, size_t *nchanges,
		   struct crm_err *err);

/* Submit: price, check the thresholds; past one the quote is
 * pending_approval and locked (reasons says which) and an approval
 * process starts on it (lib/domain/approval.h: the thresholds' process,
 * or one step for their approver), else sent. *approval gets the
 * approval's id (0: none). */
int crm_quote_submit(struct crm_quote_ctx *c, int64_t quote,
		     const struct crm_thresholds *t, struct crm_strv *reasons,
		     int64_t *approval, struct crm_err *err);
/* Approve a pending quote: its approval's current step, as db->actor
 * (who must be one of its approvers; the quote is approved when the
 * process is); a quote pending without a process is approved at once. A
 * quote whose approval was decided elsewhere (crm-flow approve, reject,
 * a timeout) follows it in every write: approved, or back to a draft
 * when rejected or expired. */
int crm_quote_approve(struct crm_quote_ctx *c, int64_t quote,
		      struct crm_err *err);
/* Accept: the deal is won with the quote's total as its amount, the
 * version is recorded, the promotions used are counted. */
int crm_quote_accept(struct crm_quote_ctx *c, int64_t quote,
		     struct crm_err *err);
int crm_quote_reject(struct crm_quote_ctx *c, int64_t quote, const char *reason,
		     struct crm_err *err);

/* What crm_price_product prices: qty base units of product from book. */
struct crm_price_req {
	const struct crm_price_book *book;
	const struct crm_row *product;
	int64_t qty;
	const struct crm_strv *attrs;
	const struct crm_row *account; /* the company row, or NULL */
	int64_t exclude_quote; /* promotion uses counted without this quote */
	int64_t base; /* what a percent of total entry is a percent of */
	/* the promotions' uses as crm_price_product counts them (in total
	 * and by the account, for account and exclude_quote), when the
	 * caller counted them once for many products; NULL: counted here */
	const int64_t *uses, *uses_account;
};

/* Price one product (r) on c->date: its method, then the promotions. */
int crm_price_product(struct crm_quote_ctx *c, const struct crm_price_req *r,
		      struct crm_price_out *out, int64_t *promo,
		      struct crm_strv *promos, struct crm_price_steps *steps,
		      struct crm_err *err);

/* Find a quote by id or external id: 1, 0 not found, -1. */
int crm_quote_find(struct crm_db *db, const char *key, int64_t *id,
		   struct crm_err *err);
/* The quote as a document: its fields, account and deal names, version
 * (0: current), lines, groups, taxes and totals (amounts as decimal
 * strings), for show and render. Caller json_decrefs. */
json_t *crm_quote_doc(struct crm_db *db, int64_t quote, int64_t version,
		      struct crm_err *err);

/* Discount guidance: win rate by discount band over closed quotes of the
 * same family and size band (and segment, the account's industry, when
 * enough), and the band maximising expected revenue. Returns a JSON object
 * {quote, similar, bands: [...], best, note}. */
json_t *crm_quote_suggest(struct crm_db *db, int64_t quote, int64_t min_history,
			  struct crm_err *err);

#endif
