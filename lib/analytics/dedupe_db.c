/* dedupe_db.c - duplicate detection over the records of an entity, and
 * the parsing of field lists. */
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "entity.h"

int crm_dedupe_parse_fields(const char *spec, struct crm_strv *names,
			    int **types, struct crm_err *err)
{
	struct crm_strv parts = {0};
	int rc = -1;

	crm_strv_split(&parts, spec, ',');
	*types = crm_xcalloc(parts.n ? parts.n : 1, sizeof(int));
	for (size_t i = 0; i < parts.n; i++) {
		char *name = parts.v[i], *colon = strrchr(name, ':');
		int t;

		if (colon) {
			*colon = '\0';
			t = crm_dd_type_parse(colon + 1);
			if (t < 0) {
				crm_err_set(err, CRM_EX_USAGE,
					    "--fields: unknown type '%s' (one "
					    "of first_name, last_name, name, "
					    "email, phone, date, postcode, "
					    "address, company, text, number, "
					    "ignore)",
					    colon + 1);
				goto out;
			}
		} else {
			t = crm_dd_type_guess(name);
			if (t == CRM_DD_IGNORE) {
				crm_err_set(err, CRM_EX_USAGE,
					    "--fields: cannot tell the type "
					    "of '%s': write %s:TYPE",
					    name, name);
				goto out;
			}
		}
		if (!*name) {
			crm_err_set(err, CRM_EX_USAGE,
				    "--fields: empty field name");
			goto out;
		}
		crm_strv_push(names, name);
		(*types)[i] = t;
	}
	if (!parts.n) {
		crm_err_set(err, CRM_EX_USAGE, "--fields: no field given");
		goto out;
	}
	rc = 0;
out:
	crm_strv_release(&parts);
	return rc;
}

/* The type an entity's field gets by default. */
static int field_type(const struct crm_entity *e, const struct crm_field *f)
{
	if (f->flags & (CRM_FF_HIDDEN | CRM_FF_SYSTEM))
		return CRM_DD_IGNORE;
	if (f->type == CRM_T_EMAIL)
		return CRM_DD_EMAIL;
	if (f->type == CRM_T_PHONE)
		return CRM_DD_PHONE;
	if (f->type != CRM_T_TEXT && f->type != CRM_T_DATE)
		return CRM_DD_IGNORE;
	if (!strcmp(f->name, "name") && !strcmp(e->name, "company"))
		return CRM_DD_COMPANY;
	return crm_dd_type_guess(f->name);
}

struct load {
	struct crm_dedupe_feed *fd;
	struct crm_strv *names;
	long *idx; /* field index per name, -1 for a custom field */
	int64_t *ids;
	size_t n, cap;
	const char **vals;
};

static int load_one(const struct crm_row *row, void *arg)
{
	struct load *l = arg;

	for (size_t f = 0; f < l->names->n; f++) {
		if (l->idx[f] >= 0) {
			l->vals[f] = row->v[l->idx[f]];
		} else {
			json_t *v =
			    json_object_get(row->custom, l->names->v[f]);
			l->vals[f] =
			    json_is_string(v) ? json_string_value(v) : NULL;
		}
	}
	if (crm_dedupe_feed_add(l->fd, row->v[0], l->vals, 0) < 0)
		return -1; /* crm_dedupe_feed_end says why */
	l->ids = crm_xgrow(l->ids, &l->cap, l->n + 1, sizeof(*l->ids));
	l->ids[l->n++] = crm_row_id(row);
	return 0;
}

struct crm_dedupe *crm_dedupe_load(struct crm_db *db,
				   const struct crm_entity *e,
				   const struct crm_strv *where,
				   const char *spec, unsigned threads,
				   int64_t **ids, struct crm_err *err)
{
	struct crm_strv names = {0};
	int *types = NULL;
	struct load l = {.names = &names};
	struct crm_dedupe *dd = NULL;
	struct crm_err ferr;
	long tag;
	int rc;
	struct crm_query q = {.where = where, .limit = -1};

	*ids = NULL;
	if (spec) {
		if (crm_dedupe_parse_fields(spec, &names, &types, err) < 0)
			goto fail;
		if (crm_entity_check_columns(db, e, &names, err) < 0)
			goto fail;
	} else {
		struct crm_strv custom = {0};

		if (crm_entity_custom_names(db, e, &custom, err) < 0)
			goto fail;
		types = crm_xcalloc(e->nfields + custom.n, sizeof(int));
		for (size_t i = 0; i < e->nfields; i++) {
			int t = field_type(e, &e->fields[i]);
			if (t == CRM_DD_IGNORE)
				continue;
			types[names.n] = t;
			crm_strv_push(&names, e->fields[i].name);
		}
		/* custom fields whose names say what they are (a company's
		 * phone), while there is room */
		for (size_t i = 0; i < custom.n; i++) {
			int t = crm_dd_type_guess(custom.v[i]);
			if (t == CRM_DD_IGNORE || names.n >= CRM_DD_MAXFIELDS)
				continue;
			types[names.n] = t;
			crm_strv_push(&names, custom.v[i]);
		}
		crm_strv_release(&custom);
	}
	dd = crm_dedupe_new((const char *const *)names.v, types, names.n, err);
	if (!dd)
		goto fail;
	l.idx = crm_xcalloc(names.n, sizeof(long));
	l.vals = crm_xcalloc(names.n, sizeof(char *));
	for (size_t f = 0; f < names.n; f++)
		l.idx[f] = crm_entity_field(e, names.v[f]);
	l.fd = crm_dedupe_feed_new(dd, threads);
	rc = crm_entity_each(db, e, &q, load_one, &l, err);
	/* a record that could not be added came before whatever stopped
	 * the query */
	crm_err_clear(&ferr);
	if (crm_dedupe_feed_end(l.fd, &ferr, &tag) < 0) {
		*err = ferr;
		rc = -1;
	}
	if (rc < 0) {
		crm_dedupe_free(dd);
		dd = NULL;
		free(l.ids);
		l.ids = NULL;
	}
	*ids = l.ids;
fail:
	free(l.idx);
	free(l.vals);
	free(types);
	crm_strv_release(&names);
	return dd;
}
