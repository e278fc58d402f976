#include <config.h>
#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void strmap_init(strmap *m)
{
	memset(m, 0, sizeof *m);
}

void strmap_free(strmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	strmap_init(m);
}

/* Where key is, or the empty slot where it would go.  At most half full,
 * and a probe compares the strings only when their hashes agree. */
static size_t slot(const strmap *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t strmap_get(const strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return UINT32_MAX;
	i = slot(m, key, (uint32_t)hash(key));
	return m->keys[i] ? m->vals[i] : UINT32_MAX;
}

static void rehash(strmap *m, size_t cap)
{
	strmap n = { .keys = xcalloc(cap, sizeof *n.keys), .vals = xcalloc(cap, sizeof *n.vals),
		     .hashes = xcalloc(cap, sizeof *n.hashes), .cap = cap, .len = m->len };

	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = m->hashes[i] & (cap - 1);

			while (n.keys[j])       /* the keys are distinct */
				j = (j + 1) & (cap - 1);
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.hashes[j] = m->hashes[i];
		}
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	*m = n;
}

void strmap_reserve(strmap *m, size_t cap)
{
	if (cap > m->cap && !(cap & (cap - 1)))
		rehash(m, cap);
}

uint32_t strmap_put(strmap *m, const char *key, uint32_t val)
{
	uint32_t h = (uint32_t)hash(key);
	size_t i;

	if ((m->len + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : 64);
	i = slot(m, key, h);
	if (m->keys[i])
		return m->vals[i];
	m->keys[i] = key;
	m->vals[i] = val;
	m->hashes[i] = h;
	m->len++;
	return val;
}
