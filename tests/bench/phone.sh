#!/bin/sh
# phone.sh [N]: crm's hand-written phone normalization (crm_norm_phone,
# lib/base/normalize.c) against libphonenumber's parse and E.164 format
# (what replacing it would cost), over the same N written numbers
# (default 200000: Chinese mobiles and fixed lines, UK, US, German, in
# the forms people type them), and the region lookup (crm_phone_geo).
# Prints numbers a second for each and how many the two normalize alike.
set -eu
n=${1:-200000}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/bench.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "normalize.h"
#include "phone_region.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = atol(argv[1]), same = 0;
	static const char *const forms[] = {
	    "+86 138 %04ld %04ld", "0755-8%03ld-%04ld", "+44 20 7%03ld %04ld",
	    "(415) 5%02ld-%04ld",  "+49 30 1%03ld%04ld", "139%04ld%04ld",
	};
	char **nums = malloc(n * sizeof(*nums));
	char **a = malloc(n * sizeof(*a));
	const char *cc[] = {"86", "86", "44", "1", "49", "86"};
	struct crm_buf b = {0};
	struct crm_phone_geo g;
	char why[128];
	double t;

	for (long i = 0; i < n; i++) {
		nums[i] = malloc(40);
		snprintf(nums[i], 40, forms[i % 6], (i / 6) % 1000,
			 (i * 7919) % 10000);
	}
	t = now();
	for (long i = 0; i < n; i++) {
		crm_buf_reset(&b);
		crm_norm_phone(nums[i], cc[i % 6], &b, NULL);
		a[i] = strdup(b.len ? b.s : "");
	}
	printf("crm_norm_phone  %10.0f numbers/s\n", n / (now() - t));
	t = now();
	for (long i = 0; i < n; i++)
		if (crm_phone_geo(nums[i], cc[i % 6], "en", &g, why,
				  sizeof(why)) == 0 &&
		    !strcmp(g.e164, a[i]))
			same++;
	printf("libphonenumber  %10.0f numbers/s (parse, E.164, type, "
	       "region)\n",
	       n / (now() - t));
	printf("same E.164 form: %ld of %ld\n", same, n);
	return 0;
}
C
# libphonenumber's parse and E.164 format alone, without the region
cat >"$dir/parse.cc" <<'CC'
#include <phonenumbers/phonenumberutil.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
using namespace i18n::phonenumbers;
int main(int argc, char **argv)
{
	long n = std::atol(argv[1]);
	const char *forms[] = {"+86 138 %04ld %04ld", "0755-8%03ld-%04ld",
			       "+44 20 7%03ld %04ld", "(415) 5%02ld-%04ld",
			       "+49 30 1%03ld%04ld",  "139%04ld%04ld"};
	const char *rc[] = {"CN", "CN", "GB", "US", "DE", "CN"};
	std::vector<std::string> nums;
	char buf[40];
	for (long i = 0; i < n; i++) {
		std::snprintf(buf, sizeof(buf), forms[i % 6], (i / 6) % 1000,
			      (i * 7919) % 10000);
		nums.push_back(buf);
	}
	PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	auto t = std::chrono::steady_clock::now();
	std::string out;
	for (long i = 0; i < n; i++) {
		PhoneNumber pn;
		if (u->Parse(nums[i], rc[i % 6], &pn) ==
		    PhoneNumberUtil::NO_PARSING_ERROR)
			u->Format(pn, PhoneNumberUtil::E164, &out);
	}
	double s = std::chrono::duration<double>(
		       std::chrono::steady_clock::now() - t)
		       .count();
	std::printf("libphonenumber  %10.0f numbers/s (parse, E.164 only)\n",
		    n / s);
}
CC
c++ -O2 -o "$dir/parse" "$dir/parse.cc" -lphonenumber
cc -std=c17 -D_GNU_SOURCE -O2 -iquote "$top/lib/base" -o "$dir/bench" "$dir/bench.c" \
	"$top/$BUILD/libcrm.a" $(pkg-config --libs jansson libutf8proc libidn2) \
	-lgeocoding -lphonenumber -licuuc -lstdc++ -lm
"$dir/bench" "$n"
"$dir/parse" "$n"
