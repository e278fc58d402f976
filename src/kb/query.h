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
	const char **tiers;        /* verification tiers */
	size_t ntiers;
	unsigned resolvable;       /* bit (1 << enum kb_resolvable); 0 = all */
	double min_confidence;     /* records without a confidence fail any minimum > 0 */
} kb_filter;

/* Which parts of a filter to apply (facet counts leave their own out). */
enum { KF_DOMAIN = 1, KF_CATEGORY = 2, KF_TIER = 4, KF_RESOLVABLE = 8, KF_CONFIDENCE = 16,
       KF_ALL = 31 };

bool kb_filter_accepts(const kb_filter *f, const kb_record *r);
bool kb_filter_accepts_some(const kb_filter *f, const kb_record *r, unsigned parts);
bool kb_filter_active(const kb_filter *f);
/* Indexes of the records f accepts, in display order for lang. *out is
 * malloc'd; returns the count. */
size_t kb_select(const kb *k, const kb_filter *f, enum kb_lang lang, uint32_t **out);

#endif
