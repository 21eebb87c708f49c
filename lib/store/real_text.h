/* real_text.h - a real number's decimal text as SQLite writes it, for
 * store_pg.c (a float or fractional numeric column read on PostgreSQL
 * prints as the same column on SQLite does). */
#ifndef CRM_REAL_TEXT_H
#define CRM_REAL_TEXT_H

enum { CRM_REAL_TEXT_LEN = 32 };

/* v (a decimal number's text: "-12.50", "1e+20", "33.333333333333336")
 * written as SQLite's "%!.15g" writes its double: 15 significant digits,
 * always a point ("50.0", "1.0e+20"), into buf. Returns buf, or NULL when
 * v is not a finite number (NaN, Infinity, not a number at all). */
const char *crm_real_text(const char *v, char buf[CRM_REAL_TEXT_LEN]);

#endif
