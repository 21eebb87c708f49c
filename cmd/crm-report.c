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
    REPORT("assets", "Tickets per asset and product (--by serial: per "
		     "asset): assets, tickets, open, tickets per asset"),
    REPORT("cohort", "Customers by month of first won deal: how many bought "
		     "again or went silent in each later month"),
    REPORT("contacts",
	   "Contacts per source (or --by ...) and lifecycle stage, with the "
	   "customer rate"),
    REPORT("cycle", "Sales cycle of won deals: median, p90 and average days "
		    "from creation to close"),
    {"dashboard", NULL,
     "The manager's dashboard: key figures with their change, trends, "
     "funnel, leaderboards, service (-f html: one page)",
     crm_report_options, crm_report_parse, crm_verb_dashboard, 0},
    REPORT("dealsize",
	   "Won deals per currency: total, average, median, p90, largest"),
    REPORT("funnel", "Leads -> qualified -> converted -> deal -> won, with "
		     "stage-to-stage rates and days to assign, convert, close"),
    REPORT("leaderboard",
	   "Per owner: activities, leads worked, deals won, amount won, win "
	   "rate, tickets solved, SLA compliance"),
    REPORT("pipeline", "Open deals by stage as of --to: count, amount, "
		       "weighted amount (--compare: as of --from)"),
    REPORT("replytime", "First-reply time distribution of tickets "
			"answered: counts in hour bins, median and p90"),
    REPORT("service", "First-contact resolution (solved with one agent "
		      "reply), reopen rate, agent replies to resolution"),
    REPORT("sla", "Ticket first-reply and resolution compliance, median and "
		  "p90 hours, breaches, per priority"),
    REPORT("sources", "Leads per source and campaign: conversions, won "
		      "revenue, cost and ROI (--costs)"),
    REPORT("stages",
	   "Days deals spent in each stage (from deal history): median, "
	   "p90, average"),
    REPORT("tickets", "Ticket backlog by status and age (status as of "
		      "--to)"),
    REPORT("unattended", "Overdue tasks, idle leads and stale deals per "
			 "owner; exit 1 when there are any"),
    REPORT("velocity", "Sales velocity: open deals x win rate x average won "
		       "deal / cycle days, per currency"),
    REPORT("winrate", "Deals closed per owner: won, lost, win rate"),
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
