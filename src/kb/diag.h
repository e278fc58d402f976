/* Findings about a KB: where (file, line, column, record id), how bad, and
 * what.  Loading collects them instead of printing, so `check` can format
 * them as text or JSON and the browser can show them after curses ends. */
#ifndef ERRKB_DIAG_H
#define ERRKB_DIAG_H

#include <stdbool.h>
#include <stddef.h>

/* X(enum, name, is_error): one table gives the kinds, their names in
 * output, and their severity. */
#define DIAG_KINDS(X) \
	X(DK_IO,            "io",              true)  \
	X(DK_JSON_SYNTAX,   "json-syntax",     true)  \
	X(DK_NOT_RECORD,    "not-a-record",    true)  \
	X(DK_MISSING_FIELD, "missing-field",   true)  \
	X(DK_WRONG_TYPE,    "wrong-type",      true)  \
	X(DK_DUPLICATE_ID,  "duplicate-id",    true)  \
	X(DK_RATE_RANGE,    "rate-range",      true)  \
	X(DK_BAD_DATE,      "bad-date",        true)  \
	X(DK_BAD_VALUE,     "bad-value",       true)  \
	X(DK_INVALID_UTF8,  "invalid-utf8",    true)  \
	X(DK_BAD_REGEX,     "bad-regex",       true)  \
	X(DK_TOO_BIG,       "too-big",         true)  \
	X(DK_DANGLING_LINK, "dangling-link",   false) \
	X(DK_REGEX_MISS,    "regex-mismatch",  false) \
	X(DK_ZH_NOT_CJK,    "zh-untranslated", false) \
	X(DK_CONTROL_CHAR,  "control-char",    false) \
	X(DK_SLOW_REGEX,    "slow-regex",      false) \
	X(DK_LINK_LOOP,     "link-loop",       false) \
	X(DK_BROAD_REGEX,   "regex-broad",     false) \
	X(DK_NO_SOURCES,    "no-sources",      false) \
	X(DK_EVIDENCE,      "evidence-count",  false) \
	X(DK_ALIAS_MISS,    "alias-mismatch",  false) \
	X(DK_OVERLAP,       "regex-overlap",   false) \
	X(DK_ZH_REPEAT,     "zh-repeats-en",   false)

enum diag_kind {
#define X(e, n, err) e,
	DIAG_KINDS(X)
#undef X
	DK_COUNT
};

typedef struct diag {
	enum diag_kind kind;
	char *path;          /* file, or NULL */
	unsigned line, col;  /* 1-based; 0 = unknown */
	char *record_id;     /* or NULL */
	char *message;
} diag;

typedef struct diag_list {
	diag *items;
	size_t len, cap;
	size_t by_kind[DK_COUNT];
	size_t errors, warnings;
} diag_list;

const char *diag_kind_name(enum diag_kind k);
bool diag_kind_is_error(enum diag_kind k);

void diag_list_init(diag_list *l);
void diag_list_free(diag_list *l);
void diag_add(diag_list *l, enum diag_kind kind, const char *path,
	      unsigned line, unsigned col, const char *record_id,
	      const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Removes the findings of that kind; returns how many there were. */
size_t diag_list_drop(diag_list *l, enum diag_kind kind);
/* Sort by path, line, column (stable), so output does not depend on the
 * order in which checks ran. */
void diag_list_sort(diag_list *l);
/* "path:line:col: error: [id] message (kind)" */
void diag_print(const diag *d, void *file);

#endif
