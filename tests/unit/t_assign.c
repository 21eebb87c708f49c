/* t_assign.c - assignment rules: matching order, round-robin evenness,
 * capacities, least-busy, weighted shares, avoiding the previous owner,
 * and bad rules files. */
#include <stdlib.h>
#include <unistd.h>

#include "assign.h"
#include "lead.h"
#include "test.h"

static const char *lead_get(const char *field, void *arg)
{
	const char *const *kv = arg;

	for (size_t i = 0; kv[i]; i += 2)
		if (!strcmp(kv[i], field))
			return kv[i + 1];
	return NULL;
}

static char tmp[] = "/tmp/t_assign.XXXXXX";

static int load(const char *json, struct crm_assign_rules *r,
		struct crm_err *err)
{
	FILE *fp = fopen(tmp, "w");

	fputs(json, fp);
	fclose(fp);
	crm_err_clear(err);
	return crm_assign_load(tmp, &crm_lead_entity, r, err);
}

static const char seven[] =
    "{\"teams\": [{\"name\": \"t\", \"members\": [\"a\", \"b\", \"c\", "
    "\"d\", \"e\", \"f\", \"g\"]}], \"rules\": [{\"match\": {}, "
    "\"team\": \"t\"}]}";

int main(void)
{
	struct crm_assign_rules r;
	struct crm_err err;
	int fd = mkstemp(tmp);
	int64_t count[8] = {0}, lo, hi;

	close(fd);
	/* rule order, ranges, lists, default */
	CHECK_INT(load("{\"default_owner\": \"desk\", \"rules\": ["
		       "{\"name\": \"hot\", \"match\": {\"score\": {\"min\": "
		       "80}}, \"owner\": \"h\"},"
		       "{\"name\": \"eu\", \"match\": {\"region\": [\"EMEA\", "
		       "\"Europe\"], \"source\": \"web\"}, \"owner\": \"e\"},"
		       "{\"name\": \"web\", \"match\": {\"source\": \"web\"}, "
		       "\"owner\": \"w\"}]}",
		       &r, &err),
		  0, "a valid file loads");
	{
		const char *hot_eu[] = {"score",  "85",	 "region", "emea",
					"source", "web", NULL};
		const char *eu[] = {"score",  "79.5", "region", "Europe",
				    "source", "web",  NULL};
		const char *web[] = {"region", "APAC", "source", "WEB", NULL};
		const char *none[] = {"score", "x", "source", "ads", NULL};

		CHECK_INT(crm_assign_match(&r, lead_get, hot_eu), 0,
			  "the first matching rule wins");
		CHECK_INT(crm_assign_match(&r, lead_get, eu), 1,
			  "all conditions must hold; values case-insensitive");
		CHECK_INT(crm_assign_match(&r, lead_get, web), 2,
			  "a later rule when earlier ones fail");
		CHECK_INT(crm_assign_match(&r, lead_get, none), -1,
			  "no rule: -1 (the caller uses the default)");
		CHECK_STR(r.default_owner, "desk", "default owner read");
		CHECK_STR(r.rules[2].name, "web", "rule names kept");
	}
	crm_assign_release(&r);

	/* round-robin over 1,000 leads and 7 reps: even within one */
	CHECK_INT(load(seven, &r, &err), 0, "seven reps load");
	for (int64_t id = 1; id <= 1000; id++) {
		long p = crm_assign_pick(&r, &r.teams[0], NULL, id, NULL);
		if (p >= 0)
			count[p]++;
	}
	lo = hi = count[0];
	for (int i = 0; i < 7; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	CHECK(hi - lo <= 1, "round-robin: 1000 leads over 7 reps within one");
	CHECK_INT(count[0] + count[1] + count[2] + count[3] + count[4] +
		      count[5] + count[6],
		  1000, "every lead assigned");
	/* after any prefix too: a rep never gets two before all got one */
	{
		int64_t seen[7] = {0};
		bool fair = true;

		for (int64_t id = 1; id <= 70; id++) {
			long p =
			    crm_assign_pick(&r, &r.teams[0], NULL, id, NULL);
			seen[p]++;
			for (int i = 0; i < 7; i++)
				for (int k = 0; k < 7; k++)
					if (seen[i] - seen[k] > 1)
						fair = false;
		}
		CHECK(fair, "round-robin is even after every lead");
	}
	crm_assign_release(&r);

	/* the tie break is seeded: same seed, same first pick; and it is not
	 * the order in the file for every seed */
	{
		long first[2];
		bool differs = false;

		for (int s = 0; s < 2; s++) {
			load(seven, &r, &err);
			r.seed = 42;
			first[s] =
			    crm_assign_pick(&r, &r.teams[0], NULL, 1, NULL);
			crm_assign_release(&r);
		}
		CHECK_INT(first[0], first[1], "same seed, same choice");
		for (uint64_t seed = 1; seed < 20; seed++) {
			load(seven, &r, &err);
			r.seed = seed;
			if (crm_assign_pick(&r, &r.teams[0], NULL, 1, NULL) !=
			    0)
				differs = true;
			crm_assign_release(&r);
		}
		CHECK(differs, "ties are not broken by file order");
	}

	/* capacities: a member at capacity is skipped; all full: -1 */
	CHECK_INT(load("{\"teams\": [{\"name\": \"t\", \"max_open\": 2, "
		       "\"members\": [\"a\", {\"name\": \"b\", \"max_open\": "
		       "1}, {\"name\": \"c\", \"max_per_30d\": 0}]}], "
		       "\"rules\": []}",
		       &r, &err),
		  0, "capacities load");
	memset(count, 0, sizeof(count));
	for (int64_t id = 1; id <= 5; id++) {
		long p = crm_assign_pick(&r, &r.teams[0], NULL, id, NULL);
		count[p < 0 ? 7 : p]++;
	}
	CHECK_INT(count[0], 2, "a: up to max_open 2 (team default)");
	CHECK_INT(count[1], 1, "b: its own max_open 1");
	CHECK_INT(count[2], 0, "c: max_per_30d 0 takes none");
	CHECK_INT(count[7], 2, "the rest: nobody can take them");
	{
		struct crm_buf why = {0};
		crm_assign_pick(&r, &r.teams[0], NULL, 9, &why);
		CHECK_STR(why.s, "every member of team t is at capacity",
			  "explained");
		crm_buf_release(&why);
	}
	crm_assign_release(&r);

	/* least-busy: fewest open leads first */
	load("{\"teams\": [{\"name\": \"t\", \"strategy\": \"least_busy\", "
	     "\"members\": [\"a\", \"b\", \"c\"]}], \"rules\": []}",
	     &r, &err);
	r.teams[0].m[0].open = 5;
	r.teams[0].m[1].open = 2;
	r.teams[0].m[2].open = 4;
	memset(count, 0, sizeof(count));
	for (int64_t id = 1; id <= 5; id++)
		count[crm_assign_pick(&r, &r.teams[0], NULL, id, NULL)]++;
	/* b 2->3->4; b and c tie at 4: c (never assigned) 5; b 5; all tie
	 * at 5: a (never assigned) 6 */
	CHECK(count[0] == 1 && count[1] == 3 && count[2] == 1,
	      "least-busy: fewest open, ties to the longest since a last");
	crm_assign_release(&r);

	/* weighted: shares follow the weights exactly over a cycle */
	load("{\"teams\": [{\"name\": \"t\", \"strategy\": \"weighted\", "
	     "\"members\": [{\"name\": \"a\", \"weight\": 3}, {\"name\": "
	     "\"b\", \"weight\": 1}]}], \"rules\": []}",
	     &r, &err);
	memset(count, 0, sizeof(count));
	for (int64_t id = 1; id <= 400; id++)
		count[crm_assign_pick(&r, &r.teams[0], NULL, id, NULL)]++;
	CHECK(count[0] == 300 && count[1] == 100, "weighted 3:1 over 400");
	crm_assign_release(&r);

	/* the previous owner is avoided unless nobody else can take it */
	load("{\"teams\": [{\"name\": \"t\", \"members\": [\"a\", "
	     "{\"name\": \"b\", \"max_open\": 0}]}], \"rules\": []}",
	     &r, &err);
	CHECK_INT(crm_assign_pick(&r, &r.teams[0], "a", 1, NULL), 0,
		  "previous owner gets it when the rest are full");
	crm_assign_release(&r);
	load(seven, &r, &err);
	for (int64_t id = 1; id <= 20; id++)
		if (crm_assign_pick(&r, &r.teams[0], "a", id, NULL) == 0)
			count[7] = -1;
	CHECK(count[7] != -1, "previous owner avoided otherwise");
	crm_assign_release(&r);

	/* bad files: 78, naming the rule or team */
	CHECK_INT(load("{\"rules\": [{\"name\": \"x\", \"team\": \"nope\"}]}",
		       &r, &err),
		  -1, "unknown team refused");
	CHECK_INT(err.code, CRM_EX_CONFIG, "exit 78");
	CHECK_STR(err.msg, "rule 1 'x': unknown team 'nope'", "names the rule");
	crm_assign_release(&r);
	load("{\"rules\": [{\"owner\": \"a\"}, {\"match\": {\"regoin\": "
	     "\"EU\"}, \"owner\": \"b\"}]}",
	     &r, &err);
	CHECK_STR(err.msg, "rule 2: unknown lead field 'regoin'",
		  "unknown field, rule by index");
	crm_assign_release(&r);
	load("{\"teams\": [{\"name\": \"t\", \"strategy\": \"random\", "
	     "\"members\": [\"a\"]}], \"rules\": []}",
	     &r, &err);
	CHECK_STR(err.msg,
		  "team 1 't': unknown strategy 'random' (expected "
		  "round_robin, least_busy or weighted)",
		  "unknown strategy");
	crm_assign_release(&r);
	load("{\"rules\": [{\"match\": {\"score\": {\"min\": 9, \"max\": 1}}, "
	     "\"owner\": \"a\"}]}",
	     &r, &err);
	CHECK_STR(err.msg, "rule 1: score: min is above max", "bad range");
	crm_assign_release(&r);
	CHECK_INT(load("{\"rules\": [", &r, &err), -1, "JSON syntax error");
	CHECK_INT(err.code, CRM_EX_CONFIG, "... is 78 too");
	CHECK(err.line == 1, "... with its line");
	crm_assign_release(&r);
	CHECK_INT(
	    crm_assign_load("/nonexistent/x.json", &crm_lead_entity, &r, &err),
	    -1, "missing file");
	CHECK_INT(err.code, CRM_EX_NOINPUT, "... is 66");
	crm_assign_release(&r);
	unlink(tmp);
	return done_testing();
}
