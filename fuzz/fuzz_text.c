/* Text layout on untrusted text: tc_clean, widths, tc_fit, tc_cut and
 * tc_wrap at widths taken from the input (0, 1, negative and huge ones
 * too), and the textscan checks.  Besides sanitizer findings, the promises
 * of textcell.h and textscan.h are checked: clean text is valid UTF-8
 * without controls, nothing drawn is wider than its room, wrapping loses
 * no visible text. */
#include <config.h>
#include "fuzz.h"
#include "textcell.h"
#include "textscan.h"
#include "fold.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	return 0;
}

/* A width from one byte: the edges more often than chance would give. */
static int width_of(uint8_t b)
{
	static const int edge[] = { 0, 1, 2, 3, -1, INT_MIN, INT_MAX, INT_MAX - 1, 1 << 20 };

	if (b < sizeof edge / sizeof *edge)
		return edge[b];
	return b % 100;
}

static bool cp_boundary(const char *s, size_t i)
{
	return !U8_IS_TRAIL((uint8_t)s[i]);
}

static void check_clean(const char *clean)
{
	FZ_CHECK(text_invalid_utf8(clean, strlen(clean)) == (size_t)-1, "tc_clean gave invalid UTF-8");
	FZ_CHECK(!text_has_control(clean), "tc_clean left a control character");
	FZ_CHECK(!strchr(clean, '\t'), "tc_clean left a tab");
}

static void check_fit(const char *clean, size_t len, int cols)
{
	int w = -1;
	size_t fit = tc_fit(clean, len, cols, &w);

	FZ_CHECK(fit <= len, "tc_fit %zu > len %zu", fit, len);
	FZ_CHECK(fit == len || cp_boundary(clean, fit), "tc_fit cut a character at %zu", fit);
	FZ_CHECK(w >= 0 && w <= (cols < 0 ? 0 : cols), "tc_fit width %d for %d columns", w, cols);
	FZ_CHECK(w == tc_width_n(clean, fit), "tc_fit width %d, the prefix has %d", w,
		 tc_width_n(clean, fit));
}

static void check_cut(const char *clean, int cols)
{
	char *cut = tc_cut(clean, cols);

	FZ_CHECK(cols > 0 || !*cut, "tc_cut to %d columns gave text", cols);
	FZ_CHECK(cols <= 0 || tc_width(cut) <= cols, "tc_cut width %d for %d columns", tc_width(cut), cols);
	FZ_CHECK(!strchr(cut, '\n'), "tc_cut kept a newline");
	FZ_CHECK(text_invalid_utf8(cut, strlen(cut)) == (size_t)-1, "tc_cut gave invalid UTF-8");
	free(cut);
}

static void check_wrap(const char *clean, int cols)
{
	tc_span *v;
	size_t n = tc_wrap(clean, cols, &v), len = strlen(clean), end = 0;
	int room = cols < 1 ? 1 : cols;

	FZ_CHECK(n >= 1, "tc_wrap gave no line");
	for (size_t i = 0; i < n; i++) {
		const tc_span *s = &v[i];
		FZ_CHECK(s->off >= end && s->off + s->len <= len, "tc_wrap line %zu [%zu, +%zu) out of order "
			 "or past the end %zu", i, s->off, s->len, len);
		/* What lies between two lines is blank: nothing visible lost. */
		for (size_t j = end; j < s->off; j++)
			FZ_CHECK(clean[j] == ' ' || clean[j] == '\n', "tc_wrap lost byte %zu (0x%02x)", j,
				 (unsigned)(uint8_t)clean[j]);
		FZ_CHECK(s->len == 0 || (cp_boundary(clean, s->off) &&
					 (s->off + s->len == len || cp_boundary(clean, s->off + s->len))),
			 "tc_wrap line %zu cuts a character", i);
		FZ_CHECK(!memchr(clean + s->off, '\n', s->len), "tc_wrap line %zu holds a newline", i);
		FZ_CHECK(s->width == tc_width_n(clean + s->off, s->len), "tc_wrap line %zu width %d, "
			 "its text has %d", i, s->width, tc_width_n(clean + s->off, s->len));
		/* Only a single cluster wider than the room may overflow. */
		FZ_CHECK(s->width <= room || fz_wide_clusters(clean + s->off, s->len) == 1,
			 "tc_wrap line %zu is %d columns wide for %d", i, s->width, room);
		end = s->off + s->len;
	}
	for (size_t j = end; j < len; j++)
		FZ_CHECK(clean[j] == ' ' || clean[j] == '\n', "tc_wrap lost byte %zu after the last line", j);
	free(v);
}

/* Wrapped max lines at a time, as the detail pane does, the lines are
 * those of the whole. */
static void check_wrap_parts(const char *clean, int cols, size_t max)
{
	tc_span *whole, *part;
	size_t n = tc_wrap(clean, cols, &whole), len = strlen(clean), got = 0, off = 0, next;

	do {
		size_t k = tc_wrap_from(clean, len, true, off, cols, max, &part, &next);

		FZ_CHECK(k <= max, "tc_wrap_from gave %zu lines for %zu", k, max);
		FZ_CHECK(k > 0 || off >= len, "tc_wrap_from gave no line at %zu of %zu", off, len);
		FZ_CHECK(got + k <= n, "tc_wrap_from gave more lines than tc_wrap (%zu)", n);
		for (size_t i = 0; i < k; i++)
			FZ_CHECK(part[i].off == whole[got + i].off && part[i].len == whole[got + i].len,
				 "tc_wrap_from line %zu is [%zu, +%zu), tc_wrap's [%zu, +%zu)", got + i,
				 part[i].off, part[i].len, whole[got + i].off, whole[got + i].len);
		got += k;
		free(part);
		FZ_CHECK(next > off || next >= len || !k, "tc_wrap_from did not move on from %zu", off);
		off = next;
	} while (off < len);
	FZ_CHECK(got == n || (!len && got <= n), "tc_wrap_from gave %zu lines, tc_wrap %zu", got, n);
	free(whole);
}

static void check_scan(const uint8_t *data, size_t size, const char *s)
{
	size_t bad = text_invalid_utf8((const char *)data, size);
	char *fixed = text_repair_utf8((const char *)data, size), *buf = NULL, *full, *ini;
	size_t blen = 0;
	FILE *mem;

	FZ_CHECK(bad == (size_t)-1 || bad < size, "text_invalid_utf8 gave %zu of %zu", bad, size);
	FZ_CHECK(text_invalid_utf8(fixed, strlen(fixed)) == (size_t)-1, "text_repair_utf8 left invalid UTF-8");
	if (bad == (size_t)-1)
		FZ_CHECK(!memcmp(fixed, data, size) && strlen(fixed) == strlen(s),
			 "text_repair_utf8 changed valid text");
	free(fixed);
	(void)text_has_han(s);

	mem = open_memstream(&buf, &blen);
	FZ_CHECK(mem != NULL, "open_memstream");
	text_put_sanitized(mem, s, TEXT_ONE_LINE);
	fclose(mem);
	FZ_CHECK(!text_has_control(buf) && !strpbrk(buf, "\n\t"), "text_put_sanitized let a control through");
	FZ_CHECK(text_invalid_utf8(buf, blen) == (size_t)-1, "text_put_sanitized gave invalid UTF-8");
	free(buf);

	/* Folding is what search and match compare by. */
	free(fold(s));
	fold_pinyin(s, &full, &ini);
	free(full);
	free(ini);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int wrap_cols, fit_cols;
	size_t cut;
	char *s, *clean;

	if (size < 3)
		return 0;
	wrap_cols = width_of(data[0]);
	fit_cols = width_of(data[1]);
	cut = data[2];
	data += 3;
	size -= 3;

	s = fz_string(data, size);
	check_scan(data, size, s);

	clean = tc_clean(s);
	check_clean(clean);
	/* A prefix ending on a character boundary, as callers pass. */
	cut = strlen(clean) ? cut % (strlen(clean) + 1) : 0;
	while (cut < strlen(clean) && !cp_boundary(clean, cut))
		cut++;
	check_fit(clean, strlen(clean), fit_cols);
	check_fit(clean, cut, fit_cols);
	check_cut(clean, fit_cols);
	check_wrap(clean, wrap_cols);
	check_wrap_parts(clean, wrap_cols, 1 + cut % 5);
	free(clean);
	free(s);
	return 0;
}
