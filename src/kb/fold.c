#include <config.h>
#include "fold.h"
#include "textscan.h"
#include "xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>

/* The longest text folded through ICU, in bytes: ICU counts in int32_t
 * UTF-16 units, and NFKC can grow a text several times over.  Longer text
 * (never an error line; at most a pathological KB field) is only lowered. */
enum { FOLD_MAX = 64 << 20 };

/* UTF-8 -> UTF-16 (malloc'd), an invalid byte becoming U+FFFD, as ICU's
 * UTF-8 text provider sees it when a regex runs over the same bytes.  NULL
 * only when ICU reports an error. */
static UChar *to16(const char *s, int32_t n, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;

	*len = 0;
	u_strFromUTF8WithSub(NULL, 0, len, s, n, 0xFFFD, NULL, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return NULL;
	st = U_ZERO_ERROR;
	u = xmalloc(((size_t)*len + 1) * sizeof *u);
	u_strFromUTF8WithSub(u, *len + 1, len, s, n, 0xFFFD, NULL, &st);
	if (U_FAILURE(st)) {
		free(u);
		return NULL;
	}
	return u;
}

/* UTF-16 -> UTF-8 (malloc'd); lone surrogates become U+FFFD.  NULL only
 * when ICU reports an error. */
static char *to8(const UChar *u, int32_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	char *s;

	u_strToUTF8WithSub(NULL, 0, &n, u, len, 0xFFFD, NULL, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return NULL;
	st = U_ZERO_ERROR;
	s = xmalloc((size_t)n + 1);
	u_strToUTF8WithSub(s, n + 1, NULL, u, len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st)) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static char *ascii_lower(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

char *fold(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
	size_t bytes = strlen(s);
	int32_t len, n, cap;
	UChar *u, *out = NULL;
	char *r = NULL;
	bool ascii = true;

	/* ASCII needs only lowering: skip the round trip through UTF-16. */
	for (const char *p = s; *p && ascii; p++)
		ascii = (unsigned char)*p < 0x80;
	if (ascii || U_FAILURE(st) || bytes > FOLD_MAX)
		return ascii_lower(s);
	u = to16(s, (int32_t)bytes, &len);
	if (!u)
		return ascii_lower(s);
	/* One pass with room for the usual growth; NFKC may expand a
	 * character many times over (U+FDFA becomes 18), and then ICU says
	 * how much room it takes. */
	cap = len * 3 + 16;
	out = xmalloc((size_t)cap * sizeof *out);
	n = unorm2_normalize(nfkc, u, len, out, cap, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		st = U_ZERO_ERROR;
		cap = n + 1;
		out = xrealloc(out, (size_t)cap * sizeof *out);
		n = unorm2_normalize(nfkc, u, len, out, cap, &st);
	}
	if (U_SUCCESS(st))
		r = to8(out, n);
	/* ICU failed: the text as it converted, lowered where ASCII. */
	if (!r)
		r = to8(u, len);
	free(u);
	free(out);
	return r ? r : ascii_lower(s);
}

bool fold_is_latin_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalpha((unsigned char)*s))
			return false;
	return true;
}

static UTransliterator *pinyin_tr(void);

/* The pinyin of every Han character ICU knew at build time (gen_pinyin):
 * pinyin_ranges, pinyin_at, pinyin_pool. */
#include "src/kb/pinyin_table.h"

/* c's syllable in the table made at build time (its letters and digits,
 * lowered: "" for none); NULL when the table lacks c. */
static const char *table_syllable(UChar32 c)
{
	size_t lo = 0, hi = sizeof pinyin_ranges / sizeof *pinyin_ranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pinyin_range *r = &pinyin_ranges[mid];

		if ((uint32_t)c < r->first)
			hi = mid;
		else if ((uint32_t)c > r->last)
			lo = mid + 1;
		else
			return pinyin_pool + pinyin_at[r->at + ((uint32_t)c - r->first)];
	}
	return NULL;
}

/* The pinyin of one Han character: from the table, else transliterated
 * once and then kept (the transliterator's rules cost about 10 us a
 * character, and making it about 90 ms: only a character this ICU knows
 * as Han and the one errkb was built with did not needs it). */
struct syl { UChar32 c; char *py; };

/* The cache and the transliterator are shared: one thread at a time
 * (the loader's and the browser's may ask at once). */
static pthread_mutex_t syl_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *syllable_locked(UTransliterator *tr, UChar32 c);

static const char *syllable(UChar32 c)
{
	const char *known = table_syllable(c), *py;
	UTransliterator *tr;

	if (known)
		return known;
	if (!(tr = pinyin_tr()))
		return "";
	xcheck(pthread_mutex_lock(&syl_mu), "lock");
	py = syllable_locked(tr, c);
	xcheck(pthread_mutex_unlock(&syl_mu), "unlock");
	return py;
}

static const char *syllable_locked(UTransliterator *tr, UChar32 c)
{
	static struct syl *tab;
	static size_t cap, used;
	UChar u[16];
	int32_t len = 0, limit;
	UErrorCode st = U_ZERO_ERROR;
	size_t h;

	if (used * 10 >= cap * 7) {
		/* Grow and rehash; the table only ever holds what was seen. */
		size_t ncap = cap ? cap * 2 : 4096;
		struct syl *ntab = xcalloc(ncap, sizeof *ntab);

		for (size_t i = 0; i < cap; i++) {
			if (!tab[i].py)
				continue;
			for (h = (size_t)tab[i].c * 2654435761u % ncap; ntab[h].py; h = (h + 1) % ncap)
				;
			ntab[h] = tab[i];
		}
		free(tab);
		tab = ntab;
		cap = ncap;
	}
	for (h = (size_t)c * 2654435761u % cap; tab[h].py; h = (h + 1) % cap)
		if (tab[h].c == c)
			return tab[h].py;
	U16_APPEND_UNSAFE(u, len, c);
	limit = len;
	utrans_transUChars(tr, u, &len, (int32_t)(sizeof u / sizeof *u), 0, &limit, &st);
	tab[h].c = c;
	tab[h].py = U_SUCCESS(st) ? to8(u, len) : NULL;
	if (!tab[h].py)
		tab[h].py = xstrdup("");
	used++;
	return tab[h].py;
}

/* A growing string. */
typedef struct pbuf {
	char *s;
	size_t n, cap;
} pbuf;

static void pb_add(pbuf *b, char c)
{
	b->s = xgrow(b->s, &b->cap, b->n + 2, 1);
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

/* The Han characters of u[from, to), or 0 when something else is there. */
static int han_chars(const UChar *u, int32_t from, int32_t to)
{
	int n = 0;

	for (int32_t i = from; i < to;) {
		UErrorCode st = U_ZERO_ERROR;
		UChar32 c;

		U16_NEXT(u, i, to, c);
		if (uscript_getScript(c, &st) != USCRIPT_HAN)
			return 0;
		n++;
	}
	return n;
}


/* The transliterator to pinyin (for a character the table lacks) and
 * ICU's Chinese word breaker, each made once (NULL when ICU cannot make
 * it) and kept.  A break iterator holds the text it breaks: each thread
 * breaks with a clone of its own (the loader's writes the index's pinyin
 * while the browser's marks a search's). */
static UTransliterator *tr_made;
static UBreakIterator *words_made;
static pthread_once_t tr_once = PTHREAD_ONCE_INIT, words_once = PTHREAD_ONCE_INIT;
static pthread_key_t words_key;
static bool words_key_ok;

static void make_tr(void)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar id[64];

	u_uastrcpy(id, "Han-Latin; Latin-ASCII; Lower");     /* as gen_pinyin */
	tr_made = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st))
		tr_made = NULL;
}

static void close_words(void *w)
{
	ubrk_close(w);
}

static void make_words(void)
{
	UErrorCode st = U_ZERO_ERROR;

	words_key_ok = pthread_key_create(&words_key, close_words) == 0;
	words_made = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
	if (U_FAILURE(st))
		words_made = NULL;
	else {
		/* The dictionary loads at the first text. */
		static const UChar han[] = { 0x8BC1, 0x4E66, 0 };

		ubrk_setText(words_made, han, 2, &st);
		ubrk_first(words_made);
		ubrk_next(words_made);
	}
}

static UTransliterator *pinyin_tr(void)
{
	pthread_once(&tr_once, make_tr);
	return tr_made;
}

static UBreakIterator *zh_words(void)
{
	UBreakIterator *w;
	UErrorCode st = U_ZERO_ERROR;

	pthread_once(&words_once, make_words);
	if (!words_made || !words_key_ok)
		return NULL;
	if ((w = pthread_getspecific(words_key)))
		return w;
#if U_ICU_VERSION_MAJOR_NUM >= 69
	w = ubrk_clone(words_made, &st);
#else
	w = ubrk_safeClone(words_made, NULL, NULL, &st);
#endif
	if (U_FAILURE(st) || !w)
		return NULL;
	if (pthread_setspecific(words_key, w) != 0) {
		ubrk_close(w);
		return NULL;
	}
	return w;
}

void fold_pinyin(const char *s, char **full, char **initials)
{
	pbuf f = { 0 }, in = { 0 };
	fold_han *h;
	size_t n = fold_han_chars(s, &h);

	/* Chinese words by ICU's dictionary: initials mean something for a
	 * whole word (zs is 证书), not for any two characters in a row. */
	for (size_t i = 0; i < n; i++) {
		if (h[i].word_start) {
			char sep = h[i].run_start ? '\n' : ' ';      /* another run, or the next word */

			if (f.n)
				pb_add(&f, sep);
			if (in.n)
				pb_add(&in, sep);
		}
		for (const char *p = h[i].syl; *p; p++)
			pb_add(&f, *p);
		if (h[i].syl[0])
			pb_add(&in, h[i].word_len == 1 ? (char)toupper((unsigned char)h[i].syl[0]) : h[i].syl[0]);
	}
	free(h);
	*full = f.s ? f.s : xstrdup("");
	*initials = in.s ? in.s : xstrdup("");
}

size_t fold_han_chars(const char *s, fold_han **out)
{
	UBreakIterator *words = zh_words();
	size_t bytes = strlen(s), n = 0, cap = 0;
	UErrorCode st = U_ZERO_ERROR;
	int32_t len, from, *at;
	bool run = false;
	UChar *u;

	*out = NULL;
	if (bytes > FOLD_MAX || !text_has_han(s) || !words)
		return 0;
	u = to16(s, (int32_t)bytes, &len);
	if (!u)
		return 0;
	/* Where each UTF-16 unit's character starts in s. */
	at = xmalloc(((size_t)len + 1) * sizeof *at);
	for (int32_t i = 0, b = 0; b < (int32_t)bytes;) {
		int32_t b0 = b;
		UChar32 c;

		U8_NEXT(s, b, (int32_t)bytes, c);
		at[i++] = b0;
		if (c > 0xFFFF && i < len)
			at[i++] = b0;
	}
	at[len] = (int32_t)bytes;
	ubrk_setText(words, u, len, &st);
	if (U_FAILURE(st)) {
		free(at);
		free(u);
		return 0;
	}
	from = ubrk_first(words);
	for (int32_t to = ubrk_next(words); to != UBRK_DONE; from = to, to = ubrk_next(words)) {
		int wl = han_chars(u, from, to);

		if (!wl) {
			run = false;
			continue;
		}
		for (int32_t i = from, k = 0; i < to; k++) {
			UChar32 c;
			int32_t i0 = i;
			fold_han h = { .word_start = k == 0, .run_start = k == 0 && !run, .word_len = wl };
			size_t np = 0;

			U16_NEXT(u, i, to, c);
			for (const char *p = syllable(c); *p && np + 1 < sizeof h.syl; p++)
				if (isalnum((unsigned char)*p))
					h.syl[np++] = (char)tolower((unsigned char)*p);
			h.start = (size_t)at[i0];
			h.end = (size_t)at[i];
			*out = xgrow(*out, &cap, n + 1, sizeof **out);
			(*out)[n++] = h;
		}
		run = true;
	}
	free(at);
	free(u);
	return n;
}

bool fold_pinyin_may_hold(const char *s, const char *q)
{
	int32_t n = (int32_t)strlen(s), i = 0;
	size_t nf = 0, ni = 0, room;
	char *f, *in;
	bool hold;

	if (n > FOLD_MAX || !text_has_han(s))
		return false;
	room = (size_t)n * 3 + 16;      /* a character of 3 bytes gives at most 6 letters: run apart */
	f = xmalloc(room * 2);
	in = xmalloc((size_t)n + 2);
	while (i < n) {
		UErrorCode st = U_ZERO_ERROR;
		UChar32 c;

		U8_NEXT(s, i, n, c);
		if (c < 0 || uscript_getScript(c, &st) != USCRIPT_HAN)
			continue;
		for (const char *p = syllable(c), *first = p; *p && nf + 1 < room * 2; p++)
			if (isalnum((unsigned char)*p)) {
				f[nf++] = (char)tolower((unsigned char)*p);
				if (p == first)
					in[ni++] = (char)tolower((unsigned char)*p);
			}
	}
	f[nf] = in[ni] = '\0';
	hold = strstr(f, q) || strstr(in, q);
	free(f);
	free(in);
	return hold;
}

bool fold_composes(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkc;
	int32_t i = 0, len;
	const char *p = s;

	while (*p && (unsigned char)*p < 0x80)
		p++;
	if (!*p)
		return false;
	nfkc = unorm2_getNFKCCasefoldInstance(&st);
	if (U_FAILURE(st) || !nfkc)
		return true;            /* cannot tell: assume it does */
	len = (int32_t)strlen(p);
	while (i < len) {
		UChar32 c;

		U8_NEXT(p, i, len, c);
		if (c >= 0 && !unorm2_hasBoundaryBefore(nfkc, c))
			return true;
	}
	return false;
}
