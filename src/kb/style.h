/* The browser's styles, in one list that feeds the enum, the [theme]
 * section's names and defaults, and the attributes used without colours.
 * No curses here: the config parser and the detail's layout use it too. */
#ifndef ERRKB_STYLE_H
#define ERRKB_STYLE_H

/* Attributes, as the config writes them. */
enum { CFG_BOLD = 1, CFG_UNDERLINE = 2, CFG_REVERSE = 4, CFG_DIM = 8 };

/* X(id, name in [theme], foreground, background (-1: the terminal's;
 * 0..255), attributes with colours, attributes without them). */
#define UI_STYLES(X) \
	X(UI_NORMAL,      "normal",      -1, -1, 0,                0) \
	X(UI_TITLE,       "title",        7,  4, 0,                CFG_REVERSE) /* white on blue */ \
	X(UI_TITLE_FOCUS, "title-focus",  0,  6, CFG_BOLD,         CFG_REVERSE | CFG_BOLD) /* black on cyan */ \
	X(UI_SEL,         "selected",     0,  3, 0,                CFG_REVERSE) /* black on yellow */ \
	X(UI_HEADING,     "heading",      3, -1, CFG_BOLD,         CFG_BOLD | CFG_UNDERLINE) \
	X(UI_LABEL,       "label",        6, -1, 0,                CFG_BOLD) \
	X(UI_MARK,        "mark",         5, -1, CFG_BOLD,         CFG_BOLD) \
	X(UI_DIM,         "dim",          4, -1, CFG_BOLD,         CFG_DIM) \
	X(UI_GOOD,        "good",         2, -1, 0,                0) \
	X(UI_BAD,         "bad",          1, -1, 0,                0) \
	X(UI_ID,          "id",           2, -1, CFG_BOLD,         CFG_BOLD) \
	X(UI_LINK,        "link",         6, -1, CFG_UNDERLINE,    CFG_UNDERLINE) \
	X(UI_STATUS,      "status",       0,  7, 0,                CFG_REVERSE) /* black on white */ \
	X(UI_BORDER,      "border",       4, -1, 0,                0) \
	X(UI_MATCH,       "match",        0,  2, CFG_BOLD,         CFG_REVERSE | CFG_BOLD) /* black on green */

enum ui_style {
#define UI_STYLE_ENUM(id, name, fg, bg, attrs, plain) id,
	UI_STYLES(UI_STYLE_ENUM)
#undef UI_STYLE_ENUM
	UI_COUNT
};

#endif
