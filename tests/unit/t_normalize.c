/* t_normalize.c - NFC, matching keys, emails, phones and company names, on
 * multilingual input. UTF-8 is written as escapes where the source would
 * otherwise hide a decomposed form. */
#include <stdlib.h>

#include "normalize.h"
#include "test.h"

static char what[512];

/* s with control characters as \xNN, so a test name stays on its line.
 * Four buffers in turn: a name may quote two strings. */
static const char *esc(const char *s)
{
	static char bufs[4][256];
	static int turn;
	char *b = bufs[turn++ % 4];
	size_t j = 0;

	for (; s && *s && j + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7F)
			j += (size_t)snprintf(b + j, 5, "\\x%02X", c);
		else
			b[j++] = (char)c;
	}
	b[j] = '\0';
	return b;
}

typedef int (*norm_fn)(const char *, size_t, struct crm_buf *);

static void norm_is(norm_fn fn, const char *name, const char *s,
		    const char *want)
{
	struct crm_buf b = {0};
	int rc = fn(s, strlen(s), &b);

	snprintf(what, sizeof(what), "%s '%s' -> '%s'", name, esc(s),
		 esc(want));
	if (rc != 0) {
		CHECK(0, what);
		printf("#   returned %d\n", rc);
	} else {
		CHECK_STR(crm_buf_str(&b), want, what);
	}
	crm_buf_release(&b);
}

static void nfc_is(const char *s, const char *want)
{
	norm_is(crm_norm_nfc, "nfc", s, want);
}

static void key_is(const char *s, const char *want)
{
	norm_is(crm_norm_key, "key", s, want);
}

static void company_is(const char *s, const char *want)
{
	norm_is(crm_norm_company, "company", s, want);
}

static void email_ok(const char *s, const char *want)
{
	struct crm_buf b = {0};
	struct crm_err e = {0};
	int rc = crm_norm_email(s, &b, &e);

	snprintf(what, sizeof(what), "email '%s' -> '%s'", esc(s), esc(want));
	if (rc != 0) {
		CHECK(0, what);
		printf("#   error: %s\n", e.msg);
	} else {
		CHECK_STR(crm_buf_str(&b), want, what);
	}
	crm_buf_release(&b);
}

/* Refused with exactly msg; out keeps what it had. */
static void email_bad(const char *s, const char *msg)
{
	struct crm_buf b = {0};
	struct crm_err e = {0};
	int rc;

	crm_buf_adds(&b, "keep");
	rc = crm_norm_email(s, &b, &e);
	snprintf(what, sizeof(what), "email '%s' refused", esc(s));
	CHECK(rc == -1 && e.code == CRM_EX_DATAERR &&
		  strcmp(crm_buf_str(&b), "keep") == 0,
	      what);
	snprintf(what, sizeof(what), "email '%s' message", esc(s));
	CHECK_STR(e.msg, msg, what);
	crm_buf_release(&b);
}

static void email_key_is(const char *s, const char *want)
{
	struct crm_buf b = {0};

	crm_norm_email_key(s, &b);
	snprintf(what, sizeof(what), "email key '%s' -> '%s'", s, want);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

static void phone_is(const char *s, const char *cc, const char *want)
{
	struct crm_buf b = {0};
	struct crm_err e = {0};
	int rc = crm_norm_phone(s, cc, &b, &e);

	snprintf(what, sizeof(what), "phone '%s' (cc %s) -> '%s'", s,
		 cc ? cc : "none", want);
	if (rc != 0) {
		CHECK(0, what);
		printf("#   error: %s\n", e.msg);
	} else {
		CHECK_STR(crm_buf_str(&b), want, what);
	}
	crm_buf_release(&b);
}

static void phone_bad(const char *s, const char *cc, const char *msg)
{
	struct crm_buf b = {0};
	struct crm_err e = {0};
	int rc = crm_norm_phone(s, cc, &b, &e);

	snprintf(what, sizeof(what), "phone '%s' (cc %s) refused", s,
		 cc ? cc : "none");
	CHECK(rc == -1 && e.code == CRM_EX_DATAERR && b.len == 0, what);
	snprintf(what, sizeof(what), "phone '%s' (cc %s) message", s,
		 cc ? cc : "none");
	CHECK_STR(e.msg, msg, what);
	crm_buf_release(&b);
}

static void test_nfc(void)
{
	struct crm_buf b = {0};

	nfc_is("Hello, World", "Hello, World");
	nfc_is("", "");
	/* e + U+0308 combining diaeresis -> U+00EB */
	nfc_is("Zoe\xCC\x88", "Zo\xC3\xAB");
	nfc_is("Zo\xC3\xAB", "Zo\xC3\xAB");
	/* N + U+0303, u + U+0301 -> U+00D1, U+00FA */
	nfc_is("N\xCC\x83"
	       "andu\xCC\x81",
	       "\xC3\x91"
	       "and\xC3\xBA");
	/* conjoining jamo U+1112 U+1161 U+11AB -> U+D55C */
	nfc_is("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C");
	nfc_is("王小明", "王小明");
	nfc_is("Ærøskøbing", "Ærøskøbing");
	/* NFC is not NFKC: full-width letters and ligatures stay. */
	nfc_is("ＡＢＣ", "ＡＢＣ");
	nfc_is("\xEF\xAC\x81", "\xEF\xAC\x81");
	/* U+212B ANGSTROM SIGN is canonically U+00C5 */
	nfc_is("\xE2\x84\xAB", "\xC3\x85");
	/* canonical reordering: U+0323 dot below sorts before U+0307 dot
	 * above, then s composes with both into U+1E69 */
	nfc_is("s\xCC\x87\xCC\xA3", "\xE1\xB9\xA9");

	CHECK(crm_norm_nfc("abcdef", 3, &b) == 0 &&
		  strcmp(crm_buf_str(&b), "abc") == 0,
	      "nfc honours len");
	crm_buf_reset(&b);
	crm_buf_adds(&b, "x:");
	CHECK(crm_norm_nfc("e\xCC\x81", 3, &b) == 0 &&
		  strcmp(crm_buf_str(&b), "x:\xC3\xA9") == 0,
	      "nfc appends");
	crm_buf_reset(&b);
	CHECK_INT(crm_norm_nfc("\xC3", 1, &b), -1, "nfc: truncated sequence");
	CHECK_INT(crm_norm_nfc("a\xFF"
			       "b",
			       3, &b),
		  -1, "nfc: 0xFF byte");
	CHECK_INT(crm_norm_nfc("\xC0\x80", 2, &b), -1, "nfc: overlong NUL");
	CHECK_INT(crm_norm_nfc("\xE0\x80\xAF", 3, &b), -1, "nfc: overlong /");
	CHECK_INT(crm_norm_nfc("\xED\xA0\x80", 3, &b), -1, "nfc: surrogate");
	CHECK_INT(crm_norm_nfc("\xF4\x90\x80\x80", 4, &b), -1,
		  "nfc: past U+10FFFF");
	CHECK_INT(crm_norm_nfc("\x80", 1, &b), -1, "nfc: lone continuation");
	CHECK_INT(crm_norm_nfc("a\0b", 3, &b), -1, "nfc: NUL in ASCII");
	CHECK_INT(crm_norm_nfc("\xC3\xA9\0", 3, &b), -1, "nfc: NUL in UTF-8");
	CHECK_INT(b.len, 0, "nfc: nothing appended on error");
	crm_buf_release(&b);
}

static void test_key(void)
{
	struct crm_buf a = {0}, b = {0};

	key_is("  Zoë  O'Brien ", "zoe o brien");
	key_is("Zoe\xCC\x88", "zoe");
	key_is("Ñandú", "nandu");
	key_is("王小明", "王小明");
	key_is("王 小明", "王 小明");
	key_is("Ærøskøbing", "ærøskøbing");
	key_is("ＡＢＣ", "abc");
	key_is("ＡＢＣ株式会社", "abc株式会社");
	key_is("１２３", "123");
	/* U+0130 folds to i + U+0307, and the dot goes with the accents */
	key_is("İstanbul", "istanbul");
	key_is("ISTANBUL", "istanbul");
	key_is("Şişli", "sisli");
	key_is("Straße", "strasse");
	key_is("Dvořák", "dvorak");
	key_is("Łódź", "łodz");
	key_is("Nguyễn Thị Minh Khai", "nguyen thi minh khai");
	key_is("Müller-Lüdenscheidt", "muller ludenscheidt");
	key_is("Mañana\xE2\x80\x94"
	       "Café",
	       "manana cafe");
	key_is("\xEF\xAC\x81ne", "fine");
	key_is("\xE2\x91\xA0\xE2\x91\xA1", "12");
	key_is("ΣΊΣΥΦΟΣ", "σισυφοσ");
	key_is("Москва́", "москва");
	key_is("Ёжиков", "ежиков");
	/* Arabic and Hebrew vowel points are optional: stripped. */
	key_is("مُحَمَّد", "محمد");
	key_is("שָׁלוֹם", "שלום");
	/* Devanagari vowel signs and kana voicing marks are letters' parts:
	 * kept, so कमला is not कमल and ガス is not カス. */
	key_is("कमला", "कमला");
	key_is("ガス", "ガス");
	key_is("ｶﾞｽ", "ガス");
	key_is("한국", "한국");
	key_is("Ann \xF0\x9F\x98\x80 Lee", "ann lee");
	key_is("Ab\xC2\xAD"
	       "c",
	       "abc");
	key_is("a\tb\nc", "a b c");
	key_is("---", "");
	key_is("", "");
	key_is("O'Brien \xC3\xA9", "o brien e");
	key_is("R2-D2 & C-3PO", "r2 d2 c 3po");

	CHECK(crm_norm_key("a\0b", 3, &a) == 0 &&
		  strcmp(crm_buf_str(&a), "a b") == 0,
	      "key: NUL separates");
	crm_buf_reset(&a);
	CHECK_INT(crm_norm_key("Zo\xC3", 3, &a), -1, "key: invalid UTF-8");
	crm_buf_reset(&a);
	/* The ASCII fast path and the Unicode path agree. */
	crm_norm_key("Jean-Luc  PICARD!", 17, &a);
	crm_norm_key("Jean-Luc\xC2\xA0 PICARD\xEF\xBC\x81", 20, &b);
	CHECK_STR(crm_buf_str(&a), crm_buf_str(&b), "ASCII and Unicode agree");
	crm_buf_release(&a);
	crm_buf_release(&b);
}

static void test_email_valid(void)
{
	char local64[80], label63[100];

	email_ok("ann@example.com", "ann@example.com");
	email_ok("  Ann.Lee@Example.COM  ", "Ann.Lee@example.com");
	email_ok("\tann@example.com\r\n", "ann@example.com");
	email_ok("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk");
	email_ok("o'brien@example.ie", "o'brien@example.ie");
	email_ok("first_last-1@my-domain.io", "first_last-1@my-domain.io");
	email_ok("a@b.co", "a@b.co");
	email_ok("!#$%&'*+-/=?^_`{|}~@example.org",
		 "!#$%&'*+-/=?^_`{|}~@example.org");
	email_ok("x@xn--bcher-kva.de", "x@xn--bcher-kva.de");
	email_ok("user@BÜCHER.de", "user@bücher.de");
	email_ok("用户@例子.广告", "用户@例子.广告");
	email_ok("ann@ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ", "ann@παράδειγμα.δοκιμή");
	email_ok("josé@straße.de", "josé@straße.de");
	email_ok("Zoe\xCC\x88@example.com", "Zo\xC3\xAB@example.com");
	email_ok("ann@123.example.com", "ann@123.example.com");
	/* T + U+0308 lower-cases to t + U+0308, which NFC makes U+1E97 */
	email_ok("ann@aT\xCC\x88.de", "ann@a\xE1\xBA\x97.de");

	memset(local64, 'a', 64);
	strcpy(local64 + 64, "@example.com");
	email_ok(local64, local64);
	memset(label63, 'b', 63);
	strcpy(label63, "ann@");
	memset(label63 + 4, 'b', 63);
	strcpy(label63 + 67, ".com");
	email_ok(label63, label63);
}

static void test_email_invalid(void)
{
	char buf[400];
	struct crm_buf b = {0};
	struct crm_err e = {0};

	email_bad("ann@", "invalid address 'ann@': empty domain");
	email_bad("@example.com",
		  "invalid address '@example.com': empty local part");
	email_bad("ann", "invalid address 'ann': no '@'");
	email_bad("ann@@example.com",
		  "invalid address 'ann@@example.com': more than one '@'");
	email_bad("a@b@example.com",
		  "invalid address 'a@b@example.com': more than one '@'");
	email_bad("ann lee@example.com",
		  "invalid address 'ann lee@example.com': space in local part");
	email_bad(".ann@example.com", "invalid address '.ann@example.com': "
				      "local part starts or ends with a dot");
	email_bad("ann.@example.com", "invalid address 'ann.@example.com': "
				      "local part starts or ends with a dot");
	email_bad("ann..lee@example.com",
		  "invalid address 'ann..lee@example.com': two dots in a row");
	email_bad("ann@example",
		  "invalid address 'ann@example': domain has no dot");
	email_bad("ann@example.c",
		  "invalid address 'ann@example.c': "
		  "top-level domain shorter than 2 characters");
	email_bad("ann@-example.com", "invalid address 'ann@-example.com': "
				      "domain label starts with a hyphen");
	email_bad("ann@example-.com", "invalid address 'ann@example-.com': "
				      "domain label ends with a hyphen");
	email_bad("ann@example..com",
		  "invalid address 'ann@example..com': empty label in domain");
	email_bad("ann@.example.com",
		  "invalid address 'ann@.example.com': empty label in domain");
	email_bad("ann@example.com.",
		  "invalid address 'ann@example.com.': empty label in domain");
	email_bad("ann@exa_mple.com", "invalid address 'ann@exa_mple.com': "
				      "character not allowed in domain");
	email_bad("ann@exam ple.com", "invalid address 'ann@exam ple.com': "
				      "character not allowed in domain");
	email_bad("ann@[192.168.0.1]", "invalid address 'ann@[192.168.0.1]': "
				       "character not allowed in domain");
	email_bad(
	    "ann@1.2.3.4",
	    "invalid address 'ann@1.2.3.4': top-level domain is a number");
	email_bad("\"ann lee\"@example.com",
		  "invalid address '\"ann lee\"@example.com': quoted local "
		  "parts are not supported");
	email_bad("Ann <ann@example.com>",
		  "invalid address 'Ann <ann@example.com>': space in local "
		  "part");
	email_bad("ann(x)@example.com",
		  "invalid address 'ann(x)@example.com': character not "
		  "allowed in local part");
	email_bad("ann\x01@example.com",
		  "invalid address 'ann\x01@example.com': character not "
		  "allowed in local part");
	email_bad("ann\xC2\xA0lee@example.com",
		  "invalid address 'ann\xC2\xA0lee@example.com': character "
		  "not allowed in local part");
	email_bad("ann@ex\xE2\x80\x94"
		  "ample.com",
		  "invalid address 'ann@ex\xE2\x80\x94"
		  "ample.com': "
		  "character not allowed in domain");
	email_bad("", "invalid address '': empty");
	email_bad("   ", "invalid address '': empty");
	email_bad("ann@ex\xFF"
		  "ample.com",
		  "invalid address: not valid UTF-8");

	memset(buf, 'a', 65);
	strcpy(buf + 65, "@example.com");
	crm_norm_email(buf, &b, &e);
	CHECK(strstr(e.msg, ": local part longer than 64 bytes") != NULL,
	      "email: 65-byte local part");
	strcpy(buf, "ann@");
	memset(buf + 4, 'b', 64);
	strcpy(buf + 68, ".com");
	crm_norm_email(buf, &b, &e);
	CHECK(strstr(e.msg, ": domain label longer than 63 bytes") != NULL,
	      "email: 64-byte domain label");
	/* 4 + 5 * 50 + 3 = 257 bytes, every label fine */
	strcpy(buf, "ann@");
	for (int i = 0; i < 50; i++)
		strcat(buf, "abcd.");
	strcat(buf, "com");
	CHECK_INT(crm_norm_email(buf, &b, &e), -1, "email: 257 bytes refused");
	CHECK(strstr(e.msg, ": longer than 254 bytes") != NULL &&
		  strstr(e.msg, "...'") != NULL,
	      "email: too long, quoted short");
	CHECK_INT(b.len, 0, "email: nothing appended on errors");
	CHECK_INT(crm_norm_email("x", &b, NULL), -1, "email: NULL err allowed");
	crm_buf_release(&b);
}

static void test_email_key(void)
{
	struct crm_buf b = {0};

	email_key_is("John.Smith+news@GoogleMail.com", "johnsmith@gmail.com");
	email_key_is("j.o.h.n@gmail.com", "john@gmail.com");
	email_key_is("John@Gmail.com", "john@gmail.com");
	email_key_is("+ann@gmail.com", "+ann@gmail.com");
	email_key_is("ann+crm@outlook.com", "ann@outlook.com");
	email_key_is("ann.lee+x@outlook.com", "ann.lee@outlook.com");
	email_key_is("ann+x@hotmail.com", "ann@hotmail.com");
	email_key_is("ann+x@live.com", "ann@live.com");
	email_key_is("ann+x@icloud.com", "ann@icloud.com");
	email_key_is("ann+x@me.com", "ann@me.com");
	email_key_is("ann+x@fastmail.com", "ann@fastmail.com");
	email_key_is("ann+x@protonmail.com", "ann@protonmail.com");
	email_key_is("ann+x@proton.me", "ann@proton.me");
	email_key_is("ann+a+b@proton.me", "ann@proton.me");
	email_key_is("ann-shop@yahoo.com", "ann@yahoo.com");
	email_key_is("ann+shop@yahoo.com", "ann+shop@yahoo.com");
	email_key_is("ann-x@outlook.com", "ann-x@outlook.com");
	email_key_is("Ann.Lee+x@Example.com", "ann.lee+x@example.com");
	email_key_is("ÅSA@Example.SE", "åsa@example.se");
	email_key_is("user@BÜCHER.de", "user@xn--bcher-kva.de");
	email_key_is("ANN", "ann");
	email_key_is("@gmail.com", "@gmail.com");
	email_key_is("a@gmail.com", "a@gmail.com");
	email_key_is("a.@GMAIL.COM", "a@gmail.com");
	email_key_is("ann@b@gmail.com", "ann@b@gmail.com");
	/* IDN domains: the key holds the ASCII (IDNA2008) form */
	email_key_is("anna@m\xc3\xbcller.de", "anna@xn--mller-kva.de");
	email_key_is("Anna@M\xc3\x9cLLER.DE", "anna@xn--mller-kva.de");
	email_key_is("anna@XN--MLLER-KVA.de", "anna@xn--mller-kva.de");
	email_key_is("x@stra\xc3\x9f"
		     "e.de",
		     "x@xn--strae-oqa.de");
	email_key_is("a.b+c@g\xc3\xa1mail.com", "a.b+c@xn--gmail-xqa.com");

	crm_buf_adds(&b, "k=");
	crm_norm_email_key("A.B+c@gmail.com", &b);
	CHECK_STR(crm_buf_str(&b), "k=ab@gmail.com", "email key appends");
	crm_buf_reset(&b);

	CHECK(crm_norm_email_domain("ann@Example.COM", &b) == 0 &&
		  strcmp(crm_buf_str(&b), "example.com") == 0,
	      "email domain");
	crm_buf_reset(&b);
	CHECK(crm_norm_email_domain("ann@ÜBER.de", &b) == 0 &&
		  strcmp(crm_buf_str(&b), "über.de") == 0,
	      "email domain, Unicode lower case");
	crm_buf_reset(&b);
	CHECK_INT(crm_norm_email_domain("ann", &b), -1, "no domain without @");
	CHECK_INT(crm_norm_email_domain("ann@", &b), -1, "no empty domain");
	CHECK_INT(crm_norm_email_domain(NULL, &b), -1, "no domain in NULL");
	CHECK_INT(b.len, 0, "nothing appended without a domain");
	crm_buf_release(&b);

	CHECK_STR(crm_norm_url_host("https://www.Acme.com/about"),
		  "Acme.com/about", "url host past https:// and www.");
	CHECK_STR(crm_norm_url_host("HTTP://WWW.acme.com"), "acme.com",
		  "url host, case ignored");
	CHECK_STR(crm_norm_url_host("www.acme.com"), "acme.com",
		  "url host without a scheme");
	CHECK_STR(crm_norm_url_host("ftp://acme.com"), "ftp://acme.com",
		  "url host: other schemes kept");
}

static void test_phone(void)
{
	struct crm_buf b = {0};
	struct crm_err e = {0};

	/* United Kingdom */
	phone_is("+44 20 7946 0958", NULL, "+442079460958");
	phone_is("+44 (0)20 7946 0958", NULL, "+442079460958");
	phone_is("(+44) 20 7946 0958", NULL, "+442079460958");
	phone_is("0044 20 7946 0958", NULL, "+442079460958");
	phone_is("0044 20 7946 0958", "1", "+442079460958");
	phone_is("(0)20 7946 0958", "44", "+442079460958");
	phone_is("020 7946 0958", "44", "+442079460958");
	phone_is("020 7946 0958", "+44", "+442079460958");
	phone_is("020 7946 0958", NULL, "02079460958");
	phone_is("020 7946 0958", "", "02079460958");
	/* United States and Canada */
	phone_is("(415) 555-2671", "1", "+14155552671");
	phone_is("1 (415) 555-2671", "1", "+14155552671");
	phone_is("+1 415 555 2671", "44", "+14155552671");
	phone_is("415.555.2671", NULL, "4155552671");
	phone_is("011 44 20 7946 0958", "1", "+442079460958");
	/* extensions */
	phone_is("+1 415 555 2671 x123", NULL, "+14155552671");
	phone_is("+1 415 555 2671 X 123", NULL, "+14155552671");
	phone_is("+1 415 555 2671 ext 123", NULL, "+14155552671");
	phone_is("+1 415 555 2671 ext. 123", NULL, "+14155552671");
	phone_is("+1 415 555 2671 Ext: 45", NULL, "+14155552671");
	phone_is("+1 415 555 2671 extension 7", NULL, "+14155552671");
	phone_is("+1 415 555 2671 #123", NULL, "+14155552671");
	phone_is("415-555-2671x9", NULL, "4155552671");
	/* Germany, France, Italy, Japan, India, Brazil */
	phone_is("+49 30 901820", NULL, "+4930901820");
	phone_is("030 901820", "49", "+4930901820");
	phone_is("030/901820", "49", "+4930901820");
	phone_is("01 23 45 67 89", "33", "+33123456789");
	phone_is("+33 1 23 45 67 89", NULL, "+33123456789");
	phone_is("06 1234 5678", "39", "+390612345678");
	phone_is("+39 06 1234 5678", NULL, "+390612345678");
	phone_is("03-1234-5678", "81", "+81312345678");
	phone_is("+91 98765 43210", NULL, "+919876543210");
	phone_is("+55 (11) 91234-5678", NULL, "+5511912345678");
	/* NBSP and U+2011 NON-BREAKING HYPHEN are noise */
	phone_is("+44\xC2\xA0"
		 "20\xE2\x80\x91"
		 "7946 0958",
		 NULL, "+442079460958");
	phone_is("1234", NULL, "1234");
	phone_is("+123456789012345", NULL, "+123456789012345");
	phone_is("  +44 20 7946 0958  ", NULL, "+442079460958");

	phone_bad("+1 800 FLOWERS", NULL,
		  "invalid phone number '+1 800 FLOWERS': unexpected 'F'");
	phone_bad("123", NULL,
		  "invalid phone number '123': fewer than 4 digits");
	phone_bad("", NULL, "invalid phone number '': fewer than 4 digits");
	phone_bad("0", "44", "invalid phone number '0': fewer than 4 digits");
	phone_bad("+1234567890123456", NULL,
		  "invalid phone number '+1234567890123456': more than 15 "
		  "digits");
	phone_bad("0123456789012345", "1",
		  "invalid phone number '0123456789012345': more than 15 "
		  "digits");
	phone_bad("12345678901234567890123456789012345", NULL,
		  "invalid phone number '12345678901234567890123456789012345': "
		  "more than 15 digits");
	phone_bad("12+34", NULL,
		  "invalid phone number '12+34': unexpected '+'");
	phone_bad("x123", NULL, "invalid phone number 'x123': unexpected 'x'");
	phone_bad("555-1234 ext", NULL,
		  "invalid phone number '555-1234 ext': unexpected 'e'");
	phone_bad("555-1234 x12a", NULL,
		  "invalid phone number '555-1234 x12a': unexpected 'x'");
	phone_bad("555_1234", NULL,
		  "invalid phone number '555_1234': unexpected '_'");
	phone_bad("+0 123 4567", NULL,
		  "invalid phone number '+0 123 4567': country code cannot "
		  "start with 0");
	phone_bad("555 \xF0\x9F\x93\x9E 1234", NULL,
		  "invalid phone number '555 \xF0\x9F\x93\x9E 1234': "
		  "unexpected character");

	CHECK_INT(crm_norm_phone("020 7946 0958", "UK", &b, &e), -1,
		  "phone: bad default country code");
	CHECK_INT(e.code, CRM_EX_CONFIG, "phone: bad country code is config");
	CHECK_STR(e.msg, "invalid country calling code 'UK'",
		  "phone: bad country code message");
	CHECK_INT(crm_norm_phone("020 7946 0958", "0044", &b, &e), -1,
		  "phone: 0044 is not a country code");
	CHECK_INT(crm_norm_phone("x", NULL, &b, NULL), -1,
		  "phone: NULL err allowed");
	CHECK_INT(crm_norm_phone(NULL, NULL, &b, &e), -1, "phone: NULL input");
	CHECK_STR(e.msg, "invalid phone number '': fewer than 4 digits",
		  "phone: NULL input message");
	crm_buf_release(&b);
}

static void test_company(void)
{
	struct crm_buf a = {0}, b = {0};

	company_is("The ACME Corp., Inc.", "acme");
	company_is("Acme Holdings Co., Ltd.", "acme holdings");
	company_is("ACME, Inc", "acme");
	company_is("Acme LLC", "acme");
	company_is("Acme L.L.C.", "acme");
	company_is("Acme Limited", "acme");
	company_is("Acme Corporation", "acme");
	company_is("The Boeing Company", "boeing");
	company_is("Sony Group Corporation", "sony group");
	company_is("Costco Wholesale", "costco wholesale");
	company_is("BHP Pty Ltd", "bhp");
	company_is("Tata Consultancy Services Pvt. Ltd.",
		   "tata consultancy services");
	company_is("AT&T Inc.", "at and t");
	company_is("Procter & Gamble Co.", "procter and gamble");
	company_is("Smith & Co.", "smith");
	/* German, French, Spanish, Italian, Dutch, Nordic */
	company_is("Siemens AG", "siemens");
	company_is("Müller GmbH & Co. KG", "muller");
	company_is("Société Générale S.A.", "societe generale");
	company_is("Nestlé S.A.", "nestle");
	company_is("Renault S.A.S.", "renault");
	company_is("Dupont SARL", "dupont");
	company_is("Dupont S.A.R.L.", "dupont");
	company_is("Telefónica, S.A.", "telefonica");
	company_is("Banco Santander, S.A.", "banco santander");
	company_is("Ferrari S.p.A.", "ferrari");
	company_is("Rossi S.r.l.", "rossi");
	company_is("Philips N.V.", "philips");
	company_is("Booking.com B.V.", "booking com");
	company_is("Nokia Oyj", "nokia");
	company_is("Volvo AB", "volvo");
	company_is("Maersk A/S", "maersk");
	/* Chinese, Japanese, Korean, Russian */
	company_is("腾讯科技有限公司", "腾讯科技");
	company_is("华为技术有限公司", "华为技术");
	company_is("中国平安保险(集团)股份有限公司", "中国平安保险 集团");
	company_is("台灣積體電路製造股份有限公司", "台灣積體電路製造");
	company_is("トヨタ自動車株式会社", "トヨタ自動車");
	company_is("株式会社セブン-イレブン・ジャパン",
		   "セブン イレブン ジャパン");
	company_is("(株)トヨタ", "トヨタ");
	company_is("\xE3\x88\xB1トヨタ", "トヨタ");
	company_is("トヨタ(株)", "トヨタ");
	company_is("삼성전자 주식회사", "삼성전자");
	company_is("주식회사 카카오", "카카오");
	company_is("\xE3\x88\x9C카카오", "카카오");
	company_is("ООО «Ромашка»", "ромашка");
	/* never empty while there is a letter */
	company_is("Inc.", "inc");
	company_is("Company Inc", "company");
	company_is("The", "the");
	company_is("株式会社", "株式会社");
	company_is("有限公司", "有限公司");
	company_is("株式会社 株式会社", "株式会社");
	company_is("株式会社 Inc.", "株式会社");
	company_is("The Inc.", "the");
	company_is("", "");
	company_is("...", "");

	crm_norm_company("ACME Corp", 9, &a);
	crm_norm_company("acme, inc.", 10, &b);
	CHECK_STR(crm_buf_str(&a), crm_buf_str(&b), "ACME Corp = acme, inc.");
	crm_buf_reset(&a);
	CHECK_INT(crm_norm_company("Acme\xFF", 5, &a), -1,
		  "company: invalid UTF-8");
	/* fuzz_normalize: a CJK prefix followed by a combining mark ends
	 * inside a character, so it is kept; the key stays a key */
	company_is("유한회사\xCC\x81 A", "유한회사\xCC\x81 a");
	company_is("유한회사 Acme", "acme");
	crm_buf_release(&a);
	crm_buf_release(&b);
}

int main(void)
{
	test_nfc();
	test_key();
	test_email_valid();
	test_email_invalid();
	test_email_key();
	test_phone();
	test_company();
	return done_testing();
}
