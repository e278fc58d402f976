/* The config file's parser and the state file: what is read, what is
 * reported (FILE:LINE: message), and that state writes are atomic. */
#include <config.h>
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conffile.h"
#include "state.h"
#include "xalloc.h"

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

/* Files in dir other than name and its lock: temporaries left behind. */
static int strays(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char lock[256];
	int n = 0;

	snprintf(lock, sizeof lock, "%s.lock", name);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, name) && strcmp(e->d_name, lock))
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
	assert_true(state_save(&s, path, stderr));     /* creates the directories */
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
	assert_true(state_save(&s, path, stderr));
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
	assert_true(state_save(&s, path, stderr));
	assert_int_equal(stat(path, &before), 0);
	s.lang = KB_ZH;
	assert_true(state_save(&s, path, stderr));
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
		assert_false(state_save(&s, path, stderr));
		assert_int_equal(chmod(dir, 0700), 0);
		state_init(&got);
		assert_true(state_load(&got, path, stderr));
		assert_int_equal(got.lang, KB_ZH);
		assert_int_equal(strays(dir, "state"), 0);
		state_free(&got);
	}
	/* The path itself a directory: left alone (with a warning), nothing
	 * left beside it. */
	snprintf(path, sizeof path, "%s/blocked", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	{
		char *msgs;
		size_t len = 0;
		FILE *warn = open_memstream(&msgs, &len);
		struct stat sb;

		assert_true(state_save(&s, path, warn));
		fclose(warn);
		assert_non_null(strstr(msgs, ": is a directory; it is left alone and not saved over"));
		assert_int_equal(lstat(path, &sb), 0);
		assert_true(S_ISDIR(sb.st_mode));
		/* Beside it: state and state.lock, no temporary. */
		assert_int_equal(strays(dir, "blocked"), 2);
		free(msgs);
	}
	state_free(&s);
}

/* A fresh directory dir/name for one test; the state file in it. */
static void state_dir(const char *name, char *dir, size_t dlen, char *path, size_t plen)
{
	snprintf(dir, dlen, "%s/%s", tu_dir(), name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, plen, "%s/state", dir);
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole of a small file (malloc'd), or NULL when it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	if (!f)
		return NULL;
	out = open_memstream(&buf, &len);
	for (int c; (c = getc(f)) != EOF; )
		putc(c, out);
	fclose(out);
	fclose(f);
	return buf;
}

/* state_load with its warnings in *msgs (malloc'd). */
static bool load_warned(state *s, const char *path, char **msgs)
{
	size_t len = 0;
	FILE *warn = open_memstream(msgs, &len);
	bool ok;

	state_init(s);
	ok = state_load(s, path, warn);
	fclose(warn);
	return ok;
}

static bool save_warned(const state *s, const char *path, char **msgs)
{
	size_t len = 0;
	FILE *warn = open_memstream(msgs, &len);
	bool ok = state_save(s, path, warn);

	fclose(warn);
	return ok;
}

/* Last modified an hour ago. */
static void age(const char *path)
{
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= 3600;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

static bool exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

static void state_damaged_is_moved_aside(void **st)
{
	static const struct { const char *text; size_t len; int line; } bad[] = {
#define B(s, l) { s, sizeof s - 1, l }
		B("", 1),                                        /* a write cut short */
		B("language zh\n", 1),                           /* no header */
		B("# errkb state 1\nlanguage fr\n", 2),
		B("# errkb state 1\nrecent net/a\ngarbage\n", 3),
		B("# errkb state 1\nrecent \x1b[2Jx\n", 2),      /* a control character */
		B("# errkb state 1\nrecent a\xff\n", 2),
		B("# errkb state 1\nrecent a\0b\nlanguage zh\n", 2),  /* a NUL */
#undef B
	};
	char dir[512], path[600], bad0[640], want[1400];

	(void)st;
	state_dir("damaged", dir, sizeof dir, path, sizeof path);
	snprintf(bad0, sizeof bad0, "%s.bad", path);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *msgs, *kept;
		state s;

		write_bytes(path, bad[i].text, bad[i].len);
		assert_false(load_warned(&s, path, &msgs));
		assert_int_equal(s.lang, -1);
		assert_int_equal(s.nrecent, 0);
		assert_false(s.keep_file);
		snprintf(want, sizeof want, "errkb: warning: %s:%d: damaged state file; moved to %s, "
			 "starting afresh\n", path, bad[i].line, bad0);
		assert_string_equal(msgs, want);
		free(msgs);
		/* Kept whole under the new name, gone from the old. */
		assert_false(exists(path));
		kept = slurp(bad0);
		assert_non_null(kept);
		assert_memory_equal(kept, bad[i].text, bad[i].len);
		free(kept);
		/* The next save writes a fresh file; the damaged one stays. */
		state_note_record(&s, "net/a");
		assert_true(state_save(&s, path, stderr));
		state_free(&s);
		assert_true(state_load(&s, path, stderr));
		assert_int_equal(s.nrecent, 1);
		state_free(&s);
		assert_true(exists(bad0));
	}
	/* A few are kept, the newest as PATH.bad, the oldest dropped. */
	for (int i = 1; i < STATE_BAD_KEEP; i++) {
		char *kept;

		snprintf(want, sizeof want, "%s.%d", bad0, i);
		kept = slurp(want);
		assert_non_null(kept);
		assert_memory_equal(kept, bad[sizeof bad / sizeof *bad - 1 - i].text,
				    bad[sizeof bad / sizeof *bad - 1 - i].len);
		free(kept);
	}
	snprintf(want, sizeof want, "%s.%d", bad0, STATE_BAD_KEEP);
	assert_false(exists(want));
	{
		state s;

		state_init(&s);
		assert_true(state_load(&s, "/nonexistent/state", stderr));
		assert_int_equal(s.lang, -1);
	}
}

/* Over 1 MiB: not read whole, and not something a save writes. */
static void state_oversize_is_moved_aside(void **st)
{
	char dir[512], path[600], want[1400], *msgs;
	size_t len = (1 << 20) + 100;
	char *big = xmalloc(len);
	struct stat sb;
	state s;

	(void)st;
	state_dir("oversize", dir, sizeof dir, path, sizeof path);
	memset(big, '\n', len);
	memcpy(big, "# errkb state 1\n", 16);
	write_bytes(path, big, len);
	free(big);
	assert_false(load_warned(&s, path, &msgs));
	snprintf(want, sizeof want, "errkb: warning: %s: damaged state file (larger than 1 MiB); "
		 "moved to %s.bad, starting afresh\n", path, path);
	assert_string_equal(msgs, want);
	free(msgs);
	snprintf(want, sizeof want, "%s.bad", path);
	assert_int_equal(stat(want, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)len);
	state_free(&s);
}

/* Kill the test rather than hang it (before the fix, reading a FIFO
 * waited for a writer forever). */
static void watchdog(int seconds)
{
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned)seconds);
}

/* What cannot be read is neither read nor written over. */
static void state_unreadable_is_left_alone(void **st)
{
	char dir[512], path[600], link[600], *msgs;
	struct stat before, after;
	state s;

	(void)st;
	state_dir("unreadable", dir, sizeof dir, path, sizeof path);

	/* A FIFO: no wait for a writer. */
	assert_int_equal(mkfifo(path, 0600), 0);
	watchdog(60);
	assert_false(load_warned(&s, path, &msgs));
	alarm(0);
	assert_true(s.keep_file);
	assert_non_null(strstr(msgs, ": is a FIFO; it is left alone and not saved over\n"));
	free(msgs);
	state_note_record(&s, "net/a");
	assert_true(state_save(&s, path, stderr));
	assert_int_equal(lstat(path, &after), 0);
	assert_true(S_ISFIFO(after.st_mode));
	state_free(&s);
	/* Even when it became one after the load, the save leaves it. */
	state_note_record(&s, "net/a");
	watchdog(60);
	assert_true(save_warned(&s, path, &msgs));
	alarm(0);
	assert_non_null(strstr(msgs, ": is a FIFO; it is left alone and not saved over\n"));
	free(msgs);
	assert_int_equal(lstat(path, &after), 0);
	assert_true(S_ISFIFO(after.st_mode));
	state_free(&s);
	assert_int_equal(unlink(path), 0);

	/* A link to a device: not read (it never ends), not replaced. */
	assert_int_equal(symlink("/dev/zero", path), 0);
	watchdog(60);
	assert_false(load_warned(&s, path, &msgs));
	alarm(0);
	assert_non_null(strstr(msgs, "cannot read "));
	assert_non_null(strstr(msgs, ": is a character device; it is left alone"));
	free(msgs);
	assert_true(state_save(&s, path, stderr));
	state_free(&s);
	assert_int_equal(lstat(path, &after), 0);
	assert_true(S_ISLNK(after.st_mode));
	assert_int_equal(unlink(path), 0);

	/* A directory. */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_false(load_warned(&s, path, &msgs));
	assert_non_null(strstr(msgs, ": is a directory; it is left alone"));
	free(msgs);
	assert_true(state_save(&s, path, stderr));
	assert_int_equal(lstat(path, &after), 0);
	assert_true(S_ISDIR(after.st_mode));
	state_free(&s);
	assert_int_equal(rmdir(path), 0);

	/* A loop of links. */
	snprintf(link, sizeof link, "%s/loop", dir);
	assert_int_equal(symlink("loop", link), 0);
	assert_false(load_warned(&s, link, &msgs));
	assert_non_null(strstr(msgs, "left alone and not saved over"));
	free(msgs);
	state_note_record(&s, "net/a");
	assert_true(state_save(&s, link, stderr));
	assert_int_equal(lstat(link, &after), 0);
	assert_true(S_ISLNK(after.st_mode));
	state_free(&s);

	/* No permission to read (root reads anyway): left as it was. */
	if (geteuid() != 0) {
		static const char text[] = "# errkb state 1\nrecent net/x\n";
		char *kept;

		write_bytes(path, text, sizeof text - 1);
		assert_int_equal(chmod(path, 0200), 0);
		assert_int_equal(stat(path, &before), 0);
		assert_false(load_warned(&s, path, &msgs));
		assert_non_null(strstr(msgs, ": Permission denied; it is left alone and not saved over\n"));
		free(msgs);
		state_note_record(&s, "net/a");
		assert_true(state_save(&s, path, stderr));
		state_free(&s);
		assert_int_equal(stat(path, &after), 0);
		assert_int_equal(before.st_ino, after.st_ino);
		assert_int_equal(chmod(path, 0600), 0);
		kept = slurp(path);
		assert_string_equal(kept, text);
		free(kept);
	}
}

/* A state path that is a symbolic link: the target is replaced, the link
 * stays a link. */
static void state_symlink_written_through(void **st)
{
	char dir[512], path[600], target[600], *text;
	struct stat sb;
	state s;

	(void)st;
	state_dir("symlink", dir, sizeof dir, path, sizeof path);
	snprintf(target, sizeof target, "%s/dotfiles/errkb-state", dir);
	/* Relative, and dangling: the save makes the target. */
	assert_int_equal(symlink("dotfiles/errkb-state", path), 0);
	state_init(&s);
	assert_true(state_load(&s, path, stderr));
	s.lang = KB_ZH;
	state_note_record(&s, "net/a");
	assert_true(state_save(&s, path, stderr));
	state_free(&s);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	text = slurp(target);
	assert_non_null(text);
	assert_string_equal(text, "# errkb state 1\nlanguage zh\nrecent net/a\n");
	free(text);
	/* Again, through the link to an existing file, and read back. */
	assert_true(state_load(&s, path, stderr));
	assert_int_equal(s.nrecent, 1);
	state_note_record(&s, "net/b");
	assert_true(state_save(&s, path, stderr));
	state_free(&s);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_true(state_load(&s, path, stderr));
	assert_int_equal(s.nrecent, 2);
	assert_string_equal(s.recent[0], "net/b");
	state_free(&s);
	/* Nothing left beside the link or the target. */
	assert_int_equal(strays(dir, "state"), 1);      /* dotfiles */
	snprintf(target, sizeof target, "%s/dotfiles", dir);
	assert_int_equal(strays(target, "errkb-state"), 0);
	/* A damaged target goes aside beside the target, not the link. */
	snprintf(target, sizeof target, "%s/dotfiles/errkb-state", dir);
	write_bytes(target, "junk\n", 5);
	assert_false(load_warned(&s, path, &text));
	assert_non_null(strstr(text, "/dotfiles/errkb-state.bad, starting afresh\n"));
	free(text);
	state_free(&s);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
}

/* Two browsers ran at once: each saves its own records first, then the
 * other's. */
static void state_saves_merge(void **st)
{
	char dir[512], path[600];
	state a, b, got;

	(void)st;
	state_dir("merge", dir, sizeof dir, path, sizeof path);
	state_init(&a);
	a.lang = KB_EN;
	state_note_record(&a, "old/y");
	state_note_record(&a, "old/x");
	assert_true(state_save(&a, path, stderr));
	state_free(&a);

	/* Both start from [old/x, old/y]. */
	state_init(&b);
	assert_true(state_load(&a, path, stderr));
	assert_true(state_load(&b, path, stderr));
	state_note_record(&a, "a/1");
	state_note_record(&a, "a/2");
	state_note_record(&b, "b/1");
	state_note_record(&b, "old/y");        /* reopened: this run's now */
	b.lang = KB_ZH;
	assert_true(state_save(&a, path, stderr));
	assert_true(state_save(&b, path, stderr));
	state_init(&got);
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.lang, KB_ZH);     /* the last one to save */
	assert_int_equal(got.nrecent, 5);
	assert_string_equal(got.recent[0], "old/y");
	assert_string_equal(got.recent[1], "b/1");
	assert_string_equal(got.recent[2], "a/2");
	assert_string_equal(got.recent[3], "a/1");
	assert_string_equal(got.recent[4], "old/x");
	state_free(&got);
	/* a saves again: its records in front, b's kept. */
	assert_true(state_save(&a, path, stderr));
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.lang, KB_EN);
	assert_int_equal(got.nrecent, 5);
	assert_string_equal(got.recent[0], "a/2");
	assert_string_equal(got.recent[1], "a/1");
	assert_string_equal(got.recent[2], "old/y");
	assert_string_equal(got.recent[3], "b/1");
	assert_string_equal(got.recent[4], "old/x");
	state_free(&got);
	/* The limit holds for the merge. */
	for (int i = 0; i < STATE_RECENT_MAX; i++) {
		char id[32];

		snprintf(id, sizeof id, "b/many%d", i);
		state_note_record(&b, id);
	}
	assert_true(state_save(&b, path, stderr));
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.nrecent, STATE_RECENT_MAX);
	assert_string_equal(got.recent[STATE_RECENT_MAX - 1], "b/many0");
	state_free(&got);
	state_free(&a);
	state_free(&b);
	assert_int_equal(strays(dir, "state"), 0);
}

/* Searches made at the prompt are kept as records are: this run's first,
 * then the file's (another browser's), once each, at most
 * STATE_SEARCH_MAX; a text that would break the file is not kept. */
static void state_searches_merge(void **st)
{
	char dir[512], path[600];
	state a, b, got;

	(void)st;
	state_dir("searches", dir, sizeof dir, path, sizeof path);
	state_init(&a);
	state_init(&b);
	state_note_search(&a, "sip 401");
	state_note_search(&a, "timed out");
	state_note_search(&b, "connection refused");
	state_note_search(&b, "sip 401");
	state_note_search(&b, "bad\nrecent x/y");
	state_note_search(&b, "esc \x1b[2J");
	assert_int_equal(b.nsearches, 2);
	assert_true(state_save(&a, path, stderr));
	assert_true(state_save(&b, path, stderr));
	state_init(&got);
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.nsearches, 3);
	assert_string_equal(got.searches[0], "sip 401");
	assert_string_equal(got.searches[1], "connection refused");
	assert_string_equal(got.searches[2], "timed out");
	assert_int_equal(got.nrecent, 0);
	state_free(&got);
	for (int i = 0; i < STATE_SEARCH_MAX + 5; i++) {
		char q[32];

		snprintf(q, sizeof q, "word%d", i);
		state_note_search(&a, q);
	}
	assert_int_equal(a.nsearches, STATE_SEARCH_MAX);
	assert_true(state_save(&a, path, stderr));
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.nsearches, STATE_SEARCH_MAX);
	assert_string_equal(got.searches[0], "word104");
	state_free(&got);
	state_free(&a);
	state_free(&b);
	assert_int_equal(strays(dir, "state"), 0);
}

/* Two processes saving over and over at once lose nothing: each save
 * reads and merges under the lock. */
static void state_concurrent_saves(void **st)
{
	enum { ROUNDS = 20 };
	char dir[512], path[600];
	int go[2], status;
	pid_t pid[2];
	state got;

	(void)st;
	state_dir("concurrent", dir, sizeof dir, path, sizeof path);
	assert_int_equal(pipe(go), 0);
	for (int p = 0; p < 2; p++) {
		pid[p] = fork();
		assert_true(pid[p] >= 0);
		if (pid[p] == 0) {
			char c;
			bool ok = true;

			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(2);
			for (int i = 0; i < ROUNDS; i++) {
				char id[32];
				state s;

				state_init(&s);
				ok = state_load(&s, path, stderr) && ok;
				snprintf(id, sizeof id, "p%d/%d", p, i);
				state_note_record(&s, id);
				ok = state_save(&s, path, stderr) && ok;
				state_free(&s);
			}
			_exit(ok ? 0 : 1);
		}
	}
	close(go[0]);
	close(go[1]);                          /* both start now */
	for (int p = 0; p < 2; p++) {
		assert_int_equal(waitpid(pid[p], &status, 0), pid[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	state_init(&got);
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.nrecent, 2 * ROUNDS);
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < ROUNDS; i++) {
			char id[32];
			size_t k;

			snprintf(id, sizeof id, "p%d/%d", p, i);
			for (k = 0; k < got.nrecent && strcmp(got.recent[k], id); k++)
				;
			assert_true(k < got.nrecent);
		}
	state_free(&got);
	assert_int_equal(strays(dir, "state"), 0);
}

/* Temporaries of saves that were killed are removed at the next load or
 * save; ones that may be in use, or are not ours, are not. */
static void state_stale_temporaries_removed(void **st)
{
	static const char good[] = "# errkb state 1\nlanguage en\nrecent net/a\n";
	static const struct { const char *name; bool old, goes; const char *text; } files[] = {
		{ "state.tmp-AbC123", true, true, "# errkb state 1\nrecent net/a\n" },
		{ "state.tmp-Zz9zz9", true, true, "" },
		{ "state.tmp-XyZ789", false, false, "# errkb state 1\n" },  /* may be in use */
		{ "state.Qw3rTy", true, true, "# errkb state 1\nrec" },     /* an earlier errkb's */
		{ "state.q00000", true, true, "" },
		{ "state.backup", true, false, "# errkb state 1\nrecent net/b\n" },  /* a word */
		{ "state.Qw3rTz", true, false, "my notes\n" },              /* not a state file */
		{ "state.tmp-AbC12", true, false, "" },                     /* not mkstemp's */
		{ "state.bad", true, false, "junk\n" },
		{ "other.tmp-AbC123", true, false, "" },
	};
	char dir[512], path[600], name[700];
	state s;

	(void)st;
	state_dir("stale", dir, sizeof dir, path, sizeof path);
	for (int round = 0; round < 2; round++) {
		write_bytes(path, good, sizeof good - 1);
		for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
			snprintf(name, sizeof name, "%s/%s", dir, files[i].name);
			write_bytes(name, files[i].text, strlen(files[i].text));
			if (files[i].old)
				age(name);
		}
		/* A FIFO is never a temporary. */
		snprintf(name, sizeof name, "%s/state.tmp-FiFo00", dir);
		assert_int_equal(mkfifo(name, 0600), 0);
		age(name);
		state_init(&s);
		if (round == 0) {
			assert_true(state_load(&s, path, stderr));      /* at the start */
			assert_int_equal(s.nrecent, 1);
		} else {
			assert_true(state_save(&s, path, stderr));      /* and at a save */
		}
		state_free(&s);
		for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
			snprintf(name, sizeof name, "%s/%s", dir, files[i].name);
			if (exists(name) == files[i].goes)
				fail_msg("%s %s", files[i].name, files[i].goes ? "kept" : "removed");
			unlink(name);
		}
		snprintf(name, sizeof name, "%s/state.tmp-FiFo00", dir);
		assert_true(exists(name));
		unlink(name);
	}
}

/* A lock held elsewhere: the save waits, then goes ahead without it (and
 * then leaves the temporaries alone, as their saves may be running). */
static void state_lock_held_elsewhere(void **st)
{
	char dir[512], path[600], lock[640], tmp[640];
	int fd;
	state s, got;

	(void)st;
	state_dir("locked", dir, sizeof dir, path, sizeof path);
	snprintf(lock, sizeof lock, "%s.lock", path);
	snprintf(tmp, sizeof tmp, "%s.tmp-AbC123", path);
	write_bytes(tmp, "", 0);
	age(tmp);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	state_init(&s);
	state_note_record(&s, "net/a");
	assert_true(state_save(&s, path, stderr));
	assert_true(exists(tmp));
	close(fd);
	state_init(&got);
	assert_true(state_load(&got, path, stderr));
	assert_int_equal(got.nrecent, 1);
	assert_false(exists(tmp));             /* with the lock, it goes */
	state_free(&got);
	state_free(&s);
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
		cmocka_unit_test(state_damaged_is_moved_aside),
		cmocka_unit_test(state_oversize_is_moved_aside),
		cmocka_unit_test(state_unreadable_is_left_alone),
		cmocka_unit_test(state_symlink_written_through),
		cmocka_unit_test(state_saves_merge),
		cmocka_unit_test(state_searches_merge),
		cmocka_unit_test(state_concurrent_saves),
		cmocka_unit_test(state_stale_temporaries_removed),
		cmocka_unit_test(state_lock_held_elsewhere),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tu_cleanup();
	return rc;
}
