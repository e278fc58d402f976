/* A terminal for tests: errkb runs in a pseudo-terminal of a fixed size,
 * its output goes through libvterm, and the screen is read as text --
 * what a person would see.  Waiting is for expected text, with a generous
 * deadline, never a fixed sleep. */
#ifndef ERRKB_VT_H
#define ERRKB_VT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vt vt;

/* Start argv (argv[0] a path) in a cols x rows terminal with TERM and
 * LC_ALL set for the test, XDG_CONFIG_HOME and XDG_STATE_HOME in a fresh
 * directory of its own, plus env entries ("NAME=value"). */
vt *vt_start(int cols, int rows, const char *const *argv, const char *const *env);
void vt_send(vt *t, const char *keys);
/* n bytes, NULs included; false when the program stopped reading them
 * (it ended, or took none for the deadline). */
bool vt_send_n(vt *t, const char *keys, size_t n);
/* Read what the program wrote, waiting up to ms for the first byte; true
 * when there was something. */
bool vt_pump(vt *t, int ms);
/* The program has not ended. */
bool vt_alive(vt *t);
/* Bytes typed that the program has not read yet, -1 if unknown. */
long vt_pending_input(vt *t);
/* The terminal's modes as the program left them. */
struct termios;
bool vt_termios(vt *t, struct termios *tio);
/* Feed output until the screen contains text (true), the program exits,
 * or the deadline passes (false, and the screen goes to stderr). */
bool vt_wait(vt *t, const char *text);
/* vt_wait with a deadline of ms, and no dump when it passes. */
bool vt_wait_ms(vt *t, const char *text, int ms);
/* Same, until the screen no longer contains text. */
bool vt_wait_gone(vt *t, const char *text);
/* Row y as UTF-8 (static buffer); a wide character once. */
const char *vt_row(vt *t, int y);
/* The whole screen, row by row as vt_row gives them, each ended by a
 * newline (malloc'd). */
char *vt_text(vt *t);
/* The character (code point) and width of the cell at (y, x). */
unsigned vt_cell(vt *t, int y, int x, int *width);
/* Whether the cell at (y, x) is in reverse video (what a selection is
 * without colours, NO_COLOR). */
bool vt_reverse(vt *t, int y, int x);
/* Whether the cell at (y, x) is underlined. */
bool vt_underline(vt *t, int y, int x);
void vt_resize(vt *t, int cols, int rows);
/* Every byte the program wrote. */
const char *vt_raw(vt *t, size_t *len);
bool vt_raw_has(vt *t, const char *bytes, size_t n);
/* Wait for the program to end; its wait status (-1 if it did not end in
 * time, in which case it is killed). */
int vt_finish(vt *t);
/* Close the terminal, as a dropped SSH connection does, and wait for the
 * program to end; its wait status, -1 if it outlives the deadline. */
int vt_hangup(vt *t);
int vt_pid(vt *t);
/* The screen, on stderr. */
void vt_show(vt *t);
/* The screen, then why it may have stopped changing: whether the program
 * still runs (with ERRKB_VT_GDB set, its threads' stacks), the last bytes
 * it wrote, and the screen after a ^L (a key sent: for failures only). */
void vt_dump(vt *t);
void vt_free(vt *t);

/* The shipped KB's record count as the list's title shows its end,
 * "/N": its files under data/kb, one record each (data/README).  The
 * tests wait for it as the sign that the list is up, whatever the size
 * of the KB's edition. */
const char *vt_shipped_total(void);

#endif
