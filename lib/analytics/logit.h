/* logit.h - logistic regression for lead conversion and other yes/no
 * targets: data held column by column, one-hot encoding with rare values
 * pooled, standardized numbers with missing indicators, an L2 penalty,
 * Newton's method to convergence, k-fold cross-validation, model files in
 * JSON and per-record explanations. */
#ifndef CRM_LOGIT_H
#define CRM_LOGIT_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "util.h"

/* Training options. crm_logit_opts_init gives the defaults. */
struct crm_logit_opts {
	const char *target;	     /* the 0/1 column */
	struct crm_strv features;    /* empty: every column but the target */
	struct crm_strv categorical; /* always one-hot, even if numeric */
	const char *positive; /* target value meaning 1; NULL: 1/true/yes */
	double l2;	 /* penalty lambda on 0.5*|w|^2 (1 = sklearn C=1) */
	long min_count;	 /* values seen in fewer rows are pooled */
	long max_levels; /* at most this many levels per column */
	long folds;	 /* k of the cross-validation; 0: none */
	uint64_t seed;	 /* shuffles the folds */
	long max_iter;
};
void crm_logit_opts_init(struct crm_logit_opts *o);
void crm_logit_opts_release(struct crm_logit_opts *o);

/* Training rows: for each column a dictionary of its distinct values and
 * one value id per row, so a wide table stays small. */
struct crm_logit_data;

/* Read every record of r into a new data set (owned by the caller: free it
 * with crm_logit_data_free). Columns are the options' features, or those
 * of the first record but the target. A record with a null or unknown
 * target is an error (CRM_EX_DATAERR, naming the input line). Returns NULL
 * on error. */
struct crm_logit_data *crm_logit_data_read(struct crm_reader *r,
					   const struct crm_logit_opts *o,
					   struct crm_err *err);
/* Build a data set by hand (tests): names of ncols columns. */
struct crm_logit_data *crm_logit_data_new(const char *const *names,
					  size_t ncols);
/* Append a row: vals[ncols] (NULL is missing) and its 0/1 label. */
void crm_logit_data_add(struct crm_logit_data *d, const char *const *vals,
			int y);
size_t crm_logit_data_rows(const struct crm_logit_data *d);
void crm_logit_data_free(struct crm_logit_data *d);

/* A fitted model. */
struct crm_logit_model;

/* What training measured. */
struct crm_logit_report {
	size_t rows, positives, columns; /* columns: of the design, intercept
					    included */
	long iterations;		 /* Newton steps of the final fit */
	double cv_auc, cv_log_loss;	 /* NAN when not computed */
	long cv_folds_scored;		 /* folds whose AUC counted */
};

/* Fit a model on every row of d; with o->folds >= 2, first estimate its
 * quality by k-fold cross-validation (each fold encoded and fitted on its
 * own training rows). Returns a model (caller frees) or NULL with err set
 * (CRM_EX_DATAERR: one class only, too few rows for the folds). */
struct crm_logit_model *crm_logit_train(const struct crm_logit_data *d,
					const struct crm_logit_opts *o,
					struct crm_logit_report *rep,
					struct crm_err *err);
void crm_logit_model_free(struct crm_logit_model *m);

/* Model files. save writes JSON to fp (returns 0, or -1 on a write error
 * with err set, CRM_EX_IOERR); load reads path (CRM_EX_NOINPUT when it
 * cannot be opened, CRM_EX_CONFIG when it is not a valid model). */
int crm_logit_model_save(const struct crm_logit_model *m,
			 const struct crm_logit_report *rep, FILE *fp,
			 struct crm_err *err);
struct crm_logit_model *crm_logit_model_load(const char *path,
					     struct crm_err *err);

/* The same from JSON text (name stands for the file in messages). */
struct crm_logit_model *
crm_logit_model_parse(const char *text, const char *name, struct crm_err *err);
/* The model file's JSON as a string (caller frees), or NULL with err. */
char *crm_logit_model_text(const struct crm_logit_model *m,
			   const struct crm_logit_report *rep,
			   struct crm_err *err);

/* The design columns ("Industry=tech", "Deal Size", "Deal Size (missing)",
 * "Industry (other)") and their coefficients (on standardized values);
 * column 0 is the intercept. Pointers stay owned by m. */
size_t crm_logit_model_coefs(const struct crm_logit_model *m,
			     const char *const **names, const double **coef);
/* The input fields the model reads, in model order. */
size_t crm_logit_model_features(const struct crm_logit_model *m,
				const char *const **names);

/* One feature's share of a prediction, in log-odds. */
struct crm_logit_factor {
	const char *feature; /* owned by the model */
	const char *level;   /* the design column's label, owned by the model */
	double contribution;
};

/* Predict rec: *prob in 0..1. With factors non-NULL, fill up to nfactors
 * of the strongest contributions (largest magnitude first) and set
 * *nfound. A numeric feature whose value is not a number is an error
 * (CRM_EX_DATAERR, field named). Returns 0 or -1. */
int crm_logit_predict(const struct crm_logit_model *m,
		      const struct crm_rec *rec, double *prob,
		      struct crm_logit_factor *factors, size_t nfactors,
		      size_t *nfound, struct crm_err *err);

/* ROC AUC of scores against 0/1 labels (ties count one half); NAN when a
 * class is absent. */
double crm_logit_auc(const double *score, const unsigned char *y, size_t n);
/* Mean log loss, probabilities clipped to [1e-15, 1 - 1e-15]. */
double crm_logit_log_loss(const double *p, const unsigned char *y, size_t n);

/* A design given row by row as sparse (column, value) pairs, for models
 * that build their own columns (lib/analytics/textclass.c): row i is
 * idx/val[start[i] .. start[i + 1]), y[i] its 0/1 label; column 0 is the
 * intercept (unpenalized) and every row should hold it. */
struct crm_logit_sparse {
	size_t n, p;
	const size_t *start; /* n + 1 */
	const uint32_t *idx;
	const double *val;
	const unsigned char *y;
};
/* Fit the L2-penalized logistic regression to x by the same Newton's
 * method as crm_logit_train; w (x->p) holds the start and gets the
 * coefficients. Returns the iterations, or -1 with err set. */
long crm_logit_fit_sparse(const struct crm_logit_sparse *x, double *w,
			  double l2, long max_iter, struct crm_err *err);

/* Shuffle v (n) in place, Fisher-Yates driven by splitmix64 from seed: the
 * same seed gives the same order (the cross-validation folds, textclass's
 * random holdout). */
void crm_logit_shuffle(size_t *v, size_t n, uint64_t seed);

#endif
