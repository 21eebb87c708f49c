/* t_fold.c - crm_closest ("did you mean") and crm_norm_fold (--where ~). */
#include <stdlib.h>

#include "normalize.h"
#include "test.h"
#include "util.h"

static const char *verbs[] = {"add",	"import", "list",   "show",
			      "update", "delete", "export", "tag",
			      "undo",	"assign", "reclaim"};
#define NV (sizeof(verbs) / sizeof(verbs[0]))

static void fold_is(const char *in, const char *want)
{
	struct crm_buf b = {0};
	char what[128];

	crm_norm_fold(in, strlen(in), &b);
	snprintf(what, sizeof(what), "fold '%s'", in);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

int main(void)
{
	CHECK_STR(crm_closest("lsit", verbs, NV), "list", "a swap: lsit");
	CHECK_STR(crm_closest("lst", verbs, NV), "list", "a deletion: lst");
	CHECK_STR(crm_closest("exprot", verbs, NV), "export", "exprot");
	CHECK_STR(crm_closest("asign", verbs, NV), "assign", "asign");
	CHECK_STR(crm_closest("LIST", verbs, NV), "list", "case ignored");
	CHECK_STR(crm_closest("imp", verbs, NV), "import", "a unique prefix");
	CHECK(crm_closest("xyzzy", verbs, NV) == NULL, "nothing close: NULL");
	CHECK_STR(crm_closest("ad", verbs, NV), "add", "ad: a prefix");
	CHECK(crm_closest("ux", verbs, NV) == NULL,
	      "short words need a closer match");
	CHECK(crm_closest("", verbs, NV) == NULL, "empty word: NULL");
	{
		static const char *two[] = {"cat", "car"};
		CHECK(crm_closest("caz", two, 2) == NULL,
		      "two equally close: no suggestion");
	}

	fold_is("Hello", "hello");
	fold_is("MÜLLER", "müller");
	fold_is("Müller", "müller");
	fold_is("Mu\xCC\x88ller", "müller"); /* decomposed ü */
	fold_is("Straße", "strasse");
	fold_is("ΣΟΦΊΑ", "σοφία");
	fold_is("ὈΔΥΣΣΕΎΣ", "ὀδυσσεύσ");
	fold_is("ＡＢＣ", "ａｂｃ");
	fold_is("北京", "北京");
	fold_is("", "");
	fold_is("\xff"
		"AB",
		"\xff"
		"ab");
	return done_testing();
}
