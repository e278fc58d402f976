/* Regex literal extraction and the matcher's screening, on a regex and a
 * line from the input (split at the first NUL byte).  The screening must
 * lose nothing: when the record's regex (ICU, case-insensitive) matches the
 * line, the folded line holds one of the regex's literals, and a matcher
 * built on a KB of that one record reports it as a regex hit.  The regex
 * is made valid UTF-8 first, as the loader makes every record's text.
 * Every literal regex_required gives must be in the folded line too. */
#include <config.h>
#include "fuzz.h"
#include "fold.h"
#include "kb.h"
#include "kbregex.h"
#include "literal.h"
#include "matcher.h"
#include "textscan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	return 0;
}

/* A KB of one record whose regex is pattern. */
static void one_record(kb *k, const char *pattern)
{
	kb_record r;

	memset(&r, 0, sizeof r);
	kb_init(k);
	r.id = arena_strdup(&k->mem, "fuzz/regex");
	r.signature.en = arena_strdup(&k->mem, pattern);
	r.regex = arena_strdup(&k->mem, pattern);
	r.domain = arena_strdup(&k->mem, "fuzz");
	r.category = arena_strdup(&k->mem, "fuzz_error");
	r.path = arena_strdup(&k->mem, "fuzz");
	r.line = 1;
	r.confidence = r.fix_success_rate = NAN;
	r.evidence_count = -1;
	kb_add(k, &r);
	kb_finish(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = fz_string(data, size), **lits, err[128], *folded, *pattern;
	const char *line = raw + strlen(raw) + (strlen(raw) < size);
	size_t n, s = 0, e = 0, nhits;
	enum kbre_result res = KBRE_ERROR;
	const match_hit *hits;
	matcher *m;
	kbre re;
	kb k;

	pattern = text_repair_utf8(raw, strlen(raw));
	n = regex_literals(pattern, &lits);
	for (size_t i = 0; i < n; i++)
		FZ_CHECK(strlen(lits[i]) >= LITERAL_MIN, "literal %zu '%s' is shorter than %d bytes",
			 i, lits[i], LITERAL_MIN);
	if (kbre_compile(&re, pattern, err, sizeof err)) {
		res = kbre_search(&re, line, &s, &e);
		kbre_free(&re);
	}
	/* A line whose folding joins characters is not screened (matcher.c):
	 * the screen's promise is for the others. */
	if (res == KBRE_MATCH && n && !fold_composes(line)) {
		bool found = false;

		FZ_CHECK(s <= e && e <= strlen(line), "match [%zu, %zu) in a line of %zu", s, e, strlen(line));
		folded = fold(line);
		for (size_t i = 0; i < n && !found; i++)
			found = strstr(folded, lits[i]) != NULL;
		FZ_CHECK(found, "the regex matches the line, but the folded line lacks its %zu literal(s), "
			 "the first '%s'", n, lits[0]);
		free(folded);
	}
	regex_literals_free(lits, n);

	/* Every literal the regex requires is in every line it matches. */
	n = regex_required(pattern, &lits);
	for (size_t i = 0; i < n; i++)
		FZ_CHECK(strlen(lits[i]) >= LITERAL_MIN, "required literal %zu '%s' is shorter than %d bytes",
			 i, lits[i], LITERAL_MIN);
	if (res == KBRE_MATCH && n && !fold_composes(line)) {
		folded = fold(line);
		for (size_t i = 0; i < n; i++)
			FZ_CHECK(strstr(folded, lits[i]) != NULL, "the regex matches the line, but the folded "
				 "line lacks the literal '%s' it requires", lits[i]);
		free(folded);
	}
	regex_literals_free(lits, n);

	one_record(&k, pattern);
	m = matcher_new(&k);
	matcher_line(m, line, 1);
	/* Weak hits too: what is checked is that the screen lets the regex
	 * through, whatever the ranking makes of an ordinary line. */
	nhits = matcher_results_all(m, &hits);
	FZ_CHECK(nhits <= 1, "%zu hits from one record", nhits);
	if (res == KBRE_MATCH && !matcher_dropped(m, &(const uint32_t *){ NULL }))
		FZ_CHECK(nhits == 1 && hits[0].regex && hits[0].start == s && hits[0].end == e,
			 "the regex matches the line, the matcher has %s", nhits ? "a word hit" : "nothing");
	matcher_free(m);
	kb_free(&k);
	free(pattern);
	free(raw);
	return 0;
}
