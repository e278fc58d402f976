#include <config.h>
#include "cli.h"

#include <cJSON.h>
#include "actions.h"
#include "i18n.h"
#include "kbcache.h"
#include "paths.h"
#include "load.h"
#include "query.h"
#include "search.h"
#include "suggest.h"
#include "xalloc.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "textcell.h"

cli_settings cli_set;

/* ---- the progress line ----
 *
 * On a terminal, a load that reads files from their sources for longer
 * than ERRKB_PROGRESS_DELAY seconds (default 0.5; a first start on a big
 * KB, a KB much changed) says how far it is on stderr, one line redrawn
 * ten times a second and erased when the load is done: the records and
 * megabytes read, and for a big file a bar of how much of it. */
static struct {
	double delay, start, last;
	bool shown;
} bar = { .delay = -1 };

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { BAR_BIG = 8u << 20, BAR_CELLS = 20 };

void cli_progress_text(const kb_progress *p, bool prefix, char *line, size_t len)
{
	char cells[BAR_CELLS + 1];
	int n = snprintf(line, len, "%s%s", prefix ? PACKAGE : "", prefix ? ": " : "");

	if (n < 0 || (size_t)n >= len)
		return;
	n += snprintf(line + n, len - (size_t)n,
		      ngettext("reading the KB: %zu record, %llu MB", "reading the KB: %zu records, %llu MB",
			       p->records),
		      p->records, (p->bytes + p->file_done) >> 20);
	if (n > 0 && (size_t)n < len && p->path && p->file_size >= BAR_BIG) {
		/* A file that grew while it is read: full, not past it. */
		unsigned long long done = p->file_done < p->file_size ? p->file_done : p->file_size;
		int fill = (int)(done * BAR_CELLS / p->file_size);
		const char *base = strrchr(p->path, '/');

		for (int i = 0; i < BAR_CELLS; i++)
			cells[i] = i < fill ? '#' : '.';
		cells[BAR_CELLS] = '\0';
		snprintf(line + n, len - (size_t)n, "  [%s] %d%%  %s", cells,
			 (int)(done * 100 / p->file_size), base ? base + 1 : p->path);
	}
}

static void progress_line(void *ctx, const kb_progress *p)
{
	struct winsize ws;
	char line[512], *clean, *cut;
	double now = mono_s();

	(void)ctx;
	if (p->done) {
		if (bar.shown)
			fputs("\r\033[K", stderr);
		bar.shown = false;
		bar.start = 0;
		return;
	}
	if (!bar.start)
		bar.start = now;
	if (now - bar.start < bar.delay || (bar.shown && now - bar.last < 0.1))
		return;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col < 20)
		return;
	bar.last = now;
	cli_progress_text(p, true, line, sizeof line);
	/* The file's name as any untrusted text, and all of it on one line. */
	clean = tc_clean(line);
	cut = tc_cut(clean, ws.ws_col - 1);
	fprintf(stderr, "\r%s\033[K", cut);
	fflush(stderr);
	bar.shown = true;
	free(cut);
	free(clean);
}

double cli_progress_delay(void)
{
	const char *env = getenv("ERRKB_PROGRESS_DELAY");
	char *end;

	if (env && *env) {
		double d = strtod(env, &end);

		if (!*end && d >= 0 && d <= 1e6)
			return d;
	}
	return 0.5;
}

void cli_progress_init(void)
{
	kb_load_set_progress(NULL, NULL);
	if (!isatty(STDERR_FILENO))
		return;
	bar.delay = cli_progress_delay();
	kb_load_set_progress(progress_line, NULL);
}

/* errkb measures text with wcwidth() and writes UTF-8, which needs a
 * UTF-8 LC_CTYPE: under C or POSIX take C.UTF-8 (in glibc since 2.35). */
void cli_want_utf8(void)
{
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

void cli_opts_init(cli_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lang = i18n_lang();
}

void cli_settings_load(FILE *err)
{
	config_init(&cli_set.cfg);
	free(cli_set.config_path);
	cli_set.config_path = paths_config_file();
	if (!cli_set.no_config && cli_set.config_path)
		config_load(&cli_set.cfg, cli_set.config_path, err);
	actions_apply_config(&cli_set.cfg, err);
	i18n_set_lang(cli_set.cfg.lang >= 0 ? (enum kb_lang)cli_set.cfg.lang : i18n_locale_lang());
}

void cli_settings_free(void)
{
	config_free(&cli_set.cfg);
	free(cli_set.config_path);
	cli_set.config_path = NULL;
}

void cli_dump_config(const cli_opts *o, FILE *out)
{
	const config *c = &cli_set.cfg;
	char buf[256], **paths;
	size_t n;

	fprintf(out, _("# errkb settings in force ('errkb --dump-config')\n"));
	if (cli_set.no_config)
		fprintf(out, _("# config file: not read (--no-config)\n"));
	else if (c->path)
		fprintf(out, _("# config file: %s\n"), c->path);
	else
		fprintf(out, _("# config file: none (%s does not exist)\n"),
			cli_set.config_path ? cli_set.config_path : "$XDG_CONFIG_HOME/errkb/config");
	fprintf(out, "language = %s\n", o->lang == KB_ZH ? "zh" : "en");
	paths = cli_kb_paths(o, &n);
	if (!o->nkb && !(getenv("ERRKB_PATH") && *getenv("ERRKB_PATH")) && !c->nkb) {
		/* A comment: pasted into a config, it would pin this install. */
		fprintf(out, _("# kb = %s   (the shipped KB, when no kb is set)\n"), paths[0]);
	} else {
		for (size_t i = 0; i < n; i++) {
			/* Absolute, so that the line means the same in a config. */
			char *abs = realpath(paths[i], NULL);

			fprintf(out, "kb = %s\n", abs ? abs : paths[i]);
			free(abs);
		}
	}
	cli_free_paths(paths, n);
	fprintf(out, "mouse = %s\n", cli_set.no_mouse || c->mouse == 0 ? "off" : "on");
	fprintf(out, "\n[theme]\n");
	for (int i = 0; i < UI_COUNT; i++) {
		config_format_style(c->theme[i].set ? &c->theme[i] : &cfg_default_theme[i], buf, sizeof buf);
		fprintf(out, "%s = %s\n", cfg_style_names[i], buf);
	}
	fprintf(out, "\n[keys]\n");
	for (int a = 0; a < ACT_COUNT; a++) {
		action_key_list((enum action)a, buf, sizeof buf, " ");
		fprintf(out, "%s = %s\n", actions[a].name, buf);
	}
}

void cli_opts_free(cli_opts *o)
{
	free(o->kb_paths);
	memset(o, 0, sizeof *o);
}

void cli_add_kb(cli_opts *o, const char *path)
{
	o->kb_paths = xrealloc(o->kb_paths, (o->nkb + 1) * sizeof *o->kb_paths);
	o->kb_paths[o->nkb++] = path;
}

bool cli_parse_lang(const char *s, enum kb_lang *lang)
{
	if (!strcmp(s, "en")) {
		*lang = KB_EN;
		return true;
	}
	if (!strcmp(s, "zh")) {
		*lang = KB_ZH;
		return true;
	}
	return false;
}

char **cli_kb_paths(const cli_opts *o, size_t *n)
{
	const char *env = getenv("ERRKB_PATH");
	char **v;

	*n = 0;
	if (o->nkb) {
		v = xmalloc(o->nkb * sizeof *v);
		for (size_t i = 0; i < o->nkb; i++)
			v[(*n)++] = xstrdup(o->kb_paths[i]);
		return v;
	}
	if (env && *env) {
		char *copy = xstrdup(env), *save = NULL;
		size_t cap = 0;

		v = NULL;
		for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
			v = xgrow(v, &cap, *n + 1, sizeof *v);
			v[(*n)++] = xstrdup(p);
		}
		free(copy);
		if (*n)
			return v;
		free(v);
	}
	if (cli_set.cfg.nkb) {
		v = xmalloc(cli_set.cfg.nkb * sizeof *v);
		for (size_t i = 0; i < cli_set.cfg.nkb; i++)
			v[(*n)++] = xstrdup(cli_set.cfg.kb[i]);
		return v;
	}
	v = xmalloc(sizeof *v);
	v[0] = paths_installed(PKGDATADIR "/kb", ABS_TOP_SRCDIR "/data/kb");
	*n = 1;
	return v;
}

void cli_free_paths(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The index of these roots, or NULL (--no-cache, no cache directory,
 * another errkb holding it): then the sources are read. */
static kbcache *open_index(const char *const *paths, size_t n)
{
	kbcache *c;
	char *dir, *why = NULL;

	if (cli_set.no_cache)
		return NULL;
	dir = paths_cache_dir();
	c = kbcache_open(dir, paths, n, false, &why);
	free(why);
	free(dir);
	return c;
}

void cli_load_kb(kb *k, const char *const *paths, size_t n)
{
	kbcache *c = open_index(paths, n);

	kb_load_paths_cached(k, paths, n, c);
	kbcache_close(c, true, NULL);
}

/* What the load found that the user must know of, on stderr. */
void cli_report_load(kb *k)
{
	diag_list_sort(&k->diags);
	for (size_t i = 0; i < k->diags.len; i++)
		if (diag_kind_is_error(k->diags.items[i].kind))
			diag_print(&k->diags.items[i], stderr);
	if (k->skipped)
		fprintf(stderr, ngettext("%s: %zu record skipped; 'errkb check' tells more\n",
					 "%s: %zu records skipped; 'errkb check' tells more\n",
					 k->skipped), PACKAGE, k->skipped);
}

bool cli_open_kb(const cli_opts *o, kb *k)
{
	size_t n;
	char **paths = cli_kb_paths(o, &n);

	kb_init(k);
	cli_load_kb(k, (const char *const *)paths, n);
	cli_free_paths(paths, n);
	cli_report_load(k);
	return k->nrecs > 0 || k->diags.errors == 0;
}

void cli_load_sources(const cli_opts *o, kb *k)
{
	size_t n;
	char **paths = cli_kb_paths(o, &n);

	kb_load_paths(k, (const char *const *)paths, n);
	cli_free_paths(paths, n);
}

kbcache *cli_load_kb_lazy(kb *k, const char *const *paths, size_t n)
{
	kbcache *c = open_index(paths, n);

	kb_init(k);
	if (c && !kb_load_paths_lazy(k, paths, n, c)) {
		/* The index failed on the way: the sources, as with --no-cache. */
		kbcache_close(c, false, NULL);
		c = NULL;
		kb_free(k);
		kb_init(k);
	}
	if (!c)
		kb_load_paths(k, paths, n);
	return c;
}

kbcache *cli_open_kb_lazy(const cli_opts *o, kb *k)
{
	size_t n;
	char **paths = cli_kb_paths(o, &n);
	kbcache *c = cli_load_kb_lazy(k, (const char *const *)paths, n);

	cli_free_paths(paths, n);
	cli_report_load(k);
	return c;
}

kbcache *cli_open_kb_heads(const cli_opts *o, kb *k, kbheads *h)
{
	kbcache *c = cli_load_kb_heads(o, k, h);

	cli_report_load(k);
	return c;
}

kbcache *cli_load_kb_heads(const cli_opts *o, kb *k, kbheads *h)
{
	size_t n;
	char **paths = cli_kb_paths(o, &n);
	kbcache *c = cli_load_kb_lazy(k, (const char *const *)paths, n);

	memset(h, 0, sizeof *h);
	if (c && (!kbcache_hold(c) || kbcache_slots(c, k, h) == (size_t)-1)) {
		/* The index failed on the way: the sources, as with --no-cache. */
		kbcache_close(c, false, NULL);
		c = NULL;
		kbheads_free(h);
		kb_free(k);
		kb_init(k);
		kb_load_paths(k, (const char *const *)paths, n);
	}
	cli_free_paths(paths, n);
	return c;
}

void cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s%s", PACKAGE, cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nTry '%s%s%s --help' for more information.\n"), PACKAGE,
		cmd ? " " : "", cmd ? cmd : "");
}

char *cli_quoted_list(const char *const *v, size_t n, bool all)
{
	const char *last = all ? _(" and ") : _(" or ");
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 2 + strlen(last) + 2;
	s = p = xmalloc(len);
	*s = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s'%s'", !i ? "" : i + 1 < n ? ", " : last, v[i]);
	return s;
}

/* ---- filter values the KB does not have ---- */

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every value of col among the KB's records, each once, in byte order:
 * from the index when there is one (its columns, no record read), else
 * from k.  Strings in a; (size_t)-1 when the index failed. */
static size_t facet_values(kbcache *c, const kb *k, enum kbcache_col col, arena *a, const char ***out)
{
	const char **v = NULL;
	size_t n = 0, u = 0;

	if (c) {
		n = kbcache_values(c, col, a, &v);
		if (n == (size_t)-1)
			return n;
	} else if (col == KBC_TIER) {
		v = xmalloc((k->nrecs ? k->nrecs : 1) * sizeof *v);
		for (size_t i = 0; i < k->nrecs; i++)
			if (k->recs[i].verification_tier)
				v[n++] = k->recs[i].verification_tier;
	} else {
		const kb_facet *fa = col == KBC_DOMAIN ? k->domains : k->categories;
		size_t nf = col == KBC_DOMAIN ? k->ndomains : k->ncategories;

		v = xmalloc((nf ? nf : 1) * sizeof *v);
		for (size_t i = 0; i < nf; i++)
			if (fa[i].count)
				v[n++] = fa[i].name;
	}
	if (n)
		qsort(v, n, sizeof *v, by_bytes);
	/* Each once: the tiers of k come a record at a time. */
	for (size_t i = 0; i < n; i++)
		if (!u || strcmp(v[u - 1], v[i]))
			v[u++] = v[i];
	*out = v;
	return u;
}

/* What follows "no domain 'x'" when no value is like x: the values, if
 * few, else how many there are. */
enum { FEW_VALUES = 20 };

static void say_values(enum kbcache_col col, const char *const *v, size_t n)
{
	char *list = n <= FEW_VALUES ? cli_quoted_list(v, n, true) : NULL;

	if (!n && col == KBC_TIER)
		fputs(_("; no record of the KB has a verification tier"), stderr);
	else if (!n)
		fputs(_("; the KB holds no records"), stderr);
	else if (list && col == KBC_DOMAIN)
		fprintf(stderr, ngettext("; the KB's domain is %s", "; the KB's domains are %s", n), list);
	else if (list && col == KBC_CATEGORY)
		fprintf(stderr, ngettext("; the KB's category is %s", "; the KB's categories are %s", n), list);
	else if (list)
		fprintf(stderr, ngettext("; the KB's verification tier is %s", "; the KB's verification tiers are %s", n),
			list);
	else if (col == KBC_DOMAIN)
		fprintf(stderr, ngettext("; none like it among the KB's %zu domain",
					 "; none like it among the KB's %zu domains", n), n);
	else if (col == KBC_CATEGORY)
		fprintf(stderr, ngettext("; none like it among the KB's %zu category",
					 "; none like it among the KB's %zu categories", n), n);
	else
		fprintf(stderr, ngettext("; none like it among the KB's %zu verification tier",
					 "; none like it among the KB's %zu verification tiers", n), n);
	free(list);
}

/* Says that value is none of v[0..n), naming the closest. */
static void no_such_value(const char *cmd, enum kbcache_col col, const char *value,
			  const char *const *v, size_t n)
{
	const char *close[3];
	size_t nc = suggest_closest(value, v, n, 3, close);

	fprintf(stderr, "%s: %s: ", PACKAGE, cmd);
	fprintf(stderr, col == KBC_DOMAIN ? _("no domain '%s'") : col == KBC_CATEGORY ? _("no category '%s'")
										       : _("no verification tier '%s'"),
		value);
	if (nc) {
		char *list = cli_quoted_list(close, nc, false);

		fprintf(stderr, _("; did you mean %s?"), list);
		free(list);
	} else {
		say_values(col, v, n);
	}
	fputc('\n', stderr);
}

/* Each of want[0..nwant) among the KB's values of col; 1 all are, 0 some
 * are not (said), -1 the index failed. */
static int check_values(const char *cmd, kbcache *c, const kb *k, enum kbcache_col col,
			const char *const *want, size_t nwant)
{
	const char **v;
	arena a;
	size_t n;
	int ok = 1;

	if (!nwant)
		return 1;
	/* From an index: each value looked up (a domain in its index);
	 * every value read only to name the closest to one it lacks. */
	if (c) {
		bool all = true;

		for (size_t i = 0; i < nwant && all; i++) {
			int has = col == KBC_TIER && !*want[i] ? 1 : kbcache_has_value(c, col, want[i]);

			if (has < 0)
				return -1;
			all = has > 0;
		}
		if (all)
			return 1;
	}
	arena_init(&a);
	n = facet_values(c, k, col, &a, &v);
	if (n == (size_t)-1) {
		arena_free(&a);
		return -1;
	}
	for (size_t i = 0; i < nwant; i++) {
		/* An empty tier is that of the records with none (query.h). */
		if ((col == KBC_TIER && !*want[i]) || bsearch(&want[i], v, n, sizeof *v, by_bytes))
			continue;
		no_such_value(cmd, col, want[i], v, n);
		ok = 0;
	}
	free(v);
	arena_free(&a);
	return ok;
}

int cli_check_filter(const char *cmd, const kb_filter *f, kbcache *c, const kb *k)
{
	int d = check_values(cmd, c, k, KBC_DOMAIN, f->domains, f->ndomains), ca, t;

	if (d < 0)
		return -1;
	ca = check_values(cmd, c, k, KBC_CATEGORY, f->categories, f->ncategories);
	if (ca < 0)
		return -1;
	t = check_values(cmd, c, k, KBC_TIER, f->tiers, f->ntiers);
	if (t < 0)
		return -1;
	return d && ca && t;
}

char *cli_join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xcalloc(1, len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

bool cli_parse_query(int argc, char **argv, query *q)
{
	size_t pos;
	char *s = cli_join_args(argc, argv), err[256];
	bool ok;

	ok = query_parse(s, q, err, sizeof err, &pos);
	if (!ok) {
		/* The query, and a caret under the spot. */
		fprintf(stderr, _("%s: query: %s\n  %s\n  %*s^\n"), PACKAGE, err, s, (int)pos, "");
		query_free(q);
	}
	free(s);
	return ok;
}

/* ---- what getopt rejects ----
 *
 * getopt's own messages name the command as a program ("list: invalid
 * option") and come before ours, in libc's language rather than the
 * interface's: opterr is off, and the option is named here, from the
 * command's tables and words, with the closest one when it is misspelt. */
static struct {
	const struct option *longopts;
	const char *optstring;
	int argc;
	char **argv;
} parsing;

void cli_options_begin(const struct option *longopts, const char *optstring, int argc, char **argv)
{
	opterr = 0;
	parsing.longopts = longopts;
	parsing.optstring = optstring;
	parsing.argc = argc;
	parsing.argv = argv;
}

/* The long options that name (up to '=' or its end) starts, "--" before
 * each, into v (room for them all, strings malloc'd); their count.  One
 * named exactly is the only one, as getopt_long takes it. */
static size_t long_starting(const char *name, char **v)
{
	size_t len = strcspn(name, "="), n = 0;

	for (const struct option *lo = parsing.longopts; lo && lo->name; lo++) {
		if (strncmp(lo->name, name, len))
			continue;
		if (strlen(lo->name) == len) {
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			v[0] = xasprintf("--%s", lo->name);
			return 1;
		}
		v[n++] = xasprintf("--%s", lo->name);
	}
	return n;
}

static size_t count_longopts(void)
{
	size_t n = 0;

	for (const struct option *lo = parsing.longopts; lo && lo->name; lo++)
		n++;
	return n;
}

/* A long option getopt_long did not take: unknown, or the start of
 * several. */
static void long_error(const char *cmd, const char *word)
{
	size_t nl = count_longopts(), n;
	char **v = xmalloc((nl ? nl : 1) * sizeof *v), *given = xstrndup(word, strcspn(word, "="));
	const char *close[3];
	char *list;

	n = long_starting(word + 2, v);
	if (n > 1) {
		list = cli_quoted_list((const char *const *)v, n, false);
		cli_usage_error(cmd, _("option '%s' is ambiguous; did you mean %s?"), given, list);
	} else {
		/* Every long option, to find the closest. */
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		n = 0;
		for (const struct option *lo = parsing.longopts; lo && lo->name; lo++)
			v[n++] = xasprintf("--%s", lo->name);
		n = suggest_closest(given, (const char *const *)v, n, 3, close);
		list = n ? cli_quoted_list(close, n, false) : NULL;
		if (list)
			cli_usage_error(cmd, _("unknown option '%s'; did you mean %s?"), given, list);
		else
			cli_usage_error(cmd, _("unknown option '%s'"), given);
		n = nl;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(list);
	free(given);
}

/* getopt_long returned '?': say what of, once, with errkb's name. */
static void option_error(const char *cmd)
{
	const char *word = parsing.argv && optind >= 1 && optind - 1 < parsing.argc ? parsing.argv[optind - 1]
										  : NULL;
	const char *spec = parsing.optstring ? parsing.optstring + strspn(parsing.optstring, "+-:") : "";
	const char *at = optopt > 0 && optopt != ':' ? strchr(spec, optopt) : NULL;
	char shortname[3] = { '-', (char)optopt, '\0' };
	size_t nl = count_longopts(), n;
	char **v;

	if (!word) {
		cli_usage_error(cmd, _("unknown option"));
		return;
	}
	if (!optopt && !strncmp(word, "--", 2)) {
		long_error(cmd, word);
		return;
	}
	/* A long option with its value missing (the last word), or given one
	 * it takes none of; getopt_long sets optopt to its val. */
	v = xmalloc((nl ? nl : 1) * sizeof *v);
	n = !strncmp(word, "--", 2) ? long_starting(word + 2, v) : 0;
	if (n == 1) {
		const struct option *lo = parsing.longopts;
		bool said = false;

		while (lo->name && strcmp(lo->name, v[0] + 2))
			lo++;
		if (lo->name && lo->val == optopt && lo->has_arg == no_argument && strchr(word, '=')) {
			cli_usage_error(cmd, _("option '%s' takes no value"), v[0]);
			said = true;
		} else if (lo->name && lo->val == optopt && lo->has_arg == required_argument &&
			   optind >= parsing.argc) {
			cli_usage_error(cmd, _("option '%s' needs a value"), v[0]);
			said = true;
		}
		free(v[0]);
		free(v);
		if (said)
			return;
	} else {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	if (optopt <= ' ' || optopt > '~') {
		/* A byte of a character: name the word.  In the midst of a
		 * word of options, getopt has not gone past it yet. */
		const char *cur = optind < parsing.argc ? parsing.argv[optind] : NULL;

		if (cur && cur[0] == '-' && strchr(cur, optopt))
			word = cur;
		cli_usage_error(cmd, _("unknown option '%s'"), word);
	}
	else if (at && at[1] == ':')
		cli_usage_error(cmd, _("option '%s' needs a value"), shortname);
	else
		cli_usage_error(cmd, _("unknown option '%s'"), shortname);
}

bool cli_common_option(cli_opts *o, const char *cmd, int opt, void (*usage)(void),
		       bool *stop, int *rc)
{
	*stop = false;
	switch (opt) {
	case 'l':
		if (!cli_parse_lang(optarg, &o->lang)) {
			cli_usage_error(cmd, _("--lang takes en or zh, not '%s'"), optarg);
			*stop = true;
			*rc = EXIT_USAGE;
		} else {
			/* Headings and messages in the language of the text. */
			o->lang_given = true;
			i18n_set_lang(o->lang);
		}
		return true;
	case 'k':
		cli_add_kb(o, optarg);
		return true;
	case 'h':
		usage();
		*stop = true;
		*rc = EXIT_OK;
		return true;
	case '?':
		option_error(cmd);
		*stop = true;
		*rc = EXIT_USAGE;
		return true;
	default:
		return false;
	}
}

int cli_parse_format(const char *cmd, const char *value, const char *const *names)
{
	char list[128] = "";

	for (int i = 0; names[i]; i++) {
		if (!strcmp(value, names[i]))
			return i;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 i ? (names[i + 1] ? ", " : _(" or ")) : "", names[i]);
	}
	cli_usage_error(cmd, _("--format takes %s, not '%s'"), list, value);
	return -1;
}

void cli_print_json(cJSON *v)
{
	char *s = cJSON_Print(v);

	if (!s)
		die("out of memory");
	puts(s);
	cJSON_free(s);
	cJSON_Delete(v);
}
