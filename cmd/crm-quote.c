/* crm-quote - quotes (CPQ): new, add-line, remove-line, price, list, show,
 * lines, submit, approve, accept, reject, render, suggest. */
#include "cli.h"
#include "cli_quote.h"
#include "quote.h"

static const struct crm_verb verbs[] = {
    {"new", NULL,
     "A new quote for a deal or account, in one currency and price book "
     "(--from copies a past quote at today's prices)",
     crm_quote_new_options, crm_quote_opts_parse, crm_verb_quote_new,
     CRM_VERB_WRITE},
    {"add-line", "QUOTE SKU",
     "Add a line (a sent quote gets a new version) and reprice",
     crm_quote_line_options, crm_quote_opts_parse, crm_verb_quote_add_line,
     CRM_VERB_WRITE},
    {"remove-line", "QUOTE LINE",
     "Remove a line and its options (a sent quote gets a new version)",
     crm_quote_price_options, crm_quote_opts_parse, crm_verb_quote_remove_line,
     CRM_VERB_WRITE},
    {"price", "QUOTE...",
     "Reprice the current version from its price book (--all: every "
     "draft)",
     crm_quote_reprice_options, crm_quote_opts_parse, crm_verb_quote_price,
     CRM_VERB_WRITE},
    {CRM_VERB_LIST("quotes")},
    {"show", "QUOTE", "The quote's status, figures and totals",
     crm_quote_show_options, crm_quote_opts_parse, crm_verb_quote_show, 0},
    {"lines", "QUOTE",
     "The quote's lines (--explain: every pricing step; --groups: group "
     "subtotals)",
     crm_quote_lines_options, crm_quote_opts_parse, crm_verb_quote_lines, 0},
    {"submit", "QUOTE",
     "Send the quote; past an approval threshold it is pending approval "
     "and locked",
     crm_quote_submit_options, crm_quote_opts_parse, crm_verb_quote_submit,
     CRM_VERB_WRITE},
    {"approve", "QUOTE", "Approve a quote pending approval (unlocks it)", NULL,
     NULL, crm_verb_quote_approve, CRM_VERB_WRITE},
    {"accept", "QUOTE",
     "The customer accepted: the deal is won for the quote's total", NULL, NULL,
     crm_verb_quote_accept, CRM_VERB_WRITE},
    {"reject", "QUOTE", "The customer said no (--reason is required)",
     crm_quote_reject_options, crm_quote_opts_parse, crm_verb_quote_reject,
     CRM_VERB_WRITE},
    {"render", "QUOTE",
     "Write the customer's document as self-contained HTML or PDF",
     crm_quote_render_options, crm_quote_opts_parse, crm_verb_quote_render, 0},
    {"suggest", "QUOTE",
     "Win rate by discount band over similar past quotes, and the discount "
     "that maximises expected revenue",
     crm_quote_suggest_options, crm_quote_opts_parse, crm_verb_quote_suggest,
     0},
};

static const struct crm_command command = {
    "crm-quote",
    "Quotes: configure, price, quote.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_quote_entity,
};

int main(int argc, char **argv)
{
	struct crm_quote_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	crm_strv_release(&opts.attrs);
	return status;
}
