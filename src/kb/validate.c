#include <config.h>
#include "validate.h"
#include "i18n.h"
#include "kbregex.h"

void kb_validate_regexes(kb *k)
{
	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];
		char err[128];
		kbre re;

		if (!r->regex || !*r->regex)
			continue;
		if (!kbre_compile(&re, r->regex, err, sizeof err)) {
			diag_add(&k->diags, DK_BAD_REGEX, r->path, r->line, 0, r->id,
				 _("regex does not compile: %s"), err);
			continue;
		}
		switch (kbre_search(&re, r->signature.en, NULL, NULL)) {
		case KBRE_MATCH:
			break;
		case KBRE_NO_MATCH:
			diag_add(&k->diags, DK_REGEX_MISS, r->path, r->line, 0, r->id,
				 _("regex does not match the record's own signature"));
			break;
		case KBRE_LIMIT:
			diag_add(&k->diags, DK_SLOW_REGEX, r->path, r->line, 0, r->id,
				 _("regex hit the time or stack limit on the record's own signature"));
			break;
		case KBRE_ERROR:
			diag_add(&k->diags, DK_BAD_REGEX, r->path, r->line, 0, r->id,
				 _("regex could not be run"));
			break;
		}
		kbre_free(&re);
	}
}
