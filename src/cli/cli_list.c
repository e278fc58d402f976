/* errkb list: one record a line. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "kbcache.h"
#include "kbjson.h"
#include "matcher.h"
#include "query.h"
#include "search.h"
#include "textscan.h"
#include "xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fmt { FMT_TEXT, FMT_TSV, FMT_JSON };

/* q with its typos corrected (search_correct), into *fixed, said on
 * stderr: false when no word was corrected. */
static bool corrected(const query *q, const search_vocab *v, query *fixed)
{
	char text[512];

	if (!search_correct(q, v, fixed, text, sizeof text))
		return false;
	fprintf(stderr, _("%s: nothing found; showing results for: %s\n"), PACKAGE, text);
	return true;
}

/* What errkb match finds in line: the records of s, best first, into
 * *recs (malloc'd); their count. */
static size_t matched(const kb_slim *s, const char *line, uint32_t **recs)
{
	matcher *m = matcher_new_slim(s);
	const match_hit *hits;
	size_t n;

	matcher_line(m, line, 1);
	n = matcher_results(m, &hits);
	*recs = xmalloc((n ? n : 1) * sizeof **recs);
	for (size_t i = 0; i < n; i++)
		(*recs)[i] = hits[i].rec;
	matcher_free(m);
	return n;
}

static void say_matched(size_t n)
{
	if (n)
		fprintf(stderr, _("%s: no record holds every word; what 'errkb match' finds in the line:\n"),
			PACKAGE);
}

/* What errkb match finds in line, as list rows of the records of k the
 * filters take, best first; their count.  Said on stderr. */
static size_t matched_rows(const kb *k, const kb_filter *f, enum kb_lang lang, const char *line,
			   kbcache_row **rows)
{
	kb_slim s;
	uint32_t *recs;
	size_t nh, n = 0;

	kb_slim_init(&s);
	kb_slim_of(&s, k);
	nh = matched(&s, line, &recs);
	*rows = xmalloc((nh ? nh : 1) * sizeof **rows);
	for (size_t i = 0; i < nh; i++) {
		const kb_record *r = &k->recs[recs[i]];

		if (!kb_filter_accepts(f, r))
			continue;
		(*rows)[n++] = (kbcache_row){ r->id, r->domain, r->category,
					      kb_text_get(&r->signature, lang, NULL), r->confidence };
	}
	free(recs);
	kb_slim_free(&s);
	say_matched(n);
	return n;
}

/* The same from the index: what match needs read from it (as errkb
 * match reads it), not every record.  (size_t)-1 if the index failed. */
static size_t matched_rows_of(kbcache *c, const kb_filter *f, enum kb_lang lang, const char *line, arena *a,
			      kbcache_row **rows)
{
	kb_slim s;
	uint32_t *recs = NULL;
	int64_t *keys;
	size_t nh, n = (size_t)-1;

	*rows = NULL;
	kb_slim_init(&s);
	if (kbcache_match_recs(c, &s, true, NULL) == 0) {
		nh = matched(&s, line, &recs);
		keys = xmalloc((nh ? nh : 1) * sizeof *keys);
		for (size_t i = 0; i < nh; i++)
			keys[i] = s.rid[recs[i]];
		n = kbcache_rows_of(c, f, lang, keys, nh, a, rows);
		free(keys);
		free(recs);
	}
	kb_slim_free(&s);
	if (n != (size_t)-1)
		say_matched(n);
	return n;
}

static void usage(void)
{
	printf(_("Usage: %s list [OPTION]... [QUERY]...\n"
		 "List the records of the KB, one a line: id, domain, category,\n"
		 "confidence and signature, sorted by domain then signature; with a\n"
		 "QUERY, the records it matches, best first.  A domain, category or\n"
		 "tier the KB does not have is an error that names the closest.\n\n"
		 "QUERY: words and \"quoted phrases\" (anywhere, any case or width;\n"
		 "Chinese also by pinyin), domain:D cat:C code:X tag:T, conf>=0.8 fix<0.5,\n"
		 "and -term to exclude.\n\n"
		 "  -d, --domain=D           only domain D (repeatable: any of them)\n"
		 "  -c, --category=C         only category C (repeatable)\n"
		 "      --min-confidence=X   only records with confidence >= X (0..1)\n"
		 "      --resolvable=R       only records with resolvable R: true, partial,\n"
		 "                           false or unknown (repeatable)\n"
		 "      --tier=T             only records of verification tier T (repeatable)\n"
		 "  -l, --lang=en|zh         language of the signature\n"
		 "  -f, --format=text|tsv|json\n"
		 "  -k, --kb=PATH            read the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n"), PACKAGE);
}

/* s, of n bytes, padded with spaces to width bytes. */
static void put_field(const char *s, size_t n, size_t width)
{
	text_put_sanitized_n(stdout, s, n, TEXT_ONE_LINE);
	for (; n < width; n++)
		putchar(' ');
}

static int print_text(const kbcache_row *rows, size_t n, bool tsv)
{
	/* The lengths of each row's id, domain and category, had once: a
	 * long list is in rank order, its rows' strings far apart, and
	 * reading them is most of the time that printing takes. */
	size_t (*len)[3] = xmalloc((n + 1) * sizeof *len);
	size_t wid = 0, wdom = 0, wcat = 0;
	const char *sep = tsv ? "\t" : "  ";

	for (size_t i = 0; i < n; i++) {
		const kbcache_row *r = &rows[i];

		if (i + 8 < n) {
			__builtin_prefetch(rows[i + 8].id);
			__builtin_prefetch(rows[i + 8].domain);
			__builtin_prefetch(rows[i + 8].category);
		}
		len[i][0] = strlen(r->id);
		len[i][1] = strlen(r->domain);
		len[i][2] = strlen(r->category);
		if (!tsv) {
			wid = len[i][0] > wid ? (len[i][0] < 60 ? len[i][0] : 60) : wid;
			wdom = len[i][1] > wdom ? (len[i][1] < 24 ? len[i][1] : 24) : wdom;
			wcat = len[i][2] > wcat ? (len[i][2] < 28 ? len[i][2] : 28) : wcat;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const kbcache_row *r = &rows[i];

		if (i + 8 < n)
			__builtin_prefetch(rows[i + 8].signature);
		put_field(r->id, len[i][0], wid);
		fputs(sep, stdout);
		put_field(r->domain, len[i][1], wdom);
		fputs(sep, stdout);
		put_field(r->category, len[i][2], wcat);
		fputs(sep, stdout);
		if (isnan(r->confidence))
			fputs(tsv ? "" : "   -", stdout);
		else
			printf("%4.2f", r->confidence);
		fputs(sep, stdout);
		text_put_sanitized(stdout, r->signature, TEXT_ONE_LINE);
		putchar('\n');
	}
	free(len);
	return EXIT_OK;
}

static int print_json(const kbcache_row *rows, size_t n)
{
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		const kbcache_row *r = &rows[i];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			die("out of memory");
		cJSON_AddStringToObject(o, "id", r->id);
		cJSON_AddStringToObject(o, "domain", r->domain);
		cJSON_AddStringToObject(o, "category", r->category);
		if (isnan(r->confidence))
			cJSON_AddNullToObject(o, "confidence");
		else
			cJSON_AddNumberToObject(o, "confidence", r->confidence);
		cJSON_AddStringToObject(o, "signature", r->signature);
		cJSON_AddItemToArray(arr, o);
	}
	cli_print_json(arr);
	return EXIT_OK;
}

static const struct option longopts[] = {
	{ "domain", required_argument, NULL, 'd' },
	{ "category", required_argument, NULL, 'c' },
	{ "min-confidence", required_argument, NULL, 'm' },
	{ "resolvable", required_argument, NULL, 'r' },
	{ "tier", required_argument, NULL, 't' },
	{ "lang", required_argument, NULL, 'l' },
	{ "format", required_argument, NULL, 'f' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "d:c:l:f:k:h";
static const char *const formats[] = { "text", "tsv", "json", NULL };

static int cmd_list(int argc, char **argv)
{
	cli_opts o;
	query q = { 0 };
	kb_filter f = { 0 };
	enum fmt fmt = FMT_TEXT;
	uint32_t *ix;
	kbcache_row *rows = NULL;
	char *line = NULL;         /* the words, when they read as a pasted log line */
	bool line_rows = false;    /* rows are what match finds in it */
	kbcache *c = NULL;
	size_t n;
	int opt, rc = EXIT_OK;
	bool stop;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		char *end;

		switch (opt) {
		case 'd':
			f.domains = xrealloc(f.domains, (f.ndomains + 1) * sizeof *f.domains);
			f.domains[f.ndomains++] = optarg;
			break;
		case 'c':
			f.categories = xrealloc(f.categories, (f.ncategories + 1) * sizeof *f.categories);
			f.categories[f.ncategories++] = optarg;
			break;
		case 'm':
			f.min_confidence = strtod(optarg, &end);
			if (*end || end == optarg || !(f.min_confidence >= 0 && f.min_confidence <= 1)) {
				cli_usage_error("list", _("--min-confidence takes a number from 0 to 1, not '%s'"), optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'r': {
			static const char *const names[] = { "unknown", "true", "partial", "false" };
			int i = 0;

			while (i < 4 && strcmp(optarg, names[i]))
				i++;
			if (i == 4) {
				cli_usage_error("list", _("--resolvable takes true, partial, false or unknown, not '%s'"), optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			f.resolvable |= 1u << i;
			break;
		}
		case 't':
			f.tiers = xrealloc(f.tiers, (f.ntiers + 1) * sizeof *f.tiers);
			f.tiers[f.ntiers++] = optarg;
			break;
		case 'f': {
			int v = cli_parse_format("list", optarg, formats);

			if (v < 0) {
				rc = EXIT_USAGE;
				goto out;
			}
			fmt = (enum fmt)v;
			break;
		}
		default:
			cli_common_option(&o, "list", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	if (!cli_parse_query(argc - optind, argv + optind, &q)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* The words as one text, if they read as a pasted log line. */
	if (optind < argc) {
		line = cli_join_args(argc - optind, argv + optind);
		if (!search_log_like(line)) {
			free(line);
			line = NULL;
		}
	}
	/* Straight from the index: facets from its columns, words from the
	 * search text it keeps; no record decoded. */
	if ((c = cli_open_kb_lazy(&o, &k))) {
		int known;

		if (k.diags.errors && kbcache_count(c) == 0) {
			rc = EXIT_FINDINGS;     /* nothing could be loaded at all */
			n = 0;
		} else if ((known = cli_check_filter("list", &f, c, &k)) == 0) {
			rc = EXIT_USAGE;
			n = 0;
		} else if (known > 0) {
			n = query_empty(&q) ? kbcache_list(c, &f, o.lang, &k.mem, &rows)
					    : kbcache_search(c, &f, o.lang, &q, &k.mem, &rows);
			if (n == 0 && line) {
				/* A pasted error line that no record holds
				 * every word of: what errkb match finds in
				 * it (before typos: a message's words are
				 * not misspelt). */
				free(rows);
				n = matched_rows_of(c, &f, o.lang, line, &k.mem, &rows);
			}
			if (n == 0 && search_may_correct(&q)) {
				/* Nothing: a typo?  The words of the KB, from the index. */
				search_vocab v;
				query fixed;

				int64_t from = INT64_MIN;

				search_vocab_init(&v);
				if (kbcache_vocab(c, &v, &from, NULL) == 0 && corrected(&q, &v, &fixed)) {
					free(rows);
					n = kbcache_search(c, &f, o.lang, &fixed, &k.mem, &rows);
					query_free(&fixed);
				}
				search_vocab_free(&v);
			}
		} else {
			n = (size_t)-1;
		}
		kbcache_close(c, true, NULL);
		if (n == (size_t)-1) {
			/* The index failed: from the sources, findings told already. */
			kb_free(&k);
			kb_init(&k);
			cli_load_sources(&o, &k);
			c = NULL;
		}
	}
	if (!c) {
		if (k.nrecs == 0 && k.diags.errors) {
			kb_free(&k);
			query_free(&q);
			rc = EXIT_FINDINGS;
			goto out;
		}
		if (!cli_check_filter("list", &f, NULL, &k)) {
			kb_free(&k);
			query_free(&q);
			rc = EXIT_USAGE;
			goto out;
		}
		n = kb_select(&k, &f, o.lang, &ix);
		if (!query_empty(&q)) {
			search_index si;
			uint32_t *hits;
			size_t m;

			search_index_build(&si, &k);
			m = search_run(&si, &k, &q, ix, n, &hits);
			if (m == 0 && line) {
				/* A pasted line: as from the index. */
				free(rows);
				m = matched_rows(&k, &f, o.lang, line, &rows);
				line_rows = m > 0;
			}
			if (m == 0 && search_may_correct(&q)) {
				/* Nothing: a typo? */
				search_vocab v;
				query fixed;

				search_vocab_init(&v);
				for (size_t i = 0; i < si.n; i++)
					if (search_index_has(&si, i))
						search_vocab_add(&v, &si.docs[i]);
				if (corrected(&q, &v, &fixed)) {
					free(hits);
					m = search_run(&si, &k, &fixed, ix, n, &hits);
					query_free(&fixed);
				}
				search_vocab_free(&v);
			}
			n = m;
			free(ix);
			ix = hits;
			search_index_free(&si);
		}
		if (!line_rows) {
			free(rows);
			rows = xmalloc((n ? n : 1) * sizeof *rows);
			for (size_t i = 0; i < n; i++) {
				const kb_record *r = &k.recs[ix[i]];

				rows[i] = (kbcache_row){ r->id, r->domain, r->category,
							 kb_text_get(&r->signature, o.lang, NULL), r->confidence };
			}
		}
		free(ix);
	}
	query_free(&q);
	if (rc == EXIT_OK)
		rc = fmt == FMT_JSON ? print_json(rows, n) : print_text(rows, n, fmt == FMT_TSV);
	free(rows);
	kb_free(&k);
out:
	free(line);
	free(f.domains);
	free(f.categories);
	free(f.tiers);
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_list = { "list", cmd_list, longopts, optstring, formats };
