/* cli_view.c - show for contacts and companies: the 360-degree view as a
 * card on a terminal and one nested JSON object in JSON and NDJSON; CSV,
 * TSV and --fields give the plain record (crm_verb_show). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_card.h"
#include "cli_search.h"
#include "cli_view.h"
#include "view.h"

static const char *str(json_t *o, const char *k)
{
	json_t *j = json_object_get(o, k);

	return json_is_string(j) ? json_string_value(j) : NULL;
}

/* One line for a related record: id, then what names it. */
static void line(struct crm_buf *b, json_t *o)
{
	static const char *const names[] = {
	    "occurred_at", "due_at", "type",   "name",	   "first_name",
	    "last_name",   "email",  "title",  "subject",  "stage",
	    "status",	   "owner",  "window", "evidence", NULL};
	json_t *id = json_object_get(o, "id");

	if (id) /* best_times has none */
		crm_buf_addf(b, "  %lld", (long long)json_integer_value(id));
	for (size_t i = 0; names[i]; i++) {
		const char *v = str(o, names[i]);
		if (v)
			crm_buf_addf(b, "  %s", v);
	}
	crm_buf_addc(b, '\n');
}

static void card(struct crm_buf *b, json_t *view)
{
	const char *key;
	json_t *v;
	bool first = true;

	json_object_foreach(view, key, v)
	{
		if (first) {
			crm_card_json(b, v);
			first = false;
			continue;
		}
		if (json_is_null(v))
			continue;
		if (json_is_array(v) && !json_array_size(v))
			continue;
		crm_buf_addf(b, "\n%s:\n", key);
		if (json_is_array(v)) {
			size_t i;
			json_t *o;

			json_array_foreach(v, i, o) line(b, o);
		} else if (json_object_get(v, "id")) {
			line(b, v);
		} else {
			const char *k;
			json_t *f;

			json_object_foreach(v, k, f)
			    crm_buf_addf(b, "  %s  %lld\n", k,
					 (long long)json_integer_value(f));
		}
	}
}

int crm_verb_view(struct crm_cli *cli)
{
	const struct crm_entity *e = cli->cmd->entity;
	enum crm_fmt f = crm_cli_format(cli);
	struct crm_row row;
	json_t *view = NULL;
	int rc, status = 0;

	if (cli->fields || cli->ids || f == CRM_FMT_CSV || f == CRM_FMT_TSV)
		return crm_verb_show(cli);
	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "show takes one %s",
			    e->name);
		return crm_cli_fail(cli);
	}
	crm_row_init(&row, e);
	rc = crm_cli_show_find(cli, e, cli->args.v[0], &row);
	if (rc > 0)
		view = crm_view(cli->db, &row, &cli->err);
	if (!view) {
		status = crm_cli_fail(cli);
		goto out;
	}
	status = crm_card_print_view(cli, view, card);
out:
	json_decref(view);
	crm_row_release(&row);
	return status;
}
