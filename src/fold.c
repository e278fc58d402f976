#include <config.h>
#include "fold.h"
#include "textscan.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include <unicode/uscript.h>

/* UTF-8 -> UTF-16 (malloc'd). */
static UChar *to16(const char *s, int32_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;

	u_strFromUTF8(NULL, 0, len, s, -1, &st);
	st = U_ZERO_ERROR;
	u = xmalloc(((size_t)*len + 1) * sizeof *u);
	u_strFromUTF8(u, *len + 1, len, s, -1, &st);
	return u;
}

static char *to8(const UChar *u, int32_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;
	char *s;

	u_strToUTF8(NULL, 0, &n, u, len, &st);
	st = U_ZERO_ERROR;
	s = xmalloc((size_t)n + 1);
	u_strToUTF8(s, n + 1, NULL, u, len, &st);
	s[n] = '\0';
	return s;
}

char *fold(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
	int32_t len, cap, n;
	UChar *u, *out;
	char *r;
	bool ascii = true;

	/* ASCII needs only lowering: skip the round trip through UTF-16. */
	for (const char *p = s; *p && ascii; p++)
		ascii = (unsigned char)*p < 0x80;
	if (ascii || U_FAILURE(st)) {
		r = xstrdup(s);
		for (char *p = r; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return r;
	}
	u = to16(s, &len);
	cap = len * 3 + 16;
	out = xmalloc((size_t)cap * sizeof *out);
	n = unorm2_normalize(nfkc, u, len, out, cap, &st);
	r = U_SUCCESS(st) ? to8(out, n) : xstrdup(s);
	free(u);
	free(out);
	return r;
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

void fold_pinyin(const char *s, char **full, char **initials)
{
	static UTransliterator *tr;
	UErrorCode st = U_ZERO_ERROR;
	int32_t len, cap, limit;
	UChar *u;
	char *lat, *f, *in;
	size_t nf = 0, ni = 0;
	bool start = true;

	*full = xstrdup("");
	*initials = xstrdup("");
	if (!text_has_han(s))
		return;
	if (!tr) {
		UChar id[64];

		u_uastrcpy(id, "Han-Latin; Latin-ASCII; Lower");
		tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
		if (U_FAILURE(st)) {
			tr = NULL;
			return;
		}
	}
	u = to16(s, &len);
	/* A Han character becomes a syllable of up to 6 letters and a space. */
	cap = len * 8 + 16;
	u = xrealloc(u, (size_t)cap * sizeof *u);
	limit = len;
	utrans_transUChars(tr, u, &len, cap, 0, &limit, &st);
	if (U_FAILURE(st)) {
		free(u);
		return;
	}
	lat = to8(u, len);
	free(u);
	f = xmalloc(strlen(lat) + 1);
	in = xmalloc(strlen(lat) + 1);
	for (const char *p = lat; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (start)
				in[ni++] = *p;
			f[nf++] = *p;
			start = false;
		} else {
			start = true;
		}
	}
	f[nf] = in[ni] = '\0';
	free(lat);
	free(*full);
	free(*initials);
	*full = f;
	*initials = in;
}
