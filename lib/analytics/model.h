/* model.h - the stored models (crm_models): each model crm-score trains
 * on the database is kept with its training date, data window and
 * validation metrics; one per kind is active, older ones stay for
 * rollback. */
#ifndef CRM_MODEL_H
#define CRM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

/* What a stored model says about itself. Strings are owned by the struct
 * (crm_model_info_release). */
struct crm_model_info {
	int64_t id;
	char *kind;	  /* "deal" */
	char *trained_at; /* when it was fitted */
	char *data_from;  /* the oldest and newest outcome it learnt from */
	char *data_to;
	int64_t rows, positives;
	double cv_auc;	     /* cross-validated; NAN when unknown */
	double baseline_auc; /* the stage-probability baseline's, same rows */
	double cv_log_loss;
	char *model;   /* the crm-logit JSON */
	char *details; /* JSON: calibration by decile, input distributions */
	bool active;
	char *retired_at; /* set by a rollback; NULL otherwise */
};
void crm_model_info_release(struct crm_model_info *m);

/* Store m (its id is set) as the active model of its kind; the model
 * that was active stays, inactive, for a rollback. Needs an open
 * transaction. Returns 0 or -1. */
int crm_model_store(struct crm_db *db, struct crm_model_info *m,
		    struct crm_err *err);
/* The active model of kind into *m. Returns 1, 0 when there is none, -1
 * on error. */
int crm_model_active(struct crm_db *db, const char *kind,
		     struct crm_model_info *m, struct crm_err *err);
/* Retire the active model of kind and make the newest earlier model that
 * was never retired active again; *from and *to get their ids. No active
 * model, or no earlier one, is CRM_EX_NOINPUT. Needs an open transaction.
 * Returns 0 or -1. */
int crm_model_rollback(struct crm_db *db, const char *kind, int64_t *from,
		       int64_t *to, struct crm_err *err);
/* Call fn for every stored model of kind (NULL: all), newest first.
 * Returns 0 or -1 (or fn's -1). */
int crm_model_each(struct crm_db *db, const char *kind,
		   int (*fn)(const struct crm_model_info *m, void *arg),
		   void *arg, struct crm_err *err);

#endif
