/* routemodel.h - the ticket routing model kept in the database (kind
 * "route" of crm_models, lib/analytics/model.h): the text classifier of
 * lib/analytics/textclass.h trained on the solved tickets, stored with
 * its training date, data window (when its tickets were solved) and
 * held-out accuracy and macro-F1 next to the majority baseline, and
 * watched on the tickets solved since. */
#ifndef CRM_ROUTEMODEL_H
#define CRM_ROUTEMODEL_H

#include "db.h"
#include "model.h"
#include "textclass.h"

/* Training rows: the text of each ticket (its fields, one a line) and its
 * label; from and to the earliest and latest solving time. */
struct crm_route_rows {
	struct crm_strv text, label;
	char *from, *to;
};
void crm_route_rows_release(struct crm_route_rows *r);

/* The solved and closed tickets in id order (only those solved after
 * `after` when it is not NULL): fields is a comma-separated list of
 * ticket fields, target a field or a custom field. A ticket's solving
 * time is solved_at, else closed_at, else updated_at. Unknown fields are
 * CRM_EX_USAGE. Returns 0 or -1. */
int crm_route_rows(struct crm_db *db, const char *fields, const char *target,
		   const char *after, struct crm_route_rows *r,
		   struct crm_err *err);

/* Store m as the active route model (the previous one is kept for
 * crm-score rollback route); *id gets its id. Needs an open transaction.
 * Returns 0 or -1. */
int crm_route_store(struct crm_db *db, const struct crm_textclass *m,
		    const char *target, const char *fields,
		    const struct crm_textclass_report *rep,
		    const struct crm_route_rows *rows, int64_t *id,
		    struct crm_err *err);

/* The active route model into *m (caller frees) and its id into *id.
 * Returns 1, 0 when there is none, -1 on error. */
int crm_route_active(struct crm_db *db, struct crm_textclass **m, int64_t *id,
		     struct crm_err *err);

/* What monitor --kind route measured. */
struct crm_route_monitor {
	struct crm_model_info info; /* the active route model */
	struct crm_textclass *model;
	const char *target, *fields;	     /* owned by model */
	double held_accuracy, held_macro_f1; /* stored at training (NAN:
						 none held out) */
	long outcomes;		   /* tickets solved since its window */
	double accuracy, macro_f1; /* its predictions on them (NAN: none) */
};
void crm_route_monitor_release(struct crm_route_monitor *mo);

/* Measure the active route model on the tickets solved after its data
 * window. Returns 1, 0 when there is no route model, -1 on error. */
int crm_route_monitor(struct crm_db *db, struct crm_route_monitor *mo,
		      struct crm_err *err);

#endif
