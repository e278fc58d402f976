/* The browser: application state shared by the panes, and the pane
 * interface.  Each pane is a small ops table; the main loop only lays out,
 * dispatches and draws. */
#ifndef ERRKB_UI_H
#define ERRKB_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>

#include "actions.h"
#include "detail_doc.h"
#include "graph_layout.h"
#include "kb.h"

typedef struct rect {
	int y, x, h, w;
} rect;

enum pane_id { PANE_LIST, PANE_DETAIL, PANE_GRAPH, PANE_COUNT };

typedef struct app {
	kb *k;
	enum kb_lang lang;

	uint32_t *order;           /* list rows: record indexes in display order */
	bool fixed_order;          /* given by the caller: not re-sorted */
	size_t norder, sel, list_top;
	uint32_t current;          /* the record in the detail and graph panes */

	doc doc;                   /* detail rows, built for doc_key */
	uint32_t doc_rec;
	int doc_width, doc_lang;
	size_t doc_top;

	graph graph;               /* graph around graph_rec */
	uint32_t graph_rec;
	size_t graph_sel;

	uint32_t *hist;            /* visited records, like a web browser */
	size_t nhist, hist_cap, hist_pos;

	enum pane_id focus, bottom;   /* bottom: detail or graph when stacked */
	rect r[PANE_COUNT];
	bool shown[PANE_COUNT];
	int rows, cols;
	bool too_small, help, quit;
	char msg[256];
} app;

typedef struct pane_ops {
	const char *title;
	void (*draw)(app *a, rect r, bool focused);
	/* true when the pane used the action */
	bool (*key)(app *a, enum action act, rect r);
	void (*click)(app *a, rect r, int y, int x);
	void (*wheel)(app *a, rect r, int lines);
} pane_ops;

extern const pane_ops list_pane, detail_pane, graph_pane;

/* Show record rec in the detail and graph panes and select it in the list;
 * push adds a history entry (following a link), else the current entry is
 * replaced (moving in the list). */
void app_show(app *a, uint32_t rec, bool push);
/* The pane's title row; returns the rect of its content. */
rect pane_frame(app *a, rect r, bool focused, const char *title, const char *info);
/* Move a cursor by an action over n items in a view of h rows; false if
 * the action is not a movement. */
bool move_cursor(enum action act, size_t *cur, size_t n, int h);
/* Keep cursor visible in a view of h rows starting at *top. */
void keep_visible(size_t cur, size_t *top, int h);

/* The browser over k; with order (n records), the list holds just those,
 * in that order (match results).  Keys come from in (stdin when NULL), so
 * that a pipe can feed the data while the user types at /dev/tty. */
int browse(kb *k, enum kb_lang lang, const uint32_t *order, size_t n, FILE *in);

#endif
