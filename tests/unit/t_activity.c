/* t_activity.c - crm_activity_log: inserts, links and last_activity_at. */
#include <stdlib.h>
#include <unistd.h>

#include "activity.h"
#include "db.h"
#include "test.h"

static struct crm_db *db;

/* The first column of the first row of sql as text (static buffer). */
static const char *q1(const char *sql)
{
	static char out[256];
	struct crm_err err = {0};
	struct crm_stmt *st = crm_db_stmt(db, sql, &err);

	snprintf(out, sizeof(out), "(none)");
	if (st && crm_stmt_step(st, &err) > 0)
		snprintf(out, sizeof(out), "%s",
			 crm_stmt_is_null(st, 0) ? "NULL"
						 : crm_stmt_text(st, 0));
	crm_stmt_finalize(st);
	return out;
}

static int logged(struct crm_activity *a, int64_t *id, struct crm_err *err)
{
	int rc;

	crm_err_clear(err);
	if (crm_db_begin(db, err) < 0)
		return -1;
	rc = crm_activity_log(db, a, id, err);
	if (rc < 0) {
		crm_db_rollback(db);
		return -1;
	}
	return crm_db_commit(db, err);
}

int main(void)
{
	char dir[] = "/tmp/crm-t_activity.XXXXXX", path[64];
	struct crm_err err = {0};
	int64_t id = 0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "database opens");
	if (!db)
		return done_testing();
	CHECK(crm_db_exec(db,
			  "INSERT INTO companies (id, name, created_at, "
			  "updated_at) VALUES (7, 'Acme', 'x', 'x');"
			  "INSERT INTO contacts (id, first_name, company_id, "
			  "created_at, updated_at) VALUES (3, 'Ann', 7, 'x', "
			  "'x');",
			  &err) == 0,
	      "fixtures");

	struct crm_activity a = {.type = "Phone Call",
				 .direction = "out",
				 .subject = "intro",
				 .occurred_at = "2026-11-20 10:00",
				 .contact_id = 3};
	CHECK(logged(&a, &id, &err) == 0, "log a call");
	CHECK_INT(id, 1, "first activity id");
	CHECK_STR(q1("SELECT type FROM activities WHERE id = 1"), "phone_call",
		  "type folded");
	CHECK_STR(q1("SELECT occurred_at FROM activities WHERE id = 1"),
		  "2026-11-20T10:00:00Z", "occurred_at normalized");
	CHECK_STR(q1("SELECT company_id FROM activities WHERE id = 1"), "7",
		  "company filled from the contact");
	CHECK_STR(q1("SELECT last_activity_at FROM contacts WHERE id = 3"),
		  "2026-11-20T10:00:00Z", "contact last_activity_at set");
	CHECK_STR(q1("SELECT last_activity_at FROM companies WHERE id = 7"),
		  "2026-11-20T10:00:00Z", "company last_activity_at set");
	CHECK_STR(q1("SELECT updated_at FROM contacts WHERE id = 3"), "x",
		  "touching does not change updated_at");

	/* an older activity does not move last_activity_at back */
	a.occurred_at = "2026-11-01";
	CHECK(logged(&a, &id, &err) == 0, "log an older call");
	CHECK_STR(q1("SELECT last_activity_at FROM contacts WHERE id = 3"),
		  "2026-11-20T10:00:00Z", "last_activity_at is the maximum");

	/* no occurred_at: now */
	struct crm_activity t = {.type = "task",
				 .subject = "follow up",
				 .due_at = "2026-11-25",
				 .company_id = 7};
	CHECK(logged(&t, &id, &err) == 0, "log a task on the company");
	CHECK_STR(q1("SELECT occurred_at || ' ' || due_at FROM activities "
		     "WHERE id = 3"),
		  "2026-11-22T09:30:00Z 2026-11-25T00:00:00Z",
		  "occurred_at defaults to now; due_at normalized");
	CHECK_STR(q1("SELECT last_activity_at FROM companies WHERE id = 7"),
		  "2026-11-22T09:30:00Z", "company last_activity_at moved on");
	CHECK_STR(q1("SELECT last_activity_at FROM contacts WHERE id = 3"),
		  "2026-11-20T10:00:00Z", "contact untouched by company task");

	/* links to missing records, bad values */
	struct crm_activity bad = {.type = "note", .contact_id = 99};
	CHECK(logged(&bad, &id, &err) < 0, "missing contact refused");
	CHECK_INT(err.code, CRM_EX_DATAERR, "... as a data error");
	CHECK_STR(err.field, "contact_id", "... naming the link");
	CHECK_STR(err.msg, "no contact 99", "... and the record");
	bad = (struct crm_activity){.type = "note", .company_id = 98};
	CHECK(logged(&bad, &id, &err) < 0, "missing company refused");
	CHECK_STR(err.msg, "no company 98", "... message");
	bad = (struct crm_activity){.type = "note", .direction = "sideways"};
	CHECK(logged(&bad, &id, &err) < 0, "bad direction refused");
	CHECK_STR(err.field, "direction", "... naming the field");
	bad = (struct crm_activity){.type = "note", .occurred_at = "yesterday"};
	CHECK(logged(&bad, &id, &err) < 0, "bad time refused");
	CHECK_STR(err.field, "occurred_at", "... naming the field");
	bad = (struct crm_activity){.subject = "no type"};
	CHECK(logged(&bad, &id, &err) < 0, "missing type refused");
	CHECK_STR(err.field, "type", "... naming the field");
	CHECK_STR(q1("SELECT count(*) FROM activities"), "3",
		  "refused activities wrote nothing");

	/* leads, deals, tickets: not checked or touched until their table
	 * exists; then both (deals exist now) */
	struct crm_activity d = {.type = "email", .deal_id = 5};
	CHECK(logged(&d, &id, &err) < 0, "link to a missing deal refused");
	CHECK_INT(
	    crm_table_has_column(db, "companies", "last_activity_at", &err), 1,
	    "crm_table_has_column: yes");
	CHECK_INT(crm_table_has_column(db, "no_such_table", "id", &err), 0,
		  "crm_table_has_column: no table");
	CHECK_INT(crm_table_has_column(db, "contacts", "nope", &err), 0,
		  "crm_table_has_column: no column");

	crm_db_close(db);
	test_remove_db(path);
	rmdir(dir);
	return done_testing();
}
