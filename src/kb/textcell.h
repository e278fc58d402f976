/* Untrusted text to terminal cells, with no curses: sanitize, measure,
 * cut and wrap.  Grapheme clusters and line breaks come from ICU; the width
 * of a code point from wcwidth(), since that is what ncurses counts.
 * Every pane lays out text through here. */
#ifndef ERRKB_TEXTCELL_H
#define ERRKB_TEXTCELL_H

#include <stdbool.h>
#include <stddef.h>

/* A copy of s safe to draw (malloc'd): invalid UTF-8 becomes U+FFFD, C0
 * controls their visible pictures (ESC shows as U+241B), tabs spaces, and
 * C1 controls, bidi and other format characters and code points wcwidth()
 * rejects become U+FFFD.  Newlines are kept (wrapping breaks there). */
char *tc_clean(const char *s);
/* The same for s[0, len), into out (room for 3 * len + 1 bytes); returns
 * the bytes written (then a NUL).  A text cleaned in parts, each ending
 * before a byte that starts a character, is the text cleaned whole. */
size_t tc_clean_into(const char *s, size_t len, char *out);
/* Display width of clean text (newlines count 0). */
int tc_width(const char *clean);
int tc_width_n(const char *clean, size_t len);
/* Bytes of the longest prefix of clean[0, len) made of whole grapheme
 * clusters that fits in cols; its width in *width (may be NULL). */
size_t tc_fit(const char *clean, size_t len, int cols, int *width);
/* clean cut to at most cols columns, ending in "…" when it was cut
 * (malloc'd). */
char *tc_cut(const char *clean, int cols);
/* Bytes where the longest suffix of clean[0, len) made of whole grapheme
 * clusters that fits in cols begins; its width in *width (may be NULL).
 * Looks at the end of the text only. */
size_t tc_fit_end(const char *clean, size_t len, int cols, int *width);
/* A window of at most cols columns (3 at least) of line (untrusted: it is
 * cleaned) around its bytes [start, end), a span at character boundaries
 * (start == end: none; the window shows the line's start): cut at
 * grapheme-cluster boundaries, "…" where it was cut, the span whole when
 * it fits.  *lead gets the columns before the span in the window, *width
 * those of the span shown.  malloc'd. */
char *tc_window(const char *line, size_t start, size_t end, int cols, int *lead, int *width);

/* One display line of wrapped text: clean[off, off + len). */
typedef struct tc_span {
	size_t off, len;
	int width;
	bool cont;                 /* cut inside a word or code span: it goes on */
} tc_span;

/* Wrap clean text to cols: breaks where ICU's line breaker allows (so no
 * line starts with ，。！） and the like), at newlines, but not inside a
 * word of ASCII with punctuation in it (apt-get, ~/.ssh/config) or a
 * `code span`; inside one of these only when it is wider than a line: a
 * code span after a space in it if it can, else at a grapheme boundary,
 * the line then leaving a column for the mark that says so (cont).
 * Returns the number of lines; *lines is malloc'd. */
size_t tc_wrap(const char *clean, int cols, tc_span **lines);
/* The same, stopping after max lines: laying out a screenful of a long
 * text costs the screenful. */
size_t tc_wrap_max(const char *clean, int cols, size_t max, tc_span **lines);

/* Wrap clean[0, len) a part at a time: at most max lines from off, where
 * the previous call's *next said (0 at first); *next == len once the text
 * is done.  The lines are those tc_wrap gives: the line breaker sees the
 * text from 4 KiB before off, context enough but for runs of thousands
 * of spaces or marks.  complete says that clean[0, len) is the whole
 * text, not the part of it cleaned so far: if not, only lines the rest
 * cannot change are given (maybe none: then clean more and call again).
 * Texts longer than tc_wrap_window (ICU counts in int32_t) are wrapped a
 * window at a time. */
size_t tc_wrap_from(const char *clean, size_t len, bool complete, size_t off, int cols, size_t max,
		    tc_span **lines, size_t *next);
extern size_t tc_wrap_window;

/* Bytes the measuring and fitting functions have looked at since the
 * start: tests use it to see that layout is linear in the text. */
extern unsigned long long tc_bytes_examined;

#endif
