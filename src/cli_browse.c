/* errkb with no command: the full-screen browser, after checking that
 * there is a terminal it can drive. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "ui.h"

#include <curses.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

static void usage(void)
{
	printf(_("Usage: %s [OPTION]...\n"
		 "Browse the KB in a full-screen terminal interface.\n\n"
		 "  -l, --lang=en|zh   language of the record text ('L' switches)\n"
		 "  -k, --kb=PATH      read the KB at PATH (repeatable)\n"
		 "  -h, --help         show this help; '?' in the browser lists the keys\n"),
	       PACKAGE);
}

/* The browser measures text with wcwidth(), which needs a UTF-8 locale:
 * under C or POSIX take C.UTF-8, which every glibc system has. */
void cli_want_utf8(void)
{
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

/* A clear refusal beats a screen of garbage.  in_fd: where keys come from. */
bool cli_terminal_ok(int in_fd)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDOUT_FILENO) || !isatty(in_fd)) {
		fprintf(stderr, _("%s: the browser needs a terminal; for output to a pipe or file "
				  "use '%s list' or '%s show ID'\n"), PACKAGE, PACKAGE, PACKAGE);
		return false;
	}
	if (!term || !*term || !strcmp(term, "dumb")) {
		fprintf(stderr, _("%s: TERM is '%s', which cannot draw the browser; set TERM to "
				  "your terminal's type, or use '%s list'\n"), PACKAGE,
			term ? term : "", PACKAGE);
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, _("%s: unknown terminal type '%s' (no terminfo entry); "
				  "install ncurses-term or set TERM to a known type\n"), PACKAGE, term);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

int cmd_browse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "kb", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_opts o;
	int opt, rc = EXIT_USAGE;
	bool stop;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, "l:k:h", longopts, NULL)) != -1) {
		cli_common_option(&o, NULL, opt, usage, &stop, &rc);
		if (stop)
			goto out;
	}
	if (optind < argc) {
		cli_usage_error(NULL, _("unknown command '%s'"), argv[optind]);
		goto out;
	}
	cli_want_utf8();
	if (!cli_terminal_ok(STDIN_FILENO)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* Load errors go to stderr now, before the screen is taken; the
	 * status line repeats the count. */
	cli_open_kb(&o, &k);
	rc = browse(&k, o.lang, NULL, 0, NULL);
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}
