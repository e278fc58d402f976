/* make bench: time from start to the first complete frame of the browser,
 * through a pseudo-terminal, on a KB (default: the deadends corpus). */
#include <config.h>
#include "vt.h"

#include <ftw.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RUNS = 5 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* rm -r of a directory errkb made (files and directories only). */
static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench_tui: could not remove %s\n", dir);
}

/* Peak RSS of process pid in KiB, -1 if unknown. */
static long peak_rss(int pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* The browser on KB, on the index in $XDG_CACHE_HOME as it is (warm),
 * in a 120x40 terminal: once its first frame is up, or NULL if it does
 * not come. */
static vt *warm_browser(const char *kb)
{
	const char *bin = ABS_TOP_BUILDDIR "/src/errkb";
	const char *args[] = { bin, "--kb", kb, NULL };
	const char *cache = getenv("XDG_CACHE_HOME");
	char env_cache[1100];
	const char *env[] = { env_cache, NULL };
	vt *v;

	snprintf(env_cache, sizeof env_cache, "XDG_CACHE_HOME=%s", cache ? cache : "");
	v = vt_start(120, 40, args, cache ? env : NULL);
	/* The status line is drawn last: the frame is complete. */
	if (!vt_wait(v, "?:help")) {
		vt_free(v);
		return NULL;
	}
	return v;
}

/* bench_tui --first-frame KB: for the scale table (tests/bench_scale.sh),
 * the median time to the first frame over 3 starts with the index in
 * $XDG_CACHE_HOME as it is (warm), and the peak RSS of the last one:
 * "MS KIB" on one line. */
static int first_frame(const char *kb)
{
	double t[3];
	long rss = -1;

	for (int i = 0; i < 3; i++) {
		double t0 = now_ms();
		vt *v = warm_browser(kb);

		if (!v)
			return 1;
		t[i] = now_ms() - t0;
		rss = peak_rss(vt_pid(v));
		vt_send(v, "q");
		vt_finish(v);
		vt_free(v);
	}
	/* The median of three. */
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (t[j] < t[i]) {
				double x = t[i];

				t[i] = t[j];
				t[j] = x;
			}
	printf("%.0f %ld\n", t[1], rss);
	return 0;
}

/* Feed output until the last row starts with text (the prompt, drawn
 * after the list): true, or false after 10 s. */
static bool prompt_shows(vt *v, const char *text)
{
	double t0 = now_ms();

	while (now_ms() - t0 < 10000) {
		if (!strncmp(vt_row(v, 39), text, strlen(text)) &&
		    (vt_row(v, 39)[strlen(text)] == ' ' || !vt_row(v, 39)[strlen(text)]))
			return true;
		if (!vt_pump(v, 5) && !vt_alive(v))
			return false;
	}
	return false;
}

/* Feed output until the list's title gives a count again (a search that
 * runs on a thread says "searching..." there): true, or false after 60 s. */
static bool results_shown(vt *v)
{
	double t0 = now_ms();

	while (now_ms() - t0 < 60000) {
		if (!strstr(vt_row(v, 0), "searching"))
			return true;
		if (!vt_pump(v, 1) && !vt_alive(v))
			return false;
	}
	return false;
}

/* The second worst of n (sorted in place): the p95 of up to 20. */
static double p95(double *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (t[j] < t[i]) {
				double x = t[i];

				t[i] = t[j];
				t[j] = x;
			}
	return t[n >= 2 ? n - 2 : 0];
}

/* bench_tui --keys KB WORD: the browser on the index in $XDG_CACHE_HOME
 * as it is (warm), its first frame up, then WORD typed in the search
 * prompt a key at a time, each once the one before has its results: the
 * time from each key to the screen showing it, and to the list showing
 * its results, and the peak RSS after: "MEAN_MS P95_MS WORST_MS KIB
 * RESULTS_MEAN_MS RESULTS_P95_MS RESULTS_WORST_MS" on one line (p95: the
 * second worst of up to 20). */
static int keys(const char *kb, const char *word)
{
	char want[256] = "/";
	double t[256], res[256], total = 0, rtotal = 0;
	size_t n = strlen(word);
	long rss;
	vt *v;

	if (n == 0 || n > 200 || !(v = warm_browser(kb)))
		return 1;
	vt_send(v, "/");
	prompt_shows(v, want);
	for (size_t i = 0; i < n; i++) {
		char key[2] = { word[i], 0 };
		double t0 = now_ms();

		/* The prompt in the status line: the key is shown there
		 * once the list it narrowed is drawn. */
		want[i + 1] = word[i];
		want[i + 2] = '\0';
		vt_send(v, key);
		if (!prompt_shows(v, want)) {
			vt_free(v);
			return 1;
		}
		t[i] = now_ms() - t0;
		total += t[i];
		if (!results_shown(v)) {
			vt_free(v);
			return 1;
		}
		res[i] = now_ms() - t0;
		rtotal += res[i];
		if (getenv("BENCH_VERBOSE"))
			fprintf(stderr, "  key '%c': %.1f ms, its results %.1f ms\n", word[i], t[i], res[i]);
	}
	rss = peak_rss(vt_pid(v));
	vt_send(v, "\033q");
	vt_finish(v);
	vt_free(v);
	{
		double kp = p95(t, n), rp = p95(res, n);

		printf("%.0f %.0f %.0f %ld %.0f %.0f %.0f\n", total / (double)n, kp, t[n - 1], rss,
		       rtotal / (double)n, rp, res[n - 1]);
	}
	return 0;
}

/* The filter dialog's first domain, its box 56 columns wide in the middle
 * of 120: its row 2 at column 34 has text. */
static bool first_domain_has(vt *v, const char *text)
{
	for (size_t i = 0; text[i]; i++) {
		int w;

		if (vt_cell(v, 2, 34 + (int)i, &w) != (unsigned char)text[i])
			return false;
	}
	return true;
}

/* Feed output until the first domain's row has text: the time it took
 * from t0 in ms, -1 after 60 s. */
static double until_row(vt *v, const char *text, double t0)
{
	while (now_ms() - t0 < 60000) {
		if (first_domain_has(v, text))
			return now_ms() - t0;
		if (!vt_pump(v, 1) && !vt_alive(v))
			return -1;
	}
	return -1;
}

/* bench_tui --dialog KB: the browser on the index in $XDG_CACHE_HOME as it
 * is (warm), its first frame up, then the filter dialog: the time from
 * the key that opens it to the dialog on screen, and to its counts on
 * screen, then from Space on its first domain to the dialog showing it
 * ticked (the list is made again before that), and the peak RSS after:
 * "OPEN_MS COUNTS_MS TOGGLE_MS KIB". */
static int dialog(const char *kb)
{
	double t0, open = -1, counts, toggle;
	long rss;
	vt *v = warm_browser(kb);

	if (!v)
		return 1;
	t0 = now_ms();
	vt_send(v, "f");
	while (now_ms() - t0 < 60000) {
		if (strstr(vt_row(v, 0), "Space toggles")) {
			open = now_ms() - t0;
			break;
		}
		if (!vt_pump(v, 1) && !vt_alive(v))
			break;
	}
	counts = until_row(v, "[ ] ", t0);
	t0 = now_ms();
	vt_send(v, " ");
	toggle = until_row(v, "[x] ", t0);
	rss = peak_rss(vt_pid(v));
	vt_send(v, "\033q");
	vt_finish(v);
	vt_free(v);
	if (open < 0 || counts < 0 || toggle < 0)
		return 1;
	printf("%.0f %.0f %.0f %ld\n", open, counts, toggle, rss);
	return 0;
}

/* First frames cold and warm, then keystrokes in the search prompt. */
static int startup_and_keys(const char *kb)
{
	const char *bin = ABS_TOP_BUILDDIR "/src/errkb";
	const char *args[] = { bin, "--kb", kb, NULL };
	char cache[] = "/tmp/errkb-bench-cache-XXXXXX", env_cache[64];
	const char *warm_env[] = { env_cache, NULL };

	/* Cold: a first start ever, the index made on the way (each vt has
	 * a cache directory of its own).  Warm: a start after another, from
	 * the index in one cache directory kept across the runs. */
	if (!mkdtemp(cache))
		return 1;
	snprintf(env_cache, sizeof env_cache, "XDG_CACHE_HOME=%s", cache);
	for (int warm = 0; warm <= 1; warm++) {
		double best = 1e9, sum = 0;

		for (int i = 0; i < RUNS + warm; i++) {
			double t0 = now_ms(), t;
			vt *t_ = vt_start(120, 40, args, warm ? warm_env : NULL);

			/* The status line is drawn last: the frame is complete. */
			if (!vt_wait(t_, "?:help")) {
				vt_free(t_);
				return 1;
			}
			t = now_ms() - t0;
			vt_send(t_, "q");
			vt_finish(t_);
			vt_free(t_);
			if (warm && i == 0)
				continue;     /* this one made the index */
			best = t < best ? t : best;
			sum += t;
		}
		printf("first frame (120x40, %s, %s): best %.0f ms, mean %.0f ms over %d runs\n",
		       kb, warm ? "warm index" : "first start, index made", best, sum / RUNS, RUNS);
	}
	remove_tree(cache);

	/* Keystrokes in the search prompt: from sending a key to the screen
	 * showing what it typed (the list narrowed first, then the prompt). */
	{
		const char *typed = "no-space-left";
		char want[64] = "/";
		double worst = 0, total = 0;
		vt *t = vt_start(120, 40, args, NULL);

		if (!vt_wait(t, "?:help"))
			return 1;
		vt_send(t, "/");
		vt_wait(t, "/");
		for (size_t i = 0; typed[i]; i++) {
			char key[2] = { typed[i], 0 };
			double t0 = now_ms(), dt;

			want[i + 1] = typed[i];
			want[i + 2] = '\0';
			vt_send(t, key);
			if (!vt_wait(t, want))
				return 1;
			dt = now_ms() - t0;
			if (getenv("BENCH_VERBOSE"))
				printf("  key '%c': %.1f ms\n", typed[i], dt);
			total += dt;
			worst = dt > worst ? dt : worst;
		}
		printf("search keystroke to redrawn screen, through the pty: mean %.1f ms, worst %.1f ms over %zu keys\n",
		       total / (double)strlen(typed), worst, strlen(typed));
		vt_send(t, "\033q");
		vt_finish(t);
		vt_free(t);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "--first-frame"))
		return first_frame(argv[2]);
	if (argc > 3 && !strcmp(argv[1], "--keys"))
		return keys(argv[2], argv[3]);
	if (argc > 2 && !strcmp(argv[1], "--dialog"))
		return dialog(argv[2]);
	return startup_and_keys(argc > 1 ? argv[1] : ABS_TOP_SRCDIR "/../shared/corpora/deadends/canons");
}
