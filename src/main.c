/* errkb: a terminal browser for error knowledge bases.  This file only
 * sets up the locale and hands over to a subcommand. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "xalloc.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(_("Usage: %s [--kb PATH]... [--lang en|zh] [COMMAND [ARG]...]\n"
		 "Browse an error knowledge base: root causes, dead ends and workarounds\n"
		 "for error messages, in English and Chinese.  Without a command, opens\n"
		 "the full-screen browser ('?' there lists the keys).\n\n"
		 "Commands:\n"
		 "  list    list records (filters: --domain, --category, --min-confidence)\n"
		 "  show    print one record: %s show ID [--lang zh]\n"
		 "  check   validate KB files and report findings\n"
		 "  match   find the records for error text or a log: %s match [FILE]\n"
		 "  pick    choose a workaround's command and print it: eval \"$(%s pick QUERY)\"\n\n"
		 "Options:\n"
		 "  -k, --kb=PATH   read the KB at PATH: a directory of *.json, a .json\n"
		 "                  or a .jsonl file (repeatable; default $ERRKB_PATH,\n"
		 "                  colon-separated, else the shipped KB)\n"
		 "  -l, --lang=en|zh  language of record text (default: from the locale)\n"
		 "  -h, --help      show this help ('%s COMMAND --help' for a command)\n"
		 "  -V, --version   show the version\n\n"
		 "Exit status: 0 success, 1 findings or nothing found, 2 usage error.\n"),
	       PACKAGE, PACKAGE, PACKAGE, PACKAGE, PACKAGE);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "check", cmd_check },
	{ "match", cmd_match },
	{ "pick", cmd_pick },
};

int main(int argc, char **argv)
{
	int first = 1;
	/* Global --kb options before the command are passed on to it. */
	char **args = xmalloc(((size_t)argc + 1) * sizeof *args);
	int nargs = 0, rc = EXIT_USAGE;

	setlocale(LC_ALL, "");
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	while (first < argc && argv[first][0] == '-') {
		const char *a = argv[first];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			rc = EXIT_OK;
			goto out;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("%s %s\n", PACKAGE, VERSION);
			rc = EXIT_OK;
			goto out;
		}
		if ((!strcmp(a, "-k") || !strcmp(a, "--kb") || !strcmp(a, "-l") ||
		     !strcmp(a, "--lang")) && first + 1 < argc) {
			args[nargs++] = argv[first++];
			args[nargs++] = argv[first++];
		} else if (!strncmp(a, "--kb=", 5) || !strncmp(a, "--lang=", 7)) {
			args[nargs++] = argv[first++];
		} else {
			cli_usage_error(NULL, _("unknown option '%s'"), a);
			goto out;
		}
	}
	if (first >= argc) {
		/* No command: the browser, with the options given. */
		memmove(args + 1, args, (size_t)nargs * sizeof *args);
		args[0] = argv[0];
		args[nargs + 1] = NULL;
		rc = cmd_browse(nargs + 1, args);
		goto out;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[first], commands[i].name))
			continue;
		/* argv for the command: its name, the global options, its own;
		 * args has room, as it holds a subset of argv. */
		int n = 0;

		memmove(args + 1, args, (size_t)nargs * sizeof *args);
		args[0] = argv[first];
		n = nargs + 1;
		for (int j = first + 1; j < argc; j++)
			args[n++] = argv[j];
		args[n] = NULL;
		rc = commands[i].run(n, args);
		goto out;
	}
	cli_usage_error(NULL, _("unknown command '%s'"), argv[first]);
out:
	free(args);
	return rc;
}
