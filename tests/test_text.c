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
#include "textcell.h"
#include "textscan.h"
#include "xalloc.h"

#include <locale.h>

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

static void cells_clean_and_measure(void **state)
{
	char *c;

	(void)state;
	c = tc_clean("a\x1b[31mb\tc\xE2\x80\xAE\xFF\x7f\n");
	assert_string_equal(c, "a\xE2\x90\x9B[31mb c\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x90\xA1\n");
	free(c);
	assert_int_equal(tc_width("abc"), 3);
	assert_int_equal(tc_width("未授权"), 6);
	assert_int_equal(tc_width("e\xCC\x81"), 1);          /* e + combining acute */
	assert_int_equal(tc_width("\xC2\xB7"), 1);            /* ambiguous width: 1 */
	assert_int_equal(tc_width("ｓｉｐ"), 6);                 /* fullwidth Latin */
}

static void cells_fit_and_cut(void **state)
{
	char *c;
	int w;

	(void)state;
	/* A wide character that does not fit is left out whole. */
	assert_int_equal(tc_fit("ab未授", strlen("ab未授"), 3, &w), 2);
	assert_int_equal(w, 2);
	assert_int_equal(tc_fit("ab未授", strlen("ab未授"), 4, &w), 5);
	assert_int_equal(w, 4);
	/* A combining mark stays with its base. */
	assert_int_equal(tc_fit("e\xCC\x81x", 4, 1, &w), 3);
	c = tc_cut("connect: Connection refused", 10);
	assert_string_equal(c, "connect: …");
	assert_int_equal(tc_width(c), 10);
	free(c);
	c = tc_cut("连接被拒绝了", 6);
	assert_string_equal(c, "连接…");
	free(c);
	c = tc_cut("short", 10);
	assert_string_equal(c, "short");
	free(c);
	c = tc_cut("x", 0);
	assert_string_equal(c, "");
	free(c);
}

static void cells_wrap(void **state)
{
	const char *zh = "服务器拒绝了请求，因为凭据已过期。请重新生成凭据，然后重试。";
	const char *en = "the quick brown fox jumps over the lazy dog";
	tc_span *l;
	size_t n;

	(void)state;
	n = tc_wrap(en, 10, &l);
	assert_int_equal(n, 5);
	assert_memory_equal(en + l[0].off, "the quick", 9);
	assert_int_equal(l[0].len, 9);
	for (size_t i = 0; i < n; i++)
		assert_true(l[i].width <= 10);
	free(l);
	/* No line starts with a closing punctuation mark. */
	for (int cols = 4; cols < 30; cols++) {
		n = tc_wrap(zh, cols, &l);
		for (size_t i = 0; i < n; i++) {
			assert_true(l[i].width <= cols);
			assert_true(strncmp(zh + l[i].off, "，", 3) && strncmp(zh + l[i].off, "。", 3));
		}
		free(l);
	}
	/* A word longer than the line is split, leaving a column for the
	 * mark that says so (cont); newlines break. */
	n = tc_wrap("abcdefghij\nk", 4, &l);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, 3);
	assert_true(l[0].cont && l[1].cont);
	assert_int_equal(l[2].len, 4);         /* the rest fits a whole line */
	assert_false(l[2].cont);
	assert_int_equal(l[3].off, 11);
	assert_false(l[3].cont);
	free(l);
	n = tc_wrap("", 5, &l);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].len, 0);
	free(l);
}

/* The lines of text at cols, as "line|line|...", a cut one ending in
 * "+" (cont). */
static char *lines_of(const char *text, int cols)
{
	tc_span *l;
	size_t n = tc_wrap(text, cols, &l), len = 0;
	char *out = xmalloc(strlen(text) + 2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		memcpy(out + len, text + l[i].off, l[i].len);
		len += l[i].len;
		if (l[i].cont)
			out[len++] = '+';
		if (i + 1 < n)
			out[len++] = '|';
	}
	out[len] = '\0';
	free(l);
	return out;
}

static void expect_lines(const char *text, int cols, const char *want)
{
	char *got = lines_of(text, cols);

	if (strcmp(got, want))
		fail_msg("'%s' at %d columns: '%s', not '%s'", text, cols, got, want);
	free(got);
}

/* Commands and paths are not broken where ICU would (after - and /; see
 * test_model's detail_keeps_commands_whole for the shipped KB).  A word of ASCII
 * with punctuation, or a code span, goes to the next line whole; one
 * wider than a line is cut, a code span after a space in it, and the line
 * is marked. */
static void cells_wrap_keeps_commands(void **state)
{
	(void)state;
	expect_lines("run sudo apt-get install now", 14, "run sudo|apt-get|install now");
	expect_lines("edit ~/.ssh/known_hosts then", 20, "edit|~/.ssh/known_hosts|then");
	expect_lines("set key=value:other and go", 16, "set|key=value:other|and go");
	/* A code span fits on the next line: there, whole. */
	expect_lines("Run `systemctl restart nginx` now", 26, "Run|`systemctl restart nginx`|now");
	expect_lines("Run `systemctl restart nginx` now", 40, "Run `systemctl restart nginx` now");
	/* Wider than a line: cut after a space in it, marked; its first
	 * words go on the line before if they fit. */
	expect_lines("Run `systemctl restart nginx` now", 20, "Run `systemctl+|restart nginx` now");
	expect_lines("Run `systemctl restart nginx` now", 14, "Run|`systemctl+|restart nginx`|now");
	/* The same for ICU's own "no break before a slash". */
	expect_lines("Source: /a/long/path/name.json:1", 20, "Source:|/a/long/path/name.j+|son:1");
	expect_lines("\u6765\u6e90: /a/long/path/name.json:1", 20, "\u6765\u6e90:|/a/long/path/name.j+|son:1");
	/* A word wider than a line: cut at the width less the mark's column. */
	expect_lines("see /very/long/path/to/a/file ok", 10, "see|/very/lon+|g/path/to+|/a/file ok");
	expect_lines("abcdefghij\nk", 4, "abc+|def+|ghij|k");
	/* Between two spans is not in a span. */
	expect_lines("`a` b `c`", 5, "`a` b|`c`");
	/* An unpaired backtick opens nothing. */
	expect_lines("one ` two three", 9, "one ` two|three");
	/* Chinese breaks as before, and next to a command. */
	expect_lines("\u8fd0\u884c `ls -l` \u67e5\u770b", 13, "\u8fd0\u884c `ls -l`|\u67e5\u770b");
}

/* Layout is linear in the text: wrapping a long text with no break
 * opportunity (a 1 MB token, URL or base64 blob) looks at each byte a
 * bounded number of times.  It used to measure the rest of the token
 * again after every line: 9 s for 1 MB. */
static void cells_wrap_linear(void **state)
{
	static const char *const units[] = { "x", "\xC3\xA9", "\xEF\xBD\x98", "e\xCC\x81" };
	const size_t len = 1 << 20;
	char *text = xmalloc(len + 8);

	(void)state;
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t ul = strlen(units[u]), n = 0, lines, total = 0;
		unsigned long long before;
		tc_span *l;
		int cols = 80;

		while (n + ul <= len) {
			memcpy(text + n, units[u], ul);
			n += ul;
		}
		text[n] = '\0';
		before = tc_bytes_examined;
		lines = tc_wrap(text, cols, &l);
		if (tc_bytes_examined - before > 8ull * n)
			fail_msg("unit %zu: %llu bytes examined to wrap %zu", u, tc_bytes_examined - before, n);
		for (size_t i = 0; i < lines; i++) {
			assert_true(l[i].width <= cols);
			assert_int_equal(l[i].off, total);
			total += l[i].len;
		}
		assert_int_equal(total, n);     /* every byte on some line, once */
		free(l);
		/* A screenful of it costs a screenful. */
		before = tc_bytes_examined;
		lines = tc_wrap_max(text, cols, 24, &l);
		assert_int_equal(lines, 24);
		if (tc_bytes_examined - before >= 64ull * 80 * 24)
			fail_msg("unit %zu: %llu bytes examined for 24 lines", u, tc_bytes_examined - before);
		free(l);
	}
	free(text);
}

/* Every byte of text outside the lines is blank: wrapping loses nothing
 * that would be drawn. */
static void assert_covers(const char *text, const tc_span *l, size_t n)
{
	size_t end = 0, len = strlen(text);

	for (size_t i = 0; i < n; i++) {
		assert_true(l[i].off >= end);
		for (size_t j = end; j < l[i].off; j++)
			assert_true(text[j] == ' ' || text[j] == '\n');
		end = l[i].off + l[i].len;
	}
	for (size_t j = end; j < len; j++)
		assert_true(text[j] == ' ' || text[j] == '\n');
}

/* Lines narrower than a wide character (found by fuzz_text): the
 * character goes on a line of its own with the marks that combine with
 * it, and a zero-width mark before it is not dropped. */
static void cells_wrap_narrow_clusters(void **state)
{
	const char *mark_after = "\u6458\u0981\u51ed";      /* 摘 + candrabindu, 凭 */
	const char *mark_first = "\u0301\u51ed\u51ed";      /* combining acute, 凭凭 */
	tc_span *l;
	size_t n;

	(void)state;
	n = tc_wrap(mark_after, 1, &l);
	assert_covers(mark_after, l, n);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].off, 0);
	assert_int_equal(l[0].len, 6);          /* the cluster whole */
	assert_int_equal(l[0].width, 2);
	free(l);
	for (int cols = 0; cols <= 3; cols++) {
		n = tc_wrap(mark_first, cols, &l);
		assert_covers(mark_first, l, n);
		assert_int_equal(l[0].off, 0);
		free(l);
	}
}

/* A text for the part-at-a-time tests: words, paths, Chinese with its
 * punctuation rules, unbroken runs wider than a line, newlines, marks,
 * full-width forms, numbers; pieces in a fixed pseudo-random order. */
static char *sample_text(size_t pieces)
{
	static const char *const piece[] = {
		"word ", "longer-words/with/a/path ", "\u8bc1\u4e66\u9a8c\u8bc1\u5931\u8d25\uff0c",
		"\u8bf7\u68c0\u67e5\u914d\u7f6e\u3002", "\n", "e\u0301 ", "  ", "\uff08\u6ce8\u610f\uff09",
		"\uff21\uff22\uff23", "1,234.56 ", "\n\n", "sudo apt-get install -y libssl-dev ",
		"run `systemctl restart nginx` now ", "`a` b `c` ", "un`paired ", "`", "`x`\u8bc1 ",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	};
	size_t n = sizeof piece / sizeof *piece, len = 0, cap = 64;
	char *t = xmalloc(cap);
	unsigned seed = 12345;

	for (size_t i = 0; i < pieces; i++) {
		const char *p;

		seed = seed * 1103515245u + 12345u;
		p = piece[(seed >> 16) % n];
		t = xgrow(t, &cap, len + strlen(p) + 1, 1);
		memcpy(t + len, p, strlen(p) + 1);
		len += strlen(p);
	}
	return t;
}

static void same_lines(const tc_span *want, size_t nwant, const tc_span *got, size_t ngot,
		       const char *how, int cols)
{
	if (ngot != nwant)
		fail_msg("%s at %d columns: %zu lines, not %zu", how, cols, ngot, nwant);
	for (size_t i = 0; i < nwant; i++)
		if (got[i].off != want[i].off || got[i].len != want[i].len || got[i].width != want[i].width ||
		    got[i].cont != want[i].cont)
			fail_msg("%s at %d columns: line %zu is [%zu, +%zu), not [%zu, +%zu)", how, cols, i,
				 got[i].off, got[i].len, want[i].off, want[i].len);
}

/* Lines from tc_wrap_from, max at a time, over clean[0, len) as made
 * available part by part (part bytes more each time a call gives no
 * line; 0: all at once), appended to *all. */
static size_t wrap_in_parts(const char *clean, size_t len, int cols, size_t max, size_t part,
			    tc_span **all)
{
	size_t n = 0, cap = 0, off = 0, have = part ? part : len;
	*all = NULL;

	while (off < len || (!len && !n)) {
		tc_span *l;
		size_t next, got;

		if (have > len)
			have = len;
		while (have < len && (clean[have] & 0xC0) == 0x80)
			have++;
		got = tc_wrap_from(clean, have, have == len, off, cols, max, &l, &next);
		assert_true(got <= max);
		assert_true(next >= off);
		if (!got) {
			assert_true(have < len);     /* only a part lacks lines */
			have += part;
		}
		*all = xgrow(*all, &cap, n + got + 1, sizeof **all);
		if (got)
			memcpy(*all + n, l, got * sizeof *l);
		n += got;
		free(l);
		off = next;
		if (!len)
			break;
	}
	return n;
}

/* The detail pane lays a long text out a screenful at a time: resumed
 * wrapping, on text cleaned part by part, gives the lines of the whole. */
static void cells_wrap_in_parts(void **state)
{
	static const int widths[] = { 1, 2, 3, 7, 20, 33, 80 };
	char *text = sample_text(3000);
	size_t len = strlen(text);

	(void)state;
	for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
		int cols = widths[w];
		tc_span *full, *got;
		size_t nfull = tc_wrap(text, cols, &full), n;

		n = wrap_in_parts(text, len, cols, 1, 0, &got);
		same_lines(full, nfull, got, n, "a line at a time", cols);
		free(got);
		n = wrap_in_parts(text, len, cols, 37, 0, &got);
		same_lines(full, nfull, got, n, "37 lines at a time", cols);
		free(got);
		n = wrap_in_parts(text, len, cols, 37, 4096, &got);
		same_lines(full, nfull, got, n, "cleaned 4 KiB at a time", cols);
		free(got);
		/* A window of the text at a time, as for a text over 2 GiB. */
		tc_wrap_window = 2048;
		n = wrap_in_parts(text, len, cols, 50, 0, &got);
		tc_wrap_window = (size_t)1 << 30;
		same_lines(full, nfull, got, n, "a window of 2 KiB", cols);
		free(got);
		free(full);
	}
	free(text);
}

/* A window of nothing but one cluster (a letter and thousands of marks):
 * the wrap still moves on, and loses no byte. */
static void cells_wrap_window_of_marks(void **state)
{
	size_t len = 1 + 5000 * 2;
	char *text = xmalloc(len + 1);
	tc_span *l;
	size_t n;

	(void)state;
	text[0] = 'a';
	for (size_t i = 1; i < len; i += 2)
		memcpy(text + i, "\xCC\x81", 2);      /* U+0301 */
	text[len] = '\0';
	tc_wrap_window = 256;
	n = wrap_in_parts(text, len, 10, 5, 0, &l);
	tc_wrap_window = (size_t)1 << 30;
	assert_true(n >= 1);
	assert_covers(text, l, n);
	assert_int_equal(l[n - 1].off + l[n - 1].len, len);
	free(l);
	free(text);
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
		cmocka_unit_test(cells_clean_and_measure),
		cmocka_unit_test(cells_fit_and_cut),
		cmocka_unit_test(cells_wrap),
		cmocka_unit_test(cells_wrap_keeps_commands),
		cmocka_unit_test(cells_wrap_linear),
		cmocka_unit_test(cells_wrap_narrow_clusters),
		cmocka_unit_test(cells_wrap_in_parts),
		cmocka_unit_test(cells_wrap_window_of_marks),
	};

	/* wcwidth() measures in the locale's character set. */
	setlocale(LC_ALL, "C.UTF-8");

	return cmocka_run_group_tests(tests, NULL, NULL);
}
