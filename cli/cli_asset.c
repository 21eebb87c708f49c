/* cli_asset.c - crm-asset's own verbs. */
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "cli_asset.h"

int crm_verb_asset_from_deals(struct crm_cli *cli)
{
	uint64_t made;

	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "from-deals takes no arguments");
		return crm_cli_fail(cli);
	}
	if (crm_asset_from_deals(cli->db, cli->dry_run, &made, &cli->err) < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "%s%llu asset%s made from won deals",
		     cli->dry_run ? "dry run: " : "", (unsigned long long)made,
		     made == 1 ? "" : "s");
	return 0;
}

int crm_verb_asset_link(struct crm_cli *cli)
{
	char *end;
	long long t;

	if (cli->args.n != 2) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "link takes an asset (id, serial or external id) "
			    "and a ticket id");
		return crm_cli_fail(cli);
	}
	t = strtoll(cli->args.v[1], &end, 10);
	if (*end || t <= 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "link: expected a ticket id, got '%s'",
			    cli->args.v[1]);
		return crm_cli_fail(cli);
	}
	if (crm_asset_link(cli->db, t, cli->args.v[0], cli->dry_run,
			   &cli->err) < 0)
		return crm_cli_fail(cli);
	crm_cli_note(cli, "%sticket %lld names asset '%s'",
		     cli->dry_run ? "dry run: " : "", t, cli->args.v[0]);
	return 0;
}
