/* The parts both formats share: dead ends, workarounds, transition links. */
#include <config.h>
#include "convert.h"
#include "i18n.h"
#include "xalloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *items(conv *c, const cJSON *arr, const char *at, uint32_t *n)
{
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return NULL;
	if (!cJSON_IsArray(arr)) {
		conv_diag(c, DK_WRONG_TYPE, at, NULL, _("expected an array"));
		return NULL;
	}
	*n = conv_count_items(c, arr, at, NULL);
	return arr->child;
}

static bool is_item_object(conv *c, const cJSON *it, const char *here)
{
	if (cJSON_IsObject(it))
		return true;
	conv_diag(c, DK_WRONG_TYPE, here, NULL, _("expected an object"));
	return false;
}

void conv_dead_ends(conv *c, const cJSON *arr, const char *at, kb_record *r)
{
	static const char *const known[] = { "action", "why_fails", "condition",
		"fail_rate", "sources", NULL };
	uint32_t n, i = 0;
	const cJSON *it = items(c, arr, at, &n);

	r->dead_ends = n ? arena_alloc(&c->k->mem, (size_t)n * sizeof *r->dead_ends) : NULL;
	for (; it && i < n; it = it->next, i++) {
		kb_dead_end *d = &r->dead_ends[r->ndead_ends];
		char here[64];

		snprintf(here, sizeof here, "%s[%" PRIu32 "]", at, i);
		if (!is_item_object(c, it, here))
			continue;
		d->action = conv_text(c, it, "action", here);
		d->why_fails = conv_text(c, it, "why_fails", here);
		d->condition = conv_text(c, it, "condition", here);
		d->fail_rate = conv_rate(c, it, "fail_rate", here);
		d->sources = conv_strings(c, it, "sources", here, &d->nsources);
		d->extra = conv_extras(c, it, known, here, &d->nextra);
		r->ndead_ends++;
	}
}

void conv_workarounds(conv *c, const cJSON *arr, const cJSON *zh, const char *at, kb_record *r)
{
	static const char *const known[] = { "action", "how", "condition",
		"success_rate", "sources", NULL };
	uint32_t n, nzh, i = 0;
	const cJSON *it = items(c, arr, at, &n);
	const cJSON *z = items(c, zh, "workarounds_zh", &nzh);

	r->workarounds = n ? arena_alloc(&c->k->mem, (size_t)n * sizeof *r->workarounds) : NULL;
	if (zh && cJSON_IsArray(zh) && nzh != n) {
		/* Two counts, each with its noun: the second said apart. */
		char *wk = xasprintf(ngettext("%zu workaround", "%zu workarounds", n), (size_t)n);

		conv_diag(c, DK_BAD_VALUE, "workarounds_zh", NULL,
			  ngettext("holds %zu item for %s", "holds %zu items for %s", nzh), (size_t)nzh, wk);
		free(wk);
	}
	for (; it && i < n; it = it->next, i++, z = z ? z->next : NULL) {
		kb_workaround *w = &r->workarounds[r->nworkarounds];
		char here[64];

		snprintf(here, sizeof here, "%s[%" PRIu32 "]", at, i);
		if (!is_item_object(c, it, here))
			continue;
		w->action = conv_text(c, it, "action", here);
		w->how = conv_text(c, it, "how", here);
		w->condition = conv_text(c, it, "condition", here);
		w->success_rate = conv_rate(c, it, "success_rate", here);
		w->sources = conv_strings(c, it, "sources", here, &w->nsources);
		w->extra = conv_extras(c, it, known, here, &w->nextra);
		/* workarounds_zh[i] translates workaround i as a whole; it wins
		 * over an action_zh member since it is the format's own twin. */
		if (z) {
			char zi[32];

			snprintf(zi, sizeof zi, "[%" PRIu32 "]", i);
			conv_set_zh(c, &w->action, z, "workarounds_zh", zi);
		}
		r->nworkarounds++;
	}
}

static void conv_link_list(conv *c, const cJSON *arr, const char *at,
			   kb_link **out, uint32_t *nout)
{
	uint32_t n, i = 0;
	const cJSON *it = items(c, arr, at, &n);

	*out = n ? arena_alloc(&c->k->mem, (size_t)n * sizeof **out) : NULL;
	*nout = 0;
	for (; it && i < n; it = it->next, i++) {
		kb_link *l = &(*out)[*nout];
		char here[96];

		snprintf(here, sizeof here, "%s[%" PRIu32 "]", at, i);
		l->probability = NAN;
		l->target = KB_NONE;
		if (cJSON_IsString(it) && *it->valuestring) {
			char idx[16];
			bool json;

			snprintf(idx, sizeof idx, "[%" PRIu32 "]", i);
			l->target_id = conv_display(c, it, &json, at, idx);
		} else if (cJSON_IsObject(it)) {
			l->target_id = conv_str(c, it, "error_id", here);
			if (!l->target_id || !*l->target_id) {
				conv_diag(c, DK_MISSING_FIELD, here, NULL,
					  _("link has no error_id; it is ignored"));
				continue;
			}
			l->probability = conv_rate(c, it, "probability", here);
			l->condition = conv_text(c, it, "condition", here);
			l->typical_delay = conv_text(c, it, "typical_delay", here);
			l->distinction = conv_text(c, it, "distinction", here);
		} else {
			conv_diag(c, DK_WRONG_TYPE, here, NULL,
				  _("expected an id string or an object with error_id"));
			continue;
		}
		(*nout)++;
	}
}

void conv_links(conv *c, const cJSON *graph, const char *at, kb_record *r)
{
	if (!graph || cJSON_IsNull(graph))
		return;
	if (!cJSON_IsObject(graph)) {
		conv_diag(c, DK_WRONG_TYPE, at, NULL, _("expected an object"));
		return;
	}
	for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
		char here[64];

		snprintf(here, sizeof here, "%s.%s", at, kb_link_kind_name(kind));
		conv_link_list(c, cJSON_GetObjectItemCaseSensitive(graph, kb_link_kind_name(kind)),
			       here, &r->links[kind], &r->nlinks[kind]);
	}
}
