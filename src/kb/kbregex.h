/* Record regexes through ICU: UTF-8 in, case-insensitive, with time and
 * stack limits so that no pattern can hang or exhaust the program. */
#ifndef ERRKB_KBREGEX_H
#define ERRKB_KBREGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <unicode/uregex.h>

enum kbre_result { KBRE_NO_MATCH, KBRE_MATCH, KBRE_LIMIT, KBRE_ERROR };

typedef struct kbre {
	URegularExpression *re;
	char *pattern;
} kbre;

/* Compile pattern; on failure returns false and writes a message naming
 * the offset into err. */
bool kbre_compile(kbre *r, const char *pattern, char *err, size_t errlen);
/* The same, case-sensitive: for patterns already folded to match folded
 * text (much faster in ICU than case-insensitive matching). */
bool kbre_compile_exact(kbre *r, const char *pattern, char *err, size_t errlen);
/* Search text; on a match, start and end (each may be NULL) get the
 * byte span. */
enum kbre_result kbre_search(kbre *r, const char *text, size_t *start, size_t *end);
void kbre_free(kbre *r);

#endif
