#include <config.h>
#include "arena.h"
#include "xalloc.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Chunks start small (a query or a one-record KB needs a few KiB, and a
 * big block is costly to map) and double up to CHUNK_MAX. */
enum { CHUNK_MIN = 16 * 1024, CHUNK_MAX = 256 * 1024 };

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(arena *a)
{
	a->head = NULL;
	a->used_total = 0;
}

void arena_free(arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	arena_init(a);
}

static void *bump(arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *c = a->head;
	void *p;

	n = (n + align - 1) & ~(align - 1);
	if (!c || c->size - c->used < n) {
		size_t regular = !c ? CHUNK_MIN : c->size >= CHUNK_MAX / 2 ? CHUNK_MAX : c->size * 2;
		bool own = n > regular / 4;
		size_t size = own ? n : regular;

		/* A big item gets a chunk of its own behind the current one, so
		 * the free space of the current chunk is not wasted. */
		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		if (own && a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += n;
	a->used_total += n;
	return p;
}

void *arena_alloc(arena *a, size_t n)
{
	return memset(bump(a, n), 0, n);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = bump(a, n + 1);     /* no need to zero what is copied over */

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_adopt(arena *a, arena *from)
{
	struct arena_chunk *last = from->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* Behind a's current chunk, so that its free space stays in use. */
	if (a->head) {
		last->next = a->head->next;
		a->head->next = from->head;
	} else {
		a->head = from->head;
	}
	a->used_total += from->used_total;
	arena_init(from);
}
