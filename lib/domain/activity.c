/* activity.c - the activity entity, its links to contacts, companies,
 * leads, deals and tickets, and last_activity_at upkeep. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "company.h"
#include "config.h"
#include "dbq.h"
#include "hash.h"
#include "normalize.h"

static const char *const directions[] = {"in", "out", NULL};

static const struct crm_field activity_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Record ID|Activity ID|Task ID|Event ID"),
    {"type", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_BRIEF,
     .names = "Activity Type|Task Type|Event Type|类型|活动类型|跟进方式"},
    {"direction", CRM_T_ENUM, CRM_FF_BRIEF, directions},
    {"subject", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Title|Activity Subject|主题|标题"},
    {"body", CRM_T_TEXT, 0,
     .names = "Description|Note|Notes|Comments|Details|Content|内容|"
	      "备注|跟进内容|描述"},
    {"occurred_at", CRM_T_TIME, CRM_FF_BRIEF,
     .names = "Date|Activity Date|Start Date|Start Time|Date/Time|"
	      "Timestamp|时间|跟进时间|活动时间"},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Activity Owner|Assigned To|Owner Name|负责人|跟进人"},
    {"channel", CRM_T_TEXT, 0},
    {"due_at", CRM_T_TIME, CRM_FF_BRIEF,
     .names = "Due Date|Due|Due Time|截止时间|到期时间"},
    {"done_at", CRM_T_TIME, 0,
     .names = "Completed Date|Done Time|Completed|Completed At|"
	      "完成时间"},
    {"contact_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "contact"},
    {"company_id", CRM_T_REF, 0, NULL, "company"},
    {"lead_id", CRM_T_REF, 0, NULL, "lead"},
    {"deal_id", CRM_T_REF, 0, NULL, "deal"},
    {"ticket_id", CRM_T_REF, 0, NULL, "ticket"},
    CRM_FIELDS_CREATED_UPDATED,
};

const struct crm_activity_link crm_activity_links[] = {
    {"contact_id", "contacts", "contact"},
    {"company_id", "companies", "company"},
    {"lead_id", "leads", "lead"},
    {"deal_id", "deals", "deal"},
    {"ticket_id", "tickets", "ticket"},
};
const size_t crm_activity_nlinks =
    sizeof(crm_activity_links) / sizeof(crm_activity_links[0]);

/* Per link, in the order above: fixed SQL (string literals, so that
 * crm_db_stmt_cached can key on them). */
#define TOUCH_SQL(table)                                                       \
	"UPDATE " table " SET last_activity_at = ?1 WHERE id = ?2 AND "        \
	"(last_activity_at IS NULL OR last_activity_at < ?1)"
static const char *const touch_sql[] = {
    TOUCH_SQL("contacts"), TOUCH_SQL("companies"), TOUCH_SQL("leads"),
    TOUCH_SQL("deals"),	   TOUCH_SQL("tickets"),
};
static const char *const exists_sql[] = {
    "SELECT company_id FROM contacts WHERE id = ?",
    "SELECT 1 FROM companies WHERE id = ?",
    "SELECT 1 FROM leads WHERE id = ?",
    "SELECT 1 FROM deals WHERE id = ?",
    "SELECT 1 FROM tickets WHERE id = ?",
};

int crm_table_has_column(struct crm_db *db, const char *table,
			 const char *column, struct crm_err *err)
{
	/* The schema is the binary's (migrations are compiled in), so the
	 * answer holds for the life of the process. */
	static struct {
		char *table, *column;
		int has;
	} cache[32];
	static size_t ncache;
	static const char sqlite_sql[] =
	    "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2";
	static const char pg_sql[] =
	    "SELECT 1 FROM information_schema.columns WHERE table_schema ="
	    " current_schema() AND table_name = ?1 AND column_name = ?2";
	int rc, has;

	for (size_t i = 0; i < ncache; i++)
		if (!strcmp(cache[i].table, table) &&
		    !strcmp(cache[i].column, column))
			return cache[i].has;
	rc = crm_dbq_step(
	    db, err, NULL,
	    crm_store_engine(db->store) == CRM_STORE_PG ? pg_sql : sqlite_sql,
	    "ss", table, column);
	if (rc < 0)
		return -1;
	has = rc == 1;
	if (ncache < sizeof(cache) / sizeof(cache[0])) {
		cache[ncache].table = crm_xstrdup(table);
		cache[ncache].column = crm_xstrdup(column);
		cache[ncache++].has = has;
	}
	return has;
}

static long link_index(const char *column)
{
	for (size_t i = 0; i < crm_activity_nlinks; i++)
		if (!strcmp(crm_activity_links[i].column, column))
			return (long)i;
	return -1;
}

int crm_activity_touch(struct crm_db *db, const char *column, int64_t id,
		       const char *at, struct crm_err *err)
{
	long k = link_index(column);
	int rc;

	if (k < 0)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "unknown activity link '%s'", column);
	if (k >= 2) {
		rc = crm_table_has_column(db, crm_activity_links[k].table,
					  "last_activity_at", err);
		if (rc <= 0)
			return rc;
	}
	return crm_stmt_run_as(crm_dbq(db, err, touch_sql[k], "si", at, id),
			       "cannot update last_activity_at", err);
}

static int preload_ready(struct crm_db *db, struct crm_err *err);
static int preload_contact(int64_t id, int64_t *company);

/* Whether record id of link k exists: 1 (and, for contacts, *company the
 * contact's company id or 0), 0, -1 on error. A link to a table that does
 * not exist yet is not checked. */
static int link_exists(struct crm_db *db, long k, int64_t id, int64_t *company,
		       struct crm_err *err)
{
	int64_t v;
	int rc;

	if (company)
		*company = 0;
	if (k == 0 && (rc = preload_ready(db, err)) != 0) {
		if (rc < 0)
			return -1;
		if ((rc = preload_contact(id, company)) >= 0)
			return rc;
	}
	if (k >= 2) {
		rc = crm_table_has_column(db, crm_activity_links[k].table, "id",
					  err);
		if (rc <= 0)
			return rc < 0 ? -1 : 1;
	}
	rc = crm_dbq_step(db, err, &v, exists_sql[k], "i", id);
	if (rc == 1 && company && k == 0)
		*company = v;
	return rc;
}

static int missing_link(struct crm_err *err, long k, int64_t id)
{
	snprintf(err->field, sizeof(err->field), "%s",
		 crm_activity_links[k].column);
	return crm_err_set(err, CRM_EX_DATAERR, "no %s %lld",
			   crm_activity_links[k].entity, (long long)id);
}

/* "Web Visit", "web-visit" -> "web_visit". */
static void fold_type(const char *in, struct crm_buf *out)
{
	crm_buf_reset(out);
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		crm_buf_addc(out,
			     c == ' ' || c == '-' ? '_' : (char)tolower(c));
	}
}

static int parse_time(const char *in, const char *field, char *out,
		      struct crm_err *err)
{
	crm_time t;

	if (crm_datetime_parse(in, &t, err) < 0) {
		snprintf(err->field, sizeof(err->field), "%s", field);
		return -1;
	}
	crm_datetime_format(t, out);
	return 0;
}

/* An activity's values as inserted: texts (type folded, times
 * normalized; NULL for none; pointing into a and the struct, which stays
 * where it is) and links (0 for none; the contact's company filled
 * in). */
enum {
	ACT_TYPE,
	ACT_DIRECTION,
	ACT_SUBJECT,
	ACT_BODY,
	ACT_OCCURRED,
	ACT_OWNER,
	ACT_CHANNEL,
	ACT_DUE,
	ACT_NTEXTS
};
struct act_values {
	const char *text[ACT_NTEXTS];
	int64_t link[5];
	char occurred[CRM_TIME_LEN], due[CRM_TIME_LEN];
	struct crm_buf type;
};

/* Check a and fill v with its values; release v with crm_buf_release
 * (&v->type) whatever this returns. */
static int activity_values(struct crm_db *db, const struct crm_activity *a,
			   struct act_values *v, struct crm_err *err)
{
	*v = (struct act_values){
	    .text = {NULL, a->direction, a->subject, a->body, v->occurred,
		     a->owner, a->channel, a->due_at ? v->due : NULL},
	    .link = {a->contact_id, a->company_id, a->lead_id, a->deal_id,
		     a->ticket_id}};
	if (!a->type || !*a->type) {
		snprintf(err->field, sizeof(err->field), "type");
		return crm_err_set(err, CRM_EX_DATAERR,
				   "missing required field");
	}
	if (a->direction && strcmp(a->direction, "in") &&
	    strcmp(a->direction, "out")) {
		snprintf(err->field, sizeof(err->field), "direction");
		return crm_err_set(err, CRM_EX_DATAERR,
				   "unknown value '%s' (expected one of: in, "
				   "out)",
				   a->direction);
	}
	if (a->occurred_at &&
	    parse_time(a->occurred_at, "occurred_at", v->occurred, err) < 0)
		return -1;
	if (!a->occurred_at)
		crm_datetime_format(db->now, v->occurred);
	if (a->due_at && parse_time(a->due_at, "due_at", v->due, err) < 0)
		return -1;
	for (long k = 0; k < 5; k++) {
		int64_t company;
		int e;

		if (!v->link[k] || (k > 0 && (a->known & 1u << k)))
			continue;
		e = link_exists(db, k, v->link[k], &company, err);
		if (e < 0)
			return -1;
		if (!e)
			return missing_link(err, k, v->link[k]);
		if (k == 0 && !v->link[1])
			v->link[1] = company;
	}
	fold_type(a->type, &v->type);
	v->text[ACT_TYPE] = v->type.s;
	return 0;
}

/* Keep each linked record's last_activity_at current (but those a
 * leaves untouched). */
static int activity_touch(struct crm_db *db, const struct crm_activity *a,
			  const struct act_values *v, struct crm_err *err)
{
	for (long k = 0; k < 5; k++)
		if (v->link[k] && !(a->untouched & 1u << k) &&
		    crm_activity_touch(db, crm_activity_links[k].column,
				       v->link[k], v->text[ACT_OCCURRED],
				       err) < 0)
			return -1;
	return 0;
}

/* Bind an activity's texts and links from parameter p + 1 on, then now
 * (created_at) and, for a row of ACT_ROW, now again (updated_at). */
static void bind_values(struct crm_stmt *st, int p, const char *const *text,
			const int64_t *link, const char *now, bool row)
{
	for (int c = 0; c < ACT_NTEXTS; c++)
		crm_stmt_bind_text(st, p + 1 + c, text[c]);
	for (int k = 0; k < 5; k++)
		if (link[k])
			crm_stmt_bind_int(st, p + 1 + ACT_NTEXTS + k, link[k]);
		else
			crm_stmt_bind_null(st, p + 1 + ACT_NTEXTS + k);
	crm_stmt_bind_text(st, p + 14, now);
	if (row)
		crm_stmt_bind_text(st, p + 15, now);
}

#define ACT_INS                                                                \
	"INSERT INTO activities (type, direction, subject, body, "             \
	"occurred_at, owner, channel, due_at, contact_id, company_id, "        \
	"lead_id, deal_id, ticket_id, created_at, updated_at) VALUES "
#define ACT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define ACT_INS_ID                                                             \
	"INSERT INTO activities (type, direction, subject, body, "             \
	"occurred_at, owner, channel, due_at, contact_id, company_id, "        \
	"lead_id, deal_id, ticket_id, created_at, updated_at, id) VALUES "
#define ACT_ROW_ID "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

int crm_activity_log(struct crm_db *db, const struct crm_activity *a,
		     int64_t *id, struct crm_err *err)
{
#define INS                                                                    \
	ACT_INS                                                                \
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "       \
	"?14)"
	/* SQLite: RETURNING costs more than asking for the last rowid (a
	 * third of the insert, measured); PostgreSQL: it saves a round trip
	 * to lastval(), and only a caller that wants the id gets it: without
	 * RETURNING the insert returns nothing, so store_pg.c pipelines it
	 * (escalation's activities, 3 a ticket, waited for one by one) */
	static const char ins[] = INS, ins_ret[] = INS " RETURNING id";
#undef INS
	bool pg = crm_store_engine(db->store) == CRM_STORE_PG;
	char now[CRM_TIME_LEN];
	struct act_values v;
	struct crm_stmt *st;
	int rc = -1, s;

	crm_datetime_format(db->now, now);
	if (activity_values(db, a, &v, err) < 0)
		goto out;
	st = crm_db_stmt_cached(db, pg && id ? ins_ret : ins, err);
	if (!st)
		goto out;
	bind_values(st, 0, v.text, v.link, now, false);
	s = crm_stmt_step_as(st, "cannot insert activity", err);
	if (s > 0 && id)
		*id = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	if (s < 0)
		goto out;
	if (!pg && id && (*id = crm_store_last_id(db->store, err)) < 0)
		goto out;
	rc = activity_touch(db, a, &v, err);
out:
	crm_buf_release(&v.type);
	return rc;
}

/* An activity held by crm_activity_hold: its values, the texts its
 * own, and its id (0: the sequence's). */
struct held_activity {
	char *text[ACT_NTEXTS];
	int64_t link[5];
	int64_t id;
};

int crm_activity_hold(struct crm_db *db, struct crm_activity_batch *b,
		      const struct crm_activity *a, struct crm_err *err)
{
	return crm_activity_hold_id(db, b, a, 0, err);
}

int crm_activity_hold_id(struct crm_db *db, struct crm_activity_batch *b,
			 const struct crm_activity *a, int64_t id,
			 struct crm_err *err)
{
	struct act_values v;
	struct held_activity *h;

	if (activity_values(db, a, &v, err) < 0 ||
	    activity_touch(db, a, &v, err) < 0) {
		crm_buf_release(&v.type);
		return -1;
	}
	b->v = crm_xgrow(b->v, &b->cap, b->n + 1, sizeof(*h));
	h = (struct held_activity *)b->v + b->n++;
	for (int c = 0; c < ACT_NTEXTS; c++)
		h->text[c] = v.text[c] ? crm_xstrdup(v.text[c]) : NULL;
	memcpy(h->link, v.link, sizeof(h->link));
	h->id = id;
	b->ids = id > 0;
	crm_buf_release(&v.type);
	return b->n >= CRM_ACTIVITY_ROWS ? crm_activity_flush(db, b, err) : 0;
}

int crm_activity_flush(struct crm_db *db, struct crm_activity_batch *b,
		       struct crm_err *err)
{
	/* the texts for CRM_ACTIVITY_ROWS, made once: ids from the
	 * sequence, or given (the last parameter of each row) */
	static char *whole, *whole_id;
	struct held_activity *h = b->v;
	int w = b->ids ? 16 : 15;
	char now[CRM_TIME_LEN];
	struct crm_stmt *st;
	int rc = 0;

	crm_datetime_format(db->now, now);
	for (size_t i = 0; rc == 0 && i < b->n;) {
		size_t n =
		    b->n - i < CRM_ACTIVITY_ROWS ? b->n - i : CRM_ACTIVITY_ROWS;

		st = b->ids
			 ? crm_db_rows_stmt(db, ACT_INS_ID, ACT_ROW_ID, n,
					    CRM_ACTIVITY_ROWS, &whole_id, err)
			 : crm_db_rows_stmt(db, ACT_INS, ACT_ROW, n,
					    CRM_ACTIVITY_ROWS, &whole, err);
		if (!st)
			rc = -1;
		for (size_t k = 0; st && k < n; k++) {
			bind_values(st, (int)k * w,
				    (const char *const *)h[i + k].text,
				    h[i + k].link, now, true);
			if (b->ids)
				crm_stmt_bind_int(st, (int)k * w + 16,
						  h[i + k].id);
		}
		if (st &&
		    crm_stmt_step_as(st, "cannot insert activity", err) < 0)
			rc = -1;
		if (st)
			crm_db_rows_done(st, n, CRM_ACTIVITY_ROWS);
		i += n;
	}
	crm_activity_batch_clear(b);
	return rc;
}

void crm_activity_batch_clear(struct crm_activity_batch *b)
{
	struct held_activity *h = b->v;

	for (size_t i = 0; i < b->n; i++)
		for (int c = 0; c < ACT_NTEXTS; c++)
			free(h[i].text[c]);
	b->n = 0;
}

void crm_activity_batch_release(struct crm_activity_batch *b)
{
	crm_activity_batch_clear(b);
	free(b->v);
	b->v = NULL;
	b->cap = 0;
}

/* -- import hooks ------------------------------------------------------ */

/* Input columns that name the contact rather than give its id: resolved
 * to contact_id and not kept as custom fields. */
static const char *const contact_columns[] = {
    "contact", "contact_email", "email", "contact_external_id", NULL};

/* During a bulk import (between the begin and end hooks, while no
 * contact changes), the contacts found by email, keyed on the email as
 * given: direct-mapped, a later email taking its slot, so that the
 * memory stays bounded however many contacts an import names. Only a
 * single match is kept; none or several are looked up again. */
enum { EMAIL_SLOTS = 1 << 16 };
static struct email_slot {
	char *email;
	int64_t id, company;
} * email_cache;

static void email_cache_free(void)
{
	for (size_t i = 0; email_cache && i < EMAIL_SLOTS; i++)
		free(email_cache[i].email);
	free(email_cache);
	email_cache = NULL;
}

static struct email_slot *email_slot(const char *email)
{
	if (!email_cache)
		return NULL;
	return &email_cache[crm_mix64(crm_fnv1a64(email, strlen(email),
						  CRM_FNV_BASIS)) &
			    (EMAIL_SLOTS - 1)];
}

/* On PostgreSQL, where each look-up is a round trip (and ends the COPY
 * of the rows inserted so far), an import that has asked the server for
 * PRELOAD_AFTER contacts loads every contact's id, email key and company
 * in one query instead, when there are at most PRELOAD_MAX of them
 * (about 80 bytes each): an email the slots above miss is then found
 * here, or known to match no contact, and a contact_id checked, without
 * asking the server. A key several contacts share is marked (id -1) and
 * looked up, so that the error is the same. A small import never pays
 * for the load.
 * A larger table is not loaded (~190 MiB at 2M contacts, and it grows
 * with the table): the import then fetches, for each chunk of
 * CRM_IMPORT_AHEAD records the importer reads ahead (activity_ahead),
 * the contacts that chunk names, in one query for their emails and one
 * for their ids. What a chunk's query did not find is looked up as
 * before (an unknown email or id is an error; a shared email's error is
 * the look-up's). One look-up per contact named cost 1,452 s against
 * psql's 264 s at 5M activities over 1M contacts. */
#define PRELOAD_AFTER 1000
#define PRELOAD_MAX 250000
static struct preload {
	struct crm_buf keys; /* the keys, each ending in '\0' */
	struct pent {
		size_t key; /* offset in keys */
		int64_t id, company;
	} * ents; /* open addressing, mask + 1 entries */
	struct pid {
		int64_t id, company;
	} * ids; /* by id */
	size_t n, mask, nids;
	bool on;
	bool whole; /* the whole table: what it lacks is no contact */
} preload;
static bool preload_armed;   /* PostgreSQL, in an import, not yet loaded */
static bool preload_chunked; /* too many: a chunk's contacts at a time */
static unsigned preload_misses;
static size_t preload_cap; /* the most contacts the next load takes */

static void preload_free(void)
{
	crm_buf_release(&preload.keys);
	free(preload.ents);
	free(preload.ids);
	memset(&preload, 0, sizeof(preload));
}

static struct pent *preload_slot(const char *key, size_t len)
{
	size_t i =
	    crm_mix64(crm_fnv1a64(key, len, CRM_FNV_BASIS)) & preload.mask;

	for (;; i = (i + 1) & preload.mask) {
		struct pent *p = &preload.ents[i];

		if (!p->id || !strcmp(preload.keys.s + p->key, key))
			return p;
	}
}

/* Contact id: 1 (*company set when company), 0 none, -1 not loaded (or
 * not in the chunk's). */
static int preload_contact(int64_t id, int64_t *company)
{
	size_t lo = 0, hi = preload.nids;

	if (!preload.on)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (preload.ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == preload.nids || preload.ids[lo].id != id)
		return preload.whole ? 0 : -1;
	if (company)
		*company = preload.ids[lo].company;
	return 1;
}

static int preload_row(struct crm_stmt *st, void *arg)
{
	const char *key = crm_stmt_text(st, 1);
	size_t len;
	struct pent *p;

	(void)arg;
	if (++preload.n > preload_cap)
		return 0;
	if (!(preload.nids & (preload.nids + 1)))
		preload.ids = crm_xrealloc(
		    preload.ids, (preload.nids * 2 + 1) * sizeof(*preload.ids));
	preload.ids[preload.nids].id = crm_stmt_int(st, 0);
	preload.ids[preload.nids++].company = crm_stmt_int(st, 2);
	if (!key)
		return 0;
	len = strlen(key);
	if (preload.n * 2 > preload.mask + 1) {
		struct pent *old = preload.ents;
		size_t size = old ? preload.mask + 1 : 0;

		preload.mask = size ? size * 2 - 1 : 4095;
		preload.ents = crm_xcalloc(preload.mask + 1, sizeof(*old));
		for (size_t i = 0; i < size; i++)
			if (old[i].id) {
				const char *k = preload.keys.s + old[i].key;

				*preload_slot(k, strlen(k)) = old[i];
			}
		free(old);
	}
	p = preload_slot(key, len);
	if (p->id) {
		p->id = -1; /* several contacts */
		return 0;
	}
	p->key = preload.keys.len;
	crm_buf_add(&preload.keys, key, len + 1);
	p->id = crm_stmt_int(st, 0);
	p->company = crm_stmt_int(st, 2);
	return 0;
}

/* Load the contacts (at most preload_cap). */
static int preload_load(struct crm_db *db, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(
	    db,
	    "SELECT id, email_key, company_id FROM contacts ORDER BY id "
	    "LIMIT ?1",
	    err);
	int rc;

	preload_free();
	if (!st)
		return -1;
	crm_stmt_bind_int(st, 1, (int64_t)preload_cap + 1);
	crm_stmt_bulk(st);
	rc = crm_stmt_each(st, preload_row, NULL, err);
	crm_stmt_finalize(st);
	if (rc < 0 || preload.n > preload_cap) {
		preload_free();
		return rc;
	}
	preload.on = preload.whole = true;
	return 0;
}

/* Whether contacts are loaded (the table's or a chunk's): 1, 0, -1 on
 * error. Called before each look-up the server would answer; loads them
 * at the PRELOAD_AFTERth, or, when there are more than PRELOAD_MAX, has
 * activity_ahead fetch each chunk's from then on. */
static int preload_ready(struct crm_db *db, struct crm_err *err)
{
	if (preload.on)
		return 1;
	if (!preload_armed || ++preload_misses < PRELOAD_AFTER)
		return 0;
	preload_armed = false;
	preload_cap = PRELOAD_MAX;
	if (preload_load(db, err) < 0)
		return -1;
	preload_chunked = !preload.on;
	return preload.on;
}

/* The contacts of a chunk: its email keys or ids (bound as text or
 * integers), CHUNK_BINDS at a time; unused places bind NULL, so that one
 * statement serves every chunk. */
enum { CHUNK_BINDS = CRM_IMPORT_AHEAD };

static const char *chunk_sql(bool by_email)
{
	static struct crm_buf sql[2];
	struct crm_buf *b = &sql[by_email];

	if (!b->len) {
		crm_buf_adds(b, by_email ? "SELECT id, email_key, company_id "
					   "FROM contacts WHERE email_key IN ("
					 : "SELECT id, NULL, company_id FROM "
					   "contacts WHERE id IN (");
		for (int i = 0; i < CHUNK_BINDS; i++)
			crm_buf_adds(b, i ? ", ?" : "?");
		crm_buf_adds(b, ")");
	}
	return b->s;
}

/* Load the contacts of n values (keys: texts at the offsets off into
 * text; ids: ids). 0 or -1. */
static int chunk_load(struct crm_db *db, bool by_email, const char *text,
		      const size_t *off, const int64_t *ids, size_t n,
		      struct crm_err *err)
{
	for (size_t i = 0; i < n; i += CHUNK_BINDS) {
		struct crm_stmt *st =
		    crm_db_stmt_cached(db, chunk_sql(by_email), err);

		if (!st)
			return -1;
		for (size_t j = 0; j < CHUNK_BINDS; j++) {
			if (i + j >= n)
				crm_stmt_bind_null(st, (int)j + 1);
			else if (by_email)
				crm_stmt_bind_text(st, (int)j + 1,
						   text + off[i + j]);
			else
				crm_stmt_bind_int(st, (int)j + 1, ids[i + j]);
		}
		if (crm_stmt_each(st, preload_row, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int pid_cmp(const void *a, const void *b)
{
	const struct pid *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* crm_entity.ahead: when the table is too big to load, the contacts the
 * next chunk names (by email and by id), in place of the last chunk's. A
 * failed query leaves none: each row then asks the server, and the
 * import fails at its line with that error (or the aborted
 * transaction's), writing nothing. */
static void activity_ahead(struct crm_db *db, const struct crm_row *const *in,
			   size_t n)
{
	struct crm_buf text = {0}, norm = {0}, key = {0};
	size_t *off = NULL, nkeys = 0;
	int64_t *ids = NULL;
	size_t nids = 0;
	long cf = crm_entity_field(&crm_activity_entity, "contact_id");
	struct crm_err err = {0};
	int rc;

	if (!preload_chunked)
		return;
	preload_free();
	off = crm_xcalloc(n * 4 + 1, sizeof(*off));
	ids = crm_xcalloc(n * 2 + 1, sizeof(*ids));
	for (size_t r = 0; r < n; r++) {
		const char *v = in[r]->v[cf];
		int64_t id;

		if (v && crm_parse_int(v, &id) == 0)
			ids[nids++] = id;
		for (size_t c = 0; contact_columns[c]; c++) {
			json_t *j =
			    json_object_get(in[r]->custom, contact_columns[c]);
			char num[32];
			const char *e;

			if (!j || !(e = crm_json_int_text(j, num)))
				continue;
			if (!strchr(e, '@')) {
				if (!strcmp(contact_columns[c], "contact") &&
				    crm_parse_int(e, &id) == 0)
					ids[nids++] = id;
				continue;
			}
			crm_buf_reset(&norm);
			crm_buf_reset(&key);
			if (crm_norm_email(e, &norm, &err) < 0) {
				crm_err_clear(&err);
				continue;
			}
			crm_norm_email_key(norm.s, &key);
			if (!key.s)
				continue;
			off[nkeys++] = text.len;
			crm_buf_add(&text, key.s, key.len + 1);
		}
	}
	preload_cap = SIZE_MAX;
	rc = chunk_load(db, true, text.s, off, NULL, nkeys, &err);
	if (rc == 0)
		rc = chunk_load(db, false, NULL, NULL, ids, nids, &err);
	if (rc == 0 && preload.nids) {
		qsort(preload.ids, preload.nids, sizeof(*preload.ids), pid_cmp);
		preload.on = true;
		preload.whole = false;
	} else {
		preload_free();
	}
	free(off);
	free(ids);
	crm_buf_release(&text);
	crm_buf_release(&norm);
	crm_buf_release(&key);
}

/* The contacts a look-up finds: the first one's id and company, and how
 * many there are. */
struct found {
	int64_t *id, *company;
	int n;
};

static int found_contact(struct crm_stmt *st, void *arg)
{
	struct found *f = arg;

	if (f->n++ == 0) {
		*f->id = crm_stmt_int(st, 0);
		*f->company = crm_stmt_int(st, 1);
	}
	return 0;
}

/* Contact by email: 1 found (*id, *company), 0 none, -1 error (several:
 * CRM_EX_DATAERR). */
static int contact_by_email(struct crm_db *db, const char *email, int64_t *id,
			    int64_t *company, struct crm_err *err)
{
	struct crm_buf norm = {0}, key = {0};
	struct email_slot *slot = email_slot(email);
	struct found f = {id, company, 0};
	int rc = -1;

	if (slot && slot->email && !strcmp(slot->email, email)) {
		*id = slot->id;
		*company = slot->company;
		return 1;
	}
	if (crm_norm_email(email, &norm, err) < 0)
		goto out;
	crm_norm_email_key(norm.s, &key);
	if (preload_ready(db, err) < 0)
		goto out;
	if (preload.on && key.s && preload.ents) {
		struct pent *p = preload_slot(key.s, key.len);

		if (p->id > 0) {
			*id = p->id;
			*company = p->company;
			rc = 1;
			goto keep;
		}
		if (!p->id && preload.whole) {
			rc = 0;
			goto out;
		}
	}
	if (crm_dbq_each(db, err, found_contact, &f,
			 "SELECT id, company_id FROM contacts WHERE "
			 "email_key = ? LIMIT 2",
			 "s", key.s) < 0)
		goto out;
	if (f.n > 1) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "'%s' matches several contacts; give contact_id",
			    email);
		goto out;
	}
	rc = f.n;
keep:
	if (slot && rc == 1) {
		free(slot->email);
		slot->email = crm_xstrdup(email);
		slot->id = *id;
		slot->company = *company;
	}
out:
	crm_buf_release(&norm);
	crm_buf_release(&key);
	return rc;
}

static int contact_by_external_id(struct crm_db *db, const char *xid,
				  int64_t *id, int64_t *company,
				  struct crm_err *err)
{
	struct found f = {id, company, 0};

	if (crm_dbq_each(
		db, err, found_contact, &f,
		"SELECT id, company_id FROM contacts WHERE external_id = ?",
		"s", xid) < 0)
		return -1;
	return f.n > 0;
}

static int set_id(struct crm_row *row, const char *field, int64_t id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	return crm_row_set(row, field, id ? buf : NULL);
}

/* Resolve a contact named by one of contact_columns into contact_id: the
 * first such column given wins; all of them are removed from custom. */
static int resolve_contact(struct crm_db *db, struct crm_row *row,
			   int64_t *company, bool *resolved,
			   struct crm_err *err)
{
	*resolved = false;
	for (size_t c = 0; contact_columns[c]; c++) {
		const char *col = contact_columns[c];
		json_t *j = json_object_get(row->custom, col);
		char num[32];
		const char *v;
		int64_t id = 0;
		int rc;

		if (!j)
			continue;
		if (*resolved) {
			json_object_del(row->custom, col);
			continue;
		}
		snprintf(err->field, sizeof(err->field), "%s", col);
		if (!(v = crm_json_int_text(j, num)))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a string");
		if (!strcmp(col, "contact_external_id"))
			rc = contact_by_external_id(db, v, &id, company, err);
		else if (!strcmp(col, "contact") && crm_parse_int(v, &id) == 0)
			rc = id > 0 ? link_exists(db, 0, id, company, err) : 0;
		else if (strchr(v, '@') || strcmp(col, "contact"))
			rc = contact_by_email(db, v, &id, company, err);
		else
			rc = contact_by_external_id(db, v, &id, company, err);
		if (rc < 0)
			return -1;
		if (!rc)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "no contact '%s'", v);
		err->field[0] = '\0';
		set_id(row, "contact_id", id);
		json_object_del(row->custom, col);
		*resolved = true;
	}
	return 0;
}

/* "company" names the company by id, external id, name or domain. */
static int resolve_company(struct crm_db *db, struct crm_row *row,
			   struct crm_err *err)
{
	json_t *j = json_object_get(row->custom, "company");
	struct crm_row c;
	int rc;

	if (!j)
		return 0;
	snprintf(err->field, sizeof(err->field), "company");
	if (!json_is_string(j))
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected a company name or id");
	crm_row_init(&c, &crm_company_entity);
	rc = crm_entity_find(db, &crm_company_entity, json_string_value(j), &c,
			     err);
	if (rc == 0)
		crm_err_set(err, CRM_EX_DATAERR, "no company '%s'",
			    json_string_value(j));
	if (rc > 0) {
		crm_row_set(row, "company_id", c.v[0]);
		row->touched[crm_entity_field(row->e, "company_id")] = true;
		json_object_del(row->custom, "company");
		err->field[0] = '\0';
	}
	crm_row_release(&c);
	return rc > 0 ? 0 : -1;
}

/* Resolve the contact and company of row by name or email, check that
 * the first nlinks links it sets (or, on an update, changes) exist, and
 * give it the company of its contact when it names none. */
static int resolve_links(struct crm_db *db, struct crm_row *row,
			 const struct crm_row *old, long nlinks,
			 struct crm_err *err)
{
	int64_t company = 0;
	bool resolved;

	if (resolve_contact(db, row, &company, &resolved, err) < 0 ||
	    resolve_company(db, row, err) < 0)
		return -1;
	for (long k = 0; k < nlinks; k++) {
		long f = crm_entity_field(row->e, crm_activity_links[k].column);
		const char *v = row->v[f];
		int64_t id;
		int rc;

		if (!v || (k == 0 && resolved) || (old && !row->touched[f]))
			continue;
		id = strtoll(v, NULL, 10);
		rc = link_exists(db, k, id, k == 0 ? &company : NULL, err);
		if (rc < 0)
			return -1;
		if (!rc)
			return missing_link(err, k, id);
	}
	/* an activity with a contact of a company counts for the company */
	if (company && !crm_row_get(row, "company_id"))
		set_id(row, "company_id", company);
	return 0;
}

int crm_activity_resolve_links(struct crm_db *db, struct crm_row *row,
			       const struct crm_row *old, struct crm_err *err)
{
	return resolve_links(db, row, old, 2, err);
}

static int activity_prepare(struct crm_db *db, const struct crm_entity *e,
			    struct crm_row *row, const struct crm_row *old,
			    void *arg, struct crm_err *err)
{
	const char *type = crm_row_get(row, "type");
	long tf = crm_entity_field(e, "type");

	(void)arg;
	if (type && row->touched[tf]) {
		struct crm_buf b = {0};

		fold_type(type, &b);
		crm_row_set(row, "type", b.s);
		crm_buf_release(&b);
	}
	if (!old && !crm_row_get(row, "occurred_at")) {
		char now[CRM_TIME_LEN];

		crm_row_set(row, "occurred_at",
			    crm_datetime_format(db->now, now));
	}
	return resolve_links(db, row, old, (long)crm_activity_nlinks, err);
}

/* During a bulk import, last_activity_at is brought up to date once at
 * the end, set-based, for every record linked to the activities it
 * inserted (ids from batch_from on): one UPDATE per record per activity
 * would cost random writes all over the linked tables. */
static bool batch;
static int64_t batch_from;

#define BATCH_SQL(table, col)                                                  \
	"UPDATE " table " SET last_activity_at = x.m FROM (SELECT " col " AS " \
	"rid, max(occurred_at) AS m FROM activities WHERE id >= ?1 AND " col   \
	" IS NOT NULL GROUP BY " col ") AS x WHERE " table                     \
	".id = x.rid AND (" table ".last_activity_at IS NULL OR " table        \
	".last_activity_at < x.m)"
static const char *const batch_sql[] = {
    BATCH_SQL("contacts", "contact_id"), BATCH_SQL("companies", "company_id"),
    BATCH_SQL("leads", "lead_id"),	 BATCH_SQL("deals", "deal_id"),
    BATCH_SQL("tickets", "ticket_id"),
};

static int activity_begin(struct crm_db *db, const struct crm_entity *e,
			  struct crm_err *err)
{
	int rc;

	(void)e;
	batch_from = 0;
	rc =
	    crm_dbq_step(db, err, &batch_from,
			 "SELECT coalesce(max(id), 0) + 1 FROM activities", "");
	if (rc < 0)
		return -1;
	if (rc == 0)
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "database: no maximum activity id");
	preload_free();
	preload_armed = crm_store_engine(db->store) == CRM_STORE_PG;
	preload_chunked = false;
	preload_misses = 0;
	batch = true;
	email_cache_free();
	email_cache = crm_xcalloc(EMAIL_SLOTS, sizeof(*email_cache));
	return 0;
}

static int activity_end(struct crm_db *db, const struct crm_entity *e, bool ok,
			struct crm_err *err)
{
	(void)e;
	batch = false;
	email_cache_free();
	preload_free();
	preload_armed = preload_chunked = false;
	if (!ok)
		return 0;
	for (size_t k = 0; k < crm_activity_nlinks; k++) {
		int rc;

		if (k >= 2) {
			rc = crm_table_has_column(db,
						  crm_activity_links[k].table,
						  "last_activity_at", err);
			if (rc < 0)
				return -1;
			if (!rc)
				continue;
		}
		if (crm_stmt_run_as(
			crm_dbq(db, err, batch_sql[k], "i", batch_from),
			"cannot update last_activity_at", err) < 0)
			return -1;
	}
	return 0;
}

static int activity_written(struct crm_db *db, const struct crm_entity *e,
			    const struct crm_row *row, bool inserted, void *arg,
			    struct crm_err *err)
{
	const char *at = crm_row_get(row, "occurred_at");

	(void)arg;
	if (batch && inserted) {
		/* an id given on input may lie below the batch's first */
		if (crm_row_id(row) < batch_from)
			batch_from = crm_row_id(row);
		return 0;
	}
	for (size_t k = 0; at && k < crm_activity_nlinks; k++) {
		const char *v =
		    row->v[crm_entity_field(e, crm_activity_links[k].column)];

		if (v && crm_activity_touch(db, crm_activity_links[k].column,
					    strtoll(v, NULL, 10), at, err) < 0)
			return -1;
	}
	return 0;
}

const char *const crm_activity_link_inputs[] = {
    "contact", "contact_email", "email", "contact_external_id", "company",
    NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias activity_aliases[] = {
    {"contact_email", "Contact Email|Email Address|E-mail|邮箱"},
    {"company", CRM_ALIASES_COMPANY},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_activity_entity = {
    .name = "activity",
    .plural = "activities",
    .table = "activities",
    CRM_FIELDS(activity_fields),
    .keys = "id,external_id",
    .prepare = activity_prepare,
    .written = activity_written,
    .begin = activity_begin,
    .end = activity_end,
    .ahead = activity_ahead,
    .inputs = crm_activity_link_inputs,
    .aliases = activity_aliases,
};
