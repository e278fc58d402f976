/* Copying what fixes the error: a picker of the commands in the record's
 * workarounds (and dead ends, with a warning), the exact text shown before
 * it goes anywhere, every clipboard at hand, and an honest status line. */
#include <config.h>
#include "clipboard.h"
#include "commands.h"
#include "draw.h"
#include "i18n.h"
#include "textcell.h"
#include "ui.h"
#include "xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A row of the picker. */
struct pick {
	char *label;               /* a heading (not chosen), or NULL */
	char *text;                /* what would be copied, cleaned */
	bool dead_end;
	bool command;              /* it runs as it stands, else it is text to copy */
	bool section;              /* the heading of the texts */
};

/* The picker's own state: its rows, and the row it is on (on a heading:
 * on none).  links: the record's links, to open (o), not commands. */
typedef struct picker {
	struct pick *v;
	size_t n, cur;
	bool links;
} picker;

/* Its question, over it: the risk, and the text that would go. */
typedef struct question {
	const char *risk;
	char *text;
} question;

static const overlay_ops picker_ops, question_ops;

/* Rows being gathered: the commands, or the texts. */
struct rows {
	struct pick *v;
	size_t n, cap;
};

static void put(struct rows *r, char *label, char *text, bool dead_end, bool command)
{
	/* Doubling: a record with 100,000 workarounds has 300,000 rows. */
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	r->v[r->n++] = (struct pick){ .label = label, .text = text, .dead_end = dead_end,
				      .command = command };
}

/* A text row under the group's heading, the heading first if it is not
 * there yet (a group with nothing of a kind has no heading there). */
static void put_under(struct rows *r, size_t *head_at, const char *head, char *text,
		      bool dead_end, bool command)
{
	if (*head_at == SIZE_MAX) {
		*head_at = r->n;
		put(r, xstrdup(head), NULL, dead_end, false);
	}
	put(r, NULL, text, dead_end, command);
}

static bool seen_in(const struct rows *r, size_t head_at, const char *text)
{
	for (size_t j = head_at == SIZE_MAX ? r->n : head_at + 1; j < r->n; j++)
		if (!strcmp(r->v[j].text, text))
			return true;
	return false;
}

static void picker_destroy(void *self)
{
	picker *pk = self;

	for (size_t i = 0; i < pk->n; i++) {
		free(pk->v[i].label);
		free(pk->v[i].text);
	}
	free(pk->v);
	free(pk);
}

/* What action and how (in the language shown, else English) hold: the
 * commands that run as they stand into cmds, the rest and then the whole
 * text into texts, each under head. */
static void add_group(app *a, struct rows *cmds, struct rows *texts, const char *head,
		      const kb_text *action, const kb_text *how, const kb_text *why, bool dead_end)
{
	const char *act = kb_text_get(action, a->lang, NULL), *h = kb_text_get(how, a->lang, NULL);
	const char *parts[] = { act, h };
	size_t cmd_head = SIZE_MAX, text_head = SIZE_MAX;
	char *whole;

	for (int p = 0; p < 2; p++) {
		char **v;
		size_t n;

		if (!parts[p] || (p == 1 && act && !strcmp(parts[1], act)))
			continue;
		n = commands_extract(parts[p], &v);
		for (size_t i = 0; i < n; i++) {
			char *c = commands_clean_copy(v[i], 0);
			bool run = commands_runnable(c);

			/* action and how often name the same command */
			if (seen_in(run ? cmds : texts, run ? cmd_head : text_head, c))
				free(c);
			else if (run)
				put_under(cmds, &cmd_head, head, c, dead_end, true);
			else
				put_under(texts, &text_head, head, c, dead_end, false);
		}
		commands_free(v, n);
	}
	if (asprintf(&whole, "%s%s%s%s%s", act ? act : "", act && h && strcmp(act, h) ? " " : "",
		     h && (!act || strcmp(act, h)) ? h : "", why && why->en ? " " : "",
		     why ? kb_text_get(why, a->lang, NULL) ? kb_text_get(why, a->lang, NULL) : "" : "") < 0)
		die("out of memory");
	put_under(texts, &text_head, head, commands_clean_copy(whole, 0), dead_end, false);
	free(whole);
}

/* Workarounds by success rate, highest first; those without one after,
 * each kind in the record's order.  qsort passes no context: the record's
 * workarounds are here while copy_open sorts them. */
static const kb_workaround *by_rate_ws;

static int by_rate(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	double ri = by_rate_ws[i].success_rate, rj = by_rate_ws[j].success_rate;

	if (isnan(ri) != isnan(rj))
		return isnan(ri) ? 1 : -1;
	if (!isnan(ri) && ri != rj)
		return ri > rj ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* The first row from c on, going dir (1 or -1), that is not a heading; c
 * when there is none that way. */
static size_t not_heading(const picker *pk, size_t c, int dir)
{
	for (size_t i = c; i < pk->n; i += (size_t)dir) {
		if (!pk->v[i].label)
			return i;
		if (dir < 0 && i == 0)
			break;
	}
	return c;
}

bool copy_open(app *a, request *rq)
{
	const kb_record *r;
	struct rows cmds = { 0 }, texts = { 0 };
	size_t *order;
	picker *pk;

	if (a->current == KB_NONE)
		return false;
	r = &a->k->recs[a->current];
	order = xmalloc((r->nworkarounds ? r->nworkarounds : 1) * sizeof *order);
	for (size_t i = 0; i < r->nworkarounds; i++)
		order[i] = i;
	by_rate_ws = r->workarounds;
	qsort(order, r->nworkarounds, sizeof *order, by_rate);
	for (size_t k = 0; k < r->nworkarounds; k++) {
		const kb_workaround *w = &r->workarounds[order[k]];
		char head[96];

		/* The number is the one the detail pane shows. */
		if (isnan(w->success_rate))
			snprintf(head, sizeof head, "✓ %s %zu", _("workaround"), order[k] + 1);
		else
			snprintf(head, sizeof head, "✓ %s %zu (%.0f%%)", _("workaround"), order[k] + 1,
				 w->success_rate * 100);
		add_group(a, &cmds, &texts, head, &w->action, &w->how, NULL, false);
	}
	free(order);
	for (size_t i = 0; i < r->ndead_ends; i++) {
		char head[96];

		snprintf(head, sizeof head, "✗ %s %zu", _("dead end"), i + 1);
		add_group(a, &cmds, &texts, head, &r->dead_ends[i].action, &r->dead_ends[i].condition,
			  &r->dead_ends[i].why_fails, true);
	}
	/* Commands first, then the texts under a heading of their own. */
	if (texts.n) {
		cmds.v = xgrow(cmds.v, &cmds.cap, cmds.n + texts.n + 1, sizeof *cmds.v);
		cmds.v[cmds.n++] = (struct pick){ .label = xstrdup(_("Text to copy (not commands)")),
						  .section = true };
		memcpy(cmds.v + cmds.n, texts.v, texts.n * sizeof *texts.v);
		cmds.n += texts.n;
	}
	free(texts.v);
	if (!cmds.n) {
		free(cmds.v);
		snprintf(a->msg, sizeof a->msg, "%s", _("This record has nothing to copy."));
		return false;
	}
	pk = xcalloc(1, sizeof *pk);
	pk->v = cmds.v;
	pk->n = cmds.n;
	/* On the first command, the best workaround's; with none (or only a
	 * dead end's), on no row: a text, or a dead end, is chosen only by
	 * moving to it. */
	pk->cur = pk->v[1].command && !pk->v[1].dead_end ? 1 : 0;
	rq->open = (layer){ &picker_ops, pk };
	return true;
}

/* Copy text by every means there is, and say which worked. */
static void copy_text(app *a, const char *text)
{
	unsigned tried, ok = clipboard_helpers(text, &tried);
	char *osc = NULL;
	const char *saved = NULL;

	if (a->tty_out) {
		osc = clipboard_osc52(text);
		if (osc) {
			fputs(osc, a->tty_out);
			fflush(a->tty_out);
		}
	}
	if (!ok)
		saved = clipboard_save(text);
	if (ok && osc)
		snprintf(a->msg, sizeof a->msg, _("Copied with %s; also sent to the terminal by OSC 52."),
			 clipboard_names(ok));
	else if (ok)
		snprintf(a->msg, sizeof a->msg, _("Copied with %s (too long for OSC 52)."), clipboard_names(ok));
	else if (osc)
		snprintf(a->msg, sizeof a->msg,
			 _("Sent by OSC 52 only: it reaches the clipboard if the terminal allows it. Also in %s"),
			 saved ? saved : "?");
	else
		snprintf(a->msg, sizeof a->msg, _("Not copied: no clipboard helper worked%s. The text is in %s"),
			 tried ? "" : _(" (none found)"), saved ? saved : _("the picker only"));
	free(osc);
}

/* The text chosen: printed by errkb pick, else copied. */
static void choose(app *a, const char *text)
{
	if (a->pick_mode) {
		free(a->picked);
		a->picked = xstrdup(text);
		a->quit = true;
	} else {
		copy_text(a, text);
	}
}

/* The rows of the list on screen (picker_draw's). */
static size_t copy_page(const app *a)
{
	return a->rows > 10 ? (size_t)(a->rows - 9) : 1;
}

static void open_link(app *a, const char *url);

static void enter(app *a, picker *pk, request *rq)
{
	const struct pick *p = &pk->v[pk->cur];
	const char *risk;
	question *qn;

	if (pk->links) {
		if (!p->label) {
			open_link(a, p->text);
			rq->close = 1;
		}
		return;
	}
	if (p->label) {
		snprintf(a->msg, sizeof a->msg, "%s",
			 _("This record has no command to run: move to a text to copy it."));
		return;
	}
	risk = commands_risk(p->text);
	/* Ask first: a dead end does not fix anything, some commands do
	 * harm when pasted in a hurry, and errkb pick's output goes to a
	 * shell, which text is not for. */
	if (p->dead_end)
		risk = _("this is a dead end: it does not fix the error");
	else if (!risk && a->pick_mode && !p->command)
		risk = _("this is text to copy, not a command");
	if (!risk) {
		choose(a, p->text);
		rq->close = 1;
		return;
	}
	qn = xcalloc(1, sizeof *qn);
	qn->risk = risk;
	qn->text = xstrdup(p->text);
	rq->open = (layer){ &question_ops, qn };
}

/* The picker's keys: the actions in force move (move-down, page-down,
 * first...), open chooses, quit and copy close, as in the rest of the
 * browser; Esc closes too. */
static void picker_key(app *a, void *self, const key_event *k, request *rq)
{
	picker *pk = self;
	size_t cur = pk->cur, n = pk->n, page = copy_page(a), c = cur;

	if (k->alt)
		return;
	switch (k->act) {
	case ACT_DOWN:
		c = cur + 1 < n ? not_heading(pk, cur + 1, 1) : cur;
		break;
	case ACT_UP:
		c = cur > 0 ? not_heading(pk, cur - 1, -1) : cur;
		break;
	case ACT_PAGE_DOWN:
		c = not_heading(pk, cur + page < n ? cur + page : n - 1, cur + page < n ? 1 : -1);
		break;
	case ACT_PAGE_UP:
		c = not_heading(pk, cur > page ? cur - page : 0, cur > page ? -1 : 1);
		break;
	case ACT_FIRST:
		c = not_heading(pk, 0, 1);
		break;
	case ACT_LAST:
		c = not_heading(pk, n - 1, -1);
		break;
	case ACT_ENTER:
		enter(a, pk, rq);
		return;
	case ACT_COPY:
		/* Of a link: copies it, as the status line says. */
		if (pk->links && !pk->v[cur].label) {
			copy_text(a, pk->v[cur].text);
			rq->close = 1;
			return;
		}
		rq->close = 1;
		return;
	case ACT_QUIT: case ACT_HELP:
		rq->close = 1;
		return;
	default:
		if (!k->is_code && k->key == 27)
			rq->close = 1;
		return;
	}
	if (c < n && !pk->v[c].label)
		pk->cur = c;
}

/* The question's answers: y chooses (and closes the picker too), n, Esc
 * or quit go back to the picker. */
static void question_key(app *a, void *self, const key_event *k, request *rq)
{
	question *qn = self;

	if (k->alt)
		return;
	if (!k->is_code && (k->key == 'y' || k->key == 'Y')) {
		choose(a, qn->text);
		rq->close = 2;
	} else if ((!k->is_code && (k->key == 'n' || k->key == 'N' || k->key == 27)) || k->act == ACT_QUIT) {
		rq->close = 1;
	}
}

static void question_destroy(void *self)
{
	question *qn = self;

	free(qn->text);
	free(qn);
}

/* Over the picker's "Exact text" place: the warning and the question. */
static void question_draw(app *a, void *self)
{
	question *qn = self;
	int w = a->cols < 90 ? a->cols : 90, x0 = (a->cols - w) / 2, h = 4, y0 = a->rows - 1 - h - 3;
	char *q;

	if (w < 12 || y0 < 1)
		return;
	draw_frame(y0, x0 + 2, h, w - 4, _("Warning:"), UI_STATUS);
	if (asprintf(&q, a->pick_mode ? _("%s. Choose anyway? y/n") : _("%s. Copy anyway? y/n"),
		     qn->risk) >= 0) {
		draw_untrusted(y0 + 1, x0 + 4, q, w - 8, UI_BAD);
		free(q);
	}
	draw_untrusted(y0 + 2, x0 + 4, qn->text, w - 8, UI_STATUS);
}

static void picker_draw(app *a, void *self)
{
	picker *pk = self;
	int w = a->cols < 90 ? a->cols : 90, h = a->rows - 1, x0 = (a->cols - w) / 2;
	int list_h, prev_h = 5, y;
	size_t top = 0;
	tc_span *spans;
	size_t nl;

	if (h < 7 || w < 12)
		return;
	list_h = h - prev_h - 3;        /* the frame's top and bottom, "Exact text:" */
	if (list_h < 2) {
		list_h = h - 4;
		prev_h = 1;
	}
	{
		/* The keys in force, as the config may have moved them. */
		char enter[16], down[16], up[16], close[16], copy[16], title[160];

		if (pk->links)
			snprintf(title, sizeof title, _("Open: %s opens, %s copies, %s/%s move, %s/Esc closes"),
				 first_key(ACT_ENTER, enter), first_key(ACT_COPY, copy), first_key(ACT_DOWN, down),
				 first_key(ACT_UP, up), first_key(ACT_QUIT, close));
		else
			snprintf(title, sizeof title, a->pick_mode ? _("Pick: %s chooses, %s/%s move, %s/Esc closes")
								   : _("Copy: %s copies, %s/%s move, %s/Esc closes"),
				 first_key(ACT_ENTER, enter), first_key(ACT_DOWN, down), first_key(ACT_UP, up),
				 first_key(ACT_QUIT, close));
		draw_frame(0, x0, h, w, title, UI_STATUS);
	}
	if (pk->cur >= (size_t)list_h / 2)
		top = pk->cur - (size_t)list_h / 2;
	for (int i = 0; i < list_h && top + (size_t)i < pk->n; i++) {
		const struct pick *p = &pk->v[top + (size_t)i];
		bool sel = top + (size_t)i == pk->cur;

		if (p->label) {
			draw_untrusted(1 + i, x0 + 2, p->label, w - 4,
				       p->section ? UI_TITLE : p->dead_end ? UI_BAD : UI_LABEL);
			continue;
		}
		if (sel)
			draw_fill(1 + i, x0 + 1, w - 2, UI_SEL);
		draw_untrusted(1 + i, x0 + 4, p->text, w - 6, sel ? UI_SEL : UI_STATUS);
	}
	/* The exact text that would be copied, whole. */
	y = 1 + list_h;
	if (pk->v[pk->cur].label) {
		draw_text(y, x0 + 2, _("No command to run here: the texts below can be copied."),
			  w - 4, UI_LABEL);
		return;
	}
	draw_text(y++, x0 + 2, pk->links ? _("Link:") : _("Exact text:"), w - 4, UI_LABEL);
	if (y < h - 1) {            /* above the frame's bottom */
		/* Only what fits is laid out: a screenful of a long text.  A
		 * cell takes at most a few bytes (a cluster's marks aside), so
		 * a bounded prefix fills the space left. */
		const char *text = pk->v[pk->cur].text;
		size_t room = (size_t)(h - 1 - y) * (size_t)w * 16 + 16, len = strlen(text);
		char *prefix, *clean;

		if (len > room) {
			while (room > 0 && ((unsigned char)text[room] & 0xC0) == 0x80)
				room--;
			len = room;
		}
		prefix = xstrndup(text, len);
		clean = tc_clean(prefix);
		nl = tc_wrap_max(clean, w - 4, (size_t)(h - 1 - y), &spans);
		for (size_t i = 0; i < nl && y < h - 1; i++, y++) {
			char *seg = xstrndup(clean + spans[i].off, spans[i].len);
			int used = draw_text(y, x0 + 2, seg, w - 4, UI_STATUS);

			if (spans[i].cont && used < w - 4)
				draw_text(y, x0 + 2 + used, "\xE2\x86\xA9", 1, UI_STATUS);    /* ↩: it goes on */
			free(seg);
		}
		free(spans);
		free(clean);
		free(prefix);
	}
}

static const overlay_ops picker_ops = {
	.draw = picker_draw,
	.key = picker_key,
	.destroy = picker_destroy,
};

static const overlay_ops question_ops = {
	.draw = question_draw,
	.key = question_key,
	.destroy = question_destroy,
};

void copy_record(app *a)
{
	doc d = { 0 };
	size_t len = 1;
	char *all, *clean;

	if (a->current == KB_NONE)
		return;
	/* Not wrapped: a command is copied on one line, as it is. */
	doc_build(&d, a->k, &a->k->recs[a->current], a->lang, DOC_UNWRAPPED);
	doc_need(&d, (size_t)-1);
	for (size_t i = 0; i < d.n; i++)
		len += strlen(d.rows[i].text) + 1;
	all = xmalloc(len);
	len = 0;
	for (size_t i = 0; i < d.n; i++) {
		size_t n = strlen(d.rows[i].text);

		memcpy(all + len, d.rows[i].text, n);
		all[len + n] = '\n';
		len += n + 1;
	}
	all[len] = '\0';
	doc_free(&d);
	clean = commands_clean_copy(all, 1);
	copy_text(a, clean);
	free(clean);
	free(all);
}

/* Open url in a browser (xdg-open, or macOS's open), without a shell; if
 * none can be started, copy it.  Said in the status line. */
static void open_link(app *a, const char *url)
{
	char *clean = commands_clean_copy(url, 0);
	const char *const xdg[] = { "xdg-open", clean, NULL };
	const char *const mac[] = { "open", clean, NULL };

	if (clipboard_run(xdg, NULL) || clipboard_run(mac, NULL)) {
		snprintf(a->msg, sizeof a->msg, _("Opened %s"), clean);
	} else {
		copy_text(a, clean);
		snprintf(a->msg + strlen(a->msg), sizeof a->msg - strlen(a->msg), " %s",
			 _("(no browser could be started: the link was copied instead)"));
	}
	free(clean);
}

static bool web_link(const char *s)
{
	return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

/* A link row under head (added when it is not there yet), unless the
 * link is listed already; *found: links seen, *other: not http(s). */
static void put_link(struct rows *r, size_t *head_at, const char *head, const char *url, size_t *found,
		     size_t *other)
{
	char *clean;

	if (!url || !*url)
		return;
	if (!web_link(url)) {
		(*other)++;
		return;
	}
	for (size_t j = 0; j < r->n; j++)
		if (!r->v[j].label && !strcmp(r->v[j].text, url))
			return;
	clean = commands_clean_copy(url, 0);
	put_under(r, head_at, head, clean, false, false);
	(*found)++;
}

bool copy_open_links(app *a, request *rq)
{
	const kb_record *r;
	struct rows rows = { 0 };
	size_t found = 0, other = 0, at;
	picker *pk;

	if (a->current == KB_NONE)
		return false;
	r = &a->k->recs[a->current];
	at = SIZE_MAX;
	put_link(&rows, &at, _("Documentation"), r->official_doc_url, &found, &other);
	at = SIZE_MAX;
	for (size_t i = 0; i < r->nsources; i++)
		put_link(&rows, &at, _("Sources"), r->sources[i], &found, &other);
	for (size_t i = 0; i < r->nworkarounds; i++) {
		char head[64];

		snprintf(head, sizeof head, "✓ %s %zu", _("workaround"), i + 1);
		at = SIZE_MAX;
		for (size_t j = 0; j < r->workarounds[i].nsources; j++)
			put_link(&rows, &at, head, r->workarounds[i].sources[j], &found, &other);
	}
	for (size_t i = 0; i < r->ndead_ends; i++) {
		char head[64];

		snprintf(head, sizeof head, "✗ %s %zu", _("dead end"), i + 1);
		at = SIZE_MAX;
		for (size_t j = 0; j < r->dead_ends[i].nsources; j++)
			put_link(&rows, &at, head, r->dead_ends[i].sources[j], &found, &other);
	}
	if (found <= 1) {
		/* One link: opened at once, as before there were sources. */
		if (found == 1)
			open_link(a, rows.v[1].text);
		else
			snprintf(a->msg, sizeof a->msg, "%s",
				 other ? _("Only http and https links are opened.")
				       : _("This record has no documentation link or source."));
		for (size_t j = 0; j < rows.n; j++) {
			free(rows.v[j].label);
			free(rows.v[j].text);
		}
		free(rows.v);
		return false;
	}
	pk = xcalloc(1, sizeof *pk);
	pk->v = rows.v;
	pk->n = rows.n;
	pk->cur = 1;               /* the first link: row 0 is its heading */
	pk->links = true;
	rq->open = (layer){ &picker_ops, pk };
	return true;
}
