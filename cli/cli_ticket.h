/* cli_ticket.h - crm-ticket's verbs: open, show (with the thread), assign,
 * reply, note, pending, hold, solve, close, reopen, sla; and the generic
 * verbs that write, with --policies. */
#ifndef CRM_CLI_TICKET_H
#define CRM_CLI_TICKET_H

#include "cli.h"

/* The options of crm-ticket's verbs; the generic verbs see the first
 * member. */
struct crm_ticket_opts {
	struct crm_entity_opts e;
	const char *policies, *body, *author, *to, *team, *at, *warn;
	bool customer, autoassign, breached, escalate;
	/* mail, reply --send */
	const char *max_attachment, *loop_limit, *from, *sendmail, *signature,
	    *macro, *macros;
	bool send, no_dedupe;
	const char *model;     /* assign --auto --model: route by content */
	bool stored_model;     /* assign --auto --stored-model: the same with
				  the route model kept in the database */
	double min_confidence; /* assign --min-confidence, 0-100 */
	/* attachment: -o FILE, -O (the sender's file name), --force */
	const char *output;
	bool remote_name, force;
};

/* Fill the option tables below (the generic ones plus --policies); call
 * once before crm_cli_main. */
void crm_ticket_cli_init(void);
extern struct argp_option crm_ticket_add_options[];
extern struct argp_option crm_ticket_import_options[];
extern struct argp_option crm_ticket_update_options[];
extern const struct argp_option crm_ticket_open_options[];
extern const struct argp_option crm_ticket_policies_options[];
extern const struct argp_option crm_ticket_reply_options[];
extern const struct argp_option crm_ticket_note_options[];
extern const struct argp_option crm_ticket_assign_options[];
extern const struct argp_option crm_ticket_sla_options[];
extern const struct argp_option crm_ticket_mail_options[];
extern const struct argp_option crm_ticket_attachment_options[];
error_t crm_ticket_opts_parse(int key, char *arg, struct argp_state *state);

int crm_verb_ticket_add(struct crm_cli *cli);
int crm_verb_ticket_import(struct crm_cli *cli);
int crm_verb_ticket_update(struct crm_cli *cli);
int crm_verb_ticket_tag(struct crm_cli *cli);
int crm_verb_ticket_show(struct crm_cli *cli);
int crm_verb_ticket_reply(struct crm_cli *cli);
int crm_verb_ticket_note(struct crm_cli *cli);
int crm_verb_ticket_assign(struct crm_cli *cli);
int crm_verb_ticket_pending(struct crm_cli *cli);
int crm_verb_ticket_hold(struct crm_cli *cli);
int crm_verb_ticket_solve(struct crm_cli *cli);
int crm_verb_ticket_close(struct crm_cli *cli);
int crm_verb_ticket_reopen(struct crm_cli *cli);
int crm_verb_ticket_sla(struct crm_cli *cli);
int crm_verb_ticket_mail(struct crm_cli *cli);
int crm_verb_ticket_attachment(struct crm_cli *cli);

#endif
