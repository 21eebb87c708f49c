/* t_tokens.c - crm_tokens (words and CJK bigrams) and the text classifier
 * on a tiny set whose answer is known. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "textclass.h"
#include "tokens.h"
#include "util.h"

static int join(const char *t, size_t n, enum crm_token_kind k, void *arg)
{
	struct crm_buf *b = arg;

	if (b->len)
		crm_buf_addc(b, ' ');
	crm_buf_add(b, t, n);
	crm_buf_addc(b, k == CRM_TOK_WORD     ? 'w'
			: k == CRM_TOK_BIGRAM ? 'b'
					      : 'u');
	return 0;
}

static void tokens_are(const char *in, unsigned flags, const char *want)
{
	struct crm_buf b = {0};
	char what[160];

	crm_tokens(in, strlen(in), flags, join, &b);
	snprintf(what, sizeof(what), "tokens of '%s'", in);
	CHECK_STR(crm_buf_str(&b), want, what);
	crm_buf_release(&b);
}

int main(void)
{
	/* words: folded, accents out, punctuation separates */
	tokens_are("Hello, World!", 0, "hellow worldw");
	tokens_are("Café MÜLLER's wi-fi", 0, "cafew mullerw sw wiw fiw");
	tokens_are("", 0, "");
	tokens_are("  ...  ", 0, "");
	/* CJK: bigrams; a lone character alone; documents add unigrams */
	tokens_are("打印机", 0, "打印b 印机b");
	tokens_are("打印机", CRM_TOK_DOCUMENT, "打印b 打u 印机b 印u 机u");
	tokens_are("票", 0, "票u");
	tokens_are("VPNに接続", 0, "vpnw に接b 接続b");
	tokens_are("网络ok网", 0, "网络b okw 网u");
	tokens_are("ｆｕｌｌ ＷＩＤＴＨ", 0, "fullw widthw");
	tokens_are("비밀번호", 0, "비밀b 밀번b 번호b");
	tokens_are("\xff\xfe bad", 0, "");

	/* the classifier: two classes with words of their own */
	{
		const char *texts[] = {"refund invoice", "invoice payment",
				       "refund payment", "router wifi",
				       "wifi offline",	 "router offline",
				       "网络 断线",	 "发票 退款"};
		const char *labels[] = {"billing", "billing", "billing",
					"network", "network", "network",
					"network", "billing"};
		struct crm_textclass_opts o;
		struct crm_textclass_report rep;
		struct crm_textclass_word w[3];
		struct crm_err err = {0};
		struct crm_textclass *m;
		const char *label;
		double conf;
		size_t nw;

		crm_textclass_opts_init(&o);
		o.min_df = 1;
		o.holdout = 25; /* the last two rows */
		m = crm_textclass_train(texts, labels, 8, &o, &rep, &err);
		CHECK(m != NULL, "trained");
		CHECK_INT(rep.rows, 8, "rows");
		CHECK_INT(rep.test, 2, "the last 25% held out");
		CHECK_INT(rep.classes, 2, "classes");
		/* trained on 3 billing, 3 network: a tie, the first (billing)
		 * is the majority; the held-out rows are one of each */
		CHECK_STR(rep.majority, "billing", "majority class");
		CHECK_NEAR(rep.base_accuracy, 0.5, 1e-12, "baseline accuracy");
		/* billing F1 2/3, network 0 */
		CHECK_NEAR(rep.base_macro_f1, 1.0 / 3, 1e-12,
			   "baseline macro-F1");
		crm_textclass_predict(m, "my wifi is offline", &label, &conf, w,
				      3, &nw);
		CHECK_STR(label, "network", "wifi offline: network");
		CHECK(conf > 0.5 && conf <= 1, "confidence in (0.5, 1]");
		CHECK(nw == 2, "two words decided");
		CHECK(nw >= 1 && w[0].weight >= w[nw - 1].weight,
		      "strongest first");
		crm_textclass_predict(m, "申请退款", &label, &conf, NULL, 0,
				      NULL);
		CHECK_STR(label, "billing", "退款 (a bigram): billing");
		crm_textclass_free(m);
		labels[3] = labels[4] = labels[5] = labels[6] = "billing";
		m = crm_textclass_train(texts, labels, 8, &o, &rep, &err);
		CHECK(m == NULL && err.code == CRM_EX_DATAERR,
		      "one class: an error");
	}
	return done_testing();
}
