/* From error text to records: every line is screened for the literals the
 * records' regexes require, ICU runs only the regexes whose literal is
 * there (plus the few with none), and a token index scores how much of each
 * record's signature the line holds, for records whose regex misses.  A
 * line with Han text in it is read so a second time, by the records'
 * Chinese signatures and regex_zh, for the programs that print their
 * messages in Chinese. */
#ifndef ERRKB_MATCHER_H
#define ERRKB_MATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb.h"

/* The first lines of a record's hits that are kept by number. */
enum { MATCH_LINES_KEPT = 4 };

/* A record's best hit, and how many lines hit it. */
typedef struct match_hit {
	uint32_t rec;
	double score;
	bool regex;            /* the record's regex (or regex_zh) matched */
	bool verbatim;         /* the whole signature is in the line */
	bool trouble;          /* the line shows a sign of trouble (trouble.h) */
	bool weak;             /* below the report threshold (matcher_results_all) */
	size_t words_found, words_total;   /* the signature's distinct words, in the line */
	size_t line_no;        /* 1-based */
	char *line;            /* the line (malloc'd) */
	size_t start, end;     /* the matched span in line, bytes */
	size_t nlines;         /* the lines that matched the record, this one among them */
	size_t lines[MATCH_LINES_KEPT];   /* the numbers of the first of them */
} match_hit;

typedef struct matcher matcher;

/* Compiles what it needs from k, its Chinese signatures and regex_zh
 * too; patterns that do not compile are left out (errkb check reports
 * them).  k must outlive the matcher. */
matcher *matcher_new(const kb *k);
/* The same from nrecs records' English signatures and regexes (NULL:
 * none), record i of the results being theirs at i: the matcher keeps
 * both arrays and reads their strings while it lives (they must outlive
 * it). */
matcher *matcher_new_of(size_t nrecs, const char *const *sig, const char *const *regex);
/* Lines with Han text in them are read also by these Chinese signatures
 * and regexes (NULL: none; a signature without Han is left out), kept
 * and read as matcher_new_of's are.  What they need is made at the first
 * such line. */
void matcher_add_zh(matcher *m, const char *const *sig_zh, const char *const *regex_zh);
/* A matcher over s's records, both sides (s must outlive it). */
matcher *matcher_new_slim(const kb_slim *s);
/* Test one line (no newline needed). */
void matcher_line(matcher *m, const char *line, size_t line_no);
/* The records matched so far, best first; *out is owned by the matcher.
 * A regex hit on a line with no sign of trouble and little of the
 * signature's words is left out: a broad regex on an ordinary line. */
size_t matcher_results(matcher *m, const match_hit **out);
/* The same with the hits left out (weak), after the others: to see what
 * the screen let through whatever the ranking. */
size_t matcher_results_all(matcher *m, const match_hit **out);
/* Regexes that hit ICU's limits and were dropped, to report once. */
size_t matcher_dropped(const matcher *m, const uint32_t **recs);
/* How many regexes had no literal to screen by (they always run: the
 * English ones on every line, the Chinese ones on every line with Han
 * text). */
size_t matcher_always(const matcher *m);
/* Since the matcher was made: regexes its screen let through on a line
 * (*screened), and regexes ICU then ran (the rest lacked a literal they
 * require).  For tests and benchmarks. */
void matcher_counts(const matcher *m, size_t *screened, size_t *ran);
/* Forget the results, to start on new text. */
void matcher_reset(matcher *m);
void matcher_free(matcher *m);

#endif
