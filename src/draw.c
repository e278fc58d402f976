#include <config.h>
#include "draw.h"
#include "textcell.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

static int attrs[UI_COUNT];

void draw_init(bool colors)
{
	static const struct { short fg, bg; int extra; int plain; } styles[UI_COUNT] = {
		[UI_NORMAL] = { -1, -1, 0, 0 },
		[UI_TITLE] = { COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
		[UI_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
		[UI_SEL] = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
		[UI_HEADING] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
		[UI_LABEL] = { COLOR_CYAN, -1, 0, A_BOLD },
		[UI_MARK] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
		[UI_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
		[UI_GOOD] = { COLOR_GREEN, -1, 0, 0 },
		[UI_BAD] = { COLOR_RED, -1, 0, 0 },
		[UI_ID] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
		[UI_LINK] = { COLOR_CYAN, -1, A_UNDERLINE, A_UNDERLINE },
		[UI_STATUS] = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
		[UI_BORDER] = { COLOR_BLUE, -1, 0, 0 },
		[UI_MATCH] = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
	};

	if (colors) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < UI_COUNT; i++) {
		if (colors && i != UI_NORMAL) {
			init_pair((short)i, styles[i].fg, styles[i].bg);
			attrs[i] = COLOR_PAIR(i) | styles[i].extra;
		} else {
			attrs[i] = styles[i].plain;
		}
	}
}

int draw_attr(enum ui_style s)
{
	return attrs[s];
}

int draw_text(int y, int x, const char *clean, int cols, enum ui_style s)
{
	int w;
	size_t n;

	if (cols <= 0)
		return 0;
	n = tc_fit(clean, strcspn(clean, "\n"), cols, &w);
	attrset(attrs[s]);
	mvaddnstr(y, x, clean, (int)n);
	attrset(A_NORMAL);
	return w;
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
