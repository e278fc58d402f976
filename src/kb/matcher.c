#include <config.h>
#include "matcher.h"
#include "fold.h"
#include "kbregex.h"
#include "literal.h"
#include "strmap.h"
#include "textscan.h"
#include "trouble.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* What a regex hit adds to a signature's coverage (0..1): enough that a
 * matching regex outranks a partly similar signature, not so much that a
 * broad regex outranks a record whose whole signature is in the line. */
#define REGEX_WEIGHT 0.6
/* A signature found whole in a line outranks everything else. */
#define VERBATIM_WEIGHT 10.0
/* Below this coverage, a record without a regex hit is not reported. */
#define MIN_COVERAGE 0.7
/* Tokens in more than this share of signatures say little: skipped; and
 * in a big KB, those in more than COMMON_MAX signatures, so that a line's
 * cost does not grow with the KB (a word in 5% of 100,000 signatures
 * added 5,000 records to every line that held it). */
#define COMMON_SHARE 0.05
#define COMMON_MAX 1000
/* What a sign of trouble on the line (an error word, a non-zero exit
 * status: trouble.h) adds: more than a regex hit's coverage can, so that
 * a regex on an ordinary line ranks below one on a line that says
 * something went wrong (a broad regex finds ordinary lines by the
 * thousand: "Removing", "cache", "<none>"). */
#define TROUBLE_WEIGHT 1.0
/* A regex hit on a line with no sign of trouble is reported only when
 * the line holds this share of its signature (every word weighed by its
 * rarity in the KB), or the whole signature. */
#define SUPPORT_MIN 0.5
/* A words-only hit needs a sign of trouble within this many bytes of the
 * signature's words in the line (or every word of the signature). */
#define TROUBLE_NEAR 80

typedef struct lit {
	char *text;            /* lowercase */
	size_t len, anchor;    /* offset of the screening trigram in text */
	uint32_t rec;
	uint32_t next;         /* next literal in the same bucket */
} lit;

/* Bucket tables: a power of two at least twice the literals, within these. */
enum { NBUCKETS_MIN = 1 << 8, NBUCKETS_MAX = 1 << 20 };

/* A record's regex: not compiled yet (a literal of it has not been met),
 * compiled, or none (no pattern, one that does not compile, or one that
 * hit ICU's limits). */
enum { RE_LATER, RE_READY, RE_NONE };

struct matcher {
	size_t nrecs;
	/* A matcher has two sides: the English one, made at once, and the
	 * Chinese one (zh), which reads the lines that hold Han text by the
	 * records' Chinese signatures and regex_zh, made at the first such
	 * line (most logs have none).  Each side has its own tokens, weights
	 * and literals, so that Chinese signatures change nothing of how
	 * English lines are read; both put their hits in the English side's
	 * results (out). */
	bool cjk;              /* this side reads Chinese: Han by pairs */
	struct matcher *out;   /* whose results this side's hits go to */
	struct matcher *zh;    /* the Chinese side, once made */
	const char *const *zh_sig, *const *zh_regex;   /* to make it; NULL: none */
	const char **zh_own_sig, **zh_own_regex;        /* those, when made from a KB */
	const char *const *regex;   /* per record (NULL: none), the caller's */
	const char **own_regex;     /* regex, when made from a KB */
	kbre *re;              /* per record, compiled when first needed */
	uint8_t *re_state;     /* per record: RE_* */
	lit *lits;
	size_t nlits, caplits;
	uint32_t *bucket;      /* trigram hash -> first literal + 1 */
	uint32_t *bucket5;     /* the same for literals of 5 bytes or more, by a 5-gram */
	uint32_t *bucket2;     /* two-byte literals, by a hash of their bytes */
	uint32_t mask;         /* number of buckets (in each table) - 1 */
	uint32_t *always;      /* records whose regex has no literal */
	char *req;             /* per record, the literals its regex requires: */
	size_t *reqoff;        /* at req + reqoff[rec], "lit\0lit\0\0"; 0: none */
	size_t nreq, capreq;
	kbre *always_screen;   /* per always entry: a case-sensitive lowered copy */
	size_t nalways, capalways, capscreen;

	/* The signatures' tokens, each a number (tokens), its string in mem;
	 * the records whose signature holds token t (those of a word too
	 * common to say much: none) are post[post_at[t] .. post_at[t + 1]),
	 * and each such holding weighs tokw[t]. */
	strmap tokens;
	size_t ntok;
	size_t *post_at;
	uint32_t *post;
	float *tokw;
	double *total;         /* per record: weight of its signature's tokens */
	float *idf;            /* per token: its rarity, common ones too */
	uint32_t *rtok;        /* the distinct tokens of signature i: */
	size_t *rtok_at;       /* rtok[rtok_at[i] .. rtok_at[i + 1]) */
	const char *const *sig;     /* per record, its signature, the caller's */
	const char **own_sig;       /* sig, when made from a KB */
	arena mem;

	/* The line being read is line_gen (never 0), the marks say the last
	 * line that counted a token (tok_mark) or made a record a candidate
	 * (cand_mark). */
	uint32_t *tok_mark;
	size_t *tok_pos;       /* per token: where the line holds it (when marked) */
	const char *folded;    /* the line being read, folded */
	int trouble;           /* its signs of trouble: -1 not looked for yet */
	size_t trouble_at[TROUBLE_MAX];
	double *acc;           /* per line scratch */
	uint32_t *touched, *cand_mark, *cands;
	uint32_t *hit_mark;    /* per record: the last line counted in its nlines */
	size_t ntouched, ncands;
	uint32_t line_gen;
	size_t nscreened, nran;        /* matcher_counts */

	match_hit *best;       /* per record, score 0 = none */
	match_hit *sorted;
	uint32_t *dropped;
	size_t ndropped, capdropped;
};

static uint32_t tri_hash(const matcher *m, const char *s)
{
	return ((uint32_t)(unsigned char)s[0] * 961u + (uint32_t)(unsigned char)s[1] * 31u +
		(uint32_t)(unsigned char)s[2]) & m->mask;
}

static uint32_t gram5_hash(const matcher *m, const char *s)
{
	uint32_t h = 0;

	for (int i = 0; i < 5; i++)
		h = h * 0x01000193u ^ (unsigned char)s[i];
	return (h ^ (h >> 15)) & m->mask;
}

static uint32_t pair_hash(const matcher *m, const char *s)
{
	return ((uint32_t)(unsigned char)s[0] * 31u + (uint32_t)(unsigned char)s[1]) & m->mask;
}

/* ---- tokens ---- */

typedef void (*token_fn)(void *ctx, const char *tok, size_t len);

/* Tokens of folded text: runs of letters, digits and non-ASCII bytes, of
 * two bytes or more. */
static void tokenize_words(const char *s, token_fn fn, void *ctx)
{
	while (*s) {
		const char *start;

		while (*s && !isalnum((unsigned char)*s) && (unsigned char)*s < 0x80)
			s++;
		start = s;
		while (*s && (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80))
			s++;
		if (s - start >= 2)
			fn(ctx, start, (size_t)(s - start));
	}
}

/* A Han ideograph (the unified blocks and their extensions, and the
 * compatibility ideographs that NFKC leaves). */
static bool is_han(UChar32 c)
{
	return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Tokens of folded Chinese text.  Chinese has no spaces: a run of Han
 * gives each pair of neighbours (a lone ideograph, itself), which says
 * far more than one ideograph and needs no dictionary (a message's
 * words around an argument are pairs the signature holds too).  Other
 * letters and digits make words as in tokenize_words; punctuation and
 * symbols, ASCII or not (“ ” 、 。), part them. */
static void tokenize_han(const char *s, token_fn fn, void *ctx)
{
	int32_t i = 0, len = (int32_t)strlen(s);

	while (i < len) {
		int32_t start = i;
		UChar32 c;

		U8_NEXT(s, i, len, c);
		if (is_han(c)) {
			int32_t a = start, b = i;    /* the ideograph before: [a, b) */
			bool pair = false;

			while (i < len) {
				int32_t at = i;
				UChar32 d;

				U8_NEXT(s, i, len, d);
				if (!is_han(d)) {
					i = at;
					break;
				}
				fn(ctx, s + a, (size_t)(i - a));
				pair = true;
				a = b;
				b = i;
			}
			if (!pair)
				fn(ctx, s + a, (size_t)(b - a));
			continue;
		}
		if (c < 0 || !u_isalnum(c))
			continue;
		while (i < len) {
			int32_t at = i;
			UChar32 d;

			U8_NEXT(s, i, len, d);
			if (d < 0 || is_han(d) || !u_isalnum(d)) {
				i = at;
				break;
			}
		}
		if (i - start >= 2)
			fn(ctx, s + start, (size_t)(i - start));
	}
}

static void tokenize(const matcher *m, const char *s, token_fn fn, void *ctx)
{
	if (m->cjk)
		tokenize_han(s, fn, ctx);
	else
		tokenize_words(s, fn, ctx);
}

/* The distinct tokens of each signature, as token numbers: those of
 * signature i are v[at[i] .. at[i + 1]). */
typedef struct collect {
	matcher *m;
	uint32_t *v;
	size_t n, cap, from;      /* from: where the signature read now begins */
} collect;

/* tok is in a signature's folded copy, cut here for the lookup. */
static void collect_token(void *ctx, const char *tok, size_t len)
{
	collect *c = ctx;
	matcher *m = c->m;
	char *end = (char *)(uintptr_t)(tok + len), save = *end;
	uint32_t id;

	*end = '\0';
	id = strmap_get(&m->tokens, tok);
	if (id == UINT32_MAX) {
		id = (uint32_t)m->ntok++;
		strmap_put(&m->tokens, arena_strndup(&m->mem, tok, len), id);
	}
	*end = save;
	for (size_t i = c->from; i < c->n; i++)
		if (c->v[i] == id)
			return;      /* distinct tokens only */
	c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = id;
}

static void build_tokens(matcher *m, const char *const *sigs)
{
	size_t nrecs = m->nrecs, *at = xmalloc((nrecs + 1) * sizeof *at), *df;
	double *w;
	collect c = { .m = m };

	/* Each token looked up once: 100,000 signatures hold a million. */
	strmap_init(&m->tokens);
	/* The folded signatures are not kept: verbatim folds again those
	 * of the few records a line holds whole or matches the regex of (a
	 * copy of them all was a tenth of the memory; folding them again
	 * costs nothing that could be measured). */
	for (size_t i = 0; i < nrecs; i++) {
		char *f;

		at[i] = c.from = c.n;
		if (!sigs[i])
			continue;
		f = fold(sigs[i]);
		tokenize(m, f, collect_token, &c);
		free(f);
	}
	at[nrecs] = c.n;
	m->tok_mark = xcalloc(m->ntok + 1, sizeof *m->tok_mark);
	df = xcalloc(m->ntok + 1, sizeof *df);
	for (size_t j = 0; j < c.n; j++)
		df[c.v[j]]++;
	/* A token's weight, 0 for one too common to say much; then room
	 * for the postings of the others, each list where its token's
	 * count says. */
	m->tokw = xcalloc(m->ntok + 1, sizeof *m->tokw);
	m->idf = xcalloc(m->ntok + 1, sizeof *m->idf);
	m->tok_pos = xcalloc(m->ntok + 1, sizeof *m->tok_pos);
	m->post_at = xcalloc(m->ntok + 2, sizeof *m->post_at);
	w = xcalloc(m->ntok + 1, sizeof *w);
	for (size_t t = 0; t < m->ntok; t++) {
		bool common = df[t] > 1 && (df[t] > COMMON_SHARE * (double)nrecs || df[t] > COMMON_MAX);

		m->idf[t] = (float)log(1.0 + (double)nrecs / (double)df[t]);
		w[t] = common ? 0 : m->idf[t];
		m->tokw[t] = (float)w[t];
		m->post_at[t + 1] = m->post_at[t] + (common ? 0 : df[t]);
	}
	m->post = xmalloc((m->post_at[m->ntok] + 1) * sizeof *m->post);
	memset(df, 0, (m->ntok + 1) * sizeof *df);    /* now: postings put, by token */
	m->total = xcalloc(nrecs + 1, sizeof *m->total);
	for (size_t i = 0; i < nrecs; i++)
		for (size_t j = at[i]; j < at[i + 1]; j++) {
			uint32_t t = c.v[j];

			if (w[t] == 0)
				continue;
			m->post[m->post_at[t] + df[t]++] = (uint32_t)i;
			m->total[i] += w[t];
		}
	free(w);
	/* Each signature's tokens, to tell what of it a line holds. */
	m->rtok = c.v;
	m->rtok_at = at;
	free(df);
}

/* ---- construction ---- */

/* pattern with its ASCII letters lowered, but not those that belong to an
 * escape (\D, \p{Lu}, \x{41}): it matches the lowered line wherever the
 * case-insensitive pattern matches the line, so it can screen for it.
 * Inside \Q...\E every character is literal, backslashes too, so all of
 * it is lowered; the closing \E stays. */
static char *lower_pattern(const char *p)
{
	char *out = xstrdup(p), *o = out;
	bool braces = false;

	for (; *o; o++) {
		if (o[0] == '\\' && o[1] == 'Q') {
			for (o += 2; *o && !(o[0] == '\\' && o[1] == 'E'); o++)
				*o = (char)tolower((unsigned char)*o);
			if (!*o)
				break;
			o++;
			continue;
		}
		if (*o == '\\' && o[1]) {
			o++;
			braces = strchr("pPNx", *o) && o[1] == '{';
			continue;
		}
		if (braces) {
			braces = *o != '}';
			continue;
		}
		*o = (char)tolower((unsigned char)*o);
	}
	return out;
}

/* Whether lower_pattern() keeps every match: the lowered pattern, case-
 * sensitive, matches the lowered line wherever the pattern matches the
 * line case-insensitively.  Not so with characters given by code (\x41,
 * \u017F, \N{...}), properties and POSIX classes that case-insensitive
 * matching closes over case (\p{Lu}, [[:upper:]]), ranges that lowering
 * reshapes ([A-z] holds '_', [a-z] does not; [ -a] holds 'C'), non-ASCII letters that fold
 * to ASCII (U+017F is s), or an escaped capital that ICU reads as the
 * letter itself (\E outside a quote, \C, \F, \I...), which lowering
 * keeps capital.  Such patterns are not screened: they run on every line,
 * as few patterns lack a literal. */
/* Whether lowering keeps the class range lo-hi (two ASCII bytes): both
 * ends letters of one case ([A-Z] becomes [a-z]), or no letter between
 * them.  [ -a] holds 'C', which case-insensitive matching finds for
 * "c"; lowered, nothing of the lowered line is in it. */
static bool range_keeps(unsigned char lo, unsigned char hi)
{
	unsigned char a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;

	if ((a >= 'a' && b <= 'z') || (a >= 'A' && b <= 'Z'))
		return true;
	return b < 'A' || (a > 'Z' && b < 'a') || a > 'z';
}

static bool lowering_keeps(const char *p)
{
	const char *start = p;
	int depth = 0;

	for (; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			return false;
		if (p[0] == '\\' && p[1] == 'Q') {
			for (p += 2; *p && !(p[0] == '\\' && p[1] == 'E'); p++)
				if ((unsigned char)*p >= 0x80)
					return false;
			if (!*p)
				break;
			p++;
			continue;
		}
		if (*p == '\\') {
			if (!p[1])
				break;
			if (strchr("xuUNc0pP", p[1]))
				return false;
			/* Capitals with a meaning of their own, which holds in
			 * either case of the text: \B \A \Z \G and the negated
			 * classes.  Any other is a letter. */
			if (isupper((unsigned char)p[1]) && !strchr("BAZGDSWHVRX", p[1]))
				return false;
			p++;
		} else if (*p == '[') {
			if (p[1] == ':')
				return false;
			depth++;
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;     /* a leading ] is literal */
		} else if (*p == ']' && depth) {
			depth--;
		} else if (*p == '&' && depth) {
			/* An operator whose reading in ICU depends on the
			 * letters around it: [aW&-z] finds "e", [aw&-z] does
			 * not. */
			return false;
		} else if (*p == '-' && depth && p[1] && p[1] != ']' &&
			   ((p - start >= 2 && p[-2] == '\\') || p[1] == '\\' ||
			    (unsigned char)p[1] >= 0x80 || !range_keeps((unsigned char)p[-1], (unsigned char)p[1]))) {
			/* A range that lowering reshapes, or one with an
			 * escape at an end: not screened. */
			return false;
		}
	}
	return true;
}

/* A copy of text (in m->mem) screens for record rec. */
static void add_literal(matcher *m, const char *text, uint32_t rec)
{
	m->lits = xgrow(m->lits, &m->caplits, m->nlits + 1, sizeof *m->lits);
	m->lits[m->nlits] = (lit){ .text = arena_strdup(&m->mem, text), .len = strlen(text), .rec = rec };
	m->nlits++;
}

/* Screen by each literal's rarest 5-gram (literals of 5 bytes or more)
 * or trigram, so that common openings such as "err" do not crowd one
 * bucket: a line position looks at a few literals, however many the KB
 * holds (with trigrams alone, 100,000 regexes of a small vocabulary put
 * a thousand literals a line through memcmp). */
static void index_literals(matcher *m)
{
	uint32_t nb = NBUCKETS_MIN, *count, *count5;

	while (nb < NBUCKETS_MAX && nb / 2 < m->nlits)
		nb *= 2;
	m->mask = nb - 1;
	count = xcalloc(nb, sizeof *count);
	count5 = xcalloc(nb, sizeof *count5);
	for (size_t i = 0; i < m->nlits; i++) {
		const lit *l = &m->lits[i];

		for (size_t o = 0; o + 3 <= l->len; o++)
			count[tri_hash(m, l->text + o)]++;
		for (size_t o = 0; o + 5 <= l->len; o++)
			count5[gram5_hash(m, l->text + o)]++;
	}
	m->bucket = xcalloc(nb, sizeof *m->bucket);
	m->bucket5 = xcalloc(nb, sizeof *m->bucket5);
	m->bucket2 = xcalloc(nb, sizeof *m->bucket2);
	for (size_t i = 0; i < m->nlits; i++) {
		lit *l = &m->lits[i];
		uint32_t h, best = UINT32_MAX, *table;

		if (l->len < 3) {
			h = pair_hash(m, l->text);
			table = m->bucket2;
		} else {
			/* The rarest gram of the literal, of 5 bytes when it has them. */
			size_t g = l->len < 5 ? 3 : 5;
			uint32_t (*hash)(const matcher *, const char *) = g == 3 ? tri_hash : gram5_hash;
			const uint32_t *c = g == 3 ? count : count5;

			for (size_t o = 0; o + g <= l->len; o++)
				if (c[hash(m, l->text + o)] < best) {
					best = c[hash(m, l->text + o)];
					l->anchor = o;
				}
			h = hash(m, l->text + l->anchor);
			table = g == 3 ? m->bucket : m->bucket5;
		}
		l->next = table[h];
		table[h] = (uint32_t)i + 1;
	}
	free(count);
	free(count5);
}

/* What rec's regex requires, all of it (req[0, n), taken), for a check
 * before ICU runs: a line that one literal screened in may lack the
 * others (a KB of shared words makes hundreds of candidates a line,
 * nearly all of them so). */
static void add_required(matcher *m, uint32_t rec, char **req, size_t n)
{
	if (!n) {
		regex_literals_free(req, n);
		return;
	}
	if (!m->reqoff)
		m->reqoff = xcalloc(m->nrecs + 1, sizeof *m->reqoff);
	if (!m->nreq)
		m->nreq = 1;      /* offset 0 means none */
	m->reqoff[rec] = m->nreq;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(req[i]) + 1;

		m->req = xgrow(m->req, &m->capreq, m->nreq + l + 1, 1);
		memcpy(m->req + m->nreq, req[i], l);
		m->nreq += l;
	}
	m->req[m->nreq++] = '\0';
	regex_literals_free(req, n);
}

/* The folded line holds every literal rec's regex requires. */
static bool has_required(const matcher *m, uint32_t rec, const char *folded)
{
	if (!m->reqoff || !m->reqoff[rec])
		return true;
	for (const char *l = m->req + m->reqoff[rec]; *l; l += strlen(l) + 1)
		if (!strstr(folded, l))
			return false;
	return true;
}

/* Record rec's regex, compiled if need be: false when it has none. */
static bool regex_of(matcher *m, uint32_t rec)
{
	char err[128];

	if (m->re_state[rec] == RE_LATER)
		m->re_state[rec] = kbre_compile(&m->re[rec], m->regex[rec], err, sizeof err) ?
				   RE_READY : RE_NONE;
	return m->re_state[rec] == RE_READY;
}

matcher *matcher_new(const kb *k)
{
	size_t n = k->nrecs + 1;
	const char **sig = xmalloc(n * sizeof *sig), **regex = xmalloc(n * sizeof *regex),
		   **sig_zh = xmalloc(n * sizeof *sig_zh), **regex_zh = xmalloc(n * sizeof *regex_zh);
	matcher *m;

	for (size_t i = 0; i < k->nrecs; i++) {
		sig[i] = k->recs[i].signature.en;
		regex[i] = k->recs[i].regex;
		sig_zh[i] = k->recs[i].signature.zh;
		regex_zh[i] = k->recs[i].regex_zh;
	}
	m = matcher_new_of(k->nrecs, sig, regex);
	m->own_regex = regex;
	m->own_sig = sig;
	matcher_add_zh(m, sig_zh, regex_zh);
	m->zh_own_sig = sig_zh;
	m->zh_own_regex = regex_zh;
	return m;
}

void matcher_add_zh(matcher *m, const char *const *sig_zh, const char *const *regex_zh)
{
	m->zh_sig = sig_zh;
	m->zh_regex = regex_zh;
}

static matcher *side_new(size_t nrecs, const char *const *sig, const char *const *regex, matcher *out);

matcher *matcher_new_of(size_t nrecs, const char *const *sig, const char *const *regex)
{
	return side_new(nrecs, sig, regex, NULL);
}

matcher *matcher_new_slim(const kb_slim *s)
{
	matcher *m = matcher_new_of(s->n, s->sig_en, s->regex);

	matcher_add_zh(m, s->sig_zh, s->regex_zh);
	return m;
}

/* The Chinese side of m: its signatures those with Han in them (the
 * others are English, and the English side reads them). */
static matcher *zh_side(matcher *m)
{
	const char **sig;
	size_t n = 0;

	if (m->zh || !m->zh_sig)
		return m->zh;
	sig = xmalloc((m->nrecs + 1) * sizeof *sig);
	for (size_t i = 0; i < m->nrecs; i++) {
		sig[i] = m->zh_sig[i] && text_has_han(m->zh_sig[i]) ? m->zh_sig[i] : NULL;
		n += sig[i] || (m->zh_regex && m->zh_regex[i] && *m->zh_regex[i]);
	}
	if (!n) {
		/* A KB with no Chinese (the deadends canons): no side to make,
		 * and none to look for on the next Chinese line. */
		free(sig);
		m->zh_sig = NULL;
		return NULL;
	}
	m->zh = side_new(m->nrecs, sig, m->zh_regex, m);
	m->zh->own_sig = sig;
	return m->zh;
}

/* A side of a matcher that puts its hits in out's results (NULL: its
 * own): the Chinese side when out is given. */
static matcher *side_new(size_t nrecs, const char *const *sig, const char *const *regex, matcher *out)
{
	matcher *m = xcalloc(1, sizeof *m);
	char ***sets = xcalloc(nrecs + 1, sizeof *sets);
	size_t *nsets = xcalloc(nrecs + 1, sizeof *nsets), *count, nlit = 0;
	uint32_t *ids;
	strmap df;

	arena_init(&m->mem);
	m->nrecs = nrecs;
	m->out = out ? out : m;
	m->cjk = out != NULL;
	m->sig = sig;
	m->regex = regex;
	m->re = xcalloc(nrecs + 1, sizeof *m->re);
	m->re_state = xcalloc(nrecs + 1, sizeof *m->re_state);
	/* A regex is compiled when a line holds one of its literals: most
	 * never are, and compiling 100,000 of them took a second. */
	for (size_t i = 0; i < nrecs; i++) {
		const char *pat = regex ? regex[i] : NULL;
		char err[128], **lits, **req;
		size_t n, nreq;

		m->re_state[i] = pat && *pat ? RE_LATER : RE_NONE;
		if (m->re_state[i] == RE_NONE)
			continue;
		n = regex_screen(pat, &lits, &req, &nreq);
		if (!n) {
			regex_literals_free(req, nreq);
			/* Run on every line (after a cheaper screen): compiled
			 * now, and left out if it does not compile. */
			if (!regex_of(m, (uint32_t)i))
				continue;
			char *low = lower_pattern(pat);

			m->always = xgrow(m->always, &m->capalways, m->nalways + 1, sizeof *m->always);
			m->always_screen = xgrow(m->always_screen, &m->capscreen, m->nalways + 1,
						 sizeof *m->always_screen);
			if (!lowering_keeps(pat) ||
			    !kbre_compile_exact(&m->always_screen[m->nalways], low, err, sizeof err))
				m->always_screen[m->nalways] = (kbre){ 0 };
			free(low);
			m->always[m->nalways++] = (uint32_t)i;
			continue;
		}
		nsets[i] = n;
		add_required(m, (uint32_t)i, req, nreq);
		/* A regex that requires a literal is screened by one of
		 * those (below): its sets are not kept meanwhile, 100,000 of
		 * them at once. */
		if (m->reqoff && m->reqoff[i] && m->req[m->reqoff[i]])
			regex_literals_free(lits, n);
		else
			sets[i] = lits;
	}
	/* Each regex is screened by the rarest literal it requires (a word
	 * of many regexes made each of them a candidate on every line that
	 * held it), or, with branches, by a literal of each branch. */
	/* Each literal looked up once: ids[] follows the literals of m->req
	 * in order, count[] is by id. */
	for (size_t i = 0; m->reqoff && i < nrecs; i++)
		for (const char *l = m->req + m->reqoff[i]; m->reqoff[i] && *l; l += strlen(l) + 1)
			nlit++;
	strmap_init(&df);
	count = xcalloc(nlit + 1, sizeof *count);
	ids = xmalloc((nlit + 1) * sizeof *ids);
	for (size_t i = 0, j = 0, nid = 0; m->reqoff && i < nrecs; i++)
		for (const char *l = m->req + m->reqoff[i]; m->reqoff[i] && *l; l += strlen(l) + 1) {
			ids[j] = strmap_put(&df, l, (uint32_t)nid);
			nid += ids[j] == nid;
			count[ids[j++]]++;
		}
	strmap_free(&df);
	for (size_t i = 0, j = 0; i < nrecs; i++) {
		const char *best = NULL;
		size_t bestn = 0;

		for (const char *l = m->reqoff ? m->req + m->reqoff[i] : ""; m->reqoff && m->reqoff[i] && *l;
		     l += strlen(l) + 1) {
			size_t c = count[ids[j++]];

			if (!best || c < bestn || (c == bestn && strlen(l) > strlen(best))) {
				best = l;
				bestn = c;
			}
		}
		if (!nsets[i])
			continue;
		if (best) {
			add_literal(m, best, (uint32_t)i);
		} else {
			for (size_t q = 0; q < nsets[i]; q++)
				add_literal(m, sets[i][q], (uint32_t)i);
			regex_literals_free(sets[i], nsets[i]);
		}
	}
	free(ids);
	free(count);
	free(sets);
	free(nsets);
	index_literals(m);
	build_tokens(m, sig);
	m->acc = xcalloc(nrecs + 1, sizeof *m->acc);
	m->touched = xcalloc(nrecs + 1, sizeof *m->touched);
	m->cand_mark = xcalloc(nrecs + 1, sizeof *m->cand_mark);
	m->cands = xcalloc(nrecs + 1, sizeof *m->cands);
	if (m->out == m) {
		m->hit_mark = xcalloc(nrecs + 1, sizeof *m->hit_mark);
		m->best = xcalloc(nrecs + 1, sizeof *m->best);
	}
	return m;
}

/* ---- one line ---- */

static void candidate(matcher *m, uint32_t rec)
{
	if (m->cand_mark[rec] != m->line_gen) {
		m->cand_mark[rec] = m->line_gen;
		m->cands[m->ncands++] = rec;
	}
}

/* Add the postings of one token of the line, once per line.  tok points
 * into the line's folded copy, which may be cut for the lookup. */
static void score_token(void *ctx, const char *tok, size_t len)
{
	matcher *m = ctx;
	char *end = (char *)(uintptr_t)(tok + len), save = *end;
	uint32_t t;

	*end = '\0';
	t = strmap_get(&m->tokens, tok);
	*end = save;
	if (t == UINT32_MAX || m->tok_mark[t] == m->line_gen)
		return;
	m->tok_mark[t] = m->line_gen;
	m->tok_pos[t] = (size_t)(tok - m->folded);
	for (size_t i = m->post_at[t]; i < m->post_at[t + 1]; i++) {
		uint32_t rec = m->post[i];

		if (m->acc[rec] == 0)
			m->touched[m->ntouched++] = rec;
		m->acc[rec] += m->tokw[t];
	}
}

/* A record's whole signature, word for word, in the line is the strongest
 * sign there is; of several, the longest is the most specific. */
static double verbatim(const matcher *m, uint32_t rec, const char *folded_line)
{
	char *sig;
	size_t n;
	double w;

	if (!m->sig[rec])
		return 0;
	sig = fold(m->sig[rec]);
	n = strlen(sig);
	w = n >= 4 && strstr(folded_line, sig) ? VERBATIM_WEIGHT + (double)n : 0;

	free(sig);
	return w;
}

/* What of a record's signature the line holds. */
typedef struct sig_share {
	size_t found, total;   /* its distinct words */
	double support;        /* the share of their weight, each by its rarity */
	bool rarest;           /* one of its rarest words is there */
	size_t lo, hi;         /* where the words found are in the folded line */
} sig_share;

static sig_share share_of(const matcher *m, uint32_t rec)
{
	sig_share sh = { .lo = SIZE_MAX };
	double have = 0, all = 0;
	float rarest = 0;

	for (size_t j = m->rtok_at[rec]; j < m->rtok_at[rec + 1]; j++)
		if (m->idf[m->rtok[j]] > rarest)
			rarest = m->idf[m->rtok[j]];
	for (size_t j = m->rtok_at[rec]; j < m->rtok_at[rec + 1]; j++) {
		uint32_t t = m->rtok[j];

		all += m->idf[t];
		sh.total++;
		if (m->tok_mark[t] != m->line_gen)
			continue;
		have += m->idf[t];
		sh.found++;
		sh.rarest |= m->idf[t] >= rarest;
		if (m->tok_pos[t] < sh.lo)
			sh.lo = m->tok_pos[t];
		if (m->tok_pos[t] > sh.hi)
			sh.hi = m->tok_pos[t];
	}
	sh.support = all > 0 ? have / all : 0;
	return sh;
}

/* Whether the line being read shows a sign of trouble (looked for once,
 * and only on lines that something hit: most lines none). */
static bool line_trouble(matcher *m)
{
	if (m->trouble < 0)
		m->trouble = (int)trouble_signs(m->folded, m->trouble_at, TROUBLE_MAX);
	return m->trouble > 0;
}

/* A sign of trouble within TROUBLE_NEAR bytes of [lo, hi] of the line. */
static bool trouble_near(matcher *m, size_t lo, size_t hi)
{
	if (!line_trouble(m))
		return false;
	for (int i = 0; i < m->trouble; i++)
		if (m->trouble_at[i] + TROUBLE_NEAR >= lo && m->trouble_at[i] <= hi + TROUBLE_NEAR)
			return true;
	return false;
}

/* A hit: how it matched, for the report (its line is given apart). */
typedef struct hit_how {
	double score;
	bool regex, verbatim, weak;
	sig_share sh;
} hit_how;

static void record_hit(matcher *side, uint32_t rec, const hit_how *how,
		       const char *line, size_t line_no, size_t start, size_t end)
{
	matcher *m = side->out;
	match_hit *b = &m->best[rec];
	double score = how->score;

	/* A weak hit (below the report threshold) is kept only while the
	 * record has nothing better, and counts no line. */
	if (how->weak) {
		if ((b->score > 0 && !b->weak) || score <= b->score)
			return;
	} else if (b->weak) {
		free(b->line);
		memset(b, 0, sizeof *b);
	}
	/* Every line that hits counts (once: by its regex and its words
	 * too, on either side), though only the best is kept whole. */
	if (!how->weak && m->hit_mark[rec] != m->line_gen) {
		m->hit_mark[rec] = m->line_gen;
		if (b->nlines < MATCH_LINES_KEPT)
			b->lines[b->nlines] = line_no;
		b->nlines++;
	}
	if (score <= b->score)
		return;
	free(b->line);
	b->rec = rec;
	b->score = score;
	b->regex = how->regex;
	b->verbatim = how->verbatim;
	b->weak = how->weak;
	b->trouble = side->trouble > 0;
	b->words_found = how->sh.found;
	b->words_total = how->sh.total;
	b->line_no = line_no;
	b->line = xstrdup(line);
	b->start = start;
	b->end = end;
}

/* The literals of one bucket chain (first: a literal + 1) whose anchor may
 * be at low[i]: those found whole in the line are candidates. */
static void screen_chain(matcher *m, uint32_t first, const char *low, size_t len, size_t i)
{
	for (uint32_t j = first; j; j = m->lits[j - 1].next) {
		const lit *l = &m->lits[j - 1];

		if (i >= l->anchor && i - l->anchor + l->len <= len &&
		    !memcmp(low + i - l->anchor, l->text, l->len))
			candidate(m, l->rec);
	}
}

/* One side reads a line: folded is its folded copy (folded as the
 * literals are), composes whether folding may join its characters. */
static void side_line(matcher *m, const char *line, char *folded, bool composes, size_t line_no)
{
	char *low = folded;
	size_t len = strlen(low);

	/* After 4 billion lines, the marks start again. */
	if (++m->line_gen == UINT32_MAX) {
		memset(m->tok_mark, 0, (m->ntok + 1) * sizeof *m->tok_mark);
		memset(m->cand_mark, 0, (m->nrecs + 1) * sizeof *m->cand_mark);
		if (m->out == m)
			memset(m->hit_mark, 0, (m->nrecs + 1) * sizeof *m->hit_mark);
		m->line_gen = 1;
	}
	m->ncands = 0;
	m->folded = folded;
	m->trouble = -1;
	/* A line whose folding joins characters (a combining mark after a
	 * letter: r + U+0301 is U+0155) may lack a literal that its text
	 * holds: no screen, every pattern runs on it.  Rare in logs, and
	 * never in ASCII. */
	if (composes)
		for (uint32_t rec = 0; rec < m->nrecs; rec++)
			if (m->re_state[rec] != RE_NONE)
				candidate(m, rec);
	/* Screen: literals whose anchor (a pair, a trigram, a 5-gram) is at
	 * this position. */
	for (size_t i = 0; i + 2 <= len; i++) {
		screen_chain(m, m->bucket2[pair_hash(m, low + i)], low, len, i);
		if (i + 3 <= len)
			screen_chain(m, m->bucket[tri_hash(m, low + i)], low, len, i);
		if (i + 5 <= len)
			screen_chain(m, m->bucket5[gram5_hash(m, low + i)], low, len, i);
	}
	/* Patterns with no literal: their lowered copy screens the line
	 * (case-sensitive matching is far cheaper in ICU).  Screening text
	 * with non-ASCII in it is left to the real pattern. */
	for (size_t i = 0; i < m->nalways; i++) {
		kbre *screen = &m->always_screen[i];
		bool ascii = true;

		for (const char *c = low; *c && ascii; c++)
			ascii = (unsigned char)*c < 0x80;
		if (!screen->re || !ascii || kbre_search(screen, low, NULL, NULL) != KBRE_NO_MATCH)
			candidate(m, m->always[i]);
	}

	/* Coverage of each signature by the line's tokens (distinct ones). */
	tokenize(m, folded, score_token, m);
	m->nscreened += m->ncands;

	for (size_t i = 0; i < m->ncands; i++) {
		uint32_t rec = m->cands[i];
		size_t s, e;
		enum kbre_result res;

		if ((!composes && !has_required(m, rec, low)) || !regex_of(m, rec))
			continue;
		m->nran++;
		res = kbre_search(&m->re[rec], line, &s, &e);
		if (res == KBRE_MATCH) {
			double cov = m->total[rec] > 0 ? m->acc[rec] / m->total[rec] : 0,
			       vb = verbatim(m, rec, folded);
			hit_how how = { .regex = true, .verbatim = vb > 0, .sh = share_of(m, rec) };
			bool trouble = line_trouble(m);

			/* Longer spans are more specific: of two regexes on a
			 * line, the one that matches more of it ranks higher,
			 * by up to 0.2 (a fifth of what coverage adds: nginx's
			 * "SSL_do_handshake() failed ... while SSL handshaking
			 * to upstream" over a bare "sslv3 alert handshake
			 * failure").  On an ordinary line, a regex needs the
			 * signature's words behind it. */
			how.score = vb + REGEX_WEIGHT + cov + (trouble ? TROUBLE_WEIGHT : 0) +
				    (double)(e - s < 200 ? e - s : 200) * 1e-3;
			how.weak = !trouble && !how.verbatim && how.sh.support < SUPPORT_MIN;
			record_hit(m, rec, &how, line, line_no, s, e);
		} else if (res == KBRE_LIMIT) {
			matcher *o = m->out;

			kbre_free(&m->re[rec]);
			m->re_state[rec] = RE_NONE;
			o->dropped = xgrow(o->dropped, &o->capdropped, o->ndropped + 1, sizeof *o->dropped);
			o->dropped[o->ndropped++] = rec;
		}
	}
	for (size_t i = 0; i < m->ntouched; i++) {
		uint32_t rec = m->touched[i];
		double cov = m->total[rec] > 0 ? m->acc[rec] / m->total[rec] : 0;

		m->acc[rec] = 0;
		if (cov < MIN_COVERAGE)
			continue;
		/* Words alone say an error only with the rarest of them
		 * there, and a sign of trouble by them or every word: words
		 * common in ordinary lines ("status", "build") are not it. */
		hit_how how = { .sh = share_of(m, rec) };

		if (!how.sh.rarest ||
		    (how.sh.found < how.sh.total && !trouble_near(m, how.sh.lo, how.sh.hi)))
			continue;
		/* A longer signature fully in the line is the more specific. */
		how.score = (cov > 0.999 ? verbatim(m, rec, folded) : 0) + cov +
			    (line_trouble(m) ? TROUBLE_WEIGHT : 0) + m->total[rec] * 1e-4;
		how.verbatim = how.score >= VERBATIM_WEIGHT;
		record_hit(m, rec, &how, line, line_no, 0, 0);
	}
	m->ntouched = 0;
	m->folded = NULL;
}

/* Whether line holds Han text: a byte that can start a Han ideograph's
 * UTF-8 first (U+2E80 and above), so that an English line costs one
 * pass over its bytes. */
static bool line_has_han(const char *line)
{
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		if (*p >= 0xE2)
			return text_has_han(line);
	return false;
}

void matcher_line(matcher *m, const char *line, size_t line_no)
{
	char *folded = fold(line);
	bool composes = fold_composes(line);

	side_line(m, line, folded, composes, line_no);
	/* A Chinese message is read by the Chinese side too; a line without
	 * Han is not one, and the English side alone reads it, as ever. */
	if (m->zh_sig && line_has_han(line) && zh_side(m))
		side_line(m->zh, line, folded, composes, line_no);
	free(folded);
}

static int by_score(const void *a, const void *b)
{
	const match_hit *x = a, *y = b;

	if (x->weak != y->weak)
		return x->weak ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static size_t results(matcher *m, const match_hit **out, bool weak)
{
	size_t n = 0;

	free(m->sorted);
	m->sorted = xmalloc((m->nrecs + 1) * sizeof *m->sorted);
	for (size_t i = 0; i < m->nrecs; i++)
		if (m->best[i].score > 0 && (weak || !m->best[i].weak))
			m->sorted[n++] = m->best[i];
	qsort(m->sorted, n, sizeof *m->sorted, by_score);
	*out = m->sorted;
	return n;
}

size_t matcher_results(matcher *m, const match_hit **out)
{
	return results(m, out, false);
}

size_t matcher_results_all(matcher *m, const match_hit **out)
{
	return results(m, out, true);
}

size_t matcher_dropped(const matcher *m, const uint32_t **recs)
{
	*recs = m->dropped;
	return m->ndropped;
}

size_t matcher_always(const matcher *m)
{
	return m->nalways + (m->zh ? m->zh->nalways : 0);
}

void matcher_counts(const matcher *m, size_t *screened, size_t *ran)
{
	*screened = m->nscreened + (m->zh ? m->zh->nscreened : 0);
	*ran = m->nran + (m->zh ? m->zh->nran : 0);
}

void matcher_reset(matcher *m)
{
	for (size_t i = 0; i < m->nrecs; i++) {
		free(m->best[i].line);
		memset(&m->best[i], 0, sizeof m->best[i]);
	}
}

void matcher_free(matcher *m)
{
	if (!m)
		return;
	matcher_free(m->zh);
	for (size_t i = 0; i < m->nrecs; i++) {
		kbre_free(&m->re[i]);
		if (m->best)
			free(m->best[i].line);
	}
	strmap_free(&m->tokens);
	free(m->post);
	free(m->post_at);
	free(m->tokw);
	free(m->total);
	free(m->idf);
	free(m->tok_pos);
	free(m->rtok);
	free(m->rtok_at);
	free(m->tok_mark);
	free(m->own_sig);
	arena_free(&m->mem);
	free(m->re);
	free(m->re_state);
	free(m->lits);
	free(m->bucket);
	free(m->bucket5);
	free(m->bucket2);
	for (size_t i = 0; i < m->nalways; i++)
		kbre_free(&m->always_screen[i]);
	free(m->always_screen);
	free(m->always);
	free(m->req);
	free(m->reqoff);
	free(m->acc);
	free(m->touched);
	free(m->cand_mark);
	free(m->hit_mark);
	free(m->cands);
	free(m->best);
	free(m->sorted);
	free(m->dropped);
	free(m->own_regex);
	free(m->zh_own_sig);
	free(m->zh_own_regex);
	free(m);
}
