#include <config.h>
#include "query.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>

static bool any_of(const char *s, const char **set, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}

bool kb_filter_accepts_some(const kb_filter *f, const kb_record *r, unsigned parts)
{
	if (!f)
		return true;
	if ((parts & KF_CONFIDENCE) && f->min_confidence > 0 &&
	    !(r->confidence >= f->min_confidence - 1e-9))
		return false;
	if ((parts & KF_RESOLVABLE) && f->resolvable && !(f->resolvable & (1u << r->resolvable)))
		return false;
	if ((parts & KF_TIER) && f->ntiers &&
	    !any_of(r->verification_tier ? r->verification_tier : "", f->tiers, f->ntiers))
		return false;
	return (!(parts & KF_DOMAIN) || any_of(r->domain, f->domains, f->ndomains)) &&
	       (!(parts & KF_CATEGORY) || any_of(r->category, f->categories, f->ncategories));
}

bool kb_filter_accepts(const kb_filter *f, const kb_record *r)
{
	return kb_filter_accepts_some(f, r, KF_ALL);
}

bool kb_filter_active(const kb_filter *f)
{
	return f->ndomains || f->ncategories || f->ntiers || f->resolvable || f->min_confidence > 0;
}

/* qsort has no context argument; sorting is not reentrant anyway here. */
static const kb *sort_kb;
static enum kb_lang sort_lang;
static UCollator *sort_coll;

static int collate(const char *a, const char *b)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollationResult res;

	if (!sort_coll)
		return strcmp(a, b);
	res = ucol_strcollUTF8(sort_coll, a, -1, b, -1, &st);
	if (U_FAILURE(st))
		return strcmp(a, b);
	return res == UCOL_LESS ? -1 : res == UCOL_GREATER ? 1 : 0;
}

static int by_display_order(const void *pa, const void *pb)
{
	const kb_record *a = &sort_kb->recs[*(const uint32_t *)pa];
	const kb_record *b = &sort_kb->recs[*(const uint32_t *)pb];
	int c = collate(a->domain, b->domain);

	if (!c)
		c = collate(kb_text_get(&a->signature, sort_lang, NULL),
			    kb_text_get(&b->signature, sort_lang, NULL));
	if (!c)
		c = strcmp(a->id, b->id);
	return c;
}

size_t kb_select(const kb *k, const kb_filter *f, enum kb_lang lang, uint32_t **out)
{
	uint32_t *v = xmalloc((k->nrecs ? k->nrecs : 1) * sizeof *v);
	UErrorCode st = U_ZERO_ERROR;
	size_t n = 0;

	for (size_t i = 0; i < k->nrecs; i++)
		if (kb_filter_accepts(f, &k->recs[i]))
			v[n++] = (uint32_t)i;
	sort_coll = ucol_open(lang == KB_ZH ? "zh" : "en", &st);
	if (U_FAILURE(st))
		sort_coll = NULL;
	sort_kb = k;
	sort_lang = lang;
	qsort(v, n, sizeof *v, by_display_order);
	if (sort_coll)
		ucol_close(sort_coll);
	sort_coll = NULL;
	*out = v;
	return n;
}
