/* t_real.c - crm_real_text (lib/store/real_text.c): a real column's text
 * on PostgreSQL printed as SQLite prints the double. Its digit-by-digit
 * way for texts of at most 15 significant digits must agree with the
 * double's way (strtod, "%.15g", SQLite's ".0"), written again here, over
 * many values: the shortest texts of random doubles, texts of 1 to 20
 * digits at every point and exponent, negatives, zeros, the range's
 * edges, NaN and the infinities. Texts of at most 15 digits also agree
 * with SQLite's own printf ("%!.15g", sqlite3_column_text's), but for
 * -0 (SQLite prints 0.0); longer ones differ from it at rounding edges
 * (glibc rounds exactly, SQLite does not), as before. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "real_text.h"
#include "test.h"

/* the double's way, as store_pg.c wrote every real before */
static const char *want_text(const char *v, char *buf, size_t n)
{
	char *end, *e;
	double d = strtod(v, &end);
	size_t len;

	if (end == v || *end || isnan(d) || isinf(d))
		return NULL;
	snprintf(buf, n, "%.15g", d);
	if (strchr(buf, '.'))
		return buf;
	len = strlen(buf);
	e = strchr(buf, 'e');
	if (!e) {
		memcpy(buf + len, ".0", 3);
	} else {
		memmove(e + 2, e, strlen(e) + 1);
		memcpy(e, ".0", 2);
	}
	return buf;
}

static long tried, wrong;

static void one(const char *v)
{
	char got[CRM_REAL_TEXT_LEN], want[64];
	const char *g, *w;

	memset(got, 'x', sizeof(got));
	g = crm_real_text(v, got);
	w = want_text(v, want, sizeof(want));
	tried++;
	if ((g == NULL) == (w == NULL) && (!g || !strcmp(g, w)))
		return;
	if (wrong++ < 10)
		printf("#   '%s': got '%s', want '%s'\n", v, g ? g : "(null)",
		       w ? w : "(null)");
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* a double's shortest text that reads back to it, as PostgreSQL's
 * float8 output gives (extra_float_digits 1, the default since 12) */
static void shortest(double d, char *buf, size_t n)
{
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, n, "%.*g", p, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void fixed_values(void)
{
	static const char *const v[] = {"0",
					"-0",
					"0.0",
					"-0.00",
					"0.000",
					"00.5",
					"1",
					"-1",
					"50",
					"1.5",
					"1234.5000",
					"-12.50",
					"0.1",
					"0.0001",
					"0.00001",
					"0.000012345",
					"1e+20",
					"1e-05",
					"1.5e-05",
					"1e+15",
					"1e+14",
					"100000000000000",
					"1000000000000000",
					"999999999999999",
					"9999999999999999",
					"123456789012345",
					"1234567890123456",
					"12345678901234567",
					"0.1234567890123456789",
					"33.333333333333336",
					"33.3333333333333",
					"66.66666666666667",
					"0.30000000000000004",
					"2.5",
					"4.35",
					"1.7976931348623157e+308",
					"2.2250738585072014e-308",
					"4.9e-324",
					"5e-324",
					"1e-300",
					"1e-301",
					"1e+300",
					"1e+301",
					"1e+308",
					"1e+309",
					"1e-400",
					"123.456e2",
					"0.5E-3",
					"1e+100",
					"-1.5e+200",
					"NaN",
					"Infinity",
					"-Infinity",
					"",
					"-",
					".",
					"abc",
					"1.2.3",
					"1e",
					"1e+",
					"12x",
					" 1",
					"+1",
					"0x10",
					"1e123456",
					"100000000000000000000000000000",
					"0.000000000000000000000000000001",
					"1.00000000000000000000001",
					"1.000000000000000000000000",
					"120000000000000000000"};

	tried = wrong = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		one(v[i]);
	CHECK(wrong == 0, "fixed texts: zeros, edges, NaN, Infinity, junk");
}

static void random_doubles(void)
{
	char buf[64];

	tried = wrong = 0;
	for (int i = 0; i < 300000; i++) {
		uint64_t bits = next();
		double d;

		memcpy(&d, &bits, sizeof(d));
		if (isnan(d) || isinf(d))
			continue;
		shortest(d, buf, sizeof(buf));
		one(buf);
		snprintf(buf, sizeof(buf), "%.17g", d);
		one(buf);
		snprintf(buf, sizeof(buf), "%.15g", d);
		one(buf);
	}
	CHECK(wrong == 0, "random doubles: shortest, 17 and 15 digits");
	printf("# %ld texts\n", tried);
}

/* texts of 1 to 20 digits, the point anywhere or nowhere, an exponent
 * or none, a sign or none, leading and trailing zeros */
static void random_texts(void)
{
	char buf[64];

	tried = wrong = 0;
	for (int i = 0; i < 600000; i++) {
		uint64_t r = next();
		int nd = 1 + (int)(r % 20), point = (int)(r >> 8) % (nd + 2);
		char *w = buf;

		if (r >> 16 & 1)
			*w++ = '-';
		for (int k = 0; k < nd; k++) {
			uint64_t q = next();

			if (k == point)
				*w++ = '.';
			/* zeros often, so runs of them come up */
			*w++ = q % 3 ? (char)('0' + q / 3 % 10) : '0';
		}
		if (r >> 20 & 1)
			w += sprintf(w, "e%+d",
				     (int)(r >> 24) % 330 -
					 (int)(r >> 40) % 330);
		else if (r >> 21 & 1)
			w += sprintf(w, "e%+d", (int)(r >> 24) % 20 - 10);
		*w = '\0';
		one(buf);
	}
	CHECK(wrong == 0, "random texts of 1 to 20 digits");
	printf("# %ld texts\n", tried);
}

/* numeric's exact decimals, as sums and quotients of money give them:
 * an integer part, then 0 to 20 places (trailing zeros kept) */
static void decimals(void)
{
	char buf[64];

	tried = wrong = 0;
	for (int64_t i = -200000; i <= 200000; i += 7) {
		uint64_t f = next();

		for (int places = 0; places <= 20; places++) {
			int n =
			    snprintf(buf, sizeof(buf), "%lld", (long long)i);

			if (places)
				buf[n++] = '.';
			for (int k = 0; k < places; k++, f /= 7)
				buf[n++] =
				    f % 7 > 3 ? '0' : (char)('0' + f % 10);
			buf[n] = '\0';
			if (!(f & 15))
				f = next();
			one(buf);
		}
	}
	CHECK(wrong == 0, "numeric decimals with 0 to 20 places");
	printf("# %ld texts\n", tried);
}

/* SQLite's own text of the doubles of 15-digit texts: the digits'
 * way gives it too (not for -0, which SQLite prints as 0.0) */
static void as_sqlite(void)
{
	char v[64], want[64], got[CRM_REAL_TEXT_LEN];
	long n = 0, bad = 0;

	for (int i = 0; i < 300000; i++) {
		uint64_t bits = next();
		double d;

		memcpy(&d, &bits, sizeof(d));
		if (isnan(d) || isinf(d) || d == 0)
			continue;
		snprintf(v, sizeof(v), "%.15g", d);
		sqlite3_snprintf(sizeof(want), want, "%!.15g", strtod(v, NULL));
		n++;
		if (strcmp(crm_real_text(v, got), want) && bad++ < 10)
			printf("#   '%s': got '%s', SQLite '%s'\n", v, got,
			       want);
	}
	CHECK(bad == 0, "15-digit texts as SQLite itself prints them");
	printf("# %ld texts\n", n);
}

int main(void)
{
	fixed_values();
	random_doubles();
	random_texts();
	decimals();
	as_sqlite();
	return done_testing();
}
