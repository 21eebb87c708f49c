/* cli_card.c - cards and views. See cli_card.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_card.h"

/* n fields: the ones whose value is not NULL, names padded to the longest
 * of all n */
static void card(struct crm_buf *b, size_t n, const char *const *names,
		 char *const *vals)
{
	size_t wd = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) > wd)
			wd = strlen(names[i]);
	for (size_t i = 0; i < n; i++)
		if (vals[i])
			crm_buf_addf(b, "%-*s  %s\n", (int)wd, names[i],
				     vals[i]);
}

void crm_card_rec(struct crm_buf *b, const struct crm_rec *rec)
{
	const char **names = crm_xcalloc(rec->n + 1, sizeof(*names));
	char **vals = crm_xcalloc(rec->n + 1, sizeof(*vals));

	for (size_t i = 0; i < rec->n; i++) {
		names[i] = crm_rec_name(rec, i);
		vals[i] = (char *)crm_rec_val(rec, i);
	}
	card(b, rec->n, names, vals);
	free(vals);
	free(names);
}

void crm_card_json(struct crm_buf *b, json_t *o)
{
	size_t n = json_object_size(o), i = 0;
	const char **names = crm_xcalloc(n + 1, sizeof(*names));
	char **vals = crm_xcalloc(n + 1, sizeof(*vals));
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
	{
		names[i] = k;
		vals[i++] = json_is_null(v) ? NULL
			    : json_is_string(v)
				? crm_xstrdup(json_string_value(v))
				: json_dumps(v, JSON_ENCODE_ANY);
	}
	card(b, i, names, vals);
	while (i--)
		free(vals[i]);
	free(vals);
	free(names);
}

int crm_card_print_view(struct crm_cli *cli, json_t *view,
			void (*draw)(struct crm_buf *b, json_t *view))
{
	struct crm_buf out = {0};
	int status = 0;

	if (crm_cli_format(cli) == CRM_FMT_TABLE) {
		draw(&out, view);
	} else {
		char *s = json_dumps(view, JSON_COMPACT);
		crm_buf_adds(&out, s);
		crm_buf_addc(&out, '\n');
		free(s);
	}
	if (fwrite(out.s, 1, out.len, stdout) != out.len) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		status = crm_cli_fail(cli);
	}
	crm_buf_release(&out);
	return status;
}
