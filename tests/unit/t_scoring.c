/* t_scoring.c - scoring rules against hand-computed values.
 * Operators: each rule gives a distinct power of two, so a sum says
 * exactly which rules matched. Decay values were worked out with a pocket
 * calculator (Python as one): 2 * 0.5^((10/24)/10) + 1 * 0.5^((9/24)/10)
 * = 2.9174057735; -50 * 0.5^(1/10) = -46.6516495768. */
#include <stdlib.h>
#include <unistd.h>

#include "scoring.h"
#include "test.h"

static char path[] = "/tmp/t_scoring.XXXXXX";

static struct crm_scoring *load_text(const char *text, struct crm_err *err)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
	return crm_scoring_load(path, err);
}

#define GRADES                                                                 \
	"\"grades\": {\"fit\": [{\"grade\": \"A\", \"min\": 40}, "             \
	"{\"grade\": \"B\", \"min\": 25}, {\"grade\": \"C\", \"min\": 10}, "   \
	"{\"grade\": \"D\"}], \"engagement\": [{\"grade\": \"1\", \"min\": "   \
	"50}, {\"grade\": \"2\", \"min\": 10}, {\"grade\": \"3\"}]}"

static const char ops_rules[] =
    "{\"fit\": {\"max\": 100000, \"rules\": ["
    "{\"name\": \"eq\", \"field\": \"Country Code\", \"op\": \"=\", "
    "\"value\": \"PT\", \"points\": 1},"
    "{\"name\": \"ne\", \"field\": \"status\", \"op\": \"!=\", \"value\": "
    "\"closed\", \"points\": 2},"
    "{\"name\": \"lt\", \"field\": \"employees\", \"op\": \"<\", "
    "\"value\": 10, \"points\": 4},"
    "{\"name\": \"le\", \"field\": \"employees\", \"op\": \"<=\", "
    "\"value\": 10, \"points\": 8},"
    "{\"name\": \"gt\", \"field\": \"employees\", \"op\": \">\", "
    "\"value\": 10, \"points\": 16},"
    "{\"name\": \"ge\", \"field\": \"employees\", \"op\": \">=\", "
    "\"value\": 10, \"points\": 32},"
    "{\"name\": \"between\", \"field\": \"employees\", \"op\": "
    "\"between\", \"value\": [5, 10], \"points\": 64},"
    "{\"name\": \"in\", \"field\": \"industry\", \"op\": \"in\", "
    "\"value\": [\"software\", \"fintech\"], \"points\": 128},"
    "{\"name\": \"not_in\", \"field\": \"industry\", \"op\": \"not_in\", "
    "\"value\": [\"retail\"], \"points\": 256},"
    "{\"name\": \"contains\", \"field\": \"title\", \"op\": \"contains\", "
    "\"value\": \"sales\", \"points\": 512},"
    "{\"name\": \"matches\", \"field\": \"title\", \"op\": \"matches\", "
    "\"value\": \"(^|[^a-z])(vp|director|head)([^a-z]|$)\", \"points\": "
    "1024},"
    "{\"name\": \"exists\", \"field\": \"phone\", \"op\": \"exists\", "
    "\"points\": 2048},"
    "{\"name\": \"missing\", \"field\": \"fax\", \"op\": \"missing\", "
    "\"points\": 4096},"
    "{\"name\": \"domain_in\", \"field\": \"email\", \"op\": "
    "\"domain_in\", \"value\": [\"gmail.com\"], \"points\": 8192}"
    "]}, " GRADES "}";

static double fit_of(const struct crm_scoring *s, const char *const *kv)
{
	struct crm_rec r;
	struct crm_score_result res;
	double v;

	crm_rec_init(&r);
	crm_score_result_init(&res);
	for (; kv[0]; kv += 2)
		crm_rec_adds(&r, kv[0], kv[1]);
	crm_scoring_fit(s, &r, &res);
	v = res.score;
	crm_score_result_release(&res);
	crm_rec_release(&r);
	return v;
}

static void test_operators(void)
{
	static const char *const a[] = {"Country Code",
					"pt",
					"status",
					"open",
					"employees",
					"10",
					"industry",
					"Software",
					"title",
					"VP of Sales",
					"phone",
					"123",
					"email",
					"ann@Gmail.com",
					NULL};
	static const char *const b[] = {
	    "Country Code", "ES",	"status", "closed", "employees",
	    "9.5",	    "industry", "retail", "title",  "Engineer",
	    "phone",	    "",		"fax",	  "x",	    "email",
	    "bob@acme.io",  NULL};
	static const char *const c[] = {"other", "1", NULL};
	static const char *const d[] = {
	    "employees", "many", "title", "Forehead", "fax", "1", NULL};
	static const char *const e[] = {
	    "title", "Head of IT", "fax", "1", "Country Code", "10", NULL};
	struct crm_err err;
	struct crm_scoring *s = load_text(ops_rules, &err);

	CHECK(s != NULL, "operator rules load");
	if (!s) {
		printf("# %s\n", err.msg);
		return;
	}
	/* all but lt (4) and gt (16): 16383 - 20 */
	CHECK_NEAR(fit_of(s, a), 16363, 0,
		   "= (any case) != <= >= between in not_in contains "
		   "matches exists missing domain_in (any case)");
	/* lt 4 + le 8 + between 64 */
	CHECK_NEAR(fit_of(s, b), 76, 0,
		   "9.5: < <= between; empty phone is missing; retail "
		   "neither in nor not_in");
	CHECK_NEAR(fit_of(s, c), 4096, 0,
		   "absent fields: only missing matches (not != or not_in)");
	CHECK_NEAR(fit_of(s, d), 0, 0,
		   "a word never compares as a number; Forehead is no head");
	CHECK_NEAR(fit_of(s, e), 1024, 0,
		   "matches Head; = compares numbers only with numbers");
	crm_scoring_free(s);
}

static const char caps_rules[] =
    "{\"fit\": {\"max\": 50, \"groups\": {\"firmo\": {\"max\": 20}, "
    "\"neg\": {\"min\": -10}}, \"rules\": ["
    "{\"name\": \"software\", \"field\": \"industry\", \"op\": \"in\", "
    "\"value\": [\"software\"], \"points\": 15, \"group\": \"firmo\"},"
    "{\"name\": \"big\", \"field\": \"employees\", \"op\": \">=\", "
    "\"value\": 100, \"points\": 10, \"group\": \"firmo\"},"
    "{\"name\": \"vp\", \"field\": \"title\", \"op\": \"contains\", "
    "\"value\": \"vp\", \"points\": 25},"
    "{\"name\": \"free mail\", \"field\": \"email\", \"op\": "
    "\"domain_in\", \"value\": [\"gmail.com\"], \"points\": -8, "
    "\"group\": \"neg\"},"
    "{\"name\": \"embargo\", \"field\": \"country\", \"op\": \"=\", "
    "\"value\": \"XX\", \"points\": -7, \"group\": \"neg\"},"
    "{\"name\": \"chief\", \"field\": \"title\", \"op\": \"matches\", "
    "\"value\": \"chief\", \"points\": 30}]},"
    "\"engagement\": {\"window_days\": 30, \"half_life_days\": 10, "
    "\"groups\": {\"web\": {\"max\": 5}}, \"types\": {"
    "\"email_open\": {\"points\": 2, \"daily_cap\": 3},"
    "\"form_submit\": {\"points\": 20},"
    "\"unsubscribe\": {\"points\": -50},"
    "\"web_visit\": {\"points\": 3, \"daily_cap\": 9, \"group\": "
    "\"web\"}}},"
    "\"combined\": {\"fit_weight\": 0.6, \"engagement_weight\": 0.4}," GRADES
    "}";

static void fit_rec(const struct crm_scoring *s, const char *const *kv,
		    struct crm_score_result *res)
{
	struct crm_rec r;

	crm_rec_init(&r);
	for (; kv[0]; kv += 2)
		crm_rec_adds(&r, kv[0], kv[1]);
	crm_scoring_fit(s, &r, res);
	crm_rec_release(&r);
}

static double part(const struct crm_score_result *r, const char *what)
{
	for (size_t i = 0; i < r->nparts; i++)
		if (!strcmp(r->parts[i].what, what))
			return r->parts[i].points;
	return 0;
}

static double sum_parts(const struct crm_score_result *r)
{
	double s = 0;

	for (size_t i = 0; i < r->nparts; i++)
		s += r->parts[i].points;
	return s;
}

static void test_caps_grades(struct crm_scoring *s,
			     struct crm_score_result *fit)
{
	static const char *const r1[] = {
	    "industry", "software",    "employees", "200", "title", "VP",
	    "email",	"a@gmail.com", "country",   "XX",  NULL};
	static const char *const r2[] = {
	    "industry", "software", "employees", "200", "title", "VP", NULL};
	static const char *const r3[] = {"email", "a@gmail.com", NULL};
	static const char *const r4[] = {"industry", "software", "employees",
					 "200",	     "title",	 "VP, Chief",
					 NULL};
	struct crm_score_result r;

	crm_score_result_init(&r);
	/* firmo 25 -> 20, vp 25, neg -15 -> -10: 35 */
	fit_rec(s, r1, fit);
	CHECK_NEAR(fit->score, 35, 1e-12, "group caps both ways: 35");
	CHECK_STR(fit->grade, "B", "35 is grade B (25..39)");
	CHECK_NEAR(part(fit, "group firmo cap"), -5, 0, "firmo cap -5");
	CHECK_NEAR(part(fit, "group neg cap"), 5, 0, "neg floor +5");
	CHECK_NEAR(sum_parts(fit), 35, 1e-12, "parts sum to the score");
	fit_rec(s, r2, &r);
	CHECK_NEAR(r.score, 45, 0, "20 + 25 = 45");
	CHECK_STR(r.grade, "A", "45 is grade A");
	fit_rec(s, r3, &r);
	CHECK_NEAR(r.score, 0, 0, "-8 floors at the total min 0");
	CHECK_NEAR(part(&r, "fit total cap"), 8, 0, "total floor +8");
	CHECK_STR(r.grade, "D", "0 is grade D");
	fit_rec(s, r4, &r);
	CHECK_NEAR(r.score, 50, 0, "20 + 25 + 30 = 75 caps at 50");
	CHECK_NEAR(part(&r, "fit total cap"), -25, 0, "total cap -25");
	crm_score_result_release(&r);
}

static void test_engagement(struct crm_scoring *s,
			    const struct crm_score_result *fit)
{
	struct crm_scoring_event ev[16];
	struct crm_score_result r, r2;
	struct crm_err err;
	crm_time now, t;
	size_t n = 0;
	char grade[32];

	crm_score_result_init(&r);
	crm_score_result_init(&r2);
	crm_datetime_parse("2026-11-22T12:00:00Z", &now, &err);
#define EV(type, when)                                                         \
	do {                                                                   \
		crm_datetime_parse(when, &t, &err);                            \
		ev[n++] = (struct crm_scoring_event){type, t};                 \
	} while (0)
	EV("email_open", "2026-11-22T04:00:00Z");  /* capped out */
	EV("email_open", "2026-11-22T02:00:00Z");  /* 2, age 10 h */
	EV("form_submit", "2026-11-12T12:00:00Z"); /* 20, 10 days: 10 */
	EV("email_open", "2026-11-22T03:00:00Z");  /* 1 of 2, age 9 h */
	EV("form_submit", "2026-10-23T12:00:00Z"); /* 30 days: outside */
	EV("form_submit", "2026-11-23T00:00:00Z"); /* future */
	EV("meeting", "2026-11-22T00:00:00Z");	   /* unknown type */
	crm_scoring_engagement(s, ev, n, now, &r);
	CHECK_NEAR(r.score, 12.9174057735, 1e-9,
		   "daily cap, decay, window, future and unknown events");
	CHECK_NEAR(part(&r, "email_open"), 2.9174057735, 1e-9,
		   "email opens: 2 and 1 decayed, the third capped");
	CHECK_NEAR(part(&r, "form_submit"), 10, 1e-12,
		   "one half-life: half the points");
	CHECK_STR(r.grade, "2", "12.9 is engagement grade 2");
	/* reversed order: the same */
	for (size_t i = 0; i < n / 2; i++) {
		struct crm_scoring_event x = ev[i];

		ev[i] = ev[n - 1 - i];
		ev[n - 1 - i] = x;
	}
	crm_scoring_engagement(s, ev, n, now, &r2);
	CHECK(r2.score == r.score, "event order does not matter");
	CHECK_NEAR(crm_scoring_combine(s, fit, &r, grade), 26.1669623094, 1e-9,
		   "combined: 0.6 * 35 + 0.4 * 12.917");
	CHECK_STR(grade, "B2", "combined grade B2");

	EV("unsubscribe", "2026-11-21T12:00:00Z"); /* -50 * 0.5^0.1 */
	crm_scoring_engagement(s, ev, n, now, &r);
	CHECK_NEAR(part(&r, "unsubscribe"), -46.6516495768, 1e-9,
		   "negative points decay too");
	CHECK_NEAR(r.score, 0, 0, "engagement floors at 0");
	CHECK_NEAR(part(&r, "engagement total cap"), 33.7342438033, 1e-9,
		   "... the floor shown as a part");
	CHECK_STR(r.grade, "3", "grade 3");

	n = 0;
	for (int i = 0; i < 5; i++)
		EV("web_visit", "2026-11-22T12:00:00Z");
	EV("web_visit", "2026-11-21T12:00:00Z"); /* next day's cap, 3 */
	crm_scoring_engagement(s, ev, n, now, &r);
	CHECK_NEAR(part(&r, "web_visit"), 9 + 3 * 0.93303299153680741, 1e-9,
		   "daily cap per day: 9 today, 3 * 0.5^0.1 yesterday");
	CHECK_NEAR(r.score, 5, 1e-12, "group web capped at 5");
	crm_scoring_engagement(s, ev, 0, now, &r);
	CHECK_NEAR(r.score, 0, 0, "no events: 0");
	CHECK_STR(r.grade, "3", "... grade 3");
	CHECK_STR(crm_scoring_trend(s, 20, 26), "improving", "up 6: improving");
	CHECK_STR(crm_scoring_trend(s, 24, 29), "steady", "up 5: steady");
	CHECK_STR(crm_scoring_trend(s, 40, 26), "declining", "down: declining");
	crm_score_result_release(&r);
	crm_score_result_release(&r2);
}

static void bad_rules(const char *text, const char *want, const char *what)
{
	struct crm_err err;
	struct crm_scoring *s = load_text(text, &err);

	CHECK(s == NULL && err.code == CRM_EX_CONFIG, what);
	crm_scoring_free(s);
	CHECK(strstr(err.msg, want) != NULL, "... with the reason");
	if (!strstr(err.msg, want))
		printf("#   want '%s'\n#   got  '%s'\n", want, err.msg);
	CHECK_STR(err.file, path, "... the error names the file");
}

#define RULE(x)                                                                \
	"{\"fit\": {\"rules\": [{\"name\": \"ok\", \"field\": \"a\", "         \
	"\"op\": \"exists\", \"points\": 1}, " x "]}, " GRADES "}"

static void test_bad(void)
{
	struct crm_err err;

	bad_rules(RULE("{\"name\": \"free mail\", \"field\": \"email\", "
		       "\"op\": \"matchs\", \"value\": \"x\", \"points\": 1}"),
		  "fit rule 2 'free mail': unknown operator 'matchs'",
		  "unknown operator: 78 naming the rule");
	bad_rules(RULE("{\"name\": \"re\", \"field\": \"t\", \"op\": "
		       "\"matches\", \"value\": \"(\", \"points\": 1}"),
		  "fit rule 2 're': bad pattern", "bad pattern");
	bad_rules(RULE("{\"name\": \"b\", \"field\": \"n\", \"op\": "
		       "\"between\", \"value\": [3], \"points\": 1}"),
		  "'between' needs [low, high]", "between needs two numbers");
	bad_rules(RULE("{\"name\": \"p\", \"field\": \"n\", \"op\": "
		       "\"exists\"}"),
		  "fit rule 2 'p': 'points' must be a number", "no points");
	bad_rules(RULE("{\"name\": \"g\", \"field\": \"n\", \"op\": "
		       "\"exists\", \"points\": 1, \"group\": \"nope\"}"),
		  "unknown group 'nope'", "unknown group");
	bad_rules(RULE("{\"name\": \"n\", \"field\": \"n\", \"op\": \">\", "
		       "\"value\": \"ten\", \"points\": 1}"),
		  "'>' needs a number 'value'", "> needs a number");
	bad_rules(RULE("{\"name\": \"k\", \"field\": \"n\", \"op\": "
		       "\"exists\", \"points\": 1, \"pionts\": 2}"),
		  "fit rule 2 'k': unknown key 'pionts'", "a typo in a key");
	bad_rules("{\"fit\": {\"rules\": []}, \"grades\": {\"fit\": "
		  "[{\"grade\": \"A\", \"min\": 10}, {\"grade\": \"B\", "
		  "\"min\": 20}, {\"grade\": \"C\"}], \"engagement\": "
		  "[{\"grade\": \"1\"}]}}",
		  "'min' must fall", "grade bands must fall");
	bad_rules("{\"fit\": {\"rules\": []}, \"grades\": {\"fit\": "
		  "[{\"grade\": \"A\", \"min\": 10}], \"engagement\": "
		  "[{\"grade\": \"1\"}]}}",
		  "the last band must have no 'min'", "last band catches all");
	bad_rules("{\"fit\": {\"rules\": []}, \"engagement\": {\"types\": "
		  "{\"x\": {\"points\": 1, \"daily_cap\": -1}}}, " GRADES "}",
		  "engagement type 'x': 'daily_cap' must not be negative",
		  "negative daily cap");
	bad_rules("{\"fit\": {\"rules\": [\n}", "", "a syntax error");
	load_text("{\"fit\": {\"rules\": [\n}", &err);
	CHECK_INT(err.line, 2, "... with its line");
	unlink(path);
	CHECK(crm_scoring_load(path, &err) == NULL &&
		  err.code == CRM_EX_NOINPUT,
	      "a missing rules file is 66");
}

int main(void)
{
	struct crm_err err;
	struct crm_scoring *s;
	struct crm_score_result fit;
	int fd = mkstemp(path);

	close(fd);
	test_operators();
	s = load_text(caps_rules, &err);
	CHECK(s != NULL, "caps rules load");
	if (s) {
		crm_score_result_init(&fit);
		test_caps_grades(s, &fit);
		test_engagement(s, &fit);
		crm_score_result_release(&fit);
		crm_scoring_free(s);
	}
	test_bad();
	unlink(path);
	return done_testing();
}
