/* crm-ticket - support tickets held to SLA policies: open, import, list,
 * show (with the thread), update, assign, reply, note, pending, hold,
 * solve, close, reopen, sla, tag, delete, export, undo. */
#include "cli.h"
#include "cli_ticket.h"
#include "ticket.h"

static const struct crm_verb verbs[] = {
    {"open", NULL, "Open one ticket from options", crm_ticket_open_options,
     crm_ticket_opts_parse, crm_verb_ticket_add, CRM_VERB_WRITE},
    {"add", NULL, "Add one ticket from --set and per-field options",
     crm_ticket_add_options, crm_ticket_opts_parse, crm_verb_ticket_add,
     CRM_VERB_WRITE},
    {"import", "[FILE...]",
     "Insert or update tickets from CSV, TSV, JSON or NDJSON (stdin without "
     "FILE)",
     crm_ticket_import_options, crm_ticket_opts_parse, crm_verb_ticket_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {"list", "[ID...]", "List tickets (brief columns on a terminal)", NULL,
     NULL, crm_verb_list, 0},
    {"show", "ID|EXTERNAL_ID|SUBJECT",
     "Show one ticket with its thread of replies and notes and its status "
     "history",
     NULL, NULL, crm_verb_ticket_show, 0},
    {"update", "[ID...]",
     "Change fields of the given tickets, or of those --where selects",
     crm_ticket_update_options, crm_ticket_opts_parse, crm_verb_ticket_update,
     CRM_VERB_WRITE},
    {"assign", "[ID...]", "Assign tickets to an agent, or --auto within a team",
     crm_ticket_assign_options, crm_ticket_opts_parse, crm_verb_ticket_assign,
     CRM_VERB_WRITE},
    {"reply", "ID...", "Add a public reply (the first sets first_response_at)",
     crm_ticket_reply_options, crm_ticket_opts_parse, crm_verb_ticket_reply,
     CRM_VERB_WRITE},
    {"note", "ID...", "Add an internal note", crm_ticket_note_options,
     crm_ticket_opts_parse, crm_verb_ticket_note, CRM_VERB_WRITE},
    {"pending", "ID...", "Wait for the customer (the SLA clock pauses)",
     crm_ticket_policies_options, crm_ticket_opts_parse,
     crm_verb_ticket_pending, CRM_VERB_WRITE},
    {"hold", "ID...", "Put on hold (the SLA clock pauses)",
     crm_ticket_policies_options, crm_ticket_opts_parse, crm_verb_ticket_hold,
     CRM_VERB_WRITE},
    {"solve", "ID...", "Mark solved (sets solved_at)",
     crm_ticket_policies_options, crm_ticket_opts_parse, crm_verb_ticket_solve,
     CRM_VERB_WRITE},
    /* DESIGN.md's name for it; the is solve: both work */
    {"resolve", "ID...", "The same as solve", crm_ticket_policies_options,
     crm_ticket_opts_parse, crm_verb_ticket_solve, CRM_VERB_WRITE},
    {"close", "ID...", "Close (sets closed_at; final until reopened)",
     crm_ticket_policies_options, crm_ticket_opts_parse, crm_verb_ticket_close,
     CRM_VERB_WRITE},
    {"reopen", "ID...", "Reopen a solved or closed ticket",
     crm_ticket_policies_options, crm_ticket_opts_parse, crm_verb_ticket_reopen,
     CRM_VERB_WRITE},
    {"sla", "[ID...]",
     "Breached and at-risk SLA targets; exit 1 when any is breached",
     crm_ticket_sla_options, crm_ticket_opts_parse, crm_verb_ticket_sla, 0},
    {"mail", NULL,
     "Deliver one email on stdin: open a ticket or thread a reply (exit 0, "
     "65 bounce, 75 retry)",
     crm_ticket_mail_options, crm_ticket_opts_parse, crm_verb_ticket_mail,
     CRM_VERB_WRITE},
    {"attachment", "TICKET [N]",
     "List a ticket's attachments, or write the N-th exactly as it came "
     "(-o FILE, -O, or standard output)",
     crm_ticket_attachment_options, crm_ticket_opts_parse,
     crm_verb_ticket_attachment, 0},
    {"tag", "add|rm TAG[,TAG...] [ID...]", "Add or remove tags",
     crm_ticket_policies_options, crm_ticket_opts_parse, crm_verb_ticket_tag,
     CRM_VERB_WRITE},
    {CRM_VERB_DELETE("tickets", crm_entity_opts_parse)},
    {CRM_VERB_EXPORT("ticket")},
    {CRM_VERB_UNDO("Revert a change (an update, status change or delete)")},
};

static const struct crm_command command = {
    "crm-ticket",
    "Support tickets held to SLA policies in business hours.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_ticket_entity,
};

int main(int argc, char **argv)
{
	struct crm_ticket_opts opts = {0};
	int status;

	crm_ticket_cli_init();
	status = crm_cli_main(&command, &opts, argc, argv);
	crm_ticket_policies_release();
	crm_entity_opts_release(&opts.e);
	return status;
}
