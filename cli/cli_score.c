/* cli_score.c - crm-score's verbs: train, predict, explain (logit) and
 * leads --stdin (scoring rules). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_score.h"
#include "leadscore.h"
#include "routemodel.h"
#include "scoring.h"

enum {
	OPT_TARGET = CRM_SCORE_OPT_TARGET,
	OPT_FEATURES = CRM_SCORE_OPT_FEATURES,
	OPT_CATEGORICAL = CRM_SCORE_OPT_CATEGORICAL,
	OPT_POSITIVE = CRM_SCORE_OPT_POSITIVE,
	OPT_MODEL = CRM_SCORE_OPT_MODEL,
	OPT_FORCE = CRM_SCORE_OPT_FORCE,
	OPT_L2 = CRM_SCORE_OPT_L2,
	OPT_MIN_COUNT = CRM_SCORE_OPT_MIN_COUNT,
	OPT_MAX_LEVELS = CRM_SCORE_OPT_MAX_LEVELS,
	OPT_FOLDS = CRM_SCORE_OPT_FOLDS,
	OPT_SEED = CRM_SCORE_OPT_SEED,
	OPT_EXPLAIN = CRM_SCORE_OPT_EXPLAIN,
	OPT_TOP = CRM_SCORE_OPT_TOP,
	OPT_RULES = CRM_SCORE_OPT_RULES,
};

const struct argp_option crm_score_train_options[] = {
    {"target", OPT_TARGET, "FIELD", 0,
     "The 0/1 column to learn (required): 1, true, yes or 0, false, no", 0},
    {"features", OPT_FEATURES, "A,B,...", 0,
     "Learn from these columns (default: every other column); repeatable", 0},
    {"categorical", OPT_CATEGORICAL, "A,B,...", 0,
     "One-hot encode these columns even if their values are numbers", 0},
    {"positive", OPT_POSITIVE, "VALUE", 0,
     "The target value that means 1 (every other value means 0)", 0},
    {"model", OPT_MODEL, "FILE", 0,
     "Write the model to FILE (required, but for --text on the solved "
     "tickets: without it the route model is stored in the database)",
     0},
    {"force", OPT_FORCE, 0, 0, "Replace FILE if it exists", 0},
    {"l2", OPT_L2, "LAMBDA", 0,
     "L2 penalty on the coefficients (default 1, as scikit-learn's C=1)", 0},
    {"min-count", OPT_MIN_COUNT, "N", 0,
     "Pool category values seen in fewer than N rows (default 10)", 0},
    {"max-levels", OPT_MAX_LEVELS, "N", 0,
     "Keep at most N values per categorical column (default 50)", 0},
    {"folds", OPT_FOLDS, "K", 0,
     "K-fold cross-validation (default 5; 0 for none)", 0},
    {"seed", OPT_SEED, "N", 0, "Seed of the fold shuffle (default 1)", 0},
    {"text", CRM_SCORE_OPT_TEXT, "A,B,...", 0,
     "Learn a class (--target: any value) from the words of these text "
     "columns: one model per class over TF-IDF words and CJK bigrams; "
     "without FILE, from the solved tickets",
     0},
    {"vocab", CRM_SCORE_OPT_VOCAB, "N", 0,
     "With --text: keep the N most common words (default 1000)", 0},
    {"holdout", CRM_SCORE_OPT_HOLDOUT, "PCT", 0,
     "With --text: hold out the last PCT% of the rows (a random share "
     "with --seed) to measure accuracy and macro-F1 (default 20; 0: none)",
     0},
    {0},
};

const struct argp_option crm_score_predict_options[] = {
    {"model", OPT_MODEL, "FILE", 0, "The model file (required)", 0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "Add a factors column: the strongest contributions", 0},
    {"top", OPT_TOP, "N", 0, "Factors shown with --explain (default 3)", 0},
    {0},
};

const struct argp_option crm_score_explain_options[] = {
    {"model", OPT_MODEL, "FILE", 0, "The model file (required)", 0},
    {0},
};

const struct argp_option crm_score_leads_options[] = {
    {"rules", OPT_RULES, "FILE", 0,
     "The rules file (default $CRM_SHARE/scoring.json)", 0},
    {"explain", OPT_EXPLAIN, 0, 0,
     "With --stdin, add a reasons column; else, with one lead ID, show "
     "every rule's contribution (nothing is written)",
     0},
    {"top", OPT_TOP, "N", 0, "Reasons shown (default 3; 0 for all)", 0},
    {"changed", CRM_SCORE_OPT_CHANGED, 0, 0,
     "Print only the leads whose grade changed (every lead is scored)", 0},
    {0},
};

void crm_score_opts_init(struct crm_score_opts *o)
{
	memset(o, 0, sizeof(*o));
	crm_logit_opts_init(&o->logit);
	crm_textclass_opts_init(&o->tc);
	o->top = 3;
	o->period = 1;
	o->level = 95;
}

void crm_score_opts_release(struct crm_score_opts *o)
{
	crm_logit_opts_release(&o->logit);
	crm_strv_release(&o->text);
}

static long count_arg(struct argp_state *state, const char *opt,
		      const char *arg, long min)
{
	int64_t v;

	if (crm_parse_int(arg, &v) < 0 || v < min || v > 1000000000)
		argp_error(state,
			   "%s: expected a whole number >= %ld, got '%s'", opt,
			   min, arg);
	return (long)v;
}

error_t crm_score_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct crm_cli *cli = state->input;
	struct crm_score_opts *o = cli->opts;
	char *end;
	int64_t v;

	switch (key) {
	case OPT_TARGET:
		o->logit.target = arg;
		break;
	case OPT_FEATURES:
		crm_strv_split(&o->logit.features, arg, ',');
		break;
	case OPT_CATEGORICAL:
		crm_strv_split(&o->logit.categorical, arg, ',');
		break;
	case OPT_POSITIVE:
		o->logit.positive = arg;
		break;
	case OPT_MODEL:
		o->model = arg;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_L2:
		errno = 0;
		o->logit.l2 = strtod(arg, &end);
		if (!*arg || *end || errno || !(o->logit.l2 > 0) ||
		    !isfinite(o->logit.l2))
			argp_error(state,
				   "--l2: expected a number > 0, got '%s'",
				   arg);
		break;
	case OPT_MIN_COUNT:
		o->logit.min_count = count_arg(state, "--min-count", arg, 1);
		break;
	case OPT_MAX_LEVELS:
		o->logit.max_levels = count_arg(state, "--max-levels", arg, 1);
		break;
	case OPT_FOLDS:
		o->logit.folds = count_arg(state, "--folds", arg, 0);
		if (o->logit.folds == 1 || o->logit.folds > 100)
			argp_error(state,
				   "--folds: expected 0 or 2 to 100, got "
				   "'%s'",
				   arg);
		break;
	case OPT_SEED:
		if (crm_parse_int(arg, &v) < 0 || v < 0)
			argp_error(state,
				   "--seed: expected a whole number, "
				   "got '%s'",
				   arg);
		o->logit.seed = (uint64_t)v;
		o->tc.seed = (uint64_t)v;
		o->tc.shuffle = true;
		break;
	case OPT_EXPLAIN:
		o->explain = true;
		break;
	case OPT_TOP:
		o->top = count_arg(state, "--top", arg, 0);
		break;
	case OPT_RULES:
		o->rules = arg;
		break;
	case CRM_SCORE_OPT_CHANGED:
		o->changed = true;
		break;
	case CRM_SCORE_OPT_AT:
		o->at = arg;
		break;
	case CRM_SCORE_OPT_BY:
		if (strcmp(arg, "company") && strcmp(arg, "contact"))
			argp_error(state,
				   "--by: expected company or contact, got "
				   "'%s'",
				   arg);
		o->by = arg;
		break;
	case CRM_SCORE_OPT_RATES:
		o->rates = arg;
		break;
	case CRM_SCORE_OPT_WINDOW:
		o->window = arg;
		break;
	case CRM_SCORE_OPT_BASELINE:
		o->baseline = arg;
		break;
	case CRM_SCORE_OPT_TEXT:
		crm_strv_split(&o->text, arg, ',');
		break;
	case CRM_SCORE_OPT_VOCAB:
		o->tc.vocab = count_arg(state, "--vocab", arg, 1);
		break;
	case CRM_SCORE_OPT_HOLDOUT:
		o->tc.holdout = count_arg(state, "--holdout", arg, 0);
		if (o->tc.holdout > 90)
			argp_error(state,
				   "--holdout: expected 0 to 90, got '%s'",
				   arg);
		break;
	case CRM_SCORE_OPT_MIN_RISK:
		o->min_risk = count_arg(state, "--min-risk", arg, 0);
		if (o->min_risk > 100)
			argp_error(state,
				   "--min-risk: expected 0 to 100, got '%s'",
				   arg);
		break;
	case CRM_SCORE_OPT_MIN_HISTORY:
		o->min_history = count_arg(state, "--min-history", arg, 2);
		break;
	case CRM_SCORE_OPT_RETRAIN:
		o->retrain = true;
		break;
	case CRM_SCORE_OPT_CALIBRATION:
		o->calibration = true;
		break;
	case CRM_SCORE_OPT_PERIOD:
		if (!strcmp(arg, "week"))
			o->period = 0;
		else if (!strcmp(arg, "month"))
			o->period = 1;
		else if (!strcmp(arg, "quarter"))
			o->period = 2;
		else
			argp_error(state,
				   "--period: expected week, month or quarter, "
				   "got '%s'",
				   arg);
		break;
	case CRM_SCORE_OPT_GROUP:
		if (strcmp(arg, "owner") && strcmp(arg, "region") &&
		    strcmp(arg, "family"))
			argp_error(state,
				   "--by: expected owner, region or family, "
				   "got '%s'",
				   arg);
		o->group = arg;
		break;
	case CRM_SCORE_OPT_HORIZON:
		o->horizon = count_arg(state, "--horizon", arg, 1);
		break;
	case CRM_SCORE_OPT_ORIGINS:
		o->origins = count_arg(state, "--origins", arg, 1);
		break;
	case CRM_SCORE_OPT_LEVEL:
		o->level = count_arg(state, "--level", arg, 80);
		if (o->level != 80 && o->level != 95)
			argp_error(state,
				   "--level: expected 80 or 95, got '%s'", arg);
		break;
	case CRM_SCORE_OPT_BACKTEST:
		o->backtest = true;
		break;
	case CRM_SCORE_OPT_LEAD:
		o->lead = arg;
		break;
	case CRM_SCORE_OPT_ALL:
		o->every = true;
		break;
	case CRM_SCORE_OPT_CONFIG:
		o->config = arg;
		break;
	case CRM_SCORE_OPT_KIND:
		if (strcmp(arg, "deal") && strcmp(arg, "lead") &&
		    strcmp(arg, "route"))
			argp_error(state,
				   "--kind: expected deal, lead or route, got "
				   "'%s'",
				   arg);
		o->kind = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The one input: FILE, or stdin. */
static struct crm_reader *open_input(struct crm_cli *cli, FILE **fp)
{
	const char *path = cli->args.n ? cli->args.v[0] : "-";
	struct crm_reader *r;

	*fp = NULL;
	if (cli->args.n > 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "one input at a time (got %zu files)", cli->args.n);
		return NULL;
	}
	*fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!*fp) {
		crm_err_set(&cli->err,
			    errno == ENOENT ? CRM_EX_NOINPUT : CRM_EX_IOERR,
			    "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	crm_cli_reading(cli, *fp);
	r = crm_cli_reader(cli, *fp, path);
	return r;
}

static void close_input(struct crm_reader *r, FILE *fp)
{
	crm_reader_free(r);
	if (fp && fp != stdin)
		fclose(fp);
}

static int write_error(struct crm_cli *cli)
{
	return crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			   strerror(errno ? errno : EIO));
}

/* -- text classifiers (train --text) --------------------------------------- */

struct texts {
	struct crm_strv text, label;
	struct crm_strv *fields;
	const char *target;
};

static void text_of(struct texts *t, const char *const *vals, size_t n,
		    const char *label)
{
	struct crm_buf b = {0};

	for (size_t i = 0; i < n; i++)
		if (vals[i]) {
			crm_buf_adds(&b, vals[i]);
			crm_buf_addc(&b, '\n');
		}
	crm_strv_push(&t->text, b.s ? b.s : "");
	crm_strv_push(&t->label, label ? label : "");
	crm_buf_release(&b);
}

/* The training rows: the records of FILE (or stdin), or the solved and
 * closed tickets. */
static int text_rows(struct crm_cli *cli, struct texts *t)
{
	struct crm_score_opts *o = cli->opts;

	if (!cli->from_stdin && !cli->args.n) {
		struct crm_route_rows r;
		struct crm_buf f = {0};
		int rc;

		for (size_t i = 0; i < o->text.n; i++)
			crm_buf_addf(&f, "%s%s", i ? "," : "", o->text.v[i]);
		rc = crm_score_open_db(cli, false);
		if (rc == 0)
			rc = crm_route_rows(cli->db, crm_buf_str(&f), t->target,
					    NULL, &r, &cli->err);
		if (rc == 0) {
			t->text = r.text;
			t->label = r.label;
			memset(&r.text, 0, sizeof(r.text));
			memset(&r.label, 0, sizeof(r.label));
			crm_route_rows_release(&r);
		}
		crm_buf_release(&f);
		return rc;
	}
	FILE *in = NULL;
	struct crm_reader *r = open_input(cli, &in);
	struct crm_rec rec;
	const char **vals = crm_xcalloc(o->text.n + 1, sizeof(*vals));
	int rc;

	if (!r) {
		free(vals);
		return -1;
	}
	crm_rec_init(&rec);
	while ((rc = crm_reader_next(r, &rec, &cli->err)) > 0) {
		if (crm_rec_find(&rec, t->target) < 0) {
			rc = crm_err_set(&cli->err, CRM_EX_DATAERR,
					 "no column '%s' (the --target)",
					 t->target);
			snprintf(cli->err.file, sizeof(cli->err.file), "%s",
				 crm_reader_name(r));
			cli->err.line = rec.line;
			break;
		}
		for (size_t i = 0; i < o->text.n; i++)
			vals[i] = crm_rec_get(&rec, o->text.v[i]);
		text_of(t, vals, o->text.n, crm_rec_get(&rec, t->target));
	}
	crm_rec_release(&rec);
	free(vals);
	close_input(r, in);
	return rc < 0 ? -1 : 0;
}

static void note_heldout(struct crm_cli *cli,
			 const struct crm_textclass_report *rep)
{
	if (rep->test)
		crm_cli_note(cli,
			     "held out %zu of %zu rows: accuracy %.1f%%, "
			     "macro-F1 %.1f%%; majority class '%s': accuracy "
			     "%.1f%%, macro-F1 %.1f%%",
			     rep->test, rep->rows, 100 * rep->accuracy,
			     100 * rep->macro_f1, rep->majority,
			     100 * rep->base_accuracy,
			     100 * rep->base_macro_f1);
}

/* train --text on the solved tickets without --model: the route model,
 * stored with its date, window and held-out figures (frees fields). */
static int train_route(struct crm_cli *cli, const char *flist,
		       struct crm_buf *fields)
{
	struct crm_score_opts *o = cli->opts;
	struct crm_route_rows r = {0};
	struct crm_textclass *m = NULL;
	struct crm_textclass_report rep;
	int64_t id = 0;
	int status;

	if (crm_score_open_db(cli, !cli->dry_run) < 0 ||
	    crm_route_rows(cli->db, flist, o->logit.target, NULL, &r,
			   &cli->err) < 0)
		goto fail;
	if (!(m = crm_textclass_train((const char *const *)r.text.v,
				      (const char *const *)r.label.v, r.text.n,
				      &o->tc, &rep, &cli->err)))
		goto fail;
	if (crm_db_begin(cli->db, &cli->err) < 0)
		goto fail;
	if (crm_route_store(cli->db, m, o->logit.target, flist, &rep, &r, &id,
			    &cli->err) < 0 ||
	    crm_db_finish(cli->db, cli->dry_run, &cli->err) < 0) {
		crm_db_rollback(cli->db);
		goto fail;
	}
	crm_cli_note(cli,
		     "trained on %zu rows, %zu classes of %s, %zu words; "
		     "%s route model %lld",
		     rep.rows, rep.classes, o->logit.target, rep.vocab,
		     cli->dry_run ? "would store" : "stored as", (long long)id);
	note_heldout(cli, &rep);
	status = 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_textclass_free(m);
	crm_route_rows_release(&r);
	crm_buf_release(fields);
	return status;
}

static int train_text(struct crm_cli *cli)
{
	struct crm_score_opts *o = cli->opts;
	struct texts t = {.fields = &o->text, .target = o->logit.target};
	struct crm_textclass *m = NULL;
	struct crm_textclass_report rep;
	struct crm_buf fields = {0};
	FILE *out = NULL;
	int status;

	bool db_mode = !cli->from_stdin && !cli->args.n;

	o->tc.l2 = o->logit.l2;
	/* from the database without --model: kept there as the route
	 * model */
	if ((!o->model && !db_mode) || !o->logit.target) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "%s",
			    !o->model ? "--model is required"
				      : "--target is required");
		goto fail;
	}
	if (o->model && !o->force && access(o->model, F_OK) == 0) {
		crm_err_set(&cli->err, CRM_EX_CANTCREAT,
			    "'%s' exists; --force replaces it", o->model);
		goto fail;
	}
	for (size_t i = 0; i < o->text.n; i++)
		crm_buf_addf(&fields, "%s%s", i ? "," : "", o->text.v[i]);
	if (db_mode && !o->model)
		return train_route(cli, crm_buf_str(&fields), &fields);
	if (text_rows(cli, &t) < 0)
		goto fail;
	if (!(m = crm_textclass_train((const char *const *)t.text.v,
				      (const char *const *)t.label.v, t.text.n,
				      &o->tc, &rep, &cli->err)))
		goto fail;
	if (!(out = crm_cli_create(cli, o->model, o->force)) ||
	    crm_textclass_save(m, o->logit.target, fields.s, &rep, out,
			       &cli->err) < 0)
		goto fail;
	if (fclose(out) != 0) {
		out = NULL;
		crm_err_set(&cli->err, CRM_EX_IOERR, "cannot write '%s': %s",
			    o->model, strerror(errno));
		goto fail;
	}
	out = NULL;
	crm_cli_note(cli,
		     "trained on %zu rows, %zu classes of %s, %zu words; "
		     "model in '%s'",
		     rep.rows, rep.classes, o->logit.target, rep.vocab,
		     o->model);
	note_heldout(cli, &rep);
	status = 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	if (out)
		fclose(out);
	crm_textclass_free(m);
	crm_strv_release(&t.text);
	crm_strv_release(&t.label);
	crm_buf_release(&fields);
	return status;
}

int crm_score_train(struct crm_cli *cli)
{
	struct crm_score_opts *o = cli->opts;
	struct crm_logit_data *d = NULL;
	struct crm_logit_model *m = NULL;
	struct crm_logit_report rep;
	struct crm_reader *r = NULL;
	FILE *in = NULL, *out = NULL;
	int status;

	struct crm_logit_opts lo = o->logit;
	bool db_mode = !cli->from_stdin && !cli->args.n;

	if (o->text.n)
		return train_text(cli);

	if ((!o->logit.target && !db_mode) || !o->model) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "%s",
			    !o->model ? "--model is required"
				      : "--target is required");
		goto fail;
	}
	if (o->logit.target &&
	    crm_strv_find(&o->logit.features, o->logit.target) >= 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--features: the target '%s' cannot be a feature",
			    o->logit.target);
		goto fail;
	}
	for (size_t i = 0; i < o->logit.features.n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(o->logit.features.v[i],
				    o->logit.features.v[j])) {
				crm_err_set(&cli->err, CRM_EX_USAGE,
					    "--features: '%s' given twice",
					    o->logit.features.v[i]);
				goto fail;
			}
	/* refuse before the work; crm_cli_create checks again */
	if (!o->force && access(o->model, F_OK) == 0) {
		crm_err_set(&cli->err, CRM_EX_CANTCREAT,
			    "'%s' exists; --force replaces it", o->model);
		goto fail;
	}
	if (db_mode) {
		/* the leads that ended converted (1) or unqualified (0) */
		if (crm_score_open_db(cli, false) < 0 ||
		    !(d = crm_leadscore_data(cli->db, o->logit.target,
					     o->logit.positive,
					     &o->logit.features, &cli->err)))
			goto fail;
		if (!lo.target)
			lo.target = "status=converted";
	} else {
		if (!(r = open_input(cli, &in)))
			goto fail;
		if (!(d = crm_logit_data_read(r, &o->logit, &cli->err)))
			goto fail;
	}
	if (!(m = crm_logit_train(d, &lo, &rep, &cli->err)))
		goto fail;
	if (!(out = crm_cli_create(cli, o->model, o->force)))
		goto fail;
	if (crm_logit_model_save(m, &rep, out, &cli->err) < 0)
		goto fail;
	if (fclose(out) != 0) {
		out = NULL;
		crm_err_set(&cli->err, CRM_EX_IOERR, "cannot write '%s': %s",
			    o->model, strerror(errno));
		goto fail;
	}
	out = NULL;
	if (db_mode && !o->logit.target) {
		/* kept with its training date, window and metrics for
		 * crm-score models and monitor --kind lead */
		if (crm_db_begin(cli->db, &cli->err) < 0)
			goto fail;
		if (crm_leadscore_store(cli->db, m, &rep, &cli->err) < 0 ||
		    (!cli->dry_run && crm_db_commit(cli->db, &cli->err) < 0)) {
			crm_db_rollback(cli->db);
			goto fail;
		}
		if (cli->dry_run)
			crm_db_rollback(cli->db);
	}
	crm_cli_note(cli,
		     "trained on %zu rows (%zu positive), %zu columns, %ld "
		     "Newton steps; model in '%s'",
		     rep.rows, rep.positives, rep.columns, rep.iterations,
		     o->model);
	if (o->logit.folds >= 2)
		crm_cli_note(
		    cli,
		    "%ld-fold cross-validation: ROC AUC %.4f, log loss "
		    "%.4f",
		    o->logit.folds, rep.cv_auc, rep.cv_log_loss);
	status = 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	if (out)
		fclose(out);
	crm_logit_model_free(m);
	crm_logit_data_free(d);
	close_input(r, in);
	return status;
}

/* --fields, when given, replaces the columns. */
static void pick_fields(const struct crm_cli *cli, struct crm_strv *cols)
{
	if (!cli->fields)
		return;
	crm_strv_release(cols);
	crm_strv_split(cols, cli->fields, ',');
}

/* Output columns: --fields, else the input's then extra (those already
 * there keep their place). */
static void out_columns(const struct crm_cli *cli, struct crm_reader *r,
			const struct crm_rec *first, const char *const *extra,
			size_t nextra, struct crm_strv *cols)
{
	size_t n;
	const char *const *h = crm_reader_header(r, &n);

	if (cli->fields)
		return pick_fields(cli, cols);
	if (h)
		for (size_t i = 0; i < n; i++)
			crm_strv_push(cols, h[i]);
	else if (first)
		for (size_t i = 0; i < first->n; i++)
			crm_strv_push(cols, crm_rec_name(first, i));
	for (size_t i = 0; i < nextra; i++)
		if (crm_strv_find(cols, extra[i]) < 0)
			crm_strv_push(cols, extra[i]);
}

/* "Industry=tech (+1.234); Deal Size=40 (-0.500)" */
static void format_factors(const struct crm_rec *rec,
			   const struct crm_logit_factor *fs, size_t n,
			   struct crm_buf *b)
{
	crm_buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		const char *v = crm_rec_get(rec, fs[i].feature);

		if (i)
			crm_buf_adds(b, "; ");
		if (!strcmp(fs[i].level, fs[i].feature) && v)
			crm_buf_addf(b, "%s=%s", fs[i].feature, v);
		else
			crm_buf_adds(b, fs[i].level);
		crm_buf_addf(b, " (%+.3f)", fs[i].contribution);
	}
}

/* The stream verbs (predict, leads --stdin): read records, let fn add
 * its columns (the first nextra of extra) to each, write them out, in
 * constant memory. fn returns 0, or -1 with cli->err set. Returns the exit
 * status. */
static int
stream_records(struct crm_cli *cli, const char *const *extra, size_t nextra,
	       int (*fn)(struct crm_cli *cli, struct crm_rec *rec, void *arg),
	       void *arg)
{
	struct crm_reader *r;
	struct crm_writer *w = NULL;
	struct crm_strv cols = {0};
	struct crm_rec rec;
	FILE *in = NULL;
	uint64_t rows = 0;
	int rc = 0, status;

	crm_rec_init(&rec);
	if (!(r = open_input(cli, &in)))
		goto fail;
	while ((cli->limit < 0 || rows < (uint64_t)cli->limit) &&
	       (rc = crm_reader_next(r, &rec, &cli->err)) > 0) {
		if (!w) {
			out_columns(cli, r, &rec, extra, nextra, &cols);
			w = crm_cli_writer(cli, &cols);
		}
		if (fn(cli, &rec, arg) < 0) {
			if (!cli->err.file[0])
				snprintf(cli->err.file, sizeof(cli->err.file),
					 "%s", crm_reader_name(r));
			goto fail;
		}
		if (crm_writer_write(w, &rec) < 0) {
			write_error(cli);
			goto fail;
		}
		if (++rows % 65536 == 0)
			crm_cli_progress(rows, cli);
	}
	if (rc < 0)
		goto fail;
	if (!w) {
		out_columns(cli, r, NULL, extra, nextra, &cols);
		w = crm_cli_writer(cli, &cols);
	}
	if (crm_writer_close(w) < 0) {
		write_error(cli);
		goto fail;
	}
	crm_cli_progress_end(cli);
	status = 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	close_input(r, in);
	return status;
}

struct predict_ctx {
	struct crm_logit_model *m;
	struct crm_logit_factor *fs;
	struct crm_buf fb;
};

static int predict_one(struct crm_cli *cli, struct crm_rec *rec, void *arg)
{
	struct crm_score_opts *o = cli->opts;
	struct predict_ctx *pc = arg;
	size_t nf = 0;
	char buf[32];
	double p;

	if (crm_logit_predict(pc->m, rec, &p, o->explain ? pc->fs : NULL,
			      (size_t)o->top, &nf, &cli->err) < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%.6f", p);
	crm_rec_set(rec, "probability", buf, CRM_RAW);
	snprintf(buf, sizeof(buf), "%d", (int)lround(p * 100));
	crm_rec_set(rec, "score", buf, CRM_RAW);
	if (o->explain) {
		format_factors(rec, pc->fs, nf, &pc->fb);
		crm_rec_set(rec, "factors", crm_buf_str(&pc->fb), CRM_STR);
	}
	return 0;
}

struct text_predict_ctx {
	struct crm_textclass *m;
	struct crm_strv fields;
	struct crm_buf text, why;
};

static int text_predict_one(struct crm_cli *cli, struct crm_rec *rec, void *arg)
{
	struct crm_score_opts *o = cli->opts;
	struct text_predict_ctx *tp = arg;
	struct crm_textclass_word w[16];
	const char *label;
	double conf;
	size_t nw;
	char buf[32];

	crm_buf_reset(&tp->text);
	crm_buf_reset(&tp->why);
	for (size_t i = 0; i < tp->fields.n; i++) {
		const char *v = crm_rec_get(rec, tp->fields.v[i]);

		if (v) {
			crm_buf_adds(&tp->text, v);
			crm_buf_addc(&tp->text, '\n');
		}
	}
	crm_textclass_predict(tp->m, crm_buf_str(&tp->text), &label, &conf, w,
			      o->top > 16 ? 16 : (size_t)o->top, &nw);
	crm_rec_set(rec, "prediction", label, CRM_STR);
	snprintf(buf, sizeof(buf), "%.1f", 100 * conf);
	crm_rec_set(rec, "confidence", buf, CRM_RAW);
	if (o->explain) {
		for (size_t i = 0; i < nw; i++)
			crm_buf_addf(&tp->why, "%s%s (%+.3f)", i ? "; " : "",
				     w[i].word, w[i].weight);
		crm_rec_set(rec, "words", crm_buf_str(&tp->why), CRM_STR);
	}
	return 0;
}

static int predict_text(struct crm_cli *cli)
{
	static const char *const extra[] = {"prediction", "confidence",
					    "words"};
	struct crm_score_opts *o = cli->opts;
	struct text_predict_ctx tp = {0};
	int status;

	if (!(tp.m = crm_textclass_load(o->model, &cli->err)))
		return crm_cli_fail(cli);
	crm_strv_split(&tp.fields, crm_textclass_fields(tp.m), ',');
	status = stream_records(cli, extra, o->explain ? 3 : 2,
				text_predict_one, &tp);
	crm_strv_release(&tp.fields);
	crm_buf_release(&tp.text);
	crm_buf_release(&tp.why);
	crm_textclass_free(tp.m);
	return status;
}

int crm_score_predict(struct crm_cli *cli)
{
	static const char *const extra[] = {"probability", "score", "factors"};
	struct crm_score_opts *o = cli->opts;
	struct predict_ctx pc = {0};
	int status;

	if (!cli->from_stdin && !cli->args.n)
		return crm_score_predict_db(cli);
	if (!o->model) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "--model is required");
		return crm_cli_fail(cli);
	}
	if (crm_textclass_is_model(o->model))
		return predict_text(cli);
	if (!(pc.m = crm_logit_model_load(o->model, &cli->err)))
		return crm_cli_fail(cli);
	pc.fs = crm_xcalloc(o->top ? (size_t)o->top : 1, sizeof(*pc.fs));
	status =
	    stream_records(cli, extra, o->explain ? 3 : 2, predict_one, &pc);
	crm_buf_release(&pc.fb);
	free(pc.fs);
	crm_logit_model_free(pc.m);
	return status;
}

int crm_score_explain(struct crm_cli *cli)
{
	static const char *const cn[] = {"term", "coefficient", "odds_ratio"};
	struct crm_score_opts *o = cli->opts;
	struct crm_logit_model *m = NULL;
	struct crm_writer *w = NULL;
	struct crm_strv cols = {0};
	struct crm_rec rec;
	const char *const *names;
	const double *coef;
	size_t n;
	int status;

	crm_rec_init(&rec);
	if (!o->model) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "--model is required");
		goto fail;
	}
	if (!(m = crm_logit_model_load(o->model, &cli->err)))
		goto fail;
	for (size_t i = 0; i < 3; i++)
		crm_strv_push(&cols, cn[i]);
	pick_fields(cli, &cols);
	w = crm_cli_writer(cli, &cols);
	n = crm_logit_model_coefs(m, &names, &coef);
	for (size_t i = 0; i < n; i++) {
		char c[32], or [32];

		/* no "-0.000000" */
		snprintf(c, sizeof(c), "%.6f",
			 fabs(coef[i]) < 5e-7 ? 0.0 : coef[i]);
		snprintf(or, sizeof(or), "%.6g", exp(coef[i]));
		crm_rec_clear(&rec);
		crm_rec_add(&rec, "term", 4, names[i], strlen(names[i]),
			    CRM_STR);
		crm_rec_add(&rec, "coefficient", 11, c, strlen(c), CRM_RAW);
		crm_rec_add(&rec, "odds_ratio", 10, or, strlen(or), CRM_RAW);
		if (crm_writer_write(w, &rec) < 0) {
			write_error(cli);
			goto fail;
		}
	}
	if (crm_writer_close(w) < 0) {
		write_error(cli);
		goto fail;
	}
	status = 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	crm_logit_model_free(m);
	return status;
}

/* The top parts by magnitude (all when top is 0), ties in rule order:
 * "senior title +10; free mail -5". */
static void format_reasons(const struct crm_score_result *r, long top,
			   struct crm_buf *b)
{
	size_t n = r->nparts, *ix = crm_xmalloc((n ? n : 1) * sizeof(*ix));
	size_t shown = top > 0 && (size_t)top < n ? (size_t)top : n;

	for (size_t i = 0; i < n; i++) { /* insertion sort: stable */
		size_t j = i;

		while (j > 0 && fabs(r->parts[ix[j - 1]].points) <
				    fabs(r->parts[i].points)) {
			ix[j] = ix[j - 1];
			j--;
		}
		ix[j] = i;
	}
	crm_buf_reset(b);
	for (size_t i = 0; i < shown; i++)
		crm_buf_addf(b, "%s%s %+g", i ? "; " : "", r->parts[ix[i]].what,
			     r->parts[ix[i]].points);
	free(ix);
}

struct fit_ctx {
	struct crm_scoring *s;
	struct crm_score_result res;
	struct crm_buf b;
};

static int fit_one(struct crm_cli *cli, struct crm_rec *rec, void *arg)
{
	struct crm_score_opts *o = cli->opts;
	struct fit_ctx *fc = arg;
	char buf[32];

	crm_scoring_fit(fc->s, rec, &fc->res);
	snprintf(buf, sizeof(buf), "%ld", lround(fc->res.score));
	crm_rec_set(rec, "score", buf, CRM_RAW);
	crm_rec_set(rec, "grade", fc->res.grade, CRM_STR);
	if (o->explain) {
		format_reasons(&fc->res, o->top, &fc->b);
		crm_rec_set(rec, "reasons", fc->b.len ? fc->b.s : NULL,
			    fc->b.len ? CRM_STR : CRM_NULL);
	}
	return 0;
}

int crm_score_leads(struct crm_cli *cli)
{
	static const char *const extra[] = {"score", "grade", "reasons"};
	struct crm_score_opts *o = cli->opts;
	struct fit_ctx fc = {0};
	char *path;
	int status;

	if (!cli->from_stdin)
		return crm_score_leads_db(cli);
	path = o->rules ? crm_xstrdup(o->rules) : crm_scoring_default_path();
	fc.s = crm_scoring_load(path, &cli->err);
	free(path);
	if (!fc.s)
		return crm_cli_fail(cli);
	crm_score_result_init(&fc.res);
	status = stream_records(cli, extra, o->explain ? 3 : 2, fit_one, &fc);
	crm_score_result_release(&fc.res);
	crm_buf_release(&fc.b);
	crm_scoring_free(fc.s);
	return status;
}
