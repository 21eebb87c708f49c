/* company.c - the company entity: accounts, their hierarchy and roll-ups,
 * and how contacts link to them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "bloom.h"
#include "company.h"
#include "dbq.h"
#include "hier.h"
#include "normalize.h"

static const struct crm_field company_fields[] = {
    CRM_FIELD_ID,
    CRM_FIELD_EXTERNAL_ID_AS("Record ID|Company ID|Account ID|Organization ID"),
    {"name", CRM_T_TEXT,
     CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_MATCH | CRM_FF_BRIEF, NULL, NULL,
     crm_norm_company,
     .names = "Company|Company Name|Account Name|Account|Organization|"
	      "Organisation|Organization Name|公司|公司名称|客户名称|客户|"
	      "企业名称"},
    {"name_key", CRM_T_TEXT, CRM_FF_HIDDEN},
    {"domain", CRM_T_TEXT, CRM_FF_KEY | CRM_FF_BRIEF,
     .names = "Website|Web Site|Company Domain Name|Domain Name|URL|"
	      "Web|网址|公司网址|官网|网站"},
    {"industry", CRM_T_TEXT, CRM_FF_BRIEF, .names = "行业"},
    {"employees", CRM_T_INT, 0,
     .names = "Number of Employees|No. of Employees|Employee Count|"
	      "Headcount|Staff|员工人数|人员规模|员工数"},
    {"annual_revenue", CRM_T_MONEY, 0, NULL, "currency",
     .names = "Revenue|年营业额|年收入|营业额"},
    {"currency", CRM_T_TEXT, 0, .names = "Currency Code|币种|货币"},
    {"region", CRM_T_TEXT, 0,
     .names = "State|Province|State/Province|State/Region|"
	      "Billing State|Billing State/Province|省|省份|地区"},
    {"country", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Country/Region|Billing Country|国家|国家/地区"},
    {"parent_id", CRM_T_REF, CRM_FF_BRIEF, NULL, "company"},
    {"owner", CRM_T_TEXT, CRM_FF_BRIEF,
     .names = "Company Owner|Account Owner|Organization Owner|"
	      "Owner Name|负责人|所有人"},
    {"tags", CRM_T_TAGS, 0},
    CRM_FIELD_LAST_ACTIVITY_AT,
    /* the customer tier crm-company tier computes (lib/domain/tier.c) */
    {"tier", CRM_T_TEXT, CRM_FF_READONLY},
    CRM_FIELDS_CREATED_UPDATED,
};

/* -- roll-ups: one line per table counted per company ------------------ */

static const struct crm_company_rollup rollups[] = {
    {"contacts", "contacts", "company_id", NULL},
    {"open_deals", "deals", "company_id,status", "status = 'open'"},
    {"open_tickets", "tickets", "company_id,status",
     "status NOT IN ('solved', 'closed')"},
};

long crm_company_rollups(struct crm_db *db,
			 const struct crm_company_rollup ***out,
			 struct crm_err *err)
{
	size_t n = sizeof(rollups) / sizeof(rollups[0]);
	long k = 0;

	*out = crm_xcalloc(n, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		struct crm_strv cols = {0};
		int ok = 1;

		crm_strv_split(&cols, rollups[i].needs, ',');
		for (size_t c = 0; ok == 1 && c < cols.n; c++)
			ok = crm_table_has_column(db, rollups[i].table,
						  cols.v[c], err);
		crm_strv_release(&cols);
		if (ok < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
		if (ok)
			(*out)[k++] = &rollups[i];
	}
	return k;
}

/* "SELECT what FROM r's table WHERE cond AND (r's condition) tail": fixed
 * text from the table above */
static void rollup_sql(const struct crm_company_rollup *r, const char *what,
		       const char *cond, const char *tail, struct crm_buf *sql)
{
	crm_buf_addf(sql, "SELECT %s FROM %s WHERE %s%s%s%s%s", what, r->table,
		     cond, r->where ? " AND (" : "", r->where ? r->where : "",
		     r->where ? ")" : "", tail);
}

int64_t crm_company_rollup_count(struct crm_db *db,
				 const struct crm_company_rollup *r, int64_t id,
				 struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	int64_t n;

	rollup_sql(r, "count(*)", "company_id = ?", "", &sql);
	st = crm_db_stmt(db, sql.s, err);
	crm_buf_release(&sql);
	if (!st)
		return -1;
	crm_stmt_bindf(st, "i", id);
	n = crm_stmt_step(st, err); /* count(*): a row */
	if (n > 0)
		n = crm_stmt_int(st, 0);
	crm_stmt_finalize(st);
	return n;
}

/* -- hierarchy --------------------------------------------------------- */

int crm_company_cycle(int64_t self, int64_t parent,
		      int64_t (*parent_of)(int64_t id, void *arg), void *arg,
		      long max_depth)
{
	for (long d = 0; parent; d++) {
		if (parent == self || d > max_depth)
			return 1;
		parent = parent_of(parent, arg);
		if (parent < 0)
			return -1;
	}
	return 0;
}

#define PARENT_OF "SELECT parent_id FROM companies WHERE id = ?"

int64_t crm_company_root(struct crm_db *db, int64_t id, struct crm_err *err)
{
	struct crm_hier_up pc = {db, PARENT_OF, err};

	for (long d = 0; d < 100000; d++) {
		int64_t p = crm_hier_parent_of(id, &pc);

		if (p < 0)
			return -1;
		if (!p)
			return id;
		id = p;
	}
	return id;
}

static int company_exists(struct crm_db *db, int64_t id, struct crm_err *err)
{
	return crm_dbq_step(db, err, NULL,
			    "SELECT 1 FROM companies WHERE id = ?", "i", id);
}

/* "https://www.Acme.com/about" -> "acme.com". */
static int norm_domain(const char *in, struct crm_buf *out)
{
	const char *p = crm_norm_url_host(in), *end;

	crm_buf_reset(out);
	end = p + strcspn(p, "/?#");
	while (end > p && end[-1] == '.')
		end--;
	for (const char *c = p; c < end; c++) {
		unsigned char u = (unsigned char)*c;
		if (!(isalnum(u) || u == '-' || u == '.' || u >= 0x80))
			return -1;
		crm_buf_addc(out, (char)tolower(u));
	}
	return out->len && strchr(out->s, '.') ? 0 : -1;
}

static int parent_ok(struct crm_db *db, int64_t self, int64_t parent,
		     struct crm_err *err);

static int company_prepare(struct crm_db *db, const struct crm_entity *e,
			   struct crm_row *row, const struct crm_row *old,
			   void *arg, struct crm_err *err)
{
	long df = crm_entity_field(e, "domain"),
	     pf = crm_entity_field(e, "parent_id");
	json_t *pj = json_object_get(row->custom, "parent");
	struct crm_buf b = {0};
	int64_t self = crm_row_id(row);

	(void)arg;
	if (row->v[df] && row->touched[df]) {
		if (norm_domain(row->v[df], &b) < 0) {
			snprintf(err->field, sizeof(err->field), "domain");
			crm_err_set(err, CRM_EX_DATAERR, "invalid domain '%s'",
				    row->v[df]);
			crm_buf_release(&b);
			return -1;
		}
		crm_row_set(row, "domain", b.s);
	}
	crm_buf_release(&b);
	/* "parent" names the parent by id, external id, name or domain */
	if (pj && crm_entity_set_parent(db, e, row, pf, pj, "company", err) < 0)
		return -1;
	if (!row->v[pf] || (old && !row->touched[pf]))
		return 0;
	return parent_ok(db, self, strtoll(row->v[pf], NULL, 10), err);
}

/* A parent must exist and be no descendant of self. */
static int parent_ok(struct crm_db *db, int64_t self, int64_t parent,
		     struct crm_err *err)
{
	return crm_hier_parent_ok(db, "company",
				  "SELECT 1 FROM companies WHERE id = ?",
				  PARENT_OF, self, parent, err);
}

static int company_check(struct crm_db *db, const struct crm_entity *e,
			 const struct crm_row *row, struct crm_err *err)
{
	const char *p = crm_row_get(row, "parent_id");

	(void)e;
	return p ? parent_ok(db, crm_row_id(row), strtoll(p, NULL, 10), err)
		 : 0;
}

/* Input columns the hooks read that are no field. */
static const char *const company_inputs[] = {"parent", NULL};

/* Other names of the input columns on import (lib/entity/import_map.h). */
static const struct crm_alias company_aliases[] = {
    {"parent", "Parent Company|Parent Account|Parent Organization|"
	       "上级公司|母公司|上级客户"},
    {CRM_ALIASES_COMMON},
    {0},
};

const struct crm_entity crm_company_entity = {
    .name = "company",
    .plural = "companies",
    .table = "companies",
    CRM_FIELDS(company_fields),
    .keys = "id,external_id,name",
    .prepare = company_prepare,
    .check = company_check,
    .inputs = company_inputs,
    .aliases = company_aliases,
};

/* -- contacts to companies --------------------------------------------- */

bool crm_company_free_mail(const char *domain)
{
	static const char *const free_mail[] = {
	    "126.com",	   "163.com",	     "aol.com",	    "fastmail.com",
	    "gmail.com",   "googlemail.com", "gmx.de",	    "gmx.net",
	    "hey.com",	   "hotmail.com",    "icloud.com",  "live.com",
	    "mac.com",	   "mail.ru",	     "me.com",	    "msn.com",
	    "outlook.com", "pm.me",	     "proton.me",   "protonmail.com",
	    "qq.com",	   "web.de",	     "yahoo.co.uk", "yahoo.com",
	    "yandex.ru",   "zoho.com",	     NULL,
	};
	for (size_t i = 0; free_mail[i]; i++)
		if (!strcmp(domain, free_mail[i]))
			return true;
	return false;
}

/* During a bulk contact import (and only then: the import's transaction
 * holds the write lock, so no one else creates or deletes companies) the
 * answers of the two lookups below are remembered, absent ones too (0):
 * an import names the same few companies and domains again and again. */
enum { MEMO = 4096 };
struct memo {
	char *k;
	int64_t v;
};
static struct memo memo_name[MEMO], memo_domain[MEMO];
static bool memo_on;

static void memo_clear(struct memo *m)
{
	for (size_t i = 0; i < MEMO; i++) {
		free(m[i].k);
		m[i].k = NULL;
	}
}

void crm_company_link_batch(bool on)
{
	memo_clear(memo_name);
	memo_clear(memo_domain);
	memo_on = on;
}

static struct memo *memo_slot(struct memo *m, const char *k)
{
	return &m[crm_hash64(k, strlen(k)) & (MEMO - 1)];
}

static bool memo_get(struct memo *m, const char *k, int64_t *v)
{
	struct memo *e = memo_slot(m, k);

	if (!memo_on || !e->k || strcmp(e->k, k))
		return false;
	*v = e->v;
	return true;
}

static void memo_put(struct memo *m, const char *k, int64_t v)
{
	struct memo *e = memo_slot(m, k);

	if (!memo_on || v < 0)
		return;
	free(e->k);
	e->k = crm_xstrdup(k);
	e->v = v;
}

static void memo_forget(struct memo *m, const char *k)
{
	struct memo *e = memo_slot(m, k);

	if (e->k && !strcmp(e->k, k)) {
		free(e->k);
		e->k = NULL;
	}
}

static int64_t by_domain(struct crm_db *db, const char *domain,
			 struct crm_err *err)
{
	int64_t id;

	if (!domain || crm_company_free_mail(domain))
		return 0;
	if (memo_get(memo_domain, domain, &id))
		return id;
	id = crm_db_int(db,
			"SELECT id FROM companies WHERE domain = ? "
			"ORDER BY id LIMIT 1",
			domain, NULL, err);
	memo_put(memo_domain, domain, id);
	return id;
}

static int64_t create_company(struct crm_db *db, const char *name,
			      const char *key, const char *domain,
			      struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t id = 0;

	if (crm_dbq_step(
		db, err, &id,
		"INSERT INTO companies (name, name_key, domain, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
		"ssss", name, key,
		domain && !crm_company_free_mail(domain) ? domain : NULL,
		crm_datetime_format(db->now, now)) < 0)
		return crm_err_what(err, "cannot create company");
	return id;
}

/* crm_norm_company is costly (many suffix tables) and an import repeats
 * the same few company names: remember the last keys, by name. */
static void company_key(const char *name, struct crm_buf *key)
{
	static struct {
		char *name, *key;
	} memo[256];
	size_t len = strlen(name);
	uint64_t h = crm_hash64(name, len);
	size_t i = (size_t)(h & 255);

	if (memo[i].name && strcmp(memo[i].name, name) == 0) {
		crm_buf_adds(key, memo[i].key);
		return;
	}
	crm_norm_company(name, len, key);
	free(memo[i].name);
	free(memo[i].key);
	memo[i].name = crm_xstrdup(name);
	memo[i].key = crm_xstrdup(crm_buf_str(key));
}

int crm_company_link_contact(struct crm_db *db, struct crm_row *row,
			     const struct crm_row *old,
			     struct crm_hook_counts *counts,
			     struct crm_err *err)
{
	const struct crm_entity *e = row->e;
	long cf = crm_entity_field(e, "company");
	long idf = crm_entity_field(e, "company_id");
	long ef = crm_entity_field(e, "email");
	const char *name = row->v[cf], *email = row->v[ef];
	struct crm_buf domain = {0}, key = {0};
	int64_t id = 0;
	int rc = -1;
	char buf[32];

	if (row->v[idf] && (row->touched[idf] || !old)) {
		/* an id given: kept when it exists; else the name decides
		 * (an export imported into another database) */
		int ex =
		    company_exists(db, strtoll(row->v[idf], NULL, 10), err);
		if (ex < 0)
			goto out;
		if (ex) {
			rc = 0;
			goto out;
		}
		if (!name) {
			snprintf(err->field, sizeof(err->field), "company_id");
			crm_err_set(err, CRM_EX_DATAERR, "no company %s",
				    row->v[idf]);
			goto out;
		}
	} else if (old && !row->touched[cf] &&
		   !(row->touched[ef] && !row->v[idf])) {
		rc = 0; /* nothing that decides the link changed */
		goto out;
	}
	if (!name) {
		/* no company named: an existing company with the email's
		 * domain, never a new one */
		if (old && row->touched[cf] && !row->touched[idf]) {
			crm_row_set(row, "company_id", NULL);
			rc = 0;
			goto out;
		}
		if (email)
			crm_norm_email_domain(email, &domain);
		id = domain.len ? by_domain(db, domain.s, err) : 0;
	} else {
		company_key(name, &key);
		if (!memo_get(memo_name, key.s, &id)) {
			id = crm_db_int(db,
					"SELECT id FROM companies WHERE "
					"name_key = ? ORDER BY id LIMIT 1",
					key.s, NULL, err);
			memo_put(memo_name, key.s, id);
		}
		/* the domain only when the name finds none: most rows of
		 * a load name a company already seen */
		if (id == 0 && email)
			crm_norm_email_domain(email, &domain);
		if (id == 0 && domain.len)
			id = by_domain(db, domain.s, err);
		if (id == 0) {
			id = create_company(db, name, key.s,
					    domain.len ? domain.s : NULL, err);
			if (id > 0 && counts)
				counts->n[0]++;
			/* forget, not remember: with --reject this row may
			 * still be rolled back, company and all */
			memo_forget(memo_name, key.s);
			if (domain.len)
				memo_forget(memo_domain, domain.s);
		}
	}
	if (id < 0)
		goto out;
	crm_fmt_int(buf, id);
	free(row->v[idf]);
	row->v[idf] = id ? crm_xstrdup(buf) : NULL;
	rc = 0;
out:
	crm_buf_release(&domain);
	crm_buf_release(&key);
	return rc;
}

/* -- tree -------------------------------------------------------------- */

struct tree {
	struct crm_hier h;
	char **name; /* by row */
	size_t len, cap;
	uint64_t *own, *total; /* by node: h.len * nroll */
	size_t nroll;
};

/* crm_hier_load: one company into the tree; its key is name_key */
static char *tree_add(struct crm_stmt *st, void *arg)
{
	struct tree *t = arg;
	const char *k = crm_stmt_text(st, 3);

	t->name = crm_xgrow(t->name, &t->cap, t->len + 1, sizeof(*t->name));
	t->name[t->len++] = crm_xstrdup(crm_stmt_text(st, 2));
	return crm_xstrdup(k ? k : "");
}

static int count_rollups(struct crm_db *db, struct tree *t,
			 const struct crm_company_rollup *const *r, size_t nr,
			 struct crm_err *err)
{
	t->nroll = nr;
	t->own = crm_xcalloc(t->h.len * nr + 1, sizeof(*t->own));
	t->total = crm_xcalloc(t->h.len * nr + 1, sizeof(*t->total));
	for (size_t k = 0; k < nr; k++) {
		struct crm_buf sql = {0};
		struct crm_stmt *st;
		int rc;

		rollup_sql(r[k], "company_id, count(*)",
			   "company_id IS NOT NULL", " GROUP BY company_id",
			   &sql);
		st = crm_db_stmt(db, sql.s, err);
		crm_buf_release(&sql);
		if (!st)
			return -1;
		while ((rc = crm_stmt_step(st, err)) > 0) {
			long i = crm_hier_find(&t->h, crm_stmt_int(st, 0));
			if (i >= 0)
				t->own[(size_t)i * nr + k] =
				    (uint64_t)crm_stmt_int(st, 1);
		}
		crm_stmt_finalize(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Totals bottom up: each node, after all below it, into its parent. */
static void sum_totals(struct tree *t)
{
	size_t n, nr = t->nroll, *order = crm_hier_down(&t->h, &n);

	memcpy(t->total, t->own, t->h.len * nr * sizeof(*t->own));
	while (n--) {
		size_t i = order[n];
		long p = t->h.n[i].parent
			     ? crm_hier_find(&t->h, t->h.n[i].parent)
			     : -1;
		for (size_t k = 0; p >= 0 && k < nr; k++)
			t->total[(size_t)p * nr + k] += t->total[i * nr + k];
	}
	free(order);
}

struct tree_walk {
	struct tree *t;
	int (*fn)(const struct crm_tree_node *n, void *arg);
	void *arg;
};

static int tree_visit(const struct crm_hier_node *x, int64_t parent_id,
		      int depth, const char *path, void *arg)
{
	struct tree_walk *w = arg;
	size_t i = (size_t)(x - w->t->h.n);
	struct crm_tree_node tn = {
	    .id = x->id,
	    .parent_id = parent_id,
	    .name = w->t->name[x->row],
	    .depth = depth,
	    .path = path,
	    .own = w->t->own + i * w->t->nroll,
	    .total = w->t->total + i * w->t->nroll,
	};

	return w->fn(&tn, w->arg);
}

int crm_company_tree(struct crm_db *db, const int64_t *roots, size_t nroots,
		     const struct crm_company_rollup *const *r, size_t nr,
		     int (*fn)(const struct crm_tree_node *n, void *arg),
		     void *arg, struct crm_err *err)
{
	struct tree t = {0};
	struct tree_walk w = {&t, fn, arg};
	struct crm_stmt *st = crm_db_stmt(
	    db, "SELECT id, parent_id, name, name_key FROM companies", err);
	int rc = -1;

	if (!st)
		return -1;
	rc = crm_hier_load(&t.h, st, tree_add, &t, err);
	crm_stmt_finalize(st);
	if (rc < 0 || (rc = count_rollups(db, &t, r, nr, err)) < 0)
		goto out;
	sum_totals(&t);
	rc = crm_hier_walk(&t.h, roots, nroots, false, "company", tree_visit,
			   &w, err);
out:
	for (size_t i = 0; i < t.len; i++)
		free(t.name[i]);
	free(t.name);
	crm_hier_release(&t.h);
	free(t.own);
	free(t.total);
	return rc;
}
