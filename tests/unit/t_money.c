/* t_money.c - ISO 4217 exponents, exact decimal parsing into minor units
 * and formatting back. */
#include "money.h"
#include "test.h"

static char what[256];

static void parses(const char *s, const char *cur, int64_t want)
{
	struct crm_err e = {0};
	int64_t v = -42;
	int rc = crm_money_parse(s, cur, &v, &e);

	snprintf(what, sizeof(what), "%s '%s' -> %" PRId64, cur, s, want);
	CHECK(rc == 0 && v == want, what);
	if (rc != 0 || v != want)
		printf("#   got %" PRId64 " rc %d (%s)\n", v, rc, e.msg);
}

/* Refused with exactly msg, CRM_EX_DATAERR, result untouched. */
static void refused(const char *s, const char *cur, const char *msg)
{
	struct crm_err e = {0};
	int64_t v = -42;
	int rc = crm_money_parse(s, cur, &v, &e);

	snprintf(what, sizeof(what), "%s '%s' refused", cur ? cur : "(null)",
		 s ? s : "(null)");
	CHECK(rc == -1 && e.code == CRM_EX_DATAERR && v == -42, what);
	snprintf(what, sizeof(what), "%s '%s' message", cur ? cur : "(null)",
		 s ? s : "(null)");
	CHECK_STR(e.msg, msg, what);
}

static void formats(int64_t v, const char *cur, const char *want)
{
	char buf[32];

	snprintf(what, sizeof(what), "format %" PRId64 " %s -> %s", v,
		 cur ? cur : "(null)", want);
	CHECK_STR(crm_money_format(v, cur, buf), want, what);
}

static void test_exponent(void)
{
	static const char *const zero[] = {
	    "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF",
	    "XPF", "PYG", "RWF", "KMF", "GNF", "BIF", "DJF", "VUV",
	};
	static const char *const three[] = {
	    "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
	};

	for (size_t i = 0; i < sizeof(zero) / sizeof(*zero); i++) {
		snprintf(what, sizeof(what), "%s has 0 decimals", zero[i]);
		CHECK_INT(crm_money_exponent(zero[i]), 0, what);
	}
	for (size_t i = 0; i < sizeof(three) / sizeof(*three); i++) {
		snprintf(what, sizeof(what), "%s has 3 decimals", three[i]);
		CHECK_INT(crm_money_exponent(three[i]), 3, what);
	}
	CHECK_INT(crm_money_exponent("EUR"), 2, "EUR has 2");
	CHECK_INT(crm_money_exponent("USD"), 2, "USD has 2");
	CHECK_INT(crm_money_exponent("GBP"), 2, "GBP has 2");
	CHECK_INT(crm_money_exponent("CNY"), 2, "CNY has 2");
	CHECK_INT(crm_money_exponent("ZZZ"), 2, "unknown well-formed has 2");
	CHECK_INT(crm_money_exponent("eur"), -1, "lower case is invalid");
	CHECK_INT(crm_money_exponent("Eur"), -1, "mixed case is invalid");
	CHECK_INT(crm_money_exponent("EU"), -1, "two letters is invalid");
	CHECK_INT(crm_money_exponent("EURO"), -1, "four letters is invalid");
	CHECK_INT(crm_money_exponent("E1R"), -1, "a digit is invalid");
	CHECK_INT(crm_money_exponent(""), -1, "empty is invalid");
	CHECK_INT(crm_money_exponent(NULL), -1, "NULL is invalid");
	CHECK_INT(crm_money_exponent("\xC3\x89UR"), -1, "non-ASCII invalid");
}

static void test_parse(void)
{
	parses("1234.5", "EUR", 123450);
	parses("1234.50", "EUR", 123450);
	parses("-12", "EUR", -1200);
	parses("0.05", "EUR", 5);
	parses("-0.05", "EUR", -5);
	parses("+3", "EUR", 300);
	parses("0", "EUR", 0);
	parses("-0", "EUR", 0);
	parses("-0.00", "EUR", 0);
	parses("007", "EUR", 700);
	parses("0.1", "USD", 10);
	parses("19.99", "USD", 1999);
	/* Zeros past the currency's precision lose nothing. */
	parses("1.230", "EUR", 123);
	parses("5.0000", "EUR", 500);

	parses("1200", "JPY", 1200);
	parses("-7", "JPY", -7);
	parses("1200.00", "JPY", 1200);
	parses("0", "KRW", 0);

	parses("1", "KWD", 1000);
	parses("1.5", "KWD", 1500);
	parses("0.001", "KWD", 1);
	parses("-2.125", "BHD", -2125);
	parses("3.1000", "TND", 3100);

	/* The extremes of int64 minor units, per exponent class. */
	parses("92233720368547758.07", "EUR", INT64_MAX);
	parses("-92233720368547758.08", "EUR", INT64_MIN);
	parses("9223372036854775807", "JPY", INT64_MAX);
	parses("-9223372036854775808", "JPY", INT64_MIN);
	parses("9223372036854775.807", "KWD", INT64_MAX);
	parses("-9223372036854775.808", "KWD", INT64_MIN);
}

static void test_refusals(void)
{
	refused("1.234", "EUR",
		"amount '1.234' is more precise than EUR allows (2 decimals)");
	refused("0.001", "USD",
		"amount '0.001' is more precise than USD allows (2 decimals)");
	refused("1200.5", "JPY",
		"amount '1200.5' is more precise than JPY allows (0 decimals)");
	refused("1.2345", "KWD",
		"amount '1.2345' is more precise than KWD allows (3 decimals)");
	refused("1.2301", "EUR",
		"amount '1.2301' is more precise than EUR allows (2 decimals)");

	refused(
	    "1,234.50", "EUR",
	    "invalid amount '1,234.50': use '.' for decimals and no thousands "
	    "separators");
	refused("1,5", "EUR",
		"invalid amount '1,5': use '.' for decimals and no thousands "
		"separators");
	refused("1e3", "EUR", "invalid amount '1e3': no exponents allowed");
	refused("1.5E2", "EUR", "invalid amount '1.5E2': no exponents allowed");
	refused("", "EUR", "empty amount");
	refused(NULL, "EUR", "empty amount");
	refused("1 234", "EUR",
		"invalid amount '1 234': expected digits like 1234.50");
	refused(" 12", "EUR",
		"invalid amount ' 12': expected digits like 1234.50");
	refused("12 ", "EUR",
		"invalid amount '12 ': expected digits like 1234.50");
	refused(".5", "EUR",
		"invalid amount '.5': expected digits like 1234.50");
	refused("5.", "EUR", "invalid amount '5.': expected digits after '.'");
	refused("-", "EUR", "invalid amount '-': expected digits like 1234.50");
	refused("+-1", "EUR",
		"invalid amount '+-1': expected digits like 1234.50");
	refused("--1", "EUR",
		"invalid amount '--1': expected digits like 1234.50");
	refused("1.2.3", "EUR",
		"invalid amount '1.2.3': expected digits like 1234.50");
	refused("abc", "EUR",
		"invalid amount 'abc': expected digits like 1234.50");
	refused("$12", "USD",
		"invalid amount '$12': expected digits like 1234.50");
	refused("12 EUR", "EUR",
		"invalid amount '12 EUR': expected digits like 1234.50");
	refused("0x10", "EUR",
		"invalid amount '0x10': expected digits like 1234.50");
	refused("\xD9\xA1\xD9\xA2", "EUR",
		"invalid amount '\xD9\xA1\xD9\xA2': expected digits like "
		"1234.50");

	refused("92233720368547758.08", "EUR",
		"amount '92233720368547758.08' is out of range");
	refused("-92233720368547758.09", "EUR",
		"amount '-92233720368547758.09' is out of range");
	refused("92233720368547759", "EUR",
		"amount '92233720368547759' is out of range");
	refused("9223372036854775808", "JPY",
		"amount '9223372036854775808' is out of range");
	refused("-9223372036854775809", "JPY",
		"amount '-9223372036854775809' is out of range");
	refused("9223372036854776", "KWD",
		"amount '9223372036854776' is out of range");
	refused("99999999999999999999999999", "EUR",
		"amount '99999999999999999999999999' is out of range");

	refused("12", "eur",
		"invalid currency 'eur': expected a three-letter ISO 4217 code "
		"like EUR");
	refused("12", NULL,
		"invalid currency '': expected a three-letter ISO 4217 code "
		"like EUR");

	int64_t v;
	CHECK(crm_money_parse("1,0", "EUR", &v, NULL) == -1,
	      "NULL err is allowed");
}

static void test_format(void)
{
	formats(123450, "EUR", "1234.50");
	formats(-5, "EUR", "-0.05");
	formats(5, "EUR", "0.05");
	formats(10, "EUR", "0.10");
	formats(0, "EUR", "0.00");
	formats(100, "USD", "1.00");
	formats(-100, "USD", "-1.00");
	formats(-123456, "USD", "-1234.56");
	formats(1200, "JPY", "1200");
	formats(0, "JPY", "0");
	formats(-7, "JPY", "-7");
	formats(1000, "KWD", "1.000");
	formats(1, "KWD", "0.001");
	formats(-1, "KWD", "-0.001");
	formats(123456, "BHD", "123.456");
	formats(INT64_MAX, "EUR", "92233720368547758.07");
	formats(INT64_MIN, "EUR", "-92233720368547758.08");
	formats(INT64_MIN, "JPY", "-9223372036854775808");
	formats(INT64_MIN, "KWD", "-9223372036854775.808");
	formats(150, "xx", "1.50");
	formats(150, NULL, "1.50");
}

static void test_round_trip(void)
{
	static const int64_t vals[] = {
	    0,
	    1,
	    -1,
	    9,
	    10,
	    99,
	    100,
	    101,
	    12345,
	    -98765,
	    1000000,
	    INT64_MAX,
	    INT64_MIN,
	    INT64_MAX - 1,
	    INT64_MIN + 1,
	};
	static const char *const curs[] = {"EUR", "JPY", "KWD"};

	for (size_t c = 0; c < 3; c++) {
		long bad = 0;

		for (size_t i = 0; i < sizeof(vals) / sizeof(*vals); i++) {
			char buf[32];
			int64_t v = 0;

			crm_money_format(vals[i], curs[c], buf);
			if (crm_money_parse(buf, curs[c], &v, NULL) != 0 ||
			    v != vals[i])
				bad++;
		}
		snprintf(what, sizeof(what), "%s format then parse", curs[c]);
		CHECK_INT(bad, 0, what);
	}
}

/* Sums as long double: printable only when they round into int64. */
static void test_fits(void)
{
	struct crm_err e;
	long double max = 9223372036854775807.0L;

	CHECK(crm_money_fits(max), "2^63-1 fits");
	CHECK(crm_money_fits(-max - 1), "-2^63 fits");
	CHECK(!crm_money_fits(max + 1), "2^63 does not");
	CHECK(!crm_money_fits(-max - 2), "-2^63-1 does not");
	CHECK(crm_money_fits(max - 0.75L) && !crm_money_fits(max + 0.5L),
	      "what rounds to 2^63-1 fits, what rounds past it does not");
	CHECK(!crm_money_fits(1.0L / 0.0L) && !crm_money_fits(0.0L / 0.0L),
	      "infinity and NaN do not");
	crm_err_clear(&e);
	CHECK(crm_money_overflow(&e, "forecast") == -1 &&
		  e.code == CRM_EX_DATAERR &&
		  strstr(e.msg, "forecast: a sum of amounts is out of range"),
	      "the overflow error is bad data");
}

static void test_currency_field(void)
{
	struct crm_err e = {0};

	CHECK_INT(crm_money_currency_field(NULL, &e), 0, "no currency is fine");
	CHECK_INT(crm_money_currency_field("JPY", &e), 0, "a code is fine");
	CHECK_INT(e.code, 0, "no error set");
	CHECK(crm_money_currency_field("euro", &e) == -1 &&
		  e.code == CRM_EX_DATAERR && !strcmp(e.field, "currency") &&
		  !strcmp(e.msg, "expected an ISO 4217 code like EUR, got "
				 "'euro'"),
	      "a bad code is bad data on field currency");
}

int main(void)
{
	test_fits();
	test_currency_field();
	test_exponent();
	test_parse();
	test_refusals();
	test_format();
	test_round_trip();
	return done_testing();
}
