#include <config.h>
#include "conffile.h"
#include "i18n.h"
#include "paths.h"
#include "textscan.h"
#include "userfile.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The names of the [theme] section and the default theme: style.h's. */
const char *const cfg_style_names[UI_COUNT] = {
#define STYLE_NAME(id, name, fg, bg, attrs, plain) [id] = name,
	UI_STYLES(STYLE_NAME)
#undef STYLE_NAME
};

const cfg_style cfg_default_theme[UI_COUNT] = {
#define STYLE_DEFAULT(id, name, fg, bg, attrs, plain) [id] = { true, fg, bg, attrs },
	UI_STYLES(STYLE_DEFAULT)
#undef STYLE_DEFAULT
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct { const char *name; int flag; } attr_names[] = {
	{ "bold", CFG_BOLD }, { "underline", CFG_UNDERLINE },
	{ "reverse", CFG_REVERSE }, { "dim", CFG_DIM },
};

void config_init(config *c)
{
	memset(c, 0, sizeof *c);
	c->lang = -1;
	c->mouse = -1;
}

void config_free(config *c)
{
	free(c->path);
	for (size_t i = 0; i < c->nkb; i++)
		free(c->kb[i]);
	free(c->kb);
	for (size_t i = 0; i < c->nbind; i++) {
		free(c->bind[i].action);
		for (size_t j = 0; j < c->bind[i].nkeys; j++)
			free(c->bind[i].keys[j]);
		free(c->bind[i].keys);
	}
	free(c->bind);
	config_init(c);
}

void config_error(config *c, FILE *err, int line, const char *fmt, ...)
{
	va_list ap;

	c->errors++;
	if (!err)
		return;
	fprintf(err, "%s:%d: ", c->path ? c->path : "config", line);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/* "red", "default" or 0..255; -2 when it is no colour. */
static int parse_colour(const char *w)
{
	char *end;
	long n;

	if (!strcmp(w, "default"))
		return -1;
	for (int i = 0; i < 8; i++)
		if (!strcmp(w, colour_names[i]))
			return i;
	errno = 0;
	n = strtol(w, &end, 10);
	if (*w && !*end && !errno && n >= 0 && n <= 255)
		return (int)n;
	return -2;
}

bool config_parse_style(const char *v, cfg_style *s, char *msg, size_t len)
{
	char *copy = xstrdup(v), *save = NULL;
	bool ok = true, fg_done = false;
	cfg_style r = { .set = true, .fg = -1, .bg = -1 };

	for (char *w = strtok_r(copy, " \t", &save); w && ok; w = strtok_r(NULL, " \t", &save)) {
		int col, flag = 0;

		for (size_t i = 0; i < sizeof attr_names / sizeof *attr_names; i++)
			if (!strcmp(w, attr_names[i].name))
				flag = attr_names[i].flag;
		if (flag) {
			r.attrs |= flag;
		} else if (!strcmp(w, "on")) {
			char *bg = strtok_r(NULL, " \t", &save);

			if (!bg || (col = parse_colour(bg)) == -2) {
				snprintf(msg, len, _("'on' wants a colour after it, not '%s'"), bg ? bg : "");
				ok = false;
			}
			else
				r.bg = (short)col;
		} else if (!fg_done && (col = parse_colour(w)) != -2) {
			r.fg = (short)col;
			fg_done = true;
		} else {
			snprintf(msg, len, _("unknown colour or attribute '%s' (colours: default, "
					     "black, red, green, yellow, blue, magenta, cyan, white, "
					     "0-255; attributes: bold, underline, reverse, dim)"), w);
			ok = false;
		}
	}
	free(copy);
	if (ok)
		*s = r;
	return ok;
}

static void put_colour(char *buf, size_t len, int c)
{
	size_t o = strlen(buf);

	if (c < 0)
		snprintf(buf + o, len - o, "default");
	else if (c < 8)
		snprintf(buf + o, len - o, "%s", colour_names[c]);
	else
		snprintf(buf + o, len - o, "%d", c);
}

void config_format_style(const cfg_style *s, char *buf, size_t len)
{
	buf[0] = '\0';
	put_colour(buf, len, s->fg);
	if (s->bg != -1) {
		snprintf(buf + strlen(buf), len - strlen(buf), " on ");
		put_colour(buf, len, s->bg);
	}
	for (size_t i = 0; i < sizeof attr_names / sizeof *attr_names; i++)
		if (s->attrs & attr_names[i].flag)
			snprintf(buf + strlen(buf), len - strlen(buf), " %s", attr_names[i].name);
}

static int parse_switch(const char *v)
{
	static const char *const on[] = { "on", "yes", "true", "1" };
	static const char *const off[] = { "off", "no", "false", "0" };

	for (int i = 0; i < 4; i++) {
		if (!strcmp(v, on[i]))
			return 1;
		if (!strcmp(v, off[i]))
			return 0;
	}
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

enum section { SEC_TOP, SEC_THEME, SEC_KEYS, SEC_BAD };

/* A kb path: ~/ is HOME; a relative one is taken from the config file's
 * directory, not from wherever errkb happens to be started. */
static char *relative_to(const char *file, const char *v)
{
	const char *slash = file ? strrchr(file, '/') : NULL, *home = getenv("HOME");
	char *p;

	if (v[0] == '~' && (v[1] == '/' || !v[1]) && home && *home)
		return paths_expand_home(v);
	if (v[0] == '/' || !slash)
		return xstrdup(v);
	p = xmalloc((size_t)(slash - file) + strlen(v) + 2);
	memcpy(p, file, (size_t)(slash - file) + 1);
	strcpy(p + (slash - file) + 1, v);
	return p;
}

static void top_setting(config *c, FILE *err, int line, const char *name, const char *v)
{
	if (!strcmp(name, "language")) {
		if (!strcmp(v, "en") || !strcmp(v, "zh"))
			c->lang = !strcmp(v, "zh") ? KB_ZH : KB_EN;
		else
			config_error(c, err, line, _("'language' takes en or zh, not '%s'"), v);
	} else if (!strcmp(name, "kb")) {
		if (!*v) {
			config_error(c, err, line, _("'kb' wants a path"));
			return;
		}
		c->kb = xrealloc(c->kb, (c->nkb + 1) * sizeof *c->kb);
		c->kb[c->nkb++] = relative_to(c->path, v);
	} else if (!strcmp(name, "mouse")) {
		int m = parse_switch(v);

		if (m < 0)
			config_error(c, err, line, _("'mouse' takes on or off, not '%s'"), v);
		else
			c->mouse = m;
	} else {
		config_error(c, err, line, _("unknown setting '%s' (known: language, kb, mouse; "
					     "sections [theme] and [keys])"), name);
	}
}

static void theme_setting(config *c, FILE *err, int line, const char *name, const char *v)
{
	for (int i = 0; i < UI_COUNT; i++) {
		/* Room for the message around any word of the value, whole:
		 * a cut could split a character. */
		size_t len = strlen(v) + 1024;
		char *msg;

		if (strcmp(name, cfg_style_names[i]))
			continue;
		msg = xmalloc(len);
		if (!config_parse_style(v, &c->theme[i], msg, len))
			config_error(c, err, line, "%s", msg);
		free(msg);
		return;
	}
	config_error(c, err, line, _("unknown style '%s' in [theme]"), name);
}

/* Key names are judged by the terminal side (actions.c): kept as words. */
static void key_setting(config *c, int line, const char *name, const char *v)
{
	char *copy = xstrdup(v), *save = NULL;
	cfg_binding *b;

	c->bind = xrealloc(c->bind, (c->nbind + 1) * sizeof *c->bind);
	b = &c->bind[c->nbind++];
	*b = (cfg_binding){ .action = xstrdup(name), .line = line };
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		b->keys = xrealloc(b->keys, (b->nkeys + 1) * sizeof *b->keys);
		b->keys[b->nkeys++] = xstrdup(w);
	}
	free(copy);
}

void config_parse(config *c, const char *path, const char *text, size_t len, FILE *err)
{
	const char *p = text, *end = text + len;
	enum section sec = SEC_TOP;
	int line = 0;

	if (path) {
		char *copy = xstrdup(path);

		free(c->path);
		c->path = copy;
	}
	/* A byte order mark, as some editors write. */
	if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *buf = xstrndup(p, n), *s, *eq, *name, *v;
		bool nul = strlen(buf) != n;

		s = trim(buf);
		p += n + (nl != NULL);
		line++;
		if (nul) {
			config_error(c, err, line, _("a NUL byte; is this a text file?"));
		} else if (text_invalid_utf8(s, strlen(s)) != (size_t)-1) {
			config_error(c, err, line, _("not valid UTF-8"));
		} else if (!*s || *s == '#') {
			/* blank or comment */
		} else if (*s == '[') {
			char *close = strchr(s, ']'), *rest = close ? trim(close + 1) : NULL;

			if (!close || (*rest && *rest != '#')) {
				config_error(c, err, line, _("a section is written [name]; "
							     "the lines up to the next section are skipped"));
				sec = SEC_BAD;
			} else {
				*close = '\0';
				name = trim(s + 1);
				sec = !strcmp(name, "theme") ? SEC_THEME : !strcmp(name, "keys") ? SEC_KEYS : SEC_BAD;
				if (sec == SEC_BAD)
					config_error(c, err, line, _("unknown section [%s] (known: [theme], "
								     "[keys]); its lines are skipped"), name);
			}
		} else if (sec == SEC_BAD) {
			/* reported once, at the section */
		} else if (!(eq = strchr(s, '='))) {
			config_error(c, err, line, _("expected 'name = value'"));
		} else {
			*eq = '\0';
			name = trim(s);
			v = trim(eq + 1);
			if (!*name)
				config_error(c, err, line, _("expected 'name = value'"));
			else if (sec == SEC_TOP)
				top_setting(c, err, line, name, v);
			else if (sec == SEC_THEME)
				theme_setting(c, err, line, name, v);
			else
				key_setting(c, line, name, v);
		}
		free(buf);
	}
}

bool config_load(config *c, const char *path, FILE *err)
{
	char *text, why[256];
	size_t len;

	switch (userfile_read(path, &text, &len, NULL, why, sizeof why)) {
	case USERFILE_OK:
		config_parse(c, path, text, len, err);
		free(text);
		return true;
	case USERFILE_MISSING:
		return true;
	default:
		/* A FIFO, a device, a directory, a huge file: named, not read. */
		if (err)
			fprintf(err, _("%s: cannot read %s: %s\n"), PACKAGE, path, why);
		c->errors++;
		return false;
	}
}
