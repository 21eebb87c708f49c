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
#include "dbq.h"
#include "entity.h"
#include "rights.h"
#include "user.h"

static const char *const territory_fields[] = {"region", "country", "industry",
					       NULL};

bool crm_territory_field_ok(const char *field)
{
	for (size_t i = 0; field && territory_fields[i]; i++)
		if (!strcmp(field, territory_fields[i]))
			return true;
	return false;
}

static int64_t territory_count(struct crm_db *db, const char *team,
			       const char *field, const char *value,
			       struct crm_err *err)
{
	return crm_dbq_int(
	    db, err,
	    "SELECT count(*) FROM crm_territories WHERE team = ? "
	    "AND field = ? AND lower(value) = lower(?)",
	    "sss", team, field, value);
}

/* Runs sql (an INSERT or DELETE) on team, field, value and now (?4, when
 * the statement has it); an error is said as what failed. */
static int territory_write(struct crm_db *db, const char *sql, const char *team,
			   const char *field, const char *value,
			   const char *now, const char *what,
			   struct crm_err *err)
{
	if (crm_dbq_run(db, err, sql, now ? "ssss" : "sss", team, field, value,
			now) < 0)
		return crm_err_what(err, what);
	return 0;
}

int crm_territory_add(struct crm_db *db, const char *team, const char *field,
		      const char *value, struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t n;

	if (!crm_territory_field_ok(field))
		return crm_err_field(
		    err, "field", CRM_EX_DATAERR,
		    "'%s' is no territory field: region, country or "
		    "industry",
		    field ? field : "");
	if (!value || !*value)
		return crm_err_field(err, "value", CRM_EX_DATAERR,
				     "a territory needs a value");
	if (crm_team_need(db, team, "team", true, err) < 0 ||
	    (n = territory_count(db, team, field, value, err)) < 0)
		return -1;
	if (n)
		return crm_err_field(err, "value", CRM_EX_DATAERR,
				     "team '%s' has that territory already",
				     team);
	crm_datetime_format(db->now, now);
	return territory_write(db,
			       "INSERT INTO crm_territories (team, field, "
			       "value, created_at) VALUES (?, ?, ?, ?)",
			       team, field, value, now, "adding a territory",
			       err);
}

int crm_territory_rm(struct crm_db *db, const char *team, const char *field,
		     const char *value, struct crm_err *err)
{
	int64_t n = territory_count(db, team, field, value, err);

	if (n < 0)
		return -1;
	if (!n)
		return crm_err_set(err, CRM_EX_NOINPUT,
				   "team '%s' has no territory %s = '%s'", team,
				   field ? field : "", value ? value : "");
	return territory_write(db,
			       "DELETE FROM crm_territories WHERE team = ? AND "
			       "field = ? AND lower(value) = lower(?)",
			       team, field, value, NULL, "removing a territory",
			       err);
}

/* -- the policies (PostgreSQL) ------------------------------------------ */

/* Each rule takes its viewer (v): the row-level policies ask about
 * current_user, the readers of per-record fields (SECURITY DEFINER, where
 * current_user is their owner) about session_user, the login. */
static const char *const functions[] = {
    /* the teams whose records and pools v sees: their own team, and for
     * a manager every team below it; none when disabled */
    "CREATE OR REPLACE FUNCTION crm_teams_of(v text) RETURNS SETOF text "
    "LANGUAGE sql STABLE AS $f$"
    " WITH RECURSIVE below(name) AS ("
    "  SELECT team FROM crm_users WHERE name = v"
    "  AND team IS NOT NULL AND status = 'active'"
    "  UNION SELECT t.name FROM crm_teams t JOIN below b"
    "  ON t.parent = b.name"
    "  WHERE pg_has_role(CAST(v AS name), 'crm_manager', 'MEMBER'))"
    " SELECT name FROM below $f$",
    "CREATE OR REPLACE FUNCTION crm_my_teams() RETURNS SETOF text "
    "LANGUAGE sql STABLE AS $f$ SELECT crm_teams_of(current_user::text) $f$",
    /* a record owned by who: nobody's (the common pool), v's, a pool of
     * one of v's teams ("@TEAM"), anything for an admin, and for a
     * manager the records of their teams' users */
    "CREATE OR REPLACE FUNCTION crm_sees_as(v text, who text) "
    "RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT who IS NULL OR who = '' OR who = v"
    " OR pg_has_role(CAST(v AS name), 'crm_admin', 'MEMBER')"
    " OR (substr(who, 1, 1) = '@' AND substr(who, 2) IN"
    "  (SELECT crm_teams_of(v)))"
    " OR (pg_has_role(CAST(v AS name), 'crm_manager', 'MEMBER') AND EXISTS ("
    "  SELECT 1 FROM crm_users u WHERE u.name = who"
    "  AND u.team IN (SELECT crm_teams_of(v))))"
    " $f$",
    "CREATE OR REPLACE FUNCTION crm_sees(who text) RETURNS boolean "
    "LANGUAGE sql STABLE AS $f$ SELECT crm_sees_as(current_user::text, who) "
    "$f$",
    /* the per-record rule "owner-team": v owns the record, is in the
     * team of its owner (a user's team, or the team of an "@TEAM" pool),
     * manages a team above it, or is an admin; an unowned record is
     * nobody's team's */
    "CREATE OR REPLACE FUNCTION crm_owner_team(v text, who text) "
    "RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT coalesce(who = v"
    " OR pg_has_role(CAST(v AS name), 'crm_admin', 'MEMBER')"
    " OR (substr(who, 1, 1) = '@' AND substr(who, 2) IN"
    "  (SELECT crm_teams_of(v)))"
    " OR EXISTS (SELECT 1 FROM crm_users u WHERE u.name = who"
    "  AND u.team IN (SELECT crm_teams_of(v))), false)"
    " $f$",
    /* a record whose region, country or industry a territory of v's
     * teams names */
    "CREATE OR REPLACE FUNCTION crm_in_territory_as(v text, reg text, "
    "ctry text, ind text) RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT EXISTS (SELECT 1 FROM crm_territories t"
    "  WHERE t.team IN (SELECT crm_teams_of(v))"
    "  AND lower(t.value) = lower(CASE t.field WHEN 'region' THEN reg"
    "  WHEN 'country' THEN ctry WHEN 'industry' THEN ind END))"
    " $f$",
    "CREATE OR REPLACE FUNCTION crm_in_territory(reg text, ctry text, "
    "ind text) RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT crm_in_territory_as(current_user::text, reg, ctry, ind) $f$",
    /* a deal is in a territory through its company */
    "CREATE OR REPLACE FUNCTION crm_company_in_territory_as(v text, "
    "cid bigint) RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT EXISTS (SELECT 1 FROM companies c WHERE c.id = cid"
    "  AND crm_in_territory_as(v, c.region, c.country, c.industry))"
    " $f$",
    "CREATE OR REPLACE FUNCTION crm_company_in_territory(cid bigint) "
    "RETURNS boolean LANGUAGE sql STABLE AS $f$"
    " SELECT crm_company_in_territory_as(current_user::text, cid) $f$",
    /* the change log's values: readable as far as the record they
     * describe is (a deleted one: as far as its owner was), and not at
     * all when they hold a value of a field withheld from the caller,
     * unless that field is per-record (it has a reader) and the rule
     * gives it to the caller on the record as it is now */
    "CREATE OR REPLACE FUNCTION crm_audit_sees(ent text, rid bigint, "
    "act text, b text, aft text) RETURNS boolean LANGUAGE plpgsql STABLE "
    "AS $f$"
    " DECLARE tbl text; seen boolean; n bigint; ownr text; col text;"
    " BEGIN"
    "  IF pg_has_role(current_user, 'crm_admin', 'MEMBER') THEN"
    "   RETURN true; END IF;"
    "  tbl := CASE ent WHEN 'contact' THEN 'contacts'"
    "   WHEN 'company' THEN 'companies' WHEN 'activity' THEN 'activities'"
    "   WHEN 'deal' THEN 'deals' WHEN 'lead' THEN 'leads'"
    "   WHEN 'ticket' THEN 'tickets' END;"
    "  IF tbl IS NULL THEN RETURN true; END IF;"
    "  EXECUTE format('SELECT %s FROM %I WHERE id = $1', CASE tbl"
    "   WHEN 'tickets' THEN"
    "   'coalesce(nullif(assignee, ''''), ''@'' || team)'"
    "   ELSE 'owner' END, tbl) INTO ownr USING rid;"
    "  GET DIAGNOSTICS n = ROW_COUNT;"
    "  seen := n > 0;"
    /* a value of a field withheld from the caller hides the row */
    "  FOR col IN SELECT a.attname FROM pg_attribute a"
    "   WHERE a.attrelid = CAST(tbl AS regclass) AND a.attnum > 0"
    "   AND NOT a.attisdropped"
    "   AND NOT has_column_privilege(a.attrelid, a.attnum, 'SELECT')"
    "   AND (CAST(b AS jsonb) ->> a.attname IS NOT NULL"
    "   OR CAST(aft AS jsonb) ->> a.attname IS NOT NULL) LOOP"
    "   IF NOT seen OR to_regprocedure(format('crm_sens_%s_%s(bigint)',"
    "    tbl, col)) IS NULL"
    "    OR NOT crm_owner_team(current_user::text, ownr) THEN"
    "    RETURN false; END IF;"
    "  END LOOP;"
    "  IF seen THEN RETURN true; END IF;"
    "  RETURN act = 'delete' AND b IS NOT NULL AND"
    "   crm_sees(coalesce(b::jsonb ->> 'owner', b::jsonb ->> 'assignee'));"
    " END $f$",
};

/* The guarded tables: see, who may see a row, and rule, the per-record
 * rule "owner-team", as templates: $V the viewer, $R. the row ("" in a
 * policy, "t." in a reader, "OLD." or "NEW." in a trigger); rls, when
 * set, is the policy instead of see (activities: there the records'
 * own policies filter the subqueries, which the planner may hash). */
static const struct {
	const char *table, *see, *rule, *rls;
} tables[] = {
    {"contacts",
     "crm_sees_as($V, $R.owner) OR crm_in_territory_as($V, $R.region, "
     "$R.country, NULL)",
     "crm_owner_team($V, $R.owner)", NULL},
    {"companies",
     "crm_sees_as($V, $R.owner) OR crm_in_territory_as($V, $R.region, "
     "$R.country, $R.industry)",
     "crm_owner_team($V, $R.owner)", NULL},
    {"leads",
     "crm_sees_as($V, $R.owner) OR crm_in_territory_as($V, $R.region, "
     "$R.country, $R.industry)",
     "crm_owner_team($V, $R.owner)", NULL},
    {"deals",
     "crm_sees_as($V, $R.owner) OR crm_company_in_territory_as($V, "
     "$R.company_id)",
     "crm_owner_team($V, $R.owner)", NULL},
    {"tickets",
     "crm_sees_as($V, $R.assignee) OR ($R.team IS NOT NULL AND "
     "crm_sees_as($V, '@' || $R.team))",
     "crm_owner_team($V, $R.assignee) OR ($R.team IS NOT NULL AND "
     "crm_owner_team($V, '@' || $R.team))",
     NULL},
    /* an activity: its owner's, and whoever sees the contact, company,
     * lead, deal or ticket it is about */
    {"activities",
     "crm_sees_as($V, $R.owner)"
     " OR EXISTS (SELECT 1 FROM contacts c WHERE c.id = $R.contact_id AND"
     " (crm_sees_as($V, c.owner) OR crm_in_territory_as($V, c.region,"
     " c.country, NULL)))"
     " OR EXISTS (SELECT 1 FROM companies c WHERE c.id = $R.company_id AND"
     " (crm_sees_as($V, c.owner) OR crm_in_territory_as($V, c.region,"
     " c.country, c.industry)))"
     " OR EXISTS (SELECT 1 FROM leads l WHERE l.id = $R.lead_id AND"
     " (crm_sees_as($V, l.owner) OR crm_in_territory_as($V, l.region,"
     " l.country, l.industry)))"
     " OR EXISTS (SELECT 1 FROM deals d WHERE d.id = $R.deal_id AND"
     " (crm_sees_as($V, d.owner) OR crm_company_in_territory_as($V,"
     " d.company_id)))"
     " OR EXISTS (SELECT 1 FROM tickets k WHERE k.id = $R.ticket_id AND"
     " (crm_sees_as($V, k.assignee) OR (k.team IS NOT NULL AND"
     " crm_sees_as($V, '@' || k.team))))",
     "crm_owner_team($V, $R.owner)",
     "crm_sees(owner)"
     " OR EXISTS (SELECT 1 FROM contacts c WHERE c.id = contact_id)"
     " OR EXISTS (SELECT 1 FROM companies c WHERE c.id = company_id)"
     " OR EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id)"
     " OR EXISTS (SELECT 1 FROM deals d WHERE d.id = deal_id)"
     " OR EXISTS (SELECT 1 FROM tickets k WHERE k.id = ticket_id)"},
};

/* The change log's tables: the policy's expression and its WITH CHECK */
static const struct {
	const char *table, *expr, *check;
} logs[] = {
    {"crm_audit", "crm_audit_sees(entity, record_id, action, before, after)",
     "EXISTS (SELECT 1 FROM crm_changes c WHERE c.id = change_id AND "
     "c.actor = current_user::text)"},
    {"lead_history", "EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id)",
     "actor = current_user::text AND EXISTS (SELECT 1 FROM leads l WHERE "
     "l.id = lead_id)"},
};

/* tpl with $V as viewer and $R. as row (fixed text of this file) */
static char *expand(const char *tpl, const char *viewer, const char *row)
{
	struct crm_buf b = {0};

	for (const char *p = tpl; *p; p++)
		if (!strncmp(p, "$V", 2)) {
			crm_buf_adds(&b, viewer);
			p++;
		} else if (!strncmp(p, "$R.", 3)) {
			crm_buf_adds(&b, row);
			p += 2;
		} else {
			crm_buf_addf(&b, "%c", *p);
		}
	return crm_buf_detach(&b);
}

static long table_index(const char *table)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(tables[i].table, table))
			return (long)i;
	return -1;
}

static const char *const groups[] = {"rep", "manager", "admin"};

/* Drop what a previous setup-rls made for its policy: the guards and the
 * readers (each run sets the whole policy). */
static int drop_sensitive(struct crm_db *db, struct crm_err *err)
{
	return crm_db_exec(
	    db,
	    "DO $d$ DECLARE r record; BEGIN"
	    " FOR r IN SELECT CAST(t.tgrelid AS regclass) AS rel"
	    "  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	    "  WHERE t.tgname = 'crm_sens' AND c.relnamespace ="
	    "  CAST(current_schema() AS regnamespace) LOOP"
	    "  EXECUTE format('DROP TRIGGER crm_sens ON %s', r.rel);"
	    " END LOOP;"
	    " FOR r IN SELECT CAST(p.oid AS regprocedure) AS f FROM pg_proc p"
	    "  WHERE p.proname LIKE 'crm\\_sens\\_%' AND p.pronamespace ="
	    "  CAST(current_schema() AS regnamespace) LOOP"
	    "  EXECUTE format('DROP FUNCTION %s', r.f);"
	    " END LOOP; END $d$",
	    err);
}

/* The reader of a per-record column: SECURITY DEFINER (the column is
 * withheld from its callers), so it applies the row's policy and the
 * rule itself, for the login (session_user). table and col are fixed
 * text or a field checked against its entity. */
static int reader(struct crm_db *db, long t, const char *col,
		  const char *schema, struct crm_err *err)
{
	const char *table = tables[t].table;
	char *see, *rule, *sql, *type;
	int rc = crm_dbq_text(db, err, &type,
			      "SELECT format_type(atttypid, atttypmod) FROM "
			      "pg_attribute WHERE attrelid = CAST(?1 AS "
			      "regclass) AND attname = ?2",
			      "ss", table, col);

	if (rc != 1)
		return rc < 0 ? -1
			      : crm_err_set(err, CRM_EX_SOFTWARE,
					    "no column %s.%s", table, col);
	see = expand(tables[t].see, "session_user::text", "t.");
	rule = expand(tables[t].rule, "session_user::text", "t.");
	sql = crm_xasprintf(
	    "CREATE FUNCTION crm_sens_%s_%s(rid bigint) RETURNS %s "
	    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = %s, "
	    "pg_temp AS $f$ SELECT t.%s FROM %s t WHERE t.id = rid AND (%s) "
	    "AND (%s) $f$;"
	    "REVOKE ALL ON FUNCTION crm_sens_%s_%s(bigint) FROM PUBLIC;"
	    "GRANT EXECUTE ON FUNCTION crm_sens_%s_%s(bigint) TO crm_rep, "
	    "crm_manager, crm_admin",
	    table, col, type, schema, col, table, see, rule, table, col, table,
	    col);
	free(type);
	free(see);
	free(rule);
	rc = crm_db_exec(db, sql, err);
	free(sql);
	return rc;
}

/* The guard of table t's sensitive columns (cols; ruled[i]: per record),
 * a trigger run as the caller: a caller who may not read a column on
 * that record (no SELECT on it, and for a per-record one the rule does
 * not give it) leaves it as it is by writing NULL (what they read), and
 * is refused writing another value (42501). An insert is guarded for
 * per-record columns only (a rep may add a deal with an amount). */
static int guard(struct crm_db *db, long t, const struct crm_strv *cols,
		 const bool *ruled, struct crm_err *err)
{
	const char *table = tables[t].table;
	struct crm_buf upd = {0}, ins = {0};
	char *old_rule = expand(tables[t].rule, "current_user::text", "OLD.");
	char *new_rule = expand(tables[t].rule, "current_user::text", "NEW.");
	char *sql;
	int rc;

	for (size_t i = 0; i < cols->n; i++) {
		const char *c = cols->v[i];

		crm_buf_addf(&upd,
			     "  IF NEW.%s IS DISTINCT FROM OLD.%s AND NOT "
			     "has_column_privilege('%s', '%s', 'SELECT') AND "
			     "NOT (%s) THEN"
			     "   IF NEW.%s IS NULL THEN NEW.%s := OLD.%s; ELSE"
			     "   RAISE EXCEPTION '%s is withheld from you on "
			     "this record (sensitive)' USING ERRCODE = "
			     "'42501'; END IF;"
			     "  END IF;",
			     c, c, table, c, ruled[i] ? old_rule : "false", c,
			     c, c, c);
		if (ruled[i])
			crm_buf_addf(&ins,
				     "  IF NEW.%s IS NOT NULL AND NOT "
				     "has_column_privilege('%s', '%s', "
				     "'SELECT') AND NOT (%s) THEN"
				     "   RAISE EXCEPTION '%s is withheld from "
				     "you on this record (sensitive)' USING "
				     "ERRCODE = '42501';"
				     "  END IF;",
				     c, table, c, new_rule, c);
	}
	sql =
	    crm_xasprintf("CREATE FUNCTION crm_sens_guard_%s() RETURNS trigger "
			  "LANGUAGE plpgsql AS $f$ BEGIN"
			  " IF TG_OP = 'UPDATE' THEN %s ELSE %s END IF;"
			  " RETURN NEW; END $f$;"
			  "CREATE TRIGGER crm_sens BEFORE INSERT OR UPDATE ON "
			  "%s FOR EACH ROW "
			  "EXECUTE FUNCTION crm_sens_guard_%s()",
			  table, crm_buf_str(&upd),
			  ins.len ? crm_buf_str(&ins) : "NULL;", table, table);
	free(old_rule);
	free(new_rule);
	crm_buf_release(&upd);
	crm_buf_release(&ins);
	rc = crm_db_exec(db, sql, err);
	free(sql);
	return rc;
}

/* The readers and guards of list's entries (checked by sensitive()). */
static int per_record(struct crm_db *db, json_t *list, struct crm_err *err)
{
	char *schema;
	int rc = 0;

	if (crm_dbq_text(db, err, &schema,
			 "SELECT quote_ident(current_schema())", "") != 1)
		return -1;
	for (size_t t = 0; rc == 0 && t < sizeof(tables) / sizeof(tables[0]);
	     t++) {
		struct crm_strv cols = {0};
		bool *ruled = NULL;
		size_t i;
		json_t *v;

		json_array_foreach(list, i, v)
		{
			const struct crm_entity *e = crm_entity_by_name(
			    json_string_value(json_object_get(v, "entity")));
			const char *fld =
			    json_string_value(json_object_get(v, "field"));
			bool r = json_object_get(v, "rule") != NULL;
			char *key;

			if (strcmp(e->table, tables[t].table))
				continue;
			key = crm_xasprintf("%s_key", fld);
			for (int k = 0; k < 2; k++) {
				const char *c = k ? key : fld;

				if (k && crm_entity_field(e, key) < 0)
					break;
				ruled = crm_xrealloc(ruled, (cols.n + 1) *
								sizeof(*ruled));
				ruled[cols.n] = r;
				crm_strv_push(&cols, c);
				if (r && rc == 0)
					rc =
					    reader(db, (long)t, c, schema, err);
			}
			free(key);
		}
		if (rc == 0 && cols.n)
			rc = guard(db, (long)t, &cols, ruled, err);
		crm_strv_release(&cols);
		free(ruled);
	}
	free(schema);
	return rc;
}

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
		json_t *rule = json_object_get(v, "rule");
		const struct crm_entity *e =
		    ent ? crm_entity_by_name(ent) : NULL;
		long f = e && fld ? crm_entity_field(e, fld) : -1;
		size_t k;

		if (!e || f < 0 || !json_is_array(read) ||
		    json_object_size(v) != (rule ? 4u : 3u) ||
		    !strcmp(fld, "id") ||
		    e->fields[f].flags & (CRM_FF_HIDDEN | CRM_FF_SYSTEM)) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s: sensitive %zu: expected entity, a "
				    "stored field of it (not id or a time it "
				    "keeps), read, a list of roles, and "
				    "optionally rule",
				    path, i + 1);
			goto out;
		}
		/* the only per-record rule so far; a table the policies
		 * guard (its owner decides) */
		if (rule && (!json_is_string(rule) ||
			     strcmp(json_string_value(rule), "owner-team") ||
			     table_index(e->table) < 0)) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s: sensitive %zu: rule: expected "
				    "\"owner-team\" on a contact, company, "
				    "lead, deal, ticket or activity",
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
			size_t j;
			json_t *w, *r;
			bool first = true, mine = false;
			char *sql, *cols;
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
			s = crm_dbq_text(
			    db, err, &cols,
			    "SELECT string_agg(quote_ident(column_name), ', ' "
			    "ORDER BY ordinal_position) FROM "
			    "information_schema.columns WHERE table_schema = "
			    "current_schema() AND table_name = ?1 AND "
			    "column_name <> ALL (CAST(?2 AS text[]))",
			    "ss", e->table, crm_buf_str(&deny));
			crm_buf_release(&deny);
			if (s != 1) {
				free(cols);
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
					    e->table, groups[g], cols, e->table,
					    groups[g]);
			free(cols);
			s = crm_db_exec(db, sql, err);
			free(sql);
			if (s < 0)
				goto out;
		}
	}
	rc = per_record(db, list, err);
out:
	json_decref(root);
	return rc;
}

int crm_rights_setup(struct crm_db *db, const char *policy, struct crm_err *err)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (crm_db_exec(db, functions[i], err) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		/* fixed text from the table above, never input */
		char *expr = tables[i].rls ? crm_xstrdup(tables[i].rls)
					   : expand(tables[i].see,
						    "current_user::text", "");
		char *sql =
		    crm_xasprintf("ALTER TABLE %s ENABLE ROW LEVEL "
				  "SECURITY;"
				  "DROP POLICY IF EXISTS crm_rows ON %s;"
				  "CREATE POLICY crm_rows ON %s USING "
				  "(%s) WITH CHECK (%s)",
				  tables[i].table, tables[i].table,
				  tables[i].table, expr, expr);
		int rc = crm_db_exec(db, sql, err);

		free(sql);
		free(expr);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		char *sql =
		    crm_xasprintf("ALTER TABLE %s ENABLE ROW LEVEL SECURITY;"
				  "DROP POLICY IF EXISTS crm_rows ON %s;"
				  "CREATE POLICY crm_rows ON %s USING (%s) "
				  "WITH CHECK (%s)",
				  logs[i].table, logs[i].table, logs[i].table,
				  logs[i].expr, logs[i].check);
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
	if (drop_sensitive(db, err) < 0)
		return -1;
	return policy ? sensitive(db, policy, err) : 0;
}
