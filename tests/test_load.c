/* Loaders and conversion: both formats, every way input can be bad. */
#include <config.h>
#include "testutil.h"
#include "load.h"
#include "load_internal.h"
#include "jsonpos.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A minimal valid flat record with id ID and more members MORE. */
#define REC(id, more) \
	"{\"id\":\"" id "\",\"signature\":\"boom: it broke\",\"domain\":\"d\"," \
	"\"category\":\"c\"" more "}"

static void flat_record_full(void **state)
{
	kb k;
	const kb_record *r;

	(void)state;
	tu_load_text(&k, "full.json",
		"{\n"
		"  \"id\": \"communication/sip-401\",\n"
		"  \"signature\": \"SIP/2.0 401 Unauthorized\",\n"
		"  \"signature_zh\": \"SIP/2.0 401 未授权\",\n"
		"  \"regex\": \"SIP/2\\\\.0 401\",\n"
		"  \"domain\": \"communication\", \"category\": \"auth_error\", \"subcategory\": null,\n"
		"  \"root_cause\": \"stale nonce\",\n"
		"  \"versions\": [{\"version\": \"Asterisk 18\", \"status\": \"active\", \"removed\": null}],\n"
		"  \"os_specific\": {\"debian\": \"use pjsip\", \"macos\": {\"note\": 1}},\n"
		"  \"dead_ends\": [{\"action\": \"reboot\", \"action_zh\": \"重启\", \"why_fails\": \"no\", \"fail_rate\": 0.5, \"sources\": [\"https://a\"]}],\n"
		"  \"workarounds\": [{\"action\": \"run 'sip reload'\", \"how\": \"`sip reload`\", \"success_rate\": 0.9, \"condition\": \"\"}],\n"
		"  \"workarounds_zh\": [\"运行 'sip reload'\"],\n"
		"  \"transition_graph\": {\"leads_to\": [\"communication/other\", {\"error_id\": \"x/y\", \"probability\": 0.25, \"condition\": \"later\"}],\n"
		"                       \"preceded_by\": [], \"frequently_confused_with\": []},\n"
		"  \"official_doc_url\": \"https://docs\", \"error_code\": \"401\",\n"
		"  \"confidence\": 0.85, \"fix_success_rate\": 0.8, \"resolvable\": \"partial\",\n"
		"  \"first_seen\": \"2024-02-29\", \"evidence_count\": 3,\n"
		"  \"tags\": [\"sip\", \"auth\"], \"aliases\": [],\n"
		"  \"reviewer\": {\"name\": \"ann\"}, \"note_zh\": \"备注\"\n"
		"}\n");
	assert_int_equal(k.nrecs, 1);
	assert_int_equal(k.diags.errors, 0);
	r = kb_find(&k, "communication/sip-401");
	assert_non_null(r);
	assert_int_equal(r->format, KB_FORMAT_FLAT);
	assert_string_equal(r->signature.zh, "SIP/2.0 401 未授权");
	assert_int_equal(r->signature.zh_state, KB_ZH_OK);
	assert_string_equal(r->regex, "SIP/2\\.0 401");
	assert_null(r->subcategory);
	assert_int_equal(r->nversions, 1);
	assert_string_equal(r->versions[0].version, "Asterisk 18");
	assert_null(r->versions[0].removed);
	assert_int_equal(r->nos_specific, 2);
	assert_string_equal(r->os_specific[1].key, "macos");
	assert_true(r->os_specific[1].json);
	assert_string_equal(r->os_specific[1].value, "{\"note\":1}");
	assert_int_equal(r->ndead_ends, 1);
	assert_string_equal(r->dead_ends[0].action.zh, "重启");
	assert_true(fabs(r->dead_ends[0].fail_rate - 0.5) < 1e-9);
	assert_int_equal(r->dead_ends[0].nsources, 1);
	assert_int_equal(r->nworkarounds, 1);
	assert_string_equal(r->workarounds[0].action.zh, "运行 'sip reload'");
	assert_string_equal(r->workarounds[0].how.en, "`sip reload`");
	assert_int_equal(r->nlinks[KB_LEADS_TO], 2);
	assert_string_equal(r->links[KB_LEADS_TO][0].target_id, "communication/other");
	assert_true(isnan(r->links[KB_LEADS_TO][0].probability));
	assert_true(fabs(r->links[KB_LEADS_TO][1].probability - 0.25) < 1e-9);
	assert_string_equal(r->links[KB_LEADS_TO][1].condition.en, "later");
	assert_int_equal(r->resolvable, KB_RES_PARTIAL);
	assert_int_equal(r->evidence_count, 3);
	assert_int_equal(r->ntags, 2);
	assert_int_equal(r->naliases, 0);
	/* Unknown members are kept, _zh twins of unknown fields too. */
	assert_int_equal(r->nextra, 2);
	assert_string_equal(r->extra[0].key, "reviewer");
	assert_string_equal(r->extra[0].value, "{\"name\":\"ann\"}");
	assert_string_equal(r->extra[1].key, "note_zh");
	/* root_cause has no twin: one field missing its Chinese. */
	assert_int_equal(r->zh_missing, 2);   /* root_cause, dead_ends[0].why_fails */
	assert_int_equal(tu_count(&k, DK_DANGLING_LINK, NULL), 2);
	assert_int_equal(r->line, 1);
	kb_free(&k);
}

static void canon_record_mapped(void **state)
{
	kb k;
	const kb_record *r;

	(void)state;
	tu_load_text(&k, "canon.json",
		"{\"schema_version\": \"1.0.0\", \"id\": \"python/no-module/linux\",\n"
		" \"url\": \"https://example.org/python/no-module\",\n"
		" \"error\": {\"signature\": \"ModuleNotFoundError: No module named 'x'\", \"regex\": \"No module named\",\n"
		"   \"domain\": \"python\", \"category\": \"import_error\", \"first_seen\": \"2025-01-02\", \"last_confirmed\": \"2025-03-04\"},\n"
		" \"environment\": {\"runtime\": {\"name\": \"cpython\", \"version_range\": \">=3.8\"}, \"os\": \"linux\",\n"
		"   \"hardware\": {\"gpu\": \"none\"}, \"additional\": {\"platforms\": [\"a\", \"b\"], \"n\": 2}},\n"
		" \"verdict\": {\"resolvable\": \"true\", \"fix_success_rate\": 0.9, \"confidence\": 0.7,\n"
		"   \"last_updated\": \"2025-03-04\", \"summary\": \"The module is not installed.\"},\n"
		" \"dead_ends\": [{\"action\": \"reinstall python\", \"why_fails\": \"no\", \"fail_rate\": 0.8,\n"
		"   \"common_misconception\": \"it is broken\", \"sources\": []}],\n"
		" \"workarounds\": [{\"action\": \"pip install x\", \"success_rate\": 0.9, \"tradeoff\": \"none\"}],\n"
		" \"transition_graph\": {\"leads_to\": [], \"preceded_by\": [],\n"
		"   \"frequently_confused_with\": [{\"error_id\": \"python/import-error/linux\", \"distinction\": \"other\"}]},\n"
		" \"metadata\": {\"generated_by\": \"manual\", \"review_status\": \"human_reviewed\", \"evidence_count\": 4}}\n");
	assert_int_equal(k.diags.errors, 0);
	r = kb_find(&k, "python/no-module/linux");
	assert_non_null(r);
	assert_int_equal(r->format, KB_FORMAT_CANON);
	assert_string_equal(r->signature.en, "ModuleNotFoundError: No module named 'x'");
	assert_string_equal(r->domain, "python");
	assert_string_equal(r->category, "import_error");
	assert_string_equal(r->root_cause.en, "The module is not installed.");
	assert_string_equal(r->verification_tier, "human_reviewed");
	assert_int_equal(r->evidence_count, 4);
	assert_string_equal(r->official_doc_url, "https://example.org/python/no-module");
	assert_string_equal(r->first_seen, "2025-01-02");
	assert_string_equal(r->last_updated, "2025-03-04");
	assert_int_equal(r->resolvable, KB_RES_TRUE);
	assert_int_equal(r->nversions, 1);
	assert_string_equal(r->versions[0].version, "cpython >=3.8");
	assert_int_equal(r->nenvironment, 4);
	assert_string_equal(r->environment[0].key, "os");
	assert_string_equal(r->environment[1].key, "hardware.gpu");
	assert_string_equal(r->environment[2].key, "additional.platforms");
	assert_string_equal(r->environment[2].value, "a, b");
	assert_string_equal(r->environment[3].value, "2");
	assert_int_equal(r->dead_ends[0].nextra, 1);
	assert_string_equal(r->dead_ends[0].extra[0].key, "dead_ends[0].common_misconception");
	assert_string_equal(r->workarounds[0].extra[0].value, "none");
	assert_int_equal(r->nlinks[KB_CONFUSED_WITH], 1);
	assert_string_equal(r->links[KB_CONFUSED_WITH][0].distinction.en, "other");
	/* schema_version and metadata.generated_by are kept as extras. */
	assert_int_equal(r->nextra, 2);
	assert_string_equal(r->extra[0].key, "schema_version");
	assert_string_equal(r->extra[1].key, "metadata.generated_by");
	kb_free(&k);
}

static void array_file_lines(void **state)
{
	kb k;

	(void)state;
	tu_load_text(&k, "arr.json", "[\n" REC("a/1", "") ",\n\n  " REC("a/2", "") ",\n 42\n]\n");
	assert_int_equal(k.nrecs, 2);
	assert_int_equal(kb_find(&k, "a/1")->line, 2);
	assert_int_equal(kb_find(&k, "a/2")->line, 4);
	assert_int_equal(tu_count(&k, DK_NOT_RECORD, NULL), 1);
	assert_int_equal(k.diags.items[0].line, 5);
	assert_int_equal(k.skipped, 1);
	kb_free(&k);
}

static void jsonl_bad_line_skipped(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "x.jsonl", REC("l/1", "") "\n{\"id\": \"l/2\", oops}\n\n" REC("l/3", "") "\n");
	assert_int_equal(k.nrecs, 2);
	assert_int_equal(kb_find(&k, "l/3")->line, 4);
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, &d), 1);
	assert_int_equal(d->line, 2);
	/* cJSON reports a bad key one character in. */
	assert_in_range(d->col, 15, 16);
	kb_free(&k);
}

static void malformed_json_position(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "bad.json", "{\n  \"id\": \"a/b\",\n  \"signature\": \"x\"\n  \"domain\": \"d\"\n}\n");
	assert_int_equal(k.nrecs, 0);
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, &d), 1);
	assert_int_equal(d->line, 4);
	assert_int_equal(d->col, 3);
	assert_non_null(strstr(d->path, "bad.json"));
	kb_free(&k);
	tu_load_text(&k, "trunc.json", "{\"id\": \"a/b\", \"signature\": \"x");
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, &d), 1);
	assert_non_null(strstr(d->message, "end of input"));
	kb_free(&k);
	tu_load_text(&k, "empty.json", "  \n");
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, NULL), 1);
	kb_free(&k);
	tu_load_text(&k, "trailing.json", REC("t/1", "") " garbage");
	assert_int_equal(k.nrecs, 0);
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, NULL), 1);
	kb_free(&k);
}

static void missing_and_wrong_types(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "m.json",
		"[{\"id\": \"m/1\", \"domain\": \"d\", \"category\": \"c\"},\n"
		" {\"id\": 7, \"signature\": \"s\", \"domain\": \"d\", \"category\": \"c\"},\n"
		" " REC("m/3", ",\n  \"confidence\": \"high\", \"tags\": [\"a\", 2], \"evidence_count\": 1.5") "]\n");
	assert_int_equal(k.nrecs, 1);
	assert_int_equal(k.skipped, 2);
	assert_int_equal(tu_count(&k, DK_MISSING_FIELD, &d), 1);
	assert_int_equal(d->line, 1);
	assert_non_null(strstr(d->message, "signature"));
	assert_int_equal(tu_count(&k, DK_WRONG_TYPE, &d), 4);
	/* The wrong id type is reported at the value. */
	assert_int_equal(d->line, 2);
	assert_int_equal(d->col, 9);
	assert_true(isnan(kb_find(&k, "m/3")->confidence));
	assert_int_equal(kb_find(&k, "m/3")->ntags, 1);
	assert_int_equal(kb_find(&k, "m/3")->evidence_count, -1);
	kb_free(&k);
}

/* regex_zh: beside regex in the flat format, beside error.regex in the
 * canon; a field of the model, not an extra; a string or nothing. */
static void regex_zh_both_formats(void **state)
{
	const kb_record *r;
	kb k;

	(void)state;
	tu_load_text(&k, "z.json",
		"[" REC("z/flat", ", \"regex\": \"it broke\", \"regex_zh\": \"它坏了\"") ",\n"
		" {\"schema_version\": \"1.0.0\", \"id\": \"z/canon/linux\",\n"
		"  \"error\": {\"signature\": \"boom\", \"regex\": \"boom\", \"regex_zh\": \"爆炸\\\\s*了\",\n"
		"   \"domain\": \"d\", \"category\": \"c\"}},\n"
		" " REC("z/none", "") ",\n"
		" " REC("z/bad", ", \"regex_zh\": [\"它\"]") "]\n");
	assert_int_equal(k.nrecs, 4);
	r = kb_find(&k, "z/flat");
	assert_string_equal(r->regex, "it broke");
	assert_string_equal(r->regex_zh, "它坏了");
	assert_int_equal(r->nextra, 0);
	r = kb_find(&k, "z/canon/linux");
	assert_string_equal(r->regex_zh, "爆炸\\s*了");
	assert_int_equal(r->nextra, 1);      /* schema_version */
	assert_string_equal(r->extra[0].key, "schema_version");
	assert_null(kb_find(&k, "z/none")->regex_zh);
	assert_null(kb_find(&k, "z/bad")->regex_zh);
	assert_int_equal(tu_count(&k, DK_WRONG_TYPE, NULL), 1);
	kb_free(&k);
}

static void duplicate_ids_first_wins(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_write("dup/a.json", REC("x/1", ",\"error_code\":\"first\""));
	tu_write("dup/b.json", REC("x/1", ",\"error_code\":\"second\""));
	tu_load(&k, tu_write("dup/.hidden.json", "not json at all"));
	kb_free(&k);
	{
		char path[512];

		snprintf(path, sizeof path, "%s/dup", tu_dir());
		tu_load(&k, path);
	}
	assert_int_equal(k.nrecs, 1);
	assert_string_equal(kb_find(&k, "x/1")->error_code, "first");
	assert_int_equal(tu_count(&k, DK_DUPLICATE_ID, &d), 1);
	assert_non_null(strstr(d->path, "b.json"));
	assert_string_equal(d->record_id, "x/1");
	assert_int_equal(k.skipped, 1);
	assert_int_equal(tu_count(&k, DK_JSON_SYNTAX, NULL), 0);  /* hidden file not read */
	kb_free(&k);
}

static void rates_dates_resolvable(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "r.json", REC("r/1", ",\n\"dead_ends\": [{\"why_fails\": \"w\",\n  \"fail_rate\": 1.5}],"
		"\n\"confidence\": -0.1, \"first_seen\": \"2023-02-29\", \"last_updated\": \"2024-13-01\","
		" \"last_confirmed\": \"2024-02-29\", \"resolvable\": true, \"fix_success_rate\": 1"));
	assert_int_equal(k.nrecs, 1);
	assert_int_equal(tu_count(&k, DK_RATE_RANGE, &d), 2);
	assert_int_equal(d->line, 3);
	assert_non_null(strstr(d->message, "dead_ends[0].fail_rate"));
	assert_int_equal(tu_count(&k, DK_BAD_DATE, NULL), 2);
	assert_int_equal(kb_find(&k, "r/1")->resolvable, KB_RES_TRUE);
	assert_true(kb_find(&k, "r/1")->fix_success_rate == 1.0);
	kb_free(&k);
	tu_load_text(&k, "r2.json", REC("r/2", ",\"resolvable\": \"maybe\""));
	assert_int_equal(tu_count(&k, DK_BAD_VALUE, NULL), 1);
	kb_free(&k);
}

static void invalid_utf8_repaired(void **state)
{
	const diag *d;
	kb k;

	(void)state;
	tu_load_text(&k, "u.json", REC("u/1", ",\"root_cause\": \"bad \xC3\x28 byte\""));
	assert_int_equal(k.nrecs, 1);
	assert_int_equal(tu_count(&k, DK_INVALID_UTF8, &d), 1);
	assert_non_null(strstr(d->message, "byte 4"));
	assert_string_equal(kb_find(&k, "u/1")->root_cause.en, "bad \xEF\xBF\xBD( byte");
	kb_free(&k);
}

static void zh_twins_and_controls(void **state)
{
	const kb_record *r;
	kb k;

	(void)state;
	tu_load_text(&k, "z.json", REC("z/1", ",\"signature_zh\": \"boom: it broke\","
		"\"root_cause\": \"esc \\u001b[31m red \\u202e\", \"root_cause_zh\": \"原因\","
		"\"workarounds\": [{\"action\": \"a\"}, {\"action\": \"b\"}], \"workarounds_zh\": [\"甲\"]"));
	r = kb_find(&k, "z/1");
	assert_non_null(r);
	assert_int_equal(r->signature.zh_state, KB_ZH_UNTRANSLATED);
	assert_int_equal(r->root_cause.zh_state, KB_ZH_OK);
	assert_int_equal(r->workarounds[0].action.zh_state, KB_ZH_OK);
	assert_int_equal(r->workarounds[1].action.zh_state, KB_ZH_NONE);
	assert_int_equal(r->zh_untranslated, 1);
	assert_int_equal(r->zh_missing, 1);
	assert_int_equal(tu_count(&k, DK_ZH_NOT_CJK, NULL), 1);
	assert_int_equal(tu_count(&k, DK_CONTROL_CHAR, NULL), 1);
	assert_int_equal(tu_count(&k, DK_BAD_VALUE, NULL), 1);  /* 1 zh item for 2 workarounds */
	/* kb_text_get falls back to English and says so. */
	{
		bool fb;

		assert_string_equal(kb_text_get(&r->signature, KB_ZH, &fb), "boom: it broke");
		assert_true(fb);
		assert_string_equal(kb_text_get(&r->root_cause, KB_ZH, &fb), "原因");
		assert_false(fb);
	}
	kb_free(&k);
}

static void links_reverse_and_facets(void **state)
{
	const kb_record *b;
	kb k;

	(void)state;
	tu_load_text(&k, "links.json", "["
		REC("n/a", ",\"transition_graph\": {\"leads_to\": [\"n/b\"], \"frequently_confused_with\": [{\"error_id\": \"n/c\"}]}") ","
		"{\"id\": \"n/b\", \"signature\": \"b\", \"domain\": \"e\", \"category\": \"c\","
		" \"transition_graph\": {\"preceded_by\": [\"n/a\", \"n/gone\"], \"leads_to\": [\"n/b\"]}},"
		REC("n/c", "") "]");
	assert_int_equal(k.nrecs, 3);
	b = kb_find(&k, "n/b");
	/* n/a -> n/b and the self-link n/b -> n/b */
	assert_int_equal(b->nbacklinks, 2);
	assert_int_equal(kb_find(&k, "n/a")->nbacklinks, 1);
	assert_int_equal(kb_find(&k, "n/a")->backlinks[0].kind, KB_PRECEDED_BY);
	assert_int_equal(kb_find(&k, "n/c")->backlinks[0].kind, KB_CONFUSED_WITH);
	assert_int_equal(b->links[KB_PRECEDED_BY][1].target, KB_NONE);
	assert_int_equal(tu_count(&k, DK_DANGLING_LINK, NULL), 1);
	assert_int_equal(k.ndomains, 2);
	assert_string_equal(k.domains[0].name, "d");
	assert_int_equal(k.domains[0].count, 2);
	assert_int_equal(k.ncategories, 1);
	assert_int_equal(k.categories[0].count, 3);
	kb_free(&k);
}

static void tree_and_io_errors(void **state)
{
	char path[512];
	kb k;

	(void)state;
	tu_write("tree/a/one.json", REC("t/1", ""));
	tu_write("tree/a/b/c/two.json", "\xEF\xBB\xBF" REC("t/2", ""));
	tu_write("tree/three.ndjson", REC("t/3", "") "\n");
	tu_write("tree/readme.txt", "not a record");
	tu_write("tree/x.py", "print()");
	/* An empty directory (once a NULL array handed to qsort). */
	snprintf(path, sizeof path, "%s/tree/empty", tu_dir());
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/tree", tu_dir());
	tu_load(&k, path);
	assert_int_equal(k.nrecs, 3);
	assert_int_equal(k.files, 3);
	assert_int_equal(k.diags.len, 0);
	kb_free(&k);
	tu_load(&k, "/nonexistent/errkb/kb");
	assert_int_equal(tu_count(&k, DK_IO, NULL), 1);
	assert_int_equal(k.nrecs, 0);
	kb_free(&k);
}

/* A growing text, for the big records. */
typedef struct sb {
	char *s;
	size_t len, cap;
} sb;

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ,"name":[<pre>0<post>,<pre>1<post>,...] with n items; post NULL for
 * items without the number: [<pre>,<pre>,...]. */
static void sb_array(sb *b, const char *name, unsigned n, const char *pre, const char *post)
{
	sb_printf(b, ",\"%s\":[", name);
	for (unsigned i = 0; i < n; i++) {
		sb_printf(b, "%s%s", i ? "," : "", pre);
		if (post)
			sb_printf(b, "%u%s", i, post);
	}
	sb_printf(b, "]");
}

/* ,"name":{"k0":"v","k1":"v",...} */
static void sb_object(sb *b, const char *name, unsigned n, const char *key)
{
	sb_printf(b, ",\"%s\":{", name);
	for (unsigned i = 0; i < n; i++)
		sb_printf(b, "%s\"%s%u\":\"v\"", i ? "," : "", key, i);
	sb_printf(b, "}");
}

/* A finding's line and column are counted from its record, not from the
 * top of the file: a JSONL file (or an array) with a finding on every
 * record once took time quadratic in its size (100,000 records with an
 * untranslated twin each: 240 s to load). */
static void findings_linear_in_file_size(void **state)
{
	enum { N = 3000 };
	sb jl = { 0 }, arr = { 0 };
	kb k;

	(void)state;
	sb_printf(&arr, "[\n");
	for (int i = 0; i < N; i++) {
		/* Line i + 1: a Chinese twin with no Chinese in it, far into the line. */
		sb_printf(&jl, "{\"id\":\"t/%d\",\"signature\":\"%0200d\",\"domain\":\"d\",\"category\":\"c\","
			  "\"signature_zh\":\"no chinese here\"}\n", i, i);
		sb_printf(&arr, "%s{\"id\":\"t/%d\",\"signature\":\"%0200d\",\"domain\":\"d\",\"category\":\"c\","
			  "\"signature_zh\":\"no chinese here\"}\n", i ? "," : "", i, i);
	}
	sb_printf(&arr, "]\n");
	json_linecol_scanned = 0;
	tu_load_text(&k, "many.jsonl", jl.s);
	assert_int_equal(k.nrecs, N);
	assert_int_equal(tu_count(&k, DK_ZH_NOT_CJK, NULL), N);
	/* The last one's place is still exact. */
	assert_int_equal(k.diags.items[N - 1].line, N);
	assert_int_equal(k.diags.items[N - 1].col, 274);
	assert_true(json_linecol_scanned < 4 * jl.len);
	kb_free(&k);
	json_linecol_scanned = 0;
	tu_load_text(&k, "many.json", arr.s);
	assert_int_equal(tu_count(&k, DK_ZH_NOT_CJK, NULL), N);
	assert_int_equal(k.diags.items[N - 1].line, N + 1);
	assert_int_equal(k.diags.items[N - 1].col, 275);
	assert_true(json_linecol_scanned < 4 * arr.len);
	kb_free(&k);
	free(jl.s);
	free(arr.s);
}

/* No array of a record is cut: every count holds more than 65,535 (the
 * old uint16_t limit), and check has nothing to say. */
static void huge_arrays_kept_whole(void **state)
{
	enum { W = 100000, N = 66000 };
	sb b = { 0 };
	const kb_record *r;
	kb k;

	(void)state;
	sb_printf(&b, "[{\"id\":\"big/1\",\"signature\":\"boom\",\"domain\":\"d\",\"category\":\"c\"");
	sb_array(&b, "workarounds", W, "{\"action\":\"w", "\"}");
	sb_array(&b, "dead_ends", N, "{\"action\":\"d", "\",\"why_fails\":\"x\"}");
	sb_array(&b, "versions", N, "{\"version\":\"", "\"}");
	sb_array(&b, "tags", N, "\"t", "\"");
	sb_object(&b, "os_specific", N, "os");
	/* 66,000 leads_to links to big/2: as many links back on big/2 */
	sb_printf(&b, ",\"transition_graph\":{\"preceded_by\":[]");
	sb_array(&b, "leads_to", N, "\"big/2\"", NULL);
	sb_printf(&b, "}");
	for (unsigned i = 0; i < N; i++)
		sb_printf(&b, ",\"x%u\":%u", i, i);
	sb_printf(&b, "},\n{\"schema_version\":\"1.0.0\",\"id\":\"big/2\","
		   "\"error\":{\"signature\":\"s\",\"domain\":\"d\",\"category\":\"c\"},"
		   "\"environment\":{\"os\":\"linux\"");
	sb_object(&b, "additional", N, "e");
	sb_printf(&b, "},\"workarounds\":[{\"action\":\"w\"");
	sb_array(&b, "sources", N, "\"s", "\"");
	sb_printf(&b, "}]}]");
	tu_load_text(&k, "big.json", b.s);
	free(b.s);
	assert_int_equal(k.diags.len, 0);
	assert_int_equal(k.nrecs, 2);
	r = kb_find(&k, "big/1");
	assert_non_null(r);
	assert_int_equal(r->nworkarounds, W);
	assert_string_equal(r->workarounds[W - 1].action.en, "w99999");
	assert_int_equal(r->ndead_ends, N);
	assert_string_equal(r->dead_ends[N - 1].action.en, "d65999");
	assert_int_equal(r->nversions, N);
	assert_string_equal(r->versions[N - 1].version, "65999");
	assert_int_equal(r->ntags, N);
	assert_string_equal(r->tags[N - 1], "t65999");
	assert_int_equal(r->nos_specific, N);
	assert_int_equal(r->nlinks[KB_LEADS_TO], N);
	assert_int_equal(r->nextra, N);
	assert_string_equal(r->extra[N - 1].key, "x65999");
	/* signature, each dead end's why_fails, each workaround's action */
	assert_int_equal(r->zh_missing, 1 + N + W);
	r = kb_find(&k, "big/2");
	assert_non_null(r);
	assert_int_equal(r->nbacklinks, N);
	assert_int_equal(r->nenvironment, N + 1);
	assert_int_equal(r->nworkarounds, 1);
	assert_int_equal(r->workarounds[0].nsources, N);
	assert_string_equal(r->workarounds[0].sources[N - 1], "s65999");
	kb_free(&k);
}

/* The read(2) of the tests below: at most read_max bytes a call, and a
 * hook run before the second call. */
static size_t read_max, read_calls;
static void (*read_hook)(void);

static ssize_t short_read(int fd, void *buf, size_t n)
{
	if (++read_calls == 2 && read_hook)
		read_hook();
	return read(fd, buf, n < read_max ? n : read_max);
}

static sb read_whole_text(unsigned nrecs)
{
	sb b = { 0 };

	for (unsigned i = 0; i < nrecs; i++)
		sb_printf(&b, REC("s/%u", ",\"tags\":[\"0123456789\"]") "\n", i);
	return b;
}

/* read(2) may return less than asked anywhere in a file (Linux returns
 * at most 0x7ffff000 bytes a call): the loader reads on to end of file. */
static void short_reads_read_whole_file(void **state)
{
	sb b = read_whole_text(200), arr = { 0 };
	load_read_fn old;
	kb k;

	(void)state;
	sb_printf(&arr, "[");
	for (unsigned i = 0; i < 50; i++)
		sb_printf(&arr, "%s" REC("a/%u", ""), i ? ",\n" : "", i);
	sb_printf(&arr, "]");
	tu_write("short/lines.jsonl", b.s);
	tu_write("short/array.json", arr.s);
	for (size_t max = 1; max <= 4096; max *= 64) {
		char path[512];

		read_max = max;
		read_calls = 0;
		read_hook = NULL;
		old = load_set_read(short_read);
		snprintf(path, sizeof path, "%s/short", tu_dir());
		tu_load(&k, path);
		load_set_read(old);
		assert_int_equal(k.diags.len, 0);
		assert_int_equal(k.nrecs, 250);
		assert_int_equal(k.json_bytes, b.len + arr.len);
		assert_non_null(kb_find(&k, "s/199"));
		assert_non_null(kb_find(&k, "a/49"));
		kb_free(&k);
	}
	free(b.s);
	free(arr.s);
}

/* A .jsonl file is read a part at a time as it is loaded: whatever the
 * part's size (1 byte to more than the file), with read(2) returning
 * little or much, every record loads, findings name the same lines and
 * columns, a BOM is blanked, and a line over the record limit is skipped
 * (with its finding) without being held, as when the file was read
 * whole. */
static void jsonl_read_in_parts(void **state)
{
	char pad[3001], path[512];
	sb b = { 0 };
	size_t oldpart, oldmax;
	load_read_fn old;
	kb want, k;

	(void)state;
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	sb_printf(&b, "\xEF\xBB\xBF" REC("p/0", "") "\n\n");
	for (unsigned i = 1; i < 40; i++)
		sb_printf(&b, REC("p/%u", ",\"tags\":[\"%u\"]") "\n", i, i);
	sb_printf(&b, "{\"id\": \"p/broken\",\n");                      /* line 42 */
	sb_printf(&b, REC("p/big", ",\"root_cause\":\"%s\"") "\n", pad);  /* line 43 */
	sb_printf(&b, REC("p/last", ",\"confidence\": 7"));               /* no newline */
	snprintf(path, sizeof path, "%s", tu_write("parts/p.jsonl", b.s));
	oldmax = load_set_record_max(2000);
	tu_load(&want, path);
	assert_int_equal(want.nrecs, 41);
	assert_int_equal(want.skipped, 2);
	assert_int_equal(want.diags.by_kind[DK_TOO_BIG], 1);
	assert_int_equal(want.diags.by_kind[DK_JSON_SYNTAX], 1);
	for (size_t part = 1; part <= 8192; part = part * 3 + 1)
		for (size_t max = 1; max <= 65536; max *= 256) {
			read_max = max;
			read_calls = 0;
			read_hook = NULL;
			oldpart = load_set_stream_part(part);
			old = load_set_read(short_read);
			tu_load(&k, path);
			load_set_read(old);
			load_set_stream_part(oldpart);
			assert_int_equal(k.nrecs, want.nrecs);
			assert_int_equal(k.skipped, want.skipped);
			assert_int_equal(k.json_bytes, b.len);
			assert_int_equal(k.diags.len, want.diags.len);
			for (size_t i = 0; i < k.diags.len; i++) {
				assert_int_equal(k.diags.items[i].kind, want.diags.items[i].kind);
				assert_int_equal(k.diags.items[i].line, want.diags.items[i].line);
				assert_int_equal(k.diags.items[i].col, want.diags.items[i].col);
				assert_string_equal(k.diags.items[i].message, want.diags.items[i].message);
			}
			for (size_t i = 0; i < k.nrecs; i++) {
				assert_string_equal(k.recs[i].id, want.recs[i].id);
				assert_int_equal(k.recs[i].line, want.recs[i].line);
			}
			kb_free(&k);
		}
	load_set_record_max(oldmax);
	/* The places, as the file says: and a finding in the last record,
	 * with its column, is one they must agree on too. */
	assert_true(want.diags.len >= 3);
	for (size_t i = 0; i < want.diags.len; i++)
		assert_int_equal(want.diags.items[i].line, want.diags.items[i].kind == DK_TOO_BIG ? 43
							  : want.diags.items[i].kind == DK_JSON_SYNTAX ? 42 : 44);
	assert_non_null(kb_find(&want, "p/0"));
	assert_non_null(kb_find(&want, "p/last"));
	kb_free(&want);
	free(b.s);
}

/* A record past the size limit (512 MiB; 2,000 bytes here) is skipped
 * with a too-big finding naming its place, before it is parsed, in each
 * format; the records around it load.  A 2.1 GiB record used to make the
 * index fail at every start, and `show` die out of memory. */
static void too_big_record_skipped(void **state)
{
	char pad[3001], path[512];
	sb jsonl = { 0 }, arr = { 0 }, one = { 0 };
	size_t old;
	kb k;

	(void)state;
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	sb_printf(&jsonl, REC("l/1", "") "\n" REC("l/big", ",\"root_cause\":\"%s\"") "\n" REC("l/3", "") "\n", pad);
	sb_printf(&arr, "[" REC("a/1", "") ",\n" REC("a/big", ",\"root_cause\":\"%s\"") ",\n" REC("a/3", "") "]",
		  pad);
	sb_printf(&one, REC("o/big", ",\"root_cause\":\"%s\""), pad);
	tu_write("big/lines.jsonl", jsonl.s);
	tu_write("big/array.json", arr.s);
	tu_write("big/one.json", one.s);
	tu_write("big/small.json", REC("o/small", ""));
	snprintf(path, sizeof path, "%s/big", tu_dir());
	old = load_set_record_max(2000);
	tu_load(&k, path);
	load_set_record_max(old);
	assert_int_equal(k.nrecs, 5);
	assert_int_equal(k.skipped, 3);
	assert_int_equal(k.diags.by_kind[DK_TOO_BIG], 3);
	assert_int_equal(k.diags.len, 3);
	assert_null(kb_find(&k, "l/big"));
	assert_null(kb_find(&k, "a/big"));
	assert_null(kb_find(&k, "o/big"));
	assert_non_null(kb_find(&k, "l/3"));
	assert_non_null(kb_find(&k, "a/3"));
	for (size_t i = 0; i < k.diags.len; i++) {
		const diag *d = &k.diags.items[i];

		assert_non_null(strstr(d->message, "records over"));
		if (strstr(d->path, "lines.jsonl"))
			assert_int_equal(d->line, 2);
		else if (strstr(d->path, "array.json")) {
			assert_int_equal(d->line, 2);
			assert_string_equal(d->record_id, "a/big");
		} else
			assert_non_null(strstr(d->path, "one.json"));
	}
	kb_free(&k);
	/* Under the limit, the same records load. */
	tu_load(&k, path);
	assert_int_equal(k.nrecs, 8);
	assert_int_equal(k.diags.len, 0);
	kb_free(&k);
	free(jsonl.s);
	free(arr.s);
	free(one.s);
}

static char changing_path[512];

static void grow_file(void)
{
	FILE *f = fopen(changing_path, "ab");

	assert_non_null(f);
	fputs(REC("g/new", "") "\n", f);
	assert_int_equal(fclose(f), 0);
}

static void shrink_file(void)
{
	/* Down to the first 3 lines (each REC line is the same length). */
	size_t line = strlen(REC("s/0", ",\"tags\":[\"0123456789\"]") "\n");

	assert_int_equal(truncate(changing_path, (off_t)(3 * line)), 0);
}

/* A file that grows or shrinks while it is read: what was read is
 * loaded, and the change is reported. */
static void file_changes_while_read(void **state)
{
	sb b = read_whole_text(10);
	load_read_fn old;
	const diag *d;
	kb k;

	(void)state;
	snprintf(changing_path, sizeof changing_path, "%s", tu_write("grow.jsonl", b.s));
	read_max = 16;
	read_calls = 0;
	read_hook = grow_file;
	old = load_set_read(short_read);
	tu_load(&k, changing_path);
	load_set_read(old);
	assert_int_equal(k.nrecs, 11);
	assert_non_null(kb_find(&k, "g/new"));
	assert_int_equal(tu_count(&k, DK_IO, &d), 1);
	assert_non_null(strstr(d->message, "changed while it was read"));
	kb_free(&k);

	snprintf(changing_path, sizeof changing_path, "%s", tu_write("shrink.jsonl", b.s));
	read_calls = 0;
	read_hook = shrink_file;
	old = load_set_read(short_read);
	tu_load(&k, changing_path);
	load_set_read(old);
	read_hook = NULL;
	assert_int_equal(k.nrecs, 3);
	assert_int_equal(tu_count(&k, DK_IO, &d), 1);
	assert_non_null(strstr(d->message, "changed while it was read"));
	assert_int_equal(k.diags.len, 1);
	kb_free(&k);
	free(b.s);
}

/* A link in a KB folder back to a directory above it is reported and not
 * followed (it was followed down to the depth limit, reading the KB over
 * and over). */
static void link_loop_reported(void **state)
{
	char top[512], p[600];
	const diag *d;
	kb k;

	(void)state;
	tu_write("loop/a/one.json", REC("l/1", ""));
	tu_write("loop/two.json", REC("l/2", ""));
	snprintf(top, sizeof top, "%s/loop", tu_dir());
	snprintf(p, sizeof p, "%s/a/up", top);
	assert_int_equal(symlink("..", p), 0);
	tu_load(&k, top);
	assert_int_equal(k.nrecs, 2);
	assert_int_equal(k.files, 2);
	assert_int_equal(tu_count(&k, DK_LINK_LOOP, &d), 1);
	assert_int_equal(k.diags.len, 1);
	assert_false(diag_kind_is_error(DK_LINK_LOOP));
	assert_string_equal(d->path, p);
	snprintf(p, sizeof p, "leads back to %s,", top);
	assert_non_null(strstr(d->message, p));
	kb_free(&k);
}

/* A directory or a file reached twice, through links, is read once. */
static void links_read_once(void **state)
{
	char top[512], p[600];
	kb k;

	(void)state;
	tu_write("alias/a/one.json", REC("al/1", ""));
	tu_write("alias/two.json", REC("al/2", ""));
	snprintf(top, sizeof top, "%s/alias", tu_dir());
	snprintf(p, sizeof p, "%s/c", top);
	assert_int_equal(symlink("a", p), 0);           /* a second way into a */
	snprintf(p, sizeof p, "%s/same.json", top);
	assert_int_equal(symlink("two.json", p), 0);    /* a second way to two.json */
	snprintf(p, sizeof p, "%s/hard.json", top);
	assert_int_equal(link(tu_write("alias/a/one.json", REC("al/1", "")), p), 0);
	tu_load(&k, top);
	assert_int_equal(k.nrecs, 2);
	assert_int_equal(k.files, 2);
	assert_int_equal(k.diags.len, 0);
	kb_free(&k);
}

/* Only regular files are read: a FIFO or a device named like a KB file
 * is reported by name and kind, and the rest loads. */
static void special_files_reported(void **state)
{
	char top[512], p[600];
	const diag *d;
	kb k;

	(void)state;
	tu_write("special/ok.json", REC("sp/1", ""));
	snprintf(top, sizeof top, "%s/special", tu_dir());
	snprintf(p, sizeof p, "%s/pipe.json", top);
	assert_int_equal(mkfifo(p, 0600), 0);
	snprintf(p, sizeof p, "%s/zero.json", top);
	assert_int_equal(symlink("/dev/zero", p), 0);
	snprintf(p, sizeof p, "%s/pipe.txt", top);
	assert_int_equal(mkfifo(p, 0600), 0);           /* not a KB name: ignored */
	tu_load(&k, top);
	assert_int_equal(k.nrecs, 1);
	assert_int_equal(k.files, 1);
	assert_int_equal(tu_count(&k, DK_IO, &d), 2);
	assert_int_equal(k.diags.len, 2);
	diag_list_sort(&k.diags);
	d = &k.diags.items[0];
	assert_non_null(strstr(d->path, "pipe.json"));
	assert_non_null(strstr(d->message, "FIFO"));
	d = &k.diags.items[1];
	assert_non_null(strstr(d->path, "zero.json"));
	assert_non_null(strstr(d->message, "character device"));
	kb_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat_record_full),
		cmocka_unit_test(canon_record_mapped),
		cmocka_unit_test(array_file_lines),
		cmocka_unit_test(jsonl_bad_line_skipped),
		cmocka_unit_test(malformed_json_position),
		cmocka_unit_test(missing_and_wrong_types),
		cmocka_unit_test(regex_zh_both_formats),
		cmocka_unit_test(duplicate_ids_first_wins),
		cmocka_unit_test(rates_dates_resolvable),
		cmocka_unit_test(invalid_utf8_repaired),
		cmocka_unit_test(zh_twins_and_controls),
		cmocka_unit_test(links_reverse_and_facets),
		cmocka_unit_test(tree_and_io_errors),
		cmocka_unit_test(huge_arrays_kept_whole),
		cmocka_unit_test(too_big_record_skipped),
		cmocka_unit_test(findings_linear_in_file_size),
		cmocka_unit_test(short_reads_read_whole_file),
		cmocka_unit_test(jsonl_read_in_parts),
		cmocka_unit_test(file_changes_while_read),
		cmocka_unit_test(link_loop_reported),
		cmocka_unit_test(links_read_once),
		cmocka_unit_test(special_files_reported),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tu_cleanup();
	return rc;
}
