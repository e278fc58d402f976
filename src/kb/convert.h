/* Turning one parsed JSON record (either format) into a kb_record.  The
 * helpers check types and values as they read, and report findings at the
 * place in the file where the value stands. */
#ifndef ERRKB_CONVERT_H
#define ERRKB_CONVERT_H

#include <cJSON.h>
#include <stdbool.h>

#include "kb.h"

typedef struct conv {
	kb *k;
	const char *path;          /* file */
	const char *buf;           /* its text, for positions */
	size_t len;
	size_t start;              /* offset of the record's '{' */
	size_t line_off;           /* offset of the start of its line, */
	unsigned line_no;          /* and that line's number (0: not known) */
	const char *id;            /* once known, for findings */
	bool fatal;                /* the record cannot be loaded */
	/* Given each converted record before kb_add (the index keeps them,
	 * duplicates too: which one is first depends on the other files). */
	void (*sink)(void *ctx, const kb_record *r);
	void *sink_ctx;
	/* The sink alone has the record (a lazy load): it is not added to
	 * k, and k->mem may be emptied once it is converted. */
	bool sink_only;
	const char *path_copy;     /* the path, where k->mem is emptied */
} conv;

/* Convert obj, adding it to c->k.  Returns true if the record was added. */
bool convert_record(conv *c, const cJSON *obj, unsigned line);

/* Helpers shared by the two formats (convert.c).  `at` is the JSON path of
 * obj inside the record ("" for the record, "dead_ends[2]", "error"); a
 * finding about member name points at at.name. */
void conv_diag(conv *c, enum diag_kind kind, const char *at, const char *name,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const char *conv_str(conv *c, const cJSON *obj, const char *name, const char *at);
const char *conv_required(conv *c, const cJSON *obj, const char *name, const char *at);
/* Set t's Chinese twin from v (a string), judging whether it is Chinese. */
void conv_set_zh(conv *c, kb_text *t, const cJSON *v, const char *at, const char *name);
kb_text conv_text(conv *c, const cJSON *obj, const char *name, const char *at);
double conv_rate(conv *c, const cJSON *obj, const char *name, const char *at);
const char *conv_date(conv *c, const cJSON *obj, const char *name, const char *at);
uint8_t conv_resolvable(conv *c, const cJSON *obj, const char *name, const char *at);
int32_t conv_count(conv *c, const cJSON *obj, const char *name, const char *at);
/* How many items of the array arr to keep: all of them, unless there are
 * more than KB_MAX_ITEMS, which is reported (at.name is the array). */
uint32_t conv_count_items(conv *c, const cJSON *arr, const char *at, const char *name);
const char **conv_strings(conv *c, const cJSON *obj, const char *name,
			  const char *at, uint32_t *n);
/* Members of obj not named in known[] (nor their _zh twins), as extras;
 * their keys are prefixed with at (e.g. "metadata.generated_by"). */
kb_extra *conv_extras(conv *c, const cJSON *obj, const char *const *known,
		      const char *at, uint32_t *n);
/* A value shown as text: strings as they are, string arrays joined,
 * anything else as compact JSON. */
const char *conv_display(conv *c, const cJSON *v, bool *json, const char *at, const char *name);

void conv_dead_ends(conv *c, const cJSON *arr, const char *at, kb_record *r);
void conv_workarounds(conv *c, const cJSON *arr, const cJSON *zh, const char *at, kb_record *r);
void conv_links(conv *c, const cJSON *graph, const char *at, kb_record *r);

bool convert_flat(conv *c, const cJSON *obj, kb_record *r);
bool convert_canon(conv *c, const cJSON *obj, kb_record *r);

#endif
