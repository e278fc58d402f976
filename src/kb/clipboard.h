/* Getting text to the user's clipboard, by every means at hand: tmux's
 * buffer, wl-copy, xclip or xsel, pbcopy (run without a shell, the text
 * on a pipe), and OSC 52 through the terminal, which carries it over SSH.
 * No curses here: the caller writes the OSC 52 sequence to the terminal. */
#ifndef ERRKB_CLIPBOARD_H
#define ERRKB_CLIPBOARD_H

#include <stddef.h>

enum clip_method {
	CLIP_TMUX = 1, CLIP_WAYLAND = 2, CLIP_XCLIP = 4, CLIP_XSEL = 8, CLIP_PBCOPY = 16,
	CLIP_OSC52 = 32,
};

/* Above this, OSC 52 is not used: terminals cap it around 100 KB. */
enum { OSC52_MAX = 100000 };

/* Run the helpers that fit the environment ($TMUX, $WAYLAND_DISPLAY,
 * $DISPLAY, pbcopy on the PATH); returns the methods that succeeded
 * (exit status 0), *tried the ones that were run. */
unsigned clipboard_helpers(const char *text, unsigned *tried);
/* The OSC 52 sequence for text in xterm's form, "ESC ] 52 ; c ; base64
 * BEL", which the terminals that support it all accept (malloc'd), or
 * NULL when the text is too long. */
char *clipboard_osc52(const char *text);
/* Names of the methods in mask, comma-separated (static buffer). */
const char *clipboard_names(unsigned mask);
/* Save text where the user can find it when nothing else worked; the path
 * (static buffer) or NULL. */
const char *clipboard_save(const char *text);
/* Run argv (no shell) detached from the terminal; true if it started and
 * exited 0 within a few seconds. */
int clipboard_run(const char *const argv[], const char *input);

#endif
