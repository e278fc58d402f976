/* The index: what the loader made of each KB file, kept in SQLite under
 * the user's cache directory, so that a start reads again only the files
 * that changed, appeared or vanished.  The JSON files stay the truth: an
 * entry serves a file only while the file's device, inode, size, mtime
 * and ctime (ns) are those it was made from, the index is of this schema and
 * errkb version, and its findings are in the language asked for; anything
 * else, a damaged index file included, is read from the source, and the
 * index is mended or made anew.  One index per set of KB roots (their
 * real paths), named by a hash of them.  Knows nothing of curses. */
#ifndef ERRKB_KBCACHE_H
#define ERRKB_KBCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "kb.h"

typedef struct kbcache kbcache;

typedef struct kbcache_stats {
	size_t from_index, read, removed;  /* files, in the last load */
	size_t files, records;             /* what the index holds */
	long long db_bytes;                /* its file's size */
	bool damaged;                      /* found damaged, and removed */
	bool failed;                       /* nothing of this load was kept */
} kbcache_stats;

/* The index of the KB whose roots are paths[0..n), in dir (made if need
 * be, mode 0700); rebuild starts it empty.  NULL when it cannot be had (a
 * read-only or missing directory, another errkb holding it too long, a
 * file that is not SQLite): *why then says why (malloc'd), and the KB is
 * loaded from its sources. */
kbcache *kbcache_open(const char *dir, const char *const *paths, size_t n, bool rebuild,
		      char **why);
/* Commits what the load added (entries of the files it did not meet are
 * dropped, when complete) and closes; a damaged index file is removed.
 * The figures go to *s unless s is NULL. */
void kbcache_close(kbcache *c, bool complete, kbcache_stats *s);
const char *kbcache_path(const kbcache *c);

/* For the loader (load.c).  Root i of the paths given to open is being
 * walked; path is under it (or is it). */
void kbcache_root(kbcache *c, size_t i, const char *root);
/* Adds the file's records and findings to k, as read before, if its
 * entry is current; false, and nothing added, otherwise. */
bool kbcache_replay(kbcache *c, kb *k, const char *path, const struct stat *st);
/* The file is read from its source: begin, each record as converted
 * (before kb_add), then end with what the load added to k meanwhile. */
void kbcache_file_begin(kbcache *c, kb *k, const char *path, const struct stat *st);
void kbcache_file_record(kbcache *c, const kb_record *r);
void kbcache_file_end(kbcache *c, kb *k);

#endif
