#include <config.h>
#include "textcell.h"
#include "textscan.h"
#include "xalloc.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

static int cp_width(UChar32 c)
{
	int w = c == '\n' ? 0 : wcwidth((wchar_t)c);

	return w < 0 ? 0 : w;
}

static size_t put_cp(char *out, size_t o, UChar32 c)
{
	int64_t n = (int64_t)o;

	U8_APPEND_UNSAFE(out, n, c);   /* c is a valid scalar value here */
	return (size_t)n;
}

size_t tc_clean_into(const char *s, size_t n, char *out)
{
	int64_t i = 0, len = (int64_t)n;
	size_t o = 0;

	while (i < len) {
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c < 0)
			c = 0xFFFD;
		else if (c == '\t')
			c = ' ';
		else if (c < 0x20 && c != '\n')
			c = 0x2400 + c;             /* control pictures: ␛ for ESC */
		else if (c == 0x7F)
			c = 0x2421;                 /* ␡ */
		else if (c != '\n' && (text_is_unsafe_cp(c) || wcwidth((wchar_t)c) < 0))
			c = 0xFFFD;
		o = put_cp(out, o, c);
	}
	out[o] = '\0';
	return o;
}

char *tc_clean(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len * 3 + 1);   /* a byte becomes at most 3 */

	tc_clean_into(s, len, out);
	return out;
}

unsigned long long tc_bytes_examined;

/* The width of clean[0, len), or of as much of it as it takes to pass
 * limit (then some value over limit): a line's worth, not the text's. */
static int width_upto(const char *clean, size_t len, int limit)
{
	int64_t i = 0, n = (int64_t)len;
	int w = 0;

	/* w stays below INT_MAX: a character adds at most 2. */
	if (limit > INT_MAX - 3)
		limit = INT_MAX - 3;
	while (i < n && w <= limit) {
		UChar32 c;

		if ((unsigned char)clean[i] < 0x80) {
			w += clean[i++] != '\n';
			continue;
		}
		U8_NEXT(clean, i, n, c);
		w += c < 0 ? 1 : cp_width(c);
	}
	tc_bytes_examined += (unsigned long long)i;
	return w;
}

int tc_width_n(const char *clean, size_t len)
{
	return width_upto(clean, len, INT_MAX);
}

int tc_width(const char *clean)
{
	return tc_width_n(clean, strlen(clean));
}

/* One break iterator of each kind, reset onto new text each time: opening
 * one costs far more than a layout. */
static UBreakIterator *iter(UBreakIteratorType type, const char *text, size_t len, UText **ut)
{
	static UBreakIterator *chars, *lines;
	UBreakIterator **it = type == UBRK_CHARACTER ? &chars : &lines;
	UErrorCode st = U_ZERO_ERROR;

	if (!*it) {
		*it = ubrk_open(type, "", NULL, 0, &st);
		if (U_FAILURE(st))
			die("ICU break iterator: %s", u_errorName(st));
	}
	*ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
	ubrk_setUText(*it, *ut, &st);
	if (U_FAILURE(st))
		die("ICU break iterator: %s", u_errorName(st));
	return *it;
}

size_t tc_fit(const char *clean, size_t len, int cols, int *width)
{
	size_t fit = 0, look = cols < 0 ? 0 : (size_t)cols + 1;
	int w = 0;
	bool ascii = true;

	/* Only what can fit is looked at (and the byte after it, which may
	 * continue the last cluster), so fitting a line of a long text costs
	 * the line, not the text. */
	for (size_t i = 0; i < len && i <= look && ascii; i++)
		ascii = (unsigned char)clean[i] < 0x80;
	tc_bytes_examined += len < look + 1 ? len : look + 1;
	if (ascii) {   /* every byte a cluster of width 1 (newline 0) */
		while (fit < len && (unsigned char)clean[fit] < 0x80 && w + (clean[fit] != '\n') <= cols)
			w += clean[fit++] != '\n';
		tc_bytes_examined += fit;
		/* Newlines (no width) led past what was checked, to a byte
		 * that is not ASCII: it may be a mark on the last character,
		 * so clusters decide after all. */
		if (fit < len && (unsigned char)clean[fit] >= 0x80) {
			ascii = false;
			fit = 0;
			w = 0;
		}
	}
	if (!ascii) {
		UText *ut;
		/* ICU counts in int32_t; a line's clusters are far shorter. */
		UBreakIterator *bi = iter(UBRK_CHARACTER, clean, len < tc_wrap_window ? len : tc_wrap_window, &ut);
		int32_t prev = 0, b;

		while ((b = ubrk_next(bi)) != UBRK_DONE) {
			int cw = tc_width_n(clean + prev, (size_t)(b - prev));

			if (w + cw > cols)
				break;
			w += cw;
			fit = (size_t)b;
			prev = b;
		}
		utext_close(ut);
	}
	if (width)
		*width = w;
	return fit;
}

size_t tc_fit_end(const char *clean, size_t len, int cols, int *width)
{
	/* Only the end is looked at: a cluster longer than this many bytes
	 * a column (none is, but in hostile text) may be cut. */
	size_t look = cols < 0 ? 0 : (size_t)cols * 64 + 64, from = len > look ? len - look : 0, fit = len;
	int w = 0;
	UText *ut;
	UBreakIterator *bi;
	int32_t next, b;

	tc_bytes_examined += len - from;
	bi = iter(UBRK_CHARACTER, clean + from, len - from, &ut);
	next = ubrk_last(bi);
	while ((b = ubrk_previous(bi)) != UBRK_DONE) {
		int cw = tc_width_n(clean + from + b, (size_t)(next - b));

		if (w + cw > cols)
			break;
		w += cw;
		fit = from + (size_t)b;
		next = b;
	}
	utext_close(ut);
	if (width)
		*width = w;
	return fit;
}

/* Append s[0, n) to the string being built at *out (room made). */
static void append(char **out, size_t *len, const char *s, size_t n)
{
	*out = xrealloc(*out, *len + n + 1);
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = '\0';
}

char *tc_window(const char *line, size_t start, size_t end, int cols, int *lead, int *width)
{
	static const char ell[] = "\xE2\x80\xA6";
	size_t n = strlen(line);
	char *pre_raw, *mid_raw, *pre, *mid, *post, *out = NULL;
	size_t lp, lm, lq, len = 0, cut;
	int wp, wm, wq, room, left, w;

	end = end < n ? end : n;
	start = start < end ? start : end;
	pre_raw = xstrndup(line, start);
	mid_raw = xstrndup(line + start, end - start);
	pre = tc_clean(pre_raw);
	mid = tc_clean(mid_raw);
	post = tc_clean(line + end);
	lp = strlen(pre);
	lm = strlen(mid);
	lq = strlen(post);
	wp = tc_width_n(pre, lp);
	wm = tc_width_n(mid, lm);
	wq = tc_width_n(post, lq);
	free(pre_raw);
	free(mid_raw);
	append(&out, &len, "", 0);
	if (cols < 3)
		cols = 3;
	if (wp + wm + wq <= cols) {
		append(&out, &len, pre, lp);
		append(&out, &len, mid, lm);
		append(&out, &len, post, lq);
		*lead = wp;
		*width = wm;
	} else if (wm + (wp > 0) + 1 >= cols) {
		/* The span alone is too wide: its start, after a mark for what
		 * comes before it. */
		if (wp > 0)
			append(&out, &len, ell, 3);
		cut = tc_fit(mid, lm, cols - (wp > 0) - 1, &w);
		append(&out, &len, mid, cut);
		append(&out, &len, ell, 3);
		*lead = wp > 0;
		*width = w;
	} else {
		/* The span whole, and as much on each side as there is room
		 * for, a side that needs less leaving the rest to the other. */
		room = cols - wm;
		left = wq <= room / 2 ? room - wq : wp <= room / 2 ? wp : room / 2;
		if (wp > left) {
			append(&out, &len, ell, 3);
			cut = tc_fit_end(pre, lp, left - 1, &w);
			append(&out, &len, pre + cut, lp - cut);
			*lead = w + 1;
		} else {
			append(&out, &len, pre, lp);
			*lead = wp;
		}
		append(&out, &len, mid, lm);
		*width = wm;
		if (wq > cols - *lead - wm) {
			cut = tc_fit(post, lq, cols - *lead - wm - 1, NULL);
			append(&out, &len, post, cut);
			append(&out, &len, ell, 3);
		} else {
			append(&out, &len, post, lq);
		}
	}
	free(pre);
	free(mid);
	free(post);
	return out;
}

char *tc_cut(const char *clean, int cols)
{
	size_t len = strlen(clean), fit;
	char *out;

	if (cols <= 0)
		return xstrdup("");
	if (tc_width_n(clean, len) <= cols && !memchr(clean, '\n', len))
		return xstrdup(clean);
	fit = tc_fit(clean, strcspn(clean, "\n"), cols - 1, NULL);
	out = xmalloc(fit + 4);
	memcpy(out, clean, fit);
	memcpy(out + fit, "\xE2\x80\xA6", 4);   /* … and NUL */
	return out;
}

typedef struct wrapper {
	tc_span *v;
	size_t n, cap;
	const char *text;
	int cols;
} wrapper;

/* Where ICU may break a line but a reader would not: inside a word of
 * ASCII with punctuation in it (a command, a path, a flag: "apt-get",
 * "~/.ssh/known_hosts", "key=value"), and inside a code span ("`sudo apt
 * install x`").  Such a text goes to the next line whole, and is cut
 * only when wider than a line, then with a mark (tc_span.cont).
 *
 * A code span is told from the text within CODE_REACH bytes of a break,
 * on its line, not from the start of the text: so wrapping resumed from
 * anywhere (tc_wrap_from) breaks where wrapping the whole does.  The
 * break is in a span when the nearest backtick before it opens one (not
 * after a letter or digit, not before a space) and the nearest after it
 * closes one (not after a space, not before a letter or digit). */
enum { CODE_REACH = 512 };

typedef struct ticks {
	const char *s;
	size_t len;                /* the text there is */
	size_t last, bscan;        /* the last ` or newline before bscan, or SIZE_MAX */
	size_t next, fscan;        /* the first at or after the last ask, or SIZE_MAX: none before fscan */
} ticks;

static bool is_tick(char c)
{
	return c == '`' || c == '\n';
}

static bool ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_graph(char c)
{
	return c > ' ' && c < 0x7F;
}

static void ticks_init(ticks *t, const char *s, size_t len, size_t lo, size_t off)
{
	size_t from = off > lo + CODE_REACH ? off - CODE_REACH : lo;

	*t = (ticks){ .s = s, .len = len, .last = SIZE_MAX, .bscan = off, .next = SIZE_MAX, .fscan = off };
	for (size_t i = off; i > from; i--)
		if (is_tick(s[i - 1])) {
			t->last = i - 1;
			break;
		}
}

/* Whether the break before s[p] is inside a code span; p never goes
 * back between calls, so that each byte is looked at a bounded number of
 * times. */
static bool in_code(ticks *t, size_t p)
{
	size_t b, f;

	for (; t->bscan < p; t->bscan++)
		if (is_tick(t->s[t->bscan]))
			t->last = t->bscan;
	b = t->last;
	if (t->next == SIZE_MAX || t->next < p) {
		if (t->fscan < p)
			t->fscan = p;
		t->next = SIZE_MAX;
		while (t->fscan < t->len && t->fscan < p + CODE_REACH)
			if (is_tick(t->s[t->fscan++])) {
				t->next = t->fscan - 1;
				break;
			}
	}
	f = t->next;
	if (b == SIZE_MAX || p - b > CODE_REACH || f == SIZE_MAX || f - p >= CODE_REACH)
		return false;
	if (t->s[b] != '`' || t->s[f] != '`')
		return false;
	/* b opens, f closes */
	return (b == 0 || !ascii_alnum(t->s[b - 1])) && t->s[b + 1] != ' ' &&
	       t->s[f - 1] != ' ' && (f + 1 >= t->len || !ascii_alnum(t->s[f + 1]));
}

/* Whether a reader would not break before s[p], where ICU may. */
static bool keep_together(ticks *t, size_t p)
{
	return (ascii_graph(t->s[p - 1]) && ascii_graph(t->s[p])) || in_code(t, p);
}

/* Whether a cut at a space, before s[p], is inside a code span (then the
 * line is marked: the command goes on); t is set up at the first cut. */
static bool cut_in_code(ticks *t, bool *on, const char *s, size_t len, size_t lo, size_t p)
{
	if (!*on) {
		ticks_init(t, s, len, lo, p);
		*on = true;
	}
	return p < len && in_code(t, p);
}

static void emit(wrapper *w, size_t from, size_t to)
{
	/* Trailing blanks may hang past the edge; they are not drawn. */
	while (to > from && (w->text[to - 1] == ' ' || w->text[to - 1] == '\n'))
		to--;
	w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n].off = from;
	w->v[w->n].len = to - from;
	w->v[w->n].width = tc_width_n(w->text + from, to - from);
	w->v[w->n].cont = false;
	w->n++;
}

size_t tc_wrap(const char *clean, int cols, tc_span **lines)
{
	return tc_wrap_max(clean, cols, (size_t)-1, lines);
}

size_t tc_wrap_max(const char *clean, int cols, size_t max, tc_span **lines)
{
	size_t next;

	return tc_wrap_from(clean, strlen(clean), true, 0, cols, max, lines, &next);
}

size_t tc_wrap_window = (size_t)1 << 30;

size_t tc_wrap_from(const char *clean, size_t len, bool complete, size_t off, int cols, size_t max,
		    tc_span **lines, size_t *next)
{
	wrapper w = { .text = clean, .cols = cols < 1 ? 1 : cols };
	size_t start = off, prev = off, ws, we = len, back, sure = (size_t)-1;
	int width = 0;
	bool cut = !complete;
	UText *ut;
	UBreakIterator *bi;
	ticks tk, tk2;           /* tk2: for the cuts at a space, which move on as breaks do */
	bool tk2_on = false;
	int32_t b;

	*next = off;
	if (off >= len || !max) {
		if (max && complete && !len) {   /* an empty text is one empty line */
			emit(&w, 0, 0);
			*next = len;
		}
		*lines = w.v;
		return w.n;
	}
	/* The line breaker sees the text from a little before off, not
	 * from its start: asked for the break after off, ICU may walk back
	 * to the start of a text of plain words and forward again (a 100 MB
	 * text took a minute).  Its rules look back a few characters, not
	 * kilobytes.  And it counts in int32_t: a text longer than
	 * tc_wrap_window is seen a window at a time. */
	back = tc_wrap_window / 4 < 4096 ? tc_wrap_window / 4 : 4096;
	ws = off > back ? off - back : 0;
	while (ws < off && U8_IS_TRAIL((uint8_t)clean[ws]))
		ws++;
	if (len - ws > tc_wrap_window) {
		we = ws + tc_wrap_window;
		while (we > off + 1 && U8_IS_TRAIL((uint8_t)clean[we]))
			we--;
		cut = true;
	}
	/* Where the text seen ends early, a break near its end may be one
	 * the rest would move: only lines whose next starts in the first
	 * three quarters are sure. */
	if (cut)
		sure = off + (we - off) / 4 * 3;
	bi = iter(UBRK_LINE, clean + ws, we - ws, &ut);
	ticks_init(&tk, clean, we, ws, off);
	for (b = ubrk_following(bi, (int32_t)(off - ws)); b != UBRK_DONE; b = ubrk_next(bi)) {
		size_t brk = ws + (size_t)b, piece = brk - prev, blank = piece;
		bool hard = ubrk_getRuleStatus(bi) >= UBRK_LINE_HARD;
		int pw, vis;

		if (!hard && brk > prev && brk < we && keep_together(&tk, brk))
			continue;

		while (blank > 0 && (clean[prev + blank - 1] == ' ' || clean[prev + blank - 1] == '\n'))
			blank--;
		/* Past a line's width, the exact width does not matter. */
		pw = width_upto(clean + prev, piece, w.cols);
		vis = width_upto(clean + prev, blank, w.cols);
		if (width > 0 && width + vis > w.cols) {
			size_t k = 0;

			/* A piece wider than a line with spaces in it (a code
			 * span; ICU's "来源: /path", no break before a slash)
			 * fills this line up to a space, rather than leave it
			 * and be cut on the next. */
			if (vis > w.cols && w.cols - width > 1)
				for (k = tc_fit(clean + prev, blank, w.cols - width - 1, NULL);
				     k > 1 && clean[prev + k - 1] != ' '; k--)
					;
			if (k > 1) {
				emit(&w, start, prev + k);
				w.v[w.n - 1].cont = cut_in_code(&tk2, &tk2_on, clean, we, ws, prev + k);
				prev += k;
				piece -= k;
				blank -= k;
				pw = width_upto(clean + prev, piece, w.cols);
				vis = width_upto(clean + prev, blank, w.cols);
			} else {
				emit(&w, start, prev);
			}
			start = prev;
			width = 0;
			if (w.n >= max)
				break;
		}
		/* A piece wider than a whole line: split it between clusters.
		 * What is pending before it has no width (zero-width marks):
		 * it goes on the first of these lines, not lost. */
		while (vis > w.cols && w.n < max) {
			int fw;
			/* A column for the mark that says the text goes on. */
			size_t fit = tc_fit(clean + prev, blank, w.cols > 1 ? w.cols - 1 : 1, &fw);
			bool marked = fit > 0;

			/* Words kept together (a code span; ICU's own "see
			 * /path", no break before a slash) are cut after a
			 * space in them if there is one: marked only inside a
			 * code span. */
			for (size_t k = fit; k > 1; k--)
				if (clean[prev + k - 1] == ' ') {
					fit = k;
					marked = cut_in_code(&tk2, &tk2_on, clean, we, ws, prev + k);
					break;
				}

			if (!fit) {   /* a cluster wider than the line: one per line */
				UText *one_ut;
				UBreakIterator *ci = iter(UBRK_CHARACTER, clean + prev,
							  blank < tc_wrap_window ? blank : tc_wrap_window, &one_ut);
				int32_t one = ubrk_next(ci);

				utext_close(one_ut);
				if (one <= 0) {
					one = 0;
					U8_FWD_1_UNSAFE(clean + prev, one);
				}
				fit = (size_t)one;
				fw = tc_width_n(clean + prev, fit);
			}
			emit(&w, start, prev + fit);
			w.v[w.n - 1].cont = marked;
			prev += fit;
			start = prev;
			piece -= fit;
			blank -= fit;
			/* A line's worth of the rest, not all of it again (which
			 * made a long piece quadratic). */
			pw = width_upto(clean + prev, piece, w.cols);
			vis = width_upto(clean + prev, blank, w.cols);
		}
		if (w.n >= max)
			break;
		width += pw;
		prev = brk;
		if (hard && clean[prev - 1] == '\n') {
			emit(&w, start, prev);
			start = prev;
			width = 0;
			if (w.n >= max)
				break;
		}
	}
	utext_close(ut);
	if (!cut) {
		if (w.n < max && start < len) {
			emit(&w, start, len);
			start = len;
		}
	} else {
		/* Drop the lines that are not sure; line i's next starts
		 * where line i + 1 does, the last one's at start. */
		size_t keep = w.n;

		while (keep > 0 && (keep < w.n ? w.v[keep].off : start) > sure)
			keep--;
		/* All the text there is, and still no sure line: a line of
		 * most of a window's bytes (zero-width marks).  Take it. */
		if (!keep && complete && w.n)
			keep = 1;
		if (keep < w.n)
			start = w.v[keep].off;
		w.n = keep;
		if (!w.n && complete) {
			emit(&w, off, we);
			start = we;
		}
	}
	*next = start;
	*lines = w.v;
	return w.n;
}
