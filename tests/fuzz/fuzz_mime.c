/* fuzz_mime.c - libFuzzer harness for email parsing (lib/records/mime.c):
 * hostile MIME (deep nesting, broken boundaries, huge headers, bad
 * charsets and encodings) must neither crash nor leak, and whatever is
 * parsed comes out as valid UTF-8 with the trimmed text no longer than
 * the full one. The same bytes also go through the HTML-to-text and
 * quote trimming alone, and into a reply built from them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int k = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;

		if (*p >= 0x80 && *p < 0xc2)
			return 0;
		for (int i = 1; i <= k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += k + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_mail m;
	struct crm_err err;
	char *s, *t;

	if (crm_mail_parse((const char *)data, size, 1024, &m, &err) == 0) {
		if (!utf8_ok(m.full_text) || !utf8_ok(m.text))
			abort();
		if (strlen(m.text) > strlen(m.full_text) + 1)
			abort();
		for (size_t i = 0; i < m.natt; i++)
			if (m.att[i].data && m.att[i].size > 1024)
				abort();
		crm_mail_release(&m);
	} else if (err.code != CRM_EX_DATAERR) {
		abort();
	}
	/* the pieces alone, on the raw bytes as text */
	s = crm_mail_to_utf8((const char *)data, size, NULL);
	if (!utf8_ok(s))
		abort();
	t = crm_mail_html_text(s, strlen(s));
	free(t);
	t = crm_mail_trim_quoted(s);
	if (strlen(t) > strlen(s) + 1)
		abort();
	free(t);
	{
		struct crm_mail_out o = {.from_addr = "support@example.com",
					 .to_addr = "ann@example.com",
					 .subject = s,
					 .body = s,
					 .message_id = "x@example.com",
					 .date = 0};
		char *msg = crm_mail_build(&o, &err);
		/* a line break bound for a header (the subject) is refused */
		if (!msg && (err.code != CRM_EX_DATAERR || !strpbrk(s, "\r\n")))
			abort();
		free(msg);
	}
	free(s);
	return 0;
}
