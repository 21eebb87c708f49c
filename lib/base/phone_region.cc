// phone_region.cc - the C interface (phone_region.h) to libphonenumber's
// parser and offline geocoder. C++ only because libphonenumber is.
#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "phone_region.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

static void copy(char *dst, size_t n, const std::string &s)
{
	std::snprintf(dst, n, "%s", s.c_str());
}

// The names of libphonenumber's number types, in the order of its enum
// PhoneNumberType (FIXED_LINE is 0 ... VOICEMAIL, then UNKNOWN).
static const char *const type_names[] = {
    "fixed_line", "mobile",	     "fixed_line_or_mobile",
    "toll_free",  "premium_rate",    "shared_cost",
    "voip",	  "personal_number", "pager",
    "uan",	  "voicemail"};
static_assert(PhoneNumberUtil::VOICEMAIL + 1 ==
		  sizeof(type_names) / sizeof(*type_names),
	      "type_names follows PhoneNumberType");
static_assert(PhoneNumberUtil::MOBILE == 1 && PhoneNumberUtil::UAN == 9,
	      "type_names follows PhoneNumberType");

static const char *type_name(PhoneNumberUtil::PhoneNumberType t)
{
	return t >= 0 && t <= PhoneNumberUtil::VOICEMAIL ? type_names[t]
							 : "unknown";
}

extern "C" int crm_phone_geo(const char *number, const char *default_country,
			     const char *lang, struct crm_phone_geo *out,
			     char *why, size_t whylen)
{
	static PhoneNumberOfflineGeocoder *geocoder;
	PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
	std::string region = "ZZ", s;
	PhoneNumber pn;

	std::memset(out, 0, sizeof(*out));
	if (default_country && *default_country) {
		const char *d = default_country + (*default_country == '+');

		if (*d >= '0' && *d <= '9')
			util->GetRegionCodeForCountryCode(std::atoi(d),
							  &region);
		else
			region = d;
	}
	switch (util->Parse(number, region, &pn)) {
	case PhoneNumberUtil::NO_PARSING_ERROR:
		break;
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		std::snprintf(why, whylen,
			      "no country: give it as +CC... or "
			      "name the country");
		return -1;
	case PhoneNumberUtil::TOO_SHORT_NSN:
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
		std::snprintf(why, whylen, "too short");
		return -1;
	case PhoneNumberUtil::TOO_LONG_NSN:
		std::snprintf(why, whylen, "too long");
		return -1;
	default:
		std::snprintf(why, whylen, "not a phone number");
		return -1;
	}
	util->Format(pn, PhoneNumberUtil::E164, &s);
	copy(out->e164, sizeof(out->e164), s);
	s.clear();
	util->GetRegionCodeForNumber(pn, &s);
	copy(out->country, sizeof(out->country), s == "ZZ" ? "" : s);
	out->valid = util->IsValidNumber(pn) ? 1 : 0;
	std::snprintf(out->type, sizeof(out->type), "%s",
		      type_name(util->GetNumberType(pn)));
	if (!lang || !*lang)
		lang = pn.country_code() == 86 ? "zh" : "en";
	if (!geocoder)
		geocoder = new PhoneNumberOfflineGeocoder();
	copy(out->region, sizeof(out->region),
	     out->valid
		 ? geocoder->GetDescriptionForValidNumber(pn, icu::Locale(lang))
		 : std::string());
	return 0;
}
