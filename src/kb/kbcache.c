#include <config.h>
#include "kbcache.h"
#include "i18n.h"
#include "recser.h"
#include "search.h"
#include "strmap.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/uvernum.h>
#include <unistd.h>

/* The layout of the tables; bump it, and every index is made anew, when
 * they change, or when the loader makes something else of a file (a new
 * finding, another conversion): what the index holds is the loader's
 * output, so the loader's version is part of its key. */
enum { KBCACHE_SCHEMA = 11 };
/* ICU's version too: the sort keys stored are its collators'. */
#define KBCACHE_VERSION PACKAGE_VERSION "/7/icu-" U_ICU_VERSION

/* A file whose mtime is this close to the moment it was read may change
 * again within the same mtime tick, unseen: its entry is kept, but not
 * trusted until the file is read once more, later (as git treats a
 * "racily clean" file). */
#define RACY_NS 2000000000LL

/* records.sig_state: the signature's zh_state, and which texts it has. */
enum { SIG_ZH_STATE = 3, SIG_EN = 4, SIG_ZH = 8 };

/* The screen (search.h) of the records, bit-sliced: for each block of
 * SCREEN_BLOCK records by key and each trigram hash h, a map of one bit
 * a record, set when the record's text has a trigram of hash h.  A
 * query reads the maps of the hashes it needs (a few rows a block) and
 * scores only the records set in all of them.  A record's bits are set
 * when it is written and never cleared: the bits of a record gone only
 * make a candidate that scoring turns down. */
enum { SCREEN_BLOCK_BITS = 12, SCREEN_BLOCK = 1 << SCREEN_BLOCK_BITS, SCREEN_MAP = SCREEN_BLOCK / 8 };

/* How long to wait for another errkb that holds the index. */
enum { BUSY_MS = 3000 };

/* The writer (see "filling"): a batch is handed over at WQ_BATCH bytes,
 * at most WQ_DEPTH wait, and a buffer up to WQ_KEEP bytes is reused. */
enum { WQ_BATCH = 1 << 20, WQ_DEPTH = 4, WQ_KEEP = 4 << 20 };

struct kbcache {
	sqlite3 *db;
	char *path;
	/* A second connection, for scans in two (scan2_ready): db2_state
	 * 0 not opened yet, 1 open on the snapshot of token db2_token, -1
	 * not to be used.  db2mu: the search that uses it. */
	sqlite3 *db2;
	int db2_state;
	char *db2_token;
	pthread_mutex_t db2mu;
	bool db2mu_ok;
	/* sqlite3_total_changes after BEGIN IMMEDIATE, and once the walk's
	 * writes are settled and the snapshot token set (set_token). */
	sqlite3_int64 changes0, changes_settled;
	/* Atomic: the writer thread sets them while the loader reads them. */
	atomic_bool failed;       /* a write failed: nothing is committed */
	atomic_bool damaged;      /* the file is not a sound index: removed at close */
	bool fresh;               /* a new file, in WAL mode once its first load is in */
	char *canary;             /* a message in the language findings are made in */
	char **roots;             /* as the loader walks them */
	size_t nroots, root;      /* root: the one being walked */
	sqlite3_stmt *get_file, *get_recs, *del_recs, *del_file, *ins_file, *upd_file,
		     *ins_rec, *ins_link, *del_links, *touch_file, *ins_touched,
		     *ins_data, *del_data, *ins_doc, *del_doc, *get_map, *put_map;
	bool lazy;                /* replay findings and figures, not records */
	bool settled;             /* the walk is over and its writes are done */
	UCollator *coll[2];       /* display order, KB_EN and KB_ZH; NULL: bytes */
	UChar *u16;
	int32_t u16cap;
	recbuf ord;
	/* The file being read from its source: the loader's side. */
	bool filling;
	size_t diag0, skipped0, bytes0;
	recbuf buf;
	recbuf wb;                /* the batch being made */
	/* The writer's side (c->ord, c->u16 and c->coll are its too). */
	sqlite3_int64 file_id;
	size_t nrecs;
	/* The writer thread, while it runs (wrunning), and its queue. */
	bool wrunning, wstop;
	pthread_t wthread;
	pthread_mutex_t wmu;      /* the queue */
	pthread_mutex_t dblock;   /* the connection */
	pthread_cond_t wmore, wroom;
	recbuf wq[WQ_DEPTH];      /* the batches waiting, from wq_head */
	size_t wq_head, wq_count;
	recbuf wfree[WQ_DEPTH];   /* written, for the loader to fill again */
	size_t wfree_n;
	kbcache_stats st;
	/* The files table as the load found it (files_load), by key: a
	 * file is looked up here, not with a query a file; seen: met by
	 * this walk (the others are gone at its end). */
	struct file_ent {
		sqlite3_int64 id, dev, ino, size, mtime, ctime, bytes, skipped;
		size_t nrecs, ndiags;
		const char *key, *canary;
		const unsigned char *diags;
		bool racy, seen;
	} *files;
	size_t nfiles;
	bool files_loaded;
	/* file_ix is made at the first file not met where fnext says (the
	 * rows come as the walk met them when the index was made, and a
	 * warm walk meets them so again: most lookups are one strcmp). */
	strmap file_ix;
	bool file_ix_made;
	size_t fnext;
	recbuf keybuf;            /* file_key's */
	arena fmem;               /* the keys, canaries and findings of files */
	/* The screen's maps of the block of records being written. */
	uint8_t (*maps)[SCREEN_MAP];
	sqlite3_int64 maps_block;  /* -1: none */
	/* The browser's heads (kbcache_slots). */
	sqlite3_stmt *head_paths, *head_one, *head_id, *head_data;
	sqlite3_int64 head_file;  /* the file of head_path */
	const char *head_path, *head_tier;
};

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE files("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"       /* root number, US, path under the root */
	" walk BLOB NOT NULL,"             /* sorts as the loader meets the files */
	" dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL,"
	" mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, racy INTEGER NOT NULL,"
	" bytes INTEGER NOT NULL, skipped INTEGER NOT NULL, nrecs INTEGER NOT NULL,"
	" canary TEXT NOT NULL, diags BLOB NOT NULL);"
	/* A record as converted (data), and what lists and filters need
	 * without decoding it.  dup: another record of this id comes first
	 * in the walk (it is left out, as the loader leaves it out).
	 * sig_en, sig_zh: the signature as shown in each language;
	 * sig_state, sig_zhraw: what else the signature's kb_text holds
	 * (SIG_* bits and its zh_state; the Chinese text when sig_zh is
	 * not it), so that a record's head is had from this row alone.
	 * ord_en, ord_zh: ICU sort keys of the domain, then the signature,
	 * in that language (the display order).  regex, regex_zh: for
	 * match. */
	"CREATE TABLE records("
	" file INTEGER NOT NULL, seq INTEGER NOT NULL, line INTEGER NOT NULL,"
	" id TEXT NOT NULL, dup INTEGER NOT NULL DEFAULT 0,"
	" domain TEXT NOT NULL, category TEXT NOT NULL, confidence REAL,"
	" resolvable INTEGER NOT NULL, tier TEXT,"
	" sig_en TEXT NOT NULL, sig_zh TEXT NOT NULL, sig_state INTEGER NOT NULL, sig_zhraw TEXT,"
	" ord_en BLOB NOT NULL, ord_zh BLOB NOT NULL, regex TEXT, regex_zh TEXT,"
	" PRIMARY KEY (file, seq));"
	/* The converted records apart, by the rowid of their row in records:
	 * a list or a filter reads small rows, not every record's bytes. */
	"CREATE TABLE recdata(rid INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	/* Each record's searchable text, folded (a search_doc), by the
	 * rowid of its row in records: a search reads these, not the records.
	 * The long columns last, so that reading the short ones does not
	 * walk their pages. */
	"CREATE TABLE search(rid INTEGER PRIMARY KEY, sig TEXT NOT NULL, code TEXT, tags TEXT, fix REAL,"
	" head TEXT NOT NULL, pinyin TEXT NOT NULL, body TEXT NOT NULL);"
	/* The screen: key = block * SEARCH_SCREEN_HASHES + hash. */
	"CREATE TABLE screen(key INTEGER PRIMARY KEY, map BLOB NOT NULL);"
	"CREATE INDEX records_id ON records(id);"
	/* Partial: the display order is read from them alone. */
	"CREATE INDEX records_ord_en ON records(ord_en, id) WHERE NOT dup;"
	"CREATE INDEX records_ord_zh ON records(ord_zh, id) WHERE NOT dup;"
	"CREATE INDEX records_domain ON records(domain, ord_en);"
	"CREATE INDEX records_dup ON records(file) WHERE dup;"
	/* Every link of a record, by the id it names: who points here. */
	"CREATE TABLE links(file INTEGER NOT NULL, seq INTEGER NOT NULL, target TEXT NOT NULL);"
	"CREATE INDEX links_target ON links(target);"
	"CREATE INDEX links_file ON links(file, seq);";

/* ---- helpers ---- */

static bool is_damage(int rc)
{
	rc &= 0xFF;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Notes a failed call: damage condemns the file, anything else the
 * load's writes. */
static void failed(kbcache *c, int rc)
{
	if (is_damage(rc))
		c->damaged = true;
	c->failed = true;
}

static bool exec(kbcache *c, const char *sql)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		failed(c, rc);
		return false;
	}
	return true;
}

static sqlite3_stmt *prepare(kbcache *c, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);

	if (rc != SQLITE_OK) {
		failed(c, rc);
		return NULL;
	}
	return s;
}

/* Runs s to its end (a statement that returns no rows); resets it. */
static bool run(kbcache *c, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		return false;
	}
	return true;
}

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* The status change time: a chmod, chown, link count or an mtime set back
 * (touch -d) moves it, which size and mtime alone would not show. */
static long long ctime_ns(const struct stat *st)
{
	return (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* mkdir -p, new directories private. */
static bool make_dirs(const char *dir)
{
	char *d = xstrdup(dir);
	bool ok = true;

	for (char *p = d + 1; ok && (p = strchr(p, '/')); p++) {
		*p = '\0';
		ok = mkdir(d, 0700) == 0 || errno == EEXIST;
		*p = '/';
	}
	ok = ok && (mkdir(d, 0700) == 0 || errno == EEXIST);
	free(d);
	return ok;
}

static void remove_db(const char *path)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		char *p = xasprintf("%s%s", path, tails[i]);

		unlink(p);
		free(p);
	}
}

/* The real paths of the roots, one a line: what names the index. */
static char *roots_text(const char *const *paths, size_t n)
{
	size_t len = 1;
	char **real = xmalloc((n ? n : 1) * sizeof *real), *out;

	for (size_t i = 0; i < n; i++) {
		real[i] = realpath(paths[i], NULL);
		if (!real[i])
			real[i] = xstrdup(paths[i]);
		len += strlen(real[i]) + 1;
	}
	out = xmalloc(len);
	*out = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(out, real[i]);
		strcat(out, "\n");
		free(real[i]);
	}
	free(real);
	return out;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static char *meta_get(kbcache *c, const char *key)
{
	sqlite3_stmt *s = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static bool meta_set(kbcache *c, const char *key, const char *value)
{
	sqlite3_stmt *s = prepare(c, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");

	if (!s)
		return false;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	return run(c, s) && sqlite3_finalize(s) == SQLITE_OK;
}

/* The tables, made anew unless they are of this schema and version and
 * for these roots.  Inside the write transaction. */
static bool ensure_schema(kbcache *c, const char *roots)
{
	sqlite3_stmt *s = NULL;
	int user_version = -1;
	char *version = NULL, *have_roots = NULL;
	bool current;

	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) {
		failed(c, sqlite3_errcode(c->db));
		return false;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		user_version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (user_version == KBCACHE_SCHEMA) {
		version = meta_get(c, "version");
		have_roots = meta_get(c, "roots");
	}
	current = version && have_roots && !strcmp(version, KBCACHE_VERSION) && !strcmp(have_roots, roots);
	free(version);
	free(have_roots);
	if (current)
		return true;
	/* Another schema: a new file, with this errkb's page size and
	 * journal (an older one's kept 4 KB pages and WAL while it was
	 * remade in place).  kbcache_open removes it and starts afresh. */
	if (user_version != KBCACHE_SCHEMA && !c->fresh) {
		c->damaged = c->failed = true;
		return false;
	}
	/* Another version or set of roots (a hash collision): start empty.
	 * Whatever tables there are go. */
	if (!exec(c, "DROP TABLE IF EXISTS links; DROP TABLE IF EXISTS recdata; DROP TABLE IF EXISTS search; "
		     "DROP TABLE IF EXISTS screen; "
		     "DROP TABLE IF EXISTS records; "
		     "DROP TABLE IF EXISTS files; "
		     "DROP TABLE IF EXISTS meta;") ||
	    !exec(c, schema_sql))
		return false;
	{
		char pragma[64];

		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", KBCACHE_SCHEMA);
		if (!exec(c, pragma))
			return false;
	}
	return meta_set(c, "version", KBCACHE_VERSION) && meta_set(c, "roots", roots);
}

static void finalize_all(kbcache *c)
{
	sqlite3_stmt **v[] = { &c->get_file, &c->get_recs, &c->del_recs, &c->del_file,
			       &c->ins_file, &c->upd_file, &c->ins_rec,
			       &c->ins_link, &c->del_links, &c->touch_file, &c->ins_touched,
			       &c->ins_data, &c->del_data, &c->ins_doc, &c->del_doc,
			       &c->get_map, &c->put_map };

	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		sqlite3_finalize(*v[i]);
		*v[i] = NULL;
	}
}

/* One attempt at opening path as the index; false with *why on failure,
 * *damaged when the file is not a sound SQLite database. */
static sqlite3_int64 count(kbcache *c, const char *sql);

static bool try_open(kbcache *c, const char *roots, char **why, bool *damaged)
{
	int rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_FULLMUTEX, NULL);
	bool ok;

	*damaged = false;
	if (rc != SQLITE_OK) {
		*why = xasprintf("%s: %s", c->path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		return false;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_MS);
	/* No mmap: a command reads a few pages of a big index once, and
	 * mapping them (page faults, fault-around) cost 2-10x what pread
	 * does (a domain of 1,157 records out of 100,000: 48 ms against 21). */
	/* A new file is made in rollback mode, where a page is written once
	 * (no one else can read a file that is being made anyway); in WAL
	 * mode each page went to the log, then again to the file, and a
	 * first load of 100k records wrote 1.3 GB for a 650 MB index.  It
	 * turns to WAL when the load is committed (wal_on).  Its pages are
	 * of 16 KB: a search that reads every record's text makes a quarter
	 * of the reads.  A cache of 8 MB, not 2: fewer of the indexes'
	 * pages are written twice. */
	c->fresh = count(c, "PRAGMA page_count") == 0;
	ok = exec(c, c->fresh ? "PRAGMA page_size = 16384; PRAGMA journal_mode = DELETE"
			      : "PRAGMA journal_mode = WAL") &&
	     exec(c, "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192;") &&
	     exec(c, "BEGIN IMMEDIATE");
	c->changes0 = sqlite3_total_changes64(c->db);
	if (!ok || !ensure_schema(c, roots) || !exec(c, "CREATE TEMP TABLE touched(id TEXT PRIMARY KEY)")) {
		*damaged = c->damaged;
		*why = xasprintf("%s: %s", c->path, sqlite3_errmsg(c->db));
		return false;
	}
	c->get_file = prepare(c, "SELECT key, id, dev, ino, size, mtime_ns, racy, bytes, skipped, nrecs, canary, "
				 "diags, ctime_ns FROM files");
	c->get_recs = prepare(c, "SELECT d.data FROM records r JOIN recdata d ON d.rid = r.rowid "
				 "WHERE r.file = ? ORDER BY r.seq");
	c->del_recs = prepare(c, "DELETE FROM records WHERE file IN (SELECT id FROM files WHERE key = ?)");
	c->del_file = prepare(c, "DELETE FROM files WHERE key = ?");
	c->ins_file = prepare(c, "INSERT INTO files(key, dev, ino, size, mtime_ns, racy, ctime_ns, walk, bytes, "
				 "skipped, nrecs, canary, diags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, '', x'')");
	c->upd_file = prepare(c, "UPDATE files SET bytes = ?, skipped = ?, nrecs = ?, canary = ?, diags = ?, "
				 "racy = racy OR ? WHERE id = ?");
	c->ins_rec = prepare(c, "INSERT INTO records(file, seq, line, id, domain, category, confidence, "
				"resolvable, tier, sig_en, sig_zh, ord_en, ord_zh, sig_state, sig_zhraw, regex, "
				"regex_zh) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	c->ins_data = prepare(c, "INSERT INTO recdata(rid, data) VALUES (?, ?)");
	c->del_data = prepare(c, "DELETE FROM recdata WHERE rid IN (SELECT rowid FROM records "
				 "WHERE file IN (SELECT id FROM files WHERE key = ?))");
	c->ins_doc = prepare(c, "INSERT INTO search(rid, sig, code, tags, fix, head, pinyin, body) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	c->del_doc = prepare(c, "DELETE FROM search WHERE rid IN (SELECT rowid FROM records "
				"WHERE file IN (SELECT id FROM files WHERE key = ?))");
	c->get_map = prepare(c, "SELECT map FROM screen WHERE key = ?");
	c->put_map = prepare(c, "INSERT OR REPLACE INTO screen(key, map) VALUES (?, ?)");
	c->ins_link = prepare(c, "INSERT INTO links(file, seq, target) VALUES (?, ?, ?)");
	c->del_links = prepare(c, "DELETE FROM links WHERE file IN (SELECT id FROM files WHERE key = ?)");
	c->touch_file = prepare(c, "INSERT OR IGNORE INTO temp.touched(id) SELECT id FROM records "
				   "WHERE file IN (SELECT id FROM files WHERE key = ?)");
	c->ins_touched = prepare(c, "INSERT OR IGNORE INTO temp.touched(id) VALUES (?)");
	if (c->failed) {
		*damaged = c->damaged;
		*why = xasprintf("%s: %s", c->path, sqlite3_errmsg(c->db));
		return false;
	}
	return true;
}

static void close_db(kbcache *c)
{
	finalize_all(c);
	sqlite3_close(c->db);
	c->db = NULL;
	c->failed = c->damaged = false;
}

kbcache *kbcache_open(const char *dir, const char *const *paths, size_t n, bool rebuild, char **why)
{
	kbcache *c;
	char *roots;
	bool damaged;

	*why = NULL;
	if (!dir) {
		*why = xstrdup(_("no cache directory (neither XDG_CACHE_HOME nor HOME is set)"));
		return NULL;
	}
	if (!make_dirs(dir)) {
		*why = xasprintf("%s: %s", dir, strerror(errno));
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->maps_block = -1;
	c->db2mu_ok = pthread_mutex_init(&c->db2mu, NULL) == 0;
	if (!c->db2mu_ok)
		c->db2_state = -1;
	strmap_init(&c->file_ix);
	arena_init(&c->fmem);
	roots = roots_text(paths, n);
	c->path = xasprintf("%s/%016" PRIx64 ".sqlite", dir, fnv1a(roots));
	if (rebuild)
		remove_db(c->path);
	if (!try_open(c, roots, why, &damaged)) {
		close_db(c);
		if (!damaged) {
			free(roots);
			free(c->path);
			if (c->db2mu_ok)
				pthread_mutex_destroy(&c->db2mu);
			free(c);
			return NULL;
		}
		/* Not an index errkb can read: made anew. */
		free(*why);
		*why = NULL;
		remove_db(c->path);
		if (!try_open(c, roots, why, &damaged)) {
			close_db(c);
			free(roots);
			free(c->path);
			if (c->db2mu_ok)
				pthread_mutex_destroy(&c->db2mu);
			free(c);
			return NULL;
		}
	}
	free(roots);
	c->roots = xmalloc((n ? n : 1) * sizeof *c->roots);
	for (size_t i = 0; i < n; i++)
		c->roots[i] = xstrdup(paths[i]);
	c->nroots = n;
	c->canary = xstrdup(_("duplicate id, first defined at %s:%u; this one is skipped"));
	for (int lang = KB_EN; lang <= KB_ZH; lang++) {
		UErrorCode st = U_ZERO_ERROR;

		/* As kb_select orders them (query.c); without a collator,
		 * both order by bytes. */
		c->coll[lang] = ucol_open(lang == KB_ZH ? "zh" : "en", &st);
		if (U_FAILURE(st)) {
			if (c->coll[lang])
				ucol_close(c->coll[lang]);
			c->coll[lang] = NULL;
		}
	}
	return c;
}

void kbcache_set_lazy(kbcache *c, bool lazy)
{
	c->lazy = lazy;
}

const char *kbcache_path(const kbcache *c)
{
	return c->path;
}

void kbcache_root(kbcache *c, size_t i)
{
	c->root = i;
}

/* The path under the root being walked. */
static const char *under_root(const kbcache *c, const char *path)
{
	const char *root = c->root < c->nroots ? c->roots[c->root] : "";
	size_t n = strlen(root);

	if (!strncmp(path, root, n)) {
		path += n;
		while (*path == '/')
			path++;
	}
	return path;
}

/* The file's key: the root's number and the path under the root, so that
 * the same KB given as ./kb or /home/u/kb has the same entries. */
static char *file_key(const kbcache *c, const char *path)
{
	return xasprintf("%zu\x1f%s", c->root, under_root(c, path));
}

/* file_key in c->keybuf, valid until the next call. */
static const char *file_key_tmp(kbcache *c, const char *path)
{
	char num[24], *p = num + sizeof num;
	const char *under = under_root(c, path);
	size_t r = c->root;

	*--p = '\x1f';
	do
		*--p = (char)('0' + r % 10);
	while (r /= 10);
	c->keybuf.n = 0;
	recbuf_bytes(&c->keybuf, p, (size_t)(num + sizeof num - p));
	recbuf_bytes(&c->keybuf, under, strlen(under) + 1);
	return (const char *)c->keybuf.p;
}

/* Bytes that sort as the loader walks: the root's number, then the path
 * under it with each '/' as 01 01 and each byte 01 as 01 02.  The walk
 * reads a directory's entries in byte order, a directory's whole tree
 * where its name sorts; a separator below every other byte puts "a/..."
 * before "a.json" and "a0", as the walk does. */
static void walk_key(const kbcache *c, const char *path, recbuf *out)
{
	unsigned char be[4] = { (unsigned char)(c->root >> 24), (unsigned char)(c->root >> 16),
				(unsigned char)(c->root >> 8), (unsigned char)c->root };

	out->n = 0;
	recbuf_bytes(out, be, sizeof be);
	for (const unsigned char *p = (const unsigned char *)under_root(c, path); *p; p++) {
		unsigned char esc[2] = { 1, *p == '/' ? 1 : 2 };

		if (*p == '/' || *p == 1)
			recbuf_bytes(out, esc, 2);
		else
			recbuf_bytes(out, p, 1);
	}
}

/* Appends the ICU sort key of s (NUL included) to out. */
static void sort_key(kbcache *c, UCollator *coll, const char *s, recbuf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0, need;

	if (coll) {
		u_strFromUTF8WithSub(c->u16, c->u16cap, &len, s, -1, 0xFFFD, NULL, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			size_t cap = (size_t)c->u16cap;

			c->u16 = xgrow(c->u16, &cap, (size_t)len + 1, sizeof *c->u16);
			c->u16cap = cap > INT32_MAX ? INT32_MAX : (int32_t)cap;
			st = U_ZERO_ERROR;
			u_strFromUTF8WithSub(c->u16, c->u16cap, &len, s, -1, 0xFFFD, NULL, &st);
		}
		if (U_SUCCESS(st)) {
			need = ucol_getSortKey(coll, c->u16, len, NULL, 0);
			if (need > 0) {
				out->p = xgrow(out->p, &out->cap, out->n + (size_t)need, 1);
				if (ucol_getSortKey(coll, c->u16, len, out->p + out->n, need) == need) {
					out->n += (size_t)need;
					return;
				}
			}
		}
	}
	recbuf_bytes(out, s, strlen(s) + 1);
}

/* SQLite's own lock of the connection (it is opened serialized, for the
 * browser's two threads), held across a run of calls on one row: each
 * call otherwise takes it and gives it back, half the time of a loop
 * that reads a few columns of each of many rows.  Held, it is taken again
 * by each call at the cost of a count.  Given back around work that
 * needs no call (scoring a row), so that the other thread waits little;
 * never held while c->dblock is taken (that comes first). */
static void conn_lock(kbcache *c)
{
	sqlite3_mutex_enter(sqlite3_db_mutex(c->db));
}

static void conn_unlock(kbcache *c)
{
	sqlite3_mutex_leave(sqlite3_db_mutex(c->db));
}

/* ---- replay ---- */

static void db_lock(kbcache *c);
static void db_unlock(kbcache *c);

/* A file's findings, as stored: a count, then kind, line, column, record
 * id and message each. */
typedef struct stored_diag {
	unsigned kind, line, col;
	const char *id, *msg;
} stored_diag;

/* Whether one of the n findings (as get_diags gives them) is an error. */
static bool any_error(const stored_diag *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (diag_kind_is_error((enum diag_kind)d[i].kind))
			return true;
	return false;
}

static stored_diag *get_diags(const void *p, size_t n, arena *a, size_t *count)
{
	recreader r = { .p = p, .end = (const unsigned char *)p + n };
	uint64_t want = n ? recreader_varint(&r) : 0;
	stored_diag *v = NULL;
	size_t cap = 0;

	*count = 0;
	if (want > n)
		r.bad = true;
	for (uint64_t i = 0; i < want && !r.bad; i++) {
		stored_diag *d;

		v = xgrow(v, &cap, *count + 1, sizeof *v);
		d = &v[(*count)++];
		d->kind = (unsigned)recreader_varint(&r);
		d->line = (unsigned)recreader_varint(&r);
		d->col = (unsigned)recreader_varint(&r);
		d->id = recreader_str(&r, a);
		d->msg = recreader_str(&r, a);
		if (d->kind >= DK_COUNT || d->kind == DK_DUPLICATE_ID || !d->msg)
			r.bad = true;
	}
	if (r.bad || r.p != r.end) {
		free(v);
		*count = (size_t)-1;
		return NULL;
	}
	return v;
}

/* The files table into c->files, once a load (under the connection's
 * lock); false (noted) on failure. */
static bool files_load(kbcache *c)
{
	sqlite3_stmt *s = c->get_file;
	size_t cap = 0;
	const char *last_canary = NULL;
	int rc;

	if (c->files_loaded)
		return !c->failed;
	c->files_loaded = true;
	conn_lock(c);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct file_ent *e;
		const char *key = (const char *)sqlite3_column_text(s, 0);
		const char *canary = (const char *)sqlite3_column_text(s, 10);
		const void *diags = sqlite3_column_blob(s, 11);
		size_t ndiags = (size_t)sqlite3_column_bytes(s, 11);
		unsigned char *copy;

		if (!key || !canary) {
			c->damaged = c->failed = true;
			break;
		}
		c->files = xgrow(c->files, &cap, c->nfiles + 1, sizeof *c->files);
		e = &c->files[c->nfiles];
		e->id = sqlite3_column_int64(s, 1);
		e->dev = sqlite3_column_int64(s, 2);
		e->ino = sqlite3_column_int64(s, 3);
		e->size = sqlite3_column_int64(s, 4);
		e->mtime = sqlite3_column_int64(s, 5);
		e->racy = sqlite3_column_int64(s, 6) != 0;
		e->bytes = sqlite3_column_int64(s, 7);
		e->skipped = sqlite3_column_int64(s, 8);
		e->nrecs = (size_t)sqlite3_column_int64(s, 9);
		e->ctime = sqlite3_column_int64(s, 12);
		/* The canary is most often the one of the row before. */
		e->canary = last_canary && !strcmp(last_canary, canary) ? last_canary
								       : (last_canary = arena_strdup(&c->fmem, canary));
		e->ndiags = ndiags;
		e->diags = (const unsigned char *)"";
		if (ndiags) {
			copy = arena_alloc(&c->fmem, ndiags);
			memcpy(copy, diags, ndiags);
			e->diags = copy;
		}
		e->seen = false;
		e->key = arena_strdup(&c->fmem, key);
		c->nfiles++;
	}
	conn_unlock(c);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		failed(c, rc);
	sqlite3_reset(s);
	return !c->failed;
}

/* files_load, under the connection's lock: once it is done, c->files is
 * the loader's thread's alone, and a file is looked up without waiting
 * for the writer. */
static bool files_ready(kbcache *c)
{
	bool ok;

	if (c->files_loaded)
		return !c->failed;
	db_lock(c);
	ok = files_load(c);
	db_unlock(c);
	return ok;
}

/* c->file_ix, made from c->files; false (noted) if a key is there twice,
 * as a damaged index can have it (key is UNIQUE). */
static bool file_ix_make(kbcache *c)
{
	size_t cap = 64;

	c->file_ix_made = true;
	while (cap < 2 * (c->nfiles + 1))
		cap *= 2;
	strmap_reserve(&c->file_ix, cap);
	for (size_t i = 0; i < c->nfiles; i++)
		if (strmap_put(&c->file_ix, c->files[i].key, (uint32_t)i) != (uint32_t)i) {
			c->damaged = c->failed = true;
			return false;
		}
	return true;
}

/* The entry of key in c->files, or NULL: the one after the last found,
 * if it is key, else the one the map has. */
static struct file_ent *file_get(kbcache *c, const char *key)
{
	uint32_t i;

	if (c->fnext < c->nfiles && !strcmp(c->files[c->fnext].key, key))
		return &c->files[c->fnext++];
	if (!c->file_ix_made && !file_ix_make(c))
		return NULL;
	i = strmap_get(&c->file_ix, key);
	if (i == UINT32_MAX)
		return NULL;
	c->fnext = (size_t)i + 1;
	return &c->files[i];
}

/* The path the loader walked to the file of key (root number, US, the
 * path under the root): the root as given, then the rest (malloc'd);
 * NULL when key names no root. */
static char *key_path(const kbcache *c, const char *key)
{
	char *end;
	unsigned long root;
	const char *r;

	if (!key)
		return NULL;
	root = strtoul(key, &end, 10);
	if (end == key || *end != '\x1f' || root >= c->nroots)
		return NULL;
	r = c->roots[root];
	end++;
	if (!*end)
		return xstrdup(r);
	return xasprintf("%s%s%s", r, *r && r[strlen(r) - 1] == '/' ? "" : "/", end);
}

bool kbcache_replay(kbcache *c, kb *k, const char *path, const struct stat *st)
{
	sqlite3_stmt *s;
	bool hit = false;
	kb_record *recs = NULL;
	stored_diag *diags = NULL;
	size_t nrecs = 0, cap = 0, want = 0, ndiags = 0;
	sqlite3_int64 id = 0, bytes = 0, skipped = 0;
	const char *rpath = NULL;
	struct file_ent *e;
	arena tmp;
	int rc = SQLITE_DONE;

	if (!files_ready(c))
		return false;
	arena_init(&tmp);
	e = file_get(c, file_key_tmp(c, path));
	if (e) {
		id = e->id;
		bytes = e->bytes;
		skipped = e->skipped;
		want = e->nrecs;
		hit = e->dev == (sqlite3_int64)st->st_dev && e->ino == (sqlite3_int64)st->st_ino &&
		      e->size == (sqlite3_int64)st->st_size && e->mtime == mtime_ns(st) &&
		      e->ctime == ctime_ns(st) && !e->racy && bytes >= 0 && skipped >= 0;
		if (hit) {
			diags = get_diags(e->diags, e->ndiags, &tmp, &ndiags);
			if (ndiags == (size_t)-1)
				c->damaged = c->failed = true;
			/* Findings made in another language are made again,
			 * if any of them is ever shown: only errors are (a
			 * load prints its errors; check reads the sources).
			 * A file with warnings alone is not read again at
			 * each change of language. */
			hit = ndiags != (size_t)-1 && (!any_error(diags, ndiags) || !strcmp(e->canary, c->canary));
		}
	}

	/* The records, all read before anything is added: a bad one sends
	 * the whole file back to its source, and the index is made anew.
	 * Lazily, they stay where they are, for the queries below. */
	if (hit && !c->lazy) {
		rpath = arena_strdup(&k->mem, path);     /* the records' */
		db_lock(c);
		s = c->get_recs;
		sqlite3_bind_int64(s, 1, id);
		while (hit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			recs = xgrow(recs, &cap, nrecs + 1, sizeof *recs);
			hit = recser_get(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
					 &k->mem, rpath, &recs[nrecs]);
			nrecs++;
		}
		if (!hit || (rc != SQLITE_DONE && rc != SQLITE_ROW) || nrecs != want) {
			if (rc != SQLITE_DONE && rc != SQLITE_ROW)
				failed(c, rc);
			else
				c->damaged = c->failed = true;
			hit = false;
		}
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		db_unlock(c);
	}
	if (hit) {
		for (size_t i = 0; i < ndiags; i++)
			diag_add(&k->diags, (enum diag_kind)diags[i].kind, path, diags[i].line, diags[i].col,
				 diags[i].id, "%s", diags[i].msg);
		for (size_t i = 0; i < nrecs; i++)
			kb_add(k, &recs[i]);
		k->files++;
		k->json_bytes += (size_t)bytes;
		k->skipped += (size_t)skipped;
		e->seen = true;
		c->st.from_index++;
	}
	free(recs);
	free(diags);
	arena_free(&tmp);
	return hit;
}

/* ---- filling ----
 *
 * The records of the files read from their sources are written by two
 * threads.  The loader's thread parses and converts them and makes what
 * each row holds that costs the most to make (the record's bytes, its
 * search text and screen bits), into a batch of operations: WOP_BEGIN a
 * file, WOP_RECORD, WOP_END the file.  The writer thread makes the sort
 * keys and runs the SQL, batch after batch, in the order they were made,
 * while the loader goes on with the next records.  At most WQ_DEPTH
 * batches wait (the loader waits for room), so what is in flight stays a
 * few megabytes.  A load of less than one batch starts no thread: the
 * loader writes its batch itself when the walk is over, as it does
 * should a thread not start.  While the thread runs, every other use of
 * the connection (reading the files table, an eager replay's records)
 * holds c->dblock, and the thread is done and joined (writer_finish)
 * before the walk's end is settled. */

enum { WOP_BEGIN = 1, WOP_RECORD, WOP_END };

static void put_str(recbuf *b, const char *s)
{
	size_t n;

	if (!s) {
		recbuf_varint(b, 0);
		return;
	}
	n = strlen(s) + 1;     /* with its NUL: read in place */
	recbuf_varint(b, n);
	recbuf_bytes(b, s, n);
}

static void put_f64(recbuf *b, double d)
{
	recbuf_bytes(b, &d, sizeof d);
}

/* A blob of bytes appended after a length that blob_end fills in. */
static size_t blob_begin(recbuf *b)
{
	static const unsigned char zero[8];
	size_t at = b->n;

	recbuf_bytes(b, zero, sizeof zero);
	return at;
}

static void blob_end(recbuf *b, size_t at)
{
	uint64_t n = b->n - at - 8;

	memcpy(b->p + at, &n, sizeof n);
}

/* Reading a batch: bytes this process made, in order, so not checked
 * as a record from the file is. */
static const char *get_str(recreader *r)
{
	uint64_t n = recreader_varint(r);
	const char *s = (const char *)r->p;

	if (!n)
		return NULL;
	r->p += n;
	return s;
}

static uint64_t get_u(recreader *r)
{
	return recreader_varint(r);
}

static double get_f64(recreader *r)
{
	double d;

	memcpy(&d, r->p, sizeof d);
	r->p += sizeof d;
	return d;
}

static const void *get_blob(recreader *r, size_t *n)
{
	uint64_t len;
	const void *p;

	memcpy(&len, r->p, sizeof len);
	p = r->p + sizeof len;
	r->p += sizeof len + len;
	*n = (size_t)len;
	return p;
}

static void bind_text_or_null(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static void bind_real_or_null(sqlite3_stmt *s, int col, double v)
{
	if (v == v)
		sqlite3_bind_double(s, col, v);
	else
		sqlite3_bind_null(s, col);
}

/* The writer's side of WOP_BEGIN: the file's entry, made anew. */
static void write_begin(kbcache *c, recreader *r)
{
	const char *key = get_str(r);
	size_t nwalk;
	const void *walk = get_blob(r, &nwalk);

	/* The ids of what the file held: whether they come first may change. */
	sqlite3_bind_text(c->touch_file, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del_links, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del_data, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del_doc, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del_recs, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del_file, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ins_file, 1, key, -1, SQLITE_STATIC);
	for (int col = 2; col <= 7; col++)
		sqlite3_bind_int64(c->ins_file, col, (sqlite3_int64)get_u(r));
	sqlite3_bind_blob64(c->ins_file, 8, walk, nwalk, SQLITE_STATIC);
	if (!run(c, c->touch_file) || !run(c, c->del_links) || !run(c, c->del_data) || !run(c, c->del_doc) ||
	    !run(c, c->del_recs) || !run(c, c->del_file) || !run(c, c->ins_file))
		return;
	c->file_id = sqlite3_last_insert_rowid(c->db);
	c->nrecs = 0;
}

/* The maps of the block being written, into the screen: ORed into what
 * it holds. */
static bool screen_flush(kbcache *c)
{
	if (c->maps_block < 0 || !c->maps)
		return true;
	for (unsigned h = 0; h < SEARCH_SCREEN_HASHES; h++) {
		uint8_t *m = c->maps[h];
		sqlite3_int64 key = c->maps_block * SEARCH_SCREEN_HASHES + h;
		size_t i = 0;
		int rc;

		while (i < SCREEN_MAP && !m[i])
			i++;
		if (i == SCREEN_MAP)
			continue;
		sqlite3_bind_int64(c->get_map, 1, key);
		rc = sqlite3_step(c->get_map);
		if (rc == SQLITE_ROW) {
			const uint8_t *old = sqlite3_column_blob(c->get_map, 0);

			if (sqlite3_column_bytes(c->get_map, 0) != SCREEN_MAP || !old) {
				/* Not what errkb writes: made anew at close. */
				sqlite3_reset(c->get_map);
				c->damaged = c->failed = true;
				return false;
			}
			for (i = 0; i < SCREEN_MAP; i++)
				m[i] |= old[i];
		} else if (rc != SQLITE_DONE) {
			sqlite3_reset(c->get_map);
			failed(c, rc);
			return false;
		}
		sqlite3_reset(c->get_map);
		sqlite3_bind_int64(c->put_map, 1, key);
		sqlite3_bind_blob(c->put_map, 2, m, SCREEN_MAP, SQLITE_STATIC);
		if (!run(c, c->put_map))
			return false;
		memset(m, 0, SCREEN_MAP);
	}
	c->maps_block = -1;
	return true;
}

/* The bits of docset, for the record of key rid, into the screen's maps
 * of its block. */
static bool screen_put(kbcache *c, sqlite3_int64 rid, const uint8_t *docset)
{
	sqlite3_int64 block = rid >> SCREEN_BLOCK_BITS;
	unsigned at = (unsigned)(rid & (SCREEN_BLOCK - 1));

	if (block != c->maps_block) {
		if (!screen_flush(c))
			return false;
		if (!c->maps)
			c->maps = xcalloc(SEARCH_SCREEN_HASHES, sizeof *c->maps);
		c->maps_block = block;
	}
	for (unsigned b = 0; b < SEARCH_SCREEN_HASHES / 8; b++)
		for (unsigned v = docset[b]; v; v &= v - 1) {
			unsigned h = b * 8 + (unsigned)__builtin_ctz(v);

			c->maps[h][at >> 3] |= (uint8_t)(1u << (at & 7));
		}
	return true;
}

/* The writer's side of WOP_RECORD: its rows in records, recdata, search,
 * the screen, temp.touched and links. */
static void write_record(kbcache *c, recreader *r)
{
	sqlite3_stmt *s = c->ins_rec, *d = c->ins_doc;
	const char *id, *domain, *sig[2], *target;
	const void *data;
	size_t ndata;
	sqlite3_int64 rid;
	uint64_t nlinks;

	sqlite3_bind_int64(s, 1, c->file_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)c->nrecs);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)get_u(r));
	id = get_str(r);
	domain = get_str(r);
	sqlite3_bind_text(s, 4, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, get_str(r), -1, SQLITE_STATIC);
	bind_real_or_null(s, 7, get_f64(r));
	sqlite3_bind_int(s, 8, (int)get_u(r));
	bind_text_or_null(s, 9, get_str(r));
	for (int lang = KB_EN; lang <= KB_ZH; lang++) {
		sig[lang] = get_str(r);
		sqlite3_bind_text(s, 10 + lang, sig[lang], -1, SQLITE_STATIC);
		c->ord.n = 0;
		sort_key(c, c->coll[lang], domain, &c->ord);
		sort_key(c, c->coll[lang], sig[lang], &c->ord);
		sqlite3_bind_blob64(s, 12 + lang, c->ord.p, c->ord.n, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int(s, 14, (int)get_u(r));
	bind_text_or_null(s, 15, get_str(r));
	bind_text_or_null(s, 16, get_str(r));
	bind_text_or_null(s, 17, get_str(r));
	data = get_blob(r, &ndata);
	if (!run(c, s))
		return;
	rid = sqlite3_last_insert_rowid(c->db);
	sqlite3_bind_int64(c->ins_data, 1, rid);
	sqlite3_bind_blob64(c->ins_data, 2, data, ndata, SQLITE_STATIC);
	if (!run(c, c->ins_data))
		return;
	/* The record's search_doc. */
	sqlite3_bind_int64(d, 1, rid);
	sqlite3_bind_text(d, 2, get_str(r), -1, SQLITE_STATIC);
	bind_text_or_null(d, 3, get_str(r));
	bind_text_or_null(d, 4, get_str(r));
	bind_real_or_null(d, 5, get_f64(r));
	for (int col = 6; col <= 8; col++)
		sqlite3_bind_text(d, col, get_str(r), -1, SQLITE_STATIC);
	if (!run(c, d) || !screen_put(c, rid, r->p))
		return;
	r->p += SEARCH_SCREEN_HASHES / 8;
	sqlite3_bind_text(c->ins_touched, 1, id, -1, SQLITE_STATIC);
	if (!run(c, c->ins_touched))
		return;
	nlinks = get_u(r);
	for (uint64_t j = 0; j < nlinks; j++) {
		target = get_str(r);
		sqlite3_bind_int64(c->ins_link, 1, c->file_id);
		sqlite3_bind_int64(c->ins_link, 2, (sqlite3_int64)c->nrecs);
		sqlite3_bind_text(c->ins_link, 3, target, -1, SQLITE_STATIC);
		if (!run(c, c->ins_link))
			return;
	}
	c->nrecs++;
}

/* The writer's side of WOP_END: the file's figures and findings. */
static void write_end(kbcache *c, recreader *r)
{
	sqlite3_stmt *s = c->upd_file;
	const void *diags;
	size_t ndiags;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)get_u(r));
	sqlite3_bind_int64(s, 2, (sqlite3_int64)get_u(r));
	sqlite3_bind_int64(s, 3, (sqlite3_int64)c->nrecs);
	sqlite3_bind_text(s, 4, c->canary, -1, SQLITE_STATIC);
	diags = get_blob(r, &ndiags);
	sqlite3_bind_blob64(s, 5, diags, ndiags, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, get_u(r) != 0);
	sqlite3_bind_int64(s, 7, c->file_id);
	run(c, s);
}

/* Runs the operations of batch b; after a failure, none (nothing will be
 * committed). */
static void write_batch(kbcache *c, const recbuf *b)
{
	recreader r = { .p = b->p, .end = b->p + b->n };

	while (r.p < r.end && !c->failed)
		switch (get_u(&r)) {
		case WOP_BEGIN:
			write_begin(c, &r);
			break;
		case WOP_RECORD:
			write_record(c, &r);
			break;
		case WOP_END:
			write_end(c, &r);
			break;
		default:
			die("kbcache: bad writer operation");
		}
}

static void *writer_main(void *arg)
{
	kbcache *c = arg;

	for (;;) {
		recbuf b;

		xcheck(pthread_mutex_lock(&c->wmu), "lock");
		while (!c->wq_count && !c->wstop)
			xcheck(pthread_cond_wait(&c->wmore, &c->wmu), "wait");
		if (!c->wq_count) {
			xcheck(pthread_mutex_unlock(&c->wmu), "unlock");
			return NULL;
		}
		b = c->wq[c->wq_head];
		c->wq_head = (c->wq_head + 1) % WQ_DEPTH;
		c->wq_count--;
		xcheck(pthread_cond_signal(&c->wroom), "signal");
		xcheck(pthread_mutex_unlock(&c->wmu), "unlock");

		xcheck(pthread_mutex_lock(&c->dblock), "lock");
		write_batch(c, &b);
		xcheck(pthread_mutex_unlock(&c->dblock), "unlock");

		b.n = 0;
		xcheck(pthread_mutex_lock(&c->wmu), "lock");
		if (b.cap <= WQ_KEEP && c->wfree_n < WQ_DEPTH)
			c->wfree[c->wfree_n++] = b;
		else
			recbuf_free(&b);
		xcheck(pthread_mutex_unlock(&c->wmu), "unlock");
	}
}

/* Starts the writer thread; false when it cannot be (the loader then
 * writes its batches itself). */
static bool writer_start(kbcache *c)
{
	if (pthread_mutex_init(&c->wmu, NULL))
		return false;
	if (pthread_mutex_init(&c->dblock, NULL))
		goto no_db;
	if (pthread_cond_init(&c->wmore, NULL))
		goto no_more;
	if (pthread_cond_init(&c->wroom, NULL))
		goto no_room;
	c->wq_head = c->wq_count = 0;
	c->wstop = false;
	if (thread_start(&c->wthread, writer_main, c) != 0)
		goto no_thread;
	c->wrunning = true;
	return true;
no_thread:
	pthread_cond_destroy(&c->wroom);
no_room:
	pthread_cond_destroy(&c->wmore);
no_more:
	pthread_mutex_destroy(&c->dblock);
no_db:
	pthread_mutex_destroy(&c->wmu);
	return false;
}

/* Hands the batch being made to the writer (started if need be), or
 * writes it here when there is no writer. */
static void writer_push(kbcache *c)
{
	if (!c->wb.n)
		return;
	if (!c->wrunning && !writer_start(c)) {
		write_batch(c, &c->wb);
		c->wb.n = 0;
		return;
	}
	xcheck(pthread_mutex_lock(&c->wmu), "lock");
	while (c->wq_count == WQ_DEPTH)
		xcheck(pthread_cond_wait(&c->wroom, &c->wmu), "wait");
	c->wq[(c->wq_head + c->wq_count) % WQ_DEPTH] = c->wb;
	c->wq_count++;
	xcheck(pthread_cond_signal(&c->wmore), "signal");
	if (c->wfree_n)
		c->wb = c->wfree[--c->wfree_n];
	else
		memset(&c->wb, 0, sizeof c->wb);
	xcheck(pthread_mutex_unlock(&c->wmu), "unlock");
	c->wb.n = 0;
}

/* Every operation made is written (its failure noted), and the writer
 * thread, if any, is done: the connection is the caller's alone. */
static void writer_finish(kbcache *c)
{
	if (!c->wrunning) {
		if (c->wb.n)
			write_batch(c, &c->wb);
		c->wb.n = 0;
		return;
	}
	writer_push(c);
	xcheck(pthread_mutex_lock(&c->wmu), "lock");
	c->wstop = true;
	xcheck(pthread_cond_signal(&c->wmore), "signal");
	xcheck(pthread_mutex_unlock(&c->wmu), "unlock");
	xcheck(pthread_join(c->wthread, NULL), "join");
	c->wrunning = false;
	while (c->wfree_n)
		recbuf_free(&c->wfree[--c->wfree_n]);
	pthread_cond_destroy(&c->wroom);
	pthread_cond_destroy(&c->wmore);
	pthread_mutex_destroy(&c->dblock);
	pthread_mutex_destroy(&c->wmu);
}

/* Around a use of the connection by the loader's thread. */
static void db_lock(kbcache *c)
{
	if (c->wrunning)
		xcheck(pthread_mutex_lock(&c->dblock), "lock");
}

static void db_unlock(kbcache *c)
{
	if (c->wrunning)
		xcheck(pthread_mutex_unlock(&c->dblock), "unlock");
}

void kbcache_file_begin(kbcache *c, kb *k, const char *path, const struct stat *st)
{
	recbuf *b = &c->wb;
	struct file_ent *e;
	char *key;
	size_t at;

	c->filling = false;
	c->st.read++;
	if (c->failed)
		return;
	key = file_key(c, path);
	walk_key(c, path, &c->buf);
	recbuf_varint(b, WOP_BEGIN);
	put_str(b, key);
	at = blob_begin(b);
	recbuf_bytes(b, c->buf.p, c->buf.n);
	blob_end(b, at);
	/* ins_file's columns 2 to 7. */
	recbuf_varint(b, (uint64_t)st->st_dev);
	recbuf_varint(b, (uint64_t)st->st_ino);
	recbuf_varint(b, (uint64_t)st->st_size);
	recbuf_varint(b, (uint64_t)mtime_ns(st));
	recbuf_varint(b, now_ns() - mtime_ns(st) < RACY_NS);
	recbuf_varint(b, (uint64_t)ctime_ns(st));
	/* Its entry, if it had one, is not gone: it is made anew. */
	if (files_ready(c) && (e = file_get(c, key)))
		e->seen = true;
	free(key);
	c->diag0 = k->diags.len;
	c->skipped0 = k->skipped;
	c->bytes0 = k->json_bytes;
	c->filling = true;
}

void kbcache_file_record(kbcache *c, const kb_record *r)
{
	recbuf *b = &c->wb;
	search_doc d;
	uint8_t docset[SEARCH_SCREEN_HASHES / 8];
	size_t at;
	uint64_t nlinks = 0;

	if (!c->filling || c->failed)
		return;
	recbuf_varint(b, WOP_RECORD);
	recbuf_varint(b, r->line);
	put_str(b, r->id);
	put_str(b, r->domain);
	put_str(b, r->category);
	put_f64(b, r->confidence);
	recbuf_varint(b, r->resolvable);
	put_str(b, r->verification_tier);
	for (int lang = KB_EN; lang <= KB_ZH; lang++) {
		const char *sig = kb_text_get(&r->signature, (enum kb_lang)lang, NULL);

		put_str(b, sig ? sig : "");
	}
	recbuf_varint(b, (uint64_t)(r->signature.zh_state | (r->signature.en ? SIG_EN : 0) |
				    (r->signature.zh ? SIG_ZH : 0)));
	put_str(b, r->signature.zh && r->signature.zh != kb_text_get(&r->signature, KB_ZH, NULL)
		   ? r->signature.zh : NULL);
	put_str(b, r->regex);
	put_str(b, r->regex_zh);
	at = blob_begin(b);
	recser_put(b, r);
	blob_end(b, at);
	search_doc_make(r, &d);
	put_str(b, d.sig);
	put_str(b, d.code);
	put_str(b, d.tags);
	put_f64(b, d.fix);
	put_str(b, d.head);
	put_str(b, d.pinyin);
	put_str(b, d.body);
	memset(docset, 0, sizeof docset);
	search_doc_screen(&d, docset);
	search_doc_free(&d);
	recbuf_bytes(b, docset, sizeof docset);
	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		for (uint32_t j = 0; j < r->nlinks[kind]; j++)
			nlinks += r->links[kind][j].target_id != NULL;
	recbuf_varint(b, nlinks);
	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		for (uint32_t j = 0; j < r->nlinks[kind]; j++)
			if (r->links[kind][j].target_id)
				put_str(b, r->links[kind][j].target_id);
	if (b->n >= WQ_BATCH)
		writer_push(c);
}

void kbcache_file_end(kbcache *c, kb *k, bool stale)
{
	recbuf *b = &c->wb;
	size_t ndup = 0, n = 0, at;

	if (!c->filling || c->failed)
		return;
	c->filling = false;
	/* The file's findings, but for duplicate ids: kb_add makes those
	 * again, against whatever else the KB then holds. */
	for (size_t i = c->diag0; i < k->diags.len; i++)
		if (k->diags.items[i].kind == DK_DUPLICATE_ID)
			ndup++;
		else
			n++;
	recbuf_varint(b, WOP_END);
	recbuf_varint(b, k->json_bytes - c->bytes0);
	recbuf_varint(b, k->skipped - c->skipped0 - ndup);
	at = blob_begin(b);
	recbuf_varint(b, n);
	for (size_t i = c->diag0; i < k->diags.len; i++) {
		const diag *d = &k->diags.items[i];

		if (d->kind == DK_DUPLICATE_ID)
			continue;
		recbuf_varint(b, d->kind);
		recbuf_varint(b, d->line);
		recbuf_varint(b, d->col);
		recbuf_str(b, d->record_id);
		recbuf_str(b, d->message);
	}
	blob_end(b, at);
	recbuf_varint(b, stale);
	if (b->n >= WQ_BATCH)
		writer_push(c);
}

/* ---- closing, figures ---- */

static sqlite3_int64 count(kbcache *c, const char *sql)
{
	sqlite3_stmt *s = NULL;
	sqlite3_int64 n = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* A new file, its first load committed: to WAL mode, so that a browser
 * reading it never stops another errkb from writing. */
static bool wal_on(kbcache *c)
{
	sqlite3_stmt *s = NULL;
	bool ok;

	if (!c->fresh)
		return true;
	c->fresh = false;
	ok = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) == SQLITE_OK &&
	     sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
	     !strcmp((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	return ok;
}

static void stats_get(kbcache *c, kbcache_stats *s)
{
	*s = c->st;
	s->files = (size_t)count(c, "SELECT count(*) FROM files");
	s->records = (size_t)count(c, "SELECT count(*) FROM records");
}

/* The snapshot token: meta's "snapshot", a random value made anew by
 * every load that changes the index, so that two connections that read
 * the same token see the same records (scan2_ready).  Set once the
 * walk's writes are settled; changes_settled tells whether c wrote
 * since. */
static void set_token(kbcache *c)
{
	char *have = meta_get(c, "snapshot");

	if (!have || sqlite3_total_changes64(c->db) != c->changes0) {
		unsigned char r[16];
		char hex[33];
		size_t got = 0;
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t n = read(fd, r, sizeof r);

			got = n > 0 ? (size_t)n : 0;
			close(fd);
		}
		if (got < sizeof r) {
			/* No randomness: a token of this process and time,
			 * unlike any other's but by a clash of both. */
			struct timespec ts;
			uint64_t a, b;

			clock_gettime(CLOCK_REALTIME, &ts);
			a = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			b = (uint64_t)getpid() * 0x9E3779B97F4A7C15u ^ (uint64_t)(uintptr_t)c;
			memcpy(r, &a, 8);
			memcpy(r + 8, &b, 8);
		}
		for (size_t i = 0; i < sizeof r; i++)
			snprintf(hex + 2 * i, 3, "%02x", r[i]);
		meta_set(c, "snapshot", hex);
	}
	free(have);
	c->changes_settled = sqlite3_total_changes64(c->db);
}

/* The end of the walk: the entries of files it did not meet go (when it
 * was complete), and the records of every id a change touched learn
 * whether they come first, as the loader would take them. */
static void settle_writes(kbcache *c, bool complete)
{
	writer_finish(c);
	if (c->settled || c->failed || !screen_flush(c))
		return;
	c->settled = true;
	if (complete && files_load(c)) {
		sqlite3_stmt *g = NULL;
		size_t n = 0;
		bool ok = exec(c, "CREATE TEMP TABLE gone(id INTEGER PRIMARY KEY)") &&
			  (g = prepare(c, "INSERT INTO temp.gone(id) VALUES (?)"));

		/* The entries the walk did not meet. */
		for (size_t i = 0; ok && i < c->nfiles; i++)
			if (!c->files[i].seen) {
				sqlite3_bind_int64(g, 1, c->files[i].id);
				ok = run(c, g);
				n++;
			}
		sqlite3_finalize(g);
		/* From the few files gone, by index: never a scan of records. */
		if (ok && exec(c, "INSERT OR IGNORE INTO temp.touched(id) SELECT id FROM records"
			    " WHERE file IN (SELECT id FROM temp.gone);"
			    "DELETE FROM links WHERE file IN (SELECT id FROM temp.gone);"
			    "DELETE FROM recdata WHERE rid IN (SELECT rowid FROM records"
			    " WHERE file IN (SELECT id FROM temp.gone));"
			    "DELETE FROM search WHERE rid IN (SELECT rowid FROM records"
			    " WHERE file IN (SELECT id FROM temp.gone));"
			    "DELETE FROM records WHERE file IN (SELECT id FROM temp.gone);") &&
		    exec(c, "DELETE FROM files WHERE id IN (SELECT id FROM temp.gone); DROP TABLE temp.gone;"))
			c->st.removed = n;
	}
	exec(c, "UPDATE records SET dup = EXISTS ("
		"  SELECT 1 FROM records r2 JOIN files f2 ON f2.id = r2.file, files f1"
		"  WHERE f1.id = records.file AND r2.id = records.id"
		"    AND (f2.walk < f1.walk OR (r2.file = records.file AND r2.seq < records.seq)))"
		" WHERE id IN (SELECT id FROM temp.touched);"
		"DELETE FROM temp.touched;");
	set_token(c);
}

bool kbcache_settle(kbcache *c, kb *k)
{
	sqlite3_stmt *s;
	int rc;

	settle_writes(c, true);
	if (c->failed)
		return false;
	/* What kb_add would say of each record left out. */
	s = prepare(c, "SELECT r.id, r.line, fr.key, f.line, f.key FROM records r"
		       " JOIN files fr ON fr.id = r.file"
		       " JOIN (SELECT r2.id, r2.line, f2.key FROM records r2 JOIN files f2 ON f2.id = r2.file"
		       "       WHERE NOT r2.dup) f ON f.id = r.id"
		       " WHERE r.dup");
	if (!s)
		return false;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *path = key_path(c, (const char *)sqlite3_column_text(s, 2));
		char *first = key_path(c, (const char *)sqlite3_column_text(s, 4));

		if (!path || !first) {
			free(path);
			free(first);
			c->damaged = c->failed = true;
			break;
		}
		diag_add(&k->diags, DK_DUPLICATE_ID, path, (unsigned)sqlite3_column_int64(s, 1), 0,
			 (const char *)sqlite3_column_text(s, 0),
			 _("duplicate id, first defined at %s:%u; this one is skipped"),
			 first, (unsigned)sqlite3_column_int64(s, 3));
		k->skipped++;
		free(path);
		free(first);
	}
	if (rc != SQLITE_DONE)
		failed(c, rc);
	sqlite3_finalize(s);
	return !c->failed;
}

/* ---- queries, once settled ---- */

/* Asked every 64 rows: whether the search is to end now. */
static bool stopped(const kbcache_stop *stop, size_t i)
{
	return stop && i % 64 == 0 && stop->fn(stop->arg);
}

/* The rows of the records f accepts: id, domain, category, confidence,
 * signature in lang, rowid, and the display order's key, in that order:
 * LIST_ALL in display order; LIST_ONE the record of key ?1 alone;
 * LIST_DOCS in the order of their keys, each followed by its search text
 * (DOC_COLUMNS, NULL if it has none); LIST_KEYS their keys alone. */
enum list_mode { LIST_ALL, LIST_ONE, LIST_DOCS, LIST_KEYS };

/* list_stmt's statement prepared on db (c's own or its second); LIST_DOCS
 * also takes the keys in (lo, hi]. */
static sqlite3_stmt *list_stmt_on(kbcache *c, sqlite3 *db, const kb_filter *f, enum kb_lang lang,
				  enum list_mode mode, sqlite3_int64 lo, sqlite3_int64 hi)
{
	recbuf sql = { 0 };
	sqlite3_stmt *s = NULL;
	bool one = mode == LIST_ONE;
	int arg = one ? 2 : 1, rc;
	const char *l = lang == KB_ZH ? "zh" : "en";
	char part[256];

	if (mode == LIST_DOCS)
		snprintf(part, sizeof part, "SELECT id, domain, category, confidence, sig_%s, records.rowid, ord_%s,"
			 " s.rid, s.sig, s.code, s.tags, s.fix, s.head, s.pinyin, s.body"
			 " FROM records LEFT JOIN search s ON s.rid = records.rowid WHERE NOT dup", l, l);
	else if (mode == LIST_KEYS)
		snprintf(part, sizeof part, "SELECT rowid FROM records WHERE NOT dup");
	else
		snprintf(part, sizeof part, "SELECT id, domain, category, confidence, sig_%s, rowid, ord_%s FROM records"
			 " WHERE NOT dup", l, l);
	recbuf_bytes(&sql, part, strlen(part));
	if (one)
		recbuf_bytes(&sql, " AND rowid = ?1", strlen(" AND rowid = ?1"));
#define IN_LIST(col, count) do { \
		recbuf_bytes(&sql, " AND " col " IN (", strlen(" AND " col " IN (")); \
		for (size_t i_ = 0; i_ < (count); i_++) \
			recbuf_bytes(&sql, i_ ? ",?" : "?", i_ ? 2 : 1); \
		recbuf_bytes(&sql, ")", 1); \
	} while (0)
	if (f && f->ndomains)
		IN_LIST("domain", f->ndomains);
	if (f && f->ncategories)
		IN_LIST("category", f->ncategories);
	if (f && f->ntiers)
		IN_LIST("coalesce(tier, '')", f->ntiers);
	if (f && f->resolvable) {
		snprintf(part, sizeof part, " AND ((1 << resolvable) & %u) != 0", f->resolvable);
		recbuf_bytes(&sql, part, strlen(part));
	}
	if (f && f->min_confidence > 0)
		recbuf_bytes(&sql, " AND confidence >= ?", strlen(" AND confidence >= ?"));
#undef IN_LIST
	if (mode == LIST_ALL) {
		snprintf(part, sizeof part, " ORDER BY ord_%s, id", l);
		recbuf_bytes(&sql, part, strlen(part));
	} else if (mode == LIST_DOCS) {
		snprintf(part, sizeof part, " AND records.rowid > ? AND records.rowid <= ? ORDER BY records.rowid");
		recbuf_bytes(&sql, part, strlen(part));
	}
	recbuf_bytes(&sql, "", 1);
	if (db == c->db) {
		s = prepare(c, (const char *)sql.p);
	} else {
		rc = sqlite3_prepare_v2(db, (const char *)sql.p, -1, &s, NULL);
		if (rc != SQLITE_OK)
			s = NULL;
	}
	recbuf_free(&sql);
	if (!s)
		return NULL;
	/* With one, ?1 is the key and the others follow it. */
	for (size_t i = 0; f && i < f->ndomains; i++)
		sqlite3_bind_text(s, arg++, f->domains[i], -1, SQLITE_STATIC);
	for (size_t i = 0; f && i < f->ncategories; i++)
		sqlite3_bind_text(s, arg++, f->categories[i], -1, SQLITE_STATIC);
	for (size_t i = 0; f && i < f->ntiers; i++)
		sqlite3_bind_text(s, arg++, f->tiers[i], -1, SQLITE_STATIC);
	if (f && f->min_confidence > 0)
		sqlite3_bind_double(s, arg++, f->min_confidence - 1e-9);   /* as kb_filter_accepts */
	if (mode == LIST_DOCS) {
		sqlite3_bind_int64(s, arg++, lo);
		sqlite3_bind_int64(s, arg++, hi);
	}
	return s;
}

static sqlite3_stmt *list_stmt(kbcache *c, const kb_filter *f, enum kb_lang lang, enum list_mode mode)
{
	return list_stmt_on(c, c->db, f, lang, mode, INT64_MIN, INT64_MAX);
}

static void get_row(sqlite3_stmt *s, arena *a, kbcache_row *r)
{
	r->id = arena_strdup(a, (const char *)sqlite3_column_text(s, 0));
	r->domain = arena_strdup(a, (const char *)sqlite3_column_text(s, 1));
	r->category = arena_strdup(a, (const char *)sqlite3_column_text(s, 2));
	r->confidence = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3);
	r->signature = arena_strdup(a, (const char *)sqlite3_column_text(s, 4));
	r->rid = sqlite3_column_int64(s, 5);
}

static size_t list_rows(kbcache *c, const kb_filter *f, enum kb_lang lang, arena *a, kbcache_row **out,
			const kbcache_stop *stop)
{
	sqlite3_stmt *s;
	kbcache_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	if (!c->settled || c->failed || !(s = list_stmt(c, f, lang, LIST_ALL)))
		return (size_t)-1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (stopped(stop, n)) {
			sqlite3_finalize(s);
			free(v);
			return KBCACHE_STOPPED;
		}
		v = xgrow(v, &cap, n + 1, sizeof *v);
		get_row(s, a, &v[n++]);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(v);
		return (size_t)-1;
	}
	*out = v;
	return n;
}

size_t kbcache_list(kbcache *c, const kb_filter *f, enum kb_lang lang, arena *a, kbcache_row **out)
{
	return list_rows(c, f, lang, a, out, NULL);
}

size_t kbcache_values(kbcache *c, enum kbcache_col col, arena *a, const char ***out)
{
	static const char *const sql[] = {
		[KBC_ID] = "SELECT id FROM records WHERE NOT dup",
		[KBC_DOMAIN] = "SELECT DISTINCT domain FROM records WHERE NOT dup",
		[KBC_CATEGORY] = "SELECT DISTINCT category FROM records WHERE NOT dup",
		[KBC_TIER] = "SELECT DISTINCT tier FROM records WHERE NOT dup AND tier IS NOT NULL",
	};
	sqlite3_stmt *s;
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	if (!c->settled || c->failed || !(s = prepare(c, sql[col])))
		return (size_t)-1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = arena_strdup(a, (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(v);
		return (size_t)-1;
	}
	*out = v;
	return n;
}

int kbcache_has_value(kbcache *c, enum kbcache_col col, const char *value)
{
	static const char *const sql[] = {
		[KBC_DOMAIN] = "SELECT 1 FROM records WHERE domain = ?1 AND NOT dup LIMIT 1",
		[KBC_CATEGORY] = "SELECT 1 FROM records WHERE category = ?1 AND NOT dup LIMIT 1",
		[KBC_TIER] = "SELECT 1 FROM records WHERE tier = ?1 AND NOT dup LIMIT 1",
	};
	sqlite3_stmt *s;
	int rc;

	if (col == KBC_ID || !c->settled || c->failed || !(s = prepare(c, sql[col])))
		return -1;
	rc = sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	failed(c, rc);
	return -1;
}

size_t kbcache_ids_from(kbcache *c, const char *prefix, size_t max, arena *a, const char ***out)
{
	/* A range of the id index: the ids from prefix up to, not
	 * including, the first string past all that start with it (prefix
	 * with its last byte that can grow grown, the rest cut). */
	size_t len = strlen(prefix), n = 0;
	char *past = xstrdup(prefix);
	const char **v = NULL;
	sqlite3_stmt *s;
	int rc;

	while (len && (unsigned char)past[len - 1] == 0xff)
		len--;
	past[len] = '\0';
	if (len)
		past[len - 1] = (char)((unsigned char)past[len - 1] + 1);
	*out = NULL;
	if (!c->settled || c->failed ||
	    !(s = prepare(c, len ? "SELECT id FROM records WHERE id >= ?1 AND id < ?2 AND NOT dup ORDER BY id"
				 : "SELECT id FROM records WHERE id >= ?1 AND NOT dup ORDER BY id"))) {
		free(past);
		return (size_t)-1;
	}
	rc = sqlite3_bind_text(s, 1, prefix, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && len)
		rc = sqlite3_bind_text(s, 2, past, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK) {
		v = xmalloc((max ? max : 1) * sizeof *v);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(s, 0);

			if (!id) {
				rc = SQLITE_NOMEM;
				break;
			}
			if (n < max)
				v[n] = arena_strdup(a, id);
			n++;
		}
	}
	sqlite3_finalize(s);
	free(past);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(v);
		return (size_t)-1;
	}
	*out = v;
	return n;
}

static uint32_t slot_of(const kbheads *h, sqlite3_int64 rid);

bool kbcache_filter_slots(kbcache *c, const kb_filter *f, const kbheads *h, uint8_t *pass)
{
	sqlite3_stmt *s;
	int rc;

	memset(pass, 0, h->n ? h->n : 1);
	if (!c->settled || c->failed || !(s = list_stmt(c, f, KB_EN, LIST_KEYS)))
		return false;
	conn_lock(c);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t slot = slot_of(h, sqlite3_column_int64(s, 0));

		if (slot != KB_NONE)
			pass[slot] = 1;
	}
	conn_unlock(c);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		return false;
	}
	return true;
}

/* A group being counted: its domain, category and tier by their number
 * in kbcache_counting's names (tier 0: none, else its number + 1). */
typedef struct cgroup {
	uint32_t dom, cat, tier, count;
	uint8_t res, confident, used;
} cgroup;

struct kbcache_counting {
	kbcache *c;
	sqlite3_stmt *s;
	/* Each name once, in mem; ix maps it to its place in names. */
	arena mem;
	strmap ix;
	const char **names;
	size_t nnames, capnames;
	/* The groups, an open-addressing table of cap (a power of two). */
	cgroup *t;
	size_t cap, n;
};

kbcache_counting *kbcache_groups_start(kbcache *c, double min_confidence)
{
	kbcache_counting *g;
	sqlite3_stmt *s;

	if (!c->settled || c->failed ||
	    !(s = prepare(c, "SELECT domain, category, tier, resolvable, coalesce(confidence >= ?, 0)"
			     " FROM records NOT INDEXED WHERE NOT dup")))
		return NULL;
	/* As kb_filter_accepts compares.  The table read straight
	 * through: by the index of domains, 2.5 times as long. */
	sqlite3_bind_double(s, 1, min_confidence - 1e-9);
	g = xcalloc(1, sizeof *g);
	g->c = c;
	g->s = s;
	arena_init(&g->mem);
	strmap_init(&g->ix);
	g->cap = 64;
	g->t = xcalloc(g->cap, sizeof *g->t);
	return g;
}

static uint32_t counting_name(kbcache_counting *g, const char *name)
{
	uint32_t at = strmap_get(&g->ix, name);
	char *copy;

	if (at != UINT32_MAX)
		return at;
	copy = arena_strdup(&g->mem, name);
	g->names = xgrow(g->names, &g->capnames, g->nnames + 1, sizeof *g->names);
	g->names[g->nnames] = copy;
	return strmap_put(&g->ix, copy, (uint32_t)g->nnames++);
}

static size_t cgroup_hash(const cgroup *k)
{
	uint64_t h = ((uint64_t)k->dom * 0x9e3779b97f4a7c15u) ^ ((uint64_t)k->cat * 0xc2b2ae3d27d4eb4fu) ^
		     ((uint64_t)k->tier * 0x165667b19e3779f9u) ^ ((uint64_t)k->res << 1 | k->confident);

	return (size_t)(h ^ h >> 29);
}

static cgroup *cgroup_slot(cgroup *t, size_t cap, const cgroup *k)
{
	size_t i = cgroup_hash(k) & (cap - 1);

	while (t[i].used && !(t[i].dom == k->dom && t[i].cat == k->cat && t[i].tier == k->tier &&
			      t[i].res == k->res && t[i].confident == k->confident))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* One record of group k more. */
static void counting_add(kbcache_counting *g, const cgroup *k)
{
	cgroup *slot;

	if ((g->n + 1) * 2 > g->cap) {
		size_t cap = g->cap * 2;
		cgroup *t = xcalloc(cap, sizeof *t);

		for (size_t i = 0; i < g->cap; i++)
			if (g->t[i].used)
				*cgroup_slot(t, cap, &g->t[i]) = g->t[i];
		free(g->t);
		g->t = t;
		g->cap = cap;
	}
	slot = cgroup_slot(g->t, g->cap, k);
	if (!slot->used) {
		*slot = *k;
		slot->used = 1;
		g->n++;
	}
	slot->count++;
}

int kbcache_groups_some(kbcache_counting *g, const kbcache_stop *stop, arena *a, kbcache_group **out,
			size_t *n)
{
	kbcache *c = g->c;
	kbcache_group *v;
	size_t rows = 0, j = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!g->s || c->failed)
		return -1;
	conn_lock(c);
	while ((rc = sqlite3_step(g->s)) == SQLITE_ROW) {
		const char *dom = (const char *)sqlite3_column_text(g->s, 0),
			   *cat = (const char *)sqlite3_column_text(g->s, 1),
			   *tier = (const char *)sqlite3_column_text(g->s, 2);
		int res = sqlite3_column_int(g->s, 3);
		cgroup k;

		if (!dom || !cat || res < 0 || res > 3) {
			c->damaged = c->failed = true;    /* not a row errkb wrote */
			break;
		}
		k = (cgroup){ .dom = counting_name(g, dom), .cat = counting_name(g, cat),
			      .tier = tier ? counting_name(g, tier) + 1 : 0, .res = (uint8_t)res,
			      .confident = sqlite3_column_int(g->s, 4) != 0 };
		counting_add(g, &k);
		/* The other thread gets the connection between runs of
		 * rows; the caller its own thread back when stop says. */
		if (++rows % 64 == 0) {
			conn_unlock(c);
			if (stop && stop->fn(stop->arg))
				return 1;
			conn_lock(c);
		}
	}
	conn_unlock(c);
	sqlite3_finalize(g->s);
	g->s = NULL;
	if (c->failed || rc != SQLITE_DONE) {
		if (!c->failed)
			failed(c, rc);
		return -1;
	}
	v = xmalloc((g->n ? g->n : 1) * sizeof *v);
	for (size_t i = 0; i < g->cap; i++) {
		const cgroup *e = &g->t[i];

		if (!e->used)
			continue;
		v[j++] = (kbcache_group){ .domain = g->names[e->dom], .category = g->names[e->cat],
					  .tier = e->tier ? g->names[e->tier - 1] : NULL,
					  .resolvable = e->res, .confident = e->confident, .count = e->count };
	}
	arena_adopt(a, &g->mem);       /* the names, each once */
	*out = v;
	*n = j;
	return 0;
}

void kbcache_groups_end(kbcache_counting *g)
{
	if (!g)
		return;
	sqlite3_finalize(g->s);
	arena_free(&g->mem);
	strmap_free(&g->ix);
	free(g->names);
	free(g->t);
	free(g);
}

int kbcache_vocab(kbcache *c, search_vocab *v, int64_t *from, const kbcache_stop *stop)
{
	sqlite3_stmt *s;
	size_t i = 0;
	int rc;

	if (!c->settled || c->failed ||
	    !(s = prepare(c, "SELECT rid, head, body FROM search WHERE rid > ? ORDER BY rid")))
		return -1;
	sqlite3_bind_int64(s, 1, *from);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		search_doc d = { .head = (const char *)sqlite3_column_text(s, 1),
				 .body = (const char *)sqlite3_column_text(s, 2) };

		if (d.head && d.body)
			search_vocab_add(v, &d);
		*from = sqlite3_column_int64(s, 0);
		if (stop && ++i % 64 == 0 && stop->fn(stop->arg)) {
			sqlite3_finalize(s);
			return -2;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		return -1;
	}
	return 0;
}

long long kbcache_count(kbcache *c)
{
	if (!c->settled || c->failed)
		return -1;
	return count(c, "SELECT count(*) FROM records WHERE NOT dup");
}

int kbcache_fetch(kbcache *c, const char *id, kb *k)
{
	static const char *const fill[] = {
		/* the record */
		"INSERT INTO temp.want SELECT file, seq FROM records WHERE id = ?1 AND NOT dup",
		/* those that link to it */
		"INSERT OR IGNORE INTO temp.want SELECT r.file, r.seq FROM links l"
		" JOIN records r ON r.file = l.file AND r.seq = l.seq WHERE l.target = ?1 AND NOT r.dup",
		/* those it links to */
		"INSERT OR IGNORE INTO temp.want SELECT t.file, t.seq FROM records r"
		" JOIN links l ON l.file = r.file AND l.seq = r.seq"
		" JOIN records t ON t.id = l.target AND NOT t.dup WHERE r.id = ?1 AND NOT r.dup",
	};
	sqlite3_stmt *s;
	bool found = false, ok = true;
	int rc;

	if (!c->settled || c->failed ||
	    !exec(c, "CREATE TEMP TABLE IF NOT EXISTS want(file INTEGER, seq INTEGER, PRIMARY KEY (file, seq));"
		     "DELETE FROM temp.want;"))
		return -1;
	for (size_t i = 0; ok && i < sizeof fill / sizeof *fill; i++) {
		s = prepare(c, fill[i]);
		if (!s)
			return -1;
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		ok = run(c, s);
		if (i == 0)
			found = sqlite3_changes(c->db) > 0;
		sqlite3_finalize(s);
		if (i == 0 && !found)
			return ok ? 0 : -1;
	}
	if (!ok)
		return -1;
	/* In the order the loader adds them, so that backlinks come in the
	 * same order as from a whole load. */
	/* CROSS JOIN: from the few wanted, whatever the planner guesses. */
	s = prepare(c, "SELECT d.data, f.key FROM temp.want w"
		       " CROSS JOIN records r ON r.file = w.file AND r.seq = w.seq JOIN recdata d ON d.rid = r.rowid"
		       " JOIN files f ON f.id = r.file"
		       " ORDER BY f.walk, r.seq");
	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kb_record r;
		char *p = key_path(c, (const char *)sqlite3_column_text(s, 1));
		const char *path = p ? arena_strdup(&k->mem, p) : NULL;

		free(p);
		if (!path ||
		    !recser_get(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), &k->mem, path, &r)) {
			c->damaged = c->failed = true;
			break;
		}
		kb_add(k, &r);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		failed(c, rc);
	sqlite3_finalize(s);
	if (c->failed)
		return -1;
	/* Links to records that are not fetched are not dangling: the
	 * whole load has told of those that are. */
	kb_finish(k);
	diag_list_drop(&k->diags, DK_DANGLING_LINK);
	return 1;
}

/* ---- the browser's way: heads, and records made whole when shown ---- */

bool kbcache_hold(kbcache *c)
{
	settle_writes(c, true);
	/* What the load wrote is committed; the read transaction that
	 * follows keeps the index as it is now for as long as c is open
	 * (WAL: another errkb may update it meanwhile). */
	return !c->failed && exec(c, "COMMIT") && wal_on(c) &&
	       exec(c, "BEGIN; SELECT count(*) FROM meta;");
}

/* A domain or category of a head: the facet's own string when it has
 * one already (a KB has few of them). */
static const char *facet_str(kb *k, const strmap *ix, const kb_facet *v, const char *s)
{
	uint32_t i;

	if (!s)
		return NULL;
	i = strmap_get(ix, s);
	return i != KB_NONE ? v[i].name : arena_strdup(&k->mem, s);
}

/* The columns of a head, and where they are in a row. */
#define HEAD_COLUMNS "rowid, file, line, id, domain, category, confidence, resolvable, tier," \
		     " sig_en, sig_zh, sig_state, sig_zhraw"

/* The signature of a row whose columns from col on are sig_en, sig_zh,
 * sig_state and sig_zhraw, its strings in a; its Chinese text only if
 * zh (its zh_state whatever). */
static void get_signature(sqlite3_stmt *s, int col, arena *a, kb_text *t, bool zh)
{
	int state = sqlite3_column_int(s, col + 2);

	t->zh_state = (uint8_t)(state & SIG_ZH_STATE);
	if (state & SIG_EN)
		t->en = arena_strdup(a, (const char *)sqlite3_column_text(s, col));
	if (!zh)
		return;
	if ((state & SIG_ZH) && sqlite3_column_type(s, col + 3) != SQLITE_NULL)
		t->zh = arena_strdup(a, (const char *)sqlite3_column_text(s, col + 3));
	else if (state & SIG_ZH)
		t->zh = arena_strdup(a, (const char *)sqlite3_column_text(s, col + 1));
}

/* Row s (of HEAD_COLUMNS) as the head of slot i. */
static bool put_head(kbcache *c, kb *k, kbheads *h, uint32_t i, sqlite3_stmt *s)
{
	kb_record r = { .fix_success_rate = NAN, .evidence_count = -1, .format = KB_FORMAT_FLAT };
	sqlite3_int64 file = sqlite3_column_int64(s, 1);
	const char *tier = (const char *)sqlite3_column_text(s, 8);

	if (file != c->head_file || !c->head_path) {
		sqlite3_stmt *p = c->head_paths;

		char *path;

		sqlite3_bind_int64(p, 1, file);
		path = sqlite3_step(p) == SQLITE_ROW ? key_path(c, (const char *)sqlite3_column_text(p, 0)) : NULL;
		sqlite3_reset(p);
		c->head_path = path ? arena_strdup(&k->mem, path) : NULL;
		free(path);
		c->head_file = file;
		if (!c->head_path)
			return false;
	}
	r.path = c->head_path;
	r.line = (uint32_t)sqlite3_column_int64(s, 2);
	r.id = arena_strdup(&k->mem, (const char *)sqlite3_column_text(s, 3));
	r.domain = facet_str(k, &k->domain_ix, k->domains, (const char *)sqlite3_column_text(s, 4));
	r.category = facet_str(k, &k->category_ix, k->categories, (const char *)sqlite3_column_text(s, 5));
	r.confidence = sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6);
	r.resolvable = (uint8_t)sqlite3_column_int(s, 7);
	if (tier && (!c->head_tier || strcmp(c->head_tier, tier)))
		c->head_tier = arena_strdup(&k->mem, tier);
	r.verification_tier = tier ? c->head_tier : NULL;
	get_signature(s, 9, &k->mem, &r.signature, true);
	/* A row that is not what this errkb wrote, or an id twice (dup
	 * is wrong): the index is not sound. */
	if (!r.id || !r.domain || !r.category || r.resolvable > KB_RES_FALSE || !kb_put(k, i, &r))
		return false;
	h->have[i] = KBH_HEAD;
	h->filled++;
	return true;
}

static int by_rid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

size_t kbcache_slots(kbcache *c, kb *k, kbheads *h)
{
	sqlite3_stmt *s;
	size_t n = 0, cap = 0;
	int rc;

	memset(h, 0, sizeof *h);
	if (!c->settled || c->failed || k->nrecs)
		return (size_t)-1;
	/* From the partial index alone, a few bytes a record. */
	s = prepare(c, "SELECT rowid FROM records INDEXED BY records_ord_en WHERE NOT dup");
	if (!s)
		return (size_t)-1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		h->rids = xgrow(h->rids, &cap, n + 1, sizeof *h->rids);
		h->rids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE || n >= KB_NONE) {
		failed(c, rc == SQLITE_DONE ? SQLITE_FULL : rc);
		free(h->rids);
		h->rids = NULL;
		return (size_t)-1;
	}
	{
		/* Keys are unique: n of them from min to min + n - 1 are
		 * those in order, without a sort (a million: 80 ms). */
		int64_t lo = n ? h->rids[0] : 0, hi = lo;

		for (size_t i = 1; i < n; i++) {
			lo = h->rids[i] < lo ? h->rids[i] : lo;
			hi = h->rids[i] > hi ? h->rids[i] : hi;
		}
		if (n && hi - lo == (int64_t)n - 1)
			for (size_t i = 0; i < n; i++)
				h->rids[i] = lo + (int64_t)i;
		else if (n)
			qsort(h->rids, n, sizeof *h->rids, by_rid);     /* no records: no array */
	}
	h->n = n;
	h->have = xcalloc(n ? n : 1, 1);
	k->recs = xcalloc(n ? n : 1, sizeof *k->recs);
	k->nrecs = k->caprecs = n;
	c->head_paths = prepare(c, "SELECT key FROM files WHERE id = ?");
	c->head_one = prepare(c, "SELECT " HEAD_COLUMNS " FROM records WHERE rowid = ?");
	c->head_id = prepare(c, "SELECT rowid FROM records WHERE id = ? AND NOT dup");
	c->head_data = prepare(c, "SELECT data FROM recdata WHERE rid = ?");
	return c->failed ? (size_t)-1 : n;
}

void kbheads_free(kbheads *h)
{
	free(h->rids);
	free(h->have);
	memset(h, 0, sizeof *h);
}

/* The slot of rowid rid, KB_NONE if there is none. */
static uint32_t slot_of(const kbheads *h, sqlite3_int64 rid)
{
	size_t lo = 0, hi = h->n;

	/* Keys with no gap (an index made at once): the slot is the key's
	 * distance from the first. */
	if (h->n && h->rids[h->n - 1] - h->rids[0] == (int64_t)h->n - 1)
		return rid >= h->rids[0] && rid <= h->rids[h->n - 1] ? (uint32_t)(rid - h->rids[0]) : KB_NONE;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->rids[mid] < rid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n && h->rids[lo] == rid ? (uint32_t)lo : KB_NONE;
}

bool kbcache_head(kbcache *c, kb *k, kbheads *h, uint32_t i)
{
	sqlite3_stmt *s = c->head_one;
	bool ok;

	if (i >= h->n || c->failed)
		return false;
	if (h->have[i])
		return true;
	sqlite3_bind_int64(s, 1, h->rids[i]);
	ok = sqlite3_step(s) == SQLITE_ROW && put_head(c, k, h, i, s);
	sqlite3_reset(s);
	if (!ok)
		c->damaged = c->failed = true;
	return ok;
}

uint32_t kbcache_find(kbcache *c, kb *k, kbheads *h, const char *id)
{
	uint32_t i = strmap_get(&k->ids, id);
	sqlite3_stmt *s = c->head_id;
	int rc;

	if (i != KB_NONE || h->filled == h->n || c->failed || !id)
		return i;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		i = slot_of(h, sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		failed(c, rc);
	if (i == KB_NONE || !kbcache_head(c, k, h, i))
		return KB_NONE;
	return i;
}

size_t kbcache_order(kbcache *c, enum kb_lang lang, const kbheads *h, uint32_t **out)
{
	sqlite3_stmt *s;
	uint32_t *v = xmalloc((h->n ? h->n : 1) * sizeof *v);
	size_t got = 0;
	int rc;

	*out = NULL;
	if (!c->settled || c->failed ||
	    !(s = prepare(c, lang == KB_ZH ?
			  "SELECT rowid FROM records WHERE NOT dup ORDER BY ord_zh, id" :
			  "SELECT rowid FROM records WHERE NOT dup ORDER BY ord_en, id"))) {
		free(v);
		return (size_t)-1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t i = slot_of(h, sqlite3_column_int64(s, 0));

		if (i == KB_NONE || got == h->n) {
			rc = SQLITE_CORRUPT;
			break;
		}
		v[got++] = i;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE || got != h->n) {
		failed(c, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
		free(v);
		return (size_t)-1;
	}
	*out = v;
	return got;
}

/* Slot i, which has its head, as its whole data (its links resolved,
 * the heads they point at had). */
static bool put_data(kbcache *c, kb *k, kbheads *h, uint32_t i)
{
	kb_record *dst = &k->recs[i], r;
	sqlite3_stmt *s;
	bool ok;

	if (h->have[i] >= KBH_DATA)
		return true;
	if (h->have[i] != KBH_HEAD)
		return false;
	s = c->head_data;
	if (!s)
		return false;
	sqlite3_bind_int64(s, 1, h->rids[i]);
	ok = sqlite3_step(s) == SQLITE_ROW &&
	     recser_get(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), &k->mem,
			dst->path, &r) &&
	     !strcmp(r.id, dst->id);
	sqlite3_reset(s);
	if (!ok) {
		c->damaged = c->failed = true;
		return false;
	}
	r.domain_ix = dst->domain_ix;
	r.category_ix = dst->category_ix;
	/* The head's strings: the facets point at them. */
	r.domain = dst->domain;
	r.category = dst->category;
	r.backlinks = NULL;
	r.nbacklinks = 0;
	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		for (uint32_t j = 0; j < r.nlinks[kind]; j++) {
			r.links[kind][j].target = kbcache_find(c, k, h, r.links[kind][j].target_id);
			if (c->failed)
				return false;
		}
	*dst = r;
	h->have[i] = KBH_DATA;
	return true;
}

int kbcache_whole(kbcache *c, kb *k, kbheads *h, uint32_t rec)
{
	kb_record *r;
	sqlite3_stmt *s;
	uint32_t *from = NULL;
	size_t nfrom = 0, cap = 0, nback = 0;
	int rc;

	if (rec >= h->n || !c->settled || c->failed)
		return -1;
	if (h->have[rec] == KBH_WHOLE)
		return 1;
	if (!kbcache_head(c, k, h, rec) || !put_data(c, k, h, rec))
		return -1;
	/* Those that link to it, in the order the loader meets them: its
	 * backlinks come in the order a whole load gives them. */
	s = prepare(c, "SELECT r.rowid FROM (SELECT DISTINCT file, seq FROM links WHERE target = ?) l"
		       " JOIN records r ON r.file = l.file AND r.seq = l.seq JOIN files f ON f.id = r.file"
		       " WHERE NOT r.dup ORDER BY f.walk, r.seq");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, k->recs[rec].id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t i = slot_of(h, sqlite3_column_int64(s, 0));

		if (i == KB_NONE) {
			rc = SQLITE_CORRUPT;
			break;
		}
		from = xgrow(from, &cap, nfrom + 1, sizeof *from);
		from[nfrom++] = i;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(from);
		return -1;
	}
	for (size_t i = 0; i < nfrom; i++)
		if (!kbcache_head(c, k, h, from[i]) || !put_data(c, k, h, from[i])) {
			free(from);
			return -1;
		}
	r = &k->recs[rec];
	for (size_t i = 0; i < nfrom; i++) {
		const kb_record *f = &k->recs[from[i]];

		for (int kind = 0; kind < KB_LINK_KINDS; kind++)
			for (uint32_t j = 0; j < f->nlinks[kind]; j++)
				if (f->links[kind][j].target == rec)
					nback++;
	}
	free(r->backlinks);
	r->backlinks = nback ? xmalloc(nback * sizeof *r->backlinks) : NULL;
	r->nbacklinks = 0;
	for (size_t i = 0; i < nfrom; i++) {
		const kb_record *f = &k->recs[from[i]];

		for (int kind = 0; kind < KB_LINK_KINDS; kind++)
			for (uint32_t j = 0; j < f->nlinks[kind]; j++)
				if (f->links[kind][j].target == rec && r->nbacklinks < nback)
					r->backlinks[r->nbacklinks++] =
						(kb_backlink){ .from = from[i], .kind = (uint8_t)kind };
	}
	free(from);
	h->have[rec] = KBH_WHOLE;
	return 1;
}

/* A search row's columns (rid, sig, code, tags, fix, head, pinyin, body)
 * as a doc whose strings are s's, until its next step. */
#define DOC_COLUMNS "rid, sig, code, tags, fix, head, pinyin, body"
/* The doc of a row whose DOC_COLUMNS begin at column at. */
static void doc_view(sqlite3_stmt *s, int at, search_doc *d)
{
	d->sig = (const char *)sqlite3_column_text(s, at + 1);
	d->code = (const char *)sqlite3_column_text(s, at + 2);
	d->tags = (const char *)sqlite3_column_text(s, at + 3);
	d->fix = sqlite3_column_type(s, at + 4) == SQLITE_NULL ? NAN : sqlite3_column_double(s, at + 4);
	d->head = (const char *)sqlite3_column_text(s, at + 5);
	d->pinyin = (const char *)sqlite3_column_text(s, at + 6);
	d->body = (const char *)sqlite3_column_text(s, at + 7);
}

/* A query the screen cannot narrow down: no word of 3 bytes or more. */
#define SCREEN_NONE ((size_t)-2)

/* The keys of the records whose text may hold every word of q, in
 * ascending order, into *out (malloc'd): their count, SCREEN_NONE, or
 * (size_t)-1 when the index failed. */
static size_t screen_keys(kbcache *c, const query *q, int64_t **out)
{
	unsigned *need;
	size_t nneed = search_screen_needs(q, &need), n = 0, cap = 0;
	sqlite3_int64 last;
	sqlite3_stmt *s;
	int64_t *v = NULL;

	*out = NULL;
	if (!nneed)
		return SCREEN_NONE;
	last = count(c, "SELECT coalesce(max(rowid), 0) FROM records");
	s = last < 0 ? NULL : prepare(c, "SELECT map FROM screen WHERE key = ?");
	for (sqlite3_int64 block = 0; s && block <= last >> SCREEN_BLOCK_BITS; block++) {
		uint8_t acc[SCREEN_MAP];
		bool any = true;

		memset(acc, 0xff, sizeof acc);
		for (size_t i = 0; any && i < nneed; i++) {
			const uint8_t *m;
			int rc;

			sqlite3_bind_int64(s, 1, block * SEARCH_SCREEN_HASHES + need[i]);
			rc = sqlite3_step(s);
			if (rc == SQLITE_DONE) {
				any = false;      /* no record of the block has it */
			} else if (rc != SQLITE_ROW) {
				failed(c, rc);
			} else if (sqlite3_column_bytes(s, 0) != SCREEN_MAP ||
				   !(m = sqlite3_column_blob(s, 0))) {
				c->damaged = c->failed = true;
			} else {
				any = false;
				for (size_t j = 0; j < SCREEN_MAP; j++)
					any |= (acc[j] &= m[j]) != 0;
			}
			sqlite3_reset(s);
			if (c->failed)
				break;
		}
		if (c->failed)
			break;
		for (size_t j = 0; any && j < SCREEN_MAP; j++)
			for (unsigned b = acc[j]; b; b &= b - 1) {
				v = xgrow(v, &cap, n + 1, sizeof *v);
				v[n++] = (int64_t)(block * SCREEN_BLOCK) + (int64_t)(j * 8) + __builtin_ctz(b);
			}
	}
	sqlite3_finalize(s);
	free(need);
	if (!s || c->failed) {
		c->failed = true;
		free(v);
		return (size_t)-1;
	}
	*out = v;
	return n;
}

typedef struct hit {
	kbcache_row row;
	double score;
	const void *ord;
	size_t nord;
} hit;

/* The display order: the sort key, then the id (ORDER BY ord, id). */
static int hit_by_order(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	size_t n = x->nord < y->nord ? x->nord : y->nord;
	int d = memcmp(x->ord, y->ord, n);

	if (d)
		return d;
	if (x->nord != y->nord)
		return x->nord < y->nord ? -1 : 1;
	return strcmp(x->row.id, y->row.id);
}

/* The rank order, as search_rank's: the score, then the confidence
 * (higher first, none as 0); ties in display order.  A total order (ids
 * are unique), so that two halves ranked apart and merged are ranked as
 * one. */
static int hit_by_rank(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	double cx = isnan(x->row.confidence) ? 0 : x->row.confidence;
	double cy = isnan(y->row.confidence) ? 0 : y->row.confidence;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return hit_by_order(a, b);
}

static void rank_hits(hit *hits, size_t n)
{
	if (n > 1)
		qsort(hits, n, sizeof *hits, hit_by_rank);
}

/* The hits of two halves into *out (malloc'd), and freed: their count.
 * Ranked, each half ranked (rank_hits), merged; else as found, the first
 * half first. */
static size_t halves_out(hit *a, size_t na, hit *b, size_t nb, bool rank, kbcache_row **out)
{
	size_t i = 0, j = 0, k = 0;

	*out = xmalloc((na + nb + 1) * sizeof **out);
	while (rank && i < na && j < nb)
		(*out)[k++] = hit_by_rank(&a[i], &b[j]) <= 0 ? a[i++].row : b[j++].row;
	while (i < na)
		(*out)[k++] = a[i++].row;
	while (j < nb)
		(*out)[k++] = b[j++].row;
	free(a);
	free(b);
	return k;
}

/* A hit of the row of list_stmt's columns in s, with its score; bare:
 * its key and confidence alone. */
static hit hit_of(sqlite3_stmt *s, arena *a, double score, bool bare)
{
	hit h = { .score = score };

	if (bare) {
		h.row.rid = sqlite3_column_int64(s, 5);
		h.row.confidence = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3);
	} else {
		get_row(s, a, &h.row);
		h.nord = (size_t)sqlite3_column_bytes(s, 6);
		h.ord = h.nord ? memcpy(arena_alloc(a, h.nord), sqlite3_column_blob(s, 6), h.nord) : "";
	}
	h.row.score = score;
	return h;
}

/* One part of search_all's scan: the rows of s (LIST_DOCS), scored. */
struct scan {
	kbcache *c;
	sqlite3 *db;              /* s's connection */
	sqlite3_stmt *s;
	const query *q;
	arena *a;                 /* where the rows' strings go */
	const kbcache_stop *stop;
	bool bare;
	hit *hits;
	size_t nhit, cap;
	int rc;                   /* of the last step: SQLITE_DONE at the end */
	bool damaged, stopped;
};

static void scan_rows(struct scan *p)
{
	sqlite3_stmt *s = p->s;
	sqlite3_mutex *mu = sqlite3_db_mutex(p->db);     /* see conn_lock */
	size_t i = 0;

	sqlite3_mutex_enter(mu);
	while ((p->rc = sqlite3_step(s)) == SQLITE_ROW) {
		kb_record r = { .domain = (const char *)sqlite3_column_text(s, 1),
				.category = (const char *)sqlite3_column_text(s, 2),
				.confidence = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN
					      : sqlite3_column_double(s, 3) };
		search_doc d;
		double score;

		if (stopped(p->stop, i++)) {
			p->stopped = true;
			break;
		}
		/* A record without its doc, or a row not as written: a
		 * damaged index. */
		if (sqlite3_column_type(s, 7) == SQLITE_NULL || !r.domain || !r.category ||
		    !sqlite3_column_text(s, 0) || !sqlite3_column_text(s, 4)) {
			p->damaged = true;
			break;
		}
		doc_view(s, 7, &d);
		if (!d.sig || !d.head || !d.pinyin || !d.body) {     /* NOT NULL in the schema */
			p->damaged = true;
			break;
		}
		sqlite3_mutex_leave(mu);
		score = search_doc_score(&d, &r, p->q);
		sqlite3_mutex_enter(mu);
		if (score > 0) {
			p->hits = xgrow(p->hits, &p->cap, p->nhit + 1, sizeof *p->hits);
			p->hits[p->nhit++] = hit_of(s, p->a, score, p->bare);
		}
	}
	sqlite3_mutex_leave(mu);
	/* Ranked here, on the thread that read them (halves_out). */
	if (!p->bare && p->rc == SQLITE_DONE && !p->stopped && !p->damaged)
		rank_hits(p->hits, p->nhit);
}

static void *scan_main(void *arg)
{
	scan_rows(arg);
	return NULL;
}

/* Below this many records a scan is not split: a thread and a statement
 * on the second connection cost more than half a scan saves. */
enum { SCAN2_MIN = 20000 };

/* The second connection, opened on the index as it is now, in a read
 * transaction that keeps it so: its token into c->db2_token; false if
 * it cannot be had. */
static bool db2_open(kbcache *c)
{
	sqlite3_stmt *s = NULL;
	bool ok;

	ok = sqlite3_open_v2(c->path, &c->db2, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
	     sqlite3_exec(c->db2, "PRAGMA cache_size = -1024; BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(c->db2, "SELECT value FROM meta WHERE key = 'snapshot'", -1, &s, NULL) == SQLITE_OK &&
	     sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0);
	if (ok)
		c->db2_token = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return ok;
}

/* Whether a search reads its records in two: on two cores or more, with
 * a second connection that sees what c sees (the same token, and c has
 * written nothing since it set it).  Then c->db2mu is held until the
 * search gives it back, and *mid (unless mid is NULL) splits the keys of
 * all records in two. */
static bool scan2_ready(kbcache *c, sqlite3_int64 *mid)
{
	char *token;
	sqlite3_stmt *s = NULL;
	bool ok = false;

	if (c->db2_state < 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2 || pthread_mutex_trylock(&c->db2mu) != 0)
		return false;
	token = sqlite3_total_changes64(c->db) == c->changes_settled ? meta_get(c, "snapshot") : NULL;
	if (token && c->db2_state == 0)
		c->db2_state = db2_open(c) ? 1 : -1;
	if (token && c->db2_state == 1 && !strcmp(token, c->db2_token) && !mid) {
		ok = true;
	} else if (token && c->db2_state == 1 && !strcmp(token, c->db2_token) &&
		   sqlite3_prepare_v2(c->db, "SELECT min(rowid), max(rowid) FROM records", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_INTEGER) {
			sqlite3_int64 lo = sqlite3_column_int64(s, 0), hi = sqlite3_column_int64(s, 1);

			*mid = lo + (hi - lo) / 2;
			ok = true;
		}
		sqlite3_finalize(s);
	} else if (token && c->db2_state == 1) {
		/* Another snapshot: c's will not come back. */
		c->db2_state = -1;
	}
	if (c->db2_state < 0 && c->db2) {
		sqlite3_close(c->db2);
		c->db2 = NULL;
	}
	free(token);
	if (!ok)
		pthread_mutex_unlock(&c->db2mu);
	return ok;
}

/* One part of search_keys: the candidates keys[0..n), each read by its
 * key on db with the statements doc (its search text) and one (its row
 * in records, if f accepts it), scored. */
struct probe {
	sqlite3 *db;
	sqlite3_stmt *doc, *one;
	const query *q;
	arena *a;                 /* where the rows' strings go */
	const kbcache_stop *stop;
	bool bare, by_text;
	const int64_t *keys;
	size_t n;
	hit *hits;
	size_t nhit, cap;
	int rc;                   /* SQLITE_DONE once every key is read */
	bool damaged, stopped;
};

/* Whether the record of key rid is in the KB (not a duplicate), on p's
 * connection: false with p->rc SQLITE_DONE when it is not. */
static bool probe_exists(struct probe *p, int64_t rid)
{
	sqlite3_stmt *s = NULL;
	bool yes = true;

	p->rc = sqlite3_prepare_v2(p->db, "SELECT 1 FROM records WHERE rowid = ? AND NOT dup", -1, &s, NULL);
	if (p->rc != SQLITE_OK)
		return true;
	sqlite3_bind_int64(s, 1, rid);
	p->rc = sqlite3_step(s);
	if (p->rc == SQLITE_ROW || p->rc == SQLITE_DONE) {
		yes = p->rc == SQLITE_ROW;
		p->rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return yes;
}

static void probe_rows(struct probe *p)
{
	sqlite3_mutex *mu = sqlite3_db_mutex(p->db);     /* see conn_lock */

	p->rc = SQLITE_DONE;
	sqlite3_mutex_enter(mu);
	for (size_t i = 0; i < p->n; i++) {
		kb_record r = { .domain = "", .category = "", .confidence = NAN };
		search_doc d;
		double score;

		if (stopped(p->stop, i)) {
			p->stopped = true;
			break;
		}
		sqlite3_bind_int64(p->doc, 1, p->keys[i]);
		p->rc = sqlite3_step(p->doc);
		if (p->rc == SQLITE_DONE) {
			/* A record gone (its bits stay), or one without its
			 * doc: a damaged index. */
			sqlite3_reset(p->doc);
			if (!probe_exists(p, p->keys[i]))
				continue;
			if (p->rc == SQLITE_DONE) {
				p->damaged = true;
				p->rc = SQLITE_CORRUPT;
			}
			break;
		}
		if (p->rc != SQLITE_ROW)
			break;
		doc_view(p->doc, 0, &d);
		if (!d.sig || !d.head || !d.pinyin || !d.body) {     /* NOT NULL in the schema */
			p->damaged = true;
			break;
		}
		/* The text first: most candidates lack a word, and are
		 * turned down without their row in records. */
		sqlite3_mutex_leave(mu);
		score = p->by_text ? search_doc_score(&d, &r, p->q) : 1;
		sqlite3_mutex_enter(mu);
		if (score == 0) {
			sqlite3_reset(p->doc);
			p->rc = SQLITE_DONE;
			continue;
		}
		sqlite3_bind_int64(p->one, 1, p->keys[i]);
		p->rc = sqlite3_step(p->one);
		if (p->rc == SQLITE_DONE) {
			sqlite3_reset(p->one);
			sqlite3_reset(p->doc);
			continue;            /* left out, or not in the filter */
		}
		if (p->rc != SQLITE_ROW)
			break;
		r = (kb_record){ .domain = (const char *)sqlite3_column_text(p->one, 1),
				 .category = (const char *)sqlite3_column_text(p->one, 2),
				 .confidence = sqlite3_column_type(p->one, 3) == SQLITE_NULL ? NAN
					       : sqlite3_column_double(p->one, 3) };
		if (!r.domain || !r.category || !sqlite3_column_text(p->one, 0) ||
		    !sqlite3_column_text(p->one, 4)) {
			p->damaged = true;      /* not a row errkb wrote */
			break;
		}
		sqlite3_mutex_leave(mu);
		score = search_doc_score(&d, &r, p->q);
		sqlite3_mutex_enter(mu);
		if (score > 0) {
			p->hits = xgrow(p->hits, &p->cap, p->nhit + 1, sizeof *p->hits);
			p->hits[p->nhit++] = hit_of(p->one, p->a, score, p->bare);
		}
		sqlite3_reset(p->one);
		sqlite3_reset(p->doc);
		p->rc = SQLITE_DONE;
	}
	sqlite3_reset(p->one);
	sqlite3_reset(p->doc);
	sqlite3_mutex_leave(mu);
	if (!p->bare && p->rc == SQLITE_DONE && !p->stopped && !p->damaged)
		rank_hits(p->hits, p->nhit);     /* as scan_rows */
}

static void *probe_main(void *arg)
{
	probe_rows(arg);
	return NULL;
}

/* Below this many candidates they are not read in two. */
enum { PROBE2_MIN = 512 };

/* p's statements, on p->db (c's own connection, or its second): false
 * if they cannot be had. */
static bool probe_prepare(kbcache *c, struct probe *p, const kb_filter *f, enum kb_lang lang)
{
	static const char sql[] = "SELECT " DOC_COLUMNS " FROM search WHERE rid = ?";

	p->one = list_stmt_on(c, p->db, f, lang, LIST_ONE, INT64_MIN, INT64_MAX);
	if (!p->one)
		return false;
	if (p->db == c->db)
		p->doc = prepare(c, sql);
	else if (sqlite3_prepare_v2(p->db, sql, -1, &p->doc, NULL) != SQLITE_OK)
		p->doc = NULL;
	return p->doc != NULL;
}

static void probe_finalize(struct probe *p)
{
	sqlite3_finalize(p->one);
	sqlite3_finalize(p->doc);
	p->one = p->doc = NULL;
}

/* The records of keys[0..n) that f accepts and q matches, ranked, into
 * *out: their count, (size_t)-1 on failure.  As kbcache_search_until.
 * Many keys are read in two halves at once, as search_all reads. */
static size_t search_keys(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
			  const int64_t *keys, size_t n, kbcache_row **out, const kbcache_stop *stop, bool bare)
{
	struct probe lo = { .db = c->db, .q = q, .a = a, .stop = stop, .bare = bare, .by_text = true,
			    .keys = keys, .n = n, .rc = SQLITE_DONE };
	struct probe hi;
	bool two = n >= PROBE2_MIN && scan2_ready(c, NULL), threaded = false, ready;
	arena himem;
	pthread_t t;

	/* Unless the query names a field of records (domain, category,
	 * confidence), a candidate's text is scored before its row is
	 * read. */
	for (size_t i = 0; i < q->n; i++)
		if (q->terms[i].field == QF_DOMAIN || q->terms[i].field == QF_CAT || q->terms[i].field == QF_CONF)
			lo.by_text = false;
	if (two)
		lo.n = n / 2;
	hi = lo;
	hi.keys = keys + lo.n;
	hi.n = n - lo.n;
	arena_init(&himem);
	ready = probe_prepare(c, &lo, f, lang);
	if (ready && two) {
		hi.db = c->db2;
		hi.a = &himem;
		threaded = probe_prepare(c, &hi, f, lang) && thread_start(&t, probe_main, &hi) == 0;
	}
	if (ready)
		probe_rows(&lo);
	if (threaded && pthread_join(t, NULL) != 0)
		die("pthread_join failed");
	if (ready && two && !lo.stopped && !lo.damaged && lo.rc == SQLITE_DONE &&
	    (!threaded || (!hi.stopped && !hi.damaged && hi.rc != SQLITE_DONE))) {
		/* The second half, unless the thread read it: on c's own
		 * connection. */
		probe_finalize(&hi);
		free(hi.hits);
		hi = lo;
		hi.keys = keys + lo.n;
		hi.n = n - lo.n;
		hi.hits = NULL;
		hi.nhit = hi.cap = 0;
		probe_rows(&hi);
		hi.one = hi.doc = NULL;     /* lo's */
	}
	probe_finalize(&lo);
	if (two) {
		probe_finalize(&hi);
		pthread_mutex_unlock(&c->db2mu);
	}
	if (a)
		arena_adopt(a, &himem);     /* the second half's rows' strings */
	arena_free(&himem);
	if (lo.stopped || (two && hi.stopped)) {
		free(lo.hits);
		free(two ? hi.hits : NULL);
		return KBCACHE_STOPPED;
	}
	if (lo.damaged || (two && hi.damaged))
		c->damaged = c->failed = true;
	if (!ready || c->failed || lo.rc != SQLITE_DONE || (two && hi.rc != SQLITE_DONE)) {
		if (ready && !c->failed)
			failed(c, lo.rc != SQLITE_DONE ? lo.rc : hi.rc);
		c->failed = true;
		free(lo.hits);
		free(two ? hi.hits : NULL);
		return (size_t)-1;
	}
	return two ? halves_out(lo.hits, lo.nhit, hi.hits, hi.nhit, !bare, out)
		   : halves_out(lo.hits, lo.nhit, NULL, 0, !bare, out);
}

/* Every record f accepts, with its search text, in the order of the
 * keys (both tables read straight through, not at random as the display
 * order would read them): those q matches, ranked, into *out.  As
 * kbcache_search_until.  A big KB is read in two halves at once, the
 * second on the second connection; their hits are put together in the
 * order one scan would have found them. */
static size_t search_all(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
			 long long all, kbcache_row **out, const kbcache_stop *stop, bool bare)
{
	struct scan lo = { .c = c, .db = c->db, .q = q, .a = a, .stop = stop, .bare = bare, .rc = SQLITE_DONE };
	struct scan hi = lo;
	sqlite3_int64 mid = INT64_MAX;
	bool two = all >= SCAN2_MIN && scan2_ready(c, &mid), threaded = false;
	arena himem;
	pthread_t t;

	arena_init(&himem);
	lo.s = list_stmt_on(c, c->db, f, lang, LIST_DOCS, INT64_MIN, mid);
	if (lo.s && two) {
		hi.db = c->db2;
		hi.a = &himem;
		hi.s = list_stmt_on(c, c->db2, f, lang, LIST_DOCS, mid, INT64_MAX);
		threaded = hi.s && thread_start(&t, scan_main, &hi) == 0;
	}
	if (lo.s)
		scan_rows(&lo);
	if (threaded && pthread_join(t, NULL) != 0)
		die("pthread_join failed");
	if (lo.s && two && !lo.stopped && !lo.damaged && lo.rc == SQLITE_DONE) {
		/* The second half, unless the thread read it: on the second
		 * connection, or on c's should that fail. */
		if (hi.s && !threaded)
			scan_rows(&hi);
		if (!hi.s || (!hi.stopped && !hi.damaged && hi.rc != SQLITE_DONE)) {
			sqlite3_finalize(hi.s);
			free(hi.hits);
			hi = (struct scan){ .c = c, .db = c->db, .q = q, .a = a, .stop = stop, .bare = bare };
			hi.s = list_stmt_on(c, c->db, f, lang, LIST_DOCS, mid, INT64_MAX);
			if (hi.s)
				scan_rows(&hi);
			else
				hi.rc = SQLITE_ERROR;
		}
	}
	sqlite3_finalize(lo.s);
	sqlite3_finalize(hi.s);
	if (two)
		pthread_mutex_unlock(&c->db2mu);
	if (a)
		arena_adopt(a, &himem);     /* the second half's rows' strings */
	arena_free(&himem);
	if (lo.stopped || hi.stopped) {
		free(lo.hits);
		free(hi.hits);
		return KBCACHE_STOPPED;
	}
	if (lo.damaged || hi.damaged)
		c->damaged = c->failed = true;
	if (!lo.s || c->failed || lo.rc != SQLITE_DONE || (two && hi.rc != SQLITE_DONE)) {
		if (lo.s && !c->failed)
			failed(c, lo.rc != SQLITE_DONE ? lo.rc : hi.rc);
		c->failed = true;
		free(lo.hits);
		free(hi.hits);
		return (size_t)-1;
	}
	return halves_out(lo.hits, lo.nhit, hi.hits, hi.nhit, !bare, out);
}

size_t kbcache_search(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
		      kbcache_row **out)
{
	return kbcache_search_until(c, f, lang, q, a, out, NULL);
}

static size_t search(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
		     kbcache_row **out, const kbcache_stop *stop, bool bare)
{
	kbcache_row *rows;
	size_t n;
	long long all;
	int64_t *keys;

	*out = NULL;
	if (!c->settled || c->failed)
		return (size_t)-1;
	/* How many records there are, near enough to choose a way (those
	 * of duplicate ids too): from the few rows of files, where a count
	 * of records took a third of a search at a million. */
	all = count(c, "SELECT coalesce(sum(nrecs), 0) FROM files");
	/* The screen first: if it leaves few records (under a quarter),
	 * those, each by its key; else all of them. */
	n = screen_keys(c, q, &keys);
	if (n == (size_t)-1 || all < 0) {
		c->failed = true;
		return (size_t)-1;
	}
	if (n != SCREEN_NONE && (long long)n <= all / 4) {
		n = search_keys(c, f, lang, q, a, keys, n, out, stop, bare);
		free(keys);
		return n;
	}
	free(keys);
	if (f && kb_filter_active(f)) {
		/* A filter that leaves a few records: each by its key, as
		 * the screen's candidates are. */
		n = list_rows(c, f, lang, a, &rows, stop);
		if (n == (size_t)-1 || n == KBCACHE_STOPPED)
			return n;
		if ((long long)n * 8 < all) {
			keys = xmalloc((n + 1) * sizeof *keys);
			for (size_t i = 0; i < n; i++)
				keys[i] = rows[i].rid;
			free(rows);
			n = search_keys(c, f, lang, q, a, keys, n, out, stop, bare);
			free(keys);
			return n;
		}
		free(rows);
	}
	return search_all(c, f, lang, q, a, all, out, stop, bare);
}

size_t kbcache_search_until(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
			    kbcache_row **out, const kbcache_stop *stop)
{
	return search(c, f, lang, q, a, out, stop, false);
}

size_t kbcache_search_scores(kbcache *c, const query *q, kbcache_row **out, const kbcache_stop *stop)
{
	return search(c, NULL, KB_EN, q, NULL, out, stop, true);
}

size_t kbcache_rows_of(kbcache *c, const kb_filter *f, enum kb_lang lang, const int64_t *keys, size_t n,
		       arena *a, kbcache_row **out)
{
	sqlite3_stmt *s;
	size_t got = 0;
	int rc = SQLITE_DONE;

	*out = xmalloc((n ? n : 1) * sizeof **out);
	if (!c->settled || c->failed ||
	    !(s = list_stmt_on(c, c->db, f, lang, LIST_ONE, INT64_MIN, INT64_MAX))) {
		free(*out);
		*out = NULL;
		return (size_t)-1;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, keys[i]);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			(*out)[got++] = hit_of(s, a, 0, false).row;
			rc = SQLITE_DONE;
		} else if (rc != SQLITE_DONE) {
			break;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(*out);
		*out = NULL;
		return (size_t)-1;
	}
	return got;
}

/* A file's place in the walk, by its id. */
typedef struct file_rank {
	sqlite3_int64 id;
	uint32_t rank;
} file_rank;

static int by_file_id(const void *x, const void *y)
{
	sqlite3_int64 a = ((const file_rank *)x)->id, b = ((const file_rank *)y)->id;

	return (a > b) - (a < b);
}

/* A record read, by its place: its file's in the walk, then its own in
 * the file; at: where it was read. */
typedef struct placed {
	uint64_t key;
	uint32_t at;
} placed;

static int by_place(const void *x, const void *y)
{
	uint64_t a = ((const placed *)x)->key, b = ((const placed *)y)->key;

	return (a > b) - (a < b);
}

/* m's records, read in the order of their rows, in the order of their
 * places (v, one a record, sorted here). */
static void match_order(kb_slim *m, placed *v)
{
	uint32_t *perm;
	size_t i;

	for (i = 1; i < m->n && v[i - 1].key <= v[i].key; i++)
		;
	if (i >= m->n)
		return;      /* in order already, as a first build writes them */
	qsort(v, m->n, sizeof *v, by_place);
	perm = xmalloc(m->n * sizeof *perm);
	for (i = 0; i < m->n; i++)
		perm[i] = v[i].at;
	kb_slim_permute(m, perm);
	free(perm);
}

int kbcache_match_recs(kbcache *c, kb_slim *m, bool keys, const kbcache_stop *stop)
{
	sqlite3_stmt *s;
	file_rank *files = NULL, *f = NULL;
	placed *place = NULL;
	size_t nfiles = 0, capfiles = 0, capplace = 0, caprid = 0;
	bool stopped = false;
	int rc;

	if (!c->settled || c->failed || m->n)
		return -1;
	/* In the order the loader adds them: files as walked, then as in
	 * the file.  The records are read as they are stored and put in
	 * that order after: sorted by SQLite, every record's columns were
	 * held at once a second time. */
	if (!(s = prepare(c, "SELECT id FROM files ORDER BY walk")))
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		files = xgrow(files, &capfiles, nfiles + 1, sizeof *files);
		files[nfiles] = (file_rank){ sqlite3_column_int64(s, 0), (uint32_t)nfiles };
		nfiles++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		failed(c, rc);
		free(files);
		return -1;
	}
	qsort(files, nfiles, sizeof *files, by_file_id);
	s = prepare(c, "SELECT file, seq, id, confidence, regex, sig_en, sig_zh, sig_state, sig_zhraw,"
		       " regex_zh, rowid FROM records NOT INDEXED WHERE NOT dup");
	if (!s) {
		free(files);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 file = sqlite3_column_int64(s, 0), seq = sqlite3_column_int64(s, 1);
		const char *id = (const char *)sqlite3_column_text(s, 2), *regex = NULL, *regex_zh = NULL;
		kb_text sig = { 0 };

		if (!f || f->id != file) {
			file_rank want = { .id = file };

			f = bsearch(&want, files, nfiles, sizeof *files, by_file_id);
		}
		/* Chinese too whatever the language shown: match reads
		 * Chinese lines by it. */
		get_signature(s, 5, &m->mem, &sig, true);
		/* Not what this errkb wrote (every record has an English
		 * signature): not sound. */
		if (!id || !f || seq < 0 || seq > UINT32_MAX || !sig.en) {
			c->damaged = c->failed = true;
			break;
		}
		if (sqlite3_column_type(s, 4) != SQLITE_NULL)
			regex = arena_strdup(&m->mem, (const char *)sqlite3_column_text(s, 4));
		if (sqlite3_column_type(s, 9) != SQLITE_NULL)
			regex_zh = arena_strdup(&m->mem, (const char *)sqlite3_column_text(s, 9));
		place = xgrow(place, &capplace, m->n + 1, sizeof *place);
		place[m->n] = (placed){ (uint64_t)f->rank << 32 | (uint64_t)seq, (uint32_t)m->n };
		kb_slim_add(m, arena_strdup(&m->mem, id), &sig,
			    sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 3), regex,
			    regex_zh);
		if (keys) {
			m->rid = xgrow(m->rid, &caprid, m->n, sizeof *m->rid);
			m->rid[m->n - 1] = sqlite3_column_int64(s, 10);
		}
		if (stop && m->n % 64 == 0 && stop->fn(stop->arg)) {
			stopped = true;
			break;
		}
	}
	sqlite3_finalize(s);
	if (!c->failed && !stopped && rc != SQLITE_DONE)
		failed(c, rc);
	if (!c->failed && !stopped)
		match_order(m, place);
	free(place);
	free(files);
	return c->failed ? -1 : stopped ? -2 : 0;
}

void kbcache_close(kbcache *c, bool complete, kbcache_stats *s)
{
	struct stat st;

	if (!c)
		return;
	writer_finish(c);
	sqlite3_close(c->db2);
	free(c->db2_token);
	if (c->db2mu_ok)
		pthread_mutex_destroy(&c->db2mu);
	sqlite3_finalize(c->head_paths);
	sqlite3_finalize(c->head_one);
	sqlite3_finalize(c->head_id);
	sqlite3_finalize(c->head_data);
	c->head_paths = c->head_one = c->head_id = c->head_data = NULL;
	settle_writes(c, complete);
	if (s)
		stats_get(c, s);
	finalize_all(c);
	if (c->failed || !exec(c, "COMMIT") || !wal_on(c))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	if (s && c->failed)
		s->files = s->records = 0;
	if (s) {
		s->damaged = c->damaged;
		s->failed = c->failed;
	}
	sqlite3_close(c->db);
	if (c->damaged)
		remove_db(c->path);
	if (s)
		s->db_bytes = stat(c->path, &st) == 0 ? (long long)st.st_size : -1;
	for (size_t i = 0; i < c->nroots; i++)
		free(c->roots[i]);
	free(c->roots);
	free(c->canary);
	free(c->path);
	free(c->files);
	strmap_free(&c->file_ix);
	arena_free(&c->fmem);
	free(c->maps);
	free(c->u16);
	for (int lang = KB_EN; lang <= KB_ZH; lang++)
		if (c->coll[lang])
			ucol_close(c->coll[lang]);
	recbuf_free(&c->buf);
	recbuf_free(&c->keybuf);
	recbuf_free(&c->wb);
	recbuf_free(&c->ord);
	free(c);
}
