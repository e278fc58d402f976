/* A converted record as bytes and back, for the index: what the loader
 * made of a record, so that a file that has not changed need not be
 * parsed and converted again.  Left out: the path (the reader's, given
 * back on reading), and what kb_add and kb_finish compute (facet
 * indexes, link targets, backlinks).  Reading checks every length,
 * count and string (valid UTF-8, no NUL): bytes that are not a record
 * this version wrote give false, never a crash.  Knows nothing of SQLite. */
#ifndef ERRKB_RECSER_H
#define ERRKB_RECSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb.h"

/* A growing byte buffer. */
typedef struct recbuf {
	unsigned char *p;
	size_t n, cap;
} recbuf;

void recbuf_free(recbuf *b);

/* Appends r to b. */
void recser_put(recbuf *b, const kb_record *r);

/* Reads the record in [p, p + n) into *r, its strings and arrays in a,
 * with path as its path.  False when the bytes are not one whole record. */
bool recser_get(const void *p, size_t n, arena *a, const char *path, kb_record *r);

/* Low-level pieces, shared with the index for its diagnostics. */
void recbuf_varint(recbuf *b, uint64_t v);
void recbuf_str(recbuf *b, const char *s);      /* NULL allowed */
void recbuf_bytes(recbuf *b, const void *p, size_t n);

typedef struct recreader {
	const unsigned char *p, *end;
	bool bad;
} recreader;

uint64_t recreader_varint(recreader *r);
/* A string (NULL when it was NULL), copied into a; *ok false on bad bytes. */
const char *recreader_str(recreader *r, arena *a);

#endif
