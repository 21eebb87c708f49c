/* cli_ticket.c - crm-ticket's verbs. The generic verbs that write (add,
 * import, update, tag) are the entity engine's, with --policies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "cli_card.h"
#include "cli_search.h"
#include "cli_ticket.h"
#include "mail.h"
#include "routemodel.h"
#include "share.h"
#include "textclass.h"
#include "ticket.h"
#include "view.h"

enum {
	OPT_POLICIES = 0x400,
	OPT_BODY,
	OPT_AUTHOR,
	OPT_CUSTOMER,
	OPT_TO,
	OPT_TEAM,
	OPT_AUTO,
	OPT_AT,
	OPT_WARN,
	OPT_BREACHED,
	OPT_ESCALATE,
	OPT_MODEL,
	OPT_STORED_MODEL,
	OPT_MIN_CONFIDENCE,
	/* open: fields */
	OPT_SUBJECT,
	OPT_DESCRIPTION,
	OPT_CONTACT,
	OPT_COMPANY,
	OPT_CHANNEL,
	OPT_PRIORITY,
	OPT_ASSIGNEE,
	OPT_TAGS,
	OPT_EXTERNAL_ID,
	/* mail, reply --send */
	OPT_MAX_ATTACHMENT,
	OPT_LOOP_LIMIT,
	OPT_DEDUPE,
	OPT_SEND,
	OPT_FROM,
	OPT_SENDMAIL,
	OPT_SIGNATURE,
	OPT_MACRO,
	OPT_MACROS,
	/* open --asset; attachment */
	OPT_ASSET,
	OPT_FORCE,
};

#define POLICIES_OPTION                                                        \
	{                                                                      \
		"policies", OPT_POLICIES, "FILE", 0,                           \
		    "SLA policies, calendars and teams (default: "             \
		    "share/crm/sla.json)",                                     \
		    0                                                          \
	}

const struct argp_option crm_ticket_policies_options[] = {POLICIES_OPTION, {0}};
struct argp_option crm_ticket_add_options[16];
struct argp_option crm_ticket_import_options[24];
struct argp_option crm_ticket_update_options[16];

static void cat(struct argp_option *dst, size_t cap,
		const struct argp_option *a)
{
	size_t n = 0;

	while (a[n].name || a[n].key)
		n++;
	if (n + 2 > cap)
		abort(); /* the tables above are sized for the generic ones */
	memcpy(dst, a, n * sizeof(*a));
	dst[n] = crm_ticket_policies_options[0];
	memset(&dst[n + 1], 0, sizeof(*dst));
}

void crm_ticket_cli_init(void)
{
	cat(crm_ticket_add_options, 16, crm_add_options);
	cat(crm_ticket_import_options, 24, crm_import_options);
	cat(crm_ticket_update_options, 16, crm_update_options);
}

const struct argp_option crm_ticket_open_options[] = {
    {"subject", OPT_SUBJECT, "TEXT", 0, "Subject line", 0},
    {"description", OPT_DESCRIPTION, "TEXT", 0, "What the customer asks", 0},
    {"contact", OPT_CONTACT, "KEY", 0,
     "The requester: a contact's id, email or external id", 0},
    {"company", OPT_COMPANY, "KEY", 0,
     "The company: id, name, domain or external id (default: the "
     "contact's)",
     0},
    {"channel", OPT_CHANNEL, "NAME", 0, "email, phone, web, chat or social", 0},
    {"priority", OPT_PRIORITY, "LEVEL", 0,
     "urgent, high, normal (default) or low", 0},
    {"assignee", OPT_ASSIGNEE, "AGENT", 0, "The agent who owns it", 0},
    {"team", OPT_TEAM, "TEAM", 0, "The team it belongs to", 0},
    {"tags", OPT_TAGS, "TAG,...", 0, "Tags", 0},
    {"external-id", OPT_EXTERNAL_ID, "ID", 0, "The caller's key", 0},
    {"asset", OPT_ASSET, "KEY", 0,
     "The asset it is about: an asset's id, serial number or external id", 0},
    {"set", 's', "FIELD=VALUE", 0,
     "Set any field, custom ones included; repeatable", 0},
    POLICIES_OPTION,
    {0},
};

const struct argp_option crm_ticket_attachment_options[] = {
    {"output", 'o', "FILE", 0,
     "Write the attachment to FILE ('-': standard output)", 0},
    {"remote-name", 'O', 0, 0,
     "Write it to the name the sender gave it, in the current folder (a "
     "name with a folder, a leading dot or dash is refused)",
     0},
    {"force", OPT_FORCE, 0, 0, "Replace the file if it exists", 0},
    {0},
};

const struct argp_option crm_ticket_reply_options[] = {
    {"body", OPT_BODY, "TEXT", 0, "The message (required without --macro)", 0},
    {"send", OPT_SEND, 0, 0,
     "Also email it to the ticket's contact through $CRM_SENDMAIL, from "
     "$CRM_MAIL_FROM, threaded and tagged [#ID]",
     0},
    {"macro", OPT_MACRO, "NAME", 0,
     "Start with canned response NAME (its fields filled in; it may set "
     "ticket fields)",
     0},
    {"macros", OPT_MACROS, "FILE", 0,
     "Canned responses (default: share/crm/macros.json)", 0},
    {"signature", OPT_SIGNATURE, "FILE", 0,
     "The agent's signature for --send (default $CRM_SIGNATURE, else "
     "~/.config/crm/signature when it exists)",
     0},
    {"author", OPT_AUTHOR, "NAME", 0, "Who wrote it (default $CRM_USER)", 0},
    {"customer", OPT_CUSTOMER, 0, 0,
     "The customer wrote it (an inbound message: starts the next-reply "
     "clock)",
     0},
    POLICIES_OPTION,
    {0},
};

const struct argp_option crm_ticket_mail_options[] = {
    {"max-attachment", OPT_MAX_ATTACHMENT, "SIZE", 0,
     "Keep attachments up to SIZE bytes (K and M suffixes; default 10M); "
     "larger ones are listed, not kept",
     0},
    {"loop-limit", OPT_LOOP_LIMIT, "N", 0,
     "At most N messages an hour from one sender open or update tickets "
     "(default 20)",
     0},
    {"no-dedupe", OPT_DEDUPE, 0, 0,
     "Match a sender by address only: do not compare a new sender with "
     "the contacts by the dedupe model (which flags a likely duplicate)",
     0},
    {"from", OPT_FROM, "ADDRESS", 0,
     "The support address (default $CRM_MAIL_FROM): mail from it, or "
     "that crm sent, is a loop",
     0},
    POLICIES_OPTION,
    {0},
};

const struct argp_option crm_ticket_note_options[] = {
    {"body", OPT_BODY, "TEXT", 0, "The note (required)", 0},
    {"author", OPT_AUTHOR, "NAME", 0, "Who wrote it (default $CRM_USER)", 0},
    POLICIES_OPTION,
    {0},
};

const struct argp_option crm_ticket_assign_options[] = {
    {"to", OPT_TO, "AGENT", 0, "Assign to this agent ('' unassigns)", 0},
    {"team", OPT_TEAM, "TEAM", 0,
     "Move to this team (with --auto: pick its agent)", 0},
    {"auto", OPT_AUTO, 0, 0,
     "Pick the agent by the team's rule (round_robin or fewest_open) "
     "under its cap",
     0},
    {"model", OPT_MODEL, "FILE", 0,
     "With --auto: route each ticket by its text first, with this model "
     "(crm-score train --text): set the field it predicts (team, "
     "priority ...) and print why",
     0},
    {"stored-model", OPT_STORED_MODEL, 0, 0,
     "With --auto: the same as --model, with the routing model stored in "
     "the database (crm-score train --text without --model)",
     0},
    {"min-confidence", OPT_MIN_CONFIDENCE, "PCT", 0,
     "With --model: route only predictions at least this confident "
     "(0-100, default 0)",
     0},
    POLICIES_OPTION,
    {0},
};

const struct argp_option crm_ticket_sla_options[] = {
    {"at", OPT_AT, "TIME", 0, "Check at this time (default: now)", 0},
    {"warn", OPT_WARN, "DURATION", 0,
     "Also list targets due within DURATION (default 30m; 0: none)", 0},
    {"breached", OPT_BREACHED, 0, 0, "Only breached targets", 0},
    {"escalate", OPT_ESCALATE, 0, 0,
     "Apply the escalation levels that are due, once each", 0},
    POLICIES_OPTION,
    {0},
};

error_t crm_ticket_opts_parse(int key, char *arg, struct argp_state *state)
{
	static const struct {
		int key;
		const char *field;
	} map[] = {
	    {OPT_SUBJECT, "subject"},	      {OPT_DESCRIPTION, "description"},
	    {OPT_CONTACT, "contact"},	      {OPT_COMPANY, "company"},
	    {OPT_CHANNEL, "channel"},	      {OPT_PRIORITY, "priority"},
	    {OPT_ASSIGNEE, "assignee"},	      {OPT_TAGS, "tags"},
	    {OPT_EXTERNAL_ID, "external_id"},
	};
	struct crm_cli *cli = state->input;
	struct crm_ticket_opts *o = cli->opts;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].key == key) {
			char *kv = crm_xasprintf("%s=%s", map[i].field, arg);
			crm_strv_push(&o->e.set, kv);
			free(kv);
			return 0;
		}
	switch (key) {
	case OPT_POLICIES:
		o->policies = arg;
		break;
	case OPT_BODY:
		o->body = arg;
		break;
	case OPT_AUTHOR:
		o->author = arg;
		break;
	case OPT_CUSTOMER:
		o->customer = true;
		break;
	case OPT_TO:
		o->to = arg;
		break;
	case OPT_TEAM:
		if (!strcmp(cli->verb->name, "open")) {
			char *kv = crm_xasprintf("team=%s", arg);
			crm_strv_push(&o->e.set, kv);
			free(kv);
		}
		o->team = arg;
		break;
	case OPT_AUTO:
		o->autoassign = true;
		break;
	case OPT_MODEL:
		o->model = arg;
		break;
	case OPT_STORED_MODEL:
		o->stored_model = true;
		break;
	case OPT_MIN_CONFIDENCE: {
		char *end;

		errno = 0;
		o->min_confidence = strtod(arg, &end);
		if (!*arg || *end || errno || o->min_confidence < 0 ||
		    o->min_confidence > 100)
			argp_error(state,
				   "--min-confidence: expected 0 to 100, got "
				   "'%s'",
				   arg);
		break;
	}
	case OPT_AT:
		o->at = arg;
		break;
	case OPT_WARN:
		o->warn = arg;
		break;
	case OPT_BREACHED:
		o->breached = true;
		break;
	case OPT_ESCALATE:
		o->escalate = true;
		break;
	case OPT_MAX_ATTACHMENT:
		o->max_attachment = arg;
		break;
	case OPT_LOOP_LIMIT:
		o->loop_limit = arg;
		break;
	case OPT_DEDUPE:
		o->no_dedupe = true;
		break;
	case OPT_SEND:
		o->send = true;
		break;
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_SENDMAIL:
		o->sendmail = arg;
		break;
	case OPT_SIGNATURE:
		o->signature = arg;
		break;
	case OPT_MACRO:
		o->macro = arg;
		break;
	case OPT_MACROS:
		o->macros = arg;
		break;
	case OPT_ASSET: {
		char *kv = crm_xasprintf("asset=%s", arg);
		crm_strv_push(&o->e.set, kv);
		free(kv);
		break;
	}
	case 'o':
		o->output = arg;
		break;
	case 'O':
		o->remote_name = true;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	default:
		return crm_entity_opts_parse(key, arg, state);
	}
	return 0;
}

/* Load the policies first, so a bad file is reported as itself. */
static int policies(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;

	crm_ticket_use_policies(o->policies);
	return crm_ticket_policies(&cli->err) ? 0 : -1;
}

#define WITH_POLICIES(name, generic)                                           \
	int name(struct crm_cli *cli)                                          \
	{                                                                      \
		if (policies(cli) < 0)                                         \
			return crm_cli_fail(cli);                              \
		return generic(cli);                                           \
	}
WITH_POLICIES(crm_verb_ticket_add, crm_verb_add)
WITH_POLICIES(crm_verb_ticket_import, crm_verb_import)
WITH_POLICIES(crm_verb_ticket_update, crm_verb_update)
WITH_POLICIES(crm_verb_ticket_tag, crm_verb_tag)

/* -- show ---------------------------------------------------------------- */

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The customer context: who asks, what they bought and own, what else
 * they asked. */
static void context_card(struct crm_buf *b, json_t *view)
{
	json_t *r = json_object_get(view, "requester"),
	       *c = json_object_get(view, "company"), *v;
	size_t i;

	if (json_is_object(r) || json_is_object(c))
		crm_buf_adds(b, "\ncustomer:\n");
	if (json_is_object(r))
		crm_buf_addf(b, "  %s %s <%s>%s%s\n", str(r, "first_name"),
			     str(r, "last_name"), str(r, "email"),
			     *str(r, "phone") ? "  " : "", str(r, "phone"));
	if (json_is_object(c))
		crm_buf_addf(b, "  %s%s%s\n", str(c, "name"),
			     *str(c, "domain") ? "  " : "", str(c, "domain"));
	if (json_array_size(json_object_get(view, "purchases")))
		crm_buf_adds(b, "\npurchases:\n");
	json_array_foreach(json_object_get(view, "purchases"), i, v)
	    crm_buf_addf(b, "  %s  %s %s  %s\n", str(v, "closed_at"),
			 str(v, "amount"), str(v, "currency"), str(v, "name"));
	if (json_array_size(json_object_get(view, "assets")))
		crm_buf_adds(b, "\nassets:\n");
	json_array_foreach(json_object_get(view, "assets"), i, v)
	{
		json_t *a = json_object_get(view, "asset");
		bool this = json_is_object(a) &&
			    json_integer_value(json_object_get(a, "id")) ==
				json_integer_value(json_object_get(v, "id"));

		crm_buf_addf(
		    b, "%s %s  %s  warranty %s%s%s\n", this ? " *" : "  ",
		    *str(v, "serial") ? str(v, "serial") : "-",
		    str(v, "product"),
		    *str(v, "warranty") ? str(v, "warranty") : "unknown",
		    *str(v, "warranty_end") ? " to " : "",
		    str(v, "warranty_end"));
	}
	if (json_array_size(json_object_get(view, "tickets")))
		crm_buf_adds(b, "\nother tickets:\n");
	json_array_foreach(json_object_get(view, "tickets"), i, v) crm_buf_addf(
	    b, "  #%lld  %-8s %s  %s\n",
	    (long long)json_integer_value(json_object_get(v, "id")),
	    str(v, "status"), str(v, "created_at"), str(v, "subject"));
	if (json_array_size(json_object_get(view, "articles")))
		crm_buf_adds(b, "\nsuggested articles:\n");
	json_array_foreach(json_object_get(view, "articles"), i, v)
	    crm_buf_addf(
		b, "  #%lld  %s\n",
		(long long)json_integer_value(json_object_get(v, "id")),
		str(v, "title"));
	if (json_array_size(json_object_get(view, "attachments")))
		crm_buf_adds(b, "\nattachments:\n");
	json_array_foreach(json_object_get(view, "attachments"), i, v)
	    crm_buf_addf(
		b, "  %s  %s  %lld bytes%s\n", str(v, "filename"),
		str(v, "content_type"),
		(long long)json_integer_value(json_object_get(v, "size")),
		json_is_true(json_object_get(v, "kept"))
		    ? ""
		    : "  (over the limit: not kept)");
}

static void card(struct crm_buf *b, json_t *view)
{
	json_t *v;
	size_t i;

	crm_card_json(b, json_object_get(view, "ticket"));
	context_card(b, view);
	if (json_array_size(json_object_get(view, "thread")))
		crm_buf_adds(b, "\nthread:\n");
	json_array_foreach(json_object_get(view, "thread"), i, v)
	{
		static const char *const f[] = {
		    "occurred_at", "type", "direction", "owner",
		    "subject",	   "body", NULL};
		crm_buf_adds(b, " ");
		for (int j = 0; f[j]; j++) {
			json_t *x = json_object_get(v, f[j]);
			if (json_is_string(x))
				crm_buf_addf(b, " %s", json_string_value(x));
		}
		crm_buf_addc(b, '\n');
	}
	if (json_array_size(json_object_get(view, "history")))
		crm_buf_adds(b, "\nhistory:\n");
	json_array_foreach(json_object_get(view, "history"), i, v)
	{
		json_t *from = json_object_get(v, "from");
		json_t *actor = json_object_get(v, "actor");

		crm_buf_addf(
		    b, "  %s  %s -> %s%s%s\n",
		    json_string_value(json_object_get(v, "at")),
		    json_is_string(from) ? json_string_value(from) : "(none)",
		    json_string_value(json_object_get(v, "to")),
		    json_is_string(actor) ? "  " : "",
		    json_is_string(actor) ? json_string_value(actor) : "");
	}
}

int crm_verb_ticket_show(struct crm_cli *cli)
{
	const struct crm_entity *e = cli->cmd->entity;
	enum crm_fmt f = crm_cli_format(cli);
	struct crm_row row;
	struct crm_rec rec;
	json_t *view = NULL, *thread = NULL, *hist = NULL, *ctx = NULL;
	int rc, status = 0;

	if (cli->fields || cli->ids || f == CRM_FMT_CSV || f == CRM_FMT_TSV)
		return crm_verb_show(cli);
	if (cli->args.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "show takes one ticket (id or external id)");
		return crm_cli_fail(cli);
	}
	crm_row_init(&row, e);
	crm_rec_init(&rec);
	rc = crm_cli_show_find(cli, e, cli->args.v[0], &row);
	if (rc > 0) {
		thread =
		    crm_ticket_thread(cli->db, crm_row_id(&row), &cli->err);
		hist = thread ? crm_ticket_history(cli->db, crm_row_id(&row),
						   &cli->err)
			      : NULL;
		ctx = hist ? crm_ticket_context(cli->db, crm_row_id(&row),
						&cli->err)
			   : NULL;
	}
	if (!ctx) {
		json_decref(thread);
		json_decref(hist);
		status = crm_cli_fail(cli);
		goto out;
	}
	crm_row_to_rec(&row, NULL, NULL, &rec);
	view = json_object();
	json_object_set_new(view, "ticket", crm_rec_to_json(&rec));
	json_object_set_new(view, "thread", thread);
	json_object_set_new(view, "history", hist);
	json_object_update(view, ctx);
	json_decref(ctx);
	status = crm_card_print_view(cli, view, card);
out:
	json_decref(view);
	crm_rec_release(&rec);
	crm_row_release(&row);
	return status;
}

/* -- reply, note, status changes, assign ---------------------------------- */

struct idlist {
	int64_t *v;
	size_t n, cap;
};

static int collect(const struct crm_row *row, void *arg)
{
	struct idlist *l = arg;

	l->v = crm_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = crm_row_id(row);
	return 0;
}

/* The tickets selected by ids, --stdin and --where. With require false
 * and nothing given, every ticket where's conditions select. */
static int select_ids(struct crm_cli *cli, bool require, struct idlist *l)
{
	struct crm_query q;
	int64_t *ids = NULL;
	int rc = -1;

	if (crm_cli_query(cli, cli->cmd->entity, require, &q, &ids) < 0)
		goto out;
	if (q.nids && !cli->where.n) {
		l->v = ids;
		l->n = q.nids;
		return 0;
	}
	rc = crm_entity_each(cli->db, cli->cmd->entity, &q, collect, l,
			     &cli->err);
out:
	free(ids);
	return rc;
}

static int act(struct crm_cli *cli, struct crm_ticket_action *a,
	       const char *did, bool require)
{
	struct idlist l = {0};
	uint64_t changed, left = 0;
	int status = 0;

	if (policies(cli) < 0 || select_ids(cli, require, &l) < 0 ||
	    crm_ticket_act(cli->db, l.v, l.n, a, cli->dry_run, &changed, &left,
			   &cli->err) < 0) {
		status = crm_cli_fail(cli);
		goto out;
	}
	if (cli->dry_run)
		crm_cli_note(cli, "dry run: would have %s %llu ticket%s", did,
			     (unsigned long long)changed,
			     changed == 1 ? "" : "s");
	else if (changed && cli->db->last_change)
		crm_cli_note(
		    cli,
		    "%s %llu ticket%s (change %lld; 'crm-ticket undo "
		    "%lld' reverts the ticket%s)",
		    did, (unsigned long long)changed, changed == 1 ? "" : "s",
		    (long long)cli->db->last_change,
		    (long long)cli->db->last_change, changed == 1 ? "" : "s");
	else
		crm_cli_note(cli, "%s %llu ticket%s", did,
			     (unsigned long long)changed,
			     changed == 1 ? "" : "s");
	if (left)
		crm_cli_note(cli,
			     "%llu ticket%s left unassigned: every agent of "
			     "the team is at the cap",
			     (unsigned long long)left, left == 1 ? "" : "s");
out:
	free(l.v);
	return status;
}

static int need_body(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;

	if (o->body && *o->body)
		return 0;
	crm_err_set(&cli->err, CRM_EX_USAGE, "%s needs --body TEXT",
		    cli->verb->name);
	return crm_cli_fail(cli);
}

struct send_ctx {
	struct crm_mail_out_opts o;
	int64_t ticket, activity;
	const char *body;
};

static int send_then(struct crm_db *db, void *arg, struct crm_err *err)
{
	struct send_ctx *sc = arg;

	return crm_mail_send_reply(db, sc->ticket, sc->activity, sc->body,
				   &sc->o, NULL, err);
}

/* The signature file's text, or NULL when there is none. */
static char *signature(struct crm_cli *cli, const char *path, bool must)
{
	struct crm_buf b = {0};
	char tmp[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (must)
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "cannot open '%s': %s", path,
				    strerror(errno));
		return NULL;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0 && b.len < 65536)
		crm_buf_add(&b, tmp, n);
	fclose(f);
	crm_buf_addc(&b, '\0');
	return crm_buf_detach(&b);
}

int crm_verb_ticket_reply(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;
	struct crm_ticket_action a = {.op = CRM_TICKET_REPLY,
				      .body = o->body,
				      .author = o->author,
				      .customer = o->customer};
	struct send_ctx sc = {0};
	struct idlist l = {0};
	struct crm_rec set;
	char *macro_body = NULL, *sig = NULL, *def = NULL, *text = NULL;
	uint64_t changed;
	int status = 0;

	if (!o->macro && need_body(cli))
		return CRM_EX_USAGE;
	if (o->customer && o->author) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--customer and --author: the customer is the "
			    "ticket's contact");
		return crm_cli_fail(cli);
	}
	if (!o->send && !o->macro)
		return act(cli, &a, "replied to", true);
	if (o->customer) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--send and --macro are for agent replies, not "
			    "--customer");
		return crm_cli_fail(cli);
	}
	crm_rec_init(&set);
	if (policies(cli) < 0 || select_ids(cli, true, &l) < 0)
		goto fail;
	if (l.n != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--send and --macro take one ticket");
		goto fail;
	}
	if (o->macro) {
		const char *path = o->macros;
		if (!path)
			path = def = crm_share_path("macros.json");
		if (crm_macro_expand(cli->db, path, o->macro, l.v[0],
				     o->author ? o->author : cli->db->actor,
				     &macro_body, &set, &cli->err) < 0)
			goto fail;
		text = crm_xasprintf("%s%s%s", macro_body,
				     o->body && *macro_body ? "\n" : "",
				     o->body ? o->body : "");
		a.body = text;
		a.set = &set;
	}
	if (o->send) {
		const char *sp =
		    o->signature ? o->signature : getenv("CRM_SIGNATURE");
		char *home = NULL;

		if (!sp) {
			const char *x = getenv("XDG_CONFIG_HOME");
			const char *h = getenv("HOME");
			if (x && *x)
				home = crm_xasprintf("%s/crm/signature", x);
			else if (h)
				home = crm_xasprintf("%s/.config/crm/signature",
						     h);
			sp = home;
		}
		sig = sp ? signature(cli, sp, o->signature != NULL) : NULL;
		free(home);
		if (!sig && o->signature)
			goto fail;
		sc.o.from = getenv("CRM_MAIL_FROM");
		sc.o.sendmail = getenv("CRM_SENDMAIL");
		if (sc.o.sendmail && !*sc.o.sendmail)
			sc.o.sendmail = NULL;
		sc.o.signature = sig;
		sc.ticket = l.v[0];
		sc.body = a.body;
		a.logged = &sc.activity;
		a.then = send_then;
		a.then_arg = &sc;
		if (!sc.o.from || !strchr(sc.o.from, '@')) {
			crm_err_set(&cli->err, CRM_EX_CONFIG,
				    "--send needs CRM_MAIL_FROM (the support "
				    "address, e.g. 'Support "
				    "<support@example.com>')");
			goto fail;
		}
	}
	if (crm_ticket_act(cli->db, l.v, 1, &a, cli->dry_run, &changed, NULL,
			   &cli->err) < 0)
		goto fail;
	crm_cli_note(cli, "%sreplied to ticket %lld%s",
		     cli->dry_run ? "dry run: " : "", (long long)l.v[0],
		     o->send ? (cli->dry_run ? " (mail not sent)" : " by mail")
			     : "");
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	free(l.v);
	free(macro_body);
	free(text);
	free(sig);
	free(def);
	crm_rec_release(&set);
	return status;
}

int crm_verb_ticket_note(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;
	struct crm_ticket_action a = {
	    .op = CRM_TICKET_NOTE, .body = o->body, .author = o->author};

	if (need_body(cli))
		return CRM_EX_USAGE;
	return act(cli, &a, "noted on", true);
}

static int set_status(struct crm_cli *cli, const char *status, const char *did)
{
	struct crm_ticket_action a = {.op = CRM_TICKET_STATUS,
				      .status = status};
	return act(cli, &a, did, true);
}

int crm_verb_ticket_pending(struct crm_cli *cli)
{
	return set_status(cli, "pending", "set pending");
}

int crm_verb_ticket_hold(struct crm_cli *cli)
{
	return set_status(cli, "on_hold", "put on hold");
}

int crm_verb_ticket_solve(struct crm_cli *cli)
{
	return set_status(cli, "solved", "solved");
}

int crm_verb_ticket_close(struct crm_cli *cli)
{
	return set_status(cli, "closed", "closed");
}

int crm_verb_ticket_reopen(struct crm_cli *cli)
{
	return set_status(cli, "open", "reopened");
}

/* Routing by content (assign --auto --model): each ticket's prediction,
 * kept to be printed once the assignment is done. */
struct route_ctx {
	struct crm_textclass *m;
	struct crm_strv fields;
	double min; /* 0-1 */
	struct crm_rec *out;
	size_t n, cap;
};

static int route_one(const struct crm_row *row, struct crm_rec *set, void *arg,
		     struct crm_err *err)
{
	struct route_ctx *rc = arg;
	const char *target = crm_textclass_target(rc->m), *label;
	struct crm_textclass_word w[5];
	struct crm_buf text = {0}, why = {0};
	struct crm_rec *r;
	double conf;
	size_t nw;
	char num[32];

	(void)err;
	for (size_t i = 0; i < rc->fields.n; i++) {
		const char *v = crm_row_get(row, rc->fields.v[i]);

		if (v) {
			crm_buf_adds(&text, v);
			crm_buf_addc(&text, '\n');
		}
	}
	crm_textclass_predict(rc->m, text.s ? text.s : "", &label, &conf, w, 5,
			      &nw);
	for (size_t i = 0; i < nw; i++)
		crm_buf_addf(&why, "%s%s (%+.3f)", i ? "; " : "", w[i].word,
			     w[i].weight);
	rc->out = crm_xgrow(rc->out, &rc->cap, rc->n + 1, sizeof(*rc->out));
	r = &rc->out[rc->n++];
	crm_rec_init(r);
	snprintf(num, sizeof(num), "%lld", (long long)crm_row_id(row));
	crm_rec_add(r, "id", 2, num, strlen(num), CRM_RAW);
	crm_rec_adds(r, "field", target);
	crm_rec_adds(r, "value", label);
	snprintf(num, sizeof(num), "%.1f", 100 * conf);
	crm_rec_add(r, "confidence", 10, num, strlen(num), CRM_RAW);
	crm_rec_add(r, "routed", 6, conf >= rc->min ? "true" : "false",
		    conf >= rc->min ? 4 : 5, CRM_RAW);
	crm_rec_adds(r, "words", why.s ? why.s : "");
	if (conf >= rc->min)
		crm_rec_set(set, target, label, CRM_STR);
	crm_buf_release(&text);
	crm_buf_release(&why);
	return 0;
}

static int print_routes(struct crm_cli *cli, struct route_ctx *rc)
{
	static const char *const names[] = {"id",	  "field",  "value",
					    "confidence", "routed", "words"};
	struct crm_strv cols = {0};
	struct crm_writer *w;
	int status = 0;

	for (size_t i = 0; i < 6; i++)
		crm_strv_push(&cols, names[i]);
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; i < rc->n; i++)
		crm_writer_write(w, &rc->out[i]);
	if (crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno ? errno : EIO));
		status = crm_cli_fail(cli);
	}
	crm_writer_free(w);
	crm_strv_release(&cols);
	return status;
}

int crm_verb_ticket_assign(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;
	struct crm_ticket_action a = {.op = CRM_TICKET_ASSIGN,
				      .assignee = o->to,
				      .team = o->team,
				      .autoassign = o->autoassign};
	struct route_ctx rc = {0};
	bool all = false;
	int status;

	if (!!o->to + o->autoassign != 1) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "assign needs --to AGENT or --auto (one of them)");
		return crm_cli_fail(cli);
	}
	if ((o->model || o->stored_model) && !o->autoassign) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "--%s needs --auto",
			    o->model ? "model" : "stored-model");
		return crm_cli_fail(cli);
	}
	if (o->model && o->stored_model) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--model or --stored-model (one of them)");
		return crm_cli_fail(cli);
	}
	if (o->stored_model) {
		int64_t id;
		int s = crm_route_active(cli->db, &rc.m, &id, &cli->err);

		if (s == 0)
			crm_err_set(&cli->err, CRM_EX_NOINPUT,
				    "no route model stored: run crm-score "
				    "train --text on the solved tickets first");
		if (s <= 0)
			return crm_cli_fail(cli);
	}
	if (o->model || o->stored_model) {
		if (o->model &&
		    !(rc.m = crm_textclass_load(o->model, &cli->err)))
			return crm_cli_fail(cli);
		crm_strv_split(&rc.fields, crm_textclass_fields(rc.m), ',');
		rc.min = o->min_confidence / 100;
		a.route = route_one;
		a.route_arg = &rc;
	}
	/* --auto alone: every unassigned ticket still being worked on */
	if (o->autoassign && !cli->args.n && !cli->from_stdin) {
		all = true;
		crm_strv_push(&cli->where, "assignee=");
		crm_strv_push(&cli->where, "status!=solved");
		crm_strv_push(&cli->where, "status!=closed");
		if (o->team && !cli->where.n) {
			char *w = crm_xasprintf("team=%s", o->team);
			crm_strv_push(&cli->where, w);
			free(w);
		}
	}
	status = act(cli, &a, "assigned", !all);
	if (!status && rc.m)
		status = print_routes(cli, &rc);
	for (size_t i = 0; i < rc.n; i++)
		crm_rec_release(&rc.out[i]);
	free(rc.out);
	crm_strv_release(&rc.fields);
	crm_textclass_free(rc.m);
	return status;
}

/* -- sla ------------------------------------------------------------------ */

/* "1d2h", "1h30m", "45m", "20s", "0s". */
static void span(int64_t s, char *buf, size_t n)
{
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60,
		x = s % 60;
	size_t k = 0;

	buf[0] = '\0';
	if (d)
		k += (size_t)snprintf(buf + k, n - k, "%lldd", (long long)d);
	if (h && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%lldh", (long long)h);
	if (m && k < n)
		k += (size_t)snprintf(buf + k, n - k, "%lldm", (long long)m);
	if ((x || !s) && k < n)
		snprintf(buf + k, n - k, "%llds", (long long)x);
}

struct sla_ctx {
	struct crm_cli *cli;
	struct crm_writer *w;
	struct crm_rec rec;
	struct crm_strv copy; /* the ticket's fields a line repeats */
	long *idx;	      /* their positions (crm_entity_colmap) */
	bool breached_only;
};

static int sla_one(const struct crm_sla_hit *h, void *arg)
{
	struct sla_ctx *sc = arg;
	char due[CRM_TIME_LEN], d[64];

	if (sc->breached_only && !h->breached)
		return 0;
	if (sc->cli->ids)
		return printf("%lld\n", (long long)crm_row_id(h->row)) < 0 ? -1
									   : 0;
	/* only the fields a line shows: converting the whole row per hit
	 * was most of the scan's time */
	crm_row_to_rec(h->row, &sc->copy, sc->idx, &sc->rec);
	span(h->delta, d, sizeof(d));
	crm_rec_adds(&sc->rec, "target", crm_sla_kind_names[h->kind]);
	crm_rec_adds(&sc->rec, "due_at", crm_datetime_format(h->due, due));
	crm_rec_adds(&sc->rec, "state", h->breached ? "breached" : "at_risk");
	crm_rec_adds(&sc->rec, "past", h->breached ? d : NULL);
	crm_rec_adds(&sc->rec, "left", h->breached ? NULL : d);
	return crm_writer_write(sc->w, &sc->rec);
}

int crm_verb_ticket_sla(struct crm_cli *cli)
{
	static const char *const cols[] = {
	    "id",	  "subject", "status", "priority", "assignee", "team",
	    "sla_policy", "target",  "due_at", "state",	   "past",     "left"};
	struct crm_ticket_opts *o = cli->opts;
	struct sla_ctx sc = {.cli = cli, .breached_only = o->breached};
	struct crm_strv cv = {0};
	struct crm_query q;
	int64_t *ids = NULL, warn = 30 * 60;
	crm_time at = cli->db->now;
	uint64_t breached = 0, escalated = 0;
	int status = 0;

	crm_rec_init(&sc.rec);
	if (o->at && crm_datetime_parse(o->at, &at, &cli->err) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "--at: %s", cli->err.msg);
		goto fail;
	}
	if (o->warn && crm_parse_duration(o->warn, &warn) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--warn: expected a duration such as 30m, got '%s'",
			    o->warn);
		goto fail;
	}
	if (cli->fields || cli->sort) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "sla has fixed columns: no --fields or --sort");
		goto fail;
	}
	if (policies(cli) < 0 ||
	    crm_cli_query(cli, cli->cmd->entity, false, &q, &ids) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		crm_strv_push(&cv, cols[i]);
	for (size_t i = 0; i < 7; i++) /* id .. sla_policy */
		crm_strv_push(&sc.copy, cols[i]);
	sc.idx = crm_entity_colmap(cli->cmd->entity, &sc.copy);
	if (!cli->ids)
		sc.w = crm_cli_writer(cli, &cv);
	if (crm_ticket_sla(cli->db, &q, at, warn, o->escalate, cli->dry_run,
			   sla_one, &sc, &breached, &escalated,
			   &cli->err) < 0) {
		if (!cli->err.code)
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
		goto fail;
	}
	if (sc.w && crm_writer_close(sc.w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	if (o->escalate)
		crm_cli_note(cli, "%s%llu escalation%s applied",
			     cli->dry_run ? "dry run: " : "",
			     (unsigned long long)escalated,
			     escalated == 1 ? "" : "s");
	status = breached ? CRM_EX_FOUND : 0;
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_writer_free(sc.w);
	crm_rec_release(&sc.rec);
	crm_strv_release(&sc.copy);
	free(sc.idx);
	crm_strv_release(&cv);
	free(ids);
	return status;
}

/* -- mail ------------------------------------------------------------------ */

#define MAX_MESSAGE ((size_t)100 << 20)

/* "10M", "512K", "1000" -> bytes; -1 when bad. */
static long long parse_size(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		v *= 1024 * 1024 * 1024, end++;
	return *end ? -1 : v;
}

static int read_message(struct crm_cli *cli, struct crm_buf *b)
{
	char tmp[65536];
	size_t n;

	while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0) {
		if (b->len + n > MAX_MESSAGE)
			return crm_err_set(&cli->err, CRM_EX_DATAERR,
					   "message over %zu bytes",
					   MAX_MESSAGE);
		crm_buf_add(b, tmp, n);
	}
	if (ferror(stdin))
		return crm_err_set(&cli->err, CRM_EX_TEMPFAIL,
				   "cannot read the message: %s",
				   strerror(errno));
	if (!b->len)
		return crm_err_set(&cli->err, CRM_EX_DATAERR,
				   "no message on stdin");
	return 0;
}

/* An MTA retries on 75 and bounces on 65: anything that is not the
 * message's fault is worth a retry. */
static int mail_fail(struct crm_cli *cli)
{
	int code = cli->err.code;

	if (code != CRM_EX_DATAERR && code != CRM_EX_USAGE)
		cli->err.code = CRM_EX_TEMPFAIL;
	crm_cli_fail(cli);
	return code == CRM_EX_USAGE ? CRM_EX_USAGE : cli->err.code;
}

int crm_verb_ticket_mail(struct crm_cli *cli)
{
	static const char *const cols[] = {"ticket_id",	  "contact_id",
					   "action",	  "reason",
					   "attachments", "dropped"};
	struct crm_ticket_opts *o = cli->opts;
	struct crm_mail_in_opts mo = {.model = !o->no_dedupe,
				      .dry_run = cli->dry_run};
	struct crm_mail_in_result r;
	struct crm_buf msg = {0};
	struct crm_mail m = {0};
	struct crm_strv cv = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	long long max = 10 << 20;
	char num[4][32];
	int status = 0;

	crm_rec_init(&rec);
	mo.self = o->from ? o->from : getenv("CRM_MAIL_FROM");
	if (o->max_attachment && (max = parse_size(o->max_attachment)) < 0) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "--max-attachment: expected a size such as 10M, "
			    "got '%s'",
			    o->max_attachment);
		goto fail;
	}
	if (o->loop_limit) {
		long long n = parse_size(o->loop_limit);
		if (n < 1 || n > 1000000) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "--loop-limit: expected a count, got '%s'",
				    o->loop_limit);
			goto fail;
		}
		mo.loop_limit = (int)n;
	}
	if (cli->args.n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "mail reads one message on stdin (no arguments)");
		goto fail;
	}
	if (read_message(cli, &msg) < 0 ||
	    crm_mail_parse(msg.s, msg.len, (size_t)max, &m, &cli->err) < 0 ||
	    policies(cli) < 0 ||
	    crm_mail_deliver(cli->db, &m, &mo, &r, &cli->err) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		crm_strv_push(&cv, cols[i]);
	snprintf(num[0], 32, "%lld", (long long)r.ticket_id);
	snprintf(num[1], 32, "%lld", (long long)r.contact_id);
	snprintf(num[2], 32, "%zu", r.attachments);
	snprintf(num[3], 32, "%zu", r.dropped);
	crm_rec_adds(&rec, "ticket_id", r.ticket_id ? num[0] : NULL);
	crm_rec_adds(&rec, "contact_id", r.contact_id ? num[1] : NULL);
	crm_rec_adds(&rec, "action",
		     r.ignored	? "ignored"
		     : r.opened ? "opened"
				: "replied");
	crm_rec_adds(&rec, "reason", r.ignored);
	crm_rec_adds(&rec, "attachments", num[2]);
	crm_rec_adds(&rec, "dropped", num[3]);
	w = crm_cli_writer(cli, &cv);
	if (crm_writer_write(w, &rec) < 0 || crm_writer_close(w) < 0) {
		crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
			    strerror(errno));
		goto fail;
	}
	if (r.campaign_reply && !r.ignored)
		crm_cli_note(cli, "a reply to a campaign message: its member "
				  "is marked replied");
	if (r.ignored)
		crm_cli_note(cli, "ignored a message from %s: %s", m.from_addr,
			     r.ignored);
	else
		crm_cli_note(
		    cli, "%s%s ticket %lld%s", cli->dry_run ? "dry run: " : "",
		    r.opened ? "opened" : "replied to", (long long)r.ticket_id,
		    r.dropped ? " (attachments over the limit listed, "
				"not kept)"
			      : "");
	goto out;
fail:
	status = mail_fail(cli);
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cv);
	crm_mail_release(&m);
	crm_buf_release(&msg);
	return status;
}

/* -- attachment -------------------------------------------------------------
 */

static int list_attachments(struct crm_cli *cli, const struct crm_ticket_att *v,
			    size_t n)
{
	static const char *const names[] = {"n", "filename", "content_type",
					    "size", "kept"};
	struct crm_strv cols = {0};
	struct crm_writer *w = NULL;
	struct crm_rec rec;
	int rc = 0;

	crm_rec_init(&rec);
	if (crm_cli_fixed_columns(cli, names, sizeof(names) / sizeof(*names),
				  &cols) < 0) {
		rc = -2;
		goto out;
	}
	w = crm_cli_writer(cli, &cols);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char num[2][32];

		snprintf(num[0], 32, "%lld", (long long)v[i].n);
		snprintf(num[1], 32, "%lld", (long long)v[i].size);
		crm_rec_clear(&rec);
		crm_rec_adds(&rec, "n", num[0]);
		crm_rec_adds(&rec, "filename", v[i].filename);
		crm_rec_adds(&rec, "content_type", v[i].content_type);
		crm_rec_adds(&rec, "size", num[1]);
		crm_rec_adds(&rec, "kept", v[i].data ? "yes" : "no");
		rc = crm_writer_write(w, &rec);
	}
	if (crm_writer_close(w) < 0)
		rc = -1;
out:
	crm_writer_free(w);
	crm_rec_release(&rec);
	crm_strv_release(&cols);
	return rc;
}

/* attachment TICKET [N]: list a ticket's attachments, or write the N-th's
 * bytes exactly as they came to -o FILE, -O (its own name, checked) or
 * standard output (not a terminal). */
int crm_verb_ticket_attachment(struct crm_cli *cli)
{
	struct crm_ticket_opts *o = cli->opts;
	const struct crm_entity *e = cli->cmd->entity;
	struct crm_ticket_att *v = NULL;
	const char *path = o->output;
	char *safe = NULL;
	int64_t n = 0;
	size_t nv = 0;
	struct crm_row row;
	FILE *fp = NULL;
	int rc, status = 0;

	crm_row_init(&row, e);
	if (cli->args.n < 1 || cli->args.n > 2 ||
	    (cli->args.n == 2 &&
	     (crm_parse_int(cli->args.v[1], &n) < 0 || n < 1))) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "attachment takes a ticket and, to write one, its "
			    "number N (1, 2 ... as listed)");
		goto fail;
	}
	if ((path || o->remote_name) && !n) {
		crm_err_set(&cli->err, CRM_EX_USAGE,
			    "-o and -O write one attachment: give its number");
		goto fail;
	}
	if (path && o->remote_name) {
		crm_err_set(&cli->err, CRM_EX_USAGE, "give -o or -O, not both");
		goto fail;
	}
	rc = crm_cli_show_find(cli, e, cli->args.v[0], &row);
	if (rc <= 0)
		goto fail;
	if (crm_ticket_attachments(cli->db, crm_row_id(&row), n, n > 0, &v, &nv,
				   &cli->err) < 0)
		goto fail;
	if (!n) {
		rc = list_attachments(cli, v, nv);
		if (rc == -2)
			goto fail;
		if (rc < 0) {
			crm_err_set(&cli->err, CRM_EX_IOERR, "write error: %s",
				    strerror(errno));
			goto fail;
		}
		goto out;
	}
	if (!v[0].data) {
		crm_err_set(&cli->err, CRM_EX_NOINPUT,
			    "ticket %lld: attachment %lld (%s, %lld bytes) was "
			    "over the size limit when it came and was not kept",
			    (long long)crm_row_id(&row), (long long)n,
			    v[0].filename ? v[0].filename : "no name",
			    (long long)v[0].size);
		goto fail;
	}
	if (o->remote_name) {
		safe = crm_attachment_safe_name(v[0].filename);
		if (!safe) {
			crm_err_set(&cli->err, CRM_EX_DATAERR,
				    "attachment %lld: its name '%s' is not a "
				    "safe file name here; give -o FILE",
				    (long long)n,
				    v[0].filename ? v[0].filename : "");
			goto fail;
		}
		path = safe;
	}
	if (!path || !strcmp(path, "-")) {
		if (!path && cli->out_tty) {
			crm_err_set(&cli->err, CRM_EX_USAGE,
				    "not writing an attachment to a terminal: "
				    "give -o FILE, -O or redirect");
			goto fail;
		}
		fp = stdout;
	} else if (!(fp = crm_cli_create(cli, path, o->force))) {
		goto fail;
	}
	if (fwrite(v[0].data, 1, (size_t)v[0].size, fp) != (size_t)v[0].size ||
	    fflush(fp) != 0 || (fp != stdout && fclose(fp) != 0)) {
		if (fp != stdout)
			fclose(fp);
		crm_err_set(&cli->err, CRM_EX_IOERR, "cannot write '%s': %s",
			    fp == stdout ? "standard output" : path,
			    strerror(errno));
		fp = NULL;
		goto fail;
	}
	if (fp != stdout)
		crm_cli_note(cli, "wrote %s (%lld bytes)", path,
			     (long long)v[0].size);
	goto out;
fail:
	status = crm_cli_fail(cli);
out:
	crm_ticket_atts_free(v, nv);
	crm_row_release(&row);
	free(safe);
	return status;
}
