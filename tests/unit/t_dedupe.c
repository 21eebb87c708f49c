/* t_dedupe.c - the dedupe engine on a fixture: type guesses, blocking
 * recall (every true pair is a candidate), clusters, rules, and candidates
 * for one more record (the import-time check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Colleagues: three companies of twelve people sharing the company, its
 * email domain, city and country, their phones one digit apart among the
 * last four, first names often alike; and three people entered twice (a
 * nickname or a typo, another email or none, the phone written another
 * way). Only those three pairs are duplicates. */
static const char *const cnames[] = {
    "first_name", "last_name", "email", "phone", "company", "city", "country"};
static const char *const firsts[] = {"Anna", "Thomas", "Julia",
				     "Anna", "Lukas",  "Thomas"};
static const char *const lasts[] = {"Hoffmann", "Meyer", "Weber",   "Schulz",
				    "Becker",	"Koch",	 "Wagner",  "Richter",
				    "Klein",	"Wolf",	 "Neumann", "Bauer"};
static const char *const companies[] = {"Donautal Handel AG", "Isarwerk GmbH",
					"Elbufer Logistik KG"};
static const char *const doms[] = {"donautal.de", "isarwerk.de", "elbufer.de"};

static const int areas[] = {30, 89, 40};

static int lv_seen[3][CRM_DD_MAXFIELDS];

static int on_dup(size_t a, size_t b, double p, const int *lv, void *arg)
{
	(void)p;
	(void)arg;
	if (b >= 36 && a == (b - 36) * 13 % 36)
		for (int f = 0; f < 7; f++)
			lv_seen[b - 36][f] = lv[f];
	return 0;
}

static void colleagues(void)
{
	struct crm_dedupe_opts o = {.threshold = 0.5};
	struct crm_err err;
	struct crm_dedupe *dd;
	int types[7];
	char id[16], em[64], ph[32];
	const char *v[7];
	size_t clustered = 0;

	for (int f = 0; f < 7; f++)
		types[f] = crm_dd_type_guess(cnames[f]);
	dd = crm_dedupe_new(cnames, types, 7, &err);
	for (int i = 0; i < 36; i++) {
		int c = i / 12, k = i % 12;
		snprintf(id, sizeof(id), "c%d", i);
		snprintf(em, sizeof(em), "%c%s@%s", firsts[k % 6][0],
			 lasts[(k + 5 * c) % 12], doms[c]);
		snprintf(ph, sizeof(ph), "+49 %d 555 %04d", areas[c],
			 10 + 3 * k);
		v[0] = firsts[k % 6];
		v[1] = lasts[(k + 5 * c) % 12];
		v[2] = em;
		v[3] = ph;
		v[4] = companies[c];
		v[5] = k % 2 ? "Berlin" : "Hamburg";
		v[6] = "DE";
		crm_dedupe_add(dd, id, v, &err);
	}
	/* copies of c0, c13 and c26 (i * 13 % 36 for i = 0, 1, 2) */
	for (int i = 0; i < 3; i++) {
		int src = i * 13, c = src / 12, k = src % 12;
		snprintf(id, sizeof(id), "dup%d", i);
		snprintf(ph, sizeof(ph), "0049%d555%04d", areas[c], 10 + 3 * k);
		if (i == 2) { /* a swap of two digits is a typo */
			size_t n = strlen(ph);
			char t = ph[n - 1];
			ph[n - 1] = ph[n - 2];
			ph[n - 2] = t;
		}
		v[0] = i == 1 ? "Tom" : firsts[k % 6];
		v[1] = i == 2 ? "Hoffmnan" : lasts[(k + 5 * c) % 12];
		v[2] = i == 0 ? "anna.h@gmail.com" : NULL;
		v[3] = ph;
		v[4] = companies[c];
		v[5] = k % 2 ? "Berlin" : "Hamburg";
		v[6] = "DE";
		crm_dedupe_add(dd, id, v, &err);
	}
	CHECK(crm_dedupe_run(dd, &o, &err) == 0, "colleagues: run");
	for (size_t i = 0; i < 36; i++)
		clustered += crm_dedupe_cluster_size(dd, i) > 1;
	CHECK_INT(clustered, 3,
		  "colleagues: only the three copied are "
		  "in clusters");
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(crm_dedupe_cluster(dd, 36 + i), i * 13 % 36,
			  "colleagues: each copy with its source");
	crm_dedupe_each_pair(dd, 0, on_dup, NULL);
	CHECK_INT(lv_seen[0][3], 2, "phone written another way: exact");
	CHECK_INT(lv_seen[2][3], 1, "phone with two digits swapped: similar");
	crm_dedupe_free(dd);
}

/* Records added on another thread: the same as added one by one; the
 * first bad record (in order) is the one reported, with its tag. */
static void feed(void)
{
	struct crm_dedupe *one, *two, *bad;
	struct crm_dedupe_feed *fd[3];
	int types[4];
	struct crm_err err;
	long tag = 0;
	bool same = true;

	for (int f = 0; f < 4; f++)
		types[f] = crm_dd_type_guess(names[f]);
	one = crm_dedupe_new(names, types, 4, &err);
	two = crm_dedupe_new(names, types, 4, &err);
	bad = crm_dedupe_new(names, types, 4, &err);
	fd[0] = crm_dedupe_feed_new(one, 1);
	fd[1] = crm_dedupe_feed_new(two, 2);
	fd[2] = crm_dedupe_feed_new(bad, 2);
	for (long k = 0; k < 10000; k++) {
		char id[32];
		const char *v[4] = {rows[k % NROWS][1], rows[k % NROWS][2],
				    rows[k % NROWS][3], rows[k % NROWS][4]};
		snprintf(id, sizeof(id), "r%ld", k);
		crm_dedupe_feed_add(fd[0], id, v, k);
		crm_dedupe_feed_add(fd[1], id, v, k);
		if (k == 7000)
			v[0] = "\xff"; /* bad UTF-8, then a repeated id */
		if (k == 9000)
			snprintf(id, sizeof(id), "r1");
		crm_dedupe_feed_add(fd[2], id, v, k); /* -1 once it knows */
	}
	CHECK(crm_dedupe_feed_end(fd[0], &err, &tag) == 0 &&
		  crm_dedupe_feed_end(fd[1], &err, &tag) == 0,
	      "feed: 10000 records on one thread and on two");
	CHECK_INT(crm_dedupe_count(two), 10000, "feed: all added");
	for (size_t i = 0; i < 10000; i++)
		same &= !strcmp(crm_dedupe_id(one, i), crm_dedupe_id(two, i));
	CHECK(same, "feed: in the same order");
	CHECK(crm_dedupe_feed_end(fd[2], &err, &tag) < 0 && tag == 7000 &&
		  !strcmp(err.field, "given_name"),
	      "feed: the first bad record reported, with its tag");
	CHECK_INT(crm_dedupe_count(bad), 7000, "feed: none added after it");
	crm_dedupe_free(one);
	crm_dedupe_free(two);
	crm_dedupe_free(bad);
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

	/* an import into an empty table: nothing to find, no crash */
	o.rule = NULL;
	dd = crm_dedupe_new(names,
			    (const int[]){CRM_DD_FIRST_NAME, CRM_DD_LAST_NAME,
					  CRM_DD_DATE, CRM_DD_POSTCODE},
			    4, &err);
	CHECK(dd && crm_dedupe_run(dd, &o, &err) == 0, "run with no records");
	CHECK_INT(crm_dedupe_candidates(dd, q, 0, on_cand, NULL, &err), 0,
		  "candidates in an empty dedupe: none");
	crm_dedupe_free(dd);

	colleagues();
	feed();
	return done_testing();
}
