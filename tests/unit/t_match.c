/* t_match.c - comparators against published or hand-computed values:
 * Jaro-Winkler (Winkler's examples), Damerau-Levenshtein, token sets,
 * NYSIIS, dates, numbers, nicknames and addresses; and the fast forms
 * (bit-parallel Jaro matching, the capped edit distance, dates without
 * printing) against plain reference code on random strings. */
#include <math.h>
#include <stdlib.h>

#include "match.h"
#include "normalize.h"
#include "test.h"

static char what[256];

/* -- references: the textbook algorithms, kept simple ------------------- */

/* Code points of UTF-8 s (the first 64), invalid bytes as themselves. */
static int ref_decode(const char *s, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;

	while (*p && n < 64) {
		unsigned c = *p;
		int len = 1;
		if (c >= 0xF0 && (p[1] & 0xC0) == 0x80 &&
		    (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
			c = (c & 7) << 18 | (p[1] & 0x3Fu) << 12 |
			    (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
			len = 4;
		} else if (c >= 0xE0 && (p[1] & 0xC0) == 0x80 &&
			   (p[2] & 0xC0) == 0x80) {
			c = (c & 15) << 12 | (p[1] & 0x3Fu) << 6 |
			    (p[2] & 0x3Fu);
			len = 3;
		} else if (c >= 0xC0 && (p[1] & 0xC0) == 0x80) {
			c = (c & 31) << 6 | (p[1] & 0x3Fu);
			len = 2;
		}
		cp[n++] = c;
		p += len;
	}
	return n;
}

static double ref_jw(const char *a, const char *b)
{
	unsigned x[64], y[64];
	int mx[64] = {0}, my[64] = {0};
	int nx = ref_decode(a, x), ny = ref_decode(b, y), m = 0, t = 0, k = 0;
	int win, prefix = 0;
	double jaro;

	if (!nx && !ny)
		return 1;
	if (!nx || !ny)
		return 0;
	win = (nx > ny ? nx : ny) / 2 - 1;
	if (win < 0)
		win = 0;
	for (int i = 0; i < nx; i++)
		for (int j = i - win < 0 ? 0 : i - win; j < ny && j <= i + win;
		     j++)
			if (!my[j] && x[i] == y[j]) {
				mx[i] = my[j] = 1;
				m++;
				break;
			}
	if (!m)
		return 0;
	for (int i = 0; i < nx; i++) {
		if (!mx[i])
			continue;
		while (!my[k])
			k++;
		t += x[i] != y[k++];
	}
	jaro = ((double)m / nx + (double)m / ny + (m - t / 2.0) / m) / 3;
	while (prefix < 4 && prefix < nx && prefix < ny &&
	       x[prefix] == y[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1 - jaro);
}

static int ref_date(long a, long b)
{
	char x[32], y[32];
	int diff = 0, first = -1, second = -1;

	if (!a || !b)
		return -1;
	if (a == b)
		return 3;
	if (a / 10000 == b / 10000 && a / 100 % 100 == b % 100 &&
	    a % 100 == b / 100 % 100)
		return 2;
	snprintf(x, sizeof(x), "%08ld", a);
	snprintf(y, sizeof(y), "%08ld", b);
	for (int i = 0; x[i] && y[i]; i++)
		if (x[i] != y[i]) {
			if (diff++ == 0)
				first = i;
			else
				second = i;
		}
	if (diff == 1 || (diff == 2 && second == first + 1 &&
			  x[first] == y[second] && x[second] == y[first]))
		return 2;
	return a / 10000 == b / 10000 ? 1 : 0;
}

static long ref_date_parse(const char *s)
{
	int y, m, d, len = 0;
	char sep;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) == 3 && len == 10)
		;
	else if (strlen(s) == 8 && strspn(s, "0123456789") == 8)
		y = atoi(s) / 10000, m = atoi(s) / 100 % 100, d = atoi(s) % 100;
	else if (sscanf(s, "%2d%c%2d%*c%4d%n", &d, &sep, &m, &y, &len) == 4 &&
		 (sep == '/' || sep == '.') && s[len] == '\0' && y >= 1000)
		;
	else
		return 0;
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1)
		return 0;
	return (long)y * 10000 + m * 100 + d;
}

static unsigned long long seed = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* A random string of up to 70 characters from a small alphabet (so that
 * matches are common), an accented letter, a stray byte; or a copy of base
 * with a few edits. */
static void random_string(char *s, const char *base)
{
	static const char *const alpha[] = {"a", "b",	     "c",    "e",
					    "n", "\xc3\xa9", "\xff", " "};
	size_t n = 0;

	if (base && rnd(2)) {
		n = strlen(base);
		memcpy(s, base, n + 1);
		for (unsigned e = rnd(3); e-- > 0 && n > 1;) {
			size_t at = rnd((unsigned)n - 1);
			char c = s[at];
			if (s[at] & 0x80 || s[at + 1] & 0x80)
				continue;
			s[at] = s[at + 1]; /* a swap, else a substitution */
			s[at + 1] = rnd(2) ? c : 'z';
		}
		return;
	}
	for (unsigned k = rnd(71); k-- > 0;) {
		const char *a = alpha[rnd(rnd(4) ? 5 : 8)];
		memcpy(s + n, a, strlen(a));
		n += strlen(a);
	}
	s[n] = '\0';
}

static void fast_forms(void)
{
	char a[300], b[300];
	int jw_bad = 0, dl_bad = 0, date_bad = 0, near = 0, min_bad = 0;
	int cut = 0;

	for (int k = 0; k < 200000; k++) {
		int d, want;
		random_string(a, NULL);
		random_string(b, a);
		double jw = ref_jw(a, b), min = rnd(1000) / 1000.0;
		double got = crm_match_jaro_winkler_min(a, b, min);
		if (crm_match_jaro_winkler(a, b) != jw && !jw_bad++)
			printf("#   jaro-winkler '%s' '%s'\n", a, b);
		if ((jw >= min ? got != jw : got >= min) && !min_bad++)
			printf("#   jaro-winkler min %g '%s' '%s'\n", min, a,
			       b);
		cut += got != jw;
		d = crm_match_damerau(a, b);
		want = d < 2 ? d : 2;
		near += d == 1;
		if (crm_match_damerau_near(a, b) != want && !dl_bad++)
			printf("#   damerau near '%s' '%s'\n", a, b);
	}
	for (int k = 0; k < 200000; k++) {
		long x = (long)rnd(3000) * 10000 + rnd(1300) + rnd(2) * 1e8;
		long y = rnd(4) ? x + (long)(rnd(3) * pow(10, rnd(9))) - 1 : x;
		if (rnd(4) == 0) { /* two adjacent digits swapped */
			long e = (long)pow(10, rnd(8)), d1 = x / e % 10,
			     d2 = x / (e * 10) % 10;
			y = x + (d2 - d1) * e + (d1 - d2) * e * 10;
		}
		if (rnd(8) == 0)
			y = -y;
		if (crm_match_date(x, y) != ref_date(x, y) && !date_bad++)
			printf("#   date %ld %ld\n", x, y);
	}
	CHECK(!jw_bad, "jaro-winkler equals the textbook loop (200000 pairs)");
	CHECK(!min_bad && cut > 1000,
	      "jaro-winkler min: exact from min up, below min under it");
	CHECK(!dl_bad && near > 1000,
	      "damerau near equals the capped distance (200000 pairs)");
	CHECK(!date_bad, "date agreement equals the printed-digit form");
	date_bad = 0;
	for (int k = 0; k < 200000; k++) {
		static const char pick[] = "0123456789-/.+ T";
		static const char *const tail[] = {"", "T10:00Z", " ", "1"};
		char d[32];
		int n = (int)rnd(14);
		/* mostly dates, with a character or two changed */
		snprintf(d, sizeof(d), "%04u-%02u-%02u%s", rnd(10000), rnd(14),
			 rnd(33), tail[rnd(4)]);
		for (unsigned e = rnd(3); e-- > 0;)
			d[rnd(10)] = pick[rnd(sizeof(pick) - 1)];
		if (rnd(4) == 0)
			d[n < 10 ? n : 10] = '\0';
		if (crm_match_date_parse(d) != ref_date_parse(d) && !date_bad++)
			printf("#   date parse '%s'\n", d);
	}
	CHECK(!date_bad, "date parse: YYYY-MM-DD read as sscanf reads it");
}

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
	CHECK_INT(crm_match_damerau_near("kitten", "sitting"), 2,
		  "near: 3 is 2");
	CHECK_INT(crm_match_damerau_near("abcdef", "abcdfe"), 1,
		  "near: a swap");
	CHECK_INT(crm_match_damerau_near("abc", "abxc"), 1, "near: one more");
	CHECK_INT(crm_match_damerau_near("z\xc3\xbcrich", "zurich"), 1,
		  "near: code points");
	CHECK_INT(crm_match_damerau_near("same", "same"), 0, "near: equal");
	fast_forms();

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
