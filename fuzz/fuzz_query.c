/* The query language: query_parse on arbitrary text, then search_run over
 * the shipped KB and the test KB (loaded once).  Checked: an error names a
 * place inside the query and leaves nothing to free; the results are
 * distinct records of the input set, best first. */
#include <config.h>
#include "fuzz.h"
#include "load.h"
#include "query.h"
#include "search.h"

#include <stdlib.h>
#include <string.h>

static kb k;
static search_index ix;
static uint32_t *all;
static size_t nall;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *paths[] = { ABS_TOP_SRCDIR "/data/kb", ABS_TOP_SRCDIR "/tests/data/small" };

	(void)argc; (void)argv;
	fz_locale();
	kb_init(&k);
	kb_load_paths(&k, paths, 2);
	if (k.nrecs < 200 || k.diags.errors) {
		fprintf(stderr, "fuzz_query: the KB did not load (%zu records, %zu errors)\n",
			k.nrecs, k.diags.errors);
		abort();
	}
	search_index_build(&ix, &k);
	nall = kb_select(&k, NULL, KB_EN, &all);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_string(data, size), err[256] = "";
	size_t pos = (size_t)-1, n;
	uint32_t *hits;
	query q;

	if (!query_parse(s, &q, err, sizeof err, &pos)) {
		FZ_CHECK(pos <= strlen(s), "error at %zu in a query of %zu bytes", pos, strlen(s));
		FZ_CHECK(err[0], "an error without a message");
		FZ_CHECK(!q.terms && !q.phrase && !q.n, "a failed parse left terms");
		free(s);
		return 0;
	}
	FZ_CHECK(q.phrase != NULL, "no phrase");
	FZ_CHECK(query_empty(&q) == (q.n == 0), "query_empty");
	for (size_t i = 0; i < q.n; i++) {
		const qterm *t = &q.terms[i];

		FZ_CHECK(t->field == QF_CONF || t->field == QF_FIX || t->text, "term %zu has no text", i);
		FZ_CHECK(t->field != QF_TEXT || *t->text, "term %zu: an empty word", i);
		FZ_CHECK(!(t->field == QF_CONF || t->field == QF_FIX) || (t->value >= 0 && t->value <= 1),
			 "term %zu: a rate of %g", i, t->value);
	}

	n = search_run(&ix, &k, &q, all, nall, &hits);
	FZ_CHECK(n <= nall, "%zu results of %zu records", n, nall);
	{
		unsigned char *seen = calloc(k.nrecs + 1, 1);
		double prev = 0;

		FZ_CHECK(seen != NULL, "calloc");
		for (size_t i = 0; i < n; i++) {
			double sc = search_score(&ix, &k, hits[i], &q);

			FZ_CHECK(hits[i] < k.nrecs && !seen[hits[i]], "result %zu: record %u twice or "
				 "out of range", i, (unsigned)hits[i]);
			seen[hits[i]] = 1;
			FZ_CHECK(sc > 0, "result %zu scores %g", i, sc);
			FZ_CHECK(i == 0 || sc <= prev, "result %zu scores %g after %g", i, sc, prev);
			prev = sc;
		}
		free(seen);
	}
	free(hits);
	query_free(&q);
	free(s);
	return 0;
}
