/* make bench: how well and how fast records are found, on a KB (default:
 * the deadends corpus).
 *  - query: each record's own signature as a query; is the record first?
 *  - words: 300 queries of two or three of a signature's rarest words (as
 *    a person remembers an error); is the record in the top 3?
 *  - log line: the signature inside a realistic log line, through match.
 *  - speed: one match line once loaded; a 100,000-line log; a search
 *    keystroke (a query over the whole KB). */
#include <config.h>
#include "load.h"
#include "matcher.h"
#include "query.h"
#include "search.h"
#include "strmap.h"
#include "xalloc.h"

#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A log line around the signature, in one of a few common shapes. */
static void log_line(char *buf, size_t len, const char *sig, size_t i)
{
	switch (i % 3) {
	case 0:
		snprintf(buf, len, "2026-11-25T03:14:%02zuZ host-%zu app[%zu]: %s (request 8f3a2c)",
			 i % 60, i % 97, 1000 + i, sig);
		break;
	case 1:
		snprintf(buf, len, "Nov 25 03:14:%02zu web%zu svc[%zu]: ERROR %s; retrying in 5s",
			 i % 60, i % 97, 1000 + i, sig);
		break;
	default:
		snprintf(buf, len, "[2026-11-25 03:14:%02zu,%zu] worker-%zu | %s",
			 i % 60, i % 97, 1000 + i, sig);
	}
}

/* The words of s (ASCII letters, 4 or more, lower case), each once, into
 * w (room for max, each of 32 bytes); their count. */
static size_t words_of(const char *s, char w[][32], size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		size_t len = 0;
		bool seen = false;

		while (*s && !isalpha((unsigned char)*s))
			s++;
		while (isalpha((unsigned char)s[len]))
			len++;
		if (len >= 4 && len < 32) {
			for (size_t i = 0; i < len; i++)
				w[n][i] = (char)tolower((unsigned char)s[i]);
			w[n][len] = '\0';
			for (size_t j = 0; j < n && !seen; j++)
				seen = !strcmp(w[j], w[n]);
			n += !seen;
		}
		s += len;
	}
	return n;
}

/* 300 queries of two or three of a record's rarest signature words (the
 * fewest signatures hold them): the share that brings it in the top 3,
 * and first. */
static void distinctive_words(const kb *k, const search_index *ix, const uint32_t *all, size_t n)
{
	strmap df;
	uint32_t *count = xcalloc(1 << 20, sizeof *count);
	char (*keys)[32] = xmalloc((size_t)(1 << 20) * 32);
	size_t nkeys = 0, asked = 0, top3 = 0, top1 = 0;
	char w[64][32];

	strmap_init(&df);
	for (size_t i = 0; i < k->nrecs; i++) {
		size_t nw = words_of(k->recs[i].signature.en ? k->recs[i].signature.en : "", w, 64);

		for (size_t j = 0; j < nw && nkeys < (1 << 20); j++) {
			uint32_t at = strmap_get(&df, w[j]);

			if (at == UINT32_MAX) {
				memcpy(keys[nkeys], w[j], 32);
				at = (uint32_t)nkeys++;
				strmap_put(&df, keys[at], at);
			}
			count[at]++;
		}
	}
	for (size_t r = 0; r < k->nrecs && asked < 300; r += k->nrecs / 300 ? k->nrecs / 300 : 1) {
		size_t nw = words_of(k->recs[r].signature.en ? k->recs[r].signature.en : "", w, 64);
		size_t want = 2 + asked % 2, pick[3], npick = 0, nh;
		char text[128] = "", err[64];
		uint32_t *hits;
		size_t pos;
		query q;

		if (nw < want)
			continue;
		/* The rarest first: a selection, nw is small. */
		while (npick < want) {
			size_t best = SIZE_MAX;

			for (size_t j = 0; j < nw; j++) {
				bool used = false;

				for (size_t u = 0; u < npick; u++)
					used |= pick[u] == j;
				if (!used && (best == SIZE_MAX ||
					      count[strmap_get(&df, w[j])] < count[strmap_get(&df, w[best])]))
					best = j;
			}
			pick[npick++] = best;
		}
		for (size_t u = 0; u < npick; u++)
			snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", u ? " " : "", w[pick[u]]);
		if (!query_parse(text, &q, err, sizeof err, &pos))
			continue;
		nh = search_run(ix, k, &q, all, n, &hits);
		asked++;
		for (size_t j = 0; j < nh && j < 3; j++)
			if (hits[j] == r) {
				top3++;
				top1 += j == 0;
			}
		if (getenv("BENCH_VERBOSE") && !(nh && (hits[0] == r || (nh > 1 && hits[1] == r) ||
							(nh > 2 && hits[2] == r))))
			printf("  words miss %s: %s (%zu hits)\n", k->recs[r].id, text, nh);
		free(hits);
		query_free(&q);
	}
	printf("query by 2 or 3 rare words of a signature (%zu queries): top-3 %.1f%%, top-1 %.1f%%\n",
	       asked, asked ? 100.0 * top3 / asked : 0, asked ? 100.0 * top1 / asked : 0);
	strmap_free(&df);
	free(count);
	free(keys);
}

int main(int argc, char **argv)
{
	const char *def = ABS_TOP_SRCDIR "/../shared/corpora/deadends/canons";
	const char *path = argc > 1 ? argv[1] : def;
	size_t top1 = 0, tie1 = 0, top3 = 0, ltop1 = 0, ltie1 = 0, ltop3 = 0, n;
	uint32_t *all, *hits;
	search_index ix;
	matcher *m;
	double t0, tq, tm;
	char line[4096];
	kb k;

	setlocale(LC_ALL, "C.UTF-8");
	{
		/* The shipped KB: Chinese throughout, so pinyin is most of the
		 * index's work (built while the browser's first frame is read). */
		const char *shipped = ABS_TOP_SRCDIR "/data/kb";

		kb_init(&k);
		kb_load_paths(&k, &shipped, 1);
		t0 = now_ms();
		search_index_build(&ix, &k);
		printf("search index of the shipped KB (%zu records, with pinyin): built in %.0f ms\n",
		       k.nrecs, now_ms() - t0);
		search_index_free(&ix);
		kb_free(&k);
	}
	kb_init(&k);
	kb_load_paths(&k, &path, 1);
	if (!k.nrecs)
		return 1;
	n = kb_select(&k, NULL, KB_EN, &all);
	t0 = now_ms();
	search_index_build(&ix, &k);
	printf("search index: built in %.0f ms\n", now_ms() - t0);

	t0 = now_ms();
	for (size_t i = 0; i < k.nrecs; i++) {
		char err[256];
		size_t pos, nh;
		query q;

		if (!query_parse(k.recs[i].signature.en, &q, err, sizeof err, &pos))
			continue;
		nh = search_run(&ix, &k, &q, all, n, &hits);
		if (nh && hits[0] == i)
			top1++;
		else if (getenv("BENCH_VERBOSE")) {
			size_t rank = 0;

			while (rank < nh && hits[rank] != i)
				rank++;
			printf("  query miss %s (rank %zu of %zu): %s\n", k.recs[i].id, rank + 1, nh,
			       k.recs[i].signature.en);
		}
		/* A record with the same signature as another cannot be told
		 * apart by it: ranking first among equals counts as a tie. */
		for (size_t j = 0; j < nh && j < 3; j++) {
			if (hits[j] != i)
				continue;
			top3++;
			if (search_score(&ix, &k, hits[0], &q) == search_score(&ix, &k, i, &q))
				tie1++;
		}
		free(hits);
		query_free(&q);
	}
	tq = now_ms() - t0;
	printf("query by own signature: top-1 %.1f%% (%.1f%% counting ties with identical scores), top-3 %.1f%%; %.2f ms a query\n",
	       100.0 * top1 / k.nrecs, 100.0 * tie1 / k.nrecs, 100.0 * top3 / k.nrecs, tq / k.nrecs);
	distinctive_words(&k, &ix, all, n);

	t0 = now_ms();
	m = matcher_new(&k);
	printf("matcher: built in %.0f ms; %zu regexes without a literal run on every line\n",
	       now_ms() - t0, matcher_always(m));
	t0 = now_ms();
	for (size_t i = 0; i < k.nrecs; i++) {
		const match_hit *r;
		size_t nr;

		matcher_reset(m);
		log_line(line, sizeof line, k.recs[i].signature.en, i);
		matcher_line(m, line, 1);
		nr = matcher_results(m, &r);
		if (nr && r[0].rec == i)
			ltop1++;
		else if (getenv("BENCH_VERBOSE") && nr) {
			double own = 0;

			for (size_t j = 0; j < nr; j++)
				if (r[j].rec == i)
					own = r[j].score;
			printf("  miss %s: first %s %.3f%s; own %.3f\n    %s\n", k.recs[i].id,
			       k.recs[r[0].rec].id, r[0].score, r[0].regex ? " regex" : "", own, line);
		}
		for (size_t j = 0; j < nr && j < 3; j++) {
			if (r[j].rec != i)
				continue;
			ltop3++;
			if (r[j].score == r[0].score ||
			    !strcmp(k.recs[r[0].rec].signature.en, k.recs[i].signature.en))
				ltie1++;
		}
	}
	tm = now_ms() - t0;
	printf("signature in a log line, through match: top-1 %.1f%% (%.1f%% counting identical signatures), top-3 %.1f%%; %.3f ms a line\n",
	       100.0 * ltop1 / k.nrecs, 100.0 * ltie1 / k.nrecs, 100.0 * ltop3 / k.nrecs, tm / k.nrecs);

	/* A log of 100,000 lines: mostly routine, one in a hundred an error. */
	matcher_reset(m);
	t0 = now_ms();
	for (size_t i = 0; i < 100000; i++) {
		if (i % 100 == 0)
			log_line(line, sizeof line, k.recs[(i / 100) % k.nrecs].signature.en, i);
		else
			snprintf(line, sizeof line, "2026-11-25T03:14:%02zuZ host-%zu app[%zu]: GET /api/v1/items/%zu 200 %zu ms user=u%zu",
				 i % 60, i % 97, 1000 + i % 50, i, i % 300, i % 1000);
		matcher_line(m, line, i + 1);
	}
	printf("100,000-line log screened in %.0f ms\n", now_ms() - t0);

	/* A keystroke in the browser's search: the query grows by a letter. */
	{
		const char *typed[] = { "n", "no", "no ", "no s", "no sp", "no spa", "no spac", "no space" };
		double worst = 0;

		for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
			char err[64];
			size_t pos;
			query q;

			t0 = now_ms();
			query_parse(typed[i], &q, err, sizeof err, &pos);
			free(hits = NULL);
			search_run(&ix, &k, &q, all, n, &hits);
			free(hits);
			query_free(&q);
			if (now_ms() - t0 > worst)
				worst = now_ms() - t0;
		}
		printf("search keystroke over %zu records: worst %.1f ms\n", k.nrecs, worst);
	}
	matcher_free(m);
	search_index_free(&ix);
	free(all);
	kb_free(&k);
	return 0;
}
