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
#include <stdint.h>
#include <sys/stat.h>

#include "kb.h"
#include "query.h"
#include "search.h"

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
 * walked: the paths the loader gives next are under it (or are it). */
void kbcache_root(kbcache *c, size_t i);
/* Adds the file's records and findings to k, as read before, if its
 * entry is current; false, and nothing added, otherwise. */
bool kbcache_replay(kbcache *c, kb *k, const char *path, const struct stat *st);
/* The file is read from its source: begin, each record as converted
 * (before kb_add), then end with what the load added to k meanwhile;
 * stale: what was read may not be what the file's stat at begin says (it
 * changed while it was read), so the entry is read again next time. */
void kbcache_file_begin(kbcache *c, kb *k, const char *path, const struct stat *st);
void kbcache_file_record(kbcache *c, const kb_record *r);
void kbcache_file_end(kbcache *c, kb *k, bool stale);

/* Lazy loading: a command that needs a few records, or a list, asks the
 * index for them instead of holding the whole KB.  Set before the walk:
 * then a current file adds its findings and figures to k but not its
 * records (a file read from its source still adds them; the caller drops
 * them).  After the walk, settle brings the index up to date (files gone,
 * which record of an id comes first), adds what kb_add would have said
 * of duplicate ids, and opens the queries below.  False: the index
 * cannot serve (load from the sources). */
void kbcache_set_lazy(kbcache *c, bool lazy);
bool kbcache_settle(kbcache *c, kb *k);

/* One line of `list`. */
typedef struct kbcache_row {
	const char *id, *domain, *category, *signature;   /* signature in the language asked */
	double confidence;                                 /* NAN when absent */
	int64_t rid;                                       /* the record's key in the index */
	double score;                                      /* a search's: search_doc_score */
} kbcache_row;

/* The records f accepts (NULL: all), in display order for lang (as
 * kb_select orders them); strings in a, *out malloc'd.  (size_t)-1 when
 * the index failed. */
size_t kbcache_list(kbcache *c, const kb_filter *f, enum kb_lang lang, arena *a, kbcache_row **out);
/* The records f accepts that match q, best first (as search_run ranks
 * them, ties in display order for lang), from the search text the index
 * keeps: no record is read or folded.  As kbcache_list. */
size_t kbcache_search(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
		      kbcache_row **out);
/* As kbcache_search, asking stop->fn(stop->arg) every 64 rows it reads
 * (stop NULL: never): when that says true, it ends at once, having
 * nothing, with KBCACHE_STOPPED.  It uses statements of its own and no
 * other state of c's but its failure: it may run on a thread while
 * another uses c (SQLite serializes the calls on the connection), as
 * kbcache_search_scores does on the browser's searcher (searcher.h). */
typedef struct kbcache_stop {
	bool (*fn)(void *arg);
	void *arg;
} kbcache_stop;
#define KBCACHE_STOPPED ((size_t)-3)
size_t kbcache_search_until(kbcache *c, const kb_filter *f, enum kb_lang lang, const query *q, arena *a,
			    kbcache_row **out, const kbcache_stop *stop);
/* The same records, of any filter, unranked: rows with their key,
 * confidence and score alone (no strings), in the order of their keys,
 * for a caller that ranks them in a display order of its own (the
 * browser's, with search_rank's order of scores and confidences). */
size_t kbcache_search_scores(kbcache *c, const query *q, kbcache_row **out, const kbcache_stop *stop);
/* The rows of the records of keys[0..n) that f accepts (NULL: all), in
 * that order, as kbcache_list gives them (score 0); (size_t)-1 when the
 * index failed. */
size_t kbcache_rows_of(kbcache *c, const kb_filter *f, enum kb_lang lang, const int64_t *keys, size_t n,
		       arena *a, kbcache_row **out);
/* Every value of a column over the KB's records (duplicates left out),
 * each once, for completion: strings in a, *out malloc'd; (size_t)-1 on
 * failure. */
enum kbcache_col { KBC_ID, KBC_DOMAIN, KBC_CATEGORY, KBC_TIER };
size_t kbcache_values(kbcache *c, enum kbcache_col col, arena *a, const char ***out);
/* Whether some record (duplicates left out) has value in column col
 * (not KBC_ID): 1 yes, 0 no, -1 on failure.  A domain is looked up in
 * its index; kbcache_values reads every record. */
int kbcache_has_value(kbcache *c, enum kbcache_col col, const char *value);
/* The ids that start with prefix (duplicates left out), in byte order,
 * from the id index: the first max of them into *out (strings in a,
 * malloc'd), and how many there are in all; (size_t)-1 on failure. */
size_t kbcache_ids_from(kbcache *c, const char *prefix, size_t max, arena *a, const char ***out);
/* How many records the KB holds (duplicates left out); -1 on failure. */
long long kbcache_count(kbcache *c);
/* The words of every record's search text into v (search_vocab_add), for
 * typos: read when a search finds nothing.  From the record after key
 * *from (INT64_MIN: the first), *from kept at the last one read: 0 when
 * all are read, -2 when stop said to stop (asked every 64 records; call
 * again to go on), -1 when the index failed. */
int kbcache_vocab(kbcache *c, struct search_vocab *v, int64_t *from, const kbcache_stop *stop);
/* Into the empty k: the record id, the records it links to and those
 * that link to it, in load order, then kb_finish(k): all that showing it
 * needs.  1 found, 0 no such record, -1 the index failed. */
int kbcache_fetch(kbcache *c, const char *id, kb *k);

/* The browser's way, once settled.  hold: commits what the load wrote,
 * then reads the index as it is now for as long as c is open (another
 * errkb may update it meanwhile); false: the index cannot serve. */
bool kbcache_hold(kbcache *c);
/* The browser's records, had a little at a time.  Slot i of k (a KB
 * with no records yet) is the record of key rids[i] in the index
 * (ascending); have[i] says what of it k holds: nothing yet, its head
 * (id, signature in both languages, domain, category, confidence, tier,
 * resolvable, path, line), its data too (links resolved), or all that
 * showing it needs (its backlinks too). */
enum { KBH_NONE, KBH_HEAD, KBH_DATA, KBH_WHOLE };
typedef struct kbheads {
	int64_t *rids;
	uint8_t *have;
	size_t n, filled;          /* slots; slots with a head at least */
} kbheads;

/* Makes k's slots, one per record of the KB, all empty (zeroed: no id).
 * Returns their count, (size_t)-1 on failure. */
size_t kbcache_slots(kbcache *c, kb *k, kbheads *h);
void kbheads_free(kbheads *h);
/* The head of slot i, if k does not have it; false on failure. */
bool kbcache_head(kbcache *c, kb *k, kbheads *h, uint32_t i);
/* The slot of the record id, its head had; KB_NONE if the KB has no such
 * record (or the index failed). */
uint32_t kbcache_find(kbcache *c, kb *k, kbheads *h, const char *id);
/* The slots in display order for lang (as kb_select orders them), into
 * *out (malloc'd); (size_t)-1 on failure. */
size_t kbcache_order(kbcache *c, enum kb_lang lang, const kbheads *h, uint32_t **out);
/* Into pass (h->n bytes), 1 for each slot whose record f accepts, 0 for
 * the others: from the index's columns, no head read.  False on
 * failure. */
bool kbcache_filter_slots(kbcache *c, const kb_filter *f, const kbheads *h, uint8_t *pass);
/* The records by what filters test: for each domain, category, tier
 * (NULL: none), resolvable and whether the confidence is min_confidence
 * or more, how many records (duplicates left out).  A few rows for a KB
 * of any shape seen in practice, from which the filter dialog counts;
 * read a part at a time, so that no key of the browser waits for a big
 * KB's.  kbcache_groups_start begins (NULL on failure);
 * kbcache_groups_some reads on until stop says (asked every 64 records;
 * NULL: to the end) and gives 1 if there is more to read, 0 when done
 * (the groups into *out, malloc'd, their strings in a, their count into
 * *n), -1 on failure; kbcache_groups_end frees g, done or not.  Between
 * runs of rows it gives the connection back, so that another thread can
 * use c meanwhile; g must end before c's read transaction does. */
typedef struct kbcache_group {
	const char *domain, *category, *tier;
	uint8_t resolvable;
	bool confident;
	size_t count;
} kbcache_group;
typedef struct kbcache_counting kbcache_counting;
kbcache_counting *kbcache_groups_start(kbcache *c, double min_confidence);
int kbcache_groups_some(kbcache_counting *g, const kbcache_stop *stop, arena *a, kbcache_group **out,
			size_t *n);
void kbcache_groups_end(kbcache_counting *g);
/* Makes slot rec whole, and gives the records that link to it their
 * data: 1 done, -1 the index failed. */
int kbcache_whole(kbcache *c, kb *k, kbheads *h, uint32_t rec);
/* Into the empty m, in the order a load from the sources adds them,
 * every record's id, signature (both texts), confidence and regexes:
 * what match needs; with keys, their keys too (m->rid).  0 done, -1 the
 * index failed, -2 stop said to stop (asked every 64 records; NULL:
 * never); m may then hold some of them. */
int kbcache_match_recs(kbcache *c, kb_slim *m, bool keys, const kbcache_stop *stop);

#endif
