/* cli_contract.h - crm-contract's own verbs: milestones, schedules,
 * invoices, credit notes, payments, allocations, reconcile, reports and
 * the journal export. add, import, list, show, update, export and undo
 * of contracts are the entity engine's. */
#ifndef CRM_CLI_CONTRACT_H
#define CRM_CLI_CONTRACT_H

#include "cli.h"

/* e comes first: the generic verbs take cli->opts as a struct
 * crm_entity_opts. */
struct crm_contract_opts {
	struct crm_entity_opts e;
	const char *kind, *name, *due, *owner, *amount, *date, *evidence;
	const char *series, *tax, *account, *currency, *payer, *method, *ref;
	const char *reason, *milestone, *schedule, *note, *by, *as_of;
	const char *cursor, *statement, *entry, *start, *net_days, *taxes;
	struct crm_strv lines, invoices, columns;
	int64_t days, max_bytes;
	bool all, apply, days_set;
};

extern const struct argp_option crm_contract_milestone_options[];
extern const struct argp_option crm_contract_done_options[];
extern const struct argp_option crm_contract_due_options[];
extern const struct argp_option crm_contract_schedule_options[];
extern const struct argp_option crm_contract_invoice_options[];
extern const struct argp_option crm_contract_credit_options[];
extern const struct argp_option crm_contract_pay_options[];
extern const struct argp_option crm_contract_allocate_options[];
extern const struct argp_option crm_contract_unallocate_options[];
extern const struct argp_option crm_contract_reconcile_options[];
extern const struct argp_option crm_contract_aging_options[];
extern const struct argp_option crm_contract_dso_options[];
extern const struct argp_option crm_contract_journal_options[];
extern const struct argp_option crm_contract_from_quote_options[];
error_t crm_contract_opts_parse(int key, char *arg, struct argp_state *state);
void crm_contract_opts_release(struct crm_contract_opts *o);

int crm_verb_contract_milestone(struct crm_cli *cli);
int crm_verb_contract_milestones(struct crm_cli *cli);
int crm_verb_contract_import_milestones(struct crm_cli *cli);
int crm_verb_contract_done(struct crm_cli *cli);
int crm_verb_contract_due(struct crm_cli *cli);
int crm_verb_contract_schedule(struct crm_cli *cli);
int crm_verb_contract_schedules(struct crm_cli *cli);
int crm_verb_contract_invoice(struct crm_cli *cli);
int crm_verb_contract_invoices(struct crm_cli *cli);
int crm_verb_contract_lines(struct crm_cli *cli);
int crm_verb_contract_credit(struct crm_cli *cli);
int crm_verb_contract_pay(struct crm_cli *cli);
int crm_verb_contract_payments(struct crm_cli *cli);
int crm_verb_contract_allocate(struct crm_cli *cli);
int crm_verb_contract_apply_credit(struct crm_cli *cli);
int crm_verb_contract_unallocate(struct crm_cli *cli);
int crm_verb_contract_allocations(struct crm_cli *cli);
int crm_verb_contract_balances(struct crm_cli *cli);
int crm_verb_contract_reconcile(struct crm_cli *cli);
int crm_verb_contract_aging(struct crm_cli *cli);
int crm_verb_contract_dso(struct crm_cli *cli);
int crm_verb_contract_months(struct crm_cli *cli);
int crm_verb_contract_journal(struct crm_cli *cli);
int crm_verb_contract_from_quote(struct crm_cli *cli);

#endif
