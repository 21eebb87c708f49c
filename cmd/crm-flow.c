/* crm-flow - workflow automation (placeholder until the flow engine
 * lands): the approval verbs. */
#include "cli.h"
#include "cli_approval.h"

static const struct crm_verb verbs[] = {
    CRM_APPROVAL_VERBS,
};

static const struct crm_command command = {
    "crm-flow", "Workflow automation: flows, and approvals.",
    verbs,	sizeof(verbs) / sizeof(verbs[0]),
    NULL,
};

int main(int argc, char **argv)
{
	return crm_cli_main(&command, NULL, argc, argv);
}
