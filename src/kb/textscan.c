#include <config.h>
#include "textscan.h"
#include "xalloc.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

size_t text_invalid_utf8(const char *s, size_t n)
{
	int64_t i = 0, len = (int64_t)n;

	while (i < len) {
		int64_t at = i;
		UChar32 c;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		U8_NEXT(s, i, len, c);
		if (c < 0)
			return (size_t)at;
	}
	return (size_t)-1;
}

char *text_repair_utf8(const char *s, size_t n)
{
	/* Each invalid byte becomes at most 3 bytes (U+FFFD). */
	char *out = xmalloc(n * 3 + 1);
	int64_t i = 0, len = (int64_t)n, o = 0;

	while (i < len) {
		int64_t at = i;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c < 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(out + o, s + at, (size_t)(i - at));
			o += i - at;
		}
	}
	out[o] = '\0';
	return out;
}

bool text_has_han(const char *s)
{
	int64_t i = 0, len = (int64_t)strlen(s);

	while (i < len) {
		UErrorCode err = U_ZERO_ERROR;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (c >= 0x2E80 && uscript_getScript(c, &err) == USCRIPT_HAN)
			return true;
	}
	return false;
}

bool text_is_unsafe_cp(int cp)
{
	if (cp == '\t' || cp == '\n')
		return false;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true;
	/* Cf covers the bidi embeddings, overrides and isolates (U+202A..E,
	 * U+2066..9), zero-width joiners and marks, soft hyphen and the like;
	 * line and paragraph separators are as disruptive as a raw newline. */
	return u_charType(cp) == U_FORMAT_CHAR || cp == 0x2028 || cp == 0x2029;
}

bool text_has_control(const char *s)
{
	int64_t i = 0, len = (int64_t)strlen(s);

	while (i < len) {
		UChar32 c;

		/* ASCII needs no property lookup; most KB text is ASCII. */
		if ((unsigned char)s[i] < 0x80) {
			c = (unsigned char)s[i++];
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
				return true;
			continue;
		}
		U8_NEXT(s, i, len, c);
		if (c >= 0 && text_is_unsafe_cp(c))
			return true;
	}
	return false;
}

void text_put_sanitized(FILE *f, const char *s, int flags)
{
	text_put_sanitized_n(f, s, strlen(s), flags);
}

void text_put_sanitized_n(FILE *f, const char *s, size_t n, int flags)
{
	int64_t i = 0, len = (int64_t)n, run = 0;

	/* Safe text goes out in runs, as it is; printable ASCII needs no
	 * property lookup (a list of 100k lines spent a quarter of its
	 * time here, a code point at a time). */
	while (i < len) {
		int64_t at = i;
		UChar32 c;

		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			i++;
			continue;
		}
		U8_NEXT(s, i, len, c);
		if (c < 0 || text_is_unsafe_cp(c)) {
			/* Joiners inside emoji and the like are harmless but
			 * invisible; a placeholder is the honest rendering. */
			fwrite(s + run, 1, (size_t)(at - run), f);
			fputs("\xEF\xBF\xBD", f);
			run = i;
		} else if ((c == '\n' || c == '\t') && (flags & TEXT_ONE_LINE)) {
			fwrite(s + run, 1, (size_t)(at - run), f);
			fputc(' ', f);
			run = i;
		}
	}
	fwrite(s + run, 1, (size_t)(len - run), f);
}
