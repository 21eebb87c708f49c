/* cli_contact.c - crm-contact tree: the org chart of a company's people
 * (reports_to_id), indented on a terminal, records (depth, path)
 * otherwise. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_contact.h"
#include "company.h"
#include "contact.h"

struct org_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	int64_t company;
	bool table;
};

static void add_int(struct crm_rec *r, const char *name, int64_t v, bool null)
{
	char num[32];

	if (null) {
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
		return;
	}
	snprintf(num, sizeof(num), "%lld", (long long)v);
	crm_rec_add(r, name, strlen(name), num, strlen(num), CRM_RAW);
}

static void add_text(struct crm_rec *r, const char *name, const char *v)
{
	if (v)
		crm_rec_adds(r, name, v);
	else
		crm_rec_add(r, name, strlen(name), NULL, 0, CRM_NULL);
}

static int org_one(const struct crm_org_node *n, void *arg)
{
	struct org_ctx *oc = arg;

	if (oc->cli->ids)
		return printf("%lld\n", (long long)n->id) < 0 ? -1 : 0;
	if (oc->table) {
		/* under the company, two spaces a level, then the title */
		if (printf("%*s%s (%lld)", (n->depth + 1) * 2, "", n->name,
			   (long long)n->id) < 0)
			return -1;
		if (n->title && printf(", %s", n->title) < 0)
			return -1;
		return putchar('\n') == EOF ? -1 : 0;
	}
	crm_rec_clear(&oc->rec);
	add_int(&oc->rec, "company_id", oc->company, false);
	add_int(&oc->rec, "id", n->id, false);
	crm_rec_adds(&oc->rec, "name", n->name);
	add_text(&oc->rec, "title", n->title);
	add_text(&oc->rec, "email", n->email);
	add_int(&oc->rec, "reports_to_id", n->reports_to_id, !n->reports_to_id);
	add_int(&oc->rec, "depth", n->depth, false);
	crm_rec_adds(&oc->rec, "path", n->path);
	add_text(&oc->rec, "owner", n->owner);
	add_text(&oc->rec, "last_activity_at", n->last_activity_at);
	return crm_writer_write(oc->w, &oc->rec);
}

static const char *const org_cols[] = {
    "company_id", "id",
    "name",	  "title",
    "email",	  "reports_to_id",
    "depth",	  "path",
    "owner",	  "last_activity_at",
    NULL,
};

int crm_verb_contact_tree(struct crm_cli *cli)
{
	struct org_ctx oc = {.cli = cli};
	struct crm_strv cols = {0};
	struct crm_query q;
	int64_t *ids = NULL;
	int status = 0;

	crm_rec_init(&oc.rec);
	oc.table = crm_cli_format(cli) == CRM_FMT_TABLE;
	if (cli->where.n || cli->sort || cli->fields) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "tree takes company ids or names, not --where, "
			    "--sort or --fields");
		goto fail;
	}
	if (!cli->args.n && !cli->from_stdin) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "tree needs a company (an id or a name)");
		goto fail;
	}
	if (crm_cli_query(cli, &crm_company_entity, true, &q, &ids) < 0)
		goto fail;
	for (size_t i = 0; org_cols[i]; i++)
		crm_strv_push(&cols, org_cols[i]);
	if (!oc.table && !cli->ids)
		oc.w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < q.nids; i++) {
		struct crm_row c;
		int rc;

		crm_row_init(&c, &crm_company_entity);
		rc = crm_entity_get(cli->db, &crm_company_entity, q.ids[i], &c,
				    &cli->err);
		if (rc == 0)
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "no company %lld", (long long)q.ids[i]);
		if (rc > 0 && oc.table &&
		    printf("%s%s (%lld)\n", i ? "\n" : "",
			   crm_row_get(&c, "name"), (long long)q.ids[i]) < 0)
			rc = -1;
		crm_row_release(&c);
		if (rc <= 0)
			goto fail_io;
		oc.company = q.ids[i];
		if (crm_contact_tree(cli->db, q.ids[i], org_one, &oc,
				     &cli->err) < 0)
			goto fail_io;
	}
	if (oc.w && crm_writer_close(oc.w) < 0)
		goto fail_io;
	goto out;
fail_io:
	if (!cli->err.code)
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(oc.w);
	crm_rec_release(&oc.rec);
	crm_strv_release(&cols);
	free(ids);
	return status;
}
