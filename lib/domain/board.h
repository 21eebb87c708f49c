/* board.h - the open deals of each stage of each pipeline: count, amount
 * and weighted amount per currency, and the biggest deals of a stage. */
#ifndef CRM_BOARD_H
#define CRM_BOARD_H

#include <stdint.h>

#include "db.h"
#include "pipeline.h"

/* One stage of a board in one currency. */
struct crm_board_cell {
	const char *pipeline, *stage, *label; /* owned by the board */
	long position;	/* 1-based place in the pipeline; 0: not in it */
	char *currency; /* NULL: no deals, or deals without a currency */
	uint64_t deals;
	int64_t amount;	 /* minor units */
	double weighted; /* minor units: sum of amount x probability / 100 */
};

struct crm_board {
	struct crm_board_cell *cells; /* pipeline by pipeline, stage order */
	size_t n, cap;
	struct crm_strv names; /* strings of stages no longer configured */
};

/* The board of the open deals where (may be NULL) selects, for the
 * pipeline named pipeline (NULL: every pipeline): every open stage in
 * order, each with one cell per currency (one empty cell when it has no
 * deals), then stages deals are in that the pipelines file no longer has.
 * Returns 0 or -1 (unknown pipeline: CRM_EX_USAGE). */
int crm_board_build(struct crm_db *db, const struct crm_pipelines *cfg,
		    const char *pipeline, const struct crm_strv *where,
		    struct crm_board *b, struct crm_err *err);
void crm_board_release(struct crm_board *b);

/* The top deals of one stage by amount (then id), at most limit: fn gets
 * id, name, amount (minor units, 0 when none) and currency. */
int crm_board_top(struct crm_db *db, const char *pipeline, const char *stage,
		  const struct crm_strv *where, int64_t limit,
		  int (*fn)(int64_t id, const char *name, int64_t amount,
			    const char *currency, void *arg),
		  void *arg, struct crm_err *err);

#endif
