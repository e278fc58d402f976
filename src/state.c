#include <config.h>
#include "state.h"
#include "i18n.h"
#include "textscan.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first line; a file without it is not ours (or is damaged). */
#define STATE_MAGIC "# errkb state 1"

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
	state_init(s);
}

/* What a recent line may hold: one line of valid, harmless UTF-8.  Ids
 * come from the KB, which is untrusted. */
static bool id_ok(const char *id)
{
	return *id && !strpbrk(id, "\n\r\t") && text_invalid_utf8(id, strlen(id)) == (size_t)-1 &&
	       !text_has_control(id);
}

void state_note_record(state *s, const char *id)
{
	size_t i;
	char *keep;

	/* Never write what the reader would take for damage. */
	if (!id_ok(id))
		return;

	for (i = 0; i < s->nrecent && strcmp(s->recent[i], id); i++)
		;
	if (i == s->nrecent) {
		if (s->nrecent < STATE_RECENT_MAX) {
			s->recent = xrealloc(s->recent, (s->nrecent + 1) * sizeof *s->recent);
			s->nrecent++;
		} else {
			i = s->nrecent - 1;
			free(s->recent[i]);
		}
		keep = xstrdup(id);
	} else {
		keep = s->recent[i];
	}
	memmove(s->recent + 1, s->recent, i * sizeof *s->recent);
	s->recent[0] = keep;
}

/* One line of the file; false when it makes no sense. */
static bool state_line(state *s, char *l)
{
	if (!strcmp(l, "language en") || !strcmp(l, "language zh")) {
		s->lang = !strcmp(l + 9, "zh") ? KB_ZH : KB_EN;
		return true;
	}
	if (!strncmp(l, "recent ", 7) && id_ok(l + 7)) {
		if (s->nrecent < STATE_RECENT_MAX) {
			s->recent = xrealloc(s->recent, (s->nrecent + 1) * sizeof *s->recent);
			s->recent[s->nrecent++] = xstrdup(l + 7);
		}
		return true;
	}
	return false;
}

bool state_load(state *s, const char *path, FILE *warn)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int no = 0;
	bool ok = true;

	if (!f) {
		if (errno == ENOENT)
			return true;
		if (warn)
			fprintf(warn, _("%s: warning: cannot read %s: %s; starting afresh\n"),
				PACKAGE, path, strerror(errno));
		return false;
	}
	while (ok && (n = getline(&line, &cap, f)) != -1) {
		no++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n != strlen(line))
			ok = false;
		else if (no == 1)
			ok = !strcmp(line, STATE_MAGIC);
		else if (*line)
			ok = state_line(s, line);
	}
	if (ok && no == 0)
		ok = false;             /* empty: a write that never finished */
	free(line);
	fclose(f);
	if (!ok) {
		if (warn)
			fprintf(warn, _("%s: warning: %s:%d: damaged state file, ignored\n"),
				PACKAGE, path, no);
		state_free(s);
	}
	return ok;
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
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;
	bool ok;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
	ok = fd >= 0 && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	free(dir);
	return ok;
}

bool state_save(const state *s, const char *path)
{
	size_t len = strlen(path);
	char *tmp = xmalloc(len + 8);
	FILE *f;
	int fd, saved;

	if (!make_parent(path)) {
		free(tmp);
		return false;
	}
	memcpy(tmp, path, len);
	strcpy(tmp + len, ".XXXXXX");
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
	if (fflush(f) != 0 || fsync(fd) != 0 || ferror(f)) {
		saved = errno;
		fclose(f);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return false;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return false;
	}
	free(tmp);
	/* The rename is durable once the directory is on disk too. */
	fsync_dir(path);
	return true;
}
