/* cli_kb.h - crm-kb's verbs: Markdown import, search, suggest, link,
 * publish and archive, versions, deflection, usage, reindex. */
#ifndef CRM_CLI_KB_H
#define CRM_CLI_KB_H

#include "cli.h"

/* The options of crm-kb's verbs; the generic verbs see the first member. */
struct crm_kb_opts {
	struct crm_entity_opts e;
	const char *status, *language, *category, *mark, *since, *until;
	long version;
	bool all, remove;
};

extern const struct argp_option crm_kb_search_options[];
extern const struct argp_option crm_kb_suggest_options[];
extern const struct argp_option crm_kb_link_options[];
extern const struct argp_option crm_kb_show_options[];
extern const struct argp_option crm_kb_deflection_options[];
error_t crm_kb_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_kb_import(struct crm_cli *cli);
int crm_verb_kb_show(struct crm_cli *cli);
int crm_verb_kb_search(struct crm_cli *cli);
int crm_verb_kb_suggest(struct crm_cli *cli);
int crm_verb_kb_link(struct crm_cli *cli);
int crm_verb_kb_publish(struct crm_cli *cli);
int crm_verb_kb_archive(struct crm_cli *cli);
int crm_verb_kb_versions(struct crm_cli *cli);
int crm_verb_kb_deflection(struct crm_cli *cli);
int crm_verb_kb_usage(struct crm_cli *cli);
int crm_verb_kb_reindex(struct crm_cli *cli);

#endif
