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
#include "query.h"
#include "search.h"
#include "strmap.h"

typedef struct rect {
	int y, x, h, w;
} rect;

enum pane_id { PANE_LIST, PANE_DETAIL, PANE_GRAPH, PANE_COUNT };

typedef struct app {
	kb *k;
	enum kb_lang lang;
	/* Lazy (a KB served by its index): k's records are slots
	 * (kbcache_slots), filled as they are shown (app_record); filters,
	 * their counts and search are answered by the index.  NULL: all
	 * whole. */
	struct kbcache *cache;
	struct kbheads *heads;

	uint32_t *order;           /* list rows: record indexes in display order */
	bool fixed_order;          /* given by the caller: not re-sorted */
	size_t norder, sel, list_top;
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
	bool ix_started;
	bool ix_failed;            /* search stopped: the index failed */
	double ix_refresh_at;      /* when the list last took in what ix gained */
	/* A lazy KB's searches run on a thread (searcher.h): the one asked
	 * for and not answered yet, and the last answer (unranked). */
	struct searcher *searcher;
	bool searching;
	char asked_q[256];
	struct kbcache_row *hits;
	size_t nhits;
	bool hits_have;
	char hits_q[256];
	uint32_t search_keep;      /* the record the list keeps as it is made again (KB_NONE: the best hit) */
	uint32_t search_shown;     /* and the one that making it left selected */
	uint32_t search_from;      /* a search typed: the record shown before it (KB_NONE: none) */

	enum prompt { PROMPT_NONE, PROMPT_SEARCH, PROMPT_CONF } prompt;
	char input[256];           /* what is typed at the prompt */
	size_t input_at;           /* the cursor in it, a byte offset */
	size_t qhist_at;           /* browsing the searches: state->searches[qhist_at - 1]; 0 not */
	char qhist_draft[256];     /* what was typed before browsing them */
	char saved_q[256];         /* to restore on Esc */
	uint32_t saved_rec;
	char prompt_err[160];

	bool filters_open;         /* the filter dialog */
	size_t filter_cur;

	struct pick {              /* the copy picker's rows */
		char *label;       /* a heading (not chosen), or NULL */
		char *text;        /* what would be copied, cleaned */
		bool dead_end;
		bool command;      /* it runs as it stands, else it is text to copy */
		bool section;      /* the heading of the texts */
	} *picks;
	size_t npicks, cappicks, pick_cur;      /* on a heading: on no row */
	bool picking;              /* the picker is open */
	const char *confirm;       /* the risk waiting for a yes, or NULL */
	bool pick_mode;            /* errkb pick: choosing prints and quits */
	char *picked;              /* what was chosen in pick mode */
	FILE *tty_out;             /* the terminal, for OSC 52 */
	uint32_t current;          /* the record in the detail and graph panes */

	doc doc;                   /* detail rows for doc_rec, doc_width, doc_lang */
	uint32_t doc_rec;
	int doc_width, doc_lang;
	size_t doc_top;

	graph graph;               /* graph around graph_rec */
	uint32_t graph_rec;
	size_t graph_sel;
	size_t graph_top[GC_COUNT];   /* the first node shown of each column of boxes */
	struct { rect at; size_t node; } graph_hits[64];   /* where nodes were drawn */
	size_t ngraph_hits;

	struct state *state;       /* what is remembered, or NULL */
	uint32_t *hist;            /* visited records, like a web browser */
	size_t nhist, hist_cap, hist_pos;

	enum pane_id focus, bottom;   /* bottom: detail or graph when stacked */
	bool zoom;                 /* the focused pane has the whole screen */
	rect r[PANE_COUNT];
	bool shown[PANE_COUNT];
	int rows, cols;
	bool too_small, help, quit;
	bool opening;              /* the KB is still being read (browse_opts) */
	char open_text[256];       /* how far it is */
	size_t help_top;           /* first action shown in the help */
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
/* The rows (its title included) the graph pane of width w wants for the
 * record shown, at most most: the box view's when it fits, else the
 * list's. */
int graph_rows_wanted(app *a, int w, int most);

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
 * keys, the rest of the record too, about ms milliseconds at a time, up
 * to DETAIL_IDLE_ROWS rows (past that, only as far as it is scrolled). */
enum { DETAIL_IDLE_ROWS = 100000 };
bool detail_pending(const app *a);
void detail_slice(app *a, double ms);
/* A lazy KB's search runs on a thread while keys are read: poll takes its
 * answer in when it has come (true then: the list is made again);
 * searching says one is asked for and not answered yet. */
bool find_poll(app *a);
bool find_searching(const app *a);
/* Record rec, its head at least (a lazy KB reads it now if need be). */
const kb_record *app_record(app *a, uint32_t rec);
/* The record of this id, or KB_NONE. */
uint32_t app_find(app *a, const char *id);
/* A lazy KB's index failed: said so, and what is had is all. */
void app_index_failed(app *a);
/* The pane's title row; returns the rect of its content. */
rect pane_frame(app *a, rect r, bool focused, const char *title, const char *info);
/* Move a cursor by an action over n items in a view of h rows; false if
 * the action is not a movement. */
bool move_cursor(enum action act, size_t *cur, size_t n, int h);
/* Keep cursor visible in a view of h rows starting at *top. */
void keep_visible(size_t cur, size_t *top, int h);

/* The browser over k; with o->order, the list holds just those records,
 * in that order (match results).  Keys come from o->in (stdin when NULL),
 * so that a pipe can feed the data while the user types at /dev/tty, and
 * the screen goes to o->out, so that errkb pick keeps stdout clean. */
typedef struct browse_opts {
	const uint32_t *order;     /* the list's records (match results), or NULL */
	size_t n;
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

/* ui_copy.c: the copy picker, copying, opening the documentation. */
void copy_open(app *a);
bool copy_key(app *a, int key, bool is_code);
void copy_draw(app *a);
void copy_record(app *a);
void copy_open_doc(app *a);
void copy_free(app *a);

/* ui_find.c: filters, the search prompt, the filter dialog. */
/* Recompute the list from base, filters and query, keeping the current
 * record selected when it is still there. */
void find_refresh(app *a);
/* Handle a key while a prompt or the filter dialog is open; false when
 * neither is.  alt: the key came with Alt (Esc before it). */
bool find_key(app *a, int key, bool is_code, bool alt, const char *utf8);
/* Actions of finding: search, next/previous hit, filters, confidence. */
bool find_action(app *a, enum action act);
void find_draw(app *a);
/* The status line's middle: active filters and query (static buffer). */
const char *find_summary(app *a);
/* Search for text (as if typed at the prompt). */
void find_set_query(app *a, const char *text);
/* Draw clean text with the query's words marked. */
int draw_marked(app *a, int y, int x, const char *clean, int cols, int style);
void find_free(app *a);

#endif
