/* crm-contract - quote to cash: contracts (add, import, list, show,
 * update, export, undo: the entity engine's), their milestones and
 * billing schedules, invoices, credit notes, payments and allocations,
 * bank statement reconciliation, receivables reports and the journal
 * export to accounting. */
#include "cli.h"
#include "cli_contract.h"
#include "contract.h"

static const struct crm_verb verbs[] = {
    {CRM_VERB_ADD("contract")},
    {"import", "[FILE...]",
     "Insert or update contracts from CSV, TSV, JSON or NDJSON (stdin "
     "without FILE)",
     crm_import_options, crm_entity_opts_parse, crm_verb_import,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {CRM_VERB_LIST("contracts")},
    {"show", "ID|EXTERNAL_ID|NAME", "Show one contract", NULL, NULL,
     crm_verb_show, 0},
    {CRM_VERB_UPDATE("contracts")},
    {CRM_VERB_EXPORT("contract")},
    {CRM_VERB_UNDO("Revert a change (an update, a milestone added or done)")},
    {"from-quote", "QUOTE",
     "Make a contract and its billing schedule from an accepted quote",
     crm_contract_from_quote_options, crm_contract_opts_parse,
     crm_verb_contract_from_quote, CRM_VERB_WRITE},
    {"milestone", "CONTRACT",
     "Add a delivery, acceptance or invoicing milestone",
     crm_contract_milestone_options, crm_contract_opts_parse,
     crm_verb_contract_milestone, CRM_VERB_WRITE},
    {"milestones", "[CONTRACT]", "List milestones (of one contract)", NULL,
     NULL, crm_verb_contract_milestones, 0},
    {"import-milestones", "[FILE...]",
     "Insert or update milestones from records", crm_import_options,
     crm_entity_opts_parse, crm_verb_contract_import_milestones,
     CRM_VERB_WRITE | CRM_VERB_IMPORT},
    {"done", "MILESTONE",
     "Record that a milestone was reached, when and the evidence",
     crm_contract_done_options, crm_contract_opts_parse, crm_verb_contract_done,
     CRM_VERB_WRITE},
    {"due", NULL, "Milestones overdue or due soon; exit 1 when any is overdue",
     crm_contract_due_options, crm_contract_opts_parse, crm_verb_contract_due,
     0},
    {"schedule", "CONTRACT", "Add a billing schedule entry (an instalment)",
     crm_contract_schedule_options, crm_contract_opts_parse,
     crm_verb_contract_schedule, CRM_VERB_WRITE},
    {"schedules", "[CONTRACT]", "List billing schedule entries", NULL, NULL,
     crm_verb_contract_schedules, 0},
    {"invoice", "[CONTRACT]",
     "Issue an invoice from a milestone, a schedule entry or lines",
     crm_contract_invoice_options, crm_contract_opts_parse,
     crm_verb_contract_invoice, CRM_VERB_WRITE},
    {"invoices", "[ACCOUNT]",
     "List invoices and credit notes with what is settled and open", NULL, NULL,
     crm_verb_contract_invoices, 0},
    {"lines", "INVOICE", "List an invoice's lines", NULL, NULL,
     crm_verb_contract_lines, 0},
    {"credit", "INVOICE",
     "Issue a credit note reversing an invoice in whole or in part",
     crm_contract_credit_options, crm_contract_opts_parse,
     crm_verb_contract_credit, CRM_VERB_WRITE},
    {"pay", NULL, "Record a payment received, and allocate it",
     crm_contract_pay_options, crm_contract_opts_parse, crm_verb_contract_pay,
     CRM_VERB_WRITE},
    {"payments", "[ACCOUNT]", "List payments with what is unallocated", NULL,
     NULL, crm_verb_contract_payments, 0},
    {"allocate", "PAYMENT|CREDIT_NOTE INVOICE",
     "Settle an invoice from a payment or a credit note",
     crm_contract_allocate_options, crm_contract_opts_parse,
     crm_verb_contract_allocate, CRM_VERB_WRITE},
    {"apply-credit", "INVOICE", "Settle an invoice from the account's credit",
     NULL, NULL, crm_verb_contract_apply_credit, CRM_VERB_WRITE},
    {"unallocate", "ALLOCATION",
     "Undo an allocation (kept, marked with who, when and why)",
     crm_contract_unallocate_options, crm_contract_opts_parse,
     crm_verb_contract_unallocate, CRM_VERB_WRITE},
    {"allocations", "[ACCOUNT]", "List allocations, undone ones too", NULL,
     NULL, crm_verb_contract_allocations, 0},
    {"balances", "[ACCOUNT]",
     "The accounts' credit: unallocated payments and credit notes", NULL, NULL,
     crm_verb_contract_balances, 0},
    {"reconcile", "STATEMENT",
     "Match a bank statement (camt.053 or CSV) to open invoices; --apply "
     "records the matches",
     crm_contract_reconcile_options, crm_contract_opts_parse,
     crm_verb_contract_reconcile, CRM_VERB_READS},
    {"aging", NULL, "Open receivables by days late, per account or owner",
     crm_contract_aging_options, crm_contract_opts_parse,
     crm_verb_contract_aging, 0},
    {"dso", NULL, "Days sales outstanding per currency",
     crm_contract_dso_options, crm_contract_opts_parse, crm_verb_contract_dso,
     0},
    {"months", NULL,
     "Billed, credited, collected and open per month and currency", NULL, NULL,
     crm_verb_contract_months, 0},
    {"journal", NULL,
     "Double-entry journal lines for accounting, complete or from a cursor",
     crm_contract_journal_options, crm_contract_opts_parse,
     crm_verb_contract_journal, 0},
};

static const struct crm_command command = {
    "crm-contract",
    "Contracts to cash: milestones, invoices, payments, reconciliation.",
    verbs,
    sizeof(verbs) / sizeof(verbs[0]),
    &crm_contract_entity,
};

int main(int argc, char **argv)
{
	struct crm_contract_opts opts = {0};
	int status = crm_cli_main(&command, &opts, argc, argv);

	crm_contract_opts_release(&opts);
	return status;
}
