/* cli_approval.h - crm-flow's approval verbs: request, approve, reject,
 * approvals, show. cmd/crm-flow.c lists them with CRM_APPROVAL_VERBS; their
 * options live here (cli->opts is the flow engine's). */
#ifndef CRM_CLI_APPROVAL_H
#define CRM_CLI_APPROVAL_H

#include "cli.h"

extern const struct argp_option crm_approval_request_options[];
extern const struct argp_option crm_approval_approve_options[];
extern const struct argp_option crm_approval_reject_options[];
extern const struct argp_option crm_approval_list_options[];
error_t crm_approval_opts_parse(int key, char *arg, struct argp_state *state);

/* request ENTITY KEY --process FILE: start an approval by hand. */
int crm_verb_approval_request(struct crm_cli *cli);
/* approve ID [--as USER] [--comment TEXT]. */
int crm_verb_approval_approve(struct crm_cli *cli);
/* reject ID --reason TEXT [--as USER]. */
int crm_verb_approval_reject(struct crm_cli *cli);
/* approvals [--pending] [--for USER] [--entity E --record ID]. */
int crm_verb_approval_list(struct crm_cli *cli);
/* show ID: the approval's history of events and decisions. */
int crm_verb_approval_show(struct crm_cli *cli);

/* --approvers FILE (or $CRM_APPROVERS), for a verb of the flow engine that
 * may start or move approvals (run): its option entry and parser key. */
#define CRM_APPROVAL_OPT_APPROVERS 0x7a01
#define CRM_APPROVAL_APPROVERS_OPTION                                          \
	{                                                                      \
		"approvers", CRM_APPROVAL_OPT_APPROVERS, "FILE", 0,            \
		    "Users, roles and managers (default: $CRM_APPROVERS, "     \
		    "else "                                                    \
		    "share/crm/approvers.json)",                               \
		    0                                                          \
	}

/* The verbs' entries of crm-flow's verb table. */
#define CRM_APPROVAL_VERBS                                                     \
	{"request",                                                            \
	 "ENTITY KEY",                                                         \
	 "Start an approval process (--process FILE) on a record by hand",     \
	 crm_approval_request_options,                                         \
	 crm_approval_opts_parse,                                              \
	 crm_verb_approval_request,                                            \
	 CRM_VERB_WRITE},                                                      \
	    {"approve",                                                        \
	     "ID",                                                             \
	     "Approve the current step of approval ID (--as USER)",            \
	     crm_approval_approve_options,                                     \
	     crm_approval_opts_parse,                                          \
	     crm_verb_approval_approve,                                        \
	     CRM_VERB_WRITE},                                                  \
	    {"reject",                                                         \
	     "ID",                                                             \
	     "Reject approval ID (--reason is required)",                      \
	     crm_approval_reject_options,                                      \
	     crm_approval_opts_parse,                                          \
	     crm_verb_approval_reject,                                         \
	     CRM_VERB_WRITE},                                                  \
	    {"approvals",                                                      \
	     NULL,                                                             \
	     "List approvals (--pending, --for USER: those waiting for USER)", \
	     crm_approval_list_options,                                        \
	     crm_approval_opts_parse,                                          \
	     crm_verb_approval_list,                                           \
	     0},                                                               \
	{                                                                      \
		"show", "ID", "Show the history of approval ID", NULL, NULL,   \
		    crm_verb_approval_show, 0                                  \
	}

#endif
