/* errkb: a terminal browser for error knowledge bases.  This file only
 * sets up the locale and hands over to a subcommand. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "xalloc.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(_("Usage: %s [OPTION]... [COMMAND [ARG]...]\n"
		 "Browse an error knowledge base: root causes, dead ends and workarounds\n"
		 "for error messages, in English and Chinese.  Without a command, opens\n"
		 "the full-screen browser ('?' there lists the keys).\n\n"
		 "Commands:\n"
		 "  list    list records (filters: --domain, --category, --min-confidence)\n"
		 "  show    print one record: %s show ID [--lang zh]\n"
		 "  check   validate KB files and report findings\n"
		 "  match   find the records for error text or a log: %s match [FILE]\n"
		 "  pick    choose a workaround's command and print it: eval \"$(%s pick QUERY)\"\n"
		 "  index   bring the KB's index up to date, show it (--stats), make it anew\n"
		 "          (--rebuild)\n\n"
		 "Options:\n"
		 "  -k, --kb=PATH       read the KB at PATH: a directory of *.json, a .json\n"
		 "                      or a .jsonl file (repeatable; default $ERRKB_PATH,\n"
		 "                      colon-separated, else the config file's kb lines,\n"
		 "                      else the shipped KB)\n"
		 "  -l, --lang=en|zh    language of record and interface text (default:\n"
		 "                      the config file's, else the locale's)\n"
		 "      --no-config     do not read the config file\n"
		 "      --no-mouse      leave the mouse to the terminal (select, paste)\n"
		 "      --no-cache      read every KB file; neither use nor update the index\n"
		 "      --dump-config   print the settings in force, in config file syntax\n"
		 "  -h, --help          show this help ('%s COMMAND --help' for a command)\n"
		 "  -V, --version       show the version\n\n"
		 "Config file: $XDG_CONFIG_HOME/errkb/config (~/.config/errkb/config).\n"
		 "Index: $XDG_CACHE_HOME/errkb (~/.cache/errkb), a cache safe to delete;\n"
		 "see errkb(1).  Exit status: 0 success, 1 findings or nothing found,\n"
		 "2 usage error.\n"),
	       PACKAGE, PACKAGE, PACKAGE, PACKAGE, PACKAGE);
}

/* --dump-config, with the --kb and --lang given beside it. */
static int dump_config(int nargs, char **args)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "kb", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	static char name[] = PACKAGE;
	char **argv = xmalloc(((size_t)nargs + 2) * sizeof *argv);
	int opt, rc = EXIT_OK;
	bool stop = false;
	cli_opts o;

	argv[0] = name;
	memcpy(argv + 1, args, (size_t)nargs * sizeof *argv);
	argv[nargs + 1] = NULL;
	cli_opts_init(&o);
	optind = 1;
	while (!stop && (opt = getopt_long(nargs + 1, argv, "l:k:", longopts, NULL)) != -1)
		cli_common_option(&o, NULL, opt, usage, &stop, &rc);
	if (!stop)
		cli_dump_config(&o, stdout);
	cli_opts_free(&o);
	free(argv);
	return rc;
}

const cli_command *const cli_commands[] = {
	&cli_list, &cli_show, &cli_check, &cli_match, &cli_pick, &cli_index, NULL,
};

int main(int argc, char **argv)
{
	int first = 1;
	/* Global --kb options before the command are passed on to it. */
	char **args = xmalloc(((size_t)argc + 1) * sizeof *args);
	int nargs = 0, rc = EXIT_USAGE;

	bool help = false, version = false, dump = false;
	const char *lang = NULL;
	enum kb_lang l;

	/* Hidden, for the shell completion scripts: their answer is data,
	 * not messages, so it comes before the locale and the options. */
	if (argc > 1 && !strcmp(argv[1], "--complete")) {
		rc = cmd_complete(argc - 2, argv + 2);
		goto out;
	}
	setlocale(LC_ALL, "");
	/* errkb reads and writes UTF-8 whatever the locale; under C or POSIX
	 * it measures text as C.UTF-8 does. */
	cli_want_utf8();
	i18n_init();
	/* What getopt rejects, errkb says (cli_options_begin). */
	opterr = 0;
	while (first < argc && argv[first][0] == '-') {
		const char *a = argv[first];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			help = true;
			first++;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			version = true;
			first++;
		} else if (!strcmp(a, "--no-config")) {
			cli_set.no_config = true;
			first++;
		} else if (!strcmp(a, "--no-mouse")) {
			cli_set.no_mouse = true;
			first++;
		} else if (!strcmp(a, "--no-cache")) {
			cli_set.no_cache = true;
			first++;
		} else if (!strcmp(a, "--dump-config")) {
			dump = true;
			first++;
		} else if ((!strcmp(a, "-k") || !strcmp(a, "--kb") || !strcmp(a, "-l") ||
			    !strcmp(a, "--lang")) && first + 1 < argc) {
			if (a[1] == 'l' || a[2] == 'l')
				lang = argv[first + 1];
			args[nargs++] = argv[first++];
			args[nargs++] = argv[first++];
		} else if (!strncmp(a, "--kb=", 5) || !strncmp(a, "--lang=", 7)) {
			if (a[2] == 'l')
				lang = a + 7;
			args[nargs++] = argv[first++];
		} else if (!strcmp(a, "-k") || !strcmp(a, "--kb") || !strcmp(a, "-l") ||
			   !strcmp(a, "--lang")) {
			cli_usage_error(NULL, _("option '%s' needs a value"), a);
			goto out;
		} else {
			cli_usage_error(NULL, _("unknown option '%s'"), a);
			goto out;
		}
	}
	/* The config comes first: its language is that of --help too,
	 * unless --lang says otherwise. */
	cli_settings_load(stderr);
	if (lang && !cli_parse_lang(lang, &l)) {
		cli_usage_error(NULL, _("--lang takes en or zh, not '%s'"), lang);
		goto out;
	}
	if (lang)
		i18n_set_lang(l);
	if (dump && first < argc) {
		cli_usage_error(NULL, _("--dump-config takes no command ('%s')"), argv[first]);
		goto out;
	}
	if (help || version) {
		if (help)
			usage();
		else
			printf("%s %s\n", PACKAGE, VERSION);
		rc = EXIT_OK;
		goto out;
	}
	if (dump) {
		rc = dump_config(nargs, args);
		goto out;
	}
	cli_progress_init();
	if (first >= argc) {
		/* No command: the browser, with the options given. */
		memmove(args + 1, args, (size_t)nargs * sizeof *args);
		args[0] = argv[0];
		args[nargs + 1] = NULL;
		rc = cmd_browse(nargs + 1, args);
		goto out;
	}
	for (size_t i = 0; cli_commands[i]; i++) {
		if (strcmp(argv[first], cli_commands[i]->name))
			continue;
		/* argv for the command: its name, the global options, its own;
		 * args has room, as it holds a subset of argv. */
		int n = 1;

		/* A global --lang has set the interface language above; a
		 * command without a --lang of its own (check, index) is
		 * given the --kb options alone. */
		bool takes_lang = false;
		for (const struct option *o = cli_commands[i]->longopts; o && o->name; o++)
			takes_lang = takes_lang || !strcmp(o->name, "lang");
		memmove(args + 1, args, (size_t)nargs * sizeof *args);
		args[0] = argv[first];
		for (int j = 1; j <= nargs; j++) {
			const char *a = args[j];
			bool is_lang = !strcmp(a, "-l") || !strcmp(a, "--lang");

			if (!takes_lang && (is_lang || !strncmp(a, "--lang=", 7))) {
				j += is_lang;
				continue;
			}
			args[n++] = args[j];
			if (!strcmp(a, "-k") || !strcmp(a, "--kb") || is_lang)
				args[n++] = args[++j];
		}
		for (int j = first + 1; j < argc; j++)
			args[n++] = argv[j];
		args[n] = NULL;
		cli_options_begin(cli_commands[i]->longopts, cli_commands[i]->optstring, n, args);
		rc = cli_commands[i]->run(n, args);
		goto out;
	}
	cli_usage_error(NULL, _("unknown command '%s'"), argv[first]);
out:
	cli_settings_free();
	free(args);
	return rc;
}
