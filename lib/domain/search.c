/* search.c - crm search and show by name: one fixed query per noun, built
 * from the table below (never from input), values bound as parameters:
 * ?1 the text's matching key, ?2 its E.164 form, ?3 its digits, ?4 the
 * limit (none when unlimited). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "company.h"
#include "contact.h"
#include "dbq.h"
#include "deal.h"
#include "lead.h"
#include "normalize.h"
#include "search.h"
#include "ticket.h"

enum how {
	TEXT,  /* the value's matching key contains ?1 */
	PHONE, /* the NAME_key column is ?2 or contains the digits ?3 */
};

struct sfield {
	const char *label; /* the matched column's name */
	const char *value; /* SQL: what is shown */
	const char *match; /* SQL: what is compared (NULL: value) */
	enum how how;
};

#define NAME_EXPR                                                              \
	"trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))"
#define COMPANY_OF(t)                                                          \
	"(SELECT c.name FROM companies c WHERE c.id = " t ".company_id)"
#define CONTACT_OF(t)                                                          \
	"(SELECT trim(coalesce(p.first_name, '') || ' ' || "                   \
	"coalesce(p.last_name, '') || ' ' || coalesce(p.email, '')) "          \
	"FROM contacts p WHERE p.id = " t ".contact_id)"

struct snoun {
	const struct crm_entity *e;
	const char *display;	/* SQL: the name a record is shown by */
	const struct sfield *f; /* ending with a NULL label */
	const char *names[3];	/* SQL: what show KEY compares to a name */
	/* has a search index (SQLite): every field and name is the
	 * record's own column, so a record's text changes only with it */
	bool indexed;
};

/* what a contact and a lead are found by */
static const struct sfield person_fields[] = {
    {"name", NAME_EXPR, NULL, TEXT},
    {"email", "email", NULL, TEXT},
    {"phone", "phone", "phone_key", PHONE},
    {"company", "company", NULL, TEXT},
    {0},
};
static const struct sfield company_fields[] = {
    {"name", "name", NULL, TEXT}, {"domain", "domain", NULL, TEXT}, {0}};
static const struct sfield deal_fields[] = {
    {"name", "name", NULL, TEXT},
    {"company", COMPANY_OF("deals"), NULL, TEXT},
    {0},
};
static const struct sfield ticket_fields[] = {
    {"subject", "subject", NULL, TEXT},
    {"company", COMPANY_OF("tickets"), NULL, TEXT},
    {"contact", CONTACT_OF("tickets"), NULL, TEXT},
    {0},
};

static const struct snoun nouns[] = {
    {&crm_contact_entity,
     "coalesce(nullif(" NAME_EXPR ", ''), email, phone)",
     person_fields,
     {NAME_EXPR, "last_name"},
     true},
    {&crm_company_entity, "name", company_fields, {"name"}, true},
    {&crm_lead_entity,
     "coalesce(nullif(" NAME_EXPR ", ''), email, phone, company)",
     person_fields,
     {NAME_EXPR, "last_name", "company"},
     true},
    {&crm_deal_entity, "name", deal_fields, {"name"}},
    {&crm_ticket_entity, "subject", ticket_fields, {"subject"}},
};

const size_t crm_search_nouns = sizeof(nouns) / sizeof(nouns[0]);

const char *crm_search_noun_name(size_t i)
{
	return nouns[i].e->plural;
}

/* crm_search_key(TEXT): crm_norm_key's form, NULL for NULL or bad UTF-8 */
static void sql_key(struct crm_fn_ctx *c)
{
	size_t n;
	const char *s = crm_fn_text(c, 0, &n);
	struct crm_buf b = {0};

	if (!s || crm_norm_key(s, n, &b) < 0)
		crm_fn_null(c);
	else
		crm_fn_result_text(c, crm_buf_str(&b), b.len);
	crm_buf_release(&b);
}

static const struct crm_sql_fn key_fn = {
    "crm_search_key", 1, sql_key, NULL, NULL, 0};

static int add_functions(struct crm_db *db, struct crm_err *err)
{
	if (crm_store_define(db->store, &key_fn, err) < 0)
		return crm_err_what(err, "search functions");
	return 0;
}

/* keys and digits are already folded: "contains" is the portable
 * contains-ignoring-case */
static void add_cond(const struct crm_db *db, struct crm_buf *sql,
		     const struct sfield *f)
{
	const char *m = f->match ? f->match : f->value;
	struct crm_buf k = {0};

	if (f->how == PHONE) {
		crm_buf_addf(sql, "(%s = ?2 OR ", m);
		crm_store_frag(db->store, sql, CRM_SQL_CONTAINS_CI, m, "?3");
		crm_buf_adds(sql, ")");
	} else {
		crm_buf_addf(&k, "crm_search_key(%s)", m);
		crm_store_frag(db->store, sql, CRM_SQL_CONTAINS_CI, k.s, "?1");
		crm_buf_release(&k);
	}
}

/* -- the search index (SQLite) ---------------------------------------------
 * crm search --reindex makes, for each indexed noun, an FTS5 trigram table
 * crm_search_PLURAL (contentless, detail=none: which records hold which
 * three characters) over what the noun's conditions compare: each field's
 * key, a phone's phone_key, each name's key. A search then reads only the
 * records holding every trigram of its text, and checks each with the
 * same conditions as a scan: a record changed since the build may be
 * proposed and dropped, never shown wrongly. What the build did not see
 * is read as a scan would: ids above the highest it indexed (ids are
 * never reused) and records with an audit row of a later change set
 * (every write of crm's to these tables has one; undo too). crm sync's
 * pull writes the replica without audit rows, so it retires the index
 * (crm_search_index_stale). Writes by other tools: --reindex. */

/* What a built index covers: ids up to max_id, change sets up to through. */
struct sindex {
	bool on; /* the noun has an index and this text can use it */
	int64_t max_id, through;
};

static void index_table(const struct snoun *sn, struct crm_buf *b)
{
	crm_buf_addf(b, "crm_search_%s", sn->e->plural);
}

/* The text a record is indexed by: every field's compared form, then
 * every name's key, one line each. */
static void index_text(const struct snoun *sn, struct crm_buf *sql)
{
	for (size_t i = 0; sn->f[i].label; i++) {
		const struct sfield *f = &sn->f[i];
		const char *m = f->match ? f->match : f->value;

		crm_buf_addf(sql,
			     f->how == PHONE
				 ? "%scoalesce(%s, '')"
				 : "%scoalesce(crm_search_key(%s), '')",
			     i ? " || char(10) || " : "", m);
	}
	for (size_t i = 0; i < 3 && sn->names[i]; i++)
		crm_buf_addf(sql,
			     " || char(10) || coalesce(crm_search_key(%s), '')",
			     sn->names[i]);
}

/* Characters of UTF-8 s (the trigram tokenizer counts characters). */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Adds to the MATCH expression m the group of needle's trigrams, all
 * required: ("abc" AND "bcd" ...). False when needle is under three
 * characters (the index cannot propose its records). */
static bool add_needle(struct crm_buf *m, const char *needle)
{
	size_t n = chars(needle), k = 0;
	size_t *at = crm_xcalloc(n + 1, sizeof(*at));

	if (n < 3) {
		free(at);
		return false;
	}
	/* at[k]: where character k starts; at[n]: the end */
	for (size_t b = 0; needle[b]; b++)
		if (((unsigned char)needle[b] & 0xC0) != 0x80)
			at[k++] = b;
	at[n] = strlen(needle);
	crm_buf_adds(m, m->len ? " OR (" : "(");
	for (k = 0; k + 3 <= n; k++) {
		crm_buf_adds(m, k ? " AND \"" : "\"");
		for (size_t b = at[k]; b < at[k + 3]; b++) {
			if (needle[b] == '"')
				crm_buf_addc(m, '"');
			crm_buf_addc(m, needle[b]);
		}
		crm_buf_addc(m, '"');
	}
	crm_buf_addc(m, ')');
	free(at);
	return true;
}

/* ix for noun sn: on, with what it covers, when the noun has an index
 * (SQLite, a row in crm_search_state); else off. 0 or -1 with err. */
static int index_state(struct crm_db *db, const struct snoun *sn,
		       struct sindex *ix, struct crm_err *err)
{
	struct crm_stmt *st;
	int rc;

	*ix = (struct sindex){0};
	if (!sn->indexed || crm_store_engine(db->store) != CRM_STORE_SQLITE)
		return 0;
	rc = crm_db_has_table(db, "crm_search_state", err);
	if (rc <= 0)
		return rc;
	st = crm_dbq(db, err,
		     "SELECT max_id, through_change FROM crm_search_state "
		     "WHERE noun = ?",
		     "s", sn->e->plural);
	if (!st)
		return -1;
	rc = crm_stmt_step(st, err);
	if (rc > 0) {
		ix->on = true;
		ix->max_id = crm_stmt_int(st, 0);
		ix->through = crm_stmt_int(st, 1);
	}
	crm_stmt_reset(st);
	return rc < 0 ? crm_err_what(err, "search index") : 0;
}

/* SELECT id[, cols] FROM the noun's table WHERE cond ORDER BY 1, at most
 * limit rows (a parameter, "?4"; NULL: all). With the index: the records
 * it proposes for ?5 (a MATCH expression), those above id ?6 and those an
 * audit row of a change set after ?7 names (entity ?8), each checked by
 * cond. */
static void select_where(const struct snoun *sn, const struct sindex *ix,
			 const char *cols, const char *cond, const char *limit,
			 struct crm_buf *sql)
{
	const char *tb = sn->e->table, *sep = *cols ? ", " : "";
	struct crm_buf t = {0};

	if (!ix->on) {
		crm_buf_addf(sql, "SELECT id%s%s FROM %s WHERE %s ORDER BY 1",
			     sep, cols, tb, cond);
	} else {
		/* +entity: the change sets after ?7 are the few to read
		 * (crm_audit_change), not every audit row of the entity.
		 * The proposed records in a subquery of their own: there the
		 * index's rowid order serves ORDER BY, and a limited search
		 * reads only the first ones (a compound would sort them all) */
		index_table(sn, &t);
		crm_buf_addf(sql,
			     "SELECT * FROM (SELECT s.rowid%s%s FROM %s s JOIN "
			     "%s ON %s.id = s.rowid WHERE %s MATCH ?5 AND %s "
			     "ORDER BY s.rowid",
			     sep, cols, t.s, tb, tb, t.s, cond);
		if (limit)
			crm_buf_addf(sql, " LIMIT %s", limit);
		crm_buf_addf(sql,
			     ") UNION SELECT id%s%s FROM %s WHERE id > ?6 AND "
			     "%s",
			     sep, cols, tb, cond);
		crm_buf_addf(sql,
			     " UNION SELECT id%s%s FROM %s WHERE id IN (SELECT "
			     "record_id FROM crm_audit WHERE +entity = ?8 AND "
			     "change_id > ?7) AND %s ORDER BY 1",
			     sep, cols, tb, cond);
		crm_buf_release(&t);
	}
	if (limit)
		crm_buf_addf(sql, " LIMIT %s", limit);
}

/* SELECT id, display, matched, value FROM table WHERE any field matches,
 * at most ?4 rows when limited. With the index: the records it proposes
 * for ?5 (a MATCH expression), those above id ?6 and those an audit row
 * of a change set after ?7 names (entity ?8), each checked alike. */
static void build(const struct crm_db *db, const struct snoun *sn, bool limited,
		  const struct sindex *ix, struct crm_buf *sql)
{
	struct crm_buf cols = {0}, cond = {0};
	size_t nf = 0;

	while (sn->f[nf].label)
		nf++;
	crm_buf_addf(&cols, "%s, CASE", sn->display);
	for (size_t i = 0; i < nf; i++) {
		crm_buf_adds(&cols, " WHEN ");
		add_cond(db, &cols, &sn->f[i]);
		crm_buf_addf(&cols, " THEN '%s'", sn->f[i].label);
	}
	crm_buf_adds(&cols, " END, CASE");
	for (size_t i = 0; i < nf; i++) {
		crm_buf_adds(&cols, " WHEN ");
		add_cond(db, &cols, &sn->f[i]);
		crm_buf_addf(&cols, " THEN %s", sn->f[i].value);
	}
	crm_buf_adds(&cols, " END");
	crm_buf_adds(&cond, "(");
	for (size_t i = 0; i < nf; i++) {
		if (i)
			crm_buf_adds(&cond, " OR ");
		add_cond(db, &cond, &sn->f[i]);
	}
	crm_buf_adds(&cond, ")");
	select_where(sn, ix, cols.s, cond.s, limited ? "?4" : NULL, sql);
	crm_buf_release(&cols);
	crm_buf_release(&cond);
}

static void bind_index(struct crm_stmt *st, const struct snoun *sn,
		       const struct sindex *ix, struct crm_buf *match)
{
	if (!ix->on)
		return;
	crm_stmt_bind_text(st, 5, crm_buf_str(match));
	crm_stmt_bind_int(st, 6, ix->max_id);
	crm_stmt_bind_int(st, 7, ix->through);
	crm_stmt_bind_text(st, 8, sn->e->name);
}

/* The digits of text when it reads as (part of) a phone number: digits,
 * spaces and + - . ( ) / only, at least 4 digits. */
static bool phone_digits(const char *text, struct crm_buf *out)
{
	size_t nd = 0;

	for (const char *p = text; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			crm_buf_add(out, p, 1);
			nd++;
		} else if (!strchr(" +-.()/", *p)) {
			return false;
		}
	}
	return nd >= 4;
}

int64_t crm_search(struct crm_db *db, const char *text, int64_t limit,
		   int (*fn)(const struct crm_search_hit *h, void *arg),
		   void *arg, bool *more, struct crm_err *err)
{
	struct crm_buf key = {0}, e164 = {0}, digits = {0}, match = {0};
	bool has_key, has_e164, has_digits, use_index = true;
	int64_t total = 0;

	if (add_functions(db, err) < 0)
		return -1;
	has_key = crm_norm_key(text, strlen(text), &key) == 0 && key.len;
	has_e164 = crm_norm_phone(text, crm_phone_country(), &e164, NULL) == 0;
	has_digits = phone_digits(text, &digits);
	/* the index proposes a record for each text a condition compares */
	if (has_key)
		use_index &= add_needle(&match, crm_buf_str(&key));
	if (has_e164)
		use_index &= add_needle(&match, crm_buf_str(&e164));
	if (has_digits)
		use_index &= add_needle(&match, crm_buf_str(&digits));
	for (size_t i = 0; i < crm_search_nouns; i++) {
		struct crm_buf sql = {0};
		struct crm_stmt *st;
		struct sindex ix;
		int64_t n = 0;
		int rc;

		if (more)
			more[i] = false;
		/* nothing to compare: no record can match */
		if (!has_key && !has_e164 && !has_digits)
			continue;
		if (index_state(db, &nouns[i], &ix, err) < 0)
			goto fail;
		ix.on &= use_index;
		build(db, &nouns[i], limit >= 0, &ix, &sql);
		st = crm_db_stmt(db, sql.s, err);
		crm_buf_release(&sql);
		if (!st)
			goto fail;
		bind_index(st, &nouns[i], &ix, &match);
		crm_stmt_bind_text(st, 1, has_key ? crm_buf_str(&key) : NULL);
		crm_stmt_bind_text(st, 2, has_e164 ? crm_buf_str(&e164) : NULL);
		crm_stmt_bind_text(st, 3,
				   has_digits ? crm_buf_str(&digits) : NULL);
		if (limit >= 0)
			crm_stmt_bind_int(st, 4, limit + 1);
		while ((rc = crm_stmt_step(st, err)) > 0) {
			struct crm_search_hit h = {
			    .noun = nouns[i].e->plural,
			    .index = i,
			    .id = crm_stmt_int(st, 0),
			    .name = crm_stmt_text(st, 1),
			    .matched = crm_stmt_text(st, 2),
			    .value = crm_stmt_text(st, 3),
			};

			if (limit >= 0 && n == limit) {
				if (more)
					more[i] = true;
				continue;
			}
			n++;
			if (fn(&h, arg) < 0) {
				crm_stmt_finalize(st);
				goto fail;
			}
		}
		crm_stmt_finalize(st);
		if (rc < 0) {
			crm_err_what(err, "search");
			goto fail;
		}
		total += n;
	}
	crm_buf_release(&key);
	crm_buf_release(&e164);
	crm_buf_release(&digits);
	crm_buf_release(&match);
	return total;
fail:
	crm_buf_release(&key);
	crm_buf_release(&e164);
	crm_buf_release(&digits);
	crm_buf_release(&match);
	return -1;
}

static void fill_id(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

int crm_search_names(struct crm_db *db, const struct crm_entity *e,
		     const char *key, size_t max, int64_t **ids, size_t *n,
		     struct crm_err *err)
{
	const struct snoun *sn = NULL;
	struct crm_buf sql = {0}, k = {0}, cond = {0}, match = {0};
	struct crm_stmt *st;
	struct sindex ix;
	int rc;

	*ids = NULL;
	*n = 0;
	for (size_t i = 0; i < crm_search_nouns; i++)
		if (nouns[i].e == e)
			sn = &nouns[i];
	if (!sn || crm_norm_key(key, strlen(key), &k) < 0 || !k.len) {
		crm_buf_release(&k);
		return 0;
	}
	if (add_functions(db, err) < 0) {
		crm_buf_release(&k);
		return -1;
	}
	if (index_state(db, sn, &ix, err) < 0) {
		crm_buf_release(&k);
		return -1;
	}
	ix.on &= add_needle(&match, crm_buf_str(&k));
	crm_buf_adds(&cond, "(");
	for (size_t i = 0; i < 3 && sn->names[i]; i++)
		crm_buf_addf(&cond, "%scrm_search_key(%s) = ?1",
			     i ? " OR " : "", sn->names[i]);
	crm_buf_adds(&cond, ")");
	select_where(sn, &ix, "", cond.s, "?2", &sql);
	st = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	crm_buf_release(&cond);
	if (!st) {
		crm_buf_release(&k);
		crm_buf_release(&match);
		return -1;
	}
	crm_stmt_bindf(st, "si", crm_buf_str(&k), (int64_t)max);
	bind_index(st, sn, &ix, &match);
	rc = crm_stmt_rows(st, err, ids, n, sizeof(**ids), fill_id);
	crm_stmt_finalize(st);
	crm_buf_release(&k);
	crm_buf_release(&match);
	if (rc < 0)
		return crm_err_what(err, "search");
	return 0;
}

/* Indexes noun sn: all its records into a new table, or with refresh
 * and an index to add to, only what that index has not seen (the records
 * a search reads apart: ids above max_id, and those an audit row of a
 * later change set names). A changed record's old trigrams stay beside
 * its new ones: it may be proposed for its old text and is then dropped
 * by the search's check. *count gets the records indexed. 0 or -1. */
static int index_noun(struct crm_db *db, const struct snoun *sn, bool refresh,
		      int64_t *count, struct crm_err *err)
{
	struct sindex ix = {0};
	struct crm_buf t = {0}, sql = {0}, where = {0};
	int rc = refresh ? index_state(db, sn, &ix, err) : 0;

	index_table(sn, &t);
	if (rc == 0 && !ix.on) {
		crm_buf_addf(&sql, "DROP TABLE IF EXISTS %s", t.s);
		rc = crm_db_exec(db, sql.s, err);
		crm_buf_reset(&sql);
		crm_buf_addf(
		    &sql,
		    "CREATE VIRTUAL TABLE %s USING fts5(k, content='', "
		    "detail=none, tokenize='trigram')",
		    t.s);
		if (rc == 0)
			rc = crm_db_exec(db, sql.s, err);
		crm_buf_reset(&sql);
	}
	if (ix.on)
		crm_buf_adds(&where,
			     " WHERE id > ?1 OR id IN (SELECT record_id "
			     "FROM crm_audit WHERE +entity = ?2 AND "
			     "change_id > ?3)");
	crm_buf_addf(&sql, "INSERT INTO %s (rowid, k) SELECT id, ", t.s);
	index_text(sn, &sql);
	crm_buf_addf(&sql, " FROM %s%s", sn->e->table, crm_buf_str(&where));
	/* ?1-?3: what the index has not seen (none when made whole) */
	if (rc == 0 && crm_entity_sqlf(db, sql.s, NULL, NULL, NULL, err,
				       ix.on ? "isi" : "", ix.max_id,
				       sn->e->name, ix.through) < 0)
		rc = -1;
	crm_buf_reset(&sql);
	crm_buf_addf(&sql, "SELECT count(*) FROM %s%s", sn->e->table,
		     crm_buf_str(&where));
	*count = 0;
	if (rc == 0 && crm_entity_sqlf(db, sql.s, count, NULL, NULL, err,
				       ix.on ? "isi" : "", ix.max_id,
				       sn->e->name, ix.through) < 0)
		rc = -1;
	crm_buf_reset(&sql);
	/* what the index covers, read in the same transaction */
	crm_buf_addf(&sql,
		     "INSERT OR REPLACE INTO crm_search_state (noun, "
		     "max_id, through_change) VALUES (?, (SELECT "
		     "coalesce(max(id), 0) FROM %s), (SELECT "
		     "coalesce(max(id), 0) FROM crm_changes))",
		     sn->e->table);
	if (rc == 0 && crm_entity_sqlf(db, sql.s, NULL, NULL, NULL, err, "s",
				       sn->e->plural) < 0)
		rc = -1;
	crm_buf_release(&t);
	crm_buf_release(&sql);
	crm_buf_release(&where);
	return rc;
}

int crm_search_reindex(struct crm_db *db, bool dry_run, bool refresh,
		       int64_t *counts, struct crm_err *err)
{
	static const char state_sql[] =
	    "CREATE TABLE IF NOT EXISTS crm_search_state ("
	    " noun TEXT PRIMARY KEY,"
	    " max_id INTEGER NOT NULL,"
	    " through_change INTEGER NOT NULL)";

	if (crm_store_engine(db->store) != CRM_STORE_SQLITE)
		return crm_err_set(err, CRM_EX_USAGE,
				   "the search index is SQLite's (FTS5); on "
				   "PostgreSQL search reads the tables");
	if (add_functions(db, err) < 0 || crm_db_begin(db, err) < 0 ||
	    crm_db_exec(db, state_sql, err) < 0)
		goto fail;
	for (size_t i = 0; i < crm_search_nouns; i++) {
		counts[i] = -1;
		if (nouns[i].indexed &&
		    index_noun(db, &nouns[i], refresh, &counts[i], err) < 0)
			goto fail;
	}
	if (crm_db_finish(db, dry_run, err) < 0)
		goto fail;
	return 0;
fail:
	crm_db_rollback(db);
	return crm_err_what(err, "search index");
}

int crm_search_index_drop(struct crm_db *db, bool dry_run, struct crm_err *err)
{
	int rc = crm_store_engine(db->store) == CRM_STORE_SQLITE
		     ? crm_db_has_table(db, "crm_search_state", err)
		     : 0;

	if (rc <= 0)
		return rc;
	if (crm_db_begin(db, err) < 0)
		return -1;
	for (size_t i = 0; i < crm_search_nouns && rc >= 0; i++) {
		struct crm_buf sql = {0};

		if (!nouns[i].indexed)
			continue;
		crm_buf_adds(&sql, "DROP TABLE IF EXISTS ");
		index_table(&nouns[i], &sql);
		rc = crm_db_exec(db, sql.s, err);
		crm_buf_release(&sql);
	}
	if (rc < 0 || crm_db_exec(db, "DROP TABLE crm_search_state", err) < 0 ||
	    crm_db_finish(db, dry_run, err) < 0) {
		crm_db_rollback(db);
		return crm_err_what(err, "search index");
	}
	return 1;
}

int crm_search_index_stale(struct crm_db *db, struct crm_err *err)
{
	int rc = crm_store_engine(db->store) == CRM_STORE_SQLITE
		     ? crm_db_has_table(db, "crm_search_state", err)
		     : 0;

	if (rc <= 0)
		return rc;
	return crm_db_exec(db, "DELETE FROM crm_search_state", err);
}
