/* entity.c - the generic entity engine: rows, field types, lookups and
 * queries. Writes (import, update, delete, undo) are in entity_write.c. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "entity.h"
#include "filter.h"
#include "money.h"
#include "normalize.h"

void crm_row_init(struct crm_row *row, const struct crm_entity *e)
{
	row->e = e;
	row->v = crm_xcalloc(e->nfields, sizeof(*row->v));
	row->touched = crm_xcalloc(e->nfields, sizeof(*row->touched));
	row->custom = json_object();
}

void crm_row_reset(struct crm_row *row)
{
	for (size_t i = 0; i < row->e->nfields; i++) {
		free(row->v[i]);
		row->v[i] = NULL;
		row->touched[i] = false;
	}
	json_object_clear(row->custom);
}

void crm_row_release(struct crm_row *row)
{
	if (!row->v)
		return;
	crm_row_reset(row);
	free(row->v);
	free(row->touched);
	json_decref(row->custom);
	row->v = NULL;
	row->touched = NULL;
	row->custom = NULL;
}

void crm_row_copy(struct crm_row *dst, const struct crm_row *src)
{
	crm_row_reset(dst);
	for (size_t i = 0; i < src->e->nfields; i++) {
		dst->v[i] = src->v[i] ? crm_xstrdup(src->v[i]) : NULL;
		dst->touched[i] = src->touched[i];
	}
	json_object_update(dst->custom, src->custom);
}

long crm_entity_field(const struct crm_entity *e, const char *name)
{
	/* the first byte rules out most fields before a call to strcmp;
	 * hooks look fields up by name for every record */
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].name[0] == name[0] &&
		    strcmp(e->fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

const char *crm_row_get(const struct crm_row *row, const char *name)
{
	long i = crm_entity_field(row->e, name);

	return i < 0 ? NULL : row->v[i];
}

int crm_row_set(struct crm_row *row, const char *name, const char *s)
{
	long i = crm_entity_field(row->e, name);

	if (i < 0)
		return -1;
	crm_row_set_at(row, i, s);
	return 0;
}

void crm_row_set_at(struct crm_row *row, long f, const char *s)
{
	free(row->v[f]);
	row->v[f] = s ? crm_xstrdup(s) : NULL;
}

int64_t crm_row_id(const struct crm_row *row)
{
	const char *id = row->v[0];

	return id ? strtoll(id, NULL, 10) : 0;
}

static int enum_index(const struct crm_field *f, const char *v)
{
	for (int i = 0; f->values[i]; i++)
		if (strcmp(f->values[i], v) == 0)
			return i;
	return -1;
}

/* "Closed Won", "closed-won" -> "closed_won". */
static void enum_fold(const char *in, struct crm_buf *out)
{
	crm_buf_reset(out);
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '-')
			crm_buf_addc(out, '_');
		else
			crm_buf_addc(out, (char)tolower(c));
	}
}

/* Tags: split at commas, trimmed, NFC, unique, sorted, joined by ",". */
static int parse_tags(const char *in, struct crm_buf *out, struct crm_err *err)
{
	struct crm_strv sv = {0};
	struct crm_buf t = {0};
	size_t n = 0;

	crm_strv_split(&sv, in, ',');
	for (size_t i = 0; i < sv.n; i++) {
		crm_buf_reset(&t);
		if (crm_norm_nfc(sv.v[i], strlen(sv.v[i]), &t) < 0) {
			crm_strv_release(&sv);
			return crm_err_set(err, CRM_EX_DATAERR,
					   "invalid UTF-8");
		}
		free(sv.v[i]);
		sv.v[i] = crm_buf_detach(&t);
	}
	if (sv.n)
		qsort(sv.v, sv.n, sizeof(*sv.v), crm_str_cmp);
	crm_buf_reset(out);
	for (size_t i = 0; i < sv.n; i++) {
		if (i && strcmp(sv.v[i], sv.v[i - 1]) == 0)
			continue;
		if (n++)
			crm_buf_addc(out, ',');
		crm_buf_adds(out, sv.v[i]);
	}
	crm_buf_release(&t);
	crm_strv_release(&sv);
	return 0;
}

const char *crm_phone_country(void)
{
	/* read once: imports ask for every phone, and getenv walks the
	 * whole environment */
	static const char *cc;
	static bool read;

	if (!read) {
		cc = getenv("CRM_PHONE_COUNTRY");
		if (cc && !*cc)
			cc = NULL;
		read = true;
	}
	return cc;
}

void crm_tags_edit(const char *tags, const struct crm_strv *add,
		   const struct crm_strv *rm, struct crm_buf *out)
{
	struct crm_strv have = {0};

	crm_strv_split(&have, tags, ',');
	for (size_t i = 0; add && i < add->n; i++)
		if (crm_strv_find(&have, add->v[i]) < 0)
			crm_strv_push(&have, add->v[i]);
	for (size_t i = 0; i < have.n; i++)
		if (!rm || crm_strv_find(rm, have.v[i]) < 0)
			crm_buf_addf(out, "%s%s", out->len ? "," : "",
				     have.v[i]);
	crm_strv_release(&have);
}

int crm_field_parse(const struct crm_field *f, const char *in,
		    const char *currency, struct crm_buf *out,
		    struct crm_err *err)
{
	int64_t n;
	crm_time t;
	char tb[CRM_TIME_LEN];
	char *end;
	double d;

	crm_buf_reset(out);
	switch (f->type) {
	case CRM_T_TEXT:
		if (crm_norm_nfc(in, strlen(in), out) < 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "invalid UTF-8");
		return 0;
	case CRM_T_INT:
	case CRM_T_REF:
		if (crm_parse_int(in, &n) < 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected an integer, got '%s'", in);
		if (f->type == CRM_T_REF && n <= 0)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a %s id, got '%s'", f->ref,
					   in);
		crm_buf_addf(out, "%lld", (long long)n);
		return 0;
	case CRM_T_REAL:
	case CRM_T_PERCENT:
		d = strtod(in, &end);
		if (!*in || *end || isspace((unsigned char)*in) || d != d)
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a number, got '%s'", in);
		if (f->type == CRM_T_PERCENT && (d < 0 || d > 100))
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected a percentage from 0 to "
					   "100, got '%s'",
					   in);
		crm_buf_addf(out, "%.15g", d);
		return 0;
	case CRM_T_MONEY:
		if (crm_money_parse(in, currency ? currency : "XXX", &n, err) <
		    0)
			return -1;
		crm_buf_addf(out, "%lld", (long long)n);
		return 0;
	case CRM_T_TIME:
		if (crm_datetime_parse(in, &t, err) < 0)
			return -1;
		crm_buf_adds(out, crm_datetime_format(t, tb));
		return 0;
	case CRM_T_DATE:
		if (crm_datetime_parse(in, &t, err) < 0)
			return -1;
		crm_buf_adds(out, crm_datetime_format_date(t, tb));
		return 0;
	case CRM_T_ENUM: {
		struct crm_buf fold = {0};
		int i;

		enum_fold(in, &fold);
		i = enum_index(f, crm_buf_str(&fold));
		crm_buf_release(&fold);
		if (i < 0) {
			struct crm_buf all = {0};
			for (int k = 0; f->values[k]; k++)
				crm_buf_addf(&all, "%s%s", k ? ", " : "",
					     f->values[k]);
			crm_err_set(err, CRM_EX_DATAERR,
				    "unknown value '%s' (expected one of: %s)",
				    in, crm_buf_str(&all));
			crm_buf_release(&all);
			return -1;
		}
		crm_buf_adds(out, f->values[i]);
		return 0;
	}
	case CRM_T_TAGS:
		return parse_tags(in, out, err);
	case CRM_T_EMAIL:
		return crm_norm_email(in, out, err);
	case CRM_T_PHONE: {
		struct crm_buf key = {0};
		int rc = crm_norm_phone(in, crm_phone_country(), &key, err);

		crm_buf_release(&key);
		if (rc < 0)
			return -1;
		/* kept as given, trimmed; the key column has the E.164 form */
		while (isspace((unsigned char)*in))
			in++;
		crm_buf_adds(out, in);
		while (out->len && isspace((unsigned char)out->s[out->len - 1]))
			out->s[--out->len] = '\0';
		return 0;
	}
	case CRM_T_BOOL:
		if (!strcasecmp(in, "true") || !strcmp(in, "1") ||
		    !strcasecmp(in, "yes"))
			crm_buf_adds(out, "1");
		else if (!strcasecmp(in, "false") || !strcmp(in, "0") ||
			 !strcasecmp(in, "no"))
			crm_buf_adds(out, "0");
		else
			return crm_err_set(err, CRM_EX_DATAERR,
					   "expected true or false, got '%s'",
					   in);
		return 0;
	}
	return crm_err_set(err, CRM_EX_SOFTWARE, "unknown field type");
}

void crm_entity_select_list(const struct crm_entity *e, struct crm_buf *sql)
{
	for (size_t i = 0; i < e->nfields; i++)
		crm_buf_addf(sql, "%s, ", e->fields[i].name);
	crm_buf_adds(sql, "custom");
}

void crm_entity_select_list_db(struct crm_db *db, const struct crm_entity *e,
			       struct crm_buf *sql)
{
	for (size_t i = 0; i < e->nfields; i++)
		if (crm_db_withheld_reader(db, e->table, e->fields[i].name))
			/* per record: the server's reader applies the rule */
			crm_buf_addf(sql, "crm_sens_%s_%s(id) AS %s, ",
				     e->table, e->fields[i].name,
				     e->fields[i].name);
		else if (crm_db_withheld(db, e->table, e->fields[i].name))
			crm_buf_addf(sql, "NULL AS %s, ", e->fields[i].name);
		else
			crm_buf_addf(sql, "%s, ", e->fields[i].name);
	crm_buf_adds(sql, "custom");
}

/* PostgreSQL's jsonb keeps no order (shorter names come first): there a
 * record's custom fields come in name order (on SQLite, in the order
 * they were first set). */
static void custom_by_name(json_t *dst, json_t *src)
{
	size_t n = json_object_size(src), i = 0;
	const char **k = crm_xcalloc(n + 1, sizeof(*k));
	const char *key;
	json_t *v;

	json_object_foreach(src, key, v) k[i++] = key;
	qsort(k, n, sizeof(*k), crm_str_cmp);
	for (i = 0; i < n; i++)
		json_object_set(dst, k[i], json_object_get(src, k[i]));
	free(k);
}

void crm_row_read(struct crm_row *row, struct crm_stmt *st)
{
	const struct crm_entity *e = row->e;
	const char *c;

	crm_row_reset(row);
	for (size_t i = 0; i < e->nfields; i++) {
		int k = (int)i;

		switch (crm_stmt_type(st, k)) {
		case CRM_COL_NULL:
			break;
		case CRM_COL_REAL:
			row->v[i] =
			    crm_xasprintf("%.15g", crm_stmt_double(st, k));
			break;
		default:
			row->v[i] = crm_xstrdup(crm_stmt_text(st, k));
		}
	}
	c = crm_stmt_text(st, (int)e->nfields);
	if (c && *c) {
		json_t *j = json_loads(c, JSON_DECODE_ANY, NULL);
		if (json_is_object(j) && crm_stmt_engine(st) == CRM_STORE_PG)
			custom_by_name(row->custom, j);
		else if (json_is_object(j))
			json_object_update(row->custom, j);
		json_decref(j);
	}
}

/* The text of e's "row by id" query, built once per process and kept to
 * its end: crm_db_cached keys statements by the text's address, and bulk
 * verbs load each row they change. */
static const char *get_sql(struct crm_db *db, const struct crm_entity *e)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static struct {
		const struct crm_entity *e;
		const struct crm_db *db; /* NULL: nothing withheld */
		char *sql;
	} * v;
	static size_t n, cap;
	const char *sql = NULL;
	const struct crm_db *key = NULL;

	/* a role with columns withheld reads them as NULL: its own text */
	for (size_t i = 0; i < e->nfields && !key; i++)
		if (crm_db_withheld(db, e->table, e->fields[i].name))
			key = db;

	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < n && !sql; i++)
		if (v[i].e == e && v[i].db == key)
			sql = v[i].sql;
	if (!sql) {
		struct crm_buf b = {0};

		crm_buf_adds(&b, "SELECT ");
		crm_entity_select_list_db(db, e, &b);
		crm_buf_addf(&b, " FROM %s WHERE id = ?", e->table);
		v = crm_xgrow(v, &cap, n + 1, sizeof(*v));
		v[n].e = e;
		v[n].db = key;
		sql = v[n++].sql = crm_buf_detach(&b);
	}
	pthread_mutex_unlock(&mu);
	return sql;
}

int crm_entity_get(struct crm_db *db, const struct crm_entity *e, int64_t id,
		   struct crm_row *row, struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(db, get_sql(db, e), err);
	int rc;

	if (!st)
		return -1;
	crm_stmt_bind_int(st, 1, id);
	rc = crm_stmt_step(st, err);
	if (rc > 0)
		crm_row_read(row, st);
	crm_stmt_reset(st);
	return rc;
}

/* Rows whose column col equals v: 1 exactly one (loaded into row), 0 none,
 * 2 several. */
static int find_by(struct crm_db *db, const struct crm_entity *e,
		   const char *col, const char *v, struct crm_row *row,
		   struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_stmt *st;
	int rc, n = 0;

	crm_buf_adds(&sql, "SELECT ");
	crm_entity_select_list_db(db, e, &sql);
	crm_buf_addf(&sql, " FROM %s WHERE %s = ? LIMIT 2", e->table, col);
	st = crm_entity_stmt(db, &sql, err);
	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, v);
	while ((rc = crm_stmt_step(st, err)) > 0)
		if (n++ == 0)
			crm_row_read(row, st);
	crm_stmt_finalize(st);
	if (rc < 0)
		return -1;
	return n;
}

/* key as a secondary identity (merged-away id, external_id, email,
 * phone): the survivor. */
static int find_secondary(struct crm_db *db, const struct crm_entity *e,
			  const char *key, struct crm_row *row,
			  struct crm_err *err)
{
	struct crm_buf v = {0}, k = {0};
	int64_t id;
	int rc = 0;

	if (crm_parse_int(key, &id) == 0 && id > 0)
		rc = crm_entity_find_identity(db, e, "id", key, row, err);
	if (!rc && crm_entity_field(e, "external_id") >= 0)
		rc = crm_entity_find_identity(db, e, "external_id", key, row,
					      err);
	for (size_t i = 0; !rc && i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		struct crm_err e2 = {0};

		if (!(f->flags & CRM_FF_MATCH) ||
		    (f->type != CRM_T_EMAIL && f->type != CRM_T_PHONE) ||
		    crm_field_parse(f, key, NULL, &v, &e2) < 0 ||
		    !crm_field_match_form(f, v.s, &k))
			continue;
		rc = crm_entity_find_identity(db, e, f->name, k.s, row, err);
	}
	crm_buf_release(&v);
	crm_buf_release(&k);
	return rc;
}

int crm_entity_find(struct crm_db *db, const struct crm_entity *e,
		    const char *key, struct crm_row *row, struct crm_err *err)
{
	int64_t id;
	int rc;

	if (crm_parse_int(key, &id) == 0 && id > 0) {
		rc = crm_entity_get(db, e, id, row, err);
		if (rc != 0)
			return rc;
	}
	if (crm_entity_field(e, "external_id") >= 0) {
		rc = find_by(db, e, "external_id", key, row, err);
		if (rc != 0)
			return rc < 0 ? -1 : 1;
	}
	for (size_t i = 0; i < e->nfields; i++) {
		const struct crm_field *f = &e->fields[i];
		struct crm_buf v = {0}, k = {0};
		struct crm_err e2 = {0};
		const char *col = f->name;

		if (!(f->flags & CRM_FF_KEY) || !strcmp(f->name, "id") ||
		    !strcmp(f->name, "external_id"))
			continue;
		if (crm_field_parse(f, key, NULL, &v, &e2) < 0) {
			crm_buf_release(&v);
			continue;
		}
		/* a matching field by its NAME_key column, in the form the
		 * engine stores there: a phone written any way finds it */
		if (f->flags & CRM_FF_MATCH) {
			if (!crm_field_match_form(f, v.s, &k)) {
				crm_buf_release(&v);
				crm_buf_release(&k);
				continue;
			}
			col = NULL;
		}
		if (col) {
			rc = find_by(db, e, col, v.s, row, err);
		} else {
			char *kc = crm_xasprintf("%s_key", f->name);
			rc = find_by(db, e, kc, k.s, row, err);
			free(kc);
		}
		crm_buf_release(&v);
		crm_buf_release(&k);
		if (rc == 2)
			return crm_err_set(
			    err, CRM_EX_DATAERR,
			    "'%s' matches several %s; use the id", key,
			    e->plural);
		if (rc != 0)
			return rc;
	}
	return find_secondary(db, e, key, row, err);
}

static void fill_id(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

int crm_entity_find_identity(struct crm_db *db, const struct crm_entity *e,
			     const char *field, const char *key,
			     struct crm_row *row, struct crm_err *err)
{
	/* newest first */
	int64_t *ids = NULL;
	size_t n = 0;
	int got = crm_dbq_rows(db, err, &ids, &n, sizeof(*ids), fill_id,
			       "SELECT record_id FROM crm_identities WHERE "
			       "entity = ? AND field = ? AND key = ? ORDER BY "
			       "id DESC LIMIT 8",
			       "sss", e->name, field, key);

	/* the newest merge first; a survivor deleted since finds nothing */
	for (size_t i = 0; i < n && got == 0; i++)
		got = crm_entity_get(db, e, ids[i], row, err);
	free(ids);
	return got;
}

void crm_entity_columns(const struct crm_entity *e, bool brief,
			struct crm_strv *cols)
{
	for (size_t i = 0; i < e->nfields; i++) {
		unsigned fl = e->fields[i].flags;
		if (fl & CRM_FF_HIDDEN)
			continue;
		if (brief && !(fl & CRM_FF_BRIEF))
			continue;
		crm_strv_push(cols, e->fields[i].name);
	}
}

int crm_entity_check_columns(struct crm_db *db, const struct crm_entity *e,
			     const struct crm_strv *cols, struct crm_err *err)
{
	for (size_t i = 0; i < cols->n; i++) {
		long k = crm_entity_field(e, cols->v[i]);
		int known;

		if (k >= 0 && !(e->fields[k].flags & CRM_FF_HIDDEN))
			continue;
		known = db ? crm_custom_known(db, e, cols->v[i], err) : 0;
		if (known < 0)
			return -1;
		if (!known)
			return crm_err_set(err, CRM_EX_USAGE,
					   "--fields: unknown %s field '%s'",
					   e->name, cols->v[i]);
	}
	return 0;
}

/* Append field f's stored value v in output form; currency is the
 * record's, for money. borrow: name and v stay unchanged until rec is
 * cleared (a statement's current row), so they need no copy. */
static void add_value(struct crm_rec *rec, const struct crm_field *f,
		      const char *name, const char *v, const char *currency,
		      bool borrow)
{
	char buf[32];
	enum crm_kind kind = CRM_STR;

	switch (v ? f->type : CRM_T_TEXT) {
	case CRM_T_INT:
	case CRM_T_REF:
	case CRM_T_REAL:
	case CRM_T_PERCENT:
		kind = CRM_RAW;
		break;
	case CRM_T_BOOL: /* static strings: borrowed either way */
		v = strcmp(v, "0") ? "true" : "false";
		kind = CRM_RAW;
		break;
	case CRM_T_MONEY:
		/* a number with the currency's minor digits: exact in JSON */
		crm_money_format(strtoll(v, NULL, 10),
				 currency ? currency : "XXX", buf);
		crm_rec_add(rec, name, strlen(name), buf, strlen(buf), CRM_RAW);
		return;
	default:
		break;
	}
	if (!v)
		kind = CRM_NULL;
	if (borrow)
		crm_rec_borrow(rec, name, v, v ? strlen(v) : 0, kind);
	else
		crm_rec_add(rec, name, strlen(name), v, v ? strlen(v) : 0,
			    kind);
}

static const char *row_currency(const struct crm_row *row,
				const struct crm_field *f)
{
	return f->type == CRM_T_MONEY && f->ref ? crm_row_get(row, f->ref)
						: NULL;
}

static void add_custom(struct crm_rec *rec, const char *name, json_t *j)
{
	char *s;

	if (!j || json_is_null(j)) {
		crm_rec_add(rec, name, strlen(name), NULL, 0, CRM_NULL);
	} else if (json_is_string(j)) {
		crm_rec_add(rec, name, strlen(name), json_string_value(j),
			    json_string_length(j), CRM_STR);
	} else {
		s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		crm_rec_add(rec, name, strlen(name), s, strlen(s), CRM_RAW);
		free(s);
	}
}

long *crm_entity_colmap(const struct crm_entity *e, const struct crm_strv *cols)
{
	long *idx = crm_xcalloc(cols->n, sizeof(*idx));

	for (size_t c = 0; c < cols->n; c++) {
		idx[c] = crm_entity_field(e, cols->v[c]);
		if (idx[c] >= 0 && e->fields[idx[c]].flags & CRM_FF_HIDDEN)
			idx[c] = -1;
	}
	return idx;
}

void crm_row_to_rec(const struct crm_row *row, const struct crm_strv *cols,
		    const long *idx, struct crm_rec *rec)
{
	const struct crm_entity *e = row->e;

	crm_rec_clear(rec);
	if (!cols) {
		const char *k;
		json_t *j;

		for (size_t i = 0; i < e->nfields; i++)
			if (!(e->fields[i].flags & CRM_FF_HIDDEN))
				add_value(rec, &e->fields[i], e->fields[i].name,
					  row->v[i],
					  row_currency(row, &e->fields[i]),
					  false);
		json_object_foreach(row->custom, k, j) add_custom(rec, k, j);
		return;
	}
	for (size_t c = 0; c < cols->n; c++) {
		long i = idx ? idx[c] : crm_entity_field(e, cols->v[c]);

		if (i >= 0 && !(e->fields[i].flags & CRM_FF_HIDDEN))
			add_value(rec, &e->fields[i], cols->v[c], row->v[i],
				  row_currency(row, &e->fields[i]), false);
		else
			add_custom(rec, cols->v[c],
				   json_object_get(row->custom, cols->v[c]));
	}
}

static int push_name(struct crm_stmt *st, void *names)
{
	crm_strv_push(names, crm_stmt_text(st, 0));
	return 0;
}

int crm_entity_custom_names(struct crm_db *db, const struct crm_entity *e,
			    struct crm_strv *names, struct crm_err *err)
{
	return crm_dbq_each(db, err, push_name, names,
			    "SELECT name FROM crm_custom_fields WHERE entity = "
			    "? ORDER BY name",
			    "s", e->name);
}

/* Prepare the SELECT of every stored column for q. */
static struct crm_stmt *query_stmt(struct crm_db *db,
				   const struct crm_entity *e,
				   const struct crm_query *q,
				   struct crm_err *err)
{
	struct crm_buf sql = {0}, ids = {0};
	struct crm_binds b = {0};
	struct crm_stmt *st = NULL;

	crm_buf_adds(&sql, "SELECT ");
	crm_entity_select_list_db(db, e, &sql);
	crm_buf_addf(&sql, " FROM %s WHERE 1 = 1", e->table);
	if (q->nids) {
		crm_store_id_list(db->store, &ids, q->ids, q->nids);
		crm_buf_adds(&sql, " AND ");
		crm_store_frag(db->store, &sql, CRM_SQL_IN_IDS, "id", "?");
		crm_binds_push(&b, ids.s, 't');
	}
	if (crm_filter_where(db, e, q->where, &sql, &b, err) < 0 ||
	    crm_filter_order(db, e, q->sort, &sql, &b, err) < 0)
		goto out;
	if (q->limit >= 0) {
		char n[32];
		snprintf(n, sizeof(n), "%lld", (long long)q->limit);
		crm_buf_adds(&sql, " LIMIT ?");
		crm_binds_push(&b, n, 'i');
	}
	st = crm_db_stmt(db, sql.s, err);
	if (st)
		crm_binds_bind(&b, st, 1);
	/* with no limit the caller reads every row: COPY on PostgreSQL */
	if (st && q->limit < 0)
		crm_stmt_bulk(st);
out:
	crm_binds_release(&b);
	crm_buf_release(&sql);
	crm_buf_release(&ids);
	return st;
}

int crm_entity_ids(struct crm_db *db, const struct crm_entity *e,
		   const struct crm_query *q, int64_t **ids, size_t *n,
		   struct crm_err *err)
{
	struct crm_stmt *st = query_stmt(db, e, q, err);
	int rc;

	if (!st)
		return -1;
	rc = crm_stmt_rows(st, err, ids, n, sizeof(**ids), fill_id);
	crm_stmt_finalize(st);
	return rc;
}

/* Step st (from query_stmt) calling fn for each row (fn returns 0 to go
 * on, 1 to stop, -1 on error), then finalize it: 0 or -1. */
static int each_row(struct crm_stmt *st, int (*fn)(struct crm_stmt *, void *),
		    void *arg, struct crm_err *err)
{
	int s, r = 0;

	while (!r && (s = crm_stmt_step(st, err)) > 0)
		r = fn(st, arg);
	crm_stmt_finalize(st);
	return r < 0 || (!r && s < 0) ? -1 : 0;
}

struct each_row {
	const struct crm_entity *e;
	struct crm_row row;
	int (*fn)(const struct crm_row *row, void *arg);
	/* crm_entity_each_rec: */
	const struct crm_strv *cols;
	long *idx;
	int *cur;
	bool custom;
	struct crm_rec rec;
	int (*rec_fn)(const struct crm_rec *rec, int64_t id, void *arg);
	void *arg;
};

static int each_one(struct crm_stmt *st, void *arg)
{
	struct each_row *c = arg;

	crm_row_read(&c->row, st);
	return c->fn(&c->row, c->arg);
}

int crm_entity_each(struct crm_db *db, const struct crm_entity *e,
		    const struct crm_query *q,
		    int (*fn)(const struct crm_row *row, void *arg), void *arg,
		    struct crm_err *err)
{
	struct crm_stmt *st = query_stmt(db, e, q, err);
	struct each_row c = {.e = e, .fn = fn, .arg = arg};
	int rc;

	if (!st)
		return -1;
	crm_row_init(&c.row, e);
	rc = each_row(st, each_one, &c, err);
	crm_row_release(&c.row);
	return rc;
}

struct rowset_load {
	const struct crm_entity *e;
	struct crm_rowset *rs;
};

static int rowset_row(struct crm_stmt *st, void *arg)
{
	struct rowset_load *l = arg;
	struct crm_rowset *rs = l->rs;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;

		rs->v = crm_xrealloc(rs->v, cap * sizeof(*rs->v));
		rs->taken = crm_xrealloc(rs->taken, cap * sizeof(*rs->taken));
		for (size_t i = rs->cap; i < cap; i++)
			crm_row_init(&rs->v[i], l->e);
		rs->cap = cap;
	}
	crm_row_read(&rs->v[rs->n], st);
	rs->taken[rs->n++] = false;
	return 0;
}

int crm_rowset_load(struct crm_db *db, const struct crm_entity *e,
		    const int64_t *ids, size_t n, struct crm_rowset *rs,
		    struct crm_err *err)
{
	struct crm_query q = {.limit = -1, .ids = ids, .nids = n};
	struct rowset_load l = {e, rs};
	struct crm_stmt *st;

	/* slots keep their room; a row of another entity is made anew */
	for (size_t i = 0; i < rs->cap; i++)
		if (rs->v[i].e != e) {
			crm_row_release(&rs->v[i]);
			crm_row_init(&rs->v[i], e);
		}
	rs->n = 0;
	if (!n)
		return 0;
	/* in id order: the query's when it names no sort */
	if (!(st = query_stmt(db, e, &q, err)) ||
	    each_row(st, rowset_row, &l, err) < 0)
		return -1;
	return 0;
}

static struct crm_row *rowset_at(const struct crm_rowset *rs, int64_t id,
				 size_t *at)
{
	size_t lo = 0, hi = rs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t m = crm_row_id(&rs->v[mid]);

		if (m == id) {
			*at = mid;
			return &rs->v[mid];
		}
		if (m < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct crm_row *crm_rowset_find(const struct crm_rowset *rs, int64_t id)
{
	size_t at;

	return rowset_at(rs, id, &at);
}

struct crm_row *crm_rowset_take(struct crm_rowset *rs, int64_t id)
{
	size_t at;
	struct crm_row *r = rowset_at(rs, id, &at);

	if (!r || rs->taken[at])
		return NULL;
	rs->taken[at] = true;
	return r;
}

void crm_rowset_release(struct crm_rowset *rs)
{
	for (size_t i = 0; i < rs->cap; i++)
		crm_row_release(&rs->v[i]);
	free(rs->v);
	free(rs->taken);
	memset(rs, 0, sizeof(*rs));
}

static int each_rec_one(struct crm_stmt *st, void *arg)
{
	struct each_row *c = arg;
	const struct crm_entity *e = c->e;
	json_t *cj = NULL;

	crm_rec_clear(&c->rec);
	if (c->custom) {
		const char *cs = crm_stmt_text(st, (int)e->nfields);
		cj = cs ? json_loads(cs, 0, NULL) : NULL;
	}
	for (size_t k = 0; k < c->cols->n; k++) {
		int i = (int)c->idx[k];
		char num[40];
		const char *v;

		if (i < 0) {
			add_custom(&c->rec, c->cols->v[k],
				   json_object_get(cj, c->cols->v[k]));
			continue;
		}
		if (crm_stmt_type(st, i) == CRM_COL_REAL) {
			snprintf(num, sizeof(num), "%.15g",
				 crm_stmt_double(st, i));
			v = num;
		} else {
			v = crm_stmt_text(st, i);
		}
		add_value(&c->rec, &e->fields[i], c->cols->v[k], v,
			  c->cur[k] >= 0 ? crm_stmt_text(st, c->cur[k]) : NULL,
			  v != num);
	}
	json_decref(cj);
	return c->rec_fn(&c->rec, crm_stmt_int(st, 0), c->arg);
}

int crm_entity_each_rec(struct crm_db *db, const struct crm_entity *e,
			const struct crm_query *q, const struct crm_strv *cols,
			int (*fn)(const struct crm_rec *rec, int64_t id,
				  void *arg),
			void *arg, struct crm_err *err)
{
	struct crm_stmt *st = query_stmt(db, e, q, err);
	struct each_row c = {.e = e,
			     .cols = cols,
			     .idx = crm_entity_colmap(e, cols),
			     .cur = crm_xcalloc(cols->n, sizeof(int)),
			     .rec_fn = fn,
			     .arg = arg};
	int rc = -1;

	if (st) {
		/* column of each money field's currency, -1 if none */
		for (size_t k = 0; k < cols->n; k++) {
			const struct crm_field *f =
			    c.idx[k] >= 0 ? &e->fields[c.idx[k]] : NULL;
			c.cur[k] = f && f->type == CRM_T_MONEY && f->ref
				       ? (int)crm_entity_field(e, f->ref)
				       : -1;
			c.custom |= c.idx[k] < 0;
		}
		crm_rec_init(&c.rec);
		rc = each_row(st, each_rec_one, &c, err);
		crm_rec_release(&c.rec);
	}
	free(c.idx);
	free(c.cur);
	return rc;
}

json_t *crm_row_to_json(const struct crm_row *row)
{
	json_t *o = json_object();

	for (size_t i = 0; i < row->e->nfields; i++)
		json_object_set_new(o, row->e->fields[i].name,
				    row->v[i] ? json_string(row->v[i])
					      : json_null());
	json_object_set(o, "custom", row->custom);
	return o;
}

int crm_entity_set_parent(struct crm_db *db, const struct crm_entity *e,
			  struct crm_row *row, size_t pf, json_t *pj,
			  const char *noun, struct crm_err *err)
{
	struct crm_row p;
	int rc;

	if (!json_is_string(pj)) {
		snprintf(err->field, sizeof(err->field), "parent");
		return crm_err_set(err, CRM_EX_DATAERR,
				   "expected a %s name or id", noun);
	}
	crm_row_init(&p, e);
	rc = crm_entity_find(db, e, json_string_value(pj), &p, err);
	if (rc == 0)
		crm_err_set(err, CRM_EX_DATAERR, "no %s '%s'", noun,
			    json_string_value(pj));
	if (rc <= 0) {
		snprintf(err->field, sizeof(err->field), "parent");
		crm_row_release(&p);
		return -1;
	}
	crm_row_set(row, "parent_id", p.v[0]);
	row->touched[pf] = true;
	crm_row_release(&p);
	json_object_del(row->custom, "parent");
	return 0;
}

int crm_entity_sqlf(struct crm_db *db, const char *sql, int64_t *v,
		    uint64_t *rows, const char *what, struct crm_err *err,
		    const char *fmt, ...)
{
	struct crm_stmt *st = crm_db_stmt(db, sql, err);
	va_list ap;
	int s;

	if (!st)
		return -1;
	va_start(ap, fmt);
	crm_stmt_vbindf(st, fmt, ap);
	va_end(ap);
	while ((s = crm_stmt_step(st, err)) > 0) {
		if (v) {
			*v = crm_stmt_int(st, 0);
			v = NULL;
		}
		if (rows)
			++*rows;
	}
	crm_stmt_finalize(st);
	if (s < 0)
		return what ? crm_err_what(err, what) : -1;
	return 0;
}

struct crm_stmt *crm_entity_stmt(struct crm_db *db, struct crm_buf *sql,
				 struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt(db, sql->s, err);

	crm_buf_release(sql);
	return st;
}
