/* test.h - a tiny TAP producer for the C unit tests.
 * Each check prints "ok N - what" or "not ok N - what"; the runner counts
 * them. done_testing() returns the exit status for main(). */
#ifndef CRM_TEST_H
#define CRM_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int test_n, test_failed;

static void test_result(int ok, const char *file, int line, const char *what)
{
	test_n++;
	if (!ok)
		test_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", test_n, what);
	if (!ok)
		printf("#   at %s:%d\n", file, line);
}

#define CHECK(cond, what) test_result(!!(cond), __FILE__, __LINE__, (what))

/* A check that cannot run here: a TAP skip ("ok N # skip why"), which
 * tests/run.sh counts as skipped, not passed. */
#define SKIP(why) printf("ok %d # skip %s\n", ++test_n, (why))

#define CHECK_STR(got, want, what)                                             \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		int ok_ = (g_ == NULL && w_ == NULL) ||                        \
			  (g_ && w_ && strcmp(g_, w_) == 0);                   \
		test_result(ok_, __FILE__, __LINE__, (what));                  \
		if (!ok_)                                                      \
			printf("#   got  '%s'\n#   want '%s'\n",               \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");        \
	} while (0)

#define CHECK_INT(got, want, what)                                             \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		test_result(g_ == w_, __FILE__, __LINE__, (what));             \
		if (g_ != w_)                                                  \
			printf("#   got  %lld\n#   want %lld\n", g_, w_);      \
	} while (0)

#define CHECK_NEAR(got, want, eps, what)                                       \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		int ok_ = g_ - w_ <= (eps) && w_ - g_ <= (eps);                \
		test_result(ok_, __FILE__, __LINE__, (what));                  \
		if (!ok_)                                                      \
			printf("#   got  %.9g\n#   want %.9g\n", g_, w_);      \
	} while (0)

/* A test's SQLite file at path removed, with its WAL files. */
static inline void test_remove_db(const char *path)
{
	char p[512];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int done_testing(void)
{
	printf("1..%d\n", test_n);
	return test_failed ? 1 : 0;
}

#endif
