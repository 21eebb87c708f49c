/* cli_card.h - a record shown to a person: a card (one line a field, the
 * names aligned), and show's output of a view, a card on a terminal or one
 * JSON object. */
#ifndef CRM_CLI_CARD_H
#define CRM_CLI_CARD_H

#include <jansson.h>

#include "cli.h"

/* The fields of rec with a value as a card, appended to b: the name padded
 * to the longest name in rec, two spaces, the value. */
void crm_card_rec(struct crm_buf *b, const struct crm_rec *rec);
/* The members of object o as a card, as crm_card_rec: strings as they are,
 * other values as JSON, nulls left out. */
void crm_card_json(struct crm_buf *b, json_t *o);
/* Print view: on a terminal (table format) as card draws it, else as one
 * line of compact JSON. Returns 0, or a write error's status
 * (crm_cli_fail). */
int crm_card_print_view(struct crm_cli *cli, json_t *view,
			void (*card)(struct crm_buf *b, json_t *view));

#endif
