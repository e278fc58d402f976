/* The browser as the command line sees it: its options, the check that
 * there is a terminal to drive, and browse().  Nothing of curses or of
 * the browser's state here (ui.h has those). */
#ifndef ERRKB_BROWSE_H
#define ERRKB_BROWSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kb.h"

struct cfg_style;
struct doc_evidence;
struct kbcache;
struct kbheads;
struct state;

/* The browser over k; with o->order, the list holds just those records,
 * in that order (match results).  Keys come from o->in (stdin when NULL),
 * so that a pipe can feed the data while the user types at /dev/tty, and
 * the screen goes to o->out, so that errkb pick keeps stdout clean. */
typedef struct browse_opts {
	const uint32_t *order;     /* the list's records (match results), or NULL */
	size_t n;
	/* With order, what matched each record, parallel to it; or NULL. */
	const struct doc_evidence *evidence;
	FILE *in, *out;            /* the terminal; NULL: stdin and stdout */
	const char *query;         /* a search to start with */
	bool pick;                 /* errkb pick */
	char **picked;             /* pick: the command chosen (malloc'd), or NULL */
	bool no_mouse;             /* leave the mouse to the terminal */
	const struct cfg_style *theme;   /* UI_COUNT styles from the config, or NULL */
	/* Remembered between runs: the browser starts on the most recent
	 * record (with the others behind it in the history) and notes the
	 * records opened and the language.  NULL: nothing remembered. */
	struct state *state;
	/* The KB's index, to fill k's slots from (kbcache_slots); NULL:
	 * k holds the records whole. */
	struct kbcache *cache;
	struct kbheads *heads;
	/* The KB still being read (and its index made) on another thread:
	 * k, cache and heads are not to be touched until opening says it
	 * is done (true, its index into *cache).  Until then it gives the
	 * text that says how far it is (text, len bytes), and the browser
	 * shows it, taking keys.  NULL: the KB is ready. */
	bool (*opening)(void *ctx, char *text, size_t len, struct kbcache **cache);
	void *opening_ctx;
} browse_opts;

/* Returns 0, or the signal that ended it (SIGTERM, SIGHUP, SIGINT) once
 * the terminal is restored: the caller saves what it must and re-raises
 * it. */
int browse(kb *k, enum kb_lang lang, const browse_opts *o);

/* A clear refusal beats a screen of garbage: false, said on stderr, when
 * in_fd (where keys come from) or out_fd is no terminal, or TERM names
 * none errkb can drive. */
bool browse_terminal_ok(int in_fd, int out_fd);

#endif
