/* Helpers for unit tests: KB files written into a fresh temporary
 * directory, loaded through the real loader. */
#ifndef ERRKB_TESTUTIL_H
#define ERRKB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kb.h"

/* A fresh temporary directory (removed by tu_cleanup). */
const char *tu_dir(void);
/* Write text to name inside tu_dir(); returns the full path (static buffer
 * per call: copy it if needed twice). */
const char *tu_write(const char *name, const char *text);
/* Load path into k (kb_init + load + finish). */
void tu_load(kb *k, const char *path);
/* Load one file holding text. */
void tu_load_text(kb *k, const char *name, const char *text);
/* Number of findings of kind; the first one's message in *first. */
size_t tu_count(const kb *k, enum diag_kind kind, const diag **first);
void tu_cleanup(void);
/* Every workaround of the KB at path: no empty command, each found word
 * for word in its text, none holding a backtick (a span cut at the wrong
 * mark), and backticked code always giving one.  Counts workarounds,
 * commands found, workarounds with one, and of the commands found those
 * that run as they stand (the rest is text to copy); returns the faults
 * (each said on stderr). */
size_t tu_check_commands(const char *path, size_t *nwork, size_t *ncmd, size_t *with,
			 size_t *nrun);

#endif
