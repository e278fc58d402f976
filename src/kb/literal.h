/* The literal text every match of a regex must contain, so that lines can
 * be screened for it before the regex runs.  A pattern whose branches each
 * require a literal of at least LITERAL_MIN bytes gives one per branch;
 * any other pattern gives none and must always run. */
#ifndef ERRKB_LITERAL_H
#define ERRKB_LITERAL_H

#include <stddef.h>

enum { LITERAL_MIN = 2 };

/* Literals of pattern, folded like fold() folds the lines they screen.
 * Returns their count, 0 when the pattern has a branch without one; *out
 * is malloc'd, each string too. */
size_t regex_literals(const char *pattern, char ***out);
/* The literals every match of pattern holds, all of them, folded: the
 * parts of a pattern of one branch that are one literal each (runs of
 * characters, groups of one).  A line that lacks one of them cannot
 * match.  Returns their count, 0 when none is known. */
size_t regex_required(const char *pattern, char ***out);
/* Both in one parse: returns regex_literals' count and set, and
 * regex_required's in *req and *nreq (when req is not NULL). */
size_t regex_screen(const char *pattern, char ***out, char ***req, size_t *nreq);
void regex_literals_free(char **v, size_t n);

#endif
