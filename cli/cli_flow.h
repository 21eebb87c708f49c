/* cli_flow.h - crm-flow's verbs: list, check, run, test, log. Other
 * verbs of crm-flow (approve, reject) live in their own cli files and
 * share struct crm_flow_opts and crm_flow_opts_parse. */
#ifndef CRM_CLI_FLOW_H
#define CRM_CLI_FLOW_H

#include "cli.h"
#include "flow.h"

struct crm_flow_opts {
	const char *flows;  /* --flows DIR */
	const char *flow;   /* --flow NAME (run, log) */
	const char *record; /* --record ID (test, log) */
	const char *at;	    /* --at TIME (test) */
	const char *reason; /* --reason TEXT (reject) */
};

/* The keys of crm-flow's options, for verbs defined elsewhere. */
enum {
	CRM_FLOW_OPT_FLOWS = 0x300,
	CRM_FLOW_OPT_FLOW,
	CRM_FLOW_OPT_RECORD,
	CRM_FLOW_OPT_AT,
	CRM_FLOW_OPT_REASON,
	CRM_FLOW_OPT_NEXT = 0x320, /* first key free for other files */
};
#define CRM_FLOW_OPTION_FLOWS                                                  \
	{                                                                      \
		"flows", CRM_FLOW_OPT_FLOWS, "DIR", 0,                         \
		    "Read flows from DIR (default: $CRM_FLOWS, else "          \
		    "share/crm/flows)",                                        \
		    0                                                          \
	}

extern const struct argp_option crm_flow_dir_options[];
extern const struct argp_option crm_flow_run_options[];
extern const struct argp_option crm_flow_test_options[];
extern const struct argp_option crm_flow_log_options[];
error_t crm_flow_opts_parse(int key, char *arg, struct argp_state *state);
void crm_flow_opts_release(struct crm_flow_opts *o);

/* Load the flows (--flows, $CRM_FLOWS or share/crm/flows) into fs; -1
 * with cli->err (78 for a bad flow). */
int crm_cli_flows(struct crm_cli *cli, struct crm_flows *fs);

/* Run argv (argv[0] looked up in PATH) with stdin_text on its standard
 * input, its standard output sent to standard error (stdout carries
 * records only), env ("NAME=value", may be NULL) added to its
 * environment. 0 when it exits 0, else -1 with err naming the program
 * and its status. crm_flow_run_opts.exec. */
int crm_cli_flow_exec(char *const *argv, const char *stdin_text,
		      const char *env, struct crm_err *err);

int crm_verb_flow_list(struct crm_cli *cli);
int crm_verb_flow_check(struct crm_cli *cli);
/* run [--dry-run] [--flow F]: 0 all ran, 1 some actions wait for a
 * retry (or gave up, or a loop was stopped). */
int crm_verb_flow_run(struct crm_cli *cli);
int crm_verb_flow_test(struct crm_cli *cli);
int crm_verb_flow_log(struct crm_cli *cli);

#endif
