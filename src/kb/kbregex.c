#include <config.h>
#include "kbregex.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utext.h>

/* Limits in ICU's own units: match-engine steps (each "on the order of a
 * millisecond", says ICU) and bytes of backtracking stack.  Generous for
 * any sane pattern on one line, finite for a runaway one. */
enum { TIME_LIMIT = 200, STACK_LIMIT = 1 << 20 };

static bool compile(kbre *r, const char *pattern, uint32_t flags, char *err, size_t errlen)
{
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	UText *ut;

	memset(&pe, 0, sizeof pe);
	r->re = NULL;
	/* ICU keeps a shallow clone of the pattern UText, which still points
	 * at these bytes: give the regex a copy it owns. */
	r->pattern = xstrdup(pattern);
	ut = utext_openUTF8(NULL, r->pattern, -1, &st);
	if (U_SUCCESS(st))
		r->re = uregex_openUText(ut, flags, &pe, &st);
	utext_close(ut);
	if (U_FAILURE(st)) {
		snprintf(err, errlen, "%s at offset %d", u_errorName(st), (int)pe.offset);
		kbre_free(r);
		return false;
	}
	uregex_setTimeLimit(r->re, TIME_LIMIT, &st);
	uregex_setStackLimit(r->re, STACK_LIMIT, &st);
	return true;
}

bool kbre_compile(kbre *r, const char *pattern, char *err, size_t errlen)
{
	return compile(r, pattern, UREGEX_CASE_INSENSITIVE, err, errlen);
}

bool kbre_compile_exact(kbre *r, const char *pattern, char *err, size_t errlen)
{
	return compile(r, pattern, 0, err, errlen);
}

enum kbre_result kbre_search(kbre *r, const char *text, size_t *start, size_t *end)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, text, -1, &st);
	enum kbre_result res = KBRE_ERROR;

	if (U_FAILURE(st))
		return KBRE_ERROR;
	uregex_setUText(r->re, ut, &st);
	if (U_SUCCESS(st)) {
		UBool found = uregex_findNext(r->re, &st);

		if (st == U_REGEX_TIME_OUT || st == U_REGEX_STACK_OVERFLOW) {
			res = KBRE_LIMIT;
		} else if (U_FAILURE(st)) {
			res = KBRE_ERROR;
		} else if (found) {
			/* With UTF-8 UText, native indexes are byte offsets. */
			if (start)
				*start = (size_t)uregex_start64(r->re, 0, &st);
			if (end)
				*end = (size_t)uregex_end64(r->re, 0, &st);
			res = KBRE_MATCH;
		} else {
			res = KBRE_NO_MATCH;
		}
	}
	/* Detach before closing the text the regex points at. */
	st = U_ZERO_ERROR;
	uregex_setText(r->re, (const UChar *)u"", 0, &st);
	utext_close(ut);
	return res;
}

void kbre_free(kbre *r)
{
	if (r->re)
		uregex_close(r->re);
	free(r->pattern);
	r->re = NULL;
	r->pattern = NULL;
}
