/* t_mime.c - email pieces: charsets to UTF-8, quoted history, HTML to
 * text, what a machine sent, threading ids, base64. */
#include <stdlib.h>

#include "mail.h"
#include "mime.h"
#include "test.h"

static void utf8(const char *bytes, const char *cs, const char *want,
		 const char *what)
{
	char *s = crm_mail_to_utf8(bytes, strlen(bytes), cs);
	CHECK_STR(s, want, what);
	free(s);
}

static void trim(const char *in, const char *want, const char *what)
{
	char *s = crm_mail_trim_quoted(in);
	CHECK_STR(s, want, what);
	free(s);
}

static void html(const char *in, const char *want, const char *what)
{
	char *s = crm_mail_html_text(in, strlen(in));
	CHECK_STR(s, want, what);
	free(s);
}

static void parse(const char *msg, const char *automatic, const char *what)
{
	struct crm_mail m;
	struct crm_err err;

	if (crm_mail_parse(msg, strlen(msg), 100, &m, &err) < 0) {
		CHECK(0, what);
		return;
	}
	CHECK_STR(m.automatic, automatic, what);
	crm_mail_release(&m);
}

int main(void)
{
	struct crm_mail m;
	struct crm_err err;
	char *s;

	/* GBK bytes labelled gb2312 (喆 is not in GB2312) */
	utf8("\xd5\xd4\x86\xb4", "gb2312", "赵喆", "gb2312 read as GB18030");
	utf8("\xa4\xa4\xa4\xe5", "big5", "中文", "Big5");
	utf8("\x1b$B$3$s$K$A$O\x1b(B", "iso-2022-jp", "こんにちは",
	     "ISO-2022-JP, the shift state flushed");
	utf8("caf\xe9", "iso-8859-1", "café", "ISO-8859-1");
	utf8("\xa3\xf3", "iso-8859-2", "Łó", "ISO-8859-2");
	utf8("caf\xe9", NULL, "café", "no charset, not UTF-8: Windows-1252");
	utf8("naïve", NULL, "naïve", "no charset, valid UTF-8 kept");
	utf8("a\xffz", "utf-8", "a\xef\xbf\xbdz", "a bad byte becomes U+FFFD");
	utf8("x", "no-such-charset", "x", "an unknown charset: Windows-1252");
	/* glibc's iconv passes old five-byte forms through UTF-8 (found by
	 * fuzz_mime); surrogates and overlong forms are not UTF-8 either */
	utf8("a\xfa\x96\x96\x96\x96z", "utf-8",
	     "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	     "\xef\xbf\xbdz",
	     "a five-byte form: each byte U+FFFD");
	utf8("\xed\xa0\x80", "utf-8", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	     "a surrogate is not UTF-8");
	utf8("\xc0\xaf", "utf-8", "\xef\xbf\xbd\xef\xbf\xbd",
	     "an overlong form is not UTF-8");
	utf8("\xfa\x96\x96\x96\x96", "ISO-10646/UTF8/",
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	     "another name for UTF-8: what iconv gives is checked too");

	trim("Thanks!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Ana <a@x.example> "
	     "wrote:\n> hi\n",
	     "Thanks!\n", "Gmail: On ... wrote:");
	trim("Thanks!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support <\n"
	     "support@x.example> wrote:\n> hi\n",
	     "Thanks!\n", "Gmail: the attribution over two lines");
	trim("Ok.\n\n-----Original Message-----\nFrom: x\n", "Ok.\n",
	     "Outlook: Original Message");
	trim("Ok.\n\n________________________________\nFrom: Support\nSent: "
	     "Monday\n",
	     "Ok.\n", "Outlook: the rule and From:");
	trim("Ok.\nFrom: Support <s@x>\nSent: Monday\nTo: me\n", "Ok.\n",
	     "Outlook: From:/Sent:");
	trim("好的\n\n在 2026年11月23日 周一 10:00，Support 写道：\n> 你好\n",
	     "好的\n", "Chinese Gmail: 写道");
	trim("Yes.\n> quoted\n> more\n", "Yes.\n", "trailing > lines");
	trim("> all quoted\n", "> all quoted\n", "all quoted: kept");
	trim("From: the start of a body line only\nno Sent line\n",
	     "From: the start of a body line only\nno Sent line\n",
	     "a From: line alone is text");

	html("<p>Hi,</p><p>A &amp; B &euro;5</p><ul><li>x</li></ul>",
	     "Hi,\nA & B €5\n- x\n", "paragraphs, entities, lists");
	html("<style>p{}</style><script>x()</script><b>bold</b>", "bold\n",
	     "no scripts or styles");
	html("<div>new</div><div class=\"gmail_quote\">old</div>", "new\n",
	     "Gmail's quote left out");
	html("<div>new</div><div id=\"divRplyFwdMsg\">From:</div><p>old</p>",
	     "new\n", "Outlook's reply header ends the text");
	html("<p>a\n   b</p>", "a b\n", "white space collapsed");

	parse("From: a@b.example\nAuto-Submitted: auto-replied\n\nx\n",
	      "auto-submitted", "Auto-Submitted");
	parse("From: a@b.example\nAuto-Submitted: no\n\nx\n", NULL,
	      "Auto-Submitted: no is a person");
	parse("From: a@b.example\nPrecedence: bulk\n\nx\n", "precedence",
	      "Precedence: bulk");
	parse("From: MAILER-DAEMON@b.example\n\nx\n", "bounce",
	      "mailer-daemon");
	parse("From: a@b.example\nX-Auto-Response-Suppress: All\n\nx\n",
	      "auto-response-suppress", "X-Auto-Response-Suppress");
	parse("From: a@b.example\nList-Id: <l.b.example>\n\nx\n", "list",
	      "List-Id");
	parse("From: a@b.example\n\nx\n", NULL, "a person");

	CHECK(crm_mail_parse("Subject: x\n\ny\n", 12, 100, &m, &err) < 0 &&
		  err.code == CRM_EX_DATAERR,
	      "no From: a data error");
	{
		const char *msg =
		    "From: =?UTF-8?B?5byg5Lyf?= <zw@x.example>\n"
		    "Subject: =?gb2312?B?xOO6ww==?=\n"
		    "Message-ID: <m1@x>\nIn-Reply-To: <a@x>\n"
		    "References: <r1@x> <a@x>\n"
		    "Content-Type: multipart/mixed; boundary=b\n\n"
		    "--b\nContent-Type: text/plain\n\nbody\n"
		    "--b\nContent-Type: application/pdf\n"
		    "Content-Disposition: attachment; filename=big.pdf\n"
		    "Content-Transfer-Encoding: base64\n\n"
		    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w"
		    "cXJzdHV2d3h5ejAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx"
		    "MjM0NTY3ODkwMTIzNDU2Nzg5\n--b--\n";
		int rc = crm_mail_parse(msg, strlen(msg), 100, &m, &err);

		CHECK(rc == 0, "a multipart message parses");
		if (rc == 0) {
			CHECK_STR(m.from_name, "张伟", "RFC 2047 name");
			CHECK_STR(m.subject, "你好", "RFC 2047 GB2312 subject");
			CHECK_STR(m.message_id, "m1@x",
				  "Message-ID without <>");
			CHECK_INT(m.refs.n, 2,
				  "In-Reply-To and References, once");
			CHECK_STR(m.refs.n ? m.refs.v[0] : NULL, "a@x",
				  "In-Reply-To first");
			CHECK_STR(m.text, "body\n", "the text part");
			CHECK_INT(m.natt, 1, "one attachment");
			CHECK(m.natt && m.att[0].size == 102 && !m.att[0].data,
			      "over the limit: its size, no data");
			crm_mail_release(&m);
		}
	}
	{ /* the addresses of a built message: a name and address pair, or
	   * a list; Cc only from a list */
		struct crm_mail_out o = {.from_name = "Ann",
					 .from_addr = "ann@example.com",
					 .to_addr = "bo@example.com",
					 .subject = "hi",
					 .body = "text",
					 .date = 1};
		char *msg = crm_mail_build(&o, &err);

		CHECK(msg && strstr(msg, "From: Ann <ann@example.com>\n") &&
			  strstr(msg, "To: bo@example.com\n") &&
			  !strstr(msg, "Cc:"),
		      "built: From and To from name and address, no Cc");
		free(msg);
		o.from_list = "Cy <cy@example.com>";
		o.to_list = "Di <di@example.com>, ed@example.com";
		o.cc_list = "fay@example.com";
		msg = crm_mail_build(&o, &err);
		CHECK(msg && strstr(msg, "From: Cy <cy@example.com>\n") &&
			  strstr(msg, "To: Di <di@example.com>, "
				      "ed@example.com\n") &&
			  strstr(msg, "Cc: fay@example.com\n"),
		      "built: From, To and Cc from address lists");
		free(msg);
	}
	s = crm_base64((const unsigned char *)"hello", 5);
	CHECK_STR(s, "aGVsbG8=", "base64");
	free(s);
	return done_testing();
}
