/* A storm of input: random keys (the browser's actions, control keys,
 * escape sequences whole, cut short and garbled, mouse reports inside and
 * outside the screen, pasted Chinese and long text, invalid UTF-8), the
 * picker, the prompts and the dialogs opened and closed, and resizes from
 * 1x1 to 300x100, all mixed.  errkb must take every event without a
 * crash, a sanitizer finding or a hang, quit when asked, with status 0,
 * and leave the terminal as it found it.
 *
 * ERRKB_STORM_EVENTS  events per KB (default 1000; make check runs the
 *                     small test KB and the shipped one)
 * ERRKB_STORM_SEED    the seed (default: from the clock; always printed)
 * ERRKB_STORM_KB      one KB only, instead of the two
 * ERRKB_STORM_VERBOSE the screen on stderr at each check (every 100 events)
 *
 * A seed gives the same events again; what errkb has drawn when each one
 * arrives depends on timing, so a finding may need a few runs to recur.
 * Copy helpers and the documentation opener are fakes that swallow their
 * input: nothing leaves the test. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vt.h"

/* How long errkb may take to read what was typed and finish drawing
 * before it counts as hung: far beyond a sanitizer build on a loaded
 * machine. */
enum { HANG_MS = 60000, QUIET_MS = 300, CHECK_EVERY = 100, RING = 24 };

static uint64_t rng;
static bool verbose;           /* ERRKB_STORM_VERBOSE: the screen at each check */

static uint64_t next(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return n ? (unsigned)(next() % n) : 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- events ---- */

typedef struct buf {
	char s[8192];
	size_t n;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->n + n > sizeof b->s)
		n = sizeof b->s - b->n;
	memcpy(b->s + b->n, s, n);
	b->n += n;
}

static void puts_(buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void put_utf8(buf *b, unsigned c)
{
	char o[4];
	size_t n;

	if (c < 0x80) { o[0] = (char)c; n = 1; }
	else if (c < 0x800) { o[0] = (char)(0xC0 | c >> 6); o[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
	else if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12); o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F)); n = 3;
	} else {
		o[0] = (char)(0xF0 | c >> 18); o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((c >> 6) & 0x3F)); o[3] = (char)(0x80 | (c & 0x3F)); n = 4;
	}
	put(b, o, n);
}

/* Printable ASCII but q, which would quit (in a prompt it is text, but
 * the storm cannot know whether one is open). */
static char ascii(void)
{
	char c;

	do
		c = (char)(' ' + below(95));
	while (c == 'q');
	return c;
}

/* A byte that is neither q nor one the terminal acts on itself (^C, ^\\
 * and ^Z signal, ^S and ^Q are flow control). */
static char safe(char c)
{
	return c == 'q' || c == 3 || c == 17 || c == 19 || c == 26 || c == 28 ? (char)(c + 1) : c;
}

/* The browser's keys, q aside, and what its prompts take. */
static const char action_keys[] = "jkgGhlbfyYLCxno/?[]nN+- \t\r\n0123456789.";

/* Control keys that are not the terminal's own (see safe). */
static const char ctrl_keys[] = { 0, 1, 2, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 18, 20,
				  21, 22, 23, 24, 25, 29, 30, 31, 127 };

static const char *const sequences[] = {
	"\033[A", "\033[B", "\033[C", "\033[D", "\033OA", "\033OB", "\033OC", "\033OD",
	"\033[5~", "\033[6~", "\033[H", "\033[F", "\033[1~", "\033[4~", "\033OH", "\033OF",
	"\033[2~", "\033[3~", "\033[Z", "\033OP", "\033OQ", "\033OR", "\033OS",
	"\033[15~", "\033[17~", "\033[18~", "\033[19~", "\033[20~", "\033[21~", "\033[23~",
	"\033[24~", "\033[1;5A", "\033[1;2B", "\033[1;3C", "\033[1;5D", "\033[5;5~",
	/* cut short, garbled, too long, or not keys at all */
	"\033[", "\033O", "\033[1;", "\033[<", "\033[<0;", "\033[<0;5", "\033[M", "\033[M ",
	"\033[99999999999999999999~", "\033[-1;-1H", "\033[;;;;;;;;;;;;;;;;;;;;;A",
	"\033[?1049h", "\033]0;title\007", "\033]52;c;Zm9v\033\\", "\033P1$r\033\\", "\033[200~",
	"\033[201~", "\033\033", "\033\033[A", "\033[I", "\033[O", "\033[0n", "\033[24;80R",
	"\033[>0;0;0c", "\033[1;1R",
};

static void ev_action(buf *b)
{
	unsigned n = 1 + below(4);

	for (unsigned i = 0; i < n; i++)
		put(b, &action_keys[below(sizeof action_keys - 1)], 1);
}

static void ev_ctrl(buf *b)
{
	put(b, &ctrl_keys[below(sizeof ctrl_keys)], 1);
}

static void ev_sequence(buf *b)
{
	puts_(b, sequences[below(sizeof sequences / sizeof *sequences)]);
}

static void ev_alt(buf *b)
{
	char s[2] = { '\033', ascii() };

	put(b, s, 2);
}

static void ev_garbage(buf *b)
{
	/* A CSI with random parameters and a random final byte, or bytes. */
	if (below(2)) {
		puts_(b, "\033[");
		for (unsigned i = below(12); i > 0; i--) {
			char c = "0123456789;:<=>?"[below(16)];

			put(b, &c, 1);
		}
		{
			char f = (char)(0x40 + below(0x3F));

			if (f != 'q')
				put(b, &f, 1);
		}
	} else {
		for (unsigned i = 1 + below(8); i > 0; i--) {
			char c = safe((char)below(256));

			put(b, &c, 1);
		}
	}
}

/* A coordinate: mostly on a screen of cols, sometimes just off it, at 0,
 * or far away. */
static int coord(int size)
{
	switch (below(10)) {
	case 0: return 0;
	case 1: return size + 1 + (int)below(3);
	case 2: return (int)below(100000);
	default: return 1 + (int)below((unsigned)size);
	}
}

static void ev_mouse(buf *b, int cols, int rows)
{
	static const int buttons[] = { 0, 1, 2, 3, 32, 35, 64, 65, 66, 67, 4, 8, 16, 96, 128, 255 };
	int btn = buttons[below(sizeof buttons / sizeof *buttons)];
	int x = coord(cols), y = coord(rows);

	if (below(8) == 0) {
		/* The old X10 report: three bytes, which may not be UTF-8. */
		char s[6] = { '\033', '[', 'M', (char)(32 + (btn & 0xFF)), (char)(32 + (x & 0xFF)),
			      (char)(32 + (y & 0xFF)) };

		/* The bytes reach the terminal first, and errkb as keys should
		 * the report not be taken as one. */
		for (int i = 3; i < 6; i++)
			s[i] = safe(s[i]);
		put(b, s, 6);
		return;
	}
	putf(b, "\033[<%d;%d;%d%c", btn, x, y, below(2) ? 'M' : 'm');
	if (btn < 3 && below(2))     /* a click: press and release */
		putf(b, "\033[<%d;%d;%dm", btn, x, y);
}

static void ev_paste(buf *b)
{
	bool bracketed = below(2);
	unsigned n = below(4) == 0 ? 200 + below(2500) : 1 + below(40);

	if (bracketed)
		puts_(b, "\033[200~");
	for (unsigned i = 0; i < n && b->n + 16 < sizeof b->s; i++) {
		switch (below(8)) {
		case 0: case 1: case 2:
			put_utf8(b, 0x4E00 + below(0x9FFF - 0x4E00));   /* CJK */
			break;
		case 3:
			/* full-width forms and CJK punctuation */
			put_utf8(b, below(2) ? 0xFF01 + below(0x5E) : 0x3000 + below(0x40));
			break;
		case 4:
			if (below(20) == 0) {
				/* invalid UTF-8: a lone continuation, a cut sequence */
				static const char *const bad[] = { "\x80", "\xC3", "\xE4\xB8", "\xFF", "\xF0\x9F" };

				puts_(b, bad[below(5)]);
			} else {
				put_utf8(b, 0x1F300 + below(0x300));          /* emoji */
			}
			break;
		default: {
			char c = ascii();

			put(b, &c, 1);
		}
		}
	}
	if (bracketed)
		puts_(b, "\033[201~");
}

/* ---- the run ---- */

typedef struct storm {
	vt *t;
	const char *kb;
	uint64_t seed;
	long events;
	int cols, rows;
	char dir[64];             /* fake helpers, sanitizer logs, copies */
	char ring[RING][96];      /* the last events, for a report */
	long ring_at;
	int sgr;                  /* see follow_sgr */
} storm;

/* Whether what was sent leaves an SGR mouse report open: ESC [ < and no
 * final byte (0x40-0x7E) yet.  ncurses reads the rest of such a report
 * with a blocking read(), one byte at a time, skipping control bytes and
 * ending at the first final byte, as a report split by the network must
 * be waited for.  A terminal always finishes its reports; the storm cuts
 * some short, and should one be open at the end, the Esc Esc Esc q that
 * closes the run would go into it.  So the run ends by finishing it, as
 * the terminal's late bytes would. */
enum { SGR_NONE, SGR_ESC, SGR_CSI, SGR_OPEN };

static void follow_sgr(storm *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (s->sgr == SGR_OPEN)
			s->sgr = c >= 0x40 && c <= 0x7E ? SGR_NONE : SGR_OPEN;
		else if (c == 0x1B)
			s->sgr = SGR_ESC;
		else if (s->sgr == SGR_ESC && c == '[')
			s->sgr = SGR_CSI;
		else if (s->sgr == SGR_CSI && c == '<')
			s->sgr = SGR_OPEN;
		else
			s->sgr = SGR_NONE;
	}
}

static void note(storm *s, long i, const char *what, const buf *b)
{
	char *o = s->ring[i % RING];
	size_t n = (size_t)snprintf(o, 96, "#%ld %s ", i, what);

	for (size_t k = 0; b && k < b->n && n + 5 < 96; k++) {
		unsigned char c = (unsigned char)b->s[k];

		if (c >= 0x20 && c < 0x7F)
			o[n++] = (char)c;
		else
			n += (size_t)snprintf(o + n, 96 - n, "\\x%02X", c);
	}
	o[n < 96 ? n : 95] = '\0';
	s->ring_at = i;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

/* Sanitizer reports, written to log files in dir: printed, and counted. */
static int findings(storm *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[400], line[512];
		FILE *f;

		if (strncmp(e->d_name, "san.", 4))
			continue;
		n++;
		snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
		fprintf(stderr, "---- %s\n", path);
		if ((f = fopen(path, "r"))) {
			while (fgets(line, sizeof line, f))
				fputs(line, stderr);
			fclose(f);
		}
	}
	closedir(d);
	return n;
}

static void report(storm *s, long at, const char *what)
{
	fprintf(stderr, "\nFINDING: %s\n  KB %s, seed %llu, noticed at event %ld of %ld (errkb may lag behind what was sent), terminal %dx%d\n"
		"  again: ERRKB_STORM_SEED=%llu ERRKB_STORM_EVENTS=%ld ERRKB_STORM_KB=%s\n"
		"  the last events:\n", what, s->kb, (unsigned long long)s->seed, at, s->events,
		s->cols, s->rows, (unsigned long long)s->seed, s->events, s->kb);
	for (long i = s->ring_at - RING + 1; i <= s->ring_at; i++)
		if (i >= 0)
			fprintf(stderr, "    %s\n", s->ring[i % RING]);
	if (!vt_alive(s->t)) {
		int st = vt_finish(s->t);
		size_t n;
		const char *raw = vt_raw(s->t, &n);
		size_t from = n > 600 ? n - 600 : 0;

		if (WIFEXITED(st))
			fprintf(stderr, "  errkb exited with status %d\n", WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			fprintf(stderr, "  errkb was killed by signal %d\n", WTERMSIG(st));
		fprintf(stderr, "  its last output: ");
		for (size_t k = from; k < n; k++) {
			unsigned char c = (unsigned char)raw[k];

			if (c >= 0x20 && c < 0x7F)
				fputc(c, stderr);
			else if (c == '\n')
				fputs("\\n\n    ", stderr);
			else
				fprintf(stderr, "\\x%02X", c);
		}
		fputc('\n', stderr);
	}
	vt_dump(s->t);
	findings(s);
}

/* A SIGSEGV, so that the sanitizer says where errkb was, then the
 * report. */
static void hung(storm *s, long at, const char *what)
{
	kill(vt_pid(s->t), SIGSEGV);
	vt_finish(s->t);
	report(s, at, what);
}

/* Wait until errkb has read all that was typed and drawn it: false, and
 * reported, when it ended, or did not within HANG_MS (then it gets a
 * SIGSEGV, so that the sanitizer prints where it was). */
static bool settle(storm *s, long at)
{
	long end = now_ms() + HANG_MS, quiet = now_ms();

	for (;;) {
		if (vt_pump(s->t, 50))
			quiet = now_ms();
		if (!vt_alive(s->t)) {
			report(s, at, "errkb ended");
			return false;
		}
		if (vt_pending_input(s->t) == 0 && now_ms() - quiet >= QUIET_MS)
			return true;
		if (now_ms() > end) {
			hung(s, at, "errkb hung: it neither read its input nor finished drawing");
			return false;
		}
	}
}

static void write_exe(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, 0755) != 0) {
		perror(path);
		exit(99);
	}
}

/* The last of the private modes set (h) or reset (l) for mode, in the
 * output: 'h', 'l', or 0 when never touched. */
static char last_mode(const char *raw, size_t n, const char *mode)
{
	char last = 0;
	size_t ml = strlen(mode);

	for (size_t i = 0; i + 3 < n; i++) {
		size_t j;

		if (raw[i] != '\033' || raw[i + 1] != '[' || raw[i + 2] != '?')
			continue;
		/* ESC [ ? a;b;c h|l : each parameter in turn */
		for (j = i + 3; j < n && ((raw[j] >= '0' && raw[j] <= '9') || raw[j] == ';'); j++)
			;
		if (j >= n || (raw[j] != 'h' && raw[j] != 'l'))
			continue;
		for (size_t p = i + 3; p < j; ) {
			size_t q = p;

			while (q < j && raw[q] != ';')
				q++;
			if (q - p == ml && !memcmp(raw + p, mode, ml))
				last = raw[j];
			p = q + 1;
		}
	}
	return last;
}

/* The terminal as errkb found it: the normal screen, no mouse reports,
 * the cursor shown, cursor keys and keypad back to normal, and the line
 * discipline's modes back. */
static bool terminal_restored(storm *s)
{
	static const struct { const char *mode, *what; char want; } modes[] = {
		{ "1049", "the alternate screen", 'l' }, { "1000", "mouse reports", 'l' },
		{ "1002", "mouse drag reports", 'l' }, { "1003", "mouse motion reports", 'l' },
		{ "1006", "SGR mouse reports", 'l' }, { "1", "application cursor keys", 'l' },
		{ "25", "the cursor", 'h' },
	};
	size_t n;
	const char *raw = vt_raw(s->t, &n);
	struct termios tio;
	bool ok = true;

	if (!last_mode(raw, n, "1049")) {
		fprintf(stderr, "the alternate screen was never entered and left\n");
		ok = false;
	}
	for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
		char m = last_mode(raw, n, modes[i].mode);

		if (m && m != modes[i].want) {
			fprintf(stderr, "at exit, %s (mode %s) was left %s\n", modes[i].what,
				modes[i].mode, m == 'h' ? "set" : "reset");
			ok = false;
		}
	}
	/* Keypad transmit (ESC =) undone by ESC > */
	for (size_t i = n; i-- > 1; ) {
		if (raw[i - 1] == '\033' && (raw[i] == '=' || raw[i] == '>')) {
			if (raw[i] == '=') {
				fprintf(stderr, "at exit, the keypad was left in application mode\n");
				ok = false;
			}
			break;
		}
	}
	if (!vt_termios(s->t, &tio)) {
		fprintf(stderr, "cannot read the terminal's modes\n");
		ok = false;
	} else if ((tio.c_lflag & (ICANON | ECHO | ISIG)) != (ICANON | ECHO | ISIG)) {
		fprintf(stderr, "at exit, the terminal was left without%s%s%s\n",
			tio.c_lflag & ICANON ? "" : " ICANON", tio.c_lflag & ECHO ? "" : " ECHO",
			tio.c_lflag & ISIG ? "" : " ISIG");
		ok = false;
	}
	return ok;
}

/* How often errkb ran a (fake) helper, and sent a copy by OSC 52: the
 * picker and the copy keys did their work. */
static long helper_runs(storm *s)
{
	char path[128], line[64];
	long n = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/helpers.log", s->dir);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof line, f))
			n++;
		fclose(f);
	}
	return n;
}

static long osc52s(storm *s)
{
	size_t n;
	const char *raw = vt_raw(s->t, &n);
	long count = 0;

	for (size_t i = 0; i + 5 <= n; i++)
		count += !memcmp(raw + i, "\033]52;", 5);
	return count;
}

static bool run(const char *errkb, const char *kb, uint64_t seed, long events)
{
	storm s = { .kb = kb, .seed = seed, .events = events, .cols = 80, .rows = 24 };
	char path_env[160], asan_env[1024], ubsan_env[1024], runtime_env[128], fake[128];
	const char *argv[] = { errkb, "--kb", kb, NULL };
	const char *env[] = { path_env, asan_env, ubsan_env, runtime_env, "DISPLAY=:99",
			      "WAYLAND_DISPLAY=wayland-99", "TMUX=/nonexistent/tmux,1,0", NULL };
	static const char *const helpers[] = { "xclip", "xsel", "wl-copy", "tmux", "pbcopy",
					       "xdg-open", "open" };
	const char *a = getenv("ASAN_OPTIONS"), *u = getenv("UBSAN_OPTIONS");
	long counts[9] = { 0 };
	bool ok = true;
	int st;

	rng = seed;
	snprintf(s.dir, sizeof s.dir, "/tmp/errkb-storm-XXXXXX");
	if (!mkdtemp(s.dir)) {
		perror("mkdtemp");
		return false;
	}
	/* Helpers that take what they are given and do nothing with it. */
	snprintf(fake, sizeof fake, "%s/bin", s.dir);
	if (mkdir(fake, 0700) != 0) {
		perror(fake);
		return false;
	}
	for (size_t i = 0; i < sizeof helpers / sizeof *helpers; i++) {
		char p[200], text[300];

		snprintf(p, sizeof p, "%s/%s", fake, helpers[i]);
		snprintf(text, sizeof text, "#!/bin/sh\necho %s >>'%s/helpers.log'\nexec /bin/cat >/dev/null\n",
			 helpers[i], s.dir);
		write_exe(p, text);
	}
	snprintf(path_env, sizeof path_env, "PATH=%s", fake);
	snprintf(runtime_env, sizeof runtime_env, "XDG_RUNTIME_DIR=%s", s.dir);
	/* Sanitizer reports into files, not onto the screen being read. */
	snprintf(asan_env, sizeof asan_env, "ASAN_OPTIONS=%s%slog_path=%s/san", a ? a : "",
		 a && *a ? ":" : "", s.dir);
	snprintf(ubsan_env, sizeof ubsan_env, "UBSAN_OPTIONS=%s%slog_path=%s/san", u ? u : "",
		 u && *u ? ":" : "", s.dir);

	printf("storm: %s, %ld events, seed %llu\n", kb, events, (unsigned long long)seed);
	fflush(stdout);
	s.t = vt_start(s.cols, s.rows, argv, env);
	if (!vt_wait(s.t, "/")) {         /* the first frame: the list's count */
		report(&s, 0, "no first frame");
		ok = false;
		goto out;
	}
	for (long i = 0; i < events && ok; i++) {
		buf b = { .n = 0 };
		unsigned kind = below(100);
		const char *what;

		if (kind < 30) {
			ev_action(&b); what = "keys"; counts[0]++;
		} else if (kind < 36) {
			ev_ctrl(&b); what = "ctrl"; counts[1]++;
		} else if (kind < 50) {
			ev_sequence(&b); what = "sequence"; counts[2]++;
		} else if (kind < 54) {
			ev_alt(&b); what = "alt"; counts[3]++;
		} else if (kind < 60) {
			ev_garbage(&b); what = "garbage"; counts[4]++;
		} else if (kind < 76) {
			ev_mouse(&b, s.cols, s.rows); what = "mouse"; counts[5]++;
		} else if (kind < 82) {
			ev_paste(&b); what = "paste"; counts[6]++;
		} else if (kind < 84) {
			/* Esc alone: after it, a pause longer than the escape delay. */
			puts_(&b, "\033"); what = "esc"; counts[7]++;
		} else {
			switch (below(5)) {
			case 0: s.cols = 1 + (int)below(6); s.rows = 1 + (int)below(6); break;
			case 1: s.cols = 250 + (int)below(51); s.rows = 80 + (int)below(21); break;
			case 2: s.cols = 300; s.rows = 100; break;
			default: s.cols = 1 + (int)below(300); s.rows = 1 + (int)below(100); break;
			}
			note(&s, i, "resize", NULL);
			snprintf(s.ring[i % RING] + strlen(s.ring[i % RING]),
				 96 - strlen(s.ring[i % RING]), "%dx%d", s.cols, s.rows);
			vt_resize(s.t, s.cols, s.rows);
			counts[8]++;
			goto check;
		}
		note(&s, i, what, &b);
		follow_sgr(&s, b.s, b.n);
		if (!vt_send_n(s.t, b.s, b.n)) {
			if (vt_alive(s.t))
				hung(&s, i, "errkb hung: it stopped reading its input");
			else
				report(&s, i, "errkb ended");
			ok = false;
			break;
		}
		if (kind >= 82 && kind < 84)
			vt_pump(s.t, 40);
check:
		vt_pump(s.t, 0);
		if (!vt_alive(s.t)) {
			report(&s, i, "errkb ended");
			ok = false;
		} else if ((i + 1) % CHECK_EVERY == 0 || i + 1 == events) {
			ok = settle(&s, i);
			if (ok && verbose)
				vt_show(s.t);
		}
	}
	if (!ok)
		goto out;
	if (s.sgr == SGR_OPEN) {
		vt_send(s.t, "M");
		if (!settle(&s, events)) {
			ok = false;
			goto out;
		}
	}
	/* Close whatever is open (help, prompt, dialog, picker): three Esc
	 * do it.  Then q must end errkb, at once (vt_finish waits for it). */
	for (int k = 0; k < 3 && vt_alive(s.t); k++) {
		vt_send(s.t, "\033");
		if (!settle(&s, events)) {
			ok = false;     /* reported */
			goto out;
		}
	}
	vt_send(s.t, "q");
	{
		long end = now_ms() + HANG_MS;

		while (vt_alive(s.t) && now_ms() < end)
			vt_pump(s.t, 50);
	}
	if (vt_alive(s.t)) {
		hung(&s, events, "Esc Esc Esc q did not quit");
		ok = false;
		goto out;
	}
	st = vt_finish(s.t);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char what[80];

		snprintf(what, sizeof what, "errkb did not quit cleanly (wait status %d)", st);
		report(&s, events, what);
		ok = false;
	} else if (!terminal_restored(&s)) {
		report(&s, events, "the terminal was not restored");
		ok = false;
	} else if (findings(&s)) {
		report(&s, events, "sanitizer findings");
		ok = false;
	}
	printf("  keys %ld, control %ld, sequences %ld, alt %ld, garbage %ld, mouse %ld, "
	       "pastes %ld, esc %ld, resizes %ld; copy helpers and openers run %ld times, "
	       "OSC 52 sent %ld times: %s\n", counts[0], counts[1], counts[2],
	       counts[3], counts[4], counts[5], counts[6], counts[7], counts[8],
	       helper_runs(&s), osc52s(&s), ok ? "no finding" : "FAILED");
out:
	vt_free(s.t);
	if (ok)
		nftw(s.dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	else
		fprintf(stderr, "kept %s (logs, copies)\n", s.dir);
	return ok;
}

int main(void)
{
	const char *errkb = getenv("ERRKB"), *data = getenv("TESTDATA"), *src = getenv("top_srcdir");
	const char *e;
	char small[1024], shipped[1024];
	uint64_t seed;
	long events = 1000;
	bool ok = true;

	if (!errkb || !data || !src) {
		fprintf(stderr, "run through make check (ERRKB, TESTDATA, top_srcdir)\n");
		return 99;
	}
	if ((e = getenv("ERRKB_STORM_EVENTS")) && *e)
		events = strtol(e, NULL, 10);
	if ((e = getenv("ERRKB_STORM_SEED")) && *e)
		seed = strtoull(e, NULL, 10);
	else
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	verbose = (e = getenv("ERRKB_STORM_VERBOSE")) && *e && strcmp(e, "0");
	/* Writes to a terminal that is gone must not end the test. */
	signal(SIGPIPE, SIG_IGN);
	snprintf(small, sizeof small, "%s/small", data);
	snprintf(shipped, sizeof shipped, "%s/data/kb", src);
	if ((e = getenv("ERRKB_STORM_KB")) && *e) {
		ok = run(errkb, e, seed, events);
	} else {
		ok = run(errkb, small, seed, events);
		ok = run(errkb, shipped, seed + 1, events) && ok;
	}
	return ok ? 0 : 1;
}
