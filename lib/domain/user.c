/* user.c - users and teams (see user.h). The user entity's prepare hook
 * keeps the server's login role in step with the record on PostgreSQL, in
 * the same transaction: CREATE ROLE on insert, the group role on a change
 * of role, LOGIN or NOLOGIN on a change of status. Role names are checked
 * against a strict pattern and then quoted by the server (quote_ident)
 * before they go into the DDL, which takes no parameters. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "dbq.h"
#include "rights.h"
#include "user.h"

static const char *const roles[] = {"rep", "manager", "admin", NULL};
static const char *const statuses[] = {"active", "disabled", NULL};

enum { F_ID, F_NAME, F_EMAIL, F_TEAM, F_ROLE, F_STATUS };

static const struct crm_field user_fields[] = {
    CRM_FIELD_ID,
    {"name", CRM_T_TEXT, CRM_FF_REQUIRED | CRM_FF_KEY | CRM_FF_BRIEF},
    {"email", CRM_T_EMAIL, CRM_FF_KEY | CRM_FF_BRIEF},
    {"team", CRM_T_TEXT, CRM_FF_BRIEF},
    {"role", CRM_T_ENUM, CRM_FF_BRIEF, roles},
    {"status", CRM_T_ENUM, CRM_FF_BRIEF, statuses},
    CRM_FIELDS_CREATED_UPDATED,
};

bool crm_user_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 63 || !strncmp(name, "pg_", 3) ||
	    !strncmp(name, "crm_", 4))
		return false;
	/* a letter or _ first */
	return !(name[0] >= '0' && name[0] <= '9') &&
	       crm_str_of(name, "abcdefghijklmnopqrstuvwxyz_0123456789");
}

/* -- the server's roles (PostgreSQL only) ---------------------------------- */

/* Run "head A tail", or "head A mid B tail" when mid is given, where A
 * and B are the server's quote_ident of a and b; the names have passed
 * crm_user_name_ok or are crm's group roles. */
static int ddl2(struct crm_db *db, const char *head, const char *a,
		const char *mid, const char *b, const char *tail,
		struct crm_err *err)
{
	struct crm_stmt *st =
	    mid ? crm_dbq(db, err, "SELECT quote_ident(?1), quote_ident(?2)",
			  "ss", a, b)
		: crm_dbq(db, err, "SELECT quote_ident(?)", "s", a);
	char *sql;
	int rc;

	if (!st)
		return -1;
	if (crm_stmt_step(st, err) != 1) {
		crm_stmt_reset(st);
		return crm_err_set(err, CRM_EX_SOFTWARE,
				   "quote_ident gave no row");
	}
	sql = crm_xasprintf("%s%s%s%s%s", head, crm_stmt_text(st, 0),
			    mid ? mid : "", mid ? crm_stmt_text(st, 1) : "",
			    tail);
	crm_stmt_reset(st);
	rc = crm_db_exec(db, sql, err);
	free(sql);
	return rc;
}

/* Run "head QUOTED tail" where QUOTED is the server's quote_ident(name). */
static int ddl(struct crm_db *db, const char *head, const char *name,
	       const char *tail, struct crm_err *err)
{
	return ddl2(db, head, name, NULL, NULL, tail, err);
}

static int role_exists(struct crm_db *db, const char *name, struct crm_err *err)
{
	return (int)crm_db_int(db,
			       "SELECT count(*) FROM pg_roles "
			       "WHERE rolname = ?1",
			       name, NULL, err);
}

/* crm_rep, crm_manager and crm_admin: group roles with the right to use
 * crm's tables (row-level policies narrow what each sees). The grants
 * are made when a group has none on this database yet, and again by
 * setup-rls (all: it then narrows them again), so adding a user never
 * undoes setup-rls's sensitive fields. */
static int ensure_groups(struct crm_db *db, bool all, struct crm_err *err)
{
	static const char *const groups[] = {"crm_rep", "crm_manager",
					     "crm_admin"};

	for (size_t i = 0; i < 3; i++) {
		int ex = role_exists(db, groups[i], err);

		if (ex < 0 || (!ex && ddl(db, "CREATE ROLE ", groups[i],
					  " NOLOGIN", err) < 0))
			return -1;
		/* roles are the cluster's: a group made for another
		 * database has no grants on this one's tables yet */
		if (ex && !all) {
			int64_t has = crm_db_int(
			    db,
			    "SELECT count(*) FROM pg_roles WHERE rolname = ?1 "
			    "AND has_table_privilege(?1, 'crm_teams', "
			    "'SELECT')",
			    groups[i], NULL, err);

			if (has < 0)
				return -1;
			if (has)
				continue;
		}
		if (ddl(db,
			"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES "
			"IN SCHEMA public TO ",
			groups[i], "", err) < 0 ||
		    ddl(db,
			"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "
			"public TO ",
			groups[i], "", err) < 0)
			return -1;
	}
	/* only admins (and the installation's owner) change users and
	 * teams: the policies read them */
	return crm_db_exec(db,
			   "REVOKE INSERT, UPDATE, DELETE ON crm_users, "
			   "crm_teams FROM crm_rep, crm_manager",
			   err);
}

/* -- row-level security -------------------------------------------------- */

int crm_user_setup_rls(struct crm_db *db, const char *policy,
		       struct crm_err *err)
{
	if (crm_store_engine(db->store) != CRM_STORE_PG)
		return crm_err_set(err, CRM_EX_USAGE,
				   "setup-rls is for a PostgreSQL database: "
				   "SQLite enforces no rights");
	if (ensure_groups(db, true, err) < 0)
		return -1;
	return crm_rights_setup(db, policy, err);
}

/* "verb crm_ROLE sep name", both names quoted by the server */
static int membership(struct crm_db *db, const char *verb, const char *role,
		      const char *sep, const char *name, struct crm_err *err)
{
	char *group = crm_xasprintf("crm_%s", role);
	int rc = ddl2(db, verb, group, sep, name, "", err);

	free(group);
	return rc;
}

static int server_role(struct crm_db *db, struct crm_row *row,
		       const struct crm_row *old, struct crm_err *err)
{
	const char *name = row->v[F_NAME];
	int ex;

	if (crm_store_engine(db->store) != CRM_STORE_PG)
		return 0;
	if (ensure_groups(db, false, err) < 0 ||
	    (ex = role_exists(db, name, err)) < 0)
		return -1;
	if (!ex && ddl(db, "CREATE ROLE ", name, " LOGIN", err) < 0)
		return -1;
	if (old && !crm_str_same(old->v[F_ROLE], row->v[F_ROLE]) &&
	    membership(db, "REVOKE ", old->v[F_ROLE], " FROM ", name, err) < 0)
		return -1;
	if (membership(db, "GRANT ", row->v[F_ROLE], " TO ", name, err) < 0)
		return -1;
	return ddl(db, "ALTER ROLE ", name,
		   strcmp(row->v[F_STATUS], "disabled") ? " LOGIN" : " NOLOGIN",
		   err);
}

/* 1 when team name is there, 0 when not, -1 on error. */
static int64_t team_exists(struct crm_db *db, const char *name,
			   struct crm_err *err)
{
	return crm_db_int(db, "SELECT count(*) FROM crm_teams WHERE name = ?1",
			  name, NULL, err);
}

int crm_team_need(struct crm_db *db, const char *name, const char *field,
		  bool hint, struct crm_err *err)
{
	int64_t n = team_exists(db, name, err);

	if (n == 0)
		crm_err_field(err, field, CRM_EX_DATAERR, "no team '%s'%s",
			      name, hint ? " (crm-user team add)" : "");
	return n > 0 ? 0 : -1;
}

static int user_prepare(struct crm_db *db, const struct crm_entity *e,
			struct crm_row *row, const struct crm_row *old,
			void *arg, struct crm_err *err)
{
	(void)e;
	(void)arg;
	if (!crm_user_name_ok(row->v[F_NAME]))
		return crm_err_field(
		    err, "name", CRM_EX_DATAERR,
		    "'%s' is no user name: lower-case letters, "
		    "digits and _, starting with a letter or _, "
		    "at most 63, not pg_... or crm_...",
		    row->v[F_NAME] ? row->v[F_NAME] : "");
	if (old && !crm_str_same(old->v[F_NAME], row->v[F_NAME]))
		return crm_err_field(
		    err, "name", CRM_EX_DATAERR,
		    "a user is not renamed (%s): add a new one",
		    old->v[F_NAME]);
	if (!row->v[F_ROLE])
		crm_row_set_at(row, F_ROLE, old ? old->v[F_ROLE] : "rep");
	if (!row->v[F_STATUS])
		crm_row_set_at(row, F_STATUS,
			       old ? old->v[F_STATUS] : "active");
	if (row->v[F_TEAM] &&
	    crm_team_need(db, row->v[F_TEAM], "team", true, err) < 0)
		return -1;
	return server_role(db, row, old, err);
}

const struct crm_entity crm_user_entity = {
    .name = "user",
    .plural = "users",
    .table = "crm_users",
    CRM_FIELDS(user_fields),
    .keys = "id,name,email",
    .prepare = user_prepare,
};

/* -- teams ------------------------------------------------------------------
 */

int crm_team_add(struct crm_db *db, const char *name, const char *parent,
		 struct crm_err *err)
{
	char now[CRM_TIME_LEN];
	int64_t n;

	if (!crm_user_name_ok(name))
		return crm_err_field(
		    err, "team", CRM_EX_DATAERR,
		    "'%s' is no team name: lower-case letters, "
		    "digits and _, starting with a letter or _",
		    name);
	n = team_exists(db, name, err);
	if (n < 0)
		return -1;
	if (n)
		return crm_err_field(err, "team", CRM_EX_DATAERR,
				     "team '%s' is there already", name);
	if (parent && crm_team_need(db, parent, "parent", false, err) < 0)
		return -1;
	crm_datetime_format(db->now, now);
	return crm_stmt_run_as(crm_dbq(db, err,
				       "INSERT INTO crm_teams (name, parent, "
				       "created_at) VALUES (?, ?, ?)",
				       "sss", name, parent, now),
			       "adding a team", err);
}

int crm_team_rm(struct crm_db *db, const char *name, struct crm_err *err)
{
	int64_t n = team_exists(db, name, err);

	if (n < 0)
		return -1;
	if (!n)
		return crm_err_set(err, CRM_EX_NOINPUT, "no team '%s'", name);
	n = crm_db_int(db,
		       "SELECT (SELECT count(*) FROM crm_users WHERE team = "
		       "?1) + (SELECT count(*) FROM crm_teams WHERE parent = "
		       "?1)",
		       name, NULL, err);
	if (n < 0)
		return -1;
	if (n)
		return crm_err_field(
		    err, "team", CRM_EX_DATAERR,
		    "team '%s' still has users or teams under it", name);
	n = crm_db_int(db, "DELETE FROM crm_teams WHERE name = ?1", name, NULL,
		       err);
	return n < 0 ? -1 : 0;
}

/* -- owners -----------------------------------------------------------------
 */

static const struct {
	const char *entity, *field;
	const char *sql; /* owner value, the user it names, records */
} owner_cols[] = {
/* clang-format off */
#define OWNERS(ent, tbl, col)                                                  \
	{ent, col,                                                             \
	 "SELECT t." col ", coalesce((SELECT u.name FROM crm_users u WHERE "   \
	 "u.name = t." col "), (SELECT min(u.name) FROM crm_users u WHERE "    \
	 "lower(u.email) = lower(t." col ")), (SELECT '@' || m.name FROM "    \
	 "crm_teams m WHERE '@' || m.name = t." col ")), count(*) FROM " tbl   \
	 " t "                                                                 \
	 "WHERE t." col " IS NOT NULL AND t." col " <> '' GROUP BY t." col     \
	 " ORDER BY t." col}
    /* clang-format on */
    OWNERS("contact", "contacts", "owner"),
    OWNERS("company", "companies", "owner"),
    OWNERS("activity", "activities", "owner"),
    OWNERS("deal", "deals", "owner"),
    OWNERS("lead", "leads", "owner"),
    OWNERS("ticket", "tickets", "assignee"),
#undef OWNERS
};

static void fill_id(struct crm_stmt *st, void *elem)
{
	*(int64_t *)elem = crm_stmt_int(st, 0);
}

/* Give claim c's records (owner value c->owner) the owner c->user,
 * each with its before-image under the open change set. */
static int rewrite_owner(struct crm_db *db, const struct crm_owner_claim *c,
			 struct crm_err *err)
{
	const struct crm_entity *e = crm_entity_by_name(c->entity);
	const char *field = strcmp(c->entity, "ticket") ? "owner" : "assignee";
	/* fixed text: the table and column of the entity */
	char *sql = crm_xasprintf("SELECT id FROM %s WHERE %s = ? ORDER BY id",
				  e->table, field);
	struct crm_stmt *st = crm_db_stmt(db, sql, err);
	struct crm_row old, row;
	char now[CRM_TIME_LEN];
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = -1, s;

	free(sql);
	if (!st)
		return -1;
	crm_stmt_bindf(st, "s", c->owner);
	s = crm_stmt_rows(st, err, &ids, &n, sizeof(*ids), fill_id);
	crm_stmt_finalize(st);
	if (s < 0) {
		free(ids);
		return -1;
	}
	crm_row_init(&old, e);
	crm_row_init(&row, e);
	crm_datetime_format(db->now, now);
	if (!db->change && crm_db_change(db, "claim-owners", NULL, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *bj, *aj;

		if (crm_entity_get(db, e, ids[i], &old, err) <= 0)
			goto out;
		crm_row_copy(&row, &old);
		crm_row_set(&row, field, c->user);
		crm_row_set(&row, "updated_at", now);
		bj = crm_row_image(&old);
		aj = crm_row_diff(&old, &row);
		s = crm_db_audit(db, c->entity, ids[i], "update", bj, aj, err);
		free(bj);
		free(aj);
		if (s < 0 || crm_entity_write_row(db, e, &row, false, err) < 0)
			goto out;
	}
	rc = 0;
out:
	crm_row_release(&old);
	crm_row_release(&row);
	free(ids);
	return rc;
}

/* crm_dbq_rows: one owner value, the user it names, its records */
static void fill_claim(struct crm_stmt *st, void *elem)
{
	struct crm_owner_claim *c = elem;

	c->owner = crm_xstrdup(crm_stmt_text(st, 0));
	c->user = crm_stmt_dup(st, 1);
	c->records = crm_stmt_int(st, 2);
}

void crm_owner_claims_free(struct crm_owner_claim *claims, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(claims[i].owner);
		free(claims[i].user);
	}
	free(claims);
}

int crm_user_claim_owners(struct crm_db *db, bool dry_run,
			  struct crm_owner_claim **claims, size_t *n,
			  struct crm_err *err)
{
	struct crm_owner_claim *c = NULL;
	size_t nc = 0;

	for (size_t k = 0; k < sizeof(owner_cols) / sizeof(owner_cols[0]);
	     k++) {
		size_t from = nc;
		int rc = crm_dbq_rows(db, err, &c, &nc, sizeof(*c), fill_claim,
				      owner_cols[k].sql, "");

		while (from < nc)
			c[from++].entity = owner_cols[k].entity;
		if (rc < 0)
			goto fail;
	}
	/* an owner given as a user's email becomes the user's name: every
	 * record of every entity in one transaction and one change set */
	if (crm_db_begin(db, err) < 0)
		goto fail;
	for (size_t i = 0; i < nc; i++) {
		if (c[i].user && strcmp(c[i].user, c[i].owner) &&
		    rewrite_owner(db, &c[i], err) < 0) {
			crm_db_rollback(db);
			goto fail;
		}
	}
	if (crm_db_finish(db, dry_run, err) < 0) {
		crm_db_rollback(db);
		goto fail;
	}
	*claims = c;
	*n = nc;
	return 0;
fail:
	crm_owner_claims_free(c, nc);
	return -1;
}
