/* The config file's parser and the state file: what is read, what is
 * reported (FILE:LINE: message), and that state writes are atomic. */
#include <config.h>
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "conffile.h"
#include "state.h"

/* Parse text as the file "cfg"; the messages in *msgs (malloc'd). */
static void parse(config *c, const char *text, char **msgs)
{
	size_t len = 0;
	FILE *err = open_memstream(msgs, &len);

	config_init(c);
	config_parse(c, "cfg", text, strlen(text), err);
	fclose(err);
}

static void config_values(void **st)
{
	config c;
	char *msgs;

	(void)st;
	setenv("HOME", "/home/u", 1);
	parse(&c, "# a comment\n\n  language = zh \r\nkb = ~/kb\nkb=/srv/kb\nmouse = off\n"
		  "[theme]\nselected = black on 214 bold underline\ntitle = on blue\n"
		  "[keys]\nquit = Q Ctrl-c\nhelp =\n", &msgs);
	assert_string_equal(msgs, "");
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.lang, KB_ZH);
	assert_int_equal(c.nkb, 2);
	assert_string_equal(c.kb[0], "/home/u/kb");
	assert_string_equal(c.kb[1], "/srv/kb");
	assert_int_equal(c.mouse, 0);
	assert_true(c.theme[UI_SEL].set);
	assert_int_equal(c.theme[UI_SEL].fg, 0);
	assert_int_equal(c.theme[UI_SEL].bg, 214);
	assert_int_equal(c.theme[UI_SEL].attrs, CFG_BOLD | CFG_UNDERLINE);
	assert_int_equal(c.theme[UI_TITLE].fg, -1);
	assert_int_equal(c.theme[UI_TITLE].bg, 4);
	assert_false(c.theme[UI_HEADING].set);
	/* Key names are judged by the terminal side; here they are words. */
	assert_int_equal(c.nbind, 2);
	assert_string_equal(c.bind[0].action, "quit");
	assert_int_equal(c.bind[0].nkeys, 2);
	assert_string_equal(c.bind[0].keys[1], "Ctrl-c");
	assert_int_equal(c.bind[0].line, 11);
	assert_int_equal(c.bind[1].nkeys, 0);
	free(msgs);
	config_free(&c);
}

static void config_kb_relative_to_the_file(void **st)
{
	config c;
	size_t len = 0;
	char *msgs;
	FILE *err = open_memstream(&msgs, &len);
	static const char text[] = "kb = team/kb\nkb = ./mine\nkb = /abs\n";

	(void)st;
	config_init(&c);
	config_parse(&c, "/home/u/.config/errkb/config", text, sizeof text - 1, err);
	fclose(err);
	assert_string_equal(msgs, "");
	assert_int_equal(c.nkb, 3);
	assert_string_equal(c.kb[0], "/home/u/.config/errkb/team/kb");
	assert_string_equal(c.kb[1], "/home/u/.config/errkb/./mine");
	assert_string_equal(c.kb[2], "/abs");
	free(msgs);
	config_free(&c);
}

static void config_errors_name_the_line(void **st)
{
	config c;
	char *msgs;

	(void)st;
	parse(&c, "language = fr\nmouse = maybe\nlangauge = en\nno equals here\n"
		  "kb = /ok\n[colours]\nignored = yes\n[theme]\nheading = purple\n"
		  "nosuch = red\nlink = red on\n[keys\nmouse = on\n", &msgs);
	assert_string_equal(msgs,
		"cfg:1: 'language' takes en or zh, not 'fr'\n"
		"cfg:2: 'mouse' takes on or off, not 'maybe'\n"
		"cfg:3: unknown setting 'langauge' (known: language, kb, mouse; sections [theme] and [keys])\n"
		"cfg:4: expected 'name = value'\n"
		"cfg:6: unknown section [colours] (known: [theme], [keys]); its lines are skipped\n"
		"cfg:9: unknown colour or attribute 'purple' (colours: default, black, red, green, "
		"yellow, blue, magenta, cyan, white, 0-255; attributes: bold, underline, reverse, dim)\n"
		"cfg:10: unknown style 'nosuch' in [theme]\n"
		"cfg:11: 'on' wants a colour after it, not ''\n"
		"cfg:12: a section is written [name]; the lines up to the next section are skipped\n");
	assert_int_equal(c.errors, 9);
	/* The good lines still count. */
	assert_int_equal(c.nkb, 1);
	assert_int_equal(c.lang, -1);
	assert_int_equal(c.mouse, -1);
	assert_false(c.theme[UI_HEADING].set);
	free(msgs);
	config_free(&c);
}

static void config_bad_bytes(void **st)
{
	static const char text[] = "mouse = on\nkb = /a\0b\nlanguage = \xff\nlanguage = zh";
	size_t len = 0;
	char *msgs;
	FILE *err = open_memstream(&msgs, &len);
	config c;

	(void)st;
	config_init(&c);
	config_parse(&c, "cfg", text, sizeof text - 1, err);
	fclose(err);
	assert_string_equal(msgs, "cfg:2: a NUL byte; is this a text file?\n"
				  "cfg:3: not valid UTF-8\n");
	assert_int_equal(c.mouse, 1);
	assert_int_equal(c.lang, KB_ZH);
	assert_int_equal(c.nkb, 0);
	free(msgs);
	config_free(&c);
}

static void config_file_missing_or_unreadable(void **st)
{
	config c;
	char *msgs;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);
	const char *path = tu_write("config", "mouse = nope\n");

	(void)st;
	config_init(&c);
	assert_true(config_load(&c, "/nonexistent/errkb/config", err));
	assert_null(c.path);
	assert_true(config_load(&c, path, err));
	fclose(err);
	assert_non_null(strstr(msgs, "/config:1: 'mouse' takes on or off, not 'nope'\n"));
	free(msgs);
	config_free(&c);
}

static void style_round_trip(void **st)
{
	cfg_style s;
	char buf[128], msg[256];

	(void)st;
	assert_true(config_parse_style("cyan on default reverse dim", &s, msg, sizeof msg));
	config_format_style(&s, buf, sizeof buf);
	assert_string_equal(buf, "cyan reverse dim");
	assert_true(config_parse_style("200 on 17", &s, msg, sizeof msg));
	config_format_style(&s, buf, sizeof buf);
	assert_string_equal(buf, "200 on 17");
	assert_false(config_parse_style("256", &s, msg, sizeof msg));
	assert_false(config_parse_style("red green", &s, msg, sizeof msg));
}

/* Files in dir other than name: temporaries left behind. */
static int strays(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, name))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void state_round_trip(void **st)
{
	char path[600], dir[512];
	state s, back;

	(void)st;
	snprintf(dir, sizeof dir, "%s/deep/errkb", tu_dir());
	snprintf(path, sizeof path, "%s/state", dir);
	state_init(&s);
	s.lang = KB_ZH;
	state_note_record(&s, "net/a");
	state_note_record(&s, "net/b");
	state_note_record(&s, "net/a");        /* moves to the front, once */
	assert_int_equal(s.nrecent, 2);
	assert_true(state_save(&s, path));     /* creates the directories */
	state_init(&back);
	assert_true(state_load(&back, path, stderr));
	assert_int_equal(back.lang, KB_ZH);
	assert_int_equal(back.nrecent, 2);
	assert_string_equal(back.recent[0], "net/a");
	assert_string_equal(back.recent[1], "net/b");
	assert_int_equal(strays(dir, "state"), 0);
	state_free(&back);
	for (int i = 0; i < STATE_RECENT_MAX + 10; i++) {
		char id[32];

		snprintf(id, sizeof id, "x/%d", i);
		state_note_record(&s, id);
	}
	assert_int_equal(s.nrecent, STATE_RECENT_MAX);
	assert_string_equal(s.recent[0], "x/59");
	/* Ids come from the KB: one that would break the file is not kept. */
	state_note_record(&s, "db/nl\nlanguage zh");
	state_note_record(&s, "esc/\x1b[2J");
	state_note_record(&s, "bidi/\xe2\x80\xae");
	state_note_record(&s, "");
	assert_string_equal(s.recent[0], "x/59");
	assert_true(state_save(&s, path));
	state_init(&back);
	assert_true(state_load(&back, path, stderr));
	assert_int_equal(back.nrecent, STATE_RECENT_MAX);
	state_free(&back);
	state_free(&s);
}

static void state_write_is_atomic(void **st)
{
	char path[600], dir[512];
	struct stat before, after;
	state s;

	(void)st;
	snprintf(dir, sizeof dir, "%s/atomic", tu_dir());
	snprintf(path, sizeof path, "%s/state", dir);
	state_init(&s);
	s.lang = KB_EN;
	assert_true(state_save(&s, path));
	assert_int_equal(stat(path, &before), 0);
	s.lang = KB_ZH;
	assert_true(state_save(&s, path));
	assert_int_equal(stat(path, &after), 0);
	/* A new file renamed over the old one, not the old one rewritten. */
	assert_true(before.st_ino != after.st_ino);
	assert_int_equal(strays(dir, "state"), 0);
	/* A directory that cannot be written: the save fails, the old file
	 * stays whole and nothing is left beside it.  (Root writes anyway.) */
	if (geteuid() != 0) {
		state got;

		assert_int_equal(chmod(dir, 0500), 0);
		s.lang = KB_EN;
		assert_false(state_save(&s, path));
		assert_int_equal(chmod(dir, 0700), 0);
		state_init(&got);
		assert_true(state_load(&got, path, stderr));
		assert_int_equal(got.lang, KB_ZH);
		assert_int_equal(strays(dir, "state"), 0);
		state_free(&got);
	}
	/* The path itself a directory: rename fails, the temporary goes. */
	snprintf(path, sizeof path, "%s/blocked", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	strcat(path, "/");
	assert_false(state_save(&s, path));
	state_free(&s);
}

static void state_damaged_is_ignored(void **st)
{
	static const char *const bad[] = {
		"",                                        /* a write cut short */
		"language zh\n",                           /* no header */
		"# errkb state 1\nlanguage fr\n",
		"# errkb state 1\nrecent net/a\ngarbage\n",
		"# errkb state 1\nrecent \x1b[2Jx\n",      /* a control character */
		"# errkb state 1\nrecent a\xff\n",
	};

	(void)st;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *path = tu_write("state", bad[i]);
		char *msgs;
		size_t len = 0;
		FILE *warn = open_memstream(&msgs, &len);
		state s;

		state_init(&s);
		assert_false(state_load(&s, path, warn));
		fclose(warn);
		assert_int_equal(s.lang, -1);
		assert_int_equal(s.nrecent, 0);
		assert_non_null(strstr(msgs, "errkb: warning: "));
		assert_non_null(strstr(msgs, "damaged state file, ignored"));
		free(msgs);
		state_free(&s);
	}
	{
		state s;

		state_init(&s);
		assert_true(state_load(&s, "/nonexistent/state", stderr));
		assert_int_equal(s.lang, -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_values),
		cmocka_unit_test(config_kb_relative_to_the_file),
		cmocka_unit_test(config_errors_name_the_line),
		cmocka_unit_test(config_bad_bytes),
		cmocka_unit_test(config_file_missing_or_unreadable),
		cmocka_unit_test(style_round_trip),
		cmocka_unit_test(state_round_trip),
		cmocka_unit_test(state_write_is_atomic),
		cmocka_unit_test(state_damaged_is_ignored),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tu_cleanup();
	return rc;
}
