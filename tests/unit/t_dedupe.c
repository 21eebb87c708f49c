/* t_dedupe.c - the dedupe engine on a fixture: type guesses, blocking
 * recall (every true pair is a candidate), clusters, rules, and candidates
 * for one more record (the import-time check). */
#include <stdlib.h>

#include "dedupe.h"
#include "test.h"

static const char *const names[] = {"given_name", "surname", "dob", "postcode"};
static const char *const rows[][5] = {
    {"p1", "Robert", "Smith", "1980-03-07", "2000"},
    {"p2", "Bob", "Smith", "1980-07-03", "2000"},
    {"p3", "Smith", "Robert", "1980-03-07", "2000"},
    {"p4", "Martha", "Jones", "1975-01-02", "3000"},
    {"p5", "Marhta", "Jones", "1975-01-02", NULL},
    {"p6", "Alice", "Brown", "1990-05-05", "4000"},
    {"p7", "Zed", "Zulu", "1960-01-01", "6000"},
    {"p8", "Kate", "Nguyen", "1985-12-24", "5000"},
    {"p9", "Katherine", "Nguyen", "1985-12-24", "5000"},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static int pairs_seen[NROWS][NROWS];

static int on_pair(size_t a, size_t b, double p, const int *lv, void *arg)
{
	(void)p;
	(void)lv;
	(void)arg;
	pairs_seen[a][b] = 1;
	return 0;
}

static int found[NROWS];

static int on_cand(size_t i, double p, void *arg)
{
	(void)arg;
	found[i] = p >= 0.5;
	return 0;
}

static struct crm_dedupe *fixture(void)
{
	int types[4];
	struct crm_err err;
	struct crm_dedupe *dd;

	for (int f = 0; f < 4; f++)
		types[f] = crm_dd_type_guess(names[f]);
	dd = crm_dedupe_new(names, types, 4, &err);
	for (size_t i = 0; i < NROWS; i++)
		crm_dedupe_add(dd, rows[i][0], rows[i] + 1, &err);
	return dd;
}

int main(void)
{
	struct crm_dedupe_opts o = {.threshold = 0.5};
	struct crm_err err;
	struct crm_dedupe *dd;
	const char *q[] = {"Rob", "Smith", "1980-03-07", "2000"};
	const char *bad[] = {"\xff", NULL, NULL, NULL};
	int types[2] = {CRM_DD_EMAIL, 99};

	CHECK_INT(crm_dd_type_guess("Given Name"), CRM_DD_FIRST_NAME,
		  "guess: Given Name");
	CHECK_INT(crm_dd_type_guess("DOB"), CRM_DD_DATE, "guess: DOB");
	CHECK_INT(crm_dd_type_guess("zip-code"), CRM_DD_POSTCODE,
		  "guess: zip-code");
	CHECK_INT(crm_dd_type_guess("shoe_size"), CRM_DD_IGNORE,
		  "guess: unknown");
	CHECK_INT(crm_dd_type_parse("company"), CRM_DD_COMPANY, "parse type");
	CHECK_INT(crm_dd_type_parse("shoe"), -1, "parse unknown type");
	CHECK(crm_dedupe_new(names, types, 2, &err) == NULL &&
		  err.code == CRM_EX_USAGE,
	      "a bad type is a usage error");

	dd = fixture();
	CHECK(crm_dedupe_run(dd, &o, &err) == 0, "run");
	/* blocking recall: every true pair was compared (and matched) */
	crm_dedupe_each_pair(dd, 0, on_pair, NULL);
	CHECK(pairs_seen[0][1] && pairs_seen[0][2] && pairs_seen[1][2],
	      "blocking: nickname, date swap and name swap pairs compared");
	CHECK(pairs_seen[3][4], "blocking: typo pair compared");
	CHECK(pairs_seen[7][8], "blocking: nickname pair compared");
	CHECK_INT(crm_dedupe_cluster(dd, 2), 0, "p3 in p1's cluster");
	CHECK_INT(crm_dedupe_cluster(dd, 4), 3, "p5 in p4's cluster");
	CHECK_INT(crm_dedupe_cluster(dd, 8), 7, "p9 in p8's cluster");
	CHECK_INT(crm_dedupe_cluster_size(dd, 5), 1, "p6 alone");
	CHECK(crm_dedupe_prob(dd, 5) < 0, "no probability alone");
	CHECK(crm_dedupe_prob(dd, 1) >= 0.5, "p2 matches its center");
	CHECK_STR(crm_dedupe_id(dd, 8), "p9", "ids kept");

	CHECK_INT(crm_dedupe_candidates(dd, q, 0.5, on_cand, NULL, &err), 3,
		  "candidates for Rob Smith: three");
	CHECK(found[0] && found[1] && found[2] && !found[3],
	      "candidates: p1, p2, p3");
	CHECK_INT(crm_dedupe_count(dd), NROWS, "the query record is not kept");
	CHECK_INT(crm_dedupe_candidates(dd, bad, 0.5, on_cand, NULL, &err), -1,
		  "candidates: bad UTF-8 refused");
	CHECK_STR(err.field, "given_name", "the error names the field");
	crm_dedupe_free(dd);

	dd = fixture();
	o.rule = "surname & dob";
	CHECK(crm_dedupe_run(dd, &o, &err) == 0, "run with a rule");
	CHECK_INT(crm_dedupe_cluster(dd, 1), 1, "rule: p2's date differs");
	CHECK_INT(crm_dedupe_cluster(dd, 4), 3, "rule: p5 with p4");
	crm_dedupe_free(dd);

	dd = fixture();
	o.rule = "dob & height";
	CHECK(crm_dedupe_run(dd, &o, &err) < 0 && err.code == CRM_EX_USAGE,
	      "rule on an unknown field: usage error");
	crm_dedupe_free(dd);
	return done_testing();
}
