/* fuzz_money.c - libFuzzer harness for crm_money_parse and
 * crm_money_format. Input: a currency code, a newline, an amount.
 * Invariants: a parsed amount formats to a string that parses back to the
 * same minor units; any int64 formats within the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_err err = {0};
	char *s, *amount, buf[32];
	int64_t minor, back, raw = 0;
	int exp;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) != size || !(amount = strchr(s, '\n'))) {
		free(s);
		return 0;
	}
	*amount++ = '\0';
	exp = crm_money_exponent(s);
	if (exp < -1 || exp > 4)
		abort();
	if (crm_money_parse(amount, s, &minor, &err) == 0) {
		if (exp < 0)
			abort(); /* an invalid currency cannot parse */
		crm_money_format(minor, s, buf);
		if (strlen(buf) >= sizeof(buf))
			abort();
		if (crm_money_parse(buf, s, &back, &err) < 0 || back != minor)
			abort();
	} else if (err.code != CRM_EX_DATAERR) {
		abort();
	}
	/* any minor value formats and reads back (the edges included) */
	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
	crm_money_format(raw, s, buf);
	if (exp >= 0 &&
	    (crm_money_parse(buf, s, &back, &err) < 0 || back != raw))
		abort();
	free(s);
	return 0;
}
