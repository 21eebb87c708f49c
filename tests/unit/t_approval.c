/* t_approval.c - approvers files, approval specs, steps and decisions,
 * timeouts, and the lock on guarded fields. */
#include <stdlib.h>
#include <unistd.h>

#include "approval.h"
#include "config.h"
#include "db.h"
#include "deal.h"
#include "test.h"

static struct crm_db *db;

static const char *q1(const char *sql)
{
	static char out[512];
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

static json_t *js(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!j)
		printf("# bad JSON in test: %s\n", text);
	return j;
}

static void approvers(void)
{
	struct crm_err err = {0};
	struct crm_strv sv = {0};
	json_t *j = js("{\"users\": {\"ann\": {\"roles\": [\"rep\"], "
		       "\"manager\": \"mike\"}, \"mike\": {\"roles\": "
		       "[\"sales_manager\"], \"manager\": \"dora\"}, \"dora\": "
		       "{\"roles\": [\"director\"]}, \"eve\": {\"roles\": "
		       "[\"director\", \"vp\"]}}}");
	struct crm_approvers *a = crm_approvers_parse(j, "a.json", &err);

	CHECK(a != NULL, "an approvers file parses");
	CHECK_STR(crm_approvers_manager(a, "ann"), "mike", "ann's manager");
	CHECK_STR(crm_approvers_manager(a, "dora"), NULL, "dora has none");
	CHECK_STR(crm_approvers_manager(a, "zed"), NULL, "unknown user: none");
	CHECK_INT(crm_approvers_with_role(a, "director", &sv), 2,
		  "two directors");
	CHECK(sv.n == 2 && !strcmp(sv.v[0], "dora") && !strcmp(sv.v[1], "eve"),
	      "... sorted by name");
	crm_strv_release(&sv);
	crm_approvers_free(a);
	json_decref(j);

	j = js("{\"users\": {\"ann\": {\"manager\": \"zed\"}}}");
	CHECK(crm_approvers_parse(j, "a.json", &err) == NULL,
	      "an unknown manager is refused");
	CHECK_INT(err.code, CRM_EX_CONFIG, "... as a config error");
	CHECK_STR(err.field, "users.ann.manager", "... naming the field");
	CHECK_STR(err.file, "a.json", "... and the file");
	json_decref(j);
	j = js("{\"users\": {\"a\": {\"manager\": \"b\"}, \"b\": {\"manager\": "
	       "\"a\"}}}");
	CHECK(crm_approvers_parse(j, "a.json", &err) == NULL,
	      "a cycle of managers is refused");
	CHECK_STR(err.msg, "managers form a cycle", "... saying so");
	json_decref(j);
	j = js("{\"users\": {\"a\": {\"roles\": \"x\"}}}");
	CHECK(crm_approvers_parse(j, "a.json", &err) == NULL,
	      "roles must be an array");
	json_decref(j);
}

static void specs(void)
{
	static const struct {
		const char *spec, *field, *what;
	} bad[] = {
	    {"{\"steps\": [{\"approvers\": [\"user:a\"]}]}", "p.name",
	     "a process needs a name"},
	    {"{\"name\": \"x\", \"steps\": []}", "p.steps", "and steps"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"boss\"]}]}",
	     "p.steps[0].approvers", "an approver is user:, role: or manager"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"rule\": \"most\"}]}",
	     "p.steps[0].rule", "rule is one or all"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"timeout\": \"soon\"}]}",
	     "p.steps[0].timeout", "a timeout is a duration"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"timeout\": 48}]}",
	     "p.steps[0].timeout", "a timeout is a string"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"timeout\": \"1d\", \"escalate\": [\"user:b\"], "
	     "\"escalate_timeout\": \"0s\"}]}",
	     "p.steps[0].escalate_timeout", "an escalation timeout is above 0"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"escalate\": [\"user:b\"]}]}",
	     "p.steps[0].escalate", "escalation needs a timeout"},
	    {"{\"name\": \"x\", \"steps\": [{\"approvers\": [\"user:a\"], "
	     "\"when\": \"discount\"}]}",
	     "p.steps[0].when", "a condition is field OP value"},
	    {"{\"name\": \"x\", \"lokc\": [], \"steps\": [{\"approvers\": "
	     "[\"user:a\"]}]}",
	     "p.lokc", "unknown keys are refused"},
	};
	struct crm_err err = {0};
	json_t *j = js("{\"name\": \"x\", \"lock\": [\"discount\"], \"steps\": "
		       "[{\"name\": \"m\", \"when\": \"discount > 15\", "
		       "\"approvers\": [\"manager:owner\", \"role:r\", "
		       "\"user:u\", \"manager\"], \"rule\": \"all\", "
		       "\"timeout\": \"48h\", \"escalate\": [\"role:d\"], "
		       "\"escalate_timeout\": \"1d\"}]}");

	CHECK_INT(crm_approval_spec_check(j, "f.json", "p", &err), 0,
		  "a full spec is good");
	json_decref(j);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = js(bad[i].spec);
		crm_err_clear(&err);
		CHECK(crm_approval_spec_check(j, "f.json", "p", &err) < 0 &&
			  err.code == CRM_EX_CONFIG,
		      bad[i].what);
		CHECK_STR(err.field, bad[i].field, "... naming the field");
		json_decref(j);
	}
}

static int start(const char *spec, int64_t deal, int64_t *id,
		 struct crm_err *err)
{
	json_t *j = js(spec);
	int rc;

	crm_err_clear(err);
	rc = crm_db_begin(db, err);
	if (rc == 0)
		rc = crm_approval_start(db, &crm_deal_entity, deal, j, NULL, id,
					err);
	if (rc == 0)
		rc = crm_db_commit(db, err);
	else
		crm_db_rollback(db);
	json_decref(j);
	return rc;
}

static int decide(int64_t id, const char *user, bool approve,
		  const char *comment, const char **outcome,
		  struct crm_err *err)
{
	int rc;

	crm_err_clear(err);
	rc = crm_db_begin(db, err);
	if (rc == 0)
		rc = crm_approval_decide(db, id, user, approve, comment,
					 outcome, err);
	if (rc == 0)
		rc = crm_db_commit(db, err);
	else
		crm_db_rollback(db);
	return rc;
}

static int timeouts(const char *now, uint64_t *n, struct crm_err *err)
{
	int rc;

	crm_err_clear(err);
	crm_datetime_parse(now, &db->now, err);
	rc = crm_db_begin(db, err);
	if (rc == 0)
		rc = crm_approval_timeouts(db, n, err);
	if (rc == 0)
		rc = crm_db_commit(db, err);
	else
		crm_db_rollback(db);
	return rc;
}

static const char two_steps[] =
    "{\"name\": \"discount\", \"lock\": [\"discount\", \"amount\"], "
    "\"steps\": [{\"name\": \"manager\", \"when\": \"discount > 15\", "
    "\"approvers\": [\"manager:owner\"], \"timeout\": \"48h\", "
    "\"escalate\": [\"role:director\"]}, {\"name\": \"director\", "
    "\"when\": \"discount > 30\", \"approvers\": [\"role:director\"], "
    "\"rule\": \"all\"}]}";

static void decisions(void)
{
	struct crm_err err = {0};
	const char *outcome = NULL;
	int64_t id = 0;
	uint64_t n = 0;

	/* deal 1: 20% (one step); deal 2: 35% (two); deal 3: 5 (none) */
	CHECK_INT(start(two_steps, 1, &id, &err), 0, "start on deal 1");
	CHECK_INT(id, 1, "approval 1");
	CHECK_STR(q1("SELECT status || ' ' || step || ' ' || due_at FROM "
		     "crm_approvals WHERE id = 1"),
		  "pending 0 2026-11-24T09:30:00Z",
		  "pending at step 1, due in 48 hours");
	CHECK_STR(q1("SELECT group_concat(approver) FROM "
		     "crm_approval_approvers WHERE approval_id = 1"),
		  "mike", "the owner's manager approves");
	CHECK_INT(start(two_steps, 1, &id, &err), -1,
		  "a second approval of the same process is refused");
	CHECK_INT(err.code, CRM_EX_DATAERR, "... as a data error");
	CHECK_INT(decide(1, "dora", true, NULL, &outcome, &err), -1,
		  "a non-approver cannot approve");
	CHECK_STR(err.msg,
		  "dora is not an approver of step 1 (manager) of approval 1 "
		  "(waiting for mike)",
		  "... naming the approvers");
	CHECK_INT(decide(1, "mike", true, "ok", &outcome, &err), 0,
		  "mike approves");
	CHECK_STR(outcome, "approved", "step 2 does not apply: approved");
	CHECK_INT(decide(1, "mike", true, NULL, &outcome, &err), -1,
		  "a second decision is refused");
	CHECK_STR(err.msg, "approval 1 is approved already", "... saying so");
	CHECK_INT(decide(99, "mike", true, NULL, &outcome, &err), -1,
		  "an unknown approval");
	CHECK_INT(err.code, CRM_EX_NOINPUT, "... is not found (66)");
	CHECK_STR(q1("SELECT group_concat(event, ',') FROM (SELECT event FROM "
		     "crm_approval_events WHERE approval_id = 1 ORDER BY id)"),
		  "requested,step,approve,skipped,approved", "its history");
	CHECK_STR(q1("SELECT count(*) FROM crm_changes c JOIN crm_audit a ON "
		     "a.change_id = c.id WHERE a.entity = 'approval' AND "
		     "a.record_id = 1 AND c.command = 'approve' AND a.after "
		     "LIKE '%\"outcome\":\"approved\"%'"),
		  "1", "the decision is in the change log with its outcome");

	/* two steps, the second all of two directors */
	CHECK_INT(start(two_steps, 2, &id, &err), 0, "start on deal 2");
	CHECK_INT(decide(id, "mike", true, NULL, &outcome, &err), 0,
		  "step 1 approved");
	CHECK_STR(outcome, NULL, "... not yet the outcome");
	CHECK_STR(
	    q1("SELECT group_concat(approver) FROM (SELECT approver FROM "
	       "crm_approval_approvers WHERE approval_id = 2 AND step = 2 "
	       "ORDER BY approver)"),
	    "dora,eve", "step 2: both directors");
	CHECK_INT(decide(id, "dora", true, NULL, &outcome, &err), 0,
		  "dora approves");
	CHECK_STR(outcome, NULL, "all of them must: still pending");
	CHECK_INT(decide(id, "dora", true, NULL, &outcome, &err), -1,
		  "dora cannot approve twice");
	CHECK_STR(err.msg,
		  "dora approved step 2 (director) of approval 2 "
		  "already",
		  "... saying so");
	CHECK_INT(decide(id, "eve", false, NULL, &outcome, &err), -1,
		  "a rejection needs a reason");
	CHECK_INT(decide(id, "eve", false, "too deep", &outcome, &err), 0,
		  "eve rejects");
	CHECK_STR(outcome, "rejected", "one rejection rejects");

	/* no step applies: approved at once */
	CHECK_INT(start(two_steps, 3, &id, &err), 0, "start on deal 3");
	CHECK_STR(q1("SELECT status FROM crm_approvals WHERE id = 3"),
		  "approved", "no step applies: approved at once");

	/* deal 4's owner has no manager */
	CHECK_INT(start(two_steps, 4, &id, &err), -1,
		  "an owner without a manager");
	CHECK_STR(err.msg,
		  "deal 4: owner 'dora' has no manager in the approvers file",
		  "... is a data error naming the owner");
	CHECK_STR(q1("SELECT count(*) FROM crm_approvals WHERE record_id = 4"),
		  "0", "... nothing written");

	/* timeout and escalation on deal 5 */
	CHECK_INT(start(two_steps, 5, &id, &err), 0, "start on deal 5");
	CHECK_INT(timeouts("2026-11-24T09:29:59Z", &n, &err), 0,
		  "a second before the timeout");
	CHECK_INT(n, 0, "... nothing");
	CHECK_INT(timeouts("2026-11-24T09:30:00Z", &n, &err), 0,
		  "at the timeout");
	CHECK_INT(n, 1, "... one escalation");
	CHECK_INT(timeouts("2026-11-24T09:30:00Z", &n, &err), 0,
		  "again at the same time");
	CHECK_INT(n, 0, "... nothing (exactly once)");
	CHECK_STR(
	    q1("SELECT group_concat(approver || ':' || state) FROM "
	       "(SELECT approver, state FROM crm_approval_approvers WHERE "
	       "approval_id = 4 ORDER BY approver)"),
	    "dora:waiting,eve:waiting,mike:escalated",
	    "the step passed to the directors");
	CHECK_INT(decide(id, "mike", true, NULL, &outcome, &err), -1,
		  "mike may no longer decide");
	CHECK_INT(timeouts("2026-11-26T09:30:00Z", &n, &err), 0,
		  "the escalation times out too");
	CHECK_STR(q1("SELECT status FROM crm_approvals WHERE id = 4"),
		  "expired", "... expired");
	CHECK_STR(q1("SELECT group_concat(command) FROM (SELECT command FROM "
		     "crm_changes WHERE entity = 'approval' ORDER BY id DESC "
		     "LIMIT 2)"),
		  "expire,escalate", "both in the change log");
}

static void money(void)
{
	struct crm_err err = {0};
	int64_t id = 0;

	/* deal 7: 1000.00 EUR (100000 minor units) */
	CHECK_INT(start("{\"name\": \"m1\", \"steps\": [{\"when\": "
			"\"amount > 1000\", \"approvers\": [\"user:x\"]}]}",
			7, &id, &err),
		  0, "start with a money condition");
	CHECK_STR(q1("SELECT status FROM crm_approvals WHERE process = 'm1'"),
		  "approved", "1000.00 is not over 1000: approved at once");
	CHECK_INT(start("{\"name\": \"m2\", \"steps\": [{\"when\": "
			"[\"amount >= 1000\", \"currency = EUR\"], "
			"\"approvers\": [\"user:x\"]}]}",
			7, &id, &err),
		  0, "start with two conditions");
	CHECK_STR(q1("SELECT status FROM crm_approvals WHERE process = 'm2'"),
		  "pending", "money compares in the record's currency");
}

static void lock(void)
{
	struct crm_err err = {0};
	struct crm_rec set;
	struct crm_strv where = {0};
	int64_t ids[] = {6}, id = 0;
	struct crm_query q = {.ids = ids, .nids = 1, .limit = -1};
	uint64_t n = 0;

	CHECK_INT(start(two_steps, 6, &id, &err), 0, "start on deal 6");
	crm_rec_init(&set);
	crm_rec_adds(&set, "discount", "10");
	CHECK_INT(
	    crm_entity_update(db, &crm_deal_entity, &q, &set, false, &n, &err),
	    -1, "updating a locked field is refused");
	CHECK_INT(err.code, CRM_EX_DATAERR, "... as a data error");
	CHECK_STR(err.msg, "deal 6: discount is locked by pending approval 5",
		  "... naming record, field and approval");
	CHECK_STR(q1("SELECT json_extract(custom, '$.discount') FROM deals "
		     "WHERE id = 6"),
		  "25", "... nothing written");
	crm_rec_clear(&set);
	crm_rec_adds(&set, "name", "renamed");
	crm_err_clear(&err);
	CHECK_INT(
	    crm_entity_update(db, &crm_deal_entity, &q, &set, false, &n, &err),
	    0, "a field that is not guarded may change");
	CHECK_INT(n, 1, "... one deal");
	CHECK_INT(decide(id, "mike", true, NULL, NULL, &err), 0,
		  "approved: the lock goes");
	crm_rec_clear(&set);
	crm_rec_adds(&set, "discount", "10");
	CHECK_INT(
	    crm_entity_update(db, &crm_deal_entity, &q, &set, false, &n, &err),
	    0, "... and the discount may change");
	crm_rec_release(&set);
	crm_strv_release(&where);
}

int main(void)
{
	char dir[] = "/tmp/crm-t_approval.XXXXXX", path[64], apath[96];
	struct crm_err err = {0};
	FILE *fp;

	approvers();
	specs();
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	snprintf(apath, sizeof(apath), "%s/approvers.json", dir);
	fp = fopen(apath, "w");
	if (!fp)
		return 1;
	fputs("{\"users\": {\"ann\": {\"roles\": [\"rep\"], \"manager\": "
	      "\"mike\"}, \"mike\": {\"roles\": [\"sales_manager\"], "
	      "\"manager\": \"dora\"}, \"dora\": {\"roles\": [\"director\"]}, "
	      "\"eve\": {\"roles\": [\"director\"]}}}",
	      fp);
	fclose(fp);
	crm_approvers_use(apath);
	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "database opens");
	if (!db)
		return done_testing();
	CHECK(
	    crm_db_exec(db,
			"INSERT INTO deals (id, name, owner, custom, "
			"pipeline, stage, status, created_at, updated_at) "
			"VALUES "
			"(1, 'a', 'ann', '{\"discount\": \"20\"}', "
			"'default', 'qualification', 'open', 'x', 'x'),"
			"(2, 'b', 'ann', '{\"discount\": 35}', 'default', "
			"'qualification', 'open', 'x', 'x'),"
			"(3, 'c', 'ann', '{\"discount\": \"5\"}', 'default', "
			"'qualification', 'open', 'x', 'x'),"
			"(4, 'd', 'dora', '{\"discount\": 20}', 'default', "
			"'qualification', 'open', 'x', 'x'),"
			"(5, 'e', 'ann', '{\"discount\": 20}', 'default', "
			"'qualification', 'open', 'x', 'x'),"
			"(6, 'f', 'ann', '{\"discount\": \"25\"}', "
			"'default', 'qualification', 'open', 'x', 'x');"
			"INSERT INTO deals (id, name, owner, amount, currency, "
			"pipeline, stage, status, created_at, updated_at) "
			"VALUES (7, 'g', 'ann', 100000, 'EUR', 'default', "
			"'qualification', 'open', 'x', 'x');"
			"INSERT INTO crm_custom_fields VALUES ('deal', "
			"'discount');",
			&err) == 0,
	    "fixtures");
	decisions();
	lock();
	money();
	crm_db_close(db);
	test_remove_db(path);
	unlink(apath);
	rmdir(dir);
	return done_testing();
}
