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

#endif
