/* gen_pinyin: the pinyin of every Han character, as a C table for fold.c.
 *
 * Run at build time with the ICU errkb is built against: each character
 * that ICU puts in the Han script is given to the transliterator fold.c
 * uses ("Han-Latin; Latin-ASCII; Lower"), one character at a time as
 * fold.c gives it, and its letters and digits are kept, lowered, as fold.c
 * keeps them.  The table makes ICU's transliterator (about 90 ms to make,
 * the most of a first start on the shipped KB) unneeded unless the ICU at
 * run time knows a Han character this one did not.
 *
 * Output on stdout: pinyin_pool (the syllables, each once, NUL-ended),
 * pinyin_ranges (runs of consecutive Han code points: first, last, and
 * where their entries start) and pinyin_at (for each code point of the
 * runs, its syllable's offset in the pool).  Exit status 1 when ICU
 * cannot make the transliterator. */
#include <config.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

enum { POOL_MAX = 65535, SYL_MAX = 32 };

static char pool[POOL_MAX + 1];
static size_t npool;

/* The offset of syllable s in the pool, added if new (few hundred of
 * them: a linear look is enough at build time). */
static uint16_t intern(const char *s)
{
	size_t len = strlen(s);

	for (size_t at = 0; at < npool; at += strlen(pool + at) + 1)
		if (!strcmp(pool + at, s))
			return (uint16_t)at;
	if (npool + len + 1 > POOL_MAX) {
		fprintf(stderr, "gen_pinyin: the pool is full\n");
		exit(1);
	}
	memcpy(pool + npool, s, len + 1);
	npool += len + 1;
	return (uint16_t)(npool - len - 1);
}

/* The letters and digits of c's transliteration, lowered, into out. */
static void syllable_of(UTransliterator *tr, UChar32 c, char *out)
{
	UChar u[16];
	int32_t len = 0, limit;
	UErrorCode st = U_ZERO_ERROR;
	size_t n = 0;

	U16_APPEND_UNSAFE(u, len, c);
	limit = len;
	utrans_transUChars(tr, u, &len, (int32_t)(sizeof u / sizeof *u), 0, &limit, &st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "gen_pinyin: U+%04X: %s\n", (unsigned)c, u_errorName(st));
		exit(1);
	}
	for (int32_t i = 0; i < len && n + 1 < SYL_MAX; i++)
		if (u[i] < 0x80 && isalnum(u[i]))
			out[n++] = (char)tolower(u[i]);
	out[n] = '\0';
}

int main(void)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar id[64];
	UTransliterator *tr;
	UVersionInfo v;
	char ver[U_MAX_VERSION_STRING_LENGTH];
	uint16_t *at = NULL;
	size_t nat = 0, capat = 0, nranges = 0;
	UChar32 lo = -1;

	u_uastrcpy(id, "Han-Latin; Latin-ASCII; Lower");
	tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st) || !tr) {
		fprintf(stderr, "gen_pinyin: ICU cannot make its transliterator: %s\n", u_errorName(st));
		return 1;
	}
	u_getVersion(v);
	u_versionToString(v, ver);
	intern("");                 /* offset 0: no letters */
	printf("/* Made by gen_pinyin with ICU %s: do not edit. */\n", ver);
	printf("static const struct pinyin_range { uint32_t first, last, at; } pinyin_ranges[] = {\n");
	for (UChar32 c = 0; c <= 0x110000; c++) {
		UErrorCode sst = U_ZERO_ERROR;
		bool han = c < 0x110000 && uscript_getScript(c, &sst) == USCRIPT_HAN && U_SUCCESS(sst);

		if (han) {
			char syl[SYL_MAX];

			if (lo < 0)
				lo = c;
			syllable_of(tr, c, syl);
			if (nat == capat) {
				capat = capat ? capat * 2 : 65536;
				at = realloc(at, capat * sizeof *at);
				if (!at) {
					fprintf(stderr, "gen_pinyin: out of memory\n");
					return 1;
				}
			}
			at[nat++] = intern(syl);
		} else if (lo >= 0) {
			printf("\t{ 0x%04X, 0x%04X, %zu },\n", (unsigned)lo, (unsigned)(c - 1),
			       nat - (size_t)(c - lo));
			nranges++;
			lo = -1;
		}
	}
	printf("};\n\nstatic const uint16_t pinyin_at[] = {");
	for (size_t i = 0; i < nat; i++)
		printf("%s%u,", i % 16 ? "" : "\n\t", at[i]);
	printf("\n};\n\nstatic const char pinyin_pool[] =");
	for (size_t i = 0, k = 0; i < npool; i += strlen(pool + i) + 1, k++)
		printf("%s\"%s\\0\"", k % 8 ? " " : "\n\t", pool + i);
	printf(";\n");
	free(at);
	utrans_close(tr);
	if (ferror(stdout) || fflush(stdout) != 0) {
		fprintf(stderr, "gen_pinyin: cannot write the table\n");
		return 1;
	}
	fprintf(stderr, "gen_pinyin: %zu Han characters in %zu runs, %zu bytes of syllables\n", nat, nranges,
		npool);
	return 0;
}
