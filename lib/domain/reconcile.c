/* reconcile.c - bank statements in, payments and allocations out.
 *
 * camt.053 is read from memory as a stream (xmlTextReader: one Ntry
 * expanded at a time, then freed), after refusing anything larger than
 * the limit or carrying a DOCTYPE (so no entity can be declared, let
 * alone expanded), with XML_PARSE_NONET and without XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD or XML_PARSE_HUGE (libxml2's own depth and text size
 * limits stay on). libxml2's messages are caught, never printed. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "contract.h"
#include "dbq.h"
#include "dl.h"
#include "hash.h"
#include "money.h"
#include "normalize.h"
#include "receivable.h"
#include "reconcile.h"

/* libxml2 is loaded at the first camt.053 read, not at every start (dl.h);
 * these are the symbols this file uses, called through the table */
#define XML_SYMS(X)                                                            \
	X(xmlFree)                                                             \
	X(xmlFreeDoc)                                                          \
	X(xmlFreeTextReader)                                                   \
	X(xmlGetLineNo)                                                        \
	X(xmlGetProp)                                                          \
	X(xmlReadMemory)                                                       \
	X(xmlReaderForMemory)                                                  \
	X(xmlSetGenericErrorFunc)                                              \
	X(xmlSetStructuredErrorFunc)                                           \
	X(xmlTextReaderCurrentNode)                                            \
	X(xmlTextReaderDepth)                                                  \
	X(xmlTextReaderExpand)                                                 \
	X(xmlTextReaderNext)                                                   \
	X(xmlTextReaderNodeType)                                               \
	X(xmlTextReaderRead)
CRM_DL_TABLE(xml, XML_SYMS)
static struct crm_dl xml_dl = CRM_DL_INIT(xml, "libxml2.so.2", "CRM_LIBXML2",
					  "reading camt.053", "libxml2");
#define xmlFree CRM_DL_CALL(xml, xmlFree)
#define xmlFreeDoc CRM_DL_CALL(xml, xmlFreeDoc)
#define xmlFreeTextReader CRM_DL_CALL(xml, xmlFreeTextReader)
#define xmlGetLineNo CRM_DL_CALL(xml, xmlGetLineNo)
#define xmlGetProp CRM_DL_CALL(xml, xmlGetProp)
#define xmlReadMemory CRM_DL_CALL(xml, xmlReadMemory)
#define xmlReaderForMemory CRM_DL_CALL(xml, xmlReaderForMemory)
#define xmlSetGenericErrorFunc CRM_DL_CALL(xml, xmlSetGenericErrorFunc)
#define xmlSetStructuredErrorFunc CRM_DL_CALL(xml, xmlSetStructuredErrorFunc)
#define xmlTextReaderCurrentNode CRM_DL_CALL(xml, xmlTextReaderCurrentNode)
#define xmlTextReaderDepth CRM_DL_CALL(xml, xmlTextReaderDepth)
#define xmlTextReaderExpand CRM_DL_CALL(xml, xmlTextReaderExpand)
#define xmlTextReaderNext CRM_DL_CALL(xml, xmlTextReaderNext)
#define xmlTextReaderNodeType CRM_DL_CALL(xml, xmlTextReaderNodeType)
#define xmlTextReaderRead CRM_DL_CALL(xml, xmlTextReaderRead)

void crm_statement_release(struct crm_statement *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].ref);
		free(s->v[i].date);
		free(s->v[i].payer);
		free(s->v[i].text);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static struct crm_bank_line *push(struct crm_statement *s)
{
	s->v = crm_xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	memset(&s->v[s->n], 0, sizeof(*s->v));
	return &s->v[s->n++];
}

/* -- camt.053 ---------------------------------------------------------- */

struct xml_err {
	char msg[512];
	long line;
	bool set;
};

static void xml_error(void *ctx, xmlErrorPtr e)
{
	struct xml_err *xe = ctx;
	size_t n;

	if (xe->set || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(xe->msg, sizeof(xe->msg), "%s", e->message ? e->message : "");
	n = strlen(xe->msg);
	while (n && (xe->msg[n - 1] == '\n' || xe->msg[n - 1] == ' '))
		xe->msg[--n] = '\0';
	xe->line = e->line;
	xe->set = true;
}

static void xml_quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx, (void)fmt;
}

static bool is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* The element at a path of names below n ("BookgDt/Dt"). */
static xmlNode *at(const xmlNode *n, const char *path)
{
	char name[64];
	const char *p = path;

	while (n && *p) {
		size_t len = strcspn(p, "/");

		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		n = child(n, name);
		p += len;
		if (*p == '/')
			p++;
	}
	return (xmlNode *)n;
}

/* The text of an element (trimmed, owned by the caller) or NULL. Only
 * text nodes count: there are no entities (no DOCTYPE was allowed). */
static char *text(const xmlNode *n)
{
	struct crm_buf b = {0};
	const char *s;
	size_t len;

	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE)
			crm_buf_adds(&b, (const char *)c->content);
	s = crm_buf_str(&b);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
		       s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	{
		char *r = crm_xstrndup(s, len);

		crm_buf_release(&b);
		if (!*r) {
			free(r);
			return NULL;
		}
		return r;
	}
}

static int camt_err(struct crm_err *err, const char *path, long line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int camt_err(struct crm_err *err, const char *path, long line,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = CRM_EX_DATAERR;
	snprintf(err->file, sizeof(err->file), "%s", path);
	err->line = line;
	return -1;
}

/* The amount of element n (a decimal, Ccy attribute) into l. */
static int camt_amount(const xmlNode *n, const char *path,
		       struct crm_bank_line *l, struct crm_err *err)
{
	char *v = text(n), *ccy;
	int rc;

	if (!n || !v) {
		free(v);
		return camt_err(err, path, n ? xmlGetLineNo(n) : l->line,
				"Amt: missing%s", "");
	}
	ccy = (char *)xmlGetProp(n, (const xmlChar *)"Ccy");
	if (!ccy || crm_money_exponent(ccy) < 0) {
		rc = camt_err(err, path, xmlGetLineNo(n),
			      "Amt: no valid Ccy attribute ('%s')",
			      ccy ? ccy : "");
	} else {
		snprintf(l->currency, sizeof(l->currency), "%s", ccy);
		rc = crm_money_parse(v, ccy, &l->amount, err);
		if (rc < 0) {
			char m[512];

			snprintf(m, sizeof(m), "%s", err->msg);
			rc = camt_err(err, path, xmlGetLineNo(n), "Amt: %s", m);
		}
	}
	xmlFree(ccy);
	free(v);
	return rc;
}

static char *join_ustrd(const xmlNode *rmt)
{
	struct crm_buf b = {0};

	if (!rmt)
		return NULL;
	for (xmlNode *c = rmt->children; c; c = c->next) {
		char *t = NULL;

		if (is(c, "Ustrd"))
			t = text(c);
		else if (is(c, "Strd"))
			t = text(at(c, "CdtrRefInf/Ref"));
		if (t) {
			if (b.len)
				crm_buf_addc(&b, ' ');
			crm_buf_adds(&b, t);
			free(t);
		}
	}
	if (!b.len) {
		crm_buf_release(&b);
		return NULL;
	}
	return crm_buf_detach(&b);
}

static char *party_name(const xmlNode *tx)
{
	char *n = text(at(tx, "RltdPties/Dbtr/Nm"));

	if (!n)
		n = text(at(tx, "RltdPties/Dbtr/Pty/Nm"));
	if (!n)
		n = text(at(tx, "RltdPties/UltmtDbtr/Nm"));
	return n;
}

static int camt_entry(const xmlNode *e, const char *path,
		      struct crm_statement *s, struct crm_err *err)
{
	char *cdi = text(child(e, "CdtDbtInd")), *ref, *date;
	size_t ntx = 0, k = 0;
	xmlNode *dtls = child(e, "NtryDtls");
	long line = xmlGetLineNo(e);
	int rc = 0;

	if (!cdi || (strcmp(cdi, "CRDT") && strcmp(cdi, "DBIT"))) {
		free(cdi);
		return camt_err(err, path, line,
				"Ntry: CdtDbtInd: expected CRDT or DBIT%s", "");
	}
	if (!strcmp(cdi, "DBIT")) {
		free(cdi);
		s->debits++;
		return 0;
	}
	free(cdi);
	ref = text(child(e, "AcctSvcrRef"));
	if (!ref)
		ref = text(child(e, "NtryRef"));
	if (!ref)
		return camt_err(err, path, line,
				"Ntry: no AcctSvcrRef or NtryRef (needed to "
				"apply an entry once)%s",
				"");
	date = text(at(e, "BookgDt/Dt"));
	if (!date) {
		char *dt = text(at(e, "BookgDt/DtTm"));

		if (dt && strlen(dt) >= 10)
			date = crm_xstrndup(dt, 10);
		free(dt);
	}
	if (!date)
		date = text(at(e, "ValDt/Dt"));
	if (!date || strlen(date) != 10) {
		free(ref);
		free(date);
		return camt_err(err, path, line, "Ntry: no BookgDt/Dt%s", "");
	}
	for (xmlNode *c = dtls ? dtls->children : NULL; c; c = c->next)
		if (is(c, "TxDtls"))
			ntx++;
	if (ntx <= 1) {
		xmlNode *tx = ntx ? child(dtls, "TxDtls") : NULL;
		struct crm_bank_line *l = push(s);

		l->line = line;
		l->ref = ref;
		l->date = date;
		rc = camt_amount(child(e, "Amt"), path, l, err);
		if (tx) {
			l->payer = party_name(tx);
			l->text = join_ustrd(child(tx, "RmtInf"));
		}
		return rc;
	}
	/* a batch: one line per transaction */
	for (xmlNode *c = dtls->children; c && rc == 0; c = c->next) {
		struct crm_bank_line *l;
		char *tref;
		xmlNode *amt;

		if (!is(c, "TxDtls"))
			continue;
		l = push(s);
		l->line = xmlGetLineNo(c);
		tref = text(at(c, "Refs/AcctSvcrRef"));
		l->ref = tref ? crm_xasprintf("%s/%s", ref, tref)
			      : crm_xasprintf("%s/%zu", ref, ++k);
		free(tref);
		l->date = crm_xstrdup(date);
		amt = at(c, "AmtDtls/TxAmt/Amt");
		if (!amt)
			amt = child(c, "Amt");
		rc = camt_amount(amt, path, l, err);
		l->payer = party_name(c);
		l->text = join_ustrd(child(c, "RmtInf"));
	}
	free(ref);
	free(date);
	return rc;
}

#define CAMT_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* Reads the entries of the statement in r, one Ntry expanded at a time
 * and freed once passed: 1 when the document is not well-formed (the
 * reader failed), else 0 or -1 with err. The errors keep the order of a
 * parse of the whole document: a malformation anywhere, then a DTD, then
 * a root that is not Document/BkToCstmrStmt, then the first entry's
 * error (after which the rest is read for well-formedness only). As
 * before, entries count only as Ntry children of Stmt children of the
 * first BkToCstmrStmt child of the root Document. */
static int camt_stream(xmlTextReaderPtr r, const char *path,
		       struct crm_statement *s, struct crm_err *err)
{
	bool dtd = false, bk_seen = false;
	long root_line = 0; /* none: 0, as before */
	int rc = 0, ret = xmlTextReaderRead(r);

	while (ret == 1) {
		xmlNode *n = xmlTextReaderCurrentNode(r);
		int depth = xmlTextReaderDepth(r);
		bool descend = false;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		/* the reader goes into the root Document, its first
		 * BkToCstmrStmt and that one's Stmt elements only: an element
		 * met at depth 3 is a child of such a Stmt */
		if (depth == 0) {
			root_line = xmlGetLineNo(n);
			dtd =
			    n->doc && (n->doc->intSubset || n->doc->extSubset);
			descend = is(n, "Document");
		} else if (depth == 1) {
			descend = !bk_seen && is(n, "BkToCstmrStmt");
			bk_seen |= descend;
		} else if (depth == 2) {
			descend = is(n, "Stmt");
		} else if (is(n, "Ntry") && rc == 0 && !dtd) {
			xmlNode *e = xmlTextReaderExpand(r);

			if (!e)
				return 1;
			rc = camt_entry(e, path, s, err);
		}
		/* Next moves past the element, freeing what was read of it */
		ret = descend ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
	}
	if (ret < 0)
		return 1;
	if (dtd)
		return camt_err(err, path, 0,
				"a DTD is not allowed in a statement%s", "");
	if (!bk_seen)
		return camt_err(err, path, root_line,
				"not a camt.053 statement (no "
				"Document/BkToCstmrStmt)%s",
				"");
	return rc;
}

/* The error of a statement that is not well-formed, as a parse of the
 * whole document words it: the reader's push parser reports a truncated
 * file as "Extra content at the end of the document", the tree's parser
 * as "Premature end of data in tag Ntry line 1995". So a malformed
 * statement is parsed again as a tree (its memory as before the stream,
 * on this path only); xe holds the reader's message, kept if the tree
 * parses. */
static int camt_malformed(const struct crm_buf *b, const char *path,
			  struct xml_err *xe, struct crm_err *err)
{
	struct xml_err again = {0};
	xmlDoc *doc;

	xmlSetStructuredErrorFunc(&again, xml_error);
	doc = xmlReadMemory(b->s ? b->s : "", (int)b->len, path, NULL,
			    CAMT_OPTIONS);
	if (!doc)
		xe = &again;
	xmlFreeDoc(doc);
	return camt_err(err, path, xe->line, "not well-formed XML: %s",
			xe->set ? xe->msg : "parse error");
}

int crm_statement_read_camt(const char *path, size_t max_bytes,
			    struct crm_statement *s, struct crm_err *err)
{
	struct xml_err xe = {0};
	struct crm_buf b = {0};
	xmlTextReaderPtr r;
	struct stat sb;
	FILE *fp;
	char chunk[65536];
	size_t got;
	int rc;

	if (crm_dl_load(&xml_dl, err) < 0)
		return -1;
	fp = fopen(path, "rb");
	if (!fp)
		return crm_err_set(err, CRM_EX_NOINPUT, "cannot open '%s': %s",
				   path, strerror(errno));
	if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uint64_t)sb.st_size > max_bytes) {
		fclose(fp);
		return camt_err(err, path, 0,
				"the statement is larger than the limit "
				"(--max-bytes)%s",
				"");
	}
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + got > max_bytes) {
			fclose(fp);
			crm_buf_release(&b);
			return camt_err(err, path, 0,
					"the statement is larger than the "
					"limit (--max-bytes)%s",
					"");
		}
		crm_buf_add(&b, chunk, got);
	}
	if (ferror(fp)) {
		fclose(fp);
		crm_buf_release(&b);
		return crm_err_set(err, CRM_EX_IOERR, "cannot read '%s': %s",
				   path, strerror(errno));
	}
	fclose(fp);
	if (b.len > INT32_MAX) {
		crm_buf_release(&b);
		return camt_err(err, path, 0, "the statement is too large%s",
				"");
	}
	/* no DOCTYPE: no entities declared, none expanded, no DTD fetched */
	if (memmem(b.s ? b.s : "", b.len, "<!DOCTYPE", 9) ||
	    memmem(b.s ? b.s : "", b.len, "<!ENTITY", 8)) {
		crm_buf_release(&b);
		return camt_err(err, path, 0,
				"a DOCTYPE or entity declaration is not "
				"allowed in a statement%s",
				"");
	}
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	xmlSetStructuredErrorFunc(&xe, xml_error);
	r = xmlReaderForMemory(b.s ? b.s : "", (int)b.len, path, NULL,
			       CAMT_OPTIONS);
	rc = r ? camt_stream(r, path, s, err) : 1;
	xmlFreeTextReader(r);
	if (rc == 1)
		rc = camt_malformed(&b, path, &xe, err);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	crm_buf_release(&b);
	return rc;
}

/* -- CSV (any record format) ------------------------------------------- */

static const char *const fields[] = {"ref",	 "date",  "amount",
				     "currency", "payer", "text"};

int crm_statement_read_records(struct crm_reader *r,
			       const struct crm_strv *columns,
			       struct crm_statement *s, struct crm_err *err)
{
	const char *col[6];
	struct crm_rec rec;
	int rc;

	for (int i = 0; i < 6; i++)
		col[i] = fields[i];
	for (size_t i = 0; i < columns->n; i++) {
		const char *kv = columns->v[i], *eq = strchr(kv, '=');
		int f = -1;

		for (int k = 0; k < 6; k++)
			if (strlen(fields[k]) == (size_t)(eq - kv) &&
			    !strncmp(kv, fields[k], (size_t)(eq - kv)))
				f = k;
		if (f < 0)
			return crm_err_set(
			    err, CRM_EX_USAGE,
			    "--column %s: expected one of ref, "
			    "date, amount, currency, payer, text",
			    kv);
		col[f] = eq + 1;
	}
	crm_rec_init(&rec);
	while ((rc = crm_reader_next(r, &rec, err)) > 0) {
		const char *v[6];
		struct crm_bank_line *l;
		char *amount;

		for (int k = 0; k < 6; k++) {
			v[k] = crm_rec_get(&rec, col[k]);
			if (v[k] && !*v[k])
				v[k] = NULL;
		}
		for (int k = 0; k < 4; k++)
			if (!v[k]) {
				crm_err_set(err, CRM_EX_DATAERR,
					    "%s: missing (column '%s')",
					    fields[k], col[k]);
				snprintf(err->file, sizeof(err->file), "%s",
					 crm_reader_name(r));
				err->line = rec.line;
				snprintf(err->field, sizeof(err->field), "%s",
					 fields[k]);
				rc = -1;
				goto out;
			}
		amount = crm_xstrdup(v[2]);
		l = push(s);
		l->line = rec.line;
		l->ref = crm_xstrdup(v[0]);
		l->date = crm_xstrndup(v[1], 10);
		snprintf(l->currency, sizeof(l->currency), "%s", v[3]);
		l->payer = v[4] ? crm_xstrdup(v[4]) : NULL;
		l->text = v[5] ? crm_xstrdup(v[5]) : NULL;
		if (strlen(v[1]) < 10 ||
		    crm_money_parse(amount, v[3], &l->amount, err) < 0) {
			if (strlen(v[1]) < 10)
				crm_err_set(err, CRM_EX_DATAERR,
					    "expected a date YYYY-MM-DD, got "
					    "'%s'",
					    v[1]);
			snprintf(err->file, sizeof(err->file), "%s",
				 crm_reader_name(r));
			err->line = rec.line;
			snprintf(err->field, sizeof(err->field), "%s",
				 strlen(v[1]) < 10 ? "date" : "amount");
			free(amount);
			rc = -1;
			goto out;
		}
		free(amount);
		if (l->amount <= 0) {
			/* money going out (or nothing): not a receipt */
			free(l->ref);
			free(l->date);
			free(l->payer);
			free(l->text);
			s->n--;
			s->debits++;
		}
	}
out:
	crm_rec_release(&rec);
	return rc < 0 ? -1 : 0;
}

/* -- matching ---------------------------------------------------------- */

int crm_edit_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b);
	int *d0, *d1, *d2, best;

	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	d0 = crm_xcalloc(lb + 1, sizeof(int));
	d1 = crm_xcalloc(lb + 1, sizeof(int));
	d2 = crm_xcalloc(lb + 1, sizeof(int));
	for (size_t j = 0; j <= lb; j++)
		d1[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int *t;

		d2[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int c = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = d1[j - 1] + c;

			if (d1[j] + 1 < v)
				v = d1[j] + 1;
			if (d2[j - 1] + 1 < v)
				v = d2[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d0[j - 2] + 1 < v)
				v = d0[j - 2] + 1;
			d2[j] = v;
		}
		t = d0;
		d0 = d1;
		d1 = d2;
		d2 = t;
	}
	best = d1[lb];
	free(d0);
	free(d1);
	free(d2);
	return best > max ? max + 1 : best;
}

/* Which references are payments already, read for the whole statement in
 * chunks (one query a line was a round trip a line on PostgreSQL). Lines
 * sharing a reference share a group, so one applied by this run makes
 * the later ones applied before, as a query after its insert would. */
struct seen {
	const struct crm_statement *s;
	size_t *order; /* line indexes sorted by (ref, index) */
	size_t *grp;   /* line i's group: its reference's rank */
	size_t *gline; /* group g's first line */
	bool *paid;    /* group g: a payment has its reference */
	size_t ngrp;
};

/* The book: what matching needs of the open invoices, built for one
 * statement in passes over them, so memory follows the statement and
 * not the ledger. The exact pass hashes the statement's tokens into a
 * table; each open invoice probes it with its normalized number, and
 * only the invoices a token names are kept, with the (line, token) that
 * named them. The typo pass is only for the lines left without an open
 * invoice of their currency named (typo_pass): their tokens and every
 * one-character deletion of each (a deletion neighbourhood) are hashed,
 * each open invoice probes them with its number and that number's
 * deletions, and the invoices one edit from a token are kept. For the
 * amount fallback that pass keeps the id and open amount of the invoices
 * whose currency and open amount one of those lines has; their number
 * and company are read by id when a line needs them. In a dense ledger
 * of numbers in sequence every invoice is one edit from some line's
 * reference: one pass with every line's neighbourhood kept all of them,
 * 2.5 GB at 10M invoices. */
struct inv {
	int64_t id, company, open;
	char *number, *company_key;
	char cur[8];
	bool key_read; /* company_key is read (NULL: none) */
};

/* An indexed token in the book's arena, its text after it (NUL-ended,
 * padded to 8 bytes): one read verifies a probe, where each line's
 * token vector, its pointer and the string were three dependent cache
 * misses. */
struct tokhdr {
	uint32_t line;
	uint16_t tok, len;
};

/* One string of the neighbourhood index: the token at off in the arena
 * itself (phase 0) or with character phase - 1 deleted. */
struct probe {
	uint64_t h;
	uint32_t off;
	uint16_t phase;
};

/* An invoice (slot in the book) reached by a token. 12 bytes, not 16:
 * at 100,000 lines there are 5.37M of them (book_load keeps the lines
 * under 2^31). */
struct hit {
	uint32_t line : 31, exact : 1;
	uint32_t inv;
	uint16_t tok, phase;
};

/* An open invoice whose currency and open amount a line has. */
struct amt {
	int64_t id, open; /* the open amount when loaded */
	size_t slot;	  /* in the book, or SIZE_MAX until read */
	char cur[8];
};

struct book {
	struct inv *v; /* the invoices kept, by slot */
	size_t n, cap;
	char *arena; /* the indexed tokens (struct tokhdr, text) */
	size_t narena, caparena;
	struct probe *probes; /* sorted by h */
	size_t nprobes, capprobes;
	uint32_t *first; /* probes' start by the top bits of h */
	int shift;
	struct hit *hits; /* sorted by line, token, probe, invoice id */
	size_t nhits, caphits;
	size_t *line_hits; /* line i's hits: [line_hits[i], line_hits[i+1]) */
	uint64_t *amounts; /* hashes of the lines' currency and amount */
	size_t namounts;
	uint32_t *afirst; /* amounts' start by the top bits of the hash */
	int ashift;
	struct amt *amt; /* sorted by currency, open, id */
	size_t namt, capamt;
	struct crm_stmt *by_id; /* an invoice's number and company */
	size_t nexact;		/* slots [0, nexact): the exact pass's, by id */
	bool *full;	/* line's typo candidates and amounts are loaded */
	bool typo_pass; /* probing: keep typo hits, not exact ones */
};

/* Upper case letters and digits only. */
static char *norm_ref(const char *s, size_t len)
{
	char *r = crm_xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			r[n++] = c;
	}
	r[n] = '\0';
	return r;
}

static void tokens(const char *s, struct crm_strv *out);

static uint64_t str_hash(const char *s, size_t n)
{
	return crm_mix64(crm_fnv1a64(s, n, CRM_FNV_BASIS));
}

/* The hash of s with character d deleted (d >= len: none). */
static uint64_t del_hash(const char *s, size_t len, size_t d)
{
	uint64_t h = CRM_FNV_BASIS;

	if (d >= len)
		return str_hash(s, len);
	h = crm_fnv1a64(s, d, h);
	return crm_mix64(crm_fnv1a64(s + d + 1, len - d - 1, h));
}

static uint64_t amount_hash(const char *cur, int64_t amount)
{
	uint64_t h = crm_fnv1a64(cur, strlen(cur), CRM_FNV_BASIS);

	return crm_mix64(crm_fnv1a64(&amount, sizeof(amount), h));
}

static int probe_cmp(const void *a, const void *b)
{
	const struct probe *x = a, *y = b;

	return (x->h > y->h) - (x->h < y->h);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Within one line's hits: by token, probe, then invoice id (arg: the
 * book's invoices; the slots of the exact and the typo pass are not in
 * id order together). */
static int hit_cmp(const void *a, const void *b, void *arg)
{
	const struct hit *x = a, *y = b;
	const struct inv *v = arg;

	if (x->tok != y->tok)
		return (x->tok > y->tok) - (x->tok < y->tok);
	if (x->phase != y->phase)
		return (x->phase > y->phase) - (x->phase < y->phase);
	return (v[x->inv].id > v[y->inv].id) - (v[x->inv].id < v[y->inv].id);
}

static int amt_cmp(const void *a, const void *b)
{
	const struct amt *x = a, *y = b;
	int c = strcmp(x->cur, y->cur);

	if (c)
		return c;
	if (x->open != y->open)
		return (x->open > y->open) - (x->open < y->open);
	return (x->id > y->id) - (x->id < y->id);
}

static void book_release(struct book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].number);
		free(b->v[i].company_key);
	}
	free(b->v);
	free(b->arena);
	free(b->probes);
	free(b->first);
	free(b->hits);
	free(b->line_hits);
	free(b->amounts);
	free(b->afirst);
	free(b->amt);
	free(b->full);
	if (b->by_id)
		crm_stmt_finalize(b->by_id);
}

/* The slot the exact pass gave invoice id, or SIZE_MAX. */
static size_t slot_of(const struct book *b, int64_t id)
{
	size_t lo = 0, hi = b->nexact;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->v[mid].id == id)
			return mid;
		if (b->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static void add_probe(struct book *b, uint64_t h, size_t off, size_t phase)
{
	b->probes = crm_xgrow(b->probes, &b->capprobes, b->nprobes + 1,
			      sizeof(*b->probes));
	b->probes[b->nprobes++] =
	    (struct probe){h, (uint32_t)off, (uint16_t)phase};
}

/* Token tok (len characters) of line line into the arena; its offset. */
static size_t add_token(struct book *b, const char *tok, size_t len,
			size_t line, size_t t)
{
	size_t off = b->narena,
	       need = sizeof(struct tokhdr) + (len + 8) / 8 * 8;
	struct tokhdr th = {(uint32_t)line, (uint16_t)t, (uint16_t)len};

	b->arena = crm_xgrow(b->arena, &b->caparena, off + need, 1);
	memcpy(b->arena + off, &th, sizeof(th));
	memset(b->arena + off + sizeof(th), 0, need - sizeof(th));
	memcpy(b->arena + off + sizeof(th), tok, len);
	b->narena += need;
	return off;
}

static const struct tokhdr *tok_at(const struct book *b, uint32_t off)
{
	return (const struct tokhdr *)(const void *)(b->arena + off);
}

static const char *tok_text(const struct tokhdr *th)
{
	return (const char *)(th + 1);
}

/* Index the statement's tokens of 4 to maxlen + 1 characters (a token
 * further from every number than one edit can never match): for the
 * exact pass (b->typo_pass false) each wanted line's tokens, for the
 * typo pass each one's deletions too, and the wanted lines' currency and
 * amount. */
static void index_statement(struct book *b, const struct crm_statement *s,
			    size_t maxlen, const bool *want)
{
	size_t bits = 1;

	b->nprobes = b->narena = b->namounts = 0;
	free(b->first);
	free(b->amounts);
	free(b->afirst);
	b->amounts = crm_xcalloc(s->n ? s->n : 1, sizeof(*b->amounts));
	for (size_t i = 0; i < s->n; i++) {
		const struct crm_bank_line *l = &s->v[i];

		struct crm_strv toks = {0};

		if (!want[i])
			continue;
		tokens(l->text, &toks);
		for (size_t t = 0; t < toks.n && t < UINT16_MAX; t++) {
			const char *tok = toks.v[t];
			size_t len = strlen(tok), off;

			if (len < 4 || len > maxlen + 1 || len >= UINT16_MAX)
				continue;
			off = add_token(b, tok, len, i, t);
			/* probes hold 32-bit offsets: 4 GiB of tokens is far
			 * beyond any statement's --max-bytes */
			if (off > UINT32_MAX)
				continue;
			add_probe(b, str_hash(tok, len), off, 0);
			for (size_t d = 0; b->typo_pass && d < len; d++)
				add_probe(b, del_hash(tok, len, d), off, d + 1);
		}
		crm_strv_release(&toks);
		if (b->typo_pass)
			b->amounts[b->namounts++] =
			    amount_hash(l->currency, l->amount);
	}
	if (b->nprobes)
		qsort(b->probes, b->nprobes, sizeof(*b->probes), probe_cmp);
	qsort(b->amounts, b->namounts, sizeof(*b->amounts), u64_cmp);
	while (bits < 30 && ((size_t)1 << bits) < b->nprobes)
		bits++;
	b->shift = 64 - (int)bits;
	b->first = crm_xcalloc(((size_t)1 << bits) + 1, sizeof(*b->first));
	for (size_t i = 0, k = 0; k <= ((size_t)1 << bits); k++) {
		while (i < b->nprobes && (b->probes[i].h >> b->shift) < k)
			i++;
		b->first[k] = (uint32_t)i;
	}
	/* the same for the amounts: a binary search per invoice read a
	 * dozen cache lines at 100,000 lines */
	for (bits = 1; bits < 30 && ((size_t)1 << bits) < b->namounts;)
		bits++;
	b->ashift = 64 - (int)bits;
	b->afirst = crm_xcalloc(((size_t)1 << bits) + 1, sizeof(*b->afirst));
	for (size_t i = 0, k = 0; k <= ((size_t)1 << bits); k++) {
		while (i < b->namounts && (b->amounts[i] >> b->ashift) < k)
			i++;
		b->afirst[k] = (uint32_t)i;
	}
}

/* Has some line the currency and amount of hash ah? */
static bool has_amount(const struct book *b, uint64_t ah)
{
	for (size_t i = b->afirst[ah >> b->ashift];
	     i < b->afirst[(ah >> b->ashift) + 1]; i++)
		if (b->amounts[i] == ah)
			return true;
	return false;
}

/* Does the string of probe p equal s (len n)? (The hashes agree.) */
static bool probe_is(const struct book *b, const struct probe *p, const char *s,
		     size_t n)
{
	const struct tokhdr *th = tok_at(b, p->off);
	const char *tok = tok_text(th);
	size_t len = th->len, d;

	if (p->phase == 0)
		return len == n && !memcmp(tok, s, n);
	d = p->phase - 1u;
	return len == n + 1 && !memcmp(tok, s, d) &&
	       !memcmp(tok + d + 1, s + d, n - d);
}

/* crm_edit_distance(a, b, 1) <= 1 without its tables: equal, or one
 * insertion, deletion, substitution or swap of neighbours apart. */
static bool within_one(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;

	if (la < lb)
		return within_one(b, lb, a, la);
	if (la - lb > 1)
		return false;
	while (i < lb && a[i] == b[i])
		i++;
	if (i == lb)
		return true; /* equal, or a has one more at its end */
	if (la > lb)	     /* a[i] inserted */
		return !memcmp(a + i + 1, b + i, lb - i);
	if (!memcmp(a + i + 1, b + i + 1, la - i - 1))
		return true; /* substituted */
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	       !memcmp(a + i + 2, b + i + 2, la - i - 2);
}

/* The tokens the string key minus character d (d >= len: key itself),
 * hash h, probes [lo, hi) of its bucket, reaches: hits for invoice slot
 * inv, an exact one when a token is the number itself, else when the
 * number is one edit from the token. */
static void probe_key(struct book *b, const char *key, size_t len, size_t d,
		      uint64_t h, size_t lo, size_t hi, size_t inv, bool *kept)
{
	char buf[64], *s = len < sizeof(buf) ? buf : crm_xmalloc(len + 1);
	size_t n = len;

	if (d < len) {
		memcpy(s, key, d);
		memcpy(s + d, key + d + 1, len - d);
		n = len - 1;
	} else {
		memcpy(s, key, len + 1);
	}
	for (size_t i = lo; i < hi; i++) {
		const struct probe *p = &b->probes[i];
		const struct tokhdr *th;
		const char *tok;
		bool exact;

		if (p->h != h || !probe_is(b, p, s, n))
			continue;
		th = tok_at(b, p->off);
		tok = tok_text(th);
		exact = !strcmp(tok, key);
		if (exact ? p->phase != 0 || b->typo_pass
			  : !within_one(key, len, tok, th->len))
			continue;
		b->hits = crm_xgrow(b->hits, &b->caphits, b->nhits + 1,
				    sizeof(*b->hits));
		b->hits[b->nhits++] = (struct hit){.line = th->line,
						   .exact = exact,
						   .inv = (uint32_t)inv,
						   .tok = th->tok,
						   .phase = p->phase};
		*kept = true;
	}
	if (s != buf)
		free(s);
}

/* Probe the index with number key (normalized, len characters) and,
 * for one-typo lookups, each of its deletions of one character. The
 * index is larger than the caches at 100,000 lines, and each probe
 * waited on three reads in turn (its bucket, the probe, the token), so
 * all of a number's probes are started together, stage by stage. */
static void probe_number(struct book *b, const char *key, size_t len,
			 size_t inv, bool *kept)
{
	enum { MAXP = 40 };
	uint64_t h[MAXP];
	size_t lo[MAXP], hi[MAXP], np = b->typo_pass && len > 3 ? len + 1 : 1;

	if (np > MAXP) { /* a long number: one probe after the other */
		for (size_t k = 0; k < np; k++) {
			size_t d = k ? k - 1 : len;
			uint64_t hk = del_hash(key, len, d);

			probe_key(b, key, len, d, hk, b->first[hk >> b->shift],
				  b->first[(hk >> b->shift) + 1], inv, kept);
		}
		return;
	}
	for (size_t k = 0; k < np; k++) { /* the number itself first */
		h[k] = del_hash(key, len, k ? k - 1 : len);
		__builtin_prefetch(&b->first[h[k] >> b->shift]);
	}
	for (size_t k = 0; k < np; k++) {
		lo[k] = b->first[h[k] >> b->shift];
		hi[k] = b->first[(h[k] >> b->shift) + 1];
		if (lo[k] < hi[k])
			__builtin_prefetch(&b->probes[lo[k]]);
	}
	for (size_t k = 0; k < np; k++)
		for (size_t i = lo[k]; i < hi[k]; i++)
			if (b->probes[i].h == h[k])
				__builtin_prefetch(b->arena + b->probes[i].off);
	for (size_t k = 0; k < np; k++)
		probe_key(b, key, len, k ? k - 1 : len, h[k], lo[k], hi[k], inv,
			  kept);
}

static void set_company_key(struct inv *v, const char *name, struct crm_buf *ck)
{
	crm_buf_reset(ck);
	if (name && crm_norm_company(name, strlen(name), ck) == 0 && ck->len)
		v->company_key = crm_xstrdup(crm_buf_str(ck));
	else
		v->company_key = NULL;
}

/* hit_cmp's order for one invoice's hits: by line, exact or not, token
 * and probe. */
static bool hit_before(const struct hit *x, const struct hit *y)
{
	if (x->line != y->line)
		return x->line < y->line;
	if (x->exact != y->exact)
		return x->exact < y->exact;
	if (x->tok != y->tok)
		return x->tok < y->tok;
	return x->phase < y->phase;
}

static int hit_line_cmp(const void *a, const void *b)
{
	return hit_before(a, b) ? -1 : hit_before(b, a);
}

/* One invoice's hits h[from, n): only the first of each (line, exact)
 * in hit_cmp's order stays, as only it places the invoice in that
 * line's exact or typo candidates (cand_add keeps the first). A number
 * with a run of equal characters ("0009") reaches the same token
 * through every deletion in the run: at 100,000 lines ~300 hits a line,
 * ~50 invoices. Returns the new end. */
static size_t first_hits(struct hit *h, size_t from, size_t n)
{
	size_t k = from;

	/* insertion sort for the usual few dozen; many lines can name one
	 * invoice */
	if (n - from > 32)
		qsort(h + from, n - from, sizeof(*h), hit_line_cmp);
	for (size_t i = from + 1; n - from <= 32 && i < n; i++) {
		struct hit t = h[i];
		size_t j = i;

		for (; j > from && hit_before(&t, &h[j - 1]); j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
	for (size_t i = from; i < n; i++)
		if (i == from || h[i].line != h[k - 1].line ||
		    h[i].exact != h[k - 1].exact)
			h[k++] = h[i];
	return k;
}

/* The hits by line (a counting sort: stable, so each line's hits stay
 * in the order the invoices were read), then each line's few by token,
 * probe and invoice. One sort of all the hits by that key cost n log n
 * and an invoice's id read per comparison from all over the book. The
 * copy is made for half of the hits at a time (by lines), the hits left
 * moved down and their array shortened in between: both arrays together
 * hold 1.5 times the hits, not twice. At 100,000 lines (5.37M hits) the
 * copy was reconcile's peak; now the end of the load is (more passes:
 * the same peak). */
static void group_hits(struct book *b, size_t nlines)
{
	enum { PASSES = 2 };
	struct hit *by_line;
	size_t *next, left = b->nhits, lo = 0;

	memset(b->line_hits, 0, (nlines + 1) * sizeof(*b->line_hits));
	for (size_t h = 0; h < b->nhits; h++)
		b->line_hits[b->hits[h].line + 1]++;
	for (size_t i = 0; i < nlines; i++)
		b->line_hits[i + 1] += b->line_hits[i];
	if (!b->nhits)
		return;
	by_line = crm_xmalloc(b->nhits * sizeof(*by_line));
	next = crm_xmalloc((nlines + 1) * sizeof(*next));
	memcpy(next, b->line_hits, (nlines + 1) * sizeof(*next));
	for (size_t p = 1; p <= PASSES && left; p++) {
		size_t hi = lo,
		       want = p < PASSES ? b->nhits / PASSES * p : b->nhits,
		       k = 0;

		/* lines [lo, hi) hold this pass's hits */
		while (hi < nlines && b->line_hits[hi] < want)
			hi++;
		if (p == PASSES)
			hi = nlines;
		for (size_t h = 0; h < left; h++) {
			struct hit x = b->hits[h];

			if (x.line < hi)
				by_line[next[x.line]++] = x;
			else
				b->hits[k++] = x;
		}
		left = k;
		if (left)
			b->hits =
			    crm_xrealloc(b->hits, left * sizeof(*b->hits));
		lo = hi;
	}
	free(next);
	free(b->hits);
	b->hits = by_line;
	b->caphits = b->nhits;
	for (size_t i = 0; i < nlines; i++)
		if (b->line_hits[i + 1] - b->line_hits[i] > 1)
			qsort_r(b->hits + b->line_hits[i],
				b->line_hits[i + 1] - b->line_hits[i],
				sizeof(*b->hits), hit_cmp, b->v);
}

/* The open invoices in id order. SQLite: each invoice's allocations by
 * their index, in the stream (a join to a grouped subquery was
 * materialized whole first). PostgreSQL: that join, hashed (the
 * correlated sum ran twice an invoice, an index scan each, and its cost
 * estimate had the server compile it: 1.7 s against 0.3 s at 100,000
 * invoices). */
static const char *const book_sql[] = {
    [CRM_STORE_SQLITE] =
	"SELECT id, company_id, open, number, currency, name FROM ("
	" SELECT i.id, i.company_id, i.total - coalesce((SELECT"
	"  sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id"
	"  AND a.undone_at IS NULL), 0) AS open, i.number, i.currency,"
	"  co.name"
	" FROM invoices i JOIN companies co ON co.id = i.company_id"
	" WHERE i.kind = 'invoice') o"
	" WHERE open > 0 ORDER BY id",
    [CRM_STORE_PG] =
	"SELECT i.id, i.company_id, i.total - coalesce(a.s, 0), i.number,"
	" i.currency, co.name"
	" FROM invoices i JOIN companies co ON co.id = i.company_id"
	" LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations"
	"  WHERE undone_at IS NULL GROUP BY invoice_id) a"
	"  ON a.invoice_id = i.id"
	" WHERE i.kind = 'invoice' AND i.total - coalesce(a.s, 0) > 0"
	" ORDER BY i.id"};

/* The exact pass reads every invoice's number alone: its open amount (a
 * sum of allocations per invoice, ten times the time of the scan) is
 * read for the invoices a line names, by book_fill. */
static const char exact_sql[] =
    "SELECT id, number FROM invoices WHERE kind = 'invoice' ORDER BY id";

/* ?1: the invoices' ids (CRM_SQL_IN_IDS) */
#define FILL_SQL(in)                                                           \
	"SELECT i.id, i.company_id, i.total - coalesce((SELECT sum(a.amount)"  \
	" FROM allocations a WHERE a.invoice_id = i.id"                        \
	" AND a.undone_at IS NULL), 0), i.currency FROM invoices i"            \
	" WHERE " in("i.id", "?1")
static const char *const fill_sql[] = {
    [CRM_STORE_SQLITE] = FILL_SQL(CRM_SQL_IN_IDS_LITE),
    [CRM_STORE_PG] = FILL_SQL(CRM_SQL_IN_IDS_PG)};

static int fill_row(struct crm_stmt *st, void *arg)
{
	struct book *b = arg;
	size_t slot = slot_of(b, crm_stmt_int(st, 0));
	struct inv *v;

	if (slot == SIZE_MAX) /* not asked for */
		return 0;
	v = &b->v[slot];
	v->company = crm_stmt_int(st, 1);
	v->open = crm_stmt_int(st, 2);
	snprintf(v->cur, sizeof(v->cur), "%s", crm_stmt_text(st, 3));
	return 0;
}

#define FILL_CHUNK 1024

/* The account, currency and open amount of the invoices the exact pass
 * kept (slots [0, nexact)), a chunk of ids a query. One closed since
 * stays in the book with nothing open, as no candidate. */
static int book_fill(struct crm_db *db, struct book *b, struct crm_err *err)
{
	const char *sql = fill_sql[crm_store_engine(db->store)];
	struct crm_buf list = {0};
	int64_t ids[FILL_CHUNK];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < b->nexact; i += FILL_CHUNK) {
		size_t n = 0;

		for (; n < FILL_CHUNK && i + n < b->nexact; n++)
			ids[n] = b->v[i + n].id;
		crm_buf_reset(&list);
		crm_store_id_list(db->store, &list, ids, n);
		rc = crm_dbq_each(db, err, fill_row, b, sql, "s",
				  crm_buf_str(&list));
	}
	crm_buf_release(&list);
	return rc < 0 ? -1 : 0;
}

/* One pass over the invoices for the lines of want (the exact or the
 * typo pass, as b->typo_pass says): hits, the invoices they reach and,
 * in the typo pass, the invoices of the lines' amounts. The typo pass
 * reads the open invoices only. */
static int book_pass(struct crm_db *db, const struct crm_statement *s,
		     struct book *b, size_t maxlen, const bool *want,
		     struct crm_err *err)
{
	struct crm_stmt *st;
	size_t rows = 0;
	int rc;

	index_statement(b, s, maxlen, want);
	st = crm_db_stmt(db,
			 b->typo_pass ? book_sql[crm_store_engine(db->store)]
				      : exact_sql,
			 err);
	if (!st)
		return -1;
	while ((rc = crm_stmt_step(st, err)) > 0) {
		const char *num = crm_stmt_text(st, b->typo_pass ? 3 : 1);
		const char *cur = b->typo_pass ? crm_stmt_text(st, 4) : "";
		int64_t id = crm_stmt_int(st, 0),
			open = b->typo_pass ? crm_stmt_int(st, 2) : 0;
		char *key;
		size_t klen, slot = slot_of(b, id), first = b->nhits;
		bool kept = false;
		uint64_t ah = amount_hash(cur, open);

		if ((++rows & 0xffff) == 0 && crm_check_interrupt(err) < 0) {
			rc = -1;
			break;
		}
		__builtin_prefetch(&b->afirst[ah >> b->ashift]);
		key = norm_ref(num, strlen(num));
		klen = strlen(key);
		probe_number(b, key, klen, slot != SIZE_MAX ? slot : b->n,
			     &kept);
		free(key);
		b->nhits = first_hits(b->hits, first, b->nhits);
		if (kept && slot == SIZE_MAX) {
			struct inv *v;

			b->v =
			    crm_xgrow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
			v = &b->v[b->n];
			v->id = id;
			v->company = b->typo_pass ? crm_stmt_int(st, 1) : 0;
			v->open = open;
			v->number = crm_xstrdup(num);
			snprintf(v->cur, sizeof(v->cur), "%s", cur);
			/* read when the payer rule needs it (amt_slot): the
			 * most kept invoices are typo neighbours it never
			 * reaches */
			v->company_key = NULL;
			v->key_read = false;
			slot = b->n++;
		}
		if (b->typo_pass && has_amount(b, ah)) {
			struct amt *a;

			b->amt = crm_xgrow(b->amt, &b->capamt, b->namt + 1,
					   sizeof(*b->amt));
			a = &b->amt[b->namt++];
			a->id = id;
			a->open = open;
			a->slot = slot;
			snprintf(a->cur, sizeof(a->cur), "%s", cur);
		}
	}
	crm_stmt_finalize(st);
	/* the index has served: freed before the hits are grouped, the
	 * peak of a long statement */
	free(b->probes);
	b->probes = NULL;
	b->capprobes = 0;
	free(b->arena);
	b->arena = NULL;
	b->caparena = 0;
	if (rc < 0)
		return -1;
	group_hits(b, s->n);
	return 0;
}

/* A kept invoice by the hash of its currency and open amount (as
 * loaded). */
struct by_amount {
	uint64_t h;
	size_t inv;
};

static int by_amount_cmp(const void *a, const void *b)
{
	const struct by_amount *x = a, *y = b;

	return (x->h > y->h) - (x->h < y->h);
}

/* Whether line i's hit on invoice x can settle it: open, in the line's
 * currency. */
static bool hit_counts(const struct book *b, const struct crm_statement *s,
		       size_t i, size_t x)
{
	return b->v[x].open > 0 && !strcmp(b->v[x].cur, s->v[i].currency);
}

/* The lines the typo pass is for: those not applied before that name no
 * open invoice of their currency, and, as a line reaches its typo
 * candidates and amounts once every invoice it names is settled, those
 * naming one that another line can settle: one that another line names
 * too (only a line naming it settles part of it), or one of the amount
 * of a line already chosen (a typo settles only an invoice of the
 * line's amount). The exact pass kept every named invoice, so this needs
 * no pass over the ledger. A worklist: each chosen line marks the
 * invoices of its amount (each amount once), and each marked invoice
 * chooses the lines naming it, so every hit and invoice is seen once; a
 * chain of lines, each settling what the next names, took a pass over
 * every line per link (16,000 lines: 7 s). */
static size_t typo_lines(struct book *b, const struct crm_statement *s,
			 bool *want)
{
	unsigned char *names = crm_xcalloc(b->n + 1, 1);
	bool *in = crm_xcalloc(s->n + 1, sizeof(*in));
	size_t *queue = crm_xcalloc(s->n + 1, sizeof(*queue));
	/* the lines naming invoice x: by_line[at[x] .. at[x + 1]) */
	size_t *at = crm_xcalloc(b->n + 2, sizeof(*at));
	size_t *by_line = crm_xcalloc(b->nhits + 1, sizeof(*by_line));
	struct by_amount *amt = crm_xcalloc(b->n + 1, sizeof(*amt));
	bool *amt_done = crm_xcalloc(b->n + 1, sizeof(*amt_done));
	size_t nin = 0, head = 0;

	for (size_t h = 0; h < b->nhits; h++)
		if (names[b->hits[h].inv] < 2)
			names[b->hits[h].inv]++;
	for (size_t i = 0; i < s->n; i++)
		for (size_t h = b->line_hits[i];
		     want[i] && h < b->line_hits[i + 1]; h++)
			if (hit_counts(b, s, i, b->hits[h].inv))
				at[b->hits[h].inv + 2]++;
	for (size_t x = 0; x < b->n; x++)
		at[x + 2] += at[x + 1];
	for (size_t i = 0; i < s->n; i++) {
		bool named = false, risk = false;

		for (size_t h = b->line_hits[i];
		     want[i] && h < b->line_hits[i + 1]; h++) {
			size_t x = b->hits[h].inv;

			if (!hit_counts(b, s, i, x))
				continue;
			by_line[at[x + 1]++] = i;
			named = true;
			risk = risk || names[x] > 1;
		}
		if (want[i] && (!named || risk)) {
			in[i] = true;
			queue[nin++] = i;
		}
	}
	for (size_t x = 0; x < b->n; x++)
		amt[x] = (struct by_amount){
		    amount_hash(b->v[x].cur, b->v[x].open), x};
	qsort(amt, b->n, sizeof(*amt), by_amount_cmp);
	while (head < nin) {
		size_t i = queue[head++], lo = 0, hi = b->n;
		uint64_t k = amount_hash(s->v[i].currency, s->v[i].amount);

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (amt[mid].h < k)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == b->n || amt[lo].h != k || amt_done[lo])
			continue;
		amt_done[lo] = true;
		for (; lo < b->n && amt[lo].h == k; lo++) {
			size_t x = amt[lo].inv;

			for (size_t l = at[x]; l < at[x + 1]; l++)
				if (!in[by_line[l]]) {
					in[by_line[l]] = true;
					queue[nin++] = by_line[l];
				}
		}
	}
	memcpy(want, in, (s->n + 1) * sizeof(*want));
	free(names);
	free(in);
	free(queue);
	free(at);
	free(by_line);
	free(amt);
	free(amt_done);
	return nin;
}

/* The exact pass over the lines not applied before, then the typo pass
 * over typo_lines'. */
static int book_load(struct crm_db *db, const struct crm_statement *s,
		     const struct seen *w, struct book *b, struct crm_err *err)
{
	int64_t maxlen;
	bool *want;
	int rc;

	if (s->n > INT32_MAX) /* a hit's line has 31 bits */
		return crm_err_set(err, CRM_EX_DATAERR,
				   "a statement of more than %d lines",
				   INT32_MAX);
	maxlen = crm_db_int(db,
			    "SELECT coalesce(max(length(number)), 0)"
			    " FROM invoices WHERE kind = 'invoice'",
			    NULL, NULL, err);
	if (maxlen < 0)
		return -1;
	b->line_hits = crm_xcalloc(s->n + 1, sizeof(*b->line_hits));
	b->full = crm_xcalloc(s->n + 1, sizeof(*b->full));
	want = crm_xcalloc(s->n + 1, sizeof(*want));
	for (size_t i = 0; i < s->n; i++)
		want[i] = !w->paid[w->grp[i]];
	b->typo_pass = false;
	rc = book_pass(db, s, b, (size_t)maxlen, want, err);
	b->nexact = b->n;
	if (rc == 0)
		rc = book_fill(db, b, err);
	if (rc == 0 && typo_lines(b, s, want)) {
		b->typo_pass = true;
		rc = book_pass(db, s, b, (size_t)maxlen, want, err);
		memcpy(b->full, want, (s->n + 1) * sizeof(*want));
		if (rc == 0 && b->namt)
			qsort(b->amt, b->namt, sizeof(*b->amt), amt_cmp);
	}
	free(want);
	return rc;
}

/* Invoice id's row (company_id, number, company name) in b->by_id. */
static int read_by_id(struct crm_db *db, struct book *b, int64_t id,
		      struct crm_err *err)
{
	int rc;

	if (!b->by_id) {
		b->by_id = crm_db_stmt(
		    db,
		    "SELECT i.company_id, i.number, co.name FROM invoices i"
		    " JOIN companies co ON co.id = i.company_id"
		    " WHERE i.id = ?1",
		    err);
		if (!b->by_id)
			return -1;
	}
	crm_stmt_reset(b->by_id);
	crm_stmt_bind_int(b->by_id, 1, id);
	rc = crm_stmt_step(b->by_id, err);
	if (rc == 0)
		crm_err_set(err, CRM_EX_SOFTWARE,
			    "invoice %lld: gone while reconciling",
			    (long long)id);
	return rc > 0 ? 0 : -1;
}

/* The slot of amount entry a, its number and company read by id when
 * no token reached it; the company's key (only the payer rule reads
 * it) read by id for an invoice a token reached. */
static int amt_slot(struct crm_db *db, struct book *b, struct amt *a,
		    size_t *slot, struct crm_err *err)
{
	struct crm_buf ck = {0};
	struct inv *v;

	if (a->slot != SIZE_MAX && b->v[a->slot].key_read) {
		*slot = a->slot;
		return 0;
	}
	if (read_by_id(db, b, a->id, err) < 0)
		return -1;
	if (a->slot != SIZE_MAX) {
		v = &b->v[a->slot];
	} else {
		b->v = crm_xgrow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
		v = &b->v[b->n];
		v->id = a->id;
		v->company = crm_stmt_int(b->by_id, 0);
		v->open = a->open;
		v->number = crm_xstrdup(crm_stmt_text(b->by_id, 1));
		memcpy(v->cur, a->cur, sizeof(v->cur));
		a->slot = b->n++;
	}
	set_company_key(v, crm_stmt_text(b->by_id, 2), &ck);
	v->key_read = true;
	crm_buf_release(&ck);
	crm_stmt_reset(b->by_id);
	*slot = a->slot;
	return 0;
}

struct cands {
	size_t *v;
	size_t n, cap;
};

static void cand_add(struct cands *c, size_t i)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->v[k] == i)
			return;
	c->v = crm_xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = i;
}

/* The tokens of a remittance text: runs of letters, digits and '-', and
 * each two neighbours joined ("INV 000123"). */
static void tokens(const char *s, struct crm_strv *out)
{
	struct crm_strv raw = {0};
	const char *p = s;

	while (p && *p) {
		size_t n = 0;

		while (*p &&
		       !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			 (*p >= '0' && *p <= '9')))
			p++;
		while (p[n] && ((p[n] >= 'A' && p[n] <= 'Z') ||
				(p[n] >= 'a' && p[n] <= 'z') ||
				(p[n] >= '0' && p[n] <= '9') || p[n] == '-' ||
				p[n] == '/' || p[n] == '_'))
			n++;
		if (n) {
			char *t = norm_ref(p, n);

			crm_strv_push(&raw, t);
			free(t);
		}
		p += n;
	}
	for (size_t i = 0; i < raw.n; i++) {
		crm_strv_push(out, raw.v[i]);
		if (i + 1 < raw.n) {
			char *j = crm_xasprintf("%s%s", raw.v[i], raw.v[i + 1]);

			crm_strv_push(out, j);
			free(j);
		}
	}
	crm_strv_release(&raw);
}

static bool payer_matches(const struct inv *v, const char *payer)
{
	struct crm_buf k = {0};
	bool ok = false;

	if (!payer || !v->company_key)
		return false;
	if (crm_norm_company(payer, strlen(payer), &k) == 0 && k.len)
		ok = strstr(crm_buf_str(&k), v->company_key) ||
		     strstr(v->company_key, crm_buf_str(&k));
	crm_buf_release(&k);
	return ok;
}

const char *const crm_reconcile_columns[] = {
    "ref", "date",     "amount", "currency",   "payer",	     "text", "status",
    "how", "invoices", "credit", "candidates", "payment_id", NULL};

struct decision {
	const char *status, *how;
	struct cands chosen;	/* invoices settled */
	int64_t alloc[64];	/* what each gets */
	struct cands shortlist; /* for a person, when ambiguous */
	int64_t rest;
};

/* Drop the candidates in another currency than cur or with nothing open:
 * other currencies never match. */
static void keep_open(const struct book *b, struct cands *c, const char *cur)
{
	for (size_t i = 0; i < c->n;)
		if (strcmp(b->v[c->v[i]].cur, cur) || b->v[c->v[i]].open <= 0)
			c->v[i] = c->v[--c->n];
		else
			i++;
}

/* d settles invoice slot with the whole amount. */
static void match_one(struct decision *d, const char *how, size_t slot,
		      int64_t amount)
{
	d->status = "matched";
	d->how = how;
	d->alloc[0] = amount;
	cand_add(&d->chosen, slot);
}

/* d is ambiguous: the candidates c go to a person. */
static void ambiguous(struct decision *d, const char *how,
		      const struct cands *c)
{
	d->status = "ambiguous";
	d->how = how;
	for (size_t i = 0; i < c->n; i++)
		cand_add(&d->shortlist, c->v[i]);
}

/* Line's decision in d: 0, or 1 when no open invoice of its currency is
 * named and its typo pass has not run (d says nothing then), or -1. */
static int decide(struct crm_db *db, struct book *b, size_t line,
		  const struct crm_bank_line *l, struct decision *d,
		  struct crm_err *err)
{
	struct cands exact = {0}, typo = {0};
	__int128 sum = 0;
	int64_t company = -1;
	int rc = 0;

	d->status = "unmatched";
	d->how = NULL;
	/* in the order a lookup token by token would find them */
	for (size_t i = b->line_hits[line]; i < b->line_hits[line + 1]; i++)
		cand_add(b->hits[i].exact ? &exact : &typo, b->hits[i].inv);
	keep_open(b, &exact, l->currency);
	keep_open(b, &typo, l->currency);
	if (!exact.n && !b->full[line]) {
		rc = 1; /* its typo pass is still to come */
		goto out;
	}
	if (exact.n) {
		for (size_t i = 0; i < exact.n; i++) {
			const struct inv *v = &b->v[exact.v[i]];

			sum += v->open;
			if (company >= 0 && v->company != company)
				company = -2;
			if (company != -2)
				company = v->company;
		}
		if (company == -2 || exact.n > 64) {
			ambiguous(d, "references of several accounts", &exact);
		} else if (sum <= l->amount) {
			d->status = "matched";
			d->how = sum == l->amount ? "reference"
						  : "reference, overpaid";
			for (size_t i = 0; i < exact.n; i++) {
				d->alloc[d->chosen.n] = b->v[exact.v[i]].open;
				cand_add(&d->chosen, exact.v[i]);
			}
			d->rest = l->amount - (int64_t)sum;
		} else if (exact.n == 1) {
			match_one(d, "reference, partial", exact.v[0],
				  l->amount);
		} else {
			ambiguous(d, "less than the invoices referenced",
				  &exact);
		}
		goto out;
	}
	if (typo.n) {
		size_t hit = 0, n = 0;

		for (size_t i = 0; i < typo.n; i++)
			if (b->v[typo.v[i]].open == l->amount) {
				hit = typo.v[i];
				n++;
			}
		if (n == 1)
			match_one(d, "reference with a typo, amount", hit,
				  l->amount);
		else
			ambiguous(d, "reference with a typo", &typo);
		goto out;
	}
	/* amount and payer */
	{
		size_t lo = 0, hi = b->namt, payer_hit = 0, npayer = 0,
		       nsame = 0;

		/* by the open amounts as loaded; one an earlier line
		 * settled or part paid is no longer of this amount */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const struct amt *a = &b->amt[mid];
			int c = strcmp(a->cur, l->currency);

			if (c < 0 || (c == 0 && a->open < l->amount))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < b->namt; i++) {
			struct amt *a = &b->amt[i];
			const struct inv *v;
			size_t slot;

			if (strcmp(a->cur, l->currency) || a->open != l->amount)
				break;
			if (a->slot != SIZE_MAX &&
			    b->v[a->slot].open != l->amount)
				continue;
			if (amt_slot(db, b, a, &slot, err) < 0) {
				rc = -1;
				goto out;
			}
			v = &b->v[slot];
			if (v->open <= 0)
				continue;
			nsame++;
			if (nsame <= 20)
				cand_add(&d->shortlist, slot);
			if (payer_matches(v, l->payer)) {
				payer_hit = slot;
				npayer++;
			}
		}
		if (npayer == 1) {
			match_one(d, "amount and payer", payer_hit, l->amount);
			d->shortlist.n = 0;
		} else if (nsame) {
			d->status = "ambiguous";
			d->how = npayer ? "amount and payer, several invoices"
					: "amount only";
		}
	}
out:
	free(exact.v);
	free(typo.v);
	return rc;
}

static void join_numbers(const struct book *b, const struct cands *c,
			 struct crm_buf *out)
{
	crm_buf_reset(out);
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			crm_buf_addc(out, ' ');
		crm_buf_adds(out, b->v[c->v[i]].number);
	}
}

static void seen_release(struct seen *w)
{
	free(w->order);
	free(w->grp);
	free(w->gline);
	free(w->paid);
}

static int seen_cmp(const void *a, const void *b, void *arg)
{
	const struct crm_statement *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(s->v[x].ref, s->v[y].ref);

	return c ? c : (x > y) - (x < y);
}

/* Append s as a JSON string. */
static void json_str(struct crm_buf *b, const char *s)
{
	crm_buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			crm_buf_addc(b, '\\');
			crm_buf_addc(b, (char)c);
		} else if (c < 0x20) {
			crm_buf_addf(b, "\\u%04x", c);
		} else {
			crm_buf_addc(b, (char)c);
		}
	}
	crm_buf_addc(b, '"');
}

static int seen_row(struct crm_stmt *st, void *arg)
{
	struct seen *w = arg;
	const char *ref = crm_stmt_text(st, 0);
	size_t lo = 0, hi = w->ngrp;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->s->v[w->gline[mid]].ref, ref);

		if (c == 0) {
			w->paid[mid] = true;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ?1: a JSON array of references */
static const char *const seen_sql[] = {
    [CRM_STORE_SQLITE] = "SELECT statement_ref FROM payments WHERE"
			 " statement_ref IN (SELECT value FROM json_each(?1))",
    [CRM_STORE_PG] = "SELECT statement_ref FROM payments WHERE statement_ref"
		     " IN (SELECT json_array_elements_text(CAST(?1 AS json)))"};

#define SEEN_CHUNK 512

static int seen_load(struct crm_db *db, const struct crm_statement *s,
		     struct seen *w, struct crm_err *err)
{
	const char *sql = seen_sql[crm_store_engine(db->store)];
	struct crm_buf list = {0};
	int rc = 0;

	w->s = s;
	w->order = crm_xcalloc(s->n + 1, sizeof(*w->order));
	w->grp = crm_xcalloc(s->n + 1, sizeof(*w->grp));
	w->gline = crm_xcalloc(s->n + 1, sizeof(*w->gline));
	w->paid = crm_xcalloc(s->n + 1, sizeof(*w->paid));
	for (size_t i = 0; i < s->n; i++)
		w->order[i] = i;
	qsort_r(w->order, s->n, sizeof(*w->order), seen_cmp, (void *)s);
	for (size_t k = 0; k < s->n; k++) {
		size_t i = w->order[k];

		if (!w->ngrp ||
		    strcmp(s->v[w->gline[w->ngrp - 1]].ref, s->v[i].ref))
			w->gline[w->ngrp++] = i;
		w->grp[i] = w->ngrp - 1;
	}
	for (size_t g = 0; rc == 0 && g < w->ngrp; g += SEEN_CHUNK) {
		crm_buf_reset(&list);
		crm_buf_addc(&list, '[');
		for (size_t k = g; k < w->ngrp && k < g + SEEN_CHUNK; k++) {
			if (k > g)
				crm_buf_addc(&list, ',');
			json_str(&list, s->v[w->gline[k]].ref);
		}
		crm_buf_addc(&list, ']');
		rc = crm_dbq_each(db, err, seen_row, w, sql, "s",
				  crm_buf_str(&list));
	}
	crm_buf_release(&list);
	return rc < 0 ? -1 : 0;
}

int crm_reconcile(struct crm_db *db, const struct crm_statement *s, bool apply,
		  int (*fn)(const struct crm_rec *rec, void *arg), void *arg,
		  struct crm_reconcile_stats *st, struct crm_err *err)
{
	struct book b = {0};
	struct crm_buf nums = {0};
	struct crm_rec rec;
	struct seen w = {0};
	int64_t first_pid = 0;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (seen_load(db, s, &w, err) < 0 ||
	    book_load(db, s, &w, &b, err) < 0) {
		seen_release(&w);
		book_release(&b);
		return -1;
	}
	crm_rec_init(&rec);
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		const struct crm_bank_line *l = &s->v[i];
		struct decision d = {0};
		int64_t pid = 0;
		char buf[32];

		if (crm_check_interrupt(err) < 0) {
			rc = -1;
			break;
		}
		if (w.paid[w.grp[i]]) {
			d.status = "applied_before";
			st->already++;
		} else {
			rc = decide(db, &b, i, l, &d, err);
			if (rc == 1) /* book_load's closure is wrong */
				rc = crm_err_set(err, CRM_EX_SOFTWARE,
						 "entry %s: its typo candidates"
						 " were not loaded",
						 l->ref);
			if (rc < 0) {
				free(d.chosen.v);
				free(d.shortlist.v);
				break;
			}
			if (!strcmp(d.status, "matched"))
				st->matched++;
			else if (!strcmp(d.status, "ambiguous"))
				st->ambiguous++;
			else
				st->unmatched++;
		}
		if (apply && !strcmp(d.status, "matched")) {
			struct crm_payment_new p = {
			    .company_id = b.v[d.chosen.v[0]].company,
			    .date = l->date,
			    .amount = l->amount,
			    .currency = l->currency,
			    .payer = l->payer,
			    .method = "transfer",
			    .external_ref = l->text,
			    .statement_ref = l->ref};

			int64_t ids[64];

			for (size_t k = 0; k < d.chosen.n; k++) {
				struct inv *v = &b.v[d.chosen.v[k]];

				ids[k] = v->id;
				v->open -= d.alloc[k];
			}
			/* the book holds what crm_allocate would read
			 * again; checked once at the end */
			rc = crm_payment_settle(db, &p, ids, d.alloc,
						d.chosen.n, &pid, err);
			w.paid[w.grp[i]] = true;
			if (!first_pid)
				first_pid = pid;
			if (rc < 0) {
				char m[sizeof(err->msg)];

				snprintf(m, sizeof(m), "%s", err->msg);
				crm_err_set(err, err->code, "entry %s: %s",
					    l->ref, m);
			}
		} else if (!strcmp(d.status, "matched")) {
			/* a proposal: later lines see what it would settle */
			for (size_t k = 0; k < d.chosen.n; k++)
				b.v[d.chosen.v[k]].open -= d.alloc[k];
		}
		if (rc == 0) {
			crm_rec_clear(&rec);
			crm_rec_adds(&rec, "ref", l->ref);
			crm_rec_adds(&rec, "date", l->date);
			crm_money_format(l->amount, l->currency, buf);
			crm_rec_add(&rec, "amount", 6, buf, strlen(buf),
				    CRM_RAW);
			crm_rec_adds(&rec, "currency", l->currency);
			crm_rec_adds(&rec, "payer", l->payer);
			crm_rec_adds(&rec, "text", l->text);
			crm_rec_adds(&rec, "status", d.status);
			crm_rec_adds(&rec, "how", d.how);
			join_numbers(&b, &d.chosen, &nums);
			crm_rec_adds(&rec, "invoices",
				     nums.len ? crm_buf_str(&nums) : NULL);
			if (d.rest) {
				crm_money_format(d.rest, l->currency, buf);
				crm_rec_add(&rec, "credit", 6, buf, strlen(buf),
					    CRM_RAW);
			} else {
				crm_rec_add(&rec, "credit", 6, NULL, 0,
					    CRM_NULL);
			}
			join_numbers(&b, &d.shortlist, &nums);
			crm_rec_adds(&rec, "candidates",
				     nums.len ? crm_buf_str(&nums) : NULL);
			if (pid) {
				crm_fmt_int(buf, pid);
				crm_rec_add(&rec, "payment_id", 10, buf,
					    strlen(buf), CRM_RAW);
			} else {
				crm_rec_add(&rec, "payment_id", 10, NULL, 0,
					    CRM_NULL);
			}
			if (fn(&rec, arg) < 0) {
				if (!err->code)
					crm_err_set(err, CRM_EX_IOERR,
						    "write error: %s",
						    strerror(errno));
				rc = -1;
			}
		}
		free(d.chosen.v);
		free(d.shortlist.v);
	}
	if (rc == 0 && first_pid)
		rc = crm_payments_settled_check(db, first_pid, err);
	crm_rec_release(&rec);
	crm_buf_release(&nums);
	seen_release(&w);
	book_release(&b);
	return rc;
}
