/* Open-addressing hash map from string to index.  Keys are not copied:
 * they must outlive the map (they live in the KB's arena). */
#ifndef ERRKB_STRMAP_H
#define ERRKB_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap {
	const char **keys;
	uint32_t *vals;
	uint32_t *hashes;          /* of each key: most probes end without a strcmp */
	size_t cap, len;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* Returns the value for key, or UINT32_MAX when absent. */
uint32_t strmap_get(const strmap *m, const char *key);
/* Makes room for cap / 2 keys at once (cap a power of two; else no-op). */
void strmap_reserve(strmap *m, size_t cap);
/* Inserts key->val unless key is present; returns the value now stored. */
uint32_t strmap_put(strmap *m, const char *key, uint32_t val);

#endif
