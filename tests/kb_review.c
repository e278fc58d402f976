/* kb_review: the numbers of a KB edition, per domain (make kb-review).
 *
 * For each domain: its records; those linked to another record (either
 * way); those citing two sources or more (distinct http(s) links, the
 * record's and its items'); those with a regex_zh; and what check
 * --strict would say of them: records without sources, aliases their own
 * regex misses, regex overlaps without a link, Chinese signatures that
 * repeat the English.  Then the totals, and the runtime records by
 * language (their tags).  The next edition starts from these.
 *
 * kb_review [KB]   (default: the shipped KB, data/kb under the source
 * tree).  Exit status 1 when the KB cannot be read. */
#include <config.h>
#include "diag.h"
#include "load.h"
#include "validate.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NCOL = 8 };
static const char *const cols[NCOL] = { "records", "linked", "2+ src", "regex_zh",
					"no src", "alias", "overlap", "zh=en" };

typedef struct row {
	const char *domain;
	size_t v[NCOL];
} row;

static row *row_of(row **rows, size_t *n, const char *domain)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].domain, domain))
			return &(*rows)[i];
	*rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
	(*rows)[*n] = (row){ .domain = domain };
	return &(*rows)[(*n)++];
}

static int by_domain(const void *x, const void *y)
{
	return strcmp(((const row *)x)->domain, ((const row *)y)->domain);
}

static void print_row(const char *name, const size_t *v)
{
	printf("%-16s", name);
	for (int c = 0; c < NCOL; c++)
		printf(" %8zu", v[c]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static const char *const langs[] = { "python", "nodejs", "java", "go", "rust", NULL };
	char path[1024];
	const char *paths[1];
	row *rows = NULL, total = { .domain = "total" };
	size_t nrows = 0, lang_n[5] = { 0 };
	kb k;

	snprintf(path, sizeof path, "%s/data/kb", ABS_TOP_SRCDIR);
	paths[0] = argc > 1 ? argv[1] : path;
	kb_init(&k);
	kb_load_paths(&k, paths, 1);
	if (!k.nrecs) {
		fprintf(stderr, "kb_review: no records in %s\n", paths[0]);
		return 1;
	}
	kb_validate_regexes(&k);
	kb_validate_reference(&k);
	for (size_t i = 0; i < k.nrecs; i++) {
		const kb_record *r = &k.recs[i];
		row *w;
		bool linked = r->nbacklinks > 0;

		if (!r->id)
			continue;
		w = row_of(&rows, &nrows, r->domain);
		for (int kind = 0; kind < KB_LINK_KINDS; kind++)
			linked = linked || r->nlinks[kind];
		w->v[0]++;
		w->v[1] += linked;
		w->v[2] += kb_source_count(r) >= 2;
		w->v[3] += r->regex_zh && *r->regex_zh;
		if (!strcmp(r->domain, "runtime"))
			for (size_t t = 0; t < r->ntags; t++)
				for (int l = 0; langs[l]; l++)
					if (!strcmp(r->tags[t], langs[l]))
						lang_n[l]++;
	}
	for (size_t i = 0; i < k.diags.len; i++) {
		const diag *d = &k.diags.items[i];
		int c = d->kind == DK_NO_SOURCES ? 4 : d->kind == DK_ALIAS_MISS ? 5 : d->kind == DK_OVERLAP ? 6
			: d->kind == DK_ZH_REPEAT ? 7 : -1;
		const kb_record *r;

		if (c < 0 || !d->record_id || !(r = kb_find(&k, d->record_id)))
			continue;
		row_of(&rows, &nrows, r->domain)->v[c]++;
	}
	qsort(rows, nrows, sizeof *rows, by_domain);
	printf("%-16s", "domain");
	for (int c = 0; c < NCOL; c++)
		printf(" %8s", cols[c]);
	printf("\n");
	for (size_t i = 0; i < nrows; i++) {
		print_row(rows[i].domain, rows[i].v);
		for (int c = 0; c < NCOL; c++)
			total.v[c] += rows[i].v[c];
	}
	print_row("total", total.v);
	printf("\nruntime by language (tags):");
	for (int l = 0; langs[l]; l++)
		printf(" %s %zu", langs[l], lang_n[l]);
	printf("\nfindings of check --strict: %zu errors, %zu warnings\n", k.diags.errors, k.diags.warnings);
	free(rows);
	kb_free(&k);
	return 0;
}
