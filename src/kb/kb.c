#include <config.h>
#include "kb.h"
#include "i18n.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void kb_init(kb *k)
{
	memset(k, 0, sizeof *k);
	arena_init(&k->mem);
	strmap_init(&k->ids);
	strmap_init(&k->domain_ix);
	strmap_init(&k->category_ix);
	diag_list_init(&k->diags);
}

void kb_free(kb *k)
{
	for (size_t i = 0; i < k->nrecs; i++)
		free(k->recs[i].backlinks);
	free(k->recs);
	free(k->domains);
	free(k->categories);
	strmap_free(&k->ids);
	strmap_free(&k->domain_ix);
	strmap_free(&k->category_ix);
	diag_list_free(&k->diags);
	arena_free(&k->mem);
	memset(k, 0, sizeof *k);
}

static uint32_t facet(kb_facet **v, size_t *n, size_t *cap, strmap *m, const char *name)
{
	uint32_t ix = strmap_put(m, name, (uint32_t)*n);

	if (ix == *n) {
		*v = xgrow(*v, cap, *n + 1, sizeof **v);
		(*v)[ix].name = name;
		(*v)[ix].count = 0;
		(*n)++;
	}
	(*v)[ix].count++;
	return ix;
}

bool kb_add(kb *k, const kb_record *r)
{
	uint32_t at = (uint32_t)k->nrecs;
	kb_record *dst;

	if (strmap_put(&k->ids, r->id, at) != at) {
		const kb_record *first = &k->recs[strmap_get(&k->ids, r->id)];

		diag_add(&k->diags, DK_DUPLICATE_ID, r->path, r->line, 0, r->id,
			 _("duplicate id, first defined at %s:%u; this one is skipped"),
			 first->path, first->line);
		k->skipped++;
		return false;
	}
	k->recs = xgrow(k->recs, &k->caprecs, k->nrecs + 1, sizeof *k->recs);
	dst = &k->recs[k->nrecs++];
	*dst = *r;
	dst->domain_ix = facet(&k->domains, &k->ndomains, &k->capdomains,
			       &k->domain_ix, r->domain);
	dst->category_ix = facet(&k->categories, &k->ncategories, &k->capcategories,
				 &k->category_ix, r->category);
	return true;
}

bool kb_put(kb *k, size_t i, const kb_record *r)
{
	kb_record *dst;

	if (i >= k->nrecs || strmap_put(&k->ids, r->id, (uint32_t)i) != (uint32_t)i)
		return false;
	dst = &k->recs[i];
	*dst = *r;
	dst->domain_ix = facet(&k->domains, &k->ndomains, &k->capdomains,
			       &k->domain_ix, r->domain);
	dst->category_ix = facet(&k->categories, &k->ncategories, &k->capcategories,
				 &k->category_ix, r->category);
	return true;
}

void kb_finish(kb *k)
{
	size_t *nback = xcalloc(k->nrecs ? k->nrecs : 1, sizeof *nback);

	for (size_t i = 0; i < k->nrecs; i++) {
		kb_record *r = &k->recs[i];

		for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
			for (size_t j = 0; j < r->nlinks[kind]; j++) {
				kb_link *l = &r->links[kind][j];

				l->target = strmap_get(&k->ids, l->target_id);
				if (l->target == KB_NONE)
					diag_add(&k->diags, DK_DANGLING_LINK, r->path, r->line, 0, r->id,
						 _("%s link to '%s', which is not in the KB"),
						 kb_link_kind_name(kind), l->target_id);
				else
					nback[l->target]++;
			}
		}
	}
	for (size_t i = 0; i < k->nrecs; i++) {
		if (nback[i] > KB_MAX_ITEMS) {
			const kb_record *r = &k->recs[i];

			diag_add(&k->diags, DK_BAD_VALUE, r->path, r->line, 0, r->id,
				 ngettext("%zu link leads to this record; only the first %zu are shown from it",
					  "%zu links lead to this record; only the first %zu are shown from it",
					  nback[i]),
				 nback[i], (size_t)KB_MAX_ITEMS);
			nback[i] = KB_MAX_ITEMS;
		}
		free(k->recs[i].backlinks);
		k->recs[i].backlinks = nback[i] ? xmalloc(nback[i] * sizeof(kb_backlink)) : NULL;
		k->recs[i].nbacklinks = 0;
	}
	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];

		for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
			for (size_t j = 0; j < r->nlinks[kind]; j++) {
				uint32_t t = r->links[kind][j].target;
				kb_record *to = t == KB_NONE ? NULL : &k->recs[t];

				if (to && to->nbacklinks < nback[t])
					to->backlinks[to->nbacklinks++] =
						(kb_backlink){ .from = (uint32_t)i, .kind = (uint8_t)kind };
			}
		}
	}
	free(nback);
}

size_t kb_index_of(const kb *k, const char *id)
{
	uint32_t ix = strmap_get(&k->ids, id);

	return ix == KB_NONE ? (size_t)-1 : ix;
}

const kb_record *kb_find(const kb *k, const char *id)
{
	size_t ix = kb_index_of(k, id);

	return ix == (size_t)-1 ? NULL : &k->recs[ix];
}

const char *kb_text_get(const kb_text *t, enum kb_lang lang, bool *fallback)
{
	bool fb = lang == KB_ZH && t->zh_state != KB_ZH_OK;

	if (fallback)
		*fallback = fb && t->en;
	if (lang == KB_ZH && !fb)
		return t->zh;
	return t->en ? t->en : t->zh;
}

const char *kb_link_kind_name(enum kb_link_kind kind)
{
	static const char *const names[] = { "leads_to", "preceded_by", "frequently_confused_with" };

	return names[kind];
}

const char *kb_resolvable_name(enum kb_resolvable r)
{
	static const char *const names[] = { "", "true", "partial", "false" };

	return names[r];
}

void kb_slim_init(kb_slim *s)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->mem);
}

void kb_slim_add(kb_slim *s, const char *id, const kb_text *sig, double confidence, const char *regex,
		 const char *regex_zh)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		s->id = xrealloc(s->id, cap * sizeof *s->id);
		s->regex = xrealloc(s->regex, cap * sizeof *s->regex);
		s->regex_zh = xrealloc(s->regex_zh, cap * sizeof *s->regex_zh);
		s->sig_en = xrealloc(s->sig_en, cap * sizeof *s->sig_en);
		s->sig_zh = xrealloc(s->sig_zh, cap * sizeof *s->sig_zh);
		s->zh_state = xrealloc(s->zh_state, cap * sizeof *s->zh_state);
		s->confidence = xrealloc(s->confidence, cap * sizeof *s->confidence);
		s->cap = cap;
	}
	s->id[s->n] = id;
	s->regex[s->n] = regex;
	s->regex_zh[s->n] = regex_zh;
	s->sig_en[s->n] = sig->en;
	s->sig_zh[s->n] = sig->zh;
	s->zh_state[s->n] = sig->zh_state;
	s->confidence[s->n] = confidence;
	s->n++;
}

kb_text kb_slim_sig(const kb_slim *s, size_t i)
{
	return (kb_text){ .en = s->sig_en[i], .zh = s->sig_zh[i], .zh_state = s->zh_state[i] };
}

/* v (n items of size bytes) put in the order of perm. */
static void *permuted(void *v, const uint32_t *perm, size_t n, size_t size)
{
	char *out = xmalloc((n ? n : 1) * size);

	for (size_t i = 0; i < n; i++)
		memcpy(out + i * size, (char *)v + (size_t)perm[i] * size, size);
	free(v);
	return out;
}

void kb_slim_permute(kb_slim *s, const uint32_t *perm)
{
	s->id = permuted(s->id, perm, s->n, sizeof *s->id);
	s->regex = permuted(s->regex, perm, s->n, sizeof *s->regex);
	s->regex_zh = permuted(s->regex_zh, perm, s->n, sizeof *s->regex_zh);
	s->sig_en = permuted(s->sig_en, perm, s->n, sizeof *s->sig_en);
	s->sig_zh = permuted(s->sig_zh, perm, s->n, sizeof *s->sig_zh);
	s->zh_state = permuted(s->zh_state, perm, s->n, sizeof *s->zh_state);
	s->confidence = permuted(s->confidence, perm, s->n, sizeof *s->confidence);
	if (s->rid)
		s->rid = permuted(s->rid, perm, s->n, sizeof *s->rid);
	s->cap = s->n;
}

void kb_slim_of(kb_slim *s, const kb *k)
{
	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];

		kb_slim_add(s, r->id, &r->signature, r->confidence, r->regex, r->regex_zh);
	}
}

void kb_slim_free(kb_slim *s)
{
	free(s->id);
	free(s->regex);
	free(s->regex_zh);
	free(s->sig_en);
	free(s->sig_zh);
	free(s->zh_state);
	free(s->rid);
	free(s->confidence);
	arena_free(&s->mem);
	memset(s, 0, sizeof *s);
}

bool kb_rates_estimated(const kb_record *r)
{
	return r->verification_tier &&
	       (!strcmp(r->verification_tier, "ai_generated") || !strcmp(r->verification_tier, "auto_generated"));
}

/* Whether s is an http(s) link not among v[0..n). */
static bool new_link(const char *s, const char *const *v, size_t n)
{
	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return false;
	return true;
}

size_t kb_source_count(const kb_record *r)
{
	size_t cap = r->nsources, n = 0;
	const char **v;

	for (size_t i = 0; i < r->ndead_ends; i++)
		cap += r->dead_ends[i].nsources;
	for (size_t i = 0; i < r->nworkarounds; i++)
		cap += r->workarounds[i].nsources;
	v = xmalloc((cap ? cap : 1) * sizeof *v);
	for (size_t i = 0; i < r->nsources; i++)
		if (new_link(r->sources[i], v, n))
			v[n++] = r->sources[i];
	for (size_t i = 0; i < r->ndead_ends; i++)
		for (size_t j = 0; j < r->dead_ends[i].nsources; j++)
			if (new_link(r->dead_ends[i].sources[j], v, n))
				v[n++] = r->dead_ends[i].sources[j];
	for (size_t i = 0; i < r->nworkarounds; i++)
		for (size_t j = 0; j < r->workarounds[i].nsources; j++)
			if (new_link(r->workarounds[i].sources[j], v, n))
				v[n++] = r->workarounds[i].sources[j];
	free(v);
	return n;
}
