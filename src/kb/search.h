/* The query language and search over a KB.  One language for the browser
 * and the command line:
 *   words and "quoted phrases"   anywhere in a record's text
 *   domain:D cat:C code:X tag:T  fields (domain and cat by prefix)
 *   conf>=0.8 fix<0.5            comparisons (>= > <= < =)
 *   -term                        exclusion
 * Words that look like fields but are not ("Error:") and lone quotes are
 * plain text, so pasted error messages search as they are.
 * Matching ignores case, width and compatibility forms (NFKC case folding);
 * Chinese text is also found by pinyin, full or by initials. */
#ifndef ERRKB_SEARCH_H
#define ERRKB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "kb.h"
#include "strmap.h"

enum qfield { QF_TEXT, QF_DOMAIN, QF_CAT, QF_CODE, QF_TAG, QF_CONF, QF_FIX };
enum qop { QO_GE, QO_GT, QO_LE, QO_LT, QO_EQ };

typedef struct qterm {
	enum qfield field;
	bool neg;
	char *text;                /* folded */
	bool pinyin;               /* a Latin word: also tried as pinyin */
	enum qop op;
	double value;
} qterm;

typedef struct query {
	qterm *terms;
	size_t n, cap;
	char *phrase;              /* all positive words, folded, for ranking */
} query;

/* Parse s.  On error returns false with a message and the byte offset of
 * the problem in the query, and q holds nothing to free. */
bool query_parse(const char *s, query *q, char *err, size_t errlen, size_t *errpos);
void query_free(query *q);
bool query_empty(const query *q);

/* A record's searchable text, folded: what a query's words are looked
 * for in, and the fields a query can name.  The index of a KB keeps one
 * of each record (kbcache), so that a search need not read and fold the
 * records again. */
/* Ends a part of a doc's body and pinyin (ASCII's record separator:
 * folding keeps it, no KB text holds it). */
enum { SEARCH_PART = 0x1e };

/* Where a word is found weighs, the name of the error most: the head
 * (id, signatures, aliases), then the first part of the body (root
 * cause, code, domain, category, tags), then its second (dead ends,
 * workarounds).  Pinyin counts for the part its Chinese text is in. */
typedef struct search_doc {
	const char *head;                /* id, signatures, aliases */
	const char *body;                /* root cause, code, domain, category, tags;
					  * SEARCH_PART; dead ends, workarounds */
	/* fold_pinyin's full and initials of the Chinese text of the head,
	 * of the body's first part, of its second: six parts, each ending
	 * in SEARCH_PART. */
	const char *pinyin;
	const char *sig;                 /* the English signature alone */
	const char *code;                /* the error code, or NULL */
	const char *tags;                /* "\ntag\ntag\n", or NULL */
	double fix;                /* fix_success_rate (NAN when absent) */
} search_doc;

/* The doc of r (its strings malloc'd, freed by search_doc_free). */
void search_doc_make(const kb_record *r, search_doc *d);
void search_doc_free(search_doc *d);
/* 0 when the record r, whose doc is d, does not match q, else a rank
 * score (higher first).  Of r, only domain, category and confidence are
 * read. */
double search_doc_score(const search_doc *d, const kb_record *r, const query *q);
/* The order of n hits by score (higher first), then by confidence
 * (higher first, none as 0), then as given: indexes into scores, into
 * *out (malloc'd). */
void search_rank(const double *scores, const double *confidence, size_t n, uint32_t **out);

/* The screen: a record whose text holds a word holds every trigram (3
 * bytes in a row) of it.  Each trigram is hashed to two of
 * SEARCH_SCREEN_HASHES values; a doc's set of them, and the set a query
 * needs, let an index pass over every record that cannot match without
 * reading its text (kbcache).  The answer is always search_doc_score's:
 * the screen only says which records need not be scored. */
enum { SEARCH_SCREEN_BITS = 12, SEARCH_SCREEN_HASHES = 1 << SEARCH_SCREEN_BITS };
/* The hashes of the trigrams of d's head, body and pinyin, as bits set
 * in set (SEARCH_SCREEN_HASHES / 8 bytes, zeroed by the caller). */
void search_doc_screen(const search_doc *d, uint8_t *set);
/* The hashes every record that matches q has, each once, into *out
 * (malloc'd): their count, 0 when q has no word of 3 bytes or more (it
 * cannot be screened). */
size_t search_screen_needs(const query *q, unsigned **out);

/* The part of a record a text shown is of, for search_marks: the search
 * finds Chinese by initials only in the head's Chinese, the signature's
 * (a few letters match anywhere in long text), and elsewhere by full
 * pinyin only.  The head (id and signature, in either language) is
 * SEARCH_IN_HEAD; aliases are head text, but the search reads no pinyin
 * of them, so they are SEARCH_IN_BODY like the rest. */
enum search_where { SEARCH_IN_BODY, SEARCH_IN_HEAD };

/* Where q's words (not its fields, not what it excludes) are in text, as
 * the search finds them: ignoring case, width and compatibility forms,
 * and by pinyin, full from a Chinese word's start or, in the head, the
 * initials of whole words: byte ranges [start, end) of text, on
 * characters, sorted and merged.  Returns their count; *out malloc'd
 * (NULL when none). */
typedef struct search_mark {
	size_t start, end;
} search_mark;
size_t search_marks(const query *q, const char *text, enum search_where where, search_mark **out);

/* Typos: the words of a KB's text (runs of ASCII letters and digits of
 * the folded head and body, 3 to 40 bytes) and how many records hold
 * each.  A query word of five letters or more that no record holds is
 * taken for a typo of the word one edit away (a letter inserted, left
 * out, changed, or two swapped) that the most records hold. */
typedef struct search_vocab {
	strmap ix;                 /* word -> its place in df */
	arena mem;                 /* the words */
	uint32_t *df, *last;       /* records holding each; the last to count it */
	size_t n, cap;
	uint32_t docs;             /* records added */
} search_vocab;

void search_vocab_init(search_vocab *v);
void search_vocab_free(search_vocab *v);
/* Count the words of one record's doc (each once). */
void search_vocab_add(search_vocab *v, const search_doc *d);
/* q with its typos corrected, into *out (to free), and the words as the
 * search took them into text (len bytes): true when a word was
 * corrected, else out and text are left alone. */
bool search_correct(const query *q, const search_vocab *v, query *out, char *text, size_t len);
/* Whether q has a word search_correct could correct (before the words
 * of a KB are counted for it: that reads the whole KB). */
bool search_may_correct(const query *q);

/* Whether a search text reads as a pasted log line rather than words:
 * long enough, two words or more, and the digits or punctuation of a
 * message.  Such a text that no record holds every word of is given to
 * the matcher (what errkb match finds in it). */
bool search_log_like(const char *text);

/* The docs of every record of a KB.  Made record by record, in the KB's
 * order (init, then put each), so that a browser can make it a
 * little at a time while the user reads, and search what is made so far;
 * build makes all of it at once. */
typedef struct search_index {
	search_doc *docs;          /* a record without its doc (head NULL) never matches */
	size_t n;                  /* records of the KB */
	size_t built;              /* records 0..built-1 are in */
} search_index;

void search_index_init(search_index *ix, size_t n);
/* r is record ix->built of the KB (its data; its strings may go after). */
void search_index_put(search_index *ix, const kb_record *r);
bool search_index_has(const search_index *ix, size_t i);
void search_index_build(search_index *ix, const kb *k);
void search_index_free(search_index *ix);

/* 0 when rec does not match q, else a rank score (higher first). */
double search_score(const search_index *ix, const kb *k, size_t rec, const query *q);
/* The records of `in` matching q, best first (ties keep `in`'s order).
 * Returns the count; *out is malloc'd. */
size_t search_run(const search_index *ix, const kb *k, const query *q,
		  const uint32_t *in, size_t nin, uint32_t **out);

#endif
