/* The flat bilingual format (spec section 1). */
#include <config.h>
#include "convert.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdio.h>

static void versions(conv *c, const cJSON *arr, kb_record *r)
{
	const cJSON *it;
	uint32_t n, i;

	if (!arr || cJSON_IsNull(arr))
		return;
	if (!cJSON_IsArray(arr)) {
		conv_diag(c, DK_WRONG_TYPE, "", "versions", _("expected an array"));
		return;
	}
	n = conv_count_items(c, arr, "", "versions");
	r->versions = n ? arena_alloc(&c->k->mem, (size_t)n * sizeof *r->versions) : NULL;
	for (it = arr->child, i = 0; it && i < n; it = it->next, i++) {
		kb_version *v = &r->versions[r->nversions];
		char here[32];

		snprintf(here, sizeof here, "versions[%" PRIu32 "]", i);
		if (!cJSON_IsObject(it)) {
			conv_diag(c, DK_WRONG_TYPE, here, NULL, _("expected an object"));
			continue;
		}
		v->version = conv_str(c, it, "version", here);
		v->introduced = conv_str(c, it, "introduced", here);
		v->deprecated = conv_str(c, it, "deprecated", here);
		v->removed = conv_str(c, it, "removed", here);
		v->behavior_change = conv_str(c, it, "behavior_change", here);
		v->status = conv_str(c, it, "status", here);
		r->nversions++;
	}
}

static kb_extra *object_entries(conv *c, const cJSON *obj, const char *name, uint32_t *n)
{
	static const char *const none[] = { NULL };
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*n = 0;
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsObject(v)) {
		conv_diag(c, DK_WRONG_TYPE, "", name, _("expected an object"));
		return NULL;
	}
	return conv_extras(c, v, none, "", n);
}

bool convert_flat(conv *c, const cJSON *obj, kb_record *r)
{
	static const char *const known[] = { "id", "signature", "regex", "domain",
		"category", "subcategory", "root_cause", "root_cause_type", "versions",
		"os_specific", "dead_ends", "workarounds", "transition_graph",
		"official_doc_url", "official_doc_section", "error_code",
		"verification_tier", "confidence", "fix_success_rate", "resolvable",
		"first_seen", "last_confirmed", "last_updated", "evidence_count",
		"tags", "aliases", "sources", "locale", NULL };

	r->format = KB_FORMAT_FLAT;
	r->id = c->id = conv_required(c, obj, "id", "");
	r->signature = conv_text(c, obj, "signature", "");
	if (!r->signature.en || !*r->signature.en)
		(void)conv_required(c, obj, "signature", "");
	r->domain = conv_required(c, obj, "domain", "");
	r->category = conv_required(c, obj, "category", "");
	if (c->fatal)
		return false;
	r->regex = conv_str(c, obj, "regex", "");
	r->regex_zh = conv_str(c, obj, "regex_zh", "");
	r->subcategory = conv_str(c, obj, "subcategory", "");
	r->root_cause = conv_text(c, obj, "root_cause", "");
	r->root_cause_type = conv_str(c, obj, "root_cause_type", "");
	versions(c, cJSON_GetObjectItemCaseSensitive(obj, "versions"), r);
	r->os_specific = object_entries(c, obj, "os_specific", &r->nos_specific);
	conv_dead_ends(c, cJSON_GetObjectItemCaseSensitive(obj, "dead_ends"), "dead_ends", r);
	conv_workarounds(c, cJSON_GetObjectItemCaseSensitive(obj, "workarounds"),
			 cJSON_GetObjectItemCaseSensitive(obj, "workarounds_zh"), "workarounds", r);
	conv_links(c, cJSON_GetObjectItemCaseSensitive(obj, "transition_graph"),
		   "transition_graph", r);
	r->official_doc_url = conv_str(c, obj, "official_doc_url", "");
	r->official_doc_section = conv_text(c, obj, "official_doc_section", "");
	r->error_code = conv_str(c, obj, "error_code", "");
	r->verification_tier = conv_str(c, obj, "verification_tier", "");
	r->confidence = conv_rate(c, obj, "confidence", "");
	r->fix_success_rate = conv_rate(c, obj, "fix_success_rate", "");
	r->resolvable = conv_resolvable(c, obj, "resolvable", "");
	r->first_seen = conv_date(c, obj, "first_seen", "");
	r->last_confirmed = conv_date(c, obj, "last_confirmed", "");
	r->last_updated = conv_date(c, obj, "last_updated", "");
	r->evidence_count = conv_count(c, obj, "evidence_count", "");
	r->tags = conv_strings(c, obj, "tags", "", &r->ntags);
	r->aliases = conv_strings(c, obj, "aliases", "", &r->naliases);
	r->sources = conv_strings(c, obj, "sources", "", &r->nsources);
	r->locale = conv_str(c, obj, "locale", "");
	r->extra = conv_extras(c, obj, known, "", &r->nextra);
	return true;
}
