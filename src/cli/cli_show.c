/* errkb show: one whole record as readable plain text, or as normalized
 * JSON. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "detail_doc.h"
#include "kbcache.h"
#include "kbjson.h"
#include "suggest.h"
#include "textscan.h"
#include "xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void usage(void)
{
	printf(_("Usage: %s show [OPTION]... ID\n"
		 "Print every section of the record ID.  The start of an ID will do\n"
		 "when no other ID starts so; an ID the KB does not have is answered\n"
		 "with the closest ones it has.\n\n"
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

/* Ids the messages name at most: those want starts, those close to it. */
enum { SHOWN_PREFIXED = 10, SHOWN_CLOSE = 5 };

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids that start with want, in byte order (want itself first, if the
 * KB has it): the first SHOWN_PREFIXED into v, how many in all into
 * *total; from the index c (a range of its id index), else from k.
 * False when the index failed. */
static bool ids_from(kbcache *c, const kb *k, const char *want, arena *a, const char **v, size_t *total)
{
	size_t len = strlen(want), n = 0;
	const char **all;

	if (c) {
		*total = kbcache_ids_from(c, want, SHOWN_PREFIXED, a, &all);
		if (*total == (size_t)-1)
			return false;
		memcpy(v, all, (*total < SHOWN_PREFIXED ? *total : SHOWN_PREFIXED) * sizeof *v);
		free(all);
		return true;
	}
	all = xmalloc((k->nrecs ? k->nrecs : 1) * sizeof *all);
	for (size_t i = 0; i < k->nrecs; i++)
		if (!strncmp(k->recs[i].id, want, len))
			all[n++] = k->recs[i].id;
	if (n)
		qsort(all, n, sizeof *all, by_bytes);
	memcpy(v, all, (n < SHOWN_PREFIXED ? n : SHOWN_PREFIXED) * sizeof *v);
	free(all);
	*total = n;
	return true;
}

/* want starts several ids: say which (the first few, and how many
 * more), for the user to give one whole. */
static void say_ambiguous(const char *want, const char *const *v, size_t total)
{
	size_t shown = total < SHOWN_PREFIXED ? total : SHOWN_PREFIXED;
	char *list = cli_quoted_list(v, shown, true);

	fprintf(stderr, ngettext("%s: show: '%s' is the start of %zu id: %s",
				 "%s: show: '%s' is the start of %zu ids: %s", total),
		PACKAGE, want, total, list);
	if (total > shown)
		fprintf(stderr, ngettext(", and %zu more", ", and %zu more", total - shown), total - shown);
	fputs(_("; give one of them whole (show takes one ID)\n"), stderr);
	free(list);
}

/* The KB has no id want, nor one it starts: say so with the closest ids
 * it has.  False when the index failed. */
static bool say_unknown(kbcache *c, const kb *k, const char *want)
{
	const char **all, *close[SHOWN_CLOSE];
	size_t n, nc;
	char *list;
	arena a;

	arena_init(&a);
	if (c) {
		n = kbcache_values(c, KBC_ID, &a, &all);
		if (n == (size_t)-1) {
			arena_free(&a);
			return false;
		}
	} else {
		n = k->nrecs;
		all = xmalloc((n ? n : 1) * sizeof *all);
		for (size_t i = 0; i < n; i++)
			all[i] = k->recs[i].id;
	}
	nc = suggest_closest(want, all, n, SHOWN_CLOSE, close);
	fprintf(stderr, _("%s: show: no record with id '%s'"), PACKAGE, want);
	if (nc) {
		list = cli_quoted_list(close, nc, false);
		fprintf(stderr, _("; did you mean %s?"), list);
		free(list);
	} else {
		fputs(_("; 'errkb list' lists the ids there are"), stderr);
	}
	fputc('\n', stderr);
	free(all);
	arena_free(&a);
	return true;
}

/* The id the user means by want, into *id (in a): want itself if the KB
 * has it, else the one id it starts.  1 found; 0 none or several,
 * said, with the status into *rc; -1 the index failed. */
static int resolve(kbcache *c, const kb *k, const char *want, arena *a, const char **id, int *rc)
{
	const char *v[SHOWN_PREFIXED];
	size_t total;

	if (!ids_from(c, k, want, a, v, &total))
		return -1;
	if (total && (total == 1 || !strcmp(v[0], want))) {
		*id = v[0];
		return 1;
	}
	if (total) {
		say_ambiguous(want, v, total);
		*rc = EXIT_USAGE;
		return 0;
	}
	if (!say_unknown(c, k, want))
		return -1;
	*rc = EXIT_FINDINGS;
	return 0;
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
	const char *id = NULL;
	kbcache *c;
	arena ids;
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
	/* An empty ID would start every ID there is. */
	if (optind + 1 != argc || !*argv[optind]) {
		cli_usage_error("show", optind + 1 < argc ? _("one record ID at a time")
							  : _("which record? give its ID"));
		goto out;
	}
	/* From the index: the record and its neighbours, not the whole KB. */
	arena_init(&ids);
	c = cli_open_kb_lazy(&o, &k);
	if (c) {
		kb part;
		int got;

		kb_init(&part);
		got = resolve(c, &k, argv[optind], &ids, &id, &rc);
		if (got > 0 && (got = kbcache_fetch(c, id, &part)) == 0) {
			/* Another errkb changed the index in between. */
			fprintf(stderr, _("%s: show: no record with id '%s'\n"), PACKAGE, id);
			rc = EXIT_FINDINGS;
		}
		kbcache_close(c, true, NULL);
		if (got > 0) {
			diag_list_free(&part.diags);
			part.diags = k.diags;       /* the whole KB's, for what follows */
			diag_list_init(&k.diags);
			kb_free(&k);
			k = part;
		} else {
			kb_free(&part);
		}
		if (got == 0)
			goto done;      /* none, several or gone: said */
		if (got < 0) {
			/* The index failed: from the sources, findings told already. */
			kb_free(&k);
			kb_init(&k);
			cli_load_sources(&o, &k);
			c = NULL;
		}
	}
	if (!c && resolve(NULL, &k, argv[optind], &ids, &id, &rc) <= 0)
		goto done;
	r = kb_find(&k, id);
	if (json) {
		cli_print_json(kb_record_to_json(&k, r));
		rc = EXIT_OK;
	} else {
		show_text(&k, r, o.lang);
		rc = EXIT_OK;
	}
done:
	arena_free(&ids);
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_show = { "show", cmd_show, longopts, optstring, formats };
