/* Finding records in the browser: filters (with a dialog that counts like
 * facets), the minimum confidence, and the incremental search prompt. */
#include <config.h>
#include "draw.h"
#include "i18n.h"
#include "kbcache.h"
#include "matcher.h"
#include "recser.h"
#include "searcher.h"
#include "strmap.h"
#include "textcell.h"
#include "ui.h"
#include "state.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum fkind { FK_HEAD, FK_DOMAIN, FK_CATEGORY, FK_TIER, FK_RESOLVABLE };

typedef struct fentry {
	enum fkind kind;
	const char *name;
	size_t count;
	bool on;
	int value;              /* resolvable: the enum value */
} fentry;

/* ---- the list ---- */

static int by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The names of list v (n of them), sorted, after tag, into b. */
static void key_part(recbuf *b, char tag, const char **v, size_t n)
{
	const char **w = xmalloc((n ? n : 1) * sizeof *w);

	if (n) {
		memcpy(w, v, n * sizeof *w);
		qsort(w, n, sizeof *w, by_str);
	}
	recbuf_bytes(b, &tag, 1);
	for (size_t i = 0; i < n; i++) {
		char len[32];
		int m = snprintf(len, sizeof len, "%zu:", strlen(w[i]));

		recbuf_bytes(b, len, (size_t)m);      /* names of any bytes, told apart */
		recbuf_bytes(b, w[i], strlen(w[i]));
	}
	free(w);
}

/* What the filter f lets through, as a string: equal for equal filters
 * (malloc'd). */
static char *filter_key(const kb_filter *f)
{
	recbuf b = { 0 };
	char tail[64];
	int n = snprintf(tail, sizeof tail, "r%u m%.17g", f->resolvable, f->min_confidence);

	key_part(&b, 'd', f->domains, f->ndomains);
	key_part(&b, 'c', f->categories, f->ncategories);
	key_part(&b, 't', f->tiers, f->ntiers);
	recbuf_bytes(&b, tail, (size_t)n + 1);
	return (char *)b.p;
}

/* a->pass for the filter in force (a lazy KB), from its index, unless it
 * is for that filter already; false (said so) if the index failed. */
static bool filter_pass(app *a)
{
	char *key = filter_key(&a->filter);

	if (a->pass && a->pass_key && !strcmp(key, a->pass_key)) {
		free(key);
		return true;
	}
	free(a->pass_key);
	a->pass_key = NULL;
	if (!a->pass)
		a->pass = xmalloc(a->heads->n ? a->heads->n : 1);
	if (!kbcache_filter_slots(a->cache, &a->filter, a->heads, a->pass)) {
		free(key);
		app_index_failed(a);
		return false;
	}
	a->pass_key = key;
	return true;
}

static bool index_some(app *a, double ms);
static bool lazy_list(app *a);
static void nothing_found(app *a);
static bool correct_typos(app *a);
static bool match_line(app *a);
static void say_line(app *a);
static void line_list(app *a, const uint32_t *filtered, size_t n);

/* The list anew, with keep selected if it is in it, else the first,
 * shown: the search's own choice (replace).  Without replace, the record
 * the user went to stays shown, selected if the list holds it, else the
 * list says it does not (a link followed out of the search).
 * A search on a lazy KB whose answer is not there yet leaves the list as
 * it is: it is made again when the answer comes (find_poll). */
static void remake_list(app *a, uint32_t keep, bool replace)
{
	uint32_t *filtered;
	size_t n = 0;
	bool all = !kb_filter_active(&a->filter) && query_empty(&a->q);

	if (a->cache && !query_empty(&a->q)) {
		if (!lazy_list(a))
			return;
	} else {
		/* A lazy KB's filters are answered by its index; a KB in
		 * memory's by its records. */
		bool lazy = a->cache && !all, pass = lazy && filter_pass(a);

		filtered = xmalloc((a->nbase ? a->nbase : 1) * sizeof *filtered);
		for (size_t i = 0; i < a->nbase; i++)
			if (all || (lazy ? pass && a->pass[a->base[i]]
				    : a->k->recs[a->base[i]].id &&
				      kb_filter_accepts(&a->filter, &a->k->recs[a->base[i]])))
				filtered[n++] = a->base[i];
		free(a->order);
		if (!query_empty(&a->q)) {
			/* What is not indexed yet does not match yet:
			 * search_slice brings it in as it comes.  A little of
			 * it at the first search: a small KB is searched whole
			 * at once. */
			if (!a->ix_started) {
				search_start(a);
				index_some(a, 40);
			}
			if (a->q_line)
				line_list(a, filtered, n);
			else
				a->norder = search_run(&a->ix, a->k, &a->q, filtered, n, &a->order);
			free(filtered);
		} else {
			a->order = filtered;
			a->norder = n;
		}
	}
	a->sel = 0;
	for (size_t i = 0; i < a->norder; i++)
		if (a->order[i] == keep)
			a->sel = i;
	a->view_gen++;
	a->view_keep_top = false;
	if (!replace)
		return;
	if (a->norder && a->order[a->sel] != keep)
		app_show(a, a->order[a->sel], false);
	a->search_keep = keep;
	a->search_shown = a->current;
}

void find_refresh(app *a)
{
	remake_list(a, a->current, true);
}

/* ---- the search index, a slice at a time ---- */

double ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void search_failed(app *a)
{
	a->ix_failed = true;
	snprintf(a->msg, sizeof a->msg, "%s",
		 _("Search stopped: the index could not be read; "
		   "'errkb --no-cache' reads the sources."));
}

void search_start(app *a)
{
	if (a->ix_started || a->cache || a->opening)
		return;           /* a lazy KB is searched by its index */
	a->ix_started = true;
	search_index_init(&a->ix, a->k->nrecs);
	a->ix_refresh_at = ui_now_ms();
}

/* The slot of the record of key rid; KB_NONE if it has none (a
 * duplicate id). */
static uint32_t slot_of(const app *a, int64_t rid)
{
	const int64_t *v = a->heads->rids;
	size_t lo = 0, hi = a->heads->n;

	/* Keys with no gap: the slot is the key's distance from the first. */
	if (hi && v[hi - 1] - v[0] == (int64_t)hi - 1)
		return rid >= v[0] && rid <= v[hi - 1] ? (uint32_t)(rid - v[0]) : KB_NONE;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->heads->rids[mid] < rid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->heads->n && a->heads->rids[lo] == rid ? (uint32_t)lo : KB_NONE;
}

/* About ms milliseconds of indexing a KB in memory; false when there is
 * no more. */
static bool index_some(app *a, double ms)
{
	double t0 = ui_now_ms();

	if (!a->ix_started || a->ix.built >= a->ix.n)
		return false;
	do {
		for (int i = 0; i < 32 && a->ix.built < a->ix.n; i++)
			search_index_put(&a->ix, &a->k->recs[a->ix.built]);
	} while (a->ix.built < a->ix.n && ui_now_ms() - t0 < ms);
	return a->ix.built < a->ix.n;
}

/* The list takes in what the index gained, where the user is in it
 * kept (search_slice). */
static void refresh_hits(app *a)
{
	bool moved = a->current != a->search_shown;

	/* A record the user went to stays shown, though the list does not
	 * hold it (a link followed out of the search). */
	if (moved)
		remake_list(a, a->current, false);
	else
		remake_list(a, a->search_keep, true);
	a->view_keep_top = moved;
	a->ix_refresh_at = ui_now_ms();
}

static bool groups_slice(app *a, double ms);

bool search_slice(app *a, double ms)
{
	bool more;

	/* The filter dialog's counts first: it waits for them. */
	if (a->groups.counting)
		return groups_slice(a, ms) || find_pending(a);
	if (!search_pending(a))
		return false;
	more = index_some(a, ms);
	/* The list takes in what was found meanwhile: now and then, not
	 * at every slice (a search over many records takes a while too),
	 * and at the end.  Where the user is in it stays. */
	if (!query_empty(&a->q) && (!more || ui_now_ms() - a->ix_refresh_at > 1000)) {
		/* As if the whole index had been there when the list was
		 * made: the record it kept stays selected if it matches, a
		 * new search shows its best hit (the hit shown until then
		 * was only a stand-in), unless the user has moved since. */
		refresh_hits(a);
		/* Made whole, the index still finds nothing: a pasted log
		 * line, or a typo?  (Not before: a word not indexed yet is
		 * no typo.) */
		if (!more && !a->norder && !match_line(a))
			correct_typos(a);
	}
	return more;
}

bool search_pending(const app *a)
{
	return a->ix_started && a->ix.built < a->ix.n;
}

bool find_pending(const app *a)
{
	return search_pending(a) || a->groups.counting;
}

/* ---- a lazy KB's search, on the searcher's thread ---- */

/* Asks for the query in force, unless it is asked already. */
static void ask_search(app *a)
{
	if (a->searching && !strcmp(a->asked_q, a->qtext) && a->asked_line == a->q_line)
		return;
	if (!a->searcher)
		a->searcher = searcher_new(a->cache);
	snprintf(a->asked_q, sizeof a->asked_q, "%s", a->qtext);
	a->asked_line = a->q_line;
	a->asked_typos = false;
	a->searching = true;
	if (a->q_line)
		searcher_ask_line(a->searcher, a->qtext);
	else
		searcher_ask(a->searcher, a->qtext);
}

/* Asks for the search in force with its typos corrected: the KB's
 * words are read on the searcher's thread (a second or so for 100,000
 * records, the first time), not on the input path. */
static void ask_typos(app *a)
{
	if (!a->searcher)
		a->searcher = searcher_new(a->cache);
	snprintf(a->asked_q, sizeof a->asked_q, "%s", a->qtext);
	a->asked_line = false;
	a->asked_typos = true;
	a->searching = true;
	searcher_ask_typos(a->searcher, a->qtext);
}

/* The search text in force becomes text, its typos corrected: said in
 * the status line. */
static void take_fixed(app *a, const char *text)
{
	char err[128];
	size_t pos;
	query q;

	if (!query_parse(text, &q, err, sizeof err, &pos))
		return;           /* made by search_correct: it parses */
	query_free(&a->q);
	a->q = q;
	snprintf(a->qtext, sizeof a->qtext, "%s", text);
	a->q_fixed = true;
	a->q_line = false;
	a->just_fixed = true;
}

/* The searcher's answer into a->hits, if it has one: true then. */
static bool take_answer(app *a)
{
	kbcache_row *hits;
	size_t n;
	char *fixed;
	int how;

	if (!a->searching)
		return false;
	how = searcher_take(a->searcher, &hits, &n, &fixed);
	if (how == SEARCHER_DONE) {
		free(a->hits);
		a->hits = hits;
		a->nhits = n;
		a->hits_have = true;
		snprintf(a->hits_q, sizeof a->hits_q, "%s", a->asked_q);
		a->hits_line = a->asked_line;
		if (a->asked_typos && fixed && !strcmp(a->asked_q, a->qtext)) {
			take_fixed(a, fixed);
			snprintf(a->hits_q, sizeof a->hits_q, "%s", a->qtext);
		} else if (a->asked_typos) {
			/* Nothing corrected: no hits, as the words had. */
			a->hits_line = a->q_line;
		}
		free(fixed);
	} else if (how == SEARCHER_FAILED) {
		free(hits);
		search_failed(a);
	} else {
		return false;
	}
	a->searching = false;
	return true;
}

/* The list of a lazy KB's search: its hits that the filters take, ranked
 * as search_run ranks those of a KB in memory (by score, by confidence,
 * then in the list's order).  False when there is no answer for the
 * query in force yet (it is asked for). */
static bool lazy_list(app *a)
{
	bool filter = kb_filter_active(&a->filter);
	double *score, *conf, *hs, *hc;
	uint32_t *v, *order;
	size_t n = 0;

	if (!a->ix_failed && !(a->hits_have && !strcmp(a->hits_q, a->qtext) && a->hits_line == a->q_line)) {
		ask_search(a);
		/* Without a thread, the answer is there already. */
		if (!take_answer(a))
			return false;
	}
	free(a->order);
	a->order = NULL;
	a->norder = 0;
	if (a->ix_failed) {
		a->order = xmalloc(sizeof *a->order);
		return true;  /* search stopped: said so in the status line */
	}
	/* Filters are answered by the index. */
	if (filter && !filter_pass(a)) {
		a->order = xmalloc(sizeof *a->order);
		return true;
	}
	if (a->q_line) {
		/* What match finds: in its order, of the list's rows. */
		uint8_t *in = xcalloc(a->k->nrecs + 1, 1);

		for (size_t i = 0; i < a->nbase; i++)
			if (a->base[i] < a->k->nrecs)
				in[a->base[i]] = 1;
		a->order = xmalloc((a->nhits ? a->nhits : 1) * sizeof *a->order);
		for (size_t i = 0; i < a->nhits; i++) {
			uint32_t slot = slot_of(a, a->hits[i].rid);

			if (slot != KB_NONE && in[slot] && (!filter || a->pass[slot]))
				a->order[a->norder++] = slot;
		}
		free(in);
		return true;
	}
	/* Each slot's score (0: not a hit) and confidence, then the hits
	 * in the list's order, then ranked: ties keep that order. */
	score = xcalloc(a->k->nrecs + 1, sizeof *score);
	conf = xmalloc((a->k->nrecs + 1) * sizeof *conf);
	for (size_t i = 0; i < a->nhits; i++) {
		uint32_t slot = slot_of(a, a->hits[i].rid);

		if (slot == KB_NONE)
			continue;
		score[slot] = a->hits[i].score;
		conf[slot] = a->hits[i].confidence;
	}
	v = xmalloc((a->nhits ? a->nhits : 1) * sizeof *v);
	hs = xmalloc((a->nhits ? a->nhits : 1) * sizeof *hs);
	hc = xmalloc((a->nhits ? a->nhits : 1) * sizeof *hc);
	for (size_t i = 0; i < a->nbase && n < a->nhits; i++) {
		uint32_t slot = a->base[i];

		if (slot >= a->k->nrecs || !(score[slot] > 0))
			continue;
		if (filter && !a->pass[slot])
			continue;
		v[n] = slot;
		hs[n] = score[slot];
		hc[n++] = conf[slot];
	}
	search_rank(hs, hc, n, &order);
	a->order = xmalloc((n ? n : 1) * sizeof *a->order);
	for (size_t i = 0; i < n; i++)
		a->order[i] = v[order[i]];
	a->norder = n;
	free(order);
	free(v);
	free(hs);
	free(hc);
	free(score);
	free(conf);
	return true;
}

bool find_poll(app *a)
{
	bool moved = a->current != a->search_shown, fixed;

	if (!take_answer(a))
		return false;
	fixed = a->just_fixed;
	a->just_fixed = false;
	refresh_hits(a);
	/* A lazy KB's answer: a pasted log line asks the matcher, a typo
	 * asks again with the word corrected. */
	if (!a->norder && (match_line(a) || correct_typos(a)))
		return true;
	if (a->q_line && a->norder)
		say_line(a);
	if (fixed)
		snprintf(a->msg, sizeof a->msg, _("Nothing found; showing results for: %s"), a->qtext);
	if (!moved) {
		nothing_found(a);
		a->search_shown = a->current;      /* the search's choice, not the user's */
	}
	return true;
}

bool find_searching(const app *a)
{
	return a->searching;
}

/* A search typed that finds nothing goes back to the record shown before
 * it began, as an editor's incremental search goes back to where it
 * began: not the best hit of whichever of its beginnings was searched
 * as it was typed (as fast as it was typed, on a thread, none of them). */
static void nothing_found(app *a)
{
	if (!a->norder && !query_empty(&a->q) && a->search_from != KB_NONE)
		app_show(a, a->search_from, false);
}

/* A KB in memory's words for typos, made (again, if the index grew)
 * when asked.  (A lazy KB's are the searcher's.) */
static const search_vocab *vocab(app *a)
{
	size_t docs = a->ix.built;

	if (a->vocab && a->vocab_docs == docs)
		return a->vocab;
	if (a->vocab)
		search_vocab_free(a->vocab);
	else
		a->vocab = xmalloc(sizeof *a->vocab);
	search_vocab_init(a->vocab);
	for (size_t i = 0; i < a->ix.built; i++)
		if (search_index_has(&a->ix, i))
			search_vocab_add(a->vocab, &a->ix.docs[i]);
	a->vocab_docs = docs;
	return a->vocab;
}

/* A search that found nothing: if a word of it is a typo of a word the
 * KB holds, the search is made with that word, and the status line says
 * so.  True then. */
static bool correct_typos(app *a)
{
	char text[sizeof a->qtext], shown[sizeof a->msg];
	query fixed;

	/* A word the index has not taken in yet is no typo. */
	if (!a->cache && a->ix.built < a->ix.n)
		return false;
	if (a->norder || query_empty(&a->q) || a->q_fixed || !search_may_correct(&a->q))
		return false;
	if (a->cache) {
		/* A lazy KB's, on the searcher's thread: once a search. */
		if (a->typos_tried)
			return false;
		a->typos_tried = true;
		ask_typos(a);
		return true;
	}
	if (!search_correct(&a->q, vocab(a), &fixed, text, sizeof text))
		return false;
	query_free(&a->q);
	a->q = fixed;
	snprintf(a->qtext, sizeof a->qtext, "%s", text);
	a->q_fixed = true;
	a->q_line = false;
	snprintf(shown, sizeof shown, _("Nothing found; showing results for: %s"), text);
	find_refresh(a);
	if (a->norder && !a->searching)
		app_show(a, a->order[0], false);
	snprintf(a->msg, sizeof a->msg, "%s", shown);
	return true;
}

/* The list says it holds what errkb match finds in the search text. */
static void say_line(app *a)
{
	snprintf(a->msg, sizeof a->msg, "%s",
		 _("No record holds every word; showing what 'errkb match' finds in the line"));
}

/* What errkb match finds in the search text, of the slots filtered[0..n)
 * of a KB in memory, best first: into a->order. */
static void line_list(app *a, const uint32_t *filtered, size_t n)
{
	uint8_t *in = xcalloc(a->k->nrecs + 1, 1);
	const match_hit *h;
	size_t nh;

	if (!a->line_m) {
		kb_slim_init(&a->line_slim);
		kb_slim_of(&a->line_slim, a->k);
		a->line_m = matcher_new_slim(&a->line_slim);
	}
	for (size_t i = 0; i < n; i++)
		in[filtered[i]] = 1;
	matcher_reset(a->line_m);
	matcher_line(a->line_m, a->qtext, 1);
	nh = matcher_results(a->line_m, &h);
	a->order = xmalloc((nh ? nh : 1) * sizeof *a->order);
	a->norder = 0;
	for (size_t i = 0; i < nh; i++)
		if (h[i].rec < a->k->nrecs && in[h[i].rec])
			a->order[a->norder++] = h[i].rec;
	free(in);
}

/* A search that found nothing: if its text reads as a pasted log line,
 * the list is what errkb match finds in it, before any typo is corrected
 * (as errkb list gives it: a message's words are not misspelt).  True
 * when it found some, or asked the searcher.  Found or not, the status
 * line says the text was matched as a line (until a typo is corrected:
 * words again). */
static bool match_line(app *a)
{
	if (a->q_line || a->q_fixed || a->norder || query_empty(&a->q) || a->opening ||
	    !search_log_like(a->qtext))
		return false;
	/* A KB in memory is matched once its index is whole: words not
	 * indexed yet may be there. */
	if (!a->cache && a->ix.built < a->ix.n)
		return false;
	a->q_line = true;
	find_refresh(a);
	if (a->searching)
		return true;
	if (!a->norder)
		return false;
	app_show(a, a->order[0], false);
	say_line(a);
	return true;
}

/* The search text in force; from: the record shown before it was typed
 * at the prompt (KB_NONE: not typed), shown again if it finds nothing. */
static bool set_query(app *a, const char *text, uint32_t from)
{
	char err[128];
	size_t pos;
	query q;

	if (!query_parse(text, &q, err, sizeof err, &pos)) {
		snprintf(a->query_err, sizeof a->query_err, "%s (%s %zu)", err, _("at"), pos + 1);
		return false;
	}
	a->query_err[0] = '\0';
	query_free(&a->q);
	a->q = q;
	snprintf(a->qtext, sizeof a->qtext, "%s", text);
	a->q_fixed = false;
	a->q_line = false;
	a->typos_tried = false;
	find_refresh(a);
	/* A new search shows its best hit, and goes on showing the best
	 * hit as the index it searches grows (search_slice), until the
	 * user moves. */
	a->search_from = from;
	if (!a->searching && !a->norder && !match_line(a))
		correct_typos(a);
	if (a->norder && !query_empty(&a->q) && !a->searching) {
		a->sel = 0;
		app_show(a, a->order[0], false);
	}
	if (!a->searching)
		nothing_found(a);
	if (!query_empty(&a->q)) {
		a->search_keep = KB_NONE;
		a->search_shown = a->current;
	}
	return true;
}

/* ---- the filter dialog ---- */

static bool has(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void toggle(const char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*v)[i], s)) {
			(*v)[i] = (*v)[--*n];
			return;
		}
	}
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static const char *const res_names[] = { N_("unknown"), N_("true"), N_("partial"), N_("false") };

static int by_name(const void *x, const void *y)
{
	return strcmp(((const fentry *)x)->name, ((const fentry *)y)->name);
}

/* A facet's values and how many records the other filters take of each. */
typedef struct facet_list {
	const char **names;
	size_t *counts;
	size_t n, cap;
} facet_list;

/* name added to l with a count of 0: its place. */
static size_t facet_add(facet_list *l, const char *name)
{
	size_t cap = l->cap;      /* the names grow as the counts do */

	l->names = xgrow(l->names, &cap, l->n + 1, sizeof *l->names);
	l->counts = xgrow(l->counts, &l->cap, l->n + 1, sizeof *l->counts);
	l->names[l->n] = name;
	l->counts[l->n] = 0;
	return l->n++;
}

/* The place of name in l, added with a count of 0 if new. */
static size_t facet_at(facet_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return i;
	return facet_add(l, name);
}

static void facet_free(facet_list *l)
{
	free(l->names);
	free(l->counts);
}

/* The facets of a KB in memory, from its records. */
static void facets_of_records(app *a, facet_list *dom, facet_list *cat, facet_list *tier, size_t res[4])
{
	const kb *k = a->k;
	size_t *d = xcalloc(k->ndomains + 1, sizeof *d), *c = xcalloc(k->ncategories + 1, sizeof *c);

	for (size_t i = 0; i < k->nrecs; i++)
		if (k->recs[i].verification_tier)
			facet_at(tier, k->recs[i].verification_tier);
	for (size_t i = 0; i < a->nbase; i++) {
		const kb_record *r = &k->recs[a->base[i]];

		if (!r->id)
			continue;       /* a slot the index could not fill */
		if (kb_filter_accepts_some(&a->filter, r, KF_ALL & ~KF_DOMAIN))
			d[r->domain_ix]++;
		if (kb_filter_accepts_some(&a->filter, r, KF_ALL & ~KF_CATEGORY))
			c[r->category_ix]++;
		if (kb_filter_accepts_some(&a->filter, r, KF_ALL & ~KF_RESOLVABLE))
			res[r->resolvable]++;
		if (r->verification_tier && kb_filter_accepts_some(&a->filter, r, KF_ALL & ~KF_TIER)) {
			size_t t = facet_at(tier, r->verification_tier);    /* before counts moves */

			tier->counts[t]++;
		}
	}
	for (size_t i = 0; i < k->ndomains; i++) {
		size_t at = facet_at(dom, k->domains[i].name);

		dom->counts[at] = d[i];
	}
	for (size_t i = 0; i < k->ncategories; i++) {
		size_t at = facet_at(cat, k->categories[i].name);

		cat->counts[at] = c[i];
	}
	free(d);
	free(c);
}

/* s in g's pool of names: the one copy kept of it. */
static const char *pooled(struct facet_groups *g, const char *s)
{
	uint32_t i = strmap_get(&g->pool_ix, s);
	char *copy;

	if (i != UINT32_MAX)
		return g->pool[i];
	copy = arena_strdup(&g->mem, s);
	g->pool = xgrow(g->pool, &g->cappool, g->npool + 1, sizeof *g->pool);
	g->pool[g->npool] = copy;
	strmap_put(&g->pool_ix, copy, (uint32_t)g->npool++);
	return copy;
}

/* The groups counted for the minimum confidence g->min into g, their
 * names pooled, each group's found once. */
static void groups_take(struct facet_groups *g, kbcache_group *v, size_t n)
{
	strmap ix[3];
	size_t cap[3] = { 0 };

	free(g->v);
	free(g->at);
	for (int j = 0; j < 3; j++)
		free(g->names[j]);
	memset(g->names, 0, sizeof g->names);
	memset(g->nnames, 0, sizeof g->nnames);
	g->v = v;
	g->n = n;
	/* A group's strings repeat those of many others. */
	for (size_t i = 0; i < g->n; i++) {
		g->v[i].domain = pooled(g, g->v[i].domain);
		g->v[i].category = pooled(g, g->v[i].category);
		if (g->v[i].tier)
			g->v[i].tier = pooled(g, g->v[i].tier);
	}
	g->at = xmalloc((g->n ? g->n : 1) * sizeof *g->at);
	for (int j = 0; j < 3; j++)
		strmap_init(&ix[j]);
	for (size_t i = 0; i < g->n; i++) {
		const char *name[3] = { g->v[i].domain, g->v[i].category, g->v[i].tier };

		for (int j = 0; j < 3; j++) {
			uint32_t at = name[j] ? strmap_put(&ix[j], name[j], (uint32_t)g->nnames[j]) : KB_NONE;

			if (at == g->nnames[j]) {
				g->names[j] = xgrow(g->names[j], &cap[j], g->nnames[j] + 1, sizeof *g->names[j]);
				g->names[j][g->nnames[j]++] = name[j];
			}
			g->at[i][j] = at;
		}
	}
	for (int j = 0; j < 3; j++)
		strmap_free(&ix[j]);
	g->have = true;
}

/* Whether a->groups are those of the minimum confidence in force.  If
 * not, they are counted, a slice at a time between keys (groups_slice):
 * a big KB's take a while, and no key waits for them. */
static bool groups_made(app *a)
{
	struct facet_groups *g = &a->groups;
	double min = a->filter.min_confidence;

	if (g->have && g->min == min)
		return true;
	if (g->counting && g->min != min) {
		kbcache_groups_end(g->counting);
		g->counting = NULL;
	}
	if (!g->counting) {
		g->have = false;
		g->min = min;
		g->counting = kbcache_groups_start(a->cache, min);
		if (!g->counting) {
			app_index_failed(a);
			return false;
		}
	}
	return false;
}

static bool slice_over(void *arg)
{
	const double *until = arg;

	return ui_now_ms() >= *until;
}

/* About ms milliseconds of counting the groups; false when there is none
 * left to do. */
static bool groups_slice(app *a, double ms)
{
	struct facet_groups *g = &a->groups;
	double until = ui_now_ms() + ms;
	kbcache_stop stop = { slice_over, &until };
	kbcache_group *v;
	size_t n;
	arena tmp;
	int rc;

	if (!g->counting)
		return false;
	arena_init(&tmp);
	rc = kbcache_groups_some(g->counting, &stop, &tmp, &v, &n);
	if (rc == 1) {
		arena_free(&tmp);
		return true;
	}
	kbcache_groups_end(g->counting);
	g->counting = NULL;
	if (rc < 0)
		app_index_failed(a);
	else
		groups_take(g, v, n);
	arena_free(&tmp);
	return false;
}

/* The facets of a lazy KB (every record: its base is the whole KB), from
 * the index's groups of records. */
static bool facets_of_groups(app *a, facet_list *dom, facet_list *cat, facet_list *tier, size_t res[4])
{
	const struct facet_groups *g = &a->groups;
	facet_list *l[3] = { dom, cat, tier };

	if (!groups_made(a))
		return false;
	for (int j = 0; j < 3; j++)
		for (size_t i = 0; i < g->nnames[j]; i++)
			facet_add(l[j], g->names[j][i]);     /* at i */
	for (size_t i = 0; i < g->n; i++) {
		const kbcache_group *v = &g->v[i];
		/* What the filters test of each record of the group. */
		kb_record r = { .domain = v->domain, .category = v->category, .verification_tier = v->tier,
				.resolvable = v->resolvable, .confidence = v->confident ? 1.0 : NAN };

		if (kb_filter_accepts_some(&a->filter, &r, KF_ALL & ~KF_DOMAIN))
			dom->counts[g->at[i][0]] += v->count;
		if (kb_filter_accepts_some(&a->filter, &r, KF_ALL & ~KF_CATEGORY))
			cat->counts[g->at[i][1]] += v->count;
		if (kb_filter_accepts_some(&a->filter, &r, KF_ALL & ~KF_RESOLVABLE))
			res[v->resolvable] += v->count;
		if (v->tier && kb_filter_accepts_some(&a->filter, &r, KF_ALL & ~KF_TIER))
			tier->counts[g->at[i][2]] += v->count;
	}
	return true;
}

static size_t entries_of(app *a, fentry **out)
{
	facet_list dom = { 0 }, cat = { 0 }, tier = { 0 };
	size_t n = 0, cap = 0, res[4] = { 0 }, from;
	fentry *v = NULL;

#define ADD(...) do { v = xgrow(v, &cap, n + 1, sizeof *v); v[n++] = (fentry){ __VA_ARGS__ }; } while (0)
	if (a->cache && !facets_of_groups(a, &dom, &cat, &tier, res)) {
		/* A big KB's are counted between keys: said so meanwhile. */
		ADD(.kind = FK_HEAD, .name = a->groups.counting ? _("Counting the records...") : "");
		*out = v;
		return n;
	}
	if (!a->cache)
		facets_of_records(a, &dom, &cat, &tier, res);
	/* Each group by name: the same whatever order the records came in. */
	ADD(.kind = FK_HEAD, .name = _("Domain"));
	from = n;
	for (size_t i = 0; i < dom.n; i++)
		ADD(.kind = FK_DOMAIN, .name = dom.names[i], .count = dom.counts[i],
		    .on = has(a->filter.domains, a->filter.ndomains, dom.names[i]));
	qsort(v + from, n - from, sizeof *v, by_name);
	ADD(.kind = FK_HEAD, .name = _("Category"));
	from = n;
	for (size_t i = 0; i < cat.n; i++)
		ADD(.kind = FK_CATEGORY, .name = cat.names[i], .count = cat.counts[i],
		    .on = has(a->filter.categories, a->filter.ncategories, cat.names[i]));
	qsort(v + from, n - from, sizeof *v, by_name);
	ADD(.kind = FK_HEAD, .name = _("Verification"));
	from = n;
	for (size_t i = 0; i < tier.n; i++)
		ADD(.kind = FK_TIER, .name = tier.names[i], .count = tier.counts[i],
		    .on = has(a->filter.tiers, a->filter.ntiers, tier.names[i]));
	qsort(v + from, n - from, sizeof *v, by_name);
	ADD(.kind = FK_HEAD, .name = _("Resolvable"));
	for (int i = 0; i < 4; i++)
		ADD(.kind = FK_RESOLVABLE, .name = _(res_names[i]), .count = res[i], .value = i,
		    .on = (a->filter.resolvable >> i) & 1);
#undef ADD
	facet_free(&dom);
	facet_free(&cat);
	facet_free(&tier);
	*out = v;
	return n;
}

/* The filter dialog's own state: the row it is on, and the text typed
 * after / (typing: keys go to it). */
typedef struct dialog {
	size_t cur;
	char text[64];
	bool typing;
} dialog;

/* The dialog's rows, with counts that follow the other filters; with a
 * text typed after /, only the rows whose name holds it (in any case),
 * under their headings (534 categories in the deadends corpus). */
static size_t entries(app *a, const dialog *dl, fentry **out)
{
	size_t n = entries_of(a, out), k = 0, m = 0;
	fentry *v = *out;
	bool any = false;

	for (size_t i = 0; i < n && !any; i++)
		any = v[i].kind != FK_HEAD;
	if (!dl->text[0] || !any)
		return n;       /* nothing typed, or the counts are not there yet */
	for (size_t i = 0; i < n; i++)
		if (v[i].kind == FK_HEAD || strcasestr(v[i].name, dl->text))
			v[k++] = v[i];
	/* A heading stays when a row is left under it. */
	for (size_t i = 0; i < k; i++)
		if (v[i].kind != FK_HEAD || (i + 1 < k && v[i + 1].kind != FK_HEAD))
			v[m++] = v[i];
	return m;
}

/* A key while a text is typed after / in the dialog: true when it was
 * taken (a character, Backspace, C-u, Enter keeps the text, Esc drops
 * it); keys that move, and Space, do what they do. */
static bool dialog_typing(dialog *dl, int key, bool is_code, const char *utf8)
{
	size_t len = strlen(dl->text);

	if (!is_code && key == 27) {
		dl->text[0] = '\0';
		dl->typing = false;
	} else if (!is_code && (key == '\r' || key == '\n')) {
		dl->typing = false;
	} else if ((is_code && key == KEY_BACKSPACE) || (!is_code && (key == 127 || key == 8))) {
		while (len && ((unsigned char)dl->text[len - 1] & 0xc0) == 0x80)
			len--;          /* a whole character */
		dl->text[len ? len - 1 : 0] = '\0';
	} else if (!is_code && key == 21) {          /* C-u */
		dl->text[0] = '\0';
	} else if (!is_code && key != ' ' && utf8 && (unsigned char)utf8[0] >= 0x20 && utf8[0] != 0x7f) {
		if (len + strlen(utf8) < sizeof dl->text)
			memcpy(dl->text + len, utf8, strlen(utf8) + 1);
	} else {
		return false;
	}
	dl->cur = 1;      /* the first row of what is left */
	return true;
}

static void toggle_entry(app *a, const fentry *e)
{
	switch (e->kind) {
	case FK_DOMAIN: toggle(&a->filter.domains, &a->filter.ndomains, e->name); break;
	case FK_CATEGORY: toggle(&a->filter.categories, &a->filter.ncategories, e->name); break;
	case FK_TIER: toggle(&a->filter.tiers, &a->filter.ntiers, e->name); break;
	case FK_RESOLVABLE: a->filter.resolvable ^= 1u << e->value; break;
	default: return;
	}
	find_refresh(a);
}

static void clear_all(app *a)
{
	free(a->filter.domains);
	free(a->filter.categories);
	free(a->filter.tiers);
	memset(&a->filter, 0, sizeof a->filter);
	query_free(&a->q);
	a->qtext[0] = '\0';
	find_refresh(a);
	snprintf(a->msg, sizeof a->msg, "%s", _("Filters and search cleared."));
}

/* The rows of the filter dialog on screen (dialog_draw's): its frame
 * takes two, the line of the text typed one. */
static size_t dialog_page(const app *a)
{
	return a->rows > 6 ? (size_t)(a->rows - 6) : 1;
}

/* The first row from c on, going dir (1 or -1), that is not a heading;
 * c when there is none that way. */
static size_t not_heading(const fentry *v, size_t n, size_t c, int dir)
{
	for (size_t i = c; i < n; i += (size_t)dir) {
		if (v[i].kind != FK_HEAD)
			return i;
		if (dir < 0 && i == 0)
			break;
	}
	return c;
}

/* The dialog's keys: Space and Enter tick, and the actions in force move
 * (move-down, page-down, first...), clear and close it, so that a key
 * rebound in the config works here too. */
static void dialog_key(app *a, void *self, const key_event *k, request *rq)
{
	dialog *dl = self;
	enum action act = k->act;
	int key = k->key;
	bool is_code = k->is_code;
	fentry *v;
	size_t n, cur, page = dialog_page(a), c;

	if (k->alt || (dl->typing && dialog_typing(dl, key, is_code, k->utf8)))
		return;
	n = entries(a, dl, &v);
	cur = c = dl->cur;
	if (cur >= n)
		cur = c = 0;    /* no row to be on: the counts are not there yet */
	if (!is_code && (key == ' ' || key == '\r' || key == '\n')) {
		if (n)
			toggle_entry(a, &v[cur]);
		free(v);
		return;
	}
	switch (act) {
	case ACT_CLEAR:
		clear_all(a);
		break;
	case ACT_FILTER: case ACT_QUIT: case ACT_HELP:
		rq->close = 1;
		break;
	case ACT_SEARCH:
		dl->typing = true;
		break;
	case ACT_DOWN:
		c = cur + 1 < n ? not_heading(v, n, cur + 1, 1) : cur;
		break;
	case ACT_UP:
		c = cur > 0 ? not_heading(v, n, cur - 1, -1) : cur;
		break;
	case ACT_PAGE_DOWN:
		c = not_heading(v, n, cur + page < n ? cur + page : (n ? n - 1 : 0), cur + page < n ? 1 : -1);
		break;
	case ACT_PAGE_UP:
		c = not_heading(v, n, cur > page ? cur - page : 0, cur > page ? -1 : 1);
		break;
	case ACT_FIRST:
		c = not_heading(v, n, 0, 1);
		break;
	case ACT_LAST:
		c = n ? not_heading(v, n, n - 1, -1) : 0;
		break;
	default:
		if (!is_code && key == 27)
			rq->close = 1;
		break;
	}
	if (c < n && v[c].kind != FK_HEAD)
		dl->cur = c;
	free(v);
}

static void dialog_draw(app *a, void *self)
{
	dialog *dl = self;
	int w = a->cols < 60 ? a->cols : 60, h = a->rows - 1, x0 = (a->cols - w) / 2;
	int rows = h - 2 - 1;           /* inside the frame, but the line typed */
	size_t n, top = 0;
	fentry *v;

	if (rows < 1 || w < 12)
		return;
	n = entries(a, dl, &v);
	/* Where the user was stays while the counts are not there yet. */
	if (n > 1 && (dl->cur >= n || v[dl->cur].kind == FK_HEAD))
		dl->cur = 1;
	if (dl->cur >= (size_t)rows / 2)
		top = dl->cur - (size_t)rows / 2;
	if (top + (size_t)rows > n)
		top = n > (size_t)rows ? n - (size_t)rows : 0;
	{
		/* The keys in force, as the config may have moved them. */
		char clear[64], close[64], type[64], title[256];

		action_key_list(ACT_CLEAR, clear, sizeof clear, "/");
		action_key_list(ACT_FILTER, close, sizeof close, "/");
		action_key_list(ACT_SEARCH, type, sizeof type, "/");
		snprintf(title, sizeof title, _("Filters: Space toggles, %s clears, %s closes, %s finds"),
			 clear, close, type);
		draw_frame(0, x0, h, w, title, UI_STATUS);
	}
	for (int i = 0; i < rows && top + (size_t)i < n; i++) {
		const fentry *e = &v[top + (size_t)i];
		bool sel = top + (size_t)i == dl->cur;
		char count[32], *label;
		int y = 1 + i;

		if (e->kind == FK_HEAD) {
			draw_untrusted(y, x0 + 2, e->name, w - 4, UI_TITLE);
			continue;
		}
		if (sel)
			draw_fill(y, x0 + 1, w - 2, UI_SEL);
		snprintf(count, sizeof count, "%zu", e->count);
		if (asprintf(&label, "%s %s", e->on ? "[x]" : "[ ]", e->name) < 0)
			continue;
		draw_untrusted(y, x0 + 2, label, w - 12, sel ? UI_SEL : UI_STATUS);
		draw_text(y, x0 + w - 2 - (int)strlen(count), count, (int)strlen(count),
			  sel ? UI_SEL : UI_STATUS);
		free(label);
	}
	/* The text typed, and what it leaves; or how to type one. */
	{
		char line[160];
		int y = h - 2;

		if (dl->typing || dl->text[0]) {
			size_t left = 0;

			for (size_t i = 0; i < n; i++)
				left += v[i].kind != FK_HEAD;
			snprintf(line, sizeof line, "/%s%s", dl->text, dl->typing ? "\u2581" : "");
			{
				int used = draw_untrusted(y, x0 + 2, line, w - 4, UI_TITLE_FOCUS);
				char found[64];

				if (left)
					snprintf(found, sizeof found, _("%zu found"), left);
				else
					snprintf(found, sizeof found, "%s", _("none found"));
				if (used + 4 + tc_width(found) <= w - 4)
					draw_text(y, x0 + w - 2 - tc_width(found), found, tc_width(found), UI_STATUS);
			}
		}
	}
	free(v);
}

static void dialog_destroy(void *self)
{
	free(self);
}

static const overlay_ops dialog_ops = {
	.draw = dialog_draw,
	.key = dialog_key,
	.destroy = dialog_destroy,
};

/* ---- prompts ---- */

/* A prompt's own state: what it is for, the text typed and the cursor
 * in it (a byte offset), where Up and Down are in the searches made
 * (state->searches[hist_at - 1]; 0: not there) and what was typed before,
 * the search and record to go back to on Esc, and its own error. */
typedef struct prompt {
	enum prompt_kind { PROMPT_SEARCH, PROMPT_CONF } kind;
	char input[256];
	size_t at;
	size_t hist_at;
	char draft[256];
	char saved_q[256];
	uint32_t saved_rec;
	char err[160];
} prompt;

static const overlay_ops prompt_ops;

static layer start_prompt(app *a, enum prompt_kind kind)
{
	prompt *pr = xcalloc(1, sizeof *pr);

	pr->kind = kind;
	snprintf(pr->saved_q, sizeof pr->saved_q, "%s", a->qtext);
	pr->saved_rec = a->current;
	a->query_err[0] = '\0';
	return (layer){ &prompt_ops, pr };
}

static void prompt_edited(app *a, prompt *pr)
{
	if (pr->kind == PROMPT_SEARCH)
		set_query(a, pr->input, pr->saved_rec);      /* narrows as one types */
}

/* Enter: the search stays (and is remembered), or the confidence is set. */
static void prompt_accept(app *a, prompt *pr, request *rq)
{
	if (pr->kind == PROMPT_CONF) {
		char *end;
		double v = strtod(pr->input, &end);

		if (end == pr->input || *end || !(v >= 0 && v <= 1)) {
			snprintf(pr->err, sizeof pr->err, "%s", _("a number from 0 to 1"));
			return;
		}
		a->filter.min_confidence = v;
		find_refresh(a);
	} else if (a->query_err[0]) {
		return;                      /* the query does not parse yet */
	} else if (pr->input[0] && a->state) {
		state_note_search(a->state, pr->input);     /* Up brings it back */
	}
	rq->close = 1;
}

/* Esc: the search and the record of before. */
static void prompt_cancel(app *a, prompt *pr, request *rq)
{
	if (pr->kind == PROMPT_SEARCH) {
		set_query(a, pr->saved_q, KB_NONE);
		rq->show = pr->saved_rec;       /* the list selects it, if it is there */
	}
	a->query_err[0] = '\0';
	rq->close = 1;
}

/* The start of the character before byte i of s. */
static size_t char_before(const char *s, size_t i)
{
	if (i)
		i--;
	while (i && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* The end of the character at byte i of s. */
static size_t char_after(const char *s, size_t i)
{
	if (s[i])
		i++;
	while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* The start of the word before byte i (as readline's C-w: back over
 * spaces, then over what is not a space). */
static size_t word_before(const char *s, size_t i)
{
	while (i && s[i - 1] == ' ')
		i--;
	while (i && s[i - 1] != ' ')
		i = char_before(s, i);
	return i;
}

static size_t word_after(const char *s, size_t i)
{
	while (s[i] == ' ')
		i++;
	while (s[i] && s[i] != ' ')
		i = char_after(s, i);
	return i;
}

/* Remove input[from, to), the cursor to from. */
static void cut(prompt *pr, size_t from, size_t to)
{
	memmove(pr->input + from, pr->input + to, strlen(pr->input + to) + 1);
	pr->at = from;
}

/* Up (dir 1) and Down (-1) at the search prompt: the searches made before,
 * the most recent first, then back to what was being typed. */
static bool history(app *a, prompt *pr, int dir)
{
	size_t n = a->state && pr->kind == PROMPT_SEARCH ? a->state->nsearches : 0, at = pr->hist_at;

	if (dir > 0 && at < n)
		at++;
	else if (dir < 0 && at > 0)
		at--;
	else
		return false;
	if (!pr->hist_at)
		snprintf(pr->draft, sizeof pr->draft, "%s", pr->input);
	pr->hist_at = at;
	snprintf(pr->input, sizeof pr->input, "%s", at ? a->state->searches[at - 1] : pr->draft);
	pr->at = strlen(pr->input);
	return true;
}

/* The prompt takes every key: readline's basics edit, Up and Down go
 * through the searches made, Enter keeps, Esc goes back. */
static void prompt_key(app *a, void *self, const key_event *k, request *rq)
{
	prompt *pr = self;
	int key = k->key;
	bool is_code = k->is_code;
	const char *utf8 = k->utf8;
	size_t len = strlen(pr->input), at = pr->at <= len ? pr->at : len;
	bool edited = false;

	pr->err[0] = '\0';
	if (k->alt) {
		/* Alt-Backspace deletes a word, Alt-b and Alt-f move by one;
		 * no other Alt key does anything here (it used to be Esc,
		 * which left the prompt, then the key, run as an action). */
		if ((is_code && key == KEY_BACKSPACE) || (!is_code && (key == 127 || key == 8))) {
			cut(pr, word_before(pr->input, at), at);
			edited = true;
		} else if (!is_code && key == 'b') {
			pr->at = word_before(pr->input, at);
		} else if (!is_code && key == 'f') {
			pr->at = word_after(pr->input, at);
		}
	} else if ((is_code && key == KEY_ENTER) || (!is_code && (key == '\r' || key == '\n'))) {
		prompt_accept(a, pr, rq);
	} else if (!is_code && key == 27) {
		prompt_cancel(a, pr, rq);
	} else if ((is_code && key == KEY_BACKSPACE) || (!is_code && (key == 127 || key == 8))) {
		cut(pr, char_before(pr->input, at), at);     /* one whole UTF-8 character */
		edited = at > 0;
	} else if ((is_code && key == KEY_DC) || (!is_code && key == 4)) {          /* Delete, C-d */
		cut(pr, at, char_after(pr->input, at));
		edited = at < len;
	} else if ((is_code && key == KEY_LEFT) || (!is_code && key == 2)) {        /* C-b */
		pr->at = char_before(pr->input, at);
	} else if ((is_code && key == KEY_RIGHT) || (!is_code && key == 6)) {       /* C-f */
		pr->at = char_after(pr->input, at);
	} else if ((is_code && key == KEY_HOME) || (!is_code && key == 1)) {        /* C-a */
		pr->at = 0;
	} else if ((is_code && key == KEY_END) || (!is_code && key == 5)) {         /* C-e */
		pr->at = len;
	} else if (!is_code && key == 23) {        /* C-w */
		cut(pr, word_before(pr->input, at), at);
		edited = true;
	} else if (!is_code && key == 21) {        /* C-u: what is before the cursor */
		cut(pr, 0, at);
		edited = true;
	} else if (!is_code && key == 11) {        /* C-k: what is after it */
		pr->input[at] = '\0';
		edited = true;
	} else if ((is_code && key == KEY_UP) || (is_code && key == KEY_DOWN)) {
		edited = history(a, pr, key == KEY_UP ? 1 : -1);
	} else if (!is_code && utf8 && (unsigned char)utf8[0] >= ' ' && len + strlen(utf8) < sizeof pr->input) {
		size_t n = strlen(utf8);

		memmove(pr->input + at + n, pr->input + at, len - at + 1);
		memcpy(pr->input + at, utf8, n);
		pr->at = at + n;
		edited = true;
	}
	if (edited)
		prompt_edited(a, pr);
}

/* On the status line: what it is for, the text, the error; the cursor
 * where it is in the text. */
static void prompt_draw(app *a, void *self)
{
	prompt *pr = self;
	const char *head = pr->kind == PROMPT_SEARCH ? "/" : _("minimum confidence: ");
	const char *err = pr->err[0] ? pr->err : pr->kind == PROMPT_SEARCH ? a->query_err : "";
	char line[600];
	int y = a->rows - 1, at;

	snprintf(line, sizeof line, "%s%s%s%s", head, pr->input, err[0] ? "   " : "", err);
	draw_fill(y, 0, a->cols, UI_NORMAL);
	draw_untrusted(y, 0, line, a->cols, err[0] ? UI_BAD : UI_NORMAL);
	curs_set(1);
	at = tc_width(head) + tc_width_n(pr->input, pr->at <= strlen(pr->input) ? pr->at : strlen(pr->input));
	move(y, at < a->cols ? at : a->cols - 1);
}

static void prompt_destroy(void *self)
{
	free(self);
}

static const overlay_ops prompt_ops = {
	.draw = prompt_draw,
	.key = prompt_key,
	.destroy = prompt_destroy,
};


/* ---- actions ---- */

bool find_row_has_term(app *a, const char *text, enum search_where where)
{
	search_mark *m;
	size_t n = search_marks(&a->q, text, where, &m);

	free(m);
	return n > 0;
}

static void next_hit(app *a, int dir)
{
	const pane_ops *p = app_pane_ops(a->focus);

	if (query_empty(&a->q)) {
		char search[16];

		snprintf(a->msg, sizeof a->msg, _("No search: press %s first."), first_key(ACT_SEARCH, search));
		return;
	}
	/* The focused pane's own hits (the detail's rows), else the list's
	 * next record. */
	if (p->next_hit && p->next_hit(a, a->pane[a->focus], dir))
		return;
	if (!a->norder)
		return;
	a->sel = dir > 0 ? (a->sel + 1) % a->norder : (a->sel + a->norder - 1) % a->norder;
	app_show(a, a->order[a->sel], false);
}

static void set_confidence(app *a, double v)
{
	v = round(v * 20) / 20;      /* steps of 0.05 */
	a->filter.min_confidence = v < 0 ? 0 : v > 1 ? 1 : v;
	find_refresh(a);
	snprintf(a->msg, sizeof a->msg, "%s %.2f", _("Minimum confidence"), a->filter.min_confidence);
}

bool find_action(app *a, enum action act, request *rq)
{
	switch (act) {
	case ACT_SEARCH: rq->open = start_prompt(a, PROMPT_SEARCH); return true;
	case ACT_CONF_SET: rq->open = start_prompt(a, PROMPT_CONF); return true;
	case ACT_NEXT_HIT: next_hit(a, 1); return true;
	case ACT_PREV_HIT: next_hit(a, -1); return true;
	case ACT_FILTER:
		rq->open = (layer){ &dialog_ops, xcalloc(1, sizeof(dialog)) };
		((dialog *)rq->open.self)->cur = 1;
		return true;
	case ACT_CONF_UP: set_confidence(a, a->filter.min_confidence + 0.05); return true;
	case ACT_CONF_DOWN: set_confidence(a, a->filter.min_confidence - 0.05); return true;
	case ACT_CLEAR: clear_all(a); return true;
	default: return false;
	}
}

/* ---- drawing ---- */

static void append(char *buf, size_t len, const char *label, const char *const *v, size_t n)
{
	if (!n)
		return;
	snprintf(buf + strlen(buf), len - strlen(buf), " %s:", label);
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "," : "", v[i]);
}

const char *find_summary(app *a)
{
	static char buf[512];

	buf[0] = '\0';
	append(buf, sizeof buf, "domain", a->filter.domains, a->filter.ndomains);
	append(buf, sizeof buf, "cat", a->filter.categories, a->filter.ncategories);
	append(buf, sizeof buf, "tier", a->filter.tiers, a->filter.ntiers);
	if (a->filter.resolvable) {
		const char *v[4];
		size_t n = 0;

		for (int i = 0; i < 4; i++)
			if ((a->filter.resolvable >> i) & 1)
				v[n++] = res_names[i];
		append(buf, sizeof buf, "resolvable", v, n);
	}
	if (a->filter.min_confidence > 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " conf>=%.2f", a->filter.min_confidence);
	if (a->qtext[0])
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " /%s%s", a->qtext,
			 a->q_fixed ? _(" (typo corrected)") : a->q_line ? _(" (as a log line)") : "");
	return buf;
}

int draw_marked(app *a, int y, int x, const char *clean, enum search_where where, int cols, int style)
{
	size_t len = strlen(clean), nm;
	search_mark *m;
	int used = 0;

	/* Exactly where the search finds its words (search_marks): by
	 * case and width, by pinyin, and by initials in the head. */
	nm = query_empty(&a->q) || !len ? 0 : search_marks(&a->q, clean, where, &m);
	if (!nm)
		return draw_text(y, x, clean, cols, (enum ui_style)style);
	for (size_t i = 0, k = 0; i < len && used < cols;) {
		bool on = k < nm && i >= m[k].start;
		size_t j = on ? m[k].end : k < nm ? m[k].start : len;
		char *seg;

		if (j > len)
			j = len;
		seg = xstrndup(clean + i, j - i);
		used += draw_text(y, x + used, seg, cols - used, on ? UI_MATCH : (enum ui_style)style);
		free(seg);
		k += on;
		i = j;
	}
	free(m);
	return used;
}

void find_free(app *a)
{
	if (a->line_m) {
		matcher_free(a->line_m);
		kb_slim_free(&a->line_slim);
	}
	if (a->vocab) {
		search_vocab_free(a->vocab);
		free(a->vocab);
	}
	free(a->pass);
	free(a->pass_key);
	kbcache_groups_end(a->groups.counting);
	free(a->groups.v);
	free(a->groups.at);
	for (int j = 0; j < 3; j++)
		free(a->groups.names[j]);
	free(a->groups.pool);
	strmap_free(&a->groups.pool_ix);
	arena_free(&a->groups.mem);
	free(a->filter.domains);
	free(a->filter.categories);
	free(a->filter.tiers);
	query_free(&a->q);
	search_index_free(&a->ix);
	searcher_free(a->searcher);
	free(a->hits);
	free(a->base);
}

void find_set_query(app *a, const char *text)
{
	if (!set_query(a, text, KB_NONE))
		snprintf(a->msg, sizeof a->msg, "%s", a->query_err);
}
