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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(app *a, char *label, char *text, bool dead_end)
{
	/* Doubling: a record with 100,000 workarounds has 300,000 rows. */
	a->picks = xgrow(a->picks, &a->cappicks, a->npicks + 1, sizeof *a->picks);
	a->picks[a->npicks++] = (struct pick){ .label = label, .text = text, .dead_end = dead_end };
}

void copy_free(app *a)
{
	for (size_t i = 0; i < a->npicks; i++) {
		free(a->picks[i].label);
		free(a->picks[i].text);
	}
	free(a->picks);
	a->picks = NULL;
	a->npicks = a->cappicks = a->pick_cur = 0;
	a->picking = false;
	a->confirm = NULL;
}

/* The commands of action and how (in the language shown, else English),
 * then the whole text. */
static void add_group(app *a, const char *head, const kb_text *action, const kb_text *how,
		      const kb_text *why, bool dead_end)
{
	const char *act = kb_text_get(action, a->lang, NULL), *h = kb_text_get(how, a->lang, NULL);
	const char *parts[] = { act, h };
	char *whole;

	size_t first = a->npicks + 1;

	add(a, xstrdup(head), NULL, dead_end);
	for (int p = 0; p < 2; p++) {
		char **v;
		size_t n;

		if (!parts[p] || (p == 1 && act && !strcmp(parts[1], act)))
			continue;
		n = commands_extract(parts[p], &v);
		for (size_t i = 0; i < n; i++) {
			char *c = commands_clean_copy(v[i], 0);
			bool seen = false;

			/* action and how often name the same command */
			for (size_t j = first; j < a->npicks && !seen; j++)
				seen = !strcmp(a->picks[j].text, c);
			if (seen)
				free(c);
			else
				add(a, NULL, c, dead_end);
		}
		commands_free(v, n);
	}
	if (asprintf(&whole, "%s%s%s%s%s", act ? act : "", act && h && strcmp(act, h) ? " " : "",
		     h && (!act || strcmp(act, h)) ? h : "", why && why->en ? " " : "",
		     why ? kb_text_get(why, a->lang, NULL) ? kb_text_get(why, a->lang, NULL) : "" : "") < 0)
		die("out of memory");
	add(a, NULL, commands_clean_copy(whole, 0), dead_end);
	free(whole);
}

void copy_open(app *a)
{
	const kb_record *r;

	if (a->current == KB_NONE)
		return;
	copy_free(a);
	r = &a->k->recs[a->current];
	for (size_t i = 0; i < r->nworkarounds; i++) {
		char head[64];

		snprintf(head, sizeof head, "✓ %s %zu", _("workaround"), i + 1);
		add_group(a, head, &r->workarounds[i].action, &r->workarounds[i].how, NULL, false);
	}
	for (size_t i = 0; i < r->ndead_ends; i++) {
		char head[64];

		snprintf(head, sizeof head, "✗ %s %zu", _("dead end"), i + 1);
		add_group(a, head, &r->dead_ends[i].action, &r->dead_ends[i].condition,
			  &r->dead_ends[i].why_fails, true);
	}
	if (!a->npicks) {
		snprintf(a->msg, sizeof a->msg, "%s", _("This record has nothing to copy."));
		return;
	}
	a->pick_cur = 1;      /* the first row is a heading */
	a->picking = true;
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

static void choose(app *a)
{
	const char *text = a->picks[a->pick_cur].text;

	if (a->pick_mode) {
		free(a->picked);
		a->picked = xstrdup(text);
		a->quit = true;
	} else {
		copy_text(a, text);
	}
	copy_free(a);
}

bool copy_key(app *a, int key, bool is_code)
{
	int dir = 0;

	if (!a->picking)
		return false;
	if (a->confirm) {
		if (!is_code && (key == 'y' || key == 'Y'))
			choose(a);
		else if (!is_code && (key == 'n' || key == 'N' || key == 27 || key == 'q'))
			a->confirm = NULL;
		return true;
	}
	if (is_code ? key == KEY_DOWN : key == 'j')
		dir = 1;
	else if (is_code ? key == KEY_UP : key == 'k')
		dir = -1;
	else if ((is_code && key == KEY_ENTER) || (!is_code && (key == '\r' || key == '\n'))) {
		const char *risk = commands_risk(a->picks[a->pick_cur].text);

		/* Ask first: a dead end does not fix anything, and some
		 * commands do harm when pasted in a hurry. */
		if (a->picks[a->pick_cur].dead_end)
			a->confirm = _("this is a dead end: it does not fix the error");
		else if (risk)
			a->confirm = risk;
		else
			choose(a);
	} else if (!is_code && (key == 27 || key == 'q')) {
		copy_free(a);
	}
	if (dir) {
		size_t c = a->pick_cur;

		do {
			if ((dir < 0 && c == 0) || (dir > 0 && c + 1 >= a->npicks))
				break;
			c += (size_t)dir;
		} while (a->picks[c].label);
		if (!a->picks[c].label)
			a->pick_cur = c;
	}
	return true;
}

void copy_draw(app *a)
{
	int w = a->cols < 90 ? a->cols : 90, h = a->rows - 1, x0 = (a->cols - w) / 2;
	int list_h, prev_h = 5, y;
	size_t top = 0;
	tc_span *spans;
	size_t nl;

	if (!a->picking || h < 6 || w < 12)
		return;
	list_h = h - prev_h - 2;
	if (list_h < 2) {
		list_h = h - 3;
		prev_h = 1;
	}
	for (int i = 0; i < h; i++)
		draw_fill(i, x0, w, UI_STATUS);
	draw_text(0, x0 + 1, a->pick_mode ? _("Pick: Enter chooses, Esc closes")
					   : _("Copy: Enter copies, Esc closes"), w - 2, UI_TITLE_FOCUS);
	if (a->pick_cur >= (size_t)list_h / 2)
		top = a->pick_cur - (size_t)list_h / 2;
	for (int i = 0; i < list_h && top + (size_t)i < a->npicks; i++) {
		const struct pick *p = &a->picks[top + (size_t)i];
		bool sel = top + (size_t)i == a->pick_cur;

		if (p->label) {
			draw_untrusted(1 + i, x0 + 1, p->label, w - 2, p->dead_end ? UI_BAD : UI_LABEL);
			continue;
		}
		if (sel)
			draw_fill(1 + i, x0, w, UI_SEL);
		draw_untrusted(1 + i, x0 + 3, p->text, w - 4, sel ? UI_SEL : UI_STATUS);
	}
	/* The exact text that would be copied, whole. */
	y = 1 + list_h;
	draw_text(y++, x0 + 1, a->confirm ? _("Warning:") : _("Exact text:"), w - 2,
		  a->confirm ? UI_BAD : UI_LABEL);
	if (a->confirm) {
		char *q;

		if (asprintf(&q, _("%s. Copy anyway? y/n"), a->confirm) >= 0) {
			draw_untrusted(y++, x0 + 1, q, w - 2, UI_BAD);
			free(q);
		}
	}
	if (y < h) {
		/* Only what fits is laid out: a screenful of a long text.  A
		 * cell takes at most a few bytes (a cluster's marks aside), so
		 * a bounded prefix fills the space left. */
		const char *text = a->picks[a->pick_cur].text;
		size_t room = (size_t)(h - y) * (size_t)w * 16 + 16, len = strlen(text);
		char *prefix, *clean;

		if (len > room) {
			while (room > 0 && ((unsigned char)text[room] & 0xC0) == 0x80)
				room--;
			len = room;
		}
		prefix = xstrndup(text, len);
		clean = tc_clean(prefix);
		nl = tc_wrap_max(clean, w - 2, (size_t)(h - y), &spans);
		for (size_t i = 0; i < nl && y < h; i++, y++) {
			char *seg = xstrndup(clean + spans[i].off, spans[i].len);
			int used = draw_text(y, x0 + 1, seg, w - 2, UI_STATUS);

			if (spans[i].cont && used < w - 2)
				draw_text(y, x0 + 1 + used, "\xE2\x86\xA9", 1, UI_STATUS);    /* ↩: it goes on */
			free(seg);
		}
		free(spans);
		free(clean);
		free(prefix);
	}
}

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

void copy_open_doc(app *a)
{
	const char *url;

	if (a->current == KB_NONE)
		return;
	url = a->k->recs[a->current].official_doc_url;
	if (!url || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))) {
		snprintf(a->msg, sizeof a->msg, "%s", url ? _("Only http and https links are opened.")
						       : _("This record has no documentation link."));
		return;
	}
	{
		char *clean = commands_clean_copy(url, 0);
		const char *const xdg[] = { "xdg-open", clean, NULL };
		const char *const mac[] = { "open", clean, NULL };

		if (clipboard_run(xdg, NULL) || clipboard_run(mac, NULL)) {
			snprintf(a->msg, sizeof a->msg, "%s", _("Opened the documentation."));
		} else {
			copy_text(a, clean);
			snprintf(a->msg + strlen(a->msg), sizeof a->msg - strlen(a->msg), " %s",
				 _("(no browser could be started: the link was copied instead)"));
		}
		free(clean);
	}
}
