/* Putting clean text on the screen: styles (colour or plain attributes),
 * and text drawn by display width, never past its room. */
#ifndef ERRKB_DRAW_H
#define ERRKB_DRAW_H

#include <stdbool.h>

#include "style.h"

struct cfg_style;
/* Colours when the terminal has them and NO_COLOR is not set; theme (one
 * per style, or NULL) overrides the built-in ones.  Without colours only a
 * theme's attributes apply. */
void draw_init(bool colors, const struct cfg_style *theme);
int draw_attr(enum ui_style s);
/* Draw clean text at (y, x) in at most cols columns; returns the columns
 * used.  Whole grapheme clusters only: a wide character that would not fit
 * is left out, so nothing spills into the next pane. */
int draw_text(int y, int x, const char *clean, int cols, enum ui_style s);
/* The same with the style underlined too: what a log line matched shows
 * apart from a search hit, and without colours. */
int draw_text_underlined(int y, int x, const char *clean, int cols, enum ui_style s);
/* Untrusted text: cleaned, then cut with … to fit. */
int draw_untrusted(int y, int x, const char *text, int cols, enum ui_style s);
void draw_fill(int y, int x, int cols, enum ui_style s);
/* A dialog's box at (y, x), h rows and w columns: cleared in style s (no
 * text of the panes shows through), a border around, the title (clean
 * text) on the top border.  Its inside is rows y + 1 to y + h - 2,
 * columns x + 1 to x + w - 2. */
void draw_frame(int y, int x, int h, int w, const char *title, enum ui_style s);
/* The border alone, with nothing cleared inside. */
void draw_border(int y, int x, int h, int w, enum ui_style s);
/* One character cell of a line drawing ("─", "▶"), in style s. */
void draw_glyph(int y, int x, const char *glyph, enum ui_style s);

#endif
