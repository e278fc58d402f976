#include <config.h>
#include "fuzz.h"

#include <ftw.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "textcell.h"

static char dir[64];

void fz_locale(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8")) {
		fprintf(stderr, "fuzz: no C.UTF-8 locale\n");
		abort();
	}
}

static int rm(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static void cleanup(void)
{
	if (dir[0])
		nftw(dir, rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fz_dir(void)
{
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");

		/* Memory, where there is some: the state target fsyncs. */
		if (!t || !*t || strlen(t) > 40)
			t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/errkb-fuzz-XXXXXX", t);
		if (!mkdtemp(dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(cleanup);
	}
	return dir;
}

const char *fz_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
	f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

char *fz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

size_t fz_wide_clusters(const char *clean, size_t len)
{
	static UBreakIterator *bi;
	UErrorCode st = U_ZERO_ERROR;
	UText *ut;
	int32_t prev = 0, b;
	size_t n = 0;

	if (!bi)
		bi = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &st);
	ut = utext_openUTF8(NULL, clean, (int64_t)len, &st);
	ubrk_setUText(bi, ut, &st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "fuzz: ICU break iterator: %s\n", u_errorName(st));
		abort();
	}
	while ((b = ubrk_next(bi)) != UBRK_DONE) {
		n += tc_width_n(clean + prev, (size_t)(b - prev)) > 0;
		prev = b;
	}
	utext_close(ut);
	return n;
}

FILE *fz_null(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w"))) {
		perror("/dev/null");
		abort();
	}
	return f;
}

void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n%s:%d: check failed: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
