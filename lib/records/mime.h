/* mime.h - email messages in and out (RFC 5322 and MIME, through GMime 3):
 * one message parsed into what a ticket needs (sender, threading ids,
 * the text decoded to UTF-8 from any charset, HTML made readable, quoted
 * history trimmed, attachments, whether a machine sent it), and a reply
 * built as a MIME message with threading headers. */
#ifndef CRM_MIME_H
#define CRM_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Hostile-input limits: past them the message is CRM_EX_DATAERR. */
#define CRM_MAIL_MAX_DEPTH 32	      /* nested multiparts and messages */
#define CRM_MAIL_MAX_HEADER (1 << 20) /* bytes before the first body */
#define CRM_MAIL_MAX_PARTS 1000

/* One attachment. data is NULL when the part was over the size limit
 * (it is still listed, with its size). */
struct crm_mail_att {
	char *filename, *content_type;
	unsigned char *data;
	size_t size;
};

/* A parsed message; every string is UTF-8 and the message's own. */
struct crm_mail {
	char *from_addr, *from_name; /* the first From mailbox */
	char *subject;		     /* RFC 2047 decoded; "" when none */
	char *message_id;	     /* without <>; NULL when none */
	struct crm_strv refs;	     /* In-Reply-To then References, no <> */
	int64_t date;		     /* Date: as Unix time; 0 when none */
	char *text;		     /* the body as text, history trimmed */
	char *full_text;	     /* the body as text, untrimmed */
	bool html_only;		     /* text came from text/html */
	/* why a machine sent it (no ticket, no reply): "auto-submitted",
	 * "precedence", "bounce", "auto-response-suppress", "list"; or
	 * NULL for a person's message */
	const char *automatic;
	char *loop; /* the X-CRM-Loop header: a message crm itself sent */
	struct crm_mail_att *att;
	size_t natt;
};

/* Parse the message buf[0..len) into m (released with
 * crm_mail_release). Attachments larger than max_att bytes are listed
 * without their data. A message with no From address, nesting deeper than
 * CRM_MAIL_MAX_DEPTH or a header block over CRM_MAIL_MAX_HEADER is
 * CRM_EX_DATAERR. Returns 0 or -1. */
int crm_mail_parse(const char *buf, size_t len, size_t max_att,
		   struct crm_mail *m, struct crm_err *err);
void crm_mail_release(struct crm_mail *m);

/* Readable text of an HTML document (UTF-8): block elements end lines,
 * scripts, styles and quoted replies (gmail_quote, Outlook's reply
 * header) are left out. Caller frees. */
char *crm_mail_html_text(const char *html, size_t len);
/* text without the quoted history of a reply (Gmail's "On ... wrote:",
 * Outlook's "-----Original Message-----" and "From:/Sent:" blocks, and
 * trailing "> " lines). Caller frees. */
char *crm_mail_trim_quoted(const char *text);
/* bytes [0..len) in charset (any name iconv knows; GB2312 and GBK read as
 * GB18030) as UTF-8; bytes it cannot convert become U+FFFD. NULL charset:
 * UTF-8 if valid, else Windows-1252. Caller frees. */
char *crm_mail_to_utf8(const char *bytes, size_t len, const char *charset);

/* A message to send. Strings borrowed; NULL: none. */
struct crm_mail_out {
	const char *from_name, *from_addr, *to_name, *to_addr;
	const char *subject, *body;
	const char *message_id;	     /* without <> */
	const struct crm_strv *refs; /* References, oldest first, no <> */
	const char *in_reply_to;     /* without <> */
	const char *loop;	     /* X-CRM-Loop */
	int64_t date;		     /* Unix time */
	/* RFC 5322 address lists ("Ann <ann@example.com>, bo@example.com"),
	 * used instead of the name and address pairs when set (flows) */
	const char *from_list, *to_list, *cc_list;
	const char *html; /* an HTML body: with body, multipart/alternative */
	/* List-Unsubscribe (the "<mailto:...>, <https://...>" value); with it
	 * List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058) */
	const char *list_unsubscribe;
	/* more header fields: name, value, name, value, ..., NULL */
	const char *const *headers;
};

/* The message o as RFC 5322 text (LF line ends; sendmail -t takes it),
 * composed by GMime (RFC 2047 headers, quoted-printable parts). The one
 * composer of all outgoing mail (ticket replies, flow and campaign email).
 * Caller frees; NULL with err when an address is missing or bad, or a
 * header value (subject, name, extra field) holds a CR or LF. */
char *crm_mail_build(const struct crm_mail_out *o, struct crm_err *err);
/* msg (as crm_mail_build made it) with its Date: field set to date (Unix
 * time), formatted by GMime: a queued message is dated when it is handed
 * over, not when it was composed. Caller frees; NULL when msg has no Date
 * field in its header. */
char *crm_mail_redate(const char *msg, int64_t date);

#endif
