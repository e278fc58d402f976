/* errkb show: one whole record as readable plain text, or as normalized
 * JSON. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "detail_doc.h"
#include "kbcache.h"
#include "kbjson.h"
#include "textscan.h"
#include "xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void usage(void)
{
	printf(_("Usage: %s show [OPTION]... ID\n"
		 "Print every section of the record ID.\n\n"
		 "  -l, --lang=en|zh         language of the record text; text with no\n"
		 "                           Chinese twin is shown in English, marked [EN]\n"
		 "  -f, --format=text|json   json prints the normalized record\n"
		 "  -k, --kb=PATH            read the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n"), PACKAGE);
}

/* The same rows as the browser's detail pane, wrapped to the terminal,
 * or to 80 columns for a pipe (Y copies them unwrapped). */
static void show_text(const kb *k, const kb_record *r, enum kb_lang lang)
{
	struct winsize ws;
	int width = 80;
	doc d = { 0 };

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		width = ws.ws_col;
	doc_build(&d, k, r, lang, width);
	doc_need(&d, (size_t)-1);
	for (size_t i = 0; i < d.n; i++) {
		fputs(d.rows[i].text, stdout);     /* already cleaned by doc_need */
		putchar('\n');
	}
	doc_free(&d);
}

static const struct option longopts[] = {
	{ "lang", required_argument, NULL, 'l' },
	{ "format", required_argument, NULL, 'f' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "l:f:k:h";
static const char *const formats[] = { "text", "json", NULL };

static int cmd_show(int argc, char **argv)
{
	int json = 0;
	const kb_record *r;
	kbcache *c;
	cli_opts o;
	int opt, rc = EXIT_USAGE;
	bool stop;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			json = cli_parse_format("show", optarg, formats);
			if (json < 0)
				goto out;
			break;
		default:
			cli_common_option(&o, "show", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	if (optind + 1 != argc) {
		cli_usage_error("show", optind < argc ? _("one record ID at a time")
						      : _("which record? give its ID"));
		goto out;
	}
	/* From the index: the record and its neighbours, not the whole KB. */
	c = cli_open_kb_lazy(&o, &k);
	if (c) {
		kb part;
		int got;

		kb_init(&part);
		got = kbcache_fetch(c, argv[optind], &part);
		kbcache_close(c, true, NULL);
		if (got >= 0) {
			diag_list_free(&part.diags);
			part.diags = k.diags;       /* the whole KB's, for what follows */
			diag_list_init(&k.diags);
			kb_free(&k);
			k = part;
		} else {
			/* The index failed: from the sources, findings told already. */
			kb_free(&part);
			kb_free(&k);
			kb_init(&k);
			cli_load_sources(&o, &k);
		}
	}
	r = kb_find(&k, argv[optind]);
	if (!r) {
		fprintf(stderr, _("%s: show: no record with id '%s'\n"), PACKAGE, argv[optind]);
		rc = EXIT_FINDINGS;
	} else if (json) {
		cli_print_json(kb_record_to_json(&k, r));
		rc = EXIT_OK;
	} else {
		show_text(&k, r, o.lang);
		rc = EXIT_OK;
	}
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_show = { "show", cmd_show, longopts, optstring, formats };
