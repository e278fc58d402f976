/* errkb match on arbitrary text: the lines of the input through a matcher
 * built once on the shipped KB (data/kb).  Checked: the hits are distinct
 * records, best first, each with its line and a span inside it.  When the
 * first line is a record's id, the screening is checked for that record
 * too: each line its regex matches (ICU, directly) must give it a regex
 * hit, so the literals that spare most regexes lose nothing.  The best
 * hit's evidence, as match --browse shows it, is laid out: its rows are
 * clean UTF-8, the span marked within them. */
#include <config.h>
#include "detail_doc.h"
#include "fuzz.h"
#include "kbregex.h"
#include "load.h"
#include "matcher.h"
#include "textscan.h"

#include <stdlib.h>
#include <string.h>

enum { CHECK_LINES = 8 };

static kb k;
static matcher *m;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = ABS_TOP_SRCDIR "/data/kb";

	(void)argc; (void)argv;
	fz_locale();
	kb_init(&k);
	kb_load_paths(&k, &path, 1);
	if (k.nrecs < 200 || k.diags.errors) {
		fprintf(stderr, "fuzz_match: %s did not load (%zu records, %zu errors)\n", path,
			k.nrecs, k.diags.errors);
		abort();
	}
	m = matcher_new(&k);
	return 0;
}

/* The detail pane's rows with h's evidence above the record, width
 * columns wide. */
static void check_evidence(const match_hit *h, int width)
{
	doc_evidence ev = { .line_no = h->line_no, .line = h->line, .start = h->start, .end = h->end,
			    .nlines = h->nlines };
	doc d = { 0 };

	memcpy(ev.lines, h->lines, sizeof ev.lines);
	doc_build_matched(&d, &k, &k.recs[h->rec], KB_EN, width, &ev);
	doc_need(&d, (size_t)-1);
	for (size_t i = 0; i < d.n; i++) {
		const doc_row *r = &d.rows[i];
		size_t len = strlen(r->text);

		FZ_CHECK(!text_has_control(r->text), "row %zu holds a control character", i);
		FZ_CHECK(text_invalid_utf8(r->text, len) == (size_t)-1, "row %zu is not UTF-8", i);
		FZ_CHECK(!r->mark_len || (r->mark_at >= r->prefix && r->mark_at + r->mark_len <= len),
			 "row %zu: mark [%u, +%u) in %zu bytes", i, r->mark_at, r->mark_len, len);
	}
	doc_free(&d);
}

static void check_hits(size_t nlines, int width)
{
	const match_hit *hits;
	size_t n = matcher_results(m, &hits);

	for (size_t i = 0; i < n; i++) {
		const match_hit *h = &hits[i];

		FZ_CHECK(h->rec < k.nrecs, "hit %zu: record %u", i, (unsigned)h->rec);
		FZ_CHECK(h->score > 0 && (i == 0 || h->score <= hits[i - 1].score), "hit %zu: score %g",
			 i, h->score);
		FZ_CHECK(h->line && h->line_no >= 1 && h->line_no <= nlines, "hit %zu: line %zu of %zu",
			 i, h->line_no, nlines);
		FZ_CHECK(h->start <= h->end && h->end <= strlen(h->line), "hit %zu: span [%zu, %zu) in "
			 "a line of %zu", i, h->start, h->end, strlen(h->line));
		for (size_t j = 0; j < i; j++)
			FZ_CHECK(hits[j].rec != h->rec, "record %u hit twice", (unsigned)h->rec);
		FZ_CHECK(h->nlines >= 1 && h->nlines <= nlines, "hit %zu: %zu lines of %zu", i,
			 h->nlines, nlines);
		for (size_t j = 0; j < h->nlines && j < MATCH_LINES_KEPT; j++)
			FZ_CHECK(h->lines[j] >= 1 && h->lines[j] <= nlines && (!j || h->lines[j] > h->lines[j - 1]),
				 "hit %zu: line %zu is %zu", i, j, h->lines[j]);
	}
	if (n)
		check_evidence(&hits[0], width);
}

/* Line by line: where rec's own regex matches, the matcher has it. */
static void check_screening(size_t rec, char **lines, size_t nlines)
{
	const kb_record *r = &k.recs[rec];
	const uint32_t *dropped;
	char err[128];
	kbre re;

	if (!r->regex || !kbre_compile(&re, r->regex, err, sizeof err))
		return;
	for (size_t i = 0; i < nlines && i < CHECK_LINES; i++) {
		size_t s, e, n;
		const match_hit *hits;
		bool found = false;

		if (kbre_search(&re, lines[i], &s, &e) != KBRE_MATCH)
			continue;
		matcher_line(m, lines[i], 1);
		n = matcher_results_all(m, &hits);      /* weak ones too: the screen is what is checked */
		for (size_t j = 0; j < n && !found; j++)
			found = hits[j].rec == rec && hits[j].regex;
		for (size_t j = 0; j < matcher_dropped(m, &dropped) && !found; j++)
			found = dropped[j] == rec;     /* over ICU's limits: reported */
		FZ_CHECK(found, "the regex of %s matches line %zu, the matcher misses it", r->id, i + 1);
		matcher_reset(m);
	}
	kbre_free(&re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_string(data, size), *save = NULL, **lines = NULL;
	size_t n = 0, rec;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char **grow = realloc(lines, (n + 1) * sizeof *lines);

		FZ_CHECK(grow != NULL, "realloc");
		lines = grow;
		lines[n++] = l;
	}
	for (size_t i = 0; i < n; i++)
		matcher_line(m, lines[i], i + 1);
	check_hits(n, 1 + (int)(size % 120));
	matcher_reset(m);
	if (n && (rec = kb_index_of(&k, lines[0])) != (size_t)-1)
		check_screening(rec, lines + 1, n - 1);
	free(lines);
	free(text);
	return 0;
}
