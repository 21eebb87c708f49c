/* mime.c - email messages in and out through GMime 3 (RFC 5322, MIME,
 * RFC 2047 headers); HTML bodies made readable with libxml2's HTML parser
 * (it reads tag soup as browsers do, and is parsed without network access
 * or entity expansion); charsets converted with iconv. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <utf8proc.h>

#include "dl.h"
#include "mime.h"

/* GMime (with GLib) and libxml2 are loaded at the first message parsed or
 * built, not at every start (dl.h): these are the symbols this file uses,
 * called by their usual names through the tables. */
#define GM_SYMS(X)                                                             \
	X(g_date_time_new_from_unix_utc)                                       \
	X(g_date_time_to_unix)                                                 \
	X(g_date_time_unref)                                                   \
	X(g_free)                                                              \
	X(g_mime_content_type_get_mime_type)                                   \
	X(g_mime_content_type_is_type)                                         \
	X(g_mime_data_wrapper_write_to_stream)                                 \
	X(g_mime_format_options_free)                                          \
	X(g_mime_format_options_new)                                           \
	X(g_mime_format_options_set_newline_format)                            \
	X(g_mime_init)                                                         \
	X(g_mime_message_add_mailbox)                                          \
	X(g_mime_message_get_addresses)                                        \
	X(g_mime_message_get_date)                                             \
	X(g_mime_message_get_from)                                             \
	X(g_mime_message_get_message_id)                                       \
	X(g_mime_message_get_mime_part)                                        \
	X(g_mime_message_get_subject)                                          \
	X(g_mime_message_new)                                                  \
	X(g_mime_message_part_get_type)                                        \
	X(g_mime_message_set_date)                                             \
	X(g_mime_message_set_message_id)                                       \
	X(g_mime_message_set_mime_part)                                        \
	X(g_mime_message_set_subject)                                          \
	X(g_mime_multipart_add)                                                \
	X(g_mime_multipart_get_count)                                          \
	X(g_mime_multipart_get_part)                                           \
	X(g_mime_multipart_get_type)                                           \
	X(g_mime_multipart_new_with_subtype)                                   \
	X(g_mime_object_get_content_type)                                      \
	X(g_mime_object_get_content_type_parameter)                            \
	X(g_mime_object_get_header)                                            \
	X(g_mime_object_get_type)                                              \
	X(g_mime_object_set_header)                                            \
	X(g_mime_object_to_string)                                             \
	X(g_mime_parser_construct_message)                                     \
	X(g_mime_parser_new_with_stream)                                       \
	X(g_mime_part_get_content)                                             \
	X(g_mime_part_get_filename)                                            \
	X(g_mime_part_get_type)                                                \
	X(g_mime_part_is_attachment)                                           \
	X(g_mime_part_set_content_encoding)                                    \
	X(g_mime_references_free)                                              \
	X(g_mime_references_get_message_id)                                    \
	X(g_mime_references_length)                                            \
	X(g_mime_references_parse)                                             \
	X(g_mime_stream_mem_get_byte_array)                                    \
	X(g_mime_stream_mem_get_type)                                          \
	X(g_mime_stream_mem_new)                                               \
	X(g_mime_stream_mem_new_with_buffer)                                   \
	X(g_mime_text_part_new_with_subtype)                                   \
	X(g_mime_text_part_set_text)                                           \
	X(g_object_unref)                                                      \
	X(g_type_check_instance_cast)                                          \
	X(g_type_check_instance_is_a)                                          \
	X(internet_address_get_name)                                           \
	X(internet_address_list_append)                                        \
	X(internet_address_list_get_address)                                   \
	X(internet_address_list_length)                                        \
	X(internet_address_list_parse)                                         \
	X(internet_address_mailbox_get_addr)                                   \
	X(internet_address_mailbox_get_type)
#define XML_SYMS(X)                                                            \
	X(htmlReadMemory)                                                      \
	X(xmlDocGetRootElement)                                                \
	X(xmlFree)                                                             \
	X(xmlFreeDoc)                                                          \
	X(xmlGetProp)
CRM_DL_TABLE(gm, GM_SYMS)
CRM_DL_TABLE(xml, XML_SYMS)
static struct crm_dl gm_dl = CRM_DL_INIT(
    gm, "libgmime-3.0.so.0", "CRM_LIBGMIME", "email", "libgmime-3.0-0");
static struct crm_dl xml_dl =
    CRM_DL_INIT(xml, "libxml2.so.2", "CRM_LIBXML2", "email", "libxml2");
#define g_date_time_new_from_unix_utc                                          \
	CRM_DL_CALL(gm, g_date_time_new_from_unix_utc)
#define g_date_time_to_unix CRM_DL_CALL(gm, g_date_time_to_unix)
#define g_date_time_unref CRM_DL_CALL(gm, g_date_time_unref)
#define g_free CRM_DL_CALL(gm, g_free)
#define g_mime_content_type_get_mime_type                                      \
	CRM_DL_CALL(gm, g_mime_content_type_get_mime_type)
#define g_mime_content_type_is_type CRM_DL_CALL(gm, g_mime_content_type_is_type)
#define g_mime_data_wrapper_write_to_stream                                    \
	CRM_DL_CALL(gm, g_mime_data_wrapper_write_to_stream)
#define g_mime_format_options_free CRM_DL_CALL(gm, g_mime_format_options_free)
#define g_mime_format_options_new CRM_DL_CALL(gm, g_mime_format_options_new)
#define g_mime_format_options_set_newline_format                               \
	CRM_DL_CALL(gm, g_mime_format_options_set_newline_format)
#define g_mime_init CRM_DL_CALL(gm, g_mime_init)
#define g_mime_message_add_mailbox CRM_DL_CALL(gm, g_mime_message_add_mailbox)
#define g_mime_message_get_addresses                                           \
	CRM_DL_CALL(gm, g_mime_message_get_addresses)
#define g_mime_message_get_date CRM_DL_CALL(gm, g_mime_message_get_date)
#define g_mime_message_get_from CRM_DL_CALL(gm, g_mime_message_get_from)
#define g_mime_message_get_message_id                                          \
	CRM_DL_CALL(gm, g_mime_message_get_message_id)
#define g_mime_message_get_mime_part                                           \
	CRM_DL_CALL(gm, g_mime_message_get_mime_part)
#define g_mime_message_get_subject CRM_DL_CALL(gm, g_mime_message_get_subject)
#define g_mime_message_new CRM_DL_CALL(gm, g_mime_message_new)
#define g_mime_message_part_get_type                                           \
	CRM_DL_CALL(gm, g_mime_message_part_get_type)
#define g_mime_message_set_date CRM_DL_CALL(gm, g_mime_message_set_date)
#define g_mime_message_set_message_id                                          \
	CRM_DL_CALL(gm, g_mime_message_set_message_id)
#define g_mime_message_set_mime_part                                           \
	CRM_DL_CALL(gm, g_mime_message_set_mime_part)
#define g_mime_message_set_subject CRM_DL_CALL(gm, g_mime_message_set_subject)
#define g_mime_multipart_add CRM_DL_CALL(gm, g_mime_multipart_add)
#define g_mime_multipart_get_count CRM_DL_CALL(gm, g_mime_multipart_get_count)
#define g_mime_multipart_get_part CRM_DL_CALL(gm, g_mime_multipart_get_part)
#define g_mime_multipart_get_type CRM_DL_CALL(gm, g_mime_multipart_get_type)
#define g_mime_multipart_new_with_subtype                                      \
	CRM_DL_CALL(gm, g_mime_multipart_new_with_subtype)
#define g_mime_object_get_content_type                                         \
	CRM_DL_CALL(gm, g_mime_object_get_content_type)
#define g_mime_object_get_content_type_parameter                               \
	CRM_DL_CALL(gm, g_mime_object_get_content_type_parameter)
#define g_mime_object_get_header CRM_DL_CALL(gm, g_mime_object_get_header)
#define g_mime_object_get_type CRM_DL_CALL(gm, g_mime_object_get_type)
#define g_mime_object_set_header CRM_DL_CALL(gm, g_mime_object_set_header)
#define g_mime_object_to_string CRM_DL_CALL(gm, g_mime_object_to_string)
#define g_mime_parser_construct_message                                        \
	CRM_DL_CALL(gm, g_mime_parser_construct_message)
#define g_mime_parser_new_with_stream                                          \
	CRM_DL_CALL(gm, g_mime_parser_new_with_stream)
#define g_mime_part_get_content CRM_DL_CALL(gm, g_mime_part_get_content)
#define g_mime_part_get_filename CRM_DL_CALL(gm, g_mime_part_get_filename)
#define g_mime_part_get_type CRM_DL_CALL(gm, g_mime_part_get_type)
#define g_mime_part_is_attachment CRM_DL_CALL(gm, g_mime_part_is_attachment)
#define g_mime_part_set_content_encoding                                       \
	CRM_DL_CALL(gm, g_mime_part_set_content_encoding)
#define g_mime_references_free CRM_DL_CALL(gm, g_mime_references_free)
#define g_mime_references_get_message_id                                       \
	CRM_DL_CALL(gm, g_mime_references_get_message_id)
#define g_mime_references_length CRM_DL_CALL(gm, g_mime_references_length)
#define g_mime_references_parse CRM_DL_CALL(gm, g_mime_references_parse)
#define g_mime_stream_mem_get_byte_array                                       \
	CRM_DL_CALL(gm, g_mime_stream_mem_get_byte_array)
#define g_mime_stream_mem_get_type CRM_DL_CALL(gm, g_mime_stream_mem_get_type)
#define g_mime_stream_mem_new CRM_DL_CALL(gm, g_mime_stream_mem_new)
#define g_mime_stream_mem_new_with_buffer                                      \
	CRM_DL_CALL(gm, g_mime_stream_mem_new_with_buffer)
#define g_mime_text_part_new_with_subtype                                      \
	CRM_DL_CALL(gm, g_mime_text_part_new_with_subtype)
#define g_mime_text_part_set_text CRM_DL_CALL(gm, g_mime_text_part_set_text)
#define g_object_unref CRM_DL_CALL(gm, g_object_unref)
#define g_type_check_instance_cast CRM_DL_CALL(gm, g_type_check_instance_cast)
#define g_type_check_instance_is_a CRM_DL_CALL(gm, g_type_check_instance_is_a)
#define internet_address_get_name CRM_DL_CALL(gm, internet_address_get_name)
#define internet_address_list_append                                           \
	CRM_DL_CALL(gm, internet_address_list_append)
#define internet_address_list_get_address                                      \
	CRM_DL_CALL(gm, internet_address_list_get_address)
#define internet_address_list_length                                           \
	CRM_DL_CALL(gm, internet_address_list_length)
#define internet_address_list_parse CRM_DL_CALL(gm, internet_address_list_parse)
#define internet_address_mailbox_get_addr                                      \
	CRM_DL_CALL(gm, internet_address_mailbox_get_addr)
#define internet_address_mailbox_get_type                                      \
	CRM_DL_CALL(gm, internet_address_mailbox_get_type)
#define htmlReadMemory CRM_DL_CALL(xml, htmlReadMemory)
#define xmlDocGetRootElement CRM_DL_CALL(xml, xmlDocGetRootElement)
#define xmlFree CRM_DL_CALL(xml, xmlFree)
#define xmlFreeDoc CRM_DL_CALL(xml, xmlFreeDoc)
#define xmlGetProp CRM_DL_CALL(xml, xmlGetProp)

/* Load GMime and libxml2 and initialize GMime, once. */
static int mime_load(struct crm_err *err)
{
	static bool done;

	if (crm_dl_load(&gm_dl, err) < 0 || crm_dl_load(&xml_dl, err) < 0)
		return -1;
	if (!done) {
		g_mime_init();
		done = true;
	}
	return 0;
}

/* -- charsets -------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence at s (utf8proc: no
 * overlong forms, surrogates or code points past U+10FFFF), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &cp);

	return k > 0 ? (size_t)k : 0;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if (s[i] < 0x80)
			k = 1;
		else if (!(k = utf8_seq(s + i, n - i)))
			return false;
	return true;
}

/* Copy s to out, each byte that starts no well-formed sequence as U+FFFD:
 * glibc's iconv passes five- and six-byte forms through "UTF-8". */
static void repair_utf8(const unsigned char *s, size_t n, struct crm_buf *out)
{
	for (size_t i = 0, k; i < n; i += k) {
		k = s[i] < 0x80 ? 1 : utf8_seq(s + i, n - i);
		if (k)
			crm_buf_add(out, (const char *)s + i, k);
		else {
			crm_buf_adds(out, "\xef\xbf\xbd");
			k = 1;
		}
	}
}

/* The iconv name for a charset label mail uses. */
static const char *iconv_name(const char *cs)
{
	static const struct {
		const char *label, *name;
	} map[] = {
	    {"gb2312", "GB18030"},	 {"gbk", "GB18030"},
	    {"x-gbk", "GB18030"},	 {"cp936", "GB18030"},
	    {"euc-cn", "GB18030"},	 {"big5", "BIG5-HKSCS"},
	    {"ks_c_5601-1987", "CP949"}, {"us-ascii", "UTF-8"},
	    {"ascii", "UTF-8"},		 {"iso-8859-1", "WINDOWS-1252"},
	    {"latin1", "WINDOWS-1252"},	 {"x-unknown", NULL},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(cs, map[i].label))
			return map[i].name;
	return cs;
}

char *crm_mail_to_utf8(const char *bytes, size_t len, const char *charset)
{
	const char *name = charset ? iconv_name(charset) : NULL;
	struct crm_buf out = {0};
	iconv_t cd;
	char *in = (char *)bytes;
	size_t left = len;

	if (!name && valid_utf8((const unsigned char *)bytes, len))
		name = "UTF-8";
	if (name && !strcasecmp(name, "UTF-8")) {
		repair_utf8((const unsigned char *)bytes, len, &out);
		crm_buf_addc(&out, '\0');
		return crm_buf_detach(&out);
	}
	cd = iconv_open("UTF-8", name ? name : "WINDOWS-1252");
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1) {
		repair_utf8((const unsigned char *)bytes, len, &out);
		crm_buf_addc(&out, '\0');
		return crm_buf_detach(&out);
	}
	while (left) {
		char tmp[4096], *o = tmp;
		size_t room = sizeof(tmp);
		size_t r = iconv(cd, &in, &left, &o, &room);

		crm_buf_add(&out, tmp, (size_t)(o - tmp));
		if (r == (size_t)-1 && errno == E2BIG)
			continue;
		if (r == (size_t)-1) { /* EILSEQ, EINVAL: skip one byte */
			crm_buf_adds(&out, "\xef\xbf\xbd");
			in++;
			left--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	{ /* flush a stateful encoding (ISO-2022-JP) */
		char tmp[64], *o = tmp;
		size_t room = sizeof(tmp);

		iconv(cd, NULL, NULL, &o, &room);
		crm_buf_add(&out, tmp, (size_t)(o - tmp));
	}
	iconv_close(cd);
	if (!valid_utf8((const unsigned char *)crm_buf_str(&out), out.len)) {
		struct crm_buf fixed = {0};

		repair_utf8((const unsigned char *)crm_buf_str(&out), out.len,
			    &fixed);
		crm_buf_release(&out);
		out = fixed;
	}
	crm_buf_addc(&out, '\0');
	return crm_buf_detach(&out);
}

/* -- HTML to text -------------------------------------------------------- */

static bool has_class(xmlNode *n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	bool r = v && strstr((const char *)v, cls);

	xmlFree(v);
	return r;
}

static bool has_id(xmlNode *n, const char *id)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
	bool r = v && !strcmp((const char *)v, id);

	xmlFree(v);
	return r;
}

static bool is_block(const char *t)
{
	static const char *const b[] = {
	    "p",       "div",	 "br",	       "tr",  "li", "h1",
	    "h2",      "h3",	 "h4",	       "h5",  "h6", "table",
	    "ul",      "ol",	 "blockquote", "pre", "hr", "section",
	    "article", "header", "footer",     "dt",  "dd", NULL};

	for (int i = 0; b[i]; i++)
		if (!strcasecmp(t, b[i]))
			return true;
	return false;
}

static void end_line(struct crm_buf *b)
{
	if (b->len && b->s[b->len - 1] != '\n')
		crm_buf_addc(b, '\n');
}

/* Returns 1 to stop (the start of quoted history). */
static int walk(xmlNode *n, struct crm_buf *b, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			const char *s = (const char *)n->content;
			bool space = b->len && (b->s[b->len - 1] == ' ' ||
						b->s[b->len - 1] == '\n');

			for (; s && *s; s++) {
				if (*s == ' ' || *s == '\t' || *s == '\n' ||
				    *s == '\r') {
					if (!space)
						crm_buf_addc(b, ' ');
					space = true;
				} else {
					crm_buf_addc(b, *s);
					space = false;
				}
			}
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *t = (const char *)n->name;
		if (!strcasecmp(t, "script") || !strcasecmp(t, "style") ||
		    !strcasecmp(t, "head") || !strcasecmp(t, "title"))
			continue;
		if (has_id(n, "divRplyFwdMsg") || has_id(n, "appendonsend"))
			return 1;
		if (has_class(n, "gmail_quote") || has_class(n, "yahoo_quoted"))
			continue;
		if (is_block(t))
			end_line(b);
		if (!strcasecmp(t, "li"))
			crm_buf_adds(b, "- ");
		if (depth < 256 && walk(n->children, b, depth + 1))
			return 1;
		if (is_block(t))
			end_line(b);
	}
	return 0;
}

static char *tidy_lines(const char *s)
{
	struct crm_buf b = {0};
	int blank = 0;

	while (*s) {
		size_t k = strcspn(s, "\n"), a = 0, z = k;

		while (a < z && s[a] == ' ')
			a++;
		while (z > a && s[z - 1] == ' ')
			z--;
		if (z == a) {
			blank++;
		} else {
			if (b.len && blank)
				crm_buf_addc(&b, '\n');
			blank = 0;
			crm_buf_add(&b, s + a, z - a);
			crm_buf_addc(&b, '\n');
		}
		s += k + (s[k] == '\n');
	}
	crm_buf_addc(&b, '\0');
	return crm_buf_detach(&b);
}

char *crm_mail_html_text(const char *html, size_t len)
{
	struct crm_buf b = {0};
	struct crm_err ignored;
	htmlDocPtr doc = NULL;
	char *r;

	if (len > (size_t)1 << 30)
		len = (size_t)1 << 30;
	/* crm_mail_parse has loaded libxml2 (or failed, saying why); alone,
	 * without libxml2 the text is empty as for a document it cannot read */
	if (crm_dl_load(&xml_dl, &ignored) == 0)
		doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
				     HTML_PARSE_NONET | HTML_PARSE_NOERROR |
					 HTML_PARSE_NOWARNING |
					 HTML_PARSE_RECOVER);
	if (doc) {
		walk(xmlDocGetRootElement(doc), &b, 0);
		xmlFreeDoc(doc);
	}
	crm_buf_addc(&b, '\0');
	r = tidy_lines(b.s);
	crm_buf_release(&b);
	return r;
}

/* -- quoted history ---------------------------------------------------------
 */

static bool starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && !strncasecmp(s, p, k);
}

static bool ends_with(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return n >= k && !strncmp(s + n - k, p, k);
}

static bool wrote(const char *s, size_t n)
{
	return ends_with(s, n, "wrote:") || ends_with(s, n, "写道：") ||
	       ends_with(s, n, "写道:") || ends_with(s, n, "書きました:") ||
	       ends_with(s, n, "schrieb:") || ends_with(s, n, "a écrit :");
}

/* Whether the line at s (length n, next line at nx) starts history. */
static bool history_starts(const char *s, size_t n, const char *nx)
{
	size_t nn = nx ? strcspn(nx, "\n") : 0;

	if (starts(s, n, "-----Original Message-----") ||
	    starts(s, n, "----- Original Message -----") ||
	    starts(s, n, "-------- Original Message --------") ||
	    starts(s, n, "-----原始邮件-----") ||
	    starts(s, n, "------------------ 原始邮件 ------------------"))
		return true;
	if (starts(s, n, "________________________________") && nx &&
	    (starts(nx, nn, "From:") || starts(nx, nn, "发件人:") ||
	     starts(nx, nn, "差出人:")))
		return true;
	if ((starts(s, n, "From: ") || starts(s, n, "发件人: ") ||
	     starts(s, n, "差出人: ")) &&
	    nx &&
	    (starts(nx, nn, "Sent: ") || starts(nx, nn, "Date: ") ||
	     starts(nx, nn, "发送时间: ") || starts(nx, nn, "送信日時: ")))
		return true;
	if (starts(s, n, "On ") || starts(s, n, "在 ") || starts(s, n, "Am ") ||
	    starts(s, n, "Le ") ||
	    (n && (unsigned char)s[0] >= '0' && (unsigned char)s[0] <= '9')) {
		if (wrote(s, n))
			return true;
		if (nx && nn < 200 && n < 200 && wrote(nx, nn))
			return true;
	}
	return false;
}

char *crm_mail_trim_quoted(const char *text)
{
	const char *s = text, *cut = NULL;
	struct crm_buf b = {0};
	size_t end;

	while (*s) {
		size_t k = strcspn(s, "\n");
		const char *nx = s[k] ? s + k + 1 : NULL;

		if (history_starts(s, k, nx)) {
			cut = s;
			break;
		}
		s = nx ? nx : s + k;
	}
	end = cut ? (size_t)(cut - text) : strlen(text);
	/* trailing quoted lines and blank lines */
	for (;;) {
		size_t e = end, a;

		while (e && (text[e - 1] == '\n' || text[e - 1] == ' ' ||
			     text[e - 1] == '\r'))
			e--;
		a = e;
		while (a && text[a - 1] != '\n')
			a--;
		if (e > a && text[a] == '>') {
			end = a;
			continue;
		}
		end = e;
		break;
	}
	if (!end) /* all of it quoted: keep it */
		return crm_xstrdup(text);
	crm_buf_add(&b, text, end);
	crm_buf_adds(&b, "\n");
	return crm_buf_detach(&b);
}

/* -- parsing --------------------------------------------------------------- */

struct walkctx {
	struct crm_mail *m;
	size_t max_att;
	GMimePart *plain, *html;
	int parts;
	struct crm_err *err;
};

static char *part_bytes(GMimePart *p, size_t *len)
{
	GMimeDataWrapper *w = g_mime_part_get_content(p);
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *ba;
	char *r;

	if (w)
		g_mime_data_wrapper_write_to_stream(w, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	*len = ba->len;
	r = crm_xmalloc(ba->len + 1);
	if (ba->len)
		memcpy(r, ba->data, ba->len);
	r[ba->len] = '\0';
	g_object_unref(mem);
	return r;
}

static void add_att(struct walkctx *x, GMimeObject *o, const char *filename)
{
	struct crm_mail *m = x->m;
	struct crm_mail_att *a;
	size_t len = 0;
	char *data = NULL;

	if (GMIME_IS_PART(o)) {
		data = part_bytes(GMIME_PART(o), &len);
	} else { /* an attached message: its text */
		char *s = g_mime_object_to_string(o, NULL);
		len = strlen(s);
		data = crm_xstrdup(s);
		g_free(s);
	}
	m->att = crm_xrealloc(m->att, (m->natt + 1) * sizeof(*m->att));
	a = &m->att[m->natt++];
	a->filename = crm_xstrdup(filename ? filename : "");
	a->content_type = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(o));
	{ /* GMime's string: copy into ours */
		char *ct = crm_xstrdup(a->content_type);
		g_free(a->content_type);
		a->content_type = ct;
	}
	a->size = len;
	if (len > x->max_att) {
		free(data);
		data = NULL;
	}
	a->data = (unsigned char *)data;
}

static int visit(struct walkctx *x, GMimeObject *o, int depth)
{
	if (depth > CRM_MAIL_MAX_DEPTH || ++x->parts > CRM_MAIL_MAX_PARTS)
		return crm_err_set(x->err, CRM_EX_DATAERR,
				   "message nested too deeply or too many "
				   "parts (limits %d, %d)",
				   CRM_MAIL_MAX_DEPTH, CRM_MAIL_MAX_PARTS);
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int n = g_mime_multipart_get_count(mp);

		for (int i = 0; i < n; i++)
			if (visit(x, g_mime_multipart_get_part(mp, i),
				  depth + 1) < 0)
				return -1;
		return 0;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		add_att(x, o, "message.eml");
		return 0;
	}
	if (!GMIME_IS_PART(o))
		return 0;
	GMimePart *p = GMIME_PART(o);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *fn = g_mime_part_get_filename(p);
	bool att = g_mime_part_is_attachment(p) || fn;

	if (!att && g_mime_content_type_is_type(ct, "text", "plain") &&
	    !x->plain) {
		x->plain = p;
		return 0;
	}
	if (!att && g_mime_content_type_is_type(ct, "text", "html") &&
	    !x->html) {
		x->html = p;
		return 0;
	}
	if (!att && g_mime_content_type_is_type(ct, "text", "*"))
		return 0; /* another text part (text/calendar ...) */
	if (!att && g_mime_content_type_is_type(ct, "message", "*"))
		return 0; /* a delivery status */
	add_att(x, o, fn);
	return 0;
}

static char *part_text(GMimePart *p)
{
	size_t len;
	char *raw = part_bytes(p, &len);
	char *s = crm_mail_to_utf8(raw, len,
				   g_mime_object_get_content_type_parameter(
				       GMIME_OBJECT(p), "charset"));

	free(raw);
	return s;
}

static bool header_is(GMimeObject *o, const char *name, const char *const *v)
{
	const char *h = g_mime_object_get_header(o, name);

	if (!h)
		return false;
	while (*h == ' ' || *h == '\t')
		h++;
	if (!v)
		return true;
	for (; *v; v++)
		if (!strncasecmp(h, *v, strlen(*v)))
			return true;
	return false;
}

static const char *machine(GMimeObject *o, const char *from)
{
	static const char *const bulk[] = {"bulk", "junk", "list", "auto_reply",
					   NULL};
	const char *as = g_mime_object_get_header(o, "Auto-Submitted");
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *rp = g_mime_object_get_header(o, "Return-Path");

	if (as) {
		while (*as == ' ')
			as++;
		if (strncasecmp(as, "no", 2) ||
		    (as[2] && as[2] != ' ' && as[2] != ';'))
			return "auto-submitted";
	}
	if (header_is(o, "Precedence", bulk))
		return "precedence";
	if (ct && g_mime_content_type_is_type(ct, "multipart", "report"))
		return "bounce";
	if (from) {
		size_t k = strcspn(from, "@");
		if ((k == 13 && !strncasecmp(from, "mailer-daemon", 13)) ||
		    (k == 10 && !strncasecmp(from, "postmaster", 10)))
			return "bounce";
	}
	if (rp && strstr(rp, "<>"))
		return "bounce";
	if (header_is(o, "X-Auto-Response-Suppress", NULL))
		return "auto-response-suppress";
	if (header_is(o, "X-Autoreply", NULL) ||
	    header_is(o, "X-Autorespond", NULL))
		return "auto-submitted";
	if (header_is(o, "List-Id", NULL) ||
	    header_is(o, "List-Unsubscribe", NULL))
		return "list";
	return NULL;
}

static size_t count_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), c = 0;

	for (size_t i = 0; i + k <= n; i++)
		if ((s[i] | 0x20) == w[0] && !strncasecmp(s + i, w, k))
			c++;
	return c;
}

static void add_refs(struct crm_strv *sv, const char *text)
{
	GMimeReferences *r;

	if (!text)
		return;
	r = g_mime_references_parse(NULL, text);
	if (!r)
		return;
	for (int i = 0; i < g_mime_references_length(r); i++) {
		const char *id = g_mime_references_get_message_id(r, i);
		if (id && *id && crm_strv_find(sv, id) < 0)
			crm_strv_push(sv, id);
	}
	g_mime_references_free(r);
}

int crm_mail_parse(const char *buf, size_t len, size_t max_att,
		   struct crm_mail *m, struct crm_err *err)
{
	struct walkctx x = {.m = m, .max_att = max_att, .err = err};
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *msg;
	InternetAddressList *from;
	GDateTime *dt;
	const char *s;
	int rc = -1;
	size_t hdr;

	memset(m, 0, sizeof(*m));
	if (mime_load(err) < 0)
		return -1;
	/* the header block: to the first blank line */
	for (hdr = 0; hdr < len; hdr++)
		if (buf[hdr] == '\n' &&
		    (hdr + 1 >= len || buf[hdr + 1] == '\n' ||
		     (buf[hdr + 1] == '\r' && hdr + 2 < len &&
		      buf[hdr + 2] == '\n')))
			break;
	if (hdr > CRM_MAIL_MAX_HEADER)
		return crm_err_set(err, CRM_EX_DATAERR, "header over %d bytes",
				   CRM_MAIL_MAX_HEADER);
	/* GMime's parser recurses per nested part: refuse deep nesting
	 * before it sees it */
	if (count_ci(buf, len, "multipart/") +
		count_ci(buf, len, "message/rfc822") >
	    4 * CRM_MAIL_MAX_DEPTH)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "message nested too deeply or too many "
				   "parts (limits %d, %d)",
				   CRM_MAIL_MAX_DEPTH, CRM_MAIL_MAX_PARTS);
	st = g_mime_stream_mem_new_with_buffer(buf, len);
	p = g_mime_parser_new_with_stream(st);
	msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	if (!msg)
		return crm_err_set(err, CRM_EX_DATAERR,
				   "not an RFC 5322 message");
	from = g_mime_message_get_from(msg);
	for (int i = 0; from && i < internet_address_list_length(from); i++) {
		InternetAddress *a = internet_address_list_get_address(from, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			const char *addr = internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(a));
			const char *name = internet_address_get_name(a);

			if (!addr || !strchr(addr, '@'))
				continue;
			m->from_addr = crm_xstrdup(addr);
			m->from_name = name && *name ? crm_xstrdup(name) : NULL;
			break;
		}
	}
	if (!m->from_addr) {
		crm_err_set(err, CRM_EX_DATAERR, "no From address");
		goto out;
	}
	s = g_mime_message_get_subject(msg);
	m->subject = crm_xstrdup(s ? s : "");
	s = g_mime_message_get_message_id(msg);
	m->message_id = s && *s ? crm_xstrdup(s) : NULL;
	add_refs(&m->refs,
		 g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
	add_refs(&m->refs,
		 g_mime_object_get_header(GMIME_OBJECT(msg), "References"));
	dt = g_mime_message_get_date(msg);
	m->date = dt ? (int64_t)g_date_time_to_unix(dt) : 0;
	m->automatic = machine(GMIME_OBJECT(msg), m->from_addr);
	s = g_mime_object_get_header(GMIME_OBJECT(msg), "X-CRM-Loop");
	m->loop = s ? crm_xstrdup(s) : NULL;
	if (g_mime_message_get_mime_part(msg) &&
	    visit(&x, g_mime_message_get_mime_part(msg), 0) < 0)
		goto out;
	if (x.plain) {
		m->full_text = part_text(x.plain);
	} else if (x.html) {
		char *h = part_text(x.html);
		m->full_text = crm_mail_html_text(h, strlen(h));
		m->html_only = true;
		free(h);
	} else {
		m->full_text = crm_xstrdup("");
	}
	{ /* CRLF to LF */
		char *w = m->full_text;
		for (const char *r = m->full_text; *r; r++)
			if (*r != '\r')
				*w++ = *r;
		*w = '\0';
	}
	m->text = crm_mail_trim_quoted(m->full_text);
	rc = 0;
out:
	g_object_unref(msg);
	if (rc < 0)
		crm_mail_release(m);
	return rc;
}

void crm_mail_release(struct crm_mail *m)
{
	free(m->from_addr);
	free(m->from_name);
	free(m->subject);
	free(m->message_id);
	crm_strv_release(&m->refs);
	free(m->text);
	free(m->full_text);
	free(m->loop);
	for (size_t i = 0; i < m->natt; i++) {
		free(m->att[i].filename);
		free(m->att[i].content_type);
		free(m->att[i].data);
	}
	free(m->att);
	memset(m, 0, sizeof(*m));
}

/* -- building -------------------------------------------------------------- */

static void ids_header(struct crm_buf *b, const struct crm_strv *refs,
		       const char *last)
{
	for (size_t i = 0; refs && i < refs->n; i++)
		if (!last || strcmp(refs->v[i], last))
			crm_buf_addf(b, "%s<%s>", b->len ? " " : "",
				     refs->v[i]);
	if (last)
		crm_buf_addf(b, "%s<%s>", b->len ? " " : "", last);
}

/* An address list as GMime parses it; NULL when it holds no address. */
static InternetAddressList *address_list(const char *text)
{
	InternetAddressList *l = internet_address_list_parse(NULL, text);

	if (l && internet_address_list_length(l) == 0) {
		g_object_unref(l);
		l = NULL;
	}
	return l;
}

/* The message's addresses of one kind: the parsed list when given (let
 * go of here), else the one mailbox "name <addr>" when addr is given. */
static void add_addresses(GMimeMessage *msg, GMimeAddressType type,
			  InternetAddressList *list, const char *name,
			  const char *addr)
{
	if (list) {
		internet_address_list_append(
		    g_mime_message_get_addresses(msg, type), list);
		g_object_unref(list);
	} else if (addr) {
		g_mime_message_add_mailbox(msg, type, name ? name : "", addr);
	}
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
	GMimeTextPart *tp = g_mime_text_part_new_with_subtype(subtype);

	g_mime_text_part_set_text(tp, text);
	g_mime_part_set_content_encoding(
	    GMIME_PART(tp), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(tp);
}

char *crm_mail_build(const struct crm_mail_out *o, struct crm_err *err)
{
	GMimeMessage *msg;
	GMimeObject *body;
	GDateTime *dt;
	InternetAddressList *from = NULL, *to = NULL, *cc = NULL;
	struct crm_buf refs = {0};
	GMimeFormatOptions *fo;
	char *s, *r;

	if (mime_load(err) < 0)
		return NULL;
	{
		const char *hv[] = {o->subject, o->to_name, o->from_name,
				    o->message_id, o->list_unsubscribe};

		for (size_t i = 0; i < sizeof(hv) / sizeof(*hv); i++)
			if (hv[i] && strpbrk(hv[i], "\r\n")) {
				crm_err_set(err, CRM_EX_DATAERR,
					    "a line break in a mail header "
					    "is refused");
				return NULL;
			}
		for (size_t i = 0; o->headers && o->headers[i]; i += 2)
			if (!o->headers[i + 1] ||
			    strpbrk(o->headers[i], "\r\n: ") ||
			    strpbrk(o->headers[i + 1], "\r\n")) {
				crm_err_set(err, CRM_EX_DATAERR,
					    "header %s: a line break or a bad "
					    "name is refused",
					    o->headers[i]);
				return NULL;
			}
	}
	if (o->to_list ? !(to = address_list(o->to_list))
		       : !o->to_addr || !strchr(o->to_addr, '@')) {
		crm_err_set(err, CRM_EX_DATAERR, "no address to send to");
		return NULL;
	}
	if (o->from_list ? !(from = address_list(o->from_list))
			 : !o->from_addr || !strchr(o->from_addr, '@')) {
		if (to)
			g_object_unref(to);
		crm_err_set(err, CRM_EX_CONFIG,
			    "no address to send from (CRM_MAIL_FROM)");
		return NULL;
	}
	if (o->cc_list && *o->cc_list && !(cc = address_list(o->cc_list))) {
		g_object_unref(to);
		g_object_unref(from);
		crm_err_set(err, CRM_EX_DATAERR, "cc: no address");
		return NULL;
	}
	msg = g_mime_message_new(TRUE);
	add_addresses(msg, GMIME_ADDRESS_TYPE_FROM, from, o->from_name,
		      o->from_addr);
	add_addresses(msg, GMIME_ADDRESS_TYPE_TO, to, o->to_name, o->to_addr);
	add_addresses(msg, GMIME_ADDRESS_TYPE_CC, cc, NULL, NULL);
	g_mime_message_set_subject(msg, o->subject ? o->subject : "", "utf-8");
	dt = g_date_time_new_from_unix_utc(o->date);
	g_mime_message_set_date(msg, dt);
	g_date_time_unref(dt);
	if (o->message_id)
		g_mime_message_set_message_id(msg, o->message_id);
	if (o->in_reply_to) {
		struct crm_buf irt = {0};
		crm_buf_addf(&irt, "<%s>", o->in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To",
					 crm_buf_str(&irt), NULL);
		crm_buf_release(&irt);
	}
	ids_header(&refs, o->refs, o->in_reply_to);
	if (refs.len)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References",
					 crm_buf_str(&refs), NULL);
	crm_buf_release(&refs);
	if (o->loop)
		g_mime_object_set_header(GMIME_OBJECT(msg), "X-CRM-Loop",
					 o->loop, NULL);
	if (o->list_unsubscribe) {
		g_mime_object_set_header(GMIME_OBJECT(msg), "List-Unsubscribe",
					 o->list_unsubscribe, NULL);
		g_mime_object_set_header(GMIME_OBJECT(msg),
					 "List-Unsubscribe-Post",
					 "List-Unsubscribe=One-Click", NULL);
	}
	for (size_t i = 0; o->headers && o->headers[i]; i += 2)
		g_mime_object_set_header(GMIME_OBJECT(msg), o->headers[i],
					 o->headers[i + 1], NULL);
	if (o->html && o->body) {
		GMimeMultipart *alt =
		    g_mime_multipart_new_with_subtype("alternative");
		GMimeObject *t = text_part("plain", o->body),
			    *h = text_part("html", o->html);

		g_mime_multipart_add(alt, t);
		g_mime_multipart_add(alt, h);
		g_object_unref(t);
		g_object_unref(h);
		body = GMIME_OBJECT(alt);
	} else {
		body = o->html ? text_part("html", o->html)
			       : text_part("plain", o->body ? o->body : "");
	}
	g_mime_message_set_mime_part(msg, body);
	g_object_unref(body);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_UNIX);
	s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	g_mime_format_options_free(fo);
	g_object_unref(msg);
	r = crm_xstrdup(s);
	g_free(s);
	return r;
}

/* The Date value as GMime writes it for a UTC time ("Wed, 02 Dec 2026
 * 14:30:00 +0000"), formatted here so that handing a queued message over
 * does not load GMime. */
static void format_date(int64_t date, char out[40])
{
	static const char days[][4] = {"Sun", "Mon", "Tue", "Wed",
				       "Thu", "Fri", "Sat"};
	static const char months[][4] = {"Jan", "Feb", "Mar", "Apr",
					 "May", "Jun", "Jul", "Aug",
					 "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)date;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *crm_mail_redate(const char *msg, int64_t date)
{
	const char *p = msg, *end, *eol;
	char value[40], *out;
	size_t head, vlen, tail;

	/* the header ends at the first empty line; Date is one line */
	for (; *p && *p != '\n'; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		if (!strncasecmp(p, "Date:", 5))
			break;
	}
	if (!*p || *p == '\n')
		return NULL;
	end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	if (end > p && end[-1] == '\r')
		end--;
	format_date(date, value);
	/* copied, not printf'ed: this runs once per message handed over */
	head = (size_t)(p - msg);
	vlen = strlen(value);
	tail = strlen(end);
	out = crm_xmalloc(head + 6 + vlen + tail + 1);
	memcpy(out, msg, head);
	memcpy(out + head, "Date: ", 6);
	memcpy(out + head + 6, value, vlen);
	memcpy(out + head + 6 + vlen, end, tail + 1);
	return out;
}
