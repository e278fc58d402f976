/* A bump allocator: every string and array of a loaded KB lives in one
 * arena, freed at once.  Keeps the model compact (no per-string malloc
 * headers) and makes unloading trivial. */
#ifndef ERRKB_ARENA_H
#define ERRKB_ARENA_H

#include <stddef.h>

struct arena_chunk;

typedef struct arena {
	struct arena_chunk *head;
	size_t used_total;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);          /* aligned, zeroed */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Moves what from holds into a (freed with a); from is left empty. */
void arena_adopt(arena *a, arena *from);

#endif
