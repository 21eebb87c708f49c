/* dealscore.h - deal win probability: a logistic regression (logit.c)
 * trained on the closed deals (won against lost), each described as it
 * stood when it closed, and applied to the open deals as they stand now;
 * validated by cross-validation against the stage probabilities the
 * pipeline already uses; models kept in crm_models (model.c), scores in
 * deal_scores with the previous score and a trend. The features are
 * listed in crm-score(1). */
#ifndef CRM_DEALSCORE_H
#define CRM_DEALSCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "model.h"

struct crm_dealscore_opts {
	long min_history; /* closed deals needed to train (default 200) */
	long min_class;	  /* of each outcome (default 10) */
	long folds;	  /* cross-validation folds (default 5) */
	bool retrain;	  /* train even when a model is active */
	long nfactors;	  /* factors kept per deal (default 3) */
	bool dry_run;
};
void crm_dealscore_opts_init(struct crm_dealscore_opts *o);

/* One decile of the validation: the deals in it, the mean predicted and
 * the observed win rate (percent). */
struct crm_calib {
	long deals;
	double expected, observed;
};

/* What a run did. */
struct crm_dealscore_report {
	bool trained;			       /* a new model was fitted */
	struct crm_model_info info;	       /* the model used (released by
						  crm_dealscore_report_release) */
	struct crm_calib model[10], stage[10]; /* by decile, of the model's
						  and the stage's scores */
	int ndeciles;
};
void crm_dealscore_report_release(struct crm_dealscore_report *r);

/* One open deal's score, for the callback (valid during the call). */
struct crm_dealscore {
	int64_t id;
	const char *name, *stage, *owner;
	double probability;	  /* percent */
	double stage_probability; /* the deal's own, else its stage's */
	bool has_previous;
	double previous;
	const char *trend;   /* improving, steady, declining; NULL: first */
	const char *factors; /* "meetings_30d=4 (+1.234); ..." or NULL */
};

/* Score every open deal at db->now with the active deal model, training
 * one first (and storing it, the old one kept) when there is none or
 * o->retrain; too little history is CRM_EX_DATAERR saying how many closed
 * deals are needed. Scores go to deal_scores in one transaction (rolled
 * back for a dry run); fn (may be NULL) is called per deal. rep gets
 * what was used. *n the number scored. Returns 0 or -1. */
int crm_dealscore_run(struct crm_db *db, const struct crm_dealscore_opts *o,
		      int (*fn)(const struct crm_dealscore *d, void *arg),
		      void *arg, uint64_t *n, struct crm_dealscore_report *rep,
		      struct crm_err *err);

/* The open deals' model probabilities for the forecast: the latest
 * stored score of deal id (percent), or NAN. */
double crm_dealscore_latest(struct crm_db *db, int64_t id, struct crm_err *err);

/* -- watching the model ------------------------------------------------ */

/* Drift thresholds (share/crm/monitor.json; crm-score(1)). */
struct crm_monitor_limits {
	long min_outcomes;	    /* recent outcomes needed to judge AUC */
	double max_auc_drop;	    /* below the model's cross-validated AUC */
	double max_calibration_gap; /* |mean predicted - observed|, points */
	double max_psi;		    /* population stability of one input */
	long min_open;		    /* open deals needed for the PSI */
};
void crm_monitor_limits_init(struct crm_monitor_limits *l);

struct crm_monitor_metric {
	char name[64]; /* "auc", "calibration_gap", "psi:FEATURE" */
	double value, limit;
	bool drift;
};

struct crm_monitor {
	struct crm_model_info info; /* the active model */
	long outcomes;		    /* deals closed since its data window,
				       scored while open */
	long open;
	struct crm_monitor_metric *v;
	size_t n, cap;
	bool drift; /* any metric past its limit */
};
void crm_monitor_release(struct crm_monitor *mo);

/* Compare the active deal model with what happened since its data
 * window: AUC and calibration of the last score each deal had before it
 * closed, and the PSI of each input of the open deals against the open
 * deals when it was trained (or, when there were none, the deals it
 * learnt from).
 * No active model is CRM_EX_NOINPUT. Returns 0 or -1. */
int crm_dealscore_monitor(struct crm_db *db, const struct crm_monitor_limits *l,
			  struct crm_monitor *mo, struct crm_err *err);

#endif
