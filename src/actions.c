#include <config.h>
#include "actions.h"
#include "i18n.h"

#include <curses.h>
#include <stdio.h>

const action_info actions[ACT_COUNT] = {
#define X(e, n, h, k1, k2, k3) [e] = { n, h, { k1, k2, k3 } },
	ACTIONS(X)
#undef X
};

enum action action_for_key(int key)
{
	for (int a = 0; a < ACT_COUNT; a++)
		for (int i = 0; i < 3; i++)
			if (actions[a].keys[i] && actions[a].keys[i] == key)
				return (enum action)a;
	return ACT_NONE;
}

const char *action_key_name(int key, char *buf, int len)
{
	static const struct { int key; const char *name; } names[] = {
		{ KEY_DOWN, "Down" }, { KEY_UP, "Up" }, { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" }, { KEY_NPAGE, "PgDn" }, { KEY_PPAGE, "PgUp" },
		{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_BTAB, "Shift-Tab" },
		{ KEY_ENTER, "Enter" }, { KEY_BACKSPACE, "Backspace" }, { KEY_F(1), "F1" },
		{ '\t', "Tab" }, { '\n', "Enter" }, { '\r', "Enter" }, { ' ', "Space" },
		{ 127, "Backspace" },
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key > 0 && key < 32)
		snprintf(buf, (size_t)len, "Ctrl-%c", key + '@');
	else
		snprintf(buf, (size_t)len, "%c", key);
	return buf;
}
