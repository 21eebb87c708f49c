/* quote.c - quotes: lines priced from a price book, bundles checked,
 * promotions counted, tax by category and region, totals, versions,
 * submission against approval thresholds, acceptance and rejection. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "company.h"
#include "config.h"
#include "dbq.h"
#include "deal.h"
#include "money.h"
#include "product.h"
#include "quote.h"
#include "record.h"

const char *const crm_quote_status_names[] = {
    "draft",	"sent", "pending_approval", "approved", "accepted",
    "rejected", NULL,
};

static const struct crm_field quote_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"deal_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "deal"},
    {"company_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "company"},
    {"currency", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"book", CRM_T_TEXT, CRM_FF_REQUIRED},
    {"region", CRM_T_TEXT, 0},
    {"version", CRM_T_INT, CRM_FF_REQUIRED | CRM_FF_BRIEF},
    {"status", CRM_T_ENUM, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     crm_quote_status_names},
    {"subtotal", CRM_T_MONEY, 0, NULL, "currency"},
    {"discount", CRM_T_MONEY, 0, NULL, "currency"},
    {"tax", CRM_T_MONEY, 0, NULL, "currency"},
    {"total", CRM_T_MONEY, CRM_FF_BRIEF, NULL, "currency"},
    {"valid_until", CRM_T_DATE, 0},
    {"accepted_version", CRM_T_INT, 0},
    {"reason", CRM_T_TEXT, 0},
    {"from_quote_id", CRM_T_INT, 0},
    {"locked", CRM_T_BOOL, 0},
    {"approval", CRM_T_TEXT, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

const struct crm_entity crm_quote_entity = {
    .name = "quote",
    .plural = "quotes",
    .table = "quotes",
    CRM_FIELDS(quote_fields),
    .keys = "id,external_id",
};

static char *now_text(struct crm_db *db, char buf[CRM_TIME_LEN])
{
	return crm_datetime_format(db->now, buf);
}

/* Column col as text into buf, "" when NULL. */
static void text_or_empty(struct crm_stmt *st, int col, char *buf, size_t size)
{
	snprintf(buf, size, "%s",
		 crm_stmt_is_null(st, col) ? "" : crm_stmt_text(st, col));
}

/* -- rates and thresholds files ---------------------------------------- */

int crm_tax_load(const char *path, struct crm_tax_rates *t, struct crm_err *err)
{
	json_t *rates, *cats, *v;
	const char *region, *cat;

	memset(t, 0, sizeof(*t));
	if (crm_config_load(path, "tax rates ", NULL,
			    "a tax rates file is a JSON object", &t->root,
			    err) < 0)
		return -1;
	t->path = crm_xstrdup(path);
	rates = json_object_get(t->root, "regions");
	if (!json_is_object(rates)) {
		crm_err_at(err, CRM_EX_CONFIG, path, 0, "regions",
			   "an object {REGION: {CATEGORY: percent}}");
		crm_tax_release(t);
		return -1;
	}
	json_object_foreach(rates, region, cats)
	{
		if (!json_is_object(cats))
			goto bad;
		json_object_foreach(cats, cat, v)
		{
			int64_t pct;
			char buf[64];

			if (crm_pct_parse(crm_json_num_text(v, buf), &pct) <
				0 ||
			    pct < 0)
				goto bad;
			json_object_set_new(cats, cat, json_integer(pct));
		}
	}
	return 0;
bad:
	crm_err_at(err, CRM_EX_CONFIG, path, 0, "regions",
		   "%s: a rate is a percentage >= 0 with at most two decimals",
		   region);
	crm_tax_release(t);
	return -1;
}

void crm_tax_release(struct crm_tax_rates *t)
{
	json_decref(t->root);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

int crm_thresholds_load(const char *path, struct crm_thresholds *t,
			struct crm_err *err)
{
	static const char *const keys[] = {
	    "line_discount", "quote_discount", "manual_price", "total",
	    "currency",	     "approver",       NULL,
	};
	json_t *root, *v;
	const char *k;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	t->line_discount = t->quote_discount = t->total = -1;
	if (crm_config_load(path, "thresholds ", NULL,
			    "a thresholds file is a JSON object", &root,
			    err) < 0)
		return -1;
	json_object_foreach(root, k, v)
	{
		size_t i;

		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			;
		if (!keys[i]) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, k,
				   "unknown key");
			goto out;
		}
	}
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "quote_discount" : "line_discount";
		int64_t *dst = i ? &t->quote_discount : &t->line_discount;
		char buf[64];

		v = json_object_get(root, key);
		if (!v)
			continue;
		/* a number: a string is no percentage here */
		crm_json_num_text(json_is_string(v) ? NULL : v, buf);
		if (crm_pct_parse(buf, dst) < 0 || *dst < 0) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, key,
				   "a percentage >= 0");
			goto out;
		}
	}
	v = json_object_get(root, "manual_price");
	if (v && !json_is_boolean(v)) {
		crm_err_at(err, CRM_EX_CONFIG, path, 0, "manual_price",
			   "true or false");
		goto out;
	}
	t->manual_price = json_is_true(v);
	if ((v = json_object_get(root, "total"))) {
		const char *cur =
		    json_string_value(json_object_get(root, "currency"));
		struct crm_err e = {0};

		if (!cur || crm_money_exponent(cur) < 0) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, "currency",
				   "total needs its currency");
			goto out;
		}
		snprintf(t->total_currency, sizeof(t->total_currency), "%s",
			 cur);
		if (!json_is_string(v) ||
		    crm_money_parse(json_string_value(v), cur, &t->total, &e) <
			0) {
			crm_err_at(err, CRM_EX_CONFIG, path, 0, "total",
				   "an amount as a string (\"50000.00\")");
			goto out;
		}
	}
	if ((v = json_object_get(root, "process"))) {
		if (crm_approval_spec_check(v, path, "process", err) < 0)
			goto out;
		t->process = json_incref(v);
	}
	if ((v = json_object_get(root, "approver")) && !json_is_string(v)) {
		crm_err_at(err, CRM_EX_CONFIG, path, 0, "approver",
			   "\"user:NAME\", \"role:NAME\" or \"manager:FIELD\"");
		goto out;
	}
	if (v) {
		json_t *spec =
		    json_pack("{s:s, s:[{s:s, s:[O]}]}", "name", "quote",
			      "steps", "name", "approval", "approvers", v);
		int bad = crm_approval_spec_check(spec, path, "approver", err);

		json_decref(spec);
		if (bad < 0)
			goto out;
	}
	if ((v = json_object_get(root, "approver")))
		t->approver = crm_xstrdup(
		    json_string_value(v) ? json_string_value(v) : "");
	rc = 0;
out:
	json_decref(root);
	return rc;
}

void crm_thresholds_release(struct crm_thresholds *t)
{
	free(t->approver);
	json_decref(t->process);
	memset(t, 0, sizeof(*t));
}

/* -- quotes ------------------------------------------------------------- */

struct quote {
	int64_t id, deal_id, company_id, version, locked;
	char currency[8], book[128], region[64], status[24];
};

static int quote_fill(struct crm_stmt *st, void *arg)
{
	struct quote *q = arg;

	crm_stmt_getf(st, "iiiii", &q->id, &q->deal_id, &q->company_id,
		      &q->version, &q->locked);
	text_or_empty(st, 5, q->currency, sizeof(q->currency));
	text_or_empty(st, 6, q->book, sizeof(q->book));
	text_or_empty(st, 7, q->region, sizeof(q->region));
	text_or_empty(st, 8, q->status, sizeof(q->status));
	return 0;
}

static int load_quote(struct crm_db *db, int64_t id, struct quote *q,
		      struct crm_err *err)
{
	memset(q, 0, sizeof(*q));
	if (crm_dbq_each(db, err, quote_fill, q,
			 "SELECT id, deal_id, company_id, version, locked, "
			 "currency, book, region, status FROM quotes WHERE "
			 "id = ?",
			 "i", id) < 0)
		return -1;
	if (!q->id)
		return crm_err_set(err, CRM_EX_NOINPUT, "no quote %lld",
				   (long long)id);
	return 0;
}

int crm_quote_find(struct crm_db *db, const char *key, int64_t *id,
		   struct crm_err *err)
{
	int64_t n;

	if (crm_parse_int(key, &n) == 0)
		*id = crm_db_int(db, "SELECT id FROM quotes WHERE id = ?1", key,
				 NULL, err);
	else
		*id = crm_db_int(db,
				 "SELECT id FROM quotes WHERE external_id = ?1",
				 key, NULL, err);
	if (*id < 0)
		return -1;
	return *id > 0;
}

static int set_status(struct crm_db *db, const struct quote *q,
		      const char *status, int locked, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	if (crm_dbq_run(db, err,
			"UPDATE quotes SET status = ?2, locked = ?3, "
			"updated_at = ?4 WHERE id = ?1",
			"isis", q->id, status, (int64_t)locked,
			now_text(db, now)) < 0)
		return -1;
	return crm_dbq_run(db, err,
			   "UPDATE quote_versions SET status = ?3 "
			   "WHERE quote_id = ?1 AND version = ?2",
			   "iis", q->id, q->version, status);
}

/* The latest approval of a quote (lib/domain/approval.h): id 0 when it
 * has none. */
struct last_approval {
	int64_t id;
	char status[24];
};

static int last_cb(const struct crm_rec *rec, void *arg)
{
	struct last_approval *a = arg;
	const char *id = crm_rec_get(rec, "id"),
		   *st = crm_rec_get(rec, "status");

	a->id = id ? strtoll(id, NULL, 10) : 0;
	snprintf(a->status, sizeof(a->status), "%s", st ? st : "");
	return 0;
}

static int last_approval(struct crm_db *db, int64_t quote,
			 struct last_approval *a, struct crm_err *err)
{
	struct crm_approval_query q = {.entity = "quote", .record_id = quote};

	memset(a, 0, sizeof(*a));
	return crm_approval_list(db, &q, last_cb, a, err);
}

/* A pending quote follows its approval when it was decided elsewhere:
 * approved, or (rejected, expired) back to an unlocked draft. */
static int sync_approval(struct crm_db *db, struct quote *q,
			 struct crm_err *err)
{
	struct last_approval a;

	if (strcmp(q->status, "pending_approval"))
		return 0;
	if (last_approval(db, q->id, &a, err) < 0)
		return -1;
	if (!a.id || !strcmp(a.status, "pending"))
		return 0;
	if (!strcmp(a.status, "approved")) {
		if (set_status(db, q, "approved", 0, err) < 0)
			return -1;
		snprintf(q->status, sizeof(q->status), "approved");
	} else {
		if (set_status(db, q, "draft", 0, err) < 0)
			return -1;
		snprintf(q->status, sizeof(q->status), "draft");
	}
	q->locked = 0;
	return 0;
}

static int add_version(struct crm_db *db, int64_t quote, int64_t version,
		       struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	return crm_dbq_run(db, err,
			   "INSERT INTO quote_versions (quote_id, version, "
			   "status, created_at) VALUES (?1, ?2, 'draft', ?3)",
			   "iis", quote, version, now_text(db, now));
}

/* Copy the lines of (from, fv) to (to, tv). */
static int copy_lines(struct crm_db *db, int64_t from, int64_t fv, int64_t to,
		      int64_t tv, struct crm_err *err)
{
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO quote_lines (quote_id, version, line_no, grp, "
	    "product_id, sku, name, qty, unit, base_qty, attributes, "
	    "discount_pct, manual_price, manual_reason, parent_line, "
	    "list_unit, list_amount, unit_price, amount, promotions, "
	    "tax_category, explain, start_date, end_date, term_months) "
	    "SELECT ?3, ?4, line_no, grp, product_id, sku, name, qty, unit, "
	    "base_qty, attributes, discount_pct, manual_price, manual_reason, "
	    "parent_line, list_unit, list_amount, unit_price, amount, "
	    "promotions, tax_category, explain, start_date, end_date, "
	    "term_months FROM quote_lines "
	    "WHERE quote_id = ?1 AND version = ?2 ORDER BY line_no",
	    "iiii", from, fv, to, tv);
}

/* Make the quote editable: a draft as it is; a sent or approved one gets
 * a new version (the old one stays as it was); locked, accepted or
 * rejected ones are refused. */
static int editable(struct crm_db *db, struct quote *q, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	if (q->locked || !strcmp(q->status, "pending_approval"))
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is locked pending approval",
				     (long long)q->id);
	if (!strcmp(q->status, "accepted") || !strcmp(q->status, "rejected"))
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is %s", (long long)q->id,
				     q->status);
	if (!strcmp(q->status, "draft"))
		return 0;
	if (add_version(db, q->id, q->version + 1, err) < 0 ||
	    copy_lines(db, q->id, q->version, q->id, q->version + 1, err) < 0)
		return -1;
	q->version++;
	snprintf(q->status, sizeof(q->status), "draft");
	return crm_dbq_run(db, err,
			   "UPDATE quotes SET version = ?2, status = "
			   "'draft', updated_at = ?3 WHERE id = ?1",
			   "iis", q->id, q->version, now_text(db, now));
}

static int find_ref(struct crm_db *db, const struct crm_entity *e,
		    const char *key, const char *field, struct crm_row *row,
		    struct crm_err *err)
{
	int rc = crm_entity_find(db, e, key, row, err);

	if (rc < 0) {
		snprintf(err->field, sizeof(err->field), "%s", field);
		return -1;
	}
	if (!rc)
		return crm_err_field(err, field, CRM_EX_DATAERR, "no %s '%s'",
				     e->name, key);
	return 0;
}

int crm_quote_create(struct crm_quote_ctx *c, const struct crm_quote_new *n,
		     int64_t *id, struct crm_err *err)
{
	const struct crm_price_book *b;
	struct crm_row deal, co;
	int64_t deal_id = 0, company_id = 0;
	char now[CRM_TIME_LEN];
	const char *cur;
	int rc = -1;

	crm_row_init(&deal, &crm_deal_entity);
	crm_row_init(&co, &crm_company_entity);
	if (!n->book || !*n->book) {
		crm_err_field(err, "book", CRM_EX_DATAERR,
			      "a quote needs a price book (--book)");
		goto out;
	}
	b = crm_pricing_book(c->pricing, n->book, c->date, err);
	if (!b)
		goto out;
	cur = n->currency ? n->currency : b->currency;
	if (strcmp(cur, b->currency)) {
		crm_err_field(err, "currency", CRM_EX_DATAERR,
			      "the quote is in %s but price book %s is in %s",
			      cur, b->name, b->currency);
		goto out;
	}
	if (n->deal) {
		if (find_ref(c->db, &crm_deal_entity, n->deal, "deal", &deal,
			     err) < 0)
			goto out;
		deal_id = crm_row_id(&deal);
		if (crm_row_get(&deal, "company_id"))
			company_id =
			    strtoll(crm_row_get(&deal, "company_id"), NULL, 10);
	}
	if (n->account) {
		if (find_ref(c->db, &crm_company_entity, n->account, "account",
			     &co, err) < 0)
			goto out;
		company_id = crm_row_id(&co);
	}
	if (!deal_id && !company_id) {
		crm_err_field(err, "deal", CRM_EX_DATAERR,
			      "a quote is for a deal (--deal) or an "
			      "account (--account)");
		goto out;
	}
	if (n->region && c->tax && c->tax->root &&
	    !json_object_get(json_object_get(c->tax->root, "regions"),
			     n->region)) {
		crm_err_field(err, "region", CRM_EX_DATAERR,
			      "no tax region '%s' in %s", n->region,
			      c->tax->path);
		goto out;
	}
	rc = crm_dbq_step(
	    c->db, err, id,
	    "INSERT INTO quotes (external_id, deal_id, company_id, currency, "
	    "book, region, version, status, valid_until, locked, subtotal, "
	    "discount, tax, total, created_at, updated_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, 1, 'draft', ?7, 0, 0, 0, 0, 0, ?8, ?8) "
	    "RETURNING id",
	    "sIIsssss", n->external_id, deal_id, company_id, cur, b->name,
	    n->region, n->valid_until, now_text(c->db, now));
	if (rc <= 0) {
		rc = -1;
		goto out;
	}
	rc = add_version(c->db, *id, 1, err);
out:
	crm_row_release(&deal);
	crm_row_release(&co);
	return rc;
}

/* -- lines ---------------------------------------------------------------- */

struct line {
	int64_t id, line_no, base_qty, discount, parent;
	bool has_manual;
	int64_t manual;
	char *sku, *attrs, *reason, *start, *end;
	int64_t term;
	/* priced */
	const struct crm_row *product; /* own, or the run's (c->products) */
	struct crm_row own;
	int64_t list_unit, list_amount, amount, promo, disc, net, unit_price;
	bool percent, included;
	struct crm_strv promos;
	struct crm_price_steps steps;
	char tax_category[64];
};

static void lines_free(struct line *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].sku);
		free(l[i].attrs);
		free(l[i].reason);
		free(l[i].start);
		free(l[i].end);
		crm_row_release(&l[i].own);
		crm_strv_release(&l[i].promos);
		crm_price_steps_release(&l[i].steps);
	}
	free(l);
}

static void line_fill(struct crm_stmt *st, void *elem)
{
	struct line *l = elem;

	crm_stmt_getf(st, "iiiiiisssssi", &l->id, &l->line_no, &l->base_qty,
		      &l->discount, &l->parent, &l->manual, &l->sku, &l->attrs,
		      &l->reason, &l->start, &l->end, &l->term);
	l->has_manual = !crm_stmt_is_null(st, 5);
}

/* The lines of a version into *out (NULL, *n 0 at first). */
static int load_lines(struct crm_db *db, int64_t quote, int64_t version,
		      struct line **out, size_t *n, struct crm_err *err)
{
	return crm_dbq_rows(db, err, out, n, sizeof(**out), line_fill,
			    "SELECT id, line_no, base_qty, discount_pct, "
			    "parent_line, manual_price, sku, attributes, "
			    "manual_reason, start_date, end_date, term_months "
			    "FROM quote_lines WHERE quote_id = ? AND version = "
			    "? ORDER BY line_no",
			    "ii", quote, version);
}

/* Columns 0 and 1 of a row into the int64_t[2] arg. */
static int two_ints(struct crm_stmt *st, void *arg)
{
	int64_t *v = arg;

	v[0] = crm_stmt_int(st, 0);
	v[1] = crm_stmt_int(st, 1);
	return 0;
}

/* Promotion uses by accepted quotes other than exclude: in total and by
 * company (0: none). Arrays of p->npromos, caller frees. */
static int promo_uses(struct crm_db *db, const struct crm_pricing *p,
		      int64_t company, int64_t exclude, int64_t **uses,
		      int64_t **uses_acct, struct crm_err *err)
{
	*uses = crm_xcalloc(p->npromos + 1, sizeof(**uses));
	*uses_acct = crm_xcalloc(p->npromos + 1, sizeof(**uses_acct));
	for (size_t i = 0; i < p->npromos; i++) {
		int64_t v[2] = {0, 0};

		if (crm_dbq_each(db, err, two_ints, v,
				 "SELECT count(*), coalesce(sum(CASE WHEN "
				 "company_id = ?2 THEN 1 ELSE 0 END), 0) FROM "
				 "promotion_uses WHERE promotion = ?1 AND "
				 "quote_id <> ?3",
				 "sii", p->promos[i].name, company,
				 exclude) < 0)
			return -1;
		(*uses)[i] = v[0];
		(*uses_acct)[i] = company ? v[1] : 0;
	}
	return 0;
}

/* What promotion eligibility reads. */
struct elig {
	const struct crm_row *account, *product;
	const char *book;
	char qty[32], amount[32];
	char buf[512];
};

static const char *elig_get(const char *field, void *arg)
{
	struct elig *e = arg;

	if (!strcmp(field, "quantity"))
		return e->qty;
	if (!strcmp(field, "amount"))
		return e->amount;
	if (!strcmp(field, "book"))
		return e->book;
	if (!strncmp(field, "account.", 8)) {
		const char *f = field + 8;
		json_t *j;

		if (!e->account || !e->account->e)
			return NULL;
		if (crm_entity_field(e->account->e, f) >= 0)
			return crm_row_get(e->account, f);
		j = json_object_get(e->account->custom, f);
		if (json_is_string(j))
			return json_string_value(j);
		if (json_is_integer(j)) {
			snprintf(e->buf, sizeof(e->buf), "%lld",
				 (long long)json_integer_value(j));
			return e->buf;
		}
		return NULL;
	}
	if (!strcmp(field, "account"))
		return e->account && e->account->e
			   ? crm_row_get(e->account, "name")
			   : NULL;
	if (e->product && crm_entity_field(&crm_product_entity, field) >= 0)
		return crm_row_get(e->product, field);
	return NULL;
}

int crm_price_product(struct crm_quote_ctx *c, const struct crm_price_req *r,
		      struct crm_price_out *out, int64_t *promo,
		      struct crm_strv *promos, struct crm_price_steps *steps,
		      struct crm_err *err)
{
	const struct crm_price_book *b = r->book;
	const struct crm_row *product = r->product, *account = r->account;
	int64_t qty = r->qty;
	const char *sku = crm_row_get(product, "sku");
	const struct crm_price_entry *e = crm_book_entry(b, sku);
	struct crm_price_in in = {0};
	const char *cost = crm_row_get(product, "cost");
	const char *pcur = crm_row_get(product, "currency");
	int64_t *uses = NULL, *uses_acct = NULL;
	struct elig el = {account, product, b->name, "", "", ""};
	int rc = -1;

	*promo = 0;
	if (!e)
		return crm_err_field(err, "sku", CRM_EX_DATAERR,
				     "%s is not in price book %s", sku,
				     b->name);
	if (crm_product_check_attrs(product, r->attrs, err) < 0)
		return -1;
	in.entry = e;
	in.currency = b->currency;
	in.qty = qty;
	in.attrs = r->attrs;
	in.base = r->base;
	if (cost && pcur && !strcmp(pcur, b->currency)) {
		in.has_cost = true;
		in.cost = strtoll(cost, NULL, 10);
	}
	if (crm_price_line(&in, out, steps, err) < 0)
		return -1;
	snprintf(el.qty, sizeof(el.qty), "%lld", (long long)qty);
	crm_money_format(out->amount, b->currency, el.amount);
	if (!r->uses &&
	    promo_uses(c->db, c->pricing,
		       account && account->e ? crm_row_id(account) : 0,
		       r->exclude_quote, &uses, &uses_acct, err) < 0)
		goto out;
	if (crm_promo_apply(c->pricing, b->name, c->date, out->amount, qty,
			    r->uses ? r->uses : uses,
			    r->uses ? r->uses_account : uses_acct, elig_get,
			    &el, b->currency, promo, promos, steps, err) < 0)
		goto out;
	rc = 0;
out:
	free(uses);
	free(uses_acct);
	return rc;
}

/* s (n bytes) as a JSON string into b, as jansson's json_dumps writes it:
 * \\ and " escaped, \b \f \n \r \t, other control characters as \u00XX
 * (upper case), everything else (UTF-8 too) as it is. False when s is not
 * UTF-8 (jansson refuses it; b then holds what was written). */
static bool json_text(struct crm_buf *b, const char *s, size_t n)
{
	const char *start = s;
	unsigned char high = 0;
	static const char hex[] = "0123456789ABCDEF";
	static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
	char *o;

	/* at most 6 bytes a byte, the quotes and the NUL */
	b->s = crm_xgrow(b->s, &b->cap, b->len + 6 * n + 3, 1);
	o = b->s + b->len;
	*o++ = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *k;

		high |= c;
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		k = memchr(from, c, sizeof(from) - 1);
		if (k) {
			*o++ = to[k - from];
		} else {
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
		}
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->s);
	return !(high & 0x80) || crm_utf8_valid(start, n, NULL);
}

#define ADD_LIT(b, lit) crm_buf_add((b), (lit), sizeof(lit) - 1)

/* A line's explanation into b: its steps as a compact JSON array of
 * {"step", "detail", "amount"}, byte for byte what json_pack and
 * json_dumps made of them (jansson refuses a string that is not UTF-8:
 * that step is left out, as json_array_append_new of the NULL json_pack
 * gave left it), written by hand since jansson took half the time of
 * re-pricing (HACKING.md). */
static void explain_json(struct crm_buf *b, const struct crm_price_steps *s)
{
	bool first = true;

	crm_buf_addc(b, '[');
	for (size_t i = 0; i < s->n; i++) {
		const struct crm_price_step *st = &s->v[i];
		size_t at = b->len;
		bool ok;
		char num[24], *p = num + sizeof(num);
		uint64_t a = st->amount < 0 ? -(uint64_t)st->amount
					    : (uint64_t)st->amount;

		do
			*--p = (char)('0' + a % 10);
		while (a /= 10);
		if (st->amount < 0)
			*--p = '-';
		if (first)
			ADD_LIT(b, "{\"step\":");
		else
			ADD_LIT(b, ",{\"step\":");
		ok = json_text(b, st->step, strlen(st->step));
		ADD_LIT(b, ",\"detail\":");
		ok = json_text(b, st->detail, strlen(st->detail)) && ok;
		if (!ok) { /* the step is left out */
			b->len = at;
			b->s[at] = '\0';
			continue;
		}
		ADD_LIT(b, ",\"amount\":");
		crm_buf_add(b, p, (size_t)(num + sizeof(num) - p));
		crm_buf_addc(b, '}');
		first = false;
	}
	crm_buf_addc(b, ']');
}

/* The lines' figures: ten values a line, id first. One line a statement
 * on SQLite (an UPDATE ... FROM (VALUES ...) of 8 lines cost 15% more
 * instructions than 8 UPDATEs), up to 8 lines a statement on PostgreSQL
 * (a round trip each: price --all took 30% less time), typed there since
 * VALUES would take them as text. */
#define LINE_ROW                                                               \
	"(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), "             \
	"CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), "            \
	"CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), "                \
	"CAST(? AS TEXT))"
#define LINE_ROWS2 LINE_ROW ", " LINE_ROW
#define LINE_ROWS4 LINE_ROWS2 ", " LINE_ROWS2
#define LINES_UPDATE(rows)                                                     \
	"UPDATE quote_lines SET product_id = v.column2, name = v.column3, "    \
	"list_unit = v.column4, list_amount = v.column5, unit_price = "        \
	"v.column6, amount = v.column7, promotions = v.column8, tax_category " \
	"= v.column9, explain = v.column10 FROM (VALUES " rows                 \
	") AS v WHERE quote_lines.id = v.column1"

static const char *const lines_update[] = {
    NULL,
    "UPDATE quote_lines SET product_id = ?2, name = ?3, list_unit = ?4, "
    "list_amount = ?5, unit_price = ?6, amount = ?7, promotions = ?8, "
    "tax_category = ?9, explain = ?10 WHERE id = ?1",
    LINES_UPDATE(LINE_ROWS2),
    LINES_UPDATE(LINE_ROWS2 ", " LINE_ROW),
    LINES_UPDATE(LINE_ROWS4),
    LINES_UPDATE(LINE_ROWS4 ", " LINE_ROW),
    LINES_UPDATE(LINE_ROWS4 ", " LINE_ROWS2),
    LINES_UPDATE(LINE_ROWS4 ", " LINE_ROWS2 ", " LINE_ROW),
    LINES_UPDATE(LINE_ROWS4 ", " LINE_ROWS4),
};
#define LINES_PER_UPDATE (sizeof(lines_update) / sizeof(lines_update[0]) - 1)

/* Write the figures of the k lines at l (1 to LINES_PER_UPDATE); ex and
 * pr: buffers the caller keeps for all its lines. */
static int save_lines(struct crm_db *db, const struct line *l, size_t k,
		      struct crm_buf *ex, struct crm_buf *pr,
		      struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, lines_update[k], err);
	int rc;

	if (!st)
		return -1;
	for (size_t j = 0; j < k; j++) {
		int at = (int)j * 10;

		crm_buf_reset(ex);
		crm_buf_reset(pr);
		explain_json(ex, &l[j].steps);
		for (size_t i = 0; i < l[j].promos.n; i++) {
			if (i)
				crm_buf_addc(pr, ',');
			crm_buf_adds(pr, l[j].promos.v[i]);
		}
		crm_stmt_bind_int(st, at + 1, l[j].id);
		crm_stmt_bind_int(st, at + 2, crm_row_id(l[j].product));
		crm_stmt_bind_text(st, at + 3,
				   crm_row_get(l[j].product, "name"));
		crm_stmt_bind_int(st, at + 4, l[j].list_unit);
		crm_stmt_bind_int(st, at + 5, l[j].list_amount);
		crm_stmt_bind_int(st, at + 6, l[j].unit_price);
		crm_stmt_bind_int(st, at + 7, l[j].net);
		crm_stmt_bind_text(st, at + 8, pr->len ? pr->s : NULL);
		crm_stmt_bind_text(st, at + 9, l[j].tax_category);
		crm_stmt_bind_text(st, at + 10, crm_buf_str(ex));
	}
	rc = crm_stmt_step(st, err);
	crm_stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static struct line *line_by_no(struct line *l, size_t n, int64_t no)
{
	for (size_t i = 0; i < n; i++)
		if (l[i].line_no == no)
			return &l[i];
	return NULL;
}

/* What every line of a version shares: its book, account and the
 * promotions' uses (counted once for all its lines). */
struct version_ctx {
	const struct crm_price_book *b;
	const struct crm_row *acct;
	int64_t *uses, *uses_acct;
};

static int price_one(struct crm_quote_ctx *c, const struct quote *q,
		     struct version_ctx *v, struct line *l, int64_t base,
		     struct crm_err *err)
{
	struct crm_strv attrs = {0};
	struct crm_price_req req = {.book = v->b,
				    .product = l->product,
				    .qty = l->base_qty,
				    .attrs = &attrs,
				    .account = v->acct,
				    .exclude_quote = q->id,
				    .base = base};
	struct crm_price_out out;
	char m[32], p[32];
	int rc;

	if (!v->uses &&
	    promo_uses(c->db, c->pricing,
		       v->acct && v->acct->e ? crm_row_id(v->acct) : 0, q->id,
		       &v->uses, &v->uses_acct, err) < 0)
		return -1;
	req.uses = v->uses;
	req.uses_account = v->uses_acct;
	if (l->attrs)
		crm_strv_split(&attrs, l->attrs, ';');
	crm_price_steps_release(&l->steps);
	crm_strv_release(&l->promos);
	rc = crm_price_product(c, &req, &out, &l->promo, &l->promos, &l->steps,
			       err);
	crm_strv_release(&attrs);
	if (rc < 0)
		return crm_err_prefix(err,
				      "line %lld: ", (long long)l->line_no);
	l->list_unit = out.list_unit;
	l->list_amount = out.list_amount;
	l->amount = out.amount - l->promo;
	{
		/* a subscription: the price is per billing period; the line
		 * holds every period of its term (prorated at the end) */
		int pm = crm_period_months(
		    crm_row_get(l->product, "billing_period"));
		const char *pt = crm_row_get(l->product, "term_months");
		int64_t tm = l->term ? l->term
			     : pt    ? strtoll(pt, NULL, 10)
				     : 12;
		int64_t la, am;

		if (pm > 0) {
			if (crm_price_term(l->list_amount, pm, tm, l->start,
					   l->end, &la, NULL, q->currency,
					   err) < 0 ||
			    crm_price_term(l->amount, pm, tm, l->start, l->end,
					   &am, &l->steps, q->currency,
					   err) < 0) {
				snprintf(err->field, sizeof(err->field),
					 "term");
				return crm_err_prefix(
				    err, "line %lld: ", (long long)l->line_no);
			}
			l->list_amount = la;
			l->amount = am;
		}
	}
	if (l->included) {
		crm_price_steps_add(&l->steps, "bundle", 0,
				    "priced in bundle line %lld",
				    (long long)l->parent);
		l->amount = l->list_unit = l->list_amount = 0;
		l->promo = 0;
		crm_strv_release(&l->promos);
	} else if (l->has_manual) {
		if (__builtin_mul_overflow(l->manual, l->base_qty, &l->amount))
			return crm_err_field(err, "manual_price",
					     CRM_EX_DATAERR, "out of range");
		crm_price_steps_add(&l->steps, "manual", l->amount,
				    "manual price %s per unit (%s)",
				    crm_money_format(l->manual, q->currency, m),
				    l->reason ? l->reason : "no reason given");
		l->promo = 0;
		crm_strv_release(&l->promos);
	}
	l->disc = l->discount ? crm_pct_of(l->amount, l->discount) : 0;
	l->net = l->amount - l->disc;
	if (l->discount)
		crm_price_steps_add(&l->steps, "discount", l->net,
				    "line discount %s%%: -%s",
				    crm_pct_format(l->discount, p),
				    crm_money_format(l->disc, q->currency, m));
	l->unit_price = crm_div_half_even(l->net, l->base_qty);
	{
		const char *tc = crm_row_get(l->product, "tax_category");

		snprintf(l->tax_category, sizeof(l->tax_category), "%s",
			 tc ? tc : "standard");
	}
	return 0;
}

struct crm_quote_product {
	char *key;	     /* NULL: a free slot */
	struct crm_row *row; /* where it stays while lines point at it */
};

static size_t key_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct crm_quote_product *product_slot(struct crm_quote_product *v,
					      size_t cap, const char *key)
{
	size_t i = key_hash(key) & (cap - 1);

	while (v[i].key && strcmp(v[i].key, key))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

void crm_quote_products_release(struct crm_quote_products *p)
{
	for (size_t i = 0; i < p->cap; i++)
		if (p->slot[i].key) {
			free(p->slot[i].key);
			crm_row_release(p->slot[i].row);
			free(p->slot[i].row);
		}
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

/* crm_entity_find of a product by the key a line names it by into *row:
 * the one c->products keeps for the run when the caller keeps them (the
 * lines point at it, no copy each), else own. */
static int find_product(struct crm_quote_ctx *c, const char *key,
			struct crm_row *own, const struct crm_row **row,
			struct crm_err *err)
{
	struct crm_quote_products *p = c->products;
	struct crm_quote_product *s;
	int f;

	if (p && p->n && (s = product_slot(p->slot, p->cap, key))->key) {
		*row = s->row;
		return 1;
	}
	crm_row_release(own);
	crm_row_init(own, &crm_product_entity);
	*row = own;
	f = crm_entity_find(c->db, &crm_product_entity, key, own, err);
	if (f <= 0 || !p)
		return f;
	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct crm_quote_product *v = crm_xcalloc(cap, sizeof(*v));

		for (size_t i = 0; i < p->cap; i++)
			if (p->slot[i].key)
				*product_slot(v, cap, p->slot[i].key) =
				    p->slot[i];
		free(p->slot);
		p->slot = v;
		p->cap = cap;
	}
	s = product_slot(p->slot, p->cap, key);
	s->key = crm_xstrdup(key);
	s->row = crm_xcalloc(1, sizeof(*s->row));
	*s->row = *own; /* the run's now */
	memset(own, 0, sizeof(*own));
	*row = s->row;
	p->n++;
	return 1;
}

/* -- many quotes: reads by the chunk ---------------------------------------
 * crm_quote_price_many reads a chunk of quotes at once, a statement each
 * for their rows, their lines, their accounts and the promotions' uses,
 * where each quote read them by itself (six statements a quote: a round
 * trip each on PostgreSQL). Pricing writes none of what it reads (a
 * quote's totals and its lines' figures, not its version, status, lines'
 * quantities, accounts or promotion uses), so what was read stays true
 * while the chunk is priced. A quote takes its row and lines from the
 * chunk once; what it does not find there (a quote named twice, an
 * account the chunk did not return) it reads as before. */
#define CHUNK_QUOTES 256

struct chunk_quote {
	struct quote q;
	struct line *lines; /* its current version's, by line_no */
	size_t n;
	bool taken;
};

/* Promotion uses counted for the chunk: quote 0, those of an account; else
 * those of one quote (and its company, 0 when none). */
struct chunk_use {
	char *promotion;
	int64_t company, quote, n;
};

struct chunk {
	struct chunk_quote *q; /* by id */
	size_t nq;
	struct crm_rowset acct;
	struct chunk_use *use;
	size_t nuse;
	int64_t *total; /* each promotion's uses, the run's (NULL: not read) */
};

static void chunk_release(struct chunk *ch, bool all)
{
	for (size_t i = 0; i < ch->nq; i++)
		lines_free(ch->q[i].lines, ch->q[i].n);
	for (size_t i = 0; i < ch->nuse; i++)
		free(ch->use[i].promotion);
	free(ch->q);
	free(ch->use);
	ch->q = NULL;
	ch->use = NULL;
	ch->nq = ch->nuse = 0;
	if (all) {
		crm_rowset_release(&ch->acct);
		free(ch->total);
		ch->total = NULL;
	}
}

static int chunk_quote_row(struct crm_stmt *st, void *arg)
{
	struct chunk *ch = arg;
	struct chunk_quote *cq;

	ch->q = crm_xrealloc(ch->q, (ch->nq + 1) * sizeof(*ch->q));
	cq = &ch->q[ch->nq++];
	memset(cq, 0, sizeof(*cq));
	return quote_fill(st, &cq->q);
}

/* A line row (line_fill's columns, then its quote's id) to its quote's
 * lines: the rows come by quote, as the quotes do. */
struct chunk_lines {
	struct chunk *ch;
	size_t at;
};

static int chunk_line_row(struct crm_stmt *st, void *arg)
{
	struct chunk_lines *cl = arg;
	struct chunk *ch = cl->ch;
	int64_t quote = crm_stmt_int(st, 12);
	struct chunk_quote *cq;

	while (cl->at < ch->nq && ch->q[cl->at].q.id < quote)
		cl->at++;
	if (cl->at == ch->nq || ch->q[cl->at].q.id != quote)
		return 0; /* (none: the join names only the chunk's quotes) */
	cq = &ch->q[cl->at];
	cq->lines = crm_xrealloc(cq->lines, (cq->n + 1) * sizeof(*cq->lines));
	memset(&cq->lines[cq->n], 0, sizeof(*cq->lines));
	line_fill(st, &cq->lines[cq->n++]);
	return 0;
}

static int chunk_use_row(struct crm_stmt *st, void *arg)
{
	struct chunk *ch = arg;
	struct chunk_use *u;

	ch->use = crm_xrealloc(ch->use, (ch->nuse + 1) * sizeof(*ch->use));
	u = &ch->use[ch->nuse++];
	u->promotion = crm_xstrdup(crm_stmt_text(st, 0));
	u->company = crm_stmt_int(st, 1);
	u->quote = crm_stmt_int(st, 2);
	u->n = crm_stmt_int(st, 3);
	return 0;
}

struct chunk_total {
	const struct crm_pricing *p;
	int64_t *total;
};

static int chunk_total_row(struct crm_stmt *st, void *arg)
{
	struct chunk_total *t = arg;
	const char *name = crm_stmt_text(st, 0);

	for (size_t i = 0; i < t->p->npromos; i++)
		if (name && !strcmp(t->p->promos[i].name, name))
			t->total[i] = crm_stmt_int(st, 1);
	return 0;
}

/* A chunk's statements, each made for both engines from its text once
 * (in: CRM_SQL_IN_IDS_LITE or _PG). ?1 the quotes' ids, ?2 the accounts'. */
/* clang-format off */
#define CHUNK_QUOTES_SQL(in)                                                   \
	"SELECT id, deal_id, company_id, version, locked, currency, book, "    \
	"region, status FROM quotes WHERE " in("id", "?1") " ORDER BY id"
#define CHUNK_LINES_SQL(in)                                                    \
	"SELECT l.id, l.line_no, l.base_qty, l.discount_pct, l.parent_line, "  \
	"l.manual_price, l.sku, l.attributes, l.manual_reason, l.start_date, " \
	"l.end_date, l.term_months, l.quote_id FROM quotes q JOIN "            \
	"quote_lines l ON l.quote_id = q.id AND l.version = q.version "        \
	"WHERE " in("q.id", "?1") " ORDER BY l.quote_id, l.line_no"
#define CHUNK_USES_SQL(in)                                                     \
	"SELECT promotion, company_id, 0, count(*) FROM promotion_uses WHERE " \
	in("company_id", "?2")                                                 \
	" GROUP BY promotion, company_id UNION ALL SELECT promotion, "         \
	"company_id, quote_id, count(*) FROM promotion_uses WHERE "            \
	in("quote_id", "?1") " GROUP BY promotion, company_id, quote_id"
/* clang-format on */
static const char *const chunk_quotes_sql[] = {
    [CRM_STORE_SQLITE] = CHUNK_QUOTES_SQL(CRM_SQL_IN_IDS_LITE),
    [CRM_STORE_PG] = CHUNK_QUOTES_SQL(CRM_SQL_IN_IDS_PG)};
static const char *const chunk_lines_sql[] = {
    [CRM_STORE_SQLITE] = CHUNK_LINES_SQL(CRM_SQL_IN_IDS_LITE),
    [CRM_STORE_PG] = CHUNK_LINES_SQL(CRM_SQL_IN_IDS_PG)};
static const char *const chunk_uses_sql[] = {
    [CRM_STORE_SQLITE] = CHUNK_USES_SQL(CRM_SQL_IN_IDS_LITE),
    [CRM_STORE_PG] = CHUNK_USES_SQL(CRM_SQL_IN_IDS_PG)};

/* Read the n quotes at ids (and what they need) into ch. */
static int chunk_read(struct crm_quote_ctx *c, const int64_t *ids, size_t n,
		      struct chunk *ch, struct crm_err *err)
{
	enum crm_store_engine eng = crm_store_engine(c->db->store);
	struct crm_buf qs = {0}, cs = {0};
	int64_t *co = crm_xcalloc(n + 1, sizeof(*co));
	size_t nco = 0;
	struct chunk_lines cl = {ch, 0};
	int rc = -1;

	chunk_release(ch, false);
	crm_store_id_list(c->db->store, &qs, ids, n);
	if (crm_dbq_each(c->db, err, chunk_quote_row, ch, chunk_quotes_sql[eng],
			 "s", crm_buf_str(&qs)) < 0 ||
	    crm_dbq_each(c->db, err, chunk_line_row, &cl, chunk_lines_sql[eng],
			 "s", crm_buf_str(&qs)) < 0)
		goto out;
	/* the accounts, each once */
	for (size_t i = 0; i < ch->nq; i++)
		if (ch->q[i].q.company_id)
			co[nco++] = ch->q[i].q.company_id;
	qsort(co, nco, sizeof(*co), crm_i64_cmp);
	{
		size_t k = 0;

		for (size_t i = 0; i < nco; i++)
			if (!k || co[k - 1] != co[i])
				co[k++] = co[i];
		nco = k;
	}
	if (crm_rowset_load(c->db, &crm_company_entity, co, nco, &ch->acct,
			    err) < 0)
		goto out;
	if (!c->pricing->npromos) {
		rc = 0;
		goto out;
	}
	/* the promotions' uses: in all (once a run), by the chunk's
	 * accounts, by the chunk's quotes */
	if (!ch->total) {
		struct chunk_total t = {
		    c->pricing,
		    crm_xcalloc(c->pricing->npromos, sizeof(int64_t))};

		ch->total = t.total;
		if (crm_dbq_each(c->db, err, chunk_total_row, &t,
				 "SELECT promotion, count(*) FROM "
				 "promotion_uses GROUP BY promotion",
				 "") < 0)
			goto out;
	}
	crm_store_id_list(c->db->store, &cs, co, nco);
	if (crm_dbq_each(c->db, err, chunk_use_row, ch, chunk_uses_sql[eng],
			 "ss", crm_buf_str(&qs), crm_buf_str(&cs)) < 0)
		goto out;
	rc = 0;
out:
	crm_buf_release(&qs);
	crm_buf_release(&cs);
	free(co);
	return rc;
}

/* The chunk's row of quote id, once (NULL: not there, or taken). */
static struct chunk_quote *chunk_take(struct chunk *ch, int64_t id)
{
	struct chunk_quote *cq;

	if (!ch)
		return NULL;
	cq = bsearch(&id, ch->q, ch->nq, sizeof(*ch->q), crm_i64_cmp);
	if (!cq || cq->taken)
		return NULL;
	cq->taken = true;
	return cq;
}

/* The chunk's account id, or NULL. */
static const struct crm_row *chunk_account(const struct chunk *ch, int64_t id)
{
	return ch ? crm_rowset_find(&ch->acct, id) : NULL;
}

/* promo_uses for quote q of account company (0: none) from the chunk:
 * the uses by other quotes are the uses less the quote's own. */
static void chunk_uses(const struct crm_pricing *p, const struct chunk *ch,
		       int64_t quote, int64_t company, int64_t **uses,
		       int64_t **uses_acct)
{
	*uses = crm_xcalloc(p->npromos + 1, sizeof(**uses));
	*uses_acct = crm_xcalloc(p->npromos + 1, sizeof(**uses_acct));
	for (size_t i = 0; i < p->npromos; i++) {
		(*uses)[i] = ch->total[i];
		for (size_t k = 0; k < ch->nuse; k++) {
			const struct chunk_use *u = &ch->use[k];

			if (strcmp(u->promotion, p->promos[i].name))
				continue;
			if (u->quote == quote) {
				(*uses)[i] -= u->n;
				if (company && u->company == company)
					(*uses_acct)[i] -= u->n;
			} else if (!u->quote && company &&
				   u->company == company)
				(*uses_acct)[i] += u->n;
		}
	}
}

/* Price the current version; bundles: check the bundles' options and
 * rules too (price and submit do; adding and removing lines, while a
 * bundle is being put together, do not). cq: the quote's row and lines
 * from a chunk (its lines are taken), ch: that chunk's accounts and uses
 * (both NULL: read them). */
static int price_version(struct crm_quote_ctx *c, struct quote *q, bool bundles,
			 struct chunk_quote *cq, const struct chunk *ch,
			 struct crm_err *err)
{
	const struct crm_price_book *b;
	struct line *lines = NULL;
	size_t n = 0;
	struct crm_row acct;
	struct version_ctx vc = {NULL, &acct, NULL, NULL};
	struct crm_buf ex = {0}, pr = {0};
	size_t most; /* lines an UPDATE */
	int64_t list_total = 0, subtotal = 0, tax = 0;
	json_t *cats = json_object(), *rates = NULL;
	char now[CRM_TIME_LEN];
	int rc = -1;

	crm_row_init(&acct, &crm_company_entity);
	b = vc.b = crm_pricing_book(c->pricing, q->book, c->date, err);
	if (!b)
		goto out;
	if (strcmp(b->currency, q->currency)) {
		crm_err_field(err, "currency", CRM_EX_DATAERR,
			      "quote %lld is in %s but price book %s is in %s",
			      (long long)q->id, q->currency, b->name,
			      b->currency);
		goto out;
	}
	if (q->company_id && !(vc.acct = chunk_account(ch, q->company_id))) {
		vc.acct = &acct;
		if (crm_entity_get(c->db, &crm_company_entity, q->company_id,
				   &acct, err) < 0)
			goto out;
	}
	if (cq) {
		lines = cq->lines;
		n = cq->n;
		cq->lines = NULL;
		cq->n = 0;
	} else if (load_lines(c->db, q->id, q->version, &lines, &n, err) < 0)
		goto out;
	if (ch && ch->total) {
		int64_t co = vc.acct->e ? crm_row_id(vc.acct) : 0;

		if (!co || co == q->company_id)
			chunk_uses(c->pricing, ch, q->id, co, &vc.uses,
				   &vc.uses_acct);
	}
	/* products; bundles */
	for (size_t i = 0; i < n; i++) {
		int f = find_product(c, lines[i].sku, &lines[i].own,
				     &lines[i].product, err);
		const char *act;

		if (f < 0)
			goto out;
		if (!f) {
			crm_err_field(err, "sku", CRM_EX_DATAERR,
				      "line %lld: no product '%s'",
				      (long long)lines[i].line_no,
				      lines[i].sku);
			goto out;
		}
		act = crm_row_get(lines[i].product, "active");
		if (act && !strcmp(act, "0")) {
			crm_err_field(err, "sku", CRM_EX_DATAERR,
				      "line %lld: %s is not active",
				      (long long)lines[i].line_no,
				      lines[i].sku);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct line *par = lines[i].parent
				       ? line_by_no(lines, n, lines[i].parent)
				       : NULL;
		struct crm_bundle_item *items;
		size_t ni = 0;

		if (lines[i].parent && !par) {
			crm_err_field(err, "parent", CRM_EX_DATAERR,
				      "line %lld: no bundle line %lld",
				      (long long)lines[i].line_no,
				      (long long)lines[i].parent);
			goto out;
		}
		if (par && bundles && !crm_row_get(par->product, "bundle")) {
			crm_err_field(err, "parent", CRM_EX_DATAERR,
				      "line %lld: %s is not a bundle",
				      (long long)lines[i].line_no, par->sku);
			goto out;
		}
		if (par)
			lines[i].included =
			    crm_bundle_included(par->product, lines[i].sku);
		if (!bundles || !crm_row_get(lines[i].product, "bundle"))
			continue;
		items = crm_xcalloc(n, sizeof(*items));
		for (size_t k = 0; k < n; k++)
			if (lines[k].parent == lines[i].line_no) {
				items[ni].sku = lines[k].sku;
				items[ni++].qty = lines[k].base_qty;
			}
		rc = crm_bundle_check(lines[i].product, items, ni, err);
		free(items);
		if (rc < 0) {
			crm_err_prefix(
			    err, "line %lld: ", (long long)lines[i].line_no);
			goto out;
		}
		rc = -1;
	}
	/* every line but percent-of-total ones, then those */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct crm_price_entry *e =
			    crm_book_entry(b, lines[i].sku);
			int64_t base = 0;

			if (!e) {
				crm_err_field(err, "sku", CRM_EX_DATAERR,
					      "line %lld: %s is not in price "
					      "book %s",
					      (long long)lines[i].line_no,
					      lines[i].sku, b->name);
				goto out;
			}
			if ((e->method == CRM_PRICE_PERCENT) != (pass == 1))
				continue;
			lines[i].percent = pass == 1;
			for (size_t k = 0; pass == 1 && k < n; k++) {
				const char *fam;

				if (lines[k].percent || k == i)
					continue;
				fam = crm_row_get(lines[k].product, "family");
				if (e->of_family &&
				    (!fam || strcmp(fam, e->of_family)))
					continue;
				base += lines[k].net;
			}
			if (price_one(c, q, &vc, &lines[i], base, err) < 0)
				goto out;
		}
	/* tax by category on the sum of the lines in it */
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_object_get(cats, lines[i].tax_category);

		list_total += lines[i].list_amount;
		subtotal += lines[i].net;
		json_object_set_new(
		    cats, lines[i].tax_category,
		    json_integer(json_integer_value(s) + lines[i].net));
	}
	most = crm_store_engine(c->db->store) == CRM_STORE_PG ? LINES_PER_UPDATE
							      : 1;
	for (size_t i = 0, k; i < n; i += k) {
		k = n - i < most ? n - i : most;
		if (save_lines(c->db, &lines[i], k, &ex, &pr, err) < 0)
			goto out;
	}
	if (*q->region && c->tax && c->tax->root) {
		const char *cat;
		json_t *v;

		rates = json_object_get(
		    json_object_get(c->tax->root, "regions"), q->region);
		if (!rates) {
			crm_err_field(err, "region", CRM_EX_DATAERR,
				      "no tax region '%s' in %s", q->region,
				      c->tax->path);
			goto out;
		}
		json_object_foreach(cats, cat, v)
		{
			json_t *r = json_object_get(rates, cat);

			if (!r) {
				crm_err_field(
				    err, "tax_category", CRM_EX_DATAERR,
				    "no tax rate for category '%s' in region "
				    "%s (%s)",
				    cat, q->region, c->tax->path);
				goto out;
			}
			tax += crm_pct_of(json_integer_value(v),
					  json_integer_value(r));
		}
	}
	if (crm_dbq_run(c->db, err,
			"UPDATE quote_versions SET list_total = ?3, subtotal "
			"= ?4, discount = ?5, tax = ?6, total = ?7, priced_at "
			"= ?8 WHERE quote_id = ?1 AND version = ?2",
			"iiiiiiis", q->id, q->version, list_total, subtotal,
			list_total - subtotal, tax, subtotal + tax,
			now_text(c->db, now)) < 0)
		goto out;
	rc = crm_dbq_run(c->db, err,
			 "UPDATE quotes SET subtotal = ?2, discount = ?3, tax "
			 "= ?4, total = ?5, updated_at = ?6 WHERE id = ?1",
			 "iiiiis", q->id, subtotal, list_total - subtotal, tax,
			 subtotal + tax, now);
out:
	crm_buf_release(&ex);
	crm_buf_release(&pr);
	free(vc.uses);
	free(vc.uses_acct);
	json_decref(cats);
	lines_free(lines, n);
	crm_row_release(&acct);
	return rc;
}

/* crm_quote_price, the quote's row and lines from ch when it has them. */
static int price_quote(struct crm_quote_ctx *c, int64_t quote, struct chunk *ch,
		       struct crm_err *err)
{
	struct chunk_quote *cq = chunk_take(ch, quote);
	struct quote q;

	if (cq)
		q = cq->q;
	else if (load_quote(c->db, quote, &q, err) < 0)
		return -1;
	if (sync_approval(c->db, &q, err) < 0)
		return -1;
	if (!strcmp(q.status, "accepted") || !strcmp(q.status, "rejected") ||
	    q.locked)
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is %s: it keeps its "
				     "prices",
				     (long long)quote,
				     q.locked ? "locked" : q.status);
	return price_version(c, &q, true, cq, ch, err);
}

int crm_quote_price(struct crm_quote_ctx *c, int64_t quote, struct crm_err *err)
{
	return price_quote(c, quote, NULL, err);
}

int crm_quote_price_many(struct crm_quote_ctx *c, const int64_t *ids, size_t n,
			 int (*fn)(int64_t id, void *arg), void *arg,
			 struct crm_err *err)
{
	struct chunk ch = {0};
	int rc = -1;

	for (size_t i = 0; i < n; i++) {
		if (i % CHUNK_QUOTES == 0 &&
		    chunk_read(c, ids + i,
			       n - i < CHUNK_QUOTES ? n - i : CHUNK_QUOTES, &ch,
			       err) < 0)
			goto out;
		if (crm_check_interrupt(err) < 0 ||
		    price_quote(c, ids[i], &ch, err) < 0 ||
		    (fn && fn(ids[i], arg) < 0))
			goto out;
	}
	rc = 0;
out:
	chunk_release(&ch, true);
	return rc;
}

static void id_fill(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

int crm_quote_drafts(struct crm_db *db, int64_t **ids, size_t *n,
		     struct crm_err *err)
{
	*ids = NULL;
	*n = 0;
	return crm_dbq_rows(db, err, ids, n, sizeof(**ids), id_fill,
			    "SELECT id FROM quotes WHERE status = 'draft' AND "
			    "locked = 0 ORDER BY id",
			    "");
}

/* A crm_stmt_each callback that only lets the statement run. */
static int no_row(struct crm_stmt *st, void *arg)
{
	(void)st;
	(void)arg;
	return 0;
}

/* A crm_stmt_each callback that counts the rows into the int64_t arg. */
static int count_row(struct crm_stmt *st, void *arg)
{
	(void)st;
	++*(int64_t *)arg;
	return 0;
}

int crm_quote_add_line(struct crm_quote_ctx *c, int64_t quote,
		       const struct crm_quote_line_in *in, int64_t *line_no,
		       struct crm_err *err)
{
	struct quote q;
	struct crm_row p;
	struct crm_stmt *st;
	struct crm_buf attrs = {0};
	int64_t factor, base, manual = 0;
	const char *unit;
	bool sub;
	int rc = -1, f;

	crm_row_init(&p, &crm_product_entity);
	if (load_quote(c->db, quote, &q, err) < 0 ||
	    sync_approval(c->db, &q, err) < 0)
		goto out;
	if (in->qty <= 0) {
		crm_err_field(err, "qty", CRM_EX_DATAERR,
			      "quantity must be at least 1, not %lld",
			      (long long)in->qty);
		goto out;
	}
	if (in->discount < 0 || in->discount > 10000) {
		crm_err_field(err, "discount", CRM_EX_DATAERR,
			      "a discount is 0 to 100 percent");
		goto out;
	}
	f = crm_entity_find(c->db, &crm_product_entity, in->sku, &p, err);
	if (f < 0)
		goto out;
	if (!f) {
		crm_err_field(err, "sku", CRM_EX_DATAERR, "no product '%s'",
			      in->sku);
		goto out;
	}
	if (crm_product_unit_factor(&p, in->unit, &factor, err) < 0 ||
	    crm_product_check_attrs(&p, in->attrs, err) < 0)
		goto out;
	if (__builtin_mul_overflow(in->qty, factor, &base)) {
		crm_err_field(err, "qty", CRM_EX_DATAERR,
			      "quantity out of range");
		goto out;
	}
	if (in->manual_price &&
	    crm_money_parse(in->manual_price, q.currency, &manual, err) < 0) {
		snprintf(err->field, sizeof(err->field), "manual_price");
		goto out;
	}
	if (in->manual_price && manual < 0) {
		crm_err_field(err, "manual_price", CRM_EX_DATAERR,
			      "a price is not negative");
		goto out;
	}
	if (in->manual_price && (!in->reason || !*in->reason)) {
		crm_err_field(err, "reason", CRM_EX_DATAERR,
			      "a manual price needs its reason (--reason)");
		goto out;
	}
	if ((in->start || in->end || in->term) &&
	    crm_period_months(crm_row_get(&p, "billing_period")) <= 0) {
		crm_err_field(err, "term", CRM_EX_DATAERR,
			      "%s is no subscription (billing_period)",
			      in->sku);
		goto out;
	}
	if (in->term < 0) {
		crm_err_field(err, "term", CRM_EX_DATAERR,
			      "a term is a number of months >= 1");
		goto out;
	}
	if (editable(c->db, &q, err) < 0)
		goto out;
	if (in->parent &&
	    crm_dbq_int(c->db, err,
			"SELECT count(*) FROM quote_lines WHERE quote_id = ?1 "
			"AND version = (SELECT version FROM quotes WHERE id = "
			"?1) AND line_no = ?2",
			"ii", quote, in->parent) <= 0) {
		if (!err->code)
			crm_err_field(err, "parent", CRM_EX_DATAERR,
				      "no line %lld on quote %lld",
				      (long long)in->parent, (long long)quote);
		goto out;
	}
	*line_no = crm_dbq_int(c->db, err,
			       "SELECT coalesce(max(line_no), 0) + 1 FROM "
			       "quote_lines WHERE quote_id = ?1 AND version = "
			       "(SELECT version FROM quotes WHERE id = ?1)",
			       "i", quote);
	if (*line_no < 0)
		goto out;
	for (size_t i = 0; in->attrs && i < in->attrs->n; i++)
		crm_buf_addf(&attrs, "%s%s", i ? ";" : "", in->attrs->v[i]);
	sub = crm_period_months(crm_row_get(&p, "billing_period")) > 0;
	unit = in->unit ? in->unit : crm_row_get(&p, "unit");
	st = crm_dbq(
	    c->db, err,
	    "INSERT INTO quote_lines (quote_id, version, line_no, grp, "
	    "product_id, sku, name, qty, unit, base_qty, attributes, "
	    "discount_pct, manual_price, manual_reason, parent_line, "
	    "start_date, end_date, term_months) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
	    "iiisissisisiisIssI", quote, q.version, *line_no, in->group,
	    crm_row_id(&p), crm_row_get(&p, "sku"), crm_row_get(&p, "name"),
	    in->qty, unit ? unit : "each", base, attrs.len ? attrs.s : NULL,
	    in->discount, manual, in->reason, in->parent,
	    sub ? (in->start ? in->start : c->date) : NULL,
	    sub ? in->end : NULL, in->term);
	if (!st)
		goto out;
	if (!in->manual_price)
		crm_stmt_bind_null(st, 13);
	if (crm_stmt_each(st, no_row, NULL, err) < 0)
		goto out;
	rc = price_version(c, &q, false, NULL, NULL, err);
out:
	crm_buf_release(&attrs);
	crm_row_release(&p);
	return rc;
}

int crm_quote_remove_line(struct crm_quote_ctx *c, int64_t quote,
			  int64_t line_no, struct crm_err *err)
{
	struct quote q;
	int64_t gone = 0;

	if (load_quote(c->db, quote, &q, err) < 0 ||
	    editable(c->db, &q, err) < 0)
		return -1;
	if (crm_dbq_each(c->db, err, count_row, &gone,
			 "DELETE FROM quote_lines WHERE quote_id = ?1 AND "
			 "version = ?2 AND (line_no = ?3 OR parent_line = ?3) "
			 "RETURNING id",
			 "iii", quote, q.version, line_no) < 0)
		return -1;
	if (!gone)
		return crm_err_field(err, "line", CRM_EX_DATAERR,
				     "no line %lld on quote %lld",
				     (long long)line_no, (long long)quote);
	return price_version(c, &q, false, NULL, NULL, err);
}

/* -- copies ---------------------------------------------------------------- */

static void change_fill(struct crm_stmt *st, void *elem)
{
	struct crm_quote_change *ch = elem;

	ch->line_no = crm_stmt_int(st, 0);
	snprintf(ch->sku, sizeof(ch->sku), "%s", crm_stmt_text(st, 1));
	ch->old_unit = crm_stmt_int(st, 2);
	ch->new_unit = crm_stmt_int(st, 3);
	ch->old_amount = crm_stmt_int(st, 4);
	ch->new_amount = crm_stmt_int(st, 5);
}

int crm_quote_copy(struct crm_quote_ctx *c, int64_t from,
		   const struct crm_quote_new *n, int64_t *id,
		   struct crm_quote_change **changes, size_t *nchanges,
		   struct crm_err *err)
{
	struct quote q;
	struct crm_quote_new nn = *n;
	char deal[32], acct[32];
	int64_t fv;

	*changes = NULL;
	*nchanges = 0;
	if (load_quote(c->db, from, &q, err) < 0)
		return -1;
	if (!nn.deal && !nn.account && q.deal_id)
		nn.deal = crm_fmt_int(deal, q.deal_id);
	if (!nn.account && q.company_id)
		nn.account = crm_fmt_int(acct, q.company_id);
	if (!nn.book)
		nn.book = q.book;
	if (!nn.currency)
		nn.currency = q.currency;
	if (!nn.region && *q.region)
		nn.region = q.region;
	if (crm_quote_create(c, &nn, id, err) < 0 ||
	    copy_lines(c->db, from, q.version, *id, 1, err) < 0)
		return -1;
	if (crm_dbq_run(c->db, err,
			"UPDATE quotes SET from_quote_id = ?2 WHERE id = ?1",
			"ii", *id, from) < 0 ||
	    load_quote(c->db, *id, &q, err) < 0 ||
	    price_version(c, &q, false, NULL, NULL, err) < 0)
		return -1;
	fv = crm_dbq_int(c->db, err, "SELECT version FROM quotes WHERE id = ?1",
			 "i", from);
	return crm_dbq_rows(
	    c->db, err, changes, nchanges, sizeof(**changes), change_fill,
	    "SELECT a.line_no, a.sku, a.unit_price, b.unit_price, a.amount, "
	    "b.amount FROM quote_lines a JOIN quote_lines b ON b.quote_id = ?2 "
	    "AND b.version = 1 AND b.line_no = a.line_no WHERE a.quote_id = ?1 "
	    "AND a.version = ?3 AND (a.unit_price <> b.unit_price OR a.amount "
	    "<> b.amount) ORDER BY a.line_no",
	    "iii", from, *id, fv);
}

/* -- submit, accept, reject ------------------------------------------------ */

static void push_free(struct crm_strv *sv, char *s)
{
	crm_strv_push(sv, s);
	free(s);
}

/* The lines of a submitted quote against the thresholds. */
struct line_check {
	const struct crm_thresholds *t;
	struct crm_strv *reasons;
	const char *cur;
	int64_t list_total, subtotal;
};

/* A line (line_no, sku, list_amount, amount, manual_price, list_unit):
 * its sums, and a reason when it is past a threshold. */
static int check_line(struct crm_stmt *st, void *arg)
{
	struct line_check *ck = arg;
	const struct crm_thresholds *t = ck->t;
	int64_t la = crm_stmt_int(st, 2), a = crm_stmt_int(st, 3);
	int64_t pct =
	    la > 0 ? crm_div_half_even((__int128)(la - a) * 10000, la) : 0;
	char m[32], p[32], p2[32];

	ck->list_total += la;
	ck->subtotal += a;
	if (t && t->line_discount >= 0 && pct > t->line_discount)
		push_free(ck->reasons,
			  crm_xasprintf("line %lld (%s): discount %s%% is past "
					"%s%%",
					(long long)crm_stmt_int(st, 0),
					crm_stmt_text(st, 1),
					crm_pct_format(pct, p),
					crm_pct_format(t->line_discount, p2)));
	if (t && t->manual_price && !crm_stmt_is_null(st, 4) &&
	    crm_stmt_int(st, 4) < crm_stmt_int(st, 5))
		push_free(ck->reasons,
			  crm_xasprintf("line %lld (%s): manual price %s below "
					"list",
					(long long)crm_stmt_int(st, 0),
					crm_stmt_text(st, 1),
					crm_money_format(crm_stmt_int(st, 4),
							 ck->cur, m)));
	return 0;
}

/* Start the approval of a quote past a threshold: the thresholds'
 * process, or one step for their approver. A process whose steps all
 * skip it approves it at once. */
static int start_approval(struct crm_quote_ctx *c, struct quote *q,
			  const struct crm_thresholds *t, int64_t *approval,
			  struct crm_err *err)
{
	json_t *spec =
	    t && t->process
		? json_incref(t->process)
		: json_pack("{s:s, s:[{s:s, s:[s]}]}", "name", "quote", "steps",
			    "name", "approval", "approvers",
			    t && t->approver && *t->approver
				? t->approver
				: "role:sales_manager");
	int rc = crm_approval_start(c->db, &crm_quote_entity, q->id, spec, NULL,
				    approval, err);

	json_decref(spec);
	if (rc < 0)
		return -1;
	return sync_approval(c->db, q, err);
}

int crm_quote_submit(struct crm_quote_ctx *c, int64_t quote,
		     const struct crm_thresholds *t, struct crm_strv *reasons,
		     int64_t *approval, struct crm_err *err)
{
	struct quote q;
	struct line_check ck = {0};
	char m[32], p[32], p2[32];
	int64_t list_total = 0, subtotal = 0, total = 0;
	int rc;

	*approval = 0;
	if (load_quote(c->db, quote, &q, err) < 0 ||
	    sync_approval(c->db, &q, err) < 0)
		return -1;
	if (strcmp(q.status, "draft"))
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is %s, not a draft",
				     (long long)quote, q.status);
	if (!crm_dbq_int(c->db, err,
			 "SELECT count(*) FROM quote_lines WHERE quote_id = ?1 "
			 "AND version = (SELECT version FROM quotes WHERE id = "
			 "?1)",
			 "i", quote))
		return crm_err_field(err, "lines", CRM_EX_DATAERR,
				     "quote %lld has no lines",
				     (long long)quote);
	if (price_version(c, &q, true, NULL, NULL, err) < 0)
		return -1;
	ck.t = t;
	ck.reasons = reasons;
	ck.cur = q.currency;
	if (crm_dbq_each(c->db, err, check_line, &ck,
			 "SELECT line_no, sku, list_amount, amount, "
			 "manual_price, list_unit FROM quote_lines WHERE "
			 "quote_id = ? AND version = ? ORDER BY line_no",
			 "ii", quote, q.version) < 0)
		return -1;
	list_total = ck.list_total;
	subtotal = ck.subtotal;
	total = crm_dbq_int(
	    c->db, err, "SELECT total FROM quotes WHERE id = ?1", "i", quote);
	if (t && t->quote_discount >= 0 && list_total > 0) {
		int64_t pct = crm_div_half_even(
		    (__int128)(list_total - subtotal) * 10000, list_total);

		if (pct > t->quote_discount)
			push_free(reasons,
				  crm_xasprintf(
				      "quote discount %s%% is past %s%%",
				      crm_pct_format(pct, p),
				      crm_pct_format(t->quote_discount, p2)));
	}
	if (t && t->total >= 0 && !strcmp(t->total_currency, q.currency) &&
	    total > t->total)
		push_free(
		    reasons,
		    crm_xasprintf("total %s is past %s",
				  crm_money_format(total, q.currency, m),
				  crm_money_format(t->total, q.currency, p)));
	if (reasons->n) {
		struct crm_buf why = {0};

		for (size_t i = 0; i < reasons->n; i++)
			crm_buf_addf(&why, "%s%s", i ? "; " : "",
				     reasons->v[i]);
		rc = crm_dbq_run(
		    c->db, err, "UPDATE quotes SET approval = ?2 WHERE id = ?1",
		    "is", quote, why.s);
		crm_buf_release(&why);
		if (rc < 0 ||
		    set_status(c->db, &q, "pending_approval", 1, err) < 0)
			return -1;
		return start_approval(c, &q, t, approval, err);
	}
	if (crm_dbq_run(c->db, err,
			"UPDATE quotes SET approval = NULL WHERE id = ?1", "i",
			quote) < 0 ||
	    set_status(c->db, &q, "sent", 0, err) < 0)
		return -1;
	return crm_dbq_run(c->db, err,
			   "UPDATE quote_versions SET sent_at = ?3 WHERE "
			   "quote_id = ?1 AND version = ?2",
			   "iis", quote, q.version, now_text(c->db, m));
}

int crm_quote_approve(struct crm_quote_ctx *c, int64_t quote,
		      struct crm_err *err)
{
	struct quote q;

	struct last_approval a;
	const char *outcome = NULL;

	if (load_quote(c->db, quote, &q, err) < 0 ||
	    sync_approval(c->db, &q, err) < 0)
		return -1;
	if (strcmp(q.status, "pending_approval"))
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is %s, not pending "
				     "approval",
				     (long long)quote, q.status);
	if (last_approval(c->db, quote, &a, err) < 0)
		return -1;
	if (!a.id)
		return set_status(c->db, &q, "approved", 0, err);
	if (crm_approval_decide(c->db, a.id, c->db->actor, true, NULL, &outcome,
				err) < 0)
		return -1;
	return sync_approval(c->db, &q, err);
}

/* The promotions of a line's list (a row's column 0, "A,B") that used
 * does not have yet go to used. */
static int used_promos(struct crm_stmt *st, void *arg)
{
	struct crm_strv *used = arg, sv = {0};

	crm_strv_split(&sv, crm_stmt_text(st, 0), ',');
	for (size_t i = 0; i < sv.n; i++)
		if (crm_strv_find(used, sv.v[i]) < 0)
			crm_strv_push(used, sv.v[i]);
	crm_strv_release(&sv);
	return 0;
}

int crm_quote_accept(struct crm_quote_ctx *c, int64_t quote,
		     struct crm_err *err)
{
	struct crm_import_opts o = {.command = "quote accept",
				    .mode = CRM_UPDATE_ONLY,
				    .keys = "id",
				    .force = true};
	struct crm_importer *im = NULL;
	struct quote q;
	struct crm_rec rec;
	struct crm_strv used = {0};
	char now[CRM_TIME_LEN], m[32], id[32];
	int64_t total;
	int rc;

	if (load_quote(c->db, quote, &q, err) < 0 ||
	    sync_approval(c->db, &q, err) < 0)
		return -1;
	if (strcmp(q.status, "sent") && strcmp(q.status, "approved"))
		return crm_err_field(
		    err, "status", CRM_EX_DATAERR,
		    "quote %lld is %s: only a sent or approved quote "
		    "is accepted",
		    (long long)quote, q.status);
	total = crm_dbq_int(
	    c->db, err, "SELECT total FROM quotes WHERE id = ?1", "i", quote);
	if (crm_dbq_run(c->db, err,
			"UPDATE quotes SET accepted_version = version, "
			"updated_at = ?2 WHERE id = ?1",
			"is", quote, now_text(c->db, now)) < 0 ||
	    set_status(c->db, &q, "accepted", 0, err) < 0)
		return -1;
	/* the promotions it used count against their limits */
	rc = crm_dbq_each(c->db, err, used_promos, &used,
			  "SELECT promotions FROM quote_lines WHERE quote_id = "
			  "? AND version = ? AND promotions IS NOT NULL",
			  "ii", quote, q.version);
	for (size_t i = 0; rc == 0 && i < used.n; i++)
		rc = crm_dbq_run(c->db, err,
				 "INSERT INTO promotion_uses (promotion, "
				 "company_id, quote_id, at) VALUES (?1, ?2, "
				 "?3, ?4)",
				 "sIis", used.v[i], q.company_id, quote, now);
	crm_strv_release(&used);
	if (rc < 0)
		return -1;
	if (!q.deal_id)
		return 0;
	/* the deal is won, for the quote's total */
	im = crm_importer_new(c->db, &crm_deal_entity, &o, err);
	if (!im)
		return -1;
	crm_rec_init(&rec);
	crm_rec_adds(&rec, "id", crm_fmt_int(id, q.deal_id));
	crm_rec_adds(&rec, "status", "won");
	crm_rec_adds(&rec, "currency", q.currency);
	crm_rec_adds(&rec, "amount", crm_money_format(total, q.currency, m));
	{
		enum crm_import_action a;

		rc = crm_importer_apply(im, &rec, NULL, &a, err);
	}
	crm_rec_release(&rec);
	crm_importer_free(im);
	if (rc < 0)
		return crm_err_prefix(err, "deal %lld: ", (long long)q.deal_id);
	return 0;
}

int crm_quote_reject(struct crm_quote_ctx *c, int64_t quote, const char *reason,
		     struct crm_err *err)
{
	struct quote q;

	if (!reason || !*reason)
		return crm_err_set(err, CRM_EX_USAGE,
				   "reject needs --reason (why the customer "
				   "said no)");
	if (load_quote(c->db, quote, &q, err) < 0 ||
	    sync_approval(c->db, &q, err) < 0)
		return -1;
	if (!strcmp(q.status, "accepted") || !strcmp(q.status, "rejected"))
		return crm_err_field(err, "status", CRM_EX_DATAERR,
				     "quote %lld is already %s",
				     (long long)quote, q.status);
	if (set_status(c->db, &q, "rejected", 0, err) < 0)
		return -1;
	return crm_dbq_run(c->db, err,
			   "UPDATE quotes SET reason = ?2 WHERE id = ?1", "is",
			   quote, reason);
}

/* -- the document -------------------------------------------------------- */

static void set_money(json_t *o, const char *k, int64_t v, const char *cur)
{
	char m[32];

	json_object_set_new(o, k, json_string(crm_money_format(v, cur, m)));
}

static void set_text(json_t *o, const char *k, struct crm_stmt *st, int col)
{
	json_object_set_new(o, k,
			    crm_stmt_is_null(st, col)
				? json_null()
				: json_string(crm_stmt_text(st, col)));
}

/* What the rows of crm_quote_doc go to. */
struct doc_ctx {
	json_t *doc, *lines, *groups, *taxes;
	const char *cur;
	int64_t quote, version;
};

/* The amounts in columns col, col + 1, ... as keys names. */
static void set_moneys(json_t *o, struct crm_stmt *st, int col,
		       const char *const *keys, const char *cur)
{
	for (; *keys; keys++, col++)
		set_money(o, *keys, crm_stmt_int(st, col), cur);
}

static const char *const head_sums[] = {"list_total", "subtotal", "discount",
					"tax",	      "total",	  NULL};
static const char *const line_sums[] = {"list_unit", "list_amount",
					"unit_price", "amount", NULL};

static int doc_head(struct crm_stmt *st, void *arg)
{
	struct doc_ctx *d = arg;
	json_t *doc = d->doc;

	json_object_set_new(doc, "id", json_integer(d->quote));
	set_text(doc, "external_id", st, 1);
	json_object_set_new(doc, "version", json_integer(d->version));
	json_object_set_new(doc, "versions",
			    json_integer(crm_stmt_int(st, 21)));
	set_text(doc, "status", st, 11);
	set_text(doc, "account", st, 9);
	set_text(doc, "deal", st, 10);
	set_text(doc, "deal_id", st, 18);
	set_text(doc, "company_id", st, 19);
	set_text(doc, "currency", st, 2);
	set_text(doc, "book", st, 3);
	set_text(doc, "region", st, 4);
	set_text(doc, "valid_until", st, 5);
	set_text(doc, "accepted_version", st, 6);
	set_text(doc, "reason", st, 7);
	set_text(doc, "approval", st, 8);
	set_text(doc, "from_quote_id", st, 20);
	set_text(doc, "created_at", st, 17);
	set_moneys(doc, st, 12, head_sums, d->cur);
	return 0;
}

/* o[k] += v */
static void add_int(json_t *o, const char *k, int64_t v)
{
	json_object_set_new(
	    o, k, json_integer(json_integer_value(json_object_get(o, k)) + v));
}

static int doc_line(struct crm_stmt *st, void *arg)
{
	struct doc_ctx *d = arg;
	json_t *l = json_object(), *ex;
	char p[32];
	const char *g = crm_stmt_is_null(st, 1) ? "" : crm_stmt_text(st, 1);
	const char *tc =
	    crm_stmt_is_null(st, 17) ? "standard" : crm_stmt_text(st, 17);

	json_object_set_new(l, "line", json_integer(crm_stmt_int(st, 0)));
	set_text(l, "group", st, 1);
	set_text(l, "sku", st, 2);
	set_text(l, "name", st, 3);
	json_object_set_new(l, "qty", json_integer(crm_stmt_int(st, 4)));
	set_text(l, "unit", st, 5);
	json_object_set_new(l, "base_qty", json_integer(crm_stmt_int(st, 6)));
	set_text(l, "attributes", st, 7);
	json_object_set_new(
	    l, "discount", json_string(crm_pct_format(crm_stmt_int(st, 8), p)));
	if (crm_stmt_is_null(st, 9))
		json_object_set_new(l, "manual_price", json_null());
	else
		set_money(l, "manual_price", crm_stmt_int(st, 9), d->cur);
	set_text(l, "manual_reason", st, 10);
	set_text(l, "parent_line", st, 11);
	set_moneys(l, st, 12, line_sums, d->cur);
	set_text(l, "promotions", st, 16);
	json_object_set_new(l, "tax_category", json_string(tc));
	set_text(l, "start_date", st, 19);
	set_text(l, "end_date", st, 20);
	set_text(l, "term_months", st, 21);
	ex = crm_stmt_is_null(st, 18)
		 ? json_array()
		 : json_loads(crm_stmt_text(st, 18), 0, NULL);
	json_object_set_new(l, "explain", ex ? ex : json_array());
	json_array_append_new(d->lines, l);
	add_int(d->groups, g, crm_stmt_int(st, 15));
	add_int(d->taxes, tc, crm_stmt_int(st, 15));
	return 0;
}

/* The amounts of sums (name: amount) as an array of {amount, key: name}
 * objects, key first when first. */
static json_t *sum_list(json_t *sums, const char *key, const char *amount,
			bool first, const char *cur)
{
	json_t *a = json_array(), *v;
	const char *k;

	json_object_foreach(sums, k, v)
	{
		json_t *o = json_object();
		char m[32];

		if (first)
			json_object_set_new(o, key, json_string(k));
		json_object_set_new(o, amount,
				    json_string(crm_money_format(
					json_integer_value(v), cur, m)));
		if (!first)
			json_object_set_new(o, key,
					    *k ? json_string(k) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

json_t *crm_quote_doc(struct crm_db *db, int64_t quote, int64_t version,
		      struct crm_err *err)
{
	struct quote q;
	struct doc_ctx d = {0};
	int rc;

	if (load_quote(db, quote, &q, err) < 0)
		return NULL;
	if (!version)
		version = q.version;
	d.doc = json_object();
	d.cur = q.currency;
	d.quote = quote;
	d.version = version;
	if (crm_dbq_each(
		db, err, doc_head, &d,
		"SELECT q.id, q.external_id, q.currency, q.book, q.region, "
		"q.valid_until, q.accepted_version, q.reason, q.approval, "
		"c.name, d.name, v.status, v.list_total, v.subtotal, "
		"v.discount, v.tax, v.total, v.created_at, q.deal_id, "
		"q.company_id, q.from_quote_id, q.version FROM quotes q JOIN "
		"quote_versions v ON v.quote_id = q.id AND v.version = ?2 LEFT "
		"JOIN companies c ON c.id = q.company_id LEFT JOIN deals d ON "
		"d.id = q.deal_id WHERE q.id = ?1",
		"ii", quote, version) < 0)
		goto bad;
	if (!json_object_get(d.doc, "id")) {
		crm_err_set(err, CRM_EX_NOINPUT,
			    "quote %lld has no version %lld", (long long)quote,
			    (long long)version);
		goto bad;
	}
	d.lines = json_array();
	d.groups = json_object();
	d.taxes = json_object();
	json_object_set_new(d.doc, "lines", d.lines);
	rc = crm_dbq_each(
	    db, err, doc_line, &d,
	    "SELECT line_no, grp, sku, name, qty, unit, base_qty, attributes, "
	    "discount_pct, manual_price, manual_reason, parent_line, "
	    "list_unit, list_amount, unit_price, amount, promotions, "
	    "tax_category, explain, start_date, end_date, term_months FROM "
	    "quote_lines WHERE quote_id = ? AND version = ? ORDER BY line_no",
	    "ii", quote, version);
	if (rc == 0) {
		json_object_set_new(
		    d.doc, "groups",
		    sum_list(d.groups, "group", "amount", false, q.currency));
		json_object_set_new(d.doc, "taxes",
				    sum_list(d.taxes, "tax_category", "taxable",
					     true, q.currency));
	}
	json_decref(d.groups);
	json_decref(d.taxes);
	if (rc < 0)
		goto bad;
	return d.doc;
bad:
	json_decref(d.doc);
	return NULL;
}

/* -- discount guidance ------------------------------------------------------
 */

struct past {
	int64_t id, list_total, subtotal;
	bool won;
	char family[64], segment[64];
	int64_t fam_amount;
};

/* The size band of a list total: by its order of magnitude in major
 * units (<1000, <10000, <100000, more). */
static int size_band(int64_t list_total, const char *cur)
{
	int e = crm_money_exponent(cur);
	int64_t major = list_total;
	int b = 0;

	while (e-- > 0)
		major /= 10;
	for (int64_t lim = 1000; b < 3 && major >= lim; lim *= 10)
		b++;
	return b;
}

static const int64_t bands[] = {0, 500, 1000, 1500, 2000, 3000, 10001};
#define NBANDS 6

static int band_of(int64_t pct)
{
	for (int i = 0; i < NBANDS; i++)
		if (pct < bands[i + 1])
			return i;
	return NBANDS - 1;
}

/* The quotes closed (accepted or rejected) in currency, other than self,
 * with the family of their largest lines and their account's industry. */
struct past_rows {
	struct past *v;
	size_t n, cap;
};

static int past_row(struct crm_stmt *st, void *arg)
{
	struct past_rows *r = arg;
	int64_t id = crm_stmt_int(st, 0), fa = crm_stmt_int(st, 5);
	struct past *p = r->n ? &r->v[r->n - 1] : NULL;

	if (!p || p->id != id) {
		r->v = crm_xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
		p = &r->v[r->n++];
		memset(p, 0, sizeof(*p));
		p->id = id;
		p->won = !strcmp(crm_stmt_text(st, 1), "accepted");
		p->list_total = crm_stmt_int(st, 2);
		p->subtotal = crm_stmt_int(st, 3);
		p->fam_amount = -1;
		text_or_empty(st, 6, p->segment, sizeof(p->segment));
	}
	if (fa > p->fam_amount) {
		p->fam_amount = fa;
		text_or_empty(st, 4, p->family, sizeof(p->family));
	}
	return 0;
}

static int past_quotes(struct crm_db *db, const char *cur, int64_t self,
		       struct past **out, size_t *n, struct crm_err *err)
{
	struct past_rows r = {0};
	int rc = crm_dbq_each(
	    db, err, past_row, &r,
	    "SELECT q.id, q.status, v.list_total, v.subtotal, p.family, "
	    "sum(l.list_amount), c.industry FROM quotes q JOIN "
	    "quote_versions v ON v.quote_id = q.id AND v.version = "
	    "coalesce(q.accepted_version, q.version) JOIN quote_lines l ON "
	    "l.quote_id = q.id AND l.version = v.version LEFT JOIN products p "
	    "ON p.id = l.product_id LEFT JOIN companies c ON c.id = "
	    "q.company_id WHERE q.status IN ('accepted', 'rejected') AND "
	    "q.currency = ?1 AND q.id <> ?2 GROUP BY q.id, q.status, "
	    "v.list_total, v.subtotal, p.family, c.industry ORDER BY q.id",
	    "si", cur, self);

	*out = r.v;
	*n = r.n;
	return rc;
}

/* A row of this quote's families (family, amount, industry, list
 * total): the largest family wins. */
static int self_row(struct crm_stmt *st, void *arg)
{
	struct past *self = arg;

	if (crm_stmt_int(st, 1) > self->fam_amount) {
		self->fam_amount = crm_stmt_int(st, 1);
		text_or_empty(st, 0, self->family, sizeof(self->family));
	}
	text_or_empty(st, 2, self->segment, sizeof(self->segment));
	self->list_total = crm_stmt_int(st, 3);
	return 0;
}

json_t *crm_quote_suggest(struct crm_db *db, int64_t quote, int64_t min_history,
			  struct crm_err *err)
{
	struct quote q;
	struct past *ps = NULL, self = {0};
	size_t n = 0, similar = 0, seg = 0;
	int64_t cnt[NBANDS] = {0}, won[NBANDS] = {0}, tot[NBANDS] = {0};
	bool use_seg;
	json_t *res = NULL, *arr;
	long best = -1;
	long double best_e = -1;
	char note[512], m[32];
	int sb;

	if (load_quote(db, quote, &q, err) < 0)
		return NULL;
	{
		/* this quote's family, segment and size as past_quotes sees
		 * them: its current version */
		self.fam_amount = -1;
		if (crm_dbq_each(
			db, err, self_row, &self,
			"SELECT p.family, sum(l.list_amount), c.industry, "
			"v.list_total FROM quotes q JOIN quote_versions v ON "
			"v.quote_id = q.id AND v.version = q.version JOIN "
			"quote_lines l ON l.quote_id = q.id AND l.version = "
			"q.version LEFT JOIN products p ON p.id = l.product_id "
			"LEFT JOIN companies c ON c.id = q.company_id WHERE "
			"q.id = ?1 GROUP BY p.family, c.industry, v.list_total",
			"i", quote) < 0)
			return NULL;
		if (self.fam_amount < 0) {
			crm_err_field(err, "lines", CRM_EX_DATAERR,
				      "quote %lld has no lines to compare",
				      (long long)quote);
			return NULL;
		}
	}
	if (past_quotes(db, q.currency, quote, &ps, &n, err) < 0)
		return NULL;
	sb = size_band(self.list_total, q.currency);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ps[i].family, self.family) &&
		    size_band(ps[i].list_total, q.currency) == sb) {
			similar++;
			if (*self.segment &&
			    !strcmp(ps[i].segment, self.segment))
				seg++;
		}
	/* the segment too, when it leaves enough to go on */
	use_seg = *self.segment && seg >= (size_t)min_history * 2;
	for (size_t i = 0; i < n; i++) {
		int64_t pct;
		int b;

		if (strcmp(ps[i].family, self.family) ||
		    size_band(ps[i].list_total, q.currency) != sb ||
		    (use_seg && strcmp(ps[i].segment, self.segment)))
			continue;
		pct = ps[i].list_total > 0
			  ? crm_div_half_even(
				(__int128)(ps[i].list_total - ps[i].subtotal) *
				    10000,
				ps[i].list_total)
			  : 0;
		b = band_of(pct);
		cnt[b]++;
		won[b] += ps[i].won;
		tot[b] += ps[i].subtotal;
	}
	res = json_object();
	arr = json_array();
	for (int b = 0; b < NBANDS; b++) {
		char lo[32], hi[32], label[64], rate[32], exp[32];
		long double wr = cnt[b] ? (long double)won[b] / cnt[b] : 0;
		int64_t mid = b == NBANDS - 1 ? bands[b] + 500
					      : (bands[b] + bands[b + 1]) / 2;
		long double e =
		    wr * (long double)self.list_total * (10000 - mid) / 10000;
		json_t *o;

		if (b == NBANDS - 1)
			snprintf(label, sizeof(label), "%s%%+",
				 crm_pct_format(bands[b], lo));
		else
			snprintf(label, sizeof(label), "%s-%s%%",
				 crm_pct_format(bands[b], lo),
				 crm_pct_format(bands[b + 1], hi));
		snprintf(rate, sizeof(rate), "%.1Lf", wr * 100);
		o = json_pack("{s:s, s:I, s:I}", "band", label, "quotes",
			      (json_int_t)cnt[b], "won", (json_int_t)won[b]);
		json_object_set_new(o, "win_rate",
				    cnt[b] ? json_string(rate) : json_null());
		json_object_set_new(
		    o, "avg_total",
		    cnt[b]
			? json_string(crm_money_format(
			      crm_div_half_even(tot[b], cnt[b]), q.currency, m))
			: json_null());
		if (cnt[b] >= min_history) {
			crm_money_format((int64_t)(e + (e < 0 ? -0.5L : 0.5L)),
					 q.currency, exp);
			json_object_set_new(o, "expected", json_string(exp));
			if (e > best_e) {
				best_e = e;
				best = b;
			}
		} else
			json_object_set_new(o, "expected", json_null());
		json_array_append_new(arr, o);
	}
	if (best >= 0)
		json_object_set_new(json_array_get(arr, (size_t)best), "best",
				    json_string("yes"));
	json_object_set_new(res, "bands", arr);
	if (best < 0)
		snprintf(note, sizeof(note),
			 "too little history: %zu similar closed quotes "
			 "(family %s, size band %d%s%s), no discount band "
			 "has %lld; no suggestion",
			 similar, *self.family ? self.family : "none", sb,
			 use_seg ? ", segment " : "",
			 use_seg ? self.segment : "", (long long)min_history);
	else
		snprintf(note, sizeof(note),
			 "suggested discount %s: win rate %s%% over %lld "
			 "similar quotes (family %s, size band %d%s%s), "
			 "expected revenue %s",
			 json_string_value(json_object_get(
			     json_array_get(arr, (size_t)best), "band")),
			 json_string_value(json_object_get(
			     json_array_get(arr, (size_t)best), "win_rate")),
			 (long long)cnt[best],
			 *self.family ? self.family : "none", sb,
			 use_seg ? ", segment " : "",
			 use_seg ? self.segment : "",
			 json_string_value(json_object_get(
			     json_array_get(arr, (size_t)best), "expected")));
	json_object_set_new(res, "note", json_string(note));
	free(ps);
	return res;
}
