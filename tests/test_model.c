/* The model above loading: selection and order, JSON output, regex
 * validation. */
#include <config.h>
#include "testutil.h"
#include "kbjson.h"
#include "query.h"
#include "validate.h"
#include "detail_doc.h"
#include "graph_layout.h"
#include "textcell.h"
#include "textscan.h"
#include "xalloc.h"

#include <locale.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC(id, dom, sig, sigzh, more) \
	"{\"id\":\"" id "\",\"signature\":\"" sig "\",\"signature_zh\":\"" sigzh "\"," \
	"\"domain\":\"" dom "\",\"category\":\"c\"" more "}"

static const char *const kbtext = "["
	REC("b/2", "beta", "cherry fails", "上海出错", ",\"confidence\":0.9") ","
	REC("a/1", "alpha", "Banana fails", "北京出错", ",\"confidence\":0.5,\"category\":\"x\"") ","
	REC("b/1", "beta", "apple fails", "重庆出错", "") ","
	REC("a/2", "alpha", "apple fails", "澳门出错", ",\"confidence\":0.95") "]";

static void order_and_filters(void **state)
{
	kb_filter f = { 0 };
	const char *beta[] = { "beta" };
	uint32_t *ix;
	size_t n;
	kb k;

	(void)state;
	tu_load_text(&k, "sel.json", kbtext);
	assert_int_equal(k.nrecs, 4);
	/* Domain first, then signature by collation: case does not
	 * decide before letters do. */
	n = kb_select(&k, NULL, KB_EN, &ix);
	assert_int_equal(n, 4);
	assert_string_equal(k.recs[ix[0]].id, "a/2");
	assert_string_equal(k.recs[ix[1]].id, "a/1");
	assert_string_equal(k.recs[ix[2]].id, "b/1");
	assert_string_equal(k.recs[ix[3]].id, "b/2");
	free(ix);
	/* Chinese order is by pinyin: Aomen, Beijing; Chongqing, Shanghai. */
	n = kb_select(&k, NULL, KB_ZH, &ix);
	assert_string_equal(k.recs[ix[0]].id, "a/2");
	assert_string_equal(k.recs[ix[1]].id, "a/1");
	assert_string_equal(k.recs[ix[2]].id, "b/1");
	assert_string_equal(k.recs[ix[3]].id, "b/2");
	free(ix);
	f.domains = beta;
	f.ndomains = 1;
	n = kb_select(&k, &f, KB_EN, &ix);
	assert_int_equal(n, 2);
	free(ix);
	f.ndomains = 0;
	f.min_confidence = 0.9;   /* records without confidence drop out */
	n = kb_select(&k, &f, KB_EN, &ix);
	assert_int_equal(n, 2);
	free(ix);
	kb_free(&k);
}

static void normalized_json(void **state)
{
	cJSON *j, *wz;
	kb k;

	(void)state;
	tu_load_text(&k, "j.json", REC("j/1", "d", "sig", "签名",
		",\"workarounds\":[{\"action\":\"x\",\"success_rate\":0.5}],\"extra_field\":[1,2],"
		"\"transition_graph\":{\"leads_to\":[\"j/missing\"]}"));
	j = kb_record_to_json(&k, &k.recs[0]);
	assert_string_equal(cJSON_GetObjectItem(j, "signature_zh")->valuestring, "签名");
	assert_string_equal(cJSON_GetObjectItem(j, "format")->valuestring, "flat");
	wz = cJSON_GetObjectItem(j, "workarounds_zh");
	assert_int_equal(cJSON_GetArraySize(wz), 1);
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(wz, 0)));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "extra"),
								"extra_field")), 2);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(j, "transition_graph"), "leads_to"), 0), "in_kb")));
	assert_null(cJSON_GetObjectItem(j, "confidence"));
	cJSON_Delete(j);
	kb_free(&k);
}

static void regex_validation(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "re.json", "["
		REC("r/ok", "d", "Error 42 here", "错误", ",\"regex\":\"error\\\\s+\\\\d+\"") ","
		REC("r/miss", "d", "Error 42 here", "错误", ",\"regex\":\"warning\"") ","
		REC("r/bad", "d", "Error 42 here", "错误", ",\"regex\":\"(error\"") ","
		REC("r/none", "d", "Error 42 here", "错误", "") "]");
	kb_validate_regexes(&k);
	assert_int_equal(tu_count(&k, DK_REGEX_MISS, &d), 1);
	assert_string_equal(d->record_id, "r/miss");
	assert_int_equal(d->line, 1);
	assert_int_equal(tu_count(&k, DK_BAD_REGEX, &d), 1);
	assert_string_equal(d->record_id, "r/bad");
	assert_non_null(strstr(d->message, "offset"));
	kb_free(&k);
}

static void graph_neighbourhood(void **state)
{
	graph g = { 0 };
	kb k;
	size_t a;

	(void)state;
	tu_load_text(&k, "g.json", "["
		REC("g/a", "d", "A", "甲", ",\"transition_graph\":{\"leads_to\":[\"g/b\",\"g/a\",\"g/gone\"],"
		    "\"preceded_by\":[\"g/b\"],\"frequently_confused_with\":[{\"error_id\":\"g/c\"}]}") ","
		REC("g/b", "d", "B", "乙", ",\"transition_graph\":{\"leads_to\":[\"g/a\"]}") ","
		REC("g/c", "d", "C", "丙", ",\"transition_graph\":{\"frequently_confused_with\":[\"g/a\"]}") ","
		REC("g/d", "d", "D", "丁", ",\"transition_graph\":{\"leads_to\":[\"g/a\"]}") "]");
	a = kb_index_of(&k, "g/a");
	graph_build(&g, &k, (uint32_t)a);
	/* Left: g/d (its leads_to); g/b sits right once, marked both ways. */
	assert_int_equal(g.first[GC_LEFT + 1] - g.first[GC_LEFT], 1);
	assert_string_equal(g.nodes[g.first[GC_LEFT]].id, "g/d");
	assert_int_equal(g.first[GC_RIGHT + 1] - g.first[GC_RIGHT], 2);
	assert_string_equal(g.nodes[g.first[GC_RIGHT]].id, "g/b");
	assert_true(g.nodes[g.first[GC_RIGHT]].both_ways);
	assert_int_equal(g.nodes[g.first[GC_RIGHT] + 1].rec, KB_NONE);   /* missing, kept */
	assert_int_equal(g.first[GC_BELOW + 1] - g.first[GC_BELOW], 1);  /* g/c once */
	assert_true(g.self_loop);
	assert_int_equal(graph_column_pick(&g, GC_RIGHT, 5), g.first[GC_RIGHT] + 1);
	graph_free(&g);
	kb_free(&k);
}

static void same_rows(const doc *want, const doc *got, const char *id, size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(want->rows[j].text, got->rows[j].text) || want->rows[j].prefix != got->rows[j].prefix ||
		    want->rows[j].style != got->rows[j].style ||
		    want->rows[j].prefix_style != got->rows[j].prefix_style)
			fail_msg("%s: row %zu is '%s', laid out whole '%s'", id, j, got->rows[j].text,
				 want->rows[j].text);
}

/* Every row of every shipped record fits its width, in both languages;
 * and laid out as the pane does, a few rows at a time, the rows are those
 * of the whole, each call giving what was asked. */
static void detail_rows_fit(void **state)
{
	doc whole = { 0 }, d = { 0 };
	kb k;
	char path[1024];
	const char *src = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", src ? src : ".");
	tu_load(&k, path);
	assert_true(k.nrecs > 0);
	for (int lang = KB_EN; lang <= KB_ZH; lang++) {
		for (int width = 10; width <= 100; width += 45) {
			for (size_t i = 0; i < k.nrecs; i++) {
				doc_build(&whole, &k, &k.recs[i], (enum kb_lang)lang, width);
				doc_need(&whole, (size_t)-1);
				assert_true(whole.n > 5);
				for (size_t j = 0; j < whole.n; j++)
					if (tc_width(whole.rows[j].text) > width)
						fail_msg("%s: row %zu wider than %d: %s", k.recs[i].id, j,
							 width, whole.rows[j].text);
				doc_build(&d, &k, &k.recs[i], (enum kb_lang)lang, width);
				assert_int_equal(d.n, 0);
				for (size_t want = 7; !doc_complete(&d); want += 7) {
					size_t got = doc_need(&d, want);

					assert_true(got == want || (doc_complete(&d) && got < want));
				}
				assert_int_equal(d.n, whole.n);
				same_rows(&whole, &d, k.recs[i].id, d.n);
			}
		}
	}
	doc_free(&whole);
	doc_free(&d);
	kb_free(&k);
}

/* Breaks of text at cols that cut a word of ASCII with punctuation in it
 * (counted in *hyphen when after a hyphen, *slash after a slash, *word
 * else) or a code span (*code; a backtick pair on one line, told from the
 * line's start) without the mark that says so. */
static void count_breaks(const char *text, int cols, size_t *hyphen, size_t *slash, size_t *word,
			 size_t *code)
{
	char *clean = tc_clean(text);
	tc_span *l;
	size_t n = tc_wrap(clean, cols, &l);

	for (size_t i = 0; i + 1 < n; i++) {
		size_t e = l[i].off + l[i].len, nx = l[i + 1].off, ls = nx, ticks = 0;
		const char *close;

		if (l[i].cont)
			continue;
		if (nx == e && e > 0 && clean[e - 1] > ' ' && clean[e - 1] < 0x7F && clean[nx] > ' ' &&
		    clean[nx] < 0x7F) {
			if (clean[e - 1] == '-')
				++*hyphen;
			else if (clean[e - 1] == '/')
				++*slash;
			else
				++*word;
		}
		while (ls > 0 && clean[ls - 1] != '\n')
			ls--;
		for (size_t j = ls; j < nx; j++)
			ticks += clean[j] == '`';
		close = strpbrk(clean + nx, "`\n");
		if (ticks % 2 && close && *close == '`')
			++*code;
	}
	free(l);
	free(clean);
}

static void count_text(const kb_text *t, int cols, size_t *c)
{
	if (t->en)
		count_breaks(t->en, cols, &c[0], &c[1], &c[2], &c[3]);
	if (t->zh)
		count_breaks(t->zh, cols, &c[0], &c[1], &c[2], &c[3]);
}

/* Commands and paths in the shipped KB's texts are not cut where a
 * reader would not cut them: after a hyphen or slash inside a word, or
 * inside a code span, unless marked.  (Before, in English and Chinese
 * texts at 76 columns: 366 such breaks after a hyphen, 352 after a
 * slash, 28 after other punctuation, 1,641 in code spans; at 40
 * columns 743, 768, 114 and 3,481.) */
static void detail_keeps_commands_whole(void **state)
{
	static const int widths[] = { 40, 60, 76, 100 };
	kb k;
	char path[1024];
	const char *src = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", src ? src : ".");
	tu_load(&k, path);
	assert_true(k.nrecs > 200);
	for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
		size_t c[4] = { 0 };

		for (size_t i = 0; i < k.nrecs; i++) {
			const kb_record *r = &k.recs[i];

			count_text(&r->signature, widths[w], c);
			count_text(&r->root_cause, widths[w], c);
			for (size_t j = 0; j < r->nworkarounds; j++) {
				count_text(&r->workarounds[j].action, widths[w], c);
				count_text(&r->workarounds[j].how, widths[w], c);
				count_text(&r->workarounds[j].condition, widths[w], c);
			}
			for (size_t j = 0; j < r->ndead_ends; j++) {
				count_text(&r->dead_ends[j].action, widths[w], c);
				count_text(&r->dead_ends[j].why_fails, widths[w], c);
				count_text(&r->dead_ends[j].condition, widths[w], c);
			}
		}
		printf("%d columns: unmarked breaks after a hyphen %zu, a slash %zu, other punctuation %zu, "
		       "in a code span %zu\n", widths[w], c[0], c[1], c[2], c[3]);
		assert_int_equal(c[0] + c[1] + c[2] + c[3], 0);
	}
	kb_free(&k);
}

/* A record with a field of 16 MB of Chinese: a screenful of it cleans and
 * lays out a part of the field, not all of it (the browser used to freeze
 * 24 s at L on 1 MB), and its rows are those of the whole. */
static void detail_huge_field_a_part_at_a_time(void **state)
{
	const char *unit = "\xE8\xAF\x81\xE4\xB9\xA6\xE9\xAA\x8C\xE8\xAF\x81\xE5\xA4\xB1\xE8\xB4\xA5\xEF\xBC\x8C";
	size_t ul = strlen(unit), n = (16 << 20) / ul, len = 0;
	const char *head = "{\"id\":\"big/zh\",\"signature\":\"huge\",\"domain\":\"d\",\"category\":\"c\","
			   "\"root_cause\":\"x\",\"root_cause_zh\":\"";
	char *text = xmalloc(strlen(head) + n * ul + 8);
	unsigned long long before;
	doc d = { 0 };
	kb k;

	(void)state;
	len = strlen(head);
	memcpy(text, head, len);
	for (size_t i = 0; i < n; i++, len += ul)
		memcpy(text + len, unit, ul);
	memcpy(text + len, "\"}", 3);
	tu_load_text(&k, "huge.json", text);
	free(text);
	assert_int_equal(k.nrecs, 1);

	before = tc_bytes_examined;
	doc_build(&d, &k, &k.recs[0], KB_ZH, 80);
	assert_int_equal(doc_need(&d, 60), 60);
	assert_false(doc_complete(&d));
	if (d.raw_done > 1 << 20)
		fail_msg("%zu bytes of the field cleaned for 60 rows", d.raw_done);
	if (tc_bytes_examined - before > 1 << 20)
		fail_msg("%llu bytes measured for 60 rows", tc_bytes_examined - before);
	/* Further on, a part at a time too. */
	assert_int_equal(doc_need(&d, 20000), 20000);
	assert_false(doc_complete(&d));
	if (d.raw_done > d.raw_len / 2)
		fail_msg("%zu bytes of %zu cleaned for 20,000 rows", d.raw_done, d.raw_len);
	doc_need(&d, (size_t)-1);
	assert_true(doc_complete(&d));
	/* The field's rows are the lines of it cleaned and wrapped whole
	 * (hanging 2 columns in after the first). */
	{
		const char *zh = k.recs[0].root_cause.zh;
		char *clean = tc_clean(zh);
		tc_span *l;
		size_t nl = tc_wrap(clean, 78, &l), at = 0;

		while (at < d.n && strncmp(d.rows[at].text, unit, 3))
			at++;
		assert_true(at + nl <= d.n);
		for (size_t j = 0; j < nl; j++) {
			const char *row = d.rows[at + j].text + (j ? 2 : 0);

			if (strlen(row) != l[j].len || memcmp(row, clean + l[j].off, l[j].len))
				fail_msg("row %zu of the field differs from line %zu of the whole", at + j, j);
		}
		assert_true(at + nl == d.n || !d.rows[at + nl].text[0] || d.rows[at + nl].text[0] != ' ');
		free(l);
		free(clean);
	}
	doc_free(&d);
	kb_free(&k);
}

/* A member named "" is an extra with an empty label: shown as ": value",
 * the label's place kept, as before the pane laid out a part at a time. */
static void detail_empty_label(void **state)
{
	doc d = { 0 };
	bool found = false;
	kb k;

	(void)state;
	tu_load_text(&k, "empty.jsonl",
		"{\"id\": \"k/empty\", \"signature\": \"s\", \"domain\": \"d\", \"category\": \"c\", "
		"\"\": \"nameless value\"}\n");
	assert_int_equal(k.nrecs, 1);
	doc_build(&d, &k, &k.recs[0], KB_EN, 80);
	doc_need(&d, (size_t)-1);
	for (size_t j = 0; j < d.n; j++)
		if (!strcmp(d.rows[j].text, ": nameless value")) {
			found = true;
			assert_int_equal(d.rows[j].prefix, 2);
		}
	assert_true(found);
	doc_free(&d);
	kb_free(&k);
}

/* Member names are KB text too (found by fuzz_load): an unknown field,
 * an os_specific or canon environment key with escape sequences must not
 * reach the terminal through `errkb show` or the detail pane. */
static void detail_rows_clean_keys(void **state)
{
	doc d = { 0 };
	kb k;

	(void)state;
	tu_load_text(&k, "keys.jsonl",
		"{\"id\": \"k/esc\", \"signature\": \"s\", \"domain\": \"d\", \"category\": \"c\", "
		"\"\\u001b]0;pwned\\u0007x\": \"v\", \"os_specific\": {\"\\u001b[2Jlinux\": \"n\"}, "
		"\"dead_ends\": [{\"action\": \"a\", \"why\\u009b\": \"w\"}]}\n");
	assert_int_equal(k.nrecs, 1);
	doc_build(&d, &k, &k.recs[0], KB_EN, 80);
	doc_need(&d, (size_t)-1);
	for (size_t j = 0; j < d.n; j++)
		if (text_has_control(d.rows[j].text))
			fail_msg("row %zu holds a control character: %s", j, d.rows[j].text);
	doc_free(&d);
	kb_free(&k);
}

/* The evidence rows of d (after its heading, to the blank row): how many,
 * the bytes they mark joined in marked (room for len), and that every
 * row is clean UTF-8. */
static size_t evidence_rows(const doc *d, char *marked, size_t len)
{
	size_t j = 1, o = 0;

	assert_true(d->n > 2);
	assert_string_equal(d->rows[0].text, "Matched in the log");
	for (; j < d->n && d->rows[j].text[0]; j++) {
		const doc_row *r = &d->rows[j];

		assert_false(text_has_control(r->text));
		assert_true(text_invalid_utf8(r->text, strlen(r->text)) == (size_t)-1);
		assert_true(r->mark_at + r->mark_len <= strlen(r->text));
		assert_true(o + r->mark_len < len);
		memcpy(marked + o, r->text + r->mark_at, r->mark_len);
		o += r->mark_len;
	}
	marked[o] = '\0';
	return j - 1;
}

/* What match --browse found, above the record: a log line of any bytes
 * and length, cleaned, cut around the span to a few rows, the span
 * marked across the rows it is wrapped to. */
static void detail_evidence(void **state)
{
	size_t side = 5000, n;
	char *line = xmalloc(2 * side + 7000), marked[16384], *p;
	doc_evidence ev = { .line_no = 7, .line = line, .nlines = 9, .lines = { 2, 7, 8, 30 } };
	doc d = { 0 };
	kb k;

	(void)state;
	tu_load_text(&k, "ev.jsonl", "{\"id\": \"k/ev\", \"signature\": \"s\", \"domain\": \"d\", "
				      "\"category\": \"c\"}\n");
	for (size_t i = 0; i < side; i++)
		line[i] = "abcd "[i % 5];
	strcpy(line + side, "\xff\x1b[2J: connection refused \x1b]0;t\x07");
	ev.start = side + strlen("\xff\x1b[2J: ");
	ev.end = ev.start + strlen("connection refused");
	p = line + strlen(line);
	for (size_t i = 0; i < side; i++)
		p[i] = "wxyz "[i % 5];
	p[side] = '\0';
	doc_build_matched(&d, &k, &k.recs[0], KB_EN, 60, &ev);
	doc_need(&d, (size_t)-1);
	n = evidence_rows(&d, marked, sizeof marked);
	assert_string_equal(marked, "connection refused");
	/* About three rows of the line, cut at both ends; the other lines. */
	assert_true(n >= 3 && n <= 5);
	assert_non_null(strstr(d.rows[1].text, "line 7: \xE2\x80\xA6"));
	assert_non_null(strstr(d.rows[n].text, "2, 7, 8, 30, \xE2\x80\xA6"));
	assert_non_null(strstr(d.rows[n].text, "9 lines matched"));
	assert_non_null(strstr(d.rows[n - 1].text, "\xE2\x80\xA6"));
	assert_non_null(strstr(d.rows[n - 1].text, "wxyz"));
	/* The record follows. */
	assert_string_equal(d.rows[n + 2].text, "k/ev");
	doc_free(&d);

	/* A span longer than the rows: cut, and marked as far as shown. */
	memset(line, 'c', 6000);
	line[6000] = '\0';
	ev = (doc_evidence){ .line_no = 1, .line = line, .start = 10, .end = 5990, .nlines = 1 };
	doc_build_matched(&d, &k, &k.recs[0], KB_EN, 60, &ev);
	doc_need(&d, (size_t)-1);
	n = evidence_rows(&d, marked, sizeof marked);
	assert_true(n >= 3 && n <= 5);
	assert_true(strlen(marked) > 100 && strlen(marked) < 200);
	doc_free(&d);

	/* A span that starts and ends inside characters, or past the line;
	 * the words matched: no span. */
	for (p = line; p < line + 3000; p += 2)
		memcpy(p, "\xC3\xA9", 2);
	*p = '\0';
	for (size_t i = 0; i < 4; i++) {
		static const size_t at[][2] = { { 1001, 2001 }, { 2999, 5000 }, { 9000, 9000 }, { 0, 0 } };

		ev = (doc_evidence){ .line_no = 3, .line = line, .start = at[i][0], .end = at[i][1],
				     .nlines = 1 };
		doc_build_matched(&d, &k, &k.recs[0], KB_ZH, 40, &ev);
		doc_need(&d, (size_t)-1);
		assert_true(d.n > 2);
		for (size_t j = 0; j < d.n; j++)
			assert_true(text_invalid_utf8(d.rows[j].text, strlen(d.rows[j].text)) == (size_t)-1);
		doc_free(&d);
	}
	free(line);
	kb_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_and_filters),
		cmocka_unit_test(normalized_json),
		cmocka_unit_test(regex_validation),
		cmocka_unit_test(graph_neighbourhood),
		cmocka_unit_test(detail_rows_fit),
		cmocka_unit_test(detail_keeps_commands_whole),
		cmocka_unit_test(detail_empty_label),
		cmocka_unit_test(detail_huge_field_a_part_at_a_time),
		cmocka_unit_test(detail_rows_clean_keys),
		cmocka_unit_test(detail_evidence),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);

	tu_cleanup();
	return rc;
}
