/* cli_company.c - crm-company tree: the hierarchy of groups of companies,
 * indented on a terminal, records (depth, path, roll-ups) otherwise. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_company.h"
#include "company.h"

struct tree_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	const struct crm_company_rollup **r;
	long nr;
	bool table;
};

static int tree_one(const struct crm_tree_node *n, void *arg)
{
	struct tree_ctx *tc = arg;
	char num[32];

	if (tc->cli->ids)
		return printf("%lld\n", (long long)n->id) < 0 ? -1 : 0;
	if (tc->table) {
		/* indented: two spaces a level, then the roll-ups */
		if (printf("%*s%s (%lld)", n->depth * 2, "", n->name,
			   (long long)n->id) < 0)
			return -1;
		for (long k = 0; k < tc->nr; k++)
			if (printf("  %s %llu/%llu", tc->r[k]->name,
				   (unsigned long long)n->own[k],
				   (unsigned long long)n->total[k]) < 0)
				return -1;
		return putchar('\n') == EOF ? -1 : 0;
	}
	crm_rec_clear(&tc->rec);
	snprintf(num, sizeof(num), "%lld", (long long)n->id);
	crm_rec_adds(&tc->rec, "id", num);
	crm_rec_adds(&tc->rec, "name", n->name);
	if (n->parent_id) {
		snprintf(num, sizeof(num), "%lld", (long long)n->parent_id);
		crm_rec_add(&tc->rec, "parent_id", 9, num, strlen(num),
			    CRM_RAW);
	} else {
		crm_rec_add(&tc->rec, "parent_id", 9, NULL, 0, CRM_NULL);
	}
	snprintf(num, sizeof(num), "%d", n->depth);
	crm_rec_add(&tc->rec, "depth", 5, num, strlen(num), CRM_RAW);
	crm_rec_adds(&tc->rec, "path", n->path);
	for (long k = 0; k < tc->nr; k++) {
		char *tn = crm_xasprintf("%s_total", tc->r[k]->name);
		snprintf(num, sizeof(num), "%llu",
			 (unsigned long long)n->own[k]);
		crm_rec_add(&tc->rec, tc->r[k]->name, strlen(tc->r[k]->name),
			    num, strlen(num), CRM_RAW);
		snprintf(num, sizeof(num), "%llu",
			 (unsigned long long)n->total[k]);
		crm_rec_add(&tc->rec, tn, strlen(tn), num, strlen(num),
			    CRM_RAW);
		free(tn);
	}
	return crm_writer_write(tc->w, &tc->rec);
}

int crm_verb_company_tree(struct crm_cli *cli)
{
	const struct crm_entity *e = cli->cmd->entity;
	struct tree_ctx tc = {.cli = cli};
	struct crm_strv cols = {0};
	struct crm_query q;
	int64_t *ids = NULL;
	int status = 0;

	crm_rec_init(&tc.rec);
	tc.table = crm_cli_format(cli) == CRM_FMT_TABLE;
	if (crm_cli_query(cli, e, false, &q, &ids) < 0)
		goto fail;
	if (cli->where.n || cli->sort || cli->fields) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "tree takes company ids or names, not --where, "
			    "--sort or --fields");
		goto fail;
	}
	tc.nr = crm_company_rollups(cli->db, &tc.r, &cli->err);
	if (tc.nr < 0)
		goto fail;
	crm_strv_push(&cols, "id");
	crm_strv_push(&cols, "name");
	crm_strv_push(&cols, "parent_id");
	crm_strv_push(&cols, "depth");
	crm_strv_push(&cols, "path");
	for (long k = 0; k < tc.nr; k++) {
		char *tn = crm_xasprintf("%s_total", tc.r[k]->name);
		crm_strv_push(&cols, tc.r[k]->name);
		crm_strv_push(&cols, tn);
		free(tn);
	}
	if (!tc.table && !cli->ids)
		tc.w = crm_cli_writer(cli, &cols);
	if (crm_company_tree(cli->db, q.ids, q.nids, tc.r, (size_t)tc.nr,
			     tree_one, &tc, &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		goto fail;
	}
	if (tc.w && crm_writer_close(tc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(tc.w);
	crm_rec_release(&tc.rec);
	crm_strv_release(&cols);
	free(tc.r);
	free(ids);
	return status;
}
