/* Positions in raw JSON text.  cJSON keeps no source positions, so when a
 * finding needs a line and column we find the place in the text again. */
#ifndef ERRKB_JSONPOS_H
#define ERRKB_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

#define JSONPOS_NONE ((size_t)-1)

/* Line and column (1-based, column in code points) of byte offset off. */
void json_linecol(const char *buf, size_t off, unsigned *line, unsigned *col);
/* The same, counting from byte from, the start of line from_line (a
 * finding in a big file costs the distance from its record, not from the
 * top of the file). */
void json_linecol_from(const char *buf, size_t from, unsigned from_line, size_t off,
		       unsigned *line, unsigned *col);
/* Bytes the two above have stepped over, for the tests that show a load
 * is linear in its findings. */
extern unsigned long long json_linecol_scanned;
/* Offset of the value at path inside the value starting at start.  path is
 * like "dead_ends[2].fail_rate"; "" is the value itself.  Returns
 * JSONPOS_NONE when the text has no such member. */
size_t json_locate(const char *buf, size_t len, size_t start, const char *path);
/* True when the value at start runs to the end of buf without closing
 * (an unterminated string, object or array). */
bool json_truncated(const char *buf, size_t len, size_t start);
/* Offset of the first non-blank byte at or after off. */
size_t json_skip_ws(const char *buf, size_t len, size_t off);
/* Offsets of the elements of the array at start (a '[').  Returns the
 * count; *offs is malloc'd. */
size_t json_array_elements(const char *buf, size_t len, size_t start, size_t **offs);

#endif
