/* The browser's insides: application state shared by the panes, and the
 * pane interface.  Each pane is a small ops table; the main loop only lays
 * out, dispatches and draws.  The command line sees browse.h only. */
#ifndef ERRKB_UI_H
#define ERRKB_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>

#include "actions.h"
#include "browse.h"
#include "detail_doc.h"
#include "kb.h"
#include "query.h"
#include "search.h"
#include "strmap.h"

typedef struct rect {
	int y, x, h, w;
} rect;

enum pane_id { PANE_LIST, PANE_DETAIL, PANE_GRAPH, PANE_COUNT };

/* A key as read: a character or a curses key code, whether Alt (Esc)
 * came with it, a character's bytes, and the action bound to it. */
typedef struct key_event {
	int key;
	bool is_code, alt;
	const char *utf8;
	enum action act;
} key_event;

/* An overlay over the panes (curses has overlay()): its ops and its own
 * state. */
struct overlay_ops;
typedef struct layer {
	const struct overlay_ops *ops;
	void *self;
} layer;
enum { OVERLAYS_MAX = 4 };

typedef struct app {
	kb *k;
	enum kb_lang lang;
	/* Lazy (a KB served by its index): k's records are slots
	 * (kbcache_slots), filled as they are shown (app_record); filters,
	 * their counts and search are answered by the index.  NULL: all
	 * whole. */
	struct kbcache *cache;
	struct kbheads *heads;

	/* The KB view: the list's rows, record indexes in display order,
	 * and the selection (the row of the record shown, when it is one). */
	uint32_t *order;
	bool fixed_order;          /* given by the caller: not re-sorted */
	size_t norder, sel;
	/* Made anew (find_refresh) each time view_gen changes: the list
	 * goes back to its top, unless view_keep_top (the index gained
	 * hits while the user was moving in it). */
	uint64_t view_gen;
	bool view_keep_top;
	uint32_t *base;            /* the rows before filters and query */
	size_t nbase;

	kb_filter filter;          /* domain, category, tier, resolvable, confidence */
	/* A lazy KB's filters are answered by its index, no head read: the
	 * slots the filter of pass_key lets through, and the records by
	 * what filters test (the dialog counts from them), for the minimum
	 * confidence groups.min; their strings in groups.mem, kept while
	 * the browser runs (the filter points to them). */
	uint8_t *pass;
	char *pass_key;
	struct facet_groups {
		struct kbcache_group *v;
		size_t n;
		uint32_t (*at)[3];    /* of each: its domain, category, tier in names (KB_NONE: none) */
		const char **names[3];
		size_t nnames[3];
		double min;
		bool have;
		struct kbcache_counting *counting;   /* those of min, being counted */
		/* Each name once, kept while the browser runs (the filter
		 * points to them): pool_ix maps a name to its place in pool. */
		arena mem;
		const char **pool;
		size_t npool, cappool;
		strmap pool_ix;
	} groups;
	query q;                   /* the search in force */
	char qtext[256];
	search_index ix;           /* a KB in memory's, made a slice at a time (search_slice) */
	/* The KB's words, for typos: made when a search first finds
	 * nothing (of vocab_docs records: made again if the index grew). */
	search_vocab *vocab;
	size_t vocab_docs;
	bool q_fixed;              /* qtext is the search typed with its typos corrected */
	/* The search text is a pasted log line no record holds every word
	 * of: the list is what errkb match finds in it.  A KB in memory's
	 * matcher, made at the first such line (the searcher has a lazy
	 * KB's). */
	bool q_line;
	struct matcher *line_m;
	kb_slim line_slim;
	bool ix_started;
	bool ix_failed;            /* search stopped: the index failed */
	double ix_refresh_at;      /* when the list last took in what ix gained */
	/* A lazy KB's searches run on a thread (searcher.h): the one asked
	 * for and not answered yet, and the last answer (unranked). */
	struct searcher *searcher;
	bool searching;
	char asked_q[256];
	bool asked_line;           /* asked_q was asked as a log line */
	bool asked_typos;          /* asked_q was asked with its typos corrected */
	bool typos_tried;          /* for the search in force (a lazy KB's) */
	bool just_fixed;           /* the answer taken was of the text corrected */
	struct kbcache_row *hits;
	size_t nhits;
	bool hits_have;
	char hits_q[256];
	bool hits_line;
	uint32_t search_keep;      /* the record the list keeps as it is made again (KB_NONE: the best hit) */
	uint32_t search_shown;     /* and the one that making it left selected */
	uint32_t search_from;      /* a search typed: the record shown before it (KB_NONE: none) */

	char query_err[160];       /* why the search typed does not parse, or "" */

	/* Over the panes, from the bottom: the help, the filter dialog, the
	 * search prompt, the copy picker and its question.  The top one
	 * takes every key. */
	layer layers[OVERLAYS_MAX];
	size_t nlayers;

	bool pick_mode;            /* errkb pick: choosing prints and quits */
	char *picked;              /* what was chosen in pick mode */
	FILE *tty_out;             /* the terminal, for OSC 52 */
	uint32_t current;          /* the record in the detail and graph panes */

	/* errkb match --browse: why each record of matched was found (the
	 * caller's, parallel); the detail pane shows it above the record. */
	const uint32_t *matched;
	const doc_evidence *evidence;
	size_t nmatched;

	/* Each pane's own state (its cursor, scroll and caches), made by
	 * its ops' create: opaque here, so no other code changes it. */
	void *pane[PANE_COUNT];

	struct state *state;       /* what is remembered, or NULL */
	uint32_t *hist;            /* visited records, like a web browser */
	size_t nhist, hist_cap, hist_pos;

	enum pane_id focus, bottom;   /* bottom: detail or graph when stacked */
	bool zoom;                 /* the focused pane has the whole screen */
	rect r[PANE_COUNT];
	bool shown[PANE_COUNT];
	int rows, cols;
	bool too_small, quit;
	bool opening;              /* the KB is still being read (browse_opts) */
	char open_text[256];       /* how far it is */
	char msg[256];
} app;

/* What a pane's key, click or wheel asks of the browser, carried out by
 * the loop (carry_out): a pane changes its own state only. */
typedef struct request {
	uint32_t show;             /* the record to show (KB_NONE: none) */
	bool push;                 /* as a step in the history: a link followed */
	int focus;                 /* the pane to focus (-1: none) */
	int close;                 /* overlays to take off the top (the one that took the key first) */
	layer open;                /* an overlay to put on top (ops NULL: none), after close */
} request;
#define NO_REQUEST ((request){ .show = KB_NONE, .focus = -1 })

typedef struct pane_ops {
	void *(*create)(void);
	void (*destroy)(void *self);
	void (*draw)(app *a, void *self, rect r, bool focused);
	/* true when the pane used the action */
	bool (*key)(app *a, void *self, enum action act, rect r, request *rq);
	void (*click)(app *a, void *self, rect r, int y, int x, request *rq);
	void (*wheel)(app *a, void *self, rect r, int lines, request *rq);
	/* The next (dir 1) or previous (-1) search hit inside the pane;
	 * false when it has none to go to (it said so).  NULL: the list's
	 * next record does it. */
	bool (*next_hit)(app *a, void *self, int dir);
	/* The rows (its title included) the pane of width w wants for the
	 * record shown, at most most; NULL: no wish. */
	int (*rows_wanted)(app *a, void *self, int w, int most);
	/* Work done between keys, about ms milliseconds at a time; NULL:
	 * none. */
	bool (*pending)(const app *a, const void *self);
	void (*slice)(app *a, void *self, double ms);
} pane_ops;

extern const pane_ops list_pane, detail_pane, graph_pane;

/* An overlay: drawn over the panes, bottom first; on top, it takes every
 * key, and asks the loop for what it cannot do itself (closing, opening
 * another on top, showing a record).  destroy frees self. */
typedef struct overlay_ops {
	void (*draw)(app *a, void *self);
	void (*key)(app *a, void *self, const key_event *k, request *rq);
	void (*destroy)(void *self);
} overlay_ops;
/* The ops of pane p (its state: a->pane[p]). */
const pane_ops *app_pane_ops(enum pane_id p);

/* Show record rec in the detail and graph panes and select it in the list;
 * push adds a history entry (following a link), else the current entry is
 * replaced (moving in the list). */
void app_show(app *a, uint32_t rec, bool push);
/* Makes the search index of a KB in memory a slice at a time, off the
 * input path: started (search_start) after the first frame.  search_slice
 * does about ms milliseconds of it, or of counting a lazy KB's records for
 * the filter dialog (that first); false when there is nothing left to
 * do. */
void search_start(app *a);
bool search_slice(app *a, double ms);
/* A monotonic clock, in milliseconds, for slices of work between keys. */
double ui_now_ms(void);
/* Started and not done: a search answers from part of the KB. */
bool search_pending(const app *a);
/* search_slice has work to do. */
bool find_pending(const app *a);
/* The detail pane's rows are laid out as far as they are shown; between
 * keys, the rest of the record too, up to DETAIL_IDLE_ROWS rows (past
 * that, only as far as it is scrolled). */
enum { DETAIL_IDLE_ROWS = 100000 };
/* A lazy KB's search runs on a thread while keys are read: poll takes its
 * answer in when it has come (true then: the list is made again);
 * searching says one is asked for and not answered yet. */
bool find_poll(app *a);
bool find_searching(const app *a);
/* Record rec, its head at least (a lazy KB reads it now if need be). */
const kb_record *app_record(app *a, uint32_t rec);
/* What a match found for record rec (match --browse), or NULL: a record
 * reached otherwise (by a link, a search) was not matched. */
const doc_evidence *app_evidence(const app *a, uint32_t rec);
/* The record of this id, or KB_NONE. */
uint32_t app_find(app *a, const char *id);
/* A lazy KB's index failed: said so, and what is had is all. */
void app_index_failed(app *a);
/* An action's first key in force, by name ("-" when it has none): what
 * every hint says, so that a key moved in the config is named right. */
const char *first_key(enum action act, char buf[16]);
/* The pane's title row; returns the rect of its content. */
rect pane_frame(app *a, rect r, bool focused, const char *title, const char *info);
/* Move a cursor by an action over n items in a view of h rows; false if
 * the action is not a movement. */
bool move_cursor(enum action act, size_t *cur, size_t n, int h);
/* Keep cursor visible in a view of h rows starting at *top. */
void keep_visible(size_t cur, size_t *top, int h);


/* ui_copy.c: the copy picker, copying, opening the documentation. */
/* The picker on the record shown, in rq->open; false (said in a->msg)
 * when it has nothing to copy. */
bool copy_open(app *a, request *rq);
void copy_record(app *a);
/* o: the record's links (its documentation, sources, and its items'
 * sources): one is opened at once, more are offered in a picker (Enter
 * opens, y copies).  True when the picker opens. */
bool copy_open_links(app *a, request *rq);

/* ui_find.c: filters, the search prompt, the filter dialog. */
/* Recompute the list from base, filters and query, keeping the current
 * record selected when it is still there. */
void find_refresh(app *a);
/* Actions of finding: search, next/previous hit, filters, confidence;
 * the prompt and the filter dialog open in rq->open. */
bool find_action(app *a, enum action act, request *rq);
/* The status line's middle: active filters and query (static buffer). */
const char *find_summary(app *a);
/* Search for text (as if typed at the prompt). */
void find_set_query(app *a, const char *text);
/* Whether clean text, of the part where of a record, holds a word of the
 * search as draw_marked marks it (n and N go to such rows). */
bool find_row_has_term(app *a, const char *clean, enum search_where where);
/* Draw clean text, of the part where of a record, with the query's words
 * marked where the search counts them. */
int draw_marked(app *a, int y, int x, const char *clean, enum search_where where, int cols, int style);
void find_free(app *a);

#endif
