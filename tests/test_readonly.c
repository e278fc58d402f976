/* errkb never writes inside a KB: every command, the browser, the picker
 * and match --browse run over copies of the small test KB, the shipped KB
 * and the bad one, made read-only; afterwards every file has the same
 * checksum, and the tree the same names, sizes, modes and times.  (Run as
 * root, the write bits stop nothing: the comparison is what tells.) */
#include <config.h>

#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt.h"

static char dir[64], errkb[1024];
static int checks, failures;

static void failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* Run a shell command line; its wait status. */
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st;
}

/* The tree under dir/kbs: every entry's type, mode, size, time and name,
 * then every file's checksum, into path. */
static bool snapshot(const char *path)
{
	return sh("cd '%s/kbs' && { find . -printf '%%M %%s %%T@ %%p\\n' | LC_ALL=C sort && "
		  "find . -type f -exec sha256sum {} + | LC_ALL=C sort; } >'%s'", dir, path) == 0;
}

/* errkb ARGS with stdin from in (or /dev/null), output kept in dir/out
 * and dir/err; exit status 0 or, with may_find, 1 (findings, nothing
 * found) expected, and something said. */
static void run(bool may_find, const char *in, const char *fmt, ...)
{
	char args[2048];
	va_list ap;
	struct stat so, se;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	st = sh("'%s' %s <'%s' >'%s/out' 2>'%s/err'", errkb, args, in ? in : "/dev/null", dir, dir);
	checks++;
	if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && !(may_find && WEXITSTATUS(st) == 1))) {
		failf("errkb %s: wait status %d", args, st);
		sh("head -5 '%s/err' >&2", dir);
		return;
	}
	char p[128];

	snprintf(p, sizeof p, "%s/out", dir);
	if (stat(p, &so) != 0)
		so.st_size = 0;
	snprintf(p, sizeof p, "%s/err", dir);
	if (stat(p, &se) != 0)
		se.st_size = 0;
	if (!so.st_size && !se.st_size)
		failf("errkb %s: said nothing", args);
}

/* The first record id of a KB, or "" */
/* The id and domain of the KB's first record ("" when none). */
static void first_id(const char *kb, char *id, size_t n, char *domain, size_t dn)
{
	char cmd[2048], line[1024];
	size_t len;
	FILE *p;

	id[0] = domain[0] = '\0';
	snprintf(cmd, sizeof cmd, "'%s' --kb '%s' list --format tsv 2>/dev/null", errkb, kb);
	if (!(p = popen(cmd, "r")))
		return;
	if (fgets(line, sizeof line, p)) {
		len = strcspn(line, "\t\n");
		snprintf(id, n, "%.*s", (int)len, line);
		if (line[len] == '\t')
			snprintf(domain, dn, "%.*s", (int)strcspn(line + len + 1, "\t\n"), line + len + 1);
	}
	while (fgetc(p) != EOF)
		;
	pclose(p);
}

static void expect_quit(vt *t, const char *what)
{
	int st;

	vt_send(t, "q");
	st = vt_finish(t);
	checks++;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		failf("%s: wait status %d", what, st);
	vt_free(t);
}

/* The browser over kb: records opened, links followed, the search, the
 * filters, the language, copies (to a fake helper), a resize, then q. */
static void browse(const char *kb, const char *fakepath)
{
	const char *argv[] = { errkb, "--kb", kb, NULL };
	const char *env[] = { fakepath, "DISPLAY=:99", "TMUX=", "WAYLAND_DISPLAY=", NULL };
	static const char *const keys[] = {
		"jj\r", "\t", "j", "\r", "[", "]", "\t", "G", "g", "/con", "\r", "n", "N", "\033",
		"f", "j", " ", "f", "++", "C0.5\r", "x", "L", "jy", "\r", "y", "\033", "Y", "o",
		"?", "?", "L", "\t\t", "j\r",
	};
	vt *t = vt_start(120, 40, argv, env);

	checks++;
	if (!vt_wait(t, "/")) {
		failf("browser over %s: no first frame", kb);
		vt_free(t);
		return;
	}
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		/* No resize here: libvterm 0.1.4 can crash in the test process
		 * on output drawn for the old size (test_storm covers resizes). */
		vt_send(t, keys[i]);
		vt_pump(t, 50);
	}
	/* Every key was read and drawn before q. */
	for (int i = 0; i < 400 && vt_pending_input(t) != 0; i++)
		vt_pump(t, 50);
	vt_send(t, "\033");
	vt_pump(t, 100);
	expect_quit(t, "browser");
}

static void pick(const char *kb, const char *query)
{
	char cmd[2048];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	vt *t;
	int st;

	snprintf(cmd, sizeof cmd, "'%s' --kb '%s' pick %s >'%s/picked'", errkb, kb, query, dir);
	t = vt_start(100, 30, argv, NULL);
	checks++;
	if (!vt_wait(t, "/")) {
		failf("pick over %s: no first frame", kb);
		vt_free(t);
		return;
	}
	vt_send(t, "\r");
	vt_pump(t, 200);
	vt_send(t, "\r");
	vt_pump(t, 200);
	vt_send(t, "y");         /* should it ask first */
	vt_pump(t, 200);
	vt_send(t, "\033\033q");   /* nothing to choose: leave */
	st = vt_finish(t);
	if (st == -1 || !WIFEXITED(st))
		failf("pick over %s: wait status %d", kb, st);
	vt_free(t);
}

static void match_browse(const char *kb, const char *log)
{
	char cmd[2048];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	vt *t;

	snprintf(cmd, sizeof cmd, "'%s' --kb '%s' match --browse <'%s'", errkb, kb, log);
	t = vt_start(100, 30, argv, NULL);
	checks++;
	if (!vt_wait(t, "/")) {
		failf("match --browse over %s: no first frame", kb);
		vt_free(t);
		return;
	}
	vt_send(t, "\rj");
	vt_pump(t, 100);
	expect_quit(t, "match --browse");
}

static void every_command(const char *name, const char *query, const char *fakepath)
{
	char kb[256], id[256], domain[256], log[256];
	bool strict_ok = !strcmp(name, "small");

	snprintf(kb, sizeof kb, "%s/kbs/%s", dir, name);
	snprintf(log, sizeof log, "%s/log", dir);
	first_id(kb, id, sizeof id, domain, sizeof domain);
	if (!id[0])
		failf("%s: no record listed", name);
	printf("%s: the commands, with %s\n", name, id[0] ? id : "no record");
	fflush(stdout);
	run(false, NULL, "--kb '%s' list", kb);
	run(true, NULL, "--kb '%s' list '%s'", kb, query);
	run(false, NULL, "--kb '%s' list --format tsv --lang zh", kb);
	run(false, NULL, "--kb '%s' list --format json --min-confidence 0.5", kb);
	run(false, NULL, "--kb '%s' --lang zh list", kb);
	if (id[0]) {
		run(false, NULL, "--kb '%s' show '%s'", kb, id);
		run(false, NULL, "--kb '%s' show --lang zh '%s'", kb, id);
		run(false, NULL, "--kb '%s' show --format json '%s'", kb, id);
	}
	run(!strict_ok, NULL, "check '%s'", kb);
	run(true, NULL, "check --strict '%s'", kb);
	run(!strict_ok, NULL, "check --format json '%s'", kb);
	run(true, log, "--kb '%s' match", kb);
	run(true, log, "--kb '%s' match --format json --max 0", kb);
	run(true, NULL, "--kb '%s' match '%s'", kb, log);
	run(false, NULL, "--complete 4 errkb --kb '%s' show ''", kb);
	run(false, NULL, "--complete 5 errkb --kb '%s' list --domain ''", kb);
	run(false, NULL, "--kb '%s' --dump-config", kb);
	run(false, NULL, "--kb '%s' --help", kb);
	/* The KB from a config file, and from ERRKB_PATH. */
	sh("mkdir -p '%s/cfg/errkb' && printf 'kb = %s\\n' >'%s/cfg/errkb/config'", dir, kb, dir);
	run(false, NULL, "--dump-config");
	run(false, NULL, "list --format tsv");
	setenv("ERRKB_PATH", kb, 1);
	/* The record's own domain: one the KB does not have is an error. */
	run(false, NULL, "list --domain '%s'", domain);
	unsetenv("ERRKB_PATH");
	browse(kb, fakepath);
	pick(kb, query);
	match_browse(kb, log);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	chmod(path, 0700);
	return remove(path);
}

static int make_writable(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)flag; (void)f;
	chmod(path, (st->st_mode & 07777) | S_IWUSR);
	return 0;
}

int main(void)
{
	const char *bin = getenv("ERRKB"), *data = getenv("TESTDATA"), *src = getenv("top_srcdir");
	char before[128], after[128], fakebin[128], fakepath[256], cfg[128];

	if (!bin || !data || !src) {
		fprintf(stderr, "run through make check (ERRKB, TESTDATA, top_srcdir)\n");
		return 99;
	}
	snprintf(errkb, sizeof errkb, "%s", bin);
	snprintf(dir, sizeof dir, "/tmp/errkb-readonly-XXXXXX");
	if (!mkdtemp(dir))
		return 99;
	/* Copies: a KB of the source tree may already be read-only (make
	 * distcheck), and this test changes modes. */
	if (sh("mkdir '%s/kbs' && cp -R '%s/small' '%s/bad' '%s/kbs/' && cp -R '%s/data/kb' '%s/kbs/shipped' && "
	       "chmod -R a-w '%s/kbs'", dir, data, data, dir, src, dir, dir) != 0)
		return 99;
	/* A log to match, a copy helper that swallows what it gets, and a
	 * config and state of this test's own. */
	sh("{ cat '%s'/tests/kb-loglines/*.tsv | cut -f2; echo 'connect: Connection refused'; } >'%s/log'",
	   src, dir);
	snprintf(fakebin, sizeof fakebin, "%s/bin", dir);
	sh("mkdir '%s' && for h in xclip xsel xdg-open; do printf '#!/bin/sh\\ncat >/dev/null\\n' >'%s/'$h && "
	   "chmod +x '%s/'$h; done", fakebin, fakebin, fakebin);
	snprintf(fakepath, sizeof fakepath, "PATH=%s:/usr/bin:/bin", fakebin);
	snprintf(cfg, sizeof cfg, "%s/cfg", dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	setenv("XDG_STATE_HOME", cfg, 1);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	unsetenv("ERRKB_PATH");
	snprintf(before, sizeof before, "%s/before", dir);
	snprintf(after, sizeof after, "%s/after", dir);
	if (!snapshot(before))
		return 99;

	every_command("small", "refused", fakepath);
	every_command("shipped", "permission", fakepath);
	every_command("bad", "hostile", fakepath);

	if (!snapshot(after)) {
		failf("cannot list the KBs after the run");
	} else if (sh("cmp -s '%s' '%s'", before, after) != 0) {
		failf("the KBs changed (- before, + after):");
		sh("diff -u '%s' '%s' >&2", before, after);
	}
	checks++;
	printf("%d checks, %d failed\n", checks, failures);
	if (!failures) {
		nftw(dir, make_writable, 16, FTW_PHYS);
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	} else {
		fprintf(stderr, "kept %s\n", dir);
	}
	return failures ? 1 : 0;
}
