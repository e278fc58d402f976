/* The commands in workaround text: what a user copies to fix the error.
 * No curses here. */
#ifndef ERRKB_COMMANDS_H
#define ERRKB_COMMANDS_H

#include <stddef.h>

/* Commands found in text, in order, each once (malloc'd strings in a
 * malloc'd vector): backticked spans always; quoted spans and lines when
 * they look like a command (a known program first, or shell syntax). */
size_t commands_extract(const char *text, char ***out);
void commands_free(char **v, size_t n);

/* Text as it may be copied: invalid UTF-8, control characters (newlines
 * too unless keep_newlines) and bidi or other format characters removed;
 * tabs become spaces.  malloc'd. */
char *commands_clean_copy(const char *text, int keep_newlines);

/* The risk of running cmd, in words ("it deletes files recursively",
 * translated), or NULL when none of the known risks is there.  cmd is read
 * as a shell reads it (cmdrisk.c): rm -r in any spelling, a download piped
 * into an interpreter, chmod 777, dd to a disk, firewall flushes, checks
 * turned off...; a command quoted as an argument (echo "rm -rf /") is not
 * run.  Any bytes are safe; the time is linear in the length. */
const char *commands_risk(const char *cmd);

#endif
