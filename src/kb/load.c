#include <config.h>
#include "load.h"
#include "convert.h"
#include "i18n.h"
#include "jsonpos.h"
#include "kbcache.h"
#include "load_internal.h"
#include "xalloc.h"

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <errno.h>
#include <inttypes.h>
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

static bool is_kb_name(const char *path)
{
	return has_suffix(path, ".json") || is_jsonl(path);
}

/* The progress hook (load.h), and how far the load is. */
static kb_progress_fn progress_fn;
static void *progress_ctx;
static kb_progress prog;

void kb_load_set_progress(kb_progress_fn fn, void *ctx)
{
	progress_fn = fn;
	progress_ctx = ctx;
}

static void progress(void)
{
	if (progress_fn)
		progress_fn(progress_ctx, &prog);
}

/* The read(2) the loader uses; tests put in one that reads short. */
static load_read_fn read_fn = read;

load_read_fn load_set_read(load_read_fn fn)
{
	load_read_fn old = read_fn;

	read_fn = fn ? fn : read;
	return old;
}

/* The largest record loaded: the index keeps a record as one SQLite value
 * and its search text as another, each at most 1,000,000,000 bytes, and
 * a record that big is no reference text.  A bigger one is skipped with
 * a finding (too-big) before it is parsed. */
enum { RECORD_MAX = 512u << 20 };
static size_t record_max = RECORD_MAX;

size_t load_set_record_max(size_t max)
{
	size_t old = record_max;

	record_max = max ? max : RECORD_MAX;
	return old;
}

/* A record of bytes bytes of JSON at path:line, id if known: over the
 * limit, it is skipped with a finding. */
static bool too_big(kb *k, const char *path, unsigned line, const char *id, size_t bytes)
{
	if (bytes <= record_max)
		return false;
	diag_add(&k->diags, DK_TOO_BIG, path, line, 1, id,
		 ngettext("record of %zu byte; records over %zu MiB are skipped",
			  "record of %zu bytes; records over %zu MiB are skipped", bytes),
		 bytes, record_max >> 20);
	k->skipped++;
	return true;
}

/* Files and directories already read in this load, by (device, inode): a
 * directory reached again through a link is not read again (that is what
 * ends link loops), nor is a file reached through two links.  Open
 * addressing; an empty slot has used == false. */
static struct seen {
	struct seen_slot { dev_t dev; ino_t ino; bool used; } *v;
	size_t n, cap;                   /* cap: 0 or a power of two */
} seen;

static size_t seen_hash(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = ((uint64_t)ino * 0x9E3779B97F4A7C15u) ^ ((uint64_t)dev * 0xC2B2AE3D27D4EB4Fu);

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds (dev, ino); false if it was there already. */
static bool seen_add(dev_t dev, ino_t ino)
{
	size_t i;

	if ((seen.n + 1) * 2 > seen.cap) {
		struct seen_slot *old = seen.v;
		size_t oldcap = seen.cap;

		seen.cap = oldcap ? oldcap * 2 : 256;
		seen.v = xcalloc(seen.cap, sizeof *seen.v);
		for (size_t j = 0; j < oldcap; j++) {
			if (!old[j].used)
				continue;
			for (i = seen_hash(old[j].dev, old[j].ino, seen.cap); seen.v[i].used;
			     i = (i + 1) & (seen.cap - 1))
				;
			seen.v[i] = old[j];
		}
		free(old);
	}
	for (i = seen_hash(dev, ino, seen.cap); seen.v[i].used; i = (i + 1) & (seen.cap - 1))
		if (seen.v[i].dev == dev && seen.v[i].ino == ino)
			return false;
	seen.v[i] = (struct seen_slot){ dev, ino, true };
	seen.n++;
	return true;
}

static bool seen_has(dev_t dev, ino_t ino)
{
	if (!seen.cap)
		return false;
	for (size_t i = seen_hash(dev, ino, seen.cap); seen.v[i].used; i = (i + 1) & (seen.cap - 1))
		if (seen.v[i].dev == dev && seen.v[i].ino == ino)
			return true;
	return false;
}

static void seen_free(void)
{
	free(seen.v);
	memset(&seen, 0, sizeof seen);
}

/* Only regular files and directories are read: a FIFO could block or
 * never end, a device such as /dev/zero never ends. */
static void not_regular(kb *k, const char *path, mode_t mode)
{
	const char *what;

	if (S_ISFIFO(mode))
		what = _("a named pipe (FIFO), not a regular file; not read");
	else if (S_ISCHR(mode))
		what = _("a character device, not a regular file; not read");
	else if (S_ISBLK(mode))
		what = _("a block device, not a regular file; not read");
	else if (S_ISSOCK(mode))
		what = _("a socket, not a regular file; not read");
	else
		what = _("not a regular file; not read");
	diag_add(&k->diags, DK_IO, path, 0, 0, NULL, "%s", what);
}

/* Whether the file was read to another size than it had when opened (it
 * grew or shrank meanwhile): reported.  Size 0 is also what /proc files
 * say, whatever they hold. */
static bool size_changed(kb *k, const char *path, const struct stat *st, size_t n)
{
	if (st->st_size <= 0 || n == (size_t)st->st_size)
		return false;
	diag_add(&k->diags, DK_IO, path, 0, 0, NULL,
		 ngettext("the file changed while it was read (%jd byte when opened, %zu read); "
			  "what was read is loaded",
			  "the file changed while it was read (%jd bytes when opened, %zu read); "
			  "what was read is loaded", (unsigned long)st->st_size),
		 (intmax_t)st->st_size, n);
	return true;
}

/* The whole of the open regular file fd, NUL-terminated, in *buf (reused
 * from file to file, which spares an allocation and its page faults per
 * file).  Read until read(2) says end of file: a read may return less than
 * asked anywhere in a file (Linux gives at most 0x7ffff000 bytes a call),
 * and the file may grow or shrink while it is read, which is reported.
 * False (reported) on failure. */
static bool slurp(kb *k, int fd, const char *path, const struct stat *st,
		  char **buf, size_t *cap, size_t *len)
{
	size_t n = 0;

	if (st->st_size > 0) {
		if ((uintmax_t)st->st_size > SIZE_MAX - 2)
			die("out of memory");
		*buf = xgrow(*buf, cap, (size_t)st->st_size + 2, 1);
	}
	for (;;) {
		ssize_t got;

		if (*cap - n < 2)
			*buf = xgrow(*buf, cap, n + 65536, 1);
		got = read_fn(fd, *buf + n, *cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("read error: %s"), strerror(errno));
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	size_changed(k, path, st, n);
	(*buf)[n] = '\0';
	*len = n;
	return true;
}

static void scratch_reset(void);

/* A syntax error at off; from is the start of line from_line, before off. */
static void syntax_error(kb *k, const char *path, const char *buf, size_t from, unsigned from_line,
			 size_t off, const char *what)
{
	unsigned line, col;

	json_linecol_from(buf, from, from_line, off, &line, &col);
	diag_add(&k->diags, DK_JSON_SYNTAX, path, line, col, NULL, "%s", what);
	k->skipped++;
}

/* Parse buf[off, off+n) (NUL at off+n) as one JSON value; off is the
 * start of line number line. */
static cJSON *parse(kb *k, const char *path, const char *buf, size_t off, size_t n, unsigned line)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(buf + off, n + 1, &end, 1);

	if (!v) {
		size_t at = end && end >= buf + off ? (size_t)(end - buf) : off;

		syntax_error(k, path, buf, off, line, at,
			     json_truncated(buf, off + n, off) ? _("malformed JSON: unexpected end of input")
							      : _("malformed JSON"));
	}
	return v;
}

/* After each record of a lazy load: what it was converted into is in
 * the index, and its memory is given back. */
static void record_done(conv *c)
{
	if (!c->sink_only)
		return;
	arena_free(&c->k->mem);
	arena_init(&c->k->mem);
	c->path = arena_strdup(&c->k->mem, c->path_copy);
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
	/* One record in the file: too big, it is not parsed at all. */
	if (buf[start] == '{' && too_big(k, c->path, 1, NULL, len - start))
		return;
	root = parse(k, c->path, buf, 0, len, 1);
	if (!root)
		return;
	if (cJSON_IsArray(root)) {
		size_t *offs, n = json_array_elements(buf, len, start, &offs), i = 0;
		unsigned l = 1;
		size_t at = 0, lstart = 0;
		const cJSON *it;

		cJSON_ArrayForEach(it, root) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");

			c->start = i < n ? offs[i] : start;
			/* Count lines forward from the previous record. */
			for (; at < c->start; at++)
				if (buf[at] == '\n') {
					l++;
					lstart = at + 1;
				}
			c->line_off = lstart;
			c->line_no = l;
			if (!too_big(k, c->path, l, cJSON_IsString(id) ? id->valuestring : NULL,
				     (i + 1 < n ? offs[i + 1] : len) - c->start))
				convert_record(c, it, l);
			record_done(c);
			i++;
			prog.records++;
			prog.file_done = i < n ? offs[i] : len;
			progress();
		}
		free(offs);
	} else {
		c->start = start;
		json_linecol(buf, start, &line, &col);
		convert_record(c, root, line);
		prog.records++;
	}
	cJSON_Delete(root);
}

/* The lines of buf[0, len) (room for a NUL after them) into k, each
 * ended by a newline, the last one also when eof; *line counts them and
 * base is the offset of buf[0] in the file.  Returns the bytes used: a
 * line not yet ended is left for the next part of the file. */
static size_t load_lines(kb *k, conv *c, char *buf, size_t len, bool eof, unsigned *line,
			 unsigned long long base)
{
	size_t off = 0;

	while (off < len) {
		char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len;
		cJSON *v;

		if (!nl && !eof)
			break;
		++*line;
		if (json_skip_ws(buf, end, off) >= end || too_big(k, c->path, *line, NULL, end - off)) {
			off = end + 1;
			continue;
		}
		/* cJSON wants the value NUL-terminated to reject trailing text. */
		buf[end] = '\0';
		v = parse(k, c->path, buf, off, end - off, *line);
		if (nl)
			*nl = '\n';
		if (v) {
			c->buf = buf;
			c->len = len;
			c->start = json_skip_ws(buf, end, off);
			c->line_off = off;
			c->line_no = *line;
			convert_record(c, v, *line);
			record_done(c);
			cJSON_Delete(v);
			prog.records++;
			prog.file_done = base + end;
			progress();
		}
		scratch_reset();     /* a long .jsonl holds one tree at a time */
		off = end + 1;
	}
	return off < len ? off : len;
}

/* How much of a .jsonl file is read at a time (stream_jsonl). */
enum { STREAM_PART = 8u << 20 };
static size_t stream_part = STREAM_PART;

size_t load_set_stream_part(size_t part)
{
	size_t old = stream_part;

	stream_part = part ? part : STREAM_PART;
	return old;
}

/* The read buffer, kept between files of one load. */
static char *readbuf;
static size_t readcap;

/* A .jsonl file read a part at a time, its lines loaded as the parts come
 * in: what is held is a part and the line it ends in, not the file, so a
 * first start on a KB of gigabytes takes megabytes.  A line longer than
 * the record limit is not held: it is skipped as it is read, with its
 * finding.  Reads on to end of file whatever read(2) returns; false
 * (reported) on a read error, after the lines before it.  *total: the
 * bytes read. */
static bool stream_jsonl(kb *k, conv *c, int fd, const char *path, size_t *total)
{
	size_t have = 0, skip = 0;       /* skip: so far, of a line too big to hold */
	unsigned long long base = 0;     /* the offset of readbuf[0] in the file */
	unsigned line = 0;
	bool eof = false, skipping = false, first = true;

	*total = 0;
	while (!eof || have) {
		size_t added = 0, used;

		readbuf = xgrow(readbuf, &readcap, have + stream_part + 1, 1);
		while (!eof && added < stream_part) {
			ssize_t got = read_fn(fd, readbuf + have, readcap - have - 1);

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("read error: %s"), strerror(errno));
				return false;
			}
			if (got == 0)
				eof = true;
			have += (size_t)got;
			added += (size_t)got;
			*total += (size_t)got;
		}
		if (first && have >= 3) {
			if (!memcmp(readbuf, "\xEF\xBB\xBF", 3))
				memset(readbuf, ' ', 3);     /* a BOM is not JSON; blank it */
			first = false;
		}
		if (skipping) {
			char *nl = memchr(readbuf, '\n', have);

			used = nl ? (size_t)(nl - readbuf) + 1 : have;
			skip += nl ? used - 1 : used;
			if (nl || eof) {
				too_big(k, path, line, NULL, skip);
				skipping = false;
			}
		} else {
			used = load_lines(k, c, readbuf, have, eof, &line, base);
		}
		memmove(readbuf, readbuf + used, have - used);
		have -= used;
		base += used;
		if (!skipping && have > record_max) {
			/* The line begun is over the limit already. */
			line++;
			skipping = true;
			skip = have;
			base += have;
			have = 0;
		}
	}
	return true;
}

/* cJSON's allocations during a load come from one scratch region, emptied
 * after each file: a parse makes thousands of small nodes that all die
 * together, and malloc/free for each was a fifth of the load.  The region
 * starts small (most records are a few KiB, and a fresh 4 MiB block costs
 * more to map than a small file takes to parse) and grows by chunks of
 * double the size up to SCRATCH_MAX; a reset keeps the newest chunk, the
 * biggest, for the next file or line. */
enum { SCRATCH_MIN = 64u << 10, SCRATCH_MAX = 4u << 20, SCRATCH_ALIGN = 16 };

struct scratch_chunk {
	struct scratch_chunk *next;     /* the older chunks */
	size_t cap;
	_Alignas(16) unsigned char mem[];
};

static struct scratch {
	struct scratch_chunk *cur;
	size_t used;
	struct scratch_chunk *big;      /* blocks bigger than SCRATCH_MAX */
} scratch;

static void *scratch_alloc(size_t n)
{
	struct scratch_chunk *c;
	void *p;

	if (n > SCRATCH_MAX / 2) {
		/* A block of its own, freed at reset. */
		c = xmalloc(sizeof *c + n);
		c->cap = n;
		c->next = scratch.big;
		scratch.big = c;
		return c->mem;
	}
	n = (n + SCRATCH_ALIGN - 1) & ~(size_t)(SCRATCH_ALIGN - 1);
	if (!scratch.cur || scratch.used + n > scratch.cur->cap) {
		size_t cap = scratch.cur ? scratch.cur->cap * 2 : SCRATCH_MIN;

		while (cap < n)
			cap *= 2;
		if (cap > SCRATCH_MAX)
			cap = SCRATCH_MAX;
		c = xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->next = scratch.cur;
		scratch.cur = c;
		scratch.used = 0;
	}
	p = scratch.cur->mem + scratch.used;
	scratch.used += n;
	return p;
}

static void scratch_free(void *p)
{
	(void)p;       /* everything goes at the next reset */
}

static void free_chunks(struct scratch_chunk *c)
{
	while (c) {
		struct scratch_chunk *next = c->next;

		free(c);
		c = next;
	}
}

static void scratch_reset(void)
{
	free_chunks(scratch.big);
	scratch.big = NULL;
	if (scratch.cur) {
		free_chunks(scratch.cur->next);
		scratch.cur->next = NULL;
	}
	scratch.used = 0;
}

static void scratch_begin(void)
{
	cJSON_Hooks hooks = { .malloc_fn = scratch_alloc, .free_fn = scratch_free };

	memset(&scratch, 0, sizeof scratch);
	cJSON_InitHooks(&hooks);
}

static void scratch_end(void)
{
	scratch_reset();
	free(scratch.cur);
	memset(&scratch, 0, sizeof scratch);
	cJSON_InitHooks(NULL);
}

/* The index of this load, or NULL. */
static kbcache *cache;
/* A lazy load (kb_load_paths_lazy): records read from their sources go
 * to the index alone; lazy_missed: one could not (the index cannot
 * serve this load). */
static bool lazy, lazy_missed;

static void sink_record(void *ctx, const kb_record *r)
{
	kbcache_file_record(ctx, r);
}

/* Reads and loads the open file fd (closed here); from the index when
 * its entry is current, unless the walk asked the index already
 * (from_index). */
static void load_fd(kb *k, int fd, const char *path, bool asked)
{
	size_t len = 0;
	char *buf;
	struct stat st;
	conv c = { .k = k };
	bool ok, fill, stream, stale = false;
	kb fk, *dst = k;

	if (fstat(fd, &st) != 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot open: %s"), strerror(errno));
		close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(k, path, st.st_mode);
		close(fd);
		return;
	}
	if (!seen_add(st.st_dev, st.st_ino)) {   /* read already, under another name */
		close(fd);
		return;
	}
	if (cache && !asked && kbcache_replay(cache, k, path, &st)) {
		close(fd);
		return;
	}
	/* A .jsonl file is read as it is loaded (stream_jsonl); any other
	 * whole, first. */
	stream = is_jsonl(path);
	if (!stream) {
		ok = slurp(k, fd, path, &st, &readbuf, &readcap, &len);
		close(fd);
		if (!ok)
			return;
	}
	/* Into the index, unless the file changed while it was read (then
	 * what was read is not what its size and mtime say): a file read
	 * as it is loaded goes in, and its entry is not trusted at the
	 * next start (kbcache_file_end). */
	fill = cache && (stream || len == (size_t)st.st_size);
	if (lazy && !fill)
		lazy_missed = true;
	if (fill && lazy) {
		/* The file's records are wanted in the index only: held
		 * while it is read, then dropped, so a first start's memory
		 * is that of one file, not of the KB. */
		kb_init(&fk);
		dst = &fk;
		c.sink_only = true;
		c.path_copy = path;
	}
	if (fill) {
		kbcache_file_begin(cache, dst, path, &st);
		c.sink = sink_record;
		c.sink_ctx = cache;
	}
	prog.files++;
	prog.path = path;
	prog.file_done = 0;
	prog.file_size = stream ? (unsigned long long)st.st_size : len;
	progress();
	c.k = dst;
	c.path = arena_strdup(&dst->mem, path);
	dst->files++;
	if (stream) {
		ok = stream_jsonl(dst, &c, fd, path, &len);
		close(fd);
		stale = !ok || size_changed(dst, path, &st, len);
	} else {
		buf = readbuf;
		if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
			memset(buf, ' ', 3);     /* a BOM is not JSON; blank it */
		c.buf = buf;
		c.len = len;
		load_json(dst, &c, buf, len);
	}
	dst->json_bytes += len;
	scratch_reset();
	prog.bytes += len;
	prog.path = NULL;
	prog.file_done = prog.file_size = 0;
	progress();
	if (fill)
		kbcache_file_end(cache, dst, stale);
	if (dst == &fk) {
		for (size_t i = 0; i < fk.diags.len; i++) {
			const diag *d = &fk.diags.items[i];

			diag_add(&k->diags, d->kind, d->path, d->line, d->col, d->record_id, "%s", d->message);
		}
		k->skipped += fk.skipped;
		k->files += fk.files;
		k->json_bytes += fk.json_bytes;
		kb_free(&fk);
	}
}

/* The file at path, whose stat is st, from the index if its entry there
 * is current: the file is not even opened.  False when it must be read
 * (no index, no entry, or a changed file). */
static bool from_index(kb *k, const struct stat *st, const char *path)
{
	if (!cache || !S_ISREG(st->st_mode))
		return false;
	if (seen_has(st->st_dev, st->st_ino))
		return true;      /* read already, under another name */
	if (!kbcache_replay(cache, k, path, st))
		return false;
	seen_add(st->st_dev, st->st_ino);
	return true;
}

/* The directories from the top of the walk down to the one being read,
 * to tell a link loop (a link back to one of them) from a directory that
 * is merely reached twice. */
static struct walk_dir {
	dev_t dev;
	ino_t ino;
	const char *path;
} walk[MAX_DEPTH + 1];

static void load_dir(kb *k, int fd, const char *path, int depth);

/* Enters the open directory fd (closed here) at depth, unless it was read
 * already: a link back to a directory above it is a loop, reported. */
static void enter_dir(kb *k, int fd, const char *path, int depth)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot read directory: %s"),
			 strerror(errno));
		close(fd);
		return;
	}
	for (int i = 0; i < depth && i <= MAX_DEPTH; i++) {
		if (walk[i].dev == st.st_dev && walk[i].ino == st.st_ino) {
			diag_add(&k->diags, DK_LINK_LOOP, path, 0, 0, NULL,
				 _("leads back to %s, a directory it is in (a link loop); not followed"),
				 walk[i].path);
			close(fd);
			return;
		}
	}
	if (depth > MAX_DEPTH) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL,
			 _("directories nested deeper than %d; not read"), MAX_DEPTH);
		close(fd);
		return;
	}
	if (!seen_add(st.st_dev, st.st_ino)) {   /* read already, through another link */
		close(fd);
		return;
	}
	walk[depth] = (struct walk_dir){ st.st_dev, st.st_ino, path };
	load_dir(k, fd, path, depth);
}

struct entry {
	char *name;
	unsigned char type;
	int err;                /* of stat: 0, an errno, or -1 if not made */
	struct stat st;
};

static int entry_cmp(const void *a, const void *b)
{
	/* By bytes, not by the locale's collation: which of two records of
	 * the same id comes first (and is kept) must not depend on the
	 * user's LC_COLLATE, and the index orders files the same way
	 * (kbcache.c, walk_key). */
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* The stats of a directory's entries, made on two threads when there
 * are enough of them: a warm start's walk of a tree of files is mostly
 * stats.  Entries are taken in turn by the walk, which needs them in
 * order, and by a helper thread, one for the whole walk; the walk makes
 * the stat of the next entry no one has taken whenever the one it needs
 * is not made yet, so the two share the stats as they come. */
enum { PRESTAT_MIN = 256 };

struct prestat {
	int dfd;
	struct entry *v;
	size_t n;
	atomic_size_t next;       /* the first entry not taken */
	atomic_bool *done;        /* entry made (its err and st set) */
	bool busy;                /* the helper is at it (helper.mu) */
};

/* The helper: it takes the directory in job, the last one offered. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;        /* a job or quit; a job put down */
	struct prestat *job;
	bool started, failed, quit;
	pthread_t thread;
} helper = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* Whether entry e is stat'ed: a link or an entry of unknown type (to learn
 * what it is), a KB file when there is an index (to learn whether it has
 * it). */
static bool wants_stat(const struct entry *e)
{
	return e->type == DT_LNK || e->type == DT_UNKNOWN ||
	       (cache && e->type == DT_REG && is_kb_name(e->name));
}

static void stat_one(struct prestat *p, size_t i)
{
	struct entry *e = &p->v[i];

	if (wants_stat(e))
		e->err = fstatat(p->dfd, e->name, &e->st, 0) ? errno : 0;
	atomic_store_explicit(&p->done[i], true, memory_order_release);
}

static void *helper_run(void *arg)
{
	(void)arg;
	xcheck(pthread_mutex_lock(&helper.mu), "lock");
	for (;;) {
		struct prestat *p;
		size_t i;

		while (!helper.job && !helper.quit)
			xcheck(pthread_cond_wait(&helper.cv, &helper.mu), "wait");
		if (helper.quit)
			break;
		p = helper.job;
		helper.job = NULL;
		p->busy = true;
		xcheck(pthread_mutex_unlock(&helper.mu), "unlock");
		while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
			stat_one(p, i);
		xcheck(pthread_mutex_lock(&helper.mu), "lock");
		p->busy = false;
		xcheck(pthread_cond_broadcast(&helper.cv), "signal");
	}
	xcheck(pthread_mutex_unlock(&helper.mu), "unlock");
	return NULL;
}

static void prestat_begin(struct prestat *p, int dfd, struct entry *v, size_t n)
{
	size_t want = 0;

	p->dfd = dfd;
	p->v = v;
	p->n = n;
	p->busy = false;
	atomic_init(&p->next, 0);
	p->done = xmalloc((n ? n : 1) * sizeof *p->done);
	for (size_t i = 0; i < n; i++) {
		atomic_init(&p->done[i], false);
		want += wants_stat(&v[i]);
	}
	if (want < PRESTAT_MIN || helper.failed)
		return;
	if (!helper.started) {
		helper.quit = false;
		helper.started = thread_start(&helper.thread, helper_run, NULL) == 0;
		helper.failed = !helper.started;     /* the walk does it all */
		if (!helper.started)
			return;
	}
	xcheck(pthread_mutex_lock(&helper.mu), "lock");
	helper.job = p;
	xcheck(pthread_cond_broadcast(&helper.cv), "signal");
	xcheck(pthread_mutex_unlock(&helper.mu), "unlock");
}

/* Entry i, its stat made. */
static void prestat_wait(struct prestat *p, size_t i)
{
	while (!atomic_load_explicit(&p->done[i], memory_order_acquire)) {
		size_t j = atomic_fetch_add(&p->next, 1);

		if (j < p->n)
			stat_one(p, j);
		else
			sched_yield();     /* the helper is at it */
	}
}

/* The directory is read: the helper is done with it, or never takes it. */
static void prestat_end(struct prestat *p)
{
	atomic_store(&p->next, p->n);
	if (helper.started) {
		xcheck(pthread_mutex_lock(&helper.mu), "lock");
		if (helper.job == p)
			helper.job = NULL;
		while (p->busy)
			xcheck(pthread_cond_wait(&helper.cv, &helper.mu), "wait");
		xcheck(pthread_mutex_unlock(&helper.mu), "unlock");
	}
	free(p->done);
}

/* The walk is over: the helper goes. */
static void helper_stop(void)
{
	if (helper.started) {
		xcheck(pthread_mutex_lock(&helper.mu), "lock");
		helper.quit = true;
		xcheck(pthread_cond_broadcast(&helper.cv), "signal");
		xcheck(pthread_mutex_unlock(&helper.mu), "unlock");
		if (pthread_join(helper.thread, NULL) != 0)
			die("pthread_join failed");
	}
	helper.started = helper.failed = false;
	helper.job = NULL;
}

/* Reads the directory fd (closed here), entries sorted by name, names
 * starting with a dot left out. */
static void load_dir(kb *k, int fd, const char *path, int depth)
{
	DIR *d = fdopendir(fd);
	struct entry *v = NULL;
	size_t n = 0, cap = 0, plen;
	struct dirent *de;
	struct prestat ps;
	bool sep;

	if (!d) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot read directory: %s"),
			 strerror(errno));
		close(fd);
		return;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				diag_add(&k->diags, DK_IO, path, 0, 0, NULL,
					 _("cannot read directory: %s"), strerror(errno));
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].name = xstrdup(de->d_name);
		v[n].err = -1;
		v[n++].type = de->d_type;
	}
	if (n)
		qsort(v, n, sizeof *v, entry_cmp);
	/* d_type spares a stat per entry; links and unknown types (some
	 * file systems) are resolved with stat.  A KB file is stat'ed to
	 * tell whether the index has it, which only a cache needs. */
	prestat_begin(&ps, dirfd(d), v, n);
	plen = strlen(path);
	sep = plen && path[plen - 1] != '/';
	for (size_t i = 0; i < n; i++) {
		unsigned char type = v[i].type;
		bool kbname = is_kb_name(v[i].name);
		size_t nlen = strlen(v[i].name);
		char *child = xmalloc(plen + sep + nlen + 1);
		struct stat *st = &v[i].st;
		int cfd;

		memcpy(child, path, plen);
		child[plen] = '/';
		memcpy(child + plen + sep, v[i].name, nlen + 1);
		prestat_wait(&ps, i);
		if (type == DT_LNK || type == DT_UNKNOWN) {
			if (v[i].err) {
				if (kbname)     /* e.g. a dangling link */
					diag_add(&k->diags, DK_IO, child, 0, 0, NULL,
						 _("cannot open: %s"), strerror(v[i].err));
				type = DT_UNKNOWN;
			} else {
				type = S_ISDIR(st->st_mode) ? DT_DIR : S_ISREG(st->st_mode) ? DT_REG : DT_UNKNOWN;
				if (type == DT_UNKNOWN && kbname)
					not_regular(k, child, st->st_mode);
			}
		} else if (type != DT_DIR && type != DT_REG && kbname) {
			not_regular(k, child, DTTOIF(type));
		}
		if (type == DT_DIR) {
			cfd = openat(dirfd(d), v[i].name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cfd < 0)
				diag_add(&k->diags, DK_IO, child, 0, 0, NULL,
					 _("cannot read directory: %s"), strerror(errno));
			else
				enter_dir(k, cfd, child, depth + 1);
		} else if (type == DT_REG && kbname && cache && v[i].err == 0 &&
			   from_index(k, st, child)) {
			;      /* as read before */
		} else if (type == DT_REG && kbname) {
			/* O_NONBLOCK: should it have become a FIFO meanwhile,
			 * opening it does not wait for a writer. */
			cfd = openat(dirfd(d), v[i].name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
			if (cfd < 0)
				diag_add(&k->diags, DK_IO, child, 0, 0, NULL, _("cannot open: %s"),
					 strerror(errno));
			else
				load_fd(k, cfd, child, true);
		}
		free(child);
		free(v[i].name);
	}
	prestat_end(&ps);
	free(v);
	closedir(d);
}

static void load_path(kb *k, const char *path)
{
	struct stat st;
	int fd;

	/* stat first so that a device is not even opened; what the open
	 * file then is (fstat) decides. */
	if (stat(path, &st) != 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot open: %s"), strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		not_regular(k, path, st.st_mode);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		diag_add(&k->diags, DK_IO, path, 0, 0, NULL, _("cannot open: %s"), strerror(errno));
		return;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		enter_dir(k, fd, path, 0);
	else
		load_fd(k, fd, path, false);
}

void kb_load_paths(kb *k, const char *const *paths, size_t n)
{
	kb_load_paths_cached(k, paths, n, NULL);
}

/* The load proper, without its end's progress. */
static void load_paths(kb *k, const char *const *paths, size_t n, kbcache *c)
{
	memset(&prog, 0, sizeof prog);
	cache = c;
	scratch_begin();
	for (size_t i = 0; i < n; i++) {
		if (cache)
			kbcache_root(cache, i);
		load_path(k, paths[i]);
	}
	scratch_end();
	helper_stop();
	cache = NULL;
	seen_free();
	free(readbuf);
	readbuf = NULL;
	readcap = 0;
	kb_finish(k);
}

static void progress_done(void)
{
	prog.done = true;
	progress();
	memset(&prog, 0, sizeof prog);
}

void kb_load_paths_cached(kb *k, const char *const *paths, size_t n, kbcache *c)
{
	load_paths(k, paths, n, c);
	progress_done();
}

bool kb_load_paths_lazy(kb *k, const char *const *paths, size_t n, kbcache *c)
{
	diag_list d;
	size_t files, bytes, skipped;
	bool settled;

	kbcache_set_lazy(c, true);
	lazy = true;
	lazy_missed = false;
	load_paths(k, paths, n, c);
	lazy = false;
	kbcache_set_lazy(c, false);
	/* k holds the records of the files read from their sources, which
	 * are in the index now: what kb_add and kb_finish said of them alone
	 * (duplicates, dangling links) is not what they say of the whole
	 * KB; the index tells duplicates, and links are checked by `check`. */
	skipped = k->skipped - diag_list_drop(&k->diags, DK_DUPLICATE_ID);
	diag_list_drop(&k->diags, DK_DANGLING_LINK);
	files = k->files;
	bytes = k->json_bytes;
	d = k->diags;
	diag_list_init(&k->diags);
	kb_free(k);
	kb_init(k);
	k->diags = d;
	k->files = files;
	k->json_bytes = bytes;
	k->skipped = skipped;
	settled = kbcache_settle(c, k);
	progress_done();
	return settled && !lazy_missed;
}
