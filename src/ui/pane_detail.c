/* The detail pane: every section of the current record, scrolled. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "ui.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pane's own state: the rows of rec as laid out for width and
 * lang, and the first row shown.  hit: the row n or N went to last, while
 * at_hit (nothing scrolled since): near the end of the record the top
 * stops short of it, and the next n goes on from it, not from the top. */
typedef struct detail {
	doc doc;
	uint32_t rec;
	int width, lang;
	size_t top, hit;
	bool at_hit;
} detail;

static void *detail_create(void)
{
	detail *d = xcalloc(1, sizeof *d);

	d->rec = KB_NONE;
	return d;
}

static void detail_destroy(void *self)
{
	detail *d = self;

	doc_free(&d->doc);
	free(d);
}

/* Make the record's rows anew only when what they depend on changed;
 * they are laid out as far as they are shown (doc_need). */
static void refresh_doc(app *a, detail *d, int width)
{
	if (d->doc.nitems && d->rec == a->current && d->width == width && d->lang == (int)a->lang)
		return;
	if (d->rec != a->current)
		d->top = 0;
	d->at_hit = false;             /* the rows are new */
	doc_build_matched(&d->doc, a->k, &a->k->recs[a->current], a->lang, width,
			  app_evidence(a, a->current));
	d->rec = a->current;
	d->width = width;
	d->lang = (int)a->lang;
}

/* The rows a pane of h rows needs to show from top, and a little more:
 * a record of a few screens is laid out at once, a huge one a part at a
 * time (and the rest between keys: detail_slice). */
static void need_rows(detail *d, size_t top, int h)
{
	size_t want = top + (size_t)h + 256;

	doc_need(&d->doc, want < top ? (size_t)-1 : want);
}

/* The highest top that still fills the pane, of what is laid out. */
static size_t max_top(const detail *d, int h)
{
	return d->doc.n > (size_t)h ? d->doc.n - (size_t)h : 0;
}

/* Scroll to top, as far as the rows go. */
static void scroll_to(detail *d, size_t top, int h)
{
	need_rows(d, top, h);
	d->top = top < max_top(d, h) ? top : max_top(d, h);
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
		used = draw_marked(a, y, x, row->text + from, (enum search_where)row->where, cols,
				   (enum ui_style)row->style);
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

static void detail_draw(app *a, void *self, rect r, bool focused)
{
	detail *d = self;
	char info[64];
	rect c;

	if (a->current == KB_NONE) {
		pane_frame(a, r, focused, _("Detail"), "");
		return;
	}
	c = (rect){ r.y + 1, r.x, r.h - 1, r.w };    /* below the title row */
	refresh_doc(a, d, c.w - 1);
	scroll_to(d, d->top, c.h);
	/* "+": the rows laid out so far; the record has more. */
	snprintf(info, sizeof info, "%zu-%zu/%zu%s", d->top + 1,
		 d->top + (size_t)c.h < d->doc.n ? d->top + (size_t)c.h : d->doc.n, d->doc.n,
		 doc_complete(&d->doc) ? "" : "+");
	pane_frame(a, r, focused, _("Detail"), info);
	for (int i = 0; i < c.h && d->top + (size_t)i < d->doc.n; i++)
		draw_row(a, &d->doc.rows[d->top + (size_t)i], c.y + i, c.x, c.w);
}

static bool detail_key(app *a, void *self, enum action act, rect r, request *rq)
{
	detail *d = self;
	int h = r.h - 1;
	size_t top = d->top;

	(void)a;
	(void)rq;
	switch (act) {
	case ACT_DOWN: top++; break;
	case ACT_UP: top = top ? top - 1 : 0; break;
	case ACT_PAGE_DOWN: top += (size_t)h; break;
	case ACT_PAGE_UP: top = top > (size_t)h ? top - (size_t)h : 0; break;
	case ACT_FIRST: top = 0; break;
	case ACT_LAST: top = (size_t)-1; break;   /* like less's G: the whole record */
	default: return false;
	}
	scroll_to(d, top, h);
	d->at_hit = false;
	return true;
}

static void detail_wheel(app *a, void *self, rect r, int lines, request *rq)
{
	detail *d = self;
	size_t top = d->top;

	(void)a;
	(void)rq;
	if (lines < 0)
		top = (size_t)-lines > top ? 0 : top - (size_t)-lines;
	else
		top += (size_t)lines;
	scroll_to(d, top, r.h - 1);
	d->at_hit = false;
}

/* Whether a row holds a word of the search where the search counts it:
 * in its text, as it is marked (draw_row), not in its label ("Error
 * code:" is no hit for error). */
static bool row_hit(app *a, const doc_row *row)
{
	return find_row_has_term(a, row->text + row->prefix, (enum search_where)row->where);
}

/* n and N: the next row, onwards, with a word of the search, laying out
 * only as far as it; then round from the start.  Or back, and round from
 * the end. */
static bool detail_next_hit(app *a, void *self, int dir)
{
	detail *d = self;
	size_t top = d->at_hit ? d->hit : d->top, row;

	if (!d->doc.nitems || d->rec != a->current)
		return false;
	if (dir > 0) {
		for (row = top + 1; row < d->doc.n || doc_need(&d->doc, row + 256) > row; row++)
			if (row_hit(a, &d->doc.rows[row]))
				goto found;
		for (row = 0; row < top; row++)
			if (row_hit(a, &d->doc.rows[row]))
				goto found;
	} else {
		for (row = top; row-- > 0;)
			if (row_hit(a, &d->doc.rows[row]))
				goto found;
		doc_need(&d->doc, (size_t)-1);
		for (row = d->doc.n; row-- > top + 1;)
			if (row_hit(a, &d->doc.rows[row]))
				goto found;
	}
	snprintf(a->msg, sizeof a->msg, "%s", _("No more hits in this record."));
	return true;
found:
	d->top = d->hit = row;
	d->at_hit = true;
	return true;
}

static bool detail_pending(const app *a, const void *self)
{
	const detail *d = self;

	return a->current != KB_NONE && d->rec == a->current && d->doc.nitems &&
	       !doc_complete(&d->doc) && d->doc.n < DETAIL_IDLE_ROWS;
}

static void detail_slice(app *a, void *self, double ms)
{
	detail *d = self;
	double t0 = ui_now_ms();

	while (detail_pending(a, d) && ui_now_ms() - t0 < ms)
		doc_need(&d->doc, d->doc.n + 512);
}

static void detail_click(app *a, void *self, rect r, int y, int x, request *rq)
{
	(void)a; (void)self; (void)r; (void)y; (void)x; (void)rq;
}

const pane_ops detail_pane = {
	.create = detail_create,
	.destroy = detail_destroy,
	.draw = detail_draw,
	.key = detail_key,
	.click = detail_click,
	.wheel = detail_wheel,
	.next_hit = detail_next_hit,
	.pending = detail_pending,
	.slice = detail_slice,
};
