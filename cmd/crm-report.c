/* crm-report - analytics: the numbers managers ask for, as records in any
 * format, bar charts on a terminal, or one self-contained HTML page. */
#include "cli.h"
#include "cli_report.h"

#define REPORT(name, doc)                                                      \
	{                                                                      \
		name, NULL, doc, crm_report_options, crm_report_parse,         \
		    crm_verb_report, 0                                         \
	}

static const struct crm_verb verbs[] = {
    REPORT("activities",
	   "Activities per owner (or --by type ...): calls, emails, "
	   "meetings, tasks done"),
    REPORT("sources",
	   "Contacts per source (or --by ...) and lifecycle stage, with the "
	   "customer rate"),
    REPORT("unattended",
	   "Open tasks past due per owner; exit 1 when there are any"),
};

static const struct crm_command command = {
    "crm-report",
    "Analytics: reports as records, terminal charts or an HTML page.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    NULL,
    true,
};

int main(int argc, char **argv)
{
	struct crm_report_cli opts = {0};

	return crm_cli_main(&command, &opts, argc, argv);
}
