/* t_logit.c - logistic regression against values computed independently.
 *
 * Reference values and how they were obtained:
 * - Two points, x = 0 and 2 (standardized -1 and +1), y = 0 and 1, L2
 *   lambda = 1: by symmetry the intercept is 0 and the weight solves
 *   w = 2 sigmoid(-w) (the gradient 2 sigmoid(w) - 2 + w = 0); bisection
 *   in Python to 1e-15 gives w = 0.674831614342399.
 * - Eight rows (below), encoded by hand in Python as this module encodes
 *   them (Deal Size standardized with the population sd over its 7 values,
 *   mean 26.428571428571427, sd 15.050933932646771, missing as 0 plus an
 *   indicator; Industry one-hot with min_count 3, so gov is pooled into
 *   "(other)"), then minimized exactly in NumPy 1.24 (Debian 12) by Newton
 *   steps with the analytic gradient and Hessian until the gradient was
 *   2e-16, confirmed by scipy.optimize.minimize(BFGS, gtol=1e-14):
 *   intercept 0.0917671309, coefficients 1.1775146818 -0.4458745805
 *   0.1367541022 -0.2456769628 0.1089228606; probability of row 1
 *   0.1916685776, of row 3 0.4458745805. scikit-learn 1.2.1
 *   LogisticRegression(C=1, tol=1e-12, solver='lbfgs') on the same design
 *   stops 3e-6 short of that optimum (0.1367517811 ...); newton-cg agrees
 *   to 2e-9. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "logit.h"
#include "test.h"

static struct crm_logit_data *eight_rows(void)
{
	static const char *const names[] = {"Deal Size ($)", "Industry"};
	static const char *const rows[8][2] = {
	    {"10", "tech"},   {"20", "tech"}, {NULL, "retail"}, {"40", "tech"},
	    {"50", "retail"}, {"5", "gov"},   {"25", "retail"}, {"35", "gov"},
	};
	static const int y[8] = {0, 0, 0, 1, 1, 0, 1, 1};
	struct crm_logit_data *d = crm_logit_data_new(names, 2);

	for (size_t i = 0; i < 8; i++)
		crm_logit_data_add(d, rows[i], y[i]);
	return d;
}

static void rec2(struct crm_rec *r, const char *size, const char *ind)
{
	crm_rec_clear(r);
	crm_rec_adds(r, "Deal Size ($)", size);
	crm_rec_adds(r, "Industry", ind);
}

static void test_two_points(void)
{
	static const char *const names[] = {"x"};
	static const char *const a[] = {"0"}, *const b[] = {"2"};
	struct crm_logit_data *d = crm_logit_data_new(names, 1);
	struct crm_logit_opts o;
	struct crm_logit_report rep;
	struct crm_err err;
	struct crm_logit_model *m;
	const char *const *cn;
	const double *c;

	crm_logit_data_add(d, a, 0);
	crm_logit_data_add(d, b, 1);
	crm_logit_opts_init(&o);
	o.target = "y";
	o.folds = 0;
	m = crm_logit_train(d, &o, &rep, &err);
	CHECK(m != NULL, "two points: trained");
	if (m) {
		CHECK_INT(crm_logit_model_coefs(m, &cn, &c), 2,
			  "two points: intercept and one weight");
		CHECK_NEAR(c[0], 0, 1e-9, "two points: intercept 0");
		CHECK_NEAR(c[1], 0.674831614342399, 1e-9,
			   "two points: w solves w = 2 sigmoid(-w)");
		CHECK(isnan(rep.cv_auc), "no folds: no CV AUC");
	}
	crm_logit_model_free(m);
	crm_logit_data_free(d);
	crm_logit_opts_release(&o);
}

static void test_eight_rows(void)
{
	static const double want[] = {0.0917671309,  1.1775146818,
				      -0.4458745805, 0.1367541022,
				      -0.2456769628, 0.1089228606};
	static const char *const want_names[] = {
	    "(intercept)",     "Deal Size ($)", "Deal Size ($) (missing)",
	    "Industry=retail", "Industry=tech", "Industry (other)"};
	struct crm_logit_data *d = eight_rows();
	struct crm_logit_opts o;
	struct crm_logit_report rep;
	struct crm_err err;
	struct crm_logit_model *m, *m2;
	const char *const *cn;
	const double *c;
	struct crm_rec r;
	struct crm_logit_factor fs[2];
	size_t nf = 0, n;
	double p, p2;
	char path[] = "/tmp/t_logit.XXXXXX";
	int fd;
	FILE *fp;

	crm_logit_opts_init(&o);
	o.target = "won";
	o.min_count = 3;
	o.folds = 0;
	m = crm_logit_train(d, &o, &rep, &err);
	CHECK(m != NULL, "eight rows: trained");
	if (!m)
		return;
	n = crm_logit_model_coefs(m, &cn, &c);
	CHECK_INT(n, 6, "eight rows: six design columns");
	for (size_t i = 0; i < n && i < 6; i++) {
		CHECK_STR(cn[i], want_names[i], "design column name");
		CHECK_NEAR(c[i], want[i], 1e-8,
			   "coefficient matches the reference optimum");
	}
	CHECK(rep.iterations > 0 && rep.iterations < 20,
	      "Newton converges in a few steps");
	CHECK_INT(rep.positives, 4, "four positives counted");

	crm_rec_init(&r);
	rec2(&r, "10", "tech");
	crm_logit_predict(m, &r, &p, NULL, 0, NULL, &err);
	CHECK_NEAR(p, 0.1916685776, 1e-8, "probability of row 1");
	rec2(&r, NULL, "retail");
	crm_logit_predict(m, &r, &p, fs, 2, &nf, &err);
	CHECK_NEAR(p, 0.4458745805, 1e-8, "missing number: indicator used");
	CHECK_INT(nf, 2, "two factors kept");
	CHECK_STR(fs[0].level, "Deal Size ($) (missing)",
		  "strongest factor first");
	CHECK_NEAR(fs[0].contribution, want[2], 1e-6,
		   "its contribution is its coefficient");
	CHECK_STR(fs[1].level, "Industry=retail", "then the industry");
	rec2(&r, "35", "mining");
	crm_logit_predict(m, &r, &p, fs, 2, &nf, &err);
	CHECK_NEAR(p,
		   1 / (1 + exp(-(want[0] +
				  want[1] * (35 - 26.428571428571427) /
				      15.050933932646771 +
				  want[5]))),
		   1e-6, "unseen value goes to (other)");

	/* save and load: the same predictions */
	fd = mkstemp(path);
	fp = fdopen(fd, "w");
	CHECK_INT(crm_logit_model_save(m, &rep, fp, &err), 0, "model saved");
	fclose(fp);
	m2 = crm_logit_model_load(path, &err);
	CHECK(m2 != NULL, "model loaded");
	if (m2) {
		rec2(&r, "20", "tech");
		crm_logit_predict(m, &r, &p, NULL, 0, NULL, &err);
		crm_logit_predict(m2, &r, &p2, NULL, 0, NULL, &err);
		CHECK(p == p2, "loaded model predicts bit for bit the same");
		rec2(&r, "lots", "tech");
		CHECK_INT(crm_logit_predict(m2, &r, &p, NULL, 0, NULL, &err),
			  -1, "a word in a numeric feature is an error");
		CHECK_INT(err.code, CRM_EX_DATAERR, "... a data error");
		CHECK_STR(err.field, "Deal Size ($)", "... naming the field");
	}
	crm_logit_model_free(m2);
	fp = fopen(path, "w");
	fputs("{\"format\":\"crm-logit\",\"version\":1,\"features\":[{\"name\":"
	      "\"a\",\"type\":\"numeric\",\"mean\":0,\"sd\":1}],"
	      "\"intercept\":0}",
	      fp);
	fclose(fp);
	CHECK(crm_logit_model_load(path, &err) == NULL,
	      "a model without a coefficient is refused");
	CHECK_INT(err.code, CRM_EX_CONFIG, "... as a configuration error");
	unlink(path);
	CHECK(crm_logit_model_load(path, &err) == NULL &&
		  err.code == CRM_EX_NOINPUT,
	      "a missing model file is 66");
	crm_rec_release(&r);
	crm_logit_model_free(m);
	crm_logit_data_free(d);
	crm_logit_opts_release(&o);
}

static void test_cv(void)
{
	static const char *const names[] = {"x", "c"};
	struct crm_logit_data *d = crm_logit_data_new(names, 2);
	struct crm_logit_opts o;
	struct crm_logit_report r1, r2, r3;
	struct crm_err err;
	struct crm_logit_model *m;
	char x[32];
	const char *row[2];
	uint64_t s = 7;

	for (int i = 0; i < 200; i++) {
		s = s * 6364136223846793005u + 1442695040888963407u;
		int v = (int)(s >> 33) % 100;
		snprintf(x, sizeof(x), "%d", v);
		row[0] = x;
		row[1] = i % 3 ? "a" : "b";
		crm_logit_data_add(d, row, v + (int)((s >> 20) % 60) > 80);
	}
	crm_logit_opts_init(&o);
	o.target = "y";
	o.seed = 42;
	m = crm_logit_train(d, &o, &r1, &err);
	crm_logit_model_free(m);
	m = crm_logit_train(d, &o, &r2, &err);
	crm_logit_model_free(m);
	CHECK(r1.cv_auc == r2.cv_auc && r1.cv_log_loss == r2.cv_log_loss,
	      "the same seed gives the same cross-validation");
	CHECK(r1.cv_auc > 0.8 && r1.cv_auc <= 1, "CV AUC is high");
	CHECK_INT(r1.cv_folds_scored, 5, "five folds scored");
	o.seed = 43;
	m = crm_logit_train(d, &o, &r3, &err);
	crm_logit_model_free(m);
	CHECK(r3.cv_auc != r1.cv_auc, "another seed, other folds");
	o.folds = 500;
	CHECK(crm_logit_train(d, &o, &r3, &err) == NULL &&
		  err.code == CRM_EX_DATAERR,
	      "more folds than rows is a data error");
	crm_logit_data_free(d);
	crm_logit_opts_release(&o);
}

static void test_one_class(void)
{
	static const char *const names[] = {"x"};
	static const char *const a[] = {"1"};
	struct crm_logit_data *d = crm_logit_data_new(names, 1);
	struct crm_logit_opts o;
	struct crm_logit_report rep;
	struct crm_err err;

	crm_logit_data_add(d, a, 1);
	crm_logit_data_add(d, a, 1);
	crm_logit_opts_init(&o);
	o.target = "won";
	CHECK(crm_logit_train(d, &o, &rep, &err) == NULL, "one class: refused");
	CHECK_INT(err.code, CRM_EX_DATAERR, "... as a data error");
	crm_logit_data_free(d);
	crm_logit_opts_release(&o);
}

static void test_measures(void)
{
	static const double s1[] = {0.1, 0.4, 0.35, 0.8};
	static const unsigned char y1[] = {0, 0, 1, 1};
	static const double s2[] = {0.5, 0.5, 0.2};
	static const unsigned char y2[] = {0, 1, 0};
	static const double p[] = {0.8, 0.3};
	static const unsigned char y3[] = {1, 0};

	/* pairs (pos, neg): (0.35,0.1) (0.35,0.4)x (0.8,0.1) (0.8,0.4): 3/4 */
	CHECK_NEAR(crm_logit_auc(s1, y1, 4), 0.75, 1e-12, "AUC by hand");
	/* (0.5 vs 0.5) tie = 1/2, (0.5 vs 0.2) = 1: 1.5/2 */
	CHECK_NEAR(crm_logit_auc(s2, y2, 3), 0.75, 1e-12, "AUC with a tie");
	CHECK(isnan(crm_logit_auc(s1, y2, 1)), "AUC of one class is NAN");
	/* -(ln 0.8 + ln 0.7) / 2 */
	CHECK_NEAR(crm_logit_log_loss(p, y3, 2), 0.289909247, 1e-9,
		   "log loss by hand");
}

/* crm_logit_shuffle: the order the seed gave before it was shared (the
 * folds of the cross-validation, textclass's random holdout), and every
 * element once */
static void test_shuffle(void)
{
	static const size_t want1[] = {4, 2, 8, 1, 9, 3, 0, 6, 7, 5};
	static const size_t want7[] = {8, 1, 5, 9, 0, 4, 3, 2, 6, 7};
	size_t v[10], w[10], one[1] = {0};

	for (size_t i = 0; i < 10; i++)
		v[i] = w[i] = i;
	crm_logit_shuffle(v, 10, 1);
	crm_logit_shuffle(w, 10, 7);
	CHECK(!memcmp(v, want1, sizeof(v)), "seed 1: the same order as ever");
	CHECK(!memcmp(w, want7, sizeof(w)), "seed 7: the same order as ever");
	crm_logit_shuffle(one, 1, 1);
	crm_logit_shuffle(NULL, 0, 1);
	CHECK_INT(one[0], 0, "one element stays");
}

int main(void)
{
	test_two_points();
	test_eight_rows();
	test_cv();
	test_one_class();
	test_measures();
	test_shuffle();
	return done_testing();
}
