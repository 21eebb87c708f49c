/* cli_quote.h - crm-quote's verbs: new, add-line, remove-line, price,
 * show, lines, submit, approve, accept, reject, render, suggest. */
#ifndef CRM_CLI_QUOTE_H
#define CRM_CLI_QUOTE_H

#include "cli.h"

struct crm_quote_opts {
	struct crm_entity_opts e;
	const char *deal, *account, *currency, *book, *region, *valid_until;
	const char *from, *external_id, *at, *pricing, *taxes, *thresholds;
	const char *qty, *unit, *group, *discount, *price, *reason, *parent;
	const char *output, *as, *template_path, *version, *min_history;
	const char *start, *end, *term;
	struct crm_strv attrs;
	bool explain, groups, force, all;
};

extern const struct argp_option crm_quote_new_options[];
extern const struct argp_option crm_quote_line_options[];
extern const struct argp_option crm_quote_price_options[];
extern const struct argp_option crm_quote_reprice_options[];
extern const struct argp_option crm_quote_show_options[];
extern const struct argp_option crm_quote_lines_options[];
extern const struct argp_option crm_quote_submit_options[];
extern const struct argp_option crm_quote_reject_options[];
extern const struct argp_option crm_quote_render_options[];
extern const struct argp_option crm_quote_suggest_options[];
error_t crm_quote_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_quote_new(struct crm_cli *cli);
int crm_verb_quote_add_line(struct crm_cli *cli);
int crm_verb_quote_remove_line(struct crm_cli *cli);
int crm_verb_quote_price(struct crm_cli *cli);
int crm_verb_quote_show(struct crm_cli *cli);
int crm_verb_quote_lines(struct crm_cli *cli);
int crm_verb_quote_submit(struct crm_cli *cli);
int crm_verb_quote_approve(struct crm_cli *cli);
int crm_verb_quote_accept(struct crm_cli *cli);
int crm_verb_quote_reject(struct crm_cli *cli);
int crm_verb_quote_render(struct crm_cli *cli);
int crm_verb_quote_suggest(struct crm_cli *cli);

#endif
