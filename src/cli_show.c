/* errkb show: one whole record as readable plain text, or as normalized
 * JSON. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "kbjson.h"
#include "textscan.h"
#include "xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void usage(void)
{
	printf(_("Usage: %s show [OPTION]... ID\n"
		 "Print every section of the record ID.\n\n"
		 "  -l, --lang=en|zh         language of the record text; text with no\n"
		 "                           Chinese twin is shown in English, marked [EN]\n"
		 "  -f, --format=text|json   json prints the normalized record\n"
		 "  -k, --kb=PATH            read the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n"), PACKAGE);
}

static void put(const char *s)
{
	text_put_sanitized(stdout, s, 0);
}

/* "label: text", with the [EN] marker when Chinese was asked for and only
 * English exists.  Nothing when the field is empty. */
static void field(const char *indent, const char *label, const kb_text *t, enum kb_lang lang)
{
	bool fallback;
	const char *s = kb_text_get(t, lang, &fallback);

	if (!s || !*s)
		return;
	printf("%s%s", indent, label ? label : "");
	if (label)
		fputs(": ", stdout);
	if (fallback)
		fputs("[EN] ", stdout);
	put(s);
	putchar('\n');
}

static void plain(const char *indent, const char *label, const char *s)
{
	kb_text t = { .en = s };

	field(indent, label, &t, KB_EN);
}

static void rate(const char *label, double v)
{
	if (!isnan(v))
		printf("(%s %.0f%%)", label, v * 100);
}

static void extras(const char *indent, const kb_extra *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		plain(indent, x[i].key, x[i].value);
}

static void sources(const char *indent, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		plain(indent, _("Source"), v[i]);
}

static void heading(const char *title)
{
	printf("\n%s\n", title);
}

static void show_links(const kb *k, const kb_record *r, enum kb_lang lang)
{
	static const char *const names[] = { N_("Leads to"), N_("Preceded by"),
		N_("Confused with") };
	bool any = r->nbacklinks > 0;

	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		any = any || r->nlinks[kind];
	if (!any)
		return;
	heading(_("Links"));
	for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
		for (size_t i = 0; i < r->nlinks[kind]; i++) {
			const kb_link *l = &r->links[kind][i];

			printf("  %s: ", _(names[kind]));
			put(l->target_id);
			if (l->target == KB_NONE)
				printf(" (%s)", _("not in the KB"));
			if (!isnan(l->probability))
				printf(" p=%.2f", l->probability);
			putchar('\n');
			if (l->target != KB_NONE)
				field("      ", NULL, &k->recs[l->target].signature, lang);
			field("      ", _("When"), &l->condition, lang);
			field("      ", _("Typical delay"), &l->typical_delay, lang);
			field("      ", _("Distinction"), &l->distinction, lang);
		}
	}
	for (size_t i = 0; i < r->nbacklinks; i++) {
		printf("  %s: ", _("Linked from"));
		put(k->recs[r->backlinks[i].from].id);
		printf(" (%s)\n", kb_link_kind_name(r->backlinks[i].kind));
	}
}

static void show_text(const kb *k, const kb_record *r, enum kb_lang lang)
{
	put(r->id);
	putchar('\n');
	field("", _("Signature"), &r->signature, lang);
	/* Both languages when there is a real translation, so the exact
	 * English message is always there to compare with a log. */
	if (r->signature.zh_state == KB_ZH_OK && strcmp(r->signature.zh, r->signature.en))
		plain("", lang == KB_ZH ? _("Signature (en)") : _("Signature (zh)"),
		      lang == KB_ZH ? r->signature.en : r->signature.zh);
	plain("", _("Domain"), r->domain);
	plain("", _("Category"), r->category);
	plain("", _("Subcategory"), r->subcategory);
	plain("", _("Error code"), r->error_code);
	plain("", _("Regex"), r->regex);
	if (!isnan(r->confidence) || !isnan(r->fix_success_rate) || r->resolvable) {
		if (!isnan(r->confidence))
			printf("%s: %.2f  ", _("Confidence"), r->confidence);
		if (!isnan(r->fix_success_rate))
			printf("%s: %.2f  ", _("Fix success rate"), r->fix_success_rate);
		if (r->resolvable)
			printf("%s: %s", _("Resolvable"), kb_resolvable_name(r->resolvable));
		putchar('\n');
	}
	plain("", _("Verification"), r->verification_tier);
	if (r->evidence_count >= 0)
		printf("%s: %d\n", _("Evidence count"), r->evidence_count);
	plain("", _("First seen"), r->first_seen);
	plain("", _("Last confirmed"), r->last_confirmed);
	plain("", _("Last updated"), r->last_updated);
	for (size_t i = 0; i < r->ntags; i++)
		plain("", _("Tag"), r->tags[i]);
	for (size_t i = 0; i < r->naliases; i++)
		plain("", _("Alias"), r->aliases[i]);
	plain("", _("Locale"), r->locale);

	if (r->root_cause.en || r->root_cause.zh) {
		heading(_("Root cause"));
		field("  ", NULL, &r->root_cause, lang);
		plain("  ", _("Type"), r->root_cause_type);
	}
	if (r->nversions) {
		heading(_("Versions"));
		for (size_t i = 0; i < r->nversions; i++) {
			const kb_version *v = &r->versions[i];

			printf("  - ");
			put(v->version ? v->version : "?");
			putchar('\n');
			plain("      ", _("Status"), v->status);
			plain("      ", _("Introduced"), v->introduced);
			plain("      ", _("Deprecated"), v->deprecated);
			plain("      ", _("Removed"), v->removed);
			plain("      ", _("Behaviour change"), v->behavior_change);
		}
	}
	if (r->nos_specific) {
		heading(_("OS-specific"));
		extras("  ", r->os_specific, r->nos_specific);
	}
	if (r->nenvironment) {
		heading(_("Environment"));
		extras("  ", r->environment, r->nenvironment);
	}
	if (r->ndead_ends) {
		heading(_("Dead ends (what does not work)"));
		for (size_t i = 0; i < r->ndead_ends; i++) {
			const kb_dead_end *d = &r->dead_ends[i];

			printf("  %zu. ", i + 1);
			rate(_("fails"), d->fail_rate);
			putchar('\n');
			field("     ", _("Action"), &d->action, lang);
			field("     ", _("Why it fails"), &d->why_fails, lang);
			field("     ", _("When"), &d->condition, lang);
			extras("     ", d->extra, d->nextra);
			sources("     ", d->sources, d->nsources);
		}
	}
	if (r->nworkarounds) {
		heading(_("Workarounds (what works)"));
		for (size_t i = 0; i < r->nworkarounds; i++) {
			const kb_workaround *w = &r->workarounds[i];
			bool zh_whole = lang == KB_ZH && w->action.zh_state == KB_ZH_OK;

			printf("  %zu. ", i + 1);
			rate(_("works"), w->success_rate);
			putchar('\n');
			field("     ", _("Action"), &w->action, lang);
			/* A Chinese workarounds_zh item translates the whole
			 * workaround; "how" is shown when it says more. */
			if (w->how.en && (!w->action.en || strcmp(w->how.en, w->action.en)) &&
			    (!zh_whole || w->how.zh_state == KB_ZH_OK))
				field("     ", _("How"), &w->how, lang);
			field("     ", _("When"), &w->condition, lang);
			extras("     ", w->extra, w->nextra);
			sources("     ", w->sources, w->nsources);
		}
	}
	show_links(k, r, lang);
	if (r->official_doc_url || r->official_doc_section.en) {
		heading(_("Documentation"));
		plain("  ", _("URL"), r->official_doc_url);
		field("  ", _("Section"), &r->official_doc_section, lang);
	}
	if (r->nextra) {
		heading(_("Other fields"));
		extras("  ", r->extra, r->nextra);
	}
	printf("\n%s: ", _("Source"));
	put(r->path);
	printf(":%u\n", r->line);
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "kb", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const text_json[] = { "text", "json", NULL };
	int json = 0;
	const kb_record *r;
	cli_opts o;
	int opt, rc = EXIT_USAGE;
	bool stop;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, "l:f:k:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			json = cli_parse_format("show", optarg, text_json);
			if (json < 0)
				goto out;
			break;
		default:
			cli_common_option(&o, "show", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	if (optind + 1 != argc) {
		cli_usage_error("show", optind < argc ? _("one record ID at a time")
						      : _("which record? give its ID"));
		goto out;
	}
	cli_open_kb(&o, &k);
	r = kb_find(&k, argv[optind]);
	if (!r) {
		fprintf(stderr, _("%s: show: no record with id '%s'\n"), PACKAGE, argv[optind]);
		rc = EXIT_FINDINGS;
	} else if (json) {
		cli_print_json(kb_record_to_json(&k, r));
		rc = EXIT_OK;
	} else {
		show_text(&k, r, o.lang);
		rc = EXIT_OK;
	}
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}
