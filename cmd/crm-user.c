/* crm-user - the people who work in the database: users (a PostgreSQL
 * login role each on a server), their teams and roles, and the owners of
 * records as users. */
#include "cli.h"
#include "cli_user.h"
#include "user.h"

static const struct crm_verb verbs[] = {
    {"add", "NAME",
     "Add a user (on PostgreSQL also their login role); --email, --team, "
     "--role rep|manager|admin",
     crm_add_options, crm_user_opts_parse, crm_verb_user_add, CRM_VERB_WRITE},
    {CRM_VERB_LIST("users")},
    {"show", "ID|NAME|EMAIL", "Show one user", NULL, NULL, crm_verb_show, 0},
    {CRM_VERB_EXPORT("user")},
    {"disable", "USER...",
     "Disable users: they keep their records and history, and can no "
     "longer log in (NOLOGIN)",
     NULL, crm_user_opts_parse, crm_verb_user_disable, CRM_VERB_WRITE},
    {"enable", "USER...", "Enable disabled users again", NULL,
     crm_user_opts_parse, crm_verb_user_enable, CRM_VERB_WRITE},
    {"grant", "USER ROLE", "Give a user the role rep, manager or admin", NULL,
     crm_user_opts_parse, crm_verb_user_grant, CRM_VERB_WRITE},
    {"team", "add|rm|list [NAME]",
     "Add a team (--parent: under another), remove an empty one, or list "
     "them",
     crm_user_team_options, crm_user_opts_parse, crm_verb_user_team,
     CRM_VERB_WRITE},
    {"claim-owners", NULL,
     "Map the owner values of records to users (a user's email becomes "
     "their name) and list them",
     NULL, crm_user_opts_parse, crm_verb_user_claim_owners, CRM_VERB_WRITE},
    {"setup-rls", NULL,
     "PostgreSQL: turn on row-level security (reps see their own records, "
     "their team's pool and territory, managers their teams', admins "
     "all; --policy: sensitive fields)",
     crm_user_rls_options, crm_user_opts_parse, crm_verb_user_setup_rls,
     CRM_VERB_WRITE},
    {"territory", "add|rm|list [TEAM]",
     "Give a team the records whose region, country or industry is a "
     "value (--field, --value), take it back, or list the territories",
     crm_user_territory_options, crm_user_opts_parse, crm_verb_user_territory,
     CRM_VERB_WRITE},
    {CRM_VERB_HISTORY("user")},
    {CRM_VERB_UNDO("Revert a change to users (an update or an add)")},
};

static const struct crm_command command = {
    "crm-user",
    "Users, teams and roles (rights enforced by PostgreSQL).",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_user_entity,
};

int main(int argc, char **argv)
{
	struct crm_user_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_entity_opts_release(&opts.e);
	return status;
}
