/* errkb check: validate KB files and report every finding. */
#include <config.h>
#include "cli.h"
#include "i18n.h"
#include "load.h"
#include "textscan.h"
#include "validate.h"
#include "xalloc.h"

#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(_("Usage: %s check [OPTION]... [PATH]...\n"
		 "Validate KB files (directories, .json, .jsonl); without PATH, the KB\n"
		 "in force (--kb, $ERRKB_PATH or the shipped one).\n\n"
		 "Errors: malformed JSON, missing required fields, wrong types, duplicate\n"
		 "ids, rates outside 0..1, bad dates, invalid UTF-8, regexes that do not\n"
		 "compile.  Warnings: links to ids not in the KB, a regex that misses its\n"
		 "own signature (a regex_zh, its Chinese signature) or matches ordinary\n"
		 "log lines (with no error in them), a _zh field with no Chinese, control\n"
		 "characters.\n\n"
		 "  -s, --strict             warnings count as findings too; and what a\n"
		 "                           reference KB needs: sources in every record\n"
		 "                           (evidence_count their number), aliases its\n"
		 "                           regex matches, no regex matching another\n"
		 "                           record's signature without a link between\n"
		 "                           them, no Chinese signature repeating the\n"
		 "                           English\n"
		 "  -f, --format=text|json\n"
		 "  -k, --kb=PATH            check the KB at PATH (repeatable)\n"
		 "  -h, --help               show this help\n\n"
		 "Exit status: 0 clean, 1 findings, 2 usage error.\n"), PACKAGE);
}

static void print_text(const kb *k)
{
	const diag_list *l = &k->diags;
	bool first = true;
	char *recs, *files, *errors, *warnings;

	for (size_t i = 0; i < l->len; i++)
		diag_print(&l->items[i], stdout);
	/* Each count with its noun, as the language says it for that count. */
	recs = xasprintf(ngettext("%zu record", "%zu records", k->nrecs), k->nrecs);
	files = xasprintf(ngettext("%zu file", "%zu files", k->files), k->files);
	errors = xasprintf(ngettext("%zu error", "%zu errors", l->errors), l->errors);
	warnings = xasprintf(ngettext("%zu warning", "%zu warnings", l->warnings), l->warnings);
	/* TRANSLATORS: "4 records in 3 files; 1 skipped; 2 errors, 0
	 * warnings": the records, the files, how many records were skipped,
	 * the errors, the warnings. */
	printf(_("%s in %s; %zu skipped; %s, %s"), recs, files, k->skipped, errors, warnings);
	free(warnings);
	free(errors);
	free(files);
	free(recs);
	for (int kind = 0; kind < DK_COUNT; kind++) {
		if (!l->by_kind[kind])
			continue;
		printf("%s%s %zu", first ? " (" : ", ", diag_kind_name(kind), l->by_kind[kind]);
		first = false;
	}
	puts(first ? "" : ")");
}

static void print_json(const kb *k)
{
	const diag_list *l = &k->diags;
	cJSON *o = cJSON_CreateObject(), *by, *arr;

	if (!o)
		die("out of memory");
	cJSON_AddNumberToObject(o, "records", (double)k->nrecs);
	cJSON_AddNumberToObject(o, "files", (double)k->files);
	cJSON_AddNumberToObject(o, "skipped", (double)k->skipped);
	cJSON_AddNumberToObject(o, "errors", (double)l->errors);
	cJSON_AddNumberToObject(o, "warnings", (double)l->warnings);
	by = cJSON_AddObjectToObject(o, "by_kind");
	for (int kind = 0; kind < DK_COUNT; kind++)
		if (l->by_kind[kind])
			cJSON_AddNumberToObject(by, diag_kind_name(kind), (double)l->by_kind[kind]);
	arr = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < l->len; i++) {
		const diag *d = &l->items[i];
		cJSON *e = cJSON_CreateObject();

		if (!e)
			die("out of memory");
		cJSON_AddStringToObject(e, "severity", diag_kind_is_error(d->kind) ? "error" : "warning");
		cJSON_AddStringToObject(e, "kind", diag_kind_name(d->kind));
		if (d->path)
			cJSON_AddStringToObject(e, "path", d->path);
		if (d->line)
			cJSON_AddNumberToObject(e, "line", d->line);
		if (d->col)
			cJSON_AddNumberToObject(e, "column", d->col);
		if (d->record_id)
			cJSON_AddStringToObject(e, "id", d->record_id);
		cJSON_AddStringToObject(e, "message", d->message);
		cJSON_AddItemToArray(arr, e);
	}
	cli_print_json(o);
}

static const struct option longopts[] = {
	{ "strict", no_argument, NULL, 's' },
	{ "format", required_argument, NULL, 'f' },
	{ "kb", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char optstring[] = "sf:k:h";
static const char *const formats[] = { "text", "json", NULL };

static int cmd_check(int argc, char **argv)
{
	bool strict = false, stop;
	int json = 0;
	cli_opts o;
	char **paths;
	size_t n;
	int opt, rc = EXIT_USAGE;
	kb k;

	cli_opts_init(&o);
	while ((opt = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			strict = true;
			break;
		case 'f':
			json = cli_parse_format("check", optarg, formats);
			if (json < 0)
				goto out;
			break;
		default:
			cli_common_option(&o, "check", opt, usage, &stop, &rc);
			if (stop)
				goto out;
		}
	}
	for (int i = optind; i < argc; i++)
		cli_add_kb(&o, argv[i]);
	paths = cli_kb_paths(&o, &n);
	kb_init(&k);
	kb_load_paths(&k, (const char *const *)paths, n);
	cli_free_paths(paths, n);
	kb_validate_regexes(&k);
	if (strict)
		kb_validate_reference(&k);
	diag_list_sort(&k.diags);
	if (json)
		print_json(&k);
	else
		print_text(&k);
	rc = k.diags.errors || (strict && k.diags.warnings) ? EXIT_FINDINGS : EXIT_OK;
	kb_free(&k);
out:
	cli_opts_free(&o);
	return rc;
}

const cli_command cli_check = { "check", cmd_check, longopts, optstring, formats };
