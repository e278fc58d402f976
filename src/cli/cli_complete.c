/* errkb --complete CWORD WORD...: the candidates for the shell completion
 * scripts in data/completion.  WORD0 is the program, CWORD the index of the
 * word being completed (the word count: a new, empty word).  Prints the
 * candidates that start with that word, sorted, one a line, or the line
 * "@files" to ask the shell for file names.  Nothing ever goes to stderr
 * and the status is always 0: a complaint would garble the command line. */
#include <config.h>
#include "cli.h"
#include "kbcache.h"
#include "load.h"
#include "textscan.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What an option's value is. */
enum val { V_NONE, V_ARG, V_FILES, V_LANG, V_FORMAT, V_DOMAIN, V_CATEGORY, V_TIER,
	   V_RESOLVABLE, V_ORDER };

struct copt {
	const char *name;          /* long name */
	char letter;               /* short name, or 0 */
	enum val val;              /* V_NONE: takes no value */
};

/* What a command's operands are. */
enum operand { OP_NONE, OP_QUERY, OP_ID, OP_FILES, OP_FILE };

/* The options main() reads itself; tests/cli_complete.sh checks them
 * against main(). */
static const struct copt global_opts[] = {
	{ "kb", 'k', V_FILES }, { "lang", 'l', V_LANG }, { "help", 'h', V_NONE },
	{ "version", 'V', V_NONE }, { "no-config", 0, V_NONE }, { "no-mouse", 0, V_NONE },
	{ "no-cache", 0, V_NONE }, { "dump-config", 0, V_NONE }, { NULL, 0, V_NONE },
};

enum { MAX_OPTS = 16 };

/* A command as completion sees it, read from its own getopt tables
 * (cli_commands): only what its operands are is known here. */
static struct ccmd {
	const char *name;
	struct copt opts[MAX_OPTS + 1];
	const char *const *formats;    /* --format's values */
	enum operand operand;
	bool opts_first;               /* options end at the first operand */
} cmds[8];
static size_t ncmds;

/* What an option's value is, by the option's name. */
static enum val value_of(const char *name)
{
	static const struct { const char *name; enum val val; } kinds[] = {
		{ "kb", V_FILES }, { "lang", V_LANG }, { "format", V_FORMAT },
		{ "domain", V_DOMAIN }, { "category", V_CATEGORY }, { "tier", V_TIER },
		{ "resolvable", V_RESOLVABLE }, { "order", V_ORDER },
	};

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(name, kinds[i].name))
			return kinds[i].val;
	return V_ARG;
}

static void load_commands(void)
{
	static const struct { const char *name; enum operand operand; } operands[] = {
		{ "list", OP_QUERY }, { "show", OP_ID }, { "check", OP_FILES },
		{ "match", OP_FILE }, { "pick", OP_QUERY },
	};

	for (ncmds = 0; cli_commands[ncmds] && ncmds < sizeof cmds / sizeof *cmds; ncmds++) {
		const cli_command *cc = cli_commands[ncmds];
		struct ccmd *d = &cmds[ncmds];
		const char *os = cc->optstring + (cc->optstring[0] == '+');
		int n = 0;

		*d = (struct ccmd){ .name = cc->name, .formats = cc->formats,
				    .opts_first = cc->optstring[0] == '+' };
		for (size_t i = 0; i < sizeof operands / sizeof *operands; i++)
			if (!strcmp(cc->name, operands[i].name))
				d->operand = operands[i].operand;
		for (const struct option *lo = cc->longopts; lo->name && n < MAX_OPTS; lo++, n++) {
			/* A short name is one getopt's string lists. */
			bool letter = lo->val > ' ' && lo->val < 127 && strchr(os, lo->val);

			d->opts[n] = (struct copt){ lo->name, letter ? (char)lo->val : 0,
						    lo->has_arg == no_argument ? V_NONE : value_of(lo->name) };
		}
		d->opts[n] = (struct copt){ NULL, 0, V_NONE };
	}
}

struct compl {
	const char *cur;               /* the word being completed */
	const struct ccmd *cmd;        /* NULL before the command */
	cli_opts o;                    /* for the --kb options on the line */
	kb k;                          /* the whole KB, or only findings when cache */
	kbcache *cache;                /* the index, when there is one */
	bool loaded, no_config;
	char **out;
	size_t n, cap;
	bool files;                    /* answer "@files" */
};

/* Candidate prefix+s, when it extends the current word; nothing that
 * would break the one-a-line answer. */
static void add(struct compl *c, const char *prefix, const char *s)
{
	size_t lp = strlen(prefix), ls = strlen(s), lc = strlen(c->cur);
	char *w;

	/* KB text is untrusted: nothing that could move the cursor or
	 * reorder the line reaches the shell's candidate list. */
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return;
	if (text_invalid_utf8(s, ls) != (size_t)-1 || text_has_control(s))
		return;
	w = xmalloc(lp + ls + 1);
	memcpy(w, prefix, lp);
	memcpy(w + lp, s, ls + 1);
	if (strncmp(w, c->cur, lc)) {
		free(w);
		return;
	}
	c->out = xgrow(c->out, &c->cap, c->n + 1, sizeof *c->out);
	c->out[c->n++] = w;
}

/* The KB in force, opened once and quietly: problems are for `check`
 * (and the config file's for the command that reads it).  From the
 * index when there is one (a TAB must not read a big KB whole), else
 * loaded whole.  reload: the index failed, read the sources. */
static void open_kb(struct compl *c, bool reload)
{
	size_t n;
	char **paths;

	if (c->loaded && !reload)
		return;
	if (!c->loaded) {
		/* The config's kb lines count, unless --no-config. */
		cli_set.no_config = c->no_config;
		cli_settings_load(NULL);
	}
	paths = cli_kb_paths(&c->o, &n);
	if (reload) {
		kbcache_close(c->cache, false, NULL);
		c->cache = NULL;
		kb_free(&c->k);
		kb_init(&c->k);
		kb_load_paths(&c->k, (const char *const *)paths, n);
	} else {
		c->cache = cli_load_kb_lazy(&c->k, (const char *const *)paths, n);
	}
	cli_free_paths(paths, n);
	c->loaded = true;
}

/* Every value of col in the KB, as candidates. */
static void add_kb_values(struct compl *c, const char *prefix, enum kbcache_col col)
{
	const kb *k = &c->k;

	open_kb(c, false);
	if (c->cache) {
		const char **v;
		size_t n = kbcache_values(c->cache, col, &c->k.mem, &v);

		if (n != (size_t)-1) {
			for (size_t i = 0; i < n; i++)
				add(c, prefix, v[i]);
			free(v);
			return;
		}
		open_kb(c, true);
	}
	switch (col) {
	case KBC_ID:
		for (size_t i = 0; i < k->nrecs; i++)
			add(c, prefix, k->recs[i].id);
		break;
	case KBC_DOMAIN:
		for (size_t i = 0; i < k->ndomains; i++)
			if (k->domains[i].count)
				add(c, prefix, k->domains[i].name);
		break;
	case KBC_CATEGORY:
		for (size_t i = 0; i < k->ncategories; i++)
			if (k->categories[i].count)
				add(c, prefix, k->categories[i].name);
		break;
	case KBC_TIER:
		for (size_t i = 0; i < k->nrecs; i++)
			if (k->recs[i].verification_tier)
				add(c, prefix, k->recs[i].verification_tier);
		break;
	}
}

static void add_value(struct compl *c, const char *prefix, enum val val)
{
	static const char *const langs[] = { "en", "zh", NULL };
	static const char *const resolvable[] = { "true", "partial", "false", "unknown", NULL };
	static const char *const orders[] = { "score", "log", NULL };   /* match --order */
	const char *const *names = NULL;

	switch (val) {
	case V_FILES:
		c->files = true;
		return;
	case V_LANG:
		names = langs;
		break;
	case V_RESOLVABLE:
		names = resolvable;
		break;
	case V_ORDER:
		names = orders;
		break;
	case V_FORMAT:
		names = c->cmd ? c->cmd->formats : NULL;
		break;
	case V_DOMAIN:
		add_kb_values(c, prefix, KBC_DOMAIN);
		return;
	case V_CATEGORY:
		add_kb_values(c, prefix, KBC_CATEGORY);
		return;
	case V_TIER:
		add_kb_values(c, prefix, KBC_TIER);
		return;
	default:
		return;
	}
	for (size_t i = 0; names && names[i]; i++)
		add(c, prefix, names[i]);
}

/* The option --name (len bytes of it), exact or, as getopt_long takes
 * it, an unambiguous abbreviation. */
static const struct copt *find_long(const struct copt *opts, const char *name, size_t len)
{
	const struct copt *hit = NULL;
	int hits = 0;

	for (const struct copt *op = opts; op->name; op++) {
		if (strncmp(op->name, name, len))
			continue;
		if (!op->name[len])
			return op;
		hit = op;
		hits++;
	}
	return hits == 1 ? hit : NULL;
}

static const struct copt *find_short(const struct copt *opts, char letter)
{
	for (const struct copt *op = opts; op->name; op++)
		if (op->letter && op->letter == letter)
			return op;
	return NULL;
}

/* An option's value seen on the line: only --kb matters here. */
static void seen_value(struct compl *c, const struct copt *op, const char *value)
{
	if (op && op->val == V_FILES)
		cli_add_kb(&c->o, value);
}

/* Steps over the option words[i] (and its value); returns the next index.
 * *want: the option whose value is the word being completed, if so. */
static int skip_option(struct compl *c, const struct copt *opts, char **words, int i,
		       int cword, const struct copt **want)
{
	const char *w = words[i];
	const struct copt *op;

	if (w[1] == '-') {
		const char *eq = strchr(w + 2, '=');

		op = find_long(opts, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2));
		if (!op || op->val == V_NONE)
			return i + 1;
		if (eq) {
			seen_value(c, op, eq + 1);
			return i + 1;
		}
	} else {
		/* A cluster: -sk PATH, -kPATH, -fjson. */
		for (op = NULL, w++; *w && !op; w++) {
			op = find_short(opts, *w);
			if (op && op->val == V_NONE)
				op = NULL;
		}
		if (!op)
			return i + 1;
		if (*w) {
			seen_value(c, op, w);
			return i + 1;
		}
	}
	if (i + 1 == cword)
		*want = op;
	else
		seen_value(c, op, words[i + 1]);
	return i + 2;
}

/* The current word is an option, maybe with its value: -, --fo, --format=j. */
static void complete_option(struct compl *c, const struct copt *opts)
{
	const char *cur = c->cur, *eq = strchr(cur, '=');

	if (cur[0] == '-' && cur[1] == '-' && eq) {
		const struct copt *op = find_long(opts, cur + 2, (size_t)(eq - cur - 2));
		char *prefix;

		if (!op || op->val == V_NONE)
			return;
		prefix = xstrndup(cur, (size_t)(eq - cur) + 1);
		add_value(c, prefix, op->val);
		free(prefix);
		return;
	}
	for (const struct copt *op = opts; op->name; op++) {
		char s[3] = { '-', op->letter, '\0' };

		add(c, "--", op->name);
		if (op->letter)
			add(c, "", s);
	}
}

/* A query word: domain:, cat: (and their long and short names, and the
 * -field: that excludes) complete to the KB's values; plain words to
 * nothing. */
static void complete_query_word(struct compl *c)
{
	static const struct { const char *name; enum val val; } fields[] = {
		{ "domain", V_DOMAIN }, { "dom", V_DOMAIN },
		{ "cat", V_CATEGORY }, { "category", V_CATEGORY },
	};
	const char *w = c->cur + (c->cur[0] == '-'), *colon = strchr(w, ':');

	if (!colon)
		return;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (strlen(fields[i].name) == (size_t)(colon - w) &&
		    !strncmp(w, fields[i].name, (size_t)(colon - w))) {
			char *prefix = xstrndup(c->cur, (size_t)(colon - c->cur) + 1);

			add_value(c, prefix, fields[i].val);
			free(prefix);
			return;
		}
	}
}

static void complete_operand(struct compl *c, int operands)
{
	switch (c->cmd->operand) {
	case OP_QUERY:
		complete_query_word(c);
		break;
	case OP_ID:
		if (!operands)
			add_kb_values(c, "", KBC_ID);
		break;
	case OP_FILE:
		if (!operands)
			c->files = true;     /* one file: only as the first operand */
		break;
	case OP_FILES:
		c->files = true;
		break;
	default:
		break;
	}
}

/* The words after the command, up to the current one. */
static void complete_command(struct compl *c, char **words, int i, int cword)
{
	const struct copt *want = NULL;
	bool options = true;
	int operands = 0;

	while (i < cword) {
		const char *w = words[i];

		if (options && !strcmp(w, "--")) {
			options = false;
			i++;
		} else if (options && w[0] == '-' && w[1]) {
			i = skip_option(c, c->cmd->opts, words, i, cword, &want);
			if (want) {
				add_value(c, "", want->val);
				return;
			}
		} else {
			operands++;
			options = !c->cmd->opts_first;
			i++;
		}
	}
	if (options && c->cur[0] == '-')
		complete_option(c, c->cmd->opts);
	else
		complete_operand(c, operands);
}

static void complete(struct compl *c, char **words, int nwords, int cword)
{
	const struct copt *want = NULL;
	int i = 1;

	/* The global options, as main() takes them. */
	while (i < cword && words[i][0] == '-') {
		if (!strcmp(words[i], "--no-config"))
			c->no_config = true;
		if (!strcmp(words[i], "--no-cache"))
			cli_set.no_cache = true;
		i = skip_option(c, global_opts, words, i, cword, &want);
		if (want) {
			add_value(c, "", want->val);
			return;
		}
	}
	if (i == cword) {
		if (c->cur[0] == '-') {
			complete_option(c, global_opts);
			return;
		}
		for (size_t j = 0; j < ncmds; j++)
			add(c, "", cmds[j].name);
		if (!c->cur[0])
			complete_option(c, global_opts);
		return;
	}
	for (size_t j = 0; j < ncmds && i < nwords; j++)
		if (!strcmp(words[i], cmds[j].name))
			c->cmd = &cmds[j];
	if (c->cmd)
		complete_command(c, words, i + 1, cword);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_complete(int argc, char **argv)
{
	struct compl c = { 0 };
	long cword;
	char *end;

	if (argc < 2)
		return EXIT_OK;
	errno = 0;
	cword = strtol(argv[0], &end, 10);
	/* words: argv + 1, argc - 1 of them; cword may be one past them. */
	if (errno || end == argv[0] || *end || cword < 1 || cword > argc - 1)
		return EXIT_OK;
	c.cur = cword < argc - 1 ? argv[1 + cword] : "";
	load_commands();
	cli_opts_init(&c.o);
	complete(&c, argv + 1, argc - 1, (int)cword);
	if (c.files) {
		puts("@files");
	} else {
		if (c.n)
			qsort(c.out, c.n, sizeof *c.out, by_name);
		for (size_t i = 0; i < c.n; i++)
			if (!i || strcmp(c.out[i], c.out[i - 1]))
				puts(c.out[i]);
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.out[i]);
	free(c.out);
	if (c.loaded) {
		kbcache_close(c.cache, true, NULL);
		kb_free(&c.k);
		cli_settings_free();
	}
	cli_opts_free(&c.o);
	return EXIT_OK;
}
