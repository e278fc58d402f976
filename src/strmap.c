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
	strmap_init(m);
}

static size_t slot(const char *const *keys, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);

	while (keys[i] && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

uint32_t strmap_get(const strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return UINT32_MAX;
	i = slot(m->keys, m->cap, key);
	return m->keys[i] ? m->vals[i] : UINT32_MAX;
}

static void rehash(strmap *m, size_t cap)
{
	const char **keys = xcalloc(cap, sizeof *keys);
	uint32_t *vals = xcalloc(cap, sizeof *vals);

	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = slot(keys, cap, m->keys[i]);

			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
}

uint32_t strmap_put(strmap *m, const char *key, uint32_t val)
{
	size_t i;

	if ((m->len + 1) * 4 > m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 64);
	i = slot(m->keys, m->cap, key);
	if (m->keys[i])
		return m->vals[i];
	m->keys[i] = key;
	m->vals[i] = val;
	m->len++;
	return val;
}
