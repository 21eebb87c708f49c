/* phone_region.h - where a phone number is: country, and region or city
 * (a Chinese mobile number's province and city, 手机号归属地), from
 * libphonenumber's geocoding data (Debian libphonenumber-dev). A C++ shim
 * (phone_region.cc) behind a C interface, built as the module
 * crm-phone.so that phone_load.c loads at the first call (see the
 * Makefile): no binary links libphonenumber. */
#ifndef CRM_PHONE_REGION_H
#define CRM_PHONE_REGION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct crm_phone_geo {
	char e164[32];	 /* "+8613800138000" */
	char country[8]; /* ISO 3166 region code: "CN", "GB"; "" unknown */
	char region[256]; /* the geocoding description, in lang: "广东省深圳市",
			     "Shenzhen, Guangdong", "London"; "" none */
	char type[24]; /* "mobile", "fixed_line", "fixed_line_or_mobile",
			  "toll_free", "voip" ... or "unknown" */
	int valid;     /* 1 when the number is a valid number of its
			  country */
};

/* Locate number (any written form libphonenumber parses); a number with
 * no "+" or international prefix is read as one of default_country (an
 * ISO region code "CN", or a calling code "86"/"+86"; NULL or "": none).
 * lang: "zh", "en", ... (NULL or "": Chinese for Chinese numbers, English
 * otherwise). Returns 0, or -1 with why (a message, whylen bytes) when
 * it is no phone number. */
/* crm_phone_geo's return when libphonenumber's module cannot be loaded
 * (phone_load.c); why says so. -1 is a bad number. */
#define CRM_PHONE_UNAVAILABLE (-2)

int crm_phone_geo(const char *number, const char *default_country,
		  const char *lang, struct crm_phone_geo *out, char *why,
		  size_t whylen);

#ifdef __cplusplus
}
#endif

#endif
