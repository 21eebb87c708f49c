/* t_util.c - small helpers: integer formatting checked against printf,
 * the Bloom filter (no false negatives, a bounded false-positive rate). */
#include <stdlib.h>
#include <string.h>

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

/* crm_err_prefix: text before the message, the rest kept, truncated as
 * one snprintf of both would be. */
static void err_prefix(void)
{
	struct crm_err e = {0};
	char want[sizeof(e.msg)];

	crm_err_field(&e, "sku", CRM_EX_DATAERR, "unknown");
	CHECK_INT(crm_err_prefix(&e, "line %d: ", 3), -1, "prefix returns -1");
	CHECK_STR(e.msg, "line 3: unknown", "prefix before the message");
	CHECK(e.code == CRM_EX_DATAERR && !strcmp(e.field, "sku"),
	      "prefix keeps code and field");
	memset(e.msg, 'x', sizeof(e.msg) - 1);
	e.msg[sizeof(e.msg) - 1] = '\0';
	snprintf(want, sizeof(want), "deal 7: %s", e.msg);
	crm_err_prefix(&e, "deal %d: ", 7);
	CHECK_STR(e.msg, want, "a long message is cut at the end");
}

/* crm_str_same: equal strings, or both NULL. */
static void str_same(void)
{
	char a[] = "x";

	CHECK(crm_str_same("x", a), "equal strings are the same");
	CHECK(crm_str_same(NULL, NULL), "two NULLs are the same");
	CHECK(!crm_str_same("x", "y"), "other strings are not");
	CHECK(!crm_str_same("", NULL) && !crm_str_same(NULL, ""),
	      "NULL is not the empty string");
}

int main(void)
{
	struct crm_bloom b;
	char key[32];
	int missing = 0, fp = 0;

	err_prefix();
	str_same();
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
	/* its room: ten bits a key of the power of two it was given */
	CHECK(crm_bloom_bits(100000) == 1u << 20,
	      "bloom: 2^20 bits for 100,000");
	CHECK(!crm_bloom_full(&b),
	      "bloom: not full at the keys it was sized for");
	for (int i = 100000; i < 104857; i++) {
		snprintf(key, sizeof(key), "user.%d@example.com", i);
		crm_bloom_add(&b, key, strlen(key));
	}
	CHECK(!crm_bloom_full(&b), "bloom: not full at 104,857 keys");
	crm_bloom_add(&b, "one more", 8);
	CHECK(crm_bloom_full(&b), "bloom: full at 104,858 keys");
	crm_bloom_release(&b);
	CHECK(!crm_bloom_full(&b), "bloom: a released filter is not full");

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
	/* crm_buf_addf: formatted into the room there is, or grown for it:
	 * texts that fit, that fill the room exactly, that are longer */
	{
		struct crm_buf f = {0};
		char want[600];
		size_t n = 0;

		for (int i = 0; i < 40; i++) {
			const char *w = i % 3 == 0   ? "x"
					: i % 3 == 1 ? "a longer word, %s"
						     : "";

			crm_buf_addf(&f, "%d:%s;", i, w);
			n += (size_t)snprintf(want + n, sizeof(want) - n,
					      "%d:%s;", i, w);
			CHECK(f.len == n && !memcmp(f.s, want, n + 1),
			      "crm_buf_addf appends, NUL ends");
		}
		crm_buf_release(&f);
		for (size_t room = 60; room < 70; room++) {
			struct crm_buf g = {0};

			crm_buf_addf(&g, "%*s", (int)room, "e");
			CHECK(g.len == room && g.s[room] == '\0' &&
				  g.s[room - 1] == 'e',
			      "crm_buf_addf at and past the first room");
			crm_buf_addf(&g, "%s", "");
			CHECK(g.len == room, "an empty text adds nothing");
			crm_buf_release(&g);
		}
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
