/* The deadends.dev canon (spec section 2), mapped onto the flat model. */
#include <config.h>
#include "convert.h"
#include "i18n.h"
#include "xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *section(conv *c, const cJSON *obj, const char *name, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v && cJSON_IsObject(v))
		return v;
	if (v && !cJSON_IsNull(v))
		conv_diag(c, DK_WRONG_TYPE, "", name, _("expected an object"));
	else if (required)
		conv_diag(c, DK_MISSING_FIELD, "", NULL, _("required field '%s' is missing"), name);
	if (required)
		c->fatal = true;
	return NULL;
}

/* Extras of several objects into one list. */
static void add_extras(conv *c, kb_extra **all, uint32_t *nall, const cJSON *obj,
		       const char *const *known, const char *at)
{
	kb_extra *more, *merged;
	uint32_t n;

	if (!obj)
		return;
	more = conv_extras(c, obj, known, at, &n);
	if (!n)
		return;
	if ((size_t)*nall + n > KB_MAX_ITEMS) {
		conv_diag(c, DK_BAD_VALUE, at, NULL,
			  ngettext("holds %zu member the format does not name; only the first %zu are kept",
				   "holds %zu members the format does not name; only the first %zu are kept",
				   (size_t)*nall + n),
			  (size_t)*nall + n, (size_t)KB_MAX_ITEMS);
		n = (uint32_t)(KB_MAX_ITEMS - *nall);
	}
	merged = arena_alloc(&c->k->mem, ((size_t)*nall + n) * sizeof *merged);
	if (*nall)
		memcpy(merged, *all, *nall * sizeof *merged);
	memcpy(merged + *nall, more, n * sizeof *merged);
	*all = merged;
	*nall += n;
}

/* environment: runtime first as "name version_range", then the rest
 * flattened to "key" / "hardware.gpu" / "additional.country" entries. */
static void environment(conv *c, const cJSON *env, kb_record *r)
{
	static const char *const skip[] = { "runtime", "hardware", "additional", NULL };
	static const char *const none[] = { NULL };
	const cJSON *rt = cJSON_GetObjectItemCaseSensitive(env, "runtime");

	if (rt && cJSON_IsObject(rt)) {
		const char *name = conv_str(c, rt, "name", "environment.runtime");
		const char *range = conv_str(c, rt, "version_range", "environment.runtime");
		char *s;

		if (name || range) {
			if (asprintf(&s, "%s%s%s", name ? name : "", name && range ? " " : "",
				     range ? range : "") < 0)
				die("out of memory");
			r->versions = arena_alloc(&c->k->mem, sizeof *r->versions);
			r->versions[0].version = arena_strdup(&c->k->mem, s);
			r->nversions = 1;
			free(s);
		}
	}
	add_extras(c, &r->environment, &r->nenvironment, env, skip, "environment");
	for (int i = 1; i < 3; i++) {
		const cJSON *sub = cJSON_GetObjectItemCaseSensitive(env, skip[i]);
		char at[32];

		snprintf(at, sizeof at, "environment.%s", skip[i]);
		if (sub && cJSON_IsObject(sub))
			add_extras(c, &r->environment, &r->nenvironment, sub, none, at);
		else if (sub && !cJSON_IsNull(sub))
			conv_diag(c, DK_WRONG_TYPE, "environment", skip[i], _("expected an object"));
	}
	/* Keys read "os" and "hardware.gpu", not "environment.hardware.gpu". */
	for (uint32_t j = 0; j < r->nenvironment; j++)
		r->environment[j].key += strlen("environment.");
}

bool convert_canon(conv *c, const cJSON *obj, kb_record *r)
{
	static const char *const top[] = { "id", "url", "error", "environment", "verdict",
		"dead_ends", "workarounds", "transition_graph", "metadata", NULL };
	static const char *const err_known[] = { "signature", "regex", "domain", "category",
		"first_seen", "last_confirmed", NULL };
	static const char *const verdict_known[] = { "resolvable", "fix_success_rate",
		"confidence", "last_updated", "summary", NULL };
	static const char *const meta_known[] = { "review_status", "evidence_count", NULL };
	const cJSON *err, *verdict, *meta, *env;

	r->format = KB_FORMAT_CANON;
	r->id = c->id = conv_required(c, obj, "id", "");
	err = section(c, obj, "error", true);
	if (err) {
		r->signature = conv_text(c, err, "signature", "error");
		if (!r->signature.en || !*r->signature.en)
			(void)conv_required(c, err, "signature", "error");
		r->domain = conv_required(c, err, "domain", "error");
		r->category = conv_required(c, err, "category", "error");
	}
	if (c->fatal)
		return false;
	r->regex = conv_str(c, err, "regex", "error");
	/* Beside regex, as the signature's twin is beside the signature. */
	r->regex_zh = conv_str(c, err, "regex_zh", "error");
	r->first_seen = conv_date(c, err, "first_seen", "error");
	r->last_confirmed = conv_date(c, err, "last_confirmed", "error");

	verdict = section(c, obj, "verdict", false);
	r->confidence = r->fix_success_rate = NAN;
	if (verdict) {
		r->resolvable = conv_resolvable(c, verdict, "resolvable", "verdict");
		r->fix_success_rate = conv_rate(c, verdict, "fix_success_rate", "verdict");
		r->confidence = conv_rate(c, verdict, "confidence", "verdict");
		r->last_updated = conv_date(c, verdict, "last_updated", "verdict");
		r->root_cause = conv_text(c, verdict, "summary", "verdict");
	}
	env = section(c, obj, "environment", false);
	if (env)
		environment(c, env, r);
	conv_dead_ends(c, cJSON_GetObjectItemCaseSensitive(obj, "dead_ends"), "dead_ends", r);
	conv_workarounds(c, cJSON_GetObjectItemCaseSensitive(obj, "workarounds"), NULL,
			 "workarounds", r);
	conv_links(c, cJSON_GetObjectItemCaseSensitive(obj, "transition_graph"),
		   "transition_graph", r);
	meta = section(c, obj, "metadata", false);
	r->evidence_count = -1;
	if (meta) {
		r->verification_tier = conv_str(c, meta, "review_status", "metadata");
		r->evidence_count = conv_count(c, meta, "evidence_count", "metadata");
	}
	r->official_doc_url = conv_str(c, obj, "url", "");

	add_extras(c, &r->extra, &r->nextra, obj, top, "");
	add_extras(c, &r->extra, &r->nextra, err, err_known, "error");
	add_extras(c, &r->extra, &r->nextra, verdict, verdict_known, "verdict");
	add_extras(c, &r->extra, &r->nextra, meta, meta_known, "metadata");
	return true;
}
