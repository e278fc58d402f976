/* What the browser remembers between runs: the last language and the
 * records recently opened.  Written atomically and merged under a lock,
 * so that two browsers at once keep each other's history; a damaged file
 * is moved aside with a warning, as losing this is never worth stopping
 * for, and keeping what cannot be read is better than writing over it. */
#ifndef ERRKB_STATE_H
#define ERRKB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { STATE_RECENT_MAX = 50, STATE_SEARCH_MAX = 100 };
/* Damaged files moved aside are kept as PATH.bad, PATH.bad.1 ... up to
 * this many, the newest first. */
enum { STATE_BAD_KEEP = 3 };
/* Seconds a save waits for another one's lock before it goes ahead
 * without it. */
enum { STATE_LOCK_WAIT = 2 };
/* A temporary file (PATH.tmp-XXXXXX) untouched for this long, found while
 * holding the lock, is the leftover of a save that was killed. */
enum { STATE_STALE_SECONDS = 60 };

typedef struct state {
	int lang;                  /* -1 unknown, else enum kb_lang */
	char **recent;             /* record ids, most recent first */
	size_t nrecent;
	size_t nnoted;             /* recent[0..nnoted) were noted in this run */
	char **searches;           /* texts searched at the prompt, most recent first */
	size_t nsearches, nsnoted; /* as nrecent and nnoted */
	bool keep_file;            /* the file could not be read: not saved over */
} state;

void state_init(state *s);
void state_free(state *s);
/* Read path (through a symbolic link to its target); a missing file
 * leaves s empty.  Also removes the temporaries of saves that were
 * killed.  A damaged file (not a state file, a bad line, over 1 MiB) is
 * renamed to PATH.bad with a warning on warn naming both; one that
 * cannot be read (permissions, a FIFO, a device, a directory) is left
 * alone with a warning, and s->keep_file set so that state_save leaves it
 * alone too.  Returns false in both cases, s empty. */
bool state_load(state *s, const char *path, FILE *warn);
/* Put id first in the recent list (once), dropping the oldest past the
 * limit. */
void state_note_record(state *s, const char *id);
/* The same for a text searched at the prompt (STATE_SEARCH_MAX of them). */
void state_note_search(state *s, const char *text);
/* Write s to path, merged with what the file holds now: the records noted
 * in this run first, then the file's, then the rest of s's, at most
 * STATE_RECENT_MAX (and the searches so, at most STATE_SEARCH_MAX); s's
 * language unless it has none.  Under a lock on
 * PATH.lock (STATE_LOCK_WAIT seconds at most), a temporary file beside
 * the file, fsync, rename, so that a crash leaves the old file or the new
 * one, never half of one.  A symbolic link is written through: the
 * target is replaced, the link stays.  Creates the directory.  Returns
 * true when written, and also when the file is deliberately left alone
 * (s->keep_file, or it has become unreadable: with a warning on warn);
 * false with errno set when the write failed. */
bool state_save(const state *s, const char *path, FILE *warn);

#endif
