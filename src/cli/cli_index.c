/* errkb index: bring the KB's index up to date (what every command does
 * on its way), say what it holds (--stats), or make it anew (--rebuild). */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "kbcache.h"
#include "load.h"
#include "paths.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(_("Usage: %s index [OPTION]...\n"
		 "Bring the index of the KB up to date: the files that changed, appeared or\n"
		 "vanished since the last start are read, the others are not.  Every\n"
		 "command does this on its way; the index is a cache, safe to delete.\n\n"
		 "  -r, --rebuild    make the index anew, reading every file\n"
		 "  -s, --stats      print what the index holds, one fact a line\n"
		 "  -k, --kb=PATH    read the KB at PATH (repeatable)\n"
		 "  -h, --help       show this help\n\n"
		 "The index is in $XDG_CACHE_HOME/errkb (~/.cache/errkb), one file per set\n"
		 "of KB paths.  Exit status 1 when there can be none (no writable cache\n"
		 "directory, or another errkb holding it).\n"), PACKAGE);
}

static const struct option longopts[] = {
	{ "rebuild", no_argument, NULL, 'r' },
	{ "stats", no_argument, NULL, 's' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "rsk:h";

static int cmd_index(int argc, char **argv)
{
	bool rebuild = false, stats = false, stop;
	int opt, rc = EXIT_USAGE;
	char **paths = NULL, *dir = NULL, *why = NULL, *where = NULL;
	size_t n = 0;
	kbcache_stats st;
	kbcache *c;
	cli_opts o;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rebuild = true;
			break;
		case 's':
			stats = true;
			break;
		default:
			cli_common_option(&o, "index", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	if (optind < argc) {
		cli_usage_error("index", _("unexpected argument '%s'"), argv[optind]);
		goto out;
	}
	if (cli_set.no_cache) {
		cli_usage_error("index", _("--no-cache leaves no index to work on"));
		goto out;
	}
	paths = cli_kb_paths(&o, &n);
	dir = paths_cache_dir();
	for (int attempt = 0;; attempt++) {
		c = kbcache_open(dir, (const char *const *)paths, n, rebuild, &why);
		if (!c) {
			fprintf(stderr, _("%s: index: no index: %s\n"), PACKAGE, why);
			rc = EXIT_FINDINGS;
			goto out;
		}
		free(where);
		where = xstrdup(kbcache_path(c));
		kb_init(&k);
		/* The walk alone: what changed goes into the index, and
		 * nothing is held but one file at a time. */
		kb_load_paths_lazy(&k, (const char *const *)paths, n, c);
		kbcache_close(c, true, &st);
		/* Found damaged (and removed): made anew, once. */
		if (!st.damaged || attempt)
			break;
		kb_free(&k);
		rebuild = true;
	}
	if (st.failed) {
		fprintf(stderr, _("%s: index: %s could not be updated; the KB was read from its files\n"),
			PACKAGE, where);
		rc = EXIT_FINDINGS;
	}
	diag_list_sort(&k.diags);
	for (size_t i = 0; i < k.diags.len; i++)
		if (diag_kind_is_error(k.diags.items[i].kind))
			diag_print(&k.diags.items[i], stderr);
	if (stats) {
		printf("index: %s\n", where);
		printf("files: %zu\n", st.files);
		printf("records: %zu\n", st.records);
		printf("json-bytes: %zu\n", k.json_bytes);
		printf("index-bytes: %lld\n", st.db_bytes);
		printf("files-from-index: %zu\n", st.from_index);
		printf("files-read: %zu\n", st.read);
		printf("files-dropped: %zu\n", st.removed);
	} else {
		char *files = xasprintf(ngettext("%zu file", "%zu files", st.files), st.files);
		char *recs = xasprintf(ngettext("%zu record", "%zu records", st.records), st.records);

		/* TRANSLATORS: the index, its files ("3 files"), how many of
		 * them were unchanged, read and dropped, its records ("12
		 * records"). */
		printf(_("%s: %s (%zu unchanged, %zu read, %zu dropped), %s\n"), where, files,
		       st.from_index, st.read, st.removed, recs);
		free(recs);
		free(files);
	}
	kb_free(&k);
	if (!st.failed)
		rc = EXIT_OK;
out:
	free(why);
	free(where);
	free(dir);
	cli_free_paths(paths, n);
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_index = { "index", cmd_index, longopts, optstring, NULL };
