/* One JSON record in, one kb_record out: pick the format, convert, count
 * what the Chinese side lacks. */
#include <config.h>
#include "convert.h"
#include "i18n.h"

#include <math.h>
#include <string.h>

static void count_zh(kb_record *r, const kb_text *t)
{
	if (!t->en || !*t->en)
		return;
	/* At most 2 + ndead_ends + nworkarounds: saturate rather than wrap. */
	if (t->zh_state == KB_ZH_NONE && r->zh_missing < UINT32_MAX)
		r->zh_missing++;
	else if (t->zh_state == KB_ZH_UNTRANSLATED && r->zh_untranslated < UINT32_MAX)
		r->zh_untranslated++;
}

bool convert_record(conv *c, const cJSON *obj, unsigned line)
{
	kb_record r;
	bool ok;

	memset(&r, 0, sizeof r);
	r.confidence = r.fix_success_rate = NAN;
	r.evidence_count = -1;
	r.path = c->path;
	r.line = line;
	c->id = NULL;
	c->fatal = false;
	if (!cJSON_IsObject(obj)) {
		conv_diag(c, DK_NOT_RECORD, "", NULL, _("a record must be a JSON object"));
		c->k->skipped++;
		return false;
	}
	/* schema_version marks the deadends.dev canon; anything else is
	 * read as the flat format. */
	if (cJSON_GetObjectItemCaseSensitive(obj, "schema_version"))
		ok = convert_canon(c, obj, &r);
	else
		ok = convert_flat(c, obj, &r);
	if (!ok || c->fatal) {
		c->k->skipped++;
		return false;
	}
	count_zh(&r, &r.signature);
	count_zh(&r, &r.root_cause);
	for (size_t i = 0; i < r.ndead_ends; i++)
		count_zh(&r, &r.dead_ends[i].why_fails);
	for (size_t i = 0; i < r.nworkarounds; i++)
		count_zh(&r, &r.workarounds[i].action);
	if (c->sink)
		c->sink(c->sink_ctx, &r);
	return c->sink_only || kb_add(c->k, &r);
}
