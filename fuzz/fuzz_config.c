/* The config file: config_load on arbitrary file contents.  Checked:
 * every theme it sets prints back (config_format_style) to text that
 * parses to the same style, and key bindings hold whole words. */
#include <config.h>
#include "fuzz.h"
#include "conffile.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	/* ~/ in kb lines expands to this. */
	setenv("HOME", "/home/fuzz", 1);
	return 0;
}

static void check_style(const cfg_style *s, const char *what)
{
	char buf[256], msg[256];
	cfg_style back;

	FZ_CHECK(s->fg >= -1 && s->fg <= 255 && s->bg >= -1 && s->bg <= 255,
		 "%s: colours %d on %d", what, s->fg, s->bg);
	config_format_style(s, buf, sizeof buf);
	FZ_CHECK(config_parse_style(buf, &back, msg, sizeof msg), "%s printed as '%s', which does not "
		 "parse: %s", what, buf, msg);
	FZ_CHECK(back.fg == s->fg && back.bg == s->bg && back.attrs == s->attrs,
		 "%s printed as '%s' reads back differently", what, buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_write("errkb.conf", data, size);
	config c;
	cfg_style st;
	char msg[64], *text;

	config_init(&c);
	FZ_CHECK(config_load(&c, path, fz_null()), "a file that exists did not load");
	FZ_CHECK(c.path && !strcmp(c.path, path), "the path read is not kept");
	FZ_CHECK(c.lang >= -1 && c.lang <= 1 && c.mouse >= -1 && c.mouse <= 1,
		 "language %d, mouse %d", c.lang, c.mouse);
	for (size_t i = 0; i < c.nkb; i++)
		FZ_CHECK(c.kb[i] && *c.kb[i], "kb line %zu is empty", i);
	for (int i = 0; i < UI_COUNT; i++)
		if (c.theme[i].set)
			check_style(&c.theme[i], cfg_style_names[i]);
	for (size_t i = 0; i < c.nbind; i++) {
		FZ_CHECK(c.bind[i].action && *c.bind[i].action, "binding %zu without an action", i);
		for (size_t j = 0; j < c.bind[i].nkeys; j++)
			FZ_CHECK(*c.bind[i].keys[j] && !strpbrk(c.bind[i].keys[j], " \t"),
				 "binding %zu key %zu is not a word", i, j);
	}
	config_free(&c);

	/* The whole input as one theme value (a small message buffer too). */
	text = fz_string(data, size);
	if (config_parse_style(text, &st, msg, sizeof msg))
		check_style(&st, "the input");
	free(text);
	return 0;
}
