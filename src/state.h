/* What the browser remembers between runs: the last language and the
 * records recently opened.  Written atomically; a damaged file is only a
 * warning, as losing this is never worth stopping for. */
#ifndef ERRKB_STATE_H
#define ERRKB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { STATE_RECENT_MAX = 50 };

typedef struct state {
	int lang;                  /* -1 unknown, else enum kb_lang */
	char **recent;             /* record ids, most recent first */
	size_t nrecent;
} state;

void state_init(state *s);
void state_free(state *s);
/* Read path; a missing file leaves s empty.  A damaged one is ignored
 * whole, with a warning on warn naming the line; returns false then. */
bool state_load(state *s, const char *path, FILE *warn);
/* Put id first in the recent list (once), dropping the oldest past the
 * limit. */
void state_note_record(state *s, const char *id);
/* Write s to path: a temporary file beside it, fsync, rename, so a crash
 * leaves the old file or the new one, never half of one.  Creates the
 * directory.  false with errno set on failure. */
bool state_save(const state *s, const char *path);

#endif
