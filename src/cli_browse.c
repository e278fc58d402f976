/* errkb with no command: the full-screen browser, after checking that
 * there is a terminal it can drive. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "kbcache.h"
#include "paths.h"
#include "state.h"
#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
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

/* A clear refusal beats a screen of garbage.  in_fd: where keys come from. */
bool cli_terminal_ok(int in_fd, int out_fd)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(out_fd) || !isatty(in_fd)) {
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
	if (setupterm(NULL, out_fd, &err) != OK) {
		fprintf(stderr, _("%s: unknown terminal type '%s' (no terminfo entry); "
				  "install ncurses-term or set TERM to a known type\n"), PACKAGE, term);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

int cli_run_browser(kb *k, const cli_opts *o, browse_opts *bo)
{
	char *path = paths_state_file();
	enum kb_lang lang = o->lang;
	state st;
	int sig;

	state_init(&st);
	if (path)
		state_load(&st, path, stderr);
	/* --lang, then the config's language, then the one used last. */
	if (!o->lang_given && cli_set.cfg.lang < 0 && st.lang >= 0)
		lang = (enum kb_lang)st.lang;
	bo->no_mouse = cli_set.no_mouse || cli_set.cfg.mouse == 0;
	bo->theme = cli_set.cfg.theme;
	bo->state = &st;
	sig = browse(k, lang, bo);
	if (path && !state_save(&st, path, stderr))
		fprintf(stderr, _("%s: warning: cannot save %s: %s\n"), PACKAGE, path, strerror(errno));
	state_free(&st);
	free(path);
	if (sig) {
		/* End as the signal asked, now that the terminal is back. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return EXIT_OK;
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
	kbcache *c;
	kbheads heads;
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
	if (!cli_terminal_ok(STDIN_FILENO, STDOUT_FILENO)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* Load errors go to stderr now, before the screen is taken; the
	 * status line repeats the count. */
	c = cli_open_kb_heads(&o, &k, &heads);
	rc = cli_run_browser(&k, &o, &(browse_opts){ .cache = c, .heads = &heads });
	kbheads_free(&heads);
	kbcache_close(c, true, NULL);
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

static void pick_usage(void)
{
	printf(_("Usage: %s pick [OPTION]... [QUERY]...\n"
		 "Browse (the records QUERY matches), choose a command of a workaround,\n"
		 "and print it on standard output, and nothing else: for a shell,\n"
		 "  eval \"$(%s pick sip 401)\"\n"
		 "The browser draws on /dev/tty.  Exit status 1 when nothing was chosen.\n\n"
		 "  -l, --lang=en|zh   language of the record text\n"
		 "  -k, --kb=PATH      read the KB at PATH (repeatable)\n"
		 "  -h, --help         show this help\n"), PACKAGE, PACKAGE);
}

static const struct option pick_longopts[] = {
	{ "lang", required_argument, NULL, 'l' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
/* + : options end at the first word of the query. */
static const char pick_optstring[] = "+l:k:h";

static int cmd_pick(int argc, char **argv)
{
	char *picked = NULL, *words = NULL;
	size_t qlen = 1;
	cli_opts o;
	int opt, rc = EXIT_USAGE;
	bool stop;
	FILE *tty;
	kbcache *c;
	kbheads heads;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, pick_optstring, pick_longopts, NULL)) != -1) {
		cli_common_option(&o, "pick", opt, pick_usage, &stop, &rc);
		if (stop)
			goto out;
	}
	for (int i = optind; i < argc; i++)
		qlen += strlen(argv[i]) + 1;
	words = calloc(1, qlen);
	for (int i = optind; words && i < argc; i++) {
		if (i > optind)
			strcat(words, " ");
		strcat(words, argv[i]);
	}
	/* The screen and the keys on the terminal: stdout is for the answer. */
	tty = fopen("/dev/tty", "r+");
	if (!tty) {
		fprintf(stderr, _("%s: pick needs a terminal (/dev/tty)\n"), PACKAGE);
		goto out;
	}
	setvbuf(tty, NULL, _IOFBF, 1 << 16);
	if (!cli_terminal_ok(fileno(tty), fileno(tty))) {
		fclose(tty);
		goto out;
	}
	c = cli_open_kb_heads(&o, &k, &heads);
	cli_run_browser(&k, &o, &(browse_opts){ .in = tty, .out = tty, .query = words,
						 .pick = true, .picked = &picked,
						 .cache = c, .heads = &heads });
	kbheads_free(&heads);
	kbcache_close(c, true, NULL);
	kb_free(&k);
	fclose(tty);
	if (picked) {
		printf("%s\n", picked);
		free(picked);
		rc = EXIT_OK;
	} else {
		rc = EXIT_FINDINGS;
	}
out:
	free(words);
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_pick = { "pick", cmd_pick, pick_longopts, pick_optstring, NULL };
