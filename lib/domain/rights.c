/* rights.c - territories, team pools, the row-level policies, the change
 * log's policy and sensitive fields (see rights.h). The policies are SQL
 * functions run with the caller's rights (SECURITY INVOKER: current_user
 * is the login), so a rep connecting with psql meets the same rules as
 * crm. Every identifier spliced into DDL is fixed text of this file or a
 * column name checked against its entity's fields. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datetime.h"
#include "entity.h"
#include "rights.h"

static const char *const territory_fields[] = {"region", "country", "industry",
					       NULL};

bool crm_territory_field_ok(const char *field)
{
	for (size_t i = 0; field && territory_fields[i]; i++)
		if (!strcmp(field, territory_fields[i]))
			return true;
	return false;
}

static int bad(struct crm_err *err, const char *field, int code,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(struct crm_err *err, const char *field, int code,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field);
	return -1;
}

static int64_t territory_count(struct crm_db *db, const char *team,
			       const char *field, const char *value,
			       struct crm_err *err)
{
	struct crm_stmt *st = crm_db_stmt_cached(
	    db,
	    "SELECT count(*) FROM crm_territories WHERE team = ? AND field = ? "
	    "AND lower(value) = lower(?)",
	    err);
	int64_t n;

	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, team);
	crm_stmt_bind_text(st, 2, field);
	crm_stmt_bind_text(st, 3, value);
	if (crm_stmt_step(st, err) != 1) {
		crm_stmt_reset(st);
		return -1;
	}
	n = crm_stmt_int(st, 0);
	crm_stmt_reset(st);
	return n;
}

int crm_territory_add(struct crm_db *db, const char *team, const char *field,
		      const char *value, struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	struct crm_stmt *st;
	int64_t n;

	if (!crm_territory_field_ok(field))
		return bad(err, "field", CRM_EX_DATAERR,
			   "'%s' is no territory field: region, country or "
			   "industry",
			   field ? field : "");
	if (!value || !*value)
		return bad(err, "value", CRM_EX_DATAERR,
			   "a territory needs a value");
	n = crm_db_int(db, "SELECT count(*) FROM crm_teams WHERE name = ?1",
		       team, NULL, err);
	if (n < 0)
		return -1;
	if (!n)
		return bad(err, "team", CRM_EX_DATAERR,
			   "no team '%s' (crm-user team add)", team);
	if ((n = territory_count(db, team, field, value, err)) < 0)
		return -1;
	if (n)
		return bad(err, "value", CRM_EX_DATAERR,
			   "team '%s' has that territory already", team);
	crm_datetime_format(db->now, now);
	st = crm_db_stmt_cached(db,
				"INSERT INTO crm_territories (team, field, "
				"value, created_at) VALUES (?, ?, ?, ?)",
				err);
	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, team);
	crm_stmt_bind_text(st, 2, field);
	crm_stmt_bind_text(st, 3, value);
	crm_stmt_bind_text(st, 4, now);
	return crm_stmt_step_as(st, "adding a territory", err) < 0 ? -1 : 0;
}

int crm_territory_rm(struct crm_db *db, const char *team, const char *field,
		     const char *value, struct crm_err *err)
{
	struct crm_stmt *st;
	int64_t n = territory_count(db, team, field, value, err);

	if (n < 0)
		return -1;
	if (!n)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "team '%s' has no territory %s = '%s'", team,
				   field ? field : "", value ? value : "");
	st =
	    crm_db_stmt_cached(db,
			       "DELETE FROM crm_territories WHERE team = ? AND "
			       "field = ? AND lower(value) = lower(?)",
			       err);
	if (!st)
		return -1;
	crm_stmt_bind_text(st, 1, team);
	crm_stmt_bind_text(st, 2, field);
	crm_stmt_bind_text(st, 3, value);
	return crm_stmt_step_as(st, "removing a territory", err) < 0 ? -1 : 0;
}

/* -- the policies (PostgreSQL) ------------------------------------------ */

static const char *const functions[] = {
    /* the teams whose records and pools the caller sees: their own
     * team, and for a manager every team below it; none when disabled */
    "CREATE OR REPLACE FUNCTION crm_my_teams() RETURNS SETOF text "
    "LANGUAGE sql STABLE AS $f$"
    " WITH RECURSIVE below(name) AS ("
    "  SELECT team FROM crm_users WHERE name = current_user::text"
    "  AND team IS NOT NULL AND status = 'active'"
    "  UNION SELECT t.name FROM crm_teams t JOIN below b"
    "  ON t.parent = b.name"
    "  WHERE pg_has_role(current_user, 'crm_manager', 'MEMBER'))"
    " SELECT name FROM below $f$",
    /* a record owned by who: nobody's (the common pool), the caller's,
     * a pool of one of the caller's teams ("@TEAM"), anything for an
     * admin, and for a manager the records of their teams' users */
    "CREATE OR REPLACE FUNCTION crm_sees(who text) RETURNS boolean "
    "LANGUAGE sql STABLE AS $f$"
    " SELECT who IS NULL OR who = '' OR who = current_user::text"
    " OR pg_has_role(current_user, 'crm_admin', 'MEMBER')"
    " OR (substr(who, 1, 1) = '@' AND substr(who, 2) IN"
    "  (SELECT crm_my_teams()))"
    " OR (pg_has_role(current_user, 'crm_manager', 'MEMBER') AND EXISTS ("
    "  SELECT 1 FROM crm_users u WHERE u.name = who"
    "  AND u.team IN (SELECT crm_my_teams())))"
    " $f$",
    /* a record whose region, country or industry a territory of the
     * caller's teams names */
    "CREATE OR REPLACE FUNCTION crm_in_territory(reg text, ctry text, "
    "ind text) RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT EXISTS (SELECT 1 FROM crm_territories t"
    "  WHERE t.team IN (SELECT crm_my_teams())"
    "  AND lower(t.value) = lower(CASE t.field WHEN 'region' THEN reg"
    "  WHEN 'country' THEN ctry WHEN 'industry' THEN ind END))"
    " $f$",
    /* a deal is in a territory through its company */
    "CREATE OR REPLACE FUNCTION crm_company_in_territory(cid bigint) "
    "RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT EXISTS (SELECT 1 FROM companies c WHERE c.id = cid"
    "  AND crm_in_territory(c.region, c.country, c.industry))"
    " $f$",
    /* the change log's values: readable as far as the record they
     * describe is (a deleted one: as far as its owner was), and not at
     * all when they hold a value of a field withheld from the caller */
    "CREATE OR REPLACE FUNCTION crm_audit_sees(ent text, rid bigint, "
    "act text, b text, aft text) RETURNS boolean LANGUAGE plpgsql STABLE "
    "AS $f$"
    " DECLARE tbl text; seen boolean;"
    " BEGIN"
    "  IF pg_has_role(current_user, 'crm_admin', 'MEMBER') THEN"
    "   RETURN true; END IF;"
    "  tbl := CASE ent WHEN 'contact' THEN 'contacts'"
    "   WHEN 'company' THEN 'companies' WHEN 'activity' THEN 'activities'"
    "   WHEN 'deal' THEN 'deals' WHEN 'lead' THEN 'leads'"
    "   WHEN 'ticket' THEN 'tickets' END;"
    "  IF tbl IS NULL THEN RETURN true; END IF;"
    /* a value of a field withheld from the caller hides the row */
    "  IF EXISTS (SELECT 1 FROM pg_attribute a"
    "   WHERE a.attrelid = CAST(tbl AS regclass) AND a.attnum > 0"
    "   AND NOT a.attisdropped"
    "   AND NOT has_column_privilege(a.attrelid, a.attnum, 'SELECT')"
    "   AND (CAST(b AS jsonb) ->> a.attname IS NOT NULL"
    "   OR CAST(aft AS jsonb) ->> a.attname IS NOT NULL)) THEN"
    "   RETURN false; END IF;"
    "  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1)',"
    "   tbl) INTO seen USING rid;"
    "  IF seen THEN RETURN true; END IF;"
    "  RETURN act = 'delete' AND b IS NOT NULL AND"
    "   crm_sees(coalesce(b::jsonb ->> 'owner', b::jsonb ->> 'assignee'));"
    " END $f$",
};

/* table, the policy's expression (USING and WITH CHECK unless check) */
static const struct {
	const char *table, *expr, *check;
} policies[] = {
    {"contacts", "crm_sees(owner) OR crm_in_territory(region, country, NULL)",
     NULL},
    {"companies",
     "crm_sees(owner) OR crm_in_territory(region, country, "
     "industry)",
     NULL},
    {"leads",
     "crm_sees(owner) OR crm_in_territory(region, country, "
     "industry)",
     NULL},
    {"deals", "crm_sees(owner) OR crm_company_in_territory(company_id)", NULL},
    {"activities", "crm_sees(owner)", NULL},
    {"tickets",
     "crm_sees(assignee) OR (team IS NOT NULL AND crm_sees('@' || team))",
     NULL},
    {"crm_audit", "crm_audit_sees(entity, record_id, action, before, after)",
     "EXISTS (SELECT 1 FROM crm_changes c WHERE c.id = change_id AND "
     "c.actor = current_user::text)"},
    {"lead_history", "EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id)",
     "actor = current_user::text AND EXISTS (SELECT 1 FROM leads l WHERE "
     "l.id = lead_id)"},
};

static const char *const groups[] = {"rep", "manager", "admin"};

/* The sensitive fields of policy: per entry, the column of its entity's
 * table withheld from the groups it does not name. */
static int sensitive(struct crm_db *db, const char *path, struct crm_err *err)
{
	json_t *root = NULL, *list, *v;
	size_t i;
	int rc = -1;

	if (crm_config_load(path, "policy ", NULL, "an object", &root, err) < 0)
		return -1;
	list = json_object_get(root, "sensitive");
	if (!json_is_array(list) || json_object_size(root) != 1) {
		crm_err_set(err, CRM_EX_CONFIG,
			    "%s: sensitive: expected the one key, a list",
			    path);
		goto out;
	}
	/* per table and group, the columns withheld */
	json_array_foreach(list, i, v)
	{
		const char *ent =
		    json_string_value(json_object_get(v, "entity"));
		const char *fld =
		    json_string_value(json_object_get(v, "field"));
		json_t *read = json_object_get(v, "read"), *r;
		const struct crm_entity *e =
		    ent ? crm_entity_by_name(ent) : NULL;
		long f = e && fld ? crm_entity_field(e, fld) : -1;
		size_t k;

		if (!e || f < 0 || !json_is_array(read) ||
		    json_object_size(v) != 3 || !strcmp(fld, "id") ||
		    e->fields[f].flags & (CRM_FF_HIDDEN | CRM_FF_SYSTEM)) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s: sensitive %zu: expected entity, a "
				    "stored field of it (not id or a time it "
				    "keeps) and read, a list of roles",
				    path, i + 1);
			goto out;
		}
		json_array_foreach(read, k, r)
		{
			const char *s = json_string_value(r);
			size_t g;

			for (g = 0; g < 3 && (!s || strcmp(s, groups[g])); g++)
				;
			if (g == 3) {
				crm_err_set(err, CRM_EX_CONFIG,
					    "%s: sensitive %zu: read: expected "
					    "rep, manager or admin",
					    path, i + 1);
				goto out;
			}
		}
	}
	for (size_t g = 0; g < 3; g++) {
		/* tables with a column withheld from group g */
		json_array_foreach(list, i, v)
		{
			const char *ent =
			    json_string_value(json_object_get(v, "entity"));
			const struct crm_entity *e = crm_entity_by_name(ent);
			struct crm_buf deny = {0};
			struct crm_stmt *st;
			size_t j;
			json_t *w, *r;
			bool first = true, mine = false;
			char *sql;
			int s;

			/* the first entry of its table does the table */
			json_array_foreach(list, j, w)
			{
				if (j == i)
					break;
				if (!strcmp(json_string_value(
						json_object_get(w, "entity")),
					    ent))
					first = false;
			}
			if (!first)
				continue;
			crm_buf_adds(&deny, "{");
			json_array_foreach(list, j, w)
			{
				size_t k;
				bool allowed = false;
				const char *fld;
				char *key;

				if (strcmp(json_string_value(
					       json_object_get(w, "entity")),
					   ent))
					continue;
				json_array_foreach(
				    json_object_get(w, "read"), k,
				    r) if (!strcmp(json_string_value(r),
						   groups[g])) allowed = true;
				if (allowed)
					continue;
				fld = json_string_value(
				    json_object_get(w, "field"));
				crm_buf_addf(&deny, "%s%s", mine ? "," : "",
					     fld);
				/* its match key (phone_key) gives it away */
				key = crm_xasprintf("%s_key", fld);
				if (crm_entity_field(e, key) >= 0)
					crm_buf_addf(&deny, ",%s", key);
				free(key);
				mine = true;
			}
			crm_buf_adds(&deny, "}");
			if (!mine) {
				crm_buf_release(&deny);
				continue;
			}
			st = crm_db_stmt(
			    db,
			    "SELECT string_agg(quote_ident(column_name), ', ' "
			    "ORDER BY ordinal_position) FROM "
			    "information_schema.columns WHERE table_schema = "
			    "current_schema() AND table_name = ?1 AND "
			    "column_name <> ALL (CAST(?2 AS text[]))",
			    err);
			if (!st) {
				crm_buf_release(&deny);
				goto out;
			}
			crm_stmt_bind_text(st, 1, e->table);
			crm_stmt_bind_text(st, 2, crm_buf_str(&deny));
			crm_buf_release(&deny);
			if ((s = crm_stmt_step(st, err)) != 1) {
				crm_stmt_finalize(st);
				if (s == 0)
					crm_err_set(err, CRM_EX_SOFTWARE,
						    "no columns of %s",
						    e->table);
				goto out;
			}
			/* table: fixed text of an entity; columns quoted by
			 * the server */
			sql = crm_xasprintf("REVOKE SELECT ON %s FROM crm_%s;"
					    "GRANT SELECT (%s) ON %s TO crm_%s",
					    e->table, groups[g],
					    crm_stmt_text(st, 0), e->table,
					    groups[g]);
			crm_stmt_finalize(st);
			s = crm_db_exec(db, sql, err);
			free(sql);
			if (s < 0)
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int crm_rights_setup(struct crm_db *db, const char *policy, struct crm_err *err)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (crm_db_exec(db, functions[i], err) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		/* fixed text from the table above, never input */
		char *sql = crm_xasprintf(
		    "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;"
		    "DROP POLICY IF EXISTS crm_rows ON %s;"
		    "CREATE POLICY crm_rows ON %s USING (%s) "
		    "WITH CHECK (%s)",
		    policies[i].table, policies[i].table, policies[i].table,
		    policies[i].expr,
		    policies[i].check ? policies[i].check : policies[i].expr);
		int rc = crm_db_exec(db, sql, err);

		free(sql);
		if (rc < 0)
			return -1;
	}
	/* the change log is written, not rewritten: a change set is its
	 * maker's (actor), readable by all (it holds no values); only an
	 * undo's marks change; audit rows belong to their maker's change
	 * set and only their after is filled in */
	if (crm_db_exec(
		db,
		"ALTER TABLE crm_changes ENABLE ROW LEVEL SECURITY;"
		"DROP POLICY IF EXISTS crm_read ON crm_changes;"
		"DROP POLICY IF EXISTS crm_write ON crm_changes;"
		"DROP POLICY IF EXISTS crm_mark ON crm_changes;"
		"CREATE POLICY crm_read ON crm_changes FOR SELECT USING (true);"
		"CREATE POLICY crm_write ON crm_changes FOR INSERT"
		" WITH CHECK (actor = current_user::text);"
		"CREATE POLICY crm_mark ON crm_changes FOR UPDATE USING (true);"
		"REVOKE UPDATE, DELETE ON crm_changes, crm_audit, lead_history"
		" FROM crm_rep, crm_manager, crm_admin;"
		"GRANT UPDATE (undone_at, undo_of, undone_by) ON crm_changes"
		" TO crm_rep, crm_manager, crm_admin;"
		"GRANT UPDATE (after) ON crm_audit"
		" TO crm_rep, crm_manager, crm_admin",
		err) < 0)
		return -1;
	/* only admins (and the installation's owner) change territories */
	if (crm_db_exec(db,
			"REVOKE INSERT, UPDATE, DELETE ON crm_territories FROM "
			"crm_rep, crm_manager",
			err) < 0)
		return -1;
	return policy ? sensitive(db, policy, err) : 0;
}
