/* money.h - amounts in integer minor units of an ISO 4217 currency. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* Digits after the decimal point for an ISO 4217 code (JPY 0, KWD 3, most
 * 2); -1 when code is not three upper-case letters. Unknown but well-formed
 * codes get 2. */
int crm_money_exponent(const char *currency);
/* Parse a decimal amount ("1234.5", "-12", "+3", "0.05"; "1,234.50",
 * "1e3", ".5", "5." and surrounding spaces are refused) in the given
 * currency into minor units. More significant decimals than the currency
 * has ("1.234" EUR; "1.230" is fine), overflow of int64, an empty string
 * or an invalid currency code are errors (CRM_EX_DATAERR). Returns 0 or
 * -1. */
int crm_money_parse(const char *s, const char *currency, int64_t *minor,
		    struct crm_err *err);
/* Format minor units as a decimal string ("1234.50", "-0.05", "1200" for
 * JPY, "1.000" for KWD) into buf (at least 32 bytes); an invalid code is
 * formatted with 2 decimals. Returns buf. */
char *crm_money_format(int64_t minor, const char *currency, char buf[32]);

/* Whether v, an amount in minor units (a sum, a weighted or converted
 * amount), rounds to an int64, so crm_money_format can print it. */
bool crm_money_fits(long double v);
/* The error for a sum of amounts past int64 (CRM_EX_DATAERR, "what: a sum
 * of amounts is out of range ..."). Returns -1. */
int crm_money_overflow(struct crm_err *err, const char *what);
/* A record's currency field: 0 when it is NULL or a code
 * crm_money_exponent takes, else -1 (CRM_EX_DATAERR on field "currency",
 * "expected an ISO 4217 code like EUR, got '...'"). */
int crm_money_currency_field(const char *currency, struct crm_err *err);

#endif
