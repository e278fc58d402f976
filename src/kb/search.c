#include <config.h>
#include "search.h"
#include "fold.h"
#include "i18n.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ---- */

static const struct { const char *name; enum qfield field; } fields[] = {
	{ "domain", QF_DOMAIN }, { "dom", QF_DOMAIN }, { "cat", QF_CAT },
	{ "category", QF_CAT }, { "code", QF_CODE }, { "tag", QF_TAG },
	{ "conf", QF_CONF }, { "confidence", QF_CONF }, { "fix", QF_FIX },
};

/* A parse error: the query is freed (the caller gets nothing to free). */
static bool fail(query *q, char *err, size_t errlen, size_t *errpos, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static bool fail(query *q, char *err, size_t errlen, size_t *errpos, size_t at, const char *fmt, ...)
{
	va_list ap;

	query_free(q);
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	*errpos = at;
	return false;
}

static void add(query *q, qterm t)
{
	q->terms = xgrow(q->terms, &q->cap, q->n + 1, sizeof *q->terms);
	q->terms[q->n++] = t;
}

/* A word or a "quoted phrase" starting at s[*i]; malloc'd, unfolded.  A
 * quote that is never closed is an ordinary character: pasted messages
 * hold lone quotes. */
static char *word(const char *s, size_t *i)
{
	size_t start = *i;

	if (s[*i] == '"' && strchr(s + *i + 1, '"')) {
		const char *end = strchr(s + *i + 1, '"');

		*i = (size_t)(end - s) + 1;
		return xstrndup(s + start + 1, (size_t)(end - s) - start - 1);
	}
	while (s[*i] && !isspace((unsigned char)s[*i]))
		(*i)++;
	return xstrndup(s + start, *i - start);
}

bool query_parse(const char *s, query *q, char *err, size_t errlen, size_t *errpos)
{
	size_t i = 0, plen = 0;

	memset(q, 0, sizeof *q);
	q->phrase = xstrdup("");
	while (s[i]) {
		qterm t = { .field = QF_TEXT };
		char *w;

		while (isspace((unsigned char)s[i]))
			i++;
		if (!s[i])
			break;
		if (s[i] == '-' && s[i + 1] && !isspace((unsigned char)s[i + 1])) {
			t.neg = true;
			i++;
		}
		/* field:value or a comparison */
		if (isalpha((unsigned char)s[i])) {
			size_t j = i;

			while (isalpha((unsigned char)s[j]))
				j++;
			if (s[j] == ':' || s[j] == '>' || s[j] == '<' || s[j] == '=') {
				size_t k;

				for (k = 0; k < sizeof fields / sizeof *fields; k++)
					if (strlen(fields[k].name) == j - i && !strncmp(s + i, fields[k].name, j - i))
						break;
				/* Not a field: pasted error text is full of "Error:"
				 * and "a<b"; it is searched as it is. */
				if (k == sizeof fields / sizeof *fields)
					goto text;
				t.field = fields[k].field;
				if (t.field == QF_CONF || t.field == QF_FIX) {
					char *end;

					if (s[j] == '>' || s[j] == '<') {
						bool ge = s[j] == '>';

						j++;
						t.op = s[j] == '=' ? (ge ? QO_GE : QO_LE) : (ge ? QO_GT : QO_LT);
						j += s[j] == '=';
					} else {
						t.op = QO_EQ;
						j++;
					}
					t.value = strtod(s + j, &end);
					if (end == s + j || !(t.value >= 0 && t.value <= 1) ||
					    (*end && !isspace((unsigned char)*end)))
						return fail(q, err, errlen, errpos, j, _("expected a number from 0 to 1"));
					i = (size_t)(end - s);
					add(q, t);
					continue;
				}
				if (s[j] != ':')
					return fail(q, err, errlen, errpos, j, _("'%.*s' takes ':', as in %.*s:value"),
						    (int)(j - i), s + i, (int)(j - i), s + i);
				i = j + 1;
				if (!s[i] || isspace((unsigned char)s[i]))
					return fail(q, err, errlen, errpos, i, _("a value is missing after ':'"));
				w = word(s, &i);
				t.text = fold(w);
				free(w);
				add(q, t);
				continue;
			}
		}
text:
		w = word(s, &i);
		t.text = fold(w);
		free(w);
		if (!*t.text) {
			free(t.text);
			continue;
		}
		t.pinyin = fold_is_latin_word(t.text) && strlen(t.text) >= 2;
		if (!t.neg) {
			size_t n = strlen(t.text);

			q->phrase = xrealloc(q->phrase, plen + n + 2);
			if (plen)
				q->phrase[plen++] = ' ';
			memcpy(q->phrase + plen, t.text, n + 1);
			plen += n;
		}
		add(q, t);
	}
	return true;
}

void query_free(query *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->terms[i].text);
	free(q->terms);
	free(q->phrase);
	memset(q, 0, sizeof *q);
}

bool query_empty(const query *q)
{
	return !q || q->n == 0;
}

/* ---- the index ---- */

typedef struct sbuf {
	char *s;
	size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s)
{
	size_t n;

	if (!s || !*s)
		return;
	n = strlen(s);
	b->s = xgrow(b->s, &b->cap, b->n + n + 2, 1);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n++] = '\n';
	b->s[b->n] = '\0';
}

static void put_text(sbuf *b, const kb_text *t, sbuf *zh)
{
	put(b, t->en);
	put(b, t->zh);
	if (zh && t->zh_state == KB_ZH_OK)
		put(zh, t->zh);
}

static char *folded(sbuf *b)
{
	char *f = fold(b->s ? b->s : "");

	free(b->s);
	return f;
}

/* The pinyin of zh's text, full then initials, each ending in the part
 * separator. */
static void put_pinyin(sbuf *py, sbuf *zh)
{
	char *full, *initials;

	fold_pinyin(zh->s ? zh->s : "", &full, &initials);
	free(zh->s);
	zh->s = NULL;
	zh->n = zh->cap = 0;
	for (int i = 0; i < 2; i++) {
		const char *t = i ? initials : full;
		size_t n = strlen(t);

		py->s = xgrow(py->s, &py->cap, py->n + n + 2, 1);
		memcpy(py->s + py->n, t, n);
		py->n += n;
		py->s[py->n++] = SEARCH_PART;
		py->s[py->n] = '\0';
	}
	free(full);
	free(initials);
}

void search_doc_make(const kb_record *r, search_doc *d)
{
	sbuf head = { 0 }, body = { 0 }, zh = { 0 }, py = { 0 };
	/* What names the error: id, signatures, aliases. */
	put(&head, r->id);
	put_text(&head, &r->signature, &zh);
	for (size_t j = 0; j < r->naliases; j++)
		put(&head, r->aliases[j]);
	put_pinyin(&py, &zh);
	/* What says what it is: the root cause, the code, where it is
	 * filed, its tags; then, after the separator, what is done about
	 * it: dead ends and workarounds. */
	put_text(&body, &r->root_cause, &zh);
	put(&body, r->error_code);
	put(&body, r->domain);
	put(&body, r->category);
	put(&body, r->subcategory);
	for (size_t j = 0; j < r->ntags; j++)
		put(&body, r->tags[j]);
	put_pinyin(&py, &zh);
	body.s = xgrow(body.s, &body.cap, body.n + 2, 1);
	body.s[body.n++] = SEARCH_PART;
	body.s[body.n] = '\0';
	for (size_t j = 0; j < r->ndead_ends; j++) {
		put_text(&body, &r->dead_ends[j].action, &zh);
		put_text(&body, &r->dead_ends[j].why_fails, &zh);
	}
	for (size_t j = 0; j < r->nworkarounds; j++) {
		put_text(&body, &r->workarounds[j].action, &zh);
		put_text(&body, &r->workarounds[j].how, NULL);
	}
	put_pinyin(&py, &zh);
	d->head = folded(&head);
	d->sig = fold(r->signature.en);
	d->body = folded(&body);
	/* Pinyin (full, initials) of the Chinese text of each part, for
	 * those who type a search in pinyin. */
	d->pinyin = py.s;
	d->code = r->error_code ? fold(r->error_code) : NULL;
	d->tags = NULL;
	if (r->ntags) {
		/* "\ntag\ntag\n": every tag on a line of its own, an empty
		 * one too (put leaves empty strings out). */
		sbuf tags = { 0 };

		tags.s = xgrow(NULL, &tags.cap, 2, 1);
		tags.n = 1;
		tags.s[0] = '\n';
		tags.s[1] = '\0';
		for (size_t j = 0; j < r->ntags; j++) {
			char *f = fold(r->tags[j]);
			size_t n = strlen(f);

			/* One line a tag, whatever it holds. */
			for (char *c = f; *c; c++)
				if (*c == '\n')
					*c = ' ';
			tags.s = xgrow(tags.s, &tags.cap, tags.n + n + 2, 1);
			memcpy(tags.s + tags.n, f, n);
			tags.n += n;
			tags.s[tags.n++] = '\n';
			tags.s[tags.n] = '\0';
			free(f);
		}
		d->tags = tags.s;
	}
	d->fix = r->fix_success_rate;
}

/* A doc's strings are const to those who read them. */
static void release(const char *s)
{
	free((char *)(uintptr_t)s);
}

void search_doc_free(search_doc *d)
{
	release(d->head);
	release(d->body);
	release(d->pinyin);
	release(d->sig);
	release(d->code);
	release(d->tags);
	memset(d, 0, sizeof *d);
}

/* ---- the screen ---- */

/* Each trigram sets two bits of SEARCH_SCREEN_HASHES, from one 64-bit
 * product: a trigram that shares one of its slots with a common one (as
 * rare words do, a few among thousands of trigrams) is told apart by the
 * other.  On the 100k scale KB, "tukter8" left 13,892 candidates with one
 * bit a trigram, 2,500 with two (1,488 hold its trigrams, 56 the word);
 * 8,192 bits left 1,813, but made the index 9% bigger and its build
 * slower. */
static void screen_text(const char *s, uint8_t *set)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i + 3 <= n; i++) {
		uint64_t x = ((uint64_t)p[i] | (uint64_t)p[i + 1] << 8 | (uint64_t)p[i + 2] << 16) *
			     0x9E3779B97F4A7C15u;
		unsigned h1 = (unsigned)(x >> (64 - SEARCH_SCREEN_BITS));
		unsigned h2 = (unsigned)(x >> (64 - 2 * SEARCH_SCREEN_BITS)) & (SEARCH_SCREEN_HASHES - 1);

		set[h1 >> 3] |= (uint8_t)(1u << (h1 & 7));
		set[h2 >> 3] |= (uint8_t)(1u << (h2 & 7));
	}
}

void search_doc_screen(const search_doc *d, uint8_t *set)
{
	/* A pinyin match runs over the spaces between words, and initials
	 * match in any case: their trigrams are those of the letters run
	 * together, in lower case. */
	size_t n = d->pinyin ? strlen(d->pinyin) : 0, k = 0;
	char *letters = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++)
		if (d->pinyin[i] != ' ')
			letters[k++] = (char)tolower((unsigned char)d->pinyin[i]);
	letters[k] = '\0';
	screen_text(d->head, set);
	screen_text(d->body, set);
	screen_text(letters, set);
	free(letters);
}

size_t search_screen_needs(const query *q, unsigned **out)
{
	uint8_t set[SEARCH_SCREEN_HASHES / 8] = { 0 };
	size_t n = 0;

	*out = NULL;
	/* A word is found in the head, the body or the pinyin: a record
	 * that matches has its trigrams in one of them. */
	for (size_t i = 0; i < q->n; i++)
		if (q->terms[i].field == QF_TEXT && !q->terms[i].neg && strlen(q->terms[i].text) >= 3)
			screen_text(q->terms[i].text, set);
	for (unsigned h = 0; h < SEARCH_SCREEN_HASHES; h++)
		if (set[h >> 3] & (1u << (h & 7))) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = h;
		}
	return n;
}

void search_index_init(search_index *ix, size_t n)
{
	memset(ix, 0, sizeof *ix);
	ix->n = n;
	ix->docs = xcalloc(n + 1, sizeof *ix->docs);
}

void search_index_put(search_index *ix, const kb_record *r)
{
	if (ix->built >= ix->n)
		return;
	if (!ix->docs[ix->built].head)
		search_doc_make(r, &ix->docs[ix->built]);
	ix->built++;
}

bool search_index_has(const search_index *ix, size_t i)
{
	return i < ix->n && ix->docs[i].head;
}

void search_index_build(search_index *ix, const kb *k)
{
	search_index_init(ix, k->nrecs);
	for (size_t i = 0; i < k->nrecs; i++)
		search_index_put(ix, &k->recs[i]);
}

void search_index_free(search_index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		search_doc_free(&ix->docs[i]);
	free(ix->docs);
	memset(ix, 0, sizeof *ix);
}

/* ---- matching and ranking ---- */

static bool field_match(const search_doc *d, const kb_record *r, const qterm *t)
{
	size_t n = strlen(t->text);
	char *f;
	bool ok = false;

	switch (t->field) {
	case QF_DOMAIN:
	case QF_CAT:
		f = fold(t->field == QF_DOMAIN ? r->domain : r->category);
		ok = !strncmp(f, t->text, n);    /* by prefix: cat:auth */
		free(f);
		return ok;
	case QF_CODE:
		return d->code && strstr(d->code, t->text);
	case QF_TAG:
		/* A whole tag: "\ntext\n" in "\ntag\ntag\n". */
		if (!d->tags)
			return false;
		for (const char *p = d->tags + 1; *p && (p = strstr(p, t->text)); p++) {
			if (p[-1] == '\n' && p[n] == '\n')
				return true;
			if (!*p)
				break;      /* an empty text, found at the end */
		}
		return false;
	default:
		return false;
	}
}

static bool compare(double v, const qterm *t)
{
	if (isnan(v))
		return false;
	switch (t->op) {
	case QO_GE: return v >= t->value - 1e-9;
	case QO_GT: return v > t->value + 1e-9;
	case QO_LE: return v <= t->value + 1e-9;
	case QO_LT: return v < t->value - 1e-9;
	default: return fabs(v - t->value) < 1e-9;
	}
}

/* What a word found weighs, by where: the head, the body's two parts. */
static const double text_weight[3] = { 10, 4, 1 };
/* In pinyin, each part's full pinyin as its text, initials half that
 * (they say less: a few letters). */
static const double pinyin_weight[6] = { 10, 5, 4, 2, 1, 0.5 };
/* Initials only in the head: a few letters are found in the long text of
 * the rest by chance (zs is 暂时 as well as 证书: 113 of the 221 shipped
 * records hold such a word somewhere, 18 in their name).  search_marks
 * marks them likewise, in SEARCH_IN_HEAD text only: the two go together. */
enum { INITIALS_PARTS = 1 };
/* The usual length of each part, in bytes, for length_norm. */
static const double usual_length[3] = { 160, 600, 2000 };

/* A word found in a short field says more than in a long one (BM25's
 * length normalization, k1 1.2, b 0.75, one occurrence): 1 for a field of
 * the usual length, up to 2.2 for a very short one, less for a long one.
 * "证书" is the whole subject of "证书已过期", a detail of a long
 * Kubernetes message. */
static double length_norm(size_t len, double usual)
{
	return 2.2 / (1 + 1.2 * (0.25 + 0.75 * (double)len / usual));
}

/* Where in [s, end) (end NULL: to the NUL) word is first found at the
 * start of a word (after a byte that is no ASCII letter or digit): 2;
 * only inside words ("use" in "because"): 1; not at all: 0. */
static int found_in(const char *s, const char *end, const char *word)
{
	size_t wl = strlen(word);
	int found = 0;

	for (const char *p = s; (p = strstr(p, word)) && (!end || p + wl <= end); p++) {
		unsigned char before = p > s ? (unsigned char)p[-1] : ' ';

		if (!isalnum(before) || !isalnum((unsigned char)word[0]))
			return 2;
		found = 1;
	}
	return found;
}

/* The weight of a word found (how: found_in's) in a part of len bytes. */
static double part_weight(int part, int how, size_t len)
{
	return how ? text_weight[part] * length_norm(len, usual_length[part]) * (how == 2 ? 1 : 0.5) : 0;
}

/* The weight of the best place of d's text that holds word, 0 when none:
 * a word found at a word's start counts whole, inside one half.  Parts
 * are measured only where the word is (a search keystroke scores every
 * record of a KB). */
static double text_score(const search_doc *d, const char *word, bool *in_head)
{
	const char *sep;
	double best;
	int how = found_in(d->head, NULL, word);

	*in_head = how == 2;
	best = part_weight(0, how, how ? strlen(d->head) : 0);
	if (how == 2 || !strstr(d->body, word))
		return best;
	sep = strchr(d->body, SEARCH_PART);
	how = found_in(d->body, sep, word);
	if (how) {
		double w = part_weight(1, how, sep ? (size_t)(sep - d->body) : strlen(d->body));

		best = w > best ? w : best;
		if (how == 2)
			return best;
	}
	if (sep && (how = found_in(sep + 1, NULL, word))) {
		double w = part_weight(2, how, strlen(sep + 1));

		best = w > best ? w : best;
	}
	return best;
}

/* The bytes of the text each part of a doc's pinyin is of (its head, or
 * a part of its body), for length_norm: measured when a pinyin hit needs
 * it. */
static size_t text_length(const search_doc *d, int part)
{
	const char *sep = strchr(d->body, SEARCH_PART);

	if (part == 0)
		return strlen(d->head);
	if (part == 1)
		return sep ? (size_t)(sep - d->body) : strlen(d->body);
	return sep ? strlen(sep + 1) : 0;
}

/* Whether the pinyin part p[0, n) holds the letters q.  Full pinyin: from
 * the start of a word, over the spaces between the words of a run, ending
 * anywhere (a syllable typed so far).  Initials: from a word's start to a
 * word's end, at least one of them a word of two characters or more (in
 * lower case): zs is 证书, not any two characters in a row. */
static bool pinyin_in(const char *p, size_t n, const char *q, bool initials)
{
	/* Most parts hold no match: full pinyin's first two letters are in
	 * its first word (a word of one letter aside, 啊 a), so a part
	 * without them is passed over at memmem's speed. */
	if (!initials && q[1] && !memmem(p, n, q, 2))
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t j = i, k = 0;
		bool whole = false;

		if ((i && p[i - 1] != ' ' && p[i - 1] != '\n') || p[i] == ' ' || p[i] == '\n')
			continue;
		while (q[k] && j < n) {
			char c = p[j];

			if (c == ' ' && k) {
				j++;
				continue;
			}
			if (c == '\n' || tolower((unsigned char)c) != q[k])
				break;
			whole |= initials && islower((unsigned char)c);
			j++;
			k++;
		}
		if (q[k])
			continue;
		if (!initials || (whole && (j == n || p[j] == ' ' || p[j] == '\n')))
			return true;
	}
	return false;
}

/* The weight of the best part of d's pinyin that holds the letters q
 * (normalized by the length of the text it is the pinyin of). */
static double pinyin_score(const search_doc *d, const char *q)
{
	const char *p = d->pinyin;

	for (int part = 0; part < 6 && p && *p; part++) {
		const char *end = strchr(p, SEARCH_PART);
		size_t n = end ? (size_t)(end - p) : strlen(p);

		/* Initials past the head say nothing: skipped. */
		if (!(part % 2 && part > INITIALS_PARTS) && memchr(p, q[0], n) &&
		    pinyin_in(p, n, q, part % 2))
			return pinyin_weight[part] * length_norm(text_length(d, part / 2), usual_length[part / 2]);
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

double search_doc_score(const search_doc *d, const kb_record *r, const query *q)
{
	double score = 1;

	for (size_t i = 0; i < q->n; i++) {
		const qterm *t = &q->terms[i];
		double s = 0;
		bool in_head;

		switch (t->field) {
		case QF_TEXT:
			/* Pinyin can do better only where the text is not a
			 * word of the head. */
			s = text_score(d, t->text, &in_head);
			if (t->pinyin && !in_head) {
				double py = pinyin_score(d, t->text);

				s = py > s ? py : s;
			}
			break;
		case QF_CONF:
			s = compare(r->confidence, t);
			break;
		case QF_FIX:
			s = compare(d->fix, t);
			break;
		default:
			s = field_match(d, r, t);
			break;
		}
		if (t->neg ? s > 0 : s == 0)
			return 0;
		if (!t->neg)
			score += s;
	}
	/* The whole query as one run of text in the signature: the record the
	 * user is most likely looking for, the more so the more of the
	 * signature it is (all of it: a pasted message). */
	if (q->phrase[0] && strstr(d->sig, q->phrase))
		score += 50 + 50.0 * (double)strlen(q->phrase) / (double)strlen(d->sig);
	else if (q->phrase[0] && strchr(q->phrase, ' ') && strstr(d->head, q->phrase))
		score += 40;
	return score;
}

double search_score(const search_index *ix, const kb *k, size_t rec, const query *q)
{
	if (!search_index_has(ix, rec))
		return 0;         /* not searchable yet */
	return search_doc_score(&ix->docs[rec], &k->recs[rec], q);
}

/* qsort_r's (ranking may run on a thread of its own): scores, then
 * confidences. */
static int by_score(const void *a, const void *b, void *arg)
{
	const double *const *v = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	double sx = v[0][x], sy = v[0][y];
	double cx = v[1][x], cy = v[1][y];

	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (isnan(cx)) cx = 0;
	if (isnan(cy)) cy = 0;
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return x < y ? -1 : x > y;   /* the order given */
}

/* A key whose unsigned order is the descending order of d (a number,
 * not NaN; -0 is 0). */
static uint64_t desc_key(double d)
{
	uint64_t u;

	if (d == 0)
		d = 0;
	memcpy(&u, &d, sizeof u);
	u = u >> 63 ? ~u : u | (uint64_t)1 << 63;    /* ascending */
	return ~u;
}

void search_rank(const double *scores, const double *confidence, size_t n, uint32_t **out)
{
	uint32_t *a, *b;
	uint64_t *key;

	/* A list of 100,000 hits is ranked at a key of the browser's: by
	 * an LSD radix sort, stable, on the confidence then the score
	 * (ties keep the order given), a tenth of qsort's time with
	 * by_score.  A byte that is the same in every key is passed over. */
	*out = a = xmalloc((n ? n : 1) * sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)i;
	if (n < 64) {
		const double *v[2] = { scores, confidence };

		qsort_r(a, n, sizeof *a, by_score, v);
		return;
	}
	b = xmalloc(n * sizeof *b);
	key = xmalloc(n * sizeof *key);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++)
			key[i] = pass ? desc_key(scores[i])
				      : desc_key(isnan(confidence[i]) ? 0 : confidence[i]);
		for (int shift = 0; shift < 64; shift += 8) {
			size_t count[256] = { 0 }, at = 0;
			bool one = false;

			for (size_t i = 0; i < n; i++)
				count[(key[a[i]] >> shift) & 255]++;
			for (int d = 0; d < 256 && !one; d++)
				one = count[d] == n;
			if (one)
				continue;
			for (int d = 0; d < 256; d++) {
				size_t c = count[d];

				count[d] = at;
				at += c;
			}
			for (size_t i = 0; i < n; i++)
				b[count[(key[a[i]] >> shift) & 255]++] = a[i];
			{
				uint32_t *t = a;

				a = b;
				b = t;
			}
		}
	}
	*out = a;
	free(b);
	free(key);
}

size_t search_run(const search_index *ix, const kb *k, const query *q,
		  const uint32_t *in, size_t nin, uint32_t **out)
{
	uint32_t *hit = xmalloc((nin ? nin : 1) * sizeof *hit), *order;
	double *scores = xmalloc((nin ? nin : 1) * sizeof *scores);
	double *conf = xmalloc((nin ? nin : 1) * sizeof *conf);
	size_t n = 0;

	for (size_t i = 0; i < nin; i++) {
		double s = search_score(ix, k, in[i], q);

		if (s > 0) {
			hit[n] = in[i];
			scores[n] = s;
			conf[n] = k->recs[in[i]].confidence;
			n++;
		}
	}
	search_rank(scores, conf, n, &order);
	*out = xmalloc((n ? n : 1) * sizeof **out);
	for (size_t i = 0; i < n; i++)
		(*out)[i] = hit[order[i]];
	free(order);
	free(hit);
	free(scores);
	free(conf);
	return n;
}

/* ---- typos ---- */

void search_vocab_init(search_vocab *v)
{
	memset(v, 0, sizeof *v);
	strmap_init(&v->ix);
	arena_init(&v->mem);
}

void search_vocab_free(search_vocab *v)
{
	strmap_free(&v->ix);
	arena_free(&v->mem);
	free(v->df);
	free(v->last);
	memset(v, 0, sizeof *v);
}

static bool word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static void vocab_text(search_vocab *v, const char *s)
{
	char w[41];

	while (s && *s) {
		size_t n = 0;

		while (*s && !word_byte(*s))
			s++;
		while (word_byte(s[n]))
			n++;
		if (n >= 3 && n < sizeof w) {
			uint32_t at;

			memcpy(w, s, n);
			w[n] = '\0';
			at = strmap_get(&v->ix, w);
			if (at == UINT32_MAX) {
				size_t had = v->cap;

				v->df = xgrow(v->df, &v->cap, v->n + 1, sizeof *v->df);
				if (v->cap != had)      /* last grows with df, not at every word */
					v->last = xrealloc(v->last, v->cap * sizeof *v->last);
				at = strmap_put(&v->ix, arena_strndup(&v->mem, s, n), (uint32_t)v->n);
				v->df[at] = 0;
				v->last[at] = UINT32_MAX;
				v->n++;
			}
			if (v->last[at] != v->docs) {
				v->last[at] = v->docs;
				v->df[at]++;
			}
		}
		s += n;
	}
}

void search_vocab_add(search_vocab *v, const search_doc *d)
{
	vocab_text(v, d->head);
	vocab_text(v, d->body);
	v->docs++;
}

static uint32_t vocab_df(const search_vocab *v, const char *w)
{
	uint32_t at = strmap_get(&v->ix, w);

	return at == UINT32_MAX ? 0 : v->df[at];
}

/* The word one edit from w that the most records hold, into best (room
 * for strlen(w) + 2); its count, 0 when there is none. */
static uint32_t nearest(const search_vocab *v, const char *w, char *best)
{
	size_t n = strlen(w);
	char *c = xmalloc(n + 2);
	uint32_t top = 0;

#define TRY() do { \
		uint32_t df_ = vocab_df(v, c); \
		if (df_ > top) { \
			top = df_; \
			strcpy(best, c); \
		} \
	} while (0)
	for (size_t i = 0; i < n; i++) {              /* one left out */
		memcpy(c, w, i);
		strcpy(c + i, w + i + 1);
		TRY();
	}
	for (size_t i = 0; i + 1 < n; i++) {          /* two swapped */
		strcpy(c, w);
		c[i] = w[i + 1];
		c[i + 1] = w[i];
		TRY();
	}
	for (size_t i = 0; i < n; i++)                /* one changed */
		for (char l = 'a'; l <= 'z'; l++) {
			if (l == w[i])
				continue;
			strcpy(c, w);
			c[i] = l;
			TRY();
		}
	for (size_t i = 0; i <= n; i++)               /* one let in */
		for (char l = 'a'; l <= 'z'; l++) {
			memcpy(c, w, i);
			c[i] = l;
			strcpy(c + i + 1, w + i);
			TRY();
		}
#undef TRY
	free(c);
	return top;
}

bool search_log_like(const char *text)
{
	size_t words = 0, marks = 0;
	bool in = false;

	for (const char *p = text; *p; p++) {
		if (*p == ' ') {
			in = false;
		} else if (!in) {
			in = true;
			words++;
		}
		marks += (*p >= '0' && *p <= '9') || strchr(":()[]/=<>'\"", *p);
	}
	return strlen(text) >= 16 && words >= 2 && marks >= 2;
}

bool search_may_correct(const query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		const qterm *t = &q->terms[i];

		if (t->field == QF_TEXT && !t->neg && t->text && fold_is_latin_word(t->text) &&
		    strlen(t->text) >= 5)
			return true;
	}
	return false;
}

bool search_correct(const query *q, const search_vocab *v, query *out, char *text, size_t len)
{
	char *fixed = xstrdup("");
	bool any = false;
	size_t plen = 0;

	for (size_t i = 0; i < q->n; i++) {
		const qterm *t = &q->terms[i];
		char best[64];
		const char *w = t->text ? t->text : "";

		/* A word of letters alone, five or more, that no record holds. */
		if (t->field == QF_TEXT && !t->neg && fold_is_latin_word(w) && strlen(w) >= 5 &&
		    strlen(w) + 2 < sizeof best && !vocab_df(v, w) && nearest(v, w, best)) {
			w = best;
			any = true;
		} else if (t->field != QF_TEXT || t->neg) {
			continue;       /* fields and exclusions are kept as they are below */
		}
		fixed = xrealloc(fixed, plen + strlen(w) + 4);
		plen += (size_t)sprintf(fixed + plen, "%s%s", plen ? " " : "", w);
	}
	if (!any) {
		free(fixed);
		return false;
	}
	/* The corrected words, then the query's other terms as they were. */
	{
		char err[64];
		size_t pos;

		if (!query_parse(fixed, out, err, sizeof err, &pos)) {
			free(fixed);
			return false;
		}
		for (size_t i = 0; i < q->n; i++) {
			qterm t = q->terms[i];

			if (t.field == QF_TEXT && !t.neg)
				continue;
			t.text = t.text ? xstrdup(t.text) : NULL;
			add(out, t);
		}
	}
	snprintf(text, len, "%s", fixed);
	free(fixed);
	return true;
}

/* ---- marks ---- */

typedef struct marks {
	search_mark *v;
	size_t n, cap;
} marks;

static void mark(marks *m, size_t start, size_t end)
{
	if (end <= start)
		return;
	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
	m->v[m->n++] = (search_mark){ start, end };
}

static int by_start(const void *x, const void *y)
{
	const search_mark *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

/* text folded a character at a time, each folded byte knowing the bytes
 * of the character it came from: what a word found in the folded text is
 * in text.  (Folding a character alone can differ from folding it in
 * context, a combining mark after a letter: then a mark is a character
 * short, never wrong.) */
typedef struct fmap {
	char *f;
	size_t *from, *to;
	size_t n, cap;
} fmap;

static void fmap_put(fmap *m, const char *s, size_t n, size_t from, size_t to)
{
	if (m->n + n + 1 > m->cap) {
		m->cap = (m->n + n + 1) * 2;
		m->f = xrealloc(m->f, m->cap);
		m->from = xrealloc(m->from, m->cap * sizeof *m->from);
		m->to = xrealloc(m->to, m->cap * sizeof *m->to);
	}
	for (size_t i = 0; i < n; i++) {
		m->f[m->n] = s[i];
		m->from[m->n] = from;
		m->to[m->n++] = to;
	}
	m->f[m->n] = '\0';
}

/* One character, folded: a Han ideograph is its own folding (most of a
 * Chinese text); others through ICU, each kept in a small table (a
 * screen's rows repeat a few hundred characters). */
static void fold_one(fmap *m, const char *s, size_t n, size_t from, size_t to)
{
	static struct { uint32_t cp; char f[16]; } seen[1024];
	uint32_t cp = 0;
	char *one, *f;

	for (size_t k = 0; k < n; k++)
		cp = cp << 8 | (unsigned char)s[k];          /* the bytes: a key, not the code point */
	if ((n == 3 && cp >= 0xE4B880 && cp <= 0xE9BFBF) ||       /* U+4E00..U+9FFF */
	    (n == 3 && cp >= 0xE39080 && cp <= 0xE4B6BF)) {       /* U+3400..U+4DBF */
		fmap_put(m, s, n, from, to);
		return;
	}
	if (seen[cp % 1024].cp == cp && cp) {
		fmap_put(m, seen[cp % 1024].f, strlen(seen[cp % 1024].f), from, to);
		return;
	}
	one = xstrndup(s, n);
	f = fold(one);
	fmap_put(m, f, strlen(f), from, to);
	if (strlen(f) < sizeof seen[0].f) {
		seen[cp % 1024].cp = cp;
		strcpy(seen[cp % 1024].f, f);
	}
	free(f);
	free(one);
}

static void fmap_make(fmap *m, const char *text)
{
	size_t len = strlen(text);

	memset(m, 0, sizeof *m);
	fmap_put(m, "", 0, 0, 0);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		size_t j = i + 1;

		if (c < 0x80) {
			char low = (char)tolower(c);

			fmap_put(m, &low, 1, i, j);
			i = j;
			continue;
		}
		while (j < len && ((unsigned char)text[j] & 0xC0) == 0x80)
			j++;
		fold_one(m, text + i, j - i, i, j);
		i = j;
	}
}

/* Full pinyin from word start h[c]: the Han characters whose syllables
 * the letters q run over (the last one begun), as marks; false if q is
 * not there. */
static bool pinyin_from(const fold_han *h, size_t nh, size_t c, const char *q, marks *m)
{
	size_t k = c, at = 0;

	while (*q) {
		if (k >= nh || (k > c && h[k].run_start))
			return false;
		if (!h[k].syl[at]) {
			k++;
			at = 0;
			continue;
		}
		if (h[k].syl[at] != *q)
			return false;
		at++;
		q++;
	}
	mark(m, h[c].start, h[at ? k : k - 1].end);
	return true;
}

/* Initials from word start h[c], as the search matches them in the
 * head's initials (pinyin_in): the first letter of each character's
 * syllable, over the words of a run, ending at a word's end, a word of
 * two characters or more among them (zs is 证书, and 证书问题 is zswt). */
static bool initials_from(const fold_han *h, size_t nh, size_t c, const char *q, marks *m)
{
	size_t k = c;
	bool whole = false;

	while (*q) {
		if (k >= nh || (k > c && h[k].run_start))
			return false;
		if (h[k].syl[0]) {         /* one without a syllable has no letter */
			if (h[k].syl[0] != *q)
				return false;
			whole |= h[k].word_len >= 2;
			q++;
		}
		k++;
	}
	while (k < nh && !h[k].word_start && !h[k].syl[0])
		k++;
	if (!whole || (k < nh && !h[k].word_start))
		return false;
	mark(m, h[c].start, h[k - 1].end);
	return true;
}

/* fold_han_chars of text, kept for the texts seen last: a screen's rows
 * are drawn again at every key, with ICU's word breaker a millisecond
 * or two each.  *h is the table's: valid until the next call. */
static size_t han_of(const char *text, const fold_han **h)
{
	static struct { char *text; fold_han *h; size_t n; } seen[256];
	uint64_t x = 1469598103934665603u;
	size_t at;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		x = (x ^ *p) * 1099511628211u;
	at = (size_t)(x % 256);
	if (!seen[at].text || strcmp(seen[at].text, text)) {
		free(seen[at].text);
		free(seen[at].h);
		seen[at].text = xstrdup(text);
		seen[at].n = fold_han_chars(text, &seen[at].h);
	}
	*h = seen[at].h;
	return seen[at].n;
}

size_t search_marks(const query *q, const char *text, enum search_where where, search_mark **out)
{
	marks m = { 0 };
	const fold_han *h = NULL;
	size_t nh = 0;
	bool han_done = false;
	fmap f;

	*out = NULL;
	if (query_empty(q) || !*text)
		return 0;
	fmap_make(&f, text);
	for (size_t i = 0; i < q->n; i++) {
		const qterm *t = &q->terms[i];
		size_t n = t->text ? strlen(t->text) : 0;

		if (t->field != QF_TEXT || t->neg || !n)
			continue;
		for (const char *p = f.f; (p = strstr(p, t->text)); p++) {
			size_t at = (size_t)(p - f.f);

			mark(&m, f.from[at], f.to[at + n - 1]);
		}
		if (!t->pinyin || !fold_pinyin_may_hold(text, t->text))
			continue;
		if (!han_done) {
			nh = han_of(text, &h);
			han_done = true;
		}
		/* Initials only where the search counts them (INITIALS_PARTS):
		 * zs marks 证书 in a signature, not a 暂时 in a workaround. */
		for (size_t c = 0; c < nh; c++)
			if (h[c].word_start && !pinyin_from(h, nh, c, t->text, &m) && where == SEARCH_IN_HEAD)
				initials_from(h, nh, c, t->text, &m);
	}
	free(f.f);
	free(f.from);
	free(f.to);
	if (!m.n)
		return 0;
	/* Sorted, and those that touch or overlap made one. */
	qsort(m.v, m.n, sizeof *m.v, by_start);
	{
		size_t k = 0;

		for (size_t i = 1; i < m.n; i++) {
			if (m.v[i].start <= m.v[k].end) {
				if (m.v[i].end > m.v[k].end)
					m.v[k].end = m.v[i].end;
			} else {
				m.v[++k] = m.v[i];
			}
		}
		m.n = k + 1;
	}
	*out = m.v;
	return m.n;
}
