#include <config.h>
#include "conffile.h"
#include "draw.h"
#include "textcell.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

static int attrs[UI_COUNT];

static int cfg_attrs(int a)
{
	return (a & CFG_BOLD ? A_BOLD : 0) | (a & CFG_UNDERLINE ? A_UNDERLINE : 0) |
	       (a & CFG_REVERSE ? A_REVERSE : 0) | (a & CFG_DIM ? A_DIM : 0);
}

void draw_init(bool colors, const cfg_style *theme)
{
	/* Without colours: attributes that still tell the parts apart. */
	static const int plain[UI_COUNT] = {
#define STYLE_PLAIN(id, name, fg, bg, attrs, plain) [id] = plain,
		UI_STYLES(STYLE_PLAIN)
#undef STYLE_PLAIN
	};

	if (colors) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UI_COUNT; i++) {
		bool own = theme && theme[i].set;
		cfg_style st = own ? theme[i] : cfg_default_theme[i];

		if (colors) {
			/* A colour the terminal lacks: its default instead. */
			init_pair((short)(i + 1), st.fg < COLORS ? st.fg : -1, st.bg < COLORS ? st.bg : -1);
			attrs[i] = (int)COLOR_PAIR(i + 1) | cfg_attrs(st.attrs);
		} else {
			attrs[i] = cfg_attrs(own && st.attrs ? st.attrs : plain[i]);
		}
	}
}

int draw_attr(enum ui_style s)
{
	return attrs[s];
}

static int draw_attrs(int y, int x, const char *clean, int cols, int attr)
{
	int w;
	size_t n;

	if (cols <= 0)
		return 0;
	n = tc_fit(clean, strcspn(clean, "\n"), cols, &w);
	attrset(attr);
	mvaddnstr(y, x, clean, (int)n);
	attrset(A_NORMAL);
	return w;
}

int draw_text(int y, int x, const char *clean, int cols, enum ui_style s)
{
	return draw_attrs(y, x, clean, cols, attrs[s]);
}

int draw_text_underlined(int y, int x, const char *clean, int cols, enum ui_style s)
{
	return draw_attrs(y, x, clean, cols, attrs[s] | A_UNDERLINE);
}

int draw_untrusted(int y, int x, const char *text, int cols, enum ui_style s)
{
	char *clean = tc_clean(text), *cut = tc_cut(clean, cols);
	int w = draw_text(y, x, cut, cols, s);

	free(cut);
	free(clean);
	return w;
}

void draw_fill(int y, int x, int cols, enum ui_style s)
{
	if (cols <= 0)
		return;
	attrset(attrs[s]);
	mvhline(y, x, ' ', cols);
	attrset(A_NORMAL);
}

void draw_border(int y, int x, int h, int w, enum ui_style s)
{
	if (h < 2 || w < 2)
		return;
	attrset(attrs[s]);
	mvaddstr(y, x, "┌");
	mvaddstr(y, x + w - 1, "┐");
	mvaddstr(y + h - 1, x, "└");
	mvaddstr(y + h - 1, x + w - 1, "┘");
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, "─");
		mvaddstr(y + h - 1, x + i, "─");
	}
	for (int i = 1; i < h - 1; i++) {
		mvaddstr(y + i, x, "│");
		mvaddstr(y + i, x + w - 1, "│");
	}
	attrset(A_NORMAL);
}

void draw_glyph(int y, int x, const char *glyph, enum ui_style s)
{
	attrset(attrs[s]);
	mvaddstr(y, x, glyph);
	attrset(A_NORMAL);
}

void draw_frame(int y, int x, int h, int w, const char *title, enum ui_style s)
{
	if (h < 2 || w < 2)
		return;
	for (int i = 0; i < h; i++)
		draw_fill(y + i, x, w, s);
	draw_border(y, x, h, w, s);
	if (title && title[0] && w > 6) {
		char *cut = tc_cut(title, w - 6);
		int tw = draw_text(y, x + 2, " ", 1, s);

		tw += draw_text(y, x + 2 + tw, cut, w - 6, UI_TITLE_FOCUS);
		draw_text(y, x + 2 + tw, " ", 1, s);
		free(cut);
	}
}
