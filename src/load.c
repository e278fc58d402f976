#include <config.h>
#include "load.h"
#include "convert.h"
#include "i18n.h"
#include "jsonpos.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

enum { MAX_DEPTH = 64 };

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

static bool is_jsonl(const char *path)
{
	return has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson");
}

/* Whole file, NUL-terminated, in *buf (reused from file to file, which
 * spares an allocation and its page faults per file).  False (reported) on
 * failure.  Plain read(2): fewer system calls than stdio, which matters
 * with thousands of small files. */
static bool slurp(kb *k, const char *path, char **buf, size_t *cap, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t n = 0;

	if (fd < 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot open: %s"), strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		*buf = xgrow(*buf, cap, (size_t)st.st_size + 2, 1);
	for (;;) {
		ssize_t got;

		if (*cap - n < 2)
			*buf = xgrow(*buf, cap, n + 65536, 1);
		got = read(fd, *buf + n, *cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("read error: %s"), strerror(errno));
			close(fd);
			return false;
		}
		n += (size_t)got;
		/* A short read of a regular file is its end. */
		if (got == 0 || (S_ISREG(st.st_mode) && n < *cap - 1))
			break;
	}
	close(fd);
	(*buf)[n] = '\0';
	*len = n;
	return true;
}

static void scratch_reset(void);

static void syntax_error(kb *k, const char *path, const char *buf, size_t off,
			 unsigned line_base, const char *what)
{
	unsigned line, col;

	json_linecol(buf, off, &line, &col);
	diag_add(&k->diags, DK_JSON_SYNTAX, path, line + line_base, col, NULL, "%s", what);
	k->skipped++;
}

/* Parse buf[off, off+n) (NUL at off+n) as one JSON value. */
static cJSON *parse(kb *k, const char *path, const char *buf, size_t off, size_t n)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(buf + off, n + 1, &end, 1);

	if (!v) {
		size_t at = end && end >= buf + off ? (size_t)(end - buf) : off;

		syntax_error(k, path, buf, at, 0,
			     json_truncated(buf, off + n, off) ? _("malformed JSON: unexpected end of input")
							      : _("malformed JSON"));
	}
	return v;
}

static void load_json(kb *k, conv *c, char *buf, size_t len)
{
	size_t start = json_skip_ws(buf, len, 0);
	unsigned line, col;
	cJSON *root;

	if (start >= len) {
		diag_add(&k->diags, DK_JSON_SYNTAX, c->path, 1, 1, NULL, _("empty file"));
		return;
	}
	root = parse(k, c->path, buf, 0, len);
	if (!root)
		return;
	if (cJSON_IsArray(root)) {
		size_t *offs, n = json_array_elements(buf, len, start, &offs), i = 0;
		unsigned l = 1;
		size_t at = 0;
		const cJSON *it;

		cJSON_ArrayForEach(it, root) {
			c->start = i < n ? offs[i] : start;
			/* Count lines forward from the previous record. */
			for (; at < c->start; at++)
				l += buf[at] == '\n';
			convert_record(c, it, l);
			i++;
		}
		free(offs);
	} else {
		c->start = start;
		json_linecol(buf, start, &line, &col);
		convert_record(c, root, line);
	}
	cJSON_Delete(root);
}

static void load_jsonl(kb *k, conv *c, char *buf, size_t len)
{
	unsigned line = 0;

	for (size_t off = 0; off < len;) {
		char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len;
		cJSON *v;

		line++;
		if (json_skip_ws(buf, end, off) >= end) {
			off = end + 1;
			continue;
		}
		/* cJSON wants the value NUL-terminated to reject trailing text. */
		buf[end] = '\0';
		v = parse(k, c->path, buf, off, end - off);
		if (nl)
			*nl = '\n';
		if (v) {
			c->start = json_skip_ws(buf, end, off);
			convert_record(c, v, line);
			cJSON_Delete(v);
		}
		scratch_reset();     /* a long .jsonl holds one tree at a time */
		off = end + 1;
	}
}

/* cJSON's allocations during a load come from one scratch region, emptied
 * after each file: a parse makes thousands of small nodes that all die
 * together, and malloc/free for each was a fifth of the load. */
static struct scratch {
	unsigned char *mem;
	size_t used, cap;
	struct scratch_big { struct scratch_big *next; } *big;   /* oversize blocks */
} scratch;

static void *scratch_alloc(size_t n)
{
	const size_t align = 16;
	void *p;

	n = (n + align - 1) & ~(align - 1);
	if (scratch.used + n > scratch.cap) {
		/* Too big for what is left: a block of its own, freed at reset. */
		struct scratch_big *b = xmalloc(sizeof *b + align + n);

		b->next = scratch.big;
		scratch.big = b;
		return (unsigned char *)b + align;
	}
	p = scratch.mem + scratch.used;
	scratch.used += n;
	return p;
}

static void scratch_free(void *p)
{
	(void)p;       /* everything goes at the next reset */
}

static void scratch_reset(void)
{
	while (scratch.big) {
		struct scratch_big *next = scratch.big->next;

		free(scratch.big);
		scratch.big = next;
	}
	scratch.used = 0;
}

static void scratch_begin(void)
{
	cJSON_Hooks hooks = { .malloc_fn = scratch_alloc, .free_fn = scratch_free };

	scratch.cap = 4u << 20;
	scratch.mem = xmalloc(scratch.cap);
	scratch.used = 0;
	cJSON_InitHooks(&hooks);
}

static void scratch_end(void)
{
	scratch_reset();
	free(scratch.mem);
	memset(&scratch, 0, sizeof scratch);
	cJSON_InitHooks(NULL);
}

/* The read buffer, kept between files of one load. */
static char *readbuf;
static size_t readcap;

static void load_file(kb *k, const char *path)
{
	size_t len = 0;
	char *buf;
	conv c = { .k = k };

	if (!slurp(k, path, &readbuf, &readcap, &len))
		return;
	buf = readbuf;
	c.path = arena_strdup(&k->mem, path);
	k->files++;
	k->json_bytes += len;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		memset(buf, ' ', 3);     /* a BOM is not JSON; blank it */
	c.buf = buf;
	c.len = len;
	if (is_jsonl(path))
		load_jsonl(k, &c, buf, len);
	else
		load_json(k, &c, buf, len);
	scratch_reset();
}

static int keep_entry(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void load_dir(kb *k, const char *path, int depth)
{
	struct dirent **names;
	int n;

	if (depth > MAX_DEPTH) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL,
			 _("directories nested deeper than %d (a link loop?); not read"), MAX_DEPTH);
		return;
	}
	n = scandir(path, &names, keep_entry, alphasort);
	if (n < 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot read directory: %s"),
			 strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char *child;
		struct stat st;

		if (asprintf(&child, "%s%s%s", path, has_suffix(path, "/") ? "" : "/",
			     names[i]->d_name) < 0)
			die("out of memory");
		/* d_type spares a stat per entry; links and unknown types
		 * (some file systems) are resolved with stat. */
		unsigned char type = names[i]->d_type;

		if ((type == DT_LNK || type == DT_UNKNOWN) && stat(child, &st) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR)
			load_dir(k, child, depth + 1);
		else if (type == DT_REG && (has_suffix(child, ".json") || is_jsonl(child)))
			load_file(k, child);
		free(child);
		free(names[i]);
	}
	free(names);
}

static void load_path(kb *k, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot open: %s"), strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode))
		load_dir(k, path, 0);
	else
		load_file(k, path);
}

void kb_load_paths(kb *k, const char *const *paths, size_t n)
{
	scratch_begin();
	for (size_t i = 0; i < n; i++)
		load_path(k, paths[i]);
	scratch_end();
	free(readbuf);
	readbuf = NULL;
	readcap = 0;
	kb_finish(k);
}
