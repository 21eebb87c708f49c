/* phone_load.c - crm_phone_geo from the module crm-phone.so, loaded at the
 * first call: libphonenumber, its geocoder, ICU and the C++ runtime would
 * otherwise load at every start of crm-social (HACKING.md, "Start-up").
 * The module (phone_region.cc built as a shared object) sits in lib/crm/
 * next to the bin/ folder of the running binary: build/lib/crm/ in the
 * build tree, $(PREFIX)/lib/crm/ installed. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "phone_region.h"

int crm_phone_geo(const char *number, const char *default_country,
		  const char *lang, struct crm_phone_geo *out, char *why,
		  size_t whylen)
{
	static __typeof__(crm_phone_geo) *fn;
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n;
	void *h;

	if (fn)
		return fn(number, default_country, lang, out, why, whylen);
	memset(out, 0, sizeof(*out));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		snprintf(why, whylen,
			 "phone regions: cannot find this "
			 "program's folder (/proc/self/exe)");
		return CRM_PHONE_UNAVAILABLE;
	}
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) { /* .../bin/crm-social -> ... */
		char *slash = strrchr(exe, '/');

		if (slash)
			*slash = '\0';
	}
	snprintf(path, sizeof(path), "%s/lib/crm/crm-phone.so", exe);
	if (!(h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
		snprintf(why, whylen,
			 "phone regions need crm's module crm-phone.so "
			 "(libphonenumber), which cannot be loaded: %s",
			 dlerror());
		return CRM_PHONE_UNAVAILABLE;
	}
	/* a function pointer from dlsym's void *: POSIX allows it */
	if (!(*(void **)&fn = dlsym(h, "crm_phone_geo"))) {
		snprintf(why, whylen, "phone regions: %s has no crm_phone_geo",
			 path);
		dlclose(h);
		return CRM_PHONE_UNAVAILABLE;
	}
	return fn(number, default_country, lang, out, why, whylen);
}
