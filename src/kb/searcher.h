/* The browser's search over a KB's index, off its input path: a thread of
 * its own runs each search (kbcache_search_scores) while the user goes on
 * typing, and a newer search stops an older one at once, so that no key
 * waits for a search however many records it reads.  Without threads
 * (SQLite built without them, or none to be had), a search runs when it
 * is asked for, as before. */
#ifndef ERRKB_SEARCHER_H
#define ERRKB_SEARCHER_H

#include <stddef.h>
#include <stdint.h>

#include "kbcache.h"

typedef struct searcher searcher;

/* A searcher over c, which must stay open until searcher_free. */
searcher *searcher_new(kbcache *c);
/* The hits of the query text (as typed: parsed here again, it must
 * parse): the search asked for before is dropped, stopped if it runs. */
void searcher_ask(searcher *s, const char *text);
/* The same for what errkb match finds in line, a pasted log line: its
 * records best first, each with the matcher's score.  The first such ask
 * reads what the matcher needs of every record (kbcache_match_recs) and
 * makes it, once. */
void searcher_ask_line(searcher *s, const char *line);
/* The same for the query text with its typos corrected (search_correct)
 * against the KB's words, read from the index at the first such ask
 * (and kept): the hits of the corrected text, which searcher_take gives
 * too; no hits and no text when no word was corrected. */
void searcher_ask_typos(searcher *s, const char *text);
/* The answer to the last ask, once: SEARCHER_DONE with the records that
 * match, as kbcache_search_scores gives them (key, confidence and score,
 * in the order of their keys: the caller ranks them), into *hits
 * (malloc'd, the caller's) and their count into *n; SEARCHER_FAILED when
 * the index failed; SEARCHER_BUSY while it runs; SEARCHER_IDLE when
 * nothing is asked (or the answer was taken).  *fixed: a typos ask's
 * corrected text (malloc'd, the caller's), else NULL. */
enum { SEARCHER_IDLE, SEARCHER_BUSY, SEARCHER_DONE, SEARCHER_FAILED };
int searcher_take(searcher *s, kbcache_row **hits, size_t *n, char **fixed);
/* Stops what runs and waits for the thread; NULL is fine. */
void searcher_free(searcher *s);

#endif
