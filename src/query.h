/* Selecting and ordering records: facet filters and the display order
 * (domain, then signature, by ICU collation for the language). */
#ifndef ERRKB_QUERY_H
#define ERRKB_QUERY_H

#include "kb.h"

typedef struct kb_filter {
	const char **domains;      /* any of them; none = all */
	size_t ndomains;
	const char **categories;
	size_t ncategories;
	double min_confidence;     /* records without a confidence fail any minimum > 0 */
} kb_filter;

bool kb_filter_accepts(const kb_filter *f, const kb_record *r);
/* Indexes of the records f accepts, in display order for lang. *out is
 * malloc'd; returns the count. */
size_t kb_select(const kb *k, const kb_filter *f, enum kb_lang lang, uint32_t **out);

#endif
