/* Whole screens, compared character for character with the expected ones
 * in tests/golden: the three layouts (one pane, two stacked, three side
 * by side), in English and in Chinese, over the small test KB.  A pane
 * drawn over another, a border or title out of place, a wide character
 * that takes the wrong room: each changes the text of the screen.
 *
 * The screen is read through libvterm as vt_text gives it (a wide
 * character once, trailing blanks cut).  After a deliberate change to
 * the layout, write the expected screens anew with
 *     ERRKB_GOLDEN_UPDATE=1 make check TESTS=tests/test_golden
 * and read the diff before committing it. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt.h"

/* Long enough for a sanitizer build on a loaded machine. */
enum { DEADLINE_MS = 20000, QUIET_MS = 1500 };

typedef struct golden {
	const char *name;          /* tests/golden/NAME.txt */
	int cols, rows;
	const char *language;      /* LANGUAGE, so record text and interface follow */
	const char *keys;          /* typed once the first frame is up */
	const char *ready;         /* on the screen once the keys are handled */
} golden;

static const golden cases[] = {
	/* The list, the detail and the graph side by side. */
	{ "en-120x40", 120, 40, "en", "jj", "EN  net/conn-refused" },
	{ "zh-120x40", 120, 40, "zh_CN", "jj", "中文  net/conn-refused" },
	/* The list above the detail. */
	{ "en-80x24", 80, 24, "en", "jj", "EN  net/conn-refused" },
	{ "zh-80x24", 80, 24, "zh_CN", "jj", "中文  net/conn-refused" },
	/* One pane: the list, then the detail after Tab. */
	{ "en-40x12", 40, 12, "en", "j", "EN  db/too-many" },
	{ "zh-40x12", 40, 12, "zh_CN", "j\t", "中文  db/auth-failed" },
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(s = malloc((size_t)n + 1))) {
		fclose(f);
		return NULL;
	}
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(s);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

static bool spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f) {
		perror(path);
		return false;
	}
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0 || !ok) {
		perror(path);
		return false;
	}
	return true;
}

/* What the terminal shows once the program is done drawing: wait for the
 * ready text, then until nothing more comes for a while (updating only:
 * a comparison waits for the expected screen instead). */
static char *settled(vt *t, const char *ready)
{
	long end = now_ms() + DEADLINE_MS, quiet = now_ms();

	if (!vt_wait(t, ready))
		return NULL;
	while (now_ms() < end && now_ms() - quiet < QUIET_MS)
		if (vt_pump(t, 100))
			quiet = now_ms();
	return vt_text(t);
}

static void show_diff(const char *want_path, const char *got)
{
	char got_path[] = "/tmp/errkb-golden-XXXXXX", cmd[2400];
	int fd = mkstemp(got_path);

	if (fd < 0) {
		fprintf(stderr, "screen:\n%s", got);
		return;
	}
	close(fd);
	if (spit(got_path, got)) {
		snprintf(cmd, sizeof cmd, "diff -u '%s' '%s' >&2", want_path, got_path);
		if (system(cmd) == -1)
			fprintf(stderr, "screen:\n%s", got);
	}
	unlink(got_path);
}

static bool run(const golden *g, const char *kb, const char *dir, bool update)
{
	char path[1200], lang[64];
	const char *argv[] = { getenv("ERRKB"), "--kb", kb, NULL };
	const char *env[] = { lang, NULL };
	char *want = NULL, *got = NULL;
	bool ok = false;
	long end;
	vt *t;
	int st;

	snprintf(path, sizeof path, "%s/%s.txt", dir, g->name);
	snprintf(lang, sizeof lang, "LANGUAGE=%s", g->language);
	if (!update && !(want = slurp(path))) {
		fprintf(stderr, "%s: cannot read %s (ERRKB_GOLDEN_UPDATE=1 writes it)\n", g->name, path);
		return false;
	}
	t = vt_start(g->cols, g->rows, argv, env);
	/* The first frame (the status line's language), then the keys. */
	if (!vt_wait(t, strncmp(g->language, "zh", 2) ? " EN " : " 中文 "))
		goto out;
	vt_send(t, g->keys);
	if (update) {
		if (!(got = settled(t, g->ready)))
			goto out;
		ok = spit(path, got);
		if (ok)
			printf("%s: wrote %s\n", g->name, path);
	} else {
		/* Until the screen is the expected one, or the deadline. */
		end = now_ms() + DEADLINE_MS;
		for (;;) {
			free(got);
			got = vt_text(t);
			if (!strcmp(got, want)) {
				ok = true;
				break;
			}
			if (now_ms() > end || (!vt_pump(t, 100) && !vt_alive(t)))
				break;
		}
		if (!ok) {
			fprintf(stderr, "%s: the screen differs from %s (- expected, + shown):\n",
				g->name, path);
			show_diff(path, got);
		}
	}
	vt_send(t, "q");
	st = vt_finish(t);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "%s: errkb ended with status %d\n", g->name, st);
		ok = false;
	}
out:
	if (!ok && !got)
		vt_dump(t);
	vt_free(t);
	free(want);
	free(got);
	if (ok && !update)
		printf("%s: same screen\n", g->name);
	return ok;
}

int main(void)
{
	const char *data = getenv("TESTDATA"), *src = getenv("top_srcdir");
	const char *upd = getenv("ERRKB_GOLDEN_UPDATE");
	bool update = upd && *upd && strcmp(upd, "0");
	char kb[1024], dir[1024];
	int failed = 0;

	if (!data || !src || !getenv("ERRKB")) {
		fprintf(stderr, "run through make check (TESTDATA, top_srcdir, ERRKB)\n");
		return 99;
	}
	/* The detail pane names the file a record comes from: a relative
	 * path keeps the screens the same wherever the tree is (make
	 * distcheck builds in a deeper directory). */
	if (chdir(data) != 0) {
		perror(data);
		return 99;
	}
	snprintf(kb, sizeof kb, "small");
	snprintf(dir, sizeof dir, "%s/tests/golden", src);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		failed += !run(&cases[i], kb, dir, update);
	if (failed && !update)
		fprintf(stderr, "\nIf the change is intended, write the expected screens anew:\n"
			"    ERRKB_GOLDEN_UPDATE=1 make check TESTS=tests/test_golden\n"
			"and check the diff of tests/golden before committing it.\n");
	printf("%d passed, %d failed\n", (int)(sizeof cases / sizeof *cases) - failed, failed);
	return failed ? 1 : 0;
}
