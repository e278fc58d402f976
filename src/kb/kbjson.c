#include <config.h>
#include "kbjson.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>

static cJSON *must(cJSON *v)
{
	if (!v)
		die("out of memory");
	return v;
}

static void add_str(cJSON *o, const char *name, const char *s)
{
	if (s)
		must(cJSON_AddStringToObject(o, name, s));
}

static void add_num(cJSON *o, const char *name, double v)
{
	if (!isnan(v))
		must(cJSON_AddNumberToObject(o, name, v));
}

/* A rate, and beside it what it is: name_basis "estimate" when it was
 * written with the record (kb_rates_estimated), not counted. */
static void add_rate(cJSON *o, const char *name, double v, bool estimate)
{
	char basis[64];

	add_num(o, name, v);
	snprintf(basis, sizeof basis, "%s_basis", name);
	if (!isnan(v) && estimate)
		must(cJSON_AddStringToObject(o, basis, "estimate"));
}

/* A bilingual text as name and name_zh (absent when there is no twin). */
static void add_text(cJSON *o, const char *name, const kb_text *t)
{
	char zh[64];

	add_str(o, name, t->en);
	snprintf(zh, sizeof zh, "%s_zh", name);
	add_str(o, zh, t->zh);
}

static void add_strings(cJSON *o, const char *name, const char *const *v, size_t n)
{
	cJSON *a = must(cJSON_AddArrayToObject(o, name));

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, must(cJSON_CreateString(v[i])));
}

static void add_extras(cJSON *o, const char *name, const kb_extra *x, size_t n)
{
	cJSON *obj;

	if (!n)
		return;
	obj = must(cJSON_AddObjectToObject(o, name));
	for (size_t i = 0; i < n; i++) {
		cJSON *v = x[i].json ? cJSON_Parse(x[i].value) : NULL;

		if (!v)
			v = must(cJSON_CreateString(x[i].value));
		cJSON_AddItemToObject(obj, x[i].key, v);
	}
}

cJSON *kb_record_to_json(const kb *k, const kb_record *r)
{
	cJSON *o = must(cJSON_CreateObject()), *a, *g, *z;

	add_str(o, "id", r->id);
	add_str(o, "format", r->format == KB_FORMAT_CANON ? "deadends-canon" : "flat");
	add_text(o, "signature", &r->signature);
	add_str(o, "regex", r->regex);
	add_str(o, "regex_zh", r->regex_zh);
	add_str(o, "domain", r->domain);
	add_str(o, "category", r->category);
	add_str(o, "subcategory", r->subcategory);
	add_text(o, "root_cause", &r->root_cause);
	add_str(o, "root_cause_type", r->root_cause_type);

	a = must(cJSON_AddArrayToObject(o, "versions"));
	for (size_t i = 0; i < r->nversions; i++) {
		const kb_version *v = &r->versions[i];
		cJSON *e = must(cJSON_CreateObject());

		add_str(e, "version", v->version);
		add_str(e, "introduced", v->introduced);
		add_str(e, "deprecated", v->deprecated);
		add_str(e, "removed", v->removed);
		add_str(e, "behavior_change", v->behavior_change);
		add_str(e, "status", v->status);
		cJSON_AddItemToArray(a, e);
	}
	add_extras(o, "os_specific", r->os_specific, r->nos_specific);
	add_extras(o, "environment", r->environment, r->nenvironment);

	a = must(cJSON_AddArrayToObject(o, "dead_ends"));
	for (size_t i = 0; i < r->ndead_ends; i++) {
		const kb_dead_end *d = &r->dead_ends[i];
		cJSON *e = must(cJSON_CreateObject());

		add_text(e, "action", &d->action);
		add_text(e, "why_fails", &d->why_fails);
		add_rate(e, "fail_rate", d->fail_rate, kb_rates_estimated(r));
		add_text(e, "condition", &d->condition);
		add_strings(e, "sources", d->sources, d->nsources);
		add_extras(e, "extra", d->extra, d->nextra);
		cJSON_AddItemToArray(a, e);
	}
	a = must(cJSON_AddArrayToObject(o, "workarounds"));
	z = must(cJSON_AddArrayToObject(o, "workarounds_zh"));
	for (size_t i = 0; i < r->nworkarounds; i++) {
		const kb_workaround *w = &r->workarounds[i];
		cJSON *e = must(cJSON_CreateObject());

		add_str(e, "action", w->action.en);
		add_text(e, "how", &w->how);
		add_rate(e, "success_rate", w->success_rate, kb_rates_estimated(r));
		add_text(e, "condition", &w->condition);
		add_strings(e, "sources", w->sources, w->nsources);
		add_extras(e, "extra", w->extra, w->nextra);
		cJSON_AddItemToArray(a, e);
		cJSON_AddItemToArray(z, w->action.zh ? must(cJSON_CreateString(w->action.zh))
						     : must(cJSON_CreateNull()));
	}
	g = must(cJSON_AddObjectToObject(o, "transition_graph"));
	for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
		a = must(cJSON_AddArrayToObject(g, kb_link_kind_name(kind)));
		for (size_t i = 0; i < r->nlinks[kind]; i++) {
			const kb_link *l = &r->links[kind][i];
			cJSON *e = must(cJSON_CreateObject());

			add_str(e, "error_id", l->target_id);
			must(cJSON_AddBoolToObject(e, "in_kb", l->target != KB_NONE));
			add_num(e, "probability", l->probability);
			add_text(e, "condition", &l->condition);
			add_text(e, "typical_delay", &l->typical_delay);
			add_text(e, "distinction", &l->distinction);
			cJSON_AddItemToArray(a, e);
		}
	}
	a = must(cJSON_AddArrayToObject(o, "linked_from"));
	for (size_t i = 0; i < r->nbacklinks; i++) {
		cJSON *e = must(cJSON_CreateObject());

		add_str(e, "id", k->recs[r->backlinks[i].from].id);
		add_str(e, "kind", kb_link_kind_name(r->backlinks[i].kind));
		cJSON_AddItemToArray(a, e);
	}
	add_str(o, "official_doc_url", r->official_doc_url);
	add_text(o, "official_doc_section", &r->official_doc_section);
	add_str(o, "error_code", r->error_code);
	add_str(o, "verification_tier", r->verification_tier);
	add_num(o, "confidence", r->confidence);
	add_rate(o, "fix_success_rate", r->fix_success_rate, kb_rates_estimated(r));
	if (r->resolvable != KB_RES_UNKNOWN)
		add_str(o, "resolvable", kb_resolvable_name(r->resolvable));
	add_str(o, "first_seen", r->first_seen);
	add_str(o, "last_confirmed", r->last_confirmed);
	add_str(o, "last_updated", r->last_updated);
	if (r->evidence_count >= 0)
		must(cJSON_AddNumberToObject(o, "evidence_count", r->evidence_count));
	add_strings(o, "tags", r->tags, r->ntags);
	add_strings(o, "aliases", r->aliases, r->naliases);
	add_strings(o, "sources", r->sources, r->nsources);
	add_str(o, "locale", r->locale);
	add_extras(o, "extra", r->extra, r->nextra);
	must(cJSON_AddNumberToObject(o, "zh_missing", r->zh_missing));
	must(cJSON_AddNumberToObject(o, "zh_untranslated", r->zh_untranslated));
	add_str(o, "source", r->path);
	must(cJSON_AddNumberToObject(o, "source_line", r->line));
	return o;
}
