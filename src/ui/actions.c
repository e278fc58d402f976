#include <config.h>
#include "actions.h"
#include "conffile.h"
#include "i18n.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const action_info actions[ACT_COUNT] = {
#define X(e, n, h, k1, k2, k3) [e] = { n, h, { k1, k2, k3 } },
	ACTIONS(X)
#undef X
};

static int keymap[ACT_COUNT][ACTION_MAX_KEYS];
static bool keymap_ready;

void actions_reset(void)
{
	memset(keymap, 0, sizeof keymap);
	for (int a = 0; a < ACT_COUNT; a++)
		memcpy(keymap[a], actions[a].keys, sizeof actions[a].keys);
	keymap_ready = true;
}

const int *action_keys(enum action act)
{
	if (!keymap_ready)
		actions_reset();
	return keymap[act];
}

enum action action_for_key(int key)
{
	if (!keymap_ready)
		actions_reset();
	for (int a = 0; a < ACT_COUNT; a++)
		for (int i = 0; i < ACTION_MAX_KEYS && keymap[a][i]; i++)
			if (keymap[a][i] == key)
				return (enum action)a;
	return ACT_NONE;
}

enum action action_by_name(const char *name)
{
	for (int a = 0; a < ACT_COUNT; a++)
		if (!strcmp(actions[a].name, name))
			return (enum action)a;
	return ACT_NONE;
}

/* Named keys; a name with several codes (Enter, Backspace) binds them all,
 * as terminals differ in which one they send. */
static const struct { int key; const char *name; } names[] = {
	{ KEY_DOWN, "Down" }, { KEY_UP, "Up" }, { KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" }, { KEY_NPAGE, "PgDn" }, { KEY_PPAGE, "PgUp" },
	{ KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_BTAB, "Shift-Tab" },
	{ KEY_ENTER, "Enter" }, { '\n', "Enter" }, { '\r', "Enter" },
	{ KEY_BACKSPACE, "Backspace" }, { 127, "Backspace" },
	{ KEY_DC, "Delete" }, { KEY_IC, "Insert" },
	{ '\t', "Tab" }, { ' ', "Space" }, { 27, "Esc" },
};

const char *action_key_name(int key, char *buf, int len)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, (size_t)len, "F%d", key - KEY_F0);
	else if (key > 0 && key < 32)
		snprintf(buf, (size_t)len, "Ctrl-%c", key + '@');
	else
		snprintf(buf, (size_t)len, "%c", key);
	return buf;
}

void action_key_list(enum action act, char *buf, size_t len, const char *sep)
{
	const int *k = action_keys(act);
	char one[16];

	buf[0] = '\0';
	for (int j = 0; j < ACTION_MAX_KEYS && k[j]; j++) {
		const char *name = action_key_name(k[j], one, sizeof one);
		bool seen = false;

		/* Enter and Backspace have several codes, one name. */
		for (int i = 0; i < j; i++)
			seen = seen || !strcmp(action_key_name(k[i], (char[16]){ 0 }, 16), name);
		if (!seen)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? sep : "", name);
	}
}

/* The codes of a key name into codes[]; how many, 0 when unknown. */
static int parse_key(const char *s, int *codes, int max)
{
	int n = 0;

	if (s[0] > ' ' && s[0] < 127 && !s[1]) {
		codes[0] = s[0];
		return 1;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names && n < max; i++)
		if (!strcasecmp(s, names[i].name))
			codes[n++] = names[i].key;
	if (n)
		return n;
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		int f = s[1] - '0';

		if (s[2] >= '0' && s[2] <= '9' && !s[3])
			f = f * 10 + s[2] - '0';
		else if (s[2])
			return 0;
		if (f <= 12) {
			codes[0] = KEY_F(f);
			return 1;
		}
		return 0;
	}
	if (!strncasecmp(s, "Ctrl-", 5) || !strncasecmp(s, "C-", 2) || s[0] == '^') {
		const char *c = s[0] == '^' ? s + 1 : strchr(s, '-') + 1;
		int ch = c[0] >= 'a' && c[0] <= 'z' ? c[0] - 32 : c[0];

		/* Ctrl-@ is code 0, which ends a key list: no key. */
		if (!c[0] || c[1] || ch <= '@' || ch > '_')
			return 0;
		codes[0] = ch & 0x1f;
		return 1;
	}
	return 0;
}

void actions_apply_config(config *c, FILE *err)
{
	if (!keymap_ready)
		actions_reset();
	for (size_t i = 0; i < c->nbind; i++) {
		const cfg_binding *b = &c->bind[i];
		enum action act = action_by_name(b->action);
		int codes[ACTION_MAX_KEYS], one[3], n = 0;
		bool ok = true;

		if (act == ACT_NONE) {
			config_error(c, err, b->line, _("unknown action '%s' (the names are in "
							 "'errkb --dump-config' and errkb(1))"), b->action);
			continue;
		}
		for (size_t j = 0; ok && j < b->nkeys; j++) {
			/* Enter and Backspace take several codes: all or none. */
			int got = parse_key(b->keys[j], one, 3);

			if (n + got > ACTION_MAX_KEYS) {
				config_error(c, err, b->line, _("too many keys for '%s' (at most %d)"),
					     b->action, ACTION_MAX_KEYS);
				ok = false;
				break;
			}
			memcpy(codes + n, one, (size_t)got * sizeof *one);
			if (!got) {
				config_error(c, err, b->line, _("unknown key '%s' (a printable "
								"character, Up, Down, PgUp, Enter, Esc, "
								"F1-F12, Ctrl-X...)"), b->keys[j]);
				ok = false;
			}
			n += got;
		}
		if (!ok)
			continue;
		/* The keys are this action's alone from now on. */
		memset(keymap[act], 0, sizeof keymap[act]);
		for (int a = 0; a < ACT_COUNT; a++) {
			int w = 0;

			for (int r = 0; r < ACTION_MAX_KEYS && keymap[a][r]; r++) {
				bool taken = false;

				for (int j = 0; j < n; j++)
					taken = taken || keymap[a][r] == codes[j];
				if (!taken)
					keymap[a][w++] = keymap[a][r];
			}
			while (w < ACTION_MAX_KEYS)
				keymap[a][w++] = 0;
		}
		memcpy(keymap[act], codes, (size_t)n * sizeof *codes);
	}
}
