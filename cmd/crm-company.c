/* crm-company - accounts: add, import, list, show (the 360-degree view),
 * update, delete, export, tag, undo, tree (the group hierarchy), role and
 * powermap (who decides at an account), coverage, tier (customer tiers)
 * and plan (account plans). */
#include "cli.h"
#include "cli_account.h"
#include "cli_company.h"
#include "cli_role.h"
#include "cli_view.h"
#include "company.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("company")},
    {"import", "[FILE...]",
     "Insert or update companies from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE)",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("companies")},
    {"show", "ID|NAME|DOMAIN|EXTERNAL_ID",
     "Show one company: its parent, subsidiaries, contacts, activities "
     "and open tasks",
     NULL, NULL, crm_verb_view, 0},
    {CRM_VERB_UPDATE("companies")},
    {CRM_VERB_DELETE("companies", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("company")},
    {CRM_VERB_TAG},
    {CRM_VERB_HISTORY("company")},
    {"tree", "[ID|NAME...]",
     "The hierarchy of every group, or of the groups of the given "
     "companies, with roll-ups",
     NULL, NULL, crm_verb_company_tree, 0},
    {"role", "add|list|rm COMPANY [CONTACT]",
     "The roles of contacts on an account, with attitude and influence",
     crm_role_options, crm_role_opts_parse, crm_verb_company_role,
     CRM_VERB_WRITE},
    {"powermap", "COMPANY...",
     "Who decides at an account (its roles and those on its open deals), "
     "with the gaps (--check: exit 1 when there is one)",
     crm_powermap_options, crm_role_opts_parse, crm_verb_company_powermap, 0},
    {"coverage", "COMPANY...",
     "Penetration of a group: per company, deals, revenue, contacts, last "
     "activity and owner, the white space flagged",
     crm_coverage_options, crm_role_opts_parse, crm_verb_company_coverage, 0},
    {"tier", "[COMPANY...]",
     "Compute and store each account's tier from the tiers file "
     "(--explain: which rule matched, with the figures)",
     crm_tier_options, crm_account_opts_parse, crm_verb_company_tier,
     CRM_VERB_WRITE},
    {"plan", "COMPANY [set|goal|strategy|action|review] [ARG...]",
     "The account plan: shown against actuals (revenue vs target, actions "
     "done and due, power-map gaps), or edited",
     crm_plan_options, crm_account_opts_parse, crm_verb_company_plan,
     CRM_VERB_WRITE},
    {CRM_VERB_UNDO(
	"Revert a change (an update, tag or delete; an undo redoes)")},
};

static const struct crm_command command = {
    "crm-company",
    "Accounts: the companies of a CRM and their groups.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_company_entity,
};

int main(int argc, char **argv)
{
	return crm_entity_cli_main(&command, argc, argv);
}
