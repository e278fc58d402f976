/* Helpers shared by the libFuzzer targets (fuzz/fuzz_*.c): a UTF-8 locale
 * (wcwidth() decides display widths), a private temporary directory for
 * the APIs that read a path, and checks that stop with a message. */
#ifndef ERRKB_FUZZ_H
#define ERRKB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* setlocale(LC_ALL, "C.UTF-8") or die. */
void fz_locale(void);
/* A temporary directory made once per process ($TMPDIR, else /dev/shm or
 * /tmp) and removed at a normal exit. */
const char *fz_dir(void);
/* Write data to name inside fz_dir() (replacing it); the full path is
 * returned in a static buffer. */
const char *fz_write(const char *name, const uint8_t *data, size_t size);
/* data as a NUL-terminated string (malloc'd; cut at an inner NUL). */
char *fz_string(const uint8_t *data, size_t size);
/* How many grapheme clusters of clean[0, len) take columns: one alone
 * may be wider than any line. */
size_t fz_wide_clusters(const char *clean, size_t len);
/* A FILE that swallows messages. */
FILE *fz_null(void);

/* A property that must hold: abort with a message (a libFuzzer finding). */
#define FZ_CHECK(cond, ...) \
	do { if (!(cond)) fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); } while (0)
_Noreturn void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
