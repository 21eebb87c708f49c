/* mail.h - support by email: a message delivered to a ticket (threading,
 * the sender's contact, attachments, loop protection), and a reply sent
 * through a sendmail-compatible program with threading headers. */
#ifndef CRM_MAIL_H
#define CRM_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "mime.h"
#include "record.h"

#define CRM_MAIL_LOOP_LIMIT 20 /* messages from one sender per hour */

/* How to deliver. Strings borrowed. */
struct crm_mail_in_opts {
	const char *self; /* our address ($CRM_MAIL_FROM): mail from it,
			     or carrying its X-CRM-Loop, is our own */
	int loop_limit;	  /* 0: CRM_MAIL_LOOP_LIMIT */
	bool model;	  /* a new sender is compared with the contacts by
			     the dedupe model (flagged when it duplicates) */
	bool dry_run;
};

/* What a delivery did. */
struct crm_mail_in_result {
	int64_t ticket_id; /* 0: none */
	int64_t contact_id;
	bool opened;	     /* a new ticket */
	bool new_contact;    /* the sender became a contact */
	const char *ignored; /* why nothing was written: "auto-submitted",
				"precedence", "bounce", "list",
				"auto-response-suppress", "loop",
				"duplicate"; NULL when delivered */
	size_t attachments, dropped; /* stored; listed but over the limit */
	bool campaign_reply; /* it answered a campaign message: its member
				is marked replied (crm_campaign_reply) */
};

/* Deliver m in one transaction: a reply (In-Reply-To/References naming a
 * message of a ticket, or a [#ID] subject tag of an open ticket) is added
 * to its ticket as the customer's reply; any other message opens a ticket
 * for its sender's contact (created when no contact has the address).
 * Mail from a machine or from crm itself, a message already delivered,
 * and more than loop_limit messages from one sender in an hour write
 * nothing (r->ignored says why). The ticket policies must be loaded.
 * Returns 0 or -1 with err. */
int crm_mail_deliver(struct crm_db *db, const struct crm_mail *m,
		     const struct crm_mail_in_opts *o,
		     struct crm_mail_in_result *r, struct crm_err *err);

/* How to send a reply. Strings borrowed. */
struct crm_mail_out_opts {
	const char *from;      /* "Name <addr>" or addr ($CRM_MAIL_FROM) */
	const char *sendmail;  /* a shell command line; NULL: the default */
	const char *signature; /* appended after "-- " when not NULL */
};

#define CRM_SENDMAIL_DEFAULT "/usr/sbin/sendmail -t -oi"

/* Hand msg to the sendmail command cmd on its standard input: started
 * directly when cmd is plain words, else through sh -c. -1 with
 * CRM_EX_TEMPFAIL when it cannot be run or fails; the message names cmd,
 * how it failed, then `then` (what it means for the caller). */
int crm_sendmail(const char *cmd, const char *msg, const char *then,
		 struct crm_err *err);

/* Send body as agent reply activity_id of ticket id inside the caller's
 * open transaction: to the ticket's contact, subject "Re: SUBJECT [#ID]",
 * In-Reply-To and References from the ticket's messages, and record its
 * Message-ID. The program exiting non-zero is CRM_EX_TEMPFAIL when it
 * said 75, else CRM_EX_UNAVAILABLE; a ticket with no contact email is
 * CRM_EX_DATAERR. *msg (may be NULL) gets the message sent (caller
 * frees). Returns 0 or -1. */
int crm_mail_send_reply(struct crm_db *db, int64_t ticket, int64_t activity_id,
			const char *body, const struct crm_mail_out_opts *o,
			char **msg, struct crm_err *err);

/* Base64 of data[0..n) (no line breaks). Caller frees. */
char *crm_base64(const unsigned char *data, size_t n);

/* One attachment of a ticket: n counts from 1 in the order they came
 * (as crm-ticket show lists them); data is NULL when it was over the
 * size limit when delivered (listed, not kept). */
struct crm_ticket_att {
	int64_t n, size;
	char *filename, *content_type; /* filename NULL when none */
	unsigned char *data;	       /* size bytes, or NULL */
};

/* The attachments of ticket into *v, *nv (all when n is 0, else the n-th
 * only, with its bytes when want_data). An unknown ticket or n is
 * CRM_EX_NOINPUT; stored content that does not decode to its size,
 * CRM_EX_SOFTWARE. Free with crm_ticket_atts_free. Returns 0 or -1. */
int crm_ticket_attachments(struct crm_db *db, int64_t ticket, int64_t n,
			   bool want_data, struct crm_ticket_att **v,
			   size_t *nv, struct crm_err *err);
void crm_ticket_atts_free(struct crm_ticket_att *v, size_t n);

/* A file name safe to create in the current folder from an attachment's
 * name as the sender gave it: the part after the last / or \, NULL when
 * that is empty, ".", "..", starts with '.' or '-', or holds a control
 * character. Caller frees. */
char *crm_attachment_safe_name(const char *name);

/* Canned responses (crm-formats(5)): the macro name of the JSON file
 * path filled in for ticket id: *body (caller frees) its text with
 * {{ticket.FIELD}}, {{contact.FIELD}} and {{agent}} replaced, set (may be
 * NULL) gets the fields it sets. A bad file, an unknown macro or field is
 * CRM_EX_CONFIG naming the file. Returns 0 or -1. */
struct crm_rec;
int crm_macro_expand(struct crm_db *db, const char *path, const char *name,
		     int64_t ticket, const char *agent, char **body,
		     struct crm_rec *set, struct crm_err *err);

#endif
