/* The record list: confidence, domain, category and signature a row. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "textcell.h"
#include "ui.h"

#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The pane's own state: the first row shown, and the list it was of
 * (the app's view_gen when last seen). */
typedef struct lpane {
	size_t top;
	uint64_t gen;
} lpane;

static void *list_create(void)
{
	return xcalloc(1, sizeof(lpane));
}

static void list_destroy(void *self)
{
	free(self);
}

/* A list made anew starts at its top, unless it was only added to while
 * the user moved in it. */
static void follow_view(const app *a, lpane *lp)
{
	if (lp->gen != a->view_gen) {
		if (!a->view_keep_top)
			lp->top = 0;
		lp->gen = a->view_gen;
	}
}

/* The columns of a list w wide: confidence (5), domain and category
 * where there is room, the signature in the rest. */
static void columns(int w, int *dom, int *cat)
{
	*dom = w >= 70 ? 14 : w >= 45 ? 11 : 0;
	*cat = w >= 70 ? 18 : 0;
}

/* A row of column headings under the title, from 6 rows: what the
 * numbers and words of a row are. */
static int head_rows(int h)
{
	return h >= 6 ? 1 : 0;
}

static void draw_head(int y, int x, int w)
{
	int dom, cat, used;

	columns(w, &dom, &cat);
	draw_text(y, x, _("conf"), 4, UI_DIM);
	used = 5;
	if (dom) {
		draw_text(y, x + used, _("domain"), dom - 1, UI_DIM);
		used += dom;
	}
	if (cat) {
		draw_text(y, x + used, _("category"), cat - 1, UI_DIM);
		used += cat;
	}
	draw_text(y, x + used, _("signature"), w - used, UI_DIM);
}

static void draw_row(app *a, const kb_record *r, int y, int x, int w, bool sel)
{
	enum ui_style base = sel ? UI_SEL : UI_NORMAL;
	int dom, cat, used;
	char conf[8];

	columns(w, &dom, &cat);
	draw_fill(y, x, w, base);
	if (isnan(r->confidence))
		snprintf(conf, sizeof conf, "  - ");
	else
		snprintf(conf, sizeof conf, "%4.2f", r->confidence);
	used = draw_text(y, x, conf, w, sel ? UI_SEL :
			 r->confidence >= 0.8 ? UI_GOOD : r->confidence < 0.5 ? UI_BAD : UI_NORMAL) + 1;
	if (dom) {
		draw_untrusted(y, x + used, r->domain, dom - 1, sel ? UI_SEL : UI_DIM);
		used += dom;
	}
	if (cat) {
		draw_untrusted(y, x + used, r->category, cat - 1, sel ? UI_SEL : UI_LABEL);
		used += cat;
	}
	{
		char *clean = tc_clean(kb_text_get(&r->signature, a->lang, NULL));
		char *cut = tc_cut(clean, w - used);

		draw_marked(a, y, x + used, cut, SEARCH_IN_HEAD, w - used, base);
		free(cut);
		free(clean);
	}
}

/* The record on display is not a row of the list (a link followed to a
 * record the search or the filters leave out): no row is selected, and
 * the title says so. */
static bool list_off(const app *a)
{
	return !a->opening && a->current != KB_NONE && a->norder &&
	       (a->sel >= a->norder || a->order[a->sel] != a->current);
}

static void list_draw(app *a, void *self, rect r, bool focused)
{
	lpane *lp = self;
	char info[96], clear[16];
	bool off = list_off(a);
	rect c;

	first_key(ACT_CLEAR, clear);    /* the key in force, as the config may have moved it */

	/* While a search runs, the rows are those of the one before: no
	 * count for them. */
	if (a->opening)
		info[0] = '\0';
	else if (find_searching(a))
		snprintf(info, sizeof info, "%s", _("searching..."));
	else if (off)
		snprintf(info, sizeof info, _("shown: not in the list (%s: all)"), clear);
	else
		snprintf(info, sizeof info, "%zu/%zu", a->norder ? a->sel + 1 : 0, a->norder);
	c = pane_frame(a, r, focused, _("Records"), info);
	if (head_rows(c.h) && !a->opening) {
		draw_head(c.y, c.x, c.w);
		c.y++;
		c.h--;
	}
	follow_view(a, lp);
	keep_visible(a->sel, &lp->top, c.h);
	for (int i = 0; i < c.h && lp->top + (size_t)i < a->norder; i++) {
		size_t row = lp->top + (size_t)i;

		draw_row(a, app_record(a, a->order[row]), c.y + i, c.x, c.w, row == a->sel && !off);
	}
	if (a->opening) {
		/* How far (a file's name in it: untrusted), and what then. */
		draw_untrusted(c.y, c.x, a->open_text, c.w, UI_NORMAL);
		if (c.h > 1)
			draw_text(c.y + 1, c.x, _("The list opens when the KB is read; a search typed now is made then."),
				  c.w, UI_DIM);
	} else if (!a->norder && (a->qtext[0] || kb_filter_active(&a->filter))) {
		char line[160];

		snprintf(line, sizeof line, _("No record matches; %s clears the filters and the search."), clear);
		draw_text(c.y, c.x, line, c.w, UI_DIM);
	} else if (!a->norder) {
		draw_text(c.y, c.x, _("No records."), c.w, UI_DIM);
	}
}

/* Show the record of a row: the loop selects it. */
static void select_row(const app *a, size_t row, request *rq)
{
	if (row < a->norder && (row != a->sel || a->current != a->order[row]))
		rq->show = a->order[row];
}

static bool list_key(app *a, void *self, enum action act, rect r, request *rq)
{
	size_t sel = a->sel;
	bool off = list_off(a);

	(void)self;
	if (act == ACT_ENTER) {
		if (off)
			select_row(a, a->sel < a->norder ? a->sel : 0, rq);
		if (a->norder)
			rq->focus = PANE_DETAIL;
		return true;
	}
	if (!move_cursor(act, &sel, a->norder, r.h - 1 - head_rows(r.h - 1)))
		return false;
	/* With no row selected, a move first selects the row the list was
	 * on. */
	if (off && (act == ACT_DOWN || act == ACT_UP))
		sel = a->sel < a->norder ? a->sel : 0;
	select_row(a, sel, rq);
	return true;
}

static void list_click(app *a, void *self, rect r, int y, int x, request *rq)
{
	lpane *lp = self;
	int first = 1 + head_rows(r.h - 1);

	(void)x;
	follow_view(a, lp);
	if (y >= first)
		select_row(a, lp->top + (size_t)(y - first), rq);
}

static void list_wheel(app *a, void *self, rect r, int lines, request *rq)
{
	size_t sel = a->sel;

	(void)self;
	(void)r;
	if (lines < 0)
		sel = (size_t)-lines > sel ? 0 : sel - (size_t)-lines;
	else
		sel = sel + (size_t)lines >= a->norder ? (a->norder ? a->norder - 1 : 0) : sel + (size_t)lines;
	select_row(a, sel, rq);
}

const pane_ops list_pane = {
	.create = list_create,
	.destroy = list_destroy,
	.draw = list_draw,
	.key = list_key,
	.click = list_click,
	.wheel = list_wheel,
};
