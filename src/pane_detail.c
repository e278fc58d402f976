/* The detail pane: every section of the current record, scrolled. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "ui.h"

#include <stdio.h>
#include <string.h>

static const enum ui_style style_of[] = {
	[DS_TEXT] = UI_NORMAL, [DS_HEADING] = UI_HEADING, [DS_LABEL] = UI_LABEL,
	[DS_MARK] = UI_MARK, [DS_DIM] = UI_DIM, [DS_GOOD] = UI_GOOD, [DS_BAD] = UI_BAD,
	[DS_ID] = UI_ID, [DS_LINK] = UI_LINK,
};

/* Lay the record out again only when what it depends on changed. */
static void refresh_doc(app *a, int width)
{
	if (a->doc.n && a->doc_rec == a->current && a->doc_width == width &&
	    a->doc_lang == (int)a->lang)
		return;
	if (a->doc_rec != a->current)
		a->doc_top = 0;
	doc_build(&a->doc, a->k, &a->k->recs[a->current], a->lang, width);
	a->doc_rec = a->current;
	a->doc_width = width;
	a->doc_lang = (int)a->lang;
}

static size_t max_top(app *a, int h)
{
	return a->doc.n > (size_t)h ? a->doc.n - (size_t)h : 0;
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
	if (a->doc_top > max_top(a, c.h))
		a->doc_top = max_top(a, c.h);
	snprintf(info, sizeof info, "%zu-%zu/%zu", a->doc_top + 1,
		 a->doc_top + (size_t)c.h < a->doc.n ? a->doc_top + (size_t)c.h : a->doc.n, a->doc.n);
	pane_frame(a, r, focused, _("Detail"), info);
	for (int i = 0; i < c.h && a->doc_top + (size_t)i < a->doc.n; i++) {
		const doc_row *row = &a->doc.rows[a->doc_top + (size_t)i];
		int used = 0;

		if (row->prefix) {
			char save = row->text[row->prefix];

			/* Draw the prefix alone: its bytes end on a character. */
			row->text[row->prefix] = '\0';
			used = draw_text(c.y + i, c.x, row->text, c.w, style_of[row->prefix_style]);
			row->text[row->prefix] = save;
		}
		draw_marked(a, c.y + i, c.x + used, row->text + row->prefix, c.w - used, style_of[row->style]);
	}
}

static bool detail_key(app *a, enum action act, rect r)
{
	int h = r.h - 1;
	size_t top = a->doc_top, mt = max_top(a, h);

	switch (act) {
	case ACT_DOWN: top = top < mt ? top + 1 : mt; break;
	case ACT_UP: top = top ? top - 1 : 0; break;
	case ACT_PAGE_DOWN: top = top + (size_t)h < mt ? top + (size_t)h : mt; break;
	case ACT_PAGE_UP: top = top > (size_t)h ? top - (size_t)h : 0; break;
	case ACT_FIRST: top = 0; break;
	case ACT_LAST: top = mt; break;
	default: return false;
	}
	a->doc_top = top;
	return true;
}

static void detail_scroll(app *a, rect r, int lines)
{
	size_t mt = max_top(a, r.h - 1);

	if (lines < 0)
		a->doc_top = (size_t)-lines > a->doc_top ? 0 : a->doc_top - (size_t)-lines;
	else
		a->doc_top = a->doc_top + (size_t)lines > mt ? mt : a->doc_top + (size_t)lines;
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
