/* Every action of the browser, defined once: its name (for rebinding and
 * the manual), its default keys and its help text.  The keymap starts from
 * this table, the config file's [keys] rebinds by name, and the help
 * screen and --dump-config show what is in force. */
#ifndef ERRKB_ACTIONS_H
#define ERRKB_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* X(enum, name, help, key...) -- keys are curses key codes, up to 3. */
#define ACTIONS(X) \
	X(ACT_HELP,      "help",          N_("Show or hide this help"),        '?', KEY_F(1), 0) \
	X(ACT_DOWN,      "move-down",     N_("Move down"),                     'j', KEY_DOWN, 0) \
	X(ACT_UP,        "move-up",       N_("Move up"),                       'k', KEY_UP, 0) \
	X(ACT_PAGE_DOWN, "page-down",     N_("Page down"),                     KEY_NPAGE, ' ', 0) \
	X(ACT_PAGE_UP,   "page-up",       N_("Page up"),                       KEY_PPAGE, 'b', 0) \
	X(ACT_FIRST,     "first",         N_("Go to the first line"),          'g', KEY_HOME, 0) \
	X(ACT_LAST,      "last",          N_("Go to the last line"),           'G', KEY_END, 0) \
	X(ACT_LEFT,      "move-left",     N_("Graph: move to the left column"), 'h', KEY_LEFT, 0) \
	X(ACT_RIGHT,     "move-right",    N_("Graph: move to the right column"), 'l', KEY_RIGHT, 0) \
	X(ACT_NEXT_PANE, "next-pane",     N_("Next pane"),                     '\t', 0, 0) \
	X(ACT_PREV_PANE, "previous-pane", N_("Previous pane"),                 KEY_BTAB, 0, 0) \
	X(ACT_ENTER,     "open",          N_("Open the record (list, graph)"), '\n', '\r', KEY_ENTER) \
	X(ACT_BACK,      "back",          N_("Back to the previous record"),   KEY_BACKSPACE, '[', 127) \
	X(ACT_FORWARD,   "forward",       N_("Forward again"),                 ']', 0, 0) \
	X(ACT_LANG,      "toggle-language", N_("Switch English / Chinese"),    'L', 0, 0) \
	X(ACT_SEARCH,    "search",        N_("Search (Enter keeps, Esc restores)"), '/', 0, 0) \
	X(ACT_NEXT_HIT,  "next-hit",      N_("Next search hit"),               'n', 0, 0) \
	X(ACT_PREV_HIT,  "previous-hit",  N_("Previous search hit"),           'N', 0, 0) \
	X(ACT_FILTER,    "filters",       N_("Filters: domain, category, tier, resolvable"), 'f', 0, 0) \
	X(ACT_CONF_UP,   "confidence-up", N_("Raise the minimum confidence by 0.05"), '+', 0, 0) \
	X(ACT_CONF_DOWN, "confidence-down", N_("Lower the minimum confidence by 0.05"), '-', 0, 0) \
	X(ACT_CONF_SET,  "confidence",    N_("Type the minimum confidence"),   'C', 0, 0) \
	X(ACT_CLEAR,     "clear",         N_("Clear all filters and the search"), 'x', 0, 0) \
	X(ACT_COPY,      "copy",          N_("Copy a command of a workaround"), 'y', 0, 0) \
	X(ACT_COPY_RECORD, "copy-record", N_("Copy the whole record as text"), 'Y', 0, 0) \
	X(ACT_OPEN_DOC,  "open-doc",      N_("Open the documentation or a source"), 'o', 0, 0) \
	X(ACT_ZOOM,      "zoom",          N_("Zoom the focused pane to the whole screen, and back"), 'z', 0, 0) \
	X(ACT_REDRAW,    "redraw",        N_("Redraw the screen"),             12 /* ^L */, 0, 0) \
	X(ACT_QUIT,      "quit",          N_("Quit (or close the help)"),      'q', 0, 0)

enum action {
	ACT_NONE = -1,
#define X(e, name, help, k1, k2, k3) e,
	ACTIONS(X)
#undef X
	ACT_COUNT
};

enum { ACTION_MAX_KEYS = 8 };

typedef struct action_info {
	const char *name, *help;
	int keys[3];               /* the defaults */
} action_info;

extern const action_info actions[ACT_COUNT];

enum action action_for_key(int key);
/* The keys in force for an action: up to ACTION_MAX_KEYS, 0-terminated
 * when fewer. */
const int *action_keys(enum action act);
/* A key's name for the help screen ("j", "Down", "PgDn", "Tab"). */
const char *action_key_name(int key, char *buf, int len);
/* The keys of an action as names, comma-separated, each name once. */
void action_key_list(enum action act, char *buf, size_t len, const char *sep);
/* ACT_NONE when no action has that name. */
enum action action_by_name(const char *name);
/* The default keymap again. */
void actions_reset(void);

struct config;
/* Apply the config's [keys]: each line gives an action its keys, taken
 * from whatever action had them.  A bad line is reported on err as
 * FILE:LINE: message and changes nothing. */
void actions_apply_config(struct config *c, FILE *err);

#endif
