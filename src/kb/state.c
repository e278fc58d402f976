#include <config.h>
#include "state.h"
#include "i18n.h"
#include "textscan.h"
#include "userfile.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The first line; a file without it is not ours (or is damaged). */
#define STATE_MAGIC "# errkb state 1"
/* mkstemp's template after the state file's name. */
#define TMP_SUFFIX ".tmp-XXXXXX"

void state_init(state *s)
{
	memset(s, 0, sizeof *s);
	s->lang = -1;
}

void state_free(state *s)
{
	for (size_t i = 0; i < s->nrecent; i++)
		free(s->recent[i]);
	free(s->recent);
	for (size_t i = 0; i < s->nsearches; i++)
		free(s->searches[i]);
	free(s->searches);
	state_init(s);
}

/* What a recent line may hold: one line of valid, harmless UTF-8.  Ids
 * come from the KB, which is untrusted. */
static bool id_ok(const char *id)
{
	return *id && !strpbrk(id, "\n\r\t") && text_invalid_utf8(id, strlen(id)) == (size_t)-1 &&
	       !text_has_control(id);
}

/* Put text first in the list v of *n (once), dropping the oldest past
 * max; *noted counts those put first in this run. */
static void note(char ***v, size_t *n, size_t *noted, size_t max, const char *text)
{
	size_t i;
	char *keep;

	/* Never write what the reader would take for damage. */
	if (!id_ok(text))
		return;
	for (i = 0; i < *n && strcmp((*v)[i], text); i++)
		;
	if (i == *n) {
		if (*n < max) {
			*v = xrealloc(*v, (*n + 1) * sizeof **v);
			(*n)++;
		} else {
			i = *n - 1;
			free((*v)[i]);
		}
		keep = xstrdup(text);
	} else {
		keep = (*v)[i];
	}
	memmove(*v + 1, *v, i * sizeof **v);
	(*v)[0] = keep;
	/* Noted now, in front of the noted ones: one more unless it was
	 * already among them. */
	if (i >= *noted && *noted < *n)
		(*noted)++;
}

void state_note_record(state *s, const char *id)
{
	note(&s->recent, &s->nrecent, &s->nnoted, STATE_RECENT_MAX, id);
}

void state_note_search(state *s, const char *text)
{
	note(&s->searches, &s->nsearches, &s->nsnoted, STATE_SEARCH_MAX, text);
}

/* Append text to the list v of *n unless present or full (for reading
 * and merging). */
static void add(char ***v, size_t *n, size_t max, const char *text)
{
	if (*n == max)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], text))
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(text);
}

static void add_recent(state *s, const char *id)
{
	add(&s->recent, &s->nrecent, STATE_RECENT_MAX, id);
}

static void add_search(state *s, const char *text)
{
	add(&s->searches, &s->nsearches, STATE_SEARCH_MAX, text);
}

/* One line of the file; false when it makes no sense. */
static bool state_line(state *s, const char *l)
{
	if (!strcmp(l, "language en") || !strcmp(l, "language zh")) {
		s->lang = !strcmp(l + 9, "zh") ? KB_ZH : KB_EN;
		return true;
	}
	if (!strncmp(l, "recent ", 7) && id_ok(l + 7)) {
		add_recent(s, l + 7);
		return true;
	}
	if (!strncmp(l, "search ", 7) && id_ok(l + 7)) {
		add_search(s, l + 7);
		return true;
	}
	return false;
}

/* The text of a state file into s; 0 when it is whole, else the number of
 * the first bad line. */
static int state_parse(state *s, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int no = 0;

	if (!len)
		return 1;               /* empty: a write that never finished */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char *l;
		bool ok;

		no++;
		if (memchr(p, '\0', n))
			return no;
		l = xstrndup(p, n);
		ok = no == 1 ? !strcmp(l, STATE_MAGIC) : !*l || state_line(s, l);
		free(l);
		if (!ok)
			return no;
		p += n + (nl != NULL);
	}
	return 0;
}

/* The file a path names, following symbolic links to the end (malloc'd):
 * the state is written through a link, never over it.  The last name
 * need not exist (a dangling link names the file to create).  NULL with
 * errno ELOOP for a loop. */
static char *resolve(const char *path)
{
	char *p = xstrdup(path);

	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		char *target, *slash, *next;
		size_t cap;
		ssize_t n;

		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p;
		for (cap = 256;; cap *= 2) {
			target = xmalloc(cap);
			n = readlink(p, target, cap);
			if (n < 0 || (size_t)n < cap)
				break;
			free(target);
		}
		if (n < 0) {
			free(target);
			return p;       /* gone meanwhile: the callers see why */
		}
		target[n] = '\0';
		slash = strrchr(p, '/');
		if (target[0] == '/' || !slash) {
			next = target;
		} else {
			next = xmalloc((size_t)(slash - p) + 1 + (size_t)n + 1);
			memcpy(next, p, (size_t)(slash - p) + 1);
			strcpy(next + (slash - p) + 1, target);
			free(target);
		}
		free(p);
		p = next;
	}
	free(p);
	errno = ELOOP;
	return NULL;
}

static char *with_suffix(const char *path, const char *suffix)
{
	char *r = xmalloc(strlen(path) + strlen(suffix) + 1);

	strcpy(r, path);
	strcat(r, suffix);
	return r;
}

/* The directory of path and its last name (malloc'd both). */
static void split_path(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		*dir = xstrdup(".");
		*base = xstrdup(path);
	} else {
		*dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
		*base = xstrdup(slash + 1);
	}
}

/* Take the lock of the state file real (PATH.lock, created when missing
 * and never removed: removing a lock file lets two holders in).  Waits
 * STATE_LOCK_WAIT seconds at most: a holder keeps it for the few
 * milliseconds of a save, so one that keeps it longer is stopped or
 * stuck, and its history is not worth this run's.  Returns the locked
 * descriptor, or -1 (no lock: the directory is missing or read-only, the
 * file system has no locks, or the wait ran out). */
static int state_lock(const char *real)
{
	char *name = with_suffix(real, ".lock");
	int fd = open(name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct timespec start, now, nap = { 0, 20 * 1000 * 1000 };

	free(name);
	if (fd < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >=
		    STATE_LOCK_WAIT * 1000)
			break;
		nanosleep(&nap, NULL);
	}
	close(fd);
	return -1;
}

static void state_unlock(int fd)
{
	if (fd >= 0)
		close(fd);              /* closing the last descriptor unlocks */
}

static bool all_of(const char *s, size_t n, const char *set)
{
	return strspn(s, set) >= n;
}

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* Whether a file of an earlier errkb's naming, BASE.XXXXXX, is a state
 * temporary: it starts as a state file does, or is empty (killed before
 * its only write).  A word in place of XXXXXX ("backup") is not such a
 * name, so a user's copy there is spared. */
static bool legacy_temporary(int dirfd, const char *name, size_t blen)
{
	const char *x = name + blen + 1;
	char head[sizeof STATE_MAGIC];
	ssize_t n;
	int fd;

	if (strlen(x) != 6 || !all_of(x, 6, ALNUM) || all_of(x, 6, "abcdefghijklmnopqrstuvwxyz"))
		return false;
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, head, sizeof head);
	close(fd);
	return n == 0 || (n == (ssize_t)sizeof head && !memcmp(head, STATE_MAGIC "\n", sizeof head));
}

/* Remove the temporaries that saves killed halfway left beside real.
 * Called with the lock held, and every save makes, writes and renames
 * its temporary with the lock held, so a temporary seen now belongs to
 * no save that is running: its writer is gone.  The one exception is a
 * save that went ahead without the lock (its wait ran out, or the file
 * system has none); its temporary is seconds old, hence the age rule as
 * well: only files untouched for STATE_STALE_SECONDS go.  Were such a
 * save's file removed all the same, its rename fails and the save is
 * reported as failed; no state file is ever damaged by this. */
static void remove_stale(const char *real)
{
	char *dir, *base;
	size_t blen;
	DIR *d;
	struct dirent *e;
	time_t now = time(NULL);

	split_path(real, &dir, &base);
	blen = strlen(base);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		const char *x = e->d_name + blen;
		struct stat st;
		bool ours;

		if (strncmp(e->d_name, base, blen) || x[0] != '.')
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    now - st.st_mtime < STATE_STALE_SECONDS)
			continue;
		ours = (!strncmp(x, ".tmp-", 5) && strlen(x + 5) == 6 && all_of(x + 5, 6, ALNUM)) ||
		       legacy_temporary(dirfd(d), e->d_name, blen);
		if (ours)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	free(dir);
	free(base);
}

/* Make room for a damaged file: PATH.bad.1 to PATH.bad.2 and so on, the
 * oldest beyond STATE_BAD_KEEP dropped.  Returns PATH.bad (malloc'd). */
static char *rotate_bad(const char *real)
{
	char *bad = with_suffix(real, ".bad");
	char *from = xmalloc(strlen(bad) + 24), *to = xmalloc(strlen(bad) + 24);

	for (int i = STATE_BAD_KEEP - 1; i > 0; i--) {
		if (i == 1)
			strcpy(from, bad);
		else
			sprintf(from, "%s.%d", bad, i - 1);
		sprintf(to, "%s.%d", bad, i);
		if (rename(from, to) != 0 && errno != ENOENT)
			break;          /* the next one is then replaced */
	}
	free(from);
	free(to);
	return bad;
}

enum taken { TAKEN_MISSING, TAKEN_OK, TAKEN_MOVED, TAKEN_KEPT };

/* Read the state file real (the file path names) into s, which is empty.
 * A damaged one is moved aside, if it is still the file read; one that
 * cannot be read is left alone.  Warnings on warn name path. */
static enum taken take(state *s, const char *path, const char *real, FILE *warn)
{
	char *text, why[256], what[4400];
	size_t len;
	struct stat st, now;
	int line = 0;

	for (int tries = 0;; tries++) {
		char *bad;

		switch (userfile_read(real, &text, &len, &st, why, sizeof why)) {
		case USERFILE_MISSING:
			return TAKEN_MISSING;
		case USERFILE_OK:
			line = state_parse(s, text, len);
			free(text);
			if (!line)
				return TAKEN_OK;
			state_free(s);
			snprintf(what, sizeof what, _("%s:%d: damaged state file"), path, line);
			break;
		case USERFILE_TOO_BIG:
			/* Not something a save writes: damaged too. */
			snprintf(what, sizeof what, _("%s: damaged state file (%s)"), path, why);
			break;
		default:
			if (warn)
				fprintf(warn, _("%s: warning: cannot read %s: %s; it is left alone "
						"and not saved over\n"), PACKAGE, path, why);
			return TAKEN_KEPT;
		}
		/* Replaced since it was read (by a save that did not wait for
		 * the lock): read it again. */
		if (lstat(real, &now) != 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
			if (tries < 3)
				continue;
			if (warn)
				fprintf(warn, _("%s: warning: %s, ignored; it keeps changing, so it is "
						"not saved over\n"), PACKAGE, what);
			return TAKEN_KEPT;
		}
		bad = rotate_bad(real);
		if (rename(real, bad) != 0) {
			if (warn)
				fprintf(warn, _("%s: warning: %s, ignored; cannot move it to %s: %s; "
						"it is not saved over\n"), PACKAGE, what, bad, strerror(errno));
			free(bad);
			return TAKEN_KEPT;
		}
		if (warn)
			fprintf(warn, _("%s: warning: %s; moved to %s, starting afresh\n"),
				PACKAGE, what, bad);
		free(bad);
		return TAKEN_MOVED;
	}
}

bool state_load(state *s, const char *path, FILE *warn)
{
	char *real = resolve(path);
	enum taken t;
	int lock;

	if (!real) {
		if (warn)
			fprintf(warn, _("%s: warning: cannot read %s: %s; it is left alone "
					"and not saved over\n"), PACKAGE, path, strerror(errno));
		s->keep_file = true;
		return false;
	}
	lock = state_lock(real);
	if (lock >= 0)
		remove_stale(real);
	t = take(s, path, real, warn);
	state_unlock(lock);
	free(real);
	s->keep_file = t == TAKEN_KEPT;
	return t == TAKEN_OK || t == TAKEN_MISSING;
}

/* mkdir -p for the directory of path (mode 0700: the state is private). */
static bool make_parent(const char *path)
{
	char *dir = xstrdup(path), *slash;
	bool ok = true;

	slash = strrchr(dir, '/');
	/* Directories made here are private; existing ones keep their mode. */
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; ok && (p = strchr(p, '/')); p++) {
			*p = '\0';
			ok = mkdir(dir, 0700) == 0 || errno == EEXIST;
			*p = '/';
		}
		ok = ok && (mkdir(dir, 0700) == 0 || errno == EEXIST);
	}
	free(dir);
	return ok;
}

static bool fsync_dir(const char *path)
{
	char *dir, *base;
	int fd;
	bool ok;

	split_path(path, &dir, &base);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ok = fd >= 0 && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	free(dir);
	free(base);
	return ok;
}

/* s over what the file holds now (disk): see state_save. */
static void merge(const state *s, const state *disk, state *out)
{
	state_init(out);
	out->lang = s->lang >= 0 ? s->lang : disk->lang;
	for (size_t i = 0; i < s->nnoted && i < s->nrecent; i++)
		add_recent(out, s->recent[i]);
	for (size_t i = 0; i < disk->nrecent; i++)
		add_recent(out, disk->recent[i]);
	for (size_t i = s->nnoted; i < s->nrecent; i++)
		add_recent(out, s->recent[i]);
	for (size_t i = 0; i < s->nsnoted && i < s->nsearches; i++)
		add_search(out, s->searches[i]);
	for (size_t i = 0; i < disk->nsearches; i++)
		add_search(out, disk->searches[i]);
	for (size_t i = s->nsnoted; i < s->nsearches; i++)
		add_search(out, s->searches[i]);
}

/* Write s to a temporary beside real and rename it over real. */
static bool write_file(const state *s, const char *real)
{
	char *tmp = with_suffix(real, TMP_SUFFIX);
	FILE *f;
	int fd, saved;

	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		saved = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		errno = saved;
		return false;
	}
	fprintf(f, "%s\n", STATE_MAGIC);
	if (s->lang >= 0)
		fprintf(f, "language %s\n", s->lang == KB_ZH ? "zh" : "en");
	for (size_t i = 0; i < s->nrecent; i++)
		fprintf(f, "recent %s\n", s->recent[i]);
	for (size_t i = 0; i < s->nsearches; i++)
		fprintf(f, "search %s\n", s->searches[i]);
	if (fflush(f) != 0 || fsync(fd) != 0 || ferror(f)) {
		saved = errno;
		fclose(f);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return false;
	}
	if (fclose(f) != 0 || rename(tmp, real) != 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return false;
	}
	free(tmp);
	/* The rename is durable once the directory is on disk too. */
	fsync_dir(real);
	return true;
}

bool state_save(const state *s, const char *path, FILE *warn)
{
	state disk, out;
	char *real;
	int lock, saved;
	bool ok = true;

	if (s->keep_file)
		return true;            /* said when it was read */
	real = resolve(path);
	if (!real)
		return false;
	if (!make_parent(real)) {
		saved = errno;
		free(real);
		errno = saved;
		return false;
	}
	lock = state_lock(real);
	if (lock >= 0)
		remove_stale(real);
	state_init(&disk);
	if (take(&disk, path, real, warn) != TAKEN_KEPT) {
		merge(s, &disk, &out);
		ok = write_file(&out, real);
		saved = errno;
		state_free(&out);
	}
	state_free(&disk);
	state_unlock(lock);
	free(real);
	if (!ok)
		errno = saved;
	return ok;
}
