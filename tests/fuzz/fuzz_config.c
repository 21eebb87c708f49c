/* fuzz_config.c - libFuzzer harness for every rules, policy and model file
 * crm reads: each input is written to a memory file and handed to every
 * loader in the table below (assignment.json, pipelines.json and sla.json
 * join it as their loaders land). Invariants: a file either loads or fails
 * with CRM_EX_CONFIG and a message naming the file; what loads can be used
 * (scores are finite and within bounds, predictions are probabilities). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "import_map.h"
#include "logit.h"
#include "scoring.h"
/* Policy files of modules that may not be built yet: each joins the table
 * when its header exists. */
#if __has_include("sla.h")
#include "sla.h"
#define HAVE_SLA 1
#endif
#if __has_include("pipeline.h")
#include "pipeline.h"
#define HAVE_PIPELINES 1
#endif
#if __has_include("assign.h") && __has_include("lead.h")
#include "assign.h"
#include "lead.h"
#define HAVE_ASSIGN 1
#endif
#if __has_include("flow.h")
#include "config.h"
#include "flow.h"
#define HAVE_FLOW 1
#endif
#if __has_include("forecast.h")
#include "forecast.h"
#define HAVE_RATES 1
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad_load(const struct crm_err *err)
{
	if (err->code != CRM_EX_CONFIG || !err->msg[0])
		abort();
}

static void sample_rec(struct crm_rec *rec)
{
	crm_rec_adds(rec, "industry", "software");
	crm_rec_adds(rec, "employees", "250");
	crm_rec_adds(rec, "country", "PT");
	crm_rec_adds(rec, "title", "VP Sales");
	crm_rec_adds(rec, "email", "ann@gmail.com");
	crm_rec_adds(rec, "budget", "-1e308");
	crm_rec_adds(rec, "notes", "");
	crm_rec_adds(rec, "source", NULL);
}

static void scoring(const char *path)
{
	static const struct crm_scoring_event ev[] = {
	    {"email_open", 1700000000},
	    {"demo", 1799990000},
	    {"web_visit", 1799999999},
	    {"email_open", 1700000000},
	    {"nope", 0},
	    {"demo", CRM_TIME_MAX},
	};
	struct crm_err err = {0};
	struct crm_scoring *s = crm_scoring_load(path, &err);
	struct crm_score_result fit, eng;
	struct crm_rec rec;
	char grade[32];
	double total;

	if (!s) {
		bad_load(&err);
		return;
	}
	crm_rec_init(&rec);
	sample_rec(&rec);
	crm_score_result_init(&fit);
	crm_score_result_init(&eng);
	crm_scoring_fit(s, &rec, &fit);
	crm_scoring_engagement(s, ev, sizeof(ev) / sizeof(*ev), 1800000000,
			       &eng);
	total = crm_scoring_combine(s, &fit, &eng, grade);
	if (!isfinite(fit.score) || !isfinite(eng.score) || !isfinite(total) ||
	    strlen(grade) >= sizeof(grade))
		abort();
	crm_scoring_trend(s, 10, total);
	crm_score_result_release(&fit);
	crm_score_result_release(&eng);
	crm_rec_release(&rec);
	crm_scoring_free(s);
}

static void model(const char *path)
{
	struct crm_err err = {0};
	struct crm_logit_model *m = crm_logit_model_load(path, &err);
	struct crm_logit_factor f[4];
	const char *const *names;
	const double *coef;
	struct crm_rec rec;
	size_t nf, nfound;
	double p;

	if (!m) {
		bad_load(&err);
		return;
	}
	crm_rec_init(&rec);
	sample_rec(&rec);
	nf = crm_logit_model_features(m, &names);
	for (size_t i = 0; i < nf; i++)
		if (crm_rec_find(&rec, names[i]) < 0)
			crm_rec_adds(&rec, names[i], "1");
	crm_logit_model_coefs(m, &names, &coef);
	if (crm_logit_predict(m, &rec, &p, f, 4, &nfound, &err) == 0 &&
	    (!(p >= 0 && p <= 1) || nfound > 4))
		abort();
	crm_rec_release(&rec);
	crm_logit_model_free(m);
}

#ifdef HAVE_SLA
static void sla(const char *path)
{
	struct crm_err err = {0};
	struct crm_sla s;

	memset(&s, 0, sizeof(s));
	if (crm_sla_load(path, &s, &err) < 0)
		bad_load(&err);
	crm_sla_release(&s);
}
#endif

#ifdef HAVE_PIPELINES
static void pipelines(const char *path)
{
	struct crm_err err = {0};
	struct crm_pipelines p;

	memset(&p, 0, sizeof(p));
	if (crm_pipelines_load(path, &p, &err) < 0)
		bad_load(&err);
	crm_pipelines_release(&p);
}
#endif

#ifdef HAVE_ASSIGN
static void assignment(const char *path)
{
	struct crm_err err = {0};
	struct crm_assign_rules r;

	memset(&r, 0, sizeof(r));
	if (crm_assign_load(path, &crm_lead_entity, &r, &err) < 0)
		bad_load(&err);
	crm_assign_release(&r);
}
#endif

#ifdef HAVE_RATES
static void rates(const char *path)
{
	struct crm_err err = {0};
	struct crm_rates r;

	memset(&r, 0, sizeof(r));
	if (crm_rates_load(path, &r, &err) < 0)
		bad_load(&err);
	crm_rates_release(&r);
}
#endif

static void profile(const char *path)
{
	struct crm_err err = {0};
	struct crm_profile p;

	if (crm_profile_load(path, &p, &err) < 0) {
		bad_load(&err);
		return;
	}
	/* what loads maps: every entity it names takes it */
	for (size_t i = 0; i < 6; i++) {
		static const char *const names[] = {
		    "contact", "company", "lead", "deal", "ticket", "activity"};
		const struct crm_entity *e = crm_entity_by_name(names[i]);
		struct crm_colmap_opts o = {.profile = &p, .match = true};
		struct crm_colmap *m;

		if (!json_object_get(p.root, e->plural))
			continue;
		m = crm_colmap_new(NULL, e, &o, &err);
		if (!m)
			abort();
		crm_colmap_free(m);
	}
	crm_profile_release(&p);
}

#ifdef HAVE_FLOW
static void flow(const char *path)
{
	struct crm_err err = {0};
	struct crm_flow f;
	json_t *root = NULL;

	memset(&f, 0, sizeof(f));
	if (crm_config_load(path, "flow ", NULL, "a flow", &root, &err) < 0 ||
	    crm_flow_parse(root, path, &f, &err) < 0)
		bad_load(&err);
	crm_flow_release(&f);
	json_decref(root);
}
#endif

/* Every file loader: add a row when a module gains a rules file. */
static const struct {
	const char *name;
	void (*load)(const char *path);
} loaders[] = {
    {"scoring.json", scoring},
    {"profiles/NAME.json", profile},
    {"model", model},
#ifdef HAVE_SLA
    {"sla.json", sla},
#endif
#ifdef HAVE_PIPELINES
    {"pipelines.json", pipelines},
#endif
#ifdef HAVE_ASSIGN
    {"assignment.json", assignment},
#endif
#ifdef HAVE_RATES
    {"rates", rates},
#endif
#ifdef HAVE_FLOW
    {"flows/NAME.json", flow},
#endif
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64];

	if (size > 65536)
		return 0;
	if (fd < 0 && (fd = memfd_create("fuzz_config", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (size_t i = 0; i < sizeof(loaders) / sizeof(*loaders); i++)
		loaders[i].load(path);
	return 0;
}
