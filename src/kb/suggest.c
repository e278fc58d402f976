#include <config.h>
#include "suggest.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Past this many characters a name is compared by its start and its
 * substrings only: no one mistypes a 256-character id by a letter. */
enum { MAXCH = 256 };

static uint32_t ascii_lower(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* s as characters, ASCII case folded, into v (room for MAXCH); a byte
 * that starts no valid sequence counts as one character.  Returns the
 * count, MAXCH + 1 when there are more. */
static size_t decode(const char *s, uint32_t *v)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		uint32_t c = *p;
		int more = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (c >= 0x80 && c < 0xc0)
			more = 0;
		if (more) {
			c &= 0x3fu >> more;
			for (int i = 1; i <= more; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					c = *p;
					more = 0;
					break;
				}
				c = c << 6 | (p[i] & 0x3fu);
			}
		}
		if (n == MAXCH)
			return MAXCH + 1;
		v[n++] = ascii_lower(c);
		p += 1 + more;
	}
	return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance of a[0..n) and b[0..m), computed in a
 * band of limit either side of the diagonal (a cell outside it is over
 * the limit anyway), stopping at a row all over the limit. */
static size_t osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t limit)
{
	size_t rows[3][MAXCH + 1], *pp = rows[0], *prev = rows[1], *cur = rows[2], over = limit + 1;

	if ((n > m ? n - m : m - n) > limit)
		return over;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j <= limit ? j : over;
	for (size_t i = 1; i <= n; i++) {
		size_t lo = i > limit ? i - limit : 1, hi = i + limit < m ? i + limit : m, best = over;

		for (size_t j = 0; j <= m; j++)
			cur[j] = over;
		if (i <= limit)
			cur[0] = i;
		for (size_t j = lo; j <= hi; j++) {
			size_t d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]));

			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d < over ? d : over;
			best = cur[j] < best ? cur[j] : best;
		}
		if (best > limit)
			return over;
		size_t *t = pp;

		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] <= limit ? prev[m] : over;
}

size_t suggest_distance(const char *a, const char *b, size_t limit)
{
	uint32_t va[MAXCH], vb[MAXCH];
	size_t n = decode(a, va), m = decode(b, vb);

	if (limit > MAXCH)
		limit = MAXCH;
	if (n > MAXCH || m > MAXCH)
		return limit + 1;
	return osa(va, n, vb, m, limit);
}

/* ASCII case aside: does s start with p, does s hold p. */
static int starts(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (ascii_lower((unsigned char)*s) != ascii_lower((unsigned char)*p))
			return 0;
	return 1;
}

static int holds(const char *s, const char *p)
{
	for (; *s; s++)
		if (starts(s, p))
			return 1;
	return !*p;
}

typedef struct cand {
	const char *name;
	unsigned class;
	size_t cost;
} cand;

static int by_closeness(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;

	if (a->class != b->class)
		return a->class < b->class ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return strcmp(a->name, b->name);
}

size_t suggest_closest(const char *word, const char *const *names, size_t n, size_t max,
		       const char **out)
{
	uint32_t vw[MAXCH], vn[MAXCH];
	size_t nw = decode(word, vw), found = 0, cap = 0, limit = nw <= 4 ? 1 : nw <= 8 ? 2 : 3;
	size_t wlen = strlen(word);
	cand *c = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *s = names[i];
		size_t slen = strlen(s), diff = slen > wlen ? slen - wlen : wlen - slen, d, nn;
		cand k = { s, 0, diff };

		if (!strcmp(s, word))
			continue;       /* not a suggestion: it is the word */
		if (slen == wlen && starts(s, word))
			k.class = 0;
		else if (*word && (starts(s, word) || starts(word, s)))
			k.class = 1;
		else if (nw <= MAXCH && diff <= limit * 4 && (nn = decode(s, vn)) <= MAXCH &&
			 (d = osa(vw, nw, vn, nn, limit)) <= limit)
			k = (cand){ s, 2, d };
		else if (*word && holds(s, word))
			k.class = 3;
		else
			continue;
		c = xgrow(c, &cap, found + 1, sizeof *c);
		c[found++] = k;
	}
	if (found)
		qsort(c, found, sizeof *c, by_closeness);
	if (found > max)
		found = max;
	for (size_t i = 0; i < found; i++)
		out[i] = c[i].name;
	free(c);
	return found;
}
