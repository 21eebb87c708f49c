/* asset.c - the installed base and a ticket's customer context. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "activity.h"
#include "asset.h"
#include "dbq.h"
#include "deal.h"
#include "kb.h"
#include "money.h"
#include "ticket.h"

static const struct crm_field asset_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID,
    {"serial", CRM_T_TEXT, CRM_FF_KEY | CRM_FF_BRIEF,
     .names = "Serial|Serial Number|Serial No|S/N|SN|序列号|シリアル番号"},
    {"product", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Product|Product Name|Model|Item|产品|型号|製品"},
    {"contact_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "contact"},
    {"company_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "company"},
    {"deal_id", CRM_T_REF, 0, NULL, "deal"},
    {"purchased_on", CRM_T_DATE, CRM_FF_BRIEF,
     .names = "Purchase Date|Purchased|Install Date|Installed|"
	      "购买日期|購入日"},
    {"warranty_end", CRM_T_DATE, CRM_FF_BRIEF,
     .names = "Warranty End|Warranty Expiry|Warranty Until|"
	      "Warranty Expiration|保修期至|保証期限"},
    {"contract", CRM_T_TEXT, 0,
     .names = "Contract|Contract Number|Service Contract|合同|契約"},
    {"location", CRM_T_TEXT, 0,
     .names = "Location|Site|Address|位置|地点|設置場所"},
    {"tags", CRM_T_TAGS, 0},
    CRM_FIELDS_CREATED_UPDATED,
};

static int asset_prepare(struct crm_db *db, const struct crm_entity *e,
			 struct crm_row *row, const struct crm_row *old,
			 void *arg, struct crm_err *err)
{
	(void)e;
	(void)arg;
	return crm_activity_resolve_links(db, row, old, err);
}

const struct crm_entity crm_asset_entity = {
    .name = "asset",
    .plural = "assets",
    .table = "assets",
    CRM_FIELDS(asset_fields),
    .keys = "id,external_id,serial",
    .prepare = asset_prepare,
    .inputs = crm_activity_link_inputs,
};

/* -- from won deals ---------------------------------------------------------
 */

struct won {
	struct crm_strv v; /* id, name, closed day, contact, company: 5 each */
};

static int push_won(struct crm_stmt *st, void *arg)
{
	struct won *w = arg;

	for (int i = 0; i < 5; i++)
		crm_strv_push(&w->v,
			      crm_stmt_text(st, i) ? crm_stmt_text(st, i) : "");
	return 0;
}

int crm_asset_from_deals(struct crm_db *db, bool dry_run, uint64_t *made,
			 struct crm_err *err)
{
	struct crm_import_opts io = {
	    .command = "from-deals", .mode = CRM_CREATE_ONLY, .keys = "id"};
	struct crm_importer *im = NULL;
	struct won w = {0};
	struct crm_row row;
	struct crm_rec in;
	int rc = -1;

	*made = 0;
	crm_row_init(&row, &crm_asset_entity);
	crm_rec_init(&in);
	if (crm_db_begin(db, err) < 0)
		goto done;
	rc = crm_dbq_each(db, err, push_won, &w,
			  "SELECT id, name, substr(closed_at, 1, 10), "
			  "contact_id, company_id FROM deals d WHERE status = "
			  "'won' AND NOT EXISTS (SELECT 1 FROM assets a WHERE "
			  "a.deal_id = d.id) ORDER BY id",
			  "");
	if (rc < 0)
		goto out;
	rc = -1;
	if (!(im = crm_importer_new(db, &crm_asset_entity, &io, err)))
		goto out;
	for (size_t i = 0; i + 5 <= w.v.n; i += 5) {
		enum crm_import_action a;
		static const char *const f[] = {"deal_id", "product",
						"purchased_on", "contact_id",
						"company_id"};

		crm_rec_clear(&in);
		for (int k = 0; k < 5; k++)
			if (*w.v.v[i + k])
				crm_rec_adds(&in, f[k], w.v.v[i + k]);
		if (crm_importer_apply(im, &in, &row, &a, err) < 0)
			goto out;
		(*made)++;
	}
	rc = 0;
out:
	crm_importer_free(im);
	if (rc == 0)
		rc = crm_db_finish(db, dry_run, err);
	if (rc < 0)
		crm_db_rollback(db);
done:
	crm_strv_release(&w.v);
	crm_rec_release(&in);
	crm_row_release(&row);
	return rc;
}

/* The asset ticket names is asset_id (0: none), inside the caller's
 * transaction. */
int crm_asset_link_id(struct crm_db *db, int64_t ticket, int64_t asset_id,
		      struct crm_err *err)
{
	if (crm_dbq_run(db, err,
			"DELETE FROM ticket_assets WHERE ticket_id = ?", "i",
			ticket) < 0)
		return -1;
	if (!asset_id)
		return 0;
	return crm_dbq_run(
	    db, err,
	    "INSERT INTO ticket_assets (ticket_id, asset_id) VALUES (?, ?)",
	    "ii", ticket, asset_id);
}

int crm_asset_resolve(struct crm_db *db, const char *asset, int64_t *id,
		      struct crm_err *err)
{
	int f = crm_find_id(db, &crm_asset_entity, asset, id, err);

	if (f == 0)
		crm_err_set(err, CRM_EX_NOINPUT, "no asset '%s'", asset);
	return f > 0 ? 0 : -1;
}

int crm_asset_link(struct crm_db *db, int64_t ticket, const char *asset,
		   bool dry_run, struct crm_err *err)
{
	int64_t id = 0;
	int rc = -1;

	if (crm_db_begin(db, err) < 0)
		return -1;
	if (crm_ticket_exists(db, ticket, err) < 0 ||
	    crm_asset_resolve(db, asset, &id, err) < 0 ||
	    crm_asset_link_id(db, ticket, id, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc == 0)
		rc = crm_db_finish(db, dry_run, err);
	if (rc < 0)
		crm_db_rollback(db);
	return rc;
}

/* c is a letter or digit (ASCII) or part of a UTF-8 sequence: what may
 * not touch a serial number named in text. */
static bool word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Text names serial: it occurs with no letter or digit either side,
 * letters compared without case. */
static bool names_serial(const char *text, const char *serial)
{
	size_t n = strlen(serial);

	if (!text || n < 3)
		return false;
	for (const char *p = text; (p = strcasestr(p, serial)); p++)
		if ((p == text || !word_byte((unsigned char)p[-1])) &&
		    !word_byte((unsigned char)p[n]))
			return true;
	return false;
}

struct named_ctx {
	const char *subject, *text;
	int64_t *id;
};

/* crm_dbq_each: the first asset whose serial the mail names */
static int named_row(struct crm_stmt *st, void *arg)
{
	struct named_ctx *x = arg;
	const char *serial = crm_stmt_text(st, 1);

	if (!*x->id && serial &&
	    (names_serial(x->subject, serial) || names_serial(x->text, serial)))
		*x->id = crm_stmt_int(st, 0);
	return 0;
}

int crm_asset_named(struct crm_db *db, int64_t contact, const char *subject,
		    const char *text, int64_t *id, struct crm_err *err)
{
	struct named_ctx x = {subject, text, id};

	*id = 0;
	return crm_dbq_each(
	    db, err, named_row, &x,
	    "SELECT id, serial FROM assets WHERE serial IS NOT NULL AND "
	    "(contact_id = ?1 OR company_id = (SELECT company_id FROM "
	    "contacts WHERE id = ?1)) ORDER BY id",
	    "i", contact);
}

/* -- the customer context ------------------------------------------------- */

/* Rows of a statement as JSON objects named by cols. */
struct rows_ctx {
	json_t *a;
	const char *const *cols;
	const char *today; /* for warranty */
};

static int push_row(struct crm_stmt *st, void *arg)
{
	struct rows_ctx *x = arg;
	json_t *o = json_object();

	for (int i = 0; x->cols[i]; i++) {
		const char *c = x->cols[i];
		const char *v = crm_stmt_text(st, i);

		if (!v)
			json_object_set_new(o, c, json_null());
		else if (!strcmp(c,
				 "amount")) { /* minor units, currency next */
			char buf[32];
			json_object_set_new(
			    o, c,
			    json_string(crm_money_format(
				crm_stmt_int(st, i), crm_stmt_text(st, i + 1),
				buf)));
		} else if (!strcmp(c, "id") || !strcmp(c, "size"))
			json_object_set_new(o, c,
					    json_integer(crm_stmt_int(st, i)));
		else if (!strcmp(c, "kept"))
			json_object_set_new(o, c,
					    json_boolean(crm_stmt_int(st, i)));
		else
			json_object_set_new(o, c, json_string(v));
	}
	if (x->today && json_object_get(o, "warranty_end")) {
		json_t *we = json_object_get(o, "warranty_end");
		json_object_set_new(
		    o, "warranty",
		    json_is_string(we)
			? json_string(strcmp(json_string_value(we), x->today) >=
					      0
					  ? "active"
					  : "expired")
			: json_null());
	}
	json_array_append_new(x->a, o);
	return 0;
}

/* sql's rows; its parameters ?1 and ?2 (nb of them) bound to a and b. */
static json_t *rows(struct crm_db *db, const char *sql, const char *const *cols,
		    int nb, int64_t a, int64_t b, const char *today,
		    struct crm_err *err)
{
	struct rows_ctx x = {json_array(), cols, today};

	if (crm_dbq_each(db, err, push_row, &x, sql, nb > 1 ? "ii" : "i", a,
			 b) < 0) {
		json_decref(x.a);
		return NULL;
	}
	return x.a;
}

static json_t *first_or_null(json_t *a)
{
	json_t *o = json_incref(json_array_get(a, 0));

	json_decref(a);
	return o ? o : json_null();
}

json_t *crm_ticket_context(struct crm_db *db, int64_t id, struct crm_err *err)
{
	static const char *const person[] = {"id",    "first_name", "last_name",
					     "email", "phone",	    NULL};
	static const char *const company[] = {"id", "name", "domain", NULL};
	static const char *const deal[] = {"id",       "name",	    "amount",
					   "currency", "closed_at", NULL};
	static const char *const asset[] = {
	    "id",	    "serial",	"product",  "purchased_on",
	    "warranty_end", "contract", "location", NULL};
	static const char *const ticket[] = {"id", "subject", "status",
					     "created_at", NULL};
	static const char *const att[] = {"filename", "content_type", "size",
					  "kept", NULL};
	/* the ticket's contact and company, as ?1 and ?2 */
	int64_t c = 0, co = 0;
	char today[CRM_TIME_LEN], num[32];
	json_t *ctx = json_object(), *v;
	struct crm_stmt *st;
	int rc;

	crm_datetime_format_date(db->now, today);
	snprintf(num, sizeof(num), "%lld", (long long)id);
	st = crm_dbq(db, err,
		     "SELECT contact_id, company_id FROM tickets WHERE id = ?",
		     "i", id);
	if (!st)
		goto fail;
	if ((rc = crm_stmt_step(st, err)) == 1) {
		c = crm_stmt_int(st, 0);
		co = crm_stmt_int(st, 1);
	}
	crm_stmt_reset(st);
	if (rc < 0)
		goto fail;
#define ADD(name, expr)                                                        \
	do {                                                                   \
		if (!(v = (expr)))                                             \
			goto fail;                                             \
		json_object_set_new(ctx, name, v);                             \
	} while (0)
	ADD("requester",
	    first_or_null(rows(db,
			       "SELECT id, first_name, last_name, email, phone "
			       "FROM contacts WHERE id = ?1",
			       person, 1, c, 0, NULL, err)));
	ADD("company", first_or_null(rows(db,
					  "SELECT id, name, domain FROM "
					  "companies WHERE id = ?1",
					  company, 1, co, 0, NULL, err)));
	ADD("purchases",
	    rows(db,
		 "SELECT id, name, amount, currency, closed_at FROM deals "
		 "WHERE status = 'won' AND ((?1 > 0 AND contact_id = ?1) OR "
		 "(?2 > 0 AND company_id = ?2)) ORDER BY closed_at DESC, id "
		 "DESC LIMIT 10",
		 deal, 2, c, co, NULL, err));
	ADD("assets",
	    rows(db,
		 "SELECT id, serial, product, purchased_on, warranty_end, "
		 "contract, location FROM assets WHERE (?1 > 0 AND contact_id "
		 "= ?1) OR (?2 > 0 AND company_id = ?2) ORDER BY id",
		 asset, 2, c, co, today, err));
	ADD("asset", first_or_null(rows(
			 db,
			 "SELECT a.id, a.serial, a.product, a.purchased_on, "
			 "a.warranty_end, a.contract, a.location FROM "
			 "ticket_assets ta JOIN assets a ON a.id = ta.asset_id "
			 "WHERE ta.ticket_id = ?1",
			 asset, 1, id, 0, today, err)));
	ADD("tickets",
	    rows(db,
		 "SELECT id, subject, status, created_at FROM tickets WHERE id "
		 "<> ?1 AND ((?2 > 0 AND contact_id = ?2) OR company_id = "
		 "(SELECT company_id FROM tickets WHERE id = ?1)) ORDER BY "
		 "CASE WHEN status IN ('solved', 'closed') THEN 1 ELSE 0 END, "
		 "created_at DESC, id DESC LIMIT 10",
		 ticket, 2, id, c, NULL, err));
	ADD("attachments",
	    rows(db,
		 "SELECT filename, content_type, size, CASE WHEN content IS "
		 "NULL THEN 0 ELSE 1 END FROM ticket_attachments WHERE "
		 "ticket_id = ?1 ORDER BY id",
		 att, 1, id, 0, NULL, err));
#undef ADD
	{ /* the top published articles for its subject and text
	     (crm-kb suggest) */
		struct crm_kb_search_opts so = {.status = "published",
						.limit = 3};
		struct crm_kb_hit *h = NULL;
		size_t n = 0;
		json_t *a = json_array();

		if (crm_kb_suggest(db, id, &so, &h, &n, err) < 0) {
			json_decref(a);
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(
			    a,
			    json_pack("{s:I, s:s, s:s?}", "id",
				      (json_int_t)h[i].id, "title", h[i].title,
				      "category", h[i].category));
		crm_kb_hits_free(h, n);
		json_object_set_new(ctx, "articles", a);
	}
	(void)num;
	return ctx;
fail:
	json_decref(ctx);
	return NULL;
}
