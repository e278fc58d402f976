/* Facts about untrusted UTF-8 text that the model needs (no curses here):
 * validity, Chinese content, control characters, and a plain-text
 * sanitizer for command-line output. */
#ifndef ERRKB_TEXTSCAN_H
#define ERRKB_TEXTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Byte offset of the first invalid UTF-8 sequence, or (size_t)-1. */
size_t text_invalid_utf8(const char *s, size_t n);
/* Copy of s with every invalid sequence replaced by U+FFFD (malloc'd). */
char *text_repair_utf8(const char *s, size_t n);
/* True if s holds at least one Han ideograph (what makes a _zh twin Chinese). */
bool text_has_han(const char *s);
/* True if s holds a code point that must never reach a terminal raw:
 * C0/C1 controls other than tab and newline, DEL, bidi controls and other
 * format characters (Cf) that reorder or hide text. */
bool text_has_control(const char *s);
/* True for a code point that text_has_control() flags. */
bool text_is_unsafe_cp(int cp);

enum { TEXT_ONE_LINE = 1 };
/* Write s to f with unsafe code points shown as U+FFFD; with TEXT_ONE_LINE,
 * newlines and tabs become spaces. */
void text_put_sanitized(FILE *f, const char *s, int flags);
/* The same, of the len bytes at s. */
void text_put_sanitized_n(FILE *f, const char *s, size_t len, int flags);

#endif
