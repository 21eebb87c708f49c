/* textclass.h - a text classifier for routing tickets: words and CJK
 * character bigrams (lib/base/tokens.h) weighted by TF-IDF over a
 * vocabulary of the most common ones, one logistic regression per class
 * (one-vs-rest, fitted by lib/analytics/logit.h), held-out accuracy and
 * macro-F1 next to a majority-class baseline, model files in JSON, and
 * predictions that name the words that decided them. */
#ifndef CRM_TEXTCLASS_H
#define CRM_TEXTCLASS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

struct crm_textclass_opts {
	long vocab;   /* at most this many tokens (default 1000) */
	long min_df;  /* in at least this many texts (default 2) */
	double l2;    /* penalty, as crm_logit_opts.l2 (default 1) */
	long holdout; /* percent of rows held out to measure (default 20;
			 0: none) */
	/* the held-out rows are the last ones in input order (the newest
	 * tickets: trained on the past, measured on what came after);
	 * shuffle: a random share instead, by seed */
	bool shuffle;
	uint64_t seed;
	long max_iter; /* Newton steps per class (default 100) */
};
void crm_textclass_opts_init(struct crm_textclass_opts *o);

struct crm_textclass_report {
	size_t rows, train, test, classes, vocab;
	/* on the held-out rows (NAN without any) */
	double accuracy, macro_f1, base_accuracy, base_macro_f1;
	char majority[128]; /* the baseline's class */
};

struct crm_textclass;

/* Train on texts[i] labelled labels[i] (n rows; a NULL or empty label is
 * left out): measure on the held-out share, then fit the model on every
 * row. Fewer than two classes is CRM_EX_DATAERR. Returns the model
 * (caller frees) or NULL with err. */
struct crm_textclass *crm_textclass_train(const char *const *texts,
					  const char *const *labels, size_t n,
					  const struct crm_textclass_opts *o,
					  struct crm_textclass_report *rep,
					  struct crm_err *err);
void crm_textclass_free(struct crm_textclass *m);

/* Model files: target and fields (the text columns, comma-separated) are
 * written into it for predict to read back. */
int crm_textclass_save(const struct crm_textclass *m, const char *target,
		       const char *fields,
		       const struct crm_textclass_report *rep, FILE *fp,
		       struct crm_err *err);
/* The model file's JSON text, one line (caller frees; NULL when out of
 * memory). */
char *crm_textclass_text(const struct crm_textclass *m, const char *target,
			 const char *fields,
			 const struct crm_textclass_report *rep);
/* A model from its JSON text (name says where it came from in errors:
 * CRM_EX_DATAERR when it does not parse). */
struct crm_textclass *crm_textclass_parse(const char *text, const char *name,
					  struct crm_err *err);
/* Load path: NULL with err (CRM_EX_NOINPUT: cannot open; CRM_EX_CONFIG:
 * not a text model). */
struct crm_textclass *crm_textclass_load(const char *path, struct crm_err *err);
const char *crm_textclass_target(const struct crm_textclass *m);
const char *crm_textclass_fields(const struct crm_textclass *m);
/* Is the file at path a text model (its "kind")? */
bool crm_textclass_is_model(const char *path);

/* One word's share of a prediction (log-odds of the chosen class). */
struct crm_textclass_word {
	const char *word; /* owned by the model */
	double weight;
};

/* Predict text's class: *label (owned by the model), *confidence in 0..1
 * (the class's probability over the sum of every class's), and up to
 * nwords of the words that pushed most towards it (*nfound of them). */
void crm_textclass_predict(const struct crm_textclass *m, const char *text,
			   const char **label, double *confidence,
			   struct crm_textclass_word *words, size_t nwords,
			   size_t *nfound);

/* Accuracy and macro-F1 (over the classes in truth or prediction) of the
 * model's predictions for texts against labels (n rows; NAN when n is
 * 0). */
void crm_textclass_measure(const struct crm_textclass *m,
			   const char *const *texts, const char *const *labels,
			   size_t n, double *accuracy, double *macro_f1);

#endif
