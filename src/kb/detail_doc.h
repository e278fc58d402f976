/* The detail pane's content as styled display rows, laid out for a width
 * and language; no curses here, so it is tested on its own.  Made once
 * per record, language and width, and laid out as far as it is shown. */
#ifndef ERRKB_DETAIL_DOC_H
#define ERRKB_DETAIL_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb.h"
#include "style.h"             /* a row's styles are the browser's */

/* One display row: clean text, its first prefix bytes in prefix_style and
 * the rest in style, but for mark_len bytes from mark_at: what a log line
 * matched (match --browse), the view marks them.  where: the part of the
 * record its text is of (enum search_where), for the search's marks. */
typedef struct doc_row {
	char *text;
	uint32_t prefix;
	uint32_t mark_at, mark_len;
	uint8_t style, prefix_style;
	uint8_t where;
} doc_row;

/* Why errkb match --browse opened a record: the log line that matched it
 * best, shown above the record.  The line is any bytes, as read: the doc
 * cleans it, and cuts it around the span when it is long. */
enum { DOC_EVIDENCE_LINES = 4 };
typedef struct doc_evidence {
	size_t line_no;            /* 1-based */
	const char *line;
	size_t start, end;         /* the span matched in line, bytes (start == end: none, the words matched) */
	size_t nlines;             /* the lines that matched the record, this one among them */
	size_t lines[DOC_EVIDENCE_LINES];   /* the numbers of the first of them */
} doc_evidence;

struct doc_item;

/* The rows of a record, laid out as they are wanted: doc_build notes what
 * to show (the record's texts are borrowed: it must outlive the doc),
 * doc_need lays out rows up to a number, a part of a long text at a
 * time, so that a screenful of a huge record costs a screenful. */
typedef struct doc {
	doc_row *rows;             /* rows[0, n): laid out so far */
	size_t n, cap;
	struct doc_item *items;    /* what to lay out, in order */
	size_t nitems, icap, next_item;
	int width;
	/* The item being laid out: its head and text cleaned so far, and
	 * where its next row starts. */
	bool started;
	char *clean;
	size_t clean_len, clean_cap, head_len, raw_len, raw_done, off;
} doc;

/* Starts d afresh for a record: no row laid out yet.  A width of
 * DOC_UNWRAPPED breaks lines only at newlines (a copy of the text). */
void doc_build(doc *d, const kb *k, const kb_record *r, enum kb_lang lang, int width);
enum { DOC_UNWRAPPED = 1 << 28 };
/* The same with the evidence a match found for the record first (ev
 * borrowed like the record; NULL: none). */
void doc_build_matched(doc *d, const kb *k, const kb_record *r, enum kb_lang lang, int width,
		       const doc_evidence *ev);
/* Lays out rows until d->n >= want or the record is done; returns d->n.
 * doc_need(d, (size_t)-1) lays out the whole record. */
size_t doc_need(doc *d, size_t want);
/* Every row laid out. */
bool doc_complete(const doc *d);
void doc_free(doc *d);

/* A rate as a bar of cells, e.g. "███████░░░ 70%" (static buffer). */
const char *doc_rate_bar(double rate, int cells);

#endif
