/* Pure text helpers: UTF-8 checks, Chinese detection, control characters,
 * JSON positions, the string map and ICU regexes. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "kbregex.h"
#include "strmap.h"
#include "textscan.h"

static void utf8_validity(void **state)
{
	char *fixed;

	(void)state;
	assert_true(text_invalid_utf8("plain ascii", 11) == (size_t)-1);
	assert_true(text_invalid_utf8("未授权", strlen("未授权")) == (size_t)-1);
	assert_int_equal(text_invalid_utf8("ab\xFF", 3), 2);
	assert_int_equal(text_invalid_utf8("\xE6\x9C", 2), 0);         /* truncated */
	assert_int_equal(text_invalid_utf8("x\xC0\xAF", 3), 1);        /* overlong */
	assert_int_equal(text_invalid_utf8("\xED\xA0\x80", 3), 0);     /* surrogate */
	fixed = text_repair_utf8("a\xFF" "b", 3);
	assert_string_equal(fixed, "a\xEF\xBF\xBD" "b");
	free(fixed);
}

static void han_detection(void **state)
{
	(void)state;
	assert_true(text_has_han("SIP/2.0 401 未授权"));
	assert_false(text_has_han("SIP/2.0 401 Unauthorized"));
	assert_false(text_has_han("ｓｉｐ，。"));   /* fullwidth Latin and punctuation only */
	assert_false(text_has_han("ひらがな"));
	assert_true(text_has_han("日本語"));
}

static void control_characters(void **state)
{
	char buf[256];
	FILE *f;

	(void)state;
	assert_false(text_has_control("tab\tand\nnewline are fine"));
	assert_true(text_has_control("esc \x1b[31m"));
	assert_true(text_has_control("del \x7f"));
	assert_true(text_has_control("c1 \xC2\x9B"));                   /* U+009B CSI */
	assert_true(text_has_control("bidi \xE2\x80\xAE"));             /* U+202E */
	assert_true(text_has_control("isolate \xE2\x81\xA6"));          /* U+2066 */
	assert_false(text_has_control("中文，全角！"));
	f = fmemopen(buf, sizeof buf, "w");
	text_put_sanitized(f, "a\x1b]0;x\x07" "b\n\xFF", TEXT_ONE_LINE);
	fclose(f);
	assert_string_equal(buf, "a\xEF\xBF\xBD]0;x\xEF\xBF\xBD" "b \xEF\xBF\xBD");
}

static void json_positions(void **state)
{
	const char *j = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}, 3],\n  \"c\": {\"d\": null}\n}";
	size_t len = strlen(j), off, *offs;
	unsigned line, col;

	(void)state;
	off = json_locate(j, len, 0, "a[1].b");
	assert_true(off != JSONPOS_NONE);
	assert_memory_equal(j + off, "\"x\\\"y\"", 6);
	json_linecol(j, off, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 18);
	off = json_locate(j, len, 0, "c.d");
	assert_memory_equal(j + off, "null", 4);
	assert_true(json_locate(j, len, 0, "a[7]") == JSONPOS_NONE);
	assert_true(json_locate(j, len, 0, "zz") == JSONPOS_NONE);
	assert_int_equal(json_locate(j, len, 0, ""), 0);
	assert_int_equal(json_array_elements("[ 1, [2,3] ,{}]", 15, 0, &offs), 3);
	assert_int_equal(offs[0], 2);
	assert_int_equal(offs[1], 5);
	assert_int_equal(offs[2], 12);
	free(offs);
	json_linecol("中文\nab", strlen("中文\na"), &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	assert_true(json_truncated("{\"a\": \"b\"", 9, 0));
	assert_true(json_truncated("[1, 2", 5, 0));
	assert_false(json_truncated("{\"a\": [1]}", 10, 0));
}

static void string_map(void **state)
{
	char keys[500][16];
	strmap m;

	(void)state;
	strmap_init(&m);
	assert_int_equal(strmap_get(&m, "x"), UINT32_MAX);
	for (int i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof keys[i], "key%d", i);
		assert_int_equal(strmap_put(&m, keys[i], (uint32_t)i), i);
	}
	assert_int_equal(strmap_put(&m, "key7", 99), 7);   /* first wins */
	for (int i = 0; i < 500; i++)
		assert_int_equal(strmap_get(&m, keys[i]), i);
	assert_int_equal(m.len, 500);
	strmap_free(&m);
}

static void icu_regex(void **state)
{
	char err[128];
	size_t s, e;
	kbre re;

	(void)state;
	assert_true(kbre_compile(&re, "SIP/2\\.0\\s+401", err, sizeof err));
	assert_int_equal(kbre_search(&re, "x sip/2.0  401 y", &s, &e), KBRE_MATCH);
	assert_int_equal(s, 2);
	assert_int_equal(e, 14);
	assert_int_equal(kbre_search(&re, "SIP/2.0 403", NULL, NULL), KBRE_NO_MATCH);
	kbre_free(&re);
	/* Byte offsets stay byte offsets after multi-byte text. */
	assert_true(kbre_compile(&re, "授权", err, sizeof err));
	assert_int_equal(kbre_search(&re, "未授权", &s, &e), KBRE_MATCH);
	assert_int_equal(s, 3);
	assert_int_equal(e, 9);
	kbre_free(&re);
	assert_false(kbre_compile(&re, "(unclosed", err, sizeof err));
	assert_non_null(strstr(err, "U_REGEX_MISMATCHED_PAREN"));
	/* A runaway pattern stops at the limit instead of hanging. */
	assert_true(kbre_compile(&re, "(a+)+$", err, sizeof err));
	assert_int_equal(kbre_search(&re, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
				     NULL, NULL), KBRE_LIMIT);
	kbre_free(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_validity),
		cmocka_unit_test(han_detection),
		cmocka_unit_test(control_characters),
		cmocka_unit_test(json_positions),
		cmocka_unit_test(string_map),
		cmocka_unit_test(icu_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
