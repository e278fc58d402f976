/* "Did you mean": the names closest to a word that is none of them (a
 * mistyped domain, a partial record id, a misspelt option), for messages
 * that say what would have worked instead of only what did not. */
#ifndef ERRKB_SUGGEST_H
#define ERRKB_SUGGEST_H

#include <stddef.h>

/* Into out (room for max), the names[0..n) closest to word, closest
 * first; returns how many.  Close is, in this order: the same but for
 * ASCII case; one the start of the other; a few edits apart (a letter
 * added, dropped, changed or two swapped: up to 1 for a word of up to 4
 * characters, 2 up to 8, then 3); holding the word.  Ties go to the
 * fewer edits, then to byte order.  Characters, not bytes, are counted. */
size_t suggest_closest(const char *word, const char *const *names, size_t n, size_t max,
		       const char **out);

/* The edits (as above) that make a into b, or limit + 1 if more than
 * limit. */
size_t suggest_distance(const char *a, const char *b, size_t limit);

#endif
