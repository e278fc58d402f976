/* The detail pane's content as styled display rows, laid out for a width
 * and language; no curses here, so it is tested on its own.  Built once
 * per record, language and width, then only the visible rows are drawn. */
#ifndef ERRKB_DETAIL_DOC_H
#define ERRKB_DETAIL_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "kb.h"

enum doc_style { DS_TEXT, DS_HEADING, DS_LABEL, DS_MARK, DS_DIM, DS_GOOD, DS_BAD, DS_ID, DS_LINK };

/* One display row: clean text, its first prefix bytes in prefix_style and
 * the rest in style. */
typedef struct doc_row {
	char *text;
	uint32_t prefix;
	uint8_t style, prefix_style;
} doc_row;

typedef struct doc {
	doc_row *rows;
	size_t n, cap;
} doc;

void doc_build(doc *d, const kb *k, const kb_record *r, enum kb_lang lang, int width);
void doc_free(doc *d);

/* A rate as a bar of cells, e.g. "███████░░░ 70%" (static buffer). */
const char *doc_rate_bar(double rate, int cells);

#endif
