/* The query language, folding, pinyin and ranking. */
#include <config.h>
#include "testutil.h"
#include "fold.h"
#include "search.h"
#include "literal.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void parse_terms(void **state)
{
	char err[256];
	size_t pos;
	query q;

	(void)state;
	assert_true(query_parse("SIP \"Proxy Auth\" -busy domain:comm code:401 tag:x conf>=0.8 fix<0.5",
				&q, err, sizeof err, &pos));
	assert_int_equal(q.n, 8);
	assert_string_equal(q.terms[0].text, "sip");
	assert_true(q.terms[0].pinyin);
	assert_string_equal(q.terms[1].text, "proxy auth");
	assert_true(q.terms[2].neg);
	assert_int_equal(q.terms[3].field, QF_DOMAIN);
	assert_int_equal(q.terms[4].field, QF_CODE);
	assert_int_equal(q.terms[5].field, QF_TAG);
	assert_int_equal(q.terms[6].field, QF_CONF);
	assert_int_equal(q.terms[6].op, QO_GE);
	assert_true(q.terms[6].value == 0.8);
	assert_int_equal(q.terms[7].op, QO_LT);
	assert_string_equal(q.phrase, "sip proxy auth");
	query_free(&q);
	assert_true(query_parse("   ", &q, err, sizeof err, &pos));
	assert_true(query_empty(&q));
	query_free(&q);
}

static void parse_errors(void **state)
{
	char err[256];
	size_t pos;
	query q;

	(void)state;
	/* Pasted text: "Error:" is no field, a lone quote no phrase. */
	assert_true(query_parse("Error: can't open \"x", &q, err, sizeof err, &pos));
	assert_int_equal(q.n, 4);
	assert_string_equal(q.terms[0].text, "error:");
	assert_string_equal(q.terms[3].text, "\"x");
	query_free(&q);
	assert_false(query_parse("conf>=x", &q, err, sizeof err, &pos));
	assert_int_equal(pos, 6);
	assert_false(query_parse("conf>=1.5", &q, err, sizeof err, &pos));
	assert_false(query_parse("domain: x", &q, err, sizeof err, &pos));
	assert_int_equal(pos, 7);
	assert_false(query_parse("domain>x", &q, err, sizeof err, &pos));
}

static void folding(void **state)
{
	char *f, *full, *in;

	(void)state;
	f = fold("ＳＩＰ/2.0 Ｕｎａｕｔｈｏｒｉｚｅｄ");
	assert_string_equal(f, "sip/2.0 unauthorized");
	free(f);
	f = fold("Straße ﬁle");
	assert_string_equal(f, "strasse file");
	free(f);
	fold_pinyin("SIP 401 未授权", &full, &in);
	assert_string_equal(full, "sip401weishouquan");
	assert_non_null(strstr(in, "wsq"));
	free(full);
	free(in);
	fold_pinyin("no Chinese", &full, &in);
	assert_string_equal(full, "");
	free(full);
	free(in);
}

#define REC(id, sig, sigzh, more) \
	"{\"id\":\"" id "\",\"signature\":\"" sig "\",\"signature_zh\":\"" sigzh "\"," \
	"\"domain\":\"d\",\"category\":\"c\"" more "}"

static void ranking(void **state)
{
	search_index ix;
	uint32_t all[3] = { 0, 1, 2 }, *out;
	char err[64];
	size_t pos, n;
	query q;
	kb k;

	(void)state;
	tu_load_text(&k, "s.json", "["
		REC("s/body", "unrelated", "无关", ",\"root_cause\":\"the disk is full\",\"confidence\":0.99") ","
		REC("s/sig", "disk is full", "磁盘已满", ",\"confidence\":0.5") ","
		REC("s/auth", "permission denied", "权限被拒绝", ",\"confidence\":0.7") "]");
	search_index_build(&ix, &k);
	/* A signature hit ranks before a body hit of higher confidence. */
	assert_true(query_parse("disk full", &q, err, sizeof err, &pos));
	n = search_run(&ix, &k, &q, all, 3, &out);
	assert_int_equal(n, 2);
	assert_string_equal(k.recs[out[0]].id, "s/sig");
	assert_string_equal(k.recs[out[1]].id, "s/body");
	free(out);
	query_free(&q);
	/* A Chinese query finds Chinese fields; pinyin too, full and initials. */
	const char *queries[] = { "权限", "quanxian", "qxbjj", "QuanXian" };
	for (size_t i = 0; i < 4; i++) {
		assert_true(query_parse(queries[i], &q, err, sizeof err, &pos));
		n = search_run(&ix, &k, &q, all, 3, &out);
		assert_int_equal(n, 1);
		assert_string_equal(k.recs[out[0]].id, "s/auth");
		free(out);
		query_free(&q);
	}
	search_index_free(&ix);
	kb_free(&k);
}

static void literals(void **state)
{
	static const struct { const char *re, *want; } cases[] = {
		{ "SIP/2\\.0\\s+401\\s+Unauthorized\\s+.*INVITE", "unauthorized" },
		{ "(ANR|Application Not Responding|main thread.*blocked)", "anr|application not responding|main thread" },
		{ "(?i)no such (file|directory)", "no such " },
		{ "a(bcd)?efg", "efg" },
		{ "colou?r mismatch", "r mismatch" },
		{ "x[abc]yzw+", "yzw" },
		{ "\\bpermission denied\\b", "permission denied" },
		{ "(foo|b)r", "" },               /* a branch with nothing to screen */
		{ "连接.*拒绝", "连接" },
		{ ".*", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char **v, got[256] = "";
		size_t n = regex_literals(cases[i].re, &v);

		for (size_t j = 0; j < n; j++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", j ? "|" : "", v[j]);
		regex_literals_free(v, n);
		if (strcmp(got, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].re, got, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_terms),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(folding),
		cmocka_unit_test(ranking),
		cmocka_unit_test(literals),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
