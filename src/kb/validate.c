#include <config.h>
#include "validate.h"
#include "fold.h"
#include "i18n.h"
#include "kbregex.h"
#include "literal.h"
#include "matcher.h"
#include "textcell.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Lines of ordinary logs with no error in them (data/ordinary.log): dpkg,
 * apt, update-alternatives, syslog, services at work. */
static const char *const ordinary[] = {
#include "src/kb/ordinary_lines.h"
};
enum { NORDINARY = sizeof ordinary / sizeof *ordinary };

/* The width of the sample line a warning quotes. */
enum { SAMPLE_COLS = 72 };

/* The ordinary lines folded, as regex_required() gives literals. */
static char **fold_ordinary(void)
{
	char **f = xcalloc(NORDINARY, sizeof *f);

	for (size_t i = 0; i < NORDINARY; i++)
		f[i] = fold(ordinary[i]);
	return f;
}

/* Whether the folded line may match: it holds every literal the regex
 * requires, and one of those of its branches (when each has one). */
static bool may_match(const char *folded, char *const *lits, size_t nlits, char *const *req, size_t nreq)
{
	bool any = !nlits;

	for (size_t j = 0; j < nreq; j++)
		if (!strstr(folded, req[j]))
			return false;
	for (size_t j = 0; j < nlits && !any; j++)
		any = strstr(folded, lits[j]) != NULL;
	return any;
}

/* How many ordinary lines re matches, the first (NULL: none) and its
 * span.  Lines screened out by the literals are not run (ICU would take
 * a second on a KB of thousands). */
static size_t ordinary_hits(kbre *re, const char *pattern, char *const *folded, const char **first,
			    size_t *start, size_t *end)
{
	char **lits, **req;
	size_t nreq, nlits = regex_screen(pattern, &lits, &req, &nreq), n = 0;

	*first = NULL;
	for (size_t i = 0; i < NORDINARY; i++) {
		size_t s, e;

		if (!may_match(folded[i], lits, nlits, req, nreq) ||
		    kbre_search(re, ordinary[i], &s, &e) != KBRE_MATCH)
			continue;
		if (!n++) {
			*first = ordinary[i];
			*start = s;
			*end = e;
		}
	}
	regex_literals_free(lits, nlits);
	regex_literals_free(req, nreq);
	return n;
}

/* A regex that matches ordinary log lines finds them in every log: match
 * would name its record for a package installed.  The warning quotes the
 * first such line. */
static void check_broad(kb *k, const kb_record *r, kbre *re, char *const *folded)
{
	const char *first;
	size_t start = 0, end = 0, n = ordinary_hits(re, r->regex, folded, &first, &start, &end);
	char *sample;
	int lead, width;

	if (!n)
		return;
	sample = tc_window(first, start, end, SAMPLE_COLS, &lead, &width);
	diag_add(&k->diags, DK_BROAD_REGEX, r->path, r->line, 0, r->id,
		 _("regex matches ordinary log lines (%zu of %d, with no error in them), such as: %s"),
		 n, (int)NORDINARY, sample);
	free(sample);
}

/* Compiles one of r's patterns, its regex or (zh) its regex_zh, and runs
 * it on text (NULL: only compiled).  Each says which it is: a record may
 * have both, one line apart in its file. */
static void check_pattern(kb *k, const kb_record *r, const char *pattern, const char *text, bool zh,
			  char **ordinary_lines)
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
	if (ordinary_lines)
		check_broad(k, r, &re, ordinary_lines);
	kbre_free(&re);
}

void kb_validate_regexes(kb *k)
{
	char **folded = fold_ordinary();

	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];

		check_pattern(k, r, r->regex, r->signature.en, false, folded);
		/* Without a Chinese signature, a regex_zh has nothing to be
		 * tried on: it is only compiled.  Ordinary lines are English:
		 * they try the regex only. */
		check_pattern(k, r, r->regex_zh, r->signature.zh, true, NULL);
	}
	for (size_t i = 0; i < NORDINARY; i++)
		free(folded[i]);
	free(folded);
}

/* Whether a and b link, either way, by any kind of link. */
static bool linked(const kb *k, uint32_t a, uint32_t b)
{
	for (int pass = 0; pass < 2; pass++) {
		const kb_record *r = &k->recs[pass ? b : a];
		uint32_t other = pass ? a : b;

		for (int kind = 0; kind < KB_LINK_KINDS; kind++)
			for (size_t i = 0; i < r->nlinks[kind]; i++)
				if (r->links[kind][i].target == other)
					return true;
	}
	return false;
}

void kb_validate_reference(kb *k)
{
	matcher *m = matcher_new(k);

	for (size_t i = 0; i < k->nrecs; i++) {
		const kb_record *r = &k->recs[i];
		size_t nsrc = kb_source_count(r);
		const match_hit *hits;
		size_t nh;

		if (!r->id)
			continue;
		if (!nsrc)
			diag_add(&k->diags, DK_NO_SOURCES, r->path, r->line, 0, r->id, "%s",
				 _("the record cites no sources: list the links it rests on in sources"));
		else if (r->evidence_count >= 0 && (size_t)r->evidence_count != nsrc)
			diag_add(&k->diags, DK_EVIDENCE, r->path, r->line, 0, r->id,
				 _("evidence_count is %d, but the record lists %zu sources"), (int)r->evidence_count,
				 nsrc);
		if (r->regex && *r->regex && r->naliases) {
			char err[128];
			kbre re;

			if (kbre_compile(&re, r->regex, err, sizeof err)) {
				for (size_t j = 0; j < r->naliases; j++)
					if (kbre_search(&re, r->aliases[j], NULL, NULL) == KBRE_NO_MATCH)
						diag_add(&k->diags, DK_ALIAS_MISS, r->path, r->line, 0, r->id,
							 _("alias '%s' is not matched by the record's own regex"),
							 r->aliases[j]);
				kbre_free(&re);
			}
		}
		if (r->signature.zh && r->signature.zh_state == KB_ZH_OK && r->signature.en &&
		    strlen(r->signature.en) >= 8 && strstr(r->signature.zh, r->signature.en))
			diag_add(&k->diags, DK_ZH_REPEAT, r->path, r->line, 0, r->id, "%s",
				 _("signature_zh repeats the English signature: give the message the program "
				   "prints in Chinese, or a translation"));
		/* Whose regex matches this record's signature: a line of
		 * this error would be put on it too. */
		if (!r->signature.en)
			continue;
		matcher_reset(m);
		matcher_line(m, r->signature.en, 1);
		nh = matcher_results_all(m, &hits);
		for (size_t j = 0; j < nh; j++) {
			const kb_record *o = &k->recs[hits[j].rec];

			if (!hits[j].regex || hits[j].rec == i || !o->id || linked(k, hits[j].rec, (uint32_t)i))
				continue;
			diag_add(&k->diags, DK_OVERLAP, o->path, o->line, 0, o->id,
				 _("regex matches the signature of %s, and neither record links to the other "
				   "(narrow the regex, or link them with a distinction)"),
				 r->id);
		}
	}
	matcher_free(m);
}
