/* cli_search.h - the front end of lib/domain/search.c: crm search, and show KEY
 * taking a name. */
#ifndef CRM_CLI_SEARCH_H
#define CRM_CLI_SEARCH_H

#include "cli.h"

/* crm search TEXT...: matches grouped by noun (a table), or records with
 * the columns noun,id,name,matched,value; exit 1 when nothing matches. */
int crm_verb_search(struct crm_cli *cli);

/* crm search's own options: --reindex, --drop-index (cli->opts is a
 * struct crm_search_opts). */
struct crm_search_opts {
	bool reindex, refresh, drop;
};
extern const struct argp_option crm_search_options[];
error_t crm_search_opts_parse(int key, char *arg, struct argp_state *state);

/* show's lookup: crm_entity_find (id, external id, email, phone ...),
 * then a name (crm_search_names). Returns 1 with row filled, or -1 with
 * cli->err: not found (CRM_EX_NOINPUT), or a name shared by several
 * records (CRM_EX_NOINPUT too, the candidates in the message). */
int crm_cli_show_find(struct crm_cli *cli, const struct crm_entity *e,
		      const char *key, struct crm_row *row);

#endif
