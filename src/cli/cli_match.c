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
#include <unistd.h>

static void usage(void)
{
	printf(_("Usage: %s match [OPTION]... [FILE|-]\n"
		 "Find the records for error text or a whole log (FILE, or standard\n"
		 "input): each line is tested against every record's regex (ICU, case-\n"
		 "insensitive, with time and stack limits) and against its signature's\n"
		 "words.  Prints the records found, best first, with the line that\n"
		 "matched.  Exit status 1 when nothing matches.\n\n"
		 "  -n, --max=N              at most N records (default 10; 0: all)\n"
		 "  -b, --browse             open the browser on the records found (keys\n"
		 "                           from the terminal, so a pipe can feed the log)\n"
		 "  -l, --lang=en|zh         language of the signatures shown\n"
		 "  -f, --format=text|json\n"
		 "  -k, --kb=PATH            read the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n\n"
		 "Example: journalctl -b | %s match --browse\n"), PACKAGE, PACKAGE);
}

/* The line, and a caret line under the span that the regex matched. */
static void print_line(const match_hit *h)
{
	char *clean, *pre;
	int lead;

	printf("   %s %zu: ", _("line"), h->line_no);
	text_put_sanitized(stdout, h->line, TEXT_ONE_LINE);
	putchar('\n');
	if (!h->regex || h->end <= h->start)
		return;
	pre = xstrndup(h->line, h->start);
	clean = tc_clean(pre);
	lead = tc_width(clean);
	free(pre);
	free(clean);
	pre = xstrndup(h->line + h->start, h->end - h->start);
	clean = tc_clean(pre);
	/* Columns, not bytes: "line" may be translated to CJK. */
	printf("   %*s %*s  ", tc_width(_("line")), "", (int)snprintf(NULL, 0, "%zu", h->line_no), "");
	printf("%*s", lead, "");
	for (int i = tc_width(clean); i > 0; i--)
		putchar('^');
	putchar('\n');
	free(pre);
	free(clean);
}

static void print_text(const kb_slim *k, const match_hit *hits, size_t n, enum kb_lang lang)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t r = hits[i].rec;
		kb_text sig = kb_slim_sig(k, r);

		printf("%zu. ", i + 1);
		text_put_sanitized(stdout, k->id[r], TEXT_ONE_LINE);
		printf("  (%s, %.2f", hits[i].regex ? _("regex") : _("words"), hits[i].score);
		if (!isnan(k->confidence[r]))
			printf(", %s %.2f", _("confidence"), k->confidence[r]);
		printf(")\n   ");
		text_put_sanitized(stdout, kb_text_get(&sig, lang, NULL), TEXT_ONE_LINE);
		putchar('\n');
		print_line(&hits[i]);
	}
}

static void print_json(const kb_slim *k, const match_hit *hits, size_t n, enum kb_lang lang)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++) {
		uint32_t r = hits[i].rec;
		kb_text sig = kb_slim_sig(k, r);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "rank", (double)i + 1);
		cJSON_AddStringToObject(o, "id", k->id[r]);
		cJSON_AddNumberToObject(o, "score", hits[i].score);
		cJSON_AddBoolToObject(o, "regex", hits[i].regex);
		cJSON_AddStringToObject(o, "signature", kb_text_get(&sig, lang, NULL));
		if (!isnan(k->confidence[r]))
			cJSON_AddNumberToObject(o, "confidence", k->confidence[r]);
		cJSON_AddNumberToObject(o, "line_no", (double)hits[i].line_no);
		/* Lines from a log may hold anything: JSON escapes them. */
		cJSON_AddStringToObject(o, "line", hits[i].line);
		if (hits[i].regex) {
			cJSON_AddNumberToObject(o, "start", (double)hits[i].start);
			cJSON_AddNumberToObject(o, "end", (double)hits[i].end);
		}
		cJSON_AddItemToArray(arr, o);
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
	{ "browse", no_argument, NULL, 'b' },
	{ "lang", required_argument, NULL, 'l' },
	{ "format", required_argument, NULL, 'f' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "n:bl:f:k:h";
static const char *const formats[] = { "text", "json", NULL };

static int cmd_match(int argc, char **argv)
{
	bool browse_after = false, stop;
	int json = 0;
	long max = 10;
	const char *file = NULL;
	const match_hit *hits;
	const uint32_t *dropped;
	cli_opts o;
	kbcache *c;
	matcher *m;
	FILE *in;
	size_t n, nd;
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
		if (kbcache_match_recs(c, &mk) < 0) {
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
	m = matcher_new_of(mk.n, mk.sig_en, mk.regex);
	matcher_add_zh(m, mk.sig_zh, mk.regex_zh);
	if (!read_lines(in, strcmp(file, "-") ? file : _("standard input"), m))
		fprintf(stderr, "%s: %s: %s\n", PACKAGE, file, strerror(errno));
	if (in != stdin)
		fclose(in);
	nd = matcher_dropped(m, &dropped);
	for (size_t i = 0; i < nd; i++)
		fprintf(stderr, _("%s: the regex of %s hit ICU's time or stack limit; it was skipped\n"),
			PACKAGE, mk.id[dropped[i]]);
	n = matcher_results(m, &hits);
	if (max && n > (size_t)max)
		n = (size_t)max;
	rc = n ? EXIT_OK : EXIT_FINDINGS;
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
			uint32_t *order = xmalloc(n * sizeof *order);
			doc_evidence *ev = xcalloc(n, sizeof *ev);

			for (size_t i = 0; i < n; i++) {
				order[i] = hits[i].rec;
				evidence_of(&ev[i], &hits[i]);
			}
			cli_run_browser(&k, &o, &(browse_opts){ .order = order, .n = n, .evidence = ev,
								 .in = tty });
			free(ev);
			free(order);
			fclose(tty);
		}
	} else if (json) {
		print_json(&mk, hits, n, o.lang);
	} else if (n) {
		print_text(&mk, hits, n, o.lang);
	} else {
		fprintf(stderr, _("%s: match: nothing matched\n"), PACKAGE);
	}
	matcher_free(m);
	kb_slim_free(&mk);
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_match = { "match", cmd_match, longopts, optstring, formats };
