/* t_match.c - comparators against published or hand-computed values:
 * Jaro-Winkler (Winkler's examples), Damerau-Levenshtein, token sets,
 * NYSIIS, dates, numbers, nicknames and addresses. */
#include <stdlib.h>

#include "match.h"
#include "normalize.h"
#include "test.h"

static char what[256];

static void jw_is(const char *a, const char *b, double want)
{
	snprintf(what, sizeof(what), "jaro-winkler %s/%s = %.3f", a, b, want);
	CHECK_NEAR(crm_match_jaro_winkler(a, b), want, 0.0005, what);
}

static void dl_is(const char *a, const char *b, int want)
{
	snprintf(what, sizeof(what), "damerau %s/%s = %d", a, b, want);
	CHECK_INT(crm_match_damerau(a, b), want, what);
}

static void ts_is(const char *a, const char *b, double want)
{
	snprintf(what, sizeof(what), "token set '%s'/'%s' = %.3f", a, b, want);
	CHECK_NEAR(crm_match_token_set(a, b), want, 0.0005, what);
}

static void nysiis_is(const char *s, const char *want)
{
	struct crm_buf b = {0};

	crm_match_nysiis(s, &b);
	snprintf(what, sizeof(what), "nysiis %s = %s", s, want);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

static void date_is(const char *a, const char *b, int want)
{
	snprintf(what, sizeof(what), "date %s/%s = level %d", a, b, want);
	CHECK_INT(
	    crm_match_date(crm_match_date_parse(a), crm_match_date_parse(b)),
	    want, what);
}

static void addr_is(const char *s, const char *want)
{
	struct crm_buf b = {0};

	snprintf(what, sizeof(what), "address '%s' -> '%s'", s, want);
	CHECK(crm_norm_address(s, strlen(s), &b) == 0, what);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

int main(void)
{
	/* Winkler (1990) and the usual reference tables */
	jw_is("MARTHA", "MARHTA", 0.961);
	jw_is("DIXON", "DICKSONX", 0.813);
	jw_is("DWAYNE", "DUANE", 0.840);
	jw_is("JELLYFISH", "SMELLYFISH", 0.896);
	jw_is("", "", 1);
	jw_is("A", "", 0);
	jw_is("ABC", "XYZ", 0);
	jw_is("same", "same", 1);
	/* code points, not bytes: one accented letter differs */
	/* 4 matches of 5 and 6: jaro (4/5 + 4/6 + 1)/3 = 0.8222; prefix 3 */
	jw_is("ren\xc3\xa9"
	      "e",
	      "renate", 0.8756);

	dl_is("kitten", "sitting", 3);
	dl_is("abcdef", "abcdfe", 1);
	dl_is("CA", "ABC", 3);
	dl_is("", "abc", 3);
	dl_is("smith", "smith", 0);
	dl_is("z\xc3\xbcrich", "zurich", 1);

	ts_is("acme holdings", "holdings acme", 1);
	ts_is("acme", "acme holdings", 0.5);
	ts_is("12 main street", "12 main road", 0.5);
	ts_is("a a b", "b c", 1.0 / 3);
	ts_is("", "", 1);
	ts_is("x", "", 0);

	nysiis_is("JOHNSON", "JANSAN");
	nysiis_is("Knight", "NAGT");
	nysiis_is("MITCHELL", "MATCAL");
	nysiis_is("Brown", "BRAN");
	nysiis_is("MACINTOSH", "MCANT");
	nysiis_is("Phillips", "FALAP");
	nysiis_is("schmidt", "SNAD");
	nysiis_is("", "");

	date_is("1980-03-07", "1980-03-07", 3);
	date_is("1980-03-07", "1980-07-03", 2); /* day and month swapped */
	date_is("1980-03-07", "1980-03-08", 2); /* one digit */
	date_is("1980-03-07", "1908-03-07", 2); /* adjacent digits swapped */
	date_is("1980-03-07", "1980-11-21", 1); /* same year */
	date_is("1980-03-07", "1975-11-21", 0);
	date_is("07/03/1980", "19800307", 3);
	date_is("1980-03-07T10:00:00Z", "1980-03-07", 3);
	date_is("1980-13-07", "1980-03-07", -1); /* no month 13 */
	date_is("", "1980-03-07", -1);
	date_is("March 7", "1980-03-07", -1);

	CHECK_NEAR(crm_match_numeric(100, 95), 0.95, 1e-9, "numeric 100/95");
	CHECK_NEAR(crm_match_numeric(0, 0), 1, 1e-9, "numeric 0/0");
	CHECK_NEAR(crm_match_numeric(-1, 1), 0, 1e-9, "numeric -1/1");

	CHECK_STR(crm_norm_nickname("bob"), "robert", "nickname bob");
	CHECK_STR(crm_norm_nickname("kate"), "catherine", "nickname kate");
	CHECK_STR(crm_norm_nickname("bill"), "william", "nickname bill");
	CHECK_STR(crm_norm_nickname("zoe"), "zoe", "not a nickname");

	addr_is("12 Main St.", "12 main street");
	addr_is("4/22 Smith Rd, N Sydney", "4 22 smith road north sydney");
	addr_is("1 Avenue Rd", "1 avenue road");
	addr_is("Stra\xc3\x9f"
		"e 5",
		"strasse 5");
	return done_testing();
}
