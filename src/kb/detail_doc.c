#include <config.h>
#include "detail_doc.h"
#include "i18n.h"
#include "search.h"
#include "textcell.h"
#include "textscan.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
	doc *d;
	int width;
	enum kb_lang lang;
	enum search_where where;   /* of the items added now */
	bool estimate;             /* its rates were written by hand or a model: estimates */
} builder;

/* An item: one paragraph to wrap, or a blank row. */
typedef struct doc_item {
	char *head;            /* clean "label: [EN] ", or NULL for a blank row */
	const char *text;      /* the KB text, borrowed from the record, or own */
	char *own;
	int indent;
	size_t mark0, mark1;   /* bytes of text the rows mark (evidence), in text as cleaned */
	uint8_t style, prefix_style;
	uint8_t where;         /* enum search_where: its rows' */
} doc_item;

static void add_item(builder *b, doc_item it)
{
	doc *d = b->d;

	it.where = (uint8_t)b->where;
	d->items = xgrow(d->items, &d->icap, d->nitems + 1, sizeof *d->items);
	d->items[d->nitems++] = it;
}

static void blank(builder *b)
{
	add_item(b, (doc_item){ 0 });
}

/* "label: text" wrapped to the width with a hanging indent; the label (and
 * an [EN] marker when Chinese fell back to English) in its own style.
 * Only noted here: doc_need lays it out when its rows are wanted.  own:
 * text itself when it was made for the doc (malloc'd), NULL when it is
 * borrowed from the record. */
static void para_text(builder *b, int indent, const char *label, const char *text, char *own,
		      bool fallback, int style)
{
	char *head, *lab;

	if (!text || !*text) {
		free(own);
		return;
	}
	/* Labels are KB text too: extras are labelled by their member names. */
	lab = label ? tc_clean(label) : xstrdup("");
	/* Not asprintf: a label is KB text, of any length. */
	head = xmalloc(strlen(lab) + 8);
	strcpy(head, lab);
	strcat(head, label ? ": " : "");
	strcat(head, fallback ? "[EN] " : "");
	free(lab);
	add_item(b, (doc_item){ .head = head, .text = text, .own = own,
				.indent = indent, .style = (uint8_t)style,
				.prefix_style = fallback ? UI_MARK : UI_LABEL });
}

static void para(builder *b, int indent, const char *label, const char *text, bool fallback, int style)
{
	para_text(b, indent, label, text, NULL, fallback, style);
}

/* The same for a text made here (malloc'd): the doc keeps it. */
static void para_own(builder *b, int indent, const char *label, char *text, int style)
{
	para_text(b, indent, label, text, text, false, style);
}

static void text_para(builder *b, int indent, const char *label, const kb_text *t, int style)
{
	bool fb;
	const char *s = kb_text_get(t, b->lang, &fb);

	para(b, indent, label, s, fb, style);
}

static void heading(builder *b, const char *title)
{
	blank(b);
	para(b, 0, NULL, title, false, UI_HEADING);
}

const char *doc_rate_bar(double rate, int cells)
{
	static char buf[128];
	int full = (int)lround(rate * cells), o = 0;

	if (cells > 30)
		cells = 30;
	for (int i = 0; i < cells; i++)
		o += snprintf(buf + o, sizeof buf - (size_t)o, "%s", i < full ? "█" : "░");
	snprintf(buf + o, sizeof buf - (size_t)o, " %3.0f%%", rate * 100);
	return buf;
}

static void rate_row(builder *b, int indent, const char *label, double rate, int style)
{
	char *t;

	if (isnan(rate))
		return;
	if (asprintf(&t, "%s%s", doc_rate_bar(rate, 10), b->estimate ? _(" (estimate)") : "") < 0)
		die("out of memory");
	para_own(b, indent, label, t, style);
}


/* Whether s, a text the KB has in one language only, is English prose
 * that Chinese mode marks [EN]: words of letters, no Chinese.  (Not an
 * id, a version, a date, a number or a URL.) */
static bool english_prose(const builder *b, const char *s)
{
	bool letters = false;

	if (b->lang != KB_ZH || !s || text_has_han(s) || !strchr(s, ' ') || strstr(s, "://"))
		return false;
	for (const char *p = s; *p && !letters; p++)
		letters = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) &&
			  ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'));
	return letters;
}

/* An enumerated value of the KB (a version's status, a root cause's
 * type): translated when it is one of known (N_ strings, NULL-ended);
 * else as it is, marked [EN] in Chinese. */
static const char *enum_value(const builder *b, const char *value, const char *const *known, bool *fallback)
{
	for (size_t i = 0; known[i]; i++)
		if (!strcmp(value, known[i])) {
			*fallback = false;
			return _(known[i]);
		}
	*fallback = b->lang == KB_ZH && !text_has_han(value);
	return value;
}

static void enum_para(builder *b, int indent, const char *label, const char *value,
		      const char *const *known, int style)
{
	bool fb;
	char *t;

	if (value && *value) {
		t = xstrdup(enum_value(b, value, known, &fb));
		para_text(b, indent, label, t, t, fb, style);
	}
}

static const char *const status_names[] = {
	N_("active"), N_("deprecated"), N_("removed"), N_("fixed"), N_("unsupported"), NULL,
};
static const char *const cause_types[] = {
	N_("configuration"), N_("environment"), N_("generic"), N_("software_bug"), N_("network"),
	N_("permission"), N_("resource"), N_("dependency"), N_("user_error"), NULL,
};

static const char *const tiers[] = {
	N_("ai_generated"), N_("auto_generated"), N_("human_reviewed"), N_("community_verified"), NULL,
};

static void extras(builder *b, int indent, const kb_extra *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		para(b, indent, x[i].key, x[i].value, english_prose(b, x[i].value), UI_NORMAL);
}

static void summary(builder *b, const kb_record *r)
{
	char line[256];
	int o = 0;

	if (!isnan(r->confidence))
		o += snprintf(line + o, sizeof line - (size_t)o, "%s %.2f   ", _("Confidence"), r->confidence);
	if (!isnan(r->fix_success_rate))
		o += snprintf(line + o, sizeof line - (size_t)o, "%s %.0f%%%s   ", _("Fix success"),
			      r->fix_success_rate * 100, b->estimate ? _(" (estimate)") : "");
	if (r->resolvable)      /* true, partial, false: as the filter dialog says them */
		o += snprintf(line + o, sizeof line - (size_t)o, "%s %s", _("Resolvable"),
			      _(kb_resolvable_name(r->resolvable)));
	if (o)
		para_own(b, 0, NULL, xstrdup(line), UI_DIM);
}

static void links(builder *b, const kb *k, const kb_record *r)
{
	static const char *const names[] = { N_("Leads to"), N_("Preceded by"), N_("Confused with") };
	bool any = r->nbacklinks > 0;

	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		any = any || r->nlinks[kind];
	if (!any)
		return;
	heading(b, _("Links"));
	for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
		for (size_t i = 0; i < r->nlinks[kind]; i++) {
			const kb_link *l = &r->links[kind][i];
			char *t;

			if (asprintf(&t, "%s%s", l->target_id,
				     l->target == KB_NONE ? _(" (not in the KB)") : "") < 0)
				die("out of memory");
			para_own(b, 2, _(names[kind]), t, l->target == KB_NONE ? UI_DIM : UI_LINK);
			if (l->target != KB_NONE)
				text_para(b, 6, NULL, &k->recs[l->target].signature, UI_DIM);
			if (!isnan(l->probability)) {
				char p[32];

				snprintf(p, sizeof p, "%.2f", l->probability);
				para_own(b, 6, _("Probability"), xstrdup(p), UI_NORMAL);
			}
			text_para(b, 6, _("When"), &l->condition, UI_NORMAL);
			text_para(b, 6, _("Typical delay"), &l->typical_delay, UI_NORMAL);
			text_para(b, 6, _("Distinction"), &l->distinction, UI_NORMAL);
		}
	}
	for (size_t i = 0; i < r->nbacklinks; i++) {
		/* What the other record says of this one. */
		static const char *const kinds[] = { N_("leads here"), N_("comes after this"),
						     N_("confused with this") };
		char *t;

		if (asprintf(&t, "%s (%s)", k->recs[r->backlinks[i].from].id,
			     _(kinds[r->backlinks[i].kind])) < 0)
			die("out of memory");
		para_own(b, 2, _("Linked from"), t, UI_LINK);
	}
}

static void dead_ends(builder *b, const kb_record *r)
{
	if (!r->ndead_ends)
		return;
	heading(b, _("Dead ends: what does not work"));
	for (size_t i = 0; i < r->ndead_ends; i++) {
		const kb_dead_end *d = &r->dead_ends[i];
		char num[16];
		bool fb;
		const char *action = kb_text_get(&d->action, b->lang, &fb);

		if (i)
			blank(b);
		snprintf(num, sizeof num, "✗ %zu", i + 1);
		if (action && *action)
			para(b, 0, num, action, fb, UI_NORMAL);
		else
			para(b, 0, num, kb_text_get(&d->why_fails, b->lang, NULL), false, UI_NORMAL);
		rate_row(b, 4, _("fails"), d->fail_rate, UI_BAD);
		if (action && *action)
			text_para(b, 4, _("Why it fails"), &d->why_fails, UI_NORMAL);
		text_para(b, 4, _("When"), &d->condition, UI_NORMAL);
		extras(b, 4, d->extra, d->nextra);
		for (size_t j = 0; j < d->nsources; j++)
			para(b, 4, _("Source"), d->sources[j], false, UI_DIM);
	}
}

static void workarounds(builder *b, const kb_record *r)
{
	if (!r->nworkarounds)
		return;
	heading(b, _("Workarounds: what works"));
	for (size_t i = 0; i < r->nworkarounds; i++) {
		const kb_workaround *w = &r->workarounds[i];
		bool zh_whole = b->lang == KB_ZH && w->action.zh_state == KB_ZH_OK;
		char num[16];

		if (i)
			blank(b);     /* the heading is right above the first */
		snprintf(num, sizeof num, "✓ %zu", i + 1);
		text_para(b, 0, num, &w->action, UI_NORMAL);
		rate_row(b, 4, _("works"), w->success_rate, UI_GOOD);
		/* A Chinese workarounds_zh item translates the whole workaround;
		 * "how" is shown when it says more. */
		if (w->how.en && (!w->action.en || strcmp(w->how.en, w->action.en)) &&
		    (!zh_whole || w->how.zh_state == KB_ZH_OK))
			text_para(b, 4, _("How"), &w->how, UI_NORMAL);
		text_para(b, 4, _("When"), &w->condition, UI_NORMAL);
		extras(b, 4, w->extra, w->nextra);
		for (size_t j = 0; j < w->nsources; j++)
			para(b, 4, _("Source"), w->sources[j], false, UI_DIM);
	}
}

/* ---- layout, a screenful at a time ---- */

static void row(doc *d, char *text, size_t prefix, int style, int prefix_style, int where)
{
	d->rows = xgrow(d->rows, &d->cap, d->n + 1, sizeof *d->rows);
	d->rows[d->n].text = text;
	/* A row is a line wrapped to the pane's width, but zero-width
	 * characters make it as long in bytes as they like: a prefix that
	 * does not fit is cut back to the start of a character. */
	if (prefix > UINT32_MAX) {
		prefix = UINT32_MAX;
		while (prefix && (text[prefix] & 0xC0) == 0x80)
			prefix--;
	}
	d->rows[d->n].prefix = (uint32_t)prefix;
	d->rows[d->n].mark_at = d->rows[d->n].mark_len = 0;
	d->rows[d->n].style = (uint8_t)style;
	d->rows[d->n].prefix_style = (uint8_t)prefix_style;
	d->rows[d->n].where = (uint8_t)where;
	d->n++;
}

/* The part of the item's mark on the row just made of line (at pad). */
static void mark_row(doc *d, const doc_item *it, const tc_span *line, int pad)
{
	size_t m0 = d->head_len + it->mark0, m1 = d->head_len + it->mark1;
	size_t lo = line->off > m0 ? line->off : m0;
	size_t hi = line->off + line->len < m1 ? line->off + line->len : m1;
	doc_row *r = &d->rows[d->n - 1];

	if (lo >= hi || (size_t)pad + hi - line->off > UINT32_MAX)
		return;
	r->mark_at = (uint32_t)((size_t)pad + lo - line->off);
	r->mark_len = (uint32_t)(hi - lo);
}

/* The end of a row cut inside a word or a command: ↩. */
#define CONT_MARK "\xE2\x86\xA9"

/* The text of an item is cleaned a part at a time, as its rows are
 * wanted: a first part of CLEAN_FIRST bytes, then as much again as is
 * done, up to CLEAN_MOST at a time (a part between two keys), each part
 * ending before a byte that starts a character. */
enum { CLEAN_FIRST = 64 << 10, CLEAN_MOST = 4 << 20 };

static void clean_more(doc *d, const doc_item *it)
{
	size_t left = d->raw_len - d->raw_done;
	size_t step = d->raw_done < CLEAN_FIRST ? CLEAN_FIRST : d->raw_done > CLEAN_MOST ? CLEAN_MOST : d->raw_done;
	size_t end = left <= step ? d->raw_len : d->raw_done + step;

	while (end < d->raw_len && (it->text[end] & 0xC0) == 0x80)
		end++;
	d->clean = xgrow(d->clean, &d->clean_cap, d->clean_len + (end - d->raw_done) * 3 + 1, 1);
	d->clean_len += tc_clean_into(it->text + d->raw_done, end - d->raw_done, d->clean + d->clean_len);
	d->raw_done = end;
}

static void item_begin(doc *d, const doc_item *it)
{
	size_t headlen = strlen(it->head);

	d->raw_len = strlen(it->text);
	d->raw_done = 0;
	d->clean_len = 0;
	d->clean = xgrow(d->clean, &d->clean_cap, headlen + 1, 1);
	memcpy(d->clean, it->head, headlen + 1);
	d->clean_len = headlen;
	d->head_len = headlen;
	d->off = 0;
	clean_more(d, it);
}

/* Rows of item it until d->n reaches want or the item is done; true when
 * it is done. */
static bool lay_item(doc *d, const doc_item *it, size_t want)
{
	int indent = it->indent, avail;

	/* Narrow panes drop the indentation before they drop text. */
	if (d->width - indent < 12)
		indent = 0;
	/* Continuation rows hang 2 columns in: wrap everything to fit them. */
	avail = d->width - indent - 2;
	if (avail < 1)
		avail = 1;
	while (d->n < want) {
		bool complete = d->raw_done == d->raw_len;
		tc_span *lines;
		size_t next, n = tc_wrap_from(d->clean, d->clean_len, complete, d->off, avail,
					      want - d->n, &lines, &next);

		for (size_t i = 0; i < n; i++) {
			int pad = indent + (lines[i].off && d->width > 2 ? 2 : 0);
			/* A line cut inside a word or a command ends in a mark
			 * (tc_wrap left a column for it). */
			bool mark = lines[i].cont && lines[i].width < avail;
			char *t = xmalloc((size_t)pad + lines[i].len + sizeof CONT_MARK);
			size_t pre = 0;

			memset(t, ' ', (size_t)pad);
			memcpy(t + pad, d->clean + lines[i].off, lines[i].len);
			t[(size_t)pad + lines[i].len] = '\0';
			if (mark)
				memcpy(t + pad + lines[i].len, CONT_MARK, sizeof CONT_MARK);
			if (lines[i].off < d->head_len)
				pre = (size_t)pad + (d->head_len - lines[i].off < lines[i].len ?
						     d->head_len - lines[i].off : lines[i].len);
			row(d, t, pre, it->style, it->prefix_style, it->where);
			mark_row(d, it, &lines[i], pad);
		}
		free(lines);
		d->off = next;
		if (complete && next >= d->clean_len)
			return true;
		if (!complete && (n == 0 || d->clean_len - d->off < CLEAN_FIRST))
			clean_more(d, it);
	}
	return false;
}

size_t doc_need(doc *d, size_t want)
{
	while (d->n < want && d->next_item < d->nitems) {
		const doc_item *it = &d->items[d->next_item];

		if (!it->head) {      /* a blank row, unless the last row is one */
			if (d->n && d->rows[d->n - 1].text[0])
				row(d, xstrdup(""), 0, UI_NORMAL, UI_NORMAL, SEARCH_IN_BODY);
			d->next_item++;
			continue;
		}
		if (!d->started) {
			item_begin(d, it);
			d->started = true;
		}
		if (lay_item(d, it, want)) {
			d->started = false;
			d->next_item++;
			/* The rows have their text: a long one's buffer goes. */
			if (d->clean_cap > 1 << 20) {
				free(d->clean);
				d->clean = NULL;
				d->clean_cap = 0;
			}
		}
	}
	return d->n;
}

bool doc_complete(const doc *d)
{
	return d->next_item == d->nitems;
}

/* What the record says of itself, last and compact: a line for the
 * domain, the error code, the figures, verification and evidence, the
 * dates, the tags; then aliases and the regexes. */
static void metadata(builder *b, const kb_record *r)
{
	char *t;

	heading(b, _("About this record"));
	if (asprintf(&t, "%s / %s%s%s", r->domain, r->category, r->subcategory ? " / " : "",
		     r->subcategory ? r->subcategory : "") < 0)
		die("out of memory");
	para_own(b, 0, _("Domain"), t, UI_NORMAL);
	para(b, 0, _("Error code"), r->error_code, false, UI_NORMAL);
	enum_para(b, 0, _("Cause type"), r->root_cause_type, cause_types, UI_NORMAL);
	summary(b, r);
	if (r->verification_tier && *r->verification_tier) {
		bool fb;
		const char *tier = enum_value(b, r->verification_tier, tiers, &fb);

		if (r->evidence_count >= 0) {
			if (asprintf(&t, "%s   %s %d", tier, _("evidence"), r->evidence_count) < 0)
				die("out of memory");
		} else {
			t = xstrdup(tier);
		}
		para_text(b, 0, _("Verification"), t, t, fb, UI_NORMAL);
	} else if (r->evidence_count >= 0) {
		char n[16];

		snprintf(n, sizeof n, "%d", r->evidence_count);
		para_own(b, 0, _("Evidence"), xstrdup(n), UI_NORMAL);
	}
	{
		const char *name[3] = { _("first seen"), _("confirmed"), _("updated") };
		const char *date[3] = { r->first_seen, r->last_confirmed, r->last_updated };
		char *dates = NULL;

		for (int i = 0; i < 3; i++) {
			if (!date[i] || !*date[i])
				continue;
			if (asprintf(&t, "%s%s%s %s", dates ? dates : "", dates ? "   " : "", name[i], date[i]) < 0)
				die("out of memory");
			free(dates);
			dates = t;
		}
		if (dates)
			para_own(b, 0, _("Dates"), dates, UI_NORMAL);
	}
	if (r->ntags) {
		size_t len = 1;

		for (size_t i = 0; i < r->ntags; i++)
			len += strlen(r->tags[i]) + 2;
		t = xmalloc(len);
		t[0] = '\0';
		for (size_t i = 0; i < r->ntags; i++) {
			if (i)
				strcat(t, ", ");
			strcat(t, r->tags[i]);
		}
		para_own(b, 0, _("Tags"), t, UI_NORMAL);
	}
	for (size_t i = 0; i < r->naliases; i++)
		para(b, 0, _("Alias"), r->aliases[i], false, UI_NORMAL);
	para(b, 0, _("Regex"), r->regex, false, UI_DIM);
	para(b, 0, _("Chinese regex"), r->regex_zh, false, UI_DIM);
}

/* ---- what a match found ---- */

/* A log line may be megabytes: of the span and either side of it, no more
 * than this many bytes are looked at, and the line is shown in about
 * EVID_ROWS rows of the pane, the span whole when it fits in two thirds
 * of them, cut around it with an ellipsis. */
enum { EVID_RAW = 4096, EVID_ROWS = 3, EVID_MIN_COLS = 60, EVID_MAX_COLS = 600 };
#define ELLIPSIS "\xE2\x80\xA6"

/* line[from, to) cleaned: no terminal control reaches the screen. */
static char *clean_part(const char *line, size_t from, size_t to)
{
	char *out = xmalloc((to - from) * 3 + 1);

	tc_clean_into(line + from, to - from, out);
	return out;
}

/* The start of the character at or after i (no further than end). */
static size_t char_start(const char *s, size_t i, size_t end)
{
	while (i < end && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* Clean text cut to cols columns (at least one), ending in … when it is
 * cut here or was before (cut). */
static char *cut_end(const char *clean, int cols, bool cut)
{
	char *s = tc_cut(clean, cols < 1 ? 1 : cols), *t;

	if (!cut || strcmp(s, clean))
		return s;
	if (asprintf(&t, "%s" ELLIPSIS, s) < 0)
		die("out of memory");
	free(s);
	return t;
}

/* The end of clean text that fits in cols columns, after … when it is
 * cut here or was before (cut). */
static char *cut_start(const char *clean, int cols, bool cut)
{
	size_t len = strlen(clean), n = 0;
	int w = tc_width_n(clean, len), got = 0, drop;
	char *t;

	if (w <= cols && !cut)
		return xstrdup(clean);
	/* Room for the ellipsis; a wide character across the cut goes. */
	drop = w - (cols > 1 ? cols - 1 : 0);
	for (int c = drop; got < drop && n < len; c++)
		n = tc_fit(clean, len, c, &got);
	if (asprintf(&t, ELLIPSIS "%s", clean + n) < 0)
		die("out of memory");
	return t;
}

/* The line shown: cleaned, cut around the span to about cols columns;
 * the span's bytes in it in *m0, *m1. */
static char *evidence_text(const doc_evidence *ev, int cols, size_t *m0, size_t *m1)
{
	const char *line = ev->line;
	size_t len = strlen(line), s = ev->start < len ? ev->start : len;
	size_t e = ev->end < s ? s : ev->end > len ? len : ev->end;
	size_t from = s > EVID_RAW ? char_start(line, s - EVID_RAW, s) : 0;
	size_t to = len - e > EVID_RAW ? e + EVID_RAW : len, span_to = e - s > EVID_RAW ? s + EVID_RAW : e;
	char *before, *span, *after, *b, *m, *a, *out;
	int wb, wa, rest, keep;

	/* Cut ends before a byte that starts a character, where they can. */
	while (to > e && to < len && ((unsigned char)line[to] & 0xC0) == 0x80)
		to--;
	while (span_to > s && span_to < e && ((unsigned char)line[span_to] & 0xC0) == 0x80)
		span_to--;
	before = clean_part(line, from, s);
	span = clean_part(line, s, span_to);
	after = clean_part(line, e, to);
	m = cut_end(span, cols * 2 / 3, span_to < e);
	/* The rest to either side: a third before, unless what comes after
	 * needs less. */
	rest = cols - tc_width(m);
	wb = tc_width(before);
	wa = tc_width(after);
	keep = rest / 3 > rest - wa ? rest / 3 : rest - wa;
	if (keep > wb)
		keep = wb;
	b = *before ? cut_start(before, keep, from > 0) : xstrdup("");
	a = *after ? cut_end(after, rest - tc_width(b), to < len) : xstrdup("");
	if (asprintf(&out, "%s%s%s", b, m, a) < 0)
		die("out of memory");
	*m0 = strlen(b);
	*m1 = *m0 + strlen(m);
	free(before);
	free(span);
	free(after);
	free(b);
	free(m);
	free(a);
	return out;
}

/* "Matched in the log": the line number, the line with its span marked,
 * and the other lines that matched when there are more. */
static void evidence(builder *b, const doc_evidence *ev)
{
	int cols = b->width * EVID_ROWS;
	size_t m0, m1, shown, before;
	char *label, *text;

	if (cols < EVID_MIN_COLS || cols > EVID_MAX_COLS)
		cols = cols < EVID_MIN_COLS ? EVID_MIN_COLS : EVID_MAX_COLS;
	heading(b, _("Matched in the log"));
	if (asprintf(&label, _("line %zu"), ev->line_no) < 0)
		die("out of memory");
	text = evidence_text(ev, cols, &m0, &m1);
	before = b->d->nitems;
	para_own(b, 0, label, text, UI_NORMAL);
	free(label);
	if (b->d->nitems > before) {        /* not an empty line */
		b->d->items[before].mark0 = m0;
		b->d->items[before].mark1 = m1;
	}
	if (ev->nlines < 2)
		return;
	shown = ev->nlines < DOC_EVIDENCE_LINES ? ev->nlines : DOC_EVIDENCE_LINES;
	text = NULL;
	for (size_t i = 0; i < shown; i++) {
		char *t;

		if (asprintf(&t, "%s%s%zu%s", text ? text : "", text ? ", " : "", ev->lines[i],
			     i + 1 == shown && shown < ev->nlines ? ", " ELLIPSIS : "") < 0)
			die("out of memory");
		free(text);
		text = t;
	}
	para_own(b, 0, NULL, xasprintf(ngettext("%zu line matched: %s", "%zu lines matched: %s",
						ev->nlines), ev->nlines, text), UI_DIM);
	free(text);
}

void doc_build(doc *d, const kb *k, const kb_record *r, enum kb_lang lang, int width)
{
	doc_build_matched(d, k, r, lang, width, NULL);
}

void doc_build_matched(doc *d, const kb *k, const kb_record *r, enum kb_lang lang, int width,
		       const doc_evidence *ev)
{
	builder b = { .d = d, .width = width < 1 ? 1 : width, .lang = lang, .where = SEARCH_IN_BODY,
		      .estimate = kb_rates_estimated(r) };
	char *t;

	doc_free(d);
	d->width = b.width;
	if (ev) {
		evidence(&b, ev);
		blank(&b);
	}
	/* The head: the search finds its Chinese by initials too. */
	b.where = SEARCH_IN_HEAD;
	para(&b, 0, NULL, r->id, false, UI_ID);
	text_para(&b, 0, NULL, &r->signature, UI_HEADING);
	/* The other language too, so the exact English message is always
	 * there to compare with a log. */
	if (r->signature.zh_state == KB_ZH_OK && strcmp(r->signature.zh, r->signature.en))
		para(&b, 0, lang == KB_ZH ? "EN" : "中文",
		     lang == KB_ZH ? r->signature.en : r->signature.zh, false, UI_DIM);
	b.where = SEARCH_IN_BODY;
	if (r->root_cause.en || r->root_cause.zh) {
		heading(&b, _("Root cause"));
		text_para(&b, 0, NULL, &r->root_cause, UI_NORMAL);
	}
	/* What to do first: what works, then what does not. */
	workarounds(&b, r);
	dead_ends(&b, r);
	if (r->nversions) {
		heading(&b, _("Versions"));
		for (size_t i = 0; i < r->nversions; i++) {
			const kb_version *v = &r->versions[i];

			para(&b, 0, _("Version"), v->version ? v->version : "?", false, UI_NORMAL);
			enum_para(&b, 4, _("Status"), v->status, status_names, UI_NORMAL);
			para(&b, 4, _("Introduced"), v->introduced, false, UI_NORMAL);
			para(&b, 4, _("Deprecated"), v->deprecated, false, UI_NORMAL);
			para(&b, 4, _("Removed"), v->removed, false, UI_NORMAL);
			para(&b, 4, _("Behaviour change"), v->behavior_change,
			     b.lang == KB_ZH && v->behavior_change && !text_has_han(v->behavior_change), UI_NORMAL);
		}
	}
	if (r->nos_specific) {
		heading(&b, _("OS-specific"));
		extras(&b, 0, r->os_specific, r->nos_specific);
	}
	if (r->nenvironment) {
		heading(&b, _("Environment"));
		extras(&b, 0, r->environment, r->nenvironment);
	}
	links(&b, k, r);
	if (r->official_doc_url || r->official_doc_section.en) {
		heading(&b, _("Documentation"));
		para(&b, 0, _("URL"), r->official_doc_url, false, UI_LINK);
		text_para(&b, 0, _("Section"), &r->official_doc_section, UI_NORMAL);
	}
	if (r->nsources) {
		/* Where the record comes from: o opens one. */
		heading(&b, _("Sources"));
		for (size_t i = 0; i < r->nsources; i++)
			para(&b, 0, NULL, r->sources[i], false, UI_LINK);
	}
	if (r->nextra) {
		heading(&b, _("Other fields"));
		extras(&b, 0, r->extra, r->nextra);
	}
	metadata(&b, r);
	if (asprintf(&t, "%s:%u", r->path, r->line) < 0)
		die("out of memory");
	para_own(&b, 0, _("File"), t, UI_DIM);
}

void doc_free(doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->rows[i].text);
	free(d->rows);
	for (size_t i = 0; i < d->nitems; i++) {
		free(d->items[i].head);
		free(d->items[i].own);
	}
	free(d->items);
	free(d->clean);
	memset(d, 0, sizeof *d);
}
