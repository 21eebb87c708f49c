/* merge.c - merging duplicate records and undoing merges. See merge.h. */
#include <stdlib.h>
#include <string.h>

#include "merge.h"

#include "dbq.h"

/* Quote an SQL identifier that comes from the schema itself. */
static void ident(struct crm_buf *b, const char *s)
{
	crm_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			crm_buf_addc(b, '"');
		crm_buf_addc(b, *s);
	}
	crm_buf_addc(b, '"');
}

/* History tables that name a record by a plain integer (no foreign key,
 * no entity field): a merged-away record's history follows it. */
static const struct {
	const char *entity, *ref;
} history_refs[] = {
    {"lead", "lead_history\tlead_id"},
    {"deal", "deal_history\tdeal_id"},
};

static int push_referrer(const struct crm_entity *r, size_t field, void *arg)
{
	struct crm_strv *refs = arg;
	char *ref = crm_xasprintf("%s\t%s", r->table, r->fields[field].name);

	if (crm_strv_find(refs, ref) < 0)
		crm_strv_push(refs, ref);
	free(ref);
	return 0;
}

/* What refers to e's records, as "table\tcolumn": the foreign keys
 * (crm_db_references), the fields of every entity that refer to e (plain
 * integers in the schema, such as activities.lead_id) and e's history
 * table; in table and column order. */
static int references(struct crm_db *db, const struct crm_entity *e,
		      struct crm_strv *refs, struct crm_err *err)
{
	if (crm_db_references(db, e->table, refs, err) < 0)
		return -1;
	crm_entity_each_referrer(e, push_referrer, refs);
	for (size_t i = 0; i < sizeof(history_refs) / sizeof(*history_refs);
	     i++)
		if (!strcmp(history_refs[i].entity, e->name) &&
		    crm_strv_find(refs, history_refs[i].ref) < 0)
			crm_strv_push(refs, history_refs[i].ref);
	if (refs->n > 1)
		qsort(refs->v, refs->n, sizeof(*refs->v), crm_str_cmp);
	return 0;
}

/* "UPDATE tbl SET col = ? WHERE " where "col = ?" tail, into sql. */
static void update_sql(struct crm_buf *sql, const char *tbl, const char *col,
		       const char *where, const char *tail)
{
	crm_buf_reset(sql);
	crm_buf_adds(sql, "UPDATE ");
	ident(sql, tbl);
	crm_buf_adds(sql, " SET ");
	ident(sql, col);
	crm_buf_adds(sql, " = ? WHERE ");
	crm_buf_adds(sql, where);
	ident(sql, col);
	crm_buf_adds(sql, " = ?");
	crm_buf_adds(sql, tail);
}

/* Re-point the rows of ref ("table\tcolumn") from old to survivor, logging
 * each under merge. */
static int repoint(struct crm_db *db, const char *ref, int64_t merge,
		   int64_t old, int64_t survivor, struct crm_err *err)
{
	struct crm_buf sql = {0};
	char *tbl = crm_xstrdup(ref), *col = strchr(tbl, '\t');
	int rc;

	*col++ = '\0';
	crm_buf_adds(&sql, "INSERT INTO crm_merge_links (merge_id, tbl, col, "
			   "row_id, old_value) SELECT ?, ?, ?, id, ");
	ident(&sql, col);
	crm_buf_adds(&sql, " FROM ");
	ident(&sql, tbl);
	crm_buf_adds(&sql, " WHERE ");
	ident(&sql, col);
	crm_buf_adds(&sql, " = ?");
	rc = crm_entity_sqlf(db, sql.s, NULL, NULL, "cannot log links", err,
			     "issi", merge, tbl, col, old);
	if (rc == 0) {
		update_sql(&sql, tbl, col, "", "");
		rc = crm_entity_sqlf(db, sql.s, NULL, NULL,
				     "cannot re-point links", err, "ii",
				     survivor, old);
	}
	crm_buf_release(&sql);
	free(tbl);
	return rc;
}

static int enum_pos(const struct crm_field *f, const char *v)
{
	for (int i = 0; v && f->values && f->values[i]; i++)
		if (!strcmp(f->values[i], v))
			return i;
	return -1;
}

/* rows ordered newest update first (ties: the survivor, then by id) */
static const struct crm_row *const *order_rows;
static size_t order_survivor;

static int by_update(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *ux = crm_row_get(order_rows[x], "updated_at");
	const char *uy = crm_row_get(order_rows[y], "updated_at");
	int c = strcmp(uy ? uy : "", ux ? ux : "");

	if (c)
		return c;
	if (x == order_survivor || y == order_survivor)
		return x == order_survivor ? -1 : 1;
	return crm_row_id(order_rows[x]) < crm_row_id(order_rows[y]) ? -1 : 1;
}

/* rows[0..n) in survivorship order: newest update first. */
static size_t *survivorship_order(struct crm_row **rows, size_t n, size_t surv)
{
	size_t *ord = crm_xmalloc(n * sizeof(*ord));

	for (size_t k = 0; k < n; k++)
		ord[k] = k;
	order_rows = (const struct crm_row *const *)rows;
	order_survivor = surv;
	qsort(ord, n, sizeof(*ord), by_update);
	return ord;
}

/* Money goes with its currency: each money field and its currency field
 * come from the newest record that has an amount. Marks the fields set. */
static void survive_money(const struct crm_entity *e, struct crm_row **rows,
			  size_t n, const size_t *ord, struct crm_row *res,
			  bool *done)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		long c = f->ref ? crm_entity_field(e, f->ref) : -1;

		if (f->type != CRM_T_MONEY || c < 0 || done[c])
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct crm_row *r = rows[ord[k]];
			if (!r->v[i])
				continue;
			crm_row_set(res, f->name, r->v[i]);
			crm_row_set(res, f->ref, r->v[c]);
			done[i] = done[c] = true;
			break;
		}
	}
}

/* The surviving record from rows[0..n), rows[surv] being the oldest, ord
 * the survivorship order. */
static int survive(struct crm_db *db, const struct crm_entity *e,
		   struct crm_row **rows, size_t n, size_t surv,
		   const size_t *ord, struct crm_row *res, struct crm_err *err)
{
	struct crm_buf tags = {0}, out = {0};
	bool *done = crm_xcalloc(e->nfields, sizeof(*done));
	char now[CRM_TIME_LEN];
	int rc = -1;

	crm_row_copy(res, rows[surv]);
	survive_money(e, rows, n, ord, res, done);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];

		if (f->flags & (CRM_FF_SYSTEM | CRM_FF_HIDDEN) || done[i])
			continue;
		if (f->type == CRM_T_TIME && f->flags & CRM_FF_READONLY) {
			/* kept by crm (last_activity_at): the latest */
			size_t best = surv;
			for (size_t k = 0; k < n; k++)
				if (rows[k]->v[i] &&
				    (!rows[best]->v[i] ||
				     strcmp(rows[k]->v[i], rows[best]->v[i]) >
					 0))
					best = k;
			crm_row_set(res, f->name, rows[best]->v[i]);
			continue;
		}
		if (f->type == CRM_T_TAGS) {
			crm_buf_reset(&tags);
			for (size_t k = 0; k < n; k++)
				if (rows[k]->v[i]) {
					if (tags.len)
						crm_buf_addc(&tags, ',');
					crm_buf_adds(&tags, rows[k]->v[i]);
				}
			crm_buf_reset(&out);
			if (tags.len &&
			    crm_field_parse(f, tags.s, NULL, &out, err) < 0)
				goto out;
			crm_row_set(res, f->name, tags.len ? out.s : NULL);
			continue;
		}
		if (f->type == CRM_T_ENUM && (f->flags & CRM_FF_FORWARD)) {
			size_t best = surv;
			for (size_t k = 0; k < n; k++)
				if (enum_pos(f, rows[k]->v[i]) >
				    enum_pos(f, rows[best]->v[i]))
					best = k;
			crm_row_set(res, f->name, rows[best]->v[i]);
			continue;
		}
		/* the caller's own key stays the survivor's, when it has one */
		if (!strcmp(f->name, "external_id") && rows[surv]->v[i])
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct crm_row *r = rows[ord[k]];
			char *key;
			long ki;

			if (!r->v[i])
				continue;
			crm_row_set(res, f->name, r->v[i]);
			/* the matching form goes with its value */
			key = crm_xasprintf("%s_key", f->name);
			ki = crm_entity_field(e, key);
			if (ki >= 0 && (e->fields[ki].flags & CRM_FF_HIDDEN))
				crm_row_set(res, key, r->v[ki]);
			free(key);
			break;
		}
	}
	/* custom fields: the newest value of each */
	for (size_t k = n; k-- > 0;) {
		const char *name;
		json_t *v;
		json_object_foreach(rows[ord[k]]->custom, name, v)
		    json_object_set(res->custom, name, v);
	}
	crm_row_set(res, "updated_at", crm_datetime_format(db->now, now));
	rc = 0;
out:
	free(done);
	crm_buf_release(&tags);
	crm_buf_release(&out);
	return rc;
}

/* The parent of id by column col of e's table: 0 for none, -1 on error. */
static int64_t parent_of(struct crm_db *db, const struct crm_entity *e,
			 const char *col, int64_t id, struct crm_err *err)
{
	struct crm_buf sql = {0};
	int64_t p = 0;
	int s;

	crm_buf_adds(&sql, "SELECT ");
	ident(&sql, col);
	crm_buf_addf(&sql, " FROM %s WHERE id = ?", e->table);
	s = crm_entity_sqlf(db, sql.s, &p, NULL, NULL, err, "i", id);
	crm_buf_release(&sql);
	return s < 0 ? -1 : p;
}

/* A field referring to the entity itself (a company's parent_id) keeps the
 * hierarchy acyclic: the survivor takes the first value in survivorship
 * order that is none of the merged records and whose ancestors (links
 * already re-pointed) do not lead back to the survivor; else none. */
static int survive_self_refs(struct crm_db *db, const struct crm_entity *e,
			     struct crm_row **rows, size_t n, const size_t *ord,
			     const int64_t *ids, struct crm_row *res,
			     struct crm_err *err)
{
	int64_t self = crm_row_id(res);

	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		const char *keep = NULL;

		if (f->type != CRM_T_REF || !f->ref || strcmp(f->ref, e->name))
			continue;
		for (size_t k = 0; k < n && !keep; k++) {
			const char *v = rows[ord[k]]->v[i];
			int64_t p = v ? strtoll(v, NULL, 10) : 0;
			bool merged = false;
			long depth = 0;

			for (size_t j = 0; j < n; j++)
				merged |= p == ids[j];
			if (!p || merged)
				continue;
			while (p > 0 && p != self && depth++ < 100000)
				p = parent_of(db, e, f->name, p, err);
			if (p < 0)
				return -1;
			if (!p)
				keep = v;
		}
		crm_row_set(res, f->name, keep);
	}
	return 0;
}

/* before-image row; after: what it becomes (NULL for a delete) */
static int audit(struct crm_db *db, const struct crm_entity *e,
		 const struct crm_row *row, const struct crm_row *after,
		 const char *action, struct crm_err *err)
{
	json_t *j = crm_row_to_json(row);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	char *a = after ? crm_row_diff(row, after) : NULL;
	int rc = crm_db_audit(db, e->name, crm_row_id(row), action, s, a, err);

	free(s);
	free(a);
	json_decref(j);
	return rc;
}

/* The key of field i of row as crm_identities holds it: the matching form
 * (NAME_key) of an email or phone, the id or external_id as it is; NULL
 * for none or a field that is no identity. */
static const char *identity_key(const struct crm_row *row, size_t i)
{
	const struct crm_entity *e = row->e;
	const struct crm_field *f = &e->fields[i];
	char *kn;
	long k;

	if (!strcmp(f->name, "id") || !strcmp(f->name, "external_id"))
		return row->v[i];
	if (!(f->flags & CRM_FF_MATCH) ||
	    (f->type != CRM_T_EMAIL && f->type != CRM_T_PHONE))
		return NULL;
	kn = crm_xasprintf("%s_key", f->name);
	k = crm_entity_field(e, kn);
	free(kn);
	return k >= 0 ? row->v[k] : NULL;
}

/* Secondary identities: every id, external_id, email and phone of the
 * merged records that the result does not hold finds the survivor from
 * now on; those the merged-away records had already move to it too
 * (logged, for the undo). */
static int keep_identities(struct crm_db *db, const struct crm_entity *e,
			   struct crm_row **rows, size_t n, size_t surv,
			   const struct crm_row *result, int64_t merge,
			   struct crm_err *err)
{
	int64_t sid = crm_row_id(result);

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < e->nfields; i++) {
			const char *key = identity_key(rows[k], i);
			const char *now = identity_key(result, i);

			if (!key || (now && !strcmp(key, now)))
				continue;
			if (crm_dbq_run(
				db, err,
				"INSERT INTO crm_identities (entity, field, "
				"key, record_id, merge_id) SELECT ?1, ?2, ?3, "
				"?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM "
				"crm_identities WHERE entity = ?1 AND field = "
				"?2 AND key = ?3 AND record_id = ?4)",
				"sssii", e->name, e->fields[i].name, key, sid,
				merge) < 0)
				return crm_err_what(err,
						    "cannot keep identities");
		}
	for (size_t k = 0; k < n; k++) {
		if (k == surv)
			continue;
		if (crm_dbq_run(db, err,
				"INSERT INTO crm_merge_links (merge_id, tbl, "
				"col, row_id, old_value) SELECT ?1, "
				"'crm_identities', 'record_id', id, record_id "
				"FROM crm_identities WHERE entity = ?2 AND "
				"record_id = ?3",
				"isi", merge, e->name,
				crm_row_id(rows[k])) < 0 ||
		    crm_dbq_run(db, err,
				"UPDATE crm_identities SET record_id = ?1 "
				"WHERE entity = ?2 AND record_id = ?3",
				"isi", sid, e->name, crm_row_id(rows[k])) < 0)
			return crm_err_what(err, "cannot keep identities");
	}
	return 0;
}

int crm_merge_records(struct crm_db *db, const struct crm_entity *e,
		      const int64_t *ids, size_t n, struct crm_row *result,
		      int64_t *merge, struct crm_err *err)
{
	struct crm_row **rows = crm_xcalloc(n, sizeof(*rows));
	size_t *ord = NULL;
	struct crm_strv refs = {0};
	struct crm_buf merged = {0}, sql = {0};
	size_t surv = 0;
	int rc = -1, s;

	for (size_t k = 0; k < n; k++) {
		rows[k] = crm_xmalloc(sizeof(**rows));
		crm_row_init(rows[k], e);
		s = crm_entity_get(db, e, ids[k], rows[k], err);
		if (s < 0)
			goto out;
		if (!s) {
			crm_err_set(err, CRM_EX_NOINPUT, "no %s %lld", e->name,
				    (long long)ids[k]);
			goto out;
		}
	}
	for (size_t k = 1; k < n; k++) {
		const char *a = crm_row_get(rows[k], "created_at");
		const char *b = crm_row_get(rows[surv], "created_at");
		int c = strcmp(a ? a : "", b ? b : "");
		if (c < 0 ||
		    (!c && crm_row_id(rows[k]) < crm_row_id(rows[surv])))
			surv = k;
	}
	ord = survivorship_order(rows, n, surv);
	if (survive(db, e, rows, n, surv, ord, result, err) < 0)
		goto out;
	for (size_t k = 0; k < n; k++)
		if (k != surv)
			crm_buf_addf(&merged, "%s%lld", merged.len ? "," : "",
				     (long long)crm_row_id(rows[k]));
	if (crm_db_change(db, "merge", e->name, err) < 0)
		goto out;
	/* the merge number: on PostgreSQL the next one under the writer
	 * lock (crm_db_change) */
	s = crm_dbq_step(
	    db, err, merge,
	    crm_store_engine(db->store) == CRM_STORE_PG
		? "INSERT INTO crm_merges (id, change_id, entity, survivor, "
		  "merged, at, result_updated_at) VALUES ((SELECT "
		  "coalesce(max(id), 0) + 1 FROM crm_merges), ?, ?, ?, ?, ?, "
		  "?) RETURNING id"
		: "INSERT INTO crm_merges (change_id, entity, survivor, "
		  "merged, at, result_updated_at) VALUES (?, ?, ?, ?, ?, ?) "
		  "RETURNING id",
	    "isisss", db->change, e->name, crm_row_id(rows[surv]), merged.s,
	    crm_row_get(result, "updated_at"),
	    crm_row_get(result, "updated_at"));
	if (s <= 0) {
		if (s == 0)
			crm_err_set(err, CRM_EX_SOFTWARE,
				    "cannot log the merge: no id");
		else
			crm_err_what(err, "cannot log the merge");
		goto out;
	}
	if (references(db, e, &refs, err) < 0)
		goto out;
	crm_buf_addf(&sql, "DELETE FROM %s WHERE id = ?", e->table);
	for (size_t k = 0; k < n; k++) {
		if (k == surv)
			continue;
		for (size_t r = 0; r < refs.n; r++)
			if (repoint(db, refs.v[r], *merge, crm_row_id(rows[k]),
				    crm_row_id(rows[surv]), err) < 0)
				goto out;
		if (audit(db, e, rows[k], NULL, "delete", err) < 0 ||
		    crm_entity_sqlf(db, sql.s, NULL, NULL,
				    "cannot re-point links", err, "i",
				    crm_row_id(rows[k])) < 0)
			goto out;
	}
	if (survive_self_refs(db, e, rows, n, ord, ids, result, err) < 0 ||
	    keep_identities(db, e, rows, n, surv, result, *merge, err) < 0 ||
	    audit(db, e, rows[surv], result, "update", err) < 0 ||
	    crm_entity_write_row(db, e, result, false, err) < 0)
		goto out;
	rc = 0;
out:
	free(ord);
	for (size_t k = 0; k < n; k++) {
		if (rows[k])
			crm_row_release(rows[k]);
		free(rows[k]);
	}
	free(rows);
	crm_strv_release(&refs);
	crm_buf_release(&merged);
	crm_buf_release(&sql);
	return rc;
}

struct restore {
	struct crm_db *db;
	const struct crm_entity *e;
	struct crm_strv refs;
	struct crm_buf sql;
	int64_t survivor;
	uint64_t *n;
	struct crm_err *err;
};

/* One logged link (tbl, col, row_id, old_value) back, see restore_links. */
static int restore_link(struct crm_stmt *st, void *arg)
{
	struct restore *r = arg;
	const char *tbl = crm_stmt_text(st, 0);
	const char *col = crm_stmt_text(st, 1);
	uint64_t *changed = strcmp(tbl, "crm_identities") ? r->n : NULL;
	char *ref = crm_xasprintf("%s\t%s", tbl, col);
	long known = crm_strv_find(&r->refs, ref);

	free(ref);
	if (known < 0)
		return crm_err_set(r->err, CRM_EX_DATAERR,
				   "cannot undo: %s.%s no longer refers to %s",
				   tbl, col, r->e->table);
	update_sql(&r->sql, tbl, col, "id = ? AND ", " RETURNING 1");
	return crm_entity_sqlf(
	    r->db, r->sql.s, NULL, changed, "cannot re-point links", r->err,
	    "iii", crm_stmt_int(st, 3), crm_stmt_int(st, 2), r->survivor);
}

/* Put the logged links of merge back where they still point to the
 * survivor (a row moved elsewhere since stays where it was put), checking
 * each (table, column) is still a foreign key to the entity's table (or
 * the survivor's secondary identities). *n: links put back. */
static int restore_links(struct crm_db *db, const struct crm_entity *e,
			 int64_t merge, int64_t survivor, uint64_t *n,
			 struct crm_err *err)
{
	struct restore r = {
	    .db = db, .e = e, .survivor = survivor, .n = n, .err = err};
	int rc = -1;

	*n = 0;
	if (references(db, e, &r.refs, err) == 0) {
		crm_strv_push(&r.refs, "crm_identities\trecord_id");
		rc = crm_dbq_each(db, err, restore_link, &r,
				  "SELECT tbl, col, row_id, old_value FROM "
				  "crm_merge_links WHERE merge_id = ? ORDER BY "
				  "id",
				  "i", merge);
	}
	crm_strv_release(&r.refs);
	crm_buf_release(&r.sql);
	return rc;
}

/* The ids of the merged-away records must still be free: an id can be
 * given again to a new record (SQLite reuses the highest). */
static int ids_free(struct crm_db *db, const struct crm_entity *e,
		    int64_t merge, const struct crm_strv *merged,
		    struct crm_err *err)
{
	struct crm_row row;
	int rc = 0;

	crm_row_init(&row, e);
	for (size_t k = 0; k < merged->n && !rc; k++) {
		int64_t id;
		int s;

		if (crm_parse_int(merged->v[k], &id) < 0) {
			rc = crm_err_set(err, CRM_EX_SOFTWARE,
					 "merge %lld: damaged log",
					 (long long)merge);
			break;
		}
		s = crm_entity_get(db, e, id, &row, err);
		if (s < 0)
			rc = -1;
		else if (s > 0)
			rc = crm_err_set(
			    err, CRM_EX_DATAERR,
			    "cannot undo merge %lld: %s %lld was merged away "
			    "and its id is now another %s's (created %s); "
			    "delete or renumber that one first",
			    (long long)merge, e->name, (long long)id, e->name,
			    crm_row_get(&row, "created_at")
				? crm_row_get(&row, "created_at")
				: "since");
	}
	crm_row_release(&row);
	return rc;
}

int crm_merge_undo(struct crm_db *db, int64_t merge, bool force, bool dry_run,
		   uint64_t *n, uint64_t *links, struct crm_err *err)
{
	struct crm_stmt *st = NULL;
	const struct crm_entity *e;
	struct crm_row row;
	struct crm_strv merged = {0};
	int64_t change, survivor;
	char *done_at = NULL, *result_at = NULL, now[CRM_TIME_LEN];
	int rc = -1, s;

	*n = *links = 0;
	if (crm_db_begin(db, err) < 0)
		return -1;
	st = crm_db_stmt(db,
			 "SELECT change_id, entity, survivor, "
			 "result_updated_at, undone_at, merged FROM "
			 "crm_merges WHERE id = ?",
			 err);
	if (!st)
		goto out;
	crm_stmt_bind_int(st, 1, merge);
	if ((s = crm_stmt_step(st, err)) <= 0) {
		if (s == 0)
			crm_err_set(err, CRM_EX_NOINPUT, "no merge %lld",
				    (long long)merge);
		goto out;
	}
	change = crm_stmt_int(st, 0);
	e = crm_entity_by_name(crm_stmt_text(st, 1));
	survivor = crm_stmt_int(st, 2);
	result_at = crm_xstrdup(crm_stmt_text(st, 3));
	if (crm_stmt_text(st, 4))
		done_at = crm_xstrdup(crm_stmt_text(st, 4));
	crm_strv_split(&merged, crm_stmt_text(st, 5), ',');
	crm_stmt_finalize(st);
	st = NULL;
	if (done_at) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "merge %lld was already undone at %s",
			    (long long)merge, done_at);
		goto out;
	}
	if (!e) {
		crm_err_set(err, CRM_EX_SOFTWARE,
			    "cannot undo merge %lld: "
			    "unknown entity",
			    (long long)merge);
		goto out;
	}
	crm_row_init(&row, e);
	s = crm_entity_get(db, e, survivor, &row, err);
	if (s == 0 && !force) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "%s %lld (the survivor) was deleted since merge "
			    "%lld (--force brings the merged records back "
			    "anyway)",
			    e->name, (long long)survivor, (long long)merge);
		s = -1;
	}
	if (s > 0 && !force &&
	    strcmp(crm_row_get(&row, "updated_at")
		       ? crm_row_get(&row, "updated_at")
		       : "",
		   result_at)) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "%s %lld changed since merge %lld (--force undoes "
			    "it anyway, losing that change)",
			    e->name, (long long)survivor, (long long)merge);
		s = -1;
	}
	crm_row_release(&row);
	if (s < 0 || ids_free(db, e, merge, &merged, err) < 0)
		goto out;
	/* links come back after the records they point to (a company whose
	 * parent was merged away): check foreign keys at commit */
	if (crm_db_defer_foreign_keys(db, err) < 0)
		goto out;
	if (crm_entity_revert(db, change, force, true, n, err) < 0) {
		if (err->code == CRM_EX_DATAERR) { /* a unique value taken */
			char *m = crm_xstrdup(err->msg);
			crm_err_set(err, CRM_EX_DATAERR,
				    "cannot undo merge %lld: %s",
				    (long long)merge, m);
			free(m);
		}
		goto out;
	}
	if (restore_links(db, e, merge, survivor, links, err) < 0 ||
	    crm_entity_sqlf(db, "DELETE FROM crm_identities WHERE merge_id = ?",
			    NULL, NULL, "cannot re-point links", err, "i",
			    merge) < 0 ||
	    crm_dbq_run(db, err,
			"UPDATE crm_merges SET undone_at = ? WHERE id = ?",
			"si", crm_datetime_format(db->now, now), merge) < 0)
		goto out;
	rc = crm_db_finish(db, dry_run, err);
out:
	crm_stmt_finalize(st);
	if (rc < 0)
		crm_db_rollback(db);
	free(done_at);
	free(result_at);
	crm_strv_release(&merged);
	return rc;
}
