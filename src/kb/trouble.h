/* Signs of trouble in a log line: a word that says something went wrong
 * (error, failed, denied, refused, timed out, panic, exception...), or a
 * non-zero exit status.  Ordinary lines (a package installed, a session
 * opened) have none, and a match on such a line is worth less: a broad
 * regex or a few shared words find those everywhere. */
#ifndef ERRKB_TROUBLE_H
#define ERRKB_TROUBLE_H

#include <stdbool.h>
#include <stddef.h>

/* The most signs trouble_signs() reports for a line. */
enum { TROUBLE_MAX = 16 };

/* Where the signs of trouble are in folded (fold()ed, so lowercase) text:
 * their byte offsets, at most max of them, in at[], in order.  Returns
 * how many were put there.  A word counts alone, not as part of a name
 * (libgpg-error-dev, error.log, lost+found are not trouble). */
size_t trouble_signs(const char *folded, size_t *at, size_t max);
/* Whether folded text holds a sign of trouble. */
bool trouble_any(const char *folded);

#endif
