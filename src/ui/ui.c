/* The browser's frame: terminal setup and restore, layout, the main loop,
 * status line and help.  Panes draw themselves (pane_*.c). */
#include <config.h>
#include "draw.h"
#include "fold.h"
#include "i18n.h"
#include "kbcache.h"
#include "query.h"
#include "state.h"
#include "textcell.h"
#include "ui.h"
#include "xalloc.h"

#include <curses.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <wchar.h>
#include <unicode/utf8.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

enum { MIN_COLS = 16, MIN_ROWS = 4, WIDE_COLS = 110, WIDE_ROWS = 20, DETAIL_MAX = 110,
       STACK_COLS = 60, STACK_ROWS = 16 };
/* How often the input loop looks for a search's answer while one runs,
 * and how far the KB is read while it is. */
enum { SEARCH_POLL_MS = 5, OPENING_POLL_MS = 100 };

static const pane_ops *const panes[PANE_COUNT] = { &list_pane, &detail_pane, &graph_pane };

const pane_ops *app_pane_ops(enum pane_id p)
{
	return panes[p];
}
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;      /* only a flag: curses work stays in the loop */
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

/* ---- shared by the panes ---- */

void keep_visible(size_t cur, size_t *top, int h)
{
	if (h < 1)
		h = 1;
	if (cur < *top)
		*top = cur;
	else if (cur >= *top + (size_t)h)
		*top = cur - (size_t)h + 1;
}

bool move_cursor(enum action act, size_t *cur, size_t n, int h)
{
	size_t page = h > 1 ? (size_t)h - 1 : 1;

	if (!n)
		return act == ACT_DOWN || act == ACT_UP || act == ACT_PAGE_DOWN ||
		       act == ACT_PAGE_UP || act == ACT_FIRST || act == ACT_LAST;
	switch (act) {
	case ACT_DOWN: *cur = *cur + 1 < n ? *cur + 1 : n - 1; return true;
	case ACT_UP: *cur = *cur ? *cur - 1 : 0; return true;
	case ACT_PAGE_DOWN: *cur = *cur + page < n ? *cur + page : n - 1; return true;
	case ACT_PAGE_UP: *cur = *cur > page ? *cur - page : 0; return true;
	case ACT_FIRST: *cur = 0; return true;
	case ACT_LAST: *cur = n - 1; return true;
	default: return false;
	}
}

rect pane_frame(app *a, rect r, bool focused, const char *title, const char *info)
{
	enum ui_style s = focused ? UI_TITLE_FOCUS : UI_TITLE;
	int used, iw = tc_width(info);

	(void)a;
	draw_fill(r.y, r.x, r.w, s);
	used = draw_text(r.y, r.x + 1, title, r.w - 1, s) + 1;
	if (iw && used + 2 + iw <= r.w)
		draw_text(r.y, r.x + r.w - iw - 1, info, iw, s);
	return (rect){ r.y + 1, r.x, r.h - 1, r.w };
}

void app_show(app *a, uint32_t rec, bool push)
{
	if (rec == KB_NONE)
		return;
	if (a->cache && kbcache_whole(a->cache, a->k, a->heads, rec) < 0) {
		snprintf(a->msg, sizeof a->msg, "%s",
			 _("This record could not be read from the index; "
			   "'errkb --no-cache' reads the sources."));
		if (!a->k->recs[rec].id)
			return;         /* not even its head: nothing to show */
	}
	if (push && a->nhist && a->hist[a->hist_pos] != rec) {
		a->nhist = a->hist_pos + 1;     /* drop the forward history */
		a->hist = xgrow(a->hist, &a->hist_cap, a->nhist + 1, sizeof *a->hist);
		a->hist[a->nhist++] = rec;
		a->hist_pos = a->nhist - 1;
	} else if (!a->nhist) {
		a->hist = xgrow(a->hist, &a->hist_cap, 1, sizeof *a->hist);
		a->hist[0] = rec;
		a->nhist = 1;
		a->hist_pos = 0;
	} else {
		a->hist[a->hist_pos] = rec;
	}
	/* Following a link opens both ends, as far as memory goes. */
	if (push && a->state) {
		if (a->current != KB_NONE)
			state_note_record(a->state, a->k->recs[a->current].id);
		state_note_record(a->state, a->k->recs[rec].id);
	}
	a->current = rec;
	for (size_t i = 0; i < a->norder; i++)
		if (a->order[i] == rec)
			a->sel = i;
}

static void history_step(app *a, int dir)
{
	if (dir < 0 && a->hist_pos > 0)
		a->hist_pos--;
	else if (dir > 0 && a->hist_pos + 1 < a->nhist)
		a->hist_pos++;
	else {
		snprintf(a->msg, sizeof a->msg, "%s", dir < 0 ? _("No earlier record.") : _("No later record."));
		return;
	}
	app_show(a, a->hist[a->hist_pos], false);
}

/* Start where the last run left off: the most recent record shown, the
 * others it remembers behind it in the history ([ goes back to them). */
static void resume(app *a, const state *st)
{
	size_t had = a->nhist;

	a->nhist = a->hist_pos = 0;
	for (size_t i = st->nrecent; i-- > 0; )
		app_show(a, app_find(a, st->recent[i]), true);
	if (!a->nhist)
		a->nhist = had;        /* none of them is in this KB */
}

/* The list's records in display order for the language: from the
 * index's sort keys when the KB is lazy, else sorted here. */
static void base_order(app *a)
{
	free(a->base);
	a->base = NULL;
	if (!a->cache) {
		a->nbase = kb_select(a->k, NULL, a->lang, &a->base);
		return;
	}
	a->nbase = a->k->nrecs;
	if (kbcache_order(a->cache, a->lang, a->heads, &a->base) != (size_t)-1)
		return;
	/* The index failed: the records in the order of their slots, each
	 * as far as it can be read. */
	a->base = xmalloc((a->nbase ? a->nbase : 1) * sizeof *a->base);
	for (size_t i = 0; i < a->nbase; i++)
		a->base[i] = (uint32_t)i;
	app_index_failed(a);
}

/* ---- records had a little at a time ---- */

void app_index_failed(app *a)
{
	snprintf(a->msg, sizeof a->msg, "%s",
		 _("The index could not be read; 'errkb --no-cache' reads the sources."));
}

const kb_record *app_record(app *a, uint32_t rec)
{
	/* A slot the index could not fill: shown as such, never as garbage. */
	static kb_record unreadable;

	if (a->cache && !a->heads->have[rec] && !kbcache_head(a->cache, a->k, a->heads, rec))
		app_index_failed(a);
	if (a->k->recs[rec].id)
		return &a->k->recs[rec];
	unreadable = (kb_record){ .id = "?", .domain = "", .category = "", .confidence = NAN,
				  .signature = { .en = _("(a record the index could not give)") } };
	return &unreadable;
}

const doc_evidence *app_evidence(const app *a, uint32_t rec)
{
	for (size_t i = 0; a->evidence && i < a->nmatched; i++)
		if (a->matched[i] == rec)
			return &a->evidence[i];
	return NULL;
}

uint32_t app_find(app *a, const char *id)
{
	if (a->cache)
		return kbcache_find(a->cache, a->k, a->heads, id);
	return strmap_get(&a->k->ids, id);
}

/* Sort the list for the language, keeping the selected record.  Match
 * results keep their rank order. */
static void reorder(app *a)
{
	if (a->fixed_order)
		return;
	base_order(a);
	find_refresh(a);
}

/* ---- the terminal ---- */

bool browse_terminal_ok(int in_fd, int out_fd)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(out_fd) || !isatty(in_fd)) {
		fprintf(stderr, _("%s: the browser needs a terminal; for output to a pipe or file "
				  "use '%s list' or '%s show ID'\n"), PACKAGE, PACKAGE, PACKAGE);
		return false;
	}
	if (!term || !*term || !strcmp(term, "dumb")) {
		fprintf(stderr, _("%s: TERM is '%s', which cannot draw the browser; set TERM to "
				  "your terminal's type, or use '%s list'\n"), PACKAGE,
			term ? term : "", PACKAGE);
		return false;
	}
	if (setupterm(NULL, out_fd, &err) != OK) {
		fprintf(stderr, _("%s: unknown terminal type '%s' (no terminfo entry); "
				  "install ncurses-term or set TERM to a known type\n"), PACKAGE, term);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

/* ---- layout ---- */

static void layout(app *a)
{
	int h;

	getmaxyx(stdscr, a->rows, a->cols);
	memset(a->shown, 0, sizeof a->shown);
	a->too_small = a->cols < MIN_COLS || a->rows < MIN_ROWS;
	if (a->too_small)
		return;
	h = a->rows - 1;    /* the status line */
	if (a->zoom) {
		a->r[a->focus] = (rect){ 0, 0, h, a->cols };
		a->shown[a->focus] = true;
	} else if (a->cols >= WIDE_COLS && a->rows >= WIDE_ROWS) {
		/* Two fifths for the list; on a terminal wider than 185,
		 * what the detail does not need to stay readable (110
		 * columns): the signatures get it. */
		int lw = a->cols * 2 / 5, dh = h * 3 / 5;

		if (a->cols - lw - 1 > DETAIL_MAX)
			lw = a->cols - 1 - DETAIL_MAX;

		a->r[PANE_LIST] = (rect){ 0, 0, h, lw };
		a->r[PANE_DETAIL] = (rect){ 0, lw + 1, dh, a->cols - lw - 1 };
		a->r[PANE_GRAPH] = (rect){ dh, lw + 1, h - dh, a->cols - lw - 1 };
		a->shown[PANE_LIST] = a->shown[PANE_DETAIL] = a->shown[PANE_GRAPH] = true;
	} else if (a->cols >= STACK_COLS && a->rows >= STACK_ROWS) {
		int lh = h * 2 / 5;

		if (a->focus != PANE_LIST)
			a->bottom = a->focus;
		a->r[PANE_LIST] = (rect){ 0, 0, lh, a->cols };
		a->r[a->bottom] = (rect){ lh, 0, h - lh, a->cols };
		a->shown[PANE_LIST] = a->shown[a->bottom] = true;
	} else {
		a->r[a->focus] = (rect){ 0, 0, h, a->cols };
		a->shown[a->focus] = true;
	}
}

const char *first_key(enum action act, char buf[16])
{
	const int *k = action_keys(act);

	return k[0] ? action_key_name(k[0], buf, 16) : "-";
}

/* Under the actions: the search prompt's own keys (they are not actions:
 * the prompt takes every key while it is open), and what the graph's
 * marks say.  An entry without keys is a heading. */
static const struct { const char *keys, *help; } help_more[] = {
	{ NULL, N_("At the search prompt:") },
	{ "\u2190 \u2192, Home, End", N_("move in the search text") },
	{ "C-w, Alt-Backspace", N_("delete the word before the cursor") },
	{ "C-u, C-k", N_("delete before, after the cursor") },
	{ "Up Down", N_("earlier searches") },
	{ NULL, N_("In the graph:") },
	{ "p=0.35", N_("how often it is followed, 0 to 1") },
	{ "minutes", N_("the typical delay before it") },
	{ "\u21c4", N_("linked both ways") },
	{ "\u21bb self", N_("the record leads to itself") },
	{ "\u2191 2 more", N_("nodes above, below, beside: move to them") },
};
enum { NHELP_MORE = sizeof help_more / sizeof *help_more, HELP_LINES = ACT_COUNT + 1 + NHELP_MORE };

/* The help's own state: the first line shown. */
typedef struct help {
	size_t top;
} help;

static void help_draw(app *a, void *self)
{
	help *hp = self;
	int w = a->cols < 64 ? a->cols : 64, h = HELP_LINES + 2, y, x;
	char keys[64];

	if (h > a->rows - 1)
		h = a->rows - 1;
	y = (a->rows - 1 - h) / 2;
	x = (a->cols - w) / 2;
	{
		char close[16], quit_key[16], down[16], up[16], title[160];

		/* The keys in force, as the config may have moved them. */
		snprintf(title, sizeof title, _("errkb keys (%s or %s closes, %s/%s scroll)"),
			 first_key(ACT_HELP, close), first_key(ACT_QUIT, quit_key),
			 first_key(ACT_DOWN, down), first_key(ACT_UP, up));
		draw_frame(y, x, h, w, title, UI_STATUS);
	}
	/* Inside the frame, h - 2 rows. */
	if (hp->top + (size_t)(h - 2) > HELP_LINES)
		hp->top = HELP_LINES > h - 2 ? (size_t)(HELP_LINES - (h - 2)) : 0;
	for (int row = 0, i = (int)hp->top; i < HELP_LINES && row < h - 2; i++, row++) {
		if (i < ACT_COUNT) {
			action_key_list((enum action)i, keys, sizeof keys, ", ");
			draw_text(y + 1 + row, x + 2, keys, 20, UI_STATUS);
			draw_text(y + 1 + row, x + 22, _(actions[i].help), w - 24, UI_STATUS);
		} else if (i > ACT_COUNT) {
			int k = i - ACT_COUNT - 1;

			if (!help_more[k].keys) {
				draw_text(y + 1 + row, x + 2, _(help_more[k].help), w - 4, UI_STATUS);
				continue;
			}
			draw_text(y + 1 + row, x + 2, help_more[k].keys, 20, UI_STATUS);
			draw_text(y + 1 + row, x + 22, _(help_more[k].help), w - 24, UI_STATUS);
		}
	}
}

/* Scrolled by the actions in force; closed by help, quit or Esc. */
static void help_key(app *a, void *self, const key_event *k, request *rq)
{
	help *hp = self;

	(void)a;
	if (k->alt)
		return;
	if (k->act == ACT_HELP || k->act == ACT_QUIT || (!k->is_code && k->key == 27))
		rq->close = 1;
	else if (k->act == ACT_DOWN || k->act == ACT_PAGE_DOWN)
		hp->top++;
	else if ((k->act == ACT_UP || k->act == ACT_PAGE_UP) && hp->top)
		hp->top--;
}

static void help_destroy(void *self)
{
	free(self);
}

static const overlay_ops help_ops = {
	.draw = help_draw,
	.key = help_key,
	.destroy = help_destroy,
};

static void draw_status(app *a)
{
	char left[1024], hint[128], help_key_name[16], lang[16], quit_key[16];
	int y = a->rows - 1, hw;
	const char *filters = find_summary(a);

	snprintf(hint, sizeof hint, _("%s:help  %s:中文/EN  %s:quit"), first_key(ACT_HELP, help_key_name),
		 first_key(ACT_LANG, lang), first_key(ACT_QUIT, quit_key));
	char progress[300] = "";

	/* A search answers from what is indexed so far: say how far. */
	if (a->opening)
		snprintf(progress, sizeof progress, "  %s", a->open_text);
	else if (search_pending(a) && !query_empty(&a->q))
		snprintf(progress, sizeof progress, _("  indexing for search: %zu of %zu records"),
			 a->ix.built, a->ix.n);
	else if (find_searching(a))
		snprintf(progress, sizeof progress, "  %s", _("searching..."));
	/* And that it stopped, as long as it matters. */
	else if (a->ix_failed && !query_empty(&a->q))
		snprintf(progress, sizeof progress, "  %s",
			 _("search stopped: the index could not be read (--no-cache)"));
	/* What gives way when the line is short: the key hints first (?
	 * shows them), then the filters and search (cut), then the message
	 * and progress (cut at the end); the record's id last. */
	{
		const char *lang_name = a->lang == KB_ZH ? "中文" : "EN";
		char *f = tc_clean(filters), *tail, *clean;
		int fw, rw, room;
		bool hints;

		if (asprintf(&tail, "%s%s%s%s", a->current != KB_NONE ? a->k->recs[a->current].id : "",
			     progress, a->msg[0] ? "  " : "", a->msg) < 0)
			die("out of memory");
		clean = tc_clean(tail);
		rw = 2 + tc_width(lang_name) + 1 + tc_width(clean);     /* " EN " and " " before the tail */
		free(clean);
		fw = f[0] ? tc_width(f) + 2 : 0;
		hw = tc_width(hint);
		hints = rw + fw + hw + 2 <= a->cols;
		room = a->cols - rw - 2;       /* for the filters, once the rest has its room */
		if (!hints && f[0] && fw > room) {
			if (room >= 8) {
				char *cut = tc_cut(f, room - 2);

				free(f);
				f = cut;
			} else {
				f[0] = '\0';        /* the id and the message come first */
			}
		}
		snprintf(left, sizeof left, " %s %s%s %s", lang_name, f, f[0] ? "  " : "", tail);
		draw_fill(y, 0, a->cols, UI_STATUS);
		if (hints) {
			draw_untrusted(y, 0, left, a->cols - hw - 2, UI_STATUS);
			draw_text(y, a->cols - hw - 1, hint, hw, UI_STATUS);
		} else {
			draw_untrusted(y, 0, left, a->cols, UI_STATUS);
		}
		free(tail);
		free(f);
	}
}

/* With the detail above the graph, the graph gets the rows it wants for
 * the record shown (at most a third of them, three fifths when it has
 * the focus), the detail the rest: what to do first is on screen. */
static void split(app *a)
{
	rect *d = &a->r[PANE_DETAIL], *g = &a->r[PANE_GRAPH];
	int h, gh, most;

	if (!a->shown[PANE_DETAIL] || !a->shown[PANE_GRAPH] || d->x != g->x)
		return;
	h = d->h + g->h;
	most = a->focus == PANE_GRAPH ? h * 3 / 5 : h / 3;
	if (most < 3)
		most = 3;
	gh = panes[PANE_GRAPH]->rows_wanted(a, a->pane[PANE_GRAPH], g->w, most);
	if (gh < 2)
		gh = 2;
	d->h = h - gh;
	g->y = d->y + d->h;
	g->h = gh;
}

static void draw_all(app *a)
{
	erase();
	if (a->too_small) {
		if (a->rows > 0)
			draw_text(0, 0, _("terminal too small"), a->cols, UI_NORMAL);
		refresh();
		return;
	}
	split(a);
	for (int p = 0; p < PANE_COUNT; p++)
		if (a->shown[p])
			panes[p]->draw(a, a->pane[p], a->r[p], a->focus == (enum pane_id)p);
	/* The border between the list and the panes right of it. */
	if (a->shown[PANE_LIST] && a->r[PANE_LIST].w < a->cols) {
		attrset(draw_attr(UI_BORDER));
		mvvline(0, a->r[PANE_LIST].w, ACS_VLINE, a->rows - 1);
		attrset(A_NORMAL);
	}
	draw_status(a);
	curs_set(0);
	for (size_t i = 0; i < a->nlayers; i++)
		a->layers[i].ops->draw(a, a->layers[i].self);
	refresh();
}

/* ---- input ---- */

/* get_wch, with the UTF-8 decoded here: ncurses' get_wch, given a byte
 * that starts no character (a stray 0xFF, a cut sequence), goes on
 * reading to complete it, and the keys typed in the next second are lost,
 * q among them.  Here a broken sequence costs only itself: the byte that
 * broke it is read again as the start of a key.  OK with a character,
 * KEY_CODE_YES with a key code, ERR when no key came in delay ms. */
static int read_key(wint_t *out, int delay, bool *alt)
{
	char seq[U8_MAX_LENGTH];
	int n = 0, need = 0, ch;

	*alt = false;
	for (;;) {
		/* The rest of a character is on its way: wait for it. */
		timeout(need ? 100 : delay);
		ch = getch();
		if (ch == ERR)
			return ERR;          /* a sequence cut short is dropped */
		if (ch > 0xFF || ch < 0) {
			*out = (wint_t)ch;
			return KEY_CODE_YES;
		}
		if (need && U8_IS_TRAIL(ch)) {
			int32_t i = 0;
			UChar32 c;

			seq[n++] = (char)ch;
			if (n < need)
				continue;
			/* ICU says what is a character: no overlong form,
			 * surrogate or code point past U+10FFFF. */
			U8_NEXT(seq, i, n, c);
			need = 0;
			if (c < 0 || i != n)
				continue;
			*out = (wint_t)c;
			return OK;
		}
		/* Not the continuation wanted: whatever came before is lost,
		 * this byte starts afresh. */
		need = 0;
		if (ch == 27) {
			/* Esc with a key right behind it (ncurses has waited
			 * ESCDELAY for a sequence it knows): that key with Alt,
			 * as terminals send it.  Esc alone is Esc. */
			timeout(0);
			ch = getch();
			if (ch == ERR) {
				*out = 27;
				return OK;
			}
			if (ch == '[' || ch == 'O') {
				/* A sequence the terminal description does not
				 * name (CSI or SS3): dropped whole, not typed. */
				int lead = ch;

				timeout(25);
				while ((ch = getch()) != ERR && lead == '[' && !(ch >= 0x40 && ch <= 0x7E))
					;
				continue;
			}
			/* Only the Alt keys the prompt takes; else Esc, then
			 * the key on its own ("\033f": close, then the filter
			 * dialog), as before. */
			if (ch == 127 || ch == 8 || ch == KEY_BACKSPACE || ch == 'b' || ch == 'f') {
				*alt = true;
				*out = (wint_t)ch;
				return ch > 0xFF ? KEY_CODE_YES : OK;
			}
			ungetch(ch);
			*out = 27;
			return OK;
		}
		if (ch < 0x80) {
			*out = (wint_t)ch;
			return OK;
		}
		if (U8_IS_LEAD(ch)) {
			seq[0] = (char)ch;
			n = 1;
			need = 1 + U8_COUNT_TRAIL_BYTES(ch);
		}
		/* else a byte that starts nothing: dropped */
	}
}

/* An ERR from read_key is a timeout, or the terminal gone (end of file,
 * hang-up) when no SIGHUP told us: then there is no one left to type. */
static bool input_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void next_pane(app *a, int dir)
{
	a->focus = (enum pane_id)(((int)a->focus + dir + PANE_COUNT) % PANE_COUNT);
	if (a->focus != PANE_LIST)
		a->bottom = a->focus;
}

static int pane_at(app *a, int y, int x)
{
	for (int p = 0; p < PANE_COUNT; p++) {
		rect r = a->r[p];

		if (a->shown[p] && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w)
			return p;
	}
	return -1;
}

/* Work the panes do between keys (the rest of a long record). */
static bool panes_pending(const app *a)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (panes[p]->pending && panes[p]->pending(a, a->pane[p]))
			return true;
	return false;
}

static void panes_slice(app *a, double ms)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (panes[p]->pending && panes[p]->pending(a, a->pane[p]))
			panes[p]->slice(a, a->pane[p], ms);
}

/* What a pane or an overlay asked for, done: overlays closed, one
 * opened, the record shown, the focus. */
static void carry_out(app *a, const request *rq)
{
	for (int i = 0; i < rq->close && a->nlayers; i++) {
		layer *o = &a->layers[--a->nlayers];

		o->ops->destroy(o->self);
	}
	if (rq->open.ops) {
		if (a->nlayers < OVERLAYS_MAX)
			a->layers[a->nlayers++] = rq->open;
		else
			rq->open.ops->destroy(rq->open.self);
	}
	if (rq->show != KB_NONE)
		app_show(a, rq->show, rq->push);
	if (rq->focus >= 0) {
		a->focus = (enum pane_id)rq->focus;
		if (a->focus != PANE_LIST)
			a->bottom = a->focus;
	}
}

static void mouse(app *a)
{
	request rq = NO_REQUEST;
	MEVENT ev;
	int p;

	if (getmouse(&ev) != OK || (p = pane_at(a, ev.y, ev.x)) < 0)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		panes[p]->wheel(a, a->pane[p], a->r[p], -3, &rq);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		panes[p]->wheel(a, a->pane[p], a->r[p], 3, &rq);
	} else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		a->focus = (enum pane_id)p;
		panes[p]->click(a, a->pane[p], a->r[p], ev.y - a->r[p].y, ev.x - a->r[p].x, &rq);
	}
	carry_out(a, &rq);
}

static void handle(app *a, int ch, bool is_code, bool alt, const char *utf8)
{
	key_event k = { .key = ch, .is_code = is_code, .alt = alt, .utf8 = utf8,
			.act = is_code || ch < 128 ? action_for_key(ch) : ACT_NONE };
	request rq = NO_REQUEST;

	a->msg[0] = '\0';
	/* The overlay on top takes every key. */
	if (a->nlayers) {
		layer *top = &a->layers[a->nlayers - 1];

		top->ops->key(a, top->self, &k, &rq);
		carry_out(a, &rq);
		return;
	}
	if (alt)
		return;            /* no action is bound to an Alt key */
	switch (k.act) {
	case ACT_QUIT: a->quit = true; return;
	case ACT_HELP:
		rq.open = (layer){ &help_ops, xcalloc(1, sizeof(help)) };
		break;
	case ACT_LANG:
		/* Record text and interface text together. */
		a->lang = a->lang == KB_ZH ? KB_EN : KB_ZH;
		i18n_set_lang(a->lang);
		reorder(a);
		return;
	case ACT_NEXT_PANE: next_pane(a, 1); return;
	case ACT_PREV_PANE: next_pane(a, -1); return;
	case ACT_BACK: history_step(a, -1); return;
	case ACT_FORWARD: history_step(a, 1); return;
	case ACT_REDRAW: clearok(curscr, TRUE); return;
	case ACT_ZOOM: a->zoom = !a->zoom; return;     /* layout() follows */
	case ACT_COPY: copy_open(a, &rq); break;
	case ACT_COPY_RECORD: copy_record(a); return;
	case ACT_OPEN_DOC: copy_open_links(a, &rq); break;
	case ACT_ENTER:
		/* errkb pick: Enter on a record goes straight to its commands. */
		if (a->pick_mode && a->focus == PANE_LIST) {
			copy_open(a, &rq);
			break;
		}
		/* fall through */
	default:
		if (find_action(a, k.act, &rq))
			break;
		if (k.act != ACT_NONE && a->shown[a->focus] && !a->too_small)
			panes[a->focus]->key(a, a->pane[a->focus], k.act, a->r[a->focus], &rq);
		break;
	}
	carry_out(a, &rq);
}

/* The KB is ready: its list, the record to start on, the search asked
 * for (or typed while the KB was read). */
static void kb_ready(app *a, const browse_opts *o)
{
	const uint32_t *order = o->order;
	size_t n = o->n;
	char typed[sizeof a->qtext];

	snprintf(typed, sizeof typed, "%s", a->qtext);

	/* A search typed while the KB was read searched nothing: it is
	 * made anew over the KB. */
	search_index_free(&a->ix);
	a->ix_started = false;
	if (order) {
		a->base = xmalloc((n ? n : 1) * sizeof *a->base);
		memcpy(a->base, order, n * sizeof *order);
		a->nbase = n;
		a->fixed_order = true;
	} else {
		base_order(a);
	}
	if (a->nbase)
		app_show(a, a->base[0], false);
	if (o->state && !order && !(o->query && *o->query) && !typed[0]) {
		/* Going back to the records of last time notes nothing. */
		struct state *st = a->state;

		a->state = NULL;
		resume(a, o->state);
		a->state = st;
	}
	find_refresh(a);
	if (typed[0])
		find_set_query(a, typed);
	else if (o->query && *o->query)
		find_set_query(a, o->query);
	if (a->k->skipped)
		snprintf(a->msg, sizeof a->msg, ngettext("%zu record skipped: 'errkb check' tells more",
							 "%zu records skipped: 'errkb check' tells more",
							 a->k->skipped), a->k->skipped);
}

/* While the KB is read (into k, on another thread: meanwhile the browser
 * shows an empty KB of its own): how far it is, and k once it is ready. */
static void opening_poll(app *a, const browse_opts *o, kb *k)
{
	struct kbcache *c = NULL;

	if (!a->opening || !o->opening(o->opening_ctx, a->open_text, sizeof a->open_text, &c))
		return;
	a->opening = false;
	a->k = k;
	a->cache = c;
	kb_ready(a, o);
	layout(a);
}

int browse(kb *k, enum kb_lang lang, const browse_opts *o)
{
	app a = { .k = k, .lang = lang, .current = KB_NONE, .search_from = KB_NONE,
		  .focus = PANE_LIST, .bottom = PANE_DETAIL,
		  .cache = o->cache, .heads = o->heads, .opening = o->opening != NULL,
		  .matched = o->order, .evidence = o->evidence, .nmatched = o->n };
	struct sigaction sa = { .sa_handler = on_signal };
	SCREEN *screen;
	bool colors;
	int in_fd;
	kb blank;

	a.state = o->state;
	for (int p = 0; p < PANE_COUNT; p++)
		a.pane[p] = panes[p]->create();
	i18n_set_lang(lang);
	kb_init(&blank);
	if (a.opening) {
		/* Nothing to show yet but how far the KB is read (the loop
		 * asks, once the screen is up). */
		a.k = &blank;
		a.cache = NULL;
	} else {
		kb_ready(&a, o);
	}

	/* No SA_RESTART: a signal interrupts getch, and the loop sees it. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	die_hook = restore_terminal;

	a.pick_mode = o->pick;
	a.tty_out = o->out ? o->out : stdout;
	in_fd = fileno(o->in ? o->in : stdin);
	screen = newterm(NULL, a.tty_out, o->in ? o->in : stdin);
	if (!screen)
		die("%s", _("cannot start the terminal interface"));
	set_term(screen);
	cbreak();          /* not raw: Ctrl-C and Ctrl-Z stay signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	if (!o->no_mouse) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	colors = has_colors() && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	draw_init(colors, o->theme);
	layout(&a);

	while (!a.quit && !caught) {
		char utf8[MB_LEN_MAX + 1] = "";
		mbstate_t mb = { 0 };
		wint_t wch;
		bool alt;
		int got;

		/* The KB read meanwhile, a lazy KB's search answered: the
		 * browser takes them. */
		opening_poll(&a, o, k);
		find_poll(&a);
		draw_all(&a);
		/* The search index of a KB in memory is made once the first
		 * frame is up, while the user reads it, a slice between keys:
		 * no key waits for it.  A lazy KB is searched by its index, on
		 * a thread. */
		search_start(&a);
		/* Wide input, so that Chinese can be typed at the prompt; a
		 * timeout now and then, to notice a signal, at once while
		 * there is work to do between keys, and soon while a search
		 * runs on its thread. */
		got = read_key(&wch, find_pending(&a) || panes_pending(&a) ? 0 :
				     find_searching(&a) ? SEARCH_POLL_MS : a.opening ? OPENING_POLL_MS : 1000, &alt);
		if (got == ERR) {
			if (input_gone(in_fd))
				break;
			/* The search index of a KB in memory, or the filter
			 * dialog's counts, first; the rest of a long record
			 * last. */
			if (!search_slice(&a, 15))
				panes_slice(&a, 15);
			continue;
		}
		if (got == KEY_CODE_YES && wch == KEY_RESIZE) {
			layout(&a);
		} else if (got == KEY_CODE_YES && wch == KEY_MOUSE) {
			mouse(&a);
		} else {
			if (got != KEY_CODE_YES) {
				size_t nb = wcrtomb(utf8, (wchar_t)wch, &mb);

				utf8[nb == (size_t)-1 ? 0 : nb] = 0;
			}
			handle(&a, (int)wch, got == KEY_CODE_YES, alt, utf8);
		}
		layout(&a);
	}
	restore_terminal();
	delscreen(screen);
	die_hook = NULL;
	for (int p = 0; p < PANE_COUNT; p++)
		panes[p]->destroy(a.pane[p]);
	while (a.nlayers) {
		layer *top = &a.layers[--a.nlayers];

		top->ops->destroy(top->self);
	}
	find_free(&a);
	if (o->picked)
		*o->picked = a.picked;
	else
		free(a.picked);
	if (a.state) {
		a.state->lang = (int)a.lang;
		if (a.current != KB_NONE)
			state_note_record(a.state, a.k->recs[a.current].id);
	}
	free(a.order);
	free(a.hist);
	kb_free(&blank);
	return (int)caught;
}
