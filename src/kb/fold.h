/* Text folded for matching: NFKC with case folding (so ＳＩＰ, Sip and SIP
 * are one), and Chinese text spelled in pinyin, full and by initials, so
 * that "shouquan" or "sq" finds 授权.  ICU does the work. */
#ifndef ERRKB_FOLD_H
#define ERRKB_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* NFKC_Casefold of s (malloc'd UTF-8). */
char *fold(const char *s);
/* Whether folding s may join characters that are apart in s: it holds a
 * code point with no normalization boundary before it (a combining mark,
 * a Hangul vowel or final), which composes with what precedes it (r and
 * U+0301 fold to U+0155).  Then a run of s need not fold to a run of
 * fold(s).  ASCII never does. */
bool fold_composes(const char *s);
/* Pinyin of the Chinese words of s (ICU's word breaks): *full gets each
 * word's syllables run together, the words of a run of Han text apart by
 * a space, runs by a newline ("wei shouquan" for 未授权); *initials the
 * first letters likewise ("w sq"), in capitals for a word of one
 * character ("W sq"); both malloc'd, "" when s has no Han.  Other text
 * is left out: it is searched as it is. */
void fold_pinyin(const char *s, char **full, char **initials);
/* The Han characters of s as fold_pinyin reads them: each one's bytes in
 * s, its syllable (letters and digits only), whether it starts a word,
 * and a run of Han text, and the length in characters of its word.  Returns the count; *out malloc'd. */
typedef struct fold_han {
	size_t start, end;
	char syl[16];
	bool word_start, run_start;
	int word_len;
} fold_han;
size_t fold_han_chars(const char *s, fold_han **out);
/* Whether the pinyin of s's Han characters, run together, or their first
 * letters, hold the letters q: false says no pinyin of s can match q,
 * without breaking s into words. */
bool fold_pinyin_may_hold(const char *s, const char *q);
/* True when s is only ASCII letters (a query word that may be pinyin). */
bool fold_is_latin_word(const char *s);

#endif
