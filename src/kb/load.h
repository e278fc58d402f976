/* Reading KB paths: directory trees of *.json, .json files (one record or
 * an array), .jsonl/.ndjson files (a record a line).  Bad input is reported
 * in k->diags and skipped; loading always goes on. */
#ifndef ERRKB_LOAD_H
#define ERRKB_LOAD_H

#include "kb.h"

struct kbcache;

/* Load every path, then kb_finish(). */
void kb_load_paths(kb *k, const char *const *paths, size_t n);
/* The same, with the files that have not changed taken from the index c
 * (kbcache.h), and the others put into it; c may be NULL. */
void kb_load_paths_cached(kb *k, const char *const *paths, size_t n, struct kbcache *c);
/* The walk alone, with c made current: k gets the findings and figures of
 * the whole KB but no records; they are had from c (kbcache_list,
 * kbcache_fetch).  False when c cannot serve them: then k is to be freed
 * and the KB loaded from its sources. */
bool kb_load_paths_lazy(kb *k, const char *const *paths, size_t n, struct kbcache *c);

/* How far a load is, for a progress line: given to the hook after each
 * record and file read from its source (not those from the index), and
 * once with done when the load is over (its index settled). */
typedef struct kb_progress {
	size_t files;              /* files read from their sources so far */
	size_t records;            /* records parsed from them */
	unsigned long long bytes;  /* bytes of the files read whole */
	const char *path;          /* the file being read, or NULL */
	unsigned long long file_done, file_size;  /* of that file */
	bool done;
} kb_progress;
typedef void (*kb_progress_fn)(void *ctx, const kb_progress *p);
/* The hook of every load from now on; NULL for none. */
void kb_load_set_progress(kb_progress_fn fn, void *ctx);

#endif
