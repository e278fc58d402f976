/* errkb with no command: the full-screen browser, after checking that
 * there is a terminal it can drive. */
#include <config.h>
#include "browse.h"
#include "cli.h"
#include "i18n.h"
#include "kbcache.h"
#include "load.h"
#include "paths.h"
#include "state.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* ---- the KB read while the browser shows how far it is ----
 *
 * A load that takes longer than the progress line's delay (a first start
 * on a big KB, a KB much changed) goes on on a thread of its own while the
 * browser is up, saying how far it is in the status line and taking keys
 * (a search typed meanwhile is made once the KB is there).  What the load
 * found is said on stderr once the terminal is back. */
typedef struct opening {
	const cli_opts *o;
	kb *k;
	kbheads *h;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t done_cv;
	bool joined;               /* by the thread that started it */
	/* Under mu. */
	bool done;
	kbcache *c;
	kb_progress p;             /* the last, its path in path */
	char path[256];
} opening;

static void *open_main(void *arg)
{
	opening *op = arg;
	kbcache *c = cli_load_kb_heads(op->o, op->k, op->h);

	xcheck(pthread_mutex_lock(&op->mu), "lock");
	op->c = c;
	op->done = true;
	xcheck(pthread_cond_broadcast(&op->done_cv), "signal");
	xcheck(pthread_mutex_unlock(&op->mu), "unlock");
	return NULL;
}

/* The load's progress hook, on its thread. */
static void open_progress(void *ctx, const kb_progress *p)
{
	opening *op = ctx;

	xcheck(pthread_mutex_lock(&op->mu), "lock");
	op->p = *p;
	op->p.path = NULL;
	if (p->path) {
		const char *base = strrchr(p->path, '/');

		snprintf(op->path, sizeof op->path, "%s", base ? base + 1 : p->path);
		op->p.path = op->path;
	}
	xcheck(pthread_mutex_unlock(&op->mu), "unlock");
}

/* The thread joined, once done; the progress line on stderr again. */
static kbcache *open_end(opening *op)
{
	xcheck(pthread_join(op->thread, NULL), "join");
	op->joined = true;
	cli_progress_init();
	return op->c;
}

/* browse_opts.opening. */
static bool open_poll(void *ctx, char *text, size_t len, kbcache **c)
{
	opening *op = ctx;
	bool done;

	xcheck(pthread_mutex_lock(&op->mu), "lock");
	done = op->done;
	if (!done)
		cli_progress_text(&op->p, false, text, len);
	xcheck(pthread_mutex_unlock(&op->mu), "unlock");
	if (done)
		*c = open_end(op);
	return done;
}

/* The KB of o into k and h, as cli_open_kb_heads reads it: its index, or
 * NULL.  Done within the progress line's delay: *out NULL, and what the
 * load found said on stderr.  Else *out is the opening, still going:
 * browse_opts.opening is for it, then open_done. */
static kbcache *open_kb(const cli_opts *o, kb *k, kbheads *h, opening **out)
{
	opening *op = xcalloc(1, sizeof *op);
	double wait = cli_progress_delay();
	struct timespec until;
	kbcache *c;
	bool done;
	int rc = 0;

	*out = NULL;
	op->o = o;
	op->k = k;
	op->h = h;
	if (pthread_mutex_init(&op->mu, NULL) != 0) {
		free(op);
		return cli_open_kb_heads(o, k, h);
	}
	if (pthread_cond_init(&op->done_cv, NULL) != 0) {
		pthread_mutex_destroy(&op->mu);
		free(op);
		return cli_open_kb_heads(o, k, h);
	}
	kb_load_set_progress(open_progress, op);
	if (thread_start(&op->thread, open_main, op) != 0) {
		cli_progress_init();
		pthread_cond_destroy(&op->done_cv);
		pthread_mutex_destroy(&op->mu);
		free(op);
		return cli_open_kb_heads(o, k, h);
	}
	xcheck(clock_gettime(CLOCK_REALTIME, &until) == 0 ? 0 : errno, "clock");
	until.tv_sec += (time_t)wait;
	until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	xcheck(pthread_mutex_lock(&op->mu), "lock");
	while (!op->done && (rc = pthread_cond_timedwait(&op->done_cv, &op->mu, &until)) == 0)
		;
	if (rc != 0 && rc != ETIMEDOUT)
		xcheck(rc, "wait");
	done = op->done;
	xcheck(pthread_mutex_unlock(&op->mu), "unlock");
	if (!done) {
		*out = op;
		return NULL;
	}
	c = open_end(op);
	pthread_cond_destroy(&op->done_cv);
	pthread_mutex_destroy(&op->mu);
	free(op);
	cli_report_load(k);
	return c;
}

/* After the browser: the opening is over if the browser saw it end (its
 * thread joined); then what the load found is said, now that the terminal
 * is back, and the index is returned.  If the user left before, the load
 * is still going on its thread: errkb ends here with status, and the
 * index's unfinished transaction is rolled back by the next errkb that
 * opens it, as after a crash. */
static kbcache *open_done(opening *op, int status)
{
	kbcache *c;
	bool done;

	xcheck(pthread_mutex_lock(&op->mu), "lock");
	done = op->done;
	xcheck(pthread_mutex_unlock(&op->mu), "unlock");
	if (!done || !op->joined) {
		fflush(NULL);
		_exit(status);
	}
	c = op->c;
	pthread_cond_destroy(&op->done_cv);
	pthread_mutex_destroy(&op->mu);
	cli_report_load(op->k);
	free(op);
	return c;
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
	opening *op;
	kb k;

	cli_opts_init(&o);
	cli_options_begin(longopts, "l:k:h", argc, argv);
	while ((opt = getopt_long(argc, argv, "l:k:h", longopts, NULL)) != -1) {
		cli_common_option(&o, NULL, opt, usage, &stop, &rc);
		if (stop)
			goto out;
	}
	if (optind < argc) {
		cli_usage_error(NULL, _("unknown command '%s'"), argv[optind]);
		goto out;
	}
	if (!browse_terminal_ok(STDIN_FILENO, STDOUT_FILENO)) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* Load errors go to stderr before the screen is taken, or once it
	 * is back if the KB is read while the browser is up; the status line
	 * repeats the count. */
	c = open_kb(&o, &k, &heads, &op);
	rc = cli_run_browser(&k, &o, &(browse_opts){ .cache = c, .heads = &heads,
						   .opening = op ? open_poll : NULL, .opening_ctx = op });
	if (op)
		c = open_done(op, rc);
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
	opening *op;
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
	if (!browse_terminal_ok(fileno(tty), fileno(tty))) {
		fclose(tty);
		goto out;
	}
	c = open_kb(&o, &k, &heads, &op);
	cli_run_browser(&k, &o, &(browse_opts){ .in = tty, .out = tty, .query = words,
						 .pick = true, .picked = &picked,
						 .cache = c, .heads = &heads,
						 .opening = op ? open_poll : NULL, .opening_ctx = op });
	if (op)
		c = open_done(op, picked ? EXIT_OK : EXIT_FINDINGS);
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
