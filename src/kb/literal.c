#include <config.h>
#include "literal.h"
#include "fold.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

/* A set of alternatives: a match contains at least one of them.  Empty
 * (n == 0) means "nothing known", which cannot screen. */
typedef struct litset {
	char **v;
	size_t n, cap;
} litset;

static void set_free(litset *s)
{
	regex_literals_free(s->v, s->n);
	memset(s, 0, sizeof *s);
}

static void set_add(litset *s, const char *lit, size_t len)
{
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = xstrndup(lit, len);
}

/* How well a set screens: its shortest literal in bytes (longer is
 * rarer), 0 when it cannot screen. */
static size_t quality(const litset *s)
{
	size_t q = (size_t)-1;

	if (!s->n)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) < q)
			q = strlen(s->v[i]);
	return q >= LITERAL_MIN ? q : 0;
}

/* Keep the better of best and cand (cand is consumed). */
static void keep_better(litset *best, litset *cand)
{
	size_t qb = quality(best), qc = quality(cand);

	if (qc > qb || (qc == qb && qc && cand->n < best->n)) {
		set_free(best);
		*best = *cand;
		memset(cand, 0, sizeof *cand);
	} else {
		set_free(cand);
	}
}

static bool optional_quantifier(const char *p)
{
	return *p == '?' || *p == '*' || (p[0] == '{' && p[1] == '0');
}

static bool is_quantifier(const char *p)
{
	return *p == '?' || *p == '*' || *p == '+' || *p == '{';
}

static const char *skip_quantifier(const char *p)
{
	if (*p == '{') {
		const char *e = strchr(p, '}');

		p = e ? e + 1 : p + strlen(p);
	} else if (is_quantifier(p)) {
		p++;
	}
	if (*p == '?' || *p == '+')     /* lazy or possessive */
		p++;
	return p;
}

static const char *skip_braces(const char *p);

/* Past the escape at p (a backslash) inside a class, as ICU reads it: a
 * bracket it takes as a character ("\\c[", "\\Q[\\E") must not open or
 * close a set here either, or the class ends elsewhere than ICU says and
 * a '|' outside it is missed. */
static const char *skip_class_escape(const char *p)
{
	const char *e;

	switch (p[1]) {
	case '\0':
		return p + 1;
	case 'c':                     /* \cX: a control character */
		return p[2] ? p + 3 : p + 2;
	case 'Q':                     /* \Q...\E: all literal */
		e = strstr(p + 2, "\\E");
		return e ? e + 2 : p + strlen(p);
	case 'p': case 'P': case 'N': case 'x':
		if (p[2] == '{')      /* \p{...} \N{...} \x{...} */
			return skip_braces(p + 2);
		return p + 2;
	default:
		return p + 2;
	}
}

static bool unsure;

/* Past the class at p (a '['); ICU classes nest. */
static const char *skip_class(const char *p)
{
	const char *start = p;
	int depth = 0;

	while (*p) {
		if (*p == '\\') {
			/* \p{..} \P{..} \N{..} as the end of a range: ICU
			 * reads the letter alone, and the brace as a member
			 * ([)-\p{]| is ')' to 'p', '{', then a top-level '|'),
			 * not braces.  Such a pattern is not followed. */
			if (p > start && p[-1] == '-' && strchr("pPN", p[1]) && p[1] && p[2] == '{')
				unsure = true;
			p = skip_class_escape(p);
			continue;
		}
		if (*p == '[') {
			depth++;
			if (p[1] == '^')
				p++;
			if (p[1] == ']')
				p++;     /* a leading ] is literal */
		} else if (*p == ']' && --depth == 0) {
			return p + 1;
		}
		p++;
	}
	return p;
}

static litset alternation(const char **pp, litset *req);

/* unsure (above): set when the pattern holds what ICU reads otherwise
 * than this parser could follow; then it screens nothing (one parse at
 * a time). */

/* Past the braces of \p{..} \N{..} \x{..} at p (a '{').  ICU reads their
 * insides a character at a time, quotes included: a \Q in them starts a
 * quote that runs past the '}' (\p{\Qn}E|[\E| is \p{n}, a quoted
 * "E|[", then a top-level '|').  Such a pattern is not followed. */
static const char *skip_braces(const char *p)
{
	const char *e = strchr(p, '}');

	if (!e)
		return p + strlen(p);
	for (const char *q = p; q < e; q++)
		if (q[0] == '\\' && q[1] == 'Q')
			unsure = true;
	return e + 1;
}

/* Bytes in the UTF-8 character at p, 0 when it is not valid UTF-8. */
static size_t char_len(const char *p)
{
	int32_t i = 0;
	UChar32 c;

	if ((unsigned char)*p < 0x80)
		return 1;
	U8_NEXT(p, i, -1, c);
	return c < 0 ? 0 : (size_t)i;
}

/* A required part of a branch that is one literal: into req, if any. */
static void note_required(litset *req, const litset *part)
{
	if (req && part->n == 1 && quality(part))
		set_add(req, part->v[0], strlen(part->v[0]));
}

/* One branch, up to '|' or ')' or the end: the best set that any of its
 * required parts gives.  With req, every required part that is a single
 * literal goes there too: a match holds them all. */
static litset sequence(const char **pp, litset *req)
{
	const char *p = *pp;
	litset best = { 0 };
	char *run = xmalloc(strlen(p) + 1);
	size_t n = 0;

#define FLUSH() do { litset c_ = { 0 }; if (n) set_add(&c_, run, n); note_required(req, &c_); \
		keep_better(&best, &c_); n = 0; } while (0)
	while (*p && *p != '|' && *p != ')') {
		size_t clen;
		char c;

		if (*p == '(') {
			litset g;
			bool capture_flags = p[1] == '?' && p[2] != ':' && p[2] != '=' && p[2] != '>' &&
					     p[2] != '!' && p[2] != '<';

			FLUSH();
			p++;
			if (*p == '?' && !capture_flags) {
				/* (?:...) (?=...) (?!...) (?<=...) (?>...) */
				bool look = p[1] == '=' || p[1] == '!' || p[1] == '<';

				p += 2;
				if (look && p[-1] == '<' && (*p == '=' || *p == '!'))
					p++;
				g = alternation(&p, NULL);
				if (look)
					set_free(&g);     /* lookarounds consume nothing */
			} else if (capture_flags) {
				/* (?i) and other flag groups: no text */
				while (*p && *p != ')')
					p++;
				g = (litset){ 0 };
			} else {
				g = alternation(&p, NULL);
			}
			if (*p == ')')
				p++;
			if (optional_quantifier(p))
				set_free(&g);
			p = skip_quantifier(p);
			note_required(req, &g);
			keep_better(&best, &g);
			continue;
		}
		if (*p == '[') {
			FLUSH();
			p = skip_quantifier(skip_class(p));
			continue;
		}
		if (*p == '.' || *p == '^' || *p == '$') {
			FLUSH();
			p = skip_quantifier(p + 1);
			continue;
		}
		if (*p == '\\') {
			if (p[1] && strchr("bBAzZG", p[1])) {
				p += 2;       /* zero-width: the run goes on */
				continue;
			}
			if (p[1] == 'Q') {
				/* \Q...\E: every character literal. */
				const char *e = strstr(p + 2, "\\E");
				const char *stop = e ? e : p + strlen(p);

				for (p += 2; p < stop; p++)
					run[n++] = (char)tolower((unsigned char)*p);
				p = e ? e + 2 : stop;
				if (is_quantifier(p)) {
					/* The quantifier takes the last character. */
					while (n && ((unsigned char)run[n - 1] & 0xC0) == 0x80)
						n--;
					if (n)
						n--;
					FLUSH();
					p = skip_quantifier(p);
				}
				continue;
			}
			if (!p[1] || isalnum((unsigned char)p[1])) {
				/* \s \d \w \n \p{..} and the like */
				FLUSH();
				p += p[1] ? 2 : 1;
				if (p[-1] == 'p' || p[-1] == 'P')
					p = *p == '{' ? skip_braces(p) : p + (*p != 0);
				else if ((p[-1] == 'x' || p[-1] == 'N') && *p == '{')
					p = skip_braces(p);
				else if (p[-1] == 'k' && *p == '<')
					p = strchr(p, '>') ? strchr(p, '>') + 1 : p + strlen(p);
				else if (p[-1] == 'c')
					p += *p != 0;
				else if (strchr("xuU0", p[-1])) {
					/* \xhh \uhhhh \Uhhhhhhhh \0ooo: a character, not
					 * the digits that spell it */
					int max = p[-1] == 'x' ? 2 : p[-1] == 'u' ? 4 : p[-1] == 'U' ? 8 : 3;
					bool oct = p[-1] == '0';

					for (int i = 0; i < max && (oct ? (*p >= '0' && *p <= '7') :
								       isxdigit((unsigned char)*p)); i++)
						p++;
				}
				p = skip_quantifier(p);
				continue;
			}
			p++;
		}
		/* One character, all of its bytes: a quantifier after é applies
		 * to é, and a literal never ends inside a character. */
		c = *p;
		clen = char_len(p);
		if (!clen) {
			/* Invalid UTF-8 in the pattern: no literal spans it. */
			FLUSH();
			p++;
			continue;
		}
		p += clen;
		if (is_quantifier(p)) {
			if (!optional_quantifier(p)) {
				memcpy(run + n, p - clen, clen);    /* at least once, then a break */
				n += clen;
			}
			FLUSH();
			p = skip_quantifier(p);
			continue;
		}
		if (clen == 1) {
			run[n++] = (char)tolower((unsigned char)c);
		} else {
			memcpy(run + n, p - clen, clen);
			n += clen;
		}
	}
	FLUSH();
#undef FLUSH
	free(run);
	*pp = p;
	return best;
}

/* Branches up to ')' or the end: a literal of every branch, or nothing.
 * With req, the single literals that every match requires, when there is
 * one branch (else req is left empty). */
static litset alternation(const char **pp, litset *req)
{
	litset all = { 0 };
	bool ok = true;

	for (;;) {
		litset b = sequence(pp, req);

		if (!quality(&b))
			ok = false;
		for (size_t i = 0; i < b.n && ok; i++)
			set_add(&all, b.v[i], strlen(b.v[i]));
		set_free(&b);
		if (**pp != '|')
			break;
		(*pp)++;
		if (req)
			set_free(req);   /* what one branch requires, the next may not */
		req = NULL;
	}
	if (!ok)
		set_free(&all);
	return all;
}

/* Folds each literal of s as lines are folded; drops those that fold to
 * less than LITERAL_MIN bytes (U+00AD to nothing, U+017F to "s"). */
static void fold_set(litset *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		char *f = fold(s->v[i]);

		free(s->v[i]);
		if (strlen(f) >= LITERAL_MIN)
			s->v[k++] = f;
		else
			free(f);
	}
	s->n = k;
}

/* The parse: the screening set (empty when there is none) and, with req,
 * the literals a match requires; both unfolded. */
static litset parse(const char *pattern, litset *req)
{
	const char *p = pattern;
	litset s;

	/* Free spacing ((?x): blanks ignored, '#' to the end of the line a
	 * comment) and (?#...) comments read otherwise than this parser
	 * reads them: not followed.  (An escaped "\\(?x" is caught too:
	 * it only costs the screen.) */
	unsure = false;
	for (const char *q = pattern; (q = strstr(q, "(?")) != NULL; q += 2) {
		const char *f = q + 2;

		if (*f == '#')
			unsure = true;
		for (; isalpha((unsigned char)*f) || *f == '-'; f++)
			if (*f == 'x')
				unsure = true;
	}
	s = alternation(&p, req);
	/* A stray ')' ends the parse early: then what was seen is not all. */
	if (*p || unsure || !quality(&s)) {
		set_free(&s);
		if (req)
			set_free(req);
	}
	return s;
}

size_t regex_screen(const char *pattern, char ***out, char ***req, size_t *nreq)
{
	litset r = { 0 }, s = parse(pattern, req ? &r : NULL);
	size_t n = s.n;

	if (req) {
		fold_set(&r);
		if (!r.n)
			set_free(&r);
		*req = r.v;
		*nreq = r.n;
	}
	/* Folded as lines will be (case, width, compatibility forms).
	 * Folding can shrink a literal: then the set screens no better
	 * than nothing. */
	fold_set(&s);
	if (s.n < n || !quality(&s)) {
		set_free(&s);
		*out = NULL;
		return 0;
	}
	*out = s.v;
	return s.n;
}

size_t regex_literals(const char *pattern, char ***out)
{
	return regex_screen(pattern, out, NULL, NULL);
}

size_t regex_required(const char *pattern, char ***out)
{
	char **lits, **req;
	size_t nreq, n = regex_screen(pattern, &lits, &req, &nreq);

	regex_literals_free(lits, n);
	*out = req;
	return nreq;
}

void regex_literals_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
