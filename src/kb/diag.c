#include <config.h>
#include "diag.h"
#include "i18n.h"
#include "textscan.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; bool error; } kinds[] = {
#define X(e, n, err) { n, err },
	DIAG_KINDS(X)
#undef X
};

const char *diag_kind_name(enum diag_kind k) { return kinds[k].name; }
bool diag_kind_is_error(enum diag_kind k) { return kinds[k].error; }

void diag_list_init(diag_list *l)
{
	memset(l, 0, sizeof *l);
}

void diag_list_free(diag_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].path);
		free(l->items[i].record_id);
		free(l->items[i].message);
	}
	free(l->items);
	diag_list_init(l);
}

size_t diag_list_drop(diag_list *l, enum diag_kind kind)
{
	size_t n = 0, dropped;

	for (size_t i = 0; i < l->len; i++) {
		diag *d = &l->items[i];

		if (d->kind != kind) {
			l->items[n++] = *d;
			continue;
		}
		free(d->path);
		free(d->record_id);
		free(d->message);
		l->by_kind[kind]--;
		if (kinds[kind].error)
			l->errors--;
		else
			l->warnings--;
	}
	dropped = l->len - n;
	l->len = n;
	return dropped;
}

void diag_add(diag_list *l, enum diag_kind kind, const char *path,
	      unsigned line, unsigned col, const char *record_id,
	      const char *fmt, ...)
{
	va_list ap;
	diag *d;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	l->items = xgrow(l->items, &l->cap, l->len + 1, sizeof *l->items);
	d = &l->items[l->len++];
	d->kind = kind;
	d->path = path ? xstrdup(path) : NULL;
	d->line = line;
	d->col = col;
	d->record_id = record_id && *record_id ? xstrdup(record_id) : NULL;
	d->message = msg;
	l->by_kind[kind]++;
	if (kinds[kind].error)
		l->errors++;
	else
		l->warnings++;
}

static int cmp(const void *a, const void *b)
{
	const diag *x = a, *y = b;
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* Stable for equal places: the message text orders them. */
	return strcmp(x->message, y->message);
}

void diag_list_sort(diag_list *l)
{
	if (l->len)
		qsort(l->items, l->len, sizeof *l->items, cmp);
}

void diag_print(const diag *d, void *file)
{
	FILE *f = file;

	if (d->path) {
		text_put_sanitized(f, d->path, TEXT_ONE_LINE);
		if (d->line)
			fprintf(f, ":%u", d->line);
		if (d->col)
			fprintf(f, ":%u", d->col);
		fputs(": ", f);
	}
	fputs(kinds[d->kind].error ? _("error") : _("warning"), f);
	fputs(": ", f);
	if (d->record_id) {
		fputc('[', f);
		text_put_sanitized(f, d->record_id, TEXT_ONE_LINE);
		fputs("] ", f);
	}
	text_put_sanitized(f, d->message, TEXT_ONE_LINE);
	fprintf(f, " (%s)\n", kinds[d->kind].name);
}
