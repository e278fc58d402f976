/* The transition graph: predecessors on the left, the record in the middle,
 * what it leads to on the right, what it is confused with below.  Narrow
 * panes get the same nodes as an indented list. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "textcell.h"
#include "ui.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GAP = 5, WIDE = 56 };

static void refresh_graph(app *a)
{
	if (a->graph.n && a->graph_rec == a->current)
		return;
	graph_build(&a->graph, a->k, a->current);
	a->graph_rec = a->current;
	a->graph_sel = a->graph.first[GC_CENTER];
	memset(a->graph_top, 0, sizeof a->graph_top);
}

/* The first of the vis nodes of column col that are shown: where it was,
 * moved as little as keeps the selected node in view. */
static size_t column_top(app *a, enum gcol col, size_t vis)
{
	const graph *g = &a->graph;
	size_t cnt = g->first[col + 1] - g->first[col], top = a->graph_top[col];

	if (vis && a->graph_sel >= g->first[col] && a->graph_sel < g->first[col + 1]) {
		size_t i = a->graph_sel - g->first[col];

		if (i < top)
			top = i;
		else if (i >= top + vis)
			top = i - vis + 1;
	}
	if (top + vis > cnt)
		top = cnt > vis ? cnt - vis : 0;
	a->graph_top[col] = top;
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

static const char *node_label(app *a, const gnode *n)
{
	if (n->rec == KB_NONE)
		return n->id;
	return kb_text_get(&app_record(a, n->rec)->signature, a->lang, NULL);
}

/* What stands on the edge: probability, delay, or the distinction. */
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
	if (l->typical_delay.en)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s ",
			 kb_text_get(&l->typical_delay, a->lang, NULL));
}

/* Remember where node ix stands on the screen, for the mouse. */
static void hit_area(app *a, size_t ix, int y, int x, int h, int w)
{
	if (a->ngraph_hits < sizeof a->graph_hits / sizeof *a->graph_hits) {
		a->graph_hits[a->ngraph_hits].at = (rect){ y, x, h, w };
		a->graph_hits[a->ngraph_hits++].node = ix;
	}
}

/* A node as a 3-row box: label inside, edge label on the bottom border;
 * top and bottom (or NULL): marks at the right end of the top and bottom
 * borders (what a clipped column hides). */
static void draw_box(app *a, const gnode *n, int y, int x, int w, bool sel, bool center,
		     const char *top, const char *bottom)
{
	int room = w - 4;
	hit_area(a, (size_t)(n - a->graph.nodes), y, x, 3, w);
	enum ui_style border = sel ? UI_SEL : center ? UI_TITLE_FOCUS : UI_BORDER;
	enum ui_style inside = sel ? UI_SEL : n->rec == KB_NONE ? UI_DIM : center ? UI_ID : UI_NORMAL;
	char edge[128], *label;

	if (w < 4)
		return;
	attrset(draw_attr(border));
	mvaddstr(y, x, "┌");
	mvaddstr(y + 2, x, "└");
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, "─");
		mvaddstr(y + 2, x + i, "─");
	}
	mvaddstr(y, x + w - 1, "┐");
	mvaddstr(y + 2, x + w - 1, "┘");
	mvaddstr(y + 1, x, "│");
	mvaddstr(y + 1, x + w - 1, "│");
	attrset(A_NORMAL);
	draw_fill(y + 1, x + 1, w - 2, inside);
	if (n->rec == KB_NONE) {
		if (asprintf(&label, "%s %s", _("missing:"), n->id) < 0)
			return;
	} else {
		label = strdup(node_label(a, n));
		if (!label)
			return;
	}
	draw_untrusted(y + 1, x + 1, label, w - 2, inside);
	free(label);
	if (top && top[0])
		draw_text(y, x + w - 2 - tc_width(top), top, tc_width(top), UI_DIM);
	if (bottom && bottom[0]) {
		room -= tc_width(bottom) + 1;
		draw_text(y + 2, x + w - 2 - tc_width(bottom), bottom, tc_width(bottom), UI_DIM);
	}
	edge_label(a, n, edge, sizeof edge);
	if (center && a->graph.self_loop)
		snprintf(edge, sizeof edge, "↻ %s", _("self"));
	if (edge[0] && room > 0)
		draw_untrusted(y + 2, x + 2, edge, room, border);
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
	attrset(draw_attr(UI_BORDER));
	for (int y = top; y <= bottom; y++)
		mvaddstr(y, bar, "│");
	for (size_t i = 0; i < n; i++) {
		int side = into_center ? gx : bar + 1;

		mvaddstr(ys[i], side, "─");
		mvaddstr(ys[i], side + 1, "─");
		mvaddstr(ys[i], bar, ys[i] == top && ys[i] != bottom ? (into_center ? "┐" : "┌")
			 : ys[i] == bottom && ys[i] != top ? (into_center ? "┘" : "└")
			 : into_center ? "┤" : "├");
		if (!into_center)
			mvaddstr(ys[i], gx + GAP - 1, "▶");
	}
	if (into_center) {
		mvaddstr(yc, bar, top == bottom ? "─" : "├");
		mvaddstr(yc, bar + 1, "─");
		mvaddstr(yc, gx + GAP - 1, "▶");
	} else {
		mvaddstr(yc, gx, "─");
		mvaddstr(yc, gx + 1, "─");
		if (top != bottom)
			mvaddstr(yc, bar, "┤");
		else
			mvaddstr(yc, bar, "─");
	}
	attrset(A_NORMAL);
}

static void draw_wide(app *a, rect c)
{
	const graph *g = &a->graph;
	int cw = (c.w - 2 * GAP) / 3, below_n = (int)(g->first[GC_COUNT] - g->first[GC_BELOW]);
	int below_h = below_n ? 2 + 3 : 0, area = c.h - below_h;
	int slots = area / 3 > 0 ? area / 3 : 1;
	int yc = c.y + (area - 3) / 2;
	int ys[64];
	size_t n;

	if (yc < c.y)
		yc = c.y;
	for (int side = 0; side < 2; side++) {
		enum gcol col = side ? GC_RIGHT : GC_LEFT;
		size_t cnt = g->first[col + 1] - g->first[col];
		size_t vis = cnt < (size_t)slots ? cnt : (size_t)slots, top;
		int x = side ? c.x + 2 * cw + 2 * GAP : c.x, y0;
		char up[64] = "", down[64] = "";

		if (vis > 64)
			vis = 64;      /* ys[] */
		y0 = c.y + (area - (int)vis * 3) / 2;
		/* A column taller than its room scrolls with the selection,
		 * and says how many of its nodes are above and below. */
		top = column_top(a, col, vis);
		if (top)
			more_mark(up, sizeof up, "↑", top, cw - 4);
		if (top + vis < cnt)
			more_mark(down, sizeof down, "↓", cnt - top - vis, cw / 2);
		for (n = 0; n < vis; n++) {
			size_t ix = g->first[col] + top + n;

			draw_box(a, &g->nodes[ix], y0 + (int)n * 3, x, cw, ix == a->graph_sel, false,
				 n == 0 ? up : NULL, n + 1 == vis ? down : NULL);
			ys[n] = y0 + (int)n * 3 + 1;
		}
		connect(ys, n, yc + 1, side ? c.x + 2 * cw + GAP : c.x + cw, !side);
	}
	draw_box(a, &g->nodes[g->first[GC_CENTER]], yc, c.x + cw + GAP, cw,
		 a->graph_sel == g->first[GC_CENTER], true, NULL, NULL);
	if (below_n) {
		int y = c.y + area;
		size_t vis = below_n < 3 ? (size_t)below_n : 3;
		size_t top = column_top(a, GC_BELOW, vis);
		int bw = c.w / (int)vis;
		char more[128] = "", left[64] = "", right[64] = "";
		int used = draw_text(y, c.x, _("≈ frequently confused with"), c.w, UI_LABEL);

		/* The row of boxes scrolls as the columns do. */
		if (top)
			more_mark(left, sizeof left, "←", top, c.w);
		if (top + vis < (size_t)below_n)
			more_mark(right, sizeof right, "→", (size_t)below_n - top - vis, c.w);
		snprintf(more, sizeof more, "%s%s%s", left, left[0] && right[0] ? "  " : "", right);
		if (more[0] && used + 2 + tc_width(more) <= c.w)
			draw_text(y, c.x + c.w - tc_width(more), more, tc_width(more), UI_DIM);
		for (size_t i = 0; i < vis; i++) {
			size_t ix = g->first[GC_BELOW] + top + i;

			draw_box(a, &g->nodes[ix], y + 1, c.x + (int)i * bw, bw - 1, ix == a->graph_sel, false,
				 NULL, NULL);
		}
	}
}

static void draw_list(app *a, rect c)
{
	static const char *const heads[GC_COUNT] = {
		N_("◀ preceded by"), N_("● this record"), N_("▶ leads to"), N_("≈ confused with"),
	};
	const graph *g = &a->graph;
	int y = c.y;
	/* Scroll so that the selected node is visible. */
	int need = 0, sel_y = 0;

	for (int col = 0; col < GC_COUNT; col++) {
		if (g->first[col + 1] == g->first[col])
			continue;
		need++;
		for (size_t i = g->first[col]; i < g->first[col + 1]; i++) {
			if (i == a->graph_sel)
				sel_y = need;
			need++;
		}
	}
	y -= sel_y >= c.h ? sel_y - c.h + 1 : 0;
	for (int col = 0; col < GC_COUNT; col++) {
		if (g->first[col + 1] == g->first[col])
			continue;
		if (y >= c.y && y < c.y + c.h)
			draw_text(y, c.x, _(heads[col]), c.w, UI_LABEL);
		y++;
		for (size_t i = g->first[col]; i < g->first[col + 1]; i++, y++) {
			const gnode *n = &g->nodes[i];
			bool sel = i == a->graph_sel;
			char edge[128];
			int used;

			if (y < c.y || y >= c.y + c.h)
				continue;
			hit_area(a, i, y, c.x, 1, c.w);
			draw_fill(y, c.x, c.w, sel ? UI_SEL : UI_NORMAL);
			edge_label(a, n, edge, sizeof edge);
			used = 2 + draw_untrusted(y, c.x + 2, edge, c.w - 2, sel ? UI_SEL : UI_DIM);
			draw_untrusted(y, c.x + used, n->rec == KB_NONE ? n->id : node_label(a, n),
				       c.w - used, sel ? UI_SEL : n->rec == KB_NONE ? UI_DIM : UI_NORMAL);
		}
	}
}

int graph_rows_wanted(app *a, int w, int most)
{
	const graph *g = &a->graph;
	size_t list = 1, side = 1;

	if (a->current == KB_NONE)
		return most < 2 ? most : 2;
	refresh_graph(a);
	for (int col = 0; col < GC_COUNT; col++) {
		size_t n = g->first[col + 1] - g->first[col];

		if (n)
			list += 1 + n;
		if ((col == GC_LEFT || col == GC_RIGHT) && n > side)
			side = n;
	}
	if (g->n == 1)
		list = 2;           /* "no links" */
	/* As graph_draw chooses: boxes from 9 rows of content. */
	if (w >= WIDE && g->n > 1) {
		size_t box = 1 + 3 * side + (g->first[GC_COUNT] > g->first[GC_BELOW] ? 5 : 0);

		if (box < 10)
			box = 10;
		if (box <= (size_t)most)
			return (int)box;
	}
	return list < (size_t)most ? (int)list : most;
}

static void graph_draw(app *a, rect r, bool focused)
{
	char info[64];
	rect c;

	if (a->current == KB_NONE) {
		pane_frame(a, r, focused, _("Graph"), "");
		return;
	}
	refresh_graph(a);
	a->ngraph_hits = 0;
	snprintf(info, sizeof info, "%zu/%zu", a->graph_sel + 1, a->graph.n);
	c = pane_frame(a, r, focused, _("Graph"), info);
	if (a->graph.n == 1)
		draw_text(c.y, c.x, _("No links to other records."), c.w, UI_DIM);
	else if (c.w >= WIDE && c.h >= 9)
		draw_wide(a, c);
	else
		draw_list(a, c);
}

static bool graph_key(app *a, enum action act, rect r)
{
	const graph *g = &a->graph;
	size_t sel = a->graph_sel, pick;
	enum gcol col = g->nodes[sel].col;

	(void)r;
	switch (act) {
	case ACT_DOWN:
		a->graph_sel = sel + 1 < g->n ? sel + 1 : sel;
		return true;
	case ACT_UP:
		a->graph_sel = sel ? sel - 1 : 0;
		return true;
	case ACT_FIRST:
		a->graph_sel = 0;
		return true;
	case ACT_LAST:
		a->graph_sel = g->n ? g->n - 1 : 0;
		return true;
	case ACT_LEFT:
	case ACT_RIGHT:
		for (int c = (int)col + (act == ACT_RIGHT ? 1 : -1); c >= 0 && c < GC_BELOW;
		     c += act == ACT_RIGHT ? 1 : -1) {
			pick = graph_column_pick(g, (enum gcol)c, sel - g->first[col]);
			if (pick != (size_t)-1) {
				a->graph_sel = pick;
				break;
			}
		}
		return true;
	case ACT_ENTER:
		if (g->nodes[sel].rec == KB_NONE) {
			snprintf(a->msg, sizeof a->msg, "%s", _("That record is not in the KB."));
		} else if (g->nodes[sel].col != GC_CENTER) {
			app_show(a, g->nodes[sel].rec, true);
		}
		return true;
	default:
		return false;
	}
}

/* A click selects a node; a click on the selected node follows it. */
static void graph_click(app *a, rect r, int y, int x)
{
	y += r.y;
	x += r.x;
	for (size_t i = 0; i < a->ngraph_hits; i++) {
		rect at = a->graph_hits[i].at;

		if (y >= at.y && y < at.y + at.h && x >= at.x && x < at.x + at.w) {
			if (a->graph_sel == a->graph_hits[i].node)
				graph_key(a, ACT_ENTER, r);
			else
				a->graph_sel = a->graph_hits[i].node;
			return;
		}
	}
}

static void graph_scroll(app *a, rect r, int lines)
{
	graph_key(a, lines > 0 ? ACT_DOWN : ACT_UP, r);
}

const pane_ops graph_pane = {
	.title = N_("Graph"),
	.draw = graph_draw,
	.key = graph_key,
	.click = graph_click,
	.wheel = graph_scroll,
};
