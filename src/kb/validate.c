#include <config.h>
#include "validate.h"
#include "i18n.h"
#include "kbregex.h"

/* Compiles one of r's patterns, its regex or (zh) its regex_zh, and runs
 * it on text (NULL: only compiled).  Each says which it is: a record may
 * have both, one line apart in its file. */
static void check_pattern(kb *k, const kb_record *r, const char *pattern, const char *text, bool zh)
{
	char err[128];
	kbre re;

	if (!pattern || !*pattern)
		return;
	if (!kbre_compile(&re, pattern, err, sizeof err)) {
		diag_add(&k->diags, DK_BAD_REGEX, r->path, r->line, 0, r->id,
			 zh ? _("regex_zh does not compile: %s") : _("regex does not compile: %s"), err);
		return;
	}
	switch (text ? kbre_search(&re, text, NULL, NULL) : KBRE_MATCH) {
	case KBRE_MATCH:
		break;
	case KBRE_NO_MATCH:
		diag_add(&k->diags, DK_REGEX_MISS, r->path, r->line, 0, r->id, "%s",
			 zh ? _("regex_zh does not match the record's own Chinese signature")
			    : _("regex does not match the record's own signature"));
		break;
	case KBRE_LIMIT:
		diag_add(&k->diags, DK_SLOW_REGEX, r->path, r->line, 0, r->id, "%s",
			 zh ? _("regex_zh hit the time or stack limit on the record's own Chinese signature")
			    : _("regex hit the time or stack limit on the record's own signature"));
		break;
	case KBRE_ERROR:
		diag_add(&k->diags, DK_BAD_REGEX, r->path, r->line, 0, r->id, "%s",
			 zh ? _("regex_zh could not be run") : _("regex could not be run"));
		break;
	}
	kbre_free(&re);
}

void kb_validate_regexes(kb *k)
{
	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];

		check_pattern(k, r, r->regex, r->signature.en, false);
		/* Without a Chinese signature, a regex_zh has nothing to be
		 * tried on: it is only compiled. */
		check_pattern(k, r, r->regex_zh, r->signature.zh, true);
	}
}
