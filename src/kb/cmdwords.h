/* How cmdrisk.c reads a simple command's words, shared with commands.c so
 * that telling a command from text and judging its risk agree on which
 * program runs.  No curses here. */
#ifndef ERRKB_CMDWORDS_H
#define ERRKB_CMDWORDS_H

#include "shwords.h"

#include <stdbool.h>
#include <stddef.h>

/* The index in w of the program the command runs, after VAR=value
 * settings, reserved words (if, then, do...) and wrappers with their
 * options (sudo -u USER, env -i, nohup, timeout 5, xargs -0...); n when it
 * runs none (only settings, "sudo -i", "command -v"). */
size_t cmdwords_program(const sh_word *w, size_t n);

/* The program a word names, lower case, without its directory or .exe:
 * "/usr/bin/rm" and "RM.exe" are rm; "" when longer than size. */
void cmdwords_prog_name(const char *w, char *out, size_t size);

/* NAME=value. */
bool cmdwords_is_assignment(const char *w);

#endif
