/* The record loader on arbitrary files, in both record formats (flat and
 * deadends.dev canon: the content decides) and both file kinds: the first
 * input byte picks a .json, .jsonl or .ndjson file, or a .json file in a
 * directory, and the width and language of the detail pane; the rest is the
 * file.  The input's length picks how much of a .jsonl file is read at a
 * time (1 byte to the default), and for one input in five a record limit
 * of 100 bytes, so that lines, findings and skipped records fall across
 * the parts.  What loads is then validated (regexes), laid out as the detail
 * pane does (detail_doc) and put in a transition graph, the consumers of
 * untrusted record text.  Checked besides sanitizer findings: every record
 * holds its required fields as valid UTF-8, ids are unique, links resolve
 * to the record they name, and no detail row is wider than the pane. */
#include <config.h>
#include "fuzz.h"
#include "detail_doc.h"
#include "graph_layout.h"
#include "load.h"
#include "load_internal.h"
#include "textcell.h"
#include "textscan.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Records laid out per input, at most: a big array is the loader's test. */
enum { LAYOUT_MAX = 16 };

static char tree[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	snprintf(tree, sizeof tree, "%s/tree", fz_dir());
	if (mkdir(tree, 0700) != 0) {
		perror(tree);
		abort();
	}
	return 0;
}

static void check_utf8(const char *s, const char *what, const char *id)
{
	if (s)
		FZ_CHECK(text_invalid_utf8(s, strlen(s)) == (size_t)-1, "record %s: %s is not UTF-8", id, what);
}

static void check_record(const kb *k, size_t i)
{
	const kb_record *r = &k->recs[i];

	FZ_CHECK(r->id && *r->id && r->signature.en && r->domain && r->category,
		 "record %zu lacks a required field", i);
	FZ_CHECK(kb_index_of(k, r->id) == i, "record %zu: its id finds another record", i);
	check_utf8(r->id, "id", r->id);
	check_utf8(r->signature.en, "signature", r->id);
	check_utf8(r->signature.zh, "signature_zh", r->id);
	check_utf8(r->domain, "domain", r->id);
	check_utf8(r->category, "category", r->id);
	check_utf8(r->regex, "regex", r->id);
	check_utf8(r->root_cause.en, "root_cause", r->id);
	FZ_CHECK(r->domain_ix < k->ndomains && !strcmp(k->domains[r->domain_ix].name, r->domain),
		 "record %s: wrong domain facet", r->id);
	FZ_CHECK(r->category_ix < k->ncategories &&
		 !strcmp(k->categories[r->category_ix].name, r->category),
		 "record %s: wrong category facet", r->id);
	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		for (size_t j = 0; j < r->nlinks[kind]; j++) {
			const kb_link *l = &r->links[kind][j];

			FZ_CHECK(l->target_id, "record %s: a link without a target", r->id);
			FZ_CHECK(l->target == KB_NONE ? kb_find(k, l->target_id) == NULL
			       : l->target < k->nrecs && !strcmp(k->recs[l->target].id, l->target_id),
				 "record %s: link %zu resolves wrongly", r->id, j);
		}
	for (size_t j = 0; j < r->nbacklinks; j++)
		FZ_CHECK(r->backlinks[j].from < k->nrecs && r->backlinks[j].kind < KB_LINK_KINDS,
			 "record %s: backlink %zu out of range", r->id, j);
}

static void check_doc(const kb *k, const kb_record *r, enum kb_lang lang, int width)
{
	doc d = { 0 };

	doc_build(&d, k, r, lang, width);
	/* A few rows, then the rest: as the pane lays a record out. */
	FZ_CHECK(doc_need(&d, 3) == 3 || doc_complete(&d), "record %s: 3 rows asked, %zu given", r->id, d.n);
	doc_need(&d, (size_t)-1);
	FZ_CHECK(d.n > 0 && doc_complete(&d), "record %s: an empty detail pane", r->id);
	for (size_t i = 0; i < d.n; i++) {
		const char *t = d.rows[i].text;
		const char *s = t + strspn(t, " ");
		int w = tc_width(t);

		FZ_CHECK(text_invalid_utf8(t, strlen(t)) == (size_t)-1 && !text_has_control(t) &&
			 !strchr(t, '\n'), "record %s: detail row %zu is not clean", r->id, i);
		FZ_CHECK(d.rows[i].prefix <= strlen(t), "record %s: row %zu prefix %u past its text",
			 r->id, i, (unsigned)d.rows[i].prefix);
		/* Only one cluster wider than the whole pane may overflow it. */
		FZ_CHECK(w <= (width < 1 ? 1 : width) || fz_wide_clusters(s, strlen(s)) <= 1, "record %s: detail row %zu is %d "
			 "columns wide in %d", r->id, i, w, width);
	}
	doc_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "kb.json", "kb.jsonl", "kb.ndjson", "tree/rec.json" };
	static const int widths[] = { 0, 1, 2, 3, 12, 14, 20, 40, 80, 200 };
	static const size_t parts[] = { 0, 1, 2, 7, 64, 509, 4096 };
	const char *path;
	enum kb_lang lang;
	int width;
	kb k;

	if (size < 1)
		return 0;
	lang = data[0] & 4 ? KB_ZH : KB_EN;
	width = widths[(data[0] >> 3) % (sizeof widths / sizeof *widths)];
	path = fz_write(names[data[0] & 3], data + 1, size - 1);
	if ((data[0] & 3) == 3)
		path = tree;

	load_set_stream_part(parts[size % (sizeof parts / sizeof *parts)]);
	load_set_record_max(size % 5 == 0 ? 100 : 0);
	kb_init(&k);
	kb_load_paths(&k, &path, 1);
	kb_validate_regexes(&k);
	for (size_t i = 0; i < k.diags.len; i++)
		FZ_CHECK(k.diags.items[i].message && *k.diags.items[i].message, "finding %zu without "
			 "a message", i);
	for (size_t i = 0; i < k.nrecs; i++)
		check_record(&k, i);
	for (size_t i = 0; i < k.nrecs && i < LAYOUT_MAX; i++) {
		graph g = { 0 };

		check_doc(&k, &k.recs[i], lang, width);
		graph_build(&g, &k, (uint32_t)i);
		FZ_CHECK(g.first[GC_COUNT] == g.n, "graph of %zu nodes ends at %zu", g.n, g.first[GC_COUNT]);
		for (size_t j = 0; j < g.n; j++)
			FZ_CHECK(g.nodes[j].rec == KB_NONE || g.nodes[j].rec < k.nrecs, "graph node %zu "
				 "out of range", j);
		graph_free(&g);
	}
	kb_free(&k);
	return 0;
}
