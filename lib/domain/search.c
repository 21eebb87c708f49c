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
     {NAME_EXPR, "last_name"}},
    {&crm_company_entity, "name", company_fields, {"name"}},
    {&crm_lead_entity,
     "coalesce(nullif(" NAME_EXPR ", ''), email, phone, company)",
     person_fields,
     {NAME_EXPR, "last_name", "company"}},
    {&crm_deal_entity, "name", deal_fields, {"name"}},
    {&crm_ticket_entity, "subject", ticket_fields, {"subject"}},
};

const size_t crm_search_nouns = sizeof(nouns) / sizeof(nouns[0]);

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

/* SELECT id, display, matched, value FROM table WHERE any field matches,
 * at most ?4 rows when limited */
static void build(const struct crm_db *db, const struct snoun *sn, bool limited,
		  struct crm_buf *sql)
{
	size_t nf = 0;

	while (sn->f[nf].label)
		nf++;
	crm_buf_addf(sql, "SELECT id, %s, CASE", sn->display);
	for (size_t i = 0; i < nf; i++) {
		crm_buf_adds(sql, " WHEN ");
		add_cond(db, sql, &sn->f[i]);
		crm_buf_addf(sql, " THEN '%s'", sn->f[i].label);
	}
	crm_buf_adds(sql, " END, CASE");
	for (size_t i = 0; i < nf; i++) {
		crm_buf_adds(sql, " WHEN ");
		add_cond(db, sql, &sn->f[i]);
		crm_buf_addf(sql, " THEN %s", sn->f[i].value);
	}
	crm_buf_addf(sql, " END FROM %s WHERE ", sn->e->table);
	for (size_t i = 0; i < nf; i++) {
		if (i)
			crm_buf_adds(sql, " OR ");
		add_cond(db, sql, &sn->f[i]);
	}
	crm_buf_adds(sql, limited ? " ORDER BY id LIMIT ?4" : " ORDER BY id");
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
	struct crm_buf key = {0}, e164 = {0}, digits = {0};
	bool has_key, has_e164, has_digits;
	int64_t total = 0;

	if (add_functions(db, err) < 0)
		return -1;
	has_key = crm_norm_key(text, strlen(text), &key) == 0 && key.len;
	has_e164 = crm_norm_phone(text, crm_phone_country(), &e164, NULL) == 0;
	has_digits = phone_digits(text, &digits);
	for (size_t i = 0; i < crm_search_nouns; i++) {
		struct crm_buf sql = {0};
		struct crm_stmt *st;
		int64_t n = 0;
		int rc;

		if (more)
			more[i] = false;
		build(db, &nouns[i], limit >= 0, &sql);
		st = crm_db_stmt(db, sql.s, err);
		crm_buf_release(&sql);
		if (!st)
			goto fail;
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
	return total;
fail:
	crm_buf_release(&key);
	crm_buf_release(&e164);
	crm_buf_release(&digits);
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
	struct crm_buf sql = {0}, k = {0};
	struct crm_stmt *st;
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
	crm_buf_addf(&sql, "SELECT id FROM %s WHERE ", e->table);
	for (size_t i = 0; i < 3 && sn->names[i]; i++)
		crm_buf_addf(&sql, "%scrm_search_key(%s) = ?1", i ? " OR " : "",
			     sn->names[i]);
	crm_buf_adds(&sql, " ORDER BY id LIMIT ?2");
	st = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	if (!st) {
		crm_buf_release(&k);
		return -1;
	}
	crm_stmt_bindf(st, "si", crm_buf_str(&k), (int64_t)max);
	rc = crm_stmt_rows(st, err, ids, n, sizeof(**ids), fill_id);
	crm_stmt_finalize(st);
	crm_buf_release(&k);
	if (rc < 0)
		return crm_err_what(err, "search");
	return 0;
}
