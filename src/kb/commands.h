/* The commands in workaround text: what a user copies to fix the error.
 * No curses here. */
#ifndef ERRKB_COMMANDS_H
#define ERRKB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Commands found in text, in order, each once (malloc'd strings in a
 * malloc'd vector): backticked spans always; quoted spans and lines when
 * they look like a command (a known program first, or shell syntax). */
size_t commands_extract(const char *text, char ***out);
void commands_free(char **v, size_t n);

/* Whether cmd runs as it stands, pasted into a shell: its first program is
 * one known here or a path to one (after VAR=value, sudo, env...), and
 * nothing is missing -- no quote or $( left open, no | or && at the end, no
 * option waiting for its value, the operands a program needs ("chmod 400"
 * lacks the file), no <placeholder> or "...", no here-document.  A file
 * name ("sip.conf"), a setting ("realm", "LimitNOFILE=65535"), a section
 * ("[Service]"), code of another language ("gc.collect()") or a console
 * command of another program ("sip reload") is not: that is text to copy,
 * not to run. */
bool commands_runnable(const char *cmd);

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
