/* t_util.c - small helpers: integer formatting checked against printf,
 * the Bloom filter (no false negatives, a bounded false-positive rate). */
#include <stdlib.h>

#include "bloom.h"
#include "test.h"
#include "util.h"

static void fmt_matches_printf(int64_t v)
{
	char got[CRM_INT_LEN], want[32], what[64];

	snprintf(want, sizeof(want), "%" PRId64, v);
	snprintf(what, sizeof(what), "crm_fmt_int %s", want);
	CHECK_STR(crm_fmt_int(got, v), want, what);
}

int main(void)
{
	struct crm_bloom b;
	char key[32];
	int missing = 0, fp = 0;

	fmt_matches_printf(0);
	fmt_matches_printf(7);
	fmt_matches_printf(-7);
	fmt_matches_printf(1234567890123);
	fmt_matches_printf(INT64_MAX);
	fmt_matches_printf(INT64_MIN);
	/* and a spread of values in between */
	for (int64_t v = 1, i = 0; i < 62; i++, v = v * 2 + (i & 1)) {
		char got[CRM_INT_LEN], want[32];

		snprintf(want, sizeof(want), "%" PRId64, v);
		missing += strcmp(crm_fmt_int(got, v), want) != 0;
		snprintf(want, sizeof(want), "%" PRId64, -v);
		missing += strcmp(crm_fmt_int(got, -v), want) != 0;
	}
	CHECK_INT(missing, 0, "crm_fmt_int matches printf on 124 values");

	/* 100,000 keys added are all found; of 100,000 others, few are
	 * (sized for 10 bits a key: well under 2% expected) */
	crm_bloom_init(&b, 100000);
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "user.%d@example.com", i);
		crm_bloom_add(&b, key, strlen(key));
	}
	missing = 0;
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "user.%d@example.com", i);
		missing += !crm_bloom_maybe(&b, key, strlen(key));
		snprintf(key, sizeof(key), "other.%d@example.com", i);
		fp += crm_bloom_maybe(&b, key, strlen(key));
	}
	CHECK_INT(missing, 0, "bloom: every key added is maybe there");
	CHECK(fp < 2000, "bloom: under 2% false positives");
	printf("# false positives: %d of 100000\n", fp);
	crm_bloom_release(&b);

	/* crm_strs_free: the strings and the array (a leak shows under
	 * SAN=1), and nothing for none */
	{
		char **v = crm_xcalloc(3, sizeof(*v));
		struct crm_strv sv = {0};

		v[0] = crm_xstrdup("a");
		v[2] = crm_xstrdup("c"); /* v[1] NULL */
		crm_strs_free(v, 3);
		crm_strs_free(NULL, 0);
		crm_strv_push(&sv, "x");
		crm_strv_release(&sv);
		CHECK(sv.v == NULL && sv.n == 0,
		      "crm_strv_release through crm_strs_free empties it");
	}
	/* crm_buf_add_html: the five characters escaped, NULL adds nothing */
	{
		struct crm_buf h = {0};

		crm_buf_add_html(&h, "a<b>&\"c'd");
		crm_buf_add_html(&h, NULL);
		CHECK_STR(crm_buf_str(&h), "a&lt;b&gt;&amp;&quot;c&#39;d",
			  "html escapes");
		crm_buf_release(&h);
	}
	/* crm_name_index / crm_name_of: an enum's names */
	{
		static const char *const names[] = {"a", "bb", "c"};

		CHECK_INT(crm_name_index(names, 3, "bb"), 1, "name index");
		CHECK_INT(crm_name_index(names, 3, "b"), -1, "unknown name");
		CHECK_INT(crm_name_index(names, 2, "c"), -1,
			  "only the first n names");
		CHECK_STR(crm_name_of(names, 3, 2), "c", "name of 2");
		CHECK_STR(crm_name_of(names, 3, 3), "?", "name past the end");
		CHECK_STR(crm_name_of(names, 3, -1), "?", "name of -1");
	}
	/* crm_str_of: not empty, only the set's bytes */
	CHECK_INT(crm_str_of("a_1", "a1_"), 1, "str of: all in the set");
	CHECK_INT(crm_str_of("a-1", "a1_"), 0, "str of: one byte not");
	CHECK_INT(crm_str_of("1a", "a"), 0, "str of: the first byte not");
	CHECK_INT(crm_str_of("", "a"), 0, "str of: empty is not");
	/* crm_synonym_of: the first of the n by name, case ignored */
	{
		static const struct crm_synonym syn[] = {{"fb", "facebook"},
							 {"x.com", "x"},
							 {"FB", "no"},
							 {"ig", "x"}};

		CHECK_STR(crm_synonym_of(syn, 4, "Fb"), "facebook",
			  "synonym: case ignored, the first");
		CHECK_STR(crm_synonym_of(syn, 2, "x.com"), "x", "synonym: x");
		CHECK(!crm_synonym_of(syn, 3, "ig"), "synonym: only the n");
		CHECK(!crm_synonym_of(syn, 4, "f"), "synonym: whole names");
	}
	return done_testing();
}
