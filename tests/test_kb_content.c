/* The shipped KB's content: every record's regex matches its own signature
 * and the realistic log lines written for it in the .tsv files of tests/kb-loglines
 * (a Chinese line, as a program prints it under zh_CN: its regex or
 * regex_zh, and match finds the record first by it); Chinese and link
 * coverage; the counts the KB promises (data/README). */
#include <config.h>
#include "testutil.h"
#include "kbregex.h"
#include "load.h"
#include "matcher.h"
#include "textscan.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MIN_ZH_FOUND: records that match finds first from a Chinese line. */
/* The second edition's promises (issue 15): 450 records, 25 in every
 * domain, 10 for each language of the runtime domain (by tag), every
 * record linked and citing two sources or more. */
enum { MIN_RECORDS = 450, MIN_DOMAINS = 16, MIN_PER_DOMAIN = 25, MIN_PER_LANGUAGE = 10, MIN_SOURCES = 2,
       MIN_LINKED_PERCENT = 100, MIN_ZH_FOUND = 80 };

static kb shipped;
static size_t *loglines;     /* per record: how many log lines matched */
static size_t *zhlines;      /* per record: Chinese lines match found it first by */
static size_t *enfirst;      /* per record: English lines match found it first by */
static matcher *match;

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s ? s : ".";
}

static int setup(void **state)
{
	char path[1024];

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", srcdir());
	tu_load(&shipped, path);
	loglines = calloc(shipped.nrecs + 1, sizeof *loglines);
	zhlines = calloc(shipped.nrecs + 1, sizeof *zhlines);
	enfirst = calloc(shipped.nrecs + 1, sizeof *enfirst);
	match = matcher_new(&shipped);
	return loglines && zhlines && enfirst ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(loglines);
	free(zhlines);
	free(enfirst);
	matcher_free(match);
	kb_free(&shipped);
	return 0;
}

static void loads_clean(void **state)
{
	(void)state;
	for (size_t i = 0; i < shipped.diags.len; i++)
		diag_print(&shipped.diags.items[i], stderr);
	assert_int_equal(shipped.diags.len, 0);
	assert_int_equal(shipped.skipped, 0);
}

/* Whether pattern (NULL: none) matches line. */
static bool pattern_matches(const char *pattern, const char *line)
{
	char err[128];
	bool yes;
	kbre re;

	if (!pattern || !kbre_compile(&re, pattern, err, sizeof err))
		return false;     /* a bad one is reported by check (kb_validate_regexes) */
	yes = kbre_search(&re, line, NULL, NULL) == KBRE_MATCH;
	kbre_free(&re);
	return yes;
}

static void regex_matches_signature(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < shipped.nrecs; i++) {
		const kb_record *r = &shipped.recs[i];
		char err[128];
		kbre re;

		if (!r->regex || !kbre_compile(&re, r->regex, err, sizeof err)) {
			fprintf(stderr, "%s: no usable regex\n", r->id);
			bad++;
			continue;
		}
		if (kbre_search(&re, r->signature.en, NULL, NULL) != KBRE_MATCH) {
			fprintf(stderr, "%s: regex misses its signature\n", r->id);
			bad++;
		}
		kbre_free(&re);
		if (r->regex_zh && !pattern_matches(r->regex_zh, r->signature.zh ? r->signature.zh : "")) {
			fprintf(stderr, "%s: regex_zh misses its Chinese signature\n", r->id);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* The record match ranks first for line alone, or KB_NONE. */
static uint32_t match_first(const char *line)
{
	const match_hit *hits;

	matcher_reset(match);
	matcher_line(match, line, 1);
	return matcher_results(match, &hits) ? hits[0].rec : KB_NONE;
}

static void log_file(const char *path, size_t *lines, size_t *bad, size_t *misfirst)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	unsigned lineno = 0;

	assert_non_null(f);
	while (fgets(buf, sizeof buf, f)) {
		char *tab = strchr(buf, '\t');
		const kb_record *r;
		size_t ix;

		lineno++;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (!*buf || *buf == '#')
			continue;
		if (!tab) {
			fprintf(stderr, "%s:%u: no tab\n", path, lineno);
			(*bad)++;
			continue;
		}
		*tab = '\0';
		ix = kb_index_of(&shipped, buf);
		if (ix == (size_t)-1) {
			fprintf(stderr, "%s:%u: no record '%s'\n", path, lineno, buf);
			(*bad)++;
			continue;
		}
		(*lines)++;
		r = &shipped.recs[ix];
		if (pattern_matches(r->regex, tab + 1) || pattern_matches(r->regex_zh, tab + 1)) {
			loglines[ix]++;
		} else {
			fprintf(stderr, "%s:%u: %s: regex misses the log line\n", path, lineno, buf);
			(*bad)++;
		}
		if (!text_has_han(tab + 1)) {
			/* An English line: match must put its record first too. */
			if (match_first(tab + 1) == ix) {
				enfirst[ix]++;
			} else {
				uint32_t got = match_first(tab + 1);

				fprintf(stderr, "%s:%u: %s: match puts %s first by this line\n", path, lineno, buf,
					got == KB_NONE ? "no record" : shipped.recs[got].id);
				(*misfirst)++;
			}
			continue;
		}
		if (match_first(tab + 1) == ix) {
			zhlines[ix]++;
		} else {
			fprintf(stderr, "%s:%u: %s: match does not find it first by this Chinese line\n",
				path, lineno, buf);
			(*bad)++;
		}
	}
	fclose(f);
}

static void regex_matches_log_lines(void **state)
{
	char dir[1024];
	struct dirent **names;
	size_t lines = 0, bad = 0, without = 0, zh_found = 0, misfirst = 0;
	int n;

	(void)state;
	snprintf(dir, sizeof dir, "%s/tests/kb-loglines", srcdir());
	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && !strcmp(names[i]->d_name + len - 4, ".tsv")) {
			char path[1400];

			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			log_file(path, &lines, &bad, &misfirst);
		}
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < shipped.nrecs; i++) {
		if (!loglines[i]) {
			fprintf(stderr, "%s: no log line matches\n", shipped.recs[i].id);
			without++;
		}
		zh_found += zhlines[i] > 0;
	}
	printf("log lines: %zu, all matched: %s; records without one: %zu; "
	       "found first from a Chinese line: %zu; English lines whose record match does not put "
	       "first: %zu\n", lines, bad ? "no" : "yes", without, zh_found, misfirst);
	assert_int_equal(bad, 0);
	assert_int_equal(without, 0);
	assert_int_equal(misfirst, 0);
	assert_true(zh_found >= MIN_ZH_FOUND);
}

/* Every domain has MIN_PER_DOMAIN records, each runtime language
 * MIN_PER_LANGUAGE, and every record MIN_SOURCES sources. */
static void edition(void **state)
{
	static const char *const langs[] = { "python", "nodejs", "java", "go", "rust" };
	size_t per_lang[5] = { 0 }, thin = 0;

	(void)state;
	for (size_t d = 0; d < shipped.ndomains; d++) {
		printf("%s %u\n", shipped.domains[d].name, shipped.domains[d].count);
		if (shipped.domains[d].count < MIN_PER_DOMAIN)
			fail_msg("domain %s: %u records", shipped.domains[d].name, shipped.domains[d].count);
	}
	for (size_t i = 0; i < shipped.nrecs; i++) {
		const kb_record *r = &shipped.recs[i];

		if (kb_source_count(r) < MIN_SOURCES) {
			fprintf(stderr, "%s: %zu sources\n", r->id, kb_source_count(r));
			thin++;
		}
		if (strcmp(r->domain, "runtime"))
			continue;
		for (size_t t = 0; t < r->ntags; t++)
			for (int l = 0; l < 5; l++)
				per_lang[l] += !strcmp(r->tags[t], langs[l]);
	}
	for (int l = 0; l < 5; l++) {
		printf("runtime %s %zu\n", langs[l], per_lang[l]);
		assert_true(per_lang[l] >= MIN_PER_LANGUAGE);
	}
	assert_int_equal(thin, 0);
}

static void coverage(void **state)
{
	size_t linked = 0, zh_full = 0, dangling = 0;

	(void)state;
	for (size_t i = 0; i < shipped.nrecs; i++) {
		const kb_record *r = &shipped.recs[i];
		bool any = r->nbacklinks > 0, zh = r->signature.zh_state == KB_ZH_OK &&
			r->root_cause.zh_state == KB_ZH_OK && r->nworkarounds > 0;

		for (int k = 0; k < KB_LINK_KINDS; k++) {
			any = any || r->nlinks[k];
			for (size_t j = 0; j < r->nlinks[k]; j++)
				dangling += r->links[k][j].target == KB_NONE;
		}
		for (size_t j = 0; j < r->nworkarounds; j++)
			zh = zh && r->workarounds[j].action.zh_state == KB_ZH_OK;
		linked += any;
		zh_full += zh;
		if (!zh)
			fprintf(stderr, "%s: Chinese incomplete\n", r->id);
	}
	printf("records: %zu, domains: %zu, categories: %zu, linked: %zu (%zu%%), "
	       "Chinese signature+root cause+workarounds: %zu (%zu%%)\n",
	       shipped.nrecs, shipped.ndomains, shipped.ncategories, linked,
	       shipped.nrecs ? linked * 100 / shipped.nrecs : 0, zh_full,
	       shipped.nrecs ? zh_full * 100 / shipped.nrecs : 0);
	assert_true(shipped.nrecs >= MIN_RECORDS);
	assert_true(shipped.ndomains >= MIN_DOMAINS);
	assert_true(linked * 100 >= MIN_LINKED_PERCENT * shipped.nrecs);
	assert_int_equal(zh_full, shipped.nrecs);
	assert_int_equal(dangling, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_clean),
		cmocka_unit_test(regex_matches_signature),
		cmocka_unit_test(regex_matches_log_lines),
		cmocka_unit_test(coverage),
		cmocka_unit_test(edition),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
