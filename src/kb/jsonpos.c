#include <config.h>
#include "jsonpos.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

unsigned long long json_linecol_scanned;

void json_linecol(const char *buf, size_t off, unsigned *line, unsigned *col)
{
	json_linecol_from(buf, 0, 1, off, line, col);
}

void json_linecol_from(const char *buf, size_t from, unsigned from_line, size_t off,
		       unsigned *line, unsigned *col)
{
	unsigned l = from_line, c = 1;

	if (off < from) {
		from = 0;
		l = 1;
	}
	json_linecol_scanned += off - from;
	for (size_t i = from; i < off && buf[i]; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

size_t json_skip_ws(const char *buf, size_t len, size_t off)
{
	while (off < len && strchr(" \t\r\n", buf[off]) && buf[off])
		off++;
	return off;
}

/* Offset just past the string starting at off (a '"'); len + 1 when the
 * string does not end. */
static size_t skip_string(const char *buf, size_t len, size_t off)
{
	for (off++; off < len; off++) {
		if (buf[off] == '\\')
			off++;
		else if (buf[off] == '"')
			return off + 1;
	}
	return len + 1;
}

/* Offset just past the value starting at off; len + 1 when an object,
 * array or string does not end. */
static size_t skip_value(const char *buf, size_t len, size_t off)
{
	int depth = 0;

	if (off >= len)
		return len;
	if (buf[off] == '"')
		return skip_string(buf, len, off);
	if (buf[off] != '{' && buf[off] != '[') {
		while (off < len && !strchr(",]} \t\r\n", buf[off]))
			off++;
		return off;
	}
	for (; off < len; off++) {
		char ch = buf[off];

		if (ch == '"') {
			off = skip_string(buf, len, off) - 1;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth == 0)
				return off + 1;
		}
	}
	return len + 1;
}

bool json_truncated(const char *buf, size_t len, size_t start)
{
	size_t off = json_skip_ws(buf, len, start);

	return off < len && skip_value(buf, len, off) > len;
}

static size_t find_member(const char *buf, size_t len, size_t off,
			  const char *key, size_t keylen)
{
	off = json_skip_ws(buf, len, off);
	if (off >= len || buf[off] != '{')
		return JSONPOS_NONE;
	off++;
	for (;;) {
		size_t kstart, kend;

		off = json_skip_ws(buf, len, off);
		if (off >= len || buf[off] != '"')
			return JSONPOS_NONE;
		kstart = off + 1;
		kend = skip_string(buf, len, off);
		off = json_skip_ws(buf, len, kend);
		if (off >= len || buf[off] != ':')
			return JSONPOS_NONE;
		off = json_skip_ws(buf, len, off + 1);
		if (kend - 1 - kstart == keylen && memcmp(buf + kstart, key, keylen) == 0)
			return off;
		off = json_skip_ws(buf, len, skip_value(buf, len, off));
		if (off >= len || buf[off] != ',')
			return JSONPOS_NONE;
		off++;
	}
}

static size_t find_element(const char *buf, size_t len, size_t off, long index)
{
	off = json_skip_ws(buf, len, off);
	if (off >= len || buf[off] != '[')
		return JSONPOS_NONE;
	off = json_skip_ws(buf, len, off + 1);
	for (long i = 0; off < len && buf[off] != ']'; i++) {
		if (i == index)
			return off;
		off = json_skip_ws(buf, len, skip_value(buf, len, off));
		if (off >= len || buf[off] != ',')
			return JSONPOS_NONE;
		off = json_skip_ws(buf, len, off + 1);
	}
	return JSONPOS_NONE;
}

size_t json_locate(const char *buf, size_t len, size_t start, const char *path)
{
	size_t off = json_skip_ws(buf, len, start);

	while (*path && off != JSONPOS_NONE) {
		if (*path == '.') {
			path++;
		} else if (*path == '[') {
			char *end;
			long index = strtol(path + 1, &end, 10);

			off = find_element(buf, len, off, index);
			path = *end == ']' ? end + 1 : end;
		} else {
			size_t n = strcspn(path, ".[");

			off = find_member(buf, len, off, path, n);
			path += n;
		}
	}
	return off;
}

size_t json_array_elements(const char *buf, size_t len, size_t start, size_t **offs)
{
	size_t n = 0, cap = 0, off = json_skip_ws(buf, len, start);
	size_t *v = NULL;

	if (off < len && buf[off] == '[') {
		off = json_skip_ws(buf, len, off + 1);
		while (off < len && buf[off] != ']') {
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = off;
			off = json_skip_ws(buf, len, skip_value(buf, len, off));
			if (off >= len || buf[off] != ',')
				break;
			off = json_skip_ws(buf, len, off + 1);
		}
	}
	*offs = v;
	return n;
}
