/* The detail pane: every section of the current record, scrolled. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>

/* Make the record's rows anew only when what they depend on changed;
 * they are laid out as far as they are shown (doc_need). */
static void refresh_doc(app *a, int width)
{
	if (a->doc.nitems && a->doc_rec == a->current && a->doc_width == width &&
	    a->doc_lang == (int)a->lang)
		return;
	if (a->doc_rec != a->current)
		a->doc_top = 0;
	doc_build_matched(&a->doc, a->k, &a->k->recs[a->current], a->lang, width,
			  app_evidence(a, a->current));
	a->doc_rec = a->current;
	a->doc_width = width;
	a->doc_lang = (int)a->lang;
}

/* The rows a pane of h rows needs to show from top, and a little more:
 * a record of a few screens is laid out at once, a huge one a part at a
 * time (and the rest between keys: detail_slice). */
static void need_rows(app *a, size_t top, int h)
{
	size_t want = top + (size_t)h + 256;

	doc_need(&a->doc, want < top ? (size_t)-1 : want);
}

/* The highest top that still fills the pane, of what is laid out. */
static size_t max_top(app *a, int h)
{
	return a->doc.n > (size_t)h ? a->doc.n - (size_t)h : 0;
}

/* The part of a row's text of a kind: the prefix, a part with the
 * search's words marked, what a log line matched. */
enum part { PART_PREFIX, PART_TEXT, PART_MATCHED };

/* text[from, to) at column x of row y, in at most cols columns: the
 * columns used.  The row's parts end on a character. */
static int draw_part(app *a, const doc_row *row, size_t from, size_t to, int y, int x, int cols,
		     enum part kind)
{
	char save = row->text[to];
	int used;

	row->text[to] = '\0';
	if (kind == PART_PREFIX)
		used = draw_text(y, x, row->text + from, cols, (enum ui_style)row->prefix_style);
	else if (kind == PART_MATCHED)
		used = draw_text_underlined(y, x, row->text + from, cols, UI_MATCH);
	else
		used = draw_marked(a, y, x, row->text + from, cols, (enum ui_style)row->style);
	row->text[to] = save;
	return used;
}

static void draw_row(app *a, const doc_row *row, int y, int x, int w)
{
	size_t len = strlen(row->text), m0 = row->mark_at, m1 = m0 + row->mark_len;
	int used = draw_part(a, row, 0, row->prefix, y, x, w, PART_PREFIX);

	if (!row->mark_len || m0 < row->prefix || m1 > len) {
		draw_part(a, row, row->prefix, len, y, x + used, w - used, PART_TEXT);
		return;
	}
	used += draw_part(a, row, row->prefix, m0, y, x + used, w - used, PART_TEXT);
	used += draw_part(a, row, m0, m1, y, x + used, w - used, PART_MATCHED);
	draw_part(a, row, m1, len, y, x + used, w - used, PART_TEXT);
}

static void detail_draw(app *a, rect r, bool focused)
{
	char info[64];
	rect c;

	if (a->current == KB_NONE) {
		pane_frame(a, r, focused, _("Detail"), "");
		return;
	}
	c = (rect){ r.y + 1, r.x, r.h - 1, r.w };    /* below the title row */
	refresh_doc(a, c.w - 1);
	need_rows(a, a->doc_top, c.h);
	if (a->doc_top > max_top(a, c.h))
		a->doc_top = max_top(a, c.h);
	/* "+": the rows laid out so far; the record has more. */
	snprintf(info, sizeof info, "%zu-%zu/%zu%s", a->doc_top + 1,
		 a->doc_top + (size_t)c.h < a->doc.n ? a->doc_top + (size_t)c.h : a->doc.n, a->doc.n,
		 doc_complete(&a->doc) ? "" : "+");
	pane_frame(a, r, focused, _("Detail"), info);
	for (int i = 0; i < c.h && a->doc_top + (size_t)i < a->doc.n; i++)
		draw_row(a, &a->doc.rows[a->doc_top + (size_t)i], c.y + i, c.x, c.w);
}

static bool detail_key(app *a, enum action act, rect r)
{
	int h = r.h - 1;
	size_t top = a->doc_top;

	switch (act) {
	case ACT_DOWN: top++; break;
	case ACT_UP: top = top ? top - 1 : 0; break;
	case ACT_PAGE_DOWN: top += (size_t)h; break;
	case ACT_PAGE_UP: top = top > (size_t)h ? top - (size_t)h : 0; break;
	case ACT_FIRST: top = 0; break;
	case ACT_LAST: top = (size_t)-1; break;   /* like less's G: the whole record */
	default: return false;
	}
	need_rows(a, top, h);
	a->doc_top = top < max_top(a, h) ? top : max_top(a, h);
	return true;
}

static void detail_scroll(app *a, rect r, int lines)
{
	size_t top = a->doc_top;

	if (lines < 0)
		top = (size_t)-lines > top ? 0 : top - (size_t)-lines;
	else
		top += (size_t)lines;
	need_rows(a, top, r.h - 1);
	a->doc_top = top < max_top(a, r.h - 1) ? top : max_top(a, r.h - 1);
}

bool detail_pending(const app *a)
{
	return a->current != KB_NONE && a->doc.nitems && !doc_complete(&a->doc) &&
	       a->doc.n < DETAIL_IDLE_ROWS;
}

void detail_slice(app *a, double ms)
{
	double t0 = ui_now_ms();

	while (detail_pending(a) && ui_now_ms() - t0 < ms)
		doc_need(&a->doc, a->doc.n + 512);
}

static void detail_click(app *a, rect r, int y, int x)
{
	(void)a; (void)r; (void)y; (void)x;
}

const pane_ops detail_pane = {
	.title = N_("Detail"),
	.draw = detail_draw,
	.key = detail_key,
	.click = detail_click,
	.wheel = detail_scroll,
};
