/* errkb match: error text or whole logs in, the records they show out. */
#include <config.h>
#include "browse.h"
#include "cli.h"
#include "detail_doc.h"
#include "i18n.h"
#include "kbcache.h"
#include "matcher.h"
#include "textcell.h"
#include "textscan.h"
#include "xalloc.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void usage(void)
{
	printf(_("Usage: %s match [OPTION]... [FILE|-]\n"
		 "Find the records for error text or a whole log (FILE, or standard\n"
		 "input): each line is tested against every record's regex (ICU, case-\n"
		 "insensitive, with time and stack limits) and against its signature's\n"
		 "words; a line with Chinese text, against the Chinese regex (regex_zh)\n"
		 "and signature too.  Prints the records found, best first, each with\n"
		 "how it matched (regex, verbatim signature, or words: the share of its\n"
		 "signature's words the line holds) and the line, cut around the match\n"
		 "to the terminal's width (200 columns into a pipe).  A hit on a line\n"
		 "with no sign of trouble (no error word, no non-zero exit status) ranks\n"
		 "lower, and a regex alone on such a line is not reported.  Exit status\n"
		 "1 when nothing matches.\n\n"
		 "  -n, --max=N              at most N records (default 10; 0: all)\n"
		 "  -o, --order=score|log    best first (default), or by the log's lines:\n"
		 "                           each line once, with the records it matched\n"
		 "  -b, --browse             open the browser on the records found (keys\n"
		 "                           from the terminal, so a pipe can feed the log)\n"
		 "  -l, --lang=en|zh         language of the signatures shown\n"
		 "  -f, --format=text|json\n"
		 "  -k, --kb=PATH            read the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n\n"
		 "Example: journalctl -b | %s match --browse\n"), PACKAGE, PACKAGE);
}

/* Output is cut to the terminal's width, or to this into a pipe. */
enum { PIPE_COLS = 200, MIN_COLS = 20 };

static int out_cols(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= MIN_COLS)
		return ws.ws_col;
	return PIPE_COLS;
}

/* Untrusted text cleaned to one line and cut to cols (malloc'd). */
static char *clean_cut(const char *s, int cols)
{
	char *clean = tc_clean(s), *cut;

	for (char *p = clean; *p; p++)
		if (*p == '\n')
			*p = ' ';
	cut = tc_cut(clean, cols);
	free(clean);
	return cut;
}

/* Print indent, then text cut to what is left of cols. */
static void put_cut(int indent, const char *text, int cols)
{
	char *cut = clean_cut(text, cols - indent);

	printf("%*s%s\n", indent, "", cut);
	free(cut);
}

/* The line, "line N: " before it, cut to cols around the span the regex
 * matched, and a caret line under that span. */
static void print_line(const match_hit *h, int indent, int cols)
{
	char label[64];
	int lw, lead, width;
	char *win;

	/* Columns, not bytes: "line" may be translated to CJK. */
	snprintf(label, sizeof label, "%s %zu: ", _("line"), h->line_no);
	lw = indent + tc_width(label);
	win = h->regex ? tc_window(h->line, h->start, h->end, cols - lw, &lead, &width) :
			 tc_window(h->line, 0, 0, cols - lw, &lead, &width);
	printf("%*s%s%s\n", indent, "", label, win);
	free(win);
	if (!h->regex || width <= 0)
		return;
	printf("%*s", lw + lead, "");
	for (int i = 0; i < width; i++)
		putchar('^');
	putchar('\n');
}

/* How h matched, in words: the kind, on which line (unless the line is
 * said apart), the share of the signature's words the line holds. */
static void how_text(char *buf, size_t len, const kb_slim *k, const match_hit *h, bool with_line)
{
	size_t n = 0;

#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (h->verbatim)
		ADD("%s", h->regex ? _("verbatim signature and regex") : _("verbatim signature"));
	else if (h->regex)
		ADD("%s", _("regex"));
	else
		ADD(_("words %zu/%zu"), h->words_found, h->words_total);
	if (with_line)
		ADD(" %s %zu", _("on line"), h->line_no);
	if (h->nlines > 1) {
		ADD(", ");
		ADD(ngettext("%zu line in all", "%zu lines in all", h->nlines), h->nlines);
	}
	if (h->regex || h->verbatim) {
		ADD(", ");
		ADD(_("words %zu/%zu"), h->words_found, h->words_total);
	}
	if (!h->trouble)
		ADD(", %s", _("no sign of trouble"));
	if (!isnan(k->confidence[h->rec]))
		ADD(", %s %.2f", _("confidence"), k->confidence[h->rec]);
#undef ADD
}

/* The head of a result: id and how it matched, then the signature. */
static void print_head(const kb_slim *k, const match_hit *h, enum kb_lang lang, int indent,
		       const char *rank, bool with_line, int cols)
{
	kb_text sig = kb_slim_sig(k, h->rec);
	char how[512], *id = clean_cut(k->id[h->rec], cols), *head;
	size_t len;

	how_text(how, sizeof how, k, h, with_line);
	len = strlen(rank) + strlen(id) + strlen(how) + 8;
	head = xmalloc(len);
	snprintf(head, len, "%s%s  (%s)", rank, id, how);
	put_cut(indent, head, cols);
	put_cut(indent + 3, kb_text_get(&sig, lang, NULL), cols);
	free(head);
	free(id);
}

/* Best first: each record, how it matched, its signature and line. */
static void print_text(const kb_slim *k, const match_hit *hits, size_t n, enum kb_lang lang)
{
	int cols = out_cols();

	for (size_t i = 0; i < n; i++) {
		char rank[32];

		snprintf(rank, sizeof rank, "%zu. ", i + 1);
		print_head(k, &hits[i], lang, 0, rank, true, cols);
		print_line(&hits[i], 3, cols);
	}
}

/* In the log's order: each line once, with the records it matched
 * best (order[], by line), the best first. */
static void print_text_by_line(const kb_slim *k, const match_hit *hits, const size_t *order, size_t n,
			       enum kb_lang lang)
{
	int cols = out_cols();

	for (size_t i = 0; i < n;) {
		size_t j = i;

		print_line(&hits[order[i]], 0, cols);
		for (; j < n && hits[order[j]].line_no == hits[order[i]].line_no; j++) {
			char rank[32];

			snprintf(rank, sizeof rank, "%zu. ", order[j] + 1);
			print_head(k, &hits[order[j]], lang, 3, rank, false, cols);
		}
		i = j;
	}
}

static const char *kind_name(const match_hit *h)
{
	return h->verbatim ? "verbatim" : h->regex ? "regex" : "words";
}

static void print_json(const kb_slim *k, const match_hit *hits, const size_t *order, size_t n,
		       enum kb_lang lang)
{
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		die("out of memory");
	for (size_t o = 0; o < n; o++) {
		size_t i = order[o];
		const match_hit *h = &hits[i];
		uint32_t r = h->rec;
		kb_text sig = kb_slim_sig(k, r);
		cJSON *x = cJSON_CreateObject();

		if (!x)
			die("out of memory");
		cJSON_AddNumberToObject(x, "rank", (double)i + 1);
		cJSON_AddStringToObject(x, "id", k->id[r]);
		cJSON_AddNumberToObject(x, "score", h->score);
		cJSON_AddStringToObject(x, "kind", kind_name(h));
		cJSON_AddBoolToObject(x, "regex", h->regex);
		cJSON_AddNumberToObject(x, "words_found", (double)h->words_found);
		cJSON_AddNumberToObject(x, "words_total", (double)h->words_total);
		cJSON_AddBoolToObject(x, "trouble", h->trouble);
		cJSON_AddNumberToObject(x, "lines", (double)h->nlines);
		cJSON_AddStringToObject(x, "signature", kb_text_get(&sig, lang, NULL));
		if (!isnan(k->confidence[r]))
			cJSON_AddNumberToObject(x, "confidence", k->confidence[r]);
		cJSON_AddNumberToObject(x, "line_no", (double)h->line_no);
		/* Lines from a log may hold anything: JSON escapes them. */
		cJSON_AddStringToObject(x, "line", h->line);
		if (h->regex) {
			cJSON_AddNumberToObject(x, "start", (double)h->start);
			cJSON_AddNumberToObject(x, "end", (double)h->end);
		}
		cJSON_AddItemToArray(arr, x);
	}
	cli_print_json(arr);
}

/* Why match --browse shows h's record: the browser's detail pane says
 * it above the record (h's line is borrowed). */
static void evidence_of(doc_evidence *ev, const match_hit *h)
{
	size_t keep = h->nlines < DOC_EVIDENCE_LINES ? h->nlines : DOC_EVIDENCE_LINES;

	_Static_assert((int)MATCH_LINES_KEPT >= (int)DOC_EVIDENCE_LINES, "the lines the doc shows are kept");
	*ev = (doc_evidence){ .line_no = h->line_no, .line = h->line, .nlines = h->nlines };
	if (h->regex) {
		ev->start = h->start;
		ev->end = h->end;
	}
	memcpy(ev->lines, h->lines, keep * sizeof *ev->lines);
}

/* The longest line matched whole.  A longer one (a minified bundle, a
 * binary blob) is matched on its first LINE_MAX bytes, with a word on
 * stderr; memory stays bounded whatever the input. */
enum { LINE_MAX_BYTES = 1 << 20, CHUNK = 1 << 16 };

/* Hand one line (NUL-free, no newline) to the matcher: NUL bytes count as
 * spaces, a trailing CR goes. */
static void one_line(matcher *m, char *line, size_t n, size_t no)
{
	while (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	for (char *p = memchr(line, '\0', n); p; p = memchr(p, '\0', n - (size_t)(p - line)))
		*p = ' ';
	matcher_line(m, line, no);
}

/* Lines from f, whatever their bytes and length.  False with errno set on
 * a read error. */
static bool read_lines(FILE *f, const char *name, matcher *m)
{
	char *buf = xmalloc(LINE_MAX_BYTES + CHUNK + 1);
	size_t have = 0, no = 0;
	bool skipping = false, eof = false;

	while (!eof) {
		size_t got = fread(buf + have, 1, CHUNK, f), start = 0;
		char *nl;

		if (got < CHUNK) {
			if (ferror(f)) {
				free(buf);
				return false;
			}
			eof = true;
		}
		have += got;
		while ((nl = memchr(buf + start, '\n', have - start))) {
			size_t end = (size_t)(nl - buf);

			if (!skipping)
				one_line(m, buf + start, end - start, ++no);
			skipping = false;
			start = end + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have >= LINE_MAX_BYTES && !skipping) {
			/* Cut at a character boundary, match, skip to the newline. */
			size_t cut = LINE_MAX_BYTES;

			while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
				cut--;
			fprintf(stderr, _("%s: %s:%zu: line longer than %d bytes; only its first %zu bytes are matched\n"),
				PACKAGE, name, no + 1, LINE_MAX_BYTES, cut);
			one_line(m, buf, cut, ++no);
			skipping = true;
		}
		if (skipping)
			have = 0;
	}
	if (have && !skipping)
		one_line(m, buf, have, ++no);
	free(buf);
	return true;
}

static const struct option longopts[] = {
	{ "max", required_argument, NULL, 'n' },
	{ "order", required_argument, NULL, 'o' },
	{ "browse", no_argument, NULL, 'b' },
	{ "lang", required_argument, NULL, 'l' },
	{ "format", required_argument, NULL, 'f' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "n:o:bl:f:k:h";
static const char *const formats[] = { "text", "json", NULL };
static const char *const orders[] = { "score", "log", NULL };

/* The hits (best first) for the order asked: by_line, in the order of
 * the log's lines, the best first on a line (malloc'd indexes). */
static const match_hit *sort_hits;

static int by_line(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t lx = sort_hits[x].line_no, ly = sort_hits[y].line_no;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

static size_t *hit_order(const match_hit *hits, size_t n, bool by_log)
{
	size_t *order = xmalloc((n + 1) * sizeof *order);

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (by_log) {
		sort_hits = hits;
		qsort(order, n, sizeof *order, by_line);
	}
	return order;
}

static int cmd_match(int argc, char **argv)
{
	bool browse_after = false, by_log = false, stop;
	int json = 0;
	long max = 10;
	const char *file = NULL;
	const match_hit *hits;
	const uint32_t *dropped;
	cli_opts o;
	kbcache *c;
	matcher *m;
	FILE *in;
	size_t n, nd, i, *order;
	int opt, rc = EXIT_USAGE;
	kb_slim mk;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		char *end;

		switch (opt) {
		case 'n':
			max = strtol(optarg, &end, 10);
			if (*end || end == optarg || max < 0) {
				cli_usage_error("match", _("--max takes a whole number, not '%s'"), optarg);
				goto out;
			}
			break;
		case 'o':
			for (i = 0; orders[i] && strcmp(optarg, orders[i]); i++)
				;
			if (!orders[i]) {
				cli_usage_error("match", _("--order takes score or log, not '%s'"), optarg);
				goto out;
			}
			by_log = i == 1;
			break;
		case 'b':
			browse_after = true;
			break;
		case 'f':
			json = cli_parse_format("match", optarg, formats);
			if (json < 0)
				goto out;
			break;
		default:
			cli_common_option(&o, "match", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	if (optind + 1 < argc) {
		cli_usage_error("match", _("one file at a time"));
		goto out;
	}
	file = optind < argc ? argv[optind] : "-";
	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!in) {
		fprintf(stderr, "%s: %s: %s\n", PACKAGE, file, strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	/* From the index, the few columns match needs, not every record
	 * (the browser after it needs them all).  Without an index, the
	 * KB is had from its sources all the same. */
	kb_slim_init(&mk);
	if (browse_after) {
		cli_open_kb(&o, &k);
	} else if ((c = cli_open_kb_lazy(&o, &k))) {
		if (kbcache_match_recs(c, &mk, false, NULL) < 0) {
			/* The index failed: from the sources, findings told already. */
			kbcache_close(c, false, NULL);
			kb_slim_free(&mk);
			kb_slim_init(&mk);
			kb_free(&k);
			kb_init(&k);
			cli_load_sources(&o, &k);
		} else {
			kbcache_close(c, true, NULL);
		}
	}
	if (!mk.n)
		kb_slim_of(&mk, &k);
	m = matcher_new_slim(&mk);
	if (!read_lines(in, strcmp(file, "-") ? file : _("standard input"), m))
		fprintf(stderr, "%s: %s: %s\n", PACKAGE, file, strerror(errno));
	if (in != stdin)
		fclose(in);
	nd = matcher_dropped(m, &dropped);
	for (i = 0; i < nd; i++)
		fprintf(stderr, _("%s: the regex of %s hit ICU's time or stack limit; it was skipped\n"),
			PACKAGE, mk.id[dropped[i]]);
	n = matcher_results(m, &hits);
	if (max && n > (size_t)max)
		n = (size_t)max;
	rc = n ? EXIT_OK : EXIT_FINDINGS;
	order = hit_order(hits, n, by_log);
	if (browse_after) {
		/* Keys from the terminal: stdin may be the log. */
		FILE *tty = fopen("/dev/tty", "r");

		if (!tty || !browse_terminal_ok(fileno(tty), STDOUT_FILENO)) {
			if (tty)
				fclose(tty);
			rc = EXIT_USAGE;
		} else if (!n) {
			fprintf(stderr, _("%s: match: nothing matched\n"), PACKAGE);
			fclose(tty);
		} else {
			uint32_t *recs = xmalloc(n * sizeof *recs);
			doc_evidence *ev = xcalloc(n, sizeof *ev);

			for (size_t j = 0; j < n; j++) {
				recs[j] = hits[order[j]].rec;
				evidence_of(&ev[j], &hits[order[j]]);
			}
			cli_run_browser(&k, &o, &(browse_opts){ .order = recs, .n = n, .evidence = ev,
								 .in = tty });
			free(ev);
			free(recs);
			fclose(tty);
		}
	} else if (json) {
		print_json(&mk, hits, order, n, o.lang);
	} else if (n && by_log) {
		print_text_by_line(&mk, hits, order, n, o.lang);
	} else if (n) {
		print_text(&mk, hits, n, o.lang);
	} else {
		fprintf(stderr, _("%s: match: nothing matched\n"), PACKAGE);
	}
	free(order);
	matcher_free(m);
	kb_slim_free(&mk);
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_match = { "match", cmd_match, longopts, optstring, formats };
