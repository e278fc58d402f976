/* The transition graph: predecessors on the left, the record in the middle,
 * what it leads to on the right, what it is confused with below, each
 * under its heading; under them, where Enter goes, in words.  Where the
 * boxes would be too narrow or too few to show every node, the same nodes
 * as an indented list. */
#include <config.h>
#include "draw.h"
#include "graph_layout.h"
#include "i18n.h"
#include "textcell.h"
#include "ui.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Boxes: GAP columns between two, BOX_H rows each (a label of two lines
 * between borders), never narrower than BOX_MIN (a box of 14 columns
 * showed ten characters of a signature: the list reads better), nor
 * wider than BOX_MAX.  Under the graph, SEL_H rows say where Enter goes:
 * the relation, the id and the link in words, then the signature. */
enum { GAP = 5, BOX_H = 4, BOX_MIN = 22, BOX_MAX = 48, SEL_H = 3 };

/* The pane's own state: the graph around rec, the node selected, the
 * first node shown of each column of boxes, where nodes were drawn (for
 * the mouse). */
typedef struct gpane {
	graph graph;
	uint32_t rec;
	size_t sel;
	size_t top[GC_COUNT];
	struct { rect at; size_t node; } hits[64];
	size_t nhits;
} gpane;

static void *graph_create(void)
{
	gpane *gp = xcalloc(1, sizeof *gp);

	gp->rec = KB_NONE;
	return gp;
}

static void graph_destroy(void *self)
{
	gpane *gp = self;

	graph_free(&gp->graph);
	free(gp);
}

static const char *const col_heads[GC_COUNT] = {
	N_("◀ preceded by"), N_("● this record"), N_("▶ leads to"), N_("≈ confused with"),
};

static void refresh_graph(app *a, gpane *gp)
{
	if (gp->graph.n && gp->rec == a->current)
		return;
	graph_build(&gp->graph, a->k, a->current);
	gp->rec = a->current;
	gp->sel = gp->graph.first[GC_CENTER];
	memset(gp->top, 0, sizeof gp->top);
}

static size_t col_count(const graph *g, enum gcol c)
{
	return g->first[c + 1] - g->first[c];
}

/* The first of the vis nodes of column col that are shown: where it was,
 * moved as little as keeps the selected node in view. */
static size_t column_top(gpane *gp, enum gcol col, size_t vis)
{
	const graph *g = &gp->graph;
	size_t cnt = col_count(g, col), top = gp->top[col];

	if (vis && gp->sel >= g->first[col] && gp->sel < g->first[col + 1]) {
		size_t i = gp->sel - g->first[col];

		if (i < top)
			top = i;
		else if (i >= top + vis)
			top = i - vis + 1;
	}
	if (top + vis > cnt)
		top = cnt > vis ? cnt - vis : 0;
	gp->top[col] = top;
	return top;
}

/* How many nodes a clipped column hides on one side: "↑ 2 more", or "↑2"
 * where that does not fit in cols. */
static void more_mark(char *buf, size_t len, const char *arrow, size_t n, int cols)
{
	char count[48];

	snprintf(count, sizeof count, _("%zu more"), n);
	snprintf(buf, len, "%s %s", arrow, count);
	if (tc_width(buf) > cols)
		snprintf(buf, len, "%s%zu", arrow, n);
	if (tc_width(buf) > cols)
		buf[0] = '\0';
}

/* A node's label, cleaned (malloc'd): its signature in the language
 * shown, or the id of a record the KB does not hold, its lines joined. */
static char *node_label(app *a, const gnode *n)
{
	char *raw, *clean;

	if (n->rec != KB_NONE) {
		clean = tc_clean(kb_text_get(&app_record(a, n->rec)->signature, a->lang, NULL));
	} else {
		if (asprintf(&raw, "%s %s", _("missing:"), n->id) < 0)
			die("out of memory");
		clean = tc_clean(raw);
		free(raw);
	}
	/* One line of text, however the signature was written. */
	for (char *p = clean; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return clean;
}

/* A link's typical delay in the language shown: the usual words of the
 * KB translated, other text as it is, marked [EN] when Chinese falls
 * back to English. */
static void delay_words(app *a, const kb_text *t, char *buf, size_t len)
{
	static const char *const known[] = {
		N_("immediate"), N_("immediately"), N_("seconds"), N_("minutes"), N_("hours"),
		N_("days"), N_("weeks"), N_("seconds to minutes"), N_("minutes to hours"), NULL,
	};
	bool fallback = false;
	const char *s = kb_text_get(t, a->lang, &fallback);

	for (size_t i = 0; known[i]; i++)
		if (!strcmp(s, known[i])) {
			snprintf(buf, len, "%s", _(known[i]));
			return;
		}
	snprintf(buf, len, "%s%s", fallback && a->lang == KB_ZH ? "[EN] " : "", s);
}

/* What stands on the edge, in short (the help explains it): both ways,
 * probability, delay. */
static void edge_label(app *a, const gnode *n, char *buf, size_t len)
{
	const kb_link *l = n->link;

	buf[0] = '\0';
	if (n->both_ways)
		snprintf(buf, len, "⇄ ");
	if (!l)
		return;
	if (!isnan(l->probability))
		snprintf(buf + strlen(buf), len - strlen(buf), "p=%.2f ", l->probability);
	if (l->typical_delay.en) {
		char delay[128];

		delay_words(a, &l->typical_delay, delay, sizeof delay);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s ", delay);
	}
}

/* Remember where node ix stands on the screen, for the mouse. */
static void hit_area(gpane *gp, size_t ix, int y, int x, int h, int w)
{
	if (gp->nhits < sizeof gp->hits / sizeof *gp->hits) {
		gp->hits[gp->nhits].at = (rect){ y, x, h, w };
		gp->hits[gp->nhits++].node = ix;
	}
}

/* Clean text on up to two lines of cols, broken where wrapping breaks
 * (between words), the second ending in … when there is more.  Returns
 * the lines (0 to 2) in line[], each a malloc'd string. */
static int two_lines(const char *clean, int cols, char *line[2])
{
	tc_span *sp = NULL;
	size_t n = cols > 1 ? tc_wrap_max(clean, cols, 3, &sp) : 0;
	int out = 0;

	for (size_t i = 0; i < n && i < 2; i++) {
		const tc_span *s = &sp[i];

		if (i == 1 && n > 2) {
			/* More follows: the second line makes room for "…",
			 * dropping its last word when it has to, or filling
			 * up with the next word's start when that word broke
			 * the line before half of it. */
			size_t len = s->len;
			int w = s->width;

			if (w + 1 > cols || 2 * (w + 1) < cols) {
				size_t cut = tc_fit(clean + s->off, strlen(clean + s->off), cols - 1, &w);

				len = cut;
				for (size_t j = cut; j > 0 && 2 * j > cut; j--)
					if (clean[s->off + j - 1] == ' ') {
						len = j;
						break;
					}
			}
			while (len && clean[s->off + len - 1] == ' ')
				len--;
			if (asprintf(&line[out++], "%.*s…", (int)len, clean + s->off) < 0)
				die("out of memory");
		} else {
			size_t len = s->len;

			while (len && clean[s->off + len - 1] == ' ')
				len--;
			line[out++] = xstrndup(clean + s->off, len);
		}
	}
	free(sp);
	return out;
}

/* A node as a box of BOX_H rows: its label on two lines inside, the edge
 * label on the bottom border; top and bottom (or NULL): marks at the
 * right end of the top and bottom borders (what a clipped column hides). */
static void draw_box(app *a, gpane *gp, const gnode *n, int y, int x, int w, bool sel, bool center,
		     const char *top, const char *bottom)
{
	int room = w - 4;
	enum ui_style border = sel ? UI_SEL : center ? UI_TITLE_FOCUS : UI_BORDER;
	enum ui_style inside = sel ? UI_SEL : n->rec == KB_NONE ? UI_DIM : center ? UI_ID : UI_NORMAL;
	char edge[128], *label, *line[2];
	int nl;

	if (w < 4)
		return;
	hit_area(gp, (size_t)(n - gp->graph.nodes), y, x, BOX_H, w);
	draw_border(y, x, BOX_H, w, border);
	label = node_label(a, n);
	nl = two_lines(label, w - 2, line);
	free(label);
	for (int r = 0; r < BOX_H - 2; r++) {
		draw_fill(y + 1 + r, x + 1, w - 2, inside);
		if (r < nl) {
			draw_text(y + 1 + r, x + 1, line[r], w - 2, inside);
			free(line[r]);
		}
	}
	if (top && top[0])
		draw_text(y, x + w - 2 - tc_width(top), top, tc_width(top), UI_DIM);
	if (bottom && bottom[0]) {
		room -= tc_width(bottom) + 1;
		draw_text(y + BOX_H - 1, x + w - 2 - tc_width(bottom), bottom, tc_width(bottom), UI_DIM);
	}
	edge_label(a, n, edge, sizeof edge);
	if (center && gp->graph.self_loop)
		snprintf(edge, sizeof edge, "↻ %s", _("self"));
	if (edge[0] && room > 0)
		draw_untrusted(y + BOX_H - 1, x + 2, edge, room, border);
}

/* Connect a column of boxes to the center box: a line from each, joined
 * by a vertical bar in the gap, then one arrow into the target. */
static void connect(const int *ys, size_t n, int yc, int gx, bool into_center)
{
	int top = yc, bottom = yc, bar = gx + 2;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		top = ys[i] < top ? ys[i] : top;
		bottom = ys[i] > bottom ? ys[i] : bottom;
	}
	for (int y = top; y <= bottom; y++)
		draw_glyph(y, bar, "│", UI_BORDER);
	for (size_t i = 0; i < n; i++) {
		int side = into_center ? gx : bar + 1;

		draw_glyph(ys[i], side, "─", UI_BORDER);
		draw_glyph(ys[i], side + 1, "─", UI_BORDER);
		draw_glyph(ys[i], bar, ys[i] == top && ys[i] != bottom ? (into_center ? "┐" : "┌")
			 : ys[i] == bottom && ys[i] != top ? (into_center ? "┘" : "└")
			 : into_center ? "┤" : "├", UI_BORDER);
		if (!into_center)
			draw_glyph(ys[i], gx + GAP - 1, "▶", UI_BORDER);
	}
	if (into_center) {
		draw_glyph(yc, bar, top == bottom ? "─" : "├", UI_BORDER);
		draw_glyph(yc, bar + 1, "─", UI_BORDER);
		draw_glyph(yc, gx + GAP - 1, "▶", UI_BORDER);
	} else {
		draw_glyph(yc, gx, "─", UI_BORDER);
		draw_glyph(yc, gx + 1, "─", UI_BORDER);
		if (top != bottom)
			draw_glyph(yc, bar, "┤", UI_BORDER);
		else
			draw_glyph(yc, bar, "─", UI_BORDER);
	}
}

/* Where the box view puts things in content rect c; false when it does
 * not fit (boxes narrower than BOX_MIN, or no row for a box). */
typedef struct boxes {
	int x[GC_BELOW];           /* of the left, center, right column (-1: none) */
	int cw;
	int area_y, area_h;        /* the columns' rows, under their headings */
	int slots;                 /* boxes a column has room for */
	int below_y, below_vis, bw, below_x;   /* the confused-with row (-1: none) */
	int sel_y, sel_h;          /* the selection lines */
	bool all;                  /* every node has its box */
} boxes;

static bool box_geometry(const graph *g, rect c, boxes *b)
{
	size_t nl = col_count(g, GC_LEFT), nr = col_count(g, GC_RIGHT), nb = col_count(g, GC_BELOW), side;
	int k = 1 + (nl > 0) + (nr > 0), used, x0, below = nb ? 1 + BOX_H : 0;

	b->cw = (c.w - (k - 1) * GAP) / k;
	if (b->cw > BOX_MAX)
		b->cw = BOX_MAX;
	if (b->cw < BOX_MIN || 1 + BOX_H + below + 2 > c.h)
		return false;
	used = k * b->cw + (k - 1) * GAP;
	x0 = c.x + (c.w - used) / 2;
	b->x[GC_LEFT] = nl ? x0 : -1;
	b->x[GC_CENTER] = x0 + (nl ? b->cw + GAP : 0);
	b->x[GC_RIGHT] = nr ? b->x[GC_CENTER] + b->cw + GAP : -1;
	b->sel_h = 1 + BOX_H + below + SEL_H <= c.h ? SEL_H : 2;
	/* From the top: the columns as tall as their nodes need (when
	 * there is room), the confused-with row, the selection lines. */
	b->area_y = c.y + 1;
	b->slots = (c.h - 1 - below - b->sel_h) / BOX_H;
	side = nl > nr ? nl : nr;
	b->area_h = BOX_H * (side < (size_t)b->slots ? (side ? (int)side : 1) : b->slots);
	b->below_y = nb ? b->area_y + b->area_h : -1;
	b->sel_y = b->area_y + b->area_h + below;
	if (b->sel_y + b->sel_h < c.y + c.h)
		b->sel_y++;        /* a row between, when there is room */
	b->below_vis = (int)(nb < 3 ? nb : 3);
	while (b->below_vis > 1 && c.w / b->below_vis - 1 < BOX_MIN)
		b->below_vis--;
	b->bw = nb ? c.w / b->below_vis - 1 : 0;
	if (b->bw > BOX_MAX)
		b->bw = BOX_MAX;
	b->below_x = c.x + (c.w - b->below_vis * (b->bw + 1) + 1) / 2;
	b->all = nl <= (size_t)b->slots && nr <= (size_t)b->slots && nb <= (size_t)b->below_vis;
	return true;
}

static void draw_wide(app *a, gpane *gp, rect c, const boxes *b)
{
	const graph *g = &gp->graph;
	int ys[64], yc = b->area_y + (b->area_h - BOX_H) / 2;
	size_t n;

	for (int col = GC_LEFT; col <= GC_RIGHT; col++)
		if (b->x[col] >= 0)
			draw_text(c.y, b->x[col], _(col_heads[col]), b->cw, UI_LABEL);
	for (int side = 0; side < 2; side++) {
		enum gcol col = side ? GC_RIGHT : GC_LEFT;
		size_t cnt = col_count(g, col);
		size_t vis = cnt < (size_t)b->slots ? cnt : (size_t)b->slots, top;
		int x = b->x[col], y0;
		char up[64] = "", down[64] = "";

		if (!cnt)
			continue;
		if (vis > 64)
			vis = 64;      /* ys[] */
		y0 = b->area_y + (b->area_h - (int)vis * BOX_H) / 2;
		/* A column taller than its room scrolls with the selection,
		 * and says how many of its nodes are above and below. */
		top = column_top(gp, col, vis);
		if (top)
			more_mark(up, sizeof up, "↑", top, b->cw - 4);
		if (top + vis < cnt)
			more_mark(down, sizeof down, "↓", cnt - top - vis, b->cw / 2);
		for (n = 0; n < vis; n++) {
			size_t ix = g->first[col] + top + n;

			draw_box(a, gp, &g->nodes[ix], y0 + (int)n * BOX_H, x, b->cw, ix == gp->sel, false,
				 n == 0 ? up : NULL, n + 1 == vis ? down : NULL);
			ys[n] = y0 + (int)n * BOX_H + 1;
		}
		connect(ys, n, yc + 1, side ? b->x[GC_CENTER] + b->cw : x + b->cw, !side);
	}
	draw_box(a, gp, &g->nodes[g->first[GC_CENTER]], yc, b->x[GC_CENTER], b->cw,
		 gp->sel == g->first[GC_CENTER], true, NULL, NULL);
	if (b->below_y >= 0) {
		size_t nb = col_count(g, GC_BELOW), vis = (size_t)b->below_vis;
		size_t top = column_top(gp, GC_BELOW, vis);
		char more[128] = "", left[64] = "", right[64] = "";
		int used = draw_text(b->below_y, c.x, _("≈ frequently confused with"), c.w, UI_LABEL);

		/* The row of boxes scrolls as the columns do. */
		if (top)
			more_mark(left, sizeof left, "←", top, c.w);
		if (top + vis < nb)
			more_mark(right, sizeof right, "→", nb - top - vis, c.w);
		snprintf(more, sizeof more, "%s%s%s", left, left[0] && right[0] ? "  " : "", right);
		if (more[0] && used + 2 + tc_width(more) <= c.w)
			draw_text(b->below_y, c.x + c.w - tc_width(more), more, tc_width(more), UI_DIM);
		for (size_t i = 0; i < vis; i++) {
			size_t ix = g->first[GC_BELOW] + top + i;

			draw_box(a, gp, &g->nodes[ix], b->below_y + 1, b->below_x + (int)i * (b->bw + 1), b->bw,
				 ix == gp->sel, false, NULL, NULL);
		}
	}
}

/* The rows the list view takes: a heading for each column that has
 * nodes, a row for each node. */
static size_t list_rows(const graph *g)
{
	size_t rows = 0;

	for (int col = 0; col < GC_COUNT; col++)
		if (col_count(g, col))
			rows += 1 + col_count(g, col);
	return rows;
}

static void draw_list(app *a, gpane *gp, rect c)
{
	const graph *g = &gp->graph;
	int y = c.y;
	/* Scroll so that the selected node is visible. */
	int need = 0, sel_y = 0;

	for (int col = 0; col < GC_COUNT; col++) {
		if (!col_count(g, col))
			continue;
		need++;
		for (size_t i = g->first[col]; i < g->first[col + 1]; i++) {
			if (i == gp->sel)
				sel_y = need;
			need++;
		}
	}
	y -= sel_y >= c.h ? sel_y - c.h + 1 : 0;
	for (int col = 0; col < GC_COUNT; col++) {
		if (!col_count(g, col))
			continue;
		if (y >= c.y && y < c.y + c.h)
			draw_text(y, c.x, _(col_heads[col]), c.w, UI_LABEL);
		y++;
		for (size_t i = g->first[col]; i < g->first[col + 1]; i++, y++) {
			const gnode *n = &g->nodes[i];
			bool sel = i == gp->sel;
			char edge[128], *label, *cut;
			int used;

			if (y < c.y || y >= c.y + c.h)
				continue;
			hit_area(gp, i, y, c.x, 1, c.w);
			draw_fill(y, c.x, c.w, sel ? UI_SEL : UI_NORMAL);
			edge_label(a, n, edge, sizeof edge);
			used = 2 + draw_untrusted(y, c.x + 2, edge, c.w - 2, sel ? UI_SEL : UI_DIM);
			label = node_label(a, n);
			cut = tc_cut(label, c.w - used);
			draw_text(y, c.x + used, cut, c.w - used,
				  sel ? UI_SEL : n->rec == KB_NONE ? UI_DIM : UI_NORMAL);
			free(cut);
			free(label);
		}
	}
}

/* A text of the KB in the language shown, "[EN] " before it when
 * Chinese falls back to English (static buffer). */
static const char *kb_words(app *a, const kb_text *t)
{
	static char buf[512];
	bool fallback = false;
	const char *s = kb_text_get(t, a->lang, &fallback);

	snprintf(buf, sizeof buf, "%s%s", fallback && a->lang == KB_ZH ? "[EN] " : "", s);
	return buf;
}

/* The link to the selected node in words: "35% of the time, typically
 * minutes later", what tells two confused records apart. */
static void link_words(app *a, gpane *gp, const gnode *n, char *buf, size_t len)
{
	const kb_link *l = n->link;
	size_t o = 0;
	char delay[128];

	buf[0] = '\0';
	/* TRANSLATORS: between the parts of a link said in words. */
	const char *sep = _(", ");

#define ADD(...) do { \
		if (o < len) \
			o += (size_t)snprintf(buf + o, len - o, "%s", o ? sep : ""); \
		if (o < len) \
			o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__); \
	} while (0)
	if (n->rec == KB_NONE)
		ADD("%s", _("not in the KB"));
	if (n->both_ways)
		ADD("%s", _("linked both ways"));
	if (n->col == GC_CENTER && gp->graph.self_loop)
		ADD("%s", _("leads to itself"));
	if (l && !isnan(l->probability))
		ADD(_("%.0f%% of the time"), l->probability * 100);
	if (l && l->typical_delay.en) {
		delay_words(a, &l->typical_delay, delay, sizeof delay);
		ADD(n->col == GC_LEFT ? _("typical delay before it: %s") : _("typical delay: %s"), delay);
	}
	if (l && l->condition.en)
		ADD(_("when %s"), kb_words(a, &l->condition));
	if (l && l->distinction.en)
		ADD(_("differs: %s"), kb_words(a, &l->distinction));
#undef ADD
}

/* Under the graph, rows from y: where Enter goes.  The relation, the
 * id and the link in words on the first row; the whole signature on
 * the others, cut with … only when it has no more rows. */
static void draw_selection(app *a, gpane *gp, int y, int x, int w, int h)
{
	const gnode *n = &gp->graph.nodes[gp->sel];
	char words[512], *label;
	int used;
	tc_span *sp = NULL;
	size_t nl;

	if (h <= 0)
		return;
	used = draw_text(y, x, _(col_heads[n->col]), w, UI_LABEL);
	used += 1 + draw_untrusted(y, x + used + 1, n->id, w - used - 1,
				   n->rec == KB_NONE ? UI_DIM : UI_ID);
	link_words(a, gp, n, words, sizeof words);
	if (words[0] && used + 3 < w) {
		used += 1 + draw_text(y, x + used + 1, "·", w - used - 1, UI_DIM);
		draw_untrusted(y, x + used + 1, words, w - used - 1, UI_DIM);
	}
	if (h < 2 || n->rec == KB_NONE)
		return;
	label = node_label(a, n);
	nl = tc_wrap_max(label, w - 2, (size_t)h, &sp);
	for (size_t i = 0; i < nl && i + 1 < (size_t)h; i++) {
		char *line;

		if (i + 2 == (size_t)h && i + 1 < nl) {
			/* The last row, and more to come: cut with "…". */
			char *rest = xstrdup(label + sp[i].off);

			line = tc_cut(rest, w - 2);
			free(rest);
		} else {
			line = xstrndup(label + sp[i].off, sp[i].len);
		}
		draw_text(y + 1 + (int)i, x + 2, line, w - 2, UI_NORMAL);
		free(line);
	}
	free(sp);
	free(label);
}

/* The rows the selection lines take under the list view of h rows: the
 * rows the list leaves, two at most; in a pane of 8 rows or more, two
 * even when the list scrolls. */
static int list_sel_rows(const graph *g, int h)
{
	int spare = h - (int)list_rows(g);

	if (h >= 8 && spare < 2)
		return 2;
	return spare < 0 ? 0 : spare > 2 ? 2 : spare;
}

static int graph_rows_wanted(app *a, void *self, int w, int most)
{
	gpane *gp = self;
	const graph *g = &gp->graph;
	size_t side, list;
	boxes b;
	int box;

	if (a->current == KB_NONE)
		return most < 2 ? most : 2;
	refresh_graph(a, gp);
	if (g->n == 1)
		return most < 2 ? most : 2;     /* "no links" */
	side = col_count(g, GC_LEFT) > col_count(g, GC_RIGHT) ? col_count(g, GC_LEFT)
							       : col_count(g, GC_RIGHT);
	if (!side)
		side = 1;
	/* As graph_draw chooses: every box, with their headings and the
	 * selection lines, when that fits; else the list. */
	box = 1 + 1 + BOX_H * (int)side + (col_count(g, GC_BELOW) ? 1 + BOX_H : 0) + SEL_H;
	for (int less = 0; less <= SEL_H - 2; less++)      /* the signature on one row */
		if (box - less <= most && box_geometry(g, (rect){ 0, 0, box - less - 1, w }, &b) && b.all)
			return box - less;
	list = 1 + list_rows(g) + 2;
	return list < (size_t)most ? (int)list : most;
}

static void graph_draw(app *a, void *self, rect r, bool focused)
{
	gpane *gp = self;
	char info[64];
	rect c;
	boxes b;

	if (a->current == KB_NONE) {
		pane_frame(a, r, focused, _("Graph"), "");
		return;
	}
	refresh_graph(a, gp);
	gp->nhits = 0;
	snprintf(info, sizeof info, "%zu/%zu", gp->sel + 1, gp->graph.n);
	c = pane_frame(a, r, focused, _("Graph"), info);
	if (gp->graph.n == 1) {
		draw_text(c.y, c.x, _("No links to other records."), c.w, UI_DIM);
	} else if (box_geometry(&gp->graph, c, &b) &&
		   (b.all || list_rows(&gp->graph) + 2 > (size_t)c.h)) {
		/* Boxes when they show every node, or the list would scroll
		 * too. */
		draw_wide(a, gp, c, &b);
		draw_selection(a, gp, b.sel_y, c.x, c.w, b.sel_h);
	} else {
		int s = list_sel_rows(&gp->graph, c.h);

		draw_list(a, gp, (rect){ c.y, c.x, c.h - s, c.w });
		draw_selection(a, gp, c.y + c.h - s, c.x, c.w, s);
	}
}

static bool graph_key(app *a, void *self, enum action act, rect r, request *rq)
{
	gpane *gp = self;
	const graph *g = &gp->graph;
	size_t sel, pick;
	enum gcol col;

	(void)r;
	if (a->current == KB_NONE)
		return false;
	refresh_graph(a, gp);       /* the record shown may have changed since it was drawn */
	sel = gp->sel;
	col = g->nodes[sel].col;
	switch (act) {
	case ACT_DOWN:
		gp->sel = sel + 1 < g->n ? sel + 1 : sel;
		return true;
	case ACT_UP:
		gp->sel = sel ? sel - 1 : 0;
		return true;
	case ACT_FIRST:
		gp->sel = 0;
		return true;
	case ACT_LAST:
		gp->sel = g->n ? g->n - 1 : 0;
		return true;
	case ACT_LEFT:
	case ACT_RIGHT:
		for (int c = (int)col + (act == ACT_RIGHT ? 1 : -1); c >= 0 && c < GC_BELOW;
		     c += act == ACT_RIGHT ? 1 : -1) {
			pick = graph_column_pick(g, (enum gcol)c, sel - g->first[col]);
			if (pick != (size_t)-1) {
				gp->sel = pick;
				break;
			}
		}
		return true;
	case ACT_ENTER:
		if (g->nodes[sel].rec == KB_NONE) {
			snprintf(a->msg, sizeof a->msg, "%s", _("That record is not in the KB."));
		} else if (g->nodes[sel].col != GC_CENTER) {
			rq->show = g->nodes[sel].rec;
			rq->push = true;
		}
		return true;
	default:
		return false;
	}
}

/* A click selects a node; a click on the selected node follows it. */
static void graph_click(app *a, void *self, rect r, int y, int x, request *rq)
{
	gpane *gp = self;

	y += r.y;
	x += r.x;
	for (size_t i = 0; i < gp->nhits; i++) {
		rect at = gp->hits[i].at;

		if (y >= at.y && y < at.y + at.h && x >= at.x && x < at.x + at.w) {
			if (gp->sel == gp->hits[i].node)
				graph_key(a, gp, ACT_ENTER, r, rq);
			else
				gp->sel = gp->hits[i].node;
			return;
		}
	}
}

static void graph_wheel(app *a, void *self, rect r, int lines, request *rq)
{
	graph_key(a, self, lines > 0 ? ACT_DOWN : ACT_UP, r, rq);
}

const pane_ops graph_pane = {
	.create = graph_create,
	.destroy = graph_destroy,
	.draw = graph_draw,
	.key = graph_key,
	.click = graph_click,
	.wheel = graph_wheel,
	.rows_wanted = graph_rows_wanted,
};
