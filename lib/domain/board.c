/* board.c - open deals per stage: one GROUP BY, laid out in stage order. */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "deal.h"
#include "filter.h"
#include "money.h"

struct group {
	char *pipeline, *stage, *currency;
	uint64_t deals;
	int64_t amount;
	double weighted;
	bool used;
};

static struct crm_board_cell *new_cell(struct crm_board *b)
{
	b->cells = crm_xgrow(b->cells, &b->cap, b->n + 1, sizeof(*b->cells));
	memset(&b->cells[b->n], 0, sizeof(*b->cells));
	return &b->cells[b->n++];
}

static void put(struct crm_board *b, struct group *g, const char *pipeline,
		const char *stage, const char *label, long position)
{
	struct crm_board_cell *c = new_cell(b);

	c->pipeline = pipeline;
	c->stage = stage;
	c->label = label;
	c->position = position;
	if (g) {
		c->currency = g->currency ? crm_xstrdup(g->currency) : NULL;
		c->deals = g->deals;
		c->amount = g->amount;
		c->weighted = g->weighted;
		g->used = true;
	}
}

struct groups {
	struct group *v;
	size_t n, cap;
	struct crm_err *err;
};

/* crm_stmt_each: one (pipeline, stage, currency) group */
static int add_group(struct crm_stmt *st, void *arg)
{
	struct groups *gs = arg;
	const char *cur = crm_stmt_text(st, 2);
	struct group *g;

	gs->v = crm_xgrow(gs->v, &gs->cap, gs->n + 1, sizeof(*gs->v));
	g = &gs->v[gs->n++];
	*g = (struct group){
	    .pipeline = crm_xstrdup(crm_stmt_text(st, 0)),
	    .stage = crm_xstrdup(crm_stmt_text(st, 1)),
	    .currency = cur ? crm_xstrdup(cur) : NULL,
	    .deals = (uint64_t)crm_stmt_int(st, 3),
	    .amount = crm_stmt_int(st, 4),
	    .weighted = crm_stmt_double(st, 5),
	};
	if (!crm_money_fits(g->weighted))
		return crm_money_overflow(gs->err, "board");
	return 0;
}

static const char *keep(struct crm_board *b, const char *s)
{
	crm_strv_push(&b->names, s);
	return b->names.v[b->names.n - 1];
}

int crm_board_build(struct crm_db *db, const struct crm_pipelines *cfg,
		    const char *pipeline, const struct crm_strv *where,
		    struct crm_board *b, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds bi = {0};
	struct groups gs = {.err = err};
	struct group *g;
	size_t ng;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	if (pipeline && !crm_pipeline_find(cfg, pipeline))
		return crm_err_set(err, CRM_EX_USAGE, "no pipeline '%s'",
				   pipeline);
	crm_buf_adds(&sql, "SELECT pipeline, stage, currency, count(*), "
			   "sum(amount), sum(amount * probability) / 100.0 "
			   "FROM deals WHERE status = 'open'");
	/* NULLS FIRST: SQLite's order, on PostgreSQL too. The groups come
	 * from SQLite's sorter over every open deal: its spill stays off the
	 * heap (10M open deals held 552 MiB) */
	if (crm_db_sort_spill(db, true, err) < 0 ||
	    crm_db_sort_spill_end(
		db,
		crm_deal_each(db, &sql, &bi, where,
			      " GROUP BY pipeline, stage, currency ORDER BY "
			      "pipeline NULLS FIRST, stage NULLS FIRST, "
			      "currency NULLS FIRST",
			      -1, add_group, &gs, err),
		err) < 0)
		goto out;
	g = gs.v;
	ng = gs.n;
	for (size_t p = 0; p < cfg->n; p++) {
		const struct crm_pipeline *pl = &cfg->v[p];

		if (pipeline && strcmp(pipeline, pl->name))
			continue;
		for (size_t k = 0; k < pl->nstages; k++) {
			const struct crm_stage *sg = &pl->stages[k];
			bool any = false;

			if (sg->status != CRM_DEAL_OPEN)
				continue;
			for (size_t i = 0; i < ng; i++)
				if (!strcmp(g[i].pipeline, pl->name) &&
				    !strcmp(g[i].stage, sg->name)) {
					put(b, &g[i], pl->name, sg->name,
					    sg->label, (long)k + 1);
					any = true;
				}
			if (!any)
				put(b, NULL, pl->name, sg->name, sg->label,
				    (long)k + 1);
		}
	}
	/* deals in stages (or pipelines) the file no longer has */
	for (size_t i = 0; i < ng; i++) {
		const char *pn, *sn;

		if (g[i].used || (pipeline && strcmp(pipeline, g[i].pipeline)))
			continue;
		pn = keep(b, g[i].pipeline);
		sn = keep(b, g[i].stage);
		put(b, &g[i], pn, sn, sn, 0);
	}
	rc = 0;
out:
	for (size_t i = 0; i < gs.n; i++) {
		free(gs.v[i].pipeline);
		free(gs.v[i].stage);
		free(gs.v[i].currency);
	}
	free(gs.v);
	if (rc < 0)
		crm_board_release(b);
	return rc;
}

void crm_board_release(struct crm_board *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->cells[i].currency);
	free(b->cells);
	crm_strv_release(&b->names);
	memset(b, 0, sizeof(*b));
}

struct top_ctx {
	int (*fn)(int64_t id, const char *name, int64_t amount,
		  const char *currency, void *arg);
	void *arg;
};

/* crm_deal_each: one deal to the caller's fn */
static int top_row(struct crm_stmt *st, void *arg)
{
	struct top_ctx *x = arg;

	return x->fn(crm_stmt_int(st, 0), crm_stmt_text(st, 1),
		     crm_stmt_int(st, 2), crm_stmt_text(st, 3), x->arg);
}

int crm_board_top(struct crm_db *db, const char *pipeline, const char *stage,
		  const struct crm_strv *where, int64_t limit,
		  int (*fn)(int64_t id, const char *name, int64_t amount,
			    const char *currency, void *arg),
		  void *arg, struct crm_err *err)
{
	struct crm_buf sql = {0};
	struct crm_binds bi = {0};
	struct top_ctx x = {fn, arg};

	crm_buf_adds(&sql, "SELECT id, name, amount, currency FROM deals "
			   "WHERE status = 'open' AND pipeline = ? AND "
			   "stage = ?");
	crm_binds_push(&bi, pipeline, 't');
	crm_binds_push(&bi, stage, 't');
	return crm_deal_each(db, &sql, &bi, where,
			     " ORDER BY amount DESC, id LIMIT ?", limit,
			     top_row, &x, err);
}
