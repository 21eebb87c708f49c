/* t_pipeline.c - pipelines files, forecast periods and sums, exchange
 * rates, and when a deal is stale. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deal.h"
#include "forecast.h"
#include "pipeline.h"
#include "stale.h"
#include "test.h"

static const char good[] =
    "{\"default\": \"b\", \"pipelines\": ["
    "{\"name\": \"a\", \"stages\": ["
    "{\"name\": \"open\", \"probability\": 10, \"forecast_category\": "
    "\"pipeline\"},"
    "{\"name\": \"w\", \"probability\": 100, \"forecast_category\": "
    "\"closed\", \"status\": \"won\"},"
    "{\"name\": \"l\", \"probability\": 0, \"forecast_category\": "
    "\"omitted\", \"status\": \"lost\"}]},"
    "{\"name\": \"b\", \"label\": \"B\", \"stages\": ["
    "{\"name\": \"proposal_quote\", \"label\": \"Proposal/Quote\", "
    "\"probability\": 62.5, \"forecast_category\": \"best_case\", "
    "\"max_days\": 2},"
    "{\"name\": \"won\", \"probability\": 100, \"forecast_category\": "
    "\"closed\", \"status\": \"won\"},"
    "{\"name\": \"lost\", \"probability\": 0, \"forecast_category\": "
    "\"omitted\", \"status\": \"lost\"}]}]}";

static void pipelines(void)
{
	struct crm_pipelines p;
	struct crm_err err = {0};
	const struct crm_pipeline *b;
	const struct crm_stage *s;
	char *list;

	CHECK_INT(crm_pipelines_parse(good, "p.json", &p, &err), 0,
		  "a good file parses");
	CHECK_INT(p.n, 2, "two pipelines");
	b = crm_pipeline_find(&p, NULL);
	CHECK_STR(b ? b->name : NULL, "b", "the default is named by default");
	s = crm_stage_find(b, "Proposal/Quote");
	CHECK_STR(s ? s->name : NULL, "proposal_quote", "stage by its label");
	s = crm_stage_find(b, "proposal-quote");
	CHECK_STR(s ? s->name : NULL, "proposal_quote",
		  "stage by a folded name");
	CHECK(s && s->probability == 62.5 && s->max_days == 2 &&
		  s->category == CRM_FCAT_BEST_CASE,
	      "probability, max_days, category");
	CHECK(crm_stage_find(b, "open") == NULL, "stages are per pipeline");
	s = crm_stage_first(b, CRM_DEAL_LOST);
	CHECK_STR(s ? s->name : NULL, "lost", "first lost stage");
	list = crm_pipeline_stage_list(b);
	CHECK_STR(list, "proposal_quote, won, lost", "stage list");
	free(list);
	crm_pipelines_release(&p);

	CHECK_INT(crm_pipelines_parse("{\"pipelines\": [{\"name\": \"a\", "
				      "\"stages\": [{\"name\": \"x\", "
				      "\"probability\": -1}]}]}",
				      "p.json", &p, &err),
		  -1, "a negative probability is refused");
	CHECK_INT(err.code, CRM_EX_CONFIG, "... as a configuration error");
	CHECK_STR(err.msg,
		  "pipeline 'a': stage 1 ('x'): probability: expected a "
		  "number from 0 to 100",
		  "... naming pipeline, stage and key");
	CHECK_STR(err.file, "p.json", "... and the file");
	CHECK(p.n == 0 && p.v == NULL, "nothing kept after an error");
}

static void periods(void)
{
	char out[16];

	crm_forecast_period("2026-11-05", CRM_PERIOD_MONTH, out);
	CHECK_STR(out, "2026-11", "month of a date");
	crm_forecast_period("2026-03-31T23:59:59Z", CRM_PERIOD_QUARTER, out);
	CHECK_STR(out, "2026-Q1", "quarter of a time");
	crm_forecast_period("2026-04-01", CRM_PERIOD_QUARTER, out);
	CHECK_STR(out, "2026-Q2", "April is Q2");
	crm_forecast_period("2026-12-01", CRM_PERIOD_QUARTER, out);
	CHECK_STR(out, "2026-Q4", "December is Q4");
	crm_forecast_period(NULL, CRM_PERIOD_MONTH, out);
	CHECK_STR(out, "", "no date, no period");
}

static void sums(void)
{
	struct crm_forecast fc;
	struct crm_rates r;
	struct crm_err err = {0};
	struct crm_rec rec;
	long double v;
	crm_time now = 1795339800; /* 2026-11-22T09:30:00Z */
	struct crm_forecast_deal d1 = {
	    "open", "2026-11-30", NULL, "kim", "EUR", 5, 50, CRM_FCAT_COMMIT};
	struct crm_forecast_deal d2 = {
	    "won", NULL, "2026-11-01T00:00:00Z", "kim", "EUR",
	    100,   100,	 CRM_FCAT_CLOSED};
	struct crm_forecast_deal d3 = {
	    "lost", NULL, "2026-11-01T00:00:00Z", "kim", "EUR",
	    700,    0,	  CRM_FCAT_OMITTED};

	crm_rec_init(&rec);
	crm_forecast_init(&fc, CRM_PERIOD_MONTH, false, NULL, now);
	/* 0.05 x 50% = 0.025 and again: 0.05 exactly, not 0.04 or 0.06 */
	CHECK_INT(crm_forecast_add(&fc, &d1, &err), 0, "add an open deal");
	CHECK_INT(crm_forecast_add(&fc, &d1, &err), 0, "add it again");
	CHECK_INT(crm_forecast_add(&fc, &d2, &err), 0, "add a won deal");
	CHECK_INT(crm_forecast_add(&fc, &d3, &err), 0, "a lost deal: ignored");
	crm_forecast_sort(&fc);
	CHECK_INT(fc.n, 1, "one period and currency");
	crm_forecast_rec(&fc, 0, &rec);
	CHECK_STR(crm_rec_get(&rec, "weighted_amount"), "0.05",
		  "weighted summed, then rounded");
	CHECK_STR(crm_rec_get(&rec, "commit"), "0.10", "commit category");
	CHECK_STR(crm_rec_get(&rec, "closed_won"), "1.00", "won so far");
	CHECK_STR(crm_rec_get(&rec, "owner"), NULL, "no owner column");
	crm_forecast_release(&fc);
	crm_rec_release(&rec);

	CHECK_INT(crm_rates_parse("{\"base\": \"EUR\", \"rates\": "
				  "{\"JPY\": 0.0062, \"KWD\": 3}}",
				  "r.json", &r, &err),
		  0, "a rates file");
	CHECK_INT(crm_rates_convert(&r, "JPY", 10000, &v, &err), 0, "JPY");
	CHECK_NEAR((double)v, 6200, 1e-6, "10000 JPY is 62.00 EUR");
	CHECK_INT(crm_rates_convert(&r, "KWD", 1000, &v, &err), 0, "KWD");
	CHECK_NEAR((double)v, 300, 1e-9, "1.000 KWD is 3.00 EUR");
	CHECK_INT(crm_rates_convert(&r, "USD", 1, &v, &err), -1,
		  "no rate for USD");
	CHECK_STR(err.msg, "no rate for USD", "... says so");
	crm_rates_release(&r);
}

static void stale(void)
{
	int64_t limit;

	CHECK_INT(crm_stale_check(0, 2 * 86400, 0, 2, &limit), 0,
		  "exactly at the stage limit: not stale");
	CHECK_INT(crm_stale_check(0, 2 * 86400 + 1, 0, 2, &limit), 2,
		  "past it: stale by stage");
	CHECK_INT(limit, 2 * 86400, "... limit 2 days");
	CHECK_INT(crm_stale_check(0, 10 * 86400, 5 * 86400, 7, &limit), 1,
		  "both past: the tighter (idle) counts");
	CHECK_INT(limit, 5 * 86400, "... limit 5 days");
	CHECK_INT(crm_stale_check(0, 10 * 86400, 9 * 86400, 7, &limit), 2,
		  "both past: the tighter (stage) counts");
	CHECK_INT(crm_stale_check(0, 10 * 86400, 0, 0, &limit), 0,
		  "no limits: never stale");
	CHECK_INT(crm_stale_check(0, 0.5 * 86400 + 1, 0, 0.5, &limit), 2,
		  "fractional days");
}

/* crm_deal_open, as crm-lead convert calls it. */
static void deal_open(void)
{
	char dir[] = "/tmp/crm-t_pipeline.XXXXXX", path[64];
	struct crm_err err = {0};
	struct crm_db *db;
	struct crm_row row;
	int64_t id = 0;
	struct crm_deal_new d = {.name = "From a lead",
				 .amount = "99.90",
				 .currency = "EUR",
				 .owner = "kim"};

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	setenv("CRM_NOW", "2026-11-22T09:30:00Z", 1);
	setenv("CRM_SHARE", "share/crm", 1); /* tests run from the top */
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "database opens");
	if (!db)
		return;
	CHECK_INT(crm_db_begin(db, &err), 0, "begin");
	CHECK_INT(crm_deal_open(db, &d, &id, &err), 0, "crm_deal_open");
	CHECK_INT(id, 1, "... gives the new id");
	d.stage = "nowhere";
	CHECK_INT(crm_deal_open(db, &d, NULL, &err), -1, "an unknown stage");
	CHECK_STR(err.field, "stage", "... is refused naming the field");
	CHECK_INT(crm_db_commit(db, &err), 0, "commit");
	crm_row_init(&row, &crm_deal_entity);
	CHECK_INT(crm_entity_get(db, &crm_deal_entity, 1, &row, &err), 1,
		  "the deal is there");
	CHECK_STR(crm_row_get(&row, "stage"), "prospecting",
		  "in the default pipeline's first stage");
	CHECK_STR(crm_row_get(&row, "amount"), "9990", "amount in cents");
	CHECK_STR(crm_row_get(&row, "probability"), "10", "probability");
	crm_row_release(&row);
	crm_db_close(db);
	test_remove_db(path);
	rmdir(dir);
}

/* crm_rowset (lib/entity): rows read by ids, found by id, taken once,
 * the room reused by the next load */
static void rowset(void)
{
	char dir[] = "/tmp/crm-rowset-XXXXXX", path[300];
	struct crm_err err = {0};
	struct crm_rowset rs = {0};
	struct crm_db *db;
	const int64_t some[] = {3, 1, 99}, one[] = {2};
	const char *names[] = {"A", "B", "C"};
	struct crm_row *r;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	db = crm_db_open(path, CRM_DB_CREATE, &err);
	CHECK(db != NULL, "rowset: database opens");
	if (!db)
		return;
	CHECK_INT(crm_db_begin(db, &err), 0, "begin");
	for (size_t i = 0; i < 3; i++) {
		struct crm_deal_new d = {.name = names[i], .owner = "kim"};

		CHECK_INT(crm_deal_open(db, &d, NULL, &err), 0, "a deal");
	}
	CHECK_INT(crm_db_commit(db, &err), 0, "commit");
	CHECK_INT(crm_rowset_load(db, &crm_deal_entity, some, 3, &rs, &err), 0,
		  "rowset: load 3, 1 and 99");
	CHECK_INT((int64_t)rs.n, 2, "... two of them are there");
	CHECK(crm_rowset_find(&rs, 99) == NULL, "... 99 is not");
	CHECK_STR(crm_row_get(crm_rowset_find(&rs, 1), "name"), "A",
		  "... deal 1 is A");
	CHECK_STR(crm_row_get(crm_rowset_find(&rs, 3), "name"), "C",
		  "... deal 3 is C");
	r = crm_rowset_take(&rs, 3);
	CHECK(r && !strcmp(crm_row_get(r, "name"), "C"), "taken: deal 3");
	CHECK(crm_rowset_take(&rs, 3) == NULL, "... once");
	CHECK(crm_rowset_take(&rs, 1) != NULL, "... 1 is still there to take");
	CHECK_INT(crm_rowset_load(db, &crm_deal_entity, one, 1, &rs, &err), 0,
		  "load again: 2");
	CHECK_INT((int64_t)rs.n, 1, "... one row");
	CHECK(crm_rowset_find(&rs, 1) == NULL, "... the last load's are gone");
	CHECK_STR(crm_row_get(crm_rowset_take(&rs, 2), "name"), "B",
		  "... deal 2, B, to take");
	CHECK_INT(crm_rowset_load(db, &crm_deal_entity, one, 0, &rs, &err), 0,
		  "load no ids");
	CHECK_INT((int64_t)rs.n, 0, "... no rows");
	crm_rowset_release(&rs);
	crm_db_close(db);
	test_remove_db(path);
	rmdir(dir);
}

int main(void)
{
	pipelines();
	periods();
	sums();
	stale();
	deal_open();
	rowset();
	return done_testing();
}
