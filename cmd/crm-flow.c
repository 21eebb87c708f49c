/* crm-flow - workflow automation: flows (share/crm/flows, one JSON file each)
 * that react to changes, time and schedules, run from cron. The verb table is
 * the one place a verb is added (approvals add theirs here). */
#include "cli.h"
#include "cli_approval.h"
#include "cli_flow.h"

static const struct crm_verb verbs[] = {
    {"list", NULL, "List the flows: name, entity, trigger, actions",
     crm_flow_dir_options, crm_flow_opts_parse, crm_verb_flow_list,
     CRM_VERB_NODB},
    {"check", NULL, "Check every flow file; exit 78 naming the bad one",
     crm_flow_dir_options, crm_flow_opts_parse, crm_verb_flow_check,
     CRM_VERB_NODB},
    {"run", NULL,
     "Do what is due now, once: changes, time triggers, schedules, "
     "retries; exit 1 when actions wait for a retry",
     crm_flow_run_options, crm_flow_opts_parse, crm_verb_flow_run,
     CRM_VERB_WRITE},
    {"test", "FLOW",
     "Explain, condition by condition, whether FLOW would fire for a record",
     crm_flow_test_options, crm_flow_opts_parse, crm_verb_flow_test, 0},
    {"log", NULL, "What fired, when, why, and what it did",
     crm_flow_log_options, crm_flow_opts_parse, crm_verb_flow_log, 0},
    CRM_APPROVAL_VERBS,
};

static const struct crm_command command = {
    "crm-flow", "Workflow automation: flows that react to changes and to time, and "
    "approvals.",
    verbs,	sizeof(verbs) / sizeof(verbs[0]),
    NULL,
};

int main(int argc, char **argv)
{
	struct crm_flow_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_flow_opts_release(&opts);
	return status;
}
